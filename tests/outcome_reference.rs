//! The outcome's numbers against numpy 2.1.3 and scipy 1.14.1
//! (`scripts/reference/outcome_reference.py`, values in `tests/data/outcome_reference.json`):
//! quantiles (numpy's default linear interpolation), competition and dense ranks
//! (`scipy.stats.rankdata`), quantile tiers with an insufficient-data tier, analytic
//! intervals (`numpy.var(ddof=1)`, `scipy.stats.norm.ppf`) and shrinkage.

mod common;

use common::check::{assert_all_close, assert_close};
use common::reference::outcome;
use common::tol::{CLOSED_FORM, CLOSED_FORM_SCORE, REFERENCE};
use service_quality::outcome::{
    quantile, Dependence, IntervalEstimator, Ranking, Scoreboard, Shrinkage, TieRule, Tier,
    TierBasis, TierScheme,
};
use service_quality::{BatchScores, Evaluator, GradeSet, IndicatorTree, NodeSpec};

/// goal -> d1 (0.6) -> {a 0.5, b 0.5}, d2 (0.4) -> {c 0.3, d 0.7}, as in the script.
fn evaluator() -> Evaluator {
    let tree = IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Goal",
            vec![
                NodeSpec::group(
                    "d1",
                    "D1",
                    vec![NodeSpec::leaf("a", "A"), NodeSpec::leaf("b", "B")],
                )
                .with_weights(vec![0.5, 0.5]),
                NodeSpec::group(
                    "d2",
                    "D2",
                    vec![NodeSpec::leaf("c", "C"), NodeSpec::leaf("d", "D")],
                )
                .with_weights(vec![0.3, 0.7]),
            ],
        )
        .with_weights(vec![0.6, 0.4]),
    )
    .unwrap();
    Evaluator::new(tree, GradeSet::satisfaction_5())
}

#[test]
fn quantiles_are_numpys_linear_interpolation() {
    let reference = outcome();
    assert!(reference
        .metadata
        .generator
        .ends_with("outcome_reference.py"));
    for case in &reference.quantiles {
        for (&p, &want) in case.probabilities.iter().zip(&case.quantiles) {
            let mut values = case.values.clone();
            let got = quantile(&mut values, p).unwrap();
            assert_close(
                got,
                want,
                CLOSED_FORM_SCORE,
                &format!("Q({p}) of {:?}", case.values),
            );
        }
    }
}

#[test]
fn ranks_are_scipys_min_and_dense() {
    for case in &outcome().ranks {
        let c = Ranking::by_scores(&case.scores, TieRule::Competition).unwrap();
        let d = Ranking::by_scores(&case.scores, TieRule::Dense).unwrap();
        let got_c: Vec<u32> = (0..case.scores.len()).map(|m| c.rank(m).unwrap()).collect();
        let got_d: Vec<u32> = (0..case.scores.len()).map(|m| d.rank(m).unwrap()).collect();
        assert_eq!(
            got_c, case.competition,
            "competition ranks of {:?}",
            case.scores
        );
        assert_eq!(got_d, case.dense, "dense ranks of {:?}", case.scores);
    }
}

#[test]
fn quantile_tiers_match_numpy_cut_points() {
    let scheme = TierScheme::new(
        TierBasis::Quantile,
        vec![
            Tier::new("A", "A").at_least(0.9),
            Tier::new("B", "B").at_least(0.5),
            Tier::new("C", "C").at_least(0.05),
            Tier::new("D", "D"),
        ],
    )
    .unwrap()
    .with_min_sample(10);
    for case in &outcome().tiers {
        let t = scheme.assign_scores(&case.scores, &case.samples).unwrap();
        assert_all_close(t.cuts(), &case.cuts, CLOSED_FORM_SCORE, "cut points");
        let got: Vec<&str> = (0..case.scores.len()).map(|m| t.tier(m).id()).collect();
        assert_eq!(got, case.tiers);
    }
}

#[test]
fn analytic_intervals_match_numpy_and_scipy() {
    let ev = evaluator();
    for case in &outcome().intervals {
        for level in &case.levels {
            let est = IntervalEstimator::new(&ev, level.level).unwrap();
            assert_close(est.z(), level.z, CLOSED_FORM, "z = norm.ppf(1 - alpha/2)");
            let ci = est.interval(&case.counts).unwrap();
            assert_close(ci.score(), case.score, CLOSED_FORM_SCORE, "score");
            assert_close(
                ci.std_error(),
                case.se_independent,
                REFERENCE,
                "SE independent",
            );
            assert_close(ci.lower(), level.lower, REFERENCE, "lower");
            assert_close(ci.upper(), level.upper, REFERENCE, "upper");
            let perfect = est
                .with_dependence(Dependence::Perfect)
                .interval(&case.counts)
                .unwrap();
            assert_close(
                perfect.std_error(),
                case.se_perfect,
                REFERENCE,
                "SE perfect",
            );
        }
    }
}

#[test]
fn shrinkage_matches_numpy() {
    let case = outcome().shrinkage;
    let pseudo = Shrinkage::pseudo_respondents(case.k).unwrap();
    let got = pseudo.shrink_scores(&case.scores, &case.samples).unwrap();
    assert_close(got.prior_mean(), case.mean, CLOSED_FORM_SCORE, "mean");
    assert_all_close(
        got.scores(),
        &case.pseudo,
        CLOSED_FORM_SCORE,
        "pseudo-respondent",
    );
    let n = case.scores.len();
    let batch = BatchScores {
        scores: case.scores.clone(),
        grades: vec![0; n],
        failures: vec![],
    };
    let ids = (0..n).map(|i| format!("m{i}")).collect();
    let board = Scoreboard::from_batch("Q", &evaluator(), ids, &batch, &case.samples)
        .unwrap()
        .with_std_errors(case.std_errors.clone())
        .unwrap();
    let eb = Shrinkage::EmpiricalBayes.apply(&board).unwrap();
    assert_close(
        eb.between_variance().unwrap(),
        case.tau2,
        CLOSED_FORM_SCORE,
        "tau²",
    );
    assert_all_close(
        eb.scores(),
        &case.empirical_bayes,
        CLOSED_FORM_SCORE,
        "empirical Bayes",
    );
}
