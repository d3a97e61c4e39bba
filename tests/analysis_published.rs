//! Published worked examples for the families whose other tests run against independent
//! implementations only (`scripts/reference/published_examples.py` has the data and the
//! printed values, with the digits printed, in `tests/data/published_examples.json`):
//!
//! * Kendall's tau: M. Hollander and D. A. Wolfe (1973), *Nonparametric Statistical Methods*,
//!   Wiley, pp. 187–188, tuna lightness against panel scores (9 lots, no ties), with the
//!   large-sample two-sided p printed by S-PLUS `cor.test` (B. Habing, STAT 518 notes,
//!   University of South Carolina, 1998): tau = 0.4444444, p = 0.0953; and with ties, the
//!   SciPy reference example of `scipy.stats.kendalltau`: tau-b = -0.47140452079103173;
//! * skewness and excess kurtosis by SPSS's estimators (G1, G2, which SAS prints with its
//!   default VARDEF=DF): SAS Institute (2013), *Base SAS 9.4 Procedures Guide: Statistical
//!   Procedures*, "The UNIVARIATE Procedure", Getting Started, Figure 4.5, the Aircraft data:
//!   skewness 1.2562507, kurtosis 0.69790426;
//! * KMO and Bartlett's test: the iris measurements (R. A. Fisher (1936), *Annals of
//!   Eugenics* 7(2), 179–188, Table I) with R psych's output printed in the PCA chapter of
//!   《R语言实战医学统计》 (ayueme, R_medical_stat): overall MSA 0.54, per item 0.58 0.27 0.53
//!   0.63, chi-square 706.9592 on 6 df, p = 1.92268e-149, and the eigenvalues of the
//!   correlation matrix;
//! * k-means: J. Han, M. Kamber and J. Pei (2012), *Data Mining: Concepts and Techniques*, 3rd
//!   ed., chapter 10 exercises, eight points from the centres A1, B1, C1: the centres after the
//!   first round, (2, 10), (6, 6), (1.5, 3.5), and the final clusters {A1, C2, B1},
//!   {A3, B2, B3}, {C1, A2}.

mod common;

use common::check::{assert_close, assert_printed};
use common::tol::CLOSED_FORM;
use serde::Deserialize;
use service_quality::analysis::{
    describe, CorrelationMatrix, CorrelationMethod, FactorAnalysis, FactorCount, KMeans, Responses,
    SamplingAdequacy,
};

#[derive(Debug, Deserialize)]
struct File {
    examples: Examples,
}

#[derive(Debug, Deserialize)]
struct Examples {
    kendall_tuna: Pair<TunaPrinted>,
    kendall_ties: Pair<TiesPrinted>,
    sas_aircraft: Aircraft,
    iris_kmo_bartlett: Iris,
    kmeans_eight_points: EightPoints,
}

#[derive(Debug, Deserialize)]
struct EightPoints {
    names: Vec<String>,
    points: Vec<Vec<f64>>,
    initial: Vec<String>,
    printed: EightPrinted,
}

#[derive(Debug, Deserialize)]
struct EightPrinted {
    first_round_centres: Vec<Vec<f64>>,
    final_clusters: Vec<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct Pair<P> {
    x: Vec<f64>,
    y: Vec<f64>,
    printed: P,
}

/// A printed value and the decimals it was printed with.
type Printed = (f64, i32);

#[derive(Debug, Deserialize)]
struct TunaPrinted {
    tau: Printed,
    p: Printed,
}

#[derive(Debug, Deserialize)]
struct TiesPrinted {
    tau: Printed,
}

#[derive(Debug, Deserialize)]
struct Aircraft {
    values: Vec<f64>,
    printed: AircraftPrinted,
}

#[derive(Debug, Deserialize)]
struct AircraftPrinted {
    mean: Printed,
    sd: Printed,
    skewness: Printed,
    kurtosis: Printed,
}

#[derive(Debug, Deserialize)]
struct Iris {
    ids: Vec<String>,
    rows: Vec<Vec<f64>>,
    printed: IrisPrinted,
}

#[derive(Debug, Deserialize)]
struct IrisPrinted {
    kmo: Printed,
    msa: (Vec<f64>, i32),
    bartlett_chi_square: Printed,
    bartlett_df: usize,
    bartlett_p: Printed,
    correlations: (Vec<Vec<f64>>, i32),
    eigenvalues: (Vec<f64>, i32),
}

fn examples() -> Examples {
    let path = format!(
        "{}/tests/data/published_examples.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file: File = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    file.examples
}

fn kendall(x: &[f64], y: &[f64]) -> (f64, f64) {
    let column = |v: &[f64]| v.iter().copied().map(Some).collect();
    let t = Responses::from_columns(vec!["x".into(), "y".into()], vec![column(x), column(y)])
        .expect("valid");
    let m = CorrelationMatrix::of(&t, CorrelationMethod::KendallTauB);
    (m.r(0, 1).expect("defined"), m.p(0, 1).expect("defined"))
}

#[test]
fn kendall_tau_of_the_tuna_example_as_published() {
    let e = examples().kendall_tuna;
    let (tau, p) = kendall(&e.x, &e.y);
    assert_printed(&[tau], &[e.printed.tau.0], e.printed.tau.1, "tau");
    assert_printed(&[p], &[e.printed.p.0], e.printed.p.1, "two-sided p");
}

#[test]
fn kendall_tau_b_with_ties_as_published() {
    let e = examples().kendall_ties;
    let (tau, _) = kendall(&e.x, &e.y);
    // printed with every digit (17 significant): equal up to rounding
    assert_close(tau, e.printed.tau.0, CLOSED_FORM, "tau-b");
}

#[test]
fn spss_skewness_and_kurtosis_of_the_aircraft_data_as_published() {
    let e = examples().sas_aircraft;
    let t = Responses::new(
        vec!["deviation".into()],
        e.values.iter().map(|&v| vec![Some(v)]).collect(),
    )
    .expect("valid");
    let stats = describe(&t);
    let s = stats[0].codes().expect("30 values");
    let p = &e.printed;
    assert_printed(&[s.mean()], &[p.mean.0], p.mean.1, "mean");
    assert_printed(&[s.sd().expect("n > 1")], &[p.sd.0], p.sd.1, "SD");
    let skew = s.skewness_spss().expect("n > 2");
    let kurt = s.kurtosis_spss().expect("n > 3");
    assert_printed(&[skew], &[p.skewness.0], p.skewness.1, "skewness G1");
    assert_printed(&[kurt], &[p.kurtosis.0], p.kurtosis.1, "kurtosis G2");
}

#[test]
fn kmo_and_bartlett_of_the_iris_data_as_published() {
    let e = examples().iris_kmo_bartlett;
    let rows = e
        .rows
        .iter()
        .map(|r| r.iter().copied().map(Some).collect())
        .collect();
    let t = Responses::new(e.ids, rows).expect("valid");
    let p = &e.printed;
    let r = CorrelationMatrix::of(&t, CorrelationMethod::Pearson);
    for (i, printed) in p.correlations.0.iter().enumerate() {
        let got: Vec<f64> = (0..4).map(|j| r.r(i, j).expect("defined")).collect();
        assert_printed(&got, printed, p.correlations.1, "correlation row");
    }
    let sa = SamplingAdequacy::of(&t).expect("regular");
    assert_printed(&[sa.kmo()], &[p.kmo.0], p.kmo.1, "overall MSA");
    assert_printed(sa.msa(), &p.msa.0, p.msa.1, "MSA per item");
    let (chi2, decimals) = p.bartlett_chi_square;
    assert_printed(&[sa.bartlett_chi_square()], &[chi2], decimals, "chi-square");
    assert_eq!(sa.bartlett_df(), p.bartlett_df);
    // printed to 6 significant digits: compare the mantissa
    let (printed_p, digits) = p.bartlett_p;
    let scale = 10f64.powi(printed_p.log10().floor() as i32);
    assert_printed(
        &[sa.bartlett_p() / scale],
        &[printed_p / scale],
        digits - 1,
        "p",
    );
    let fa = FactorAnalysis::of(&t, FactorCount::Fixed(2)).expect("defined");
    assert_printed(
        fa.eigenvalues(),
        &p.eigenvalues.0,
        p.eigenvalues.1,
        "eigenvalues",
    );
}

#[test]
fn k_means_of_the_eight_points_as_published() {
    let e = examples().kmeans_eight_points;
    let rows = e
        .points
        .iter()
        .map(|p| p.iter().copied().map(Some).collect())
        .collect();
    let t = Responses::new(vec!["x".into(), "y".into()], rows).expect("valid");
    let at = |name: &str| e.names.iter().position(|n| n == name).expect("named point");
    let init: Vec<Vec<f64>> = e.initial.iter().map(|n| e.points[at(n)].clone()).collect();
    let options = KMeans::new(3).expect("k").standardize(false);
    let first = options
        .clone()
        .max_iterations(1)
        .expect("1")
        .fit_from(&t, &init)
        .expect("defined");
    for (got, printed) in first.centres().iter().zip(&e.printed.first_round_centres) {
        assert_printed(got, printed, 2, "centre after the first round");
    }
    let last = options.fit_from(&t, &init).expect("defined");
    assert!(last.converged());
    for (c, members) in e.printed.final_clusters.iter().enumerate() {
        for name in members {
            assert_eq!(last.labels()[at(name)], Some(c), "{name} in cluster {c}");
        }
    }
    assert_eq!(last.profiles().iter().map(|p| p.size()).sum::<usize>(), 8);
}
