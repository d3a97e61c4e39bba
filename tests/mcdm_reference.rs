//! The multi-criteria methods of `service_quality::mcdm` against independent implementations
//! and published worked examples.
//!
//! Reference values: `tests/data/mcdm_reference.json`, written by
//! `scripts/reference/mcdm_reference.py` with pymcdm 1.4.0, pyDecision 5.1.8, numpy 2.4.6 and
//! scipy 1.17.1 (the versions are in the file's metadata). Published examples: Tzeng & Huang
//! (2011) for TOPSIS; Opricovic & Tzeng (2004, 2007) for VIKOR (citations in the JSON).

mod common;

use common::check::{assert_all_close, assert_close, assert_printed};
use common::mcdm::{matrix, weights};
use common::reference::{self, McdmCase, McdmRsr};
use common::tol::{CLOSED_FORM, MCDM_REFERENCE};
use service_quality::mcdm::{
    CombinationRule, CombinedWeights, CriticConvention, CumulativeFrequency, DecisionMatrix,
    Dispersion, EntropyConvention, GreyNormalisation, GreyOptions, GreyRelational, ObjectiveMethod,
    ObjectiveWeights, RankSumRatio, RankingMethod, RobustnessTable, RsrOptions, RsrRanks, Topsis,
    TopsisNormalisation, Vikor,
};

fn case_matrix(c: &McdmCase) -> DecisionMatrix {
    matrix(&c.matrix, &c.types)
}

fn objective(c: &McdmCase, method: ObjectiveMethod) -> Vec<f64> {
    ObjectiveWeights::of(&case_matrix(c), method)
        .expect("objective weights")
        .weights()
        .to_vec()
}

#[test]
fn objective_weights_match_pymcdm() {
    for c in reference::mcdm().cases {
        let what = |m: &str| format!("{}: {m}", c.name);
        assert_all_close(
            &objective(&c, ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost)),
            &c.pymcdm_entropy,
            MCDM_REFERENCE,
            &what("entropy"),
        );
        assert_all_close(
            &objective(&c, ObjectiveMethod::Critic(CriticConvention::IgnoreCost)),
            &c.pymcdm_critic,
            MCDM_REFERENCE,
            &what("CRITIC"),
        );
        assert_all_close(
            &objective(&c, ObjectiveMethod::StandardDeviation(Dispersion::Raw)),
            &c.pymcdm_std,
            MCDM_REFERENCE,
            &what("standard deviation"),
        );
    }
}

#[test]
fn objective_weights_match_pydecision_and_numpy() {
    for c in reference::mcdm().cases {
        let what = |m: &str| format!("{}: {m}", c.name);
        assert_all_close(
            &objective(&c, ObjectiveMethod::Entropy(EntropyConvention::PyDecision)),
            &c.pydecision_entropy,
            MCDM_REFERENCE,
            &what("entropy (pyDecision guard terms)"),
        );
        assert_all_close(
            &objective(
                &c,
                ObjectiveMethod::Entropy(EntropyConvention::ReciprocalCost),
            ),
            &c.numpy_entropy_reciprocal,
            MCDM_REFERENCE,
            &what("entropy (reciprocal costs)"),
        );
        // pyDecision adds 1e-10 to the min-max denominator: below 1e-12 on these ranges
        assert_all_close(
            &objective(&c, ObjectiveMethod::Critic(CriticConvention::OrientCost)),
            &c.pydecision_critic,
            MCDM_REFERENCE,
            &what("CRITIC (pyDecision)"),
        );
        assert_all_close(
            &objective(&c, ObjectiveMethod::Critic(CriticConvention::OrientCost)),
            &c.numpy_critic_oriented,
            MCDM_REFERENCE,
            &what("CRITIC (oriented)"),
        );
        assert_all_close(
            &objective(&c, ObjectiveMethod::CoefficientOfVariation),
            &c.numpy_cv,
            MCDM_REFERENCE,
            &what("coefficient of variation"),
        );
        assert_all_close(
            &objective(&c, ObjectiveMethod::StandardDeviation(Dispersion::MinMax)),
            &c.numpy_std_minmax,
            MCDM_REFERENCE,
            &what("standard deviation (min-max)"),
        );
    }
}

#[test]
fn combinations_match_numpy() {
    for c in reference::mcdm().cases {
        let s = weights(&c.subjective);
        let o = weights(&c.pymcdm_entropy);
        let combine = |rule| {
            CombinedWeights::new(&s, &o, rule)
                .expect("combined weights")
                .weights()
                .to_vec()
        };
        let what = |m: &str| format!("{}: {m}", c.name);
        assert_all_close(
            &combine(CombinationRule::Multiplicative),
            &c.combined.multiplicative,
            MCDM_REFERENCE,
            &what("multiplicative"),
        );
        assert_all_close(
            &combine(CombinationRule::Linear {
                alpha: c.combined_alpha,
            }),
            &c.combined.linear,
            MCDM_REFERENCE,
            &what("linear"),
        );
        assert_all_close(
            &combine(CombinationRule::MinimumDiscrimination),
            &c.combined.minimum_discrimination,
            MCDM_REFERENCE,
            &what("minimum discrimination information"),
        );
        let g = CombinedWeights::new(&s, &o, CombinationRule::GameTheory).expect("game theory");
        assert_all_close(
            g.weights().as_slice(),
            &c.combined.game_theory,
            MCDM_REFERENCE,
            &what("game theory"),
        );
        assert_all_close(
            g.coefficients(),
            &c.combined.game_theory_coefficients,
            MCDM_REFERENCE,
            &what("game theory coefficients"),
        );
        assert_eq!(g.inputs(), [s.clone(), o.clone()]);
    }
}

#[test]
fn topsis_matches_pymcdm_and_pydecision() {
    for c in reference::mcdm().cases {
        let m = case_matrix(&c);
        let w = weights(&c.weights);
        let closeness = |n| Topsis::new(&m, &w, n).expect("TOPSIS").closeness().to_vec();
        let what = |x: &str| format!("{}: {x}", c.name);
        let vector = closeness(TopsisNormalisation::Vector);
        assert_all_close(
            &vector,
            &c.pydecision_topsis,
            MCDM_REFERENCE,
            &what("vector, pyDecision"),
        );
        assert_all_close(
            &vector,
            &c.pymcdm_topsis_vector,
            MCDM_REFERENCE,
            &what("vector, pymcdm"),
        );
        assert_all_close(
            &closeness(TopsisNormalisation::MinMax),
            &c.pymcdm_topsis_minmax,
            MCDM_REFERENCE,
            &what("min-max, pymcdm"),
        );
    }
}

#[test]
fn vikor_matches_pydecision_and_pymcdm() {
    for c in reference::mcdm().cases {
        let v = Vikor::new(&case_matrix(&c), &weights(&c.weights), 0.5).expect("VIKOR");
        let what = |x: &str| format!("{}: {x}", c.name);
        assert_all_close(v.s(), &c.pydecision_vikor_s, MCDM_REFERENCE, &what("S"));
        assert_all_close(v.r(), &c.pydecision_vikor_r, MCDM_REFERENCE, &what("R"));
        assert_all_close(v.q(), &c.pydecision_vikor_q, MCDM_REFERENCE, &what("Q"));
        if let Some(q) = &c.pymcdm_vikor_q {
            assert_all_close(v.q(), q, MCDM_REFERENCE, &what("Q, pymcdm"));
        }
    }
}

#[test]
fn grey_relational_grades_match_pydecision_and_numpy() {
    for c in reference::mcdm().cases {
        let m = case_matrix(&c);
        let opts = GreyOptions::new().with_weights(weights(&c.weights));
        let g = GreyRelational::new(&m, &opts).expect("GRA");
        // pyDecision divides the weighted sum by the number of alternatives
        let alternatives = m.n_alternatives() as f64;
        let scaled: Vec<f64> = c.pydecision_gra.iter().map(|x| x * alternatives).collect();
        assert_all_close(
            g.grades(),
            &scaled,
            MCDM_REFERENCE,
            &format!("{}: GRA", c.name),
        );
        let mean = GreyRelational::new(&m, &opts.with_normalisation(GreyNormalisation::Mean))
            .expect("GRA, mean normalisation");
        assert_all_close(
            mean.grades(),
            &c.numpy_grey_mean,
            MCDM_REFERENCE,
            &format!("{}: GRA, mean normalisation", c.name),
        );
    }
}

fn check_rsr(got: &RankSumRatio, want: &McdmRsr, weighted: bool, what: &str) {
    let rsr = if weighted { &want.wrsr } else { &want.rsr };
    assert_all_close(got.rsr(), rsr, MCDM_REFERENCE, &format!("{what}: RSR"));
    if weighted {
        return; // scipy's table is of the unweighted RSR
    }
    let t = got.table();
    let col = |f: fn(&service_quality::mcdm::RsrGroup) -> f64| t.iter().map(f).collect::<Vec<_>>();
    assert_all_close(
        &col(|g| g.rsr),
        &want.table_rsr,
        MCDM_REFERENCE,
        &format!("{what}: table"),
    );
    assert_eq!(
        t.iter().map(|g| g.frequency).collect::<Vec<_>>(),
        want.table_frequency,
        "{what}: frequencies"
    );
    assert_all_close(
        &col(|g| g.mean_rank),
        &want.table_mean_rank,
        MCDM_REFERENCE,
        &format!("{what}: mean ranks"),
    );
    assert_all_close(
        &col(|g| g.percentile),
        &want.table_percentile,
        MCDM_REFERENCE,
        &format!("{what}: percentiles"),
    );
    assert_all_close(
        &col(|g| g.probit),
        &want.table_probit,
        MCDM_REFERENCE,
        &format!("{what}: probits"),
    );
    assert_close(
        got.intercept(),
        want.intercept,
        MCDM_REFERENCE,
        &format!("{what}: intercept"),
    );
    assert_close(
        got.slope(),
        want.slope,
        MCDM_REFERENCE,
        &format!("{what}: slope"),
    );
}

#[test]
fn rank_sum_ratio_matches_scipy() {
    for c in reference::mcdm().cases {
        let m = case_matrix(&c);
        for (ranks, want) in [
            (RsrRanks::Integer, &c.rsr_integer),
            (RsrRanks::NonInteger, &c.rsr_noninteger),
        ] {
            let opts = RsrOptions::new()
                .with_ranks(ranks)
                .with_frequency(CumulativeFrequency::QuarterCorrection);
            let what = format!("{} {ranks:?}", c.name);
            check_rsr(
                &RankSumRatio::new(&m, &opts).expect("RSR"),
                want,
                false,
                &what,
            );
            let weighted =
                RankSumRatio::new(&m, &opts.with_weights(weights(&c.weights))).expect("WRSR");
            check_rsr(&weighted, want, true, &format!("{what} weighted"));
        }
    }
}

#[test]
fn robustness_table_correlations_match_scipy() {
    for c in reference::mcdm().cases {
        // the same matrix with the fuzzy score replaced by TOPSIS: compare TOPSIS with VIKOR
        let m = case_matrix(&c);
        let w = weights(&c.weights);
        let mut rankings = Vec::new();
        for method in [
            RankingMethod::Topsis(TopsisNormalisation::Vector),
            RankingMethod::Vikor { v: 0.5 },
        ] {
            let (scores, ranking) = method.rank(&m, &w).expect("ranking");
            rankings.push((method.name(), scores, ranking));
        }
        let table = RobustnessTable::new(m.alternatives().to_vec(), rankings).expect("table");
        let what = |x: &str| format!("{}: {x}", c.name);
        assert_close(
            table.spearman(0, 1).expect("defined"),
            c.spearman_topsis_vikor,
            CLOSED_FORM,
            &what("Spearman"),
        );
        assert_close(
            table.kendall(0, 1).expect("defined"),
            c.kendall_topsis_vikor,
            CLOSED_FORM,
            &what("Kendall"),
        );
    }
}

#[test]
fn published_topsis_example() {
    let p = reference::mcdm().published.tzeng_huang_2011_topsis;
    let t = Topsis::new(
        &matrix(&p.matrix, &p.types),
        &weights(&p.weights),
        TopsisNormalisation::Vector,
    )
    .expect("TOPSIS");
    assert_printed(t.closeness(), &p.closeness, p.decimals, &p.citation);
}

#[test]
fn published_vikor_examples() {
    let r = reference::mcdm().published;
    let p = r.opricovic_tzeng_2004_vikor;
    let v = Vikor::new(&matrix(&p.matrix, &p.types), &weights(&p.weights), 0.5).expect("VIKOR");
    assert_all_close(v.s(), &p.s, CLOSED_FORM, &p.citation);
    assert_all_close(v.r(), &p.r, CLOSED_FORM, &p.citation);
    assert_all_close(v.q(), &p.q, CLOSED_FORM, &p.citation);
    assert_eq!(v.compromise(), p.compromise);

    let p = r.opricovic_tzeng_2007_vikor;
    let m = matrix(&p.matrix, &p.types);
    for (k, set) in p.weight_sets.iter().enumerate() {
        let what = format!("{} W{}", p.citation, k + 1);
        let v = Vikor::new(&m, &weights(&set.raw_weights), 0.5).expect("VIKOR");
        assert_printed(v.s(), &set.s, p.decimals, &format!("{what} S"));
        assert_printed(v.r(), &set.r, p.decimals, &format!("{what} R"));
        assert_printed(v.q(), &set.q, p.decimals, &format!("{what} Q"));
        let mut got = v.compromise().to_vec();
        let mut want = set.compromise.clone();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{what} compromise set");
    }
}

#[test]
fn published_critic_example() {
    let p = reference::mcdm().published.diakoulaki_1995_critic;
    let m = matrix(&p.matrix, &[1, 1, 1]);
    for convention in [CriticConvention::IgnoreCost, CriticConvention::OrientCost] {
        let w = ObjectiveWeights::of(&m, ObjectiveMethod::Critic(convention)).expect("CRITIC");
        assert_printed(w.weights().as_slice(), &p.weights, p.decimals, &p.citation);
    }
}
