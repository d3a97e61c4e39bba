"""The PySpark recipes in Spark local mode: the scores equal those of the package run
directly. Skipped, with the reason printed (`pytest -rs`), without pyspark or a Java runtime."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import service_quality as sq
from conftest import DATA, RUST


def _spark_or_skip():
    try:
        import pyspark  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as e:
        reason = f"PySpark recipe not run: {e.name} is not installed (pip install pyspark pyarrow)"
        print(reason)
        pytest.skip(reason)
    java = shutil.which("java")
    if java is None or subprocess.run([java, "-version"], capture_output=True).returncode != 0:
        reason = "PySpark recipe not run: no Java runtime (`java`) on PATH"
        print(reason)
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master("local[1]").appName("service_quality-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate())


@pytest.fixture(scope="module")
def spark():
    session = _spark_or_skip()
    yield session
    session.stop()


MODEL = (DATA / "after_sales_model.json").read_text(encoding="utf-8")


def test_survey_groups(spark):
    from service_quality.spark import score_survey_groups

    answers = pd.read_csv(DATA / "survey.csv", dtype=str, keep_default_na=False)
    # one merchant whose answers cannot be evaluated (no answer at all on an indicator)
    bad = answers[answers.merchant == "shop-01"].copy()
    bad["merchant"] = "shop-bad"
    bad["courtesy"] = ""
    frame = pd.concat([answers, bad], ignore_index=True)
    got = score_survey_groups(spark.createDataFrame(frame), MODEL,
                              ignored_columns=["respondent"]).toPandas()
    got = got.set_index("merchant")

    tree = sq.IndicatorTree.from_json(MODEL)
    survey = sq.Survey.from_dataframe(answers, tree, ignored_columns=["respondent"])
    want = {r.merchant: r for r in sq.Evaluator(tree).report_all(survey)}
    assert set(got.index) == set(want) | {"shop-bad"}
    for merchant, r in want.items():
        assert abs(got.loc[merchant, "score"] - r.score) <= RUST
        assert got.loc[merchant, "grade"] == r.grade
        assert got.loc[merchant, "weakest_dimension"] == r.weakest_dimension
        assert pd.isna(got.loc[merchant, "error"])
    assert pd.isna(got.loc["shop-bad", "score"])
    assert "courtesy" in got.loc["shop-bad", "error"]


def test_count_batches(spark):
    from service_quality.spark import count_columns, score_count_batches

    names = count_columns(MODEL)
    rng = np.random.default_rng(7)
    counts = rng.integers(0, 30, size=(500, len(names)))
    counts[3, :5] = 0  # no answer on the first indicator: not scored
    frame = pd.DataFrame(counts, columns=names)
    frame.insert(0, "merchant", [f"m{i:04d}" for i in range(len(frame))])
    got = score_count_batches(spark.createDataFrame(frame), MODEL).toPandas()
    got = got.set_index("merchant").loc[frame.merchant]

    scorer = sq.BatchScorer(sq.Evaluator(sq.IndicatorTree.from_json(MODEL)))
    want = scorer.score_counts(counts.astype(np.uint32))
    ok = np.ones(len(frame), dtype=bool)
    ok[want.failed] = False
    assert want.failed == [3]
    assert np.array_equal(got["score"].to_numpy()[ok], want.scores[ok])
    assert np.array_equal(got["grade"].to_numpy()[ok], want.grades[ok])
    assert got["score"].isna().to_numpy()[3] and "first_reply" in got["error"].iloc[3]
