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
pub(crate) mod bytemap;
#[cfg(feature = "csv")]
mod csv;
#[cfg(feature = "csv")]
mod encoding;
mod kpi;
#[cfg(feature = "csv")]
mod layout;
mod memberships;
#[cfg(feature = "csv")]
mod stream;
mod survey;
#[cfg(feature = "xlsx")]
mod xlsx;

#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
pub use csv::{CsvOptions, CsvRead, GradeNumbers, OnBadRow};
#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
pub use encoding::TextEncoding;
pub use kpi::{Direction, KpiModel, KpiScale, KpiTally};
#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
pub use layout::{
    CodeScale, SurveyLayout, DEFAULT_NO_ANSWER, SATISFACTION_ALIASES, WENJUANXING_METADATA,
};
pub(crate) use memberships::check_row;
pub use memberships::{IndicatorMemberships, IndicatorRow};
#[cfg(feature = "csv")]
#[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
pub use stream::{SurveyCounts, MAX_RECORD_BYTES};
pub use survey::{MerchantTally, Survey};
#[cfg(feature = "xlsx")]
#[cfg_attr(docsrs, doc(cfg(feature = "xlsx")))]
pub use xlsx::MAX_WORKBOOK_PART_BYTES;
