//! Property tests of the expert-panel features.

#[path = "common/strategies.rs"]
mod strategies;

use proptest::prelude::*;
use service_quality::ahp::RepairStop;
use service_quality::fuzzy_ahp::fuzzy_saaty;
use service_quality::group::{aggregate_judgements, aggregate_priorities, AhpConsensus};
use service_quality::{
    AipMean, CompletionMethod, CompletionOptions, ExpertWeights, FuzzyPairwiseMatrix,
    IncompleteMatrix, PairwiseMatrix, Panel, PanelOptions, PriorityMethod, PriorityOptions,
    RepairOptions, TriangularFuzzyNumber, Weights,
};
use strategies::awkward_f64;

/// Values on Saaty's scale: 1/9 ..= 9.
fn saaty() -> impl Strategy<Value = f64> {
    (1u8..=9, any::<bool>()).prop_map(|(k, inv)| {
        let k = f64::from(k);
        if inv {
            1.0 / k
        } else {
            k
        }
    })
}

/// A random reciprocal matrix of size 2..=7 on Saaty's scale.
fn matrix() -> impl Strategy<Value = PairwiseMatrix> {
    (2usize..=7).prop_flat_map(|n| {
        prop::collection::vec(saaty(), n * (n - 1) / 2)
            .prop_map(move |u| PairwiseMatrix::from_upper_triangle(n, &u).unwrap())
    })
}

/// Several matrices of the same size and positive raw expert weights.
fn panel() -> impl Strategy<Value = (Vec<PairwiseMatrix>, Vec<f64>)> {
    (3usize..=6, 1usize..=6).prop_flat_map(|(n, k)| {
        (
            prop::collection::vec(
                prop::collection::vec(saaty(), n * (n - 1) / 2)
                    .prop_map(move |u| PairwiseMatrix::from_upper_triangle(n, &u).unwrap()),
                k,
            ),
            prop::collection::vec(0.01f64..10.0, k),
        )
    })
}

fn reciprocal_ok(m: &PairwiseMatrix) -> bool {
    let n = m.n();
    (0..n).all(|i| {
        (0..n).all(|j| {
            let p = m.get(i, j).unwrap() * m.get(j, i).unwrap();
            (p - 1.0).abs() < 1e-12
        })
    })
}

proptest! {
    #[test]
    fn aij_of_identical_experts_is_that_expert(m in matrix(), k in 1usize..6) {
        let same = vec![m.clone(); k];
        let g = aggregate_judgements(&same, &ExpertWeights::equal(k).unwrap()).unwrap();
        for (a, b) in g.as_slice().iter().zip(m.as_slice()) {
            prop_assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0));
        }
    }

    #[test]
    fn aij_is_reciprocal((ms, raw) in panel()) {
        let g = aggregate_judgements(&ms, &ExpertWeights::new(&raw).unwrap()).unwrap();
        prop_assert!(reciprocal_ok(&g));
        // every entry lies between the experts' entries
        let n = g.n();
        for i in 0..n {
            for j in 0..n {
                let lo = ms.iter().map(|m| m.get(i, j).unwrap()).fold(f64::INFINITY, f64::min);
                let hi = ms.iter().map(|m| m.get(i, j).unwrap()).fold(0.0, f64::max);
                let v = g.get(i, j).unwrap();
                prop_assert!(v >= lo * (1.0 - 1e-12) && v <= hi * (1.0 + 1e-12));
            }
        }
    }

    #[test]
    fn aip_weights_sum_to_one((ms, raw) in panel(), geometric in any::<bool>()) {
        let ws: Vec<Weights> = ms
            .iter()
            .map(|m| m.priorities(PriorityMethod::GeometricMean).unwrap().into_weights())
            .collect();
        let mean = if geometric { AipMean::Geometric } else { AipMean::Arithmetic };
        let g = aggregate_priorities(&ws, &ExpertWeights::new(&raw).unwrap(), mean).unwrap();
        let sum: f64 = g.as_slice().iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-12);
        prop_assert!(g.as_slice().iter().all(|&x| x > 0.0));
        let c = AhpConsensus::new(&ws, &ExpertWeights::new(&raw).unwrap()).unwrap();
        prop_assert!(c.s_star() <= 1.0 + 1e-12 && c.d_beta() >= 1.0);
    }

    #[test]
    fn panel_exclusions_are_reported((ms, raw) in panel(), threshold in 0.01f64..0.5) {
        let k = ms.len();
        let panel = Panel::with_expert_weights(ms, ExpertWeights::new(&raw).unwrap()).unwrap();
        let opts = PanelOptions::new().with_exclude_above_cr(threshold).unwrap();
        match panel.evaluate(&opts) {
            Ok(r) => {
                prop_assert_eq!(r.excluded().len() + r.included().len(), k);
                for e in r.excluded() {
                    prop_assert!(e.cr >= threshold);
                }
                for &i in r.included() {
                    prop_assert!(r.individual()[i].cr() < threshold);
                }
            }
            Err(service_quality::Error::AllExpertsExcluded { experts, .. }) => {
                prop_assert_eq!(experts, k)
            }
            Err(e) => prop_assert!(false, "unexpected error {e:?}"),
        }
    }

    #[test]
    fn completing_a_complete_matrix_changes_nothing(m in matrix(), method in 0u8..3) {
        let n = m.n();
        let judgements: Vec<(usize, usize, f64)> = (0..n)
            .flat_map(|i| ((i + 1)..n).map(move |j| (i, j)))
            .map(|(i, j)| (i, j, m.get(i, j).unwrap()))
            .collect();
        let inc = IncompleteMatrix::from_judgements(n, &judgements).unwrap();
        let method = [
            CompletionMethod::Harker,
            CompletionMethod::LogLeastSquares,
            CompletionMethod::Optimal,
        ][usize::from(method)];
        let c = inc.complete(method).unwrap();
        prop_assert!(c.filled().is_empty());
        prop_assert_eq!(c.matrix(), &m);
    }

    #[test]
    fn completion_keeps_given_entries_and_optimal_is_best(
        m in matrix(),
        drop in prop::collection::vec(any::<bool>(), 21),
    ) {
        let n = m.n();
        let pairs: Vec<(usize, usize)> =
            (0..n).flat_map(|i| ((i + 1)..n).map(move |j| (i, j))).collect();
        let judgements: Vec<(usize, usize, f64)> = pairs
            .iter()
            .zip(&drop)
            .filter(|(_, &d)| !d)
            .map(|(&(i, j), _)| (i, j, m.get(i, j).unwrap()))
            .collect();
        let inc = IncompleteMatrix::from_judgements(n, &judgements).unwrap();
        match inc.complete(CompletionMethod::Optimal) {
            Ok(opt) => {
                prop_assert_eq!(inc.components().len(), 1);
                for &(i, j, v) in &judgements {
                    prop_assert!((opt.matrix().get(i, j).unwrap() - v).abs() < 1e-15 * v.max(1.0));
                }
                prop_assert!(reciprocal_ok(opt.matrix()));
                // the optimal completion has the smallest lambda_max of the three
                for other in [CompletionMethod::Harker, CompletionMethod::LogLeastSquares] {
                    let c = inc.complete(other).unwrap();
                    prop_assert!(opt.priorities().lambda_max() <= c.priorities().lambda_max() + 1e-9);
                }
            }
            Err(service_quality::Error::DisconnectedComparisons { groups }) => {
                prop_assert!(groups.len() > 1);
                let total: usize = groups.iter().map(Vec::len).sum();
                prop_assert_eq!(total, n);
            }
            Err(e) => prop_assert!(false, "unexpected error {e:?}"),
        }
    }

    #[test]
    fn repair_never_increases_cr_and_stops(m in matrix(), target in 0.01f64..0.2, steps in 0usize..30) {
        let opts = RepairOptions::new().with_target_cr(target).unwrap().with_max_steps(steps);
        let before = m.priorities_with(&PriorityOptions::default()).unwrap().cr();
        let r = m.repair(&opts).unwrap();
        prop_assert!(r.steps().len() <= steps);
        let mut last = before;
        for s in r.steps() {
            prop_assert!(s.cr_after < last);
            last = s.cr_after;
        }
        prop_assert!(r.priorities().cr() <= before);
        match r.stop() {
            RepairStop::TargetReached => prop_assert!(r.priorities().cr() < target),
            RepairStop::StepLimit => prop_assert_eq!(r.steps().len(), steps),
            _ => {}
        }
        prop_assert!(reciprocal_ok(r.matrix()));
    }

    #[test]
    fn crisp_fuzzy_ahp_equals_rgmm(m in matrix()) {
        let upper: Vec<TriangularFuzzyNumber> = m
            .upper_triangle()
            .iter()
            .map(|&x| TriangularFuzzyNumber::crisp(x).unwrap())
            .collect();
        let f = FuzzyPairwiseMatrix::from_upper_triangle(m.n(), &upper).unwrap();
        let p = f.buckley(&PriorityOptions::default()).unwrap();
        let rgmm = m.priorities(PriorityMethod::GeometricMean).unwrap();
        for (a, b) in p.weights().as_slice().iter().zip(rgmm.weights().as_slice()) {
            prop_assert!((a - b).abs() < 1e-12);
        }
    }

    #[test]
    fn fuzzy_weights_bracket_the_crisp_weights(u in prop::collection::vec(saaty(), 6)) {
        let f = FuzzyPairwiseMatrix::from_saaty_upper(4, &u).unwrap();
        let p = f.buckley(&PriorityOptions::default()).unwrap();
        for w in p.fuzzy_weights() {
            prop_assert!(w.l() <= w.m() && w.m() <= w.u());
        }
    }

    #[test]
    fn new_constructors_never_panic(
        a in awkward_f64(), b in awkward_f64(), c in awkward_f64(), d in awkward_f64(),
        i in 0usize..5, j in 0usize..5, n in 0usize..5,
    ) {
        let _ = ExpertWeights::new(&[a, b, c]);
        let _ = TriangularFuzzyNumber::new(a, b, c);
        let _ = TriangularFuzzyNumber::crisp(d);
        let _ = fuzzy_saaty(a);
        if let Ok(m) = IncompleteMatrix::from_judgements(n, &[(i, j, a), (j, i, b)]) {
            let _ = m.complete(CompletionMethod::Optimal);
            let _ = m.complete(CompletionMethod::Harker);
            let _ = m.complete(CompletionMethod::LogLeastSquares);
        }
        let _ = IncompleteMatrix::from_upper_triangle(3, &[Some(a), None, Some(b)]);
        let _ = CompletionOptions::new(CompletionMethod::Optimal).with_tolerance(a);
        let _ = RepairOptions::new().with_target_cr(a);
        let _ = PanelOptions::new().with_exclude_above_cr(a);
        let _ = AhpConsensus::with_scale_max(
            &[Weights::uniform(2).unwrap()],
            &ExpertWeights::equal(1).unwrap(),
            a,
        );
        if let Ok(m) = PairwiseMatrix::from_upper_triangle(3, &[a, b, c]) {
            let _ = aggregate_judgements(&[m.clone(), m.clone()], &ExpertWeights::equal(2).unwrap());
            let _ = m.gci();
            let _ = m.triad_inconsistency();
            let _ = m.inconsistent_judgements(PriorityMethod::Eigenvector);
            let _ = m.repair(&RepairOptions::new());
            if let Ok(w) = Weights::normalize(&[a.abs(), b.abs(), d.abs()]) {
                let _ = m.geometric_compatibility(&w);
            }
        }
        if let (Ok(x), Ok(y)) = (TriangularFuzzyNumber::new(a.abs(), b.abs().max(a.abs()), c.abs().max(b.abs()).max(a.abs())), TriangularFuzzyNumber::new(d.abs(), d.abs(), d.abs())) {
            if let Ok(f) = FuzzyPairwiseMatrix::from_upper_triangle(3, &[x, y, x]) {
                let _ = f.buckley(&PriorityOptions::default());
            }
        }
    }
}
