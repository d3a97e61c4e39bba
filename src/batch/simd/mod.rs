//! The batch kernels that run on runs of up to 64 merchants with AVX2 and FMA (and for
//! integer counts AVX-512), on CPUs that have them.
//!
//! The default x86-64 target guarantees only SSE2 (two f64 per instruction). Whether the CPU
//! has more is asked once, when the scorer is built ([`KernelChoice`](super::choice)); each
//! entry point here takes the token of the instructions it uses ([`Avx2`], [`Avx512`]), the
//! proof that they exist, and does not ask again. The kernels take the merchants they can
//! score and hand the others (bad data, rows not normalised, anything the exact path must
//! judge) back as a bit mask. This module holds the crate's only `unsafe` code: calls of
//! functions compiled for features the CPU is known to have, and loads and stores through
//! pointers into slices whose lengths are checked before the loops.
//!
//! - [`linear_run`]: f64 memberships, `M(·,+)` at every level ([`avx2::linear`]).
//! - [`walk_run`]: f64 memberships, any operators (and node `B` output): four merchants at
//!   once, one per lane ([`avx2::walk`]); every operation of the portable walk runs once for
//!   them, in the same order and unfused: the same results bit for bit.
//! - [`counts_quads`], [`counts_octets`]: `u8`/`u16` (AVX2, four merchants per register) or
//!   `u8`/`u16`/`u32` (AVX-512, eight; [`avx512`]) answer counts, `M(·,+)`
//!   ([`avx2::counts`]).
//! - [`counts_walk`]: `u8` or `u16` answer counts under any operators, or with node `B`: the
//!   counts transposed, the rows turned into memberships, then the lane walk.
//! - [`tally_run`]: raw survey answers, `M(·,+)`: two respondent rows per register, a byte
//!   counter per leaf and grade, the goal's `B` straight from the counters ([`avx2::tally`]).
//!
//! Every kernel is tested against the portable kernels built on the crate's scalar rules
//! (`tests.rs`); with `SQ_REQUIRE_SIMD=avx2` or `=avx512` set, those tests fail instead of
//! skipping when the CPU lacks the instructions.
#![deny(
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks,
    clippy::missing_safety_doc
)]

use crate::batch::choice::{Avx2, Avx512};
use crate::batch::input::private::Sealed;
use crate::batch::plan::Plan;
use crate::batch::portable::{linear_f64_normalised, walk_run as walk_portable, Grading};
use crate::batch::scratch::{from_line, Scratch};

/// The bit mask of the first `n` merchants of a run (`n <= 64`): bit `i` for merchant `i`.
pub(crate) fn run_mask(n: usize) -> u64 {
    u64::MAX.checked_shr(64 - n.min(64) as u32).unwrap_or(0)
}

/// `kernel(whole)` on the first `whole` merchants of a run of `n`, `whole` the largest
/// multiple of `lanes` (the merchants one register holds): the mask of the merchants left to
/// the exact path, those the kernel hands back and those after the last whole group.
#[cfg(target_arch = "x86_64")]
fn whole_groups(n: usize, lanes: usize, kernel: impl FnOnce(usize) -> u64) -> u64 {
    let whole = n / lanes * lanes;
    kernel(whole) | (run_mask(n) & !run_mask(whole))
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
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(all(test, target_arch = "x86_64"))]
mod tests;

/// Where the lane walk writes every node's `B`: the run's output (`n_nodes M` values per
/// merchant) and, when it is to be streamed past the cache, a quad's worth of staging.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) struct NodeB<'a> {
    out: &'a mut [f64],
    stage: Option<&'a mut [f64]>,
}

/// Scores a run of merchants (`x` holds whole `k x M` blocks, at most 64 of them) whose
/// every level composes with `M(·,+)`: writes score and grade of each merchant it can take and
/// returns the bit mask of those it leaves to the exact path (a value outside `[+0, 1]`, a row
/// not summing to 1 within [`NORMALISED_ROW`](crate::batch::portable::NORMALISED_ROW), a goal
/// `B` without a usable total).
///
/// `coef[l * M + j] = global[l]` is leaf `l`'s global weight, `finish(b)` turns the goal's
/// unnormalised `B` into score and grade (`None` when its total is not usable). With AVX2 four
/// values per instruction (`avx2::linear::run`), else two
/// (`portable::linear_f64_normalised`).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn linear_run<const M: usize>(
    cpu: Option<Avx2>,
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
    if let Some(cpu) = cpu.filter(|_| M <= 9) {
        return avx2::linear::run::<M>(cpu, x, coef, scores, grades, finish);
    }
    let _ = cpu;
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
/// padded tree walk (any operators): writes score and grade of each merchant whose leaf rows
/// are normalised (within [`NORMALISED_ROW`](crate::batch::portable::NORMALISED_ROW), values
/// in `[+0, 1]`) and whose groups all have a usable total, and returns the bit mask of the
/// others. Whole quads of merchants take the lane walk with AVX2 (and node `B`, when asked
/// for, comes only from it), the rest the portable walk (`portable::walk_run`, never with
/// node `B`).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn walk_run<const M: usize, const W: usize>(
    cpu: Option<Avx2>,
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
    let with_b = node_b.is_some();
    #[cfg(target_arch = "x86_64")]
    let (done, failed) = match cpu {
        Some(cpu) => {
            let quads4 = n / 4 * 4;
            let (scores, grades) = (&mut scores[..quads4], &mut grades[..quads4]);
            let stage = scratch.stream_node_b.then(|| from_line(&mut scratch.stage));
            let node_b = node_b.map(|out| NodeB { out, stage });
            let lanes = from_line(&mut scratch.lanes);
            let out = (scores, grades);
            avx2::walk::f64_quads::<M>(cpu, plan, x, out, node_b, lanes, grading)
        }
        None => (0, 0),
    };
    #[cfg(not(target_arch = "x86_64"))]
    let (done, failed) = {
        let _ = (cpu, node_b, from_line::<f64>);
        (0, 0)
    };
    if with_b {
        // node B only from the lane walk: the rest go to the exact path
        let all = run_mask(n);
        let taken = run_mask(done);
        return failed | (all & !taken);
    }
    let rest = walk_portable::<M, W>(
        plan,
        &x[done * block..],
        &mut scores[done..],
        &mut grades[done..],
        &mut scratch.slots,
        grading,
    );
    failed | rest.checked_shl(done as u32).unwrap_or(0)
}

/// Scores a run of merchants from raw survey answers (`rows(i)` gives merchant `start + i`'s
/// answer rows of `k <= 16` codes) when every level composes with `M(·,+)`: the AVX2 tally
/// (two respondent rows per register, a byte counter per indicator and grade) and the goal's
/// `B_j = sum_l G_l c_lj / t_l` straight from the counters. Writes score and grade of each
/// merchant it can take and returns the bit mask of the others (an invalid code, a leaf without
/// answers, more than 255 respondents, a shape it does not take).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn tally_run<'a, const M: usize>(
    cpu: Avx2,
    rows: impl Fn(usize) -> &'a [u8],
    k: usize,
    global: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    grading: &Grading<M>,
) -> u64 {
    let n = scores.len().min(grades.len()).min(64);
    // (the kernel checks the shape it takes: k in 1..=16, M <= 9)
    #[cfg(target_arch = "x86_64")]
    return avx2::tally::run::<M>(
        cpu,
        rows,
        k,
        global,
        &mut scores[..n],
        &mut grades[..n],
        grading,
    );
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (cpu, rows, k, global, grading);
        run_mask(n)
    }
}

/// Scores a run of merchants from `u8`, `u16` or `u32` answer counts (`x` holds whole `k x M`
/// blocks, at most 64 of them) when every level composes with `M(·,+)`, eight merchants per
/// register with AVX-512 ([`avx512::count_octets`]), `tally` as scratch. Writes score and
/// grade of each merchant it takes and returns the bit mask of the others: a leaf without
/// answers, a goal `B` without a usable total, the merchants after the last whole octet.
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn counts_octets<const M: usize, T: Sealed>(
    cpu: Avx512,
    x: &[T],
    global: &[f64],
    (scores, grades): (&mut [f64], &mut [u32]),
    tally: &mut [i32],
    grading: &Grading<M>,
) -> u64 {
    let n = scores.len().min(grades.len()).min(64);
    // (the kernel checks the lengths and shapes it takes)
    #[cfg(target_arch = "x86_64")]
    return whole_groups(n, 8, |whole| {
        let x = x.get(..whole * global.len() * M).unwrap_or(x);
        let out = (&mut scores[..whole], &mut grades[..whole]);
        avx512::count_octets::<M, T>(cpu, x, global, out, from_line(tally), grading)
    });
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (cpu, x, global, tally, grading);
        run_mask(n)
    }
}

/// [`counts_octets`] with AVX2: four merchants per register, `u8` and `u16` counts, blocks of
/// at least 16 bytes ([`avx2::counts::count_quads`]).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn counts_quads<const M: usize, T: Sealed>(
    cpu: Avx2,
    x: &[T],
    global: &[f64],
    (scores, grades): (&mut [f64], &mut [u32]),
    tally: &mut [i32],
    grading: &Grading<M>,
) -> u64 {
    let n = scores.len().min(grades.len()).min(64);
    // (the kernel checks the lengths and shapes it takes)
    #[cfg(target_arch = "x86_64")]
    return whole_groups(n, 4, |whole| {
        let x = x.get(..whole * global.len() * M).unwrap_or(x);
        let out = (&mut scores[..whole], &mut grades[..whole]);
        avx2::counts::count_quads::<M, T>(cpu, x, global, out, from_line(tally), grading)
    });
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (cpu, x, global, tally, grading);
        run_mask(n)
    }
}

/// Scores a run of merchants from `u8` or `u16` answer counts (`x` holds whole `k x M` blocks,
/// at most 64 of them) under any operators, and writes every node's `B` when `node_b` is given
/// (`n_nodes M` values per merchant): whole quads of merchants one per lane
/// ([`avx2::walk::count_quads`]). Writes the outputs of each merchant it takes and returns the
/// bit mask of the others (a leaf without answers, a group `B` without a usable total, the
/// merchants after the last whole quad, `u32` counts).
// called once per run of 64 merchants: kept out of the per-merchant loop's function
#[inline(never)]
pub(crate) fn counts_walk<const M: usize, T: Sealed>(
    cpu: Avx2,
    plan: &Plan,
    x: &[T],
    (scores, grades): (&mut [f64], &mut [u32]),
    node_b: Option<&mut [f64]>,
    scratch: &mut Scratch,
    grading: &Grading<M>,
) -> u64 {
    let block = plan.k() * M;
    let n = scores.len().min(grades.len()).min(64);
    let (all, quads4) = (run_mask(n), n / 4 * 4);
    #[cfg(target_arch = "x86_64")]
    if T::BYTES <= 2 && block >= 16 / T::BYTES && x.len() >= quads4 * block {
        let stage = scratch.stream_node_b.then(|| from_line(&mut scratch.stage));
        let node_b = node_b.map(|out| NodeB { out, stage });
        let lanes = from_line(&mut scratch.lanes);
        let tally = from_line(&mut scratch.tally);
        let out = (&mut scores[..quads4], &mut grades[..quads4]);
        let x = &x[..quads4 * block];
        if let Some(failed) =
            avx2::walk::count_quads::<M, T>(cpu, plan, x, out, node_b, (lanes, tally), grading)
        {
            return failed | (all & !run_mask(quads4));
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (
        cpu, plan, x, scores, grades, node_b, scratch, grading, quads4, block,
    );
    all
}
