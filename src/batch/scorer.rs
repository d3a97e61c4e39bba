//! The compiled batch scorer.

use crate::batch::input::{GradeCount, SurveyAnswers, MISSING_ANSWER};
use crate::batch::kernel::{
    dense_walk, linear_root, row_scales_counts, row_scales_f64, FlatChild, FlatGroup, Grading,
    Group, Plan, Scratch, Step, MAX_PADDED, STREAM_NODE_B_BYTES,
};
use crate::batch::output::{BatchOutput, BatchScores, BatchSummary, MerchantError};
use crate::batch::simd;
use crate::error::{ArgumentError, BatchError, EvaluationError, InputError, Parameter, Result};
use crate::evaluation::{Evaluator, FuzzyOperator, Unanswered};

/// Runs `$body` with the const `$M` bound to the number of grades for 2..=9 grades (the
/// specialised kernels), `$fallback` otherwise.
macro_rules! with_grades {
    ($m:expr, $M:ident => $body:expr, _ => $fallback:expr) => {
        with_grades!(@ $m, $M => $body, _ => $fallback; 2 3 4 5 6 7 8 9)
    };
    (@ $m:expr, $M:ident => $body:expr, _ => $fallback:expr; $($n:literal)*) => {
        match $m {
            $($n => {
                const $M: usize = $n;
                $body
            })*
            _ => $fallback,
        }
    };
}

/// Reciprocals `1 / t` for leaf totals below this come from a table (16 KiB, stays in L1).
const INV_TABLE: usize = 2048;

/// Merchants per parallel work item.
#[cfg(feature = "parallel")]
const CHUNK: usize = 4096;

/// Scores many merchants with one evaluation configuration: the tree with its weights, the
/// operator of every level, the grade set and the policy for unanswered indicators, all taken
/// from an [`Evaluator`] and validated once.
///
/// The per-merchant loop neither validates the configuration nor allocates. Every method gives
/// the same score, grade and node `B` vectors as [`Evaluator::evaluate`] on that merchant
/// alone (to 1e-12; the tests check it for every operator and input form), and a merchant
/// whose data the single path would reject is reported with the same error and its index
/// while the others are scored.
///
/// Input layouts (merchant-major, leaves in the tree's preorder, grades in the grade set's
/// order):
///
/// ```text
/// memberships  f64   memberships[(i * leaves + l) * grades + j]   in [0, 1]
/// counts       u8/u16/u32  counts[(i * leaves + l) * grades + j]  answers of grade j
/// answers      SurveyAnswers: respondent rows of grade indices, grouped by merchant
/// ```
///
/// When every level composes with `M(·,+)` and only scores and grades are asked for, the
/// goal's `B` is computed directly as `sum_l G_l r_l / sum_j r_lj` with the global leaf
/// weights `G_l` (the linear fast path); otherwise the tree is walked node by node.
///
/// On x86-64 CPUs with AVX2 and FMA (detected at run time; no build flags needed) the
/// common cases run vectorised kernels over runs of merchants: f64 memberships with normalised
/// rows (within 1e-14; other rows take the exact path), any operators, with or without node
/// `B`; `u8` counts, any operators (scores and grades); raw answers of at most 16 indicators
/// under `M(·,+)`. Their results agree with the portable kernels and with
/// [`Evaluator::evaluate`] to 1e-12 but may differ from them in the last bits (fused
/// multiply-adds, other summation orders), so scores from machines with and without AVX2 can
/// differ at that level. A given machine always gives the same bits, with or without
/// `parallel`.
///
/// # Examples
///
/// ```
/// use service_quality::{BatchOutput, BatchScorer, Evaluator, GradeSet, IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(
///     NodeSpec::group("goal", "Service", vec![
///         NodeSpec::leaf("speed", "Speed"),
///         NodeSpec::leaf("attitude", "Attitude"),
///     ]).with_weights(vec![0.6, 0.4]),
/// )?;
/// let scorer = BatchScorer::new(&Evaluator::new(&tree, GradeSet::satisfaction_5_points()))?;
/// // two merchants x two indicators x five grades: answer counts
/// let counts: [u8; 20] = [
///     8, 2, 0, 0, 0,   6, 4, 0, 0, 0, // merchant 0
///     0, 0, 1, 4, 5,   0, 0, 0, 0, 0, // merchant 1: no answer on `attitude`
/// ];
/// let (mut scores, mut grades) = ([0.0; 2], [0u32; 2]);
/// let summary = scorer.score_counts(&counts, BatchOutput::new(&mut scores, &mut grades)?)?;
/// assert!((scores[0] - (0.6 * 4.8 + 0.4 * 4.6)).abs() < 1e-12);
/// assert_eq!(grades[0], 0);
/// assert_eq!(summary.failures()[0].merchant, 1);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BatchScorer {
    plan: Plan,
    inv: Vec<f64>,
    parallel: bool,
}

impl BatchScorer {
    /// Compiles the evaluator's configuration.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`] when the tree has more than `u32::MAX` nodes or the
    /// grade set more than 254 grades (survey answers code grades in a byte).
    pub fn new(evaluator: &Evaluator) -> Result<Self> {
        let tree = evaluator.tree();
        let grades = evaluator.grades();
        let m = grades.len();
        if m > usize::from(MISSING_ANSWER) - 1 {
            return Err(ArgumentError::InvalidParameter {
                name: Parameter::Grades,
                value: m as f64,
            }
            .into());
        }
        let n_nodes = tree.len();
        if u32::try_from(n_nodes).is_err() {
            return Err(ArgumentError::InvalidParameter {
                name: Parameter::Nodes,
                value: n_nodes as f64,
            }
            .into());
        }
        let mut groups = Vec::new();
        let mut scale = vec![1.0; n_nodes];
        let nodes: Vec<_> = tree.nodes().collect();
        for node in &nodes {
            if node.is_leaf() {
                continue;
            }
            let weights: Vec<f64> = node
                .child_weights()
                .map(|w| w.as_slice().iter().map(|x| x.clamp(0.0, 1.0)).collect())
                .unwrap_or_default();
            let sum: f64 = weights.iter().sum();
            for (child, &w) in node.children().zip(&weights) {
                scale[child.index()] = if sum > 0.0 {
                    scale[node.index()] * w / sum
                } else {
                    0.0
                };
            }
            groups.push(Group {
                node: node.index(),
                op: evaluator.operator_at(node.depth()),
                children: node.children().map(|c| c.index()).collect(),
                weights,
            });
        }
        // reverse preorder: leaves and groups as the single path meets them
        let mut steps = Vec::with_capacity(n_nodes);
        let (mut next_leaf, mut next_group) = (tree.leaf_count(), groups.len());
        for node in nodes.iter().rev() {
            if node.is_leaf() {
                next_leaf -= 1;
                steps.push(Step::Leaf(next_leaf));
            } else {
                next_group -= 1;
                steps.push(Step::Group(groups.len() - 1 - next_group));
            }
        }
        groups.reverse();
        // every node as (is a leaf, leaf number or group slot)
        let place: std::collections::HashMap<usize, (bool, usize)> = (tree.leaves().enumerate())
            .map(|(l, leaf)| (leaf.index(), (true, l)))
            .chain(groups.iter().enumerate().map(|(i, g)| (g.node, (false, i))))
            .collect();
        let mut flat_groups = Vec::with_capacity(groups.len());
        let mut flat_children = Vec::new();
        for g in &groups {
            let start = flat_children.len();
            for (c, &weight) in g.children.iter().zip(&g.weights) {
                let &(leaf, index) = place.get(c).ok_or(ArgumentError::InvalidParameter {
                    name: Parameter::Tree,
                    value: *c as f64,
                })?;
                flat_children.push(FlatChild {
                    leaf,
                    index,
                    weight,
                });
            }
            flat_groups.push(FlatGroup {
                op: g.op,
                start,
                end: flat_children.len(),
            });
        }
        let linear = groups
            .iter()
            .all(|g| g.op == FuzzyOperator::WeightedAverage);
        let leaves: Vec<_> = tree.leaves().collect();
        let plan = Plan {
            n_nodes,
            m,
            leaf_node: leaves.iter().map(|l| l.index()).collect(),
            leaf_ids: leaves.iter().map(|l| l.id().to_owned()).collect(),
            node_paths: nodes.iter().map(|n| n.path().to_owned()).collect(),
            global: leaves.iter().map(|l| scale[l.index()]).collect(),
            coef: leaves
                .iter()
                .flat_map(|l| std::iter::repeat_n(scale[l.index()], m))
                .collect(),
            groups,
            flat_groups,
            flat_children,
            steps,
            linear,
            exclude: evaluator.unanswered_policy() == Unanswered::Exclude,
            values: grades.values(),
            min_value: grades.min_value(),
            max_value: grades.max_value(),
        };
        let inv = (0..INV_TABLE)
            .map(|t| if t == 0 { 0.0 } else { 1.0 / t as f64 })
            .collect();
        Ok(Self {
            plan,
            inv,
            parallel: false,
        })
    }

    /// Splits batches across threads with rayon (default `false`). Results are identical bit
    /// for bit to the single-threaded run.
    #[cfg(feature = "parallel")]
    #[cfg_attr(docsrs, doc(cfg(feature = "parallel")))]
    pub fn parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// Number of leaves (indicators) per merchant.
    pub fn leaves(&self) -> usize {
        self.plan.k()
    }

    /// Number of grades.
    pub fn grades(&self) -> usize {
        self.plan.m
    }

    /// Number of nodes (the length of one merchant's node-`B` block is `nodes() * grades()`).
    pub fn nodes(&self) -> usize {
        self.plan.n_nodes
    }

    /// The ids of the leaves in input order.
    pub fn leaf_ids(&self) -> &[String] {
        &self.plan.leaf_ids
    }

    /// The compiled plan (for the kernels' tests).
    #[cfg(all(test, target_arch = "x86_64"))]
    pub(crate) fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Scores merchants from f64 memberships (`merchants x leaves x grades`).
    ///
    /// # Errors
    ///
    /// Batch-level, before anything is written: [`BatchError::BatchLength`] when the input is not a
    /// whole number of merchant blocks, [`ArgumentError::LengthMismatch`] when the output buffers
    /// do not hold one slot per merchant. Per merchant, in [`BatchSummary::failures`]:
    /// [`EvaluationError::InvalidMembership`] (leaf, grade, value) for an entry outside `[0, 1]` or
    /// NaN, and [`Error::AtNode`](crate::Error::AtNode) + [`EvaluationError::ZeroMembership`] for a
    /// row or node `B` summing to 0.
    pub fn score_memberships(
        &self,
        memberships: &[f64],
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        let n = self.merchants_in(memberships.len(), "memberships")?;
        with_grades!(self.plan.m, M => self.memberships_m::<M>(memberships, n, out),
            _ => self.memberships_general(memberships, n, out))
    }

    /// Scores merchants from answer counts (`merchants x leaves x grades`, `u8`, `u16` or
    /// `u32`); memberships `c / total` are derived on the fly, never stored.
    ///
    /// # Errors
    ///
    /// Batch-level as [`score_memberships`](Self::score_memberships). Per merchant:
    /// [`Error::AtNode`](crate::Error::AtNode) + [`EvaluationError::NoAnswers`] for a leaf whose
    /// counts are all zero (unless the evaluator excludes unanswered indicators),
    /// [`EvaluationError::NothingToEvaluate`] when all are, [`Error::AtNode`](crate::Error::AtNode)
    /// + [`EvaluationError::ZeroMembership`] for a node `B` summing to 0.
    pub fn score_counts<C: GradeCount>(
        &self,
        counts: &[C],
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        let n = self.merchants_in(counts.len(), "counts")?;
        with_grades!(self.plan.m, M => self.counts_m::<M, C>(counts, n, out),
            _ => self.counts_general(counts, n, out))
    }

    /// Scores merchants from raw survey answers, without building membership matrices: the
    /// answers of each merchant are tallied per leaf and grade, then scored as counts.
    ///
    /// # Errors
    ///
    /// Batch-level: [`ArgumentError::LengthMismatch`] when `answers` has another number of leaves
    /// than the tree or the output buffers do not hold one slot per merchant. Per merchant: as
    /// [`score_counts`](Self::score_counts) (with the missing answers counted in
    /// [`EvaluationError::NoAnswers`]), and [`InputError::GradeIndexOutOfRange`] for an answer code
    /// that is neither a grade index nor [`MISSING_ANSWER`].
    pub fn score_answers(
        &self,
        answers: &SurveyAnswers<'_>,
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        if answers.leaves() != self.plan.k() {
            return Err(ArgumentError::LengthMismatch {
                what: "indicators per survey answer row",
                expected: self.plan.k(),
                found: answers.leaves(),
            }
            .into());
        }
        with_grades!(self.plan.m, M => self.answers_m::<M>(answers, out),
            _ => self.answers_general(answers, out))
    }

    /// Allocating form of [`score_memberships`](Self::score_memberships).
    ///
    /// # Errors
    ///
    /// As [`score_memberships`](Self::score_memberships), batch-level only.
    pub fn score_memberships_vec(&self, memberships: &[f64]) -> Result<BatchScores> {
        let n = self.merchants_in(memberships.len(), "memberships")?;
        self.collect(n, |out| self.score_memberships(memberships, out))
    }

    /// Allocating form of [`score_counts`](Self::score_counts).
    ///
    /// # Errors
    ///
    /// As [`score_counts`](Self::score_counts), batch-level only.
    pub fn score_counts_vec<C: GradeCount>(&self, counts: &[C]) -> Result<BatchScores> {
        let n = self.merchants_in(counts.len(), "counts")?;
        self.collect(n, |out| self.score_counts(counts, out))
    }

    /// Allocating form of [`score_answers`](Self::score_answers).
    ///
    /// # Errors
    ///
    /// As [`score_answers`](Self::score_answers), batch-level only.
    pub fn score_answers_vec(&self, answers: &SurveyAnswers<'_>) -> Result<BatchScores> {
        self.collect(answers.merchants(), |out| self.score_answers(answers, out))
    }

    fn memberships_m<const M: usize>(
        &self,
        x: &[f64],
        n: usize,
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        let plan = &self.plan;
        // M == plan.m: the caller dispatched on it
        let grading = Grading::<M>::new(plan);
        let block = plan.k() * M;
        let no_node_b = out.node_b.is_none();
        let fast_linear = plan.linear && no_node_b;
        // linear: four values per instruction where the CPU has AVX2 and FMA
        let linear = |start: usize,
                      scores: &mut [f64],
                      grades: &mut [u32],
                      _: Option<&mut [f64]>,
                      _: &mut Scratch| {
            let x = &x[start * block..];
            let weights = (&plan.coef[..], &plan.global[..]);
            simd::linear_chunk::<M>(x, weights, scores, grades, |b| grading.root(b))
        };
        // other operators: the padded tree walk (normalised leaf rows read in place)
        let walk = |start: usize,
                    scores: &mut [f64],
                    grades: &mut [u32],
                    node_b: Option<&mut [f64]>,
                    s: &mut Scratch| {
            let x = &x[start * block..];
            if M <= 4 {
                simd::walk_chunk::<M, 4>(plan, x, scores, grades, node_b, s, &grading)
            } else if M <= 8 {
                simd::walk_chunk::<M, 8>(plan, x, scores, grades, node_b, s, &grading)
            } else {
                simd::walk_chunk::<M, MAX_PADDED>(plan, x, scores, grades, node_b, s, &grading)
            }
        };
        let chunk: Option<&Chunk<'_>> = if fast_linear {
            Some(&linear)
        } else if (!plan.linear && no_node_b) || simd::available() {
            // with node B: the lane walk where the CPU has AVX2 (any operators)
            Some(&walk)
        } else {
            None
        };
        // the merchants the kernels leave: rows to normalise, or bad data
        self.drive_chunked(n, out, chunk, |i, s| {
            let x = &x[i * block..(i + 1) * block];
            if row_scales_f64::<M>(x, &mut s.scale).is_some() {
                if !fast_linear {
                    return dense_walk::<M, f64>(plan, x, &s.scale, |v| v, &mut s.node_b);
                }
                let b = linear_root::<M, f64>(x, &plan.global, &s.scale, |v| v);
                if let Some(r) = grading.root(&b) {
                    return Ok(r);
                }
            }
            self.general_f64(x, s)
        })
    }

    fn memberships_general(
        &self,
        x: &[f64],
        n: usize,
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        let block = self.block();
        self.drive(n, out, |i, s| {
            self.general_f64(&x[i * block..(i + 1) * block], s)
        })
    }

    fn counts_m<const M: usize, C: GradeCount>(
        &self,
        x: &[C],
        n: usize,
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        let plan = &self.plan;
        // M == plan.m: the caller dispatched on it
        let grading = Grading::<M>::new(plan);
        let block = plan.k() * M;
        let no_node_b = out.node_b.is_none();
        let fast_linear = plan.linear && no_node_b;
        // scores and grades under M(·,+): eight merchants per register with AVX-512 (u8, u16
        // and u32 counts), four with AVX2 (u8 and u16)
        let width = simd::count_width();
        let lanes = |start: usize,
                     scores: &mut [f64],
                     grades: &mut [u32],
                     _: Option<&mut [f64]>,
                     s: &mut Scratch| {
            let x = &x[start * block..];
            let (global, tally) = (&plan.global[..], &mut s.tally[..]);
            simd::counts_lanes::<M, C>(width, x, global, scores, grades, tally, &grading)
        };
        // other operators, and node B: the lane-parallel tree walk (u8 and u16 counts, AVX2)
        let walk = |start: usize,
                    scores: &mut [f64],
                    grades: &mut [u32],
                    node_b: Option<&mut [f64]>,
                    s: &mut Scratch| {
            let x = &x[start * block..];
            simd::counts_walk_chunk::<M, C>(plan, x, (scores, grades), node_b, s, &grading)
        };
        // (the AVX2 kernels take u8 or u16 counts, blocks of at least 16 bytes)
        let avx2 = C::BYTES <= 2 && block * C::BYTES >= 16;
        let chunk: Option<&Chunk<'_>> = if !simd::available() {
            None
        } else if fast_linear && (width == 8 || avx2) {
            Some(&lanes)
        } else if !fast_linear && avx2 {
            Some(&walk)
        } else {
            None
        };
        self.drive_chunked(n, out, chunk, |i, s| {
            let x = &x[i * block..(i + 1) * block];
            if row_scales_counts::<M, C>(x, &self.inv, &mut s.scale).is_some() {
                if !fast_linear {
                    return dense_walk::<M, C>(plan, x, &s.scale, C::to_f64, &mut s.node_b);
                }
                let b = linear_root::<M, C>(x, &plan.global, &s.scale, C::to_f64);
                if let Some(r) = grading.root(&b) {
                    return Ok(r);
                }
            }
            self.counts_slow(x, |_| 0, s)
        })
    }

    fn counts_general<C: GradeCount>(
        &self,
        x: &[C],
        n: usize,
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        let block = self.block();
        self.drive(n, out, |i, s| {
            self.counts_slow(&x[i * block..(i + 1) * block], |_| 0, s)
        })
    }

    /// The tree walk for one merchant's counts.
    fn counts_slow<C: GradeCount>(
        &self,
        x: &[C],
        missing: impl Fn(usize) -> usize,
        s: &mut Scratch,
    ) -> Result<(f64, u32)> {
        let m = self.plan.m;
        self.general_counts(
            |l| x[l * m..(l + 1) * m].iter().map(|c| c.to_f64()),
            missing,
            s,
        )
    }

    fn answers_m<const M: usize>(
        &self,
        answers: &SurveyAnswers<'_>,
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        let plan = &self.plan;
        // M == plan.m: the caller dispatched on it
        let grading = Grading::<M>::new(plan);
        let k = plan.k();
        let fast_linear = plan.linear && out.node_b.is_none();
        // linear, at most 16 indicators: the AVX2 tally where the CPU has it
        let tally = |start: usize,
                     scores: &mut [f64],
                     grades: &mut [u32],
                     _: Option<&mut [f64]>,
                     _: &mut Scratch| {
            let rows = |i: usize| answers.merchant_rows(start + i);
            simd::tally_chunk::<M>(rows, k, &plan.global, scores, grades, &grading)
        };
        let chunk: Option<&Chunk<'_>> =
            (fast_linear && k <= LANES && simd::available()).then_some(&tally);
        self.drive_chunked(answers.merchants(), out, chunk, |i, s| {
            let rows = answers.merchant_rows(i);
            if fast_linear && k <= LANES {
                if let Some(r) = tally_linear_root::<M>(rows, k, &plan.global, &self.inv)
                    .and_then(|b| grading.root(&b))
                {
                    return Ok(r);
                }
            }
            if k <= 16 {
                s.counts.fill(0);
                if tally_lanes::<M>(rows, k, &mut s.counts)
                    && row_scales_counts::<M, u32>(&s.counts, &self.inv, &mut s.scale).is_some()
                {
                    if !fast_linear {
                        return dense_walk::<M, u32>(
                            plan,
                            &s.counts,
                            &s.scale,
                            f64::from,
                            &mut s.node_b,
                        );
                    }
                    let b = linear_root::<M, u32>(&s.counts, &plan.global, &s.scale, f64::from);
                    if let Some(r) = grading.root(&b) {
                        return Ok(r);
                    }
                }
            }
            self.answers_slow(rows, s)
        })
    }

    fn answers_general(
        &self,
        answers: &SurveyAnswers<'_>,
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        self.drive(answers.merchants(), out, |i, s| {
            self.answers_slow(answers.merchant_rows(i), s)
        })
    }

    /// Tallies one merchant's answers code by code (finding the exact error and the missing
    /// counts), then walks the tree.
    fn answers_slow(&self, rows: &[u8], s: &mut Scratch) -> Result<(f64, u32)> {
        let plan = &self.plan;
        let (k, m) = (plan.k(), plan.m);
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
                    return Err(InputError::GradeIndexOutOfRange {
                        indicator: plan.leaf_ids[l].clone(),
                        index: g,
                        grades: m,
                    }
                    .into());
                }
            }
        }
        let counts = std::mem::take(&mut s.counts);
        let missing = std::mem::take(&mut s.missing);
        let result = self.counts_slow(&counts, |l| missing[l], s);
        s.counts = counts;
        s.missing = missing;
        result
    }

    fn collect(
        &self,
        n: usize,
        run: impl FnOnce(BatchOutput<'_>) -> Result<BatchSummary>,
    ) -> Result<BatchScores> {
        let mut scores = vec![0.0; n];
        let mut grades = vec![0u32; n];
        let summary = run(BatchOutput::new(&mut scores, &mut grades)?)?;
        Ok(BatchScores {
            scores,
            grades,
            failures: summary.failures,
        })
    }

    fn block(&self) -> usize {
        self.plan.k() * self.plan.m
    }

    fn merchants_in(&self, len: usize, what: &'static str) -> Result<usize> {
        let block = self.block();
        if !len.is_multiple_of(block) {
            return Err(BatchError::BatchLength {
                what,
                len,
                unit: block,
            }
            .into());
        }
        Ok(len / block)
    }

    /// The tree walk for f64 memberships, which also finds the exact error: entries are
    /// checked leaf by leaf first, as the single path's data container does.
    fn general_f64(&self, x: &[f64], s: &mut Scratch) -> Result<(f64, u32)> {
        let plan = &self.plan;
        for (l, row) in x.chunks_exact(plan.m).enumerate() {
            for (col, &value) in row.iter().enumerate() {
                if !(0.0..=1.0).contains(&value) {
                    return Err(EvaluationError::InvalidMembership { row: l, col, value }.into());
                }
            }
        }
        plan.walk(s, |l, s| {
            if plan.put_leaf(s, l, x[l * plan.m..(l + 1) * plan.m].iter().copied()) {
                Ok(true)
            } else {
                Err(plan.zero_row(l))
            }
        })
    }

    /// The tree walk for counts (`counts(l)` gives leaf `l`'s row, `missing(l)` its missing
    /// answers).
    fn general_counts<I>(
        &self,
        counts: impl Fn(usize) -> I,
        missing: impl Fn(usize) -> usize,
        s: &mut Scratch,
    ) -> Result<(f64, u32)>
    where
        I: Iterator<Item = f64> + Clone,
    {
        let plan = &self.plan;
        plan.walk(s, |l, s| {
            if plan.put_leaf(s, l, counts(l)) {
                Ok(true)
            } else if plan.exclude {
                Ok(false)
            } else {
                Err(plan.no_answers(l, missing(l)))
            }
        })
    }

    /// Runs `score(i, scratch)` for every merchant, writing outputs and collecting failures;
    /// checks the buffers first.
    fn drive<F>(&self, n: usize, out: BatchOutput<'_>, score: F) -> Result<BatchSummary>
    where
        F: Fn(usize, &mut Scratch) -> Result<(f64, u32)> + Sync,
    {
        self.drive_chunked(n, out, None, score)
    }

    /// As [`drive`](Self::drive), with an optional kernel for runs of up to 64 merchants:
    /// `chunk(start, scores, grades, node_b, scratch)` writes the merchants from `start` on
    /// that it can score (and their node `B` when asked for) and returns the bit mask of the
    /// others, which then go through `score` (so errors are still collected in merchant
    /// order).
    fn drive_chunked<F>(
        &self,
        n: usize,
        out: BatchOutput<'_>,
        chunk: Option<&Chunk<'_>>,
        score: F,
    ) -> Result<BatchSummary>
    where
        F: Fn(usize, &mut Scratch) -> Result<(f64, u32)> + Sync,
    {
        if out.scores.len() != n {
            return Err(ArgumentError::LengthMismatch {
                what: "output buffers (one slot per merchant)",
                expected: n,
                found: out.scores.len(),
            }
            .into());
        }
        let nb = self.plan.n_nodes * self.plan.m;
        if let Some(b) = &out.node_b {
            if b.len() != n * nb {
                return Err(ArgumentError::LengthMismatch {
                    what: "node B buffer (merchants x nodes x grades)",
                    expected: n * nb,
                    found: b.len(),
                }
                .into());
            }
        }
        let BatchOutput {
            scores,
            grades,
            node_b,
        } = out;
        // the whole output decides (a thread's jobs are parts of it, written one after another)
        let stream_node_b = node_b
            .as_deref()
            .is_some_and(|b| size_of_val(b) >= STREAM_NODE_B_BYTES);
        let run = |start: usize,
                   scores: &mut [f64],
                   grades: &mut [u32],
                   mut node_b: Option<&mut [f64]>| {
            let mut s = Scratch::new(&self.plan);
            s.stream_node_b = stream_node_b;
            let mut failures = Vec::new();
            let len = scores.len().min(grades.len());
            // one call site of `score`, so that it is inlined: without a kernel every
            // merchant of a run is "left" to it
            let mut offset = 0;
            while offset < len {
                let end = len.min(offset + 64);
                let mut left = match chunk {
                    Some(chunk) => chunk(
                        start + offset,
                        &mut scores[offset..end],
                        &mut grades[offset..end],
                        node_b.as_deref_mut().map(|b| &mut b[offset * nb..end * nb]),
                        &mut s,
                    ),
                    None => simd::run_mask(end - offset),
                };
                while left != 0 {
                    let at = offset + left.trailing_zeros() as usize;
                    left &= left - 1;
                    match score(start + at, &mut s) {
                        Ok((value, grade)) => {
                            scores[at] = value;
                            grades[at] = grade;
                            if let Some(b) = node_b.as_deref_mut() {
                                b[at * nb..(at + 1) * nb].copy_from_slice(&s.node_b);
                            }
                        }
                        Err(error) => failures.push(MerchantError {
                            merchant: start + at,
                            error,
                        }),
                    }
                }
                offset = end;
            }
            failures
        };
        #[cfg(feature = "parallel")]
        if self.parallel {
            return Ok(parallel_drive(n, nb, scores, grades, node_b, run));
        }
        let failures = run(0, scores, grades, node_b);
        Ok(BatchSummary {
            scored: n - failures.len(),
            failures,
        })
    }
}

/// A kernel for a run of up to 64 merchants (see `BatchScorer::drive_chunked`).
type Chunk<'a> =
    dyn Fn(usize, &mut [f64], &mut [u32], Option<&mut [f64]>, &mut Scratch) -> u64 + Sync + 'a;

#[cfg(feature = "parallel")]
fn parallel_drive<R>(
    n: usize,
    nb: usize,
    mut scores: &mut [f64],
    mut grades: &mut [u32],
    mut node_b: Option<&mut [f64]>,
    run: R,
) -> BatchSummary
where
    R: Fn(usize, &mut [f64], &mut [u32], Option<&mut [f64]>) -> Vec<MerchantError> + Sync,
{
    use rayon::prelude::*;
    let mut jobs = Vec::with_capacity(n.div_ceil(CHUNK));
    let mut start = 0;
    while start < n {
        let len = CHUNK.min(n - start);
        let (s, s_rest) = std::mem::take(&mut scores).split_at_mut(len);
        let (g, g_rest) = std::mem::take(&mut grades).split_at_mut(len);
        let b = match node_b.take() {
            Some(b) => {
                let (head, tail) = b.split_at_mut(len * nb);
                node_b = Some(tail);
                Some(head)
            }
            None => None,
        };
        jobs.push((start, s, g, b));
        scores = s_rest;
        grades = g_rest;
        start += len;
    }
    let failures: Vec<MerchantError> = jobs
        .into_par_iter()
        .map(|(start, s, g, b)| run(start, s, g, b))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    BatchSummary {
        scored: n - failures.len(),
        failures,
    }
}

const LANES: usize = 16;

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
fn tally_lanes<const M: usize>(rows: &[u8], k: usize, counts: &mut [u32]) -> bool {
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
