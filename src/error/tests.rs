// exact comparisons are on values the tests assign, not compute
#![allow(clippy::float_cmp)]

use std::error::Error as _;

use super::*;

fn at_node(path: &str, source: Error) -> Error {
    Error::AtNode {
        path: path.to_owned(),
        source: Box::new(source),
    }
}

fn at_expert(expert: usize, source: Error) -> Error {
    Error::AtExpert {
        expert,
        source: Box::new(source),
    }
}

fn empty_group() -> Error {
    HierarchyError::EmptyGroup.into()
}

#[test]
fn error_is_send_sync_static() {
    fn check<T: Send + Sync + 'static>() {}
    check::<Error>();
    check::<AhpError>();
    check::<ArgumentError>();
    check::<BatchError>();
    check::<CsvError>();
    check::<EvaluationError>();
    check::<HierarchyError>();
    check::<InputError>();
    check::<NumericError>();
    check::<PanelError>();
    check::<WeightsError>();
}

#[test]
fn root_looks_through_every_wrapper() {
    let inner = empty_group();
    assert_eq!(inner.root(), &inner);
    let wrapped = at_expert(
        2,
        Error::AtLine {
            line: 7,
            source: Box::new(at_node("a.b", inner.clone())),
        },
    );
    assert_eq!(wrapped.root(), &inner);
    assert!(matches!(
        wrapped.root(),
        Error::Hierarchy(HierarchyError::EmptyGroup)
    ));
}

#[test]
fn node_path_joins_the_node_wrappers() {
    assert_eq!(empty_group().node_path(), None);
    assert_eq!(
        Error::AtLine {
            line: 3,
            source: Box::new(empty_group())
        }
        .node_path(),
        None
    );
    assert_eq!(
        at_node("attitude.politeness", empty_group())
            .node_path()
            .as_deref(),
        Some("attitude.politeness")
    );
    // other wrappers outside or inside are skipped
    let e = at_expert(1, at_node("goal", at_expert(0, empty_group())));
    assert_eq!(e.node_path().as_deref(), Some("goal"));
    // nested node wrappers: the inner path is relative to the outer node
    let e = at_node("a", at_expert(1, at_node("b.c", empty_group())));
    assert_eq!(e.node_path().as_deref(), Some("a.b.c"));
}

#[test]
fn area_errors_convert_with_from() {
    assert_eq!(
        Error::from(AhpError::MissingJudgement { i: 0, j: 1 }),
        Error::Ahp(AhpError::MissingJudgement { i: 0, j: 1 })
    );
    let e: Error = ArgumentError::Empty { what: "weights" }.into();
    assert!(matches!(e, Error::Argument(ArgumentError::Empty { .. })));
    let e: Error = NumericError::NumericalRange { what: "x" }.into();
    assert!(matches!(e, Error::Numeric(_)));
    let e: Error = WeightsError::WeightSum {
        sum: 0.0,
        tol: 1e-9,
    }
    .into();
    assert!(matches!(e, Error::Weights(_)));
    assert!(matches!(empty_group(), Error::Hierarchy(_)));
    let e: Error = PanelError::ExpertCountMismatch {
        expected: 2,
        found: 3,
    }
    .into();
    assert!(matches!(e, Error::Panel(_)));
    let e: Error = EvaluationError::ZeroMembership.into();
    assert!(matches!(e, Error::Evaluation(_)));
    let e: Error = InputError::UnknownMerchant {
        merchant: "m".into(),
    }
    .into();
    assert!(matches!(e, Error::Input(_)));
    let e: Error = CsvError::MissingColumn {
        column: "merchant".into(),
    }
    .into();
    assert!(matches!(e, Error::Csv(_)));
    let e: Error = BatchError::InvalidOffsets {
        index: 0,
        reason: OffsetsProblem::Missing,
    }
    .into();
    assert!(matches!(e, Error::Batch(_)));
    // and with `?`
    fn fails() -> Result<()> {
        Err(AhpError::MissingJudgement { i: 1, j: 2 })?
    }
    assert!(matches!(
        fails(),
        Err(Error::Ahp(AhpError::MissingJudgement { i: 1, j: 2 }))
    ));
}

/// The messages are those of the flat enum of earlier versions, word for word.
#[test]
fn display_is_unchanged() {
    let cases: Vec<(Error, &str)> = vec![
        (
            ArgumentError::InvalidParameter {
                name: Parameter::Tol,
                value: -1.0,
            }
            .into(),
            "parameter `tol` is invalid: -1 (must be finite and > 0)",
        ),
        (
            ArgumentError::InvalidParameter {
                name: Parameter::MaxIter,
                value: 0.0,
            }
            .into(),
            "parameter `max_iter` is invalid: 0 (must be >= 1)",
        ),
        (
            ArgumentError::LengthMismatch {
                what: "upper triangle of a pairwise matrix",
                expected: 3,
                found: 2,
            }
            .into(),
            "upper triangle of a pairwise matrix: expected 3 values, got 2",
        ),
        (
            NumericError::NumericalRange {
                what: "power iteration",
            }
            .into(),
            "power iteration overflowed or underflowed f64; the entries span too many orders of \
             magnitude",
        ),
        (
            AhpError::RandomIndexOutOfRange {
                table: crate::ahp::RandomIndexKind::Saaty1980,
                max_n: 15,
                n: 16,
            }
            .into(),
            "random index table saaty1980 covers n <= 15, got n = 16; tables covering n = 16: \
             donegan_dodd1991 (n <= 100); or pass a custom table with RandomIndex::custom \
             (`\"random_index\": {\"custom\": [...]}` in a model file), values[k] being RI for \
             n = k + 1",
        ),
        (
            AhpError::NotSquare {
                row: 1,
                expected: 3,
                found: 2,
            }
            .into(),
            "matrix must be square: row 1 has 2 entries, expected 3",
        ),
        (
            WeightsError::InvalidWeight {
                index: 2,
                value: -0.5,
            }
            .into(),
            "weight 2 must be finite and >= 0, got -0.5",
        ),
        (
            HierarchyError::ChildCountMismatch {
                children: 2,
                size: 1,
                what: CountOf::WeightVector,
            }
            .into(),
            "node has 2 children but its weight vector is for 1",
        ),
        (
            HierarchyError::ChildCountMismatch {
                children: 3,
                size: 2,
                what: CountOf::PairwiseMatrix,
            }
            .into(),
            "node has 3 children but its pairwise matrix is for 2",
        ),
        (
            PanelError::StructureMismatch {
                path: "a.b".into(),
                expert: 2,
                reason: StructureDifference::NodeIds,
            }
            .into(),
            "expert 2 differs from expert 0 at node `a.b`: node ids differ",
        ),
        (
            PanelError::StructureMismatch {
                path: "a".into(),
                expert: 1,
                reason: StructureDifference::ChildCount,
            }
            .into(),
            "expert 1 differs from expert 0 at node `a`: numbers of children differ",
        ),
        (
            EvaluationError::TooFewGrades { found: 1 }.into(),
            "a grade set needs at least 2 grades, got 1",
        ),
        (
            InputError::InvalidBreakpoint {
                index: 1,
                value: 1.0,
                order: BreakpointOrder::Greater,
            }
            .into(),
            "breakpoint 1 = 1 must be finite and strictly greater than the one before",
        ),
        (
            InputError::InvalidBreakpoint {
                index: 2,
                value: 0.5,
                order: BreakpointOrder::Less,
            }
            .into(),
            "breakpoint 2 = 0.5 must be finite and strictly less than the one before",
        ),
        (
            CsvError::CellCount {
                line: 4,
                expected: 3,
                found: 2,
            }
            .into(),
            "line 4: 2 cells, expected 3 (as in the header)",
        ),
        (
            BatchError::InvalidOffsets {
                index: 2,
                reason: OffsetsProblem::NotContiguous,
            }
            .into(),
            "survey answer offsets are invalid at index 2: rows of a merchant must be contiguous",
        ),
        (
            at_expert(1, at_node("goal", empty_group())),
            "expert 1: at node `goal`: group has weights or judgements but no children",
        ),
    ];
    for (e, message) in cases {
        assert_eq!(e.to_string(), message);
    }
}

#[test]
fn every_parameter_has_its_requirement() {
    for (p, name, requirement) in [
        (Parameter::Tol, "tol", "must be finite and > 0"),
        (Parameter::MaxCycles, "max_cycles", "must be >= 1"),
        (Parameter::TargetCr, "target_cr", "must be finite and > 0"),
        (
            Parameter::ExcludeAboveCr,
            "exclude_above_cr",
            "must be finite and > 0",
        ),
        (Parameter::Rtol, "rtol", "must be finite and >= 0"),
        (Parameter::Threshold, "threshold", "must be > 0"),
        (Parameter::ScaleMax, "scale_max", "must be finite and > 1"),
        (Parameter::Leaves, "leaves", "must be >= 1"),
        (
            Parameter::Grades,
            "grades",
            "batch scoring supports at most 254 grades",
        ),
        (
            Parameter::Nodes,
            "nodes",
            "batch scoring supports at most u32::MAX nodes",
        ),
        (
            Parameter::Tree,
            "tree",
            "a child node is neither a leaf nor a group",
        ),
    ] {
        assert_eq!(p.to_string(), name);
        assert_eq!(p.requirement(), requirement);
    }
}

#[test]
fn source_chain_goes_through_the_wrappers() {
    let inner = empty_group();
    let e = at_expert(0, at_node("goal", inner.clone()));
    let first = e.source().expect("AtExpert has a source");
    assert_eq!(
        first.to_string(),
        at_node("goal", inner.clone()).to_string()
    );
    let second = first.source().expect("AtNode has a source");
    assert_eq!(second.to_string(), inner.to_string());
    // an area variant is transparent: the area error has no source of its own
    assert!(inner.source().is_none());
}

#[cfg(feature = "csv")]
#[test]
fn csv_reader_error_is_kept_as_source() {
    use std::sync::Arc;

    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&b"a,b\n\xff,c\n"[..]);
    let mut record = ::csv::StringRecord::new();
    assert!(matches!(rdr.read_record(&mut record), Ok(true)));
    let Err(reader) = rdr.read_record(&mut record) else {
        panic!("invalid UTF-8 must fail");
    };
    let message = reader.to_string();
    let source = Arc::new(reader);
    let e: Error = CsvError::Reader {
        line: Some(2),
        source: Arc::clone(&source),
    }
    .into();
    assert_eq!(e.to_string(), format!("csv line 2: {message}"));
    let s = e.source().expect("the reader's error is the source");
    let kept = s
        .downcast_ref::<Arc<::csv::Error>>()
        .expect("the source is the reader's error");
    assert!(Arc::ptr_eq(kept, &source));
    assert_eq!(s.to_string(), message);
    // equal by line and message; a clone is equal
    assert_eq!(e.clone(), e);
    let other_line: Error = CsvError::Reader {
        line: Some(3),
        source,
    }
    .into();
    assert_ne!(e, other_line);
    assert_ne!(e, CsvError::MissingColumn { column: "x".into() }.into());
}

#[test]
fn csv_errors_compare_by_fields() {
    let a = CsvError::BadCell {
        line: 2,
        col: 1,
        column: "merchant".into(),
        cell: "x".into(),
        expected: "a number".into(),
    };
    assert_eq!(a, a.clone());
    let mut b = a.clone();
    if let CsvError::BadCell { ref mut cell, .. } = b {
        *cell = "y".into();
    }
    assert_ne!(a, b);
    assert_ne!(
        CsvError::MissingColumn { column: "a".into() },
        CsvError::UnknownColumn {
            column: "a".into(),
            col: 1
        }
    );
}
