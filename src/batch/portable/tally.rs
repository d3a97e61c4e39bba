//! Raw survey answers tallied per leaf and grade without vector instructions: the indicators
//! as byte lanes, which the compiler turns into vector compares.

use crate::batch::input::MISSING_ANSWER;

/// Indicators per answer row that the lane tallies take.
pub(crate) const LANES: usize = 16;

/// Adds one padded answer row to the per-grade lane counters; `bad` keeps, per lane, a
/// nonzero value once a code was neither a grade nor [`MISSING_ANSWER`].
#[inline(always)]
fn count_row<const M: usize>(c8: &mut [[u8; LANES]; M], bad: &mut [u8; LANES], lane: &[u8; LANES]) {
    for (j, cj) in c8.iter_mut().enumerate() {
        let code = j as u8;
        for (c, &x) in cj.iter_mut().zip(lane) {
            *c = c.wrapping_add(u8::from(x == code));
        }
    }
    // valid codes are 0..M and MISSING_ANSWER (255): x + 1 wraps them onto 0..=M, so
    // (x + 1) - M saturates to 0 exactly for them (psubusb/pmaxub, no unsigned compare)
    for (b, &x) in bad.iter_mut().zip(lane) {
        *b = (*b).max(x.wrapping_add(1).saturating_sub(M as u8));
    }
}

/// Moves the lane counters into `counts[l * M + j]` and clears them.
#[inline(never)]
fn flush<const M: usize>(c8: &mut [[u8; LANES]; M], k: usize, counts: &mut [u32]) {
    for (j, lanes) in c8.iter_mut().enumerate() {
        for (l, c) in lanes.iter().take(k).enumerate() {
            counts[l * M + j] += u32::from(*c);
        }
        *lanes = [0; LANES];
    }
}

/// Adds answer rows `first..end` (`k <= 16` codes each, at most 255 rows so the byte
/// counters cannot wrap) to the per-grade lane counters. Rows whose 16-byte window stays inside
/// `rows` are loaded whole and their lanes past `k` masked to [`MISSING_ANSWER`]; the last
/// few rows are copied into a padded window instead (kept out of the main loop, which the
/// compiler then vectorises).
#[inline(always)]
fn count_rows<const M: usize>(
    rows: &[u8],
    k: usize,
    (first, end): (usize, usize),
    c8: &mut [[u8; LANES]; M],
    bad: &mut [u8; LANES],
) {
    let mut keep = [0u8; LANES];
    keep[..k].fill(0xFF);
    let whole = if rows.len() >= LANES {
        (rows.len() - LANES) / k + 1
    } else {
        0
    };
    let split = whole.clamp(first, end);
    for r in first..split {
        let start = r * k;
        let mut lane = [0u8; LANES];
        lane.copy_from_slice(&rows[start..start + LANES]);
        for (x, &kp) in lane.iter_mut().zip(&keep) {
            *x |= !kp;
        }
        count_row::<M>(c8, bad, &lane);
    }
    for r in split..end {
        let mut lane = [MISSING_ANSWER; LANES];
        lane[..k].copy_from_slice(&rows[r * k..(r + 1) * k]);
        count_row::<M>(c8, bad, &lane);
    }
}

/// Tallies answer rows of at most 16 indicators with the indicators as byte lanes (the
/// compiler turns the lane loops into vector compares): `counts[l * M + j]` += answers of
/// grade `j` for leaf `l`. `false` when a code is neither a grade nor [`MISSING_ANSWER`].
#[inline(always)]
pub(crate) fn tally_lanes<const M: usize>(rows: &[u8], k: usize, counts: &mut [u32]) -> bool {
    let mut c8 = [[0u8; LANES]; M];
    let mut bad = [0u8; LANES];
    let n_rows = rows.len() / k;
    let mut first = 0;
    while first < n_rows {
        let end = (first + usize::from(u8::MAX)).min(n_rows);
        count_rows::<M>(rows, k, (first, end), &mut c8, &mut bad);
        flush::<M>(&mut c8, k, counts);
        first = end;
    }
    bad.iter().all(|&b| b == 0)
}

/// `M(·,+)` everywhere, raw answers of at most 16 indicators and 255 respondents: the goal's
/// unnormalised `B_j = sum_l G_l c_lj / t_l` straight from the byte-lane tallies (`c_lj`
/// answers of grade `j` for leaf `l`, `t_l` its answers), never storing counts or
/// memberships. `None` when a code is invalid, a leaf has no answer, or the shape does not fit;
/// the caller then takes the exact path.
#[inline(always)]
pub(crate) fn tally_linear_root<const M: usize>(
    rows: &[u8],
    k: usize,
    global: &[f64],
    inv: &[f64],
) -> Option<[f64; M]> {
    let n_rows = rows.len() / k;
    if n_rows == 0 || n_rows > usize::from(u8::MAX) {
        return None;
    }
    let mut c8 = [[0u8; LANES]; M];
    let mut bad = [0u8; LANES];
    count_rows::<M>(rows, k, (0, n_rows), &mut c8, &mut bad);
    if bad.iter().any(|&b| b != 0) {
        return None;
    }
    // answers per leaf (at most 255, so the byte sums cannot wrap)
    let mut total = [0u8; LANES];
    for lanes in &c8 {
        for (t, &c) in total.iter_mut().zip(lanes) {
            *t += c;
        }
    }
    let mut w = [0.0f64; LANES];
    for ((wl, &t), &g) in w.iter_mut().zip(&total).zip(global) {
        if t == 0 {
            return None;
        }
        *wl = g * inv[usize::from(t)];
    }
    let mut b = [0.0f64; M];
    for (bj, lanes) in b.iter_mut().zip(&c8) {
        let mut acc = [0.0f64; 2];
        for (pair_c, pair_w) in lanes.chunks_exact(2).zip(w.chunks_exact(2)) {
            acc[0] += pair_w[0] * f64::from(pair_c[0]);
            acc[1] += pair_w[1] * f64::from(pair_c[1]);
        }
        *bj = acc[0] + acc[1];
    }
    Some(b)
}
