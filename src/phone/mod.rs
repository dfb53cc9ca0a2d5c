//! Phone numbers to E.164 (`+` country code, national number; at most 15 digits), with a
//! default country for numbers written without one.
//!
//! Accepted: digits with spaces, `-`, `.`, `/`, parentheses and full-width digits
//! (`１３８…`); an international number starts with `+`, `00` or the default country's
//! international prefix (`011` in North America); `(0)` after a country code is dropped
//! (`+44 (0)20 …`); a national number loses its trunk prefix (`0` in China and most of
//! Europe, `1` in North America) when the rest has a possible length, and a number that
//! starts with the default country's code without `+` (`8613800138000`) is read as
//! international when only that reading has a possible length. Lengths come from libphonenumber's metadata ([`regions`]).
//! For China (+86) the national number must be a mobile number (`1[3-9]` and 11 digits) or a
//! landline (area code not starting with 1, or Beijing's 10).

mod regions;
use crate::error::{Error, Result};
use regions::{CODES, REGIONS};

/// A country for numbers written without a country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`CN`).
    pub region: &'static str,
    /// Calling code (86).
    pub code: u16,
    national_prefix: &'static str,
    intl_prefix: &'static str,
}

impl Default for Country {
    /// China (+86).
    fn default() -> Self {
        Country::parse("CN").unwrap_or(Country {
            region: "CN",
            code: 86,
            national_prefix: "0",
            intl_prefix: "00",
        })
    }
}

impl Country {
    /// Parses `CN`, `cn`, `+86` or `86` (a calling code shared by several countries picks
    /// the main one: `+1` is US).
    pub fn parse(text: &str) -> Result<Country> {
        let t = text.trim();
        let digits = t.strip_prefix('+').unwrap_or(t);
        let region = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            digits
                .parse::<u16>()
                .ok()
                .and_then(|code| CODES.iter().find(|c| c.0 == code))
                .map(|c| c.1)
        } else {
            REGIONS
                .iter()
                .find(|r| r.0.eq_ignore_ascii_case(t))
                .map(|r| r.0)
        };
        let found = region.and_then(|reg| REGIONS.iter().find(|r| r.0 == reg));
        match found {
            Some(&(region, code, national_prefix, intl_prefix)) => Ok(Country {
                region,
                code,
                national_prefix,
                intl_prefix,
            }),
            None => Err(Error::option(format!(
                "default country \"{text}\": expected an ISO 3166-1 code such as CN, HK, US or \
                 a calling code such as +86"
            ))),
        }
    }
}

/// Why a phone number cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PhoneProblem {
    /// Letters or symbols other than separators.
    Characters,
    /// `+` followed by no known country code.
    UnknownCountry,
    /// Too few or too many digits for the country.
    Length,
    /// Not a mobile or landline number of China.
    ChinaPattern,
}

impl PhoneProblem {
    /// A stable id for reports.
    pub fn id(self) -> &'static str {
        match self {
            PhoneProblem::Characters => "characters",
            PhoneProblem::UnknownCountry => "unknown_country",
            PhoneProblem::Length => "length",
            PhoneProblem::ChinaPattern => "china_pattern",
        }
    }

    /// A short description for reports, in both languages.
    pub fn describe(self) -> crate::text::Text {
        use crate::text::Text;
        match self {
            PhoneProblem::Characters => {
                Text::new("letters or symbols in the number", "号码中有字母或符号")
            }
            PhoneProblem::UnknownCountry => Text::new("unknown country code", "未知的国家代码"),
            PhoneProblem::Length => {
                Text::new("wrong number of digits for the country", "位数与该国家不符")
            }
            PhoneProblem::ChinaPattern => Text::new(
                "not a Chinese mobile (1[3-9] + 9 digits) or landline",
                "不是中国手机号（1[3-9] 加 9 位数字）或固定电话",
            ),
        }
    }
}

/// A phone number in E.164 parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct E164 {
    /// Country calling code.
    pub code: u16,
    /// National significant number.
    pub national: String,
}

impl E164 {
    /// `+8613800138000`.
    pub fn plus(&self) -> String {
        format!("+{}{}", self.code, self.national)
    }

    /// `8613800138000` (E.164 without the `+`, as Meta and TikTok ask).
    pub fn digits(&self) -> String {
        format!("{}{}", self.code, self.national)
    }
}

/// ASCII for full-width digits and plus, so that `＋８６ １３８…` reads like `+86 138…`.
fn ascii(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '＋' => '+',
        '－' | '‐' | '‑' | '–' | '—' => '-',
        '（' => '(',
        '）' => ')',
        '\u{3000}' | '\u{a0}' => ' ',
        c => c,
    }
}

fn possible(code: u16, national: &str) -> bool {
    let n = national.len();
    let lengths = CODES.iter().find(|c| c.0 == code).map_or(0, |c| c.2);
    n < 32 && lengths & (1 << n) != 0 && n + code.to_string().len() <= 15
}

/// The calling code at the start of `digits` (codes are prefix-free) and the rest.
fn split_code(digits: &str) -> Option<(u16, &str)> {
    (1..=3.min(digits.len())).find_map(|k| {
        let code: u16 = digits[..k].parse().ok()?;
        CODES
            .iter()
            .any(|c| c.0 == code)
            .then_some((code, &digits[k..]))
    })
}

/// Normalises `raw` to E.164 parts with `country` for numbers without a country code.
pub fn normalize(raw: &str, country: &Country) -> std::result::Result<E164, PhoneProblem> {
    let text: String = raw.trim().chars().map(ascii).collect();
    let text = text.replace("(0)", " ");
    let mut plus = false;
    let mut digits = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            // `+` before any digit (`(+86) 138…` puts it after a parenthesis).
            '+' if digits.is_empty() && !plus => plus = true,
            ' ' | '-' | '.' | '/' | '(' | ')' => {}
            _ => return Err(PhoneProblem::Characters),
        }
    }
    if digits.is_empty() {
        return Err(PhoneProblem::Length);
    }
    let international = if plus {
        Some(digits.as_str())
    } else if let Some(rest) = digits.strip_prefix("00") {
        Some(rest)
    } else if !country.intl_prefix.is_empty() && country.intl_prefix != "00" {
        digits.strip_prefix(country.intl_prefix)
    } else {
        None
    };
    let (code, national) = match international {
        Some(d) => split_code(d).ok_or(PhoneProblem::UnknownCountry)?,
        None => (country.code, national_part(&digits, country)),
    };
    if !possible(code, national) {
        return Err(PhoneProblem::Length);
    }
    if code == 86 && !china_pattern(national) {
        return Err(PhoneProblem::ChinaPattern);
    }
    Ok(E164 {
        code,
        national: national.to_string(),
    })
}

/// The national number of `digits` written without `+`: the trunk prefix (`0755…`) is
/// dropped when the rest has a possible length; the default country's code in front
/// (`86 138…`) is dropped when the rest has a possible length and the whole does not.
fn national_part<'d>(digits: &'d str, country: &Country) -> &'d str {
    if !country.national_prefix.is_empty() {
        if let Some(rest) = digits.strip_prefix(country.national_prefix) {
            if possible(country.code, rest) {
                return rest;
            }
        }
    }
    if !possible(country.code, digits) {
        let code = country.code.to_string();
        if let Some(rest) = digits.strip_prefix(code.as_str()) {
            if possible(country.code, rest) {
                return rest;
            }
        }
    }
    digits
}

/// China's national numbers: mobiles `1[3-9]` + 9 digits; landlines with an area code that
/// does not start with 0 or 1, or Beijing's `10`.
fn china_pattern(national: &str) -> bool {
    let b = national.as_bytes();
    match b.first() {
        Some(b'1') => match b.get(1) {
            Some(b'0') => national.len() >= 10,
            Some(b'3'..=b'9') => national.len() == 11,
            _ => false,
        },
        Some(b'2'..=b'9') => national.len() >= 9,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn(raw: &str) -> std::result::Result<String, PhoneProblem> {
        normalize(raw, &Country::default()).map(|e| e.plus())
    }

    #[test]
    fn chinese_numbers() {
        for raw in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "+86-13800138000",
            "0086 13800138000",
            "8613800138000",
            "(+86) 138 0013 8000",
            "１３８００１３８０００",
            "＋８６ １３８ ００１３ ８０００",
            " 13800138000 ",
        ] {
            assert_eq!(cn(raw), Ok("+8613800138000".into()), "{raw}");
        }
        assert_eq!(cn("010-12345678"), Ok("+861012345678".into()));
        assert_eq!(cn("(0755) 8888 6666"), Ok("+8675588886666".into()));
        assert_eq!(cn("021 6288 1234"), Ok("+862162881234".into()));
    }

    #[test]
    fn bad_chinese_numbers() {
        assert_eq!(cn("1380013800"), Err(PhoneProblem::ChinaPattern)); // 10 digits
        assert_eq!(cn("138001380001"), Err(PhoneProblem::ChinaPattern)); // 12 digits
        assert_eq!(cn("12800138000"), Err(PhoneProblem::ChinaPattern)); // 12x is no mobile
        assert_eq!(cn("138-0013-800x"), Err(PhoneProblem::Characters));
        assert_eq!(cn("tel 13800138000"), Err(PhoneProblem::Characters));
        assert_eq!(cn("123"), Err(PhoneProblem::Length));
        assert_eq!(cn(""), Err(PhoneProblem::Length));
        assert_eq!(cn("---"), Err(PhoneProblem::Length));
        assert_eq!(cn("+999 1234567"), Err(PhoneProblem::UnknownCountry));
        assert_eq!(cn("+86 1380013800099999"), Err(PhoneProblem::Length));
    }

    #[test]
    fn other_countries() {
        assert_eq!(cn("+1 (650) 555-1212"), Ok("+16505551212".into()));
        assert_eq!(cn("+852 9123 4567"), Ok("+85291234567".into()));
        assert_eq!(cn("+44 (0)20 7183 8750"), Ok("+442071838750".into()));
        assert_eq!(cn("00 44 20 7183 8750"), Ok("+442071838750".into()));
        let us = Country::parse("us").expect("US");
        let e = normalize("(650) 555-1212", &us).expect("US national");
        assert_eq!(
            (e.plus(), e.digits()),
            ("+16505551212".into(), "16505551212".into())
        );
        assert_eq!(
            normalize("1-650-555-1212", &us).map(|e| e.plus()),
            Ok("+16505551212".into())
        );
        assert_eq!(
            normalize("011 44 20 7183 8750", &us).map(|e| e.plus()),
            Ok("+442071838750".into())
        );
        let gb = Country::parse("GB").expect("GB");
        assert_eq!(
            normalize("020 7183 8750", &gb).map(|e| e.plus()),
            Ok("+442071838750".into())
        );
        let hk = Country::parse("+852").expect("HK");
        assert_eq!(hk.region, "HK");
        assert_eq!(
            normalize("9123 4567", &hk).map(|e| e.plus()),
            Ok("+85291234567".into())
        );
    }

    #[test]
    fn countries_parse() {
        assert_eq!(Country::parse("CN").map(|c| c.code), Ok(86));
        assert_eq!(Country::parse("+86").map(|c| c.region), Ok("CN"));
        assert_eq!(Country::parse("1").map(|c| c.region), Ok("US"));
        assert!(Country::parse("XX").is_err());
        assert!(Country::parse("+999").is_err());
    }
}
