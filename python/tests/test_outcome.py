"""Using the results: scoreboards, ranking, tiers, rectification, tracking and alerts over the
four bundled quarters under `examples/data/outcome_rules.json`, against the crate's own run
of the same steps (the `outcome` part of `python/reference`: the stored boards and every table
as CSV with every digit) and against closed forms (competition and dense ranks with numpy,
quantile tiers from the board's scores)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import service_quality as sq
from conftest import DATA

PERIODS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]


@pytest.fixture(scope="module")
def rules() -> sq.OutcomeRules:
    return sq.OutcomeRules.from_file(DATA / "outcome_rules.json")


def quarter(tree, period):
    """A quarter's survey and its answer counts `(merchants, leaves, grades)` in leaf order."""
    survey = sq.Survey.from_csv(DATA / "periods" / f"survey_{period}.csv", tree,
                                ignored_columns=["respondent"])
    counts = np.array([[survey.tally(m)["counts"][leaf] for leaf in survey.indicators]
                       for m in survey.merchant_names], dtype=np.uint32)
    return survey, counts


@pytest.fixture(scope="module")
def history(tree) -> sq.History:
    """The four quarters as `examples/period_review.rs` builds them: each board with the
    standard errors of its analytic 95 % intervals (perfectly correlated indicators), stored as
    JSON and read back."""
    evaluator = sq.Evaluator(tree)
    estimator = sq.IntervalEstimator(evaluator, 0.95, "perfect")
    boards = []
    for period in PERIODS:
        survey, counts = quarter(tree, period)
        reports = [evaluator.report(m, survey.memberships(m)) for m in survey.merchant_names]
        std_errors = [estimator.interval(c).std_error for c in counts]
        board = sq.Scoreboard.from_reports(period, evaluator, reports).with_std_errors(std_errors)
        boards.append(sq.Scoreboard.from_json(board.to_json()))  # stored and read back
    return sq.History(boards)


def test_boards_are_the_crate_s(history, rust_reference):
    want = rust_reference["outcome"]["boards"]
    assert [history.board(p).to_json() for p in range(len(PERIODS))] == want
    assert history.periods == PERIODS and len(history) == 4
    latest = history.board(3)
    stored = json.loads(want[3])
    assert latest.merchants == [m["id"] for m in stored["merchants"]]
    assert latest.scores.tolist() == [m["scores"][0] for m in stored["merchants"]]
    assert latest.samples.tolist() == [m["n"] for m in stored["merchants"]]
    frame = latest.to_frame()
    assert frame["score"].tolist() == latest.scores.tolist()
    first = latest.merchants[0]
    assert history.series(first)[3] == latest.scores[0]
    assert latest.node_score(0, "after_sales") == latest.scores[0]
    with pytest.raises(sq.ArgumentError):
        latest.node_score(len(latest), "after_sales")


def test_ranking_tiers_and_rectification_are_the_crate_s(history, rules, rust_reference):
    want = rust_reference["outcome"]
    latest = history.board(3)
    rules.check(latest)
    ranking = rules.rank(latest)
    tiers = rules.tiers(latest)
    assert ranking.table_with_tiers(tiers).csv() == want["ranking"]
    assert ranking.ranks == want["ranks"]
    assert tiers.tiers == want["tiers"] and tiers.counts == want["tier_counts"]
    assert tiers.cuts == want["tier_cuts"]
    assert tiers.summary_table().csv() == want["tier_summary"]
    fix = rules.rectify(latest)
    assert fix.merchant_table(10).csv() == want["rectification"]
    assert fix.platform_table().csv() == want["platform"]
    for m in fix.merchants():
        assert m["score"] == latest.scores[m["merchant"]] and m["gap"] > 0


def test_alerts_and_comparison_are_the_crate_s(history, rules, rust_reference):
    want = rust_reference["outcome"]
    assert rules.alerts_table(history).csv("zh") == want["alerts"]
    alerts = rules.alerts(history)
    assert alerts and len(alerts) == len(want["alerts"].splitlines()) - 1
    assert all(a["period"] in PERIODS and a["message_zh"] for a in alerts)
    assert {a["kind"] for a in alerts} <= {"below", "drop", "drop_beyond_uncertainty",
                                           "consecutive_declines", "downward_trend"}
    c = rules.compare(history, 2, 3)
    assert c.table().csv() == want["comparison"]
    assert c.entered == want["entered"] and c.left == want["left"]
    before, after = history.board(2), history.board(3)
    for row in c.rows():
        p, q = before.merchants.index(row["merchant"]), after.merchants.index(row["merchant"])
        a, b = before.scores[p], after.scores[q]
        assert row["change"] == b - a and row["before"] == a and row["after"] == b
        # z sqrt(se_before² + se_after²)
        se = np.hypot(before.std_errors[p], after.std_errors[q])
        assert abs(row["uncertainty"] - 1.96 * se) <= 1e-12


def test_ranks_are_competition_and_dense_ranks():
    scores = [80.0, 90.0, 80.0, 70.0, 90.0]
    competition = sq.Ranking.by_scores(scores)
    dense = sq.Ranking.by_scores(scores, "dense")
    # competition: 1 + the number of strictly better scores; dense: 1 + distinct better ones
    s = np.array(scores)
    assert competition.ranks == [1 + int((s > x).sum()) for x in s]
    assert dense.ranks == [1 + len(set(s[s > x])) for x in s]
    assert competition.order.tolist() == [1, 4, 0, 2, 3] and competition.ranked == 5
    with pytest.raises(sq.ServiceQualityError):
        sq.Ranking.by_scores([1.0, float("nan")])
    with pytest.raises(sq.ArgumentError):
        sq.Ranking.by_scores(scores, "olympic")


def test_rankings_by_node_and_minimum_sample(history):
    latest = history.board(3)
    by_speed = sq.Ranking.of(latest, node="speed")
    speed = np.array([latest.node_score(m, "speed") for m in range(len(latest))])
    best = int(np.argmax(speed))
    assert by_speed.rank(best) == 1
    n = latest.samples
    cut = int(np.median(n))
    some = sq.Ranking.of(latest, min_sample=cut)
    assert some.ranked == int((n >= cut).sum())
    assert all((r is None) == (k < cut) for r, k in zip(some.ranks, n))


def test_rules_are_read_and_checked(rules):
    d = rules.to_dict()
    assert sq.OutcomeRules.from_dict(d).to_dict() == d
    assert sq.OutcomeRules.from_json(json.dumps(d)).to_dict() == d
    with pytest.raises(sq.ServiceQualityError):
        sq.OutcomeRules.from_json('{"tiers": 3}')
    bare = sq.OutcomeRules.from_dict({})
    with pytest.raises(sq.ArgumentError):
        bare.tiers(sq.Scoreboard.from_json(json.dumps(json.loads(rules_board_json()))))


def rules_board_json() -> str:
    """A one-merchant board of a two-leaf model, as JSON."""
    tree = sq.IndicatorTree.from_dict({"root": {"id": "g", "label": "G", "weights": [0.5, 0.5],
                                                "children": [{"id": "a", "label": "A"},
                                                             {"id": "b", "label": "B"}]}})
    data = sq.Memberships()
    data.insert("a", [1, 0, 0, 0, 0], 1)
    data.insert("b", [0, 1, 0, 0, 0], 1)
    evaluator = sq.Evaluator(tree)
    return sq.Scoreboard.from_reports("p", evaluator, [evaluator.report("m", data)]).to_json()


def test_publication_is_the_crate_s(tree, history, rules, rust_reference):
    want = rust_reference["outcome"]
    evaluator = sq.Evaluator(tree)
    estimator = sq.IntervalEstimator(evaluator, 0.95, "perfect")
    counts = quarter(tree, "2024-Q4")[1]
    latest = history.board(3)
    intervals = [estimator.interval(c) for c in counts]
    for got, w in zip(intervals, want["intervals"]):
        d = got.to_dict()
        assert {k: d[k] for k in w} == w
        assert d["half_width"] == pytest.approx((d["upper"] - d["lower"]) / 2, abs=1e-12)
        assert d["lower"] <= d["score"] <= d["upper"]
    # the score of the analytic interval is the board's overall score (M(·,+))
    assert np.allclose([i.score for i in intervals], latest.scores, rtol=0, atol=1e-10)
    batch = estimator.intervals(counts)
    assert batch["failures"] == []
    assert batch["std_error"].tolist() == [i.std_error for i in intervals]
    shrunk = sq.Shrinkage.pseudo_respondents(30.0).apply(latest)
    assert shrunk["prior_mean"] == want["shrunk"]["prior_mean"]
    assert shrunk["credibility"].tolist() == want["shrunk"]["credibility"]
    assert shrunk["scores"].tolist() == want["shrunk"]["scores"]
    # credibility n / (n + k), the score pulled towards the prior mean by 1 - credibility
    n = latest.samples.astype(float)
    assert np.allclose(shrunk["credibility"], n / (n + 30.0), rtol=0, atol=1e-15)
    s = latest.scores
    assert np.allclose(shrunk["scores"], shrunk["credibility"] * s
                       + (1 - shrunk["credibility"]) * shrunk["prior_mean"], rtol=0, atol=1e-10)
    ranking, tiers = rules.rank(latest), rules.tiers(latest)
    for m in range(3):
        card = sq.MerchantCard(latest, m, intervals[m], float(shrunk["scores"][m]), tiers, ranking)
        assert card.to_json() == want["cards"][m]
        assert card.to_dict()["merchant"] == latest.merchants[m] and len(card.table()) > 0
    boot = sq.Bootstrap(evaluator, 200, 0.95, seed=7)
    b = boot.from_counts(counts[0])
    assert b.lower <= b.score <= b.upper and b.score == pytest.approx(intervals[0].score, abs=1e-10)
    assert boot.from_counts(counts[0]).to_dict() == b.to_dict()  # seeded
    with pytest.raises(sq.OutcomeError):
        sq.IntervalEstimator(sq.Evaluator(tree, operator="zadeh_max_min"))
    with pytest.raises(sq.ArgumentError):
        sq.IntervalEstimator(evaluator, 0.95, "some")
