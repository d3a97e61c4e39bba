//! The input forms (f64 memberships, counts, raw answers), each as [`Merchants`] for the
//! driver: its run kernel (from the [`KernelChoice`](crate::batch::choice::KernelChoice)),
//! its per-merchant fast path, and the exact path that finds the single path's error.

use crate::batch::choice::Run;
use crate::batch::drive::{Merchants, RunOut};
use crate::batch::input::{GradeCount, SurveyAnswers, MISSING_ANSWER};
use crate::batch::plan::Plan;
use crate::batch::portable::{
    dense_walk, linear_root, row_scales_counts, row_scales_f64, tally_lanes, tally_linear_root,
    Grading, LANES, MAX_PADDED,
};
use crate::batch::scratch::Scratch;
use crate::batch::simd;
use crate::error::{Error, EvaluationError, InputError, Result};
use crate::evaluation::rules;

/// The exact per-merchant paths: every check, in the single path's order.
impl Plan {
    /// The tree walk for f64 memberships, which also finds the exact error: entries are
    /// checked leaf by leaf first ([`rules::is_membership`]), as the single path's data
    /// container does.
    pub fn exact_f64(&self, x: &[f64], s: &mut Scratch) -> Result<(f64, u32)> {
        for (l, row) in x.chunks_exact(self.m).enumerate() {
            for (col, &value) in row.iter().enumerate() {
                if !rules::is_membership(value) {
                    return Err(Error::Evaluation(EvaluationError::InvalidMembership {
                        row: l,
                        col,
                        value,
                    }));
                }
            }
        }
        self.walk(s, |l, s| {
            if self.put_leaf(s, l, x[l * self.m..(l + 1) * self.m].iter().copied()) {
                Ok(true)
            } else {
                Err(self.zero_row(l))
            }
        })
    }

    /// The tree walk for one merchant's counts (`missing(l)` gives leaf `l`'s missing
    /// answers).
    pub fn exact_counts<C: GradeCount>(
        &self,
        x: &[C],
        missing: impl Fn(usize) -> usize,
        s: &mut Scratch,
    ) -> Result<(f64, u32)> {
        let m = self.m;
        self.walk(s, |l, s| {
            if self.put_leaf(s, l, x[l * m..(l + 1) * m].iter().map(|c| c.to_f64())) {
                Ok(true)
            } else if self.exclude {
                Ok(false)
            } else {
                Err(self.no_answers(l, missing(l)))
            }
        })
    }

    /// Tallies one merchant's answers code by code (finding the exact error and the missing
    /// counts), then walks the tree.
    pub fn exact_answers(&self, rows: &[u8], s: &mut Scratch) -> Result<(f64, u32)> {
        let (k, m) = (self.k(), self.m);
        s.counts.fill(0);
        s.missing.fill(0);
        for row in rows.chunks_exact(k) {
            for (l, &code) in row.iter().enumerate() {
                let g = usize::from(code);
                if g < m {
                    s.counts[l * m + g] += 1;
                } else if code == MISSING_ANSWER {
                    s.missing[l] += 1;
                } else {
                    return Err(Error::Input(InputError::GradeIndexOutOfRange {
                        indicator: self.leaf_ids[l].clone(),
                        index: g,
                        grades: m,
                    }));
                }
            }
        }
        let counts = std::mem::take(&mut s.counts);
        let missing = std::mem::take(&mut s.missing);
        let result = self.exact_counts(&counts, |l| missing[l], s);
        s.counts = counts;
        s.missing = missing;
        result
    }
}

/// Any input form with more than 9 grades: every merchant by the exact path `one`.
pub(crate) struct Exact<F> {
    pub n: usize,
    pub one: F,
}

impl<F> Merchants for Exact<F>
where
    F: Fn(usize, &mut Scratch) -> Result<(f64, u32)> + Sync,
{
    fn count(&self) -> usize {
        self.n
    }

    fn one(&self, i: usize, s: &mut Scratch) -> Result<(f64, u32)> {
        (self.one)(i, s)
    }
}

/// f64 memberships of `M` grades.
pub(crate) struct F64<'a, const M: usize> {
    pub plan: &'a Plan,
    pub x: &'a [f64],
    pub n: usize,
    pub run: Run,
    /// `M(·,+)` everywhere and no node `B`: the goal's `B` directly.
    pub fast_linear: bool,
    pub grading: Grading<M>,
}

impl<const M: usize> Merchants for F64<'_, M> {
    fn count(&self) -> usize {
        self.n
    }

    fn run(&self, start: usize, (scores, grades, node_b): RunOut<'_>, s: &mut Scratch) -> u64 {
        let (plan, block) = (self.plan, self.plan.k() * M);
        let x = &self.x[start * block..];
        match self.run {
            Run::Linear(cpu) => {
                let weights = (&plan.coef[..], &plan.global[..]);
                let finish = |b: &[f64; M]| self.grading.root(b);
                simd::linear_run::<M>(cpu, x, weights, scores, grades, finish)
            }
            // other operators: the padded tree walk (normalised leaf rows read in place)
            Run::Walk(cpu) => {
                let g = &self.grading;
                if M <= 4 {
                    simd::walk_run::<M, 4>(cpu, plan, x, scores, grades, node_b, s, g)
                } else if M <= 8 {
                    simd::walk_run::<M, 8>(cpu, plan, x, scores, grades, node_b, s, g)
                } else {
                    simd::walk_run::<M, MAX_PADDED>(cpu, plan, x, scores, grades, node_b, s, g)
                }
            }
            _ => simd::run_mask(scores.len()),
        }
    }

    fn one(&self, i: usize, s: &mut Scratch) -> Result<(f64, u32)> {
        let plan = self.plan;
        let x = &self.x[i * plan.k() * M..(i + 1) * plan.k() * M];
        // the merchants the kernels leave: rows to normalise, or bad data
        if row_scales_f64::<M>(x, &mut s.scale).is_some() {
            if !self.fast_linear {
                return dense_walk::<M, f64>(plan, x, &s.scale, |v| v, &mut s.node_b);
            }
            let b = linear_root::<M, f64>(x, &plan.global, &s.scale, |v| v);
            if let Some(r) = self.grading.root(&b) {
                return Ok(r);
            }
        }
        plan.exact_f64(x, s)
    }
}

/// Answer counts of `M` grades.
pub(crate) struct Counts<'a, const M: usize, C> {
    pub plan: &'a Plan,
    /// `1 / t` for small totals `t`.
    pub inv: &'a [f64],
    pub x: &'a [C],
    pub n: usize,
    pub run: Run,
    pub fast_linear: bool,
    pub grading: Grading<M>,
}

impl<const M: usize, C: GradeCount> Merchants for Counts<'_, M, C> {
    fn count(&self) -> usize {
        self.n
    }

    fn run(&self, start: usize, (scores, grades, node_b): RunOut<'_>, s: &mut Scratch) -> u64 {
        let (plan, block) = (self.plan, self.plan.k() * M);
        let x = &self.x[start * block..];
        let (global, g) = (&plan.global[..], &self.grading);
        match self.run {
            // scores and grades under M(·,+): eight merchants per register with AVX-512 (u8,
            // u16 and u32 counts), four with AVX2 (u8 and u16)
            Run::CountOctets(cpu) => {
                simd::counts_octets::<M, C>(cpu, x, global, (scores, grades), &mut s.tally, g)
            }
            Run::CountQuads(cpu) => {
                simd::counts_quads::<M, C>(cpu, x, global, (scores, grades), &mut s.tally, g)
            }
            // other operators, and node B: the lane-parallel tree walk (u8 and u16, AVX2)
            Run::CountWalk(cpu) => {
                simd::counts_walk::<M, C>(cpu, plan, x, (scores, grades), node_b, s, g)
            }
            _ => simd::run_mask(scores.len()),
        }
    }

    fn one(&self, i: usize, s: &mut Scratch) -> Result<(f64, u32)> {
        let plan = self.plan;
        let x = &self.x[i * plan.k() * M..(i + 1) * plan.k() * M];
        if row_scales_counts::<M, C>(x, self.inv, &mut s.scale).is_some() {
            if !self.fast_linear {
                return dense_walk::<M, C>(plan, x, &s.scale, C::to_f64, &mut s.node_b);
            }
            let b = linear_root::<M, C>(x, &plan.global, &s.scale, C::to_f64);
            if let Some(r) = self.grading.root(&b) {
                return Ok(r);
            }
        }
        plan.exact_counts(x, |_| 0, s)
    }
}

/// Raw survey answers, `M` grades.
pub(crate) struct Answers<'a, const M: usize> {
    pub plan: &'a Plan,
    pub inv: &'a [f64],
    pub answers: &'a SurveyAnswers<'a>,
    pub run: Run,
    pub fast_linear: bool,
    pub grading: Grading<M>,
}

impl<const M: usize> Merchants for Answers<'_, M> {
    fn count(&self) -> usize {
        self.answers.merchants()
    }

    fn run(&self, start: usize, (scores, grades, _): RunOut<'_>, _: &mut Scratch) -> u64 {
        match self.run {
            // linear, at most 16 indicators: the AVX2 tally
            Run::Tally(cpu) => {
                let rows = |i: usize| self.answers.merchant_rows(start + i);
                let (k, global) = (self.plan.k(), &self.plan.global[..]);
                simd::tally_run::<M>(cpu, rows, k, global, scores, grades, &self.grading)
            }
            _ => simd::run_mask(scores.len()),
        }
    }

    fn one(&self, i: usize, s: &mut Scratch) -> Result<(f64, u32)> {
        let plan = self.plan;
        let k = plan.k();
        let rows = self.answers.merchant_rows(i);
        if self.fast_linear && k <= LANES {
            if let Some(r) = tally_linear_root::<M>(rows, k, &plan.global, self.inv)
                .and_then(|b| self.grading.root(&b))
            {
                return Ok(r);
            }
        }
        if k <= LANES {
            s.counts.fill(0);
            if tally_lanes::<M>(rows, k, &mut s.counts)
                && row_scales_counts::<M, u32>(&s.counts, self.inv, &mut s.scale).is_some()
            {
                if !self.fast_linear {
                    return dense_walk::<M, u32>(
                        plan,
                        &s.counts,
                        &s.scale,
                        f64::from,
                        &mut s.node_b,
                    );
                }
                let b = linear_root::<M, u32>(&s.counts, &plan.global, &s.scale, f64::from);
                if let Some(r) = self.grading.root(&b) {
                    return Ok(r);
                }
            }
        }
        plan.exact_answers(rows, s)
    }
}
