//! Heap accounting. In the browser a wasm instance that fails to grow its memory aborts, and
//! everything loaded is lost; so on wasm32 a counting global allocator reports the bytes in
//! use, every step that allocates in proportion to the data estimates what it is about to
//! allocate ([`cost`]), and a step that would pass the limit stops with `OUT_OF_MEMORY`
//! naming the step and the sizes instead of aborting.

mod cost;
mod counting;

pub use cost::{Sizes, Step};
pub use counting::{mark, peak, Counting};

use crate::error::{Error, ErrorKind, Result};
use serde::Serialize;

/// The largest heap a wasm32 instance can reach (4 GiB of linear memory) less room for the
/// allocator's own overhead and fragmentation: the wasm memory was 124 to 240 MiB above the
/// heap in use at 2.25M members (`make bench-ceiling`), so 256 MiB are kept aside.
pub const WASM_HEAP_LIMIT: usize = 3_840 * 1024 * 1024;

/// Bytes currently allocated on the heap, where known: on wasm32, and natively where
/// [`Counting`] is the global allocator.
pub fn heap_in_use() -> Option<usize> {
    counting::in_use()
}

/// The engine's memory: the heap in use, the limit it keeps to, and (in the browser) the
/// size the wasm linear memory has grown to (it never shrinks; freed bytes are reused).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MemoryUse {
    /// Bytes allocated on the heap (0 where not counted).
    pub heap_bytes: f64,
    /// The most heap the engine lets a step use (null: no limit).
    pub limit_bytes: Option<f64>,
    /// Bytes of wasm linear memory (null natively).
    pub linear_bytes: Option<f64>,
}

impl MemoryUse {
    /// The memory now, under `budget`.
    pub fn now(budget: &Budget) -> MemoryUse {
        #[cfg(target_arch = "wasm32")]
        let linear = Some((core::arch::wasm32::memory_size(0) * 65_536) as f64);
        #[cfg(not(target_arch = "wasm32"))]
        let linear = None;
        MemoryUse {
            heap_bytes: heap_in_use().unwrap_or(0) as f64,
            limit_bytes: budget.limit().map(|l| l as f64),
            linear_bytes: linear,
        }
    }
}

/// A heap budget: for one load, or for a whole session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    limit: Option<usize>,
}

impl Default for Budget {
    /// The platform's limit.
    fn default() -> Self {
        Budget::new(None)
    }
}

impl Budget {
    /// `limit` bytes of heap in all, or the platform's default (the wasm32 limit in the
    /// browser, none natively).
    pub fn new(limit: Option<usize>) -> Self {
        let default = if cfg!(target_arch = "wasm32") {
            Some(WASM_HEAP_LIMIT)
        } else {
            None
        };
        Budget {
            limit: limit.or(default),
        }
    }

    /// The limit in bytes, if any.
    pub fn limit(&self) -> Option<usize> {
        self.limit
    }

    /// This budget, or `limit` where that is lower.
    pub fn at_most(self, limit: Option<usize>) -> Budget {
        let limit = match (self.limit, limit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Budget { limit }
    }

    /// Whether `need` more bytes fit beside the heap in use.
    pub fn fits(&self, need: usize) -> bool {
        match self.limit {
            None => true,
            Some(limit) => heap_in_use().unwrap_or(0).saturating_add(need) <= limit,
        }
    }

    /// Fails with `OUT_OF_MEMORY` when `step`, about to allocate `need` bytes for `sizes`,
    /// would pass the limit: the message names the step, the sizes, what is in use and the
    /// limit, and what to do.
    pub fn require(&self, step: Step, need: usize, sizes: Sizes) -> Result<()> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        if self.fits(need) {
            return Ok(());
        }
        let used = heap_in_use().unwrap_or(0);
        Err(Error::new(
            ErrorKind::Memory,
            format!(
                "not enough memory for {}: it needs about {} more for {}, {} is in use and the limit is {}. \
                 The loaded tables are kept and the screens answered before still work. To go on: {}",
                step.name(),
                mib(need),
                sizes,
                mib(used),
                mib(limit),
                step.advice()
            ),
        ))
    }

    /// Fails when `own` bytes held by this load (used where the heap is not counted) plus
    /// `next` bytes about to be allocated would pass the limit.
    pub fn check(&self, file: &str, own: usize, next: usize, rows: u64) -> Result<()> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        let used = heap_in_use().unwrap_or(own);
        if used.saturating_add(next) <= limit {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::Memory,
            format!(
                "{file}: not enough memory to load this file: {} in use after {rows} rows, the limit is {}. \
                 Tables loaded before are kept. Try a Parquet export, fewer columns, or the audience-lab CLI.",
                mib(used),
                mib(limit)
            ),
        ))
    }
}

fn mib(bytes: usize) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}
