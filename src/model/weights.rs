//! Validated weight vectors.

use crate::error::{ArgumentError, Error, Result, WeightsError};
use crate::numeric::WEIGHT_SUM_TOL;

/// A non-empty vector of weights that are finite, `>= 0` and sum to 1 within
/// [`WEIGHT_SUM_TOL`].
///
/// The values are stored exactly as given: [`Weights::new`] checks them and never rescales.
/// Use [`Weights::normalize`] to turn raw importance scores into weights.
///
/// # Examples
///
/// ```
/// use service_quality::Weights;
///
/// let w = Weights::new(vec![0.5, 0.3, 0.2])?;
/// assert_eq!(w.len(), 3);
/// let raw = Weights::normalize(&[2.0, 1.0, 1.0])?;
/// assert!((raw.as_slice()[0] - 0.5).abs() < 1e-15);
/// assert!(Weights::new(vec![0.5, f64::NAN]).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<f64>", into = "Vec<f64>"))]
pub struct Weights(Vec<f64>);

impl Weights {
    /// Checks and wraps weights that already sum to 1.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] for an empty vector;
    /// - [`WeightsError::InvalidWeight`] for the first NaN, infinite or negative value;
    /// - [`WeightsError::WeightSum`] when `|sum - 1| > WEIGHT_SUM_TOL`.
    pub fn new(values: Vec<f64>) -> Result<Self> {
        let sum = check_entries(&values)?;
        if (sum - 1.0).abs() > WEIGHT_SUM_TOL {
            return Err(WeightsError::WeightSum {
                sum,
                tol: WEIGHT_SUM_TOL,
            }
            .into());
        }
        Ok(Self(values))
    }

    /// Scales non-negative raw values so that they sum to 1.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] for an empty slice;
    /// - [`WeightsError::InvalidWeight`] for the first NaN, infinite or negative value;
    /// - [`WeightsError::WeightSum`] when the values sum to 0 (or their sum overflows).
    pub fn normalize(raw: &[f64]) -> Result<Self> {
        let sum = check_entries(raw)?;
        if !(sum > 0.0 && sum.is_finite()) {
            return Err(WeightsError::WeightSum {
                sum,
                tol: WEIGHT_SUM_TOL,
            }
            .into());
        }
        Ok(Self(raw.iter().map(|x| x / sum).collect()))
    }

    /// Equal weights `1/n` for `n >= 1` items.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::Empty`] when `n == 0`.
    pub fn uniform(n: usize) -> Result<Self> {
        if n == 0 {
            return Err(ArgumentError::Empty { what: "weights" }.into());
        }
        Ok(Self(vec![1.0 / n as f64; n]))
    }

    /// Wraps values the crate has already validated (sum 1 up to rounding, all > 0).
    pub(crate) fn from_normalized_unchecked(values: Vec<f64>) -> Self {
        Self(values)
    }

    /// The weights as a slice.
    pub fn as_slice(&self) -> &[f64] {
        &self.0
    }

    /// Number of weights.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: weights are never empty. Provided for API symmetry with slices.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The weights as a new vector.
    pub fn to_vec(&self) -> Vec<f64> {
        self.0.clone()
    }

    /// Unwraps the vector.
    pub fn into_inner(self) -> Vec<f64> {
        self.0
    }
}

/// Checks entries are finite and `>= 0`, returns their sum.
fn check_entries(values: &[f64]) -> Result<f64> {
    if values.is_empty() {
        return Err(ArgumentError::Empty { what: "weights" }.into());
    }
    for (index, &value) in values.iter().enumerate() {
        if !(value.is_finite() && value >= 0.0) {
            return Err(WeightsError::InvalidWeight { index, value }.into());
        }
    }
    Ok(values.iter().sum())
}

impl TryFrom<Vec<f64>> for Weights {
    type Error = Error;
    fn try_from(values: Vec<f64>) -> Result<Self> {
        Self::new(values)
    }
}

impl From<Weights> for Vec<f64> {
    fn from(w: Weights) -> Self {
        w.0
    }
}

impl AsRef<[f64]> for Weights {
    fn as_ref(&self) -> &[f64] {
        &self.0
    }
}

#[cfg(test)]
// exact comparisons below are on values the code assigns (0, 1, copies), not computes
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_values_with_index() {
        assert_eq!(
            Weights::new(vec![0.5, -0.1, 0.6]),
            Err(Error::Weights(WeightsError::InvalidWeight {
                index: 1,
                value: -0.1
            }))
        );
        assert!(matches!(
            Weights::new(vec![0.5, f64::NAN]),
            Err(Error::Weights(WeightsError::InvalidWeight { index: 1, .. }))
        ));
        assert!(matches!(
            Weights::new(vec![f64::INFINITY]),
            Err(Error::Weights(WeightsError::InvalidWeight { index: 0, .. }))
        ));
        assert!(matches!(
            Weights::new(vec![0.5, 0.4]),
            Err(Error::Weights(WeightsError::WeightSum { .. }))
        ));
        assert!(matches!(
            Weights::new(vec![]),
            Err(Error::Argument(ArgumentError::Empty { .. }))
        ));
        assert!(matches!(
            Weights::normalize(&[0.0, 0.0]),
            Err(Error::Weights(WeightsError::WeightSum { .. }))
        ));
        assert!(matches!(
            Weights::normalize(&[f64::MAX, f64::MAX]),
            Err(Error::Weights(WeightsError::WeightSum { .. }))
        ));
    }

    #[test]
    fn sum_messages_say_what_is_wrong() {
        let overflow = Weights::normalize(&[1e308, 1e308]).unwrap_err().to_string();
        assert_eq!(
            overflow,
            "the sum of the weights overflows (got inf): scale them down"
        );
        let raw_looking = Weights::new(vec![50.0, 30.0, 20.0])
            .unwrap_err()
            .to_string();
        assert_eq!(
            raw_looking,
            "weights must sum to 1 (tolerance 1e-9), got 100; to have them normalised, give \
             them as raw weights (`raw_weights`)"
        );
        let zero = Weights::normalize(&[0.0, 0.0]).unwrap_err().to_string();
        assert_eq!(zero, "weights must sum to 1 (tolerance 1e-9), got 0");
    }

    #[test]
    fn keeps_values_as_given() {
        let v = vec![0.1, 0.2, 0.7];
        assert_eq!(Weights::new(v.clone()).unwrap().into_inner(), v);
    }

    #[test]
    fn normalize_divides_by_sum() {
        let w = Weights::normalize(&[1.0, 3.0]).unwrap();
        assert!((w.as_slice()[0] - 0.25).abs() < 1e-16);
        assert!((w.as_slice()[1] - 0.75).abs() < 1e-16);
        assert_eq!(Weights::uniform(4).unwrap().as_slice(), &[0.25; 4]);
    }
}
