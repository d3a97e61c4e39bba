//! Sensitivity analysis: closed forms (rank-reversal and tier thresholds of linear scores,
//! Monte Carlo shares of a judgement that takes three values), the re-weighted batch scorer
//! against a scorer compiled with the same weights, properties of the Monte Carlo results,
//! and typed errors for bad input.

mod common;

use common::check::assert_close;
use common::tol;
use proptest::prelude::*;
use service_quality::group::{Panel, PanelOptions};
use service_quality::sensitivity::{
    ExpertJudgements, MonteCarloOptions, Perturbation, RankEvent, ScoreTiers, SensitivityAnalysis,
    WeightRange,
};
use service_quality::{
    ArgumentError, BatchScorer, Error, Evaluator, FixedReason, FuzzyOperator, GradeSet,
    IndicatorTree, Judgements, NodeSpec, PairwiseMatrix, SensitivityError, WeightsError,
};

/// Goal with two leaves `speed` and `attitude`, weighted by `weigh`.
fn two_leaves(weigh: impl FnOnce(NodeSpec) -> NodeSpec) -> IndicatorTree {
    let goal = NodeSpec::group(
        "goal",
        "Goal",
        vec![
            NodeSpec::leaf("speed", "Speed"),
            NodeSpec::leaf("attitude", "Attitude"),
        ],
    );
    IndicatorTree::new(weigh(goal)).unwrap()
}

/// `speed` weighted `w`.
fn two(w: f64) -> IndicatorTree {
    two_leaves(|g| g.with_weights(vec![w, 1.0 - w]))
}

/// Weighted by one judgement `a` (speed over attitude).
fn judged(a: f64) -> IndicatorTree {
    two_leaves(|g| g.with_judgements(Judgements::Upper(vec![a])))
}

/// One merchant whose every answer on each leaf is the grade of value `v` (5..1 points).
fn merchant(leaf_values: &[u8]) -> Vec<u8> {
    leaf_values
        .iter()
        .flat_map(|&v| {
            let mut row = [0u8; 5];
            row[usize::from(5 - v)] = 3;
            row
        })
        .collect()
}

fn data(merchants: &[&[u8]]) -> Vec<u8> {
    merchants.iter().flat_map(|m| merchant(m)).collect()
}

fn points() -> GradeSet {
    GradeSet::satisfaction_5_points()
}

#[test]
fn reversal_and_tier_thresholds_of_two_criteria_by_hand() {
    // A = (5, 1): 1 + 4w;  B = (2, 4): 4 - 2w;  C = (3, 3): 3 whatever w
    // base w = 0.7: A 3.8, B 2.6, C 3.0 -> A, C, B
    // A = B at w = 1/2 (top-1 changes below 0.5); A = C at w = 1/2 too, so the top-2 set
    // {A, C} changes first where B overtakes C: 4 - 2w = 3 -> w = 1/2 as well... use k = 1
    // and tiers with cut 3.5: A crosses 3.5 at w = 5/8, B at w = 1/4
    let tree = two(0.7);
    let evaluator = Evaluator::new(&tree, points());
    let d = data(&[&[5, 1], &[2, 4], &[3, 3]]);
    let analysis = SensitivityAnalysis::new(&evaluator, d.as_slice())
        .unwrap()
        .with_top_k(1)
        .unwrap()
        .with_tiers(ScoreTiers::new(vec![3.5]).unwrap());
    assert_eq!(analysis.base_ranks(), &[1, 3, 2]);
    let s = analysis
        .one_at_a_time("speed", WeightRange::full())
        .unwrap();
    let top1 = s.down(RankEvent::Top1).unwrap();
    assert_close(top1.weight, 0.5, tol::CLOSED_FORM, "top-1 reversal weight");
    assert_close(top1.change, -0.2, tol::CLOSED_FORM, "top-1 reversal change");
    let tier = s.down(RankEvent::Tier).unwrap();
    assert_close(
        tier.weight,
        5.0 / 8.0,
        tol::CLOSED_FORM,
        "A leaves the top tier",
    );
    // upwards: B drops further, A rises: nothing changes up to w = 1
    assert!(s.up(RankEvent::Top1).is_none());
    assert!(s.up(RankEvent::Tier).is_none());
    assert_close(
        s.criticality().unwrap(),
        0.7 - 5.0 / 8.0,
        tol::CLOSED_FORM,
        "criticality",
    );
    // the attitude weight is the same variation seen from the sibling
    let t = analysis
        .one_at_a_time("attitude", WeightRange::full())
        .unwrap();
    let up = t.up(RankEvent::Top1).unwrap();
    assert_close(up.weight, 0.5, tol::CLOSED_FORM, "attitude reversal");
    let tornado = analysis.tornado(WeightRange::full()).unwrap();
    assert_eq!(tornado.rows().len(), 2);
    assert!(tornado.most_critical().is_some());
}

#[test]
fn reversal_threshold_in_a_two_level_tree_by_hand() {
    // goal: dims X (0.6) and Y (0.4); X = {x1 0.5, x2 0.5}; Y = {y}
    // merchant P: x1 5, x2 5, y 1 -> 0.6 * 5 + 0.4 * 1 = 3.4
    // merchant Q: x1 1, x2 3, y 5 -> 0.6 * 2 + 0.4 * 5 = 3.2
    // vary x2's local weight v (x1 = 1 - v): P = 0.6 * 5 + 0.4 = 3.4 always,
    // Q = 0.6 (1 (1 - v) + 3 v) + 2 = 2.6 + 1.2 v  ->  equal at v = 2/3
    let tree = IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Goal",
            vec![
                NodeSpec::group(
                    "x",
                    "X",
                    vec![NodeSpec::leaf("x1", "x1"), NodeSpec::leaf("x2", "x2")],
                )
                .with_weights(vec![0.5, 0.5]),
                NodeSpec::group("y", "Y", vec![NodeSpec::leaf("y1", "y1")]).with_weights(vec![1.0]),
            ],
        )
        .with_weights(vec![0.6, 0.4]),
    )
    .unwrap();
    let evaluator = Evaluator::new(&tree, points());
    let d = data(&[&[5, 5, 1], &[1, 3, 5]]);
    let analysis = SensitivityAnalysis::new(&evaluator, d.as_slice())
        .unwrap()
        .with_top_k(1)
        .unwrap();
    let s = analysis.one_at_a_time("x2", WeightRange::full()).unwrap();
    assert_close(
        s.up(RankEvent::Top1).unwrap().weight,
        2.0 / 3.0,
        tol::CLOSED_FORM,
        "x2 reversal",
    );
    // y1 is an only child, the goal the root
    for (id, reason) in [("y1", FixedReason::OnlyChild), ("goal", FixedReason::Root)] {
        let err = analysis.one_at_a_time(id, WeightRange::full()).unwrap_err();
        assert!(
            matches!(&err, Error::Sensitivity(SensitivityError::FixedWeight { reason: r, .. }) if *r == reason),
            "{err}"
        );
    }
    // the tornado skips them
    let tornado = analysis.tornado(WeightRange::full()).unwrap();
    let ids: Vec<&str> = tornado.rows().iter().map(|r| r.id()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
}

#[test]
fn monte_carlo_shares_of_a_three_valued_judgement() {
    // judgement a = 1 -> steps to 1/2, 1, 2 (1/3 each): speed weight 1/3, 1/2, 2/3
    // P = (5, 1): 1 + 4w;  Q = (1, 4): 4 - 3w;  Q first only at w = 1/3 (3 > 2.33)
    let tree = judged(1.0);
    let evaluator = Evaluator::new(&tree, points());
    let d = data(&[&[5, 1], &[1, 4]]);
    let analysis = SensitivityAnalysis::new(&evaluator, d.as_slice())
        .unwrap()
        .with_top_k(1)
        .unwrap();
    let draws = 3000;
    let opts = MonteCarloOptions::new(draws, Perturbation::SaatyStep)
        .unwrap()
        .with_seed(11);
    let mc = analysis
        .monte_carlo(&ExpertJudgements::from_tree(&tree), &opts)
        .unwrap();
    assert_eq!(mc.draws_used(), draws);
    let p = 1.0 / 3.0;
    let se = (p * (1.0 - p) / draws as f64).sqrt();
    let q = mc.merchants()[1];
    assert_close(q.p_top_k, p, tol::MONTE_CARLO_SIGMAS * se, "P(Q first)");
    assert_close(
        mc.merchants()[0].p_top_k + q.p_top_k,
        1.0,
        tol::CLOSED_FORM,
        "one merchant first per draw",
    );
    // Spearman is -1 in the draws where they swap, +1 otherwise
    assert!(mc
        .spearman()
        .iter()
        .all(|&r| r.abs().to_bits() == 1f64.to_bits()));
    let swapped = mc.spearman().iter().filter(|&&r| r < 0.0).count();
    assert_close(
        swapped as f64 / draws as f64,
        q.p_top_k,
        tol::CLOSED_FORM,
        "swaps",
    );
    // Q's rank is 1 in a third of the draws, 2 otherwise: median 2, 5 % quantile 1
    assert_eq!((q.p5, q.median, q.p95), (1, 2, 2));
    assert!(q.exact);
}

#[test]
fn dropping_inconsistent_draws() {
    // three criteria, consistent judgements 2, 4, 2: a step of one judgement breaks the
    // consistency a little; CR threshold 1e-9 drops every draw that moved something
    let tree = IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Goal",
            vec![
                NodeSpec::leaf("a", "A"),
                NodeSpec::leaf("b", "B"),
                NodeSpec::leaf("c", "C"),
            ],
        )
        .with_judgements(Judgements::Upper(vec![2.0, 4.0, 2.0])),
    )
    .unwrap();
    let evaluator = Evaluator::new(&tree, points());
    let d = data(&[&[5, 1, 3], &[1, 5, 3]]);
    let analysis = SensitivityAnalysis::new(&evaluator, d.as_slice()).unwrap();
    let j = ExpertJudgements::from_tree(&tree);
    let opts = MonteCarloOptions::new(500, Perturbation::LogNormal { sigma: 0.3 })
        .unwrap()
        .with_drop_above_cr(1e-9)
        .unwrap();
    let err = analysis.monte_carlo(&j, &opts).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Sensitivity(SensitivityError::AllDrawsDropped { draws: 500, .. })
        ),
        "{err}"
    );
    let opts = MonteCarloOptions::new(500, Perturbation::SaatyStep)
        .unwrap()
        .with_drop_above_cr(0.1)
        .unwrap();
    let mc = analysis.monte_carlo(&j, &opts).unwrap();
    assert!(mc.draws_used() > 0 && mc.draws_used() + mc.draws_dropped() == 500);
}

#[test]
fn reweighted_scorer_equals_a_scorer_compiled_with_those_weights() {
    let tree_a = two(0.7);
    let tree_b = two(0.25);
    let d = data(&[&[5, 1], &[2, 4], &[3, 3], &[4, 2]]);
    for op in [FuzzyOperator::WeightedAverage, FuzzyOperator::ZadehMaxMin] {
        let mut reweighted =
            BatchScorer::new(&Evaluator::new(&tree_a, points()).operator(op)).unwrap();
        reweighted.set_local_weights(&[1.0, 0.25, 0.75]).unwrap();
        let compiled = BatchScorer::new(&Evaluator::new(&tree_b, points()).operator(op)).unwrap();
        let (x, y) = (
            reweighted.score_counts_vec(&d).unwrap(),
            compiled.score_counts_vec(&d).unwrap(),
        );
        for (a, b) in x.scores.iter().zip(&y.scores) {
            assert_close(*a, *b, tol::BIT_EXACT, "re-weighted score");
        }
        assert_eq!(x.grades, y.grades);
    }
    // bad weights change nothing
    let mut s = BatchScorer::new(&Evaluator::new(&tree_a, points())).unwrap();
    let before = s.clone();
    let err = s.set_local_weights(&[1.0, 0.5]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Argument(ArgumentError::LengthMismatch {
                expected: 3,
                found: 2,
                ..
            })
        ),
        "{err}"
    );
    let err = s.set_local_weights(&[1.0, 0.5, 0.6]).unwrap_err();
    assert!(
        matches!(err.root(), Error::Weights(WeightsError::WeightSum { .. })),
        "{err}"
    );
    assert_eq!(err.node_path().as_deref(), Some("goal"));
    let err = s.set_local_weights(&[1.0, f64::NAN, 0.5]).unwrap_err();
    assert!(
        matches!(
            err.root(),
            Error::Weights(WeightsError::InvalidWeight { .. })
        ),
        "{err}"
    );
    assert_eq!(s, before);
}

#[test]
fn bad_input_is_a_typed_error() {
    let tree = judged(3.0);
    let evaluator = Evaluator::new(&tree, points());
    let d = data(&[&[5, 1], &[1, 4]]);
    let analysis = SensitivityAnalysis::new(&evaluator, d.as_slice()).unwrap();
    let sens = |e: Error| match e {
        Error::Sensitivity(s) => s,
        other => panic!("not a sensitivity error: {other}"),
    };
    // nodes and ranges
    assert!(matches!(
        sens(analysis.one_at_a_time("nope", WeightRange::full()).unwrap_err()),
        SensitivityError::UnknownNode { id } if id == "nope"
    ));
    assert!(matches!(
        sens(WeightRange::new(0.4, 0.4).unwrap_err()),
        SensitivityError::EmptyRange { .. }
    ));
    assert!(matches!(
        sens(WeightRange::new(0.6, 0.4).unwrap_err()),
        SensitivityError::EmptyRange { .. }
    ));
    for (lo, hi) in [(f64::NAN, 0.5), (0.0, f64::NAN), (-0.1, 0.5), (0.0, 1.5)] {
        assert!(matches!(
            sens(WeightRange::new(lo, hi).unwrap_err()),
            SensitivityError::RangeOutsideUnit { .. }
        ));
    }
    assert!(matches!(
        sens(WeightRange::full().with_steps(0).unwrap_err()),
        SensitivityError::ZeroSteps { steps: 0 }
    ));
    // Monte Carlo settings
    assert!(matches!(
        sens(MonteCarloOptions::new(0, Perturbation::SaatyStep).unwrap_err()),
        SensitivityError::ZeroDraws
    ));
    for sigma in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = sens(MonteCarloOptions::new(10, Perturbation::LogNormal { sigma }).unwrap_err());
        assert!(matches!(e, SensitivityError::InvalidSigma { .. }), "{e}");
    }
    for t in [0.0, -0.1, f64::NAN] {
        let e = MonteCarloOptions::new(10, Perturbation::SaatyStep)
            .unwrap()
            .with_drop_above_cr(t);
        assert!(matches!(
            sens(e.unwrap_err()),
            SensitivityError::InvalidThreshold { .. }
        ));
    }
    // top k and tiers
    for k in [0, 3] {
        let e = sens(
            SensitivityAnalysis::new(&evaluator, d.as_slice())
                .unwrap()
                .with_top_k(k)
                .unwrap_err(),
        );
        assert!(
            matches!(e, SensitivityError::InvalidTopK { merchants: 2, .. }),
            "{e}"
        );
    }
    for cuts in [
        vec![3.0, 3.0],
        vec![f64::NAN],
        vec![4.0, 3.0],
        vec![f64::INFINITY],
    ] {
        assert!(matches!(
            sens(ScoreTiers::new(cuts).unwrap_err()),
            SensitivityError::InvalidTierCut { .. }
        ));
    }
    // judgements that do not fit the tree
    let opts = MonteCarloOptions::new(5, Perturbation::SaatyStep).unwrap();
    let m2 = PairwiseMatrix::from_upper_triangle(2, &[3.0]).unwrap();
    let m3 = PairwiseMatrix::from_upper_triangle(3, &[3.0, 2.0, 2.5]).unwrap();
    let panel = |m: &PairwiseMatrix| Panel::new(vec![m.clone()]).unwrap();
    type Case = (Vec<(String, Panel)>, fn(&SensitivityError) -> bool);
    let cases: Vec<Case> = vec![
        (vec![("nope".into(), panel(&m2))], |e| {
            matches!(e, SensitivityError::UnknownNode { .. })
        }),
        (vec![("speed".into(), panel(&m2))], |e| {
            matches!(e, SensitivityError::NotAGroup { .. })
        }),
        (vec![("goal".into(), panel(&m3))], |e| {
            matches!(
                e,
                SensitivityError::PanelSize {
                    children: 2,
                    found: 3,
                    ..
                }
            )
        }),
        (
            vec![("goal".into(), panel(&m2)), ("goal".into(), panel(&m2))],
            |e| matches!(e, SensitivityError::DuplicateNode { .. }),
        ),
    ];
    for (panels, ok) in cases {
        let j = ExpertJudgements::new(panels, PanelOptions::new());
        let e = sens(analysis.monte_carlo(&j, &opts).unwrap_err());
        assert!(ok(&e), "{e}");
    }
    // the step model needs judgements on the scale
    let off = PairwiseMatrix::from_upper_triangle(2, &[2.5]).unwrap();
    let j = ExpertJudgements::new(vec![("goal".into(), panel(&off))], PanelOptions::new());
    let e = sens(analysis.monte_carlo(&j, &opts).unwrap_err());
    assert!(
        matches!(
            e,
            SensitivityError::NotOnSaatyScale {
                expert: 0,
                row: 0,
                col: 1,
                ..
            }
        ),
        "{e}"
    );
    // log-normal noise takes it
    let ln = MonteCarloOptions::new(5, Perturbation::LogNormal { sigma: 0.1 }).unwrap();
    assert!(analysis.monte_carlo(&j, &ln).is_ok());
    // data that is not whole merchants; no merchant that can be scored
    let e = SensitivityAnalysis::new(&evaluator, &d[..7]).unwrap_err();
    assert!(matches!(e, Error::Batch(_)), "{e}");
    let empty: Vec<u8> = vec![0; 10];
    let e = sens(SensitivityAnalysis::new(&evaluator, empty.as_slice()).unwrap_err());
    assert!(
        matches!(
            e,
            SensitivityError::NoMerchants {
                merchants: 1,
                failed: 1
            }
        ),
        "{e}"
    );
}

#[test]
fn failing_merchants_are_reported_and_left_out() {
    let tree = judged(3.0);
    let evaluator = Evaluator::new(&tree, points());
    let mut d = data(&[&[5, 1], &[1, 4], &[3, 3]]);
    d[10..20].fill(0); // merchant 1 has no answers
    let analysis = SensitivityAnalysis::new(&evaluator, d.as_slice()).unwrap();
    assert_eq!(analysis.ranked(), &[0, 2]);
    assert_eq!(analysis.failures().len(), 1);
    assert_eq!(analysis.failures()[0].merchant, 1);
    let opts = MonteCarloOptions::new(20, Perturbation::SaatyStep).unwrap();
    let mc = analysis
        .monte_carlo(&ExpertJudgements::from_tree(&tree), &opts)
        .unwrap();
    let ids: Vec<usize> = mc.merchants().iter().map(|m| m.merchant).collect();
    assert_eq!(ids, vec![0, 2]);
}

/// Merchants with random answer counts for the 13-indicator template-like tree with
/// judgements at every group.
fn panel_tree() -> IndicatorTree {
    let group = |id: &str, leaves: &[&str], upper: Vec<f64>| {
        NodeSpec::group(
            id,
            id,
            leaves.iter().map(|l| NodeSpec::leaf(*l, *l)).collect(),
        )
        .with_judgements(Judgements::Upper(upper))
    };
    IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "goal",
            vec![
                group("speed", &["s1", "s2", "s3"], vec![2.0, 3.0, 2.0]),
                group("attitude", &["a1", "a2"], vec![1.0 / 2.0]),
                group("skill", &["k1", "k2", "k3"], vec![3.0, 1.0, 1.0 / 3.0]),
            ],
        )
        .with_judgements(Judgements::Upper(vec![2.0, 1.0, 1.0 / 2.0])),
    )
    .unwrap()
}

fn counts_strategy() -> impl Strategy<Value = Vec<u8>> {
    (3usize..12).prop_flat_map(|n| {
        proptest::collection::vec(0u8..6, n * 8 * 5).prop_map(|mut v| {
            for (i, c) in v.iter_mut().enumerate() {
                if i % 5 == 0 {
                    *c += 1;
                }
            }
            v
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn monte_carlo_results_are_valid_and_reproducible(
        counts in counts_strategy(),
        seed in any::<u64>(),
        sigma in 0.05f64..1.0,
        step in any::<bool>(),
    ) {
        let tree = panel_tree();
        let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5());
        let analysis = SensitivityAnalysis::new(&evaluator, counts.as_slice())
            .unwrap()
            .with_top_k(2)
            .unwrap()
            .with_tiers(ScoreTiers::new(vec![70.0, 75.0, 80.0]).unwrap());
        let n = analysis.ranked().len() as u32;
        let model = if step { Perturbation::SaatyStep } else { Perturbation::LogNormal { sigma } };
        let opts = MonteCarloOptions::new(60, model).unwrap().with_seed(seed);
        let j = ExpertJudgements::from_tree(&tree);
        let mc = analysis.monte_carlo(&j, &opts).unwrap();
        prop_assert_eq!(&mc, &analysis.monte_carlo(&j, &opts).unwrap());
        #[cfg(feature = "parallel")]
        prop_assert_eq!(&mc, &analysis.clone().parallel(true).monte_carlo(&j, &opts).unwrap());
        prop_assert_eq!(mc.spearman().len(), mc.draws_used());
        for r in mc.spearman() {
            prop_assert!((-1.0..=1.0).contains(r));
        }
        let mut in_top = 0.0;
        for m in mc.merchants() {
            prop_assert!(1 <= m.p5 && m.p5 <= m.median && m.median <= m.p95 && m.p95 <= n, "{:?}", m);
            prop_assert!((0.0..=1.0).contains(&m.p_top_k));
            let keep = m.p_keep_tier.unwrap();
            prop_assert!((0.0..=1.0).contains(&keep));
            in_top += m.p_top_k;
        }
        // at least k merchants have rank <= k in every draw (more only with ties)
        prop_assert!(in_top >= 2.0 - tol::CLOSED_FORM);
    }

    #[test]
    fn zero_noise_gives_the_base_ranking_with_probability_one(counts in counts_strategy()) {
        let tree = panel_tree();
        let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5());
        let analysis = SensitivityAnalysis::new(&evaluator, counts.as_slice())
            .unwrap()
            .with_tiers(ScoreTiers::new(vec![75.0]).unwrap());
        let opts = MonteCarloOptions::new(5, Perturbation::Unperturbed).unwrap();
        let mc = analysis.monte_carlo(&ExpertJudgements::from_tree(&tree), &opts).unwrap();
        let k = analysis.top_k() as u32;
        for (m, &base) in mc.merchants().iter().zip(analysis.base_ranks()) {
            prop_assert_eq!((m.p5, m.median, m.p95), (base, base, base));
            prop_assert!(m.exact);
            let want: f64 = if base <= k { 1.0 } else { 0.0 };
            prop_assert_eq!(m.p_top_k.to_bits(), want.to_bits());
            prop_assert_eq!(m.p_keep_tier, Some(1.0));
        }
        prop_assert!(mc.spearman().iter().all(|&r| r.to_bits() == 1f64.to_bits()));
    }
}

#[test]
fn public_types_are_send_sync_clone_debug() {
    fn common<T: Send + Sync + Clone + std::fmt::Debug>() {}
    common::<SensitivityAnalysis>();
    common::<service_quality::sensitivity::Tornado>();
    common::<service_quality::sensitivity::WeightSensitivity>();
    common::<service_quality::sensitivity::MonteCarlo>();
    common::<MonteCarloOptions>();
    common::<ExpertJudgements>();
    common::<Perturbation>();
    common::<ScoreTiers>();
    common::<WeightRange>();
    common::<SensitivityError>();
    common::<service_quality::fuzzy_ahp::FuzzyConsistency>();
    common::<service_quality::fuzzy_ahp::FuzzyConsistencyConvention>();
    common::<service_quality::fuzzy_ahp::CrispConsistency>();
}
