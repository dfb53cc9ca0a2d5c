//! Fuzz target: role detection from headers, sample values and a mapping. The input is text:
//! the first byte picks the table kind and leniency, the first line holds comma-separated
//! headers, lines starting with `@` are `role=column` mapping entries, the others sample rows.
#![no_main]

use audience_lab::load::cell::OwnedCell;
use audience_lab::load::roles::assign_roles;
use audience_lab::load::TableKind;
use std::collections::BTreeMap;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let kind = [TableKind::Orders, TableKind::Members, TableKind::MemberTags][first as usize % 3];
    let lenient = first & 4 != 0;
    let text = String::from_utf8_lossy(rest);
    let mut lines = text.split('\n');
    let headers: Vec<String> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::to_string)
        .collect();
    let mut mapping = BTreeMap::new();
    let mut sample = Vec::new();
    for line in lines {
        if let Some(entry) = line.strip_prefix('@') {
            let (role, column) = entry.split_once('=').unwrap_or((entry, ""));
            mapping.insert(role.to_string(), column.to_string());
        } else {
            sample.push(
                line.split(',')
                    .map(|c| OwnedCell::Str(c.to_string()))
                    .collect::<Vec<_>>(),
            );
        }
    }
    if let Ok(assigned) = assign_roles(kind, &headers, &sample, &mapping, "fuzz", lenient) {
        let mut columns: Vec<usize> = assigned.iter().map(|a| a.column).collect();
        let mut roles: Vec<&str> = assigned.iter().map(|a| a.role).collect();
        columns.sort_unstable();
        roles.sort_unstable();
        let (nc, nr) = (columns.len(), roles.len());
        columns.dedup();
        roles.dedup();
        assert_eq!(columns.len(), nc, "a column got two roles: {assigned:?}");
        assert_eq!(roles.len(), nr, "a role got two columns: {assigned:?}");
        assert!(columns.iter().all(|&c| c < headers.len()));
    }
});
