//! Writers of the generated tables in every input format, each through a real writer (the
//! csv crate, rust_xlsxwriter, the parquet crate's ArrowWriter, Arrow IPC, serde_json), so
//! tests and benchmarks load files made the way other tools make them.

use super::table::{Col, GenTable};
use super::vocab::{Lang, Vocab};
use super::GenOptions;
use crate::error::{Error, ErrorKind, Result};
use crate::load::coerce::{format_cents, ymd_from_day, Day};
use arrow_array::builder::{Date32Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Decimal128Array, Int64Array, RecordBatch, TimestampMillisecondArray};
use arrow_schema::{Field, Schema};
use chrono::Datelike;
use std::sync::Arc;

/// The formats `gen` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GenFormat {
    /// CSV (GBK for Chinese exports).
    #[default]
    Csv,
    /// An Excel workbook with typed cells.
    Xlsx,
    /// Parquet with typed columns.
    Parquet,
    /// Arrow IPC file.
    Arrow,
    /// Arrow IPC stream.
    ArrowStream,
    /// Newline-delimited JSON.
    Ndjson,
}

impl GenFormat {
    /// Parses a format name.
    pub fn parse(s: &str) -> Option<GenFormat> {
        Some(match s {
            "csv" => GenFormat::Csv,
            "xlsx" => GenFormat::Xlsx,
            "parquet" => GenFormat::Parquet,
            "arrow" => GenFormat::Arrow,
            "arrow-stream" => GenFormat::ArrowStream,
            "ndjson" => GenFormat::Ndjson,
            _ => return None,
        })
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            GenFormat::Csv => "csv",
            GenFormat::Xlsx => "xlsx",
            GenFormat::Parquet => "parquet",
            GenFormat::Arrow => "arrow",
            GenFormat::ArrowStream => "arrows",
            GenFormat::Ndjson => "ndjson",
        }
    }
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("writing the sample: {e}"))
}

/// Writes `t` in the format of `opts`.
pub(super) fn write(t: &GenTable<'_>, v: &Vocab, opts: &GenOptions) -> Result<Vec<u8>> {
    match opts.format {
        GenFormat::Csv => csv(t, v),
        GenFormat::Ndjson => ndjson(t),
        GenFormat::Xlsx => xlsx(t, v),
        GenFormat::Parquet => parquet(&batch(t)?, opts.compression.as_deref()),
        GenFormat::Arrow => ipc(&batch(t)?, false),
        GenFormat::ArrowStream => ipc(&batch(t)?, true),
    }
}

/// `2024-03-05` (English) or `2024/3/5` (Chinese).
fn date(lang: Lang, day: Day) -> String {
    let d = ymd_from_day(day);
    match lang {
        Lang::Zh => format!("{}/{}/{}", d.year(), d.month(), d.day()),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// `2024-03-05 14:03:21` (English) or `2024/3/5 14:03` (Chinese).
fn timestamp(lang: Lang, day: Day, minute: u32) -> String {
    let (h, m) = (minute / 60, minute % 60);
    match lang {
        Lang::Zh => format!("{} {h}:{m:02}", date(lang, day)),
        Lang::En => format!("{} {h:02}:{m:02}:{:02}", date(lang, day), seconds(minute)),
    }
}

/// The seconds of a generated time (deterministic, not always zero).
fn seconds(minute: u32) -> u32 {
    (minute * 7) % 60
}

/// `1299.00` (English) or `￥1,299.00` (Chinese).
fn money(lang: Lang, cents: i64) -> String {
    if lang == Lang::En {
        return format_cents(cents);
    }
    let plain = format_cents(cents.abs());
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}￥{grouped}.{frac}", if cents < 0 { "-" } else { "" })
}

/// A cell as CSV text in the language's conventions.
fn text(col: &Col<'_>, i: usize, v: &Vocab) -> String {
    match col {
        Col::Text(f) => f(i).unwrap_or_default(),
        Col::Day(d) => d[i].map(|d| date(v.lang, d)).unwrap_or_default(),
        Col::Time(t) => timestamp(v.lang, t[i].0, t[i].1),
        Col::Money(m) => m[i].map(|c| money(v.lang, c)).unwrap_or_default(),
        Col::Int(n) => n[i].map(|n| n.to_string()).unwrap_or_default(),
        Col::Tags(t) => t[i].join(v.tag_sep),
    }
}

fn csv(t: &GenTable<'_>, v: &Vocab) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(&t.headers).map_err(io)?;
    let mut row: Vec<String> = Vec::with_capacity(t.cols.len());
    for i in 0..t.rows {
        row.clear();
        row.extend(t.cols.iter().map(|c| text(c, i, v)));
        w.write_record(&row).map_err(io)?;
    }
    let bytes = w.into_inner().map_err(io)?;
    Ok(match v.lang {
        Lang::En => bytes,
        // Excel in China saves CSV as GBK.
        Lang::Zh => {
            let text = String::from_utf8(bytes).map_err(io)?;
            encoding_rs::GBK.encode(&text).0.into_owned()
        }
    })
}

fn ndjson(t: &GenTable<'_>) -> Result<Vec<u8>> {
    use serde_json::{Map, Value};
    let mut out = Vec::new();
    for i in 0..t.rows {
        let mut obj = Map::new();
        for (h, c) in t.headers.iter().zip(&t.cols) {
            let value = match c {
                Col::Text(f) => f(i).map_or(Value::Null, Value::String),
                Col::Day(d) => d[i].map_or(Value::Null, |d| Value::String(date(Lang::En, d))),
                Col::Time(t) => Value::String(format!(
                    "{}T{:02}:{:02}:{:02}",
                    date(Lang::En, t[i].0),
                    t[i].1 / 60,
                    t[i].1 % 60,
                    seconds(t[i].1)
                )),
                Col::Money(m) => m[i].map_or(Value::Null, |c| {
                    serde_json::from_str(&format_cents(c)).unwrap_or(Value::Null)
                }),
                Col::Int(n) => n[i].map_or(Value::Null, Value::from),
                Col::Tags(t) => Value::from(t[i].clone()),
            };
            obj.insert(h.to_string(), value);
        }
        serde_json::to_writer(&mut out, &obj).map_err(io)?;
        out.push(b'\n');
    }
    Ok(out)
}

fn xlsx(t: &GenTable<'_>, v: &Vocab) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let x = |e: rust_xlsxwriter::XlsxError| io(e);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let time_fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let money_fmt = Format::new().set_num_format("#,##0.00");
    for (c, h) in t.headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).map_err(x)?;
    }
    let excel_date = |day: Day| {
        let d = ymd_from_day(day);
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
    };
    for i in 0..t.rows {
        let r = i as u32 + 1;
        for (c, col) in t.cols.iter().enumerate() {
            let c = c as u16;
            match col {
                Col::Text(f) => {
                    if let Some(s) = f(i) {
                        sheet.write_string(r, c, s).map_err(x)?;
                    }
                }
                Col::Day(d) => {
                    if let Some(d) = d[i] {
                        sheet
                            .write_datetime_with_format(r, c, &excel_date(d).map_err(x)?, &date_fmt)
                            .map_err(x)?;
                    }
                }
                Col::Time(tm) => {
                    let (day, minute) = tm[i];
                    let dt = excel_date(day)
                        .and_then(|d| {
                            d.and_hms(
                                (minute / 60) as u16,
                                (minute % 60) as u8,
                                seconds(minute) as f64,
                            )
                        })
                        .map_err(x)?;
                    sheet
                        .write_datetime_with_format(r, c, &dt, &time_fmt)
                        .map_err(x)?;
                }
                Col::Money(m) => {
                    if let Some(cents) = m[i] {
                        sheet
                            .write_number_with_format(r, c, cents as f64 / 100.0, &money_fmt)
                            .map_err(x)?;
                    }
                }
                Col::Int(n) => {
                    if let Some(n) = n[i] {
                        sheet.write_number(r, c, n as f64).map_err(x)?;
                    }
                }
                Col::Tags(tags) => {
                    sheet
                        .write_string(r, c, tags[i].join(v.tag_sep))
                        .map_err(x)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(x)?;
    book.save_to_buffer().map_err(x)
}

/// The table as one Arrow batch with typed columns: dates, millisecond timestamps, money as
/// `Decimal128(14, 2)`, tags as lists.
fn batch(t: &GenTable<'_>) -> Result<RecordBatch> {
    let mut fields = Vec::with_capacity(t.cols.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(t.cols.len());
    for (h, c) in t.headers.iter().zip(&t.cols) {
        let array: ArrayRef = match c {
            Col::Text(f) => {
                let mut b = StringBuilder::new();
                for i in 0..t.rows {
                    b.append_option(f(i));
                }
                Arc::new(b.finish())
            }
            Col::Day(d) => {
                let mut b = Date32Builder::new();
                for v in d {
                    b.append_option(*v);
                }
                Arc::new(b.finish())
            }
            Col::Time(tm) => Arc::new(TimestampMillisecondArray::from_iter_values(tm.iter().map(
                |&(day, minute)| {
                    (i64::from(day) * 86_400 + i64::from(minute) * 60 + i64::from(seconds(minute)))
                        * 1_000
                },
            ))),
            Col::Money(m) => Arc::new(
                Decimal128Array::from_iter(m.iter().map(|c| c.map(i128::from)))
                    .with_precision_and_scale(14, 2)
                    .map_err(io)?,
            ),
            Col::Int(n) => Arc::new(Int64Array::from(n.clone())),
            Col::Tags(tags) => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for row in tags {
                    for tag in row {
                        b.values().append_value(tag);
                    }
                    b.append(true);
                }
                Arc::new(b.finish())
            }
        };
        fields.push(Field::new(*h, array.data_type().clone(), true));
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(io)
}

/// A Parquet file of `batch` with `compression` (default snappy).
pub fn parquet(batch: &RecordBatch, compression: Option<&str>) -> Result<Vec<u8>> {
    use parquet::arrow::ArrowWriter;
    use parquet::basic::{Compression, GzipLevel, ZstdLevel};
    use parquet::file::properties::WriterProperties;
    let codec = match compression.unwrap_or("snappy") {
        "snappy" => Compression::SNAPPY,
        "gzip" => Compression::GZIP(GzipLevel::default()),
        "lz4" => Compression::LZ4_RAW,
        "zstd" => Compression::ZSTD(ZstdLevel::default()),
        #[cfg(not(target_arch = "wasm32"))]
        "brotli" => Compression::BROTLI(parquet::basic::BrotliLevel::default()),
        "none" => Compression::UNCOMPRESSED,
        other => {
            return Err(Error::option(format!(
                "unknown Parquet compression \"{other}\" (snappy, gzip, lz4, zstd, brotli, none)"
            )))
        }
    };
    let props = WriterProperties::builder().set_compression(codec).build();
    let mut w = ArrowWriter::try_new(Vec::new(), batch.schema(), Some(props)).map_err(io)?;
    w.write(batch).map_err(io)?;
    w.into_inner().map_err(io)
}

/// An Arrow IPC file or stream of `batch`.
pub fn ipc(batch: &RecordBatch, stream: bool) -> Result<Vec<u8>> {
    if stream {
        let mut w =
            arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema()).map_err(io)?;
        w.write(batch).map_err(io)?;
        w.finish().map_err(io)?;
        w.into_inner().map_err(io)
    } else {
        let mut w =
            arrow_ipc::writer::FileWriter::try_new(Vec::new(), &batch.schema()).map_err(io)?;
        w.write(batch).map_err(io)?;
        w.finish().map_err(io)?;
        w.into_inner().map_err(io)
    }
}
