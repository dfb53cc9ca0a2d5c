//! One file loaded in parts, each part by its own worker (a thread natively, a Web Worker with
//! its own wasm instance in the browser, no shared memory): the file is cut at newlines, each
//! part is parsed and built into typed columns on its own, and the parts are merged into the
//! table a load in one piece gives — the same rows, dictionaries, types and report.
//!
//! How a file is cut: the first part's head decides the format, the encoding, the delimiter
//! and the column roles (the [`Plan`]); every later part is read with that plan and no header.
//! A cut is placed just after the first newline at or after an even split of the bytes. A
//! newline inside a quoted field would make a wrong cut, so a part's end is checked: the part
//! before a cut, read from a true record start, must end at a record boundary; then the cut is
//! one too (by induction from the file's start). A part that ends inside a quoted field, or a
//! later part that fails, sends the load back to one worker, which gives the exact result or
//! error (with the file's row numbers).
//!
//! Only CSV (and TSV) files without line items are read in parts: a line-item order spans
//! rows, NDJSON reports keys over the whole file, and XLSX, Parquet and Arrow are read whole.
//! [`super::parallel`] reads a file so on threads; the browser's engine worker does the same
//! with Web Workers.

mod merge;
mod wire;

pub use merge::{merge, Part};

use super::format::Format;
use super::roles::Assignment;
use crate::error::Result;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// What every part of a file is read with: decided from the first part's head.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The header row.
    pub headers: Vec<String>,
    /// The column roles.
    pub roles: Vec<Assignment>,
    /// Whether the order id column is kept (a platform layout).
    pub keep_order_id: bool,
    /// The text encoding.
    pub encoding: &'static Encoding,
    /// The field delimiter.
    pub delimiter: u8,
    /// Bytes of the file read when the plan was known: the first cut comes after them.
    pub head_bytes: u64,
}

impl Plan {
    /// The first cut at or after `window`'s start: the offset just after its first newline
    /// (`None` when the window holds none). `window` must start at an even offset of the file
    /// (a UTF-16 newline is a code unit at an even offset).
    pub fn boundary(&self, window: &[u8]) -> Option<usize> {
        boundary(window, self.encoding)
    }
}

/// The offset just after the first newline of `window` in `encoding` (see [`Plan::boundary`]).
pub fn boundary(window: &[u8], encoding: &'static Encoding) -> Option<usize> {
    let unit: Option<[u8; 2]> = if encoding == UTF_16LE {
        Some([b'\n', 0])
    } else if encoding == UTF_16BE {
        Some([0, b'\n'])
    } else {
        None
    };
    match unit {
        // Every other encoding a file can be in here (UTF-8, GB18030, Big5, Shift_JIS, the
        // single-byte ones) never uses the byte 0x0A inside a multi-byte character.
        None => memchr::memchr(b'\n', window).map(|i| i + 1),
        Some(nl) => window
            .chunks_exact(2)
            .position(|u| u == nl)
            .map(|i| 2 * i + 2),
    }
}

/// Where a file of `total` bytes is cut into at most `parts` parts: offsets from 0 to `total`,
/// each cut just after a newline found by `find(offset)` (the first cut at or after `offset`,
/// an even offset), none before `head` bytes.
pub fn cuts(
    total: u64,
    parts: usize,
    head: u64,
    mut find: impl FnMut(u64) -> Result<Option<u64>>,
) -> Result<Vec<u64>> {
    let mut out = vec![0u64];
    for i in 1..parts as u64 {
        let nominal = (total / parts as u64 * i) & !1;
        let from = nominal
            .max(head + (head & 1))
            .max(out.last().copied().unwrap_or(0));
        if from >= total {
            break;
        }
        match find(from)? {
            Some(cut) if cut < total && cut > *out.last().unwrap_or(&0) => out.push(cut),
            Some(_) => {}
            None => break,
        }
    }
    out.push(total);
    Ok(out)
}

/// Whether a file of this format is read in parts.
pub fn splits(format: Format) -> bool {
    format == Format::Csv
}
