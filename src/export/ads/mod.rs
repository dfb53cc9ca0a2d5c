//! Ad-platform customer lists (Meta, Google Customer Match, TikTok): each member's email and
//! phone normalised as the platform documents, SHA-256 hashed (lower-case hex), under the
//! platform's column headers, with a match-key quality report.
//!
//! | platform | headers | email | phone hashed as |
//! |---|---|---|---|
//! | Meta | `email`, `phone` | trim, lower case | E.164 digits without `+` (`8613800138000`) |
//! | Google | `Email`, `Phone` | trim, lower case, inner spaces removed, Gmail dots removed | E.164 with `+` (`+8613800138000`) |
//! | TikTok | `Email_SHA256`, `Phone_SHA256` | trim, lower case, `+tag` removed | E.164 digits without `+` |
//!
//! Sources: Meta, "How to format a customer list" (Business Help Centre, headers `email`,
//! `phone`) and the Marketing API's custom audience guide (phones: "remove symbols, letters,
//! and any leading zeros", with the country code; emails: trim, lower case); Google Ads Help
//! 7659867 "Format your customer data file" (headers `Email`, `Phone`; hashed data: lower
//! case, spaces removed, phones in E.164) and the Google Ads API's normalisation rules (Gmail
//! dots); TikTok Ads Help "List of supported IDs and formats for a customer file" (Aug 2025:
//! headers `Email_SHA256` / `Phone_SHA256`, phones without `+` and leading zeros with the
//! country code, emails lower case without `+tag`). A value that already is 64 hex digits is
//! taken as hashed and passed through in lower case, never hashed twice.

pub mod email;

use super::columns::{Kind, Value};
use super::frame::Rows;
use crate::dataset::{Attr, Dataset};
use crate::error::{Error, Result};
use crate::phone::{self, Country, PhoneProblem};
use email::EmailProblem;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// Invalid or duplicate values listed in a report, per key.
pub const SAMPLES: usize = 10;

/// The ad platforms with their labels.
pub const PLATFORMS: [crate::text::Word; 3] = [
    crate::text::Word::new(
        "meta",
        "Meta (Facebook, Instagram)",
        "Meta（Facebook、Instagram）",
    ),
    crate::text::Word::new("google", "Google Customer Match", "Google 客户匹配"),
    crate::text::Word::new("tiktok", "TikTok", "TikTok"),
];

/// The match keys of the lists, with their labels.
pub const MATCH_KEYS: [crate::text::Word; 2] = [
    crate::text::Word::new("email", "Email", "邮箱"),
    crate::text::Word::new("phone", "Phone", "手机号"),
];

/// An ad platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Meta (Facebook, Instagram) customer list custom audiences.
    Meta,
    /// Google Ads Customer Match.
    Google,
    /// TikTok customer file custom audiences.
    Tiktok,
}

impl Platform {
    /// Parses `meta`, `google` or `tiktok`.
    pub fn parse(name: &str) -> Result<Platform> {
        match name.trim().to_ascii_lowercase().as_str() {
            "meta" | "facebook" => Ok(Platform::Meta),
            "google" => Ok(Platform::Google),
            "tiktok" => Ok(Platform::Tiktok),
            _ => Err(Error::option(format!(
                "profile \"{name}\": expected meta, google or tiktok"
            ))),
        }
    }

    /// `meta`, `google` or `tiktok`.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Meta => "meta",
            Platform::Google => "google",
            Platform::Tiktok => "tiktok",
        }
    }

    /// The email and phone column headers of the platform's customer file.
    pub fn headers(self) -> [&'static str; 2] {
        match self {
            Platform::Meta => ["email", "phone"],
            Platform::Google => ["Email", "Phone"],
            Platform::Tiktok => ["Email_SHA256", "Phone_SHA256"],
        }
    }

    /// The phone number as the platform hashes it.
    pub fn phone_text(self, e: &phone::E164) -> String {
        match self {
            Platform::Google => e.plus(),
            Platform::Meta | Platform::Tiktok => e.digits(),
        }
    }
}

/// A SHA-256 digest.
pub type Digest32 = [u8; 32];

/// SHA-256 of `text` (UTF-8).
pub fn sha256(text: &str) -> Digest32 {
    Sha256::digest(text.as_bytes()).into()
}

/// A digest as lower-case hex.
pub fn hex(digest: &Digest32) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `text` (UTF-8) as lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    hex(&sha256(text))
}

/// The digest written as 64 hex digits (any case), if it is one.
fn from_hex(text: &str) -> Option<Digest32> {
    if !looks_hashed(text) {
        return None;
    }
    let mut out = [0u8; 32];
    for (k, pair) in text.as_bytes().chunks(2).enumerate() {
        let pair = std::str::from_utf8(pair).ok()?;
        out[k] = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// Whether `text` already is a SHA-256 digest in hex (64 hex digits, any case).
pub fn looks_hashed(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Options of an ad-platform list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileOptions {
    /// The platform.
    pub platform: Platform,
    /// The country of phone numbers written without a country code.
    pub country: Country,
}

/// A count of invalid values for one reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "MatchProblem")
)]
#[serde(rename_all = "camelCase")]
pub struct ProblemCount {
    /// Stable id of the reason (`length`, `china_pattern`, `at`, ...).
    pub problem: String,
    /// The reason in words.
    pub description: String,
    /// The reason in Chinese.
    pub description_zh: String,
    /// Values with this problem.
    pub count: u64,
}

/// An example value from the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "MatchSample")
)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    /// The member.
    pub member_id: String,
    /// The value as in the file (invalid) or normalised (duplicate).
    pub value: String,
    /// The problem id (invalid values) or the member id that had the value first (duplicates).
    pub note: String,
}

/// Quality of one match key (email or phone) over the audience.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "MatchKeyReport")
)]
#[serde(rename_all = "camelCase")]
pub struct KeyReport {
    /// The member attribute read (`None` when the members table has no such column).
    pub column: Option<String>,
    /// Members with a value.
    pub present: u64,
    /// Values normalised and hashed.
    pub valid: u64,
    /// Values that already were SHA-256 hex, passed through.
    pub already_hashed: u64,
    /// Values that cannot be used (left empty in the file).
    pub invalid: u64,
    /// Usable values that an earlier member (by member id) already had.
    pub duplicates: u64,
    /// Invalid values by reason.
    pub problems: Vec<ProblemCount>,
    /// Some invalid values.
    pub invalid_samples: Vec<Sample>,
    /// Some duplicate values.
    pub duplicate_samples: Vec<Sample>,
}

/// The match-key quality report shown before an ad-platform list is downloaded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MatchReport {
    /// `meta`, `google` or `tiktok`.
    pub platform: String,
    /// The default country of phone numbers (ISO code).
    pub default_country: String,
    /// The file's column headers.
    pub headers: Vec<String>,
    /// Members in the audience.
    pub members: u64,
    /// Rows in the file.
    pub rows: u64,
    /// Members with neither a usable email nor a usable phone (not in the file).
    pub no_key: u64,
    /// Members whose hashed keys equal an earlier row's (not in the file again).
    pub duplicate_rows: u64,
    /// Email quality.
    pub email: KeyReport,
    /// Phone quality.
    pub phone: KeyReport,
}

/// The rows of an ad-platform list (hashed email, hashed phone) with its report.
#[derive(Debug)]
pub struct ProfileRows {
    headers: Vec<String>,
    kinds: Vec<Kind>,
    /// Member and the offsets in `hex` of its two keys' 64 hex digits.
    rows: Vec<(u32, [Option<usize>; 2])>,
    /// Every written key's hex digits, one after another (one allocation, not one per key).
    hex: String,
    /// The quality report.
    pub report: MatchReport,
}

impl Rows for ProfileRows {
    fn headers(&self) -> &[String] {
        &self.headers
    }
    fn kinds(&self) -> &[Kind] {
        &self.kinds
    }
    fn len(&self) -> usize {
        self.rows.len()
    }
    fn member(&self, i: usize) -> u32 {
        self.rows[i].0
    }
    fn row(&self, i: usize) -> Vec<Value<'_>> {
        self.rows[i]
            .1
            .iter()
            .map(|h| h.map_or(Value::Null, |at| Value::Label(&self.hex[at..at + 64])))
            .collect()
    }
}

/// One member's value of a text attribute (numbers as whole numbers when integral).
fn attr_text(ds: &Dataset, field: &str, m: u32) -> Option<String> {
    match ds.attrs.get(field)? {
        Attr::Text(d) => d.get(m as usize).map(str::to_string),
        Attr::Num(v) => v[m as usize].map(|x| {
            if x.fract() == 0.0 && x.abs() < 1e15 {
                format!("{}", x as i64)
            } else {
                x.to_string()
            }
        }),
        Attr::Date(_) => None,
    }
}

/// Tallies one key over the audience.
struct Tally {
    report: KeyReport,
    problems: BTreeMap<&'static str, (crate::text::Text, u64)>,
    first: HashMap<Digest32, u32>,
}

impl Tally {
    fn new(column: Option<String>) -> Self {
        Tally {
            report: KeyReport {
                column,
                ..KeyReport::default()
            },
            problems: BTreeMap::new(),
            first: HashMap::new(),
        }
    }

    /// Hashes `raw` with `normalize`, counting what happens; the hash when usable.
    fn key(
        &mut self,
        ds: &Dataset,
        m: u32,
        raw: Option<String>,
        normalize: impl Fn(&str) -> std::result::Result<String, (&'static str, crate::text::Text)>,
    ) -> Option<Digest32> {
        let raw = raw.filter(|r| !r.trim().is_empty())?;
        let r = &mut self.report;
        r.present += 1;
        let hash = if let Some(digest) = from_hex(raw.trim()) {
            r.already_hashed += 1;
            digest
        } else {
            match normalize(&raw) {
                Ok(text) => {
                    r.valid += 1;
                    sha256(&text)
                }
                Err((id, description)) => {
                    r.invalid += 1;
                    self.problems.entry(id).or_insert((description, 0)).1 += 1;
                    if r.invalid_samples.len() < SAMPLES {
                        r.invalid_samples.push(Sample {
                            member_id: ds.id(m).to_string(),
                            value: raw,
                            note: id.to_string(),
                        });
                    }
                    return None;
                }
            }
        };
        match self.first.get(&hash) {
            Some(&first) => {
                r.duplicates += 1;
                if r.duplicate_samples.len() < SAMPLES {
                    r.duplicate_samples.push(Sample {
                        member_id: ds.id(m).to_string(),
                        value: raw.trim().to_string(),
                        note: ds.id(first).to_string(),
                    });
                }
            }
            None => {
                self.first.insert(hash, m);
            }
        }
        Some(hash)
    }

    fn finish(mut self) -> KeyReport {
        self.report.problems = self
            .problems
            .into_iter()
            .map(|(id, (description, count))| ProblemCount {
                problem: id.to_string(),
                description: description.en.to_string(),
                description_zh: description.zh.to_string(),
                count,
            })
            .collect();
        self.report
    }
}

/// The list of `members` (in this order) for `opts`, with its quality report. Reads the
/// member attributes `email` and `phone` (the roles of SPEC §1; `--map email=COLUMN` picks
/// another column); at least one must exist.
pub fn profile_rows(ds: &Dataset, members: &[u32], opts: &ProfileOptions) -> Result<ProfileRows> {
    let email_field = ds.resolve_attr("email").map(str::to_string);
    let phone_field = ds.resolve_attr("phone").map(str::to_string);
    if email_field.is_none() && phone_field.is_none() {
        return Err(Error::option(format!(
            "profile {}: the members table has no email or phone column (load one, or map it \
             with --map email=COLUMN / mapping: {{ phone: 'COLUMN' }})",
            opts.platform.name()
        )));
    }
    let platform = opts.platform;
    let mut emails = Tally::new(email_field.clone());
    let mut phones = Tally::new(phone_field.clone());
    let mut seen: HashSet<[Option<Digest32>; 2]> = HashSet::new();
    let mut hex_digits = String::new();
    let (mut no_key, mut duplicate_rows) = (0u64, 0u64);
    let mut rows = Vec::new();
    for &m in members {
        let e = email_field.as_deref().and_then(|f| attr_text(ds, f, m));
        let p = phone_field.as_deref().and_then(|f| attr_text(ds, f, m));
        let e = emails.key(ds, m, e, |raw| {
            email::normalize(raw, platform).map_err(|p: EmailProblem| (p.id(), p.describe()))
        });
        let p = phones.key(ds, m, p, |raw| {
            phone::normalize(raw, &opts.country)
                .map(|e| platform.phone_text(&e))
                .map_err(|p: PhoneProblem| (p.id(), p.describe()))
        });
        let keys = [e, p];
        if keys.iter().all(Option::is_none) {
            no_key += 1;
        } else if !seen.insert(keys) {
            duplicate_rows += 1;
        } else {
            let mut at = |k: &Option<Digest32>| {
                k.as_ref().map(|d| {
                    let offset = hex_digits.len();
                    for b in d {
                        let _ = write!(hex_digits, "{b:02x}");
                    }
                    offset
                })
            };
            rows.push((m, [at(&keys[0]), at(&keys[1])]));
        }
    }
    let headers: Vec<String> = platform.headers().iter().map(|h| h.to_string()).collect();
    let report = MatchReport {
        platform: platform.name().to_string(),
        default_country: opts.country.region.to_string(),
        headers: headers.clone(),
        members: members.len() as u64,
        rows: rows.len() as u64,
        no_key,
        duplicate_rows,
        email: emails.finish(),
        phone: phones.finish(),
    };
    Ok(ProfileRows {
        headers,
        kinds: vec![Kind::Label, Kind::Label],
        rows,
        hex: hex_digits,
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_known_vector() {
        // FIPS 180-2 appendix B.1.
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(looks_hashed(&sha256_hex("x").to_uppercase()));
        assert!(!looks_hashed("abc"));
    }
}
