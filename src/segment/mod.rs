//! Segment rules (SPEC §3): the rule tree and its evaluation to member sets.

pub mod ast;
pub mod eval;

pub use ast::{parse_segment, Node, Segment};
pub use eval::Evaluator;
