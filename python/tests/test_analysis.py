"""Questionnaire statistics (`service_quality.analysis` of the crate).

Two sources for every number: the crate itself on the same tables (the `analysis` part of
`python/reference`, compared to RUST = 1e-12), and the independent tools the crate's own tests
compare with (`tests/data/{analysis,validity,cluster}_reference.json`, written by
`scripts/reference/*.py` with numpy, scipy, pandas, pingouin, pymannkendall, factor_analyzer and
scikit-learn, versions in each file's `metadata`), at the tolerances of `tests/common/tol.rs`.
Closed forms (numpy) check the functions over an indicator tree on the bundled survey.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import service_quality as sq
from conftest import DATA, EIGEN, RUST, TEST_DATA

#: tests/common/tol.rs: closed forms (CLOSED_FORM), the same on grade values up to 100
#: (CLOSED_FORM_SCORE), p-values against scipy's (P_VALUE)
CLOSED_FORM = 1e-12
CLOSED_FORM_SCORE = 1e-10
P_VALUE = 1e-12


def load(name: str) -> dict:
    return json.loads((TEST_DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reference() -> dict:
    return load("analysis_reference.json")


@pytest.fixture(scope="module")
def crate(rust_reference) -> dict:
    return rust_reference["analysis"]


def assert_close(got, want, tol, what="", relative=False):
    """`got` equals `want` structurally, numbers within `tol` (times max(1, |want|) when
    `relative`), None / strings / booleans exactly."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), f"{what}: keys {got} vs {want}"
        for key in want:
            assert_close(got[key], want[key], tol, f"{what}.{key}", relative)
    elif isinstance(want, (list, tuple)):
        assert len(got) == len(want), f"{what}: length {len(got)} vs {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_close(g, w, tol, f"{what}[{i}]", relative)
    elif isinstance(want, bool) or want is None or isinstance(want, str):
        assert got == want, f"{what}: {got!r} vs {want!r}"
    else:
        scale = max(1.0, abs(want)) if relative else 1.0
        assert got is not None and abs(got - want) <= tol * scale, f"{what}: {got} vs {want}"


def q_ids(k: int) -> list[str]:
    return [f"q{j}" for j in range(k)]


def as_array(rows) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=np.float64)


def three_ways(rows, ids):
    """The same table as `Responses`, a 2-D numpy array and a DataFrame (NaN = missing)."""
    array = as_array(rows)
    return [
        sq.Responses(ids, rows),
        sq.Responses.from_numpy(array, ids),
        pd.DataFrame(array, columns=ids),
    ]


def grade_set(values) -> sq.GradeSet:
    return sq.GradeSet([f"g{i}" for i in range(len(values))], values)


# ------------------------------------------------------------------ descriptive statistics


def test_descriptive_statistics_are_the_crate_s(reference, crate):
    grades = grade_set(reference["grade_values"])
    for case, want in zip(reference["tables"], crate["tables"]):
        ids = q_ids(len(case["rows"][0]))
        for data in three_ways(case["rows"], ids):
            got = sq.describe(data, grades if case["graded"] else None)
            assert_close(got.to_list(), want["describe"], RUST, case["name"], relative=True)
            assert got.ids == ids and len(got) == len(ids)


def test_descriptive_statistics_match_numpy_and_scipy(reference):
    grades = grade_set(reference["grade_values"])
    fields = ("mean", "sd", "median", "min", "max", "skewness", "kurtosis")
    for case in reference["tables"]:
        got = sq.describe(as_array(case["rows"]), grades if case["graded"] else None).to_list()
        for g, w in zip(got, case["descriptive"]):
            assert g["missing"] == w["missing"]
            assert [[f["code"], f["count"]] for f in g["frequencies"]] == w["frequencies"]
            for part, tol in (("codes", CLOSED_FORM), ("values", CLOSED_FORM_SCORE)):
                if w.get(part) is None:
                    assert g[part] is None
                    continue
                assert g[part]["n"] == w["n"]
                for f in fields + ("skewness_spss", "kurtosis_spss"):
                    assert_close(g[part][f], w[part][f], tol, f"{case['name']} {part} {f}", True)


def test_descriptive_frame_holds_the_statistics(reference):
    case = reference["tables"][1]
    described = sq.describe(as_array(case["rows"]), grade_set(reference["grade_values"]))
    frame = described.to_frame()
    values = described.to_frame(values=True)
    for item in described.to_list():
        row = frame.loc[item["id"]]
        assert row["missing"] == item["missing"] and row["n"] == item["codes"]["n"]
        assert row["mean"] == item["codes"]["mean"] and row["sd"] == item["codes"]["sd"]
        assert values.loc[item["id"], "mean"] == item["values"]["mean"]


# ------------------------------------------------------------------ reliability


def test_reliability_is_the_crate_s_and_pingouin_s(reference, crate):
    for case, want in zip(reference["tables"], crate["tables"]):
        ids = q_ids(len(case["rows"][0]))
        for data in three_ways(case["rows"], ids):
            for independent in case["reliability"]:
                policy = independent["policy"]
                got = sq.Reliability.of(data, policy)
                assert_close(got.to_dict(), want["reliability"][policy], RUST, case["name"], True)
                assert got.policy == policy and got.items == ids
                assert got.respondents == independent["respondents"]
                assert_close(got.alpha, independent["alpha"], CLOSED_FORM, "alpha")
                for name in ("alpha_standardized", "split_half", "spearman_brown"):
                    assert_close(getattr(got, name), independent[name], CLOSED_FORM, name, True)
                assert_close(got.alpha_if_deleted, independent["alpha_if_deleted"], CLOSED_FORM, "aid", True)
                assert_close(got.item_total, independent["item_total"], CLOSED_FORM, "itc", True)


def test_reliability_needs_two_items():
    with pytest.raises(sq.AnalysisError) as e:
        sq.Reliability.of(np.array([[1.0], [2.0], [3.0]]))
    assert e.value.kind
    with pytest.raises(sq.ArgumentError):
        sq.Reliability.of(np.eye(3), policy="everything")


# ------------------------------------------------------------------ correlation


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_correlations_are_the_crate_s_and_scipy_s(reference, crate, method):
    for case, want in zip(reference["tables"], crate["tables"]):
        ids = q_ids(len(case["rows"][0]))
        independent = case["correlation"][method]
        for data in three_ways(case["rows"], ids):
            m = sq.CorrelationMatrix.of(data, method)
            assert_close(m.to_dict(), want["correlation"][method], RUST, case["name"], True)
            assert m.method == method and m.ids == ids and len(m) == len(ids)
            r, p, n = m.r, m.p, m.n
            assert r.shape == (len(ids), len(ids)) and n.dtype == np.int64
            assert n.tolist() == independent["n"]
            for i in range(len(ids)):
                for j in range(len(ids)):
                    for got, w, tol in ((r, independent["r"], CLOSED_FORM), (p, independent["p"], P_VALUE)):
                        if w[i][j] is None:
                            assert math.isnan(got[i, j])
                        else:
                            assert_close(float(got[i, j]), w[i][j], tol, f"{method} ({i}, {j})", True)
            frame = m.to_frame("r")
            assert list(frame.index) == ids and np.array_equal(frame.to_numpy(), r, equal_nan=True)


def test_correlation_tables_render_as_the_crate_s(reference, crate):
    for case, want in zip(reference["tables"], crate["tables"]):
        data = sq.Responses(q_ids(len(case["rows"][0])), case["rows"])
        m = sq.CorrelationMatrix.of(data)
        assert m.table().text() == want["rendered"]["correlation_text_en"]
        assert m.pairs_table().csv() == want["rendered"]["correlation_pairs_csv"]
        assert sq.significance_stars(0.0004) == "***" and sq.significance_stars(0.05) == ""


def test_tables_render_as_the_crate_s(reference, crate):
    grades = grade_set(reference["grade_values"])
    for case, want in zip(reference["tables"], crate["tables"]):
        data = sq.Responses(q_ids(len(case["rows"][0])), case["rows"])
        described = sq.describe(data, grades if case["graded"] else None)
        assert described.table().markdown("zh") == want["rendered"]["descriptive_markdown_zh"]
        assert described.table().render("md", "zh") == want["rendered"]["descriptive_markdown_zh"]
        rendered = want["rendered"]["reliability_json_zh"]
        if rendered is None:
            with pytest.raises(sq.AnalysisError):
                sq.Reliability.of(data)
        else:
            assert sq.Reliability.of(data).table().json("zh") == rendered


# ------------------------------------------------------------------ trends


def test_trends_are_the_crate_s_and_the_references(reference, crate):
    for name, series in reference["series"].items():
        want = crate["series"][name]
        values = series["values"]
        assert_close(sq.period_changes(values), want["changes"], RUST, name, True)
        assert_close(sq.relative_changes(values), want["relative_changes"], RUST, name, True)
        assert_close(sq.moving_average(values, 3), want["moving_average_3"], RUST, name, True)
        assert_close(sq.period_changes(values), series["changes"], CLOSED_FORM, name, True)
        assert_close(sq.moving_average(values, 3), series["moving_average_3"], CLOSED_FORM, name, True)
        if want["linear"] is None:
            with pytest.raises(sq.AnalysisError):
                sq.LinearTrend.of_series(values)
        else:
            fit = sq.LinearTrend.of_series(values)
            assert_close(fit.to_dict(), want["linear"], RUST, name, True)
            same = sq.LinearTrend.fit(list(range(len(values))), values)
            assert same.to_dict() == fit.to_dict()
            # scipy's linregress gives NaN (None here) for r, p and the standard error of a
            # constant series, where the crate gives 0, 1 and 0
            linregress = series["linear"]
            for got, key, tol in (
                (fit.slope, "slope", CLOSED_FORM),
                (fit.intercept, "intercept", CLOSED_FORM),
                (fit.r, "r", CLOSED_FORM),
                (fit.p_value, "p", P_VALUE),
                (fit.slope_stderr, "slope_stderr", CLOSED_FORM),
            ):
                if linregress[key] is not None:
                    assert_close(got, linregress[key], tol, f"{name} {key}", True)
            if linregress["r"] is None:
                assert (fit.r, fit.p_value, fit.slope_stderr) == (0.0, 1.0, 0.0)
        mk = sq.MannKendall.of_series(values)
        assert_close(mk.to_dict(), want["mann_kendall"], RUST, name, True)
        pmk = series["mann_kendall"]
        for got, key in ((mk.s, "s"), (mk.var_s, "var_s"), (mk.z, "z"), (mk.tau, "tau"),
                         (mk.sen_slope, "sen_slope"), (mk.intercept, "intercept")):
            assert_close(got, pmk[key], CLOSED_FORM, f"{name} {key}", True)
        assert_close(mk.p_value, pmk["p"], P_VALUE, name)
        periods = q_ids(len(values))
        assert sq.period_table(periods, values, 3).csv() == want["period_table_csv"]


def test_trend_table_names_its_series(reference):
    series = {("rising", "上升"): reference["series"]["rising_with_ties"]["values"]}
    table = sq.trend_table(series)
    assert len(table) == 1
    assert table.to_frame("zh").iloc[0, 0] == "上升"
    with pytest.raises(sq.AnalysisError):
        sq.moving_average([1.0, 2.0], 0)


# ------------------------------------------------------------------ validity


@pytest.fixture(scope="module")
def validity() -> dict:
    return load("validity_reference.json")


def columns_up_to_sign(got: np.ndarray, want, tol):
    want = np.array(want)
    assert got.shape == want.shape
    for k in range(want.shape[1]):
        sign = 1.0 if got[:, k] @ want[:, k] >= 0 else -1.0
        assert np.max(np.abs(got[:, k] * sign - want[:, k])) <= tol


def test_kmo_bartlett_and_factors_are_the_crate_s_and_factor_analyzer_s(validity, crate):
    for case, want in zip(validity["cases"], crate["validity"]):
        data = pd.DataFrame(as_array(case["rows"]), columns=case["ids"])
        s = sq.SamplingAdequacy.of(data)
        assert_close(s.to_dict(), want["sampling"], RUST, case["name"], True)
        assert s.respondents == case["respondents"] and s.bartlett_df == case["bartlett_df"]
        assert_close(s.kmo, case["kmo"], EIGEN, "kmo")
        assert_close(s.msa, case["msa"], EIGEN, "msa")
        assert_close(s.bartlett_chi_square, case["bartlett_chi_square"], EIGEN, "chi2", True)
        assert_close(s.bartlett_p, case["bartlett_p"], P_VALUE, "p", True)
        fa = sq.FactorAnalysis.of(data, case["factors"])
        assert_close(fa.to_dict(), want["fixed"], RUST, case["name"], True)
        assert_close(sq.FactorAnalysis.of(data).to_dict(), want["kaiser"], RUST, "kaiser", True)
        assert_close(sq.FactorAnalysis.of(data, "kaiser").to_dict(), want["kaiser"], RUST, "kaiser", True)
        assert_close(fa.eigenvalues, case["eigenvalues"], EIGEN, "eigenvalues")
        columns_up_to_sign(fa.loadings, case["loadings"], EIGEN)
        columns_up_to_sign(fa.rotated_loadings, case["rotated_loadings"], EIGEN)
        assert_close(fa.rotated_variance, case["rotated_variance"], EIGEN, "rotated variance")
        assert len(s.table()) == 5 and len(s.msa_table()) == len(case["ids"])
        assert len(fa.loadings_table()) == len(case["ids"])
        assert len(fa.variance_table()) >= fa.factors


def test_factor_count_is_checked():
    with pytest.raises(sq.ArgumentError):
        sq.FactorAnalysis.of(np.eye(4), factors="all")


# ------------------------------------------------------------------ clustering


@pytest.fixture(scope="module")
def cluster() -> dict:
    return load("cluster_reference.json")


def test_kmeans_is_the_crate_s_and_scikit_learn_s(cluster, crate):
    for case, want in zip(cluster["cases"], crate["cluster"]):
        data = sq.Responses(case["ids"], case["rows"])
        std = case["standardize"]
        for fit, got_want in zip(case["fits"], want["fits"]):
            k = fit["clusters"]
            c = sq.KMeans(k, standardize=std).fit_from(data, fit["initial_centres"])
            assert_close(c.to_dict(), got_want["from_centres"], RUST, case["name"], True)
            complete = [label for label in c.labels if label is not None]
            assert complete == fit["labels"]
            assert_close(c.centres.tolist(), fit["centres"], CLOSED_FORM, "centres", True)
            assert_close(c.inertia, fit["inertia"], CLOSED_FORM, "inertia", True)
            assert c.iterations + 1 == fit["n_iter"] and c.converged
            assert_close(c.silhouette, fit["silhouette"], CLOSED_FORM, "silhouette")
            seeded = sq.KMeans(k, seed=7, restarts=3, standardize=std).fit(data)
            assert_close(seeded.to_dict(), got_want["seeded"], RUST, "seeded", True)
            assert [(-1 if x is None else x) for x in seeded.labels] == seeded.labels_array().tolist()
            assert len(seeded.table()) == k
        scan = sq.silhouette_by_k(data, [2, 3, 4], sq.KMeans(1, standardize=std))
        assert_close(scan.to_list(), want["silhouette_by_k"], RUST, "scan", True)
        best = max(scan.to_list(), key=lambda c: -1 if c["silhouette"] is None else c["silhouette"])
        assert scan.best == best["clusters"] and len(scan.table()) == 3


def test_kmeans_options_are_checked():
    with pytest.raises(sq.AnalysisError):
        sq.KMeans(0)
    k = sq.KMeans(3, seed=5, restarts=2, max_iterations=50, standardize=False)
    assert (k.clusters, k.seed, k.restarts, k.max_iterations, k.standardize) == (3, 5, 2, 50, False)
    with pytest.raises(sq.AnalysisError):
        k.fit(np.array([[1.0], [2.0]]))


# ------------------------------------------------------------------ over the indicator tree


@pytest.fixture(scope="module")
def answers(tree):
    """The bundled survey's answers as 0-based grade codes (NaN missing) and its merchants."""
    frame = pd.read_csv(DATA / "survey.csv", dtype=str)
    labels = sq.GradeSet.satisfaction_5().labels_zh
    code = {label: float(i) for i, label in enumerate(labels)}
    leaves = [leaf for leaf in tree.leaf_ids if leaf in frame.columns]
    codes = frame[leaves].apply(lambda col: col.map(lambda v: code.get(v, np.nan)))
    return codes.astype("float64"), frame["merchant"].tolist()


def test_dimension_scores_are_means_of_the_dimension_s_items(tree, answers):
    codes, merchants = answers
    scores = sq.dimension_scores(tree, codes)
    for dim in scores.ids:
        items = [c for c in tree.children(dim) if c in codes.columns]
        want = codes[items].mean(axis=1, skipna=True).to_numpy()
        got = scores.to_frame()[dim].to_numpy()
        assert np.allclose(got, want, rtol=0, atol=CLOSED_FORM, equal_nan=True)
    ids, per_merchant = sq.merchant_dimension_scores(tree, codes, merchants)
    frame = scores.to_frame()
    frame["merchant"] = merchants
    want = frame.groupby("merchant", sort=False).mean()
    assert ids == list(want.index)
    assert np.allclose(per_merchant.to_numpy(), want.to_numpy(), rtol=0, atol=CLOSED_FORM, equal_nan=True)
    described = sq.describe_dimensions(tree, codes).to_list()
    assert [d["id"] for d in described] == scores.ids
    assert_close(described, sq.describe(scores).to_list(), RUST, "dimensions", True)


def test_reliability_per_dimension_is_cronbach_s_alpha(tree, answers):
    codes, _ = answers
    dims = sq.reliability_by_dimension(tree, codes)
    assert dims
    for d in dims:
        items = [c for c in tree.children(d.dimension) if c in codes.columns]
        x = codes[items].dropna().to_numpy()
        k = x.shape[1]
        alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
        assert_close(d.reliability.alpha, alpha, CLOSED_FORM, d.dimension)
        assert d.reliability.respondents == len(x)
        assert d.to_dict()["dimension"] == d.dimension
    overall = sq.Reliability.of(codes)
    summary = sq.reliability_table(dims, overall, ("All items", "全部题项"), labels=tree)
    frame = summary.to_frame("zh")
    assert frame.iloc[0, 0] == "全部题项" and len(frame) == len(dims) + 1
    assert frame.iloc[0, 3] == overall.alpha
    items = sq.reliability_items_table(dims, labels={"courtesy": ("Courtesy", "礼貌")})
    assert "礼貌" in items.text("zh") and len(items) == sum(len(d.reliability.items) for d in dims)


def test_structure_validity_follows_the_primary_factors(tree, answers):
    codes, _ = answers
    fa = sq.FactorAnalysis.of(codes, 4)
    for rule in ("majority", "one_to_one"):
        s = fa.structure(tree, rule)
        assert s.assignment == rule
        factor_of = {d["dimension"]: d["factor"] for d in s.dimensions()}
        for item in s.items():
            i = fa.items.index(item["item"])
            assert item["matches"] == (fa.primary_factor(i) == factor_of[item["dimension"]])
        assert s.matches == sum(item["matches"] for item in s.items())
        assert len(s.table(labels=tree)) == len(s.items())
    with pytest.raises(sq.ArgumentError):
        fa.structure(tree, "best")


# ------------------------------------------------------------------ the table and its inputs


def test_table_forms_agree(reference):
    case = reference["tables"][0]
    table = sq.describe(as_array(case["rows"])).table()
    d = table.to_dict("en")
    assert d["columns"] == table.columns() and d["title"] == table.title() and d["notes"] == table.notes()
    assert table.render("json") == table.json() and table.render("csv") == table.csv()
    assert table.render("text") == table.text() == str(table)
    assert table.csv_for_excel("zh") == "\ufeff" + table.csv("zh")
    assert table.title("zh") != table.title("en")
    frame = table.to_frame()
    assert list(frame.columns) == table.columns() and len(frame) == len(table) == 5
    assert frame.attrs["title"] == table.title()
    assert frame.equals(pd.DataFrame(d["rows"], columns=d["columns"]))
    assert frame.iloc[:, 0].tolist() == [row[0] for row in d["rows"]]
    assert sq.TABLE_FORMATS == ["text", "markdown", "csv", "json"]
    with pytest.raises(sq.ArgumentError):
        table.render("html")
    with pytest.raises(sq.ArgumentError):
        table.text("fr")


def test_responses_read_numpy_pandas_and_lists_alike():
    rows = [[1.0, None], [2.0, 4.0], [3.0, 5.0]]
    a = sq.Responses(["x", "y"], rows)
    b = sq.Responses.from_numpy(np.array([[1, np.nan], [2, 4], [3, 5]]), ["x", "y"])
    frame = pd.DataFrame({"x": [1, 2, 3], "y": pd.array([None, 4, 5], dtype="Int64"), "s": list("abc")})
    c = sq.Responses.from_dataframe(frame, ["x", "y"])
    assert a == b == c and len(a) == 3 and a.variable_count == 2
    assert a.rows() == rows
    assert np.array_equal(a.to_numpy(), np.array([[1, np.nan], [2, 4], [3, 5]]), equal_nan=True)
    assert sq.Responses.from_numpy(np.zeros((2, 3))).ids == ["0", "1", "2"]
    assert a.select(["y"]).ids == ["y"] and a.join(sq.Responses(["z"], [[0.0]] * 3)).ids == ["x", "y", "z"]
    described = sq.describe_by_merchant(a, ["m", "n", "m"])
    assert list(described) == ["m", "n"] and described["m"].to_list()[0]["codes"]["mean"] == 2.0


def test_bad_tables_raise_typed_errors():
    with pytest.raises(sq.AnalysisError) as e:
        sq.Responses(["x", "x"], [])
    assert e.value.kind == "DuplicateVariable"
    with pytest.raises(sq.AnalysisError) as e:
        sq.describe(np.array([[1.0, np.inf]]))
    assert e.value.kind == "ValueOutOfRange" and "inf" in str(e.value)
    with pytest.raises(sq.AnalysisError):
        sq.Responses(["x"], [[float("nan")]])
    with pytest.raises(sq.ArgumentError):
        sq.describe(np.array([1.0, 2.0]))
    with pytest.raises(sq.ArgumentError):
        sq.describe(pd.DataFrame({"s": ["a", "b"]}))
    with pytest.raises(sq.ArgumentError):
        sq.Responses.from_numpy(np.zeros((2, 2)), ["only one"])
    with pytest.raises(sq.ArgumentError):
        sq.CorrelationMatrix.of(np.eye(3), "distance")
    with pytest.raises(sq.ArgumentError):
        sq.describe(np.eye(2)).table(labels=42)
    with pytest.raises(sq.ArgumentError):
        sq.describe(np.eye(2)).frequency_table("nope")
