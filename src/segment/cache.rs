//! The per-node cache of rule evaluation: member sets keyed by a node's canonical JSON, so
//! that editing one condition of a rule re-evaluates only that condition and the nodes above
//! it. A [`crate::Session`] keeps one, emptied when tables load and, for the nodes that read
//! RFM, lifecycle or `as_of`, when the analysis options change.

use crate::metrics::Analysis;
use roaring::RoaringBitmap;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Most member sets kept; the least recently used go first.
const MAX_ENTRIES: usize = 512;
/// Most bytes of member sets kept (a set of 1M members takes at most 128 KiB).
const MAX_BYTES: usize = 64 << 20;
/// Most analyses kept for the dates of `at` nodes (SPEC §6).
const MAX_DATES: usize = 4;

/// What a cached set depends on besides the tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deps {
    /// Reads the analysis (as_of, window, RFM method and map, lifecycle thresholds).
    pub analysis: bool,
    /// Reads a saved segment's definition.
    pub saved: bool,
}

impl Deps {
    /// Both dependencies of two sets.
    pub fn or(self, other: Deps) -> Deps {
        Deps {
            analysis: self.analysis || other.analysis,
            saved: self.saved || other.saved,
        }
    }
}

#[derive(Debug)]
struct Entry {
    set: Arc<RoaringBitmap>,
    deps: Deps,
    bytes: usize,
    used: u64,
}

/// Counts of cache use since the cache was made (observable, e.g. by tests and the page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CacheStats {
    /// Nodes answered from the cache.
    pub hits: u64,
    /// Nodes evaluated (cache misses).
    pub evaluated: u64,
    /// Member sets held now.
    pub entries: usize,
    /// Whether an analysis (per-member base, RFM, lifecycle) is held for reuse (set by the
    /// session that holds it).
    pub analysis: bool,
    /// Whether a fitted CLV model is held (set by the session).
    pub clv: bool,
}

/// Member sets of rule nodes by canonical JSON.
#[derive(Debug, Default)]
pub struct SegmentCache {
    entries: HashMap<String, Entry>,
    tick: u64,
    bytes: usize,
    stats: CacheStats,
    /// Analyses at the dates of `at` nodes, the most recently used last.
    dates: Vec<(i32, Arc<Analysis>)>,
}

impl SegmentCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The set of `key`, counting a hit.
    pub fn get(&mut self, key: &str) -> Option<(Arc<RoaringBitmap>, Deps)> {
        self.tick += 1;
        let e = self.entries.get_mut(key)?;
        e.used = self.tick;
        self.stats.hits += 1;
        Some((Arc::clone(&e.set), e.deps))
    }

    /// Keeps the set of `key`, counting an evaluation.
    pub fn insert(&mut self, key: String, set: Arc<RoaringBitmap>, deps: Deps) {
        self.tick += 1;
        self.stats.evaluated += 1;
        let bytes = set.serialized_size() + key.len();
        if let Some(old) = self.entries.insert(
            key,
            Entry {
                set,
                deps,
                bytes,
                used: self.tick,
            },
        ) {
            self.bytes -= old.bytes;
        }
        self.bytes += bytes;
        while self.entries.len() > MAX_ENTRIES || self.bytes > MAX_BYTES {
            let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(e) = self.entries.remove(&oldest) {
                self.bytes -= e.bytes;
            }
        }
    }

    /// The analysis kept for `day` (an `at` node's date), if any.
    pub fn analysis_at(&mut self, day: i32) -> Option<Arc<Analysis>> {
        let i = self.dates.iter().position(|(d, _)| *d == day)?;
        let entry = self.dates.remove(i);
        let an = Arc::clone(&entry.1);
        self.dates.push(entry);
        Some(an)
    }

    /// Keeps the analysis of `day`; the least recently used goes past [`MAX_DATES`].
    pub fn keep_analysis(&mut self, day: i32, an: Arc<Analysis>) {
        self.dates.retain(|(d, _)| *d != day);
        self.dates.push((day, an));
        if self.dates.len() > MAX_DATES {
            self.dates.remove(0);
        }
    }

    /// Drops every set and every analysis of a date (new tables).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
        self.dates.clear();
    }

    /// Drops the sets that read the analysis, and the analyses of dates (its options changed).
    pub fn drop_analysis(&mut self) {
        self.retain(|d| !d.analysis);
        self.dates.clear();
    }

    /// Drops the sets that read saved segments (one was saved or deleted).
    pub fn drop_saved(&mut self) {
        self.retain(|d| !d.saved);
    }

    fn retain(&mut self, keep: impl Fn(Deps) -> bool) {
        self.entries.retain(|_, e| keep(e.deps));
        self.bytes = self.entries.values().map(|e| e.bytes).sum();
    }

    /// Hits, evaluations and entries so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            entries: self.entries.len(),
            ..self.stats
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used_and_drops_by_dependency() {
        let mut c = SegmentCache::new();
        let set = |n: u32| Arc::new((0..n).collect::<RoaringBitmap>());
        for i in 0..MAX_ENTRIES as u32 {
            let deps = Deps {
                analysis: i % 2 == 0,
                saved: i % 3 == 0,
            };
            c.insert(format!("k{i}"), set(i + 1), deps);
        }
        assert!(c.get("k0").is_some());
        c.insert("new".into(), set(3), Deps::default());
        assert_eq!(c.stats().entries, MAX_ENTRIES);
        assert!(c.get("k0").is_some(), "k0 was used recently");
        assert!(c.get("k1").is_none(), "k1 was the least recently used");
        c.drop_analysis();
        assert!(c.get("k2").is_none() && c.get("k3").is_some());
        c.drop_saved();
        assert!(c.get("k3").is_none() && c.get("k5").is_some());
        let s = c.stats();
        assert_eq!(s.evaluated, MAX_ENTRIES as u64 + 1);
        c.clear();
        assert_eq!(c.stats().entries, 0);
    }
}
