//! The modified BG/NBD model (Batislam, Denizel & Filiztekin 2007; lifetimes'
//! `ModifiedBetaGeoFitter`): as BG/NBD, but a customer may also drop out right after the first
//! purchase, so a one-time buyer's P(alive) falls below 1 as time passes without a repeat.

use super::bgnbd::Groups;
use super::fit::{minimize, Objective};
use super::hyp2f1::hyp2f1_scaled_many;
use crate::error::Result;
use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

/// Fitted MBG/NBD parameters: purchase rates ~ Gamma(r, α), dropout probabilities ~ Beta(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct MbgNbd {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Scale of the purchase-rate distribution, in the time unit of the fit.
    pub alpha: f64,
    /// Beta parameter a of the dropout probability.
    pub a: f64,
    /// Beta parameter b of the dropout probability.
    pub b: f64,
}

/// `ln(1 + e^z)` and its derivative `1 / (1 + e^-z)`.
fn softplus(z: f64) -> (f64, f64) {
    let value = if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    };
    (value, 1.0 / (1.0 + (-z).exp()))
}

/// The mean negative log-likelihood over the groups and its gradient, in log-parameters.
struct Likelihood<'a> {
    g: &'a Groups,
    total: f64,
}

impl Objective for Likelihood<'_> {
    fn eval(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        let [r, alpha, a, b] = [0, 1, 2, 3].map(|i| theta[i].exp());
        let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let (dg_r, dg_b, dg_ab) = (digamma(r), digamma(b), digamma(a + b));
        let mut value = 0.0;
        let mut grad = [0.0f64; 4];
        for (i, t) in self.g.triples.iter().enumerate() {
            let (x, t_x, age) = self.g.triple(i);
            let w = t.3;
            let (ln_at, ln_atx) = ((alpha + age).ln(), (alpha + t_x).ln());
            let a1 = ln_gamma(r + x) - lg_r + r * alpha.ln();
            let a2 = lg_ab + ln_gamma(b + x + 1.0) - lg_b - ln_gamma(a + b + x + 1.0);
            let a3 = -(r + x) * ln_at;
            let a4 = a.ln() - (b + x).ln() + (r + x) * (ln_at - ln_atx);
            let (sp, s) = softplus(a4);
            value += w * (a1 + a2 + a3 + sp);
            let d_r = digamma(r + x) - dg_r + alpha.ln() - ln_at + s * (ln_at - ln_atx);
            let d_alpha = r / alpha - (r + x) / (alpha + age)
                + s * (r + x) * (1.0 / (alpha + age) - 1.0 / (alpha + t_x));
            let dg_abx = digamma(a + b + x + 1.0);
            let d_a = dg_ab - dg_abx + s / a;
            let d_b = dg_ab + digamma(b + x + 1.0) - dg_b - dg_abx - s / (b + x);
            for (k, d) in [d_r, d_alpha, d_a, d_b].into_iter().enumerate() {
                grad[k] += w * d;
            }
        }
        let params = [r, alpha, a, b];
        let grad = (0..4).map(|k| -grad[k] * params[k] / self.total).collect();
        (-value / self.total, grad)
    }
}

impl MbgNbd {
    /// Fits the model to grouped customers by maximum likelihood; also the log-likelihood.
    pub fn fit(g: &Groups) -> Result<(MbgNbd, f64)> {
        let (total, theta0) = g.start("MBG/NBD")?;
        let m = minimize(&Likelihood { g, total }, &theta0, "MBG/NBD")?;
        let [r, alpha, a, b] = [0, 1, 2, 3].map(|i| m.theta[i].exp());
        Ok((MbgNbd { r, alpha, a, b }, -m.value * total))
    }

    /// P(alive | x, tₓ, T); below 1 also without a repeat purchase.
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let MbgNbd { r, alpha, a, b } = *self;
        let log_div = (r + x) * ((alpha + t) / (alpha + t_x)).ln() + (a / (b + x)).ln();
        1.0 / (1.0 + log_div.exp())
    }

    /// Expected purchases in the next `t` periods of a customer with (x, tₓ, T): lifetimes'
    /// `conditional_expected_number_of_purchases_up_to_time` of the modified model.
    pub fn expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> Result<f64> {
        let MbgNbd { r, alpha, a, b } = *self;
        let t = t.max(0.0);
        let z = t / (alpha + age + t);
        let (mantissa, scale) = hyp2f1_scaled_many(r + x, b + x + 1.0, a + b + x, &[z])?[0];
        let ln_ratio = ((alpha + age) / (alpha + t + age)).ln();
        let second = 1.0 - mantissa * (scale + (r + x) * ln_ratio).exp();
        Ok((a + b + x) / (a - 1.0) * second * self.p_alive(x, t_x, age))
    }
}
