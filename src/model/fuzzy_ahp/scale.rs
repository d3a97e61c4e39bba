//! The fuzzy version of Saaty's 1–9 scale.

use crate::error::{AhpError, Error, Result};
use crate::fuzzy_ahp::TriangularFuzzyNumber;

/// The triangular fuzzy number for a Saaty judgement `value`: an integer `k` in 1..=9 or its
/// reciprocal `1/k`.
///
/// ```text
/// 1        -> (1, 1, 1)                  equal importance
/// k = 2..8 -> (k - 1, k, k + 1)
/// 9        -> (8, 9, 9)                  the scale ends at 9
/// 1/k      -> (1/u, 1/m, 1/l) of k's triangle
/// ```
///
/// This is the most common fuzzification of the scale in the fuzzy AHP literature (for example
/// the tables used with Buckley's method in Kahraman, Cebeci & Ulukan 2003 use spreads of 1).
/// Reciprocals are recognised within a relative `1e-9`, so `1.0 / 3.0` maps to the reciprocal
/// of 3.
///
/// # Errors
///
/// [`AhpError::NotOnFuzzyScale`] for anything else (2.5, 10, 0, NaN, ...).
///
/// # Examples
///
/// ```
/// use service_quality::fuzzy_ahp::fuzzy_saaty;
///
/// let three = fuzzy_saaty(3.0)?;
/// assert_eq!(three.to_array(), [2.0, 3.0, 4.0]);
/// let third = fuzzy_saaty(1.0 / 3.0)?;
/// assert!((third.u() - 0.5).abs() < 1e-15);
/// assert!(fuzzy_saaty(2.5).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - C. Kahraman, U. Cebeci, Z. Ulukan, "Multi-criteria supplier selection using fuzzy AHP",
///   *Logistics Information Management* 16(6), 382–394, 2003.
pub fn fuzzy_saaty(value: f64) -> Result<TriangularFuzzyNumber> {
    const REL: f64 = 1e-9;
    let not_on_scale = Error::Ahp(AhpError::NotOnFuzzyScale { value });
    if !(value > 0.0 && value.is_finite()) {
        return Err(not_on_scale);
    }
    let (big, inverted) = if value >= 1.0 {
        (value, false)
    } else {
        (1.0 / value, true)
    };
    let k = big.round();
    if !((big - k).abs() <= REL * k) || !(1.0..=9.0).contains(&k) {
        return Err(not_on_scale);
    }
    let (l, m, u) = match k as u8 {
        1 => (1.0, 1.0, 1.0),
        9 => (8.0, 9.0, 9.0),
        _ => (k - 1.0, k, k + 1.0),
    };
    let t = TriangularFuzzyNumber::new(l, m, u)?;
    Ok(if inverted { t.reciprocal() } else { t })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_scale() {
        for k in 1..=9 {
            let t = fuzzy_saaty(f64::from(k)).unwrap();
            assert!(t.l() <= t.m() && t.m() <= t.u() && t.u() <= 9.0);
            let r = fuzzy_saaty(1.0 / f64::from(k)).unwrap();
            assert!((r.m() * t.m() - 1.0).abs() < 1e-15);
        }
        for bad in [0.0, 10.0, 2.5, f64::NAN, -3.0, 1.0 / 10.0] {
            assert!(fuzzy_saaty(bad).is_err(), "{bad}");
        }
    }
}
