//! The crate's error type.

/// A `Result` whose error defaults to the crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong in this crate.
///
/// One enum serves the whole pipeline (matrices, weights, hierarchy, evaluation) so that the
/// stages compose without conversion chains. Variants carry the data needed to locate and fix
/// the problem (indices, ids, values) rather than preformatted strings. Errors raised while a
/// node of an [`IndicatorTree`](crate::IndicatorTree) is validated are wrapped in
/// [`Error::AtNode`], which adds the dotted path of the node (for example
/// `attitude.politeness`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ----- matrices -------------------------------------------------------------------------
    /// A matrix or vector with no elements was given where at least one is needed.
    #[error("{what} must not be empty")]
    Empty {
        /// What was empty (for example `"pairwise matrix"`).
        what: &'static str,
    },
    /// The rows given for an `n x n` matrix do not form a square.
    #[error("matrix must be square: row {row} has {found} entries, expected {expected}")]
    NotSquare {
        /// Index of the first offending row.
        row: usize,
        /// Expected row length (the number of rows).
        expected: usize,
        /// Length actually found.
        found: usize,
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
    /// A matrix entry is NaN, infinite, zero or negative.
    #[error("entry ({row}, {col}) must be finite and > 0, got {value}")]
    InvalidEntry {
        /// Row index (0-based).
        row: usize,
        /// Column index (0-based).
        col: usize,
        /// The rejected value.
        value: f64,
    },
    /// A diagonal entry of a pairwise comparison matrix is not 1.
    #[error("diagonal entry ({index}, {index}) must be 1, got {value}")]
    DiagonalNotOne {
        /// Row (and column) index.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// `a_ji` is not `1 / a_ij` within the relative tolerance.
    #[error(
        "entries ({i}, {j}) = {a_ij} and ({j}, {i}) = {a_ji} are not reciprocal \
         (relative tolerance {rtol})"
    )]
    NotReciprocal {
        /// Row of the upper entry.
        i: usize,
        /// Column of the upper entry.
        j: usize,
        /// Value at `(i, j)`.
        a_ij: f64,
        /// Value at `(j, i)`.
        a_ji: f64,
        /// Relative tolerance that was applied.
        rtol: f64,
    },
    /// A matrix would have more criteria than [`MAX_CRITERIA`](crate::MAX_CRITERIA).
    #[error("{n} criteria are more than the {max} a pairwise matrix may have")]
    TooManyCriteria {
        /// The requested size.
        n: usize,
        /// The limit.
        max: usize,
    },
    /// A judgement refers to an index outside the matrix.
    #[error("judgement ({i}, {j}) is out of range for {n} criteria")]
    JudgementOutOfRange {
        /// First index of the judgement.
        i: usize,
        /// Second index of the judgement.
        j: usize,
        /// Number of criteria.
        n: usize,
    },
    /// A judgement compares a criterion with itself with a value other than 1.
    #[error(
        "judgement ({index}, {index}) compares a criterion with itself and must be 1, got {value}"
    )]
    SelfJudgement {
        /// The criterion index.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// The same pair was judged twice with values that disagree.
    #[error(
        "pair ({i}, {j}) is judged twice with conflicting values: {first} and {second} \
         (both as a_{i}{j})"
    )]
    ConflictingJudgement {
        /// Row of the pair (the smaller index).
        i: usize,
        /// Column of the pair (the larger index).
        j: usize,
        /// The first value, expressed as `a_ij`.
        first: f64,
        /// The second value, expressed as `a_ij`.
        second: f64,
    },
    /// A pair has no judgement (complete matrices need all `n(n-1)/2` pairs).
    #[error("pair ({i}, {j}) has no judgement")]
    MissingJudgement {
        /// Smaller index of the pair.
        i: usize,
        /// Larger index of the pair.
        j: usize,
    },

    // ----- numerics -------------------------------------------------------------------------
    /// An algorithm parameter (tolerance, iteration cap, threshold) is invalid.
    #[error("parameter `{name}` is invalid: {value} ({reason})")]
    InvalidParameter {
        /// Name of the parameter.
        name: &'static str,
        /// The rejected value.
        value: f64,
        /// What the parameter must satisfy.
        reason: &'static str,
    },
    /// Power iteration did not reach the tolerance within the iteration cap.
    #[error(
        "power iteration did not converge in {max_iter} iterations \
         (last change {last_change:e}, tolerance {tol:e})"
    )]
    NoConvergence {
        /// Iteration cap that was reached.
        max_iter: usize,
        /// Largest change of a weight in the last iteration.
        last_change: f64,
        /// Requested tolerance.
        tol: f64,
    },
    /// Intermediate values left the range of `f64` (entries too far apart in magnitude).
    #[error("{what} overflowed or underflowed f64; the entries span too many orders of magnitude")]
    NumericalRange {
        /// The computation that failed.
        what: &'static str,
    },
    /// `n` is beyond the range of a random index table.
    #[error("random index table {table} covers n <= {max_n}, got n = {n}")]
    RandomIndexOutOfRange {
        /// Name of the table.
        table: &'static str,
        /// Largest `n` the table covers.
        max_n: usize,
        /// The requested size.
        n: usize,
    },
    /// A user-supplied random index value is invalid.
    #[error("random index for n = {n} must be finite and > 0 (n >= 3) or 0 (n <= 2), got {value}")]
    InvalidRandomIndex {
        /// The size the value is for.
        n: usize,
        /// The rejected value.
        value: f64,
    },
    /// A consistency ratio is not below the requested threshold.
    #[doc(alias = "CR")]
    #[error("consistency ratio {cr} is not below the threshold {threshold}")]
    Inconsistent {
        /// The consistency ratio.
        cr: f64,
        /// The threshold it had to be below.
        threshold: f64,
    },

    // ----- weights --------------------------------------------------------------------------
    /// A weight is NaN, infinite or negative.
    #[error("weight {index} must be finite and >= 0, got {value}")]
    InvalidWeight {
        /// Index of the weight.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// Weights do not sum to 1 within the tolerance (or raw weights sum to 0).
    #[error("weights must sum to 1 (tolerance {tol:e}), got {sum}")]
    WeightSum {
        /// The actual sum.
        sum: f64,
        /// Tolerance that was applied.
        tol: f64,
    },

    // ----- hierarchy ------------------------------------------------------------------------
    /// An error inside one node of the indicator tree.
    #[error("at node `{path}`: {source}")]
    AtNode {
        /// Dotted path of the node (for example `attitude.politeness`).
        path: String,
        /// What is wrong there.
        #[source]
        source: Box<Error>,
    },
    /// A node id is empty or contains `.`, whitespace or control characters.
    #[error("invalid node id {id:?}: ids must be non-empty and contain no '.', whitespace or control characters")]
    InvalidId {
        /// The rejected id.
        id: String,
    },
    /// Two nodes share an id.
    #[error("duplicate node id `{id}` at `{first}` and `{second}`")]
    DuplicateId {
        /// The id.
        id: String,
        /// Path of the first node with the id.
        first: String,
        /// Path of the second node with the id.
        second: String,
    },
    /// A node lies deeper than [`MAX_TREE_DEPTH`](crate::hierarchy::MAX_TREE_DEPTH).
    #[error("node `{path}` is deeper than the {max} levels a tree may have")]
    TooDeep {
        /// Path of the first node that is too deep.
        path: String,
        /// The limit.
        max: usize,
    },
    /// A node id that is not in the tree.
    #[error("unknown node id `{id}`")]
    UnknownId {
        /// The id that was looked up.
        id: String,
    },
    /// A group node has weights but no children.
    #[error("group has weights or judgements but no children")]
    EmptyGroup,
    /// A node with children has no weights or judgements for them.
    #[error("node has {children} children but no weights or judgements for them")]
    MissingWeights {
        /// Number of children.
        children: usize,
    },
    /// The weights or matrix of a node do not match its number of children.
    #[error("node has {children} children but its {what} is for {size}")]
    ChildCountMismatch {
        /// Number of children.
        children: usize,
        /// Size of the weights or matrix.
        size: usize,
        /// `"weight vector"` or `"pairwise matrix"`.
        what: &'static str,
    },

    // ----- expert panels --------------------------------------------------------------------
    /// An expert's matrix (or judgement set at a node) has a different size from the first
    /// expert's.
    #[error("expert {expert} judges {found} criteria, expected {expected}")]
    ExpertSizeMismatch {
        /// Index of the offending expert (0-based).
        expert: usize,
        /// Size of the first expert's matrix.
        expected: usize,
        /// Size of this expert's matrix.
        found: usize,
    },
    /// The number of expert weights differs from the number of experts.
    #[error("{found} expert weights given for {expected} experts")]
    ExpertCountMismatch {
        /// Number of experts.
        expected: usize,
        /// Number of weights given.
        found: usize,
    },
    /// An expert weight is NaN, infinite or negative.
    #[error("weight of expert {expert} must be finite and >= 0, got {value}")]
    InvalidExpertWeight {
        /// Index of the expert (0-based).
        expert: usize,
        /// The rejected value.
        value: f64,
    },
    /// The expert weights sum to 0 (or their sum overflows), so they cannot be normalised.
    #[error("expert weights must have a positive finite sum, got {sum}")]
    ExpertWeightSum {
        /// The sum of the weights.
        sum: f64,
    },
    /// Every expert was excluded by the consistency filter, so nothing is left to aggregate.
    #[error("all {experts} experts have a consistency ratio above {threshold}; none is left")]
    AllExpertsExcluded {
        /// Number of experts on the panel.
        experts: usize,
        /// The exclusion threshold on CR.
        threshold: f64,
    },
    /// The graph of given comparisons is not connected, so the missing judgements cannot be
    /// completed: no chain of judgements links the groups of criteria.
    #[error("comparisons do not link all criteria; unlinked groups: {groups:?}")]
    DisconnectedComparisons {
        /// The connected components (criterion indices, each group sorted, groups ordered by
        /// their smallest index).
        groups: Vec<Vec<usize>>,
    },
    /// A triangular fuzzy number violates `0 < l <= m <= u < inf`.
    #[error("triangular fuzzy number ({l}, {m}, {u}) must satisfy 0 < l <= m <= u, all finite")]
    InvalidFuzzyNumber {
        /// Lower bound.
        l: f64,
        /// Modal value.
        m: f64,
        /// Upper bound.
        u: f64,
    },
    /// A value is not on the 1–9 integer scale used to look up fuzzy judgements.
    #[error("fuzzy scale value must be an integer from 1 to 9, got {value}")]
    NotOnFuzzyScale {
        /// The rejected value.
        value: f64,
    },
    /// Experts' hierarchies differ in structure at a node.
    #[error("expert {expert} differs from expert 0 at node `{path}`: {reason}")]
    StructureMismatch {
        /// Dotted path of the node (in expert 0's tree).
        path: String,
        /// Index of the expert whose tree differs (0-based).
        expert: usize,
        /// What differs (ids, number of children, or weighting).
        reason: &'static str,
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

    // ----- fuzzy evaluation -----------------------------------------------------------------
    /// A grade set has fewer than two grades.
    #[error("a grade set needs at least 2 grades, got {found}")]
    TooFewGrades {
        /// Number of grades given.
        found: usize,
    },
    /// Two grades share a label (English or Chinese, compared ignoring case and surrounding
    /// whitespace).
    #[error("grades {first} and {second} share the label {label:?}")]
    DuplicateGradeLabel {
        /// The shared label.
        label: String,
        /// Index of the first grade with it.
        first: usize,
        /// Index of the second grade with it.
        second: usize,
    },
    /// A grade's English label is empty (or only whitespace).
    #[error("grade {index} has an empty label")]
    EmptyGradeLabel {
        /// Index of the grade.
        index: usize,
    },
    /// A grade's numeric value is NaN or infinite.
    #[error("grade {index} must have a finite value, got {value}")]
    InvalidGradeValue {
        /// Index of the grade.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// A membership entry is NaN, infinite or outside `[0, 1]`.
    #[error("membership ({row}, {col}) must be finite and in [0, 1], got {value}")]
    InvalidMembership {
        /// Row (indicator) index.
        row: usize,
        /// Column (grade) index.
        col: usize,
        /// The rejected value.
        value: f64,
    },
    /// A membership row does not have one entry per grade.
    #[error("membership row {row} has {found} entries, expected {expected} (one per grade)")]
    MembershipRowLength {
        /// Row (indicator) index.
        row: usize,
        /// Number of grades.
        expected: usize,
        /// Entries found.
        found: usize,
    },
    /// The weight vector of a composition does not have one weight per row of `R`.
    #[error("{weights} weights for a membership matrix with {rows} rows")]
    WeightCountMismatch {
        /// Number of weights.
        weights: usize,
        /// Number of rows of the membership matrix.
        rows: usize,
    },
    /// A composition weight is NaN, infinite or outside `[0, 1]`.
    #[error("composition weight {index} must be finite and in [0, 1], got {value}")]
    CompositionWeight {
        /// Index of the weight.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// Memberships over one number of grades were combined with a grade set (or scale) of
    /// another size.
    #[error("{found} membership columns or breakpoints for a grade set of {grades} grades")]
    GradeCountMismatch {
        /// Number of grades in the grade set.
        grades: usize,
        /// Number of columns (or breakpoints) found.
        found: usize,
    },
    /// A composed membership vector `B` sums to 0, so it has no normalised form, no
    /// maximum-membership grade and no score (returned instead of dividing by zero).
    #[error("membership vector sums to 0 (no grade has any membership); it cannot be normalised")]
    ZeroMembership,
    /// The data has memberships for an indicator id that is not a leaf of the hierarchy.
    #[error("the data has indicator `{id}`, which is not an indicator (leaf) of the hierarchy")]
    UnknownIndicator {
        /// The id found in the data.
        id: String,
    },
    /// An indicator (leaf) of the hierarchy has no entry in the data.
    #[error("indicator `{id}` of the hierarchy is missing from the data")]
    MissingIndicator {
        /// The leaf id.
        id: String,
    },
    /// An indicator has an entry in the data but not a single answer or measurement.
    #[error("indicator `{id}` has no answers ({missing} missing); exclude it explicitly to evaluate without it")]
    NoAnswers {
        /// The leaf id.
        id: String,
        /// Number of missing answers counted for it.
        missing: usize,
    },
    /// Every indicator was excluded, so nothing is left to evaluate.
    #[error("every indicator was excluded for lack of answers; nothing to evaluate")]
    NothingToEvaluate,
    /// Memberships were asked for a merchant that has no survey response or KPI case.
    #[error("merchant `{merchant}` has no data")]
    UnknownMerchant {
        /// The merchant name asked for.
        merchant: String,
    },
    /// The same indicator id was given twice.
    #[error("indicator `{id}` is given twice")]
    DuplicateIndicator {
        /// The repeated id.
        id: String,
    },
    /// A grade index in a survey answer is not below the number of grades.
    #[error("answer for indicator `{indicator}` is grade index {index}, but there are only {grades} grades")]
    GradeIndexOutOfRange {
        /// The indicator id.
        indicator: String,
        /// The rejected 0-based grade index.
        index: usize,
        /// Number of grades.
        grades: usize,
    },
    /// A CSV header names a column that is neither an indicator (a leaf of the hierarchy for
    /// survey files, an indicator of the KPI model for KPI files) nor a known or ignored
    /// column.
    #[error(
        "column {col} `{column}` is neither an indicator nor a known or ignored column (line 1)"
    )]
    UnknownColumn {
        /// The column name.
        column: String,
        /// 1-based column number.
        col: usize,
    },
    /// A CSV header names the same column twice.
    #[error("column `{column}` appears twice, as columns {first} and {second} (line 1)")]
    DuplicateColumn {
        /// The column name.
        column: String,
        /// 1-based number of the first occurrence.
        first: usize,
        /// 1-based number of the second occurrence.
        second: usize,
    },
    /// A required CSV column is absent from the header.
    #[error("required column `{column}` is missing from the header")]
    MissingColumn {
        /// The required column name.
        column: String,
    },
    /// A CSV row has a different number of cells than the header.
    #[error("line {line}: {found} cells, expected {expected} (as in the header)")]
    CellCount {
        /// 1-based line number in the file.
        line: u64,
        /// Number of header columns.
        expected: usize,
        /// Number of cells in the row.
        found: usize,
    },
    /// A CSV cell cannot be read as what its column holds (a grade, a number, a class).
    #[error("line {line}, column {col} `{column}`: {cell:?} is not {expected}")]
    BadCell {
        /// 1-based line number.
        line: u64,
        /// 1-based column number.
        col: usize,
        /// The column name.
        column: String,
        /// The cell text.
        cell: String,
        /// What the cell should hold (for example `"a grade label or number 1..=5"`).
        expected: String,
    },
    /// The CSV reader failed (I/O, invalid UTF-8, broken quoting).
    #[error("csv{}: {message}", match .line { Some(l) => format!(" line {l}"), None => String::new() })]
    Csv {
        /// 1-based line number, when known.
        line: Option<u64>,
        /// The reader's description of the problem.
        message: String,
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
    /// A measured KPI value is NaN, infinite or negative.
    #[error("case `{case}`: value of `{indicator}` must be finite and >= 0, got {value}")]
    InvalidKpiValue {
        /// The case id.
        case: String,
        /// The indicator id.
        indicator: String,
        /// The rejected value.
        value: f64,
    },
    /// A case belongs to a class for which the KPI model has no thresholds.
    #[error("case `{case}`: class `{class}` has no thresholds for `{indicator}`")]
    UnknownCaseClass {
        /// The case id.
        case: String,
        /// The class of the case.
        class: String,
        /// The indicator lacking thresholds for that class.
        indicator: String,
    },
    /// KPI breakpoints are not finite or not strictly monotone in the required direction.
    #[error(
        "breakpoint {index} = {value} must be finite and strictly {order} than the one before"
    )]
    InvalidBreakpoint {
        /// Index of the offending breakpoint.
        index: usize,
        /// The rejected value.
        value: f64,
        /// `"greater"` (smaller-is-better scales) or `"less"` (larger-is-better scales).
        order: &'static str,
    },

    // ----- batch scoring --------------------------------------------------------------------
    /// A batch input is not a whole number of blocks (merchants x leaves x grades).
    #[error(
        "{what} has {len} values, which is not a multiple of {unit} (leaves x grades or leaves)"
    )]
    BatchLength {
        /// Which input.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The block size it must be a multiple of.
        unit: usize,
    },
    /// Merchant offsets of survey answers are malformed.
    #[error("survey answer offsets are invalid at index {index}: {reason}")]
    InvalidOffsets {
        /// Index of the first bad offset (or row).
        index: usize,
        /// What is wrong.
        reason: &'static str,
    },
}
