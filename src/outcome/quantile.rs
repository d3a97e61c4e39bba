//! The sample quantile used by quantile tiers and bootstrap intervals.

use crate::error::{ArgumentError, OutcomeError, Result};

/// The `p`-quantile of `values` by linear interpolation between order statistics: numpy's
/// default (`method="linear"`), Hyndman and Fan's definition 7, R's `type = 7`.
///
/// ```text
/// x_(1) <= ... <= x_(n)  the sorted values     h = (n - 1) p
/// Q(p) = x_(floor h + 1) + (h - floor h) (x_(floor h + 2) - x_(floor h + 1))
/// ```
///
/// `values` is reordered (partially sorted) in place; it runs in linear time.
///
/// # Errors
///
/// [`ArgumentError::Empty`] for no values, [`OutcomeError::InvalidParameter`] for `p`
/// outside `[0, 1]` or NaN, [`OutcomeError::InvalidValue`] for a NaN value.
///
/// # Examples
///
/// ```
/// use service_quality::outcome::quantile;
///
/// let mut scores = [70.0, 90.0, 80.0, 60.0];
/// assert!((quantile(&mut scores, 0.9)? - 87.0).abs() < 1e-12); // numpy.quantile: 87.0
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// R. J. Hyndman, Y. Fan, "Sample quantiles in statistical packages", *The American
/// Statistician* 50(4), 361–365, 1996.
pub fn quantile(values: &mut [f64], p: f64) -> Result<f64> {
    if values.is_empty() {
        return Err(ArgumentError::Empty {
            what: "values of a quantile",
        }
        .into());
    }
    if !(0.0..=1.0).contains(&p) {
        return Err(OutcomeError::InvalidParameter {
            what: "quantile probability",
            range: "in [0, 1]",
            value: p,
        }
        .into());
    }
    if let Some(i) = values.iter().position(|v| v.is_nan()) {
        return Err(OutcomeError::InvalidValue {
            what: "value",
            merchant: i.to_string(),
            range: "not NaN",
            value: f64::NAN,
        }
        .into());
    }
    Ok(quantile_unchecked(values, p))
}

/// [`quantile`] for a non-empty slice and `p` in `[0, 1]`.
pub(crate) fn quantile_unchecked(values: &mut [f64], p: f64) -> f64 {
    let n = values.len();
    let h = (n - 1) as f64 * p;
    let lo = (h.floor() as usize).min(n - 1);
    let (_, &mut below, above) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let frac = h - lo as f64;
    if frac == 0.0 || above.is_empty() {
        return below;
    }
    let next = above
        .iter()
        .copied()
        .min_by(f64::total_cmp)
        .unwrap_or(below);
    below + frac * (next - below)
}
