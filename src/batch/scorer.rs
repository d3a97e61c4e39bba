//! The compiled batch scorer: its public API.

use crate::batch::choice::{Features, KernelChoice, Shape};
use crate::batch::drive::{drive, Merchants};
use crate::batch::input::{GradeCount, SurveyAnswers};
use crate::batch::output::{BatchOutput, BatchScores, BatchSummary};
use crate::batch::plan::Plan;
use crate::batch::portable::Grading;
use crate::batch::scratch::Scratch;
use crate::batch::sources::{Answers, Counts, Exact, F64};
use crate::error::{ArgumentError, BatchError, Error, Result};
use crate::evaluation::{rules, Evaluator, GradingRule};

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
/// Grades follow the evaluator's [`GradingRule`]: the kernels grade by maximum membership;
/// with [`GradingRule::ScoreIntervals`] a pass after them maps each score to its grade
/// (one comparison per grade and merchant).
///
/// When every level composes with `M(·,+)` and only scores and grades are asked for, the
/// goal's `B` is computed directly as `sum_l G_l r_l / sum_j r_lj` with the global leaf
/// weights `G_l` (the linear fast path); otherwise the tree is walked node by node.
///
/// On x86-64 CPUs with AVX2 and FMA (detected once, when the scorer is built; no build flags
/// needed) the
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
    /// The run kernel of every input form, for this plan on this CPU.
    choice: KernelChoice,
    parallel: bool,
    /// The grade values, when the evaluator grades by score intervals: a post-pass maps each
    /// score to its grade (`None`: the kernels' maximum-membership grades stand).
    score_intervals: Option<Vec<f64>>,
}

impl BatchScorer {
    /// Compiles the evaluator's configuration, and chooses the kernels for this CPU.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`](crate::ArgumentError::InvalidParameter) when the tree has more than `u32::MAX` nodes or the grade
    /// set more than 254 grades (survey answers code grades in a byte).
    pub fn new(evaluator: &Evaluator) -> Result<Self> {
        let plan = Plan::new(evaluator)?;
        let shape = Shape {
            m: plan.m,
            k: plan.k(),
            linear: plan.linear,
            flat_ok: plan.flat_ok(),
        };
        let choice = KernelChoice::new(Features::detect(), shape);
        let inv = (0..INV_TABLE)
            .map(|t| if t == 0 { 0.0 } else { 1.0 / t as f64 })
            .collect();
        let score_intervals = match evaluator.grading_rule() {
            GradingRule::ScoreIntervals => Some(evaluator.grades().values()),
            _ => None,
        };
        Ok(Self {
            plan,
            inv,
            choice,
            parallel: false,
            score_intervals,
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

    /// Replaces the local weights of the compiled tree without compiling it again: `local[i]`
    /// is the local weight of node `i` in the tree's preorder (the root's value is not used).
    /// The kernels chosen stay the same (they depend on the tree's shape, not its weights), so
    /// this costs one pass over the nodes: the cheap path for scoring the same merchants
    /// under many weightings (sensitivity analysis).
    ///
    /// # Errors
    ///
    /// Nothing is changed on error.
    ///
    /// - [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) when `local`
    ///   does not have one value per node;
    /// - [`Error::AtNode`] (the group's path) wrapping [`WeightsError`](crate::WeightsError)
    ///   when a group's child weights are not finite, `>= 0` and summing to 1 within
    ///   [`WEIGHT_SUM_TOL`](crate::WEIGHT_SUM_TOL).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{BatchScorer, Evaluator, GradeSet, IndicatorTree, NodeSpec};
    ///
    /// let tree = IndicatorTree::new(
    ///     NodeSpec::group("goal", "Service", vec![
    ///         NodeSpec::leaf("speed", "Speed"),
    ///         NodeSpec::leaf("attitude", "Attitude"),
    ///     ]).with_weights(vec![0.6, 0.4]),
    /// )?;
    /// let mut scorer = BatchScorer::new(&Evaluator::new(&tree, GradeSet::satisfaction_5_points()))?;
    /// let counts: [u8; 10] = [8, 2, 0, 0, 0,   0, 0, 0, 0, 10];
    /// scorer.set_local_weights(&[1.0, 0.5, 0.5])?;
    /// let s = scorer.score_counts_vec(&counts)?;
    /// assert!((s.scores[0] - (0.5 * 4.8 + 0.5 * 1.0)).abs() < 1e-12);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn set_local_weights(&mut self, local: &[f64]) -> Result<()> {
        let plan = &self.plan;
        if local.len() != plan.n_nodes {
            return Err(Error::Argument(ArgumentError::LengthMismatch {
                what: "local weights (one per node, preorder)",
                expected: plan.n_nodes,
                found: local.len(),
            }));
        }
        for g in &plan.groups {
            let w: Vec<f64> = g.children.iter().map(|&c| local[c]).collect();
            crate::model::weights::Weights::new(w).map_err(|e| plan.at(g.node, e))?;
        }
        self.plan.reweight(local);
        Ok(())
    }

    /// Number of leaves (indicators) per merchant.
    pub fn n_leaves(&self) -> usize {
        self.plan.k()
    }

    /// Number of grades.
    pub fn n_grades(&self) -> usize {
        self.plan.m
    }

    /// Number of nodes (the length of one merchant's node-`B` block is
    /// `n_nodes() * n_grades()`).
    pub fn n_nodes(&self) -> usize {
        self.plan.n_nodes
    }

    /// The ids of every node in preorder: the order of the node-`B` blocks of
    /// [`BatchOutput::with_node_b`].
    pub fn node_ids(&self) -> &[String] {
        &self.plan.node_ids
    }

    /// The ids of the leaves in input order.
    pub fn leaf_ids(&self) -> &[String] {
        &self.plan.leaf_ids
    }

    /// Scores merchants from f64 memberships (`merchants x leaves x grades`).
    ///
    /// # Errors
    ///
    /// Batch-level, before anything is written: [`BatchError::BatchLength`](crate::BatchError::BatchLength) when the input is not a
    /// whole number of merchant blocks, [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) when the output buffers do
    /// not hold one slot per merchant. Per merchant, in [`BatchSummary::failures`]:
    /// [`EvaluationError::InvalidMembership`](crate::EvaluationError::InvalidMembership) (leaf, grade, value) for an entry outside `[0, 1]` or
    /// NaN, and [`Error::AtNode`] + [`EvaluationError::ZeroMembership`](crate::EvaluationError::ZeroMembership) for a row or node `B` summing to
    /// 0.
    pub fn score_memberships(
        &self,
        memberships: &[f64],
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        let n = self.merchants_in(memberships.len(), "memberships")?;
        let (plan, x) = (&self.plan, memberships);
        let node_b = out.node_b.is_some();
        with_grades!(plan.m, M => self.drive(&F64::<M> {
            plan,
            x,
            n,
            run: self.choice.memberships(node_b),
            fast_linear: plan.linear && !node_b,
            grading: Grading::new(plan),
        }, out), _ => {
            let block = self.block();
            let one = |i: usize, s: &mut Scratch| plan.exact_f64(&x[i * block..(i + 1) * block], s);
            self.drive(&Exact { n, one }, out)
        })
    }

    /// Scores merchants from answer counts (`merchants x leaves x grades`, `u8`, `u16` or
    /// `u32`); memberships `c / total` are derived on the fly, never stored.
    ///
    /// # Errors
    ///
    /// Batch-level as [`score_memberships`](Self::score_memberships). Per merchant:
    /// [`Error::AtNode`] + [`EvaluationError::NoAnswers`](crate::EvaluationError::NoAnswers) for a leaf whose counts are all zero (unless the
    /// evaluator excludes unanswered indicators), [`EvaluationError::NothingToEvaluate`](crate::EvaluationError::NothingToEvaluate) when all are,
    /// [`Error::AtNode`] + [`EvaluationError::ZeroMembership`](crate::EvaluationError::ZeroMembership) for a node `B` summing to 0.
    pub fn score_counts<C: GradeCount>(
        &self,
        counts: &[C],
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        let n = self.merchants_in(counts.len(), "counts")?;
        let (plan, x, inv) = (&self.plan, counts, &self.inv[..]);
        let node_b = out.node_b.is_some();
        with_grades!(plan.m, M => self.drive(&Counts::<M, C> {
            plan,
            inv,
            x,
            n,
            run: self.choice.counts(C::BYTES, node_b),
            fast_linear: plan.linear && !node_b,
            grading: Grading::new(plan),
        }, out), _ => {
            let block = self.block();
            let one = |i: usize, s: &mut Scratch| {
                plan.exact_counts(&x[i * block..(i + 1) * block], |_| 0, s)
            };
            self.drive(&Exact { n, one }, out)
        })
    }

    /// Scores merchants from raw survey answers, without building membership matrices: the
    /// answers of each merchant are tallied per leaf and grade, then scored as counts.
    ///
    /// # Errors
    ///
    /// Batch-level: [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) when `answers` has another number of leaves than
    /// the tree or the output buffers do not hold one slot per merchant. Per merchant: as
    /// [`score_counts`](Self::score_counts) (with the missing answers counted in
    /// [`EvaluationError::NoAnswers`](crate::EvaluationError::NoAnswers)), and [`InputError::GradeIndexOutOfRange`](crate::InputError::GradeIndexOutOfRange) for an answer code that is
    /// neither a grade index nor [`MISSING_ANSWER`](crate::batch::MISSING_ANSWER).
    pub fn score_answers(
        &self,
        answers: &SurveyAnswers<'_>,
        out: BatchOutput<'_>,
    ) -> Result<BatchSummary> {
        if answers.leaves() != self.plan.k() {
            return Err(Error::Argument(ArgumentError::LengthMismatch {
                what: "indicators per survey answer row",
                expected: self.plan.k(),
                found: answers.leaves(),
            }));
        }
        let (plan, inv) = (&self.plan, &self.inv[..]);
        let node_b = out.node_b.is_some();
        with_grades!(plan.m, M => self.drive(&Answers::<M> {
            plan,
            inv,
            answers,
            run: self.choice.answers(node_b),
            fast_linear: plan.linear && !node_b,
            grading: Grading::new(plan),
        }, out), _ => {
            let one = |i: usize, s: &mut Scratch| plan.exact_answers(answers.merchant_rows(i), s);
            self.drive(&Exact { n: answers.merchants(), one }, out)
        })
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

    fn drive<S: Merchants>(&self, src: &S, out: BatchOutput<'_>) -> Result<BatchSummary> {
        let Some(values) = &self.score_intervals else {
            return drive(&self.plan, self.parallel, src, out);
        };
        let BatchOutput {
            scores,
            grades,
            node_b,
        } = out;
        let summary = drive(
            &self.plan,
            self.parallel,
            src,
            BatchOutput {
                scores: &mut *scores,
                grades: &mut *grades,
                node_b,
            },
        )?;
        // the score-interval rule as a post-pass over the scored merchants; the slots of
        // failed merchants are left as they were
        let mut failed: Vec<usize> = summary.failures.iter().map(|f| f.merchant).collect();
        failed.sort_unstable();
        let mut failed = failed.into_iter().peekable();
        for (i, (grade, &score)) in grades.iter_mut().zip(scores.iter()).enumerate() {
            if failed.next_if_eq(&i).is_some() {
                continue;
            }
            *grade = rules::grade_by_score(values, score);
        }
        Ok(summary)
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
            return Err(Error::Batch(BatchError::BatchLength {
                what,
                len,
                unit: block,
            }));
        }
        Ok(len / block)
    }
}
