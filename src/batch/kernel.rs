//! Per-merchant evaluation: the compiled tree walk and the linear fast path.

use crate::error::{Error, EvaluationError, Result};
use crate::evaluation::FuzzyOperator;
use crate::numeric::MEMBERSHIP_TIE_TOL;

/// A group node of the compiled tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    /// Preorder index of the node.
    pub node: usize,
    pub op: FuzzyOperator,
    /// Preorder indices of the children.
    pub children: Vec<usize>,
    /// Local weights of the children, clamped to [0, 1] as the single path uses them.
    pub weights: Vec<f64>,
}

/// A child in the flattened group list: a leaf row of the input block or an earlier group's
/// slot, with its (clamped) local weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FlatChild {
    /// `true`: `index` is a leaf number; `false`: a group slot (index into `Plan::groups`).
    pub leaf: bool,
    pub index: usize,
    pub weight: f64,
}

/// A group of the flattened plan: its operator and its children
/// `Plan::flat_children[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FlatGroup {
    pub op: FuzzyOperator,
    pub start: usize,
    pub end: usize,
}

/// One node of the reverse-preorder walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Leaf number `l` (in preorder of the leaves).
    Leaf(usize),
    /// Index into `Plan::groups`.
    Group(usize),
}

/// The tree compiled for scoring: everything the per-merchant loop needs, validated once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub n_nodes: usize,
    pub m: usize,
    /// Preorder node index of each leaf (leaves in preorder).
    pub leaf_node: Vec<usize>,
    pub leaf_ids: Vec<String>,
    pub node_paths: Vec<String>,
    /// Group nodes, children before parents (reverse preorder).
    pub groups: Vec<Group>,
    /// Every node in reverse preorder, the order in which the single path evaluates (and so
    /// the order in which it meets errors).
    pub steps: Vec<Step>,
    /// Global leaf weight with each level's weights divided by their sum (what the
    /// normalisation at every node amounts to under `M(·,+)`).
    pub global: Vec<f64>,
    /// `global` repeated per grade: `coef[l * m + j] = global[l]`, laid out like one
    /// merchant's input block.
    pub coef: Vec<f64>,
    /// `groups` flattened: one entry per group, same order, children in one array.
    pub flat_groups: Vec<FlatGroup>,
    pub flat_children: Vec<FlatChild>,
    /// `true` when every group composes with `M(·,+)`.
    pub linear: bool,
    pub exclude: bool,
    pub values: Vec<f64>,
    pub min_value: f64,
    pub max_value: f64,
}

/// Reusable per-thread buffers.
#[derive(Debug, Clone)]
pub(crate) struct Scratch {
    /// `n_nodes x m` normalised B.
    pub node_b: Vec<f64>,
    pub present: Vec<bool>,
    /// `leaves x m` counts (survey answers).
    pub counts: Vec<u32>,
    pub missing: Vec<usize>,
    pub weights: Vec<f64>,
    pub raw: Vec<f64>,
    /// Per-leaf scale factors `1 / row sum`.
    pub scale: Vec<f64>,
    /// Padded group `B` vectors of the fast tree walk ([`walk_padded`]), [`MAX_PADDED`]
    /// values per group.
    pub slots: Vec<f64>,
    /// The lane-parallel walk's transposed leaf values and group `B`s: four merchants per
    /// value, `4 M (leaves + groups)`.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub lanes: Vec<f64>,
    /// The count lane kernels' transposed counts: four i32 per position, `4 k M`, at least
    /// 512 bytes per 16 positions.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub tally: Vec<i32>,
    /// A quad's node `B` (four blocks of `n_nodes M` values), staged to be streamed out when
    /// `stream_node_b` is set.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub stage: Vec<f64>,
    /// The batch's node-`B` output is too large to stay in cache ([`STREAM_NODE_B_BYTES`]):
    /// the lane walk writes it with non-temporal stores.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub stream_node_b: bool,
}

/// Node-`B` outputs (of a whole batch) from this size on are written past the cache
/// (non-temporal stores) by the lane walk: they would not stay in cache for the caller anyway,
/// and a normal store first reads the line it writes, which adds the output's size to the
/// memory traffic once more. Measured on the development machine (32 MiB of L3, the 12 leaves
/// x 5 grades of the benchmarks, 680 bytes of node `B` per merchant): 1e4 merchants (6.8 MB)
/// 36.9 M/s in place against 29.8 M/s streamed, 2e4 (13.6 MB) 28.0 against 30.2, 5e4 (34 MB)
/// 22.7 against 26.2, 1e6 22.4 against 28.1–29.3.
pub(crate) const STREAM_NODE_B_BYTES: usize = 8 << 20;

impl Scratch {
    pub fn new(plan: &Plan) -> Self {
        let k = plan.leaf_node.len();
        Self {
            node_b: vec![0.0; plan.n_nodes * plan.m],
            present: vec![false; plan.n_nodes],
            counts: vec![0; k * plan.m],
            missing: vec![0; k],
            weights: Vec::with_capacity(plan.n_nodes),
            raw: vec![0.0; plan.m],
            scale: vec![0.0; k],
            slots: vec![0.0; plan.groups.len() * MAX_PADDED],
            // (the lane buffers with 64 bytes to spare, see `from_line`)
            lanes: vec![0.0; 4 * plan.m * (k + plan.groups.len()) + 8],
            // four i32 per position (AVX2) or eight counts per position in whole windows of
            // 512 bytes (AVX-512: 64 `u8`, 32 `u16` or 16 `u32` positions)
            tally: vec![0; (4 * k * plan.m).max(128 * (k * plan.m).div_ceil(16)) + 16],
            stage: vec![0.0; 4 * plan.n_nodes * plan.m + 8],
            stream_node_b: false,
        }
    }
}

/// `buf` from its first cache-line (64-byte) boundary on (empty if it has none); the lane
/// buffers of [`Scratch`] carry 64 bytes to spare for it. The lane kernels' 32- and 64-byte
/// stores into their scratch then never straddle two cache lines: measured on the `u8` count
/// kernels with their data in cache, 112 against 138 M merchants/s (AVX2) and 150 against
/// 185 M/s (AVX-512) when the buffer started mid-line.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) fn from_line<T>(buf: &mut [T]) -> &mut [T] {
    let skip = buf.as_ptr().align_offset(64).min(buf.len());
    &mut buf[skip..]
}

/// `x > 0` and finite (false for NaN), as two integer operations on the bits: positive finite
/// non-zero doubles are exactly the bit patterns `1..=0x7FEF_FFFF_FFFF_FFFF`. (Written as two
/// float compares, the test is rewritten by the compiler into a longer classification.)
#[inline(always)]
pub(crate) fn positive_finite(x: f64) -> bool {
    x.to_bits().wrapping_sub(1) < 0x7FEF_FFFF_FFFF_FFFF
}

/// One group's raw `B`: its `children` rows folded with the group's operator (bounded sums
/// capped at 1). `row(i, buf)` writes child `i`'s row into `buf` and returns its weight, or
/// `None`, which ends the fold with `None`.
///
/// Inputs here are finite and non-negative, so plain compare-and-select min/max (one
/// instruction each) give what `f64::min`/`max` give.
#[inline(always)]
fn compose<const N: usize>(
    op: FuzzyOperator,
    children: usize,
    mut row: impl FnMut(usize, &mut [f64; N]) -> Option<f64>,
) -> Option<[f64; N]> {
    let min = |x: f64, y: f64| if x < y { x } else { y };
    let max = |x: f64, y: f64| if x > y { x } else { y };
    let mut raw = [0.0f64; N];
    macro_rules! fold {
        ($combine:expr) => {
            for i in 0..children {
                let mut r = [0.0f64; N];
                let a = row(i, &mut r)?;
                for (b, &v) in raw.iter_mut().zip(&r) {
                    *b = $combine(*b, a, v);
                }
            }
        };
    }
    match op {
        FuzzyOperator::WeightedAverage => fold!(|b: f64, a: f64, r: f64| b + a * r),
        FuzzyOperator::ZadehMaxMin => fold!(|b: f64, a: f64, r: f64| max(b, min(a, r))),
        FuzzyOperator::ProductMax => fold!(|b: f64, a: f64, r: f64| max(b, a * r)),
        FuzzyOperator::BoundedSum => {
            fold!(|b: f64, a: f64, r: f64| b + min(a, r));
            for b in &mut raw {
                *b = min(*b, 1.0);
            }
        }
    }
    Some(raw)
}

/// The widest padded node vector of [`walk_padded`] (grades rounded up to a multiple of 4).
pub(crate) const MAX_PADDED: usize = 12;

/// Every group composed, children before parents, for a merchant whose leaf rows are
/// normalised (they serve as the leaves' `B` in place); returns the
/// goal's normalised `B` (its first `M` values), `None` when a group's `B` does not sum to a
/// positive finite number (or the plan has no group).
///
/// Node vectors are padded with zeros to `W` values (`W` a multiple of 4, `M <= W`), so that
/// every operator runs over whole SIMD registers: zeros stay zeros under all four operators,
/// and the sums run over the first `M` values only. The group `B`s go to `slots` (`W` values
/// per group).
#[inline(always)]
pub(crate) fn walk_padded<const M: usize, const W: usize>(
    plan: &Plan,
    x: &[f64],
    slots: &mut [f64],
) -> Option<[f64; W]> {
    if M > W || x.len() < plan.k() * M || slots.len() < plan.flat_groups.len() * W {
        return None;
    }
    let mut last = None;
    for (gi, g) in plan.flat_groups.iter().enumerate() {
        let children = plan.flat_children.get(g.start..g.end)?;
        let mut raw = compose::<W>(g.op, children.len(), |i, row| {
            let c = children.get(i)?;
            if c.leaf {
                row[..M].copy_from_slice(x.get(c.index * M..(c.index + 1) * M)?);
            } else {
                row.copy_from_slice(slots.get(c.index * W..(c.index + 1) * W)?);
            }
            Some(c.weight)
        })?;
        let total: f64 = raw[..M].iter().sum();
        if !positive_finite(total) {
            return None;
        }
        let inv = 1.0 / total;
        for b in &mut raw {
            *b *= inv;
        }
        slots.get_mut(gi * W..(gi + 1) * W)?.copy_from_slice(&raw);
        last = Some(raw);
    }
    last
}

/// Score and grade of the goal's `B` (normalised or not; `total` is its sum, > 0).
///
/// The grade is the first within [`MEMBERSHIP_TIE_TOL`] of the largest normalised entry,
/// tested as `max - b_j <= tol * total` so that no division sits on the path to it; the score
/// is `sum_j b_j v_j / total`, clamped to the range of the grade values as the single path
/// does.
#[inline(always)]
pub(crate) fn finish(plan: &Plan, b: &[f64], total: f64) -> (f64, u32) {
    finish_with(&plan.values, (plan.min_value, plan.max_value), b, total)
}

/// [`finish`] with the grade values and their range given.
#[inline(always)]
fn finish_with(values: &[f64], (min, max_value): (f64, f64), b: &[f64], total: f64) -> (f64, u32) {
    let mut max = 0.0f64;
    let mut weighted = 0.0;
    for (&x, &v) in b.iter().zip(values) {
        max = if x > max { x } else { max };
        weighted += x * v;
    }
    let tol = MEMBERSHIP_TIE_TOL * total;
    // the first grade within the tie tolerance of the maximum: scanned from the back with
    // selects (cmov), no branches on the data
    let mut grade = 0u32;
    for (j, &x) in b.iter().enumerate().rev() {
        grade = if max - x <= tol { j as u32 } else { grade };
    }
    let score = weighted / total;
    // `clamp` without its check of the bounds' order (done when the grade set was built)
    let score = if score < min {
        min
    } else if score > max_value {
        max_value
    } else {
        score
    };
    (score, grade)
}

/// [`finish`] for a known number of grades: the grade values in an array, no bounds checks or
/// length tests left in the per-merchant code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grading<const M: usize> {
    pub values: [f64; M],
    pub min: f64,
    pub max: f64,
}

impl<const M: usize> Grading<M> {
    /// For a plan of `M` grades (the callers dispatch on `plan.m`).
    pub fn new(plan: &Plan) -> Self {
        debug_assert_eq!(plan.values.len(), M);
        Self {
            values: std::array::from_fn(|j| plan.values.get(j).copied().unwrap_or(0.0)),
            min: plan.min_value,
            max: plan.max_value,
        }
    }

    /// Score and grade from the goal's unnormalised `B`, as [`finish`] gives them; `None` if
    /// it does not sum to a positive finite number.
    #[inline(always)]
    pub fn root(&self, b: &[f64; M]) -> Option<(f64, u32)> {
        // pairwise, to keep the dependency chain short
        let total: f64 = b.chunks(2).map(|c| c.iter().sum::<f64>()).sum();
        if !positive_finite(total) {
            return None;
        }
        Some(self.finish(b, total))
    }

    /// Score and grade from the first `M` values of `b` (the goal's `B`, normalised or not;
    /// `total` is its sum, > 0), as [`finish`] gives them.
    #[inline(always)]
    pub fn finish(&self, b: &[f64], total: f64) -> (f64, u32) {
        let b = &b[..M.min(b.len())];
        // the values' length hidden from the optimiser: with `M` known it unrolls the loops
        // and reads `b` (just stored value by value) two at a time, which stalls store
        // forwarding; measured 26 ns per merchant against 20.5 ns on the portable linear path
        let values: &[f64] = std::hint::black_box(&self.values[..]);
        finish_with(values, (self.min, self.max), b, total)
    }
}

impl Plan {
    pub fn k(&self) -> usize {
        self.leaf_node.len()
    }

    pub(crate) fn at(&self, node: usize, source: Error) -> Error {
        Error::AtNode {
            path: self.node_paths[node].clone(),
            source: Box::new(source),
        }
    }

    /// The error for leaf `l` without answers.
    pub fn no_answers(&self, l: usize, missing: usize) -> Error {
        self.at(
            self.leaf_node[l],
            Error::Evaluation(EvaluationError::NoAnswers {
                id: self.leaf_ids[l].clone(),
                missing,
            }),
        )
    }

    /// The error for a leaf row summing to 0.
    pub fn zero_row(&self, l: usize) -> Error {
        self.at(
            self.leaf_node[l],
            Error::Evaluation(EvaluationError::ZeroMembership),
        )
    }

    /// Walks the tree in reverse preorder, as the single path does: `fill(l, s)` puts leaf
    /// `l`'s normalised row into its slot (`Ok(false)` when it has no answers and is excluded),
    /// each group composes its present children. Writes every node's normalised `B` and
    /// returns the root's score and grade.
    pub fn walk(
        &self,
        s: &mut Scratch,
        mut fill: impl FnMut(usize, &mut Scratch) -> Result<bool>,
    ) -> Result<(f64, u32)> {
        for step in &self.steps {
            match *step {
                Step::Leaf(l) => {
                    let present = fill(l, s)?;
                    s.present[self.leaf_node[l]] = present;
                }
                Step::Group(gi) => self.compose_group(&self.groups[gi], s)?,
            }
        }
        if !s.present[0] {
            return Err(EvaluationError::NothingToEvaluate.into());
        }
        let root = &s.node_b[..self.m];
        Ok(finish(self, root, 1.0))
    }

    fn compose_group(&self, g: &Group, s: &mut Scratch) -> Result<()> {
        let m = self.m;
        s.weights.clear();
        let mut all = true;
        for (&c, &w) in g.children.iter().zip(&g.weights) {
            if s.present[c] {
                s.weights.push(w);
            } else {
                all = false;
            }
        }
        if s.weights.is_empty() {
            s.present[g.node] = false;
            s.node_b[g.node * m..(g.node + 1) * m].fill(0.0);
            return Ok(());
        }
        if !all {
            let total: f64 = s.weights.iter().sum();
            if total > 0.0 {
                for w in &mut s.weights {
                    *w = (*w / total).clamp(0.0, 1.0);
                }
            }
        }
        s.raw.fill(0.0);
        let mut wi = s.weights.iter();
        for &c in &g.children {
            if !s.present[c] {
                continue;
            }
            let a = *wi.next().unwrap_or(&0.0);
            let row = &s.node_b[c * m..(c + 1) * m];
            for (bj, &r) in s.raw.iter_mut().zip(row) {
                *bj = match g.op {
                    FuzzyOperator::WeightedAverage => *bj + a * r,
                    FuzzyOperator::ZadehMaxMin => bj.max(a.min(r)),
                    FuzzyOperator::ProductMax => bj.max(a * r),
                    FuzzyOperator::BoundedSum => *bj + a.min(r),
                };
            }
        }
        if g.op == FuzzyOperator::BoundedSum {
            for bj in &mut s.raw {
                *bj = bj.min(1.0);
            }
        }
        let total: f64 = s.raw.iter().sum();
        if !positive_finite(total) {
            return Err(self.at(g.node, Error::Evaluation(EvaluationError::ZeroMembership)));
        }
        let out = &mut s.node_b[g.node * m..(g.node + 1) * m];
        for (o, &x) in out.iter_mut().zip(&s.raw) {
            *o = x / total;
        }
        s.present[g.node] = true;
        Ok(())
    }

    /// Normalises one leaf row into its node slot; `false` when it sums to 0.
    #[inline]
    pub fn put_leaf(
        &self,
        s: &mut Scratch,
        l: usize,
        row: impl Iterator<Item = f64> + Clone,
    ) -> bool {
        let total: f64 = row.clone().sum();
        let node = self.leaf_node[l];
        let out = &mut s.node_b[node * self.m..(node + 1) * self.m];
        if !(total > 0.0) {
            out.fill(0.0);
            return false;
        }
        for (o, x) in out.iter_mut().zip(row) {
            *o = x / total;
        }
        true
    }
}

/// Rows whose sum `s` is within this of 1 are scaled by `1 + (1 - s)` instead of divided by
/// `s`: the relative error `(1 - s)^2 <= 1e-16` is far below the agreement asked of the batch
/// path (1e-12), and the division is the slowest instruction of the kernel.
const NEAR_ONE: f64 = 1e-8;

/// `1 / s` for a row sum known to be within [`NEAR_ONE`] of 1.
#[inline(always)]
fn near_one_reciprocal(s: f64) -> f64 {
    1.0 + (1.0 - s)
}

/// Checks a merchant's f64 rows (all entries in `[0, 1]`) and writes each row's scale factor
/// `1 / sum` into `scale`; `None` when an entry is out of range or NaN, or a row sums to 0.
#[inline(always)]
pub(crate) fn row_scales_f64<const M: usize>(block: &[f64], scale: &mut [f64]) -> Option<()> {
    let mut ok = true;
    let mut near = true;
    for (row, f) in block.chunks_exact(M).zip(scale.iter_mut()) {
        let mut s = 0.0;
        for &x in row {
            ok &= (0.0..=1.0).contains(&x);
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
            if !(*f > 0.0) {
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
pub(crate) fn row_scales_counts<const M: usize, C: crate::batch::GradeCount>(
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

/// Normalised leaf rows into their node slots, then every group composed, children before
/// parents, into `nodes` (`n_nodes x M`). For merchants whose leaves all have answers; the
/// first group whose `B` sums to 0 is reported (the single path meets it first too, since it
/// meets no leaf error).
#[inline(always)]
pub(crate) fn dense_walk<const M: usize, T: Copy>(
    plan: &Plan,
    block: &[T],
    scale: &[f64],
    to_f64: impl Fn(T) -> f64,
    nodes: &mut [f64],
) -> Result<(f64, u32)> {
    for ((row, &f), &node) in block.chunks_exact(M).zip(scale).zip(&plan.leaf_node) {
        let out = &mut nodes[node * M..(node + 1) * M];
        for (o, &x) in out.iter_mut().zip(row) {
            *o = to_f64(x) * f;
        }
    }
    compose_groups::<M>(plan, nodes)
}

/// `true` when every row of the block sums to 1 within [`NORMALISED_ROW`] and no value has its
/// sign bit set (NaN fails the sum test): such rows can be used as the leaves' normalised `B`
/// in place, differing from `row / sum` by at most [`NORMALISED_ROW`] relative.
#[inline(always)]
pub(crate) fn rows_normalised<const M: usize>(block: &[f64]) -> bool {
    let mut bits = 0u64;
    let mut ok = true;
    for row in block.chunks_exact(M) {
        let mut s = 0.0;
        for &x in row {
            bits |= x.to_bits();
            s += x;
        }
        ok &= (s - 1.0).abs() <= NORMALISED_ROW;
    }
    ok & (bits >> 63 == 0)
}

/// Composes every group, children before parents, into `nodes` (`n_nodes x M`, the leaves'
/// normalised rows already in their slots). Returns the goal's score and grade; the first
/// group whose `B` sums to 0 is reported.
#[inline(always)]
pub(crate) fn compose_groups<const M: usize>(plan: &Plan, nodes: &mut [f64]) -> Result<(f64, u32)> {
    for g in &plan.groups {
        let mut rows = g.children.iter().zip(&g.weights);
        let raw = compose::<M>(g.op, g.children.len(), |_, row| {
            let (&c, &a) = rows.next()?;
            row.copy_from_slice(nodes.get(c * M..(c + 1) * M)?);
            Some(a)
        });
        // every child is a leaf or an earlier group, inside the buffers
        let Some(raw) = raw else {
            return Err(plan.at(g.node, Error::Evaluation(EvaluationError::ZeroMembership)));
        };
        let total: f64 = raw.iter().sum();
        if !positive_finite(total) {
            return Err(plan.at(g.node, Error::Evaluation(EvaluationError::ZeroMembership)));
        }
        let inv = 1.0 / total;
        let out = &mut nodes[g.node * M..(g.node + 1) * M];
        for (o, &x) in out.iter_mut().zip(&raw) {
            *o = x * inv;
        }
    }
    Ok(finish(plan, &nodes[..M], 1.0))
}

/// Row sums within this of 1 count as normalised: the linear f64 kernel then skips the
/// division by the row sum, changing `B` by at most this relative amount (rows computed as
/// `count / total` sum to 1 within a few ulps).
pub(crate) const NORMALISED_ROW: f64 = 1e-14;

/// `M(·,+)` everywhere, f64 memberships whose rows are normalised (sums within
/// [`NORMALISED_ROW`] of 1): the goal's unnormalised `B_j = sum_l G_l r_lj` (`global[l] = G_l`).
///
/// Two rows at a time: their `2M` values are `M` two-lane vectors, each lane with a fixed row
/// and grade, so the loads, the minimum, the products and the sums all run two values per
/// SSE2 instruction, and each vector's weights are built from the two rows' `G` (no load per
/// value). `None` when a value has its sign bit set (negative, or -0.0), is NaN, or a row sum
/// is off (which also catches values above 1): the caller then takes the exact path.
#[inline(always)]
pub(crate) fn linear_f64_normalised<const M: usize>(
    block: &[f64],
    global: &[f64],
) -> Option<[f64; M]> {
    let mut acc = [[0.0f64; 2]; M];
    // OR of every value's bits: the sign bit is set iff some value is negative (or -0.0, or a
    // NaN with the sign set), an integer test that leaves the floating-point adders free
    let mut bits = [0u64; 2];
    let mut sums_ok = true;
    let pairs = block.chunks_exact(2 * M);
    let rest = pairs.remainder();
    for (pair, g) in pairs.zip(global.chunks_exact(2)) {
        let (mut s0, mut s1) = ([0.0f64; 2], [0.0f64; 2]);
        for (vi, (a, x)) in acc.iter_mut().zip(pair.chunks_exact(2)).enumerate() {
            for t in 0..2 {
                let row = (2 * vi + t) / M;
                bits[t] |= x[t].to_bits();
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
            bits[0] |= x.to_bits();
            s += x;
            *bj += g * x;
        }
        sums_ok &= (s - 1.0).abs() <= NORMALISED_ROW;
    }
    // NaN fails the row-sum test; a sign bit sends -0.0 to the exact path too, which accepts it
    (sums_ok & ((bits[0] | bits[1]) >> 63 == 0)).then_some(b)
}

#[cfg(test)]
mod tests {
    use super::positive_finite;

    #[test]
    fn positive_finite_is_the_float_test() {
        let values = [
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            f64::MIN_POSITIVE / 4.0, // subnormal
            1.0,
            -1.0,
            f64::MAX,
            -f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            1e-300,
        ];
        for x in values {
            assert_eq!(positive_finite(x), x > 0.0 && x.is_finite(), "{x:e}");
        }
    }
}
