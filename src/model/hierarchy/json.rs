//! Model files in JSON, read one tree level at a time, so that their depth is limited by
//! [`MAX_TREE_DEPTH`] and not by the JSON parser's recursion limit or the call stack.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::ahp::PriorityOptions;
use crate::error::{Error, HierarchyError, Result};
use crate::hierarchy::spec::raw::RawNodeSpec;
use crate::hierarchy::spec::{NodeSpec, TreeSpec};
use crate::hierarchy::tree::{IndicatorTree, MAX_TREE_DEPTH};
use crate::hierarchy::KpiSpec;

/// Deepest nesting of arrays and objects a model file may have. A node at depth `d` lies
/// `2 + 2d` levels deep (the file's object, then the node's object and its parent's `children`
/// array per level) and its judgements up to 3 more; the rest to spare lets a tree a level or
/// two too deep be read, and reported by [`IndicatorTree::from_spec`] with the path of its
/// deepest node.
const MAX_NESTING: usize = 2 * MAX_TREE_DEPTH + 8;

/// The JSON shape of a model file, its root left unread (named as [`TreeSpec`] in messages).
#[derive(Deserialize)]
#[serde(rename = "TreeSpec", deny_unknown_fields)]
struct RawTreeSpec<'a> {
    #[serde(default)]
    priority: PriorityOptions,
    #[serde(borrow)]
    root: &'a RawValue,
    #[serde(default)]
    kpi: Option<KpiSpec>,
}

impl TreeSpec {
    /// Reads a model file (the JSON format documented on [`TreeSpec`]) without validating the
    /// model; [`IndicatorTree::from_json`] reads and validates.
    ///
    /// This is the way to read model files: it reads trees of every depth up to
    /// [`MAX_TREE_DEPTH`] with a small, fixed amount of stack, one level at a time.
    /// (`serde_json::from_str` also works, but stops at serde_json's recursion limit of 128
    /// nested arrays and objects, a tree about 62 levels deep.) The time it takes grows with
    /// the size of the file times the depth of the tree.
    ///
    /// # Errors
    ///
    /// [`HierarchyError::ModelFile`], with the line and column, when the text is not JSON,
    /// nests arrays and objects more than `2 * MAX_TREE_DEPTH + 8` levels deep, or does not
    /// have the shape of a model (a missing or unknown field, a value of the wrong type, more
    /// than one weighting on a node).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::TreeSpec;
    ///
    /// let spec = TreeSpec::from_json(r#"{"root": {"id": "goal", "label": "Goal"}}"#)?;
    /// assert_eq!(spec.root.id(), "goal");
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    pub fn from_json(text: &str) -> Result<Self> {
        check_nesting(text)?;
        let file: RawTreeSpec<'_> =
            serde_json::from_str(text).map_err(|e| json_error(text, 0, &e))?;
        // every node without its children, in preorder, with the index of its parent
        let mut nodes: Vec<(NodeSpec, Option<usize>)> = Vec::new();
        let mut pending: Vec<(&RawValue, Option<usize>)> = vec![(file.root, None)];
        while let Some((raw, parent)) = pending.pop() {
            let json = raw.get();
            let start = offset_in(text, json);
            let (node, children) = serde_json::from_str::<RawNodeSpec<&RawValue>>(json)
                .map_err(|e| json_error(text, start, &e))?
                .split()
                .map_err(|message| model_file(text, start, message))?;
            let index = nodes.len();
            nodes.push((node, parent));
            pending.extend(children.into_iter().rev().map(|c| (c, Some(index))));
        }
        // every node's descendants follow it in preorder: moving the last node into its
        // parent until the root is left builds the tree bottom-up (children in reverse order)
        while let Some((mut node, parent)) = nodes.pop() {
            node.children.reverse();
            match parent.and_then(|p| nodes.get_mut(p)) {
                Some((parent, _)) => parent.children.push(node),
                None => {
                    return Ok(TreeSpec {
                        priority: file.priority,
                        root: node,
                        kpi: file.kpi,
                    })
                }
            }
        }
        // `nodes` started with the root, the only node without a parent
        Err(model_file(text, 0, "a model file needs a root".into()))
    }
}

impl IndicatorTree {
    /// Reads a model file ([`TreeSpec::from_json`]) and validates it
    /// ([`IndicatorTree::from_spec`]): the way to load a model file, at any depth up to
    /// [`MAX_TREE_DEPTH`].
    ///
    /// The build is lenient about consistency, as [`from_spec`](Self::from_spec) is: chain
    /// [`require_consistency`](Self::require_consistency) for the strict build.
    ///
    /// # Errors
    ///
    /// [`HierarchyError::ModelFile`] for text that is not a model file
    /// ([`TreeSpec::from_json`]), then every error of [`from_spec`](Self::from_spec).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{IndicatorTree, DEFAULT_CR_THRESHOLD};
    ///
    /// let text = include_str!(concat!(
    ///     env!("CARGO_MANIFEST_DIR"),
    ///     "/examples/data/after_sales_model.json"
    /// ));
    /// // the strict build: judgements with CR >= 0.10 are refused
    /// let tree = IndicatorTree::from_json(text)?.require_consistency(DEFAULT_CR_THRESHOLD)?;
    /// assert_eq!(tree.leaf_count(), 13);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    pub fn from_json(text: &str) -> Result<Self> {
        Self::from_spec(TreeSpec::from_json(text)?)
    }
}

/// Rejects text whose arrays and objects nest deeper than [`MAX_NESTING`], in one pass
/// without recursion.
fn check_nesting(text: &str) -> Result<()> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (offset, &b) in text.as_bytes().iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(model_file(
                        text,
                        offset,
                        format!(
                            "arrays and objects nested more than {MAX_NESTING} levels deep, \
                             deeper than a tree of {MAX_TREE_DEPTH} levels needs"
                        ),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Byte offset of `part`, a slice of `text`, in `text`.
fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// 1-based line and 0-based column (in bytes) of byte `offset` of `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line = 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count();
    (line, before.len() - line_start)
}

/// A [`HierarchyError::ModelFile`] at byte `offset` of `text` (its column 1-based, as
/// serde_json counts).
fn model_file(text: &str, offset: usize, message: String) -> Error {
    let (line, column) = line_and_column(text, offset);
    HierarchyError::ModelFile {
        line,
        column: column + 1,
        message,
    }
    .into()
}

/// A serde_json error in the part of `text` that starts at byte `start`, located in `text`.
fn json_error(text: &str, start: usize, e: &serde_json::Error) -> Error {
    let (line0, column0) = line_and_column(text, start);
    let (line, column) = match e.line() {
        0 => (line0, column0 + 1),
        1 => (line0, column0 + e.column()),
        l => (line0 + l - 1, e.column()),
    };
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&position).unwrap_or(&full).to_owned();
    HierarchyError::ModelFile {
        line,
        column,
        message,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_those_of_the_whole_file() {
        let text = "{\"root\": {\"id\": \"g\", \"label\": \"G\", \"weights\": [1],\n  \"children\": [\n    {\"id\": \"x\", \"labl\": \"X\"}]}}";
        let e = TreeSpec::from_json(text).unwrap_err();
        // the same error as serde_json reports reading the file in one go
        let direct = serde_json::from_str::<TreeSpec>(text).unwrap_err();
        assert_eq!(
            e,
            Error::Hierarchy(HierarchyError::ModelFile {
                line: direct.line(),
                column: direct.column(),
                message: "unknown field `labl`, expected one of `id`, `label`, `label_zh`, \
                          `weights`, `raw_weights`, `judgements`, `children`"
                    .into(),
            })
        );
        assert_eq!(direct.line(), 3);
    }

    #[test]
    fn line_and_column_count_bytes() {
        assert_eq!(line_and_column("ab\ncd", 4), (2, 1));
        assert_eq!(line_and_column("ab\ncd", 0), (1, 0));
        assert_eq!(line_and_column("ab\n", 3), (2, 0));
    }
}
