//! File formats, detected from content (magic bytes and structure), never from the name.

use serde::Serialize;

/// A supported input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Delimited text: CSV, TSV, semicolon or pipe separated.
    Csv,
    /// An Excel workbook (Office Open XML).
    Xlsx,
    /// Apache Parquet.
    Parquet,
    /// Arrow IPC file (Feather v2).
    ArrowFile,
    /// Arrow IPC stream.
    ArrowStream,
    /// Newline-delimited JSON objects.
    Ndjson,
}

impl Format {
    /// The name shown in load reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
            Format::ArrowFile => "arrow",
            Format::ArrowStream => "arrow-stream",
            Format::Ndjson => "ndjson",
        }
    }

    /// Parses a format name (for overrides).
    pub fn parse(s: &str) -> Option<Format> {
        [
            Format::Csv,
            Format::Xlsx,
            Format::Parquet,
            Format::ArrowFile,
            Format::ArrowStream,
            Format::Ndjson,
        ]
        .into_iter()
        .find(|f| {
            f.name() == s
                || (s == "tsv" && *f == Format::Csv)
                || (s == "ipc" && *f == Format::ArrowFile)
        })
    }
}

/// Detects the format of `bytes`.
pub fn detect(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PAR1") {
        Format::Parquet
    } else if bytes.starts_with(b"ARROW1") {
        Format::ArrowFile
    } else if bytes.starts_with(&[0xFF, 0xFF, 0xFF, 0xFF]) && bytes.len() > 8 {
        Format::ArrowStream
    } else if bytes.starts_with(b"PK\x03\x04") {
        Format::Xlsx
    } else if looks_like_ndjson(bytes) {
        Format::Ndjson
    } else {
        Format::Csv
    }
}

/// Why the head of a file is not text, if it is not: a known binary signature, or many
/// control bytes.
pub fn not_text(head: &[u8]) -> Option<String> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"\x1F\x8B", "a gzip-compressed file (decompress it first)"),
        (b"BZh", "a bzip2-compressed file (decompress it first)"),
        (
            b"\xD0\xCF\x11\xE0",
            "an old Excel (.xls) workbook (save it as .xlsx or CSV)",
        ),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"Rar!", "a RAR archive"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| head.starts_with(sig)) {
        return Some(format!("this is {what}, not a table"));
    }
    let sample = &head[..head.len().min(64 * 1024)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    if sample.len() >= 16 && control * 20 > sample.len() {
        return Some(format!(
            "this is not text: {}% of the first bytes are control characters (expected CSV, XLSX, Parquet, Arrow or NDJSON)",
            control * 100 / sample.len()
        ));
    }
    // Neither UTF-8 nor GB18030: text in any encoding decodes without many errors.
    if std::str::from_utf8(sample).is_err_and(|e| e.error_len().is_some()) {
        let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(sample);
        let chars = text.chars().count().max(1);
        let bad = text.chars().filter(|&c| c == '\u{fffd}').count();
        if bad * 50 > chars {
            return Some(format!(
                "this is not text: {bad} of the first {chars} characters cannot be decoded as UTF-8 or GB18030"
            ));
        }
    }
    None
}

/// The first non-blank line is a JSON object (after an optional UTF-8 BOM).
fn looks_like_ndjson(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let rest = &bytes[start..];
    if !rest.starts_with(b"{") {
        return false;
    }
    let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&rest[..line_end]).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(detect(b"PAR1...."), Format::Parquet);
        assert_eq!(detect(b"ARROW1\0\0"), Format::ArrowFile);
        assert_eq!(
            detect(&[0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 0]),
            Format::ArrowStream
        );
        assert_eq!(detect(b"PK\x03\x04rest"), Format::Xlsx);
        assert_eq!(
            detect(b"\n{\"member_id\": \"1\"}\n{\"member_id\": \"2\"}"),
            Format::Ndjson
        );
        assert_eq!(detect(b"{not json,b\n1,2"), Format::Csv);
        assert_eq!(detect(b"member_id,amount\n1,2"), Format::Csv);
    }

    #[test]
    fn binary_files_are_named() {
        assert!(not_text(b"%PDF-1.7 ...").is_some_and(|m| m.contains("PDF")));
        assert!(not_text(&[0u8; 100]).is_some_and(|m| m.contains("control characters")));
        assert_eq!(not_text(b"member_id,amount\n1,2\n"), None);
        assert_eq!(not_text("会员编号,金额\n".as_bytes()), None);
    }
}
