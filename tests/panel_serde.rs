//! Panel model files (JSON): the bundled example and rejection of invalid input.
#![cfg(feature = "serde")]

mod common;

use common::check::assert_close;
use common::tol::CLOSED_FORM;
use service_quality::{ArgumentError, PanelError, StructureDifference, WeightsError};
use service_quality::{Error, GroupTree, PanelSpec, TriangularFuzzyNumber};

const PANEL: &str = include_str!("../examples/data/expert_panel.json");

#[test]
fn bundled_panel_file_builds_a_group_tree() {
    let spec: PanelSpec = serde_json::from_str(PANEL).unwrap();
    assert_eq!(spec.experts.len(), 5);
    let group = GroupTree::from_spec(spec).unwrap();
    assert_eq!(group.expert_names().len(), 5);
    let goal = group.node("after_sales").unwrap();
    // E4 (index 3) is inconsistent at the goal and excluded there, with its CR
    assert_eq!(goal.result().excluded().len(), 1);
    assert_eq!(goal.result().excluded()[0].expert, 3);
    assert!(goal.result().excluded()[0].cr >= 0.1);
    assert_eq!(goal.result().included(), &[0, 1, 2, 4]);
    // E5 (index 4) skipped pairs at the goal, under speed and under satisfaction
    let completed: Vec<&str> = group
        .nodes()
        .iter()
        .filter(|n| n.completions().iter().any(|(e, _)| *e == 4))
        .map(|n| n.path())
        .collect();
    assert_eq!(completed, vec!["after_sales", "speed", "satisfaction"]);
    let total: f64 = group.tree().leaves().map(|l| l.global_weight()).sum();
    assert_close(total, 1.0, CLOSED_FORM, "sum of leaf weights");
    assert_eq!(group.tree().leaf_count(), 13);
}

#[test]
fn panel_file_is_validated() {
    let bad_threshold = r#"{"options": {"exclude_above_cr": -0.1}, "experts": []}"#;
    assert!(serde_json::from_str::<PanelSpec>(bad_threshold).is_err());
    let unknown = r#"{"experts": [], "surprise": 1}"#;
    assert!(serde_json::from_str::<PanelSpec>(unknown).is_err());
    let empty: PanelSpec = serde_json::from_str(r#"{"experts": []}"#).unwrap();
    assert!(matches!(
        GroupTree::from_spec(empty),
        Err(Error::Argument(ArgumentError::Empty { .. }))
    ));
    let bad_weights = r#"{"expert_weights": [1, -1], "experts": []}"#;
    let spec: PanelSpec = serde_json::from_str(bad_weights).unwrap();
    assert!(matches!(
        GroupTree::from_spec(spec),
        Err(Error::Weights(WeightsError::InvalidWeight { index: 1, .. }))
    ));
}

#[test]
fn structure_mismatch_in_a_file_names_node_and_expert() {
    let mut spec: PanelSpec = serde_json::from_str(PANEL).unwrap();
    spec.experts[2]
        .root
        .find_mut("attitude")
        .unwrap()
        .children_mut()
        .swap(0, 1);
    assert_eq!(
        GroupTree::from_spec(spec),
        Err(Error::Panel(PanelError::StructureMismatch {
            path: "attitude.courtesy".into(),
            expert: 2,
            reason: StructureDifference::NodeIds
        }))
    );
}

#[test]
fn fuzzy_numbers_are_validated_when_read() {
    let ok: TriangularFuzzyNumber = serde_json::from_str("[1.0, 2.0, 3.0]").unwrap();
    assert_eq!(serde_json::to_string(&ok).unwrap(), "[1.0,2.0,3.0]");
    assert!(serde_json::from_str::<TriangularFuzzyNumber>("[3.0, 2.0, 4.0]").is_err());
}
