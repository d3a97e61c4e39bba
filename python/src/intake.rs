//! The questionnaire intake: `SurveyLayout` (how an export's columns and cells become
//! indicators and grades) and `SurveyCounts` (the streaming tally of an export into answer
//! counts per merchant, indicator and grade, as numpy arrays for the batch scorer).

use std::path::PathBuf;

use numpy::PyArray1;
use pyo3::prelude::*;
use service_quality::input::{CsvRead, OnBadRow, SurveyCounts, SurveyLayout, TextEncoding};
use service_quality::Error;

use crate::convert::{argument_error, json_text, read_text};
use crate::errors::OrRaise;
use crate::input::finish;
use crate::model::{PyGradeSet, PyIndicatorTree};

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySurveyLayout>()?;
    m.add_class::<PySurveyCounts>()?;
    Ok(())
}

/// How a questionnaire export's columns and cells become indicators and grades.
///
/// `SurveyLayout(merchant_column="merchant")`, `SurveyLayout.wenjuanxing(merchant_column)`
/// (Wenjuanxing's numbered headers `2、...`, its row number and time columns ignored, its
/// "(跳过)" and "(空)" cells missing), or `from_json(text)`, `from_file(path)`,
/// `from_dict(d)` (the layout file format: every key optional, unknown keys refused). The
/// `with_*` methods return a new layout. Question columns map to leaves by the explicit map
/// (`with_question(column or question number, leaf)`), the leaf id, or its English or Chinese
/// label; cells are grade labels or aliases, declared numeric codes (`with_codes(best,
/// worst)`) or "no answer" tokens. An inconsistent layout raises `IntakeError`.
#[pyclass(name = "SurveyLayout", module = "service_quality", frozen)]
#[derive(Clone)]
pub(crate) struct PySurveyLayout {
    pub(crate) inner: SurveyLayout,
}

impl PySurveyLayout {
    fn with(&self, f: impl FnOnce(SurveyLayout) -> Result<SurveyLayout, Error>) -> PyResult<Self> {
        Ok(Self {
            inner: f(self.inner.clone()).py()?,
        })
    }
}

#[pymethods]
impl PySurveyLayout {
    #[new]
    #[pyo3(signature = (merchant_column="merchant"))]
    fn new(merchant_column: &str) -> Self {
        Self {
            inner: SurveyLayout::new(merchant_column),
        }
    }

    /// Wenjuanxing's export layout with this merchant column.
    #[staticmethod]
    fn wenjuanxing(merchant_column: &str) -> Self {
        Self {
            inner: SurveyLayout::wenjuanxing(merchant_column),
        }
    }

    /// A layout from the JSON text of a layout file.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: SurveyLayout::from_json(text).py()?,
        })
    }

    /// A layout from a layout file (JSON, UTF-8).
    #[staticmethod]
    fn from_file(path: PathBuf) -> PyResult<Self> {
        Self::from_json(&read_text(&path)?)
    }

    /// A layout from a dict of the layout file's keys.
    #[staticmethod]
    fn from_dict(layout: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::from_json(&json_text(layout)?)
    }

    /// With the respondent column (recognised, not graded).
    fn with_respondent_column(&self, name: &str) -> PyResult<Self> {
        self.with(|l| Ok(l.with_respondent_column(name)))
    }

    /// With the period column (recognised, not graded).
    fn with_period_column(&self, name: &str) -> PyResult<Self> {
        self.with(|l| Ok(l.with_period_column(name)))
    }

    /// With columns to ignore, by name or pattern (`*` any run, `?` one character).
    fn with_ignored(&self, pattern: &str) -> PyResult<Self> {
        self.with(|l| Ok(l.with_ignored(pattern)))
    }

    /// With a question column (its whole name or its question number) mapped to a leaf.
    fn with_question(&self, column: &str, leaf: &str) -> PyResult<Self> {
        self.with(|l| Ok(l.with_question(column, leaf)))
    }

    /// With grades (a `GradeSet`) and each grade's aliases.
    fn with_grades(&self, grades: &PyGradeSet, aliases: Vec<Vec<String>>) -> PyResult<Self> {
        self.with(|l| l.with_grades(grades.inner.clone(), aliases))
    }

    /// With one more alias of the grade labelled `grade`.
    fn with_alias(&self, grade: &str, alias: &str) -> PyResult<Self> {
        self.with(|l| l.with_alias(grade, alias))
    }

    /// With one more "no answer" token (counted as missing).
    fn with_no_answer(&self, token: &str) -> PyResult<Self> {
        self.with(|l| l.with_no_answer(token))
    }

    /// With numeric answer codes from `best` (the first grade) to `worst`.
    fn with_codes(&self, best: i64, worst: i64) -> PyResult<Self> {
        self.with(|l| l.with_codes(best, worst))
    }

    /// With the text encoding: `"auto"` (default), `"utf-8"`, `"gbk"` / `"gb18030"`,
    /// `"utf-16"`, `"utf-16le"`, `"utf-16be"`.
    fn with_encoding(&self, encoding: &str) -> PyResult<Self> {
        let e: TextEncoding = encoding.parse().py()?;
        self.with(|l| Ok(l.with_encoding(e)))
    }

    /// With the delimiter (one ASCII character; detected from the header by default).
    fn with_delimiter(&self, delimiter: &str) -> PyResult<Self> {
        let d = match delimiter.as_bytes() {
            [b] => *b,
            _ => {
                return Err(argument_error(
                    format!("delimiter: expected one ASCII character, got {delimiter:?}"),
                    "BadValue",
                ))
            }
        };
        self.with(|l| l.with_delimiter(d))
    }

    /// With the sheet of a workbook to read (the first by default).
    fn with_sheet(&self, sheet: &str) -> PyResult<Self> {
        self.with(|l| Ok(l.with_sheet(sheet)))
    }

    /// With the bad-row policy: `"stop"` (default) or `"skip"`.
    fn with_on_bad_row(&self, policy: &str) -> PyResult<Self> {
        let p = on_bad_row(policy)?;
        self.with(|l| Ok(l.with_on_bad_row(p)))
    }

    /// The merchant column.
    #[getter]
    fn merchant_column(&self) -> String {
        self.inner.merchant_column().to_owned()
    }

    /// The respondent column, if any.
    #[getter]
    fn respondent_column(&self) -> Option<String> {
        self.inner.respondent_column().map(str::to_owned)
    }

    /// The period column, if any.
    #[getter]
    fn period_column(&self) -> Option<String> {
        self.inner.period_column().map(str::to_owned)
    }

    /// The ignored names and patterns.
    #[getter]
    fn ignored(&self) -> Vec<String> {
        self.inner.ignored().to_vec()
    }

    /// The explicit question map, `[(column or number, leaf)]`.
    #[getter]
    fn questions(&self) -> Vec<(String, String)> {
        self.inner.questions().to_vec()
    }

    /// The grades.
    #[getter]
    fn grades(&self) -> PyGradeSet {
        PyGradeSet {
            inner: self.inner.grades().clone(),
        }
    }

    /// Each grade's aliases.
    #[getter]
    fn aliases(&self) -> Vec<Vec<String>> {
        self.inner.aliases().to_vec()
    }

    /// The "no answer" tokens.
    #[getter]
    fn no_answer(&self) -> Vec<String> {
        self.inner.no_answer().to_vec()
    }

    /// The code scale `(best, worst)`, if declared.
    #[getter]
    fn codes(&self) -> Option<(i64, i64)> {
        self.inner.codes().map(|c| (c.best(), c.worst()))
    }

    /// The text encoding's name.
    #[getter]
    fn encoding(&self) -> String {
        self.inner.encoding().to_string()
    }

    /// The delimiter, if set.
    #[getter]
    fn delimiter(&self) -> Option<String> {
        self.inner.delimiter().map(|d| char::from(d).to_string())
    }

    /// The sheet, if set.
    #[getter]
    fn sheet(&self) -> Option<String> {
        self.inner.sheet().map(str::to_owned)
    }

    /// `"stop"` or `"skip"`.
    #[getter]
    fn on_bad_row(&self) -> &'static str {
        match self.inner.on_bad_row() {
            OnBadRow::Skip => "skip",
            _ => "stop",
        }
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        format!(
            "SurveyLayout(merchant_column={:?}, questions={:?})",
            self.inner.merchant_column(),
            self.inner.questions()
        )
    }
}

/// A bad-row policy from its name.
fn on_bad_row(name: &str) -> PyResult<OnBadRow> {
    match name {
        "stop" => Ok(OnBadRow::Stop),
        "skip" => Ok(OnBadRow::Skip),
        other => Err(argument_error(
            format!("on_bad_row: unknown policy {other:?}; expected \"stop\" or \"skip\""),
            "UnknownName",
        )),
    }
}

/// An export given as its bytes or a path.
pub(crate) enum Export {
    /// The file's content.
    Bytes(Vec<u8>),
    /// A file (a path ending in `.xlsx` is read as a workbook).
    Path(PathBuf),
}

impl Export {
    /// `bytes` (the content) or a path (str or PathLike).
    pub(crate) fn of(source: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(b) = source.cast::<pyo3::types::PyBytes>() {
            return Ok(Self::Bytes(b.as_bytes().to_vec()));
        }
        source.extract::<PathBuf>().map(Self::Path).map_err(|_| {
            argument_error(
                "source: expected the export's bytes or a path".into(),
                "BadValue",
            )
        })
    }

    /// Reads the export with `bytes` or `file`.
    pub(crate) fn read<T>(
        self,
        bytes: impl FnOnce(&[u8]) -> Result<CsvRead<T>, Error>,
        file: impl FnOnce(&std::path::Path) -> Result<CsvRead<T>, Error>,
    ) -> Result<CsvRead<T>, Error> {
        match self {
            Self::Bytes(b) => bytes(&b),
            Self::Path(p) => file(&p),
        }
    }
}

/// The answer counts of a questionnaire export per merchant, indicator and grade, tallied in
/// one streaming pass (memory grows with merchants, not rows).
///
/// `SurveyCounts.read(source, tree, layout, parallel=False)`: `source` is the export's bytes
/// or a path (CSV in UTF-8, GBK / GB18030 or UTF-16, detected or declared by the layout; a
/// path ending in `.xlsx` is read as a workbook). `counts` is a uint32 array `(merchants, leaves, grades)` in `tree.leaf_ids` order (leaves
/// without a column have no answers), ready for `BatchScorer.score_counts`; `missing` is
/// `(merchants, leaves)` and `respondents` `(merchants,)`. Reading stops at the first bad row
/// and raises its error (with the line) unless the layout says `on_bad_row="skip"`.
#[pyclass(name = "SurveyCounts", module = "service_quality", frozen)]
pub(crate) struct PySurveyCounts {
    inner: SurveyCounts,
    rows_read: usize,
    skipped: Vec<Py<PyAny>>,
}

#[pymethods]
impl PySurveyCounts {
    /// Tallies an export (bytes or a path) with `layout`; `parallel=True` splits the work
    /// across threads (same result). The GIL is released while reading.
    #[staticmethod]
    #[pyo3(signature = (source, tree, layout, parallel=false))]
    fn read(
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        tree: &PyIndicatorTree,
        layout: &PySurveyLayout,
        parallel: bool,
    ) -> PyResult<Self> {
        let export = Export::of(source)?;
        let (t, l) = (&*tree.inner, &layout.inner);
        let read = py
            .detach(|| {
                export.read(
                    |b| {
                        if parallel {
                            SurveyCounts::read_parallel(b, t, l)
                        } else {
                            SurveyCounts::read(b, t, l)
                        }
                    },
                    |p| SurveyCounts::read_file(p, t, l),
                )
            })
            .py()?;
        let (inner, rows_read, skipped) = finish(py, read)?;
        Ok(Self {
            inner,
            rows_read,
            skipped,
        })
    }

    /// The tree's leaves, in the order of the counts' second axis.
    #[getter]
    fn leaf_ids(&self) -> Vec<String> {
        self.inner.leaf_ids().to_vec()
    }

    /// The leaves that had a column in the export.
    #[getter]
    fn answered_leaves(&self) -> Vec<String> {
        self.inner.answered_leaves().to_vec()
    }

    /// The grades (the layout's).
    #[getter]
    fn grades(&self) -> PyGradeSet {
        PyGradeSet {
            inner: self.inner.grades().clone(),
        }
    }

    /// The merchants, in order of first row.
    #[getter]
    fn merchants(&self) -> Vec<String> {
        self.inner.merchants().to_vec()
    }

    /// Answer counts, uint32 `(merchants, leaves, grades)` (a copy).
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyArray1::from_slice(py, self.inner.counts()).call_method1(
            "reshape",
            (
                self.inner.merchants().len(),
                self.inner.leaf_ids().len(),
                self.inner.grades().len(),
            ),
        )
    }

    /// Missing answers, uint32 `(merchants, leaves)`.
    #[getter]
    fn missing<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyArray1::from_slice(py, self.inner.missing()).call_method1(
            "reshape",
            (self.inner.merchants().len(), self.inner.leaf_ids().len()),
        )
    }

    /// Respondents per merchant, uint32.
    #[getter]
    fn respondents<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        PyArray1::from_slice(py, self.inner.respondents())
    }

    /// Number of data rows read.
    #[getter]
    fn rows_read(&self) -> usize {
        self.rows_read
    }

    /// The errors of the rows skipped, as exception objects naming their line.
    #[getter]
    fn skipped(&self, py: Python<'_>) -> Vec<Py<PyAny>> {
        self.skipped.iter().map(|e| e.clone_ref(py)).collect()
    }

    fn __len__(&self) -> usize {
        self.inner.merchants().len()
    }

    fn __repr__(&self) -> String {
        format!(
            "SurveyCounts(merchants={}, leaves={}, grades={})",
            self.inner.merchants().len(),
            self.inner.leaf_ids().len(),
            self.inner.grades().len()
        )
    }
}
