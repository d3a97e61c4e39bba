//! Decision matrices from evaluation results: the reports of the evaluator and the node `B`
//! vectors of the batch scorer give the same matrix; the robustness table in one call; the
//! public types are `Send + Sync`.

mod common;

use common::check::assert_all_close;
use common::tol::{CLOSED_FORM, CLOSED_FORM_SCORE};
use service_quality::mcdm::{
    CombinedWeights, DecisionMatrix, GreyRelational, ObjectiveWeights, RankSumRatio, Ranking,
    RankingMethod, ReportLevel, RobustnessTable, RsrOptions, Topsis, TopsisNormalisation, Vikor,
};
use service_quality::{
    BatchOutput, BatchScorer, Error, Evaluator, GradeSet, IndicatorMemberships, IndicatorTree,
    McdmError, NodeSpec,
};

fn tree() -> IndicatorTree {
    IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Service",
            vec![
                NodeSpec::group(
                    "speed",
                    "Speed",
                    vec![
                        NodeSpec::leaf("reply", "Reply"),
                        NodeSpec::leaf("fix", "Fix"),
                    ],
                )
                .with_weights(vec![0.4, 0.6]),
                NodeSpec::group(
                    "attitude",
                    "Attitude",
                    vec![
                        NodeSpec::leaf("polite", "Polite"),
                        NodeSpec::leaf("care", "Care"),
                    ],
                )
                .with_weights(vec![0.5, 0.5]),
            ],
        )
        .with_weights(vec![0.7, 0.3]),
    )
    .expect("a valid tree")
}

/// Four merchants x four leaves x five grades of memberships (each row sums to 1).
fn memberships() -> Vec<f64> {
    let rows: [[f64; 5]; 4] = [
        [0.6, 0.3, 0.1, 0.0, 0.0],
        [0.1, 0.2, 0.4, 0.2, 0.1],
        [0.0, 0.1, 0.2, 0.3, 0.4],
        [0.3, 0.3, 0.2, 0.1, 0.1],
    ];
    (0..4)
        .flat_map(|i| (0..4).flat_map(move |l| rows[(i + l) % 4]))
        .collect()
}

#[test]
fn batch_node_b_and_reports_give_the_same_matrix() {
    let tree = tree();
    let grades = GradeSet::satisfaction_5();
    let evaluator = Evaluator::new(&tree, grades.clone());
    let scorer = BatchScorer::new(&evaluator).expect("scorer");
    let r = memberships();
    let (merchants, leaves, g) = (4, scorer.n_leaves(), scorer.n_grades());
    let mut scores = vec![0.0; merchants];
    let mut grade_of = vec![0u32; merchants];
    let mut node_b = vec![0.0; merchants * scorer.n_nodes() * g];
    let out = BatchOutput::new(&mut scores, &mut grade_of)
        .expect("buffers")
        .with_node_b(&mut node_b);
    assert!(scorer
        .score_memberships(&r, out)
        .expect("scored")
        .is_complete());

    let names: Vec<String> = (0..merchants).map(|i| format!("m{i}")).collect();
    let dimensions: Vec<(usize, String)> = tree
        .root()
        .children()
        .map(|n| (n.index(), n.id().to_owned()))
        .collect();
    let from_batch = DecisionMatrix::from_node_b(
        names.clone(),
        &node_b,
        scorer.n_nodes(),
        &grades.values(),
        &dimensions,
    )
    .expect("matrix from node B");

    let reports = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut data = IndicatorMemberships::new(&grades);
            for (l, id) in scorer.leaf_ids().iter().enumerate() {
                let at = (i * leaves + l) * g;
                data.insert(id, r[at..at + g].to_vec(), 10, 0)?;
            }
            evaluator.report(name, &data)
        })
        .collect::<Result<Vec<_>, Error>>()
        .expect("reports");
    let from_reports =
        DecisionMatrix::from_reports(&reports, ReportLevel::Dimensions).expect("matrix");
    assert_eq!(from_batch.criteria(), from_reports.criteria());
    for j in 0..from_batch.n_criteria() {
        let a: Vec<f64> = from_batch.column(j).collect();
        let b: Vec<f64> = from_reports.column(j).collect();
        assert_all_close(&a, &b, CLOSED_FORM_SCORE, "dimension scores");
    }
    let overall: Vec<f64> = reports.iter().map(|r| r.overall().score()).collect();
    assert_all_close(&scores, &overall, CLOSED_FORM_SCORE, "overall scores");

    // indicators: every leaf a criterion
    let by_leaf = DecisionMatrix::from_reports(&reports, ReportLevel::Indicators).expect("leaves");
    assert_eq!(by_leaf.n_criteria(), 4);

    // with M(·,+) everywhere the overall score is the AHP-weighted sum of dimension scores, so
    // the fuzzy ranking and a weighted-sum reading of the matrix agree exactly
    let weights = tree.root().child_weights().expect("group").clone();
    let table = RobustnessTable::compare_with_fuzzy(
        &reports,
        ReportLevel::Dimensions,
        &weights,
        &[RankingMethod::Topsis(TopsisNormalisation::MinMax)],
    )
    .expect("table");
    let weighted_sum: Vec<f64> = (0..merchants)
        .map(|i| {
            from_reports
                .row(i)
                .expect("row")
                .iter()
                .zip(weights.as_slice())
                .map(|(x, w)| x * w)
                .sum()
        })
        .collect();
    assert_all_close(
        &table.methods()[0].scores,
        &weighted_sum,
        CLOSED_FORM_SCORE,
        "FCE",
    );
    assert_eq!(table.methods().len(), 2);
    let twice = [
        RankingMethod::Vikor { v: 0.5 },
        RankingMethod::Vikor { v: 0.3 },
    ];
    assert!(matches!(
        RobustnessTable::compare_with_fuzzy(&reports, ReportLevel::Dimensions, &weights, &twice),
        Err(Error::Mcdm(McdmError::DuplicateName { what: "method", .. }))
    ));
    assert!(table.spearman(0, 1).is_some());
    assert_all_close(
        &[table.spearman(0, 0).expect("diagonal")],
        &[1.0],
        CLOSED_FORM,
        "diagonal",
    );
}

#[test]
fn reports_missing_a_criterion_are_named() {
    let tree = tree();
    let grades = GradeSet::satisfaction_5();
    let evaluator = Evaluator::new(&tree, grades.clone());
    let full = |name: &str| {
        let mut data = IndicatorMemberships::new(&grades);
        for id in ["reply", "fix", "polite", "care"] {
            data.insert(id, vec![0.2; 5], 5, 0).expect("insert");
        }
        evaluator.report(name, &data).expect("report")
    };
    let a = full("a");
    let b = full("b");
    // the same merchant twice
    assert!(matches!(
        DecisionMatrix::from_reports(&[a.clone(), a.clone()], ReportLevel::Dimensions),
        Err(Error::Mcdm(McdmError::DuplicateName { .. }))
    ));
    // one report only
    assert!(matches!(
        DecisionMatrix::from_reports(std::slice::from_ref(&b), ReportLevel::Dimensions),
        Err(Error::Mcdm(McdmError::TooFewAlternatives { found: 1 }))
    ));
    // reports of another tree lack the first one's dimensions
    let other = IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Other",
            vec![NodeSpec::leaf("x", "X"), NodeSpec::leaf("y", "Y")],
        )
        .with_weights(vec![0.5, 0.5]),
    )
    .expect("tree");
    let mut data = IndicatorMemberships::new(&grades);
    data.insert("x", vec![0.2; 5], 5, 0).expect("insert");
    data.insert("y", vec![0.2; 5], 5, 0).expect("insert");
    let c = Evaluator::new(&other, grades.clone())
        .report("c", &data)
        .expect("report");
    match DecisionMatrix::from_reports(&[a, c], ReportLevel::Dimensions) {
        Err(Error::Mcdm(McdmError::MissingCriterion {
            merchant,
            criterion,
        })) => assert_eq!((merchant.as_str(), criterion.as_str()), ("c", "speed")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn public_types_are_send_sync() {
    fn assert_impl<T: Send + Sync + Clone + std::fmt::Debug + 'static>() {}
    assert_impl::<DecisionMatrix>();
    assert_impl::<ObjectiveWeights>();
    assert_impl::<CombinedWeights>();
    assert_impl::<Topsis>();
    assert_impl::<Vikor>();
    assert_impl::<GreyRelational>();
    assert_impl::<RankSumRatio>();
    assert_impl::<RsrOptions>();
    assert_impl::<Ranking>();
    assert_impl::<RobustnessTable>();
    assert_impl::<McdmError>();
}
