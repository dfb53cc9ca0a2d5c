//! An order items file joined to the orders (SPEC §1.1): a platform that writes its items in
//! a second file (Taobao's 宝贝报表 beside its 订单报表) gives each order the values of its items
//! (title, SKU, attributes) as line values, so `purchased` filters on them match an order when
//! any of its items does, while counts and amounts stay the order's.

use super::{dict_chunks, internal, Dataset, Dict, NULL_CODE};
use crate::error::Result;
use crate::load::Table;
use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, UInt32Type};
use arrow_array::Array;
use arrow_schema::DataType;
use rustc_hash::FxHashMap;

/// An order id as both files write it: Taobao writes `="3012345678"` so that Excel keeps the
/// digits.
pub fn order_key(raw: &str) -> &str {
    raw.trim().trim_start_matches('=').trim_matches('"').trim()
}

impl Dataset {
    /// Joins `items` to the member orders: `slot` is the member order of each row of `orders`
    /// (`u32::MAX` for a guest order), `total` the number of member orders. Text columns of the
    /// items become order columns (an order's first item's value, the others as line values);
    /// the quantities give the orders' items when the orders file has none. Returns the item
    /// rows whose order is not a loaded member order.
    pub(super) fn join_items(
        &mut self,
        orders: &Table,
        items: &Table,
        slot: &[u32],
        total: usize,
    ) -> Result<u64> {
        // Orders table row of each order id.
        let mut row_of: FxHashMap<String, u32> = FxHashMap::default();
        let mut row = 0u32;
        each_order_id(orders, |id| {
            if let Some(id) = id {
                row_of.entry(id.to_string()).or_insert(row);
            }
            row += 1;
        })?;
        // The member order of each item row.
        let mut target: Vec<u32> = Vec::with_capacity(items.num_rows());
        each_order_id(items, |id| {
            let s = id
                .and_then(|id| row_of.get(id))
                .and_then(|&r| slot.get(r as usize).copied())
                .unwrap_or(u32::MAX);
            target.push(s);
        })?;
        drop(row_of);
        let unmatched = target.iter().filter(|&&s| s == u32::MAX).count() as u64;
        let Some(schema) = items.batches.first().map(|b| b.schema()) else {
            return Ok(unmatched);
        };
        for field in schema.fields() {
            let name = field.name();
            if name == "order_id" || self.orders.dims.contains_key(name) {
                continue;
            }
            match field.data_type() {
                DataType::Dictionary(..) => {
                    let dict = item_dim(items, name, &target, total)?;
                    self.orders.dims.insert(name.clone(), dict);
                }
                DataType::Int64 if name == "items" && !self.orders.has_items => {
                    let mut row = 0usize;
                    for col in items.column(name) {
                        let q = col.as_primitive::<Int64Type>();
                        for i in 0..q.len() {
                            let s = target[row + i];
                            if s != u32::MAX && q.is_valid(i) {
                                self.orders.items[s as usize] += q.value(i);
                            }
                        }
                        row += q.len();
                    }
                    self.orders.has_items = true;
                }
                _ => {}
            }
        }
        Ok(unmatched)
    }
}

/// Calls `f` with the order id of each row of `table` (as [`order_key`] reads it).
fn each_order_id(table: &Table, mut f: impl FnMut(Option<&str>)) -> Result<()> {
    for col in table.column("order_id") {
        let d = col
            .as_dictionary_opt::<UInt32Type>()
            .ok_or_else(|| internal("order_id is not dictionary-encoded"))?;
        let values = d
            .values()
            .as_string_opt::<i32>()
            .ok_or_else(|| internal("order_id values are not text"))?;
        let keys = d.keys();
        for i in 0..keys.len() {
            f(keys
                .is_valid(i)
                .then(|| order_key(values.value(keys.value(i) as usize))));
        }
    }
    Ok(())
}

/// The order column of an items column: each order's first item's value, the other values
/// of its items as line values.
fn item_dim(items: &Table, name: &str, target: &[u32], total: usize) -> Result<Dict> {
    let (dicts, mut dict) = dict_chunks(&items.column(name), name, total)?;
    let mut row = 0usize;
    for d in dicts {
        let keys = d.keys();
        for i in 0..keys.len() {
            let s = target[row + i];
            if s == u32::MAX || !keys.is_valid(i) {
                continue;
            }
            let code = keys.value(i);
            match dict.codes.get(s as usize) {
                NULL_CODE => dict.codes.set(s as usize, code),
                c if c != code => dict.more.push((s, code)),
                _ => {}
            }
        }
        row += keys.len();
    }
    dict.more.sort_unstable();
    dict.more.dedup();
    Ok(dict)
}

#[cfg(test)]
mod tests {
    use super::order_key;

    #[test]
    fn order_ids_compare_without_excel_quoting() {
        assert_eq!(order_key("=\"3012345678\""), "3012345678");
        assert_eq!(order_key(" 3012345678 "), "3012345678");
    }
}
