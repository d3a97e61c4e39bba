//! Auto traits of the public types.

use std::fmt::Debug;

use service_quality::hierarchy::NodeRef;
use service_quality::HierarchyError;
use service_quality::{
    ConsistencyReport, Error, IndicatorTree, NodeSpec, PairwiseMatrix, Priorities, PriorityMethod,
    PriorityOptions, RandomIndex, TreeSpec, Weights,
};

fn assert_common<T: Send + Sync + Clone + Debug>() {}

#[test]
fn public_types_are_send_sync_clone_debug() {
    assert_common::<Error>();
    assert_common::<Weights>();
    assert_common::<PairwiseMatrix>();
    assert_common::<Priorities>();
    assert_common::<PriorityOptions>();
    assert_common::<PriorityMethod>();
    assert_common::<RandomIndex>();
    assert_common::<ConsistencyReport>();
    assert_common::<NodeSpec>();
    assert_common::<TreeSpec>();
    assert_common::<IndicatorTree>();
    assert_common::<NodeRef<'static>>();
}

#[test]
fn error_is_a_std_error() {
    fn good_err<E: std::error::Error + Send + Sync + 'static>() {}
    good_err::<Error>();
    let nested = Error::AtNode {
        path: "attitude.courtesy".into(),
        source: Box::new(Error::Hierarchy(HierarchyError::EmptyGroup)),
    };
    let source = std::error::Error::source(&nested).expect("has a source");
    assert_eq!(
        source.to_string(),
        Error::Hierarchy(HierarchyError::EmptyGroup).to_string()
    );
}
