//! Alert rules over a history of periods: a score below a threshold, a drop, consecutive
//! declines, a significant downward trend.

use crate::analysis::MannKendall;
use crate::error::{OutcomeError, Result};
use crate::model::language::Language;
use crate::outcome::tracking::History;
use crate::report::{Align, Cell, Column, Table, Text};

/// One alert rule. In JSON each rule is an object tagged by `"rule"`:
///
/// ```json
/// [{"rule": "below", "threshold": 70.0},
///  {"rule": "below", "node": "attitude", "threshold": 75.0},
///  {"rule": "drop", "points": 5.0},
///  {"rule": "drop_beyond_uncertainty", "z": 1.96},
///  {"rule": "consecutive_declines", "periods": 3},
///  {"rule": "downward_trend", "alpha": 0.05, "min_periods": 4}]
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum AlertRule {
    /// The overall score (or node `node`'s, a dimension or indicator) is below `threshold`.
    Below {
        /// The node (`None`: the overall score).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        node: Option<String>,
        /// The threshold.
        threshold: f64,
    },
    /// The overall score fell by more than `points` since the previous period.
    Drop {
        /// Points, `> 0`.
        points: f64,
    },
    /// The overall score fell by more than `z` standard errors of the difference,
    /// `z sqrt(se_before² + se_after²)` (both boards need standard errors).
    DropBeyondUncertainty {
        /// The critical value, `> 0` (1.96 for 95 %).
        z: f64,
    },
    /// The overall score fell in each of the last `periods` periods.
    ConsecutiveDeclines {
        /// Number of declines in a row, `>= 1`.
        periods: usize,
    },
    /// A downward trend that the Mann–Kendall test finds significant at `alpha` (two-sided
    /// p-value below `alpha` and `S < 0`), over the periods so far (at least `min_periods`
    /// scores); the alert gives Sen's slope.
    DownwardTrend {
        /// Significance level in `(0, 1)`.
        alpha: f64,
        /// Fewest scores to test, `>= 3`.
        min_periods: usize,
    },
}

/// What kind of rule an alert came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AlertKind {
    /// [`AlertRule::Below`].
    Below,
    /// [`AlertRule::Drop`].
    Drop,
    /// [`AlertRule::DropBeyondUncertainty`].
    DropBeyondUncertainty,
    /// [`AlertRule::ConsecutiveDeclines`].
    ConsecutiveDeclines,
    /// [`AlertRule::DownwardTrend`].
    DownwardTrend,
}

/// An alert: the merchant, the period, the rule and its numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The merchant.
    pub merchant: String,
    /// The period it fired in.
    pub period: String,
    /// Index of the rule in [`AlertRules::rules`].
    pub rule: usize,
    /// Kind of the rule.
    pub kind: AlertKind,
    /// The node, for [`AlertRule::Below`] on a node (its bilingual name).
    pub node: Option<Text>,
    /// The number that fired: the score (below), the change (drops, declines: the total),
    /// Sen's slope (trend).
    pub value: f64,
    /// What it was compared with: the threshold, `-points`, `-z·SE`, the number of declines,
    /// the p-value.
    pub reference: f64,
}

impl Alert {
    /// The alert in words.
    pub fn message(&self, language: Language) -> String {
        let (v, r) = (self.value, self.reference);
        let node = self.node.as_ref().map(|n| n.get(language));
        match (self.kind, language) {
            (AlertKind::Below, Language::Zh) => {
                format!("{}得分 {v:.2} 低于阈值 {r:.2}", node.unwrap_or("综合"))
            }
            (AlertKind::Below, _) => {
                format!(
                    "{} score {v:.2} below threshold {r:.2}",
                    node.unwrap_or("overall")
                )
            }
            (AlertKind::Drop, Language::Zh) => {
                format!("得分下降 {:.2} 分（阈值 {:.2}）", -v, -r)
            }
            (AlertKind::Drop, _) => format!("score fell by {:.2} points (limit {:.2})", -v, -r),
            (AlertKind::DropBeyondUncertainty, Language::Zh) => {
                format!("得分下降 {:.2}，超过其不确定性 {:.2}", -v, -r)
            }
            (AlertKind::DropBeyondUncertainty, _) => {
                format!("score fell by {:.2}, beyond its uncertainty {:.2}", -v, -r)
            }
            (AlertKind::ConsecutiveDeclines, Language::Zh) => {
                format!("得分连续 {r:.0} 期下降（累计 {v:.2}）")
            }
            (AlertKind::ConsecutiveDeclines, _) => {
                format!("score declined {r:.0} periods in a row (total {v:.2})")
            }
            (AlertKind::DownwardTrend, Language::Zh) => {
                format!("显著下降趋势：Sen 斜率每期 {v:.2}，p = {r:.3}")
            }
            (AlertKind::DownwardTrend, _) => {
                format!("significant downward trend: Sen's slope {v:.2} per period, p = {r:.3}")
            }
        }
    }
}

/// Alert rules, checked when built (or read).
///
/// # Examples
///
/// ```
/// use service_quality::outcome::{AlertRule, AlertRules};
///
/// let rules = AlertRules::new(vec![
///     AlertRule::Below { node: None, threshold: 70.0 },
///     AlertRule::ConsecutiveDeclines { periods: 2 },
/// ])?;
/// assert_eq!(rules.rules().len(), 2);
/// assert!(AlertRules::new(vec![AlertRule::Drop { points: f64::NAN }]).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "Vec<AlertRule>", into = "Vec<AlertRule>")
)]
pub struct AlertRules {
    rules: Vec<AlertRule>,
}

impl TryFrom<Vec<AlertRule>> for AlertRules {
    type Error = crate::Error;
    fn try_from(rules: Vec<AlertRule>) -> Result<Self> {
        Self::new(rules)
    }
}

impl From<AlertRules> for Vec<AlertRule> {
    fn from(rules: AlertRules) -> Self {
        rules.rules
    }
}

fn bad(what: &'static str, range: &'static str, value: f64) -> crate::Error {
    OutcomeError::InvalidParameter { what, range, value }.into()
}

impl AlertRules {
    /// Checks the rules' parameters (node ids are checked against the model when evaluated).
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidParameter`] for a threshold that is not finite, points or `z`
    /// not finite and `> 0`, zero periods, `alpha` outside `(0, 1)` or `min_periods < 3`.
    pub fn new(rules: Vec<AlertRule>) -> Result<Self> {
        for rule in &rules {
            match *rule {
                AlertRule::Below { threshold, .. } if !threshold.is_finite() => {
                    return Err(bad("alert threshold", "finite", threshold))
                }
                AlertRule::Drop { points } if !(points > 0.0 && points.is_finite()) => {
                    return Err(bad("alert drop points", "finite and > 0", points))
                }
                AlertRule::DropBeyondUncertainty { z } if !(z > 0.0 && z.is_finite()) => {
                    return Err(bad("alert z", "finite and > 0", z))
                }
                AlertRule::ConsecutiveDeclines { periods: 0 } => {
                    return Err(bad("alert consecutive declines", ">= 1", 0.0))
                }
                AlertRule::DownwardTrend { alpha, .. } if !(alpha > 0.0 && alpha < 1.0) => {
                    return Err(bad("alert trend alpha", "in (0, 1)", alpha))
                }
                AlertRule::DownwardTrend { min_periods, .. } if min_periods < 3 => {
                    return Err(bad("alert trend min_periods", ">= 3", min_periods as f64))
                }
                _ => {}
            }
        }
        Ok(Self { rules })
    }

    /// The rules.
    pub fn rules(&self) -> &[AlertRule] {
        &self.rules
    }

    /// Every alert in every period of `history`, period by period, merchants in order of
    /// first appearance, rules in order.
    ///
    /// # Errors
    ///
    /// - [`OutcomeError::UnknownNode`] / [`OutcomeError::NodeNotHeld`] for a `below` rule on
    ///   a node the model does not have or the boards do not hold;
    /// - [`OutcomeError::Unsupported`] for `drop_beyond_uncertainty` on boards without
    ///   standard errors.
    pub fn evaluate(&self, history: &History) -> Result<Vec<Alert>> {
        let mut alerts = Vec::new();
        for p in 0..history.boards().len() {
            alerts.extend(self.evaluate_period(history, p)?);
        }
        Ok(alerts)
    }

    /// The alerts of period `p` (an index into [`History::boards`]).
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate), and [`OutcomeError::InvalidParameter`] for `p` out
    /// of range.
    pub fn evaluate_period(&self, history: &History, p: usize) -> Result<Vec<Alert>> {
        let boards = history.boards();
        let Some(board) = boards.get(p) else {
            return Err(bad("period index", "below the number of periods", p as f64));
        };
        // resolve the node of each `below` rule once
        let mut columns = Vec::with_capacity(self.rules.len());
        for (i, rule) in self.rules.iter().enumerate() {
            columns.push(match rule {
                AlertRule::Below { node: Some(id), .. } => {
                    let node = board.outline().require(id, &format!("alert rule {i}"))?;
                    Some((
                        board.column_of_index(node)?,
                        board.outline().nodes()[node].label().clone(),
                    ))
                }
                AlertRule::DropBeyondUncertainty { .. } if p > 0 => {
                    if board.std_errors().is_none() || boards[p - 1].std_errors().is_none() {
                        return Err(OutcomeError::Unsupported {
                            what: "the drop_beyond_uncertainty alert",
                            requirement: "standard errors on every board",
                            found: format!(
                                "none on period `{}` or `{}`",
                                boards[p - 1].period(),
                                board.period()
                            ),
                        }
                        .into());
                    }
                    None
                }
                _ => None,
            });
        }
        let mut alerts = Vec::new();
        let mut series = Vec::new();
        for u in 0..history.merchants().len() {
            let Some(q) = history.position(p, u) else {
                continue;
            };
            let score = board.score(q);
            let previous = p
                .checked_sub(1)
                .and_then(|pp| history.position(pp, u).map(|qq| (pp, qq)));
            let alert = |rule: usize, kind, node, value, reference| Alert {
                merchant: history.merchants()[u].clone(),
                period: board.period().to_owned(),
                rule,
                kind,
                node,
                value,
                reference,
            };
            for (i, rule) in self.rules.iter().enumerate() {
                match rule {
                    AlertRule::Below { threshold, .. } => {
                        let (value, node) = match &columns[i] {
                            Some((c, name)) => (board.at(q, *c), Some(name.clone())),
                            None => (Some(score), None),
                        };
                        if let Some(v) = value.filter(|v| v < threshold) {
                            alerts.push(alert(i, AlertKind::Below, node, v, *threshold));
                        }
                    }
                    AlertRule::Drop { points } => {
                        if let Some((pp, qq)) = previous {
                            let change = score - boards[pp].score(qq);
                            if -change > *points {
                                alerts.push(alert(i, AlertKind::Drop, None, change, -points));
                            }
                        }
                    }
                    AlertRule::DropBeyondUncertainty { z } => {
                        if let Some((pp, qq)) = previous {
                            let change = score - boards[pp].score(qq);
                            let (sa, sb) = (
                                boards[pp].std_errors().map_or(0.0, |s| s[qq]),
                                board.std_errors().map_or(0.0, |s| s[q]),
                            );
                            let limit = z * (sa * sa + sb * sb).sqrt();
                            if -change > limit {
                                alerts.push(alert(
                                    i,
                                    AlertKind::DropBeyondUncertainty,
                                    None,
                                    change,
                                    -limit,
                                ));
                            }
                        }
                    }
                    AlertRule::ConsecutiveDeclines { periods } => {
                        if p >= *periods {
                            let score_at =
                                |pp: usize| history.position(pp, u).map(|qq| boards[pp].score(qq));
                            let mut declining = true;
                            let mut later = score;
                            for pp in (p - periods..p).rev() {
                                match score_at(pp) {
                                    Some(earlier) if later < earlier => later = earlier,
                                    _ => {
                                        declining = false;
                                        break;
                                    }
                                }
                            }
                            if declining {
                                alerts.push(alert(
                                    i,
                                    AlertKind::ConsecutiveDeclines,
                                    None,
                                    score - later,
                                    *periods as f64,
                                ));
                            }
                        }
                    }
                    AlertRule::DownwardTrend { alpha, min_periods } => {
                        series.clear();
                        series.extend((0..=p).filter_map(|pp| {
                            history.position(pp, u).map(|qq| boards[pp].score(qq))
                        }));
                        // the test only runs where Kendall's S is negative (a downward trend)
                        if series.len() >= *min_periods && kendall_s(&series) < 0 {
                            let mk = MannKendall::of_series(&series)?;
                            if mk.p_value() < *alpha {
                                alerts.push(alert(
                                    i,
                                    AlertKind::DownwardTrend,
                                    None,
                                    mk.sen_slope(),
                                    mk.p_value(),
                                ));
                            }
                        }
                    }
                }
            }
        }
        Ok(alerts)
    }
}

/// Kendall's `S`: concordant minus discordant pairs in time order.
fn kendall_s(values: &[f64]) -> i64 {
    let mut s = 0i64;
    for (i, a) in values.iter().enumerate() {
        for b in &values[i + 1..] {
            s += i64::from(b > a) - i64::from(b < a);
        }
    }
    s
}

/// Alerts as a table: period, merchant, rule, message.
///
/// # Errors
///
/// None in practice (the table has columns and only text cells).
pub fn alerts_table(alerts: &[Alert]) -> Result<Table> {
    let mut table = Table::new(
        Text::bilingual("Alerts", "预警"),
        vec![
            Column::new(Text::bilingual("Period", "期间"), Align::Left),
            Column::new(Text::bilingual("Merchant", "商家"), Align::Left),
            Column::new(Text::bilingual("Rule", "规则"), Align::Right),
            Column::new(Text::bilingual("Alert", "预警内容"), Align::Left),
        ],
    )?;
    for a in alerts {
        table.push_row(vec![
            Cell::text(a.period.as_str()),
            Cell::text(a.merchant.as_str()),
            Cell::count(a.rule + 1),
            Cell::text(Text::bilingual(
                a.message(Language::En),
                a.message(Language::Zh),
            )),
        ])?;
    }
    Ok(table)
}
