"""Survey layouts, questionnaire exports and the paper tables.

The counts of the bundled Wenjuanxing export are compared with the crate's (the `intake` part
of `python/reference`) and with a tally by pandas of the same file (an independent reading:
labels and aliases mapped by hand, the "no answer" cells missing); the weight and merchant
tables with the crate's, number by number and as rendered text.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import service_quality as sq
from conftest import DATA, IGNORED, RUST
from test_analysis import assert_close

LAYOUT = DATA / "wenjuanxing_layout.json"
EXPORT = DATA / "wenjuanxing_export.csv"


@pytest.fixture(scope="module")
def layout() -> sq.SurveyLayout:
    return sq.SurveyLayout.from_file(LAYOUT)


def pandas_tally(tree, layout_json: dict):
    """`(merchants, counts (merchants, leaves, grades), missing (merchants, leaves))` of the
    export by pandas: every cell mapped to a grade by the satisfaction aliases."""
    frame = pd.read_csv(EXPORT, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    grades = {"很满意": 0, "非常满意": 0, "满意": 1, "一般": 2, "不满意": 3, "很不满意": 4, "非常不满意": 4}
    number = {c.split("、")[0]: c for c in frame.columns if "、" in c}
    leaves = tree.leaf_ids
    merchant = layout_json["merchant"]
    merchants = list(dict.fromkeys(frame[merchant]))
    counts = np.zeros((len(merchants), len(leaves), 5), dtype=np.uint32)
    missing = np.zeros((len(merchants), len(leaves)), dtype=np.uint32)
    for q, leaf in layout_json["questions"].items():
        column, j = number[q], leaves.index(leaf)
        for m, cell in zip(frame[merchant], frame[column]):
            i = merchants.index(m)
            if cell.strip() in grades:
                counts[i, j, grades[cell.strip()]] += 1
            else:
                assert cell.strip() in ("", "(跳过)", "(空)", "-3"), cell
                missing[i, j] += 1
    return merchants, counts, missing


def test_export_counts_are_the_crate_s_and_pandas(tree, layout, rust_reference):
    want = rust_reference["intake"]
    merchants, counts, missing = pandas_tally(tree, json.loads(LAYOUT.read_text(encoding="utf-8")))
    for name in ("wenjuanxing_export.csv", "wenjuanxing_export_gbk.csv"):
        for source in (DATA / name, str(DATA / name), (DATA / name).read_bytes()):
            c = sq.SurveyCounts.read(source, tree, layout)
            crate = want[name]
            assert c.merchants == crate["merchants"] == merchants
            assert c.leaf_ids == crate["leaf_ids"] == tree.leaf_ids
            assert c.answered_leaves == crate["answered_leaves"]
            assert c.counts.dtype == np.uint32 and c.counts.shape == counts.shape
            assert c.counts.ravel().tolist() == crate["counts"]
            assert c.missing.ravel().tolist() == crate["missing"]
            assert c.respondents.tolist() == crate["respondents"]
            assert np.array_equal(c.counts, counts) and np.array_equal(c.missing, missing)
            assert len(c) == len(merchants) and c.rows_read == 367 and c.skipped == []
    # the same text saved as UTF-16 with a byte-order mark (Excel's "Unicode Text")
    utf16 = EXPORT.read_text(encoding="utf-8-sig").encode("utf-16")
    assert np.array_equal(sq.SurveyCounts.read(utf16, tree, layout).counts, counts)
    parallel = sq.SurveyCounts.read(EXPORT, tree, layout, parallel=True)
    assert np.array_equal(parallel.counts, counts)
    # the same answers as downloaded in Excel form (the package is built with the crate's
    # `xlsx` feature): a path ending in .xlsx is read as a workbook
    workbook = sq.SurveyCounts.read(DATA / "wenjuanxing_export.xlsx", tree, layout)
    assert workbook.merchants == merchants and np.array_equal(workbook.counts, counts)
    survey = sq.Survey.from_layout(DATA / "wenjuanxing_export.xlsx", tree, layout)
    assert survey.merchant_names == merchants


def test_export_survey_scores_as_its_counts(tree, layout):
    survey = sq.Survey.from_layout(EXPORT, tree, layout)
    counts = sq.SurveyCounts.read(EXPORT.read_bytes(), tree, layout)
    assert survey.merchant_names == counts.merchants
    evaluator = sq.Evaluator(tree, unanswered="exclude")
    scorer = sq.BatchScorer(evaluator)
    batch = scorer.score_counts(counts.counts)
    for i, merchant in enumerate(survey.merchant_names):
        t = survey.tally(merchant)
        for j, leaf in enumerate(tree.leaf_ids):
            assert t["counts"][leaf] == counts.counts[i, j].tolist()
        single = evaluator.report(merchant, survey.memberships(merchant))
        assert abs(single.score - batch.scores[i]) <= 1e-10  # tests/common/tol.rs CLOSED_FORM_SCORE


def test_layouts_are_built_and_checked(tree):
    layout = (
        sq.SurveyLayout.wenjuanxing("店铺")
        .with_question("1", "courtesy")
        .with_question("2", "respect")
        .with_respondent_column("序号")
        .with_no_answer("无")
        .with_alias("很满意", "超级满意")
        .with_encoding("gbk")
        .with_delimiter(";")
        .with_on_bad_row("skip")
    )
    assert layout.questions == [("1", "courtesy"), ("2", "respect")]
    assert layout.merchant_column == "店铺" and layout.respondent_column == "序号"
    assert "无" in layout.no_answer and "超级满意" in layout.aliases[0]
    assert (layout.encoding, layout.delimiter, layout.on_bad_row) == ("gbk", ";", "skip")
    assert sq.SurveyLayout.from_dict({"merchant": "m", "codes": {"best": 5, "worst": 1}}).codes == (5, 1)
    assert sq.SurveyLayout.from_file(LAYOUT) == sq.SurveyLayout.from_json(LAYOUT.read_text(encoding="utf-8"))
    file = "序号;店铺;1、客服是否礼貌;2、是否尊重您\n1;shop-a;超级满意;无\n2;shop-a;满意;一般\n3;shop-a;好;一般\n"
    survey = sq.Survey.from_layout(file.encode("gbk"), tree, layout)
    assert survey.tally("shop-a")["counts"]["courtesy"] == [1, 1, 0, 0, 0]
    assert len(survey.skipped) == 1 and survey.skipped[0].line == 4
    assert isinstance(survey.skipped[0], sq.IntakeError)
    with pytest.raises(sq.IntakeError) as e:
        sq.Survey.from_layout(file.encode("gbk"), tree, layout.with_on_bad_row("stop"))
    assert e.value.line == 4 and e.value.kind == "BadCell"
    with pytest.raises(sq.IntakeError):
        sq.SurveyLayout.from_json('{"codes": {"best": 1, "worst": 3}}')
    with pytest.raises(sq.IntakeError):
        sq.SurveyLayout().with_encoding("latin-9")
    with pytest.raises(sq.IntakeError) as e:
        sq.SurveyCounts.read(b"merchant,nonsense\nm,1\n", tree, sq.SurveyLayout())
    assert e.value.kind == "UnmappedColumn"
    with pytest.raises(sq.ArgumentError):
        sq.SurveyCounts.read(42, tree, sq.SurveyLayout())


def test_weight_tables_are_the_crate_s(tree, rust_reference):
    want = rust_reference["weight_table"]
    w = sq.WeightTable(tree)
    assert_close(w.to_dict(), want["data"], RUST, "weight table", relative=True)
    rendered = [t.text("zh") for t in w.tables()]
    assert rendered == want["rendered"]
    assert w.judged_ids == [n["id"] for n in want["data"]["judged"]]
    assert w.matrix_table(w.judged_ids[0]).text("zh") == rendered[0]
    n = len(w.judged_ids)
    assert [w.consistency_table().text("zh"), w.indicator_table().text("zh"), w.overall_table().text("zh")] == rendered[n:]
    frame = w.indicator_table().to_frame()
    assert len(frame) == tree.leaf_count
    assert w.threshold == 0.1 and w.ri_table == "saaty1980"
    with pytest.raises(sq.ArgumentError):
        w.matrix_table("courtesy")


def test_merchant_tables_are_the_crate_s(tree, kpi_model, rust_reference):
    want = rust_reference["merchant_tables"]
    survey = sq.Survey.from_csv(DATA / "survey.csv", tree, ignored_columns=list(IGNORED), on_bad_row="skip")
    kpi = sq.KpiTally.from_csv(DATA / "kpi.csv", kpi_model, on_bad_row="skip")
    merchant = want["merchant"]
    data = survey.memberships(merchant)
    data.merge(kpi.memberships(merchant))
    t = sq.MerchantTables(sq.Evaluator(tree), merchant, data)
    assert_close(t.to_dict(), want["tables"], RUST, "merchant tables", relative=True)
    assert [x.markdown("zh") for x in t.tables()] == want["rendered"]
    assert t.summary_table().markdown("zh") == want["rendered"][0]
    assert t.composition_table(t.composed_ids[0]).markdown("zh") == want["rendered"][1]
    assert [n["id"] for n in t.nodes()] == tree.node_ids and t.merchant == merchant
    with pytest.raises(sq.ArgumentError):
        t.composition_table("courtesy")
