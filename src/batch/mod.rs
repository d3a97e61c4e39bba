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
//! | NaN or a value outside `[0, 1]` in f64 memberships (also a value a few ulps above 1 in a row that sums to 1) | [`EvaluationError::InvalidMembership`](crate::EvaluationError::InvalidMembership) (leaf, grade, value) | that merchant |
//! | a leaf whose counts are all zero | [`Error::AtNode`](crate::Error::AtNode) + [`EvaluationError::NoAnswers`](crate::EvaluationError::NoAnswers), or excluded by the policy | that merchant |
//! | a grade index beyond the grade set in raw answers | [`InputError::GradeIndexOutOfRange`](crate::InputError::GradeIndexOutOfRange) | that merchant |
//!
//! # How it is built
//!
//! ```text
//! plan      the tree compiled once: leaves, groups children first, global weights    plan.rs
//! choice    the run kernel of each input form, from the CPU's features (asked once)
//!           and the plan's shape                                                      choice.rs
//! drive     one driver for every input form: runs of 64 merchants through the chosen
//!           kernel, the merchants it leaves through the per-merchant path, failures
//!           in merchant order, threads with `parallel`                                drive.rs
//! sources   the input forms (f64, counts, answers): kernel, fast and exact path      sources.rs
//! kernels   portable/  the exact walk and the fast paths without vector instructions
//!           simd/      AVX2 and AVX-512 kernels, tested against the portable ones
//! ```
//!
//! The rules themselves (a membership value's range, each operator's step, normalising a
//! `B`, grading and scoring it) are defined once, in `evaluation/rules.rs`, and used by the
//! single path and the portable kernels alike; the vector kernels do the same operations on
//! four or eight merchants at once and are tested against them. `scratch.rs` holds the
//! per-thread buffers, `input.rs` and `output.rs` the public layouts.

#[cfg(feature = "arrow")]
#[cfg_attr(docsrs, doc(cfg(feature = "arrow")))]
pub mod arrow;
mod choice;
mod drive;
mod input;
mod output;
#[cfg(feature = "parquet")]
mod parquet;
mod plan;
mod portable;
mod prefetch;
mod scorer;
mod scratch;
#[allow(unsafe_code)]
mod simd;
mod sources;

#[cfg(feature = "arrow")]
pub use arrow::{ArrowScoring, CountsLayout};
pub use input::{GradeCount, SurveyAnswers, MISSING_ANSWER};
pub use output::{BatchOutput, BatchScores, BatchSummary, MerchantError};
#[cfg(feature = "parquet")]
#[cfg_attr(docsrs, doc(cfg(feature = "parquet")))]
pub use parquet::{ParquetLayout, ParquetTally, MAX_COLUMN_CHUNK_BYTES};
#[doc(hidden)]
pub use prefetch::prefetch;
pub use scorer::BatchScorer;
