//! A merchant's radar of dimension scores against the platform mean.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{OutcomeError, Result};
use crate::model::language::Language;
use crate::outcome::card::MerchantCard;
use crate::outcome::charts::{chart_error, FONT_FAMILY};

const SIZE: (u32, u32) = (640, 560);

/// The radar chart of a card's dimension scores (blue, filled) against the platform mean
/// (grey), on axes from the lowest to the highest grade value (`low` and `high`, e.g. 55 and
/// 95), with rings at every quarter.
///
/// # Errors
///
/// [`OutcomeError::Chart`] for fewer than 3 dimensions, a dimension without a score or
/// mean, or `low >= high`.
///
/// # Examples
///
/// ```
/// # use service_quality::outcome::{MerchantCard, Scoreboard};
/// # use service_quality::{template, Evaluator, GradeSet, IndicatorTree, Language, Survey};
/// use service_quality::outcome::charts;
///
/// # let tree = IndicatorTree::new(template::after_sales())?;
/// # let evaluator = Evaluator::new(tree, GradeSet::satisfaction_5());
/// # let ids: Vec<String> = evaluator.tree().leaves().map(|l| l.id().to_owned()).collect();
/// # let mut survey = Survey::new(ids, GradeSet::satisfaction_5())?;
/// # survey.add_response("shop", &[Some(0); 13])?;
/// # survey.add_response("shop", &[Some(2); 13])?;
/// # let report = evaluator.report("shop", &survey.memberships("shop")?)?;
/// # let board = Scoreboard::from_reports("Q1", &evaluator, &[report])?;
/// let card = MerchantCard::new(&board, 0, &board.node_means())?;
/// let svg = charts::radar(&card, 55.0, 95.0, Language::Zh)?;
/// assert!(svg.starts_with("<svg") && svg.contains("售后服务态度"));
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn radar(card: &MerchantCard, low: f64, high: f64, language: Language) -> Result<String> {
    let dims = card.dimensions();
    let fail = |reason: &str| -> crate::Error {
        OutcomeError::Chart {
            chart: "radar",
            reason: reason.to_owned(),
        }
        .into()
    };
    if dims.len() < 3 {
        return Err(fail("a radar needs at least 3 dimensions"));
    }
    if !(low < high) {
        return Err(fail("the axis needs low < high"));
    }
    let mut own = Vec::with_capacity(dims.len());
    let mut mean = Vec::with_capacity(dims.len());
    for d in dims {
        match (d.score, d.platform_mean) {
            (Some(s), Some(m)) => {
                own.push(s);
                mean.push(m);
            }
            _ => return Err(fail("every dimension needs a score and a platform mean")),
        }
    }
    let err = chart_error("radar");
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(&err)?;
        let (cx, cy, radius) = (320.0, 300.0, 190.0);
        let n = dims.len();
        let point = |i: usize, value: f64| -> (i32, i32) {
            let r = radius * ((value - low) / (high - low)).clamp(0.0, 1.0);
            let angle = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            (
                (cx + r * angle.cos()).round() as i32,
                (cy + r * angle.sin()).round() as i32,
            )
        };
        let small = (FONT_FAMILY, 14).into_font();
        // rings and spokes
        for q in 1..=4 {
            let v = low + (high - low) * f64::from(q) / 4.0;
            let mut ring: Vec<(i32, i32)> = (0..n).map(|i| point(i, v)).collect();
            ring.push(ring[0]);
            root.draw(&PathElement::new(ring, RGBColor(210, 210, 210)))
                .map_err(&err)?;
            root.draw(&Text::new(
                format!("{v:.0}"),
                (cx as i32 + 6, point(0, v).1 + 2),
                small.clone().color(&RGBColor(130, 130, 130)),
            ))
            .map_err(&err)?;
        }
        for (i, d) in dims.iter().enumerate() {
            root.draw(&PathElement::new(
                vec![(cx as i32, cy as i32), point(i, high)],
                RGBColor(210, 210, 210),
            ))
            .map_err(&err)?;
            let (x, y) = point(i, high + (high - low) * 0.08);
            let anchor = if x < cx as i32 - 10 {
                HPos::Right
            } else if x > cx as i32 + 10 {
                HPos::Left
            } else {
                HPos::Center
            };
            // labels above the centre stand on their point, those below hang from it
            let vertical = if y < cy as i32 - 10 {
                VPos::Bottom
            } else if y > cy as i32 + 10 {
                VPos::Top
            } else {
                VPos::Center
            };
            let style = (FONT_FAMILY, 16)
                .into_font()
                .into_text_style(&root)
                .pos(Pos::new(anchor, vertical));
            root.draw(&Text::new(d.name.get(language).to_owned(), (x, y), style))
                .map_err(&err)?;
        }
        // the platform mean, then the merchant on top
        let polygon = |values: &[f64]| -> Vec<(i32, i32)> {
            values
                .iter()
                .enumerate()
                .map(|(i, &v)| point(i, v))
                .collect()
        };
        let grey = RGBColor(120, 120, 120);
        let blue = RGBColor(31, 119, 180);
        root.draw(&Polygon::new(polygon(&mean), grey.mix(0.15)))
            .map_err(&err)?;
        let mut outline = polygon(&mean);
        outline.push(outline[0]);
        root.draw(&PathElement::new(outline, grey.stroke_width(2)))
            .map_err(&err)?;
        root.draw(&Polygon::new(polygon(&own), blue.mix(0.3)))
            .map_err(&err)?;
        let mut outline = polygon(&own);
        outline.push(outline[0]);
        root.draw(&PathElement::new(outline, blue.stroke_width(3)))
            .map_err(&err)?;
        // title and legend
        let (title, mine, platform) = match language {
            Language::Zh => (
                format!("{}（{}）各维度得分", card.merchant(), card.period()),
                "本店",
                "平台均值",
            ),
            _ => (
                format!("{} ({}): dimension scores", card.merchant(), card.period()),
                "this merchant",
                "platform mean",
            ),
        };
        root.draw(&Text::new(title, (20, 28), (FONT_FAMILY, 22).into_font()))
            .map_err(&err)?;
        for (k, (label, colour)) in [(mine, blue), (platform, grey)].into_iter().enumerate() {
            let y = 520 + 22 * k as i32;
            root.draw(&Rectangle::new([(20, y - 7), (36, y + 7)], colour.filled()))
                .map_err(&err)?;
            root.draw(&Text::new(
                label.to_owned(),
                (44, y),
                (FONT_FAMILY, 15)
                    .into_font()
                    .into_text_style(&root)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(&err)?;
        }
        root.present().map_err(&err)?;
    }
    Ok(svg)
}
