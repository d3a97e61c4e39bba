//! Validated weights of the experts on a panel.

use crate::error::{ArgumentError, PanelError, Result};

/// Relative importance of the experts on a panel: finite, `>= 0`, normalised to sum to 1.
///
/// Raw values (years of experience, a rank, 1 for everybody) are scaled to sum to 1; an expert
/// with weight 0 takes part in no aggregate. The default for a panel is [`equal`](Self::equal).
///
/// # Examples
///
/// ```
/// use service_quality::ExpertWeights;
///
/// let w = ExpertWeights::new(&[3.0, 1.0])?;
/// assert!((w.as_slice()[0] - 0.75).abs() < 1e-15);
/// assert!(ExpertWeights::new(&[1.0, f64::NAN]).is_err());
/// assert!(ExpertWeights::new(&[0.0, 0.0]).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertWeights(Vec<f64>);

impl ExpertWeights {
    /// Normalises raw non-negative expert weights so that they sum to 1.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] for an empty slice;
    /// - [`PanelError::InvalidExpertWeight`] for the first NaN, infinite or negative value;
    /// - [`PanelError::ExpertWeightSum`] when the values sum to 0 or their sum overflows.
    pub fn new(raw: &[f64]) -> Result<Self> {
        if raw.is_empty() {
            return Err(ArgumentError::Empty {
                what: "expert weights",
            }
            .into());
        }
        for (expert, &value) in raw.iter().enumerate() {
            if !(value.is_finite() && value >= 0.0) {
                return Err(PanelError::InvalidExpertWeight { expert, value }.into());
            }
        }
        let sum: f64 = raw.iter().sum();
        if !(sum > 0.0 && sum.is_finite()) {
            return Err(PanelError::ExpertWeightSum { sum }.into());
        }
        Ok(Self(raw.iter().map(|x| x / sum).collect()))
    }

    /// Equal weights `1/k` for `k >= 1` experts.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::Empty`] when `k == 0`.
    pub fn equal(k: usize) -> Result<Self> {
        if k == 0 {
            return Err(ArgumentError::Empty {
                what: "expert weights",
            }
            .into());
        }
        Ok(Self(vec![1.0 / k as f64; k]))
    }

    /// The normalised weights, one per expert.
    pub fn as_slice(&self) -> &[f64] {
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
    /// [`ArgumentError::Empty`] when `keep` is empty and [`PanelError::ExpertWeightSum`] when the
    /// kept experts all have weight 0.
    pub(crate) fn subset(&self, keep: &[usize]) -> Result<Self> {
        let raw: Vec<f64> = keep.iter().map(|&k| self.0[k]).collect();
        Self::new(&raw)
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
    use crate::error::Error;

    #[test]
    fn rejects_bad_weights() {
        assert!(matches!(
            ExpertWeights::new(&[1.0, -1.0]),
            Err(Error::Panel(PanelError::InvalidExpertWeight {
                expert: 1,
                ..
            }))
        ));
        assert!(matches!(
            ExpertWeights::new(&[f64::INFINITY]),
            Err(Error::Panel(PanelError::InvalidExpertWeight {
                expert: 0,
                ..
            }))
        ));
        assert!(matches!(
            ExpertWeights::new(&[f64::MAX, f64::MAX]),
            Err(Error::Panel(PanelError::ExpertWeightSum { .. }))
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
