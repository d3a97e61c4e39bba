//! `service_quality::analysis::KMeans` against scikit-learn (values written by
//! `scripts/reference/cluster_reference.py`; versions in the file's metadata: scikit-learn
//! 1.9.1, numpy 2.4.6): `StandardScaler` for the standardised rows, `KMeans(init=<centres>,
//! n_init=1, algorithm="lloyd", tol=0)` for Lloyd's iterations from given centres, and
//! `silhouette_score` for the silhouette of those labels; then properties (labels partition
//! the rows, row order, seeded reproducibility) and bad input.

mod common;

use common::check::{assert_all_close, assert_close, assert_close_rel};
use common::tol::CLOSED_FORM;
use proptest::prelude::*;
use serde::Deserialize;
use service_quality::analysis::{
    merchant_dimension_scores, silhouette_by_k, Clustering, KMeans, Responses,
};
use service_quality::{AnalysisError, Error, IndicatorTree, NodeSpec};

#[derive(Debug, Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    ids: Vec<String>,
    standardize: bool,
    rows: Vec<Vec<Option<f64>>>,
    space: Vec<Vec<f64>>,
    fits: Vec<Fit>,
}

#[derive(Debug, Deserialize)]
struct Fit {
    clusters: usize,
    initial_centres: Vec<Vec<f64>>,
    labels: Vec<usize>,
    centres: Vec<Vec<f64>>,
    inertia: f64,
    n_iter: usize,
    silhouette: Option<f64>,
}

fn reference() -> Reference {
    let path = format!(
        "{}/tests/data/cluster_reference.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The labels of the complete rows, in row order.
fn complete_labels(c: &Clustering) -> Vec<usize> {
    c.labels().iter().filter_map(|l| *l).collect()
}

#[test]
fn lloyd_from_given_centres_matches_scikit_learn() {
    for case in reference().cases {
        let table = Responses::new(case.ids.clone(), case.rows.clone()).expect("valid");
        let complete = case
            .rows
            .iter()
            .filter(|r| r.iter().all(Option::is_some))
            .count();
        assert_eq!(complete, case.space.len(), "{}", case.name);
        for fit in &case.fits {
            let what = format!("{} k={}", case.name, fit.clusters);
            let options = KMeans::new(fit.clusters)
                .expect("k >= 1")
                .standardize(case.standardize);
            let got = options
                .fit_from(&table, &fit.initial_centres)
                .expect("defined");
            assert_eq!(complete_labels(&got), fit.labels, "{what}: labels");
            for (c, (g, w)) in got.centres().iter().zip(&fit.centres).enumerate() {
                assert_all_close(g, w, CLOSED_FORM, &format!("{what}: centre {c}"));
            }
            assert_close_rel(
                got.inertia(),
                fit.inertia,
                CLOSED_FORM,
                &format!("{what}: inertia"),
            );
            // scikit-learn counts the first assignment as an iteration of its own
            assert_eq!(got.iterations() + 1, fit.n_iter, "{what}: iterations");
            assert!(got.converged(), "{what}");
            match (got.silhouette(), fit.silhouette) {
                (Some(g), Some(w)) => {
                    assert_close(g, w, CLOSED_FORM, &format!("{what}: silhouette"))
                }
                (g, w) => assert_eq!(g, w, "{what}: silhouette"),
            }
            // the profiles are the means of the table's own values over each cluster
            for (c, profile) in got.profiles().iter().enumerate() {
                let members: Vec<&Vec<Option<f64>>> = case
                    .rows
                    .iter()
                    .zip(got.labels())
                    .filter(|(_, l)| **l == Some(c))
                    .map(|(r, _)| r)
                    .collect();
                assert_eq!(profile.size(), members.len());
                for j in 0..case.ids.len() {
                    let mean =
                        members.iter().filter_map(|r| r[j]).sum::<f64>() / members.len() as f64;
                    let got_mean = profile.means()[j].expect("non-empty cluster");
                    assert_close_rel(got_mean, mean, CLOSED_FORM, &format!("{what}: profile {c}"));
                }
            }
        }
    }
}

#[test]
fn standardised_rows_match_standard_scaler() {
    for case in reference().cases.iter().filter(|c| c.standardize) {
        let table = Responses::new(case.ids.clone(), case.rows.clone()).expect("valid");
        let got = KMeans::new(1).expect("k").fit(&table).expect("defined");
        // with one cluster the centre is the mean of the standardised rows: 0
        assert_all_close(
            &got.centres()[0],
            &vec![0.0; case.ids.len()],
            CLOSED_FORM,
            &case.name,
        );
        for (j, (mean, sd)) in got.scaling().iter().enumerate() {
            let column: Vec<f64> = case.space.iter().map(|r| r[j]).collect();
            let raw: Vec<f64> = case
                .rows
                .iter()
                .filter(|r| r.iter().all(Option::is_some))
                .map(|r| r[j].expect("complete"))
                .collect();
            for (x, z) in raw.iter().zip(&column) {
                assert_close(
                    (x - mean) / sd,
                    *z,
                    CLOSED_FORM,
                    &format!("{}: variable {j}", case.name),
                );
            }
        }
    }
}

#[test]
fn restarts_are_seeded_and_never_worse_than_one_run() {
    let case = &reference().cases[1];
    let table = Responses::new(case.ids.clone(), case.rows.clone()).expect("valid");
    for k in 2..=5 {
        let options = KMeans::new(k).expect("k").seed(42);
        let a = options.fit(&table).expect("defined");
        let b = options.fit(&table).expect("defined");
        assert_eq!(a, b, "same seed, same result");
        let one = options
            .clone()
            .restarts(1)
            .expect("1")
            .fit(&table)
            .expect("defined");
        assert!(
            a.inertia() <= one.inertia(),
            "k={k}: {} > {}",
            a.inertia(),
            one.inertia()
        );
        // the best of ten runs is at least as good as the k-means from scikit-learn's start
        let fit = &case.fits[k - 2];
        assert!(a.inertia() <= fit.inertia * (1.0 + CLOSED_FORM), "k={k}");
    }
}

#[test]
fn silhouette_by_k_is_the_silhouette_of_each_fit() {
    let case = &reference().cases[0];
    let table = Responses::new(case.ids.clone(), case.rows.clone()).expect("valid");
    let options = KMeans::new(1).expect("k").seed(9);
    let scan = silhouette_by_k(&table, 1..=5, &options).expect("defined");
    assert_eq!(scan.len(), 5);
    assert_eq!(scan[0].silhouette(), None, "one cluster has no silhouette");
    for s in &scan {
        let fit = KMeans::new(s.clusters())
            .expect("k")
            .seed(9)
            .fit(&table)
            .expect("defined");
        assert_eq!(s.silhouette(), fit.silhouette());
        assert_eq!(s.inertia().to_bits(), fit.inertia().to_bits());
    }
    // the data has three groups: k = 3 separates them best
    let best = scan
        .iter()
        .max_by(|a, b| a.silhouette().partial_cmp(&b.silhouette()).expect("finite"));
    assert_eq!(best.map(|s| s.clusters()), Some(3));
}

#[test]
fn more_clusters_than_merchants_is_an_error() {
    let t = Responses::new(
        vec!["x".into(), "y".into()],
        vec![
            vec![Some(1.0), Some(2.0)],
            vec![Some(3.0), Some(1.0)],
            vec![Some(2.0), None],
        ],
    )
    .expect("valid");
    let err = KMeans::new(3)
        .expect("k")
        .fit(&t)
        .expect_err("2 complete rows");
    assert!(matches!(
        err,
        Error::Analysis(AnalysisError::TooManyClusters {
            clusters: 3,
            rows: 2,
            distinct: 2
        })
    ));
    // repeated rows do not count twice
    let same = Responses::new(vec!["x".into()], vec![vec![Some(1.0)]; 4]).expect("valid");
    assert!(matches!(
        KMeans::new(2).expect("k").fit(&same),
        Err(Error::Analysis(AnalysisError::TooManyClusters {
            distinct: 1,
            ..
        }))
    ));
    assert!(matches!(
        KMeans::new(0),
        Err(Error::Analysis(AnalysisError::InvalidParameter {
            value: 0,
            ..
        }))
    ));
    assert!(KMeans::new(2).expect("k").restarts(0).is_err());
    assert!(KMeans::new(2).expect("k").max_iterations(0).is_err());
    // initial centres of the wrong shape or value
    let two = KMeans::new(2).expect("k");
    assert!(matches!(
        two.fit_from(&t, &[vec![0.0, 0.0]]),
        Err(Error::Analysis(AnalysisError::RowLength {
            expected: 2,
            found: 1,
            ..
        }))
    ));
    assert!(matches!(
        two.fit_from(&t, &[vec![0.0, 0.0], vec![f64::NAN, 0.0]]),
        Err(Error::Analysis(AnalysisError::ValueOutOfRange {
            row: 1,
            ..
        }))
    ));
}

#[test]
fn merchants_are_clustered_on_their_mean_dimension_scores() {
    let group = |id: &str, leaves: &[&str]| {
        let n = leaves.len();
        NodeSpec::group(
            id,
            id,
            leaves.iter().map(|l| NodeSpec::leaf(*l, *l)).collect(),
        )
        .with_weights(vec![1.0 / n as f64; n])
    };
    let tree = IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Goal",
            vec![group("a", &["a1", "a2"]), group("b", &["b1"])],
        )
        .with_weights(vec![0.5, 0.5]),
    )
    .expect("valid");
    let answers = Responses::new(
        vec!["a1".into(), "a2".into(), "b1".into()],
        vec![
            vec![Some(5.0), Some(4.0), Some(5.0)],
            vec![Some(1.0), Some(2.0), Some(1.0)],
            vec![Some(4.0), None, Some(5.0)],
        ],
    )
    .expect("valid");
    let (merchants, scores) =
        merchant_dimension_scores(&tree, &answers, &["m1", "m2", "m1"]).expect("defined");
    assert_eq!(merchants, ["m1", "m2"]);
    assert_eq!(scores.ids(), ["a", "b"]);
    // m1: a = mean(4.5, 4.0), b = mean(5, 5); m2: a = 1.5, b = 1
    assert_eq!(
        scores.rows(),
        [vec![Some(4.25), Some(5.0)], vec![Some(1.5), Some(1.0)]]
    );
}

fn table_of(points: &[Vec<f64>]) -> Responses {
    let ids = (0..points[0].len()).map(|j| format!("v{j}")).collect();
    Responses::new(
        ids,
        points
            .iter()
            .map(|r| r.iter().copied().map(Some).collect())
            .collect(),
    )
    .expect("valid")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn labels_partition_the_rows_and_profiles_count_them(
        points in proptest::collection::vec(proptest::collection::vec(1.0f64..5.0, 3), 6..40),
        k in 1usize..5,
        seed in any::<u64>(),
    ) {
        let table = table_of(&points);
        match KMeans::new(k).expect("k").seed(seed).fit(&table) {
            Ok(c) => {
                prop_assert_eq!(c.labels().len(), points.len());
                prop_assert!(c.labels().iter().all(|l| l.is_some_and(|l| l < k)));
                let sizes: Vec<usize> = c.profiles().iter().map(|p| p.size()).collect();
                prop_assert_eq!(sizes.iter().sum::<usize>(), points.len());
                for (cluster, size) in sizes.iter().enumerate() {
                    prop_assert_eq!(*size, c.labels().iter().filter(|l| **l == Some(cluster)).count());
                }
                prop_assert!(c.inertia().is_finite() && c.inertia() >= 0.0);
                if let Some(s) = c.silhouette() {
                    prop_assert!((-1.0..=1.0).contains(&s));
                }
            }
            Err(e) => {
                let too_many = matches!(e, Error::Analysis(AnalysisError::TooManyClusters { .. }));
                prop_assert!(too_many, "{:?}", e);
            }
        }
    }

    #[test]
    fn row_order_does_not_matter_given_the_same_initial_centres(
        points in proptest::collection::vec(proptest::collection::vec(1.0f64..5.0, 2), 8..30),
        rotate in 1usize..7,
    ) {
        let k = 3;
        let table = table_of(&points);
        let options = KMeans::new(k).expect("k").standardize(false);
        // the first k rows as initial centres, for both orders
        let init: Vec<Vec<f64>> = points[..k].to_vec();
        let Ok(a) = options.fit_from(&table, &init) else { return Ok(()); };
        let mut moved = points.clone();
        moved.rotate_left(rotate % points.len());
        let b = options.fit_from(&table_of(&moved), &init).expect("same points");
        let n = points.len();
        for i in 0..n {
            prop_assert_eq!(a.labels()[(i + rotate % n) % n], b.labels()[i]);
        }
        for (ca, cb) in a.centres().iter().zip(b.centres()) {
            for (x, y) in ca.iter().zip(cb) {
                prop_assert!((x - y).abs() <= CLOSED_FORM);
            }
        }
    }
}
