"""AHP beyond the priorities: diagnosis (GCI, Koczkodaj's triads, ranked judgement errors),
repair, incomplete matrices and fuzzy AHP.

Every result is compared with the crate's (the `ahp` part of `python/reference`, RUST =
1e-12) and with the independent references the crate's tests use
(`tests/data/panel_reference.json`: numpy, scipy 1.16 BFGS, AHPy 2.1, pyDecision 5.1.8;
`tests/data/fuzzy_ahp_consistency.json`: pyDecision 5.1.8), at the tolerances of
`tests/common/tol.rs`; the judgement errors against their closed form.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import service_quality as sq
from conftest import EIGEN, RUST, TEST_DATA
from test_analysis import assert_close

#: tests/common/tol.rs: REFERENCE (multi-step computations against numpy / pyDecision
#: re-implementations), OPTIMUM (the optimal completion against scipy's BFGS optimum)
REFERENCE = 1e-9
OPTIMUM = 1e-8
CLOSED_FORM = 1e-12


@pytest.fixture(scope="module")
def panel() -> dict:
    return json.loads((TEST_DATA / "panel_reference.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def crate(rust_reference) -> dict:
    return rust_reference["ahp"]


def size(upper) -> int:
    return next(n for n in range(1, 64) if n * (n - 1) // 2 == len(upper))


def test_gci_and_triads_are_the_crate_s_and_numpy_s(panel, crate):
    want = panel["panel"]
    for k, (upper, mine) in enumerate(zip(want["experts_upper"], crate["diagnosis"])):
        m = sq.PairwiseMatrix.from_upper_triangle(size(upper), upper)
        assert_close(m.gci(), mine["gci"], RUST, "gci", relative=True)
        assert_close(m.gci()["value"], want["gci"][k], REFERENCE, "gci")
        assert m.gci()["threshold"] == sq.gci_threshold(m.n)
        triad = m.triad_inconsistency()
        assert_close(triad, mine["triad"], RUST, "triad", relative=True)
        assert_close(triad["value"], want["koczkodaj"][k], CLOSED_FORM, "koczkodaj")
        worst = triad["worst"]
        assert [worst["i"], worst["j"], worst["k"]] == want["koczkodaj_worst_triad"][k]
    assert sq.gci_threshold(2) is None and sq.gci_threshold(3) == 0.31


def test_judgement_errors_are_ranked_closed_forms(crate):
    for mine in crate["diagnosis"]:
        m = sq.PairwiseMatrix.from_upper_triangle(mine["n"], mine["upper"])
        ranked = m.inconsistent_judgements()
        assert_close(ranked, mine["inconsistent_judgements"], RUST, "ranked", relative=True)
        a = m.to_numpy()
        w = np.exp(np.log(a).mean(axis=1))
        w /= w.sum()
        for r in ranked:
            i, j = r["i"], r["j"]
            assert i < j and r["value"] == a[i, j]
            assert abs(r["consistent_value"] - w[i] / w[j]) <= CLOSED_FORM * max(1, w[i] / w[j])
            assert abs(r["error"] - a[i, j] * w[j] / w[i]) <= CLOSED_FORM * max(1, r["error"])
            assert abs(r["log_error"] - abs(np.log(r["error"]))) <= CLOSED_FORM
        keys = [r["log_error"] for r in ranked]
        assert keys == sorted(keys, reverse=True)
        assert m.inconsistent_judgements("eigenvector")
        # the geometric compatibility of a matrix with its own RGMM weights is its GCI
        assert abs(m.geometric_compatibility(w.tolist()) - m.gci()["value"]) <= CLOSED_FORM


def test_repair_is_the_crate_s_and_never_raises_cr(crate):
    for mine in crate["diagnosis"]:
        m = sq.PairwiseMatrix.from_upper_triangle(mine["n"], mine["upper"])
        r = m.repair(target_cr=0.01)
        assert_close(r.to_dict(), mine["repair"], RUST, "repair", relative=True)
        crs = [r.initial.cr] + [s["cr_after"] for s in r.steps()]
        assert all(b <= a for a, b in zip(crs, crs[1:]))
        assert r.priorities.cr == pytest.approx(r.matrix.priorities().cr, abs=RUST)
        assert r.reached_target == (r.priorities.cr < 0.01) and r.stop in (
            "target_reached",
            "step_limit",
            "no_improvement",
        )
        last = {(s["i"], s["j"]): s["new"] for s in r.steps()}
        for (i, j), new in last.items():
            assert r.matrix.to_rows()[i][j] == new
    with pytest.raises(sq.ArgumentError):
        sq.PairwiseMatrix.consistent([0.5, 0.5]).repair(target_cr=-1.0)


def test_scale_diagnostics_name_the_entries_off_the_scale():
    m = sq.PairwiseMatrix.from_upper_triangle(3, [2.5, 12.0, 3.0])
    issues = {(d["row"], d["col"]): d["issue"] for d in m.saaty_scale_diagnostics()}
    assert issues[(0, 1)] == "not_on_scale" and issues[(0, 2)] == "out_of_range"
    assert (1, 2) not in issues


def test_completion_is_the_crate_s_ahpy_s_and_scipy_s(panel, crate):
    for name, case in panel["completion"].items():
        mine = crate["completion"][name]
        m = sq.IncompleteMatrix.from_judgements(case["n"], [tuple(g) for g in case["given"]])
        assert [list(p) for p in m.missing_pairs()] == case["missing"] and not m.is_complete
        assert m.components() == [list(range(case["n"]))]
        for method in sq.COMPLETION_METHODS:
            c = m.complete(method)
            assert c.method == method
            assert_close(c.to_dict(), mine["methods"][method], RUST, f"{name} {method}", relative=True)
        optimal = m.complete()
        filled = [f["value"] for f in optimal.filled()]
        assert_close(filled, case["optimum"], OPTIMUM, f"{name} optimum", relative=True)
        assert_close(optimal.priorities.lambda_max, case["optimum_lambda_max"], EIGEN, "lambda")
        assert_close(m.complete("harker").priorities.weights, case["harker_weights"], REFERENCE, "harker", relative=True)
        # the LLSM-completed matrix's RGMM weights are the LLSM weights of the incomplete one
        llsm = m.complete("log_least_squares", priority_method="geometric_mean")
        assert_close(llsm.priorities.weights, case["llsm_weights"], REFERENCE, "llsm", relative=True)
    with pytest.raises(sq.AhpError):
        sq.IncompleteMatrix.from_upper_triangle(3, [2.0, None, None]).to_complete()
    with pytest.raises(sq.ArgumentError):
        sq.IncompleteMatrix.from_upper_triangle(3, [2.0, None, 3.0]).complete("guess")
    upper = sq.IncompleteMatrix.from_upper_triangle(3, [2.0, None, 3.0])
    assert upper.get(0, 1) == 2.0 and upper.get(0, 2) is None and upper.n == 3


@pytest.fixture(scope="module")
def fuzzy_cases() -> dict:
    return json.loads((TEST_DATA / "fuzzy_ahp_consistency.json").read_text(encoding="utf-8"))


def test_fuzzy_ahp_is_the_crate_s_and_pydecision_s(fuzzy_cases, crate):
    for case, mine in zip(fuzzy_cases["cases"], crate["fuzzy"]):
        m = sq.FuzzyPairwiseMatrix.from_upper_triangle(case["n"], [tuple(t) for t in case["upper"]])
        p = m.buckley()
        assert_close(p.to_dict(), mine["buckley"], RUST, case["name"], relative=True)
        assert_close(p.weights, case["pydecision_weights"], CLOSED_FORM, "weights")
        for convention in sq.FUZZY_CONSISTENCY_CONVENTIONS:
            c = m.consistency(convention)
            assert_close(c.to_dict(), mine["consistency"][convention], RUST, convention, relative=True)
        graded = m.consistency("graded_mean_buckley")
        assert_close(graded.lambda_, case["pydecision_lambda"], CLOSED_FORM, "lambda", relative=True)
        assert_close(graded.cr, case["pydecision_cr"], CLOSED_FORM, "cr")
        assert graded.ri == sq.PYDECISION_RANDOM_INDEX[case["n"]]
        centroid = m.consistency()
        assert_close(centroid.lambda_, case["centroid_lambda_max"], EIGEN, "centroid lambda")
        assert centroid.cr == p.consistency.cr
        assert m.to_numpy().shape == (case["n"], case["n"], 3)
        assert m.to_rows()[0][0] == (1.0, 1.0, 1.0)


def test_fuzzy_saaty_scale_and_panel_example(panel):
    example = panel["fuzzy_ahp"]
    assert list(sq.fuzzy_saaty(9.0)) == example["scale_of_9"]
    assert sq.fuzzy_saaty(3.0) == (2.0, 3.0, 4.0)
    m = sq.FuzzyPairwiseMatrix.from_saaty_upper(size(example["upper"]), example["upper"])
    p = m.buckley()
    for got, want in zip(p.fuzzy_weights, example["fuzzy_weights"]):
        assert_close(list(got), want, REFERENCE, "fuzzy weight", relative=True)
    assert_close(p.weights, example["crisp_weights"], REFERENCE, "crisp", relative=True)
    with pytest.raises(sq.AhpError):
        sq.fuzzy_saaty(2.5)
    with pytest.raises(sq.ServiceQualityError):
        sq.FuzzyPairwiseMatrix.from_upper_triangle(2, [(3.0, 2.0, 4.0)])
    with pytest.raises(sq.ArgumentError):
        m.consistency("median")
