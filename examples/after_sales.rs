//! Evaluates 24 online shops' after-sales service — the example to run first.
//!
//! It loads the after-sales indicator system with expert pairwise judgements from
//! `examples/data/after_sales_model.json`, reads consumer survey answers
//! (`examples/data/survey.csv`) and measured handling times with urgent and ordinary cases
//! (`examples/data/kpi.csv`), and runs a two-level fuzzy comprehensive evaluation with
//! `M(·,+)`. It prints the AHP weights with their consistency ratios, a ranked table of the
//! merchants, and the full report of the lowest-ranked merchant.
//!
//! The model is loaded with `IndicatorTree::from_json` and the strict build
//! (`require_consistency(DEFAULT_CR_THRESHOLD)`), which refuses judgements with CR >= 0.10 and
//! names every failing node with its CR.
//!
//! Response speed is taken from the measured times (the survey's perceived-speed columns are
//! ignored); the other three dimensions from the survey.
//!
//! Run with:
//!
//! ```text
//! cargo run --release --example after_sales
//! ```
use std::fs::File;
use std::path::Path;

use service_quality::input::{CsvOptions, KpiModel, KpiScale, KpiTally, OnBadRow};
use service_quality::{
    EvaluationReport, Evaluator, GradeSet, IndicatorTree, Language, Survey, DEFAULT_CR_THRESHOLD,
};

/// Thresholds in minutes, best grade first (很满意 .. 很不满意), per class of case. Urgent
/// problems need an immediate reply (seed 003 ch. 8: first response within 30 s, resolution
/// within an hour); ordinary ones a reasonable time.
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");

    // 1. the indicator system with expert judgements; loading runs the AHP, and the strict
    //    build refuses judgements with CR >= 0.10
    let model = std::fs::read_to_string(data.join("after_sales_model.json"))?;
    let tree = IndicatorTree::from_json(&model)?.require_consistency(DEFAULT_CR_THRESHOLD)?;
    println!("AHP weights (eigenvector method, Saaty RI)\n");
    println!("{tree}");
    println!(
        "every comparison matrix has CR < {DEFAULT_CR_THRESHOLD}: {}\n",
        tree.is_consistent(DEFAULT_CR_THRESHOLD)
    );

    // 2. survey answers; speed is measured, so the perceived-speed columns are ignored
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
    )?;
    let kpi_opts = CsvOptions::new().with_on_bad_row(OnBadRow::Skip);
    let kpi = KpiTally::from_csv(
        File::open(data.join("kpi.csv"))?,
        kpi_model(&grades)?,
        &kpi_opts,
    )?;
    println!(
        "survey: {} respondents ({} rows skipped); KPI: {} cases ({} rows skipped)\n",
        survey.rows_read(),
        survey.skipped().len(),
        kpi.rows_read(),
        kpi.skipped().len()
    );
    let (survey, kpi) = (survey.into_result()?, kpi.into_result()?);

    // 3. evaluate every merchant
    let evaluator = Evaluator::new(&tree, grades);
    let mut reports: Vec<EvaluationReport> = Vec::new();
    for merchant in survey.merchant_names() {
        let mut memberships = survey.memberships(merchant)?;
        memberships.merge(kpi.memberships(merchant)?)?;
        reports.push(evaluator.report(merchant, &memberships)?);
    }
    reports.sort_by(|a, b| b.overall().score().total_cmp(&a.overall().score()));

    println!(
        "{:>4}  {:<9} {:>6}  {:<18} weakest dimension (score)",
        "rank", "merchant", "score", "grade"
    );
    for (rank, r) in reports.iter().enumerate() {
        let o = r.overall();
        let weakest = r
            .weakest_dimension()
            .map_or_else(String::new, |d| format!("{} ({:.1})", d.label(), d.score()));
        println!(
            "{:>4}  {:<9} {:>6.2}  {:<18} {weakest}",
            rank + 1,
            r.merchant(),
            o.score(),
            r.grade_label(o.grade(), Language::En),
        );
    }

    // 4. the full report of the lowest-ranked merchant
    if let Some(last) = reports.last() {
        println!("\n{last}");
    }
    Ok(())
}
