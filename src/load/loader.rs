//! A load in steps. Bytes arrive in chunks (slices of a `File` in the browser, reads of a file
//! natively); the head of the file decides the format, the encoding and the delimiter; text
//! formats are decoded and parsed as the chunks arrive, so the raw text is never held whole;
//! binary formats (XLSX, Parquet, Arrow) are parsed once complete.

use super::csv::{delimiter_name, detect_delimiter, parse_delimiter, CsvStream};
use super::decode::{detect, from_label, Detected, TextDecoder};
use super::format::{detect as detect_format, Format};
use super::ndjson::NdjsonStream;
use super::parts::{Part, Plan};
use super::report::LoadReport;
use super::sink::{RoleOptions, RowStream, Sink};
use super::table::{LoadOptions, Table, TableKind};
use super::{columnar, xlsx};
use crate::error::{Error, ErrorKind, Result};
use crate::memory::Budget;
use serde::Serialize;

/// Bytes gathered before the format, encoding and delimiter are decided.
pub const HEAD_BYTES: usize = 64 * 1024;

/// How far a load has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "LoadChunkProgress")
)]
pub struct LoadProgress {
    /// Bytes of the file taken in.
    pub bytes: u64,
    /// Data rows read so far.
    pub rows: u64,
}

/// A text format being read: its decoder, its reader (CSV or NDJSON) and the rows' sink.
struct Text {
    decoder: TextDecoder,
    reader: Box<dyn RowStream + Send>,
    sink: Sink,
}

enum State {
    Head(Vec<u8>),
    Text(Box<Text>),
    Binary(Vec<u8>),
    Failed,
}

/// What a preview read of a file's head: the sink with its columns and first rows, and the
/// format, encoding and delimiter the load would use.
pub struct Head {
    /// The rows read (a preview sink: columns and samples only).
    pub sink: Sink,
    /// The format.
    pub format: Format,
    /// The encoding of a text format.
    pub encoding: Option<Detected>,
    /// The delimiter of a CSV file.
    pub delimiter: Option<u8>,
}

/// One table being loaded.
pub struct Loader {
    kind: TableKind,
    opts: LoadOptions,
    file: String,
    state: State,
    bytes: u64,
    budget: Budget,
    format: Option<Format>,
    encoding: Option<Detected>,
    delimiter: Option<u8>,
    /// A preview: rows wanted (the sink keeps samples only).
    preview: Option<usize>,
    /// The first part of a file read in parts: member attributes stay text until merged.
    in_parts: bool,
    /// The row groups of a Parquet file read in parts.
    groups: columnar::Groups,
    /// The first part of a Parquet file read by row groups, read before its end (see
    /// [`Loader::read_row_groups_now`]).
    read_early: Option<Part>,
    /// The file's size when the caller knows it (see [`Loader::expect_bytes`]).
    expected: Option<usize>,
}

/// The encoding of a text file: the caller's label, or detected from the head; a head that
/// is not text at all (a PDF, an image, random bytes) is an error naming the file.
pub(super) fn text_encoding(
    file: &str,
    head: &[u8],
    label: Option<&str>,
    complete: bool,
) -> Result<Detected> {
    let enc = match label {
        Some(label) => {
            from_label(label, head).map_err(|e| Error::option(format!("{file}: {e}")))?
        }
        None => detect(head, complete),
    };
    let utf16 = matches!(enc.name, "utf-16le" | "utf-16be");
    if let Some(why) = (!utf16).then(|| super::format::not_text(head)).flatten() {
        return Err(Error::parse(format!("{file}: {why}")));
    }
    Ok(enc)
}

impl std::fmt::Debug for Loader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loader")
            .field("kind", &self.kind)
            .field("file", &self.file)
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

impl Loader {
    /// Starts a load of table `kind`; options are checked now.
    pub fn new(kind: TableKind, opts: &LoadOptions) -> Result<Self> {
        let file = if opts.name.is_empty() {
            kind.name().to_string()
        } else {
            opts.name.clone()
        };
        let format = match &opts.format {
            Some(f) => Some(Format::parse(f).ok_or_else(|| {
                Error::option(format!(
                    "{file}: unknown format \"{f}\" (csv, tsv, xlsx, parquet, arrow, arrow-stream, ndjson)"
                ))
            })?),
            None => None,
        };
        let delimiter = match &opts.delimiter {
            Some(d) => Some(parse_delimiter(d).ok_or_else(|| {
                Error::option(format!("{file}: unknown delimiter \"{d}\" (, ; | tab)"))
            })?),
            None => (opts.format.as_deref() == Some("tsv")).then_some(b'\t'),
        };
        if let Some(label) = &opts.encoding {
            from_label(label, &[]).map_err(|e| Error::option(format!("{file}: {e}")))?;
        }
        Ok(Loader {
            kind,
            opts: opts.clone(),
            file,
            state: State::Head(Vec::new()),
            bytes: 0,
            budget: Budget::new(opts.memory_limit),
            format,
            encoding: None,
            delimiter,
            preview: None,
            in_parts: false,
            groups: columnar::Groups::All,
            read_early: None,
            expected: None,
        })
    }

    /// Reads only row groups `range` of a Parquet file (a part of a file read in parts): the
    /// first part (from row group 0) decides the roles, a later part reads with them.
    pub fn row_groups(mut self, range: std::ops::Range<usize>) -> Self {
        self.in_parts = true;
        self.groups = if range.start == 0 {
            columnar::Groups::First(range)
        } else {
            columnar::Groups::Later(range)
        };
        self
    }

    /// Makes this the first part of a file read in parts (see [`super::parts`]): it reads
    /// the head and its rows as usual, and leaves member attributes to be typed once merged.
    pub fn in_parts(mut self) -> Self {
        self.in_parts = true;
        self
    }

    /// A loader of a later part of a file read in parts: no header, the plan's encoding,
    /// delimiter and roles.
    pub fn part(kind: TableKind, opts: &LoadOptions, plan: &Plan) -> Result<Self> {
        let mut loader = Loader::new(kind, opts)?;
        let enc = Detected {
            encoding: plan.encoding,
            name: "",
            bom_len: 0,
            evidence: String::new(),
            evidence_zh: String::new(),
        };
        let separator = delimiter_name(plan.delimiter);
        let sink = Sink::with_plan(
            kind,
            &loader.file,
            separator,
            (&plan.headers, &plan.roles, plan.keep_order_id),
        )?;
        loader.state = State::Text(Box::new(Text {
            decoder: TextDecoder::new(&enc),
            reader: Box::new(CsvStream::new(plan.delimiter)),
            sink,
        }));
        loader.format = Some(Format::Csv);
        loader.encoding = Some(enc);
        loader.delimiter = Some(plan.delimiter);
        loader.in_parts = true;
        Ok(loader)
    }

    /// The plan the rest of the file could be read in parts with, once the head has decided
    /// the roles (`None` before, and for a file that is not read in parts).
    pub fn plan(&self) -> Option<Plan> {
        let (State::Text(t), Some(format), Some(enc), Some(delimiter)) =
            (&self.state, self.format, &self.encoding, self.delimiter)
        else {
            return None;
        };
        if !super::parts::splits(format) || !self.in_parts {
            return None;
        }
        Some(Plan {
            headers: t.sink.headers()?.to_vec(),
            roles: t.sink.plan_roles()?.to_vec(),
            keep_order_id: t.sink.keeps_order_id(),
            encoding: enc.encoding,
            delimiter,
            head_bytes: self.bytes,
        })
    }

    /// Ends one part of a file read in parts: its rows, built. `last` says it is the file's
    /// last part; any other must end at a record boundary, else `None` (it was cut inside a
    /// quoted field).
    pub fn end_part(&mut self, last: bool) -> Result<Option<Part>> {
        if let Some(part) = self.read_early.take() {
            return Ok(Some(part));
        }
        if let State::Head(buf) = &mut self.state {
            let head = std::mem::take(buf);
            self.start(head, last)?;
        }
        let file = self.file.clone();
        let sink = match std::mem::replace(&mut self.state, State::Failed) {
            State::Text(t) => {
                if !last && !t.reader.clean() {
                    return Ok(None);
                }
                let Text {
                    mut decoder,
                    mut reader,
                    mut sink,
                } = *t;
                reader.feed(decoder.decode(&[], true), &mut sink, &file)?;
                reader.feed(&[], &mut sink, &file)?;
                let records = reader.records();
                (sink, decoder.replaced, records)
            }
            State::Binary(data) => {
                // Parquet rows are numbered from 2 in every part (the header is row 1): a
                // later part's come after the rows of the parts before it.
                let sink = self.read_binary(data, &mut |_| {})?;
                let rows = sink.rows_in();
                (sink, 0, rows)
            }
            State::Head(_) | State::Failed => return Err(failed(&file)),
        };
        let (sink, replaced, records) = sink;
        Ok(Some(Part {
            sunk: sink.finish()?,
            replaced,
            records,
            shared_buffers: false,
            // Every part of a Parquet file holds the whole file: the first counts its bytes.
            bytes: match self.groups {
                columnar::Groups::Later(_) => 0,
                _ => self.bytes,
            },
        }))
    }

    /// Reads the rows of the first part of a Parquet file read by row groups now, all of
    /// the file's bytes given (else [`Loader::end_part`] reads them), so that they are read
    /// while the other parts are read elsewhere; `end_part` then gives this part. Nothing
    /// for any other load.
    pub fn read_row_groups_now(&mut self) -> Result<()> {
        if !matches!(self.groups, columnar::Groups::First(_)) || self.read_early.is_some() {
            return Ok(());
        }
        // As `end_part` reads the first part when later parts follow (never the last).
        self.read_early = self.end_part(false)?;
        Ok(())
    }

    /// Builds the table of a file read in parts from its parts, in file order (the first
    /// one this loader's).
    pub fn finish_parts(self, parts: Vec<Part>) -> Result<Table> {
        let (sunk, replaced, bytes) = super::parts::merge(parts, &self.file)?;
        self.table(sunk, replaced, bytes, &mut |_| {})
    }

    /// A loader that only previews the file: it keeps the columns and the first `rows` rows.
    pub fn preview_only(mut self, rows: usize) -> Self {
        self.preview = Some(rows);
        self
    }

    /// How far the load has come.
    pub fn progress(&self) -> LoadProgress {
        let rows = match &self.state {
            State::Text(t) => t.sink.rows_in(),
            _ => 0,
        };
        LoadProgress {
            bytes: self.bytes,
            rows,
        }
    }

    /// Takes the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        let result = self.push_inner(chunk);
        if result.is_err() {
            self.state = State::Failed;
        }
        result
    }

    fn push_inner(&mut self, chunk: &[u8]) -> Result<()> {
        self.bytes += chunk.len() as u64;
        let file = self.file.as_str();
        match &mut self.state {
            State::Head(buf) => {
                buf.extend_from_slice(chunk);
                if buf.len() >= HEAD_BYTES {
                    let head = std::mem::take(buf);
                    self.start(head, false)?;
                }
            }
            State::Text(t) => {
                let Text {
                    decoder,
                    reader,
                    sink,
                } = t.as_mut();
                reader.feed(decoder.decode(chunk, false), sink, file)?;
                self.budget.check(
                    file,
                    sink.heap_bytes(),
                    sink.next_batch_bytes() + chunk.len() * 4,
                    sink.rows_in(),
                )?;
            }
            State::Binary(buf) => {
                // Parsing needs the whole file and about as much again for its columns.
                self.budget
                    .check(file, buf.len(), chunk.len() + buf.len(), 0)?;
                buf.extend_from_slice(chunk);
            }
            State::Failed => return Err(failed(file)),
        }
        Ok(())
    }

    fn sink(&self, separator: &'static str) -> Sink {
        let roles = RoleOptions {
            mapping: self.opts.mapping.clone(),
            lenient: self.opts.lenient_mapping,
        };
        let sink = Sink::new(self.kind, &self.file, roles, separator);
        let sink = if self.in_parts {
            sink.defer_attrs()
        } else {
            sink
        };
        match self.preview {
            Some(rows) => sink.preview_only(rows),
            None => sink,
        }
    }

    /// The whole file will be `total` bytes: a binary file (held whole before it is read) is
    /// then given its room at once, not grown by doubling (no copy of what came before, no
    /// peak of 1.5 times the file). Only a hint: the bytes pushed are what is read.
    pub fn expect_bytes(&mut self, total: usize) {
        self.expected = Some(total);
    }

    /// Decides format, encoding and delimiter from the head and starts reading.
    fn start(&mut self, mut head: Vec<u8>, complete: bool) -> Result<()> {
        let format = *self.format.get_or_insert_with(|| detect_format(&head));
        if !matches!(format, Format::Csv | Format::Ndjson) {
            // Parsing needs as much again as the bytes held (a whole file given at once, as a
            // preview of a binary file is, is checked here).
            self.budget.check(&self.file, head.len(), head.len(), 0)?;
            let more = self.expected.unwrap_or(0).saturating_sub(head.len());
            // Room past the budget, or that the allocator cannot give, is not taken here: the
            // pushes that need it then fail with the budget's message.
            if more > 0 && self.budget.check(&self.file, head.len(), more, 0).is_ok() {
                let _ = head.try_reserve_exact(more);
            }
            self.state = State::Binary(head);
            return Ok(());
        }
        let enc = text_encoding(&self.file, &head, self.opts.encoding.as_deref(), complete)?;
        let mut decoder = TextDecoder::new(&enc);
        self.encoding = Some(enc);
        let text = decoder.decode(&head, false);
        let (mut reader, mut sink): (Box<dyn RowStream + Send>, Sink) = if format == Format::Ndjson
        {
            (Box::new(NdjsonStream::default()), self.sink(","))
        } else {
            let delimiter = *self.delimiter.get_or_insert_with(|| detect_delimiter(text));
            (
                Box::new(CsvStream::new(delimiter)),
                self.sink(delimiter_name(delimiter)),
            )
        };
        reader.feed(text, &mut sink, &self.file)?;
        self.state = State::Text(Box::new(Text {
            decoder,
            reader,
            sink,
        }));
        Ok(())
    }

    /// Ends a preview: `complete` says the bytes pushed were the whole file (else a row cut at
    /// their end is left out, and a binary format is an error: it needs the whole file).
    pub fn finish_preview(mut self, complete: bool) -> Result<Head> {
        if let State::Head(buf) = &mut self.state {
            let head = std::mem::take(buf);
            self.start(head, complete)?;
        }
        let file = self.file.clone();
        let sink = match std::mem::replace(&mut self.state, State::Failed) {
            State::Text(t) if complete => self.end_text(*t)?.0,
            State::Text(t) => {
                let Text {
                    mut reader,
                    mut sink,
                    ..
                } = *t;
                reader.flush_head(&mut sink, &file)?;
                sink
            }
            State::Binary(data) if complete => self.read_binary(data, &mut |_| {})?,
            State::Binary(_) => {
                let name = self.format.map_or("binary", Format::name);
                return Err(Error::option(format!(
                    "{file}: a {name} preview needs the whole file"
                )));
            }
            State::Head(_) | State::Failed => return Err(failed(&file)),
        };
        Ok(Head {
            sink,
            format: self.format.unwrap_or(Format::Csv),
            encoding: self.encoding.take(),
            delimiter: self.delimiter,
        })
    }

    /// Ends the file of a text format: the last row, and what the decoder had to replace.
    fn end_text(&self, t: Text) -> Result<(Sink, u64)> {
        let Text {
            mut decoder,
            mut reader,
            mut sink,
        } = t;
        reader.feed(decoder.decode(&[], true), &mut sink, &self.file)?;
        reader.feed(&[], &mut sink, &self.file)?;
        Ok((sink, decoder.replaced))
    }

    /// Reads what is left and builds the table. `progress` hears of rows parsed in formats
    /// that are parsed at the end.
    pub fn finish(mut self, progress: &mut dyn FnMut(LoadProgress)) -> Result<Table> {
        if let State::Head(buf) = &mut self.state {
            let head = std::mem::take(buf);
            self.start(head, true)?;
        }
        let file = self.file.clone();
        let bytes = self.bytes;
        let (sink, replaced) = match std::mem::replace(&mut self.state, State::Failed) {
            State::Text(t) => self.end_text(*t)?,
            State::Binary(data) => (self.read_binary(data, progress)?, 0),
            State::Head(_) | State::Failed => return Err(failed(&file)),
        };
        let sunk = sink.finish()?;
        self.table(sunk, replaced, bytes, progress)
    }

    /// The table and its report from the rows read.
    fn table(
        &self,
        sunk: super::sink::Sunk,
        replaced: u64,
        bytes: u64,
        progress: &mut dyn FnMut(LoadProgress),
    ) -> Result<Table> {
        let file = self.file.clone();
        let enc = self.encoding.as_ref();
        let mut warnings = sunk.warnings;
        if replaced > 0 {
            let name = enc.map_or("text", |e| e.name);
            warnings.push((
                format!("{replaced} byte sequences are not valid {name} and show as \u{fffd}"),
                format!("{replaced} 处字节不是有效的 {name}，显示为 \u{fffd}"),
            ));
        }
        if let Some(line) =
            super::summary::summary(sunk.platform.as_ref(), sunk.lines.as_ref().map(|l| &l.1))
        {
            warnings.insert(0, line);
        }
        let (warnings, warnings_zh) = warnings.into_iter().unzip();
        let mut report = LoadReport {
            kind: self.kind.name().to_string(),
            name: file.clone(),
            format: self.format.map_or("", Format::name).to_string(),
            encoding: enc.map_or("", |e| e.name).to_string(),
            encoding_evidence: enc.map_or(String::new(), |e| e.evidence.clone()),
            encoding_evidence_zh: enc.map_or(String::new(), |e| e.evidence_zh.clone()),
            delimiter: match (self.format, self.delimiter) {
                (Some(Format::Csv), Some(d)) => delimiter_name(d).to_string(),
                _ => String::new(),
            },
            rows_in: 0,
            rows_loaded: 0,
            rows_rejected: 0,
            rejected: Vec::new(),
            samples: Vec::new(),
            columns: sunk.columns,
            bytes,
            warnings,
            warnings_zh,
            line_items: None,
            platform: sunk.platform,
        };
        report.set_rows(sunk.rows_in, sunk.rejections);
        let (lines, counts) = sunk.lines.unzip();
        let expected = match &counts {
            Some(c) => {
                if c.lines != report.rows_loaded {
                    return Err(Error::new(
                        ErrorKind::Internal,
                        format!(
                            "{file}: line accounting broke: {} lines loaded, {} in orders",
                            report.rows_loaded, c.lines
                        ),
                    ));
                }
                c.orders + c.refunds
            }
            None => report.rows_loaded,
        };
        report.line_items = counts.map(|c| c.into());
        let table = Table {
            kind: self.kind,
            batches: sunk.batches,
            report,
            lines: lines.unwrap_or_default(),
        };
        if expected != table.num_rows() as u64 {
            return Err(Error::new(
                ErrorKind::Internal,
                format!(
                    "{file}: row accounting broke: {expected} loaded, {} in the table",
                    table.num_rows()
                ),
            ));
        }
        progress(LoadProgress {
            bytes,
            rows: table.report.rows_in,
        });
        Ok(table)
    }

    fn read_binary(
        &mut self,
        data: Vec<u8>,
        progress: &mut dyn FnMut(LoadProgress),
    ) -> Result<Sink> {
        let file = self.file.clone();
        let bytes = self.bytes;
        let mut rows = |r: u64| progress(LoadProgress { bytes, rows: r });
        let mut sink = self.sink("\t");
        match self.format {
            Some(Format::Xlsx) => xlsx::read(&data, self.opts.sheet.as_deref(), &file, &mut sink)?,
            Some(Format::Parquet) => {
                let data = bytes::Bytes::from(data);
                if let columnar::Groups::Later(_) = &self.groups {
                    // A later part: the roles of the first part's sample, then its row groups.
                    let mut sample = self.sink("\t");
                    let groups = columnar::Groups::Sample;
                    columnar::read_parquet(data.clone(), &file, &mut sample, &mut |_| {}, &groups)?;
                    let (Some(headers), Some(roles)) = (sample.headers(), sample.plan_roles())
                    else {
                        return Err(Error::new(
                            ErrorKind::Internal,
                            format!("{file}: the first rows decide no columns for a later part"),
                        ));
                    };
                    let plan = (headers, roles, sample.keeps_order_id());
                    sink = Sink::with_plan(self.kind, &file, "\t", plan)?;
                }
                columnar::read_parquet(data, &file, &mut sink, &mut rows, &self.groups)?
            }
            Some(f @ (Format::ArrowFile | Format::ArrowStream)) => {
                columnar::read_ipc(data, f == Format::ArrowStream, &file, &mut sink, &mut rows)?
            }
            _ => {
                return Err(Error::new(
                    ErrorKind::Internal,
                    format!("{file}: not a binary format"),
                ))
            }
        }
        Ok(sink)
    }
}

/// The error of a loader used after it failed.
fn failed(file: &str) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("{file}: the load already failed"),
    )
}

/// Bytes handed to the loader at a time when the whole file is already in memory.
pub const CHUNK_BYTES: usize = 4 * 1024 * 1024;

/// Loads one table from bytes in memory in one piece.
pub fn load_one(
    kind: TableKind,
    bytes: &[u8],
    opts: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Table> {
    let mut loader = Loader::new(kind, opts)?;
    let total = bytes.len().max(1) as f64;
    progress(0.0);
    for chunk in bytes.chunks(CHUNK_BYTES) {
        loader.push(chunk)?;
        progress(0.9 * loader.progress().bytes as f64 / total);
    }
    let table = loader.finish(&mut |_| {})?;
    progress(1.0);
    Ok(table)
}
