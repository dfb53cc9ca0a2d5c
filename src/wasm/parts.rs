//! A file loaded in parts across Web Workers, each with its own engine (no shared memory, so
//! no cross-origin isolation): the engine worker reads the first part and merges; a
//! [`PartLoader`] in another worker reads a later part and hands it over as bytes.

use super::error::{to_js, WasmResult};
use super::options::from_js;
use super::{to_js_value, Lab};
use crate::api;
use crate::load::parts::{Part, Plan};
use crate::load::{Loader, TableKind};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Lab {
    /// Starts a chunked load as the first part of a file read in parts (`loadChunk` feeds
    /// it; `loadPlan` gives the plan for the other parts; `loadEndParts` merges them).
    #[wasm_bindgen(js_name = loadBeginParts)]
    pub fn load_begin_parts(&mut self, kind: &str, opts: JsValue) -> WasmResult<()> {
        let kind = TableKind::parse(kind).map_err(to_js)?;
        let opts: api::LoadOptions = from_js(opts, "load")?;
        self.session
            .begin_load_in_parts(kind, &opts.load())
            .map_err(to_js)
    }

    /// The plan (JSON) the later parts are read with, once the head read so far has decided
    /// the columns; `undefined` before, or when the file is not read in parts.
    #[wasm_bindgen(js_name = loadPlan)]
    pub fn load_plan(&self) -> Option<String> {
        self.session.load_plan().map(|p| p.to_json())
    }

    /// Where a cut goes in `window`, bytes of the file from an even offset: the offset just
    /// after its first newline in the plan's encoding, or `undefined` when it has none.
    #[wasm_bindgen(js_name = partBoundary)]
    pub fn part_boundary(window: &[u8], plan: &str, kind: &str) -> WasmResult<Option<f64>> {
        let kind = TableKind::parse(kind).map_err(to_js)?;
        let plan = Plan::from_json(kind, plan).map_err(to_js)?;
        Ok(plan.boundary(window).map(|b| b as f64))
    }

    /// How a Parquet file is read in at most `parts` parts, from its footer's metadata (the
    /// bytes before the last 8): row-group ranges `[start0, end0, start1, end1, ...]`, or
    /// `undefined` when it is read in one piece (one row group, or a first part without the
    /// sample that decides the columns).
    #[wasm_bindgen(js_name = parquetParts)]
    pub fn parquet_parts(metadata: &[u8], parts: usize) -> WasmResult<Option<Vec<u32>>> {
        let rows = crate::load::columnar::parquet_row_groups_of_footer(metadata, "Parquet file")
            .map_err(to_js)?;
        let ranges = crate::load::parallel::group_ranges(&rows, parts);
        Ok((ranges.len() > 1).then(|| {
            ranges
                .iter()
                .flat_map(|r| [r.start as u32, r.end as u32])
                .collect()
        }))
    }

    /// Makes the load begun with `loadBeginParts` read row groups `start..end` of its Parquet
    /// file (the first part; `PartLoader.rowGroups` reads the others).
    #[wasm_bindgen(js_name = loadRowGroups)]
    pub fn load_row_groups(&mut self, start: usize, end: usize) -> WasmResult<()> {
        self.session.load_row_groups(start..end).map_err(to_js)
    }

    /// Reads the row groups of the first part now, every byte of the Parquet file given, so
    /// that this engine reads them while part workers read theirs (`loadEndParts` would read
    /// them after); the load is dropped after an error.
    #[wasm_bindgen(js_name = loadReadRowGroups)]
    pub fn load_read_row_groups(&mut self) -> WasmResult<()> {
        self.session.read_row_groups_now().map_err(to_js)
    }

    /// Ends the first part, merges the later parts (bytes of `PartLoader.end`, in file
    /// order) and puts the table in place; returns the load report, or `null` when the file
    /// must be loaded in one piece (a cut fell inside a quoted field).
    #[wasm_bindgen(js_name = loadEndParts)]
    pub fn load_end_parts(&mut self, parts: Vec<js_sys::Uint8Array>) -> WasmResult<JsValue> {
        let mut later = Vec::with_capacity(parts.len());
        for p in parts {
            match Part::from_bytes(&p.to_vec()) {
                Ok(part) => later.push(part),
                Err(e) => {
                    self.session.abort_load();
                    return Err(to_js(e));
                }
            }
        }
        match self.session.end_load_parts(later).map_err(to_js)? {
            Some(report) => to_js_value(&report),
            None => Ok(JsValue::NULL),
        }
    }
}

/// A later part of a file read in parts, in a worker of its own.
#[wasm_bindgen]
pub struct PartLoader {
    loader: Option<Loader>,
}

#[wasm_bindgen]
impl PartLoader {
    /// A loader of a part of a `kind` table read with `plan` (from `loadPlan`).
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, opts: JsValue, plan: &str) -> WasmResult<PartLoader> {
        super::panic::install_hook();
        let kind = TableKind::parse(kind).map_err(to_js)?;
        let opts: api::LoadOptions = from_js(opts, "load")?;
        let plan = Plan::from_json(kind, plan).map_err(to_js)?;
        let loader = Loader::part(kind, &opts.load(), &plan).map_err(to_js)?;
        Ok(PartLoader {
            loader: Some(loader),
        })
    }

    /// A loader of row groups `start..end` (not the first) of a Parquet file read in parts:
    /// it is given the whole file, reads the first rows to know the columns, then its groups.
    #[wasm_bindgen(js_name = rowGroups)]
    pub fn row_groups(
        kind: &str,
        opts: JsValue,
        start: usize,
        end: usize,
    ) -> WasmResult<PartLoader> {
        super::panic::install_hook();
        let kind = TableKind::parse(kind).map_err(to_js)?;
        let opts: api::LoadOptions = from_js(opts, "load")?;
        let loader = Loader::new(kind, &opts.load())
            .map_err(to_js)?
            .row_groups(start..end);
        Ok(PartLoader {
            loader: Some(loader),
        })
    }

    /// The bytes this loader will be given: a Parquet file (held whole) gets its room at once.
    #[wasm_bindgen(js_name = sizeHint)]
    pub fn size_hint(&mut self, total: usize) -> WasmResult<()> {
        self.loader()?.expect_bytes(total);
        Ok(())
    }

    /// Takes the next bytes of the part; returns the rows read so far.
    pub fn push(&mut self, chunk: &[u8]) -> WasmResult<f64> {
        let loader = self.loader()?;
        loader.push(chunk).map_err(to_js)?;
        Ok(loader.progress().rows as f64)
    }

    /// Ends the part (`last`: the file's last part) and returns it as bytes for
    /// `loadEndParts`, or `undefined` when it does not end at a record boundary.
    pub fn end(&mut self, last: bool) -> WasmResult<Option<Vec<u8>>> {
        let mut loader = self.loader.take().ok_or_else(ended)?;
        match loader.end_part(last).map_err(to_js)? {
            Some(part) => part.to_bytes().map(Some).map_err(to_js),
            None => Ok(None),
        }
    }

    fn loader(&mut self) -> WasmResult<&mut Loader> {
        self.loader.as_mut().ok_or_else(ended)
    }
}

fn ended() -> JsValue {
    super::error::js_error("INTERNAL", "the part was already ended")
}
