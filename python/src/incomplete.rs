//! Incomplete pairwise matrices (`service_quality::ahp::IncompleteMatrix`): judgements with
//! missing pairs, completed by Harker's method, logarithmic least squares or the
//! lambda_max-optimal completion.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use service_quality::ahp::{Completion, CompletionMethod, CompletionOptions};
use service_quality::IncompleteMatrix;

use crate::ahp::{priority_options, PyPairwiseMatrix, PyPriorities};
use crate::convert::{from_name, to_py};
use crate::errors::OrRaise;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyIncompleteMatrix>()?;
    m.add_class::<PyCompletion>()?;
    m.add("COMPLETION_METHODS", METHOD_NAMES.to_vec())?;
    Ok(())
}

/// The completion methods by name.
const METHOD_NAMES: [&str; 3] = ["harker", "log_least_squares", "optimal"];

/// The name of a completion method.
fn method_name(m: CompletionMethod) -> &'static str {
    match m {
        CompletionMethod::Harker => "harker",
        CompletionMethod::LogLeastSquares => "log_least_squares",
        _ => "optimal",
    }
}

/// A pairwise comparison matrix with missing judgements.
///
/// `IncompleteMatrix.from_judgements(n, [(i, j, a_ij), ...])` (0-based; unlisted pairs are
/// missing; `(j, i, v)` is stored as `a_ij = 1 / v`) or `from_upper_triangle(n, upper)` with
/// None for a missing entry. `complete(method)` fills the missing pairs: `"optimal"` (the
/// default; Bozóki, Fülöp & Rónyai, minimising lambda_max), `"harker"` (Harker's modified
/// eigenvector) or `"log_least_squares"`; the given judgements must connect every criterion
/// (`components`), else `AhpError`.
#[pyclass(name = "IncompleteMatrix", module = "service_quality", frozen)]
pub(crate) struct PyIncompleteMatrix {
    inner: IncompleteMatrix,
}

#[pymethods]
impl PyIncompleteMatrix {
    /// The matrix from judgements `(i, j, a_ij)`.
    #[staticmethod]
    fn from_judgements(n: usize, judgements: Vec<(usize, usize, f64)>) -> PyResult<Self> {
        Ok(Self {
            inner: IncompleteMatrix::from_judgements(n, &judgements).py()?,
        })
    }

    /// The matrix from the n(n-1)/2 entries above the diagonal, row by row (None = missing).
    #[staticmethod]
    fn from_upper_triangle(n: usize, upper: Vec<Option<f64>>) -> PyResult<Self> {
        Ok(Self {
            inner: IncompleteMatrix::from_upper_triangle(n, &upper).py()?,
        })
    }

    /// Size of the matrix.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// Entry `a_ij` (None when missing or out of range).
    fn get(&self, i: usize, j: usize) -> Option<f64> {
        self.inner.get(i, j)
    }

    /// The missing pairs `(i, j)`, `i < j`.
    fn missing_pairs(&self) -> Vec<(usize, usize)> {
        self.inner.missing_pairs()
    }

    /// `True` when no pair is missing.
    #[getter]
    fn is_complete(&self) -> bool {
        self.inner.is_complete()
    }

    /// The groups of criteria connected by given judgements.
    fn components(&self) -> Vec<Vec<usize>> {
        self.inner.components()
    }

    /// The matrix as a `PairwiseMatrix` (raises `AhpError` when a pair is missing).
    fn to_complete(&self) -> PyResult<PyPairwiseMatrix> {
        Ok(PyPairwiseMatrix {
            inner: self.inner.to_complete().py()?,
        })
    }

    /// Fills the missing pairs by `method` (one of `COMPLETION_METHODS`); `tol` and
    /// `max_cycles` bound the optimal completion's coordinate descent; the priority options
    /// (see `PairwiseMatrix.priorities`) give the priorities of the result.
    #[pyo3(signature = (method="optimal", tol=None, max_cycles=None, priority_method="eigenvector", random_index=None))]
    fn complete(
        &self,
        method: &str,
        tol: Option<f64>,
        max_cycles: Option<usize>,
        priority_method: &str,
        random_index: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyCompletion> {
        let m: CompletionMethod = from_name(
            method,
            "completion method",
            &format!("one of {}", METHOD_NAMES.join(", ")),
        )?;
        let mut opts = CompletionOptions::new(m).with_priority(priority_options(
            priority_method,
            random_index,
            None,
            None,
        )?);
        if let Some(tol) = tol {
            opts = opts.with_tolerance(tol).py()?;
        }
        if let Some(cycles) = max_cycles {
            opts = opts.with_max_cycles(cycles).py()?;
        }
        Ok(PyCompletion {
            inner: self.inner.complete_with(&opts).py()?,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "IncompleteMatrix(n={}, missing={:?})",
            self.inner.n(),
            self.inner.missing_pairs()
        )
    }
}

/// A completed matrix: the matrix, the filled entries (`{"i", "j", "value"}`, `i < j`), the
/// method, the priorities of the result and the optimal completion's cycles.
#[pyclass(name = "Completion", module = "service_quality", frozen)]
pub(crate) struct PyCompletion {
    inner: Completion,
}

#[pymethods]
impl PyCompletion {
    /// The completed matrix.
    #[getter]
    fn matrix(&self) -> PyPairwiseMatrix {
        PyPairwiseMatrix {
            inner: self.inner.matrix().clone(),
        }
    }

    /// The filled entries.
    fn filled<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.filled())
    }

    /// The method's name.
    #[getter]
    fn method(&self) -> &'static str {
        method_name(self.inner.method())
    }

    /// The priorities of the completed matrix.
    #[getter]
    fn priorities(&self) -> PyPriorities {
        PyPriorities {
            inner: self.inner.priorities().clone(),
        }
    }

    /// Coordinate-descent cycles of the optimal completion (None for the other methods).
    #[getter]
    fn cycles(&self) -> Option<usize> {
        self.inner.cycles()
    }

    /// `{"matrix", "filled", "method", "priorities", "cycles"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("matrix", self.inner.matrix().to_rows())?;
        d.set_item("filled", self.filled(py)?)?;
        d.set_item("method", self.method())?;
        d.set_item("priorities", self.priorities().to_dict(py)?)?;
        d.set_item("cycles", self.cycles())?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Completion(method={:?}, filled={})",
            self.method(),
            self.inner.filled().len()
        )
    }
}
