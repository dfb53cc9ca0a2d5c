//! Every input format × encoding × header language loads to the same members and orders: the
//! per-member numbers the engine reads from each file equal a naive reading (csv crate,
//! written from SPEC alone) of the English CSV of the same seed.

mod common;

use audience_lab::load::{load, LoadOptions, TableKind};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::ast::{Node, Segment};
use audience_lab::Session;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

const SEED: u64 = 5;
const MEMBERS: usize = 400;

/// member (as the English id) → (frequency, monetary cents, last purchase day, tier index,
/// sorted tags).
type Fingerprint = BTreeMap<String, (i64, i64, Option<i64>, usize, Vec<String>)>;

const TIERS_EN: [&str; 4] = ["normal", "silver", "gold", "diamond"];
const TIERS_ZH: [&str; 4] = ["普通会员", "银卡会员", "金卡会员", "钻石会员"];
const TAGS_EN: [&str; 8] = [
    "sensitive_skin",
    "KOC",
    "student",
    "new_mom",
    "discount_lover",
    "early_adopter",
    "event_vip",
    "gift_buyer",
];
const TAGS_ZH: [&str; 8] = [
    "敏感肌",
    "KOC",
    "学生",
    "宝妈",
    "价格敏感",
    "新品控",
    "活动VIP",
    "送礼",
];

/// The English id of a Chinese member id (`0008800000` → `M0000001`).
fn english_id(id: &str) -> String {
    match id.parse::<usize>() {
        Ok(n) if id.len() == 10 => format!("M{:07}", n - 8_800_000 + 1),
        _ => id.to_string(),
    }
}

fn english_tag(t: &str) -> String {
    TAGS_ZH
        .iter()
        .position(|z| *z == t)
        .map_or(t.to_string(), |i| TAGS_EN[i].to_string())
}

/// The naive reading of the English CSVs.
fn expected(dir: &Path) -> Fingerprint {
    let n = Naive::read(dir);
    let as_of = n.latest();
    n.base(as_of)
        .into_iter()
        .map(|(m, (f, cents, _, last))| {
            let tier = n
                .members
                .get(&m)
                .and_then(|r| TIERS_EN.iter().position(|t| *t == r["tier"]))
                .unwrap_or(9);
            let mut tags = n.tags(&m);
            tags.sort();
            (m, (f, cents, last, tier, tags))
        })
        .collect()
}

/// What the engine reads from a members and an orders file.
fn fingerprint(members: &Path, orders: &Path, opts: &LoadOptions) -> Fingerprint {
    let mut s = Session::new();
    let read = |p: &Path| std::fs::read(p).expect("read");
    let named = |p: &Path| LoadOptions {
        name: p.display().to_string(),
        ..opts.clone()
    };
    s.load(
        TableKind::Members,
        &read(members),
        &named(members),
        &mut |_| {},
    )
    .expect("members");
    s.load(
        TableKind::Orders,
        &read(orders),
        &named(orders),
        &mut |_| {},
    )
    .expect("orders");
    let everyone = Segment {
        version: 1,
        name: "all".into(),
        rule: Node::All(Vec::new()),
    };
    let cols: Vec<String> = ["frequency", "monetary", "last_purchase", "tier", "tags"]
        .map(String::from)
        .to_vec();
    let page = s
        .members(&everyone, &cols, 0, usize::MAX, &AnalysisOptions::default())
        .expect("members page");
    page.rows
        .into_iter()
        .map(|r| {
            let tier = TIERS_EN
                .iter()
                .chain(TIERS_ZH.iter())
                .position(|t| *t == r[4])
                .map_or(9, |i| i % 4);
            let mut tags: Vec<String> = r[5]
                .split('|')
                .filter(|t| !t.is_empty())
                .map(english_tag)
                .collect();
            tags.sort();
            let cents = (r[2].parse::<f64>().expect("monetary") * 100.0).round() as i64;
            let last = (!r[3].is_empty()).then(|| day_of(&r[3]));
            (
                english_id(&r[0]),
                // Frequency is missing (empty) without a purchase (SPEC §3).
                (
                    if r[1].is_empty() {
                        0
                    } else {
                        r[1].parse().expect("frequency")
                    },
                    cents,
                    last,
                    tier,
                    tags,
                ),
            )
        })
        .collect()
}

fn gen_format(
    name: &str,
    lang: &str,
    format: &str,
    compression: Option<&str>,
) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let mut args = vec![
        "gen",
        "--members",
        "400",
        "--seed",
        "5",
        "--lang",
        lang,
        "--format",
        format,
        "--out",
        dir.to_str().expect("path"),
    ];
    if let Some(c) = compression {
        args.extend(["--compression", c]);
    }
    assert_eq!(MEMBERS, 400);
    assert_eq!(SEED, 5);
    cli_ok(&args);
    dir
}

#[test]
fn every_format_and_language_loads_the_same_members_and_orders() {
    let base = generate("formats_base", MEMBERS, SEED, "en");
    let want = expected(&base);
    assert!(
        want.values().filter(|v| v.0 > 0).count() > 200,
        "the sample has buyers"
    );
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("csv", "csv", None),
        ("xlsx", "xlsx", None),
        ("parquet", "parquet", Some("snappy")),
        ("parquet", "parquet", Some("gzip")),
        ("parquet", "parquet", Some("lz4")),
        ("parquet", "parquet", Some("zstd")),
        ("parquet", "parquet", Some("brotli")),
        ("parquet", "parquet", Some("none")),
        ("arrow", "arrow", None),
        ("arrow-stream", "arrows", None),
        ("ndjson", "ndjson", None),
    ];
    for lang in ["en", "zh"] {
        for (format, ext, codec) in cases {
            let dir = gen_format(
                &format!("formats_{lang}_{format}_{}", codec.unwrap_or("")),
                lang,
                format,
                *codec,
            );
            let got = fingerprint(
                &dir.join(format!("members.{ext}")),
                &dir.join(format!("orders.{ext}")),
                &LoadOptions::default(),
            );
            assert_eq!(got.len(), want.len(), "{lang} {format} {codec:?}: members");
            for (m, v) in &want {
                assert_eq!(got.get(m), Some(v), "{lang} {format} {codec:?}: member {m}");
            }
        }
    }
}

/// Re-writes a UTF-8 CSV with another delimiter (through the csv crate, so quoting is right).
fn with_delimiter(text: &str, delimiter: u8) -> String {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    for rec in r.records() {
        w.write_record(&rec.expect("record")).expect("write");
    }
    String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
}

fn encode(text: &str, encoding: &str) -> Vec<u8> {
    match encoding {
        "utf-8" => text.as_bytes().to_vec(),
        "utf-8-bom" => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        "gbk" => encoding_rs::GBK.encode(text).0.into_owned(),
        "utf-16le" => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        "utf-16be" => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        other => panic!("encoding {other}"),
    }
}

#[test]
fn every_encoding_and_delimiter_of_chinese_text_loads_the_same() {
    let zh = generate("formats_zh_text", MEMBERS, SEED, "zh");
    let base = generate("formats_base_enc", MEMBERS, SEED, "en");
    let want = expected(&base);
    let decode = |p: &Path| {
        encoding_rs::GBK
            .decode(&std::fs::read(p).expect("read"))
            .0
            .into_owned()
    };
    let (members, orders) = (
        decode(&zh.join("members.csv")),
        decode(&zh.join("orders.csv")),
    );
    assert!(
        orders.starts_with("订单编号,会员编号,下单时间,实付金额"),
        "Chinese headers"
    );
    let dir = temp_dir("formats_encodings");
    for encoding in ["utf-8", "utf-8-bom", "gbk", "utf-16le", "utf-16be"] {
        for (delimiter, name) in [
            (b',', "comma"),
            (b'\t', "tab"),
            (b';', "semicolon"),
            (b'|', "pipe"),
        ] {
            let write = |table: &str, text: &str| {
                let p = dir.join(format!("{table}_{encoding}_{name}.csv"));
                std::fs::write(&p, encode(&with_delimiter(text, delimiter), encoding))
                    .expect("write");
                p
            };
            let (m, o) = (write("members", &members), write("orders", &orders));
            let report = load(
                TableKind::Orders,
                &std::fs::read(&o).expect("read"),
                &LoadOptions::default(),
                &mut |_| {},
            )
            .expect("load")
            .report;
            let want_encoding = if encoding == "gbk" {
                "gb18030"
            } else {
                encoding
            };
            assert_eq!(
                report.encoding, want_encoding,
                "{encoding} {name}: {}",
                report.encoding_evidence
            );
            let want_delim = match delimiter {
                b'\t' => "tab",
                b';' => ";",
                b'|' => "|",
                _ => ",",
            };
            assert_eq!(report.delimiter, want_delim, "{encoding} {name}");
            assert_eq!(
                fingerprint(&m, &o, &LoadOptions::default()),
                want,
                "{encoding} {name}"
            );
        }
    }
}

#[test]
fn chunk_boundaries_never_change_what_loads() {
    let zh = generate("formats_chunks", 60, 9, "zh");
    let bytes = std::fs::read(zh.join("orders.csv")).expect("read");
    let whole = load(
        TableKind::Orders,
        &bytes,
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("whole");
    for chunk in [1usize, 2, 3, 7, 64, 1000, 65_536] {
        let mut l = audience_lab::load::Loader::new(TableKind::Orders, &LoadOptions::default())
            .expect("loader");
        for c in bytes.chunks(chunk) {
            l.push(c).expect("push");
        }
        let t = l.finish(&mut |_| {}).expect("finish");
        assert_eq!(t.report, whole.report, "chunk {chunk}");
        assert_eq!(t.batches, whole.batches, "chunk {chunk}");
    }
}
