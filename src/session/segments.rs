//! The segment side of a [`Session`]: audiences through the per-node cache, counts and
//! explanations, tag intersections, saved segments and their algebra, SQL compilation.

use super::Session;
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::load::TableKind;
use crate::memory::Step;
use crate::metrics::AnalysisOptions;
use crate::segment::algebra::{self, Difference, Overlap};
use crate::segment::sql::{self, Dialect, SqlOptions, Tables};
use crate::segment::tags::{self, TagOptions, TagReport};
use crate::segment::{explain, CacheStats, Evaluator, Explain, Segment};
use crate::suggest::did_you_mean;
use roaring::RoaringBitmap;
use std::collections::BTreeMap;

impl Session {
    /// Runs `f` with an evaluator over the dataset and analysis for `opts` that reads and
    /// fills the session's per-node cache, once there is room for evaluating `segment`.
    fn with_evaluator<T>(
        &mut self,
        segment: &Segment,
        opts: &AnalysisOptions,
        f: impl FnOnce(&mut Evaluator) -> Result<T>,
    ) -> Result<T> {
        self.room_for_rule(&segment.rule, opts)?;
        let ds = self.dataset.as_ref().expect("built above");
        let an = self.analysis.as_ref().expect("computed above");
        let mut ev = Evaluator::with_cache(ds, an, &self.saved, &mut self.cache);
        f(&mut ev)
    }

    /// The members of a segment (nodes evaluated before come from the cache).
    pub fn audience(&mut self, segment: &Segment, opts: &AnalysisOptions) -> Result<RoaringBitmap> {
        self.with_evaluator(segment, opts, |ev| ev.members(segment))
    }

    /// The size of a segment.
    pub fn count(&mut self, segment: &Segment, opts: &AnalysisOptions) -> Result<u64> {
        Ok(self.audience(segment, opts)?.len())
    }

    /// The count of every node of the segment and of the running intersection (union) under
    /// `all` (`any`).
    pub fn explain(&mut self, segment: &Segment, opts: &AnalysisOptions) -> Result<Explain> {
        self.with_evaluator(segment, opts, |ev| explain::explain(ev, segment))
    }

    /// Hits and evaluations of the per-node cache so far.
    pub fn cache_stats(&self) -> CacheStats {
        CacheStats {
            analysis: self.analysis.is_some(),
            clv: self.clv.is_some(),
            ..self.cache.stats()
        }
    }

    /// Tag frequency, pairwise overlap (counts and Jaccard) and the largest exclusive
    /// intersections of a tag set, over every member or over the members of `within`.
    pub fn tags(
        &mut self,
        opts: &AnalysisOptions,
        tag_opts: &TagOptions,
        within: Option<&Segment>,
    ) -> Result<TagReport> {
        let universe = match within {
            Some(seg) => Some(self.audience(seg, opts)?),
            None => None,
        };
        self.dataset()?;
        self.make_room(Step::Tags, self.sizes())?;
        let ds = self.dataset()?;
        tags::report(ds, tag_opts, universe.as_ref(), within.map(|s| &s.rule))
    }

    /// Saves a segment under its name, for `{"segment": name}` nodes (replacing one of the
    /// same name). The rule must evaluate over the loaded data when there is data.
    pub fn save_segment(&mut self, segment: Segment) {
        self.saved.insert(segment.name.clone(), segment);
        self.cache.drop_saved();
    }

    /// Deletes a saved segment; an unknown name is an error.
    pub fn delete_segment(&mut self, name: &str) -> Result<()> {
        self.saved_segment(name)?;
        self.saved.remove(name);
        self.cache.drop_saved();
        Ok(())
    }

    /// The saved segments, by name.
    pub fn saved_segments(&self) -> Vec<&Segment> {
        self.saved.values().collect()
    }

    /// A saved segment by name; an unknown name is an error with a suggestion.
    pub fn saved_segment(&self, name: &str) -> Result<&Segment> {
        self.saved.get(name).ok_or_else(|| {
            Error::rule(format!(
                "unknown saved segment \"{name}\"{}",
                did_you_mean(name, self.saved.keys().map(String::as_str))
            ))
        })
    }

    /// How the audiences of two segments overlap.
    pub fn overlap(&mut self, a: &Segment, b: &Segment, opts: &AnalysisOptions) -> Result<Overlap> {
        let sa = self.audience(a, opts)?;
        let sb = self.audience(b, opts)?;
        Ok(algebra::overlap(&sa, &sb))
    }

    /// The members of `a` not in `b`: the count and the rule that selects them.
    pub fn difference(
        &mut self,
        a: &Segment,
        b: &Segment,
        opts: &AnalysisOptions,
    ) -> Result<Difference> {
        let seg = algebra::difference_segment(a, b);
        let count = self.count(&seg, opts)?;
        Ok(Difference {
            count,
            rule: seg.to_value(),
        })
    }

    /// The tables and optional columns the loaded data has (all of them when nothing is
    /// loaded).
    pub(super) fn sql_tables(&self) -> Tables {
        let (Some(orders), members, tags) = (
            self.tables.get(TableKind::Orders.name()),
            self.tables.get(TableKind::Members.name()),
            self.tables.get(TableKind::MemberTags.name()),
        ) else {
            return Tables::default();
        };
        let has = |t: Option<&crate::load::Table>, role: &str| {
            t.is_some_and(|t| {
                t.report
                    .columns
                    .iter()
                    .any(|c| c.role.as_deref() == Some(role))
            })
        };
        Tables {
            members: members.is_some(),
            member_tags: tags.is_some(),
            status: has(Some(orders), "status"),
            discount: has(Some(orders), "discount"),
            items: has(Some(orders), "items"),
            join_date: has(members, "join_date"),
            tags_column: has(members, "tags"),
        }
    }

    /// The segment as one SQL query over `orders`, `members`, `member_tags`. With orders
    /// loaded, the rule is first checked against the data (unknown tags, columns and values
    /// are errors, as for a count) and the tables follow what was loaded. `columns` names
    /// the warehouse's column of a role where it is not the role's name.
    pub fn to_sql(
        &mut self,
        segment: &Segment,
        dialect: Dialect,
        opts: &AnalysisOptions,
        columns: &BTreeMap<String, String>,
    ) -> Result<String> {
        self.compile_sql(
            dialect,
            opts,
            columns,
            |s| s.audience(segment, opts).map(|_| ()),
            |sql_opts, saved, ds| sql::compile(segment, sql_opts, saved, ds),
        )
    }

    /// The query of `report` (`rfm`, `lifecycle`, ...) over the warehouse tables, for the
    /// tables and columns loaded (without orders loaded, over every table of SPEC §1).
    /// `columns` names the warehouse's column of a role where it is not the role's name.
    pub fn report_sql(
        &mut self,
        report: sql::Report,
        dialect: Dialect,
        opts: &AnalysisOptions,
        ro: &sql::ReportOptions,
        columns: &BTreeMap<String, String>,
    ) -> Result<String> {
        self.compile_sql(
            dialect,
            opts,
            columns,
            |_| Ok(()),
            |sql_opts, _, ds| sql::report_sql(report, sql_opts, ro, ds),
        )
    }

    /// SQL written by `compile` for the tables loaded. With orders loaded, `check` first asks
    /// the same question of the data (its errors are the SQL's: unknown tags, columns, values)
    /// and the compiler resolves names against the dataset; without, it compiles as written.
    pub(super) fn compile_sql(
        &mut self,
        dialect: Dialect,
        opts: &AnalysisOptions,
        columns: &BTreeMap<String, String>,
        check: impl FnOnce(&mut Session) -> Result<()>,
        compile: impl FnOnce(
            &SqlOptions,
            &BTreeMap<String, Segment>,
            Option<&Dataset>,
        ) -> Result<String>,
    ) -> Result<String> {
        let loaded = self.tables.contains_key(TableKind::Orders.name());
        if loaded {
            check(self)?;
            self.dataset()?;
        }
        let sql_opts = SqlOptions {
            dialect,
            analysis: opts.clone(),
            tables: self.sql_tables(),
            columns: columns.clone(),
        };
        let ds = self.dataset.as_ref().filter(|_| loaded);
        compile(&sql_opts, &self.saved, ds)
    }
}
