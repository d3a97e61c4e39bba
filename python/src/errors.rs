//! The crate's [`Error`] as a Python exception of the package (`service_quality.errors`): one
//! class per area of the error, all subclasses of `ServiceQualityError`, with the same message
//! and the context (node path, expert, CSV line) as attributes.

use pyo3::prelude::*;
use service_quality::{CsvError, Error, IntakeError, Place};

/// The exception class of the error's area (its root, under the context wrappers).
fn class_name(e: &Error) -> &'static str {
    match e.root() {
        Error::Argument(_) => "ArgumentError",
        Error::Numeric(_) => "NumericError",
        Error::Ahp(_) => "AhpError",
        Error::Weights(_) => "WeightsError",
        Error::Hierarchy(_) => "HierarchyError",
        Error::Panel(_) => "PanelError",
        Error::Evaluation(_) => "EvaluationError",
        Error::Input(_) => "InputError",
        Error::Csv(_) => "CsvError",
        Error::Intake(_) => "IntakeError",
        Error::Batch(_) => "BatchError",
        Error::Analysis(_) => "AnalysisError",
        Error::Outcome(_) => "OutcomeError",
        Error::Mcdm(_) => "McdmError",
        Error::Sensitivity(_) => "SensitivityError",
        _ => "ServiceQualityError",
    }
}

/// The variant of the area's error (`"EmptyGroup"`, `"InvalidMembership"`, ...): the first
/// identifier inside the area variant of its `Debug` text.
fn kind(e: &Error) -> String {
    let debug = format!("{:?}", e.root());
    let inner = debug
        .split_once('(')
        .map_or(debug.as_str(), |(_, rest)| rest);
    inner
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The first expert and CSV line named by a context wrapper.
fn context(e: &Error) -> (Option<usize>, Option<u64>) {
    let (mut expert, mut line) = (None, None);
    let mut e = e;
    loop {
        match e {
            Error::AtNode { source, .. } => e = source,
            Error::AtExpert { expert: x, source } => {
                expert = expert.or(Some(*x));
                e = source;
            }
            Error::AtLine { line: l, source } => {
                line = line.or(Some(*l));
                e = source;
            }
            Error::InFile { source, .. } => e = source,
            Error::Csv(csv) => return (expert, line.or_else(|| csv_line(csv))),
            Error::Intake(intake) => return (expert, line.or_else(|| intake_line(intake))),
            _ => return (expert, line),
        }
    }
}

/// The line a CSV error names in its own fields (the header's errors are on line 1).
fn csv_line(e: &CsvError) -> Option<u64> {
    match e {
        CsvError::CellCount { line, .. }
        | CsvError::BlankRow { line }
        | CsvError::UnterminatedQuote { line }
        | CsvError::BadCell { line, .. } => Some(*line),
        CsvError::Reader { line, .. } => *line,
        CsvError::UnknownColumn { .. }
        | CsvError::DuplicateColumn { .. }
        | CsvError::MissingColumn { .. } => Some(1),
        _ => None,
    }
}

/// The text line an intake error names (a workbook's row is not a line: None).
fn intake_line(e: &IntakeError) -> Option<u64> {
    match e {
        IntakeError::BadCell { at, .. }
        | IntakeError::UndeclaredCodes { at, .. }
        | IntakeError::RecordTooLong { at, .. } => match at {
            Place::Line(l) => Some(*l),
            _ => None,
        },
        IntakeError::Encoding { line, .. } => Some(*line),
        _ => None,
    }
}

/// The exception object for `e` (an instance of its area's class), for raising or listing.
pub(crate) fn exception<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyAny>> {
    let errors = py.import("service_quality.errors")?;
    let class = errors.getattr(class_name(e))?;
    let (expert, line) = context(e);
    class.call1((e.to_string(), e.node_path(), expert, line, kind(e)))
}

/// `e` as a Python exception to raise.
pub(crate) fn to_py_err(e: &Error) -> PyErr {
    Python::attach(|py| match exception(py, e) {
        Ok(value) => PyErr::from_value(value),
        Err(failed) => failed,
    })
}

/// `?` on the crate's results inside a `#[pymethods]` body: `.py()?`.
pub(crate) trait OrRaise<T> {
    /// The value, or the error as the package's exception.
    fn py(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    fn py(self) -> PyResult<T> {
        self.map_err(|e| to_py_err(&e))
    }
}
