//! Why a row was not loaded, in both languages. The loader counts rows by the English reason
//! (the CLI prints it, tests read it); the report carries the Chinese beside it for the page.

use crate::text::Word;

/// The fixed reasons, English (the id) and Chinese.
pub const REASONS: &[Word] = &[
    Word::new("missing member id", "missing member id", "缺少会员ID"),
    Word::new("missing date", "missing date", "缺少日期"),
    Word::new("missing amount", "missing amount", "缺少金额"),
    Word::new("unparsable date", "unparsable date", "无法识别的日期"),
    Word::new(
        "date out of range (before 1900 or after 2199)",
        "date out of range (before 1900 or after 2199)",
        "日期超出范围（早于 1900 年或晚于 2199 年）",
    ),
    Word::new(
        "not an amount of money",
        "not an amount of money",
        "不是金额",
    ),
    Word::new("not a whole number", "not a whole number", "不是整数"),
    Word::new("cancelled order", "cancelled order", "已取消的订单"),
    Word::new("not paid", "not paid", "未付款"),
    Word::new("empty row", "empty row", "空行"),
    Word::new(
        "invalid UTF-8 text (part of the file in another encoding?)",
        "invalid UTF-8 text (part of the file in another encoding?)",
        "无效的 UTF-8 文本（文件部分内容是其他编码？）",
    ),
    Word::new("not a JSON object", "not a JSON object", "不是 JSON 对象"),
];

/// The Chinese of a reason the loader gives (the English itself when it has none).
pub fn zh(reason: &str) -> String {
    if let Some(w) = REASONS.iter().find(|w| w.id == reason) {
        return w.label.zh.to_string();
    }
    // `wrong number of fields (expected N)[; a quote left open joins M lines into this row]`
    if let Some(rest) = reason.strip_prefix("wrong number of fields (expected ") {
        let digits = |s: &str| -> String { s.chars().take_while(char::is_ascii_digit).collect() };
        let n = digits(rest);
        let mut out = format!("字段数不对（应为 {n} 个）");
        if let Some(i) = rest.find("joins ") {
            out.push_str(&format!(
                "；未闭合的引号把 {} 行合成了这一行",
                digits(&rest[i + 6..])
            ));
        }
        return out;
    }
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_chinese() {
        assert_eq!(zh("missing date"), "缺少日期");
        assert_eq!(
            zh("wrong number of fields (expected 5)"),
            "字段数不对（应为 5 个）"
        );
        assert_eq!(
            zh("wrong number of fields (expected 5); a quote left open joins 3 lines into this row"),
            "字段数不对（应为 5 个）；未闭合的引号把 3 行合成了这一行"
        );
    }
}
