//! A deliberate slowdown, switched on at build time, with which the regression gate's own
//! demonstration checks that the gate sees a slower kernel (`scripts/bench-gate-demo`).
//!
//! Build a bench with `SQ_BENCH_SLOWDOWN=<group>:<fraction>` in the environment (for example
//! `scoring/f64_weighted_average:0.30`) and the kernel of that group does the given fraction
//! of its work a second time. Unset, [`ON`] is a compile-time `false`: the extra work and its
//! test are compiled out, and nothing of it reaches the library.

/// The switch as it was at build time.
const SPEC: Option<&str> = option_env!("SQ_BENCH_SLOWDOWN");

/// Whether any slowdown was built in.
pub const ON: bool = SPEC.is_some();

/// The fraction of extra work built in for `group` (0 when none).
pub fn fraction(group: &str) -> f64 {
    let Some(spec) = SPEC else { return 0.0 };
    spec.split(',')
        .filter_map(|item| item.trim().rsplit_once(':'))
        .filter(|(name, _)| *name == group)
        .filter_map(|(_, f)| f.trim().parse::<f64>().ok())
        .find(|f| *f > 0.0 && *f <= 1.0)
        .unwrap_or(0.0)
}

/// How many of `n` items to process a second time for `fraction` extra work.
pub fn extra(n: usize, fraction: f64) -> usize {
    ((n as f64 * fraction).round() as usize).min(n)
}
