#!/usr/bin/env python3
"""Independent reference values for `service_quality::analysis`.

What it computes
----------------
On fixed, seeded tables (numpy.random.default_rng(20261129)) and on published examples:

* descriptive statistics per column (numpy: n, mean, sample SD with ddof=1, median, min, max,
  frequencies via numpy.unique; scipy.stats.skew / kurtosis with bias=True for the moment
  estimators g1, g2 and bias=False for the SPSS/SAS/Excel estimators G1, G2), on the codes and
  on grade values (code k -> GRADE_VALUES[k]);
* reliability: pingouin.cronbach_alpha with nan_policy 'listwise' and 'pairwise', on the
  whole table and with each item dropped (alpha if item deleted); the standardised alpha,
  the corrected item-total correlations and the odd/even split-half correlation with its
  Spearman-Brown step-up computed with numpy (listwise: numpy.corrcoef on the complete rows;
  pairwise: from pandas.DataFrame.cov, the covariance pingouin uses);
* correlation matrices over pairwise-complete rows: scipy.stats.pearsonr, spearmanr and
  kendalltau(method='asymptotic'), coefficient and two-sided p-value (null where fewer than 3
  rows or a constant variable);
* trends: numpy.diff, a trailing moving average (window 3), scipy.stats.linregress on the
  period index, and pymannkendall.original_test (S, var(S) with the tie correction, z, p,
  tau, Sen's slope, intercept).

Published examples (their printed values are in the JSON, with the citation):

* Anscombe, F. J. (1973). Graphs in statistical analysis. The American Statistician 27(1),
  17-21: data set I, with the printed mean of x (9.0), of y (7.5), variance of x (11),
  regression coefficient 0.5, intercept 3, standard error of b1 0.118, multiple R^2 0.667.
* Wikipedia, "Spearman's rank correlation coefficient", section "Example" (IQ against hours
  of television per week, 10 people): rho = -29/165 = -0.175757575..., p = 0.627188 (t
  distribution).
* J. Little, "A Mann-Kendall Example ("By Hand")", College of the Holy Cross,
  https://mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt (14 values, one
  pair of ties): S = 54, V = (14)(13)(33)/18 - (2)(1)(9)/18, Z = 2.9058, one-sided p = .0018.
* pingouin.cronbach_alpha docstring (pingouin 0.5.x/0.7.x, data set `cronbach_wide_missing`
  from www.real-statistics.com, checked there against R psych::alpha): alpha pairwise
  0.732660835214447, listwise 0.8016949152542373.

Missing values are null in the JSON and NaN in the computations here.

Re-run (a virtual environment outside the repository):

    python3 -m venv /tmp/venv-stats
    /tmp/venv-stats/bin/pip install numpy==2.4.6 scipy==1.17.1 pandas==3.1.1 pingouin==0.7.0 pymannkendall==1.4.3
    /tmp/venv-stats/bin/python scripts/reference/analysis_reference.py

(writes tests/data/analysis_reference.json; the versions used are in its metadata).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pymannkendall as mk
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_json import tool_versions, write_reference  # noqa: E402

GRADE_VALUES = [100.0, 90.0, 70.0, 40.0, 0.0]


def opt(x):
    """A float, or None for NaN (undefined)."""
    x = float(x)
    return None if math.isnan(x) else x


def to_rows(a: np.ndarray) -> list:
    return [[None if math.isnan(v) else float(v) for v in row] for row in a]


# ----- tables ------------------------------------------------------------------------------

def likert(rng, n, k, missing):
    latent = rng.normal(2.0, 1.0, n)
    codes = np.clip(np.rint(latent[:, None] + rng.normal(0.0, 0.8, (n, k))), 0, 4)
    mask = rng.random((n, k)) < missing
    codes[mask] = np.nan
    return codes


def continuous(rng, n, k, missing):
    base = rng.normal(0.0, 1.0, n)
    x = np.round(base[:, None] * rng.uniform(-1, 1, k) + rng.normal(0.0, 1.0, (n, k)), 1)
    mask = rng.random((n, k)) < missing
    x[mask] = np.nan
    return x


# ----- families ----------------------------------------------------------------------------

def descriptive(a: np.ndarray, graded: bool) -> list:
    out = []
    for col in a.T:
        x = col[~np.isnan(col)]
        item = {"n": int(x.size), "missing": int(np.isnan(col).sum()),
                "codes": summary(x) if x.size else None}
        if graded:
            item["values"] = summary(np.array([GRADE_VALUES[int(c)] for c in x])) if x.size else None
            item["frequencies"] = [[float(c), int((x == c).sum())] for c in range(len(GRADE_VALUES))]
        else:
            vals, counts = np.unique(x, return_counts=True)
            item["frequencies"] = [[float(v), int(c)] for v, c in zip(vals, counts)]
        out.append(item)
    return out


def summary(x: np.ndarray) -> dict:
    n = x.size
    var_pos = n >= 2 and np.var(x) > 0
    return {
        "mean": float(np.mean(x)),
        "sd": float(np.std(x, ddof=1)) if n >= 2 else None,
        "median": float(np.median(x)),
        "min": float(np.min(x)),
        "max": float(np.max(x)),
        "skewness": float(stats.skew(x, bias=True)) if var_pos else None,
        "kurtosis": float(stats.kurtosis(x, fisher=True, bias=True)) if var_pos else None,
        "skewness_spss": float(stats.skew(x, bias=False)) if var_pos and n >= 3 else None,
        "kurtosis_spss": float(stats.kurtosis(x, fisher=True, bias=False)) if var_pos and n >= 4 else None,
    }


def alpha_std_from_cov(c: np.ndarray) -> float:
    k = c.shape[0]
    d = np.sqrt(np.diag(c))
    r = c / np.outer(d, d)
    rbar = r[np.triu_indices(k, 1)].mean()
    return float(k * rbar / (1 + (k - 1) * rbar))


def reliability(a: np.ndarray, policy: str) -> dict:
    df = pd.DataFrame(a, columns=[f"q{j}" for j in range(a.shape[1])])
    k = a.shape[1]
    alpha = pg.cronbach_alpha(data=df, nan_policy=policy)[0]
    if_deleted = [float(pg.cronbach_alpha(data=df.drop(columns=c), nan_policy=policy)[0]) if k >= 3 else None
                  for c in df.columns]
    odd, even = list(range(0, k, 2)), list(range(1, k, 2))
    if policy == "listwise":
        # alpha if item deleted over the same respondents as alpha (as SPSS RELIABILITY), not
        # after a new listwise deletion on the remaining items
        if_deleted = [float(pg.cronbach_alpha(data=df.dropna().drop(columns=c))[0]) if k >= 3 else None
                      for c in df.columns]
        full = df.dropna().to_numpy()
        c = np.cov(full, rowvar=False, ddof=1)
        item_total = [float(np.corrcoef(full[:, i], np.delete(full, i, axis=1).sum(axis=1))[0, 1])
                      for i in range(k)]
        split = float(np.corrcoef(full[:, odd].sum(axis=1), full[:, even].sum(axis=1))[0, 1])
        respondents = full.shape[0]
        std = float(alpha_std_from_cov(np.corrcoef(full, rowvar=False)))
    else:
        c = df.cov().to_numpy()
        item_total = []
        for i in range(k):
            rest = [j for j in range(k) if j != i]
            item_total.append(float(c[i, rest].sum() / math.sqrt(c[i, i] * c[np.ix_(rest, rest)].sum())))
        split = float(c[np.ix_(odd, even)].sum()
                      / math.sqrt(c[np.ix_(odd, odd)].sum() * c[np.ix_(even, even)].sum()))
        respondents = int((~np.isnan(a)).any(axis=1).sum())
        std = alpha_std_from_cov(c)
    return {
        "policy": policy,
        "respondents": int(respondents),
        "alpha": float(alpha),
        "alpha_standardized": std,
        "alpha_if_deleted": if_deleted,
        "item_total": item_total,
        "split_half": split,
        "spearman_brown": 2 * split / (1 + split),
    }


def correlations(a: np.ndarray) -> dict:
    k = a.shape[1]
    out = {}
    for name, fn in [("pearson", stats.pearsonr), ("spearman", stats.spearmanr),
                     ("kendall", lambda x, y: stats.kendalltau(x, y, method="asymptotic"))]:
        r = [[None] * k for _ in range(k)]
        p = [[None] * k for _ in range(k)]
        n = [[0] * k for _ in range(k)]
        for i in range(k):
            for j in range(k):
                ok = ~np.isnan(a[:, i]) & ~np.isnan(a[:, j])
                x, y = a[ok, i], a[ok, j]
                n[i][j] = int(ok.sum())
                if i == j:
                    r[i][j], p[i][j] = 1.0, 0.0
                elif x.size >= 3 and np.ptp(x) > 0 and np.ptp(y) > 0:
                    res = fn(x, y)
                    r[i][j], p[i][j] = opt(res[0]), opt(res[1])
        out[name] = {"r": r, "p": p, "n": n}
    return out


def trend(x: np.ndarray) -> dict:
    lr = stats.linregress(np.arange(x.size, dtype=float), x)
    m = mk.original_test(x)
    return {
        "values": [float(v) for v in x],
        "changes": [float(v) for v in np.diff(x)],
        "moving_average_3": [float(v) for v in np.convolve(x, np.ones(3) / 3, mode="valid")],
        # scipy gives NaN for r, p and the standard error of a constant series: null here
        "linear": {"slope": float(lr.slope), "intercept": float(lr.intercept), "r": opt(lr.rvalue),
                   "p": opt(lr.pvalue), "slope_stderr": opt(lr.stderr)},
        "mann_kendall": {"s": float(m.s), "var_s": float(m.var_s), "z": float(m.z), "p": float(m.p),
                         "tau": float(m.Tau), "sen_slope": float(m.slope),
                         "intercept": float(m.intercept)},
    }


def table_case(name, a, graded):
    return {
        "name": name,
        "rows": to_rows(a),
        "graded": graded,
        "descriptive": descriptive(a, graded),
        "reliability": [reliability(a, "listwise"), reliability(a, "pairwise")],
        "correlation": correlations(a),
    }


# ----- published examples --------------------------------------------------------------------

ANSCOMBE_X = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5]
ANSCOMBE_Y1 = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]
SPEARMAN_IQ = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110]
SPEARMAN_TV = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17]
CRONBACH_WIDE_MISSING = pg.read_dataset("cronbach_wide_missing")
LITTLE_MK = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7]


def published() -> dict:
    # the data sets as scipy sees them, to check that the printed values are theirs
    lr = stats.linregress(ANSCOMBE_X, ANSCOMBE_Y1)
    assert round(lr.slope, 3) == 0.5 and round(lr.stderr, 3) == 0.118 and round(lr.rvalue ** 2, 3) == 0.667
    rho = stats.spearmanr(SPEARMAN_IQ, SPEARMAN_TV)
    assert abs(rho[0] - (-29 / 165)) < 1e-15 and round(rho[1], 6) == 0.627188
    assert abs(pg.cronbach_alpha(CRONBACH_WIDE_MISSING)[0] - 0.732660835214447) < 1e-15
    m = mk.original_test(LITTLE_MK)
    assert m.s == 54 and round(m.z, 4) == 2.9058 and round(m.p / 2, 4) == 0.0018
    return {
        "anscombe": {
            "source": "Anscombe (1973), The American Statistician 27(1), 17-21, data set I",
            "x": ANSCOMBE_X, "y": ANSCOMBE_Y1,
            "printed": {"mean_x": [9.0, 1], "mean_y": [7.5, 1], "var_x": [11.0, 0], "slope": [0.5, 1],
                        "intercept": [3.0, 0], "slope_stderr": [0.118, 3], "r_squared": [0.667, 3]},
        },
        "spearman": {
            "source": "Wikipedia, Spearman's rank correlation coefficient, Example (IQ vs TV hours)",
            "x": SPEARMAN_IQ, "y": SPEARMAN_TV,
            "rho_exact": -29 / 165, "printed_p": [0.627188, 6],
        },
        "mann_kendall": {
            "source": "J. Little, A Mann-Kendall Example (By Hand), College of the Holy Cross",
            "values": LITTLE_MK,
            "s": 54.0, "var_s": (14 * 13 * 33 - 2 * 1 * 9) / 18,
            "printed_z": [2.9058, 4], "printed_one_sided_p": [0.0018, 4],
        },
        "cronbach": {
            "source": "pingouin cronbach_alpha docstring, data set cronbach_wide_missing "
                      "(real-statistics.com; checked against R psych::alpha)",
            "ids": list(CRONBACH_WIDE_MISSING.columns),
            "rows": to_rows(CRONBACH_WIDE_MISSING.to_numpy(dtype=float)),
            "printed_pairwise": 0.732660835214447, "printed_listwise": 0.8016949152542373,
        },
    }


def main() -> None:
    rng = np.random.default_rng(20261129)
    tables = [
        table_case("likert_complete", likert(rng, 15, 5, 0.0), True),
        table_case("likert_missing", likert(rng, 30, 6, 0.12), True),
        table_case("likert_two_items", likert(rng, 9, 2, 0.1), True),
        table_case("continuous_ties", continuous(rng, 25, 4, 0.08), False),
    ]
    series = {
        "rising_with_ties": trend(np.round(70 + 0.4 * np.arange(24) + rng.normal(0, 1.5, 24))),
        "noise": trend(np.round(rng.normal(80, 3, 15), 1)),
        "falling": trend(90 - 0.8 * np.arange(12) + rng.normal(0, 0.5, 12)),
        "constant": trend(np.full(6, 75.0)),
    }
    metadata = {"generator": "scripts/reference/analysis_reference.py",
                **tool_versions("numpy", "scipy", "pandas", "pingouin", "pymannkendall")}
    path = write_reference("analysis_reference.json", metadata,
                           {"grade_values": GRADE_VALUES, "tables": tables, "series": series,
                            "published": published()})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
