//! Model files: round trips, and validation on deserialisation.
#![cfg(feature = "serde")]

mod common;

use common::check::assert_close;
use common::tol::CLOSED_FORM;
use service_quality::hierarchy::MAX_TREE_DEPTH;
use service_quality::AhpError;
use service_quality::{
    template, ConsistencyReport, Error, HierarchyError, IndicatorTree, PairwiseMatrix,
    PriorityMethod, PriorityOptions, RandomIndex, TreeSpec, Weights,
};

const MODEL: &str = include_str!("../examples/data/after_sales_model.json");

#[test]
fn bundled_model_loads_and_is_consistent() {
    let tree: IndicatorTree = serde_json::from_str(MODEL).unwrap();
    assert_eq!(tree.leaf_count(), 13);
    assert!(tree.is_consistent(0.10));
    let total: f64 = tree.leaves().map(|l| l.global_weight()).sum();
    assert_close(total, 1.0, CLOSED_FORM, "sum of leaf weights");
    // the root was judged with id pairs: satisfaction is 2x speed
    let root = tree.root().judgements().unwrap();
    assert_eq!(root.get(3, 0), Some(2.0));
}

#[test]
fn tree_round_trips_through_json_exactly() {
    let tree: IndicatorTree = serde_json::from_str(MODEL).unwrap();
    let json = serde_json::to_string_pretty(&tree).unwrap();
    let back: IndicatorTree = serde_json::from_str(&json).unwrap();
    assert_eq!(back, tree);
    let spec_json = serde_json::to_string(&TreeSpec {
        priority: PriorityOptions::new(PriorityMethod::GeometricMean)
            .with_random_index(RandomIndex::custom(vec![0.0, 0.0, 0.5, 0.9]).unwrap()),
        root: template::after_sales(),
        kpi: None,
    })
    .unwrap();
    let spec: TreeSpec = serde_json::from_str(&spec_json).unwrap();
    assert_eq!(spec.root, template::after_sales());
    assert_eq!(spec.priority.method(), PriorityMethod::GeometricMean);
}

fn load(json: &str) -> String {
    serde_json::from_str::<IndicatorTree>(json)
        .unwrap_err()
        .to_string()
}

#[test]
fn invalid_model_is_rejected_with_the_node_path() {
    let bad = MODEL.replace(
        r#"["knowledge", "advice", 2]"#,
        r#"["knowledge", "advice", -2]"#,
    );
    assert_ne!(bad, MODEL);
    let msg = load(&bad);
    assert!(msg.starts_with("at node `professionalism`"), "{msg}");
    assert!(msg.contains("must be finite and > 0, got -2"), "{msg}");

    // `tools` renamed `courtesy` (also in its group's judgements): a clash with attitude's
    let dup = MODEL.replace(r#""tools""#, r#""courtesy""#);
    let msg = load(&dup);
    assert!(
        msg.contains(
            "duplicate node id `courtesy` at `attitude.courtesy` and `professionalism.courtesy`"
        ),
        "{msg}"
    );

    let unknown = MODEL.replace(r#"["speed", "attitude", 2]"#, r#"["speed", "atitude", 2]"#);
    assert!(load(&unknown).contains("unknown node id `atitude`"));
}

#[test]
fn malformed_fields_are_rejected() {
    // two weightings on one node
    let msg = load(
        r#"{"root": {"id": "g", "label": "G", "weights": [1], "raw_weights": [1],
            "children": [{"id": "x", "label": "X"}]}}"#,
    );
    assert!(msg.contains("more than one of"), "{msg}");
    // a typo in a field name
    let msg = load(r#"{"root": {"id": "g", "label": "G", "wieghts": [1]}}"#);
    assert!(msg.contains("wieghts"), "{msg}");
    // weights not summing to 1, with the path
    let msg = load(
        r#"{"root": {"id": "g", "label": "G", "weights": [0.5, 0.4],
            "children": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}]}}"#,
    );
    assert!(
        msg.starts_with("at node `g`: weights must sum to 1"),
        "{msg}"
    );
    // invalid options
    let msg = load(r#"{"priority": {"tol": -1}, "root": {"id": "g", "label": "G"}}"#);
    assert!(msg.contains("tol"), "{msg}");
    let msg = load(
        r#"{"priority": {"random_index": {"custom": [0, 0, -1]}}, "root": {"id": "g", "label": "G"}}"#,
    );
    assert!(msg.contains("random index for n = 3"), "{msg}");
}

#[test]
fn small_types_round_trip_and_validate() {
    let w: Weights = serde_json::from_str("[0.25, 0.75]").unwrap();
    assert_eq!(serde_json::to_string(&w).unwrap(), "[0.25,0.75]");
    assert!(serde_json::from_str::<Weights>("[0.25, 0.5]").is_err());
    let m = PairwiseMatrix::from_upper_triangle(3, &[3.0, 5.0, 2.0]).unwrap();
    let report: ConsistencyReport = *m
        .priorities(PriorityMethod::Eigenvector)
        .unwrap()
        .consistency();
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains("\"ri_table\":\"saaty1980\""), "{json}");
    let back: ConsistencyReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    // a report whose CR does not follow from its lambda_max is rejected
    let edited = serde_json::to_value(report).unwrap();
    let mut edited = edited.as_object().unwrap().clone();
    edited.insert("cr".into(), serde_json::json!(0.5));
    assert!(
        serde_json::from_value::<ConsistencyReport>(serde_json::Value::Object(edited)).is_err()
    );
    let method: PriorityMethod = serde_json::from_str("\"rgmm\"").unwrap();
    assert_eq!(method, PriorityMethod::GeometricMean);
    let e = Error::Ahp(AhpError::NotReciprocal {
        i: 0,
        j: 1,
        a_ij: 2.0,
        a_ji: 2.0,
        rtol: 1e-3,
    });
    assert!(e
        .to_string()
        .starts_with("entries (0, 1) = 2 and (1, 0) = 2 are not reciprocal"));
}

#[test]
fn fuzzy_consistency_conventions_round_trip_by_name() {
    use service_quality::fuzzy_ahp::FuzzyConsistencyConvention as C;
    for (convention, name) in [
        (C::CentroidEigenvector, "centroid_eigenvector"),
        (C::GradedMeanBuckley, "graded_mean_buckley"),
        (C::GogusBoucher, "gogus_boucher"),
    ] {
        assert_eq!(convention.name(), name);
        let json = serde_json::to_string(&convention).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<C>(&json).unwrap(), convention);
    }
    assert!(serde_json::from_str::<C>("\"gogus_boucher_1998\"").is_err());
}

/// A chain `n0 -> n1 -> ... -> n{depth}` (the root at depth 0) as a model file, written out
/// (serialising a spec deeper than the limit would recurse as deep).
fn chain_json(depth: usize) -> String {
    let mut text = String::from(r#"{"root": "#);
    for d in 0..depth {
        text += &format!(r#"{{"id": "n{d}", "label": "group", "weights": [1], "children": ["#);
    }
    text += &format!(r#"{{"id": "n{depth}", "label": "leaf"}}"#);
    text += &"]}".repeat(depth);
    text + "}"
}

#[test]
fn model_files_load_at_every_depth_up_to_the_limit() {
    // serde_json's own recursion limit (128 nested levels) stops far earlier ...
    let deep = chain_json(MAX_TREE_DEPTH);
    assert!(serde_json::from_str::<IndicatorTree>(&deep)
        .unwrap_err()
        .to_string()
        .contains("recursion limit exceeded"));
    // ... the documented loading path reads the whole depth
    let tree = IndicatorTree::from_json(&deep).unwrap();
    let last = tree.node(&format!("n{MAX_TREE_DEPTH}")).unwrap();
    assert_eq!(last.depth(), MAX_TREE_DEPTH);
    assert_close(
        last.global_weight(),
        1.0,
        CLOSED_FORM,
        "weight of the deepest leaf",
    );
    assert_eq!(
        TreeSpec::from_json(&deep).unwrap(),
        *tree.spec(),
        "read only"
    );
    // and round-trips what it reads
    assert_eq!(
        IndicatorTree::from_json(&serde_json::to_string(&tree).unwrap()).unwrap(),
        tree
    );

    let e = IndicatorTree::from_json(&chain_json(MAX_TREE_DEPTH + 1)).unwrap_err();
    match e {
        Error::Hierarchy(HierarchyError::TooDeep { path, max }) => {
            assert_eq!(max, MAX_TREE_DEPTH);
            assert!(
                path.ends_with(&format!(".n{}", MAX_TREE_DEPTH + 1)),
                "{path}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn absurdly_deep_model_files_are_errors_not_a_stack_overflow() {
    // 100,000 nested nodes, and 1,000,000 nested arrays
    let deep = chain_json(100_000);
    let e = IndicatorTree::from_json(&deep).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Hierarchy(HierarchyError::ModelFile { line: 1, .. })
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("nested more than"), "{e}");
    let arrays = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    assert!(matches!(
        TreeSpec::from_json(&arrays),
        Err(Error::Hierarchy(HierarchyError::ModelFile { .. }))
    ));
    // brackets inside strings do not count
    let text = format!(
        r#"{{"root": {{"id": "g", "label": "{}"}}}}"#,
        "[".repeat(10_000)
    );
    assert_eq!(
        TreeSpec::from_json(&text).unwrap().root.label().len(),
        10_000
    );
}

#[test]
fn from_json_reports_malformed_files_with_their_line() {
    let e = |text: &str| match IndicatorTree::from_json(text).unwrap_err() {
        Error::Hierarchy(HierarchyError::ModelFile {
            line,
            column,
            message,
        }) => (line, column, message),
        other => panic!("{other:?}"),
    };
    // at the same place in the file as serde_json's own errors, with the same messages but
    // for syntax errors, which are found while a level is skipped over
    for (text, same_message) in [
        (
            "{\"root\": {\"id\": \"g\", \"label\": \"G\",\n \"weights\": [1, 2,]}}",
            false,
        ),
        (
            "{\"root\": {\"id\": \"g\", \"label\": \"G\", \"weights\": [1],\n \"children\": [{\"id\": \"x\",\n  \"label\": 3}]}}",
            true,
        ),
        (
            "{\"priority\": {\"method\": \"magic\"},\n\"root\": {\"id\": \"g\", \"label\": \"G\"}}",
            true,
        ),
        ("{\"root\": {\"id\": \"g\"}}", true),
        ("", true),
    ] {
        let direct = serde_json::from_str::<TreeSpec>(text).unwrap_err();
        let (line, column, message) = e(text);
        assert_eq!((line, column), (direct.line(), direct.column()), "{text}");
        assert!(!message.is_empty() && !message.contains(" at line "), "{message}");
        if same_message {
            assert!(direct.to_string().starts_with(&message), "{message} / {direct}");
        }
    }
    // two weightings on one node: the line where the node starts
    let (line, _, message) = e(
        "{\"root\": {\"id\": \"g\", \"label\": \"G\", \"weights\": [1],\n \"children\": [\n  {\"id\": \"x\", \"label\": \"X\", \"weights\": [1], \"raw_weights\": [1],\n   \"children\": [{\"id\": \"y\", \"label\": \"Y\"}]}]}}",
    );
    assert_eq!(line, 3);
    assert!(
        message.contains("node `x` gives more than one of"),
        "{message}"
    );
    // the bundled model loads the same way as with serde_json
    assert_eq!(
        IndicatorTree::from_json(MODEL).unwrap(),
        serde_json::from_str::<IndicatorTree>(MODEL).unwrap()
    );
}

#[test]
fn weight_sum_messages_say_what_is_wrong() {
    // raw weights have no sum rule: a sum that overflows says so
    let msg = load(
        r#"{"root": {"id": "g", "label": "G", "raw_weights": [1e308, 1e308],
            "children": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}]}}"#,
    );
    assert!(msg.contains("the sum of the weights overflows"), "{msg}");
    assert!(!msg.contains("must sum to 1"), "{msg}");
    // weights that look like raw values: the message points to `raw_weights`
    let msg = load(
        r#"{"root": {"id": "g", "label": "G", "weights": [50, 30, 20],
            "children": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"},
                         {"id": "z", "label": "Z"}]}}"#,
    );
    assert!(
        msg.starts_with("at node `g`: weights must sum to 1 (tolerance 1e-9), got 100"),
        "{msg}"
    );
    assert!(msg.contains("`raw_weights`"), "{msg}");
}
