//! Properties of `service_quality::analysis` that hold for any data, and its behaviour on bad
//! input and edge cases (too few rows or items, zero variance, all answers missing): a typed
//! error or a documented value, never a panic, never NaN.

mod common;

use common::check::{assert_close, assert_close_rel, assert_close_rel_opt, assert_finite};
use common::strategies::awkward_f64;
use common::tol::{BIT_EXACT, CLOSED_FORM};
use proptest::prelude::*;
use service_quality::analysis::{
    describe, describe_by_merchant, describe_dimensions, dimension_scores, moving_average,
    period_changes, relative_changes, reliability_by_dimension, CorrelationMatrix,
    CorrelationMethod, DescriptiveAccumulator, LinearTrend, MannKendall, MissingPolicy,
    Reliability, Responses, Summary, VariableSummary, MAX_ABS_VALUE,
};
use service_quality::{AnalysisError, Error, IndicatorTree, NodeSpec};

const METHODS: [CorrelationMethod; 3] = [
    CorrelationMethod::Pearson,
    CorrelationMethod::Spearman,
    CorrelationMethod::KendallTauB,
];

fn ids(k: usize) -> Vec<String> {
    (0..k).map(|j| format!("q{j}")).collect()
}

/// Tables of 0..=40 rows by 1..=6 variables: codes 0..=4, some missing.
fn tables() -> impl Strategy<Value = Responses> {
    (1usize..=6, 0usize..=40).prop_flat_map(|(k, n)| {
        prop::collection::vec(
            prop::collection::vec(
                prop::option::weighted(0.85, (0u8..=4).prop_map(f64::from)),
                k,
            ),
            n,
        )
        .prop_map(move |rows| Responses::new(ids(k), rows).expect("valid table"))
    })
}

/// Every number a summary reports.
fn summary_numbers(s: &Summary) -> Vec<f64> {
    let mut v = vec![s.mean(), s.median(), s.min(), s.max()];
    v.extend(
        [
            s.sd(),
            s.skewness(),
            s.kurtosis(),
            s.skewness_spss(),
            s.kurtosis_spss(),
        ]
        .into_iter()
        .flatten(),
    );
    v
}

fn variable_numbers(v: &VariableSummary) -> Vec<f64> {
    let mut out: Vec<f64> = v.codes().map(summary_numbers).unwrap_or_default();
    out.extend(v.frequencies().iter().map(|f| f.valid_percent()));
    out
}

fn reliability_numbers(r: &Reliability) -> Vec<f64> {
    let mut v = vec![r.alpha()];
    v.extend(r.alpha_standardized());
    v.extend(r.alpha_if_deleted().iter().flatten());
    v.extend(r.item_total().iter().flatten());
    v.extend(r.split_half());
    v.extend(r.spearman_brown());
    v
}

fn reversed(t: &Responses) -> Responses {
    let rows = t.rows().iter().rev().cloned().collect();
    Responses::new(t.ids().to_vec(), rows).expect("same table reversed")
}

fn rotated(t: &Responses, by: usize) -> Responses {
    let mut rows = t.rows().to_vec();
    if !rows.is_empty() {
        let by = by % rows.len();
        rows.rotate_left(by);
    }
    Responses::new(t.ids().to_vec(), rows).expect("same table rotated")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn alpha_of_copies_of_one_item_is_one(
        item in prop::collection::vec(0u8..=4, 2..30),
        k in 2usize..=6,
    ) {
        prop_assume!(item.iter().any(|&x| x != item[0]));
        let rows = item.iter().map(|&x| vec![Some(f64::from(x)); k]).collect();
        let t = Responses::new(ids(k), rows).expect("valid");
        for policy in [MissingPolicy::Listwise, MissingPolicy::Pairwise] {
            let r = Reliability::of(&t, policy).expect("non-constant item");
            assert_close(r.alpha(), 1.0, CLOSED_FORM, "alpha");
            assert_close(r.alpha_standardized().expect("defined"), 1.0, CLOSED_FORM, "std alpha");
            for a in r.alpha_if_deleted().iter().flatten() {
                assert_close(*a, 1.0, CLOSED_FORM, "alpha if deleted");
            }
            for c in r.item_total() {
                assert_close(c.expect("defined"), 1.0, CLOSED_FORM, "item-total");
            }
        }
    }

    #[test]
    fn correlation_matrices_are_symmetric_with_unit_diagonal_and_bounded(t in tables()) {
        for method in METHODS {
            let m = CorrelationMatrix::of(&t, method);
            let k = m.len();
            for i in 0..k {
                assert_eq!(m.r(i, i), Some(1.0));
                assert_eq!(m.p(i, i), Some(0.0));
                for j in 0..k {
                    assert_eq!(m.r(i, j), m.r(j, i), "{method:?} r symmetric");
                    assert_eq!(m.p(i, j), m.p(j, i), "{method:?} p symmetric");
                    assert_eq!(m.n(i, j), m.n(j, i));
                    if let Some(r) = m.r(i, j) {
                        assert!((-1.0..=1.0).contains(&r), "{method:?} r = {r}");
                    }
                    if let Some(p) = m.p(i, j) {
                        assert!((0.0..=1.0).contains(&p), "{method:?} p = {p}");
                    }
                    assert_eq!(m.r(i, j).is_some(), m.p(i, j).is_some());
                }
            }
        }
    }

    #[test]
    fn adding_a_constant_changes_no_correlation(t in tables(), c in -50i32..=50) {
        let shifted = Responses::new(
            t.ids().to_vec(),
            t.rows()
                .iter()
                .map(|r| r.iter().map(|x| x.map(|x| x + f64::from(c))).collect())
                .collect(),
        )
        .expect("valid");
        for method in METHODS {
            let (a, b) = (CorrelationMatrix::of(&t, method), CorrelationMatrix::of(&shifted, method));
            for i in 0..a.len() {
                for j in 0..a.len() {
                    // ranks, and so Spearman and Kendall, do not change at all
                    let tol = if method == CorrelationMethod::Pearson { CLOSED_FORM } else { BIT_EXACT };
                    assert_close_rel_opt(a.r(i, j), b.r(i, j), tol, &format!("{method:?} r"));
                    assert_close_rel_opt(a.p(i, j), b.p(i, j), CLOSED_FORM, &format!("{method:?} p"));
                }
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_row_order(t in tables(), by in 0usize..40) {
        for other in [reversed(&t), rotated(&t, by)] {
            for (a, b) in describe(&t).iter().zip(&describe(&other)) {
                assert_eq!(a.missing(), b.missing());
                assert_eq!(a.frequencies(), b.frequencies());
                let (x, y) = (variable_numbers(a), variable_numbers(b));
                assert_eq!(x.len(), y.len());
                for (u, v) in x.iter().zip(&y) {
                    assert_close(*u, *v, CLOSED_FORM, "descriptive");
                }
            }
            for policy in [MissingPolicy::Listwise, MissingPolicy::Pairwise] {
                match (Reliability::of(&t, policy), Reliability::of(&other, policy)) {
                    (Ok(a), Ok(b)) => {
                        let (x, y) = (reliability_numbers(&a), reliability_numbers(&b));
                        assert_eq!(x.len(), y.len());
                        // alpha = k/(k-1) (1 - items/total) amplifies the rounding of a small
                        // total by items/total, about |alpha| (likewise Spearman-Brown near
                        // r = -1): the tolerance grows with the value
                        for (u, v) in x.iter().zip(&y) {
                            assert_close_rel(*u, *v, CLOSED_FORM * v.abs().max(1.0), "reliability");
                        }
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b),
                    (a, b) => panic!("{a:?} vs {b:?}"),
                }
            }
            for method in METHODS {
                let (a, b) = (CorrelationMatrix::of(&t, method), CorrelationMatrix::of(&other, method));
                for i in 0..a.len() {
                    for j in 0..a.len() {
                        assert_close_rel_opt(a.r(i, j), b.r(i, j), CLOSED_FORM, "r");
                        assert_close_rel_opt(a.p(i, j), b.p(i, j), CLOSED_FORM, "p");
                    }
                }
            }
        }
    }

    #[test]
    fn outputs_are_finite_or_errors(t in tables()) {
        for v in describe(&t) {
            assert_finite(&variable_numbers(&v), "descriptive");
        }
        for policy in [MissingPolicy::Listwise, MissingPolicy::Pairwise] {
            if let Ok(r) = Reliability::of(&t, policy) {
                assert_finite(&reliability_numbers(&r), "reliability");
            }
        }
    }

    #[test]
    fn series_statistics_never_panic_and_are_finite(
        x in prop::collection::vec(prop_oneof![awkward_f64(), (0i32..5).prop_map(f64::from)], 0..30),
    ) {
        let in_range = x.iter().all(|v| v.abs() <= MAX_ABS_VALUE);
        assert_eq!(period_changes(&x).is_ok(), in_range);
        let _ = relative_changes(&x);
        let _ = moving_average(&x, 3);
        match LinearTrend::of_series(&x) {
            Ok(fit) => assert_finite(&[fit.slope(), fit.intercept(), fit.r(), fit.p_value(), fit.slope_stderr()], "trend"),
            Err(e) => assert!(matches!(e, Error::Analysis(_)), "{e}"),
        }
        match MannKendall::of_series(&x) {
            Ok(mk) => {
                assert_finite(&[mk.s(), mk.var_s(), mk.z(), mk.p_value(), mk.tau()], "Mann-Kendall");
                assert!((0.0..=1.0).contains(&mk.p_value()));
            }
            Err(e) => assert!(matches!(e, Error::Analysis(_)), "{e}"),
        }
    }
}

// ----- bad input and edge cases --------------------------------------------------------------

fn table(rows: Vec<Vec<Option<f64>>>) -> Responses {
    let k = rows.first().map_or(1, Vec::len);
    Responses::new(ids(k), rows).expect("valid")
}

#[test]
fn invalid_tables_are_rejected_at_construction() {
    let err = |r: service_quality::Result<Responses>| match r {
        Err(Error::Analysis(e)) => e,
        other => panic!("expected an analysis error, got {other:?}"),
    };
    assert_eq!(
        err(Responses::new(vec![], vec![])),
        AnalysisError::NoVariables
    );
    assert_eq!(
        err(Responses::new(vec!["a".into(), "a".into()], vec![])),
        AnalysisError::DuplicateVariable { id: "a".into() }
    );
    assert_eq!(
        err(Responses::new(ids(2), vec![vec![Some(1.0)]])),
        AnalysisError::RowLength {
            row: 0,
            expected: 2,
            found: 1
        }
    );
    assert!(matches!(
        err(Responses::new(
            ids(1),
            vec![vec![Some(1.0)], vec![Some(f64::NAN)]]
        )),
        AnalysisError::ValueOutOfRange { row: 1, .. }
    ));
    assert!(matches!(
        err(Responses::from_columns(
            ids(2),
            vec![vec![Some(1.0)], vec![]]
        )),
        AnalysisError::RowLength {
            row: 1,
            expected: 1,
            found: 0
        }
    ));
    let t = table(vec![vec![Some(1.0), Some(2.0)]]);
    assert_eq!(
        err(t.select(&["zz"])),
        AnalysisError::UnknownVariable { id: "zz".into() }
    );
    assert!(matches!(
        err(t.join(&Responses::new(vec!["x".into()], vec![]).expect("valid"))),
        AnalysisError::RowLength { .. }
    ));
    let mut acc = DescriptiveAccumulator::new(ids(1));
    assert!(acc.push_row(&[Some(f64::INFINITY)]).is_err());
    assert!(acc.push_row(&[]).is_err());
    assert_eq!(
        acc.finish()[0].codes(),
        None,
        "rejected rows leave nothing behind"
    );
}

#[test]
fn too_few_respondents_or_items_are_typed_errors() {
    let one_item = table(vec![vec![Some(1.0)], vec![Some(2.0)]]);
    assert_eq!(
        Reliability::of(&one_item, MissingPolicy::Listwise),
        Err(AnalysisError::TooFewItems {
            what: "reliability",
            needed: 2,
            found: 1
        }
        .into())
    );
    let one_row = table(vec![vec![Some(1.0), Some(2.0)]]);
    for policy in [MissingPolicy::Listwise, MissingPolicy::Pairwise] {
        assert_eq!(
            Reliability::of(&one_row, policy),
            Err(AnalysisError::TooFewObservations {
                what: "reliability",
                needed: 2,
                found: 1
            }
            .into())
        );
    }
    let all_missing = table(vec![vec![None, None]; 5]);
    assert!(matches!(
        Reliability::of(&all_missing, MissingPolicy::Pairwise),
        Err(Error::Analysis(AnalysisError::TooFewObservations {
            found: 0,
            ..
        }))
    ));
    for f in [LinearTrend::of_series, |x: &[f64]| {
        MannKendall::of_series(x).map(|_| unreachable_trend())
    }] {
        assert!(matches!(
            f(&[1.0, 2.0]),
            Err(Error::Analysis(AnalysisError::TooFewObservations {
                needed: 3,
                found: 2,
                ..
            }))
        ));
    }
    assert!(matches!(
        LinearTrend::fit(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]),
        Err(Error::Analysis(AnalysisError::ZeroVariance { .. }))
    ));
    assert!(matches!(
        moving_average(&[1.0], 0),
        Err(Error::Analysis(AnalysisError::InvalidParameter {
            value: 0,
            ..
        }))
    ));
    assert_eq!(moving_average(&[1.0, 2.0], 3).ok(), Some(vec![]));
}

/// A stand-in result type so that both trend constructors fit one array above.
fn unreachable_trend() -> LinearTrend {
    LinearTrend::of_series(&[0.0, 1.0, 2.0]).expect("three points")
}

#[test]
fn zero_variance_gives_documented_values() {
    // every respondent gives the same total: alpha is undefined
    let constant = table(vec![vec![Some(3.0), Some(3.0)]; 4]);
    assert_eq!(
        Reliability::of(&constant, MissingPolicy::Listwise),
        Err(AnalysisError::ZeroVariance {
            what: "Cronbach's alpha",
            of: "the total score"
        }
        .into())
    );
    // one constant item among varying ones: alpha defined, its correlations are None
    let t = table(vec![
        vec![Some(1.0), Some(2.0), Some(3.0)],
        vec![Some(2.0), Some(3.0), Some(3.0)],
        vec![Some(4.0), Some(4.0), Some(3.0)],
    ]);
    let r = Reliability::of(&t, MissingPolicy::Listwise).expect("total varies");
    assert_eq!(r.alpha_standardized(), None);
    assert_eq!(r.item_total()[2], None);
    assert!(r.alpha().is_finite());
    let m = CorrelationMatrix::of(&t, CorrelationMethod::Pearson);
    assert_eq!((m.r(0, 2), m.p(0, 2)), (None, None));
    assert_eq!(m.r(2, 2), Some(1.0));
    // a constant item: SD 0, shape undefined
    let s = &describe(&t)[2];
    let codes = s.codes().expect("answered");
    assert_eq!(
        (codes.sd(), codes.skewness(), codes.kurtosis()),
        (Some(0.0), None, None)
    );
    assert_eq!((codes.skewness_spss(), codes.kurtosis_spss()), (None, None));
    // a constant series
    let mk = MannKendall::of_series(&[5.0; 6]).expect("six periods");
    assert_eq!(
        (mk.s(), mk.z(), mk.p_value(), mk.sen_slope()),
        (0.0, 0.0, 1.0, 0.0)
    );
    assert_eq!(relative_changes(&[0.0, 1.0]).ok(), Some(vec![None]));
}

#[test]
fn all_answers_missing_and_single_answers() {
    let t = table(vec![vec![None, Some(2.0)], vec![None, None]]);
    let d = describe(&t);
    assert_eq!((d[0].missing(), d[0].codes()), (2, None));
    assert!(d[0].frequencies().is_empty());
    let one = d[1].codes().expect("one answer");
    assert_eq!((one.n(), one.sd(), one.median()), (1, None, 2.0));
    let m = CorrelationMatrix::of(&t, CorrelationMethod::KendallTauB);
    assert_eq!((m.n(0, 1), m.r(0, 1)), (Some(0), None));
    let empty = Responses::new(ids(2), vec![]).expect("no rows is a valid table");
    assert!(describe(&empty).iter().all(|v| v.codes().is_none()));
}

#[test]
fn dimensions_and_merchants() {
    let tree = IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Goal",
            vec![
                NodeSpec::group(
                    "speed",
                    "Speed",
                    vec![NodeSpec::leaf("a", "A"), NodeSpec::leaf("b", "B")],
                )
                .with_weights(vec![0.5, 0.5]),
                NodeSpec::group(
                    "care",
                    "Care",
                    vec![NodeSpec::leaf("c", "C"), NodeSpec::leaf("d", "D")],
                )
                .with_weights(vec![0.5, 0.5]),
            ],
        )
        .with_weights(vec![0.5, 0.5]),
    )
    .expect("valid tree");
    let t = Responses::new(
        vec!["a".into(), "b".into(), "c".into(), "d".into()],
        vec![
            vec![Some(1.0), Some(2.0), Some(3.0), Some(3.0)],
            vec![Some(3.0), Some(3.0), Some(3.0), Some(3.0)],
            vec![Some(4.0), Some(5.0), Some(3.0), Some(3.0)],
        ],
    )
    .expect("valid");
    let dims = describe_dimensions(&tree, &t);
    let names: Vec<&str> = dims.iter().map(VariableSummary::id).collect();
    assert_eq!(names, ["speed", "care"]);
    assert_close(
        dims[0].codes().expect("scores").mean(),
        3.0,
        CLOSED_FORM,
        "speed mean",
    );
    // `care` is constant: its alpha is undefined, reported with the dimension's path
    let err = reliability_by_dimension(&tree, &t, MissingPolicy::Listwise).expect_err("care");
    assert_eq!(err.node_path().as_deref(), Some("care"));
    assert!(matches!(
        err.root(),
        Error::Analysis(AnalysisError::ZeroVariance { .. })
    ));
    let speed_only = t.select(&["a", "b"]).expect("known ids");
    let ok = reliability_by_dimension(&tree, &speed_only, MissingPolicy::Pairwise).expect("speed");
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].dimension(), "speed");
    assert_eq!(ok[0].reliability().policy(), MissingPolicy::Pairwise);

    let scores = dimension_scores(&tree, &t).expect("two dimensions");
    assert_eq!(scores.ids(), ["speed", "care"]);
    assert_eq!(scores.rows()[2], [Some(4.5), Some(3.0)]);
    let joined = scores.join(&t).expect("same rows");
    assert_eq!(joined.variable_count(), 6);
    let none = Responses::new(vec!["zz".into()], vec![]).expect("valid");
    assert_eq!(
        dimension_scores(&tree, &none),
        Err(AnalysisError::NoVariables.into())
    );

    let per = describe_by_merchant(&t, &["m1", "m2", "m1"]).expect("one merchant per row");
    assert_eq!(per.len(), 2);
    assert_eq!(per[1].merchant(), "m2");
    assert_eq!(per[0].variables()[0].codes().map(Summary::n), Some(2));
    assert!(describe_by_merchant(&t, &["m1"]).is_err());
}

#[test]
fn streaming_matches_the_two_pass_formulas_on_large_offsets() {
    // values near 1e9 with a spread of a few units: the naive sum of squares loses every digit
    let mut acc = DescriptiveAccumulator::new(ids(1));
    let xs: Vec<f64> = (0..10_000).map(|i| 1e9 + f64::from(i % 7)).collect();
    for &x in &xs {
        acc.push_row(&[Some(x)]).expect("finite");
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    let s = acc.finish()[0].codes().copied().expect("answered");
    assert_close(s.mean(), mean, CLOSED_FORM * 1e9, "mean");
    assert_close(s.sd().expect("n > 1"), var.sqrt(), CLOSED_FORM, "sd");
}

#[test]
fn public_types_are_send_sync_clone_debug() {
    fn common<T: Send + Sync + Clone + std::fmt::Debug + PartialEq>() {}
    common::<Responses>();
    common::<DescriptiveAccumulator>();
    common::<VariableSummary>();
    common::<Summary>();
    common::<service_quality::analysis::Frequency>();
    common::<service_quality::analysis::MerchantSummary>();
    common::<Reliability>();
    common::<service_quality::analysis::DimensionReliability>();
    common::<MissingPolicy>();
    common::<CorrelationMatrix>();
    common::<CorrelationMethod>();
    common::<LinearTrend>();
    common::<MannKendall>();
    common::<AnalysisError>();
}

#[cfg(feature = "serde")]
#[test]
fn responses_deserialise_through_the_constructor() {
    let ok: Responses =
        serde_json::from_str(r#"{"ids": ["a", "b"], "rows": [[1.0, null]]}"#).expect("valid");
    assert_eq!(ok.column(1).collect::<Vec<_>>(), [None]);
    let ragged = serde_json::from_str::<Responses>(r#"{"ids": ["a", "b"], "rows": [[1.0]]}"#);
    assert!(ragged.is_err());
    let repeated = serde_json::from_str::<Responses>(r#"{"ids": ["a", "a"], "rows": []}"#);
    assert!(repeated.is_err());
    let huge = serde_json::from_str::<Responses>(r#"{"ids": ["a"], "rows": [[1e300]]}"#);
    assert!(huge.is_err());
    let r = Reliability::of(
        &Responses::new(
            ids(2),
            vec![vec![Some(1.0), Some(2.0)], vec![Some(2.0), Some(2.5)]],
        )
        .expect("valid"),
        MissingPolicy::Pairwise,
    )
    .expect("defined");
    let json = serde_json::to_value(&r).expect("serialisable");
    assert_eq!(json["policy"], "Pairwise");
}
