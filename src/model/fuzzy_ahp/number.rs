//! Triangular fuzzy numbers.

use core::fmt;

use crate::error::{AhpError, Error, Result};

/// A positive triangular fuzzy number `(l, m, u)`: `0 < l <= m <= u`, all finite.
///
/// Its membership function rises linearly from 0 at `l` to 1 at `m` and falls to 0 at `u`.
/// Arithmetic follows the usual approximations for positive triangular numbers:
///
/// ```text
/// (l1, m1, u1) ⊗ (l2, m2, u2) = (l1 l2, m1 m2, u1 u2)
/// (l, m, u)^-1               = (1/u, 1/m, 1/l)
/// (l, m, u)^(1/k)            = (l^(1/k), m^(1/k), u^(1/k))
/// centroid                   = (l + m + u) / 3
/// ```
///
/// # Examples
///
/// ```
/// use service_quality::TriangularFuzzyNumber;
///
/// let x = TriangularFuzzyNumber::new(2.0, 3.0, 4.0)?;
/// let r = x.reciprocal();
/// assert!((r.l() - 0.25).abs() < 1e-15 && (r.u() - 0.5).abs() < 1e-15);
/// assert!((x.centroid() - 3.0).abs() < 1e-15);
/// assert!(TriangularFuzzyNumber::new(3.0, 2.0, 4.0).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - L. A. Zadeh, "Fuzzy sets", *Information and Control* 8, 338–353, 1965.
/// - J. J. Buckley, "Fuzzy hierarchical analysis", *Fuzzy Sets and Systems* 17, 233–247, 1985.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "[f64; 3]", into = "[f64; 3]"))]
#[doc(alias = "TFN")]
pub struct TriangularFuzzyNumber {
    l: f64,
    m: f64,
    u: f64,
}

impl TriangularFuzzyNumber {
    /// The crisp one `(1, 1, 1)` (equal importance).
    pub const ONE: Self = Self {
        l: 1.0,
        m: 1.0,
        u: 1.0,
    };

    /// Checks and wraps `(l, m, u)`.
    ///
    /// # Errors
    ///
    /// [`AhpError::InvalidFuzzyNumber`] unless `0 < l <= m <= u` with all three finite and the
    /// reciprocal `(1/u, 1/m, 1/l)` finite too.
    pub fn new(l: f64, m: f64, u: f64) -> Result<Self> {
        let ok = l > 0.0
            && l <= m
            && m <= u
            && u.is_finite()
            && (1.0 / l).is_finite()
            && (1.0 / u) > 0.0;
        if ok {
            Ok(Self { l, m, u })
        } else {
            Err(AhpError::InvalidFuzzyNumber { l, m, u }.into())
        }
    }

    /// The crisp number `x` as `(x, x, x)`.
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new).
    pub fn crisp(x: f64) -> Result<Self> {
        Self::new(x, x, x)
    }

    /// Lower bound `l`.
    pub fn l(&self) -> f64 {
        self.l
    }

    /// Modal value `m` (membership 1).
    pub fn m(&self) -> f64 {
        self.m
    }

    /// Upper bound `u`.
    pub fn u(&self) -> f64 {
        self.u
    }

    /// The reciprocal `(1/u, 1/m, 1/l)`.
    pub fn reciprocal(&self) -> Self {
        Self {
            l: 1.0 / self.u,
            m: 1.0 / self.m,
            u: 1.0 / self.l,
        }
    }

    /// Centre of gravity of the triangle, `(l + m + u) / 3`.
    pub fn centroid(&self) -> f64 {
        let c = (self.l + self.m + self.u) / 3.0;
        if c.is_finite() {
            c
        } else {
            // the sum overflowed (values near f64::MAX); the thirds cannot
            self.l / 3.0 + self.m / 3.0 + self.u / 3.0
        }
    }

    /// `(l, m, u)` as an array.
    pub fn to_array(&self) -> [f64; 3] {
        [self.l, self.m, self.u]
    }
}

impl TryFrom<[f64; 3]> for TriangularFuzzyNumber {
    type Error = Error;
    fn try_from([l, m, u]: [f64; 3]) -> Result<Self> {
        Self::new(l, m, u)
    }
}

impl From<TriangularFuzzyNumber> for [f64; 3] {
    fn from(x: TriangularFuzzyNumber) -> Self {
        x.to_array()
    }
}

impl fmt::Display for TriangularFuzzyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {}, {})", self.l, self.m, self.u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_invalid() {
        for (l, m, u) in [
            (0.0, 1.0, 2.0),
            (-1.0, 1.0, 2.0),
            (1.0, 3.0, 2.0),
            (f64::NAN, 1.0, 1.0),
            (1.0, 1.0, f64::INFINITY),
            (1e-320, 1.0, 1.0),
        ] {
            assert!(matches!(
                TriangularFuzzyNumber::new(l, m, u),
                Err(Error::Ahp(AhpError::InvalidFuzzyNumber { .. }))
            ));
        }
    }
}
