//! How robust is the ranking of the 24 bundled shops to the weights?
//!
//! It loads the after-sales model with its expert judgements
//! (`examples/data/after_sales_model.json`) and the survey answers
//! (`examples/data/survey.csv`, every indicator including the perceived response times), and
//! prints:
//!
//! 1. the tornado of rank-reversal thresholds: for every criterion's local weight (siblings
//!    scaled proportionally), the smallest change downwards (-) and upwards (+) that changes
//!    the leading shop, the top 5, or any shop's tier (tiers by score: below 75, 75 to 80,
//!    80 to 85, 85 and above), most critical first;
//! 2. the Monte Carlo rank intervals: every expert judgement moved by ±1 Saaty scale step,
//!    2,000 draws (those whose judgements have CR >= 0.10 dropped), per shop the median rank,
//!    the 5-95 % interval, the probability of being in the top 5 and of keeping its tier.
//!
//! Run with:
//!
//! ```text
//! cargo run --release --example sensitivity
//! ```
use std::fs::File;
use std::path::Path;

use service_quality::input::{CsvOptions, OnBadRow};
use service_quality::sensitivity::{
    ExpertJudgements, MonteCarloOptions, Perturbation, RankEvent, ScoreTiers, SensitivityAnalysis,
    WeightRange,
};
use service_quality::{Evaluator, GradeSet, IndicatorTree, Survey, DEFAULT_CR_THRESHOLD};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let model = std::fs::read_to_string(data.join("after_sales_model.json"))?;
    let tree = IndicatorTree::from_json(&model)?.require_consistency(DEFAULT_CR_THRESHOLD)?;
    let grades = GradeSet::satisfaction_5();
    let opts = CsvOptions::new()
        .with_on_bad_row(OnBadRow::Skip)
        .with_ignored_column("respondent");
    let survey = Survey::from_csv(
        File::open(data.join("survey.csv"))?,
        &tree,
        grades.clone(),
        &opts,
    )?
    .into_result()?;
    // every shop's memberships, leaves in the tree's preorder: the batch layout
    let names: Vec<String> = survey.merchant_names().map(str::to_owned).collect();
    let mut memberships = Vec::new();
    for name in &names {
        let m = survey.memberships(name)?;
        for leaf in tree.leaves() {
            let row = m
                .get(leaf.id())
                .and_then(|r| r.row())
                .ok_or("missing indicator")?;
            memberships.extend_from_slice(row);
        }
    }
    let evaluator = Evaluator::new(&tree, grades);
    let analysis = SensitivityAnalysis::new(&evaluator, memberships.as_slice())?
        .with_top_k(5)?
        .with_tiers(ScoreTiers::new(vec![75.0, 80.0, 85.0])?);
    for f in analysis.failures() {
        eprintln!("{} cannot be ranked: {}", names[f.merchant], f.error);
    }

    // 1. the tornado
    let tornado = analysis.tornado(WeightRange::full())?;
    println!("Rank-reversal thresholds: change of a local weight (siblings rescaled) that");
    println!("changes the leader, the top 5 or a tier; '-' = none within [0, 1]\n");
    let cell = |t: Option<service_quality::sensitivity::Threshold>| {
        t.map_or_else(|| "-".to_owned(), |t| format!("{:+.3}", t.change))
    };
    println!(
        "| {:<42} | {:>6} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} |",
        "criterion", "weight", "top1 -", "top1 +", "top5 -", "top5 +", "tier -", "tier +"
    );
    println!(
        "|{:-<44}|{:->8}|{:->9}|{:->9}|{:->9}|{:->9}|{:->9}|{:->9}|",
        "", "", "", "", "", "", "", ""
    );
    for r in tornado.rows() {
        print!("| {:<42} | {:>6.3} |", r.path(), r.base_weight());
        for e in RankEvent::ALL {
            print!(" {:>7} | {:>7} |", cell(r.down(e)), cell(r.up(e)));
        }
        println!();
    }
    if let Some(c) = tornado.most_critical() {
        println!(
            "\nmost critical criterion: {} (a change of {:.3} in its local weight alters the result)\n",
            c.path(),
            c.criticality().unwrap_or(f64::NAN)
        );
    }

    // 2. Monte Carlo on the judgements
    let opts = MonteCarloOptions::new(2000, Perturbation::SaatyStep)?
        .with_seed(2026)
        .with_drop_above_cr(DEFAULT_CR_THRESHOLD)?;
    let mc = analysis.monte_carlo(&ExpertJudgements::from_tree(&tree), &opts)?;
    println!(
        "Monte Carlo: {} draws of {} ({} kept, CR < {DEFAULT_CR_THRESHOLD}), seed {}; \
         Spearman with the base ranking: mean {:.3}, min {:.3}\n",
        opts.draws(),
        opts.perturbation(),
        mc.draws_used(),
        opts.seed(),
        mc.mean_spearman(),
        mc.spearman().iter().copied().fold(f64::INFINITY, f64::min)
    );
    let mut rows: Vec<_> = mc.merchants().to_vec();
    rows.sort_by_key(|m| m.base_rank);
    println!(
        "| {:<9} | {:>6} | {:>9} | {:>6} | {:>8} | {:>12} | {:>12} |",
        "shop", "score", "base rank", "median", "5-95 %", "P(in top 5)", "P(keep tier)"
    );
    println!(
        "|{:-<11}|{:->8}|{:->11}|{:->8}|{:->10}|{:->14}|{:->14}|",
        "", "", "", "", "", "", ""
    );
    for m in rows {
        let j = analysis
            .ranked()
            .iter()
            .position(|&i| i == m.merchant)
            .unwrap_or(0);
        println!(
            "| {:<9} | {:>6.2} | {:>9} | {:>6} | {:>8} | {:>12.3} | {:>12.3} |",
            names[m.merchant],
            analysis.base_scores()[j],
            m.base_rank,
            m.median,
            format!("{}-{}", m.p5, m.p95),
            m.p_top_k,
            m.p_keep_tier.unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
