"""Sensitivity of the ranking: the rank-reversal thresholds of every weight (one at a time,
the tornado) and Monte Carlo on the judgements, against the crate's own run on the same
merchants (the `sensitivity` part of `python/reference`: the first 60 merchants of the batch
counts, top 5, tiers cut at 80 and 85), and the base against the batch scorer."""

from __future__ import annotations

import numpy as np
import pytest

import service_quality as sq
from conftest import RUST
from test_analysis import assert_close


@pytest.fixture(scope="module")
def want(rust_reference) -> dict:
    return rust_reference["sensitivity"]


@pytest.fixture(scope="module")
def analysis(tree, rust_reference, want) -> sq.SensitivityAnalysis:
    n = want["merchants"]
    counts = np.array(rust_reference["batch"]["counts"], dtype=np.uint16)[: n * 65]
    return sq.SensitivityAnalysis(sq.Evaluator(tree), counts.reshape(n, 13, 5), top_k=5,
                                  tier_cuts=[80.0, 85.0])


def test_base_is_the_batch_scorer_s(tree, analysis, want, rust_reference):
    n = want["merchants"]
    counts = np.array(rust_reference["batch"]["counts"], dtype=np.uint16)[: n * 65]
    batch = sq.BatchScorer(sq.Evaluator(tree)).score_counts(counts)
    ok = [i for i in range(n) if i not in set(batch.failed)]
    assert analysis.ranked == want["ranked"] and sorted(analysis.ranked) == ok
    assert analysis.base_scores.tolist() == want["base_scores"]
    assert np.allclose(analysis.base_scores, batch.scores[ok], rtol=0, atol=RUST)
    assert analysis.base_ranks.tolist() == want["base_ranks"]
    assert analysis.merchants == n and analysis.top_k == 5
    assert [f[0] for f in analysis.failures()] == batch.failed
    assert_close(analysis.base_local_weights, want["base_local_weights"], RUST, "w", True)
    assert analysis.base_local_weights[1:] == [tree.local_weight(i) for i in tree.node_ids[1:]]
    # the same data as float64 memberships gives the same base ranking
    c = counts.reshape(n, 13, 5)[ok].astype(np.float64)
    x = c / c.sum(axis=2, keepdims=True)
    same = sq.SensitivityAnalysis(sq.Evaluator(tree), x, top_k=5)
    assert np.allclose(same.base_scores, analysis.base_scores, rtol=0, atol=RUST)


def test_thresholds_are_the_crate_s(analysis, want):
    assert_close(analysis.tornado(), want["tornado"], RUST, "tornado", relative=True)
    speed = analysis.one_at_a_time("speed", 0.1, 0.6, 40)
    assert_close(speed, want["speed"], RUST, "speed", relative=True)
    crit = [r["criticality"] for r in analysis.tornado() if r["criticality"] is not None]
    assert crit == sorted(crit)
    with pytest.raises(sq.SensitivityError):
        analysis.one_at_a_time("nowhere")
    with pytest.raises(sq.SensitivityError):
        analysis.one_at_a_time("speed", 0.7, 0.2)


def test_monte_carlo_is_the_crate_s(analysis, want):
    runs = [
        analysis.monte_carlo(200, "saaty_step", seed=7),
        analysis.monte_carlo(150, "log_normal", sigma=0.2, seed=3, drop_above_cr=0.1),
    ]
    for got, w in zip(runs, want["monte_carlo"]):
        got = dict(got, spearman=got["spearman"].tolist())
        assert_close(got, w, RUST, "monte carlo", relative=True)
        for m in got["merchants"]:
            assert m["p5"] <= m["median"] <= m["p95"] and 0 <= m["p_top_k"] <= 1
    assert analysis.monte_carlo(200, "saaty_step", seed=7)["spearman"].tolist() == runs[0]["spearman"].tolist()
    control = analysis.monte_carlo(5, "unperturbed")
    assert np.all(control["spearman"] == 1.0)
    with pytest.raises(sq.ArgumentError):
        analysis.monte_carlo(10, "log_normal")
    with pytest.raises(sq.SensitivityError):
        analysis.monte_carlo(0)
