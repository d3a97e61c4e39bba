#!/usr/bin/env python3
"""Independent reference values for `service_quality::mcdm`.

What it computes
----------------
On seeded decision matrices (numpy.random.default_rng(20261129); values uniform in
[1, 100] rounded to 2 decimals, at least one benefit and one cost criterion, Dirichlet
weights), plus one benefit-only matrix:

* pymcdm 1.4.0: `weights.entropy_weights` (cost criteria ignored), `weights.critic_weights`
  (no orientation of costs), `weights.standard_deviation_weights` (raw values),
  `methods.TOPSIS()` (min-max normalisation, its default) and
  `TOPSIS(vector_normalization)`, and `methods.VIKOR()` on the benefit-only matrix (pymcdm
  VIKOR replaces a cost column x by min(x)/x before the method, a different convention, so it
  is compared on benefits only);
* pyDecision 5.1.8: `entropy_method` (reciprocal costs with its 1e-9 guard terms),
  `critic_method` (costs oriented, 1e-10 in the denominator), `topsis_method` (vector
  normalisation), `vikor_method` (S, R, Q by alternative, v = 0.5) and `gra_method`
  (rho = 0.5; its grades are divided by the number of alternatives);
* numpy / scipy (the same formulas written out independently of the crate): entropy with
  reciprocal costs without guard terms, coefficient of variation (ddof=1), standard deviation
  of min-max normalised values, CRITIC with oriented costs and no guard term, the combination
  rules (multiplicative, linear with alpha = 0.4, minimum discrimination information, game
  theory solved with numpy.linalg.solve), grey relational grades with mean normalisation,
  and the rank-sum ratio (scipy.stats.rankdata average ranks, non-integer ranks, weighted RSR,
  the distribution table, scipy.stats.norm.ppf probits with the last cumulative frequency
  1 - 1/(4m), scipy.stats.linregress), Spearman and Kendall tau-b (scipy.stats) between the
  TOPSIS and VIKOR rankings.

Published worked examples (printed values, written to the JSON with their citation):

* D. Diakoulaki, G. Mavrotas, L. Papayannakis, Computers & Operations Research 22(7)
  763-770, 1995 — the CRITIC example's data, with the weights scikit-criteria's test suite
  computes from it (0.20222554, 0.48090173, 0.31687273).
* G.-H. Tzeng, J.-J. Huang, Multiple Attribute Decision Making: Methods and Applications,
  CRC Press, 2011 — the TOPSIS example (4 alternatives, 3 benefit criteria, weights
  0.3/0.4/0.3, vector normalisation), closeness 0.5037, 0.6581, 0.7482, 0.3340 (as also
  reproduced in scikit-criteria's test suite, tests/agg/test_topsis.py).
* S. Opricovic, G.-H. Tzeng, EJOR 156 (2004) 445-455 — the VIKOR/TOPSIS example (risk as
  cost, altitude as benefit, equal weights): S = (0.5, 0.375, 0.5), R = (0.5, 0.25, 0.5),
  Q = (1, 0, 1), compromise {A2}.
* S. Opricovic, G.-H. Tzeng, EJOR 178 (2007) 514-529 — the hydro-power example (6 plants,
  8 criteria), the four weight sets W1-W4 with S, R, Q printed to three decimals and the
  compromise sets (as reproduced in scikit-criteria's tests/agg/test_vikor.py).

Re-run (a virtual environment outside the repository):

    python3 -m venv /tmp/venv-mcdm
    /tmp/venv-mcdm/bin/pip install pymcdm==1.4.0 pyDecision==5.1.8 scipy threadpoolctl
    /tmp/venv-mcdm/bin/python scripts/reference/mcdm_reference.py

(writes tests/data/mcdm_reference.json; the versions used are in its metadata).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy import stats

import pymcdm
from pymcdm import weights as pw
from pymcdm.methods import TOPSIS, VIKOR
from pymcdm.normalizations import vector_normalization
from pyDecision.algorithm import critic_method, entropy_method, gra_method, topsis_method, vikor_method

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_json import tool_versions, write_reference  # noqa: E402

SEED = 20261129
ALPHA = 0.4


def seeded_cases(rng) -> list:
    cases = []
    for m, n in [(5, 3), (8, 4), (12, 6), (20, 5)]:
        x = np.round(rng.uniform(1.0, 100.0, size=(m, n)), 2)
        types = rng.choice([1, -1], size=n)
        types[0], types[-1] = 1, -1
        w = rng.dirichlet(np.ones(n))
        cases.append((f"seeded_{m}x{n}", x, types, w))
    x = np.round(rng.uniform(1.0, 100.0, size=(7, 4)), 2)
    cases.append(("benefit_7x4", x, np.ones(4, dtype=int), rng.dirichlet(np.ones(4))))
    return cases


def oriented_minmax(x, types):
    out = np.empty_like(x)
    for j in range(x.shape[1]):
        lo, hi = x[:, j].min(), x[:, j].max()
        out[:, j] = (x[:, j] - lo) / (hi - lo) if types[j] == 1 else (hi - x[:, j]) / (hi - lo)
    return out


def entropy_reciprocal(x, types):
    m = x.shape[0]
    d = []
    for j in range(x.shape[1]):
        col = x[:, j] if types[j] == 1 else 1.0 / x[:, j]
        p = col / col.sum()
        e = -np.sum(p * np.log(p)) / np.log(m)
        d.append(1.0 - e)
    d = np.array(d)
    return d / d.sum()


def critic_oriented(x, types):
    r = oriented_minmax(x, types)
    sd = r.std(axis=0, ddof=1)
    corr = np.corrcoef(r.T)
    c = sd * np.sum(1.0 - corr, axis=1)
    return c / c.sum()


def cv_weights(x):
    v = x.std(axis=0, ddof=1) / x.mean(axis=0)
    return v / v.sum()


def sd_minmax(x, types):
    s = oriented_minmax(x, types).std(axis=0, ddof=1)
    return s / s.sum()


def combinations(s, o):
    mult = s * o / np.sum(s * o)
    lin = ALPHA * s + (1 - ALPHA) * o
    mdi = np.sqrt(s * o) / np.sum(np.sqrt(s * o))
    u = np.vstack([s, o])
    a = np.linalg.solve(u @ u.T, np.diag(u @ u.T))
    a_star = np.abs(a) / np.abs(a).sum()
    return {
        "multiplicative": mult,
        "linear": lin,
        "minimum_discrimination": mdi,
        "game_theory": a_star @ u,
        "game_theory_coefficients": a_star,
    }


def grey_mean(x, types, w, rho=0.5):
    y = x / x.mean(axis=0)
    ref = np.where(types == 1, y.max(axis=0), y.min(axis=0))
    delta = np.abs(ref - y)
    lo, hi = delta.min(), delta.max()
    xi = (lo + rho * hi) / (delta + rho * hi)
    return xi @ w


def rsr(x, types, w, integer=True):
    m, n = x.shape
    ranks = np.empty_like(x)
    for j in range(n):
        col = x[:, j] if types[j] == 1 else -x[:, j]
        if integer:
            ranks[:, j] = stats.rankdata(col, method="average")
        else:
            lo, hi = col.min(), col.max()
            ranks[:, j] = 1 + (m - 1) * (col - lo) / (hi - lo)
    plain = ranks.sum(axis=1) / (m * n)
    weighted = ranks @ w / m
    values, counts = np.unique(plain, return_counts=True)
    cum = np.cumsum(counts)
    mean_rank = cum - (counts - 1) / 2.0
    p = mean_rank / m
    p[-1] = 1 - 1 / (4 * m)
    probit = 5 + stats.norm.ppf(p)
    fit = stats.linregress(probit, values)
    return {
        "rsr": plain,
        "wrsr": weighted,
        "table_rsr": values,
        "table_frequency": counts,
        "table_mean_rank": mean_rank,
        "table_percentile": p,
        "table_probit": probit,
        "intercept": fit.intercept,
        "slope": fit.slope,
    }


def vikor_by_index(x, w, types):
    crit = ["max" if t == 1 else "min" for t in types]
    flow_s, flow_r, flow_q, _ = vikor_method(x, w, crit, 0.5, graph=False, verbose=False)

    def unsort(flow):
        out = np.empty(flow.shape[0])
        out[flow[:, 0].astype(int) - 1] = flow[:, 1]
        return out

    return unsort(flow_s), unsort(flow_r), unsort(flow_q)


def case_values(name, x, types, w):
    crit = ["max" if t == 1 else "min" for t in types]
    s_ahp = np.linspace(1.0, 2.0, x.shape[1])
    s_ahp = s_ahp / s_ahp.sum()
    entropy_pymcdm = pw.entropy_weights(x)
    comb = combinations(s_ahp, entropy_pymcdm)
    vs, vr, vq = vikor_by_index(x, w, types)
    topsis_vector = topsis_method(x, w, crit, graph=False, verbose=False)
    vikor_ranks = stats.rankdata(vq)
    topsis_ranks = stats.rankdata(-topsis_vector)
    out = {
        "name": name,
        "matrix": x,
        "types": types,
        "weights": w,
        "pymcdm_entropy": entropy_pymcdm,
        "pymcdm_critic": pw.critic_weights(x),
        "pymcdm_std": pw.standard_deviation_weights(x),
        "pymcdm_topsis_minmax": TOPSIS()(x, w, types),
        "pymcdm_topsis_vector": TOPSIS(vector_normalization)(x, w, types),
        "pydecision_entropy": entropy_method(x, crit),
        "pydecision_critic": critic_method(x, crit),
        "pydecision_topsis": topsis_vector,
        "pydecision_vikor_s": vs,
        "pydecision_vikor_r": vr,
        "pydecision_vikor_q": vq,
        "pydecision_gra": gra_method(x, crit, w, 0.5, graph=False, verbose=False),
        "numpy_entropy_reciprocal": entropy_reciprocal(x, types),
        "numpy_critic_oriented": critic_oriented(x, types),
        "numpy_cv": cv_weights(x),
        "numpy_std_minmax": sd_minmax(x, types),
        "subjective": s_ahp,
        "combined_alpha": ALPHA,
        "combined": comb,
        "numpy_grey_mean": grey_mean(x, types, w),
        "rsr_integer": rsr(x, types, w, True),
        "rsr_noninteger": rsr(x, types, w, False),
        "spearman_topsis_vikor": stats.spearmanr(topsis_ranks, vikor_ranks).statistic,
        "kendall_topsis_vikor": stats.kendalltau(topsis_ranks, vikor_ranks).statistic,
    }
    if np.all(types == 1):
        out["pymcdm_vikor_q"] = VIKOR()(x, w, types)
    return out


def published():
    return {
        "diakoulaki_1995_critic": {
            "citation": "D. Diakoulaki, G. Mavrotas, L. Papayannakis, Determining objective "
            "weights in multiple criteria problems: the CRITIC method, Computers & Operations "
            "Research 22(7) 763-770, 1995, the example's data (8 alternatives, 3 benefit "
            "criteria); weights to 8 decimals as computed in scikit-criteria's test suite "
            "(tests/preprocessing/test_weighters.py, Pearson correlation, min-max scaling)",
            "matrix": [
                [61, 1.08, 4.33],
                [20.7, 0.26, 4.34],
                [16.3, 1.98, 2.53],
                [9, 3.29, 1.65],
                [5.4, 2.77, 2.33],
                [4, 4.12, 1.21],
                [-6.1, 3.52, 2.10],
                [-34.6, 3.31, 0.98],
            ],
            "weights": [0.20222554, 0.48090173, 0.31687273],
            "decimals": 8,
        },
        "tzeng_huang_2011_topsis": {
            "citation": "G.-H. Tzeng, J.-J. Huang, Multiple Attribute Decision Making: Methods "
            "and Applications, CRC Press, 2011, the TOPSIS example (as reproduced in "
            "scikit-criteria tests/agg/test_topsis.py)",
            "matrix": [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]],
            "types": [1, 1, 1],
            "weights": [0.3, 0.4, 0.3],
            "closeness": [0.5037, 0.6581, 0.7482, 0.3340],
            "decimals": 4,
        },
        "opricovic_tzeng_2004_vikor": {
            "citation": "S. Opricovic, G.-H. Tzeng, Compromise solution by MCDM methods: a "
            "comparative analysis of VIKOR and TOPSIS, EJOR 156(2) 445-455, 2004",
            "matrix": [[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]],
            "types": [-1, 1],
            "weights": [0.5, 0.5],
            "s": [0.5, 0.375, 0.5],
            "r": [0.5, 0.25, 0.5],
            "q": [1.0, 0.0, 1.0],
            "compromise": [1],
        },
        "opricovic_tzeng_2007_vikor": {
            "citation": "S. Opricovic, G.-H. Tzeng, Extended VIKOR method in comparison with "
            "outranking methods, EJOR 178(2) 514-529, 2007, the hydro-power example, weight "
            "sets W1-W4 (as reproduced in scikit-criteria tests/agg/test_vikor.py)",
            "matrix": [
                [4184.3, 2914.0, 407.2, 251.0, 195, 244, 15, 2.41],
                [5211.9, 3630.0, 501.7, 308.3, 282, 346, 21, 1.41],
                [5021.3, 3920.5, 504.0, 278.6, 12, 56, 3, 4.42],
                [5566.1, 3957.9, 559.5, 335.3, 167, 268, 16, 3.36],
                [5060.5, 3293.5, 514.1, 284.2, 69, 90, 7, 4.04],
                [4317.9, 2925.9, 432.8, 239.3, 12, 55, 3, 4.36],
            ],
            "types": [1, -1, 1, 1, -1, -1, -1, 1],
            "decimals": 3,
            "weight_sets": [
                {
                    "raw_weights": [1, 1, 1, 1, 1, 1, 1, 1],
                    "r": [0.125, 0.125, 0.121, 0.125, 0.067, 0.125],
                    "s": [0.692, 0.7, 0.29, 0.423, 0.28, 0.346],
                    "q": [0.991, 1.0, 0.473, 0.670, 0.0, 0.578],
                    "compromise": [4],
                },
                {
                    "raw_weights": [2, 2, 2, 2, 1, 1, 1, 1],
                    "r": [0.167, 0.114, 0.161, 0.167, 0.089, 0.167],
                    "s": [0.701, 0.6, 0.386, 0.365, 0.317, 0.459],
                    "q": [1.0, 0.533, 0.552, 0.563, 0.0, 0.686],
                    "compromise": [4],
                },
                {
                    "raw_weights": [1, 1, 1, 1, 2, 2, 2, 2],
                    "r": [0.113, 0.167, 0.08, 0.122, 0.044, 0.083],
                    "s": [0.683, 0.8, 0.193, 0.48, 0.243, 0.232],
                    "q": [0.684, 1.0, 0.147, 0.554, 0.041, 0.191],
                    "compromise": [4, 2, 5],
                },
                {
                    "raw_weights": [1, 1, 1, 1, 3.2, 3.2, 3.2, 3.2],
                    "r": [0.129, 0.190, 0.057, 0.139, 0.042, 0.060],
                    "s": [0.678, 0.857, 0.138, 0.513, 0.222, 0.167],
                    "q": [0.668, 1.0, 0.051, 0.588, 0.058, 0.078],
                    "compromise": [2, 4, 5],
                },
            ],
        },
    }


def main() -> None:
    rng = np.random.default_rng(SEED)
    cases = [case_values(*c) for c in seeded_cases(rng)]
    metadata = {
        "generator": "scripts/reference/mcdm_reference.py",
        **tool_versions("numpy", "scipy", "pymcdm", "pyDecision"),
    }
    metadata["pymcdm"] = pymcdm.__version__ if hasattr(pymcdm, "__version__") else metadata["pymcdm"]
    path = write_reference("mcdm_reference.json", metadata, {"cases": cases, "published": published()})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
