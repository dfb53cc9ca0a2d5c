//! The words of the generated exports, in English and Chinese.

/// The language (and so the format conventions) of generated files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English headers, UTF-8, ISO dates, plain amounts.
    En,
    /// Chinese headers, GBK, `2024/3/5 14:03`, `￥1,299.00`.
    Zh,
}

impl Lang {
    /// Parses `en` or `zh`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }
}

pub(super) struct Vocab {
    pub lang: Lang,
    pub member_headers: [&'static str; 12],
    pub order_headers: [&'static str; 12],
    pub stores: [&'static str; 8],
    pub cities: [&'static str; 8],
    pub guides: [&'static str; 24],
    pub tiers: [&'static str; 4],
    pub genders: [&'static str; 3],
    pub tags: [&'static str; 8],
    pub tag_sep: &'static str,
    pub statuses: [&'static str; 3],
    pub channels: [&'static str; 5],
    pub brands: [&'static str; 5],
    pub categories: [&'static str; 4],
    pub order_prefix: &'static str,
}

impl Vocab {
    pub fn of(lang: Lang) -> Vocab {
        match lang {
            Lang::En => Vocab {
                lang,
                member_headers: ["member_id", "join_date", "tier", "gender", "city", "store", "guide", "phone", "email", "birthday", "points", "tags"],
                order_headers: ["order_id", "member_id", "order_time", "paid_amount", "status", "discount_amount", "items", "channel", "store", "guide", "brand", "category"],
                stores: ["Shanghai Xintiandi", "Shanghai Jing'an", "Beijing Sanlitun", "Beijing Guomao", "Shenzhen Bay", "Guangzhou Tianhe", "Hangzhou West Lake", "Chengdu Taikoo Li"],
                cities: ["Shanghai", "Shanghai", "Beijing", "Beijing", "Shenzhen", "Guangzhou", "Hangzhou", "Chengdu"],
                guides: [
                    "Amy Chen", "Bella Wu", "Cathy Li", "Daisy Zhou", "Emma Xu", "Fiona Sun", "Grace Ma", "Helen Zhu", "Iris Hu", "Jenny Guo", "Kelly He", "Lily Lin",
                    "Mia Gao", "Nina Luo", "Olivia Zheng", "Penny Liang", "Queenie Song", "Ruby Xie", "Sara Tang", "Tina Han", "Una Feng", "Vivian Deng", "Wendy Cao", "Yuki Peng",
                ],
                tiers: ["normal", "silver", "gold", "diamond"],
                genders: ["F", "M", ""],
                tags: ["sensitive_skin", "KOC", "student", "new_mom", "discount_lover", "early_adopter", "event_vip", "gift_buyer"],
                tag_sep: "|",
                statuses: ["completed", "cancelled", "refunded"],
                channels: ["store", "mini_program", "tmall", "app", "wechat_work"],
                brands: ["UR", "Lumi", "Kora", "Nordic", "Aster"],
                categories: ["skincare", "makeup", "fragrance", "body"],
                order_prefix: "SO",
            },
            Lang::Zh => Vocab {
                lang,
                member_headers: ["会员编号", "注册时间", "会员等级", "性别", "城市", "所属门店", "专属导购", "手机号", "邮箱", "生日", "积分", "会员标签"],
                order_headers: ["订单编号", "会员编号", "下单时间", "实付金额", "订单状态", "优惠金额", "商品件数", "渠道", "门店", "导购", "品牌", "品类"],
                stores: ["上海新天地店", "上海静安店", "北京三里屯店", "北京国贸店", "深圳湾店", "广州天河店", "杭州西湖店", "成都太古里店"],
                cities: ["上海", "上海", "北京", "北京", "深圳", "广州", "杭州", "成都"],
                guides: [
                    "陈静", "吴倩", "李娜", "周敏", "徐丽", "孙婷", "马悦", "朱琳", "胡蓉", "郭佳", "何晴", "林芳",
                    "高雪", "罗欣", "郑瑶", "梁燕", "宋颖", "谢蕾", "唐菲", "韩露", "冯洁", "邓璐", "曹慧", "彭薇",
                ],
                tiers: ["普通会员", "银卡会员", "金卡会员", "钻石会员"],
                genders: ["女", "男", ""],
                tags: ["敏感肌", "KOC", "学生", "宝妈", "价格敏感", "新品控", "活动VIP", "送礼"],
                tag_sep: "、",
                statuses: ["已完成", "已取消", "已退款"],
                channels: ["门店", "小程序", "天猫", "APP", "企业微信"],
                brands: ["UR", "Lumi", "Kora", "Nordic", "Aster"],
                categories: ["护肤", "彩妆", "香水", "身体护理"],
                order_prefix: "DD",
            },
        }
    }
}
