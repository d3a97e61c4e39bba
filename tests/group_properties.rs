//! Property tests of the expert-panel features.

mod common;

use common::check::{
    assert_accepted_weights, assert_all_close, assert_all_close_rel, assert_close,
    assert_close_rel, assert_finite, ok_or_explained,
};
use common::strategies::awkward_f64;
use common::tol::{BIT_EXACT, CLOSED_FORM, ITERATION_SLACK, ULPS};
use proptest::prelude::*;
use service_quality::ahp::RepairStop;
use service_quality::fuzzy_ahp::fuzzy_saaty;
use service_quality::group::{aggregate_judgements, aggregate_priorities, AhpConsensus};
use service_quality::{
    AipMean, CompletionMethod, CompletionOptions, ExpertWeights, FuzzyPairwiseMatrix,
    IncompleteMatrix, PairwiseMatrix, Panel, PanelOptions, PriorityMethod, PriorityOptions,
    RepairOptions, TriangularFuzzyNumber, Weights,
};

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

/// `a_ij * a_ji = 1` for every pair.
#[track_caller]
fn assert_reciprocal(m: &PairwiseMatrix) {
    let n = m.n();
    for i in 0..n {
        for j in 0..n {
            let p = m.get(i, j).unwrap() * m.get(j, i).unwrap();
            assert_close(p, 1.0, CLOSED_FORM, &format!("a_{i}{j} * a_{j}{i}"));
        }
    }
}

/// A triangular fuzzy number as the constructors promise: `0 < l <= m <= u`, all finite.
#[track_caller]
fn assert_fuzzy_number(t: &TriangularFuzzyNumber, what: &str) {
    assert_finite(&t.to_array(), what);
    assert!(
        0.0 < t.l() && t.l() <= t.m() && t.m() <= t.u(),
        "{what}: {t:?}"
    );
}

proptest! {
    #[test]
    fn aij_of_identical_experts_is_that_expert(m in matrix(), k in 1usize..6) {
        let same = vec![m.clone(); k];
        let g = aggregate_judgements(&same, &ExpertWeights::equal(k).unwrap()).unwrap();
        assert_all_close_rel(g.as_slice(), m.as_slice(), CLOSED_FORM, "AIJ of one expert");
    }

    #[test]
    fn aij_is_reciprocal((ms, raw) in panel()) {
        let g = aggregate_judgements(&ms, &ExpertWeights::new(&raw).unwrap()).unwrap();
        assert_reciprocal(&g);
        // every entry lies between the experts' entries
        let n = g.n();
        for i in 0..n {
            for j in 0..n {
                let lo = ms.iter().map(|m| m.get(i, j).unwrap()).fold(f64::INFINITY, f64::min);
                let hi = ms.iter().map(|m| m.get(i, j).unwrap()).fold(0.0, f64::max);
                let v = g.get(i, j).unwrap();
                prop_assert!(v >= lo * (1.0 - CLOSED_FORM) && v <= hi * (1.0 + CLOSED_FORM));
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
        assert_close(g.as_slice().iter().sum(), 1.0, CLOSED_FORM, "sum of AIP weights");
        prop_assert!(g.as_slice().iter().all(|&x| x > 0.0));
        let c = AhpConsensus::new(&ws, &ExpertWeights::new(&raw).unwrap()).unwrap();
        prop_assert!(c.s_star() <= 1.0 + CLOSED_FORM && c.d_beta() >= 1.0);
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
            Err(service_quality::Error::Panel(service_quality::PanelError::AllExpertsExcluded { experts, .. })) => {
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
                    assert_close_rel(opt.matrix().get(i, j).unwrap(), v, ULPS, "given entry");
                }
                assert_reciprocal(opt.matrix());
                // the optimal completion has the smallest lambda_max of the three
                for other in [CompletionMethod::Harker, CompletionMethod::LogLeastSquares] {
                    let c = inc.complete(other).unwrap();
                    prop_assert!(opt.priorities().lambda_max() <= c.priorities().lambda_max() + ITERATION_SLACK);
                }
            }
            Err(service_quality::Error::Ahp(service_quality::AhpError::DisconnectedComparisons { groups })) => {
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
        assert_reciprocal(r.matrix());
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
        assert_all_close(p.weights().as_slice(), rgmm.weights().as_slice(), CLOSED_FORM, "Buckley vs RGMM");
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
        // each call returns a value whose outputs are finite and in range, or a typed error
        // that explains itself; none panics
        if let Some(w) = ok_or_explained(ExpertWeights::new(&[a, b, c]), "expert weights") {
            assert_accepted_weights(w.as_slice(), "expert weights");
        }
        if let Some(t) = ok_or_explained(TriangularFuzzyNumber::new(a, b, c), "TFN") {
            assert_fuzzy_number(&t, "TFN");
        }
        if let Some(t) = ok_or_explained(TriangularFuzzyNumber::crisp(d), "crisp TFN") {
            assert_fuzzy_number(&t, "crisp TFN");
            assert_all_close(&t.to_array(), &[d; 3], BIT_EXACT, "crisp TFN of d");
        }
        if let Some(t) = ok_or_explained(fuzzy_saaty(a), "fuzzy Saaty") {
            assert_fuzzy_number(&t, "fuzzy Saaty");
        }
        if let Some(m) = ok_or_explained(IncompleteMatrix::from_judgements(n, &[(i, j, a), (j, i, b)]), "incomplete") {
            for method in [CompletionMethod::Optimal, CompletionMethod::Harker, CompletionMethod::LogLeastSquares] {
                if let Some(c) = ok_or_explained(m.complete(method), "completion") {
                    check_completion(&c);
                }
            }
        }
        if let Some(m) = ok_or_explained(IncompleteMatrix::from_upper_triangle(3, &[Some(a), None, Some(b)]), "incomplete upper") {
            prop_assert_eq!(m.n(), 3);
        }
        // parameters are accepted only when finite and > 0 (scale_max: > 1)
        let accepted = [
            ok_or_explained(CompletionOptions::new(CompletionMethod::Optimal).with_tolerance(a), "tolerance").is_some(),
            ok_or_explained(RepairOptions::new().with_target_cr(a), "target CR").is_some(),
            ok_or_explained(PanelOptions::new().with_exclude_above_cr(a), "CR threshold").is_some(),
        ];
        for ok in accepted {
            prop_assert_eq!(ok, a.is_finite() && a > 0.0, "parameter {}", a);
        }
        let consensus = AhpConsensus::with_scale_max(
            &[Weights::uniform(2).unwrap()],
            &ExpertWeights::equal(1).unwrap(),
            a,
        );
        if let Some(c) = ok_or_explained(consensus, "consensus") {
            prop_assert!(a.is_finite() && a > 1.0, "scale max {}", a);
            prop_assert!(c.s_star().is_finite() && c.s_star() <= 1.0 + CLOSED_FORM, "S* {}", c.s_star());
            prop_assert!(c.d_beta().is_finite() && c.d_beta() >= 1.0, "D_beta {}", c.d_beta());
        }
        if let Some(m) = ok_or_explained(PairwiseMatrix::from_upper_triangle(3, &[a, b, c]), "matrix") {
            let pair = aggregate_judgements(&[m.clone(), m.clone()], &ExpertWeights::equal(2).unwrap());
            if let Some(g) = ok_or_explained(pair, "AIJ") {
                assert_finite(g.as_slice(), "AIJ");
                assert_reciprocal(&g);
            }
            if let Some(g) = ok_or_explained(m.gci(), "GCI") {
                prop_assert!(g.value().is_finite() && g.value() >= 0.0, "GCI {}", g.value());
            }
            let t = m.triad_inconsistency().value();
            prop_assert!((0.0..=1.0).contains(&t), "Koczkodaj {}", t);
            let ranked = m.inconsistent_judgements(PriorityMethod::Eigenvector);
            if let Some(ranked) = ok_or_explained(ranked, "inconsistent judgements") {
                prop_assert_eq!(ranked.len(), 3);
                for r in &ranked {
                    assert_finite(&[r.value, r.consistent_value, r.error, r.log_error()], "ranked judgement");
                    prop_assert!(r.consistent_value > 0.0 && r.error > 0.0, "{:?}", r);
                }
            }
            if let Some(r) = ok_or_explained(m.repair(&RepairOptions::new()), "repair") {
                assert_accepted_weights(r.priorities().weights().as_slice(), "repaired weights");
                let cr = r.priorities().cr();
                prop_assert!(cr.is_finite(), "repaired CR {}", cr);
                prop_assert!(cr >= 0.0, "repaired CR {}", cr);
                assert_reciprocal(r.matrix());
            }
            if let Some(w) = ok_or_explained(Weights::normalize(&[a.abs(), b.abs(), d.abs()]), "weights") {
                if let Some(g) = ok_or_explained(m.geometric_compatibility(&w), "GCOMPI") {
                    prop_assert!(g.is_finite() && g >= 0.0, "GCOMPI {}", g);
                }
            }
        }
        let x = TriangularFuzzyNumber::new(a.abs(), b.abs().max(a.abs()), c.abs().max(b.abs()).max(a.abs()));
        let y = TriangularFuzzyNumber::new(d.abs(), d.abs(), d.abs());
        if let (Ok(x), Ok(y)) = (x, y) {
            if let Some(f) = ok_or_explained(FuzzyPairwiseMatrix::from_upper_triangle(3, &[x, y, x]), "fuzzy matrix") {
                if let Some(p) = ok_or_explained(f.buckley(&PriorityOptions::default()), "Buckley") {
                    assert_accepted_weights(p.weights().as_slice(), "Buckley weights");
                    for w in p.fuzzy_weights() {
                        assert_finite(&w.to_array(), "fuzzy weight");
                        prop_assert!(w.l() <= w.m() && w.m() <= w.u(), "{:?}", w);
                    }
                }
            }
        }
    }
}

/// A completion: finite positive filled entries, a reciprocal matrix, and priorities with
/// accepted weights, a finite `lambda_max` and a finite, non-negative CR.
#[track_caller]
fn check_completion(c: &service_quality::ahp::Completion) {
    for e in c.filled() {
        assert!(e.value.is_finite() && e.value > 0.0, "filled {e:?}");
    }
    assert_reciprocal(c.matrix());
    let p = c.priorities();
    assert_accepted_weights(p.weights().as_slice(), "completed weights");
    assert!(p.lambda_max().is_finite(), "lambda_max {}", p.lambda_max());
    assert!(
        p.cr().is_finite() && p.cr() >= -CLOSED_FORM,
        "CR {}",
        p.cr()
    );
}
