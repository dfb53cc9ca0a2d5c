//! What a member column's SQL may read: the query the segment compiler builds has one row
//! per member with the per-member base (`b`), RFM (`rfm`), the stage (`s`) and the
//! reference day joined on demand; a column asks for what it reads through this scope.

use crate::dialect::Dialect;

/// The per-member row of a compiled query, as a column's SQL sees it. Each method that names
/// a relation also makes the query join it.
pub trait SqlScope {
    /// The dialect written.
    fn dialect(&self) -> Dialect;
    /// The alias of the per-member base (`frequency`, `monetary_cents`, `gross_cents`,
    /// `discounted`, `first_day`, `last_day`, `purchase_days`, `items`).
    fn base(&mut self) -> &'static str;
    /// The alias of the RFM scores (`r`, `f`, `m`, `segment`; no row without a purchase).
    fn rfm(&mut self) -> &'static str;
    /// The alias of the lifecycle stage (`stage`).
    fn stage(&mut self) -> &'static str;
    /// The reference day as a day number.
    fn as_of(&mut self) -> &'static str;
    /// The members' join date as a day number, when the warehouse has one.
    fn join_day(&mut self) -> Option<String>;
    /// Whether the orders have an items column.
    fn has_items(&self) -> bool;
}
