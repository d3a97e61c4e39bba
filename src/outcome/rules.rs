//! `OutcomeRules`: ranking, tiers, rectification and alert rules declared in JSON, on their
//! own or in the `"outcome"` section of a model file.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use crate::error::{OutcomeError, Result};
use crate::hierarchy::TreeSpec;
use crate::outcome::alerts::{AlertRule, AlertRules};
use crate::outcome::ranking::RankOptions;
use crate::outcome::rectification::RectificationRules;
use crate::outcome::scoreboard::ModelOutline;
use crate::outcome::tiers::TierScheme;

/// How a platform uses the results: ranking options, tiers, rectification rules and alert
/// rules, each optional.
///
/// ```json
/// {
///   "ranking": {"ties": "competition", "min_sample": 30},
///   "tiers": {"basis": "score", "min_sample": 30, "tiers": [
///       {"id": "A", "label": "Excellent", "label_zh": "优秀", "at_least": 85.0},
///       {"id": "B", "label": "Good", "label_zh": "良好", "at_least": 75.0},
///       {"id": "C", "label": "Rectify", "label_zh": "待整改"}]},
///   "rectification": {"threshold": 75.0, "top": 3,
///       "thresholds": [{"node": "speed", "threshold": 80.0}],
///       "areas": [{"id": "attitude", "label": "Attitude", "label_zh": "服务态度",
///                  "nodes": ["attitude", "attitude_satisfaction"]}]},
///   "alerts": [{"rule": "below", "threshold": 70.0}, {"rule": "drop", "points": 5.0}]
/// }
/// ```
///
/// In a model file the same object is the value of the top-level key `"outcome"`
/// ([`from_model_file`](Self::from_model_file)).
///
/// # Examples
///
/// ```
/// use service_quality::outcome::OutcomeRules;
///
/// let (spec, rules) = OutcomeRules::from_model_file(r#"{
///     "root": {"id": "goal", "label": "Goal", "children": [
///         {"id": "a", "label": "A"}, {"id": "b", "label": "B"}], "weights": [0.5, 0.5]},
///     "outcome": {"alerts": [{"rule": "below", "node": "a", "threshold": 60.0}]}
/// }"#)?;
/// assert_eq!(spec.root.id(), "goal");
/// assert_eq!(rules.alerts().rules().len(), 1);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutcomeRules {
    ranking: RankOptions,
    #[serde(skip_serializing_if = "Option::is_none")]
    tiers: Option<TierScheme>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rectification: Option<RectificationRules>,
    alerts: AlertRules,
}

fn malformed(problem: String) -> crate::Error {
    OutcomeError::MalformedDocument {
        kind: "outcome rules",
        problem,
    }
    .into()
}

impl OutcomeRules {
    /// Rules from their parts.
    pub fn new(
        ranking: RankOptions,
        tiers: Option<TierScheme>,
        rectification: Option<RectificationRules>,
        alerts: AlertRules,
    ) -> Self {
        Self {
            ranking,
            tiers,
            rectification,
            alerts,
        }
    }

    /// Reads rules written on their own (the object above).
    ///
    /// # Errors
    ///
    /// [`OutcomeError::MalformedDocument`] naming the line and the problem, including the
    /// rule checks (unordered tier cuts, a non-finite threshold, ...).
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| malformed(e.to_string()))
    }

    /// Reads a model file that may carry an `"outcome"` section: the model (as
    /// [`TreeSpec::from_json`] reads it, at any depth) and the rules (the defaults when
    /// there is no section).
    ///
    /// # Errors
    ///
    /// As [`TreeSpec::from_json`] for the model, [`from_json`](Self::from_json) for the
    /// section.
    pub fn from_model_file(text: &str) -> Result<(TreeSpec, Self)> {
        let top: BTreeMap<String, &RawValue> =
            serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
        let rules = match top.get("outcome") {
            Some(raw) => Self::from_json(raw.get())?,
            None => Self::default(),
        };
        let model: Vec<String> = top
            .iter()
            .filter(|(k, _)| k.as_str() != "outcome")
            .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), v.get()))
            .collect();
        let spec = TreeSpec::from_json(&format!("{{{}}}", model.join(",")))?;
        Ok((spec, rules))
    }

    /// Checks every node id the rules name against a model.
    ///
    /// # Errors
    ///
    /// [`OutcomeError::UnknownNode`] naming the rule.
    pub fn check(&self, outline: &ModelOutline) -> Result<()> {
        if let Some(id) = self.ranking.node() {
            outline.require(id, "the ranking")?;
        }
        if let Some(r) = &self.rectification {
            r.check(outline)?;
        }
        for (i, rule) in self.alerts.rules().iter().enumerate() {
            if let AlertRule::Below { node: Some(id), .. } = rule {
                outline.require(id, &format!("alert rule {i}"))?;
            }
        }
        Ok(())
    }

    /// The ranking options.
    pub fn ranking(&self) -> &RankOptions {
        &self.ranking
    }
    /// The tiers, if declared.
    pub fn tiers(&self) -> Option<&TierScheme> {
        self.tiers.as_ref()
    }
    /// The rectification rules, if declared.
    pub fn rectification(&self) -> Option<&RectificationRules> {
        self.rectification.as_ref()
    }
    /// The alert rules (none by default).
    pub fn alerts(&self) -> &AlertRules {
        &self.alerts
    }
}
