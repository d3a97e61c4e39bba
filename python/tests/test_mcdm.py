"""Multi-criteria methods: every result against the crate's (the `mcdm` part of
`python/reference`, to 1e-12) and against pymcdm 1.4.0, pyDecision 5.1.8 and numpy / scipy
re-implementations (`tests/data/mcdm_reference.json`, written by
`scripts/reference/mcdm_reference.py`), at the crate tests' MCDM_REFERENCE tolerance."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import service_quality as sq
from conftest import DATA, RUST, TEST_DATA
from test_analysis import assert_close

#: tests/common/tol.rs MCDM_REFERENCE (against pymcdm, pyDecision and scipy), CLOSED_FORM
MCDM_REFERENCE = 1e-10
CLOSED_FORM = 1e-12


@pytest.fixture(scope="module")
def cases() -> list:
    return json.loads((TEST_DATA / "mcdm_reference.json").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def crate(rust_reference) -> list:
    return rust_reference["mcdm"]


def matrix(case) -> sq.DecisionMatrix:
    types = ["benefit" if t == 1 else "cost" for t in case["types"]]
    return sq.DecisionMatrix(np.array(case["matrix"]), types=types)


def close(got, want, tol=MCDM_REFERENCE):
    assert np.allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=0, atol=tol)


def test_decision_matrices_from_numpy_and_pandas(cases, crate):
    for case, mine in zip(cases, crate):
        m = matrix(case)
        assert_close(m.to_dict(), mine["matrix"], RUST, case["name"], relative=True)
        assert m.alternatives == [f"A{i + 1}" for i in range(len(case["matrix"]))]
        frame = pd.DataFrame(case["matrix"], index=m.alternatives, columns=m.criteria)
        same = sq.DecisionMatrix.from_dataframe(frame, types=m.types)
        assert same.to_dict() == m.to_dict() and np.array_equal(same.to_numpy(), np.array(case["matrix"]))
    with pytest.raises(sq.McdmError):
        sq.DecisionMatrix(np.ones((1, 2)))
    with pytest.raises(sq.McdmError):
        sq.DecisionMatrix(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(sq.ArgumentError):
        sq.DecisionMatrix(np.ones((2, 2)), types=["benefit", "better"])
    with pytest.raises(sq.ArgumentError):
        sq.DecisionMatrix(np.ones(3))


def test_objective_and_combined_weights(cases, crate):
    independent = {
        "entropy_ignore_cost": "pymcdm_entropy",
        "entropy_pydecision": "pydecision_entropy",
        "entropy_reciprocal_cost": "numpy_entropy_reciprocal",
        "critic_ignore_cost": "pymcdm_critic",
        "critic_orient_cost": "numpy_critic_oriented",
        "coefficient_of_variation": "numpy_cv",
        "std_raw": "pymcdm_std",
        "std_min_max": "numpy_std_minmax",
    }
    assert sorted(sq.OBJECTIVE_METHODS) == sorted(independent)
    for case, mine in zip(cases, crate):
        m = matrix(case)
        for method, key in independent.items():
            w = sq.objective_weights(m, method)
            close(w["weights"], mine["objective"][method]["weights"], RUST)
            close(w["information"], mine["objective"][method]["information"], RUST)
            close(w["weights"], case[key])
        close(sq.objective_weights(m, "critic_orient_cost")["weights"], case["pydecision_critic"])
        entropy = sq.objective_weights(m, "entropy_ignore_cost")["weights"]
        for rule in ("multiplicative", "minimum_discrimination", "game_theory"):
            c = sq.combined_weights(case["subjective"], entropy, rule)
            close(c["weights"], mine["combined"][rule]["weights"], RUST)
            close(c["weights"], case["combined"][rule])
        linear = sq.combined_weights(case["subjective"], entropy, "linear", case["combined_alpha"])
        close(linear["weights"], case["combined"]["linear"])
        game = sq.combined_weights(case["subjective"], entropy)
        close(game["coefficients"], case["combined"]["game_theory_coefficients"])
    with pytest.raises(sq.ArgumentError):
        sq.objective_weights(matrix(cases[0]), "entropy")
    with pytest.raises(sq.ArgumentError):
        sq.combined_weights([0.5, 0.5], [0.5, 0.5], "linear")


def test_ranking_methods_are_the_crate_s_and_the_tools(cases, crate):
    for case, mine in zip(cases, crate):
        m, w = matrix(case), case["weights"]
        t = sq.Topsis(m, w)
        assert_close(t.to_dict(), mine["topsis_vector"], RUST, "topsis", relative=True)
        close(t.closeness, case["pydecision_topsis"])
        close(t.closeness, case["pymcdm_topsis_vector"])
        mm = sq.Topsis(m, w, "min_max")
        assert_close(mm.to_dict(), mine["topsis_min_max"], RUST, "topsis", relative=True)
        close(mm.closeness, case["pymcdm_topsis_minmax"])
        close(t.closeness, t.d_minus / (t.d_plus + t.d_minus), CLOSED_FORM)
        v = sq.Vikor(m, w)
        assert_close(v.to_dict(), mine["vikor"], RUST, "vikor", relative=True)
        close(v.s, case["pydecision_vikor_s"])
        close(v.r, case["pydecision_vikor_r"])
        close(v.q, case["pydecision_vikor_q"])
        g = sq.GreyRelational(m, w)
        assert_close(g.to_dict(), mine["grey"], RUST, "grey", relative=True)
        close(g.grades, np.array(case["pydecision_gra"]) * len(case["matrix"]))
        gm = sq.GreyRelational(m, w, "mean")
        assert_close(gm.to_dict(), mine["grey_mean"], RUST, "grey mean", relative=True)
        close(gm.grades, case["numpy_grey_mean"])
        r = sq.RankSumRatio(m)
        assert_close(r.to_dict(), mine["rsr_integer"], RUST, "rsr", relative=True)
        close(r.rsr, case["rsr_integer"]["rsr"])
        close([row["probit"] for row in r.table()], case["rsr_integer"]["table_probit"])
        close([r.intercept, r.slope], [case["rsr_integer"]["intercept"], case["rsr_integer"]["slope"]])
        wr = sq.RankSumRatio(m, w, "non_integer")
        assert_close(wr.to_dict(), mine["rsr_noninteger_weighted"], RUST, "wrsr", relative=True)
        close(wr.rsr, case["rsr_noninteger"]["wrsr"])
        # ranks: 1 = best, ties averaged (scipy rankdata on the negated scores)
        closeness = t.closeness
        assert t.ranks.tolist() == [1 + float((closeness > c).sum()) + ((closeness == c).sum() - 1) / 2
                                   for c in closeness]


def test_robustness_table(cases, crate):
    for case, mine in zip(cases, crate):
        m, w = matrix(case), case["weights"]
        table = sq.RobustnessTable.of(m, w, ["topsis", "vikor"])
        assert_close(table.to_dict(), mine["robustness"], RUST, "robustness", relative=True)
        assert abs(table.spearman(0, 1) - case["spearman_topsis_vikor"]) <= CLOSED_FORM
        assert abs(table.kendall(0, 1) - case["kendall_topsis_vikor"]) <= CLOSED_FORM
        frame = table.ranks_frame()
        assert list(frame.columns) == table.methods and list(frame.index) == m.alternatives
    full = sq.RobustnessTable.of(matrix(cases[0]), cases[0]["weights"])
    assert len(full.methods) == len(sq.RANKING_METHODS)
    with pytest.raises(sq.ArgumentError):
        sq.RobustnessTable.of(matrix(cases[0]), cases[0]["weights"], ["electre"])


def test_fuzzy_ranking_beside_the_others(tree, kpi_model):
    survey = sq.Survey.from_csv(DATA / "survey.csv", tree, on_bad_row="skip",
                                ignored_columns=["respondent", "first_reply", "resolution_time", "feedback_time"])
    kpi = sq.KpiTally.from_csv(DATA / "kpi.csv", kpi_model, on_bad_row="skip")
    reports = sq.Evaluator(tree).report_all(survey, kpi)
    dims = tree.children(tree.root_id)
    weights = [tree.local_weight(d) for d in dims]
    table = sq.RobustnessTable.compare_with_fuzzy(reports, weights, ["topsis", "grey"])
    assert table.methods[0] == "FCE" and table.alternatives == [r.merchant for r in reports]
    fce = table.ranks_frame()["FCE"].to_numpy()
    scores = np.array([r.score for r in reports])
    assert fce.tolist() == [1 + float((scores > s).sum()) + ((scores == s).sum() - 1) / 2 for s in scores]
    m = sq.DecisionMatrix.from_reports(reports)
    assert len(m.criteria) == len(dims) and m.types == ["benefit"] * len(dims)
    assert m.alternatives == [r.merchant for r in reports]
