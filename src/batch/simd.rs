//! The linear f64 kernel with AVX2 and FMA, chosen at run time.
//!
//! The default x86-64 target guarantees only SSE2 (two f64 per instruction). Where the CPU
//! has AVX2 and FMA (checked once per batch with `is_x86_feature_detected!`), the linear
//! `M(·,+)` path for f64 memberships runs four values per instruction and fuses each product
//! into its sum. This is the crate's only `unsafe` code: calling a function compiled for
//! features the CPU is known to have, and unaligned loads from slices whose lengths are
//! checked before the loop.
//!
//! Layout: four leaf rows of `M` grades are `M` vectors of four lanes. Lane `j` of vector `i`
//! holds element `4i + j` of the four rows, that is row `(4i + j) / M`, grade `(4i + j) % M`,
//! the same for every group of four rows. So `M` accumulators take `G_l x_lj` (the weights come
//! as a flat array `coef[l * M + j] = G_l` laid out like the data), and their lanes are added
//! per grade at the end. Row sums take each vector's lanes into the accumulator of the row
//! they belong to (a mask where a vector straddles two rows) and a 4 x 4 horizontal sum.

use crate::batch::kernel::{rows_normalised, walk_padded, Grading, Plan, NORMALISED_ROW};

/// The kernel can run on this CPU.
#[cfg(target_arch = "x86_64")]
pub(crate) fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// The kernel can run on this CPU.
#[cfg(not(target_arch = "x86_64"))]
pub(crate) fn available() -> bool {
    false
}

#[cfg(target_arch = "x86_64")]
/// `lane_masks::<M>()[i][r][j]` is all ones when lane `j` of vector `i` of a four-row group
/// belongs to row `r`.
const fn lane_masks<const M: usize>() -> [[[u64; 4]; 4]; M] {
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

/// Scores a run of merchants (`x` holds whole `k x M` blocks, at most 64 of them) whose
/// every level composes with `M(·,+)`: writes score and grade of each merchant it can take and
/// returns the bit mask of those it leaves to the exact path (a value with its sign bit set,
/// NaN, a row not summing to 1 within [`NORMALISED_ROW`], a goal `B` summing to 0).
///
/// `coef[l * M + j]` is leaf `l`'s global weight, `finish(b)` turns the goal's unnormalised
/// `B` into score and grade (`None` when it sums to 0).
///
/// Must only be called when [`available`] returned `true`.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
pub(crate) fn linear_chunk<const M: usize>(
    x: &[f64],
    coef: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    finish: impl Fn(&[f64; M]) -> Option<(f64, u32)>,
) -> u64 {
    let block = coef.len();
    let n = scores.len().min(grades.len()).min(64);
    // the kernel unrolls its loop over the M vectors of four rows for M <= 9
    if !available() || M > 9 || block == 0 || block % M != 0 || x.len() < n * block {
        return if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    }
    // SAFETY: the CPU has AVX2 and FMA (checked just above); the slice lengths the kernel
    // relies on (`x` holds `n` blocks of `coef.len()` values, a multiple of `M`) are checked
    // too.
    unsafe {
        avx2::chunk::<M>(
            &x[..n * block],
            coef,
            &mut scores[..n],
            &mut grades[..n],
            finish,
        )
    }
}

/// Scores a run of merchants: never called where [`available`] is `false`.
#[cfg(not(target_arch = "x86_64"))]
pub(crate) fn linear_chunk<const M: usize>(
    _x: &[f64],
    _coef: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    _finish: impl Fn(&[f64; M]) -> Option<(f64, u32)>,
) -> u64 {
    let n = scores.len().min(grades.len()).min(64);
    if n == 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// Scores a run of merchants (`x` holds whole `k x M` blocks, at most 64 of them) by the
/// padded tree walk ([`walk_padded`], any operators): writes score and grade of each merchant
/// whose leaf rows are normalised (within [`NORMALISED_ROW`], no sign bit set) and whose groups
/// all have a `B` summing to a positive number, and returns the bit mask of the others. The
/// row checks run with AVX2 where the CPU has it, the walk itself is compiled for AVX2 there
/// too (no fused operations: the same results either way).
pub(crate) fn walk_chunk<const M: usize, const W: usize>(
    plan: &Plan,
    x: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    slots: &mut [f64],
    grading: &Grading<M>,
) -> u64 {
    let block = plan.k() * M;
    let n = scores.len().min(grades.len()).min(64);
    let (scores, grades) = (&mut scores[..n], &mut grades[..n]);
    if block == 0 || x.len() < n * block {
        return if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    }
    let x = &x[..n * block];
    #[cfg(target_arch = "x86_64")]
    if available() && M <= 9 {
        // SAFETY: AVX2 and FMA are available (checked just above), `x` holds `n` blocks of
        // `k M` values and M <= 9.
        #[allow(unsafe_code)]
        return unsafe { avx2::walk_chunk::<M, W>(plan, x, scores, grades, slots, grading) };
    }
    walk_with::<M, W>(
        plan,
        x,
        scores,
        grades,
        slots,
        grading,
        rows_normalised::<M>,
    )
}

/// The loop of [`walk_chunk`] with the given row check (inlined into each caller, so that it
/// is compiled with the caller's target features).
#[inline(always)]
fn walk_with<const M: usize, const W: usize>(
    plan: &Plan,
    x: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    slots: &mut [f64],
    grading: &Grading<M>,
    rows_ok: impl Fn(&[f64]) -> bool,
) -> u64 {
    let mut failed = 0u64;
    let blocks = x.chunks_exact(plan.k() * M);
    for (i, ((xm, s), g)) in blocks.zip(scores.iter_mut()).zip(grades).enumerate() {
        let b = if rows_ok(xm) {
            walk_padded::<M, W>(plan, xm, slots)
        } else {
            None
        };
        match b {
            Some(b) => (*s, *g) = grading.finish(&b, 1.0),
            None => failed |= 1 << i,
        }
    }
    failed
}

/// The goal's unnormalised `B` of one merchant, `None` where the exact path must decide
/// (for the tests: the same contract as `kernel::linear_f64_normalised`).
#[cfg(all(test, target_arch = "x86_64"))]
#[allow(unsafe_code)]
pub(crate) fn linear_one<const M: usize>(x: &[f64], coef: &[f64]) -> Option<[f64; M]> {
    assert!(available() && M <= 9 && x.len() == coef.len() && x.len() % M == 0);
    // SAFETY: features and lengths asserted above.
    unsafe { avx2::scan::<M, true>(x, coef) }
}

/// The row check of the tree walk for one merchant (for the tests: the contract of
/// `kernel::rows_normalised`).
#[cfg(all(test, target_arch = "x86_64"))]
#[allow(unsafe_code)]
pub(crate) fn rows_one<const M: usize>(x: &[f64]) -> bool {
    assert!(available() && M <= 9 && x.len() % M == 0);
    // SAFETY: features and lengths asserted above; `coef` is not read without `LINEAR`.
    unsafe { avx2::scan::<M, false>(x, &[]).is_some() }
}

/// Runs `$body` with `$i` bound to each listed literal for which `$cond` holds: an unrolled
/// loop whose conditions are constants after monomorphisation, so each iteration's indices
/// (vector, row, mask) are constants and the accumulators stay in registers.
#[cfg(target_arch = "x86_64")]
macro_rules! unrolled {
    ($i:ident in $($n:literal)* if $cond:expr => $body:block) => {
        $({
            let $i: usize = $n;
            if $cond $body
        })*
    };
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2 {
    use super::{lane_masks, walk_with, Grading, Plan, NORMALISED_ROW};
    use std::arch::x86_64::*;

    /// [`super::walk_chunk`] compiled for AVX2, with the AVX2 row check.
    ///
    /// # Safety
    ///
    /// AVX2 and FMA must be available; `x` whole blocks of `k M` values; `M <= 9`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn walk_chunk<const M: usize, const W: usize>(
        plan: &Plan,
        x: &[f64],
        scores: &mut [f64],
        grades: &mut [u32],
        slots: &mut [f64],
        grading: &Grading<M>,
    ) -> u64 {
        let rows_ok = |xm: &[f64]| scan::<M, false>(xm, &[]).is_some();
        walk_with::<M, W>(plan, x, scores, grades, slots, grading, rows_ok)
    }

    /// # Safety
    ///
    /// AVX2 and FMA must be available; `x.len() == scores.len() * coef.len()`,
    /// `grades.len() == scores.len() <= 64`, `coef.len()` a nonzero multiple of `M`; `M <= 9`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn chunk<const M: usize>(
        x: &[f64],
        coef: &[f64],
        scores: &mut [f64],
        grades: &mut [u32],
        finish: impl Fn(&[f64; M]) -> Option<(f64, u32)>,
    ) -> u64 {
        let mut failed = 0u64;
        let blocks = x.chunks_exact(coef.len());
        for (i, ((xm, s), g)) in blocks.zip(scores.iter_mut()).zip(grades).enumerate() {
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

    /// One merchant's checks and, with `LINEAR`, its goal's unnormalised `B` (zeros without):
    /// `None` for a value with its sign bit set, NaN, or a row sum off by more than
    /// [`NORMALISED_ROW`].
    ///
    /// # Safety
    ///
    /// AVX2 and FMA must be available; `x.len()` a multiple of `M`, `M <= 9`; with `LINEAR`,
    /// `coef.len() == x.len()`.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    pub(super) unsafe fn scan<const M: usize, const LINEAR: bool>(
        x: &[f64],
        coef: &[f64],
    ) -> Option<[f64; M]> {
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
                sign |= v.to_bits();
                s += v;
                *bj = g.mul_add(v, *bj);
            }
            tail_ok &= (s - 1.0).abs() <= NORMALISED_ROW;
        }
        // movemask gathers the sign bit of each lane of the OR of every value
        let no_sign = _mm256_movemask_pd(bits) == 0 && sign >> 63 == 0;
        (sums_ok && tail_ok && no_sign).then_some(b)
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::batch::kernel::linear_f64_normalised;

    /// Relative agreement of the AVX2 kernel with the portable one: both sum the same
    /// products in different orders (and fused), so a few ulps.
    const KERNEL_AGREEMENT: f64 = 1e-14;

    fn rows(k: usize, m: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut state = seed;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 11) as f64) / (1u64 << 53) as f64
        };
        let mut x = Vec::with_capacity(k * m);
        for _ in 0..k {
            let raw: Vec<f64> = (0..m).map(|_| next()).collect();
            let s: f64 = raw.iter().sum();
            x.extend(raw.iter().map(|v| v / s));
        }
        let g: Vec<f64> = (0..k).map(|_| next() + 0.01).collect();
        let gs: f64 = g.iter().sum();
        let coef = g
            .iter()
            .flat_map(|&w| std::iter::repeat_n(w / gs, m))
            .collect();
        (x, coef)
    }

    fn check<const M: usize>() {
        if !available() {
            return;
        }
        for k in 1..=13 {
            let (mut x, coef) = rows(k, M, (k * 31 + M) as u64);
            let global: Vec<f64> = coef.iter().step_by(M).copied().collect();
            let (Some(portable), Some(simd)) = (
                linear_f64_normalised::<M>(&x, &global),
                linear_one::<M>(&x, &coef),
            ) else {
                panic!("normalised rows rejected at k = {k}");
            };
            assert!(rows_one::<M>(&x) && rows_normalised::<M>(&x));
            for (a, b) in portable.iter().zip(&simd) {
                assert!(
                    (a - b).abs() <= KERNEL_AGREEMENT * a.abs().max(1e-300),
                    "{a} {b}"
                );
            }
            // every position: a sign bit, NaN, a value making its row sum off, each sends the
            // merchant to the exact path in both kernels
            for p in 0..k * M {
                let keep = x[p];
                for bad in [-0.0, -keep, f64::NAN, keep + 1e-9, keep + 2.0] {
                    if bad.to_bits() == keep.to_bits() {
                        continue;
                    }
                    x[p] = bad;
                    assert!(
                        linear_one::<M>(&x, &coef).is_none(),
                        "k {k} position {p} value {bad}"
                    );
                    assert!(!rows_one::<M>(&x), "k {k} position {p} value {bad}");
                    assert!(!rows_normalised::<M>(&x));
                    assert!(linear_f64_normalised::<M>(&x, &global).is_none());
                    x[p] = keep;
                }
            }
        }
    }

    #[test]
    fn agrees_with_the_portable_kernel_for_every_grade_count() {
        check::<2>();
        check::<3>();
        check::<4>();
        check::<5>();
        check::<6>();
        check::<7>();
        check::<8>();
        check::<9>();
    }

    #[test]
    fn lane_masks_cover_every_lane_once() {
        fn cover<const M: usize>() {
            let masks = lane_masks::<M>();
            for (i, vector) in masks.iter().enumerate() {
                // lane j is covered by exactly the row (4i + j) / M
                let mut owners = [[false; 4]; 4];
                for (r, lanes) in vector.iter().enumerate() {
                    for (j, &lane) in lanes.iter().enumerate() {
                        owners[j][r] = lane == u64::MAX;
                    }
                }
                for (j, owner) in owners.iter().enumerate() {
                    let expected: Vec<bool> = (0..4).map(|r| r == (4 * i + j) / M).collect();
                    assert_eq!(owner.to_vec(), expected, "vector {i} lane {j}");
                }
            }
        }
        cover::<2>();
        cover::<5>();
        cover::<9>();
    }
}
