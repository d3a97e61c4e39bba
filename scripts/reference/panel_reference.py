#!/usr/bin/env python3
"""Independent reference values for the expert-panel features of `service_quality`.

Run with numpy, scipy, AHPy and pyDecision installed, from a virtual environment outside
the repository (versions used for the committed values: Python 3.11.7, numpy 2.4.6 with
OpenBLAS 0.3.31 Haswell kernels, scipy 1.17.1, AHPy 2.1, pyDecision 5.1.8):

    python3 -m venv /tmp/venv-ref
    /tmp/venv-ref/bin/pip install numpy==2.4.6 scipy==1.17.1 ahpy==2.1 pyDecision==5.1.8
    OPENBLAS_CORETYPE=Haswell /tmp/venv-ref/bin/python scripts/reference/panel_reference.py

It writes tests/data/panel_reference.json: {"metadata": ..., "panel": ..., "completion": ...,
"fuzzy_ahp": ...}, the inputs of each section beside the values computed from them, with the
tool versions (and the OpenBLAS kernels, see scripts/reference/ahp_reference.py for why they
matter to the last bits) in "metadata"; tests/panel_reference.rs reads it. Nothing here shares
code with the crate: eigenvectors come from numpy.linalg.eig, least squares from
numpy.linalg.lstsq, optimisation from scipy, the completion from AHPy and fuzzy AHP from
pyDecision.

Sections
--------
1. AIJ: element-wise weighted geometric mean of four 4x4 expert matrices (numpy), and the
   principal eigenvector of the aggregate (numpy.linalg.eig).
2. AIP: each expert's numpy eigenvector, weighted geometric and arithmetic means, renormalised.
3. Goepel's consensus S* of the expert eigenvectors (numpy, formula as documented on
   `AhpConsensus`), GCI (RGMM) and Koczkodaj's index of each expert matrix.
4. Completion: AHPy's Bozoki-Fulop-Ronyai completion (AHPy README example, and a 6x6 case);
   a tight optimum of lambda_max over the logs of the missing entries with
   scipy.optimize.minimize (BFGS, gradient from numpy left/right eigenvectors); Harker's
   modified matrix eigenvector (numpy.linalg.eig); LLSM (numpy.linalg.lstsq).
5. Fuzzy AHP: pyDecision.algorithm.fuzzy_ahp_method (Buckley's geometric mean with centroid
   defuzzification) on a 4x4 fuzzy matrix.
"""
import itertools

import numpy as np
import scipy.optimize as spo
import ahpy
from pyDecision.algorithm import fuzzy_ahp_method

from reference_json import tool_versions, write_reference


def full(n, upper):
    a = np.ones((n, n))
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = upper[k]
            a[j, i] = 1.0 / upper[k]
            k += 1
    return a


def eig(a):
    vals, vecs = np.linalg.eig(a)
    k = np.argmax(vals.real)
    w = np.abs(vecs[:, k].real)
    return w / w.sum(), vals[k].real


def rgmm(a):
    w = np.exp(np.log(a).mean(axis=1))
    return w / w.sum()


def floats(xs):
    return [float(x) for x in xs]


def entropy(p):
    p = np.asarray(p)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


# ----- 1-3: panel of four experts, n = 4 -----
experts = [
    [3.0, 5.0, 7.0, 2.0, 3.0, 2.0],
    [2.0, 4.0, 9.0, 3.0, 5.0, 1.0],
    [4.0, 3.0, 5.0, 1.0, 2.0, 3.0],
    [1.0 / 3.0, 2.0, 1.0 / 5.0, 7.0, 1.0 / 2.0, 1.0 / 9.0],
]
expert_weights = [2.0, 1.0, 1.0, 1.0]
lam = np.array(expert_weights)
lam = lam / lam.sum()
mats = [full(4, u) for u in experts]
logs = sum(l * np.log(m) for l, m in zip(lam, mats))
agg = np.exp(logs)
panel = {
    "experts_upper": experts,
    "expert_weights": expert_weights,
    "aij_upper": floats(agg[i, j] for i in range(4) for j in range(i + 1, 4)),
}
w_agg, l_agg = eig(agg)
panel["aij_eigenvector"] = floats(w_agg)
panel["aij_lambda_max"] = float(l_agg)
ws = [eig(m)[0] for m in mats]
panel["expert_eigenvectors"] = [floats(w) for w in ws]
geo = np.exp(sum(l * np.log(w) for l, w in zip(lam, ws)))
panel["aip_geometric"] = floats(geo / geo.sum())
ari = sum(l * w for l, w in zip(lam, ws))
panel["aip_arithmetic"] = floats(ari / ari.sum())

# Goepel S* with weights lam, scale max 9
h_alpha = sum(l * entropy(w) for l, w in zip(lam, ws))
h_gamma = entropy(sum(l * w for l, w in zip(lam, ws)))
d_beta = np.exp(h_gamma - h_alpha)
n = 4
v = np.array([9.0] + [1.0] * (n - 1))
v = v / v.sum()
ratio = np.exp(entropy(v)) / n
panel["s_star"] = float((1 / d_beta - ratio) / (1 - ratio))
panel["d_beta"] = float(d_beta)
# equal-weight S* for the first three experts
eq = np.ones(3) / 3
h_alpha = sum(l * entropy(w) for l, w in zip(eq, ws[:3]))
h_gamma = entropy(sum(l * w for l, w in zip(eq, ws[:3])))
d_beta = np.exp(h_gamma - h_alpha)
panel["s_star_first_three_equal"] = float((1 / d_beta - ratio) / (1 - ratio))


def gci(a, w):
    n = a.shape[0]
    s = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            s += np.log(a[i, j] * w[j] / w[i]) ** 2
    return 2 * s / ((n - 1) * (n - 2))


def koczkodaj(a):
    n = a.shape[0]
    best = (0.0, None)
    for i, j, k in itertools.combinations(range(n), 3):
        r = a[i, k] / (a[i, j] * a[j, k])
        ki = min(abs(1 - r), abs(1 - 1 / r))
        if ki > best[0]:
            best = (ki, (i, j, k))
    return best


panel["gci"] = [float(gci(m, rgmm(m))) for m in mats]
panel["koczkodaj"] = [float(koczkodaj(m)[0]) for m in mats]
panel["koczkodaj_worst_triad"] = [list(koczkodaj(m)[1]) for m in mats]
panel["gcompi_vs_aij"] = [float(gci(m, w_agg)) for m in mats]

# ----- 4: completion -----


def tight_optimum(n, given):
    """min lambda_max over logs of the missing upper entries, BFGS with the exact gradient."""
    missing = [(i, j) for i in range(n) for j in range(i + 1, n) if (i, j) not in given]

    def build(t):
        a = np.ones((n, n))
        for (i, j), v in given.items():
            a[i, j], a[j, i] = v, 1 / v
        for (i, j), x in zip(missing, t):
            a[i, j], a[j, i] = np.exp(x), np.exp(-x)
        return a

    def f(t):
        a = build(t)
        vals, right = np.linalg.eig(a)
        k = np.argmax(vals.real)
        lvals, left = np.linalg.eig(a.T)
        kl = np.argmax(lvals.real)
        w = np.abs(right[:, k].real)
        v = np.abs(left[:, kl].real)
        g = [(v[i] * a[i, j] * w[j] - v[j] * a[j, i] * w[i]) / v.dot(w) for i, j in missing]
        return vals[k].real, np.array(g)

    res = spo.minimize(f, np.zeros(len(missing)), jac=True, method="BFGS",
                       options={"gtol": 1e-13, "maxiter": 10000})
    a = build(res.x)
    return missing, [a[i, j] for i, j in missing], f(res.x)[0]


def harker(n, given):
    c = np.zeros((n, n))
    for (i, j), v in given.items():
        c[i, j], c[j, i] = v, 1 / v
    for i in range(n):
        c[i, i] = 1 + sum(1 for j in range(n) if j != i and c[i, j] == 0)
    w, _ = eig(c)
    return w


def llsm(n, given):
    rows, rhs = [], []
    for (i, j), v in given.items():
        r = np.zeros(n)
        r[i], r[j] = 1, -1
        rows.append(r)
        rhs.append(np.log(v))
    rows.append(np.ones(n))
    rhs.append(0.0)
    y = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)[0]
    w = np.exp(y)
    return w / w.sum()


cases = {
    # the AHPy README "Missing_CD" example: a..d, (c, d) missing
    "readme": (4, {(0, 1): 1.0, (0, 2): 5.0, (0, 3): 2.0, (1, 2): 3.0, (1, 3): 4.0}),
    # six criteria, four pairs missing
    "six": (6, {(0, 1): 2.0, (0, 2): 3.0, (0, 4): 5.0, (1, 2): 2.0, (1, 3): 1.0 / 2.0,
                (1, 5): 4.0, (2, 3): 1.0 / 3.0, (2, 4): 2.0, (3, 4): 5.0, (3, 5): 6.0,
                (4, 5): 1.0 / 2.0}),
}
names = "abcdef"
completion = {}
for name, (n, given) in cases.items():
    comps = {(names[i], names[j]): v for (i, j), v in given.items()}
    c = ahpy.Compare(name, comps, precision=15, random_index="saaty")
    report = c.report(verbose=True)
    computed = report["comparisons"]["computed"]
    missing, values, lmax = tight_optimum(n, given)
    ahpy_values = [float(computed[(names[i], names[j])]) for i, j in missing]
    assert len(computed) == len(missing)
    completion[name] = {
        "n": n,
        "given": [[i, j, float(v)] for (i, j), v in given.items()],
        "missing": [[i, j] for i, j in missing],
        "ahpy_completed": ahpy_values,
        "optimum": floats(values),
        "optimum_lambda_max": float(lmax),
        "harker_weights": floats(harker(n, given)),
        "llsm_weights": floats(llsm(n, given)),
    }

# ----- 5: fuzzy AHP (pyDecision, Buckley) -----


def tfn(k):
    if k >= 1:
        k = int(round(k))
        return (1, 1, 1) if k == 1 else ((8, 9, 9) if k == 9 else (k - 1, k, k + 1))
    l, m, u = tfn(1 / k)
    return (1 / u, 1 / m, 1 / l)


upper = [3.0, 5.0, 1.0 / 2.0, 2.0, 1.0 / 4.0, 1.0 / 7.0]
n = 4
fm = [[(1, 1, 1)] * n for _ in range(n)]
fm = [list(r) for r in fm]
k = 0
for i in range(n):
    for j in range(i + 1, n):
        t = tfn(upper[k])
        fm[i][j] = t
        fm[j][i] = (1 / t[2], 1 / t[1], 1 / t[0])
        k += 1
f_w, d_w, n_w, rc = fuzzy_ahp_method(fm)
fuzzy_ahp = {
    "upper": upper,
    "scale_of_9": floats(tfn(9.0)),
    "fuzzy_weights": [floats(w) for w in f_w],
    "crisp_weights": floats(n_w),
}

metadata = {
    "generator": "scripts/reference/panel_reference.py",
    "do_not_edit": "generated: re-run the script instead of editing by hand",
    **tool_versions("numpy", "scipy", "ahpy", "pyDecision"),
    "sections": {
        "panel": "four experts' 4x4 matrices (upper triangles) with raw expert weights "
                 "2, 1, 1, 1: AIJ (weighted geometric mean of the entries, numpy) and its "
                 "numpy.linalg.eig eigenvector; each expert's eigenvector; AIP weighted "
                 "geometric and arithmetic means, renormalised; Goepel's S* and D_beta (scale "
                 "max 9), S* of the first three experts with equal weights; GCI with RGMM "
                 "weights and Koczkodaj's index (with its worst triad) of each expert; GCI of "
                 "each expert against the AIJ eigenvector (GCOMPI)",
        "completion": "incomplete matrices (given judgements (i, j, a_ij)): AHPy 2.1's "
                      "completion (ahpy.Compare, precision 15) of the missing pairs; the "
                      "optimum of lambda_max over the logs of the missing entries "
                      "(scipy.optimize.minimize BFGS, gtol 1e-13) and its lambda_max; Harker's "
                      "modified-matrix eigenvector (numpy); LLSM weights (numpy.linalg.lstsq)",
        "fuzzy_ahp": "pyDecision.algorithm.fuzzy_ahp_method (Buckley's geometric mean, "
                     "centroid defuzzification) of a 4x4 Saaty matrix made fuzzy with k -> "
                     "(k-1, k, k+1), 1 -> (1, 1, 1), 9 -> (8, 9, 9), reciprocals inverted",
    },
}
path = write_reference("panel_reference.json", metadata,
                       {"panel": panel, "completion": completion, "fuzzy_ahp": fuzzy_ahp})
print(f"wrote {path}")
