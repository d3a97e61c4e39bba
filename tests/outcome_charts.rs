//! The SVG charts (feature `charts`) parse as XML and hold the expected series and labels.
#![cfg(feature = "charts")]

use service_quality::outcome::charts::{self, FONT_FAMILY};
use service_quality::outcome::{
    AlertRule, AlertRules, History, MerchantCard, RankOptions, Ranking, Scoreboard, Tier,
    TierBasis, TierScheme,
};
use service_quality::{template, Evaluator, GradeSet, IndicatorTree, Language, Survey};

/// Three merchants of the after-sales template over three periods: shop-a steady, shop-b
/// declining, shop-c improving.
fn history() -> (Evaluator, History) {
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    let ev = Evaluator::new(tree, GradeSet::satisfaction_5());
    let ids: Vec<String> = ev.tree().leaves().map(|l| l.id().to_owned()).collect();
    let mut boards = Vec::new();
    for (p, period) in ["Q1", "Q2", "Q3"].iter().enumerate() {
        let mut survey = Survey::new(ids.clone(), GradeSet::satisfaction_5()).unwrap();
        for (shop, grade) in [
            ("shop-a", [0, 1]),
            ("shop-b", [p, p + 1]),
            ("shop-c", [2 - p, 2]),
        ] {
            for g in grade {
                survey.add_response(shop, &[Some(g); 13]).unwrap();
            }
        }
        let reports: Vec<_> = survey
            .merchant_names()
            .map(|m| ev.report(m, &survey.memberships(m).unwrap()).unwrap())
            .collect();
        boards.push(
            Scoreboard::from_reports(*period, &ev, &reports)
                .unwrap()
                .with_std_errors(vec![2.0; 3])
                .unwrap(),
        );
    }
    (ev, History::new(boards).unwrap())
}

fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_owned())
        .collect()
}

fn count(svg: &str, tag: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants().filter(|n| n.has_tag_name(tag)).count()
}

#[test]
fn the_radar_holds_both_series_and_chinese_labels_in_a_cjk_font() {
    let (_, h) = history();
    let board = &h.boards()[2];
    let card = MerchantCard::new(board, 1, &board.node_means()).unwrap();
    let svg = charts::radar(&card, 55.0, 95.0, Language::Zh).unwrap();
    let t = texts(&svg);
    for label in [
        "售后服务响应速度",
        "售后服务态度",
        "售后服务专业性",
        "售后服务满意度",
        "本店",
        "平台均值",
    ] {
        assert!(t.iter().any(|x| x == label), "{label} missing from {t:?}");
    }
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .all(|n| n.attribute("font-family") == Some(FONT_FAMILY)));
    assert!(FONT_FAMILY.starts_with("Noto Sans CJK SC"));
    // two filled series (merchant, platform mean), one vertex per dimension each
    let polygons: Vec<usize> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .map(|n| {
            n.attribute("points")
                .unwrap_or("")
                .split_whitespace()
                .count()
        })
        .collect();
    assert_eq!(polygons, [4, 4]);
    // the merchant's speed vertex sits at its score on the 55..95 axis: shop-b in Q3 answered
    // grades 2 and 3 (75, 65): 70, a radius of 190 * 15/40 above the centre (320, 300)
    let own = doc
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .nth(1)
        .unwrap();
    let first = own
        .attribute("points")
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let y: f64 = first.split(',').nth(1).unwrap().parse().unwrap();
    assert_eq!(
        y.round() as i64,
        (300.0 - 190.0 * 15.0 / 40.0_f64).round() as i64
    );
    let short = MerchantCard::new(&h.boards()[0], 0, &h.boards()[0].node_means()).unwrap();
    assert!(charts::radar(&short, 95.0, 55.0, Language::En).is_err());
}

#[test]
fn the_ranking_bars_follow_the_ranking_and_the_tiers() {
    let (_, h) = history();
    let board = &h.boards()[2];
    let ranking = Ranking::of(board, &RankOptions::new()).unwrap();
    let scheme = TierScheme::new(
        TierBasis::Score,
        vec![
            Tier::new("A", "Top").with_label_zh("优秀").at_least(80.0),
            Tier::new("B", "Rest"),
        ],
    )
    .unwrap();
    let tiers = scheme.assign(board).unwrap();
    let svg = charts::ranking_bars(&ranking, Some(&tiers), 55.0, 10, Language::Zh).unwrap();
    let t = texts(&svg);
    let bars: Vec<&String> = t.iter().filter(|x| x.contains(". shop-")).collect();
    // Q3: shop-c 85 (grades 0, 2), shop-a 90 (0, 1), shop-b 70 (2, 3)
    assert_eq!(bars, ["1. shop-a", "2. shop-c", "3. shop-b"]);
    assert!(t.iter().any(|x| x == "A 优秀") && t.iter().any(|x| x == "样本不足"));
    assert!(t.iter().any(|x| x == "90.00"));
    // background + one bar per merchant + one legend swatch per tier (with insufficient data)
    assert_eq!(count(&svg, "rect"), 1 + 3 + 3);
    let unnamed = Ranking::by_scores(&[1.0], service_quality::outcome::TieRule::Dense).unwrap();
    assert!(charts::ranking_bars(&unnamed, None, 0.0, 10, Language::En).is_err());
}

#[test]
fn the_timeline_shows_the_series_band_and_alerts() {
    let (_, h) = history();
    let rules = AlertRules::new(vec![AlertRule::Drop { points: 5.0 }]).unwrap();
    let alerts = rules.evaluate(&h).unwrap();
    assert_eq!(alerts.iter().filter(|a| a.merchant == "shop-b").count(), 2);
    let svg = charts::timeline(&h, "shop-b", &alerts, 1.96, (55.0, 95.0), Language::En).unwrap();
    let t = texts(&svg);
    for label in [
        "Q1",
        "Q2",
        "Q3",
        "shop-b: score over periods",
        "overall score",
        "alert",
        "confidence interval",
    ] {
        assert!(t.iter().any(|x| x == label), "{label} missing from {t:?}");
    }
    let doc = roxmltree::Document::parse(&svg).unwrap();
    // the score line through three points
    let line = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .find(|n| {
            n.attribute("stroke-width") == Some("3")
                && n.attribute("points")
                    .is_some_and(|p| p.split_whitespace().count() == 3)
        });
    assert!(line.is_some(), "no 3-point score line");
    // red rings: two alert points plus the legend's
    let rings = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("stroke") == Some("#D73027"))
        .count();
    assert_eq!(rings, 3);
    assert!(charts::timeline(&h, "nobody", &alerts, 1.96, (55.0, 95.0), Language::En).is_err());
}
