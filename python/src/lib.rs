//! The Python module `service_quality._native`, re-exported by the package `service_quality`
//! (`pysrc/service_quality/__init__.py`).
//!
//! One file per area of the crate's API, each registering its classes and functions in
//! [`_native`]: `model.rs` (grades, the indicator tree), `ahp.rs` (pairwise matrices,
//! priorities, consistency, random index tables, diagnosis and repair), `fuzzy_ahp.rs`
//! (triangular fuzzy matrices, Buckley's weights), `incomplete.rs` (matrices with missing
//! judgements and their completion), `input.rs` (survey answers, KPIs, memberships),
//! `intake.rs` (survey layouts, streaming answer counts), `evaluate.rs` (the evaluator and
//! reports), `batch.rs` (the batch scorer over numpy arrays), `panel.rs` (expert panels),
//! `table.rs` (the crate's `report::Table`, rendered or as a DataFrame), `tables.rs` (the
//! paper's weight and merchant tables), `analysis.rs` (questionnaire statistics),
//! `outcome.rs` (scoreboards, ranking, tiers, rectification, tracking, alerts, publication),
//! `mcdm.rs` (decision matrices, objective weights, TOPSIS, GRA, RSR, VIKOR, robustness),
//! `sensitivity.rs` (one-at-a-time thresholds, Monte Carlo on the judgements).
//! `errors.rs` turns the crate's `Error` into the package's exceptions and `convert.rs` holds
//! the shared conversions. A new area of the crate gets a file of its own and one line in
//! [`_native`].
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

use pyo3::prelude::*;

mod ahp;
mod analysis;
mod batch;
mod convert;
mod errors;
mod evaluate;
mod fuzzy_ahp;
mod incomplete;
mod input;
mod intake;
mod mcdm;
mod model;
mod outcome;
mod panel;
mod sensitivity;
mod table;
mod tables;

/// The compiled part of the `service_quality` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    model::register(m)?;
    ahp::register(m)?;
    fuzzy_ahp::register(m)?;
    incomplete::register(m)?;
    input::register(m)?;
    intake::register(m)?;
    evaluate::register(m)?;
    batch::register(m)?;
    panel::register(m)?;
    table::register(m)?;
    tables::register(m)?;
    analysis::register(m)?;
    outcome::register(m)?;
    mcdm::register(m)?;
    sensitivity::register(m)?;
    Ok(())
}
