//! The model: the grade set and the indicator tree (from a JSON file, a JSON string, a Python
//! dict or the after-sales template), with its local and global weights.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use service_quality::hierarchy::NodeRef;
use service_quality::{template, Grade, GradeSet, IndicatorTree, TreeSpec, DEFAULT_CR_THRESHOLD};

use crate::ahp::{PyConsistencyReport, PyPairwiseMatrix};
use crate::convert::{argument_error, json_text, read_text, to_py};
use crate::errors::OrRaise;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGradeSet>()?;
    m.add_class::<PyIndicatorTree>()?;
    m.add("DEFAULT_CR_THRESHOLD", DEFAULT_CR_THRESHOLD)?;
    Ok(())
}

/// The grades of an evaluation (评语集), best first, each with a label and a value.
///
/// `labels` and `values` have one entry per grade (at least 2); `labels_zh` optionally gives
/// Chinese labels. `GradeSet.satisfaction_5()` is the five-grade satisfaction scale with
/// values 95, 85, 75, 65, 55; `GradeSet.satisfaction_5_points()` the same with 5 .. 1.
#[pyclass(name = "GradeSet", module = "service_quality", frozen)]
#[derive(Clone)]
pub(crate) struct PyGradeSet {
    pub(crate) inner: GradeSet,
}

#[pymethods]
impl PyGradeSet {
    #[new]
    #[pyo3(signature = (labels, values, labels_zh=None))]
    fn new(
        labels: Vec<String>,
        values: Vec<f64>,
        labels_zh: Option<Vec<String>>,
    ) -> PyResult<Self> {
        if labels.len() != values.len() {
            return Err(argument_error(
                format!(
                    "grade set: {} labels but {} values (one of each per grade)",
                    labels.len(),
                    values.len()
                ),
                "LengthMismatch",
            ));
        }
        if let Some(zh) = &labels_zh {
            if zh.len() != labels.len() {
                return Err(argument_error(
                    format!(
                        "grade set: {} Chinese labels for {} grades",
                        zh.len(),
                        labels.len()
                    ),
                    "LengthMismatch",
                ));
            }
        }
        let grades = labels
            .into_iter()
            .zip(values)
            .enumerate()
            .map(|(i, (label, value))| {
                let g = Grade::new(label, value);
                match labels_zh.as_ref().and_then(|zh| zh.get(i)) {
                    Some(zh) => g.with_label_zh(zh.clone()),
                    None => g,
                }
            })
            .collect();
        Ok(Self {
            inner: GradeSet::new(grades).py()?,
        })
    }

    /// The five satisfaction grades 很满意 .. 很不满意 (very satisfied .. very dissatisfied)
    /// with values 95, 85, 75, 65, 55.
    #[staticmethod]
    fn satisfaction_5() -> Self {
        Self {
            inner: GradeSet::satisfaction_5(),
        }
    }

    /// The five satisfaction grades with values 5, 4, 3, 2, 1 (Likert points).
    #[staticmethod]
    fn satisfaction_5_points() -> Self {
        Self {
            inner: GradeSet::satisfaction_5_points(),
        }
    }

    /// The English labels, best grade first.
    #[getter]
    fn labels(&self) -> Vec<String> {
        self.inner
            .grades()
            .iter()
            .map(|g| g.label().to_owned())
            .collect()
    }

    /// The Chinese labels (None where a grade has none).
    #[getter]
    fn labels_zh(&self) -> Vec<Option<String>> {
        self.inner
            .grades()
            .iter()
            .map(|g| g.label_zh().map(str::to_owned))
            .collect()
    }

    /// The values of the grades (a score is the membership-weighted mean of these).
    #[getter]
    fn values(&self) -> Vec<f64> {
        self.inner.values()
    }

    /// The grade set as a list of dicts (`label`, `label_zh`, `value`).
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        let grades: Vec<String> = self
            .inner
            .grades()
            .iter()
            .map(|g| format!("{} = {}", g.label(), g.value()))
            .collect();
        format!("GradeSet([{}])", grades.join(", "))
    }
}

/// A validated indicator hierarchy with its local and global weights (AHP judgements turned
/// into weights when the tree is built).
///
/// Build it with `IndicatorTree.from_file(path)`, `from_json(text)`, `from_dict(d)` (the model
/// file format: `{"priority": {...}, "root": {"id", "label", "label_zh", "judgements" |
/// "weights" | "raw_weights", "children"}}`) or `IndicatorTree.after_sales_template()` (the
/// 13-indicator after-sales system with equal weights). The build accepts any consistency;
/// `require_consistency(0.1)` is the strict build, refusing judgements with CR >= 0.1.
#[pyclass(name = "IndicatorTree", module = "service_quality", frozen)]
#[derive(Clone)]
pub(crate) struct PyIndicatorTree {
    pub(crate) inner: Arc<IndicatorTree>,
}

impl PyIndicatorTree {
    fn wrap(tree: IndicatorTree) -> Self {
        Self {
            inner: Arc::new(tree),
        }
    }

    fn node_ref(&self, id: &str) -> PyResult<NodeRef<'_>> {
        self.inner.node(id).py()
    }
}

/// A node as a dict of its fields.
fn node_dict<'py>(py: Python<'py>, n: NodeRef<'_>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", n.id())?;
    d.set_item("path", n.path())?;
    d.set_item("label", n.label())?;
    d.set_item("label_zh", n.label_zh())?;
    d.set_item("depth", n.depth())?;
    d.set_item("parent", n.parent().map(|p| p.id()))?;
    d.set_item("is_leaf", n.is_leaf())?;
    d.set_item("local_weight", n.local_weight())?;
    d.set_item("global_weight", n.global_weight())?;
    d.set_item("cr", n.consistency().map(|c| c.cr()))?;
    Ok(d)
}

#[pymethods]
impl PyIndicatorTree {
    /// Reads and validates a model file given as JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self::wrap(IndicatorTree::from_json(text).py()?))
    }

    /// Reads and validates a model file (JSON, UTF-8).
    #[staticmethod]
    fn from_file(path: std::path::PathBuf) -> PyResult<Self> {
        Self::from_json(&read_text(&path)?)
    }

    /// Validates a model given as a Python dict in the model file format.
    #[staticmethod]
    fn from_dict(model: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::from_json(&json_text(model)?)
    }

    /// The after-sales indicator system (4 dimensions, 13 indicators, English and Chinese
    /// labels) with equal weights at every node.
    #[staticmethod]
    fn after_sales_template() -> PyResult<Self> {
        Ok(Self::wrap(
            IndicatorTree::new(template::after_sales()).py()?,
        ))
    }

    /// This tree if every comparison matrix has CR < `threshold`; raises `AhpError` naming
    /// every failing node with its CR otherwise.
    #[pyo3(signature = (threshold=DEFAULT_CR_THRESHOLD))]
    fn require_consistency(&self, threshold: f64) -> PyResult<Self> {
        Ok(Self::wrap(
            IndicatorTree::clone(&self.inner)
                .require_consistency(threshold)
                .py()?,
        ))
    }

    /// `True` when every comparison matrix of the tree has CR < `threshold`.
    #[pyo3(signature = (threshold=DEFAULT_CR_THRESHOLD))]
    fn is_consistent(&self, threshold: f64) -> bool {
        self.inner.is_consistent(threshold)
    }

    /// The model as a dict in the model file format (`IndicatorTree.from_dict` reads it back).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.spec())
    }

    /// The model as JSON text in the model file format.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string_pretty(self.inner.spec() as &TreeSpec)
            .map_err(|e| argument_error(format!("cannot serialise the model: {e}"), "Serialise"))
    }

    /// Id of the goal (root) node.
    #[getter]
    fn root_id(&self) -> String {
        self.inner.root().id().to_owned()
    }

    /// Ids of the indicators (leaves) in the tree's order: the column order of batch inputs.
    #[getter]
    fn leaf_ids(&self) -> Vec<String> {
        self.inner.leaves().map(|n| n.id().to_owned()).collect()
    }

    /// Ids of all nodes, in preorder.
    #[getter]
    fn node_ids(&self) -> Vec<String> {
        self.inner.nodes().map(|n| n.id().to_owned()).collect()
    }

    /// Number of indicators (leaves).
    #[getter]
    fn leaf_count(&self) -> usize {
        self.inner.leaf_count()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Weight of a node among its siblings (1 for the root).
    fn local_weight(&self, id: &str) -> PyResult<f64> {
        self.inner.local_weight(id).py()
    }

    /// Product of the local weights from the root to the node.
    fn global_weight(&self, id: &str) -> PyResult<f64> {
        self.inner.global_weight(id).py()
    }

    /// `{indicator id: global weight}`, in the tree's order (the weights sum to 1).
    fn leaf_weights<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (id, w) in self.inner.leaf_weights() {
            d.set_item(id, w)?;
        }
        Ok(d)
    }

    /// One node as a dict: id, path, labels, depth, parent, is_leaf, local and global weight,
    /// and the CR of its judgements (None without judgements).
    fn node<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyDict>> {
        node_dict(py, self.node_ref(id)?)
    }

    /// Every node as a dict (see `node`), in preorder.
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for n in self.inner.nodes() {
            list.append(node_dict(py, n)?)?;
        }
        Ok(list)
    }

    /// Every node (see `node`) as a pandas DataFrame indexed by id.
    fn to_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let frame = py
            .import("pandas")?
            .getattr("DataFrame")?
            .call1((self.nodes(py)?,))?;
        frame.call_method1("set_index", ("id",))
    }

    /// Ids of a group node's children, in order.
    fn children(&self, id: &str) -> PyResult<Vec<String>> {
        Ok(self
            .node_ref(id)?
            .children()
            .map(|c| c.id().to_owned())
            .collect())
    }

    /// The pairwise comparison matrix of a group node (None when its weights are given
    /// directly or it is a leaf).
    fn judgements(&self, id: &str) -> PyResult<Option<PyPairwiseMatrix>> {
        Ok(self
            .node_ref(id)?
            .judgements()
            .map(|m| PyPairwiseMatrix { inner: m.clone() }))
    }

    /// The consistency report of a group node's judgements (None without judgements).
    fn consistency(&self, id: &str) -> PyResult<Option<PyConsistencyReport>> {
        Ok(self
            .node_ref(id)?
            .consistency()
            .map(|c| PyConsistencyReport { inner: *c }))
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "IndicatorTree(root={:?}, nodes={}, leaves={})",
            self.inner.root().id(),
            self.inner.len(),
            self.inner.leaf_count()
        )
    }
}
