//! The member index of each row: by member id, or (SPEC §1.1) by the email, phone or nickname
//! that keys an orders file without a member id column — the members file then keyed by the
//! same kind of column, and member tags (which name member ids) through the members file.

use super::{internal, Dataset, NO_MEMBER};
use crate::error::Result;
use crate::load::key::KeyKind;
use crate::load::roles::is_key_header;
use crate::load::Table;
use arrow_array::cast::AsArray;
use arrow_array::types::UInt32Type;
use arrow_array::Array;
use rustc_hash::FxHashMap;

/// The member index of each member id of the members file, when members are keyed by
/// another column.
pub(super) type ById = FxHashMap<String, u32>;

impl Dataset {
    /// The member index of every row of `table`'s column `field` ([`NO_MEMBER`] for an empty
    /// value; four bytes a row, as this is held for every order row during the build),
    /// each distinct value interned once through the column's dictionary, compared as `key`
    /// says (as written, trimmed, without a key).
    pub(super) fn member_codes(
        &mut self,
        table: &Table,
        field: &str,
        key: Option<KeyKind>,
    ) -> Result<Vec<u32>> {
        let mut guess = Guess::default();
        row_codes(table, field, |raw| match key {
            None => Some(self.intern_guessed(raw, &mut guess)),
            Some(_) => self.intern_key(raw, key),
        })
    }

    /// The member index of every row of the orders table `orders` as the build gave it, read
    /// from the index without adding to it ([`NO_MEMBER`] for a guest order or an id the
    /// index does not hold).
    pub(super) fn order_members(&self, orders: &Table) -> Result<Vec<u32>> {
        let key = orders.report.member_key();
        row_codes(orders, "member_id", |raw| match key {
            None => self.ids.get(raw.trim()),
            Some(k) => {
                let k = k.normalize(raw);
                (!k.is_empty()).then(|| self.ids.get(&k)).flatten()
            }
        })
    }

    /// The members file's rows: keyed by member id, or by the `key` column of the orders
    /// (a row without a value of it keeps its member id as its key); with the member ids'
    /// index when keyed by another column.
    pub(super) fn member_rows(
        &mut self,
        members: &Table,
        key: Option<KeyKind>,
    ) -> Result<(Vec<u32>, Option<ById>)> {
        // A members file without a member id column is keyed by its email, phone or
        // nickname column, read as the member id.
        if let Some(own) = members.report.member_key() {
            return Ok((self.member_codes(members, "member_id", Some(own))?, None));
        }
        let field = key.and_then(|k| key_field(members, k).map(|f| (k, f)));
        let Some((kind, field)) = field else {
            return Ok((self.member_codes(members, "member_id", None)?, None));
        };
        let (Some(ids), Some(keys)) = (texts(members, "member_id")?, texts(members, &field)?)
        else {
            return Ok((self.member_codes(members, "member_id", None)?, None));
        };
        let mut by_id = ById::default();
        let mut rows = Vec::with_capacity(ids.len());
        for (id, k) in ids.iter().zip(&keys) {
            let code = match k.as_deref().map(|k| kind.normalize(k)) {
                Some(k) if !k.is_empty() => Some(self.intern(&k)),
                _ => id.as_deref().map(|id| self.intern(id)),
            };
            if let (Some(id), Some(code)) = (id, code) {
                by_id.insert(id.trim().to_string(), code);
            }
            rows.push(code.unwrap_or(NO_MEMBER));
        }
        Ok((rows, Some(by_id)))
    }

    /// The member tag rows' member indexes: through the members file's ids when members are
    /// keyed by another column.
    pub(super) fn tag_rows(&mut self, tags: &Table, by_id: Option<&ById>) -> Result<Vec<u32>> {
        let Some(by_id) = by_id else {
            return self.member_codes(tags, "member_id", None);
        };
        let ids = texts(tags, "member_id")?.ok_or_else(|| internal("member_id is not text"))?;
        Ok(ids
            .iter()
            .map(|id| {
                id.as_deref()
                    .map_or(NO_MEMBER, |id| match by_id.get(id.trim()) {
                        Some(&code) => code,
                        None => self.intern(id),
                    })
            })
            .collect())
    }

    /// The member index of member id `raw`, trying first the few members after the one
    /// found last: a table that names its members in index order (orders kept in this
    /// browser are kept so) then costs a few string compares per member instead of a hash
    /// probe into the whole index. Guessing stops paying its compares when it keeps missing.
    fn intern_guessed(&mut self, raw: &str, guess: &mut Guess) -> u32 {
        let id = raw.trim();
        if guess.worth_trying() {
            // The next few members: those between have no row here (no orders).
            let end = (guess.next as usize + LOOK_AHEAD).min(self.ids.len());
            for next in guess.next..end as u32 {
                if self.ids.value(next) == id {
                    guess.hit(next);
                    return next;
                }
            }
            guess.misses += 1;
        }
        let code = self.intern(id);
        guess.next = code.saturating_add(1);
        code
    }

    /// The member index of a key as `key` compares it (`None` when it is empty).
    fn intern_key(&mut self, raw: &str, key: Option<KeyKind>) -> Option<u32> {
        match key {
            None => Some(self.intern(raw)),
            Some(k) => {
                let k = k.normalize(raw);
                (!k.is_empty()).then(|| self.intern(&k))
            }
        }
    }
}

/// The members file's column of a key kind: its `email` or `phone` role, or a nickname header.
fn key_field(members: &Table, kind: KeyKind) -> Option<String> {
    let role = match kind {
        KeyKind::Email => Some("email"),
        KeyKind::Phone => Some("phone"),
        KeyKind::Nickname => None,
    };
    members.report.columns.iter().find_map(|c| match role {
        Some(r) => (c.role.as_deref() == Some(r)).then(|| r.to_string()),
        None => (c.role.is_none() && is_key_header(kind, &c.name)).then(|| c.name.clone()),
    })
}

/// Every row's value of text column `field` (plain or dictionary-encoded; `None` for null),
/// or `None` when the column holds something else (a nickname column read as numbers).
fn texts(table: &Table, field: &str) -> Result<Option<Vec<Option<String>>>> {
    let mut out = Vec::with_capacity(table.num_rows());
    for col in table.column(field) {
        if let Some(s) = col.as_string_opt::<i32>() {
            out.extend(s.iter().map(|v| v.map(str::to_string)));
        } else if let Some(d) = col.as_dictionary_opt::<UInt32Type>() {
            let values = d
                .values()
                .as_string_opt::<i32>()
                .ok_or_else(|| internal("dictionary values are not text"))?;
            let keys = d.keys();
            out.extend((0..keys.len()).map(|i| {
                keys.is_valid(i)
                    .then(|| values.value(keys.value(i) as usize).to_string())
            }));
        } else {
            return Ok(None);
        }
    }
    Ok(Some(out))
}

/// Members a guess looks at, from the one after the last found.
const LOOK_AHEAD: usize = 8;

/// The member the next value of a column is guessed to be, and how guessing went.
#[derive(Default)]
struct Guess {
    next: u32,
    hits: u32,
    misses: u32,
}

impl Guess {
    /// Whether a guess is worth its compare: always at first, then while at least a third
    /// of the guesses hit (a column in random order stops after 64 misses).
    fn worth_trying(&self) -> bool {
        self.misses < 64 || self.hits >= self.misses / 2
    }

    fn hit(&mut self, code: u32) {
        self.hits += 1;
        self.next = code.saturating_add(1);
    }
}

/// The code `code_of` gives each row's value of `table`'s column `field` ([`NO_MEMBER`] for
/// an empty value or `None`), asked once per distinct value through the column's dictionary
/// (a value no loaded row uses, such as the buyer of an order rejected after its lines were
/// read, is never asked).
fn row_codes(
    table: &Table,
    field: &str,
    mut code_of: impl FnMut(&str) -> Option<u32>,
) -> Result<Vec<u32>> {
    let mut out = Vec::with_capacity(table.num_rows());
    let mut cache: Option<(*const u8, Vec<Option<Option<u32>>>)> = None;
    for col in table.column(field) {
        let dict = col
            .as_dictionary_opt::<UInt32Type>()
            .ok_or_else(|| internal("member_id is not dictionary-encoded"))?;
        let values = dict
            .values()
            .as_string_opt::<i32>()
            .ok_or_else(|| internal("member_id values are not text"))?;
        let ptr = values.values().as_ptr();
        if cache.as_ref().is_none_or(|(k, _)| *k != ptr) {
            cache = Some((ptr, vec![None; values.len()]));
        }
        let map = &mut cache.as_mut().ok_or_else(|| internal("member map"))?.1;
        let keys = dict.keys();
        for i in 0..keys.len() {
            if !keys.is_valid(i) {
                out.push(NO_MEMBER);
                continue;
            }
            let k = keys.value(i) as usize;
            let code = match map.get(k).copied().flatten() {
                Some(c) => c,
                None => {
                    let c = code_of(values.value(k));
                    if let Some(slot) = map.get_mut(k) {
                        *slot = Some(c);
                    }
                    c
                }
            };
            out.push(code.unwrap_or(NO_MEMBER));
        }
    }
    Ok(out)
}
