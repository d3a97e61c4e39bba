//! Bad input to the multi-criteria methods: constant columns, zero or negative values where
//! positives are needed, a single alternative, mismatched criterion types, NaN — a typed error
//! naming what and where, or a documented defined value; never NaN or a panic.

// exact comparisons are on values the library defines exactly (0 weights, ranks, echoes)
#![allow(clippy::float_cmp)]

mod common;

use common::check::{assert_accepted_weights, assert_finite, ok_or_explained};
use common::mcdm::ALL_OBJECTIVE;
use common::strategies::awkward_f64;
use proptest::prelude::*;
use service_quality::mcdm::{
    CombinationRule, CombinedWeights, CriterionType, CriticConvention, CumulativeFrequency,
    DecisionMatrix, EntropyConvention, GreyNormalisation, GreyOptions, GreyRelational,
    ObjectiveMethod, ObjectiveWeights, RankSumRatio, RsrOptions, RsrRanks, RsrTiers, Topsis,
    TopsisNormalisation, Vikor,
};
use service_quality::{Error, McdmError, McdmMethod, Weights};

const B: CriterionType = CriterionType::Benefit;

const C: CriterionType = CriterionType::Cost;

fn matrix(rows: &[Vec<f64>], types: &[CriterionType]) -> service_quality::Result<DecisionMatrix> {
    DecisionMatrix::new(
        (0..rows.len()).map(|i| format!("shop{i}")).collect(),
        (0..types.len()).map(|j| format!("c{j}")).collect(),
        types.to_vec(),
        rows,
    )
}

fn mcdm(e: Error) -> McdmError {
    match e {
        Error::Mcdm(e) => e,
        other => panic!("not an MCDM error: {other:?}"),
    }
}

#[test]
fn a_single_alternative_is_refused() {
    let e = mcdm(matrix(&[vec![1.0, 2.0]], &[B, C]).unwrap_err());
    assert_eq!(e, McdmError::TooFewAlternatives { found: 1 });
    assert!(e.to_string().contains("at least 2"));
}

#[test]
fn mismatched_criterion_types_are_refused() {
    let criteria = vec!["speed".to_owned(), "minutes".to_owned()];
    let alternatives = vec!["a".to_owned(), "b".to_owned()];
    let rows = [[1.0, 2.0], [2.0, 1.0]];
    let e = mcdm(
        DecisionMatrix::new(alternatives.clone(), criteria.clone(), vec![B], &rows).unwrap_err(),
    );
    assert_eq!(
        e,
        McdmError::CriterionTypes {
            expected: 2,
            found: 1
        }
    );
    let m = DecisionMatrix::new(alternatives, criteria, vec![B, C], &rows).unwrap();
    let e = mcdm(m.with_types(vec![B, C, C]).unwrap_err());
    assert_eq!(
        e,
        McdmError::CriterionTypes {
            expected: 2,
            found: 3
        }
    );
}

#[test]
fn nan_and_infinite_values_name_their_place() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300] {
        let e = mcdm(matrix(&[vec![1.0, 2.0], vec![2.0, bad]], &[B, C]).unwrap_err());
        match e {
            McdmError::InvalidValue {
                alternative,
                criterion,
                value,
            } => {
                assert_eq!((alternative.as_str(), criterion.as_str()), ("shop1", "c1"));
                assert!(value.is_nan() || value == bad);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn constant_columns_have_defined_values() {
    // c1 is constant: weight 0 everywhere, no distance in TOPSIS/VIKOR, coefficients 1 in GRA
    let m = matrix(
        &[
            vec![1.0, 5.0, 3.0],
            vec![4.0, 5.0, 1.0],
            vec![9.0, 5.0, 2.0],
        ],
        &[B, B, C],
    )
    .unwrap();
    // pyDecision's guard term gives a constant column 1e-9 before normalising
    let pydecision = ObjectiveMethod::Entropy(EntropyConvention::PyDecision);
    for method in ALL_OBJECTIVE.into_iter().filter(|m| *m != pydecision) {
        let w = ObjectiveWeights::of(&m, method).unwrap();
        assert_eq!(w.weights().as_slice()[1], 0.0, "{method:?}");
        assert_accepted_weights(w.weights().as_slice(), &format!("{method:?}"));
    }
    let w = Weights::new(vec![0.2, 0.5, 0.3]).unwrap();
    let without = matrix(&[vec![1.0, 3.0], vec![4.0, 1.0], vec![9.0, 2.0]], &[B, C]).unwrap();
    let w2 = Weights::normalize(&[0.2, 0.3]).unwrap();
    // VIKOR: the constant column adds nothing; S, R as without it (weights not renormalised)
    let v = Vikor::new(&m, &w, 0.5).unwrap();
    let v2 = Vikor::new(&without, &Weights::new(vec![0.4, 0.6]).unwrap(), 0.5).unwrap();
    assert_eq!(v.ranking().order(), v2.ranking().order());
    // TOPSIS: the same closeness as without the column
    let t = Topsis::new(&m, &w, TopsisNormalisation::MinMax).unwrap();
    let t2 = Topsis::new(&without, &w2, TopsisNormalisation::MinMax).unwrap();
    assert_eq!(t.ranking().order(), t2.ranking().order());
    let g = GreyRelational::new(&m, &GreyOptions::new()).unwrap();
    assert!(g.coefficients().iter().all(|row| row[1] == 1.0));
}

#[test]
fn data_that_does_not_discriminate_is_an_error() {
    let flat = matrix(&[vec![2.0, 5.0], vec![2.0, 5.0], vec![2.0, 5.0]], &[B, C]).unwrap();
    let w = Weights::uniform(2).unwrap();
    let err = |r: service_quality::Result<()>| mcdm(r.unwrap_err());
    assert!(matches!(
        err(
            ObjectiveWeights::of(&flat, ObjectiveMethod::Critic(CriticConvention::OrientCost))
                .map(drop)
        ),
        McdmError::NoDiscrimination {
            method: McdmMethod::Critic,
            ..
        }
    ));
    assert!(matches!(
        err(Topsis::new(&flat, &w, TopsisNormalisation::Vector).map(drop)),
        McdmError::NoDiscrimination {
            method: McdmMethod::Topsis,
            ..
        }
    ));
    assert!(matches!(
        err(GreyRelational::new(&flat, &GreyOptions::new()).map(drop)),
        McdmError::NoDiscrimination {
            method: McdmMethod::GreyRelational,
            ..
        }
    ));
    assert!(matches!(
        err(RankSumRatio::new(&flat, &RsrOptions::new()).map(drop)),
        McdmError::NoDiscrimination {
            method: McdmMethod::RankSumRatio,
            ..
        }
    ));
    // 0.0 and -0.0 are the same value: a constant column
    let signed_zero = matrix(&[vec![0.0], vec![-0.0]], &[B]).unwrap();
    for ranks in [RsrRanks::Integer, RsrRanks::NonInteger] {
        let opts = RsrOptions::new().with_ranks(ranks);
        assert!(matches!(
            err(RankSumRatio::new(&signed_zero, &opts).map(drop)),
            McdmError::NoDiscrimination { .. }
        ));
    }
    // VIKOR: every Q is 0, every alternative ties (a defined value)
    let v = Vikor::new(&flat, &w, 0.5).unwrap();
    assert_eq!(v.q(), [0.0; 3]);
    assert_eq!(v.ranking().ranks(), [2.0; 3]);
}

#[test]
fn zero_and_negative_values_where_positives_are_needed() {
    let with_zero_cost = matrix(&[vec![1.0, 0.0], vec![2.0, 3.0]], &[B, C]).unwrap();
    let e = mcdm(
        ObjectiveWeights::of(
            &with_zero_cost,
            ObjectiveMethod::Entropy(EntropyConvention::ReciprocalCost),
        )
        .unwrap_err(),
    );
    assert_eq!(
        e,
        McdmError::NotPositive {
            method: McdmMethod::Entropy,
            requirement: "positive",
            alternative: "shop0".into(),
            criterion: "c1".into(),
            value: 0.0,
        }
    );
    // pymcdm's convention ignores the cost type: a zero share is 0 ln 0 = 0
    assert!(ObjectiveWeights::of(
        &with_zero_cost,
        ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost)
    )
    .is_ok());
    let negative = matrix(&[vec![-1.0, 1.0], vec![2.0, 3.0]], &[B, C]).unwrap();
    for method in [
        ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost),
        ObjectiveMethod::Entropy(EntropyConvention::PyDecision),
        ObjectiveMethod::CoefficientOfVariation,
    ] {
        assert!(matches!(
            mcdm(ObjectiveWeights::of(&negative, method).unwrap_err()),
            McdmError::NotPositive { value: -1.0, .. }
        ));
    }
    let opts = GreyOptions::new().with_normalisation(GreyNormalisation::Mean);
    assert!(matches!(
        mcdm(GreyRelational::new(&negative, &opts).unwrap_err()),
        McdmError::NotPositive {
            method: McdmMethod::GreyRelational,
            ..
        }
    ));
    let zero_column = matrix(&[vec![0.0, 1.0], vec![0.0, 3.0]], &[B, C]).unwrap();
    assert!(matches!(
        mcdm(
            Topsis::new(
                &zero_column,
                &Weights::uniform(2).unwrap(),
                TopsisNormalisation::Vector
            )
            .unwrap_err()
        ),
        McdmError::ZeroColumn {
            method: McdmMethod::Topsis,
            ..
        }
    ));
}

#[test]
fn parameters_and_weights_are_checked() {
    let m = matrix(&[vec![1.0, 2.0], vec![2.0, 1.0], vec![3.0, 3.0]], &[B, C]).unwrap();
    let w3 = Weights::uniform(3).unwrap();
    assert!(matches!(
        mcdm(Topsis::new(&m, &w3, TopsisNormalisation::Vector).unwrap_err()),
        McdmError::WeightCount {
            expected: 2,
            found: 3,
            ..
        }
    ));
    let w = Weights::uniform(2).unwrap();
    for v in [f64::NAN, -0.1, 1.1] {
        assert!(matches!(
            mcdm(Vikor::new(&m, &w, v).unwrap_err()),
            McdmError::InvalidParameter { name: "v", .. }
        ));
    }
    for rho in [f64::NAN, 0.0, -1.0, 1.5] {
        assert!(matches!(
            mcdm(GreyOptions::new().with_rho(rho).unwrap_err()),
            McdmError::InvalidParameter { name: "rho", .. }
        ));
    }
    for t in [vec![], vec![5.0, 4.0], vec![f64::NAN]] {
        assert!(RsrOptions::new().with_tiers(RsrTiers::Probits(t)).is_err());
    }
}

fn any_matrix() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<CriterionType>)> {
    (1usize..6, 1usize..4).prop_flat_map(|(m, n)| {
        let value = prop_oneof![
            awkward_f64(),
            Just(0.0),
            Just(1.0),
            0.0f64..3.0,
            -3.0f64..3.0
        ];
        (
            prop::collection::vec(prop::collection::vec(value, n), m),
            prop::collection::vec(prop_oneof![Just(B), Just(C)], n),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Whatever the values: a typed error with a message, or finite results and valid
    /// weights from every method.
    #[test]
    fn never_nan_never_panic((rows, types) in any_matrix()) {
        let Some(m) = ok_or_explained(matrix(&rows, &types), "matrix") else { return Ok(()) };
        let n = types.len();
        let w = Weights::uniform(n).unwrap();
        for method in ALL_OBJECTIVE {
            if let Some(o) = ok_or_explained(ObjectiveWeights::of(&m, method), "objective") {
                assert_accepted_weights(o.weights().as_slice(), &format!("{method:?}"));
                assert_finite(o.information(), "information");
                for rule in [CombinationRule::Multiplicative, CombinationRule::MinimumDiscrimination, CombinationRule::GameTheory, CombinationRule::Linear { alpha: 0.5 }] {
                    if let Some(c) = ok_or_explained(CombinedWeights::new(&w, o.weights(), rule), "combined") {
                        assert_accepted_weights(c.weights().as_slice(), &format!("{rule:?}"));
                    }
                }
            }
        }
        for norm in [TopsisNormalisation::Vector, TopsisNormalisation::MinMax] {
            if let Some(t) = ok_or_explained(Topsis::new(&m, &w, norm), "TOPSIS") {
                assert_finite(t.closeness(), "closeness");
                prop_assert!(t.closeness().iter().all(|c| (0.0..=1.0).contains(c)));
            }
        }
        if let Some(v) = ok_or_explained(Vikor::new(&m, &w, 0.5), "VIKOR") {
            assert_finite(v.q(), "Q");
            assert_finite(v.s(), "S");
        }
        for norm in [GreyNormalisation::MinMax, GreyNormalisation::Mean] {
            if let Some(g) = ok_or_explained(GreyRelational::new(&m, &GreyOptions::new().with_normalisation(norm)), "GRA") {
                assert_finite(g.grades(), "grades");
            }
        }
        for ranks in [RsrRanks::Integer, RsrRanks::NonInteger] {
            for f in [CumulativeFrequency::QuarterCorrection, CumulativeFrequency::Hazen, CumulativeFrequency::Weibull] {
                let opts = RsrOptions::new().with_ranks(ranks).with_frequency(f).with_tiers(RsrTiers::Five).unwrap();
                if let Some(r) = ok_or_explained(RankSumRatio::new(&m, &opts), "RSR") {
                    assert_finite(r.rsr(), "RSR");
                    assert_finite(r.fitted(), "fitted");
                    assert_finite(&[r.intercept(), r.slope()], "regression");
                    prop_assert!(r.slope() > 0.0);
                    prop_assert!(r.tiers().iter().all(|&t| t <= 4));
                }
            }
        }
    }
}
