//! `service_quality::analysis::{SamplingAdequacy, FactorAnalysis}` against the values that
//! `scripts/reference/validity_reference.py` computed with factor_analyzer (`calculate_kmo`,
//! `calculate_bartlett_sphericity`, `FactorAnalyzer(method='principal')` with and without
//! varimax; versions in the file's metadata), and on bad input.

mod common;

use common::check::{assert_all_close, assert_close, assert_close_rel, assert_finite};
use common::tol::{BIT_EXACT, CLOSED_FORM, EIGEN, P_VALUE};
use serde::Deserialize;
use service_quality::analysis::{FactorAnalysis, FactorCount, Responses, SamplingAdequacy};
use service_quality::{AnalysisError, Error, IndicatorTree, NodeSpec};

#[derive(Debug, Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[derive(Debug, Clone, Deserialize)]
struct Case {
    name: String,
    ids: Vec<String>,
    rows: Vec<Vec<Option<f64>>>,
    respondents: usize,
    factors: usize,
    kmo: f64,
    msa: Vec<f64>,
    bartlett_chi_square: f64,
    bartlett_df: usize,
    bartlett_p: f64,
    eigenvalues: Vec<f64>,
    loadings: Vec<Vec<f64>>,
    rotated_loadings: Vec<Vec<f64>>,
    rotated_variance: Vec<f64>,
    rotated_proportion: Vec<f64>,
    rotated_cumulative: Vec<f64>,
}

fn reference() -> Reference {
    let path = format!(
        "{}/tests/data/validity_reference.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn table(case: &Case) -> Responses {
    Responses::new(case.ids.clone(), case.rows.clone()).unwrap()
}

/// Column `k` of `got` equals column `k` of `want` or its negation (a component's sign is
/// arbitrary), within `tol`.
#[track_caller]
fn assert_columns_up_to_sign(got: &[Vec<f64>], want: &[Vec<f64>], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: rows");
    for k in 0..want[0].len() {
        let g: Vec<f64> = got.iter().map(|r| r[k]).collect();
        let w: Vec<f64> = want.iter().map(|r| r[k]).collect();
        let dot: f64 = g.iter().zip(&w).map(|(a, b)| a * b).sum();
        let w: Vec<f64> = w.iter().map(|x| x * dot.signum()).collect();
        assert_all_close(&g, &w, tol, &format!("{what} column {k}"));
    }
}

#[test]
fn kmo_and_bartlett_match_factor_analyzer() {
    for case in reference().cases {
        let s = SamplingAdequacy::of(&table(&case)).unwrap();
        let what = &case.name;
        assert_eq!(s.respondents(), case.respondents, "{what}");
        assert_close(s.kmo(), case.kmo, EIGEN, &format!("{what} KMO"));
        assert_all_close(s.msa(), &case.msa, EIGEN, &format!("{what} MSA"));
        assert_close_rel(
            s.bartlett_chi_square(),
            case.bartlett_chi_square,
            EIGEN,
            &format!("{what} chi2"),
        );
        assert_eq!(s.bartlett_df(), case.bartlett_df, "{what} df");
        assert_close_rel(
            s.bartlett_p(),
            case.bartlett_p,
            P_VALUE,
            &format!("{what} p"),
        );
    }
}

#[test]
fn principal_components_and_varimax_match_factor_analyzer() {
    for case in reference().cases {
        let fa = FactorAnalysis::of(&table(&case), FactorCount::Fixed(case.factors)).unwrap();
        let what = &case.name;
        assert_eq!(fa.respondents(), case.respondents, "{what}");
        assert_all_close(
            fa.eigenvalues(),
            &case.eigenvalues,
            EIGEN,
            &format!("{what} eigenvalues"),
        );
        assert_columns_up_to_sign(
            fa.loadings(),
            &case.loadings,
            EIGEN,
            &format!("{what} loadings"),
        );
        assert_columns_up_to_sign(
            fa.rotated_loadings(),
            &case.rotated_loadings,
            EIGEN,
            &format!("{what} rotated loadings"),
        );
        assert_all_close(
            fa.rotated_variance(),
            &case.rotated_variance,
            EIGEN,
            &format!("{what} rotated variance"),
        );
        let p = case.ids.len() as f64;
        let proportion: Vec<f64> = fa.rotated_variance().iter().map(|v| v / p).collect();
        assert_all_close(
            &proportion,
            &case.rotated_proportion,
            EIGEN,
            &format!("{what} proportion"),
        );
        let cumulative: Vec<f64> = proportion
            .iter()
            .scan(0.0, |s, v| {
                *s += v;
                Some(*s)
            })
            .collect();
        assert_all_close(
            &cumulative,
            &case.rotated_cumulative,
            EIGEN,
            &format!("{what} cumulative"),
        );
        // the eigenvalues sum to p (the trace of R), and explained variance is eigenvalue / p
        assert_close(
            fa.eigenvalues().iter().sum(),
            p,
            CLOSED_FORM,
            &format!("{what} trace"),
        );
        assert_close(
            *fa.cumulative_variance().last().unwrap(),
            1.0,
            CLOSED_FORM,
            &format!("{what} total variance"),
        );
        // rotation keeps the communalities
        for (i, h) in fa.communalities().iter().enumerate() {
            let rotated: f64 = fa.rotated_loadings()[i].iter().map(|x| x * x).sum();
            assert_close(rotated, *h, CLOSED_FORM, &format!("{what} communality {i}"));
        }
    }
}

#[test]
fn kaiser_criterion_keeps_the_eigenvalues_above_one() {
    for case in reference().cases {
        let fa = FactorAnalysis::of(&table(&case), FactorCount::Kaiser).unwrap();
        let above = case.eigenvalues.iter().filter(|&&l| l > 1.0).count();
        assert_eq!(fa.factors(), above, "{}", case.name);
        assert_eq!(fa.factors(), case.factors, "{}", case.name);
    }
}

#[test]
fn each_column_has_its_largest_entry_positive() {
    for case in reference().cases {
        let fa = FactorAnalysis::of(&table(&case), FactorCount::Kaiser).unwrap();
        for m in [fa.loadings(), fa.rotated_loadings()] {
            for k in 0..fa.factors() {
                let largest =
                    m.iter()
                        .map(|r| r[k])
                        .fold(0.0_f64, |b, x| if x.abs() > b.abs() { x } else { b });
                assert!(largest > 0.0, "{} column {k}", case.name);
            }
        }
    }
}

fn tree_of(case: &Case) -> IndicatorTree {
    let mut groups: Vec<(String, Vec<NodeSpec>)> = Vec::new();
    for id in &case.ids {
        let dim = id.split('_').next().unwrap().to_owned();
        match groups.iter_mut().find(|(d, _)| *d == dim) {
            Some((_, leaves)) => leaves.push(NodeSpec::leaf(id, id)),
            None => groups.push((dim, vec![NodeSpec::leaf(id, id)])),
        }
    }
    let n = groups.len();
    let children = groups
        .into_iter()
        .map(|(d, leaves)| {
            let k = leaves.len();
            NodeSpec::group(&d, &d, leaves).with_weights(vec![1.0 / k as f64; k])
        })
        .collect();
    IndicatorTree::new(
        NodeSpec::group("goal", "Goal", children).with_weights(vec![1.0 / n as f64; n]),
    )
    .unwrap()
}

#[test]
fn items_load_on_their_dimension_s_factor() {
    for case in reference().cases {
        let fa = FactorAnalysis::of(&table(&case), FactorCount::Kaiser).unwrap();
        let structure = fa.structure(&tree_of(&case));
        assert_eq!(structure.items().len(), case.ids.len(), "{}", case.name);
        assert_eq!(structure.matches(), case.ids.len(), "{}", case.name);
        let mut factors: Vec<usize> = structure.dimensions().iter().map(|d| d.factor()).collect();
        factors.sort_unstable();
        factors.dedup();
        assert_eq!(
            factors.len(),
            case.factors,
            "{}: one factor per dimension",
            case.name
        );
        for item in structure.items() {
            assert!(
                item.matches() && item.loading() > 0.5,
                "{}: {item:?}",
                case.name
            );
            assert!(item.item().starts_with(item.dimension()), "{item:?}");
        }
    }
}

#[test]
fn an_item_in_the_wrong_dimension_is_reported() {
    let case = &reference().cases[0];
    // move d1_q1 into d2: it still loads on d1's factor
    let mut moved = case.ids.clone();
    moved[0] = "d2_moved".into();
    let t = Responses::new(moved.clone(), case.rows.clone()).unwrap();
    let fa = FactorAnalysis::of(&t, FactorCount::Kaiser).unwrap();
    let structure = fa.structure(&tree_of(&Case {
        ids: moved,
        ..case.clone()
    }));
    let wrong: Vec<&str> = structure
        .items()
        .iter()
        .filter(|i| !i.matches())
        .map(|i| i.item())
        .collect();
    assert_eq!(wrong, ["d2_moved"]);
    assert_eq!(structure.matches(), case.ids.len() - 1);
}

fn analysis_error(e: Error) -> AnalysisError {
    match e {
        Error::Analysis(a) => a,
        other => panic!("not an analysis error: {other:?}"),
    }
}

fn rows(values: &[[Option<f64>; 3]]) -> Responses {
    Responses::new(
        vec!["a".into(), "b".into(), "c".into()],
        values.iter().map(|r| r.to_vec()).collect(),
    )
    .unwrap()
}

#[test]
fn bad_input_is_a_typed_error() {
    let one_item = Responses::new(
        vec!["a".into()],
        vec![vec![Some(1.0)], vec![Some(2.0)], vec![Some(3.0)]],
    )
    .unwrap();
    assert!(matches!(
        analysis_error(SamplingAdequacy::of(&one_item).unwrap_err()),
        AnalysisError::TooFewItems {
            needed: 2,
            found: 1,
            ..
        }
    ));
    assert!(matches!(
        analysis_error(FactorAnalysis::of(&one_item, FactorCount::Kaiser).unwrap_err()),
        AnalysisError::TooFewItems {
            needed: 2,
            found: 1,
            ..
        }
    ));
    let two = rows(&[
        [Some(1.0), Some(2.0), Some(3.0)],
        [Some(2.0), Some(1.0), Some(5.0)],
    ]);
    assert!(matches!(
        analysis_error(SamplingAdequacy::of(&two).unwrap_err()),
        AnalysisError::TooFewObservations {
            needed: 3,
            found: 2,
            ..
        }
    ));
    let all_missing = rows(&[
        [None, Some(2.0), Some(3.0)],
        [Some(2.0), None, Some(5.0)],
        [None, None, None],
    ]);
    assert!(matches!(
        analysis_error(FactorAnalysis::of(&all_missing, FactorCount::Kaiser).unwrap_err()),
        AnalysisError::TooFewObservations { found: 0, .. }
    ));
    let constant = rows(&[
        [Some(1.0), Some(2.0), Some(3.0)],
        [Some(2.0), Some(2.0), Some(5.0)],
        [Some(4.0), Some(2.0), Some(4.0)],
        [Some(3.0), Some(2.0), Some(1.0)],
    ]);
    for e in [
        SamplingAdequacy::of(&constant).unwrap_err(),
        FactorAnalysis::of(&constant, FactorCount::Kaiser).unwrap_err(),
    ] {
        assert!(matches!(
            analysis_error(e),
            AnalysisError::ZeroVariance { .. }
        ));
    }
    let ok = rows(&[
        [Some(1.0), Some(2.0), Some(3.0)],
        [Some(2.0), Some(3.0), Some(5.0)],
        [Some(4.0), Some(2.0), Some(4.0)],
        [Some(3.0), Some(5.0), Some(1.0)],
    ]);
    for m in [0, 4] {
        assert!(matches!(
            analysis_error(FactorAnalysis::of(&ok, FactorCount::Fixed(m)).unwrap_err()),
            AnalysisError::InvalidParameter { value, .. } if value == m
        ));
    }
}

#[test]
fn a_singular_correlation_matrix_has_no_kmo_but_a_factor_analysis() {
    // c = a + b exactly
    let dependent = rows(&[
        [Some(1.0), Some(2.0), Some(3.0)],
        [Some(2.0), Some(3.0), Some(5.0)],
        [Some(4.0), Some(0.0), Some(4.0)],
        [Some(3.0), Some(5.0), Some(8.0)],
        [Some(0.5), Some(1.0), Some(1.5)],
    ]);
    // fewer respondents than items
    let wide = Responses::new(
        (0..5).map(|i| format!("q{i}")).collect(),
        vec![
            vec![Some(1.0), Some(2.0), Some(3.0), Some(1.0), Some(5.0)],
            vec![Some(2.0), Some(1.0), Some(5.0), Some(2.0), Some(4.0)],
            vec![Some(4.0), Some(3.0), Some(4.0), Some(5.0), Some(1.0)],
            vec![Some(3.0), Some(5.0), Some(1.0), Some(3.0), Some(2.0)],
        ],
    )
    .unwrap();
    for t in [&dependent, &wide] {
        let e = analysis_error(SamplingAdequacy::of(t).unwrap_err());
        assert!(
            matches!(e, AnalysisError::SingularCorrelation { .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("singular"), "{e}");
        let fa = FactorAnalysis::of(t, FactorCount::Kaiser).unwrap();
        assert_finite(fa.eigenvalues(), "eigenvalues");
        assert!(fa.eigenvalues().iter().all(|&l| l >= 0.0));
        for row in fa.loadings().iter().chain(fa.rotated_loadings()) {
            assert_finite(row, "loadings");
        }
        assert_finite(fa.communalities(), "communalities");
    }
}

#[test]
fn uncorrelated_items_give_defined_values() {
    // exactly uncorrelated: every r is 0, so every partial correlation is 0 too
    let t = Responses::new(
        vec!["a".into(), "b".into()],
        vec![
            vec![Some(1.0), Some(1.0)],
            vec![Some(1.0), Some(-1.0)],
            vec![Some(-1.0), Some(1.0)],
            vec![Some(-1.0), Some(-1.0)],
        ],
    )
    .unwrap();
    let s = SamplingAdequacy::of(&t).unwrap();
    assert_close(s.kmo(), 0.0, BIT_EXACT, "KMO");
    assert_all_close(s.msa(), &[0.0, 0.0], BIT_EXACT, "MSA");
    assert_close(s.bartlett_chi_square(), 0.0, BIT_EXACT, "chi2");
    assert_close(s.bartlett_p(), 1.0, BIT_EXACT, "p");
}

fn all_finite(fa: &FactorAnalysis) -> bool {
    let rows = fa.loadings().iter().chain(fa.rotated_loadings());
    rows.flatten()
        .chain(fa.eigenvalues())
        .chain(fa.variance_explained())
        .chain(fa.cumulative_variance())
        .chain(fa.rotated_variance())
        .chain(fa.communalities())
        .all(|x| x.is_finite())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Likert answers with gaps, duplicated and constant items: a result without NaN or a
    /// typed error, never a panic.
    #[test]
    fn arbitrary_answers_give_finite_values_or_a_typed_error(
        cells in proptest::collection::vec(proptest::option::weighted(0.9, 0u8..=4), 2..=60),
        k in 2usize..=6,
    ) {
        let rows: Vec<Vec<Option<f64>>> = cells
            .chunks_exact(k)
            .map(|r| r.iter().map(|c| c.map(f64::from)).collect())
            .collect();
        let t = Responses::new((0..k).map(|i| format!("q{i}")).collect(), rows).unwrap();
        match SamplingAdequacy::of(&t) {
            Ok(s) => {
                let values = [s.kmo(), s.bartlett_chi_square(), s.bartlett_p()];
                proptest::prop_assert!(values.iter().chain(s.msa()).all(|x| x.is_finite()));
                proptest::prop_assert!(values.iter().chain(s.msa()).all(|&x| x >= 0.0));
            }
            Err(e) => proptest::prop_assert!(matches!(e, Error::Analysis(_)), "{e:?}"),
        }
        match FactorAnalysis::of(&t, FactorCount::Kaiser) {
            Ok(fa) => proptest::prop_assert!(all_finite(&fa), "{fa:?}"),
            Err(e) => proptest::prop_assert!(matches!(e, Error::Analysis(_)), "{e:?}"),
        }
    }
}
