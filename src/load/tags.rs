//! Tag lists in one cell (SPEC §1): split on `,` `;` `|` `、` `，` (and `；`), trimmed, empty
//! and repeated tags dropped.

/// Splits a tags cell.
pub fn split_tags(cell: &str) -> impl Iterator<Item = &str> {
    let mut seen: Vec<&str> = Vec::new();
    cell.split([',', ';', '|', '、', '，', '；'])
        .map(str::trim)
        .filter(move |t| {
            if t.is_empty() || seen.contains(t) {
                return false;
            }
            seen.push(t);
            true
        })
}

/// Whether a cell looks like a tag list: it contains a tag delimiter between short values.
pub fn looks_like_tag_list(cell: &str) -> bool {
    let parts: Vec<&str> = split_tags(cell).collect();
    parts.len() >= 2 && parts.iter().all(|p| p.chars().count() <= 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_every_delimiter() {
        let tags: Vec<&str> = split_tags(" 敏感肌、KOC，VIP;a|b , ,KOC").collect();
        assert_eq!(tags, ["敏感肌", "KOC", "VIP", "a", "b"]);
        assert!(looks_like_tag_list("敏感肌|KOC"));
        assert!(!looks_like_tag_list("plain"));
    }
}
