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
//! ([`FuzzyResult`]); [`EvaluationReport`](crate::report::EvaluationReport) presents one merchant.
//!
//! # Invalid input and the error it gets
//!
//! No constructor or evaluation panics, and no output holds NaN. Each row below has a test in
//! `tests/fuzzy_errors.rs`.
//!
//! The errors below may reach the caller inside a context wrapper ([`Error::AtNode`],
//! [`Error::AtLine`]); [`Error::root`] looks through them.
//!
//! | invalid input | error |
//! |---|---|
//! | weight vector length != rows of `R` | [`EvaluationError::WeightCountMismatch`] |
//! | composition weight NaN, infinite or outside `[0, 1]` | [`EvaluationError::CompositionWeight`] |
//! | membership entry outside `[0, 1]`, NaN or infinite | [`EvaluationError::InvalidMembership`] (row, column, value) |
//! | membership row of the wrong length | [`EvaluationError::MembershipRowLength`] |
//! | `R` with no rows or no columns | [`ArgumentError::Empty`] |
//! | `R` (or data) with a number of grades other than the grade set's | [`EvaluationError::GradeCountMismatch`] |
//! | grade set with < 2 grades | [`EvaluationError::TooFewGrades`] |
//! | grade set with duplicate labels (English or Chinese, ignoring case) | [`EvaluationError::DuplicateGradeLabel`] |
//! | grade with an empty label / a non-finite value or one beyond ±1e12 | [`EvaluationError::EmptyGradeLabel`] / [`EvaluationError::InvalidGradeValue`] |
//! | `B` summing to 0 (nothing to normalise) | [`EvaluationError::ZeroMembership`] |
//! | survey CSV: column that is not an indicator | [`CsvError::UnknownColumn`] (column name and number) |
//! | survey CSV: column named twice | [`CsvError::DuplicateColumn`] (both column numbers) |
//! | survey CSV: no merchant column, or an empty file | [`CsvError::MissingColumn`] |
//! | survey CSV: grade out of range or unknown label | [`CsvError::BadCell`] (line, column) |
//! | survey CSV: row with the wrong number of cells | [`CsvError::CellCount`] (line) |
//! | CSV: blank row (whitespace only, or one empty quoted cell) | [`CsvError::BlankRow`], always skipped and counted in `CsvRead::skipped` |
//! | CSV: quoted field never closed | [`CsvError::UnterminatedQuote`] (line where it opens) |
//! | survey answer index >= number of grades | [`InputError::GradeIndexOutOfRange`] |
//! | KPI value negative, NaN or infinite | [`InputError::InvalidKpiValue`] (case, indicator); in a CSV inside [`Error::AtLine`] |
//! | KPI case of a class without thresholds | [`InputError::UnknownCaseClass`] |
//! | KPI breakpoints not finite, negative or not strictly monotone | [`InputError::InvalidBreakpoint`] |
//! | data indicator id that the hierarchy lacks (or that is not a leaf) | [`EvaluationError::UnknownIndicator`] |
//! | hierarchy indicator missing from the data | [`Error::AtNode`] + [`EvaluationError::MissingIndicator`] |
//! | indicator without a single answer | [`Error::AtNode`] + [`EvaluationError::NoAnswers`], or excluded by [`Unanswered::Exclude`] |
//! | every indicator excluded | [`EvaluationError::NothingToEvaluate`] |
//! | the same indicator given twice | [`InputError::DuplicateIndicator`] |
//! | memberships asked for a merchant without data | [`InputError::UnknownMerchant`] |
//!
//! [`EvaluationError::WeightCountMismatch`]: crate::EvaluationError::WeightCountMismatch
//! [`EvaluationError::CompositionWeight`]: crate::EvaluationError::CompositionWeight
//! [`EvaluationError::InvalidMembership`]: crate::EvaluationError::InvalidMembership
//! [`EvaluationError::MembershipRowLength`]: crate::EvaluationError::MembershipRowLength
//! [`ArgumentError::Empty`]: crate::ArgumentError::Empty
//! [`EvaluationError::GradeCountMismatch`]: crate::EvaluationError::GradeCountMismatch
//! [`EvaluationError::TooFewGrades`]: crate::EvaluationError::TooFewGrades
//! [`EvaluationError::DuplicateGradeLabel`]: crate::EvaluationError::DuplicateGradeLabel
//! [`EvaluationError::EmptyGradeLabel`]: crate::EvaluationError::EmptyGradeLabel
//! [`EvaluationError::InvalidGradeValue`]: crate::EvaluationError::InvalidGradeValue
//! [`EvaluationError::ZeroMembership`]: crate::EvaluationError::ZeroMembership
//! [`CsvError::UnknownColumn`]: crate::CsvError::UnknownColumn
//! [`CsvError::DuplicateColumn`]: crate::CsvError::DuplicateColumn
//! [`CsvError::MissingColumn`]: crate::CsvError::MissingColumn
//! [`CsvError::BadCell`]: crate::CsvError::BadCell
//! [`CsvError::CellCount`]: crate::CsvError::CellCount
//! [`CsvError::BlankRow`]: crate::CsvError::BlankRow
//! [`CsvError::UnterminatedQuote`]: crate::CsvError::UnterminatedQuote
//! [`InputError::GradeIndexOutOfRange`]: crate::InputError::GradeIndexOutOfRange
//! [`InputError::InvalidKpiValue`]: crate::InputError::InvalidKpiValue
//! [`InputError::UnknownCaseClass`]: crate::InputError::UnknownCaseClass
//! [`InputError::InvalidBreakpoint`]: crate::InputError::InvalidBreakpoint
//! [`EvaluationError::UnknownIndicator`]: crate::EvaluationError::UnknownIndicator
//! [`EvaluationError::MissingIndicator`]: crate::EvaluationError::MissingIndicator
//! [`EvaluationError::NoAnswers`]: crate::EvaluationError::NoAnswers
//! [`EvaluationError::NothingToEvaluate`]: crate::EvaluationError::NothingToEvaluate
//! [`InputError::DuplicateIndicator`]: crate::InputError::DuplicateIndicator
//! [`InputError::UnknownMerchant`]: crate::InputError::UnknownMerchant
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
use crate::Error;

mod evaluator;
mod grading;
mod matrix;
mod operator;
pub(crate) mod rules;

pub use evaluator::{Evaluation, Evaluator, NodeEvaluation, Unanswered};
pub use grading::{FuzzyResult, GradingRule};
pub use matrix::MembershipMatrix;
pub use operator::FuzzyOperator;
