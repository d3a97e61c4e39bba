//! Times a Monte Carlo sensitivity run beside the batch scorer on the same
//! merchant-evaluations: `draws` x `merchants` merchants of 13 indicators x 5 grades (`u8`
//! answer counts, seeded synthetic data), the after-sales model with its expert judgements
//! perturbed by ±1 Saaty scale step.
//!
//! ```text
//! cargo run --release --example sensitivity_speed                      # 100 draws x 100,000
//! cargo run --release --example sensitivity_speed -- 10000 100000      # the full figure
//! cargo run --release --features parallel --example sensitivity_speed -- 10000 100000
//! ```
//!
//! It prints the wall time of each and the Monte Carlo run's throughput as a share of the
//! batch scorer's (both on one thread, or both on all threads with the `parallel` feature).
use std::path::Path;
use std::time::Instant;

use service_quality::sensitivity::{
    ExpertJudgements, MonteCarloOptions, Perturbation, ScoreTiers, SensitivityAnalysis,
};
use service_quality::{BatchScorer, Evaluator, GradeSet, IndicatorTree};

/// SplitMix64: seeded synthetic answer counts.
fn counts(n: usize, k: usize, m: usize, mut state: u64) -> Vec<u8> {
    (0..n * k * m)
        .map(|i| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let c = ((z ^ (z >> 31)) % 9) as u8;
            // at least one answer per indicator
            if i % m == 0 {
                c + 1
            } else {
                c
            }
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let draws: usize = args.next().map_or(Ok(100), |a| a.parse())?;
    let merchants: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let parallel = cfg!(feature = "parallel");

    let model = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/after_sales_model.json"),
    )?;
    let tree = IndicatorTree::from_json(&model)?;
    let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5());
    let data = counts(merchants, tree.leaf_count(), 5, 42);
    println!(
        "{draws} draws x {merchants} merchants ({} indicators x 5 grades, u8 counts), {}",
        tree.leaf_count(),
        if parallel {
            "all threads"
        } else {
            "one thread"
        }
    );

    // the batch scorer alone: the same number of merchant-evaluations
    let scorer = BatchScorer::new(&evaluator)?;
    #[cfg(feature = "parallel")]
    let scorer = scorer.parallel(true);
    let (mut scores, mut grades) = (vec![0.0; merchants], vec![0u32; merchants]);
    let start = Instant::now();
    for _ in 0..draws {
        let out = service_quality::BatchOutput::new(&mut scores, &mut grades)?;
        std::hint::black_box(scorer.score_counts(&data, out)?);
    }
    let batch = start.elapsed().as_secs_f64();

    let analysis = SensitivityAnalysis::new(&evaluator, data.as_slice())?
        .with_tiers(ScoreTiers::new(vec![3.0, 3.5, 4.0])?);
    #[cfg(feature = "parallel")]
    let analysis = analysis.parallel(true);
    let opts = MonteCarloOptions::new(draws, Perturbation::SaatyStep)?.with_seed(1);
    let start = Instant::now();
    let mc = analysis.monte_carlo(&ExpertJudgements::from_tree(&tree), &opts)?;
    let monte_carlo = start.elapsed().as_secs_f64();

    let evals = (draws * merchants) as f64;
    println!(
        "batch scorer: {batch:.2} s ({:.1} M merchant-evaluations/s)",
        evals / batch / 1e6
    );
    println!(
        "Monte Carlo:  {monte_carlo:.2} s ({:.1} M merchant-evaluations/s, {:.0} % of the batch scorer)",
        evals / monte_carlo / 1e6,
        100.0 * batch / monte_carlo
    );
    println!(
        "draws kept {}, mean Spearman {:.4}",
        mc.draws_used(),
        mc.mean_spearman()
    );
    Ok(())
}
