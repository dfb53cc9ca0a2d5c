//! Heap accounting. In the browser a wasm instance that fails to grow its memory aborts, and
//! everything loaded is lost; so on wasm32 a counting global allocator reports the bytes in
//! use, and loads stop with a clear error before they reach the limit.

use crate::error::{Error, ErrorKind, Result};

/// The largest heap a wasm32 instance can reach (4 GiB of linear memory) less room for the
/// allocator's own overhead and fragmentation.
pub const WASM_HEAP_LIMIT: usize = 3_584 * 1024 * 1024;

/// Bytes currently allocated on the heap, where known (wasm32 only).
pub fn heap_in_use() -> Option<usize> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(counting::in_use())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// A heap budget for one load.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    limit: Option<usize>,
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

#[cfg(target_arch = "wasm32")]
mod counting {
    //! The system allocator with a running count of the bytes it has handed out.
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    static IN_USE: AtomicUsize = AtomicUsize::new(0);

    struct Counting;

    // SAFETY: every call is forwarded to `System` unchanged; only a counter is kept beside it.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: same contract as the caller's.
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                IN_USE.fetch_add(layout.size(), Ordering::Relaxed);
            }
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: same contract as the caller's.
            unsafe { System.dealloc(ptr, layout) };
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // SAFETY: same contract as the caller's.
            let p = unsafe { System.alloc_zeroed(layout) };
            if !p.is_null() {
                IN_USE.fetch_add(layout.size(), Ordering::Relaxed);
            }
            p
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: same contract as the caller's.
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
                IN_USE.fetch_add(new_size, Ordering::Relaxed);
            }
            p
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    /// Bytes allocated and not yet freed.
    pub fn in_use() -> usize {
        IN_USE.load(Ordering::Relaxed)
    }
}
