//! A member attribute as a warehouse column: its name there and its values written as the
//! engine writes them (a KPI split's group labels).

use crate::dataset::AttrKind;
use crate::dialect::Dialect;

/// The warehouse column of member field `field` (the join date's field is `join_day`, its
/// column `join_date` as SPEC §1 names it).
pub fn warehouse_name(field: &str) -> &str {
    if field == "join_day" {
        "join_date"
    } else {
        field
    }
}

/// The value of column expression `raw` as the engine labels it, NULL when the cell holds
/// none: text trimmed; a number as the shortest text that reads back to it (`658`, not the
/// warehouse's `658.0`; integers up to 10^15 exactly, others as the dialect writes a DOUBLE);
/// a date as `YYYY-MM-DD`, whatever the column's type or the text's form.
pub fn label(d: Dialect, kind: AttrKind, raw: &str) -> String {
    let text = d.text(raw);
    let t = d.text_type();
    match kind {
        AttrKind::Text => text,
        AttrKind::Num => {
            let x = format!("TRY_CAST({text} AS DOUBLE)");
            format!(
                "CASE WHEN {x} = FLOOR({x}) AND ABS({x}) < 1E15 \
                 THEN CAST(CAST({x} AS BIGINT) AS {t}) ELSE CAST({x} AS {t}) END"
            )
        }
        AttrKind::Date => format!("CAST({} AS {t})", d.date_of(&d.day_of(raw))),
    }
}
