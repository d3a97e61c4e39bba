//! Reference values that the scripts under `scripts/reference/` computed with independent
//! tools, read from the JSON files they wrote under `tests/data/`. Each file's `metadata`
//! names the script and the tool versions; the scripts' docstrings say how to re-run them.

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Reads and parses `tests/data/<file>`.
fn load<T: DeserializeOwned>(file: &str) -> T {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Provenance stored in every reference file.
#[derive(Debug, Deserialize)]
pub struct Metadata {
    pub generator: String,
    pub python: String,
    pub numpy: String,
    pub scipy: String,
    pub ahpy: String,
    #[serde(rename = "pyDecision", default)]
    pub pydecision: Option<String>,
    /// BLAS/LAPACK and the kernels numpy ran on: eigenvectors differ between kernels in the
    /// last bits.
    pub blas: String,
}

// ----- tests/data/ahp_reference.json (scripts/reference/ahp_reference.py) -----

/// Priorities of seeded pairwise matrices, n = 1..=15.
#[derive(Debug, Deserialize)]
pub struct AhpReference {
    pub metadata: Metadata,
    pub cases: Vec<EigenCase>,
}

/// One pairwise comparison matrix and its reference priorities.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EigenCase {
    pub name: String,
    pub n: usize,
    /// The n(n-1)/2 entries above the diagonal, row by row.
    pub upper: Vec<f64>,
    /// numpy.linalg.eig, eigenvalue of largest real part.
    pub eigen_weights: Vec<f64>,
    pub lambda_max: f64,
    /// Row geometric mean, normalised.
    pub rgmm_weights: Vec<f64>,
    /// mean_i (A w)_i / w_i for the RGMM weights.
    pub rgmm_lambda: f64,
    /// Normalised column average.
    pub an_weights: Vec<f64>,
    pub an_lambda: f64,
    /// AHPy's power method, rounded to `ahpy_precision` decimals.
    pub ahpy_weights: Vec<f64>,
    pub ahpy_precision: Option<u32>,
}

pub fn ahp() -> AhpReference {
    load("ahp_reference.json")
}

// ----- tests/data/panel_reference.json (scripts/reference/panel_reference.py) -----

/// Expert-panel features computed with numpy, scipy, AHPy and pyDecision.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelReference {
    pub metadata: Metadata,
    pub panel: PanelCase,
    pub completion: Completions,
    pub fuzzy_ahp: FuzzyAhpCase,
}

/// Four experts' matrices and what numpy computes from them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelCase {
    pub experts_upper: Vec<Vec<f64>>,
    pub expert_weights: Vec<f64>,
    pub aij_upper: Vec<f64>,
    pub aij_eigenvector: Vec<f64>,
    pub aij_lambda_max: f64,
    pub expert_eigenvectors: Vec<Vec<f64>>,
    pub aip_geometric: Vec<f64>,
    pub aip_arithmetic: Vec<f64>,
    pub s_star: f64,
    pub d_beta: f64,
    pub s_star_first_three_equal: f64,
    pub gci: Vec<f64>,
    pub koczkodaj: Vec<f64>,
    pub koczkodaj_worst_triad: Vec<(usize, usize, usize)>,
    pub gcompi_vs_aij: Vec<f64>,
}

/// The two incomplete matrices of the completion tests.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Completions {
    /// The AHPy README "Missing Pairwise Comparisons" example.
    pub readme: CompletionCase,
    /// Six criteria, four pairs missing.
    pub six: CompletionCase,
}

/// An incomplete matrix and its completions by AHPy, scipy and numpy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompletionCase {
    pub n: usize,
    /// Given judgements (i, j, a_ij).
    pub given: Vec<(usize, usize, f64)>,
    /// The missing pairs (i < j), in the order of the values below.
    pub missing: Vec<(usize, usize)>,
    pub ahpy_completed: Vec<f64>,
    /// scipy BFGS minimum of lambda_max over the logs of the missing entries.
    pub optimum: Vec<f64>,
    pub optimum_lambda_max: f64,
    pub harker_weights: Vec<f64>,
    pub llsm_weights: Vec<f64>,
}

/// pyDecision's fuzzy AHP (Buckley) of one matrix.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuzzyAhpCase {
    /// Saaty values above the diagonal, row by row.
    pub upper: Vec<f64>,
    /// The triangular number the script used for 9.
    pub scale_of_9: [f64; 3],
    pub fuzzy_weights: Vec<[f64; 3]>,
    pub crisp_weights: Vec<f64>,
}

pub fn panel() -> PanelReference {
    load("panel_reference.json")
}

// ----- tests/data/outcome_reference.json (scripts/reference/outcome_reference.py) -----

/// Provenance of the outcome reference file (numpy and scipy only).
#[derive(Debug, Deserialize)]
pub struct OutcomeMetadata {
    pub generator: String,
    pub python: String,
    pub numpy: String,
    pub scipy: String,
    pub blas: String,
}

/// Quantiles, ranks, quantile tiers, intervals and shrinkage computed with numpy and scipy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeReference {
    pub metadata: OutcomeMetadata,
    pub quantiles: Vec<QuantileCase>,
    pub ranks: Vec<RankCase>,
    pub tiers: Vec<TierCase>,
    pub intervals: Vec<IntervalCase>,
    pub shrinkage: ShrinkageCase,
}

/// `numpy.quantile(values, p, method="linear")` for each probability.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantileCase {
    pub values: Vec<f64>,
    pub probabilities: Vec<f64>,
    pub quantiles: Vec<f64>,
}

/// `scipy.stats.rankdata(-scores, method="min" / "dense")`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankCase {
    pub scores: Vec<f64>,
    pub competition: Vec<u32>,
    pub dense: Vec<u32>,
}

/// Quantile tiers at 0.9 / 0.5 / 0.05, merchants under 10 respondents insufficient.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierCase {
    pub scores: Vec<f64>,
    pub samples: Vec<u32>,
    pub cuts: Vec<f64>,
    pub tiers: Vec<String>,
}

/// A weighted mean of grade values from counts (4 leaves x 5 grades) and its intervals.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntervalCase {
    pub counts: Vec<u32>,
    pub score: f64,
    pub se_independent: f64,
    pub se_perfect: f64,
    pub levels: Vec<IntervalLevel>,
}

/// One confidence level of an [`IntervalCase`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntervalLevel {
    pub level: f64,
    pub z: f64,
    pub lower: f64,
    pub upper: f64,
}

/// Pseudo-respondent and empirical-Bayes shrinkage.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShrinkageCase {
    pub scores: Vec<f64>,
    pub samples: Vec<u32>,
    pub std_errors: Vec<f64>,
    pub k: f64,
    pub mean: f64,
    pub pseudo: Vec<f64>,
    pub tau2: f64,
    pub empirical_bayes: Vec<f64>,
}

/// `tests/data/outcome_reference.json`.
pub fn outcome() -> OutcomeReference {
    load("outcome_reference.json")
}
