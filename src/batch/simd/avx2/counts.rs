//! The linear count kernel: `u8` or `u16` answer counts, `M(·,+)`, four merchants per
//! register, counts transposed and widened, one division per leaf for four merchants.

use super::{
    count_row, finish_lanes, lane_total, prefetch, store_quad, transpose_quad, PREFETCH_BYTE_QUADS,
};
use crate::batch::choice::Avx2;
use crate::batch::input::private::Sealed;
use crate::batch::portable::Grading;
use std::arch::x86_64::*;
use std::mem::MaybeUninit;

/// The merchants of `scores` (a multiple of 4, at most 64) by [`count_lanes`]; the caller
/// checked `T::BYTES <= 2`, `M <= 9`, blocks of at least 16 bytes, `x` and `tally` long
/// enough; returns the mask of the merchants left to the exact path.
pub(crate) fn count_quads<const M: usize, T: Sealed>(
    _cpu: Avx2,
    x: &[T],
    global: &[f64],
    (scores, grades): (&mut [f64], &mut [u32]),
    tally: &mut [i32],
    grading: &Grading<M>,
) -> u64 {
    let block = global.len() * M;
    let n = scores.len().min(grades.len()).min(64);
    let fits = T::BYTES <= 2
        && M <= 9
        && n.is_multiple_of(4)
        && scores.len() == n
        && grades.len() == n
        && block >= 16 / T::BYTES
        && x.len() >= n * block
        && tally.len() >= 4 * block;
    if !fits {
        return crate::batch::simd::run_mask(n);
    }
    // SAFETY: the token proves AVX2 and FMA; the lengths `count_lanes` relies on were checked
    // just above.
    unsafe { count_lanes::<M, T>(x, global, scores, grades, tally, grading) }
}

/// [`counts_quads`](crate::batch::simd::counts_quads) for whole quads of `u8` or `u16` counts: each quad's four
/// blocks are transposed ([`transpose_quad`]) and widened to i32,
/// one merchant per lane, into `tally` (converted to f64 as they are read); then per leaf
/// the total `t_l`, the weight `G_l / t_l` (one division for four merchants) and the
/// goal's `B_j += w_l c_lj`, and score and grade as [`Grading::root`] gives them, lane by
/// lane.
///
/// # Safety
///
/// AVX2 and FMA must be available; `T` is `u8` or `u16`; `x` holds `scores.len()` (a
/// multiple of 4, at most 64) blocks of `k M >= 16 / T::BYTES` counts, `k = global.len()`;
/// `tally` at least `4 k M` values; `grades.len() == scores.len()`.
#[target_feature(enable = "avx2,fma")]
unsafe fn count_lanes<const M: usize, T: Sealed>(
    x: &[T],
    global: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    tally: &mut [i32],
    grading: &Grading<M>,
) -> u64 {
    debug_assert!(T::BYTES <= 2 && M <= 9 && global.len() * M >= 16 / T::BYTES);
    debug_assert!(scores.len().is_multiple_of(4) && grades.len() == scores.len());
    debug_assert!(
        x.len() >= scores.len() * global.len() * M && tally.len() >= 4 * global.len() * M
    );
    // SAFETY: the caller upholds the contract above: quad `q`'s blocks lie inside `x`
    // (`4 q block + 4 block <= x.len()`), their transposition inside `tally`, the stores inside
    // `scores[..4q + 4]` and `grades[..4q + 4]`; each root is written before it is read.
    unsafe {
        let k = global.len();
        let block = k * M;
        // position p of the four merchants as i32 at ti + 4p
        let ti = tally.as_mut_ptr();
        let zero = _mm256_setzero_pd();
        let mut failed = 0u64;
        let quads = (scores.len().min(grades.len()) / 4).min(16);
        // (not zeroed: each quad's roots are written before they are read)
        let mut roots = [const { MaybeUninit::<[__m256d; M]>::uninit() }; 16];
        for (q, root) in roots.iter_mut().enumerate().take(quads) {
            let base = x.as_ptr().add(4 * q * block);
            prefetch(
                base.wrapping_add(PREFETCH_BYTE_QUADS * 4 * block),
                4 * block,
            );
            transpose_quad(base, block, ti);
            // B_j = sum_l (G_l / t_l) c_lj; a leaf without answers makes w infinite (or NaN)
            // and B NaN, which the check of B's total below rejects
            let mut b = [zero; M];
            for (l, &g) in global.iter().enumerate() {
                let (c, total) = count_row::<M>(ti.add(4 * l * M));
                let w = _mm256_div_pd(_mm256_set1_pd(g), total);
                unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
                    b[j] = _mm256_fmadd_pd(w, c[j], b[j]);
                });
            }
            root.write(b);
        }
        // Grading::root, lane by lane, in a second pass (the quads' chains then overlap)
        for (q, b) in roots.iter().enumerate().take(quads) {
            // written by the first pass for every q < quads
            let b = b.assume_init_ref();
            let (total, ok) = lane_total::<M>(b);
            let (clamped, grade) = finish_lanes::<M, false>(b, total, grading);
            let good = (_mm256_movemask_pd(ok) as u64) & 0b1111;
            // in bounds: 4q + 4 <= quads * 4 <= the lengths of both
            failed |= store_quad(scores, grades, q, (clamped, grade), good);
        }
        failed
    }
}
