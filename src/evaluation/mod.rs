//! Evaluation: fuzzy comprehensive evaluation (FCE, 模糊综合评价) — composition operators,
//! the membership matrix `R`, grading of a composed `B`, and the multi-level [`Evaluator`]
//! through an indicator tree.
//!
//! # Method
//!
//! ```text
//! U = {u_1, ..., u_k}    factors (the indicators, leaves of an IndicatorTree)
//! V = {v_1, ..., v_m}    grades (评语集), each with a numeric value          -> GradeSet
//! R = (r_ij), k x m      r_ij = membership of indicator i in grade j         -> MembershipMatrix
//! A = (a_1, ..., a_k)    weights of the indicators (AHP local weights)
//! B = A o R              composition with an operator                        -> FuzzyOperator
//! ```
//!
//! Memberships come from survey answers (`r_ij` = share of the answers for indicator `i` that
//! chose grade `j`, missing answers counted apart; [`Survey`]) or from measured KPIs through
//! membership functions ([`KpiScale`], per class of case in a [`KpiModel`], averaged over a
//! merchant's cases by [`KpiTally`]). The multi-level evaluation ([`Evaluator`]) composes
//! level by level: the normalised `B` of a node's children are the rows of that node's `R`.
//! `B` is read by the maximum-membership principle and by the score `B' · values`
//! ([`FuzzyResult`]); [`EvaluationReport`] presents one merchant.
//!
//! # Invalid input and the error it gets
//!
//! No constructor or evaluation panics, and no output holds NaN. Each row below has a test in
//! `tests/fuzzy_errors.rs`.
//!
//! | invalid input | error |
//! |---|---|
//! | weight vector length != rows of `R` | [`Error::WeightCountMismatch`] |
//! | composition weight NaN, infinite or outside `[0, 1]` | [`Error::CompositionWeight`] |
//! | membership entry outside `[0, 1]`, NaN or infinite | [`Error::InvalidMembership`] (row, column, value) |
//! | membership row of the wrong length | [`Error::MembershipRowLength`] |
//! | `R` with no rows or no columns | [`Error::Empty`] |
//! | `R` (or data) with a number of grades other than the grade set's | [`Error::GradeCountMismatch`] |
//! | grade set with < 2 grades | [`Error::TooFewGrades`] |
//! | grade set with duplicate labels (English or Chinese, ignoring case) | [`Error::DuplicateGradeLabel`] |
//! | grade with an empty label / a non-finite value | [`Error::EmptyGradeLabel`] / [`Error::InvalidGradeValue`] |
//! | `B` summing to 0 (nothing to normalise) | [`Error::ZeroMembership`] |
//! | survey CSV: column that is not an indicator | [`Error::UnknownColumn`] (column name and number) |
//! | survey CSV: column named twice | [`Error::DuplicateColumn`] (both column numbers) |
//! | survey CSV: no merchant column, or an empty file | [`Error::MissingColumn`] |
//! | survey CSV: grade out of range or unknown label | [`Error::BadCell`] (line, column) |
//! | survey CSV: row with the wrong number of cells | [`Error::CellCount`] (line) |
//! | survey answer index >= number of grades | [`Error::GradeIndexOutOfRange`] |
//! | KPI value negative, NaN or infinite | [`Error::InvalidKpiValue`] (case, indicator); in a CSV inside [`Error::AtLine`] |
//! | KPI case of a class without thresholds | [`Error::UnknownCaseClass`] |
//! | KPI breakpoints not finite, negative or not strictly monotone | [`Error::InvalidBreakpoint`] |
//! | data indicator id that the hierarchy lacks (or that is not a leaf) | [`Error::UnknownIndicator`] |
//! | hierarchy indicator missing from the data | [`Error::AtNode`] + [`Error::MissingIndicator`] |
//! | indicator without a single answer | [`Error::AtNode`] + [`Error::NoAnswers`], or excluded by [`Unanswered::Exclude`] |
//! | every indicator excluded | [`Error::NothingToEvaluate`] |
//! | the same indicator given twice | [`Error::DuplicateIndicator`] |
//! | memberships asked for a merchant without data | [`Error::UnknownMerchant`] |
//!
//! In a CSV file a malformed data row never makes the rows before it disappear: with
//! `OnBadRow::Stop` reading stops there and the rows read so far are returned with the
//! error (`CsvRead::stopped`); with `OnBadRow::Skip` the row is skipped and counted
//! (`CsvRead::skipped`). Errors in the header reject the whole file.
//!
//! # References
//!
//! - L. A. Zadeh, "Fuzzy sets", *Information and Control* 8(3), 338–353, 1965.
//! - 汪培庄 (Wang P. Z.), 《模糊集合论及其应用》, 上海科学技术出版社, 1983.
//! - H.-X. Li, V. C. Yen, *Fuzzy Sets and Fuzzy Decision-Making*, CRC Press, 1995.
//! - 司守奎, 孙玺菁, 《数学建模算法与应用》, 国防工业出版社, ch. 14 (模糊综合评判).
//! - SPSSAU, 模糊综合评价 (fuzzy comprehensive evaluation) help page, spssau.net.
#[allow(unused_imports)] // for intra-doc links in the module docs
use crate::input::{KpiModel, KpiScale, KpiTally, Survey};
#[allow(unused_imports)]
use crate::{Error, EvaluationReport};

mod evaluator;
mod grading;
mod matrix;
mod operator;
pub(crate) mod rules;

pub use evaluator::{Evaluation, Evaluator, NodeEvaluation, Unanswered};
pub use grading::FuzzyResult;
pub use matrix::MembershipMatrix;
pub use operator::FuzzyOperator;
