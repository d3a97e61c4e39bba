//! Priority vector + consistency ratio for n = 3, 5, 9, 15, each method, on near-consistent and
//! on random Saaty-scale matrices.
//!
//! Run with `cargo bench --bench ahp`. Inputs are deterministic (a fixed-seed generator) and
//! built outside the timed closure. Measured numbers and the machine are in the README
//! (section "Performance").

use std::hint::black_box;
use std::time::Duration;

#[path = "common/gate_clock.rs"]
mod gate_clock;
#[path = "common/gate_settings.rs"]
mod gate_settings;
#[path = "common/splitmix.rs"]
mod splitmix;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gate_clock::GateClock;
use service_quality::{PairwiseMatrix, PriorityMethod};
use splitmix::SplitMix;

/// `a_ij = w_i / w_j * exp(0.1 * u)`, `u` uniform in [-1, 1): judgements of a careful expert.
fn near_consistent(n: usize, rng: &mut SplitMix) -> PairwiseMatrix {
    let w: Vec<f64> = (0..n).map(|_| 0.05 + rng.unit()).collect();
    let mut upper = Vec::new();
    for i in 0..n {
        for j in (i + 1)..n {
            upper.push(w[i] / w[j] * (0.1 * (2.0 * rng.unit() - 1.0)).exp());
        }
    }
    PairwiseMatrix::from_upper_triangle(n, &upper).expect("valid matrix")
}

/// Every upper entry drawn from the 17 values of Saaty's scale: CR far above 0.1.
fn random_saaty(n: usize, rng: &mut SplitMix) -> PairwiseMatrix {
    let scale: Vec<f64> = (1..=9)
        .rev()
        .map(|k| 1.0 / k as f64)
        .chain((2..=9).map(f64::from))
        .collect();
    let upper: Vec<f64> = (0..n * (n - 1) / 2)
        .map(|_| scale[(rng.next_u64() % scale.len() as u64) as usize])
        .collect();
    PairwiseMatrix::from_upper_triangle(n, &upper).expect("valid matrix")
}

fn priorities(c: &mut Criterion<GateClock>) {
    let mut rng = SplitMix(20_261_126);
    let sizes = [3usize, 5, 9, 15];
    let inputs: Vec<(usize, PairwiseMatrix, PairwiseMatrix)> = sizes
        .iter()
        .map(|&n| (n, near_consistent(n, &mut rng), random_saaty(n, &mut rng)))
        .collect();
    for (method, name) in [
        (PriorityMethod::Eigenvector, "eigenvector"),
        (PriorityMethod::GeometricMean, "geometric_mean"),
        (PriorityMethod::NormalizedColumnAverage, "column_average"),
    ] {
        let mut group = c.benchmark_group(format!("priorities/{name}"));
        group
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1))
            .sample_size(50);
        gate_settings::group(&mut group);
        for (n, near, random) in &inputs {
            for (kind, m) in [("near_consistent", near), ("random", random)] {
                group.bench_with_input(BenchmarkId::new(kind, n), m, |b, m| {
                    b.iter(|| {
                        let p = black_box(m).priorities(method).expect("converges");
                        black_box(p.cr())
                    })
                });
            }
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = gate_settings::criterion(Criterion::default());
    targets = priorities
}
criterion_main!(benches);
