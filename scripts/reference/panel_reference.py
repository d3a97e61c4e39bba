#!/usr/bin/env python3
"""Independent reference values for the expert-panel features of `service_quality`.

Run with numpy, scipy, AHPy and pyDecision installed (versions used for the values in
tests/panel_reference.rs: Python 3.11, numpy 2.4.6, scipy 1.17.1, AHPy 2.1, pyDecision 5.1.8):

    python3 scripts/reference/panel_reference.py

It prints Rust literals; tests/panel_reference.rs holds them. Nothing here shares code with
the crate: eigenvectors come from numpy.linalg.eig, least squares from numpy.linalg.lstsq,
optimisation from scipy, the completion from AHPy and fuzzy AHP from pyDecision.

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


def lit(xs):
    return "[" + ", ".join(repr(float(x)) for x in xs) + "]"


def entropy(p):
    p = np.asarray(p)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


print("// ----- 1-3: panel of four experts, n = 4 -----")
experts = [
    [3.0, 5.0, 7.0, 2.0, 3.0, 2.0],
    [2.0, 4.0, 9.0, 3.0, 5.0, 1.0],
    [4.0, 3.0, 5.0, 1.0, 2.0, 3.0],
    [1.0 / 3.0, 2.0, 1.0 / 5.0, 7.0, 1.0 / 2.0, 1.0 / 9.0],
]
lam = np.array([2.0, 1.0, 1.0, 1.0])
lam = lam / lam.sum()
mats = [full(4, u) for u in experts]
logs = sum(l * np.log(m) for l, m in zip(lam, mats))
agg = np.exp(logs)
print("AIJ_UPPER =", lit([agg[i, j] for i in range(4) for j in range(i + 1, 4)]))
w_agg, l_agg = eig(agg)
print("AIJ_EIGEN =", lit(w_agg), "lambda", repr(float(l_agg)))
ws = [eig(m)[0] for m in mats]
geo = np.exp(sum(l * np.log(w) for l, w in zip(lam, ws)))
print("AIP_GEOMETRIC =", lit(geo / geo.sum()))
ari = sum(l * w for l, w in zip(lam, ws))
print("AIP_ARITHMETIC =", lit(ari / ari.sum()))
for k, w in enumerate(ws):
    print(f"EXPERT_{k}_EIGEN =", lit(w))

# Goepel S* with weights lam, scale max 9
h_alpha = sum(l * entropy(w) for l, w in zip(lam, ws))
h_gamma = entropy(sum(l * w for l, w in zip(lam, ws)))
d_beta = np.exp(h_gamma - h_alpha)
n = 4
v = np.array([9.0] + [1.0] * (n - 1))
v = v / v.sum()
ratio = np.exp(entropy(v)) / n
print("S_STAR =", repr(float((1 / d_beta - ratio) / (1 - ratio))), "D_BETA", repr(float(d_beta)))
# equal-weight S* for the first three experts
eq = np.ones(3) / 3
h_alpha = sum(l * entropy(w) for l, w in zip(eq, ws[:3]))
h_gamma = entropy(sum(l * w for l, w in zip(eq, ws[:3])))
d_beta = np.exp(h_gamma - h_alpha)
print("S_STAR_EQUAL_3 =", repr(float((1 / d_beta - ratio) / (1 - ratio))))


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


for k, m in enumerate(mats):
    ki, t = koczkodaj(m)
    print(f"EXPERT_{k}: gci", repr(float(gci(m, rgmm(m)))), "koczkodaj", repr(float(ki)), t)
print("GCOMPI vs AIJ group =", lit([gci(m, w_agg) for m in mats]))

print("\n// ----- 4: completion -----")


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
for name, (n, given) in cases.items():
    comps = {(names[i], names[j]): v for (i, j), v in given.items()}
    c = ahpy.Compare(name, comps, precision=15, random_index="saaty")
    report = c.report(verbose=True)
    computed = report["comparisons"]["computed"]
    print(f"{name}: AHPy computed", {k: repr(float(v)) for k, v in computed.items()})
    missing, values, lmax = tight_optimum(n, given)
    print(f"{name}: tight optimum", missing, lit(values), "lambda_max", repr(float(lmax)))
    print(f"{name}: harker weights", lit(harker(n, given)))
    print(f"{name}: llsm weights", lit(llsm(n, given)))

print("\n// ----- 5: fuzzy AHP (pyDecision, Buckley) -----")


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
print("FUZZY_WEIGHTS =", [tuple(repr(float(x)) for x in w) for w in f_w])
print("FUZZY_CRISP =", lit(n_w))
