"""The evaluator and reports: agreement with the Rust crate on the bundled after-sales data
(1e-12), a closed form of M(·,+), dicts and DataFrames."""

from __future__ import annotations

import numpy as np
import pytest

import service_quality as sq
from conftest import DATA, IGNORED, RUST


@pytest.fixture(scope="module")
def reports(tree, kpi_model):
    survey = sq.Survey.from_csv(DATA / "survey.csv", tree, ignored_columns=IGNORED,
                                on_bad_row="skip")
    kpi = sq.KpiTally.from_csv(DATA / "kpi.csv", kpi_model, on_bad_row="skip")
    return sq.Evaluator(tree).report_all(survey, kpi), survey, kpi


def _close(got, want, where=""):
    """Recursive comparison: floats to RUST, everything else equal."""
    if isinstance(want, float) or isinstance(got, float):
        assert abs(got - want) <= RUST, (where, got, want)
    elif isinstance(want, dict):
        assert set(got) == set(want), where
        for k in want:
            _close(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, list):
        assert len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            _close(g, w, f"{where}[{i}]")
    else:
        assert got == want, (where, got, want)


def test_after_sales_reports_agree_with_rust(reports, rust_reference):
    got, _, _ = reports
    want = rust_reference["reports"]
    assert [r.merchant for r in got] == [r["merchant"] for r in want]
    for r, w in zip(got, want):
        _close(r.to_dict(), w, r.merchant)


def test_weighted_average_closed_form(tree, reports):
    """M(·,+) over two levels with normalised rows: B = sum_l G_l r_l (G = global leaf
    weights), score = B · grade values, computed here with numpy."""
    got, survey, kpi = reports
    values = np.array(sq.GradeSet.satisfaction_5().values)
    weights = tree.leaf_weights()
    for r in got:
        data = survey.memberships(r.merchant)
        data.merge(kpi.memberships(r.merchant))
        rows = data.to_dict()
        b = sum(weights[i] * np.array(rows[i]["row"]) for i in tree.leaf_ids)
        assert np.allclose(r.memberships, b / b.sum(), rtol=0, atol=RUST)
        assert abs(r.score - float(b @ values) / b.sum()) <= RUST * 100
        assert r.grade == int(np.argmax(b))


def test_report_accessors_and_frames(tree, reports):
    r = reports[0][0]
    d = r.to_dict()
    assert d["merchant"] == r.merchant and d["nodes"][0]["score"] == r.score
    assert r.grade_label() == sq.GradeSet.satisfaction_5().labels[r.grade]
    assert r.grade_label(0, "zh") == "很满意"
    assert r.weakest_dimension in tree.children("after_sales")
    assert len(r.weakest(3)) == 3 and r.excluded == []
    frame = r.to_frame()
    assert list(frame["level"]) == ["overall"] + ["dimension"] * 4 + ["indicator"] * 13
    assert frame.loc[0, "score"] == r.score
    assert list(r.dimensions_frame()["id"]) == tree.children("after_sales")
    ind = r.indicators_frame()
    assert list(ind["id"]) == tree.leaf_ids
    grade_cols = sq.GradeSet.satisfaction_5().labels
    assert np.allclose(ind[grade_cols].sum(axis=1), 1.0, atol=RUST)
    assert len(r.records()) == 18
    s = r.summary()
    assert s["score"] == r.score and set(tree.children("after_sales")) <= set(s)
    table = sq.reports_frame(reports[0])
    assert list(table.index) == [x.merchant for x in reports[0]]
    assert table.loc[r.merchant, "score"] == r.score
    assert "速度" in r.display("zh") and r.merchant in str(r) and "Report(" in repr(r)
    with pytest.raises(sq.ArgumentError):
        r.display("fr")


def test_evaluate_dict_and_options(tree, reports):
    _, survey, kpi = reports
    data = survey.memberships("shop-01")
    data.merge(kpi.memberships("shop-01"))
    ev = sq.Evaluator(tree, sq.GradeSet.satisfaction_5(), operator="weighted_average",
                      level_operators={1: "zadeh_max_min"})
    assert ev.operator_at(0) == "weighted_average" and ev.operator_at(1) == "zadeh_max_min"
    e = ev.evaluate(data)
    assert [n["id"] for n in e["nodes"]] == tree.node_ids
    assert ev.report("shop-01", data).score == pytest.approx(
        e["nodes"][0]["result"]["score"], abs=0)
    assert ev.tree.leaf_ids == tree.leaf_ids and len(ev.grades) == 5
    assert "Evaluator(" in repr(ev)
    assert sq.FUZZY_OPERATORS == ["weighted_average", "zadeh_max_min", "product_max",
                                  "bounded_sum"]


def test_unanswered_indicators(tree, reports):
    _, survey, _ = reports
    data = survey.memberships("shop-01")  # no KPI rows: the speed indicators are absent
    with pytest.raises(sq.EvaluationError):
        sq.Evaluator(tree).report("shop-01", data)
    partial = sq.Memberships()
    partial.insert_unobserved("first_reply", 4)
    for leaf in tree.leaf_ids[1:]:
        partial.insert(leaf, [1, 0, 0, 0, 0], 1)
    with pytest.raises(sq.EvaluationError) as info:
        sq.Evaluator(tree).report("m", partial)
    assert info.value.node_path == "speed.first_reply"
    r = sq.Evaluator(tree, unanswered="exclude").report("m", partial)
    assert r.excluded == ["first_reply"] and r.score == pytest.approx(95.0, abs=RUST)
