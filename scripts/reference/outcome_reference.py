#!/usr/bin/env python3
"""Independent reference values for `service_quality::outcome`.

What it computes
----------------
On fixed, seeded data (numpy.random.default_rng(20261129)):

* quantiles: numpy.quantile(x, p, method="linear") (numpy's default, Hyndman & Fan's
  definition 7) for vectors with and without ties, n = 1..40, at p = 0, 0.05, 0.1, 0.25, 0.5,
  0.8, 0.9, 0.95, 1;
* ranks: scipy.stats.rankdata(-x, method="min") (competition, 1-2-2-4) and method="dense"
  (1-2-2-3), on scores rounded to one decimal so that ties occur;
* quantile tiers: the cut points numpy.quantile(scores, p) for p = 0.9, 0.5, 0.05 (tiers A,
  B, C, D: A if score >= cut 0.9, B if >= cut 0.5, C if >= cut 0.05, else D), with merchants
  of fewer than 10 respondents in the insufficient-data tier and left out of the quantiles;
* analytic intervals of a weighted mean of grade values from answer counts: per indicator the
  mean and the sample variance (numpy.average, ddof=1 over the answers expanded with
  numpy.repeat), score = sum w_i m_i, SE = sqrt(sum w_i^2 s_i^2 / n_i) (independent) and
  sum w_i s_i / sqrt(n_i) (perfect dependence), z = scipy.stats.norm.ppf(1 - alpha/2) at
  levels 0.95 and 0.90, the interval clipped to [55, 95];
* shrinkage: (n s + k mu) / (n + k) with mu the mean score, and the empirical-Bayes form
  mu + tau2 / (tau2 + se^2) (s - mu) with tau2 = max(0, var(s, ddof=0) - mean(se^2)).

The tree of the interval cases: goal -> d1 (0.6) -> {a 0.5, b 0.5}, d2 (0.4) -> {c 0.3,
d 0.7}: global weights 0.3, 0.3, 0.12, 0.28; grades 95, 85, 75, 65, 55.

Re-run (a virtual environment outside the repository):

    python3 -m venv /tmp/venv-results
    /tmp/venv-results/bin/pip install numpy==2.1.3 scipy==1.14.1
    /tmp/venv-results/bin/python scripts/reference/outcome_reference.py

(writes tests/data/outcome_reference.json; the versions used are in its metadata).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_json import tool_versions, write_reference  # noqa: E402

SEED = 20261129
PROBABILITIES = [0.0, 0.05, 0.1, 0.25, 0.5, 0.8, 0.9, 0.95, 1.0]
VALUES = np.array([95.0, 85.0, 75.0, 65.0, 55.0])
WEIGHTS = np.array([0.6 * 0.5, 0.6 * 0.5, 0.4 * 0.3, 0.4 * 0.7])


def quantile_cases(rng):
    cases = []
    for n in [1, 2, 3, 4, 5, 7, 10, 11, 20, 40]:
        for ties in [False, True]:
            x = rng.normal(80.0, 8.0, n)
            if ties:
                x = np.round(x / 5.0) * 5.0
            cases.append({
                "values": x.tolist(),
                "probabilities": PROBABILITIES,
                "quantiles": [float(np.quantile(x, p, method="linear")) for p in PROBABILITIES],
            })
    return cases


def rank_cases(rng):
    cases = []
    for n in [1, 5, 12, 30]:
        x = np.round(rng.normal(80.0, 4.0, n), 0)
        cases.append({
            "scores": x.tolist(),
            "competition": [int(r) for r in stats.rankdata(-x, method="min")],
            "dense": [int(r) for r in stats.rankdata(-x, method="dense")],
        })
    return cases


def tier_cases(rng):
    cases = []
    for n in [8, 25, 60]:
        scores = np.round(rng.normal(80.0, 6.0, n), 1)
        samples = rng.integers(3, 60, n)
        enough = scores[samples >= 10]
        cuts = [float(np.quantile(enough, p)) for p in (0.9, 0.5, 0.05)]
        tiers = []
        for s, m in zip(scores, samples):
            if m < 10:
                tiers.append("insufficient")
            elif s >= cuts[0]:
                tiers.append("A")
            elif s >= cuts[1]:
                tiers.append("B")
            elif s >= cuts[2]:
                tiers.append("C")
            else:
                tiers.append("D")
        cases.append({
            "scores": scores.tolist(),
            "samples": [int(m) for m in samples],
            "cuts": cuts,
            "tiers": tiers,
        })
    return cases


def interval_cases(rng):
    cases = []
    for k in range(8):
        n = int(rng.integers(2, 400))
        probs = rng.dirichlet(np.ones(5) * (0.5 + k))
        counts = np.array([rng.multinomial(n - int(rng.integers(0, n // 4 + 1)), probs) for _ in range(4)])
        counts[counts.sum(axis=1) < 2, 0] += 2
        means, variances, ns = [], [], []
        for row in counts:
            answers = np.repeat(VALUES, row)
            means.append(float(np.mean(answers)))
            variances.append(float(np.var(answers, ddof=1)))
            ns.append(int(row.sum()))
        means, variances, ns = np.array(means), np.array(variances), np.array(ns)
        score = float(WEIGHTS @ means)
        se_ind = float(np.sqrt(np.sum(WEIGHTS**2 * variances / ns)))
        se_perfect = float(np.sum(WEIGHTS * np.sqrt(variances / ns)))
        out = {"counts": [int(c) for c in counts.ravel()], "score": score,
               "se_independent": se_ind, "se_perfect": se_perfect, "levels": []}
        for level in (0.95, 0.90):
            z = float(stats.norm.ppf(1 - (1 - level) / 2))
            out["levels"].append({
                "level": level,
                "z": z,
                "lower": max(55.0, score - z * se_ind),
                "upper": min(95.0, score + z * se_ind),
            })
        cases.append(out)
    return cases


def shrinkage_cases(rng):
    scores = np.round(rng.normal(82.0, 5.0, 12), 2)
    samples = rng.integers(3, 500, 12)
    se = np.round(rng.uniform(0.5, 6.0, 12), 3)
    mu = float(np.mean(scores))
    k = 25.0
    pseudo = (samples * scores + k * mu) / (samples + k)
    tau2 = max(0.0, float(np.var(scores)) - float(np.mean(se**2)))
    eb = mu + tau2 / (tau2 + se**2) * (scores - mu)
    return {
        "scores": scores.tolist(), "samples": [int(m) for m in samples], "std_errors": se.tolist(),
        "k": k, "mean": mu, "pseudo": pseudo.tolist(), "tau2": tau2, "empirical_bayes": eb.tolist(),
    }


def main():
    rng = np.random.default_rng(SEED)
    metadata = {"generator": "scripts/reference/outcome_reference.py",
                **tool_versions("numpy", "scipy")}
    data = {
        "quantiles": quantile_cases(rng),
        "ranks": rank_cases(rng),
        "tiers": tier_cases(rng),
        "intervals": interval_cases(rng),
        "shrinkage": shrinkage_cases(rng),
    }
    print(write_reference("outcome_reference.json", metadata, data))


if __name__ == "__main__":
    main()
