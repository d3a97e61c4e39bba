//! Batch scoring: many merchants, one compiled evaluation, caller-provided buffers.
//!
//! A platform scores every merchant every period. [`BatchScorer`] compiles an
//! [`Evaluator`](crate::Evaluator) (tree, weights, operators, grades, policy) once and then
//! scores contiguous, merchant-major inputs — f64 memberships, integer answer counts, or raw
//! survey answers ([`SurveyAnswers`]) — into [`BatchOutput`] buffers, with the same results as
//! the single-merchant evaluation. A merchant with bad data is reported in
//! [`BatchSummary::failures`] with its index and the single path's error; the others are
//! scored. With the `parallel` feature the batch is split across threads (rayon) with
//! bit-identical results.
//!
//! # Invalid input and the error it gets
//!
//! | invalid input | error | scope |
//! |---|---|---|
//! | input length not a multiple of leaves x grades | [`BatchError::BatchLength`](crate::BatchError::BatchLength) | batch, nothing written |
//! | output buffers not one slot per merchant / node-`B` buffer of the wrong length | [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) | batch, nothing written |
//! | survey offsets not starting at 0, decreasing, not ending at the row count | [`BatchError::InvalidOffsets`](crate::BatchError::InvalidOffsets) | batch |
//! | NaN or a value outside `[0, 1]` in f64 memberships | [`EvaluationError::InvalidMembership`](crate::EvaluationError::InvalidMembership) (leaf, grade, value) | that merchant |
//! | a leaf whose counts are all zero | [`Error::AtNode`](crate::Error::AtNode) + [`EvaluationError::NoAnswers`](crate::EvaluationError::NoAnswers), or excluded by the policy | that merchant |
//! | a grade index beyond the grade set in raw answers | [`InputError::GradeIndexOutOfRange`](crate::InputError::GradeIndexOutOfRange) | that merchant |

mod input;
mod kernel;
mod output;
mod scorer;
mod simd;

pub use input::{GradeCount, SurveyAnswers, MISSING_ANSWER};
pub use output::{BatchOutput, BatchScores, BatchSummary, MerchantError};
pub use scorer::BatchScorer;
