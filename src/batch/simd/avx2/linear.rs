//! The linear f64 kernel: `M(·,+)` at every level, four values per instruction.
//!
//! Four leaf rows of `M` grades are `M` vectors of four lanes; lane `j` of vector `i` holds
//! row `(4i + j) / M`, grade `(4i + j) % M`, the same for every group of four rows, so `M`
//! accumulators take `G_l x_lj` by fused multiply-adds (weights as a flat array
//! `coef[l * M + j] = G_l` laid out like the data) and their lanes are added per grade at the
//! end. Row sums take each vector's lanes into the accumulator of the row they belong to (a
//! mask where a vector straddles two rows) and a 4 x 4 horizontal sum.

use super::{prefetch, PREFETCH_MERCHANTS};
use crate::batch::choice::Avx2;
use crate::batch::portable::NORMALISED_ROW;
use crate::evaluation::rules;
use std::arch::x86_64::*;

/// `lane_masks::<M>()[i][r][j]` is all ones when lane `j` of vector `i` of a four-row group
/// belongs to row `r`.
pub(crate) const fn lane_masks<const M: usize>() -> [[[u64; 4]; 4]; M] {
    let mut masks = [[[0u64; 4]; 4]; M];
    let mut i = 0;
    while i < M {
        let mut j = 0;
        while j < 4 {
            masks[i][(4 * i + j) / M][j] = u64::MAX;
            j += 1;
        }
        i += 1;
    }
    masks
}

/// [`super::super::linear_run`] with AVX2: scores the merchants of `x` (`scores.len()` blocks
/// of `coef.len()` values), returns the mask of those left to the exact path.
pub(crate) fn run<const M: usize>(
    _cpu: Avx2,
    x: &[f64],
    coef: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    finish: impl Fn(&[f64; M]) -> Option<(f64, u32)>,
) -> u64 {
    let n = scores.len().min(grades.len()).min(64);
    if M > 9 || coef.is_empty() || !coef.len().is_multiple_of(M) || x.len() != n * coef.len() {
        return super::super::run_mask(n);
    }
    let (scores, grades) = (&mut scores[..n], &mut grades[..n]);
    // SAFETY: the token proves AVX2 and FMA; `x` holds `n` blocks of `coef.len()` values, a
    // nonzero multiple of `M`, `M <= 9`, both output slices hold `n <= 64` (checked above).
    unsafe { chunk::<M>(x, coef, scores, grades, finish) }
}

/// # Safety
///
/// AVX2 and FMA must be available; `x.len() == scores.len() * coef.len()`,
/// `grades.len() == scores.len() <= 64`, `coef.len()` a nonzero multiple of `M`; `M <= 9`.
#[target_feature(enable = "avx2,fma")]
unsafe fn chunk<const M: usize>(
    x: &[f64],
    coef: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    finish: impl Fn(&[f64; M]) -> Option<(f64, u32)>,
) -> u64 {
    debug_assert!(M <= 9 && !coef.is_empty() && coef.len().is_multiple_of(M));
    debug_assert!(x.len() == scores.len() * coef.len() && grades.len() == scores.len());
    // SAFETY: the caller upholds the contract above: every block read by `scan` lies inside
    // `x`, every output slot inside `scores` and `grades`.
    unsafe {
        let mut failed = 0u64;
        let blocks = x.chunks_exact(coef.len());
        for (i, ((xm, s), g)) in blocks.zip(scores.iter_mut()).zip(grades).enumerate() {
            let ahead = PREFETCH_MERCHANTS * coef.len();
            prefetch(xm.as_ptr().wrapping_add(ahead), coef.len());
            match scan::<M, true>(xm, coef).and_then(|b| finish(&b)) {
                Some((score, grade)) => {
                    *s = score;
                    *g = grade;
                }
                None => failed |= 1 << i,
            }
        }
        failed
    }
}

/// One merchant's checks and, with `LINEAR`, its goal's unnormalised `B` (zeros without):
/// `None` for a value outside `[+0, 1]` ([`rules::is_plain_membership`]: a set sign bit, NaN,
/// a value above 1) or a row sum off by more than [`NORMALISED_ROW`].
///
/// # Safety
///
/// AVX2 and FMA must be available; `x.len()` a multiple of `M`, `M <= 9`; with `LINEAR`,
/// `coef.len() == x.len()`.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(in crate::batch::simd) unsafe fn scan<const M: usize, const LINEAR: bool>(
    x: &[f64],
    coef: &[f64],
) -> Option<[f64; M]> {
    debug_assert!(M <= 9 && x.len().is_multiple_of(M) && (!LINEAR || coef.len() == x.len()));
    // SAFETY: the caller guarantees `x.len()` a multiple of `M` (and `coef.len() == x.len()` with
    // `LINEAR`): every load reads four values of the first `4 groups M <= x.len()`.
    unsafe {
        let masks = const { lane_masks::<M>() };
        let k = x.len() / M;
        let groups = k / 4;
        let xp = x.as_ptr();
        let cp = coef.as_ptr();
        let zero = _mm256_setzero_pd();
        let one = _mm256_set1_pd(1.0);
        let tol = _mm256_set1_pd(NORMALISED_ROW);
        let abs = _mm256_castsi256_pd(_mm256_set1_epi64x(i64::MAX));
        let mut acc = [zero; M];
        let mut bits = zero;
        // the largest value (a NaN may drop out of it: the row sums catch NaN); one register,
        // a chain beside `bits` (one per grade would spill the accumulators at 5 grades)
        let mut high = zero;
        let mut ok = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
        for q in 0..groups {
            let base = q * 4 * M;
            let mut t = [zero; 4];
            unrolled!(i in 0 1 2 3 4 5 6 7 8 if i < M => {
                // in bounds: base + 4i + 3 < 4 (q + 1) M <= k M = x.len() = coef.len()
                let v = _mm256_loadu_pd(xp.add(base + 4 * i));
                if LINEAR {
                    let c = _mm256_loadu_pd(cp.add(base + 4 * i));
                    acc[i] = _mm256_fmadd_pd(c, v, acc[i]);
                }
                bits = _mm256_or_pd(bits, v);
                high = _mm256_max_pd(high, v);
                let (first, last) = ((4 * i) / M, (4 * i + 3) / M);
                unrolled!(r in 0 1 2 3 if first <= r && r <= last => {
                    let part = if first == last {
                        v
                    } else {
                        _mm256_and_pd(v, _mm256_loadu_pd(masks[i][r].as_ptr().cast::<f64>()))
                    };
                    // row r starts in vector (M r) / 4: its first part needs no addition
                    t[r] = if i == (M * r) / 4 { part } else { _mm256_add_pd(t[r], part) };
                });
            });
            // (t0, t1, t2, t3) -> their four lane sums, one per lane
            let h01 = _mm256_hadd_pd(t[0], t[1]);
            let h23 = _mm256_hadd_pd(t[2], t[3]);
            let sums = _mm256_add_pd(
                _mm256_permute2f128_pd::<0x20>(h01, h23),
                _mm256_permute2f128_pd::<0x31>(h01, h23),
            );
            let dev = _mm256_and_pd(_mm256_sub_pd(sums, one), abs);
            // ordered compare: a NaN sum fails it
            ok = _mm256_and_pd(ok, _mm256_cmp_pd::<_CMP_LE_OQ>(dev, tol));
        }
        let sums_ok = _mm256_movemask_pd(ok) == 0b1111;
        let mut b = [0.0f64; M];
        for (i, a) in acc.iter().enumerate().take(if LINEAR { M } else { 0 }) {
            let mut lanes = [0.0f64; 4];
            _mm256_storeu_pd(lanes.as_mut_ptr(), *a);
            for (j, &v) in lanes.iter().enumerate() {
                b[(4 * i + j) % M] += v;
            }
        }
        // rows past the last group of four
        let mut sign = 0u64;
        let mut tail_ok = true;
        for l in 4 * groups..k {
            let g = if LINEAR { coef[l * M] } else { 0.0 };
            let mut s = 0.0;
            for (bj, &v) in b.iter_mut().zip(&x[l * M..(l + 1) * M]) {
                sign = sign.max(v.to_bits());
                s += v;
                *bj = g.mul_add(v, *bj);
            }
            tail_ok &= (s - 1.0).abs() <= NORMALISED_ROW;
        }
        // movemask gathers the sign bit of each lane of the OR of every value; every value at most 1
        let no_sign = _mm256_movemask_pd(bits) == 0 && rules::is_plain_membership(sign);
        let at_most_one = _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_LE_OQ>(high, one)) == 0b1111;
        (sums_ok && tail_ok && no_sign && at_most_one).then_some(b)
    }
}
