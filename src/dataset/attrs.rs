//! Member attributes (the members file's columns), each built the first time something reads
//! it. A first screen reads the join date at most, while a members file of a million rows
//! carries phone numbers, emails and cities that only a rule, a KPI split or an export looks
//! at: building every one up front was a quarter of the dataset build.

use super::{dict_chunks, Dict, NO_MEMBER};
use arrow_array::cast::AsArray;
use arrow_array::types::{ArrowPrimitiveType, Date32Type, Float64Type, UInt32Type};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// A member attribute, one value per member of the index.
#[derive(Debug, Clone)]
pub enum Attr {
    /// Text, dictionary-encoded.
    Text(Dict),
    /// A number.
    Num(Vec<Option<f64>>),
    /// A calendar day (days since 1970-01-01).
    Date(Vec<Option<i32>>),
}

/// What an attribute holds, known before it is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrKind {
    /// Text.
    Text,
    /// Numbers.
    Num,
    /// Calendar days.
    Date,
}

/// The member attributes by field name (role names such as `tier`, other columns by header).
#[derive(Debug, Clone, Default)]
pub struct Attrs(BTreeMap<String, Lazy>);

/// An attribute, built from its source on first read.
#[derive(Debug, Clone)]
struct Lazy {
    attr: OnceLock<Attr>,
    source: Source,
}

/// A column of the members table, with the member of each of its rows.
#[derive(Debug, Clone)]
struct Source {
    chunks: Vec<ArrayRef>,
    /// The member index of each row of the table ([`NO_MEMBER`] for none).
    rows: Arc<[u32]>,
    /// Members in the index.
    members: usize,
}

impl Attrs {
    /// Adds attribute `name` read from `chunks` (a column of the members table whose row `i`
    /// is member `rows[i]`) for an index of `members` members; a column of a type no
    /// attribute has is left out.
    pub(super) fn add(
        &mut self,
        name: &str,
        chunks: Vec<ArrayRef>,
        rows: Arc<[u32]>,
        members: usize,
    ) {
        let Some(first) = chunks.first() else {
            return;
        };
        let kind = first.data_type().clone();
        let typed = match &kind {
            DataType::Float64 | DataType::Date32 | DataType::Utf8 => true,
            DataType::Dictionary(k, v) => **k == DataType::UInt32 && **v == DataType::Utf8,
            _ => false,
        };
        if !typed || chunks.iter().any(|c| c.data_type() != &kind) {
            return;
        }
        let source = Source {
            chunks,
            rows,
            members,
        };
        let lazy = Lazy {
            attr: OnceLock::new(),
            source,
        };
        self.0.insert(name.to_string(), lazy);
    }

    /// The attribute `name` (a field name), built on first read.
    pub fn get(&self, name: &str) -> Option<&Attr> {
        self.0
            .get(name)
            .map(|l| l.attr.get_or_init(|| l.source.build()))
    }

    /// What attribute `name` holds (without building it); `None` when there is none.
    pub fn kind(&self, name: &str) -> Option<AttrKind> {
        let first = self.0.get(name)?.source.chunks.first()?;
        Some(match first.data_type() {
            DataType::Float64 => AttrKind::Num,
            DataType::Date32 => AttrKind::Date,
            _ => AttrKind::Text,
        })
    }

    /// Whether attribute `name` exists.
    pub fn contains_key(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The attribute names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> + '_ {
        self.0.keys()
    }

    /// At least the bytes the attributes `names` (field names) not built yet will hold while
    /// they are built: a step that reads them makes room for them.
    pub fn unbuilt_bytes<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> usize {
        let mut names: Vec<&str> = names.into_iter().collect();
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .filter_map(|n| self.0.get(n))
            .filter(|l| l.attr.get().is_none())
            .map(|l| l.source.bytes())
            .sum()
    }

    /// Whether there are no attributes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::ops::Index<&str> for Attrs {
    type Output = Attr;

    /// The attribute `name`; panics when there is none, as a map does (look it up with
    /// [`Attrs::get`] or resolve the name first).
    fn index(&self, name: &str) -> &Attr {
        match self.get(name) {
            Some(a) => a,
            None => panic!("no member attribute {name}"),
        }
    }
}

impl Source {
    /// At least the bytes building the attribute holds at its peak: per member an option of
    /// a number (16) or a day (8); for text a code (at most 4) and the distinct values — a
    /// dictionary's own values, or for plain text every value as if each were distinct: its
    /// bytes, offset and hash entry while the table and the buffers grow by doubling (about
    /// 84 bytes a member and twice the text, measured by `tests/memory.rs`).
    fn bytes(&self) -> usize {
        let n = self.members;
        match self.chunks.first().map(|c| c.data_type()) {
            Some(DataType::Float64) => n * 16,
            Some(DataType::Date32) => n * 8,
            Some(DataType::Dictionary(..)) => {
                let values = self
                    .chunks
                    .first()
                    .and_then(|c| c.as_dictionary_opt::<UInt32Type>())
                    .map_or(0, |d| d.values().get_buffer_memory_size());
                n * 4 + values
            }
            _ => {
                let text: usize = self
                    .chunks
                    .iter()
                    .filter_map(|c| c.as_string_opt::<i32>())
                    .map(|c| c.value_data().len())
                    .sum();
                n * 84 + 2 * text
            }
        }
    }

    /// Each row's value of the column at its member's index (a member with several rows
    /// takes its last).
    fn build(&self) -> Attr {
        match self.chunks.first().map(|c| c.data_type()) {
            Some(DataType::Float64) => Attr::Num(self.primitive::<Float64Type>()),
            Some(DataType::Date32) => Attr::Date(self.primitive::<Date32Type>()),
            Some(DataType::Dictionary(..)) => Attr::Text(self.dictionary()),
            _ => Attr::Text(self.text()),
        }
    }

    /// A column of numbers or days, one option per member (a member with several rows takes
    /// its last).
    fn primitive<T: ArrowPrimitiveType>(&self) -> Vec<Option<T::Native>> {
        let mut v = vec![None; self.members];
        let chunks = self.chunks.iter().flat_map(|c| c.as_primitive_opt::<T>());
        let values = chunks.flat_map(|c| c.iter());
        for (value, &m) in values.zip(self.rows.iter()) {
            if let (Some(value), true) = (value, m != NO_MEMBER) {
                v[m as usize] = Some(value);
            }
        }
        v
    }

    /// A dictionary-encoded column (its type was checked by [`Attrs::add`]).
    fn dictionary(&self) -> Dict {
        let chunks: Vec<&ArrayRef> = self.chunks.iter().collect();
        let Ok((dicts, mut dict)) = dict_chunks(&chunks, "attribute", self.members) else {
            return Dict::default();
        };
        let keys = dicts.iter().flat_map(|d| {
            let k = d.keys();
            (0..k.len()).map(move |i| k.is_valid(i).then(|| k.value(i)))
        });
        for (key, &m) in keys.zip(self.rows.iter()) {
            if let (Some(key), true) = (key, m != NO_MEMBER) {
                dict.codes.set(m as usize, key);
            }
        }
        dict
    }

    /// A plain text column, dictionary-encoded in member order: each member's row (its last)
    /// is found first, four bytes a member, then each value is read once.
    fn text(&self) -> Dict {
        let mut row_of = vec![u32::MAX; self.members];
        for (row, &m) in self.rows.iter().enumerate() {
            if m != NO_MEMBER {
                row_of[m as usize] = row as u32;
            }
        }
        let mut starts = Vec::with_capacity(self.chunks.len());
        let mut texts = Vec::with_capacity(self.chunks.len());
        let mut start = 0usize;
        for c in &self.chunks {
            starts.push(start);
            start += c.len();
            texts.push(c.as_string_opt::<i32>());
        }
        Dict::of_values(row_of.into_iter().map(|row| {
            let row = (row != u32::MAX).then_some(row as usize)?;
            let k = starts.partition_point(|&s| s <= row).checked_sub(1)?;
            let a = texts.get(k).copied().flatten()?;
            let i = row - starts[k];
            a.is_valid(i).then(|| a.value(i))
        }))
    }
}
