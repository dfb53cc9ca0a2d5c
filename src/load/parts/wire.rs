//! A part and a plan as they cross between wasm instances (Web Workers share no memory): a
//! plan as JSON, a part as its rows in the Arrow IPC stream format behind a JSON header with
//! its counts, rejections and column report.

use super::{Part, Plan};
use crate::error::{Error, ErrorKind, Result};
use crate::load::report::{ColumnReport, Rejections, ShopPlatform};
use crate::load::roles::{role_names, Assignment};
use crate::load::sink::Sunk;
use crate::load::stored::{append_stream, read_stream};
use crate::load::TableKind;
use serde::{Deserialize, Serialize};

/// The ways a role can have been found (`Assignment::how`).
const HOWS: [&str; 7] = [
    "mapping", "platform", "header", "values", "email", "phone", "nickname",
];

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlanWire {
    headers: Vec<String>,
    roles: Vec<RoleWire>,
    keep_order_id: bool,
    encoding: String,
    delimiter: u8,
    head_bytes: u64,
}

#[derive(Serialize, Deserialize)]
struct RoleWire {
    role: String,
    column: usize,
    confidence: f64,
    how: String,
}

impl Plan {
    /// The plan as JSON.
    pub fn to_json(&self) -> String {
        let wire = PlanWire {
            headers: self.headers.clone(),
            roles: self
                .roles
                .iter()
                .map(|a| RoleWire {
                    role: a.role.to_string(),
                    column: a.column,
                    confidence: a.confidence,
                    how: a.how.to_string(),
                })
                .collect(),
            keep_order_id: self.keep_order_id,
            encoding: self.encoding.name().to_string(),
            delimiter: self.delimiter,
            head_bytes: self.head_bytes,
        };
        serde_json::to_string(&wire).unwrap_or_default()
    }

    /// Reads a plan of a `kind` table written by [`Plan::to_json`].
    pub fn from_json(kind: TableKind, json: &str) -> Result<Plan> {
        let w: PlanWire = serde_json::from_str(json).map_err(|e| bad(format!("plan: {e}")))?;
        let names = role_names(kind);
        let roles = w
            .roles
            .iter()
            .map(|r| {
                let role = names.iter().find(|n| **n == r.role);
                let how = HOWS.iter().find(|h| **h == r.how);
                match (role, how) {
                    (Some(role), Some(how)) if r.column < w.headers.len() => Ok(Assignment {
                        role,
                        column: r.column,
                        confidence: r.confidence,
                        how,
                    }),
                    _ => Err(bad(format!(
                        "plan: role {} ({}) of column {}",
                        r.role, r.how, r.column
                    ))),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let encoding = encoding_rs::Encoding::for_label(w.encoding.as_bytes())
            .ok_or_else(|| bad(format!("plan: encoding {}", w.encoding)))?;
        Ok(Plan {
            headers: w.headers,
            roles,
            keep_order_id: w.keep_order_id,
            encoding,
            delimiter: w.delimiter,
            head_bytes: w.head_bytes,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PartHead {
    rows_in: u64,
    rejections: Rejections,
    warnings: Vec<(String, String)>,
    columns: Vec<ColumnReport>,
    platform: Option<ShopPlatform>,
    replaced: u64,
    records: u64,
    bytes: u64,
}

impl Part {
    /// The part as bytes: a little-endian `u32` length, the JSON header, the Arrow IPC stream.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let s = &self.sunk;
        if s.lines.is_some() {
            return Err(bad("a line-items table is not read in parts".into()));
        }
        let head = PartHead {
            rows_in: s.rows_in,
            rejections: s.rejections.clone(),
            warnings: s.warnings.clone(),
            columns: s.columns.clone(),
            platform: s.platform.clone(),
            replaced: self.replaced,
            records: self.records,
            bytes: self.bytes,
        };
        let json = serde_json::to_vec(&head).map_err(|e| bad(e.to_string()))?;
        let mut out = Vec::with_capacity(4 + json.len());
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        append_stream(&mut out, &s.batches).map_err(ipc)?;
        Ok(out)
    }

    /// Reads a part written by [`Part::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Part> {
        let len = bytes
            .get(..4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_le_bytes)
            .ok_or_else(|| bad("part: too short".into()))? as usize;
        let json = bytes
            .get(4..4 + len)
            .ok_or_else(|| bad("part: header cut".into()))?;
        let head: PartHead = serde_json::from_slice(json).map_err(|e| bad(format!("part: {e}")))?;
        let batches = read_stream(&bytes[4 + len..]).map_err(ipc)?;
        Ok(Part {
            sunk: Sunk {
                batches,
                columns: head.columns,
                rows_in: head.rows_in,
                rejections: head.rejections,
                warnings: head.warnings,
                platform: head.platform,
                lines: None,
            },
            replaced: head.replaced,
            records: head.records,
            bytes: head.bytes,
            shared_buffers: true,
        })
    }
}

fn ipc(e: arrow_schema::ArrowError) -> Error {
    bad(format!("part: {e}"))
}

fn bad(msg: String) -> Error {
    Error::new(ErrorKind::Internal, msg)
}
