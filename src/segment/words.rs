//! The words of the rule JSON (SPEC §3) with their labels: node types, comparison operators,
//! tag modes and the keys of a `purchased` node. The parser accepts exactly these ids; the
//! page's builder lists them with these labels.

use crate::text::Word;

/// Node types, in the order the builder offers them.
pub const NODE_TYPES: &[Word] = &[
    Word::new("all", "All of", "满足全部"),
    Word::new("any", "Any of", "满足任一"),
    Word::new("not", "Not", "排除"),
    Word::new("tags", "Tags", "标签"),
    Word::new("attr", "Attribute", "会员属性"),
    Word::new("rfm", "RFM", "RFM 分群"),
    Word::new("lifecycle", "Lifecycle stage", "生命周期阶段"),
    Word::new("metric", "Metric", "会员指标"),
    Word::new("purchased", "Purchased", "购买行为"),
    Word::new("segment", "Saved segment", "已保存人群"),
    Word::new("at", "As of", "截至某日"),
];

/// Comparison operators of `attr` and `metric` nodes.
pub const OPERATORS: &[Word] = &[
    Word::new("eq", "equals", "等于"),
    Word::new("ne", "does not equal", "不等于"),
    Word::new("in", "is one of", "属于"),
    Word::new("not_in", "is none of", "不属于"),
    Word::new("gt", "greater than", "大于"),
    Word::new("gte", "at least", "大于等于"),
    Word::new("lt", "less than", "小于"),
    Word::new("lte", "at most", "小于等于"),
    Word::new("between", "between", "介于"),
    Word::new("contains", "contains", "包含"),
    Word::new("is_null", "is empty", "为空"),
];

/// The operators a label column (a segment, a stage, a bucket) takes.
pub const LABEL_OPERATORS: &[&str] = &["eq", "ne", "in", "not_in", "is_null"];

/// Modes of a `tags` node.
pub const TAG_MODES: &[Word] = &[
    Word::new("any", "has any of", "含任一"),
    Word::new("all", "has all of", "含全部"),
    Word::new("none", "has none of", "不含"),
];

/// Keys of a `purchased` node.
pub const PURCHASED_KEYS: &[Word] = &[
    Word::new("where", "orders where", "订单条件"),
    Word::new("within_days", "within the last days", "最近天数"),
    Word::new("between", "between dates", "日期范围"),
    Word::new("min_count", "at least purchases", "最少购买次数"),
    Word::new("min_amount", "at least net amount", "最低净金额"),
];

/// The ids of `words`.
pub fn ids(words: &'static [Word]) -> impl Iterator<Item = &'static str> + Clone {
    words.iter().map(|w| w.id)
}
