//! Value coercion: the date and money forms of SPEC §1 to day numbers and integer cents.

use chrono::{DateTime, Datelike, NaiveDate};

/// Days since 1970-01-01 of a calendar date.
pub type Day = i32;

/// The day number of a calendar date, or `None` if the date does not exist.
pub fn day_from_ymd(y: i32, m: u32, d: u32) -> Option<Day> {
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    Some(date.num_days_from_ce() - EPOCH_CE)
}

/// The calendar date of a day number (`NaiveDate::MIN` for a day outside chrono's range, such
/// as a typed Date32 of `i32::MAX` in a Parquet file).
pub fn ymd_from_day(day: Day) -> NaiveDate {
    day.checked_add(EPOCH_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(NaiveDate::MIN)
}

/// `YYYY-MM-DD` of a day number.
pub fn format_day(day: Day) -> String {
    let mut out = String::with_capacity(10);
    write_day(&mut out, day);
    out
}

/// Appends `YYYY-MM-DD` of a day number to `out`, as chrono's `%Y-%m-%d` writes it (a year
/// outside 0–9999 with its sign), without parsing that format for every value.
pub fn write_day(out: &mut String, day: Day) {
    let date = ymd_from_day(day);
    let year = date.year();
    if !(0..=9999).contains(&year) {
        use std::fmt::Write;
        let _ = write!(out, "{}", date.format("%Y-%m-%d"));
        return;
    }
    let digit = |v: u32| char::from(b'0' + (v % 10) as u8);
    let (y, m, d) = (year as u32, date.month(), date.day());
    for c in [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(d / 10),
        digit(d),
    ] {
        out.push(c);
    }
}

/// Days from 0001-01-01 to 1970-01-01.
const EPOCH_CE: i32 = 719_163;

/// Parses a date or timestamp to its calendar day (time and zone are dropped: timestamps are
/// naive local time), within 1900–2199. Accepts ISO 8601 (with or without `T`, fraction and zone),
/// `2024/3/5 14:03[:22]`, `2024-3-5`, `20240305`, `2024年3月5日`, `2024.3.5`, and Unix
/// seconds (10 digits) or milliseconds (13 digits).
pub fn parse_date(raw: &str) -> Option<Day> {
    parse_any_date(raw).filter(|&d| plausible_day(d))
}

/// Whether a day is within 1900–2199.
pub fn plausible_day(d: Day) -> bool {
    (FIRST_DAY..=LAST_DAY).contains(&d)
}

/// 1900-01-01: earlier dates in an export are typos (year 0, 1000), not orders.
const FIRST_DAY: Day = -25_567;
/// 2199-12-31: later dates are placeholders (9999-12-31), not orders.
const LAST_DAY: Day = 84_005;

/// [`parse_date`] without the 1900–2199 range check.
pub fn parse_any_date(raw: &str) -> Option<Day> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            8 => {
                let n: u32 = s.parse().ok()?;
                day_from_ymd((n / 10_000) as i32, n / 100 % 100, n % 100)
            }
            9 | 10 => unix_day(s.parse().ok()?),
            12 | 13 => unix_day(s.parse::<i64>().ok()? / 1000),
            _ => None,
        };
    }
    let (y, rest) = take_number(s)?;
    if !(4..=4).contains(&(s.len() - rest.len())) {
        return None;
    }
    let rest = strip_sep(rest)?;
    let (m, rest) = take_number(rest)?;
    let rest = strip_sep(rest)?;
    let (d, rest) = take_number(rest)?;
    if !valid_time_tail(rest) {
        return None;
    }
    day_from_ymd(y as i32, m, d)
}

fn unix_day(secs: i64) -> Option<Day> {
    let dt = DateTime::from_timestamp(secs, 0)?;
    let date = dt.date_naive();
    Some(date.num_days_from_ce() - EPOCH_CE)
}

fn take_number(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 || end > 4 {
        return None;
    }
    Some((s[..end].parse().ok()?, &s[end..]))
}

fn strip_sep(s: &str) -> Option<&str> {
    let mut chars = s.chars();
    match chars.next()? {
        '-' | '/' | '.' | '年' | '月' => Some(chars.as_str()),
        _ => None,
    }
}

/// What may follow the day: nothing, `日`, or a time part starting with a space or `T`.
fn valid_time_tail(rest: &str) -> bool {
    let rest = rest.strip_prefix('日').unwrap_or(rest);
    if rest.is_empty() {
        return true;
    }
    let Some(time) = rest.strip_prefix([' ', 'T']) else {
        return false;
    };
    let time = time.trim_start();
    let mut parts = time.splitn(2, ':');
    let hour = parts.next().unwrap_or("");
    !hour.is_empty()
        && hour.len() <= 2
        && hour.bytes().all(|b| b.is_ascii_digit())
        && parts.next().is_some_and(|m| m.len() >= 2)
}

/// Parses an amount of money to integer cents (rounded half away from zero past two
/// decimals). Accepts `1299`, `1,299.00`, `￥1,299.00`, `¥1299`, `$12.50`, `-￥25.00`,
/// `(25.00)`, `RMB 12`, `12元`.
pub fn parse_money(raw: &str) -> Option<i64> {
    let mut s = raw.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(t) = s.strip_prefix('-') {
        negative = !negative;
        s = t.trim_start();
    } else if let Some(t) = s.strip_prefix('+') {
        s = t.trim_start();
    }
    for prefix in ["￥", "¥", "$", "€", "£", "RMB", "CNY", "USD"] {
        if let Some(t) = s.strip_prefix(prefix) {
            s = t.trim_start();
            // `￥-25.00` puts the sign after the symbol.
            if let Some(t) = s.strip_prefix('-') {
                negative = !negative;
                s = t;
            }
            break;
        }
    }
    s = s.strip_suffix('元').unwrap_or(s).trim_end();
    let cents = parse_decimal_cents(s)?;
    Some(if negative { -cents } else { cents })
}

/// `1,299.005` → 129901 (digits, optional thousands commas, optional fraction).
fn parse_decimal_cents(s: &str) -> Option<i64> {
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut int_value: i64 = 0;
    let mut digits = 0;
    for (i, group) in int_part.split(',').enumerate() {
        if i > 0 && group.len() != 3 {
            return None;
        }
        for b in group.bytes() {
            if !b.is_ascii_digit() {
                return None;
            }
            int_value = int_value
                .checked_mul(10)?
                .checked_add(i64::from(b - b'0'))?;
            digits += 1;
        }
    }
    if digits == 0 && frac_part.is_empty() {
        return None;
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac = frac_part.as_bytes();
    let digit = |i: usize| frac.get(i).map_or(0, |b| i64::from(b - b'0'));
    let mut cents = int_value
        .checked_mul(100)?
        .checked_add(digit(0) * 10 + digit(1))?;
    if digit(2) >= 5 {
        cents = cents.checked_add(1)?;
    }
    Some(cents)
}

/// The day of an Excel serial date (days since 1899-12-30, the fraction is the time of day).
pub fn excel_day(serial: f64) -> Option<Day> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Serial 25569 is 1970-01-01.
    Some(serial.floor() as i32 - 25_569)
}

/// Cents of a floating-point amount, rounded half away from zero.
pub fn cents_from_float(f: f64) -> Option<i64> {
    let c = f * 100.0;
    if !c.is_finite() || c.abs() >= 9e17 {
        return None;
    }
    // `12.345 * 100` is 1234.4999…: near a half cent, round the decimal the float stands for.
    if ((c - c.trunc()).abs() - 0.5).abs() < 1e-6 {
        return parse_money(&f.to_string());
    }
    Some(c.round() as i64)
}

/// Cents of an exact decimal `v × 10^-scale`, rounded half away from zero.
pub fn cents_from_decimal(v: i128, scale: i8) -> Option<i64> {
    let shift = i32::from(scale) - 2;
    let cents = if shift <= 0 {
        v.checked_mul(10i128.checked_pow(shift.unsigned_abs())?)?
    } else {
        let div = 10i128.checked_pow(shift as u32)?;
        let (q, r) = (v / div, v % div);
        q + if r.abs() * 2 >= div { v.signum() } else { 0 }
    };
    i64::try_from(cents).ok()
}

/// Parses a whole number (`3`, `3.0`, ` 12 `).
pub fn parse_int(raw: &str) -> Option<i64> {
    let s = raw.trim();
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let f: f64 = s.parse().ok()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9e15).then_some(f as i64)
}

/// Parses a finite number, allowing thousands separators and currency signs.
pub fn parse_number(raw: &str) -> Option<f64> {
    let s = raw.trim();
    if let Ok(v) = s.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    parse_money(s).map(|c| c as f64 / 100.0)
}

/// Formats integer cents as a decimal with two places (`-1234` → `-12.34`).
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date");
        d.num_days_from_ce() - EPOCH_CE
    }

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        let days = (-800_000..800_000).step_by(997).chain([
            i32::MIN,
            i32::MAX,
            -719_528,
            -719_529,
            2_932_896,
            2_932_897,
            0,
            -1,
        ]);
        for d in days {
            let want = ymd_from_day(d).format("%Y-%m-%d").to_string();
            assert_eq!(format_day(d), want, "day {d}");
        }
    }

    #[test]
    fn dates_in_every_listed_form() {
        let want = day("2024-03-05");
        for s in [
            "2024-03-05",
            "2024-03-05T14:03:22",
            "2024-03-05T14:03:22.123+08:00",
            "2024-03-05 14:03:22Z",
            "2024/3/5 14:03",
            "2024/3/5 14:03:22",
            "2024-3-5",
            "20240305",
            "2024年3月5日",
            "2024年3月5日 14:03",
            "2024.03.05",
        ] {
            assert_eq!(parse_date(s), Some(want), "{s}");
        }
        assert_eq!(parse_date("1709647402"), Some(want));
        assert_eq!(parse_date("1709647402000"), Some(want));
        assert_eq!(day_from_ymd(1970, 1, 1), Some(0));
        assert_eq!(parse_date("1900-01-01"), day_from_ymd(1900, 1, 1));
        assert_eq!(parse_date("2199-12-31"), day_from_ymd(2199, 12, 31));
    }

    #[test]
    fn bad_dates_are_none() {
        for s in [
            "",
            "2024-02-30",
            "yesterday",
            "2024/13/01",
            "24-3-5",
            "2024-03-05x",
            "12345",
            "0000-01-01",
            "1899-12-31",
            "9999-12-31",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn money_forms() {
        let cases = [
            ("1299", 129_900),
            ("1,299.00", 129_900),
            ("￥1,299.00", 129_900),
            ("¥1299", 129_900),
            ("$12.50", 1_250),
            ("-￥25.00", -2_500),
            ("(25.00)", -2_500),
            ("0.005", 1),
            (".5", 50),
            ("12元", 1_200),
        ];
        for (s, want) in cases {
            assert_eq!(parse_money(s), Some(want), "{s}");
        }
        for s in ["", "abc", "1,29.00", "--5", "NaN", "1e308", "12.3.4"] {
            assert_eq!(parse_money(s), None, "{s}");
        }
        assert_eq!(format_cents(-1234), "-12.34");
        assert_eq!(cents_from_decimal(129_900, 2), Some(129_900));
        assert_eq!(cents_from_decimal(12_345, 3), Some(1_235));
        assert_eq!(cents_from_decimal(-12_345, 3), Some(-1_235));
        assert_eq!(cents_from_decimal(7, 0), Some(700));
        assert_eq!(cents_from_float(12.345), Some(1_235));
        assert_eq!(cents_from_float(f64::NAN), None);
        assert_eq!(excel_day(45_356.6), day_from_ymd(2024, 3, 5));
        assert_eq!(format_cents(5), "0.05");
    }
}
