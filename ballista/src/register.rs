//! The crate's SQL functions on the three parts of a Ballista cluster: the client that plans
//! the SQL, the scheduler that decodes the plan and splits it into stages, and the executors
//! that decode and run each task.

use std::sync::Arc;

use ballista::prelude::SessionContextExt;
use ballista_core::extension::SessionConfigExt;
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::default_session_builder;
use ballista_scheduler::SessionBuilder;
use datafusion::common::Result;
use datafusion::execution::{FunctionRegistry, SessionState};
use datafusion::prelude::{SessionConfig, SessionContext};
use service_quality_datafusion::{functions, register, ScoringModel};

/// Ballista's session state for `config` (DataFusion's and Ballista's functions, Ballista's
/// optimizer rules) with `sq_tally`, `sq_score`, `sq_grade`, `sq_grade_label`, `sq_error` and
/// `sq_b` bound to `model`.
///
/// # Errors
///
/// When DataFusion cannot build the runtime environment of the state.
pub fn session_state(config: SessionConfig, model: Arc<ScoringModel>) -> Result<SessionState> {
    let mut state = default_session_builder(config)?;
    let (tally, scalar) = functions(model);
    state.register_udaf(Arc::new(tally))?;
    for udf in scalar {
        state.register_udf(Arc::new(udf))?;
    }
    Ok(state)
}

/// The scheduler's session builder: every session the scheduler opens for a client has the
/// functions, so it can decode the client's logical plan and plan it.
///
/// Put it into the scheduler's configuration
/// (`SchedulerConfig::with_override_session_builder`).
pub fn scheduler_session_builder(model: Arc<ScoringModel>) -> SessionBuilder {
    Arc::new(move |config| session_state(config, Arc::clone(&model)))
}

/// An executor's function registry: DataFusion's and Ballista's functions with the crate's,
/// so the executor can decode the tasks the scheduler sends (a plan names its functions; the
/// executor looks them up here).
///
/// Put it into the executor's configuration (`ExecutorProcessConfig::override_function_registry`).
///
/// # Errors
///
/// As [`session_state`].
pub fn executor_function_registry(model: Arc<ScoringModel>) -> Result<BallistaFunctionRegistry> {
    let state = session_state(SessionConfig::new_with_ballista(), model)?;
    Ok(BallistaFunctionRegistry::from(&state))
}

/// A client's context on the scheduler at `url` (`df://host:port`), with the functions bound
/// to `model` for planning: the SQL of `service-quality-datafusion` runs as it is, distributed.
///
/// The scheduler and every executor must have the same model registered
/// ([`scheduler_session_builder`], [`executor_function_registry`]).
///
/// # Errors
///
/// When `url` is not a URL with a host.
pub async fn client_context(url: &str, model: Arc<ScoringModel>) -> Result<SessionContext> {
    // registered on the context: building a Ballista client state from a state resets its
    // functions to Ballista's defaults
    let ctx = SessionContext::remote(url).await?;
    register(&ctx, model);
    Ok(ctx)
}
