//! Merchants' data: survey answers and KPI measurements (from CSV files, CSV text or pandas
//! DataFrames) tallied into grade memberships per indicator.

use std::io::Read;
use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use service_quality::input::{CsvOptions, CsvRead, Direction, GradeNumbers, KpiScale, OnBadRow};
use service_quality::{Error, IndicatorMemberships, KpiModel, KpiTally, Survey};

use crate::convert::{argument_error, from_name};
use crate::errors::{exception, OrRaise};
use crate::model::{PyGradeSet, PyIndicatorTree};

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySurvey>()?;
    m.add_class::<PyKpiModel>()?;
    m.add_class::<PyKpiTally>()?;
    m.add_class::<PyMemberships>()?;
    Ok(())
}

/// The CSV reader options from keyword arguments (the names of `CsvOptions`'s settings).
#[allow(clippy::too_many_arguments)]
fn csv_options(
    merchant_column: &str,
    case_column: &str,
    class_column: &str,
    ignored_columns: Vec<String>,
    on_bad_row: &str,
    delimiter: &str,
    grade_numbers: &str,
) -> PyResult<CsvOptions> {
    let on_bad_row = match on_bad_row {
        "stop" => OnBadRow::Stop,
        "skip" => OnBadRow::Skip,
        other => {
            return Err(argument_error(
                format!("on_bad_row: unknown policy {other:?}; expected \"stop\" or \"skip\""),
                "UnknownName",
            ))
        }
    };
    let grade_numbers = match grade_numbers {
        "position" => GradeNumbers::Position,
        "value" => GradeNumbers::Value,
        other => {
            return Err(argument_error(
                format!(
                    "grade_numbers: unknown reading {other:?}; expected \"position\" or \"value\""
                ),
                "UnknownName",
            ))
        }
    };
    let delimiter = match delimiter.as_bytes() {
        [b] if b.is_ascii() => *b,
        _ => {
            return Err(argument_error(
                format!("delimiter: expected one ASCII character, got {delimiter:?}"),
                "BadValue",
            ))
        }
    };
    let mut opts = CsvOptions::new()
        .with_merchant_column(merchant_column)
        .with_case_column(case_column)
        .with_class_column(class_column)
        .with_on_bad_row(on_bad_row)
        .with_delimiter(delimiter)
        .with_grade_numbers(grade_numbers);
    for column in ignored_columns {
        opts = opts.with_ignored_column(column);
    }
    Ok(opts)
}

/// Where CSV text comes from.
enum Source {
    Path(PathBuf),
    Text(String),
}

impl Source {
    fn read<T>(
        self,
        read: impl FnOnce(Box<dyn Read>) -> Result<CsvRead<T>, Error>,
    ) -> PyResult<CsvRead<T>> {
        let reader: Box<dyn Read> = match self {
            Self::Path(path) => Box::new(std::fs::File::open(&path).map_err(|e| {
                argument_error(format!("cannot open {}: {e}", path.display()), "Io")
            })?),
            Self::Text(text) => Box::new(std::io::Cursor::new(text.into_bytes())),
        };
        read(reader).py()
    }
}

/// CSV text of a pandas DataFrame, as `service_quality._frames.dataframe_to_csv` writes it.
fn frame_text(frame: &Bound<'_, PyAny>, delimiter: &str) -> PyResult<String> {
    frame
        .py()
        .import("service_quality._frames")?
        .call_method1("dataframe_to_csv", (frame, delimiter))?
        .extract()
}

/// The read's data, or the error of the row where it stopped; the skipped rows' errors as
/// exception objects.
pub(crate) fn finish<T>(py: Python<'_>, read: CsvRead<T>) -> PyResult<(T, usize, Vec<Py<PyAny>>)> {
    if let Some(e) = read.stopped() {
        return Err(crate::errors::to_py_err(e));
    }
    let skipped = read
        .skipped()
        .iter()
        .map(|e| exception(py, e).map(Bound::unbind))
        .collect::<PyResult<Vec<_>>>()?;
    let rows = read.rows_read();
    let data = read
        .into_result()
        .map_err(|e| crate::errors::to_py_err(&e))?;
    Ok((data, rows, skipped))
}

/// Survey answers tallied per merchant and indicator: one row per respondent, a merchant
/// column, one column per indicator (leaf id of the tree), cells holding a grade's English or
/// Chinese label or its 1-based position (or value, with `grade_numbers="value"`); empty or
/// missing cells are missing answers.
///
/// Read with `Survey.from_csv(path, tree, ...)`, `Survey.from_csv_text(text, tree, ...)` or
/// `Survey.from_dataframe(df, tree, ...)`; or build with `Survey(indicators, grades)` and
/// `add_response`. Reading stops at the first bad row and raises its error (`CsvError` with
/// the line) unless `on_bad_row="skip"`, which records the row in `skipped`. For a DataFrame,
/// line L is row L - 2 of the frame (line 1 is the header).
#[pyclass(name = "Survey", module = "service_quality")]
pub(crate) struct PySurvey {
    inner: Survey,
    rows_read: usize,
    skipped: Vec<Py<PyAny>>,
}

impl PySurvey {
    #[allow(clippy::too_many_arguments)]
    fn read(
        py: Python<'_>,
        source: Source,
        tree: &PyIndicatorTree,
        grades: Option<&PyGradeSet>,
        merchant_column: &str,
        ignored_columns: Vec<String>,
        on_bad_row: &str,
        delimiter: &str,
        grade_numbers: &str,
    ) -> PyResult<Self> {
        let opts = csv_options(
            merchant_column,
            "case",
            "class",
            ignored_columns,
            on_bad_row,
            delimiter,
            grade_numbers,
        )?;
        let grades = grades.map_or_else(service_quality::GradeSet::satisfaction_5, |g| {
            g.inner.clone()
        });
        let read = source.read(|r| Survey::from_csv(r, &tree.inner, grades, &opts))?;
        let (inner, rows_read, skipped) = finish(py, read)?;
        Ok(Self {
            inner,
            rows_read,
            skipped,
        })
    }
}

#[pymethods]
impl PySurvey {
    /// An empty survey over these indicator ids (`add_response` fills it).
    #[new]
    #[pyo3(signature = (indicators, grades=None))]
    fn new(indicators: Vec<String>, grades: Option<&PyGradeSet>) -> PyResult<Self> {
        let grades = grades.map_or_else(service_quality::GradeSet::satisfaction_5, |g| {
            g.inner.clone()
        });
        Ok(Self {
            inner: Survey::new(indicators, grades).py()?,
            rows_read: 0,
            skipped: Vec::new(),
        })
    }

    /// Reads a survey CSV file (see the class docs); `grades` defaults to
    /// `GradeSet.satisfaction_5()`.
    #[staticmethod]
    #[pyo3(signature = (path, tree, grades=None, *, merchant_column="merchant", ignored_columns=Vec::new(), on_bad_row="stop", delimiter=",", grade_numbers="position"))]
    #[allow(clippy::too_many_arguments)]
    fn from_csv(
        py: Python<'_>,
        path: PathBuf,
        tree: &PyIndicatorTree,
        grades: Option<&PyGradeSet>,
        merchant_column: &str,
        ignored_columns: Vec<String>,
        on_bad_row: &str,
        delimiter: &str,
        grade_numbers: &str,
    ) -> PyResult<Self> {
        Self::read(
            py,
            Source::Path(path),
            tree,
            grades,
            merchant_column,
            ignored_columns,
            on_bad_row,
            delimiter,
            grade_numbers,
        )
    }

    /// Reads survey answers from CSV text (see `from_csv`).
    #[staticmethod]
    #[pyo3(signature = (text, tree, grades=None, *, merchant_column="merchant", ignored_columns=Vec::new(), on_bad_row="stop", delimiter=",", grade_numbers="position"))]
    #[allow(clippy::too_many_arguments)]
    fn from_csv_text(
        py: Python<'_>,
        text: String,
        tree: &PyIndicatorTree,
        grades: Option<&PyGradeSet>,
        merchant_column: &str,
        ignored_columns: Vec<String>,
        on_bad_row: &str,
        delimiter: &str,
        grade_numbers: &str,
    ) -> PyResult<Self> {
        Self::read(
            py,
            Source::Text(text),
            tree,
            grades,
            merchant_column,
            ignored_columns,
            on_bad_row,
            delimiter,
            grade_numbers,
        )
    }

    /// Reads survey answers from a pandas DataFrame with the columns of a survey file (see
    /// `from_csv`; the index is not read). Whole-number float columns (integers with NaN for
    /// missing answers) are read as integers.
    #[staticmethod]
    #[pyo3(signature = (frame, tree, grades=None, *, merchant_column="merchant", ignored_columns=Vec::new(), on_bad_row="stop", grade_numbers="position"))]
    #[allow(clippy::too_many_arguments)]
    fn from_dataframe(
        py: Python<'_>,
        frame: &Bound<'_, PyAny>,
        tree: &PyIndicatorTree,
        grades: Option<&PyGradeSet>,
        merchant_column: &str,
        ignored_columns: Vec<String>,
        on_bad_row: &str,
        grade_numbers: &str,
    ) -> PyResult<Self> {
        Self::read(
            py,
            Source::Text(frame_text(frame, ",")?),
            tree,
            grades,
            merchant_column,
            ignored_columns,
            on_bad_row,
            ",",
            grade_numbers,
        )
    }

    /// Reads a questionnaire export with a `SurveyLayout`: `source` is the export's bytes or
    /// a path (CSV in UTF-8, GBK / GB18030 or UTF-16, detected or declared by the layout; a
    /// path ending in `.xlsx` is read as a workbook, the layout's sheet or the first). The
    /// grades are the layout's. Stops at the first bad row (raising its error) unless the
    /// layout says `on_bad_row="skip"`.
    #[staticmethod]
    fn from_layout(
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        tree: &PyIndicatorTree,
        layout: &crate::intake::PySurveyLayout,
    ) -> PyResult<Self> {
        let export = crate::intake::Export::of(source)?;
        let (t, l) = (&*tree.inner, &layout.inner);
        let read = py
            .detach(|| {
                export.read(
                    |b| Survey::read_with_layout(b, t, l),
                    |p| Survey::read_file(p, t, l),
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

    /// Adds one respondent's answers about `merchant`: a 0-based grade index or None per
    /// indicator, in the survey's indicator order.
    fn add_response(&mut self, merchant: &str, answers: Vec<Option<usize>>) -> PyResult<()> {
        self.inner.add_response(merchant, &answers).py()
    }

    /// The indicator ids, in column order.
    #[getter]
    fn indicators(&self) -> Vec<String> {
        self.inner.indicators().to_vec()
    }

    /// The merchants, in order of their first response.
    #[getter]
    pub(crate) fn merchant_names(&self) -> Vec<String> {
        self.inner.merchant_names().map(str::to_owned).collect()
    }

    /// Number of respondents (rows) taken in.
    #[getter]
    fn respondents(&self) -> usize {
        self.inner.respondents()
    }

    /// Number of data rows read from the file (0 for a survey built by hand).
    #[getter]
    fn rows_read(&self) -> usize {
        self.rows_read
    }

    /// The errors of the rows skipped (blank rows, and bad rows with `on_bad_row="skip"`), as
    /// exception objects naming their line.
    #[getter]
    fn skipped(&self, py: Python<'_>) -> Vec<Py<PyAny>> {
        self.skipped.iter().map(|e| e.clone_ref(py)).collect()
    }

    /// The answer counts of one merchant: `{indicator: [count per grade]}` and the missing
    /// answers per indicator, as `{"counts": ..., "missing": ..., "respondents": n}`.
    fn tally<'py>(&self, py: Python<'py>, merchant: &str) -> PyResult<Bound<'py, PyDict>> {
        let tally = self
            .inner
            .merchants()
            .iter()
            .find(|t| t.merchant() == merchant)
            .ok_or_else(|| {
                crate::errors::to_py_err(&Error::Input(
                    service_quality::InputError::UnknownMerchant {
                        merchant: merchant.to_owned(),
                    },
                ))
            })?;
        let counts = PyDict::new(py);
        let missing = PyDict::new(py);
        for (i, id) in self.inner.indicators().iter().enumerate() {
            counts.set_item(id, tally.counts(i).map(<[usize]>::to_vec))?;
            missing.set_item(id, tally.missing().get(i).copied())?;
        }
        let d = PyDict::new(py);
        d.set_item("counts", counts)?;
        d.set_item("missing", missing)?;
        d.set_item("respondents", tally.respondents())?;
        Ok(d)
    }

    /// The grade memberships of one merchant (raises `InputError` for an unknown merchant).
    pub(crate) fn memberships(&self, merchant: &str) -> PyResult<PyMemberships> {
        Ok(PyMemberships {
            inner: self.inner.memberships(merchant).py()?,
        })
    }

    fn __len__(&self) -> usize {
        self.inner.merchants().len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Survey(merchants={}, respondents={}, indicators={})",
            self.inner.merchants().len(),
            self.inner.respondents(),
            self.inner.indicators().len()
        )
    }
}

/// Membership functions of measured KPIs (times, rates) per indicator and class of case.
///
/// KpiModel(grades=None) has no scale; `with_scale(indicator, case_class, breakpoints,
/// direction="smaller_is_better")` returns the model with one more (one breakpoint per grade,
/// best grade first: increasing for `"smaller_is_better"`, decreasing for
/// `"larger_is_better"`).
#[pyclass(name = "KpiModel", module = "service_quality", frozen)]
#[derive(Clone)]
pub(crate) struct PyKpiModel {
    inner: KpiModel,
}

#[pymethods]
impl PyKpiModel {
    #[new]
    #[pyo3(signature = (grades=None))]
    fn new(grades: Option<&PyGradeSet>) -> Self {
        let grades = grades.map_or_else(service_quality::GradeSet::satisfaction_5, |g| {
            g.inner.clone()
        });
        Self {
            inner: KpiModel::new(&grades),
        }
    }

    /// The model with the scale of `indicator` for cases of `case_class` added (or replaced).
    #[pyo3(signature = (indicator, case_class, breakpoints, direction="smaller_is_better"))]
    fn with_scale(
        &self,
        indicator: &str,
        case_class: &str,
        breakpoints: Vec<f64>,
        direction: &str,
    ) -> PyResult<Self> {
        let direction: Direction = from_name(
            direction,
            "KPI direction",
            "\"smaller_is_better\" or \"larger_is_better\"",
        )?;
        let scale = KpiScale::new(direction, breakpoints).py()?;
        Ok(Self {
            inner: self
                .inner
                .clone()
                .with_scale(indicator, case_class, scale)
                .py()?,
        })
    }

    /// The membership of one measurement in each grade under the scale of `indicator` for
    /// `case_class`.
    fn membership(&self, indicator: &str, case_class: &str, value: f64) -> PyResult<Vec<f64>> {
        let scale = self.inner.get(indicator, case_class).ok_or_else(|| {
            argument_error(
                format!("no scale for indicator `{indicator}` in cases of class `{case_class}`"),
                "UnknownScale",
            )
        })?;
        scale.membership(value).py()
    }

    /// The indicators with at least one scale.
    #[getter]
    fn indicators(&self) -> Vec<String> {
        self.inner
            .indicators()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    fn __repr__(&self) -> String {
        format!("KpiModel(indicators={:?})", self.inner.indicators())
    }
}

/// KPI measurements tallied per merchant: one row per case with the merchant, the case id, its
/// class and one column per measured indicator (empty = not measured).
///
/// Read with `KpiTally.from_csv(path, model, ...)`, `from_csv_text` or `from_dataframe`; or
/// build with `KpiTally(model)` and `add_case`.
#[pyclass(name = "KpiTally", module = "service_quality")]
pub(crate) struct PyKpiTally {
    inner: KpiTally,
    rows_read: usize,
    skipped: Vec<Py<PyAny>>,
}

impl PyKpiTally {
    #[allow(clippy::too_many_arguments)]
    fn read(
        py: Python<'_>,
        source: Source,
        model: &PyKpiModel,
        merchant_column: &str,
        case_column: &str,
        class_column: &str,
        ignored_columns: Vec<String>,
        on_bad_row: &str,
        delimiter: &str,
    ) -> PyResult<Self> {
        let opts = csv_options(
            merchant_column,
            case_column,
            class_column,
            ignored_columns,
            on_bad_row,
            delimiter,
            "position",
        )?;
        let model = model.inner.clone();
        let read = source.read(|r| KpiTally::from_csv(r, model, &opts))?;
        let (inner, rows_read, skipped) = finish(py, read)?;
        Ok(Self {
            inner,
            rows_read,
            skipped,
        })
    }
}

#[pymethods]
impl PyKpiTally {
    /// An empty tally over the model's indicators (`add_case` fills it).
    #[new]
    fn new(model: &PyKpiModel) -> Self {
        Self {
            inner: KpiTally::new(model.inner.clone()),
            rows_read: 0,
            skipped: Vec::new(),
        }
    }

    /// Reads a KPI CSV file (columns merchant, case, class and the measured indicators).
    #[staticmethod]
    #[pyo3(signature = (path, model, *, merchant_column="merchant", case_column="case", class_column="class", ignored_columns=Vec::new(), on_bad_row="stop", delimiter=","))]
    #[allow(clippy::too_many_arguments)]
    fn from_csv(
        py: Python<'_>,
        path: PathBuf,
        model: &PyKpiModel,
        merchant_column: &str,
        case_column: &str,
        class_column: &str,
        ignored_columns: Vec<String>,
        on_bad_row: &str,
        delimiter: &str,
    ) -> PyResult<Self> {
        Self::read(
            py,
            Source::Path(path),
            model,
            merchant_column,
            case_column,
            class_column,
            ignored_columns,
            on_bad_row,
            delimiter,
        )
    }

    /// Reads KPI measurements from CSV text (see `from_csv`).
    #[staticmethod]
    #[pyo3(signature = (text, model, *, merchant_column="merchant", case_column="case", class_column="class", ignored_columns=Vec::new(), on_bad_row="stop", delimiter=","))]
    #[allow(clippy::too_many_arguments)]
    fn from_csv_text(
        py: Python<'_>,
        text: String,
        model: &PyKpiModel,
        merchant_column: &str,
        case_column: &str,
        class_column: &str,
        ignored_columns: Vec<String>,
        on_bad_row: &str,
        delimiter: &str,
    ) -> PyResult<Self> {
        Self::read(
            py,
            Source::Text(text),
            model,
            merchant_column,
            case_column,
            class_column,
            ignored_columns,
            on_bad_row,
            delimiter,
        )
    }

    /// Reads KPI measurements from a pandas DataFrame with the columns of a KPI file (see
    /// `from_csv`; the index is not read). Line L of an error is row L - 2 of the frame.
    #[staticmethod]
    #[pyo3(signature = (frame, model, *, merchant_column="merchant", case_column="case", class_column="class", ignored_columns=Vec::new(), on_bad_row="stop"))]
    #[allow(clippy::too_many_arguments)]
    fn from_dataframe(
        py: Python<'_>,
        frame: &Bound<'_, PyAny>,
        model: &PyKpiModel,
        merchant_column: &str,
        case_column: &str,
        class_column: &str,
        ignored_columns: Vec<String>,
        on_bad_row: &str,
    ) -> PyResult<Self> {
        Self::read(
            py,
            Source::Text(frame_text(frame, ",")?),
            model,
            merchant_column,
            case_column,
            class_column,
            ignored_columns,
            on_bad_row,
            ",",
        )
    }

    /// Adds one case: a measurement or None per indicator of the model (`indicators` order).
    fn add_case(
        &mut self,
        merchant: &str,
        case: &str,
        case_class: &str,
        values: Vec<Option<f64>>,
    ) -> PyResult<()> {
        self.inner
            .add_case(merchant, case, case_class, &values)
            .py()
    }

    /// The indicators of the model, in the order `add_case` takes them.
    #[getter]
    fn indicators(&self) -> Vec<String> {
        self.inner.indicators().to_vec()
    }

    /// The merchants, in order of their first case.
    #[getter]
    fn merchant_names(&self) -> Vec<String> {
        self.inner.merchant_names().map(str::to_owned).collect()
    }

    /// Number of data rows read from the file.
    #[getter]
    fn rows_read(&self) -> usize {
        self.rows_read
    }

    /// The errors of the rows skipped, as exception objects naming their line.
    #[getter]
    fn skipped(&self, py: Python<'_>) -> Vec<Py<PyAny>> {
        self.skipped.iter().map(|e| e.clone_ref(py)).collect()
    }

    /// The grade memberships of one merchant (mean membership over its measured cases).
    pub(crate) fn memberships(&self, merchant: &str) -> PyResult<PyMemberships> {
        Ok(PyMemberships {
            inner: self.inner.memberships(merchant).py()?,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "KpiTally(merchants={}, indicators={:?})",
            self.inner.merchant_names().count(),
            self.inner.indicators()
        )
    }
}

/// One merchant's data: a membership row (one value in [0, 1] per grade) per indicator, with
/// the numbers of observed and missing answers or cases.
///
/// Memberships(grades=None) is empty; fill it with `insert` / `insert_unobserved`, or get it
/// from `Survey.memberships` / `KpiTally.memberships` and combine with `merge`.
#[pyclass(name = "Memberships", module = "service_quality")]
#[derive(Clone)]
pub(crate) struct PyMemberships {
    pub(crate) inner: IndicatorMemberships,
}

#[pymethods]
impl PyMemberships {
    #[new]
    #[pyo3(signature = (grades=None))]
    fn new(grades: Option<&PyGradeSet>) -> Self {
        let grades = grades.map_or_else(service_quality::GradeSet::satisfaction_5, |g| {
            g.inner.clone()
        });
        Self {
            inner: IndicatorMemberships::new(&grades),
        }
    }

    /// Adds an indicator's membership row, observed from `observed` answers with `missing`
    /// more missing.
    #[pyo3(signature = (indicator, row, observed, missing=0))]
    fn insert(
        &mut self,
        indicator: &str,
        row: Vec<f64>,
        observed: usize,
        missing: usize,
    ) -> PyResult<()> {
        self.inner.insert(indicator, row, observed, missing).py()
    }

    /// Adds an indicator with no answer at all (`missing` answers missing).
    #[pyo3(signature = (indicator, missing=0))]
    fn insert_unobserved(&mut self, indicator: &str, missing: usize) -> PyResult<()> {
        self.inner.insert_unobserved(indicator, missing).py()
    }

    /// Adds every indicator of `other` (KPI rows to survey rows, say); nothing is added when
    /// an indicator is in both.
    pub(crate) fn merge(&mut self, other: &PyMemberships) -> PyResult<()> {
        self.inner.merge(other.inner.clone()).py()
    }

    /// Number of grades per row.
    #[getter]
    fn n_grades(&self) -> usize {
        self.inner.n_grades()
    }

    /// The indicator ids, in insertion order.
    #[getter]
    fn indicators(&self) -> Vec<String> {
        self.inner
            .rows()
            .iter()
            .map(|r| r.id().to_owned())
            .collect()
    }

    /// `{indicator: {"row": [...] or None, "observed": n, "missing": n}}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for r in self.inner.rows() {
            let e = PyDict::new(py);
            e.set_item("row", r.row().map(<[f64]>::to_vec))?;
            e.set_item("observed", r.observed())?;
            e.set_item("missing", r.missing())?;
            d.set_item(r.id(), e)?;
        }
        Ok(d)
    }

    /// The rows as a pandas DataFrame: one row per indicator, one column per grade (NaN for
    /// an unobserved indicator), plus `observed` and `missing`.
    #[pyo3(signature = (grades=None))]
    fn to_frame<'py>(
        &self,
        py: Python<'py>,
        grades: Option<&PyGradeSet>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let m = self.inner.n_grades();
        let columns: Vec<String> = match grades {
            Some(g) if g.inner.len() == m => g
                .inner
                .grades()
                .iter()
                .map(|g| g.label().to_owned())
                .collect(),
            _ => (0..m).map(|j| format!("grade_{j}")).collect(),
        };
        let records = PyList::empty(py);
        for r in self.inner.rows() {
            let e = PyDict::new(py);
            e.set_item("indicator", r.id())?;
            for (j, c) in columns.iter().enumerate() {
                e.set_item(
                    c,
                    r.row()
                        .and_then(|row| row.get(j).copied())
                        .unwrap_or(f64::NAN),
                )?;
            }
            e.set_item("observed", r.observed())?;
            e.set_item("missing", r.missing())?;
            records.append(e)?;
        }
        let frame = py
            .import("pandas")?
            .getattr("DataFrame")?
            .call1((records,))?;
        frame.call_method1("set_index", ("indicator",))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Memberships(indicators={:?}, grades={})",
            self.indicators(),
            self.inner.n_grades()
        )
    }
}
