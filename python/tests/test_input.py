"""Survey and KPI input from CSV paths, CSV text and pandas DataFrames; memberships."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import service_quality as sq
from conftest import DATA, IGNORED, RUST

GRADES = sq.GradeSet.satisfaction_5()


@pytest.fixture(scope="module")
def frame():
    return pd.read_csv(DATA / "survey.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def survey(tree):
    return sq.Survey.from_csv(DATA / "survey.csv", tree, ignored_columns=IGNORED,
                              on_bad_row="skip")


def test_path_text_and_frame_agree(tree, survey, frame):
    text = (DATA / "survey.csv").read_text(encoding="utf-8")
    from_text = sq.Survey.from_csv_text(text, tree, GRADES, ignored_columns=IGNORED,
                                        on_bad_row="skip")
    from_frame = sq.Survey.from_dataframe(pd.read_csv(DATA / "survey.csv"), tree,
                                          ignored_columns=IGNORED, on_bad_row="skip")
    assert survey.merchant_names == from_text.merchant_names == from_frame.merchant_names
    assert survey.rows_read == from_text.rows_read == from_frame.rows_read == len(frame)
    for merchant in survey.merchant_names:
        assert survey.tally(merchant) == from_text.tally(merchant) == from_frame.tally(merchant)
    assert len(survey) == 24 and survey.respondents == len(frame)
    assert survey.indicators == [c for c in frame.columns if c not in IGNORED + ["merchant"]]
    assert "Survey(" in repr(survey)


def test_tally_against_pandas(survey, frame):
    """The counts per merchant, indicator and grade, counted independently with pandas."""
    labels = GRADES.labels_zh
    for merchant, rows in frame.groupby("merchant", sort=False):
        t = survey.tally(merchant)
        assert t["respondents"] == len(rows)
        for indicator in survey.indicators:
            cells = rows[indicator].str.strip()
            want = [int((cells == label).sum()) for label in labels]
            assert t["counts"][indicator] == want, (merchant, indicator)
            assert t["missing"][indicator] == int((cells == "").sum())
        data = survey.memberships(merchant).to_dict()
        for indicator in survey.indicators:
            counts = np.array(t["counts"][indicator], dtype=float)
            assert np.allclose(data[indicator]["row"], counts / counts.sum(), rtol=0, atol=RUST)


def test_integer_codes_with_missing_values(tree):
    # positions 1..5 with NaN for a missing answer: a float column in pandas
    df = pd.DataFrame({"merchant": ["a", "a", "b"], "courtesy": [1, None, 5],
                       "respect": [2.0, 3.0, 4.0]})
    s = sq.Survey.from_dataframe(df, tree)
    assert s.tally("a")["counts"]["courtesy"] == [1, 0, 0, 0, 0]
    assert s.tally("a")["missing"]["courtesy"] == 1
    assert s.tally("b")["counts"]["respect"] == [0, 0, 0, 1, 0]
    points = sq.GradeSet.satisfaction_5_points()
    by_value = sq.Survey.from_dataframe(df, tree, points, grade_numbers="value")
    assert by_value.tally("b")["counts"]["courtesy"] == [1, 0, 0, 0, 0]


def test_bad_rows_stop_or_are_skipped(tree):
    df = pd.DataFrame({"merchant": ["a", "a", "b"], "courtesy": ["满意", "superb", "一般"]})
    with pytest.raises(sq.CsvError) as info:
        sq.Survey.from_dataframe(df, tree)
    assert info.value.line == 3  # frame row 1 = line 3 (the header is line 1)
    s = sq.Survey.from_dataframe(df, tree, on_bad_row="skip")
    assert s.rows_read == 2 and len(s.skipped) == 1
    assert isinstance(s.skipped[0], sq.CsvError) and s.skipped[0].line == 3
    with pytest.raises(sq.CsvError, match="speed"):
        sq.Survey.from_csv_text("merchant,speed\n", tree)
    with pytest.raises(sq.ArgumentError):
        sq.Survey.from_csv(DATA / "no_such_file.csv", tree)
    with pytest.raises(sq.ArgumentError):
        sq.Survey.from_dataframe({"merchant": ["a"]}, tree)
    with pytest.raises(sq.ArgumentError):
        sq.Survey.from_csv_text("merchant\n", tree, on_bad_row="ignore")
    with pytest.raises(sq.ArgumentError):
        sq.Survey.from_csv_text("merchant\n", tree, delimiter=";;")


def test_survey_by_hand():
    s = sq.Survey(["courtesy", "advice"])
    s.add_response("shop-a", [0, None])
    s.add_response("shop-a", [1, 1])
    data = s.memberships("shop-a").to_dict()
    assert data["courtesy"] == {"row": [0.5, 0.5, 0.0, 0.0, 0.0], "observed": 2, "missing": 0}
    assert data["advice"]["missing"] == 1
    with pytest.raises(sq.InputError):
        s.add_response("shop-a", [7, 0])
    with pytest.raises(sq.ArgumentError):
        s.add_response("shop-a", [0])
    with pytest.raises(sq.InputError):
        s.memberships("shop-z")
    with pytest.raises(sq.InputError):
        s.tally("shop-z")


def test_kpi_path_text_frame_and_scales(kpi_model):
    path = DATA / "kpi.csv"
    a = sq.KpiTally.from_csv(path, kpi_model, on_bad_row="skip")
    b = sq.KpiTally.from_csv_text(path.read_text(encoding="utf-8"), kpi_model, on_bad_row="skip")
    c = sq.KpiTally.from_dataframe(pd.read_csv(path), kpi_model, on_bad_row="skip")
    assert a.merchant_names == b.merchant_names == c.merchant_names
    assert a.rows_read == b.rows_read == c.rows_read
    for m in a.merchant_names:
        assert a.memberships(m).to_dict() == b.memberships(m).to_dict() == c.memberships(m).to_dict()
    assert sorted(kpi_model.indicators) == ["feedback_time", "first_reply", "resolution_time"]
    # the triangular partition (closed form): 3.5 min is halfway between 2 and 5 min
    r = kpi_model.membership("first_reply", "urgent", 3.5)
    assert r == pytest.approx([0.0, 0.5, 0.5, 0.0, 0.0], abs=RUST)
    r = kpi_model.membership("first_reply", "urgent", 2.75)
    assert r == pytest.approx([0.0, 0.75, 0.25, 0.0, 0.0], abs=RUST)
    with pytest.raises(sq.ArgumentError):
        kpi_model.membership("first_reply", "vip", 1.0)
    with pytest.raises(sq.InputError):
        kpi_model.membership("first_reply", "urgent", -1.0)
    assert "KpiModel" in repr(kpi_model) and "KpiTally" in repr(a)


def test_kpi_by_hand(kpi_model):
    t = sq.KpiTally(kpi_model)
    order = t.indicators
    t.add_case("m", "c1", "urgent", [3.5 if i == "first_reply" else None for i in order])
    row = t.memberships("m").to_dict()["first_reply"]
    assert row["row"] == pytest.approx([0.0, 0.5, 0.5, 0.0, 0.0], abs=RUST)
    with pytest.raises(sq.InputError):
        t.add_case("m", "c2", "urgent", [float("nan")] * len(order))


def test_memberships(survey, kpi_model):
    m = sq.Memberships()
    m.insert("courtesy", [0.5, 0.5, 0, 0, 0], 2, missing=1)
    m.insert_unobserved("respect", 3)
    assert m.indicators == ["courtesy", "respect"] and len(m) == 2 and m.n_grades == 5
    frame = m.to_frame(sq.GradeSet.satisfaction_5())
    assert list(frame.columns[:5]) == sq.GradeSet.satisfaction_5().labels
    assert np.isnan(frame.loc["respect"].iloc[0]) and frame.loc["courtesy", "missing"] == 1
    with pytest.raises(sq.InputError):
        m.insert("courtesy", [1, 0, 0, 0, 0], 1)
    merged = survey.memberships("shop-01")
    kpi = sq.KpiTally.from_csv(DATA / "kpi.csv", kpi_model, on_bad_row="skip")
    merged.merge(kpi.memberships("shop-01"))
    assert len(merged) == 13
    with pytest.raises(sq.InputError):
        merged.merge(kpi.memberships("shop-01"))
    assert "Memberships" in repr(m)
