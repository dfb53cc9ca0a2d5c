//! Fuzz target: encoding detection (with the head complete or cut), decoding by label, and
//! streaming decoding in chunks, which must give UTF-8 or pass the bytes through unchanged.
#![no_main]

use audience_lab::load::decode::{detect, from_label, TextDecoder};
use audience_lab::load::format;

const LABELS: [&str; 6] = ["utf-8", "gbk", "gb18030", "utf-16le", "utf-16be", "latin1"];

fn decode_chunks(d: &audience_lab::load::decode::Detected, data: &[u8], step: usize) -> Vec<u8> {
    let mut dec = TextDecoder::new(d);
    let mut out = Vec::new();
    let chunks: Vec<&[u8]> = data.chunks(step.max(1)).collect();
    if chunks.is_empty() {
        out.extend_from_slice(dec.decode(&[], true));
    }
    for (i, c) in chunks.iter().enumerate() {
        out.extend_from_slice(dec.decode(c, i + 1 == chunks.len()));
    }
    out
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = format::detect(data);
    let _ = format::not_text(data);
    for complete in [true, false] {
        let d = detect(data, complete);
        assert!(d.bom_len <= data.len());
        let whole = decode_chunks(&d, data, data.len());
        let small = decode_chunks(&d, data, 3);
        assert_eq!(whole, small, "{}: decoding in chunks differs", d.name);
        // UTF-8 (with or without BOM) passes through: invalid bytes are left to the reader,
        // which rejects their rows. Every other encoding must come out as UTF-8.
        if d.encoding != encoding_rs::UTF_8 {
            assert!(
                std::str::from_utf8(&whole).is_ok(),
                "{} gave invalid UTF-8",
                d.name
            );
        }
    }
    let label = LABELS[data.first().copied().unwrap_or(0) as usize % LABELS.len()];
    if let Ok(d) = from_label(label, data) {
        let _ = decode_chunks(&d, data, 7);
    }
});
