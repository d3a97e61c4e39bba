//! Sensitivity of the ranking (`service_quality::sensitivity`): one-at-a-time weight changes
//! and their rank-reversal thresholds (the tornado), and Monte Carlo perturbation of the
//! experts' judgements.

use numpy::{Element, PyArray1, PyArrayDyn, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use service_quality::sensitivity::{
    ExpertJudgements, MonteCarloOptions, Perturbation, RankEvent, ScoreTiers, SensitivityAnalysis,
    Threshold, WeightRange, WeightSensitivity, DEFAULT_TOP_K,
};
use service_quality::{Error, Evaluator};

use crate::convert::argument_error;
use crate::errors::{exception, OrRaise};
use crate::evaluate::PyEvaluator;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySensitivityAnalysis>()?;
    Ok(())
}

/// The analysis of data given as a contiguous array of one of the batch scorer's types.
fn analysis_of(evaluator: &Evaluator, data: &Bound<'_, PyAny>) -> PyResult<SensitivityAnalysis> {
    let array = data
        .py()
        .import("service_quality._frames")?
        .call_method1("batch_data", (data,))?;
    /// `Some(result)` when `array` holds `T`s.
    fn with<T: Element>(
        array: &Bound<'_, PyAny>,
        f: impl FnOnce(&[T]) -> Result<SensitivityAnalysis, Error>,
    ) -> Option<PyResult<SensitivityAnalysis>> {
        let a = array.cast::<PyArrayDyn<T>>().ok()?;
        Some(match a.try_readonly() {
            Ok(ro) => match ro.as_slice() {
                Ok(s) => f(s).py(),
                Err(e) => Err(argument_error(format!("data: {e}"), "BadArray")),
            },
            Err(e) => Err(argument_error(format!("data: {e}"), "BadArray")),
        })
    }
    with::<f64>(&array, |s| SensitivityAnalysis::new(evaluator, s))
        .or_else(|| with::<u8>(&array, |s| SensitivityAnalysis::new(evaluator, s)))
        .or_else(|| with::<u16>(&array, |s| SensitivityAnalysis::new(evaluator, s)))
        .or_else(|| with::<u32>(&array, |s| SensitivityAnalysis::new(evaluator, s)))
        .unwrap_or_else(|| {
            Err(argument_error(
                "data: expected float64 memberships or uint8/16/32 counts".into(),
                "BadArray",
            ))
        })
}

/// A weight range from its optional bounds and steps.
fn range(lo: f64, hi: f64, steps: Option<usize>) -> PyResult<WeightRange> {
    let r = WeightRange::new(lo, hi).py()?;
    match steps {
        Some(s) => r.with_steps(s).py(),
        None => Ok(r),
    }
}

/// A threshold as a dict (or None).
fn threshold<'py>(py: Python<'py>, t: Option<Threshold>) -> PyResult<Option<Bound<'py, PyDict>>> {
    t.map(|t| {
        let d = PyDict::new(py);
        d.set_item("weight", t.weight)?;
        d.set_item("change", t.change)?;
        Ok(d)
    })
    .transpose()
}

/// The name of a rank event.
fn event_name(e: RankEvent) -> &'static str {
    match e {
        RankEvent::Top1 => "top1",
        RankEvent::TopK => "top_k",
        _ => "tier",
    }
}

/// One node's thresholds as a dict.
fn sensitivity_dict<'py>(py: Python<'py>, s: &WeightSensitivity) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", s.id())?;
    d.set_item("path", s.path())?;
    d.set_item("base_weight", s.base_weight())?;
    let r = s.range();
    d.set_item("range", (r.lo(), r.hi(), r.steps()))?;
    for e in RankEvent::ALL {
        let t = PyDict::new(py);
        t.set_item("down", threshold(py, s.down(e))?)?;
        t.set_item("up", threshold(py, s.up(e))?)?;
        t.set_item("nearest", threshold(py, s.nearest(e))?)?;
        d.set_item(event_name(e), t)?;
    }
    d.set_item("criticality", s.criticality())?;
    Ok(d)
}

/// How stable a ranking of merchants is under changes of the weights.
///
/// `SensitivityAnalysis(evaluator, data, top_k=10, tier_cuts=None, parallel=False)`: `data`
/// in a batch scorer's form (float64 memberships or uint8/16/32 answer counts, merchant-major,
/// leaves in the tree's order); `tier_cuts` the ascending score cuts of tiers (for the
/// "tier" event). `one_at_a_time(node, lo, hi, steps)` moves one node's local weight over
/// `[lo, hi]` (siblings scaled proportionally) and finds the smallest changes that alter the
/// top-1, the top k or any merchant's tier (`{"top1": {"down", "up", "nearest"}, "top_k":
/// ..., "tier": ...}`, each `{"weight", "change"}` or None); `tornado(...)` does it for every
/// node whose weight can vary, most critical first. `monte_carlo(draws, perturbation, ...)`
/// perturbs every judgement of the tree (`"saaty_step"`, `"log_normal"` with `sigma`, or
/// `"unperturbed"`), seeded.
#[pyclass(name = "SensitivityAnalysis", module = "service_quality", frozen)]
pub(crate) struct PySensitivityAnalysis {
    inner: SensitivityAnalysis,
    judgements: ExpertJudgements,
}

#[pymethods]
impl PySensitivityAnalysis {
    #[new]
    #[pyo3(signature = (evaluator, data, top_k=DEFAULT_TOP_K, tier_cuts=None, parallel=false))]
    fn new(
        evaluator: &PyEvaluator,
        data: &Bound<'_, PyAny>,
        top_k: usize,
        tier_cuts: Option<Vec<f64>>,
        parallel: bool,
    ) -> PyResult<Self> {
        let mut inner = analysis_of(&evaluator.inner, data)?
            .with_top_k(top_k)
            .py()?
            .parallel(parallel);
        if let Some(cuts) = tier_cuts {
            inner = inner.with_tiers(ScoreTiers::new(cuts).py()?);
        }
        Ok(Self {
            inner,
            judgements: ExpertJudgements::from_tree(evaluator.inner.tree()),
        })
    }

    /// Number of merchants.
    #[getter]
    fn merchants(&self) -> usize {
        self.inner.merchants()
    }

    /// The merchants ranked (those scored).
    #[getter]
    fn ranked(&self) -> Vec<usize> {
        self.inner.ranked().to_vec()
    }

    /// `[(merchant index, exception)]` for the merchants not scored.
    fn failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for f in self.inner.failures() {
            list.append((f.merchant, exception(py, &f.error)?))?;
        }
        Ok(list)
    }

    /// The base scores (float64).
    #[getter]
    fn base_scores<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, self.inner.base_scores())
    }

    /// The base ranks (uint32, 0 for a merchant not scored).
    #[getter]
    fn base_ranks<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        PyArray1::from_slice(py, self.inner.base_ranks())
    }

    /// The k of the top-k event.
    #[getter]
    fn top_k(&self) -> usize {
        self.inner.top_k()
    }

    /// Local weight of every node (preorder) in the base evaluation.
    #[getter]
    fn base_local_weights(&self) -> Vec<f64> {
        self.inner.base_local_weights().to_vec()
    }

    /// The thresholds of one node's local weight over `[lo, hi]` (`steps` grid points before
    /// the bisection; the crate's default when None). The GIL is released.
    #[pyo3(signature = (node, lo=0.0, hi=1.0, steps=None))]
    fn one_at_a_time<'py>(
        &self,
        py: Python<'py>,
        node: &str,
        lo: f64,
        hi: f64,
        steps: Option<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let r = range(lo, hi, steps)?;
        let inner = &self.inner;
        let s = py.detach(|| inner.one_at_a_time(node, r)).py()?;
        sensitivity_dict(py, &s)
    }

    /// `one_at_a_time` for every node whose weight can vary, the most critical first. The
    /// GIL is released.
    #[pyo3(signature = (lo=0.0, hi=1.0, steps=None))]
    fn tornado<'py>(
        &self,
        py: Python<'py>,
        lo: f64,
        hi: f64,
        steps: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let r = range(lo, hi, steps)?;
        let inner = &self.inner;
        let t = py.detach(|| inner.tornado(r)).py()?;
        let list = PyList::empty(py);
        for row in t.rows() {
            list.append(sensitivity_dict(py, row)?)?;
        }
        Ok(list)
    }

    /// Monte Carlo on the tree's judgements: `{"draws_used", "draws_dropped", "top_k",
    /// "mean_spearman", "spearman" (per draw), "merchants": [{"merchant", "base_rank", "p5",
    /// "median", "p95", "exact", "p_top_k", "p_keep_tier"}]}`. `drop_above_cr` drops draws
    /// whose CR is not below it. The GIL is released.
    #[pyo3(signature = (draws, perturbation="saaty_step", sigma=None, seed=0, drop_above_cr=None))]
    fn monte_carlo<'py>(
        &self,
        py: Python<'py>,
        draws: usize,
        perturbation: &str,
        sigma: Option<f64>,
        seed: u64,
        drop_above_cr: Option<f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let p = match (perturbation, sigma) {
            ("saaty_step", None) => Perturbation::SaatyStep,
            ("log_normal", Some(sigma)) => Perturbation::LogNormal { sigma },
            ("unperturbed", None) => Perturbation::Unperturbed,
            _ => {
                return Err(argument_error(
                    format!(
                        "perturbation: {perturbation:?} with sigma {sigma:?}; expected \
                         \"saaty_step\", \"log_normal\" with sigma, or \"unperturbed\""
                    ),
                    "UnknownName",
                ))
            }
        };
        let mut opts = MonteCarloOptions::new(draws, p).py()?.with_seed(seed);
        if let Some(cr) = drop_above_cr {
            opts = opts.with_drop_above_cr(cr).py()?;
        }
        let (inner, judgements) = (&self.inner, &self.judgements);
        let mc = py.detach(|| inner.monte_carlo(judgements, &opts)).py()?;
        let d = PyDict::new(py);
        d.set_item("draws_used", mc.draws_used())?;
        d.set_item("draws_dropped", mc.draws_dropped())?;
        d.set_item("top_k", mc.top_k())?;
        d.set_item("mean_spearman", mc.mean_spearman())?;
        d.set_item("spearman", PyArray1::from_slice(py, mc.spearman()))?;
        let merchants = PyList::empty(py);
        for m in mc.merchants() {
            let e = PyDict::new(py);
            e.set_item("merchant", m.merchant)?;
            e.set_item("base_rank", m.base_rank)?;
            e.set_item("p5", m.p5)?;
            e.set_item("median", m.median)?;
            e.set_item("p95", m.p95)?;
            e.set_item("exact", m.exact)?;
            e.set_item("p_top_k", m.p_top_k)?;
            e.set_item("p_keep_tier", m.p_keep_tier)?;
            merchants.append(e)?;
        }
        d.set_item("merchants", merchants)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "SensitivityAnalysis(merchants={}, top_k={})",
            self.inner.merchants(),
            self.inner.top_k()
        )
    }
}
