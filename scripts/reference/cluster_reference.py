#!/usr/bin/env python3
"""Independent reference values for `service_quality::analysis::KMeans` (clustering of merchants).

What it computes
----------------
On fixed, seeded tables (numpy.random.default_rng(20261130)) of "merchants" by features
(blobs of dimension scores on a 1-5 scale and a KPI in minutes, some values missing):

* sklearn.preprocessing.StandardScaler (divisor n): the standardised complete rows, which the
  crate's `standardize(true)` must reproduce;
* sklearn.cluster.KMeans(n_clusters=k, init=<given centres>, n_init=1, algorithm="lloyd",
  tol=0.0, max_iter=300): Lloyd's iterations from the given initial centres to strict
  convergence (no label changes): labels_, cluster_centers_, inertia_, n_iter_;
* sklearn.metrics.silhouette_score(X, labels) (Euclidean) of those labels.

For each table and each k in 2..=5 the initial centres are the standardised (or raw, for the
unstandardised case) complete rows at indices chosen by the same generator, so the crate's
`fit_from` starts where scikit-learn starts and must end where it ends. k-means++ seeding uses
random numbers, which are not comparable across implementations; the tests check its
properties instead (seeded reproducibility, restarts never worse).

Missing values: rows with a missing feature are left out before standardising (the crate does
the same); the JSON keeps them as null so the crate sees the same table.

Run in a virtual environment outside the repository:

    python3 -m venv /tmp/venv-stats
    /tmp/venv-stats/bin/pip install numpy==2.4.6 scipy==1.17.1 pandas==3.1.1 scikit-learn==1.9.1
    /tmp/venv-stats/bin/python scripts/reference/cluster_reference.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_json import tool_versions, write_reference  # noqa: E402


def blobs(rng, sizes: list[int], features: int, kpi: bool, missing: float) -> np.ndarray:
    """Merchants in len(sizes) groups: dimension scores around a group mean on a 1-5 scale
    (two decimals, as a mean of answers prints) and, if `kpi`, a handling time in minutes."""
    rows = []
    for size in sizes:
        centre = rng.uniform(1.5, 4.8, size=features)
        scores = np.clip(centre + rng.normal(scale=0.35, size=(size, features)), 1, 5)
        block = np.round(scores, 2)
        if kpi:
            minutes = np.round(rng.uniform(20, 240) + rng.normal(scale=15, size=(size, 1)), 1)
            block = np.hstack([block, minutes])
        rows.append(block)
    x = np.vstack(rows)
    x = x[rng.permutation(len(x))]
    x[rng.random(x.shape) < missing] = np.nan
    return x


def case(name: str, rng, x: np.ndarray, standardize: bool) -> dict:
    ids = [f"dim{j + 1}" for j in range(x.shape[1])]
    complete = x[~np.isnan(x).any(axis=1)]
    space = StandardScaler().fit_transform(complete) if standardize else complete
    fits = []
    for k in range(2, 6):
        start = sorted(rng.choice(len(space), size=k, replace=False).tolist())
        init = space[start]
        km = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", tol=0.0,
                    max_iter=300).fit(space)
        labels = km.labels_
        fits.append({
            "clusters": k,
            "initial_rows": start,
            "initial_centres": [[float(v) for v in row] for row in init],
            "labels": [int(v) for v in labels],
            "centres": [[float(v) for v in row] for row in km.cluster_centers_],
            "inertia": float(km.inertia_),
            "n_iter": int(km.n_iter_),
            "silhouette": float(silhouette_score(space, labels))
            if 2 <= len(set(labels)) <= len(space) - 1 else None,
        })
    return {
        "name": name,
        "ids": ids,
        "standardize": standardize,
        "rows": [[None if np.isnan(v) else float(v) for v in row] for row in x],
        "space": [[float(v) for v in row] for row in space],
        "fits": fits,
    }


def main() -> None:
    rng = np.random.default_rng(20261130)
    cases = [
        case("four_dimensions_three_groups", rng, blobs(rng, [12, 9, 7], 4, False, 0.0), True),
        case("scores_and_kpi_missing", rng, blobs(rng, [15, 10, 8, 6], 3, True, 0.02), True),
        case("raw_two_dimensions", rng, blobs(rng, [6, 5, 4], 2, False, 0.0), False),
    ]
    metadata = {"generator": "scripts/reference/cluster_reference.py",
                **tool_versions("numpy", "scipy", "scikit-learn")}
    path = write_reference("cluster_reference.json", metadata, {"cases": cases})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
