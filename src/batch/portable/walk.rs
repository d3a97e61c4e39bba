//! The tree walks without vector instructions: the exact walk (any input, finds the error the
//! single path finds), the dense walk of merchants whose leaves are all usable, and the padded
//! walk of normalised f64 rows read in place.

use crate::batch::plan::Plan;
use crate::batch::plan::Step;
use crate::batch::portable::{finish, rows_normalised, Grading};
use crate::batch::scratch::Scratch;
use crate::error::{Error, EvaluationError, Result};
use crate::evaluation::rules;

/// One group's raw `B`: its `children` rows folded with the group's operator
/// ([`rules::compose_into`]). `row(i, buf)` writes child `i`'s row into `buf` and returns its
/// weight, or `None`, which ends the fold with `None`.
///
/// The rows are fixed-size arrays, so that every operator runs over whole registers.
#[inline(always)]
fn compose<const N: usize>(
    op: crate::evaluation::FuzzyOperator,
    children: usize,
    mut row: impl FnMut(usize, &mut [f64; N]) -> Option<f64>,
) -> Option<[f64; N]> {
    let mut raw = [0.0f64; N];
    let mut missing = false;
    let rows = (0..children).map_while(|i| {
        let mut r = [0.0f64; N];
        let a = row(i, &mut r);
        missing |= a.is_none();
        Some((a?, r))
    });
    rules::compose_into(op, &mut raw, rows);
    (!missing).then_some(raw)
}

/// The widest padded node vector of [`walk_padded`] (grades rounded up to a multiple of 4).
pub(crate) const MAX_PADDED: usize = 12;

/// Every group composed, children before parents, for a merchant whose leaf rows are
/// normalised (they serve as the leaves' `B` in place); returns the
/// goal's normalised `B` (its first `M` values), `None` when a group's `B` does not sum to a
/// total that [`rules::reciprocal_ok`] accepts (or the plan has no group).
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
        if !rules::reciprocal_ok(total) {
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

/// A run of merchants by the padded walk ([`walk_padded`]): writes score and grade of each
/// merchant whose leaf rows are normalised ([`rows_normalised`]) and whose groups all have a
/// usable total, and returns the bit mask of the others. What the lane walk
/// (`simd::avx2::walk_lanes`) does for four merchants at once, and what it is tested against.
pub(crate) fn walk_run<const M: usize, const W: usize>(
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

/// Composes every group, children before parents, into `nodes` (`n_nodes x M`, the leaves'
/// normalised rows already in their slots). Returns the goal's score and grade; the first
/// group whose `B` sums to 0 is reported.
#[inline(always)]
fn compose_groups<const M: usize>(plan: &Plan, nodes: &mut [f64]) -> Result<(f64, u32)> {
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
        if !rules::positive_finite(total) {
            return Err(plan.at(g.node, Error::Evaluation(EvaluationError::ZeroMembership)));
        }
        rules::normalise_into(&raw, total, &mut nodes[g.node * M..(g.node + 1) * M]);
    }
    Ok(finish(plan, &nodes[..M], 1.0))
}

impl Plan {
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
                Step::Group(gi) => self.compose_group(gi, s)?,
            }
        }
        if !s.present[0] {
            return Err(Error::Evaluation(EvaluationError::NothingToEvaluate));
        }
        let root = &s.node_b[..self.m];
        Ok(finish(self, root, 1.0))
    }

    /// Group `gi` of the exact walk: its present children composed (their weights
    /// renormalised when some are excluded, as the single path does) and normalised.
    fn compose_group(&self, gi: usize, s: &mut Scratch) -> Result<()> {
        let g = &self.groups[gi];
        let m = self.m;
        let Scratch {
            node_b,
            present,
            weights,
            raw,
            ..
        } = s;
        weights.clear();
        let mut all = true;
        for (&c, &w) in g.children.iter().zip(&g.weights) {
            if present[c] {
                weights.push(w);
            } else {
                all = false;
            }
        }
        if weights.is_empty() {
            present[g.node] = false;
            node_b[g.node * m..(g.node + 1) * m].fill(0.0);
            return Ok(());
        }
        if !all {
            let total: f64 = weights.iter().sum();
            if total > 0.0 {
                for w in weights.iter_mut() {
                    *w = (*w / total).clamp(0.0, 1.0);
                }
            }
        }
        raw.fill(0.0);
        let children = g.children.iter().filter(|&&c| present[c]);
        let rows = weights.iter().zip(children);
        let nodes: &[f64] = node_b;
        rules::compose_into(
            g.op,
            raw,
            rows.map(|(&a, &c)| (a, &nodes[c * m..(c + 1) * m])),
        );
        let total: f64 = raw.iter().sum();
        if !rules::positive_finite(total) {
            return Err(self.at(g.node, Error::Evaluation(EvaluationError::ZeroMembership)));
        }
        rules::normalise_into(raw, total, &mut node_b[g.node * m..(g.node + 1) * m]);
        present[g.node] = true;
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
