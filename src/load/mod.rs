//! Loading: bytes → (format, encoding, delimiter detected from content) → rows → typed Arrow
//! record batches, with every row accounted for (loaded, or rejected with a reason).
//!
//! [`Loader`] takes a file in chunks, so a large file is decoded and parsed as it arrives;
//! [`load`] is the same for bytes already in memory; [`preview`] reads the head of a file to
//! show its columns, detected roles and first rows before the load is committed.

pub mod builder;
pub mod cell;
pub mod coerce;
pub mod columnar;
pub mod csv;
pub mod decode;
pub mod format;
pub mod gather;
mod infer;
pub mod intern;
pub mod key;
pub mod loader;
mod ndjson;
pub mod parallel;
pub mod parts;
pub mod platform;
pub mod preview;
pub mod read;
pub mod reasons;
pub mod report;
pub mod roles;
pub mod sink;
pub mod status;
pub mod stored;
mod summary;
pub mod table;
pub mod tags;
mod xlsx;

pub use loader::{LoadProgress, Loader, CHUNK_BYTES};
pub use parallel::load;
pub use preview::{preview, Preview};
pub use report::{
    ColumnReport, LineItems, LoadReport, ReasonCount, RejectSample, Rejections, ShopPlatform,
};
pub use table::{LoadOptions, Table, TableKind};
