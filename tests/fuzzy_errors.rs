//! One test per row of the "Invalid input and the error it gets" table in the `fuzzy` module
//! docs, plus the no-data-lost guarantees of the CSV readers.

mod common;

use common::check::assert_close;
use common::tol::ULPS;
use service_quality::input::{KpiModel, KpiScale, KpiTally};
use service_quality::{ArgumentError, BreakpointOrder, EvaluationError, InputError};
use service_quality::{
    Error, Evaluator, FuzzyOperator, FuzzyResult, Grade, GradeSet, IndicatorMemberships,
    IndicatorTree, MembershipMatrix, NodeSpec, Survey, Unanswered,
};

fn small_tree() -> IndicatorTree {
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
                .with_weights(vec![0.25, 0.75]),
                NodeSpec::leaf("attitude", "Attitude"),
            ],
        )
        .with_weights(vec![0.5, 0.5]),
    )
    .unwrap()
}

fn three_grades() -> GradeSet {
    GradeSet::new(vec![
        Grade::new("good", 3.0),
        Grade::new("fair", 2.0),
        Grade::new("poor", 1.0),
    ])
    .unwrap()
}

fn full_data() -> IndicatorMemberships {
    let mut d = IndicatorMemberships::new(&three_grades());
    d.insert("reply", vec![1.0, 0.0, 0.0], 4, 0).unwrap();
    d.insert("solve", vec![0.0, 1.0, 0.0], 4, 0).unwrap();
    d.insert("attitude", vec![0.5, 0.5, 0.0], 4, 0).unwrap();
    d
}

/// The error inside an `AtNode`, with the path.
fn at_node(e: Error) -> (String, Error) {
    match e {
        Error::AtNode { path, source } => (path, *source),
        other => panic!("expected AtNode, got {other:?}"),
    }
}

// ----- composition ---------------------------------------------------------------------------

#[test]
fn weight_vector_length_differs_from_rows() {
    let r = MembershipMatrix::from_rows(&[[0.5, 0.5], [1.0, 0.0]]).unwrap();
    assert_eq!(
        FuzzyOperator::WeightedAverage.compose(&[1.0], &r),
        Err(Error::Evaluation(EvaluationError::WeightCountMismatch {
            weights: 1,
            rows: 2
        }))
    );
}

#[test]
fn composition_weight_nan_or_outside_unit_interval() {
    let r = MembershipMatrix::from_rows(&[[0.5, 0.5], [1.0, 0.0]]).unwrap();
    for bad in [f64::NAN, -0.1, 1.5, f64::INFINITY] {
        assert!(matches!(
            FuzzyOperator::BoundedSum.compose(&[0.5, bad], &r),
            Err(Error::Evaluation(EvaluationError::CompositionWeight {
                index: 1,
                ..
            }))
        ));
    }
}

#[test]
fn membership_outside_unit_interval_or_nan() {
    for bad in [f64::NAN, -0.01, 1.01, f64::NEG_INFINITY] {
        let e = MembershipMatrix::from_rows(&[[0.5, 0.5], [0.5, bad]]).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Evaluation(EvaluationError::InvalidMembership { row: 1, col: 1, .. })
            ),
            "{e:?}"
        );
    }
    let two = GradeSet::new(vec![Grade::new("hi", 1.0), Grade::new("lo", 0.0)]).unwrap();
    let mut d = IndicatorMemberships::new(&two);
    assert!(matches!(
        d.insert("x", vec![f64::NAN, 0.5], 1, 0),
        Err(Error::Evaluation(EvaluationError::InvalidMembership {
            row: 0,
            col: 0,
            ..
        }))
    ));
}

#[test]
fn membership_row_of_wrong_length() {
    assert_eq!(
        MembershipMatrix::from_rows(&[vec![0.5, 0.5], vec![0.2, 0.3, 0.5]]),
        Err(Error::Evaluation(EvaluationError::MembershipRowLength {
            row: 1,
            expected: 2,
            found: 3
        }))
    );
}

#[test]
fn empty_membership_matrix() {
    assert!(matches!(
        MembershipMatrix::from_rows::<Vec<f64>>(&[]),
        Err(Error::Argument(ArgumentError::Empty { .. }))
    ));
    assert!(matches!(
        MembershipMatrix::from_rows(&[Vec::<f64>::new()]),
        Err(Error::Argument(ArgumentError::Empty { .. }))
    ));
}

#[test]
fn grade_count_differs_from_membership_columns() {
    let r = MembershipMatrix::from_rows(&[[0.5, 0.5]]).unwrap();
    assert_eq!(
        FuzzyOperator::WeightedAverage.evaluate(&[1.0], &r, &three_grades()),
        Err(Error::Evaluation(EvaluationError::GradeCountMismatch {
            grades: 3,
            found: 2
        }))
    );
    let tree = small_tree();
    assert_eq!(
        Evaluator::new(&tree, GradeSet::satisfaction_5()).evaluate(&full_data()),
        Err(Error::Evaluation(EvaluationError::GradeCountMismatch {
            grades: 5,
            found: 3
        }))
    );
}

#[test]
fn grade_set_with_fewer_than_two_grades() {
    assert_eq!(
        GradeSet::new(vec![Grade::new("only", 1.0)]),
        Err(Error::Evaluation(EvaluationError::TooFewGrades {
            found: 1
        }))
    );
    assert_eq!(
        GradeSet::new(vec![]),
        Err(Error::Evaluation(EvaluationError::TooFewGrades {
            found: 0
        }))
    );
}

#[test]
fn grade_set_with_duplicate_labels() {
    assert_eq!(
        GradeSet::new(vec![
            Grade::new("Good", 2.0),
            Grade::new("fair", 1.0),
            Grade::new("good", 0.0)
        ]),
        Err(Error::Evaluation(EvaluationError::DuplicateGradeLabel {
            label: "good".into(),
            first: 0,
            second: 2
        }))
    );
    // a Chinese label equal to another grade's English label
    assert!(matches!(
        GradeSet::new(vec![
            Grade::new("好", 2.0),
            Grade::new("fair", 1.0).with_label_zh("好")
        ]),
        Err(Error::Evaluation(EvaluationError::DuplicateGradeLabel {
            first: 0,
            second: 1,
            ..
        }))
    ));
}

#[test]
fn grade_with_empty_label_or_non_finite_value() {
    assert_eq!(
        GradeSet::new(vec![Grade::new("", 1.0), Grade::new("b", 0.0)]),
        Err(Error::Evaluation(EvaluationError::EmptyGradeLabel {
            index: 0
        }))
    );
    assert!(matches!(
        GradeSet::new(vec![Grade::new("a", 1.0), Grade::new("b", f64::INFINITY)]),
        Err(Error::Evaluation(EvaluationError::InvalidGradeValue {
            index: 1,
            ..
        }))
    ));
}

#[test]
fn b_summing_to_zero_is_an_error_not_nan() {
    assert_eq!(
        FuzzyResult::from_raw(vec![0.0; 3], &three_grades()),
        Err(Error::Evaluation(EvaluationError::ZeroMembership))
    );
    // through the tree: an all-zero leaf row
    let tree = small_tree();
    let mut d = IndicatorMemberships::new(&three_grades());
    d.insert("reply", vec![0.0, 0.0, 0.0], 4, 0).unwrap();
    d.insert("solve", vec![0.0, 1.0, 0.0], 4, 0).unwrap();
    d.insert("attitude", vec![0.5, 0.5, 0.0], 4, 0).unwrap();
    let (path, e) = at_node(
        Evaluator::new(&tree, three_grades())
            .evaluate(&d)
            .unwrap_err(),
    );
    assert_eq!(
        (path.as_str(), e),
        (
            "speed.reply",
            Error::Evaluation(EvaluationError::ZeroMembership)
        )
    );
}

// ----- data vs hierarchy ---------------------------------------------------------------------

#[test]
fn data_indicator_that_the_hierarchy_lacks() {
    let tree = small_tree();
    let mut d = full_data();
    d.insert("delivery", vec![1.0, 0.0, 0.0], 1, 0).unwrap();
    assert_eq!(
        Evaluator::new(&tree, three_grades()).evaluate(&d),
        Err(Error::Evaluation(EvaluationError::UnknownIndicator {
            id: "delivery".into()
        }))
    );
    // a group id is not an indicator either
    let mut d = full_data();
    d.insert("speed", vec![1.0, 0.0, 0.0], 1, 0).unwrap();
    assert_eq!(
        Evaluator::new(&tree, three_grades()).evaluate(&d),
        Err(Error::Evaluation(EvaluationError::UnknownIndicator {
            id: "speed".into()
        }))
    );
}

#[test]
fn hierarchy_indicator_missing_from_the_data() {
    let tree = small_tree();
    let mut d = IndicatorMemberships::new(&three_grades());
    d.insert("reply", vec![1.0, 0.0, 0.0], 4, 0).unwrap();
    d.insert("attitude", vec![0.5, 0.5, 0.0], 4, 0).unwrap();
    let (path, e) = at_node(
        Evaluator::new(&tree, three_grades())
            .evaluate(&d)
            .unwrap_err(),
    );
    assert_eq!(path, "speed.solve");
    assert_eq!(
        e,
        Error::Evaluation(EvaluationError::MissingIndicator { id: "solve".into() })
    );
}

#[test]
fn indicator_without_answers_is_an_error_or_excluded_on_request() {
    let tree = small_tree();
    let mut d = IndicatorMemberships::new(&three_grades());
    d.insert("reply", vec![1.0, 0.0, 0.0], 4, 0).unwrap();
    d.insert_unobserved("solve", 4).unwrap();
    d.insert("attitude", vec![0.0, 0.0, 1.0], 4, 0).unwrap();
    let (path, e) = at_node(
        Evaluator::new(&tree, three_grades())
            .evaluate(&d)
            .unwrap_err(),
    );
    assert_eq!(path, "speed.solve");
    assert_eq!(
        e,
        Error::Evaluation(EvaluationError::NoAnswers {
            id: "solve".into(),
            missing: 4
        })
    );

    let eval = Evaluator::new(&tree, three_grades())
        .unanswered(Unanswered::Exclude)
        .evaluate(&d)
        .unwrap();
    assert_eq!(eval.excluded(), &["solve".to_owned()]);
    let speed = eval.node("speed").unwrap();
    assert_eq!(speed.weights_used(), &[1.0]); // 0.25 renormalised alone
    assert_eq!(speed.result().raw(), &[1.0, 0.0, 0.0]);
    let reply = eval.node("reply").unwrap().effective_weight();
    assert_close(reply, 0.5, ULPS, "reply renormalised");
    assert!(eval.node("solve").is_none());
}

#[test]
fn every_indicator_excluded() {
    let tree = small_tree();
    let mut d = IndicatorMemberships::new(&three_grades());
    for id in ["reply", "solve", "attitude"] {
        d.insert_unobserved(id, 2).unwrap();
    }
    assert_eq!(
        Evaluator::new(&tree, three_grades())
            .unanswered(Unanswered::Exclude)
            .evaluate(&d),
        Err(Error::Evaluation(EvaluationError::NothingToEvaluate))
    );
}

#[test]
fn same_indicator_given_twice() {
    let mut d = full_data();
    assert_eq!(
        d.insert("reply", vec![1.0, 0.0, 0.0], 1, 0),
        Err(Error::Input(InputError::DuplicateIndicator {
            id: "reply".into()
        }))
    );
    assert_eq!(
        d.merge(full_data()),
        Err(Error::Input(InputError::DuplicateIndicator {
            id: "reply".into()
        }))
    );
}

// ----- survey answers ------------------------------------------------------------------------

#[test]
fn survey_answer_index_out_of_range() {
    let mut s = Survey::new(vec!["courtesy".into()], GradeSet::satisfaction_5()).unwrap();
    assert_eq!(
        s.add_response("shop", &[Some(7)]),
        Err(Error::Input(InputError::GradeIndexOutOfRange {
            indicator: "courtesy".into(),
            index: 7,
            grades: 5
        }))
    );
}

#[test]
fn memberships_of_a_merchant_without_data() {
    let s = Survey::new(vec!["courtesy".into()], GradeSet::satisfaction_5()).unwrap();
    assert_eq!(
        s.memberships("nobody"),
        Err(Error::Input(InputError::UnknownMerchant {
            merchant: "nobody".into()
        }))
    );
    assert!(matches!(
        kpi_tally().memberships("nobody"),
        Err(Error::Input(InputError::UnknownMerchant { .. }))
    ));
}

// ----- KPIs ----------------------------------------------------------------------------------

fn kpi_tally() -> KpiTally {
    let model = KpiModel::new(&three_grades())
        .with_scale(
            "first_reply",
            "urgent",
            KpiScale::smaller_is_better(vec![1.0, 5.0, 10.0]).unwrap(),
        )
        .unwrap()
        .with_scale(
            "first_reply",
            "ordinary",
            KpiScale::smaller_is_better(vec![5.0, 30.0, 60.0]).unwrap(),
        )
        .unwrap();
    KpiTally::new(model)
}

#[test]
fn kpi_value_negative_nan_or_infinite_names_the_case() {
    let mut t = kpi_tally();
    for bad in [-0.5, f64::NAN, f64::INFINITY] {
        let e = t
            .add_case("shop", "case-17", "urgent", &[Some(bad)])
            .unwrap_err();
        match e {
            Error::Input(InputError::InvalidKpiValue {
                case, indicator, ..
            }) => {
                assert_eq!(
                    (case.as_str(), indicator.as_str()),
                    ("case-17", "first_reply")
                );
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(t.memberships("shop").is_err(), "nothing was recorded");
}

#[test]
fn kpi_case_of_a_class_without_thresholds() {
    let mut t = kpi_tally();
    assert_eq!(
        t.add_case("shop", "c1", "vip", &[Some(1.0)]),
        Err(Error::Input(InputError::UnknownCaseClass {
            case: "c1".into(),
            class: "vip".into(),
            indicator: "first_reply".into()
        }))
    );
}

#[test]
fn kpi_breakpoints_not_finite_negative_or_not_monotone() {
    assert!(matches!(
        KpiScale::smaller_is_better(vec![1.0, 5.0, 3.0]),
        Err(Error::Input(InputError::InvalidBreakpoint {
            index: 2,
            order: BreakpointOrder::Greater,
            ..
        }))
    ));
    assert!(matches!(
        KpiScale::larger_is_better(vec![0.9, 0.95]),
        Err(Error::Input(InputError::InvalidBreakpoint {
            index: 1,
            order: BreakpointOrder::Less,
            ..
        }))
    ));
    assert!(matches!(
        KpiScale::smaller_is_better(vec![-1.0, 5.0]),
        Err(Error::Input(InputError::InvalidBreakpoint { index: 0, .. }))
    ));
    assert!(matches!(
        KpiScale::smaller_is_better(vec![1.0, f64::NAN]),
        Err(Error::Input(InputError::InvalidBreakpoint { index: 1, .. }))
    ));
}

// ----- CSV -----------------------------------------------------------------------------------

#[cfg(feature = "csv")]
mod csv {
    use super::*;
    use service_quality::input::{CsvOptions, CsvRead, OnBadRow};
    use service_quality::template;
    use service_quality::CsvError;

    fn read(text: &str, on_bad: OnBadRow) -> service_quality::Result<CsvRead<Survey>> {
        let tree = IndicatorTree::new(template::after_sales()).unwrap();
        Survey::from_csv(
            text.as_bytes(),
            &tree,
            GradeSet::satisfaction_5(),
            &CsvOptions::new()
                .with_on_bad_row(on_bad)
                .with_ignored_column("respondent"),
        )
    }

    #[test]
    fn unknown_indicator_column() {
        assert_eq!(
            read("merchant,courtesy,delivery\nshop,1,2\n", OnBadRow::Stop).unwrap_err(),
            Error::Csv(CsvError::UnknownColumn {
                column: "delivery".into(),
                col: 3
            })
        );
    }

    #[test]
    fn duplicate_column() {
        assert_eq!(
            read("merchant,courtesy,respect,courtesy\n", OnBadRow::Stop).unwrap_err(),
            Error::Csv(CsvError::DuplicateColumn {
                column: "courtesy".into(),
                first: 2,
                second: 4
            })
        );
    }

    #[test]
    fn missing_merchant_column_or_empty_file() {
        assert_eq!(
            read("shop,courtesy\n", OnBadRow::Stop).unwrap_err(),
            Error::Csv(CsvError::MissingColumn {
                column: "merchant".into()
            })
        );
        assert!(matches!(
            read("", OnBadRow::Stop),
            Err(Error::Csv(CsvError::MissingColumn { .. }))
        ));
    }

    #[test]
    fn grade_out_of_range_names_line_and_column() {
        let r = read(
            "merchant,courtesy,respect\nshop,1,2\nshop,3,6\n",
            OnBadRow::Stop,
        )
        .unwrap();
        assert_eq!(
            r.stopped(),
            Some(&Error::Csv(CsvError::BadCell {
                line: 3,
                col: 3,
                column: "respect".into(),
                cell: "6".into(),
                expected: "a grade label or a number 1..=5".into(),
            }))
        );
        let r = read("merchant,courtesy\nshop,excellent\n", OnBadRow::Stop).unwrap();
        assert!(matches!(
            r.stopped(),
            Some(Error::Csv(CsvError::BadCell {
                line: 2,
                col: 2,
                ..
            }))
        ));
    }

    #[test]
    fn wrong_number_of_cells_names_the_line() {
        let r = read(
            "merchant,courtesy,respect\nshop,1\nshop,1,2,3\n",
            OnBadRow::Skip,
        )
        .unwrap();
        assert_eq!(
            r.skipped(),
            &[
                Error::Csv(CsvError::CellCount {
                    line: 2,
                    expected: 3,
                    found: 2
                }),
                Error::Csv(CsvError::CellCount {
                    line: 3,
                    expected: 3,
                    found: 4
                }),
            ]
        );
    }

    #[test]
    fn bad_row_never_makes_earlier_rows_disappear_stop() {
        let text = "merchant,respondent,courtesy\nshop,r1,很满意\nshop,r2,满意\nshop,r3,??\nshop,r4,一般\n";
        let r = read(text, OnBadRow::Stop).unwrap();
        assert_eq!(r.rows_read(), 2);
        assert!(matches!(
            r.stopped(),
            Some(Error::Csv(CsvError::BadCell { line: 4, .. }))
        ));
        let row = r.data().memberships("shop").unwrap();
        assert_eq!(
            row.get("courtesy").unwrap().row(),
            Some(&[0.5, 0.5, 0.0, 0.0, 0.0][..])
        );
        assert!(r.into_result().is_err());
    }

    #[test]
    fn bad_rows_skipped_and_counted() {
        let text =
            "merchant,respondent,courtesy\nshop,r1,很满意\n,r2,满意\nshop,r3,9\nshop,r4,一般\n";
        let r = read(text, OnBadRow::Skip).unwrap();
        assert_eq!(r.rows_read(), 2);
        assert_eq!(r.skipped().len(), 2);
        assert!(matches!(
            r.skipped()[0],
            Error::Csv(CsvError::BadCell {
                line: 3,
                col: 1,
                ..
            })
        ));
        assert!(r.stopped().is_none());
        let row = r.data().memberships("shop").unwrap();
        assert_eq!(
            row.get("courtesy").unwrap().row(),
            Some(&[0.5, 0.0, 0.5, 0.0, 0.0][..])
        );
    }

    #[test]
    fn invalid_utf8_is_a_csv_error_with_its_line() {
        let tree = IndicatorTree::new(template::after_sales()).unwrap();
        let bytes: &[u8] = b"merchant,courtesy\nshop,1\nshop,\xff\xfe\nshop,2\n";
        let r = Survey::from_csv(
            bytes,
            &tree,
            GradeSet::satisfaction_5(),
            &CsvOptions::new().with_on_bad_row(OnBadRow::Skip),
        )
        .unwrap();
        assert_eq!(r.rows_read(), 2);
        assert!(matches!(
            r.skipped(),
            [Error::Csv(CsvError::Reader { line: Some(3), .. })]
        ));
    }

    #[test]
    fn kpi_csv_negative_and_nan_values_name_line_and_case() {
        let text = "merchant,case,class,first_reply\nshop,c1,urgent,2\nshop,c2,urgent,-3\nshop,c3,ordinary,NaN\nshop,c4,urgent,abc\n";
        let r = KpiTally::from_csv(
            text.as_bytes(),
            super::kpi_tally().model().clone(),
            &CsvOptions::new().with_on_bad_row(OnBadRow::Skip),
        )
        .unwrap();
        assert_eq!(r.rows_read(), 1);
        let lines: Vec<_> = r.skipped().iter().map(|e| match e {
            Error::AtLine { line, source } => (*line, matches!(**source, Error::Input(InputError::InvalidKpiValue { ref case, .. }) if case == "c2" || case == "c3")),
            Error::Csv(CsvError::BadCell { line, .. }) => (*line, true),
            other => panic!("{other:?}"),
        }).collect();
        assert_eq!(lines, vec![(3, true), (4, true), (5, true)]);
    }
}

// ----- auto traits and serde -----------------------------------------------------------------

#[test]
fn public_types_are_send_sync_clone_debug() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug + 'static>() {}
    check::<Error>();
    check::<GradeSet>();
    check::<MembershipMatrix>();
    check::<FuzzyOperator>();
    check::<FuzzyResult>();
    check::<IndicatorMemberships>();
    check::<Survey>();
    check::<KpiTally>();
    check::<service_quality::EvaluationReport>();
    check::<service_quality::Evaluation>();
    check::<Evaluator>();
}

#[cfg(feature = "serde")]
#[test]
fn report_serialises_and_invalid_grade_sets_are_rejected_when_deserialised() {
    let tree = small_tree();
    let report = Evaluator::new(&tree, three_grades())
        .report("shop", &full_data())
        .unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["merchant"], "shop");
    // the versioned report schema: every node, the goal first
    let depth_one = json["nodes"]
        .as_array()
        .map(|nodes| nodes.iter().filter(|n| n["depth"] == 1).count());
    assert_eq!(depth_one, Some(2));
    assert!(json["nodes"][0]["score"].as_f64().is_some());
    assert_eq!(json["schema_version"], 1);

    let bad = r#"[{"label": "a", "value": 1.0}, {"label": "A", "value": 0.0}]"#;
    assert!(serde_json::from_str::<GradeSet>(bad).is_err());
    let good = r#"[{"label": "a", "value": 1.0}, {"label": "b", "label_zh": "乙", "value": 0.0}]"#;
    assert_eq!(
        serde_json::from_str::<GradeSet>(good)
            .unwrap()
            .index_of("乙"),
        Some(1)
    );
    assert!(serde_json::from_str::<MembershipMatrix>("[[0.5, 1.5]]").is_err());
}
