//! Email addresses normalised as each ad platform documents it, before hashing.
//!
//! - every platform: leading and trailing whitespace removed, lower case;
//! - Google: also whitespace inside removed, and the dots of the part before `@` removed for
//!   `gmail.com` and `googlemail.com` addresses (Google Ads API, "Normalize and hash
//!   user-provided data": <https://developers.google.com/google-ads/api/docs/conversions/enhance-conversions>,
//!   and Google's own samples `normalize_and_hash_email_address`);
//! - TikTok: `+` and what follows it up to `@` removed ("List of supported IDs and formats
//!   for a customer file", Aug 2025: <https://ads.tiktok.com/help/article/list-of-supported-ids-and-formats-for-a-customer-file>);
//! - Meta: trim and lower case only ("Customer list custom audiences: hashing and
//!   normalizing data": <https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences>).
//!
//! An address is usable when, after that, it has one `@`, a non-empty part before it, a
//! domain of dot-separated non-empty labels, and no whitespace, quotes, commas, brackets,
//! `;`, `:` or control characters (a sanity check of ours: the platforms only match).

use super::Platform;

/// Why an email address cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EmailProblem {
    /// No `@`, or more than one.
    At,
    /// Nothing before the `@`.
    Local,
    /// A domain without a dot, or with an empty label.
    Domain,
    /// Whitespace, quotes, commas, brackets, `;`, `:` or control characters.
    Characters,
}

impl EmailProblem {
    /// A stable id for reports.
    pub fn id(self) -> &'static str {
        match self {
            EmailProblem::At => "at",
            EmailProblem::Local => "local",
            EmailProblem::Domain => "domain",
            EmailProblem::Characters => "characters",
        }
    }

    /// A short description for reports, in both languages.
    pub fn describe(self) -> crate::text::Text {
        use crate::text::Text;
        match self {
            EmailProblem::At => Text::new("not exactly one @", "@ 不是恰好一个"),
            EmailProblem::Local => Text::new("nothing before the @", "@ 前面没有内容"),
            EmailProblem::Domain => Text::new(
                "the domain is not like example.com",
                "域名不像 example.com 这样",
            ),
            EmailProblem::Characters => Text::new(
                "spaces or characters an address cannot have",
                "含空格或邮箱地址不能有的字符",
            ),
        }
    }
}

/// The normalised address for `platform`.
pub fn normalize(raw: &str, platform: Platform) -> Result<String, EmailProblem> {
    let mut email = raw.trim().to_lowercase();
    if platform == Platform::Google {
        email.retain(|c| !c.is_whitespace());
    }
    if email
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"(),:;<>[\\]".contains(c))
    {
        return Err(EmailProblem::Characters);
    }
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(EmailProblem::At);
    };
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return Err(EmailProblem::Domain);
    }
    let local = match platform {
        Platform::Google if matches!(domain, "gmail.com" | "googlemail.com") => {
            local.replace('.', "")
        }
        Platform::Tiktok => local.split('+').next().unwrap_or("").to_string(),
        _ => local.to_string(),
    };
    if local.is_empty() {
        return Err(EmailProblem::Local);
    }
    Ok(format!("{local}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_platform() {
        let raw = "  John.Smith+VIP@GMail.com ";
        assert_eq!(
            normalize(raw, Platform::Meta),
            Ok("john.smith+vip@gmail.com".into())
        );
        assert_eq!(
            normalize(raw, Platform::Google),
            Ok("johnsmith+vip@gmail.com".into())
        );
        assert_eq!(
            normalize(raw, Platform::Tiktok),
            Ok("john.smith@gmail.com".into())
        );
        // The dot rule is Gmail's only.
        assert_eq!(
            normalize("a.b@example.com", Platform::Google),
            Ok("a.b@example.com".into())
        );
        assert_eq!(
            normalize("a.b@googlemail.com", Platform::Google),
            Ok("ab@googlemail.com".into())
        );
        // Google removes inner whitespace; the others reject it.
        assert_eq!(
            normalize("a b@x.cn", Platform::Google),
            Ok("ab@x.cn".into())
        );
        assert_eq!(
            normalize("a b@x.cn", Platform::Meta),
            Err(EmailProblem::Characters)
        );
        assert_eq!(
            normalize("张三@例子.中国", Platform::Meta),
            Ok("张三@例子.中国".into())
        );
    }

    #[test]
    fn invalid() {
        for (raw, p) in [
            ("no-at.example.com", EmailProblem::At),
            ("a@b@c.com", EmailProblem::At),
            ("@x.com", EmailProblem::Local),
            ("a@localhost", EmailProblem::Domain),
            ("a@x..com", EmailProblem::Domain),
            ("a@.com", EmailProblem::Domain),
            ("a,b@x.com", EmailProblem::Characters),
            ("<a@x.com>", EmailProblem::Characters),
        ] {
            assert_eq!(normalize(raw, Platform::Meta), Err(p), "{raw}");
        }
        assert_eq!(
            normalize("+vip@x.com", Platform::Tiktok),
            Err(EmailProblem::Local)
        );
    }
}
