//! Delimited text (CSV, TSV, semicolon, pipe): delimiter detection on the head of the file,
//! and a streaming reader over `csv-core` that takes UTF-8 bytes chunk by chunk (records may
//! span chunks), so a large file is never held whole.

use super::cell::{Cell, Row};
use super::sink::{RowStream, Sink};
use crate::error::{Error, Result};

/// Candidate delimiters, most common first.
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// The longest record accepted: a longer one is almost always an unclosed quote.
const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// Picks the delimiter whose first records have the most consistent field count (> 1).
pub fn detect_delimiter(head: &[u8]) -> u8 {
    let mut best = (b',', 0.0f64, 0usize);
    for &d in &DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(head);
        let mut widths = Vec::new();
        for record in reader.byte_records().take(30) {
            match record {
                Ok(r) => widths.push(r.len()),
                Err(_) => break,
            }
        }
        // The last sampled record may be cut by the end of the head.
        if widths.len() > 2 {
            widths.pop();
        }
        let Some(&header_width) = widths.first() else {
            continue;
        };
        if header_width < 2 {
            continue;
        }
        let consistent =
            widths.iter().filter(|&&w| w == header_width).count() as f64 / widths.len() as f64;
        if consistent > best.1 || (consistent == best.1 && header_width > best.2) {
            best = (d, consistent, header_width);
        }
    }
    best.0
}

/// The display name of a delimiter.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b'\t' => "tab",
        b';' => ";",
        b'|' => "|",
        _ => ",",
    }
}

/// The delimiter named by `name` (`,` `;` `|` `tab` or `\t`).
pub fn parse_delimiter(name: &str) -> Option<u8> {
    match name {
        "," | "comma" => Some(b','),
        ";" | "semicolon" => Some(b';'),
        "|" | "pipe" => Some(b'|'),
        "tab" | "\t" | "\\t" => Some(b'\t'),
        _ => None,
    }
}

/// A streaming CSV reader.
pub struct CsvStream {
    reader: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
    /// Records completed, the header included (so the next record's row number is this + 1).
    records: u64,
    /// Bytes consumed (to name where an unclosed quote started).
    bytes: u64,
}

/// One record's fields, checked as UTF-8.
struct Record<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl Row for Record<'_> {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn cell(&self, i: usize) -> Cell<'_> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        match self.ends.get(i) {
            // Field ends fall between characters: fields are separated by ASCII delimiters.
            Some(&end) => Cell::Str(self.text.get(start..end).unwrap_or("")),
            None => Cell::Null,
        }
    }
}

impl CsvStream {
    /// A reader for `delimiter`.
    pub fn new(delimiter: u8) -> Self {
        CsvStream {
            reader: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 64 * 1024],
            ends: vec![0; 256],
            nout: 0,
            nend: 0,
            records: 0,
            bytes: 0,
        }
    }
}

impl RowStream for CsvStream {
    /// Records read so far (the header and blank lines included): a file read in parts
    /// numbers a later part's rows after the records of the parts before it.
    fn records(&self) -> u64 {
        self.records
    }

    /// Whether the text fed so far ends at a record boundary: no field or quoted text is
    /// pending. A part of a file split at a newline inside a quoted field ends unclean.
    fn clean(&self) -> bool {
        self.nout == 0 && self.nend == 0
    }

    /// Reads the records of `input` (UTF-8 bytes) into `sink`; a record cut at the end of
    /// `input` is completed by the next call. An empty `input` ends the file.
    fn feed(&mut self, input: &[u8], sink: &mut Sink, file: &str) -> Result<()> {
        let mut pos = 0;
        loop {
            let (res, nin, nout, nend) = self.reader.read_record(
                &input[pos..],
                &mut self.out[self.nout..],
                &mut self.ends[self.nend..],
            );
            // csv-core keeps field ends relative to the start of the record across calls.
            pos += nin;
            self.bytes += nin as u64;
            self.nout += nout;
            self.nend += nend;
            match res {
                csv_core::ReadRecordResult::InputEmpty => return Ok(()),
                csv_core::ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_RECORD_BYTES {
                        return Err(Error::parse(format!(
                            "{file}: row {} is longer than {} MB; is a quote left open? (byte {})",
                            self.records + 1,
                            MAX_RECORD_BYTES >> 20,
                            self.bytes
                        )));
                    }
                    let len = self.out.len() * 2;
                    self.out.resize(len, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len() * 2;
                    self.ends.resize(len, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    self.emit(sink)?;
                    self.nout = 0;
                    self.nend = 0;
                }
                csv_core::ReadRecordResult::End => return Ok(()),
            }
        }
    }
}

impl CsvStream {
    fn emit(&mut self, sink: &mut Sink) -> Result<()> {
        self.records += 1;
        let row = self.records;
        let bytes = &self.out[..self.nout];
        let ends = &self.ends[..self.nend];
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                if sink.headers().is_none() {
                    return Err(Error::parse(format!(
                        "the header row is not valid text in the detected encoding (byte {})",
                        e.valid_up_to()
                    )));
                }
                let raw = String::from_utf8_lossy(bytes).into_owned();
                sink.reject_unreadable(
                    row,
                    &raw,
                    "invalid UTF-8 text (part of the file in another encoding?)",
                );
                return Ok(());
            }
        };
        let record = Record { text, ends };
        if sink.headers().is_none() {
            let headers = (0..record.len())
                .map(|i| match record.cell(i) {
                    Cell::Str(s) => s.to_string(),
                    _ => String::new(),
                })
                .collect();
            return sink.set_headers(headers);
        }
        // A record of one empty field is a blank line: no data, not a row.
        if ends.len() == 1 && text.is_empty() {
            return Ok(());
        }
        let width = sink.headers().map_or(0, <[String]>::len);
        let lines = memchr::memchr_iter(b'\n', bytes).count();
        if ends.len() != width && lines > 0 {
            let raw: String = text.chars().take(200).collect();
            let reason = format!(
                "wrong number of fields (expected {width}); a quote left open joins {} lines into this row",
                lines + 1
            );
            sink.reject_unreadable(row, &raw, &reason);
            return Ok(());
        }
        sink.push(row, &record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::sink::RoleOptions;
    use crate::load::table::TableKind;

    #[test]
    fn detects_delimiters() {
        assert_eq!(detect_delimiter(b"a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter(b"a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(detect_delimiter(b"a;b\n1,5;2\n3,5;4\n"), b';');
        assert_eq!(detect_delimiter(b"a|b\n1|2\n"), b'|');
    }

    fn read(text: &str, chunk: usize) -> crate::load::sink::Sunk {
        let mut sink = Sink::new(TableKind::MemberTags, "t.csv", RoleOptions::default(), ",");
        let mut csv = CsvStream::new(b',');
        for c in text.as_bytes().chunks(chunk) {
            csv.feed(c, &mut sink, "t.csv").expect("feed");
        }
        csv.feed(&[], &mut sink, "t.csv").expect("end");
        sink.finish().expect("finish")
    }

    #[test]
    fn quoted_newlines_ragged_and_blank_rows_at_any_chunk_size() {
        let text = "member_id,tag\n1,\"two\nlines, \"\"quoted\"\"\"\n2\n\n3,ok\n,\n4,last";
        for chunk in [1, 2, 3, 7, 1000] {
            let t = read(text, chunk);
            assert_eq!(t.rows_in, 5, "chunk {chunk}");
            assert_eq!(t.rejections.total(), 2, "chunk {chunk}");
            assert_eq!(t.rejections.count("empty row"), 1);
            assert_eq!(t.rejections.count("wrong number of fields (expected 2)"), 1);
            let tags = t.batches[0]
                .column_by_name("tag")
                .and_then(|c| arrow_cast::cast(c, &arrow_schema::DataType::Utf8).ok())
                .expect("tags");
            let tags = tags
                .as_any()
                .downcast_ref::<arrow_array::StringArray>()
                .expect("str");
            let values: Vec<&str> = tags.iter().flatten().collect();
            assert_eq!(values, ["two\nlines, \"quoted\"", "ok", "last"]);
        }
    }
}
