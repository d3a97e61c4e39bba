//! Reports: one merchant's evaluation presented for people (bilingual tables, the dimensions
//! and indicators that pull the score down) and for programs (serde), and the [`Table`] every
//! printed table is built as (text, Markdown, CSV, JSON; English or Chinese).

mod merchant;
mod merchant_tables;
mod table;
mod weight_table;

pub use merchant::{EvaluationReport, ReportDisplay, ReportLine};
pub use merchant_tables::{Composition, MerchantTables, NodeB, RRow};
pub use table::{Align, Cell, Column, Table, TableFormat, Text};
pub use weight_table::{IndicatorWeight, JudgedChild, JudgedNode, WeightTable};
