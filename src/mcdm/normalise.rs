//! Column normalisations and column statistics shared by the methods.

use super::matrix::CriterionType;

/// Every value equal to the first (`0.0` and `-0.0` are equal).
pub(crate) fn is_constant(col: &[f64]) -> bool {
    col.iter()
        .all(|x| x.partial_cmp(&col[0]) == Some(core::cmp::Ordering::Equal))
}

/// Min-max normalisation oriented by the criterion type: `(x - min) / (max - min)` for a
/// benefit, `(max - x) / (max - min)` for a cost, so 1 is always the best value. A constant
/// column gives all ones (pymcdm `minmax_normalization`).
pub(crate) fn min_max(col: &[f64], ty: CriterionType) -> Vec<f64> {
    let (lo, hi) = bounds(col);
    if is_constant(col) {
        return vec![1.0; col.len()];
    }
    let range = hi - lo;
    col.iter()
        .map(|&x| match ty {
            CriterionType::Benefit => (x - lo) / range,
            CriterionType::Cost => (hi - x) / range,
        })
        .collect()
}

/// `(min, max)` of a non-empty column.
pub(crate) fn bounds(col: &[f64]) -> (f64, f64) {
    col.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// The Euclidean norm `sqrt(sum x^2)`, scaled by the largest magnitude so that neither tiny
/// nor large values under- or overflow. 0 for an all-zero column.
pub(crate) fn euclidean_norm(col: &[f64]) -> f64 {
    let scale = col.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if scale == 0.0 {
        return 0.0;
    }
    scale * col.iter().map(|x| (x / scale).powi(2)).sum::<f64>().sqrt()
}

/// The mean of a non-empty column.
pub(crate) fn mean(col: &[f64]) -> f64 {
    col.iter().sum::<f64>() / col.len() as f64
}

/// The sample standard deviation (divisor `m - 1`, numpy `ddof=1`); exactly 0 for a constant
/// column.
pub(crate) fn sample_sd(col: &[f64]) -> f64 {
    if is_constant(col) || col.len() < 2 {
        return 0.0;
    }
    let mu = mean(col);
    let ss: f64 = col.iter().map(|x| (x - mu).powi(2)).sum();
    (ss / (col.len() - 1) as f64).sqrt()
}

/// Pearson's correlation of two columns ([`analysis`](crate::analysis)'s); 0 when either is
/// constant (pyDecision's `nan_to_num` of the undefined value).
pub(crate) fn pearson(x: &[f64], y: &[f64]) -> f64 {
    crate::analysis::pearson(x, y).map_or(0.0, |(r, _)| r)
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms() {
        assert_eq!(
            min_max(&[1.0, 3.0, 2.0], CriterionType::Benefit),
            [0.0, 1.0, 0.5]
        );
        assert_eq!(
            min_max(&[1.0, 3.0, 2.0], CriterionType::Cost),
            [1.0, 0.0, 0.5]
        );
        assert_eq!(min_max(&[2.0, 2.0], CriterionType::Cost), [1.0, 1.0]);
        assert_eq!(min_max(&[0.0, -0.0], CriterionType::Benefit), [1.0, 1.0]);
        assert_eq!(euclidean_norm(&[3.0, 4.0]), 5.0);
        assert_eq!(euclidean_norm(&[0.0, 0.0]), 0.0);
        assert!((euclidean_norm(&[3e-300, 4e-300]) - 5e-300).abs() < 1e-310);
        assert_eq!(sample_sd(&[0.1; 3]), 0.0);
        assert!((sample_sd(&[1.0, 2.0, 3.0]) - 1.0).abs() < 1e-15);
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-15);
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0]), 0.0);
    }
}
