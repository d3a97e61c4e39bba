"""Service-quality evaluation backed by the Rust crate ``service-quality``.

The main path:

1. a model: :class:`IndicatorTree` from a model file, JSON text, a dict or the after-sales
   template; AHP judgements become weights (:class:`PairwiseMatrix`, :class:`Priorities`,
   :class:`ConsistencyReport`, :func:`random_index_table`); several experts with
   :class:`Panel` / :class:`GroupTree`;
2. merchants' data: :class:`Survey` and :class:`KpiTally` from CSV files or pandas DataFrames,
   giving :class:`Memberships`;
3. the evaluation: :class:`Evaluator` and :class:`Report` (dicts, pandas DataFrames);
4. many merchants at once: :class:`BatchScorer` over numpy arrays.

Errors are :class:`~service_quality.errors.ServiceQualityError` subclasses, one per area
(see :mod:`service_quality.errors`).
"""

from __future__ import annotations

from . import _frames, errors
from ._native import (
    DEFAULT_CR_THRESHOLD,
    FUZZY_OPERATORS,
    PRIORITY_METHODS,
    RANDOM_INDEX_TABLES,
    BatchResult,
    BatchScorer,
    ConsistencyReport,
    Evaluator,
    GradeSet,
    GroupTree,
    IndicatorTree,
    KpiModel,
    KpiTally,
    Memberships,
    PairwiseMatrix,
    Panel,
    Priorities,
    Report,
    Survey,
    __version__,
    random_index_table,
)
from .errors import (
    AhpError,
    AnalysisError,
    ArgumentError,
    BatchError,
    CsvError,
    EvaluationError,
    HierarchyError,
    InputError,
    NumericError,
    PanelError,
    ServiceQualityError,
    WeightsError,
)

__all__ = [
    "DEFAULT_CR_THRESHOLD",
    "FUZZY_OPERATORS",
    "PRIORITY_METHODS",
    "RANDOM_INDEX_TABLES",
    "BatchResult",
    "BatchScorer",
    "ConsistencyReport",
    "Evaluator",
    "GradeSet",
    "GroupTree",
    "IndicatorTree",
    "KpiModel",
    "KpiTally",
    "Memberships",
    "PairwiseMatrix",
    "Panel",
    "Priorities",
    "Report",
    "Survey",
    "__version__",
    "errors",
    "random_index_table",
    "reports_frame",
    "AhpError",
    "AnalysisError",
    "ArgumentError",
    "BatchError",
    "CsvError",
    "EvaluationError",
    "HierarchyError",
    "InputError",
    "NumericError",
    "PanelError",
    "ServiceQualityError",
    "WeightsError",
]


def reports_frame(reports):
    """One row per report: merchant, score, grade, grade label, weakest dimension and each
    dimension's score (a pandas DataFrame indexed by merchant, in the reports' order)."""
    import pandas as pd

    return pd.DataFrame([r.summary() for r in reports]).set_index("merchant")
