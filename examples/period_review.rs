//! A quarter's review of every merchant: ranking with tiers, rectification, alerts, the
//! period comparison, public cards and charts, from four quarters of survey answers.
//!
//! ```text
//! cargo run --release --features charts --example period_review -- [OUTPUT_DIR] [--zh]
//! ```
//!
//! Without the `charts` feature everything but the SVG charts is written.
//!
//! Reads the bundled model (`examples/data/after_sales_model.json`), the outcome rules
//! (`examples/data/outcome_rules.json`: quantile tiers, rectification thresholds and problem
//! areas, alert rules) and the surveys of 2024-Q1 … 2024-Q4 (`examples/data/periods/`, made
//! by `examples/data/generate_periods.py`). Each quarter becomes a scoreboard with analytic
//! 95 % intervals; the boards are stored as JSON and read back, as a platform would keep them
//! between quarters. Prints the latest ranking with tiers, the rectification list, the
//! alerts and the Q3 → Q4 comparison; writes CSV, Markdown and JSON tables, the stored
//! boards, one card per merchant (Markdown, JSON, radar SVG), the ranking chart and each
//! merchant's score-over-periods chart into OUTPUT_DIR (default `target/period_review`).
use std::fs;
use std::path::PathBuf;

use service_quality::input::CsvOptions;
#[cfg(feature = "charts")]
use service_quality::outcome::charts;
use service_quality::outcome::{
    alerts_table, AlertRules, CompareOptions, Dependence, History, IntervalEstimator, MerchantCard,
    OutcomeRules, Ranking, Scoreboard, Shrinkage,
};
use service_quality::report::{Table, TableFormat};
use service_quality::{Evaluator, GradeSet, IndicatorTree, Language, Survey};

const PERIODS: [&str; 4] = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut language = Language::En;
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/period_review");
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--zh" => language = Language::Zh,
            other if other.starts_with("--") => {
                return Err(format!("unknown option {other}").into())
            }
            other => out = PathBuf::from(other),
        }
    }
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let tree = IndicatorTree::from_json(&fs::read_to_string(data.join("after_sales_model.json"))?)?;
    let rules = OutcomeRules::from_json(&fs::read_to_string(data.join("outcome_rules.json"))?)?;
    let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5());
    // a respondent's answers go together (a lenient respondent is lenient everywhere), so the
    // interval assumes perfectly correlated indicators: the widest analytic interval
    let estimator = IntervalEstimator::new(&evaluator, 0.95)?.with_dependence(Dependence::Perfect);
    fs::create_dir_all(out.join("boards"))?;
    fs::create_dir_all(out.join("cards"))?;
    fs::create_dir_all(out.join("charts"))?;

    // one scoreboard per quarter, stored as JSON and read back
    let (mut boards, mut intervals) = (Vec::new(), Vec::new());
    for period in PERIODS {
        let file = fs::File::open(data.join(format!("periods/survey_{period}.csv")))?;
        let options = CsvOptions::new().with_ignored_column("respondent");
        let survey =
            Survey::from_csv(file, &tree, GradeSet::satisfaction_5(), &options)?.into_result()?;
        let mut reports = Vec::new();
        intervals.clear();
        for tally in survey.merchants() {
            reports.push(evaluator.report(tally.merchant(), &survey.tally_memberships(tally)?)?);
            let counts: Vec<u32> = (0..survey.indicators().len())
                .flat_map(|i| tally.counts(i).unwrap_or(&[]).iter().map(|&c| c as u32))
                .collect();
            intervals.push(estimator.interval(&counts)?);
        }
        let std_errors = intervals.iter().map(|ci| ci.std_error()).collect();
        let board =
            Scoreboard::from_reports(period, &evaluator, &reports)?.with_std_errors(std_errors)?;
        let path = out.join(format!("boards/{period}.json"));
        fs::write(&path, board.to_json())?;
        boards.push(Scoreboard::from_json(&fs::read_to_string(&path)?)?);
    }
    rules.check(boards[0].outline())?;
    let history = History::new(boards)?;
    let latest = &history.boards()[PERIODS.len() - 1];

    // ranking with tiers
    let ranking = Ranking::of(latest, rules.ranking())?;
    let tiers = rules
        .tiers()
        .ok_or("the rules declare no tiers")?
        .assign(latest)?;
    let ranking_table = ranking.table_with(&[tiers.column()])?;
    section(&ranking_table, language);
    section(&tiers.summary_table()?, language);
    write_table(&out, "ranking", &ranking_table, language)?;

    // rectification
    let rectification = rules
        .rectification()
        .ok_or("the rules declare no rectification")?
        .apply(latest)?;
    let fix = rectification.merchant_table(10)?;
    section(&fix, language);
    write_table(&out, "rectification", &fix, language)?;
    let weakest = rectification.platform_table()?;
    section(&weakest, language);
    write_table(&out, "platform_weakest", &weakest, language)?;

    // alerts over every quarter
    let alert_rules: &AlertRules = rules.alerts();
    let alerts = alert_rules.evaluate(&history)?;
    let alert_table = alerts_table(&alerts)?;
    section(&alert_table, language);
    write_table(&out, "alerts", &alert_table, language)?;

    // Q3 -> Q4
    let options = CompareOptions::new()
        .with_ranking(rules.ranking().clone())
        .with_tiers(rules.tiers().ok_or("no tiers")?.clone());
    let comparison = history.compare(2, 3, &options)?.table()?;
    section(&comparison, language);
    write_table(&out, "comparison", &comparison, language)?;

    // publication: cards with intervals and credibility-adjusted scores
    let shrunk = Shrinkage::pseudo_respondents(30.0)?.apply(latest)?;
    let means = latest.node_means();
    let z = estimator.z();
    // the charts' score axis
    #[cfg_attr(not(feature = "charts"), allow(unused_variables))]
    let (low, high) = (55.0, 95.0);
    for (m, (id, interval)) in latest.merchants().iter().zip(&intervals).enumerate() {
        let card = MerchantCard::new(latest, m, &means)?
            .with_published(shrunk.scores()[m])?
            .with_interval(*interval)
            .with_tier(&tiers, m)
            .with_rank(&ranking, m);
        fs::write(
            out.join(format!("cards/{id}.md")),
            card.table()?.markdown(language),
        )?;
        fs::write(out.join(format!("cards/{id}.json")), card.to_json())?;
        #[cfg(feature = "charts")]
        {
            let radar = charts::radar(&card, low, high, language)?;
            fs::write(out.join(format!("charts/radar_{id}.svg")), radar)?;
            let timeline = charts::timeline(&history, id, &alerts, z, (low, high), language)?;
            fs::write(out.join(format!("charts/timeline_{id}.svg")), timeline)?;
        }
    }
    #[cfg(feature = "charts")]
    fs::write(
        out.join("charts/ranking.svg"),
        charts::ranking_bars(&ranking, Some(&tiers), low, 30, language)?,
    )?;
    #[cfg(not(feature = "charts"))]
    {
        let _ = (z, high, &alerts);
        println!(
            "
(charts skipped: run with --features charts to draw them)"
        );
    }
    println!("\nwritten into {}", out.display());
    Ok(())
}

fn section(table: &Table, language: Language) {
    println!("\n{}", table.text(language));
}

fn write_table(
    out: &std::path::Path,
    name: &str,
    table: &Table,
    language: Language,
) -> std::io::Result<()> {
    for (format, ext) in [
        (TableFormat::Csv, "csv"),
        (TableFormat::Markdown, "md"),
        (TableFormat::Json, "json"),
    ] {
        fs::write(
            out.join(format!("{name}.{ext}")),
            table.render(format, language),
        )?;
    }
    Ok(())
}
