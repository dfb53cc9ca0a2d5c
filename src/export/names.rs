//! Safe names for exported files and worksheets, made from segment names and column values
//! (Chinese and other non-ASCII text is kept).

use std::collections::HashSet;

/// The file name stem of a member without a value in a split export.
pub const NONE_STEM: &str = "(none)";

/// Longest file name stem, in characters (file systems allow 255 bytes; CJK takes 3 each).
const MAX_STEM_CHARS: usize = 80;

/// Names Windows reserves for devices, whatever the extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file name stem for `text`: characters that Windows, macOS or Linux refuse in file
/// names (`< > : " / \ | ? *` and control characters) become `_`, leading and trailing
/// spaces and dots are dropped, device names (`CON`, `NUL`, ...) get a `_` prefix, and the
/// stem is cut at 80 characters. Empty text gives `_`.
pub fn file_stem(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(MAX_STEM_CHARS)
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        return "_".to_string();
    }
    let base = trimmed.split('.').next().unwrap_or(trimmed);
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(base)) {
        return format!("_{trimmed}");
    }
    trimmed.to_string()
}

/// Hands out file names that differ from every name given before, ignoring case (file
/// systems on Windows and macOS do): a repeat gets ` (2)`, ` (3)`, ... before the extension.
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
}

impl UniqueNames {
    /// No name taken yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes `name` as is (a fixed name such as `summary.csv`).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_lowercase());
    }

    /// A unique `stem.ext`.
    pub fn name(&mut self, stem: &str, ext: &str) -> String {
        let mut name = format!("{stem}.{ext}");
        let mut k = 2;
        while !self.taken.insert(name.to_lowercase()) {
            name = format!("{stem} ({k}).{ext}");
            k += 1;
        }
        name
    }
}

/// A worksheet name for `text` that Excel accepts: at most 31 UTF-16 units, none of
/// `* ? : [ ] \ /` (they become `_`), not starting or ending with `'`, not blank and not
/// `History` (reserved by Excel).
pub fn sheet_name(text: &str) -> String {
    let mut name = String::new();
    let mut units = 0;
    for c in text.chars() {
        let c = match c {
            '*' | '?' | ':' | '[' | ']' | '\\' | '/' => '_',
            c if c.is_control() => '_',
            c => c,
        };
        if units + c.len_utf16() > 31 {
            break;
        }
        units += c.len_utf16();
        name.push(c);
    }
    let name = name.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    if name.is_empty() {
        "audience".to_string()
    } else if name.eq_ignore_ascii_case("history") {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_safe_and_keep_chinese() {
        assert_eq!(file_stem("导购 张三"), "导购 张三");
        assert_eq!(file_stem("a/b\\c:d*e?f\"g<h>i|j"), "a_b_c_d_e_f_g_h_i_j");
        assert_eq!(file_stem(" ..x.. "), "x");
        assert_eq!(file_stem("con"), "_con");
        assert_eq!(file_stem("Nul.txt"), "_Nul.txt");
        assert_eq!(file_stem("console"), "console");
        assert_eq!(file_stem("..."), "_");
        assert_eq!(file_stem("a\nb\tc"), "a_b_c");
        assert_eq!(file_stem(&"店".repeat(100)).chars().count(), 80);
    }

    #[test]
    fn unique_names_ignore_case() {
        let mut u = UniqueNames::new();
        u.reserve("summary.csv");
        assert_eq!(u.name("Summary", "csv"), "Summary (2).csv");
        assert_eq!(u.name("a", "csv"), "a.csv");
        assert_eq!(u.name("A", "csv"), "A (2).csv");
        assert_eq!(u.name("a", "csv"), "a (3).csv");
    }

    #[test]
    fn sheet_names_follow_excel_rules() {
        assert_eq!(
            sheet_name("win back [VIP]: 2025/6"),
            "win back _VIP__ 2025_6"
        );
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name(""), "audience");
        assert_eq!(sheet_name("History"), "History_");
        assert_eq!(sheet_name(&"会".repeat(40)).chars().count(), 31);
        // An astral character takes two UTF-16 units and does not fit in the last one.
        let long = format!("{}😀", "a".repeat(30));
        assert_eq!(sheet_name(&long), "a".repeat(30));
    }
}
