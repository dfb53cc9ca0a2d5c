//! Words in both languages of the product: every id the engine shows a person (a stage, a
//! role, a node type, a format ...) carries its English and Chinese label where it is
//! defined, and the vocabulary gathers them for the page.

use serde::Serialize;

/// A text in both languages of the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Simplified Chinese.
    pub zh: &'static str,
}

impl Text {
    /// A text from its English and Chinese.
    pub const fn new(en: &'static str, zh: &'static str) -> Self {
        Text { en, zh }
    }
}

/// An id with its label: one entry of a list the page shows (a node type, an operator, a
/// format ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Word {
    /// The id the engine reads and writes.
    pub id: &'static str,
    /// Its label for people.
    pub label: Text,
}

impl Word {
    /// A word from its id and label.
    pub const fn new(id: &'static str, en: &'static str, zh: &'static str) -> Self {
        Word {
            id,
            label: Text::new(en, zh),
        }
    }
}

/// The label of `id` in `words`, if listed.
pub fn label_of(words: &[Word], id: &str) -> Option<Text> {
    words.iter().find(|w| w.id == id).map(|w| w.label)
}

/// `1234567` as `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
