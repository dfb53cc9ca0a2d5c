//! Ad-platform lists (Meta, Google, TikTok) against hashes computed independently by
//! tests/ads/vectors.py (libphonenumber for E.164, hashlib for SHA-256), and saved segment
//! libraries used by the CLI.

mod common;

use common::{cli_ok, generate, temp_dir};
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const ALL: &str = r#"{"version":1,"name":"everyone","rule":{"lifecycle":["prospect","new","active","dormant","churned"]}}"#;

fn ads_dir() -> PathBuf {
    let dir = temp_dir("export-ads");
    std::fs::write(
        dir.join("orders.csv"),
        "order_id,member_id,order_time,paid_amount\no1,m01,2025-01-02 10:00:00,10.00\n",
    )
    .expect("orders");
    std::fs::write(dir.join("rule.json"), ALL).expect("rule");
    dir
}

/// Runs `export --profile` and returns (file text, match report).
fn profile(dir: &Path, platform: &str) -> (String, Value) {
    let members = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ads/members.csv");
    let out = dir.join(format!("{platform}.csv"));
    let stdout = cli_ok(&[
        "export",
        "--orders",
        dir.join("orders.csv").to_str().expect("path"),
        "--members",
        members.to_str().expect("path"),
        "--rule",
        dir.join("rule.json").to_str().expect("path"),
        "--profile",
        platform,
        "--out",
        out.to_str().expect("path"),
    ]);
    let text = std::fs::read_to_string(out).expect("list");
    (text, serde_json::from_str(&stdout).expect("report JSON"))
}

#[test]
fn hashed_lists_match_independent_vectors() {
    let dir = ads_dir();
    let vectors: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ads/vectors.json"),
        )
        .expect("vectors"),
    )
    .expect("vectors JSON");
    let raw =
        common::read_csv(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ads/members.csv")).1;
    for (platform, headers) in [
        ("meta", "email,phone"),
        ("google", "Email,Phone"),
        ("tiktok", "Email_SHA256,Phone_SHA256"),
    ] {
        let members = vectors[platform].as_array().expect("members");
        // Rows in member id order; members without a usable key and repeated key pairs left out.
        let mut seen = HashSet::new();
        let mut want = vec![headers.to_string()];
        for m in members {
            let e = m["email"].as_str().unwrap_or("");
            let p = m["phone"].as_str().unwrap_or("");
            if (e, p) != ("", "") && seen.insert((e, p)) {
                want.push(format!("{e},{p}"));
            }
        }
        let (text, report) = profile(&dir, platform);
        assert!(
            !text.starts_with('\u{feff}'),
            "{platform}: no BOM in an upload file"
        );
        let got: Vec<&str> = text.lines().collect();
        assert_eq!(got, want, "{platform}");
        for h in got.iter().skip(1).flat_map(|l| l.split(',')) {
            assert!(
                h.is_empty() || (h.len() == 64 && h == h.to_lowercase()),
                "{h}"
            );
        }

        // The report counts what the vectors say: present, already hashed, invalid.
        for (key, raw_col) in [("email", 1), ("phone", 2)] {
            let norm = format!("{key}_normalised");
            let (mut present, mut hashed, mut invalid) = (0, 0, 0);
            for (m, r) in members.iter().zip(&raw) {
                let v = r[raw_col].trim();
                if v.is_empty() {
                    continue;
                }
                present += 1;
                if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) {
                    hashed += 1;
                } else if m[&norm].is_null() {
                    invalid += 1;
                }
            }
            let k = &report[key];
            assert_eq!(k["present"], present, "{platform} {key} present");
            assert_eq!(k["alreadyHashed"], hashed, "{platform} {key} hashed");
            assert_eq!(k["invalid"], invalid, "{platform} {key} invalid");
            assert_eq!(
                k["valid"],
                present - hashed - invalid,
                "{platform} {key} valid"
            );
        }
        assert_eq!(report["members"], members.len());
        assert_eq!(report["rows"], want.len() - 1);
        assert_eq!(
            report["headers"],
            serde_json::json!(headers.split(',').collect::<Vec<_>>())
        );
    }
}

#[test]
fn a_rule_may_name_segments_of_a_library() {
    let dir = generate("export-library", 200, 13, "en");
    let lib = dir.join("library.json");
    std::fs::write(
        &lib,
        r#"{"version":1,"segments":[
            {"version":1,"name":"buyers","rule":{"metric":{"name":"frequency","gte":2}}},
            {"version":1,"name":"gold","rule":{"attr":{"column":"tier","in":["gold"]}}}]}"#,
    )
    .expect("library");
    let named = dir.join("named.json");
    std::fs::write(
        &named,
        r#"{"version":1,"name":"x","rule":{"all":[{"segment":"buyers"},{"segment":"gold"}]}}"#,
    )
    .expect("rule");
    let inline = dir.join("inline.json");
    std::fs::write(
        &inline,
        r#"{"version":1,"name":"x","rule":{"all":[{"metric":{"name":"frequency","gte":2}},
            {"attr":{"column":"tier","in":["gold"]}}]}}"#,
    )
    .expect("rule");
    let run = |rule: &Path, extra: &[&str], out: &str| {
        let out = dir.join(out);
        let mut args = vec![
            "export",
            "--orders",
            dir.join("orders.csv").to_str().expect("path"),
            "--members",
            dir.join("members.csv").to_str().expect("path"),
            "--rule",
            rule.to_str().expect("path"),
            "--out",
            out.to_str().expect("path"),
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cli_ok(&args);
        std::fs::read(out).expect("written")
    };
    let a = run(&named, &["--library", lib.to_str().expect("path")], "a.csv");
    let b = run(&inline, &[], "b.csv");
    assert_eq!(a, b);
    assert!(a.len() > 100, "a non-empty audience");
}
