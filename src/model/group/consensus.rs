//! Goepel's AHP consensus indicator, from the Shannon-entropy partition of the experts'
//! priorities.

use core::fmt;

use crate::error::{AhpError, ArgumentError, Error, Parameter, Result};
use crate::group::expert_weights::check_panel_shape;
use crate::group::ExpertWeights;
use crate::model::weights::Weights;

/// Largest value of Saaty's fundamental scale, used by [`AhpConsensus::new`].
pub const SAATY_SCALE_MAX: f64 = 9.0;

/// Goepel's AHP consensus indicator `S*` of a panel, with the diversities it is built from.
///
/// For `K` experts with weights `lambda_k` and priority vectors `w^(k)` over `n` criteria, with
/// `H(p) = -sum_i p_i ln p_i` (Shannon entropy, `0 ln 0 = 0`):
///
/// ```text
/// H_alpha = sum_k lambda_k H(w^(k))            mean entropy within the experts
/// H_gamma = H(wbar),  wbar = sum_k lambda_k w^(k)  entropy of the pooled priorities
/// H_beta  = H_gamma - H_alpha                   entropy between the experts (>= 0)
/// D_x     = exp(H_x)                            Hill numbers (true diversities)
/// D_alpha,min = exp(H(v)),  v = (M, 1, ..., 1) / (M + n - 1)
/// D_gamma,max = n
/// S*      = (1 / D_beta - D_alpha,min / D_gamma,max) / (1 - D_alpha,min / D_gamma,max)
/// ```
///
/// `M` is the largest scale value (9 on Saaty's scale): `v` is the least diverse priority
/// vector an expert can give with single judgements on that scale. `S* = 1` when all experts
/// give the same priorities and falls towards 0 as they disagree. `S* >= 0` whenever every
/// expert's diversity `exp(H(w^(k)))` is at least `D_alpha,min`; priorities less diverse than
/// any single judgement on the scale gives can make it drop below 0, and it is reported as
/// computed (not clipped). Priority vectors must be positive, as a pairwise matrix's are: a
/// zero weight (with which `S*` falls far below 0) is rejected. Goepel's word scale:
/// below 0.5 very low, 0.5–0.625 low, 0.625–0.75 moderate, 0.75–0.875 high, above very high.
/// For `n = 1`, `S* = 1`.
///
/// With equal expert weights this is Goepel's indicator; unequal weights enter as the weights
/// of the entropy partition (a weighted mixture), which reduces to it when they are equal.
///
/// # Examples
///
/// ```
/// use service_quality::group::AhpConsensus;
/// use service_quality::{ExpertWeights, Weights};
///
/// let a = Weights::new(vec![0.5, 0.3, 0.2])?;
/// let same = AhpConsensus::new(&[a.clone(), a.clone()], &ExpertWeights::equal(2)?)?;
/// assert!((same.s_star() - 1.0).abs() < 1e-12);
/// let b = Weights::new(vec![0.2, 0.3, 0.5])?;
/// let split = AhpConsensus::new(&[a, b], &ExpertWeights::equal(2)?)?;
/// assert!(split.s_star() < 1.0);
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - K. D. Goepel, "Implementing the analytic hierarchy process as a standard method for
///   multi-criteria decision making in corporate enterprises – a new AHP Excel template with
///   multiple inputs", *Proc. ISAHP 2013*, Kuala Lumpur, 2013.
/// - K. D. Goepel, "Implementation of an online software tool for the analytic hierarchy
///   process (AHP-OS)", *Int. J. Analytic Hierarchy Process* 10(3), 469–487, 2018 (the
///   simplification `D_gamma,max = n` and the word scale).
/// - AHP-OS source, `classes/AhpGroup.php` (`getConsensus`, `ahpShannonCor`), github.com/bpmsg/ahp-os:
///   the same `D_alpha,min` and `D_gamma,max = n`.
/// - L. Jost, "Partitioning diversity into independent alpha and beta components", *Ecology*
///   88(10), 2427–2439, 2007.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[doc(alias = "consensus")]
pub struct AhpConsensus {
    s_star: f64,
    d_alpha: f64,
    d_beta: f64,
    d_gamma: f64,
}

fn entropy(p: impl Iterator<Item = f64>) -> f64 {
    -p.filter(|&x| x > 0.0).map(|x| x * x.ln()).sum::<f64>()
}

impl AhpConsensus {
    /// The indicator on Saaty's scale (`M = 9`).
    ///
    /// # Errors
    ///
    /// As [`with_scale_max`](Self::with_scale_max).
    pub fn new(priorities: &[Weights], weights: &ExpertWeights) -> Result<Self> {
        Self::with_scale_max(priorities, weights, SAATY_SCALE_MAX)
    }

    /// The indicator for a judgement scale whose largest value is `scale_max`.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] when `priorities` is empty;
    /// - [`PanelError::ExpertCountMismatch`](crate::PanelError::ExpertCountMismatch) when `weights`
    ///   has a different length;
    /// - [`PanelError::ExpertSizeMismatch`](crate::PanelError::ExpertSizeMismatch) when a vector
    ///   differs in length from the first;
    /// - [`ArgumentError::InvalidParameter`] when `scale_max` is not finite or not `> 1`;
    /// - [`AhpError::ZeroPriority`] inside [`Error::AtExpert`] (naming the expert) when a
    ///   priority vector has a zero weight.
    pub fn with_scale_max(
        priorities: &[Weights],
        weights: &ExpertWeights,
        scale_max: f64,
    ) -> Result<Self> {
        if !(scale_max.is_finite() && scale_max > 1.0) {
            return Err(ArgumentError::InvalidParameter {
                name: Parameter::ScaleMax,
                value: scale_max,
            }
            .into());
        }
        let sizes: Vec<usize> = priorities.iter().map(Weights::len).collect();
        let n = check_panel_shape(&sizes, weights.len())?;
        for (expert, w) in priorities.iter().enumerate() {
            // Weights are finite and >= 0, so the only degenerate value is 0
            if let Some((index, &value)) =
                w.as_slice().iter().enumerate().find(|(_, x)| !(**x > 0.0))
            {
                return Err(Error::AtExpert {
                    expert,
                    source: Box::new(AhpError::ZeroPriority { index, value }.into()),
                });
            }
        }
        let lambda = weights.as_slice();
        let h_alpha: f64 = priorities
            .iter()
            .zip(lambda)
            .map(|(w, &l)| l * entropy(w.as_slice().iter().copied()))
            .sum();
        let pooled = (0..n).map(|i| {
            priorities
                .iter()
                .zip(lambda)
                .map(|(w, &l)| l * w.as_slice()[i])
                .sum::<f64>()
        });
        let h_gamma = entropy(pooled);
        // concavity of H makes H_beta >= 0; clamp rounding noise of identical experts
        let h_beta = (h_gamma - h_alpha).max(0.0);
        let d_beta = h_beta.exp();
        let s_star = if n == 1 {
            1.0
        } else {
            let nf = n as f64;
            let total = scale_max + nf - 1.0;
            let v =
                core::iter::once(scale_max / total).chain(core::iter::repeat_n(1.0 / total, n - 1));
            let ratio = entropy(v).exp() / nf;
            (1.0 / d_beta - ratio) / (1.0 - ratio)
        };
        Ok(Self {
            s_star,
            d_alpha: h_alpha.exp(),
            d_beta,
            d_gamma: h_gamma.exp(),
        })
    }

    /// The consensus indicator `S*` (1 = full agreement).
    pub fn s_star(&self) -> f64 {
        self.s_star
    }

    /// Alpha diversity `D_alpha = exp(H_alpha)` (within the experts).
    pub fn d_alpha(&self) -> f64 {
        self.d_alpha
    }

    /// Beta diversity `D_beta = exp(H_beta)` (between the experts; 1 when they agree).
    pub fn d_beta(&self) -> f64 {
        self.d_beta
    }

    /// Gamma diversity `D_gamma = exp(H_gamma)` (of the pooled priorities).
    pub fn d_gamma(&self) -> f64 {
        self.d_gamma
    }

    /// Relative homogeneity `1 / D_beta` (MacArthur's homogeneity measure).
    pub fn homogeneity(&self) -> f64 {
        1.0 / self.d_beta
    }
}

impl fmt::Display for AhpConsensus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "consensus S* = {:.1}% (D_alpha {:.4}, D_beta {:.4}, D_gamma {:.4})",
            self.s_star * 100.0,
            self.d_alpha,
            self.d_beta,
            self.d_gamma
        )
    }
}
