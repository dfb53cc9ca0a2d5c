//! String interning for dictionary-encoded columns: each distinct value is stored once and
//! rows keep a `u32` code, so repeated text (member ids in orders, stores, channels) costs
//! four bytes a row.

use arrow_array::builder::StringBuilder;
use arrow_array::StringArray;
use rustc_hash::FxHashMap;

/// Distinct strings in first-seen order with their codes.
#[derive(Debug, Default)]
pub struct Interner {
    codes: FxHashMap<Box<str>, u32>,
    bytes: usize,
}

impl Interner {
    /// The code of `value`, adding it when new.
    pub fn code(&mut self, value: &str) -> u32 {
        if let Some(&c) = self.codes.get(value) {
            return c;
        }
        let c = self.codes.len() as u32;
        self.bytes += value.len();
        self.codes.insert(value.into(), c);
        c
    }

    /// The code of `value`, if it was interned.
    pub fn get(&self, value: &str) -> Option<u32> {
        self.codes.get(value).copied()
    }

    /// Approximate heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.bytes + self.codes.capacity() * (std::mem::size_of::<(Box<str>, u32)>() + 1)
    }

    /// The values in code order, as one Arrow array.
    pub fn finish(self) -> StringArray {
        let mut values: Vec<(u32, Box<str>)> =
            self.codes.into_iter().map(|(v, c)| (c, v)).collect();
        values.sort_unstable_by_key(|(c, _)| *c);
        let mut b = StringBuilder::with_capacity(values.len(), self.bytes);
        for (_, v) in values {
            b.append_value(v);
        }
        b.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_first_appearance() {
        let mut i = Interner::default();
        let codes: Vec<u32> = ["b", "a", "b", "c", "a"]
            .iter()
            .map(|v| i.code(v))
            .collect();
        assert_eq!(codes, [0, 1, 0, 2, 1]);
        let values = i.finish();
        assert_eq!(values.iter().flatten().collect::<Vec<_>>(), ["b", "a", "c"]);
    }
}
