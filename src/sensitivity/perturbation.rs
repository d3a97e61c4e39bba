//! Named models of the noise put on expert judgements.

use core::fmt;

use rand::Rng;
use rand_distr::StandardNormal;

use crate::error::{Result, SensitivityError};

/// How each expert judgement `a_ij` (above the diagonal; the lower triangle stays reciprocal)
/// is perturbed in a Monte Carlo draw.
///
/// | model | perturbed judgement |
/// |---|---|
/// | [`SaatyStep`](Self::SaatyStep) | one step down, none, or one step up, with probability 1/3 each, on the 17-point scale `1/9, 1/8, ..., 1/2, 1, 2, ..., 9`; a step off either end leaves the judgement where it is |
/// | [`LogNormal`](Self::LogNormal) | `a_ij * exp(sigma * z)`, `z` standard normal: multiplicative noise, symmetric on the log scale, not bounded to 1/9..9 |
/// | [`Unperturbed`](Self::Unperturbed) | `a_ij` itself: a control run, every draw recomputes the base weights |
///
/// [`SaatyStep`](Self::SaatyStep) needs every judgement on the scale (an aggregated or
/// repaired matrix is not; use [`LogNormal`](Self::LogNormal) there).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Perturbation {
    /// ±1 step on Saaty's scale, each direction with probability 1/3.
    SaatyStep,
    /// Log-normal multiplicative noise of the given `sigma` (of the natural log).
    LogNormal {
        /// Standard deviation of `ln a_ij`'s noise; finite and `> 0`.
        sigma: f64,
    },
    /// No noise.
    Unperturbed,
}

impl fmt::Display for Perturbation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SaatyStep => f.write_str("±1 Saaty scale step"),
            Self::LogNormal { sigma } => write!(f, "log-normal noise, sigma = {sigma}"),
            Self::Unperturbed => f.write_str("unperturbed"),
        }
    }
}

/// Saaty's scale as positions: `SCALE[8] = 1`, `SCALE[8 + k] = k + 1`, `SCALE[8 - k] = 1 / (k + 1)`.
const SCALE_LEN: usize = 17;

fn scale_value(pos: usize) -> f64 {
    if pos >= 8 {
        (pos - 7) as f64
    } else {
        1.0 / (9 - pos) as f64
    }
}

/// The position of `value` on the scale (within a relative 1e-9), if it is on it.
pub(crate) fn scale_position(value: f64) -> Option<usize> {
    if !(value > 0.0 && value.is_finite()) {
        return None;
    }
    let (big, inverted) = if value >= 1.0 {
        (value, false)
    } else {
        (1.0 / value, true)
    };
    let k = big.round();
    if !((big - k).abs() <= 1e-9 * k) || !(1.0..=9.0).contains(&k) {
        return None;
    }
    let k = k as usize;
    Some(if inverted { 9 - k } else { 7 + k })
}

impl Perturbation {
    /// Checks the model's parameter.
    ///
    /// # Errors
    ///
    /// [`SensitivityError::InvalidSigma`] for a `sigma` that is not finite and `> 0`.
    pub(crate) fn check(&self) -> Result<()> {
        if let Self::LogNormal { sigma } = *self {
            if !(sigma > 0.0 && sigma.is_finite()) {
                return Err(SensitivityError::InvalidSigma { sigma }.into());
            }
        }
        Ok(())
    }

    /// The perturbed value of one judgement; `pos` is its scale position (needed by
    /// [`SaatyStep`](Self::SaatyStep), checked beforehand).
    pub(crate) fn apply<R: Rng>(&self, value: f64, pos: Option<usize>, rng: &mut R) -> f64 {
        match *self {
            Self::SaatyStep => {
                let p = pos.unwrap_or(8);
                let moved = match rng.random_range(0..3u32) {
                    0 => p.checked_sub(1).unwrap_or(p),
                    1 => p,
                    _ => (p + 1).min(SCALE_LEN - 1),
                };
                scale_value(moved)
            }
            Self::LogNormal { sigma } => {
                let z: f64 = rng.sample(StandardNormal);
                value * (sigma * z).exp()
            }
            Self::Unperturbed => value,
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn scale_positions_round_trip() {
        for pos in 0..SCALE_LEN {
            assert_eq!(scale_position(scale_value(pos)), Some(pos));
        }
        assert_eq!(scale_value(8), 1.0);
        assert_eq!(scale_value(16), 9.0);
        assert_eq!(scale_value(0), 1.0 / 9.0);
        for bad in [2.5, 10.0, 0.0, f64::NAN, 1.0 / 10.0] {
            assert_eq!(scale_position(bad), None, "{bad}");
        }
    }
}
