"""Exceptions raised by ``service_quality``.

Every error of the Rust crate arrives as an instance of one class per area, all subclasses of
:class:`ServiceQualityError` (itself a :class:`ValueError`). The message is the crate's own;
the context the crate attaches is kept as attributes:

- ``node_path``: dotted path of the node of the indicator tree where the error happened
  (for example ``"attitude.courtesy"``), or ``None``;
- ``expert``: 0-based index of the expert of a panel, or ``None``;
- ``line``: 1-based line of a CSV file (or, for a DataFrame, its row + 2), or ``None``;
- ``kind``: the name of the error within its area (``"EmptyGroup"``, ``"InvalidMembership"``,
  ...), to match on without parsing the message.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "ServiceQualityError",
    "ArgumentError",
    "NumericError",
    "AhpError",
    "WeightsError",
    "HierarchyError",
    "PanelError",
    "EvaluationError",
    "InputError",
    "CsvError",
    "IntakeError",
    "BatchError",
    "AnalysisError",
    "OutcomeError",
    "McdmError",
    "SensitivityError",
]


class ServiceQualityError(ValueError):
    """Base class of every error raised by ``service_quality``."""

    def __init__(
        self,
        message: str,
        node_path: Optional[str] = None,
        expert: Optional[int] = None,
        line: Optional[int] = None,
        kind: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.node_path = node_path
        self.expert = expert
        self.line = line
        self.kind = kind

    def __reduce__(self):  # picklable, e.g. across Spark workers
        return (type(self), (self.message, self.node_path, self.expert, self.line, self.kind))


class ArgumentError(ServiceQualityError):
    """An empty input, a wrong number of values, an invalid parameter, an unknown option name
    or an array of the wrong shape or type."""


class NumericError(ServiceQualityError):
    """A numerical algorithm did not converge or left the range of float64."""


class AhpError(ServiceQualityError):
    """A pairwise comparison matrix, its judgements, or a random index table."""


class WeightsError(ServiceQualityError):
    """A weight vector (negative, not finite, not summing to 1)."""


class HierarchyError(ServiceQualityError):
    """The structure or weighting of the indicator tree, a model file, or judgements refused
    by ``IndicatorTree.require_consistency``."""


class PanelError(ServiceQualityError):
    """An expert panel (sizes, weights, structures that differ between experts)."""


class EvaluationError(ServiceQualityError):
    """Fuzzy comprehensive evaluation: grades, memberships, data that do not fit the tree."""


class InputError(ServiceQualityError):
    """Survey answers and KPI measurements (unknown merchant, grade out of range, ...)."""


class CsvError(ServiceQualityError):
    """A CSV file or DataFrame: header, cells, or the reader (``line`` says where)."""


class IntakeError(ServiceQualityError):
    """A questionnaire export read with a survey layout: encoding, unmapped or missing
    columns, cells that are no grade, an inconsistent layout (``line`` says where, for a
    text file)."""


class BatchError(ServiceQualityError):
    """The inputs of batch scoring (lengths, offsets)."""


class AnalysisError(ServiceQualityError):
    """Statistical analysis of survey data."""


class OutcomeError(ServiceQualityError):
    """Using the results: scoreboards, rankings, tiers, rectification and alert rules
    (malformed rules or boards, unknown nodes, boards of different models)."""


class McdmError(ServiceQualityError):
    """Multi-criteria methods: decision matrices, objective and combined weights, TOPSIS, grey
    relational analysis, rank-sum ratio, VIKOR."""


class SensitivityError(ServiceQualityError):
    """Sensitivity analysis: weight ranges, unknown or fixed nodes, Monte Carlo options."""
