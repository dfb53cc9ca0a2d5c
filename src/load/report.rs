//! The load report: what was detected, how many rows came in, were loaded and were rejected.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many rejected rows are kept as samples.
pub const MAX_SAMPLES: usize = 20;

/// One rejected row, as a sample for the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RejectSample {
    /// Spreadsheet row number: the header is row 1, the first data row is row 2.
    pub row: u64,
    /// The column at fault (empty when the whole row is at fault).
    pub column: String,
    /// The raw value (cut to 200 characters).
    pub value: String,
    /// Why the row was rejected.
    pub reason: String,
    /// Why, in Chinese.
    pub reason_zh: String,
}

/// Rejected rows counted by reason, with the first samples.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rejections {
    counts: BTreeMap<String, u64>,
    samples: Vec<RejectSample>,
    total: u64,
}

impl Rejections {
    /// Counts one rejected row and keeps it as a sample while there is room.
    pub fn reject(&mut self, row: u64, column: &str, value: &str, reason: &str) {
        self.total += 1;
        *self.counts.entry(reason.to_string()).or_insert(0) += 1;
        if self.samples.len() < MAX_SAMPLES {
            self.samples.push(RejectSample {
                row,
                column: column.to_string(),
                value: value.chars().take(200).collect(),
                reason: reason.to_string(),
                reason_zh: super::reasons::zh(reason),
            });
        }
    }

    /// Counts `n` more rows rejected for `reason`, without samples (the other lines of a
    /// rejected order).
    pub fn reject_more(&mut self, reason: &str, n: u64) {
        if n > 0 {
            self.total += n;
            *self.counts.entry(reason.to_string()).or_insert(0) += n;
        }
    }

    /// Adds the rejections of the next part of a file read in parts, whose row numbers start
    /// after `offset` records: counts add up, samples keep the first ones in file order.
    pub fn append(&mut self, other: Rejections, offset: u64) {
        self.total += other.total;
        for (reason, n) in other.counts {
            *self.counts.entry(reason).or_insert(0) += n;
        }
        let room = MAX_SAMPLES.saturating_sub(self.samples.len());
        self.samples
            .extend(other.samples.into_iter().take(room).map(|mut s| {
                s.row += offset;
                s
            }));
    }

    /// The number of rejected rows.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Rows rejected for `reason`.
    pub fn count(&self, reason: &str) -> u64 {
        self.counts.get(reason).copied().unwrap_or(0)
    }
}

/// A count of rejected rows for one reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ReasonCount {
    /// The reason, e.g. `unparsable date`.
    pub reason: String,
    /// The reason in Chinese.
    pub reason_zh: String,
    /// Rows rejected for it.
    pub count: u64,
}

/// One column of the file, with the role it was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ColumnReport {
    /// The header as written in the file.
    pub name: String,
    /// The role (SPEC §1 role name) or `None` for a plain attribute.
    pub role: Option<String>,
    /// How sure the role is: 1.0 when mapped by the caller, 0.95 for a known header name, less
    /// for a header containing one or for a role recognised from values alone.
    pub confidence: Option<f64>,
    /// How the role was found: `mapping`, `header` or `values`; for the member key of an
    /// orders file without a member id column (SPEC §1.1), its kind: `email`, `phone` or
    /// `nickname`.
    pub detected_by: Option<String>,
    /// The type the values were read as: string, date, money, integer, number or tags.
    #[serde(rename = "type")]
    pub ty: String,
}

/// What a load did: detected format, encoding and delimiter, columns and roles, row accounting.
/// Always `rows_in == rows_loaded + rows_rejected`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LoadReport {
    /// `orders`, `members`, `member_tags` or `order_items`.
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "TableKind"))]
    pub kind: String,
    /// The file name given by the caller.
    pub name: String,
    /// The detected format (`csv`).
    pub format: String,
    /// The detected text encoding (empty for binary formats).
    pub encoding: String,
    /// Why that encoding: a byte-order mark, valid UTF-8, or the override.
    pub encoding_evidence: String,
    /// Why that encoding, in Chinese.
    pub encoding_evidence_zh: String,
    /// The detected field delimiter (empty for formats without one).
    pub delimiter: String,
    /// Data rows in the file (header excluded).
    pub rows_in: u64,
    /// Rows loaded.
    pub rows_loaded: u64,
    /// Rows not loaded, for the reasons in `rejected`.
    pub rows_rejected: u64,
    /// Rejected rows by reason, most frequent first.
    pub rejected: Vec<ReasonCount>,
    /// Up to 20 rejected rows.
    pub samples: Vec<RejectSample>,
    /// The columns of the file with their roles and types.
    pub columns: Vec<ColumnReport>,
    /// Bytes read from the file.
    pub bytes: u64,
    /// Things the user should know that did not reject rows (renamed duplicate headers,
    /// replaced undecodable bytes, keys ignored).
    pub warnings: Vec<String>,
    /// The warnings in Chinese, in the same order.
    pub warnings_zh: Vec<String>,
    /// When the rows are line items grouped into orders (SPEC §1.1): how many of each.
    pub line_items: Option<LineItems>,
    /// The platform whose export layout the columns match (`Shopify orders`, `天猫订单列表`,
    /// ...), if recognised.
    pub platform: Option<ShopPlatform>,
}

/// The platform an export was recognised as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ShopPlatform {
    /// A stable id: `shopify-orders`, `shopify-customers`, `woocommerce-orders`,
    /// `tmall-orders`, `taobao-items`, `youzan-orders`, `jd-orders`.
    pub id: String,
    /// Its name, e.g. `Shopify orders export`.
    pub name: String,
    /// Its name in Chinese.
    pub name_zh: String,
}

/// How the line items of an orders file became orders (SPEC §1.1). The rows loaded
/// (`rows_loaded`) are lines; the table has `orders + refunds` rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LineItems {
    /// Lines loaded as parts of orders.
    pub lines: u64,
    /// Orders loaded.
    pub orders: u64,
    /// Refund rows added from the refund-amount column (a purchase and its refund).
    pub refunds: u64,
    /// Orders not loaded, by reason (their lines are counted in `rejected`).
    pub rejected_orders: Vec<ReasonCount>,
}

impl LoadReport {
    /// The kind of column that keys members when the file has no member id column.
    pub fn member_key(&self) -> Option<super::key::KeyKind> {
        self.columns
            .iter()
            .find(|c| c.role.as_deref() == Some("member_id"))
            .and_then(|c| c.detected_by.as_deref())
            .and_then(super::key::KeyKind::parse)
    }

    /// Fills the row accounting from the rejections of a load.
    pub fn set_rows(&mut self, rows_in: u64, rejections: Rejections) {
        self.rows_in = rows_in;
        self.rows_rejected = rejections.total;
        self.rows_loaded = rows_in - rejections.total;
        let mut counts: Vec<ReasonCount> = rejections
            .counts
            .into_iter()
            .map(|(reason, count)| ReasonCount {
                reason_zh: super::reasons::zh(&reason),
                reason,
                count,
            })
            .collect();
        counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        self.rejected = counts;
        self.samples = rejections.samples;
    }
}
