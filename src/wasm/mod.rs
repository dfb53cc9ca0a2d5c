//! The browser binding: the only place `#[wasm_bindgen]` appears. A `Lab` wraps a
//! [`Session`]; results cross as plain JS objects, exports as bytes.

mod campaign;
mod error;
mod export;
mod options;
mod panic;
mod parts;
mod segment;
mod stored;

use crate::api;
use crate::load::TableKind;
use crate::segment::parse_segment;
use crate::Session;
use error::{to_js, WasmResult};
use options::from_js;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Serialises results as plain objects (maps as objects, integers as numbers).
fn to_js_value<T: Serialize>(value: &T) -> WasmResult<JsValue> {
    let s = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&s)
        .map_err(|e| error::js_error("INTERNAL", &e.to_string()))
}

/// One analysis session in the browser: loaded tables and cached results.
#[wasm_bindgen]
pub struct Lab {
    session: Session,
    /// The bytes of the last `exportFile`, handed over in chunks by `exportChunk`.
    export_bytes: Vec<u8>,
}

impl Default for Lab {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Lab {
    /// A new, empty session. Installs the panic hook so a panic reaches the console and the
    /// worker.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Lab {
        panic::install_hook();
        Lab {
            session: Session::new(),
            export_bytes: Vec::new(),
        }
    }

    /// Starts a chunked load of a table (the worker feeds a `File` slice by slice, so the
    /// file is never copied whole into wasm memory).
    #[wasm_bindgen(js_name = loadBegin)]
    pub fn load_begin(&mut self, kind: &str, opts: JsValue) -> WasmResult<()> {
        let kind = TableKind::parse(kind).map_err(to_js)?;
        let opts: api::LoadOptions = from_js(opts, "load")?;
        self.session.begin_load(kind, &opts.load()).map_err(to_js)
    }

    /// The file being loaded will be `total` bytes: a binary file is given its room at once.
    #[wasm_bindgen(js_name = loadSizeHint)]
    pub fn load_size_hint(&mut self, total: usize) {
        self.session.expect_load_bytes(total);
    }

    /// Takes the next chunk of the file; returns `{ bytes, rows }` read so far.
    #[wasm_bindgen(js_name = loadChunk)]
    pub fn load_chunk(&mut self, bytes: &[u8]) -> WasmResult<JsValue> {
        let p = self.session.push_chunk(bytes).map_err(to_js)?;
        to_js_value(&p)
    }

    /// Finishes the chunked load and returns the load report. `on_progress({bytes, rows})`
    /// hears of rows of formats parsed at the end (XLSX, Parquet, Arrow).
    #[wasm_bindgen(js_name = loadEnd)]
    pub fn load_end(&mut self, on_progress: Option<js_sys::Function>) -> WasmResult<JsValue> {
        let mut progress = |p: crate::load::LoadProgress| {
            if let (Some(cb), Ok(v)) = (&on_progress, to_js_value(&p)) {
                // A throwing progress callback must not abort the load.
                let _ = cb.call1(&JsValue::NULL, &v);
            }
        };
        let report = self.session.end_load(&mut progress).map_err(to_js)?;
        to_js_value(&report)
    }

    /// Drops a chunked load in progress.
    #[wasm_bindgen(js_name = loadAbort)]
    pub fn load_abort(&mut self) {
        self.session.abort_load();
    }

    /// What a file looks like before loading: format, encoding, delimiter, columns with the
    /// roles they would get (with `opts.mapping` applied), and the first `opts.rows` rows
    /// (default 20). `head` is the start of the file (`complete` when it is all of it; XLSX,
    /// Parquet and Arrow need all of it).
    pub fn preview(
        &mut self,
        kind: &str,
        head: &[u8],
        complete: bool,
        opts: JsValue,
    ) -> WasmResult<JsValue> {
        let kind = TableKind::parse(kind).map_err(to_js)?;
        let opts: api::PreviewOptions = from_js(opts, "preview")?;
        let rows = opts.rows.unwrap_or(20);
        // A preview of a binary file holds all of it: it keeps to the engine's budget too.
        let mut load = opts.load();
        load.memory_limit = crate::memory::Budget::new(load.memory_limit)
            .at_most(self.session.memory_limit())
            .limit();
        let p = crate::load::preview(kind, head, complete, &load, rows).map_err(to_js)?;
        to_js_value(&p)
    }

    /// Frees the table of `kind` (`orders`, `members`, `member_tags` or `order_items`) and
    /// everything computed from the tables; returns whether one was loaded.
    pub fn drop(&mut self, kind: &str) -> WasmResult<bool> {
        let kind = TableKind::parse(kind).map_err(to_js)?;
        Ok(self.session.drop_table(kind))
    }

    /// Every word of the engine with its labels in English and Chinese (node types,
    /// operators, member columns, stages, segment maps, presets, formats, profiles, roles,
    /// types): the object `audience-lab vocabulary` prints.
    pub fn vocabulary() -> WasmResult<JsValue> {
        to_js_value(&crate::vocabulary::vocabulary().map_err(to_js)?)
    }

    /// The format the first bytes of a file show (`csv`, `xlsx`, `parquet`, `arrow`,
    /// `arrow-stream`, `ndjson`).
    #[wasm_bindgen(js_name = detectFormat)]
    pub fn detect_format(head: &[u8]) -> String {
        crate::load::format::detect(head).name().to_string()
    }

    /// Bytes allocated on the wasm heap.
    #[wasm_bindgen(js_name = heapBytes)]
    pub fn heap_bytes() -> f64 {
        crate::memory::heap_in_use().unwrap_or(0) as f64
    }

    /// Sets the most heap the engine may use (bytes; `null` or `undefined`: the 4 GiB wasm
    /// limit less room for the allocator), for a portal that must share the tab. A step that
    /// would pass it answers `OUT_OF_MEMORY`. Returns the limit in effect.
    #[wasm_bindgen(js_name = setMemoryLimit)]
    pub fn set_memory_limit(&mut self, bytes: Option<f64>) -> WasmResult<f64> {
        let limit = match bytes {
            None => None,
            Some(b) if b.is_finite() && b >= 1.0 => Some(b.min(usize::MAX as f64) as usize),
            Some(b) => {
                return Err(error::js_error(
                    "INVALID_OPTION",
                    &format!("maxMemory: expected a number of bytes above 0, found {b}"),
                ))
            }
        };
        self.session.set_memory_limit(limit);
        Ok(self
            .session
            .memory_limit()
            .map_or(f64::INFINITY, |l| l as f64))
    }

    /// The heap in use, the limit and the wasm memory's size: `{ heapBytes, limitBytes,
    /// linearBytes }`.
    pub fn memory(&self) -> WasmResult<JsValue> {
        to_js_value(&self.session.memory())
    }

    /// Purchases and net revenue per calendar period (`opts.period`: month, week, quarter).
    pub fn timeline(&mut self, opts: JsValue) -> WasmResult<JsValue> {
        let opts: api::TimelineOptions = from_js(opts, "timeline")?;
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let t = self
            .session
            .timeline(&analysis, opts.period())
            .map_err(to_js)?;
        to_js_value(&t)
    }

    /// RFM segments, counts, revenue and the 5×5 R×F grid.
    pub fn rfm(&mut self, opts: JsValue) -> WasmResult<JsValue> {
        let opts = analysis(opts, "rfm")?;
        let summary = self.session.rfm(&opts).map_err(to_js)?;
        to_js_value(&summary)
    }

    /// Lifecycle stage counts and onboarding buckets (days since joining / first purchase).
    pub fn lifecycle(&mut self, opts: JsValue) -> WasmResult<JsValue> {
        let opts = analysis(opts, "lifecycle")?;
        let summary = self.session.lifecycle(&opts).map_err(to_js)?;
        to_js_value(&summary)
    }

    /// The cohort table: `{ asOf, period, by, cohorts, members, withoutCohort, rows }`.
    pub fn cohorts(&mut self, opts: JsValue) -> WasmResult<JsValue> {
        let opts: api::CohortOptions = from_js(opts, "cohorts")?;
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let table = self
            .session
            .cohorts(&analysis, &opts.cohort())
            .map_err(to_js)?;
        to_js_value(&table)
    }

    /// The KPIs over the window, overall and split by `opts.by`.
    pub fn kpis(&mut self, opts: JsValue) -> WasmResult<JsValue> {
        let opts: api::KpiOptions = from_js(opts, "kpis")?;
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let compare = opts.compare_to().map_err(to_js)?;
        let mut kpis = self.session.kpis(&analysis, &opts.kpi()).map_err(to_js)?;
        if let Some(day) = compare {
            kpis.rates = Some(self.session.period_rates(day, &analysis).map_err(to_js)?);
        }
        to_js_value(&kpis)
    }

    /// Members by lifecycle stage or RFM segment at two dates (`{ from, to, by }`, SPEC §6).
    pub fn migration(&mut self, opts: JsValue) -> WasmResult<JsValue> {
        let opts: api::MigrationOptions = from_js(opts, "migration")?;
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let (from, to, by) = opts.dates().map_err(to_js)?;
        let m = self
            .session
            .migration(from, to, by, &analysis)
            .map_err(to_js)?;
        to_js_value(&m)
    }

    /// Lifecycle stage counts at each period end (`{ period, from }`, SPEC §6).
    #[wasm_bindgen(js_name = stageTrend)]
    pub fn stage_trend(&mut self, opts: JsValue) -> WasmResult<JsValue> {
        let opts: api::StageTrendOptions = from_js(opts, "stageTrend")?;
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let (period, from) = opts.trend().map_err(to_js)?;
        let t = self
            .session
            .stage_trend(period, from, &analysis)
            .map_err(to_js)?;
        to_js_value(&t)
    }

    /// Fits BG/NBD and Gamma-Gamma (`{ calibrationEnd, unit, horizonDays, discount,
    /// includeZeroAmount }`, all optional) and returns the parameters with an overview:
    /// `{ calibrationEnd, unit, bgnbd: {r, alpha, a, b}, gammaGamma: {p, q, v}, customers, … }`.
    /// Per-member values are the rule metrics `p_alive`, `expected_purchases_90d` and `clv`.
    pub fn clv(&mut self, opts: JsValue) -> WasmResult<JsValue> {
        let opts: api::ClvOptions = from_js(opts, "clv")?;
        let model = self
            .session
            .clv(&opts.resolve().map_err(to_js)?)
            .map_err(to_js)?;
        to_js_value(&model.summary())
    }

    /// The number of members of a segment (SPEC §3 JSON text, or a bare rule node).
    pub fn count(&mut self, segment: &str, opts: JsValue) -> WasmResult<f64> {
        let opts = analysis(opts, "count")?;
        let seg = parse_segment(segment).map_err(to_js)?;
        Ok(self.session.count(&seg, &opts).map_err(to_js)? as f64)
    }

    /// A page of the segment's members: `{ total, columns, rows }`.
    pub fn members(&mut self, segment: &str, opts: JsValue) -> WasmResult<JsValue> {
        let opts: api::MembersOptions = from_js(opts, "members")?;
        let seg = parse_segment(segment).map_err(to_js)?;
        let (offset, limit) = (opts.offset.unwrap_or(0), opts.limit.unwrap_or(100));
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let columns = opts.columns.unwrap_or_default();
        let page = self
            .session
            .members(&seg, &columns, offset, limit, &analysis)
            .map_err(to_js)?;
        to_js_value(&page)
    }
}

/// The engine's analysis options from a call's [`api::AnalysisOptions`].
fn analysis(opts: JsValue, call: &str) -> WasmResult<crate::metrics::AnalysisOptions> {
    let opts: api::AnalysisOptions = from_js(opts, call)?;
    opts.resolve().map_err(to_js)
}
