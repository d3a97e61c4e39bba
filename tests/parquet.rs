//! Answers read from Parquet are tallied exactly (long and wide, indices and labels, several
//! row groups) and bad files are refused with the column, row and value.
#![cfg(feature = "parquet")]

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, UInt8Array};
use bytes::Bytes;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use proptest::prelude::*;
use service_quality::batch::{ParquetLayout, ParquetTally};
use service_quality::input::{SurveyCounts, SurveyLayout};
use service_quality::{
    template, ArrowError, BatchScorer, Error, Evaluator, GradeSet, IndicatorTree,
};

fn evaluator() -> Evaluator {
    Evaluator::new(
        IndicatorTree::new(template::after_sales()).unwrap(),
        GradeSet::satisfaction_5(),
    )
}

/// The model's leaf ids, in the tree's preorder.
fn leaf_ids(evaluator: &Evaluator) -> Vec<String> {
    evaluator
        .tree()
        .leaves()
        .map(|l| l.id().to_owned())
        .collect()
}

fn parquet(columns: Vec<(&str, ArrayRef)>, rows_per_group: usize) -> Bytes {
    parquet_encoded(columns, rows_per_group, true)
}

/// A file with string columns dictionary-encoded (as Parquet writers do by default) or plain.
fn parquet_encoded(
    columns: Vec<(&str, ArrayRef)>,
    rows_per_group: usize,
    dictionary: bool,
) -> Bytes {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(rows_per_group.max(1)))
        .set_dictionary_enabled(dictionary)
        .build();
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    Bytes::from(out)
}

/// (merchant, leaf, grade or missing) answers.
type Answers = Vec<(usize, usize, Option<u8>)>;

/// Counts by hand, merchants in order of first appearance.
fn by_hand(answers: &Answers, k: usize, m: usize) -> (Vec<String>, Vec<u32>, u64) {
    let (mut merchants, mut counts, mut missing) = (Vec::<String>::new(), Vec::new(), 0);
    for &(merchant, leaf, grade) in answers {
        let name = format!("m{merchant}");
        let i = match merchants.iter().position(|n| n == &name) {
            Some(i) => i,
            None => {
                merchants.push(name);
                counts.resize(counts.len() + k * m, 0u32);
                merchants.len() - 1
            }
        };
        match grade {
            Some(j) => counts[(i * k + leaf) * m + usize::from(j)] += 1,
            None => missing += 1,
        }
    }
    (merchants, counts, missing)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn long_answers_are_tallied_exactly(
        answers in proptest::collection::vec((0usize..6, 0usize..13, prop_oneof![8 => (0u8..5).prop_map(Some), 1 => Just(None)]), 1..300),
        rows_per_group in 1usize..100,
        labels in any::<bool>(),
        dictionary in any::<bool>(),
    ) {
        let evaluator = evaluator();
        let ids = leaf_ids(&evaluator);
        let grade_names: Vec<String> = evaluator.grades().grades().iter()
            .map(|g| g.label_zh().unwrap_or(g.label()).to_owned()).collect();
        let merchant: ArrayRef = Arc::new(StringArray::from_iter_values(answers.iter().map(|a| format!("m{}", a.0))));
        let indicator: ArrayRef = Arc::new(StringArray::from_iter_values(answers.iter().map(|a| ids[a.1].clone())));
        let grade: ArrayRef = if labels {
            Arc::new(StringArray::from_iter(answers.iter().map(|a| a.2.map(|j| grade_names[usize::from(j)].clone()))))
        } else {
            Arc::new(UInt8Array::from_iter(answers.iter().map(|a| a.2)))
        };
        let file = parquet_encoded(vec![("merchant", merchant), ("indicator", indicator), ("grade", grade)], rows_per_group, dictionary);
        let tally = ParquetTally::read_from(file, &evaluator, &ParquetLayout::long("merchant", "indicator", "grade")).unwrap();
        let (merchants, counts, missing) = by_hand(&answers, 13, 5);
        prop_assert_eq!(tally.merchants(), &merchants[..]);
        prop_assert_eq!(tally.counts(), &counts[..]);
        prop_assert_eq!(tally.missing(), missing);
        prop_assert_eq!(tally.rows(), answers.len() as u64);
        prop_assert_eq!(tally.answers() + missing, answers.len() as u64);
        let scorer = BatchScorer::new(&evaluator).unwrap();
        prop_assert_eq!(tally.score(&scorer).unwrap(), scorer.score_counts_vec(&counts).unwrap());
    }

    #[test]
    fn wide_rows_are_tallied_exactly(
        rows in proptest::collection::vec((0usize..5, proptest::collection::vec(prop_oneof![8 => (0i64..5).prop_map(Some), 1 => Just(None)], 13)), 1..80),
        rows_per_group in 1usize..30,
        renamed in any::<bool>(),
    ) {
        let evaluator = evaluator();
        let ids = leaf_ids(&evaluator);
        let column_name = |l: usize| if renamed { format!("Q{}", l + 1) } else { ids[l].clone() };
        let mut columns: Vec<(String, ArrayRef)> = vec![("shop".into(), Arc::new(StringArray::from_iter_values(rows.iter().map(|r| format!("m{}", r.0)))))];
        // columns in another order than the model's
        for l in (0..13).rev() {
            columns.push((column_name(l), Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.1[l])))));
        }
        let file = parquet(columns.iter().map(|(n, a)| (n.as_str(), Arc::clone(a))).collect(), rows_per_group);
        let layout = if renamed {
            ParquetLayout::wide_columns("shop", (0..13).map(|l| (column_name(l), ids[l].clone())))
        } else {
            ParquetLayout::wide("shop")
        };
        let tally = ParquetTally::read_from(file, &evaluator, &layout).unwrap();
        let answers: Answers = rows.iter().flat_map(|(m, grades)| {
            grades.iter().enumerate().map(move |(l, g)| (*m, l, g.map(|j| j as u8)))
        }).collect();
        let (merchants, counts, missing) = by_hand(&answers, 13, 5);
        prop_assert_eq!(tally.merchants(), &merchants[..]);
        prop_assert_eq!(tally.counts(), &counts[..]);
        prop_assert_eq!(tally.missing(), missing);
        prop_assert_eq!(tally.rows(), rows.len() as u64);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The Parquet reader fills the tally the survey reader fills: the same rows as a wide
    /// Parquet file and as a questionnaire export give equal `SurveyCounts` (merchants, counts,
    /// "no answer" cells, respondents, answered leaves).
    #[test]
    fn a_wide_file_gives_the_survey_readers_tally(
        rows in proptest::collection::vec((0usize..5, proptest::collection::vec(prop_oneof![8 => (0usize..5).prop_map(Some), 1 => Just(None)], 13)), 1..60),
        rows_per_group in 1usize..20,
    ) {
        let evaluator = evaluator();
        let ids = leaf_ids(&evaluator);
        let labels: Vec<&str> = evaluator.grades().grades().iter()
            .map(|g| g.label_zh().unwrap_or(g.label())).collect();
        let mut csv = format!("shop,{}\n", ids.join(","));
        for (merchant, grades) in &rows {
            let cells: Vec<&str> = grades.iter().map(|g| g.map_or("", |j| labels[j])).collect();
            csv.push_str(&format!("m{merchant},{}\n", cells.join(",")));
        }
        let layout = SurveyLayout::new("shop");
        let from_csv = SurveyCounts::read(csv.as_bytes(), evaluator.tree(), &layout).unwrap().into_result().unwrap();
        let mut columns: Vec<(String, ArrayRef)> = vec![("shop".into(), Arc::new(StringArray::from_iter_values(rows.iter().map(|r| format!("m{}", r.0)))))];
        for (l, id) in ids.iter().enumerate() {
            columns.push((id.clone(), Arc::new(StringArray::from_iter(rows.iter().map(|r| r.1[l].map(|j| labels[j]))))));
        }
        let file = parquet(columns.iter().map(|(n, a)| (n.as_str(), Arc::clone(a))).collect(), rows_per_group);
        let tally = ParquetTally::read_from(file, &evaluator, &ParquetLayout::wide("shop")).unwrap();
        prop_assert_eq!(tally.survey_counts(), &from_csv);
        prop_assert_eq!(tally.into_survey_counts().respondents().iter().sum::<u32>() as usize, rows.len());
    }

    /// Long files: respondents from a respondent column (consecutive rows of one id; integer or
    /// string ids, dictionary or plain), or without one the most rows of any one indicator.
    #[test]
    fn long_files_count_respondents(
        respondents in proptest::collection::vec((0usize..4, proptest::collection::vec(prop_oneof![6 => (0u8..5).prop_map(Some), 1 => Just(None)], 13)), 1..40),
        rows_per_group in 1usize..60,
        text_ids in any::<bool>(),
        dictionary in any::<bool>(),
    ) {
        let evaluator = evaluator();
        let ids = leaf_ids(&evaluator);
        let answers: Answers = respondents.iter().flat_map(|(m, grades)| {
            grades.iter().enumerate().map(move |(l, g)| (*m, l, *g))
        }).collect();
        let respondent_of: Vec<usize> = (0..respondents.len()).flat_map(|r| std::iter::repeat_n(r, 13)).collect();
        let merchant: ArrayRef = Arc::new(StringArray::from_iter_values(answers.iter().map(|a| format!("m{}", a.0))));
        let indicator: ArrayRef = Arc::new(StringArray::from_iter_values(answers.iter().map(|a| ids[a.1].clone())));
        let grade: ArrayRef = Arc::new(UInt8Array::from_iter(answers.iter().map(|a| a.2)));
        let respondent: ArrayRef = if text_ids {
            Arc::new(StringArray::from_iter_values(respondent_of.iter().map(|r| format!("r{r}"))))
        } else {
            Arc::new(Int64Array::from_iter_values(respondent_of.iter().map(|&r| r as i64)))
        };
        let file = parquet_encoded(vec![("merchant", merchant), ("respondent", respondent), ("indicator", indicator), ("grade", grade)], rows_per_group, dictionary);
        let (merchants, counts, missing) = by_hand(&answers, 13, 5);
        let mut want = vec![0u32; merchants.len()];
        for (m, _) in &respondents {
            let i = merchants.iter().position(|name| *name == format!("m{m}")).unwrap();
            want[i] += 1;
        }
        for layout in [
            ParquetLayout::long_with_respondent("merchant", "respondent", "indicator", "grade"),
            ParquetLayout::long("merchant", "indicator", "grade"),
        ] {
            let tally = ParquetTally::read_from(file.clone(), &evaluator, &layout).unwrap();
            prop_assert_eq!(tally.merchants(), &merchants[..]);
            prop_assert_eq!(tally.counts(), &counts[..]);
            prop_assert_eq!(tally.missing(), missing);
            let survey = tally.survey_counts();
            // every respondent answers each indicator once: both rules give the respondents
            prop_assert_eq!(survey.respondents(), &want[..]);
            prop_assert_eq!(survey.answered_leaves(), &ids[..]);
            let cells: u32 = survey.missing().iter().sum();
            prop_assert_eq!(u64::from(cells), missing);
        }
    }
}

#[test]
fn a_respondent_answering_in_two_runs_counts_twice_and_a_null_id_is_an_error() {
    let evaluator = evaluator();
    let ids = leaf_ids(&evaluator);
    // respondent 1 of m0, then respondent 2 of m0, then respondent 1 again
    let respondent: ArrayRef = Arc::new(Int64Array::from(vec![Some(1), Some(2), Some(1), None]));
    let merchant: ArrayRef = Arc::new(StringArray::from(vec!["m0"; 4]));
    let indicator: ArrayRef = Arc::new(StringArray::from_iter_values(
        [0, 0, 1, 2].map(|l| ids[l].clone()),
    ));
    let grade: ArrayRef = Arc::new(UInt8Array::from(vec![0, 1, 2, 3]));
    let columns = |n: usize| {
        vec![
            ("merchant", merchant.slice(0, n)),
            ("respondent", respondent.slice(0, n)),
            ("indicator", indicator.slice(0, n)),
            ("grade", grade.slice(0, n)),
        ]
    };
    let layout =
        ParquetLayout::long_with_respondent("merchant", "respondent", "indicator", "grade");
    let tally = ParquetTally::read_from(parquet(columns(3), 2), &evaluator, &layout).unwrap();
    assert_eq!(tally.survey_counts().respondents(), [3]);
    let e = arrow_error(ParquetTally::read_from(
        parquet(columns(4), 2),
        &evaluator,
        &layout,
    ));
    assert!(
        matches!(&e, ArrowError::Null { column, row: 3 } if column == "respondent"),
        "{e:?}"
    );
}

/// Row groups larger than the reader's record batches: the batches of one column chunk share
/// its dictionary, and the keys resolved in one batch are reused in the next.
#[test]
fn batches_sharing_a_dictionary_are_tallied_exactly() {
    let evaluator = evaluator();
    let ids = leaf_ids(&evaluator);
    let mut state = 7u64;
    let answers: Answers = (0..200_000)
        .map(|i| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let g = (state >> 33) % 6;
            (
                (i / 13 * 7 + (state >> 40) as usize % 3) % 40,
                i % 13,
                (g < 5).then_some(g as u8),
            )
        })
        .collect();
    let merchant: ArrayRef = Arc::new(StringArray::from_iter_values(
        answers.iter().map(|a| format!("m{}", a.0)),
    ));
    let indicator: ArrayRef = Arc::new(StringArray::from_iter_values(
        answers.iter().map(|a| ids[a.1].clone()),
    ));
    let grade: ArrayRef = Arc::new(UInt8Array::from_iter(answers.iter().map(|a| a.2)));
    let layout = ParquetLayout::long("merchant", "indicator", "grade");
    let (merchants, counts, missing) = by_hand(&answers, 13, 5);
    for dictionary in [true, false] {
        let columns = vec![
            ("merchant", Arc::clone(&merchant)),
            ("indicator", Arc::clone(&indicator)),
            ("grade", Arc::clone(&grade)),
        ];
        let file = parquet_encoded(columns, 150_000, dictionary);
        let tally = ParquetTally::read_from(file, &evaluator, &layout).unwrap();
        assert_eq!(tally.merchants(), &merchants[..]);
        assert_eq!(tally.counts(), &counts[..]);
        assert_eq!(tally.missing(), missing);
    }
}

/// A file written from Arrow types other than plain strings, as other writers record them:
/// the merchant and the grade labels as dictionaries with `u32` keys over large strings
/// (polars' categoricals), the indicator as string views.
#[test]
fn string_columns_of_any_string_or_dictionary_type_are_tallied_exactly() {
    use arrow_array::types::UInt32Type;
    use arrow_array::{DictionaryArray, LargeStringArray, StringViewArray, UInt32Array};
    let evaluator = evaluator();
    let ids = leaf_ids(&evaluator);
    let labels: Vec<String> = evaluator
        .grades()
        .grades()
        .iter()
        .map(|g| g.label().to_owned())
        .collect();
    let answers: Answers = (0..5_000)
        .map(|i| {
            (
                i / 13 * 5 % 17,
                i % 13,
                (i % 7 != 3).then_some((i % 5) as u8),
            )
        })
        .collect();
    let categorical = |values: Vec<String>, keys: Vec<Option<u32>>| -> ArrayRef {
        Arc::new(
            DictionaryArray::<UInt32Type>::try_new(
                UInt32Array::from(keys),
                Arc::new(LargeStringArray::from_iter_values(values)),
            )
            .unwrap(),
        )
    };
    let merchant = categorical(
        (0..17).map(|m| format!("m{m}")).collect(),
        answers.iter().map(|a| Some(a.0 as u32)).collect(),
    );
    let indicator: ArrayRef = Arc::new(StringViewArray::from_iter_values(
        answers.iter().map(|a| ids[a.1].clone()),
    ));
    let grade = categorical(
        labels.clone(),
        answers.iter().map(|a| a.2.map(u32::from)).collect(),
    );
    let file = parquet(
        vec![
            ("merchant", merchant),
            ("indicator", indicator),
            ("grade", grade),
        ],
        1_500,
    );
    let layout = ParquetLayout::long("merchant", "indicator", "grade");
    let tally = ParquetTally::read_from(file, &evaluator, &layout).unwrap();
    let (merchants, counts, missing) = by_hand(&answers, 13, 5);
    assert_eq!(tally.merchants(), &merchants[..]);
    assert_eq!(tally.counts(), &counts[..]);
    assert_eq!(tally.missing(), missing);
}

fn arrow_error(result: service_quality::Result<ParquetTally>) -> ArrowError {
    match result.unwrap_err() {
        Error::Arrow(e) => e,
        other => panic!("expected an Arrow error, got {other:?}"),
    }
}

#[test]
fn bad_files_name_the_column_row_and_value() {
    let evaluator = evaluator();
    let long = ParquetLayout::long("merchant", "indicator", "grade");
    let read = |columns: Vec<(&str, ArrayRef)>, layout: &ParquetLayout| {
        ParquetTally::read_from(parquet(columns, 2), &evaluator, layout)
    };
    let strings = |v: &[&str]| -> ArrayRef { Arc::new(StringArray::from(v.to_vec())) };
    let merchants = strings(&["a", "a", "b"]);
    let indicators = strings(&["first_reply", "courtesy", "first_reply"]);

    let e = arrow_error(read(
        vec![
            ("merchant", merchants.clone()),
            ("indicator", indicators.clone()),
        ],
        &long,
    ));
    assert_eq!(
        e,
        ArrowError::MissingColumn {
            column: "grade".into(),
            available: vec!["merchant".into(), "indicator".into()]
        }
    );

    let floats: ArrayRef = Arc::new(Float64Array::from(vec![1.0, 2.0, 3.0]));
    let e = arrow_error(read(
        vec![
            ("merchant", merchants.clone()),
            ("indicator", indicators.clone()),
            ("grade", floats),
        ],
        &long,
    ));
    assert!(
        matches!(e, ArrowError::ColumnType { ref column, .. } if column == "grade"),
        "{e}"
    );

    let grades: ArrayRef = Arc::new(Int64Array::from(vec![1, 2, 3]));
    let bad = strings(&["first_reply", "courtesy", "no_such"]);
    let e = arrow_error(read(
        vec![
            ("merchant", merchants.clone()),
            ("indicator", bad),
            ("grade", grades.clone()),
        ],
        &long,
    ));
    assert!(
        matches!(&e, ArrowError::Value { column, row: 2, value, .. } if column == "indicator" && value == "no_such"),
        "{e}"
    );
    assert!(e.to_string().contains("first_reply"), "{e}");

    let out_of_range: ArrayRef = Arc::new(Int64Array::from(vec![1, 5, 0]));
    let e = arrow_error(read(
        vec![
            ("merchant", merchants.clone()),
            ("indicator", indicators.clone()),
            ("grade", out_of_range),
        ],
        &long,
    ));
    assert!(
        matches!(&e, ArrowError::Value { row: 1, value, .. } if value == "5"),
        "{e}"
    );

    let labels = strings(&["very satisfied", "splendid", "fair"]);
    let e = arrow_error(read(
        vec![
            ("merchant", merchants.clone()),
            ("indicator", indicators.clone()),
            ("grade", labels),
        ],
        &long,
    ));
    assert!(
        matches!(&e, ArrowError::Value { row: 1, value, .. } if value == "splendid"),
        "{e}"
    );

    let null_merchant: ArrayRef = Arc::new(StringArray::from(vec![Some("a"), Some("a"), None]));
    let e = arrow_error(read(
        vec![
            ("merchant", null_merchant),
            ("indicator", indicators.clone()),
            ("grade", grades.clone()),
        ],
        &long,
    ));
    assert_eq!(
        e,
        ArrowError::Null {
            column: "merchant".into(),
            row: 2
        }
    );

    let e = arrow_error(read(
        vec![("merchant", merchants.clone())],
        &ParquetLayout::wide_columns("merchant", [("Q1", "nowhere")]),
    ));
    assert!(
        matches!(&e, ArrowError::UnknownLeaf { leaf, .. } if leaf == "nowhere"),
        "{e}"
    );

    let e = arrow_error(ParquetTally::read_from(
        Bytes::from_static(b"not a parquet file at all"),
        &evaluator,
        &long,
    ));
    assert!(matches!(e, ArrowError::Parquet { .. }), "{e}");
    let e = ParquetTally::read("/nonexistent/answers.parquet", &evaluator, &long).unwrap_err();
    assert!(
        e.to_string().contains("/nonexistent/answers.parquet"),
        "{e}"
    );
}
