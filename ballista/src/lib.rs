//! Service-quality scoring on an [Apache DataFusion Ballista](https://datafusion.apache.org/ballista/)
//! cluster: the SQL of `service-quality-datafusion` runs as it is, distributed.
//!
//! ```sql
//! SELECT merchant, sq_score(sq_tally(indicator, grade)) AS score
//! FROM answers GROUP BY merchant
//! ```
//!
//! Ballista ships plans between its parts as protocol buffers that name the functions they
//! call; each part looks the names up in its own registry. So the functions, bound to the same
//! model, are registered on all three:
//!
//! | part | what it does with the functions | registered through |
//! |---|---|---|
//! | client | plans the SQL | [`client_context`] |
//! | scheduler | decodes the logical plan, splits it into stages | [`scheduler_session_builder`] in `SchedulerConfig` |
//! | executor | decodes and runs the tasks: the partial tallies, their merge, the scoring | [`executor_function_registry`] in `ExecutorProcessConfig` |
//!
//! The tally is what is distributed: each executor counts the answers of its files into
//! partial counts per merchant (`sq_tally`'s state), the partial counts are shuffled by
//! merchant and merged, and the scores are computed where the merged counts are. The client
//! only collects the result. `docs/DISTRIBUTED.md` in the repository describes a deployment.
//!
//! [`LocalCluster`] starts a scheduler and executors in this process, on free localhost
//! ports, the way separate processes start: for tests and trials on one machine.
//!
//! Tables on an object store (`s3://lake/answers/`) need the store on the client, the
//! scheduler and every executor: [`ObjectStores`] registers it on all three.
//!
//! # Examples
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use service_quality::{template, Evaluator, GradeSet, IndicatorTree};
//! use service_quality_ballista::LocalCluster;
//! use service_quality_datafusion::ScoringModel;
//!
//! let tree = IndicatorTree::new(template::after_sales())?;
//! let model = Arc::new(ScoringModel::new(&Evaluator::new(tree, GradeSet::satisfaction_5()))?);
//! let cluster = LocalCluster::start(model, 2, 1).await?;
//! let ctx = cluster.context().await?;
//! ctx.register_parquet("answers", "/data/answers/", Default::default()).await?;
//! let scores = ctx
//!     .sql("SELECT merchant, sq_score(sq_tally(indicator, grade)) AS score \
//!           FROM answers GROUP BY merchant")
//!     .await?
//!     .collect()
//!     .await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod local;
mod object_stores;
mod register;

pub use local::LocalCluster;
pub use object_stores::ObjectStores;
pub use register::{
    client_context, executor_function_registry, scheduler_session_builder, session_state,
};
