//! The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV:
//! using iso-value curves"; Colombo & Jiang 1999): fitted on the customers with repeat
//! transactions of positive mean value, it gives each customer's expected average spend.

use super::fit::{minimize, Objective};
use crate::error::{Error, Result};
use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

/// Fitted Gamma-Gamma parameters: spend per transaction ~ Gamma(p, ν), ν ~ Gamma(q, γ).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct GammaGamma {
    /// Shape of the spend per transaction.
    pub p: f64,
    /// Shape of the distribution of the scale ν across customers.
    pub q: f64,
    /// Scale γ of that distribution (lifetimes calls it `v`).
    pub v: f64,
}

/// The customers with one frequency x: x, ln x and each customer's `(m, ln m)`.
#[derive(Debug, Clone, Default)]
struct SameX {
    x: f64,
    ln_x: f64,
    values: Vec<(f64, f64)>,
}

/// Customers with repeat transactions: per distinct frequency x, the mean repeat value m of
/// each customer (only m > 0).
#[derive(Debug, Clone, Default)]
pub struct SpendData {
    by_x: Vec<SameX>,
    total: f64,
}

impl SpendData {
    /// Collects `(x, m)` pairs, leaving out those without a positive repeat value.
    pub fn new(pairs: impl Iterator<Item = (u32, f64)>) -> SpendData {
        let mut by_x: std::collections::BTreeMap<u32, Vec<(f64, f64)>> = Default::default();
        let mut total = 0.0;
        for (x, m) in pairs {
            if x > 0 && m > 0.0 && m.is_finite() {
                by_x.entry(x).or_default().push((m, m.ln()));
                total += 1.0;
            }
        }
        SpendData {
            by_x: by_x
                .into_iter()
                .map(|(x, values)| SameX {
                    x: f64::from(x),
                    ln_x: f64::from(x).ln(),
                    values,
                })
                .collect(),
            total,
        }
    }

    /// Customers in the fit.
    pub fn customers(&self) -> usize {
        self.total as usize
    }
}

impl Objective for SpendData {
    fn eval(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        let [p, q, v] = [0, 1, 2].map(|i| theta[i].exp());
        let (lg_q, dg_q, ln_v) = (ln_gamma(q), digamma(q), v.ln());
        let (mut value, mut g) = (0.0, [0.0f64; 3]);
        for SameX { x, ln_x, values } in &self.by_x {
            let px = p * x;
            let n = values.len() as f64;
            let c = ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_v + px * ln_x;
            let (dg_pxq, dg_px) = (digamma(px + q), digamma(px));
            value += n * c;
            g[0] += n * x * (dg_pxq - dg_px + ln_x);
            g[1] += n * (dg_pxq - dg_q + ln_v);
            for &(m, ln_m) in values {
                let ln_xmv = (x * m + v).ln();
                value += (px - 1.0) * ln_m - (px + q) * ln_xmv;
                g[0] += x * (ln_m - ln_xmv);
                g[1] -= ln_xmv;
                g[2] += q / v - (px + q) / (x * m + v);
            }
        }
        let params = [p, q, v];
        let grad = (0..3).map(|k| -g[k] * params[k] / self.total).collect();
        (-value / self.total, grad)
    }
}

impl GammaGamma {
    /// Fits the model by maximum likelihood.
    pub fn fit(data: &SpendData) -> Result<GammaGamma> {
        if data.total < 2.0 {
            return Err(Error::no_data(format!(
                "Gamma-Gamma: {} customer(s) with repeat purchases of positive value before the \
                 calibration end; the spend model needs at least 2",
                data.customers()
            )));
        }
        let m = minimize(data, &[0.0, 0.0, 0.0], "Gamma-Gamma")?;
        let [p, q, v] = [0, 1, 2].map(|i| m.theta[i].exp());
        Ok(GammaGamma { p, q, v })
    }

    /// The log-likelihood of one customer with x repeat transactions of mean value m.
    pub fn log_likelihood(&self, x: f64, m: f64) -> f64 {
        let GammaGamma { p, q, v } = *self;
        ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
            + q * v.ln()
            + (p * x - 1.0) * m.ln()
            + p * x * x.ln()
            - (p * x + q) * (x * m + v).ln()
    }

    /// The population mean spend per transaction, v·p / (q − 1); `None` when q ≤ 1 (the
    /// mean does not exist).
    pub fn population_mean(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.v * self.p / (self.q - 1.0))
    }

    /// Expected average spend per transaction of a customer with x repeat transactions of
    /// mean value m (lifetimes' `conditional_expected_average_profit`); `None` when q ≤ 1.
    pub fn expected_spend(&self, x: f64, m: f64) -> Option<f64> {
        let mean = self.population_mean()?;
        let w = self.p * x / (self.p * x + self.q - 1.0);
        Some((1.0 - w) * mean + w * m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn likelihood_and_gradient_agree_with_the_per_customer_formula() {
        let pairs = [(1, 20.0), (3, 35.5), (3, 12.0), (8, 60.0), (2, 0.0)];
        let data = SpendData::new(pairs.iter().copied());
        assert_eq!(data.customers(), 4);
        let gg = GammaGamma {
            p: 6.0,
            q: 3.5,
            v: 15.0,
        };
        let theta = [gg.p, gg.q, gg.v].map(f64::ln);
        let (value, grad) = data.eval(&theta);
        let want: f64 = pairs[..4]
            .iter()
            .map(|&(x, m)| gg.log_likelihood(f64::from(x), m))
            .sum();
        assert!((value + want / 4.0).abs() < 1e-12);
        for k in 0..3 {
            let h = 1e-6;
            let (mut up, mut down) = (theta, theta);
            up[k] += h;
            down[k] -= h;
            let numeric = (data.eval(&up).0 - data.eval(&down).0) / (2.0 * h);
            assert!(
                (numeric - grad[k]).abs() < 1e-7,
                "{k}: {} vs {numeric}",
                grad[k]
            );
        }
    }

    #[test]
    fn expected_spend_shrinks_towards_the_population_mean() {
        let gg = GammaGamma {
            p: 6.25,
            q: 3.74,
            v: 15.44,
        };
        let mean = gg.population_mean().expect("q > 1");
        assert_eq!(gg.expected_spend(0.0, 0.0), Some(mean));
        let one = gg.expected_spend(1.0, 100.0).expect("spend");
        let many = gg.expected_spend(50.0, 100.0).expect("spend");
        assert!(mean < one && one < many && many < 100.0);
        assert_eq!(GammaGamma { q: 0.9, ..gg }.expected_spend(1.0, 10.0), None);
    }

    #[test]
    fn too_few_customers_is_an_error() {
        let data = SpendData::new([(1u32, 10.0)].into_iter());
        let e = GammaGamma::fit(&data).expect_err("one customer");
        assert!(e.message().contains("at least 2"), "{e}");
    }
}
