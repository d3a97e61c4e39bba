//! `LocalCluster`: a scheduler and executors in this process, on free localhost ports, started
//! the way separate scheduler and executor processes start.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::{SchedulerConfig, TaskDistributionPolicy};
use ballista_scheduler::scheduler_process::{create_scheduler, start_grpc_service_with_listener};
use ballista_scheduler::scheduler_server::SchedulerServer;
use datafusion::common::{DataFusionError, Result};
use datafusion::prelude::SessionContext;
use datafusion_proto::protobuf::{LogicalPlanNode, PhysicalPlanNode};
use service_quality_datafusion::ScoringModel;
use tokio::task::JoinHandle;

use crate::object_stores::ObjectStores;
use crate::register::{client_context, executor_function_registry, scheduler_session_builder};

/// How long [`LocalCluster::start`] waits for its executors to register.
const REGISTRATION_TIMEOUT: Duration = Duration::from_secs(30);

/// A Ballista cluster inside this process: one scheduler and `executors` executors, each on
/// localhost ports chosen free when it starts, each executor with its own work directory
/// (where it keeps the shuffle files of the tasks it ran), all with the crate's functions
/// bound to one model.
///
/// The scheduler and the executors are started with Ballista's process entry points
/// (`create_scheduler` with the session builder of [`scheduler_session_builder`],
/// `start_executor_process` with the registry of [`executor_function_registry`]), as
/// separate processes on separate machines are; tasks go round-robin to the executors. For
/// tests and trials on one machine.
///
/// Call it inside a multi-threaded Tokio runtime: the services run as tasks on it. Dropping
/// the cluster stops the scheduler's service and the executors' main tasks; the executors'
/// background tasks (task polling, shuffle service) end with the runtime, so a program that
/// starts several clusters one after another gives each its own runtime.
#[derive(Debug)]
pub struct LocalCluster {
    url: String,
    scheduler: JoinHandle<()>,
    executors: Vec<JoinHandle<()>>,
    work_dirs: Vec<tempfile::TempDir>,
    model: Arc<ScoringModel>,
    stores: ObjectStores,
}

impl LocalCluster {
    /// Starts a scheduler and `executors` executors of `vcores` task slots each, and waits
    /// until every executor has registered with the scheduler.
    ///
    /// # Errors
    ///
    /// When a port or a work directory cannot be had, the scheduler does not start, or the
    /// executors have not all registered after 30 s.
    pub async fn start(model: Arc<ScoringModel>, executors: usize, vcores: usize) -> Result<Self> {
        Self::start_with_object_stores(model, executors, vcores, ObjectStores::new()).await
    }

    /// [`start`](Self::start) with `stores` registered on the scheduler's sessions, every
    /// executor's runtime and the clients' contexts ([`context`](Self::context)): tables on
    /// those stores (`s3://lake/answers/`, `memory://lake/answers/`) are listed by the
    /// scheduler and read by the executors from the store.
    ///
    /// # Errors
    ///
    /// As [`start`](Self::start).
    pub async fn start_with_object_stores(
        model: Arc<ScoringModel>,
        executors: usize,
        vcores: usize,
        stores: ObjectStores,
    ) -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let config = SchedulerConfig::default()
            .with_hostname("localhost")
            .with_port(port)
            .with_task_distribution(TaskDistributionPolicy::RoundRobin)
            .with_override_session_builder(
                stores.session_builder(scheduler_session_builder(Arc::clone(&model))),
            );
        let cluster = BallistaCluster::new_from_config(&config)
            .await
            .map_err(external)?;
        let scheduler: SchedulerServer<LogicalPlanNode, PhysicalPlanNode> =
            create_scheduler(cluster, Arc::new(config))
                .await
                .map_err(external)?;
        let state = Arc::clone(&scheduler.state);
        let scheduler = tokio::spawn(async move {
            if let Err(e) = start_grpc_service_with_listener(listener, scheduler).await {
                log_stopped("scheduler", &e);
            }
        });

        let registry = Arc::new(executor_function_registry(Arc::clone(&model))?);
        let mut work_dirs = Vec::with_capacity(executors);
        let mut handles = Vec::with_capacity(executors);
        for _ in 0..executors {
            let work_dir = tempfile::tempdir()?;
            let config = ExecutorProcessConfig {
                bind_host: "127.0.0.1".into(),
                external_host: Some("localhost".into()),
                port: free_port()?,
                grpc_port: free_port()?,
                scheduler_host: "localhost".into(),
                scheduler_port: port,
                vcores,
                work_dir: Some(work_dir.path().to_string_lossy().into_owned()),
                override_function_registry: Some(Arc::clone(&registry)),
                override_runtime_producer: (!stores.is_empty())
                    .then(|| stores.executor_runtime_producer(work_dir.path())),
                ..ExecutorProcessConfig::default()
            };
            handles.push(tokio::spawn(async move {
                if let Err(e) = start_executor_process(Arc::new(config)).await {
                    log_stopped("executor", &e);
                }
            }));
            work_dirs.push(work_dir);
        }

        let cluster = Self {
            url: format!("df://localhost:{port}"),
            scheduler,
            executors: handles,
            work_dirs,
            model,
            stores,
        };
        let since = Instant::now();
        loop {
            let registered = state
                .executor_manager
                .get_executors_state()
                .await
                .map_err(external)?
                .len();
            if registered >= executors {
                return Ok(cluster);
            }
            if since.elapsed() > REGISTRATION_TIMEOUT {
                return Err(DataFusionError::Execution(format!(
                    "{registered} of {executors} executors registered with the scheduler within {} s",
                    REGISTRATION_TIMEOUT.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The scheduler's URL, `df://localhost:port`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A client's context on the cluster ([`client_context`]), with the cluster's object
    /// stores registered.
    ///
    /// # Errors
    ///
    /// As [`client_context`].
    pub async fn context(&self) -> Result<SessionContext> {
        let ctx = client_context(&self.url, Arc::clone(&self.model)).await?;
        self.stores.register_on(&ctx.runtime_env());
        Ok(ctx)
    }

    /// Each executor's work directory, in start order.
    pub fn work_dirs(&self) -> impl Iterator<Item = &Path> {
        self.work_dirs.iter().map(|dir| dir.path())
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        for executor in &self.executors {
            executor.abort();
        }
        self.scheduler.abort();
    }
}

/// A localhost port that was free a moment ago (the executor binds it itself).
fn free_port() -> std::io::Result<u16> {
    let probe = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    Ok(probe.local_addr()?.port())
}

fn external(e: ballista_core::error::BallistaError) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

fn log_stopped(service: &str, e: &ballista_core::error::BallistaError) {
    log::error!("in-process {service} stopped: {e}");
}
