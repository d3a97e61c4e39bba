//! Writes the crate's own results on the bundled data as JSON, for the Python tests to
//! compare the bindings with (to 1e-12): the after-sales evaluation of
//! `examples/after_sales.rs` (weights, consistency, every merchant's report), batch scores
//! of the deterministic counts of `examples/batch_scoring.rs`, and the analyses
//! (`service_quality::analysis`) of the tables in `tests/data/{analysis,validity,cluster}_reference.json`
//! with some of their rendered tables, and the AHP diagnosis, repair, completion and fuzzy AHP
//! results on the matrices of `tests/data/{panel_reference,fuzzy_ahp_consistency}.json`, the
//! Wenjuanxing export tallied with its layout, the paper tables of the model and of the
//! first merchant, and the outcome of the four quarters of `examples/data/periods` under
//! `examples/data/outcome_rules.json` (as `examples/period_review.rs`), and every MCDM method
//! on the matrices of `tests/data/mcdm_reference.json`, and the sensitivity of the ranking of
//! the first `SENSITIVITY_MERCHANTS` merchants of the batch part.
//!
//! Run from the repository root (the tests do this when `cargo` is on the path):
//!
//! ```text
//! cargo run --release -p service-quality-python-reference > reference.json
//! ```
use std::fs::File;
use std::path::Path;

use serde_json::{json, Value};
use service_quality::analysis::{
    self, CorrelationMatrix, CorrelationMethod, FactorAnalysis, FactorCount, KMeans, Labels,
    LinearTrend, MannKendall, MissingPolicy, Reliability, Responses, SamplingAdequacy,
};
use service_quality::input::{CsvOptions, KpiModel, KpiScale, KpiTally, OnBadRow};
use service_quality::{
    BatchScorer, Evaluator, FuzzyOperator, Grade, GradeSet, IndicatorTree, Language, Survey,
    DEFAULT_CR_THRESHOLD,
};

/// Merchants of the batch part.
const MERCHANTS: usize = 1000;

/// Merchants of the sensitivity part (the first of the batch part's counts).
const SENSITIVITY_MERCHANTS: usize = 60;

/// The KPI scales of `examples/after_sales.rs`.
fn kpi_model(grades: &GradeSet) -> Result<KpiModel, service_quality::Error> {
    let s = KpiScale::smaller_is_better;
    KpiModel::new(grades)
        .with_scale("first_reply", "urgent", s(vec![0.5, 2.0, 5.0, 10.0, 30.0])?)?
        .with_scale(
            "first_reply",
            "ordinary",
            s(vec![5.0, 15.0, 30.0, 60.0, 180.0])?,
        )?
        .with_scale(
            "resolution_time",
            "urgent",
            s(vec![30.0, 60.0, 120.0, 240.0, 480.0])?,
        )?
        .with_scale(
            "resolution_time",
            "ordinary",
            s(vec![240.0, 720.0, 1440.0, 2880.0, 4320.0])?,
        )?
        .with_scale(
            "feedback_time",
            "urgent",
            s(vec![60.0, 120.0, 240.0, 480.0, 960.0])?,
        )?
        .with_scale(
            "feedback_time",
            "ordinary",
            s(vec![480.0, 1440.0, 2880.0, 4320.0, 7200.0])?,
        )
}

/// The counts of `examples/batch_scoring.rs` (same generator), for `MERCHANTS` merchants.
fn counts(k: usize, m: usize) -> Vec<u16> {
    let mut state = 0x2026_1126_u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as u16
    };
    let mut counts = vec![0u16; MERCHANTS * k * m];
    for (i, block) in counts.chunks_exact_mut(k * m).enumerate() {
        let quality = i % 7;
        for row in block.chunks_exact_mut(m) {
            for (j, c) in row.iter_mut().enumerate() {
                let bias = if j <= quality % m { 6 } else { 1 };
                *c = next() % (bias * 4);
            }
        }
    }
    for i in (0..MERCHANTS).step_by(100) {
        counts[i * k * m..i * k * m + m].fill(0);
    }
    counts
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data");
    let model = std::fs::read_to_string(data.join("after_sales_model.json"))?;
    let tree = IndicatorTree::from_json(&model)?.require_consistency(DEFAULT_CR_THRESHOLD)?;
    let nodes: Vec<Value> = tree
        .nodes()
        .map(|n| {
            json!({
                "id": n.id(),
                "local_weight": n.local_weight(),
                "global_weight": n.global_weight(),
                "consistency": n.consistency(),
            })
        })
        .collect();

    let grades = GradeSet::satisfaction_5();
    let opts = CsvOptions::new()
        .with_on_bad_row(OnBadRow::Skip)
        .with_ignored_column("respondent")
        .with_ignored_column("first_reply")
        .with_ignored_column("resolution_time")
        .with_ignored_column("feedback_time");
    let survey = Survey::from_csv(
        File::open(data.join("survey.csv"))?,
        &tree,
        grades.clone(),
        &opts,
    )?
    .into_result()?;
    let kpi = KpiTally::from_csv(
        File::open(data.join("kpi.csv"))?,
        kpi_model(&grades)?,
        &CsvOptions::new().with_on_bad_row(OnBadRow::Skip),
    )?
    .into_result()?;
    let evaluator = Evaluator::new(&tree, grades.clone());
    let mut reports = Vec::new();
    let mut merchant_tables = Value::Null;
    for merchant in survey.merchant_names() {
        let mut memberships = survey.memberships(merchant)?;
        memberships.merge(kpi.memberships(merchant)?)?;
        reports.push(serde_json::to_value(
            evaluator.report(merchant, &memberships)?,
        )?);
        if merchant_tables.is_null() {
            let t = evaluator.merchant_tables(merchant, &memberships)?;
            merchant_tables = json!({
                "merchant": merchant,
                "tables": t,
                "rendered": t.tables()?.iter().map(|t| t.markdown(Language::Zh)).collect::<Vec<_>>(),
            });
        }
    }
    let weight_table = service_quality::report::WeightTable::new(&tree);

    let mut batch = serde_json::Map::new();
    for (name, op) in [
        ("weighted_average", FuzzyOperator::WeightedAverage),
        ("zadeh_max_min", FuzzyOperator::ZadehMaxMin),
    ] {
        let scorer = BatchScorer::new(&Evaluator::new(&tree, grades.clone()).operator(op))?;
        let counts = counts(scorer.n_leaves(), scorer.n_grades());
        let out = scorer.score_counts_vec(&counts)?;
        let failed: Vec<usize> = out.failures.iter().map(|f| f.merchant).collect();
        batch.insert(
            name.into(),
            json!({ "scores": out.scores, "grades": out.grades, "failed": failed }),
        );
        batch.insert("counts".into(), json!(counts));
    }
    let sensitivity = sensitivity_results(&tree, &grades)?;

    let out = json!({
        "generator": "python/reference/src/main.rs",
        "crate_version": env!("CARGO_PKG_VERSION"),
        "nodes": nodes,
        "reports": reports,
        "batch": batch,
        "batch_merchants": MERCHANTS,
        "analysis": analysis_results(&data.join("../../tests/data"))?,
        "ahp": ahp_results(&data.join("../../tests/data"))?,
        "intake": intake_results(&data, &tree)?,
        "outcome": outcome_results(&data, &tree)?,
        "mcdm": mcdm_results(&data.join("../../tests/data"))?,
        "sensitivity": sensitivity,
        "merchant_tables": merchant_tables,
        "weight_table": {
            "data": weight_table,
            "rendered": weight_table.tables()?.iter().map(|t| t.text(Language::Zh)).collect::<Vec<_>>(),
        },
    });
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}

/// The result of a fallible step, as its JSON or `null` when the crate refuses it.
type Json = Result<Value, Box<dyn std::error::Error>>;

/// The rows of a reference case.
fn rows_of(case: &Value) -> Result<Vec<Vec<Option<f64>>>, serde_json::Error> {
    serde_json::from_value(case["rows"].clone())
}

/// `q0, q1, ...` for `k` variables.
fn q_ids(k: usize) -> Vec<String> {
    (0..k).map(|j| format!("q{j}")).collect()
}

/// A value as JSON, or `null` for an error.
fn or_null<T: serde::Serialize, E>(r: Result<T, E>) -> Value {
    r.ok()
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or(Value::Null)
}

/// The crate's analyses of the reference tables of `tests/data`.
fn analysis_results(dir: &Path) -> Json {
    let read = |name: &str| -> Json {
        Ok(serde_json::from_str(&std::fs::read_to_string(
            dir.join(name),
        )?)?)
    };
    let a = read("analysis_reference.json")?;
    let values: Vec<f64> = serde_json::from_value(a["grade_values"].clone())?;
    let grades = GradeSet::new(
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| Grade::new(format!("g{i}"), v))
            .collect(),
    )?;
    let mut tables = Vec::new();
    for case in a["tables"].as_array().into_iter().flatten() {
        let rows = rows_of(case)?;
        let t = Responses::new(q_ids(rows.first().map_or(0, Vec::len)), rows)?;
        let described = if case["graded"] == Value::Bool(true) {
            analysis::describe_graded(&t, &grades)?
        } else {
            analysis::describe(&t)
        };
        let labels = Labels::ids();
        let pearson = CorrelationMatrix::of(&t, CorrelationMethod::Pearson);
        let listwise = Reliability::of(&t, MissingPolicy::Listwise);
        tables.push(json!({
            "name": case["name"],
            "describe": described,
            "reliability": {
                "listwise": or_null(Reliability::of(&t, MissingPolicy::Listwise)),
                "pairwise": or_null(Reliability::of(&t, MissingPolicy::Pairwise)),
            },
            "correlation": {
                "pearson": pearson,
                "spearman": CorrelationMatrix::of(&t, CorrelationMethod::Spearman),
                "kendall": CorrelationMatrix::of(&t, CorrelationMethod::KendallTauB),
            },
            "rendered": {
                "descriptive_markdown_zh": analysis::descriptive_table(&described, &labels)?.markdown(Language::Zh),
                "correlation_text_en": pearson.table(&labels)?.text(Language::En),
                "correlation_pairs_csv": pearson.pairs_table(&labels)?.csv(Language::En),
                "reliability_json_zh": or_null(listwise.and_then(|r| r.table(&labels)).map(|t| t.json(Language::Zh))),
            },
        }));
    }
    let mut series = serde_json::Map::new();
    for (name, s) in a["series"].as_object().into_iter().flatten() {
        let values: Vec<f64> = serde_json::from_value(s["values"].clone())?;
        series.insert(
            name.clone(),
            json!({
                "linear": or_null(LinearTrend::of_series(&values)),
                "mann_kendall": or_null(MannKendall::of_series(&values)),
                "changes": or_null(analysis::period_changes(&values)),
                "relative_changes": or_null(analysis::relative_changes(&values)),
                "moving_average_3": or_null(analysis::moving_average(&values, 3)),
                "period_table_csv": or_null(
                    analysis::period_table(&q_ids(values.len()), &values, 3).map(|t| t.csv(Language::En))
                ),
            }),
        );
    }

    let v = read("validity_reference.json")?;
    let mut validity = Vec::new();
    for case in v["cases"].as_array().into_iter().flatten() {
        let ids: Vec<String> = serde_json::from_value(case["ids"].clone())?;
        let t = Responses::new(ids, rows_of(case)?)?;
        let factors: usize = serde_json::from_value(case["factors"].clone())?;
        validity.push(json!({
            "name": case["name"],
            "sampling": or_null(SamplingAdequacy::of(&t)),
            "fixed": or_null(FactorAnalysis::of(&t, FactorCount::Fixed(factors))),
            "kaiser": or_null(FactorAnalysis::of(&t, FactorCount::Kaiser)),
        }));
    }

    let c = read("cluster_reference.json")?;
    let mut cluster = Vec::new();
    for case in c["cases"].as_array().into_iter().flatten() {
        let ids: Vec<String> = serde_json::from_value(case["ids"].clone())?;
        let t = Responses::new(ids, rows_of(case)?)?;
        let standardize = case["standardize"] == Value::Bool(true);
        let mut fits = Vec::new();
        for fit in case["fits"].as_array().into_iter().flatten() {
            let k: usize = serde_json::from_value(fit["clusters"].clone())?;
            let centres: Vec<Vec<f64>> = serde_json::from_value(fit["initial_centres"].clone())?;
            let options = KMeans::new(k)?.standardize(standardize);
            fits.push(json!({
                "from_centres": or_null(options.fit_from(&t, &centres)),
                "seeded": or_null(options.clone().seed(7).restarts(3).and_then(|o| o.fit(&t))),
            }));
        }
        let scan = analysis::silhouette_by_k(&t, 2..=4, &KMeans::new(1)?.standardize(standardize));
        cluster.push(json!({
            "name": case["name"],
            "fits": fits,
            "silhouette_by_k": or_null(scan),
        }));
    }
    Ok(json!({ "tables": tables, "series": series, "validity": validity, "cluster": cluster }))
}

/// The priorities of a matrix as the Python `Priorities.to_dict` gives them.
fn priorities_json(p: &service_quality::Priorities) -> Value {
    json!({
        "weights": p.weights(),
        "method": p.method(),
        "iterations": p.iterations(),
        "consistency": p.consistency(),
    })
}

/// Diagnosis, repair, completion and fuzzy AHP of the reference matrices of `tests/data`.
fn ahp_results(dir: &Path) -> Json {
    use service_quality::ahp::{CompletionMethod, PriorityMethod, RepairOptions, RepairStop};
    use service_quality::fuzzy_ahp::{FuzzyConsistencyConvention, FuzzyPairwiseMatrix};
    use service_quality::{IncompleteMatrix, PairwiseMatrix, PriorityOptions};

    let read = |name: &str| -> Json {
        Ok(serde_json::from_str(&std::fs::read_to_string(
            dir.join(name),
        )?)?)
    };
    let panel = read("panel_reference.json")?;
    let mut diagnosis = Vec::new();
    let experts: Vec<Vec<f64>> = serde_json::from_value(panel["panel"]["experts_upper"].clone())?;
    for upper in &experts {
        let n = (1..=64)
            .find(|n| n * (n - 1) / 2 == upper.len())
            .unwrap_or(0);
        let m = PairwiseMatrix::from_upper_triangle(n, upper)?;
        let g = m.gci()?;
        let repair = m.repair(&RepairOptions::new().with_target_cr(0.01)?)?;
        let stop = match repair.stop() {
            RepairStop::TargetReached => "target_reached",
            RepairStop::StepLimit => "step_limit",
            _ => "no_improvement",
        };
        let ranked: Vec<Value> = m
            .inconsistent_judgements(PriorityMethod::GeometricMean)?
            .iter()
            .map(|j| json!({"i": j.i, "j": j.j, "value": j.value, "consistent_value": j.consistent_value, "error": j.error, "log_error": j.log_error()}))
            .collect();
        diagnosis.push(json!({
            "upper": upper,
            "n": n,
            "gci": {"n": g.n(), "value": g.value(), "threshold": g.threshold(), "acceptable": g.is_acceptable()},
            "triad": m.triad_inconsistency(),
            "inconsistent_judgements": ranked,
            "repair": {
                "matrix": repair.matrix().to_rows(),
                "priorities": priorities_json(repair.priorities()),
                "initial": repair.initial(),
                "steps": repair.steps(),
                "stop": stop,
                "reached_target": repair.reached_target(),
            },
        }));
    }
    let mut completion = serde_json::Map::new();
    for (name, case) in panel["completion"].as_object().into_iter().flatten() {
        let n: usize = serde_json::from_value(case["n"].clone())?;
        let given: Vec<(usize, usize, f64)> = serde_json::from_value(case["given"].clone())?;
        let m = IncompleteMatrix::from_judgements(n, &given)?;
        let mut methods = serde_json::Map::new();
        for (key, method) in [
            ("harker", CompletionMethod::Harker),
            ("log_least_squares", CompletionMethod::LogLeastSquares),
            ("optimal", CompletionMethod::Optimal),
        ] {
            let c = m.complete(method)?;
            methods.insert(
                key.into(),
                json!({
                    "matrix": c.matrix().to_rows(),
                    "filled": c.filled(),
                    "method": key,
                    "priorities": priorities_json(c.priorities()),
                    "cycles": c.cycles(),
                }),
            );
        }
        completion.insert(
            name.clone(),
            json!({"given": given, "n": n, "methods": methods}),
        );
    }
    let fuzzy = read("fuzzy_ahp_consistency.json")?;
    let mut fuzzy_cases = Vec::new();
    for case in fuzzy["cases"].as_array().into_iter().flatten() {
        let n: usize = serde_json::from_value(case["n"].clone())?;
        let upper: Vec<[f64; 3]> = serde_json::from_value(case["upper"].clone())?;
        let upper = upper
            .iter()
            .map(|t| service_quality::TriangularFuzzyNumber::new(t[0], t[1], t[2]))
            .collect::<Result<Vec<_>, _>>()?;
        let m = FuzzyPairwiseMatrix::from_upper_triangle(n, &upper)?;
        let p = m.buckley(&PriorityOptions::default())?;
        let mut conventions = serde_json::Map::new();
        for c in [
            FuzzyConsistencyConvention::CentroidEigenvector,
            FuzzyConsistencyConvention::GradedMeanBuckley,
        ] {
            let r = m.consistency(c)?;
            conventions.insert(
                c.name().into(),
                json!({"convention": c.name(), "n": r.n(), "lambda": r.lambda(), "ci": r.ci(), "ri": r.ri(), "cr": r.cr()}),
            );
        }
        fuzzy_cases.push(json!({
            "name": case["name"],
            "buckley": {
                "fuzzy_weights": p.fuzzy_weights(),
                "weights": p.weights().as_slice(),
                "defuzzified_matrix": p.defuzzified_matrix().to_rows(),
                "consistency": priorities_json(p.consistency()),
            },
            "consistency": conventions,
        }));
    }
    Ok(json!({ "diagnosis": diagnosis, "completion": completion, "fuzzy": fuzzy_cases }))
}

/// The Wenjuanxing export (UTF-8 and GBK) tallied with its layout.
fn intake_results(data: &Path, tree: &IndicatorTree) -> Json {
    use service_quality::input::{SurveyCounts, SurveyLayout};
    let layout = SurveyLayout::from_json(&std::fs::read_to_string(
        data.join("wenjuanxing_layout.json"),
    )?)?;
    let mut out = serde_json::Map::new();
    for name in ["wenjuanxing_export.csv", "wenjuanxing_export_gbk.csv"] {
        let c = SurveyCounts::read_file(data.join(name), tree, &layout)?.into_result()?;
        out.insert(
            name.into(),
            json!({
                "leaf_ids": c.leaf_ids(),
                "answered_leaves": c.answered_leaves(),
                "merchants": c.merchants(),
                "counts": c.counts(),
                "missing": c.missing(),
                "respondents": c.respondents(),
            }),
        );
    }
    Ok(Value::Object(out))
}

/// The four quarters of `examples/data/periods` under the bundled outcome rules: the stored
/// boards, the latest ranking with tiers, rectification, alerts and the Q3 -> Q4 comparison,
/// as CSV tables (every digit).
fn outcome_results(data: &Path, tree: &IndicatorTree) -> Json {
    use service_quality::outcome::{
        alerts_table, CompareOptions, Dependence, History, IntervalEstimator, MerchantCard,
        OutcomeRules, Ranking, Scoreboard, Shrinkage,
    };
    let rules =
        OutcomeRules::from_json(&std::fs::read_to_string(data.join("outcome_rules.json"))?)?;
    let evaluator = Evaluator::new(tree, GradeSet::satisfaction_5());
    let estimator = IntervalEstimator::new(&evaluator, 0.95)?.with_dependence(Dependence::Perfect);
    let mut boards = Vec::new();
    let mut intervals = Vec::new();
    for period in ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"] {
        let file = File::open(data.join(format!("periods/survey_{period}.csv")))?;
        let options = CsvOptions::new().with_ignored_column("respondent");
        let survey =
            Survey::from_csv(file, tree, GradeSet::satisfaction_5(), &options)?.into_result()?;
        let reports = survey
            .merchant_names()
            .map(|m| evaluator.report(m, &survey.memberships(m)?))
            .collect::<Result<Vec<_>, _>>()?;
        intervals = survey
            .merchants()
            .iter()
            .map(|tally| {
                let counts: Vec<u32> = (0..survey.indicators().len())
                    .flat_map(|i| tally.counts(i).unwrap_or(&[]).iter().map(|&c| c as u32))
                    .collect();
                estimator.interval(&counts)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let std_errors = intervals.iter().map(|i| i.std_error()).collect();
        boards.push(
            Scoreboard::from_reports(period, &evaluator, &reports)?.with_std_errors(std_errors)?,
        );
    }
    let stored: Vec<String> = boards.iter().map(Scoreboard::to_json).collect();
    let history = History::new(boards)?;
    let latest = &history.boards()[3];
    let ranking = Ranking::of(latest, rules.ranking())?;
    let tiers = rules.tiers().ok_or("no tiers")?.assign(latest)?;
    let rectification = rules
        .rectification()
        .ok_or("no rectification")?
        .apply(latest)?;
    let alerts = rules.alerts().evaluate(&history);
    let options = CompareOptions::new()
        .with_ranking(rules.ranking().clone())
        .with_tiers(rules.tiers().ok_or("no tiers")?.clone());
    let comparison = history.compare(2, 3, &options)?;
    let shrunk = Shrinkage::pseudo_respondents(30.0)?.apply(latest)?;
    let means = latest.node_means();
    let cards = (0..3)
        .map(|m| {
            Ok(MerchantCard::new(latest, m, &means)?
                .with_interval(intervals[m])
                .with_published(shrunk.scores()[m])?
                .with_tier(&tiers, m)
                .with_rank(&ranking, m)
                .to_json())
        })
        .collect::<Result<Vec<String>, service_quality::Error>>()?;
    let csv = |t: service_quality::report::Table| t.csv(Language::En);
    Ok(json!({
        "boards": stored,
        "ranking": csv(ranking.table_with(&[tiers.column()])?),
        "ranks": (0..latest.len()).map(|m| ranking.rank(m)).collect::<Vec<_>>(),
        "tiers": (0..latest.len()).map(|m| tiers.tier(m).id().to_owned()).collect::<Vec<_>>(),
        "tier_counts": tiers.counts(),
        "tier_cuts": tiers.cuts(),
        "tier_summary": csv(tiers.summary_table()?),
        "rectification": csv(rectification.merchant_table(10)?),
        "platform": csv(rectification.platform_table()?),
        "alerts": or_null(alerts.and_then(|a| alerts_table(&a)).map(|t| t.csv(Language::Zh))),
        "comparison": csv(comparison.table()?),
        "entered": comparison.entered(),
        "intervals": intervals,
        "shrunk": {"prior_mean": shrunk.prior_mean(), "credibility": shrunk.credibility(), "scores": shrunk.scores()},
        "cards": cards,
        "left": comparison.left(),
    }))
}

/// Every MCDM method on the reference matrices of `tests/data/mcdm_reference.json`.
fn mcdm_results(dir: &Path) -> Json {
    use service_quality::mcdm::{
        CombinationRule, CombinedWeights, CriterionType, CriticConvention, DecisionMatrix,
        Dispersion, EntropyConvention, GreyNormalisation, GreyOptions, GreyRelational,
        ObjectiveMethod, ObjectiveWeights, RankSumRatio, RankingMethod, RobustnessTable,
        RsrOptions, RsrRanks, Topsis, TopsisNormalisation, Vikor,
    };
    use service_quality::Weights;
    let r: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("mcdm_reference.json"))?)?;
    let mut out = Vec::new();
    for c in r["cases"].as_array().into_iter().flatten() {
        let rows: Vec<Vec<f64>> = serde_json::from_value(c["matrix"].clone())?;
        let types: Vec<i64> = serde_json::from_value(c["types"].clone())?;
        let m = DecisionMatrix::new(
            (1..=rows.len()).map(|i| format!("A{i}")).collect(),
            (1..=types.len()).map(|j| format!("C{j}")).collect(),
            types
                .iter()
                .map(|&t| {
                    if t == 1 {
                        CriterionType::Benefit
                    } else {
                        CriterionType::Cost
                    }
                })
                .collect(),
            &rows,
        )?;
        let w = Weights::normalize(&serde_json::from_value::<Vec<f64>>(c["weights"].clone())?)?;
        let mut objective = serde_json::Map::new();
        for (name, method) in [
            (
                "entropy_ignore_cost",
                ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost),
            ),
            (
                "entropy_reciprocal_cost",
                ObjectiveMethod::Entropy(EntropyConvention::ReciprocalCost),
            ),
            (
                "entropy_pydecision",
                ObjectiveMethod::Entropy(EntropyConvention::PyDecision),
            ),
            (
                "critic_ignore_cost",
                ObjectiveMethod::Critic(CriticConvention::IgnoreCost),
            ),
            (
                "critic_orient_cost",
                ObjectiveMethod::Critic(CriticConvention::OrientCost),
            ),
            (
                "coefficient_of_variation",
                ObjectiveMethod::CoefficientOfVariation,
            ),
            (
                "std_raw",
                ObjectiveMethod::StandardDeviation(Dispersion::Raw),
            ),
            (
                "std_min_max",
                ObjectiveMethod::StandardDeviation(Dispersion::MinMax),
            ),
        ] {
            let o = ObjectiveWeights::of(&m, method)?;
            objective.insert(
                name.into(),
                json!({"information": o.information(), "weights": o.weights()}),
            );
        }
        let s = Weights::normalize(&serde_json::from_value::<Vec<f64>>(
            c["subjective"].clone(),
        )?)?;
        let o = ObjectiveWeights::of(&m, ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost))?;
        let mut combined = serde_json::Map::new();
        let alpha: f64 = serde_json::from_value(c["combined_alpha"].clone())?;
        for (name, rule) in [
            ("multiplicative", CombinationRule::Multiplicative),
            ("linear", CombinationRule::Linear { alpha }),
            (
                "minimum_discrimination",
                CombinationRule::MinimumDiscrimination,
            ),
            ("game_theory", CombinationRule::GameTheory),
        ] {
            let cw = CombinedWeights::new(&s, o.weights(), rule)?;
            combined.insert(
                name.into(),
                json!({"coefficients": cw.coefficients(), "weights": cw.weights()}),
            );
        }
        let mut rankings = Vec::new();
        for method in [
            RankingMethod::Topsis(TopsisNormalisation::Vector),
            RankingMethod::Vikor { v: 0.5 },
        ] {
            let (scores, ranking) = method.rank(&m, &w)?;
            rankings.push((method.name(), scores, ranking));
        }
        out.push(json!({
            "name": c["name"],
            "matrix": m,
            "objective": objective,
            "combined": combined,
            "topsis_vector": Topsis::new(&m, &w, TopsisNormalisation::Vector)?,
            "topsis_min_max": Topsis::new(&m, &w, TopsisNormalisation::MinMax)?,
            "grey": GreyRelational::new(&m, &GreyOptions::new().with_weights(w.clone()))?,
            "grey_mean": GreyRelational::new(&m, &GreyOptions::new().with_weights(w.clone()).with_normalisation(GreyNormalisation::Mean))?,
            "rsr_integer": RankSumRatio::new(&m, &RsrOptions::new())?,
            "rsr_noninteger_weighted": RankSumRatio::new(&m, &RsrOptions::new().with_ranks(RsrRanks::NonInteger).with_weights(w.clone()))?,
            "vikor": Vikor::new(&m, &w, 0.5)?,
            "robustness": RobustnessTable::new(m.alternatives().to_vec(), rankings)?,
        }));
    }
    Ok(Value::Array(out))
}

/// One node's rank-reversal thresholds as the Python `one_at_a_time` gives them.
fn sensitivity_json(s: &service_quality::sensitivity::WeightSensitivity) -> Value {
    use service_quality::sensitivity::RankEvent;
    let t = |x: Option<service_quality::sensitivity::Threshold>| {
        x.map_or(
            Value::Null,
            |t| json!({"weight": t.weight, "change": t.change}),
        )
    };
    let r = s.range();
    let mut d = serde_json::Map::new();
    d.insert("id".into(), json!(s.id()));
    d.insert("path".into(), json!(s.path()));
    d.insert("base_weight".into(), json!(s.base_weight()));
    d.insert("range".into(), json!([r.lo(), r.hi(), r.steps()]));
    for (name, e) in [
        ("top1", RankEvent::Top1),
        ("top_k", RankEvent::TopK),
        ("tier", RankEvent::Tier),
    ] {
        d.insert(
            name.into(),
            json!({"down": t(s.down(e)), "up": t(s.up(e)), "nearest": t(s.nearest(e))}),
        );
    }
    d.insert("criticality".into(), json!(s.criticality()));
    Value::Object(d)
}

/// The sensitivity of the ranking of the first merchants of the batch counts: the tornado,
/// one node, and two Monte Carlo runs.
fn sensitivity_results(tree: &IndicatorTree, grades: &GradeSet) -> Json {
    use service_quality::sensitivity::{
        ExpertJudgements, MonteCarloOptions, Perturbation, ScoreTiers, SensitivityAnalysis,
        WeightRange,
    };
    let evaluator = Evaluator::new(tree, grades.clone());
    let scorer = BatchScorer::new(&evaluator)?;
    let block = scorer.n_leaves() * scorer.n_grades();
    let all = counts(scorer.n_leaves(), scorer.n_grades());
    let counts = &all[..SENSITIVITY_MERCHANTS * block];
    let analysis = SensitivityAnalysis::new(&evaluator, counts)?
        .with_top_k(5)?
        .with_tiers(ScoreTiers::new(vec![80.0, 85.0])?);
    let tornado: Vec<Value> = analysis
        .tornado(WeightRange::full())?
        .rows()
        .iter()
        .map(sensitivity_json)
        .collect();
    let speed = sensitivity_json(
        &analysis.one_at_a_time("speed", WeightRange::new(0.1, 0.6)?.with_steps(40)?)?,
    );
    let judgements = ExpertJudgements::from_tree(tree);
    let mut runs = Vec::new();
    for opts in [
        MonteCarloOptions::new(200, Perturbation::SaatyStep)?.with_seed(7),
        MonteCarloOptions::new(150, Perturbation::LogNormal { sigma: 0.2 })?
            .with_seed(3)
            .with_drop_above_cr(0.1)?,
    ] {
        let mc = analysis.monte_carlo(&judgements, &opts)?;
        let merchants: Vec<Value> = mc
            .merchants()
            .iter()
            .map(|m| json!({"merchant": m.merchant, "base_rank": m.base_rank, "p5": m.p5, "median": m.median, "p95": m.p95, "exact": m.exact, "p_top_k": m.p_top_k, "p_keep_tier": m.p_keep_tier}))
            .collect();
        runs.push(json!({
            "draws_used": mc.draws_used(),
            "draws_dropped": mc.draws_dropped(),
            "top_k": mc.top_k(),
            "mean_spearman": mc.mean_spearman(),
            "spearman": mc.spearman(),
            "merchants": merchants,
        }));
    }
    Ok(json!({
        "merchants": SENSITIVITY_MERCHANTS,
        "base_scores": analysis.base_scores(),
        "base_ranks": analysis.base_ranks(),
        "ranked": analysis.ranked(),
        "base_local_weights": analysis.base_local_weights(),
        "tornado": tornado,
        "speed": speed,
        "monte_carlo": runs,
    }))
}
