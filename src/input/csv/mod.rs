//! Survey answers and KPI cases from CSV files, with the `csv` crate.
//!
//! [`CsvOptions`] says how a file is read (delimiter, how grades are written, what happens to
//! a malformed row); [`CsvRead`] is what came back: the data, the rows skipped and where
//! reading stopped.

mod kpi;
mod position;
pub(crate) mod reader;
mod survey;

pub use reader::{CsvOptions, CsvRead, GradeNumbers, OnBadRow};
