//! Run-time settings the regression gate (`scripts/bench-regression`) hands to every bench.
//!
//! The gate runs each bench many times (base and head revision, several rounds), so it asks
//! for shorter measurements than the benches' own defaults through the environment:
//!
//! - `SQ_BENCH_WARM_UP_MS`: warm-up time per benchmark, in milliseconds;
//! - `SQ_BENCH_MEASURE_MS`: measurement time per benchmark, in milliseconds;
//! - `SQ_BENCH_SAMPLES`: samples per benchmark (criterion needs at least 10);
//! - `SQ_BENCH_CLOCK=cpu`: time by the thread's CPU time (`gate_clock.rs`).
//!
//! Unset (a plain `cargo bench`), each bench keeps its own settings.

use std::time::Duration;

use criterion::measurement::Measurement;
use criterion::{BenchmarkGroup, Criterion};

use crate::gate_clock::GateClock;

fn millis(name: &str) -> Option<Duration> {
    let v: u64 = std::env::var(name).ok()?.trim().parse().ok()?;
    (v > 0).then(|| Duration::from_millis(v))
}

fn samples() -> Option<usize> {
    let v: usize = std::env::var("SQ_BENCH_SAMPLES")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (v >= 10).then_some(v)
}

/// The gate's clock and settings on top of a bench's own `Criterion` configuration.
pub fn criterion(c: Criterion) -> Criterion<GateClock> {
    let mut c = c.with_measurement(GateClock::from_env());
    if let Some(d) = millis("SQ_BENCH_WARM_UP_MS") {
        c = c.warm_up_time(d);
    }
    if let Some(d) = millis("SQ_BENCH_MEASURE_MS") {
        c = c.measurement_time(d);
    }
    if let Some(n) = samples() {
        c = c.sample_size(n);
    }
    c
}

/// The gate's settings on top of a group's own (call after the group's settings).
#[allow(dead_code)]
pub fn group<M: Measurement>(g: &mut BenchmarkGroup<'_, M>) {
    if let Some(d) = millis("SQ_BENCH_WARM_UP_MS") {
        g.warm_up_time(d);
    }
    if let Some(d) = millis("SQ_BENCH_MEASURE_MS") {
        g.measurement_time(d);
    }
    if let Some(n) = samples() {
        g.sample_size(n);
    }
}
