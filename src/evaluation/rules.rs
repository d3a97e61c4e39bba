//! The scalar rules of an evaluation, defined once: what a membership value may be, one step
//! of each composition operator, how a `B` is normalised, and how a normalised `B` is graded
//! and scored.
//!
//! [`FuzzyOperator`](crate::FuzzyOperator), [`FuzzyResult`](crate::FuzzyResult), the
//! evaluator and the batch scorer's portable kernels all call these functions; the batch
//! scorer's vector kernels (AVX2, AVX-512) do the same operations on several merchants at
//! once and are tested against them. Every function is `#[inline(always)]`: the batch kernels
//! call them in their innermost loops with the operator known at compile time.

use crate::evaluation::FuzzyOperator;
use crate::numeric::MEMBERSHIP_TIE_TOL;

/// `true` for a valid membership value: in `[0, 1]` (so not NaN; `-0.0` counts as 0). The
/// single path's data container and the batch scorer accept exactly these values.
#[inline(always)]
pub(crate) fn is_membership(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

/// The bits of `1.0`: a double is in `[+0, 1]` exactly when its bits, read as an unsigned
/// integer, are at most this (a set sign bit, NaN and every value above 1 read larger).
pub(crate) const ONE_BITS: u64 = 0x3FF0_0000_0000_0000;

/// [`is_membership`] as one integer compare, for the batch fast paths, which fold
/// `max(bits)` over a row and test it once: `true` for the values in `[+0, 1]`, `false` for
/// `-0.0` (valid, left to the exact path), NaN and everything outside.
#[inline(always)]
pub(crate) fn is_plain_membership(bits: u64) -> bool {
    bits <= ONE_BITS
}

/// `min(x, y)` for finite, non-negative inputs, as one compare-and-select (`vminpd` gives
/// the same): `if x < y { x } else { y }`.
#[inline(always)]
pub(crate) fn min(x: f64, y: f64) -> f64 {
    if x < y {
        x
    } else {
        y
    }
}

/// `max(x, y)` for finite, non-negative inputs, as one compare-and-select (`vmaxpd` gives
/// the same): `if x > y { x } else { y }`.
#[inline(always)]
pub(crate) fn max(x: f64, y: f64) -> f64 {
    if x > y {
        x
    } else {
        y
    }
}

/// One step of the composition `B = A o R`: `b_j` after the row with weight `a` and
/// membership `r` in grade `j` (see [`FuzzyOperator`] for the formulas; the bounded sum's cap
/// at 1 comes after the last row, [`cap`]).
#[inline(always)]
pub(crate) fn step(op: FuzzyOperator, b: f64, a: f64, r: f64) -> f64 {
    match op {
        FuzzyOperator::WeightedAverage => b + a * r,
        FuzzyOperator::ZadehMaxMin => max(b, min(a, r)),
        FuzzyOperator::ProductMax => max(b, a * r),
        FuzzyOperator::BoundedSum => b + min(a, r),
    }
}

/// The raw `b_j` once every row is folded in: the bounded sum capped at 1, the others as
/// they are.
#[inline(always)]
pub(crate) fn cap(op: FuzzyOperator, b: f64) -> f64 {
    match op {
        FuzzyOperator::BoundedSum => min(b, 1.0),
        _ => b,
    }
}

/// The raw `B = A o R`: `raw` (zeros on entry, one value per grade) folded with every
/// `(weight, row)` of `rows` by [`step`], then [`cap`]ped. The operator is matched once,
/// outside the loops, so that each loop runs one operator's arithmetic only.
#[inline(always)]
pub(crate) fn compose_into<R: AsRef<[f64]>>(
    op: FuzzyOperator,
    raw: &mut [f64],
    rows: impl IntoIterator<Item = (f64, R)>,
) {
    macro_rules! fold {
        ($op:expr) => {
            for (a, row) in rows {
                for (b, &r) in raw.iter_mut().zip(row.as_ref()) {
                    *b = step($op, *b, a, r);
                }
            }
        };
    }
    match op {
        FuzzyOperator::WeightedAverage => fold!(FuzzyOperator::WeightedAverage),
        FuzzyOperator::ZadehMaxMin => fold!(FuzzyOperator::ZadehMaxMin),
        FuzzyOperator::ProductMax => fold!(FuzzyOperator::ProductMax),
        FuzzyOperator::BoundedSum => {
            fold!(FuzzyOperator::BoundedSum);
            for b in raw.iter_mut() {
                *b = cap(FuzzyOperator::BoundedSum, *b);
            }
        }
    }
}

/// The bits of [`f64::MIN_POSITIVE`], the smallest normal double.
const MIN_NORMAL_BITS: u64 = 0x0010_0000_0000_0000;

/// `true` when a `B` (or a leaf row) with this total may be normalised by multiplying with
/// `1 / total`: the total is normal (at least [`f64::MIN_POSITIVE`]) and finite, so that the
/// reciprocal is finite and the product within an ulp or two of the quotient. A positive
/// total below that (a row of subnormal values: `[5e-324; 5]` sums to `2.5e-323`, whose
/// reciprocal is infinite) is normalised by division ([`normalise_into`]); the batch fast
/// paths leave such merchants to the exact path. `false` for 0, NaN and infinity.
///
/// Two integer operations on the bits: normal finite positive doubles are exactly the bit
/// patterns `MIN_NORMAL_BITS..=0x7FEF_FFFF_FFFF_FFFF`.
#[inline(always)]
pub(crate) fn reciprocal_ok(total: f64) -> bool {
    total.to_bits().wrapping_sub(MIN_NORMAL_BITS) < 0x7FF0_0000_0000_0000 - MIN_NORMAL_BITS
}

/// `x > 0` and finite (false for NaN): a total that has a normalised form at all (see
/// [`reciprocal_ok`] for the ones that can be normalised by a reciprocal). Two integer
/// operations: positive finite doubles are the bit patterns `1..=0x7FEF_FFFF_FFFF_FFFF`.
#[inline(always)]
pub(crate) fn positive_finite(x: f64) -> bool {
    x.to_bits().wrapping_sub(1) < 0x7FEF_FFFF_FFFF_FFFF
}

/// `raw / total` into `out` (a normalised `B` or leaf row), `total` being the sum of `raw`,
/// positive and finite: multiplied by the reciprocal where [`reciprocal_ok`], divided
/// otherwise (subnormal totals).
#[inline(always)]
pub(crate) fn normalise_into(raw: &[f64], total: f64, out: &mut [f64]) {
    if reciprocal_ok(total) {
        let inv = 1.0 / total;
        for (o, &x) in out.iter_mut().zip(raw) {
            *o = x * inv;
        }
    } else {
        for (o, &x) in out.iter_mut().zip(raw) {
            *o = x / total;
        }
    }
}

/// The largest entry of `b` (0 for an empty or all-zero `b`).
#[inline(always)]
pub(crate) fn max_membership(b: &[f64]) -> f64 {
    b.iter().fold(0.0, |m, &x| max(x, m))
}

/// `true` when grade `j` with membership `b_j` is tied for the maximum `max` of a `B` whose
/// total is `total` (1 for a normalised `B`): `max - b_j <= MEMBERSHIP_TIE_TOL * total`, the
/// maximum-membership principle's tolerance on the normalised `B` without a division.
#[inline(always)]
pub(crate) fn is_tied(max: f64, b_j: f64, total: f64) -> bool {
    max - b_j <= MEMBERSHIP_TIE_TOL * total
}

/// Grade and score of a `B` (normalised, or not with `total` its sum, `total > 0`) against
/// grade values `values` whose range is `(min, max)`:
///
/// ```text
/// grade = first j with max_l b_l - b_j <= MEMBERSHIP_TIE_TOL * total
/// score = clamp(sum_j b_j v_j / total, min, max)
/// ```
///
/// The products are summed left to right; the grade is found by a scan from the back with
/// selects (no branch on the data); the clamp is two selects (the order of the bounds was
/// checked when the grade set was built).
#[inline(always)]
pub(crate) fn grade_and_score(
    values: &[f64],
    (min, max_value): (f64, f64),
    b: &[f64],
    total: f64,
) -> (f64, u32) {
    let mut largest = 0.0f64;
    let mut weighted = 0.0;
    for (&x, &v) in b.iter().zip(values) {
        largest = max(x, largest);
        weighted += x * v;
    }
    let mut grade = 0u32;
    for (j, &x) in b.iter().enumerate().rev() {
        grade = if is_tied(largest, x, total) {
            j as u32
        } else {
            grade
        };
    }
    let score = weighted / total;
    let score = if score < min {
        min
    } else if score > max_value {
        max_value
    } else {
        score
    };
    (score, grade)
}

/// The grade of a score under the score-interval rule: the grade whose value is nearest to
/// `score`; at a midpoint between two values the grade with the larger value; among grades
/// with equal values the first. With distinct values this cuts the score axis at the
/// midpoints between adjacent values, each interval closed at its lower end:
///
/// ```text
/// grade(s) = argmin_j |s - v_j|, ties to the larger v_j, then to the smaller j
/// ```
#[inline]
pub(crate) fn grade_by_score(values: &[f64], score: f64) -> u32 {
    let mut best = 0usize;
    for (j, &v) in values.iter().enumerate().skip(1) {
        let (d, d_best) = ((score - v).abs(), (score - values[best]).abs());
        let nearer = match d.total_cmp(&d_best) {
            core::cmp::Ordering::Less => true,
            core::cmp::Ordering::Equal => v > values[best],
            core::cmp::Ordering::Greater => false,
        };
        if nearer {
            best = j;
        }
    }
    best as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: [f64; 16] = [
        0.0,
        -0.0,
        f64::MIN_POSITIVE,
        f64::MIN_POSITIVE / 4.0,
        5e-324,
        1e-300,
        0.5,
        1.0,
        1.0 + f64::EPSILON,
        -1.0,
        2.0,
        f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
    ];

    #[test]
    fn bit_tests_are_the_float_tests() {
        for x in SAMPLES {
            assert_eq!(positive_finite(x), x > 0.0 && x.is_finite(), "{x:e}");
            assert_eq!(
                reciprocal_ok(x),
                x >= f64::MIN_POSITIVE && x.is_finite(),
                "{x:e}"
            );
            if reciprocal_ok(x) {
                assert!((1.0 / x).is_finite(), "{x:e}");
            }
            // the plain test accepts exactly the valid values but -0.0
            let plain = is_plain_membership(x.to_bits());
            assert_eq!(plain, is_membership(x) && x.to_bits() >> 63 == 0, "{x:e}");
        }
        assert!(!is_membership(1.0 + f64::EPSILON) && is_membership(-0.0));
    }

    #[test]
    fn subnormal_totals_are_divided() {
        let raw = [5e-324; 5];
        let total: f64 = raw.iter().sum();
        assert!(positive_finite(total) && !reciprocal_ok(total));
        let mut out = [0.0; 5];
        normalise_into(&raw, total, &mut out);
        assert!(out.iter().all(|&b| (b - 0.2).abs() < 1e-15), "{out:?}");
    }

    #[test]
    fn steps_are_the_formulas() {
        use FuzzyOperator::*;
        let (b, a, r) = (0.25, 0.5, 0.75);
        assert_eq!(
            step(WeightedAverage, b, a, r).to_bits(),
            (0.25f64 + 0.375).to_bits()
        );
        assert_eq!(step(ZadehMaxMin, b, a, r).to_bits(), 0.5f64.to_bits());
        assert_eq!(step(ProductMax, b, a, r).to_bits(), 0.375f64.to_bits());
        assert_eq!(step(BoundedSum, b, a, r).to_bits(), 0.75f64.to_bits());
        assert_eq!(cap(BoundedSum, 1.5).to_bits(), 1.0f64.to_bits());
        assert_eq!(cap(ProductMax, 1.5).to_bits(), 1.5f64.to_bits());
    }

    #[test]
    fn grades_ties_and_clamps() {
        let values = [100.0, 80.0, 60.0];
        let (score, grade) = grade_and_score(&values, (60.0, 100.0), &[0.4, 0.4, 0.2], 1.0);
        assert_eq!(grade, 0);
        assert!((score - 84.0).abs() < 1e-12);
        // unnormalised: the same answer with the total given
        let (score2, grade2) = grade_and_score(&values, (60.0, 100.0), &[0.2, 0.4, 0.1], 0.7);
        assert_eq!(grade2, 1);
        assert!((score2 - (20.0 + 32.0 + 6.0) / 0.7).abs() < 1e-12);
        // rounding past the range is clamped
        let (score3, _) = grade_and_score(&values, (60.0, 100.0), &[1.0 + 1e-15, 0.0, 0.0], 1.0);
        assert_eq!(score3.to_bits(), 100.0f64.to_bits());
    }

    #[test]
    fn score_intervals_cut_at_midpoints_closed_below() {
        let values = [95.0, 85.0, 75.0, 65.0, 55.0];
        let cases = [
            (100.0, 0),
            (90.0, 0),
            (89.999, 1),
            (80.0, 1),
            (79.0, 2),
            (60.0, 3),
            (59.9, 4),
            (0.0, 4),
        ];
        for (score, grade) in cases {
            assert_eq!(grade_by_score(&values, score), grade, "{score}");
        }
        // increasing values (worst grade first): the midpoint still goes to the larger value
        assert_eq!(grade_by_score(&[1.0, 2.0, 3.0], 2.5), 2);
        assert_eq!(grade_by_score(&[1.0, 2.0, 3.0], 1.4), 0);
        // equal values: the first
        assert_eq!(grade_by_score(&[2.0, 2.0, 1.0], 2.0), 0);
    }
}
