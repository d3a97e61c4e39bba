//! The SQL functions give the crate's own results: identical counts, scores equal to 1e-12,
//! in one query and in the two-step plan, over several partitions; bad input is an error with
//! the crate's text.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Float64Type, Schema, UInt32Type};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use proptest::prelude::*;
use service_quality::{template, BatchScorer, Evaluator, GradeSet, IndicatorTree, Unanswered};
use service_quality_datafusion::{register, ScoringModel};

/// Scores from SQL and from the crate agree to this (the same kernel runs on the same counts;
/// the bound leaves room for a summation order that differs).
const SAME_SCORE: f64 = 1e-12;

fn evaluator(unanswered: Unanswered) -> Evaluator {
    Evaluator::new(
        IndicatorTree::new(template::after_sales()).unwrap(),
        GradeSet::satisfaction_5(),
    )
    .unanswered(unanswered)
}

/// Long-format answers: (merchant, indicator, grade index or None).
type Answers = Vec<(usize, usize, Option<i64>)>;

fn answers() -> impl Strategy<Value = (usize, Answers)> {
    (1usize..8).prop_flat_map(|merchants| {
        let row = (
            0..merchants,
            0usize..13,
            prop_oneof![9 => (0i64..5).prop_map(Some), 1 => Just(None)],
        );
        (Just(merchants), proptest::collection::vec(row, 0..400))
    })
}

fn table(scorer: &BatchScorer, answers: &Answers, partitions: usize) -> MemTable {
    let schema = Arc::new(Schema::new(vec![
        Field::new("merchant", DataType::Utf8, false),
        Field::new("indicator", DataType::Utf8, false),
        Field::new("grade", DataType::Int64, true),
    ]));
    let ids = scorer.leaf_ids();
    let mut parts = vec![Vec::new(); partitions];
    let chunk = answers.len().div_ceil(partitions).max(1);
    for (p, rows) in answers.chunks(chunk).enumerate() {
        let merchant: ArrayRef = Arc::new(StringArray::from_iter_values(
            rows.iter().map(|r| format!("m{}", r.0)),
        ));
        let indicator: ArrayRef = Arc::new(StringArray::from_iter_values(
            rows.iter().map(|r| ids[r.1].clone()),
        ));
        let grade: ArrayRef = Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.2)));
        parts[p].push(
            RecordBatch::try_new(Arc::clone(&schema), vec![merchant, indicator, grade]).unwrap(),
        );
    }
    MemTable::try_new(schema, parts).unwrap()
}

/// The crate's own counts per merchant (merchants that answered, by name).
fn own_counts(
    scorer: &BatchScorer,
    answers: &Answers,
) -> std::collections::BTreeMap<String, Vec<u32>> {
    let (k, m) = (scorer.n_leaves(), scorer.n_grades());
    let mut counts = std::collections::BTreeMap::new();
    for &(merchant, leaf, grade) in answers {
        let entry = counts
            .entry(format!("m{merchant}"))
            .or_insert_with(|| vec![0u32; k * m]);
        if let Some(j) = grade {
            entry[leaf * m + j as usize] += 1;
        }
    }
    counts
}

fn run(ctx: &SessionContext, sql: &str) -> datafusion::common::Result<Vec<RecordBatch>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async { ctx.sql(sql).await?.collect().await })
}

fn context(scorer_of: &Evaluator, answers: &Answers, partitions: usize) -> SessionContext {
    let model = Arc::new(ScoringModel::new(scorer_of).unwrap());
    let ctx = SessionContext::new();
    register(&ctx, Arc::clone(&model));
    ctx.register_table(
        "answers",
        Arc::new(table(model.scorer(), answers, partitions)),
    )
    .unwrap();
    ctx
}

/// One row of a result: merchant, counts, score, error.
type Row = (String, Vec<u32>, Option<f64>, Option<String>);

/// The rows of a result, sorted by merchant.
fn rows(batches: &[RecordBatch]) -> Vec<Row> {
    let mut out = Vec::new();
    for batch in batches {
        let names = batch.column(0).as_string::<i32>();
        let lists = batch.column(1).as_fixed_size_list();
        let scores = batch.column(2).as_primitive::<Float64Type>();
        let errors = batch.column(3).as_string::<i32>();
        for i in 0..batch.num_rows() {
            let counts = lists.value(i);
            out.push((
                names.value(i).to_owned(),
                counts.as_primitive::<UInt32Type>().values().to_vec(),
                scores.is_valid(i).then(|| scores.value(i)),
                errors.is_valid(i).then(|| errors.value(i).to_owned()),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn sql_gives_the_crates_counts_and_scores((_, answers) in answers(), partitions in 1usize..4, exclude in any::<bool>()) {
        let policy = if exclude { Unanswered::Exclude } else { Unanswered::Reject };
        let evaluator = evaluator(policy);
        let scorer = BatchScorer::new(&evaluator).unwrap();
        let ctx = context(&evaluator, &answers, partitions);
        let want = own_counts(&scorer, &answers);

        let one_query = rows(&run(&ctx, "SELECT merchant, sq_tally(indicator, grade) AS c, \
            sq_score(sq_tally(indicator, grade)), sq_error(sq_tally(indicator, grade)) \
            FROM answers GROUP BY merchant").unwrap());
        run(&ctx, "CREATE TABLE counts AS SELECT merchant, indicator, grade, COUNT(*) AS n \
            FROM answers WHERE grade IS NOT NULL GROUP BY merchant, indicator, grade").unwrap();
        // merchants with no non-null answer have no row in step 1, so none in step 2
        let two_step = rows(&run(&ctx, "SELECT merchant, sq_tally(indicator, grade, n), \
            sq_score(sq_tally(indicator, grade, n)), sq_error(sq_tally(indicator, grade, n)) \
            FROM counts GROUP BY merchant").unwrap());

        prop_assert_eq!(one_query.len(), want.len());
        for (merchant, counts, score, error) in &one_query {
            prop_assert_eq!(counts, &want[merchant]);
            let own = scorer.score_counts_vec(&want[merchant]).unwrap();
            match own.failures.first() {
                None => {
                    let score = score.expect("scored");
                    prop_assert!((score - own.scores[0]).abs() <= SAME_SCORE, "{merchant}: {score} vs {}", own.scores[0]);
                    prop_assert!(error.is_none());
                }
                Some(failure) => {
                    prop_assert!(score.is_none());
                    let message = failure.error.to_string();
                    prop_assert_eq!(error.as_deref(), Some(message.as_str()));
                }
            }
        }
        // the whole table as one group (the row-wise accumulator)
        let total = run(&ctx, "SELECT sq_tally(indicator, grade) FROM answers").unwrap();
        let total = total[0].column(0).as_fixed_size_list().value(0);
        let mut want_total = vec![0u32; scorer.n_leaves() * scorer.n_grades()];
        for counts in want.values() {
            for (t, c) in want_total.iter_mut().zip(counts) {
                *t += c;
            }
        }
        prop_assert_eq!(total.as_primitive::<UInt32Type>().values().to_vec(), want_total);
        // a FILTER clause, and indicators as string views and large strings (no cast)
        for cast in ["Utf8View", "LargeUtf8"] {
            let filtered = run(&ctx, &format!("SELECT merchant, \
                sq_tally(arrow_cast(indicator, '{cast}'), grade) FILTER (WHERE grade <> 1) \
                FROM answers GROUP BY merchant")).unwrap();
            let mut got = Vec::new();
            for batch in &filtered {
                let lists = batch.column(1).as_fixed_size_list();
                for i in 0..batch.num_rows() {
                    got.push((
                        batch.column(0).as_string::<i32>().value(i).to_owned(),
                        lists.value(i).as_primitive::<UInt32Type>().values().to_vec(),
                    ));
                }
            }
            got.sort();
            let m = scorer.n_grades();
            let want_filtered: Vec<(String, Vec<u32>)> = want
                .iter()
                .map(|(merchant, counts)| {
                    let mut counts = counts.clone();
                    for (at, c) in counts.iter_mut().enumerate() {
                        if at % m == 1 {
                            *c = 0;
                        }
                    }
                    (merchant.clone(), counts)
                })
                .collect();
            prop_assert_eq!(got, want_filtered);
        }
        prop_assert_eq!(two_step.len(), want.values().filter(|c| c.iter().any(|&n| n > 0)).count());
        for (merchant, counts, score, error) in &two_step {
            let from_one = one_query.iter().find(|r| &r.0 == merchant).unwrap();
            prop_assert_eq!(counts, &from_one.1);
            prop_assert_eq!(score, &from_one.2);
            prop_assert_eq!(error, &from_one.3);
        }
    }
}

#[test]
fn labels_node_b_and_grades_agree_with_the_crate() {
    let evaluator = evaluator(Unanswered::Reject);
    let scorer = BatchScorer::new(&evaluator).unwrap();
    let answers: Answers = (0..13)
        .flat_map(|l| {
            [
                (0, l, Some(0)),
                (0, l, Some(1)),
                (0, l, Some((l % 5) as i64)),
            ]
        })
        .collect();
    let ctx = context(&evaluator, &answers, 1);
    let labels: Vec<String> = evaluator
        .grades()
        .grades()
        .iter()
        .map(|g| g.label_zh().unwrap_or(g.label()).to_owned())
        .collect();
    let case = labels
        .iter()
        .enumerate()
        .map(|(j, l)| format!("WHEN {j} THEN '{l}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let batches = run(
        &ctx,
        &format!(
            "SELECT sq_score(sq_tally(indicator, grade)) AS by_index, \
                sq_score(sq_tally(indicator, CASE grade {case} END)) AS by_label, \
                sq_grade(sq_tally(indicator, grade)) AS grade, \
                sq_grade_label(sq_tally(indicator, grade)) AS label, \
                sq_b(sq_tally(indicator, grade), 'after_sales') AS b \
         FROM answers"
        ),
    )
    .unwrap();
    let own_counts = own_counts(&scorer, &answers);
    let counts = &own_counts["m0"];
    let m = scorer.n_grades();
    let (mut scores, mut grades) = ([0.0], [0u32]);
    let mut node_b = vec![0.0; scorer.n_nodes() * m];
    let out = service_quality::BatchOutput::new(&mut scores, &mut grades)
        .unwrap()
        .with_node_b(&mut node_b);
    scorer.score_counts(counts, out).unwrap();
    let batch = &batches[0];
    let by_index = batch.column(0).as_primitive::<Float64Type>().value(0);
    let by_label = batch.column(1).as_primitive::<Float64Type>().value(0);
    assert!((by_index - scores[0]).abs() <= SAME_SCORE);
    assert_eq!(by_index, by_label);
    assert_eq!(
        batch.column(2).as_primitive::<UInt32Type>().value(0),
        grades[0]
    );
    assert_eq!(
        batch.column(3).as_string::<i32>().value(0),
        evaluator.grades().grades()[grades[0] as usize].label()
    );
    let b = batch.column(4).as_fixed_size_list().value(0);
    let root = scorer
        .node_ids()
        .iter()
        .position(|id| id == "after_sales")
        .unwrap();
    for (got, want) in b
        .as_primitive::<Float64Type>()
        .values()
        .iter()
        .zip(&node_b[root * m..(root + 1) * m])
    {
        assert!((got - want).abs() <= SAME_SCORE);
    }
}

#[test]
fn bad_input_is_an_error_with_the_value() {
    let evaluator = evaluator(Unanswered::Reject);
    let answers: Answers = vec![(0, 0, Some(1))];
    let ctx = context(&evaluator, &answers, 1);
    let err = |sql: &str| run(&ctx, sql).unwrap_err().to_string();

    let e = err("SELECT sq_tally('no_such', 1) FROM answers");
    assert!(
        e.contains("unknown indicator `no_such`") && e.contains("first_reply"),
        "{e}"
    );
    let e = err("SELECT sq_tally(indicator, 7) FROM answers");
    assert!(e.contains("grade index 7"), "{e}");
    let e = err("SELECT sq_tally(indicator, 'splendid') FROM answers");
    assert!(e.contains("unknown grade label `splendid`"), "{e}");
    let e = err("SELECT sq_tally(indicator, grade, -2) FROM answers");
    assert!(e.contains("negative n -2"), "{e}");
    let e = err("SELECT sq_tally(indicator, 1.5) FROM answers");
    assert!(
        e.contains("grade must be an integer index or a string label"),
        "{e}"
    );
    let e = err("SELECT sq_b(sq_tally(indicator, grade), 'nowhere') FROM answers");
    assert!(e.contains("unknown node `nowhere`"), "{e}");
    let e = err("SELECT sq_score(grade) FROM answers");
    assert!(e.contains("expected the counts of sq_tally"), "{e}");
}
