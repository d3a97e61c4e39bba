//! A merchant's score over periods, with its interval band and alert points.

use plotters::prelude::*;

use crate::error::{OutcomeError, Result};
use crate::model::language::Language;
use crate::outcome::alerts::Alert;
use crate::outcome::charts::{chart_error, FONT_FAMILY};
use crate::outcome::tracking::History;

/// Merchant `id`'s overall score over the periods of `history` (a line with a point per
/// period it was scored in), the band `score ± z·SE` where the boards carry standard errors,
/// and a red ring on each period where one of `alerts` (of that merchant) fired. The y axis
/// runs from `low` to `high` (e.g. the grade values' range).
///
/// # Errors
///
/// [`OutcomeError::Chart`] for a merchant on no board, or `low >= high`.
pub fn timeline(
    history: &History,
    id: &str,
    alerts: &[Alert],
    z: f64,
    (low, high): (f64, f64),
    language: Language,
) -> Result<String> {
    let fail = |reason: String| -> crate::Error {
        OutcomeError::Chart {
            chart: "timeline",
            reason,
        }
        .into()
    };
    if !(low < high) {
        return Err(fail("the axis needs low < high".to_owned()));
    }
    let Some(u) = history.merchants().iter().position(|m| m == id) else {
        return Err(fail(format!("merchant `{id}` is on no board")));
    };
    let boards = history.boards();
    let points: Vec<(usize, f64, Option<f64>)> = (0..boards.len())
        .filter_map(|p| {
            history.position(p, u).map(|q| {
                let se = boards[p].std_errors().map(|s| z * s[q]);
                (p, boards[p].score(q), se)
            })
        })
        .collect();
    let err = chart_error("timeline");
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(&err)?;
        let (title, score_label, band_label, alert_label) = match language {
            Language::Zh => (format!("{id} 各期得分"), "综合得分", "置信区间", "预警"),
            _ => (
                format!("{id}: score over periods"),
                "overall score",
                "confidence interval",
                "alert",
            ),
        };
        let periods: Vec<String> = boards.iter().map(|b| b.period().to_owned()).collect();
        let last = boards.len().saturating_sub(1).max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT_FAMILY, 22))
            .margin(16)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(-0.3f64..last + 0.3, low..high)
            .map_err(&err)?;
        chart
            .configure_mesh()
            .x_labels(boards.len())
            .x_label_formatter(&|x| {
                let p = x.round();
                if (x - p).abs() < 1e-9 && p >= 0.0 {
                    periods.get(p as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .label_style((FONT_FAMILY, 14))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .draw()
            .map_err(&err)?;
        let blue = RGBColor(31, 119, 180);
        if points.iter().all(|p| p.2.is_some()) && !points.is_empty() {
            let mut band: Vec<(f64, f64)> = points
                .iter()
                .map(|&(p, s, h)| (p as f64, (s + h.unwrap_or(0.0)).min(high)))
                .collect();
            band.extend(
                points
                    .iter()
                    .rev()
                    .map(|&(p, s, h)| (p as f64, (s - h.unwrap_or(0.0)).max(low))),
            );
            chart
                .draw_series(std::iter::once(Polygon::new(band, blue.mix(0.18))))
                .map_err(&err)?
                .label(band_label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 16, y + 5)], blue.mix(0.18).filled())
                });
        }
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|&(p, s, _)| (p as f64, s)),
                blue.stroke_width(3),
            ))
            .map_err(&err)?
            .label(score_label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], blue.stroke_width(3))
            });
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&(p, s, _)| Circle::new((p as f64, s), 4, blue.filled())),
            )
            .map_err(&err)?;
        let red = RGBColor(215, 48, 39);
        let fired: Vec<(f64, f64)> = points
            .iter()
            .filter(|&&(p, _, _)| {
                alerts
                    .iter()
                    .any(|a| a.merchant == id && a.period == boards[p].period())
            })
            .map(|&(p, s, _)| (p as f64, s))
            .collect();
        chart
            .draw_series(
                fired
                    .iter()
                    .map(|&pt| Circle::new(pt, 9, red.stroke_width(3))),
            )
            .map_err(&err)?
            .label(alert_label)
            .legend(move |(x, y)| Circle::new((x + 8, y), 5, red.stroke_width(2)));
        chart
            .configure_series_labels()
            .label_font((FONT_FAMILY, 14))
            .border_style(RGBColor(200, 200, 200))
            .background_style(WHITE.mix(0.9))
            .position(SeriesLabelPosition::LowerRight)
            .draw()
            .map_err(&err)?;
        root.present().map_err(&err)?;
    }
    Ok(svg)
}
