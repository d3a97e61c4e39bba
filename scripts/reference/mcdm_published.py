#!/usr/bin/env python3
"""Published worked examples for the multi-criteria methods that `mcdm_reference.py` does not
cite: entropy and the other objective weights, the multiplicative combination of two weight
vectors, grey relational analysis and the rank-sum ratio.

Every value under "printed" is copied from the source named beside it, with the number of
decimals it was printed to; nothing is computed by this script except the checks that the
data typed in are the data the source used (its printed figures must come out of them, by the
formulas written out below with numpy). Where a publication's table was read through a
third party that reproduces it (a test suite or a package's documentation), both are named.

1. Entropy weights (cost criteria treated like benefits, `p = x / sum x`, natural log):
   - X. Xu (2004), "A note on the subjective and objective integrated approach to determine
     attribute weights", European Journal of Operational Research 156(2), 530-532: the
     4 x 4 example whose fourth attribute is almost constant; weights 0.4630 0.3992 0.1378
     0.0000;
   - E. K. Zavadskas, V. Podvezko (2016), "Integrated determination of objective criteria
     weights in MCDM", International Journal of Information Technology & Decision Making
     15(2), 267-283: the 4 x 4 example (two cost criteria), entropy weights 0.1146 0.1981
     0.4185 0.2689;
   - H.-C. Lee, C.-T. Chang (2018), "Comparative analysis of MCDM methods for ranking
     renewable energy sources in Taiwan", Renewable and Sustainable Energy Reviews 92,
     883-896: 5 energy sources x 10 criteria, weights to 3 decimals;
   - Y. Ersoy (2021), "Equipment selection for an e-commerce company using entropy-based
     TOPSIS, EDAS and CODAS methods during the COVID-19", LogForum 17(3): 6 x 6, weights to
     3 decimals.
   All four as reproduced in the test suite of crispyn (A. Baczkiewicz, energyinpython/crispyn,
   tests/test_weighting_methods.py, "Test based on paper ..."), which compares its entropy
   weights with the printed ones at the printed decimals.
2. Coefficient of variation: D. Shuai, Z. Zongzhun, W. Yongji, L. Lei (2012), "A new angular
   method to determine the objective weights", 24th Chinese Control and Decision Conference
   (CCDC), 3889-3892, on Xu's matrix: 0.4258 0.3610 0.2121 0.0011 (crispyn, same file).
3. Standard deviation: W. Salabun, J. Watrobski, A. Shekhovtsov (2020), "Are MCDA methods
   benchmarkable? A comparative study of TOPSIS, VIKOR, COPRAS, and PROMETHEE II methods",
   Symmetry 12(9), 1549: 0.217 0.294 0.488 (crispyn, same file).
4. CRITIC without orientation of the cost criterion: A. Tus, E. Aytac Adali (2019), "The new
   combination with CRITIC and WASPAS methods for the time and attendance software selection
   problem", OPSEARCH 56(2), 528-538: 0.157 0.249 0.168 0.121 0.154 0.151 (crispyn, same
   file; also pymcdm's own test suite, test/test_weights.py, TestCRITICWeights).
5. The multiplicative combination `w = q o / sum q o` of two weight vectors: IDOCRIW in
   Zavadskas & Podvezko (2016), the entropy weights above times the CILOS weights 0.3343
   0.2199 0.1957 0.2501, printed 0.1658 0.1886 0.35455 0.2911 (as listed in crispyn's test,
   which compares them to 3 decimals; at 4 decimals the third does not follow from the
   printed inputs, whose product gives 0.35451, nor from the unrounded entropy weights,
   0.35451, so the comparison stays at 3 decimals).
6. Grey relational analysis (range normalisation oriented by criterion type, reference
   sequence the best value, rho = 0.5, weighted grade): the example of the GRA chapter of
   B. F. Yildirim, E. Onder (eds.), "Isletmeciler, Muhendisler ve Yoneticiler icin
   Operasyonel, Yonetsel ve Stratejik Problemlerin Cozumunde Cok Kriterli Karar Verme
   Yontemleri", Dora, 2nd ed., 2015 (ISBN 978-605-9929-44-8): 5 alternatives x 6 criteria,
   weights 0.05 0.20 0.10 0.15 0.10 0.40, as reproduced with its grades in the documentation
   and tests of the Julia package JMcDM (jbytecode/JMcDM, src/grey.jl, `grey`): 0.525
   0.7007142857142857 0.5464285714285715 0.5762820512820512 0.650952380952381, best
   alternative 2.
7. Rank-sum ratio: the textbook example of 10 districts' maternal care (prenatal examination
   rate, high is better; maternal mortality and perinatal mortality, low is better) in
   Sun Zhenqiu, Xu Yongyong (eds.), Medical Statistics, 4th ed., People's Medical Publishing
   House, 2014, p. 419 (the data as typed in the example and testthat test of the R package
   RSR 1.0.0 by Chuiqin Fan, function `easyRSR`, which cites that page). The same example is
   worked in Example 4-4 of the book "Comprehensive evaluation methods and their medical
   applications", chapter 4 section 2, Tables 4-6 and 4-7 (read in the QQ Reading edition,
   where the tables are images): its text concludes that J is relatively the worst, then B
   and D, and H relatively the best. The probit table itself could not be read from any
   source and is not stored.
8. Game-theory combination weighting (博弈论组合赋权: the coefficients solve
   sum_k a_k (u_i . u_k) = u_i . u_i and are normalised to sum 1): Su Guangquan, Lyu Haishen,
   Zhu Yonghua, Chen Tingxing, Hua Jiacheng (2022), 基于博弈论组合赋权的洪水风险评价——以武威
   地区为例 (Combined weight method based on game theory for flood risk assessment in the
   Wuwei Region), 干旱区研究 / Arid Zone Research 39(3), 801-809, doi:10.13866/j.azr.2022.03.13,
   Table 1 (entropy and AHP weights of 7 indicators and the combined weights, 3 decimals) and
   section 2.1 (coefficients 0.525 of the entropy and 0.475 of the AHP weights); read in the
   text of the paper's ChinaXiv preprint in a public GitHub collection of ChinaXiv papers
   converted to Markdown. The printed AHP weights sum to 1.002 (rounding): rescaled to sum 1
   they give the printed coefficients, unscaled 0.524 and 0.476. Five of the seven combined
   weights follow from the printed inputs; those of NDVI and of the distance to rivers (DR)
   follow only with these two entropy weights (0.071, 0.011) exchanged: the table, or the
   authors' computation, has them transposed. The entropy column is the one the text
   describes (entropy weights "neglect" the distance to rivers, 0.011), so the inputs are
   stored as printed and those two combined weights are stored but not compared.
   Examined and not stored: K. Hou, L. Wang et al. (2021), 基于改进的FAHP-CRITIC法与云理论的
   露天矿边坡危险性评估模型, 安全与环境学报 / Journal of Safety and Environment 21(6),
   2443-2451, doi:10.13637/j.issn.1009-6094.2020.1302, section 4.1 (read in a public GitHub
   collection of papers converted to Markdown). Its printed Gram matrix (0.13187272,
   0.07394352, 0.13443172) is that of its printed weight vectors and its combined weights
   follow from its printed coefficients, but those coefficients, 0.6364 and 0.6485
   (normalised 0.4953, 0.5047), do not solve that system (0.6352, 0.6506; normalised 0.4940,
   0.5060), and its subjective vector sums to 0.998 (x4 printed 0.0533 where its own initial
   weights give 0.0553). Checked below.
9. The linear combination `w = a s + (1 - a) o`, a = 0.5, of AHP and entropy weights: Zhu
   Yongbin, Shi Yajuan (2018), 中国主要城市水资源价值评价与定价研究 (Water resources value
   evaluation and pricing of China's major cities), 资源科学 / Resources Science 40(5),
   1040-1050, Table 3 (AHP, entropy and combined weights of the indicators of the supply and
   of the demand criterion, 4 decimals), read on the journal's website (resci.cn, the
   article's Table 3). The authors combined unrounded weights: from the printed inputs (the
   demand columns sum to 0.9999 and are rescaled to 1, as the crate takes weight vectors) the
   combined weights lie within one unit of the last printed digit of the printed ones (half
   a unit from the inputs' rounding, half from the output's), several exactly on a half.
   The criteria's three weights of the same table are not stored: their printed entropy
   weights sum to 0.9998, which weights summing to 1 cannot round to at 5 decimals.
10. The minimum discrimination information combination `w = sqrt(s o) / sum sqrt(s o)`:
   Q. Guo, Y. Sun, M. Fan, Z. Li (2023), What is the degree of social disability risk in
   China under the background of the aging population?, Frontiers in Public Health 11,
   1087276, doi:10.3389/fpubh.2023.1087276, Table 5 (AHP, entropy and comprehensive weights
   of 21 indicators, 5 and 4 decimals; read in PubMed Central, PMC10040778). The linear
   (a = 0.5) and multiplicative rules miss the printed weights by 0.02 and 0.1.
11. The four combination rules on one small example, and the rank-sum ratio with its probit
   table: Zhang Jingxin, the manual of the R package mathmodels (mathmodels 包使用手册;
   repository zhjx19/mathmodels-book, docs/combine-weights.html, chapter 主客观组合赋权, and
   docs/rank-sum-ratio.html, chapter 秩和比法, sections 重现经典案例结果 and the entropy-weighted
   non-integer RSR after it), which prints the outputs of its R functions to 7 digits. The
   rank-sum ratio section re-computes the textbook example of item 7 and prints its whole
   distribution table (mean ranks, R/n, the last group 1 - 1/(4n), probits, fitted RSR) and
   the regression over the 8 distinct RSR values, a = -0.60855, b = 0.22169; the weighted
   non-integer RSR with the manual's entropy weights (printed to 7 digits; its entropy
   variant is not documented, so the printed weights are the input) gives a = -0.3901,
   b = 0.2035. The same convention is the crate's default (`CumulativeFrequency::
   QuarterCorrection`, the least squares over the distinct values): R/n = cum f / n or a
   regression over the 10 districts would give a = -0.6383 or -0.5780 instead.

Run in a virtual environment outside the repository:

    python3 -m venv /tmp/venv-mcdm
    /tmp/venv-mcdm/bin/pip install numpy==2.4.6 scipy==1.17.1 threadpoolctl
    /tmp/venv-mcdm/bin/python scripts/reference/mcdm_published.py

(writes tests/data/mcdm_published.json).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_json import tool_versions, write_reference  # noqa: E402

XU_2004 = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
ZAVADSKAS_PODVEZKO_2016 = [[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]]
LEE_CHANG_2018 = [
    [4550, 30, 6.74, 20, 15, 5, 85, 150, 0.87, 4.76],
    [3005, 60.86, 2.4, 35, 27, 4, 26, 200, 0.17, 4.51],
    [2040, 14.85, 1.7, 90, 25, 5, 26, 500, 0.27, 4.19],
    [3370, 99.4, 3.25, 25.3, 54, 3, 45, 222, 0.21, 3.78],
    [3920, 112.6, 4.93, 11.4, 71.7, 2, 50, 100, 0.25, 4.11],
]
ERSOY_2021 = [
    [256, 8, 41, 1.6, 1.77, 7347.16],
    [256, 8, 32, 1.0, 1.8, 6919.99],
    [256, 8, 53, 1.6, 1.9, 8400],
    [256, 8, 41, 1.0, 1.75, 6808.9],
    [512, 8, 35, 1.6, 1.7, 8479.99],
    [256, 4, 35, 1.6, 1.7, 7499.99],
]
SALABUN_2020 = [[0.619, 0.449, 0.447], [0.862, 0.466, 0.006], [0.458, 0.698, 0.771],
                [0.777, 0.631, 0.491], [0.567, 0.992, 0.968]]
TUS_ADALI_2019 = [[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3],
                  [600, 4, 3, 1, 2, 2], [800, 2, 4, 3, 3, 4]]
YILDIRIM_ONDER_2015 = [
    [105000.0, 105, 10, 4, 300, 10],
    [120000, 110, 15, 4, 500, 8],
    [150000, 120, 12, 3, 550, 12],
    [115000, 105, 20, 4, 600, 9],
    [135000, 115, 15, 5, 400, 9],
]
SU_2022 = {
    "indicators": ["RF", "RFT", "DEM", "NDVI", "DR", "POP", "GDP"],
    "entropy": [0.070, 0.197, 0.009, 0.071, 0.011, 0.306, 0.336],
    "ahp": [0.413, 0.131, 0.113, 0.067, 0.073, 0.138, 0.067],
    "combined": [0.233, 0.166, 0.058, 0.038, 0.072, 0.226, 0.208],
    # section 2.1: beta_1 of the entropy weights, beta_2 of the AHP weights
    "coefficients": {"entropy": 0.525, "ahp": 0.475},
}
HOU_2021 = {
    "fahp": [0.1691, 0.0764, 0.0828, 0.0533, 0.2469, 0.0828, 0.0763, 0.0553, 0.0553, 0.0111,
             0.0887],
    "fahp_initial": [0.6848, 0.3092, 0.3353, 0.2240, 1.000, 0.3354, 0.3090, 0.2240, 0.2240,
                     0.0450, 0.3587],
    "critic": [0.0209, 0.0495, 0.0565, 0.0390, 0.0351, 0.1682, 0.1766, 0.1899, 0.0209, 0.1217,
               0.1217],
    "gram": [0.13187272, 0.07394352, 0.13443172],
    "coefficients": [0.6364, 0.6485],
    "normalised": [0.4953, 0.5047],
    "combined": [0.0943, 0.0628, 0.0695, 0.0461, 0.1400, 0.1259, 0.1269, 0.1232, 0.0379, 0.0669,
                 0.1054],
}
SUN_XU_2014 = {
    "names": list("ABCDEFGHIJ"),
    "prenatal_examination_rate": [99.54, 96.52, 99.36, 92.83, 91.71, 95.35, 96.09, 99.27, 94.76, 84.80],
    "maternal_mortality": [60.27, 59.67, 43.91, 58.99, 35.40, 44.71, 49.81, 31.69, 22.91, 81.49],
    "perinatal_mortality": [16.15, 20.10, 15.60, 17.04, 15.01, 13.93, 17.43, 13.89, 19.87, 23.63],
}


# Zhu & Shi (2018), Table 3: (AHP, entropy, combined), a = 0.5
ZHU_SHI_2018 = {
    "supply": {"decimals": 4, "rows": [
        ("人均水资源量", 0.4663, 0.1265, 0.2964), ("产水模数", 0.2692, 0.0878, 0.1785),
        ("产水系数", 0.0396, 0.0363, 0.0379), ("径流系数", 0.0263, 0.0764, 0.0513),
        ("入流系数", 0.1240, 0.4466, 0.2853), ("单位面积蓄水量", 0.0746, 0.2264, 0.1505)]},
    "demand": {"decimals": 4, "rows": [
        ("人均GDP", 0.0233, 0.0772, 0.0502), ("人口密度", 0.0136, 0.0749, 0.0442),
        ("人均用水量", 0.0424, 0.0853, 0.0638), ("万元GDP用水量", 0.0424, 0.0753, 0.0589),
        ("水资源开发利用率", 0.1011, 0.1795, 0.1403), ("地下水供水比例", 0.1011, 0.1914, 0.1463),
        ("耗水比例", 0.0424, 0.0374, 0.0399), ("人均有效灌溉面积", 0.0936, 0.0799, 0.0868),
        ("农田灌溉亩均用水量", 0.2232, 0.0565, 0.1399), ("城镇居民日生活用水量", 0.2232, 0.0884, 0.1558),
        ("城镇需水比例", 0.0936, 0.0541, 0.0739)]},
}

# Guo et al. (2023), Table 5: AHP, entropy (EM) and comprehensive weights of C1..C21
GUO_2023 = {
    "ahp": [0.04798, 0.05172, 0.04873, 0.04798, 0.04573, 0.04798, 0.04723, 0.04648, 0.04798,
            0.04798, 0.04873, 0.04198, 0.03673, 0.04573, 0.05022, 0.05247, 0.05172, 0.05097,
            0.05097, 0.04798, 0.04273],
    "entropy": [0.0991, 0.0627, 0.0445, 0.0521, 0.0201, 0.0242, 0.0302, 0.041, 0.0873, 0.2201,
                0.0426, 0.0335, 0.0283, 0.0089, 0.0677, 0.0093, 0.0203, 0.0196, 0.0363, 0.0402,
                0.0119],
    "combined": [0.07454, 0.06155, 0.05034, 0.05404, 0.03277, 0.03683, 0.04082, 0.04719,
                 0.06996, 0.11108, 0.04925, 0.04054, 0.03485, 0.02181, 0.06303, 0.02388,
                 0.03502, 0.03417, 0.0465, 0.04747, 0.02437],
}

# the mathmodels manual, 主客观组合赋权: s, o and the printed results of its four rules
MATHMODELS_COMBINATION = {
    "subjective": [0.4, 0.3, 0.2, 0.1],
    "objective": [0.25, 0.2, 0.3, 0.25],
    "alpha": 0.6,
    "linear": [0.34, 0.26, 0.24, 0.16],
    "multiplicative": [0.4081633, 0.2448980, 0.2448980, 0.1020408],
    "minimum_discrimination": [0.3279556, 0.2540333, 0.2540333, 0.1639778],
    "game_theory": [0.3735683, 0.2823789, 0.2176211, 0.1264317],
    "game_theory_coefficients": [0.82378855, 0.17621145],
}

# the mathmodels manual, 秩和比法: the distribution table of item 7's example (per district,
# A..J) and the regression; then the entropy-weighted non-integer RSR
MATHMODELS_RSR = {
    # the rows as printed, ascending RSR
    "order": ["J", "B", "D", "G", "I", "A", "E", "F", "C", "H"],
    "rsr": [0.1, 0.4, 0.4, 0.5, 0.567, 0.6, 0.6, 0.667, 0.767, 0.9],
    "mean_rank": [1, 2.5, 2.5, 4, 5, 6.5, 6.5, 8, 9, 10],
    "percentile": [0.1, 0.25, 0.25, 0.4, 0.5, 0.65, 0.65, 0.8, 0.9, 0.975],
    "probit": [3.72, 4.33, 4.33, 4.75, 5.00, 5.39, 5.39, 5.84, 6.28, 6.96],
    "fitted": [0.216, 0.350, 0.350, 0.444, 0.500, 0.585, 0.585, 0.686, 0.784, 0.934],
    "intercept": -0.60855,
    "slope": 0.22169,
}
MATHMODELS_WRSR = {
    "weights": [0.2945205, 0.3631078, 0.3423717],
    "order": ["J", "B", "D", "G", "A", "I", "E", "F", "C", "H"],
    "wrsr": [0.1, 0.544, 0.578, 0.676, 0.720, 0.725, 0.754, 0.802, 0.826, 0.946],
    "probit": [3.72, 4.16, 4.48, 4.75, 5.00, 5.25, 5.52, 5.84, 6.28, 6.96],
    # H's printed with 2 decimals
    "fitted": [0.366, 0.456, 0.521, 0.576, 0.627, 0.679, 0.734, 0.798, 0.888, 1.03],
    "fitted_decimals": [3, 3, 3, 3, 3, 3, 3, 3, 3, 2],
    "intercept": -0.3901,
    "slope": 0.2035,
}


def entropy(x) -> np.ndarray:
    p = np.asarray(x, float)
    p = p / p.sum(axis=0)
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    d = 1 + plogp.sum(axis=0) / np.log(p.shape[0])
    return d / d.sum()


def normalised(v) -> np.ndarray:
    v = np.asarray(v, float)
    return v / v.sum()


def critic(x) -> np.ndarray:
    x = np.asarray(x, float)
    r = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    c = r.std(axis=0, ddof=1) * (1 - np.corrcoef(r, rowvar=False)).sum(axis=0)
    return c / c.sum()


def grey(x, types, w, rho=0.5) -> np.ndarray:
    x = np.asarray(x, float)
    lo, hi = x.min(axis=0), x.max(axis=0)
    y = np.where(np.asarray(types) == 1, (x - lo) / (hi - lo), (hi - x) / (hi - lo))
    delta = 1 - y
    xi = (delta.min() + rho * delta.max()) / (delta + rho * delta.max())
    return xi @ normalised(w)


def game_theory(basis):
    """The coefficients a* (normalised by the sum of their absolute values) and the
    combination sum_k a_k* u_k of the weight vectors u_k."""
    u = np.asarray(basis, float)
    gram = u @ u.T
    a = np.linalg.solve(gram, np.diag(gram))
    a = np.abs(a) / np.abs(a).sum()
    return a, a @ u


def rounds_to(got, printed, decimals) -> np.ndarray:
    """Which values round half away from zero to the printed ones."""
    got = np.asarray(got, float)
    rounded = np.sign(got) * np.floor(np.abs(got) * 10**decimals + 0.5) / 10**decimals
    return np.isclose(rounded, np.round(printed, decimals), rtol=0, atol=0.1 * 10**-decimals)


def check_printed(got, printed, decimals, what) -> None:
    """The data typed in reproduce the printed figures (rounded half away from zero)."""
    assert rounds_to(got, printed, decimals).all(), (what, got)


def game_theory_example() -> dict:
    """Su et al. (2022), with the checks of what the printed figures follow from; and the
    checks of what Hou et al. (2021) print, which is not stored."""
    g = SU_2022
    ahp, entropy = normalised(g["ahp"]), normalised(g["entropy"])
    printed_coefficients = [g["coefficients"]["ahp"], g["coefficients"]["entropy"]]
    coefficients, combined = game_theory([ahp, entropy])
    check_printed(coefficients, printed_coefficients, 3, "Su et al. 2022: coefficients")
    transposed = [g["indicators"].index("NDVI"), g["indicators"].index("DR")]
    agree = rounds_to(combined, g["combined"], 3)
    assert [k for k, ok in enumerate(agree) if not ok] == transposed, combined
    exchanged = entropy.copy()
    exchanged[transposed] = exchanged[transposed[::-1]]
    check_printed(game_theory([ahp, exchanged])[1], g["combined"], 3, "exchanged")
    check_printed(game_theory([ahp, exchanged])[0], printed_coefficients, 3, "exchanged")
    assert not rounds_to(game_theory([g["ahp"], entropy])[0], printed_coefficients, 3).any()

    h = HOU_2021
    fahp, critic_w = np.asarray(h["fahp"]), np.asarray(h["critic"])
    assert np.allclose([fahp @ fahp, fahp @ critic_w, critic_w @ critic_w], h["gram"], rtol=0,
                       atol=1e-12)
    assert not rounds_to(normalised(h["fahp_initial"]), h["fahp"], 4)[3]
    gram = np.array([[h["gram"][0], h["gram"][1]], [h["gram"][1], h["gram"][2]]])
    solved = np.linalg.solve(gram, np.diag(gram))
    assert not rounds_to(solved, h["coefficients"], 4).any(), solved
    assert not rounds_to(normalised(solved), h["normalised"], 4).any(), solved
    check_printed(np.asarray(h["normalised"]) @ [fahp, critic_w], h["combined"], 4, "Hou et al.")

    return {
        "citation": "Su Guangquan, Lyu Haishen, Zhu Yonghua, Chen Tingxing, Hua Jiacheng (2022), "
                    "Combined weight method based on game theory for flood risk assessment in "
                    "the Wuwei Region, Arid Zone Research 39(3) 801-809, "
                    "doi:10.13866/j.azr.2022.03.13, Table 1 and section 2.1",
        "indicators": g["indicators"],
        "subjective": g["ahp"],
        "objective": g["entropy"],
        "printed": {"coefficients": printed_coefficients, "weights": g["combined"],
                    "decimals": 3, "transposed": transposed},
    }


def linear_example() -> dict:
    """Zhu & Shi (2018): a = 0.5, each criterion's indicators (inputs rescaled to sum 1)."""
    alpha = 0.5
    groups = {}
    for key, g in ZHU_SHI_2018.items():
        d = g["decimals"]
        names = [r[0] for r in g["rows"]]
        s, o, printed = ([r[k] for r in g["rows"]] for k in (1, 2, 3))
        got = alpha * normalised(s) + (1 - alpha) * normalised(o)
        assert (np.abs(got - printed) <= 10.0**-d).all(), (key, got)
        # not all round to the printed values: the authors combined unrounded weights
        assert not rounds_to(got, printed, d).all() or key == "supply", (key, got)
        groups[key] = {"indicators": names, "subjective": s, "objective": o,
                       "printed": printed, "decimals": d}
    return {
        "citation": "Zhu Yongbin, Shi Yajuan (2018), Water resources value evaluation and "
                    "pricing of China's major cities (中国主要城市水资源价值评价与定价研究), "
                    "Resources Science 40(5) 1040-1050, Table 3",
        "alpha": alpha,
        "groups": groups,
    }


def minimum_discrimination_example() -> dict:
    """Guo et al. (2023), Table 5: sqrt(s o), normalised."""
    g = GUO_2023
    s, o = normalised(g["ahp"]), normalised(g["entropy"])
    got = np.sqrt(s * o) / np.sqrt(s * o).sum()
    check_printed(got, g["combined"], 5, "Guo et al. 2023")
    for other in (0.5 * s + 0.5 * o, s * o / (s * o).sum()):
        assert np.abs(other - g["combined"]).max() > 0.01
    return {
        "citation": "Q. Guo, Y. Sun, M. Fan, Z. Li (2023), What is the degree of social "
                    "disability risk in China under the background of the aging population?, "
                    "Frontiers in Public Health 11 1087276, doi:10.3389/fpubh.2023.1087276, "
                    "Table 5",
        "subjective": g["ahp"],
        "objective": g["entropy"],
        "printed": {"weights": g["combined"], "decimals": 5},
    }


def mathmodels_combination_example() -> dict:
    """The mathmodels manual's four rules on one pair of weight vectors."""
    c = MATHMODELS_COMBINATION
    s, o, alpha = np.asarray(c["subjective"]), np.asarray(c["objective"]), c["alpha"]
    check_printed(alpha * s + (1 - alpha) * o, c["linear"], 7, "linear")
    check_printed(s * o / (s * o).sum(), c["multiplicative"], 7, "multiplicative")
    check_printed(np.sqrt(s * o) / np.sqrt(s * o).sum(), c["minimum_discrimination"], 7, "MDI")
    coefficients, combined = game_theory([s, o])
    check_printed(coefficients, c["game_theory_coefficients"], 8, "game theory coefficients")
    check_printed(combined, c["game_theory"], 7, "game theory")
    return {
        "citation": MATHMODELS_CITE + ", chapter 主客观组合赋权 (docs/combine-weights.html)",
        **c,
        "decimals": 7,
        "coefficient_decimals": 8,
    }


MATHMODELS_CITE = ("Zhang Jingxin, the manual of the R package mathmodels (mathmodels 包使用手册), "
                   "repository zhjx19/mathmodels-book")


def rsr_table(values, names):
    """Per alternative: mean rank of its RSR, R/n (the last group 1 - 1/(4n)), probit, and the
    least squares over the distinct values."""
    values = np.asarray(values, float)
    n = len(values)
    mean_rank = stats.rankdata(values)
    distinct = np.unique(values)
    p = np.array([mean_rank[values == v][0] / n for v in distinct])
    p[-1] = 1 - 1 / (4 * n)
    probit = 5 + stats.norm.ppf(p)
    fit = stats.linregress(probit, distinct)
    group = np.searchsorted(distinct, values)
    return {"mean_rank": mean_rank, "percentile": p[group], "probit": probit[group],
            "fitted": fit.intercept + fit.slope * probit[group],
            "intercept": fit.intercept, "slope": fit.slope}


def printed_rows(printed, order, names):
    """Printed rows (in the printed order of alternatives) in the order of `names`."""
    return [printed[order.index(name)] for name in names]


def rsr_probit_example() -> dict:
    """The textbook example's distribution table and regression, as the manual prints them."""
    d, r = SUN_XU_2014, MATHMODELS_RSR
    names = d["names"]
    columns = [d["prenatal_examination_rate"], d["maternal_mortality"], d["perinatal_mortality"]]
    ranks = np.column_stack([stats.rankdata(np.multiply(c, t)) for c, t in zip(columns, [1, -1, -1])])
    rsr = ranks.sum(axis=1) / ranks.size
    t = rsr_table(rsr, names)
    check_printed(rsr, printed_rows(r["rsr"], r["order"], names), 3, "RSR")
    for key, decimals in (("mean_rank", 1), ("percentile", 3), ("probit", 2), ("fitted", 3)):
        check_printed(t[key], printed_rows(r[key], r["order"], names), decimals, key)
    check_printed([t["intercept"], t["slope"]], [r["intercept"], r["slope"]], 5, "regression")
    return {
        "citation": MATHMODELS_CITE + ", chapter 秩和比法 (docs/rank-sum-ratio.html), "
                    "section 重现经典案例结果: the example of Sun & Xu (2014) p. 419",
        "names": names,
        "matrix": [list(row) for row in zip(*columns)],
        "types": [1, -1, -1],
        "printed": {key: printed_rows(r[key], r["order"], names)
                    for key in ("rsr", "mean_rank", "percentile", "probit", "fitted")}
                   | {"intercept": r["intercept"], "slope": r["slope"],
                      "decimals": {"rsr": 3, "mean_rank": 1, "percentile": 3, "probit": 2,
                                   "fitted": 3, "regression": 5}},
    }


def wrsr_example() -> dict:
    """The manual's weighted non-integer RSR of the same data, with its printed weights."""
    d, r = SUN_XU_2014, MATHMODELS_WRSR
    names = d["names"]
    x = np.column_stack([d["prenatal_examination_rate"], d["maternal_mortality"],
                         d["perinatal_mortality"]])
    lo, hi = x.min(axis=0), x.max(axis=0)
    oriented = np.column_stack([(x[:, 0] - lo[0]), hi[1] - x[:, 1], hi[2] - x[:, 2]])
    ranks = 1 + (len(names) - 1) * oriented / (hi - lo)
    wrsr = ranks @ np.asarray(r["weights"]) / len(names)
    t = rsr_table(wrsr, names)
    check_printed(wrsr, printed_rows(r["wrsr"], r["order"], names), 3, "WRSR")
    check_printed(t["probit"], printed_rows(r["probit"], r["order"], names), 2, "probit")
    decimals = printed_rows(r["fitted_decimals"], r["order"], names)
    for k, (got, printed) in enumerate(zip(t["fitted"], printed_rows(r["fitted"], r["order"], names))):
        check_printed([got], [printed], decimals[k], f"fitted {names[k]}")
    check_printed([t["intercept"], t["slope"]], [r["intercept"], r["slope"]], 4, "regression")
    return {
        "citation": MATHMODELS_CITE + ", chapter 秩和比法 (docs/rank-sum-ratio.html): the "
                    "entropy-weighted non-integer RSR of the example of Sun & Xu (2014), with "
                    "the weights it prints",
        "weights": r["weights"],
        "printed": {key: printed_rows(r[key], r["order"], names)
                    for key in ("wrsr", "probit", "fitted", "fitted_decimals")}
                   | {"intercept": r["intercept"], "slope": r["slope"],
                      "decimals": {"wrsr": 3, "probit": 2, "regression": 4}},
    }


def main() -> None:
    examples = {}

    def weights_example(key, citation, matrix, method, printed, decimals, types=None):
        examples[key] = {"citation": citation, "method": method, "matrix": matrix,
                         "types": types or [1] * len(matrix[0]),
                         "printed": {"weights": printed, "decimals": decimals}}

    xu_cite = ("X. Xu (2004), A note on the subjective and objective integrated approach to "
               "determine attribute weights, EJOR 156(2) 530-532, the example's matrix; as "
               "reproduced in crispyn's test suite (energyinpython/crispyn, "
               "tests/test_weighting_methods.py)")
    weights_example("entropy_xu_2004", xu_cite, XU_2004, "entropy",
                    [0.4630, 0.3992, 0.1378, 0.0000], 4)
    weights_example(
        "entropy_zavadskas_podvezko_2016",
        "E. K. Zavadskas, V. Podvezko (2016), Integrated determination of objective criteria "
        "weights in MCDM, IJITDM 15(2) 267-283, the example's matrix (criteria 1 and 3 cost), "
        "entropy of the raw values; as reproduced in crispyn's test suite",
        ZAVADSKAS_PODVEZKO_2016, "entropy", [0.1146, 0.1981, 0.4185, 0.2689], 4, [-1, 1, -1, 1])
    weights_example(
        "entropy_lee_chang_2018",
        "H.-C. Lee, C.-T. Chang (2018), Comparative analysis of MCDM methods for ranking "
        "renewable energy sources in Taiwan, Renewable and Sustainable Energy Reviews 92 "
        "883-896, entropy weights of the raw values; as reproduced in crispyn's test suite",
        LEE_CHANG_2018, "entropy",
        [0.026, 0.154, 0.089, 0.199, 0.115, 0.04, 0.08, 0.123, 0.172, 0.002], 3,
        [-1, -1, -1, 1, 1, 1, -1, -1, 1, 1])
    weights_example(
        "entropy_ersoy_2021",
        "Y. Ersoy (2021), Equipment selection for an e-commerce company using entropy-based "
        "TOPSIS, EDAS and CODAS methods during the COVID-19, LogForum 17(3), entropy weights "
        "of the raw values; as reproduced in crispyn's test suite",
        ERSOY_2021, "entropy", [0.405, 0.221, 0.134, 0.199, 0.007, 0.034], 3)
    weights_example(
        "cv_shuai_2012",
        "D. Shuai, Z. Zongzhun, W. Yongji, L. Lei (2012), A new angular method to determine "
        "the objective weights, 24th CCDC 3889-3892, coefficient-of-variation weights of Xu's "
        "matrix; as reproduced in crispyn's test suite",
        XU_2004, "coefficient_of_variation", [0.4258, 0.3610, 0.2121, 0.0011], 4)
    weights_example(
        "std_salabun_2020",
        "W. Salabun, J. Watrobski, A. Shekhovtsov (2020), Are MCDA methods benchmarkable?, "
        "Symmetry 12(9) 1549, standard-deviation weights of the raw values; as reproduced in "
        "crispyn's test suite",
        SALABUN_2020, "standard_deviation", [0.217, 0.294, 0.488], 3)
    weights_example(
        "critic_tus_adali_2019",
        "A. Tus, E. Aytac Adali (2019), The new combination with CRITIC and WASPAS methods for "
        "the time and attendance software selection problem, OPSEARCH 56(2) 528-538, CRITIC "
        "without orienting the cost criterion (price); as reproduced in crispyn's and pymcdm's "
        "test suites",
        TUS_ADALI_2019, "critic", [0.157, 0.249, 0.168, 0.121, 0.154, 0.151], 3,
        [-1, 1, 1, 1, 1, 1])

    for e in examples.values():
        x, printed = e["matrix"], e["printed"]
        got = {"entropy": entropy, "critic": critic,
               "coefficient_of_variation": lambda m: normalised(
                   np.std(m, axis=0, ddof=1) / np.mean(m, axis=0)),
               "standard_deviation": lambda m: normalised(np.std(m, axis=0, ddof=1))}[e["method"]](x)
        check_printed(got, printed["weights"], printed["decimals"], e["citation"])

    entropy_printed = examples["entropy_zavadskas_podvezko_2016"]["printed"]["weights"]
    cilos_printed = [0.3343, 0.2199, 0.1957, 0.2501]
    idocriw_printed = [0.1658, 0.1886, 0.35455, 0.2911]
    check_printed(normalised(np.multiply(entropy_printed, cilos_printed)), idocriw_printed, 3,
                  "IDOCRIW")
    examples["idocriw_zavadskas_podvezko_2016"] = {
        "citation": "E. K. Zavadskas, V. Podvezko (2016), IJITDM 15(2) 267-283: IDOCRIW, the "
                    "entropy weights times the CILOS weights, normalised; the three vectors as "
                    "listed in crispyn's test suite, which compares IDOCRIW to 3 decimals",
        "entropy": entropy_printed,
        "cilos": cilos_printed,
        "printed": {"weights": idocriw_printed, "decimals": 3},
    }

    grey_types = [-1, 1, -1, 1, 1, -1]
    grey_weights = [0.05, 0.20, 0.10, 0.15, 0.10, 0.40]
    grey_printed = [0.525, 0.7007142857142857, 0.5464285714285715, 0.5762820512820512,
                    0.650952380952381]
    assert np.allclose(grey(YILDIRIM_ONDER_2015, grey_types, grey_weights), grey_printed,
                       rtol=0, atol=1e-12)
    examples["grey_yildirim_onder_2015"] = {
        "citation": "B. F. Yildirim, E. Onder (eds.) (2015), Cok Kriterli Karar Verme "
                    "Yontemleri, Dora, 2nd ed., ISBN 978-605-9929-44-8, the GRA example; with "
                    "the grades printed in the documentation of JMcDM's `grey` "
                    "(jbytecode/JMcDM, src/grey.jl)",
        "matrix": YILDIRIM_ONDER_2015,
        "types": grey_types,
        "weights": grey_weights,
        "rho": 0.5,
        "printed": {"grades": grey_printed, "best": 2},
    }

    examples["game_theory_su_2022"] = game_theory_example()

    d = SUN_XU_2014
    columns = [d["prenatal_examination_rate"], d["maternal_mortality"], d["perinatal_mortality"]]
    rsr_types = [1, -1, -1]
    ranks = np.column_stack([stats.rankdata(np.multiply(c, t)) for c, t in zip(columns, rsr_types)])
    rsr = ranks.sum(axis=1) / ranks.size
    order = np.argsort(rsr, kind="stable")
    names = d["names"]
    assert names[order[0]] == "J" and names[order[-1]] == "H", rsr
    assert rsr[names.index("B")] == rsr[names.index("D")] == np.sort(rsr)[1], rsr
    examples["rsr_sun_xu_2014"] = {
        "citation": "Sun Zhenqiu, Xu Yongyong (eds.) (2014), Medical Statistics (4th ed.), "
                    "People's Medical Publishing House, p. 419, the rank-sum ratio example "
                    "(data as typed in the R package RSR 1.0.0, easyRSR); the ranking as "
                    "concluded in Example 4-4 of 'Comprehensive evaluation methods and their "
                    "medical applications', chapter 4 section 2",
        "names": names,
        "matrix": [list(row) for row in zip(*columns)],
        "types": rsr_types,
        "printed": {"worst": "J", "next_worst": ["B", "D"], "best": "H"},
    }

    examples["linear_zhu_shi_2018"] = linear_example()
    examples["minimum_discrimination_guo_2023"] = minimum_discrimination_example()
    examples["combination_mathmodels"] = mathmodels_combination_example()
    examples["rsr_probit_mathmodels"] = rsr_probit_example()
    examples["wrsr_non_integer_mathmodels"] = wrsr_example()

    metadata = {"generator": "scripts/reference/mcdm_published.py",
                **tool_versions("numpy", "scipy")}
    path = write_reference("mcdm_published.json", metadata, {"examples": examples})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
