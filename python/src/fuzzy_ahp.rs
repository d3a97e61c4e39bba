//! Fuzzy AHP (`service_quality::fuzzy_ahp`): triangular fuzzy judgements `(l, m, u)`,
//! Buckley's geometric-mean weights and the two consistency conventions.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use service_quality::fuzzy_ahp::{
    fuzzy_saaty as fuzzy_saaty_of, FuzzyConsistency, FuzzyConsistencyConvention,
    FuzzyPairwiseMatrix, FuzzyPriorities, TriangularFuzzyNumber, PYDECISION_RANDOM_INDEX,
};

use crate::ahp::{priority_options, PyPairwiseMatrix, PyPriorities};
use crate::convert::from_name;
use crate::errors::OrRaise;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFuzzyPairwiseMatrix>()?;
    m.add_class::<PyFuzzyPriorities>()?;
    m.add_class::<PyFuzzyConsistency>()?;
    m.add_function(wrap_pyfunction!(fuzzy_saaty, m)?)?;
    m.add("FUZZY_CONSISTENCY_CONVENTIONS", CONVENTION_NAMES.to_vec())?;
    m.add("PYDECISION_RANDOM_INDEX", PYDECISION_RANDOM_INDEX.to_vec())?;
    Ok(())
}

/// The consistency conventions by name.
const CONVENTION_NAMES: [&str; 2] = ["centroid_eigenvector", "graded_mean_buckley"];

/// A convention from its name.
fn convention(name: &str) -> PyResult<FuzzyConsistencyConvention> {
    from_name(
        name,
        "fuzzy consistency convention",
        &format!("one of {}", CONVENTION_NAMES.join(", ")),
    )
}

/// A fuzzy number from `(l, m, u)`.
fn number(t: (f64, f64, f64)) -> PyResult<TriangularFuzzyNumber> {
    TriangularFuzzyNumber::new(t.0, t.1, t.2).py()
}

/// `(l, m, u)` of a fuzzy number.
fn triple(t: &TriangularFuzzyNumber) -> (f64, f64, f64) {
    (t.l(), t.m(), t.u())
}

/// The triangular fuzzy number of a value of Saaty's 1-9 scale (or its reciprocal), as
/// `(l, m, u)`: `(k-1, k, k+1)` for k = 2..8, `(1, 1, 1)` for 1, `(8, 9, 9)` for 9. Raises
/// `AhpError` for a value off the scale.
#[pyfunction]
fn fuzzy_saaty(value: f64) -> PyResult<(f64, f64, f64)> {
    Ok(triple(&fuzzy_saaty_of(value).py()?))
}

/// A reciprocal matrix of triangular fuzzy judgements `(l, m, u)`, `0 < l <= m <= u`.
///
/// `FuzzyPairwiseMatrix.from_upper_triangle(n, upper)` takes the n(n-1)/2 judgements above the
/// diagonal row by row as `(l, m, u)` triples; `from_saaty_upper(n, values)` fuzzifies crisp
/// Saaty values with `fuzzy_saaty`. `buckley(...)` derives the weights (Buckley's fuzzy row
/// geometric mean, centroid defuzzification); `consistency(convention, ...)` measures
/// consistency as `"centroid_eigenvector"` (the centroid-defuzzified upper triangle, the
/// eigenvector lambda, the options' RI table: what `buckley` reports) or
/// `"graded_mean_buckley"` (pyDecision 5.1.8's `fuzzy_ahp_method`: graded mean `(l + 4m +
/// u) / 6` of every entry, lambda from Buckley's weights, `PYDECISION_RANDOM_INDEX`).
#[pyclass(name = "FuzzyPairwiseMatrix", module = "service_quality", frozen)]
pub(crate) struct PyFuzzyPairwiseMatrix {
    inner: FuzzyPairwiseMatrix,
}

#[pymethods]
impl PyFuzzyPairwiseMatrix {
    /// The matrix from its upper triangle of `(l, m, u)` judgements, row by row.
    #[staticmethod]
    fn from_upper_triangle(n: usize, upper: Vec<(f64, f64, f64)>) -> PyResult<Self> {
        let upper = upper
            .into_iter()
            .map(number)
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Self {
            inner: FuzzyPairwiseMatrix::from_upper_triangle(n, &upper).py()?,
        })
    }

    /// The matrix of the fuzzified crisp upper triangle (values on Saaty's scale).
    #[staticmethod]
    fn from_saaty_upper(n: usize, upper: Vec<f64>) -> PyResult<Self> {
        Ok(Self {
            inner: FuzzyPairwiseMatrix::from_saaty_upper(n, &upper).py()?,
        })
    }

    /// Size of the matrix.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// The entries as `n` rows of `(l, m, u)`.
    fn to_rows(&self) -> Vec<Vec<(f64, f64, f64)>> {
        let n = self.inner.n();
        self.inner
            .as_slice()
            .chunks(n.max(1))
            .map(|row| row.iter().map(triple).collect())
            .collect()
    }

    /// The entries as an `(n, n, 3)` float64 array.
    fn to_numpy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let flat: Vec<f64> = self
            .inner
            .as_slice()
            .iter()
            .flat_map(|t| t.to_array())
            .collect();
        let n = self.inner.n();
        numpy::PyArray1::from_vec(py, flat).call_method1("reshape", (n, n, 3))
    }

    /// Buckley's weights; the priority options (see `PairwiseMatrix.priorities`) give the
    /// method and RI table of the defuzzified matrix's consistency.
    #[pyo3(signature = (method="eigenvector", random_index=None, tol=None, max_iter=None))]
    fn buckley(
        &self,
        method: &str,
        random_index: Option<&Bound<'_, PyAny>>,
        tol: Option<f64>,
        max_iter: Option<usize>,
    ) -> PyResult<PyFuzzyPriorities> {
        let opts = priority_options(method, random_index, tol, max_iter)?;
        Ok(PyFuzzyPriorities {
            inner: self.inner.buckley(&opts).py()?,
        })
    }

    /// The consistency in `convention` (one of `FUZZY_CONSISTENCY_CONVENTIONS`); the priority
    /// options apply to `"centroid_eigenvector"` only.
    #[pyo3(signature = (convention="centroid_eigenvector", method="eigenvector", random_index=None, tol=None, max_iter=None))]
    fn consistency(
        &self,
        convention: &str,
        method: &str,
        random_index: Option<&Bound<'_, PyAny>>,
        tol: Option<f64>,
        max_iter: Option<usize>,
    ) -> PyResult<PyFuzzyConsistency> {
        let c = self::convention(convention)?;
        let opts = priority_options(method, random_index, tol, max_iter)?;
        Ok(PyFuzzyConsistency {
            inner: self.inner.consistency_with(c, &opts).py()?,
        })
    }

    fn __repr__(&self) -> String {
        format!("FuzzyPairwiseMatrix(n={})", self.inner.n())
    }
}

/// Buckley's result: the fuzzy weights `(l, m, u)`, the crisp weights (normalised centroids),
/// the defuzzified matrix and its priorities / consistency.
#[pyclass(name = "FuzzyPriorities", module = "service_quality", frozen)]
pub(crate) struct PyFuzzyPriorities {
    inner: FuzzyPriorities,
}

#[pymethods]
impl PyFuzzyPriorities {
    /// The fuzzy weights.
    #[getter]
    fn fuzzy_weights(&self) -> Vec<(f64, f64, f64)> {
        self.inner.fuzzy_weights().iter().map(triple).collect()
    }

    /// The crisp weights (sum to 1).
    #[getter]
    fn weights(&self) -> Vec<f64> {
        self.inner.weights().to_vec()
    }

    /// The centroid-defuzzified upper triangle with its reciprocals.
    #[getter]
    fn defuzzified_matrix(&self) -> PyPairwiseMatrix {
        PyPairwiseMatrix {
            inner: self.inner.defuzzified_matrix().clone(),
        }
    }

    /// The priorities of the defuzzified matrix (its consistency report).
    #[getter]
    fn consistency(&self) -> PyPriorities {
        PyPriorities {
            inner: self.inner.consistency().clone(),
        }
    }

    /// `{"fuzzy_weights", "weights", "defuzzified_matrix", "consistency"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("fuzzy_weights", self.fuzzy_weights())?;
        d.set_item("weights", self.weights())?;
        d.set_item(
            "defuzzified_matrix",
            self.inner.defuzzified_matrix().to_rows(),
        )?;
        d.set_item("consistency", self.consistency().to_dict(py)?)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!("FuzzyPriorities(weights={:?})", self.weights())
    }
}

/// The consistency of a fuzzy matrix in one convention: n, lambda (`lambda_`), CI, RI, CR.
/// Under `"graded_mean_buckley"` the crisp matrix is not reciprocal, so lambda may be below n
/// and CI, CR negative (reported as computed, as pyDecision does); CR is 0 for n <= 2.
#[pyclass(name = "FuzzyConsistency", module = "service_quality", frozen)]
pub(crate) struct PyFuzzyConsistency {
    inner: FuzzyConsistency,
}

#[pymethods]
impl PyFuzzyConsistency {
    /// The convention's name.
    #[getter]
    fn convention(&self) -> &'static str {
        self.inner.convention().name()
    }

    /// Number of criteria.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// lambda of the convention (principal eigenvalue, or `mean_i (X w)_i / w_i`).
    #[getter]
    fn lambda_(&self) -> f64 {
        self.inner.lambda()
    }

    /// Consistency index `(lambda - n) / (n - 1)`.
    #[getter]
    fn ci(&self) -> f64 {
        self.inner.ci()
    }

    /// The random index used.
    #[getter]
    fn ri(&self) -> f64 {
        self.inner.ri()
    }

    /// Consistency ratio.
    #[getter]
    fn cr(&self) -> f64 {
        self.inner.cr()
    }

    /// `True` when CR < `threshold`.
    #[pyo3(signature = (threshold=service_quality::DEFAULT_CR_THRESHOLD))]
    fn is_acceptable(&self, threshold: f64) -> bool {
        self.inner.is_acceptable(threshold)
    }

    /// `{"convention", "n", "lambda", "ci", "ri", "cr"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("convention", self.convention())?;
        d.set_item("n", self.inner.n())?;
        d.set_item("lambda", self.inner.lambda())?;
        d.set_item("ci", self.inner.ci())?;
        d.set_item("ri", self.inner.ri())?;
        d.set_item("cr", self.inner.cr())?;
        Ok(d)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "FuzzyConsistency(convention={:?}, lambda={}, cr={})",
            self.convention(),
            self.inner.lambda(),
            self.inner.cr()
        )
    }
}
