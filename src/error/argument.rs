//! Errors in the shape or the parameters of an argument: an empty input, a wrong length, an
//! option out of range.

use core::fmt;

/// Errors in the shape or parameters of an argument, common to every stage: an empty input, a
/// wrong number of values, an invalid algorithm parameter.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ArgumentError {
    /// A matrix or vector with no elements was given where at least one is needed.
    #[error("{what} must not be empty")]
    Empty {
        /// What was empty (for example `"pairwise matrix"`).
        what: &'static str,
    },
    /// The number of values does not match what the shape requires.
    #[error("{what}: expected {expected} values, got {found}")]
    LengthMismatch {
        /// What was being built (for example `"upper triangle of a 4x4 matrix"`).
        what: &'static str,
        /// Number of values required.
        expected: usize,
        /// Number of values given.
        found: usize,
    },
    /// An algorithm parameter (tolerance, iteration cap, threshold) is invalid.
    #[error("parameter `{name}` is invalid: {value} ({})", name.requirement())]
    InvalidParameter {
        /// The parameter (its `Display` is the parameter's name, its
        /// [`requirement`](Parameter::requirement) what it must satisfy).
        name: Parameter,
        /// The rejected value.
        value: f64,
    },
    /// A number put into a table is not finite, or asks for more decimals than `f64` has.
    #[error("table row {row}, column `{column}`: the number {value} cannot be printed with {decimals} decimals (numbers must be finite, decimals at most 17)")]
    TableCell {
        /// The 0-based row (the rows before it were accepted).
        row: usize,
        /// The column's English header.
        column: String,
        /// The value.
        value: f64,
        /// The decimals asked for.
        decimals: u8,
    },
    /// A name (of a format, a method, a convention) that is not one of the known ones.
    #[error("unknown {what}: `{name}`")]
    UnknownName {
        /// What was named, with the known names.
        what: &'static str,
        /// The name given.
        name: String,
    },
}

/// A parameter that [`ArgumentError::InvalidParameter`] rejects.
///
/// `Display` gives the parameter's name as it appears in the API (`tol`, `max_iter`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Parameter {
    /// A convergence tolerance (of the power iteration, or of the completion of missing
    /// judgements).
    Tol,
    /// The iteration cap of the power iteration.
    MaxIter,
    /// The cycle cap of the completion of missing judgements.
    MaxCycles,
    /// The consistency ratio an inconsistency repair aims at.
    TargetCr,
    /// The consistency-ratio threshold above which a panel excludes experts.
    ExcludeAboveCr,
    /// The relative tolerance of the reciprocity check of full matrices.
    Rtol,
    /// The consistency-ratio threshold a consistency report is checked against.
    Threshold,
    /// The largest value of the judgement scale of the AHP consensus indicator.
    ScaleMax,
    /// The number of leaves per survey answer row of batch scoring.
    Leaves,
    /// The number of grades, for batch scoring.
    Grades,
    /// The number of nodes of the tree, for batch scoring.
    Nodes,
    /// A node of the tree, for batch scoring.
    Tree,
}

impl Parameter {
    /// The parameter's name as it appears in the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tol => "tol",
            Self::MaxIter => "max_iter",
            Self::MaxCycles => "max_cycles",
            Self::TargetCr => "target_cr",
            Self::ExcludeAboveCr => "exclude_above_cr",
            Self::Rtol => "rtol",
            Self::Threshold => "threshold",
            Self::ScaleMax => "scale_max",
            Self::Leaves => "leaves",
            Self::Grades => "grades",
            Self::Nodes => "nodes",
            Self::Tree => "tree",
        }
    }

    /// What a valid value of the parameter satisfies.
    pub fn requirement(self) -> &'static str {
        match self {
            Self::Tol | Self::TargetCr | Self::ExcludeAboveCr => "must be finite and > 0",
            Self::MaxIter | Self::MaxCycles | Self::Leaves => "must be >= 1",
            Self::Rtol => "must be finite and >= 0",
            Self::Threshold => "must be > 0",
            Self::ScaleMax => "must be finite and > 1",
            Self::Grades => "batch scoring supports at most 254 grades",
            Self::Nodes => "batch scoring supports at most u32::MAX nodes",
            Self::Tree => "a child node is neither a leaf nor a group",
        }
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
