//! The batch kernels that run on runs of up to 64 merchants, with AVX2 and FMA (and for
//! integer counts AVX-512) chosen at run time.
//!
//! The default x86-64 target guarantees only SSE2 (two f64 per instruction). Where the CPU
//! has AVX2 and FMA (checked with `is_x86_feature_detected!`, a cached flag), these kernels
//! take the merchants they can score and hand the others (bad data, rows not normalised,
//! anything the exact path must judge) back as a bit mask; without AVX2 the portable kernels
//! of `kernel.rs` run instead. This module holds the crate's only `unsafe` code: calls of
//! functions compiled for features the CPU is known to have, and loads and stores through
//! pointers into slices whose lengths are checked before the loops.
//!
//! - [`linear_chunk`]: f64 memberships, `M(·,+)` at every level. Four leaf rows of `M` grades
//!   are `M` vectors of four lanes; lane `j` of vector `i` holds row `(4i + j) / M`, grade
//!   `(4i + j) % M`, the same for every group of four rows, so `M` accumulators take
//!   `G_l x_lj` by fused multiply-adds (weights as a flat array `coef[l * M + j] = G_l` laid
//!   out like the data) and their lanes are added per grade at the end. Row sums take each
//!   vector's lanes into the accumulator of the row they belong to (a mask where a vector
//!   straddles two rows) and a 4 x 4 horizontal sum.
//! - [`walk_chunk`]: f64 memberships, any operators (and node `B` output): four merchants at
//!   once, one per lane. Each quad's blocks are transposed so that every value of the tree
//!   walk is one register for four merchants, and every operation of the portable walk runs
//!   once for them, in the same order and unfused: the same results bit for bit.
//! - [`counts_lanes`]: `u8` or `u16` answer counts, `M(·,+)`: four merchants per register as
//!   well, counts transposed and widened, one division per leaf for four merchants; eight
//!   merchants per register, `u8`, `u16` or `u32` counts, where the CPU has AVX-512 (F, BW,
//!   VL, VBMI; [`avx512`]).
//! - [`counts_walk_chunk`]: `u8` or `u16` answer counts under any operators, or with node
//!   `B`: the same transposition, the rows turned into memberships, then the lane walk of
//!   [`walk_chunk`].
//! - [`tally_chunk`]: raw survey answers, `M(·,+)`: two respondent rows per register, a byte
//!   counter per leaf and grade, the goal's `B` straight from the counters.

use crate::batch::input::private::Sealed;
#[cfg(target_arch = "x86_64")]
use crate::batch::kernel::NORMALISED_ROW;
use crate::batch::kernel::{
    from_line, linear_f64_normalised, rows_normalised, walk_padded, Grading, Plan, Scratch,
};

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

/// The bit mask of the first `n` merchants of a run (`n <= 64`): bit `i` for merchant `i`.
pub(crate) fn run_mask(n: usize) -> u64 {
    u64::MAX.checked_shr(64 - n.min(64) as u32).unwrap_or(0)
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
/// `coef[l * M + j] = global[l]` is leaf `l`'s global weight, `finish(b)` turns the goal's
/// unnormalised `B` into score and grade (`None` when it sums to 0). With AVX2 four values per
/// instruction (`avx2::chunk`), else two (`kernel::linear_f64_normalised`).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn linear_chunk<const M: usize>(
    x: &[f64],
    (coef, global): (&[f64], &[f64]),
    scores: &mut [f64],
    grades: &mut [u32],
    finish: impl Fn(&[f64; M]) -> Option<(f64, u32)>,
) -> u64 {
    let block = coef.len();
    let n = scores.len().min(grades.len()).min(64);
    if block == 0 || block % M != 0 || global.len() * M != block || x.len() < n * block {
        return run_mask(n);
    }
    let (x, scores, grades) = (&x[..n * block], &mut scores[..n], &mut grades[..n]);
    // the AVX2 kernel unrolls its loop over the M vectors of four rows for M <= 9
    #[cfg(target_arch = "x86_64")]
    if available() && M <= 9 {
        // SAFETY: the CPU has AVX2 and FMA (checked just above); the slice lengths the
        // kernel relies on (`x` holds `n` blocks of `coef.len()` values, a multiple of `M`)
        // are checked too.
        #[allow(unsafe_code)]
        return unsafe { avx2::chunk::<M>(x, coef, scores, grades, finish) };
    }
    let mut failed = 0u64;
    let blocks = x.chunks_exact(block);
    for (i, ((xm, s), g)) in blocks.zip(scores.iter_mut()).zip(grades).enumerate() {
        match linear_f64_normalised::<M>(xm, global).and_then(|b| finish(&b)) {
            Some(r) => (*s, *g) = r,
            None => failed |= 1 << i,
        }
    }
    failed
}

/// Scores a run of merchants (`x` holds whole `k x M` blocks, at most 64 of them) by the
/// padded tree walk ([`walk_padded`], any operators): writes score and grade of each merchant
/// whose leaf rows are normalised (within [`NORMALISED_ROW`], no sign bit set) and whose groups
/// all have a `B` summing to a positive number, and returns the bit mask of the others. The
/// row checks run with AVX2 where the CPU has it, the walk itself is compiled for AVX2 there
/// too (no fused operations: the same results either way).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn walk_chunk<const M: usize, const W: usize>(
    plan: &Plan,
    x: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    node_b: Option<&mut [f64]>,
    scratch: &mut Scratch,
    grading: &Grading<M>,
) -> u64 {
    let block = plan.k() * M;
    let n = scores.len().min(grades.len()).min(64);
    let (scores, grades) = (&mut scores[..n], &mut grades[..n]);
    if block == 0 || x.len() < n * block {
        return run_mask(n);
    }
    let x = &x[..n * block];
    // whole quads of merchants, one per lane, where the CPU has AVX2
    let lanes = from_line(&mut scratch.lanes);
    let lanes_ok =
        available() && M <= 9 && lanes.len() >= 4 * M * (plan.k() + plan.flat_groups.len());
    let with_b = node_b.is_some();
    let stage = scratch.stream_node_b.then(|| from_line(&mut scratch.stage));
    let node_b = node_b.map(|out| NodeB { out, stage });
    let (done, failed) = if lanes_ok {
        let quads4 = n / 4 * 4;
        let (scores, grades) = (&mut scores[..quads4], &mut grades[..quads4]);
        walk_quads::<M>(plan, x, scores, grades, node_b, lanes, grading)
    } else {
        (0, 0)
    };
    if with_b {
        // node B only from the lane walk: the rest go to the exact path
        let all = run_mask(n);
        let taken = run_mask(done);
        return failed | (all & !taken);
    }
    let rest = walk_with::<M, W>(
        plan,
        &x[done * block..],
        &mut scores[done..],
        &mut grades[done..],
        &mut scratch.slots,
        grading,
    );
    failed | rest.checked_shl(done as u32).unwrap_or(0)
}

#[cfg(target_arch = "x86_64")]
/// Merchants ahead of the one being scored whose input the per-merchant kernels ask into
/// cache (at 12 ns or more of arithmetic each, eight cover a DRAM access).
const PREFETCH_MERCHANTS: usize = 8;

/// Scores a run of merchants from raw survey answers (`rows(i)` gives merchant `start + i`'s
/// answer rows of `k <= 16` codes) when every level composes with `M(·,+)`: the AVX2 tally
/// (two respondent rows per register, a byte counter per indicator and grade) and the goal's
/// `B_j = sum_l G_l c_lj / t_l` straight from the counters. Writes score and grade of each
/// merchant it can take and returns the bit mask of the others (an invalid code, a leaf without
/// answers, more than 255 respondents, no AVX2).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn tally_chunk<'a, const M: usize>(
    rows: impl Fn(usize) -> &'a [u8],
    k: usize,
    global: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    grading: &Grading<M>,
) -> u64 {
    let n = scores.len().min(grades.len()).min(64);
    let all = run_mask(n);
    #[cfg(target_arch = "x86_64")]
    if available() && M <= 9 && (1..=16).contains(&k) && global.len() == k {
        let (scores, grades) = (&mut scores[..n], &mut grades[..n]);
        // SAFETY: AVX2 and FMA are available, k in 1..=16, M <= 9, `global` holds k weights
        // (checked above).
        #[allow(unsafe_code)]
        return unsafe { avx2::tally_run::<M>(rows, k, global, scores, grades, grading) };
    }
    let _ = (rows, k, global, grading);
    all
}

/// Where the lane walk writes every node's `B`: the run's output (`n_nodes M` values per
/// merchant) and, when it is to be streamed past the cache, a quad's worth of staging.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) struct NodeB<'a> {
    out: &'a mut [f64],
    stage: Option<&'a mut [f64]>,
}

/// The merchants of `scores` (a multiple of 4 of them) by [`avx2::walk_lanes`]: how many
/// were taken (none without AVX2), and the mask of those left to the exact path.
fn walk_quads<const M: usize>(
    plan: &Plan,
    x: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    node_b: Option<NodeB<'_>>,
    lanes: &mut [f64],
    grading: &Grading<M>,
) -> (usize, u64) {
    #[cfg(target_arch = "x86_64")]
    {
        let block = plan.k() * M;
        let nb = plan.n_nodes * M;
        let quads4 = scores.len();
        let ok = available()
            && M <= 9
            && plan.m == M
            && quads4.is_multiple_of(4)
            && quads4 == grades.len()
            && x.len() >= quads4 * block
            && lanes.len() >= 4 * M * (plan.k() + plan.flat_groups.len())
            && node_b.as_ref().is_none_or(|b| {
                b.out.len() >= quads4 * nb && b.stage.as_ref().is_none_or(|s| s.len() >= 4 * nb)
            })
            && plan_ok(plan);
        if ok {
            // SAFETY: AVX2 and FMA are available, `x` holds `quads4` blocks of `k M` values,
            // and the other conditions of `avx2::walk_lanes` were checked just above.
            #[allow(unsafe_code)]
            let failed =
                unsafe { avx2::walk_lanes::<M>(plan, x, scores, grades, node_b, lanes, grading) };
            return (quads4, failed);
        }
    }
    let _ = (plan, x, scores, grades, node_b, lanes, grading);
    (0, 0)
}

/// Merchants per register of the linear count kernel on this CPU ([`counts_lanes`]):
/// eight with AVX-512, else four (AVX2, or none: the kernel then leaves every merchant).
pub(crate) fn count_width() -> usize {
    #[cfg(target_arch = "x86_64")]
    if avx512::available() {
        return 8;
    }
    4
}

/// Scores a run of merchants from `u8`, `u16` or `u32` answer counts (`x` holds whole `k x M`
/// blocks, at most 64 of them) when every level composes with `M(·,+)`, `width` merchants per
/// register: 8 with AVX-512 ([`avx512::count_octets`]), 4 with AVX2 ([`avx2::count_lanes`],
/// `u8` and `u16`), `tally` as their scratch ([`count_width`] gives the CPU's width). Writes score
/// and grade of each merchant it takes and returns the bit mask of the others: a leaf without
/// answers, a goal `B` not summing to a positive number, the merchants after the last whole
/// group of `width`, all of them when the CPU lacks the instructions (or `width` is neither).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn counts_lanes<const M: usize, T: Sealed>(
    width: usize,
    x: &[T],
    global: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    tally: &mut [i32],
    grading: &Grading<M>,
) -> u64 {
    let k = global.len();
    let block = k * M;
    let n = scores.len().min(grades.len()).min(64);
    let all = run_mask(n);
    let whole = n / width.max(1) * width;
    let taken = run_mask(whole);
    #[cfg(target_arch = "x86_64")]
    {
        let (scores, grades) = (&mut scores[..whole], &mut grades[..whole]);
        let tally = from_line(tally);
        if width == 8
            && M <= 9
            && avx512::available()
            && block >= 1
            && x.len() >= whole * block
            && 4 * tally.len() >= avx512::WINDOW_BYTES * block.div_ceil(64 / T::BYTES)
        {
            // i32 has no invalid bit patterns and u8 no alignment: the same memory as bytes
            #[allow(unsafe_code)]
            let tb = unsafe {
                std::slice::from_raw_parts_mut(tally.as_mut_ptr().cast::<u8>(), 4 * tally.len())
            };
            // SAFETY: the AVX-512 subsets are available; `x` holds `whole` (a multiple of 8)
            // blocks of `block >= 1` counts, `tb` a transposed window per 64 bytes of a block.
            #[allow(unsafe_code)]
            let failed = unsafe {
                avx512::count_octets::<M, T>(
                    &x[..whole * block],
                    global,
                    scores,
                    grades,
                    tb,
                    grading,
                )
            };
            return failed | (all & !taken);
        }
        if width == 4
            && T::BYTES <= 2
            && M <= 9
            && available()
            && block >= 16 / T::BYTES
            && x.len() >= whole * block
            && tally.len() >= 4 * block
        {
            // SAFETY: AVX2 and FMA are available; `x` holds `whole` (a multiple of 4) blocks
            // of at least 16 bytes of `u8` or `u16` counts, `tally` four values per position
            // of a block.
            #[allow(unsafe_code)]
            let failed = unsafe {
                avx2::count_lanes::<M, T>(
                    &x[..whole * block],
                    global,
                    scores,
                    grades,
                    tally,
                    grading,
                )
            };
            return failed | (all & !taken);
        }
    }
    let _ = (x, tally, grading, taken, block);
    all
}

/// Scores a run of merchants from `u8` or `u16` answer counts (`x` holds whole `k x M` blocks,
/// at most 64 of them) under any operators, and writes every node's `B` when `node_b` is given
/// (`n_nodes M` values per merchant): whole quads of merchants one per lane with AVX2
/// ([`avx2::count_walk`]). Writes the outputs of each merchant it takes and returns the bit
/// mask of the others (a leaf without answers, a group `B` summing to 0, the merchants after
/// the last whole quad, no AVX2, `u32` counts).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn counts_walk_chunk<const M: usize, T: Sealed>(
    plan: &Plan,
    x: &[T],
    (scores, grades): (&mut [f64], &mut [u32]),
    node_b: Option<&mut [f64]>,
    scratch: &mut Scratch,
    grading: &Grading<M>,
) -> u64 {
    let (block, nb) = (plan.k() * M, plan.n_nodes * M);
    let n = scores.len().min(grades.len()).min(64);
    let all = run_mask(n);
    let quads4 = n / 4 * 4;
    #[cfg(target_arch = "x86_64")]
    {
        let lanes = from_line(&mut scratch.lanes);
        let tally = from_line(&mut scratch.tally);
        let stage = scratch.stream_node_b.then(|| from_line(&mut scratch.stage));
        let node_b = node_b.map(|out| NodeB { out, stage });
        if available()
            && M <= 9
            && plan.m == M
            && T::BYTES <= 2
            && block >= 16 / T::BYTES
            && x.len() >= quads4 * block
            && lanes.len() >= 4 * M * (plan.k() + plan.flat_groups.len())
            && tally.len() >= 4 * block
            && node_b.as_ref().is_none_or(|b| {
                b.out.len() >= quads4 * nb && b.stage.as_ref().is_none_or(|s| s.len() >= 4 * nb)
            })
            && plan_ok(plan)
        {
            let out = (&mut scores[..quads4], &mut grades[..quads4]);
            let x = &x[..quads4 * block];
            // SAFETY: AVX2 and FMA are available; `x` holds `quads4` blocks of at least 16
            // bytes of `u8` or `u16` counts; the buffers and the plan were checked above.
            #[allow(unsafe_code)]
            let failed =
                unsafe { avx2::count_walk::<M, T>(plan, x, out, node_b, lanes, tally, grading) };
            let taken = run_mask(quads4);
            return failed | (all & !taken);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (
        plan, x, scores, grades, node_b, scratch, grading, quads4, block, nb,
    );
    all
}

#[cfg(target_arch = "x86_64")]
/// The flattened plan's references stay inside their arrays: every group's children range
/// inside `flat_children`, leaves below `k`, group children earlier groups, at least one group.
fn plan_ok(plan: &Plan) -> bool {
    !plan.flat_groups.is_empty()
        && plan.flat_groups.iter().enumerate().all(|(gi, g)| {
            plan.flat_children.get(g.start..g.end).is_some_and(|c| {
                c.iter()
                    .all(|c| c.index < if c.leaf { plan.k() } else { gi })
            })
        })
}

/// [`walk_chunk`] without AVX2.
fn walk_with<const M: usize, const W: usize>(
    plan: &Plan,
    x: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    slots: &mut [f64],
    grading: &Grading<M>,
) -> u64 {
    let mut failed = 0u64;
    let blocks = x.chunks_exact(plan.k() * M);
    for (i, ((xm, s), g)) in blocks.zip(scores.iter_mut()).zip(grades).enumerate() {
        let b = if rows_normalised::<M>(xm) {
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
fn linear_one<const M: usize>(x: &[f64], coef: &[f64]) -> Option<[f64; M]> {
    assert!(available() && M <= 9 && x.len() == coef.len() && x.len().is_multiple_of(M));
    // SAFETY: features and lengths asserted above.
    unsafe { avx2::scan::<M, true>(x, coef) }
}

/// The row check of the tree walk for one merchant (for the tests: the contract of
/// `kernel::rows_normalised`).
#[cfg(all(test, target_arch = "x86_64"))]
#[allow(unsafe_code)]
fn rows_one<const M: usize>(x: &[f64]) -> bool {
    assert!(available() && M <= 9 && x.len().is_multiple_of(M));
    // SAFETY: features and lengths asserted above; `coef` is not read without `LINEAR`.
    unsafe { avx2::scan::<M, false>(x, &[]).is_some() }
}

/// The tally plan for `k` codes per row (for the tests).
#[cfg(all(test, target_arch = "x86_64"))]
#[allow(unsafe_code)]
fn tally_plan(k: usize, global: &[f64]) -> avx2::TallyPlan {
    assert!(available() && (1..=16).contains(&k) && global.len() == k);
    // SAFETY: AVX2 available, k in 1..=16 (asserted).
    unsafe { avx2::TallyPlan::new(k, global) }
}

/// One merchant's AVX2 tally (for the tests).
#[cfg(all(test, target_arch = "x86_64"))]
#[allow(unsafe_code)]
fn tally_one<const M: usize>(rows: &[u8], tail: &avx2::TallyPlan) -> Option<[f64; M]> {
    assert!(available() && M <= 9);
    // SAFETY: AVX2 available and M <= 9 (asserted); `tail` comes from `tally_plan`.
    unsafe { avx2::tally_root::<M>(rows, tail) }
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
mod avx512;

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2 {
    use super::{lane_masks, Grading, NodeB, Plan, Sealed, NORMALISED_ROW, PREFETCH_MERCHANTS};
    use crate::evaluation::FuzzyOperator;
    use crate::numeric::MEMBERSHIP_TIE_TOL;
    use std::arch::x86_64::*;
    use std::mem::MaybeUninit;

    /// [`super::walk_chunk`] with AVX2 for whole groups of four merchants, one merchant per
    /// lane: each quad's four blocks are transposed (4 x 4 at a time) into `lanes`, so that
    /// every value the walk touches — a leaf's grade, a group's grade — is one register holding
    /// it for the four merchants, and every operation of the portable walk
    /// ([`walk_padded`](crate::batch::kernel::walk_padded) with
    /// [`Grading::finish`]) runs once for four merchants, in the same order and unfused, so the
    /// results are the same bit for bit. Returns the mask of merchants left to the exact path
    /// (`scores.len() / 4` quads are scored; the caller takes the rest).
    ///
    /// # Safety
    ///
    /// AVX2 and FMA must be available; `x` holds at least `scores.len() / 4 * 4` blocks of
    /// `k M` values, `M <= 9`; `lanes` at least `4 M (k + groups)` values; the flattened plan
    /// checked by [`super::plan_ok`] (children inside the block or earlier groups).
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn walk_lanes<const M: usize>(
        plan: &Plan,
        x: &[f64],
        scores: &mut [f64],
        grades: &mut [u32],
        node_b: Option<NodeB<'_>>,
        lanes: &mut [f64],
        grading: &Grading<M>,
    ) -> u64 {
        let block = plan.k() * M;
        let one = _mm256_set1_pd(1.0);
        let row_tol = _mm256_set1_pd(NORMALISED_ROW);
        let abs = _mm256_castsi256_pd(_mm256_set1_epi64x(i64::MAX));
        let load = |q: usize, t: *mut f64| {
            let zero = _mm256_setzero_pd();
            let base = x.as_ptr().add(4 * q * block);
            prefetch(base.wrapping_add(PREFETCH_QUADS * 4 * block), 4 * block);
            // sign bits: per merchant over its own loads, per lane over the gathered tail
            let mut signs = [zero; 4];
            let mut sign_lanes = zero;
            let mut p = 0;
            while p + 4 <= block {
                let a = _mm256_loadu_pd(base.add(p));
                let b = _mm256_loadu_pd(base.add(block + p));
                let c = _mm256_loadu_pd(base.add(2 * block + p));
                let d = _mm256_loadu_pd(base.add(3 * block + p));
                signs[0] = _mm256_or_pd(signs[0], a);
                signs[1] = _mm256_or_pd(signs[1], b);
                signs[2] = _mm256_or_pd(signs[2], c);
                signs[3] = _mm256_or_pd(signs[3], d);
                let tp = t.add(4 * p);
                for (e, v) in transpose4(a, b, c, d).iter().enumerate() {
                    _mm256_storeu_pd(tp.add(4 * e), *v);
                }
                p += 4;
            }
            while p < block {
                let v = _mm256_set_pd(
                    *base.add(3 * block + p),
                    *base.add(2 * block + p),
                    *base.add(block + p),
                    *base.add(p),
                );
                sign_lanes = _mm256_or_pd(sign_lanes, v);
                _mm256_storeu_pd(t.add(4 * p), v);
                p += 1;
            }
            let mut bad = _mm256_movemask_pd(sign_lanes) as u64;
            for (j, s) in signs.iter().enumerate() {
                if _mm256_movemask_pd(*s) != 0 {
                    bad |= 1 << j;
                }
            }
            // every leaf row sums to 1 (ordered compare: NaN fails)
            let mut ok = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
            for l in 0..plan.k() {
                let row = t.add(4 * l * M);
                let mut sum = _mm256_loadu_pd(row);
                unrolled!(j in 1 2 3 4 5 6 7 8 if j < M => {
                    sum = _mm256_add_pd(sum, _mm256_loadu_pd(row.add(4 * j)));
                });
                let dev = _mm256_and_pd(_mm256_sub_pd(sum, one), abs);
                ok = _mm256_and_pd(ok, _mm256_cmp_pd::<_CMP_LE_OQ>(dev, row_tol));
            }
            (ok, bad)
        };
        let rows = |q: usize| Some(x.as_ptr().add(4 * q * block));
        quads_walk::<M>(plan, (scores, grades), node_b, lanes, grading, load, rows)
    }

    /// The tree walk of [`walk_lanes`] for whole quads of merchants: `load(q, t)` puts quad
    /// `q`'s normalised leaf rows into `t` (leaf value `p` of the four merchants at `t + 4p`)
    /// and returns the mask of lanes whose rows it accepts and the bits of merchants it
    /// rejects outright; then every group, the finish, node `B` (when asked for; the leaves'
    /// rows copied from the quad's four blocks at `leaf_rows(q)`, or from `t` where it gives
    /// none) and the outputs of the accepted merchants. Returns the mask of the others.
    ///
    /// # Safety
    ///
    /// AVX2 and FMA must be available; `M <= 9`; `lanes` at least `4 M (k + groups)` values;
    /// node `B`, when given, `n_nodes M` values per merchant of `scores` (and its stage, when
    /// given, `4 n_nodes M`), and then `leaf_rows(q)`, when `Some`, four blocks of `k M`
    /// values; the flattened plan checked by [`super::plan_ok`]; `load` writes `4 k M` values
    /// from `t`.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn quads_walk<const M: usize>(
        plan: &Plan,
        (scores, grades): (&mut [f64], &mut [u32]),
        mut node_b: Option<NodeB<'_>>,
        lanes: &mut [f64],
        grading: &Grading<M>,
        mut load: impl FnMut(usize, *mut f64) -> (__m256d, u64),
        leaf_rows: impl Fn(usize) -> Option<*const f64>,
    ) -> u64 {
        let block = plan.k() * M;
        let nb = plan.n_nodes * M;
        let (groups, children) = (&plan.flat_groups, &plan.flat_children);
        // leaf value p of the four merchants at t + 4p, grade j of group gi at sl + 4 (gi M + j)
        let t = lanes.as_mut_ptr();
        let sl = t.add(4 * block);
        let zero = _mm256_setzero_pd();
        let one = _mm256_set1_pd(1.0);
        let mut failed = 0u64;
        let quads = scores.len().min(grades.len()) / 4;
        for q in 0..quads {
            let (mut ok, bad) = load(q, t);
            let mut root = [zero; M];
            for (gi, group) in groups.iter().enumerate() {
                let mut raw = [zero; M];
                macro_rules! fold {
                    (|$b:ident, $a:ident, $r:ident| $combine:expr) => {
                        for c in &children[group.start..group.end] {
                            let $a = _mm256_set1_pd(c.weight);
                            // plan_ok: a leaf inside the block, a group before this one
                            let src = if c.leaf { t } else { sl }.add(4 * c.index * M);
                            unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
                                let $r = _mm256_loadu_pd(src.add(4 * j));
                                let $b = raw[j];
                                raw[j] = $combine;
                            });
                        }
                    };
                }
                match group.op {
                    FuzzyOperator::WeightedAverage => {
                        fold!(|b, a, r| _mm256_add_pd(b, _mm256_mul_pd(a, r)))
                    }
                    FuzzyOperator::ZadehMaxMin => {
                        // vminpd(a, r) is `if a < r { a } else { r }`, vmaxpd(b, m)
                        // `if b > m { b } else { m }`: the portable walk's selects
                        fold!(|b, a, r| _mm256_max_pd(b, _mm256_min_pd(a, r)))
                    }
                    FuzzyOperator::ProductMax => {
                        fold!(|b, a, r| _mm256_max_pd(b, _mm256_mul_pd(a, r)))
                    }
                    FuzzyOperator::BoundedSum => {
                        fold!(|b, a, r| _mm256_add_pd(b, _mm256_min_pd(a, r)));
                        for r in raw.iter_mut() {
                            *r = _mm256_min_pd(*r, one);
                        }
                    }
                }
                let (total, usable) = lane_total::<M>(&raw);
                ok = _mm256_and_pd(ok, usable);
                let inv = _mm256_div_pd(one, total);
                let out = sl.add(4 * gi * M);
                unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
                    raw[j] = _mm256_mul_pd(raw[j], inv);
                    _mm256_storeu_pd(out.add(4 * j), raw[j]);
                });
                root = raw;
            }
            // the goal's B is normalised: its total is 1
            let (score, grade) = finish_lanes::<M, true>(&root, one, grading);
            let good = (_mm256_movemask_pd(ok) as u64) & !bad & 0b1111;
            if let Some(NodeB { out, stage }) = node_b.as_mut() {
                // in bounds: merchants 4q..4q + 4 of the run, `nb` values each
                let out = out.as_mut_ptr().add(4 * q * nb);
                let from = (leaf_rows(q), t.cast_const(), sl.cast_const());
                match stage {
                    // the whole quad at once, past the cache (a failed merchant's block must
                    // stay as it was: those quads are written in place)
                    Some(stage) if good == 0b1111 => {
                        write_node_b::<M>(plan, from, stage.as_mut_ptr(), good);
                        stream_copy(out, stage.as_ptr(), 4 * nb);
                    }
                    _ => write_node_b::<M>(plan, from, out, good),
                }
            }
            // in bounds: 4q + 4 <= quads * 4 <= the lengths of both
            failed |= store_quad(scores, grades, q, (score, grade), good);
        }
        if node_b.is_some_and(|b| b.stage.is_some()) {
            // the non-temporal stores ordered before anything the caller does next
            _mm_sfence();
        }
        failed
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
    unsafe fn stream_copy(dst: *mut f64, src: *const f64, len: usize) {
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

    /// The loop of [`super::tally_chunk`].
    ///
    /// # Safety
    ///
    /// AVX2 and FMA must be available; `1 <= k <= 16`, `M <= 9`, `global.len() == k`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn tally_run<'a, const M: usize>(
        rows: impl Fn(usize) -> &'a [u8],
        k: usize,
        global: &[f64],
        scores: &mut [f64],
        grades: &mut [u32],
        grading: &Grading<M>,
    ) -> u64 {
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

    /// What the tally needs for rows of `k` codes, built once per run: the global weights,
    /// and how the last rows of a merchant are read (a 16-byte window cannot start at a row
    /// that ends less than `16 - k` bytes before the merchant's last byte, so it ends there
    /// instead and a byte shuffle moves the row's codes into lanes `0..k`).
    pub(super) struct TallyPlan {
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
        #[target_feature(enable = "avx2,fma")]
        pub(super) unsafe fn new(k: usize, global: &[f64]) -> Self {
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

    /// A merchant's answer rows tallied and turned into the goal's unnormalised `B` (see
    /// [`super::tally_chunk`]): [`tally_counts`], then [`counts_root`].
    ///
    /// # Safety
    ///
    /// AVX2 and FMA must be available; `M <= 9`, `tail` built for the rows' `k`.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    pub(super) unsafe fn tally_root<const M: usize>(
        rows: &[u8],
        tail: &TallyPlan,
    ) -> Option<[f64; M]> {
        Some(counts_root::<M>(&tally_counts::<M>(rows, tail)?, tail))
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
    pub(super) unsafe fn tally_counts<const M: usize>(
        rows: &[u8],
        tail: &TallyPlan,
    ) -> Option<[__m128i; M]> {
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

    /// The goal's unnormalised `B` from a merchant's tally ([`tally_counts`]).
    ///
    /// # Safety
    ///
    /// AVX2 and FMA must be available; `c16` a tally of rows of the `k` codes `tail` was
    /// built for, every leaf answered.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    pub(super) unsafe fn counts_root<const M: usize>(
        c16: &[__m128i; M],
        tail: &TallyPlan,
    ) -> [f64; M] {
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

    /// [`super::counts_lanes`] for whole quads of `u8` or `u16` counts: each quad's four
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
    pub(super) unsafe fn count_lanes<const M: usize, T: Sealed>(
        x: &[T],
        global: &[f64],
        scores: &mut [f64],
        grades: &mut [u32],
        tally: &mut [i32],
        grading: &Grading<M>,
    ) -> u64 {
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
                let row = ti.add(4 * l * M);
                let mut c = [zero; M];
                unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
                    c[j] = _mm256_cvtepi32_pd(_mm_loadu_si128(row.add(4 * j).cast()));
                });
                let mut total = c[0];
                unrolled!(j in 1 2 3 4 5 6 7 8 if j < M => {
                    total = _mm256_add_pd(total, c[j]);
                });
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
    unsafe fn write_node_b<const M: usize>(
        plan: &Plan,
        (rows, t, sl): (Option<*const f64>, *const f64, *const f64),
        out: *mut f64,
        good: u64,
    ) {
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
    unsafe fn store_lanes<const M: usize>(src: *const f64, out: *mut f64, nb: usize, good: u64) {
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

    /// Lane sums of `v[0..M]`, and the mask of the lanes whose sum is positive and finite
    /// (false for NaN).
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn lane_total<const M: usize>(v: &[__m256d; M]) -> (__m256d, __m256d) {
        let mut total = v[0];
        unrolled!(j in 1 2 3 4 5 6 7 8 if j < M => {
            total = _mm256_add_pd(total, v[j]);
        });
        let positive = _mm256_cmp_pd::<_CMP_GT_OQ>(total, _mm256_setzero_pd());
        let finite = _mm256_cmp_pd::<_CMP_LT_OQ>(total, _mm256_set1_pd(f64::INFINITY));
        (total, _mm256_and_pd(positive, finite))
    }

    /// [`Grading::finish`] for four merchants, one per lane: the score (clamped to the grade
    /// values' range) and the grade index (as f64) of the goal's `B` (`b[j]` = grade `j`)
    /// whose total is `total`, with the same operations in the same order. With `UNIT` the
    /// total is 1 and the division by it (exact) is left out.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn finish_lanes<const M: usize, const UNIT: bool>(
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

    /// The 4 x 4 transpose of `a, b, c, d` (four values each): element `e` of the result
    /// holds the `e`-th values of the four.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn transpose4(a: __m256d, b: __m256d, c: __m256d, d: __m256d) -> [__m256d; 4] {
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
    unsafe fn transpose_quad<T: Sealed>(base: *const T, block: usize, ti: *mut i32) {
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

    /// The low and the high halves of `a` and `b` interleaved, `bits` (8, 16 or 32, a
    /// constant after inlining) at a time.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn unpack(bits: u32, a: __m128i, b: __m128i) -> (__m128i, __m128i) {
        match bits {
            8 => (_mm_unpacklo_epi8(a, b), _mm_unpackhi_epi8(a, b)),
            16 => (_mm_unpacklo_epi16(a, b), _mm_unpackhi_epi16(a, b)),
            _ => (_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b)),
        }
    }

    /// [`super::counts_walk_chunk`] for whole quads: each quad's four blocks of counts
    /// transposed and widened ([`transpose_quad`]), each leaf row turned into memberships
    /// `c / t` (one division per leaf for four merchants; a leaf without answers is left to
    /// the exact path), then the tree walk of [`quads_walk`], with node `B` when asked for.
    ///
    /// # Safety
    ///
    /// AVX2 and FMA must be available; `T` is `u8` or `u16`; `x` holds `scores.len()` (a
    /// multiple of 4, at most 64) blocks of `k M >= 16 / T::BYTES` counts; `M <= 9`; `lanes`
    /// at least `4 M (k + groups)` values and `tally` `4 k M`; node `B`, when given,
    /// `n_nodes M` values per merchant (its stage `4 n_nodes M`); the flattened plan checked
    /// by [`super::plan_ok`]; `grades.len() == scores.len()`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn count_walk<const M: usize, T: Sealed>(
        plan: &Plan,
        x: &[T],
        out: (&mut [f64], &mut [u32]),
        node_b: Option<NodeB<'_>>,
        lanes: &mut [f64],
        tally: &mut [i32],
        grading: &Grading<M>,
    ) -> u64 {
        let block = plan.k() * M;
        let ti = tally.as_mut_ptr();
        let load = |q: usize, t: *mut f64| {
            let zero = _mm256_setzero_pd();
            let one = _mm256_set1_pd(1.0);
            let base = x.as_ptr().add(4 * q * block);
            prefetch(
                base.wrapping_add(PREFETCH_BYTE_QUADS * 4 * block),
                4 * block,
            );
            transpose_quad(base, block, ti);
            let mut ok = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
            for l in 0..plan.k() {
                let row = ti.add(4 * l * M);
                let mut c = [zero; M];
                unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
                    c[j] = _mm256_cvtepi32_pd(_mm_loadu_si128(row.add(4 * j).cast()));
                });
                let mut total = c[0];
                unrolled!(j in 1 2 3 4 5 6 7 8 if j < M => {
                    total = _mm256_add_pd(total, c[j]);
                });
                ok = _mm256_and_pd(ok, _mm256_cmp_pd::<_CMP_GT_OQ>(total, zero));
                let inv = _mm256_div_pd(one, total);
                let to = t.add(4 * l * M);
                unrolled!(j in 0 1 2 3 4 5 6 7 8 if j < M => {
                    _mm256_storeu_pd(to.add(4 * j), _mm256_mul_pd(c[j], inv));
                });
            }
            (ok, 0)
        };
        // node B: the leaf rows from the lanes (they are not in the input)
        quads_walk::<M>(plan, out, node_b, lanes, grading, load, |_| None)
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
    unsafe fn store_quad(
        scores: &mut [f64],
        grades: &mut [u32],
        q: usize,
        (score, grade): (__m256d, __m256d),
        good: u64,
    ) -> u64 {
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

    /// Quads ahead of the one being scored whose input is asked into cache: each quad costs
    /// about 70 ns of arithmetic, so two quads ahead covers a DRAM access (the hardware
    /// prefetcher alone leaves the walk waiting for memory: 35 ns per merchant at 1e6
    /// merchants against 18 ns in cache).
    const PREFETCH_QUADS: usize = 2;

    /// The same for the `u8` count kernel, whose quads cost about 30 ns each: sixteen ahead
    /// (eight left it waiting for memory: 8.2 ns per merchant at 1e6 merchants against 7.4 ns
    /// in cache; sixteen: 7.7 ns).
    const PREFETCH_BYTE_QUADS: usize = 16;

    /// Asks for the cache lines of `len` values from `p` on. Prefetches do not fault, and the
    /// pointer is only formed with wrapping arithmetic, never dereferenced.
    #[inline(always)]
    pub(super) unsafe fn prefetch<T>(p: *const T, len: usize) {
        let (p, bytes) = (p.cast::<i8>(), len * std::mem::size_of::<T>());
        let mut offset = 0;
        while offset < bytes {
            _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(offset));
            offset += 64;
        }
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
    use crate::batch::MISSING_ANSWER;
    use crate::evaluation::FuzzyOperator;

    /// Says that a kernel test did not run: the CPU lacks `what`.
    fn skipped(what: &str) {
        eprintln!("not tested on this CPU (no {what}): its vector kernel");
    }

    /// Runs the check `$f::<M>()` for every grade count `M` in 2..=9.
    macro_rules! every_grade_count {
        ($f:ident) => {
            $f::<2>();
            $f::<3>();
            $f::<4>();
            $f::<5>();
            $f::<6>();
            $f::<7>();
            $f::<8>();
            $f::<9>();
        };
    }

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
            return skipped("AVX2 and FMA");
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
        every_grade_count!(check);
    }

    /// The lane-parallel walk against the portable one, every operator, with merchants the
    /// fast path must refuse among them: the same refusals, the same results bit for bit.
    #[allow(clippy::unwrap_used)] // a test helper: a failure is a test failure
    fn lanes_equal_portable<const M: usize, const W: usize>(grades: crate::GradeSet) {
        use crate::{template, BatchScorer, Evaluator, IndicatorTree};
        if !available() {
            return skipped("AVX2 and FMA");
        }
        let tree = IndicatorTree::new(template::after_sales()).unwrap();
        for op in [
            FuzzyOperator::WeightedAverage,
            FuzzyOperator::ZadehMaxMin,
            FuzzyOperator::ProductMax,
            FuzzyOperator::BoundedSum,
        ] {
            let scorer =
                BatchScorer::new(&Evaluator::new(&tree, grades.clone()).operator(op)).unwrap();
            let plan = scorer.plan();
            let k = plan.k();
            let n = 61; // fifteen quads and one merchant for the portable walk
            let (mut x, _) = rows(n * k, M, (M * 7 + op as usize) as u64);
            x[3 * k * M + 2] = f64::NAN;
            x[9 * k * M + 7] = -0.0;
            x[20 * k * M + 1] += 1e-6;
            x[37 * k * M..38 * k * M].iter_mut().for_each(|v| *v *= 0.5);
            let grading = Grading::<M>::new(plan);
            let mut scratch = Scratch::new(plan);
            let (mut s1, mut g1) = (vec![-1.0; n], vec![99u32; n]);
            let fast = walk_chunk::<M, W>(plan, &x, &mut s1, &mut g1, None, &mut scratch, &grading);
            let (mut s2, mut g2) = (vec![-1.0; n], vec![99u32; n]);
            let slow = walk_with::<M, W>(plan, &x, &mut s2, &mut g2, &mut scratch.slots, &grading);
            assert_eq!(fast, slow, "{op:?}: refused merchants");
            assert_eq!(fast.count_ones(), 4, "{op:?}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&s1), bits(&s2), "{op:?}: scores");
            assert_eq!(g1, g2, "{op:?}: grades");
        }
    }

    /// Node `B` streamed past the cache against node `B` stored in place, from f64
    /// memberships and from `u8` counts: the same values bit for bit, the blocks of refused
    /// merchants (and of the quads they are in) left as they were, the output starting at
    /// every offset within a cache line (partial lines at both ends of a quad's blocks).
    #[test]
    #[allow(clippy::unwrap_used)]
    fn streamed_node_b_equals_node_b_in_place() {
        use crate::{template, BatchScorer, Evaluator, IndicatorTree};
        if !available() {
            return skipped("AVX2 and FMA");
        }
        let tree = IndicatorTree::new(template::after_sales()).unwrap();
        let grades = crate::GradeSet::satisfaction_5();
        let scorer = BatchScorer::new(&Evaluator::new(&tree, grades)).unwrap();
        let plan = scorer.plan();
        let (k, n, nb) = (plan.k(), 61, plan.n_nodes * 5);
        // merchants 3 and 37 refused: a NaN, rows off their sum; an unanswered leaf
        let (mut x, _) = rows(n * k, 5, 17);
        x[3 * k * 5 + 2] = f64::NAN;
        x[37 * k * 5..38 * k * 5].iter_mut().for_each(|v| *v *= 0.5);
        let mut counts: Vec<u8> = (0..n * k * 5).map(|i| (i * 7 % 11) as u8 + 1).collect();
        counts[3 * k * 5 + 10..3 * k * 5 + 15].fill(0);
        counts[37 * k * 5..37 * k * 5 + 5].fill(0);
        let grading = Grading::<5>::new(plan);
        let run = |stream: bool, offset: usize, from_counts: bool| {
            let mut scratch = Scratch::new(plan);
            scratch.stream_node_b = stream;
            let (mut s, mut g) = (vec![-1.0; n], vec![99u32; n]);
            let mut b = vec![-7.0; n * nb + offset];
            let b_run = Some(&mut b[offset..]);
            let left = if from_counts {
                let out = (&mut s[..], &mut g[..]);
                counts_walk_chunk::<5, u8>(plan, &counts, out, b_run, &mut scratch, &grading)
            } else {
                walk_chunk::<5, 8>(plan, &x, &mut s, &mut g, b_run, &mut scratch, &grading)
            };
            (left, s, g, b[offset..].to_vec())
        };
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let sentinel = |v: &f64| v.to_bits() == (-7.0f64).to_bits();
        for (offset, from_counts) in (0..8).flat_map(|o| [(o, false), (o, true)]) {
            let at = format!("offset {offset}, counts {from_counts}");
            let (left, s1, g1, b1) = run(false, offset, from_counts);
            let (left2, s2, g2, b2) = run(true, offset, from_counts);
            assert_eq!(left, left2, "{at}");
            // merchants 3 and 37 refused, and the one after the last quad
            assert_eq!(left, 1 << 3 | 1 << 37 | 1 << 60, "{at}");
            assert_eq!(bits(&s1), bits(&s2), "{at}");
            assert_eq!(g1, g2, "{at}");
            assert_eq!(bits(&b1), bits(&b2), "{at}: node B");
            for i in [3, 37, 60] {
                assert!(
                    b2[i * nb..(i + 1) * nb].iter().all(sentinel),
                    "{at}: merchant {i}"
                );
            }
            // quad 1, streamed
            assert!(!b2[4 * nb..8 * nb].iter().any(sentinel), "{at}: written");
        }
    }

    #[test]
    fn lane_parallel_walk_equals_the_portable_walk() {
        lanes_equal_portable::<5, 8>(crate::GradeSet::satisfaction_5());
        let three = crate::GradeSet::new(vec![
            crate::Grade::new("good", 90.0),
            crate::Grade::new("fair", 70.0),
            crate::Grade::new("poor", 40.0),
        ])
        .unwrap();
        lanes_equal_portable::<3, 4>(three);
        // every register width: one (M <= 4), two (M <= 8) and three (M = 9) per node
        lanes_equal_portable::<2, 4>(grades(2));
        lanes_equal_portable::<4, 4>(grades(4));
        lanes_equal_portable::<7, 8>(grades(7));
        lanes_equal_portable::<9, 12>(grades(9));
    }

    /// `m` grades worth 100, 90, ...
    #[allow(clippy::unwrap_used)] // a test helper: a failure is a test failure
    fn grades(m: usize) -> crate::GradeSet {
        crate::GradeSet::new(
            (0..m)
                .map(|j| crate::Grade::new(format!("g{j}"), 100.0 - 10.0 * j as f64))
                .collect(),
        )
        .unwrap()
    }

    /// A count lane kernel (`width` merchants per register) against the portable count path
    /// (totals, `linear_root`, the finish) for `k` leaves of `M` grades, a run of `n`
    /// merchants (those past the last whole group of `width` are left to the caller), some
    /// leaves unanswered, weights not summing to 1, counts over the whole range of `T`
    /// (`widen` truncates a 64-bit value; totals past `T::MAX`).
    #[allow(clippy::unwrap_used)] // a test helper: a failure is a test failure
    fn counts_equal_portable<const M: usize, T: crate::batch::GradeCount>(
        width: usize,
        (k, n): (usize, usize),
        widen: fn(u64) -> T,
    ) {
        use crate::batch::kernel::{linear_root, row_scales_counts};
        let block = k * M;
        let mut counts: Vec<T> = (0..(n * block) as u64)
            .map(|i| {
                let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 5;
                match i % 7 {
                    // the largest count (totals past it), any count (every byte varying),
                    // small ones
                    0 => widen(u64::MAX - i % 3),
                    1 => widen(h),
                    _ => widen(h % 23),
                }
            })
            .collect();
        // unanswered leaves, among them in the last lane of a register (7, 31, 63)
        for i in (0..n).step_by(9).chain([7, 31, 63]).filter(|&i| i < n) {
            let l = i % k;
            counts[i * block + l * M..i * block + (l + 1) * M].fill(widen(0));
        }
        let global: Vec<f64> = (0..k).map(|l| 0.05 + 0.1 * ((l * 7) % 5) as f64).collect();
        let values = std::array::from_fn(|j| 100.0 - 10.0 * j as f64);
        let grading = Grading::<M> {
            values,
            min: values[M - 1],
            max: values[0],
        };
        let mut tally = vec![0i32; (4 * block).max(128 * block.div_ceil(16)) + 16];
        let (mut s1, mut g1) = (vec![-1.0; n], vec![99u32; n]);
        let left = counts_lanes::<M, T>(
            width, &counts, &global, &mut s1, &mut g1, &mut tally, &grading,
        );
        let inv: Vec<f64> = (0..4096)
            .map(|t| if t == 0 { 0.0 } else { 1.0 / t as f64 })
            .collect();
        let mut scale = vec![0.0; k];
        let whole = n / width * width;
        for i in 0..n {
            let x = &counts[i * block..(i + 1) * block];
            let portable = row_scales_counts::<M, T>(x, &inv, &mut scale)
                .and_then(|()| grading.root(&linear_root::<M, T>(x, &global, &scale, T::to_f64)));
            let at = format!(
                "{} bytes, width {width}, M {M}, k {k}, merchant {i}",
                T::BYTES
            );
            match portable {
                Some((score, grade)) if left >> i & 1 == 0 => {
                    assert!((score - s1[i]).abs() <= 1e-12 * 100.0, "{at}");
                    assert_eq!(grade, g1[i], "{at}");
                }
                // the kernel leaves unanswered leaves and the merchants past the last group
                None => assert!(left >> i & 1 == 1, "{at}: accepted"),
                Some(_) => assert!(i >= whole, "{at}: left"),
            }
            if left >> i & 1 == 1 {
                assert_eq!((s1[i], g1[i]), (-1.0, 99), "{at}: written");
            }
        }
    }

    /// Every grade count 2..=9 and leaf count 1..=16 where the kernel runs: AVX2 from 16
    /// bytes per block (`u8` and `u16`: it leaves every `u32` merchant), AVX-512 from one
    /// (blocks of 2 to 144 values, one to three windows of 64 `u8`, one to five of 32 `u16`,
    /// one to nine of 16 `u32`).
    fn count_widths<const M: usize>() {
        if !avx512::available() {
            skipped("AVX-512 F, BW, VL and VBMI");
        }
        // (truncations)
        let byte: fn(u64) -> u8 = |c| c as u8;
        let word: fn(u64) -> u16 = |c| c as u16;
        let dword: fn(u64) -> u32 = |c| c as u32;
        for k in 1..=16 {
            // a whole run of 64, and one with merchants past the last whole register
            for n in [61, 64] {
                if avx512::available() {
                    counts_equal_portable::<M, u8>(8, (k, n), byte);
                    counts_equal_portable::<M, u16>(8, (k, n), word);
                    counts_equal_portable::<M, u32>(8, (k, n), dword);
                }
                if available() && k * M >= 16 {
                    counts_equal_portable::<M, u8>(4, (k, n), byte);
                }
                if available() && k * M >= 8 {
                    counts_equal_portable::<M, u16>(4, (k, n), word);
                    // u32 counts: not for the AVX2 kernel
                    let (mut s, mut g) = (vec![0.0; n], vec![0; n]);
                    let x = vec![1u32; n * k * M];
                    let mut tally = vec![0; 8 * k * M + 16];
                    let grading = Grading::<M> {
                        values: [0.0; M],
                        min: 0.0,
                        max: 0.0,
                    };
                    let global = vec![1.0 / k as f64; k];
                    let left = counts_lanes(4, &x, &global, &mut s, &mut g, &mut tally, &grading);
                    assert_eq!(left, run_mask(n), "u32 left to the exact path");
                }
            }
        }
    }

    #[test]
    fn count_lanes_agree_with_the_portable_counts() {
        every_grade_count!(count_widths);
    }

    /// The AVX2 tally against the portable one for every row width 1..=16 and row counts
    /// 0..40 (windows inside the rows, ending with them, shuffled into place), with missing
    /// answers, invalid codes and unanswered leaves.
    fn tally_equals_portable<const M: usize>() {
        use crate::batch::scorer::tally_linear_root;
        if !available() {
            return skipped("AVX2 and FMA");
        }
        let inv: Vec<f64> = (0..300)
            .map(|t| if t == 0 { 0.0 } else { 1.0 / t as f64 })
            .collect();
        let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ M as u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for k in 1..=16usize {
            let global: Vec<f64> = (0..k)
                .map(|l| (l + 1) as f64 / (k * (k + 1) / 2) as f64)
                .collect();
            for n_rows in 0..40usize {
                for case in 0..4 {
                    let mut rows: Vec<u8> = (0..n_rows * k)
                        .map(|_| match next() % 8 {
                            7 => MISSING_ANSWER,
                            c => (c % M as u64) as u8,
                        })
                        .collect();
                    if case == 1 && !rows.is_empty() {
                        let at = (next() as usize) % rows.len();
                        rows[at] = M as u8 + (next() % 3) as u8; // invalid
                    }
                    if case == 2 && n_rows > 0 {
                        let l = (next() as usize) % k; // leaf without answers
                        for r in 0..n_rows {
                            rows[r * k + l] = MISSING_ANSWER;
                        }
                    }
                    let portable = tally_linear_root::<M>(&rows, k, &global, &inv);
                    let tail = tally_plan(k, &global);
                    let simd = tally_one::<M>(&rows, &tail);
                    match (portable, simd) {
                        (Some(a), Some(b)) => {
                            for (x, y) in a.iter().zip(&b) {
                                assert!((x - y).abs() <= KERNEL_AGREEMENT, "k {k} rows {n_rows}");
                            }
                        }
                        // the AVX2 kernel leaves fewer than 16 bytes to the exact path
                        (Some(_), None) => assert!(n_rows * k < 16, "k {k} rows {n_rows}"),
                        (None, Some(_)) => panic!("k {k} rows {n_rows} case {case}: accepted"),
                        (None, None) => {}
                    }
                }
            }
        }
    }

    #[test]
    fn tally_agrees_with_the_portable_tally() {
        every_grade_count!(tally_equals_portable);
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
        every_grade_count!(cover);
    }
}
