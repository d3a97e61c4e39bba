//! Bad input to the expert-panel features: each case is a typed error.

use service_quality::group::{aggregate_judgements, aggregate_priorities};
use service_quality::{AhpError, ArgumentError, HierarchyError, PanelError, WeightsError};
use service_quality::{
    AipMean, CompletionMethod, Error, ExpertWeights, FuzzyPairwiseMatrix, GroupTree,
    IncompleteMatrix, Judgements, NodeSpec, PairwiseMatrix, Panel, PanelOptions,
    TriangularFuzzyNumber, Weights,
};

fn m3() -> PairwiseMatrix {
    PairwiseMatrix::from_upper_triangle(3, &[2.0, 4.0, 2.0]).unwrap()
}

fn m4() -> PairwiseMatrix {
    PairwiseMatrix::from_upper_triangle(4, &[2.0, 4.0, 8.0, 2.0, 4.0, 2.0]).unwrap()
}

#[test]
fn experts_matrices_of_different_sizes() {
    let eq = ExpertWeights::equal(3).unwrap();
    assert_eq!(
        aggregate_judgements(&[m3(), m3(), m4()], &eq),
        Err(Error::Panel(PanelError::ExpertSizeMismatch {
            expert: 2,
            expected: 3,
            found: 4
        }))
    );
    assert_eq!(
        Panel::new(vec![m4(), m3()]),
        Err(Error::Panel(PanelError::ExpertSizeMismatch {
            expert: 1,
            expected: 4,
            found: 3
        }))
    );
    let w3 = Weights::uniform(3).unwrap();
    let w4 = Weights::uniform(4).unwrap();
    assert!(matches!(
        aggregate_priorities(
            &[w3, w4],
            &ExpertWeights::equal(2).unwrap(),
            AipMean::Geometric
        ),
        Err(Error::Panel(PanelError::ExpertSizeMismatch {
            expert: 1,
            ..
        }))
    ));
}

#[test]
fn expert_weights_negative_nan_or_zero_sum() {
    assert_eq!(
        ExpertWeights::new(&[1.0, -0.5]),
        Err(Error::Weights(WeightsError::InvalidWeight {
            index: 1,
            value: -0.5
        }))
    );
    assert!(matches!(
        ExpertWeights::new(&[f64::NAN, 1.0]),
        Err(Error::Weights(WeightsError::InvalidWeight { index: 0, .. }))
    ));
    assert_eq!(
        ExpertWeights::new(&[0.0, 0.0, 0.0]),
        Err(Error::Weights(WeightsError::WeightSum {
            sum: 0.0,
            tol: service_quality::WEIGHT_SUM_TOL
        }))
    );
    assert!(matches!(
        ExpertWeights::new(&[]),
        Err(Error::Argument(ArgumentError::Empty { .. }))
    ));
    assert_eq!(
        Panel::with_expert_weights(vec![m3(), m3()], ExpertWeights::equal(3).unwrap()),
        Err(Error::Panel(PanelError::ExpertCountMismatch {
            expected: 2,
            found: 3
        }))
    );
    // a panel whose included experts all weigh 0
    let bad = PairwiseMatrix::from_upper_triangle(3, &[9.0, 1.0 / 9.0, 9.0]).unwrap();
    let panel =
        Panel::with_expert_weights(vec![m3(), bad], ExpertWeights::new(&[0.0, 1.0]).unwrap())
            .unwrap();
    let opts = PanelOptions::new().with_exclude_above_cr(0.1).unwrap();
    assert!(matches!(
        panel.evaluate(&opts),
        Err(Error::Weights(WeightsError::WeightSum { .. }))
    ));
}

#[test]
fn judgement_pairs_out_of_range() {
    assert_eq!(
        IncompleteMatrix::from_judgements(3, &[(0, 1, 2.0), (2, 5, 3.0)]),
        Err(Error::Ahp(AhpError::JudgementOutOfRange {
            i: 2,
            j: 5,
            n: 3
        }))
    );
    assert!(matches!(
        IncompleteMatrix::from_judgements(3, &[(1, 1, 2.0)]),
        Err(Error::Ahp(AhpError::SelfJudgement { index: 1, .. }))
    ));
    assert!(matches!(
        IncompleteMatrix::from_judgements(3, &[(0, 1, -2.0)]),
        Err(Error::Ahp(AhpError::InvalidEntry { row: 0, col: 1, .. }))
    ));
    assert!(matches!(
        IncompleteMatrix::from_upper_triangle(3, &[Some(2.0)]),
        Err(Error::Argument(ArgumentError::LengthMismatch { .. }))
    ));
}

#[test]
fn disconnected_comparison_graph() {
    let m = IncompleteMatrix::from_judgements(5, &[(0, 1, 2.0), (1, 3, 2.0), (2, 4, 3.0)]).unwrap();
    for method in [
        CompletionMethod::Harker,
        CompletionMethod::LogLeastSquares,
        CompletionMethod::Optimal,
    ] {
        assert_eq!(
            m.complete(method),
            Err(Error::Ahp(AhpError::DisconnectedComparisons {
                groups: vec![vec![0, 1, 3], vec![2, 4]]
            }))
        );
    }
    // a criterion never compared is a group of its own
    let lonely = IncompleteMatrix::from_judgements(3, &[(0, 1, 2.0)]).unwrap();
    assert_eq!(lonely.components(), vec![vec![0, 1], vec![2]]);
}

#[test]
fn fuzzy_number_with_l_above_m() {
    assert_eq!(
        TriangularFuzzyNumber::new(3.0, 2.0, 4.0),
        Err(Error::Ahp(AhpError::InvalidFuzzyNumber {
            l: 3.0,
            m: 2.0,
            u: 4.0
        }))
    );
    assert!(TriangularFuzzyNumber::new(1.0, 3.0, 2.0).is_err());
    assert!(TriangularFuzzyNumber::new(0.0, 1.0, 2.0).is_err());
    assert!(matches!(
        FuzzyPairwiseMatrix::from_saaty_upper(3, &[2.0, 11.0, 1.0]),
        Err(Error::Ahp(AhpError::NotOnFuzzyScale { value })) if value > 10.0
    ));
    assert!(matches!(
        FuzzyPairwiseMatrix::from_saaty_upper(3, &[2.0]),
        Err(Error::Argument(ArgumentError::LengthMismatch { .. }))
    ));
}

fn expert_tree(judgements: Judgements) -> NodeSpec {
    NodeSpec::group(
        "goal",
        "Goal",
        vec![
            NodeSpec::leaf("a", "A"),
            NodeSpec::leaf("b", "B"),
            NodeSpec::leaf("c", "C"),
        ],
    )
    .with_judgements(judgements)
}

#[test]
fn group_tree_errors_name_the_expert_and_node() {
    let good = expert_tree(Judgements::Upper(vec![2.0, 4.0, 2.0]));
    // expert 1 compares a with a child that does not exist
    let unknown = expert_tree(Judgements::Pairs(vec![("a".into(), "z".into(), 2.0)]));
    let err = GroupTree::from_experts(vec![good.clone(), unknown], None, &PanelOptions::new())
        .unwrap_err();
    match err {
        Error::AtExpert { expert: 1, source } => match *source {
            Error::AtNode { path, source } => {
                assert_eq!(path, "goal");
                assert_eq!(
                    *source,
                    Error::Hierarchy(HierarchyError::UnknownId { id: "z".into() })
                );
            }
            other => panic!("unexpected {other:?}"),
        },
        other => panic!("unexpected {other:?}"),
    }
    // expert 2's pairs leave c unlinked
    let disconnected = expert_tree(Judgements::Pairs(vec![("a".into(), "b".into(), 2.0)]));
    let err = GroupTree::from_experts(
        vec![good.clone(), good.clone(), disconnected],
        None,
        &PanelOptions::new(),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        Error::AtExpert { expert: 2, ref source }
            if matches!(**source, Error::AtNode { ref source, .. }
                if matches!(**source, Error::Ahp(AhpError::DisconnectedComparisons { .. })))
    ));
    // wrong number of weights
    assert!(matches!(
        GroupTree::from_experts(
            vec![good.clone(), good],
            Some(ExpertWeights::equal(3).unwrap()),
            &PanelOptions::new()
        ),
        Err(Error::Panel(PanelError::ExpertCountMismatch { .. }))
    ));
    assert!(matches!(
        GroupTree::from_experts(vec![], None, &PanelOptions::new()),
        Err(Error::Argument(ArgumentError::Empty { .. }))
    ));
}

#[test]
fn public_types_are_send_sync() {
    fn assert_impl<T: Send + Sync + Clone + std::fmt::Debug>() {}
    assert_impl::<ExpertWeights>();
    assert_impl::<Panel>();
    assert_impl::<service_quality::PanelResult>();
    assert_impl::<GroupTree>();
    assert_impl::<IncompleteMatrix>();
    assert_impl::<service_quality::ahp::Completion>();
    assert_impl::<service_quality::Repair>();
    assert_impl::<TriangularFuzzyNumber>();
    assert_impl::<FuzzyPairwiseMatrix>();
    assert_impl::<service_quality::fuzzy_ahp::FuzzyPriorities>();
    assert_impl::<service_quality::group::AhpConsensus>();
    assert_impl::<Error>();
}
