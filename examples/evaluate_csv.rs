//! Evaluates the merchants in any survey CSV with any model file, without writing Rust.
//!
//! ```text
//! cargo run --release --example evaluate_csv -- [MODEL.json SURVEY] [options]
//!
//!   MODEL.json   indicator tree with weights or pairwise judgements (format: `TreeSpec` docs)
//!   SURVEY       one row per respondent: a .csv / .txt file (UTF-8 with or without BOM, GBK,
//!                UTF-16; comma, tab or semicolon), or an .xlsx workbook (feature `xlsx`)
//!   --layout FILE         a survey layout (JSON, see `SurveyLayout::from_json`): which column is
//!                         the merchant, which are ignored, how questions map to indicators
//!                         and cells to grades; without it: a `merchant` column, one column per
//!                         indicator id or label, cells grade labels or aliases, empty = missing
//!   --codes BEST,WORST    numbers in cells are codes, BEST the code of the best grade
//!                         (`--codes 5,1`: 5 = very satisfied); the grade values stay 95..55
//!   --points              the same as `--codes 5,1`
//!   --encoding NAME       auto (default), utf-8, gbk, utf-16
//!   --zh                  Chinese labels in the reports
//!   --skip-bad-rows       skip malformed rows (listed) instead of stopping at the first
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
//! A read that stops at a bad row evaluates nothing: the error is printed (file, line or
//! sheet row, column, value) and the exit code is 2.
//!
//! A merchant that cannot be evaluated (for example when every indicator is excluded) does not
//! stop the others: their reports are printed, the failures are listed on stderr, and the exit
//! code is 1.
use std::path::PathBuf;
use std::process::ExitCode;

use service_quality::input::{OnBadRow, SurveyLayout, TextEncoding};
use service_quality::{
    Evaluator, IndicatorTree, Language, Survey, Unanswered, DEFAULT_CR_THRESHOLD,
};

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let (mut language, mut json) = (Language::En, false);
    let mut strict = true;
    let (mut layout_path, mut codes, mut encoding) = (None, None, None);
    let (mut skip_bad_rows, mut ignored) = (false, Vec::new());
    let mut unanswered = Unanswered::Reject;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--zh" => language = Language::Zh,
            "--points" => codes = Some((5, 1)),
            "--codes" => {
                let text = args.next().ok_or("--codes needs BEST,WORST (e.g. 5,1)")?;
                let (best, worst) = text
                    .split_once(',')
                    .ok_or("--codes needs BEST,WORST (e.g. 5,1)")?;
                codes = Some((best.trim().parse()?, worst.trim().parse()?));
            }
            "--layout" => {
                layout_path = Some(PathBuf::from(args.next().ok_or("--layout needs a file")?))
            }
            "--encoding" => {
                encoding = Some(
                    args.next()
                        .ok_or("--encoding needs a name")?
                        .parse::<TextEncoding>()?,
                )
            }
            "--json" => json = true,
            "--skip-bad-rows" => skip_bad_rows = true,
            "--exclude-unanswered" => unanswered = Unanswered::Exclude,
            "--allow-inconsistent" => strict = false,
            "--ignore" => {
                ignored.push(args.next().ok_or("--ignore needs a column name")?);
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
            ignored.push("respondent".into());
            (data.join("after_sales_model.json"), data.join("survey.csv"))
        }
        [model, survey] => (model.clone(), survey.clone()),
        _ => return Err("usage: evaluate_csv [MODEL.json SURVEY] [options]".into()),
    };
    let mut layout = match &layout_path {
        Some(path) => SurveyLayout::from_json(&std::fs::read_to_string(path)?)
            .map_err(|e| format!("{}: {e}", path.display()))?,
        None => SurveyLayout::new("merchant"),
    };
    for column in ignored {
        layout = layout.with_ignored(column);
    }
    if let Some((best, worst)) = codes {
        layout = layout.with_codes(best, worst)?;
    }
    if let Some(encoding) = encoding {
        layout = layout.with_encoding(encoding);
    }
    if skip_bad_rows {
        layout = layout.with_on_bad_row(OnBadRow::Skip);
    }
    let grades = layout.grades().clone();

    let tree = IndicatorTree::from_json(&std::fs::read_to_string(&model_path)?)
        .and_then(|tree| {
            if strict {
                tree.require_consistency(DEFAULT_CR_THRESHOLD)
            } else {
                Ok(tree)
            }
        })
        .map_err(|e| format!("{}: {e}", model_path.display()))?;
    let read = Survey::read_file(&survey_path, &tree, &layout)?;
    eprintln!(
        "{}: {} rows read, {} skipped",
        survey_path.display(),
        read.rows_read(),
        read.skipped().len()
    );
    for e in read.skipped() {
        eprintln!("  skipped: {e}");
    }
    let survey = match read.into_result() {
        Ok(survey) => survey,
        Err(e) => {
            eprintln!("reading stopped at a bad row, nothing evaluated: {e}");
            eprintln!("(fix the file or the layout, or pass --skip-bad-rows to skip such rows)");
            return Ok(ExitCode::from(2));
        }
    };

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
