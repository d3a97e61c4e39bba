//! Using the results at platform scale: ranking, tiers, rectification and alerts over the
//! batch output of 1e6 merchants, and confidence intervals of 1e6 merchants from answer
//! counts.
//!
//! Run with `cargo bench --bench outcome`. The model is the after-sales template (4
//! dimensions, 13 indicators: 18 nodes) under `M(·,+)`. Each merchant's node scores are what
//! the batch scorer writes with the nodes' `B` (a weighted mean of its indicators' scores per
//! group), made from deterministic indicator scores (SplitMix64, fixed seed) outside the timed
//! closures; four periods of boards form the history the alerts read. Groups
//! (`Throughput::Elements(merchants)`):
//!
//! - `outcome/rank`: [`Ranking::of`] by the overall score, competition ties;
//! - `outcome/tiers`: quantile tiers (top 10 %, 40 %, 40 %, bottom 10 %) with an
//!   insufficient-data tier;
//! - `outcome/rectification`: [`RectificationRules::apply`] with the four problem areas;
//! - `outcome/alerts`: five rules (below, dimension below, drop, 2 declines, Mann–Kendall
//!   trend) in the latest of four periods;
//! - `outcome/all`: the four above in a row, the "under a second" claim of the README;
//! - `outcome/intervals`: analytic 95 % intervals from `u32` answer counts.
//!
//! `OUTCOME_CPU_TIME=1 cargo bench --bench outcome` first prints each step's CPU time (the
//! median of 7 runs), which a loaded machine stretches far less than the wall time. Numbers
//! and the machine's state are in the README (section "Using the results").

use std::hint::black_box;
use std::time::Duration;

#[path = "common/splitmix.rs"]
mod splitmix;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use service_quality::outcome::{
    AlertRule, AlertRules, History, IntervalEstimator, ProblemArea, RankOptions, Ranking,
    RectificationRules, Scoreboard, Tier, TierBasis, TierScheme,
};
use service_quality::{template, Evaluator, GradeSet, IndicatorTree};
use splitmix::SplitMix;

const MERCHANTS: usize = 1_000_000;
const PERIODS: usize = 4;

/// One period's board: node scores in preorder, groups the weighted mean of their children.
fn board(ev: &Evaluator, period: usize, ids: &[String], rng: &mut SplitMix) -> Scoreboard {
    let tree = ev.tree();
    let nodes: Vec<_> = tree.nodes().collect();
    let k = nodes.len();
    let mut scores = vec![0.0; MERCHANTS * k];
    let mut grades = vec![0u32; MERCHANTS];
    let samples: Vec<u32> = (0..MERCHANTS)
        .map(|_| 5 + (rng.next_u64() % 200) as u32)
        .collect();
    for m in 0..MERCHANTS {
        let level = 70.0 + 20.0 * rng.unit() - period as f64 * (m % 3) as f64;
        let row = &mut scores[m * k..(m + 1) * k];
        // leaves first, then groups children before parents (reverse preorder)
        for i in (0..k).rev() {
            row[i] = if nodes[i].is_leaf() {
                (level + 10.0 * rng.unit()).min(95.0)
            } else {
                nodes[i]
                    .children()
                    .map(|c| c.local_weight() * row[c.index()])
                    .sum()
            };
        }
        grades[m] = ((95.0 - row[0]) / 10.0).round().clamp(0.0, 4.0) as u32;
    }
    Scoreboard::from_node_scores(
        format!("P{period}"),
        ev,
        ids.to_vec(),
        scores,
        &grades,
        &samples,
    )
    .expect("valid board")
}

fn rules() -> (TierScheme, RectificationRules, AlertRules) {
    let tiers = TierScheme::new(
        TierBasis::Quantile,
        vec![
            Tier::new("A", "A").at_least(0.9),
            Tier::new("B", "B").at_least(0.5),
            Tier::new("C", "C").at_least(0.1),
            Tier::new("D", "D"),
        ],
    )
    .expect("valid tiers")
    .with_min_sample(20);
    let rectification = RectificationRules::new(75.0)
        .expect("finite")
        .with_areas(ProblemArea::after_sales());
    let alerts = AlertRules::new(vec![
        AlertRule::Below {
            node: None,
            threshold: 70.0,
        },
        AlertRule::Below {
            node: Some("attitude".into()),
            threshold: 72.0,
        },
        AlertRule::Drop { points: 5.0 },
        AlertRule::ConsecutiveDeclines { periods: 2 },
        AlertRule::DownwardTrend {
            alpha: 0.1,
            min_periods: 4,
        },
    ])
    .expect("valid rules");
    (tiers, rectification, alerts)
}

fn outcome(c: &mut Criterion) {
    let tree = IndicatorTree::new(template::after_sales()).expect("template");
    let ev = Evaluator::new(tree, GradeSet::satisfaction_5());
    let ids: Vec<String> = (0..MERCHANTS).map(|m| format!("shop-{m:07}")).collect();
    let mut rng = SplitMix(20261129);
    let boards: Vec<Scoreboard> = (0..PERIODS)
        .map(|p| board(&ev, p, &ids, &mut rng))
        .collect();
    let history = History::new(boards).expect("one model");
    let latest = &history.boards()[PERIODS - 1];
    let (tiers, rectification, alerts) = rules();
    let options = RankOptions::new().with_min_sample(20);

    if std::env::var_os("OUTCOME_CPU_TIME").is_some() {
        cpu_times(&history, &tiers, &rectification, &alerts, &options);
    }
    let mut group = c.benchmark_group("outcome");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(MERCHANTS as u64));
    group.bench_function("rank/1000000", |b| {
        b.iter(|| black_box(Ranking::of(latest, &options).expect("ranked")))
    });
    group.bench_function("tiers/1000000", |b| {
        b.iter(|| black_box(tiers.assign(latest).expect("tiered")))
    });
    group.bench_function("rectification/1000000", |b| {
        b.iter(|| black_box(rectification.apply(latest).expect("applied")))
    });
    group.bench_function("alerts/1000000", |b| {
        b.iter(|| {
            black_box(
                alerts
                    .evaluate_period(&history, PERIODS - 1)
                    .expect("evaluated"),
            )
        })
    });
    group.bench_function("all/1000000", |b| {
        b.iter(|| {
            let r = Ranking::of(latest, &options).expect("ranked");
            let t = tiers.assign(latest).expect("tiered");
            let f = rectification.apply(latest).expect("applied");
            let a = alerts
                .evaluate_period(&history, PERIODS - 1)
                .expect("evaluated");
            black_box((r, t, f, a))
        })
    });

    // answer counts: 13 indicators x 5 grades per merchant, 2..=41 answers per indicator
    let estimator = IntervalEstimator::new(&ev, 0.95).expect("M(·,+)");
    let counts: Vec<u32> = (0..MERCHANTS * 13 * 5)
        .map(|i| {
            if i % 5 == 0 {
                2
            } else {
                (rng.next_u64() % 10) as u32
            }
        })
        .collect();
    group.bench_function("intervals/1000000", |b| {
        b.iter(|| black_box(estimator.intervals(&counts).expect("whole blocks")))
    });
    group.finish();
}

/// This thread's time on a CPU in nanoseconds (Linux: the first field of
/// `/proc/thread-self/schedstat`), `None` elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// With `OUTCOME_CPU_TIME` set: the CPU time (not the wall time, which a loaded machine
/// stretches) of each step, the median of 7 runs, printed before the criterion groups.
fn cpu_times(
    history: &History,
    tiers: &TierScheme,
    rectification: &RectificationRules,
    alerts: &AlertRules,
    options: &RankOptions,
) {
    let latest = &history.boards()[PERIODS - 1];
    let median_ms = |f: &mut dyn FnMut()| -> f64 {
        let mut runs: Vec<u64> = (0..7)
            .filter_map(|_| {
                let start = thread_cpu_ns()?;
                f();
                Some(thread_cpu_ns()? - start)
            })
            .collect();
        runs.sort_unstable();
        runs.get(runs.len() / 2)
            .map_or(f64::NAN, |&ns| ns as f64 / 1e6)
    };
    let rank = median_ms(&mut || {
        black_box(Ranking::of(latest, options).expect("ranked"));
    });
    let tier = median_ms(&mut || {
        black_box(tiers.assign(latest).expect("tiered"));
    });
    let fix = median_ms(&mut || {
        black_box(rectification.apply(latest).expect("applied"));
    });
    let alert = median_ms(&mut || {
        black_box(
            alerts
                .evaluate_period(history, PERIODS - 1)
                .expect("evaluated"),
        );
    });
    println!(
        "cpu time, 1e6 merchants: rank {rank:.0} ms, tiers {tier:.0} ms, rectification {fix:.0} ms, alerts {alert:.0} ms, total {:.0} ms",
        rank + tier + fix + alert
    );
}

criterion_group!(benches, outcome);
criterion_main!(benches);
