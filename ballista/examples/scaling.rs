//! How the distributed tally scales on one machine: a generated Parquet data set of survey
//! answers, the scoring query in one DataFusion process (1 and 2 partitions) and on a Ballista
//! cluster in this process with 1 and 2 executors of one task slot each. Prints a Markdown
//! table (best and median of the runs) and checks that every configuration gives the same
//! scores.
//!
//! ```text
//! cargo run --release -p service-quality-ballista --example scaling -- [ROWS] [FILES] [RUNS]
//! ```
//!
//! Defaults: 8,000,000 answers of 10,000 merchants in 8 files, 3 runs per configuration.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{ArrayRef, AsArray, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Float64Type, Schema};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use service_quality::{template, Evaluator, GradeSet, IndicatorTree};
use service_quality_ballista::LocalCluster;
use service_quality_datafusion::{register, ScoringModel};

const MERCHANTS: u64 = 10_000;
const BATCH_ROWS: usize = 1 << 18;
const QUERY: &str = "SELECT merchant, sq_score(sq_tally(indicator, grade)) AS score \
    FROM answers GROUP BY merchant";

type Error = Box<dyn std::error::Error>;

/// Where the query runs.
#[derive(Clone, Copy)]
enum Engine {
    /// One DataFusion process with this many partitions.
    Single(usize),
    /// A Ballista cluster with this many executors of one task slot each.
    Cluster(usize),
}

impl Engine {
    fn describe(self) -> String {
        match self {
            Self::Single(p) => format!("DataFusion, one process, {p} partition(s)"),
            Self::Cluster(e) => format!("Ballista, {e} executor(s) x 1 slot"),
        }
    }
}

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let rows = args.next().transpose()?.unwrap_or(8_000_000);
    let files = args.next().transpose()?.unwrap_or(8).max(1);
    let runs = args.next().transpose()?.unwrap_or(3).max(1);

    let evaluator = Evaluator::new(
        IndicatorTree::new(template::after_sales())?,
        GradeSet::satisfaction_5(),
    );
    let model = Arc::new(ScoringModel::new(&evaluator)?);
    let dir = tempfile::tempdir()?;
    let written = Instant::now();
    generate(dir.path(), model.scorer().leaf_ids(), rows, files)?;
    println!(
        "{rows} answers of {MERCHANTS} merchants in {files} Parquet files, written in {:.1} s; \
         load average before: {}",
        written.elapsed().as_secs_f64(),
        load_average()
    );
    let table = format!("{}/", dir.path().display());

    println!("\n| where | best | median | answers/s (best) | vs. 1 executor |");
    println!("|---|---:|---:|---:|---:|");
    let mut one_executor = None;
    let mut reference: Option<(usize, f64)> = None;
    for engine in [
        Engine::Single(1),
        Engine::Single(2),
        Engine::Cluster(1),
        Engine::Cluster(2),
    ] {
        // each configuration in a runtime of its own: the executors' background tasks end
        // with it
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()?;
        let (times, summary) = runtime.block_on(measure(engine, &model, &table, runs))?;
        runtime.shutdown_timeout(Duration::from_secs(5));
        match reference {
            None => reference = Some(summary),
            Some((merchants, sum)) => {
                if summary.0 != merchants || (summary.1 - sum).abs() > 1e-9 * sum.abs() {
                    return Err(format!(
                        "{}: {} merchants, score sum {}; expected {merchants}, {sum}",
                        engine.describe(),
                        summary.0,
                        summary.1
                    )
                    .into());
                }
            }
        }
        let best = times[0];
        let median = times[times.len() / 2];
        if let Engine::Cluster(1) = engine {
            one_executor = Some(best);
        }
        let speed_up = match (engine, one_executor) {
            (Engine::Cluster(_), Some(one)) => format!("{:.2}x", one / best),
            _ => String::new(),
        };
        println!(
            "| {} | {best:.2} s | {median:.2} s | {:.1} M | {speed_up} |",
            engine.describe(),
            rows as f64 / best / 1e6
        );
    }
    println!("\nload average after: {}", load_average());
    Ok(())
}

/// The query's wall times, sorted, and (merchants, sum of scores) of the last run.
async fn measure(
    engine: Engine,
    model: &Arc<ScoringModel>,
    table: &str,
    runs: usize,
) -> Result<(Vec<f64>, (usize, f64)), Error> {
    let (ctx, _cluster) = match engine {
        Engine::Single(partitions) => {
            let config = SessionConfig::new().with_target_partitions(partitions);
            let ctx = SessionContext::new_with_config(config);
            register(&ctx, Arc::clone(model));
            (ctx, None)
        }
        Engine::Cluster(executors) => {
            let cluster = LocalCluster::start(Arc::clone(model), executors, 1).await?;
            (cluster.context().await?, Some(cluster))
        }
    };
    ctx.register_parquet("answers", table, ParquetReadOptions::default())
        .await?;
    let mut times = Vec::with_capacity(runs);
    let mut summary = (0, 0.0);
    for _ in 0..runs {
        let start = Instant::now();
        let batches = ctx.sql(QUERY).await?.collect().await?;
        times.push(start.elapsed().as_secs_f64());
        summary = batches.iter().fold((0, 0.0), |(n, sum), batch| {
            let scores = batch.column(1).as_primitive::<Float64Type>();
            (
                n + batch.num_rows(),
                sum + scores.iter().flatten().sum::<f64>(),
            )
        });
    }
    times.sort_by(f64::total_cmp);
    Ok((times, summary))
}

/// `rows` answers in `files` Parquet files: merchant, indicator id, grade index (every tenth
/// missing), from a fixed pseudo-random sequence.
fn generate(dir: &Path, ids: &[String], rows: usize, files: usize) -> Result<(), Error> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("merchant", DataType::Utf8, false),
        Field::new("indicator", DataType::Utf8, false),
        Field::new("grade", DataType::Int64, true),
    ]));
    let mut state = 0x5eed_u64;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    for file in 0..files {
        let out = File::create(dir.join(format!("answers-{file:03}.parquet")))?;
        let mut writer = ArrowWriter::try_new(out, Arc::clone(&schema), None)?;
        let mut left = rows / files + usize::from(file < rows % files);
        while left > 0 {
            let n = left.min(BATCH_ROWS);
            left -= n;
            let (mut merchants, mut indicators, mut grades) = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            for _ in 0..n {
                merchants.push(format!("m{:05}", next(MERCHANTS)));
                indicators.push(ids[next(ids.len() as u64) as usize].as_str());
                grades.push((next(10) != 0).then(|| next(5) as i64));
            }
            let columns: Vec<ArrayRef> = vec![
                Arc::new(StringArray::from(merchants)),
                Arc::new(StringArray::from(indicators)),
                Arc::new(Int64Array::from(grades)),
            ];
            writer.write(&RecordBatch::try_new(Arc::clone(&schema), columns)?)?;
        }
        writer.close()?;
    }
    Ok(())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
