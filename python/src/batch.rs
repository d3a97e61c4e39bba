//! The batch scorer over numpy arrays: memberships (f64) and answer counts (u8, u16, u32)
//! read in place when C-contiguous, survey answers with offsets; the GIL is released while
//! the crate scores.

use std::borrow::Cow;
use std::time::Instant;

use numpy::{
    Element, PyArray1, PyArrayDyn, PyArrayMethods, PyReadwriteArray1, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::PyList;
use service_quality::batch::{BatchOutput, BatchSummary, SurveyAnswers};
use service_quality::{BatchScorer, Error};

use crate::convert::argument_error;
use crate::errors::{exception, OrRaise};
use crate::evaluate::PyEvaluator;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBatchScorer>()?;
    m.add_class::<PyBatchResult>()?;
    Ok(())
}

/// Scores many merchants with one evaluator's configuration, compiled once.
///
/// Inputs are merchant-major numpy arrays, indicators in `leaf_ids` order (the tree's
/// preorder), grades in the grade set's order:
///
/// - `score_memberships(x)`: float64 memberships, shape `(n, leaves, grades)` or
///   `(n, leaves * grades)` or flat;
/// - `score_counts(c)`: answer counts of the same shape, uint8 / uint16 / uint32 (other
///   integer types are checked and converted once);
/// - `score_answers(answers, offsets)`: uint8 respondent rows `(rows, leaves)` of 0-based grade
///   indices (255 = missing), merchant i owning rows `offsets[i]:offsets[i+1]`.
///
/// C-contiguous arrays of the scorer's types are read in place (no copy); the GIL is released
/// while scoring, so other Python threads run meanwhile (they must not write to the arrays
/// being scored). `out=(scores, grades)` (float64 and uint32 arrays of length n) receives the
/// results without allocating. A merchant whose data the single evaluation would reject is
/// listed in `failures` with the same error; the others are scored. The slots of failed
/// merchants hold 0 in new arrays and are left untouched in `out` arrays: read `failed`.
/// Results equal `Evaluator.evaluate` on each merchant to 1e-12. `parallel=True` splits the
/// work across threads (bit-identical results).
#[pyclass(name = "BatchScorer", module = "service_quality", frozen)]
pub(crate) struct PyBatchScorer {
    inner: BatchScorer,
}

/// The scores, grades and failures of a batch.
#[pyclass(name = "BatchResult", module = "service_quality", frozen)]
pub(crate) struct PyBatchResult {
    /// Score per merchant (0 where the merchant failed), float64.
    #[pyo3(get)]
    scores: Py<PyAny>,
    /// Maximum-membership grade index per merchant (0 where it failed), uint32.
    #[pyo3(get)]
    grades: Py<PyAny>,
    /// `[(merchant index, exception), ...]` for the merchants not scored, in index order.
    #[pyo3(get)]
    failures: Py<PyList>,
    /// Number of merchants scored.
    #[pyo3(get)]
    scored: usize,
    /// Every node's normalised B per merchant, float64 `(merchants, nodes, grades)` (nodes
    /// in `BatchScorer.node_ids` order), when asked for with `node_b=True`; else None. A
    /// failed merchant's block is 0; a node excluded for lack of answers has an all-zero B.
    #[pyo3(get)]
    node_b: Option<Py<PyAny>>,
}

#[pymethods]
impl PyBatchResult {
    /// `True` when every merchant was scored.
    #[getter]
    fn is_complete(&self, py: Python<'_>) -> bool {
        self.failures.bind(py).is_empty()
    }

    /// Indices of the merchants not scored.
    #[getter]
    fn failed(&self, py: Python<'_>) -> PyResult<Vec<usize>> {
        self.failures
            .bind(py)
            .iter()
            .map(|f| f.get_item(0)?.extract())
            .collect()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "BatchResult(scored={}, failures={})",
            self.scored,
            self.failures.bind(py).len()
        )
    }
}

/// The data of an array as a slice: in place when C-contiguous, else copied in C order.
fn slice_of<'a, T: Element + Copy>(ro: &'a numpy::PyReadonlyArrayDyn<'_, T>) -> Cow<'a, [T]> {
    match ro.as_slice() {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(ro.as_array().iter().copied().collect()),
    }
}

/// The `out` argument: the caller's scores and grades arrays, unchecked.
type Out<'py> = (Bound<'py, PyAny>, Bound<'py, PyAny>);

/// Checked output arrays: float64 scores, uint32 grades.
type Buffers<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<u32>>);

/// Output buffers: the caller's (`out`) or new arrays of `n`.
fn outputs<'py>(py: Python<'py>, n: usize, out: Option<Out<'py>>) -> PyResult<Buffers<'py>> {
    match out {
        None => Ok((PyArray1::zeros(py, n, false), PyArray1::zeros(py, n, false))),
        Some((scores, grades)) => {
            let scores = scores.cast_into::<PyArray1<f64>>().map_err(|_| {
                argument_error("out: scores must be a 1-d float64 array".into(), "BadArray")
            })?;
            let grades = grades.cast_into::<PyArray1<u32>>().map_err(|_| {
                argument_error("out: grades must be a 1-d uint32 array".into(), "BadArray")
            })?;
            Ok((scores, grades))
        }
    }
}

/// A write borrow of an output array (refused while numpy or Rust holds another borrow).
fn writable<'py, T: Element>(
    a: &Bound<'py, PyArray1<T>>,
    what: &str,
) -> PyResult<PyReadwriteArray1<'py, T>> {
    a.try_readwrite()
        .map_err(|e| argument_error(format!("out: {what}: {e}"), "BadArray"))
}

/// The slice of a borrowed output array (it must be contiguous).
fn slice_mut<'a, T: Element>(
    a: &'a mut PyReadwriteArray1<'_, T>,
    what: &str,
) -> PyResult<&'a mut [T]> {
    a.as_slice_mut()
        .map_err(|e| argument_error(format!("out: {what}: {e}"), "BadArray"))
}

impl PyBatchScorer {
    /// Checks the shape of a merchant-major input: `(n, leaves, grades)`, `(n, leaves *
    /// grades)` or flat (the crate checks the length).
    fn check_shape(&self, shape: &[usize], what: &str) -> PyResult<()> {
        let (k, m) = (self.inner.n_leaves(), self.inner.n_grades());
        let ok = match shape {
            [_] => true,
            [_, b] => *b == k * m,
            [_, l, g] => *l == k && *g == m,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(argument_error(
                format!(
                    "{what}: shape {shape:?} is not (merchants, {k}, {m}), (merchants, {}) or flat",
                    k * m
                ),
                "BadShape",
            ))
        }
    }

    /// Scores `x` with `score` into new or given buffers, the GIL released.
    fn run<'py, T: Element + Copy + Send + Sync>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyArrayDyn<T>>,
        what: &str,
        out: Option<Out<'py>>,
        node_b: bool,
        score: impl Fn(&BatchScorer, &[T], BatchOutput<'_>) -> Result<BatchSummary, Error> + Send + Sync,
    ) -> PyResult<PyBatchResult> {
        self.check_shape(x.shape(), what)?;
        let ro = x
            .try_readonly()
            .map_err(|e| argument_error(format!("{what}: {e}"), "BadArray"))?;
        let data = slice_of(&ro);
        let block = self.inner.n_leaves() * self.inner.n_grades();
        let n = data.len() / block.max(1);
        let (scores, grades) = outputs(py, n, out)?;
        let blocks = self.node_b_buffer(py, n, node_b);
        let summary = {
            let (mut s, mut g) = (writable(&scores, "scores")?, writable(&grades, "grades")?);
            let mut b = blocks.as_ref().map(|b| writable(b, "node_b")).transpose()?;
            let (s, g) = (slice_mut(&mut s, "scores")?, slice_mut(&mut g, "grades")?);
            let b = b.as_mut().map(|b| slice_mut(b, "node_b")).transpose()?;
            let data: &[T] = &data;
            let inner = &self.inner;
            py.detach(|| score(inner, data, output(s, g, b)?)).py()?
        };
        let blocks = self.node_b_array(n, blocks)?;
        result(py, scores.into_any(), grades.into_any(), &summary, blocks)
    }

    /// A zeroed node-B buffer for `n` merchants when asked for.
    fn node_b_buffer<'py>(
        &self,
        py: Python<'py>,
        n: usize,
        wanted: bool,
    ) -> Option<Bound<'py, PyArray1<f64>>> {
        wanted.then(|| PyArray1::zeros(py, n * self.inner.n_nodes() * self.inner.n_grades(), false))
    }

    /// The node-B buffer shaped `(n, nodes, grades)`.
    fn node_b_array<'py>(
        &self,
        n: usize,
        blocks: Option<Bound<'py, PyArray1<f64>>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        blocks
            .map(|b| b.call_method1("reshape", (n, self.inner.n_nodes(), self.inner.n_grades())))
            .transpose()
    }

    /// f64 memberships from any array-like (converted once when not float64).
    fn memberships<'py>(x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyArrayDyn<f64>>> {
        if let Ok(a) = x.cast::<PyArrayDyn<f64>>() {
            return Ok(a.clone());
        }
        let np = x.py().import("numpy")?;
        np.call_method1("asarray", (x, "float64"))?
            .cast_into::<PyArrayDyn<f64>>()
            .map_err(|_| {
                argument_error("memberships: not convertible to float64".into(), "BadArray")
            })
    }
}

/// The output buffers of one run: scores, grades and, when given, every node's B.
fn output<'a>(
    scores: &'a mut [f64],
    grades: &'a mut [u32],
    node_b: Option<&'a mut [f64]>,
) -> Result<BatchOutput<'a>, Error> {
    let out = BatchOutput::new(scores, grades)?;
    Ok(match node_b {
        Some(b) => out.with_node_b(b),
        None => out,
    })
}

/// The Python result of a batch run.
fn result(
    py: Python<'_>,
    scores: Bound<'_, PyAny>,
    grades: Bound<'_, PyAny>,
    summary: &BatchSummary,
    node_b: Option<Bound<'_, PyAny>>,
) -> PyResult<PyBatchResult> {
    let failures = PyList::empty(py);
    for f in summary.failures() {
        failures.append((f.merchant, exception(py, &f.error)?))?;
    }
    Ok(PyBatchResult {
        scores: scores.unbind(),
        grades: grades.unbind(),
        failures: failures.unbind(),
        scored: summary.scored(),
        node_b: node_b.map(Bound::unbind),
    })
}

#[pymethods]
impl PyBatchScorer {
    #[new]
    #[pyo3(signature = (evaluator, parallel=false))]
    fn new(evaluator: &PyEvaluator, parallel: bool) -> PyResult<Self> {
        Ok(Self {
            inner: BatchScorer::new(&evaluator.inner).py()?.parallel(parallel),
        })
    }

    /// Number of indicators (leaves) per merchant.
    #[getter]
    fn n_leaves(&self) -> usize {
        self.inner.n_leaves()
    }

    /// Number of grades.
    #[getter]
    fn n_grades(&self) -> usize {
        self.inner.n_grades()
    }

    /// Number of nodes of the tree.
    #[getter]
    fn n_nodes(&self) -> usize {
        self.inner.n_nodes()
    }

    /// The indicator ids in input order.
    #[getter]
    fn leaf_ids(&self) -> Vec<String> {
        self.inner.leaf_ids().to_vec()
    }

    /// The ids of every node in the tree's preorder: the order of `BatchResult.node_b`'s
    /// second axis.
    #[getter]
    fn node_ids(&self) -> Vec<String> {
        self.inner.node_ids().to_vec()
    }

    /// Scores merchants from float64 memberships (see the class docs); `node_b=True` also
    /// returns every node's B (`BatchResult.node_b`).
    #[pyo3(signature = (memberships, *, out=None, node_b=false))]
    fn score_memberships<'py>(
        &self,
        py: Python<'py>,
        memberships: &Bound<'py, PyAny>,
        out: Option<Out<'py>>,
        node_b: bool,
    ) -> PyResult<PyBatchResult> {
        let x = Self::memberships(memberships)?;
        self.run(py, &x, "memberships", out, node_b, |s, x, o| {
            s.score_memberships(x, o)
        })
    }

    /// Scores merchants from answer counts (uint8, uint16 or uint32 read in place; other
    /// integer arrays are checked to be within 0..2**32 and converted once); `node_b=True`
    /// also returns every node's B.
    #[pyo3(signature = (counts, *, out=None, node_b=false))]
    fn score_counts<'py>(
        &self,
        py: Python<'py>,
        counts: &Bound<'py, PyAny>,
        out: Option<Out<'py>>,
        node_b: bool,
    ) -> PyResult<PyBatchResult> {
        if let Ok(x) = counts.cast::<PyArrayDyn<u8>>() {
            return self.run(py, x, "counts", out, node_b, |s, x, o| s.score_counts(x, o));
        }
        if let Ok(x) = counts.cast::<PyArrayDyn<u16>>() {
            return self.run(py, x, "counts", out, node_b, |s, x, o| s.score_counts(x, o));
        }
        if let Ok(x) = counts.cast::<PyArrayDyn<u32>>() {
            return self.run(py, x, "counts", out, node_b, |s, x, o| s.score_counts(x, o));
        }
        let converted = py
            .import("service_quality._frames")?
            .call_method1("counts_as_uint32", (counts,))?;
        let x = converted
            .cast::<PyArrayDyn<u32>>()
            .map_err(|_| argument_error("counts: not convertible to uint32".into(), "BadArray"))?;
        self.run(py, x, "counts", out, node_b, |s, x, o| s.score_counts(x, o))
    }

    /// Scores merchants from raw survey answers: `answers` uint8 `(rows, leaves)` grade
    /// indices (255 = missing), `offsets` the n + 1 row boundaries of the merchants;
    /// `node_b=True` also returns every node's B.
    #[pyo3(signature = (answers, offsets, *, out=None, node_b=false))]
    fn score_answers<'py>(
        &self,
        py: Python<'py>,
        answers: &Bound<'py, PyAny>,
        offsets: &Bound<'py, PyAny>,
        out: Option<Out<'py>>,
        node_b: bool,
    ) -> PyResult<PyBatchResult> {
        let answers = answers.cast::<PyArrayDyn<u8>>().map_err(|_| {
            argument_error(
                "answers: expected a uint8 array (rows, leaves)".into(),
                "BadArray",
            )
        })?;
        let leaves = match answers.shape() {
            [_, l] => *l,
            shape => {
                return Err(argument_error(
                    format!("answers: shape {shape:?} is not (rows, leaves)"),
                    "BadShape",
                ))
            }
        };
        let offsets: Vec<usize> = py
            .import("service_quality._frames")?
            .call_method1("offsets_as_list", (offsets,))?
            .extract()?;
        let ro = answers
            .try_readonly()
            .map_err(|e| argument_error(format!("answers: {e}"), "BadArray"))?;
        let data = slice_of(&ro);
        let survey = SurveyAnswers::new(&data, leaves, &offsets).py()?;
        let n = survey.merchants();
        let (scores, grades) = outputs(py, n, out)?;
        let blocks = self.node_b_buffer(py, n, node_b);
        let summary = {
            let (mut s, mut g) = (writable(&scores, "scores")?, writable(&grades, "grades")?);
            let mut b = blocks.as_ref().map(|b| writable(b, "node_b")).transpose()?;
            let (s, g) = (slice_mut(&mut s, "scores")?, slice_mut(&mut g, "grades")?);
            let b = b.as_mut().map(|b| slice_mut(b, "node_b")).transpose()?;
            let inner = &self.inner;
            py.detach(|| inner.score_answers(&survey, output(s, g, b)?))
                .py()?
        };
        let blocks = self.node_b_array(n, blocks)?;
        result(py, scores.into_any(), grades.into_any(), &summary, blocks)
    }

    /// Benchmark helper: seconds taken by each of `repeats` calls of the crate's own
    /// `score_counts` / `score_memberships` on this array's buffer into the buffers of `out`
    /// (float64 scores, uint32 grades), timed inside Rust with no Python in the loop: the
    /// Rust speed on the very buffers a Python call uses. C-contiguous float64, uint8,
    /// uint16 or uint32 arrays only.
    fn _time_rust_loop<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
        repeats: usize,
        out: Out<'py>,
    ) -> PyResult<Vec<f64>> {
        let (scores, grades) = outputs(py, 0, Some(out))?;
        let (mut s, mut g) = (writable(&scores, "scores")?, writable(&grades, "grades")?);
        let (s, g) = (slice_mut(&mut s, "scores")?, slice_mut(&mut g, "grades")?);
        macro_rules! timed {
            ($t:ty, $call:ident) => {
                if let Ok(a) = x.cast::<PyArrayDyn<$t>>() {
                    let ro = a
                        .try_readonly()
                        .map_err(|e| argument_error(format!("{e}"), "BadArray"))?;
                    let data = ro.as_slice().map_err(|e| {
                        argument_error(format!("not C-contiguous: {e}"), "BadArray")
                    })?;
                    let inner = &self.inner;
                    return py
                        .detach(|| {
                            (0..repeats)
                                .map(|_| {
                                    let start = Instant::now();
                                    inner
                                        .$call(data, BatchOutput::new(&mut *s, &mut *g)?)
                                        .map(|_| start.elapsed().as_secs_f64())
                                })
                                .collect::<Result<Vec<f64>, Error>>()
                        })
                        .py();
                }
            };
        }
        timed!(f64, score_memberships);
        timed!(u8, score_counts);
        timed!(u16, score_counts);
        timed!(u32, score_counts);
        Err(argument_error(
            "expected a float64, uint8, uint16 or uint32 array".into(),
            "BadArray",
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "BatchScorer(leaves={}, grades={}, nodes={})",
            self.inner.n_leaves(),
            self.inner.n_grades(),
            self.inner.n_nodes()
        )
    }
}
