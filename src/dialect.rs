//! The SQL dialects that segments and member columns compile to (DuckDB, Spark): what
//! differs between them is identifier quoting, string literals, the text type and day
//! arithmetic. Everything else the compiler writes is common to DuckDB and Spark SQL.

use crate::error::{Error, Result};
use crate::load::coerce::format_day;

/// The dialects with their labels.
pub const DIALECTS: [crate::text::Word; 2] = [
    crate::text::Word::new("duckdb", "DuckDB", "DuckDB"),
    crate::text::Word::new("spark", "Spark SQL", "Spark SQL"),
];

/// The SQL dialect to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// DuckDB.
    #[default]
    DuckDb,
    /// Spark SQL (3.4 or later).
    Spark,
}

impl Dialect {
    /// Parses `duckdb` or `spark`.
    pub fn parse(s: &str) -> Result<Dialect> {
        match s.trim().to_ascii_lowercase().as_str() {
            "duckdb" => Ok(Dialect::DuckDb),
            "spark" => Ok(Dialect::Spark),
            other => Err(Error::option(format!(
                "unknown SQL dialect \"{other}\" (expected duckdb or spark)"
            ))),
        }
    }

    /// The dialect's name.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
        }
    }

    /// A quoted identifier (any column name, Chinese or with spaces, is safe).
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::DuckDb => format!("\"{}\"", name.replace('"', "\"\"")),
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// A string literal. Spark reads backslash escapes in literals (and joins adjacent
    /// literals, so `''` is no escape there).
    pub fn string(self, s: &str) -> String {
        match self {
            Dialect::DuckDb => format!("'{}'", s.replace('\'', "''")),
            Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        }
    }

    /// The text type.
    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::DuckDb => "VARCHAR",
            Dialect::Spark => "STRING",
        }
    }

    /// `expr` (a DATE) as days since 1970-01-01, an integer.
    pub fn day_number(self, date: &str) -> String {
        match self {
            Dialect::DuckDb => format!("date_diff('day', DATE '1970-01-01', {date})"),
            Dialect::Spark => format!("datediff({date}, DATE '1970-01-01')"),
        }
    }

    /// `x` (a column, of any type) as a day number, NULL when it holds no date. Text such
    /// as `2024/3/5` reads as `2024-3-5` (Spark casts only the latter).
    pub fn day_of(self, x: &str) -> String {
        let text = self.text(x);
        self.day_number(&format!(
            "CAST(TRY_CAST(REPLACE({text}, '/', '-') AS TIMESTAMP) AS DATE)"
        ))
    }

    /// `day` (an integer, days since 1970-01-01) as a DATE.
    pub fn date_of(self, day: &str) -> String {
        match self {
            Dialect::DuckDb => format!("CAST(DATE '1970-01-01' + CAST({day} AS INTEGER) AS DATE)"),
            Dialect::Spark => format!("DATE_ADD(DATE '1970-01-01', CAST({day} AS INT))"),
        }
    }

    /// One row per integer from 0 to `n` (a set-returning expression for the SELECT list).
    pub fn zero_to(self, n: &str) -> String {
        match self {
            Dialect::DuckDb => format!("UNNEST(GENERATE_SERIES(0, {n}))"),
            Dialect::Spark => format!("EXPLODE(SEQUENCE(0, {n}))"),
        }
    }

    /// A day (days since 1970-01-01) as a readable integer expression.
    pub fn day_literal(self, day: i32) -> String {
        self.day_number(&format!("DATE '{}'", format_day(day)))
    }

    /// One row per element of the delimited tag list in column `col` (a set-returning
    /// expression for the SELECT list).
    pub fn split_tags(self, col: &str) -> String {
        let col = self.text(&self.ident(col));
        match self {
            Dialect::DuckDb => format!("UNNEST(STRING_SPLIT_REGEX({col}, '[,;|、，]'))"),
            Dialect::Spark => format!("EXPLODE(SPLIT({col}, '[,;|、，]'))"),
        }
    }

    /// Text of a column: cast, trimmed, empty as NULL (as the loader reads cells).
    pub fn text(self, expr: &str) -> String {
        format!("NULLIF(TRIM(CAST({expr} AS {})), '')", self.text_type())
    }
}

/// A DOUBLE literal that parses back to exactly `x` (scientific notation is DOUBLE in both
/// dialects, where `1.5` would be DECIMAL).
pub fn double(x: f64) -> String {
    format!("{x:e}").replace('e', "E")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_per_dialect() {
        assert_eq!(Dialect::DuckDb.string("it's"), "'it''s'");
        assert_eq!(Dialect::Spark.string("it's \\"), "'it\\'s \\\\'");
        assert_eq!(
            Dialect::DuckDb.ident("会员 \"等级\""),
            "\"会员 \"\"等级\"\"\""
        );
        assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
        assert_eq!(double(1000.0), "1E3");
        assert_eq!(double(0.1), "1E-1");
        assert_eq!(double(-12.5), "-1.25E1");
        assert_eq!(
            double(1000.0).replace('E', "e").parse::<f64>().ok(),
            Some(1000.0)
        );
    }
}
