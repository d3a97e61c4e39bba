//! Writes the crate's own results on the bundled data as JSON, for the Python tests to
//! compare the bindings with (to 1e-12): the after-sales evaluation of
//! `examples/after_sales.rs` (weights, consistency, every merchant's report) and batch scores
//! of the deterministic counts of `examples/batch_scoring.rs`.
//!
//! Run from the repository root (the tests do this when `cargo` is on the path):
//!
//! ```text
//! cargo run --release -p service-quality-python-reference > reference.json
//! ```
use std::fs::File;
use std::path::Path;

use serde_json::{json, Value};
use service_quality::input::{CsvOptions, KpiModel, KpiScale, KpiTally, OnBadRow};
use service_quality::{
    BatchScorer, Evaluator, FuzzyOperator, GradeSet, IndicatorTree, Survey, DEFAULT_CR_THRESHOLD,
};

/// Merchants of the batch part.
const MERCHANTS: usize = 1000;

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
    for merchant in survey.merchant_names() {
        let mut memberships = survey.memberships(merchant)?;
        memberships.merge(kpi.memberships(merchant)?)?;
        reports.push(serde_json::to_value(
            evaluator.report(merchant, &memberships)?,
        )?);
    }

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

    let out = json!({
        "generator": "python/reference/src/main.rs",
        "crate_version": env!("CARGO_PKG_VERSION"),
        "nodes": nodes,
        "reports": reports,
        "batch": batch,
        "batch_merchants": MERCHANTS,
    });
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
