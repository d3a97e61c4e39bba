//! What a completion is asked for (method, options) and what it gives back.

use core::fmt;

#[allow(unused_imports)] // for intra-doc links
use crate::ahp::incomplete::IncompleteMatrix;
use crate::ahp::matrix::PairwiseMatrix;
use crate::ahp::priority::{Priorities, PriorityOptions};
use crate::error::{Parameter, Result};
use crate::numeric::{nonzero_count, positive_parameter};

/// Default tolerance of the optimal completion: cycles stop when no missing entry's logarithm
/// moves by more than this.
pub const DEFAULT_COMPLETION_TOL: f64 = 1e-10;

/// Default cap on the number of coordinate cycles of the optimal completion.
pub const DEFAULT_COMPLETION_MAX_CYCLES: usize = 10_000;

/// How missing judgements are filled by [`IncompleteMatrix::complete`].
///
/// ```text
/// Harker:          C w = lambda w, with c_ij = a_ij (given), 0 (missing, i != j),
///                  c_ii = 1 + m_i (m_i = number of missing pairs in row i);
///                  missing a_ij := w_i / w_j
/// LogLeastSquares: minimise sum over given i<j of (ln a_ij - y_i + y_j)^2, i.e. solve the
///                  graph Laplacian system L y = r, r_i = sum_{j given} ln a_ij, sum y = 0;
///                  missing a_ij := exp(y_i - y_j)
/// Optimal:         choose the missing entries x (with x_ji = 1/x_ij) to minimise
///                  lambda_max(A(x)); cyclic coordinates in t = ln x, each coordinate by
///                  bisection on d lambda_max / d t = (v_i a_ij w_j - v_j a_ji w_i) / (v . w)
///                  (v, w left and right Perron vectors), started from LogLeastSquares
/// ```
///
/// Harker's filling makes the completed matrix's principal eigenvector equal the eigenvector
/// of `C`. `Optimal` gives the completion of smallest lambda_max, hence of smallest CR; with
/// log-parametrised entries lambda_max is a convex function, so the minimum is unique for a
/// connected graph (Bozóki, Fülöp & Rónyai 2010). AHPy fills missing comparisons the same way
/// (with a looser default tolerance, 1e-4).
///
/// # References
///
/// - P. T. Harker, "Incomplete pairwise comparisons in the analytic hierarchy process",
///   *Mathematical Modelling* 9(11), 837–848, 1987.
/// - S. Bozóki, J. Fülöp, L. Rónyai, "On optimal completion of incomplete pairwise comparison
///   matrices", *Mathematical and Computer Modelling* 52(1–2), 318–333, 2010.
/// - G. B. Crawford, C. Williams, "A note on the analysis of subjective judgment matrices",
///   *J. Math. Psychology* 29, 387–405, 1985 (logarithmic least squares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CompletionMethod {
    /// Harker's modified-matrix eigenvector, missing `a_ij := w_i / w_j`.
    Harker,
    /// Logarithmic least squares on the given judgements (a linear solve).
    #[doc(alias = "LLSM")]
    LogLeastSquares,
    /// Bozóki–Fülöp–Rónyai completion minimising lambda_max (the default).
    #[default]
    Optimal,
}

/// Options of [`IncompleteMatrix::complete_with`]; every setter documents its default.
#[derive(Debug, Clone, PartialEq)]
pub struct CompletionOptions {
    pub(crate) method: CompletionMethod,
    pub(crate) tol: f64,
    pub(crate) max_cycles: usize,
    pub(crate) priority: PriorityOptions,
}

impl Default for CompletionOptions {
    fn default() -> Self {
        Self::new(CompletionMethod::default())
    }
}

impl CompletionOptions {
    /// `method` with tolerance [`DEFAULT_COMPLETION_TOL`], at most
    /// [`DEFAULT_COMPLETION_MAX_CYCLES`] cycles, and default [`PriorityOptions`] for the
    /// report on the completed matrix.
    pub fn new(method: CompletionMethod) -> Self {
        Self {
            method,
            tol: DEFAULT_COMPLETION_TOL,
            max_cycles: DEFAULT_COMPLETION_MAX_CYCLES,
            priority: PriorityOptions::default(),
        }
    }

    /// Largest change of a missing entry's logarithm in one cycle at which the optimal
    /// completion stops (default [`DEFAULT_COMPLETION_TOL`]).
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`](crate::ArgumentError::InvalidParameter) unless `tol` is
    /// finite and `> 0`.
    pub fn with_tolerance(mut self, tol: f64) -> Result<Self> {
        self.tol = positive_parameter(Parameter::Tol, tol)?;
        Ok(self)
    }

    /// Cap on coordinate cycles (default [`DEFAULT_COMPLETION_MAX_CYCLES`]).
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`](crate::ArgumentError::InvalidParameter) when
    /// `max_cycles == 0`.
    pub fn with_max_cycles(mut self, max_cycles: usize) -> Result<Self> {
        self.max_cycles = nonzero_count(Parameter::MaxCycles, max_cycles)?;
        Ok(self)
    }

    /// Priority options for the weights and consistency of the completed matrix.
    pub fn with_priority(mut self, priority: PriorityOptions) -> Self {
        self.priority = priority;
        self
    }

    /// The completion method.
    pub fn method(&self) -> CompletionMethod {
        self.method
    }

    /// The tolerance of the optimal completion.
    pub fn tolerance(&self) -> f64 {
        self.tol
    }

    /// The cap on coordinate cycles.
    pub fn max_cycles(&self) -> usize {
        self.max_cycles
    }

    /// The priority options for the completed matrix.
    pub fn priority(&self) -> &PriorityOptions {
        &self.priority
    }
}

/// One filled entry `a_ij` (`i < j`) of a completed matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FilledEntry {
    /// Row (`i < j`).
    pub i: usize,
    /// Column.
    pub j: usize,
    /// The value filled in for `a_ij` (`a_ji` is its reciprocal).
    pub value: f64,
}

/// A completed matrix with the filled entries and the priorities of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub(crate) matrix: PairwiseMatrix,
    pub(crate) filled: Vec<FilledEntry>,
    pub(crate) method: CompletionMethod,
    pub(crate) priorities: Priorities,
    pub(crate) cycles: Option<usize>,
}

impl Completion {
    /// The completed matrix (given entries unchanged).
    pub fn matrix(&self) -> &PairwiseMatrix {
        &self.matrix
    }

    /// Consumes the completion, returning the matrix.
    pub fn into_matrix(self) -> PairwiseMatrix {
        self.matrix
    }

    /// The filled entries, row-major.
    pub fn filled(&self) -> &[FilledEntry] {
        &self.filled
    }

    /// The method used.
    pub fn method(&self) -> CompletionMethod {
        self.method
    }

    /// Priorities and consistency report of the completed matrix.
    pub fn priorities(&self) -> &Priorities {
        &self.priorities
    }

    /// Coordinate cycles used by [`CompletionMethod::Optimal`] (`None` for the others).
    pub fn cycles(&self) -> Option<usize> {
        self.cycles
    }
}

impl fmt::Display for Completion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} completion:", self.method)?;
        for e in &self.filled {
            write!(f, " a_{},{} = {:.4};", e.i, e.j, e.value)?;
        }
        write!(f, " {}", self.priorities.consistency())
    }
}
