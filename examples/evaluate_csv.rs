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
//!
//!   tables for a paper:
//!   --weights             the weight tables: each judgement matrix with its weights,
//!                         lambda_max, CI, RI and CR; every indicator's global weight; the
//!                         hierarchy's overall consistency per level
//!   --tables              per merchant: R and B (raw, sum, normalised) of every node, scores
//!                         and grades, instead of the short reports
//!   --merchant NAME       only this merchant's reports and tables (repeatable)
//!   --format FORMAT       text (default), markdown, csv or json, for the ranking and tables
//!   --grading RULE        max-membership (default) or score-intervals; reports and tables
//!                         show the grade under the other rule beside it
//!   --kpi FILE            measured KPI cases (merchant, case, class, one column per KPI
//!                         indicator), graded with the thresholds of the model file's `kpi`
//!                         section; the survey's columns of those indicators are ignored
//!   --out DIR             also write each table to its own file in DIR (created if needed;
//!                         CSV files with a byte-order mark so that Excel reads Chinese)
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
//! For example, every table of the bundled data in Chinese Markdown, response speed from the
//! measured times, graded by score intervals:
//!
//! ```text
//! cargo run --release --example evaluate_csv -- --weights --tables --merchant shop-06 \
//!     --zh --format markdown --grading score-intervals --kpi examples/data/kpi.csv
//! ```
//!
//! A merchant that cannot be evaluated (for example when every indicator is excluded) does not
//! stop the others: their reports are printed, the failures are listed on stderr, and the exit
//! code is 1.
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use service_quality::input::{CsvOptions, GradeNumbers, OnBadRow};
use service_quality::report::{
    Align, Cell, Column, MerchantTables, Table, TableFormat, Text, WeightTable,
};
use service_quality::{
    Error, EvaluationReport, Evaluator, GradeSet, GradingRule, IndicatorTree, KpiModel, KpiTally,
    Language, Survey, Unanswered, DEFAULT_CR_THRESHOLD,
};

/// What to print besides the ranking, and how.
#[derive(Default)]
struct Output {
    weights: bool,
    tables: bool,
    merchants: Vec<String>,
    format: TableFormat,
    out: Option<PathBuf>,
}

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let (mut language, mut points, mut json) = (Language::En, false, false);
    let mut strict = true;
    let mut opts = CsvOptions::new();
    let mut unanswered = Unanswered::Reject;
    let (mut output, mut grading, mut kpi_path) = (Output::default(), GradingRule::default(), None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--zh" => language = Language::Zh,
            "--points" => points = true,
            "--json" => json = true,
            "--skip-bad-rows" => opts = opts.with_on_bad_row(OnBadRow::Skip),
            "--exclude-unanswered" => unanswered = Unanswered::Exclude,
            "--allow-inconsistent" => strict = false,
            "--weights" => output.weights = true,
            "--tables" => output.tables = true,
            "--merchant" => output
                .merchants
                .push(args.next().ok_or("--merchant needs a name")?),
            "--format" => {
                let format = args.next().ok_or("--format needs a format")?;
                output.format = format.parse().map_err(|e: Error| e.to_string())?;
            }
            "--grading" => {
                let rule = args.next().ok_or("--grading needs a rule")?;
                grading = rule.parse().map_err(|e: Error| e.to_string())?;
            }
            "--kpi" => kpi_path = Some(PathBuf::from(args.next().ok_or("--kpi needs a file")?)),
            "--out" => {
                output.out = Some(PathBuf::from(args.next().ok_or("--out needs a directory")?))
            }
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
    // measured KPIs, graded with the model file's thresholds; the survey's columns of those
    // indicators give way to them
    let kpi_model = match &kpi_path {
        Some(path) => {
            let model = KpiModel::from_tree(&tree, &grades)?.ok_or_else(|| {
                format!(
                    "{}: --kpi needs a `kpi` section with thresholds",
                    model_path.display()
                )
            })?;
            for indicator in model.indicators() {
                opts = opts.with_ignored_column(indicator);
            }
            Some((path, model))
        }
        None => None,
    };
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
    let kpi = match kpi_model {
        Some((path, model)) => {
            let kpi_opts = CsvOptions::new().with_on_bad_row(opts.on_bad_row());
            let read = KpiTally::from_csv(File::open(path)?, model, &kpi_opts)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "{}: {} cases read, {} skipped",
                path.display(),
                read.rows_read(),
                read.skipped().len()
            );
            if let Some(e) = read.stopped() {
                return Err(format!("{}: stopped at: {e}", path.display()).into());
            }
            Some(read.into_data())
        }
        None => None,
    };

    if output.weights {
        write_tables(&output, "weights", &weight_tables(&tree)?, language)?;
    }
    let evaluator = Evaluator::new(&tree, grades)
        .unanswered(unanswered)
        .grading(grading);
    let (mut reports, mut failures) = (Vec::new(), Vec::new());
    let mut merchant_tables = Vec::new();
    for merchant in survey.merchant_names() {
        let data = survey.memberships(merchant).and_then(|mut data| {
            if let Some(kpi) = &kpi {
                data.merge(kpi.memberships(merchant)?)?;
            }
            Ok(data)
        });
        let chosen = output.merchants.is_empty() || output.merchants.iter().any(|m| m == merchant);
        match data.and_then(|data| {
            let tables = if output.tables && chosen {
                Some(named_merchant_tables(
                    &evaluator.merchant_tables(merchant, &data)?,
                )?)
            } else {
                None
            };
            Ok((evaluator.report(merchant, &data)?, tables))
        }) {
            Ok((report, tables)) => {
                reports.push(report);
                merchant_tables.extend(tables);
            }
            Err(e) => failures.push(format!("{merchant}: {e}")),
        }
    }
    reports.sort_by(|a, b| b.overall().score().total_cmp(&a.overall().score()));
    if json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    } else {
        write_tables(
            &output,
            "",
            &[("ranking".to_owned(), ranking(&reports)?)],
            language,
        )?;
        if output.tables {
            for tables in &merchant_tables {
                write_tables(&output, "", tables, language)?;
            }
        } else {
            for r in reports.iter().filter(|r| {
                output.merchants.is_empty() || output.merchants.iter().any(|m| m == r.merchant())
            }) {
                println!("\n{}", r.display(language));
            }
        }
    }
    if failures.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("{} merchant(s) could not be evaluated:", failures.len());
    for failure in &failures {
        eprintln!("  {failure}");
    }
    Ok(ExitCode::FAILURE)
}

/// The ranking as a table: rank, merchant, score and grade (under the evaluator's rule, the
/// other rule's grade beside it).
fn ranking(reports: &[EvaluationReport]) -> Result<Table, service_quality::Error> {
    let rule = reports
        .first()
        .map_or(GradingRule::default(), |r| r.grading());
    let header = |rule: GradingRule| {
        let (en, zh) = rule.label();
        Column::new(
            Text::bilingual(format!("Grade ({en})"), format!("等级({zh})")),
            Align::Left,
        )
    };
    let mut table = Table::new(
        Text::bilingual("Ranking", "排名"),
        vec![
            Column::new(Text::bilingual("Rank", "名次"), Align::Right),
            Column::new(Text::bilingual("Merchant", "商家"), Align::Left),
            Column::new(Text::bilingual("Score", "得分"), Align::Right),
            header(rule),
            header(rule.other()),
        ],
    )?;
    let grade = |r: &EvaluationReport, index: usize| {
        r.grades().grade(index).map_or_else(
            || Text::new("?"),
            |g| Text::with_optional_zh(g.label(), g.label_zh()),
        )
    };
    for (rank, r) in reports.iter().enumerate() {
        let o = r.overall();
        table.push_row(vec![
            Cell::count(rank + 1),
            Cell::text(r.merchant()),
            Cell::number(o.score(), 2),
            Cell::text(grade(r, o.grade())),
            Cell::text(grade(r, o.other_grade())),
        ])?;
    }
    Ok(table)
}

/// One merchant's tables, each with a file name: `<merchant>-summary`, then
/// `<merchant>-R-<node id>` per group node.
fn named_merchant_tables(
    tables: &MerchantTables,
) -> Result<Vec<(String, Table)>, service_quality::Error> {
    let merchant = tables.merchant();
    let mut named = vec![(format!("{merchant}-summary"), tables.summary_table()?)];
    for c in tables.compositions() {
        named.push((
            format!("{merchant}-R-{}", c.node().id()),
            tables.composition_table(c)?,
        ));
    }
    Ok(named)
}

/// The weight tables of the model, each with a file name.
fn weight_tables(tree: &IndicatorTree) -> Result<Vec<(String, Table)>, service_quality::Error> {
    let weights = WeightTable::new(tree);
    let mut tables = Vec::new();
    for node in weights.judged() {
        tables.push((format!("matrix-{}", node.id()), weights.matrix_table(node)?));
    }
    tables.push(("consistency".to_owned(), weights.consistency_table()?));
    tables.push(("indicators".to_owned(), weights.indicator_table()?));
    tables.push(("overall-consistency".to_owned(), weights.overall_table()?));
    Ok(tables)
}

/// Prints each table in the chosen format and, with `--out`, writes it to
/// `DIR/<prefix-><name>.<ext>`.
fn write_tables(
    output: &Output,
    prefix: &str,
    tables: &[(String, Table)],
    language: Language,
) -> Result<(), Box<dyn std::error::Error>> {
    for (name, table) in tables {
        println!("{}", table.render(output.format, language));
        if let Some(dir) = &output.out {
            std::fs::create_dir_all(dir)?;
            let (ext, text) = match output.format {
                TableFormat::Markdown => ("md", table.markdown(language)),
                TableFormat::Csv => ("csv", table.csv_for_excel(language)),
                TableFormat::Json => ("json", table.json(language)),
                _ => ("txt", table.text(language)),
            };
            let stem = if prefix.is_empty() {
                file_stem(name)
            } else {
                format!("{prefix}-{}", file_stem(name))
            };
            let path = Path::new(dir).join(format!("{stem}.{ext}"));
            std::fs::write(&path, text)?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// A file name from a table name: letters (any script), digits, `-` and `_` kept, the rest `_`.
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
