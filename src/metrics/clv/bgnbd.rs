//! The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting your customers the
//! easy way"): maximum likelihood over customers grouped by identical (x, tₓ, T), P(alive)
//! and the expected number of purchases in the next t periods.

use super::fit::{minimize, Objective};
use super::hyp2f1::hyp2f1_scaled_many;
use super::summary::Customer;
use crate::error::{Error, Result};
use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

/// Fitted BG/NBD parameters: purchase rates ~ Gamma(r, α), dropout probabilities ~ Beta(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct BgNbd {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Scale of the purchase-rate distribution, in the time unit of the fit.
    pub alpha: f64,
    /// Beta parameter a of the dropout probability.
    pub a: f64,
    /// Beta parameter b of the dropout probability.
    pub b: f64,
}

/// Customers grouped by identical (x, tₓ, T), times in whole days.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    /// The distinct frequencies.
    pub xs: Vec<u32>,
    /// `(index into xs, tₓ days, T days, customers)` per distinct triple.
    pub triples: Vec<(u32, u32, u32, f64)>,
    /// Largest T in days.
    pub max_days: u32,
    /// Days per unit of time (1 or 7).
    pub unit_days: f64,
}

impl Groups {
    /// Groups customers; also returns, for each customer in input order, its triple's index.
    pub fn new(customers: &[Customer], unit_days: f64) -> (Groups, Vec<u32>) {
        let key = |c: &Customer| (c.frequency, c.recency_days as u32, c.age_days as u32);
        let mut order: Vec<u32> = (0..customers.len() as u32).collect();
        order.sort_unstable_by_key(|&i| key(&customers[i as usize]));
        let mut xs: Vec<u32> = Vec::new();
        let mut triples: Vec<(u32, u32, u32, f64)> = Vec::new();
        let mut group_of = vec![0u32; customers.len()];
        let mut last = None;
        for &i in &order {
            let k = key(&customers[i as usize]);
            if last != Some(k) {
                if xs.last() != Some(&k.0) {
                    xs.push(k.0);
                }
                triples.push((xs.len() as u32 - 1, k.1, k.2, 0.0));
                last = Some(k);
            }
            let g = triples.len() - 1;
            triples[g].3 += 1.0;
            group_of[i as usize] = g as u32;
        }
        let max_days = triples.iter().map(|t| t.2).max().unwrap_or(0);
        (
            Groups {
                xs,
                triples,
                max_days,
                unit_days,
            },
            group_of,
        )
    }

    /// Customers in the groups.
    pub fn customers(&self) -> f64 {
        self.triples.iter().map(|t| t.3).sum()
    }

    /// The customers of a fit of `model` (an error without any) and its start point in
    /// log-parameters: r = a = b = 1 and α = 1 (lifetimes' start), or α = the mean age when
    /// that is larger (the scale of α follows the unit of time).
    pub fn start(&self, model: &str) -> Result<(f64, [f64; 4])> {
        let total = self.customers();
        if total == 0.0 {
            return Err(Error::no_data(format!(
                "{model}: no customer has a purchase on or before the calibration end"
            )));
        }
        let mean_age = self
            .triples
            .iter()
            .map(|t| f64::from(t.2) / self.unit_days * t.3)
            .sum::<f64>()
            / total;
        Ok((total, [0.0, mean_age.max(1.0).ln(), 0.0, 0.0]))
    }

    /// The (x, tₓ, T) of triple `i`, times in the unit of the fit.
    pub fn triple(&self, i: usize) -> (f64, f64, f64) {
        let (xi, tx, t, _) = self.triples[i];
        (
            f64::from(self.xs[xi as usize]),
            f64::from(tx) / self.unit_days,
            f64::from(t) / self.unit_days,
        )
    }
}

/// The mean negative log-likelihood of BG/NBD over the groups, in log-parameters
/// (ln r, ln α, ln a, ln b).
struct Likelihood<'a> {
    g: &'a Groups,
    /// Customers per distinct x.
    weight_x: Vec<f64>,
    total: f64,
}

impl Objective for Likelihood<'_> {
    fn eval(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        let [r, alpha, a, b] = [0, 1, 2, 3].map(|i| theta[i].exp());
        let g = self.g;
        // ln(α + d) and 1 / (α + d) for every day count d, in the unit of the fit.
        let (ln_at, inv_at): (Vec<f64>, Vec<f64>) = (0..=g.max_days)
            .map(|d| {
                let v = alpha + f64::from(d) / g.unit_days;
                (v.ln(), 1.0 / v)
            })
            .unzip();
        // Per distinct x: the ln A1 + ln A2 part and its derivatives; ln(b + x − 1).
        let (lg_r, lg_b, lg_ab, ln_alpha) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b), alpha.ln());
        let (dg_r, dg_b, dg_ab) = (digamma(r), digamma(b), digamma(a + b));
        let ln_a = a.ln();
        let mut value = 0.0;
        let mut grad = [0.0f64; 4];
        let mut ln_bx1 = Vec::with_capacity(g.xs.len());
        for (i, &x) in g.xs.iter().enumerate() {
            let xf = f64::from(x);
            let w = self.weight_x[i];
            let c = ln_gamma(r + xf) - lg_r + r * ln_alpha + lg_ab + ln_gamma(b + xf)
                - lg_b
                - ln_gamma(a + b + xf);
            value += w * c;
            grad[0] += w * (digamma(r + xf) - dg_r + ln_alpha);
            grad[1] += w * r / alpha;
            grad[2] += w * (dg_ab - digamma(a + b + xf));
            grad[3] += w * (dg_ab + digamma(b + xf) - dg_b - digamma(a + b + xf));
            ln_bx1.push(if x > 0 { (b + xf - 1.0).ln() } else { 0.0 });
        }
        // Per triple: ln(A3 + A4) and the weight of A4 in it.
        let mut wa4_by_x = vec![0.0f64; g.xs.len()];
        for &(xi, tx, t, n) in &g.triples {
            let x = g.xs[xi as usize];
            let u = r + f64::from(x);
            let l3 = -u * ln_at[t as usize];
            if x == 0 {
                value += n * l3;
                grad[0] -= n * ln_at[t as usize];
                grad[1] -= n * u * inv_at[t as usize];
                continue;
            }
            let l4 = ln_a - ln_bx1[xi as usize] - u * ln_at[tx as usize];
            let (hi, lo) = if l3 > l4 { (l3, l4) } else { (l4, l3) };
            let e = (lo - hi).exp();
            value += n * (hi + e.ln_1p());
            // w = A4 / (A3 + A4)
            let w = if l4 > l3 {
                1.0 / (1.0 + e)
            } else {
                e / (1.0 + e)
            };
            let (lt, lx) = (ln_at[t as usize], ln_at[tx as usize]);
            let (it, ix) = (inv_at[t as usize], inv_at[tx as usize]);
            grad[0] -= n * ((1.0 - w) * lt + w * lx);
            grad[1] -= n * u * ((1.0 - w) * it + w * ix);
            grad[2] += n * w / a;
            wa4_by_x[xi as usize] += n * w;
        }
        for (i, &x) in g.xs.iter().enumerate() {
            if x > 0 {
                grad[3] -= wa4_by_x[i] / (b + f64::from(x) - 1.0);
            }
        }
        // Negative mean, and the chain rule for log-parameters.
        let params = [r, alpha, a, b];
        let grad = (0..4).map(|k| -grad[k] * params[k] / self.total).collect();
        (-value / self.total, grad)
    }
}

impl BgNbd {
    /// Fits the model to grouped customers by maximum likelihood.
    pub fn fit(g: &Groups) -> Result<(BgNbd, f64)> {
        let (total, theta0) = g.start("BG/NBD")?;
        if g.xs.iter().all(|&x| x == 0) {
            return Err(Error::no_data(
                "BG/NBD: no customer has a repeat purchase (on a later day) before the \
                 calibration end; the model needs repeat buyers",
            ));
        }
        let mut weight_x = vec![0.0; g.xs.len()];
        for t in &g.triples {
            weight_x[t.0 as usize] += t.3;
        }
        let lik = Likelihood { g, weight_x, total };
        let m = minimize(&lik, &theta0, "BG/NBD")?;
        let [r, alpha, a, b] = [0, 1, 2, 3].map(|i| m.theta[i].exp());
        Ok((BgNbd { r, alpha, a, b }, -m.value * total))
    }

    /// The log-likelihood of one customer (the paper's equation without ₂F₁), times in units.
    pub fn log_likelihood(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let ln_a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let ln_a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let ln_a3 = -(r + x) * (alpha + t).ln();
        if x == 0.0 {
            return ln_a1 + ln_a2 + ln_a3;
        }
        let ln_a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln();
        let hi = ln_a3.max(ln_a4);
        ln_a1 + ln_a2 + hi + ((ln_a3 - hi).exp() + (ln_a4 - hi).exp()).ln()
    }

    /// P(alive | x, tₓ, T): 1 for a customer without repeat purchases, as in lifetimes.
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let log_div = (r + x) * ((alpha + t) / (alpha + t_x)).ln() + (a / (b + x - 1.0)).ln();
        1.0 / (1.0 + log_div.exp())
    }

    /// Expected purchases in the next `t` periods of a customer with (x, tₓ, T): lifetimes'
    /// `conditional_expected_number_of_purchases_up_to_time`.
    pub fn expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> Result<f64> {
        Ok(self.expected_purchases_many(&[t], x, t_x, age)?[0])
    }

    /// [`BgNbd::expected_purchases`] for several horizons `ts` (each ≥ 0) at once.
    pub fn expected_purchases_many(
        &self,
        ts: &[f64],
        x: f64,
        t_x: f64,
        age: f64,
    ) -> Result<Vec<f64>> {
        let BgNbd { r, alpha, a, b } = *self;
        let (ha, hb, hc) = (r + x, b + x, a + b + x - 1.0);
        let ts: Vec<f64> = ts.iter().map(|&t| t.max(0.0)).collect();
        let zs: Vec<f64> = ts.iter().map(|&t| t / (alpha + age + t)).collect();
        let hyp = hyp2f1_scaled_many(ha, hb, hc, &zs)?;
        let first = hc / (a - 1.0);
        let p_alive = self.p_alive(x, t_x, age);
        Ok(ts
            .iter()
            .zip(hyp)
            .map(|(&t, (mantissa, scale))| {
                let ln_ratio = ((alpha + age) / (alpha + t + age)).ln();
                let second = 1.0 - mantissa * (scale + (r + x) * ln_ratio).exp();
                first * second * p_alive
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_likelihood_equals_the_sum_over_customers() {
        let customers = [
            (0, 0, 30),
            (0, 0, 30),
            (2, 20, 30),
            (1, 3, 10),
            (2, 20, 30),
            (7, 25, 28),
        ]
        .map(|(f, r, t)| Customer {
            frequency: f,
            recency_days: r,
            age_days: t,
            repeat_cents: 0,
        });
        let (g, group_of) = Groups::new(&customers, 7.0);
        assert_eq!(g.triples.len(), 4);
        assert_eq!(group_of[0], group_of[1]);
        assert_eq!(group_of[2], group_of[4]);
        for (c, &i) in customers.iter().zip(&group_of) {
            let (x, tx, t) = g.triple(i as usize);
            assert_eq!(x, f64::from(c.frequency));
            assert_eq!(
                (tx * 7.0, t * 7.0),
                (f64::from(c.recency_days), f64::from(c.age_days))
            );
        }
        let mut weight_x = vec![0.0; g.xs.len()];
        for t in &g.triples {
            weight_x[t.0 as usize] += t.3;
        }
        let lik = Likelihood {
            g: &g,
            weight_x,
            total: 6.0,
        };
        let m = BgNbd {
            r: 0.3,
            alpha: 4.0,
            a: 0.8,
            b: 2.5,
        };
        let theta = [m.r, m.alpha, m.a, m.b].map(f64::ln);
        let (v, grad) = lik.eval(&theta);
        let want: f64 = customers
            .iter()
            .map(|c| {
                m.log_likelihood(
                    f64::from(c.frequency),
                    f64::from(c.recency_days) / 7.0,
                    f64::from(c.age_days) / 7.0,
                )
            })
            .sum();
        assert!((v + want / 6.0).abs() < 1e-12, "{v} vs {}", -want / 6.0);
        // The analytic gradient against central differences.
        for k in 0..4 {
            let h = 1e-6;
            let (mut up, mut down) = (theta, theta);
            up[k] += h;
            down[k] -= h;
            let numeric = (lik.eval(&up).0 - lik.eval(&down).0) / (2.0 * h);
            assert!(
                (numeric - grad[k]).abs() < 1e-7,
                "d/dtheta[{k}]: analytic {} numeric {numeric}",
                grad[k]
            );
        }
    }

    #[test]
    fn p_alive_is_one_without_repeats_and_falls_with_silence() {
        let m = BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        assert_eq!(m.p_alive(0.0, 0.0, 30.0), 1.0);
        let recent = m.p_alive(3.0, 29.0, 30.0);
        let silent = m.p_alive(3.0, 5.0, 30.0);
        assert!(recent > silent && silent > 0.0 && recent < 1.0);
        assert_eq!(m.expected_purchases(0.0, 3.0, 29.0, 30.0).ok(), Some(0.0));
    }
}
