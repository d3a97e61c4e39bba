//! The crate's error type.
//!
//! [`Error`] has one variant per area of the pipeline, each wrapping that area's enum
//! ([`AhpError`], [`HierarchyError`], [`EvaluationError`], ...), and three context wrappers
//! that say where an error happened: [`Error::AtNode`] (a node of the hierarchy),
//! [`Error::AtExpert`] (one expert of a panel) and [`Error::AtLine`] (a line of a CSV file).
//! [`Error::root`] looks through the wrappers and [`Error::node_path`] collects the node path.

mod ahp;
mod analysis;
mod argument;
mod arrow;
mod batch;
mod csv;
mod evaluation;
mod hierarchy;
mod input;
mod intake;
mod mcdm;
mod numeric;
mod outcome;
mod panel;
mod sensitivity;
mod weights;

pub use self::ahp::AhpError;
pub use self::analysis::AnalysisError;
pub use self::argument::{ArgumentError, Parameter};
pub use self::arrow::ArrowError;
pub use self::batch::{BatchError, OffsetsProblem};
pub use self::csv::CsvError;
pub use self::evaluation::EvaluationError;
pub use self::hierarchy::{CountOf, HierarchyError};
pub use self::input::{BreakpointOrder, InputError};
pub use self::intake::{EncodingProblem, IntakeError, LayoutProblem, Place};
pub use self::mcdm::{McdmError, McdmMethod};
pub use self::numeric::NumericError;
pub use self::outcome::OutcomeError;
pub use self::panel::{PanelError, StructureDifference};
pub use self::sensitivity::{FixedReason, SensitivityError};
pub use self::weights::WeightsError;

/// A `Result` whose error defaults to the crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong in this crate.
///
/// One type serves the whole pipeline (matrices, weights, hierarchy, evaluation) so that the
/// stages compose without conversion chains. It has one variant per area, wrapping a
/// `#[non_exhaustive]` enum of that area's errors (each converts into `Error` with `?` or
/// `.into()`), and context wrappers that add where the error happened. Variants carry the data
/// needed to locate and fix the problem (indices, ids, values) rather than preformatted
/// strings. `Display` of an area variant is that of the wrapped error.
///
/// Errors raised while a node of an [`IndicatorTree`](crate::IndicatorTree) is validated are
/// wrapped in [`Error::AtNode`], which adds the dotted path of the node (for example
/// `attitude.politeness`). To match on the error itself whatever its context, use
/// [`Error::root`]:
///
/// ```
/// use service_quality::{Error, HierarchyError, IndicatorTree, NodeSpec};
///
/// let root = NodeSpec::group(
///     "goal",
///     "Goal",
///     vec![NodeSpec::group("empty", "Empty", vec![]).with_weights(vec![1.0])],
/// )
/// .with_weights(vec![1.0]);
/// let err = IndicatorTree::new(root).unwrap_err();
/// assert!(matches!(err.root(), Error::Hierarchy(HierarchyError::EmptyGroup)));
/// assert_eq!(err.node_path().as_deref(), Some("empty"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An empty input, a wrong number of values or an invalid algorithm parameter.
    #[error(transparent)]
    Argument(#[from] ArgumentError),
    /// A numerical algorithm did not converge or left the range of `f64`.
    #[error(transparent)]
    Numeric(#[from] NumericError),
    /// A pairwise comparison matrix, its judgements, a random index table, a consistency check
    /// or fuzzy AHP.
    #[error(transparent)]
    Ahp(#[from] AhpError),
    /// A weight vector.
    #[error(transparent)]
    Weights(#[from] WeightsError),
    /// The structure or the weighting of the indicator hierarchy.
    #[error(transparent)]
    Hierarchy(#[from] HierarchyError),
    /// An expert panel.
    #[error(transparent)]
    Panel(#[from] PanelError),
    /// Fuzzy comprehensive evaluation: grades, memberships, composition, data vs hierarchy.
    #[error(transparent)]
    Evaluation(#[from] EvaluationError),
    /// Survey answers and KPI measurements.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A CSV file: header, cells, or the reader.
    #[error(transparent)]
    Csv(#[from] CsvError),
    /// A questionnaire export read through a survey layout: the layout, header mapping, cells,
    /// text encoding, workbooks.
    #[error(transparent)]
    Intake(#[from] IntakeError),
    /// The inputs of batch scoring.
    #[error(transparent)]
    Batch(#[from] BatchError),
    /// Statistical analysis: descriptive statistics, reliability, correlation, trends.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// Multi-criteria decision methods: decision matrices, objective and combined weights,
    /// TOPSIS, grey relational analysis, rank-sum ratio, VIKOR.
    #[error(transparent)]
    Mcdm(#[from] McdmError),
    /// Sensitivity analysis: nodes, weight ranges, noise models, draws, tiers.
    #[error(transparent)]
    Sensitivity(#[from] SensitivityError),
    /// Arrow record batches given to the batch scorer (feature `arrow`).
    #[error(transparent)]
    Arrow(#[from] ArrowError),
    /// Using the results: scoreboards, ranking, tiers, rectification, publication, tracking,
    /// alerts and charts.
    #[error(transparent)]
    Outcome(#[from] OutcomeError),

    // ----- context --------------------------------------------------------------------------
    /// An error inside one node of the indicator tree.
    #[error("at node `{path}`: {source}")]
    AtNode {
        /// Dotted path of the node (for example `attitude.politeness`).
        path: String,
        /// What is wrong there.
        #[source]
        source: Box<Error>,
    },
    /// An error in one expert's input.
    #[error("expert {expert}: {source}")]
    AtExpert {
        /// Index of the expert (0-based).
        expert: usize,
        /// What is wrong there.
        #[source]
        source: Box<Error>,
    },
    /// An error in a file (the outermost wrapper of errors from the readers that open a path).
    #[error("{path}: {source}")]
    InFile {
        /// The file's path as given.
        path: String,
        /// What is wrong there.
        #[source]
        source: Box<Error>,
    },
    /// An error in one line of a CSV file (wraps errors of the row's content).
    #[error("line {line}: {source}")]
    AtLine {
        /// 1-based line number.
        line: u64,
        /// What is wrong there.
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    /// The error itself, under every context wrapper ([`Error::AtNode`], [`Error::AtExpert`],
    /// [`Error::AtLine`]); `self` when there is none.
    ///
    /// Use it to match on what went wrong whatever the context it was reported in.
    pub fn root(&self) -> &Error {
        let mut e = self;
        while let Self::AtNode { source, .. }
        | Self::AtExpert { source, .. }
        | Self::AtLine { source, .. }
        | Self::InFile { source, .. } = e
        {
            e = source;
        }
        e
    }

    /// The dotted path of the node of the hierarchy where the error happened, or `None` when
    /// no [`Error::AtNode`] wraps it.
    ///
    /// The paths of all the [`Error::AtNode`] wrappers on the way to [`root`](Self::root) are
    /// joined with `.`, outermost first: the path of a nested wrapper is taken relative to the
    /// node of the one outside it. The crate itself reports every error with at most one
    /// [`Error::AtNode`], holding the full path from the root of the tree (other wrappers,
    /// such as [`Error::AtExpert`], may lie outside or inside it).
    pub fn node_path(&self) -> Option<String> {
        let mut path: Option<String> = None;
        let mut e = self;
        loop {
            match e {
                Self::AtNode { path: p, source } => {
                    path = Some(match path {
                        Some(outer) => format!("{outer}.{p}"),
                        None => p.clone(),
                    });
                    e = source;
                }
                Self::AtExpert { source, .. }
                | Self::AtLine { source, .. }
                | Self::InFile { source, .. } => e = source,
                _ => return path,
            }
        }
    }
}

#[cfg(test)]
mod tests;
