//! String interning for dictionary-encoded columns: each distinct value is stored once and
//! rows keep a `u32` code, so repeated text (member ids in orders, stores, channels) costs
//! four bytes a row.

use arrow_array::StringArray;
use arrow_buffer::{Buffer, OffsetBuffer, ScalarBuffer};
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Distinct strings in first-seen order with their codes. The strings live end to end in one
/// buffer (no allocation per value); each table entry holds the value's full hash and where
/// its bytes are, so a lookup touches the table and, on a hash match, the bytes: nothing else.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    table: HashTable<Entry>,
    offsets: Vec<i32>,
    /// Every value end to end (whole values only, so each code's range is on char
    /// boundaries: reading a value back is a slice, not a UTF-8 check).
    data: String,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    hash: u64,
    code: u32,
    start: u32,
    len: u32,
}

fn hash(value: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(value)
}

impl Interner {
    fn find(&self, h: u64, value: &str) -> Option<u32> {
        let data = &self.data;
        self.table
            .find(h, |e| {
                e.hash == h
                    && e.len as usize == value.len()
                    && data
                        .as_bytes()
                        .get(e.start as usize..(e.start + e.len) as usize)
                        == Some(value.as_bytes())
            })
            .map(|e| e.code)
    }

    /// The code of `value`, adding it when new.
    pub fn code(&mut self, value: &str) -> u32 {
        let h = hash(value);
        if let Some(c) = self.find(h, value) {
            return c;
        }
        self.add(h, value)
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
        let entry = Entry {
            hash: h,
            code,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: value.len() as u32,
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
}
