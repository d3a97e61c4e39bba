//! Property tests of the fuzzy evaluation: sums, multi-level vs single-level, permutation
//! invariance, monotonicity, score bounds, and no panics or NaN on arbitrary input.

mod common;

use common::check::{
    assert_accepted_weights, assert_all_close, assert_close, assert_finite, assert_weights,
    ok_or_explained,
};
use common::strategies::{awkward_f64, permutation};
use common::tol::CLOSED_FORM;
use proptest::prelude::*;
use service_quality::input::{Direction, KpiScale};
use service_quality::{
    Evaluator, FuzzyOperator, FuzzyResult, Grade, GradeSet, IndicatorMemberships, IndicatorTree,
    MembershipMatrix, NodeSpec, Weights,
};

/// `n` positive values scaled to sum to 1.
fn stochastic(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.01f64..1.0, n).prop_map(|raw| {
        let sum: f64 = raw.iter().sum();
        raw.iter().map(|x| x / sum).collect()
    })
}

/// (weights summing to 1, rows summing to 1) for k indicators over m grades.
fn weights_and_rows() -> impl Strategy<Value = (Vec<f64>, Vec<Vec<f64>>)> {
    (1usize..10, 2usize..7)
        .prop_flat_map(|(k, m)| (stochastic(k), prop::collection::vec(stochastic(m), k)))
}

/// Any operator.
fn operator() -> impl Strategy<Value = FuzzyOperator> {
    prop::sample::select(FuzzyOperator::ALL.to_vec())
}

/// Grades p (1) and q (0).
fn two_grades() -> GradeSet {
    GradeSet::new(vec![Grade::new("p", 1.0), Grade::new("q", 0.0)]).unwrap()
}

/// Memberships: every entry finite and in `[0, 1]`.
#[track_caller]
fn assert_memberships(values: &[f64], what: &str) {
    assert!(
        values.iter().all(|v| (0.0..=1.0).contains(v)),
        "{what}: membership outside [0, 1] in {values:?}"
    );
}

/// An evaluated `B`: normalised memberships that sum to 1, a grade among `grades`, and a
/// finite score between the lowest and highest grade values.
#[track_caller]
fn assert_result(res: &FuzzyResult, grades: &GradeSet, what: &str) {
    assert_memberships(res.normalized(), what);
    assert_weights(res.normalized(), CLOSED_FORM, what);
    assert!(res.grade() < grades.len(), "{what}: grade {}", res.grade());
    let score = res.score();
    assert!(
        grades.min_value() <= score && score <= grades.max_value(),
        "{what}: score {score} outside the grade values"
    );
}

proptest! {
    #[test]
    fn weighted_average_of_stochastic_inputs_sums_to_one((w, rows) in weights_and_rows()) {
        let r = MembershipMatrix::from_rows(&rows).unwrap();
        let b = FuzzyOperator::WeightedAverage.compose(&w, &r).unwrap();
        assert_close(b.iter().sum(), 1.0, CLOSED_FORM, "sum of B");
    }

    #[test]
    fn multi_level_weighted_average_equals_single_level_with_global_weights(
        groups in prop::collection::vec((0.05f64..1.0, prop::collection::vec(0.05f64..1.0, 1..5)), 1..5),
        m in 2usize..6,
        seed_rows in prop::collection::vec(stochastic(5), 20),
    ) {
        let grades = GradeSet::new((0..m).map(|j| Grade::new(format!("g{j}"), j as f64)).collect()).unwrap();
        let mut data = IndicatorMemberships::new(&grades);
        let mut leaf = 0;
        let mut specs = Vec::new();
        for (g, (_, leaf_raw)) in groups.iter().enumerate() {
            let mut leaves = Vec::new();
            for _ in leaf_raw {
                let id = format!("leaf{leaf}");
                // a stochastic row over m grades from the 5-wide seed row
                let seed = &seed_rows[leaf % seed_rows.len()][..m];
                let s: f64 = seed.iter().sum();
                data.insert(id.clone(), seed.iter().map(|x| x / s).collect(), 1, 0).unwrap();
                leaves.push(NodeSpec::leaf(id.clone(), id));
                leaf += 1;
            }
            specs.push(NodeSpec::group(format!("g{g}"), "group", leaves).with_raw_weights(leaf_raw.clone()));
        }
        let root_raw = groups.iter().map(|(w, _)| *w).collect();
        let tree = IndicatorTree::new(NodeSpec::group("goal", "goal", specs).with_raw_weights(root_raw)).unwrap();
        let eval = Evaluator::new(&tree, grades).evaluate(&data).unwrap();

        let (ids, global): (Vec<&str>, Vec<f64>) = tree.leaf_weights().into_iter().unzip();
        let rows: Vec<Vec<f64>> = ids.iter().map(|id| data.get(id).unwrap().row().unwrap().to_vec()).collect();
        let r = MembershipMatrix::from_rows(&rows).unwrap();
        let single = FuzzyOperator::WeightedAverage.compose(&global, &r).unwrap();
        assert_all_close(eval.root().result().raw(), &single, CLOSED_FORM, "goal B");
    }

    #[test]
    fn permuting_indicators_with_their_weights_leaves_b_unchanged(
        (w, rows) in weights_and_rows(),
        op in operator(),
        perm_seed in any::<u64>(),
    ) {
        let k = w.len();
        let order = permutation(k, perm_seed);
        let r = MembershipMatrix::from_rows(&rows).unwrap();
        let pw: Vec<f64> = order.iter().map(|&i| w[i]).collect();
        let prows: Vec<Vec<f64>> = order.iter().map(|&i| rows[i].clone()).collect();
        let pr = MembershipMatrix::from_rows(&prows).unwrap();
        assert_all_close(&op.compose(&pw, &pr).unwrap(), &op.compose(&w, &r).unwrap(), CLOSED_FORM, "permuted B");
    }

    #[test]
    fn every_operator_is_monotone_in_r(
        (w, rows) in weights_and_rows(),
        op in operator(),
        cell in any::<(usize, usize)>(),
        bump in 0.0f64..1.0,
    ) {
        let r = MembershipMatrix::from_rows(&rows).unwrap();
        let (i, j) = (cell.0 % rows.len(), cell.1 % rows[0].len());
        let mut higher = rows.clone();
        higher[i][j] += bump * (1.0 - higher[i][j]);
        let rh = MembershipMatrix::from_rows(&higher).unwrap();
        let (b, bh) = (op.compose(&w, &r).unwrap(), op.compose(&w, &rh).unwrap());
        for (col, (lo, hi)) in b.iter().zip(&bh).enumerate() {
            prop_assert!(hi >= lo, "{}: b[{}] fell from {} to {}", op, col, lo, hi);
        }
    }

    #[test]
    fn score_lies_between_the_lowest_and_highest_grade_values(
        values in prop::collection::vec(-1e6f64..1e6, 2..7),
        raw_seed in prop::collection::vec(0.0f64..1.0, 7),
        op in operator(),
    ) {
        let m = values.len();
        let grades = GradeSet::new(values.iter().enumerate().map(|(j, v)| Grade::new(format!("g{j}"), *v)).collect()).unwrap();
        // shifted off 0 so that no row is all zeros (an offset, not a tolerance)
        let raw: Vec<f64> = raw_seed[..m].iter().map(|x| x + 1e-9).collect();
        let r = MembershipMatrix::from_rows(&[raw.clone(), raw]).unwrap();
        let res = op.evaluate(&[0.5, 0.5], &r, &grades).unwrap();
        let (lo, hi) = (grades.min_value(), grades.max_value());
        prop_assert!(lo <= res.score() && res.score() <= hi, "score {} outside [{}, {}]", res.score(), lo, hi);
        assert_close(res.normalized().iter().sum(), 1.0, CLOSED_FORM, "sum of normalised B");
    }

    #[test]
    fn constructors_fed_arbitrary_floats_return_ok_or_a_typed_error(
        a in awkward_f64(), b in awkward_f64(), c in awkward_f64(), x in awkward_f64(),
        op in operator(),
    ) {
        // each call returns a value whose outputs are finite and in range, or a typed error
        // that explains itself; none panics
        let two = two_grades();
        if let Some(r) = ok_or_explained(MembershipMatrix::from_rows(&[[a, b], [c, x]]), "R") {
            for i in 0..2 {
                assert_memberships(r.row(i).unwrap(), "row of R");
            }
            for w in [[a, b], [c, x], [0.5, 0.5]] {
                if let Some(bv) = ok_or_explained(op.compose(&w, &r), "B") {
                    assert_finite(&bv, "B");
                    assert!(bv.iter().all(|v| *v >= 0.0), "B {bv:?}");
                    if let Some(res) = ok_or_explained(FuzzyResult::from_raw(bv, &two), "B read") {
                        assert_result(&res, &two, "B read");
                    }
                }
            }
        }
        let three: GradeSet = GradeSet::satisfaction_5_points().grades()[..3].to_vec().try_into().unwrap();
        if let Some(res) = ok_or_explained(FuzzyResult::from_raw(vec![a, b, c], &three), "from_raw") {
            assert_result(&res, &three, "from_raw");
        }
        if let Some(set) = ok_or_explained(GradeSet::new(vec![Grade::new("a", a), Grade::new("b", b), Grade::new("c", c)]), "grades") {
            assert_finite(&set.values(), "grade values");
            let res = ok_or_explained(FuzzyResult::from_raw(vec![0.2, 0.3, 0.5], &set), "score with arbitrary grade values");
            if let Some(res) = res {
                assert_result(&res, &set, "score with arbitrary grade values");
            }
        }
        for dir in [Direction::SmallerIsBetter, Direction::LargerIsBetter] {
            if let Some(scale) = ok_or_explained(KpiScale::new(dir, vec![a, b, c]), "KPI scale") {
                if let Some(mu) = ok_or_explained(scale.membership(x), "KPI memberships") {
                    assert_memberships(&mu, "KPI memberships");
                    assert_weights(&mu, CLOSED_FORM, "KPI memberships");
                }
            }
        }
        // memberships of arbitrary floats through a two-leaf tree
        let mut data = IndicatorMemberships::new(&two);
        let inserted_x = ok_or_explained(data.insert("x", vec![a, b], 1, 0), "insert x").is_some();
        let inserted_y = ok_or_explained(data.insert("y", vec![c, x], 1, 0), "insert y").is_some();
        let tree = IndicatorTree::new(
            NodeSpec::group("goal", "goal", vec![NodeSpec::leaf("x", "x"), NodeSpec::leaf("y", "y")])
                .with_weights(vec![0.5, 0.5]),
        )
        .unwrap();
        let evaluated = Evaluator::new(&tree, two.clone()).operator(op).evaluate(&data);
        if let Some(eval) = ok_or_explained(evaluated, "evaluation") {
            prop_assert!(inserted_x && inserted_y, "evaluated without both rows");
            for n in eval.nodes() {
                assert_result(n.result(), &two, "node B");
                let ew = n.effective_weight();
                prop_assert!((0.0..=1.0).contains(&ew), "effective weight {}", ew);
            }
        }
        // KPI cases with arbitrary values
        let three = GradeSet::new(vec![Grade::new("a", 3.0), Grade::new("b", 2.0), Grade::new("c", 1.0)]).unwrap();
        let model = service_quality::input::KpiModel::new(&three)
            .with_scale("t", "urgent", KpiScale::smaller_is_better(vec![1.0, 2.0, 3.0]).unwrap())
            .unwrap();
        let mut tally = service_quality::input::KpiTally::new(model);
        for v in [a, b, c, x] {
            ok_or_explained(tally.add_case("m", "case", "urgent", &[Some(v)]), "KPI case");
        }
        if let Some(rows) = ok_or_explained(tally.memberships("m"), "KPI rows") {
            if let Some(row) = rows.get("t").and_then(|r| r.row()) {
                assert_memberships(row, "KPI row");
                assert_weights(row, CLOSED_FORM, "KPI row");
            }
        }
        if let Some(w) = ok_or_explained(Weights::new(vec![a, b, c]), "Weights::new") {
            assert_accepted_weights(w.as_slice(), "Weights::new");
        }
        if let Some(w) = ok_or_explained(Weights::normalize(&[a, b, c]), "Weights::normalize") {
            assert_weights(w.as_slice(), CLOSED_FORM, "Weights::normalize");
        }
    }
}
