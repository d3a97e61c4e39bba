//! Opt-in repair of an inconsistent matrix, one judgement at a time, with an audit trail.

use core::fmt;

use crate::ahp::consistency::ConsistencyReport;
use crate::ahp::diagnosis::rank;
use crate::ahp::matrix::PairwiseMatrix;
use crate::ahp::priority::{Priorities, PriorityOptions};
use crate::error::{Parameter, Result};
use crate::numeric::{positive_parameter, DEFAULT_CR_THRESHOLD};

/// Default step limit of [`PairwiseMatrix::repair`].
pub const DEFAULT_REPAIR_STEPS: usize = 20;

/// Fractions of the way from a judgement to its consistent value that a repair step tries, in
/// order: the full move first, then shorter ones when the full move does not lower CR.
const STEP_FRACTIONS: [f64; 4] = [1.0, 0.5, 0.25, 0.125];

/// Options of [`PairwiseMatrix::repair`]; every setter documents its default.
#[derive(Debug, Clone, PartialEq)]
pub struct RepairOptions {
    target_cr: f64,
    max_steps: usize,
    priority: PriorityOptions,
}

impl Default for RepairOptions {
    fn default() -> Self {
        Self {
            target_cr: DEFAULT_CR_THRESHOLD,
            max_steps: DEFAULT_REPAIR_STEPS,
            priority: PriorityOptions::default(),
        }
    }
}

impl RepairOptions {
    /// Defaults: target CR 0.10, at most [`DEFAULT_REPAIR_STEPS`] steps, eigenvector priorities
    /// with the Saaty 1980 random index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stop once `CR < target` (default 0.10).
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`](crate::ArgumentError::InvalidParameter) unless `target`
    /// is finite and `> 0`.
    pub fn with_target_cr(mut self, target: f64) -> Result<Self> {
        self.target_cr = positive_parameter(Parameter::TargetCr, target)?;
        Ok(self)
    }

    /// Change at most this many judgements (default [`DEFAULT_REPAIR_STEPS`]; 0 only reports).
    pub fn with_max_steps(mut self, max_steps: usize) -> Self {
        self.max_steps = max_steps;
        self
    }

    /// Priority method and random index used for the weights and CR (default
    /// [`PriorityOptions::default`]).
    pub fn with_priority(mut self, priority: PriorityOptions) -> Self {
        self.priority = priority;
        self
    }

    /// The target CR.
    pub fn target_cr(&self) -> f64 {
        self.target_cr
    }

    /// The step limit.
    pub fn max_steps(&self) -> usize {
        self.max_steps
    }

    /// The priority options.
    pub fn priority(&self) -> &PriorityOptions {
        &self.priority
    }
}

/// One change made by a repair.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RepairStep {
    /// Row of the changed judgement (`i < j`; `a_ji` changes to the reciprocal).
    pub i: usize,
    /// Column of the changed judgement.
    pub j: usize,
    /// `a_ij` before the step.
    pub old: f64,
    /// `a_ij` after the step.
    pub new: f64,
    /// Consistency ratio after the step.
    pub cr_after: f64,
}

/// Why a repair stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum RepairStop {
    /// `CR < target` (possibly before any step).
    TargetReached,
    /// The step limit was reached with `CR >= target`.
    StepLimit,
    /// No single judgement change lowers CR any further.
    NoImprovement,
}

/// The result of [`PairwiseMatrix::repair`]: the repaired copy and every change made.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    matrix: PairwiseMatrix,
    priorities: Priorities,
    initial: ConsistencyReport,
    steps: Vec<RepairStep>,
    stop: RepairStop,
}

impl Repair {
    /// The repaired matrix (the original if no step was taken).
    pub fn matrix(&self) -> &PairwiseMatrix {
        &self.matrix
    }

    /// Priorities and consistency of the repaired matrix.
    pub fn priorities(&self) -> &Priorities {
        &self.priorities
    }

    /// Consistency of the matrix before repair.
    pub fn initial(&self) -> &ConsistencyReport {
        &self.initial
    }

    /// The audit trail, in the order the changes were made.
    pub fn steps(&self) -> &[RepairStep] {
        &self.steps
    }

    /// Why the repair stopped.
    pub fn stop(&self) -> RepairStop {
        self.stop
    }

    /// `true` when the repaired matrix meets the target CR.
    pub fn reached_target(&self) -> bool {
        self.stop == RepairStop::TargetReached
    }
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "CR before repair: {:.4}", self.initial.cr())?;
        for s in &self.steps {
            writeln!(
                f,
                "  a_{},{}: {:.4} -> {:.4} (CR {:.4})",
                s.i, s.j, s.old, s.new, s.cr_after
            )?;
        }
        write!(
            f,
            "CR after repair: {:.4} ({:?})",
            self.priorities.cr(),
            self.stop
        )
    }
}

impl PairwiseMatrix {
    /// Revises the most inconsistent judgement step by step until `CR < target` or the step
    /// limit, and returns the repaired copy with an audit trail. `self` is never modified.
    ///
    /// Each step ranks the judgements by `|ln(a_ij w_j / w_i)|`
    /// ([`inconsistent_judgements`](Self::inconsistent_judgements)) and moves the first one
    /// whose change lowers CR towards its consistent value `w_i / w_j`, in log space:
    ///
    /// ```text
    /// a_ij' = a_ij^(1 - t) (w_i / w_j)^t,   t = 1, 1/2, 1/4, 1/8 (first that lowers CR)
    /// a_ji' = 1 / a_ij'
    /// ```
    ///
    /// A step is taken only if CR strictly decreases, so CR never increases, and the loop
    /// ends after at most `max_steps` steps, or earlier when no change helps
    /// ([`RepairStop::NoImprovement`]). Repaired values are usually off Saaty's integer
    /// scale; they show the expert which judgement to reconsider and in which direction, and
    /// the audit trail should be shown to them.
    ///
    /// # Errors
    ///
    /// As [`priorities_with`](Self::priorities_with).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{PairwiseMatrix, RepairOptions};
    ///
    /// let m = PairwiseMatrix::from_upper_triangle(4, &[2.0, 4.0, 4.0, 2.0, 2.0, 7.0])?;
    /// let before = m.priorities(Default::default())?.cr();
    /// let r = m.repair(&RepairOptions::new())?;
    /// assert!(before >= 0.1 && r.reached_target());
    /// assert_eq!((r.steps()[0].i, r.steps()[0].j), (2, 3));
    /// assert!(r.priorities().cr() < 0.1);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    ///
    /// # References
    ///
    /// - T. L. Saaty, "Decision-making with the AHP: why is the principal eigenvector
    ///   necessary", *EJOR* 145, 85–91, 2003.
    /// - P. T. Harker, "Derivatives of the Perron root of a positive reciprocal matrix: with
    ///   application to the analytic hierarchy process", *Applied Mathematics and Computation*
    ///   22, 217–232, 1987.
    pub fn repair(&self, opts: &RepairOptions) -> Result<Repair> {
        let n = self.n();
        let mut matrix = self.clone();
        let mut priorities = matrix.priorities_with(&opts.priority)?;
        let initial = *priorities.consistency();
        let mut steps = Vec::new();
        let stop = loop {
            let cr = priorities.cr();
            if cr < opts.target_cr {
                break RepairStop::TargetReached;
            }
            if steps.len() >= opts.max_steps {
                break RepairStop::StepLimit;
            }
            let ranked = rank(&matrix, priorities.weights().as_slice())?;
            let mut taken = None;
            'search: for cand in ranked.iter().filter(|c| c.log_error() > 0.0) {
                let (lo, lc) = (cand.value.ln(), cand.consistent_value.ln());
                for t in STEP_FRACTIONS {
                    let new = ((1.0 - t) * lo + t * lc).exp();
                    if !(new.is_finite() && new > 0.0 && (1.0 / new).is_finite()) {
                        continue;
                    }
                    let mut data = matrix.as_slice().to_vec();
                    data[cand.i * n + cand.j] = new;
                    data[cand.j * n + cand.i] = 1.0 / new;
                    let trial = PairwiseMatrix::from_data_unchecked(n, data);
                    let p = trial.priorities_with(&opts.priority)?;
                    if p.cr() < cr {
                        taken = Some((cand, new, trial, p));
                        break 'search;
                    }
                }
            }
            let Some((cand, new, trial, p)) = taken else {
                break RepairStop::NoImprovement;
            };
            steps.push(RepairStep {
                i: cand.i,
                j: cand.j,
                old: cand.value,
                new,
                cr_after: p.cr(),
            });
            matrix = trial;
            priorities = p;
        };
        Ok(Repair {
            matrix,
            priorities,
            initial,
            steps,
            stop,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_steps_only_reports() {
        let m = PairwiseMatrix::from_upper_triangle(4, &[2.0, 4.0, 4.0, 2.0, 2.0, 7.0]).unwrap();
        let r = m.repair(&RepairOptions::new().with_max_steps(0)).unwrap();
        assert_eq!(r.stop(), RepairStop::StepLimit);
        assert!(r.steps().is_empty());
        assert_eq!(r.matrix(), &m);
    }

    #[test]
    fn consistent_matrix_needs_no_repair() {
        let m = PairwiseMatrix::consistent(&[1.0, 2.0, 3.0]).unwrap();
        let r = m.repair(&RepairOptions::new()).unwrap();
        assert_eq!(r.stop(), RepairStop::TargetReached);
    }

    #[test]
    fn rejects_bad_target() {
        assert!(RepairOptions::new().with_target_cr(f64::NAN).is_err());
        assert!(RepairOptions::new().with_target_cr(0.0).is_err());
    }
}
