//! The statistics of SPEC §7's readout: the lift of conversion (unpooled z test), the lift of
//! revenue per member (Welch's t), each with its 95% interval and two-sided p-value, and the
//! minimum detectable effect before launch. An undefined value is `null` with a reason, never
//! NaN.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The 0.975 quantile of the standard normal distribution (SPEC §7).
pub const Z_975: f64 = 1.959964;
/// The 0.8 quantile of the standard normal distribution (80% power, SPEC §7).
pub const Z_80: f64 = 0.841621;

/// A lift: the difference treatment − control with its 95% interval and p-value.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct Lift {
    /// Treatment minus control.
    pub diff: Option<f64>,
    /// Lower end of the 95% interval.
    pub low: Option<f64>,
    /// Upper end of the 95% interval.
    pub high: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
    /// `diff` relative to the control group's value.
    pub relative: Option<f64>,
    /// The test statistic: z (conversion) or t (revenue per member).
    pub statistic: Option<f64>,
    /// The standard error of `diff`.
    pub se: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom (revenue per member).
    pub df: Option<f64>,
    /// Why a value is null.
    pub reason: Option<String>,
}

/// The lift of revenue per member, with the incremental revenue (`diff × n_t`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct RevenueLift {
    /// The lift of revenue per member.
    #[serde(flatten)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(flatten))]
    pub lift: Lift,
    /// `(r_t − r_c) × n_t`.
    pub incremental: Option<f64>,
    /// `low × n_t`.
    pub incremental_low: Option<f64>,
    /// `high × n_t`.
    pub incremental_high: Option<f64>,
}

/// Why no lift can be computed for groups of `nt` and `nc` members, if so.
fn too_small(nt: u64, nc: u64) -> Option<String> {
    let (group, n) = if nt <= 1 {
        ("treatment", nt)
    } else {
        ("control", nc)
    };
    (nt <= 1 || nc <= 1).then(|| {
        format!(
            "the {group} group has {n} member{}: too few for a lift",
            if n == 1 { "" } else { "s" }
        )
    })
}

/// Two-sided p-value of a standard normal statistic: `2 (1 − Φ(|z|))`, as `erfc(|z| / √2)`.
pub fn normal_p(z: f64) -> f64 {
    statrs::function::erf::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// The lift of conversion: `kt` of `nt` treatment members converted, `kc` of `nc` control.
pub fn conversion_lift(kt: u64, nt: u64, kc: u64, nc: u64) -> Lift {
    if let Some(reason) = too_small(nt, nc) {
        return Lift {
            reason: Some(reason),
            ..Lift::default()
        };
    }
    let (pt, pc) = (kt as f64 / nt as f64, kc as f64 / nc as f64);
    let diff = pt - pc;
    let se = (pt * (1.0 - pt) / nt as f64 + pc * (1.0 - pc) / nc as f64).sqrt();
    let test = (se > 0.0).then(|| Test {
        quantile: Z_975,
        p_value: normal_p(diff / se),
        df: None,
    });
    lift(
        diff,
        pc,
        se,
        test,
        "no control member converted: no relative lift",
        "every member of both groups converted, or none did: no variation, no test",
    )
}

/// A test of a difference: the 0.975 quantile of its distribution, the two-sided p-value of
/// `diff / se`, and the degrees of freedom (Student's t).
struct Test {
    quantile: f64,
    p_value: f64,
    df: Option<f64>,
}

/// The lift `diff` of a value whose control group's value is `control`, with standard error
/// `se`, 95% interval `diff ± quantile × se` and the test's p-value; without a test (no
/// variation) the interval is `[diff, diff]`. What is null says why (`no_relative`,
/// `no_test`).
fn lift(
    diff: f64,
    control: f64,
    se: f64,
    test: Option<Test>,
    no_relative: &str,
    no_test: &str,
) -> Lift {
    let mut reasons = Vec::new();
    let relative = if control != 0.0 {
        Some(diff / control)
    } else {
        reasons.push(no_relative);
        None
    };
    let (low, high, statistic, p_value, df) = match test {
        Some(t) => (
            diff - t.quantile * se,
            diff + t.quantile * se,
            Some(diff / se),
            Some(t.p_value),
            t.df,
        ),
        None => {
            reasons.push(no_test);
            (diff, diff, None, None, None)
        }
    };
    Lift {
        diff: Some(diff),
        low: Some(low),
        high: Some(high),
        p_value,
        relative,
        statistic,
        se: Some(se),
        df,
        reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
    }
}

/// Mean and sample variance (n − 1) of `xs` (at least two values).
fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    (mean, ss / (n - 1.0))
}

/// The lift of revenue per member by Welch's t: `t` and `c` are the members' net revenues.
pub fn revenue_lift(t: &[f64], c: &[f64]) -> RevenueLift {
    let (nt, nc) = (t.len() as u64, c.len() as u64);
    let ((mt, vt), (mc, vc)) = if nt > 1 && nc > 1 {
        (mean_var(t), mean_var(c))
    } else {
        ((0.0, 0.0), (0.0, 0.0))
    };
    revenue_lift_of(
        Moments {
            n: nt,
            mean: mt,
            var: vt,
        },
        Moments {
            n: nc,
            mean: mc,
            var: vc,
        },
    )
}

/// A group's size, mean and sample variance (n − 1).
#[derive(Debug, Clone, Copy)]
pub struct Moments {
    /// Members.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Sample variance.
    pub var: f64,
}

/// The lift of revenue per member by Welch's t from the groups' moments.
pub fn revenue_lift_of(t: Moments, c: Moments) -> RevenueLift {
    let (nt, nc) = (t.n, c.n);
    if let Some(reason) = too_small(nt, nc) {
        return RevenueLift {
            lift: Lift {
                reason: Some(reason),
                ..Lift::default()
            },
            ..RevenueLift::default()
        };
    }
    let (mt, mc) = (t.mean, c.mean);
    let (at, ac) = (t.var.max(0.0) / nt as f64, c.var.max(0.0) / nc as f64);
    let diff = mt - mc;
    let se = (at + ac).sqrt();
    let df = (at + ac).powi(2) / (at * at / (nt as f64 - 1.0) + ac * ac / (nc as f64 - 1.0));
    let test = (se > 0.0)
        .then(|| StudentsT::new(0.0, 1.0, df).ok())
        .flatten()
        .map(|dist| Test {
            quantile: dist.inverse_cdf(0.975),
            p_value: 2.0 * dist.sf((diff / se).abs()),
            df: Some(df),
        });
    let lift = lift(
        diff,
        mc,
        se,
        test,
        "the control group's revenue per member is 0: no relative lift",
        "no member's revenue differs from its group's: no variation, no test",
    );
    let n = nt as f64;
    RevenueLift {
        incremental: lift.diff.map(|d| d * n),
        incremental_low: lift.low.map(|l| l * n),
        incremental_high: lift.high.map(|h| h * n),
        lift,
    }
}

/// The 95% interval of a group's mean (Student's t with n − 1 degrees of freedom); `None`
/// below two members.
pub fn mean_interval(m: Moments) -> Option<[f64; 2]> {
    if m.n < 2 {
        return None;
    }
    let half = (m.var.max(0.0) / m.n as f64).sqrt();
    if half == 0.0 {
        return Some([m.mean, m.mean]);
    }
    let q = StudentsT::new(0.0, 1.0, m.n as f64 - 1.0)
        .ok()?
        .inverse_cdf(0.975);
    Some([m.mean - q * half, m.mean + q * half])
}

/// The minimum detectable effect on conversion (absolute, as a share) at 80% power and 5%
/// two-sided significance for a baseline conversion `p0`; `None` when a group is empty or
/// the baseline has no variation (`p0` 0 or 1: the formula's 0 would promise any lift is
/// seen).
pub fn mde(p0: f64, nt: u64, nc: u64) -> Option<f64> {
    (nt > 0 && nc > 0 && p0 > 0.0 && p0 < 1.0)
        .then(|| (Z_975 + Z_80) * (p0 * (1.0 - p0) * (1.0 / nt as f64 + 1.0 / nc as f64)).sqrt())
}
