//! Property tests of the AHP and hierarchy invariants.

mod common;

use common::check::{assert_accepted_weights, assert_all_close, assert_close, ok_or_explained};
use common::strategies::{awkward_f64, permutation};
use common::tol::{BIT_EXACT, CLOSED_FORM, EIGEN, GIVEN_WEIGHTS_SUM, ULPS};
use proptest::prelude::*;
use service_quality::{AhpError, NumericError};
use service_quality::{
    Error, IndicatorTree, PairwiseMatrix, PriorityMethod, PriorityOptions, RandomIndex, Weights,
};

const METHODS: [PriorityMethod; 3] = [
    PriorityMethod::Eigenvector,
    PriorityMethod::GeometricMean,
    PriorityMethod::NormalizedColumnAverage,
];

/// One of Saaty's 17 scale values.
fn saaty_value() -> impl Strategy<Value = f64> {
    (-8i32..=8).prop_map(|k| {
        if k >= 0 {
            f64::from(k + 1)
        } else {
            1.0 / f64::from(1 - k)
        }
    })
}

/// A random Saaty-scale matrix of size 1..=12.
fn saaty_matrix() -> impl Strategy<Value = PairwiseMatrix> {
    (1usize..=12).prop_flat_map(|n| {
        prop::collection::vec(saaty_value(), n * (n - 1) / 2).prop_map(move |upper| {
            PairwiseMatrix::from_upper_triangle(n, &upper).expect("Saaty values are valid")
        })
    })
}

/// Positive weights spanning two orders of magnitude.
fn positive_weights() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.01f64..1.0, 1..=12)
}

/// Priority weights: finite, strictly positive, summing to 1 as the library requires.
#[track_caller]
fn check_weights(w: &Weights) {
    assert_accepted_weights(w.as_slice(), "weights");
    assert!(w.as_slice().iter().all(|x| *x > 0.0), "{w:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn weights_positive_and_sum_to_one(m in saaty_matrix()) {
        for method in METHODS {
            let p = m.priorities(method).expect("Saaty matrices converge");
            check_weights(p.weights());
            // exact: rounding below n is reported as n (see ConsistencyReport)
            prop_assert!(p.lambda_max() >= m.n() as f64, "lambda_max {} < n", p.lambda_max());
            prop_assert!(p.cr() >= 0.0 && p.consistency().ci() >= 0.0, "CR {}", p.cr());
        }
    }

    #[test]
    fn consistent_matrix_gives_back_its_weights(raw in positive_weights()) {
        let total: f64 = raw.iter().sum();
        let w: Vec<f64> = raw.iter().map(|x| x / total).collect();
        let m = PairwiseMatrix::consistent(&w).unwrap();
        let mut results = Vec::new();
        for method in METHODS {
            let p = m.priorities(method).unwrap();
            assert_all_close(p.weights().as_slice(), &w, CLOSED_FORM, "weights");
            assert_close(p.consistency().ci(), 0.0, BIT_EXACT, "CI of a consistent matrix");
            results.push(p.weights().to_vec());
        }
        // the three methods agree on consistent matrices
        assert_all_close(&results[0], &results[1], CLOSED_FORM, "eig vs rgmm");
        assert_all_close(&results[1], &results[2], CLOSED_FORM, "rgmm vs an");
    }

    #[test]
    fn permuting_criteria_permutes_weights(
        m in saaty_matrix(),
        seed in any::<u64>(),
    ) {
        let n = m.n();
        let perm = permutation(n, seed);
        let rows: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| m.get(perm[i], perm[j]).unwrap()).collect())
            .collect();
        let pm = PairwiseMatrix::from_rows(&rows).unwrap();
        for method in METHODS {
            let w = m.priorities(method).unwrap().into_weights();
            let pw = pm.priorities(method).unwrap().into_weights();
            let expected: Vec<f64> = perm.iter().map(|&p| w.as_slice()[p]).collect();
            // the power iteration sums in another order: agreement to its convergence level
            assert_all_close(pw.as_slice(), &expected, EIGEN, "permuted");
        }
    }

    #[test]
    fn constructors_never_panic(
        n in 0usize..6,
        values in prop::collection::vec(awkward_f64(), 0..40),
    ) {
        let take = |k: usize| values.iter().copied().cycle().take(k).collect::<Vec<f64>>();
        let upper = take(n * n.saturating_sub(1) / 2);
        check_matrix(PairwiseMatrix::from_upper_triangle(n, &upper));
        check_matrix(PairwiseMatrix::from_upper_triangle(n, &values));
        let at = |k: usize| values.get(k % values.len().max(1)).copied().unwrap_or(1.0);
        let rows: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| at(i * n + j)).collect()).collect();
        check_matrix(PairwiseMatrix::from_rows(&rows));
        let judgements: Vec<(usize, usize, f64)> = values
            .iter()
            .enumerate()
            .map(|(k, &v)| (k % (n + 1), (k / 2) % (n + 1), v))
            .collect();
        check_matrix(PairwiseMatrix::from_judgements(n, &judgements));
        check_matrix(PairwiseMatrix::consistent(&take(n)));
        if let Some(w) = ok_or_explained(Weights::new(values.clone()), "Weights::new") {
            prop_assert_eq!(w.as_slice(), &values[..]);
            assert_accepted_weights(w.as_slice(), "Weights::new");
        }
        if let Some(w) = ok_or_explained(Weights::normalize(&values), "Weights::normalize") {
            prop_assert_eq!(w.len(), values.len());
            common::check::assert_weights(w.as_slice(), CLOSED_FORM, "Weights::normalize");
        }
        if let Some(ri) = ok_or_explained(RandomIndex::custom(values.clone()), "RandomIndex::custom") {
            // an accepted table: 0 up to n = 2, finite and positive beyond
            for k in 1..=ri.max_n() {
                let v = ri.get(k).unwrap();
                prop_assert!(if k <= 2 { v == 0.0 } else { v.is_finite() && v > 0.0 }, "RI({}) = {}", k, v);
            }
        }
        for &v in &values {
            if let Some(o) = ok_or_explained(PriorityOptions::default().with_tolerance(v), "tolerance") {
                prop_assert!(v.is_finite() && v > 0.0, "tolerance {} accepted", v);
                assert_close(o.tolerance(), v, BIT_EXACT, "tolerance kept");
            }
            if let Some(w) = ok_or_explained(Weights::new(vec![v]), "one weight") {
                assert_accepted_weights(w.as_slice(), "one weight");
            }
        }
    }

    #[test]
    fn hierarchy_global_weights_sum_to_one(spec in tree_spec()) {
        let tree = IndicatorTree::new(spec).expect("generated trees are valid");
        let total: f64 = tree.leaves().map(|l| l.global_weight()).sum();
        assert_close(total, 1.0, CLOSED_FORM, "sum of global weights");
        for node in tree.nodes() {
            // global = product of local weights on the path
            let mut product = 1.0;
            let mut cur = Some(node);
            while let Some(c) = cur {
                product *= c.local_weight();
                cur = c.parent();
            }
            assert_close(product, node.global_weight(), ULPS, "global weight = product of local ones");
            // a group's children's global weights add up to its own
            if !node.is_leaf() {
                let s: f64 = node.children().map(|c| c.global_weight()).sum();
                assert_close(s, node.global_weight(), CLOSED_FORM, "children's global weights");
            }
        }
    }

    #[test]
    fn hierarchy_with_arbitrary_weights_never_panics(
        weights in prop::collection::vec(awkward_f64(), 1..5),
        upper in prop::collection::vec(awkward_f64(), 0..8),
    ) {
        use service_quality::{Judgements, NodeSpec};
        let leaves = |prefix: &str, k: usize| -> Vec<NodeSpec> {
            (0..k).map(|i| NodeSpec::leaf(format!("{prefix}{i}"), "leaf")).collect()
        };
        let k = weights.len();
        for spec in [
            NodeSpec::group("g", "g", leaves("a", k)).with_weights(weights.clone()),
            NodeSpec::group("g", "g", leaves("a", k)).with_raw_weights(weights.clone()),
            NodeSpec::group("g", "g", leaves("a", 3))
                .with_judgements(Judgements::Upper(upper.clone())),
        ] {
            if let Ok(tree) = IndicatorTree::new(spec) {
                let total: f64 = tree.leaves().map(|l| l.global_weight()).sum();
                assert_close(total, 1.0, GIVEN_WEIGHTS_SUM, "sum of global weights");
            }
        }
    }
}

/// A matrix or a typed error; an accepted matrix has finite positive entries and gives
/// weights, a finite `lambda_max >= n` and a finite CR >= 0, or one of the numerical errors.
fn check_matrix(result: Result<PairwiseMatrix, Error>) {
    if let Some(m) = ok_or_explained(result, "matrix") {
        assert!(m.as_slice().iter().all(|x| x.is_finite() && *x > 0.0));
        for method in METHODS {
            let opts = PriorityOptions::new(method).with_random_index(RandomIndex::DoneganDodd1991);
            match m.priorities_with(&opts) {
                Ok(p) => {
                    check_weights(p.weights());
                    assert!(p.lambda_max().is_finite() && p.cr().is_finite());
                    assert!(
                        p.lambda_max() >= m.n() as f64 && p.cr() >= 0.0,
                        "{method:?}: lambda_max {}, CR {}",
                        p.lambda_max(),
                        p.cr()
                    );
                }
                Err(
                    Error::Numeric(NumericError::NumericalRange { .. })
                    | Error::Numeric(NumericError::NoConvergence { .. })
                    | Error::Ahp(AhpError::RandomIndexOutOfRange { .. }),
                ) => {}
                Err(e) => panic!("unexpected error {e}"),
            }
        }
    }
}

/// Random trees: depth up to 4, width up to 4, raw positive weights, unique ids.
fn tree_spec() -> impl Strategy<Value = service_quality::NodeSpec> {
    use service_quality::NodeSpec;
    let leaf = (0.01f64..10.0).prop_map(|w| (NodeSpec::leaf("x", "leaf"), w));
    let tree = leaf.prop_recursive(4, 64, 4, |inner| {
        (prop::collection::vec(inner, 1..=4), 0.01f64..10.0).prop_map(|(children, w)| {
            let raw: Vec<f64> = children.iter().map(|(_, w)| *w).collect();
            let nodes: Vec<NodeSpec> = children.into_iter().map(|(n, _)| n).collect();
            (
                NodeSpec::group("x", "group", nodes).with_raw_weights(raw),
                w,
            )
        })
    });
    tree.prop_map(|(mut root, _)| {
        // give every node a unique id
        let mut counter = 0usize;
        let mut stack = vec![&mut root];
        while let Some(node) = stack.pop() {
            node.set_id(format!("n{counter}"));
            counter += 1;
            stack.extend(node.children_mut().iter_mut());
        }
        root
    })
}
