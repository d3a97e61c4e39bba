#!/usr/bin/env python3
"""Published worked examples for the analysis families that the other reference files do not
cite: Kendall's tau-b, skewness and kurtosis by SPSS's estimators, and KMO with Bartlett's test.

Every value under "printed" is copied from the publication named beside it, with the number
of decimals it was printed to; nothing here is computed by this script except the checks that
the data typed in are the data the publication used (its own printed summaries must come out).

1. Kendall's tau without ties - M. Hollander and D. A. Wolfe (1973), *Nonparametric
   Statistical Methods*, Wiley, pp. 187-188 (assessment of tuna quality: Hunter L lightness x
   against the mean consumer-panel score y of 9 lots; the data as in R's `cor.test`
   documentation example). Printed output of `cor.test(x, y, method="kendall")` (S-PLUS,
   large-sample statistic) in B. Habing, STAT 518 course notes, University of South Carolina
   (1998): tau = 0.4444444, normal-z = 1.6681, p-value = 0.0953 (two-sided).
2. Kendall's tau-b with ties - the example of the SciPy reference for `scipy.stats.kendalltau`
   (x = [12, 2, 1, 12, 2], y = [1, 4, 7, 1, 0]), printed tau = -0.47140452079103173.
3. Skewness and kurtosis - SAS Institute Inc. (2013), *Base SAS 9.4 Procedures Guide:
   Statistical Procedures*, chapter "The UNIVARIATE Procedure", Getting Started, "Modeling a
   Data Distribution", data set Aircraft (30 position deviations) and Figure 4.5 "Moments":
   Mean -0.0053067, Std Deviation 0.00254362, Skewness 1.2562507, Kurtosis 0.69790426. With
   the default VARDEF=DF, SAS's skewness and kurtosis are the bias-adjusted G1 and G2 that SPSS
   prints (SAS's formulas, "Descriptive Statistics" details of the same chapter: skewness =
   n/((n-1)(n-2)) sum z^3, kurtosis = n(n+1)/((n-1)(n-2)(n-3)) sum z^4 - 3(n-1)^2/((n-2)(n-3))).
4. KMO and Bartlett - the iris data (E. Anderson 1935; R. A. Fisher (1936), "The use of
   multiple measurements in taxonomic problems", *Annals of Eugenics* 7(2), 179-188, Table I;
   the four measurements of the 150 flowers), with the output of R's psych::KMO and
   psych::cortest.bartlett printed in the chapter on principal component analysis of
   《R语言实战医学统计》 (ayueme, R_medical_stat, CC BY-SA 4.0): Overall MSA = 0.54, MSA per item
   0.58 0.27 0.53 0.63, chisq = 706.9592, df = 6, p.value = 1.92268e-149, and the correlation
   matrix and eigenvalues (2.91849782 0.91403047 0.14675688 0.02071484) printed there. The
   150 rows are read from scikit-learn's bundled copy (corrected in 0.20 to Fisher's Table I;
   the script checks rows 35 and 38, where the UCI copy differs, and that the printed
   correlation matrix comes out to its 7 decimals).

5. k-means (Lloyd's iterations from given centres) - J. Han, M. Kamber and J. Pei (2012),
   *Data Mining: Concepts and Techniques*, 3rd ed., Morgan Kaufmann, chapter 10 exercises:
   the eight points A1(2,10), A2(2,5), A3(8,4), B1(5,8), B2(7,5), B3(6,4), C1(1,2), C2(4,9),
   three clusters from the centres A1, B1, C1; the published solution: after the first round
   the centres are (2, 10), (6, 6), (1.5, 3.5); the final clusters are {A1, C2, B1},
   {A3, B2, B3}, {C1, A2}.

Run in a virtual environment outside the repository:

    python3 -m venv /tmp/venv-stats
    /tmp/venv-stats/bin/pip install numpy==2.4.6 scikit-learn==1.9.1
    /tmp/venv-stats/bin/python scripts/reference/published_examples.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_iris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_json import tool_versions, write_reference  # noqa: E402

TUNA_X = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1]
TUNA_Y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]

AIRCRAFT = [
    -.00653, 0.00141, -.00702, -.00734, -.00649, -.00601, -.00631, -.00148, -.00731, -.00764,
    -.00275, -.00497, -.00741, -.00673, -.00573, -.00629, -.00671, -.00246, -.00222, -.00807,
    -.00621, -.00785, -.00544, -.00511, -.00138, -.00609, 0.00038, -.00758, -.00731, -.00455,
]

IRIS_PRINTED_CORRELATIONS = [
    [1.0000000, -0.1175698, 0.8717538, 0.8179411],
    [-0.1175698, 1.0000000, -0.4284401, -0.3661259],
    [0.8717538, -0.4284401, 1.0000000, 0.9628654],
    [0.8179411, -0.3661259, 0.9628654, 1.0000000],
]


def iris_rows() -> list[list[float]]:
    data = load_iris().data
    assert data.shape == (150, 4)
    # the two rows where the UCI copy departs from Fisher's Table I
    assert data[34].tolist() == [4.9, 3.1, 1.5, 0.2], data[34]
    assert data[37].tolist() == [4.9, 3.6, 1.4, 0.1], data[37]
    r = np.corrcoef(data, rowvar=False)
    assert np.allclose(np.round(r, 7), IRIS_PRINTED_CORRELATIONS, atol=1e-12), r
    return [[float(v) for v in row] for row in data]


def main() -> None:
    aircraft = np.array(AIRCRAFT)
    # the data typed in give the printed mean and SD
    assert round(float(aircraft.mean()), 7) == -0.0053067
    assert round(float(aircraft.std(ddof=1)), 8) == 0.00254362
    examples = {
        "kendall_tuna": {
            "source": "Hollander & Wolfe (1973), Nonparametric Statistical Methods, pp. 187-188 "
                      "(tuna lightness); printed S-PLUS cor.test output, Habing (1998), STAT 518 notes",
            "x": TUNA_X,
            "y": TUNA_Y,
            "printed": {"tau": [0.4444444, 7], "z": [1.6681, 4], "p": [0.0953, 4]},
        },
        "kendall_ties": {
            "source": "SciPy reference, scipy.stats.kendalltau, example",
            "x": [12.0, 2.0, 1.0, 12.0, 2.0],
            "y": [1.0, 4.0, 7.0, 1.0, 0.0],
            "printed": {"tau": [-0.47140452079103173, 17]},
        },
        "sas_aircraft": {
            "source": "SAS Institute (2013), Base SAS 9.4 Procedures Guide: Statistical Procedures, "
                      "The UNIVARIATE Procedure, Getting Started, Figure 4.5 (Moments)",
            "values": AIRCRAFT,
            "printed": {
                "mean": [-0.0053067, 7],
                "sd": [0.00254362, 8],
                "skewness": [1.2562507, 7],
                "kurtosis": [0.69790426, 8],
            },
        },
        "iris_kmo_bartlett": {
            "source": "Fisher (1936), Annals of Eugenics 7(2), Table I (iris); psych::KMO and "
                      "psych::cortest.bartlett output printed in R_medical_stat (ayueme), PCA chapter",
            "ids": ["sepal_length", "sepal_width", "petal_length", "petal_width"],
            "rows": iris_rows(),
            "printed": {
                "kmo": [0.54, 2],
                "msa": [[0.58, 0.27, 0.53, 0.63], 2],
                "bartlett_chi_square": [706.9592, 4],
                "bartlett_df": 6,
                "bartlett_p": [1.92268e-149, 6],
                "correlations": [IRIS_PRINTED_CORRELATIONS, 7],
                "eigenvalues": [[2.91849782, 0.91403047, 0.14675688, 0.02071484], 8],
            },
        },
    }
    examples["kmeans_eight_points"] = {
        "source": "Han, Kamber & Pei (2012), Data Mining: Concepts and Techniques, 3rd ed., "
                  "chapter 10 exercises (k-means from centres A1, B1, C1) and its solution",
        "names": ["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2"],
        "points": [[2.0, 10.0], [2.0, 5.0], [8.0, 4.0], [5.0, 8.0], [7.0, 5.0], [6.0, 4.0],
                   [1.0, 2.0], [4.0, 9.0]],
        "initial": ["A1", "B1", "C1"],
        "printed": {
            "first_round_centres": [[2.0, 10.0], [6.0, 6.0], [1.5, 3.5]],
            "final_clusters": [["A1", "C2", "B1"], ["A3", "B2", "B3"], ["C1", "A2"]],
        },
    }
    metadata = {"generator": "scripts/reference/published_examples.py",
                **tool_versions("numpy", "scikit-learn")}
    path = write_reference("published_examples.json", metadata, {"examples": examples})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
