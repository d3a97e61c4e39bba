//! Expert panels: several experts' matrices over the same criteria (`Panel`), and a panel for
//! a whole hierarchy from a panel file (`GroupTree`).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use service_quality::group::{AhpConsensus, ExpertWeights};
use service_quality::{
    Aggregation, AipMean, GroupTree, Panel, PanelOptions, PanelResult, PanelSpec,
};

use crate::ahp::{priority_options, PyPairwiseMatrix, PyPriorities};
use crate::convert::{argument_error, json_text, read_text, to_py};
use crate::errors::OrRaise;
use crate::model::PyIndicatorTree;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPanel>()?;
    m.add_class::<PyGroupTree>()?;
    Ok(())
}

fn aggregation(name: &str) -> PyResult<Aggregation> {
    match name {
        "judgements" | "aij" => Ok(Aggregation::Judgements),
        "priorities_geometric" | "aip_geometric" => Ok(Aggregation::Priorities(AipMean::Geometric)),
        "priorities_arithmetic" | "aip_arithmetic" => {
            Ok(Aggregation::Priorities(AipMean::Arithmetic))
        }
        other => Err(argument_error(
            format!(
                "aggregation: unknown {other:?}; expected \"judgements\", \
                 \"priorities_geometric\" or \"priorities_arithmetic\""
            ),
            "UnknownName",
        )),
    }
}

fn consensus_dict<'py>(py: Python<'py>, c: &AhpConsensus) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("s_star", c.s_star())?;
    d.set_item("d_alpha", c.d_alpha())?;
    d.set_item("d_beta", c.d_beta())?;
    d.set_item("d_gamma", c.d_gamma())?;
    d.set_item("homogeneity", c.homogeneity())?;
    Ok(d)
}

/// A panel's result as a dict.
fn result_dict<'py>(py: Python<'py>, r: &PanelResult) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("weights", r.weights().to_vec())?;
    d.set_item("aggregation", to_py(py, &r.aggregation())?)?;
    d.set_item(
        "aggregated_matrix",
        r.aggregated_matrix().map(|m| m.to_rows()),
    )?;
    let aggregated = match r.aggregated_priorities() {
        Some(p) => Some(PyPriorities { inner: p.clone() }.to_dict(py)?),
        None => None,
    };
    d.set_item("aggregated_priorities", aggregated)?;
    let individual = PyList::empty(py);
    for p in r.individual() {
        individual.append(PyPriorities { inner: p.clone() }.to_dict(py)?)?;
    }
    d.set_item("individual", individual)?;
    d.set_item("excluded", to_py(py, r.excluded())?)?;
    d.set_item("included", r.included().to_vec())?;
    d.set_item(
        "expert_weights_used",
        r.expert_weights_used().as_slice().to_vec(),
    )?;
    d.set_item("consensus", consensus_dict(py, r.consensus())?)?;
    d.set_item("compatibility", r.compatibility().to_vec())?;
    Ok(d)
}

/// Several experts' pairwise matrices over the same criteria.
///
/// Panel(matrices, expert_weights=None): `matrices` are `PairwiseMatrix` objects (or lists of
/// rows), `expert_weights` raw non-negative weights (default equal). `evaluate(...)` aggregates
/// them: `aggregation="judgements"` (AIJ, weighted geometric mean of the judgements, the
/// default), `"priorities_geometric"` or `"priorities_arithmetic"` (AIP); experts whose CR is
/// not below `exclude_above_cr` are left out and listed; the result holds the group weights,
/// every expert's priorities, the consensus indicators (S*, homogeneity) and each expert's
/// compatibility (GCOMPI).
#[pyclass(name = "Panel", module = "service_quality", frozen)]
pub(crate) struct PyPanel {
    inner: Panel,
}

#[pymethods]
impl PyPanel {
    #[new]
    #[pyo3(signature = (matrices, expert_weights=None))]
    fn new(matrices: Vec<Bound<'_, PyAny>>, expert_weights: Option<Vec<f64>>) -> PyResult<Self> {
        let matrices = matrices
            .iter()
            .map(|m| match m.cast::<PyPairwiseMatrix>() {
                Ok(p) => Ok(p.get().inner.clone()),
                Err(_) => {
                    let rows: Vec<Vec<f64>> = m.extract()?;
                    service_quality::PairwiseMatrix::from_rows(&rows).py()
                }
            })
            .collect::<PyResult<Vec<_>>>()?;
        let inner = match expert_weights {
            None => Panel::new(matrices).py()?,
            Some(w) => Panel::with_expert_weights(matrices, ExpertWeights::new(&w).py()?).py()?,
        };
        Ok(Self { inner })
    }

    /// Number of experts.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Size of the matrices.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// Aggregates the panel (see the class docs); `method`, `random_index`, `tol`,
    /// `max_iter` as in `PairwiseMatrix.priorities`.
    #[pyo3(signature = (aggregation="judgements", exclude_above_cr=None, method="eigenvector", random_index=None, tol=None, max_iter=None))]
    #[allow(clippy::too_many_arguments)]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        aggregation: &str,
        exclude_above_cr: Option<f64>,
        method: &str,
        random_index: Option<&Bound<'_, PyAny>>,
        tol: Option<f64>,
        max_iter: Option<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut opts = PanelOptions::new()
            .with_aggregation(self::aggregation(aggregation)?)
            .with_priority(priority_options(method, random_index, tol, max_iter)?);
        if let Some(t) = exclude_above_cr {
            opts = opts.with_exclude_above_cr(t).py()?;
        }
        result_dict(py, &self.inner.evaluate(&opts).py()?)
    }
}

/// A panel for a whole hierarchy: every expert's judgements at every group node, aggregated
/// node by node into one indicator tree (the panel file format; see the crate's `PanelSpec`).
///
/// `GroupTree.from_json(text)`, `from_file(path)` or `from_dict(d)`; `tree` is the resulting
/// `IndicatorTree`, `nodes()` each group node's panel result.
#[pyclass(name = "GroupTree", module = "service_quality", frozen)]
pub(crate) struct PyGroupTree {
    inner: GroupTree,
    spec: PanelSpec,
}

#[pymethods]
impl PyGroupTree {
    /// Reads and aggregates a panel file given as JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        let spec: PanelSpec = serde_json::from_str(text)
            .map_err(|e| argument_error(format!("panel file: {e}"), "ModelFile"))?;
        Ok(Self {
            inner: GroupTree::from_spec(spec.clone()).py()?,
            spec,
        })
    }

    /// Reads and aggregates a panel file (JSON, UTF-8).
    #[staticmethod]
    fn from_file(path: std::path::PathBuf) -> PyResult<Self> {
        Self::from_json(&read_text(&path)?)
    }

    /// Aggregates a panel given as a Python dict in the panel file format.
    #[staticmethod]
    fn from_dict(panel: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::from_json(&json_text(panel)?)
    }

    /// The panel as a dict in the panel file format.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.spec)
    }

    /// The aggregated indicator tree.
    #[getter]
    fn tree(&self) -> PyIndicatorTree {
        PyIndicatorTree {
            inner: std::sync::Arc::new(self.inner.tree().clone()),
        }
    }

    /// The experts' names, in panel order.
    #[getter]
    fn expert_names(&self) -> Vec<String> {
        self.inner.expert_names().to_vec()
    }

    /// `{node path: panel result dict}` for every group node (see `Panel.evaluate`), each
    /// with `completions`: `[(expert, {"matrix", "filled", "method"}), ...]` for experts
    /// whose missing pairs were filled.
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for node in self.inner.nodes() {
            let r = result_dict(py, node.result())?;
            let completions = PyList::empty(py);
            for (expert, c) in node.completions() {
                let e = PyDict::new(py);
                e.set_item("matrix", c.matrix().to_rows())?;
                e.set_item("filled", to_py(py, c.filled())?)?;
                e.set_item("method", to_py(py, &c.method())?)?;
                completions.append((*expert, e))?;
            }
            r.set_item("completions", completions)?;
            d.set_item(node.path(), r)?;
        }
        Ok(d)
    }
}
