"""Scoring Spark DataFrames with ``service_quality`` (PySpark recipes).

Two recipes, both shipping only the model's JSON text to the executors (the package must be
installed on every worker, as any Python dependency of a UDF):

- :func:`score_survey_groups` — raw survey answers, one row per respondent: the rows of each
  merchant are grouped (``groupBy(merchant).applyInPandas``) and evaluated exactly as
  :meth:`Evaluator.report` evaluates them, one report summary per merchant.
- :func:`score_count_batches` — answer counts already aggregated, one row per merchant with a
  column per (indicator, grade): Arrow record batches go through :class:`BatchScorer` as numpy
  arrays without a per-row Python loop (``mapInArrow``), the fast path for millions of
  merchants.

Example (Spark local mode)::

    from pyspark.sql import SparkSession
    import service_quality as sq
    from service_quality.spark import score_survey_groups

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    answers = spark.read.csv("survey.csv", header=True)          # strings, as in the file
    model = open("after_sales_model.json", encoding="utf-8").read()
    scores = score_survey_groups(answers, model, ignored_columns=["respondent"])
    scores.orderBy("score", ascending=False).show()

Merchants that cannot be evaluated are kept, with null score and grade and the error's
message in ``error`` (the others are scored), so a bad merchant never fails the job.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional, Sequence

__all__ = [
    "SURVEY_SCHEMA",
    "COUNTS_SCHEMA",
    "score_survey_groups",
    "score_count_batches",
    "count_columns",
]

#: the columns of :func:`score_survey_groups`'s result
SURVEY_SCHEMA = (
    "merchant string, score double, grade int, grade_label string, "
    "weakest_dimension string, respondents long, error string"
)

#: the columns :func:`score_count_batches` adds to its input
COUNTS_SCHEMA = "score double, grade int, error string"


@lru_cache(maxsize=8)
def _evaluator(model_json: str, operator: str, unanswered: str):
    """The evaluator of a model, built once per Python worker."""
    import service_quality as sq

    tree = sq.IndicatorTree.from_json(model_json)
    return sq.Evaluator(tree, operator=operator, unanswered=unanswered)


def count_columns(model_json: str) -> list[str]:
    """The count columns :func:`score_count_batches` reads, in the scorer's order:
    ``{indicator}__{grade position 1..m}`` for every indicator of the model."""
    ev = _evaluator(model_json, "weighted_average", "reject")
    m = len(ev.grades)
    return [f"{leaf}__{j + 1}" for leaf in ev.tree.leaf_ids for j in range(m)]


def score_survey_groups(
    df,
    model_json: str,
    *,
    merchant_column: str = "merchant",
    ignored_columns: Sequence[str] = (),
    operator: str = "weighted_average",
    unanswered: str = "reject",
    on_bad_row: str = "stop",
):
    """One row per merchant (:data:`SURVEY_SCHEMA`) from survey answers, one row per
    respondent: ``df.groupBy(merchant_column).applyInPandas(...)``.

    The columns are those of a survey file (``Survey.from_dataframe``): the merchant, one
    column per indicator holding grade labels or positions, and ``ignored_columns``.
    """
    import pandas as pd

    import service_quality as sq

    ignored = list(ignored_columns)
    columns = ["merchant", "score", "grade", "grade_label", "weakest_dimension",
               "respondents", "error"]

    def evaluate(group: pd.DataFrame) -> pd.DataFrame:
        ev = _evaluator(model_json, operator, unanswered)
        merchant = str(group[merchant_column].iloc[0])
        row = {"merchant": merchant, "score": None, "grade": None, "grade_label": None,
               "weakest_dimension": None, "respondents": len(group), "error": None}
        try:
            survey = sq.Survey.from_dataframe(
                group, ev.tree, ev.grades, merchant_column=merchant_column,
                ignored_columns=ignored, on_bad_row=on_bad_row)
            report = ev.report(merchant, survey.memberships(merchant))
            row.update(score=report.score, grade=report.grade,
                       grade_label=report.grade_label(),
                       weakest_dimension=report.weakest_dimension)
        except sq.ServiceQualityError as e:
            row["error"] = str(e)
        return pd.DataFrame([row], columns=columns)

    return df.groupBy(merchant_column).applyInPandas(evaluate, schema=SURVEY_SCHEMA)


def score_count_batches(
    df,
    model_json: str,
    *,
    columns: Optional[Sequence[str]] = None,
    operator: str = "weighted_average",
    unanswered: str = "reject",
):
    """The input's rows with ``score``, ``grade`` and ``error`` added
    (:data:`COUNTS_SCHEMA`), scored batch by batch with :class:`BatchScorer`
    (``df.mapInArrow``).

    ``columns`` are the count columns in the scorer's order (default
    :func:`count_columns`: ``{indicator}__{1..m}``), integer counts of answers per grade.
    """
    import numpy as np
    import pyarrow as pa

    import service_quality as sq

    names = list(columns) if columns is not None else count_columns(model_json)
    from pyspark.sql.types import IntegerType, DoubleType, StringType, StructField, StructType

    schema = StructType(list(df.schema.fields) + [
        StructField("score", DoubleType()),
        StructField("grade", IntegerType()),
        StructField("error", StringType()),
    ])

    def score(batches):
        scorer = sq.BatchScorer(_evaluator(model_json, operator, unanswered))
        for batch in batches:
            n = batch.num_rows
            counts = np.empty((n, len(names)), dtype=np.uint32)
            for j, name in enumerate(names):
                column = batch.column(name).to_numpy(zero_copy_only=False)
                counts[:, j] = sq._frames.counts_as_uint32(column)
            result = scorer.score_counts(counts)
            valid = np.ones(n, dtype=bool)
            errors = [None] * n
            for i, e in result.failures:
                valid[i] = False
                errors[i] = str(e)
            arrays = list(batch.columns) + [
                pa.array(result.scores, mask=~valid),
                pa.array(result.grades.astype(np.int32), mask=~valid),
                pa.array(errors, type=pa.string()),
            ]
            yield pa.RecordBatch.from_arrays(arrays, schema=pa.schema(
                list(batch.schema) + [pa.field("score", pa.float64()),
                                      pa.field("grade", pa.int32()),
                                      pa.field("error", pa.string())]))

    return df.mapInArrow(score, schema)
