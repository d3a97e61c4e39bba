//! The two rules of the structure-validity table (`FactorAnalysis::structure_with`): the
//! majority rule, under which dimensions may share a factor, and the one-to-one assignment,
//! checked against an exhaustive search over every injective map of dimensions to factors.

mod common;

use common::tol::CLOSED_FORM;
use proptest::prelude::*;
use service_quality::analysis::{FactorAnalysis, FactorAssignment, FactorCount, Responses};
use service_quality::{AnalysisError, Error, IndicatorTree, NodeSpec};

/// A tree of one level of groups, `(group id, its leaf ids)`, all weights equal.
fn tree(groups: &[(&str, &[&str])]) -> IndicatorTree {
    let children = groups
        .iter()
        .map(|(id, leaves)| {
            let leaves = leaves.iter().map(|l| NodeSpec::leaf(*l, *l)).collect();
            NodeSpec::group(*id, *id, leaves).with_weights(vec![
                1.0 / leaves_len(groups, id);
                leaves_len(groups, id) as usize
            ])
        })
        .collect();
    let n = groups.len();
    IndicatorTree::new(
        NodeSpec::group("goal", "Goal", children).with_weights(vec![1.0 / n as f64; n]),
    )
    .expect("valid tree")
}

fn leaves_len(groups: &[(&str, &[&str])], id: &str) -> f64 {
    groups.iter().find(|g| g.0 == id).map_or(0, |g| g.1.len()) as f64
}

/// Items `a1 a2 b1 b2` follow one latent variable, `c1 c2` a second and `c3 c4` a third.
fn shared_factor_data() -> Responses {
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 3.0, 5.0, 2.0, 4.0];
    let y = [2.0, 5.0, 1.0, 4.0, 3.0, 3.0, 1.0, 4.0, 5.0, 2.0];
    let z = [3.0, 1.0, 4.0, 1.0, 5.0, 2.0, 5.0, 2.0, 3.0, 4.0];
    let rows = (0..x.len())
        .map(|i| {
            let e = 0.1 * (i % 3) as f64;
            let (x, y, z) = (x[i], y[i], z[i]);
            [x, x + e, x - e, x + 2.0 * e, y, y + e, z, z - e]
                .map(Some)
                .to_vec()
        })
        .collect();
    let ids = ["a1", "a2", "b1", "b2", "c1", "c2", "c3", "c4"]
        .map(String::from)
        .to_vec();
    Responses::new(ids, rows).expect("valid")
}

const GROUPS: [(&str, &[&str]); 3] = [
    ("a", &["a1", "a2"]),
    ("b", &["b1", "b2"]),
    ("c", &["c1", "c2", "c3", "c4"]),
];

#[test]
fn majority_lets_two_dimensions_share_a_factor_one_to_one_does_not() {
    let fa = FactorAnalysis::of(&shared_factor_data(), FactorCount::Fixed(3)).expect("defined");
    let tree = tree(&GROUPS);
    let majority = fa
        .structure_with(&tree, FactorAssignment::Majority)
        .expect("defined");
    assert_eq!(
        majority,
        fa.structure(&tree),
        "structure() is the majority rule"
    );
    assert_eq!(majority.assignment(), FactorAssignment::Majority);
    let dims = majority.dimensions();
    assert_eq!(
        dims[0].factor(),
        dims[1].factor(),
        "a and b share their factor"
    );
    // a and b: all four items on the shared factor; c: two of its four on its factor
    assert_eq!(majority.matches(), 6);

    let own = fa
        .structure_with(&tree, FactorAssignment::OneToOne)
        .expect("3 factors");
    assert_eq!(own.assignment(), FactorAssignment::OneToOne);
    let f: Vec<usize> = own.dimensions().iter().map(|d| d.factor()).collect();
    assert!(
        f[0] != f[1] && f[0] != f[2] && f[1] != f[2],
        "distinct factors {f:?}"
    );
    // one of a, b keeps the shared factor (2 items); c takes one of its two factors (2 items)
    assert_eq!(own.matches(), 4);
    for item in own.items() {
        let d = own
            .dimensions()
            .iter()
            .find(|d| d.dimension() == item.dimension())
            .expect("dim");
        assert_eq!(item.matches(), item.factor() == d.factor());
        let own_loading = fa.rotated_loadings()[fa
            .items()
            .iter()
            .position(|i| i == item.item())
            .expect("item")][d.factor()];
        assert_eq!(item.own_loading().to_bits(), own_loading.to_bits());
    }
}

#[test]
fn one_to_one_needs_a_factor_per_dimension() {
    let fa = FactorAnalysis::of(&shared_factor_data(), FactorCount::Fixed(2)).expect("defined");
    let err = fa
        .structure_with(&tree(&GROUPS), FactorAssignment::OneToOne)
        .expect_err("3 dimensions, 2 factors");
    assert!(matches!(
        err,
        Error::Analysis(AnalysisError::TooFewFactors {
            dimensions: 3,
            factors: 2
        })
    ));
    // the majority rule has no such limit
    assert!(fa
        .structure_with(&tree(&GROUPS), FactorAssignment::Majority)
        .is_ok());
}

/// The best (matches, summed |own loading|) over every injective map of dimensions to factors.
fn exhaustive_best(fa: &FactorAnalysis, dims: &[Vec<usize>]) -> (usize, f64) {
    fn go(
        fa: &FactorAnalysis,
        dims: &[Vec<usize>],
        d: usize,
        used: &mut Vec<bool>,
    ) -> (usize, f64) {
        if d == dims.len() {
            return (0, 0.0);
        }
        let mut best: Option<(usize, f64)> = None;
        for k in 0..used.len() {
            if used[k] {
                continue;
            }
            used[k] = true;
            let (m, s) = go(fa, dims, d + 1, used);
            used[k] = false;
            let here = dims[d]
                .iter()
                .filter(|&&i| fa.primary_factor(i) == Some(k))
                .count();
            let sum: f64 = dims[d]
                .iter()
                .map(|&i| fa.rotated_loadings()[i][k].abs())
                .sum();
            let cand = (m + here, s + sum);
            if best.is_none_or(|b| cand.0 > b.0 || (cand.0 == b.0 && cand.1 > b.1)) {
                best = Some(cand);
            }
        }
        best.unwrap_or((0, 0.0))
    }
    go(fa, dims, 0, &mut vec![false; fa.factors()])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn one_to_one_is_the_best_injective_assignment(
        answers in proptest::collection::vec(proptest::collection::vec(1u8..=5, 6), 12..30),
    ) {
        let ids: Vec<String> = ["a1", "a2", "b1", "b2", "c1", "c2"].map(String::from).to_vec();
        let rows = answers.iter().map(|r| r.iter().map(|&x| Some(f64::from(x))).collect()).collect();
        let table = Responses::new(ids, rows).expect("valid");
        let Ok(fa) = FactorAnalysis::of(&table, FactorCount::Fixed(3)) else {
            return Ok(()); // a constant item or a singular matrix: no analysis to assign
        };
        let groups: [(&str, &[&str]); 3] = [("a", &["a1", "a2"]), ("b", &["b1", "b2"]), ("c", &["c1", "c2"])];
        let own = fa.structure_with(&tree(&groups), FactorAssignment::OneToOne).expect("3 factors");
        let mut f: Vec<usize> = own.dimensions().iter().map(|d| d.factor()).collect();
        f.sort_unstable();
        f.dedup();
        prop_assert_eq!(f.len(), 3);
        let (best_matches, best_sum) = exhaustive_best(&fa, &[vec![0, 1], vec![2, 3], vec![4, 5]]);
        prop_assert_eq!(own.matches(), best_matches);
        let sum: f64 = own.items().iter().map(|i| i.own_loading().abs()).sum();
        prop_assert!((sum - best_sum).abs() <= CLOSED_FORM, "{} vs {}", sum, best_sum);
        // the majority rule never matches fewer items
        prop_assert!(fa.structure(&tree(&groups)).matches() >= own.matches());
    }
}
