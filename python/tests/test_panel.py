"""Expert panels: AIJ, AIP, consensus against numpy (tests/data/panel_reference.json, the
values tests/panel_reference.rs checks, same relative tolerance), and the bundled panel file."""

from __future__ import annotations

import json

import numpy as np
import pytest

import service_quality as sq
from conftest import DATA, TEST_DATA

#: tests/common/tol.rs REFERENCE (relative), as in tests/panel_reference.rs
REFERENCE = 1e-9


@pytest.fixture(scope="module")
def case():
    return json.loads((TEST_DATA / "panel_reference.json").read_text())["panel"]


def _panel(case):
    matrices = [sq.PairwiseMatrix.from_upper_triangle(4, u) for u in case["experts_upper"]]
    return sq.Panel(matrices, expert_weights=case["expert_weights"])


def test_aij_against_numpy(case):
    r = _panel(case).evaluate()
    assert r["aggregation"] == "judgements"
    agg = sq.PairwiseMatrix(r["aggregated_matrix"]).upper_triangle()
    assert np.allclose(agg, case["aij_upper"], rtol=REFERENCE, atol=0)
    assert np.allclose(r["weights"], case["aij_eigenvector"], rtol=REFERENCE, atol=0)
    assert r["aggregated_priorities"]["consistency"]["lambda_max"] == pytest.approx(
        case["aij_lambda_max"], rel=REFERENCE)
    for got, want in zip(r["individual"], case["expert_eigenvectors"]):
        assert np.allclose(got["weights"], want, rtol=REFERENCE, atol=0)
    assert r["consensus"]["s_star"] == pytest.approx(case["s_star"], rel=REFERENCE)
    assert r["consensus"]["d_beta"] == pytest.approx(case["d_beta"], rel=REFERENCE)
    assert np.allclose(r["compatibility"], case["gcompi_vs_aij"], rtol=REFERENCE, atol=0)
    assert r["included"] == [0, 1, 2, 3] and r["excluded"] == []
    assert r["expert_weights_used"] == pytest.approx([0.4, 0.2, 0.2, 0.2], abs=1e-15)


@pytest.mark.parametrize("mean", ["geometric", "arithmetic"])
def test_aip_against_numpy(case, mean):
    r = _panel(case).evaluate(aggregation=f"priorities_{mean}")
    assert r["aggregation"] == {"priorities": mean}
    assert r["aggregated_matrix"] is None
    assert np.allclose(r["weights"], case[f"aip_{mean}"], rtol=REFERENCE, atol=0)


def test_exclusion_by_cr(case):
    panel = _panel(case)
    crs = [p["consistency"]["cr"] for p in panel.evaluate()["individual"]]
    r = panel.evaluate(exclude_above_cr=0.1)
    assert [e["expert"] for e in r["excluded"]] == [i for i, cr in enumerate(crs) if cr >= 0.1]
    assert len(panel) == 4 and panel.n == 4
    # lists of rows work as matrices
    rows = [sq.PairwiseMatrix.from_upper_triangle(4, u).to_rows() for u in case["experts_upper"]]
    assert sq.Panel(rows, case["expert_weights"]).evaluate()["weights"] == panel.evaluate()["weights"]
    with pytest.raises(sq.PanelError):
        sq.Panel([sq.PairwiseMatrix.from_upper_triangle(3, [1, 2, 3]),
                  sq.PairwiseMatrix.from_upper_triangle(4, [1] * 6)])
    with pytest.raises(sq.ArgumentError):
        panel.evaluate(aggregation="median")


def test_group_tree_from_the_bundled_panel_file():
    path = DATA / "expert_panel.json"
    g = sq.GroupTree.from_file(path)
    assert [name.split()[0] for name in g.expert_names] == ["E1", "E2", "E3", "E4", "E5"]
    same = sq.GroupTree.from_dict(json.loads(path.read_text(encoding="utf-8")))
    assert same.tree.leaf_weights() == g.tree.leaf_weights()
    again = sq.GroupTree.from_dict(g.to_dict())
    assert again.tree.leaf_weights() == g.tree.leaf_weights()
    nodes = g.nodes()
    assert set(nodes) == {"after_sales", "speed", "attitude", "professionalism", "satisfaction"}
    goal = nodes["after_sales"]
    # the goal's local weights are the panel's weights at the goal
    assert goal["weights"] == [g.tree.local_weight(c) for c in g.tree.children("after_sales")]
    # E4 is inconsistent at the goal and excluded; E5 skipped pairs that were completed
    assert 3 in [e["expert"] for e in goal["excluded"]]
    assert [e for e, _ in goal["completions"]] == [4]
    assert abs(sum(g.tree.leaf_weights().values()) - 1.0) <= 1e-12
