//! The member key of a platform export without a member id column (SPEC §1.1): the first
//! present of an email, a phone or a buyer nickname column, the same kind of column keying the
//! members file; keys compare after trimming, emails also lowercased, phones as E.164 (a
//! mainland China mobile number with or without +86 is one key).

/// The kind of column that keys members when no member id column is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A buyer nickname / account name (买家会员名, 买家昵称, 粉丝昵称).
    Nickname,
}

/// Header names of each key kind, in the order SPEC §1.1 prefers them (compared after the
/// role detector's normalisation, exactly or as a word / part of the header).
pub const KEY_NAMES: &[(KeyKind, &[&str])] = &[
    (
        KeyKind::Email,
        &[
            "email",
            "e_mail",
            "customer_email",
            "邮箱",
            "电子邮箱",
            "买家邮箱",
        ],
    ),
    (
        KeyKind::Phone,
        &[
            "phone",
            "mobile",
            "手机号",
            "手机号码",
            "手机",
            "联系手机",
            "联系电话",
        ],
    ),
    (
        KeyKind::Nickname,
        &[
            "买家会员名",
            "买家昵称",
            "粉丝昵称",
            "会员昵称",
            "买家账号",
            "买家帐号",
            "下单账号",
            "下单帐号",
            "buyer_nick",
            "nickname",
        ],
    ),
];

impl KeyKind {
    /// `email`, `phone` or `nickname`: the load report's `memberKey`.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::Email => "email",
            KeyKind::Phone => "phone",
            KeyKind::Nickname => "nickname",
        }
    }

    /// Parses [`KeyKind::name`].
    pub fn parse(name: &str) -> Option<KeyKind> {
        [KeyKind::Email, KeyKind::Phone, KeyKind::Nickname]
            .into_iter()
            .find(|k| k.name() == name)
    }

    /// The key a raw value compares as.
    pub fn normalize(self, raw: &str) -> String {
        let s = raw.trim();
        match self {
            KeyKind::Email => s.to_lowercase(),
            KeyKind::Nickname => s.to_string(),
            // E.164 as the ad-platform lists write it, China (+86) for a number without a
            // country code: +86 138 0013 8000, 8613800138000 and 13800138000 are one phone.
            // A value that is no possible number keeps its digits.
            KeyKind::Phone => match crate::phone::normalize(s, &crate::phone::Country::default()) {
                Ok(e) => e.plus(),
                Err(_) => s.chars().filter(char::is_ascii_digit).collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_after_trimming_and_folding() {
        assert_eq!(
            KeyKind::Email.normalize("  Ann.Lee@Example.COM "),
            "ann.lee@example.com"
        );
        assert_eq!(
            KeyKind::Phone.normalize("+86 138-0013-8000"),
            "+8613800138000"
        );
        assert_eq!(KeyKind::Phone.normalize("13800138000"), "+8613800138000");
        assert_eq!(KeyKind::Phone.normalize("86-13800138000"), "+8613800138000");
        assert_eq!(
            KeyKind::Phone.normalize("+1 (415) 555-0100"),
            "+14155550100"
        );
        assert_eq!(KeyKind::Phone.normalize("138****8000"), "1388000");
        assert_eq!(KeyKind::Nickname.normalize(" 小明 "), "小明");
        assert_eq!(KeyKind::parse("phone"), Some(KeyKind::Phone));
    }
}
