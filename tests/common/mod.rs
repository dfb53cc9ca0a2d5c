//! Test support: the CLI binary, generated sample files, and a naive reference model of
//! SPEC §2 computed straight from the English CSV, independent of the engine's loader.
#![allow(dead_code)]

pub mod typed;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the CLI with `args`.
pub fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_audience-lab"))
        .args(args)
        .output()
        .expect("run audience-lab")
}

/// Runs the CLI and insists on success.
pub fn cli_ok(args: &[&str]) -> String {
    let out = cli(args);
    assert!(
        out.status.success(),
        "audience-lab {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh temporary folder under target/.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A session with the members and orders of a generated folder loaded.
pub fn session_of(dir: &Path) -> audience_lab::Session {
    use audience_lab::load::{LoadOptions, TableKind};
    let mut s = audience_lab::Session::new();
    for (kind, file) in [
        (TableKind::Members, "members.csv"),
        (TableKind::Orders, "orders.csv"),
    ] {
        let bytes = std::fs::read(dir.join(file)).expect("read");
        s.load(kind, &bytes, &LoadOptions::default(), &mut |_| {})
            .expect("load");
    }
    s
}

/// Generates sample exports and returns the folder.
pub fn generate(name: &str, members: usize, seed: u64, lang: &str) -> PathBuf {
    let dir = temp_dir(name);
    cli_ok(&[
        "gen",
        "--members",
        &members.to_string(),
        "--seed",
        &seed.to_string(),
        "--lang",
        lang,
        "--out",
        dir.to_str().expect("utf-8 path"),
    ]);
    dir
}

/// Reads a CSV file into header + rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("open csv");
    let headers = r
        .headers()
        .expect("headers")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("record").iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

/// One order of the naive model.
#[derive(Debug, Clone)]
pub struct Order {
    pub member: Option<String>,
    pub day: i64,
    pub cents: i64,
    pub items: i64,
    pub discount: i64,
    pub cols: BTreeMap<String, String>,
}

/// A naive reading of the English sample files, written from SPEC alone.
#[derive(Debug, Clone)]
pub struct Naive {
    pub orders: Vec<Order>,
    pub members: BTreeMap<String, BTreeMap<String, String>>,
}

/// Days since 1970-01-01 of `YYYY-MM-DD...` (civil-from-days, Howard Hinnant's algorithm).
pub fn day_of(s: &str) -> i64 {
    let y: i64 = s[0..4].parse().expect("year");
    let m: i64 = s[5..7].parse().expect("month");
    let d: i64 = s[8..10].parse().expect("day");
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn cents(s: &str) -> i64 {
    let v: f64 = s.parse().expect("amount");
    (v * 100.0).round() as i64
}

impl Naive {
    /// Reads `orders.csv` and `members.csv` of an English sample folder.
    pub fn read(dir: &Path) -> Naive {
        let (oh, orows) = read_csv(&dir.join("orders.csv"));
        let col = |name: &str| oh.iter().position(|h| h == name).expect("column");
        let mut orders = Vec::new();
        for r in orows {
            let status = r[col("status")].as_str();
            if status == "cancelled" {
                continue;
            }
            let mut c = cents(&r[col("paid_amount")]);
            if status == "refunded" {
                c = -c.abs();
            }
            let member = Some(r[col("member_id")].clone()).filter(|m| !m.is_empty());
            let cols = ["channel", "store", "guide", "brand", "category"]
                .iter()
                .map(|k| (k.to_string(), r[col(k)].clone()))
                .collect();
            let discount = r[col("discount_amount")].as_str();
            orders.push(Order {
                member,
                day: day_of(&r[col("order_time")]),
                cents: c,
                items: r[col("items")].parse().expect("items"),
                discount: if discount.is_empty() {
                    0
                } else {
                    cents(discount)
                },
                cols,
            });
        }
        let (mh, mrows) = read_csv(&dir.join("members.csv"));
        let members = mrows
            .into_iter()
            .map(|r| (r[0].clone(), mh.iter().cloned().zip(r).collect()))
            .collect();
        Naive { orders, members }
    }

    /// The latest order day.
    pub fn latest(&self) -> i64 {
        self.orders.iter().map(|o| o.day).max().expect("orders")
    }

    /// Every member id (members table and orders).
    pub fn member_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.members.keys().cloned().collect();
        ids.extend(self.orders.iter().filter_map(|o| o.member.clone()));
        ids.sort();
        ids.dedup();
        ids
    }

    /// (frequency, monetary cents, first purchase day, last purchase day) per member at `as_of`.
    pub fn base(&self, as_of: i64) -> BTreeMap<String, (i64, i64, Option<i64>, Option<i64>)> {
        let mut out: BTreeMap<String, (i64, i64, Option<i64>, Option<i64>)> = self
            .member_ids()
            .into_iter()
            .map(|m| (m, (0, 0, None, None)))
            .collect();
        for o in self.orders.iter().filter(|o| o.day <= as_of) {
            let Some(m) = &o.member else { continue };
            let e = out.get_mut(m).expect("member");
            e.1 += o.cents;
            if o.cents > 0 {
                e.0 += 1;
                e.2 = Some(e.2.map_or(o.day, |d: i64| d.min(o.day)));
                e.3 = Some(e.3.map_or(o.day, |d: i64| d.max(o.day)));
            }
        }
        out
    }

    /// Lifecycle stage per member with the default thresholds.
    pub fn stages(&self, as_of: i64) -> BTreeMap<String, &'static str> {
        self.base(as_of)
            .into_iter()
            .map(|(m, (_, _, first, last))| {
                let stage = match (first, last) {
                    (Some(f), Some(_)) if as_of - f < 30 => "new",
                    (Some(_), Some(l)) if as_of - l < 90 => "active",
                    (Some(_), Some(l)) if as_of - l < 180 => "dormant",
                    (Some(_), Some(_)) => "churned",
                    _ => "prospect",
                };
                (m, stage)
            })
            .collect()
    }

    /// Tags of a member (split on `|`).
    pub fn tags(&self, m: &str) -> Vec<String> {
        self.members.get(m).map_or(Vec::new(), |r| {
            r["tags"]
                .split('|')
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect()
        })
    }
}

/// SPEC §2 quantile score of `x` among `values`, the formula applied literally.
pub fn quantile_score(x: i64, values: &[i64]) -> u8 {
    let mut v = values.to_vec();
    v.sort();
    let n = v.len();
    let mut score = 1;
    for k in 1..=4usize {
        let idx = ((k * n) as f64 / 5.0).ceil() as usize - 1;
        if x > v[idx] {
            score += 1;
        }
    }
    score
}

/// The default segment of SPEC §2's table.
pub fn default_segment(r: u8, f: u8) -> &'static str {
    match (r, f) {
        (5, 4..=5) => "champions",
        (3..=4, 4..=5) => "loyal",
        (4..=5, 2..=3) => "potential_loyalist",
        (5, 1) => "new",
        (4, 1) => "promising",
        (3, 3) => "need_attention",
        (3, 1..=2) => "about_to_sleep",
        (1..=2, 5) => "cant_lose",
        (1..=2, 3..=4) => "at_risk",
        (1..=2, 1..=2) => "hibernating",
        _ => "unmapped",
    }
}
