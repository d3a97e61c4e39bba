//! The lane walk: four merchants at once, one per lane, any operators, with node `B` when
//! asked for. Each quad's blocks are transposed so that every value of the tree walk is one
//! register for four merchants, and every operation of the portable walk runs once for them,
//! in the same order and unfused: the same results bit for bit.

use super::{
    count_row, finish_lanes, lane_total, prefetch, store_quad, stream_copy, transpose4,
    transpose_quad, write_node_b, PREFETCH_BYTE_QUADS, PREFETCH_QUADS,
};
use crate::batch::choice::Avx2;
use crate::batch::input::private::Sealed;
use crate::batch::plan::Plan;
use crate::batch::portable::{Grading, NORMALISED_ROW};
use crate::batch::simd::NodeB;
use crate::evaluation::FuzzyOperator;
use std::arch::x86_64::*;

/// The lane buffers, node `B` and its stage hold what the lane walk of `quads4` merchants
/// (a multiple of 4) writes, and the plan is one it can walk.
fn buffers_ok<const M: usize>(
    plan: &Plan,
    quads4: usize,
    node_b: Option<&NodeB<'_>>,
    lanes: &[f64],
) -> bool {
    let nb = plan.n_nodes * M;
    M <= 9
        && plan.m == M
        && quads4.is_multiple_of(4)
        && lanes.len() >= 4 * M * (plan.k() + plan.flat_groups.len())
        && node_b.is_none_or(|b| {
            b.out.len() >= quads4 * nb && b.stage.as_ref().is_none_or(|s| s.len() >= 4 * nb)
        })
        && plan.flat_ok()
}

/// The merchants of `scores` (a multiple of 4 of them) by [`walk_lanes`]: how many were taken
/// (none when a buffer or the plan does not fit), and the mask of those left to the exact
/// path.
pub(crate) fn f64_quads<const M: usize>(
    _cpu: Avx2,
    plan: &Plan,
    x: &[f64],
    (scores, grades): (&mut [f64], &mut [u32]),
    node_b: Option<NodeB<'_>>,
    lanes: &mut [f64],
    grading: &Grading<M>,
) -> (usize, u64) {
    let quads4 = scores.len();
    if !(quads4 == grades.len()
        && x.len() >= quads4 * plan.k() * M
        && buffers_ok::<M>(plan, quads4, node_b.as_ref(), lanes))
    {
        return (0, 0);
    }
    // SAFETY: the token proves AVX2 and FMA; `x` holds `quads4` blocks of `k M` values and the
    // other conditions of `walk_lanes` were checked just above.
    let failed = unsafe { walk_lanes::<M>(plan, x, scores, grades, node_b, lanes, grading) };
    (quads4, failed)
}

/// The merchants of `scores` (a multiple of 4 of them, `u8` or `u16` counts) by
/// [`count_walk`]: the mask of those left to the exact path, `None` when a buffer or the plan
/// does not fit (none taken).
pub(crate) fn count_quads<const M: usize, T: Sealed>(
    _cpu: Avx2,
    plan: &Plan,
    x: &[T],
    (scores, grades): (&mut [f64], &mut [u32]),
    node_b: Option<NodeB<'_>>,
    (lanes, tally): (&mut [f64], &mut [i32]),
    grading: &Grading<M>,
) -> Option<u64> {
    let quads4 = scores.len();
    let block = plan.k() * M;
    let fits = T::BYTES <= 2
        && block >= 16 / T::BYTES
        && quads4 == grades.len()
        && x.len() >= quads4 * block
        && tally.len() >= 4 * block
        && buffers_ok::<M>(plan, quads4, node_b.as_ref(), lanes);
    if !fits {
        return None;
    }
    let out = (scores, grades);
    // SAFETY: the token proves AVX2 and FMA; `x` holds `quads4` blocks of at least 16 bytes of
    // `u8` or `u16` counts; the buffers and the plan were checked above.
    Some(unsafe { count_walk::<M, T>(plan, x, out, node_b, lanes, tally, grading) })
}

/// [`walk_run`](crate::batch::simd::walk_run) with AVX2 for whole groups of four merchants, one merchant per
/// lane: each quad's four blocks are transposed (4 x 4 at a time) into `lanes`, so that
/// every value the walk touches — a leaf's grade, a group's grade — is one register holding
/// it for the four merchants, and every operation of the portable walk
/// ([`walk_padded`](crate::batch::portable::walk_padded) with
/// [`Grading::finish`]) runs once for four merchants, in the same order and unfused, so the
/// results are the same bit for bit. Returns the mask of merchants left to the exact path
/// (`scores.len() / 4` quads are scored; the caller takes the rest).
///
/// # Safety
///
/// AVX2 and FMA must be available; `x` holds at least `scores.len() / 4 * 4` blocks of
/// `k M` values, `M <= 9`; `lanes` at least `4 M (k + groups)` values; the flattened plan
/// checked by [`Plan::flat_ok`] (children inside the block or earlier groups).
#[target_feature(enable = "avx2,fma")]
unsafe fn walk_lanes<const M: usize>(
    plan: &Plan,
    x: &[f64],
    scores: &mut [f64],
    grades: &mut [u32],
    node_b: Option<NodeB<'_>>,
    lanes: &mut [f64],
    grading: &Grading<M>,
) -> u64 {
    debug_assert!(M <= 9 && scores.len().is_multiple_of(4) && grades.len() == scores.len());
    debug_assert!(x.len() >= scores.len() * plan.k() * M && plan.flat_ok());
    // SAFETY: the caller upholds the contract above: the loads of quad `q` read its four blocks
    // inside `x` (`4 q block + 4 block <= x.len()`), the stores into `t` write `4 k M` values
    // inside `lanes`; the walk's own accesses are covered by `quads_walk`'s contract, which
    // this contract includes.
    unsafe {
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
            // every leaf row sums to 1 (ordered compare: NaN fails),
            // and every value at most 1 (a NaN may drop out of the maximum: the sums catch it)
            let mut ok = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
            // one maximum per grade: short dependency chains (one chain through every value
            // cost about a third of the walk's time)
            let mut high = [zero; M];
            for l in 0..plan.k() {
                let row = t.add(4 * l * M);
                let mut sum = _mm256_loadu_pd(row);
                high[0] = _mm256_max_pd(high[0], sum);
                unrolled!(j in 1 2 3 4 5 6 7 8 if j < M => {
                    let v = _mm256_loadu_pd(row.add(4 * j));
                    high[j] = _mm256_max_pd(high[j], v);
                    sum = _mm256_add_pd(sum, v);
                });
                let dev = _mm256_and_pd(_mm256_sub_pd(sum, one), abs);
                ok = _mm256_and_pd(ok, _mm256_cmp_pd::<_CMP_LE_OQ>(dev, row_tol));
            }
            for h in high {
                ok = _mm256_and_pd(ok, _mm256_cmp_pd::<_CMP_LE_OQ>(h, one));
            }
            (ok, bad)
        };
        let rows = |q: usize| Some(x.as_ptr().add(4 * q * block));
        quads_walk::<M>(plan, (scores, grades), node_b, lanes, grading, load, rows)
    }
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
/// values; the flattened plan checked by [`Plan::flat_ok`]; `load` writes `4 k M` values
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
    debug_assert!(M <= 9 && lanes.len() >= 4 * M * (plan.k() + plan.flat_groups.len()));
    // SAFETY: the caller upholds the contract above: group `gi`'s slots `sl + 4 gi M` lie inside
    // `lanes`, every child read is a leaf inside the block or an earlier group (`flat_ok`),
    // the stores of quad `q` stay in `scores[..4q + 4]`, `grades[..4q + 4]` and node `B`.
    unsafe {
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
}

/// [`counts_walk`](crate::batch::simd::counts_walk) for whole quads: each quad's four blocks of counts
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
/// by [`Plan::flat_ok`]; `grades.len() == scores.len()`.
#[target_feature(enable = "avx2,fma")]
unsafe fn count_walk<const M: usize, T: Sealed>(
    plan: &Plan,
    x: &[T],
    out: (&mut [f64], &mut [u32]),
    node_b: Option<NodeB<'_>>,
    lanes: &mut [f64],
    tally: &mut [i32],
    grading: &Grading<M>,
) -> u64 {
    debug_assert!(T::BYTES <= 2 && M <= 9 && plan.k() * M >= 16 / T::BYTES);
    debug_assert!(tally.len() >= 4 * plan.k() * M && plan.flat_ok());
    // SAFETY: the caller upholds the contract above: quad `q`'s four blocks lie inside `x`,
    // their transposition inside `tally` (`4 k M` values), the memberships written inside the
    // first `4 k M` values of `lanes`; the walk's accesses are `quads_walk`'s contract.
    unsafe {
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
                let (c, total) = count_row::<M>(ti.add(4 * l * M));
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
}
