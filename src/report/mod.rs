//! Reports: one merchant's evaluation presented for people (bilingual tables, the dimensions
//! and indicators that pull the score down) and for programs (serde).

mod merchant;

pub use merchant::{EvaluationReport, ReportDisplay, ReportLine};
