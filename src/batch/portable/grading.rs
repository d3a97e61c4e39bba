//! Score and grade of a merchant's goal `B`: [`rules::grade_and_score`] with the plan's
//! grade values.

use crate::batch::plan::Plan;
use crate::evaluation::rules;

/// Score and grade of the goal's `B` (normalised or not; `total` is its sum, > 0): the grade
/// is the first within [`MEMBERSHIP_TIE_TOL`](crate::MEMBERSHIP_TIE_TOL) of the largest
/// normalised entry, tested as `max - b_j <= tol * total` so that no division sits on the
/// path to it; the score is `sum_j b_j v_j / total`, clamped to the range of the grade values
/// as the single path does ([`rules::grade_and_score`]).
#[inline(always)]
pub(crate) fn finish(plan: &Plan, b: &[f64], total: f64) -> (f64, u32) {
    rules::grade_and_score(&plan.values, (plan.min_value, plan.max_value), b, total)
}

/// [`finish`] for a known number of grades: the grade values in an array, no bounds checks or
/// length tests left in the per-merchant code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grading<const M: usize> {
    pub values: [f64; M],
    pub min: f64,
    pub max: f64,
}

impl<const M: usize> Grading<M> {
    /// For a plan of `M` grades (the callers dispatch on `plan.m`).
    pub fn new(plan: &Plan) -> Self {
        debug_assert_eq!(plan.values.len(), M);
        Self {
            values: std::array::from_fn(|j| plan.values.get(j).copied().unwrap_or(0.0)),
            min: plan.min_value,
            max: plan.max_value,
        }
    }

    /// Score and grade from the goal's unnormalised `B`, as [`finish`] gives them; `None` if
    /// its total is not one that [`rules::reciprocal_ok`] accepts (0, NaN, infinite, or so
    /// small that the products of the score lose their precision: the exact path decides).
    #[inline(always)]
    pub fn root(&self, b: &[f64; M]) -> Option<(f64, u32)> {
        // pairwise, to keep the dependency chain short
        let total: f64 = b.chunks(2).map(|c| c.iter().sum::<f64>()).sum();
        if !rules::reciprocal_ok(total) {
            return None;
        }
        Some(self.finish(b, total))
    }

    /// Score and grade from the first `M` values of `b` (the goal's `B`, normalised or not;
    /// `total` is its sum, > 0), as [`finish`] gives them.
    #[inline(always)]
    pub fn finish(&self, b: &[f64], total: f64) -> (f64, u32) {
        let b = &b[..M.min(b.len())];
        // the values' length hidden from the optimiser: with `M` known it unrolls the loops
        // and reads `b` (just stored value by value) two at a time, which stalls store
        // forwarding; measured 26 ns per merchant against 20.5 ns on the portable linear path
        let values: &[f64] = std::hint::black_box(&self.values[..]);
        rules::grade_and_score(values, (self.min, self.max), b, total)
    }
}
