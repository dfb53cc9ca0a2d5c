//! Buyers of platform-shaped exports (SPEC §1.1): a deterministic generator and what the
//! engine says of each buyer (purchases, net amount, last purchase), compared with what the
//! model that wrote a file implies.
#![allow(dead_code)]

use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::Session;
use std::collections::BTreeMap;

/// A small deterministic generator.
pub struct Rng(pub u64);

impl Rng {
    /// The next number below `n`.
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// What the engine should say of each member: purchases, net cents, last purchase day.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Expected {
    /// Purchases (amount > 0).
    pub purchases: u64,
    /// Net amount in cents.
    pub net_cents: i64,
    /// The last purchase day.
    pub last: String,
}

/// Every buyer's (purchases, net cents, last purchase) as the engine's member columns give
/// them, by member id.
pub fn engine_view(s: &mut Session) -> BTreeMap<String, Expected> {
    let buyers = parse_segment(r#"{"metric": {"name": "frequency", "gte": 1}}"#).expect("rule");
    let cols: Vec<String> = ["frequency", "monetary", "last_purchase"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    let page = s
        .members(&buyers, &cols, 0, 100_000, &AnalysisOptions::default())
        .expect("members");
    page.rows
        .iter()
        .map(|r| {
            let net: f64 = r[2].parse().expect("monetary");
            (
                r[0].clone(),
                Expected {
                    purchases: r[1].parse().expect("frequency"),
                    net_cents: (net * 100.0).round() as i64,
                    last: r[3].clone(),
                },
            )
        })
        .collect()
}

/// Day `d` of 2024 as YYYY-MM-DD.
pub fn day(d: u64) -> String {
    // Days of 2024 from January 1st, as YYYY-MM-DD.
    let months = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut m, mut left) = (0usize, d);
    while left >= months[m] {
        left -= months[m];
        m += 1;
    }
    format!("2024-{:02}-{:02}", m + 1, left + 1)
}

/// Adds an order (a refund when negative) of `key` on day `created` to the expectation.
pub fn add(expected: &mut BTreeMap<String, Expected>, key: &str, cents: i64, created: &str) {
    let e = expected.entry(key.to_string()).or_default();
    e.net_cents += cents;
    if cents > 0 {
        e.purchases += 1;
        if created > e.last.as_str() {
            e.last = created.to_string();
        }
    }
}
