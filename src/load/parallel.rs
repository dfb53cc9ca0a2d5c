//! A file in memory read in parts on threads (natively: the CLI): the first part on this
//! thread, the others on threads of their own, merged into the table of a load in one piece
//! (see [`super::parts`]).

use super::format::Format;
use super::loader::{load_one, Loader};
use super::parts::{cuts, Part, Plan};
use super::table::{LoadOptions, Table, TableKind};
use crate::error::{Error, ErrorKind, Result};

/// The most workers a load uses.
pub const MAX_WORKERS: usize = 8;

/// Bytes of a file below which a load stays in one part (the cost of a worker would exceed
/// what it saves).
pub const MIN_PART_BYTES: usize = 4 * 1024 * 1024;

/// Bytes of the head within which the roles must be known for a file to be read in parts.
pub const PLAN_HEAD: usize = 8 * 1024 * 1024;

/// Loads one table from bytes in memory. `progress` receives a fraction in [0, 1]. With
/// `opts.workers` above one, a large CSV file is read in parts on as many threads; the table
/// is the same.
pub fn load(
    kind: TableKind,
    bytes: &[u8],
    opts: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Table> {
    let workers = opts.workers.unwrap_or(1);
    let format = match &opts.format {
        Some(f) => Format::parse(f),
        None => Some(super::format::detect(&bytes[..bytes.len().min(64 * 1024)])),
    };
    if format == Some(Format::Parquet) && workers > 1 {
        return load_parquet_in_parts(kind, bytes, opts, workers, progress);
    }
    let parts = parts_for(bytes.len(), workers);
    if parts > 1 {
        return load_in_parts(kind, bytes, opts, parts, progress);
    }
    load_one(kind, bytes, opts, progress)
}

/// How the row groups of a Parquet file (their rows, in file order) are shared by at most
/// `parts` parts: contiguous ranges of about equal rows; one range when the first would not
/// hold the sample that decides the columns.
pub fn group_ranges(rows: &[u64], parts: usize) -> Vec<std::ops::Range<usize>> {
    let total: u64 = rows.iter().sum();
    let parts = parts.clamp(1, MAX_WORKERS).min(rows.len()).max(1);
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut acc) = (0usize, 0u64);
    for (i, &r) in rows.iter().enumerate() {
        acc += r;
        let share = total * (out.len() as u64 + 1) / parts as u64;
        if acc >= share && out.len() + 1 < parts && i + 1 < rows.len() {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out.push(start..rows.len());
    let first: u64 = out.first().map_or(0, |r| rows[r.clone()].iter().sum());
    if out.len() > 1 && first <= super::sink::SAMPLE_ROWS as u64 {
        return std::iter::once(0..rows.len()).collect();
    }
    out
}

/// Loads a Parquet file in parts by row groups, each part on a thread of its own (every part
/// reads the first rows to know the columns, then its row groups).
pub fn load_parquet_in_parts(
    kind: TableKind,
    bytes: &[u8],
    opts: &LoadOptions,
    workers: usize,
    progress: &mut dyn FnMut(f64),
) -> Result<Table> {
    let rows = match super::columnar::parquet_row_groups(bytes, &opts.name) {
        Ok(rows) => rows,
        // Not readable as Parquet: the load in one piece says why.
        Err(_) => return load_one(kind, bytes, opts, progress),
    };
    let ranges = group_ranges(&rows, workers);
    if ranges.len() < 2 {
        return load_one(kind, bytes, opts, progress);
    }
    progress(0.0);
    let mut first = Loader::new(kind, opts)?.row_groups(ranges[0].clone());
    let (own, later) = std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .skip(1)
            .map(|r| s.spawn(move || read_groups(kind, opts, bytes, r.clone())))
            .collect();
        let own = feed(&mut first, bytes, true);
        (own, joined(handles))
    });
    finish(first, own, later, (kind, bytes, opts), progress)
}

/// Reads row groups `range` (not the first) of a Parquet file as a later part.
pub fn read_groups(
    kind: TableKind,
    opts: &LoadOptions,
    bytes: &[u8],
    range: std::ops::Range<usize>,
) -> Result<Option<Part>> {
    feed(&mut Loader::new(kind, opts)?.row_groups(range), bytes, true)
}

/// How many parts a file of `bytes` bytes is read in with `workers` workers.
pub fn parts_for(bytes: usize, workers: usize) -> usize {
    workers
        .clamp(1, MAX_WORKERS)
        .min(bytes / MIN_PART_BYTES)
        .max(1)
}

/// The workers a load uses when the caller does not say: the machine's cores, at most
/// [`MAX_WORKERS`].
pub fn default_workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_WORKERS)
}

/// Loads one table from bytes in memory in `parts` parts at most, each on its own thread
/// (`parts` ≤ 1: one part). The result is the table of a load in one piece.
pub fn load_in_parts(
    kind: TableKind,
    bytes: &[u8],
    opts: &LoadOptions,
    parts: usize,
    progress: &mut dyn FnMut(f64),
) -> Result<Table> {
    progress(0.0);
    let mut first = Loader::new(kind, opts)?.in_parts();
    let chunk = super::loader::HEAD_BYTES;
    let mut read = 0usize;
    let mut plan = None;
    while read < bytes.len().min(PLAN_HEAD) && parts > 1 {
        let end = (read + chunk).min(bytes.len());
        first.push(&bytes[read..end])?;
        read = end;
        plan = first.plan();
        if plan.is_some() {
            break;
        }
    }
    let cuts = match &plan {
        Some(plan) => cuts(bytes.len() as u64, parts, read as u64, |at| {
            Ok(plan.boundary(&bytes[at as usize..]).map(|b| at + b as u64))
        })?,
        None => vec![0, bytes.len() as u64],
    };
    let ranges: Vec<std::ops::Range<usize>> = cuts
        .windows(2)
        .map(|w| w[0] as usize..w[1] as usize)
        .collect();
    let last = ranges.len() - 1;
    let (own, later) = std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .enumerate()
            .skip(1)
            .filter_map(|(i, r)| {
                let plan = plan.as_ref()?;
                let part = &bytes[r.clone()];
                Some(s.spawn(move || load_part(kind, opts, plan, part, i == last)))
            })
            .collect();
        let own = feed(&mut first, &bytes[read..ranges[0].end], last == 0);
        (own, joined(handles))
    });
    progress(0.9);
    finish(first, own, later, (kind, bytes, opts), progress)
}

/// Merges the parts read (the first in `first`), in file order, into the table; a part that
/// did not end at a record boundary (a cut inside a quoted field) or a later part that failed
/// sends the file to a load in one piece, which gives the exact table or the error with the
/// file's row numbers. An error of the first part is the load's own.
fn finish(
    first: Loader,
    own: Result<Option<Part>>,
    later: Vec<Result<Option<Part>>>,
    (kind, bytes, opts): (TableKind, &[u8], &LoadOptions),
    progress: &mut dyn FnMut(f64),
) -> Result<Table> {
    let Some(own) = own? else {
        return load_one(kind, bytes, opts, progress);
    };
    let mut all = vec![own];
    for part in later {
        match part {
            Ok(Some(p)) => all.push(p),
            Ok(None) | Err(_) => return load_one(kind, bytes, opts, progress),
        }
    }
    let table = first.finish_parts(all)?;
    progress(1.0);
    Ok(table)
}

/// Gives `loader` the bytes of its part and ends the part (`last`: the file's last).
fn feed(loader: &mut Loader, bytes: &[u8], last: bool) -> Result<Option<Part>> {
    for c in bytes.chunks(super::CHUNK_BYTES) {
        loader.push(c)?;
    }
    loader.end_part(last)
}

/// Loads `bytes`, a later part of a file (no header), with `plan`; `None` when the part does
/// not end at a record boundary (the cut after it was inside a quoted field).
pub fn load_part(
    kind: TableKind,
    opts: &LoadOptions,
    plan: &Plan,
    bytes: &[u8],
    last: bool,
) -> Result<Option<Part>> {
    feed(&mut Loader::part(kind, opts, plan)?, bytes, last)
}

/// What each thread of a load returned, in order (a thread that panicked: an error).
fn joined<T>(handles: Vec<std::thread::ScopedJoinHandle<'_, Result<T>>>) -> Vec<Result<T>> {
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(Error::new(ErrorKind::Internal, "a load thread panicked")))
        })
        .collect()
}
