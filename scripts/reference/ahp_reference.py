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
floats are written with Python repr(), the shortest string that round-trips,
so the Rust compiler parses back exactly the f64 used here.

Random draws (numpy.random.default_rng(20261126)), in this order, for each n
in 2..=15:
  near_consistent_nN: w = rng.uniform(0.05, 1.0, n);
                      e = rng.normal(0.0, 0.1, n(n-1)/2);
                      a_ij = (w_i / w_j) * exp(e_k), upper entries row by row.
  random_saaty_nN:    k = rng.integers(0, 17, n(n-1)/2), index into
                      [1/9, 1/8, ..., 1/2, 1, 2, ..., 9].

How to run
----------
    python3 -m pip install numpy==2.4.6 ahpy==2.1      # ahpy pulls in scipy
    python3 scripts/reference/ahp_reference.py          # from the crate root

It writes tests/common/ahp_reference.rs (path relative to the crate root, found
from this file's location) and prints the largest |numpy - ahpy| difference.

Versions used to generate the committed file
--------------------------------------------
    Python 3.11.7, numpy 2.4.6, ahpy 2.1 (AHPy), scipy 1.17.1 (ahpy dependency)
"""

from __future__ import annotations

import math
import sys
import warnings
from pathlib import Path

import numpy as np

SEED = 20261126
N_MAX = 15
AHPY_PRECISION = 15
AHPY_MIN_PRECISION = 10

# The 17 values of Saaty's 1-9 scale, reciprocals as f64 1.0 / k.
SAATY_SCALE = [1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)]
assert len(SAATY_SCALE) == 17

CRATE_ROOT = Path(__file__).resolve().parents[2]
OUT_PATH = CRATE_ROOT / "tests" / "common" / "ahp_reference.rs"


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


def rust_field(field: str, values, indent: str = "        ") -> str:
    """`field: &[...],` laid out as rustfmt (default config) lays it out, so that
    `cargo fmt --check` passes on the generated file: on one line when the elements
    take at most 60 columns (rustfmt's array_width) and the line fits in 100;
    otherwise filled lines when every element is at most 10 characters (rustfmt's
    short_array_element_width_threshold), else one element per line."""
    items = [repr(float(v)) for v in values]
    for s in items:  # repr must be a finite Rust float literal that round-trips
        assert math.isfinite(float(s)) and float(repr(float(s))) == float(s), s
    one_line = f"{indent}{field}: &[{', '.join(items)}],"
    if len(", ".join(items)) <= 60 and len(one_line) <= 100:
        return one_line
    inner = indent + "    "
    lines: list[str] = []
    if all(len(s) <= 10 for s in items):
        current = ""
        for s in items:
            candidate = f"{current} {s}," if current else f"{s},"
            if current and len(inner) + len(candidate) > 100:
                lines.append(current)
                current = f"{s},"
            else:
                current = candidate
        lines.append(current)
    else:
        lines = [f"{s}," for s in items]
    body = "\n".join(inner + line for line in lines)
    return f"{indent}{field}: &[\n{body}\n{indent}],"


def render(results: list[dict], numpy_version: str, ahpy_version: str, have_ahpy: bool) -> str:
    out = []
    out.append(f"//! Reference AHP priorities, generated by scripts/reference/ahp_reference.py")
    out.append(f"//! (numpy version {numpy_version}, ahpy version {ahpy_version}; seed {SEED}).")
    out.append("//! Do not edit by hand: re-run the script instead.")
    out.append("//!")
    out.append("//! `upper` holds the n(n-1)/2 entries above the diagonal, row by row")
    out.append("//! (a_01, a_02, ..., a_12, ...); the full matrix is a_ii = 1.0, a_ji = 1.0 / a_ij.")
    out.append("//! `eigen_weights`/`lambda_max`: numpy.linalg.eig, eigenvalue of largest real part.")
    out.append("//! `rgmm_*`: row geometric mean (exp of mean log), normalised; `an_*`: normalised")
    out.append("//! column average. `*_lambda` = mean_i (A w)_i / w_i for that w.")
    out.append("//! `ahpy_weights`: ahpy.Compare(precision=15) weights, an independent power-method")
    out.append("//! computation (repeated squaring of A, rounded to 15 decimals, or fewer where a")
    out.append("//! comment on the case says so); \"single\" (n = 1) cannot be fed to ahpy and")
    out.append("//! carries [1.0] there.")
    out.append("")
    out.append("/// One pairwise comparison matrix and its reference priorities.")
    out.append("#[allow(dead_code)]")
    out.append("pub struct EigenCase {")
    out.append("    pub name: &'static str,")
    out.append("    pub n: usize,")
    out.append("    pub upper: &'static [f64],")
    out.append("    pub eigen_weights: &'static [f64],")
    out.append("    pub lambda_max: f64,")
    out.append("    pub rgmm_weights: &'static [f64],")
    out.append("    pub rgmm_lambda: f64,")
    out.append("    pub an_weights: &'static [f64],")
    out.append("    pub an_lambda: f64,")
    if have_ahpy:
        out.append("    pub ahpy_weights: &'static [f64],")
    out.append("}")
    out.append("")
    out.append("#[allow(dead_code)]")
    out.append(f"pub const NUMPY_VERSION: &str = \"{numpy_version}\";")
    out.append("")
    out.append("#[allow(dead_code)]")
    out.append(f"pub const AHPY_VERSION: &str = \"{ahpy_version}\";")
    out.append("")
    out.append("#[allow(dead_code)]")
    out.append("pub const EIGEN_CASES: &[EigenCase] = &[")
    for r in results:
        if have_ahpy and r["ahpy_precision"] not in (None, AHPY_PRECISION):
            out.append(f"    // ahpy overflowed (NaN) at precision={AHPY_PRECISION} for this matrix;"
                       f" ahpy_weights use precision={r['ahpy_precision']}.")
        out.append("    EigenCase {")
        out.append(f"        name: \"{r['name']}\",")
        out.append(f"        n: {r['n']},")
        out.append(rust_field("upper", r["upper"]))
        out.append(rust_field("eigen_weights", r["eigen_weights"]))
        out.append(f"        lambda_max: {r['lambda_max']!r},")
        out.append(rust_field("rgmm_weights", r["rgmm_weights"]))
        out.append(f"        rgmm_lambda: {r['rgmm_lambda']!r},")
        out.append(rust_field("an_weights", r["an_weights"]))
        out.append(f"        an_lambda: {r['an_lambda']!r},")
        if have_ahpy:
            out.append(rust_field("ahpy_weights", r["ahpy_weights"]))
        out.append("    },")
    out.append("];")
    return "\n".join(out) + "\n"


def main() -> int:
    try:
        from importlib.metadata import version  # noqa: PLC0415
        ahpy_version = version("ahpy")
        import ahpy  # noqa: F401, PLC0415
        have_ahpy = True
    except Exception:  # pragma: no cover - ahpy missing or broken
        ahpy_version, have_ahpy = "not installed", False

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
    text = render(results, np.__version__, ahpy_version, have_ahpy)
    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUT_PATH.write_text(text)

    print(f"wrote {OUT_PATH} ({len(results)} cases, numpy {np.__version__}, ahpy {ahpy_version})")
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
