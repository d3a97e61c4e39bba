//! Monte Carlo sensitivity beside the batch scorer on the same merchant-evaluations.
//!
//! `cargo bench --bench sensitivity [--features parallel]`: 100,000 merchants x 13
//! indicators (the after-sales model with its expert judgements) x 5 grades, `u8` answer
//! counts; `batch_scorer` scores them `DRAWS` times, `monte_carlo` runs `DRAWS` draws (±1
//! Saaty scale step: weights recomputed, every merchant re-scored through the batch scorer,
//! ranked, rank histograms, top-k and tier counts, Spearman). Throughput is in
//! merchant-evaluations, so the two rows compare directly. The full figure (10,000 draws) comes
//! from `cargo run --release --example sensitivity_speed -- 10000 100000`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

#[path = "common/splitmix.rs"]
mod splitmix;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use service_quality::sensitivity::{
    ExpertJudgements, MonteCarloOptions, Perturbation, ScoreTiers, SensitivityAnalysis,
};
use service_quality::{BatchOutput, BatchScorer, Evaluator, GradeSet, IndicatorTree};
use splitmix::SplitMix;

const MERCHANTS: usize = 100_000;
const GRADES: usize = 5;
const DRAWS: usize = 16;

fn counts(n: usize, leaves: usize, rng: &mut SplitMix) -> Vec<u8> {
    (0..n * leaves * GRADES)
        .map(|i| {
            let c = (rng.next_u64() % 9) as u8;
            if i % GRADES == 0 {
                c + 1
            } else {
                c
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let model = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/after_sales_model.json"),
    )
    .expect("bundled model");
    let tree = IndicatorTree::from_json(&model).expect("valid model");
    let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5());
    let data = counts(MERCHANTS, tree.leaf_count(), &mut SplitMix(7));
    let parallel = cfg!(feature = "parallel");

    let scorer = BatchScorer::new(&evaluator).expect("scorer");
    #[cfg(feature = "parallel")]
    let scorer = scorer.parallel(true);
    let analysis = SensitivityAnalysis::new(&evaluator, data.as_slice())
        .expect("analysis")
        .with_tiers(ScoreTiers::new(vec![70.0, 75.0, 80.0]).expect("tiers"));
    #[cfg(feature = "parallel")]
    let analysis = analysis.parallel(true);
    let judgements = ExpertJudgements::from_tree(&tree);
    let opts = MonteCarloOptions::new(DRAWS, Perturbation::SaatyStep)
        .expect("options")
        .with_seed(1);

    let mut g = c.benchmark_group(if parallel {
        "sensitivity_parallel"
    } else {
        "sensitivity"
    });
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements((DRAWS * MERCHANTS) as u64));
    let (mut scores, mut grades) = (vec![0.0; MERCHANTS], vec![0u32; MERCHANTS]);
    g.bench_function("batch_scorer", |b| {
        b.iter(|| {
            for _ in 0..DRAWS {
                let out = BatchOutput::new(&mut scores, &mut grades).expect("buffers");
                black_box(scorer.score_counts(black_box(&data), out).expect("scored"));
            }
        })
    });
    g.bench_function("monte_carlo", |b| {
        b.iter(|| black_box(analysis.monte_carlo(&judgements, &opts).expect("run")))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
