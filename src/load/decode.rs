//! Text encodings: detection with the evidence for it (a byte-order mark, UTF-8 validity,
//! NUL-byte patterns of UTF-16), an override by label, and streaming decoding to UTF-8 so that
//! a large file never has to be decoded in one piece.

use encoding_rs::{CoderResult, Decoder, Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// How many bytes of the head the detection looks at.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// A detected (or chosen) encoding.
#[derive(Debug, Clone)]
pub struct Detected {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// The name shown in reports: `utf-8`, `utf-8-bom`, `gb18030`, `utf-16le`, `utf-16be`.
    pub name: &'static str,
    /// Length of the byte-order mark to skip.
    pub bom_len: usize,
    /// Why this encoding.
    pub evidence: String,
    /// Why this encoding, in Chinese.
    pub evidence_zh: String,
}

/// Detects the encoding of a file from its first bytes. `complete` says that `head` is the
/// whole file (so a multi-byte character cut at its end is an error, not a cut).
pub fn detect(head: &[u8], complete: bool) -> Detected {
    if let Some((enc, bom_len)) = Encoding::for_bom(head) {
        return Detected {
            encoding: enc,
            name: name_of(enc, bom_len > 0),
            bom_len,
            evidence: "byte-order mark".into(),
            evidence_zh: "文件开头有字节顺序标记（BOM）".into(),
        };
    }
    let sample = &head[..head.len().min(SNIFF_BYTES)];
    let cut = !complete || sample.len() < head.len();
    if let Some(enc) = utf16_without_bom(sample) {
        return Detected {
            encoding: enc,
            name: name_of(enc, false),
            bom_len: 0,
            evidence: "no byte-order mark, but NUL bytes at every other position".into(),
            evidence_zh: "没有字节顺序标记，但每隔一个字节是 NUL".into(),
        };
    }
    match std::str::from_utf8(sample) {
        Ok(text) => utf8(text),
        Err(e) if cut && e.error_len().is_none() => {
            // The sample ends inside a character: what precedes it is valid.
            utf8(std::str::from_utf8(&sample[..e.valid_up_to()]).unwrap_or(""))
        }
        Err(e) => {
            let at = e.valid_up_to();
            let (valid, invalid) = utf8_census(sample);
            if valid >= invalid * 3 {
                return Detected {
                    encoding: UTF_8,
                    name: "utf-8",
                    bom_len: 0,
                    evidence: format!(
                        "mostly UTF-8 ({valid} multi-byte characters, {invalid} invalid sequences from offset {at}); rows with invalid bytes are rejected"
                    ),
                    evidence_zh: format!(
                        "大部分是 UTF-8（{valid} 个多字节字符，从第 {at} 字节起有 {invalid} 处无效序列）；含无效字节的行不导入"
                    ),
                };
            }
            let (_, errors) = GB18030.decode_without_bom_handling(sample);
            let (tail, tail_zh) = if errors {
                (
                    "some sequences are not GB18030 either and show as \u{fffd}",
                    "部分字节也不是 GB18030，显示为 \u{fffd}",
                )
            } else {
                (
                    "decodes as GB18030 (GBK) without errors",
                    "按 GB18030（GBK）解码无错误",
                )
            };
            Detected {
                encoding: GB18030,
                name: "gb18030",
                bom_len: 0,
                evidence: format!(
                    "not UTF-8 (byte 0x{:02X} at offset {at}); {tail}",
                    sample[at]
                ),
                evidence_zh: format!(
                    "不是 UTF-8（第 {at} 字节为 0x{:02X}）；{tail_zh}",
                    sample[at]
                ),
            }
        }
    }
}

/// Multi-byte UTF-8 characters and invalid sequences in `bytes`.
fn utf8_census(mut bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(t) => return (valid + t.chars().filter(|c| !c.is_ascii()).count(), invalid),
            Err(e) => {
                let ok = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
                valid += ok.chars().filter(|c| !c.is_ascii()).count();
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        bytes = &bytes[e.valid_up_to() + n..];
                    }
                    None => return (valid, invalid),
                }
            }
        }
    }
}

fn utf8(text: &str) -> Detected {
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let (evidence, evidence_zh) = if non_ascii == 0 {
        (
            "only ASCII in the first 64 KB; read as UTF-8".to_string(),
            "前 64 KB 只有 ASCII 字符，按 UTF-8 读取".to_string(),
        )
    } else {
        (
            format!("valid UTF-8 ({non_ascii} non-ASCII characters in the first 64 KB)"),
            format!("有效的 UTF-8（前 64 KB 中有 {non_ascii} 个非 ASCII 字符）"),
        )
    };
    Detected {
        encoding: UTF_8,
        name: "utf-8",
        bom_len: 0,
        evidence,
        evidence_zh,
    }
}

/// UTF-16 text without a BOM has a NUL in every ASCII character's other byte.
fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    let pairs = sample.len() / 2;
    if pairs < 8 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    if odd * 10 >= pairs * 7 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding named by a WHATWG label (`utf-8`, `gbk`, `gb18030`, `utf-16le`, ...); a
/// byte-order mark of that encoding is still skipped.
pub fn from_label(label: &str, head: &[u8]) -> Result<Detected, String> {
    let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!("unknown encoding \"{label}\" (try utf-8, gbk, gb18030, utf-16le)")
    })?;
    let bom_len = match Encoding::for_bom(head) {
        Some((bom_enc, len)) if bom_enc == enc => len,
        _ => 0,
    };
    Ok(Detected {
        encoding: enc,
        name: name_of(enc, bom_len > 0),
        bom_len,
        evidence: "set by the caller".into(),
        evidence_zh: "由调用方指定".into(),
    })
}

fn name_of(enc: &'static Encoding, bom: bool) -> &'static str {
    if enc == UTF_8 {
        if bom {
            "utf-8-bom"
        } else {
            "utf-8"
        }
    } else if enc == UTF_16LE {
        "utf-16le"
    } else if enc == UTF_16BE {
        "utf-16be"
    } else if enc == GB18030 || enc == encoding_rs::GBK {
        "gb18030"
    } else {
        enc.name()
    }
}

/// Streaming decoder to UTF-8 bytes. UTF-8 input passes through without a copy; invalid
/// UTF-8 is left for the reader to reject row by row.
pub struct TextDecoder {
    decoder: Option<Decoder>,
    bom_left: usize,
    out: String,
    /// Sequences that could not be decoded and became U+FFFD.
    pub replaced: u64,
}

impl TextDecoder {
    /// A decoder for `d`.
    pub fn new(d: &Detected) -> Self {
        let decoder = (d.encoding != UTF_8).then(|| d.encoding.new_decoder_without_bom_handling());
        TextDecoder {
            decoder,
            bom_left: d.bom_len,
            out: String::new(),
            replaced: 0,
        }
    }

    /// Decodes the next chunk; `last` marks the end of the file.
    pub fn decode<'a>(&'a mut self, chunk: &'a [u8], last: bool) -> &'a [u8] {
        let skip = self.bom_left.min(chunk.len());
        self.bom_left -= skip;
        let chunk = &chunk[skip..];
        let Some(decoder) = self.decoder.as_mut() else {
            return chunk;
        };
        self.out.clear();
        let mut src = chunk;
        loop {
            let need = decoder
                .max_utf8_buffer_length(src.len())
                .unwrap_or(src.len() * 3 + 16);
            self.out.reserve(need);
            let (result, read, had_errors) = decoder.decode_to_string(src, &mut self.out, last);
            if had_errors {
                self.replaced += 1;
            }
            src = &src[read..];
            if result == CoderResult::InputEmpty {
                break;
            }
        }
        self.out.as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], chunk: usize) -> String {
        let d = detect(bytes, true);
        let mut dec = TextDecoder::new(&d);
        let mut out = Vec::new();
        let chunks: Vec<&[u8]> = bytes.chunks(chunk.max(1)).collect();
        for (i, c) in chunks.iter().enumerate() {
            out.extend_from_slice(dec.decode(c, i + 1 == chunks.len()));
        }
        String::from_utf8(out).expect("utf-8 out")
    }

    #[test]
    fn detects_bom_utf8_gbk_and_utf16() {
        assert_eq!(detect(b"\xEF\xBB\xBFa,b", true).name, "utf-8-bom");
        assert_eq!(detect("会员".as_bytes(), true).name, "utf-8");
        let (gbk, _, _) = encoding_rs::GBK.encode("会员编号,金额");
        let d = detect(&gbk, true);
        assert_eq!(d.name, "gb18030");
        assert!(d.evidence.contains("without errors"), "{}", d.evidence);
        let le: Vec<u8> = "member_id,amount\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect(&le, true).name, "utf-16le");
        let be: Vec<u8> = "member_id,amount\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(detect(&be, true).name, "utf-16be");
    }

    #[test]
    fn a_stray_gbk_row_in_a_utf8_file_keeps_utf8() {
        let mut bytes = "会员编号,标签\n001,敏感肌\n002,学生\n003,宝妈\n"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(&encoding_rs::GBK.encode("004,送礼\n").0);
        let d = detect(&bytes, true);
        assert_eq!(d.name, "utf-8", "{}", d.evidence);
        assert!(d.evidence.contains("mostly UTF-8"), "{}", d.evidence);
    }

    #[test]
    fn a_character_cut_by_the_sample_is_not_evidence_against_utf8() {
        let text = "会员".repeat(40_000);
        let bytes = text.as_bytes();
        assert_eq!(detect(&bytes[..SNIFF_BYTES + 1], false).name, "utf-8");
    }

    #[test]
    fn streaming_decode_equals_whole_decode_at_any_chunk_size() {
        let text = "会员编号,标签\n001,敏感肌、KOC\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut bom16 = vec![0xFF, 0xFE];
        bom16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut bom8 = b"\xEF\xBB\xBF".to_vec();
        bom8.extend_from_slice(text.as_bytes());
        for bytes in [gbk.to_vec(), bom16, bom8, text.as_bytes().to_vec()] {
            for chunk in [1, 2, 3, 5, 64] {
                assert_eq!(decode_all(&bytes, chunk), text, "chunk {chunk}");
            }
        }
    }

    #[test]
    fn labels_override_detection() {
        let (gbk, _, _) = encoding_rs::GBK.encode("会员");
        assert_eq!(from_label("gbk", &gbk).expect("label").name, "gb18030");
        assert!(from_label("klingon", &gbk).is_err());
    }
}
