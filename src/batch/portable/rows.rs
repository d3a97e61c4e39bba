//! Leaf rows: their checks and scale factors, and the goal's `B` of the linear fast path
//! (`M(·,+)` at every level: `B = sum_l G_l r_l / sum_j r_lj`).

use crate::batch::input::GradeCount;
use crate::evaluation::rules;

/// Row sums within this of 1 count as normalised: the linear f64 kernel then skips the
/// division by the row sum, changing `B` by at most this relative amount (rows computed as
/// `count / total` sum to 1 within a few ulps).
pub(crate) const NORMALISED_ROW: f64 = 1e-14;

/// Rows whose sum `s` is within this of 1 are scaled by `1 + (1 - s)` instead of divided by
/// `s`: the relative error `(1 - s)^2 <= 1e-16` is far below the agreement asked of the batch
/// path (1e-12), and the division is the slowest instruction of the kernel.
const NEAR_ONE: f64 = 1e-8;

/// `1 / s` for a row sum known to be within [`NEAR_ONE`] of 1.
#[inline(always)]
fn near_one_reciprocal(s: f64) -> f64 {
    1.0 + (1.0 - s)
}

/// Checks a merchant's f64 rows (every entry a membership value, [`rules::is_membership`])
/// and writes each row's scale factor `1 / sum` into `scale`; `None` when an entry is not a
/// membership value, or a row's sum has no usable reciprocal ([`rules::reciprocal_ok`]: it
/// sums to 0, or to a subnormal number): the exact path then decides.
#[inline(always)]
pub(crate) fn row_scales_f64<const M: usize>(block: &[f64], scale: &mut [f64]) -> Option<()> {
    let mut ok = true;
    let mut near = true;
    for (row, f) in block.chunks_exact(M).zip(scale.iter_mut()) {
        let mut s = 0.0;
        for &x in row {
            ok &= rules::is_membership(x);
            s += x;
        }
        near &= (s - 1.0).abs() <= NEAR_ONE;
        *f = s;
    }
    if !ok {
        return None;
    }
    if near {
        for f in scale.iter_mut() {
            *f = near_one_reciprocal(*f);
        }
    } else {
        for f in scale.iter_mut() {
            if !rules::reciprocal_ok(*f) {
                return None;
            }
            *f = 1.0 / *f;
        }
    }
    Some(())
}

/// `M(·,+)` everywhere: the goal's `B` (unnormalised) is `sum_l G_l scale_l r_l`.
#[inline(always)]
pub(crate) fn linear_root<const M: usize, T: Copy>(
    block: &[T],
    global: &[f64],
    scale: &[f64],
    to_f64: impl Fn(T) -> f64,
) -> [f64; M] {
    let mut acc = [0.0f64; M];
    for ((row, &g), &f) in block.chunks_exact(M).zip(global).zip(scale) {
        let gf = g * f;
        for (a, &x) in acc.iter_mut().zip(row) {
            *a += gf * to_f64(x);
        }
    }
    acc
}

/// Row totals of integer counts turned into scale factors `1 / total` (a table for small
/// totals); `None` when some leaf has no answers.
#[inline(always)]
pub(crate) fn row_scales_counts<const M: usize, C: GradeCount>(
    block: &[C],
    inv: &[f64],
    scale: &mut [f64],
) -> Option<()> {
    let mut ok = true;
    for (row, f) in block.chunks_exact(M).zip(scale.iter_mut()) {
        let mut t = 0u64;
        for &c in row {
            t += c.to_u64();
        }
        ok &= t > 0;
        *f = match inv.get(t as usize) {
            Some(r) => *r,
            None => 1.0 / t as f64,
        };
    }
    ok.then_some(())
}

/// `true` when every row of the block sums to 1 within [`NORMALISED_ROW`] and every value is
/// in `[+0, 1]` ([`rules::is_plain_membership`] on the largest bit pattern; NaN, values above
/// 1 and set sign bits fail): such rows can be used as the leaves' normalised `B` in place,
/// differing from `row / sum` by at most [`NORMALISED_ROW`] relative.
#[inline(always)]
pub(crate) fn rows_normalised<const M: usize>(block: &[f64]) -> bool {
    let mut bits = 0u64;
    let mut ok = true;
    for row in block.chunks_exact(M) {
        let mut s = 0.0;
        for &x in row {
            bits = bits.max(x.to_bits());
            s += x;
        }
        ok &= (s - 1.0).abs() <= NORMALISED_ROW;
    }
    ok & rules::is_plain_membership(bits)
}

/// `M(·,+)` everywhere, f64 memberships whose rows are normalised (sums within
/// [`NORMALISED_ROW`] of 1): the goal's unnormalised `B_j = sum_l G_l r_lj` (`global[l] = G_l`).
///
/// Two rows at a time: their `2M` values are `M` two-lane vectors, each lane with a fixed row
/// and grade, so the loads, the minimum, the products and the sums all run two values per
/// SSE2 instruction, and each vector's weights are built from the two rows' `G` (no load per
/// value). `None` when a value is not in `[+0, 1]` (negative, -0.0, NaN, above 1) or a row sum
/// is off: the caller then takes the exact path.
#[inline(always)]
pub(crate) fn linear_f64_normalised<const M: usize>(
    block: &[f64],
    global: &[f64],
) -> Option<[f64; M]> {
    let mut acc = [[0.0f64; 2]; M];
    // the largest bit pattern of every value, an integer test that leaves the floating-point
    // adders free: in [+0, 1] iff at most the bits of 1.0 (a set sign bit or NaN reads larger)
    let mut bits = [0u64; 2];
    let mut sums_ok = true;
    let pairs = block.chunks_exact(2 * M);
    let rest = pairs.remainder();
    for (pair, g) in pairs.zip(global.chunks_exact(2)) {
        let (mut s0, mut s1) = ([0.0f64; 2], [0.0f64; 2]);
        for (vi, (a, x)) in acc.iter_mut().zip(pair.chunks_exact(2)).enumerate() {
            for t in 0..2 {
                let row = (2 * vi + t) / M;
                bits[t] = bits[t].max(x[t].to_bits());
                a[t] += g[row] * x[t];
                if row == 0 {
                    s0[t] += x[t];
                } else {
                    s1[t] += x[t];
                }
            }
        }
        let (s0, s1) = (s0[0] + s0[1], s1[0] + s1[1]);
        sums_ok &= ((s0 - 1.0).abs() <= NORMALISED_ROW) & ((s1 - 1.0).abs() <= NORMALISED_ROW);
    }
    let mut b = [0.0f64; M];
    for (vi, a) in acc.iter().enumerate() {
        b[(2 * vi) % M] += a[0];
        b[(2 * vi + 1) % M] += a[1];
    }
    if !rest.is_empty() {
        let g = *global.last()?;
        let mut s = 0.0;
        for (bj, &x) in b.iter_mut().zip(rest) {
            bits[0] = bits[0].max(x.to_bits());
            s += x;
            *bj += g * x;
        }
        sums_ok &= (s - 1.0).abs() <= NORMALISED_ROW;
    }
    // NaN fails the row-sum test too; -0.0 goes to the exact path, which accepts it
    (sums_ok & rules::is_plain_membership(bits[0].max(bits[1]))).then_some(b)
}
