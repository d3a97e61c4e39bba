//! The AVX2 kernels (with FMA), and the helpers they share: four f64 per register.
//!
//! Every function here is compiled for AVX2 and FMA (`#[target_feature]`); the entry points
//! of each submodule take an [`Avx2`](crate::batch::choice::Avx2) token, the proof that the
//! CPU has them, check the lengths the kernel relies on and only then call it.

pub(super) mod counts;
pub(super) mod linear;
pub(super) mod tally;
pub(super) mod walk;

use crate::batch::input::private::Sealed;
use crate::batch::plan::Plan;
use crate::batch::portable::Grading;
use crate::numeric::MEMBERSHIP_TIE_TOL;
use std::arch::x86_64::*;

/// Merchants ahead of the one being scored whose input the per-merchant kernels ask into
/// cache (at 12 ns or more of arithmetic each, eight cover a DRAM access).
pub(super) const PREFETCH_MERCHANTS: usize = 8;

/// Quads ahead of the one being scored whose input is asked into cache: each quad costs
/// about 70 ns of arithmetic, so two quads ahead covers a DRAM access (the hardware
/// prefetcher alone leaves the walk waiting for memory: 35 ns per merchant at 1e6
/// merchants against 18 ns in cache).
pub(super) const PREFETCH_QUADS: usize = 2;

/// The same for the `u8` count kernel, whose quads cost about 30 ns each: sixteen ahead
/// (eight left it waiting for memory: 8.2 ns per merchant at 1e6 merchants against 7.4 ns
/// in cache; sixteen: 7.7 ns).
pub(super) const PREFETCH_BYTE_QUADS: usize = 16;

/// Asks for the cache lines of `len` values from `p` on. Prefetches do not fault, and the
/// pointer is only formed with wrapping arithmetic, never dereferenced.
///
/// # Safety
///
/// SSE must be available (every x86-64 has it); `p` may point anywhere.
#[inline(always)]
pub(super) unsafe fn prefetch<T>(p: *const T, len: usize) {
    // SAFETY: a prefetch is a hint: it reads nothing the program sees and does not fault, whatever
    // the address (formed with wrapping arithmetic, never dereferenced).
    unsafe {
        let (p, bytes) = (p.cast::<i8>(), len * std::mem::size_of::<T>());
        let mut offset = 0;
        while offset < bytes {
            _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(offset));
            offset += 64;
        }
    }
}

/// Writes the lanes of quad `q`'s `(score, grade)` (grade indices as f64) whose bit is set
/// in `good` to `scores[4q..4q + 4]` and `grades[4q..4q + 4]`, leaving the other slots as
/// they are; returns the quad's bits of the merchants left to the exact path, in place in
/// the run's mask.
///
/// # Safety
///
/// AVX2 must be available; `4q + 4` at most the length of both slices.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) unsafe fn store_quad(
    scores: &mut [f64],
    grades: &mut [u32],
    q: usize,
    (score, grade): (__m256d, __m256d),
    good: u64,
) -> u64 {
    debug_assert!(4 * q + 4 <= scores.len() && 4 * q + 4 <= grades.len());
    // SAFETY: the caller guarantees `4q + 4` is at most the length of both slices: the masked
    // stores write (at most) `scores[4q..4q + 4]` and `grades[4q..4q + 4]`.
    unsafe {
        let bits = _mm256_setr_epi64x(1, 2, 4, 8);
        let lanes = _mm256_and_si256(_mm256_set1_epi64x(good as i64), bits);
        let mask = _mm256_cmpeq_epi64(lanes, bits);
        _mm256_maskstore_pd(scores.as_mut_ptr().add(4 * q), mask, score);
        // the low halves of the four 64-bit lanes: the same mask for 32-bit lanes
        let pick = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
        let mask32 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(mask, pick));
        // grade indices are small non-negative integers: exact
        let grade = _mm256_cvttpd_epi32(grade);
        _mm_maskstore_epi32(grades.as_mut_ptr().add(4 * q).cast(), mask32, grade);
        (!good & 0b1111) << (4 * q)
    }
}

/// Lane sums of `v[0..M]`, and the mask of the lanes whose sum has a usable reciprocal
/// ([`rules::reciprocal_ok`](crate::evaluation::rules::reciprocal_ok): normal, finite; false
/// for NaN).
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) fn lane_total<const M: usize>(v: &[__m256d; M]) -> (__m256d, __m256d) {
    let mut total = v[0];
    unrolled!(j in 1 2 3 4 5 6 7 8 if j < M => {
        total = _mm256_add_pd(total, v[j]);
    });
    // at least the smallest normal double: `rules::reciprocal_ok`
    let positive = _mm256_cmp_pd::<_CMP_GE_OQ>(total, _mm256_set1_pd(f64::MIN_POSITIVE));
    let finite = _mm256_cmp_pd::<_CMP_LT_OQ>(total, _mm256_set1_pd(f64::INFINITY));
    (total, _mm256_and_pd(positive, finite))
}

/// [`Grading::finish`] for four merchants, one per lane: the score (clamped to the grade
/// values' range) and the grade index (as f64) of the goal's `B` (`b[j]` = grade `j`)
/// whose total is `total`, with the same operations in the same order. With `UNIT` the
/// total is 1 and the division by it (exact) is left out.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) fn finish_lanes<const M: usize, const UNIT: bool>(
    b: &[__m256d; M],
    total: __m256d,
    grading: &Grading<M>,
) -> (__m256d, __m256d) {
    let zero = _mm256_setzero_pd();
    let (mut max, mut weighted) = (zero, zero);
    unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
        // `if x > max { x } else { max }`
        max = _mm256_max_pd(b[j], max);
        let v = _mm256_set1_pd(grading.values[j]);
        weighted = _mm256_add_pd(weighted, _mm256_mul_pd(b[j], v));
    });
    let tie = _mm256_mul_pd(_mm256_set1_pd(MEMBERSHIP_TIE_TOL), total);
    let mut grade = zero;
    unrolled!(j in 8 7 6 5 4 3 2 1 0 if j < M => {
        let near = _mm256_cmp_pd::<_CMP_LE_OQ>(_mm256_sub_pd(max, b[j]), tie);
        grade = _mm256_blendv_pd(grade, _mm256_set1_pd(j as f64), near);
    });
    let score = if UNIT {
        weighted
    } else {
        _mm256_div_pd(weighted, total)
    };
    let (lo, hi) = (_mm256_set1_pd(grading.min), _mm256_set1_pd(grading.max));
    let clamped = _mm256_blendv_pd(score, hi, _mm256_cmp_pd::<_CMP_GT_OQ>(score, hi));
    let clamped = _mm256_blendv_pd(clamped, lo, _mm256_cmp_pd::<_CMP_LT_OQ>(score, lo));
    (clamped, grade)
}

/// One leaf's counts in a transposed quad (`row`: `4 M` i32 values, grade `j`'s four
/// merchants at `4 j`, as [`transpose_quad`] writes them) as f64 vectors, one merchant per
/// lane, and their totals (summed left to right).
///
/// # Safety
///
/// AVX2 and FMA must be available; `row` must be valid for reading `4 M` i32 values; `M <= 9`.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) unsafe fn count_row<const M: usize>(row: *const i32) -> ([__m256d; M], __m256d) {
    debug_assert!(M <= 9);
    let mut c = [_mm256_setzero_pd(); M];
    unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
        // SAFETY: the caller guarantees `4 M` readable values from `row`; this reads four of
        // them, `4 j..4 j + 4`.
        c[j] = _mm256_cvtepi32_pd(unsafe { _mm_loadu_si128(row.add(4 * j).cast()) });
    });
    let mut total = c[0];
    unrolled!(j in 1 2 3 4 5 6 7 8 if j < M => {
        total = _mm256_add_pd(total, c[j]);
    });
    (c, total)
}

/// The 4 x 4 transpose of `a, b, c, d` (four values each): element `e` of the result
/// holds the `e`-th values of the four.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) fn transpose4(a: __m256d, b: __m256d, c: __m256d, d: __m256d) -> [__m256d; 4] {
    let ab_even = _mm256_unpacklo_pd(a, b);
    let ab_odd = _mm256_unpackhi_pd(a, b);
    let cd_even = _mm256_unpacklo_pd(c, d);
    let cd_odd = _mm256_unpackhi_pd(c, d);
    [
        _mm256_permute2f128_pd::<0x20>(ab_even, cd_even),
        _mm256_permute2f128_pd::<0x20>(ab_odd, cd_odd),
        _mm256_permute2f128_pd::<0x31>(ab_even, cd_even),
        _mm256_permute2f128_pd::<0x31>(ab_odd, cd_odd),
    ]
}

/// The low and the high halves of `a` and `b` interleaved, `bits` (8, 16 or 32, a
/// constant after inlining) at a time.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) fn unpack(bits: u32, a: __m128i, b: __m128i) -> (__m128i, __m128i) {
    match bits {
        8 => (_mm_unpacklo_epi8(a, b), _mm_unpackhi_epi8(a, b)),
        16 => (_mm_unpacklo_epi16(a, b), _mm_unpackhi_epi16(a, b)),
        _ => (_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b)),
    }
}

/// The four blocks of `block` `u8` or `u16` counts at `base` (at least 16 bytes each)
/// transposed and widened: position `p` of the four merchants as four i32 at `ti + 4p`,
/// 16 bytes of each block at a time (16 `u8` or 8 `u16` positions: unpacks of the count's
/// width, then of twice it; the last window ends with the block and rewrites a few
/// positions with the same values).
///
/// # Safety
///
/// AVX2 must be available; `T` is `u8` or `u16`; four blocks of `block >= 16 / T::BYTES`
/// counts at `base`, `4 block` i32 writable at `ti`.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) unsafe fn transpose_quad<T: Sealed>(base: *const T, block: usize, ti: *mut i32) {
    debug_assert!(block >= 16 / T::BYTES);
    // SAFETY: the caller guarantees four blocks of `block >= 16 / T::BYTES` counts at `base`
    // and `4 block` i32 writable at `ti`: every 16-byte window read starts at most
    // `block - width` into a block, every store ends within `ti + 4 block`.
    unsafe {
        let (width, bits) = (16 / T::BYTES, 8 * T::BYTES as u32);
        let mut p = 0;
        loop {
            let start = p.min(block - width);
            let load = |e: usize| _mm_loadu_si128(base.add(e * block + start).cast());
            let (ab_lo, ab_hi) = unpack(bits, load(0), load(1));
            let (cd_lo, cd_hi) = unpack(bits, load(2), load(3));
            // width / 4 positions each, as (a, b, c, d) count quadruples
            let (q0, q1) = unpack(2 * bits, ab_lo, cd_lo);
            let (q2, q3) = unpack(2 * bits, ab_hi, cd_hi);
            for (f, quad) in [q0, q1, q2, q3].iter().enumerate() {
                let out = ti.add(4 * (start + width / 4 * f));
                // (T::BYTES is a constant: one branch is left) widened to i32
                if T::BYTES == 1 {
                    _mm256_storeu_si256(out.cast(), _mm256_cvtepu8_epi32(*quad));
                    let second = _mm256_cvtepu8_epi32(_mm_srli_si128::<8>(*quad));
                    _mm256_storeu_si256(out.add(8).cast(), second);
                } else {
                    _mm256_storeu_si256(out.cast(), _mm256_cvtepu16_epi32(*quad));
                }
            }
            if start + width >= block {
                break;
            }
            p += width;
        }
    }
}

/// `M` lane values of four merchants (value `j` of the four at `src + 4j`) written as
/// each merchant's `M` values, merchant `e` at `out + e nb` (those whose bit is set in
/// `good`), four values at a time by a 4 x 4 transpose.
///
/// # Safety
///
/// AVX2 must be available; `4 M` values readable at `src`, `M` writable at `out + e nb`
/// for `e` in 0..4.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) unsafe fn store_lanes<const M: usize>(
    src: *const f64,
    out: *mut f64,
    nb: usize,
    good: u64,
) {
    // SAFETY: the caller guarantees `4 M` values readable at `src` and `M` writable at
    // `out + e nb` for each of the four merchants `e`: the loads and stores stay inside them.
    unsafe {
        let mut j = 0;
        while j + 4 <= M {
            let a = _mm256_loadu_pd(src.add(4 * j));
            let b = _mm256_loadu_pd(src.add(4 * (j + 1)));
            let c = _mm256_loadu_pd(src.add(4 * (j + 2)));
            let d = _mm256_loadu_pd(src.add(4 * (j + 3)));
            for (e, v) in transpose4(a, b, c, d).iter().enumerate() {
                if good >> e & 1 == 1 {
                    _mm256_storeu_pd(out.add(e * nb + j), *v);
                }
            }
            j += 4;
        }
        while j < M {
            let mut lanes = [0.0f64; 4];
            _mm256_storeu_pd(lanes.as_mut_ptr(), _mm256_loadu_pd(src.add(4 * j)));
            for (e, &v) in lanes.iter().enumerate() {
                if good >> e & 1 == 1 {
                    *out.add(e * nb + j) = v;
                }
            }
            j += 1;
        }
    }
}

/// The node `B` of the merchants of a quad whose bit is set in `good`, each into its
/// `n_nodes x M` block from `out` on: a leaf's `B` is its (normalised) row, read from the
/// merchant's block at `rows` (`Some`: four blocks of `block = k M` values) or else from
/// the lane values `t` (value `p` of the four merchants at `t + 4p`); a group's is taken
/// from the lane slots `sl` (grade `j` of group `gi` at `sl + 4 (gi M + j)`).
///
/// # Safety
///
/// AVX2 must be available; `rows` (if given) the quad's four blocks of `block = k M`
/// values, `t` its `4 k M` lane values, `sl` its group slots, `out` four blocks of
/// `n_nodes M` values; `plan.m == M`.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) unsafe fn write_node_b<const M: usize>(
    plan: &Plan,
    (rows, t, sl): (Option<*const f64>, *const f64, *const f64),
    out: *mut f64,
    good: u64,
) {
    debug_assert_eq!(plan.m, M);
    // SAFETY: the caller guarantees the quad's blocks at `rows` (if given), its lane values at
    // `t`, its group slots at `sl` and four node-`B` blocks at `out`: every copy reads a row or
    // slot of `M` values inside them and writes one node's `M` values inside `out`.
    unsafe {
        let (nb, block) = (plan.n_nodes * M, plan.k() * M);
        for (l, &node) in plan.leaf_node.iter().enumerate() {
            match rows {
                Some(base) => {
                    for e in (0..4).filter(|e| good >> e & 1 == 1) {
                        let (from, to) = (base.add(e * block + l * M), out.add(e * nb + node * M));
                        std::ptr::copy_nonoverlapping(from, to, M);
                    }
                }
                None => store_lanes::<M>(t.add(4 * l * M), out.add(node * M), nb, good),
            }
        }
        for (gi, group) in plan.groups.iter().enumerate() {
            store_lanes::<M>(sl.add(4 * gi * M), out.add(group.node * M), nb, good);
        }
    }
}

/// Copies `len` values from `src` to `dst`: the whole cache lines of `dst` with
/// non-temporal stores (past the cache, without first reading the lines), the partial
/// lines at both ends with normal ones. The caller issues the store fence.
///
/// # Safety
///
/// AVX2 must be available; `len` values readable at `src`, writable at `dst`, apart.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(super) unsafe fn stream_copy(dst: *mut f64, src: *const f64, len: usize) {
    // SAFETY: the caller guarantees `len` values readable at `src`, writable at `dst`, apart:
    // the copies and the stores cover `dst[..len]` exactly (the streamed part starts on a
    // cache line, so both halves are 32-byte aligned).
    unsafe {
        // (`usize::MAX`, so all of it copied normally, if `dst` could not reach a line)
        let head = dst.align_offset(64).min(len);
        std::ptr::copy_nonoverlapping(src, dst, head);
        let mut i = head;
        while i + 8 <= len {
            // dst + i is on a cache line: both halves 32-byte aligned
            _mm256_stream_pd(dst.add(i), _mm256_loadu_pd(src.add(i)));
            _mm256_stream_pd(dst.add(i + 4), _mm256_loadu_pd(src.add(i + 4)));
            i += 8;
        }
        std::ptr::copy_nonoverlapping(src.add(i), dst.add(i), len - i);
    }
}
