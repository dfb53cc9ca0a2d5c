//! The Gaussian hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1, by its power series,
//! kept on a running scale so that large terms never overflow.
//!
//! BG/NBD's conditional expectation needs ₂F₁(r + x, b + x; a + b + x − 1; z) with z in [0, 1).
//! The series converges there; its terms are all of one sign once n passes −c, so summing
//! loses no precision. When Euler's transformation ₂F₁(a, b; c; z) =
//! (1 − z)^(c − a − b) ₂F₁(c − a, c − b; c; z) has smaller upper parameters (it does for
//! frequent buyers, whose a and b grow with x while c − a and c − b stay small), its series is
//! summed instead: same value, far fewer terms.

use crate::error::{Error, Result};

/// Most terms summed before giving up.
const MAX_TERMS: usize = 1_000_000;
/// Relative size of the remaining tail at which the sum stops.
const EPS: f64 = 1e-17;
/// Rescale the running sum when it passes this magnitude.
const BIG: f64 = 1e250;

/// Errors for z outside [0, 1), non-finite parameters, or c a pole (0, −1, −2, …).
fn check(a: f64, b: f64, c: f64, z: f64) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::new(
            crate::error::ErrorKind::Internal,
            format!("hypergeometric 2F1({a}, {b}; {c}; {z}): {why}"),
        ))
    };
    if !(0.0..1.0).contains(&z) || ![a, b, c].iter().all(|v| v.is_finite()) {
        return bad("z must be in [0, 1) and the parameters finite");
    }
    if c <= 0.0 && c.fract() == 0.0 {
        return bad("c is a pole");
    }
    Ok(())
}

/// ₂F₁(a, b; c; z) as `(mantissa, log_scale)`: the value is `mantissa * exp(log_scale)`.
///
/// Errors when z is outside [0, 1), when c is zero or a negative integer (a pole), or when the
/// series does not converge within a million terms.
pub fn hyp2f1_scaled(a: f64, b: f64, c: f64, z: f64) -> Result<(f64, f64)> {
    check(a, b, c, z)?;
    let (ea, eb) = (c - a, c - b);
    if (ea * eb).abs() < (a * b).abs() {
        let (m, s) = series(ea, eb, c, z)?;
        // (1 - z)^(c - a - b), folded into the scale.
        return Ok((m, s + (c - a - b) * (-z).ln_1p()));
    }
    series(a, b, c, z)
}

/// ₂F₁(a, b; c; z) at several z at once, as [`hyp2f1_scaled`] gives each: the series
/// coefficients are shared, so k values cost little more than the one with the largest z.
pub fn hyp2f1_scaled_many(a: f64, b: f64, c: f64, zs: &[f64]) -> Result<Vec<(f64, f64)>> {
    for &z in zs {
        check(a, b, c, z)?;
    }
    let (ea, eb) = (c - a, c - b);
    let euler = (ea * eb).abs() < (a * b).abs();
    let (sa, sb) = if euler { (ea, eb) } else { (a, b) };
    match series_many(sa, sb, c, zs)? {
        Some(sums) => Ok(sums
            .into_iter()
            .zip(zs)
            .map(|(m, &z)| {
                (
                    m,
                    if euler {
                        (c - a - b) * (-z).ln_1p()
                    } else {
                        0.0
                    },
                )
            })
            .collect()),
        // Terms too large for a shared scale: one z at a time.
        None => zs.iter().map(|&z| hyp2f1_scaled(a, b, c, z)).collect(),
    }
}

/// The power series at every z of `zs` with shared coefficients; `None` when the terms grow
/// past [`BIG`] (the caller then sums each z on its own scale).
fn series_many(a: f64, b: f64, c: f64, zs: &[f64]) -> Result<Option<Vec<f64>>> {
    let mut sums = vec![1.0f64; zs.len()];
    let mut pows = vec![1.0f64; zs.len()];
    let zmax = zs.iter().copied().fold(0.0f64, f64::max);
    if zmax == 0.0 {
        return Ok(Some(sums));
    }
    let mut coef = 1.0f64;
    for n in 0..MAX_TERMS {
        let k = n as f64;
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0));
        coef *= ratio;
        let past_poles = c + k > 0.0 && a + k > 0.0 && b + k > 0.0;
        let mut done = past_poles;
        for i in 0..zs.len() {
            pows[i] *= zs[i];
            let term = coef * pows[i];
            sums[i] += term;
            if !term.is_finite() || term.abs() > BIG {
                return Ok(None);
            }
            let q = (ratio * zs[i]).abs().max(zs[i]);
            done = done
                && (term == 0.0 || (q < 1.0 && term.abs() * q / (1.0 - q) <= EPS * sums[i].abs()));
        }
        if done || coef == 0.0 {
            return Ok(Some(sums));
        }
    }
    Err(Error::new(
        crate::error::ErrorKind::Internal,
        format!(
            "hypergeometric 2F1({a}, {b}; {c}; z ≤ {zmax}): no convergence in {MAX_TERMS} terms"
        ),
    ))
}

/// ln ₂F₁(a, b; c; z) for a positive value; errors when the value is not positive.
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Result<f64> {
    let (m, s) = hyp2f1_scaled(a, b, c, z)?;
    if m > 0.0 {
        Ok(m.ln() + s)
    } else {
        Err(Error::new(
            crate::error::ErrorKind::Internal,
            format!("hypergeometric 2F1({a}, {b}; {c}; {z}) is not positive"),
        ))
    }
}

/// The plain power series Σ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ.
fn series(a: f64, b: f64, c: f64, z: f64) -> Result<(f64, f64)> {
    let (mut term, mut sum, mut scale) = (1.0f64, 1.0f64, 0.0f64);
    if z == 0.0 {
        return Ok((sum, scale));
    }
    for n in 0..MAX_TERMS {
        let k = n as f64;
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        term *= ratio;
        sum += term;
        if term == 0.0 {
            return Ok((sum, scale));
        }
        if sum.abs() > BIG {
            sum /= BIG;
            term /= BIG;
            scale += BIG.ln();
        }
        // Past every sign change and past the largest term, the ratios stay below
        // max(ratio, z) < 1, so the tail is at most |term| * q / (1 - q).
        let past_poles = c + k > 0.0 && a + k > 0.0 && b + k > 0.0;
        let q = ratio.abs().max(z);
        if past_poles && q < 1.0 && term.abs() * q / (1.0 - q) <= EPS * sum.abs() {
            return Ok((sum, scale));
        }
    }
    Err(Error::new(
        crate::error::ErrorKind::Internal,
        format!("hypergeometric 2F1({a}, {b}; {c}; {z}): no convergence in {MAX_TERMS} terms"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(a: f64, b: f64, c: f64, z: f64) -> f64 {
        let (m, s) = hyp2f1_scaled(a, b, c, z).expect("converges");
        m * s.exp()
    }

    fn close(got: f64, want: f64, tol: f64) {
        assert!(
            ((got - want) / want).abs() < tol,
            "got {got}, want {want} (rel {})",
            ((got - want) / want).abs()
        );
    }

    #[test]
    fn matches_closed_forms() {
        for z in [0.0f64, 1e-6, 0.1, 0.5, 0.9, 0.99, 0.999] {
            // 2F1(1, 1; 2; z) = -ln(1 - z) / z
            let want = if z == 0.0 { 1.0 } else { -(-z).ln_1p() / z };
            close(value(1.0, 1.0, 2.0, z), want, 1e-13);
            // 2F1(a, b; b; z) = (1 - z)^-a
            close(value(0.7, 3.2, 3.2, z), (1.0 - z).powf(-0.7), 1e-13);
            // 2F1(1/2, 1/2; 3/2; z^2) = asin(z) / z
            let s = z.sqrt();
            let want = if z == 0.0 { 1.0 } else { s.asin() / s };
            close(value(0.5, 0.5, 1.5, z), want, 1e-13);
        }
    }

    #[test]
    fn direct_and_euler_forms_agree() {
        // BG/NBD-shaped parameters: a = r + x, b = b + x, c = a + b + x - 1.
        let (r, a, b) = (0.243, 0.793, 2.426);
        for x in [0.0f64, 1.0, 5.0, 40.0, 300.0] {
            for z in [0.05f64, 0.4, 0.8, 0.97] {
                let (pa, pb, pc) = (r + x, b + x, a + b + x - 1.0);
                let (m, s) = series(pa, pb, pc, z).expect("direct");
                let (me, se) = series(pc - pa, pc - pb, pc, z).expect("euler");
                let direct = m.ln() + s;
                let euler = me.ln() + se + (pc - pa - pb) * (-z).ln_1p();
                assert!(
                    (direct - euler).abs() < 1e-12 * direct.abs().max(1.0),
                    "x={x} z={z}: {direct} vs {euler}"
                );
            }
        }
    }

    #[test]
    fn many_z_at_once_equal_one_at_a_time() {
        let (r, a, b) = (0.243, 0.793, 2.426);
        let zs = [0.0, 0.2, 0.55, 0.9, 0.99];
        for x in [0.0f64, 1.0, 17.0, 250.0] {
            let (pa, pb, pc) = (r + x, b + x, a + b + x - 1.0);
            let many = hyp2f1_scaled_many(pa, pb, pc, &zs).expect("many");
            for (&z, &(m, s)) in zs.iter().zip(&many) {
                let (m1, s1) = hyp2f1_scaled(pa, pb, pc, z).expect("one");
                let (v, v1) = (m.ln() + s, m1.ln() + s1);
                assert!(
                    (v - v1).abs() < 1e-13 * v1.abs().max(1.0),
                    "x={x} z={z}: {v} vs {v1}"
                );
            }
        }
        // Terms beyond a shared scale fall back to one z at a time.
        let many = hyp2f1_scaled_many(2000.0, 2000.0, 10.0, &[0.5, 0.9]).expect("many");
        let one = ln_hyp2f1(2000.0, 2000.0, 10.0, 0.9).expect("one");
        assert!((many[1].0.ln() + many[1].1 - one).abs() < 1e-9 * one);
        assert!(hyp2f1_scaled_many(1.0, 1.0, 2.0, &[0.5, 1.0]).is_err());
    }

    #[test]
    fn huge_values_stay_finite_in_log_space() {
        let ln = ln_hyp2f1(2000.0, 2000.0, 10.0, 0.9).expect("converges");
        assert!(ln.is_finite() && ln > 700.0, "{ln}");
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(hyp2f1_scaled(1.0, 1.0, 2.0, 1.0).is_err());
        assert!(hyp2f1_scaled(1.0, 1.0, 2.0, -0.1).is_err());
        assert!(hyp2f1_scaled(1.0, 1.0, -2.0, 0.5).is_err());
        assert!(hyp2f1_scaled(f64::NAN, 1.0, 2.0, 0.5).is_err());
    }
}
