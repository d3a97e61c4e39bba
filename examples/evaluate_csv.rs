//! Evaluates the merchants in any survey CSV with any model file, without writing Rust.
//!
//! ```text
//! cargo run --release --example evaluate_csv -- [MODEL.json SURVEY.csv] [options]
//!
//!   MODEL.json   indicator tree with weights or pairwise judgements (format: `TreeSpec` docs)
//!   SURVEY.csv   one row per respondent: a `merchant` column and one column per indicator id,
//!                cells a grade label (English or Chinese) or number, empty = missing
//!   --zh                  Chinese labels in the reports
//!   --points              grades valued 5..1 instead of 95..55 (numbers in cells are values)
//!   --skip-bad-rows       skip malformed rows (counted) instead of stopping at the first
//!   --exclude-unanswered  leave out indicators without answers, reweighting their siblings
//!   --ignore COLUMN       a column to skip (repeatable)
//!   --json                print every report as JSON instead of tables
//!   --allow-inconsistent  evaluate even with judgements whose CR is 0.10 or more
//! ```
//!
//! With no file arguments it uses the bundled `examples/data/after_sales_model.json` and
//! `examples/data/survey.csv` (where every indicator, response speed included, was surveyed),
//! ignoring their `respondent` column.
//!
//! The model is loaded with `IndicatorTree::from_json` and the strict build
//! (`require_consistency(DEFAULT_CR_THRESHOLD)`): judgements with CR >= 0.10 are refused, each
//! failing node named with its CR, unless `--allow-inconsistent` asks for the lenient build.
//!
//! A merchant that cannot be evaluated (for example when every indicator is excluded) does not
//! stop the others: their reports are printed, the failures are listed on stderr, and the exit
//! code is 1.
use std::fs::File;
use std::path::PathBuf;
use std::process::ExitCode;

use service_quality::input::{CsvOptions, GradeNumbers, OnBadRow};
use service_quality::{
    Evaluator, GradeSet, IndicatorTree, Language, Survey, Unanswered, DEFAULT_CR_THRESHOLD,
};

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let (mut language, mut points, mut json) = (Language::En, false, false);
    let mut strict = true;
    let mut opts = CsvOptions::new();
    let mut unanswered = Unanswered::Reject;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--zh" => language = Language::Zh,
            "--points" => points = true,
            "--json" => json = true,
            "--skip-bad-rows" => opts = opts.with_on_bad_row(OnBadRow::Skip),
            "--exclude-unanswered" => unanswered = Unanswered::Exclude,
            "--allow-inconsistent" => strict = false,
            "--ignore" => {
                let column = args.next().ok_or("--ignore needs a column name")?;
                opts = opts.with_ignored_column(column);
            }
            other if other.starts_with("--") => {
                return Err(format!("unknown option {other}").into())
            }
            _ => files.push(PathBuf::from(arg)),
        }
    }
    let (model_path, survey_path) = match files.as_slice() {
        [] => {
            let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data");
            opts = opts.with_ignored_column("respondent");
            (data.join("after_sales_model.json"), data.join("survey.csv"))
        }
        [model, survey] => (model.clone(), survey.clone()),
        _ => return Err("usage: evaluate_csv [MODEL.json SURVEY.csv] [options]".into()),
    };
    let grades = if points {
        opts = opts.with_grade_numbers(GradeNumbers::Value);
        GradeSet::satisfaction_5_points()
    } else {
        GradeSet::satisfaction_5()
    };

    let tree = IndicatorTree::from_json(&std::fs::read_to_string(&model_path)?)
        .and_then(|tree| {
            if strict {
                tree.require_consistency(DEFAULT_CR_THRESHOLD)
            } else {
                Ok(tree)
            }
        })
        .map_err(|e| format!("{}: {e}", model_path.display()))?;
    let read = Survey::from_csv(File::open(&survey_path)?, &tree, grades.clone(), &opts)
        .map_err(|e| format!("{}: {e}", survey_path.display()))?;
    eprintln!(
        "{}: {} rows read, {} skipped",
        survey_path.display(),
        read.rows_read(),
        read.skipped().len()
    );
    for e in read.skipped() {
        eprintln!("  skipped: {e}");
    }
    if let Some(e) = read.stopped() {
        eprintln!("  stopped at: {e} (evaluating the rows before it; --skip-bad-rows to go on)");
    }
    let survey = read.into_data();

    let evaluator = Evaluator::new(&tree, grades).unanswered(unanswered);
    let (mut reports, mut failures) = (Vec::new(), Vec::new());
    for merchant in survey.merchant_names() {
        match survey
            .memberships(merchant)
            .and_then(|data| evaluator.report(merchant, &data))
        {
            Ok(report) => reports.push(report),
            Err(e) => failures.push(format!("{merchant}: {e}")),
        }
    }
    reports.sort_by(|a, b| b.overall().score().total_cmp(&a.overall().score()));
    print_reports(&reports, language, json)?;
    if failures.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("{} merchant(s) could not be evaluated:", failures.len());
    for failure in &failures {
        eprintln!("  {failure}");
    }
    Ok(ExitCode::FAILURE)
}

/// The ranked table and every report, or every report as JSON.
fn print_reports(
    reports: &[service_quality::EvaluationReport],
    language: Language,
    json: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    if json {
        println!("{}", serde_json::to_string_pretty(reports)?);
        return Ok(());
    }
    println!("{:>4}  {:<16} {:>7}  grade", "rank", "merchant", "score");
    for (rank, r) in reports.iter().enumerate() {
        let o = r.overall();
        println!(
            "{:>4}  {:<16} {:>7.2}  {}",
            rank + 1,
            r.merchant(),
            o.score(),
            r.grade_label(o.grade(), language)
        );
    }
    for r in reports {
        println!("\n{}", r.display(language));
    }
    Ok(())
}
