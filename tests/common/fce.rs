//! Tolerances and checks shared by the fuzzy-evaluation tests (included with `#[path]`).
#![allow(dead_code)]

/// Tolerance for values that a closed form gives exactly (a few roundings of sums of products).
pub const CLOSED_FORM_TOL: f64 = 1e-12;

/// Tolerance for sums that must be 1 (normalised vectors, `M(·,+)` with stochastic inputs).
pub const SUM_TOL: f64 = 1e-12;

/// `|a - b| <= tol`, with a message naming what was compared.
#[track_caller]
pub fn assert_close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tolerance {tol:e})"
    );
}

/// Element-wise [`assert_close`] of two vectors of equal length.
#[track_caller]
pub fn assert_all_close(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths differ");
    for (j, (g, w)) in got.iter().zip(want).enumerate() {
        assert_close(&format!("{what}[{j}]"), *g, *w, tol);
    }
}

/// `got` reproduces `printed`, a value printed with `decimals` digits after the point: it lies
/// within half a unit of the last printed digit (plus rounding noise of the computation).
#[track_caller]
pub fn assert_printed(what: &str, got: &[f64], printed: &[f64], decimals: i32) {
    let half_unit = 0.5 * 10f64.powi(-decimals) + CLOSED_FORM_TOL;
    assert_all_close(what, got, printed, half_unit);
}

/// Every value is finite (no NaN, no infinity).
#[track_caller]
pub fn assert_finite(what: &str, values: &[f64]) {
    assert!(
        values.iter().all(|v| v.is_finite()),
        "{what}: non-finite value in {values:?}"
    );
}
