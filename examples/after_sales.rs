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
//! ignored); the other three dimensions from the survey. The thresholds that turn times into
//! grades, per class of case (urgent problems need an immediate reply, ordinary ones a
//! reasonable time; seed 003 ch. 8 names a first response within 30 seconds and resolution
//! within an hour), are declared in the model file's `kpi` section.
//!
//! Run with:
//!
//! ```text
//! cargo run --release --example after_sales
//! ```
use std::fs::File;
use std::path::Path;

use service_quality::input::{CsvOptions, KpiModel, KpiTally, OnBadRow};
use service_quality::{
    EvaluationReport, Evaluator, GradeSet, IndicatorTree, Language, Survey, DEFAULT_CR_THRESHOLD,
};

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

    // 2. survey answers; speed is measured, so the survey's columns of the KPI indicators are
    //    ignored. The thresholds per class of case (urgent, ordinary) are declared in the
    //    model file's `kpi` section.
    let grades = GradeSet::satisfaction_5();
    let kpi_model = KpiModel::from_tree(&tree, &grades)?.ok_or("the model declares no KPI")?;
    let mut opts = CsvOptions::new()
        .with_on_bad_row(OnBadRow::Skip)
        .with_ignored_column("respondent");
    for indicator in kpi_model.indicators() {
        opts = opts.with_ignored_column(indicator);
    }
    let survey = Survey::from_csv(
        File::open(data.join("survey.csv"))?,
        &tree,
        grades.clone(),
        &opts,
    )?;
    let kpi_opts = CsvOptions::new().with_on_bad_row(OnBadRow::Skip);
    let kpi = KpiTally::from_csv(File::open(data.join("kpi.csv"))?, kpi_model, &kpi_opts)?;
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
