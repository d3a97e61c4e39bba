//! SVG charts of the results (feature `charts`, drawn with `plotters`' SVG backend).
//!
//! - [`radar`]: a merchant's dimension scores against the platform mean;
//! - [`ranking_bars`]: the ranking as bars coloured by tier;
//! - [`timeline`]: a merchant's score over periods with its interval band and the periods
//!   where alerts fired.
//!
//! Each returns the SVG as a `String`, with labels in the [`Language`](crate::Language)
//! asked for. Text is written as SVG `<text>` in the font family [`FONT_FAMILY`], a list
//! that starts with CJK fonts (Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei,
//! PingFang SC) so Chinese labels render wherever one of them is installed, and ends with
//! `sans-serif`.

mod bars;
mod radar;
mod timeline;

pub use bars::ranking_bars;
pub use radar::radar;
pub use timeline::timeline;

use plotters::style::RGBColor;

use crate::error::OutcomeError;

/// The font family of every label: CJK fonts first, then `sans-serif`.
pub const FONT_FAMILY: &str =
    "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";

/// Tier colours, best tier first (green to red), then grey for insufficient data.
pub(crate) const TIER_COLOURS: [RGBColor; 6] = [
    RGBColor(26, 152, 80),
    RGBColor(145, 207, 96),
    RGBColor(254, 224, 139),
    RGBColor(252, 141, 89),
    RGBColor(215, 48, 39),
    RGBColor(165, 0, 38),
];

/// Grey, for merchants with insufficient data.
pub(crate) const GREY: RGBColor = RGBColor(160, 160, 160);

/// The colour of tier `t` of `tiers` (the last index = insufficient data, grey).
pub(crate) fn tier_colour(t: usize, tiers: usize) -> RGBColor {
    if t >= tiers {
        return GREY;
    }
    // spread the tiers over the palette: the best green, the worst red
    let last = TIER_COLOURS.len() - 1;
    let i = if tiers <= 1 {
        0
    } else {
        t * last / (tiers - 1)
    };
    TIER_COLOURS[i.min(last)]
}

/// A plotting backend error as the crate's error.
pub(crate) fn chart_error<E: std::fmt::Debug>(chart: &'static str) -> impl Fn(E) -> crate::Error {
    move |e| {
        OutcomeError::Chart {
            chart,
            reason: format!("{e:?}"),
        }
        .into()
    }
}
