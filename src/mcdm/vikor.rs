//! VIKOR: the compromise ranking.

use crate::error::{McdmMethod, Result};
use crate::model::weights::Weights;

use super::checks::{check_weights, unit_interval};
use super::matrix::{CriterionType, DecisionMatrix};
use super::normalise::bounds;
use super::ranking::{Ranking, TieRule};

/// The default weight of the strategy of "the majority of criteria" (`v`).
pub const DEFAULT_VIKOR_V: f64 = 0.5;

/// The result of VIKOR (Opricovic 1998; Opricovic & Tzeng 2004): group utility `S`,
/// individual regret `R`, compromise index `Q` (smaller is better), the two acceptance
/// conditions and the compromise set.
///
/// ```text
/// S_i = sum_j w_j (f*_j - f_ij) / (f*_j - f-_j)      f*_j, f-_j best and worst value of j
/// R_i = max_j w_j (f*_j - f_ij) / (f*_j - f-_j)
/// Q_i = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*)
/// C1 (acceptable advantage): Q(a2) - Q(a1) >= DQ = 1 / (m - 1)
/// C2 (acceptable stability): a1 is also best by S or by R
/// ```
///
/// Defined values where the formulas divide by zero: a constant criterion adds 0 to `S` and
/// `R` (pymcdm rejects such a matrix; pyDecision divides by `1e-16`, which gives the same 0);
/// when every alternative has the same `S` (or `R`), that term of `Q` is 0. With both, every
/// `Q` is 0 and all alternatives tie.
///
/// The compromise set is `{a1}` when both conditions hold; when C1 fails, every `a_k` with
/// `Q(a_k) - Q(a1) < DQ`; when only C2 fails, `{a1, a2}` (Opricovic & Tzeng 2004, section 3).
///
/// # Examples
///
/// The example of Opricovic & Tzeng (2004): risk (cost) and altitude (benefit) of three
/// climbing routes, equal weights.
///
/// ```
/// use service_quality::mcdm::{CriterionType, DecisionMatrix, Vikor};
/// use service_quality::Weights;
///
/// let m = DecisionMatrix::new(
///     vec!["A1".into(), "A2".into(), "A3".into()],
///     vec!["risk".into(), "altitude".into()],
///     vec![CriterionType::Cost, CriterionType::Benefit],
///     &[[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]],
/// )?;
/// let v = Vikor::new(&m, &Weights::new(vec![0.5, 0.5])?, 0.5)?;
/// assert_eq!(v.s(), [0.5, 0.375, 0.5]);
/// assert_eq!(v.r(), [0.5, 0.25, 0.5]);
/// assert_eq!(v.q(), [1.0, 0.0, 1.0]);
/// assert_eq!(v.compromise(), [1]);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Vikor {
    v: f64,
    s: Vec<f64>,
    r: Vec<f64>,
    q: Vec<f64>,
    acceptable_advantage: bool,
    acceptable_stability: bool,
    compromise: Vec<usize>,
    ranking: Ranking,
}

impl Vikor {
    /// VIKOR of `matrix` with `weights` and the strategy weight `v` (usually
    /// [`DEFAULT_VIKOR_V`]).
    ///
    /// # Errors
    ///
    /// - [`McdmError::WeightCount`](crate::McdmError::WeightCount) when `weights` has not one
    ///   weight per criterion;
    /// - [`McdmError::InvalidParameter`](crate::McdmError::InvalidParameter) for `v` outside
    ///   `[0, 1]` (or NaN).
    pub fn new(matrix: &DecisionMatrix, weights: &Weights, v: f64) -> Result<Self> {
        let method = McdmMethod::Vikor;
        let w = check_weights(matrix, weights, method)?;
        unit_interval(method, "v", v)?;
        let m = matrix.n_alternatives();
        let mut s = vec![0.0; m];
        let mut r = vec![0.0f64; m];
        for (j, &wj) in w.iter().enumerate() {
            let col = matrix.column_vec(j);
            let (lo, hi) = bounds(&col);
            if !(hi > lo) {
                continue;
            }
            let (best, worst) = match matrix.types()[j] {
                CriterionType::Benefit => (hi, lo),
                CriterionType::Cost => (lo, hi),
            };
            for (i, x) in col.iter().enumerate() {
                let d = wj * ((best - x) / (best - worst));
                s[i] += d;
                r[i] = r[i].max(d);
            }
        }
        let scaled = |x: &[f64]| -> Vec<f64> {
            let (lo, hi) = bounds(x);
            x.iter()
                .map(|&a| if hi > lo { (a - lo) / (hi - lo) } else { 0.0 })
                .collect()
        };
        let (qs, qr) = (scaled(&s), scaled(&r));
        let q: Vec<f64> = qs
            .iter()
            .zip(&qr)
            .map(|(a, b)| v * a + (1.0 - v) * b)
            .collect();
        let ranking = Ranking::from_scores(&q, false, TieRule::Average);
        let order = ranking.order();
        let (a1, a2) = (order[0], order[1]);
        let dq = 1.0 / (m - 1) as f64;
        let acceptable_advantage = q[a2] - q[a1] >= dq;
        let s_best = Ranking::from_scores(&s, false, TieRule::Min);
        let r_best = Ranking::from_scores(&r, false, TieRule::Min);
        // ranks by the `Min` rule are whole numbers: 1 is the best (or tied for the best)
        let acceptable_stability = s_best.ranks()[a1] < 1.5 || r_best.ranks()[a1] < 1.5;
        let compromise = if !acceptable_advantage {
            order
                .iter()
                .copied()
                .take_while(|&k| q[k] - q[a1] < dq)
                .collect()
        } else if !acceptable_stability {
            vec![a1, a2]
        } else {
            vec![a1]
        };
        Ok(Self {
            v,
            s,
            r,
            q,
            acceptable_advantage,
            acceptable_stability,
            compromise,
            ranking,
        })
    }

    /// The strategy weight `v`.
    pub fn v(&self) -> f64 {
        self.v
    }
    /// Group utility `S_i`.
    pub fn s(&self) -> &[f64] {
        &self.s
    }
    /// Individual regret `R_i`.
    pub fn r(&self) -> &[f64] {
        &self.r
    }
    /// Compromise index `Q_i` (smaller is better).
    pub fn q(&self) -> &[f64] {
        &self.q
    }
    /// Condition C1.
    pub fn acceptable_advantage(&self) -> bool {
        self.acceptable_advantage
    }
    /// Condition C2.
    pub fn acceptable_stability(&self) -> bool {
        self.acceptable_stability
    }
    /// The compromise set (indices, best `Q` first).
    pub fn compromise(&self) -> &[usize] {
        &self.compromise
    }
    /// The ranking by `Q` ([`TieRule::Average`]).
    pub fn ranking(&self) -> &Ranking {
        &self.ranking
    }
}
