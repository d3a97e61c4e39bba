//! Reference values that the scripts under `scripts/reference/` computed with independent
//! tools, read from the JSON files they wrote under `tests/data/`. Each file's `metadata`
//! names the script and the tool versions; the scripts' docstrings say how to re-run them.

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Reads and parses `tests/data/<file>`.
pub fn load<T: DeserializeOwned>(file: &str) -> T {
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

// ----- tests/data/mcdm_reference.json (scripts/reference/mcdm_reference.py) -----

/// Provenance of the MCDM reference values (pymcdm and pyDecision instead of AHPy).
#[derive(Debug, Deserialize)]
pub struct McdmMetadata {
    pub generator: String,
    pub python: String,
    pub numpy: String,
    pub scipy: String,
    pub pymcdm: String,
    #[serde(rename = "pyDecision")]
    pub pydecision: String,
    pub blas: String,
}

/// Objective weights, combinations and rankings of seeded decision matrices by pymcdm 1.4.0,
/// pyDecision 5.1.8 and numpy/scipy, and published worked examples.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McdmReference {
    pub metadata: McdmMetadata,
    pub cases: Vec<McdmCase>,
    pub published: McdmPublished,
}

/// One decision matrix and what the tools compute from it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McdmCase {
    pub name: String,
    pub matrix: Vec<Vec<f64>>,
    /// 1 = benefit, -1 = cost.
    pub types: Vec<i32>,
    pub weights: Vec<f64>,
    pub pymcdm_entropy: Vec<f64>,
    pub pymcdm_critic: Vec<f64>,
    pub pymcdm_std: Vec<f64>,
    pub pymcdm_topsis_minmax: Vec<f64>,
    pub pymcdm_topsis_vector: Vec<f64>,
    /// Only for benefit-only matrices.
    pub pymcdm_vikor_q: Option<Vec<f64>>,
    pub pydecision_entropy: Vec<f64>,
    pub pydecision_critic: Vec<f64>,
    pub pydecision_topsis: Vec<f64>,
    pub pydecision_vikor_s: Vec<f64>,
    pub pydecision_vikor_r: Vec<f64>,
    pub pydecision_vikor_q: Vec<f64>,
    /// pyDecision's grades, divided by the number of alternatives.
    pub pydecision_gra: Vec<f64>,
    pub numpy_entropy_reciprocal: Vec<f64>,
    pub numpy_critic_oriented: Vec<f64>,
    pub numpy_cv: Vec<f64>,
    pub numpy_std_minmax: Vec<f64>,
    /// Subjective weights combined with pymcdm's entropy weights.
    pub subjective: Vec<f64>,
    pub combined_alpha: f64,
    pub combined: McdmCombined,
    pub numpy_grey_mean: Vec<f64>,
    pub rsr_integer: McdmRsr,
    pub rsr_noninteger: McdmRsr,
    pub spearman_topsis_vikor: f64,
    pub kendall_topsis_vikor: f64,
}

/// The combination rules of `subjective` with `pymcdm_entropy`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McdmCombined {
    pub multiplicative: Vec<f64>,
    pub linear: Vec<f64>,
    pub minimum_discrimination: Vec<f64>,
    pub game_theory: Vec<f64>,
    pub game_theory_coefficients: Vec<f64>,
}

/// Rank-sum ratio by scipy: RSR, WRSR, the distribution table and the probit regression.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McdmRsr {
    pub rsr: Vec<f64>,
    pub wrsr: Vec<f64>,
    pub table_rsr: Vec<f64>,
    pub table_frequency: Vec<usize>,
    pub table_mean_rank: Vec<f64>,
    pub table_percentile: Vec<f64>,
    pub table_probit: Vec<f64>,
    pub intercept: f64,
    pub slope: f64,
}

/// Published worked examples with their printed values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McdmPublished {
    pub diakoulaki_1995_critic: PublishedWeights,
    pub tzeng_huang_2011_topsis: PublishedTopsis,
    pub opricovic_tzeng_2004_vikor: PublishedVikor,
    pub opricovic_tzeng_2007_vikor: PublishedVikorSets,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedWeights {
    pub citation: String,
    pub matrix: Vec<Vec<f64>>,
    pub weights: Vec<f64>,
    pub decimals: i32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedTopsis {
    pub citation: String,
    pub matrix: Vec<Vec<f64>>,
    pub types: Vec<i32>,
    pub weights: Vec<f64>,
    pub closeness: Vec<f64>,
    pub decimals: i32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedVikor {
    pub citation: String,
    pub matrix: Vec<Vec<f64>>,
    pub types: Vec<i32>,
    pub weights: Vec<f64>,
    pub s: Vec<f64>,
    pub r: Vec<f64>,
    pub q: Vec<f64>,
    pub compromise: Vec<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedVikorSets {
    pub citation: String,
    pub matrix: Vec<Vec<f64>>,
    pub types: Vec<i32>,
    pub decimals: i32,
    pub weight_sets: Vec<PublishedVikorSet>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedVikorSet {
    pub raw_weights: Vec<f64>,
    pub r: Vec<f64>,
    pub s: Vec<f64>,
    pub q: Vec<f64>,
    pub compromise: Vec<usize>,
}

pub fn mcdm() -> McdmReference {
    load("mcdm_reference.json")
}

// ----- tests/data/fuzzy_ahp_consistency.json (scripts/reference/fuzzy_ahp_reference.py) -----

/// Provenance of the fuzzy AHP consistency reference (numpy and pyDecision only).
#[derive(Debug, Deserialize)]
pub struct FuzzyConsistencyMetadata {
    pub generator: String,
    pub python: String,
    pub numpy: String,
    #[serde(rename = "pyDecision")]
    pub pydecision: String,
    pub blas: String,
}

/// Fuzzy matrices with pyDecision's weights and CR, and the centroid matrix's eigenvalue.
#[derive(Debug, Deserialize)]
pub struct FuzzyConsistencyReference {
    pub metadata: FuzzyConsistencyMetadata,
    pub cases: Vec<FuzzyConsistencyCase>,
}

/// One fuzzy pairwise matrix (upper triangle of `(l, m, u)`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuzzyConsistencyCase {
    pub name: String,
    pub n: usize,
    pub upper: Vec<[f64; 3]>,
    /// pyDecision 5.1.8 `fuzzy_ahp_method`: crisp weights.
    pub pydecision_weights: Vec<f64>,
    /// mean_i (X w)_i / w_i with the graded-mean matrix X (numpy).
    pub pydecision_lambda: f64,
    /// pyDecision's `rc`.
    pub pydecision_cr: f64,
    /// numpy.linalg.eig of the centroid matrix.
    pub centroid_lambda_max: f64,
}

pub fn fuzzy_consistency() -> FuzzyConsistencyReference {
    load("fuzzy_ahp_consistency.json")
}

// ----- tests/data/gogus_boucher_consistency.json (scripts/reference/gogus_boucher_reference.py) -----

/// Provenance of the Gogus & Boucher reference (numpy only) and the random indices it used.
#[derive(Debug, Deserialize)]
pub struct GogusBoucherMetadata {
    pub generator: String,
    pub python: String,
    pub numpy: String,
    pub blas: String,
    pub ri_source: String,
    /// RI_m for n = 0..=10.
    pub ri_m: Vec<f64>,
    /// RI_g for n = 0..=10.
    pub ri_g: Vec<f64>,
    pub threshold: f64,
}

/// Fuzzy matrices with CI and CR of their middle and geometric-mean matrices.
#[derive(Debug, Deserialize)]
pub struct GogusBoucherReference {
    pub metadata: GogusBoucherMetadata,
    pub cases: Vec<GogusBoucherCase>,
}

/// One fuzzy pairwise matrix (upper triangle of `(l, m, u)`) under both lambda routes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GogusBoucherCase {
    pub name: String,
    pub n: usize,
    pub upper: Vec<[f64; 3]>,
    /// lambda_max = principal eigenvalue (numpy.linalg.eig).
    pub eigenvector: GogusBoucherValues,
    /// lambda_max = mean_i (A w)_i / w_i, w the normalised column average.
    pub column_average: GogusBoucherValues,
}

/// The two matrices' consistency and the verdict (both CRs below the threshold).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GogusBoucherValues {
    pub middle: CrispPart,
    pub geometric: CrispPart,
    pub consistent: bool,
}

/// lambda_max, CI, RI and CR of one crisp matrix.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrispPart {
    pub lambda: f64,
    pub ci: f64,
    pub ri: f64,
    pub cr: f64,
}

pub fn gogus_boucher() -> GogusBoucherReference {
    load("gogus_boucher_consistency.json")
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
