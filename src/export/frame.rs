//! What every writer reads: a table of typed rows, one per member, and a progress counter.

use super::columns::{Columns, Kind, Value};

/// A table of typed rows, one per exported member.
pub trait Rows {
    /// The column headers.
    fn headers(&self) -> &[String];
    /// The type of each column.
    fn kinds(&self) -> &[Kind];
    /// The number of rows.
    fn len(&self) -> usize;
    /// Whether there is no row.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The member of row `i`.
    fn member(&self, i: usize) -> u32;
    /// The values of row `i`, in column order.
    fn row(&self, i: usize) -> Vec<Value<'_>>;
}

/// The audience's members with the chosen columns.
#[derive(Debug)]
pub struct AudienceRows<'a> {
    columns: &'a Columns<'a>,
    kinds: Vec<Kind>,
    members: Vec<u32>,
}

impl<'a> AudienceRows<'a> {
    /// Rows of `members` (in this order) with `columns`.
    pub fn new(columns: &'a Columns<'a>, members: Vec<u32>) -> Self {
        let kinds = (0..columns.cols.len()).map(|c| columns.kind(c)).collect();
        AudienceRows {
            columns,
            kinds,
            members,
        }
    }
}

impl Rows for AudienceRows<'_> {
    fn headers(&self) -> &[String] {
        &self.columns.headers
    }
    fn kinds(&self) -> &[Kind] {
        &self.kinds
    }
    fn len(&self) -> usize {
        self.members.len()
    }
    fn member(&self, i: usize) -> u32 {
        self.members[i]
    }
    fn row(&self, i: usize) -> Vec<Value<'_>> {
        self.columns.row(self.members[i])
    }
}

/// Some rows of another table (one file of a split export).
pub struct Selection<'r> {
    inner: &'r dyn Rows,
    rows: Vec<usize>,
}

impl<'r> Selection<'r> {
    /// Rows `rows` of `inner`, in this order.
    pub fn new(inner: &'r dyn Rows, rows: Vec<usize>) -> Self {
        Selection { inner, rows }
    }
}

impl Rows for Selection<'_> {
    fn headers(&self) -> &[String] {
        self.inner.headers()
    }
    fn kinds(&self) -> &[Kind] {
        self.inner.kinds()
    }
    fn len(&self) -> usize {
        self.rows.len()
    }
    fn member(&self, i: usize) -> u32 {
        self.inner.member(self.rows[i])
    }
    fn row(&self, i: usize) -> Vec<Value<'_>> {
        self.inner.row(self.rows[i])
    }
}

/// Rows written so far out of the total, reported every [`Ticker::EVERY`] rows.
pub struct Ticker<'p> {
    callback: &'p mut dyn FnMut(u64, u64),
    done: u64,
    total: u64,
}

impl<'p> Ticker<'p> {
    /// Rows between two reports.
    pub const EVERY: u64 = 16_384;

    /// A counter of `total` rows reporting `(done, total)` to `callback`.
    pub fn new(total: u64, callback: &'p mut dyn FnMut(u64, u64)) -> Self {
        Ticker {
            callback,
            done: 0,
            total,
        }
    }

    /// One more row written.
    pub fn step(&mut self) {
        self.done += 1;
        if self.done.is_multiple_of(Self::EVERY) {
            (self.callback)(self.done, self.total);
        }
    }

    /// Every row written.
    pub fn finish(&mut self) {
        (self.callback)(self.total, self.total);
    }
}
