//! RFM scores (SPEC §2): quantile, ntile and threshold scoring, and segments.

use super::base::MemberBase;
use super::segments::SegmentMap;
use crate::dataset::Dataset;
use crate::error::{Error, Result};

/// The scoring methods with their labels.
pub const METHODS: [crate::text::Word; 3] = [
    crate::text::Word::new(
        "quantile",
        "Quantiles (ties share a score)",
        "分位数（并列同分）",
    ),
    crate::text::Word::new("ntile", "NTILE(5), as SQL", "NTILE(5) 五等分（同 SQL）"),
    crate::text::Word::new("thresholds", "Your own cut points", "自定义分界点"),
];

/// How scores 1-5 are assigned.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Method {
    /// `cut_k = v[ceil(k n / 5) - 1]`, score = 1 + #{k : x > cut_k}; ties share a score.
    #[default]
    Quantile,
    /// SQL `NTILE(5)` ordered by value then member id.
    Ntile,
    /// Four user cut points per metric. F and M: score = 1 + #{k : x > c_k}. R is given in
    /// days, ascending: score = 5 - #{k : recency > c_k} (recency ≤ c_1 scores 5).
    Thresholds {
        /// Recency cut points in days.
        r: [f64; 4],
        /// Frequency cut points.
        f: [f64; 4],
        /// Monetary cut points in currency units.
        m: [f64; 4],
    },
}

impl Method {
    /// Parses `quantile` or `ntile` (thresholds come with their cut points).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "quantile" => Ok(Method::Quantile),
            "ntile" => Ok(Method::Ntile),
            other => Err(Error::option(format!(
                "unknown RFM method \"{other}\" (expected quantile, ntile or thresholds)"
            ))),
        }
    }

    /// The `thresholds` method from four cut points per metric, each list non-decreasing:
    /// recency in days, frequency in purchases, monetary in currency units.
    pub fn thresholds(r: &[f64], f: &[f64], m: &[f64]) -> Result<Self> {
        let cuts = |what: &str, v: &[f64]| -> Result<[f64; 4]> {
            let arr: [f64; 4] = v.try_into().map_err(|_| {
                Error::option(format!(
                    "thresholds: {what} needs exactly 4 cut points, found {}",
                    v.len()
                ))
            })?;
            if arr.iter().any(|c| !c.is_finite()) || arr.windows(2).any(|w| w[0] > w[1]) {
                return Err(Error::option(format!(
                    "thresholds: {what} cut points must be finite and ascending, found {arr:?}"
                )));
            }
            Ok(arr)
        };
        Ok(Method::Thresholds {
            r: cuts("r (recency days)", r)?,
            f: cuts("f (frequency)", f)?,
            m: cuts("m (monetary)", m)?,
        })
    }

    /// The method's name.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Quantile => "quantile",
            Method::Ntile => "ntile",
            Method::Thresholds { .. } => "thresholds",
        }
    }
}

/// RFM scores and segments of every member (unscored members have score 0 and no segment).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rfm {
    /// R score per member (0 = no purchase).
    pub r: Vec<u8>,
    /// F score per member.
    pub f: Vec<u8>,
    /// M score per member.
    pub m: Vec<u8>,
    /// Index into the segment map per member.
    pub segment: Vec<Option<u16>>,
    /// The map the segments come from.
    pub map: SegmentMap,
}

impl Rfm {
    /// Scores every member with a purchase in `base`.
    pub fn compute(ds: &Dataset, base: &MemberBase, method: &Method, map: SegmentMap) -> Rfm {
        let n = base.frequency.len();
        let scored: Vec<usize> = (0..n).filter(|&m| base.frequency[m] > 0).collect();
        let recency: Vec<i64> = scored
            .iter()
            .map(|&m| base.recency(m).map_or(0, i64::from))
            .collect();
        let freq: Vec<i64> = scored
            .iter()
            .map(|&m| i64::from(base.frequency[m]))
            .collect();
        let money: Vec<i64> = scored.iter().map(|&m| base.monetary[m]).collect();
        let (rs, fs, ms) = match method {
            Method::Quantile => {
                let neg: Vec<i64> = recency.iter().map(|v| -v).collect();
                (
                    quantile_scores(&neg),
                    quantile_scores(&freq),
                    quantile_scores(&money),
                )
            }
            Method::Ntile => {
                let neg: Vec<i64> = recency.iter().map(|v| -v).collect();
                let ids: Vec<&str> = scored.iter().map(|&m| ds.id(m as u32)).collect();
                let rank = id_ranks(&ids);
                (
                    ntile_ranked(&neg, &rank),
                    ntile_ranked(&freq, &rank),
                    ntile_ranked(&money, &rank),
                )
            }
            Method::Thresholds { r, f, m } => (
                recency
                    .iter()
                    .map(|&v| 5 - count_above(v as f64, r))
                    .collect(),
                freq.iter().map(|&v| 1 + count_above(v as f64, f)).collect(),
                money
                    .iter()
                    .map(|&v| 1 + count_above(v as f64 / 100.0, m))
                    .collect(),
            ),
        };
        let mut out = Rfm {
            r: vec![0; n],
            f: vec![0; n],
            m: vec![0; n],
            segment: vec![None; n],
            map,
        };
        for (i, &m) in scored.iter().enumerate() {
            out.r[m] = rs[i];
            out.f[m] = fs[i];
            out.m[m] = ms[i];
            out.segment[m] = out.map.lookup(rs[i], fs[i], ms[i]).map(|s| s as u16);
        }
        out
    }
}

fn count_above(x: f64, cuts: &[f64; 4]) -> u8 {
    cuts.iter().filter(|&&c| x > c).count() as u8
}

/// Quantile scores of SPEC §2: `cut_k = v[ceil(k n / 5) - 1]` over the sorted values.
pub fn quantile_scores(values: &[i64]) -> Vec<u8> {
    let n = values.len();
    if n == 0 {
        return Vec::new();
    }
    // The four order statistics by selection (linear time), from the highest down: after
    // selecting position p, the values before p are the p smallest, where the next lower
    // position is looked for.
    let mut v = values.to_vec();
    let mut cuts = [0i64; 4];
    let mut hi = n;
    for k in (0..4).rev() {
        let p = ((k + 1) * n).div_ceil(5) - 1;
        if p >= hi {
            cuts[k] = cuts[k + 1];
            continue;
        }
        cuts[k] = *v[..hi].select_nth_unstable(p).1;
        hi = p;
    }
    values
        .iter()
        .map(|&x| 1 + cuts.iter().filter(|&&c| x > c).count() as u8)
        .collect()
}

/// `NTILE(5) OVER (ORDER BY value ASC, id ASC)`: the first `n % 5` buckets hold one more row.
pub fn ntile_scores(values: &[i64], ids: &[&str]) -> Vec<u8> {
    ntile_ranked(values, &id_ranks(ids))
}

/// The rank of each id in byte order (ties between values are broken by it).
fn id_ranks(ids: &[&str]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..ids.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| ids[a as usize].as_bytes().cmp(ids[b as usize].as_bytes()));
    let mut rank = vec![0u32; ids.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    rank
}

/// [`ntile_scores`] with the ids given as ranks.
fn ntile_ranked(values: &[i64], id_rank: &[u32]) -> Vec<u8> {
    let n = values.len();
    let mut order: Vec<(i64, u32, u32)> =
        (0..n).map(|i| (values[i], id_rank[i], i as u32)).collect();
    order.sort_unstable();
    let (size, extra) = (n / 5, n % 5);
    let mut scores = vec![0u8; n];
    let mut pos = 0;
    for bucket in 0..5 {
        let len = size + usize::from(bucket < extra);
        for &(_, _, i) in &order[pos..pos + len] {
            scores[i as usize] = bucket as u8 + 1;
        }
        pos += len;
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_ties_share_a_score() {
        assert_eq!(quantile_scores(&[1, 1, 1, 1, 1, 1]), vec![1; 6]);
        assert_eq!(quantile_scores(&[1, 2, 3, 4, 5]), vec![1, 2, 3, 4, 5]);
        assert_eq!(
            quantile_scores(&[5, 1, 1, 1, 9, 9, 9, 9, 9, 9]),
            vec![2, 1, 1, 1, 3, 3, 3, 3, 3, 3]
        );
    }

    #[test]
    fn quantile_cuts_by_selection_equal_cuts_of_the_sorted_values() {
        let mut seed = 7u64;
        for n in 1..200usize {
            let values: Vec<i64> = (0..n)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 33) % (1 + n as u64 / 3)) as i64 - 5
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let cuts: Vec<i64> = (1..=4).map(|k| sorted[(k * n).div_ceil(5) - 1]).collect();
            let want: Vec<u8> = values
                .iter()
                .map(|&x| 1 + cuts.iter().filter(|&&c| x > c).count() as u8)
                .collect();
            assert_eq!(quantile_scores(&values), want, "n = {n}");
        }
    }

    #[test]
    fn ntile_matches_sql_bucket_sizes() {
        let values = [3i64, 1, 2, 2, 5, 4, 7];
        let ids = ["g", "a", "c", "b", "e", "d", "f"];
        // n = 7: bucket sizes 2, 2, 1, 1, 1 over order a(1) b(2) c(2) g(3) d(4) e(5) f(7).
        assert_eq!(ntile_scores(&values, &ids), vec![2, 1, 2, 1, 4, 3, 5]);
    }
}
