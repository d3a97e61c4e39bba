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
//! A read that stops at a bad row evaluates nothing: the error is printed (file, line or
//! sheet row, column, value) and the exit code is 2.
//!
//! A merchant that cannot be evaluated (for example when every indicator is excluded) does not
//! stop the others: their reports are printed, the failures are listed on stderr, and the exit
//! code is 1.
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use service_quality::input::{CsvOptions, OnBadRow, SurveyLayout, TextEncoding};
use service_quality::report::{
    Align, Cell, Column, MerchantTables, Table, TableFormat, Text, WeightTable,
};
use service_quality::{
    Error, EvaluationReport, Evaluator, GradingRule, IndicatorTree, KpiModel, KpiTally, Language,
    Survey, Unanswered, DEFAULT_CR_THRESHOLD,
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
    let (mut language, mut json) = (Language::En, false);
    let mut strict = true;
    let (mut layout_path, mut codes, mut encoding) = (None, None, None);
    let (mut skip_bad_rows, mut ignored) = (false, Vec::new());
    let mut unanswered = Unanswered::Reject;
    let (mut output, mut grading, mut kpi_path) = (Output::default(), GradingRule::default(), None);
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
                layout = layout.with_ignored(indicator);
            }
            Some((path, model))
        }
        None => None,
    };
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
    let kpi = match kpi_model {
        Some((path, model)) => {
            let on_bad_row = if skip_bad_rows {
                OnBadRow::Skip
            } else {
                OnBadRow::Stop
            };
            let kpi_opts = CsvOptions::new().with_on_bad_row(on_bad_row);
            let read = KpiTally::from_csv(File::open(path)?, model, &kpi_opts)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "{}: {} cases read, {} skipped",
                path.display(),
                read.rows_read(),
                read.skipped().len()
            );
            Some(
                read.into_result()
                    .map_err(|e| format!("{}: stopped at: {e}", path.display()))?,
            )
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
