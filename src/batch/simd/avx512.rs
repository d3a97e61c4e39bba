//! The count kernel with AVX-512: eight merchants per register, `u8`, `u16` or `u32` counts.
//!
//! On CPUs with AVX-512 (F, BW, VL and VBMI, checked at run time) the linear count kernel
//! takes eight merchants at once instead of four (and `u32` counts, which the AVX2 kernel
//! does not take). The arithmetic per value is the same as with AVX2; what halves is the
//! number of instructions, which is what limits the AVX2 kernel (its data arrive eight times
//! faster than its arithmetic consumes them).

use super::avx2::finish_lanes;
use crate::batch::choice::Avx512;
use crate::batch::input::private::Sealed;
use crate::batch::portable::Grading;
use std::arch::x86_64::*;
use std::mem::MaybeUninit;

/// Bytes of transposed counts per window of a block (64 `u8`, 32 `u16` or 16 `u32`
/// positions, the counts of eight merchants each).
pub(crate) const WINDOW_BYTES: usize = 512;

/// Octets ahead of the one being scored whose input is asked into cache (64 merchants, as
/// for the AVX2 kernel).
const PREFETCH_OCTETS: usize = 8;

/// Where each count of a 64-byte window goes before the unpack network of [`transpose`], for
/// counts of `bytes` (1, 2 or 4) bytes, as the permutation's index vector (little-endian
/// indices of that width). The network's output `r` takes `e = max(2 / bytes, 1)` counts from
/// each 128-bit lane (`u32`: from two lanes of the two halves of the merchants), so count `b`
/// of lane `i` takes position `4 e (b / e) + e i + b % e`, and the outputs hold the positions
/// in order (`u8`: `8 (b / 2) + 2 i + b % 2`; `u16` and `u32`: `4 b + i`).
const fn window_order(bytes: usize) -> [u8; 64] {
    let per_lane = 16 / bytes;
    let e = if bytes == 1 { 2 } else { 1 };
    let mut order = [0u8; 64];
    let mut q = 0;
    while q < 64 / bytes {
        let (i, b) = (q / per_lane, q % per_lane);
        // the low byte of the index; a wider index's high bytes stay 0
        order[q * bytes] = (4 * e * (b / e) + e * i + b % e) as u8;
        q += 1;
    }
    order
}

/// The eight blocks of `block` counts at `base` transposed: position `p` of the eight
/// merchants as eight counts at `tb + 8 p T::BYTES`, a window of 64 bytes of each block at a
/// time (64 `u8`, 32 `u16` or 16 `u32` positions; masked loads, nothing past the eighth block
/// read; positions past the block written as zeros up to the end of the last window). Each
/// window's counts are permuted (`order`, from [`window_order`]), then interleaved by an
/// unpack network: counts of two merchants, then pairs of pairs, then quads ([`unpack`] at
/// one, two and four times the count's width), whose output `r` holds the next
/// `64 / (8 T::BYTES)` positions in order.
///
/// # Safety
///
/// AVX-512 F, BW and VBMI must be available; eight blocks of `block >= 1` counts at `base`,
/// `WINDOW_BYTES * block.div_ceil(64 / T::BYTES)` bytes writable at `tb`.
#[target_feature(enable = "avx2,fma,avx512f,avx512bw,avx512vl,avx512vbmi")]
#[inline]
unsafe fn transpose<T: Sealed>(base: *const T, block: usize, tb: *mut u8, order: __m512i) {
    debug_assert!(block >= 1);
    // SAFETY: the caller guarantees eight blocks of `block >= 1` counts at `base` and the
    // windows' bytes at `tb`: the masked loads read at most `len` counts of each block from
    // `s`, the stores write window `s / width`, inside `tb`.
    unsafe {
        let (width, bits) = (64 / T::BYTES, 8 * T::BYTES as u32);
        let mut s = 0;
        while s < block {
            let len = (block - s).min(width);
            let v: [__m512i; 8] = std::array::from_fn(|e| {
                let p = base.add(e * block + s).cast::<i8>();
                // (T::BYTES is a constant: one branch is left)
                if T::BYTES == 1 {
                    let mask: __mmask64 = if len == 64 { !0 } else { (1u64 << len) - 1 };
                    _mm512_permutexvar_epi8(order, _mm512_maskz_loadu_epi8(mask, p))
                } else if T::BYTES == 2 {
                    let mask: __mmask32 = if len == 32 { !0 } else { (1u32 << len) - 1 };
                    _mm512_permutexvar_epi16(order, _mm512_maskz_loadu_epi16(mask, p.cast()))
                } else {
                    let mask: __mmask16 = if len == 16 { !0 } else { (1u16 << len) - 1 };
                    _mm512_permutexvar_epi32(order, _mm512_maskz_loadu_epi32(mask, p.cast()))
                }
            });
            let mut pairs = [_mm512_setzero_si512(); 8];
            for h in 0..4 {
                (pairs[2 * h], pairs[2 * h + 1]) = unpack(bits, v[2 * h], v[2 * h + 1]);
            }
            // fours[h][t]: merchants 4h..4h + 4, the t-th quarter of each lane
            let fours = |h: usize| {
                let (a, b) = unpack(2 * bits, pairs[4 * h], pairs[4 * h + 2]);
                let (c, d) = unpack(2 * bits, pairs[4 * h + 1], pairs[4 * h + 3]);
                [a, b, c, d]
            };
            let (first, second) = (fours(0), fours(1));
            let out = tb.add(WINDOW_BYTES * (s / width));
            for t in 0..4 {
                // two eighths of each lane, eight merchants each
                let (lo, hi) = unpack(4 * bits, first[t], second[t]);
                _mm512_storeu_si512(out.add(128 * t).cast(), lo);
                _mm512_storeu_si512(out.add(128 * t + 64).cast(), hi);
            }
            s += width;
        }
    }
}

/// The low and the high halves of each 128-bit lane of `a` and `b` interleaved, `bits`
/// (8, 16, 32 or 64, a constant after inlining) at a time; for 128 the lanes themselves:
/// `(a0, b0, a1, b1)` and `(a2, b2, a3, b3)`.
#[target_feature(enable = "avx2,fma,avx512f,avx512bw,avx512vl,avx512vbmi")]
#[inline]
fn unpack(bits: u32, a: __m512i, b: __m512i) -> (__m512i, __m512i) {
    match bits {
        8 => (_mm512_unpacklo_epi8(a, b), _mm512_unpackhi_epi8(a, b)),
        16 => (_mm512_unpacklo_epi16(a, b), _mm512_unpackhi_epi16(a, b)),
        32 => (_mm512_unpacklo_epi32(a, b), _mm512_unpackhi_epi32(a, b)),
        64 => (_mm512_unpacklo_epi64(a, b), _mm512_unpackhi_epi64(a, b)),
        _ => {
            // 64-bit indices: 0..8 from a, 8..16 from b
            let lo = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11);
            let hi = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
            (
                _mm512_permutex2var_epi64(a, lo, b),
                _mm512_permutex2var_epi64(a, hi, b),
            )
        }
    }
}

/// [`counts_octets`](super::counts_octets) for whole octets of merchants: the caller checked
/// `M <= 9`, `x` holding `scores.len()` (a multiple of 8, at most 64) blocks of
/// `k M >= 1` counts and `tally` a transposed window per 64 bytes of a block. Returns the mask
/// of the merchants left to the exact path.
pub(crate) fn count_octets<const M: usize, T: Sealed>(
    _cpu: Avx512,
    x: &[T],
    global: &[f64],
    (scores, grades): (&mut [f64], &mut [u32]),
    tally: &mut [i32],
    grading: &Grading<M>,
) -> u64 {
    let block = global.len() * M;
    let n = scores.len().min(grades.len()).min(64);
    let fits = M <= 9
        && block >= 1
        && n.is_multiple_of(8)
        && scores.len() == n
        && grades.len() == n
        && x.len() >= n * block
        && 4 * tally.len() >= WINDOW_BYTES * block.div_ceil(64 / T::BYTES);
    if !fits {
        return super::run_mask(n);
    }
    let len = 4 * tally.len();
    // SAFETY: the same memory as bytes: i32 has no invalid bit patterns and u8 no alignment;
    // `tally` is borrowed mutably for as long as `tb` lives.
    let tb = unsafe { std::slice::from_raw_parts_mut(tally.as_mut_ptr().cast::<u8>(), len) };
    // SAFETY: the token proves the AVX-512 subsets, AVX2 and FMA; the lengths `octets` relies
    // on were checked just above.
    unsafe { octets::<M, T>(x, global, scores, grades, tb, grading) }
}

/// The linear count kernel for whole octets of merchants: each octet's eight blocks
/// transposed ([`transpose`]), then per leaf the eight totals `t_l`,
/// the weight `G_l / t_l`
/// (one division for eight merchants) and the goal's `B_j += w_l c_lj`; score and grade as
/// [`Grading::root`] gives them, lane by lane, in a second pass. Returns the mask of the
/// merchants left to the exact path (a leaf without answers, a goal `B` not summing to a
/// positive finite number).
///
/// # Safety
///
/// AVX-512 F, BW, VL and VBMI, AVX2 and FMA must be available; `x` holds `8 * octets` blocks of `k M >= 1` counts,
/// `k = global.len()`, with `octets = scores.len() / 8 <= 8`; `grades.len() == scores.len()`;
/// `tb` at least `WINDOW_BYTES * (k M).div_ceil(64 / T::BYTES)` bytes.
#[target_feature(enable = "avx2,fma,avx512f,avx512bw,avx512vl,avx512vbmi")]
unsafe fn octets<const M: usize, T: Sealed>(
    x: &[T],
    global: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    tb: &mut [u8],
    grading: &Grading<M>,
) -> u64 {
    debug_assert!(M <= 9 && global.len() * M >= 1 && grades.len() == scores.len());
    debug_assert!(x.len() >= scores.len() / 8 * 8 * global.len() * M);
    // SAFETY: the caller upholds the contract above: octet `o`'s blocks lie inside `x`, their
    // windows inside `tb`, the masked stores inside `scores[..8o + 8]` and `grades[..8o + 8]`;
    // each root is written in the first pass before the second reads it.
    unsafe {
        let block = global.len() * M;
        let order = _mm512_loadu_si512(window_order(T::BYTES).as_ptr().cast());
        let t = tb.as_mut_ptr();
        let zero = _mm512_setzero_pd();
        let octets = (scores.len().min(grades.len()) / 8).min(8);
        // (not zeroed: each octet's roots are written before they are read)
        let mut roots = [const { MaybeUninit::<[__m512d; M]>::uninit() }; 8];
        for (o, root) in roots.iter_mut().enumerate().take(octets) {
            let base = x.as_ptr().add(8 * o * block);
            super::avx2::prefetch(base.wrapping_add(PREFETCH_OCTETS * 8 * block), 8 * block);
            transpose(base, block, t, order);
            // B_j = sum_l (G_l / t_l) c_lj; a leaf without answers makes w infinite (or NaN)
            // and B NaN, which the check of B's total below rejects
            let mut b = [zero; M];
            for (l, &g) in global.iter().enumerate() {
                // eight counts per position
                let row = t.add(8 * T::BYTES * l * M);
                let mut c = [zero; M];
                unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
                    let at = row.add(8 * T::BYTES * j);
                    c[j] = if T::BYTES == 1 {
                        _mm512_cvtepi32_pd(_mm256_cvtepu8_epi32(_mm_loadl_epi64(at.cast())))
                    } else if T::BYTES == 2 {
                        _mm512_cvtepi32_pd(_mm256_cvtepu16_epi32(_mm_loadu_si128(at.cast())))
                    } else {
                        _mm512_cvtepu32_pd(_mm256_loadu_si256(at.cast()))
                    };
                });
                let mut total = c[0];
                unrolled!(j in 1 2 3 4 5 6 7 8 if j < M => {
                    total = _mm512_add_pd(total, c[j]);
                });
                let w = _mm512_div_pd(_mm512_set1_pd(g), total);
                unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
                    b[j] = _mm512_fmadd_pd(w, c[j], b[j]);
                });
            }
            root.write(b);
        }
        let mut failed = 0u64;
        for (o, b) in roots.iter().enumerate().take(octets) {
            // written by the first pass for every o < octets
            let b = b.assume_init_ref();
            let (score, grade, good) = finish(b, grading);
            // in bounds: 8o + 8 <= octets * 8 <= the lengths of both
            _mm512_mask_storeu_pd(scores.as_mut_ptr().add(8 * o), good, score);
            // grade indices are small non-negative integers: exact
            let grade = _mm512_cvttpd_epi32(grade);
            _mm256_mask_storeu_epi32(grades.as_mut_ptr().add(8 * o).cast(), good, grade);
            failed |= u64::from(!good) << (8 * o);
        }
        failed
    }
}

/// [`Grading::root`] for eight merchants, one per lane: the score (clamped to the grade
/// values' range), the grade index (as f64) and the mask of the lanes whose `B` has a total
/// with a usable reciprocal (normal and finite). The total is summed left to right, not in
/// pairs as by [`Grading::root`] (it can differ in the last bit, as `B` itself does from the
/// portable kernel's); the grading is the four-lane one ([`finish_lanes`]) on each half of
/// the register, the same operations in the same order.
#[target_feature(enable = "avx2,fma,avx512f,avx512bw,avx512vl,avx512vbmi")]
#[inline]
fn finish<const M: usize>(b: &[__m512d; M], grading: &Grading<M>) -> (__m512d, __m512d, u8) {
    let mut total = b[0];
    unrolled!(j in 1 2 3 4 5 6 7 8 if j < M => {
        total = _mm512_add_pd(total, b[j]);
    });
    // at least the smallest normal double: `rules::reciprocal_ok`
    let good = _mm512_cmp_pd_mask::<_CMP_GE_OQ>(total, _mm512_set1_pd(f64::MIN_POSITIVE))
        & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(total, _mm512_set1_pd(f64::INFINITY));
    let (mut lo, mut hi) = ([_mm256_setzero_pd(); M], [_mm256_setzero_pd(); M]);
    unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
        lo[j] = _mm512_castpd512_pd256(b[j]);
        hi[j] = _mm512_extractf64x4_pd::<1>(b[j]);
    });
    let total_lo = _mm512_castpd512_pd256(total);
    let total_hi = _mm512_extractf64x4_pd::<1>(total);
    let (score_lo, grade_lo) = finish_lanes::<M, false>(&lo, total_lo, grading);
    let (score_hi, grade_hi) = finish_lanes::<M, false>(&hi, total_hi, grading);
    let score = _mm512_insertf64x4::<1>(_mm512_castpd256_pd512(score_lo), score_hi);
    let grade = _mm512_insertf64x4::<1>(_mm512_castpd256_pd512(grade_lo), grade_hi);
    (score, grade, good)
}
