//! Benchmarks of the fuzzy comprehensive evaluation: each composition operator for k = 4, 13
//! and 50 indicators over m = 5 grades; the full two-level evaluation of the after-sales
//! template for one merchant; survey answers -> memberships for 20, 200 and 2000 respondents.
//!
//! Run with `cargo bench --bench fce`.
use std::hint::black_box;
use std::time::Duration;

#[path = "common/gate_clock.rs"]
mod gate_clock;
#[path = "common/gate_settings.rs"]
mod gate_settings;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gate_clock::GateClock;
use service_quality::{
    template, Evaluator, FuzzyOperator, GradeSet, IndicatorMemberships, IndicatorTree,
    MembershipMatrix, Survey,
};

const M: usize = 5;

/// A deterministic pseudo-random stream in [0, 1) (64-bit LCG; no external crate needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `n` positive values summing to 1.
    fn stochastic(&mut self, n: usize) -> Vec<f64> {
        let raw: Vec<f64> = (0..n).map(|_| 0.05 + self.next()).collect();
        let sum: f64 = raw.iter().sum();
        raw.iter().map(|x| x / sum).collect()
    }
}

/// Short measurements: the numbers are for orientation, not for detecting small regressions
/// (the regression gate sets its own, see `benches/common/gate_settings.rs`).
fn configure() -> Criterion<GateClock> {
    gate_settings::criterion(
        Criterion::default()
            .measurement_time(Duration::from_secs(2))
            .warm_up_time(Duration::from_millis(500))
            .sample_size(30),
    )
}

fn operators(c: &mut Criterion<GateClock>) {
    let mut rng = Lcg(7);
    let mut group = c.benchmark_group("compose");
    for k in [4usize, 13, 50] {
        let weights = rng.stochastic(k);
        let rows: Vec<Vec<f64>> = (0..k).map(|_| rng.stochastic(M)).collect();
        let r = MembershipMatrix::from_rows(&rows).expect("valid rows");
        for op in FuzzyOperator::ALL {
            group.bench_with_input(BenchmarkId::new(format!("{op:?}"), k), &k, |b, _| {
                b.iter(|| op.compose(black_box(&weights), black_box(&r)))
            });
        }
    }
    group.finish();
}

fn after_sales_one_merchant(c: &mut Criterion<GateClock>) {
    let tree = IndicatorTree::new(template::after_sales()).expect("template is valid");
    let mut rng = Lcg(11);
    let grades = GradeSet::satisfaction_5();
    let mut data = IndicatorMemberships::new(&grades);
    for leaf in tree.leaves() {
        data.insert(leaf.id(), rng.stochastic(M), 100, 3)
            .expect("valid row");
    }
    let evaluator = Evaluator::new(&tree, grades);
    c.bench_function("after_sales/evaluate", |b| {
        b.iter(|| evaluator.evaluate(black_box(&data)))
    });
    c.bench_function("after_sales/report", |b| {
        b.iter(|| evaluator.report("shop", black_box(&data)))
    });
}

fn survey_to_memberships(c: &mut Criterion<GateClock>) {
    let tree = IndicatorTree::new(template::after_sales()).expect("template is valid");
    let ids: Vec<String> = tree.leaves().map(|l| l.id().to_owned()).collect();
    let grades = GradeSet::satisfaction_5();
    let mut group = c.benchmark_group("survey_memberships");
    for n in [20usize, 200, 2000] {
        let mut rng = Lcg(n as u64);
        let answers: Vec<Vec<Option<usize>>> = (0..n)
            .map(|_| {
                ids.iter()
                    .map(|_| {
                        let u = rng.next();
                        (u >= 0.04).then(|| ((u * M as f64) as usize).min(M - 1))
                    })
                    .collect()
            })
            .collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                let mut survey =
                    Survey::new(ids.clone(), grades.clone()).expect("unique indicator ids");
                for a in &answers {
                    survey.add_response("shop", a).expect("valid answers");
                }
                survey.memberships("shop")
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = configure();
    targets = operators, after_sales_one_merchant, survey_to_memberships
}
criterion_main!(benches);
