//! Multi-criteria decision methods (`service_quality::mcdm`): decision matrices from numpy,
//! objective and combined weights, TOPSIS, grey relational analysis, rank-sum ratio, VIKOR and
//! the robustness table of their rankings.

use numpy::{PyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use service_quality::mcdm::{
    CombinationRule, CombinedWeights, CriterionType, CriticConvention, CumulativeFrequency,
    DecisionMatrix, Dispersion, EntropyConvention, GreyNormalisation, GreyOptions, GreyRelational,
    ObjectiveMethod, ObjectiveWeights, RankSumRatio, Ranking, RankingMethod, ReportLevel,
    RobustnessTable, RsrOptions, RsrRanks, RsrTiers, Topsis, TopsisNormalisation, Vikor,
};
use service_quality::Weights;

use crate::convert::{argument_error, to_py};
use crate::errors::OrRaise;
use crate::evaluate::PyReport;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDecisionMatrix>()?;
    m.add_class::<PyTopsis>()?;
    m.add_class::<PyGreyRelational>()?;
    m.add_class::<PyRankSumRatio>()?;
    m.add_class::<PyVikor>()?;
    m.add_class::<PyRobustnessTable>()?;
    m.add_function(wrap_pyfunction!(objective_weights, m)?)?;
    m.add_function(wrap_pyfunction!(combined_weights, m)?)?;
    m.add("OBJECTIVE_METHODS", OBJECTIVE_NAMES.to_vec())?;
    m.add("RANKING_METHODS", RANKING_NAMES.to_vec())?;
    Ok(())
}

/// The objective weighting methods by name (method and convention in one name).
const OBJECTIVE_NAMES: [&str; 8] = [
    "entropy_ignore_cost",
    "entropy_reciprocal_cost",
    "entropy_pydecision",
    "critic_ignore_cost",
    "critic_orient_cost",
    "coefficient_of_variation",
    "std_raw",
    "std_min_max",
];

/// The ranking methods of the robustness table by name.
const RANKING_NAMES: [&str; 5] = ["topsis", "topsis_min_max", "grey", "rsr", "vikor"];

/// An `ArgumentError` for an unknown name of `what`.
fn unknown(what: &str, name: &str, expected: &[&str]) -> PyErr {
    argument_error(
        format!(
            "{what}: unknown {name:?}; expected one of {}",
            expected.join(", ")
        ),
        "UnknownName",
    )
}

/// Weights summing to 1 (normalised from positive values).
fn weights_of(values: Vec<f64>) -> PyResult<Weights> {
    Weights::normalize(&values).py()
}

/// A float64 array of a slice.
fn array<'py>(py: Python<'py>, values: &[f64]) -> Bound<'py, PyArray1<f64>> {
    PyArray1::from_slice(py, values)
}

/// The ranks of a ranking (1 = best; ties by the method's rule) as a float64 array.
fn ranks<'py>(py: Python<'py>, r: &Ranking) -> Bound<'py, PyArray1<f64>> {
    array(py, r.ranks())
}

/// A criterion type from its name.
fn criterion_type(name: &str) -> PyResult<CriterionType> {
    match name {
        "benefit" => Ok(CriterionType::Benefit),
        "cost" => Ok(CriterionType::Cost),
        other => Err(unknown("criterion type", other, &["benefit", "cost"])),
    }
}

/// Alternatives (rows) by criteria (columns), each criterion a benefit (larger is better) or
/// a cost.
///
/// `DecisionMatrix(values, alternatives=None, criteria=None, types=None)`: a 2-D array
/// (alternatives default to `A1, A2, ...`, criteria to `C1, C2, ...`, types to all
/// `"benefit"`); `DecisionMatrix.from_dataframe(frame, types=None)` (index = alternatives,
/// columns = criteria); `DecisionMatrix.from_reports(reports, level="dimensions")` (each
/// merchant's dimension or indicator scores). At least 2 alternatives; values finite.
#[pyclass(name = "DecisionMatrix", module = "service_quality", frozen)]
pub(crate) struct PyDecisionMatrix {
    inner: DecisionMatrix,
}

impl PyDecisionMatrix {
    fn build(
        values: &Bound<'_, PyAny>,
        alternatives: Option<Vec<String>>,
        criteria: Option<Vec<String>>,
        types: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let array = values
            .py()
            .import("numpy")?
            .call_method1("ascontiguousarray", (values, "float64"))?;
        let ro: PyReadonlyArray2<'_, f64> = array.extract().map_err(|_| {
            argument_error(
                "values: expected a 2-D array (alternatives, criteria)".into(),
                "BadShape",
            )
        })?;
        let view = ro.as_array();
        let rows: Vec<Vec<f64>> = view.rows().into_iter().map(|r| r.to_vec()).collect();
        let (m, n) = (view.nrows(), view.ncols());
        let alternatives =
            alternatives.unwrap_or_else(|| (1..=m).map(|i| format!("A{i}")).collect());
        let criteria = criteria.unwrap_or_else(|| (1..=n).map(|j| format!("C{j}")).collect());
        let types = match types {
            Some(t) => t
                .iter()
                .map(|s| criterion_type(s))
                .collect::<PyResult<Vec<_>>>()?,
            None => vec![CriterionType::Benefit; criteria.len()],
        };
        Ok(Self {
            inner: DecisionMatrix::new(alternatives, criteria, types, &rows).py()?,
        })
    }
}

#[pymethods]
impl PyDecisionMatrix {
    #[new]
    #[pyo3(signature = (values, alternatives=None, criteria=None, types=None))]
    fn new(
        values: &Bound<'_, PyAny>,
        alternatives: Option<Vec<String>>,
        criteria: Option<Vec<String>>,
        types: Option<Vec<String>>,
    ) -> PyResult<Self> {
        Self::build(values, alternatives, criteria, types)
    }

    /// The matrix of a DataFrame: its index names the alternatives, its columns the criteria.
    #[staticmethod]
    #[pyo3(signature = (frame, types=None))]
    fn from_dataframe(frame: &Bound<'_, PyAny>, types: Option<Vec<String>>) -> PyResult<Self> {
        let alternatives: Vec<String> = frame
            .getattr("index")?
            .call_method1("map", (frame.py().get_type::<pyo3::types::PyString>(),))?
            .call_method0("tolist")?
            .extract()?;
        let criteria: Vec<String> = frame
            .getattr("columns")?
            .call_method1("map", (frame.py().get_type::<pyo3::types::PyString>(),))?
            .call_method0("tolist")?
            .extract()?;
        let values = frame.call_method1("to_numpy", ("float64",))?;
        Self::build(&values, Some(alternatives), Some(criteria), types)
    }

    /// Each merchant's dimension (`level="dimensions"`) or indicator (`"indicators"`)
    /// scores, all benefits.
    #[staticmethod]
    #[pyo3(signature = (reports, level="dimensions"))]
    fn from_reports(reports: Vec<PyRef<'_, PyReport>>, level: &str) -> PyResult<Self> {
        let level = report_level(level)?;
        let reports = crate::evaluate::reports_of(&reports);
        Ok(Self {
            inner: DecisionMatrix::from_reports(&reports, level).py()?,
        })
    }

    /// The alternatives.
    #[getter]
    fn alternatives(&self) -> Vec<String> {
        self.inner.alternatives().to_vec()
    }

    /// The criteria.
    #[getter]
    fn criteria(&self) -> Vec<String> {
        self.inner.criteria().to_vec()
    }

    /// `"benefit"` or `"cost"` per criterion.
    #[getter]
    fn types(&self) -> Vec<&'static str> {
        self.inner
            .types()
            .iter()
            .map(|t| match t {
                CriterionType::Benefit => "benefit",
                CriterionType::Cost => "cost",
            })
            .collect()
    }

    /// The values, `(alternatives, criteria)` float64 (a copy).
    fn to_numpy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (m, n) = (self.inner.n_alternatives(), self.inner.n_criteria());
        let flat: Vec<f64> = (0..m)
            .flat_map(|i| self.inner.row(i).unwrap_or(&[]).to_vec())
            .collect();
        PyArray1::from_vec(py, flat).call_method1("reshape", (m, n))
    }

    /// `{"alternatives", "criteria", "types", "values"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "DecisionMatrix(alternatives={}, criteria={:?})",
            self.inner.n_alternatives(),
            self.inner.criteria()
        )
    }
}

/// A report level from its name.
fn report_level(name: &str) -> PyResult<ReportLevel> {
    match name {
        "dimensions" => Ok(ReportLevel::Dimensions),
        "indicators" => Ok(ReportLevel::Indicators),
        other => Err(unknown("level", other, &["dimensions", "indicators"])),
    }
}

/// An objective method from its name.
fn objective_method(name: &str) -> PyResult<ObjectiveMethod> {
    Ok(match name {
        "entropy_ignore_cost" => ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost),
        "entropy_reciprocal_cost" => ObjectiveMethod::Entropy(EntropyConvention::ReciprocalCost),
        "entropy_pydecision" => ObjectiveMethod::Entropy(EntropyConvention::PyDecision),
        "critic_ignore_cost" => ObjectiveMethod::Critic(CriticConvention::IgnoreCost),
        "critic_orient_cost" => ObjectiveMethod::Critic(CriticConvention::OrientCost),
        "coefficient_of_variation" => ObjectiveMethod::CoefficientOfVariation,
        "std_raw" => ObjectiveMethod::StandardDeviation(Dispersion::Raw),
        "std_min_max" => ObjectiveMethod::StandardDeviation(Dispersion::MinMax),
        other => return Err(unknown("objective method", other, &OBJECTIVE_NAMES)),
    })
}

/// Objective weights from the spread of the data: `{"method", "information", "weights"}`.
///
/// `method` (one of `OBJECTIVE_METHODS`) names the method and its convention:
/// `"entropy_ignore_cost"` (pymcdm `entropy_weights`), `"entropy_reciprocal_cost"` (cost
/// columns as reciprocals, pyDecision's method without its guard terms),
/// `"entropy_pydecision"` (with pyDecision 5.1.8's `1e-9` terms, digit for digit),
/// `"critic_ignore_cost"` (pymcdm), `"critic_orient_cost"` (Diakoulaki et al.; pyDecision),
/// `"coefficient_of_variation"`, `"std_raw"` (pymcdm) and `"std_min_max"`.
#[pyfunction]
#[pyo3(signature = (matrix, method="entropy_reciprocal_cost"))]
fn objective_weights<'py>(
    py: Python<'py>,
    matrix: &PyDecisionMatrix,
    method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let w = ObjectiveWeights::of(&matrix.inner, objective_method(method)?).py()?;
    let d = PyDict::new(py);
    d.set_item("method", method)?;
    d.set_item("information", array(py, w.information()))?;
    d.set_item("weights", array(py, w.weights().as_slice()))?;
    Ok(d)
}

/// Subjective (AHP) weights combined with objective ones: `{"rule", "coefficients",
/// "weights"}`. `rule`: `"multiplicative"`, `"linear"` (with `alpha`, the share of the
/// subjective weights), `"minimum_discrimination"` or `"game_theory"`. Both vectors are
/// normalised to sum 1 first.
#[pyfunction]
#[pyo3(signature = (subjective, objective, rule="game_theory", alpha=None))]
fn combined_weights<'py>(
    py: Python<'py>,
    subjective: Vec<f64>,
    objective: Vec<f64>,
    rule: &str,
    alpha: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let rule = match (rule, alpha) {
        ("multiplicative", None) => CombinationRule::Multiplicative,
        ("linear", Some(alpha)) => CombinationRule::Linear { alpha },
        ("minimum_discrimination", None) => CombinationRule::MinimumDiscrimination,
        ("game_theory", None) => CombinationRule::GameTheory,
        ("linear", None) => {
            return Err(argument_error(
                "rule \"linear\" needs alpha".into(),
                "MissingValue",
            ))
        }
        (_, Some(_))
            if matches!(
                rule,
                "multiplicative" | "minimum_discrimination" | "game_theory"
            ) =>
        {
            return Err(argument_error(
                format!("alpha is for rule \"linear\" only, not {rule:?}"),
                "BadValue",
            ))
        }
        (other, _) => {
            return Err(unknown(
                "combination rule",
                other,
                &[
                    "multiplicative",
                    "linear",
                    "minimum_discrimination",
                    "game_theory",
                ],
            ))
        }
    };
    let c = CombinedWeights::new(&weights_of(subjective)?, &weights_of(objective)?, rule).py()?;
    let d = PyDict::new(py);
    d.set_item("rule", to_py(py, &c.rule())?)?;
    d.set_item("coefficients", array(py, c.coefficients()))?;
    d.set_item("weights", array(py, c.weights().as_slice()))?;
    Ok(d)
}

/// A TOPSIS normalisation from its name.
fn topsis_normalisation(name: &str) -> PyResult<TopsisNormalisation> {
    match name {
        "vector" => Ok(TopsisNormalisation::Vector),
        "min_max" => Ok(TopsisNormalisation::MinMax),
        other => Err(unknown("normalisation", other, &["vector", "min_max"])),
    }
}

/// TOPSIS: `Topsis(matrix, weights, normalisation="vector")` (`"min_max"`: pymcdm's
/// default); distances to the ideal and anti-ideal, closeness, ranks (1 = best, ties
/// averaged).
#[pyclass(name = "Topsis", module = "service_quality", frozen)]
pub(crate) struct PyTopsis {
    inner: Topsis,
}

#[pymethods]
impl PyTopsis {
    #[new]
    #[pyo3(signature = (matrix, weights, normalisation="vector"))]
    fn new(matrix: &PyDecisionMatrix, weights: Vec<f64>, normalisation: &str) -> PyResult<Self> {
        let n = topsis_normalisation(normalisation)?;
        Ok(Self {
            inner: Topsis::new(&matrix.inner, &weights_of(weights)?, n).py()?,
        })
    }

    /// Distance to the ideal.
    #[getter]
    fn d_plus<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.d_plus())
    }

    /// Distance to the anti-ideal.
    #[getter]
    fn d_minus<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.d_minus())
    }

    /// Relative closeness `d- / (d+ + d-)`.
    #[getter]
    fn closeness<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.closeness())
    }

    /// Ranks, 1 = best.
    #[getter]
    fn ranks<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        ranks(py, self.inner.ranking())
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!("Topsis(closeness={:?})", self.inner.closeness())
    }
}

/// Grey relational analysis: `GreyRelational(matrix, weights=None, normalisation="min_max",
/// rho=0.5)` (`"mean"`: mean normalisation); coefficients, grades (`sum w xi`; pyDecision
/// divides by the number of alternatives), ranks.
#[pyclass(name = "GreyRelational", module = "service_quality", frozen)]
pub(crate) struct PyGreyRelational {
    inner: GreyRelational,
}

#[pymethods]
impl PyGreyRelational {
    #[new]
    #[pyo3(signature = (matrix, weights=None, normalisation="min_max", rho=service_quality::mcdm::DEFAULT_GREY_RHO))]
    fn new(
        matrix: &PyDecisionMatrix,
        weights: Option<Vec<f64>>,
        normalisation: &str,
        rho: f64,
    ) -> PyResult<Self> {
        let n = match normalisation {
            "min_max" => GreyNormalisation::MinMax,
            "mean" => GreyNormalisation::Mean,
            other => return Err(unknown("normalisation", other, &["min_max", "mean"])),
        };
        let mut options = GreyOptions::new()
            .with_normalisation(n)
            .with_rho(rho)
            .py()?;
        if let Some(w) = weights {
            options = options.with_weights(weights_of(w)?);
        }
        Ok(Self {
            inner: GreyRelational::new(&matrix.inner, &options).py()?,
        })
    }

    /// Grey relational coefficients, `(alternatives, criteria)`.
    #[getter]
    fn coefficients<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.inner.coefficients();
        let n = c.first().map_or(0, Vec::len);
        let flat: Vec<f64> = c.iter().flatten().copied().collect();
        PyArray1::from_vec(py, flat).call_method1("reshape", (c.len(), n))
    }

    /// Grey relational grades.
    #[getter]
    fn grades<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.grades())
    }

    /// Ranks, 1 = best.
    #[getter]
    fn ranks<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        ranks(py, self.inner.ranking())
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!("GreyRelational(grades={:?})", self.inner.grades())
    }
}

/// The rank-sum ratio with its probit regression and tiers: `RankSumRatio(matrix,
/// weights=None, ranks="integer", frequency="quarter_correction", tiers=3)`; `ranks`:
/// `"integer"` or `"non_integer"`; `frequency`: `"quarter_correction"` (textbook), `"hazen"`
/// or `"weibull"`; `tiers`: 3 to 7 (the textbook probit thresholds) or a list of probit
/// thresholds.
#[pyclass(name = "RankSumRatio", module = "service_quality", frozen)]
pub(crate) struct PyRankSumRatio {
    inner: RankSumRatio,
}

#[pymethods]
impl PyRankSumRatio {
    #[new]
    #[pyo3(signature = (matrix, weights=None, ranks="integer", frequency="quarter_correction", tiers=None))]
    fn new(
        matrix: &PyDecisionMatrix,
        weights: Option<Vec<f64>>,
        ranks: &str,
        frequency: &str,
        tiers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let ranks = match ranks {
            "integer" => RsrRanks::Integer,
            "non_integer" => RsrRanks::NonInteger,
            other => return Err(unknown("ranks", other, &["integer", "non_integer"])),
        };
        let frequency = match frequency {
            "quarter_correction" => CumulativeFrequency::QuarterCorrection,
            "hazen" => CumulativeFrequency::Hazen,
            "weibull" => CumulativeFrequency::Weibull,
            other => {
                return Err(unknown(
                    "frequency",
                    other,
                    &["quarter_correction", "hazen", "weibull"],
                ))
            }
        };
        let tiers = match tiers {
            None => RsrTiers::Three,
            Some(t) => match t.extract::<usize>() {
                Ok(3) => RsrTiers::Three,
                Ok(4) => RsrTiers::Four,
                Ok(5) => RsrTiers::Five,
                Ok(6) => RsrTiers::Six,
                Ok(7) => RsrTiers::Seven,
                Ok(k) => {
                    return Err(argument_error(
                        format!("tiers: {k} tiers; expected 3 to 7 or a list of probits"),
                        "BadValue",
                    ))
                }
                Err(_) => RsrTiers::Probits(t.extract().map_err(|_| {
                    argument_error(
                        "tiers: expected 3 to 7 or a list of probit thresholds".into(),
                        "BadValue",
                    )
                })?),
            },
        };
        let mut options = RsrOptions::new()
            .with_ranks(ranks)
            .with_frequency(frequency)
            .with_tiers(tiers)
            .py()?;
        if let Some(w) = weights {
            options = options.with_weights(weights_of(w)?);
        }
        Ok(Self {
            inner: RankSumRatio::new(&matrix.inner, &options).py()?,
        })
    }

    /// The RSR (or weighted RSR) of each alternative.
    #[getter]
    fn rsr<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.rsr())
    }

    /// The distribution table: `[{"rsr", "frequency", "cumulative", "mean_rank",
    /// "percentile", "probit"}]`.
    fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.table())
    }

    /// Intercept of `RSR = a + b probit`.
    #[getter]
    fn intercept(&self) -> f64 {
        self.inner.intercept()
    }

    /// Slope of `RSR = a + b probit`.
    #[getter]
    fn slope(&self) -> f64 {
        self.inner.slope()
    }

    /// Each alternative's probit.
    #[getter]
    fn probits<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.probits())
    }

    /// Each alternative's fitted RSR.
    #[getter]
    fn fitted<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.fitted())
    }

    /// Each alternative's tier (0 = the lowest).
    #[getter]
    fn tiers(&self) -> Vec<usize> {
        self.inner.tiers().to_vec()
    }

    /// Ranks, 1 = best.
    #[getter]
    fn ranks<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        ranks(py, self.inner.ranking())
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!("RankSumRatio(rsr={:?})", self.inner.rsr())
    }
}

/// VIKOR: `Vikor(matrix, weights, v=0.5)`; S, R, Q, the two acceptance conditions, the
/// compromise set and ranks (by Q, 1 = best).
#[pyclass(name = "Vikor", module = "service_quality", frozen)]
pub(crate) struct PyVikor {
    inner: Vikor,
}

#[pymethods]
impl PyVikor {
    #[new]
    #[pyo3(signature = (matrix, weights, v=service_quality::mcdm::DEFAULT_VIKOR_V))]
    fn new(matrix: &PyDecisionMatrix, weights: Vec<f64>, v: f64) -> PyResult<Self> {
        Ok(Self {
            inner: Vikor::new(&matrix.inner, &weights_of(weights)?, v).py()?,
        })
    }

    /// Group utility S.
    #[getter]
    fn s<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.s())
    }

    /// Individual regret R.
    #[getter]
    fn r<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.r())
    }

    /// The compromise index Q.
    #[getter]
    fn q<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.q())
    }

    /// Condition 1 (acceptable advantage).
    #[getter]
    fn acceptable_advantage(&self) -> bool {
        self.inner.acceptable_advantage()
    }

    /// Condition 2 (acceptable stability).
    #[getter]
    fn acceptable_stability(&self) -> bool {
        self.inner.acceptable_stability()
    }

    /// The compromise solutions (alternative indices).
    #[getter]
    fn compromise(&self) -> Vec<usize> {
        self.inner.compromise().to_vec()
    }

    /// Ranks by Q, 1 = best.
    #[getter]
    fn ranks<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        ranks(py, self.inner.ranking())
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!("Vikor(q={:?})", self.inner.q())
    }
}

/// Every ranking method's name (the default of the robustness table).
fn default_methods() -> Vec<String> {
    RANKING_NAMES.iter().map(|s| (*s).to_owned()).collect()
}

/// A ranking method of the robustness table from its name.
fn ranking_method(name: &str) -> PyResult<RankingMethod> {
    Ok(match name {
        "topsis" => RankingMethod::Topsis(TopsisNormalisation::Vector),
        "topsis_min_max" => RankingMethod::Topsis(TopsisNormalisation::MinMax),
        "grey" => RankingMethod::GreyRelational(GreyOptions::new()),
        "rsr" => RankingMethod::RankSumRatio(RsrOptions::new()),
        "vikor" => RankingMethod::Vikor {
            v: service_quality::mcdm::DEFAULT_VIKOR_V,
        },
        other => return Err(unknown("ranking method", other, &RANKING_NAMES)),
    })
}

/// The rankings of several methods side by side with their Spearman and Kendall rank
/// correlations: `RobustnessTable.of(matrix, weights, methods)` or
/// `RobustnessTable.compare_with_fuzzy(reports, weights, methods, level="dimensions")` (the
/// fuzzy evaluation's ranking first, named `"FCE"`); `methods` from `RANKING_METHODS`.
#[pyclass(name = "RobustnessTable", module = "service_quality", frozen)]
pub(crate) struct PyRobustnessTable {
    inner: RobustnessTable,
}

#[pymethods]
impl PyRobustnessTable {
    /// The table of `methods` on a decision matrix.
    #[staticmethod]
    #[pyo3(signature = (matrix, weights, methods=default_methods()))]
    fn of(matrix: &PyDecisionMatrix, weights: Vec<f64>, methods: Vec<String>) -> PyResult<Self> {
        let w = weights_of(weights)?;
        let mut rankings = Vec::new();
        for name in &methods {
            let method = ranking_method(name)?;
            let (scores, ranking) = method.rank(&matrix.inner, &w).py()?;
            rankings.push((method.name(), scores, ranking));
        }
        Ok(Self {
            inner: RobustnessTable::new(matrix.inner.alternatives().to_vec(), rankings).py()?,
        })
    }

    /// The fuzzy evaluation's ranking of `reports` beside `methods` on their dimension (or
    /// indicator) scores.
    #[staticmethod]
    #[pyo3(signature = (reports, weights, methods=default_methods(), level="dimensions"))]
    fn compare_with_fuzzy(
        reports: Vec<PyRef<'_, PyReport>>,
        weights: Vec<f64>,
        methods: Vec<String>,
        level: &str,
    ) -> PyResult<Self> {
        let reports = crate::evaluate::reports_of(&reports);
        let methods = methods
            .iter()
            .map(|m| ranking_method(m))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Self {
            inner: RobustnessTable::compare_with_fuzzy(
                &reports,
                report_level(level)?,
                &weights_of(weights)?,
                &methods,
            )
            .py()?,
        })
    }

    /// The alternatives.
    #[getter]
    fn alternatives(&self) -> Vec<String> {
        self.inner.alternatives().to_vec()
    }

    /// The methods' names, in column order.
    #[getter]
    fn methods(&self) -> Vec<String> {
        self.inner
            .methods()
            .iter()
            .map(|m| m.name.clone())
            .collect()
    }

    /// Spearman's rho between the rankings of methods `a` and `b` (None where undefined).
    fn spearman(&self, a: usize, b: usize) -> Option<f64> {
        self.inner.spearman(a, b)
    }

    /// Kendall's tau-b between the rankings of methods `a` and `b`.
    fn kendall(&self, a: usize, b: usize) -> Option<f64> {
        self.inner.kendall(a, b)
    }

    /// The ranks of every method as a pandas DataFrame (index alternatives, a column per
    /// method).
    fn ranks_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = PyDict::new(py);
        for m in self.inner.methods() {
            d.set_item(&m.name, array(py, m.ranking.ranks()))?;
        }
        let kwargs = PyDict::new(py);
        kwargs.set_item("index", self.alternatives())?;
        py.import("pandas")?
            .getattr("DataFrame")?
            .call((d,), Some(&kwargs))
    }

    /// Every field as a dict (the rankings, both correlation matrices).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!("RobustnessTable(methods={:?})", self.methods())
    }
}
