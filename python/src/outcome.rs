//! Using the results (`service_quality::outcome`): scoreboards of one period, ranking, tiers,
//! rectification, tracking over periods and alerts, under rules read from JSON.

use std::path::PathBuf;

use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use service_quality::outcome::{
    alerts_table, Alert, AlertKind, Bootstrap, CompareOptions, Comparison, Dependence, History,
    IntervalEstimator, MerchantCard, OutcomeRules, Ranking, Rectification, ScoreInterval,
    Scoreboard, Shrinkage, TieRule, TierAssignment,
};
use service_quality::Language;

use crate::convert::{argument_error, from_name, json_text, read_text, to_py};
use crate::errors::OrRaise;
use crate::evaluate::{PyEvaluator, PyReport};
use crate::table::{table, PyTable};

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyOutcomeRules>()?;
    m.add_class::<PyScoreboard>()?;
    m.add_class::<PyRanking>()?;
    m.add_class::<PyTierAssignment>()?;
    m.add_class::<PyRectification>()?;
    m.add_class::<PyHistory>()?;
    m.add_class::<PyComparison>()?;
    m.add_class::<PyScoreInterval>()?;
    m.add_class::<PyIntervalEstimator>()?;
    m.add_class::<PyBootstrap>()?;
    m.add_class::<PyShrinkage>()?;
    m.add_class::<PyMerchantCard>()?;
    Ok(())
}

/// A tie rule from its name.
fn ties(name: &str) -> PyResult<TieRule> {
    from_name(name, "tie rule", "\"competition\" or \"dense\"")
}

/// The rules of the outcome: ranking options, tiers, rectification and alerts.
///
/// `OutcomeRules.from_json(text)`, `from_file(path)`, `from_dict(d)` read the rules on their
/// own (`{"ranking", "tiers", "rectification", "alerts"}`, every key optional; see
/// `examples/data/outcome_rules.json`); `from_model_file(path)` the `"outcome"` section of a
/// model file (the defaults when it has none). Malformed rules raise `ServiceQualityError`
/// naming the problem. The methods apply them: `rank(board)`, `tiers(board)`,
/// `rectify(board)`, `alerts(history)`, `compare(history, before, after)`.
#[pyclass(name = "OutcomeRules", module = "service_quality", frozen)]
pub(crate) struct PyOutcomeRules {
    inner: OutcomeRules,
}

#[pymethods]
impl PyOutcomeRules {
    /// Rules from their JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: OutcomeRules::from_json(text).py()?,
        })
    }

    /// Rules from a JSON file (UTF-8).
    #[staticmethod]
    fn from_file(path: PathBuf) -> PyResult<Self> {
        Self::from_json(&read_text(&path)?)
    }

    /// Rules from a dict of the file's keys.
    #[staticmethod]
    fn from_dict(rules: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::from_json(&json_text(rules)?)
    }

    /// The `"outcome"` section of a model file (JSON, UTF-8).
    #[staticmethod]
    fn from_model_file(path: PathBuf) -> PyResult<Self> {
        let (_, inner) = OutcomeRules::from_model_file(&read_text(&path)?).py()?;
        Ok(Self { inner })
    }

    /// The rules as a dict (the file's format).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// Checks every node the rules name against the board's model (raises naming the rule).
    fn check(&self, board: &PyScoreboard) -> PyResult<()> {
        self.inner.check(board.inner.outline()).py()
    }

    /// The ranking of a board under the rules' ranking options.
    fn rank(&self, board: &PyScoreboard) -> PyResult<PyRanking> {
        Ok(PyRanking {
            inner: Ranking::of(&board.inner, self.inner.ranking()).py()?,
            n: board.inner.len(),
        })
    }

    /// The tiers of a board's merchants (ArgumentError when the rules declare no tiers).
    fn tiers(&self, board: &PyScoreboard) -> PyResult<PyTierAssignment> {
        let scheme = self
            .inner
            .tiers()
            .ok_or_else(|| argument_error("the rules declare no tiers".into(), "NoTiers"))?;
        Ok(PyTierAssignment {
            inner: scheme.assign(&board.inner).py()?,
        })
    }

    /// The rectification list of a board (ArgumentError when the rules declare none).
    fn rectify(&self, board: &PyScoreboard) -> PyResult<PyRectification> {
        let rules = self.inner.rectification().ok_or_else(|| {
            argument_error(
                "the rules declare no rectification".into(),
                "NoRectification",
            )
        })?;
        Ok(PyRectification {
            inner: rules.apply(&board.inner).py()?,
        })
    }

    /// The alerts of every period of `history`: `[{"merchant", "period", "rule", "kind",
    /// "node", "value", "reference", "message", "message_zh"}]`.
    fn alerts<'py>(&self, py: Python<'py>, history: &PyHistory) -> PyResult<Bound<'py, PyList>> {
        let alerts = self.inner.alerts().evaluate(&history.inner).py()?;
        alert_list(py, &alerts)
    }

    /// The alerts of every period as a table.
    fn alerts_table(&self, history: &PyHistory) -> PyResult<PyTable> {
        let alerts = self.inner.alerts().evaluate(&history.inner).py()?;
        table(alerts_table(&alerts))
    }

    /// The comparison of periods `before` and `after` (indices into `history`) with the
    /// rules' ranking and tiers; `z` scales the uncertainty of a change (boards with standard
    /// errors only).
    #[pyo3(signature = (history, before, after, z=1.96))]
    fn compare(
        &self,
        history: &PyHistory,
        before: usize,
        after: usize,
        z: f64,
    ) -> PyResult<PyComparison> {
        let mut options = CompareOptions::new()
            .with_ranking(self.inner.ranking().clone())
            .with_z(z)
            .py()?;
        if let Some(tiers) = self.inner.tiers() {
            options = options.with_tiers(tiers.clone());
        }
        Ok(PyComparison {
            inner: history.inner.compare(before, after, &options).py()?,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "OutcomeRules(tiers={}, rectification={}, alert_rules={})",
            self.inner.tiers().is_some(),
            self.inner.rectification().is_some(),
            self.inner.alerts().rules().len()
        )
    }
}

/// The name of an alert's kind.
fn kind_name(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::Below => "below",
        AlertKind::Drop => "drop",
        AlertKind::DropBeyondUncertainty => "drop_beyond_uncertainty",
        AlertKind::ConsecutiveDeclines => "consecutive_declines",
        _ => "downward_trend",
    }
}

/// Alerts as a list of dicts.
fn alert_list<'py>(py: Python<'py>, alerts: &[Alert]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for a in alerts {
        let d = PyDict::new(py);
        d.set_item("merchant", &a.merchant)?;
        d.set_item("period", &a.period)?;
        d.set_item("rule", a.rule)?;
        d.set_item("kind", kind_name(a.kind))?;
        d.set_item(
            "node",
            a.node.as_ref().map(|n| n.get(Language::En).to_owned()),
        )?;
        d.set_item("value", a.value)?;
        d.set_item("reference", a.reference)?;
        d.set_item("message", a.message(Language::En))?;
        d.set_item("message_zh", a.message(Language::Zh))?;
        list.append(d)?;
    }
    Ok(list)
}

/// One period's results of many merchants: the model's outline, each merchant's sample size,
/// grade and node scores (None where a node was not evaluated), optionally standard errors.
///
/// `Scoreboard.from_reports(period, evaluator, reports)` or `Scoreboard.from_json(text)` (the
/// versioned JSON a platform stores between periods, `to_json()`).
#[pyclass(name = "Scoreboard", module = "service_quality", frozen)]
#[derive(Clone)]
pub(crate) struct PyScoreboard {
    inner: Scoreboard,
}

#[pymethods]
impl PyScoreboard {
    /// The board of the reports of one period (all made by `evaluator`).
    #[staticmethod]
    fn from_reports(
        period: &str,
        evaluator: &PyEvaluator,
        reports: Vec<PyRef<'_, PyReport>>,
    ) -> PyResult<Self> {
        let reports = crate::evaluate::reports_of(&reports);
        Ok(Self {
            inner: Scoreboard::from_reports(period, &evaluator.inner, &reports).py()?,
        })
    }

    /// A board stored with `to_json`.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: Scoreboard::from_json(text).py()?,
        })
    }

    /// The versioned JSON of the board.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The board with one standard error per merchant (for intervals and the uncertainty of
    /// changes).
    fn with_std_errors(&self, std_errors: Vec<f64>) -> PyResult<Self> {
        Ok(Self {
            inner: self.inner.clone().with_std_errors(std_errors).py()?,
        })
    }

    /// The period's name.
    #[getter]
    fn period(&self) -> String {
        self.inner.period().to_owned()
    }

    /// The merchants, in board order.
    #[getter]
    fn merchants(&self) -> Vec<String> {
        self.inner.merchants().to_vec()
    }

    /// Sample size per merchant (uint32).
    #[getter]
    fn samples<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        PyArray1::from_slice(py, self.inner.samples())
    }

    /// Overall grade index per merchant (uint32).
    #[getter]
    fn grades<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        PyArray1::from_slice(py, self.inner.grades())
    }

    /// Overall score per merchant (float64).
    #[getter]
    fn scores<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_vec(py, self.inner.overall_scores())
    }

    /// Standard errors, if the board has them.
    #[getter]
    fn std_errors(&self) -> Option<Vec<f64>> {
        self.inner.std_errors().map(<[f64]>::to_vec)
    }

    /// Merchants that could not be scored.
    #[getter]
    fn unscored(&self) -> Vec<String> {
        self.inner.unscored().to_vec()
    }

    /// The score of node `id` for merchant `m` (None when not evaluated).
    fn node_score(&self, m: usize, id: &str) -> PyResult<Option<f64>> {
        if m >= self.inner.len() {
            return Err(argument_error(
                format!("merchant index {m} out of range (0..{})", self.inner.len()),
                "OutOfRange",
            ));
        }
        self.inner.node_score(m, id).py()
    }

    /// One row per merchant: sample size, grade, score (and standard error).
    fn to_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = PyDict::new(py);
        d.set_item("merchant", self.merchants())?;
        d.set_item("n", self.samples(py))?;
        d.set_item("grade", self.grades(py))?;
        d.set_item("score", self.scores(py))?;
        if let Some(se) = self.std_errors() {
            d.set_item("std_error", se)?;
        }
        py.import("pandas")?
            .getattr("DataFrame")?
            .call1((d,))?
            .call_method1("set_index", ("merchant",))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scoreboard(period={:?}, merchants={})",
            self.inner.period(),
            self.inner.len()
        )
    }
}

/// Ranks of merchants, best first: `Ranking.of(board, node=None, ties="competition",
/// min_sample=0)` (the overall score or a node's; merchants with fewer answers than
/// `min_sample`, or not scored, are not ranked) or `Ranking.by_scores(scores, ties)`.
/// `"competition"` ties share the best rank and skip ("1-2-2-4"), `"dense"` do not skip.
#[pyclass(name = "Ranking", module = "service_quality", frozen)]
pub(crate) struct PyRanking {
    inner: Ranking,
    /// Number of merchants (ranked or not).
    n: usize,
}

#[pymethods]
impl PyRanking {
    /// The ranking of a board.
    #[staticmethod]
    #[pyo3(signature = (board, node=None, ties="competition", min_sample=0))]
    fn of(board: &PyScoreboard, node: Option<&str>, ties: &str, min_sample: u32) -> PyResult<Self> {
        let mut options = service_quality::outcome::RankOptions::new()
            .with_ties(self::ties(ties)?)
            .with_min_sample(min_sample);
        if let Some(node) = node {
            options = options.with_node(node);
        }
        Ok(Self {
            inner: Ranking::of(&board.inner, &options).py()?,
            n: board.inner.len(),
        })
    }

    /// The ranking of plain scores (NaN: not ranked).
    #[staticmethod]
    #[pyo3(signature = (scores, ties="competition"))]
    fn by_scores(scores: Vec<f64>, ties: &str) -> PyResult<Self> {
        Ok(Self {
            inner: Ranking::by_scores(&scores, self::ties(ties)?).py()?,
            n: scores.len(),
        })
    }

    /// Merchant indices from best to worst (ranked merchants only), uint32.
    #[getter]
    fn order<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        PyArray1::from_slice(py, self.inner.order())
    }

    /// The rank of each merchant (None: not ranked), in input order.
    #[getter]
    fn ranks(&self) -> Vec<Option<u32>> {
        (0..self.n).map(|m| self.inner.rank(m)).collect()
    }

    /// Number of merchants ranked.
    #[getter]
    fn ranked(&self) -> usize {
        self.inner.ranked()
    }

    /// The rank of merchant `m`.
    fn rank(&self, m: usize) -> Option<u32> {
        self.inner.rank(m)
    }

    /// The ranking table (rank, merchant, score).
    fn table(&self) -> PyResult<PyTable> {
        table(self.inner.table())
    }

    /// The ranking table with each merchant's tier as a column.
    fn table_with_tiers(&self, tiers: &PyTierAssignment) -> PyResult<PyTable> {
        table(self.inner.table_with(&[tiers.inner.column()]))
    }

    fn __repr__(&self) -> String {
        format!("Ranking(ranked={})", self.inner.ranked())
    }
}

/// Each merchant's tier (`OutcomeRules.tiers(board)`): tier ids, the cuts used, the counts
/// per tier (the last tier of `tier_ids` holds merchants with too few answers).
#[pyclass(name = "TierAssignment", module = "service_quality", frozen)]
pub(crate) struct PyTierAssignment {
    inner: TierAssignment,
}

#[pymethods]
impl PyTierAssignment {
    /// The tier id of every merchant, in board order.
    #[getter]
    fn tiers(&self) -> Vec<String> {
        (0..self.inner.indices().len())
            .map(|m| self.inner.tier(m).id().to_owned())
            .collect()
    }

    /// The ids of the scheme's tiers, then the tier of insufficient samples.
    #[getter]
    fn tier_ids(&self) -> Vec<String> {
        let scheme = self.inner.scheme();
        scheme
            .tiers()
            .iter()
            .chain([scheme.insufficient()])
            .map(|t| t.id().to_owned())
            .collect()
    }

    /// The score cuts used (for quantile tiers, the scores at the quantiles).
    #[getter]
    fn cuts(&self) -> Vec<f64> {
        self.inner.cuts().to_vec()
    }

    /// Merchants per tier, in `tier_ids` order.
    #[getter]
    fn counts(&self) -> Vec<usize> {
        self.inner.counts()
    }

    /// Whether merchant `m` had too few answers for a tier.
    fn is_insufficient(&self, m: usize) -> bool {
        m < self.inner.indices().len() && self.inner.is_insufficient(m)
    }

    /// The tiers with their cuts and counts.
    fn summary_table(&self) -> PyResult<PyTable> {
        table(self.inner.summary_table())
    }

    fn __repr__(&self) -> String {
        format!("TierAssignment(counts={:?})", self.inner.counts())
    }
}

/// The rectification list of a board (`OutcomeRules.rectify(board)`): who is below which
/// threshold, in which problem areas, what to fix first; and the platform's weakest
/// indicators.
#[pyclass(name = "Rectification", module = "service_quality", frozen)]
pub(crate) struct PyRectification {
    inner: Rectification,
}

#[pymethods]
impl PyRectification {
    /// Per merchant needing rectification: `{"merchant" (its index in the board),
    /// "score", "gap", "below": [{"node", "score", "threshold"}], "areas": [{"area",
    /// "shortfall"}], "top": [{"node", "shortfall"}]}`, node and area names in English.
    fn merchants<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let r = &self.inner;
        let name = |i: u32| r.node_name(i).get(Language::En).to_owned();
        let list = PyList::empty(py);
        for m in r.merchants() {
            let d = PyDict::new(py);
            d.set_item("merchant", m.merchant)?;
            d.set_item("score", m.score)?;
            d.set_item("gap", m.gap)?;
            let below = PyList::empty(py);
            for b in r.below(m) {
                let e = PyDict::new(py);
                e.set_item("node", name(b.node))?;
                e.set_item("score", b.score)?;
                e.set_item("threshold", b.threshold)?;
                below.append(e)?;
            }
            d.set_item("below", below)?;
            let areas = PyList::empty(py);
            for &(a, shortfall) in r.areas(m) {
                let e = PyDict::new(py);
                e.set_item(
                    "area",
                    r.area_names()
                        .get(usize::from(a))
                        .map(|t| t.get(Language::En).to_owned()),
                )?;
                e.set_item("shortfall", shortfall)?;
                areas.append(e)?;
            }
            d.set_item("areas", areas)?;
            let top = PyList::empty(py);
            for &(node, shortfall) in r.top(m) {
                let e = PyDict::new(py);
                e.set_item("node", name(node))?;
                e.set_item("shortfall", shortfall)?;
                top.append(e)?;
            }
            d.set_item("top", top)?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// The merchant table (the `limit` largest gaps).
    #[pyo3(signature = (limit=usize::MAX))]
    fn merchant_table(&self, limit: usize) -> PyResult<PyTable> {
        table(self.inner.merchant_table(limit))
    }

    /// The platform's weakest indicators.
    fn platform_table(&self) -> PyResult<PyTable> {
        table(self.inner.platform_table())
    }

    fn __repr__(&self) -> String {
        format!("Rectification(merchants={})", self.inner.merchants().len())
    }
}

/// Boards of successive periods (same model), oldest first: `History(boards)`.
#[pyclass(name = "History", module = "service_quality", frozen)]
pub(crate) struct PyHistory {
    inner: History,
}

#[pymethods]
impl PyHistory {
    #[new]
    fn new(boards: Vec<PyRef<'_, PyScoreboard>>) -> PyResult<Self> {
        let boards = boards.iter().map(|b| b.inner.clone()).collect();
        Ok(Self {
            inner: History::new(boards).py()?,
        })
    }

    /// Every merchant of any period, in order of first appearance.
    #[getter]
    fn merchants(&self) -> Vec<String> {
        self.inner.merchants().to_vec()
    }

    /// The periods' names.
    #[getter]
    fn periods(&self) -> Vec<String> {
        self.inner
            .boards()
            .iter()
            .map(|b| b.period().to_owned())
            .collect()
    }

    /// A merchant's overall score per period (None where absent); None for an unknown id.
    fn series(&self, merchant: &str) -> Option<Vec<Option<f64>>> {
        self.inner.series(merchant)
    }

    /// The board of period `p`.
    fn board(&self, p: usize) -> PyResult<PyScoreboard> {
        self.inner
            .boards()
            .get(p)
            .map(|b| PyScoreboard { inner: b.clone() })
            .ok_or_else(|| argument_error(format!("no period {p}"), "OutOfRange"))
    }

    fn __len__(&self) -> usize {
        self.inner.boards().len()
    }

    fn __repr__(&self) -> String {
        format!("History(periods={:?})", self.periods())
    }
}

/// The comparison of two periods (`OutcomeRules.compare`): per merchant in both, the scores,
/// change, its uncertainty, ranks, tiers, grades and each dimension's change; the merchants
/// that entered and left.
#[pyclass(name = "Comparison", module = "service_quality", frozen)]
pub(crate) struct PyComparison {
    inner: Comparison,
}

#[pymethods]
impl PyComparison {
    /// `[{"merchant", "before", "after", "change", "uncertainty", "rank_before",
    /// "rank_after", "tier_before", "tier_after", "grade_before", "grade_after",
    /// "dimensions"}]` (grades in English).
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for c in self.inner.rows() {
            let d = PyDict::new(py);
            d.set_item("merchant", &c.merchant)?;
            d.set_item("before", c.before)?;
            d.set_item("after", c.after)?;
            d.set_item("change", c.change)?;
            d.set_item("uncertainty", c.uncertainty)?;
            d.set_item("rank_before", c.rank_before)?;
            d.set_item("rank_after", c.rank_after)?;
            d.set_item("tier_before", c.tier_before.clone())?;
            d.set_item("tier_after", c.tier_after.clone())?;
            d.set_item("grade_before", c.grade_before.get(Language::En))?;
            d.set_item("grade_after", c.grade_after.get(Language::En))?;
            d.set_item("dimensions", c.dimensions.clone())?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// Merchants only in the later period.
    #[getter]
    fn entered(&self) -> Vec<String> {
        self.inner.entered().to_vec()
    }

    /// Merchants only in the earlier period.
    #[getter]
    fn left(&self) -> Vec<String> {
        self.inner.left().to_vec()
    }

    /// The comparison table.
    fn table(&self) -> PyResult<PyTable> {
        table(self.inner.table())
    }

    fn __repr__(&self) -> String {
        format!("Comparison(rows={})", self.inner.rows().len())
    }
}

// ---------------------------------------------------------------------------------------------
// publication: intervals, credibility-adjusted scores, cards

/// Answer counts of one merchant (`leaves * grades`, any shape) as u32.
fn counts_of(counts: &Bound<'_, PyAny>) -> PyResult<Vec<u32>> {
    let array = counts
        .py()
        .import("service_quality._frames")?
        .call_method1("counts_as_uint32", (counts,))?
        .call_method0("ravel")?;
    array.extract()
}

/// A confidence interval of a merchant's overall score: score, lower, upper, standard error,
/// number of answers and level.
#[pyclass(name = "ScoreInterval", module = "service_quality", frozen)]
#[derive(Clone)]
pub(crate) struct PyScoreInterval {
    inner: ScoreInterval,
}

#[pymethods]
impl PyScoreInterval {
    /// The score.
    #[getter]
    fn score(&self) -> f64 {
        self.inner.score()
    }

    /// Lower bound.
    #[getter]
    fn lower(&self) -> f64 {
        self.inner.lower()
    }

    /// Upper bound.
    #[getter]
    fn upper(&self) -> f64 {
        self.inner.upper()
    }

    /// Standard error of the score.
    #[getter]
    fn std_error(&self) -> f64 {
        self.inner.std_error()
    }

    /// The largest number of answers of an indicator.
    #[getter]
    fn n(&self) -> u32 {
        self.inner.n()
    }

    /// The confidence level.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.level()
    }

    /// Half the interval's width.
    #[getter]
    fn half_width(&self) -> f64 {
        self.inner.half_width()
    }

    /// `{"score", "lower", "upper", "std_error", "n", "level", "half_width"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("score", self.score())?;
        d.set_item("lower", self.lower())?;
        d.set_item("upper", self.upper())?;
        d.set_item("std_error", self.std_error())?;
        d.set_item("n", self.n())?;
        d.set_item("level", self.level())?;
        d.set_item("half_width", self.half_width())?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "ScoreInterval(score={}, lower={}, upper={})",
            self.score(),
            self.lower(),
            self.upper()
        )
    }
}

/// Analytic confidence intervals of overall scores from answer counts (M(·,+) at every level):
/// `IntervalEstimator(evaluator, level=0.95, dependence="independent")`; `"independent"`
/// indicators give `SE² = Σ w_i² s_i² / n_i`, `"perfect"` correlation the widest `SE = Σ w_i
/// s_i / sqrt(n_i)`. Every indicator needs at least 2 answers.
#[pyclass(name = "IntervalEstimator", module = "service_quality", frozen)]
pub(crate) struct PyIntervalEstimator {
    inner: IntervalEstimator,
}

#[pymethods]
impl PyIntervalEstimator {
    #[new]
    #[pyo3(signature = (evaluator, level=0.95, dependence="independent"))]
    fn new(evaluator: &PyEvaluator, level: f64, dependence: &str) -> PyResult<Self> {
        let d: Dependence = from_name(dependence, "dependence", "\"independent\" or \"perfect\"")?;
        Ok(Self {
            inner: IntervalEstimator::new(&evaluator.inner, level)
                .py()?
                .with_dependence(d),
        })
    }

    /// The normal critical value of the level.
    #[getter]
    fn z(&self) -> f64 {
        self.inner.z()
    }

    /// The interval of one merchant's counts (`leaves x grades`, leaves in the tree's order).
    fn interval(&self, counts: &Bound<'_, PyAny>) -> PyResult<PyScoreInterval> {
        Ok(PyScoreInterval {
            inner: self.inner.interval(&counts_of(counts)?).py()?,
        })
    }

    /// The intervals of many merchants' counts (`merchants x leaves x grades`): a dict of
    /// float64 arrays `score`, `lower`, `upper`, `std_error` (NaN where a merchant failed) and
    /// `failures` `[(index, exception)]`.
    fn intervals<'py>(
        &self,
        py: Python<'py>,
        counts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let batch = self.inner.intervals(&counts_of(counts)?).py()?;
        let pick = |f: fn(&ScoreInterval) -> f64| -> Bound<'py, PyArray1<f64>> {
            PyArray1::from_iter(
                py,
                batch
                    .intervals
                    .iter()
                    .map(|i| i.as_ref().map_or(f64::NAN, f)),
            )
        };
        let d = PyDict::new(py);
        d.set_item("score", pick(ScoreInterval::score))?;
        d.set_item("lower", pick(ScoreInterval::lower))?;
        d.set_item("upper", pick(ScoreInterval::upper))?;
        d.set_item("std_error", pick(ScoreInterval::std_error))?;
        let failures = PyList::empty(py);
        for f in &batch.failures {
            failures.append((f.merchant, crate::errors::exception(py, &f.error)?))?;
        }
        d.set_item("failures", failures)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!("IntervalEstimator(z={})", self.inner.z())
    }
}

/// Bootstrap confidence intervals (any operator): `Bootstrap(evaluator, replicates,
/// level=0.95, seed=0)`, seeded and reproducible; `from_counts(counts)` resamples each
/// indicator's answers, `from_answers(answers)` whole respondents (uint8 rows of grade
/// indices, 255 = missing).
#[pyclass(name = "Bootstrap", module = "service_quality", frozen)]
pub(crate) struct PyBootstrap {
    inner: Bootstrap,
}

#[pymethods]
impl PyBootstrap {
    #[new]
    #[pyo3(signature = (evaluator, replicates, level=0.95, seed=0))]
    fn new(evaluator: &PyEvaluator, replicates: usize, level: f64, seed: u64) -> PyResult<Self> {
        Ok(Self {
            inner: Bootstrap::new(&evaluator.inner, replicates, level, seed).py()?,
        })
    }

    /// The interval from one merchant's counts (`leaves x grades`); the GIL is released.
    #[allow(clippy::wrong_self_convention)] // the crate's name of the method
    fn from_counts(&self, py: Python<'_>, counts: &Bound<'_, PyAny>) -> PyResult<PyScoreInterval> {
        let c = counts_of(counts)?;
        let inner = &self.inner;
        Ok(PyScoreInterval {
            inner: py.detach(|| inner.from_counts(&c)).py()?,
        })
    }

    /// The interval from one merchant's respondents (uint8 `(respondents, leaves)`, 255 =
    /// missing), resampled whole; the GIL is released.
    #[allow(clippy::wrong_self_convention)] // the crate's name of the method
    fn from_answers(
        &self,
        py: Python<'_>,
        answers: &Bound<'_, PyAny>,
    ) -> PyResult<PyScoreInterval> {
        let a: Vec<u8> = py
            .import("numpy")?
            .call_method1("ascontiguousarray", (answers, "uint8"))?
            .call_method0("ravel")?
            .extract()?;
        let inner = &self.inner;
        Ok(PyScoreInterval {
            inner: py.detach(|| inner.from_answers(&a)).py()?,
        })
    }

    fn __repr__(&self) -> String {
        "Bootstrap(...)".to_owned()
    }
}

/// Credibility-adjusted (shrunk) scores for publication: `Shrinkage.pseudo_respondents(k)`
/// (credibility `n / (n + k)`) or `Shrinkage.empirical_bayes()` (from the boards' standard
/// errors and the between-merchant variance). `apply(board)` / `shrink_scores(scores,
/// samples)` give `{"prior_mean", "between_variance", "credibility", "scores"}` (arrays).
#[pyclass(name = "Shrinkage", module = "service_quality", frozen)]
pub(crate) struct PyShrinkage {
    inner: Shrinkage,
}

/// Shrunk scores as a dict.
fn shrunk<'py>(
    py: Python<'py>,
    s: &service_quality::outcome::ShrunkScores,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("prior_mean", s.prior_mean())?;
    d.set_item("between_variance", s.between_variance())?;
    d.set_item("credibility", PyArray1::from_slice(py, s.credibility()))?;
    d.set_item("scores", PyArray1::from_slice(py, s.scores()))?;
    Ok(d)
}

#[pymethods]
impl PyShrinkage {
    /// Credibility `n / (n + k)`.
    #[staticmethod]
    fn pseudo_respondents(k: f64) -> PyResult<Self> {
        Ok(Self {
            inner: Shrinkage::pseudo_respondents(k).py()?,
        })
    }

    /// Empirical Bayes credibility (needs standard errors on the board).
    #[staticmethod]
    fn empirical_bayes() -> Self {
        Self {
            inner: Shrinkage::EmpiricalBayes,
        }
    }

    /// The shrunk scores of a board.
    fn apply<'py>(&self, py: Python<'py>, board: &PyScoreboard) -> PyResult<Bound<'py, PyDict>> {
        shrunk(py, &self.inner.apply(&board.inner).py()?)
    }

    /// The shrunk scores of plain scores and sample sizes (pseudo respondents only).
    fn shrink_scores<'py>(
        &self,
        py: Python<'py>,
        scores: Vec<f64>,
        samples: Vec<u32>,
    ) -> PyResult<Bound<'py, PyDict>> {
        shrunk(py, &self.inner.shrink_scores(&scores, &samples).py()?)
    }

    fn __repr__(&self) -> String {
        format!("Shrinkage({:?})", self.inner)
    }
}

/// A merchant's public card: score, grade, answers, each dimension against the platform's
/// mean, and optionally the interval, the published score, the tier and the rank.
///
/// `MerchantCard(board, m, interval=None, published=None, tiers=None, ranking=None)`;
/// `to_json()`, `to_dict()`, `table()`.
#[pyclass(name = "MerchantCard", module = "service_quality", frozen)]
pub(crate) struct PyMerchantCard {
    inner: MerchantCard,
}

#[pymethods]
impl PyMerchantCard {
    #[new]
    #[pyo3(signature = (board, m, interval=None, published=None, tiers=None, ranking=None))]
    fn new(
        board: &PyScoreboard,
        m: usize,
        interval: Option<&PyScoreInterval>,
        published: Option<f64>,
        tiers: Option<&PyTierAssignment>,
        ranking: Option<&PyRanking>,
    ) -> PyResult<Self> {
        let mut card = MerchantCard::new(&board.inner, m, &board.inner.node_means()).py()?;
        if let Some(i) = interval {
            card = card.with_interval(i.inner);
        }
        if let Some(p) = published {
            card = card.with_published(p).py()?;
        }
        if let Some(t) = tiers {
            card = card.with_tier(&t.inner, m);
        }
        if let Some(r) = ranking {
            card = card.with_rank(&r.inner, m);
        }
        Ok(Self { inner: card })
    }

    /// The card as JSON.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The card as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.inner.to_json(),))
    }

    /// The card as a table.
    fn table(&self) -> PyResult<PyTable> {
        table(self.inner.table())
    }

    fn __repr__(&self) -> String {
        format!(
            "MerchantCard(merchant={:?}, score={})",
            self.inner.merchant(),
            self.inner.score()
        )
    }
}
