//! Statistical analysis of survey answers, dimension scores and KPIs: descriptive
//! statistics, reliability, correlation and trends over periods.
//!
//! The input is a [`Responses`] table: rows (respondents, or merchants) by variables (items,
//! indicators, dimension scores, KPI measures), each cell a finite value or `None` for a
//! missing one. [`Survey`](crate::Survey) keeps only answer counts per merchant, so the table
//! is built from the answers as read.
//!
//! | family | entry points | reference implementation it is tested against |
//! |---|---|---|
//! | descriptive | [`describe`], [`describe_graded`], [`describe_dimensions`], [`dimension_scores`], [`describe_by_merchant`], [`DescriptiveAccumulator`] | numpy, scipy.stats `skew`/`kurtosis` (both estimators) |
//! | reliability | [`Reliability::of`], [`reliability_by_dimension`] | pingouin `cronbach_alpha`, numpy |
//! | correlation | [`CorrelationMatrix::of`] | scipy.stats `pearsonr`, `spearmanr`, `kendalltau(method='asymptotic')` |
//! | trend | [`period_changes`], [`relative_changes`], [`moving_average`], [`LinearTrend`], [`MannKendall`] | scipy.stats `linregress`, pymannkendall `original_test` |
//! | validity | [`SamplingAdequacy::of`] (KMO, per-item MSA, Bartlett), [`FactorAnalysis::of`] (principal components, varimax), [`FactorAnalysis::structure`] | factor_analyzer 0.5.1 `calculate_kmo`, `calculate_bartlett_sphericity`, `FactorAnalyzer(method='principal')` |
//! | clustering | [`KMeans`], [`silhouette_by_k`], [`merchant_dimension_scores`] | scikit-learn 1.9.1 `KMeans(algorithm='lloyd')` from given centres, `StandardScaler`, `silhouette_score` |
//! | output | [`descriptive_table`], [`Reliability::table`], [`SamplingAdequacy::table`], [`CorrelationMatrix::table`], [`Clustering::table`], [`trend_table`], … ([`Labels`] names the variables) | the results' own values, cell by cell |
//!
//! Published worked examples are checked beside the implementations: Anscombe (1973) for
//! descriptive statistics, Pearson and the linear trend; Spearman's rho and the Mann–Kendall
//! test from printed examples; Kendall's tau from Hollander & Wolfe (1973); SPSS's skewness and
//! kurtosis from SAS's UNIVARIATE documentation (same estimators); KMO and Bartlett on Fisher's
//! (1936) iris data; k-means from Han, Kamber & Pei (2012) (see `tests/analysis_published.rs`
//! for the citations). Large files:
//! [`DescriptiveAccumulator`] and [`CovarianceAccumulator`] take one row at a time.
//!
//! Each type's docs give its formulas. The rules shared by all of them:
//!
//! * **Missing values** are left out, never imputed: per variable in descriptive statistics,
//!   pairwise-complete in correlations, and by the declared [`MissingPolicy`] (recorded in the
//!   result) in reliability.
//! * **Never NaN.** A statistic that is undefined for part of the input (the SD of a single
//!   answer, the skewness of a constant item, the correlation with a constant variable) is
//!   `None`. When nothing can be computed (fewer than 2 items or respondents for alpha, a total
//!   score of zero variance, fewer than 3 periods for a trend) the call returns an
//!   [`AnalysisError`](crate::AnalysisError).
//! * **p-values** come from the `statrs` distribution functions: Student's t for Pearson,
//!   Spearman and the linear trend; the standard normal for Kendall's tau-b (asymptotic method)
//!   and Mann–Kendall.
//! * **Streaming.** Descriptive statistics take one pass over the rows with numerically stable
//!   updates ([`DescriptiveAccumulator`]); the median is exact, from the frequency table.
//!
//! # Examples
//!
//! ```
//! use service_quality::analysis::{describe, CorrelationMatrix, CorrelationMethod, MissingPolicy, Reliability, Responses};
//!
//! let answers = Responses::new(
//!     vec!["courtesy".into(), "advice".into(), "speed".into()],
//!     vec![
//!         vec![Some(4.0), Some(4.0), Some(3.0)],
//!         vec![Some(2.0), Some(3.0), Some(2.0)],
//!         vec![Some(5.0), Some(4.0), Some(5.0)],
//!         vec![Some(3.0), None, Some(3.0)],
//!     ],
//! )?;
//! let courtesy = &describe(&answers)[0];
//! assert!((courtesy.codes().map_or(0.0, |s| s.mean()) - 3.5).abs() < 1e-12);
//! let alpha = Reliability::of(&answers, MissingPolicy::Pairwise)?.alpha();
//! assert!(alpha > 0.8);
//! let m = CorrelationMatrix::of(&answers, CorrelationMethod::Pearson);
//! assert_eq!(m.r(0, 0), Some(1.0));
//! # Ok::<(), service_quality::Error>(())
//! ```

mod assignment;
mod cluster;
mod comoments;
mod correlation;
mod descriptive;
mod dimensions;
mod output;
mod reliability;
mod table;
mod trend;
mod validity;

pub use cluster::{
    merchant_dimension_scores, silhouette_by_k, ClusterCount, ClusterProfile, Clustering, KMeans,
    DEFAULT_MAX_ITERATIONS, DEFAULT_RESTARTS,
};
pub use comoments::CovarianceAccumulator;
/// Pearson's r of two columns, for the CRITIC weights of `mcdm`.
pub(crate) use correlation::pearson;
pub use correlation::{CorrelationMatrix, CorrelationMethod};
pub use descriptive::{
    describe, describe_by_merchant, describe_dimensions, describe_graded, dimension_scores,
    DescriptiveAccumulator, Frequency, MerchantSummary, Summary, VariableSummary,
};
pub use output::{
    descriptive_table, frequency_table, period_table, reliability_items_table, reliability_table,
    significance_stars, silhouette_table, trend_table, Labels,
};
pub use reliability::{reliability_by_dimension, DimensionReliability, MissingPolicy, Reliability};
pub use table::Responses;
pub use trend::{moving_average, period_changes, relative_changes, LinearTrend, MannKendall};
pub use validity::{
    DimensionStructure, FactorAnalysis, FactorAssignment, FactorCount, ItemStructure,
    SamplingAdequacy, StructureValidity, SINGULAR_RCOND,
};

/// The largest magnitude a value may have (in a [`Responses`] table or a series); larger
/// values are rejected with [`AnalysisError::ValueOutOfRange`](crate::AnalysisError::ValueOutOfRange).
///
/// Kurtosis sums fourth powers of deviations: with values within `1e60`, a fourth power stays
/// below `1e242` and a sum over a billion rows within `f64`, so no statistic overflows. Codes,
/// scores and KPI measures are many orders of magnitude smaller.
pub const MAX_ABS_VALUE: f64 = 1e60;

/// [`AnalysisError::RowLength`](crate::AnalysisError::RowLength) unless `found == expected`.
fn check_length(row: usize, expected: usize, found: usize) -> crate::Result<()> {
    if found == expected {
        Ok(())
    } else {
        Err(crate::AnalysisError::RowLength {
            row,
            expected,
            found,
        }
        .into())
    }
}

/// `x` is finite and within [`MAX_ABS_VALUE`] (NaN fails).
fn in_range(x: f64) -> bool {
    x.abs() <= MAX_ABS_VALUE
}

/// Sample covariance (divisor `n - 1`) of paired values; `None` for fewer than 2 pairs.
/// Exactly 0 when either variable is constant (the mean of equal values need not round back to
/// the value, which would leave a covariance of rounding noise).
fn covariance(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    let xs = pairs.iter().map(|p| p.0);
    let ys = pairs.iter().map(|p| p.1);
    if is_constant(xs.clone()) || is_constant(ys.clone()) {
        return Some(0.0);
    }
    let n = pairs.len() as f64;
    let mx = xs.sum::<f64>() / n;
    let my = ys.sum::<f64>() / n;
    Some(pairs.iter().map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / (n - 1.0))
}

/// Every value equal to the first (true for no values).
fn is_constant(mut values: impl Iterator<Item = f64>) -> bool {
    let first = values.next();
    values.all(|x| Some(x).partial_cmp(&first) == Some(core::cmp::Ordering::Equal))
}
