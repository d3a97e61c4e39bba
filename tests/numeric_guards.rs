//! Numerical guards: on valid but extreme inputs every public numeric output is a valid number
//! (finite; `lambda_max >= n`, `CR >= 0`; weights positive and summing to 1; scores within the
//! grade values) or a typed error, never a silently impossible value.

mod common;

use common::check::{assert_all_close, assert_close, assert_close_rel, ok_or_explained};
use common::strategies::awkward_f64;
use common::tol::{BIT_EXACT, CLOSED_FORM, REFERENCE};
use proptest::prelude::*;
use service_quality::group::AhpConsensus;
use service_quality::{
    AhpError, CompletionMethod, Error, EvaluationError, Evaluator, ExpertWeights, Grade, GradeSet,
    IncompleteMatrix, IndicatorMemberships, IndicatorTree, NodeSpec, NumericError, PairwiseMatrix,
    PriorityMethod, PriorityOptions, RandomIndex, RepairOptions, Weights,
};

const METHODS: [PriorityMethod; 3] = [
    PriorityMethod::Eigenvector,
    PriorityMethod::GeometricMean,
    PriorityMethod::NormalizedColumnAverage,
];

const COMPLETIONS: [CompletionMethod; 3] = [
    CompletionMethod::Harker,
    CompletionMethod::LogLeastSquares,
    CompletionMethod::Optimal,
];

/// The two extreme matrices of the issue: valid (positive, reciprocal, finite reciprocals)
/// with entries near the ends of `f64`.
const EXTREME: [[f64; 3]; 2] = [
    [f64::MAX, 1e200, 0.5],
    [
        2.747984342514645e121,
        1.4429550640667244e-70,
        4.4007640421707267e-287,
    ],
];

/// The guarantees on a priority computation of an `n x n` matrix.
fn assert_valid_priorities(p: &service_quality::Priorities, n: usize, what: &str) {
    let w = p.weights().as_slice();
    assert!(
        w.iter().all(|x| x.is_finite() && *x >= f64::MIN_POSITIVE),
        "{what}: weights {w:?}"
    );
    assert_close(w.iter().sum(), 1.0, CLOSED_FORM, what);
    let c = p.consistency();
    assert!(
        c.lambda_max().is_finite() && c.lambda_max() >= n as f64,
        "{what}: lambda_max {} for n = {n}",
        c.lambda_max()
    );
    assert!(
        c.ci().is_finite() && c.ci() >= 0.0 && c.cr().is_finite() && c.cr() >= 0.0,
        "{what}: CI {}, CR {}",
        c.ci(),
        c.cr()
    );
}

/// A numerical error: the only errors a valid matrix may give.
fn assert_numerical(e: &Error, what: &str) {
    assert!(
        matches!(
            e.root(),
            Error::Numeric(
                NumericError::NumericalRange { .. } | NumericError::NoConvergence { .. }
            )
        ),
        "{what}: unexpected error {e}"
    );
}

/// `lambda_max` of a 3x3 reciprocal matrix in closed form: with the triad `t = a01 a12 / a02`,
/// `lambda_max = 1 + t^(1/3) + t^(-1/3) = 1 + 2 cosh(ln t / 3)`; its eigenvector is the row
/// geometric mean. Computed in logarithms; the weights are returned as their logarithms.
fn closed_form_3x3(u: [f64; 3]) -> (f64, Vec<f64>) {
    let [a01, a02, a12] = u.map(f64::ln);
    let lambda = 1.0 + 2.0 * ((a01 + a12 - a02) / 3.0).cosh();
    let logs = [(a01 + a02) / 3.0, (a12 - a01) / 3.0, (-a02 - a12) / 3.0];
    let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let log_sum = max + logs.iter().map(|l| (l - max).exp()).sum::<f64>().ln();
    (lambda, logs.iter().map(|l| l - log_sum).collect())
}

/// The issue's reproducers gave `lambda_max` 2.5 and 2 (CR -0.43 and -0.86) by the eigenvector.
/// For 3x3 matrices the eigenvector and the row geometric mean agree with the closed form;
/// the column average keeps `lambda_max >= n`.
#[test]
fn extreme_matrices_keep_lambda_max_at_least_n() {
    for u in EXTREME {
        let m = PairwiseMatrix::from_upper_triangle(3, &u).unwrap();
        let (lambda, log_w) = closed_form_3x3(u);
        for method in METHODS {
            let what = format!("{u:?} {method:?}");
            match m.priorities(method) {
                Ok(p) => {
                    assert_valid_priorities(&p, 3, &what);
                    if method != PriorityMethod::NormalizedColumnAverage {
                        assert_close_rel(p.lambda_max(), lambda, REFERENCE, &what);
                        // weights down to 1e-272: compared by their logarithms (relative error)
                        let got: Vec<f64> = p.weights().as_slice().iter().map(|x| x.ln()).collect();
                        assert_all_close(&got, &log_w, REFERENCE, &what);
                    }
                }
                Err(e) => assert_numerical(&e, &what),
            }
        }
    }
    // both are representable: the eigenvector must not give up on them
    for u in EXTREME {
        let m = PairwiseMatrix::from_upper_triangle(3, &u).unwrap();
        assert!(m.priorities(PriorityMethod::Eigenvector).is_ok(), "{u:?}");
    }
}

/// Repair starts from the same priorities: its CR was -0.86 on the second reproducer.
#[test]
fn repair_of_extreme_matrices_reports_non_negative_cr() {
    for u in EXTREME {
        let m = PairwiseMatrix::from_upper_triangle(3, &u).unwrap();
        match m.repair(&RepairOptions::new()) {
            Ok(r) => {
                assert_valid_priorities(r.priorities(), 3, "repaired");
                assert!(r.initial().cr() >= 0.0, "initial CR {}", r.initial().cr());
                for s in r.steps() {
                    assert!(s.cr_after >= 0.0 && s.cr_after.is_finite(), "{s:?}");
                }
            }
            Err(e) => assert_numerical(&e, "repair"),
        }
    }
}

/// Completing extreme judgements gave CR below 0 (down to -0.64 in the issue) with every
/// method.
#[test]
fn completion_of_extreme_judgements_reports_non_negative_cr() {
    let m = IncompleteMatrix::from_upper_triangle(
        4,
        &[
            None,
            Some(1.0),
            None,
            Some(2.4444984656695574e231),
            Some(88554296769900.05),
            None,
        ],
    )
    .unwrap();
    for method in COMPLETIONS {
        match m.complete(method) {
            Ok(c) => {
                assert_valid_priorities(c.priorities(), 4, &format!("{method:?}"));
                assert!(c
                    .filled()
                    .iter()
                    .all(|f| f.value.is_finite() && f.value > 0.0));
            }
            Err(e) => assert_numerical(&e, &format!("{method:?}")),
        }
    }
}

/// A perfectly consistent matrix reports CI = CR = 0 exactly and `lambda_max = n`, for every
/// method, also at extreme magnitudes.
#[test]
fn consistent_matrices_report_cr_exactly_zero() {
    let weights: [&[f64]; 4] = [
        &[0.5, 0.25, 0.15, 0.1],
        &[1.0, 2.0, 3.0, 5.0, 7.0, 11.0, 13.0],
        &[0.3, 0.3, 0.2, 0.1, 0.05, 0.05],
        &[1e-150, 1.0, 1e150],
    ];
    for w in weights {
        let m = PairwiseMatrix::consistent(w).unwrap();
        for method in METHODS {
            let p = m.priorities(method).unwrap();
            let c = p.consistency();
            let what = format!("{w:?} {method:?}");
            assert_close(c.lambda_max(), w.len() as f64, BIT_EXACT, &what);
            assert_close(c.ci(), 0.0, BIT_EXACT, &what);
            assert_close(c.cr(), 0.0, BIT_EXACT, &what);
        }
    }
}

/// `inconsistent_judgements` gave NaN and inf in `log_error()`.
#[test]
fn inconsistent_judgements_are_finite_or_an_error() {
    for u in [[f64::MAX, f64::MAX, 1e-150], EXTREME[0], EXTREME[1]] {
        let m = PairwiseMatrix::from_upper_triangle(3, &u).unwrap();
        for method in METHODS {
            match m.inconsistent_judgements(method) {
                Ok(ranked) => {
                    for r in ranked {
                        assert!(
                            [r.value, r.consistent_value, r.error, r.log_error()]
                                .iter()
                                .all(|x| x.is_finite())
                                && r.consistent_value > 0.0
                                && r.error > 0.0,
                            "{u:?} {method:?}: {r:?}"
                        );
                    }
                }
                Err(e) => assert_numerical(&e, &format!("{u:?} {method:?}")),
            }
        }
    }
}

/// A positive entry whose reciprocal overflows is named as such.
#[test]
fn entry_with_overflowing_reciprocal_says_so() {
    let e = PairwiseMatrix::from_upper_triangle(3, &[f64::MAX, 5e-324, 1.0]).unwrap_err();
    assert!(matches!(
        e,
        Error::Ahp(AhpError::InvalidEntry { row: 0, col: 2, .. })
    ));
    let msg = e.to_string();
    assert!(
        msg.contains("is positive but its reciprocal overflows f64"),
        "{msg}"
    );
    let e = IncompleteMatrix::from_judgements(2, &[(0, 1, 1e-310)]).unwrap_err();
    assert!(e.to_string().contains("reciprocal overflows"), "{e}");
}

/// 16 or more criteria under the default table: the message names the tables that cover n and
/// the custom table.
#[test]
fn random_index_out_of_range_names_the_covering_tables() {
    let m = PairwiseMatrix::consistent(&[1.0; 16]).unwrap();
    let msg = m
        .priorities(PriorityMethod::Eigenvector)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("tables covering n = 16: donegan_dodd1991 (n <= 100)")
            && msg.contains("RandomIndex::custom"),
        "{msg}"
    );
    let big = PairwiseMatrix::consistent(&[1.0; 101]).unwrap();
    let opts = PriorityOptions::default().with_random_index(RandomIndex::DoneganDodd1991);
    let msg = big.priorities_with(&opts).unwrap_err().to_string();
    assert!(
        msg.contains("no built-in table covers n = 101") && msg.contains("RandomIndex::custom"),
        "{msg}"
    );
    // and the custom table does cover it
    let mut ri = vec![0.0, 0.0];
    ri.extend(std::iter::repeat_n(1.6, 99));
    let opts = PriorityOptions::default().with_random_index(RandomIndex::custom(ri).unwrap());
    let cr = big.priorities_with(&opts).unwrap().cr();
    assert_close(cr, 0.0, BIT_EXACT, "CR of n = 101");
}

/// Grade values near ±f64::MAX made shortfalls overflow to inf: values are bounded by
/// `GradeSet::MAX_ABS_VALUE`.
#[test]
fn grade_values_are_bounded() {
    for v in [f64::MAX, -f64::MAX, 1e300, -1.5e12] {
        assert!(
            matches!(
                GradeSet::new(vec![Grade::new("a", v), Grade::new("b", 0.0)]),
                Err(Error::Evaluation(EvaluationError::InvalidGradeValue { index: 0, value }))
                    if value.to_bits() == v.to_bits()
            ),
            "{v}"
        );
    }
    let top = GradeSet::MAX_ABS_VALUE;
    let grades = GradeSet::new(vec![Grade::new("best", top), Grade::new("worst", -top)]).unwrap();
    let tree = IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Goal",
            vec![NodeSpec::leaf("a", "A"), NodeSpec::leaf("b", "B")],
        )
        .with_weights(vec![0.5, 0.5]),
    )
    .unwrap();
    let mut d = IndicatorMemberships::new(&grades);
    d.insert("a", vec![0.0, 1.0], 1, 0).unwrap();
    d.insert("b", vec![1.0, 0.0], 1, 0).unwrap();
    let report = Evaluator::new(&tree, grades).report("shop", &d).unwrap();
    let a = &report.indicators()[0];
    assert_close(a.score(), -top, BIT_EXACT, "score");
    assert_close(a.shortfall(), top, BIT_EXACT, "shortfall");
}

/// Zero priorities made Goepel's S* fall far below 0: they are rejected, naming the expert.
#[test]
fn consensus_rejects_zero_priorities() {
    let a = Weights::new(vec![1.0, 0.0, 0.0]).unwrap();
    let b = Weights::new(vec![0.0, 1.0, 0.0]).unwrap();
    let e = AhpConsensus::new(&[b, a], &ExpertWeights::equal(2).unwrap()).unwrap_err();
    assert!(
        matches!(
            &e,
            Error::AtExpert { expert: 0, source }
                if matches!(**source, Error::Ahp(AhpError::ZeroPriority { index: 0, .. }))
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "expert 0: priority 0 is 0; the consensus indicator needs every priority > 0, as the \
         priorities of a pairwise matrix are"
    );
}

/// Positive `f64`s of every magnitude, log-uniform over the whole range, plus the awkward ones.
fn magnitude() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-708.0f64..709.0).prop_map(f64::exp),
        awkward_f64(),
        (1u8..=9).prop_map(f64::from),
    ]
}

fn upper(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(magnitude(), n * (n - 1) / 2)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every priority method, the judgement diagnosis and the repair on matrices with entries
    /// of any magnitude: valid numbers or a numerical error.
    #[test]
    fn priorities_are_valid_numbers_or_a_typed_error(
        (n, u) in (3usize..=6).prop_flat_map(|n| (Just(n), upper(n)))
    ) {
        let Some(m) = ok_or_explained(PairwiseMatrix::from_upper_triangle(n, &u), "matrix") else {
            return Ok(());
        };
        for method in METHODS {
            match m.priorities(method) {
                Ok(p) => assert_valid_priorities(&p, n, &format!("{u:?} {method:?}")),
                Err(e) => assert_numerical(&e, &format!("{u:?} {method:?}")),
            }
            match m.inconsistent_judgements(method) {
                Ok(ranked) => {
                    for r in ranked {
                        prop_assert!(r.log_error().is_finite() && r.consistent_value.is_finite()
                            && r.consistent_value > 0.0, "{:?}", r);
                    }
                }
                Err(e) => assert_numerical(&e, "inconsistent judgements"),
            }
        }
        match m.repair(&RepairOptions::new().with_max_steps(3)) {
            Ok(r) => {
                assert_valid_priorities(r.priorities(), n, "repair");
                prop_assert!(r.initial().cr() >= 0.0);
                prop_assert!(r.matrix().as_slice().iter().all(|x| x.is_finite() && *x > 0.0));
            }
            Err(e) => assert_numerical(&e, "repair"),
        }
    }

    /// Completion by every method on judgements of any magnitude with some pairs missing.
    #[test]
    fn completions_are_valid_numbers_or_a_typed_error(
        u in upper(4),
        keep in prop::collection::vec(any::<bool>(), 6),
    ) {
        let given: Vec<Option<f64>> = u.iter().zip(&keep).map(|(v, k)| k.then_some(*v)).collect();
        let Some(m) = ok_or_explained(IncompleteMatrix::from_upper_triangle(4, &given), "matrix") else {
            return Ok(());
        };
        if m.components().len() > 1 {
            return Ok(());
        }
        for method in COMPLETIONS {
            match m.complete(method) {
                Ok(c) => {
                    assert_valid_priorities(c.priorities(), 4, &format!("{given:?} {method:?}"));
                    prop_assert!(c.matrix().as_slice().iter().all(|x| x.is_finite() && *x > 0.0));
                }
                Err(e) => assert_numerical(&e, &format!("{given:?} {method:?}")),
            }
        }
    }

    /// Scores of grade sets anywhere in the allowed range lie within the grade values and
    /// shortfalls are finite and non-negative.
    #[test]
    fn scores_and_shortfalls_stay_in_range(
        values in prop::collection::vec(-1e12f64..=1e12, 2..6),
        b in prop::collection::vec(0.0f64..1.0, 6),
    ) {
        let m = values.len();
        let grades = GradeSet::new(
            values.iter().enumerate().map(|(j, v)| Grade::new(format!("g{j}"), *v)).collect(),
        ).unwrap();
        let (lo, hi) = (grades.min_value(), grades.max_value());
        let tree = IndicatorTree::new(
            NodeSpec::group("goal", "Goal", vec![NodeSpec::leaf("a", "A"), NodeSpec::leaf("b", "B")])
                .with_weights(vec![0.3, 0.7]),
        ).unwrap();
        let mut d = IndicatorMemberships::new(&grades);
        let row: Vec<f64> = b[..m].iter().map(|x| x + 1e-9).collect();
        d.insert("a", row.clone(), 1, 0).unwrap();
        d.insert("b", row.iter().rev().copied().collect(), 1, 0).unwrap();
        let report = Evaluator::new(&tree, grades).report("shop", &d).unwrap();
        for l in report.indicators() {
            prop_assert!(lo <= l.score() && l.score() <= hi, "score {} outside [{}, {}]", l.score(), lo, hi);
            prop_assert!(l.shortfall().is_finite() && l.shortfall() >= 0.0, "shortfall {}", l.shortfall());
        }
    }
}

/// A deserialised consistency report is one the crate could have produced: `lambda_max >= n`.
#[cfg(feature = "serde")]
#[test]
fn deserialised_report_with_lambda_max_below_n_is_rejected() {
    let m = PairwiseMatrix::from_upper_triangle(3, &[3.0, 5.0, 2.0]).unwrap();
    let report = *m
        .priorities(PriorityMethod::Eigenvector)
        .unwrap()
        .consistency();
    let json = serde_json::to_string(&report).unwrap();
    assert!(serde_json::from_str::<service_quality::ConsistencyReport>(&json).is_ok());
    // lambda_max 2.5 with the CI and CR that follow from it: consistent with each other, but
    // impossible
    let (ci, cr) = (-0.25, -0.25 / report.ri());
    let below = format!(
        r#"{{"n":3,"lambda_max":2.5,"ci":{ci},"cr":{cr},"ri":{},"ri_table":"saaty1980"}}"#,
        report.ri()
    );
    let e = serde_json::from_str::<service_quality::ConsistencyReport>(&below).unwrap_err();
    assert!(e.to_string().contains("below n = 3"), "{e}");
}

/// Inside a tree the errors name the node: an extreme matrix and a 16-child node under the
/// default random index table.
#[test]
fn tree_errors_name_the_node() {
    use service_quality::Judgements;
    let leaves = |k: usize| -> Vec<NodeSpec> {
        (0..k)
            .map(|i| NodeSpec::leaf(format!("c{i}"), format!("C{i}")))
            .collect()
    };
    let extreme = NodeSpec::group("goal", "Goal", leaves(3))
        .with_judgements(Judgements::Upper(vec![f64::MAX, f64::MAX, 1e-150]));
    let e = IndicatorTree::new(extreme).unwrap_err();
    assert_eq!(e.node_path().as_deref(), Some("goal"), "{e}");
    assert_numerical(&e, "extreme node");
    let wide = NodeSpec::group("goal", "Goal", leaves(16))
        .with_judgements(Judgements::Upper(vec![1.0; 16 * 15 / 2]));
    let e = IndicatorTree::new(wide).unwrap_err();
    assert_eq!(e.node_path().as_deref(), Some("goal"), "{e}");
    assert!(
        e.to_string()
            .contains("tables covering n = 16: donegan_dodd1991 (n <= 100)"),
        "{e}"
    );
}
