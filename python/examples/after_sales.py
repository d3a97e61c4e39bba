"""The after-sales evaluation of ``examples/after_sales.rs``, from pandas.

Loads the expert-weighted model (strict build: every CR < 0.10), reads the consumer survey
and the measured handling times as DataFrames, evaluates the 24 shops with M(·,+) and prints
the ranking and the weakest shop's report. Run from the repository root:

    python python/examples/after_sales.py
"""

from pathlib import Path

import pandas as pd

import service_quality as sq

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"

#: thresholds in minutes, best grade first, per indicator and class of case (urgent problems
#: need an immediate reply; ordinary ones a reasonable time), as in examples/after_sales.rs
KPI_SCALES = [
    ("first_reply", "urgent", [0.5, 2, 5, 10, 30]),
    ("first_reply", "ordinary", [5, 15, 30, 60, 180]),
    ("resolution_time", "urgent", [30, 60, 120, 240, 480]),
    ("resolution_time", "ordinary", [240, 720, 1440, 2880, 4320]),
    ("feedback_time", "urgent", [60, 120, 240, 480, 960]),
    ("feedback_time", "ordinary", [480, 1440, 2880, 4320, 7200]),
]

#: survey columns not read: speed is measured, so its perceived-speed columns are ignored
IGNORED = ["respondent", "first_reply", "resolution_time", "feedback_time"]


def kpi_model() -> sq.KpiModel:
    """The membership functions of the measured handling times."""
    model = sq.KpiModel()
    for indicator, case_class, minutes in KPI_SCALES:
        model = model.with_scale(indicator, case_class, minutes)
    return model


def main() -> None:
    # 1. the model: AHP weights from the experts' judgements, refused if any CR >= 0.10
    tree = sq.IndicatorTree.from_file(DATA / "after_sales_model.json").require_consistency(0.10)

    # 2. the data: survey answers and handling times, as DataFrames
    survey = sq.Survey.from_dataframe(pd.read_csv(DATA / "survey.csv"), tree,
                                      ignored_columns=IGNORED, on_bad_row="skip")
    kpi = sq.KpiTally.from_dataframe(pd.read_csv(DATA / "kpi.csv"), kpi_model(),
                                     on_bad_row="skip")

    # 3. every shop's report, ranked
    reports = sq.Evaluator(tree).report_all(survey, kpi)
    ranking = sq.reports_frame(reports).sort_values("score", ascending=False)

    print(pd.Series(tree.leaf_weights(), name="global weight").round(4).to_string(), "\n")
    print(ranking.round(2).to_string(), "\n")
    print(min(reports, key=lambda r: r.score))


if __name__ == "__main__":
    main()
