//! The SQL of `service-quality-datafusion` on a Ballista cluster started in this process (a
//! scheduler and two executors on free localhost ports) gives the single-process result:
//! identical counts, scores equal to 1e-12, the same errors; and both executors tallied.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Int64Array, RecordBatch, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Float64Type, Schema, UInt32Type};
use datafusion::object_store::memory::InMemory;
use datafusion::object_store::path::Path as ObjectPath;
use datafusion::object_store::ObjectStoreExt;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use service_quality::{template, Evaluator, GradeSet, IndicatorTree, Unanswered};
use service_quality_ballista::{LocalCluster, ObjectStores};
use service_quality_datafusion::{register, ScoringModel};

/// Scores of the cluster and of one process agree to this (the same kernel on the same
/// counts; the bound leaves room for a summation order that differs).
const SAME_SCORE: f64 = 1e-12;

/// Files of the generated table: each is one partition of the scan, so the partial tallies
/// are spread over the executors.
const FILES: usize = 4;
const ROWS_PER_FILE: usize = 5_000;
const MERCHANTS: u64 = 60;

const ONE_QUERY: &str = "SELECT merchant, sq_tally(indicator, grade), \
    sq_score(sq_tally(indicator, grade)), sq_error(sq_tally(indicator, grade)) \
    FROM answers GROUP BY merchant";

/// The two-step plan in one statement: a native count, then the tally of the counts.
const TWO_STEP: &str = "SELECT merchant, sq_tally(indicator, grade, n), \
    sq_score(sq_tally(indicator, grade, n)), sq_error(sq_tally(indicator, grade, n)) \
    FROM (SELECT merchant, indicator, grade, COUNT(*) AS n FROM answers \
          WHERE grade IS NOT NULL GROUP BY merchant, indicator, grade) \
    GROUP BY merchant";

fn model() -> Arc<ScoringModel> {
    let evaluator = Evaluator::new(
        IndicatorTree::new(template::after_sales()).unwrap(),
        GradeSet::satisfaction_5(),
    )
    .unanswered(Unanswered::Reject);
    Arc::new(ScoringModel::new(&evaluator).unwrap())
}

/// A deterministic stream of pseudo-random numbers (64-bit LCG, upper bits).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Long-format answers: (merchant, leaf, grade index or none).
type Answers = Vec<(String, usize, Option<i64>)>;

/// `FILES` files of answers; merchant `m-x` answers one indicator only (it cannot be
/// scored when unanswered indicators are rejected), every tenth answer is missing.
fn answers(leaves: usize) -> Vec<Answers> {
    let mut random = Lcg(16);
    (0..FILES)
        .map(|file| {
            let mut rows: Answers = (0..ROWS_PER_FILE)
                .map(|_| {
                    let merchant = format!("m{:02}", random.below(MERCHANTS));
                    let leaf = random.below(leaves as u64) as usize;
                    let grade = (random.below(10) != 0).then(|| random.below(5) as i64);
                    (merchant, leaf, grade)
                })
                .collect();
            rows.push(("m-x".to_owned(), 0, Some(file as i64 % 5)));
            rows
        })
        .collect()
}

/// Each file of answers as Parquet bytes.
fn parquet_files(ids: &[String], files: &[Answers]) -> Vec<Vec<u8>> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("merchant", DataType::Utf8, false),
        Field::new("indicator", DataType::Utf8, false),
        Field::new("grade", DataType::Int64, true),
    ]));
    files
        .iter()
        .map(|rows| {
            let merchant: ArrayRef = Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.0.as_str()),
            ));
            let indicator: ArrayRef = Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| ids[r.1].as_str()),
            ));
            let grade: ArrayRef = Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.2)));
            let batch = RecordBatch::try_new(Arc::clone(&schema), vec![merchant, indicator, grade])
                .unwrap();
            let mut bytes = Vec::new();
            let mut writer = ArrowWriter::try_new(&mut bytes, Arc::clone(&schema), None).unwrap();
            writer.write(&batch).unwrap();
            writer.close().unwrap();
            bytes
        })
        .collect()
}

fn write_parquet(dir: &Path, ids: &[String], files: &[Answers]) {
    for (i, bytes) in parquet_files(ids, files).iter().enumerate() {
        std::fs::write(dir.join(format!("part-{i}.parquet")), bytes).unwrap();
    }
}

/// The generated answers counted here: merchant -> indicators x grades.
fn own_counts(files: &[Answers], leaves: usize, grades: usize) -> BTreeMap<String, Vec<u32>> {
    let mut counts = BTreeMap::new();
    for (merchant, leaf, grade) in files.iter().flatten() {
        let entry = counts
            .entry(merchant.clone())
            .or_insert_with(|| vec![0u32; leaves * grades]);
        if let Some(j) = grade {
            entry[leaf * grades + *j as usize] += 1;
        }
    }
    counts
}

/// A result's rows by merchant: counts, score, error.
type Rows = BTreeMap<String, (Vec<u32>, Option<f64>, Option<String>)>;

fn rows(batches: &[RecordBatch]) -> Rows {
    let mut out = Rows::new();
    for batch in batches {
        let names = cast(batch.column(0), &DataType::Utf8).unwrap();
        let names = names.as_string::<i32>();
        let lists = batch.column(1).as_fixed_size_list();
        let scores = batch.column(2).as_primitive::<Float64Type>();
        let errors = cast(batch.column(3), &DataType::Utf8).unwrap();
        let errors = errors.as_string::<i32>();
        for i in 0..batch.num_rows() {
            let counts = lists.value(i);
            let row = (
                counts.as_primitive::<UInt32Type>().values().to_vec(),
                scores.is_valid(i).then(|| scores.value(i)),
                errors.is_valid(i).then(|| errors.value(i).to_owned()),
            );
            assert!(out.insert(names.value(i).to_owned(), row).is_none());
        }
    }
    out
}

fn assert_same(cluster: &Rows, single: &Rows, what: &str) {
    assert_eq!(
        cluster.keys().collect::<Vec<_>>(),
        single.keys().collect::<Vec<_>>(),
        "{what}: merchants"
    );
    for (merchant, (counts, score, error)) in cluster {
        let (want_counts, want_score, want_error) = &single[merchant];
        assert_eq!(counts, want_counts, "{what}: counts of {merchant}");
        assert_eq!(error, want_error, "{what}: error of {merchant}");
        match (score, want_score) {
            (Some(got), Some(want)) => assert!(
                (got - want).abs() <= SAME_SCORE,
                "{what}: score of {merchant}: {got} vs {want}"
            ),
            (None, None) => {}
            _ => panic!("{what}: score of {merchant}: {score:?} vs {want_score:?}"),
        }
    }
}

async fn query(ctx: &SessionContext, sql: &str) -> Rows {
    rows(&ctx.sql(sql).await.unwrap().collect().await.unwrap())
}

/// The stages an executor ran tasks of: each task writes its output under
/// `<work dir>/<job>/<stage>/`.
fn stages_run(work_dir: &Path) -> BTreeSet<u32> {
    let mut stages = BTreeSet::new();
    for job in std::fs::read_dir(work_dir).unwrap() {
        let job = job.unwrap().path();
        if !job.is_dir() {
            continue;
        }
        for stage in std::fs::read_dir(job).unwrap() {
            let stage = stage.unwrap().path();
            let name = stage.file_name().unwrap().to_string_lossy().into_owned();
            if let Ok(id) = name.parse::<u32>() {
                if std::fs::read_dir(&stage).unwrap().next().is_some() {
                    stages.insert(id);
                }
            }
        }
    }
    stages
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_cluster_gives_the_single_process_result() {
    let model = model();
    let (leaves, grades) = (model.scorer().n_leaves(), model.scorer().n_grades());
    let data = tempfile::tempdir().unwrap();
    let files = answers(leaves);
    write_parquet(data.path(), model.scorer().leaf_ids(), &files);
    let table = format!("{}/", data.path().display());

    let single = SessionContext::new();
    register(&single, Arc::clone(&model));
    single
        .register_parquet("answers", &table, ParquetReadOptions::default())
        .await
        .unwrap();
    let single_one = query(&single, ONE_QUERY).await;
    let single_two = query(&single, TWO_STEP).await;

    let cluster = LocalCluster::start(Arc::clone(&model), 2, 1).await.unwrap();
    let ctx = cluster.context().await.unwrap();
    ctx.register_parquet("answers", &table, ParquetReadOptions::default())
        .await
        .unwrap();
    let cluster_one = query(&ctx, ONE_QUERY).await;
    let stages: Vec<BTreeSet<u32>> = cluster.work_dirs().map(stages_run).collect();
    let cluster_two = query(&ctx, TWO_STEP).await;

    // the counts are the generated data's, and the one process scores them as the crate does
    let own = own_counts(&files, leaves, grades);
    assert_eq!(single_one.len(), own.len());
    for (merchant, counts) in &own {
        assert_eq!(&single_one[merchant].0, counts, "counts of {merchant}");
    }
    assert!(single_one["m-x"].1.is_none() && single_one["m-x"].2.is_some());
    assert_eq!(single_one.values().filter(|r| r.1.is_some()).count(), 60);

    assert_same(&cluster_one, &single_one, "one query");
    assert_same(&cluster_two, &single_two, "two-step plan");
    assert_same(&single_two, &single_one, "two-step plan in one process");
    // the first stage (the scan and the partial tallies, one task per file) ran on both
    let first = stages.iter().flatten().min().copied();
    assert!(
        first.is_some_and(|first| stages.iter().all(|s| s.contains(&first))),
        "stages run per executor: {stages:?}"
    );
}

/// A table on an object store (here an in-memory one, registered as a data lake's `s3://`
/// store would be): the client infers its schema, the scheduler lists its files and the
/// executors read them from the store, and the result is the one of the same files on disk.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_object_store_table_gives_the_file_result() {
    let model = model();
    let leaves = model.scorer().n_leaves();
    let files = answers(leaves);
    let lake = Arc::new(InMemory::new());
    for (i, bytes) in parquet_files(model.scorer().leaf_ids(), &files)
        .into_iter()
        .enumerate()
    {
        lake.put(
            &ObjectPath::from(format!("answers/part-{i}.parquet")),
            bytes.into(),
        )
        .await
        .unwrap();
    }
    let data = tempfile::tempdir().unwrap();
    write_parquet(data.path(), model.scorer().leaf_ids(), &files);
    let single = SessionContext::new();
    register(&single, Arc::clone(&model));
    single
        .register_parquet(
            "answers",
            &format!("{}/", data.path().display()),
            ParquetReadOptions::default(),
        )
        .await
        .unwrap();
    let on_disk = query(&single, ONE_QUERY).await;

    let stores = ObjectStores::new()
        .with("memory://lake", Arc::clone(&lake) as _)
        .unwrap();
    let cluster = LocalCluster::start_with_object_stores(Arc::clone(&model), 2, 1, stores)
        .await
        .unwrap();
    let ctx = cluster.context().await.unwrap();
    ctx.register_parquet(
        "answers",
        "memory://lake/answers/",
        ParquetReadOptions::default(),
    )
    .await
    .unwrap();
    let from_store = query(&ctx, ONE_QUERY).await;
    let stages: Vec<BTreeSet<u32>> = cluster.work_dirs().map(stages_run).collect();
    assert_eq!(
        from_store.len(),
        own_counts(&files, leaves, model.scorer().n_grades()).len()
    );
    assert_same(&from_store, &on_disk, "object store");
    let first = stages.iter().flatten().min().copied();
    assert!(
        first.is_some_and(|first| stages.iter().all(|s| s.contains(&first))),
        "stages run per executor: {stages:?}"
    );

    // without the store registered, the table is an error naming its URL, not an empty result
    let bare = LocalCluster::start(Arc::clone(&model), 1, 1).await.unwrap();
    let ctx = bare.context().await.unwrap();
    let err = ctx
        .register_parquet(
            "answers",
            "memory://lake/answers/",
            ParquetReadOptions::default(),
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("memory://lake"), "{err}");
}
