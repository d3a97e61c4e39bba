"""The model: grade sets and the indicator tree from files, JSON, dicts and the template."""

from __future__ import annotations

import json
import math

import pytest

import service_quality as sq
from conftest import DATA, RUST


def test_grade_sets():
    five = sq.GradeSet.satisfaction_5()
    assert len(five) == 5
    assert five.values == [95.0, 85.0, 75.0, 65.0, 55.0]
    assert five.labels_zh[0] == "很满意"
    assert sq.GradeSet.satisfaction_5_points().values == [5.0, 4.0, 3.0, 2.0, 1.0]
    own = sq.GradeSet(["good", "bad"], [1.0, 0.0], labels_zh=["好", "差"])
    assert own.labels == ["good", "bad"] and own.labels_zh == ["好", "差"]
    assert own.to_list() == [{"label": "good", "label_zh": "好", "value": 1.0},
                             {"label": "bad", "label_zh": "差", "value": 0.0}]
    assert own == sq.GradeSet(["good", "bad"], [1.0, 0.0], labels_zh=["好", "差"])
    assert "good = 1" in repr(own)
    with pytest.raises(sq.ArgumentError):
        sq.GradeSet(["a", "b"], [1.0])
    with pytest.raises(sq.ArgumentError):
        sq.GradeSet(["a", "b"], [1.0, 0.0], labels_zh=["甲"])


def test_three_ways_to_load_give_the_same_tree():
    path = DATA / "after_sales_model.json"
    text = path.read_text(encoding="utf-8")
    a = sq.IndicatorTree.from_file(path)
    b = sq.IndicatorTree.from_file(str(path))
    c = sq.IndicatorTree.from_json(text)
    d = sq.IndicatorTree.from_dict(json.loads(text))
    for other in (b, c, d):
        assert other.leaf_weights() == a.leaf_weights()
        assert other.to_dict() == a.to_dict()


def test_round_trip_through_dict_and_json(tree):
    again = sq.IndicatorTree.from_dict(tree.to_dict())
    assert again.to_dict() == tree.to_dict()
    assert again.leaf_weights() == tree.leaf_weights()
    assert sq.IndicatorTree.from_json(tree.to_json()).leaf_weights() == tree.leaf_weights()


def test_tree_accessors(tree):
    assert tree.root_id == "after_sales"
    assert tree.leaf_count == 13 and len(tree) == 18
    assert tree.leaf_ids[:3] == ["first_reply", "resolution_time", "feedback_time"]
    assert tree.node_ids[0] == "after_sales"
    assert tree.children("speed") == ["first_reply", "resolution_time", "feedback_time"]
    weights = tree.leaf_weights()
    assert list(weights) == tree.leaf_ids
    assert math.isclose(sum(weights.values()), 1.0, abs_tol=RUST)
    # global weight = product of local weights on the path (closed form)
    for leaf in tree.leaf_ids:
        node = tree.node(leaf)
        parent = tree.node(node["parent"])
        assert node["is_leaf"] and node["depth"] == 2
        assert abs(node["global_weight"] - node["local_weight"] * parent["local_weight"]) <= RUST
        assert tree.global_weight(leaf) == node["global_weight"]
        assert tree.local_weight(leaf) == node["local_weight"]
    assert tree.node("courtesy")["label_zh"] == "耐心、热情、礼貌"
    assert tree.node("courtesy")["path"] == "attitude.courtesy"
    assert [n["id"] for n in tree.nodes()] == tree.node_ids
    assert tree.is_consistent(0.1)
    assert "after_sales" in str(tree) and "IndicatorTree" in repr(tree)


def test_tree_frame(tree):
    frame = tree.to_frame()
    assert list(frame.index) == tree.node_ids
    assert frame.loc["speed", "local_weight"] == tree.local_weight("speed")
    assert frame.loc["courtesy", "parent"] == "attitude"


def test_judgements_and_consistency_of_a_node(tree):
    m = tree.judgements("after_sales")
    assert m.n == 4
    report = tree.consistency("after_sales")
    again = m.priorities()
    assert again.cr == report.cr
    assert [tree.local_weight(c) for c in tree.children("after_sales")] == again.weights
    assert tree.judgements("courtesy") is None and tree.consistency("courtesy") is None


def test_template():
    t = sq.IndicatorTree.after_sales_template()
    assert t.leaf_count == 13
    # equal weights at every node: 1/4 per dimension, 1/3 or 1/4 per indicator
    assert t.local_weight("speed") == 0.25
    assert abs(t.global_weight("courtesy") - 0.25 / 3) <= RUST
    assert abs(t.global_weight("speed_satisfaction") - 0.25 / 4) <= RUST
    # the template as a dict, edited and read back (judgements instead of equal weights)
    spec = t.to_dict()
    spec["root"].pop("raw_weights")
    spec["root"]["judgements"] = {"upper": [2.0, 2.0, 0.5, 1.0, 1 / 3, 1 / 3]}
    edited = sq.IndicatorTree.from_dict(spec)
    assert edited.local_weight("speed") != 0.25
    assert edited.consistency("after_sales").n == 4


def test_weights_agree_with_rust(tree, rust_reference):
    for node in rust_reference["nodes"]:
        assert abs(tree.local_weight(node["id"]) - node["local_weight"]) <= RUST
        assert abs(tree.global_weight(node["id"]) - node["global_weight"]) <= RUST
        if node["consistency"] is not None:
            c = tree.consistency(node["id"]).to_dict()
            for key in ("lambda_max", "ci", "cr", "ri"):
                assert abs(c[key] - node["consistency"][key]) <= RUST
            assert c["ri_table"] == node["consistency"]["ri_table"]
