//! audience-lab: member analytics and audience building over CRM and shop exports.
//!
//! Data walks one way: bytes → [`load`] → [`Dataset`] → [`metrics`] / [`segment`] →
//! [`export`]. The core is pure Rust; `wasm` (only on `wasm32`) is the browser binding and
//! `bin/audience-lab` the native CLI.
#![deny(missing_docs)]

pub mod api;
pub mod campaign;
pub mod catalog;
pub mod dataset;
pub mod dialect;
pub mod error;
pub mod export;
pub mod gen;
pub mod load;
pub mod memory;
pub mod metrics;
pub mod phone;
pub mod segment;
pub mod session;
pub mod suggest;
pub mod text;
pub mod vocabulary;

pub use dataset::Dataset;
pub use error::{Error, ErrorKind, Result};
pub use session::Session;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
