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
//! ```
//!
//! With no file arguments it uses the bundled `examples/data/after_sales_model.json` and
//! `examples/data/survey.csv` (where every indicator, response speed included, was surveyed),
//! ignoring their `respondent` column.
use std::fs::File;
use std::path::PathBuf;

use service_quality::input::{CsvOptions, GradeNumbers, OnBadRow};
use service_quality::{Evaluator, GradeSet, IndicatorTree, Language, Survey, Unanswered};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let (mut language, mut points, mut json) = (Language::En, false, false);
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

    let tree: IndicatorTree = serde_json::from_str(&std::fs::read_to_string(&model_path)?)
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
    let mut reports = Vec::new();
    for merchant in survey.merchant_names() {
        let data = survey.memberships(merchant)?;
        reports.push(
            evaluator
                .report(merchant, &data)
                .map_err(|e| format!("{merchant}: {e}"))?,
        );
    }
    reports.sort_by(|a, b| b.overall().score().total_cmp(&a.overall().score()));

    if json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
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
    for r in &reports {
        println!("\n{}", r.display(language));
    }
    Ok(())
}
