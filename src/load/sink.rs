//! Where every format's reader delivers its rows: the header, then rows that are counted,
//! checked for width, kept as a sample until the column roles are known, and then built into
//! typed columns. Every row that comes in is either loaded or rejected with a reason.

use super::builder::{Columns, TableBuilder};
use super::cell::{OwnedCell, Row};
use super::key::KeyKind;
use super::report::{ColumnReport, Rejections};
use super::roles::{assign_roles, Assignment};
use super::table::TableKind;
use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use std::collections::BTreeMap;
use std::ops::Range;

/// A reader of a text format (CSV, NDJSON) that hands its rows to a [`Sink`] as the file's
/// text arrives.
pub trait RowStream {
    /// Reads the complete rows of `input` (UTF-8 bytes); a row cut at the end of `input` is
    /// completed by the next call. An empty `input` ends the file.
    fn feed(&mut self, input: &[u8], sink: &mut Sink, file: &str) -> Result<()>;

    /// For a preview of the head of a file: gives the sink what the complete rows read so far
    /// decide (the columns), without ending the file.
    fn flush_head(&mut self, _sink: &mut Sink, _file: &str) -> Result<()> {
        Ok(())
    }

    /// Records read so far, the header included (a reader that cannot be read in parts
    /// counts none).
    fn records(&self) -> u64 {
        0
    }

    /// Whether the text fed so far ends at a record boundary.
    fn clean(&self) -> bool {
        true
    }
}

/// Rows kept to detect roles from values before typed building starts.
pub const SAMPLE_ROWS: usize = 1_000;

/// The most columns a file may have.
pub const MAX_COLUMNS: usize = 16_384;

/// How roles are chosen.
#[derive(Debug, Clone, Default)]
pub struct RoleOptions {
    /// Role → column name.
    pub mapping: BTreeMap<String, String>,
    /// Skip mapping entries that do not fit the file.
    pub lenient: bool,
}

/// What a finished sink hands back.
pub struct Sunk {
    /// The typed batches.
    pub batches: Vec<RecordBatch>,
    /// The columns with roles and types.
    pub columns: Vec<ColumnReport>,
    /// Data rows that came in.
    pub rows_in: u64,
    /// Rows rejected, by reason.
    pub rejections: Rejections,
    /// Renamed duplicate or blank headers.
    pub warnings: Vec<(String, String)>,
    /// The platform export layout recognised.
    pub platform: Option<super::report::ShopPlatform>,
    /// Line items: the line values beyond each order's first and the counts.
    pub lines: Option<(super::table::LineValues, super::builder::LineCounts)>,
}

/// Rows of one table on their way to typed columns.
pub struct Sink {
    kind: TableKind,
    file: String,
    roles: RoleOptions,
    headers: Option<Vec<String>>,
    sample: Vec<(u64, Vec<OwnedCell>)>,
    sample_limit: usize,
    builder: Option<TableBuilder>,
    rejections: Rejections,
    rows_in: u64,
    separator: &'static str,
    warnings: Vec<(String, String)>,
    buf: String,
    preview: bool,
    /// The roles the builder was made with (None for line items: such a file is read in one
    /// part, its orders span rows).
    plan: Option<Vec<Assignment>>,
    /// Member attributes stay text, to be typed once all parts of a file are read.
    defer_attrs: bool,
}

impl Sink {
    /// A sink for table `kind` of file `file`; `separator` joins the fields of a rejected row
    /// in its sample.
    pub fn new(kind: TableKind, file: &str, roles: RoleOptions, separator: &'static str) -> Self {
        Sink {
            kind,
            file: file.to_string(),
            roles,
            headers: None,
            sample: Vec::new(),
            sample_limit: SAMPLE_ROWS,
            builder: None,
            rejections: Rejections::default(),
            rows_in: 0,
            separator,
            warnings: Vec::new(),
            buf: String::new(),
            preview: false,
            plan: None,
            defer_attrs: false,
        }
    }

    /// A sink for a later part of a file read in parts: the header, the roles and whether the
    /// order id is kept come from the first part, so rows are built from the first one on.
    pub fn with_plan(
        kind: TableKind,
        file: &str,
        separator: &'static str,
        (headers, roles, keep_order_id): (&[String], &[Assignment], bool),
    ) -> Result<Self> {
        let mut sink = Sink::new(kind, file, RoleOptions::default(), separator);
        sink.headers = Some(headers.to_vec());
        sink.defer_attrs = true;
        sink.builder = Some(sink.builder_for(roles, keep_order_id, false)?);
        sink.plan = Some(roles.to_vec());
        Ok(sink)
    }

    /// Keeps member attributes as text (a file read in parts types them once merged).
    pub fn defer_attrs(mut self) -> Self {
        self.defer_attrs = true;
        self
    }

    /// The roles the rows are built with, once known, when the rows after the sample could
    /// be read in parts (not for line items).
    pub fn plan_roles(&self) -> Option<&[Assignment]> {
        self.plan.as_deref()
    }

    /// Whether the order id column is kept (a platform layout that joins items by it).
    pub fn keeps_order_id(&self) -> bool {
        self.layout().is_some_and(|l| l.keeps_order_id)
    }

    /// Keeps at most `rows` sample rows and never builds (for a preview).
    pub fn preview_only(mut self, rows: usize) -> Self {
        self.sample_limit = rows;
        self.preview = true;
        self
    }

    /// Sets the header row: names are trimmed, blank ones become `column_N`, repeated ones get
    /// a `_2` suffix (with a warning).
    pub fn set_headers(&mut self, raw: Vec<String>) -> Result<()> {
        if raw.len() > MAX_COLUMNS {
            return Err(Error::parse(format!(
                "{}: the header row has {} columns; at most {MAX_COLUMNS} are supported (is this a data file?)",
                self.file,
                raw.len()
            )));
        }
        let mut headers: Vec<String> = Vec::with_capacity(raw.len());
        for (i, h) in raw.into_iter().enumerate() {
            let mut name = h.trim().trim_start_matches('\u{feff}').trim().to_string();
            if name.is_empty() {
                name = format!("column_{}", i + 1);
            }
            if headers.contains(&name) {
                let original = name.clone();
                while headers.contains(&name) {
                    name.push_str("_2");
                }
                self.warnings.push((
                    format!(
                        "column {} repeats the header \"{original}\"; named it \"{name}\"",
                        i + 1
                    ),
                    format!("第 {} 列与表头“{original}”重复，已命名为“{name}”", i + 1),
                ));
            }
            headers.push(name);
        }
        if headers
            .iter()
            .enumerate()
            .all(|(i, h)| *h == format!("column_{}", i + 1))
        {
            return Err(Error::parse(format!(
                "{}: the header row is empty",
                self.file
            )));
        }
        self.headers = Some(headers);
        Ok(())
    }

    /// The header row, once set.
    pub fn headers(&self) -> Option<&[String]> {
        self.headers.as_deref()
    }

    /// Whether a preview sink has all the rows it wants (readers may stop).
    pub fn sample_full(&self) -> bool {
        self.preview && self.sample.len() >= self.sample_limit
    }

    /// Takes one data row.
    pub fn push<R: Row + ?Sized>(&mut self, row_number: u64, row: &R) -> Result<()> {
        self.rows_in += 1;
        let width = self.headers.as_ref().map_or(0, Vec::len);
        if row.len() != width {
            let raw = self.joined(row);
            let reason = format!("wrong number of fields (expected {width})");
            self.rejections.reject(row_number, "", &raw, &reason);
            return Ok(());
        }
        if (0..width).all(|i| row.cell(i).is_empty()) {
            self.rejections.reject(row_number, "", "", "empty row");
            return Ok(());
        }
        if let Some(b) = self.builder.as_mut() {
            b.push(row_number, row, &mut self.rejections);
            return Ok(());
        }
        if self.sample.len() < self.sample_limit {
            self.sample.push((
                row_number,
                (0..width).map(|i| row.cell(i).to_owned()).collect(),
            ));
        } else {
            // A preview past its sample: counted, not kept.
            self.rows_in -= 1;
            return Ok(());
        }
        if self.sample.len() >= SAMPLE_ROWS && !self.preview {
            self.start_building()?;
        }
        Ok(())
    }

    /// Whether the rows that come next may be given column by column
    /// ([`Sink::push_columns`]): once the roles are known.
    pub fn takes_columns(&self) -> bool {
        !self.preview && self.builder.is_some()
    }

    /// The source columns read as repeated text (member ids, statuses, stores, ...), once the
    /// roles are known: a reader may deliver them dictionary-encoded.
    pub fn dictionary_columns(&self) -> Vec<usize> {
        self.builder
            .as_ref()
            .map(TableBuilder::dictionary_sources)
            .unwrap_or_default()
    }

    /// The source columns the table keeps, once the roles are known (a reader may leave the
    /// others undecoded).
    pub fn kept_columns(&self) -> Option<Vec<usize>> {
        self.builder.as_ref().map(TableBuilder::kept_sources)
    }

    /// Takes rows `rows` of a batch given column by column (see [`Sink::takes_columns`]);
    /// `first` is the row number of the batch's row 0.
    pub fn push_columns<C: Columns + ?Sized>(&mut self, first: u64, cols: &C, rows: Range<usize>) {
        self.rows_in += rows.len() as u64;
        if let Some(b) = self.builder.as_mut() {
            b.push_columns(first, cols, rows, &mut self.rejections);
        }
    }

    /// Counts a row that could not be read at all.
    pub fn reject_unreadable(&mut self, row_number: u64, raw: &str, reason: &str) {
        self.rows_in += 1;
        self.rejections.reject(row_number, "", raw, reason);
    }

    /// Adds a warning for the report, in English and Chinese.
    pub fn warn(&mut self, en: String, zh: String) {
        self.warnings.push((en, zh));
    }

    fn joined<R: Row + ?Sized>(&mut self, row: &R) -> String {
        let mut out = String::new();
        for i in 0..row.len() {
            if i > 0 {
                out.push_str(self.separator);
            }
            out.push_str(row.cell(i).text(&mut self.buf));
        }
        out
    }

    /// The platform export layout the header matches (SPEC §1.1), if any.
    pub fn layout(&self) -> Option<&'static super::platform::Layout> {
        let headers = self.headers.as_deref().unwrap_or(&[]);
        let normalized: Vec<String> = headers.iter().map(|h| super::roles::normalize(h)).collect();
        super::platform::recognize(self.kind, &normalized)
    }

    /// The roles for the header and the sample so far.
    pub fn roles(&self) -> Result<Vec<Assignment>> {
        let headers = self.headers.as_deref().unwrap_or(&[]);
        let sample: Vec<Vec<OwnedCell>> = self.sample.iter().map(|(_, r)| r.clone()).collect();
        assign_roles(
            self.kind,
            headers,
            &sample,
            &self.roles.mapping,
            &self.file,
            self.roles.lenient,
        )
    }

    fn start_building(&mut self) -> Result<()> {
        let headers = self.headers.as_deref().unwrap_or(&[]);
        let normalized: Vec<String> = headers.iter().map(|h| super::roles::normalize(h)).collect();
        if self.kind == TableKind::Orders && super::platform::is_taobao_items(&normalized) {
            return Err(Error::parse(format!(
                "{}: this is a Taobao / Tmall items file (宝贝报表: one row per item, with no buyer or order time): load it as the order items table (order_items), and its order list (订单报表) as the orders table",
                self.file
            )));
        }
        let roles = self.roles()?;
        let key = roles
            .iter()
            .find(|a| a.role == "member_id")
            .and_then(|a| KeyKind::parse(a.how).map(|k| (k, &headers[a.column])));
        if let Some((kind, column)) = key {
            let (en, zh) = match kind {
                KeyKind::Email => (
                    "emails, compared trimmed and lowercased",
                    "邮箱（去空格、不分大小写）",
                ),
                KeyKind::Phone => (
                    "phone numbers, compared by their digits",
                    "手机号（只比较数字）",
                ),
                KeyKind::Nickname => ("buyer nicknames, compared trimmed", "买家昵称（去空格）"),
            };
            self.warnings.push((
                format!("no member id column: members are keyed by the column \"{column}\" ({en})"),
                format!("没有会员ID列：会员按“{column}”列识别（{zh}）"),
            ));
        }
        let layout = self.layout();
        let lines = self.kind == TableKind::Orders
            && (layout.is_some_and(|l| l.line_items) || line_items(&roles, &self.sample));
        let mut builder = self.builder_for(&roles, self.keeps_order_id(), lines)?;
        if !lines {
            self.plan = Some(roles);
        }
        for (row, cells) in self.sample.drain(..) {
            builder.push(row, cells.as_slice(), &mut self.rejections);
        }
        self.sample = Vec::new();
        self.builder = Some(builder);
        Ok(())
    }

    fn builder_for(
        &self,
        roles: &[Assignment],
        keep_order_id: bool,
        lines: bool,
    ) -> Result<TableBuilder> {
        let headers = self.headers.as_deref().unwrap_or(&[]);
        let mut builder = TableBuilder::new(self.kind, &self.file, headers, roles)?;
        if keep_order_id {
            builder.keep_order_id();
        }
        if lines {
            builder.line_items();
        }
        if self.defer_attrs {
            builder.defer_attrs();
        }
        Ok(builder)
    }

    /// Rows loaded so far (sample rows count once built).
    pub fn rows_loaded(&self) -> u64 {
        self.builder.as_ref().map_or(0, TableBuilder::rows)
    }

    /// Data rows seen so far.
    pub fn rows_in(&self) -> u64 {
        self.rows_in
    }

    /// Approximate heap bytes held by the rows taken so far.
    pub fn heap_bytes(&self) -> usize {
        self.builder.as_ref().map_or(0, TableBuilder::heap_bytes)
            + self.sample.len() * self.headers.as_ref().map_or(0, Vec::len) * 48
    }

    /// Bytes the columns may reserve next.
    pub fn next_batch_bytes(&self) -> usize {
        self.builder.as_ref().map_or_else(
            || super::builder::FIRST_ROWS * self.headers.as_ref().map_or(1, Vec::len) * 8,
            TableBuilder::next_batch_bytes,
        )
    }

    /// The sample rows kept (for a preview).
    pub fn sample(&self) -> &[(u64, Vec<OwnedCell>)] {
        &self.sample
    }

    /// Finishes the table.
    pub fn finish(mut self) -> Result<Sunk> {
        if self.headers.is_none() {
            return Err(Error::parse(format!("{}: the file is empty", self.file)));
        }
        if self.builder.is_none() {
            self.start_building()?;
        }
        let Some(builder) = self.builder.take() else {
            return Err(Error::parse(format!(
                "{}: no rows could be read",
                self.file
            )));
        };
        let mut builder = builder;
        builder.end(&mut self.rejections);
        let lines = builder.line_values();
        let platform = self.layout().map(super::platform::Layout::platform);
        let (batches, columns) = builder.finish()?;
        Ok(Sunk {
            batches,
            columns,
            rows_in: self.rows_in,
            rejections: self.rejections,
            warnings: self.warnings,
            lines,
            platform,
        })
    }
}

/// Whether an orders file is read as line items (SPEC §1.1): it has a refund-amount column,
/// or its order id repeats on consecutive rows of the first rows read.
fn line_items(roles: &[Assignment], sample: &[(u64, Vec<OwnedCell>)]) -> bool {
    if roles.iter().any(|a| a.role == "refund_amount") {
        return true;
    }
    let Some(c) = roles
        .iter()
        .find(|a| a.role == "order_id")
        .map(|a| a.column)
    else {
        return false;
    };
    let mut buf = String::new();
    let mut last = String::new();
    for (_, row) in sample {
        let id = row.as_slice().cell(c).text(&mut buf).trim().to_string();
        if !id.is_empty() && id == last {
            return true;
        }
        last = id;
    }
    false
}
