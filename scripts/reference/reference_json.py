"""Writing reference values as JSON for the tests under tests/data/.

Shared by the reference scripts beside this file.  Floats are written by Python's json
module, which uses repr(), the shortest string that round-trips: serde_json (feature
float_roundtrip) reads back exactly the f64 computed here.  NaN and infinities are refused.

Layout: objects one key a line, indented; arrays of plain values (numbers, strings, null) on
one line, so that a weight vector reads as a vector and a diff shows the values that changed.
"""

from __future__ import annotations

import json
import math
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

CRATE_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = CRATE_ROOT / "tests" / "data"


def package_version(name: str) -> str:
    """Installed version of a distribution, or "not installed"."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def blas() -> str:
    """The BLAS/LAPACK libraries loaded and the kernels they chose, by the package that ships
    them, e.g. "numpy: openblas 0.3.31.188.0 (Haswell)".

    Eigen-solver results differ in the last bits between OpenBLAS kernels (Haswell and
    SkylakeX give different roundings), so the kernel is part of what produced the values."""
    try:
        from threadpoolctl import threadpool_info  # noqa: PLC0415
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    found = []
    for info in threadpool_info():
        if info.get("user_api") != "blas":
            continue
        path = Path(info.get("filepath", ""))
        owner = next((part.split(".")[0] for part in path.parts if part.endswith(".libs")), path.name)
        found.append(f"{owner}: {info.get('internal_api')} {info.get('version')} "
                     f"({info.get('architecture')})")
    return "; ".join(sorted(found)) or "unknown"


def tool_versions(*packages: str) -> dict:
    """{"python": ..., package: version, ..., "blas": ...} for the metadata of a reference file."""
    out = {"python": platform.python_version()}
    for name in packages:
        out[name] = package_version(name)
    out["blas"] = blas()
    return out


def _scalar(value) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _check(value) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"non-finite reference value {value!r}")


def _encode(value, indent: int) -> str:
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(str(k))}: {_encode(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if all(_scalar(v) for v in value):
            for v in value:
                _check(v)
            return json.dumps(list(value), ensure_ascii=False, allow_nan=False)
        items = [inner + _encode(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _encode(value.tolist(), indent)
    _check(value)
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_reference(file_name: str, metadata: dict, values: dict) -> Path:
    """Writes {"metadata": metadata, **values} to tests/data/file_name and returns the path."""
    path = DATA_DIR / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_encode({"metadata": metadata, **values}, 0) + "\n", encoding="utf-8")
    return path
