//! The paper's tables of a model and of a merchant (`report::WeightTable`,
//! `report::MerchantTables`): judgement matrices with their consistency, every indicator's
//! weights, the hierarchy's overall consistency per level, and each node's composition and B.

use pyo3::prelude::*;
use service_quality::report::{MerchantTables, WeightTable};

use crate::convert::{argument_error, to_py};
use crate::errors::OrRaise;
use crate::evaluate::PyEvaluator;
use crate::input::PyMemberships;
use crate::model::PyIndicatorTree;
use crate::table::{table, tables, PyTable};

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyWeightTable>()?;
    m.add_class::<PyMerchantTables>()?;
    Ok(())
}

/// The weight tables of a model: per pairwise-judged node its matrix, local weights,
/// lambda_max, CI, RI (table named), CR and whether CR < threshold; every indicator's local
/// and global weight; the hierarchy's overall consistency per level (层次总排序一致性).
///
/// `WeightTable(tree, threshold=0.1)`. Each `*_table()` is a `Table` (render it, or
/// `to_frame()` for a DataFrame with every digit); `to_dict()` gives the data.
#[pyclass(name = "WeightTable", module = "service_quality", frozen)]
pub(crate) struct PyWeightTable {
    inner: WeightTable,
}

#[pymethods]
impl PyWeightTable {
    #[new]
    #[pyo3(signature = (tree, threshold=service_quality::DEFAULT_CR_THRESHOLD))]
    fn new(tree: &PyIndicatorTree, threshold: f64) -> PyResult<Self> {
        Ok(Self {
            inner: WeightTable::new(&tree.inner)
                .with_threshold(threshold)
                .py()?,
        })
    }

    /// The CR threshold.
    #[getter]
    fn threshold(&self) -> f64 {
        self.inner.threshold()
    }

    /// The random index table's name.
    #[getter]
    fn ri_table(&self) -> &'static str {
        self.inner.ri_table().name()
    }

    /// The ids of the pairwise-judged nodes, in preorder.
    #[getter]
    fn judged_ids(&self) -> Vec<String> {
        self.inner
            .judged()
            .iter()
            .map(|n| n.id().to_owned())
            .collect()
    }

    /// `{"method", "ri_table", "threshold", "judged", "indicators", "levels"}` (labels as
    /// `{"en", "zh"}`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The matrix of the judged node `node` (an id of `judged_ids`): entries and local
    /// weights, the consistency figures as notes.
    fn matrix_table(&self, node: &str) -> PyResult<PyTable> {
        let judged = self
            .inner
            .judged()
            .iter()
            .find(|n| n.id() == node)
            .ok_or_else(|| {
                argument_error(
                    format!(
                        "node {node:?} has no judgements; judged nodes: {:?}",
                        self.judged_ids()
                    ),
                    "UnknownNode",
                )
            })?;
        table(self.inner.matrix_table(judged))
    }

    /// One row per judged node: n, lambda_max, CI, RI, CR, passes.
    fn consistency_table(&self) -> PyResult<PyTable> {
        table(self.inner.consistency_table())
    }

    /// Every indicator's parent, local and global weight.
    fn indicator_table(&self) -> PyResult<PyTable> {
        table(self.inner.indicator_table())
    }

    /// The overall consistency per level (CI, RI, CR and cumulative CR).
    fn overall_table(&self) -> PyResult<PyTable> {
        table(self.inner.overall_table())
    }

    /// Every table: each matrix, then consistency, indicators and overall consistency.
    fn tables(&self) -> PyResult<Vec<PyTable>> {
        tables(self.inner.tables())
    }

    fn __repr__(&self) -> String {
        format!(
            "WeightTable(judged={:?}, threshold={})",
            self.judged_ids(),
            self.inner.threshold()
        )
    }
}

/// The tables of one merchant's evaluation as papers print them: each node's B (raw, its
/// sum, normalised), score and grades; per group node its composition (the children's
/// weights and memberships R, then B).
///
/// `MerchantTables(evaluator, merchant, data)` evaluates `data` (a `Memberships`) like
/// `Evaluator.report`.
#[pyclass(name = "MerchantTables", module = "service_quality", frozen)]
pub(crate) struct PyMerchantTables {
    inner: MerchantTables,
}

#[pymethods]
impl PyMerchantTables {
    #[new]
    fn new(evaluator: &PyEvaluator, merchant: &str, data: &PyMemberships) -> PyResult<Self> {
        Ok(Self {
            inner: evaluator
                .inner
                .merchant_tables(merchant, &data.inner)
                .py()?,
        })
    }

    /// The merchant.
    #[getter]
    fn merchant(&self) -> String {
        self.inner.merchant().to_owned()
    }

    /// Every node's B, score and grades: `[{"id", "path", "label", "depth", "leaf", "weight",
    /// "raw", "sum", "normalized", "score", "grade", "other_grade", "tied"}]`.
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.nodes())
    }

    /// The ids of the group nodes with a composition, in preorder.
    #[getter]
    fn composed_ids(&self) -> Vec<String> {
        self.inner
            .compositions()
            .iter()
            .map(|c| c.node().id().to_owned())
            .collect()
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// One row per node: B normalised, score and grades.
    fn summary_table(&self) -> PyResult<PyTable> {
        table(self.inner.summary_table())
    }

    /// The composition of group node `node` (an id of `composed_ids`).
    fn composition_table(&self, node: &str) -> PyResult<PyTable> {
        let c = self
            .inner
            .compositions()
            .iter()
            .find(|c| c.node().id() == node)
            .ok_or_else(|| {
                argument_error(
                    format!(
                        "node {node:?} has no composition; group nodes: {:?}",
                        self.composed_ids()
                    ),
                    "UnknownNode",
                )
            })?;
        table(self.inner.composition_table(c))
    }

    /// The summary table, then every composition.
    fn tables(&self) -> PyResult<Vec<PyTable>> {
        tables(self.inner.tables())
    }

    fn __repr__(&self) -> String {
        format!(
            "MerchantTables(merchant={:?}, nodes={})",
            self.inner.merchant(),
            self.inner.nodes().len()
        )
    }
}
