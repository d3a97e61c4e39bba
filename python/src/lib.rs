//! The Python module `service_quality._native`, re-exported by the package `service_quality`
//! (`pysrc/service_quality/__init__.py`).
//!
//! One file per area of the crate's API, each registering its classes and functions in
//! [`_native`]: `model.rs` (grades, the indicator tree), `ahp.rs` (pairwise matrices,
//! priorities, consistency, random index tables), `input.rs` (survey answers, KPIs,
//! memberships), `evaluate.rs` (the evaluator and reports), `batch.rs` (the batch scorer over
//! numpy arrays), `panel.rs` (expert panels). `errors.rs` turns the crate's `Error` into the
//! package's exceptions and `convert.rs` holds the shared conversions. A new area of the crate
//! gets a file of its own and one line in [`_native`].
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

use pyo3::prelude::*;

mod ahp;
mod batch;
mod convert;
mod errors;
mod evaluate;
mod input;
mod model;
mod panel;

/// The compiled part of the `service_quality` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    model::register(m)?;
    ahp::register(m)?;
    input::register(m)?;
    evaluate::register(m)?;
    batch::register(m)?;
    panel::register(m)?;
    Ok(())
}
