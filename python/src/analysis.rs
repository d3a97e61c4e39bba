//! Statistical analysis of questionnaire answers (`service_quality::analysis`): a `Responses`
//! table from pandas, numpy or lists; descriptive statistics, reliability, correlation, trends,
//! validity (KMO, Bartlett, principal components with varimax) and k-means clustering, each
//! result with its dict form and its paper tables (`Table`).

use std::borrow::Cow;

use numpy::{PyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use service_quality::analysis::{
    self, ClusterCount, Clustering, CorrelationMatrix, CorrelationMethod, DimensionReliability,
    FactorAnalysis, FactorAssignment, FactorCount, KMeans, Labels, LinearTrend, MannKendall,
    MissingPolicy, Reliability, Responses, SamplingAdequacy, StructureValidity, VariableSummary,
};
use service_quality::report::Text;

use crate::convert::{argument_error, to_py};
use crate::errors::OrRaise;
use crate::model::{PyGradeSet, PyIndicatorTree};
use crate::table::{table, PyTable};

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyResponses>()?;
    m.add_class::<PyDescriptives>()?;
    m.add_class::<PyReliability>()?;
    m.add_class::<PyDimensionReliability>()?;
    m.add_class::<PyCorrelationMatrix>()?;
    m.add_class::<PyLinearTrend>()?;
    m.add_class::<PyMannKendall>()?;
    m.add_class::<PySamplingAdequacy>()?;
    m.add_class::<PyFactorAnalysis>()?;
    m.add_class::<PyStructureValidity>()?;
    m.add_class::<PyKMeans>()?;
    m.add_class::<PyClustering>()?;
    m.add_class::<PySilhouetteScan>()?;
    m.add_function(wrap_pyfunction!(describe, m)?)?;
    m.add_function(wrap_pyfunction!(describe_dimensions, m)?)?;
    m.add_function(wrap_pyfunction!(describe_by_merchant, m)?)?;
    m.add_function(wrap_pyfunction!(dimension_scores, m)?)?;
    m.add_function(wrap_pyfunction!(reliability_by_dimension, m)?)?;
    m.add_function(wrap_pyfunction!(reliability_table, m)?)?;
    m.add_function(wrap_pyfunction!(reliability_items_table, m)?)?;
    m.add_function(wrap_pyfunction!(period_changes, m)?)?;
    m.add_function(wrap_pyfunction!(relative_changes, m)?)?;
    m.add_function(wrap_pyfunction!(moving_average, m)?)?;
    m.add_function(wrap_pyfunction!(trend_table, m)?)?;
    m.add_function(wrap_pyfunction!(period_table, m)?)?;
    m.add_function(wrap_pyfunction!(silhouette_by_k, m)?)?;
    m.add_function(wrap_pyfunction!(merchant_dimension_scores, m)?)?;
    m.add_function(wrap_pyfunction!(significance_stars, m)?)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// inputs: tables, names, labels

/// The table of an analysis argument: a `Responses` (borrowed), a pandas DataFrame or a 2-D
/// array-like (read through `_frames.responses_matrix`, NaN = missing).
fn responses<'a>(data: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, Responses>> {
    if let Ok(r) = data.cast::<PyResponses>() {
        return Ok(Cow::Borrowed(&r.get().inner));
    }
    let (ids, array) = matrix_of(data, None)?;
    Ok(Cow::Owned(from_matrix(ids, &array)?))
}

/// `(ids, float64 2-D C-contiguous array)` of a DataFrame or an array-like.
fn matrix_of<'py>(
    data: &Bound<'py, PyAny>,
    ids: Option<Vec<String>>,
) -> PyResult<(Vec<String>, Bound<'py, PyAny>)> {
    let made = data
        .py()
        .import("service_quality._frames")?
        .call_method1("responses_matrix", (data, ids))?;
    made.extract()
}

/// A table from ids and a float64 2-D array, NaN read as missing.
fn from_matrix(ids: Vec<String>, array: &Bound<'_, PyAny>) -> PyResult<Responses> {
    let array: PyReadonlyArray2<'_, f64> = array.extract()?;
    let view = array.as_array();
    let rows = view
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|&x| (!x.is_nan()).then_some(x)).collect())
        .collect();
    Responses::new(ids, rows).py()
}

/// A text in English (`"name"`) or in both languages (`("name", "名称")`).
fn text_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Text> {
    if let Ok(en) = obj.extract::<String>() {
        return Ok(Text::new(en));
    }
    let (en, zh): (String, String) = obj.extract().map_err(|_| {
        argument_error(
            format!("{what}: expected a str or a pair (english, chinese)"),
            "BadValue",
        )
    })?;
    Ok(Text::bilingual(en, zh))
}

/// Runs `f` with the variable names of a `labels` argument: None (the ids), an
/// `IndicatorTree` (its English and Chinese labels) or a dict `{id: name or (english,
/// chinese)}`.
fn with_labels<R>(
    labels: Option<&Bound<'_, PyAny>>,
    f: impl FnOnce(&Labels<'_>) -> PyResult<R>,
) -> PyResult<R> {
    let Some(obj) = labels.filter(|l| !l.is_none()) else {
        return f(&Labels::ids());
    };
    if let Ok(tree) = obj.cast::<PyIndicatorTree>() {
        return f(&Labels::from_tree(&tree.get().inner));
    }
    let dict = obj.cast::<PyDict>().map_err(|_| {
        argument_error(
            "labels: expected None, an IndicatorTree or a dict {id: name or (english, chinese)}"
                .into(),
            "BadValue",
        )
    })?;
    let mut named = Labels::ids();
    for (id, name) in dict.iter() {
        let id: String = id.extract()?;
        let name = text_of(&name, &format!("labels[{id:?}]"))?;
        named = named.with(id, name);
    }
    f(&named)
}

/// A missing-value policy from its name.
fn policy(name: &str) -> PyResult<MissingPolicy> {
    match name {
        "listwise" => Ok(MissingPolicy::Listwise),
        "pairwise" => Ok(MissingPolicy::Pairwise),
        other => Err(argument_error(
            format!("policy: unknown {other:?}; expected \"listwise\" or \"pairwise\""),
            "UnknownName",
        )),
    }
}

/// The name of a missing-value policy.
fn policy_name(p: MissingPolicy) -> &'static str {
    match p {
        MissingPolicy::Pairwise => "pairwise",
        _ => "listwise",
    }
}

/// A correlation method from its name.
fn method(name: &str) -> PyResult<CorrelationMethod> {
    match name {
        "pearson" => Ok(CorrelationMethod::Pearson),
        "spearman" => Ok(CorrelationMethod::Spearman),
        "kendall" | "kendall_tau_b" => Ok(CorrelationMethod::KendallTauB),
        other => Err(argument_error(
            format!("method: unknown {other:?}; expected \"pearson\", \"spearman\" or \"kendall\""),
            "UnknownName",
        )),
    }
}

/// The name of a correlation method.
fn method_name(m: CorrelationMethod) -> &'static str {
    match m {
        CorrelationMethod::Spearman => "spearman",
        CorrelationMethod::KendallTauB => "kendall",
        _ => "pearson",
    }
}

/// The name of a factor assignment rule.
fn assignment_name(a: FactorAssignment) -> &'static str {
    match a {
        FactorAssignment::OneToOne => "one_to_one",
        _ => "majority",
    }
}

/// A `rows x cols` float64 numpy array of equal-length rows.
fn matrix<'py>(py: Python<'py>, rows: &[Vec<f64>], cols: usize) -> PyResult<Bound<'py, PyAny>> {
    let flat: Vec<f64> = rows.iter().flatten().copied().collect();
    PyArray1::from_vec(py, flat).call_method1("reshape", (rows.len(), cols))
}

/// A pandas DataFrame of `records` (dicts) indexed by `index`.
fn frame<'py>(
    py: Python<'py>,
    records: Bound<'py, PyList>,
    index: &str,
) -> PyResult<Bound<'py, PyAny>> {
    py.import("pandas")?
        .getattr("DataFrame")?
        .call1((records,))?
        .call_method1("set_index", (index,))
}

// ---------------------------------------------------------------------------------------------
// the table

/// A table of observations (rows: respondents or merchants) by variables (columns: items,
/// dimension scores, KPIs), each cell a finite number or missing.
///
/// `Responses(ids, rows)` takes rows of numbers or None (missing; NaN is refused here);
/// `Responses.from_dataframe(frame, columns=None)` and `Responses.from_numpy(array, ids=None)`
/// read NaN (and pandas' NA) as missing, the ids being the column names (as str) or
/// `"0", "1", ...`. Every analysis also takes a DataFrame or a 2-D array directly. Raises
/// `AnalysisError` for no variables, a repeated id, a row of the wrong length or a value that
/// is infinite or beyond 1e60 in magnitude (naming the row and variable).
#[pyclass(name = "Responses", module = "service_quality", frozen)]
#[derive(Clone)]
pub(crate) struct PyResponses {
    inner: Responses,
}

#[pymethods]
impl PyResponses {
    #[new]
    fn new(ids: Vec<String>, rows: Vec<Vec<Option<f64>>>) -> PyResult<Self> {
        Ok(Self {
            inner: Responses::new(ids, rows).py()?,
        })
    }

    /// The table of a pandas DataFrame (the `columns` given, or all; numeric columns only),
    /// NaN / NA as missing.
    #[staticmethod]
    #[pyo3(signature = (frame, columns=None))]
    fn from_dataframe(frame: &Bound<'_, PyAny>, columns: Option<Vec<String>>) -> PyResult<Self> {
        let (ids, array) = matrix_of(frame, columns)?;
        Ok(Self {
            inner: from_matrix(ids, &array)?,
        })
    }

    /// The table of a 2-D array (rows by variables), NaN as missing; `ids` default to
    /// `"0", "1", ...`.
    #[staticmethod]
    #[pyo3(signature = (array, ids=None))]
    fn from_numpy(array: &Bound<'_, PyAny>, ids: Option<Vec<String>>) -> PyResult<Self> {
        let (ids, array) = matrix_of(array, ids)?;
        Ok(Self {
            inner: from_matrix(ids, &array)?,
        })
    }

    /// The variable ids, in column order.
    #[getter]
    fn ids(&self) -> Vec<String> {
        self.inner.ids().to_vec()
    }

    /// Number of variables.
    #[getter]
    fn variable_count(&self) -> usize {
        self.inner.variable_count()
    }

    /// The rows as lists (None for missing).
    fn rows(&self) -> Vec<Vec<Option<f64>>> {
        self.inner.rows().to_vec()
    }

    /// The values as a float64 array `(rows, variables)`, NaN for missing.
    fn to_numpy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let flat: Vec<f64> = self
            .inner
            .rows()
            .iter()
            .flatten()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect();
        PyArray1::from_vec(py, flat)
            .call_method1("reshape", (self.inner.len(), self.inner.variable_count()))
    }

    /// The table as a pandas DataFrame (columns = ids, NaN for missing).
    fn to_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("columns", self.ids())?;
        py.import("pandas")?
            .getattr("DataFrame")?
            .call((self.to_numpy(py)?,), Some(&kwargs))
    }

    /// The table restricted to `ids`, in that order.
    fn select(&self, ids: Vec<String>) -> PyResult<Self> {
        Ok(Self {
            inner: self.inner.select(&ids).py()?,
        })
    }

    /// The variables of this table followed by those of `other`, row by row.
    fn join(&self, other: &Self) -> PyResult<Self> {
        Ok(Self {
            inner: self.inner.join(&other.inner).py()?,
        })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        format!(
            "Responses(rows={}, ids={:?})",
            self.inner.len(),
            self.inner.ids()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// descriptive statistics

/// Descriptive statistics of each variable: n, missing, mean, SD, median, minimum, maximum,
/// skewness and excess kurtosis (population g1, g2 and SPSS's G1, G2), the frequency table,
/// and (graded) the same statistics on the grade values.
///
/// From `describe(data, grades=None)`, `describe_dimensions(tree, data)` or
/// `describe_by_merchant(data, merchants)`. `to_list()` gives every number (None where a
/// statistic is undefined), `to_frame()` one row per variable, `table(labels)` the paper's
/// table and `frequency_table(variable, labels)` one variable's frequencies.
#[pyclass(name = "Descriptives", module = "service_quality", frozen)]
pub(crate) struct PyDescriptives {
    inner: Vec<VariableSummary>,
}

#[pymethods]
impl PyDescriptives {
    /// The variable ids.
    #[getter]
    fn ids(&self) -> Vec<String> {
        self.inner.iter().map(|v| v.id().to_owned()).collect()
    }

    /// `[{"id", "missing", "codes": {...} or None, "values": {...} or None, "frequencies":
    /// [{"code", "count", "valid_percent"}]}]`.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// One row per variable (index `id`): `missing` and the statistics of the codes, or of
    /// the grade values with `values=True` (graded summaries only; NaN where undefined).
    #[pyo3(signature = (values=false))]
    fn to_frame<'py>(&self, py: Python<'py>, values: bool) -> PyResult<Bound<'py, PyAny>> {
        let records = PyList::empty(py);
        for v in &self.inner {
            let d = PyDict::new(py);
            d.set_item("id", v.id())?;
            d.set_item("missing", v.missing())?;
            let s = if values { v.values() } else { v.codes() };
            let get = |f: fn(&analysis::Summary) -> Option<f64>| s.and_then(f).unwrap_or(f64::NAN);
            d.set_item("n", s.map_or(0, analysis::Summary::n))?;
            d.set_item("mean", get(|s| Some(s.mean())))?;
            d.set_item("sd", get(analysis::Summary::sd))?;
            d.set_item("median", get(|s| Some(s.median())))?;
            d.set_item("min", get(|s| Some(s.min())))?;
            d.set_item("max", get(|s| Some(s.max())))?;
            d.set_item("skewness", get(analysis::Summary::skewness))?;
            d.set_item("kurtosis", get(analysis::Summary::kurtosis))?;
            d.set_item("skewness_spss", get(analysis::Summary::skewness_spss))?;
            d.set_item("kurtosis_spss", get(analysis::Summary::kurtosis_spss))?;
            records.append(d)?;
        }
        frame(py, records, "id")
    }

    /// The descriptive-statistics table (n, missing, mean, SD, median, min, max, G1, G2).
    #[pyo3(signature = (labels=None))]
    fn table(&self, labels: Option<&Bound<'_, PyAny>>) -> PyResult<PyTable> {
        with_labels(labels, |l| {
            table(analysis::descriptive_table(&self.inner, l))
        })
    }

    /// The frequency table of one variable (code, count, valid percent).
    #[pyo3(signature = (variable, labels=None))]
    fn frequency_table(
        &self,
        variable: &str,
        labels: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyTable> {
        let summary = self
            .inner
            .iter()
            .find(|v| v.id() == variable)
            .ok_or_else(|| {
                argument_error(
                    format!("no variable {variable:?} among {:?}", self.ids()),
                    "UnknownVariable",
                )
            })?;
        with_labels(labels, |l| table(analysis::frequency_table(summary, l)))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("Descriptives(ids={:?})", self.ids())
    }
}

/// Descriptive statistics of every variable of `data` (a `Responses`, DataFrame or 2-D
/// array). With `grades`, the codes are 0-based grade indices and the statistics are also
/// given on the grade values (a code that is not a grade index raises `AnalysisError`).
#[pyfunction]
#[pyo3(signature = (data, grades=None))]
fn describe(data: &Bound<'_, PyAny>, grades: Option<&PyGradeSet>) -> PyResult<PyDescriptives> {
    let t = responses(data)?;
    let inner = match grades {
        Some(g) => analysis::describe_graded(&t, &g.inner).py()?,
        None => analysis::describe(&t),
    };
    Ok(PyDescriptives { inner })
}

/// Descriptive statistics of each dimension score: for every group of `tree` with leaf
/// children among the variables, each respondent's mean answer to them.
#[pyfunction]
fn describe_dimensions(
    tree: &PyIndicatorTree,
    data: &Bound<'_, PyAny>,
) -> PyResult<PyDescriptives> {
    Ok(PyDescriptives {
        inner: analysis::describe_dimensions(&tree.inner, &*responses(data)?),
    })
}

/// Descriptive statistics per merchant: `merchants[i]` owns row `i`; a dict `{merchant:
/// Descriptives}` in order of first row.
#[pyfunction]
fn describe_by_merchant<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    merchants: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let per = analysis::describe_by_merchant(&*responses(data)?, &merchants).py()?;
    let d = PyDict::new(py);
    for m in per {
        d.set_item(
            m.merchant(),
            PyDescriptives {
                inner: m.variables().to_vec(),
            },
        )?;
    }
    Ok(d)
}

/// Each respondent's dimension scores (mean of their answers to each dimension's leaf items;
/// missing when none answered), one variable per dimension of `tree`.
#[pyfunction]
fn dimension_scores(tree: &PyIndicatorTree, data: &Bound<'_, PyAny>) -> PyResult<PyResponses> {
    Ok(PyResponses {
        inner: analysis::dimension_scores(&tree.inner, &*responses(data)?).py()?,
    })
}

// ---------------------------------------------------------------------------------------------
// reliability

/// Reliability of a scale (its items are the variables): Cronbach's alpha, standardised alpha,
/// alpha if each item is deleted, corrected item-total correlations, the split-half
/// correlation and its Spearman-Brown coefficient.
///
/// `Reliability.of(data, policy="listwise")`: `"listwise"` uses the respondents who answered
/// every item (SPSS, pingouin `nan_policy='listwise'`), `"pairwise"` each covariance over the
/// respondents who answered both items. Raises `AnalysisError` when alpha is undefined (fewer
/// than 2 items or respondents, a total of zero variance).
#[pyclass(name = "Reliability", module = "service_quality", frozen)]
pub(crate) struct PyReliability {
    inner: Reliability,
}

#[pymethods]
impl PyReliability {
    /// The reliability of the variables of `data` as one scale.
    #[staticmethod]
    #[pyo3(signature = (data, policy="listwise"))]
    fn of(data: &Bound<'_, PyAny>, policy: &str) -> PyResult<Self> {
        let p = self::policy(policy)?;
        Ok(Self {
            inner: Reliability::of(&*responses(data)?, p).py()?,
        })
    }

    /// `"listwise"` or `"pairwise"`.
    #[getter]
    fn policy(&self) -> &'static str {
        policy_name(self.inner.policy())
    }

    /// The items, in column order.
    #[getter]
    fn items(&self) -> Vec<String> {
        self.inner.items().to_vec()
    }

    /// Respondents used (listwise: complete rows; pairwise: rows with any answer).
    #[getter]
    fn respondents(&self) -> usize {
        self.inner.respondents()
    }

    /// Cronbach's alpha.
    #[getter]
    fn alpha(&self) -> f64 {
        self.inner.alpha()
    }

    /// Standardised alpha (from the correlation matrix), None when undefined.
    #[getter]
    fn alpha_standardized(&self) -> Option<f64> {
        self.inner.alpha_standardized()
    }

    /// Alpha of the scale without each item (None where undefined).
    #[getter]
    fn alpha_if_deleted(&self) -> Vec<Option<f64>> {
        self.inner.alpha_if_deleted().to_vec()
    }

    /// Corrected item-total correlation of each item (None where undefined).
    #[getter]
    fn item_total(&self) -> Vec<Option<f64>> {
        self.inner.item_total().to_vec()
    }

    /// Correlation of the two halves' totals (first and second half of the items).
    #[getter]
    fn split_half(&self) -> Option<f64> {
        self.inner.split_half()
    }

    /// Spearman-Brown coefficient of the split-half correlation.
    #[getter]
    fn spearman_brown(&self) -> Option<f64> {
        self.inner.spearman_brown()
    }

    /// Every field as a dict (the crate's serialised form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The item table (corrected item-total r, alpha if deleted) with the alphas as a note.
    #[pyo3(signature = (labels=None))]
    fn table(&self, labels: Option<&Bound<'_, PyAny>>) -> PyResult<PyTable> {
        with_labels(labels, |l| table(self.inner.table(l)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Reliability(alpha={}, items={}, respondents={}, policy={:?})",
            self.inner.alpha(),
            self.inner.items().len(),
            self.inner.respondents(),
            self.policy()
        )
    }
}

/// The reliability of one dimension of the tree (`reliability_by_dimension`).
#[pyclass(name = "DimensionReliability", module = "service_quality", frozen)]
pub(crate) struct PyDimensionReliability {
    inner: DimensionReliability,
}

#[pymethods]
impl PyDimensionReliability {
    /// The dimension's (group's) id.
    #[getter]
    fn dimension(&self) -> String {
        self.inner.dimension().to_owned()
    }

    /// Its reliability over its leaf items.
    #[getter]
    fn reliability(&self) -> PyReliability {
        PyReliability {
            inner: self.inner.reliability().clone(),
        }
    }

    /// `{"dimension", "reliability": {...}}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "DimensionReliability(dimension={:?}, alpha={})",
            self.inner.dimension(),
            self.inner.reliability().alpha()
        )
    }
}

/// The reliability of each dimension of `tree` with at least 2 leaf items among the
/// variables (an error names the dimension's path).
#[pyfunction]
#[pyo3(signature = (tree, data, policy="listwise"))]
fn reliability_by_dimension(
    tree: &PyIndicatorTree,
    data: &Bound<'_, PyAny>,
    policy: &str,
) -> PyResult<Vec<PyDimensionReliability>> {
    let p = self::policy(policy)?;
    Ok(
        analysis::reliability_by_dimension(&tree.inner, &*responses(data)?, p)
            .py()?
            .into_iter()
            .map(|inner| PyDimensionReliability { inner })
            .collect(),
    )
}

/// The reliability summary table: the whole scale first (when `overall` is given, named
/// `overall_name`, a str or `(english, chinese)`), then each dimension.
#[pyfunction]
#[pyo3(signature = (dimensions, overall=None, overall_name=None, labels=None))]
fn reliability_table(
    dimensions: Vec<PyRef<'_, PyDimensionReliability>>,
    overall: Option<&PyReliability>,
    overall_name: Option<&Bound<'_, PyAny>>,
    labels: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyTable> {
    let name = match overall_name {
        Some(n) => text_of(n, "overall_name")?,
        None => Text::bilingual("Overall", "总量表"),
    };
    let dims: Vec<DimensionReliability> = dimensions.iter().map(|d| d.inner.clone()).collect();
    with_labels(labels, |l| {
        table(analysis::reliability_table(
            overall.map(|r| (name, &r.inner)),
            &dims,
            l,
        ))
    })
}

/// The item table of every dimension: corrected item-total r and alpha if item deleted.
#[pyfunction]
#[pyo3(signature = (dimensions, labels=None))]
fn reliability_items_table(
    dimensions: Vec<PyRef<'_, PyDimensionReliability>>,
    labels: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyTable> {
    let dims: Vec<DimensionReliability> = dimensions.iter().map(|d| d.inner.clone()).collect();
    with_labels(labels, |l| {
        table(analysis::reliability_items_table(&dims, l))
    })
}

// ---------------------------------------------------------------------------------------------
// correlation

/// Correlation coefficients, two-sided p-values and pair counts between every pair of
/// variables, pairwise-complete over missing values.
///
/// `CorrelationMatrix.of(data, method="pearson")`: `"pearson"` (p from Student's t, scipy
/// `pearsonr`), `"spearman"` (scipy `spearmanr`) or `"kendall"` (tau-b, normal approximation,
/// scipy `kendalltau(method='asymptotic')`). `r`, `p` are `k x k` float64 arrays (NaN where
/// undefined: a constant variable, fewer than 3 pairs for p), `n` the pair counts.
#[pyclass(name = "CorrelationMatrix", module = "service_quality", frozen)]
pub(crate) struct PyCorrelationMatrix {
    inner: CorrelationMatrix,
}

impl PyCorrelationMatrix {
    /// A `k x k` array of `f(i, j)`.
    fn square<'py, T: numpy::Element + Copy>(
        &self,
        py: Python<'py>,
        f: impl Fn(usize, usize) -> T,
    ) -> PyResult<Bound<'py, PyAny>> {
        let k = self.inner.len();
        let flat: Vec<T> = (0..k * k).map(|x| f(x / k, x % k)).collect();
        PyArray1::from_vec(py, flat).call_method1("reshape", (k, k))
    }
}

#[pymethods]
impl PyCorrelationMatrix {
    /// The correlations of every pair of variables of `data`.
    #[staticmethod]
    #[pyo3(signature = (data, method="pearson"))]
    fn of(data: &Bound<'_, PyAny>, method: &str) -> PyResult<Self> {
        let m = self::method(method)?;
        Ok(Self {
            inner: CorrelationMatrix::of(&*responses(data)?, m),
        })
    }

    /// `"pearson"`, `"spearman"` or `"kendall"`.
    #[getter]
    fn method(&self) -> &'static str {
        method_name(self.inner.method())
    }

    /// The variable ids.
    #[getter]
    fn ids(&self) -> Vec<String> {
        self.inner.ids().to_vec()
    }

    /// The coefficients, `k x k` (NaN where undefined).
    #[getter]
    fn r<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.square(py, |i, j| self.inner.r(i, j).unwrap_or(f64::NAN))
    }

    /// The two-sided p-values, `k x k` (NaN where undefined).
    #[getter]
    fn p<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.square(py, |i, j| self.inner.p(i, j).unwrap_or(f64::NAN))
    }

    /// The numbers of complete pairs, `k x k` (int64).
    #[getter]
    fn n<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.square(py, |i, j| {
            self.inner
                .n(i, j)
                .and_then(|n| i64::try_from(n).ok())
                .unwrap_or(0)
        })
    }

    /// `r`, `p` or `n` (`what`) as a pandas DataFrame indexed and labelled by the ids.
    #[pyo3(signature = (what="r"))]
    fn to_frame<'py>(&self, py: Python<'py>, what: &str) -> PyResult<Bound<'py, PyAny>> {
        let values = match what {
            "r" => self.r(py)?,
            "p" => self.p(py)?,
            "n" => self.n(py)?,
            other => {
                return Err(argument_error(
                    format!("what: unknown {other:?}; expected \"r\", \"p\" or \"n\""),
                    "UnknownName",
                ))
            }
        };
        let kwargs = PyDict::new(py);
        kwargs.set_item("index", self.ids())?;
        kwargs.set_item("columns", self.ids())?;
        py.import("pandas")?
            .getattr("DataFrame")?
            .call((values,), Some(&kwargs))
    }

    /// `{"method", "ids", "r", "p", "n"}` (row-major flat lists, None where undefined).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The lower-triangle matrix papers print (coefficients with significance stars).
    #[pyo3(signature = (labels=None))]
    fn table(&self, labels: Option<&Bound<'_, PyAny>>) -> PyResult<PyTable> {
        with_labels(labels, |l| table(self.inner.table(l)))
    }

    /// One row per pair: r, p and n.
    #[pyo3(signature = (labels=None))]
    fn pairs_table(&self, labels: Option<&Bound<'_, PyAny>>) -> PyResult<PyTable> {
        with_labels(labels, |l| table(self.inner.pairs_table(l)))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "CorrelationMatrix(method={:?}, ids={:?})",
            self.method(),
            self.inner.ids()
        )
    }
}

/// `***`, `**`, `*` or `""` for p < .001, .01, .05 or not.
#[pyfunction]
fn significance_stars(p: f64) -> &'static str {
    analysis::significance_stars(p)
}

// ---------------------------------------------------------------------------------------------
// trends

/// Changes between consecutive periods, `values[t + 1] - values[t]`.
#[pyfunction]
fn period_changes(values: Vec<f64>) -> PyResult<Vec<f64>> {
    analysis::period_changes(&values).py()
}

/// Relative changes between consecutive periods (None where the earlier value is 0).
#[pyfunction]
fn relative_changes(values: Vec<f64>) -> PyResult<Vec<Option<f64>>> {
    analysis::relative_changes(&values).py()
}

/// Trailing moving averages over `window` periods (one per full window).
#[pyfunction]
fn moving_average(values: Vec<f64>, window: usize) -> PyResult<Vec<f64>> {
    analysis::moving_average(&values, window).py()
}

/// Least-squares linear trend: slope, intercept, r, two-sided p of the slope (Student's t)
/// and the slope's standard error (scipy `linregress`).
///
/// `LinearTrend.of_series(values)` fits against periods 0, 1, 2, ...; `LinearTrend.fit(times,
/// values)` against given times. At least 3 points.
#[pyclass(name = "LinearTrend", module = "service_quality", frozen)]
pub(crate) struct PyLinearTrend {
    inner: LinearTrend,
}

#[pymethods]
impl PyLinearTrend {
    /// The trend of values at periods 0, 1, 2, ...
    #[staticmethod]
    fn of_series(values: Vec<f64>) -> PyResult<Self> {
        Ok(Self {
            inner: LinearTrend::of_series(&values).py()?,
        })
    }

    /// The trend of `values` at `times`.
    #[staticmethod]
    fn fit(times: Vec<f64>, values: Vec<f64>) -> PyResult<Self> {
        Ok(Self {
            inner: LinearTrend::fit(&times, &values).py()?,
        })
    }

    /// Number of points.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// Slope per period.
    #[getter]
    fn slope(&self) -> f64 {
        self.inner.slope()
    }

    /// Intercept (value at time 0).
    #[getter]
    fn intercept(&self) -> f64 {
        self.inner.intercept()
    }

    /// Pearson's r of time and value.
    #[getter]
    fn r(&self) -> f64 {
        self.inner.r()
    }

    /// Two-sided p-value of the slope.
    #[getter]
    fn p_value(&self) -> f64 {
        self.inner.p_value()
    }

    /// Standard error of the slope.
    #[getter]
    fn slope_stderr(&self) -> f64 {
        self.inner.slope_stderr()
    }

    /// `{"n", "slope", "intercept", "r", "p_value", "slope_stderr"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "LinearTrend(slope={}, intercept={}, p_value={})",
            self.inner.slope(),
            self.inner.intercept(),
            self.inner.p_value()
        )
    }
}

/// The Mann-Kendall trend test with Sen's slope (pymannkendall `original_test`): S, its
/// tie-corrected variance, z, the two-sided p, Kendall's tau, Sen's slope and intercept.
/// `MannKendall.of_series(values)`, at least 3 values.
#[pyclass(name = "MannKendall", module = "service_quality", frozen)]
pub(crate) struct PyMannKendall {
    inner: MannKendall,
}

#[pymethods]
impl PyMannKendall {
    /// The test on values at periods 0, 1, 2, ...
    #[staticmethod]
    fn of_series(values: Vec<f64>) -> PyResult<Self> {
        Ok(Self {
            inner: MannKendall::of_series(&values).py()?,
        })
    }

    /// Number of values.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// S = concordant - discordant pairs.
    #[getter]
    fn s(&self) -> f64 {
        self.inner.s()
    }

    /// The tie-corrected variance of S.
    #[getter]
    fn var_s(&self) -> f64 {
        self.inner.var_s()
    }

    /// The continuity-corrected z.
    #[getter]
    fn z(&self) -> f64 {
        self.inner.z()
    }

    /// Two-sided p-value.
    #[getter]
    fn p_value(&self) -> f64 {
        self.inner.p_value()
    }

    /// Kendall's tau (S over the number of pairs).
    #[getter]
    fn tau(&self) -> f64 {
        self.inner.tau()
    }

    /// Sen's slope (median of pairwise slopes).
    #[getter]
    fn sen_slope(&self) -> f64 {
        self.inner.sen_slope()
    }

    /// The intercept that goes with Sen's slope.
    #[getter]
    fn intercept(&self) -> f64 {
        self.inner.intercept()
    }

    /// `{"n", "s", "var_s", "z", "p_value", "tau", "sen_slope", "intercept"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "MannKendall(s={}, z={}, p_value={}, sen_slope={})",
            self.inner.s(),
            self.inner.z(),
            self.inner.p_value(),
            self.inner.sen_slope()
        )
    }
}

/// The trend table: one row per series (`{name: values}`, names str or `(english,
/// chinese)`), with the linear trend and the Mann-Kendall test.
#[pyfunction]
fn trend_table(series: &Bound<'_, PyDict>) -> PyResult<PyTable> {
    let mut named: Vec<(Text, Vec<f64>)> = Vec::new();
    for (name, values) in series.iter() {
        named.push((text_of(&name, "series name")?, values.extract()?));
    }
    let refs: Vec<(Text, &[f64])> = named.iter().map(|(t, v)| (t.clone(), &v[..])).collect();
    table(analysis::trend_table(&refs))
}

/// The period table of one series: each period's value, change, relative change and moving
/// average over `window` periods.
#[pyfunction]
fn period_table(periods: Vec<String>, values: Vec<f64>, window: usize) -> PyResult<PyTable> {
    table(analysis::period_table(&periods, &values, window))
}

// ---------------------------------------------------------------------------------------------
// validity

/// Sampling adequacy of the items for factor analysis: the Kaiser-Meyer-Olkin measure, each
/// item's MSA, and Bartlett's test of sphericity (chi-square, df, p), as factor_analyzer's
/// `calculate_kmo` and `calculate_bartlett_sphericity` compute them (complete rows only).
/// `SamplingAdequacy.of(data)`.
#[pyclass(name = "SamplingAdequacy", module = "service_quality", frozen)]
pub(crate) struct PySamplingAdequacy {
    inner: SamplingAdequacy,
}

#[pymethods]
impl PySamplingAdequacy {
    /// KMO and Bartlett's test of the variables of `data`.
    #[staticmethod]
    fn of(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: SamplingAdequacy::of(&*responses(data)?).py()?,
        })
    }

    /// The items.
    #[getter]
    fn items(&self) -> Vec<String> {
        self.inner.items().to_vec()
    }

    /// Complete rows used.
    #[getter]
    fn respondents(&self) -> usize {
        self.inner.respondents()
    }

    /// The overall KMO.
    #[getter]
    fn kmo(&self) -> f64 {
        self.inner.kmo()
    }

    /// Each item's measure of sampling adequacy.
    #[getter]
    fn msa(&self) -> Vec<f64> {
        self.inner.msa().to_vec()
    }

    /// Bartlett's approximate chi-square.
    #[getter]
    fn bartlett_chi_square(&self) -> f64 {
        self.inner.bartlett_chi_square()
    }

    /// Bartlett's degrees of freedom, k(k-1)/2.
    #[getter]
    fn bartlett_df(&self) -> usize {
        self.inner.bartlett_df()
    }

    /// Bartlett's p-value.
    #[getter]
    fn bartlett_p(&self) -> f64 {
        self.inner.bartlett_p()
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The "KMO and Bartlett's test" table.
    fn table(&self) -> PyResult<PyTable> {
        table(self.inner.table())
    }

    /// The items' MSA table.
    #[pyo3(signature = (labels=None))]
    fn msa_table(&self, labels: Option<&Bound<'_, PyAny>>) -> PyResult<PyTable> {
        with_labels(labels, |l| table(self.inner.msa_table(l)))
    }

    fn __repr__(&self) -> String {
        format!(
            "SamplingAdequacy(kmo={}, bartlett_p={})",
            self.inner.kmo(),
            self.inner.bartlett_p()
        )
    }
}

/// Principal-component factor analysis of the items' correlation matrix with varimax rotation
/// (factor_analyzer `FactorAnalyzer(method='principal', rotation='varimax')`), complete rows
/// only.
///
/// `FactorAnalysis.of(data, factors="kaiser")` keeps the factors with eigenvalue > 1
/// (`"kaiser"`) or a given number (an int). Loadings are `items x factors` float64 arrays;
/// `structure(tree, assignment)` checks that each item loads highest on its dimension's
/// factor.
#[pyclass(name = "FactorAnalysis", module = "service_quality", frozen)]
pub(crate) struct PyFactorAnalysis {
    inner: FactorAnalysis,
}

#[pymethods]
impl PyFactorAnalysis {
    /// The factor analysis of the variables of `data`.
    #[staticmethod]
    #[pyo3(signature = (data, factors=None))]
    fn of(data: &Bound<'_, PyAny>, factors: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let count = match factors {
            None => FactorCount::Kaiser,
            Some(f) => match f.extract::<usize>() {
                Ok(k) => FactorCount::Fixed(k),
                Err(_) if f.extract::<String>().is_ok_and(|s| s == "kaiser") => FactorCount::Kaiser,
                Err(_) => {
                    return Err(argument_error(
                        "factors: expected \"kaiser\" or a number of factors".into(),
                        "BadValue",
                    ))
                }
            },
        };
        Ok(Self {
            inner: FactorAnalysis::of(&*responses(data)?, count).py()?,
        })
    }

    /// The items.
    #[getter]
    fn items(&self) -> Vec<String> {
        self.inner.items().to_vec()
    }

    /// Complete rows used.
    #[getter]
    fn respondents(&self) -> usize {
        self.inner.respondents()
    }

    /// Number of factors kept.
    #[getter]
    fn factors(&self) -> usize {
        self.inner.factors()
    }

    /// Every eigenvalue of the correlation matrix, largest first.
    #[getter]
    fn eigenvalues(&self) -> Vec<f64> {
        self.inner.eigenvalues().to_vec()
    }

    /// Share of the total variance of each component (percent).
    #[getter]
    fn variance_explained(&self) -> Vec<f64> {
        self.inner.variance_explained().to_vec()
    }

    /// Cumulative share of the variance (percent).
    #[getter]
    fn cumulative_variance(&self) -> Vec<f64> {
        self.inner.cumulative_variance().to_vec()
    }

    /// Unrotated loadings, `items x factors`.
    #[getter]
    fn loadings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        matrix(py, self.inner.loadings(), self.inner.factors())
    }

    /// Varimax-rotated loadings, `items x factors`.
    #[getter]
    fn rotated_loadings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        matrix(py, self.inner.rotated_loadings(), self.inner.factors())
    }

    /// Variance explained by each rotated factor (sum of squared loadings).
    #[getter]
    fn rotated_variance(&self) -> Vec<f64> {
        self.inner.rotated_variance().to_vec()
    }

    /// Each item's communality.
    #[getter]
    fn communalities(&self) -> Vec<f64> {
        self.inner.communalities().to_vec()
    }

    /// The factor item `i` loads highest on (rotated), None for an out-of-range item.
    fn primary_factor(&self, i: usize) -> Option<usize> {
        self.inner.primary_factor(i)
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The "total variance explained" table.
    fn variance_table(&self) -> PyResult<PyTable> {
        table(self.inner.variance_table())
    }

    /// The (rotated, by default) loadings table.
    #[pyo3(signature = (labels=None, rotated=true))]
    fn loadings_table(
        &self,
        labels: Option<&Bound<'_, PyAny>>,
        rotated: bool,
    ) -> PyResult<PyTable> {
        with_labels(labels, |l| table(self.inner.loadings_table(l, rotated)))
    }

    /// Structure validity against `tree`'s dimensions: `assignment="majority"` gives each
    /// dimension the factor most of its items load highest on, `"one_to_one"` a factor of
    /// its own (Hungarian method).
    #[pyo3(signature = (tree, assignment="majority"))]
    fn structure(&self, tree: &PyIndicatorTree, assignment: &str) -> PyResult<PyStructureValidity> {
        let rule = match assignment {
            "majority" => FactorAssignment::Majority,
            "one_to_one" => FactorAssignment::OneToOne,
            other => {
                return Err(argument_error(
                    format!(
                        "assignment: unknown {other:?}; expected \"majority\" or \"one_to_one\""
                    ),
                    "UnknownName",
                ))
            }
        };
        Ok(PyStructureValidity {
            inner: self.inner.structure_with(&tree.inner, rule).py()?,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "FactorAnalysis(items={}, factors={}, respondents={})",
            self.inner.items().len(),
            self.inner.factors(),
            self.inner.respondents()
        )
    }
}

/// Whether each item loads highest on its dimension's factor (`FactorAnalysis.structure`).
#[pyclass(name = "StructureValidity", module = "service_quality", frozen)]
pub(crate) struct PyStructureValidity {
    inner: StructureValidity,
}

#[pymethods]
impl PyStructureValidity {
    /// `"majority"` or `"one_to_one"`.
    #[getter]
    fn assignment(&self) -> &'static str {
        assignment_name(self.inner.assignment())
    }

    /// Number of items that load highest on their dimension's factor.
    #[getter]
    fn matches(&self) -> usize {
        self.inner.matches()
    }

    /// Per item: `{"item", "dimension", "factor", "loading", "own_loading", "matches"}`.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.items())
    }

    /// Per dimension: `{"dimension", "factor", "items", "matches"}`.
    fn dimensions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.dimensions())
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The structure-validity table.
    #[pyo3(signature = (labels=None))]
    fn table(&self, labels: Option<&Bound<'_, PyAny>>) -> PyResult<PyTable> {
        with_labels(labels, |l| table(self.inner.table(l)))
    }

    fn __repr__(&self) -> String {
        format!(
            "StructureValidity(matches={}/{}, assignment={:?})",
            self.inner.matches(),
            self.inner.items().len(),
            self.assignment()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// clustering

/// k-means (Lloyd's algorithm) with k-means++ seeding over the complete rows, on
/// standardised variables by default (z-scores, population SD, as scikit-learn's
/// `StandardScaler`); the run of smallest inertia among `restarts` is kept.
///
/// `KMeans(clusters, seed=0, restarts=10, max_iterations=300, standardize=True)`;
/// `fit(data)` runs it, `fit_from(data, centres)` runs once from given initial centres (in the
/// clustered space). Raises `AnalysisError` for 0 clusters or more clusters than complete rows.
#[pyclass(name = "KMeans", module = "service_quality", frozen)]
pub(crate) struct PyKMeans {
    inner: KMeans,
}

#[pymethods]
impl PyKMeans {
    #[new]
    #[pyo3(signature = (clusters, seed=0, restarts=analysis::DEFAULT_RESTARTS, max_iterations=analysis::DEFAULT_MAX_ITERATIONS, standardize=true))]
    fn new(
        clusters: usize,
        seed: u64,
        restarts: usize,
        max_iterations: usize,
        standardize: bool,
    ) -> PyResult<Self> {
        Ok(Self {
            inner: KMeans::new(clusters)
                .and_then(|k| k.restarts(restarts))
                .and_then(|k| k.max_iterations(max_iterations))
                .py()?
                .seed(seed)
                .standardize(standardize),
        })
    }

    /// Number of clusters.
    #[getter]
    fn clusters(&self) -> usize {
        self.inner.clusters()
    }

    /// The seed of k-means++.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed_value()
    }

    /// Independent runs.
    #[getter]
    fn restarts(&self) -> usize {
        self.inner.restart_count()
    }

    /// Iteration cap per run.
    #[getter]
    fn max_iterations(&self) -> usize {
        self.inner.iteration_limit()
    }

    /// Whether the variables are standardised first.
    #[getter]
    fn standardize(&self) -> bool {
        self.inner.is_standardized()
    }

    /// Clusters the rows of `data` (the GIL is released while fitting).
    fn fit(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<PyClustering> {
        let t = responses(data)?;
        let inner = &self.inner;
        let t: &Responses = &t;
        Ok(PyClustering {
            inner: py.detach(|| inner.fit(t)).py()?,
        })
    }

    /// One run of Lloyd's algorithm from `centres` (one row per cluster, in the clustered,
    /// possibly standardised, space).
    fn fit_from(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        centres: Vec<Vec<f64>>,
    ) -> PyResult<PyClustering> {
        let t = responses(data)?;
        let inner = &self.inner;
        let t: &Responses = &t;
        Ok(PyClustering {
            inner: py.detach(|| inner.fit_from(t, &centres)).py()?,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "KMeans(clusters={}, seed={}, restarts={}, max_iterations={}, standardize={})",
            self.inner.clusters(),
            self.inner.seed_value(),
            self.inner.restart_count(),
            self.inner.iteration_limit(),
            if self.inner.is_standardized() {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// The result of `KMeans.fit`: labels (None for a row with a missing value), centres in the
/// clustered space, profiles (size and variable means on the original scale), inertia,
/// iterations, convergence and the mean silhouette.
#[pyclass(name = "Clustering", module = "service_quality", frozen)]
pub(crate) struct PyClustering {
    inner: Clustering,
}

#[pymethods]
impl PyClustering {
    /// The variables clustered on.
    #[getter]
    fn variables(&self) -> Vec<String> {
        self.inner.variables().to_vec()
    }

    /// Number of clusters.
    #[getter]
    fn clusters(&self) -> usize {
        self.inner.clusters()
    }

    /// Cluster of each row (None for a row with a missing value).
    #[getter]
    fn labels(&self) -> Vec<Option<usize>> {
        self.inner.labels().to_vec()
    }

    /// Centres in the clustered space, `clusters x variables`.
    #[getter]
    fn centres<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        matrix(py, self.inner.centres(), self.inner.variables().len())
    }

    /// Per cluster: `{"size", "means"}` on the original scale.
    fn profiles<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.profiles())
    }

    /// Sum of squared distances to the own centre (clustered space).
    #[getter]
    fn inertia(&self) -> f64 {
        self.inner.inertia()
    }

    /// Lloyd iterations of the kept run.
    #[getter]
    fn iterations(&self) -> usize {
        self.inner.iterations()
    }

    /// Whether the kept run converged before the cap.
    #[getter]
    fn converged(&self) -> bool {
        self.inner.converged()
    }

    /// Mean silhouette (None for one cluster or every row its own cluster).
    #[getter]
    fn silhouette(&self) -> Option<f64> {
        self.inner.silhouette()
    }

    /// `(mean, sd)` of each variable used to standardise (`(0, 1)` when not standardised).
    #[getter]
    fn scaling(&self) -> Vec<(f64, f64)> {
        self.inner.scaling().to_vec()
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The cluster profile table (size and means per cluster).
    #[pyo3(signature = (labels=None))]
    fn table(&self, labels: Option<&Bound<'_, PyAny>>) -> PyResult<PyTable> {
        with_labels(labels, |l| table(self.inner.table(l)))
    }

    /// The members table: each row's name (`rows`, one per row of the data) and cluster.
    fn members_table(&self, rows: Vec<String>) -> PyResult<PyTable> {
        table(self.inner.members_table(&rows))
    }

    /// The cluster of each row as a numpy int64 array (-1 for a row not clustered).
    fn labels_array<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        PyArray1::from_iter(
            py,
            self.inner
                .labels()
                .iter()
                .map(|l| l.and_then(|c| i64::try_from(c).ok()).unwrap_or(-1)),
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "Clustering(clusters={}, inertia={}, silhouette={:?})",
            self.inner.clusters(),
            self.inner.inertia(),
            self.inner.silhouette()
        )
    }
}

/// Inertia and mean silhouette for each number of clusters (`silhouette_by_k`).
#[pyclass(name = "SilhouetteScan", module = "service_quality", frozen)]
pub(crate) struct PySilhouetteScan {
    inner: Vec<ClusterCount>,
}

#[pymethods]
impl PySilhouetteScan {
    /// `[{"clusters", "inertia", "silhouette"}]`.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The number of clusters with the largest silhouette (None when none is defined).
    #[getter]
    fn best(&self) -> Option<usize> {
        self.inner
            .iter()
            .filter_map(|c| c.silhouette().map(|s| (c.clusters(), s)))
            .fold(None, |best: Option<(usize, f64)>, (k, s)| match best {
                Some((_, b)) if !(s > b) => best,
                _ => Some((k, s)),
            })
            .map(|(k, _)| k)
    }

    /// The table papers print to choose k.
    fn table(&self) -> PyResult<PyTable> {
        table(analysis::silhouette_table(&self.inner))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "SilhouetteScan(ks={:?})",
            self.inner
                .iter()
                .map(ClusterCount::clusters)
                .collect::<Vec<_>>()
        )
    }
}

/// Fits `options` (a `KMeans`; its cluster count is replaced) for each k of `ks`.
#[pyfunction]
#[pyo3(signature = (data, ks, options=None))]
fn silhouette_by_k(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    ks: Vec<usize>,
    options: Option<&PyKMeans>,
) -> PyResult<PySilhouetteScan> {
    let t = responses(data)?;
    let t: &Responses = &t;
    let options = match options {
        Some(o) => o.inner.clone(),
        None => KMeans::new(1).py()?,
    };
    Ok(PySilhouetteScan {
        inner: py
            .detach(|| analysis::silhouette_by_k(t, ks, &options))
            .py()?,
    })
}

/// Each merchant's mean dimension scores (the default features for clustering merchants):
/// `(merchant ids in order of first row, Responses)`; `merchants[i]` owns row `i` of `answers`.
#[pyfunction]
fn merchant_dimension_scores(
    tree: &PyIndicatorTree,
    answers: &Bound<'_, PyAny>,
    merchants: Vec<String>,
) -> PyResult<(Vec<String>, PyResponses)> {
    let (ids, scores) =
        analysis::merchant_dimension_scores(&tree.inner, &*responses(answers)?, &merchants).py()?;
    Ok((ids, PyResponses { inner: scores }))
}
