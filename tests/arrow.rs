//! Scoring Arrow record batches gives what the batch scorer gives on the same counts, in every
//! layout and value type, and refuses bad columns with the column and row named.
#![cfg(feature = "arrow")]

mod common;

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt32Type};
use arrow_array::{
    Array, ArrayRef, FixedSizeListArray, Float64Array, Int64Array, RecordBatch, StringArray,
    UInt16Array, UInt32Array, UInt8Array,
};
use arrow_schema::{DataType, Field};
use proptest::prelude::*;
use service_quality::batch::{ArrowScoring, CountsLayout};
use service_quality::{
    template, ArrowError, BatchOutput, BatchScorer, Error, Evaluator, FuzzyOperator, GradeSet,
    IndicatorTree,
};

fn scorer(operator: FuzzyOperator) -> BatchScorer {
    let evaluator = Evaluator::new(
        IndicatorTree::new(template::after_sales()).unwrap(),
        GradeSet::satisfaction_5(),
    )
    .operator(operator);
    BatchScorer::new(&evaluator).unwrap()
}

fn list(values: ArrayRef, size: usize) -> ArrayRef {
    let item = Arc::new(Field::new("item", values.data_type().clone(), false));
    Arc::new(FixedSizeListArray::new(item, size as i32, values, None))
}

fn merchants(n: usize) -> ArrayRef {
    Arc::new(StringArray::from(
        (0..n).map(|i| format!("shop-{i}")).collect::<Vec<_>>(),
    ))
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).unwrap()
}

fn f64s(batch: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    batch
        .column_by_name(name)
        .unwrap()
        .as_primitive::<Float64Type>()
        .iter()
        .collect()
}

/// The batch scorer's own output on the same buffer (`score` writes it): scores and grades,
/// `None` for failed merchants, and node `B`.
type Expected = (Vec<Option<f64>>, Vec<Option<u32>>, Vec<f64>);

fn expected(
    scorer: &BatchScorer,
    n: usize,
    node_b: bool,
    score: impl FnOnce(BatchOutput<'_>) -> service_quality::Result<service_quality::BatchSummary>,
) -> Expected {
    let (mut scores, mut grades) = (vec![0.0; n], vec![0u32; n]);
    let mut b = vec![0.0; n * scorer.n_nodes() * scorer.n_grades()];
    let mut out = BatchOutput::new(&mut scores, &mut grades).unwrap();
    if node_b {
        out = out.with_node_b(&mut b);
    }
    let summary = score(out).unwrap();
    let failed: Vec<usize> = summary.failures().iter().map(|f| f.merchant).collect();
    let keep = |i: usize| !failed.contains(&i);
    (
        (0..n).map(|i| keep(i).then_some(scores[i])).collect(),
        (0..n).map(|i| keep(i).then_some(grades[i])).collect(),
        b,
    )
}

fn check_output(scorer: &BatchScorer, scored: &RecordBatch, expected: &Expected) {
    let (scores, grades, node_b) = expected;
    assert_eq!(&f64s(scored, "score"), scores);
    let got_grades: Vec<Option<u32>> = scored
        .column_by_name("grade")
        .unwrap()
        .as_primitive::<UInt32Type>()
        .iter()
        .collect();
    assert_eq!(&got_grades, grades);
    let errors = scored.column_by_name("error").unwrap().as_string::<i32>();
    for (i, score) in scores.iter().enumerate() {
        assert_eq!(
            errors.is_null(i),
            score.is_some(),
            "error column of merchant {i}"
        );
    }
    let (nodes, m) = (scorer.n_nodes(), scorer.n_grades());
    for (node, id) in scorer.node_ids().iter().enumerate() {
        let Some(column) = scored.column_by_name(&format!("b_{id}")) else {
            continue;
        };
        let lists = column.as_fixed_size_list();
        for (i, score) in scores.iter().enumerate() {
            assert_eq!(lists.is_null(i), score.is_none());
            if score.is_some() {
                let b = lists.value(i);
                let b = b.as_primitive::<Float64Type>().values();
                let at = (i * nodes + node) * m;
                assert_eq!(&b[..], &node_b[at..at + m], "B of `{id}`, merchant {i}");
            }
        }
    }
}

fn counts_strategy() -> impl Strategy<Value = (usize, Vec<u32>)> {
    // the after-sales template: 13 leaves x 5 grades; a few zero rows make some merchants fail
    (1usize..12).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(prop_oneof![3 => 0u32..40, 1 => Just(0u32)], n * 65),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_value_type_and_layout_scores_as_the_batch_scorer((n, counts) in counts_strategy(), op in 0usize..4) {
        let operator = [FuzzyOperator::WeightedAverage, FuzzyOperator::ZadehMaxMin,
            FuzzyOperator::ProductMax, FuzzyOperator::BoundedSum][op];
        let scorer = scorer(operator);
        let block = scorer.n_leaves() * scorer.n_grades();
        let as_u8: Vec<u8> = counts.iter().map(|&c| c as u8).collect();
        let as_u16: Vec<u16> = counts.iter().map(|&c| c as u16).collect();
        let as_i64: Vec<i64> = counts.iter().map(|&c| i64::from(c)).collect();
        // u8, u16 and u32 are scored in place by the kernel of their width; other integers
        // are copied into u32
        let with_u32 = expected(&scorer, n, true, |out| scorer.score_counts(&counts, out));
        let typed: Vec<(ArrayRef, Expected)> = vec![
            (Arc::new(UInt8Array::from(as_u8.clone())), expected(&scorer, n, true, |out| scorer.score_counts(&as_u8, out))),
            (Arc::new(UInt16Array::from(as_u16.clone())), expected(&scorer, n, true, |out| scorer.score_counts(&as_u16, out))),
            (Arc::new(UInt32Array::from(counts.clone())), with_u32.clone()),
            (Arc::new(Int64Array::from(as_i64.clone())), with_u32.clone()),
        ];
        for (values, want) in typed {
            let input = batch(vec![("merchant", merchants(n)), ("counts", list(values, block))]);
            let spec = ArrowScoring::new("merchant", CountsLayout::list("counts")).with_node_b(true);
            let scored = scorer.score_record_batch(&input, &spec).unwrap();
            check_output(&scorer, &scored, &want);
            prop_assert_eq!(scored.column(0), input.column(0));
        }
        // one column per leaf and grade
        let spec_columns = CountsLayout::columns_named(&scorer, |leaf, j| format!("{leaf}_{j}"));
        let CountsLayout::Columns(names) = &spec_columns else { unreachable!() };
        let mut columns = vec![("merchant".to_owned(), merchants(n))];
        for (c, name) in names.iter().enumerate() {
            let column: Vec<i64> = (0..n).map(|i| as_i64[i * block + c]).collect();
            columns.push((name.clone(), Arc::new(Int64Array::from(column)) as ArrayRef));
        }
        let input = RecordBatch::try_from_iter(columns).unwrap();
        let scored = scorer
            .score_record_batch(&input, &ArrowScoring::new("merchant", spec_columns.clone()))
            .unwrap();
        let without_b = expected(&scorer, n, false, |out| scorer.score_counts(&counts, out));
        check_output(&scorer, &scored, &without_b);
        prop_assert_eq!(scored.num_columns(), 4);
    }
}

#[test]
fn memberships_score_as_the_batch_scorer_and_sliced_batches_keep_their_rows() {
    let scorer = scorer(FuzzyOperator::WeightedAverage);
    let block = scorer.n_leaves() * scorer.n_grades();
    let n = 6;
    let memberships: Vec<f64> = (0..n * block)
        .map(|at| {
            [0.5, 0.25, 0.125, 0.125, 0.0][at % 5]
                * if (at / block).is_multiple_of(2) {
                    1.0
                } else {
                    0.5
                }
        })
        .collect();
    let input = batch(vec![
        ("merchant", merchants(n)),
        (
            "memberships",
            list(Arc::new(Float64Array::from(memberships.clone())), block),
        ),
    ]);
    let spec = ArrowScoring::new("merchant", CountsLayout::list("memberships"));
    let scored = scorer.score_record_batch(&input, &spec).unwrap();
    let want = scorer.score_memberships_vec(&memberships).unwrap();
    assert!(want.failures.is_empty());
    assert_eq!(
        f64s(&scored, "score"),
        want.scores.iter().map(|&s| Some(s)).collect::<Vec<_>>()
    );

    // rows 2..5 of the batch: the list's offset is honoured
    let sliced = input.slice(2, 3);
    let scored = scorer.score_record_batch(&sliced, &spec).unwrap();
    assert_eq!(
        f64s(&scored, "score"),
        want.scores[2..5]
            .iter()
            .map(|&s| Some(s))
            .collect::<Vec<_>>()
    );
    let names = scored.column(0).as_string::<i32>();
    assert_eq!(names.value(0), "shop-2");
}

fn root_arrow(err: &Error) -> &ArrowError {
    match err.root() {
        Error::Arrow(e) => e,
        other => panic!("expected an Arrow error, got {other:?}"),
    }
}

#[test]
fn bad_columns_are_named_with_their_row() {
    let scorer = scorer(FuzzyOperator::WeightedAverage);
    let block = scorer.n_leaves() * scorer.n_grades();
    let counts = |values: Vec<i64>| list(Arc::new(Int64Array::from(values)), block);
    let spec = ArrowScoring::new("merchant", CountsLayout::list("counts"));

    // missing column: the available ones are listed
    let input = batch(vec![
        ("merchant", merchants(1)),
        ("other", counts(vec![1; block])),
    ]);
    let err = scorer.score_record_batch(&input, &spec).unwrap_err();
    assert_eq!(
        root_arrow(&err),
        &ArrowError::MissingColumn {
            column: "counts".into(),
            available: vec!["merchant".into(), "other".into()]
        }
    );
    assert!(err.to_string().contains("merchant, other"), "{err}");

    // a negative count, in the second merchant's row
    let mut values = vec![1i64; 2 * block];
    values[block + 7] = -3;
    let input = batch(vec![("merchant", merchants(2)), ("counts", counts(values))]);
    let err = scorer.score_record_batch(&input, &spec).unwrap_err();
    assert_eq!(
        root_arrow(&err),
        &ArrowError::Count {
            column: "counts".into(),
            row: 1,
            value: -3
        }
    );

    // a count beyond u32
    let mut values = vec![1i64; block];
    values[0] = 1 << 40;
    let input = batch(vec![("merchant", merchants(1)), ("counts", counts(values))]);
    let err = scorer.score_record_batch(&input, &spec).unwrap_err();
    assert!(
        matches!(root_arrow(&err), ArrowError::Count { row: 0, value, .. } if *value == 1 << 40)
    );

    // wrong list size
    let input = batch(vec![
        ("merchant", merchants(1)),
        (
            "counts",
            list(Arc::new(Int64Array::from(vec![1i64; 10])), 10),
        ),
    ]);
    let err = scorer.score_record_batch(&input, &spec).unwrap_err();
    assert_eq!(
        root_arrow(&err),
        &ArrowError::ListSize {
            column: "counts".into(),
            expected: block,
            found: 10
        }
    );

    // wrong type: a string column, and a list of strings
    let input = batch(vec![("merchant", merchants(1)), ("counts", merchants(1))]);
    let err = scorer.score_record_batch(&input, &spec).unwrap_err();
    assert!(
        matches!(root_arrow(&err), ArrowError::ColumnType { column, .. } if column == "counts")
    );
    let strings: ArrayRef = Arc::new(StringArray::from(vec!["1"; block]));
    let input = batch(vec![
        ("merchant", merchants(1)),
        ("counts", list(strings, block)),
    ]);
    let err = scorer.score_record_batch(&input, &spec).unwrap_err();
    assert!(matches!(root_arrow(&err), ArrowError::ColumnType { found, .. } if found == "Utf8"));

    // a null merchant
    let names: ArrayRef = Arc::new(StringArray::from(vec![Some("a"), None]));
    let input = batch(vec![
        ("merchant", names),
        ("counts", counts(vec![1; 2 * block])),
    ]);
    let err = scorer.score_record_batch(&input, &spec).unwrap_err();
    assert_eq!(
        root_arrow(&err),
        &ArrowError::Null {
            column: "merchant".into(),
            row: 1
        }
    );

    // a null count inside the third merchant's list
    let mut values: Vec<Option<i64>> = vec![Some(1); 3 * block];
    values[2 * block + 4] = None;
    let field = Arc::new(Field::new("item", DataType::Int64, true));
    let lists: ArrayRef = Arc::new(FixedSizeListArray::new(
        field,
        block as i32,
        Arc::new(Int64Array::from(values)),
        None,
    ));
    let input = batch(vec![("merchant", merchants(3)), ("counts", lists)]);
    let err = scorer.score_record_batch(&input, &spec).unwrap_err();
    assert_eq!(
        root_arrow(&err),
        &ArrowError::Null {
            column: "counts".into(),
            row: 2
        }
    );

    // the wrong number of columns, and a float column among integer counts
    let err = scorer
        .score_record_batch(
            &input,
            &ArrowScoring::new("merchant", CountsLayout::columns(["a", "b"])),
        )
        .unwrap_err();
    assert_eq!(
        root_arrow(&err),
        &ArrowError::ColumnCount {
            expected: block,
            found: 2
        }
    );
    let layout = CountsLayout::columns_named(&scorer, |leaf, j| format!("{leaf}_{j}"));
    let CountsLayout::Columns(names) = &layout else {
        unreachable!()
    };
    let mut columns = vec![("merchant".to_owned(), merchants(1))];
    for (c, name) in names.iter().enumerate() {
        let column: ArrayRef = if c == 3 {
            Arc::new(Float64Array::from(vec![0.5]))
        } else {
            Arc::new(UInt8Array::from(vec![1u8]))
        };
        columns.push((name.clone(), column));
    }
    let input = RecordBatch::try_from_iter(columns).unwrap();
    let bad = names[3].clone();
    let err = scorer
        .score_record_batch(&input, &ArrowScoring::new("merchant", layout.clone()))
        .unwrap_err();
    assert!(matches!(root_arrow(&err), ArrowError::ColumnType { column, .. } if column == &bad));
}

#[test]
fn a_merchant_that_cannot_be_scored_gets_nulls_and_its_error() {
    let scorer = scorer(FuzzyOperator::WeightedAverage);
    let block = scorer.n_leaves() * scorer.n_grades();
    let mut counts = vec![2u32; 3 * block];
    counts[block..block + 5].fill(0); // merchant 1: no answer on the first indicator
    let input = batch(vec![
        ("merchant", merchants(3)),
        (
            "counts",
            list(Arc::new(UInt32Array::from(counts.clone())), block),
        ),
    ]);
    let spec = ArrowScoring::new("merchant", CountsLayout::list("counts"));
    let (scored, summary) = scorer
        .score_record_batch_with_summary(&input, &spec)
        .unwrap();
    assert_eq!(summary.scored(), 2);
    assert_eq!(summary.failures()[0].merchant, 1);
    let scores = f64s(&scored, "score");
    assert!(scores[1].is_none() && scores[0].is_some() && scores[2].is_some());
    let errors = scored.column_by_name("error").unwrap().as_string::<i32>();
    assert_eq!(errors.value(1), summary.failures()[0].error.to_string());
    check_output(
        &scorer,
        &scored,
        &expected(&scorer, 3, false, |out| scorer.score_counts(&counts, out)),
    );
}
