//! Ranks the 24 bundled shops by the fuzzy evaluation and by four other multi-criteria
//! methods, and prints the robustness table papers ask for.
//!
//! It evaluates every shop as `after_sales` does (the indicator system with AHP weights from
//! `examples/data/after_sales_model.json`, consumer answers from `examples/data/survey.csv`,
//! here with the survey's own perceived-speed columns), then takes the four dimension scores
//! of every shop as a decision matrix and prints:
//!
//! 1. the objective weights of the dimensions (entropy, CRITIC, coefficient of variation,
//!    standard deviation) beside the AHP weights;
//! 2. AHP combined with entropy by the four combination rules;
//! 3. the ranking of every shop by the fuzzy evaluation, TOPSIS, grey relational analysis,
//!    the rank-sum ratio (with its probit tiers) and VIKOR, the last four with the
//!    game-theory combined weights;
//! 4. the Spearman and Kendall rank correlations between the methods.
//!
//! Run with:
//!
//! ```text
//! cargo run --release --example mcdm_methods
//! ```
use std::fs::File;
use std::path::Path;

use service_quality::input::{CsvOptions, OnBadRow};
use service_quality::mcdm::{
    CombinationRule, CombinedWeights, CriticConvention, DecisionMatrix, Dispersion,
    EntropyConvention, GreyOptions, ObjectiveMethod, ObjectiveWeights, RankSumRatio, RankingMethod,
    ReportLevel, RobustnessTable, RsrOptions, TopsisNormalisation, DEFAULT_VIKOR_V,
};
use service_quality::{
    EvaluationReport, Evaluator, GradeSet, IndicatorTree, Survey, Weights, DEFAULT_CR_THRESHOLD,
};

fn print_weights(criteria: &[String], rows: &[(String, &Weights)]) {
    print!("{:<28}", "");
    for c in criteria {
        print!(" {c:>16}");
    }
    println!();
    for (name, w) in rows {
        print!("{name:<28}");
        for x in w.as_slice() {
            print!(" {x:>16.4}");
        }
        println!();
    }
    println!();
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");

    // 1. evaluate every shop (fuzzy comprehensive evaluation with the AHP weights)
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
    let evaluator = Evaluator::new(&tree, grades);
    let reports = survey
        .merchant_names()
        .map(|shop| evaluator.report(shop, &survey.memberships(shop)?))
        .collect::<Result<Vec<EvaluationReport>, _>>()?;

    // 2. the decision matrix: shops x dimension scores (all benefits)
    let matrix = DecisionMatrix::from_reports(&reports, ReportLevel::Dimensions)?;
    let ahp = tree
        .root()
        .child_weights()
        .ok_or("the goal has no dimensions")?
        .clone();
    println!(
        "{} shops x {} dimensions ({})\n",
        matrix.n_alternatives(),
        matrix.n_criteria(),
        matrix.criteria().join(", ")
    );

    // 3. objective weights beside the AHP weights
    let methods = [
        (
            "entropy",
            ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost),
        ),
        (
            "CRITIC",
            ObjectiveMethod::Critic(CriticConvention::OrientCost),
        ),
        (
            "coefficient of variation",
            ObjectiveMethod::CoefficientOfVariation,
        ),
        (
            "standard deviation (min-max)",
            ObjectiveMethod::StandardDeviation(Dispersion::MinMax),
        ),
    ];
    let objective = methods
        .iter()
        .map(|(name, m)| Ok((name.to_string(), ObjectiveWeights::of(&matrix, *m)?)))
        .collect::<Result<Vec<_>, service_quality::Error>>()?;
    println!("Weights of the dimensions: subjective (AHP) and objective\n");
    let mut rows = vec![("AHP (eigenvector)".to_owned(), &ahp)];
    rows.extend(objective.iter().map(|(n, w)| (n.clone(), w.weights())));
    print_weights(matrix.criteria(), &rows);

    // 4. AHP combined with entropy
    let entropy = objective[0].1.weights();
    let rules = [
        ("multiplicative", CombinationRule::Multiplicative),
        (
            "linear, alpha = 0.5",
            CombinationRule::Linear { alpha: 0.5 },
        ),
        (
            "min. discrimination info.",
            CombinationRule::MinimumDiscrimination,
        ),
        ("game theory", CombinationRule::GameTheory),
    ];
    let combined = rules
        .iter()
        .map(|(name, rule)| {
            Ok((
                name.to_string(),
                CombinedWeights::new(&ahp, entropy, *rule)?,
            ))
        })
        .collect::<Result<Vec<_>, service_quality::Error>>()?;
    println!("AHP combined with entropy weights\n");
    let rows: Vec<(String, &Weights)> = combined
        .iter()
        .map(|(n, c)| (n.clone(), c.weights()))
        .collect();
    print_weights(matrix.criteria(), &rows);
    let game = &combined[3].1;
    println!(
        "game-theory coefficients: AHP {:.4}, entropy {:.4}\n",
        game.coefficients()[0],
        game.coefficients()[1]
    );

    // 5. the rank-sum ratio with its probit tiers
    let rsr_options = RsrOptions::new().with_weights(game.weights().clone());
    let rsr = RankSumRatio::new(&matrix, &rsr_options)?;
    println!(
        "Weighted rank-sum ratio: RSR = {:.4} + {:.4} probit; tiers at RSR {:?}\n",
        rsr.intercept(),
        rsr.slope(),
        rsr.cut_points()
            .iter()
            .map(|c| format!("{c:.4}"))
            .collect::<Vec<_>>()
    );

    // 6. the robustness table: the fuzzy ranking beside the other methods
    let table = RobustnessTable::compare_with_fuzzy(
        &reports,
        ReportLevel::Dimensions,
        game.weights(),
        &[
            RankingMethod::Topsis(TopsisNormalisation::Vector),
            RankingMethod::GreyRelational(GreyOptions::new()),
            RankingMethod::RankSumRatio(rsr_options),
            RankingMethod::Vikor { v: DEFAULT_VIKOR_V },
        ],
    )?;
    println!("Scores (rank) by method; VIKOR's Q is better when smaller\n");
    println!("{table}");
    let tiers = ["low", "middle", "high"];
    println!("RSR tiers (3 tiers, probit < 4, 4-6, >= 6)\n");
    for (k, name) in tiers.iter().enumerate().rev() {
        let shops: Vec<&str> = matrix
            .alternatives()
            .iter()
            .zip(rsr.tiers())
            .filter(|(_, &t)| t == k)
            .map(|(s, _)| s.as_str())
            .collect();
        println!("{name:>7}: {}", shops.join(" "));
    }
    Ok(())
}
