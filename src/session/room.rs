//! Room for the next step: before a step allocates in proportion to the data, its estimate
//! ([`Step::need`]) is held against the session's memory budget; when it does not fit, the
//! caches are given back and it is asked again; then the step fails with `OUT_OF_MEMORY`
//! instead of running the wasm instance out of memory.

use super::Session;
use crate::error::Result;
use crate::load::gather::GATHER_ROWS;
use crate::load::TableKind;
use crate::memory::{Budget, MemoryUse, Sizes, Step};
use crate::metrics::cohort::Period;
use crate::metrics::AnalysisOptions;
use crate::segment::ast::Node;
use crate::segment::load::rule_load;

impl Session {
    /// Sets the most heap the session may use (bytes), below the platform's limit (4 GiB of
    /// wasm memory less room for the allocator in the browser; none natively). `None` goes
    /// back to the platform's limit.
    pub fn set_memory_limit(&mut self, limit: Option<usize>) {
        self.budget = Budget::new(None).at_most(limit);
    }

    /// The most heap the session may use, if limited.
    pub fn memory_limit(&self) -> Option<usize> {
        self.budget.limit()
    }

    /// The heap in use, the limit and the wasm memory's size.
    pub fn memory(&self) -> MemoryUse {
        MemoryUse::now(&self.budget)
    }

    /// The sizes the next step's cost depends on: members (of the dataset once built, else
    /// of the members table), order rows and member–tag rows.
    pub fn sizes(&self) -> Sizes {
        let rows = |k: TableKind| self.tables.get(k.name()).map_or(0, |t| t.num_rows() as u64);
        let members = match &self.dataset {
            Some(ds) => ds.len() as u64,
            None => rows(TableKind::Members),
        };
        Sizes {
            members,
            orders: rows(TableKind::Orders),
            tag_links: rows(TableKind::MemberTags),
            ..Sizes::default()
        }
    }

    /// Makes room for `step` over `sizes`: nothing to do when its estimate fits; otherwise
    /// the member sets of rule nodes and the CLV fit are given back (and, before a new
    /// analysis, the previous one, which would otherwise be reused in part) and it is asked
    /// again; then `OUT_OF_MEMORY` naming the step and the sizes.
    pub(super) fn make_room(&mut self, step: Step, sizes: Sizes) -> Result<()> {
        self.make_room_for(step, step.need(sizes), sizes)
    }

    /// Makes room for `step`, which writes `cells` (export cells, cohort rows).
    pub(super) fn make_room_cells(&mut self, step: Step, cells: u64) -> Result<()> {
        self.make_room(
            step,
            Sizes {
                cells,
                ..self.sizes()
            },
        )
    }

    /// The bytes the member attributes among `columns` (field names or headers; other
    /// names are left out) will hold while they are built, for those not built yet (see
    /// [`crate::dataset::Attrs`]); every attribute when `columns` is `None`.
    pub(super) fn unbuilt_attrs<'a>(
        &self,
        columns: Option<impl IntoIterator<Item = &'a str>>,
    ) -> usize {
        let Some(ds) = &self.dataset else { return 0 };
        match columns {
            Some(cols) => {
                let fields: Vec<&str> = cols
                    .into_iter()
                    .filter_map(|c| ds.resolve_attr(c))
                    .collect();
                ds.attrs.unbuilt_bytes(fields)
            }
            None => ds.attrs.unbuilt_bytes(ds.attrs.keys().map(String::as_str)),
        }
    }

    /// Makes room for `step` over the session's sizes and for building the member attributes
    /// among `columns` it reads (every attribute when `None`).
    pub(super) fn make_room_reading<'a>(
        &mut self,
        step: Step,
        cells: u64,
        columns: Option<impl IntoIterator<Item = &'a str>>,
    ) -> Result<()> {
        let sizes = Sizes {
            cells,
            ..self.sizes()
        };
        let need = step.need(sizes) + self.unbuilt_attrs(columns);
        self.make_room_for(step, need, sizes)
    }

    /// Makes room for building the member attributes among `columns` not built yet, for work
    /// that has no estimate of its own (a page of members, an audience's CSV).
    pub(super) fn room_for_columns(&mut self, columns: &[String]) -> Result<()> {
        let need = self.unbuilt_attrs(Some(columns.iter().map(String::as_str)));
        if need == 0 {
            return Ok(());
        }
        self.make_room_for(Step::Segment, need, self.sizes())
    }

    /// The most bytes writing the table of `kind` to keep holds at once: the bytes (its
    /// columns' values and a little more), a batch of rows twice while it is encoded (for
    /// the orders a gathered one, with 16 B a row of where its rows come from) and the
    /// orders' grouping by member (12 B a row).
    pub fn keep_need(&self, kind: TableKind) -> usize {
        self.tables.get(kind.name()).map_or(0, |t| {
            let (rows, columns) = (t.num_rows(), t.column_bytes());
            let per_row = columns / rows.max(1);
            let (batch, grouping) = match kind {
                TableKind::Orders => (rows.min(GATHER_ROWS) * (2 * per_row + 16), 12 * rows),
                _ => {
                    let largest = t.batches.iter().map(|b| b.num_rows()).max();
                    (largest.unwrap_or(0) * 2 * per_row, 0)
                }
            };
            columns + columns / 16 + batch + grouping + (1 << 20)
        })
    }

    /// The most bytes reading back a kept table of `bytes` bytes holds at once (its columns
    /// decoded, about as many bytes).
    pub fn restore_need(bytes: &[u8]) -> usize {
        bytes.len() + bytes.len() / 8 + (1 << 20)
    }

    /// Makes room for `step` needing `need` bytes (see [`Session::make_room`]).
    pub(super) fn make_room_for(&mut self, step: Step, need: usize, sizes: Sizes) -> Result<()> {
        if self.budget.fits(need) {
            return Ok(());
        }
        self.cache.clear();
        self.clv = None;
        self.groups = None;
        if step == Step::Analysis {
            self.analysis = None;
        }
        self.budget.require(step, need, sizes)
    }

    /// Rows of a cohort table by `period` at most: cohorts × periods over the orders' span.
    pub fn cohort_cells(&self, period: Period) -> u64 {
        let Some(ds) = &self.dataset else { return 0 };
        let span = match (ds.orders.earliest_day, ds.latest_day) {
            (Some(a), Some(b)) => (b - a).max(0) as u64,
            _ => 0,
        };
        let days = match period {
            Period::Week => 7,
            Period::Month => 28,
            Period::Quarter => 90,
        };
        let periods = span / days + 2;
        periods * (periods + 1) / 2
    }

    /// The estimate of evaluating `rule` over the analysis for `opts` (computed first): its
    /// columns and member sets, and the CLV model when a leaf reads it and it is not fitted
    /// yet; with the sizes it was made for.
    pub fn rule_need(&mut self, rule: &Node, opts: &AnalysisOptions) -> Result<(usize, Sizes)> {
        self.analysis(opts)?;
        let load = rule_load(rule, &self.saved);
        let sizes = Sizes {
            columns: load.columns.min(1),
            sets: load.sets,
            ..self.sizes()
        };
        let fitted = self.analysis.as_ref().is_some_and(|a| a.clv_fitted());
        let clv = if load.clv && !fitted {
            Step::Clv.need(self.sizes())
        } else {
            0
        };
        // An analysis per `at` node's date (kept while the rule is evaluated).
        let dates = Step::Analysis.need(self.sizes()) * load.dates as usize;
        let attrs = self.unbuilt_attrs(Some(load.attrs.iter().map(String::as_str)));
        Ok((Step::Segment.need(sizes) + clv + dates + attrs, sizes))
    }

    /// Makes room for evaluating `rule` (see [`Session::rule_need`]).
    pub(super) fn room_for_rule(&mut self, rule: &Node, opts: &AnalysisOptions) -> Result<()> {
        let (need, sizes) = self.rule_need(rule, opts)?;
        self.make_room_for(Step::Segment, need, sizes)
    }

    /// Makes room for `step`, which reads the analysis for `opts` (computed first).
    pub(super) fn room_after_analysis(&mut self, step: Step, opts: &AnalysisOptions) -> Result<()> {
        self.analysis(opts)?;
        self.make_room(step, self.sizes())
    }
}
