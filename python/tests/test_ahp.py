"""AHP: matrices, priorities by method, consistency reports, random index tables; against
closed forms, the numpy/LAPACK reference values the Rust tests check, and AHPy."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

import service_quality as sq
from conftest import EIGEN, RUST, TEST_DATA

#: Saaty (1980) random indices for n = 1..15, as printed in the book
SAATY_1980 = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56,
              1.57, 1.59]


def test_constructors_agree():
    a = sq.PairwiseMatrix([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]])
    b = sq.PairwiseMatrix.from_upper_triangle(3, [2, 4, 2])
    c = sq.PairwiseMatrix.from_judgements(3, [(0, 1, 2.0), (0, 2, 4.0), (2, 1, 0.5)])
    d = sq.PairwiseMatrix.consistent([4.0, 2.0, 1.0])
    assert a == b == c == d
    assert a.n == 3 and a.upper_triangle() == [2.0, 4.0, 2.0]
    assert a.to_rows()[2] == [0.25, 0.5, 1.0]
    assert np.array_equal(a.to_numpy(), np.array(a.to_rows()))
    assert "PairwiseMatrix" in repr(a)
    with pytest.raises(sq.AhpError):
        sq.PairwiseMatrix([[1, 2], [2, 1]])  # not reciprocal


def test_consistent_matrix_closed_form():
    m = sq.PairwiseMatrix.from_upper_triangle(3, [2.0, 6.0, 3.0])
    for method in sq.PRIORITY_METHODS:
        p = m.priorities(method=method)
        assert p.method == method
        assert np.allclose(p.weights, [0.6, 0.3, 0.1], rtol=0, atol=RUST)
        assert abs(p.lambda_max - 3.0) <= RUST and p.cr == 0.0
    assert m.priorities().iterations is not None
    assert m.priorities("geometric_mean").iterations is None
    assert m.priorities("rgmm").method == "geometric_mean"


def test_random_index_tables():
    assert sq.random_index_table() == SAATY_1980
    assert sq.random_index_table("saaty1980") == SAATY_1980
    for name in sq.RANDOM_INDEX_TABLES:
        values = sq.random_index_table(name)
        assert values[:2] == [0.0, 0.0] and all(v > 0 for v in values[2:])
    assert len(sq.random_index_table("donegan_dodd1991")) == 100


def test_consistency_report_uses_the_table():
    m = sq.PairwiseMatrix.from_upper_triangle(4, [3.0, 5.0, 7.0, 2.0, 4.0, 2.0])
    for name in sq.RANDOM_INDEX_TABLES:
        r = m.consistency(random_index=name)
        assert r.ri_table == name
        assert r.ri == sq.random_index_table(name)[3]
        assert abs(r.ci - (r.lambda_max - 4) / 3) <= RUST
        assert abs(r.cr - r.ci / r.ri) <= RUST
        assert r.is_acceptable(1.0) and r.is_acceptable() == (r.cr < 0.1)
        d = r.to_dict()
        assert d == {"n": 4, "lambda_max": r.lambda_max, "ci": r.ci, "cr": r.cr, "ri": r.ri,
                     "ri_table": name}
        assert "CR" in str(r) and "ConsistencyReport" in repr(r)
    custom = m.consistency(random_index=[0, 0, 0.5, 0.8])
    assert custom.ri_table == "custom" and custom.ri == 0.8
    with pytest.raises(sq.AhpError):
        m.consistency(random_index=[0, 0, 0.5])  # does not reach n = 4
    with pytest.raises(sq.AhpError):
        m.consistency(random_index=[0, 0, -0.5, 0.8])


def test_priorities_to_dict():
    p = sq.PairwiseMatrix.from_upper_triangle(3, [2.0, 6.0, 3.0]).priorities()
    d = p.to_dict()
    assert d["weights"] == p.weights and d["method"] == "eigenvector"
    assert d["consistency"] == p.consistency.to_dict()
    assert "Priorities" in repr(p)


def _reference_cases():
    data = json.loads((TEST_DATA / "ahp_reference.json").read_text())
    return data["cases"]


def test_against_the_numpy_reference_of_the_rust_tests():
    """tests/data/ahp_reference.json: numpy 2.4.6 (LAPACK eig), RGMM and AN computed directly
    (scripts/reference/ahp_reference.py); the same tolerances as tests/ahp_reference.rs."""
    for case in _reference_cases():
        n = case["n"]
        m = sq.PairwiseMatrix.from_upper_triangle(n, case["upper"])
        if n > 15:
            continue
        eig = m.priorities("eigenvector", tol=1e-14, max_iter=100000)
        assert np.allclose(eig.weights, case["eigen_weights"], rtol=0, atol=EIGEN), case["name"]
        assert abs(eig.lambda_max - case["lambda_max"]) <= EIGEN * n, case["name"]
        rgmm = m.priorities("geometric_mean")
        assert np.allclose(rgmm.weights, case["rgmm_weights"], rtol=0, atol=RUST), case["name"]
        an = m.priorities("normalized_column_average")
        assert np.allclose(an.weights, case["an_weights"], rtol=0, atol=RUST), case["name"]


def test_against_ahpy():
    """AHPy (precision 10) on the bundled model's judgements and the reference matrices: the
    eigenvector weights and the CR with AHPy's default table (Donegan & Dodd 1991)."""
    ahpy = pytest.importorskip("ahpy", reason="AHPy is not installed (pip install ahpy)")
    from conftest import DATA

    model = json.loads((DATA / "after_sales_model.json").read_text(encoding="utf-8"))
    tree = sq.IndicatorTree.from_dict(model)
    checked = 0
    for node_id in tree.node_ids:
        m = tree.judgements(node_id)
        if m is None:
            continue
        checked += _compare_with_ahpy(ahpy, node_id, m)
    for case in _reference_cases():
        if 3 <= case["n"] <= 15:
            m = sq.PairwiseMatrix.from_upper_triangle(case["n"], case["upper"])
            checked += _compare_with_ahpy(ahpy, case["name"], m)
    assert checked >= 20


def _compare_with_ahpy(ahpy, name, m):
    n = m.n
    rows = m.to_rows()
    keys = [f"c{i}" for i in range(n)]
    comparisons = {(keys[i], keys[j]): rows[i][j] for i in range(n) for j in range(i + 1, n)}
    c = ahpy.Compare(name, comparisons, precision=10)
    ours = m.priorities("eigenvector", random_index="donegan_dodd1991", tol=1e-14,
                        max_iter=100000)
    # AHPy rounds its results to `precision` decimals: agreement to half a unit there
    for i, key in enumerate(keys):
        assert abs(ours.weights[i] - c.local_weights[key]) <= 0.5e-10 + 1e-15, (name, key)
    if n >= 3:
        assert abs(ours.cr - c.consistency_ratio) <= 0.5e-10 + 1e-15, name
    return 1
