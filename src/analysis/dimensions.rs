//! The dimensions of a questionnaire read from the indicator tree: each group with its leaf
//! children that are variables of a table.

use crate::hierarchy::IndicatorTree;

use super::table::Responses;

/// A group of the tree and the columns of its leaf children in a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dimension {
    /// The group's id.
    pub(crate) id: String,
    /// The group's dotted path (empty for the root).
    pub(crate) path: String,
    /// Column indices of its leaves in the table, in the tree's order.
    pub(crate) columns: Vec<usize>,
}

impl Dimension {
    /// Mean of the non-missing answers of `row` to this dimension's items.
    pub(crate) fn score(&self, row: &[Option<f64>]) -> Option<f64> {
        let (sum, n) = self
            .columns
            .iter()
            .filter_map(|&j| row[j])
            .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
        (n > 0).then(|| sum / n as f64)
    }
}

/// Every group of `tree` (preorder) with at least one leaf child among `table`'s variables.
pub(crate) fn of_tree(tree: &IndicatorTree, table: &Responses) -> Vec<Dimension> {
    tree.nodes()
        .filter(|node| !node.is_leaf())
        .filter_map(|node| {
            let columns: Vec<usize> = node
                .children()
                .filter(|c| c.is_leaf())
                .filter_map(|c| table.index_of(c.id()))
                .collect();
            (!columns.is_empty()).then(|| Dimension {
                id: node.id().to_owned(),
                path: node.path().to_owned(),
                columns,
            })
        })
        .collect()
}
