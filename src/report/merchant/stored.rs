//! The stored form of a report: the versioned report schema, its checks, and JSON.

use crate::error::{OutcomeError, Result};
use crate::evaluation::GradingRule;
use crate::model::grades::GradeSet;

use super::{EvaluationReport, LevelOperator, ReportLine};

/// The name of the report schema, the `"schema"` field of a stored report.
pub const REPORT_SCHEMA: &str = "service-quality/evaluation-report";

/// The version of the report schema this crate writes and reads, the `"schema_version"`
/// field of a stored report.
///
/// Version 1 (this crate's first): see [`EvaluationReport::to_json`].
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// A report as stored: the schema fields and the report's own parts.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[derive(Debug, Clone)]
pub(super) struct StoredReport {
    schema: String,
    schema_version: u32,
    merchant: String,
    grades: GradeSet,
    /// The rule that gave each line's `grade` (absent: maximum membership).
    #[cfg_attr(feature = "serde", serde(default))]
    grading: GradingRule,
    operators: Vec<LevelOperator>,
    nodes: Vec<ReportLine>,
    excluded: Vec<String>,
}

/// The rule a stored report breaks, as an error.
fn malformed(problem: String) -> crate::Error {
    OutcomeError::MalformedDocument {
        kind: "evaluation report",
        problem,
    }
    .into()
}

/// Checks a stored document's `(schema, schema_version)` against the ones this crate reads.
pub(crate) fn check_schema(
    kind: &'static str,
    (schema, version): (&str, u32),
    (want, supported): (&str, u32),
) -> Result<()> {
    if schema != want {
        return Err(OutcomeError::MalformedDocument {
            kind,
            problem: format!("schema must be `{want}`, got `{schema}`"),
        }
        .into());
    }
    if version != supported {
        return Err(OutcomeError::SchemaVersion {
            kind,
            found: version,
            supported,
        }
        .into());
    }
    Ok(())
}

/// Checks one stored line against the grade set and the grading rule (the maximum-membership
/// grade, `grade` or `other_grade`, is one of the ties).
fn check_line(line: &ReportLine, grades: usize, grading: GradingRule) -> Result<()> {
    let at = |what: &str| malformed(format!("node `{}`: {what}", line.id));
    if line.memberships.len() != grades {
        return Err(at("memberships must have one value per grade"));
    }
    if line.memberships.iter().any(|b| !(0.0..=1.0).contains(b)) {
        return Err(at("memberships must lie in [0, 1]"));
    }
    let max_membership = match grading {
        GradingRule::MaxMembership => line.grade,
        _ => line.other_grade,
    };
    if line.grade >= grades
        || line.other_grade >= grades
        || line.tied.iter().any(|&g| g >= grades)
        || !line.tied.contains(&max_membership)
    {
        return Err(at(
            "grades and ties must be grade indices, the maximum-membership grade among the ties",
        ));
    }
    if !(0.0..=1.0).contains(&line.weight) {
        return Err(at("weight must lie in [0, 1]"));
    }
    if !(line.score.is_finite() && line.shortfall >= 0.0 && line.shortfall.is_finite()) {
        return Err(at("score must be finite and shortfall finite and >= 0"));
    }
    Ok(())
}

impl TryFrom<StoredReport> for EvaluationReport {
    type Error = crate::Error;

    fn try_from(raw: StoredReport) -> Result<Self> {
        check_schema(
            "evaluation report",
            (&raw.schema, raw.schema_version),
            (REPORT_SCHEMA, REPORT_SCHEMA_VERSION),
        )?;
        let Some(first) = raw.nodes.first() else {
            return Err(malformed(
                "a report needs at least the goal's node".to_owned(),
            ));
        };
        if first.depth != 0 {
            return Err(malformed(
                "the first node must be the goal (depth 0)".to_owned(),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, line) in raw.nodes.iter().enumerate() {
            check_line(line, raw.grades.len(), raw.grading)?;
            if !seen.insert(line.id.as_str()) {
                return Err(malformed(format!("node `{}` appears twice", line.id)));
            }
            // preorder: a group is followed by its first child, a leaf by a node no deeper
            let next = raw.nodes.get(i + 1).map(|n| n.depth);
            let ok = match next {
                Some(d) if line.leaf => d >= 1 && d <= line.depth,
                Some(d) => d == line.depth + 1,
                None => line.leaf || i == 0,
            };
            if !ok {
                return Err(malformed(format!(
                    "node `{}`: the nodes are not in preorder (depths and leaves disagree)",
                    line.id
                )));
            }
        }
        Ok(Self::from_parts(
            raw.merchant,
            raw.grades,
            raw.grading,
            raw.operators,
            raw.nodes,
            raw.excluded,
        ))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for EvaluationReport {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> core::result::Result<S::Ok, S::Error> {
        StoredReport {
            schema: REPORT_SCHEMA.to_owned(),
            schema_version: REPORT_SCHEMA_VERSION,
            merchant: self.merchant.clone(),
            grades: self.grades.clone(),
            grading: self.grading,
            operators: self.operators.clone(),
            nodes: self.nodes.clone(),
            excluded: self.excluded.clone(),
        }
        .serialize(serializer)
    }
}

#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl EvaluationReport {
    /// The report as JSON in the versioned report schema.
    ///
    /// ```text
    /// {
    ///   "schema": "service-quality/evaluation-report",   REPORT_SCHEMA
    ///   "schema_version": 1,                             REPORT_SCHEMA_VERSION
    ///   "merchant": "shop-a",
    ///   "grades": [{"label": "very satisfied", "label_zh": "很满意", "value": 95.0}, ...],
    ///   "grading": "max_membership",                     or "score_intervals"
    ///   "operators": [{"depth": 0, "operator": "weighted_average"}, ...],
    ///   "nodes": [                                       every node, preorder
    ///     {"id", "path", "depth", "leaf", "label", "label_zh", "weight", "memberships",
    ///      "grade", "other_grade", "tied", "score", "observed", "missing", "shortfall"}, ...],
    ///   "excluded": ["warm", ...]
    /// }
    /// ```
    ///
    /// Operators are data (`weighted_average`, `zadeh_max_min`, `product_max`,
    /// `bounded_sum`), numbers keep every digit, so [`from_json`](Self::from_json) gives the
    /// same report back.
    pub fn to_json(&self) -> String {
        // a report holds only strings and finite numbers, which always serialise
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a report written by [`to_json`](Self::to_json).
    ///
    /// # Errors
    ///
    /// - [`OutcomeError::SchemaVersion`] for another schema version;
    /// - [`OutcomeError::MalformedDocument`] for JSON that is not a report, or one that is
    ///   inconsistent (memberships not one per grade or outside `[0, 1]`, a grade index out
    ///   of range, a non-finite score, nodes out of preorder, a node twice).
    pub fn from_json(text: &str) -> Result<Self> {
        let raw: StoredReport = serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
        Self::try_from(raw)
    }
}
