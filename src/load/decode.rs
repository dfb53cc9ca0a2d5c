//! Text decoding: a byte-order mark wins; otherwise valid UTF-8, else GB18030 (Excel in China).

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;

/// Decodes `bytes` to text and names the encoding found.
///
/// GB18030 is a superset of GBK and GB2312, so it decodes all three.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let name = bom_name(enc);
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, name);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "utf-8"),
        Err(_) => {
            let (text, _) = GB18030.decode_without_bom_handling(bytes);
            (text, "gb18030")
        }
    }
}

fn bom_name(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "utf-8-bom"
    } else if enc == UTF_16LE {
        "utf-16le"
    } else if enc == UTF_16BE {
        "utf-16be"
    } else {
        enc.name()
    }
}

/// Decoded text with the encoding and the evidence for it.
pub struct Decoded<'a> {
    /// The text.
    pub text: Cow<'a, str>,
    /// The encoding's name.
    pub encoding: &'static str,
    /// Why this encoding.
    pub evidence: String,
}

/// Decodes with an explicit encoding label (WHATWG names: `utf-8`, `gbk`, `gb18030`,
/// `utf-16le`, ...), or detects it when `label` is `None`.
pub fn decode_with<'a>(bytes: &'a [u8], label: Option<&str>) -> Result<Decoded<'a>, String> {
    let Some(label) = label else {
        let (text, encoding) = decode(bytes);
        let evidence = match encoding {
            "utf-8" => "valid UTF-8".to_string(),
            "gb18030" => "not valid UTF-8; read as GB18030 (covers GBK and GB2312)".to_string(),
            _ => "byte-order mark".to_string(),
        };
        return Ok(Decoded {
            text,
            encoding,
            evidence,
        });
    };
    let enc = Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| format!("unknown encoding \"{label}\""))?;
    let (text, _, had_errors) = enc.decode(bytes);
    let evidence = if had_errors {
        format!(
            "set by the caller; some bytes are not valid {} and were replaced",
            enc.name()
        )
    } else {
        "set by the caller".to_string()
    };
    Ok(Decoded {
        text,
        encoding: bom_name(enc),
        evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_utf8_and_gbk() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").1, "utf-8-bom");
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").0, "a,b");
        assert_eq!(decode("会员".as_bytes()).1, "utf-8");
        let (gbk, _, _) = encoding_rs::GBK.encode("会员编号");
        let (text, enc) = decode(&gbk);
        assert_eq!((text.as_ref(), enc), ("会员编号", "gb18030"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16), (Cow::Borrowed("id"), "utf-16le"));
    }
}
