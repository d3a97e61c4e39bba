#!/usr/bin/env python3
"""Independent reference values for `service_quality::analysis::{SamplingAdequacy, FactorAnalysis}`.

What it computes
----------------
On fixed, seeded tables (numpy.random.default_rng(20261129)) with a clear factor structure
(items = loading * latent factor + noise, rounded to one decimal; some cells missing):

* factor_analyzer.factor_analyzer.calculate_kmo: the per-item MSA and the overall KMO;
* factor_analyzer.factor_analyzer.calculate_bartlett_sphericity: chi-square and p-value
  (scipy.stats.chi2.sf), with df = p(p-1)/2;
* FactorAnalyzer(method='principal', rotation=None, n_factors=k): the eigenvalues of the
  correlation matrix (get_eigenvalues()[0]) and the unrotated loadings;
* FactorAnalyzer(method='principal', rotation='varimax', n_factors=k) (Rotator defaults:
  Kaiser normalisation, max_iter=1000, tol=1e-5): the rotated loadings and
  get_factor_variance() (variance, proportion, cumulative) of the rotated factors.

Missing values: the rows with a missing answer are dropped before each call (listwise
deletion, as the crate does); the JSON keeps them as null so the crate sees the same table.
Loading columns are written as factor_analyzer returns them: their signs are arbitrary, the
test compares them up to the sign of each column.

Run in a virtual environment outside the repository:

    python3 -m venv /tmp/venv-stats
    /tmp/venv-stats/bin/pip install numpy==2.4.6 scipy==1.17.1 pandas==3.1.1 scikit-learn==1.9.1 factor_analyzer==0.5.1
    /tmp/venv-stats/bin/python scripts/reference/validity_reference.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from factor_analyzer import factor_analyzer as fa_module
from factor_analyzer.factor_analyzer import (
    FactorAnalyzer,
    calculate_bartlett_sphericity,
    calculate_kmo,
)

# factor_analyzer 0.5.1 passes `force_all_finite` to sklearn's check_array, which
# scikit-learn 1.8 renamed `ensure_all_finite`: translate the keyword (same meaning).
_check_array = fa_module.check_array


def _check_array_compat(*args, **kwargs):
    if "force_all_finite" in kwargs:
        kwargs["ensure_all_finite"] = kwargs.pop("force_all_finite")
    return _check_array(*args, **kwargs)


fa_module.check_array = _check_array_compat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_json import tool_versions, write_reference  # noqa: E402


def structured(rng, n: int, per_factor: list[int], missing: float) -> tuple[list[str], np.ndarray]:
    """Items loading on one of len(per_factor) correlated latent factors each."""
    factors = len(per_factor)
    latent = rng.normal(size=(n, factors))
    latent[:, 1:] += 0.3 * latent[:, :1]
    columns, ids = [], []
    for f, count in enumerate(per_factor):
        for j in range(count):
            loading = rng.uniform(0.6, 0.9)
            columns.append(loading * latent[:, f] + np.sqrt(1 - loading**2) * rng.normal(size=n))
            ids.append(f"d{f + 1}_q{j + 1}")
    x = np.round(3 + np.column_stack(columns), 1)
    x[rng.random(x.shape) < missing] = np.nan
    return ids, x


def case(name: str, ids: list[str], x: np.ndarray, n_factors: int) -> dict:
    df = pd.DataFrame(x, columns=ids)
    complete = df.dropna()
    msa, kmo = calculate_kmo(complete)
    chi2, p = calculate_bartlett_sphericity(complete)
    plain = FactorAnalyzer(n_factors=n_factors, method="principal", rotation=None)
    plain.fit(complete)
    rotated = FactorAnalyzer(n_factors=n_factors, method="principal", rotation="varimax")
    rotated.fit(complete)
    variance, proportion, cumulative = rotated.get_factor_variance()
    p_items = len(ids)
    return {
        "name": name,
        "ids": ids,
        "rows": [[None if np.isnan(v) else float(v) for v in row] for row in x],
        "respondents": len(complete),
        "factors": n_factors,
        "kmo": float(kmo),
        "msa": [float(v) for v in msa],
        "bartlett_chi_square": float(chi2),
        "bartlett_df": p_items * (p_items - 1) // 2,
        "bartlett_p": float(p),
        "eigenvalues": [float(v) for v in plain.get_eigenvalues()[0]],
        "loadings": [[float(v) for v in row] for row in plain.loadings_],
        "rotated_loadings": [[float(v) for v in row] for row in rotated.loadings_],
        "rotated_variance": [float(v) for v in variance],
        "rotated_proportion": [float(v) for v in proportion],
        "rotated_cumulative": [float(v) for v in cumulative],
    }


def main() -> None:
    rng = np.random.default_rng(20261129)
    cases = [
        case("three_dimensions", *structured(rng, 200, [3, 3, 3], 0.0), 3),
        case("two_dimensions_missing", *structured(rng, 120, [4, 3], 0.03), 2),
        case("two_dimensions_small", *structured(rng, 25, [3, 3], 0.0), 2),
    ]
    metadata = {"generator": "scripts/reference/validity_reference.py",
                **tool_versions("numpy", "scipy", "pandas", "scikit-learn", "factor_analyzer")}
    path = write_reference("validity_reference.json", metadata, {"cases": cases})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
