//! The ranking as horizontal bars coloured by tier.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{OutcomeError, Result};
use crate::model::language::Language;
use crate::outcome::charts::{chart_error, tier_colour, FONT_FAMILY};
use crate::outcome::ranking::Ranking;
use crate::outcome::tiers::TierAssignment;

/// The first `limit` merchants of a ranking as horizontal bars, best at the top, each labelled
/// with its rank, id and score and coloured by its tier (green for the best tier to red for
/// the worst, grey for insufficient data; one colour without tiers), with a legend of the
/// tiers. Bars start at `low` (e.g. the lowest grade value).
///
/// # Errors
///
/// [`OutcomeError::Chart`] for a ranking without merchant ids or nobody ranked, tiers of
/// another length than the ranking's merchants, or `low` not below the best score.
pub fn ranking_bars(
    ranking: &Ranking,
    tiers: Option<&TierAssignment>,
    low: f64,
    limit: usize,
    language: Language,
) -> Result<String> {
    let fail = |reason: &str| -> crate::Error {
        OutcomeError::Chart {
            chart: "ranking bars",
            reason: reason.to_owned(),
        }
        .into()
    };
    let Some(ids) = ranking.ids() else {
        return Err(fail(
            "the ranking has no merchant ids (rank a board or reports)",
        ));
    };
    if tiers.is_some_and(|t| t.indices().len() != ids.len()) {
        return Err(fail("the tiers are not of the ranking's merchants"));
    }
    let shown: Vec<usize> = ranking
        .order()
        .iter()
        .take(limit)
        .map(|&m| m as usize)
        .collect();
    let Some(&best) = shown.first() else {
        return Err(fail("nobody is ranked"));
    };
    let high = ranking.score(best).unwrap_or(low);
    if !(low < high) {
        return Err(fail("`low` must be below the best score"));
    }
    let err = chart_error("ranking bars");
    let row = 26;
    let top = 60;
    let legend = tiers.map_or(0, |t| t.scheme().tiers().len() + 1) as i32;
    let height = (top + row * shown.len() as i32 + 30 + 22 * legend).max(160) as u32;
    let width = 760u32;
    let (x0, x1) = (230, width as i32 - 80);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(&err)?;
        let title = match language {
            Language::Zh => "商家排名与分级",
            _ => "Merchant ranking and tiers",
        };
        root.draw(&Text::new(title, (20, 30), (FONT_FAMILY, 22).into_font()))
            .map_err(&err)?;
        let n_tiers = tiers.map_or(1, |t| t.scheme().tiers().len());
        for (k, &m) in shown.iter().enumerate() {
            let score = ranking.score(m).unwrap_or(low);
            let y = top + row * k as i32;
            let w = ((score - low) / (high - low)).clamp(0.0, 1.0);
            let x = x0 + ((x1 - x0) as f64 * w).round() as i32;
            let colour = match tiers {
                Some(t) => tier_colour(t.indices()[m] as usize, n_tiers),
                None => RGBColor(31, 119, 180),
            };
            root.draw(&Rectangle::new(
                [(x0, y + 3), (x.max(x0 + 1), y + row - 3)],
                colour.filled(),
            ))
            .map_err(&err)?;
            let left = (FONT_FAMILY, 14)
                .into_font()
                .into_text_style(&root)
                .pos(Pos::new(HPos::Right, VPos::Center));
            let label = format!("{}. {}", ranking.rank(m).unwrap_or(0), ids[m]);
            root.draw(&Text::new(label, (x0 - 8, y + row / 2), left))
                .map_err(&err)?;
            let right = (FONT_FAMILY, 13)
                .into_font()
                .into_text_style(&root)
                .pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(
                format!("{score:.2}"),
                (x + 6, y + row / 2),
                right,
            ))
            .map_err(&err)?;
        }
        if let Some(t) = tiers {
            let scheme = t.scheme();
            let y0 = top + row * shown.len() as i32 + 24;
            for (k, tier) in scheme
                .tiers()
                .iter()
                .chain([scheme.insufficient()])
                .enumerate()
            {
                let y = y0 + 22 * k as i32;
                root.draw(&Rectangle::new(
                    [(x0, y - 7), (x0 + 16, y + 7)],
                    tier_colour(k, scheme.tiers().len()).filled(),
                ))
                .map_err(&err)?;
                let style = (FONT_FAMILY, 14)
                    .into_font()
                    .into_text_style(&root)
                    .pos(Pos::new(HPos::Left, VPos::Center));
                let name = if k < scheme.tiers().len() {
                    format!("{} {}", tier.id(), tier.name().get(language))
                } else {
                    tier.name().get(language).to_owned()
                };
                root.draw(&Text::new(name, (x0 + 24, y), style))
                    .map_err(&err)?;
            }
        }
        root.present().map_err(&err)?;
    }
    Ok(svg)
}
