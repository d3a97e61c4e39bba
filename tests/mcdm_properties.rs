//! Properties of the multi-criteria methods: rankings are permutations, weights are weights,
//! and the invariances each method promises (scaling or shifting a criterion, permuting the
//! alternatives).

// exact comparisons are on values the library defines exactly (0 weights, ranks, echoes)
#![allow(clippy::float_cmp)]

mod common;

use common::check::{assert_accepted_weights, assert_all_close, assert_finite};
use common::mcdm::ALL_OBJECTIVE;
use common::tol::CLOSED_FORM;
use proptest::prelude::*;
use service_quality::mcdm::{
    CombinationRule, CombinedWeights, CriterionType, CriticConvention, DecisionMatrix, Dispersion,
    EntropyConvention, GreyOptions, GreyRelational, ObjectiveMethod, ObjectiveWeights,
    RankSumRatio, Ranking, RsrOptions, RsrRanks, TieRule, Topsis, TopsisNormalisation, Vikor,
};
use service_quality::Weights;

/// A positive decision matrix (values in [1, 100]) with mixed criterion types and weights.
fn problem() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<CriterionType>, Vec<f64>)> {
    (2usize..9, 1usize..6).prop_flat_map(|(m, n)| {
        (
            prop::collection::vec(prop::collection::vec(1.0f64..100.0, n), m),
            prop::collection::vec(
                prop_oneof![Just(CriterionType::Benefit), Just(CriterionType::Cost)],
                n,
            ),
            prop::collection::vec(0.01f64..1.0, n),
        )
    })
}

fn build(rows: &[Vec<f64>], types: &[CriterionType]) -> DecisionMatrix {
    DecisionMatrix::new(
        (0..rows.len()).map(|i| format!("a{i}")).collect(),
        (0..types.len()).map(|j| format!("c{j}")).collect(),
        types.to_vec(),
        rows,
    )
    .expect("valid matrix")
}

/// Every method's scores (closeness, Q, grade, RSR) on `m` with `w`.
fn all_scores(m: &DecisionMatrix, w: &Weights) -> Vec<(&'static str, Vec<f64>)> {
    let mut out = Vec::new();
    for (name, n) in [
        ("TOPSIS vector", TopsisNormalisation::Vector),
        ("TOPSIS min-max", TopsisNormalisation::MinMax),
    ] {
        if let Ok(t) = Topsis::new(m, w, n) {
            out.push((name, t.closeness().to_vec()));
        }
    }
    let v = Vikor::new(m, w, 0.5).expect("VIKOR is defined on every valid matrix");
    out.push(("VIKOR", v.q().to_vec()));
    if let Ok(g) = GreyRelational::new(m, &GreyOptions::new().with_weights(w.clone())) {
        out.push(("GRA", g.grades().to_vec()));
    }
    for ranks in [RsrRanks::Integer, RsrRanks::NonInteger] {
        if let Ok(r) = RankSumRatio::new(m, &RsrOptions::new().with_ranks(ranks)) {
            out.push(("RSR", r.rsr().to_vec()));
        }
    }
    out
}

fn is_permutation(order: &[usize]) -> bool {
    let mut seen = vec![false; order.len()];
    order
        .iter()
        .all(|&i| i < seen.len() && !std::mem::replace(&mut seen[i], true))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn rankings_are_permutations(scores in prop::collection::vec(prop_oneof![Just(0.5), 0.0f64..1.0], 1..30)) {
        let m = scores.len();
        for rule in [TieRule::Average, TieRule::Min, TieRule::Dense, TieRule::Ordinal] {
            let r = Ranking::from_scores(&scores, true, rule);
            prop_assert!(is_permutation(r.order()));
            prop_assert!(r.ranks().iter().all(|&x| (1.0..=m as f64).contains(&x)));
            // the best alternative in the order has rank 1 (or the mean of a tie at the top)
            let top = r.ranks()[r.order()[0]];
            prop_assert!(top == 1.0 || (rule == TieRule::Average && top > 1.0));
            // ranks never contradict the order
            for w in r.order().windows(2) {
                prop_assert!(r.ranks()[w[0]] <= r.ranks()[w[1]]);
            }
        }
        let ordinal = Ranking::from_scores(&scores, true, TieRule::Ordinal);
        let mut ranks: Vec<f64> = ordinal.ranks().to_vec();
        ranks.sort_by(f64::total_cmp);
        prop_assert_eq!(ranks, (1..=m).map(|k| k as f64).collect::<Vec<_>>());
        let average = Ranking::from_scores(&scores, true, TieRule::Average);
        let total: f64 = average.ranks().iter().sum();
        prop_assert!((total - (m * (m + 1)) as f64 / 2.0).abs() < CLOSED_FORM);
    }

    #[test]
    fn objective_and_combined_weights_are_weights((rows, types, raw) in problem()) {
        let m = build(&rows, &types);
        let subjective = Weights::normalize(&raw).expect("positive raw weights");
        for method in ALL_OBJECTIVE {
            let Ok(o) = ObjectiveWeights::of(&m, method) else { continue };
            assert_accepted_weights(o.weights().as_slice(), &format!("{method:?}"));
            assert_finite(o.information(), "information");
            for rule in [
                CombinationRule::Multiplicative,
                CombinationRule::Linear { alpha: 0.3 },
                CombinationRule::MinimumDiscrimination,
                CombinationRule::GameTheory,
            ] {
                if let Ok(c) = CombinedWeights::new(&subjective, o.weights(), rule) {
                    assert_accepted_weights(c.weights().as_slice(), &format!("{rule:?}"));
                }
            }
        }
    }

    #[test]
    fn scores_are_in_range_and_rankings_permutations((rows, types, raw) in problem()) {
        let m = build(&rows, &types);
        let w = Weights::normalize(&raw).expect("weights");
        for (name, scores) in all_scores(&m, &w) {
            assert_finite(&scores, name);
            if name != "GRA" && name != "RSR" {
                prop_assert!(scores.iter().all(|x| (-CLOSED_FORM..=1.0 + CLOSED_FORM).contains(x)), "{} {:?}", name, scores);
            }
        }
        let t = Topsis::new(&m, &w, TopsisNormalisation::MinMax);
        if let Ok(t) = t {
            prop_assert!(is_permutation(t.ranking().order()));
        }
        let v = Vikor::new(&m, &w, 0.5).expect("VIKOR");
        prop_assert!(is_permutation(v.ranking().order()));
        prop_assert!(!v.compromise().is_empty());
    }

    /// Scaling a criterion by c > 0 changes nothing in any method here (every normalisation
    /// is scale-invariant: x/|x|, min-max, x/sum, ranks); shifting it by a constant changes
    /// nothing in the min-max methods and the ranks.
    #[test]
    fn scaling_and_shifting_a_criterion((rows, types, raw) in problem(), c in 0.01f64..100.0, shift in -0.5f64..50.0, col in 0usize..6) {
        let m = build(&rows, &types);
        let w = Weights::normalize(&raw).expect("weights");
        let j = col % types.len();
        let scaled_rows: Vec<Vec<f64>> = rows.iter().map(|r| {
            let mut r = r.clone();
            r[j] *= c;
            r
        }).collect();
        let scaled = build(&scaled_rows, &types);
        let base = all_scores(&m, &w);
        let after = all_scores(&scaled, &w);
        prop_assert_eq!(base.len(), after.len());
        for ((name, a), (_, b)) in base.iter().zip(&after) {
            assert_all_close(a, b, CLOSED_FORM, &format!("{name} after scaling"));
        }
        for method in [
            ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost),
            ObjectiveMethod::Entropy(EntropyConvention::ReciprocalCost),
            ObjectiveMethod::Critic(CriticConvention::OrientCost),
            ObjectiveMethod::CoefficientOfVariation,
            ObjectiveMethod::StandardDeviation(Dispersion::MinMax),
        ] {
            if let (Ok(a), Ok(b)) = (ObjectiveWeights::of(&m, method), ObjectiveWeights::of(&scaled, method)) {
                assert_all_close(a.weights().as_slice(), b.weights().as_slice(), CLOSED_FORM, &format!("{method:?} after scaling"));
            }
        }

        let shifted_rows: Vec<Vec<f64>> = rows.iter().map(|r| {
            let mut r = r.clone();
            r[j] += shift;
            r
        }).collect();
        let shifted = build(&shifted_rows, &types);
        let q = |m: &DecisionMatrix| Vikor::new(m, &w, 0.5).expect("VIKOR").q().to_vec();
        assert_all_close(&q(&m), &q(&shifted), CLOSED_FORM, "VIKOR after shifting");
        let rsr = |m: &DecisionMatrix| RankSumRatio::new(m, &RsrOptions::new()).map(|r| r.rsr().to_vec());
        if let (Ok(a), Ok(b)) = (rsr(&m), rsr(&shifted)) {
            assert_all_close(&a, &b, CLOSED_FORM, "RSR after shifting");
        }
        let critic = |m: &DecisionMatrix| ObjectiveWeights::of(m, ObjectiveMethod::Critic(CriticConvention::OrientCost)).map(|o| o.weights().to_vec());
        if let (Ok(a), Ok(b)) = (critic(&m), critic(&shifted)) {
            assert_all_close(&a, &b, CLOSED_FORM, "CRITIC after shifting");
        }
    }

    /// Permuting the alternatives permutes every score the same way.
    #[test]
    fn permuting_alternatives((rows, types, raw) in problem(), seed in any::<u64>()) {
        let m = build(&rows, &types);
        let w = Weights::normalize(&raw).expect("weights");
        let n = rows.len();
        let mut perm: Vec<usize> = (0..n).collect();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let permuted = build(&perm.iter().map(|&i| rows[i].clone()).collect::<Vec<_>>(), &types);
        for ((name, a), (_, b)) in all_scores(&m, &w).iter().zip(all_scores(&permuted, &w)) {
            let expected: Vec<f64> = perm.iter().map(|&i| a[i]).collect();
            assert_all_close(&b, &expected, CLOSED_FORM, &format!("{name} after permuting"));
        }
    }
}
