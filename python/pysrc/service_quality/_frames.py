"""Conversions between pandas / numpy objects and the inputs of the compiled module."""

from __future__ import annotations

import numpy as np

from .errors import ArgumentError


def dataframe_to_csv(frame, delimiter: str = ",") -> str:
    """CSV text of a DataFrame for the survey and KPI readers.

    The index is not written. Float columns whose values are all whole numbers (integers
    stored as float because of NaN for missing answers) are written as integers, so that a
    grade position ``2`` is not written ``2.0``; missing values become empty cells.
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError(
            f"expected a pandas DataFrame, got {type(frame).__name__}", kind="BadValue"
        )
    out = frame.copy(deep=False)
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_float_dtype(series.dtype):
            values = series.to_numpy(dtype="float64", na_value=np.nan)
            finite = values[~np.isnan(values)]
            if finite.size and np.all(np.isfinite(finite)) and np.all(finite == np.round(finite)):
                out[column] = series.astype("Int64")
    return out.to_csv(index=False, sep=delimiter, lineterminator="\n")


def counts_as_uint32(counts) -> np.ndarray:
    """Integer counts of any integer dtype as uint32, checked to lie in 0..2**32-1."""
    array = np.asarray(counts)
    if array.dtype.kind not in "iub":
        raise ArgumentError(
            f"counts: expected an integer array (uint8, uint16 or uint32 are read in place), "
            f"got dtype {array.dtype}",
            kind="BadArray",
        )
    if array.size:
        low, high = int(array.min()), int(array.max())
        if low < 0 or high > np.iinfo(np.uint32).max:
            bad = low if low < 0 else high
            at = int(np.argmin(array) if low < 0 else np.argmax(array))
            raise ArgumentError(
                f"counts: value {bad} at flat index {at} is not a count (0..={np.iinfo(np.uint32).max})",
                kind="BadArray",
            )
    return np.ascontiguousarray(array, dtype=np.uint32)


def offsets_as_list(offsets) -> list:
    """Row offsets of merchants as a list of non-negative ints."""
    array = np.asarray(offsets)
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
        raise ArgumentError(
            f"offsets: expected a 1-d integer array, got shape {array.shape} dtype {array.dtype}",
            kind="BadArray",
        )
    if array.size and int(array.min()) < 0:
        raise ArgumentError(
            f"offsets: negative offset {int(array.min())} at index {int(np.argmin(array))}",
            kind="BadArray",
        )
    return array.astype(np.int64).tolist()


def responses_matrix(data, ids=None):
    """``(ids, float64 2-D C-contiguous array)`` of an analysis table: a pandas DataFrame
    (the columns ``ids``, or all; numeric columns only, NaN / NA read as missing) or a 2-D
    array-like (``ids`` default to ``"0", "1", ...``)."""
    if _is_dataframe(data):
        import pandas as pd

        frame = data if ids is None else data[list(ids)]
        for column in frame.columns:
            dtype = frame[column].dtype
            if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
                raise ArgumentError(
                    f"column {column!r}: expected numbers, got dtype {dtype}", kind="BadValue"
                )
        names = [str(c) for c in frame.columns]
        array = frame.to_numpy(dtype="float64", na_value=np.nan)
    else:
        try:
            array = np.asarray(data, dtype="float64")
        except (TypeError, ValueError) as e:
            raise ArgumentError(f"not a table of numbers: {e}", kind="BadArray") from None
        if array.ndim != 2:
            raise ArgumentError(
                f"expected a 2-D array (rows, variables), got shape {array.shape}",
                kind="BadShape",
            )
        if ids is None:
            names = [str(j) for j in range(array.shape[1])]
        else:
            names = [str(i) for i in ids]
            if len(names) != array.shape[1]:
                raise ArgumentError(
                    f"ids: {len(names)} names for {array.shape[1]} columns", kind="BadShape"
                )
    return names, np.ascontiguousarray(array, dtype="float64")


def _is_dataframe(data) -> bool:
    """True for a pandas DataFrame (without importing pandas when it is not loaded)."""
    import sys

    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(data, pd.DataFrame)


def batch_data(data) -> np.ndarray:
    """Merchants' data in one of the batch scorer's forms, C-contiguous: float64 memberships
    (any float array), or uint8 / uint16 / uint32 counts (other integer types checked and
    converted to uint32)."""
    array = np.asarray(data)
    if array.dtype.kind == "f":
        return np.ascontiguousarray(array, dtype=np.float64)
    if array.dtype in (np.uint8, np.uint16, np.uint32):
        return np.ascontiguousarray(array)
    return counts_as_uint32(array)
