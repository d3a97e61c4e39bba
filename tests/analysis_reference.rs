//! `service_quality::analysis` against the values that `scripts/reference/analysis_reference.py`
//! computed with numpy, scipy, pandas, pingouin and pymannkendall (versions in the file's
//! metadata), and against published worked examples:
//!
//! * descriptive statistics, Pearson's r and the linear trend: Anscombe (1973), "Graphs in
//!   statistical analysis", *The American Statistician* 27(1), 17–21, data set I;
//! * Spearman's rho and its p-value: Wikipedia, "Spearman's rank correlation coefficient",
//!   section "Example" (IQ against hours of television, rho = -29/165, p = 0.627188);
//! * the Mann–Kendall test: J. Little, "A Mann-Kendall Example ("By Hand")", College of the
//!   Holy Cross (S = 54, var(S) with one pair of ties, Z = 2.9058, one-sided p = .0018);
//! * Cronbach's alpha, pairwise and listwise: the pingouin `cronbach_alpha` docstring on its
//!   `cronbach_wide_missing` data (from real-statistics.com, checked against R `psych::alpha`).

mod common;

use common::check::{assert_close, assert_close_rel, assert_close_rel_opt, assert_printed};
use common::tol::{CLOSED_FORM, CLOSED_FORM_SCORE, P_VALUE};
use serde::Deserialize;
use service_quality::analysis::{
    describe, describe_graded, moving_average, period_changes, CorrelationMatrix,
    CorrelationMethod, LinearTrend, MannKendall, MissingPolicy, Reliability, Responses, Summary,
    VariableSummary,
};
use service_quality::{Grade, GradeSet};

#[derive(Debug, Deserialize)]
struct Reference {
    grade_values: Vec<f64>,
    tables: Vec<TableCase>,
    series: std::collections::BTreeMap<String, SeriesCase>,
    published: Published,
}

#[derive(Debug, Deserialize)]
struct TableCase {
    name: String,
    rows: Vec<Vec<Option<f64>>>,
    graded: bool,
    descriptive: Vec<RefVariable>,
    reliability: Vec<RefReliability>,
    correlation: std::collections::BTreeMap<String, RefMatrix>,
}

#[derive(Debug, Deserialize)]
struct RefVariable {
    n: u64,
    missing: u64,
    codes: Option<RefSummary>,
    values: Option<RefSummary>,
    frequencies: Vec<(f64, u64)>,
}

#[derive(Debug, Deserialize)]
struct RefSummary {
    mean: f64,
    sd: Option<f64>,
    median: f64,
    min: f64,
    max: f64,
    skewness: Option<f64>,
    kurtosis: Option<f64>,
    skewness_spss: Option<f64>,
    kurtosis_spss: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct RefReliability {
    policy: String,
    respondents: usize,
    alpha: f64,
    alpha_standardized: f64,
    alpha_if_deleted: Vec<Option<f64>>,
    item_total: Vec<f64>,
    split_half: f64,
    spearman_brown: f64,
}

#[derive(Debug, Deserialize)]
struct RefMatrix {
    r: Vec<Vec<Option<f64>>>,
    p: Vec<Vec<Option<f64>>>,
    n: Vec<Vec<usize>>,
}

#[derive(Debug, Deserialize)]
struct SeriesCase {
    values: Vec<f64>,
    changes: Vec<f64>,
    moving_average_3: Vec<f64>,
    linear: RefLinear,
    mann_kendall: RefMannKendall,
}

#[derive(Debug, Deserialize)]
struct RefLinear {
    slope: f64,
    intercept: f64,
    r: Option<f64>,
    p: Option<f64>,
    slope_stderr: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct RefMannKendall {
    s: f64,
    var_s: f64,
    z: f64,
    p: f64,
    tau: f64,
    sen_slope: f64,
    intercept: f64,
}

#[derive(Debug, Deserialize)]
struct Published {
    anscombe: Anscombe,
    spearman: SpearmanExample,
    mann_kendall: MannKendallExample,
    cronbach: CronbachExample,
}

#[derive(Debug, Deserialize)]
struct MannKendallExample {
    values: Vec<f64>,
    s: f64,
    var_s: f64,
    printed_z: (f64, i32),
    printed_one_sided_p: (f64, i32),
}

#[derive(Debug, Deserialize)]
struct Anscombe {
    x: Vec<f64>,
    y: Vec<f64>,
    /// name -> (printed value, decimals printed)
    printed: std::collections::BTreeMap<String, (f64, i32)>,
}

#[derive(Debug, Deserialize)]
struct SpearmanExample {
    x: Vec<f64>,
    y: Vec<f64>,
    rho_exact: f64,
    printed_p: (f64, i32),
}

#[derive(Debug, Deserialize)]
struct CronbachExample {
    ids: Vec<String>,
    rows: Vec<Vec<Option<f64>>>,
    printed_pairwise: f64,
    printed_listwise: f64,
}

fn reference() -> Reference {
    let path = format!(
        "{}/tests/data/analysis_reference.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn table(case: &TableCase) -> Responses {
    let k = case.rows[0].len();
    Responses::new((0..k).map(|j| format!("q{j}")).collect(), case.rows.clone())
        .expect("valid reference table")
}

fn grades(values: &[f64]) -> GradeSet {
    GradeSet::new(
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| Grade::new(format!("g{i}"), v))
            .collect(),
    )
    .expect("valid grades")
}

#[track_caller]
fn assert_summary(got: &Summary, want: &RefSummary, tol: f64, what: &str) {
    assert_close_rel(got.mean(), want.mean, tol, &format!("{what} mean"));
    assert_close_rel_opt(got.sd(), want.sd, tol, &format!("{what} sd"));
    assert_close_rel(got.median(), want.median, tol, &format!("{what} median"));
    assert_close_rel(got.min(), want.min, tol, &format!("{what} min"));
    assert_close_rel(got.max(), want.max, tol, &format!("{what} max"));
    assert_close_rel_opt(got.skewness(), want.skewness, tol, &format!("{what} g1"));
    assert_close_rel_opt(got.kurtosis(), want.kurtosis, tol, &format!("{what} g2"));
    assert_close_rel_opt(
        got.skewness_spss(),
        want.skewness_spss,
        tol,
        &format!("{what} G1"),
    );
    assert_close_rel_opt(
        got.kurtosis_spss(),
        want.kurtosis_spss,
        tol,
        &format!("{what} G2"),
    );
}

#[track_caller]
fn assert_variable(got: &VariableSummary, want: &RefVariable, what: &str) {
    assert_eq!(got.missing(), want.missing, "{what} missing");
    assert_eq!(got.codes().map_or(0, Summary::n), want.n, "{what} n");
    match (got.codes(), &want.codes) {
        (Some(g), Some(w)) => assert_summary(g, w, CLOSED_FORM, &format!("{what} codes")),
        (g, w) => assert!(g.is_none() && w.is_none(), "{what}: codes {g:?} vs {w:?}"),
    }
    match (got.values(), &want.values) {
        // grade values go up to 100: the rounding scales with them
        (Some(g), Some(w)) => assert_summary(g, w, CLOSED_FORM_SCORE, &format!("{what} values")),
        (g, w) => assert!(g.is_none() && w.is_none(), "{what}: values {g:?} vs {w:?}"),
    }
    let freq: Vec<(f64, u64)> = got
        .frequencies()
        .iter()
        .map(|f| (f.code(), f.count()))
        .collect();
    assert_eq!(freq, want.frequencies, "{what} frequencies");
    for f in got.frequencies() {
        let want_pct = 100.0 * f.count() as f64 / want.n.max(1) as f64;
        assert_close(
            f.valid_percent(),
            want_pct,
            CLOSED_FORM_SCORE,
            &format!("{what} %"),
        );
    }
}

#[test]
fn descriptive_statistics_match_numpy_and_scipy() {
    let reference = reference();
    let grade_set = grades(&reference.grade_values);
    for case in &reference.tables {
        let t = table(case);
        let got = if case.graded {
            describe_graded(&t, &grade_set).expect("codes are grade indices")
        } else {
            describe(&t)
        };
        assert_eq!(got.len(), case.descriptive.len());
        for (j, (g, w)) in got.iter().zip(&case.descriptive).enumerate() {
            assert_variable(g, w, &format!("{} q{j}", case.name));
        }
    }
}

#[test]
fn reliability_matches_pingouin_and_numpy() {
    for case in &reference().tables {
        let t = table(case);
        for want in &case.reliability {
            let policy = match want.policy.as_str() {
                "listwise" => MissingPolicy::Listwise,
                _ => MissingPolicy::Pairwise,
            };
            let what = format!("{} {}", case.name, want.policy);
            let got = Reliability::of(&t, policy).expect("reliability defined");
            assert_eq!(got.policy(), policy);
            assert_eq!(got.respondents(), want.respondents, "{what} respondents");
            assert_close(
                got.alpha(),
                want.alpha,
                CLOSED_FORM,
                &format!("{what} alpha"),
            );
            assert_close_rel_opt(
                got.alpha_standardized(),
                Some(want.alpha_standardized),
                CLOSED_FORM,
                &format!("{what} standardised alpha"),
            );
            assert_eq!(got.alpha_if_deleted().len(), want.alpha_if_deleted.len());
            for (i, (g, w)) in got
                .alpha_if_deleted()
                .iter()
                .zip(&want.alpha_if_deleted)
                .enumerate()
            {
                assert_close_rel_opt(*g, *w, CLOSED_FORM, &format!("{what} alpha if {i} deleted"));
            }
            for (i, (g, w)) in got.item_total().iter().zip(&want.item_total).enumerate() {
                assert_close_rel_opt(*g, Some(*w), CLOSED_FORM, &format!("{what} item-total {i}"));
            }
            assert_close_rel_opt(
                got.split_half(),
                Some(want.split_half),
                CLOSED_FORM,
                &format!("{what} split-half"),
            );
            assert_close_rel_opt(
                got.spearman_brown(),
                Some(want.spearman_brown),
                CLOSED_FORM,
                &format!("{what} Spearman-Brown"),
            );
        }
    }
}

#[test]
fn correlation_matrices_match_scipy() {
    for case in &reference().tables {
        let t = table(case);
        for (name, method) in [
            ("pearson", CorrelationMethod::Pearson),
            ("spearman", CorrelationMethod::Spearman),
            ("kendall", CorrelationMethod::KendallTauB),
        ] {
            let want = &case.correlation[name];
            let got = CorrelationMatrix::of(&t, method);
            let k = t.variable_count();
            for i in 0..k {
                for j in 0..k {
                    let what = format!("{} {name} ({i}, {j})", case.name);
                    assert_eq!(got.n(i, j), Some(want.n[i][j]), "{what} n");
                    assert_close_rel_opt(
                        got.r(i, j),
                        want.r[i][j],
                        CLOSED_FORM,
                        &format!("{what} r"),
                    );
                    assert_close_rel_opt(got.p(i, j), want.p[i][j], P_VALUE, &format!("{what} p"));
                }
            }
        }
    }
}

#[test]
fn trends_match_scipy_and_pymannkendall() {
    for (name, case) in &reference().series {
        let x = &case.values;
        let changes = period_changes(x).expect("finite");
        common::check::assert_all_close_rel(&changes, &case.changes, CLOSED_FORM, name);
        let ma = moving_average(x, 3).expect("window 3");
        common::check::assert_all_close_rel(&ma, &case.moving_average_3, CLOSED_FORM, name);

        let fit = LinearTrend::of_series(x).expect("at least 3 periods");
        let want = &case.linear;
        assert_close_rel(
            fit.slope(),
            want.slope,
            CLOSED_FORM,
            &format!("{name} slope"),
        );
        assert_close_rel(
            fit.intercept(),
            want.intercept,
            CLOSED_FORM,
            &format!("{name} b0"),
        );
        match (want.r, want.p, want.slope_stderr) {
            (Some(r), Some(p), Some(se)) => {
                assert_close(fit.r(), r, CLOSED_FORM, &format!("{name} r"));
                assert_close_rel(fit.p_value(), p, P_VALUE, &format!("{name} p"));
                assert_close_rel(fit.slope_stderr(), se, CLOSED_FORM, &format!("{name} se"));
            }
            // scipy: NaN for a constant series; ours: the documented defined values
            _ => {
                assert_eq!(
                    (fit.r(), fit.p_value(), fit.slope_stderr()),
                    (0.0, 1.0, 0.0),
                    "{name}"
                );
            }
        }

        let mk = MannKendall::of_series(x).expect("at least 3 periods");
        let want = &case.mann_kendall;
        assert_close(mk.s(), want.s, CLOSED_FORM, &format!("{name} S"));
        assert_close_rel(
            mk.var_s(),
            want.var_s,
            CLOSED_FORM,
            &format!("{name} var S"),
        );
        assert_close(mk.z(), want.z, CLOSED_FORM, &format!("{name} z"));
        assert_close(mk.p_value(), want.p, P_VALUE, &format!("{name} p"));
        assert_close(mk.tau(), want.tau, CLOSED_FORM, &format!("{name} tau"));
        assert_close_rel(
            mk.sen_slope(),
            want.sen_slope,
            CLOSED_FORM,
            &format!("{name} Sen"),
        );
        assert_close_rel(
            mk.intercept(),
            want.intercept,
            CLOSED_FORM,
            &format!("{name} b0"),
        );
    }
}

/// A table of two complete variables `x` and `y`.
fn two_columns(x: &[f64], y: &[f64]) -> Responses {
    let column = |v: &[f64]| v.iter().copied().map(Some).collect();
    Responses::from_columns(vec!["x".into(), "y".into()], vec![column(x), column(y)])
        .expect("valid")
}

#[test]
fn anscombe_data_set_one_as_published() {
    let a = reference().published.anscombe;
    let table = two_columns(&a.x, &a.y);
    let stats = describe(&table);
    let (sx, sy) = (stats[0].codes().expect("x"), stats[1].codes().expect("y"));
    let fit = LinearTrend::fit(&a.x, &a.y).expect("11 points");
    let r = CorrelationMatrix::of(&table, CorrelationMethod::Pearson)
        .r(0, 1)
        .expect("defined");
    let sd_x = sx.sd().expect("n = 11");
    for (name, got) in [
        ("mean_x", sx.mean()),
        ("mean_y", sy.mean()),
        ("var_x", sd_x * sd_x),
        ("slope", fit.slope()),
        ("intercept", fit.intercept()),
        ("slope_stderr", fit.slope_stderr()),
        ("r_squared", r * r),
    ] {
        let (printed, decimals) = a.printed[name];
        assert_printed(&[got], &[printed], decimals, name);
    }
    assert_close(fit.r(), r, CLOSED_FORM, "trend r = Pearson r");
}

#[test]
fn spearman_example_as_published() {
    let s = reference().published.spearman;
    let table = two_columns(&s.x, &s.y);
    let m = CorrelationMatrix::of(&table, CorrelationMethod::Spearman);
    assert_close(m.r(0, 1).expect("defined"), s.rho_exact, CLOSED_FORM, "rho");
    let (p, decimals) = s.printed_p;
    assert_printed(&[m.p(0, 1).expect("defined")], &[p], decimals, "p");
}

#[test]
fn cronbach_example_as_published() {
    let c = reference().published.cronbach;
    let table = Responses::new(c.ids, c.rows).expect("valid");
    let pairwise = Reliability::of(&table, MissingPolicy::Pairwise).expect("defined");
    assert_close(
        pairwise.alpha(),
        c.printed_pairwise,
        CLOSED_FORM,
        "pairwise alpha",
    );
    let listwise = Reliability::of(&table, MissingPolicy::Listwise).expect("defined");
    assert_close(
        listwise.alpha(),
        c.printed_listwise,
        CLOSED_FORM,
        "listwise alpha",
    );
}

#[test]
fn mann_kendall_example_as_published() {
    let e = reference().published.mann_kendall;
    let mk = MannKendall::of_series(&e.values).expect("14 periods");
    assert_close(mk.s(), e.s, CLOSED_FORM, "S");
    assert_close_rel(mk.var_s(), e.var_s, CLOSED_FORM, "var S");
    let (z, decimals) = e.printed_z;
    assert_printed(&[mk.z()], &[z], decimals, "Z");
    let (p, decimals) = e.printed_one_sided_p;
    assert_printed(&[mk.p_value() / 2.0], &[p], decimals, "one-sided p");
}
