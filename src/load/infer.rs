//! Types of member attributes that are not roles: a number when every value is a plain
//! number (values with leading zeros stay text: they are codes), a date when every value is a
//! date, else text.

use super::coerce::parse_date;
use arrow_array::builder::{Date32Builder, Float64Builder};
use arrow_array::{ArrayRef, StringArray};
use std::sync::Arc;

/// A plain number: optional sign, digits, optional fraction; no leading zero before digits.
pub fn plain_number(v: &str) -> Option<f64> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if leading_zero || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return None;
    }
    v.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Decides the type of an attribute from all its values and converts its batches.
pub fn type_attribute(batches: &[StringArray]) -> (&'static str, Vec<ArrayRef>) {
    let values = || batches.iter().flat_map(|b| b.iter().flatten());
    let as_text = || {
        batches
            .iter()
            .map(|b| Arc::new(b.clone()) as ArrayRef)
            .collect()
    };
    if values().next().is_none() {
        return ("string", as_text());
    }
    if values().all(|v| plain_number(v).is_some()) {
        let arrays = batches
            .iter()
            .map(|b| float_array(b.iter().map(|v| v.and_then(plain_number))))
            .collect();
        return ("number", arrays);
    }
    if values().all(|v| parse_date(v).is_some()) {
        let arrays = batches
            .iter()
            .map(|b| date_array(b.iter().map(|v| v.and_then(parse_date))))
            .collect();
        return ("date", arrays);
    }
    ("string", as_text())
}

/// A Float64 array from optional numbers (used for inferred member attributes).
pub fn float_array(values: impl Iterator<Item = Option<f64>>) -> ArrayRef {
    let mut b = Float64Builder::new();
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

/// A Date32 array from optional days (used for inferred member attributes).
pub fn date_array(values: impl Iterator<Item = Option<i32>>) -> ArrayRef {
    let mut b = Date32Builder::new();
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_codes() {
        let nums = StringArray::from(vec![Some("12"), None, Some("-3.5")]);
        assert_eq!(type_attribute(&[nums]).0, "number");
        let codes = StringArray::from(vec![Some("0012"), Some("7")]);
        assert_eq!(type_attribute(&[codes]).0, "string");
        let dates = StringArray::from(vec![Some("2024-03-05"), Some("2024/3/6")]);
        assert_eq!(type_attribute(&[dates]).0, "date");
        assert_eq!(plain_number("1e308"), None);
        assert_eq!(plain_number("NaN"), None);
    }
}
