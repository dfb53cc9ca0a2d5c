//! The column-at-a-time path of the table builder, for formats that deliver typed columns
//! (Parquet, Arrow IPC): each column of a batch is checked in one loop, rows are rejected with
//! the reasons the row path gives (the first failing column in column order), and the rows
//! kept are appended column by column. Dictionary-encoded text (as Parquet stores repeated
//! strings) is interned once per dictionary value, not once per row.

use super::{append, Store, TableBuilder, BATCH_ROWS};
use crate::load::cell::Cell;
use crate::load::read::{coerce, Parsed};
use crate::load::report::Rejections;
use crate::load::status::{status_class, StatusClass};
use arrow_array::{Array, StringArray};
use std::ops::Range;

/// A batch given column by column.
pub trait Columns {
    /// The cell of column `c` in row `i`.
    fn cell(&self, c: usize, i: usize) -> Cell<'_>;
    /// Whether column `c` has a non-empty value in every row.
    fn never_empty(&self, c: usize) -> bool;
    /// Column `c` as keys into text values, when it is dictionary-encoded (keys of null rows
    /// are meaningless).
    fn dict(&self, c: usize) -> Option<(&[usize], &StringArray)> {
        let _ = c;
        None
    }
    /// Gives `f` the cell of column `c` in each row of `rows`, in order: the same cells as
    /// [`Columns::cell`], in a loop a typed column can run without deciding its type per cell.
    fn cells<F: FnMut(usize, Cell<'_>)>(&self, c: usize, rows: Range<usize>, mut f: F) {
        for i in rows {
            f(i, self.cell(c, i));
        }
    }
}

/// Row `i` of a batch given column by column.
struct ColumnRow<'a, C: ?Sized> {
    cols: &'a C,
    i: usize,
}

impl<C: Columns + ?Sized> crate::load::cell::Row for ColumnRow<'_, C> {
    fn len(&self) -> usize {
        usize::MAX
    }
    fn cell(&self, c: usize) -> Cell<'_> {
        self.cols.cell(c, self.i)
    }
}

/// What was worked out for each key of one dictionary (codes, status classes), so that the
/// work is done once per distinct value. It keeps the dictionary it belongs to alive, so a
/// new dictionary can never be mistaken for it by address.
#[derive(Debug)]
pub(super) struct KeyMemo<T> {
    dict: Option<StringArray>,
    values: Vec<Option<T>>,
}

impl<T> Default for KeyMemo<T> {
    fn default() -> Self {
        KeyMemo {
            dict: None,
            values: Vec::new(),
        }
    }
}

impl<T: Copy> KeyMemo<T> {
    /// Makes the memo that of `dict`: kept when it already is, emptied otherwise (once per
    /// batch, not per row).
    fn bind(&mut self, dict: &StringArray) -> &mut Self {
        let same = self.dict.as_ref().is_some_and(|d| {
            d.len() == dict.len()
                && d.offsets().as_ptr() == dict.offsets().as_ptr()
                && d.values().as_ptr() == dict.values().as_ptr()
        });
        if !same {
            self.dict = Some(dict.clone());
            self.values.clear();
            self.values.resize(dict.len(), None);
        }
        self
    }

    /// What was worked out for `key` of the bound dictionary, worked out now if not yet.
    fn get(&mut self, key: usize, compute: impl FnOnce() -> T) -> T {
        match self.values.get(key).copied().flatten() {
            Some(v) => v,
            None => {
                let v = compute();
                if let Some(slot) = self.values.get_mut(key) {
                    *slot = Some(v);
                }
                v
            }
        }
    }
}

/// The key of row `i` in a dictionary column, with the dictionary, when it points into it.
fn dict_entry<'a>(
    (keys, values): (&[usize], &'a StringArray),
    i: usize,
) -> Option<(usize, &'a StringArray)> {
    keys.get(i)
        .copied()
        .filter(|&key| key < values.len())
        .map(|key| (key, values))
}

/// The reason a members table's row with an id seen before is not loaded.
pub(super) const DUPLICATE_ID: &str = "duplicate member id";

/// Why a row is not loaded: the plan whose column rejects it (`None`: the whole row), and
/// the reason.
type Verdict = Option<(Option<usize>, &'static str)>;

impl TableBuilder {
    /// Adds rows `rows` of a batch given column by column, with the checks and reasons of
    /// [`TableBuilder::push`]; `first` is the row number of the batch's row 0.
    pub fn push_columns<C: Columns + ?Sized>(
        &mut self,
        first: u64,
        cols: &C,
        rows: Range<usize>,
        rejections: &mut Rejections,
    ) {
        if self.lines.is_some() {
            // Line items are merged row by row.
            for i in rows {
                let row = ColumnRow { cols, i };
                if (0..self.columns.len()).all(|c| cols.cell(c, i).is_empty()) {
                    rejections.reject(first + i as u64, "", "", "empty row");
                } else {
                    self.push(first + i as u64, &row, rejections);
                }
            }
            return;
        }
        let (start, n) = (rows.start, rows.len());
        let mut verdict: Vec<Verdict> = vec![None; n];
        let width = self.columns.len();
        if !(0..width).any(|c| cols.never_empty(c)) {
            for (k, v) in verdict.iter_mut().enumerate() {
                if (0..width).all(|c| cols.cell(c, start + k).is_empty()) {
                    *v = Some((None, "empty row"));
                }
            }
        }
        self.values.resize_with(self.plans.len(), Vec::new);
        for (pi, p) in self.plans.iter().enumerate() {
            let vals = &mut self.values[pi];
            vals.clear();
            let buf = &mut self.buf;
            cols.cells(p.source, start..start + n, |i, cell| {
                vals.push(match coerce(p.read, cell, buf) {
                    Ok(v) => v,
                    Err(reason) => {
                        verdict[i - start].get_or_insert((Some(pi), reason));
                        Parsed::Null
                    }
                });
            });
        }
        if let Some(s) = self.status {
            self.classify_status(s, cols, start, &mut verdict);
        }
        if let Some(m) = self.member_id_plan() {
            self.reject_duplicates(m, cols, start, &mut verdict);
        }
        let mut accepted: Vec<u32> = Vec::with_capacity(n);
        for (k, v) in verdict.iter().enumerate() {
            match *v {
                None => accepted.push(k as u32),
                Some((plan, reason)) => {
                    let row = first + (start + k) as u64;
                    match plan {
                        Some(pi) => {
                            let p = &self.plans[pi];
                            let cell = cols.cell(p.source, start + k);
                            let raw = cell.text(&mut self.buf);
                            // A duplicate id is reported as compared (trimmed), as by `push`.
                            let raw = match reason {
                                DUPLICATE_ID => raw.trim(),
                                _ => raw,
                            }
                            .to_string();
                            rejections.reject(row, &p.header, &raw, reason);
                        }
                        None => rejections.reject(row, "", "", reason),
                    }
                }
            }
        }
        let mut done = 0;
        while done < accepted.len() {
            let room = BATCH_ROWS - self.rows_in_batch;
            let chunk = &accepted[done..accepted.len().min(done + room)];
            for pi in 0..self.plans.len() {
                self.append_column(pi, cols, start, chunk);
            }
            self.rows += chunk.len() as u64;
            self.rows_in_batch += chunk.len();
            if self.rows_in_batch == BATCH_ROWS {
                self.cut();
            }
            done += chunk.len();
        }
    }

    /// Rejects each row of a members table whose member id an earlier row has (the rows
    /// before it in this batch included), as [`TableBuilder::push`] does: the ids of the rows
    /// kept are interned here, in row order, and their codes kept for the id column's append.
    fn reject_duplicates<C: Columns + ?Sized>(
        &mut self,
        m: usize,
        cols: &C,
        start: usize,
        verdict: &mut [Verdict],
    ) {
        let src = self.plans[m].source;
        let Store::Dict { interner, .. } = &mut self.stores[m] else {
            return;
        };
        let codes = &mut self.member_codes;
        codes.clear();
        codes.resize(verdict.len(), 0);
        for (k, v) in verdict.iter_mut().enumerate() {
            if v.is_some() || matches!(self.values[m][k], Parsed::Null) {
                continue;
            }
            match interner.insert(cols.cell(src, start + k).text(&mut self.buf).trim()) {
                (code, true) => codes[k] = code,
                (_, false) => *v = Some((Some(m), DUPLICATE_ID)),
            }
        }
    }

    /// Rejects cancelled orders and turns refund amounts negative.
    fn classify_status<C: Columns + ?Sized>(
        &mut self,
        s: usize,
        cols: &C,
        start: usize,
        verdict: &mut [Verdict],
    ) {
        let src = self.plans[s].source;
        let dict = cols.dict(src);
        if let Some((_, values)) = dict {
            self.status_memo.bind(values);
        }
        for (k, v) in verdict.iter_mut().enumerate() {
            if v.is_some() {
                continue;
            }
            let i = start + k;
            let key = dict
                .filter(|_| !matches!(self.values[s][k], Parsed::Null))
                .and_then(|d| dict_entry(d, i));
            let class = match key {
                Some((key, values)) => {
                    let text = values.value(key);
                    self.status_memo.get(key, || status_class(text))
                }
                None => status_class(cols.cell(src, i).text(&mut self.buf)),
            };
            match class {
                c @ (StatusClass::Cancelled | StatusClass::NotPaid) => {
                    *v = Some((Some(s), c.reason()))
                }
                StatusClass::Refund => {
                    if let Some(Parsed::Int(c)) = self.amount.map(|a| &mut self.values[a][k]) {
                        *c = -c.abs();
                    }
                }
                StatusClass::Normal => {}
            }
        }
    }

    /// Appends the rows `chunk` (offsets from `start`) of plan `pi`'s column.
    fn append_column<C: Columns + ?Sized>(
        &mut self,
        pi: usize,
        cols: &C,
        start: usize,
        chunk: &[u32],
    ) {
        let src = self.plans[pi].source;
        let ids = self.member_id_plan() == Some(pi);
        let vals = &self.values[pi];
        let buf = &mut self.buf;
        match (&mut self.stores[pi], cols.dict(src)) {
            (Store::Dict { cur, .. }, _) if ids => {
                let codes = &self.member_codes;
                for &k in chunk {
                    let code = match vals[k as usize] {
                        Parsed::Null => None,
                        _ => Some(codes[k as usize]),
                    };
                    cur.append_option(code);
                }
            }
            (Store::Dict { interner, cur, .. }, dict) => {
                // Each dictionary value is interned once; rows take its code.
                let memo = &mut self.dict_memos[pi];
                if let Some((_, values)) = dict {
                    memo.bind(values);
                }
                for &k in chunk {
                    let (k, i) = (k as usize, start + k as usize);
                    let code = match (vals[k], dict.and_then(|d| dict_entry(d, i))) {
                        (Parsed::Null, _) => None,
                        (_, Some((key, values))) => {
                            Some(memo.get(key, || interner.code(values.value(key).trim())))
                        }
                        (_, None) => Some(interner.code(cols.cell(src, i).text(buf).trim())),
                    };
                    cur.append_option(code);
                }
            }
            (store, _) => {
                for &k in chunk {
                    let i = start + k as usize;
                    append(store, vals[k as usize], || cols.cell(src, i), buf);
                }
            }
        }
    }
}
