//! The kernels without vector instructions (beyond the SSE2 of every x86-64, which the
//! compiler uses on its own): the exact per-merchant path and the fast paths of every input
//! form, all built on the scalar rules of [`crate::evaluation::rules`]. The vector kernels of
//! [`super::simd`] are tested against these.

mod grading;
mod rows;
mod tally;
mod walk;

pub(crate) use grading::{finish, Grading};
pub(crate) use rows::{
    linear_f64_normalised, linear_root, row_scales_counts, row_scales_f64, rows_normalised,
    NORMALISED_ROW,
};
pub(crate) use tally::{tally_lanes, tally_linear_root, LANES};
pub(crate) use walk::{dense_walk, walk_run, MAX_PADDED};
