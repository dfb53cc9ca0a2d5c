//! The orders table's rows grouped by member, in the order of the member index: how a
//! workspace kept in the browser writes its orders, so that a restore's dataset build reads
//! its members in index order (a string compare per member instead of a hash probe, see
//! `keys.rs`) and scatters each column to its member slots front to back, instead of to
//! random places.

use super::{Dataset, NO_MEMBER};
use crate::error::Result;
use crate::load::Table;

impl Dataset {
    /// The rows of `orders` (the table this dataset was built from) grouped by member: the
    /// members' rows in index order, each member's in table order, then the guest orders in
    /// table order; `None` when the table is in that order already. Building a dataset from
    /// the rows so ordered gives this dataset again: each member's orders keep their order,
    /// and members outside the members file, indexed by their first order, keep theirs.
    pub fn grouped_order_rows(&self, orders: &Table) -> Result<Option<Vec<u32>>> {
        let members = self.order_members(orders)?;
        let n = self.ids.len();
        // A counting sort: where each member's rows start, guests last.
        let mut start = vec![0u32; n + 2];
        for &m in &members {
            start[bucket(m, n) + 1] += 1;
        }
        for i in 0..=n {
            start[i + 1] += start[i];
        }
        let mut rows = vec![0u32; members.len()];
        for (row, &m) in members.iter().enumerate() {
            let b = bucket(m, n);
            rows[start[b] as usize] = row as u32;
            start[b] += 1;
        }
        let sorted = rows.iter().enumerate().all(|(i, &r)| i as u32 == r);
        Ok((!sorted).then_some(rows))
    }
}

/// The bucket of a row of member `m` among `n` members: its member, or `n` for a guest.
fn bucket(m: u32, n: usize) -> usize {
    if m == NO_MEMBER {
        n
    } else {
        (m as usize).min(n)
    }
}
