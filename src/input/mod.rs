//! Input: merchants' data turned into grade memberships.
//!
//! Survey answers become memberships by counting ([`Survey`]: `r_ij` = share of the answers
//! for indicator `i` that chose grade `j`, missing answers counted apart); measured KPIs
//! become memberships through membership functions ([`KpiScale`], per class of case in a
//! [`KpiModel`], averaged over a merchant's cases by [`KpiTally`]). Either way the result is
//! one merchant's [`IndicatorMemberships`], which [`crate::evaluation`] reads. With the `csv`
//! feature both come from CSV files ([`CsvOptions`]).
#![cfg_attr(
    not(feature = "csv"),
    doc = "\n(The CSV readers `CsvOptions`, `Survey::from_csv` and `KpiTally::from_csv` need the `csv` feature.)"
)]

mod by_merchant;
#[cfg(feature = "csv")]
mod csv;
mod kpi;
mod memberships;
#[cfg(feature = "parquet")]
mod parquet;
mod survey;

#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
pub use csv::{CsvOptions, CsvRead, GradeNumbers, OnBadRow};
pub use kpi::{Direction, KpiModel, KpiScale, KpiTally};
pub(crate) use memberships::check_row;
pub use memberships::{IndicatorMemberships, IndicatorRow};
#[cfg(feature = "parquet")]
#[cfg_attr(docsrs, doc(cfg(feature = "parquet")))]
pub use parquet::{ParquetLayout, ParquetTally, MAX_COLUMN_CHUNK_BYTES};
pub use survey::{MerchantTally, Survey};
