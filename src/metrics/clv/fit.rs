//! Maximum likelihood on log-parameters: argmin's BFGS with a Moré–Thuente line search,
//! restarted from its own answer until the gradient is flat (the standard remedy when an
//! inverse-Hessian estimate has gone stale).

use crate::error::{Error, Result};
use argmin::core::{CostFunction, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::BFGS;
use ndarray::{Array1, Array2};
use std::cell::RefCell;
use std::rc::Rc;

/// A negative log-likelihood (mean per customer) and its gradient, both in log-parameters.
pub trait Objective {
    /// `(value, gradient)` at `theta` (log-parameters).
    fn eval(&self, theta: &[f64]) -> (f64, Vec<f64>);
}

/// The answer of [`minimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The log-parameters at the minimum.
    pub theta: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// Euclidean norm of the gradient there.
    pub grad_norm: f64,
    /// Objective evaluations used.
    pub evaluations: u64,
}

/// Gradient norm at which the fit counts as converged. The objective is a mean per customer,
/// so this does not depend on the number of customers; it sits a little above the rounding
/// noise of a sum over many customers, where a line search can no longer tell values apart.
pub const GRAD_TOL: f64 = 1e-6;
/// The gradient norm BFGS aims for before stopping by itself.
const GRAD_TARGET: f64 = 1e-7;
const MAX_ITERS: u64 = 500;
const RESTARTS: usize = 4;

/// Every evaluation of one minimisation: the count, the last point (the line search asks
/// for the value and the gradient at the same point separately) and the best point seen,
/// which survives a line search that gives up.
#[derive(Default)]
struct Tracker {
    evaluations: u64,
    last: Option<(Vec<f64>, f64, Vec<f64>)>,
    best: Option<(Vec<f64>, f64)>,
}

/// The objective as argmin sees it.
struct Problem<'a, O> {
    objective: &'a O,
    tracker: Rc<RefCell<Tracker>>,
}

impl<O: Objective> Problem<'_, O> {
    fn eval(&self, theta: &Array1<f64>) -> (f64, Vec<f64>) {
        let theta = theta.to_vec();
        let mut t = self.tracker.borrow_mut();
        if let Some((_, v, g)) = t.last.as_ref().filter(|l| l.0 == theta) {
            return (*v, g.clone());
        }
        t.evaluations += 1;
        let (v, g) = self.objective.eval(&theta);
        // A non-finite value (an overflowing trial step) reads as "much worse", which sends
        // the line search back towards the last good point.
        let (v, g) = if v.is_finite() && g.iter().all(|x| x.is_finite()) {
            if t.best.as_ref().is_none_or(|b| v < b.1) {
                t.best = Some((theta.clone(), v));
            }
            (v, g)
        } else {
            (f64::MAX, vec![0.0; theta.len()])
        };
        t.last = Some((theta, v, g.clone()));
        (v, g)
    }
}

impl<O: Objective> CostFunction for Problem<'_, O> {
    type Param = Array1<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.eval(p).0)
    }
}

impl<O: Objective> Gradient for Problem<'_, O> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(&self, p: &Self::Param) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        Ok(Array1::from(self.eval(p).1))
    }
}

fn norm(g: &[f64]) -> f64 {
    g.iter().map(|g| g * g).sum::<f64>().sqrt()
}

/// Minimises `objective` from `theta0`. `what` names the model in error messages.
pub fn minimize<O: Objective>(objective: &O, theta0: &[f64], what: &str) -> Result<Minimum> {
    let fail = |msg: String| Error::no_data(format!("{what}: {msg}"));
    let (v0, g0) = objective.eval(theta0);
    if !v0.is_finite() || !g0.iter().all(|g| g.is_finite()) {
        return Err(fail(
            "the likelihood cannot be evaluated on this data".into(),
        ));
    }
    let (mut theta, mut value, mut grad_norm) = (theta0.to_vec(), v0, norm(&g0));
    let mut evaluations = 1;
    for _ in 0..RESTARTS {
        let tracker = Rc::new(RefCell::new(Tracker::default()));
        let problem = Problem {
            objective,
            tracker: Rc::clone(&tracker),
        };
        let n = theta.len();
        let solver = BFGS::new(MoreThuenteLineSearch::new())
            .with_tolerance_grad(GRAD_TARGET)
            .and_then(|s| s.with_tolerance_cost(0.0))
            .map_err(|e| fail(e.to_string()))?;
        let start = Array1::from(theta.clone());
        // The run ends by converging, by running out of iterations, or by a line search that
        // cannot make progress (near the optimum, where rounding noise dominates); in every
        // case the best point seen is where to continue from.
        let _ = Executor::new(problem, solver)
            .configure(|state| {
                state
                    .param(start)
                    .inv_hessian(Array2::eye(n))
                    .max_iters(MAX_ITERS)
            })
            .timer(false)
            .run();
        let t = tracker.borrow();
        evaluations += t.evaluations;
        let Some((best, best_value)) = t.best.clone() else {
            break;
        };
        let improved = best_value < value;
        let (v, g) = objective.eval(&best);
        evaluations += 1;
        (theta, value, grad_norm) = (best, v, norm(&g));
        if grad_norm < GRAD_TOL {
            return Ok(Minimum {
                theta,
                value,
                grad_norm,
                evaluations,
            });
        }
        if !improved {
            break;
        }
    }
    Err(fail(format!(
        "the fit did not converge (gradient norm {grad_norm:.3e}, mean log-likelihood \
         {:.6}); the data may have too few repeat purchases for this model",
        -value
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's banana: the minimum is at (1, 1) in a long curved valley.
    struct Rosenbrock;

    impl Objective for Rosenbrock {
        fn eval(&self, t: &[f64]) -> (f64, Vec<f64>) {
            let (x, y) = (t[0], t[1]);
            let v = (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2);
            let gx = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x);
            let gy = 200.0 * (y - x * x);
            (v, vec![gx, gy])
        }
    }

    #[test]
    fn converges_on_rosenbrock() {
        let m = minimize(&Rosenbrock, &[-1.2, 1.0], "test").expect("converges");
        assert!((m.theta[0] - 1.0).abs() < 1e-6, "{:?}", m.theta);
        assert!((m.theta[1] - 1.0).abs() < 1e-6, "{:?}", m.theta);
        assert!(m.grad_norm < GRAD_TOL);
    }

    #[test]
    fn reports_no_convergence_instead_of_a_wrong_answer() {
        // A linear objective has no minimum and never flattens.
        struct Linear;
        impl Objective for Linear {
            fn eval(&self, t: &[f64]) -> (f64, Vec<f64>) {
                (-t[0], vec![-1.0])
            }
        }
        let e = minimize(&Linear, &[0.0], "linear").expect_err("no minimum");
        assert!(e.message().starts_with("linear: "), "{e}");
    }
}
