//! # service-quality
//!
//! Evaluate service quality — first of all e-commerce after-sales service (电商售后服务) — with
//! weighted indicator hierarchies, AHP (analytic hierarchy process) weights and fuzzy
//! comprehensive evaluation (模糊综合评价).
//!
//! An evaluation starts from an *indicator system*: a goal split into dimensions (response
//! speed, service attitude, professionalism, satisfaction) and indicators. Experts compare the
//! children of each node pairwise on Saaty's 1–9 scale; the priority vector of each comparison
//! matrix gives local weights, its consistency ratio says whether the judgements can be
//! trusted, and the product of local weights along a path gives each indicator's global weight.
//!
//! ## Quick start
//!
//! ```
//! use service_quality::{template, IndicatorTree, Judgements, PriorityMethod};
//!
//! // the after-sales indicator system, with expert judgements over its four dimensions
//! let mut spec = template::after_sales();
//! let goal = spec.find_mut("after_sales").expect("root id");
//! // speed vs attitude, professionalism, satisfaction; attitude vs ...; professionalism vs ...
//! goal.set_judgements(Judgements::Upper(vec![2.0, 3.0, 0.5, 2.0, 1.0 / 3.0, 0.25]));
//! let tree = IndicatorTree::new(spec)?;
//!
//! let root = tree.root();
//! let report = root.consistency().expect("judged pairwise");
//! assert!(report.cr() < 0.10);
//! let speed = tree.node("speed")?;
//! assert_eq!(speed.label_zh(), Some("售后服务响应速度"));
//! let total: f64 = tree.leaves().map(|leaf| leaf.global_weight()).sum();
//! assert!((total - 1.0).abs() < 1e-12);
//!
//! // a single matrix, three priority methods
//! let m = service_quality::PairwiseMatrix::from_upper_triangle(3, &[3.0, 5.0, 2.0])?;
//! let eig = m.priorities(PriorityMethod::Eigenvector)?;
//! let rgmm = m.priorities(PriorityMethod::GeometricMean)?;
//! assert!((eig.weights().as_slice()[0] - rgmm.weights().as_slice()[0]).abs() < 0.01);
//! # Ok::<(), service_quality::Error>(())
//! ```
//!
//! ## Expert panels
//!
//! Real weights come from several experts. [`Panel`] aggregates their matrices for one node
//! (AIJ, the element-wise weighted geometric mean, or AIP, a weighted mean of their priority
//! vectors), can exclude experts whose CR is too high (reported, never silent) and measures
//! consensus; [`GroupTree`] does it at every node of a hierarchy. Missing judgements are
//! completed ([`IncompleteMatrix`]); inconsistent matrices are diagnosed and, on request,
//! repaired with an audit trail ([`PairwiseMatrix::repair`]); experts who hesitate give
//! triangular fuzzy judgements ([`FuzzyPairwiseMatrix`]).
//!
//! ```text
//! AIJ:  a_ij^G = prod_k (a_ij^(k))^(lambda_k)          AIP:  w_i^G ∝ prod_k (w_i^(k))^(lambda_k)
//! GCI = 2 / ((n-1)(n-2)) sum_{i<j} ln^2(a_ij w_j / w_i)        e_ij = a_ij w_j / w_i
//! ```
//!
//! ```
//! use service_quality::{PairwiseMatrix, Panel, PanelOptions};
//!
//! let panel = Panel::new(vec![
//!     PairwiseMatrix::from_upper_triangle(3, &[3.0, 5.0, 2.0])?,
//!     PairwiseMatrix::from_upper_triangle(3, &[2.0, 6.0, 3.0])?,
//! ])?;
//! let result = panel.evaluate(&PanelOptions::new().with_exclude_above_cr(0.1)?)?;
//! assert!(result.excluded().is_empty());
//! assert!((result.weights().as_slice().iter().sum::<f64>() - 1.0).abs() < 1e-12);
//! assert!(result.consensus().s_star() > 0.9);
//! # Ok::<(), service_quality::Error>(())
//! ```
//!
//! ## The pipeline
//!
//! ```text
//!  model                     input                      evaluation              use
//!  ─────                     ─────                      ──────────              ───
//!  hierarchy  IndicatorTree  Survey (answers)           FuzzyOperator  B = A∘R  report  EvaluationReport
//!  ahp        PairwiseMatrix KpiModel/KpiTally (KPIs) → MembershipMatrix     →  batch   BatchScorer
//!  group      Panel          ──────────────────────     FuzzyResult (grade,     (many merchants,
//!  fuzzy_ahp  (Buckley)      IndicatorMemberships        score)                  same rules)
//!  GradeSet, Weights         (CSV readers: CsvOptions)  Evaluator (multi-level)
//! ```
//!
//! Each stage depends only on the stages to its left (`docs/ARCHITECTURE.md` in the
//! repository lists each folder's job and what it may use):
//!
//! - model — [`hierarchy`]: [`NodeSpec`] (what you write), [`IndicatorTree`] (validated,
//!   weighted), [`template::after_sales`]; [`ahp`]: [`PairwiseMatrix`], [`PriorityMethod`],
//!   [`ConsistencyReport`], [`RandomIndex`], diagnosis ([`GciReport`](ahp::GciReport),
//!   [`TriadIndex`](ahp::TriadIndex), [`InconsistentJudgement`](ahp::InconsistentJudgement)),
//!   [`Repair`], [`IncompleteMatrix`] and [`CompletionMethod`];
//!   [`group`]: [`ExpertWeights`], [`aggregate_judgements`](group::aggregate_judgements),
//!   [`aggregate_priorities`](group::aggregate_priorities), [`Panel`],
//!   [`AhpConsensus`](group::AhpConsensus), [`GroupTree`] and the panel file format
//!   [`PanelSpec`]; [`fuzzy_ahp`]: [`TriangularFuzzyNumber`],
//!   [`fuzzy_saaty`](fuzzy_ahp::fuzzy_saaty), [`FuzzyPairwiseMatrix`]
//!   (Buckley's method); the grade set [`GradeSet`] and validated [`Weights`];
//! - [`input`] — memberships from survey answers ([`Survey`]) and measured KPIs
//!   ([`KpiModel`], [`KpiTally`]) as one merchant's [`IndicatorMemberships`];
//! - [`evaluation`] — fuzzy comprehensive evaluation: [`MembershipMatrix`], [`FuzzyOperator`]
//!   (`M(·,+)`, `M(∧,∨)`, `M(·,∨)`, `M(∧,⊕)`), [`FuzzyResult`] and the multi-level
//!   [`Evaluator`]; its docs list every invalid input and its error;
//! - [`report`] — the per-merchant [`EvaluationReport`], printed in a [`Language`];
//! - [`batch`] — [`BatchScorer`] scores many merchants at once from merchant-major buffers
//!   (f64 memberships, answer counts, raw answers as [`SurveyAnswers`]) into [`BatchOutput`]
//!   buffers, by the same rules as the [`Evaluator`];
//! - [`outcome`] — using the results of many merchants over periods: a versioned
//!   [`Scoreboard`](outcome::Scoreboard) per period, [`Ranking`](outcome::Ranking) with
//!   explicit ties, reward and penalty [`TierScheme`](outcome::TierScheme)s, rectification
//!   lists, confidence intervals, shrinkage and public cards, period comparison and alert
//!   rules (charts with the `charts` feature);
//! - [`analysis`] — statistics of answers, dimension scores and KPIs over a
//!   [`Responses`](analysis::Responses) table: descriptive statistics, reliability (Cronbach's
//!   alpha), correlation matrices with p-values, trends over periods (Mann–Kendall);
//! - [`Error`]: the one error type, with one variant per area ([`AhpError`], [`HierarchyError`],
//!   [`EvaluationError`], ...) and context wrappers; [`Error::root`] looks through them.
//!
//! ## Evaluating a merchant
//!
//! ```
//! use service_quality::{template, Evaluator, GradeSet, IndicatorTree, Survey};
//!
//! let tree = IndicatorTree::new(template::after_sales())?;
//! let ids: Vec<String> = tree.leaves().map(|l| l.id().to_owned()).collect();
//! let mut survey = Survey::new(ids, GradeSet::satisfaction_5())?;
//! // two respondents grade all 13 indicators (0 = very satisfied ... 4 = very dissatisfied)
//! survey.add_response("shop-a", &[Some(0); 13])?;
//! survey.add_response("shop-a", &[Some(2); 13])?;
//! let report = Evaluator::new(tree, GradeSet::satisfaction_5())
//!     .report("shop-a", &survey.memberships("shop-a")?)?;
//! assert!((report.overall().score() - 85.0).abs() < 1e-9); // half 95, half 75
//! assert_eq!(report.overall().tied(), [0, 2]); // a tie, reported
//! println!("{report}");
//! # Ok::<(), service_quality::Error>(())
//! ```
//!
//! Run `cargo run --release --example after_sales` for a complete evaluation of 24 shops from
//! survey answers and measured handling times.
//!
//! ## Conventions
//!
//! Options and other configurable values follow one pattern: `T::new(..)` (and `Default`
//! where every setting has a default) gives the defaults; consuming setters `with_x(self, v)`
//! chain, returning `Result<Self>` when `v` can be invalid (checked at the call, so a built
//! value is always valid) and `Self` otherwise; accessors are named like the setting, without
//! `get_` (`opts.tolerance()`); `set_x(&mut self, v)` edits a value in place. For example
//! [`PriorityOptions`], [`CompletionOptions`], [`RepairOptions`], [`PanelOptions`] and
//! [`CsvOptions`]:
//!
//! ```
//! use service_quality::{PriorityMethod, PriorityOptions, RandomIndex};
//!
//! let opts = PriorityOptions::new(PriorityMethod::Eigenvector)
//!     .with_random_index(RandomIndex::AlonsoLamata2006)
//!     .with_tolerance(1e-14)?;
//! assert_eq!(opts.tolerance(), 1e-14);
//! assert!(PriorityOptions::default().with_tolerance(f64::NAN).is_err());
//! # Ok::<(), service_quality::Error>(())
//! ```
//!
//! ## Crate features
//!
//! - `serde` (default): `Serialize`/`Deserialize` for the model types, and model files read
//!   with [`IndicatorTree::from_json`] (any depth up to 256 levels; it brings in `serde_json`).
//!   Deserialising an [`IndicatorTree`] runs the full validation, so an invalid model file is
//!   rejected with the path of the offending node. The model file format is documented on
//!   [`TreeSpec`].
//! - `csv` (default): reading survey answers and KPI cases from CSV files
//!   (`Survey::from_csv`, `KpiTally::from_csv`) with the `csv` crate.
//! - `parallel`: `BatchScorer::parallel(true)` splits a batch across threads with rayon;
//!   results are identical bit for bit.
//! - `charts`: SVG charts of the results (`outcome::charts`) drawn with `plotters`' SVG
//!   backend.
//!
//! ## References
//!
//! - T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980.
//! - T. L. Saaty, "Decision making with the analytic hierarchy process", *Int. J. Services
//!   Sciences* 1(1), 83–98, 2008.
//! - 《电商平台售后服务质量评价与改进》 (the after-sales indicator system).
//! - E. Forman, K. Peniwati, "Aggregating individual judgments and priorities with the
//!   analytic hierarchy process", *EJOR* 108, 165–169, 1998.
//! - S. Bozóki, J. Fülöp, L. Rónyai, "On optimal completion of incomplete pairwise comparison
//!   matrices", *Mathematical and Computer Modelling* 52, 318–333, 2010.
//! - J. Aguarón, J. M. Moreno-Jiménez, "The geometric consistency index: approximated
//!   thresholds", *EJOR* 147, 137–145, 2003.
//! - J. J. Buckley, "Fuzzy hierarchical analysis", *Fuzzy Sets and Systems* 17, 233–247, 1985.
//! - L. A. Zadeh, "Fuzzy sets", *Information and Control* 8(3), 338–353, 1965; 汪培庄
//!   《模糊集合论及其应用》, 1983 (the fuzzy composition operators).
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod analysis;
pub mod batch;
mod error;
pub mod evaluation;
pub mod input;
pub mod mcdm;
mod model;
mod numeric;
pub mod outcome;
pub mod report;
pub mod sensitivity;

pub use model::{ahp, fuzzy_ahp, group, hierarchy};

pub use ahp::{
    CompletionMethod, CompletionOptions, ConsistencyReport, IncompleteMatrix, PairwiseMatrix,
    Priorities, PriorityMethod, PriorityOptions, RandomIndex, Repair, RepairOptions,
};
pub use batch::{
    BatchOutput, BatchScorer, BatchScores, BatchSummary, MerchantError, SurveyAnswers,
};
pub use error::{
    AhpError, AnalysisError, ArgumentError, ArrowError, BatchError, BreakpointOrder, CountOf,
    CsvError, Error, EvaluationError, HierarchyError, InputError, McdmError, McdmMethod,
    NumericError, OffsetsProblem, OutcomeError, PanelError, Parameter, Result, StructureDifference,
    WeightsError,
};
pub use error::{EncodingProblem, IntakeError, LayoutProblem, Place};
pub use error::{FixedReason, SensitivityError};
pub use evaluation::{
    Evaluation, Evaluator, FuzzyOperator, FuzzyResult, GradingRule, MembershipMatrix, Unanswered,
};
pub use fuzzy_ahp::{FuzzyPairwiseMatrix, TriangularFuzzyNumber};
pub use group::{
    Aggregation, AipMean, ExpertWeights, GroupTree, Panel, PanelOptions, PanelResult, PanelSpec,
};
pub use hierarchy::{template, IndicatorTree, Judgements, NodeSpec, TreeSpec};
#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
pub use input::CsvOptions;
pub use input::{IndicatorMemberships, KpiModel, KpiTally, Survey};
pub use model::grades::{Grade, GradeSet};
pub use model::language::Language;
pub use model::weights::Weights;
pub use numeric::{
    DEFAULT_CR_THRESHOLD, DEFAULT_EIGEN_TOL, DEFAULT_MAX_ITER, MAX_CRITERIA, MEMBERSHIP_TIE_TOL,
    RECIPROCAL_RTOL, WEIGHT_SUM_TOL,
};
pub use report::EvaluationReport;

/// The README's code blocks run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
