//! Using the results: complete reports, scoreboards, ranking, tiers, rectification,
//! publication, tracking and alerts — behaviour on hand-made cases with closed-form answers,
//! and bad input (typed errors, never a panic or a silent wrong answer).

mod common;

use common::check::assert_close;
use common::tol::{CLOSED_FORM_SCORE, MONTE_CARLO};
use service_quality::outcome::{
    Alert, AlertKind, AlertRule, AlertRules, Bootstrap, CompareOptions, Dependence, History,
    IntervalEstimator, MerchantCard, ProblemArea, RankOptions, Ranking, RectificationRules,
    Scoreboard, Shrinkage, TieRule, Tier, TierBasis, TierScheme,
};
#[cfg(feature = "serde")]
use service_quality::report::REPORT_SCHEMA_VERSION;
use service_quality::{
    BatchScorer, BatchScores, Error, EvaluationReport, Evaluator, FuzzyOperator, GradeSet,
    IndicatorMemberships, IndicatorTree, Language, MerchantError, NodeSpec, OutcomeError,
};

/// goal -> speed (0.4) -> {reply, solve}; attitude (0.6) -> {polite, warm}; all halves.
fn tree() -> IndicatorTree {
    IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Goal",
            vec![
                NodeSpec::group(
                    "speed",
                    "Speed",
                    vec![
                        NodeSpec::leaf("reply", "Reply"),
                        NodeSpec::leaf("solve", "Solve"),
                    ],
                )
                .with_weights(vec![0.5, 0.5])
                .with_label_zh("速度"),
                NodeSpec::group(
                    "attitude",
                    "Attitude",
                    vec![
                        NodeSpec::leaf("polite", "Polite"),
                        NodeSpec::leaf("warm", "Warm"),
                    ],
                )
                .with_weights(vec![0.5, 0.5])
                .with_label_zh("态度"),
            ],
        )
        .with_weights(vec![0.4, 0.6]),
    )
    .unwrap()
}

fn evaluator() -> Evaluator {
    Evaluator::new(tree(), GradeSet::satisfaction_5())
}

/// A report where each leaf answers all one grade (index per leaf), `n` answers each.
fn report(ev: &Evaluator, id: &str, grades: [usize; 4], n: usize) -> EvaluationReport {
    let mut data = IndicatorMemberships::new(ev.grades());
    for (leaf, g) in ["reply", "solve", "polite", "warm"].iter().zip(grades) {
        let mut row = vec![0.0; 5];
        row[g] = 1.0;
        data.insert(*leaf, row, n, 0).unwrap();
    }
    ev.report(id, &data).unwrap()
}

/// A board of overall scores only.
fn board(period: &str, scores: &[f64], samples: &[u32]) -> Scoreboard {
    let n = scores.len();
    let batch = BatchScores {
        scores: scores.to_vec(),
        grades: vec![0; n],
        failures: vec![],
    };
    let ids = (0..n).map(|i| format!("m{i}")).collect();
    Scoreboard::from_batch(period, &evaluator(), ids, &batch, samples).unwrap()
}

fn outcome_error(e: &Error) -> &OutcomeError {
    match e.root() {
        Error::Outcome(o) => o,
        other => panic!("expected an outcome error, got {other:?}"),
    }
}

// ----- 1. complete, durable reports ------------------------------------------------------

#[cfg(feature = "serde")]
#[test]
fn a_three_level_report_keeps_its_middle_level_and_round_trips() {
    let ev = evaluator();
    let r = report(&ev, "shop", [0, 2, 1, 3], 10);
    let ids: Vec<&str> = r.nodes().iter().map(|l| l.id()).collect();
    assert_eq!(
        ids,
        ["goal", "speed", "reply", "solve", "attitude", "polite", "warm"]
    );
    assert_eq!(r.node("speed").unwrap().depth(), 1);
    assert!(r.node("reply").unwrap().is_leaf() && !r.node("speed").unwrap().is_leaf());
    // speed = (95 + 75) / 2, attitude = (85 + 65) / 2
    assert_close(
        r.node("speed").unwrap().score(),
        85.0,
        CLOSED_FORM_SCORE,
        "speed",
    );
    assert_close(
        r.node("attitude").unwrap().score(),
        75.0,
        CLOSED_FORM_SCORE,
        "attitude",
    );
    assert_eq!(r.dimensions().len(), 2);
    assert_eq!(r.indicators().len(), 4);
    assert_eq!(r.sample_size(), 10);

    let json = r.to_json();
    assert!(json.contains("\"schema_version\": 1"), "{json}");
    assert!(
        json.contains("\"operator\": \"weighted_average\""),
        "{json}"
    );
    let back = EvaluationReport::from_json(&json).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.dimensions(), r.dimensions());
    // serde's own path validates too
    let via_serde: EvaluationReport = serde_json::from_str(&json).unwrap();
    assert_eq!(via_serde, r);
}

#[cfg(feature = "serde")]
#[test]
fn stored_reports_are_checked() {
    let ev = evaluator();
    let json = report(&ev, "shop", [0, 2, 1, 3], 10).to_json();
    let future = json.replace(
        &format!("\"schema_version\": {REPORT_SCHEMA_VERSION}"),
        "\"schema_version\": 99",
    );
    let e = EvaluationReport::from_json(&future).unwrap_err();
    assert!(matches!(
        outcome_error(&e),
        OutcomeError::SchemaVersion {
            found: 99,
            supported: 1,
            ..
        }
    ));
    // a grade index beyond the grade set
    let bad = json.replacen("\"grade\": 0", "\"grade\": 7", 1);
    let e = EvaluationReport::from_json(&bad).unwrap_err();
    assert!(
        matches!(outcome_error(&e), OutcomeError::MalformedDocument { .. }),
        "{e}"
    );
    // a node twice (and out of preorder)
    let twice = json.replacen("\"id\": \"solve\"", "\"id\": \"reply\"", 1);
    assert!(EvaluationReport::from_json(&twice).is_err());
    assert!(EvaluationReport::from_json("{\"schema\": 1}").is_err());
    assert!(serde_json::from_str::<EvaluationReport>(&bad).is_err());
}

#[cfg(feature = "serde")]
#[test]
fn scoreboards_round_trip_and_keep_unscored_merchants() {
    let ev = evaluator();
    let reports = vec![
        report(&ev, "a", [0, 0, 0, 0], 30),
        report(&ev, "b", [1, 1, 2, 2], 12),
    ];
    let b = Scoreboard::from_reports("Q1", &ev, &reports)
        .unwrap()
        .with_std_errors(vec![0.5, 1.5])
        .unwrap();
    assert!(b.holds_every_node());
    let back = Scoreboard::from_json(&b.to_json()).unwrap();
    assert_eq!(back, b);

    let batch = BatchScores {
        scores: vec![80.0, 0.0, 70.0],
        grades: vec![1, 0, 2],
        failures: vec![MerchantError {
            merchant: 1,
            error: service_quality::EvaluationError::ZeroMembership.into(),
        }],
    };
    let ids = vec!["x".to_owned(), "y".to_owned(), "z".to_owned()];
    let b = Scoreboard::from_batch("Q1", &ev, ids, &batch, &[10, 10, 10]).unwrap();
    assert_eq!(b.merchants(), ["x", "z"]);
    assert_eq!(b.unscored(), ["y"]);
    assert!(!b.holds_every_node());
    let e = b.node_score(0, "speed").unwrap_err();
    assert!(matches!(
        outcome_error(&e),
        OutcomeError::NodeNotHeld { .. }
    ));
    let e = b.node_score(0, "nope").unwrap_err();
    assert!(matches!(
        outcome_error(&e),
        OutcomeError::UnknownNode { .. }
    ));
    assert_eq!(Scoreboard::from_json(&b.to_json()).unwrap(), b);
}

#[test]
fn scoreboards_refuse_bad_input() {
    let ev = evaluator();
    let dup = vec![report(&ev, "a", [0; 4], 3), report(&ev, "a", [1; 4], 3)];
    let e = Scoreboard::from_reports("Q1", &ev, &dup).unwrap_err();
    assert!(matches!(
        outcome_error(&e),
        OutcomeError::DuplicateMerchant { .. }
    ));
    let batch = BatchScores {
        scores: vec![f64::NAN],
        grades: vec![0],
        failures: vec![],
    };
    let e = Scoreboard::from_batch("Q1", &ev, vec!["a".into()], &batch, &[1]).unwrap_err();
    assert!(matches!(
        outcome_error(&e),
        OutcomeError::InvalidValue { .. }
    ));
    let ok = BatchScores {
        scores: vec![1.0],
        grades: vec![0],
        failures: vec![],
    };
    assert!(Scoreboard::from_batch("Q1", &ev, vec![], &ok, &[1]).is_err());
    assert!(board("Q1", &[1.0], &[1])
        .with_std_errors(vec![-1.0])
        .is_err());
    // a report of another model
    let other = Evaluator::new(tree(), GradeSet::satisfaction_5_points());
    let r = report(&other, "a", [0; 4], 3);
    assert!(Scoreboard::from_reports("Q1", &ev, &[r]).is_err());
}

// ----- 2. ranking and tiers ---------------------------------------------------------------

#[test]
fn ties_are_explicit() {
    let scores = [70.0, 90.0, 80.0, 90.0, 60.0, 80.0];
    let c = Ranking::by_scores(&scores, TieRule::Competition).unwrap();
    let d = Ranking::by_scores(&scores, TieRule::Dense).unwrap();
    let ranks = |r: &Ranking| (0..6).map(|m| r.rank(m).unwrap()).collect::<Vec<_>>();
    assert_eq!(ranks(&c), [5, 1, 3, 1, 6, 3]);
    assert_eq!(ranks(&d), [3, 1, 2, 1, 4, 2]);
    // equal scores in input order
    assert_eq!(c.order(), &[1, 3, 2, 5, 0, 4]);
    let e = Ranking::by_scores(&[1.0, f64::INFINITY], TieRule::Dense).unwrap_err();
    assert!(
        matches!(outcome_error(&e), OutcomeError::InvalidValue { merchant, .. } if merchant == "1")
    );
}

#[test]
fn ranking_by_node_reports_batch_and_minimum_sample() {
    let ev = evaluator();
    let reports = vec![
        report(&ev, "a", [0, 0, 4, 4], 30), // speed 95, attitude 55
        report(&ev, "b", [2, 2, 1, 1], 30), // speed 75, attitude 85
        report(&ev, "c", [0, 0, 0, 0], 3),  // best, but 3 answers
    ];
    let by_attitude =
        Ranking::of_reports(&reports, &RankOptions::new().with_node("attitude")).unwrap();
    assert_eq!(by_attitude.order(), &[2, 1, 0]);
    let sufficient = RankOptions::new().with_min_sample(10);
    let r = Ranking::of_reports(&reports, &sufficient).unwrap();
    assert_eq!(r.rank(2), None);
    assert_eq!(r.ranked(), 2);
    let table = r.table().unwrap();
    assert!(table.markdown(Language::Zh).contains("排名"));
    assert_eq!(table.rows().len(), 2);
    let b = Scoreboard::from_reports("Q1", &ev, &reports).unwrap();
    let r = Ranking::of(
        &b,
        &RankOptions::new()
            .with_node("speed")
            .with_ties(TieRule::Dense),
    )
    .unwrap();
    assert_eq!(
        (r.rank(0), r.rank(1), r.rank(2)),
        (Some(1), Some(2), Some(1))
    );
    let e = Ranking::of_reports(&reports, &RankOptions::new().with_node("nope")).unwrap_err();
    assert!(matches!(
        outcome_error(&e),
        OutcomeError::UnknownNode { .. }
    ));

    let batch = BatchScores {
        scores: vec![80.0, 0.0, 90.0],
        grades: vec![0; 3],
        failures: vec![MerchantError {
            merchant: 1,
            error: service_quality::EvaluationError::ZeroMembership.into(),
        }],
    };
    let r = Ranking::of_batch(&batch, TieRule::Competition).unwrap();
    assert_eq!(r.order(), &[2, 0]);
    assert_eq!(r.rank(1), None);
}

fn abc(basis: TierBasis, cuts: [Option<f64>; 3]) -> service_quality::Result<TierScheme> {
    let tier = |id: &str, cut: Option<f64>| match cut {
        Some(c) => Tier::new(id, id).at_least(c),
        None => Tier::new(id, id),
    };
    TierScheme::new(
        basis,
        vec![tier("A", cuts[0]), tier("B", cuts[1]), tier("C", cuts[2])],
    )
}

#[test]
fn tier_thresholds_are_checked() {
    let cut = |e: Error| match outcome_error(&e) {
        OutcomeError::TierCut { tier, .. } => tier.clone(),
        other => panic!("{other:?}"),
    };
    assert!(abc(TierBasis::Score, [Some(90.0), Some(80.0), None]).is_ok());
    // unordered, overlapping (equal), last with a cut, missing cut, NaN
    assert_eq!(
        cut(abc(TierBasis::Score, [Some(80.0), Some(90.0), None]).unwrap_err()),
        "B"
    );
    assert_eq!(
        cut(abc(TierBasis::Score, [Some(80.0), Some(80.0), None]).unwrap_err()),
        "B"
    );
    assert_eq!(
        cut(abc(TierBasis::Score, [Some(90.0), Some(80.0), Some(1.0)]).unwrap_err()),
        "C"
    );
    assert_eq!(
        cut(abc(TierBasis::Score, [Some(90.0), None, None]).unwrap_err()),
        "B"
    );
    assert_eq!(
        cut(abc(TierBasis::Score, [Some(f64::NAN), Some(1.0), None]).unwrap_err()),
        "A"
    );
    // quantile probabilities in (0, 1)
    assert_eq!(
        cut(abc(TierBasis::Quantile, [Some(1.0), Some(0.5), None]).unwrap_err()),
        "A"
    );
    assert_eq!(
        cut(abc(TierBasis::Quantile, [Some(0.9), Some(0.0), None]).unwrap_err()),
        "B"
    );
    assert!(TierScheme::new(TierBasis::Score, vec![]).is_err());
    let dup = TierScheme::new(
        TierBasis::Score,
        vec![Tier::new("A", "a").at_least(1.0), Tier::new("A", "b")],
    );
    assert!(matches!(
        outcome_error(&dup.unwrap_err()),
        OutcomeError::DuplicateTier { .. }
    ));
    #[cfg(feature = "serde")]
    {
        let json = r#"{"basis": "score", "tiers": [{"id": "A", "label": "A", "at_least": 70},
                   {"id": "B", "label": "B", "at_least": 80}, {"id": "C", "label": "C"}]}"#;
        assert!(serde_json::from_str::<TierScheme>(json).is_err());
    }
}

#[test]
fn tier_boundaries_grade_tiers_and_insufficient_data() {
    let scheme = abc(TierBasis::Score, [Some(90.0), Some(80.0), None])
        .unwrap()
        .with_min_sample(5);
    // exactly on a cut goes up; just below stays down
    let t = scheme
        .assign_scores(&[90.0, 89.999_999, 80.0, 79.9, 100.0], &[5, 5, 5, 5, 4])
        .unwrap();
    let ids: Vec<&str> = (0..5).map(|m| t.tier(m).id()).collect();
    assert_eq!(ids, ["A", "B", "B", "C", "insufficient"]);
    assert_eq!(t.counts(), [1, 2, 1, 1]);
    assert!(t.is_insufficient(4));

    let ev = evaluator();
    let reports = vec![
        report(&ev, "a", [0; 4], 9),
        report(&ev, "b", [3; 4], 9),
        report(&ev, "c", [2; 4], 9),
    ];
    let b = Scoreboard::from_reports("Q1", &ev, &reports).unwrap();
    let grade_tiers = |lists: [&[&str]; 2]| {
        TierScheme::new(
            TierBasis::Grade,
            vec![
                Tier::new("good", "Good").with_grades(lists[0].iter().copied()),
                Tier::new("bad", "Bad").with_grades(lists[1].iter().copied()),
            ],
        )
        .unwrap()
    };
    let t = grade_tiers([&["很满意", "满意", "一般"], &["不满意", "很不满意"]])
        .assign(&b)
        .unwrap();
    assert_eq!(
        [t.tier(0).id(), t.tier(1).id(), t.tier(2).id()],
        ["good", "bad", "good"]
    );
    let missing = grade_tiers([&["很满意", "满意"], &["不满意", "很不满意"]])
        .assign(&b)
        .unwrap_err();
    assert!(
        matches!(outcome_error(&missing), OutcomeError::GradeTier { problem, .. } if *problem == "is in no tier")
    );
    let twice =
        grade_tiers([&["很满意", "满意", "一般"], &["一般", "不满意", "很不满意"]]).assign(&b);
    assert!(twice.is_err());
    let unknown = grade_tiers([&["superb", "满意", "一般"], &["不满意", "很不满意"]]).assign(&b);
    assert!(unknown.is_err());
}

// ----- 3. rectification -------------------------------------------------------------------

#[test]
fn rectification_lists_what_to_fix_first() {
    let ev = evaluator();
    // a: reply 55, solve 95, polite 65, warm 95; b: everything 95
    let reports = vec![
        report(&ev, "a", [4, 0, 3, 0], 20),
        report(&ev, "b", [0; 4], 20),
    ];
    let b = Scoreboard::from_reports("Q1", &ev, &reports).unwrap();
    let rules = RectificationRules::new(80.0)
        .unwrap()
        .with_areas(vec![
            ProblemArea::new("timeliness", "Timeliness", ["speed"]).with_label_zh("及时性"),
            ProblemArea::new("manner", "Manner", ["polite"]),
        ])
        .with_top(2);
    let r = rules.apply(&b).unwrap();
    assert_eq!(r.merchants().len(), 1);
    let a = &r.merchants()[0];
    assert_eq!(a.merchant, 0);
    // shortfalls: reply 0.2 * 40 = 8, polite 0.3 * 30 = 9
    assert_close(a.gap, 17.0, CLOSED_FORM_SCORE, "gap");
    assert_close(
        a.gap,
        95.0 - a.score,
        CLOSED_FORM_SCORE,
        "gap = best - overall under M(·,+)",
    );
    assert_eq!(
        r.top(a)
            .iter()
            .map(|t| r.node_name(t.0).get(Language::En))
            .collect::<Vec<_>>(),
        ["Polite", "Reply"]
    );
    // areas: manner 9 first, timeliness 8 ("other" holds warm and solve, no shortfall)
    let names: Vec<&str> = r
        .areas(a)
        .iter()
        .map(|&(i, _)| r.area_names()[i as usize].get(Language::En))
        .collect();
    assert_eq!(names, ["Manner", "Timeliness"]);
    // below 80: speed (75), reply (55), attitude (80 is not below), polite (65)
    let below: Vec<&str> = r
        .below(a)
        .iter()
        .map(|x| r.node_name(x.node).get(Language::En))
        .collect();
    assert_eq!(below, ["Speed", "Reply", "Polite"]);
    assert_eq!(r.platform()[0].below, 1);
    assert_eq!(
        r.node_name(r.platform()[0].node).get(Language::En),
        "Polite"
    );
    assert!(r
        .merchant_table(10)
        .unwrap()
        .text(Language::Zh)
        .contains("及时性"));
    assert!(r
        .platform_table()
        .unwrap()
        .csv(Language::En)
        .starts_with("Indicator,Area"));

    let unknown = RectificationRules::new(80.0)
        .unwrap()
        .with_node_threshold("nope", 1.0)
        .unwrap();
    assert!(matches!(
        outcome_error(&unknown.apply(&b).unwrap_err()),
        OutcomeError::UnknownNode { .. }
    ));
    let overlap = RectificationRules::new(80.0).unwrap().with_areas(vec![
        ProblemArea::new("x", "X", ["speed"]),
        ProblemArea::new("y", "Y", ["reply"]),
    ]);
    assert!(matches!(
        outcome_error(&overlap.apply(&b).unwrap_err()),
        OutcomeError::AreaOverlap { .. }
    ));
    let only_overall = board("Q1", &[80.0], &[3]);
    assert!(rules.apply(&only_overall).is_err());
}

// ----- 4. publication ---------------------------------------------------------------------

#[test]
fn analytic_intervals_match_the_evaluator_and_refuse_what_they_cannot_do() {
    let ev = evaluator();
    let est = IntervalEstimator::new(&ev, 0.95).unwrap();
    let counts: [u32; 20] = [3, 4, 2, 1, 0, 0, 5, 5, 0, 0, 9, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    let ci = est.interval(&counts).unwrap();
    let scorer = BatchScorer::new(&ev).unwrap();
    let score = scorer.score_counts_vec(&counts).unwrap().scores[0];
    assert_close(
        ci.score(),
        score,
        CLOSED_FORM_SCORE,
        "interval centre = batch score",
    );
    assert!(ci.lower() < ci.score() && ci.score() < ci.upper());
    let perfect = est
        .clone()
        .with_dependence(Dependence::Perfect)
        .interval(&counts)
        .unwrap();
    assert!(perfect.std_error() >= ci.std_error());
    assert_eq!(ci.n(), 10);

    let too_few: [u32; 20] = [1, 0, 0, 0, 0, 0, 5, 5, 0, 0, 9, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    let e = est.interval(&too_few).unwrap_err();
    assert!(
        matches!(outcome_error(&e), OutcomeError::Unsupported { found, .. } if found.contains("reply"))
    );
    assert!(est.interval(&counts[..19]).is_err());
    let batch = est.intervals(&[counts, too_few].concat()).unwrap();
    assert!(batch.intervals[0].is_some() && batch.intervals[1].is_none());
    assert_eq!(batch.failures[0].merchant, 1);
    let max_min = ev.clone().operator(FuzzyOperator::ZadehMaxMin);
    assert!(IntervalEstimator::new(&max_min, 0.95).is_err());
    assert!(IntervalEstimator::new(&ev, 1.0).is_err());
    assert!(IntervalEstimator::new(&ev, f64::NAN).is_err());
}

#[test]
fn the_bootstrap_is_reproducible_and_agrees_with_the_analytic_interval() {
    let ev = evaluator();
    let counts: Vec<u32> = vec![
        30, 40, 20, 8, 2, 10, 50, 30, 10, 0, 60, 30, 10, 0, 0, 20, 20, 20, 20, 20,
    ];
    let boot = Bootstrap::new(&ev, 2000, 0.95, 42).unwrap();
    let a = boot.from_counts(&counts).unwrap();
    assert_eq!(a, boot.from_counts(&counts).unwrap());
    assert_ne!(
        a,
        Bootstrap::new(&ev, 2000, 0.95, 43)
            .unwrap()
            .from_counts(&counts)
            .unwrap()
    );
    let analytic = IntervalEstimator::new(&ev, 0.95)
        .unwrap()
        .interval(&counts)
        .unwrap();
    // the resampling SE estimates sqrt((n-1)/n) times the analytic one, within Monte Carlo error
    assert_close(
        a.std_error() / analytic.std_error(),
        1.0,
        MONTE_CARLO,
        "bootstrap SE / analytic SE",
    );
    assert_close(
        a.lower(),
        analytic.lower(),
        MONTE_CARLO * 10.0 * analytic.std_error(),
        "lower",
    );

    // respondents: 40 rows of answers
    let rows: Vec<u8> = (0..40u8)
        .flat_map(|r| [r % 3, (r / 2) % 4, r % 2, (r % 5).min(4)])
        .collect();
    let b = Bootstrap::new(&ev, 500, 0.9, 7).unwrap();
    let x = b.from_answers(&rows).unwrap();
    assert_eq!(x, b.from_answers(&rows).unwrap());
    assert!(x.lower() <= x.upper() && x.n() == 40);
    assert!(Bootstrap::new(&ev, 1, 0.9, 7).is_err());
    assert!(b.from_answers(&rows[..3]).is_err());
}

#[test]
fn shrinkage_lets_many_good_answers_beat_a_few_glowing_ones() {
    let s = Shrinkage::pseudo_respondents(20.0).unwrap();
    let out = s
        .shrink_scores(&[95.0, 90.0, 55.0], &[5, 500, 100])
        .unwrap();
    assert!(out.scores()[1] > out.scores()[0]);
    assert!(Shrinkage::pseudo_respondents(0.0).is_err());
    assert!(Shrinkage::pseudo_respondents(f64::INFINITY).is_err());
    let b = board("Q1", &[90.0, 70.0], &[10, 10]);
    assert!(Shrinkage::EmpiricalBayes.apply(&b).is_err());
    let b = b.with_std_errors(vec![1.0, 1.0]).unwrap();
    let eb = Shrinkage::EmpiricalBayes.apply(&b).unwrap();
    // var = 100, mean se² = 1: tau² = 99, Z = 0.99
    assert_close(
        eb.between_variance().unwrap(),
        99.0,
        CLOSED_FORM_SCORE,
        "tau²",
    );
    assert_close(
        eb.scores()[0],
        80.0 + 0.99 * 10.0,
        CLOSED_FORM_SCORE,
        "shrunk",
    );
}

#[test]
fn cards_hold_the_published_figures() {
    let ev = evaluator();
    let reports = vec![
        report(&ev, "a", [0, 0, 1, 1], 20),
        report(&ev, "b", [2; 4], 20),
    ];
    let b = Scoreboard::from_reports("Q1", &ev, &reports).unwrap();
    let ranking = Ranking::of(&b, &RankOptions::new()).unwrap();
    let card = MerchantCard::new(&b, 1, &b.node_means())
        .unwrap()
        .with_rank(&ranking, 1)
        .with_published(76.0)
        .unwrap();
    assert_eq!(card.dimensions()[1].platform_mean, Some(80.0)); // (85 + 75) / 2
    let md = card.table().unwrap().markdown(Language::Zh);
    assert!(
        md.contains("2 / 2") && md.contains("公示得分") && md.contains("态度"),
        "{md}"
    );
    #[cfg(feature = "serde")]
    {
        let json: serde_json::Value = serde_json::from_str(&card.to_json()).unwrap();
        assert_eq!(json["merchant"], "b");
        assert_eq!(json["n"], 20);
    }
    assert!(MerchantCard::new(&b, 2, &b.node_means()).is_err());
    assert!(card.with_published(f64::NAN).is_err());
}

// ----- 5. tracking and alerts -------------------------------------------------------------

#[test]
fn histories_refuse_mixed_models_and_handle_merchants_that_come_and_go() {
    let q1 = board("Q1", &[80.0, 70.0], &[9, 9]);
    let other = Evaluator::new(tree(), GradeSet::satisfaction_5_points());
    let batch = BatchScores {
        scores: vec![4.0],
        grades: vec![0],
        failures: vec![],
    };
    let q2 = Scoreboard::from_batch("Q2", &other, vec!["m0".into()], &batch, &[9]).unwrap();
    let e = History::new(vec![q1.clone(), q2]).unwrap_err();
    assert!(
        matches!(outcome_error(&e), OutcomeError::DifferentModels { period, .. } if period == "Q2")
    );
    let e = History::new(vec![q1.clone(), q1.clone()]).unwrap_err();
    assert!(matches!(
        outcome_error(&e),
        OutcomeError::DuplicatePeriod { .. }
    ));
    assert!(History::new(vec![]).is_err());

    let ev = evaluator();
    let q2 = Scoreboard::from_batch(
        "Q2",
        &ev,
        vec!["m1".into(), "m9".into()],
        &BatchScores {
            scores: vec![75.0, 60.0],
            grades: vec![1, 2],
            failures: vec![],
        },
        &[9, 9],
    )
    .unwrap()
    .with_std_errors(vec![1.0, 1.0])
    .unwrap();
    let q1 = q1.with_std_errors(vec![1.0, 1.0]).unwrap();
    let h = History::new(vec![q1, q2]).unwrap();
    assert_eq!(h.merchants(), ["m0", "m1", "m9"]);
    assert_eq!(h.series("m0"), Some(vec![Some(80.0), None]));
    assert_eq!(h.series("m9"), Some(vec![None, Some(60.0)]));
    let tiers = abc(TierBasis::Score, [Some(78.0), Some(72.0), None]).unwrap();
    let c = h
        .compare(0, 1, &CompareOptions::new().with_tiers(tiers))
        .unwrap();
    assert_eq!(c.entered(), ["m9"]);
    assert_eq!(c.left(), ["m0"]);
    let m1 = &c.rows()[0];
    assert_eq!(m1.merchant, "m1");
    assert_close(m1.change, 5.0, CLOSED_FORM_SCORE, "change");
    // 5 > 1.96 * sqrt(2)
    assert_eq!(m1.exceeds_uncertainty(), Some(true));
    assert_eq!((m1.rank_before, m1.rank_after), (Some(2), Some(1)));
    assert_eq!(
        (m1.tier_before.as_deref(), m1.tier_after.as_deref()),
        (Some("C"), Some("B"))
    );
    assert_eq!(m1.grade_before.get(Language::Zh), "很满意");
    assert_eq!(m1.grade_after.get(Language::En), "satisfied");
    let table = c.table().unwrap().text(Language::En);
    assert!(
        table.contains("C → B") && table.contains("New in Q2: m9"),
        "{table}"
    );
    assert!(h.compare(0, 5, &CompareOptions::new()).is_err());
    assert!(CompareOptions::new().with_z(0.0).is_err());
}

fn fired(alerts: &[Alert], merchant: &str, period: &str) -> Vec<AlertKind> {
    alerts
        .iter()
        .filter(|a| a.merchant == merchant && a.period == period)
        .map(|a| a.kind)
        .collect()
}

#[test]
fn every_alert_rule_fires_where_it_should() {
    // m0 declines steadily, m1 drops once sharply, m2 is flat
    let series = [
        [90.0, 86.0, 83.0, 79.0],
        [85.0, 85.0, 85.0, 70.0],
        [80.0, 80.0, 80.0, 80.0],
    ];
    let periods = ["Q1", "Q2", "Q3", "Q4"];
    let boards: Vec<Scoreboard> = (0..4)
        .map(|p| {
            let scores: Vec<f64> = series.iter().map(|s| s[p]).collect();
            board(periods[p], &scores, &[30; 3])
                .with_std_errors(vec![1.5; 3])
                .unwrap()
        })
        .collect();
    let h = History::new(boards).unwrap();
    let rules = AlertRules::new(vec![
        AlertRule::Below {
            node: None,
            threshold: 80.0,
        },
        AlertRule::Drop { points: 5.0 },
        AlertRule::DropBeyondUncertainty { z: 1.96 },
        AlertRule::ConsecutiveDeclines { periods: 3 },
        AlertRule::DownwardTrend {
            alpha: 0.1,
            min_periods: 4,
        },
    ])
    .unwrap();
    let alerts = rules.evaluate(&h).unwrap();
    use AlertKind::*;
    // m0: 4-point drops exceed 1.96 * sqrt(2 * 1.5²) = 4.16? no: 4 < 4.16; 3 < 4.16; 4 < 4.16
    assert_eq!(fired(&alerts, "m0", "Q2"), Vec::<AlertKind>::new());
    assert_eq!(
        fired(&alerts, "m0", "Q4"),
        [Below, ConsecutiveDeclines, DownwardTrend]
    );
    assert_eq!(
        fired(&alerts, "m1", "Q4"),
        [Below, Drop, DropBeyondUncertainty]
    );
    assert!(fired(&alerts, "m2", "Q4").is_empty(), "80 is not below 80");
    let trend = alerts.iter().find(|a| a.kind == DownwardTrend).unwrap();
    let mk = service_quality::analysis::MannKendall::of_series(&series[0]).unwrap();
    assert_close(
        trend.value,
        mk.sen_slope(),
        CLOSED_FORM_SCORE,
        "Sen's slope",
    );
    assert_close(trend.reference, mk.p_value(), CLOSED_FORM_SCORE, "p-value");
    let decline = alerts
        .iter()
        .find(|a| a.kind == ConsecutiveDeclines)
        .unwrap();
    assert_close(decline.value, -11.0, CLOSED_FORM_SCORE, "total decline");
    assert!(decline.message(Language::Zh).contains("连续 3 期下降"));
    assert!(trend.message(Language::En).contains("Sen's slope"));
    let table = service_quality::outcome::alerts_table(&alerts).unwrap();
    assert_eq!(table.rows().len(), alerts.len());

    // a node id the model does not have; uncertainty rules need standard errors
    let unknown = AlertRules::new(vec![AlertRule::Below {
        node: Some("nope".into()),
        threshold: 1.0,
    }])
    .unwrap();
    let e = unknown.evaluate(&h).unwrap_err();
    assert!(
        matches!(outcome_error(&e), OutcomeError::UnknownNode { context, .. } if context == "alert rule 0")
    );
    let plain = History::new(vec![board("Q1", &[1.0], &[1]), board("Q2", &[1.0], &[1])]).unwrap();
    let e = AlertRules::new(vec![AlertRule::DropBeyondUncertainty { z: 2.0 }])
        .unwrap()
        .evaluate(&plain);
    assert!(matches!(
        outcome_error(&e.unwrap_err()),
        OutcomeError::Unsupported { .. }
    ));
    for bad in [
        AlertRule::Below {
            node: None,
            threshold: f64::NAN,
        },
        AlertRule::Drop { points: -1.0 },
        AlertRule::DropBeyondUncertainty { z: 0.0 },
        AlertRule::ConsecutiveDeclines { periods: 0 },
        AlertRule::DownwardTrend {
            alpha: 1.5,
            min_periods: 4,
        },
        AlertRule::DownwardTrend {
            alpha: 0.05,
            min_periods: 2,
        },
    ] {
        assert!(AlertRules::new(vec![bad]).is_err());
    }
}

#[cfg(feature = "serde")]
#[test]
fn rules_read_from_a_model_file() {
    let model = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/after_sales_model.json"
    ))
    .unwrap();
    let rules = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/outcome_rules.json"
    ))
    .unwrap();
    let with_section = format!(
        "{},\n\"outcome\": {rules}}}",
        model.trim_end().trim_end_matches('}')
    );
    let (spec, parsed) =
        service_quality::outcome::OutcomeRules::from_model_file(&with_section).unwrap();
    let tree = IndicatorTree::from_spec(spec).unwrap();
    let ev = Evaluator::new(tree, GradeSet::satisfaction_5());
    parsed
        .check(&service_quality::outcome::ModelOutline::of(&ev))
        .unwrap();
    assert_eq!(parsed.alerts().rules().len(), 6);
    assert_eq!(parsed.tiers().unwrap().tiers().len(), 4);
    // the rules on a model without their nodes
    let e = parsed
        .check(&service_quality::outcome::ModelOutline::of(&evaluator()))
        .unwrap_err();
    assert!(matches!(
        outcome_error(&e),
        OutcomeError::UnknownNode { .. }
    ));
    // a model file without a section reads with default rules; bad sections are refused
    let (_, none) = service_quality::outcome::OutcomeRules::from_model_file(&model).unwrap();
    assert!(none.alerts().rules().is_empty());
    let unknown_field = with_section.replace("\"ranking\"", "\"rankings\"");
    assert!(service_quality::outcome::OutcomeRules::from_model_file(&unknown_field).is_err());
    let unordered = with_section.replace("\"at_least\": 0.4", "\"at_least\": 0.85");
    assert!(service_quality::outcome::OutcomeRules::from_model_file(&unordered).is_err());
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Scoreboard>();
    check::<Ranking>();
    check::<TierScheme>();
    check::<History>();
    check::<AlertRules>();
    check::<Bootstrap>();
    check::<MerchantCard>();
}
