//! Tag intersections and segment algebra against counts made naively from the CSV: tag
//! frequency, pairwise overlap and Jaccard, UpSet exclusive intersections (and that each
//! intersection's rule counts its size), saved segments, overlap and difference.

mod common;

use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::segment::tags::TagOptions;
use audience_lab::Session;
use common::*;
use std::collections::{BTreeMap, BTreeSet};

fn setup(name: &str) -> (Session, Naive) {
    let dir = generate(name, 900, 31, "en");
    (session_of(&dir), Naive::read(&dir))
}

#[test]
fn tag_report_matches_naive_counts() {
    let (mut s, naive) = setup("segment_tags");
    let ids = naive.member_ids();
    let tags_of: BTreeMap<&String, BTreeSet<String>> = ids
        .iter()
        .map(|m| (m, naive.tags(m).into_iter().collect()))
        .collect();
    let set = ["KOC", "student", "new_mom", "event_vip"];
    let opts = TagOptions {
        tags: Some(set.iter().map(|t| t.to_string()).collect()),
        top: 8,
        limit: 5,
    };
    let an = AnalysisOptions::default();
    let r = s.tags(&an, &opts, None).expect("tags");
    assert_eq!(r.members, ids.len() as u64);
    let with = |t: &str| tags_of.values().filter(|ts| ts.contains(t)).count() as u64;
    for f in &r.frequency {
        assert_eq!(f.members, with(&f.tag), "{}", f.tag);
    }
    assert!(r.frequency.windows(2).all(|w| w[0].members >= w[1].members));
    for (i, a) in set.iter().enumerate() {
        for (j, b) in set.iter().enumerate() {
            let both = tags_of
                .values()
                .filter(|ts| ts.contains(*a) && ts.contains(*b))
                .count() as u64;
            let either = tags_of
                .values()
                .filter(|ts| ts.contains(*a) || ts.contains(*b))
                .count() as u64;
            assert_eq!(r.overlap[i][j], both);
            assert!((r.jaccard[i][j] - both as f64 / either as f64).abs() < 1e-12);
        }
    }
    // Exclusive intersections: members per combination of the set's tags.
    let mut combos: BTreeMap<Vec<&str>, u64> = BTreeMap::new();
    for ts in tags_of.values() {
        let key: Vec<&str> = set.iter().copied().filter(|t| ts.contains(*t)).collect();
        if !key.is_empty() {
            *combos.entry(key).or_default() += 1;
        }
    }
    assert_eq!(r.intersection_count, combos.len() as u64);
    let mut sizes: Vec<u64> = combos.values().copied().collect();
    sizes.sort_by(|a, b| b.cmp(a));
    assert_eq!(
        r.intersections.iter().map(|x| x.size).collect::<Vec<_>>(),
        sizes[..5].to_vec()
    );
    for x in &r.intersections {
        let key: Vec<&str> = x.tags.iter().map(String::as_str).collect();
        assert_eq!(combos[&key], x.size);
        // The intersection's rule selects exactly these members.
        let seg = parse_segment(&x.rule.to_string()).expect("rule");
        assert_eq!(s.count(&seg, &an).expect("count"), x.size, "{}", x.rule);
    }
    assert_eq!(
        r.with_none,
        tags_of
            .values()
            .filter(|ts| set.iter().all(|t| !ts.contains(*t)))
            .count() as u64
    );
    let bad = TagOptions {
        tags: Some(vec!["studnet".into()]),
        ..TagOptions::default()
    };
    let e = s.tags(&an, &bad, None).expect_err("unknown tag");
    assert!(e.to_string().contains("did you mean \"student\""), "{e}");
}

#[test]
fn saved_segments_overlap_and_difference() {
    let (mut s, naive) = setup("segment_algebra");
    let an = AnalysisOptions::default();
    let koc: BTreeSet<String> = naive
        .member_ids()
        .into_iter()
        .filter(|m| naive.tags(m).iter().any(|t| t == "KOC"))
        .collect();
    let gold: BTreeSet<String> = naive
        .member_ids()
        .into_iter()
        .filter(|m| {
            naive
                .members
                .get(m)
                .is_some_and(|r| matches!(r["tier"].as_str(), "gold" | "diamond"))
        })
        .collect();
    let mut a = parse_segment(r#"{"tags":{"any":["KOC"]}}"#).expect("a");
    a.name = "koc".into();
    let mut b = parse_segment(r#"{"attr":{"column":"tier","in":["gold","diamond"]}}"#).expect("b");
    b.name = "vip".into();
    s.save_segment(a);
    s.save_segment(b);
    let ra = parse_segment(r#"{"segment":"koc"}"#).expect("ra");
    let rb = parse_segment(r#"{"segment":"vip"}"#).expect("rb");
    let o = s.overlap(&ra, &rb, &an).expect("overlap");
    let both = koc.intersection(&gold).count() as u64;
    assert_eq!(
        (o.a, o.b, o.both),
        (koc.len() as u64, gold.len() as u64, both)
    );
    assert_eq!(o.only_a, koc.len() as u64 - both);
    let d = s.difference(&ra, &rb, &an).expect("difference");
    assert_eq!(d.count, koc.difference(&gold).count() as u64);
    let again = parse_segment(&d.rule.to_string()).expect("rule");
    assert_eq!(s.count(&again, &an).expect("count"), d.count);
    // Redefining a saved segment changes what refers to it (no stale cache).
    let mut b2 = parse_segment(r#"{"attr":{"column":"tier","in":["gold"]}}"#).expect("b2");
    b2.name = "vip".into();
    s.save_segment(b2);
    let gold_only = naive
        .member_ids()
        .into_iter()
        .filter(|m| naive.members.get(m).is_some_and(|r| r["tier"] == "gold"))
        .count() as u64;
    assert_eq!(s.count(&rb, &an).expect("count"), gold_only);
    s.delete_segment("vip").expect("delete");
    let e = s.count(&rb, &an).expect_err("deleted");
    assert!(
        e.to_string().contains("unknown saved segment \"vip\""),
        "{e}"
    );
    let e = s.delete_segment("kocc").expect_err("unknown");
    assert!(e.to_string().contains("did you mean \"koc\""), "{e}");
}
