#!/usr/bin/env python3
"""Reference values for the fuzzy AHP consistency conventions of `service_quality`.

Run with numpy and pyDecision installed, from a virtual environment outside the repository
(versions used for the committed values: Python 3.11, numpy 2.4.6 with OpenBLAS Haswell
kernels, pyDecision 5.1.8):

    python3 -m venv /tmp/venv-ref
    /tmp/venv-ref/bin/pip install numpy==2.4.6 pyDecision==5.1.8
    OPENBLAS_CORETYPE=Haswell /tmp/venv-ref/bin/python scripts/reference/fuzzy_ahp_reference.py

It writes tests/data/fuzzy_ahp_consistency.json; tests/fuzzy_ahp_consistency.rs reads it.

For every case (a fuzzy pairwise matrix given by its upper triangle of triangular fuzzy
numbers (l, m, u), the lower triangle being the reciprocals (1/u, 1/m, 1/l)):

- "pydecision": pyDecision.algorithm.fuzzy_ahp_method on the full matrix: its crisp weights
  (Buckley's geometric mean, centroids normalised) and its consistency ratio `rc`, which uses
  the graded mean (l + 4m + u)/6 of every entry and lambda = mean_i (X w)_i / w_i with those
  weights, CI = (lambda - n)/(n - 1), RI from pyDecision's own table. Also lambda itself,
  recomputed here with numpy from the same two inputs (pyDecision does not return it).
- "centroid": the crate's historical convention, computed independently with numpy: the
  matrix whose upper entries are the centroids (l + m + u)/3 and whose lower entries are their
  reciprocals, its principal eigenvalue (numpy.linalg.eig, largest real part).
"""
import numpy as np

from reference_json import tool_versions, write_reference


def tfn(k):
    """The crate's `fuzzy_saaty`: k -> (k-1, k, k+1), 1 -> (1,1,1), 9 -> (8,9,9)."""
    if k >= 1:
        k = int(round(k))
        return (1.0, 1.0, 1.0) if k == 1 else ((8.0, 9.0, 9.0) if k == 9 else (k - 1.0, k, k + 1.0))
    l, m, u = tfn(1 / k)
    return (1 / u, 1 / m, 1 / l)


def full(n, upper):
    fm = [[(1.0, 1.0, 1.0) for _ in range(n)] for _ in range(n)]
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            t = upper[k]
            fm[i][j] = tuple(t)
            fm[j][i] = (1 / t[2], 1 / t[1], 1 / t[0])
            k += 1
    return fm


def case(name, n, upper):
    from pyDecision.algorithm import fuzzy_ahp_method  # noqa: PLC0415

    fm = full(n, upper)
    f_w, d_w, n_w, rc = fuzzy_ahp_method(fm)
    x = np.array([[(a + 4 * b + c) / 6 for (a, b, c) in row] for row in fm])
    w = np.array(n_w)
    lam = float(np.mean((x @ w) / w))
    cen = np.ones((n, n))
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            c = sum(upper[k]) / 3
            cen[i, j], cen[j, i] = c, 1 / c
            k += 1
    vals = np.linalg.eigvals(cen)
    lmax = float(vals[np.argmax(vals.real)].real)
    return {
        "name": name,
        "n": n,
        "upper": [list(map(float, t)) for t in upper],
        "pydecision_weights": [float(v) for v in n_w],
        "pydecision_lambda": lam,
        "pydecision_cr": float(rc),
        "centroid_lambda_max": lmax,
    }


def saaty(n, upper_values):
    return [tfn(v) for v in upper_values]


# (name, n, upper triangle of (l, m, u)); also read by gogus_boucher_reference.py
CASES = [
    ("saaty_3", 3, saaty(3, [3.0, 5.0, 2.0])),
    ("saaty_4", 4, saaty(4, [3.0, 5.0, 1 / 2, 2.0, 1 / 4, 1 / 7])),
    ("saaty_5_inconsistent", 5,
     saaty(5, [3.0, 1 / 5, 7.0, 2.0, 1 / 3, 5.0, 1 / 2, 9.0, 4.0, 1 / 6])),
    ("wide_spreads_4", 4, [(1.0, 2.0, 5.0), (2.0, 4.0, 8.0), (0.5, 1.0, 3.0),
                           (1.0, 3.0, 6.0), (0.25, 0.5, 2.0), (1.0, 1.0, 4.0)]),
    ("saaty_7", 7, saaty(7, [2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 2, 3, 4, 5, 2, 3, 4, 2, 3, 2])),
]


def main():
    cases = [case(name, n, upper) for name, n, upper in CASES]
    metadata = {
        "generator": "scripts/reference/fuzzy_ahp_reference.py",
        "do_not_edit": "generated: re-run the script instead of editing by hand",
        **tool_versions("numpy", "pyDecision"),
        "conventions": {
            "pydecision": "pyDecision.algorithm.fuzzy_ahp_method: crisp weights and rc; lambda "
                          "= mean_i (X w)_i / w_i with X the graded means (l+4m+u)/6 of the full "
                          "matrix and w those weights (numpy)",
            "centroid": "principal eigenvalue (numpy.linalg.eig) of the matrix of upper-triangle "
                        "centroids (l+m+u)/3 and their reciprocals",
        },
    }
    path = write_reference("fuzzy_ahp_consistency.json", metadata, {"cases": cases})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
