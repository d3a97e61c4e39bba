//! One node of a Ballista cluster with the service-quality functions registered: the
//! scheduler, an executor, or a client that runs the scoring query. Start the scheduler, then
//! the executors (one per machine), then query:
//!
//! ```text
//! cargo run --release -p service-quality-ballista --example cluster_node -- scheduler --port 50050
//! cargo run --release -p service-quality-ballista --example cluster_node -- executor \
//!     --scheduler sched-host:50050 --host this-host --port 50051 --grpc-port 50052 --vcores 4
//! cargo run --release -p service-quality-ballista --example cluster_node -- query \
//!     --scheduler sched-host:50050 --table /shared/answers/
//! ```
//!
//! Every node takes `--model FILE`, a model file (default: the bundled
//! `examples/data/after_sales_model.json`), scored with the five-point satisfaction grades;
//! all nodes must load the same file. `--table` is a directory of Parquet files with the
//! columns `merchant`, `indicator` and `grade` that every executor can read at the same path
//! (a shared file system). The scheduler and executors run until interrupted (Ctrl+C).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::prelude::ParquetReadOptions;
use service_quality::{Evaluator, GradeSet, IndicatorTree};
use service_quality_ballista::{
    client_context, executor_function_registry, scheduler_session_builder,
};
use service_quality_datafusion::ScoringModel;

const USAGE: &str =
    "usage: cluster_node scheduler [--bind ADDR] [--host NAME] [--port N] [--model FILE]
       cluster_node executor --scheduler HOST:PORT [--bind ADDR] [--host NAME] [--port N]
                             [--grpc-port N] [--vcores N] [--work-dir DIR] [--model FILE]
       cluster_node query --scheduler HOST:PORT --table DIR [--model FILE]";

const QUERY: &str = "SELECT merchant, sq_score(sq_tally(indicator, grade)) AS score, \
    sq_grade_label(sq_tally(indicator, grade)) AS grade, sq_error(sq_tally(indicator, grade)) AS error \
    FROM answers GROUP BY merchant ORDER BY score DESC";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let role = args.next().ok_or(USAGE)?;
    let mut options = HashMap::new();
    while let Some(name) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?;
        options.insert(name, value);
    }
    let option = |name: &str| options.get(name).map(String::as_str);
    let number = |name: &str, default: u16| -> Result<u16, Box<dyn std::error::Error>> {
        Ok(option(name).map(str::parse).transpose()?.unwrap_or(default))
    };
    let model_path = option("--model").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../examples/data/after_sales_model.json")
        },
        PathBuf::from,
    );
    let tree = IndicatorTree::from_json(&std::fs::read_to_string(&model_path)?)
        .map_err(|e| format!("{}: {e}", model_path.display()))?;
    let model = Arc::new(ScoringModel::new(&Evaluator::new(
        tree,
        GradeSet::satisfaction_5(),
    ))?);
    let bind = option("--bind").unwrap_or("0.0.0.0");
    let host = option("--host").unwrap_or("localhost");

    match role.as_str() {
        "scheduler" => {
            let port = number("--port", 50050)?;
            let mut config = SchedulerConfig::default()
                .with_hostname(host)
                .with_port(port)
                .with_override_session_builder(scheduler_session_builder(model));
            config.bind_host = bind.to_owned();
            let address: SocketAddr = format!("{bind}:{port}").parse()?;
            let cluster = BallistaCluster::new_from_config(&config).await?;
            start_server(cluster, address, Arc::new(config)).await?;
        }
        "executor" => {
            let scheduler = option("--scheduler").ok_or(USAGE)?;
            let (scheduler_host, scheduler_port) = scheduler
                .rsplit_once(':')
                .ok_or("--scheduler is HOST:PORT")?;
            let defaults = ExecutorProcessConfig::default();
            let config = ExecutorProcessConfig {
                bind_host: bind.to_owned(),
                external_host: Some(host.to_owned()),
                port: number("--port", defaults.port)?,
                grpc_port: number("--grpc-port", defaults.grpc_port)?,
                scheduler_host: scheduler_host.to_owned(),
                scheduler_port: scheduler_port.parse()?,
                vcores: option("--vcores")
                    .map(str::parse)
                    .transpose()?
                    .unwrap_or(defaults.vcores),
                work_dir: option("--work-dir").map(str::to_owned),
                override_function_registry: Some(Arc::new(executor_function_registry(model)?)),
                ..defaults
            };
            start_executor_process(Arc::new(config)).await?;
        }
        "query" => {
            let scheduler = option("--scheduler").ok_or(USAGE)?;
            let table = option("--table").ok_or(USAGE)?;
            let ctx = client_context(&format!("df://{scheduler}"), model).await?;
            ctx.register_parquet("answers", table, ParquetReadOptions::default())
                .await?;
            ctx.sql(QUERY).await?.show().await?;
        }
        _ => return Err(USAGE.into()),
    }
    Ok(())
}
