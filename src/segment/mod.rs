//! Segment rules (SPEC §3): the rule tree, its evaluation to member sets (cached per node),
//! explanations, tag intersections, segment algebra and SQL compilation.

pub mod algebra;
pub mod ast;
pub mod cache;
pub mod canon;
pub mod compare;
pub mod eval;
pub mod explain;
pub mod leaves;
pub mod load;
pub mod purchased;
pub mod sql;
pub mod tags;
pub mod words;

pub use ast::{parse_segment, Node, Segment};
pub use cache::{CacheStats, SegmentCache};
pub use eval::Evaluator;
pub use explain::{Explain, ExplainNode};
