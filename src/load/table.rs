//! The logical tables of SPEC §1 (and, §1.1, a platform's order items file), the options of a
//! load and a loaded [`Table`].

use super::report::LoadReport;
use crate::error::{Error, Result};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use std::collections::BTreeMap;

/// The tables with their labels.
pub const TABLES: [crate::text::Word; 4] = [
    crate::text::Word::new("orders", "Orders", "订单"),
    crate::text::Word::new("members", "Members", "会员"),
    crate::text::Word::new("member_tags", "Member tags", "会员标签"),
    crate::text::Word::new("order_items", "Order items", "订单商品明细"),
];

/// The logical tables of SPEC §1, and a platform's order items file (SPEC §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    /// One row per order (required).
    Orders,
    /// One row per member, with attributes and an optional tags column.
    Members,
    /// One row per member and tag (long format).
    MemberTags,
    /// One row per item of an order, in a file of its own beside the orders (SPEC §1.1:
    /// Taobao's 宝贝报表 beside its 订单报表), joined to the orders by order id.
    OrderItems,
}

impl TableKind {
    /// The name used in the API: `orders`, `members`, `member_tags`, `order_items`.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Orders => "orders",
            TableKind::Members => "members",
            TableKind::MemberTags => "member_tags",
            TableKind::OrderItems => "order_items",
        }
    }

    /// Parses an API name (`tags` is accepted for `member_tags`, `items` for `order_items`).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "orders" => Ok(TableKind::Orders),
            "members" => Ok(TableKind::Members),
            "member_tags" | "tags" => Ok(TableKind::MemberTags),
            "order_items" | "items" => Ok(TableKind::OrderItems),
            other => Err(Error::option(format!(
                "unknown table kind \"{other}\" (expected orders, members, member_tags or order_items)"
            ))),
        }
    }
}

/// Options of a load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The file name, used in messages and the report.
    pub name: String,
    /// Role → column name overrides (SPEC §1 role names).
    pub mapping: BTreeMap<String, String>,
    /// Skip mapping entries whose role is not of this table or whose column is not in the
    /// file (the CLI applies one `--map` list to every input file).
    pub lenient_mapping: bool,
    /// Text encoding override (a WHATWG label such as `gbk`, `utf-8`, `utf-16le`).
    pub encoding: Option<String>,
    /// Field delimiter override (`,` `;` `|` `tab`).
    pub delimiter: Option<String>,
    /// The sheet of a workbook to read (default: the first).
    pub sheet: Option<String>,
    /// Format override (`csv`, `tsv`, `xlsx`, `parquet`, `arrow`, `arrow-stream`, `ndjson`).
    pub format: Option<String>,
    /// Heap limit in bytes for the load (default: the browser's limit in wasm, none natively).
    pub memory_limit: Option<usize>,
    /// Threads a large CSV file is read with natively (default one; see
    /// [`super::parts`]). The browser reads in parts in its own workers.
    pub workers: Option<usize>,
}

/// A loaded table: typed Arrow columns in batches, plus the report of the load.
#[derive(Debug, Clone)]
pub struct Table {
    /// Which table this is.
    pub kind: TableKind,
    /// The typed columns, in batches of the same schema. Role columns are named by role
    /// (`member_id`, `order_day`, `amount_cents`, ...); other columns keep their header names.
    /// Member ids and repeated text are dictionary-encoded (`Dictionary(UInt32, Utf8)`).
    pub batches: Vec<RecordBatch>,
    /// What the load found and did.
    pub report: LoadReport,
    /// Line items (SPEC §1.1): per text field, `(table row, dictionary code)` of the values of
    /// an order's lines beyond the one in its row (a second line's brand), in row order.
    pub lines: LineValues,
}

/// Per text field, `(table row, dictionary code)` pairs of line values, in row order.
pub type LineValues = std::collections::BTreeMap<String, Vec<(u32, u32)>>;

impl Table {
    /// Rows in the table.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// Bytes of the table's values (what its columns would take written out), a dictionary
    /// that batches share counted once.
    pub fn column_bytes(&self) -> usize {
        let size = |a: &dyn Array| a.to_data().get_slice_memory_size().unwrap_or(0);
        let mut seen = std::collections::HashSet::new();
        let mut total = 0;
        for column in self.batches.iter().flat_map(RecordBatch::columns) {
            match column.as_any_dictionary_opt() {
                Some(d) => {
                    total += size(d.keys());
                    let values = d.values();
                    if seen.insert(std::sync::Arc::as_ptr(values) as *const u8 as usize) {
                        total += size(values.as_ref());
                    }
                }
                None => total += size(column.as_ref()),
            }
        }
        total
    }

    /// The chunks of column `name`, one per batch (empty when there is no such column).
    pub fn column(&self, name: &str) -> Vec<&ArrayRef> {
        self.batches
            .iter()
            .filter_map(|b| b.column_by_name(name))
            .collect()
    }

    /// Whether the table has column `name`.
    pub fn has_column(&self, name: &str) -> bool {
        self.batches
            .first()
            .is_some_and(|b| b.schema().column_with_name(name).is_some())
    }
}
