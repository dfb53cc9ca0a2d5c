//! The member index and the columnar member and order tables the metrics read.
//!
//! Member ids are interned once into a dense `u32` index. Member orders are sorted by member
//! then day, with CSR offsets (`offsets[m]..offsets[m + 1]`); amounts are integer cents so
//! sums are exact; text columns are dictionary-encoded.

use crate::error::{Error, ErrorKind, Result};
use crate::load::{Table, TableKind};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use roaring::RoaringBitmap;
use std::collections::{BTreeMap, HashMap};

/// The code of a missing value in a [`Dict`].
pub const NULL_CODE: u32 = u32::MAX;

/// A dictionary-encoded text column.
#[derive(Debug, Clone, Default)]
pub struct Dict {
    /// One code per row; [`NULL_CODE`] for a missing value.
    pub codes: Vec<u32>,
    /// The distinct values, in first-seen order.
    pub values: Vec<String>,
    lookup: HashMap<String, u32>,
}

impl Dict {
    fn push(&mut self, value: Option<&str>) {
        let code = match value {
            None => NULL_CODE,
            Some(v) => match self.lookup.get(v) {
                Some(&c) => c,
                None => {
                    let c = self.values.len() as u32;
                    self.values.push(v.to_string());
                    self.lookup.insert(v.to_string(), c);
                    c
                }
            },
        };
        self.codes.push(code);
    }

    /// The rows `rows` of this column as a new dictionary (values in first-seen order among
    /// those rows).
    fn select(&self, rows: impl Iterator<Item = usize>) -> Dict {
        let mut remap = vec![NULL_CODE; self.values.len()];
        let mut out = Dict::default();
        for r in rows {
            let c = self.codes[r];
            let code = if c == NULL_CODE {
                NULL_CODE
            } else {
                if remap[c as usize] == NULL_CODE {
                    let value = &self.values[c as usize];
                    remap[c as usize] = out.values.len() as u32;
                    out.values.push(value.clone());
                    out.lookup.insert(value.clone(), remap[c as usize]);
                }
                remap[c as usize]
            };
            out.codes.push(code);
        }
        out
    }

    /// The code of `value`, if it occurs.
    pub fn code(&self, value: &str) -> Option<u32> {
        self.lookup.get(value).copied()
    }

    /// The value at row `i`, if present.
    pub fn get(&self, i: usize) -> Option<&str> {
        match self.codes.get(i) {
            Some(&c) if c != NULL_CODE => Some(&self.values[c as usize]),
            _ => None,
        }
    }
}

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
    /// Discount in cents (0 when not given).
    pub discount: Vec<i64>,
    /// Text columns of the orders (channel, store, brand, ...), by field name.
    pub dims: BTreeMap<String, Dict>,
}

impl MemberOrders {
    /// The order rows of member `m`.
    pub fn range(&self, m: u32) -> std::ops::Range<usize> {
        self.offsets[m as usize] as usize..self.offsets[m as usize + 1] as usize
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
    /// Text columns of the guest orders (channel, store, ...), by field name, as in
    /// [`MemberOrders::dims`] (each with its own dictionary).
    pub dims: BTreeMap<String, Dict>,
}

/// Everything the metrics and the segment engine read, built from the loaded tables.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    ids: Vec<String>,
    index: HashMap<String, u32>,
    /// Member orders, CSR by member.
    pub orders: MemberOrders,
    /// Guest orders.
    pub guests: GuestOrders,
    /// Member attributes by field name (role names such as `tier`, other columns by header).
    pub attrs: BTreeMap<String, Attr>,
    /// Header names of role columns → their field names (so `会员等级` finds `tier`).
    pub aliases: BTreeMap<String, String>,
    /// Members of each tag.
    pub tags: BTreeMap<String, RoaringBitmap>,
    /// The latest order day of any order (the default `as_of`).
    pub latest_day: Option<i32>,
    /// Whether an orders table was loaded.
    pub has_orders: bool,
}

impl Dataset {
    /// Builds the dataset from whichever tables are loaded.
    pub fn build(
        orders: Option<&Table>,
        members: Option<&Table>,
        tags: Option<&Table>,
    ) -> Result<Self> {
        let mut ds = Dataset::default();
        for t in [members, orders, tags].into_iter().flatten() {
            for c in &t.report.columns {
                if let Some(role) = &c.role {
                    if *role != c.name {
                        ds.aliases
                            .insert(c.name.clone(), field_of_role(t.kind, role).to_string());
                    }
                }
            }
        }
        if let Some(m) = members {
            for id in str_col(&m.batch, "member_id")?.iter().flatten() {
                ds.intern(id);
            }
        }
        let order_members: Vec<Option<u32>> = match orders {
            Some(o) => str_col(&o.batch, "member_id")?
                .iter()
                .map(|id| id.map(|id| ds.intern(id)))
                .collect(),
            None => Vec::new(),
        };
        if let Some(t) = tags {
            for id in str_col(&t.batch, "member_id")?.iter().flatten() {
                ds.intern(id);
            }
        }
        if let Some(o) = orders {
            ds.build_orders(&o.batch, &order_members)?;
        }
        if let Some(m) = members {
            ds.build_attrs(&m.batch)?;
        }
        ds.build_tags(members, tags)?;
        Ok(ds)
    }

    fn intern(&mut self, id: &str) -> u32 {
        let id = id.trim();
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.ids.len() as u32;
        self.ids.push(id.to_string());
        self.index.insert(id.to_string(), i);
        i
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
        &self.ids[m as usize]
    }

    /// The index of a member id.
    pub fn member(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
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
            .filter(|f| self.attrs.contains_key(*f))
    }

    fn build_orders(&mut self, batch: &RecordBatch, members: &[Option<u32>]) -> Result<()> {
        self.has_orders = true;
        let day = batch_col(batch, "order_day")?.as_primitive::<Date32Type>();
        let cents = batch_col(batch, "amount_cents")?.as_primitive::<Int64Type>();
        let items = opt_i64(batch, "items");
        let discount = opt_i64(batch, "discount_cents");
        self.latest_day = day.iter().flatten().max();
        let n = self.ids.len();
        let mut counts = vec![0u32; n + 1];
        let mut rows: Vec<(u32, i32, usize)> = Vec::new();
        let mut guest_rows: Vec<usize> = Vec::new();
        for (row, m) in members.iter().enumerate() {
            match m {
                Some(m) => {
                    counts[*m as usize + 1] += 1;
                    rows.push((*m, day.value(row), row));
                }
                None => {
                    guest_rows.push(row);
                    self.guests.day.push(day.value(row));
                    self.guests.cents.push(cents.value(row));
                    self.guests.items.push(items(row));
                }
            }
        }
        rows.sort_unstable();
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let o = &mut self.orders;
        o.offsets = counts;
        o.day = rows.iter().map(|r| r.1).collect();
        o.cents = rows.iter().map(|r| cents.value(r.2)).collect();
        o.items = rows.iter().map(|r| items(r.2)).collect();
        o.discount = rows.iter().map(|r| discount(r.2)).collect();
        for field in batch.schema().fields() {
            if field.data_type() != &DataType::Utf8
                || matches!(field.name().as_str(), "member_id" | "order_id")
            {
                continue;
            }
            let col = batch_col(batch, field.name())?.as_string::<i32>();
            // Encode in file order (sequential reads of the Arrow buffers), then pick the
            // codes in member order: reading the strings in member order misses the cache on
            // every row.
            let mut file = Dict::default();
            for r in 0..col.len() {
                file.push(col.is_valid(r).then(|| col.value(r)));
            }
            let dict = file.select(rows.iter().map(|r| r.2));
            o.dims.insert(field.name().clone(), dict);
            let guests = file.select(guest_rows.iter().copied());
            self.guests.dims.insert(field.name().clone(), guests);
        }
        Ok(())
    }

    fn build_attrs(&mut self, batch: &RecordBatch) -> Result<()> {
        let ids = str_col(batch, "member_id")?;
        let rows: Vec<u32> = ids
            .iter()
            .map(|id| id.and_then(|id| self.member(id.trim())).unwrap_or(u32::MAX))
            .collect();
        let n = self.ids.len();
        let mut by_member = vec![usize::MAX; n];
        for (row, &m) in rows.iter().enumerate() {
            if m != u32::MAX {
                by_member[m as usize] = row;
            }
        }
        let row_of = |m: usize| Some(by_member[m]).filter(|&r| r != usize::MAX);
        for field in batch.schema().fields() {
            let name = field.name();
            if name == "member_id" || name == "tags" {
                continue;
            }
            let col = batch_col(batch, name)?;
            let attr = match field.data_type() {
                DataType::Float64 => {
                    let a = col.as_primitive::<Float64Type>();
                    Attr::Num(
                        (0..n)
                            .map(|m| row_of(m).filter(|&r| a.is_valid(r)).map(|r| a.value(r)))
                            .collect(),
                    )
                }
                DataType::Date32 => {
                    let a = col.as_primitive::<Date32Type>();
                    Attr::Date(
                        (0..n)
                            .map(|m| row_of(m).filter(|&r| a.is_valid(r)).map(|r| a.value(r)))
                            .collect(),
                    )
                }
                DataType::Utf8 => {
                    let a = col.as_string::<i32>();
                    let mut dict = Dict::default();
                    for m in 0..n {
                        dict.push(row_of(m).filter(|&r| a.is_valid(r)).map(|r| a.value(r)));
                    }
                    Attr::Text(dict)
                }
                _ => continue,
            };
            self.attrs.insert(name.clone(), attr);
        }
        Ok(())
    }

    fn build_tags(&mut self, members: Option<&Table>, tags: Option<&Table>) -> Result<()> {
        if let Some(m) = members {
            if let Some(col) = m.batch.column_by_name("tags") {
                let ids = str_col(&m.batch, "member_id")?;
                let lists = col.as_list::<i32>();
                for row in 0..m.batch.num_rows() {
                    let Some(member) = ids
                        .is_valid(row)
                        .then(|| self.member(ids.value(row).trim()))
                        .flatten()
                    else {
                        continue;
                    };
                    let list = lists.value(row);
                    for tag in list.as_string::<i32>().iter().flatten() {
                        self.tags.entry(tag.to_string()).or_default().insert(member);
                    }
                }
            }
        }
        if let Some(t) = tags {
            let ids = str_col(&t.batch, "member_id")?;
            let names = str_col(&t.batch, "tag")?;
            for (id, tag) in ids.iter().zip(names.iter()) {
                if let (Some(id), Some(tag)) = (id, tag) {
                    if let Some(member) = self.member(id.trim()) {
                        self.tags
                            .entry(tag.trim().to_string())
                            .or_default()
                            .insert(member);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The batch field a role is stored under.
fn field_of_role(kind: TableKind, role: &str) -> &str {
    match (kind, role) {
        (_, "order_time") => "order_day",
        (_, "amount") => "amount_cents",
        (_, "discount") => "discount_cents",
        (_, "join_date") => "join_day",
        (_, r) => r,
    }
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

fn str_col<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a arrow_array::StringArray> {
    batch_col(batch, name)?
        .as_string_opt::<i32>()
        .ok_or_else(|| Error::new(ErrorKind::Internal, format!("column {name} is not text")))
}

/// An optional Int64 column as a row → value function (0 when absent or null).
fn opt_i64<'a>(batch: &'a RecordBatch, name: &str) -> impl Fn(usize) -> i64 + 'a {
    let col = batch
        .column_by_name(name)
        .and_then(|c| c.as_primitive_opt::<Int64Type>());
    move |row| col.map_or(0, |c| if c.is_valid(row) { c.value(row) } else { 0 })
}
