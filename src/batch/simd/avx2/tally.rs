//! The tally of raw survey answers, `M(·,+)`: two respondent rows per register, a byte
//! counter per leaf and grade, the goal's `B` straight from the counters.

use super::{prefetch, PREFETCH_MERCHANTS};
use crate::batch::choice::Avx2;
use crate::batch::portable::Grading;
use std::arch::x86_64::*;
use std::mem::MaybeUninit;

/// [`tally_run`](crate::batch::simd::tally_run) with AVX2: the caller checked `1 <= k <= 16`,
/// `M <= 9` and `global.len() == k`.
pub(crate) fn run<'a, const M: usize>(
    _cpu: Avx2,
    rows: impl Fn(usize) -> &'a [u8],
    k: usize,
    global: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    grading: &Grading<M>,
) -> u64 {
    if !(M <= 9 && (1..=16).contains(&k) && global.len() == k) {
        return crate::batch::simd::run_mask(scores.len().min(grades.len()).min(64));
    }
    // SAFETY: the token proves AVX2 and FMA; k in 1..=16, M <= 9, `global` holds k weights
    // (checked above).
    unsafe { tally_run::<M>(rows, k, global, scores, grades, grading) }
}

/// The loop of [`run`].
///
/// # Safety
///
/// AVX2 and FMA must be available; `1 <= k <= 16`, `M <= 9`, `global.len() == k`.
#[target_feature(enable = "avx2,fma")]
unsafe fn tally_run<'a, const M: usize>(
    rows: impl Fn(usize) -> &'a [u8],
    k: usize,
    global: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    grading: &Grading<M>,
) -> u64 {
    debug_assert!(M <= 9 && (1..=16).contains(&k) && global.len() == k);
    // SAFETY: the caller upholds the contract above (the token's features, `k`, `M`, `global`),
    // which is what `TallyPlan::new` and `tally_root` ask; each merchant's slot of `bs` is
    // written in the first pass before the second reads it (its bit in `failed` unset).
    unsafe {
        let tail = TallyPlan::new(k, global);
        let mut failed = 0u64;
        let n = scores.len().min(grades.len()).min(64);
        // two passes: every merchant's B, then every score and grade. Each pass's iterations
        // are short and independent, so the processor overlaps them; in one pass the long
        // dependency chain of a merchant's finish (divisions, sums) keeps the next merchant's
        // tally from starting.
        // (not zeroed: every merchant's slot is written before it is read, 2.5 KB per run)
        let mut bs = [const { MaybeUninit::<[f64; M]>::uninit() }; 64];
        for (i, b) in bs.iter_mut().enumerate().take(n) {
            if i + PREFETCH_MERCHANTS < n {
                let ahead = rows(i + PREFETCH_MERCHANTS);
                prefetch(ahead.as_ptr(), ahead.len());
            }
            match tally_root::<M>(rows(i), &tail) {
                Some(root) => {
                    b.write(root);
                }
                None => failed |= 1 << i,
            }
        }
        for (i, ((s, g), b)) in scores
            .iter_mut()
            .zip(grades.iter_mut())
            .zip(&bs)
            .enumerate()
        {
            if failed >> i & 1 == 0 {
                // written in the first pass: merchant i was not marked failed there
                match grading.root(b.assume_init_ref()) {
                    Some(r) => (*s, *g) = r,
                    None => failed |= 1 << i,
                }
            }
        }
        failed
    }
}

/// What the tally needs for rows of `k` codes, built once per run: the global weights,
/// and how the last rows of a merchant are read (a 16-byte window cannot start at a row
/// that ends less than `16 - k` bytes before the merchant's last byte, so it ends there
/// instead and a byte shuffle moves the row's codes into lanes `0..k`).
pub(in crate::batch::simd) struct TallyPlan {
    /// Rows at the end whose window starting at the row would run past the rows.
    lead: usize,
    /// `shifts[o]` moves bytes `o..o + k` to lanes `0..k` (lanes from `k` on get 0, a
    /// valid code counted in lanes never read).
    shifts: [__m128i; 16],
    /// `ceil(2^32 / k)`: `len / k` as a product for `len < 2^16`.
    reciprocal: u64,
    /// The global leaf weights, four per register, zeros past `k`.
    global: [__m256d; 4],
    /// Registers of four leaves: `ceil(k / 4)`.
    quads: usize,
    /// Codes per row, 1..=16.
    k: usize,
}

impl TallyPlan {
    /// The plan for rows of `k` codes and the `k` global weights `global`.
    ///
    /// # Safety
    ///
    /// AVX2 and FMA must be available; `1 <= k <= 16`.
    #[target_feature(enable = "avx2,fma")]
    pub(in crate::batch::simd) unsafe fn new(k: usize, global: &[f64]) -> Self {
        debug_assert!((1..=16).contains(&k));
        // SAFETY: the loads read the 16 bytes of `bytes` and the 16 values of `padded`, local
        // arrays of exactly that size; AVX2 is available (the caller's contract).
        unsafe {
            let mut padded = [0.0f64; 16];
            for (p, &g) in padded.iter_mut().zip(global).take(k) {
                *p = g;
            }
            let mut shifts = [_mm_setzero_si128(); 16];
            for (o, s) in shifts.iter_mut().enumerate() {
                let mut bytes = [0x80u8; 16];
                for (i, b) in bytes.iter_mut().enumerate().take(k.min(16 - o)) {
                    *b = (o + i) as u8;
                }
                *s = _mm_loadu_si128(bytes.as_ptr().cast());
            }
            Self {
                lead: (16 - k).div_ceil(k),
                shifts,
                reciprocal: (1u64 << 32).div_ceil(k as u64),
                quads: k.div_ceil(4),
                k,
                global: [
                    _mm256_loadu_pd(padded.as_ptr()),
                    _mm256_loadu_pd(padded.as_ptr().add(4)),
                    _mm256_loadu_pd(padded.as_ptr().add(8)),
                    _mm256_loadu_pd(padded.as_ptr().add(12)),
                ],
            }
        }
    }
}

/// A merchant's answer rows tallied and turned into the goal's unnormalised `B` (see
/// [`run`]): [`tally_counts`], then [`counts_root`].
///
/// # Safety
///
/// AVX2 and FMA must be available; `M <= 9`, `tail` built for the rows' `k`.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(in crate::batch::simd) unsafe fn tally_root<const M: usize>(
    rows: &[u8],
    tail: &TallyPlan,
) -> Option<[f64; M]> {
    debug_assert!(M <= 9);
    // SAFETY: the caller upholds the contract above, which is that of `tally_counts` and
    // `counts_root`.
    unsafe { Some(counts_root::<M>(&tally_counts::<M>(rows, tail)?, tail)) }
}

/// A merchant's answer rows tallied: per grade, the answers of each leaf (byte lanes
/// `0..k`); `None` when a code is neither a grade nor
/// [`MISSING_ANSWER`](crate::batch::MISSING_ANSWER), a leaf has no answer, or there are
/// fewer than 16 bytes of rows or more than 255 rows.
///
/// Rows `r` and `r + 1` go to the low and high 16 bytes of one register; lanes past `k`
/// (the next row's first codes, or zeros) are counted but never read. A code `x` is
/// valid when `x + 1` (wrapping) is at most `M`: grades `0..M` and 255.
///
/// # Safety
///
/// AVX2 and FMA must be available; `M <= 9`, `tail` built for the rows' `k`.
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn tally_counts<const M: usize>(rows: &[u8], tail: &TallyPlan) -> Option<[__m128i; M]> {
    debug_assert!(M <= 9 && (1..=16).contains(&tail.k));
    // SAFETY: the caller upholds the contract above; every 16-byte load lies inside `rows`: the
    // whole windows end at `(r + 1) k + 16 <= len`, the last rows' windows start at
    // `min(rk, len - 16) >= 0` (`len >= 16`, checked first).
    unsafe {
        let k = tail.k;
        let len = rows.len();
        if len < 16 || len > 255 * k {
            return None;
        }
        // exact: len < 2^12
        let n_rows = ((len as u64 * tail.reciprocal) >> 32) as usize;
        let p = rows.as_ptr();
        let one = _mm256_set1_epi8(1);
        let mut counts = [_mm256_setzero_si256(); M];
        let mut top = _mm256_setzero_si256();
        macro_rules! count {
        ($v:expr) => {{
            let v = $v;
            unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
                let hit = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(j as i8));
                // a hit is -1: subtracting it counts one
                counts[j] = _mm256_sub_epi8(counts[j], hit);
            });
            top = _mm256_max_epu8(top, _mm256_add_epi8(v, one));
        }};
    }
        // rows below `whole` have their window inside the rows (lead k >= 16 - k)
        let whole = n_rows.saturating_sub(tail.lead);
        // row r (r >= whole) as 16 lanes: the window starts at min(rk, len - 16), in
        // [rk - (16 - k), rk] since the row ends inside the rows
        let last = |r: usize| {
            let start = (r * k).min(len - 16);
            let window = _mm_loadu_si128(p.add(start).cast());
            _mm_shuffle_epi8(window, tail.shifts[(r * k - start) & 15])
        };
        let mut r = 0;
        while r + 2 <= whole {
            // in bounds: (r + 1) k + 16 <= len
            let lo = _mm_loadu_si128(p.add(r * k).cast());
            let hi = _mm_loadu_si128(p.add((r + 1) * k).cast());
            count!(_mm256_set_m128i(hi, lo));
            r += 2;
        }
        while r + 2 <= n_rows {
            let lo = if r < whole {
                _mm_loadu_si128(p.add(r * k).cast())
            } else {
                last(r)
            };
            count!(_mm256_set_m128i(last(r + 1), lo));
            r += 2;
        }
        if r < n_rows {
            // the high half: 255s, missing answers, counted nowhere
            let lo = if r < whole {
                _mm_loadu_si128(p.add(r * k).cast())
            } else {
                last(r)
            };
            count!(_mm256_set_m128i(_mm_set1_epi8(-1), lo));
        }
        // the two halves (at most 255 rows: no byte wraps)
        let half =
            |v: __m256i| _mm_add_epi8(_mm256_castsi256_si128(v), _mm256_extracti128_si256::<1>(v));
        let mut c16 = [_mm_setzero_si128(); M];
        let mut total = _mm_setzero_si128();
        for (c, v) in c16.iter_mut().zip(&counts) {
            *c = half(*v);
            total = _mm_add_epi8(total, *c);
        }
        let k = tail.k;
        let top = _mm_max_epu8(
            _mm256_castsi256_si128(top),
            _mm256_extracti128_si256::<1>(top),
        );
        // lanes below k: top <= M, i.e. top saturating-minus M is zero
        let valid = _mm_cmpeq_epi8(
            _mm_subs_epu8(top, _mm_set1_epi8(M as i8)),
            _mm_setzero_si128(),
        );
        let lanes = (1u32 << k) - 1;
        if (_mm_movemask_epi8(valid) as u32) & lanes != lanes {
            return None;
        }
        // every leaf answered
        let unanswered = _mm_cmpeq_epi8(total, _mm_setzero_si128());
        if (_mm_movemask_epi8(unanswered) as u32) & lanes != 0 {
            return None;
        }
        Some(c16)
    }
}

/// The goal's unnormalised `B` from a merchant's tally ([`tally_counts`]).
///
/// # Safety
///
/// AVX2 and FMA must be available; `c16` a tally of rows of the `k` codes `tail` was
/// built for, every leaf answered.
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn counts_root<const M: usize>(c16: &[__m128i; M], tail: &TallyPlan) -> [f64; M] {
    debug_assert!(M <= 9);
    // SAFETY: the only memory access is the store of four sums at `sums + j0` (`j0 <= 8`) into
    // the local array of 12.
    unsafe {
        let mut total = _mm_setzero_si128();
        for c in c16 {
            total = _mm_add_epi8(total, *c);
        }
        // lanes past k (counts never read) get a total of at least one, so that their weight
        // is 0 / t = 0
        let total = _mm_max_epu8(total, _mm_set1_epi8(1));
        // four leaves per register: bytes 4q..4q + 4 as f64
        let quad = |v: __m128i, q: usize| {
            let bytes = match q {
                0 => v,
                1 => _mm_srli_si128::<4>(v),
                2 => _mm_srli_si128::<8>(v),
                _ => _mm_srli_si128::<12>(v),
            };
            _mm256_cvtepi32_pd(_mm_cvtepu8_epi32(bytes))
        };
        let quads = tail.quads;
        // w_l = G_l / t_l
        let mut w = [_mm256_setzero_pd(); 4];
        for (q, wq) in w.iter_mut().enumerate().take(quads) {
            *wq = _mm256_div_pd(tail.global[q], quad(total, q));
        }
        let mut acc = [_mm256_setzero_pd(); M];
        for (a, c) in acc.iter_mut().zip(c16) {
            unrolled!(q in 0 1 2 3 if q < quads => {
                *a = _mm256_fmadd_pd(w[q], quad(*c, q), *a);
            });
        }
        // lane sums, four grades at a time
        let mut b = [0.0f64; M];
        let mut sums = [0.0f64; 12];
        unrolled!(j0 in 0 4 8 if j0 < M => {
            let get = |j: usize| if j < M { acc[j] } else { _mm256_setzero_pd() };
            let h01 = _mm256_hadd_pd(get(j0), get(j0 + 1));
            let h23 = _mm256_hadd_pd(get(j0 + 2), get(j0 + 3));
            let four = _mm256_add_pd(
                _mm256_permute2f128_pd::<0x20>(h01, h23),
                _mm256_permute2f128_pd::<0x31>(h01, h23),
            );
            _mm256_storeu_pd(sums.as_mut_ptr().add(j0), four);
        });
        b.copy_from_slice(&sums[..M]);
        b
    }
}
