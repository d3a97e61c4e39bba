"""Tests of the gate's decision rule and reports on synthetic measurements.

Run with `scripts/bench-regression self-test` (or `python3 -m unittest discover -s scripts/bench_gate
-t scripts`). The coverages are checked against the closed form of the binomial distribution;
the simulated series against the interval's nominal coverage.
"""

from __future__ import annotations

import json
import math
import random
import re
import tomllib
import unittest
from pathlib import Path

from bench_gate import report, stats

REPO = Path(__file__).resolve().parents[2]


def load_gate():
    """The gate script (`scripts/bench-regression`, no .py suffix) as a module."""
    import importlib.machinery
    import importlib.util

    path = REPO / "scripts" / "bench-regression"
    loader = importlib.machinery.SourceFileLoader("bench_regression", str(path))
    spec = importlib.util.spec_from_loader("bench_regression", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def series(rng: random.Random, rounds: int, effect: float, noise: float,
           outliers: int = 0) -> list[tuple[float, float]]:
    """Paired (base, head) times: the head `effect` slower, each time scaled by a lognormal
    factor of relative spread `noise`, and `outliers` rounds in which one side (drawn at random)
    was held up by 60 %."""
    pairs = []
    for r in range(rounds):
        base = 1000.0 * math.exp(rng.gauss(0, noise))
        head = 1000.0 * (1 + effect) * math.exp(rng.gauss(0, noise))
        if r < outliers:
            if rng.random() < 0.5:
                base *= 1.6
            else:
                head *= 1.6
        pairs.append((base, head))
    return pairs


def judged(seed: int, effect: float, noise: float) -> stats.Comparison:
    """Ten synthetic rounds (`series`) through the rule at the gate's defaults."""
    return stats.compare("k", True, series(random.Random(seed), 10, effect, noise), 0.10, 0.95)


class BinomialInterval(unittest.TestCase):
    def test_cdf_closed_form(self):
        # P(X <= 1) for Bin(10, 1/2) = (1 + 10) / 1024
        self.assertEqual(stats.binomial_half_cdf(1, 10), 11 / 1024)
        self.assertEqual(stats.binomial_half_cdf(-1, 10), 0.0)
        self.assertEqual(stats.binomial_half_cdf(10, 10), 1.0)

    def test_six_rounds_give_min_and_max(self):
        iv = stats.median_interval([1.05, 0.97, 1.01, 0.99, 1.02, 1.00], 0.95)
        self.assertEqual((iv.low, iv.high, iv.k), (0.97, 1.05, 1))
        self.assertEqual(iv.coverage, 1 - 2 / 64)

    def test_ten_rounds_drop_one_value_each_side(self):
        values = [0.5, 0.98, 0.99, 1.0, 1.0, 1.01, 1.01, 1.02, 1.03, 2.0]
        iv = stats.median_interval(values, 0.95)
        self.assertEqual((iv.low, iv.high, iv.k), (0.98, 1.03, 2))
        self.assertEqual(iv.coverage, 1 - 2 * 11 / 1024)

    def test_order_of_the_rounds_does_not_matter(self):
        values = [1.3, 0.9, 1.1, 1.0, 1.2, 0.95, 1.05, 1.15, 0.85, 1.25]
        a = stats.median_interval(values, 0.95)
        b = stats.median_interval(list(reversed(values)), 0.95)
        self.assertEqual(a, b)

    def test_too_few_rounds(self):
        self.assertEqual(stats.min_rounds(0.95), 6)
        self.assertEqual(stats.min_rounds(0.99), 8)
        with self.assertRaises(stats.TooFewRounds):
            stats.median_interval([1.0] * 5, 0.95)
        with self.assertRaises(ValueError):
            stats.median_interval([1.0] * 10, 1.0)

    def test_coverage_by_simulation(self):
        # 2000 series of 10 lognormal ratios with median 1: the interval holds 1 in about
        # 97.9 % of them (the exact coverage), whatever the spread
        rng = random.Random(18)
        for spread in (0.02, 0.3):
            hits = sum(self._holds_one(rng, spread) for _ in range(2000))
            self.assertGreater(hits / 2000, 0.965)
            self.assertLess(hits / 2000, 0.99)

    @staticmethod
    def _holds_one(rng: random.Random, spread: float) -> bool:
        iv = stats.median_interval([math.exp(rng.gauss(0, spread)) for _ in range(10)], 0.95)
        return iv.low <= 1.0 <= iv.high


class Verdicts(unittest.TestCase):
    def iv(self, low, high):
        return stats.Interval(low, high, 1, 0.97)

    def test_classify_at_the_edges(self):
        t = 0.10
        self.assertEqual(stats.classify(self.iv(1.11, 1.5), t), stats.REGRESSION)
        self.assertEqual(stats.classify(self.iv(1.10, 1.5), t), stats.INCONCLUSIVE)
        self.assertEqual(stats.classify(self.iv(0.95, 1.10), t), stats.PASS)
        self.assertEqual(stats.classify(self.iv(0.95, 1.1001), t), stats.INCONCLUSIVE)
        self.assertEqual(stats.classify(self.iv(0.5, 0.89), t), stats.IMPROVEMENT)
        self.assertEqual(stats.classify(self.iv(0.5, 0.9), t), stats.PASS)
        # a real but small slowdown inside the threshold passes
        self.assertEqual(stats.classify(self.iv(1.04, 1.08), t), stats.PASS)

    def test_unchanged_code_quiet_machine_passes(self):
        c = judged(1, 0.0, 0.01)
        self.assertEqual(c.verdict, stats.PASS)
        self.assertLess(c.noise, 0.02)

    def test_thirty_percent_slower_is_a_regression(self):
        c = judged(2, 0.30, 0.03)
        self.assertEqual(c.verdict, stats.REGRESSION)
        self.assertAlmostEqual(c.ratio, 1.30, delta=0.03)

    def test_one_disturbed_round_does_not_decide(self):
        # a round in which the head was held up by 60 %: the interval of ten rounds drops it
        rng = random.Random(3)
        pairs = series(rng, 10, 0.0, 0.01)
        pairs[4] = (pairs[4][0], pairs[4][1] * 1.6)
        c = stats.compare("k", True, pairs, 0.10, 0.95)
        self.assertEqual(c.verdict, stats.PASS)

    def test_large_noise_is_inconclusive_not_a_regression(self):
        c = judged(4, 0.0, 0.25)
        self.assertEqual(c.verdict, stats.INCONCLUSIVE)
        self.assertGreater(c.noise, 0.10)

    def test_faster_head_is_an_improvement(self):
        self.assertEqual(judged(5, -0.40, 0.02).verdict, stats.IMPROVEMENT)

    def test_false_regressions_are_rare_under_noise(self):
        # 500 A/A series of ten rounds with 10 % noise and two disturbed rounds each: none
        # is called a regression (the threshold and the interval both stand in the way)
        rng = random.Random(6)
        calls = [stats.compare("k", True, series(rng, 10, 0.0, 0.10, outliers=2), 0.10,
                               0.95).verdict for _ in range(500)]
        self.assertEqual(calls.count(stats.REGRESSION), 0)

    def test_thirty_percent_found_under_noise(self):
        # 500 A/B series, 30 % slower, 5 % noise on each side, one disturbed round: found in
        # more than nine of ten (476 of 500 with this seed)
        rng = random.Random(7)
        calls = [stats.compare("k", True, series(rng, 10, 0.30, 0.05, outliers=1), 0.10,
                               0.95).verdict for _ in range(500)]
        self.assertGreater(calls.count(stats.REGRESSION), 450)
        self.assertEqual(calls.count(stats.PASS), 0)

    def test_pairs_with_a_missing_or_bad_side_are_dropped(self):
        pairs = [(100.0, 101.0)] * 6 + [(0.0, 100.0), (100.0, math.nan), (-1.0, 5.0)]
        c = stats.compare("k", True, pairs, 0.10, 0.95)
        self.assertEqual(len(c.ratios), 6)
        self.assertEqual(c.verdict, stats.PASS)

    def test_unpaired_benchmark(self):
        c = stats.compare("new", True, [], 0.10, 0.95)
        self.assertEqual(c.verdict, stats.UNPAIRED)
        self.assertEqual(stats.overall([c]), stats.PASS)

    def test_overall(self):
        def comp(verdict, gated=True):
            c = stats.Comparison("x", gated, [], [])
            c.verdict = verdict
            return c

        self.assertEqual(stats.overall([comp(stats.PASS), comp(stats.IMPROVEMENT)]), stats.PASS)
        self.assertEqual(stats.overall([comp(stats.PASS), comp(stats.INCONCLUSIVE)]),
                         stats.INCONCLUSIVE)
        self.assertEqual(stats.overall([comp(stats.INCONCLUSIVE), comp(stats.REGRESSION)]),
                         stats.REGRESSION)
        # reported-only benchmarks never decide
        self.assertEqual(stats.overall([comp(stats.PASS), comp(stats.REGRESSION, False)]),
                         stats.PASS)
        self.assertEqual(stats.EXIT, {"pass": 0, "regression": 1, "usage": 2,
                                      "inconclusive": 3, "error": 4})

    def test_spread(self):
        self.assertEqual(stats.robust_spread([5.0]), 0.0)
        # MAD of [1, 2, 3] around 2 is 1: 1.4826 / 2
        self.assertAlmostEqual(stats.robust_spread([1.0, 2.0, 3.0]), 1.4826 / 2)


class Reports(unittest.TestCase):
    def result(self, pairs_by_id):
        comps = [stats.compare(i, g, p, 0.10, 0.95) for i, (g, p) in pairs_by_id.items()]
        verdict = stats.overall(comps)
        return {
            "verdict": verdict, "exit_code": stats.EXIT[verdict],
            "base": {"rev": "main", "commit": "0123456789abcdef"},
            "head": {"rev": "working tree", "commit": "fedcba987654"},
            "mode": "quick",
            "settings": {"rounds": 10, "warm_up_ms": 50, "measure_ms": 200, "clock": "cpu",
                         "estimator": "min", "threshold": 0.10, "confidence": 0.95,
                         "features": "", "head_slowdown": None},
            "rule": "the rule",
            "machine": {"model": "Test CPU", "machine": "x86_64", "cores": 2,
                        "features": ["avx2"], "load_average_start": [1.0, 1.0, 1.0],
                        "load_average_end": [1.0, 1.0, 1.0], "rustc": "rustc 1.0"},
            "seconds": {"build": 1.0, "measure": 2.0, "total": 3.0},
            "comparisons": [c.to_json() for c in comps],
        }

    def test_markdown_and_text_name_the_verdict_and_every_benchmark(self):
        rng = random.Random(8)
        r = self.result({"slow/kernel": (True, series(rng, 10, 0.3, 0.01)),
                         "tiny/1000": (False, series(rng, 10, 0.0, 0.01))})
        json.dumps(r)  # plain data
        md = report.markdown(r)
        self.assertIn("## Benchmark gate: ❌ regression", md)
        self.assertRegex(md, r"\| `slow/kernel` \| .* \| \+(29|30)\.\d % \| .* \*\*regression\*\* \|")
        self.assertIn("pass (reported only)", md)
        txt = report.text(r)
        self.assertIn("VERDICT: REGRESSION", txt)
        self.assertIn("exit code 1", txt)
        self.assertIn("cpu clock", txt)

    def test_formatting(self):
        self.assertEqual(report.fmt_ns(950.0), "950 ns")
        self.assertEqual(report.fmt_ns(3_290_000.0), "3.29 ms")
        self.assertEqual(report.fmt_ns(None), "-")
        self.assertEqual(report.fmt_change(1.3), "+30.0 %")
        self.assertEqual(report.fmt_noise(0.021), "±2.1 %")


class Normalisation(unittest.TestCase):
    """Kernels timed relative to a plain pass over the same bytes in the same process."""

    K, R = "scoring/x/kernel/100000", "scoring/x/read/100000"

    def test_bandwidth_swings_cancel(self):
        # three processes at three memory speeds: kernel and read move together
        procs = [{self.K: 2.0 * s, self.R: 1.0 * s, "other": 5.0 * s} for s in (1.0, 1.3, 0.9)]
        base = stats.normalised(procs, {self.K: self.R})
        self.assertAlmostEqual(base[self.K], 2.0)
        # without a baseline: the fastest process
        self.assertAlmostEqual(base["other"], 4.5)
        # a head 30 % slower in its kernel only, measured at other speeds, is seen as 1.3
        head = stats.normalised([{self.K: 2.6 * s, self.R: s} for s in (1.2, 0.8, 1.1)],
                                {self.K: self.R})
        self.assertAlmostEqual(head[self.K] / base[self.K], 1.3)

    def test_median_of_the_processes(self):
        procs = [{self.K: k, self.R: 1.0} for k in (2.0, 9.0, 2.2)]
        self.assertAlmostEqual(stats.normalised(procs, {self.K: self.R})[self.K], 2.2)

    def test_only_when_every_process_has_the_baseline(self):
        cands = {self.K: self.R}
        self.assertEqual(stats.normalisable([{self.K: 2.0, self.R: 1.0}] * 2, cands), cands)
        # an older base revision without the read benchmark: raw times for both builds
        self.assertEqual(stats.normalisable([{self.K: 2.0, self.R: 1.0}, {self.K: 2.0}], cands), {})
        self.assertEqual(stats.normalisable([{self.K: 2.0, self.R: 0.0}], cands), {})

    def test_rescale_keeps_the_ratios(self):
        base = stats.rescale([2.0, None, 2.2], [10.0, 12.0, 11.0])
        head = stats.rescale([2.6, 2.4, None], [10.0, 12.0, 11.0])
        self.assertEqual(base[1], None)
        self.assertAlmostEqual(base[0], 22.0)
        self.assertAlmostEqual(head[0] / base[0], 1.3)

    def test_the_configured_baselines_exist_beside_the_gated_kernels(self):
        with open(REPO / "scripts" / "bench_gate" / "benches.toml", "rb") as f:
            table = tomllib.load(f)["bench"]
        pairs = table["scoring"]["baseline"]
        source = (REPO / "benches" / "scoring.rs").read_text()
        # every group that times a kernel also times the read of its input
        self.assertEqual(source.count('BenchmarkId::new("kernel"'),
                         source.count('BenchmarkId::new("read"'))
        # the node-B group's baseline writes the output buffer its kernel writes
        self.assertEqual(pairs[0], ["_node_b/kernel/", "_node_b/read_write/"])
        self.assertIn('BenchmarkId::new("read_write"', source)
        self.assertEqual(pairs[-1], ["/kernel/", "/read/"])

    def test_baseline_ids_and_filters(self):
        gate = load_gate()
        with open(REPO / "scripts" / "bench_gate" / "benches.toml", "rb") as f:
            entry = tomllib.load(f)["bench"]["scoring"]
        procs = [{"scoring/f64_weighted_average_node_b/kernel/100000": 1.0,
                  "scoring/u8_counts_max_min/kernel/100000": 1.0,
                  "priorities/x/5": 1.0}]
        self.assertEqual(gate.baseline_candidates(entry, procs), {
            "scoring/f64_weighted_average_node_b/kernel/100000":
                "scoring/f64_weighted_average_node_b/read_write/100000",
            "scoring/u8_counts_max_min/kernel/100000": "scoring/u8_counts_max_min/read/100000",
        })
        pattern = gate.with_baselines(entry, entry["quick"])
        for selected in ("scoring/f64_weighted_average_node_b/kernel/100000",
                         "scoring/f64_weighted_average_node_b/read_write/100000",
                         "scoring/u8_counts_max_min/read/100000"):
            self.assertTrue(re.search(pattern, selected), selected)
        self.assertFalse(re.search(pattern, "scoring/u8_counts_max_min/read/1000"))


class Configuration(unittest.TestCase):
    def test_every_listed_bench_exists_and_its_patterns_compile(self):
        with open(REPO / "scripts" / "bench_gate" / "benches.toml", "rb") as f:
            table = tomllib.load(f)["bench"]
        manifest = (REPO / "Cargo.toml").read_text()
        for name, entry in table.items():
            self.assertTrue((REPO / "benches" / f"{name}.rs").exists(), name)
            self.assertIn(f'name = "{name}"', manifest, name)
            self.assertIn("gate", entry, name)
            for key in ("gate", "report", "quick"):
                if key in entry and entry[key] is not False:
                    re.compile(entry[key])
            self.assertIsInstance(entry.get("features", ""), str, name)
        for hot_path in ("scoring", "ahp", "fce", "panel", "intake"):
            self.assertIn(hot_path, table)
        # the intake benches generate large files: full mode only
        self.assertIs(table["intake"]["quick"], False)

    def test_patterns_select_the_intended_ids(self):
        with open(REPO / "scripts" / "bench_gate" / "benches.toml", "rb") as f:
            table = tomllib.load(f)["bench"]

        def gated(bench, bench_id):
            return bool(re.search(table[bench]["gate"], bench_id))

        def reported(bench, bench_id):
            return bool(re.search(table[bench].get("report", "(?!)"), bench_id))

        self.assertTrue(gated("scoring", "scoring/f64_weighted_average/kernel/100000"))
        self.assertTrue(gated("scoring", "scoring/u8_counts_max_min/kernel/1000000"))
        self.assertFalse(gated("scoring", "scoring/f64_weighted_average/kernel/1000"))
        self.assertTrue(reported("scoring", "scoring/f64_weighted_average/kernel/1000"))
        self.assertFalse(gated("scoring", "scoring/f64_weighted_average/read/100000"))
        self.assertTrue(gated("ahp", "priorities/eigenvector/near_consistent/15"))
        self.assertFalse(gated("ahp", "priorities/eigenvector/near_consistent/3"))
        self.assertTrue(gated("fce", "after_sales/evaluate"))
        self.assertTrue(gated("panel", "aggregate_judgements_n9/50"))


if __name__ == "__main__":
    unittest.main()
