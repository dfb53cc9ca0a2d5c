//! String interning for dictionary-encoded columns: each distinct value is stored once and
//! rows keep a `u32` code, so repeated text (member ids in orders, stores, channels) costs
//! four bytes a row.

use arrow_array::StringArray;
use arrow_buffer::{Buffer, OffsetBuffer, ScalarBuffer};
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Distinct strings in first-seen order with their codes. The strings live end to end in one
/// buffer (no allocation per value); each table entry holds the value's full hash, its length
/// and its first bytes (the whole value when it is short, as member ids, stores and tags are),
/// so a lookup of a short value touches the table alone, and of a long one the table and, on a
/// match of all that, the bytes.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    table: HashTable<Entry>,
    offsets: Vec<i32>,
    /// Every value end to end (whole values only, so each code's range is on char
    /// boundaries: reading a value back is a slice, not a UTF-8 check).
    data: String,
}

/// Bytes of a value an entry holds itself: all of a value this long or shorter.
const INLINE: usize = 16;

/// Bytes of a longer value's head an entry holds (the rest of `head` says where it starts).
const PREFIX: usize = INLINE - 4;

/// One distinct value in the table: 32 bytes, so an entry never straddles two cache lines.
#[derive(Debug, Clone, Copy)]
struct Entry {
    hash: u64,
    code: u32,
    len: u32,
    /// A value of at most [`INLINE`] bytes, zero-padded; of a longer one, its first
    /// [`PREFIX`] bytes and then where it starts in `data` (u32, little-endian).
    head: [u8; INLINE],
}

/// The head an entry of `value` holds, without the start of a long value (zero there).
fn head_of(value: &[u8]) -> [u8; INLINE] {
    let mut head = [0u8; INLINE];
    let n = if value.len() <= INLINE {
        value.len()
    } else {
        PREFIX
    };
    head[..n].copy_from_slice(&value[..n]);
    head
}

fn hash(value: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(value)
}

impl Interner {
    fn find(&self, h: u64, value: &str) -> Option<u32> {
        let bytes = value.as_bytes();
        let head = head_of(bytes);
        let data = self.data.as_bytes();
        let found = if bytes.len() <= INLINE {
            self.table.find(h, |e| {
                e.hash == h && e.len as usize == bytes.len() && e.head == head
            })
        } else {
            self.table.find(h, |e| {
                e.hash == h
                    && e.len as usize == bytes.len()
                    && e.head[..PREFIX] == head[..PREFIX]
                    && data.get(e.start()..e.start() + bytes.len()) == Some(bytes)
            })
        };
        found.map(|e| e.code)
    }

    /// The code of `value`, adding it when new.
    pub fn code(&mut self, value: &str) -> u32 {
        self.insert(value).0
    }

    /// The code of `value`, adding it when new, and whether it was new.
    pub fn insert(&mut self, value: &str) -> (u32, bool) {
        let h = hash(value);
        match self.find(h, value) {
            Some(c) => (c, false),
            None => (self.add(h, value), true),
        }
    }

    /// Appends `value` under the next code even when it is already there (the values of an
    /// Arrow dictionary keep their positions; [`Interner::get`] then finds the first).
    pub fn push(&mut self, value: &str) -> u32 {
        let h = hash(value);
        match self.find(h, value) {
            Some(_) => {
                let code = self.len() as u32;
                self.append(value);
                code
            }
            None => self.add(h, value),
        }
    }

    /// Appends `value`'s bytes under the next code; returns where they start.
    fn append(&mut self, value: &str) -> usize {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        let start = self.data.len();
        self.data.push_str(value);
        // Arrow string offsets are i32: past 2 GiB, `finish` fails (a wasm heap is at most
        // 4 GiB, and the loader stops at its memory limit well before).
        let end = self.data.len();
        self.offsets.push(i32::try_from(end).unwrap_or(i32::MAX));
        start
    }

    /// Adds `value` (of hash `h`, not yet present) under the next code.
    fn add(&mut self, h: u64, value: &str) -> u32 {
        let code = self.len() as u32;
        let start = self.append(value);
        let mut head = head_of(value.as_bytes());
        if value.len() > INLINE {
            let start = u32::try_from(start).unwrap_or(u32::MAX);
            head[PREFIX..].copy_from_slice(&start.to_le_bytes());
        }
        let entry = Entry {
            hash: h,
            code,
            len: value.len() as u32,
            head,
        };
        self.table.insert_unique(h, entry, |e| e.hash);
        code
    }

    /// The values in code order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len() as u32).map(|c| self.value(c))
    }

    /// The values in code order, copied (the dictionary values of a loaded column).
    pub fn of_array(values: &StringArray) -> Interner {
        let mut out = Interner::default();
        for v in values.iter() {
            out.push(v.unwrap_or(""));
        }
        out
    }

    /// Distinct values interned.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of `code` (empty past the end).
    pub fn value(&self, code: u32) -> &str {
        let c = code as usize;
        let range = self
            .offsets
            .get(c)
            .zip(self.offsets.get(c + 1))
            .map_or(0..0, |(&a, &b)| a as usize..b as usize);
        // Whole values were appended, so every range lies on char boundaries.
        self.data.get(range).unwrap_or("")
    }

    /// The code of `value`, if it was interned.
    pub fn get(&self, value: &str) -> Option<u32> {
        self.find(hash(value), value)
    }

    /// Approximate heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.data.capacity()
            + self.offsets.capacity() * 4
            + self.table.capacity() * (std::mem::size_of::<Entry>() + 1)
    }

    /// The values in code order, as one Arrow array; an error past 2 GiB of distinct text.
    pub fn finish(mut self) -> Result<StringArray, String> {
        if self.data.len() > i32::MAX as usize {
            return Err(format!(
                "{} MB of distinct text in one column: at most 2 GB",
                self.data.len() / 1_000_000
            ));
        }
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        let offsets = OffsetBuffer::new(ScalarBuffer::from(self.offsets));
        StringArray::try_new(offsets, Buffer::from_vec(self.data.into_bytes()), None)
            .map_err(|e| e.to_string())
    }
}

impl Entry {
    /// Where a long value starts in the interner's bytes.
    fn start(&self) -> usize {
        let mut start = [0u8; 4];
        start.copy_from_slice(&self.head[PREFIX..]);
        u32::from_le_bytes(start) as usize
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
        let values = i.finish().expect("values");
        assert_eq!(values.iter().flatten().collect::<Vec<_>>(), ["b", "a", "c"]);
    }

    #[test]
    fn short_and_long_values_are_told_apart() {
        // Values around the inline length, sharing heads, and one that differs only past
        // the bytes an entry holds.
        let values: Vec<String> = (0..40)
            .flat_map(|n| {
                let base = "m".repeat(n);
                [
                    base.clone(),
                    format!("{base}x"),
                    format!("{base}y"),
                    format!("a{base}"),
                ]
            })
            .collect();
        let mut i = Interner::default();
        let codes: Vec<u32> = values.iter().map(|v| i.code(v)).collect();
        let mut seen = std::collections::HashMap::new();
        for (v, c) in values.iter().zip(&codes) {
            let first = *seen.entry(v.clone()).or_insert(*c);
            assert_eq!(first, *c, "{v} got two codes");
            assert_eq!(i.value(*c), v.as_str());
            assert_eq!(i.get(v), Some(*c));
        }
        assert_eq!(i.len(), seen.len());
        assert_eq!(i.get(&"m".repeat(41)), None);
        assert_eq!(i.get(&format!("{}z", "m".repeat(20))), None);
    }
}
