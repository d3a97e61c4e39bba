//! Indicator tree: construction, weights by id, validation errors with node paths.
// exact comparisons are on weights the caller assigned, not computed ones
#![allow(clippy::float_cmp)]

mod common;

use common::check::assert_close;
use common::tol::{EIGEN, ULPS};
use service_quality::{
    template, Error, IndicatorTree, Judgements, NodeSpec, PriorityMethod, PriorityOptions,
};
use service_quality::{AhpError, CountOf, HierarchyError, WeightsError};

fn leaf(id: &str) -> NodeSpec {
    NodeSpec::leaf(id, id)
}

/// The error inside `AtNode`, with the path.
fn at_node(e: Error) -> (String, Error) {
    match e {
        Error::AtNode { path, source } => (path, *source),
        other => panic!("expected AtNode, got {other:?}"),
    }
}

#[test]
fn leaves_at_different_depths_and_weights_by_id() {
    let spec = NodeSpec::group(
        "goal",
        "Goal",
        vec![
            NodeSpec::group(
                "a",
                "A",
                vec![
                    NodeSpec::group("a1", "A1", vec![leaf("a1x"), leaf("a1y")])
                        .with_weights(vec![0.25, 0.75]),
                    leaf("a2"),
                ],
            )
            .with_weights(vec![0.4, 0.6]),
            leaf("b"),
        ],
    )
    .with_weights(vec![0.5, 0.5]);
    let tree = IndicatorTree::new(spec).unwrap();
    assert_eq!(tree.len(), 7);
    assert_eq!(tree.leaf_count(), 4);
    let ids: Vec<&str> = tree.leaves().map(|l| l.id()).collect();
    assert_eq!(ids, ["a1x", "a1y", "a2", "b"]);
    // closed form: products of the given local weights
    let expect = [0.5 * 0.4 * 0.25, 0.5 * 0.4 * 0.75, 0.5 * 0.6, 0.5];
    for ((id, g), e) in tree.leaf_weights().into_iter().zip(expect) {
        assert_close(g, e, ULPS, id);
    }
    assert_eq!(tree.local_weight("a1y").unwrap(), 0.75);
    assert_close(tree.global_weight("a1").unwrap(), 0.2, ULPS, "a1");
    assert_eq!(tree.node("a1y").unwrap().path(), "a.a1.a1y");
    assert_eq!(tree.node("a1y").unwrap().depth(), 3);
    assert_eq!(tree.root().path(), "goal");
    assert_eq!(tree.node("a1").unwrap().parent().unwrap().id(), "a");
    assert_eq!(
        tree.global_weight("zz"),
        Err(Error::Hierarchy(HierarchyError::UnknownId {
            id: "zz".into()
        }))
    );
    assert!(tree.get("zz").is_none());
}

#[test]
fn pairwise_nodes_keep_their_consistency_report() {
    let spec = NodeSpec::group("g", "G", vec![leaf("x"), leaf("y"), leaf("z")]).with_judgements(
        Judgements::Pairs(vec![
            ("x".into(), "y".into(), 3.0),
            ("z".into(), "x".into(), 0.2),
            ("y".into(), "z".into(), 2.0),
        ]),
    );
    let tree = IndicatorTree::with_options(
        spec.clone(),
        PriorityOptions::new(PriorityMethod::GeometricMean),
    )
    .unwrap();
    let root = tree.root();
    let m = root.judgements().unwrap();
    assert_eq!(m.get(0, 2), Some(5.0));
    let direct = m.priorities(PriorityMethod::GeometricMean).unwrap();
    assert_eq!(root.priorities().unwrap(), &direct);
    assert_eq!(root.child_weights().unwrap(), direct.weights());
    assert_eq!(
        tree.local_weight("y").unwrap(),
        direct.weights().as_slice()[1]
    );
    assert!(root.consistency().unwrap().cr() < 0.1);
    assert!(tree.is_consistent(0.1));
    // the same judgements as an upper triangle and as rows give the same tree weights
    for j in [
        Judgements::Upper(vec![3.0, 5.0, 2.0]),
        Judgements::Rows(vec![
            vec![1.0, 3.0, 5.0],
            vec![1.0 / 3.0, 1.0, 2.0],
            vec![0.2, 0.5, 1.0],
        ]),
    ] {
        let other = IndicatorTree::with_options(
            NodeSpec::group("g", "G", vec![leaf("x"), leaf("y"), leaf("z")]).with_judgements(j),
            PriorityOptions::new(PriorityMethod::GeometricMean),
        )
        .unwrap();
        assert_eq!(other.leaf_weights(), tree.leaf_weights());
    }
}

#[test]
fn duplicate_ids_name_both_paths() {
    let spec = NodeSpec::group(
        "g",
        "G",
        vec![
            NodeSpec::group("a", "A", vec![leaf("x")]).with_weights(vec![1.0]),
            NodeSpec::group("b", "B", vec![leaf("x")]).with_weights(vec![1.0]),
        ],
    )
    .with_weights(vec![0.5, 0.5]);
    assert_eq!(
        IndicatorTree::new(spec).unwrap_err(),
        Error::Hierarchy(HierarchyError::DuplicateId {
            id: "x".into(),
            first: "a.x".into(),
            second: "b.x".into()
        })
    );
}

#[test]
fn invalid_ids() {
    for bad in ["", "a.b", "a b", "tab\t"] {
        let spec = NodeSpec::group("g", "G", vec![leaf(bad)]).with_weights(vec![1.0]);
        assert_eq!(
            IndicatorTree::new(spec).unwrap_err(),
            Error::Hierarchy(HierarchyError::InvalidId { id: bad.into() })
        );
    }
}

#[test]
fn group_errors_carry_the_node_path() {
    let wrap = |inner: NodeSpec| {
        NodeSpec::group(
            "goal",
            "Goal",
            vec![NodeSpec::group("attitude", "A", vec![inner]).with_weights(vec![1.0])],
        )
        .with_weights(vec![1.0])
    };
    // weights on a node without children
    let (path, e) =
        at_node(IndicatorTree::new(wrap(leaf("politeness").with_weights(vec![1.0]))).unwrap_err());
    assert_eq!(
        (path.as_str(), e),
        (
            "attitude.politeness",
            Error::Hierarchy(HierarchyError::EmptyGroup)
        )
    );
    // children without weights
    let (path, e) = at_node(
        IndicatorTree::new(wrap(NodeSpec::group("politeness", "P", vec![leaf("p1")]))).unwrap_err(),
    );
    assert_eq!(path, "attitude.politeness");
    assert_eq!(
        e,
        Error::Hierarchy(HierarchyError::MissingWeights { children: 1 })
    );
    // weight count
    let g = NodeSpec::group("politeness", "P", vec![leaf("p1"), leaf("p2")]);
    let (_, e) = at_node(IndicatorTree::new(wrap(g.clone().with_weights(vec![1.0]))).unwrap_err());
    assert_eq!(
        e,
        Error::Hierarchy(HierarchyError::ChildCountMismatch {
            children: 2,
            size: 1,
            what: CountOf::WeightVector
        })
    );
    // matrix size
    let (_, e) = at_node(
        IndicatorTree::new(wrap(
            g.clone().with_judgements(Judgements::Rows(vec![vec![1.0]])),
        ))
        .unwrap_err(),
    );
    assert!(matches!(
        e,
        Error::Hierarchy(HierarchyError::ChildCountMismatch {
            children: 2,
            size: 1,
            ..
        })
    ));
    // negative, NaN, not summing to 1
    let (_, e) =
        at_node(IndicatorTree::new(wrap(g.clone().with_weights(vec![1.5, -0.5]))).unwrap_err());
    assert_eq!(
        e,
        Error::Weights(WeightsError::InvalidWeight {
            index: 1,
            value: -0.5
        })
    );
    let (_, e) =
        at_node(IndicatorTree::new(wrap(g.clone().with_weights(vec![f64::NAN, 1.0]))).unwrap_err());
    assert!(matches!(
        e,
        Error::Weights(WeightsError::InvalidWeight { index: 0, .. })
    ));
    let (_, e) =
        at_node(IndicatorTree::new(wrap(g.clone().with_weights(vec![0.3, 0.3]))).unwrap_err());
    assert!(matches!(e, Error::Weights(WeightsError::WeightSum { .. })));
    // ... unless normalisation is asked for explicitly
    let tree = IndicatorTree::new(wrap(g.clone().with_raw_weights(vec![0.3, 0.3]))).unwrap();
    assert_eq!(tree.local_weight("p1").unwrap(), 0.5);
    // a judgement naming something that is not a child
    let (_, e) = at_node(
        IndicatorTree::new(wrap(g.clone().with_judgements(Judgements::Pairs(vec![(
            "p1".into(),
            "nope".into(),
            2.0,
        )]))))
        .unwrap_err(),
    );
    assert_eq!(
        e,
        Error::Hierarchy(HierarchyError::UnknownId { id: "nope".into() })
    );
    // a pair missing
    let (_, e) = at_node(
        IndicatorTree::new(wrap(g.with_judgements(Judgements::Pairs(vec![])))).unwrap_err(),
    );
    assert_eq!(e, Error::Ahp(AhpError::MissingJudgement { i: 0, j: 1 }));
}

#[test]
fn single_indicator_group_and_single_node_tree() {
    let tree = IndicatorTree::new(leaf("only")).unwrap();
    assert_eq!(tree.leaf_count(), 1);
    assert_eq!(tree.global_weight("only").unwrap(), 1.0);
    let tree = IndicatorTree::new(
        NodeSpec::group("g", "G", vec![leaf("x")]).with_judgements(Judgements::Upper(vec![])),
    )
    .unwrap();
    assert_eq!(tree.global_weight("x").unwrap(), 1.0);
    assert_eq!(tree.root().consistency().unwrap().cr(), 0.0);
}

#[test]
fn after_sales_template() {
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    let dims: Vec<(&str, Option<&str>, usize)> = tree
        .root()
        .children()
        .map(|d| (d.id(), d.label_zh(), d.children().len()))
        .collect();
    assert_eq!(
        dims,
        [
            ("speed", Some("售后服务响应速度"), 3),
            ("attitude", Some("售后服务态度"), 3),
            ("professionalism", Some("售后服务专业性"), 3),
            ("satisfaction", Some("售后服务满意度"), 4),
        ]
    );
    assert_eq!(tree.leaf_count(), 13);
    assert!(tree
        .leaves()
        .all(|l| l.label_zh().is_some() && !l.label().is_empty()));
    // equal weights within each group
    assert_close(
        tree.global_weight("courtesy").unwrap(),
        1.0 / 12.0,
        ULPS,
        "courtesy",
    );
    let w = tree.global_weight("resolution_satisfaction").unwrap();
    assert_close(w, 1.0 / 16.0, ULPS, "resolution_satisfaction");
    // users edit it: replace the satisfaction group's weights
    let mut spec = template::after_sales();
    let sat = spec.find_mut("satisfaction").unwrap();
    *sat = sat.clone().with_weights(vec![0.1, 0.2, 0.3, 0.4]);
    let tree = IndicatorTree::new(spec).unwrap();
    let w = tree.global_weight("resolution_satisfaction").unwrap();
    assert_close(w, 0.1, ULPS, "resolution_satisfaction edited");
    let table = tree.to_string();
    assert!(table.contains("resolution_satisfaction") && table.contains("售后服务满意度"));
}

#[test]
fn deep_trees_are_rejected_not_a_stack_overflow() {
    use service_quality::hierarchy::MAX_TREE_DEPTH;
    let chain = |depth: usize| {
        let mut spec = NodeSpec::leaf(format!("n{depth}"), "leaf");
        for d in (0..depth).rev() {
            spec = NodeSpec::group(format!("n{d}"), "g", vec![spec]).with_weights(vec![1.0]);
        }
        spec
    };
    let ok = IndicatorTree::new(chain(MAX_TREE_DEPTH)).unwrap();
    assert_eq!(
        ok.node(&format!("n{MAX_TREE_DEPTH}")).unwrap().depth(),
        MAX_TREE_DEPTH
    );
    assert!(matches!(
        IndicatorTree::new(chain(MAX_TREE_DEPTH + 1)),
        Err(Error::Hierarchy(HierarchyError::TooDeep {
            max: MAX_TREE_DEPTH,
            ..
        }))
    ));
    // a far deeper spec is rejected and dropped without recursion
    assert!(matches!(
        IndicatorTree::new(chain(200_000)),
        Err(Error::Hierarchy(HierarchyError::TooDeep { .. }))
    ));
}

#[test]
fn oversized_matrices_are_errors() {
    use service_quality::{PairwiseMatrix, MAX_CRITERIA};
    for n in [MAX_CRITERIA + 1, 1 << 32, usize::MAX] {
        assert_eq!(
            PairwiseMatrix::from_judgements(n, &[]),
            Err(Error::Ahp(AhpError::TooManyCriteria {
                n,
                max: MAX_CRITERIA
            }))
        );
        assert!(matches!(
            PairwiseMatrix::from_upper_triangle(n, &[]),
            Err(Error::Ahp(AhpError::TooManyCriteria { .. }))
        ));
    }
}

#[test]
fn node_specs_are_edited_in_place_and_deep_ones_drop_without_recursion() {
    let mut spec = service_quality::template::after_sales();
    let goal = spec.find_mut("after_sales").unwrap();
    goal.set_judgements(Judgements::Upper(vec![2.0, 3.0, 0.5, 2.0, 1.0 / 3.0, 0.25]))
        .set_label_zh("售后服务质量评价");
    assert_eq!(goal.children().len(), 4);
    let tree = IndicatorTree::new(spec).unwrap();
    assert!(tree.root().consistency().is_some());
    assert_eq!(tree.root().label_zh(), Some("售后服务质量评价"));

    // a 100,000-deep chain built in place, then dropped
    let mut root = NodeSpec::leaf("n0", "chain");
    let mut node = &mut root;
    for d in 1..100_000 {
        node.set_weights(vec![1.0]);
        node.children_mut()
            .push(NodeSpec::leaf(format!("n{d}"), "chain"));
        node = &mut node.children_mut()[0];
    }
    assert_eq!(root.children()[0].id(), "n1");
    drop(root);
}

#[test]
fn strict_build_names_every_inconsistent_node_with_its_cr() {
    use service_quality::{ArgumentError, DEFAULT_CR_THRESHOLD};
    // x over y 3, y over z 3, yet z over x 6: CR about 1.76 (Saaty RI 0.58)
    let cyclic = || Judgements::Upper(vec![3.0, 1.0 / 6.0, 3.0]);
    let spec = NodeSpec::group(
        "goal",
        "Goal",
        vec![
            NodeSpec::group("speed", "Speed", vec![leaf("s1"), leaf("s2"), leaf("s3")])
                .with_judgements(cyclic()),
            NodeSpec::group(
                "attitude",
                "Attitude",
                vec![leaf("a1"), leaf("a2"), leaf("a3")],
            )
            .with_judgements(Judgements::Upper(vec![3.0, 5.0, 2.0])),
            NodeSpec::group("skill", "Skill", vec![leaf("k1"), leaf("k2")])
                .with_weights(vec![0.5, 0.5]),
        ],
    )
    .with_judgements(cyclic());
    // the lenient build accepts it without a word ...
    let tree = IndicatorTree::new(spec.clone()).unwrap();
    let cr = |id: &str| tree.node(id).unwrap().consistency().unwrap().cr();
    // the eigenvalue of a 3x3 reciprocal matrix: 1 + r + 1/r, r = (a12 a23 / a13)^(1/3)
    let r = 54f64.cbrt();
    let want = ((1.0 + r + 1.0 / r) - 3.0) / 2.0 / 0.58;
    assert_close(cr("goal"), want, EIGEN, "CR of the cyclic judgements");
    assert!(!tree.is_consistent(DEFAULT_CR_THRESHOLD));
    // ... the strict build refuses it and names both failing nodes, in preorder
    let e = tree
        .clone()
        .require_consistency(DEFAULT_CR_THRESHOLD)
        .unwrap_err();
    assert_eq!(
        e,
        Error::Hierarchy(HierarchyError::Inconsistent {
            nodes: vec![("goal".into(), cr("goal")), ("speed".into(), cr("speed"))],
            threshold: DEFAULT_CR_THRESHOLD,
        })
    );
    let msg = e.to_string();
    assert!(
        msg.starts_with("judgements are not acceptably consistent (CR >= 0.1) at 2 nodes: "),
        "{msg}"
    );
    assert!(
        msg.contains("`goal` (CR 1.76") && msg.contains("`speed` (CR 1.76"),
        "{msg}"
    );
    // a threshold above every CR lets it through; consistent trees pass unchanged
    assert_eq!(tree.clone().require_consistency(2.0).unwrap(), tree);
    let consistent = IndicatorTree::new(template::after_sales()).unwrap();
    assert_eq!(
        consistent
            .clone()
            .require_consistency(DEFAULT_CR_THRESHOLD)
            .unwrap(),
        consistent
    );
    for bad in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        assert!(
            matches!(
                tree.clone().require_consistency(bad),
                Err(Error::Argument(ArgumentError::InvalidParameter { .. }))
            ),
            "{bad}"
        );
    }
}
