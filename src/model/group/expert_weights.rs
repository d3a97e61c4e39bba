//! Validated weights of the experts on a panel.

use crate::error::{ArgumentError, PanelError, Result};
use crate::model::weights::Weights;

/// Relative importance of the experts on a panel: [`Weights`] (finite, `>= 0`, summing to 1)
/// with one entry per expert.
///
/// Raw values (years of experience, a rank, 1 for everybody) are scaled to sum to 1 by
/// [`Weights::normalize`], with its checks and errors; an expert with weight 0 takes part in
/// no aggregate. The default for a panel is [`equal`](Self::equal).
///
/// # Examples
///
/// ```
/// use service_quality::{ExpertWeights, Weights};
///
/// let w = ExpertWeights::new(&[3.0, 1.0])?;
/// assert!((w.as_slice()[0] - 0.75).abs() < 1e-15);
/// assert_eq!(w.as_weights(), &Weights::normalize(&[3.0, 1.0])?);
/// assert!(ExpertWeights::new(&[1.0, f64::NAN]).is_err());
/// assert!(ExpertWeights::new(&[0.0, 0.0]).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertWeights(Weights);

impl ExpertWeights {
    /// Normalises raw non-negative expert weights so that they sum to 1
    /// ([`Weights::normalize`]).
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] for an empty slice;
    /// - [`WeightsError::InvalidWeight`](crate::WeightsError::InvalidWeight) for the first NaN, infinite or negative value (its `index`
    ///   is the expert's);
    /// - [`WeightsError::WeightSum`](crate::WeightsError::WeightSum) when the values sum to 0 or their sum overflows.
    pub fn new(raw: &[f64]) -> Result<Self> {
        Weights::normalize(raw).map(Self)
    }

    /// Equal weights `1/k` for `k >= 1` experts ([`Weights::uniform`]).
    ///
    /// # Errors
    ///
    /// [`ArgumentError::Empty`] when `k == 0`.
    pub fn equal(k: usize) -> Result<Self> {
        Weights::uniform(k).map(Self)
    }

    /// The normalised weights, one per expert.
    pub fn as_slice(&self) -> &[f64] {
        self.0.as_slice()
    }

    /// The weights as [`Weights`].
    pub fn as_weights(&self) -> &Weights {
        &self.0
    }

    /// Number of experts.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: a weight vector has at least one expert.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The weights of the experts in `keep` (indices into this vector), renormalised.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::Empty`] when `keep` is empty and [`WeightsError::WeightSum`](crate::WeightsError::WeightSum) when the kept experts
    /// all have weight 0.
    pub(crate) fn subset(&self, keep: &[usize]) -> Result<Self> {
        let all = self.as_slice();
        let raw: Vec<f64> = keep.iter().map(|&k| all[k]).collect();
        Self::new(&raw)
    }
}

impl From<Weights> for ExpertWeights {
    /// One weight per expert, as given.
    fn from(weights: Weights) -> Self {
        Self(weights)
    }
}

impl From<ExpertWeights> for Weights {
    fn from(weights: ExpertWeights) -> Self {
        weights.0
    }
}

/// Checks that a panel of `sizes.len()` experts (each judging `sizes[k]` criteria) matches
/// `weights` experts and that all sizes agree; returns the common size.
pub(crate) fn check_panel_shape(sizes: &[usize], weights: usize) -> Result<usize> {
    let &n = sizes.first().ok_or(ArgumentError::Empty {
        what: "expert panel",
    })?;
    if weights != sizes.len() {
        return Err(PanelError::ExpertCountMismatch {
            expected: sizes.len(),
            found: weights,
        }
        .into());
    }
    match sizes.iter().position(|&s| s != n) {
        Some(expert) => Err(PanelError::ExpertSizeMismatch {
            expert,
            expected: n,
            found: sizes[expert],
        }
        .into()),
        None => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, WeightsError};

    #[test]
    fn rejects_bad_weights() {
        assert!(matches!(
            ExpertWeights::new(&[1.0, -1.0]),
            Err(Error::Weights(WeightsError::InvalidWeight { index: 1, .. }))
        ));
        assert!(matches!(
            ExpertWeights::new(&[f64::INFINITY]),
            Err(Error::Weights(WeightsError::InvalidWeight { index: 0, .. }))
        ));
        assert!(matches!(
            ExpertWeights::new(&[f64::MAX, f64::MAX]),
            Err(Error::Weights(WeightsError::WeightSum { .. }))
        ));
        assert!(matches!(
            ExpertWeights::equal(0),
            Err(Error::Argument(ArgumentError::Empty { .. }))
        ));
    }

    #[test]
    fn subset_renormalises() {
        let w = ExpertWeights::new(&[1.0, 2.0, 1.0]).unwrap();
        let s = w.subset(&[0, 2]).unwrap();
        assert!((s.as_slice()[0] - 0.5).abs() < 1e-15);
        assert!(matches!(
            w.subset(&[]),
            Err(Error::Argument(ArgumentError::Empty { .. }))
        ));
    }
}
