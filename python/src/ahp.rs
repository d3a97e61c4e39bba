//! AHP: pairwise comparison matrices, their priorities by method, the consistency report and
//! the random index (RI) tables.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use service_quality::ahp::{gci_threshold as gci_threshold_of, ScaleIssue, DEFAULT_REPAIR_STEPS};
use service_quality::{
    ConsistencyReport, PairwiseMatrix, Priorities, PriorityMethod, PriorityOptions, RandomIndex,
    Repair, RepairOptions, Weights, DEFAULT_CR_THRESHOLD,
};

use crate::convert::{argument_error, from_name, to_py};
use crate::errors::OrRaise;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPairwiseMatrix>()?;
    m.add_class::<PyPriorities>()?;
    m.add_class::<PyConsistencyReport>()?;
    m.add_class::<PyRepair>()?;
    m.add_function(wrap_pyfunction!(random_index_table, m)?)?;
    m.add_function(wrap_pyfunction!(gci_threshold, m)?)?;
    m.add("RANDOM_INDEX_TABLES", RI_NAMES.to_vec())?;
    m.add("PRIORITY_METHODS", METHOD_NAMES.to_vec())?;
    Ok(())
}

/// The built-in random index tables by name (as in model files).
const RI_NAMES: [&str; 5] = [
    "saaty1980",
    "alonso_lamata2006",
    "donegan_dodd1991",
    "tummala_ling1998",
    "saaty2005",
];

/// The priority methods by name (as in model files).
const METHOD_NAMES: [&str; 3] = ["eigenvector", "geometric_mean", "normalized_column_average"];

/// A random index table from its name, or a custom table from its values.
pub(crate) fn random_index(table: &Bound<'_, PyAny>) -> PyResult<RandomIndex> {
    if let Ok(name) = table.extract::<String>() {
        return from_name(
            &name,
            "random index table",
            &format!("one of {}, or a list of values", RI_NAMES.join(", ")),
        );
    }
    let values: Vec<f64> = table.extract().map_err(|_| {
        argument_error(
            "random index table: expected a table name or a list of values".into(),
            "BadValue",
        )
    })?;
    RandomIndex::custom(values).py()
}

/// Priority options from the keyword arguments shared by every method that derives weights.
pub(crate) fn priority_options(
    method: &str,
    table: Option<&Bound<'_, PyAny>>,
    tol: Option<f64>,
    max_iter: Option<usize>,
) -> PyResult<PriorityOptions> {
    let method: PriorityMethod = from_name(
        method,
        "priority method",
        &format!("one of {} (or rgmm, an)", METHOD_NAMES.join(", ")),
    )?;
    let mut opts = PriorityOptions::new(method);
    if let Some(table) = table {
        opts = opts.with_random_index(random_index(table)?);
    }
    if let Some(tol) = tol {
        opts = opts.with_tolerance(tol).py()?;
    }
    if let Some(max_iter) = max_iter {
        opts = opts.with_max_iter(max_iter).py()?;
    }
    Ok(opts)
}

/// The values of a random index table: `values[k]` is RI for a matrix of size `k + 1`.
///
/// `table` is one of `RANDOM_INDEX_TABLES` (`"saaty1980"`, the default, ...). Raises
/// `ArgumentError` for an unknown name.
#[pyfunction]
#[pyo3(signature = (table="saaty1980"))]
fn random_index_table(table: &str) -> PyResult<Vec<f64>> {
    let t: RandomIndex = from_name(
        table,
        "random index table",
        &format!("one of {}", RI_NAMES.join(", ")),
    )?;
    Ok(t.values().to_vec())
}

/// A positive reciprocal pairwise comparison matrix (Saaty's 1-9 scale or any positive
/// ratios).
///
/// PairwiseMatrix(rows) checks a full matrix (square, unit diagonal, reciprocal within 1e-9);
/// `PairwiseMatrix.from_upper_triangle(n, upper)` builds it from the n(n-1)/2 entries above
/// the diagonal, row by row; `PairwiseMatrix.from_judgements(n, [(i, j, a_ij), ...])` from
/// one judgement per pair.
#[pyclass(name = "PairwiseMatrix", module = "service_quality", frozen)]
#[derive(Clone)]
pub(crate) struct PyPairwiseMatrix {
    pub(crate) inner: PairwiseMatrix,
}

#[pymethods]
impl PyPairwiseMatrix {
    #[new]
    fn new(rows: Vec<Vec<f64>>) -> PyResult<Self> {
        Ok(Self {
            inner: PairwiseMatrix::from_rows(&rows).py()?,
        })
    }

    /// The matrix from the n(n-1)/2 entries above the diagonal, row by row.
    #[staticmethod]
    fn from_upper_triangle(n: usize, upper: Vec<f64>) -> PyResult<Self> {
        Ok(Self {
            inner: PairwiseMatrix::from_upper_triangle(n, &upper).py()?,
        })
    }

    /// The matrix from judgements `(i, j, a_ij)`, 0-based, one for every pair.
    #[staticmethod]
    fn from_judgements(n: usize, judgements: Vec<(usize, usize, f64)>) -> PyResult<Self> {
        Ok(Self {
            inner: PairwiseMatrix::from_judgements(n, &judgements).py()?,
        })
    }

    /// The perfectly consistent matrix `a_ij = w_i / w_j` of positive weights.
    #[staticmethod]
    fn consistent(weights: Vec<f64>) -> PyResult<Self> {
        Ok(Self {
            inner: PairwiseMatrix::consistent(&weights).py()?,
        })
    }

    /// Size of the matrix.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// The rows as lists.
    fn to_rows(&self) -> Vec<Vec<f64>> {
        self.inner.to_rows()
    }

    /// The entries above the diagonal, row by row.
    fn upper_triangle(&self) -> Vec<f64> {
        self.inner.upper_triangle()
    }

    /// The matrix as an `n x n` numpy array (a copy).
    fn to_numpy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let flat = numpy::PyArray1::from_slice(py, self.inner.as_slice());
        flat.call_method1("reshape", (self.inner.n(), self.inner.n()))
    }

    /// Priority vector and consistency report.
    ///
    /// `method`: `"eigenvector"` (default; power iteration), `"geometric_mean"` (RGMM) or
    /// `"normalized_column_average"` (AN). `random_index`: a table name from
    /// `RANDOM_INDEX_TABLES` (default `"saaty1980"`) or a list of values (`values[k]` = RI for
    /// n = k + 1). `tol`, `max_iter`: power iteration's tolerance and cap (defaults 1e-12,
    /// 1000).
    #[pyo3(signature = (method="eigenvector", random_index=None, tol=None, max_iter=None))]
    fn priorities(
        &self,
        method: &str,
        random_index: Option<&Bound<'_, PyAny>>,
        tol: Option<f64>,
        max_iter: Option<usize>,
    ) -> PyResult<PyPriorities> {
        let opts = priority_options(method, random_index, tol, max_iter)?;
        Ok(PyPriorities {
            inner: self.inner.priorities_with(&opts).py()?,
        })
    }

    /// The consistency report of the priorities by `method` (see `priorities`).
    #[pyo3(signature = (method="eigenvector", random_index=None, tol=None, max_iter=None))]
    fn consistency(
        &self,
        method: &str,
        random_index: Option<&Bound<'_, PyAny>>,
        tol: Option<f64>,
        max_iter: Option<usize>,
    ) -> PyResult<PyConsistencyReport> {
        let p = self.priorities(method, random_index, tol, max_iter)?;
        Ok(PyConsistencyReport {
            inner: *p.inner.consistency(),
        })
    }

    /// The geometric consistency index (Crawford & Williams; RGMM weights) with the Aguarón
    /// & Moreno-Jiménez threshold: `{"n", "value", "threshold", "acceptable"}` (threshold None
    /// and acceptable True for n <= 2).
    fn gci<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let g = self.inner.gci().py()?;
        let d = PyDict::new(py);
        d.set_item("n", g.n())?;
        d.set_item("value", g.value())?;
        d.set_item("threshold", g.threshold())?;
        d.set_item("acceptable", g.is_acceptable())?;
        Ok(d)
    }

    /// Koczkodaj's triad inconsistency index: `{"value", "worst": {"i", "j", "k", "index"} or
    /// None}`.
    fn triad_inconsistency<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.triad_inconsistency())
    }

    /// The judgements ranked from the most inconsistent, by `|ln e_ij|` with `e_ij = a_ij w_j /
    /// w_i` under the priorities by `method`: `[{"i", "j", "value", "consistent_value",
    /// "error", "log_error"}]` (`i < j`; `consistent_value = w_i / w_j`).
    #[pyo3(signature = (method="geometric_mean"))]
    fn inconsistent_judgements<'py>(
        &self,
        py: Python<'py>,
        method: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let method: PriorityMethod = from_name(
            method,
            "priority method",
            &format!("one of {}", METHOD_NAMES.join(", ")),
        )?;
        let list = PyList::empty(py);
        for j in self.inner.inconsistent_judgements(method).py()? {
            let d = PyDict::new(py);
            d.set_item("i", j.i)?;
            d.set_item("j", j.j)?;
            d.set_item("value", j.value)?;
            d.set_item("consistent_value", j.consistent_value)?;
            d.set_item("error", j.error)?;
            d.set_item("log_error", j.log_error())?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// The geometric compatibility of the matrix with a weight vector (summing to 1).
    fn geometric_compatibility(&self, weights: Vec<f64>) -> PyResult<f64> {
        let w = Weights::new(weights).py()?;
        self.inner.geometric_compatibility(&w).py()
    }

    /// The entries off Saaty's 1-9 scale: `[{"row", "col", "value", "issue"}]`, issue
    /// `"out_of_range"` (outside [1/9, 9]) or `"not_on_scale"`.
    fn saaty_scale_diagnostics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for e in self.inner.saaty_scale_diagnostics() {
            let d = PyDict::new(py);
            d.set_item("row", e.row)?;
            d.set_item("col", e.col)?;
            d.set_item("value", e.value)?;
            d.set_item(
                "issue",
                match e.issue {
                    ScaleIssue::OutOfRange => "out_of_range",
                    _ => "not_on_scale",
                },
            )?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// Opt-in repair: revises the worst judgement step by step until CR < `target_cr` (or
    /// `max_steps`, or no single change lowers CR), on a copy; CR never increases. The
    /// priority options are those of `priorities`.
    #[pyo3(signature = (target_cr=DEFAULT_CR_THRESHOLD, max_steps=DEFAULT_REPAIR_STEPS, method="eigenvector", random_index=None, tol=None, max_iter=None))]
    fn repair(
        &self,
        target_cr: f64,
        max_steps: usize,
        method: &str,
        random_index: Option<&Bound<'_, PyAny>>,
        tol: Option<f64>,
        max_iter: Option<usize>,
    ) -> PyResult<PyRepair> {
        let opts = RepairOptions::new()
            .with_target_cr(target_cr)
            .py()?
            .with_max_steps(max_steps)
            .with_priority(priority_options(method, random_index, tol, max_iter)?);
        Ok(PyRepair {
            inner: self.inner.repair(&opts).py()?,
        })
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        format!("PairwiseMatrix({:?})", self.inner.to_rows())
    }
}

/// Priorities derived from a pairwise matrix: the weights, the method, the consistency report
/// and (eigenvector) the power iterations used.
#[pyclass(name = "Priorities", module = "service_quality", frozen)]
pub(crate) struct PyPriorities {
    pub(crate) inner: Priorities,
}

#[pymethods]
impl PyPriorities {
    /// The weights (sum to 1).
    #[getter]
    fn weights(&self) -> Vec<f64> {
        self.inner.weights().to_vec()
    }

    /// The method's name.
    #[getter]
    fn method(&self) -> PyResult<String> {
        method_name(self.inner.method())
    }

    /// Power iterations (None for the direct methods).
    #[getter]
    fn iterations(&self) -> Option<usize> {
        self.inner.iterations()
    }

    /// The principal eigenvalue (or its estimate for the direct methods).
    #[getter]
    fn lambda_max(&self) -> f64 {
        self.inner.lambda_max()
    }

    /// The consistency ratio.
    #[getter]
    fn cr(&self) -> f64 {
        self.inner.cr()
    }

    /// The consistency report.
    #[getter]
    fn consistency(&self) -> PyConsistencyReport {
        PyConsistencyReport {
            inner: *self.inner.consistency(),
        }
    }

    /// `{"weights", "method", "iterations", "consistency"}`.
    pub(crate) fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("weights", self.weights())?;
        d.set_item("method", self.method()?)?;
        d.set_item("iterations", self.iterations())?;
        d.set_item("consistency", self.consistency().to_dict(py)?)?;
        Ok(d)
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "Priorities(weights={:?}, method={:?}, cr={})",
            self.weights(),
            self.method()?,
            self.cr()
        ))
    }
}

/// The name of a priority method, as in model files.
fn method_name(method: PriorityMethod) -> PyResult<String> {
    Ok(serde_json::to_value(method)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{method:?}")))
}

/// The consistency of a pairwise matrix under one priority vector: n, lambda_max,
/// CI = (lambda_max - n) / (n - 1), RI(n) from the named table, CR = CI / RI (0 for n <= 2).
#[pyclass(name = "ConsistencyReport", module = "service_quality", frozen)]
pub(crate) struct PyConsistencyReport {
    pub(crate) inner: ConsistencyReport,
}

#[pymethods]
impl PyConsistencyReport {
    /// Matrix size.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// Principal eigenvalue (estimate).
    #[getter]
    fn lambda_max(&self) -> f64 {
        self.inner.lambda_max()
    }

    /// Consistency index.
    #[getter]
    fn ci(&self) -> f64 {
        self.inner.ci()
    }

    /// Consistency ratio.
    #[getter]
    fn cr(&self) -> f64 {
        self.inner.cr()
    }

    /// The random index used.
    #[getter]
    fn ri(&self) -> f64 {
        self.inner.ri()
    }

    /// Name of the random index table (`"saaty1980"`, ..., `"custom"`).
    #[getter]
    fn ri_table(&self) -> String {
        self.inner.ri_table().name().to_owned()
    }

    /// `True` when CR < `threshold` (default 0.1).
    #[pyo3(signature = (threshold=DEFAULT_CR_THRESHOLD))]
    fn is_acceptable(&self, threshold: f64) -> bool {
        self.inner.is_acceptable(threshold)
    }

    /// `{"n", "lambda_max", "ci", "cr", "ri", "ri_table"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "ConsistencyReport(n={}, lambda_max={}, ci={}, cr={}, ri={}, ri_table={:?})",
            self.n(),
            self.lambda_max(),
            self.ci(),
            self.cr(),
            self.ri(),
            self.ri_table()
        )
    }
}

/// The Aguarón & Moreno-Jiménez GCI threshold for an `n x n` matrix (0.31, 0.35, 0.37 for
/// n = 3, 4, > 4), None for n <= 2.
#[pyfunction]
fn gci_threshold(n: usize) -> Option<f64> {
    gci_threshold_of(n)
}

/// The result of `PairwiseMatrix.repair`: the repaired copy, its priorities, the initial
/// consistency, every step (`{"i", "j", "old", "new", "cr_after"}`) and why it stopped
/// (`"target_reached"`, `"step_limit"` or `"no_improvement"`).
#[pyclass(name = "Repair", module = "service_quality", frozen)]
pub(crate) struct PyRepair {
    inner: Repair,
}

#[pymethods]
impl PyRepair {
    /// The repaired matrix (the original when no step was taken).
    #[getter]
    fn matrix(&self) -> PyPairwiseMatrix {
        PyPairwiseMatrix {
            inner: self.inner.matrix().clone(),
        }
    }

    /// The priorities of the repaired matrix.
    #[getter]
    fn priorities(&self) -> PyPriorities {
        PyPriorities {
            inner: self.inner.priorities().clone(),
        }
    }

    /// The consistency before any step.
    #[getter]
    fn initial(&self) -> PyConsistencyReport {
        PyConsistencyReport {
            inner: *self.inner.initial(),
        }
    }

    /// The changes made, in order.
    fn steps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.steps())
    }

    /// Why the repair stopped.
    #[getter]
    fn stop(&self) -> &'static str {
        match self.inner.stop() {
            service_quality::ahp::RepairStop::TargetReached => "target_reached",
            service_quality::ahp::RepairStop::StepLimit => "step_limit",
            _ => "no_improvement",
        }
    }

    /// Whether CR ended below the target.
    #[getter]
    fn reached_target(&self) -> bool {
        self.inner.reached_target()
    }

    /// `{"matrix", "priorities", "initial", "steps", "stop", "reached_target"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("matrix", self.inner.matrix().to_rows())?;
        d.set_item("priorities", self.priorities().to_dict(py)?)?;
        d.set_item("initial", to_py(py, self.inner.initial())?)?;
        d.set_item("steps", self.steps(py)?)?;
        d.set_item("stop", self.stop())?;
        d.set_item("reached_target", self.reached_target())?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Repair(steps={}, stop={:?}, cr={} -> {})",
            self.inner.steps().len(),
            self.stop(),
            self.inner.initial().cr(),
            self.inner.priorities().cr()
        )
    }
}
