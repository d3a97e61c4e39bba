"""The gate's decision rule: paired rounds in, one verdict per benchmark and one overall.

Kept free of I/O so that `test_stats.py` checks it on synthetic measurements.

The rule (also printed with every report):

1. Round r times the base and the head build back to back (the order alternates between
   rounds: A B, B A, ...). Its ratio is q_r = head_r / base_r, each the time per iteration of
   the fastest of that build's samples in that round (other processes only ever add time;
   `--estimator median` takes the samples' median instead).
2. The estimate is the median of the q_r; its confidence interval is the distribution-free
   interval for a median, [q_(k), q_(n+1-k)] of the sorted ratios, with the largest k whose
   coverage 1 - 2 P(Binomial(n, 1/2) <= k - 1) reaches the confidence level. It assumes only
   that the rounds are independent, not a distribution of the noise (a bootstrap of the
   median is unreliable at the handful of rounds a CI job can afford).
3. Verdict with threshold t: "regression" when the whole interval lies above 1 + t;
   "improvement" when it lies below 1 - t; "inconclusive" when it reaches above 1 + t without
   lying above it (the noise is too large to rule a regression in or out); "pass" otherwise.
4. Overall: "regression" if any gated benchmark regressed, else "inconclusive" if any gated
   benchmark is inconclusive, else "pass". Reported benchmarks never decide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

PASS = "pass"
IMPROVEMENT = "improvement"
REGRESSION = "regression"
INCONCLUSIVE = "inconclusive"
#: measured by one build only (a bench new in the head, or gone from it): shown, never deciding
UNPAIRED = "unpaired"

#: exit codes of the gate
EXIT = {PASS: 0, REGRESSION: 1, "usage": 2, INCONCLUSIVE: 3, "error": 4}


class TooFewRounds(ValueError):
    """The rounds cannot give an interval at the asked confidence."""


def binomial_half_cdf(k: int, n: int) -> float:
    """P(X <= k) for X ~ Binomial(n, 1/2), exactly (integer arithmetic, then one division)."""
    if k < 0:
        return 0.0
    return sum(math.comb(n, i) for i in range(0, min(k, n) + 1)) / 2**n


def median(values: list[float]) -> float:
    """The median (mean of the two middle values for an even count)."""
    if not values:
        raise ValueError("median of no values")
    xs = sorted(values)
    n = len(xs)
    mid = n // 2
    return xs[mid] if n % 2 else (xs[mid - 1] + xs[mid]) / 2


def min_rounds(confidence: float) -> int:
    """The fewest rounds whose widest interval [min, max] reaches `confidence`."""
    n = 1
    while 1 - 2 * binomial_half_cdf(0, n) < confidence:
        n += 1
    return n


@dataclass(frozen=True)
class Interval:
    """A distribution-free confidence interval for the median."""

    low: float
    high: float
    k: int
    coverage: float


def median_interval(values: list[float], confidence: float) -> Interval:
    """[x_(k), x_(n+1-k)] with the largest k whose exact coverage reaches `confidence`."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    xs = sorted(values)
    n = len(xs)
    best = None
    for k in range(1, n // 2 + 1):
        coverage = 1 - 2 * binomial_half_cdf(k - 1, n)
        if coverage < confidence:
            break
        best = (k, coverage)
    if best is None:
        raise TooFewRounds(
            f"{n} paired round(s) cannot give a {confidence:.0%} interval for the median; "
            f"at least {min_rounds(confidence)} are needed"
        )
    k, coverage = best
    return Interval(xs[k - 1], xs[n - k], k, coverage)


def classify(interval: Interval, threshold: float) -> str:
    """The verdict of one benchmark from its interval of the ratio head / base."""
    if interval.low > 1 + threshold:
        return REGRESSION
    if interval.high < 1 - threshold:
        return IMPROVEMENT
    if interval.high > 1 + threshold:
        return INCONCLUSIVE
    return PASS


def robust_spread(values: list[float]) -> float:
    """Median absolute deviation from the median, scaled to a normal sigma, relative to the
    median (0 for fewer than two values)."""
    if len(values) < 2:
        return 0.0
    m = median(values)
    if m == 0:
        return math.inf
    return 1.4826 * median([abs(v - m) for v in values]) / abs(m)


def normalised(processes: list[dict[str, float]], baselines: dict[str, str]) -> dict[str, float]:
    """One build's values in one round from its bench processes' times (ns per iteration).

    A benchmark with a baseline (`baselines[id]`: the id of a plain pass over the same bytes,
    run by the same process right after it, measured by every process that measured the
    benchmark; see `normalisable`) is timed relative to that baseline in each process, and the
    median of those ratios is kept: memory-bound kernels then do not swing with the memory
    bandwidth other processes leave them, which moves a kernel and its baseline alike. A
    benchmark without one keeps its fastest process (interference only ever adds time). Raw
    values are in ns, normalised ones dimensionless (see `rescale`).
    """
    out: dict[str, float] = {}
    for bench_id in {i for p in processes for i in p}:
        base_id = baselines.get(bench_id)
        if base_id is None:
            out[bench_id] = min(p[bench_id] for p in processes if bench_id in p)
        else:
            out[bench_id] = median([p[bench_id] / p[base_id] for p in processes
                                    if bench_id in p])
    return out


def normalisable(processes: list[dict[str, float]], candidates: dict[str, str]) -> dict[str, str]:
    """The candidates (benchmark id -> baseline id) that every process measuring the benchmark
    also measured the baseline of, with a positive time: only those are normalised, in both
    builds and every round alike (a base revision without the baseline keeps raw times)."""
    return {bench_id: base_id for bench_id, base_id in candidates.items()
            if all(p.get(base_id, 0) > 0 for p in processes if bench_id in p)}


def rescale(ratios: list[float | None], baseline_ns: list[float]) -> list[float | None]:
    """Normalised values back in ns: each times the median of every time of the baseline in
    the run (both builds, every round and process), the same factor for base and head, so the
    ratios head / base are unchanged and the report reads "the kernel's time at the run's
    typical baseline speed"."""
    if not baseline_ns:
        return ratios
    scale = median(baseline_ns)
    return [None if r is None else r * scale for r in ratios]


@dataclass
class Comparison:
    """One benchmark's paired rounds and what the rule makes of them."""

    id: str
    gated: bool
    base: list[float]
    head: list[float]
    ratios: list[float] = field(default_factory=list)
    ratio: float = math.nan
    interval: Interval | None = None
    verdict: str = INCONCLUSIVE
    noise: float = math.nan
    base_spread: float = math.nan
    head_spread: float = math.nan

    def to_json(self) -> dict:
        """Plain data for the JSON report."""
        return {
            "id": self.id,
            "gated": self.gated,
            "verdict": self.verdict,
            "rounds": len(self.ratios),
            "base_ns": self.base,
            "head_ns": self.head,
            "base_median_ns": median(self.base) if self.base else None,
            "head_median_ns": median(self.head) if self.head else None,
            "ratios": self.ratios,
            "ratio_median": self.ratio,
            "ci_low": self.interval.low if self.interval else None,
            "ci_high": self.interval.high if self.interval else None,
            "ci_coverage": self.interval.coverage if self.interval else None,
            "noise": self.noise,
            "base_spread": self.base_spread,
            "head_spread": self.head_spread,
        }


def compare(
    bench_id: str,
    gated: bool,
    pairs: list[tuple[float, float]],
    threshold: float,
    confidence: float,
) -> Comparison:
    """Applies the rule to the (base, head) times of the rounds that measured both builds."""
    pairs = [(b, h) for b, h in pairs if b > 0 and h > 0 and math.isfinite(b + h)]
    c = Comparison(bench_id, gated, [b for b, _ in pairs], [h for _, h in pairs])
    c.ratios = [h / b for b, h in pairs]
    if not c.ratios:
        c.verdict = UNPAIRED
        return c
    c.ratio = median(c.ratios)
    c.base_spread = robust_spread(c.base)
    c.head_spread = robust_spread(c.head)
    c.interval = median_interval(c.ratios, confidence)
    c.verdict = classify(c.interval, threshold)
    # the interval's half-width relative to the estimate: what this run could resolve
    c.noise = (c.interval.high - c.interval.low) / 2 / c.ratio
    return c


def overall(comparisons: list[Comparison]) -> str:
    """The gate's verdict: only gated benchmarks decide."""
    verdicts = {c.verdict for c in comparisons if c.gated}
    if REGRESSION in verdicts:
        return REGRESSION
    if INCONCLUSIVE in verdicts:
        return INCONCLUSIVE
    return PASS
