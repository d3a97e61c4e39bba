//! Object stores (a data lake's `s3://bucket`, `gs://bucket`, an in-memory store) registered
//! on every part of a cluster that touches a table's files: the client that infers the
//! table's schema, the scheduler that lists its files into tasks, and the executors that read
//! them.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use ballista_core::RuntimeProducer;
use ballista_scheduler::SessionBuilder;
use datafusion::common::Result;
use datafusion::execution::object_store::ObjectStoreUrl;
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::object_store::ObjectStore;

/// Object stores by URL (`scheme://authority`), to be registered wherever a table on them is
/// planned or read.
///
/// DataFusion finds the store of a table path like `s3://lake/answers/` by its scheme and
/// authority in the runtime environment of the session that plans or reads it. On a Ballista
/// cluster that is three places: the client's context, every session the scheduler opens,
/// and every executor's runtime; [`LocalCluster::start_with_object_stores`] registers them on
/// all three, and a deployment of separate processes does the same with
/// [`register_on`](Self::register_on), [`session_builder`](Self::session_builder) and
/// [`executor_runtime_producer`](Self::executor_runtime_producer).
///
/// [`LocalCluster::start_with_object_stores`]: crate::LocalCluster::start_with_object_stores
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use datafusion::object_store::memory::InMemory;
/// use service_quality_ballista::ObjectStores;
///
/// let stores = ObjectStores::new().with("memory://lake", Arc::new(InMemory::new()))?;
/// assert_eq!(stores.urls().collect::<Vec<_>>(), ["memory://lake/"]);
/// // a URL with a path is not a store's URL
/// assert!(ObjectStores::new().with("s3://lake/answers", Arc::new(InMemory::new())).is_err());
/// # Ok::<(), datafusion::error::DataFusionError>(())
/// ```
#[derive(Clone, Default)]
pub struct ObjectStores {
    stores: Vec<(ObjectStoreUrl, Arc<dyn ObjectStore>)>,
}

impl fmt::Debug for ObjectStores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.urls()).finish()
    }
}

impl ObjectStores {
    /// No store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `store` for the tables under `url`: a scheme and an authority without a path
    /// (`s3://lake`, `memory://lake`).
    ///
    /// # Errors
    ///
    /// When `url` is not a URL or has a path, query or fragment.
    pub fn with(mut self, url: &str, store: Arc<dyn ObjectStore>) -> Result<Self> {
        self.stores.push((ObjectStoreUrl::parse(url)?, store));
        Ok(self)
    }

    /// The stores' URLs, in the order they were added.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.stores.iter().map(|(url, _)| url.as_str())
    }

    /// No store added.
    pub fn is_empty(&self) -> bool {
        self.stores.is_empty()
    }

    /// Registers every store on `runtime` (a client's context: `ctx.runtime_env()`).
    pub fn register_on(&self, runtime: &RuntimeEnv) {
        for (url, store) in &self.stores {
            runtime.register_object_store(url.as_ref(), Arc::clone(store));
        }
    }

    /// `inner` with the stores registered on the runtime of every session it builds: the
    /// scheduler's session builder (`SchedulerConfig::with_override_session_builder`), so the
    /// scheduler can list a table's files.
    pub fn session_builder(&self, inner: SessionBuilder) -> SessionBuilder {
        let stores = self.clone();
        Arc::new(move |config| {
            let state = inner(config)?;
            stores.register_on(state.runtime_env());
            Ok(state)
        })
    }

    /// An executor's runtime producer (`ExecutorProcessConfig::override_runtime_producer`):
    /// the runtime Ballista's executor builds by default (temporary files in `work_dir`)
    /// with the stores registered, so the executor can read a table's files.
    pub fn executor_runtime_producer(&self, work_dir: impl Into<PathBuf>) -> RuntimeProducer {
        let stores = self.clone();
        let work_dir = work_dir.into();
        Arc::new(move |_config| {
            let runtime = RuntimeEnvBuilder::new()
                .with_temp_file_path(work_dir.clone())
                .build()?;
            stores.register_on(&runtime);
            Ok(Arc::new(runtime))
        })
    }
}
