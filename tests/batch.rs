//! The batch scorer gives the single-merchant evaluation's answers, merchant by merchant.

mod common;

use common::check::assert_close;
use common::tol::CLOSED_FORM;
use proptest::prelude::*;
use service_quality::batch::{BatchScores, BatchSummary, MISSING_ANSWER};
use service_quality::{
    template, BatchOutput, BatchScorer, Error, Evaluator, FuzzyOperator, Grade, GradeSet,
    IndicatorMemberships, IndicatorTree, NodeSpec, Survey, SurveyAnswers, Unanswered,
};
use service_quality::{ArgumentError, BatchError, EvaluationError, InputError};

const OPERATORS: [FuzzyOperator; 4] = [
    FuzzyOperator::WeightedAverage,
    FuzzyOperator::ZadehMaxMin,
    FuzzyOperator::ProductMax,
    FuzzyOperator::BoundedSum,
];

fn trees() -> Vec<IndicatorTree> {
    let deep = NodeSpec::group(
        "goal",
        "Goal",
        vec![
            NodeSpec::group(
                "a",
                "A",
                vec![
                    NodeSpec::group(
                        "a1",
                        "A1",
                        vec![NodeSpec::leaf("x", "X"), NodeSpec::leaf("y", "Y")],
                    )
                    .with_weights(vec![0.3, 0.7]),
                    NodeSpec::leaf("z", "Z"),
                ],
            )
            .with_raw_weights(vec![2.0, 1.0]),
            NodeSpec::leaf("w", "W"),
        ],
    )
    .with_weights(vec![0.55, 0.45]);
    #[cfg_attr(not(feature = "serde"), allow(unused_mut))]
    let mut trees = vec![
        IndicatorTree::new(template::after_sales()).unwrap(),
        IndicatorTree::new(deep).unwrap(),
    ];
    // the bundled model: AHP weights from pairwise judgements
    #[cfg(feature = "serde")]
    trees.push(
        serde_json::from_str(include_str!("../examples/data/after_sales_model.json")).unwrap(),
    );
    trees
}

fn three_grades() -> GradeSet {
    GradeSet::new(vec![
        Grade::new("good", 90.0),
        Grade::new("fair", 70.0),
        Grade::new("poor", 40.0),
    ])
    .unwrap()
}

/// The single path's input for one merchant's counts.
fn single_data(
    ids: &[String],
    grades: &GradeSet,
    counts: &[u32],
    missing: &[usize],
) -> IndicatorMemberships {
    let m = grades.len();
    let mut data = IndicatorMemberships::new(grades);
    for (l, id) in ids.iter().enumerate() {
        let row = &counts[l * m..(l + 1) * m];
        let t: u64 = row.iter().map(|&c| u64::from(c)).sum();
        if t == 0 {
            data.insert_unobserved(id.clone(), missing[l]).unwrap();
        } else {
            let r = row.iter().map(|&c| f64::from(c) / t as f64).collect();
            data.insert(id.clone(), r, t as usize, missing[l]).unwrap();
        }
    }
    data
}

/// Compares merchant `i` of a batch run with the single evaluation of its data.
fn check_merchant(
    eval: &Evaluator,
    data: &IndicatorMemberships,
    batch: &BatchScores,
    node_b: Option<&[f64]>,
    i: usize,
) {
    let tree = eval.tree();
    let m = eval.grades().len();
    let failure = batch.failures.iter().find(|f| f.merchant == i);
    match eval.evaluate(data) {
        Ok(single) => {
            assert!(
                failure.is_none(),
                "merchant {i}: batch failed with {failure:?}"
            );
            let root = single.root().result();
            let scale = eval.grades().max_value().abs().max(1.0);
            assert!(
                (root.score() - batch.scores[i]).abs() <= CLOSED_FORM * scale,
                "merchant {i}: score {} vs {}",
                batch.scores[i],
                root.score()
            );
            assert_eq!(
                batch.grades[i] as usize,
                root.grade(),
                "merchant {i}: grade"
            );
            if let Some(nb) = node_b {
                let block = &nb[i * tree.len() * m..(i + 1) * tree.len() * m];
                for node in tree.nodes() {
                    let got = &block[node.index() * m..(node.index() + 1) * m];
                    match single.node(node.id()) {
                        Some(ne) => {
                            for (a, b) in got.iter().zip(ne.result().normalized()) {
                                assert!(
                                    (a - b).abs() <= CLOSED_FORM,
                                    "merchant {i} node {}",
                                    node.id()
                                );
                            }
                        }
                        None => {
                            assert!(got.iter().all(|x| *x == 0.0), "excluded node {}", node.id())
                        }
                    }
                }
            }
        }
        Err(e) => {
            let failure = failure
                .unwrap_or_else(|| panic!("merchant {i}: single failed with {e}, batch did not"));
            assert_eq!(failure.error, e, "merchant {i}");
        }
    }
}

fn counts_strategy(max_merchants: usize, block: usize) -> impl Strategy<Value = Vec<u32>> {
    (1..=max_merchants).prop_flat_map(move |n| {
        prop::collection::vec(
            prop_oneof![
                4 => 0u32..4,
                1 => Just(0u32),
                1 => 0u32..200,
                // past what a byte, a word hold; near u32::MAX (totals past it)
                1 => 0u32..100_000,
                1 => (u32::MAX - 10)..=u32::MAX,
            ],
            n * block,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every operator (one per level), both policies, counts of three widths, f64
    /// memberships, with and without node B: batch[k] == single(k).
    #[test]
    fn batch_equals_single(
        tree_index in 0usize..8,
        ops in prop::collection::vec(0usize..4, 4),
        exclude in any::<bool>(),
        five in any::<bool>(),
        seed_counts in counts_strategy(12, 13 * 5),
    ) {
        let trees = trees();
        let tree = &trees[tree_index % trees.len()];
        let grades = if five { GradeSet::satisfaction_5() } else { three_grades() };
        let m = grades.len();
        let mut eval = Evaluator::new(tree, grades)
            .unanswered(if exclude { Unanswered::Exclude } else { Unanswered::Reject });
        for (depth, &op) in ops.iter().enumerate() {
            eval = eval.level_operator(depth, OPERATORS[op]);
        }
        let scorer = BatchScorer::new(&eval).unwrap();
        let k = scorer.n_leaves();
        let block = k * m;
        let n = seed_counts.len() / (13 * 5);
        let counts: Vec<u32> = seed_counts[..n * block].to_vec();
        let ids = scorer.leaf_ids().to_vec();
        let missing = vec![0usize; k];

        // u32 counts, with node B
        let (with_b, node_b) = scored_with_node_b(&scorer, (n, m), |out| scorer.score_counts(&counts, out));
        // u8 / u16 / u32 counts, scores only (the lane kernels where they apply)
        let small: Vec<u8> = counts.iter().map(|&c| c.min(255) as u8).collect();
        let small32: Vec<u32> = small.iter().map(|&c| u32::from(c)).collect();
        let words: Vec<u16> = counts.iter().map(|&c| c.min(65_535) as u16).collect();
        let words32: Vec<u32> = words.iter().map(|&c| u32::from(c)).collect();
        let by_u8 = scorer.score_counts_vec(&small).unwrap();
        let by_u16 = scorer.score_counts_vec(&words).unwrap();
        let by_u32 = scorer.score_counts_vec(&counts).unwrap();
        // u8 counts with node B (the lane walk where the CPU has AVX2)
        let (with_b8, node_b8) = scored_with_node_b(&scorer, (n, m), |out| scorer.score_counts(&small, out));
        for i in 0..n {
            let at = |v: &[u32]| v[i * block..(i + 1) * block].to_vec();
            let data = single_data(&ids, eval.grades(), &at(&counts), &missing);
            check_merchant(&eval, &data, &with_b, Some(&node_b), i);
            check_merchant(&eval, &data, &by_u32, None, i);
            let data8 = single_data(&ids, eval.grades(), &at(&small32), &missing);
            check_merchant(&eval, &data8, &by_u8, None, i);
            check_merchant(&eval, &data8, &with_b8, Some(&node_b8), i);
            let data16 = single_data(&ids, eval.grades(), &at(&words32), &missing);
            check_merchant(&eval, &data16, &by_u16, None, i);
        }

        // f64 memberships: rows of counts / total; an all-zero row is invalid data
        let mut f = vec![0.0; n * block];
        for (row_out, row) in f.chunks_exact_mut(m).zip(counts.chunks_exact(m)) {
            let t: u64 = row.iter().map(|&c| u64::from(c)).sum();
            for (o, &c) in row_out.iter_mut().zip(row) {
                *o = if t == 0 { 0.0 } else { f64::from(c) / t as f64 };
            }
        }
        // and the same with every third row halved (not normalised: the exact path), so that
        // merchants of both kinds share a run of the fast kernels
        let halved: Vec<f64> = f
            .iter()
            .enumerate()
            .map(|(j, &v)| if (j / m) % 3 == 1 { v * 0.5 } else { v })
            .collect();
        for f in [&f, &halved] {
            let by_f64 = scorer.score_memberships_vec(f).unwrap();
            for i in 0..n {
                let mut data = IndicatorMemberships::new(eval.grades());
                for (l, id) in ids.iter().enumerate() {
                    data.insert(id.clone(), f[(i * k + l) * m..(i * k + l + 1) * m].to_vec(), 1, 0).unwrap();
                }
                check_merchant(&eval, &data, &by_f64, None, i);
            }
        }
    }

    /// Raw survey answers (respondent rows, some missing, some merchants without any
    /// respondent) against the single path's `Survey`.
    #[test]
    fn answers_equal_single(
        ops in prop::collection::vec(0usize..4, 3),
        exclude in any::<bool>(),
        respondents in prop::collection::vec(0usize..6, 1..10),
        codes in prop::collection::vec(prop_oneof![6 => 0u8..5, 1 => Just(MISSING_ANSWER)], 13 * 60),
    ) {
        let tree = IndicatorTree::new(template::after_sales()).unwrap();
        let mut eval = Evaluator::new(&tree, GradeSet::satisfaction_5())
            .unanswered(if exclude { Unanswered::Exclude } else { Unanswered::Reject });
        for (depth, &op) in ops.iter().enumerate() {
            eval = eval.level_operator(depth, OPERATORS[op]);
        }
        let scorer = BatchScorer::new(&eval).unwrap();
        let k = scorer.n_leaves();
        let ids = scorer.leaf_ids().to_vec();
        let mut offsets = vec![0usize];
        for &r in &respondents {
            offsets.push(offsets.last().unwrap() + r);
        }
        let rows = *offsets.last().unwrap();
        let answers = &codes[..rows * k];
        let batch = scorer
            .score_answers_vec(&SurveyAnswers::new(answers, k, &offsets).unwrap())
            .unwrap();
        for i in 0..respondents.len() {
            let mut survey = Survey::new(ids.clone(), GradeSet::satisfaction_5()).unwrap();
            for row in answers[offsets[i] * k..offsets[i + 1] * k].chunks_exact(k) {
                let a: Vec<Option<usize>> = row
                    .iter()
                    .map(|&c| (c != MISSING_ANSWER).then_some(usize::from(c)))
                    .collect();
                survey.add_response("m", &a).unwrap();
            }
            let data = match survey.memberships("m") {
                Ok(d) => d,
                Err(_) => {
                    // no respondent at all: every indicator unanswered
                    let mut d = IndicatorMemberships::new(&GradeSet::satisfaction_5());
                    for id in &ids {
                        d.insert_unobserved(id.clone(), 0).unwrap();
                    }
                    d
                }
            };
            check_merchant(&eval, &data, &batch, None, i);
        }
    }
}

#[test]
fn bad_input_is_reported_per_merchant() {
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    let eval = Evaluator::new(&tree, GradeSet::satisfaction_5());
    let scorer = BatchScorer::new(&eval).unwrap();
    let block = 13 * 5;
    let mut f = vec![0.2; 3 * block];
    f[block + 7] = f64::NAN; // merchant 1, leaf 1, grade 2
    let out = scorer.score_memberships_vec(&f).unwrap();
    assert_eq!(out.failures.len(), 1);
    assert_eq!(out.failures[0].merchant, 1);
    assert!(matches!(
        out.failures[0].error,
        Error::Evaluation(EvaluationError::InvalidMembership { row: 1, col: 2, value }) if value.is_nan()
    ));
    assert_close(out.scores[0], 75.0, CLOSED_FORM, "merchant 0");
    assert_close(out.scores[2], 75.0, CLOSED_FORM, "merchant 2");
    assert!(out.scores.iter().all(|s| s.is_finite()));

    // batch-level errors write nothing
    let mut scores = [-1.0; 3];
    let mut grades = [7u32; 3];
    assert_eq!(
        scorer.score_memberships(
            &f[..block * 2 + 1],
            BatchOutput::new(&mut scores, &mut grades).unwrap()
        ),
        Err(Error::Batch(BatchError::BatchLength {
            what: "memberships",
            len: block * 2 + 1,
            unit: block
        }))
    );
    assert!(matches!(
        scorer.score_memberships(
            &f[..block * 2],
            BatchOutput::new(&mut scores, &mut grades).unwrap()
        ),
        Err(Error::Argument(ArgumentError::LengthMismatch {
            expected: 2,
            found: 3,
            ..
        }))
    ));
    let mut short_b = [0.0; 5];
    assert!(matches!(
        scorer.score_memberships(
            &f,
            BatchOutput::new(&mut scores, &mut grades)
                .unwrap()
                .with_node_b(&mut short_b)
        ),
        Err(Error::Argument(ArgumentError::LengthMismatch {
            found: 5,
            ..
        }))
    ));
    assert!(
        scores.iter().all(|s| s.to_bits() == (-1.0f64).to_bits()),
        "untouched"
    );
    assert_eq!(grades, [7; 3]);

    // a grade index beyond the grade set in raw answers, merchant 1 of 2
    let mut answers = vec![0u8; 2 * 13];
    answers[13 + 4] = 5;
    let out = scorer
        .score_answers_vec(&SurveyAnswers::new(&answers, 13, &[0, 1, 2]).unwrap())
        .unwrap();
    assert_eq!(out.failures.len(), 1);
    assert_eq!(out.failures[0].merchant, 1);
    assert_eq!(
        out.failures[0].error,
        Error::Input(InputError::GradeIndexOutOfRange {
            indicator: "proactiveness".into(),
            index: 5,
            grades: 5
        })
    );
    // the same with several respondents per merchant (the vectorised tally): a bad code in a
    // middle row of merchant 0, in the last row of merchant 2, merchant 1 clean
    let mut many = vec![1u8; 3 * 6 * 13];
    many[2 * 13 + 7] = 9;
    many[(3 * 6 - 1) * 13 + 12] = 200;
    let out = scorer
        .score_answers_vec(&SurveyAnswers::new(&many, 13, &[0, 6, 12, 18]).unwrap())
        .unwrap();
    let bad: Vec<usize> = out.failures.iter().map(|f| f.merchant).collect();
    assert_eq!(bad, [0, 2]);
    assert!(out.failures.iter().all(|f| matches!(
        f.error,
        Error::Input(InputError::GradeIndexOutOfRange { grades: 5, .. })
    )));
    // every answer of merchant 1 is grade 1: its score is that grade's value
    let value = GradeSet::satisfaction_5().values()[1];
    assert_close(out.scores[1], value, CLOSED_FORM, "merchant 1");
    assert!(matches!(
        scorer.score_answers_vec(&SurveyAnswers::new(&answers, 2, &[0, 13]).unwrap()),
        Err(Error::Argument(ArgumentError::LengthMismatch {
            expected: 13,
            found: 2,
            ..
        }))
    ));

    // all-zero counts for a leaf: the single path's error, with the merchant's index
    let mut counts = vec![1u8; 2 * block];
    for c in &mut counts[block + 5..block + 10] {
        *c = 0;
    }
    let out = scorer.score_counts_vec(&counts).unwrap();
    assert_eq!(out.failures[0].merchant, 1);
    assert_eq!(
        out.failures[0].error,
        Error::AtNode {
            path: "speed.resolution_time".into(),
            source: Box::new(Error::Evaluation(EvaluationError::NoAnswers {
                id: "resolution_time".into(),
                missing: 0
            }))
        }
    );
}

#[cfg(feature = "parallel")]
#[test]
fn parallel_is_bit_identical() {
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    let eval = Evaluator::new(&tree, GradeSet::satisfaction_5())
        .level_operator(1, FuzzyOperator::ZadehMaxMin);
    let serial = BatchScorer::new(&eval).unwrap();
    let parallel = serial.clone().parallel(true);
    let n: usize = 10_000;
    let mut counts: Vec<u16> = (0..n * 65).map(|i| ((i * 7919) % 13) as u16).collect();
    // every 97th merchant has no answer on its fourth indicator
    for i in (0..n).step_by(97) {
        counts[i * 65 + 15..i * 65 + 20].fill(0);
    }
    let a = serial.score_counts_vec(&counts).unwrap();
    let b = parallel.score_counts_vec(&counts).unwrap();
    assert_eq!(
        a.scores.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        b.scores.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );
    assert_eq!(a.grades, b.grades);
    assert_eq!(a.failures, b.failures);
    assert!(!a.failures.is_empty(), "the data has unanswered leaves");

    // f64 memberships with every node's B: the lane walk in both runs
    let m = 5;
    let nb = serial.n_nodes() * m;
    let mut f: Vec<f64> = (0..n * 65).map(|i| ((i * 31) % 7) as f64 + 0.5).collect();
    for row in f.chunks_exact_mut(m) {
        let t: f64 = row.iter().sum();
        row.iter_mut().for_each(|x| *x /= t);
    }
    let run = |scorer: &BatchScorer| {
        let (mut s, mut g, mut b) = (vec![0.0; n], vec![0u32; n], vec![0.0; n * nb]);
        let out = BatchOutput::new(&mut s, &mut g)
            .unwrap()
            .with_node_b(&mut b);
        let summary = scorer.score_memberships(&f, out).unwrap();
        assert!(summary.failures().is_empty());
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        (bits(&s), g, bits(&b))
    };
    assert!(run(&serial) == run(&parallel), "node B runs differ");
}

/// More than 255 respondents: the byte-lane counters are flushed in chunks.
#[test]
fn many_respondents_are_tallied_exactly() {
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    for op in [FuzzyOperator::WeightedAverage, FuzzyOperator::ZadehMaxMin] {
        let eval = Evaluator::new(&tree, GradeSet::satisfaction_5()).operator(op);
        let scorer = BatchScorer::new(&eval).unwrap();
        let k = scorer.n_leaves();
        let respondents = [600usize, 255, 256, 30];
        let mut offsets = vec![0];
        let mut codes = Vec::new();
        let mut state = 7u64;
        for &r in &respondents {
            for _ in 0..r * k {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                // mostly "very satisfied": one grade of one indicator passes 255 answers
                codes.push(match (state >> 33) % 10 {
                    0..=7 => 0,
                    8 => 3,
                    _ => MISSING_ANSWER,
                });
            }
            offsets.push(offsets.last().unwrap() + r);
        }
        let batch = scorer
            .score_answers_vec(&SurveyAnswers::new(&codes, k, &offsets).unwrap())
            .unwrap();
        for (i, &r) in respondents.iter().enumerate() {
            let mut survey =
                Survey::new(scorer.leaf_ids().to_vec(), GradeSet::satisfaction_5()).unwrap();
            for row in codes[offsets[i] * k..offsets[i + 1] * k].chunks_exact(k) {
                let a: Vec<Option<usize>> = row
                    .iter()
                    .map(|&c| (c != MISSING_ANSWER).then_some(usize::from(c)))
                    .collect();
                survey.add_response("m", &a).unwrap();
            }
            assert_eq!(survey.respondents(), r);
            check_merchant(&eval, &survey.memberships("m").unwrap(), &batch, None, i);
        }
    }
}

/// `score` run into fresh outputs for `n` merchants of `m` grades with every node's `B`: the
/// scores, grades and failures, and node `B`; the node-`B` blocks of failed merchants are
/// checked to be left as they were.
fn scored_with_node_b(
    scorer: &BatchScorer,
    (n, m): (usize, usize),
    score: impl FnOnce(BatchOutput<'_>) -> service_quality::Result<BatchSummary>,
) -> (BatchScores, Vec<f64>) {
    let sentinel = -7.0f64;
    let nb = scorer.n_nodes() * m;
    let (mut scores, mut grades) = (vec![0.0; n], vec![0u32; n]);
    let mut node_b = vec![sentinel; n * nb];
    let out = BatchOutput::new(&mut scores, &mut grades)
        .unwrap()
        .with_node_b(&mut node_b);
    let failures = score(out).unwrap().failures().to_vec();
    for f in &failures {
        let block = &node_b[f.merchant * nb..(f.merchant + 1) * nb];
        let kept = block.iter().all(|v| v.to_bits() == sentinel.to_bits());
        assert!(kept, "merchant {}: node B written", f.merchant);
    }
    let batch = BatchScores {
        scores,
        grades,
        failures,
    };
    (batch, node_b)
}

/// `len` deterministic memberships in rows of `m` that sum to 1.
fn normalised_rows(len: usize, m: usize) -> Vec<f64> {
    let mut f: Vec<f64> = (0..len)
        .map(|j| ((j * 7919 + j / m) % 11) as f64 + 1.0)
        .collect();
    for row in f.chunks_exact_mut(m) {
        let t: f64 = row.iter().sum();
        row.iter_mut().for_each(|x| *x /= t);
    }
    f
}

/// Runs longer than one 64-merchant kernel run, with merchants the fast kernels leave to the
/// exact path (a NaN, a negative value, rows not summing to 1, a zero row) scattered through
/// them: every operator, each merchant against the single path.
#[test]
fn long_runs_mix_fast_and_exact_merchants() {
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    let m = 5;
    let n = 300;
    for op in OPERATORS {
        let eval = Evaluator::new(&tree, GradeSet::satisfaction_5()).operator(op);
        let scorer = BatchScorer::new(&eval).unwrap();
        let k = scorer.n_leaves();
        let block = k * m;
        let mut f = normalised_rows(n * block, m);
        for i in (3..n).step_by(29) {
            f[i * block + 4] = f64::NAN;
        }
        for i in (5..n).step_by(31) {
            f[i * block + 12] = -0.25;
        }
        for i in (7..n).step_by(13) {
            let l = i % k;
            f[(i * k + l) * m..(i * k + l + 1) * m]
                .iter_mut()
                .for_each(|x| *x *= 0.8);
        }
        for i in (11..n).step_by(37) {
            f[(i * k + 2) * m..(i * k + 3) * m].fill(0.0);
        }
        let batch = scorer.score_memberships_vec(&f).unwrap();
        assert!(
            batch.failures.len() > 20,
            "{op:?}: bad merchants are reported"
        );
        // the same with every node's B written out
        let (with_b, node_b) =
            scored_with_node_b(&scorer, (n, m), |out| scorer.score_memberships(&f, out));
        // (compared as text: a NaN in an error is not equal to itself)
        let text = |f: &[service_quality::batch::MerchantError]| {
            f.iter()
                .map(|e| format!("{} {}", e.merchant, e.error))
                .collect::<Vec<_>>()
        };
        assert_eq!(text(&with_b.failures), text(&batch.failures), "{op:?}");
        'merchants: for i in 0..n {
            let mut data = IndicatorMemberships::new(eval.grades());
            for (l, id) in scorer.leaf_ids().iter().enumerate() {
                let row = f[(i * k + l) * m..(i * k + l + 1) * m].to_vec();
                if let Err(Error::Evaluation(EvaluationError::InvalidMembership { col, .. })) =
                    data.insert(id.clone(), row, 1, 0)
                {
                    // the single path's input cannot hold it: the batch names leaf and grade
                    let failure = batch.failures.iter().find(|e| e.merchant == i).unwrap();
                    assert!(
                        matches!(failure.error, Error::Evaluation(EvaluationError::InvalidMembership { row, col: c, .. }) if row == l && c == col),
                        "{op:?} merchant {i}: {:?}",
                        failure.error
                    );
                    continue 'merchants;
                }
            }
            check_merchant(&eval, &data, &batch, None, i);
            check_merchant(&eval, &data, &with_b, Some(&node_b), i);
        }
    }
}

/// `u8` counts over several 64-merchant runs (eight or four merchants per register where the
/// CPU has AVX-512 or AVX2), every operator, with unanswered leaves scattered through them,
/// against the single path; `u16` and `u32` counts past what a byte and a word hold, every
/// byte varying (lane kernel with AVX-512) too, with the same merchants failing; `u8` counts
/// with every node's `B` (the lane walk).
#[test]
fn u8_counts_in_long_runs() {
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    let m = 5;
    let n = 263;
    for (exclude, op) in [false, true]
        .into_iter()
        .flat_map(|e| OPERATORS.into_iter().map(move |op| (e, op)))
    {
        let eval = Evaluator::new(&tree, GradeSet::satisfaction_5())
            .operator(op)
            .unanswered(if exclude {
                Unanswered::Exclude
            } else {
                Unanswered::Reject
            });
        let scorer = BatchScorer::new(&eval).unwrap();
        let k = scorer.n_leaves();
        let block = k * m;
        let mut counts: Vec<u8> = (0..n * block)
            .map(|j| ((j * 7919 + j / 13) % 17) as u8 * 15)
            .collect();
        for i in (2..n).step_by(23) {
            let l = (i * 7) % k;
            counts[(i * k + l) * m..(i * k + l + 1) * m].fill(0);
        }
        // counts past what a byte (a word) holds, every byte of them varying; zero where the
        // u8 count is zero (the same unanswered leaves)
        let words: Vec<u16> = (counts.iter().enumerate())
            .map(|(j, &c)| u16::from(c) * 251 + (j % 97) as u16 * u16::from(c > 0))
            .collect();
        let wide: Vec<u32> = (counts.iter().enumerate())
            .map(|(j, &c)| u32::from(c) * 16_777_259 + (j % 65_521) as u32 * u32::from(c > 0))
            .collect();
        let by_u8 = scorer.score_counts_vec(&counts).unwrap();
        let by_u16 = scorer.score_counts_vec(&words).unwrap();
        let by_u32 = scorer.score_counts_vec(&wide).unwrap();
        assert_eq!(by_u8.failures, by_u32.failures);
        assert_eq!(by_u16.failures, by_u32.failures);
        assert_eq!(
            by_u8.failures.is_empty(),
            exclude,
            "unanswered leaves are errors or excluded"
        );
        // with every node's B (u8 and u16: the lane walk where the CPU has AVX2)
        let (with_b, node_b) =
            scored_with_node_b(&scorer, (n, m), |out| scorer.score_counts(&counts, out));
        let (with_b16, node_b16) =
            scored_with_node_b(&scorer, (n, m), |out| scorer.score_counts(&words, out));
        let missing = vec![0usize; k];
        let data = |row: Vec<u32>| single_data(scorer.leaf_ids(), eval.grades(), &row, &missing);
        for i in 0..n {
            let merchant = i * block..(i + 1) * block;
            let row8 = data(counts[merchant.clone()].iter().map(|&c| c.into()).collect());
            check_merchant(&eval, &row8, &by_u8, None, i);
            check_merchant(&eval, &row8, &with_b, Some(&node_b), i);
            let row16 = data(words[merchant.clone()].iter().map(|&c| c.into()).collect());
            check_merchant(&eval, &row16, &by_u16, None, i);
            check_merchant(&eval, &row16, &with_b16, Some(&node_b16), i);
            check_merchant(&eval, &data(wide[merchant].to_vec()), &by_u32, None, i);
        }
    }
}

/// A batch whose node-`B` output is too large to stay in cache (more than 8 MiB: written past
/// the cache by the lane walk) against the same merchants scored in small batches (written in
/// place): the same scores, grades, failures and node `B` bit for bit; bad merchants' blocks
/// left as they were; a sample of merchants against the single path.
#[test]
fn large_node_b_outputs_equal_small_ones() {
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    let m = 5;
    let eval = Evaluator::new(&tree, GradeSet::satisfaction_5());
    let scorer = BatchScorer::new(&eval).unwrap();
    let (k, nb) = (scorer.n_leaves(), scorer.n_nodes() * m);
    let n = 13_001;
    assert!(n * nb * 8 > 8 << 20, "large enough to be streamed");
    let block = k * m;
    let mut f = normalised_rows(n * block, m);
    for i in (5..n).step_by(997) {
        f[i * block + 3] = f64::NAN;
    }
    let sentinel = -7.0;
    let run_with = |scorer: &BatchScorer, f: &[f64]| {
        let n = f.len() / block;
        let (mut scores, mut grades) = (vec![0.0; n], vec![0u32; n]);
        let mut node_b = vec![sentinel; n * nb];
        let out = BatchOutput::new(&mut scores, &mut grades)
            .unwrap()
            .with_node_b(&mut node_b);
        let failures: Vec<usize> = scorer
            .score_memberships(f, out)
            .unwrap()
            .failures()
            .iter()
            .map(|e| e.merchant)
            .collect();
        (scores, grades, node_b, failures)
    };
    let run = |f: &[f64]| run_with(&scorer, f);
    let (scores, grades, node_b, failures) = run(&f);
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let piece = 1000;
    for start in (0..n).step_by(piece) {
        let end = n.min(start + piece);
        let (s, g, b, fl) = run(&f[start * block..end * block]);
        assert_eq!(bits(&s), bits(&scores[start..end]), "scores from {start}");
        assert_eq!(g, grades[start..end], "grades from {start}");
        assert_eq!(
            bits(&b),
            bits(&node_b[start * nb..end * nb]),
            "node B from {start}"
        );
        let in_piece: Vec<usize> = failures
            .iter()
            .filter(|&&i| (start..end).contains(&i))
            .map(|i| i - start)
            .collect();
        assert_eq!(fl, in_piece, "failures from {start}");
    }
    assert_eq!(failures, (5..n).step_by(997).collect::<Vec<_>>());
    #[cfg(feature = "parallel")]
    {
        // split across threads, streamed as well: the same bits
        let (s, g, b, fl) = run_with(&scorer.clone().parallel(true), &f);
        assert_eq!(bits(&s), bits(&scores), "parallel scores");
        assert_eq!(g, grades, "parallel grades");
        assert_eq!(bits(&b), bits(&node_b), "parallel node B");
        assert_eq!(fl, failures, "parallel failures");
    }
    for &i in &failures {
        assert!(node_b[i * nb..(i + 1) * nb]
            .iter()
            .all(|v| v.to_bits() == sentinel.to_bits()));
    }
    let batch = BatchScores {
        scores,
        grades,
        failures: vec![],
    };
    for i in (0..n).step_by(1301).filter(|i| !failures.contains(i)) {
        let mut data = IndicatorMemberships::new(eval.grades());
        for (l, id) in scorer.leaf_ids().iter().enumerate() {
            let row = f[(i * k + l) * m..(i * k + l + 1) * m].to_vec();
            data.insert(id.clone(), row, 1, 0).unwrap();
        }
        check_merchant(&eval, &data, &batch, Some(&node_b), i);
    }
}

/// Every operator, scores only and with node `B`: merchant by merchant, batch == single on
/// f64 memberships `f` (`n` merchants of the scorer's block), or the same error. Rows the
/// single path's data container refuses are expected to fail in the batch with
/// `InvalidMembership` at their leaf, grade and value.
fn f64_batch_equals_single(tree: &IndicatorTree, grades: &GradeSet, f: &[f64]) {
    let m = grades.len();
    for op in OPERATORS {
        let eval = Evaluator::new(tree, grades.clone()).operator(op);
        let scorer = BatchScorer::new(&eval).unwrap();
        let (k, ids) = (scorer.n_leaves(), scorer.leaf_ids().to_vec());
        let n = f.len() / (k * m);
        let plain = scorer.score_memberships_vec(f).unwrap();
        let (with_b, node_b) =
            scored_with_node_b(&scorer, (n, m), |out| scorer.score_memberships(f, out));
        for i in 0..n {
            let mut data = IndicatorMemberships::new(grades);
            let mut refused = None;
            for (l, id) in ids.iter().enumerate() {
                let row = &f[(i * k + l) * m..(i * k + l + 1) * m];
                if data.insert(id.clone(), row.to_vec(), 1, 0).is_err() && refused.is_none() {
                    let col = row.iter().position(|&v| !(0.0..=1.0).contains(&v)).unwrap();
                    refused = Some(Error::Evaluation(EvaluationError::InvalidMembership {
                        row: l,
                        col,
                        value: row[col],
                    }));
                }
            }
            match refused {
                Some(e) => {
                    for batch in [&plain, &with_b] {
                        let failure = batch.failures.iter().find(|x| x.merchant == i);
                        let failure = failure.unwrap_or_else(|| {
                            panic!("{op:?} merchant {i}: refused by the single path ({e}), scored")
                        });
                        assert_eq!(failure.error, e, "{op:?} merchant {i}");
                    }
                }
                None => {
                    check_merchant(&eval, &data, &plain, None, i);
                    check_merchant(&eval, &data, &with_b, Some(&node_b), i);
                }
            }
        }
    }
}

/// `n` merchants of normalised rows, with `special` as leaf `l`'s row of merchant `i` for
/// each `(i, l)` in `at`.
fn with_rows(k: usize, m: usize, n: usize, special: &[f64], at: &[(usize, usize)]) -> Vec<f64> {
    let mut f = normalised_rows(n * k * m, m);
    for &(i, l) in at {
        f[(i * k + l) * m..(i * k + l + 1) * m].copy_from_slice(special);
    }
    f
}

/// A value 2 ulps above 1 in a row that sums to 1 within the fast paths' row tolerance: the
/// single path refuses it, and so must every batch kernel (it was scored before).
#[test]
fn memberships_above_one_are_refused_like_the_single_path() {
    let above = 1.000_000_000_000_000_2;
    assert!(above > 1.0 && (above - 1.0) < 1e-14);
    for tree in trees() {
        for grades in [GradeSet::satisfaction_5(), three_grades()] {
            let m = grades.len();
            let k = tree.leaf_count();
            let mut row = vec![0.0; m];
            row[m - 1] = above;
            // merchants in whole quads and octets of the lane kernels, and after them
            let at = [(0, 0), (5, k - 1), (8, k / 2), (10, 0)];
            let f = with_rows(k, m, 11, &row, &at);
            f64_batch_equals_single(&tree, &grades, &f);
        }
    }
}

/// Rows of subnormal memberships (`[5e-324; 5]` sums to `2.5e-323`, whose reciprocal is
/// infinite): a valid row, which every path must normalise as the single path does. Before,
/// the batch failed such a merchant under `M(·,+)` with node `B`, gave the leaf a `B` of
/// infinities under max-min, and another score under the bounded sum.
#[test]
fn subnormal_rows_score_as_in_the_single_path() {
    for tree in trees() {
        for grades in [GradeSet::satisfaction_5(), three_grades()] {
            let m = grades.len();
            let k = tree.leaf_count();
            let mut uneven = vec![5e-324; m];
            uneven[1] = 3.0 * 5e-324;
            for row in [vec![5e-324; m], uneven, {
                let mut r = vec![0.0; m];
                r[0] = f64::MIN_POSITIVE / 2.0;
                r
            }] {
                let at = [(0, 0), (5, k - 1), (8, k / 2), (10, 0), (10, 1)];
                let f = with_rows(k, m, 11, &row, &at);
                f64_batch_equals_single(&tree, &grades, &f);
            }
        }
    }
}

/// One membership row drawn from the edges: normalised rows, rows summing to 1 within the
/// fast paths' tolerance, values at 1 ± 1 ulp and at ±0, subnormal rows, rows of tiny normal
/// values, NaN.
fn edge_row(m: usize) -> impl Strategy<Value = Vec<f64>> {
    let one_up = f64::from_bits(1.0f64.to_bits() + 1);
    let one_down = f64::from_bits(1.0f64.to_bits() - 1);
    (0usize..m, prop::collection::vec(0.0f64..1.0, m), 0u8..10).prop_map(move |(j, raw, kind)| {
        let sum: f64 = raw.iter().sum::<f64>().max(1e-300);
        let normalised: Vec<f64> = raw.iter().map(|v| v / sum).collect();
        let mut row = vec![0.0; m];
        match kind {
            0..=2 => return normalised,
            // a few ulps off 1 in sum
            3 => {
                let mut r = normalised;
                r[j] = f64::from_bits(r[j].to_bits().saturating_add(3));
                return r;
            }
            4 => row[j] = one_up,
            5 => row[j] = one_down,
            6 => row[j] = 1.0,
            7 => {
                // subnormal values, one of them the largest
                row = raw.iter().map(|v| v * 1e-310).collect();
            }
            8 => {
                row = normalised;
                row[j] = -0.0;
            }
            _ => row = raw.iter().map(|v| v * 1e-300).collect(),
        }
        row
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// f64 memberships from the edges of the valid range (and just past it), every operator,
    /// with and without node B: batch == single, or the same refusal.
    #[test]
    fn f64_edges_equal_single(
        tree_index in 0usize..8,
        five in any::<bool>(),
        rows in prop::collection::vec(edge_row(5), 13 * 9),
    ) {
        let trees = trees();
        let tree = &trees[tree_index % trees.len()];
        let grades = if five { GradeSet::satisfaction_5() } else { three_grades() };
        let m = grades.len();
        let k = tree.leaf_count();
        let n = rows.len() / k;
        let f: Vec<f64> = rows[..n * k].iter().flat_map(|r| r[..m].to_vec()).collect();
        f64_batch_equals_single(tree, &grades, &f);
    }
}
