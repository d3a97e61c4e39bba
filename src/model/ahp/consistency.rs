//! Random index tables and the consistency report (lambda_max, CI, CR).

use core::fmt;

use crate::error::{AhpError, ArgumentError, Error, Parameter, Result};
use crate::numeric::DEFAULT_CR_THRESHOLD;

/// Saaty (1980), n = 1..=15. The table of Chinese textbooks and SPSSAU.
const SAATY_1980: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/// Alonso & Lamata (2006), Table 1, n = 1..=15 (100 000 random matrices per size).
const ALONSO_LAMATA_2006: [f64; 15] = [
    0.0, 0.0, 0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365,
    1.5551, 1.5713, 1.5838,
];

include!("ri_tables.rs");

/// Which random index (RI) table turns CI into CR = CI / RI(n).
///
/// The RI of size `n` is the mean consistency index of random reciprocal matrices on Saaty's
/// scale. Tables differ in the number of simulated matrices and the sampling; for n <= 2 every
/// table gives 0 (such matrices are always consistent) and CR is defined as 0.
///
/// # References
///
/// - `Saaty1980`: T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980, n <= 15.
///   The default; used by Chinese textbooks (层次分析法 RI 表) and SPSSAU.
/// - `AlonsoLamata2006`: J. A. Alonso, M. T. Lamata, "Consistency in the analytic hierarchy
///   process: a new approach", *Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems*
///   14(4), 445–459, 2006, Table 1, n <= 15.
/// - `DoneganDodd1991`: H. A. Donegan, F. J. Dodd, "A note on Saaty's random indexes",
///   *Mathematical and Computer Modelling* 15(10), 135–137, 1991, n <= 100. AHPy's default.
/// - `TummalaLing1998`: V. M. R. Tummala, H. Ling, "A note on the computation of the mean random
///   consistency index of the analytic hierarchy process (AHP)", *Theory and Decision* 44,
///   221–230, 1998, n <= 15. pymcdm's table.
/// - `Saaty2005`: T. L. Saaty, *Theory and Applications of the Analytic Network Process*, RWS
///   Publications, 2005, p. 31, n <= 15. AHPy's `random_index='saaty'`.
///
/// The Saaty 1980 values for n = 11..=15 (1.51, 1.48, 1.56, 1.57, 1.59) are the ones printed in
/// the book; some textbooks print 1.52, 1.54, 1.56, 1.58, 1.59 there instead (the 2005
/// values). Pass such a table with [`RandomIndex::custom`] if a source requires it.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
#[doc(alias = "RI")]
pub enum RandomIndex {
    /// Saaty (1980), n <= 15 (the default).
    #[default]
    Saaty1980,
    /// Alonso & Lamata (2006), n <= 15.
    AlonsoLamata2006,
    /// Donegan & Dodd (1991), n <= 100.
    DoneganDodd1991,
    /// Tummala & Ling (1998), n <= 15.
    TummalaLing1998,
    /// Saaty (2005), n <= 15.
    Saaty2005,
    /// A user-supplied table, built with [`RandomIndex::custom`].
    Custom(CustomRandomIndex),
}

/// A validated user-supplied random index table (`values[k]` is RI for `n = k + 1`).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomRandomIndex {
    values: Vec<f64>,
}

impl CustomRandomIndex {
    /// The table, `values[k]` being RI for `n = k + 1`.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

/// The identity of a random index table, as recorded in a [`ConsistencyReport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RandomIndexKind {
    /// Saaty (1980).
    Saaty1980,
    /// Alonso & Lamata (2006).
    AlonsoLamata2006,
    /// Donegan & Dodd (1991).
    DoneganDodd1991,
    /// Tummala & Ling (1998).
    TummalaLing1998,
    /// Saaty (2005).
    Saaty2005,
    /// A user-supplied table.
    Custom,
}

impl RandomIndexKind {
    /// Short name of the table, as used in error messages and model files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Saaty1980 => "saaty1980",
            Self::AlonsoLamata2006 => "alonso_lamata2006",
            Self::DoneganDodd1991 => "donegan_dodd1991",
            Self::TummalaLing1998 => "tummala_ling1998",
            Self::Saaty2005 => "saaty2005",
            Self::Custom => "custom",
        }
    }
}

impl fmt::Display for RandomIndexKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The built-in tables, in the order the hint of [`random_index_hint`] lists them.
const BUILT_IN: [RandomIndex; 5] = [
    RandomIndex::Saaty1980,
    RandomIndex::AlonsoLamata2006,
    RandomIndex::DoneganDodd1991,
    RandomIndex::TummalaLing1998,
    RandomIndex::Saaty2005,
];

/// The second half of the message of [`AhpError::RandomIndexOutOfRange`]: the built-in tables
/// that cover `n`, and how to pass a custom one.
pub(crate) fn random_index_hint(n: &usize) -> String {
    let covering: Vec<String> = BUILT_IN
        .iter()
        .filter(|t| t.max_n() >= *n)
        .map(|t| format!("{} (n <= {})", t.kind(), t.max_n()))
        .collect();
    let custom = "pass a custom table with RandomIndex::custom (`\"random_index\": {\"custom\": \
                  [...]}` in a model file), values[k] being RI for n = k + 1";
    if covering.is_empty() {
        format!("no built-in table covers n = {n}; {custom}")
    } else {
        format!(
            "tables covering n = {n}: {}; or {custom}",
            covering.join(", ")
        )
    }
}

impl RandomIndex {
    /// A user-supplied table: `values[k]` is RI for `n = k + 1`.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] for an empty table;
    /// - [`AhpError::InvalidRandomIndex`] when an entry for `n <= 2` is not 0 or an entry for
    ///   `n >= 3` is not finite and `> 0`.
    pub fn custom(values: Vec<f64>) -> Result<Self> {
        if values.is_empty() {
            return Err(ArgumentError::Empty {
                what: "random index table",
            }
            .into());
        }
        for (k, &value) in values.iter().enumerate() {
            let n = k + 1;
            let ok = if n <= 2 {
                value == 0.0
            } else {
                value.is_finite() && value > 0.0
            };
            if !ok {
                return Err(AhpError::InvalidRandomIndex { n, value }.into());
            }
        }
        Ok(Self::Custom(CustomRandomIndex { values }))
    }

    /// The identity of the table.
    pub fn kind(&self) -> RandomIndexKind {
        match self {
            Self::Saaty1980 => RandomIndexKind::Saaty1980,
            Self::AlonsoLamata2006 => RandomIndexKind::AlonsoLamata2006,
            Self::DoneganDodd1991 => RandomIndexKind::DoneganDodd1991,
            Self::TummalaLing1998 => RandomIndexKind::TummalaLing1998,
            Self::Saaty2005 => RandomIndexKind::Saaty2005,
            Self::Custom(_) => RandomIndexKind::Custom,
        }
    }

    /// The table's values, `values[k]` being RI for `n = k + 1`.
    pub fn values(&self) -> &[f64] {
        match self {
            Self::Saaty1980 => &SAATY_1980,
            Self::AlonsoLamata2006 => &ALONSO_LAMATA_2006,
            Self::DoneganDodd1991 => &DONEGAN_DODD_1991,
            Self::TummalaLing1998 => &TUMMALA_LING_1998,
            Self::Saaty2005 => &SAATY_2005,
            Self::Custom(c) => &c.values,
        }
    }

    /// Largest `n` the table covers.
    pub fn max_n(&self) -> usize {
        self.values().len()
    }

    /// RI for a matrix of size `n` (0 for `n <= 2`).
    ///
    /// # Errors
    ///
    /// [`AhpError::RandomIndexOutOfRange`] when `n` exceeds [`max_n`](Self::max_n),
    /// naming the table and its maximum.
    pub fn get(&self, n: usize) -> Result<f64> {
        if n <= 2 {
            return Ok(0.0);
        }
        self.values()
            .get(n - 1)
            .copied()
            .ok_or(Error::Ahp(AhpError::RandomIndexOutOfRange {
                table: self.kind(),
                max_n: self.max_n(),
                n,
            }))
    }
}

/// The consistency of a pairwise matrix under one priority vector.
///
/// ```text
/// CI = (lambda_max - n) / (n - 1)      consistency index
/// CR = CI / RI(n)                      consistency ratio
/// ```
///
/// with `lambda_max` the principal eigenvalue (eigenvector method) or the mean of
/// `(A w)_i / w_i` (other methods), `RI(n)` from the chosen [`RandomIndex`] table. For `n <= 2`
/// every reciprocal matrix is consistent: `CI = CR = 0` by definition.
///
/// `lambda_max >= n` holds for every positive reciprocal matrix, so `CI` and `CR` are never
/// negative. The computed value is reported as `n` exactly (so `CI = CR = 0`) when it is
/// within `1e-12 * n` of `n` (rounding: a consistent matrix reports 0, not -4e-16), or below
/// `n` by no more than the matrix's own departure from reciprocity allows (a matrix read with
/// [`PairwiseMatrix::from_rows`](crate::PairwiseMatrix::from_rows) may have `a_ij a_ji = 1 -
/// d`, and then `lambda_max >= (1 - d) n`). A value further below `n` cannot come from such a
/// matrix and is an error
/// ([`NumericError::NumericalRange`](crate::NumericError::NumericalRange)), never a report.
///
/// An inconsistent matrix is a result, not an error: read [`cr`](Self::cr) or call
/// [`is_acceptable`](Self::is_acceptable), or turn it into an error with
/// [`ensure_consistent`](Self::ensure_consistent).
///
/// Deserialising a report checks that it is one this crate could have produced: `n >= 1`,
/// finite values, `lambda_max >= n`, `CI = (lambda_max - n) / (n - 1)` and `CR = CI / RI` (both 0 for n <= 2)
/// within a relative 1e-9.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawConsistencyReport"))]
#[doc(alias = "CR")]
#[doc(alias = "CI")]
pub struct ConsistencyReport {
    n: usize,
    lambda_max: f64,
    ci: f64,
    cr: f64,
    ri: f64,
    ri_table: RandomIndexKind,
}

/// Unchecked mirror of [`ConsistencyReport`] for deserialisation.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsistencyReport {
    n: usize,
    lambda_max: f64,
    ci: f64,
    cr: f64,
    ri: f64,
    ri_table: RandomIndexKind,
}

#[cfg(feature = "serde")]
impl TryFrom<RawConsistencyReport> for ConsistencyReport {
    type Error = String;
    fn try_from(r: RawConsistencyReport) -> core::result::Result<Self, String> {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300);
        if r.n == 0 {
            return Err("consistency report: n must be >= 1".into());
        }
        if ![r.lambda_max, r.ci, r.cr, r.ri]
            .iter()
            .all(|x| x.is_finite())
        {
            return Err("consistency report: values must be finite".into());
        }
        if !(r.lambda_max >= r.n as f64) {
            return Err(format!(
                "consistency report: lambda_max {} is below n = {} (impossible for a positive \
                 reciprocal matrix)",
                r.lambda_max, r.n
            ));
        }
        let (ci, cr) = if r.n <= 2 {
            (0.0, 0.0)
        } else {
            let ci = (r.lambda_max - r.n as f64) / (r.n as f64 - 1.0);
            (ci, if r.ri > 0.0 { ci / r.ri } else { f64::NAN })
        };
        if !(close(r.ci, ci) && close(r.cr, cr)) {
            return Err(format!(
                "consistency report: CI {} and CR {} do not follow from lambda_max {} (n = {}, RI {})",
                r.ci, r.cr, r.lambda_max, r.n, r.ri
            ));
        }
        Ok(Self {
            n: r.n,
            lambda_max: r.lambda_max,
            ci: r.ci,
            cr: r.cr,
            ri: r.ri,
            ri_table: r.ri_table,
        })
    }
}

impl ConsistencyReport {
    /// Builds the report for size `n` and principal eigenvalue (estimate) `lambda_max`.
    pub(crate) fn new(n: usize, lambda_max: f64, table: &RandomIndex) -> Result<Self> {
        let ri = table.get(n)?;
        let (ci, cr) = if n <= 2 {
            (0.0, 0.0)
        } else {
            let ci = (lambda_max - n as f64) / (n as f64 - 1.0);
            (ci, ci / ri)
        };
        Ok(Self {
            n,
            lambda_max,
            ci,
            cr,
            ri,
            ri_table: table.kind(),
        })
    }

    /// Matrix size.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Principal eigenvalue, or its estimate `mean((A w)_i / w_i)` for non-eigenvector methods.
    pub fn lambda_max(&self) -> f64 {
        self.lambda_max
    }

    /// Consistency index `CI = (lambda_max - n) / (n - 1)` (0 for n <= 2).
    #[doc(alias = "CI")]
    pub fn ci(&self) -> f64 {
        self.ci
    }

    /// Consistency ratio `CR = CI / RI(n)` (0 for n <= 2).
    #[doc(alias = "CR")]
    pub fn cr(&self) -> f64 {
        self.cr
    }

    /// The random index `RI(n)` used.
    #[doc(alias = "RI")]
    pub fn ri(&self) -> f64 {
        self.ri
    }

    /// The random index table used.
    pub fn ri_table(&self) -> RandomIndexKind {
        self.ri_table
    }

    /// `true` when `CR < threshold` (strict).
    pub fn is_acceptable(&self, threshold: f64) -> bool {
        self.cr < threshold
    }

    /// `true` when `CR < 0.10` ([`DEFAULT_CR_THRESHOLD`]).
    pub fn is_acceptable_default(&self) -> bool {
        self.is_acceptable(DEFAULT_CR_THRESHOLD)
    }

    /// `Ok(())` when `CR < threshold`.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::InvalidParameter`] when `threshold` is NaN or `<= 0`;
    /// - [`AhpError::Inconsistent`] when `CR >= threshold`.
    pub fn ensure_consistent(&self, threshold: f64) -> Result<()> {
        if !(threshold > 0.0) {
            return Err(ArgumentError::InvalidParameter {
                name: Parameter::Threshold,
                value: threshold,
            }
            .into());
        }
        if self.is_acceptable(threshold) {
            Ok(())
        } else {
            Err(AhpError::Inconsistent {
                cr: self.cr,
                threshold,
            }
            .into())
        }
    }
}

impl fmt::Display for ConsistencyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "n = {}, lambda_max = {:.4}, CI = {:.4}, RI = {:.4} ({}), CR = {:.4} ({})",
            self.n,
            self.lambda_max,
            self.ci,
            self.ri,
            self.ri_table,
            self.cr,
            if self.is_acceptable_default() {
                "acceptable"
            } else {
                "not acceptable"
            }
        )
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use super::RandomIndex;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Raw {
        Saaty1980,
        AlonsoLamata2006,
        DoneganDodd1991,
        TummalaLing1998,
        Saaty2005,
        Custom(Vec<f64>),
    }

    impl Serialize for RandomIndex {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Self::Saaty1980 => Raw::Saaty1980,
                Self::AlonsoLamata2006 => Raw::AlonsoLamata2006,
                Self::DoneganDodd1991 => Raw::DoneganDodd1991,
                Self::TummalaLing1998 => Raw::TummalaLing1998,
                Self::Saaty2005 => Raw::Saaty2005,
                Self::Custom(c) => Raw::Custom(c.values.clone()),
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for RandomIndex {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Ok(match Raw::deserialize(d)? {
                Raw::Saaty1980 => Self::Saaty1980,
                Raw::AlonsoLamata2006 => Self::AlonsoLamata2006,
                Raw::DoneganDodd1991 => Self::DoneganDodd1991,
                Raw::TummalaLing1998 => Self::TummalaLing1998,
                Raw::Saaty2005 => Self::Saaty2005,
                Raw::Custom(v) => Self::custom(v).map_err(serde::de::Error::custom)?,
            })
        }
    }
}

#[cfg(test)]
// exact comparisons below are on values the code assigns (0, 1, copies), not computes
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn tables_cover_their_documented_range() {
        assert_eq!(RandomIndex::Saaty1980.max_n(), 15);
        assert_eq!(RandomIndex::AlonsoLamata2006.max_n(), 15);
        assert_eq!(RandomIndex::DoneganDodd1991.max_n(), 100);
        assert_eq!(RandomIndex::TummalaLing1998.max_n(), 15);
        for t in [
            RandomIndex::Saaty1980,
            RandomIndex::AlonsoLamata2006,
            RandomIndex::DoneganDodd1991,
            RandomIndex::TummalaLing1998,
            RandomIndex::Saaty2005,
        ] {
            // every built-in table passes the custom-table validation
            assert!(
                RandomIndex::custom(t.values().to_vec()).is_ok(),
                "{:?}",
                t.kind()
            );
            assert_eq!(t.get(1).unwrap(), 0.0);
            assert_eq!(t.get(2).unwrap(), 0.0);
        }
    }

    #[test]
    fn out_of_range_message_names_covering_tables() {
        let e = RandomIndex::Saaty1980.get(16).unwrap_err().to_string();
        assert!(
            e.starts_with("random index table saaty1980 covers n <= 15, got n = 16; tables covering n = 16: donegan_dodd1991 (n <= 100); or pass a custom table with RandomIndex::custom"),
            "{e}"
        );
        let e = RandomIndex::DoneganDodd1991
            .get(101)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no built-in table covers n = 101; pass a custom table"),
            "{e}"
        );
    }

    #[test]
    fn out_of_range_names_table() {
        assert_eq!(
            RandomIndex::Saaty1980.get(16),
            Err(Error::Ahp(AhpError::RandomIndexOutOfRange {
                table: RandomIndexKind::Saaty1980,
                max_n: 15,
                n: 16
            }))
        );
        assert!(RandomIndex::DoneganDodd1991.get(100).is_ok());
        assert!(RandomIndex::DoneganDodd1991.get(101).is_err());
    }

    #[test]
    fn custom_validation() {
        assert!(RandomIndex::custom(vec![0.0, 0.0, 0.5]).is_ok());
        assert!(matches!(
            RandomIndex::custom(vec![0.0, 0.0, f64::NAN]),
            Err(Error::Ahp(AhpError::InvalidRandomIndex { n: 3, value })) if value.is_nan()
        ));
        assert!(matches!(
            RandomIndex::custom(vec![]),
            Err(Error::Argument(ArgumentError::Empty { .. }))
        ));
        assert!(matches!(
            RandomIndex::custom(vec![0.0, 0.1]),
            Err(Error::Ahp(AhpError::InvalidRandomIndex { n: 2, .. }))
        ));
        assert!(matches!(
            RandomIndex::custom(vec![0.0, 0.0, 0.0]),
            Err(Error::Ahp(AhpError::InvalidRandomIndex { n: 3, .. }))
        ));
    }

    #[test]
    fn report_definitions() {
        let r = ConsistencyReport::new(3, 3.0536, &RandomIndex::Saaty1980).unwrap();
        assert!((r.ci() - 0.0268).abs() < 1e-12);
        assert!((r.cr() - 0.0268 / 0.58).abs() < 1e-12);
        assert!(r.is_acceptable(0.10));
        assert!(!r.is_acceptable(r.cr()));
        assert!(r.ensure_consistent(0.01).is_err());
        let two = ConsistencyReport::new(2, 2.0000000000000004, &RandomIndex::Saaty1980).unwrap();
        assert_eq!((two.ci(), two.cr()), (0.0, 0.0));
    }
}
