"""Errors: one base class, a class per area, the crate's message and context."""

from __future__ import annotations

import pickle

import pytest

import service_quality as sq
from service_quality import errors

AREAS = [
    "ArgumentError", "NumericError", "AhpError", "WeightsError", "HierarchyError",
    "PanelError", "EvaluationError", "InputError", "CsvError", "IntakeError", "BatchError",
    "AnalysisError", "OutcomeError", "McdmError",
    "SensitivityError",
]


def test_every_area_is_a_service_quality_error_and_a_value_error():
    for name in AREAS:
        cls = getattr(sq, name)
        assert cls is getattr(errors, name)
        assert issubclass(cls, sq.ServiceQualityError)
        assert issubclass(cls, ValueError)


def test_node_path_and_message_of_a_hierarchy_error():
    model = {"root": {"id": "goal", "label": "Goal", "weights": [1.0], "children": [
        {"id": "empty", "label": "Empty", "weights": [1.0]}]}}
    with pytest.raises(sq.HierarchyError) as info:
        sq.IndicatorTree.from_dict(model)
    e = info.value
    assert e.node_path == "empty"
    assert e.kind == "EmptyGroup"
    assert str(e) == "at node `empty`: group has weights or judgements but no children"
    assert e.expert is None and e.line is None


def test_strict_build_names_the_inconsistent_node():
    # 1 < 2 < 3 but 1 > 3 wildly: CR far above 0.1
    model = {"root": {"id": "goal", "label": "Goal",
                      "judgements": {"upper": [9.0, 1 / 9, 9.0]},
                      "children": [{"id": c, "label": c} for c in "abc"]}}
    tree = sq.IndicatorTree.from_dict(model)  # the lenient build accepts it
    assert not tree.is_consistent()
    with pytest.raises(sq.HierarchyError) as info:
        tree.require_consistency(0.1)
    assert "`goal` (CR 6.13" in str(info.value)


def test_csv_error_has_its_line(tree):
    text = "merchant,courtesy\nshop-a,satisfied\nshop-a,excellent\n"
    with pytest.raises(sq.CsvError) as info:
        sq.Survey.from_csv_text(text, tree)
    assert info.value.line == 3
    assert info.value.kind == "BadCell"
    assert "excellent" in str(info.value)


def test_expert_index_of_a_panel_error():
    panel = {"experts": [
        {"name": "A", "root": {"id": "g", "label": "G", "judgements": {"upper": [2.0]},
                               "children": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}]}},
        {"name": "B", "root": {"id": "g", "label": "G", "judgements": {"upper": [-2.0]},
                               "children": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}]}},
    ]}
    with pytest.raises(sq.ServiceQualityError) as info:
        sq.GroupTree.from_dict(panel)
    assert info.value.expert == 1
    assert isinstance(info.value, sq.AhpError)


def test_unknown_option_names_are_argument_errors():
    m = sq.PairwiseMatrix.from_upper_triangle(3, [2.0, 4.0, 2.0])
    with pytest.raises(sq.ArgumentError, match="priority method"):
        m.priorities(method="power")
    with pytest.raises(sq.ArgumentError, match="random index"):
        m.priorities(random_index="nope")
    with pytest.raises(sq.ArgumentError, match="fuzzy operator"):
        sq.Evaluator(sq.IndicatorTree.after_sales_template(), operator="max")


def test_exceptions_pickle_with_their_context():
    e = sq.HierarchyError("at node `x`: bad", "x", None, None, "EmptyGroup")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is sq.HierarchyError
    assert (str(back), back.node_path, back.kind) == (str(e), "x", "EmptyGroup")


def test_no_panic_on_hostile_input(tree):
    # values that the crate must reject with a typed error (never a PanicException)
    hostile = [
        lambda: sq.PairwiseMatrix([[1.0, float("nan")], [float("nan"), 1.0]]),
        lambda: sq.PairwiseMatrix.from_upper_triangle(0, []),
        lambda: sq.PairwiseMatrix.from_upper_triangle(3, [1.0, 2.0]),
        lambda: sq.PairwiseMatrix.from_judgements(3, [(0, 5, 2.0)]),
        lambda: sq.GradeSet(["a"], [1.0]),
        lambda: sq.GradeSet(["a", "b"], [float("inf"), 1.0]),
        lambda: sq.IndicatorTree.from_json("{"),
        lambda: sq.IndicatorTree.from_json("[" * 10000),
        lambda: sq.IndicatorTree.from_dict({"root": {"id": "g", "label": "G",
                                                     "weights": [float("nan")],
                                                     "children": [{"id": "a", "label": "a"}]}}),
        lambda: tree.global_weight("nowhere"),
        lambda: sq.Memberships().insert("courtesy", [0.5, 0.5], 2),
        lambda: sq.Memberships().insert("courtesy", [2.0, 0, 0, 0, 0], 2),
        lambda: sq.KpiModel().with_scale("first_reply", "urgent", [3.0, 2.0, 1.0, 0.5, 0.1]),
        lambda: sq.random_index_table("unknown"),
        lambda: sq.PairwiseMatrix.from_upper_triangle(3, [2.0, 4.0, 2.0]).priorities(max_iter=0),
        lambda: sq.PairwiseMatrix.from_upper_triangle(3, [2.0, 4.0, 2.0]).priorities(tol=-1.0),
    ]
    for make in hostile:
        with pytest.raises(sq.ServiceQualityError):
            make()
