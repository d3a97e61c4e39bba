//! Shared fixtures and tolerances for the integration tests.
#![allow(dead_code)]

pub mod ahp_reference;
pub mod strategies;

/// Agreement required with LAPACK (numpy.linalg.eig) for eigenvector weights and lambda_max.
pub const LAPACK_ABS_TOL: f64 = 1e-10;
/// Agreement required with closed forms and with numpy's direct formulas (RGMM, AN).
pub const CLOSED_FORM_TOL: f64 = 1e-12;

/// Rounds half away from zero to `digits` decimals, as printed tables do.
pub fn round_to(x: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    (x * p).round() / p
}

/// Asserts `|a - b| <= tol` element-wise, naming the first index that fails.
pub fn assert_all_close(actual: &[f64], expected: &[f64], tol: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= tol,
            "{what}[{i}]: got {a}, expected {e} (|diff| = {:e} > {tol:e})",
            (a - e).abs()
        );
    }
}

/// Asserts that `actual` rounded to `digits` decimals equals the printed values.
pub fn assert_printed(actual: &[f64], printed: &[f64], digits: i32, what: &str) {
    assert_eq!(actual.len(), printed.len(), "{what}: length");
    for (i, (a, p)) in actual.iter().zip(printed).enumerate() {
        let r = round_to(*a, digits);
        assert!(
            (r - p).abs() < 0.5 * 10f64.powi(-digits - 1),
            "{what}[{i}]: {a} rounds to {r}, printed {p}"
        );
    }
}
