//! Survey answers in a Parquet file (long format: merchant, indicator, grade) to every
//! merchant's score with `ParquetTally`, timed; `--plain` times a plain read of the same
//! columns instead (the baseline of `scripts/parquet-scale`).
//!
//! ```text
//! cargo run --release --features parquet --example parquet_scores -- [FILE] [--plain]
//! ```
//!
//! Without `FILE` a small demo file (20,000 answers of 40 merchants) is written to the
//! temporary directory first. The model is the after-sales template with the five-grade
//! satisfaction scale; grades are 0-based indices or labels.

use std::error::Error;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt8Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ProjectionMask};
use service_quality::batch::{ParquetLayout, ParquetTally};
use service_quality::{template, BatchScorer, Evaluator, GradeSet, IndicatorTree};

/// A small long-format file: 40 merchants, each respondent answering every indicator.
fn demo_file(evaluator: &Evaluator) -> Result<PathBuf, Box<dyn Error>> {
    let leaves: Vec<String> = evaluator
        .tree()
        .leaves()
        .map(|l| l.id().to_owned())
        .collect();
    let (mut merchant, mut indicator, mut grade) = (Vec::new(), Vec::new(), Vec::new());
    let mut state = 2026u64;
    while merchant.len() + leaves.len() <= 20_000 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let shop = format!("shop-{:02}", (state >> 33) % 40);
        for leaf in &leaves {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            merchant.push(shop.clone());
            indicator.push(leaf.clone());
            grade.push(((state >> 33) % 5) as u8);
        }
    }
    let batch = RecordBatch::try_from_iter([
        (
            "merchant",
            Arc::new(StringArray::from(merchant)) as ArrayRef,
        ),
        (
            "indicator",
            Arc::new(StringArray::from(indicator)) as ArrayRef,
        ),
        ("grade", Arc::new(UInt8Array::from(grade)) as ArrayRef),
    ])?;
    let path = std::env::temp_dir().join("service_quality_parquet_demo.parquet");
    let mut writer = ArrowWriter::try_new(std::fs::File::create(&path)?, batch.schema(), None)?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(path)
}

/// Rows of the three columns, decoded into record batches and dropped.
fn plain_read(path: &PathBuf) -> Result<usize, Box<dyn Error>> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path)?)?;
    let schema = builder.schema().clone();
    let roots = ["merchant", "indicator", "grade"]
        .iter()
        .map(|c| schema.index_of(c))
        .collect::<Result<Vec<_>, _>>()?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(64 * 1024)
        .build()?;
    let mut rows = 0;
    for batch in reader {
        rows += batch?.num_rows();
    }
    Ok(rows)
}

fn main() -> Result<(), Box<dyn Error>> {
    let evaluator = Evaluator::new(
        IndicatorTree::new(template::after_sales())?,
        GradeSet::satisfaction_5(),
    );
    let args: Vec<String> = std::env::args().skip(1).collect();
    let plain = args.iter().any(|a| a == "--plain");
    let path = match args.iter().find(|a| !a.starts_with("--")) {
        Some(p) => PathBuf::from(p),
        None => demo_file(&evaluator)?,
    };
    let started = Instant::now();
    if plain {
        let rows = plain_read(&path)?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "plain read: {rows} rows in {seconds:.3} s ({:.2} M rows/s)",
            rows as f64 / seconds / 1e6
        );
        return Ok(());
    }
    let layout = ParquetLayout::long("merchant", "indicator", "grade");
    let tally = ParquetTally::read(&path, &evaluator, &layout)?;
    let scores = tally.score(&BatchScorer::new(&evaluator)?)?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "file -> scores: {} rows ({} answers, {} missing), {} merchants in {seconds:.3} s ({:.2} M rows/s)",
        tally.rows(),
        tally.answers(),
        tally.missing(),
        tally.merchants().len(),
        tally.rows() as f64 / seconds / 1e6
    );
    let mut ranked: Vec<(&String, f64)> = tally
        .merchants()
        .iter()
        .zip(scores.scores.iter().copied())
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    for (merchant, score) in ranked.iter().take(3) {
        println!("  {merchant}: {score:.2}");
    }
    Ok(())
}
