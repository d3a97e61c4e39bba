//! Per-merchant tables (`R`, `A`, `B` raw / sum / normalised, score, grade) against hand
//! computation and the evaluator; the two grading rules on closed-form cases where they
//! disagree, in the evaluator, the reports and the batch scorer; KPI thresholds read from the
//! model file.
#![cfg(all(feature = "serde", feature = "csv"))]

mod common;

use std::fs::File;

use common::check::{assert_all_close, assert_close, assert_printed};
use common::tol;
use service_quality::input::{CsvOptions, OnBadRow};
use service_quality::report::MerchantTables;
use service_quality::{
    BatchOutput, BatchScorer, Error, Evaluator, GradeSet, GradingRule, HierarchyError,
    IndicatorMemberships, IndicatorTree, InputError, KpiModel, KpiTally, Language, NodeSpec,
    Survey,
};

/// goal (0.6 a, 0.4 b); a = (0.5 a1, 0.5 a2)
fn tree() -> IndicatorTree {
    IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Service",
            vec![
                NodeSpec::group(
                    "a",
                    "Speed",
                    vec![
                        NodeSpec::leaf("a1", "Reply").with_label_zh("回复"),
                        NodeSpec::leaf("a2", "Solve").with_label_zh("解决"),
                    ],
                )
                .with_label_zh("速度")
                .with_weights(vec![0.5, 0.5]),
                NodeSpec::leaf("b", "Attitude").with_label_zh("态度"),
            ],
        )
        .with_label_zh("服务")
        .with_weights(vec![0.6, 0.4]),
    )
    .unwrap()
}

fn data() -> IndicatorMemberships {
    let mut d = IndicatorMemberships::new(&GradeSet::satisfaction_5());
    d.insert("a1", vec![0.8, 0.2, 0.0, 0.0, 0.0], 10, 0)
        .unwrap();
    d.insert("a2", vec![0.0, 0.2, 0.4, 0.4, 0.0], 10, 0)
        .unwrap();
    // a row that does not sum to 1: its B is normalised before it enters the goal's R
    d.insert("b", vec![0.1, 0.3, 0.1, 0.0, 0.0], 10, 0).unwrap();
    d
}

#[test]
fn tables_match_hand_computation_and_the_evaluator() {
    let evaluator = Evaluator::new(tree(), GradeSet::satisfaction_5());
    let tables = evaluator.merchant_tables("shop", &data()).unwrap();
    assert_eq!(tables.grading(), GradingRule::MaxMembership);
    let comps = tables.compositions();
    assert_eq!(comps.len(), 2);
    let (goal, a) = (&comps[0], &comps[1]);
    // a: B = 0.5 (0.8, 0.2, 0, 0, 0) + 0.5 (0, 0.2, 0.4, 0.4, 0) = (0.4, 0.2, 0.2, 0.2, 0)
    assert_eq!(a.node().id(), "a");
    assert_all_close(
        a.rows()[0].memberships(),
        &[0.8, 0.2, 0.0, 0.0, 0.0],
        tol::ULPS,
        "r_a1",
    );
    assert_all_close(
        a.node().raw(),
        &[0.4, 0.2, 0.2, 0.2, 0.0],
        tol::CLOSED_FORM,
        "B_a",
    );
    assert_close(a.node().sum(), 1.0, tol::CLOSED_FORM, "sum B_a");
    assert_close(
        a.node().score(),
        0.4 * 95.0 + 0.2 * (85.0 + 75.0 + 65.0),
        tol::CLOSED_FORM_SCORE,
        "score a",
    );
    // b: raw (0.1, 0.3, 0.1, 0, 0), sum 0.5, normalised (0.2, 0.6, 0.2, 0, 0)
    let b = tables.nodes().iter().find(|n| n.id() == "b").unwrap();
    assert!(b.is_leaf());
    assert_close(b.sum(), 0.5, tol::CLOSED_FORM, "sum B_b");
    assert_all_close(
        b.normalized(),
        &[0.2, 0.6, 0.2, 0.0, 0.0],
        tol::CLOSED_FORM,
        "B'_b",
    );
    // goal: R = (B'_a; B'_b), A = (0.6, 0.4): B = (0.32, 0.36, 0.2, 0.12, 0)
    assert_eq!(goal.rows().len(), 2);
    assert_all_close(
        goal.rows()[1].memberships(),
        b.normalized(),
        tol::BIT_EXACT,
        "r_b",
    );
    assert_all_close(
        &[goal.rows()[0].weight(), goal.rows()[1].weight()],
        &[0.6, 0.4],
        tol::BIT_EXACT,
        "A",
    );
    let want = [0.32, 0.36, 0.2, 0.12, 0.0];
    assert_all_close(goal.node().raw(), &want, tol::CLOSED_FORM, "B_goal");
    let score: f64 = want
        .iter()
        .zip([95.0, 85.0, 75.0, 65.0, 55.0])
        .map(|(b, v)| b * v)
        .sum();
    assert_close(goal.node().score(), score, tol::CLOSED_FORM_SCORE, "score");
    // 83.6: satisfied by maximum membership (0.36) and by score interval [80, 90)
    assert_eq!((goal.node().grade(), goal.node().other_grade()), (1, 1));
    // the same numbers as the evaluator's
    let eval = evaluator.evaluate(&data()).unwrap();
    for (n, e) in tables.nodes().iter().zip(eval.nodes()) {
        assert_eq!(n.id(), e.id());
        assert_all_close(n.raw(), e.result().raw(), tol::BIT_EXACT, n.id());
        assert_close(n.score(), e.result().score(), tol::BIT_EXACT, n.id());
        assert_eq!(n.grade(), e.grade());
    }
    assert_eq!(
        MerchantTables::new("shop", &evaluator, &eval).unwrap(),
        tables
    );
    // an evaluation made with another tree is refused, not misread
    let other = Evaluator::new(
        IndicatorTree::new(
            NodeSpec::group("goal", "G", vec![NodeSpec::leaf("a", "A")]).with_weights(vec![1.0]),
        )
        .unwrap(),
        GradeSet::satisfaction_5(),
    );
    assert!(MerchantTables::new("shop", &other, &eval).is_err());
}

#[test]
fn tables_in_every_format() {
    let evaluator = Evaluator::new(tree(), GradeSet::satisfaction_5());
    let tables = evaluator.merchant_tables("shop", &data()).unwrap();
    let all = tables.tables().unwrap();
    assert_eq!(all.len(), 3); // the summary, the goal's and a's compositions
                              // the composition of `a`, exactly
    assert_eq!(
        all[2].markdown(Language::En),
        "**shop: R and B of Speed (a)**\n\
         \n\
         | Factor       | Weight a | very satisfied | satisfied | neutral | dissatisfied | very dissatisfied |    Sum |\n\
         | :----------- | -------: | -------------: | --------: | ------: | -----------: | ----------------: | -----: |\n\
         | Reply        |   0.5000 |         0.8000 |    0.2000 |  0.0000 |       0.0000 |            0.0000 | 1.0000 |\n\
         | Solve        |   0.5000 |         0.0000 |    0.2000 |  0.4000 |       0.4000 |            0.0000 | 1.0000 |\n\
         | B = A o R    |          |         0.4000 |    0.2000 |  0.2000 |       0.2000 |            0.0000 | 1.0000 |\n\
         | B normalised |          |         0.4000 |    0.2000 |  0.2000 |       0.2000 |            0.0000 | 1.0000 |\n\
         \n\
         Operator M(·,+); score 83.00; grade very satisfied by maximum membership (satisfied by score intervals).\n"
    );
    // CSV: header, one line per node, numbers with every digit
    let csv = all[0].csv(Language::En);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 5); // goal, a, a1, a2, b
    assert_eq!(
        lines[0],
        "Node,Path,Weight,very satisfied,satisfied,neutral,dissatisfied,very dissatisfied,Sum of raw B,Score,Grade (maximum membership),Grade (score intervals)"
    );
    let fields: Vec<&str> = lines[5].split(',').collect();
    assert_eq!(fields[..3], ["Attitude", "b", "0.4"]);
    let b: Vec<f64> = fields[3..8].iter().map(|f| f.parse().unwrap()).collect();
    assert_all_close(
        &b,
        &[0.2, 0.6, 0.2, 0.0, 0.0],
        tol::CLOSED_FORM,
        "B'_b in CSV",
    );
    assert_eq!(fields[10..], ["satisfied", "satisfied"]);
    // JSON: the table's rows, and the typed data
    let json: serde_json::Value = serde_json::from_str(&all[1].json(Language::Zh)).unwrap();
    assert_eq!(json["columns"][0], "因素");
    assert_eq!(json["rows"].as_array().unwrap().len(), 4);
    assert!(json["rows"][2][1].is_null());
    let data = serde_json::to_value(&tables).unwrap();
    assert_eq!(data["grading"], "max_membership");
    assert_eq!(data["compositions"][0]["operator"], "weighted_average");
    // Chinese text: every line of the summary's body has the same display width
    let text = all[0].text(Language::Zh);
    let body: Vec<&str> = text
        .lines()
        .skip(2)
        .take(7)
        .filter(|l| !l.starts_with('-'))
        .collect();
    let widths: Vec<usize> = body.iter().map(|l| width(l.trim_end())).collect();
    let full = width(text.lines().nth(1).unwrap());
    // the last column is left-aligned text, so lines may end early; none runs past the rule
    assert!(widths.iter().all(|&w| w <= full), "{text}");
    assert!(
        text.contains("很满意") && text.contains("等级(最大隶属度原则)"),
        "{text}"
    );
    // the score column (right-aligned) ends at the same display column on every line
    let mut scores = vec!["得分".to_owned()];
    scores.extend(tables.nodes().iter().map(|n| format!("{:.2}", n.score())));
    let ends: Vec<usize> = body
        .iter()
        .zip(&scores)
        .map(|(line, score)| width(&line[..line.find(score.as_str()).unwrap() + score.len()]))
        .collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "{ends:?}\n{text}");
}

fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{2E80}'..='\u{FFEF}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn grading_rules_disagree_on_closed_form_cases() {
    // goal = 0.5 speed + 0.5 attitude; B = (0.45, 0.1, 0.15, 0.15, 0.15), score 80.5:
    // maximum membership says "very satisfied" (0.45), the score lies in [80, 90): "satisfied"
    let tree = IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Service",
            vec![
                NodeSpec::leaf("speed", "Speed"),
                NodeSpec::leaf("attitude", "Attitude"),
            ],
        )
        .with_weights(vec![0.5, 0.5]),
    )
    .unwrap();
    let grades = GradeSet::satisfaction_5();
    let mut d = IndicatorMemberships::new(&grades);
    d.insert("speed", vec![0.9, 0.0, 0.0, 0.0, 0.1], 10, 0)
        .unwrap();
    d.insert("attitude", vec![0.0, 0.2, 0.3, 0.3, 0.2], 10, 0)
        .unwrap();
    let max = Evaluator::new(&tree, grades.clone());
    let intervals = max.clone().grading(GradingRule::ScoreIntervals);
    let (e1, e2) = (max.evaluate(&d).unwrap(), intervals.evaluate(&d).unwrap());
    assert_close(
        e1.root().result().score(),
        80.5,
        tol::CLOSED_FORM_SCORE,
        "score",
    );
    assert_eq!(
        (e1.grading(), e1.root().grade()),
        (GradingRule::MaxMembership, 0)
    );
    assert_eq!(
        (e2.grading(), e2.root().grade()),
        (GradingRule::ScoreIntervals, 1)
    );
    // the scores do not depend on the rule; the leaves are graded by the rule too:
    // speed 0.9*95 + 0.1*55 = 91 (very satisfied either way); attitude scores exactly 70,
    // the cut between neutral and dissatisfied, and gets the better grade, neutral, as the
    // first of its tied maximum memberships (0.3 = 0.3) does
    assert_eq!(e1.root().result(), e2.root().result());
    let attitude = |e: &service_quality::Evaluation| e.node("attitude").unwrap().grade();
    assert_eq!((attitude(&e1), attitude(&e2)), (2, 2));
    assert_eq!(e1.node("attitude").unwrap().result().tied(), [2, 3]);
    // reports record the rule and show the other grade
    let r1 = max.report("m", &d).unwrap();
    let r2 = intervals.report("m", &d).unwrap();
    assert_eq!(
        (
            r1.grading(),
            r1.overall().grade(),
            r1.overall().other_grade()
        ),
        (GradingRule::MaxMembership, 0, 1)
    );
    assert_eq!(
        (
            r2.grading(),
            r2.overall().grade(),
            r2.overall().other_grade()
        ),
        (GradingRule::ScoreIntervals, 1, 0)
    );
    assert!(r2.to_string().contains("grading: score intervals"), "{r2}");
    assert!(r2
        .display(Language::Zh)
        .to_string()
        .contains("定级: 得分区间"));
    // on Likert values 5..1 the cuts are 4.5, 3.5, 2.5, 1.5: B = (0.4, 0, 0, 0.6, 0) has
    // score 0.4*5 + 0.6*2 = 3.2 -> neutral, but maximum membership "dissatisfied"
    let points = GradeSet::satisfaction_5_points();
    let mut d = IndicatorMemberships::new(&points);
    d.insert("speed", vec![0.4, 0.0, 0.0, 0.6, 0.0], 5, 0)
        .unwrap();
    d.insert("attitude", vec![0.4, 0.0, 0.0, 0.6, 0.0], 5, 0)
        .unwrap();
    let e = Evaluator::new(&tree, points).grading(GradingRule::ScoreIntervals);
    let root = e.evaluate(&d).unwrap();
    assert_close(root.root().result().score(), 3.2, tol::CLOSED_FORM, "score");
    assert_eq!((root.root().grade(), root.root().result().grade()), (2, 3));
}

#[test]
fn the_batch_scorer_grades_by_the_evaluators_rule() {
    let tree = tree();
    let grades = GradeSet::satisfaction_5();
    // counts per merchant x leaf (a1, a2, b) x grade; merchant 2 has no answer on `b`
    let counts: Vec<u16> = vec![
        9, 0, 0, 0, 1, 0, 2, 3, 3, 2, 0, 2, 3, 3, 2, // merchant 0
        5, 5, 0, 0, 0, 0, 0, 0, 9, 1, 1, 1, 1, 1, 1, // merchant 1
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, // merchant 2 (fails)
    ];
    for rule in [GradingRule::MaxMembership, GradingRule::ScoreIntervals] {
        let evaluator = Evaluator::new(&tree, grades.clone()).grading(rule);
        let scorer = BatchScorer::new(&evaluator).unwrap();
        let (mut scores, mut out) = (vec![0.0; 3], vec![u32::MAX; 3]);
        let summary = scorer
            .score_counts(&counts, BatchOutput::new(&mut scores, &mut out).unwrap())
            .unwrap();
        assert_eq!(summary.failures().len(), 1);
        assert_eq!(summary.failures()[0].merchant, 2);
        assert_eq!(
            out[2],
            u32::MAX,
            "a failed merchant's slot is left as it was"
        );
        for i in 0..2 {
            let mut d = IndicatorMemberships::new(&grades);
            for (l, id) in ["a1", "a2", "b"].iter().enumerate() {
                let c = &counts[(i * 3 + l) * 5..(i * 3 + l + 1) * 5];
                let n: u16 = c.iter().sum();
                d.insert(
                    *id,
                    c.iter().map(|&x| f64::from(x) / f64::from(n)).collect(),
                    n as usize,
                    0,
                )
                .unwrap();
            }
            let e = evaluator.evaluate(&d).unwrap();
            assert_close(
                scores[i],
                e.root().result().score(),
                tol::CLOSED_FORM_SCORE,
                "score",
            );
            assert_eq!(out[i] as usize, e.root().grade(), "{rule} merchant {i}");
        }
    }
}

/// The bundled example: survey answers and measured times, the thresholds from the model file.
fn bundled(names: &[&str], rule: GradingRule) -> Vec<service_quality::EvaluationReport> {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
    let tree = IndicatorTree::from_json(
        &std::fs::read_to_string(format!("{data}after_sales_model.json")).unwrap(),
    )
    .unwrap();
    let grades = GradeSet::satisfaction_5();
    let kpi = KpiModel::from_tree(&tree, &grades).unwrap().unwrap();
    let mut opts = CsvOptions::new()
        .with_on_bad_row(OnBadRow::Skip)
        .with_ignored_column("respondent");
    for id in kpi.indicators() {
        opts = opts.with_ignored_column(id);
    }
    let survey = Survey::from_csv(
        File::open(format!("{data}survey.csv")).unwrap(),
        &tree,
        grades.clone(),
        &opts,
    )
    .unwrap()
    .into_result()
    .unwrap();
    let kpi = KpiTally::from_csv(
        File::open(format!("{data}kpi.csv")).unwrap(),
        kpi,
        &CsvOptions::new(),
    )
    .unwrap()
    .into_result()
    .unwrap();
    let evaluator = Evaluator::new(&tree, grades).grading(rule);
    names
        .iter()
        .map(|m| {
            let mut d = survey.memberships(m).unwrap();
            d.merge(kpi.memberships(m).unwrap()).unwrap();
            evaluator.report(*m, &d).unwrap()
        })
        .collect()
}

#[test]
fn the_bundled_example_where_the_rules_disagree() {
    // shop-06 scores 87.13 and is "satisfied", shop-17 scores 86.58 and is "very satisfied"
    // by maximum membership; by score intervals both are "satisfied" ([80, 90))
    let max = bundled(&["shop-06", "shop-17"], GradingRule::MaxMembership);
    let scores: Vec<f64> = max.iter().map(|r| r.overall().score()).collect();
    assert_printed(&scores, &[87.13, 86.58], 2, "scores");
    let grades: Vec<usize> = max.iter().map(|r| r.overall().grade()).collect();
    assert_eq!(grades, [1, 0]);
    // shop-17's B has its largest share on "very satisfied", but less mass on "satisfied"
    // and more on the lower grades than shop-06's
    let (b06, b17) = (
        max[0].overall().memberships(),
        max[1].overall().memberships(),
    );
    assert!(b17[0] > b17[1] && b06[1] > b06[0]);
    assert!(b17[2] + b17[3] + b17[4] > b06[2] + b06[3] + b06[4]);
    let intervals = bundled(&["shop-06", "shop-17"], GradingRule::ScoreIntervals);
    let grades: Vec<usize> = intervals.iter().map(|r| r.overall().grade()).collect();
    assert_eq!(grades, [1, 1]);
    assert_eq!(intervals[1].overall().other_grade(), 0);
}

#[test]
fn kpi_thresholds_come_from_the_model_file() {
    let grades = GradeSet::satisfaction_5();
    let model = |kpi: &str| {
        format!(
            r#"{{"root": {{"id": "g", "label": "G", "weights": [0.5, 0.5],
                "children": [{{"id": "t", "label": "T"}}, {{"id": "u", "label": "U"}}]}},
                "kpi": {kpi}}}"#
        )
    };
    let ok = model(
        r#"{"unit": "minutes", "scales": [
            {"indicator": "t", "class": "urgent", "smaller_is_better": [1, 2, 3, 4, 5]},
            {"indicator": "u", "class": "urgent", "larger_is_better": [0.9, 0.8, 0.7, 0.6, 0.5]}]}"#,
    );
    let tree = IndicatorTree::from_json(&ok).unwrap();
    assert_eq!(tree.kpi().unwrap().unit.as_deref(), Some("minutes"));
    let kpi = KpiModel::from_tree(&tree, &grades).unwrap().unwrap();
    assert_eq!(
        kpi.get("t", "urgent").unwrap().membership(2.5).unwrap(),
        vec![0.0, 0.5, 0.5, 0.0, 0.0]
    );
    assert_eq!(
        kpi.get("u", "urgent").unwrap().membership(0.95).unwrap(),
        vec![1.0, 0.0, 0.0, 0.0, 0.0]
    );
    // the section survives a round trip through serde
    let back: IndicatorTree = serde_json::from_str(&serde_json::to_string(&tree).unwrap()).unwrap();
    assert_eq!(back.kpi(), tree.kpi());
    // a model without the section has no KPI model
    let plain = IndicatorTree::from_json(r#"{"root": {"id": "g", "label": "G"}}"#).unwrap();
    assert!(KpiModel::from_tree(&plain, &grades).unwrap().is_none());
    // an id that is not an indicator, a pair given twice
    let unknown =
        model(r#"{"scales": [{"indicator": "g", "class": "c", "smaller_is_better": [1, 2]}]}"#);
    assert!(matches!(
        IndicatorTree::from_json(&unknown),
        Err(Error::Hierarchy(HierarchyError::UnknownKpiIndicator { indicator, class })) if indicator == "g" && class == "c"
    ));
    let twice = model(
        r#"{"scales": [{"indicator": "t", "class": "c", "smaller_is_better": [1, 2]},
                       {"indicator": "t", "class": "c", "smaller_is_better": [1, 3]}]}"#,
    );
    assert!(matches!(
        IndicatorTree::from_json(&twice),
        Err(Error::Hierarchy(HierarchyError::DuplicateKpiScale { .. }))
    ));
    // both directions, or none: the model file's line and column
    let both = model(
        r#"{"scales": [{"indicator": "t", "class": "c", "smaller_is_better": [1, 2], "larger_is_better": [2, 1]}]}"#,
    );
    let e = IndicatorTree::from_json(&both).unwrap_err().to_string();
    assert!(
        e.contains("exactly one of `smaller_is_better` and `larger_is_better`"),
        "{e}"
    );
    // breakpoints out of order, or not one per grade: named with the indicator and class
    for (scales, what) in [
        (
            r#"[{"indicator": "t", "class": "c", "smaller_is_better": [1, 3, 2, 4, 5]}]"#,
            "breakpoint 2 = 2",
        ),
        (
            r#"[{"indicator": "t", "class": "c", "smaller_is_better": [1, 2, 3]}]"#,
            "3",
        ),
    ] {
        let tree = IndicatorTree::from_json(&model(&format!(r#"{{"scales": {scales}}}"#))).unwrap();
        let e = KpiModel::from_tree(&tree, &grades).unwrap_err();
        assert!(
            matches!(&e, Error::Input(InputError::KpiThresholds { indicator, class, .. }) if indicator == "t" && class == "c"),
            "{e}"
        );
        assert!(e.to_string().contains(what), "{e}");
    }
}
