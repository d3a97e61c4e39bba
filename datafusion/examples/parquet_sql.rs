//! Every merchant's score from a Parquet file of answers (long format: merchant, indicator,
//! grade) in one SQL query, timed: DataFusion reads and tallies the file with `sq_tally`, the
//! crate scores the tallies with `sq_score`.
//!
//! ```text
//! cargo run --release -p service-quality-datafusion --example parquet_sql -- FILE [PARTITIONS]
//! ```
//!
//! `PARTITIONS` is DataFusion's target partition count (its threads; default 1). The model is
//! the after-sales template with the five-grade satisfaction scale. `scripts/parquet-scale`
//! runs it beside the crate's own reader and polars.

use std::error::Error;
use std::sync::Arc;
use std::time::Instant;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::Float64Type;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use service_quality::{template, Evaluator, GradeSet, IndicatorTree};
use service_quality_datafusion::{register, ScoringModel};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: parquet_sql FILE [PARTITIONS]")?;
    let partitions: usize = args.next().map_or(Ok(1), |p| p.parse())?;
    let evaluator = Evaluator::new(
        IndicatorTree::new(template::after_sales())?,
        GradeSet::satisfaction_5(),
    );
    let config = SessionConfig::new().with_target_partitions(partitions);
    let ctx = SessionContext::new_with_config(config);
    register(&ctx, Arc::new(ScoringModel::new(&evaluator)?));
    let started = Instant::now();
    ctx.register_parquet("answers", &path, ParquetReadOptions::default())
        .await?;
    let batches = ctx
        .sql(
            "SELECT merchant, sq_score(sq_tally(indicator, grade)) AS score \
             FROM answers GROUP BY merchant",
        )
        .await?
        .collect()
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    let merchants: usize = batches.iter().map(|b| b.num_rows()).sum();
    let scored: usize = batches
        .iter()
        .map(|b| {
            let scores = b.column(1).as_primitive::<Float64Type>();
            scores.len() - scores.null_count()
        })
        .sum();
    println!(
        "datafusion ({partitions} partition(s)): {merchants} merchants ({scored} scored) in {seconds:.3} s"
    );
    Ok(())
}
