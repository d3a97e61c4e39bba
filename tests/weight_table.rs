//! The weight table and the hierarchy's overall consistency (层次总排序一致性) against a
//! published worked example and against numpy.
//!
//! - Published: 姜启源, 谢金星, 叶俊《数学模型》(第四版), 高等教育出版社, 2011, §8.1
//!   层次分析模型, the "选择旅游地" example (choosing a travel destination): criteria matrix
//!   `A` with `lambda_max = 5.073`, `CI = 0.018`, `RI = 1.12`, `CR = 0.016`, weights
//!   `(0.263, 0.475, 0.055, 0.099, 0.110)`; the table of the destinations under each
//!   criterion with `CI_k = (0.003, 0.001, 0, 0.005, 0)`, `RI = 0.58`; the combined weights
//!   of the destinations `(0.300, 0.246, 0.456)`. The book's weights come from its own
//!   approximate route and differ from the exact eigenvectors by up to 0.0013
//!   ([`tol::PUBLISHED_APPROX_3_DECIMALS`]); its CI and CR print exactly as ours round.
//! - numpy: `scripts/reference/overall_consistency_reference.py` (numpy 2.4.6 with OpenBLAS
//!   Haswell kernels, Python 3.11.7) wrote `tests/data/overall_consistency_reference.json`:
//!   eigenvectors, CI, CR of every judged node, global weights and the level-by-level overall
//!   consistency of the book's hierarchy and of the bundled after-sales model.
#![cfg(feature = "serde")]

mod common;

use common::check::{assert_all_close, assert_close, assert_printed};
use common::tol;
use serde::Deserialize;
use service_quality::report::{TableFormat, WeightTable};
use service_quality::{IndicatorTree, Judgements, Language, NodeSpec};

#[derive(Debug, Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    #[serde(default)]
    model: Option<serde_json::Value>,
    #[serde(default)]
    model_file: Option<String>,
    nodes: Vec<RefNode>,
    global_weights: std::collections::HashMap<String, f64>,
    levels: Vec<RefLevel>,
    #[serde(default)]
    combined: Option<Vec<f64>>,
}

#[derive(Debug, Deserialize)]
struct RefNode {
    id: String,
    weights: Vec<f64>,
    lambda_max: f64,
    ci: f64,
    ri: f64,
    cr: f64,
}

#[derive(Debug, Deserialize)]
struct RefLevel {
    depth: usize,
    nodes: Vec<String>,
    ci: f64,
    ri: f64,
    cr: f64,
    cumulative_cr: f64,
}

fn reference() -> Reference {
    let path = format!(
        "{}/tests/data/overall_consistency_reference.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn tree_of(case: &Case) -> IndicatorTree {
    let text = match (&case.model, &case.model_file) {
        (Some(model), _) => model.to_string(),
        (None, Some(file)) => {
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
        }
        _ => panic!("{}: no model", case.name),
    };
    IndicatorTree::from_json(&text).unwrap()
}

fn case(name: &str) -> Case {
    reference()
        .cases
        .into_iter()
        .find(|c| c.name == name)
        .unwrap()
}

#[test]
fn every_figure_agrees_with_numpy() {
    for case in reference().cases {
        let tree = tree_of(&case);
        let table = WeightTable::new(&tree);
        let what = &case.name;
        assert_eq!(table.judged().len(), case.nodes.len(), "{what}");
        for (got, want) in table.judged().iter().zip(&case.nodes) {
            assert_eq!(got.id(), want.id, "{what}");
            let c = got.consistency();
            let weights: Vec<f64> = got.children().iter().map(|c| c.weight()).collect();
            assert_all_close(&weights, &want.weights, tol::EIGEN, &want.id);
            assert_close(c.lambda_max(), want.lambda_max, tol::EIGEN, &want.id);
            assert_close(c.ci(), want.ci, tol::EIGEN, &want.id);
            assert_close(c.ri(), want.ri, tol::BIT_EXACT, &want.id);
            assert_close(c.cr(), want.cr, tol::EIGEN, &want.id);
        }
        for leaf in table.indicators() {
            assert_close(
                leaf.global_weight(),
                case.global_weights[leaf.id()],
                tol::EIGEN,
                leaf.id(),
            );
        }
        assert_eq!(table.levels().len(), case.levels.len(), "{what}");
        for (got, want) in table.levels().iter().zip(&case.levels) {
            assert_eq!(got.depth(), want.depth, "{what}");
            assert_eq!(got.nodes(), want.nodes.as_slice(), "{what}");
            assert_close(got.ci(), want.ci, tol::EIGEN, "level CI");
            assert_close(got.ri(), want.ri, tol::EIGEN, "level RI");
            assert_close(got.cr(), want.cr, tol::EIGEN, "level CR");
            assert_close(
                got.cumulative_cr(),
                want.cumulative_cr,
                tol::EIGEN,
                "cumulative CR",
            );
        }
    }
}

#[test]
fn the_textbook_travel_example() {
    let case = case("jiang_travel");
    let tree = tree_of(&case);
    let table = WeightTable::new(&tree);
    let goal = &table.judged()[0];
    // A: lambda_max = 5.073, CI = 0.018, RI = 1.12, CR = 0.016; weights as printed
    let c = goal.consistency();
    assert_printed(&[c.ci(), c.cr()], &[0.018, 0.016], 3, "A: CI, CR");
    assert_close(c.ri(), 1.12, tol::BIT_EXACT, "RI(5)");
    assert_close(
        c.lambda_max(),
        5.073,
        tol::PUBLISHED_APPROX_3_DECIMALS,
        "lambda_max",
    );
    let w: Vec<f64> = goal.children().iter().map(|c| c.weight()).collect();
    assert_all_close(
        &w,
        &[0.263, 0.475, 0.055, 0.099, 0.110],
        tol::PUBLISHED_APPROX_3_DECIMALS,
        "criteria weights",
    );
    // B1..B5: CI_k as printed, RI = 0.58
    let ci: Vec<f64> = table.judged()[1..]
        .iter()
        .map(|n| n.consistency().ci())
        .collect();
    assert_printed(&ci, &[0.003, 0.001, 0.0, 0.005, 0.0], 3, "CI_k");
    for node in &table.judged()[1..] {
        assert_close(node.consistency().ri(), 0.58, tol::BIT_EXACT, "RI(3)");
        assert!(node.passes());
    }
    // combined weights of the destinations
    let combined: Vec<f64> = (1..=3)
        .map(|p| {
            table
                .indicators()
                .iter()
                .filter(|l| l.id().ends_with(&format!("_p{p}")))
                .map(|l| l.global_weight())
                .sum()
        })
        .collect();
    assert_all_close(
        &combined,
        &[0.300, 0.246, 0.456],
        tol::PUBLISHED_APPROX_3_DECIMALS,
        "combined weights",
    );
    assert_all_close(
        &combined,
        case.combined.as_deref().unwrap(),
        tol::EIGEN,
        "combined weights (numpy)",
    );
    // the overall consistency of the destinations' level from the book's printed figures:
    // sum_k w_k CI_k / sum_k w_k RI_k with w and CI_k as printed
    let printed_w = [0.263, 0.475, 0.055, 0.099, 0.110];
    let printed_ci = [0.003, 0.001, 0.0, 0.005, 0.0];
    let num: f64 = printed_w.iter().zip(printed_ci).map(|(w, c)| w * c).sum();
    let den: f64 = printed_w.iter().map(|w| w * 0.58).sum();
    let from_book = num / den;
    let level = &table.levels()[1];
    assert_printed(
        &[level.cr()],
        &[(from_book * 1000.0).round() / 1000.0],
        3,
        "CR(3)",
    );
    assert_close(level.cr(), from_book, tol::PUBLISHED_CI_ROUNDING, "CR(3)");
    // the book's 组合一致性比率 adds the levels: 0.016 + 0.003 = 0.019
    assert_printed(&[level.cumulative_cr()], &[0.019], 3, "CR*");
    assert!(level.is_acceptable_default());
    // against 0.01 the criteria matrix (CR 0.016) fails, the others (CR < 0.008) pass
    let strict = table.clone().with_threshold(0.01).unwrap();
    let passes: Vec<bool> = strict.judged().iter().map(|n| n.passes()).collect();
    assert_eq!(passes, [false, true, true, true, true, true]);
}

#[test]
fn tables_have_one_row_per_thing_in_every_format() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/after_sales_model.json"
    ))
    .unwrap();
    let tree = IndicatorTree::from_json(&text).unwrap();
    let table = WeightTable::new(&tree);
    let tables = table.tables().unwrap();
    // five matrices, the consistency summary, the indicators, the overall consistency
    assert_eq!(tables.len(), 8);
    assert_eq!(table.consistency_table().unwrap().rows().len(), 5);
    let indicators = table.indicator_table().unwrap();
    assert_eq!(indicators.rows().len(), 13);
    // CSV: a header and 13 lines, the global weights summing to 1
    let csv = indicators.csv(Language::En);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "Indicator,Belongs to,Local weight,Global weight");
    assert_eq!(lines.len(), 14);
    let total: f64 = lines[1..]
        .iter()
        .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert_close(total, 1.0, tol::CLOSED_FORM, "global weights");
    // JSON: the overall consistency's rows carry the numbers at full precision
    let json: serde_json::Value =
        serde_json::from_str(&table.overall_table().unwrap().json(Language::Zh)).unwrap();
    assert_eq!(json["title"], "层次总排序一致性检验");
    assert_eq!(json["rows"].as_array().unwrap().len(), 2);
    assert_close(
        json["rows"][1][4].as_f64().unwrap(),
        table.levels()[1].cr(),
        tol::BIT_EXACT,
        "CR in JSON",
    );
    // the typed data serialises too
    let data = serde_json::to_value(&table).unwrap();
    assert_eq!(data["judged"][0]["consistency"]["ri_table"], "saaty1980");
    assert_eq!(data["indicators"][0]["label"]["zh"], "首次响应时间");
    // Markdown in Chinese: every row of a matrix table has the same display width
    for format in [TableFormat::Markdown, TableFormat::Text] {
        let md = tables[1].render(format, Language::Zh);
        let widths: Vec<usize> = md
            .lines()
            .filter(|l| l.starts_with('|') || l.contains("  "))
            .map(display_width)
            .collect();
        assert!(widths.len() >= 4, "{md}");
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{format:?}\n{md}");
    }
}

/// Display width: CJK characters (and the fullwidth forms) two columns, others one.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{1100}'..='\u{115F}').contains(&c)
                || ('\u{2E80}'..='\u{A4CF}').contains(&c)
                || ('\u{AC00}'..='\u{D7A3}').contains(&c)
                || ('\u{F900}'..='\u{FAFF}').contains(&c)
                || ('\u{FF00}'..='\u{FF60}').contains(&c)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn a_small_model_prints_exactly() {
    // 2:1 between speed and attitude: weights 2/3 and 1/3, n = 2 so CI = CR = 0
    let tree = IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Service",
            vec![
                NodeSpec::leaf("speed", "Speed").with_label_zh("速度"),
                NodeSpec::leaf("attitude", "Attitude").with_label_zh("态度"),
            ],
        )
        .with_label_zh("服务")
        .with_judgements(Judgements::Upper(vec![2.0])),
    )
    .unwrap();
    let table = WeightTable::new(&tree);
    let matrix = table.matrix_table(&table.judged()[0]).unwrap();
    assert_eq!(
        matrix.markdown(Language::En),
        "**Judgement matrix: Service (goal)**\n\
         \n\
         | Service  |  Speed | Attitude | Weight |\n\
         | :------- | -----: | -------: | -----: |\n\
         | Speed    | 1.0000 |   2.0000 | 0.6667 |\n\
         | Attitude | 0.5000 |   1.0000 | 0.3333 |\n\
         \n\
         lambda_max = 2.0000, CI = 0.0000, RI = 0.00 (Saaty (1980)), CR = 0.0000: passes\n"
    );
    assert_eq!(
        matrix.csv(Language::Zh),
        format!(
            "服务,速度,态度,权重\n速度,1,2,{}\n态度,0.5,1,{}\n",
            2.0 / 3.0,
            1.0 / 3.0
        )
    );
    let text = table.indicator_table().unwrap().text(Language::Zh);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "指标权重");
    assert_eq!(lines[2], "指标  所属  局部权重  全局权重");
    assert_eq!(lines[4], "速度  服务    0.6667    0.6667");
    // CR = 0 passes any positive threshold; a threshold that is not one is refused
    assert!(table.clone().with_threshold(f64::NAN).is_err());
    assert!(table.with_threshold(1e-9).unwrap().judged()[0].passes());
}
