//! RFM from the CLI against a naive computation of SPEC §2 on generated exports.

mod common;

use common::*;
use std::collections::BTreeMap;

/// member_id → (recency, frequency, monetary cents, r, f, m, segment), for members with a purchase.
type Expected = BTreeMap<String, (i64, i64, i64, u8, u8, u8, String)>;

/// (member_id, recency, frequency, monetary cents) of a buyer.
type Buyer = (String, i64, i64, i64);

fn naive_rfm(n: &Naive, as_of: i64, ntile: bool) -> Expected {
    let base: Vec<Buyer> = n
        .base(as_of)
        .into_iter()
        .filter(|(_, b)| b.0 > 0)
        .map(|(m, b)| (m, as_of - b.3.expect("last"), b.0, b.1))
        .collect();
    let score = |pick: &dyn Fn(&Buyer) -> i64| -> Vec<u8> {
        let values: Vec<i64> = base.iter().map(pick).collect();
        if !ntile {
            return values.iter().map(|&x| quantile_score(x, &values)).collect();
        }
        // NTILE(5): rows ordered by value then member id; the first n % 5 buckets get one more.
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].cmp(&values[b]).then(base[a].0.cmp(&base[b].0)));
        let n = values.len();
        let mut scores = vec![0u8; n];
        let mut start = 0;
        for bucket in 0..5 {
            let size = n / 5 + usize::from(bucket < n % 5);
            for &i in &order[start..start + size] {
                scores[i] = bucket as u8 + 1;
            }
            start += size;
        }
        scores
    };
    let r = score(&|b| -b.1);
    let f = score(&|b| b.2);
    let m = score(&|b| b.3);
    base.iter()
        .enumerate()
        .map(|(i, b)| {
            (
                b.0.clone(),
                (
                    b.1,
                    b.2,
                    b.3,
                    r[i],
                    f[i],
                    m[i],
                    default_segment(r[i], f[i]).to_string(),
                ),
            )
        })
        .collect()
}

fn cli_rfm(dir: &std::path::Path, extra: &[&str]) -> Expected {
    let out = dir.join(format!("rfm{}.csv", extra.join("")));
    let orders = dir.join("orders.csv");
    let members = dir.join("members.csv");
    let mut args = vec![
        "rfm",
        "--orders",
        orders.to_str().expect("path"),
        "--members",
        members.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ];
    args.extend_from_slice(extra);
    cli_ok(&args);
    let (headers, rows) = read_csv(&out);
    assert_eq!(
        headers,
        [
            "member_id",
            "recency_days",
            "frequency",
            "monetary",
            "r",
            "f",
            "m",
            "segment"
        ]
    );
    let ids: Vec<&String> = rows.iter().map(|r| &r[0]).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rows sorted by member_id");
    rows.into_iter()
        .map(|r| {
            let cents = (r[3].parse::<f64>().expect("monetary") * 100.0).round() as i64;
            let p = |i: usize| r[i].parse::<i64>().expect("int");
            let s = |i: usize| r[i].parse::<u8>().expect("score");
            (
                r[0].clone(),
                (p(1), p(2), cents, s(4), s(5), s(6), r[7].clone()),
            )
        })
        .collect()
}

#[test]
fn quantile_rfm_matches_naive_spec_computation() {
    for (seed, members) in [(1, 400), (7, 3000)] {
        let dir = generate(&format!("rfm_q_{seed}"), members, seed, "en");
        let naive = Naive::read(&dir);
        let want = naive_rfm(&naive, naive.latest(), false);
        let got = cli_rfm(&dir, &[]);
        assert!(want.len() > members / 2, "most members bought something");
        assert_eq!(got, want, "seed {seed}");
    }
}

#[test]
fn ntile_rfm_matches_naive_spec_computation() {
    let dir = generate("rfm_ntile", 1500, 11, "en");
    let naive = Naive::read(&dir);
    assert_eq!(
        cli_rfm(&dir, &["--method", "ntile"]),
        naive_rfm(&naive, naive.latest(), true)
    );
}

#[test]
fn as_of_excludes_later_orders() {
    let dir = generate("rfm_asof", 1000, 5, "en");
    let naive = Naive::read(&dir);
    let as_of = "2024-12-31";
    assert_eq!(
        cli_rfm(&dir, &["--as-of", as_of]),
        naive_rfm(&naive, day_of(as_of), false)
    );
}

#[test]
fn chinese_gbk_export_gives_the_same_rfm_as_the_english_one() {
    // The same seed generates the same shop in both languages; only formats differ
    // (GBK, Chinese headers, ￥1,299.00, 2024/3/5 14:03, ids without the M prefix).
    let en = generate("rfm_en", 800, 21, "en");
    let zh = generate("rfm_zh", 800, 21, "zh");
    let strip = |e: Expected| e.into_values().collect::<Vec<_>>();
    let zh_rfm = cli_rfm(&zh, &[]);
    assert!(
        zh_rfm
            .keys()
            .all(|id| id.len() == 10 && id.starts_with("000880")),
        "leading zeros kept"
    );
    assert_eq!(strip(zh_rfm), strip(cli_rfm(&en, &[])));
}
