//! Expert-panel benchmarks: aggregation of 5 and 50 experts at n = 9, and completion of a
//! 9 x 9 matrix with 30 % of the pairs missing.

use std::hint::black_box;
use std::time::Duration;

#[path = "common/gate_clock.rs"]
mod gate_clock;
#[path = "common/gate_settings.rs"]
mod gate_settings;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gate_clock::GateClock;
use service_quality::group::aggregate_judgements;
use service_quality::{
    CompletionMethod, ExpertWeights, IncompleteMatrix, PairwiseMatrix, Panel, PanelOptions,
};

const N: usize = 9;

/// Deterministic Saaty-scale value from a small linear congruential generator.
fn scale_value(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    let k = ((*state >> 33) % 17) as i32 - 8; // -8..=8
    if k >= 0 {
        f64::from(k + 1)
    } else {
        1.0 / f64::from(-k + 1)
    }
}

/// Expert `e`'s judgements: a consistent base perturbed by up to one scale step.
fn expert(e: u64) -> PairwiseMatrix {
    let base: Vec<f64> = (0..N).map(|i| (N - i) as f64).collect();
    let mut state = e + 1;
    let mut upper = Vec::with_capacity(N * (N - 1) / 2);
    for i in 0..N {
        for j in (i + 1)..N {
            let noise = scale_value(&mut state).powf(0.25);
            upper.push(base[i] / base[j] * noise);
        }
    }
    PairwiseMatrix::from_upper_triangle(N, &upper).expect("valid benchmark matrix")
}

fn aggregation(c: &mut Criterion<GateClock>) {
    let mut group = c.benchmark_group("aggregate_judgements_n9");
    for experts in [5usize, 50] {
        let ms: Vec<PairwiseMatrix> = (0..experts as u64).map(expert).collect();
        let w = ExpertWeights::equal(experts).expect("experts > 0");
        group.bench_with_input(BenchmarkId::from_parameter(experts), &ms, |b, ms| {
            b.iter(|| aggregate_judgements(black_box(ms), black_box(&w)))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("panel_evaluate_n9");
    for experts in [5usize, 50] {
        let ms: Vec<PairwiseMatrix> = (0..experts as u64).map(expert).collect();
        let panel = Panel::new(ms).expect("valid panel");
        let opts = PanelOptions::new()
            .with_exclude_above_cr(0.1)
            .expect("valid threshold");
        group.bench_with_input(BenchmarkId::from_parameter(experts), &panel, |b, p| {
            b.iter(|| p.evaluate(black_box(&opts)))
        });
    }
    group.finish();
}

fn completion(c: &mut Criterion<GateClock>) {
    let m = expert(7);
    // drop 11 of the 36 pairs (30 %); the chain (i, i + 1) stays, so the graph is connected
    const MISSING: [(usize, usize); 11] = [
        (0, 2),
        (0, 5),
        (0, 8),
        (1, 4),
        (1, 7),
        (2, 6),
        (2, 8),
        (3, 5),
        (3, 7),
        (4, 8),
        (5, 7),
    ];
    let judgements: Vec<(usize, usize, f64)> = (0..N)
        .flat_map(|i| ((i + 1)..N).map(move |j| (i, j)))
        .filter(|p| !MISSING.contains(p))
        .map(|(i, j)| (i, j, m.get(i, j).expect("in range")))
        .collect();
    let inc = IncompleteMatrix::from_judgements(N, &judgements).expect("valid judgements");
    assert_eq!(inc.missing_pairs().len(), 11);
    let mut group = c.benchmark_group("complete_n9_30pct_missing");
    for method in [
        CompletionMethod::Harker,
        CompletionMethod::LogLeastSquares,
        CompletionMethod::Optimal,
    ] {
        group.bench_function(format!("{method:?}"), |b| {
            b.iter(|| black_box(&inc).complete(method))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = gate_settings::criterion(
        Criterion::default()
            .measurement_time(Duration::from_secs(2))
            .warm_up_time(Duration::from_millis(500)),
    );
    targets = aggregation, completion
}
criterion_main!(benches);
