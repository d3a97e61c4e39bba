#!/usr/bin/env python3
"""Independent reference values for the AHP priority computations of `service_quality`.

What it computes
----------------
For a fixed, seeded set of positive reciprocal pairwise comparison matrices
(n = 1 and, for every n in 2..=15, one "near consistent" and one "random Saaty
scale" matrix) it computes, with numpy only:

* the principal right eigenvector (numpy.linalg.eig, column of the eigenvalue
  with the largest real part, real part taken, normalised to sum 1) and that
  eigenvalue's real part (lambda_max);
* the row geometric mean (RGMM) weights, computed as exp(mean(log a_ij)) per
  row and normalised, and their lambda estimate mean_i (A w)_i / w_i;
* the normalised column average ("additive normalisation", AN) weights: each
  column divided by its sum, then the mean of each row, and the same lambda
  estimate.

As an independent cross-check it also runs AHPy (ahpy.Compare, precision=15,
random_index='dd') on every matrix and stores its weights.  AHPy does NOT call
an eigen-solver: it repeatedly squares the matrix (A, A^2, A^4, ...) and takes
normalised row sums until the rounded vector stops changing (a power method),
then rounds the result to `precision` decimals.  Agreement with numpy is
therefore expected to ~1e-15, not bit for bit.

The matrices are built exactly as the Rust side builds them: a_ii = 1.0,
a_ij = the stored upper entry, a_ji = 1.0 / a_ij in f64.  Saaty-scale entries
1/k are the f64 value of 1.0 / k (e.g. 1/7 -> 0.14285714285714285).  All
floats are written by Python's json module, which uses repr(), the shortest
string that round-trips, so serde_json (feature float_roundtrip) reads back
exactly the f64 used here.

Random draws (numpy.random.default_rng(20261126)), in this order, for each n
in 2..=15:
  near_consistent_nN: w = rng.uniform(0.05, 1.0, n);
                      e = rng.normal(0.0, 0.1, n(n-1)/2);
                      a_ij = (w_i / w_j) * exp(e_k), upper entries row by row.
  random_saaty_nN:    k = rng.integers(0, 17, n(n-1)/2), index into
                      [1/9, 1/8, ..., 1/2, 1, 2, ..., 9].

How to run
----------
    python3 -m venv /tmp/venv-ref                       # outside the repository
    /tmp/venv-ref/bin/pip install numpy==2.4.6 ahpy==2.1 scipy==1.17.1 threadpoolctl
    OPENBLAS_CORETYPE=Haswell /tmp/venv-ref/bin/python scripts/reference/ahp_reference.py

OPENBLAS_CORETYPE=Haswell pins the OpenBLAS kernels that numpy's wheel selects
at run time: on a CPU with AVX-512 it would otherwise pick the SkylakeX ones,
whose eigenvectors differ from the committed (Haswell) values in the last one
or two bits (up to ~1e-16 in a weight, ~1e-14 in lambda_max), far inside the
tests' tolerances but not bit for bit.  The metadata field "blas" records the
library and kernels that produced the file.
It writes tests/data/ahp_reference.json (path relative to the crate root, found
from this file's location) and prints the largest |numpy - ahpy| difference.
The JSON holds {"metadata": {...}, "cases": [...]}: the metadata names this
script, the Python, numpy, AHPy and scipy versions, the seed and what each
field of a case is; tests/common/reference.rs reads it.

Versions used to generate the committed file
--------------------------------------------
    Python 3.11.7, numpy 2.4.6 (OpenBLAS 0.3.31, Haswell kernels), ahpy 2.1 (AHPy),
    scipy 1.17.1 (ahpy dependency)
"""

from __future__ import annotations

import math
import sys
import warnings

import numpy as np

from reference_json import package_version, tool_versions, write_reference

SEED = 20261126
N_MAX = 15
AHPY_PRECISION = 15
AHPY_MIN_PRECISION = 10

# The 17 values of Saaty's 1-9 scale, reciprocals as f64 1.0 / k.
SAATY_SCALE = [1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)]
assert len(SAATY_SCALE) == 17

OUT_NAME = "ahp_reference.json"  # under tests/data/


def full_matrix(n: int, upper: list[float]) -> np.ndarray:
    """Reciprocal matrix from its strictly upper entries, row by row."""
    a = np.ones((n, n), dtype=np.float64)
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = upper[k]
            a[j, i] = 1.0 / upper[k]
            k += 1
    assert k == len(upper)
    return a


def eigen_priorities(a: np.ndarray) -> tuple[np.ndarray, float]:
    values, vectors = np.linalg.eig(a)
    idx = int(np.argmax(values.real))
    vec = vectors[:, idx]
    # The Perron eigenvector of a real matrix is real; make sure numpy agrees.
    assert np.max(np.abs(vec.imag)) == 0.0, "principal eigenvector not real"
    assert abs(values[idx].imag) == 0.0, "principal eigenvalue not real"
    v = vec.real
    w = v / v.sum()
    assert np.all(w > 0.0), "principal eigenvector not positive"
    return w, float(values[idx].real)


def lambda_estimate(a: np.ndarray, w: np.ndarray) -> float:
    return float(np.mean((a @ w) / w))


def rgmm_priorities(a: np.ndarray) -> np.ndarray:
    g = np.exp(np.mean(np.log(a), axis=1))
    return g / g.sum()


def an_priorities(a: np.ndarray) -> np.ndarray:
    normalised = a / a.sum(axis=0, keepdims=True)
    return normalised.mean(axis=1)


def ahpy_priorities(n: int, upper: list[float]):
    """(AHPy's weights in element order, precision used), or (None, None) without ahpy."""
    try:
        import ahpy  # noqa: PLC0415
    except ImportError:
        return None, None
    names = [f"e{i:02d}" for i in range(n)]
    comparisons = {}
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            comparisons[(names[i], names[j])] = upper[k]
            k += 1
    # AHPy squares the matrix up to 100 times and stops only when the vector,
    # rounded to `precision` decimals, repeats exactly.  When the second
    # eigenvalue is close to lambda_max that can take long enough for A^(2^k)
    # to overflow to inf, and AHPy then returns NaN weights.  Fall back to the
    # next lower precision in that case and report which one was used.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for precision in range(AHPY_PRECISION, AHPY_MIN_PRECISION - 1, -1):
            cmp = ahpy.Compare("m", comparisons, precision=precision, random_index="dd")
            w = np.array([float(cmp.local_weights[name]) for name in names])
            if np.all(np.isfinite(w)):
                return w, precision
    raise RuntimeError(f"ahpy gave non-finite weights down to precision {AHPY_MIN_PRECISION}")


def make_cases() -> list[dict]:
    rng = np.random.default_rng(SEED)
    cases: list[dict] = [dict(name="single", n=1, upper=[])]
    for n in range(2, N_MAX + 1):
        m = n * (n - 1) // 2
        w = rng.uniform(0.05, 1.0, n)
        noise = rng.normal(0.0, 0.1, m)
        upper = []
        k = 0
        for i in range(n):
            for j in range(i + 1, n):
                upper.append(float((w[i] / w[j]) * math.exp(noise[k])))
                k += 1
        cases.append(dict(name=f"near_consistent_n{n}", n=n, upper=upper))
        picks = rng.integers(0, 17, m)
        cases.append(dict(name=f"random_saaty_n{n}", n=n, upper=[SAATY_SCALE[int(p)] for p in picks]))
    return cases


def compute(case: dict) -> dict:
    n, upper = case["n"], case["upper"]
    if n == 1:
        one = np.array([1.0])
        return dict(case, eigen_weights=one, lambda_max=1.0, rgmm_weights=one, rgmm_lambda=1.0,
                    an_weights=one, an_lambda=1.0, ahpy_weights=one, ahpy_precision=None)
    a = full_matrix(n, upper)
    ew, lam = eigen_priorities(a)
    gw = rgmm_priorities(a)
    aw = an_priorities(a)
    out = dict(case, eigen_weights=ew, lambda_max=lam, rgmm_weights=gw,
               rgmm_lambda=lambda_estimate(a, gw), an_weights=aw, an_lambda=lambda_estimate(a, aw))
    out["ahpy_weights"], out["ahpy_precision"] = ahpy_priorities(n, upper)
    return out


def metadata() -> dict:
    """What the file holds and what produced it, stored beside the values."""
    return {
        "generator": "scripts/reference/ahp_reference.py",
        "do_not_edit": "generated: re-run the script instead of editing by hand",
        **tool_versions("numpy", "ahpy", "scipy"),
        "seed": SEED,
        "fields": {
            "upper": "the n(n-1)/2 entries above the diagonal, row by row (a_01, a_02, ..., "
                     "a_12, ...); the full matrix is a_ii = 1.0, a_ji = 1.0 / a_ij",
            "eigen_weights": "numpy.linalg.eig: eigenvector of the eigenvalue of largest real "
                             "part, real part, normalised to sum 1",
            "lambda_max": "numpy.linalg.eig: real part of the eigenvalue of largest real part",
            "rgmm_weights": "row geometric mean exp(mean(log a_ij)), normalised",
            "rgmm_lambda": "mean_i (A w)_i / w_i for w = rgmm_weights",
            "an_weights": "normalised column average: columns divided by their sums, row means",
            "an_lambda": "mean_i (A w)_i / w_i for w = an_weights",
            "ahpy_weights": "ahpy.Compare(precision=ahpy_precision, random_index='dd') weights, "
                            "an independent power method (repeated squaring of A, rounded to "
                            "ahpy_precision decimals); \"single\" (n = 1) cannot be fed to "
                            "ahpy and carries [1.0]",
            "ahpy_precision": f"{AHPY_PRECISION}, or lower where AHPy overflowed (NaN) at "
                              f"{AHPY_PRECISION} for that matrix; null for \"single\"",
        },
    }


def floats(values) -> list[float]:
    return [float(v) for v in values]


def json_case(r: dict, have_ahpy: bool) -> dict:
    case = {
        "name": r["name"],
        "n": r["n"],
        "upper": floats(r["upper"]),
        "eigen_weights": floats(r["eigen_weights"]),
        "lambda_max": float(r["lambda_max"]),
        "rgmm_weights": floats(r["rgmm_weights"]),
        "rgmm_lambda": float(r["rgmm_lambda"]),
        "an_weights": floats(r["an_weights"]),
        "an_lambda": float(r["an_lambda"]),
    }
    if have_ahpy:
        case["ahpy_weights"] = floats(r["ahpy_weights"])
        case["ahpy_precision"] = r["ahpy_precision"]
    return case


def main() -> int:
    try:
        import ahpy  # noqa: F401, PLC0415
        have_ahpy = True
    except Exception:  # pragma: no cover - ahpy missing or broken
        have_ahpy = False
    ahpy_version = package_version("ahpy")

    results = [compute(c) for c in make_cases()]

    worst = (0.0, "")
    if have_ahpy:
        for r in results:
            if r["ahpy_weights"] is None:
                have_ahpy = False
                break
            d = float(np.max(np.abs(r["eigen_weights"] - r["ahpy_weights"])))
            if d > worst[0]:
                worst = (d, r["name"])
    out_path = write_reference(OUT_NAME, metadata(),
                               {"cases": [json_case(r, have_ahpy) for r in results]})

    print(f"wrote {out_path} ({len(results)} cases, numpy {np.__version__}, ahpy {ahpy_version})")
    for r in results:
        line = f"  {r['name']:<22} lambda_max={r['lambda_max']!r}"
        if have_ahpy:
            line += f"  |numpy-ahpy|max={np.max(np.abs(r['eigen_weights'] - r['ahpy_weights'])):.3e}"
            line += f"  ahpy precision={r['ahpy_precision']}"
        print(line)
    if have_ahpy:
        print(f"max |numpy - ahpy| over all cases: {worst[0]!r} ({worst[1]})")
        if worst[0] > 1e-9:
            print("ERROR: ahpy disagrees with numpy by more than 1e-9", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
