//! The evaluator (operators per level, the policy for unanswered indicators) and the report of
//! a merchant, as an object, a dict or pandas DataFrames.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use service_quality::report::ReportLine;
use service_quality::{EvaluationReport, Evaluator, FuzzyOperator, Language, Unanswered};

use crate::convert::{from_name, to_py};
use crate::errors::OrRaise;
use crate::input::{PyKpiTally, PyMemberships, PySurvey};
use crate::model::{PyGradeSet, PyIndicatorTree};

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEvaluator>()?;
    m.add_class::<PyReport>()?;
    m.add("FUZZY_OPERATORS", OPERATOR_NAMES.to_vec())?;
    Ok(())
}

/// The composition operators by name.
const OPERATOR_NAMES: [&str; 4] = [
    "weighted_average",
    "zadeh_max_min",
    "product_max",
    "bounded_sum",
];

fn operator(name: &str) -> PyResult<FuzzyOperator> {
    from_name(
        name,
        "fuzzy operator",
        &format!("one of {}", OPERATOR_NAMES.join(", ")),
    )
}

/// Multi-level fuzzy comprehensive evaluation over an indicator tree and a grade set.
///
/// `grades` defaults to `GradeSet.satisfaction_5()`. `operator` composes every level:
/// `"weighted_average"` M(·,+), `"zadeh_max_min"` M(∧,∨), `"product_max"` M(·,∨),
/// `"bounded_sum"` M(∧,⊕); `level_operators` = `{depth: name}` overrides it per level (0 = the
/// goal). `unanswered`: `"reject"` raises `EvaluationError` for an indicator without any
/// answer; `"exclude"` leaves it out and renormalises its siblings' weights.
#[pyclass(name = "Evaluator", module = "service_quality", frozen)]
pub(crate) struct PyEvaluator {
    pub(crate) inner: Evaluator,
}

#[pymethods]
impl PyEvaluator {
    #[new]
    #[pyo3(signature = (tree, grades=None, operator="weighted_average", level_operators=None, unanswered="reject"))]
    fn new(
        tree: &PyIndicatorTree,
        grades: Option<&PyGradeSet>,
        operator: &str,
        level_operators: Option<std::collections::BTreeMap<usize, String>>,
        unanswered: &str,
    ) -> PyResult<Self> {
        let grades = grades.map_or_else(service_quality::GradeSet::satisfaction_5, |g| {
            g.inner.clone()
        });
        let policy: Unanswered = from_name(unanswered, "unanswered", "\"reject\" or \"exclude\"")?;
        let mut inner = Evaluator::new(tree.inner.clone(), grades)
            .operator(self::operator(operator)?)
            .unanswered(policy);
        for (depth, name) in level_operators.unwrap_or_default() {
            inner = inner.level_operator(depth, self::operator(&name)?);
        }
        Ok(Self { inner })
    }

    /// The tree evaluated.
    #[getter]
    fn tree(&self) -> PyIndicatorTree {
        PyIndicatorTree {
            inner: std::sync::Arc::new(self.inner.tree().clone()),
        }
    }

    /// The grade set.
    #[getter]
    fn grades(&self) -> PyGradeSet {
        PyGradeSet {
            inner: self.inner.grades().clone(),
        }
    }

    /// The operator's name at `depth` (0 = the goal).
    fn operator_at(&self, depth: usize) -> String {
        let op = self.inner.operator_at(depth);
        serde_json::to_value(op)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| op.notation().to_owned())
    }

    /// The full evaluation of one merchant's data as a dict: every node's id, path, depth,
    /// composed `B` (raw and normalised), grade, score, weights used, observed and missing
    /// answers, and the excluded indicators.
    fn evaluate<'py>(&self, py: Python<'py>, data: &PyMemberships) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.evaluate(&data.inner).py()?)
    }

    /// The report of one merchant.
    fn report(&self, merchant: &str, data: &PyMemberships) -> PyResult<PyReport> {
        Ok(PyReport {
            inner: self.inner.report(merchant, &data.inner).py()?,
        })
    }

    /// The reports of every merchant of a survey, in the survey's order, with each merchant's
    /// KPI rows merged in when `kpi` is given (a merchant without KPI cases raises
    /// `InputError`, as a merchant with data missing would in the single evaluation).
    #[pyo3(signature = (survey, kpi=None))]
    fn report_all(&self, survey: &PySurvey, kpi: Option<&PyKpiTally>) -> PyResult<Vec<PyReport>> {
        survey
            .merchant_names()
            .iter()
            .map(|merchant| {
                let mut data = survey.memberships(merchant)?;
                if let Some(kpi) = kpi {
                    data.merge(&kpi.memberships(merchant)?)?;
                }
                self.report(merchant, &data)
            })
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Evaluator(tree={:?}, grades={}, operator={:?})",
            self.inner.tree().root().id(),
            self.inner.grades().len(),
            self.operator_at(0)
        )
    }
}

/// One merchant's evaluation: the overall result, each dimension's and each indicator's
/// memberships, grade, score, weight and shortfall (weight x gap to the best grade's value).
#[pyclass(name = "Report", module = "service_quality", frozen)]
pub(crate) struct PyReport {
    pub(crate) inner: EvaluationReport,
}

/// A report line as a flat dict, with one column per grade for the memberships.
fn line_dict<'py>(
    py: Python<'py>,
    report: &EvaluationReport,
    line: &ReportLine,
    level: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("merchant", report.merchant())?;
    d.set_item("level", level)?;
    d.set_item("id", line.id())?;
    d.set_item("path", line.path())?;
    d.set_item("label", line.label())?;
    d.set_item("label_zh", line.label_zh())?;
    d.set_item("weight", line.weight())?;
    d.set_item("score", line.score())?;
    d.set_item("grade", line.grade())?;
    d.set_item(
        "grade_label",
        report.grade_label(line.grade(), Language::En),
    )?;
    for (grade, r) in report.grades().grades().iter().zip(line.memberships()) {
        d.set_item(grade.label(), *r)?;
    }
    d.set_item("observed", line.observed())?;
    d.set_item("missing", line.missing())?;
    d.set_item("shortfall", line.shortfall())?;
    Ok(d)
}

fn frame<'py>(py: Python<'py>, records: Bound<'py, PyList>) -> PyResult<Bound<'py, PyAny>> {
    py.import("pandas")?.getattr("DataFrame")?.call1((records,))
}

#[pymethods]
impl PyReport {
    /// The merchant.
    #[getter]
    fn merchant(&self) -> String {
        self.inner.merchant().to_owned()
    }

    /// The overall score.
    #[getter]
    fn score(&self) -> f64 {
        self.inner.overall().score()
    }

    /// The overall grade (0-based index into the grade set, maximum membership).
    #[getter]
    fn grade(&self) -> usize {
        self.inner.overall().grade()
    }

    /// The overall memberships `B` (normalised).
    #[getter]
    fn memberships(&self) -> Vec<f64> {
        self.inner.overall().memberships().to_vec()
    }

    /// The indicators excluded for want of answers (with `unanswered="exclude"`).
    #[getter]
    fn excluded(&self) -> Vec<String> {
        self.inner.excluded().to_vec()
    }

    /// The label of grade `index` in `language` (`"en"` or `"zh"`).
    #[pyo3(signature = (index=None, language="en"))]
    fn grade_label(&self, index: Option<usize>, language: &str) -> PyResult<String> {
        let index = index.unwrap_or_else(|| self.inner.overall().grade());
        Ok(self
            .inner
            .grade_label(index, crate::convert::language(language)?)
            .to_owned())
    }

    /// Id of the dimension with the largest shortfall (None for a tree without dimensions).
    #[getter]
    fn weakest_dimension(&self) -> Option<String> {
        self.inner.weakest_dimension().map(|d| d.id().to_owned())
    }

    /// Ids of the `n` indicators with the largest shortfall, largest first.
    fn weakest(&self, n: usize) -> Vec<String> {
        self.inner
            .weakest(n)
            .iter()
            .map(|l| l.id().to_owned())
            .collect()
    }

    /// The report as a dict (`merchant`, `grades`, `operators`, `overall`, `dimensions`,
    /// `indicators`, `excluded`; every line with id, path, labels, weight, memberships,
    /// grade, tied grades, score, observed, missing, shortfall).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// Every line (overall, dimensions, indicators) as one flat dict per line, with a `level`
    /// of `"overall"`, `"dimension"` or `"indicator"` and one column per grade label.
    fn records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let r = &self.inner;
        let list = PyList::empty(py);
        list.append(line_dict(py, r, r.overall(), "overall")?)?;
        for line in r.dimensions() {
            list.append(line_dict(py, r, line, "dimension")?)?;
        }
        for line in r.indicators() {
            list.append(line_dict(py, r, line, "indicator")?)?;
        }
        Ok(list)
    }

    /// `records()` as a pandas DataFrame.
    fn to_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame(py, self.records(py)?)
    }

    /// The dimensions as a pandas DataFrame (one row each, see `records`).
    fn dimensions_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let r = &self.inner;
        let list = PyList::empty(py);
        for line in r.dimensions() {
            list.append(line_dict(py, r, line, "dimension")?)?;
        }
        frame(py, list)
    }

    /// The indicators as a pandas DataFrame (one row each, see `records`).
    fn indicators_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let r = &self.inner;
        let list = PyList::empty(py);
        for line in r.indicators() {
            list.append(line_dict(py, r, line, "indicator")?)?;
        }
        frame(py, list)
    }

    /// One summary dict: merchant, score, grade, grade label, weakest dimension, and each
    /// dimension's score (keyed by its id).
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let r = &self.inner;
        let d = PyDict::new(py);
        d.set_item("merchant", r.merchant())?;
        d.set_item("score", r.overall().score())?;
        d.set_item("grade", r.overall().grade())?;
        d.set_item(
            "grade_label",
            r.grade_label(r.overall().grade(), Language::En),
        )?;
        d.set_item("weakest_dimension", self.weakest_dimension())?;
        for line in r.dimensions() {
            d.set_item(line.id(), line.score())?;
        }
        Ok(d)
    }

    /// The printed report in `language` (`"en"` or `"zh"`).
    #[pyo3(signature = (language="en"))]
    fn display(&self, language: &str) -> PyResult<String> {
        Ok(self
            .inner
            .display(crate::convert::language(language)?)
            .to_string())
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Report(merchant={:?}, score={}, grade={})",
            self.inner.merchant(),
            self.inner.overall().score(),
            self.inner.overall().grade()
        )
    }
}

/// The crate's reports of a list of `Report`s (copies).
pub(crate) fn reports_of(reports: &[PyRef<'_, PyReport>]) -> Vec<EvaluationReport> {
    reports.iter().map(|r| r.inner.clone()).collect()
}
