//! The member index and the columnar member and order tables the metrics read.
//!
//! Member ids are interned once into a dense `u32` index. Member orders are sorted by member
//! then day, with CSR offsets (`offsets[m]..offsets[m + 1]`); amounts are integer cents so
//! sums are exact; text columns are dictionary-encoded.

use crate::error::{Error, ErrorKind, Result};
use crate::load::intern::Interner;
use crate::load::read::field_of_role;
use crate::load::Table;
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int64Type, UInt32Type};
use arrow_array::{Array, ArrayRef, DictionaryArray, RecordBatch};
use arrow_schema::DataType;
use roaring::RoaringBitmap;
use std::collections::BTreeMap;

mod attrs;
mod codes;
mod grouped;
mod items;
mod keys;

pub use attrs::{Attr, AttrKind, Attrs};
pub use codes::Codes;

/// The code of a missing value in a [`Dict`].
pub const NULL_CODE: u32 = u32::MAX;

/// The member index of a row without a member (a guest order, an empty id).
const NO_MEMBER: u32 = u32::MAX;

/// A dictionary-encoded text column.
#[derive(Debug, Clone, Default)]
pub struct Dict {
    /// One code per row; [`NULL_CODE`] for a missing value.
    pub codes: Codes,
    /// The distinct values in first-seen order, end to end in one buffer with their hashes
    /// (a column of a million phone numbers was a million small allocations, and a second
    /// copy of each for the lookup by value).
    pub values: Interner,
    /// Line items (SPEC §1.1): `(row, code)` of the values of an order's lines other than
    /// the one in `codes`, sorted by row.
    pub more: Vec<(u32, u32)>,
}

impl Dict {
    /// A column of `values` (one per row, `None` for a missing one), dictionary-encoded in
    /// first-seen order.
    fn of_values<'a>(values: impl ExactSizeIterator<Item = Option<&'a str>>) -> Dict {
        let mut dict = Dict::default();
        let mut codes = Vec::with_capacity(values.len());
        for v in values {
            codes.push(v.map_or(NULL_CODE, |v| dict.values.code(v)));
        }
        dict.codes = Codes::of(&codes, dict.values.len());
        dict
    }

    /// Takes the distinct values of a dictionary column (codes are its keys).
    fn set_values(&mut self, values: &arrow_array::StringArray) {
        self.values = Interner::of_array(values);
    }

    /// The code of `value`, if it occurs.
    pub fn code(&self, value: &str) -> Option<u32> {
        self.values.get(value)
    }

    /// Whether row `i` has a value in `mask` (indexed by code): its own, or one of its
    /// lines' (SPEC §1.1: a filter on a line-level column matches when any line matches).
    pub fn any_in(&self, i: usize, mask: &[bool]) -> bool {
        let hit = |c: u32| mask.get(c as usize).copied().unwrap_or(false);
        if hit(self.codes.get(i)) {
            return true;
        }
        if self.more.is_empty() {
            return false;
        }
        let i = i as u32;
        let start = self.more.partition_point(|&(r, _)| r < i);
        self.more[start..]
            .iter()
            .take_while(|&&(r, _)| r == i)
            .any(|&(_, c)| hit(c))
    }

    /// The value at row `i`, if present.
    pub fn get(&self, i: usize) -> Option<&str> {
        let c = self.codes.get(i);
        ((c as usize) < self.values.len()).then(|| self.values.value(c))
    }
}

/// Orders of members, sorted by member then day.
#[derive(Debug, Clone, Default)]
pub struct MemberOrders {
    /// `offsets[m]..offsets[m + 1]` are the orders of member `m`.
    pub offsets: Vec<u32>,
    /// Order day (days since 1970-01-01).
    pub day: Vec<i32>,
    /// Amount in cents; refunds negative.
    pub cents: Vec<i64>,
    /// Item count (0 when not given).
    pub items: Vec<i64>,
    /// Whether the order has a discount amount above 0 (all the metrics read of it: one byte
    /// a row, not eight).
    pub discounted: Vec<bool>,
    /// Whether the orders table has an items column (else `items` is all 0 and items per
    /// order is unknown, not 0).
    pub has_items: bool,
    /// Text columns of the orders (channel, store, brand, ...), by field name.
    pub dims: BTreeMap<String, Dict>,
    /// The earliest day of a member order.
    pub earliest_day: Option<i32>,
}

impl MemberOrders {
    /// The order rows of member `m`.
    pub fn range(&self, m: u32) -> std::ops::Range<usize> {
        self.offsets[m as usize] as usize..self.offsets[m as usize + 1] as usize
    }

    /// Sorts each member's orders by day (stable: same-day orders keep file order). Exports
    /// are usually in time order, so most ranges are already sorted and are left alone.
    fn sort_members_by_day(&mut self) {
        let lines = self.dims.values().any(|d| !d.more.is_empty());
        // Where each row moved (only kept for line values).
        let mut moved: Vec<u32> = if lines {
            (0..self.day.len() as u32).collect()
        } else {
            Vec::new()
        };
        let mut perm: Vec<usize> = Vec::new();
        for m in 0..self.offsets.len().saturating_sub(1) {
            let r = self.range(m as u32);
            if self.day[r.clone()].is_sorted() {
                continue;
            }
            perm.clear();
            perm.extend(r.clone());
            perm.sort_by_key(|&i| self.day[i]);
            codes::permute(&mut self.cents, r.clone(), &perm);
            codes::permute(&mut self.items, r.clone(), &perm);
            codes::permute(&mut self.discounted, r.clone(), &perm);
            for d in self.dims.values_mut() {
                d.codes.permute(r.clone(), &perm);
            }
            codes::permute(&mut self.day, r.clone(), &perm);
            if lines {
                for (k, &old) in perm.iter().enumerate() {
                    moved[old] = (r.start + k) as u32;
                }
            }
        }
        if lines {
            for d in self.dims.values_mut() {
                for e in &mut d.more {
                    e.0 = moved[e.0 as usize];
                }
                d.more.sort_unstable();
            }
        }
    }
}

/// Orders without a member (guest orders), kept for shares of all orders.
#[derive(Debug, Clone, Default)]
pub struct GuestOrders {
    /// Order day.
    pub day: Vec<i32>,
    /// Amount in cents.
    pub cents: Vec<i64>,
    /// Item count (0 when not given).
    pub items: Vec<i64>,
    /// Text columns of the guest orders (channel, store, ...), by field name, with the same
    /// dictionaries as [`MemberOrders::dims`].
    pub dims: BTreeMap<String, Dict>,
}

/// Everything the metrics and the segment engine read, built from the loaded tables.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Member ids by member index.
    ids: Interner,
    /// Member orders, CSR by member.
    pub orders: MemberOrders,
    /// Guest orders.
    pub guests: GuestOrders,
    /// Member attributes by field name (role names such as `tier`, other columns by header).
    pub attrs: Attrs,
    /// Header names of role columns → their field names (so `会员等级` finds `tier`).
    pub aliases: BTreeMap<String, String>,
    /// Members of each tag.
    pub tags: BTreeMap<String, RoaringBitmap>,
    /// The latest order day of any order (the default `as_of`).
    pub latest_day: Option<i32>,
    /// Whether an orders table was loaded.
    pub has_orders: bool,
    /// With both an orders and a members table: the member orders whose member (id or key)
    /// is not in the members file, and how many such buyers there are.
    pub unmatched: Option<(u64, u64)>,
    /// With an order items table joined: its rows whose order is not a loaded member order.
    pub unmatched_items: Option<u64>,
}

impl Dataset {
    /// Builds the dataset from whichever tables are loaded.
    pub fn build(
        orders: Option<&Table>,
        members: Option<&Table>,
        tags: Option<&Table>,
        items: Option<&Table>,
    ) -> Result<Self> {
        let mut ds = Dataset::default();
        for t in [members, orders, tags, items].into_iter().flatten() {
            for c in &t.report.columns {
                if let Some(role) = &c.role {
                    let field = field_of_role(t.kind, role);
                    if field != c.name {
                        ds.aliases.insert(c.name.clone(), field.to_string());
                    }
                }
            }
        }
        // An orders file without a member id column is keyed by email, phone or nickname
        // (SPEC §1.1); the members file is then keyed by the same kind of column.
        let key = orders.and_then(|o| o.report.member_key());
        // Members first, so the index follows the members table's order.
        let (member_rows, by_id) = match members {
            Some(m) => ds.member_rows(m, key)?,
            None => (Vec::new(), None),
        };
        let in_members_file = ds.ids.len() as u32;
        let order_rows = match orders {
            Some(o) => ds.member_codes(o, "member_id", key)?,
            None => Vec::new(),
        };
        if members.is_some() && orders.is_some() {
            let outside = order_rows
                .iter()
                .filter(|&&m| m != NO_MEMBER && m >= in_members_file);
            let buyers = ds.ids.len() as u64 - u64::from(in_members_file);
            ds.unmatched = Some((outside.count() as u64, buyers));
        }
        let tag_rows = match tags {
            Some(t) => ds.tag_rows(t, by_id.as_ref())?,
            None => Vec::new(),
        };
        if let Some(o) = orders {
            ds.build_orders(o, order_rows, items)?;
        }
        if let Some(m) = members {
            let member_rows: std::sync::Arc<[u32]> = member_rows.into();
            ds.build_attrs(m, &member_rows);
            ds.build_list_tags(m, &member_rows)?;
        }
        if let Some(t) = tags {
            ds.build_long_tags(t, &tag_rows)?;
        }
        Ok(ds)
    }

    fn intern(&mut self, id: &str) -> u32 {
        self.ids.code(id.trim())
    }

    /// Fails with `NO_DATA` when no orders table was loaded (every analysis needs one).
    pub fn require_orders(&self) -> Result<()> {
        if self.has_orders {
            Ok(())
        } else {
            Err(Error::no_data(
                "no orders loaded: load an orders file first",
            ))
        }
    }

    /// Number of members in the index.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of member `m`.
    pub fn id(&self, m: u32) -> &str {
        self.ids.value(m)
    }

    /// The index of a member id.
    pub fn member(&self, id: &str) -> Option<u32> {
        self.ids.get(id)
    }

    /// Every member of the index, as a set.
    pub fn all_members(&self) -> RoaringBitmap {
        let mut all = RoaringBitmap::new();
        all.insert_range(0..self.ids.len() as u32);
        all
    }

    /// Resolves a column name (field name or original header) to the field name.
    pub fn resolve_attr<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        if self.attrs.contains_key(name) {
            return Some(name);
        }
        self.aliases
            .get(name)
            .map(String::as_str)
            .filter(|f| self.attrs.contains_key(f))
    }

    /// Builds the member orders (CSR by member, then by day) and the guest orders from the
    /// orders table, whose row `i` belongs to member `rows[i]` ([`NO_MEMBER`] for a guest).
    fn build_orders(&mut self, table: &Table, rows: Vec<u32>, items: Option<&Table>) -> Result<()> {
        self.has_orders = true;
        let n = self.ids.len();
        let mut offsets = vec![0u32; n + 1];
        for &m in rows.iter().filter(|&&m| m != NO_MEMBER) {
            offsets[m as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let total = offsets[n] as usize;
        // Each member's orders go to its CSR range in file order (a counting sort); each row's
        // member becomes its slot in place (`u32::MAX` for a guest order).
        let mut slot = rows;
        let mut next: Vec<u32> = offsets[..n].to_vec();
        for m in slot.iter_mut().filter(|m| **m != NO_MEMBER) {
            let s = next[*m as usize];
            next[*m as usize] += 1;
            *m = s;
        }
        drop(next);
        let o = &mut self.orders;
        o.day = vec![0; total];
        o.cents = vec![0; total];
        o.items = vec![0; total];
        o.discounted = vec![false; total];
        o.has_items = table.has_column("items");
        let mut row = 0usize;
        // Column by column: each value goes to its member order's slot or, for a guest
        // order, to the end of the guest column.
        let guests = &mut self.guests;
        for batch in &table.batches {
            let slots = &slot[row..row + batch.num_rows()];
            let day = batch_col(batch, "order_day")?.as_primitive::<Date32Type>();
            scatter(slots, day.values(), &mut o.day, Some(&mut guests.day));
            let cents = batch_col(batch, "amount_cents")?.as_primitive::<Int64Type>();
            scatter(slots, cents.values(), &mut o.cents, Some(&mut guests.cents));
            let items = int_values(batch, "items");
            scatter(slots, &items, &mut o.items, Some(&mut guests.items));
            let discounted: Vec<bool> = int_values(batch, "discount_cents")
                .iter()
                .map(|&d| d > 0)
                .collect();
            scatter(slots, &discounted, &mut o.discounted, None);
            row += batch.num_rows();
        }
        self.latest_day = o.day.iter().chain(&self.guests.day).copied().max();
        o.earliest_day = o.day.iter().copied().min();
        for field in table
            .batches
            .first()
            .map(|b| b.schema())
            .iter()
            .flat_map(|s| s.fields().iter())
        {
            let name = field.name();
            if name == "member_id" || !matches!(field.data_type(), DataType::Dictionary(..)) {
                continue;
            }
            let (dict, guest) = order_dim(table, name, &slot, total, self.guests.day.len())?;
            self.guests.dims.insert(name.clone(), guest);
            self.orders.dims.insert(name.clone(), dict);
        }
        if let Some(items) = items.filter(|_| table.has_column("order_id")) {
            self.unmatched_items = Some(self.join_items(table, items, &slot, total)?);
        }
        let o = &mut self.orders;
        o.offsets = offsets;
        o.sort_members_by_day();
        Ok(())
    }

    /// The members table's columns as member attributes, each built when first read; row
    /// `i` of the table is member `members[i]`.
    fn build_attrs(&mut self, table: &Table, members: &std::sync::Arc<[u32]>) {
        let Some(schema) = table.batches.first().map(|b| b.schema()) else {
            return;
        };
        for field in schema.fields() {
            let name = field.name();
            if name == "member_id" || name == "tags" {
                continue;
            }
            let chunks = table.column(name).into_iter().cloned().collect();
            self.attrs
                .add(name, chunks, members.clone(), self.ids.len());
        }
    }

    fn build_list_tags(&mut self, table: &Table, members: &[u32]) -> Result<()> {
        let mut row = 0usize;
        // Members by tag text, hashed (most rows hold one of a few dozen tags: a lookup in
        // the ordered map per tag was a walk of string compares), merged into it at the end.
        let mut by_tag: rustc_hash::FxHashMap<&str, RoaringBitmap> = Default::default();
        for col in table.column("tags") {
            let lists = col
                .as_list_opt::<i32>()
                .ok_or_else(|| internal("tags is not a list"))?;
            let tags = lists
                .values()
                .as_string_opt::<i32>()
                .ok_or_else(|| internal("tags are not text"))?;
            let offsets = lists.value_offsets();
            for i in 0..lists.len() {
                let m = members[row + i];
                if m == NO_MEMBER || !lists.is_valid(i) {
                    continue;
                }
                for j in offsets[i] as usize..offsets[i + 1] as usize {
                    if !tags.is_valid(j) {
                        continue;
                    }
                    by_tag.entry(tags.value(j)).or_default().insert(m);
                }
            }
            row += lists.len();
        }
        for (tag, set) in by_tag {
            *self.tags.entry(tag.to_string()).or_default() |= set;
        }
        Ok(())
    }

    fn build_long_tags(&mut self, table: &Table, members: &[u32]) -> Result<()> {
        let mut row = 0usize;
        for col in table.column("tag") {
            let d = col
                .as_dictionary_opt::<UInt32Type>()
                .ok_or_else(|| internal("tag is not dictionary-encoded"))?;
            let values = d
                .values()
                .as_string_opt::<i32>()
                .ok_or_else(|| internal("tag values"))?;
            let keys = d.keys();
            for i in 0..keys.len() {
                let m = members[row + i];
                if m != NO_MEMBER && keys.is_valid(i) {
                    let tag = values.value(keys.value(i) as usize).trim();
                    self.tags.entry(tag.to_string()).or_default().insert(m);
                }
            }
            row += keys.len();
        }
        Ok(())
    }
}

/// The chunks of dictionary-encoded column `name` (`chunks`, batch by batch), and a [`Dict`] of
/// its values (every chunk of a loaded table shares one dictionary) with `rows` missing codes.
fn dict_chunks<'a>(
    chunks: &[&'a ArrayRef],
    name: &str,
    rows: usize,
) -> Result<(Vec<&'a DictionaryArray<UInt32Type>>, Dict)> {
    let mut dicts = Vec::with_capacity(chunks.len());
    for &col in chunks {
        dicts.push(
            col.as_dictionary_opt::<UInt32Type>()
                .ok_or_else(|| internal(&format!("{name} is not dictionary-encoded")))?,
        );
    }
    let mut dict = Dict::default();
    if let Some(d) = dicts.iter().find(|d| !d.values().is_empty()) {
        dict.set_values(
            d.values()
                .as_string_opt::<i32>()
                .ok_or_else(|| internal(&format!("{name}: dictionary values are not text")))?,
        );
    }
    dict.codes = Codes::nulls(rows, dict.values.len());
    Ok((dicts, dict))
}

/// Text column `name` of the orders table as a member order column (row `slot[i]` of
/// `total`) and a guest order column (of `guests` rows, in file order), with its line values.
fn order_dim(
    table: &Table,
    name: &str,
    slot: &[u32],
    total: usize,
    guests: usize,
) -> Result<(Dict, Dict)> {
    let (dicts, mut dict) = dict_chunks(&table.column(name), name, total)?;
    let mut guest = Codes::nulls(guests, dict.values.len());
    let (mut row, mut g) = (0usize, 0usize);
    for d in dicts {
        let keys = d.keys();
        for i in 0..keys.len() {
            let code = if keys.is_valid(i) {
                keys.value(i)
            } else {
                NULL_CODE
            };
            match slot[row + i] {
                u32::MAX => {
                    guest.set(g, code);
                    g += 1;
                }
                s => dict.codes.set(s as usize, code),
            }
        }
        row += keys.len();
    }
    if let Some(more) = table.lines.get(name) {
        dict.more = more
            .iter()
            .filter_map(|&(r, c)| match slot.get(r as usize) {
                Some(&s) if s != u32::MAX => Some((s, c)),
                _ => None,
            })
            .collect();
        dict.more.sort_unstable();
    }
    let guest = Dict {
        codes: guest,
        values: dict.values.clone(),
        more: Vec::new(),
    };
    Ok((dict, guest))
}

fn internal(msg: &str) -> Error {
    Error::new(ErrorKind::Internal, msg.to_string())
}

fn batch_col<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a dyn Array> {
    batch
        .column_by_name(name)
        .map(|c| c.as_ref())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Internal,
                format!("loaded table has no column {name}"),
            )
        })
}

/// Puts `values[i]` (of a batch whose row `i` has member order slot `slots[i]`) into slot
/// `slots[i]` of `members`, or, for a guest order (`u32::MAX`), at the end of `guests`.
fn scatter<T: Copy>(slots: &[u32], values: &[T], members: &mut [T], guests: Option<&mut Vec<T>>) {
    match guests {
        Some(guests) => {
            for (&s, &v) in slots.iter().zip(values) {
                match members.get_mut(s as usize) {
                    Some(m) => *m = v,
                    None => guests.push(v),
                }
            }
        }
        None => {
            for (&s, &v) in slots.iter().zip(values) {
                if let Some(m) = members.get_mut(s as usize) {
                    *m = v;
                }
            }
        }
    }
}

/// An optional Int64 column of a batch, 0 where it is missing or absent.
fn int_values<'a>(batch: &'a RecordBatch, name: &str) -> std::borrow::Cow<'a, [i64]> {
    match batch
        .column_by_name(name)
        .and_then(|c| c.as_primitive_opt::<Int64Type>())
    {
        Some(c) if c.null_count() == 0 => std::borrow::Cow::Borrowed(c.values()),
        Some(c) => c.iter().map(|v| v.unwrap_or(0)).collect(),
        None => std::borrow::Cow::Owned(vec![0; batch.num_rows()]),
    }
}
