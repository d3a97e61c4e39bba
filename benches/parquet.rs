//! Survey answers from Parquet to every merchant's score, beside a plain Parquet read of the
//! same columns of the same bytes, in the same run.
//!
//! Run with `cargo bench --bench parquet --features parquet`. The file is generated at bench
//! time, in memory, as a data lake keeps answers: long format, one row per answer (merchant,
//! respondent, indicator, grade), 4,000,000 answers (`PARQUET_BENCH_ANSWERS=N` for another
//! number; the regression gate runs 1,000,000) (respondents of 2,000 merchants answering
//! the 13 indicators of the after-sales template in turn, about 4 % of grades null), row
//! groups of 1,048,576 rows, snappy, written by the `parquet` crate's `ArrowWriter` (string
//! columns dictionary-encoded, as pyarrow and Spark write them). Groups (throughput in
//! answers):
//!
//! - `parquet/plain_read`: the projected columns (merchant, indicator, grade) decoded into
//!   Arrow record batches by `ParquetRecordBatchReader`, nothing else (the baseline);
//! - `parquet/file_to_scores`: `ParquetTally::read_from` + `ParquetTally::score`.
//!
//! Numbers and the machine are in docs/PERFORMANCE.md ("Reading Parquet").

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

#[path = "common/gate_clock.rs"]
mod gate_clock;
#[path = "common/gate_settings.rs"]
mod gate_settings;
#[path = "common/splitmix.rs"]
mod splitmix;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, UInt8Array};
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gate_clock::GateClock;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use service_quality::batch::{ParquetLayout, ParquetTally};
use service_quality::{template, BatchScorer, Evaluator, GradeSet, IndicatorTree};
use splitmix::SplitMix;

/// Answers in the file unless `PARQUET_BENCH_ANSWERS` says otherwise.
const ANSWERS: usize = 4_000_000;
const MERCHANTS: u64 = 2_000;

/// The number of answers: `PARQUET_BENCH_ANSWERS`, or [`ANSWERS`].
fn answer_count() -> usize {
    std::env::var("PARQUET_BENCH_ANSWERS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n: &usize| n >= 100 * MERCHANTS as usize)
        .unwrap_or(ANSWERS)
}

/// The long-format file of `n` answers: each respondent (of a random merchant) answers every
/// leaf in turn.
fn answers(tree: &IndicatorTree, n: usize) -> Bytes {
    let mut rng = SplitMix(20_261_129);
    let leaves: Vec<String> = tree.leaves().map(|l| l.id().to_owned()).collect();
    let (mut merchant, mut respondent, mut indicator, mut grade) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut r = 0i64;
    while merchant.len() < n {
        let m = format!("shop-{:04}", rng.next_u64() % MERCHANTS);
        for leaf in &leaves {
            merchant.push(m.clone());
            respondent.push(r);
            indicator.push(leaf.clone());
            let u = rng.next_u64() % 100;
            grade.push((u >= 4).then(|| [0u8, 0, 1, 1, 1, 2, 2, 3, 4, 1][(u % 10) as usize]));
        }
        r += 1;
    }
    for column in [&mut merchant, &mut indicator] {
        column.truncate(n);
    }
    respondent.truncate(n);
    grade.truncate(n);
    let batch = RecordBatch::try_from_iter([
        (
            "merchant",
            Arc::new(StringArray::from(merchant)) as ArrayRef,
        ),
        (
            "respondent",
            Arc::new(Int64Array::from(respondent)) as ArrayRef,
        ),
        (
            "indicator",
            Arc::new(StringArray::from(indicator)) as ArrayRef,
        ),
        ("grade", Arc::new(UInt8Array::from(grade)) as ArrayRef),
    ])
    .expect("batch");
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(1 << 20))
        .build();
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).expect("writer");
    writer.write(&batch).expect("write");
    writer.close().expect("close");
    Bytes::from(out)
}

/// Decodes the three columns the tally reads, record batch by record batch.
fn plain_read(file: &Bytes) -> usize {
    let builder = ParquetRecordBatchReaderBuilder::try_new(file.clone()).expect("metadata");
    let schema = builder.schema().clone();
    let roots = ["merchant", "indicator", "grade"].map(|c| schema.index_of(c).expect("column"));
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(64 * 1024)
        .build()
        .expect("reader");
    reader.map(|b| b.expect("batch").num_rows()).sum()
}

fn bench(c: &mut Criterion<GateClock>) {
    let evaluator = Evaluator::new(
        IndicatorTree::new(template::after_sales()).expect("template"),
        GradeSet::satisfaction_5(),
    );
    let n = answer_count();
    let file = answers(evaluator.tree(), n);
    eprintln!(
        "parquet bench file: {n} answers, {MERCHANTS} merchants, {:.1} MB",
        file.len() as f64 / 1e6
    );
    let layout = ParquetLayout::long("merchant", "indicator", "grade");
    let scorer = BatchScorer::new(&evaluator).expect("scorer");
    let to_scores = |file: &Bytes| {
        let tally = ParquetTally::read_from(file.clone(), &evaluator, &layout).expect("tally");
        tally.score(&scorer).expect("scores")
    };
    assert_eq!(plain_read(&file), n);
    let first = to_scores(&file);
    assert_eq!(first.scores.len(), MERCHANTS as usize);
    assert!(first.failures.is_empty());

    let mut g = c.benchmark_group("parquet");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6))
        .throughput(Throughput::Elements(n as u64));
    gate_settings::group(&mut g);
    g.bench_function("plain_read", |b| b.iter(|| plain_read(black_box(&file))));
    g.bench_function("file_to_scores", |b| b.iter(|| to_scores(black_box(&file))));
    g.finish();
}

criterion_group! {
    name = benches;
    config = gate_settings::criterion(Criterion::default());
    targets = bench
}
criterion_main!(benches);
