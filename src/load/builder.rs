//! Source rows → typed Arrow columns of one table, in batches of [`BATCH_ROWS`] rows: each
//! role column is coerced as SPEC §1 says (dates to days, money to integer cents, repeated
//! text to dictionary codes), and a row whose value cannot be used is rejected with a reason.
//! Nothing is allocated per row but the distinct strings.

use super::cell::{Cell, Row};
use super::infer::type_attribute;
use super::intern::Interner;
use super::read::{coerce, role_plan, Parsed, Read};
use super::report::{ColumnReport, Rejections};
use super::roles::{required_roles, Assignment};
use super::status::{status_class, StatusClass};
use super::table::TableKind;
use super::tags::split_tags;
use crate::error::{Error, ErrorKind, Result};
use arrow_array::builder::{
    ArrayBuilder, Date32Builder, Int64Builder, ListBuilder, StringBuilder, UInt32Builder,
};
use arrow_array::types::UInt32Type;
use arrow_array::{Array, ArrayRef, DictionaryArray, RecordBatch, StringArray, UInt32Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::sync::Arc;

mod columns;
mod lines;
pub use columns::Columns;
use columns::KeyMemo;
pub use lines::LineCounts;

/// Rows per record batch: big enough for fast scans, small enough that no buffer has to be
/// reallocated at a size near the memory limit.
pub const BATCH_ROWS: usize = 1 << 20;

/// Rows a column reserves at first; it grows by doubling up to [`BATCH_ROWS`], so a small file
/// holds a little more than its rows (reserving a whole batch held 8 MiB per column for a file
/// of any size, and kept a 64 MiB budget from loading 60,000 orders).
pub const FIRST_ROWS: usize = 1 << 14;

/// One column of the table being built.
#[derive(Debug)]
struct Plan {
    source: usize,
    field: String,
    header: String,
    read: Read,
}

/// The finished arrays of one column, batch by batch.
enum Store {
    Dict {
        interner: Interner,
        cur: UInt32Builder,
        done: Vec<UInt32Array>,
    },
    Text(StringBuilder, Vec<ArrayRef>),
    Date(Date32Builder, Vec<ArrayRef>),
    Int(Int64Builder, Vec<ArrayRef>),
    Tags(ListBuilder<StringBuilder>, Vec<ArrayRef>),
    Attr(StringBuilder, Vec<StringArray>),
}

impl Store {
    fn new(read: Read) -> Store {
        match read {
            Read::MemberId { .. } | Read::Dict | Read::Status => Store::Dict {
                interner: Interner::default(),
                cur: UInt32Builder::with_capacity(FIRST_ROWS),
                done: Vec::new(),
            },
            Read::Text | Read::Skip => Store::Text(StringBuilder::new(), Vec::new()),
            Read::Date { .. } => Store::Date(Date32Builder::with_capacity(FIRST_ROWS), Vec::new()),
            Read::Money { .. } | Read::Int => {
                Store::Int(Int64Builder::with_capacity(FIRST_ROWS), Vec::new())
            }
            Read::Tags => Store::Tags(ListBuilder::new(StringBuilder::new()), Vec::new()),
            Read::Attr => Store::Attr(StringBuilder::new(), Vec::new()),
        }
    }

    /// Closes the current batch of this column.
    fn cut(&mut self) {
        match self {
            Store::Dict { cur, done, .. } => done.push(cur.finish()),
            Store::Text(b, done) => done.push(Arc::new(b.finish())),
            Store::Date(b, done) => done.push(Arc::new(b.finish())),
            Store::Int(b, done) => done.push(Arc::new(b.finish())),
            Store::Tags(b, done) => done.push(Arc::new(b.finish())),
            Store::Attr(b, done) => done.push(b.finish()),
        }
    }

    /// Approximate heap bytes held.
    fn heap_bytes(&self) -> usize {
        let arrays = |v: &[ArrayRef]| v.iter().map(|a| a.get_array_memory_size()).sum::<usize>();
        match self {
            Store::Dict {
                interner,
                cur,
                done,
            } => {
                interner.heap_bytes()
                    + cur.capacity() * 4
                    + done
                        .iter()
                        .map(|a| a.get_array_memory_size())
                        .sum::<usize>()
            }
            Store::Text(b, done) => b.values_slice().len() + b.len() * 4 + arrays(done),
            Store::Date(b, done) => b.capacity() * 4 + arrays(done),
            Store::Int(b, done) => b.capacity() * 8 + arrays(done),
            Store::Tags(b, done) => {
                b.values_ref().values_slice().len() + b.len() * 8 + arrays(done)
            }
            Store::Attr(b, done) => {
                b.values_slice().len()
                    + b.len() * 4
                    + done
                        .iter()
                        .map(|a| a.get_array_memory_size())
                        .sum::<usize>()
            }
        }
    }
}

/// Builds the typed batches of one table.
pub struct TableBuilder {
    kind: TableKind,
    file: String,
    plans: Vec<Plan>,
    stores: Vec<Store>,
    status: Option<usize>,
    amount: Option<usize>,
    member: Option<usize>,
    scratch: Vec<Parsed>,
    /// The coerced values of a batch, per plan (the column path).
    values: Vec<Vec<Parsed>>,
    dict_memos: Vec<KeyMemo<u32>>,
    /// The member id codes of a batch's rows given by the members' duplicate check (the
    /// column path): the id column's append takes them as they are.
    member_codes: Vec<u32>,
    status_memo: KeyMemo<StatusClass>,
    buf: String,
    rows_in_batch: usize,
    rows: u64,
    columns: Vec<ColumnReport>,
    /// The source column of the order id, if any.
    order_id: Option<usize>,
    /// Line-item grouping, when on (SPEC §1.1).
    lines: Option<lines::Lines>,
    /// Member attributes are left as text, typed once the parts of a file are merged.
    defer_attrs: bool,
}

/// The type a member attribute column reports while it waits to be typed (a part of a file
/// read in parts: the type depends on every value of the file).
pub const UNTYPED: &str = "untyped";

impl TableBuilder {
    /// A builder for `kind` with the roles assigned to the columns of `headers`.
    pub fn new(
        kind: TableKind,
        file: &str,
        headers: &[String],
        roles: &[Assignment],
    ) -> Result<Self> {
        require_roles(kind, headers, roles, file)?;
        let plans = plan(kind, headers, roles);
        let columns = headers
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let a = roles.iter().find(|a| a.column == i);
                let p = plans.iter().find(|p| p.source == i);
                ColumnReport {
                    name: name.clone(),
                    role: a.map(|a| a.role.to_string()),
                    confidence: a.map(|a| a.confidence),
                    detected_by: a.map(|a| a.how.to_string()),
                    ty: p.map_or("ignored", |p| p.read.type_name()).to_string(),
                }
            })
            .collect();
        let plans: Vec<Plan> = plans.into_iter().filter(|p| p.read != Read::Skip).collect();
        let find = |pred: &dyn Fn(Read) -> bool| plans.iter().position(|p| pred(p.read));
        Ok(TableBuilder {
            kind,
            file: file.to_string(),
            status: find(&|r| r == Read::Status),
            amount: find(&|r| r == Read::Money { required: true }),
            member: find(&|r| matches!(r, Read::MemberId { .. })),
            stores: plans.iter().map(|p| Store::new(p.read)).collect(),
            dict_memos: plans.iter().map(|_| KeyMemo::default()).collect(),
            member_codes: Vec::new(),
            plans,
            scratch: Vec::new(),
            values: Vec::new(),
            status_memo: KeyMemo::default(),
            buf: String::new(),
            rows_in_batch: 0,
            rows: 0,
            columns,
            order_id: roles
                .iter()
                .find(|a| a.role == "order_id")
                .map(|a| a.column),
            lines: None,
            defer_attrs: false,
        })
    }

    /// Leaves member attributes as text (reported [`UNTYPED`]): the parts of a file read in
    /// parts are typed together once merged.
    pub fn defer_attrs(&mut self) {
        self.defer_attrs = true;
    }

    /// Reads the file as line items (SPEC §1.1): consecutive rows with the same order id are
    /// one order, and a refund-amount column adds refund rows. Order-level values may then be
    /// empty on a line (the order takes the first non-empty one), and the status is judged per
    /// order, not per row.
    pub fn line_items(&mut self) {
        for p in &mut self.plans {
            p.read = match p.read {
                Read::Date { .. } => Read::Date { required: false },
                Read::Money { .. } => Read::Money { required: false },
                r => r,
            };
        }
        let fields: Vec<String> = self.plans.iter().map(|p| p.field.clone()).collect();
        let reads: Vec<Read> = self.plans.iter().map(|p| p.read).collect();
        self.lines = Some(lines::Lines::new(self.order_id, &fields, &reads));
        self.status = None;
        self.amount = None;
    }

    /// Keeps the order id column (read as text), for an order items file to join on (SPEC
    /// §1.1: a Tmall / Taobao 订单报表 beside its 宝贝报表). Call before the first row.
    pub fn keep_order_id(&mut self) {
        let Some(src) = self.order_id else {
            return;
        };
        if self.plans.iter().any(|p| p.source == src) {
            return;
        }
        let pos = self.plans.partition_point(|p| p.source < src);
        let header = self.columns[src].name.clone();
        self.plans.insert(
            pos,
            Plan {
                source: src,
                field: "order_id".to_string(),
                header,
                read: Read::Dict,
            },
        );
        self.stores.insert(pos, Store::new(Read::Dict));
        self.dict_memos.insert(pos, KeyMemo::default());
        self.columns[src].ty = Read::Dict.type_name().to_string();
        let find = |pred: &dyn Fn(Read) -> bool| self.plans.iter().position(|p| pred(p.read));
        self.status = find(&|r| r == Read::Status);
        self.amount = find(&|r| r == Read::Money { required: true });
        self.member = find(&|r| matches!(r, Read::MemberId { .. }));
    }

    /// The plan of a members table's id column, whose ids must be distinct (none for orders).
    fn member_id_plan(&self) -> Option<usize> {
        self.member.filter(|_| self.kind == TableKind::Members)
    }

    /// Whether the table is read as line items.
    pub fn is_line_items(&self) -> bool {
        self.lines.is_some()
    }

    /// Ends the input: loads the order still being read (line items).
    pub fn end(&mut self, rejections: &mut Rejections) {
        self.flush_lines(rejections);
    }

    /// The line values beyond each order's first (per field: table row, dictionary code) and
    /// the line-item counts, when the table was read as line items.
    pub fn line_values(&mut self) -> Option<(super::table::LineValues, LineCounts)> {
        self.lines.take().map(lines::Lines::into_parts)
    }

    /// The source columns the table keeps (the others are not read).
    pub fn kept_sources(&self) -> Vec<usize> {
        let mut kept: Vec<usize> = self.plans.iter().map(|p| p.source).collect();
        // Line items are told apart by their order id.
        if let (Some(c), true) = (self.order_id, self.lines.is_some()) {
            if !kept.contains(&c) {
                kept.push(c);
                kept.sort_unstable();
            }
        }
        kept
    }

    /// The source columns read as few distinct values (stores, channels, statuses): worth
    /// reading dictionary-encoded when stored so. Not member ids: there are about as many as
    /// orders, so a Parquet writer's dictionary overflows and a reader would have to rebuild
    /// one, hashing every row twice.
    pub fn dictionary_sources(&self) -> Vec<usize> {
        self.plans
            .iter()
            .filter(|p| matches!(p.read, Read::Dict | Read::Status))
            .map(|p| p.source)
            .collect()
    }

    /// Rows loaded so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Approximate heap bytes held by the columns built so far.
    pub fn heap_bytes(&self) -> usize {
        self.stores.iter().map(Store::heap_bytes).sum()
    }

    /// Bytes the columns may reserve next (the current batch doubling).
    pub fn next_batch_bytes(&self) -> usize {
        // The next growth doubles the current batch's columns (8 bytes a row at most).
        let rows = (2 * self.rows_in_batch.max(FIRST_ROWS)).min(BATCH_ROWS);
        self.plans.len() * rows * 8
    }

    /// Adds one source row (already checked for width), or rejects it with a reason.
    pub fn push<R: Row + ?Sized>(&mut self, row_number: u64, row: &R, rejections: &mut Rejections) {
        self.scratch.clear();
        for p in &self.plans {
            let cell = row.cell(p.source);
            match coerce(p.read, cell, &mut self.buf) {
                Ok(v) => self.scratch.push(v),
                Err(reason) => {
                    let raw = cell.text(&mut self.buf).to_string();
                    rejections.reject(row_number, &p.header, &raw, reason);
                    return;
                }
            }
        }
        if self.lines.is_some() {
            self.push_line(row_number, row, rejections);
            return;
        }
        if let Some(s) = self.status {
            let cell = row.cell(self.plans[s].source);
            match status_class(cell.text(&mut self.buf)) {
                class @ (StatusClass::Cancelled | StatusClass::NotPaid) => {
                    let raw = cell.text(&mut self.buf).to_string();
                    rejections.reject(row_number, &self.plans[s].header, &raw, class.reason());
                    return;
                }
                StatusClass::Refund => {
                    if let Some(Parsed::Int(c)) = self.amount.map(|a| &mut self.scratch[a]) {
                        *c = -c.abs();
                    }
                }
                StatusClass::Normal => {}
            }
        }
        // A member's id is interned by the duplicate check, and its code appended as it is.
        let mut member_code = None;
        if let Some(m) = self.member_id_plan() {
            let cell = row.cell(self.plans[m].source);
            let id = cell.text(&mut self.buf).trim();
            if let Store::Dict { interner, .. } = &mut self.stores[m] {
                match interner.insert(id) {
                    (code, true) => member_code = Some((m, code)),
                    (_, false) => {
                        let id = id.to_string();
                        let header = &self.plans[m].header;
                        rejections.reject(row_number, header, &id, columns::DUPLICATE_ID);
                        return;
                    }
                }
            }
        }
        for (pi, ((p, store), v)) in self
            .plans
            .iter()
            .zip(&mut self.stores)
            .zip(&self.scratch)
            .enumerate()
        {
            match (store, member_code) {
                (Store::Dict { cur, .. }, Some((m, code))) if m == pi => cur.append_value(code),
                (store, _) => append(store, *v, || row.cell(p.source), &mut self.buf),
            }
        }
        self.rows += 1;
        self.rows_in_batch += 1;
        if self.rows_in_batch == BATCH_ROWS {
            self.cut();
        }
    }

    fn cut(&mut self) {
        for s in &mut self.stores {
            s.cut();
        }
        self.rows_in_batch = 0;
    }

    /// The finished batches (member attributes typed from all their values) and the column
    /// reports.
    pub fn finish(mut self) -> Result<(Vec<RecordBatch>, Vec<ColumnReport>)> {
        if self.rows_in_batch > 0 || self.rows == 0 {
            self.cut();
        }
        let batch_count = self.stores.first().map_or(1, |s| match s {
            Store::Dict { done, .. } => done.len(),
            Store::Text(_, d) | Store::Date(_, d) | Store::Int(_, d) | Store::Tags(_, d) => d.len(),
            Store::Attr(_, d) => d.len(),
        });
        let mut fields = Vec::with_capacity(self.plans.len());
        let mut columns: Vec<Vec<ArrayRef>> = Vec::with_capacity(self.plans.len());
        for (i, (p, store)) in self.plans.iter().zip(self.stores).enumerate() {
            let chunks: Vec<ArrayRef> = match store {
                Store::Dict { interner, done, .. } => {
                    let values: ArrayRef =
                        Arc::new(interner.finish().map_err(|e| {
                            Error::parse(format!("{}: {}: {e}", self.file, p.header))
                        })?);
                    done.into_iter()
                        .map(|keys| {
                            DictionaryArray::<UInt32Type>::try_new(keys, values.clone())
                                .map(|a| Arc::new(a) as ArrayRef)
                                .map_err(|e| internal(&self.file, e))
                        })
                        .collect::<Result<_>>()?
                }
                Store::Text(_, d) | Store::Date(_, d) | Store::Int(_, d) | Store::Tags(_, d) => d,
                Store::Attr(_, d) if self.defer_attrs => {
                    self.columns[p.source].ty = UNTYPED.to_string();
                    d.into_iter().map(|a| Arc::new(a) as ArrayRef).collect()
                }
                Store::Attr(_, d) => {
                    let (ty, arrays) = type_attribute(&d);
                    self.columns[p.source].ty = ty.to_string();
                    arrays
                }
            };
            let dt = chunks
                .first()
                .map_or(DataType::Utf8, |a| a.data_type().clone());
            fields.push(Field::new(&p.field, dt, true));
            debug_assert_eq!(chunks.len(), batch_count, "column {i}");
            columns.push(chunks);
        }
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let mut batches = Vec::with_capacity(batch_count);
        for b in 0..batch_count {
            let arrays: Vec<ArrayRef> = columns.iter().map(|c| c[b].clone()).collect();
            let batch = if arrays.is_empty() {
                RecordBatch::new_empty(schema.clone())
            } else {
                RecordBatch::try_new(schema.clone(), arrays).map_err(|e| internal(&self.file, e))?
            };
            batches.push(batch);
        }
        Ok((batches, self.columns))
    }
}

fn internal(file: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Internal, format!("{file}: {e}"))
}

fn require_roles(
    kind: TableKind,
    headers: &[String],
    roles: &[Assignment],
    file: &str,
) -> Result<()> {
    let required = required_roles(kind);
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !roles.iter().any(|a| a.role == *r))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::parse(format!(
        "{file}: no column found for {} of the {} table (columns: {}); name it with a mapping, e.g. {}=<column>",
        missing.join(", "),
        kind.name(),
        headers.join(", "),
        missing[0]
    )))
}

fn plan(kind: TableKind, headers: &[String], roles: &[Assignment]) -> Vec<Plan> {
    let mut plans: Vec<Plan> = roles
        .iter()
        .map(|a| {
            let (field, read) = role_plan(kind, a.role);
            Plan {
                source: a.column,
                field: field.to_string(),
                header: headers[a.column].clone(),
                read,
            }
        })
        .collect();
    plans.sort_by_key(|p| p.source);
    let mut used: Vec<String> = plans.iter().map(|p| p.field.clone()).collect();
    for (source, header) in headers.iter().enumerate() {
        if plans.iter().any(|p| p.source == source) {
            continue;
        }
        let mut field = header.clone();
        while used.contains(&field) {
            field.push_str("_2");
        }
        used.push(field.clone());
        let read = match kind {
            TableKind::Members => Read::Attr,
            _ => Read::Dict,
        };
        plans.push(Plan {
            source,
            field,
            header: header.clone(),
            read,
        });
    }
    plans
}

/// Appends one coerced value to a column; `cell` (the source value) is read only by the
/// columns that keep text.
fn append<'a>(store: &mut Store, v: Parsed, cell: impl FnOnce() -> Cell<'a>, buf: &mut String) {
    match (store, v) {
        (Store::Dict { cur, .. }, Parsed::Null) => cur.append_null(),
        (Store::Dict { interner, cur, .. }, _) => {
            let code = interner.code(cell().text(buf).trim());
            cur.append_value(code);
        }
        (Store::Text(b, _) | Store::Attr(b, _), Parsed::Null) => b.append_null(),
        (Store::Text(b, _) | Store::Attr(b, _), _) => b.append_value(cell().text(buf).trim()),
        (Store::Date(b, _), Parsed::Day(d)) => b.append_value(d),
        (Store::Date(b, _), _) => b.append_null(),
        (Store::Int(b, _), Parsed::Int(i)) => b.append_value(i),
        (Store::Int(b, _), _) => b.append_null(),
        (Store::Tags(b, _), Parsed::Null) => b.append(true),
        (Store::Tags(b, _), _) => {
            for t in split_tags(cell().text(buf)) {
                b.values().append_value(t);
            }
            b.append(true);
        }
    }
}
