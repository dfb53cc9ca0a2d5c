//! The crate's modules form layers: data walks one way, bytes → `load` → `dataset` →
//! `metrics` / `segment` → `export`, and no module uses a module that uses it back. This test
//! reads every `crate::` (and, inside `load/`, `super::`) path of the sources, builds the
//! graph between top-level modules and between the modules of `load/`, and fails on a cycle,
//! naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The `.rs` files below `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The code of a file without comments (doc links name modules too) and string literals.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") {
                ""
            } else {
                l.split("//").next().unwrap_or("")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module names a path prefix (`crate::`, `super::`) is followed by in `code`, including
/// every name of a `prefix{a, b::c}` group.
fn targets(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices(prefix) {
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let body = group.split('}').next().unwrap_or("");
            for part in body.split(',') {
                let name = ident(part.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// A cycle of `g`, if any, as the path around it.
fn cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(
        g: &Graph,
        n: &str,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m.as_str()) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut c = stack[at..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(g, m, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if !state.contains_key(n.as_str()) {
            if let Some(c) = visit(g, n, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// The graphs of the crate: between top-level modules, and between the modules of `load/`.
fn graphs() -> (Graph, Graph) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let top_modules: BTreeSet<String> = std::fs::read_dir(&src)
        .expect("src")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let name = p.file_stem()?.to_str()?.to_string();
            (name != "lib" && name != "bin").then_some(name)
        })
        .collect();
    let load_modules: BTreeSet<String> = std::fs::read_dir(src.join("load"))
        .expect("src/load")
        .filter_map(|e| Some(e.ok()?.path().file_stem()?.to_str()?.to_string()))
        .filter(|n| n != "mod")
        .collect();
    let (mut top, mut load) = (Graph::new(), Graph::new());
    for path in sources(&src) {
        let rel = path.strip_prefix(&src).expect("under src");
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if parts[0] == "bin" || parts[0] == "lib" {
            continue;
        }
        let text = code(&std::fs::read_to_string(&path).expect("read"));
        let module = parts[0].clone();
        let uses = targets(&text, "crate::");
        for t in uses
            .iter()
            .filter(|t| top_modules.contains(*t) && **t != module)
        {
            top.entry(module.clone()).or_default().insert(t.clone());
        }
        top.entry(module.clone()).or_default();
        if module == "load" && parts.len() > 1 && parts[1] != "mod" {
            // `load/builder/columns.rs` is part of `builder`.
            let own = parts[1].clone();
            let mut names = targets(&text, "super::");
            names.extend(targets(&text, "crate::load::"));
            for t in names
                .iter()
                .filter(|t| load_modules.contains(*t) && **t != own)
            {
                load.entry(own.clone()).or_default().insert(t.clone());
            }
            load.entry(own).or_default();
        }
    }
    (top, load)
}

#[test]
fn no_module_uses_a_module_that_uses_it_back() {
    let (top, load) = graphs();
    assert!(
        top.contains_key("load") && top.contains_key("export"),
        "{top:?}"
    );
    if let Some(c) = cycle(&top) {
        panic!("a cycle between top-level modules: {}", c.join(" → "));
    }
    assert!(
        load.contains_key("builder") && load.contains_key("roles"),
        "{load:?}"
    );
    if let Some(c) = cycle(&load) {
        panic!("a cycle between the modules of load/: {}", c.join(" → "));
    }
}

#[test]
fn data_walks_one_way() {
    let (top, _) = graphs();
    // The layers, lowest first: a module may use its own layer's lower neighbours and
    // anything below, never above.
    let layers: &[&[&str]] = &[
        &["error", "suggest", "memory", "text", "phone"],
        &["load"],
        &["dataset", "dialect"],
        &["metrics"],
        &["catalog"],
        &["segment"],
        &["export", "campaign"],
        &["vocabulary", "api", "session"],
        // The generator runs a campaign on its own history through a session.
        &["wasm", "gen"],
    ];
    let layer_of = |m: &str| layers.iter().position(|l| l.contains(&m));
    for (m, uses) in &top {
        let Some(lm) = layer_of(m) else {
            panic!("module {m} is in no layer: add it to this test's list");
        };
        for u in uses {
            let lu = layer_of(u).unwrap_or(usize::MAX);
            assert!(
                lu <= lm,
                "{m} (layer {lm}) uses {u} (layer {lu}), which is above it"
            );
        }
    }
}

#[test]
fn the_checker_finds_a_cycle() {
    let mut g = Graph::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    assert_eq!(cycle(&g), None);
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        cycle(&g).map(|c| c.join(" → ")),
        Some("a → b → c → a".to_string())
    );
    let code = "use crate::{metrics::kpi, export};\nlet x = super::read::coerce(); // crate::wasm";
    let found = targets(&code_of(code), "crate::");
    assert_eq!(
        found,
        ["export", "metrics"]
            .map(String::from)
            .into_iter()
            .collect()
    );
}

fn code_of(text: &str) -> String {
    code(text)
}
