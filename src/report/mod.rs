//! Reports: one merchant's evaluation presented for people (bilingual tables, the dimensions
//! and indicators that pull the score down) and for programs (serde), and the [`Table`] every
//! printed table is built as (text, Markdown, CSV, JSON; English or Chinese).

mod merchant;
mod merchant_tables;
mod table;
mod weight_table;

#[cfg(feature = "serde")]
pub(crate) use merchant::check_schema;
pub use merchant::{
    EvaluationReport, LevelOperator, ReportDisplay, ReportLine, REPORT_SCHEMA,
    REPORT_SCHEMA_VERSION,
};
pub use merchant_tables::{Composition, MerchantTables, NodeB, RRow};
pub use table::{Align, Cell, Column, Table, TableFormat, Text};
pub use weight_table::{IndicatorWeight, JudgedChild, JudgedNode, WeightTable};
