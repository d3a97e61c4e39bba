//! The assertions the integration tests share: one signature shape,
//! `(got, want, tolerance, what)`, for every closeness check.
//!
//! * [`assert_close`] / [`assert_all_close`]: absolute, `|got - want| <= tol`.
//! * [`assert_close_rel`] / [`assert_all_close_rel`]: relative to the larger magnitude and
//!   absolute below 1, `|got - want| <= tol * max(1, |got|, |want|)`.
//! * [`assert_printed`]: `got` rounds to the value a source printed with `decimals` digits;
//! * [`assert_printed_from_rounded`]: `got`, computed from rounded printed inputs, is within one
//!   unit of the last printed digit.

use super::tol::GIVEN_WEIGHTS_SUM;

/// `|got - want| <= tol`, with a message naming what was compared. NaN never passes.
#[track_caller]
pub fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (|diff| = {:e} > {tol:e})",
        (got - want).abs()
    );
}

/// `|got - want| <= tol * max(1, |got|, |want|)`: relative for magnitudes above 1, absolute
/// below. NaN never passes.
#[track_caller]
pub fn assert_close_rel(got: f64, want: f64, tol: f64, what: &str) {
    let scale = 1.0f64.max(got.abs()).max(want.abs());
    assert!(
        (got - want).abs() <= tol * scale,
        "{what}: got {got}, want {want} (|diff| = {:e} > {tol:e} * {scale})",
        (got - want).abs()
    );
}

/// [`assert_close_rel`] on two optional values (an undefined statistic is `None`): both
/// `None`, or both close.
#[track_caller]
pub fn assert_close_rel_opt(got: Option<f64>, want: Option<f64>, tol: f64, what: &str) {
    match (got, want) {
        (Some(g), Some(w)) => assert_close_rel(g, w, tol, what),
        (None, None) => {}
        _ => panic!("{what}: got {got:?}, want {want:?}"),
    }
}

/// [`assert_close`] element by element; the lengths must match.
#[track_caller]
pub fn assert_all_close(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths differ");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert_close(*g, *w, tol, &format!("{what}[{k}]"));
    }
}

/// [`assert_close_rel`] element by element; the lengths must match.
#[track_caller]
pub fn assert_all_close_rel(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths differ");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert_close_rel(*g, *w, tol, &format!("{what}[{k}]"));
    }
}

/// Rounds half away from zero to `decimals` decimals, as printed tables do.
pub fn round_to(x: f64, decimals: i32) -> f64 {
    let p = 10f64.powi(decimals);
    (x * p).round() / p
}

/// Each value of `got`, rounded half away from zero to `decimals` decimals, is the value a
/// source printed (compared to a tenth of the last printed digit, which absorbs the binary
/// representation of the printed decimal).
#[track_caller]
pub fn assert_printed(got: &[f64], printed: &[f64], decimals: i32, what: &str) {
    assert_eq!(got.len(), printed.len(), "{what}: lengths differ");
    for (k, (g, p)) in got.iter().zip(printed).enumerate() {
        let r = round_to(*g, decimals);
        assert!(
            (r - p).abs() < 0.5 * 10f64.powi(-decimals - 1),
            "{what}[{k}]: {g} rounds to {r}, printed {p}"
        );
    }
}

/// Each value of `got`, computed from inputs a source printed rounded to `decimals` digits
/// (a convex combination of them), is within one unit of the last digit of the value the source
/// printed from its unrounded inputs: half a unit from the inputs' rounding, half from the
/// output's (and a tenth of a unit for the binary representation of the printed decimal).
#[track_caller]
pub fn assert_printed_from_rounded(got: &[f64], printed: &[f64], decimals: i32, what: &str) {
    assert_eq!(got.len(), printed.len(), "{what}: lengths differ");
    let unit = 10f64.powi(-decimals);
    for (k, (g, p)) in got.iter().zip(printed).enumerate() {
        assert!(
            (g - p).abs() <= 1.1 * unit,
            "{what}[{k}]: {g} is more than one unit of the last digit from the printed {p}"
        );
    }
}

/// Every value is finite (no NaN, no infinity).
#[track_caller]
pub fn assert_finite(values: &[f64], what: &str) {
    assert!(
        values.iter().all(|v| v.is_finite()),
        "{what}: non-finite value in {values:?}"
    );
}

/// A weight vector: every weight finite and `>= 0`, and the sum 1 within `tol`.
#[track_caller]
pub fn assert_weights(w: &[f64], tol: f64, what: &str) {
    assert!(
        w.iter().all(|x| x.is_finite() && *x >= 0.0),
        "{what}: weight not finite or negative in {w:?}"
    );
    assert_close(w.iter().sum(), 1.0, tol, &format!("{what}: sum"));
}

/// Weights that a library call accepted or computed: [`assert_weights`] within
/// [`GIVEN_WEIGHTS_SUM`], the tolerance the library itself accepts.
#[track_caller]
pub fn assert_accepted_weights(w: &[f64], what: &str) {
    assert_weights(w, GIVEN_WEIGHTS_SUM, what);
}

/// A value or a typed error, never a panic: an error must explain itself (non-empty message);
/// the value comes back for the caller to check its properties.
#[track_caller]
pub fn ok_or_explained<T, E: std::fmt::Display>(result: Result<T, E>, what: &str) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            assert!(
                !e.to_string().is_empty(),
                "{what}: error with an empty message"
            );
            None
        }
    }
}
