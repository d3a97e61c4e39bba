#!/usr/bin/env python3
"""Reference values for the Gogus & Boucher (1998) fuzzy AHP consistency convention of
`service_quality` (`FuzzyConsistencyConvention::GogusBoucher`).

Run with numpy installed, from a virtual environment outside the repository (versions used
for the committed values: Python 3.11, numpy 2.4.6 with OpenBLAS Haswell kernels):

    OPENBLAS_CORETYPE=Haswell /tmp/venv-ref/bin/python scripts/reference/gogus_boucher_reference.py

It writes tests/data/gogus_boucher_consistency.json; tests/fuzzy_ahp_consistency.rs reads it.

The convention, implemented here from its published description with numpy alone: from a
fuzzy pairwise matrix of triangular numbers (l, m, u) (the lower triangle being the
reciprocals (1/u, 1/m, 1/l)) build

- the middle matrix A_m = (m_ij) and
- the geometric-mean matrix of the bounds A_g = (sqrt(l_ij * u_ij)),

and of each lambda_max, CI = (lambda_max - n) / (n - 1) and CR = CI / RI(n), with RI_m for
A_m and RI_g for A_g; the matrix is consistent when both CRs are below 0.10. lambda_max is
computed two ways:

- "eigenvector": the principal eigenvalue (numpy.linalg.eig, largest real part), Saaty's
  eigenvector method;
- "column_average": mean_i (A w)_i / w_i with w the normalised column average
  w_i = (1/n) sum_j a_ij / sum_k a_kj, the route taken by `Fuzzy_AHP.py` of the open-source
  project Ahad-M72/FAHP_With_Extent_Analysis (Zenodo, doi 10.5281/zenodo.13824776).

The random indices are those printed in that file (RI_m, RI_g for n = 3..10); the paper
could not be consulted for them.

The cases are those of fuzzy_ahp_reference.py (the existing fuzzy consistency tests) and a
few more: a consistent and near-consistent matrix, one whose middle values are consistent but
whose bounds are not, and inconsistent ones up to n = 8.
"""
import numpy as np

from fuzzy_ahp_reference import CASES, full, saaty
from reference_json import tool_versions, write_reference

# RI for n = 0..10, as printed in Fuzzy_AHP.py (Ahad-M72/FAHP_With_Extent_Analysis)
RI_M = [0.0, 0.0, 0.0, 0.4890, 0.7937, 1.0720, 1.1996, 1.2874, 1.3410, 1.3793, 1.4095]
RI_G = [0.0, 0.0, 0.0, 0.1796, 0.2627, 0.3597, 0.3818, 0.4090, 0.4164, 0.4348, 0.4455]
THRESHOLD = 0.10


def eigenvalue(a):
    vals = np.linalg.eigvals(a)
    return float(vals[np.argmax(vals.real)].real)


def column_average_lambda(a):
    w = (a / a.sum(axis=0)).mean(axis=1)
    return float(np.mean((a @ w) / w))


def part(a, ri, lam):
    n = a.shape[0]
    ci = (lam - n) / (n - 1)
    return {"lambda": lam, "ci": ci, "ri": ri, "cr": ci / ri}


def convention(a_m, a_g, n, lam):
    m, g = part(a_m, RI_M[n], lam(a_m)), part(a_g, RI_G[n], lam(a_g))
    return {"middle": m, "geometric": g,
            "consistent": bool(m["cr"] < THRESHOLD and g["cr"] < THRESHOLD)}


def case(name, n, upper):
    fm = np.array(full(n, upper))  # n x n x 3
    a_m = fm[:, :, 1]
    a_g = np.sqrt(fm[:, :, 0] * fm[:, :, 2])
    return {
        "name": name,
        "n": n,
        "upper": [list(map(float, t)) for t in upper],
        "eigenvector": convention(a_m, a_g, n, eigenvalue),
        "column_average": convention(a_m, a_g, n, column_average_lambda),
    }


def around(n, w, spread):
    """Upper triangle of (a / s_k, a, a * t_k) with a = w_i / w_j and (s_k, t_k) cycling
    through `spread`."""
    out, k = [], 0
    for i in range(n):
        for j in range(i + 1, n):
            s, t = spread[k % len(spread)]
            a = w[i] / w[j]
            out.append((a / s, a, a * t))
            k += 1
    return out


EXTRA = [
    ("crisp_consistent_3", 3, [(2.0, 2.0, 2.0), (4.0, 4.0, 4.0), (2.0, 2.0, 2.0)]),
    ("symmetric_spreads_6", 6, around(6, [6, 5, 4, 3, 2, 1], [(1.2, 1.2)])),
    ("middle_consistent_bounds_not_5", 5,
     around(5, [5, 4, 3, 2, 1], [(1.0, 4.0), (4.0, 1.0), (1.0, 1.0)])),
    ("saaty_6", 6, saaty(6, [2, 4, 3, 5, 6, 2, 1 / 2, 3, 4, 1 / 3, 2, 3, 4, 5, 2])),
    ("saaty_8_inconsistent", 8,
     saaty(8, [3, 1 / 5, 7, 2, 1 / 3, 5, 9, 1 / 2, 4, 1 / 6, 2, 1 / 7, 3, 8, 1 / 4, 1 / 9, 2, 6,
               5, 1 / 3, 7, 1 / 2, 4, 3, 1 / 8, 2, 9, 1 / 5])),
]


def main():
    cases = [case(name, n, upper) for name, n, upper in CASES + EXTRA]
    metadata = {
        "generator": "scripts/reference/gogus_boucher_reference.py",
        "do_not_edit": "generated: re-run the script instead of editing by hand",
        **tool_versions("numpy"),
        "ri_source": "Fuzzy_AHP.py of Ahad-M72/FAHP_With_Extent_Analysis "
                     "(Zenodo, doi 10.5281/zenodo.13824776)",
        "ri_m": RI_M,
        "ri_g": RI_G,
        "threshold": THRESHOLD,
        "conventions": {
            "eigenvector": "lambda_max = principal eigenvalue (numpy.linalg.eig) of A_m = (m_ij) "
                           "and of A_g = (sqrt(l_ij u_ij))",
            "column_average": "lambda_max = mean_i (A w)_i / w_i with w the normalised column "
                              "average of A (A_m and A_g as above)",
        },
    }
    path = write_reference("gogus_boucher_consistency.json", metadata, {"cases": cases})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
