//! Rectification: which merchants are below a threshold where, which indicators pull them
//! down most, grouped by problem area and sorted by what to fix first; and the platform's
//! weakest indicators.

use crate::error::{OutcomeError, Result};
use crate::outcome::scoreboard::{ModelOutline, Scoreboard};
use crate::report::{Align, Cell, Column, Table, Text};

/// A problem area (问题领域): a named group of indicators to rectify together, such as the
/// four the research names — attitude, timeliness, professionalism, resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ProblemArea {
    id: String,
    label: String,
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    label_zh: Option<String>,
    nodes: Vec<String>,
}

impl ProblemArea {
    /// An area with an id, an English name and the nodes it covers (a group covers every
    /// indicator below it).
    pub fn new<S: Into<String>>(
        id: impl Into<String>,
        label: impl Into<String>,
        nodes: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            label_zh: None,
            nodes: nodes.into_iter().map(Into::into).collect(),
        }
    }

    /// Adds the Chinese name.
    pub fn with_label_zh(mut self, label_zh: impl Into<String>) -> Self {
        self.label_zh = Some(label_zh.into());
        self
    }

    /// The id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The bilingual name.
    pub fn name(&self) -> Text {
        Text::with_optional_zh(&self.label, self.label_zh.as_deref())
    }

    /// The four problem areas of the research over the after-sales template
    /// ([`template::after_sales`](crate::template::after_sales)): attitude (服务态度),
    /// timeliness (响应及时性), professionalism (专业性) and resolution (问题解决), each with its
    /// satisfaction indicator.
    pub fn after_sales() -> Vec<ProblemArea> {
        vec![
            Self::new(
                "attitude",
                "Attitude",
                ["attitude", "attitude_satisfaction"],
            )
            .with_label_zh("服务态度"),
            Self::new("timeliness", "Timeliness", ["speed", "speed_satisfaction"])
                .with_label_zh("响应及时性"),
            Self::new(
                "professionalism",
                "Professionalism",
                ["professionalism", "professionalism_satisfaction"],
            )
            .with_label_zh("专业性"),
            Self::new("resolution", "Resolution", ["resolution_satisfaction"])
                .with_label_zh("问题解决"),
        ]
    }
}

/// A score threshold for one node.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct NodeThreshold {
    node: String,
    threshold: f64,
}

/// What counts as weak and how to group it.
///
/// A dimension or indicator of a merchant is *below threshold* when its score is below the
/// rules' threshold (or the node's own). Each indicator's *weighted shortfall* is
///
/// ```text
/// shortfall_i = w_i * max(0, v_best - score_i)     w_i = the model's global weight of leaf i
/// ```
///
/// (with `M(·,+)` at every level the shortfalls of a merchant add up to `v_best - overall`).
/// An area's shortfall is the sum over its indicators; indicators in no declared area form
/// the area `other` (其他).
///
/// # Examples
///
/// ```
/// use service_quality::outcome::{ProblemArea, RectificationRules};
///
/// let rules = RectificationRules::new(75.0)?
///     .with_node_threshold("speed", 80.0)?
///     .with_areas(ProblemArea::after_sales());
/// assert!(RectificationRules::new(f64::NAN).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "RawRectification", into = "RawRectification")
)]
pub struct RectificationRules {
    threshold: f64,
    thresholds: Vec<NodeThreshold>,
    areas: Vec<ProblemArea>,
    top: usize,
}

#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
struct RawRectification {
    threshold: f64,
    #[cfg_attr(feature = "serde", serde(default))]
    thresholds: Vec<NodeThreshold>,
    #[cfg_attr(feature = "serde", serde(default))]
    areas: Vec<ProblemArea>,
    #[cfg_attr(feature = "serde", serde(default = "default_top"))]
    top: usize,
}

fn default_top() -> usize {
    3
}

impl TryFrom<RawRectification> for RectificationRules {
    type Error = crate::Error;
    fn try_from(raw: RawRectification) -> Result<Self> {
        let mut rules = Self::new(raw.threshold)?
            .with_areas(raw.areas)
            .with_top(raw.top);
        for t in raw.thresholds {
            rules = rules.with_node_threshold(t.node, t.threshold)?;
        }
        Ok(rules)
    }
}

impl From<RectificationRules> for RawRectification {
    fn from(r: RectificationRules) -> Self {
        Self {
            threshold: r.threshold,
            thresholds: r.thresholds,
            areas: r.areas,
            top: r.top,
        }
    }
}

fn check_threshold(value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(OutcomeError::InvalidParameter {
            what: "rectification threshold",
            range: "finite",
            value,
        }
        .into())
    }
}

impl RectificationRules {
    /// Every dimension and indicator below `threshold` is flagged; no problem areas (every
    /// indicator in `other`); the 3 largest shortfalls listed per merchant.
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidParameter`] for a threshold that is not finite.
    pub fn new(threshold: f64) -> Result<Self> {
        Ok(Self {
            threshold: check_threshold(threshold)?,
            thresholds: Vec::new(),
            areas: Vec::new(),
            top: default_top(),
        })
    }

    /// A threshold of its own for node `id` (checked against the model when applied).
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidParameter`] for a threshold that is not finite.
    pub fn with_node_threshold(mut self, id: impl Into<String>, threshold: f64) -> Result<Self> {
        let node = id.into();
        let threshold = check_threshold(threshold)?;
        self.thresholds.retain(|t| t.node != node);
        self.thresholds.push(NodeThreshold { node, threshold });
        Ok(self)
    }

    /// The problem areas (checked against the model when applied).
    pub fn with_areas(mut self, areas: Vec<ProblemArea>) -> Self {
        self.areas = areas;
        self
    }

    /// How many of the largest indicator shortfalls to list per merchant (default 3).
    pub fn with_top(mut self, top: usize) -> Self {
        self.top = top;
        self
    }

    /// The common threshold.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The problem areas.
    pub fn areas(&self) -> &[ProblemArea] {
        &self.areas
    }

    /// Checks the node ids of the thresholds and areas against a model.
    ///
    /// # Errors
    ///
    /// As [`apply`](Self::apply) for the rules themselves.
    pub fn check(&self, outline: &ModelOutline) -> Result<()> {
        self.resolve(outline).map(|_| ())
    }

    /// Resolves the rules against a model: each node's threshold, each leaf's area, and the
    /// area names (`other` last when some leaf is in no area).
    fn resolve(&self, outline: &ModelOutline) -> Result<Resolved> {
        let n = outline.nodes().len();
        let mut thresholds = vec![self.threshold; n];
        for t in &self.thresholds {
            thresholds[outline.require(&t.node, "a rectification threshold")?] = t.threshold;
        }
        let mut area_of = vec![u16::MAX; n];
        let mut names = Vec::with_capacity(self.areas.len() + 1);
        for (a, area) in self.areas.iter().enumerate() {
            names.push(area.name());
            for id in &area.nodes {
                let node = outline.require(id, &format!("problem area `{}`", area.id))?;
                for leaf in outline.leaves_under(node) {
                    if area_of[leaf] != u16::MAX && area_of[leaf] as usize != a {
                        return Err(OutcomeError::AreaOverlap {
                            id: outline.nodes()[leaf].id().to_owned(),
                            first: self.areas[area_of[leaf] as usize].id.clone(),
                            second: area.id.clone(),
                        }
                        .into());
                    }
                    area_of[leaf] = a as u16;
                }
            }
        }
        let leaves: Vec<usize> = (0..n).filter(|&i| outline.nodes()[i].is_leaf()).collect();
        if leaves.iter().any(|&l| area_of[l] == u16::MAX) {
            let other = names.len() as u16;
            names.push(Text::bilingual("Other", "其他"));
            for &l in &leaves {
                if area_of[l] == u16::MAX {
                    area_of[l] = other;
                }
            }
        }
        Ok(Resolved {
            thresholds,
            area_of,
            names,
            leaves,
        })
    }

    /// Applies the rules to every merchant of a board (which must hold every node's score).
    ///
    /// # Errors
    ///
    /// - [`OutcomeError::NodeNotHeld`] when the board holds only the overall scores;
    /// - [`OutcomeError::UnknownNode`] for a threshold or area naming a node the model does
    ///   not have; [`OutcomeError::AreaOverlap`] for an indicator in two areas.
    pub fn apply(&self, board: &Scoreboard) -> Result<Rectification> {
        let outline = board.outline();
        if !board.holds_every_node() {
            let missing = (0..outline.nodes().len())
                .find(|i| !board.held().contains(i))
                .unwrap_or(0);
            return Err(OutcomeError::NodeNotHeld {
                id: outline.nodes()[missing].id().to_owned(),
            }
            .into());
        }
        let r = self.resolve(outline)?;
        let best = outline.grades().max_value();
        let n_nodes = outline.nodes().len();
        let weights: Vec<f64> = outline.nodes().iter().map(|n| n.weight()).collect();
        let mut platform = vec![PlatformAccumulator::default(); n_nodes];
        let mut merchants = Vec::new();
        let (mut below, mut areas, mut top) = (Vec::new(), Vec::new(), Vec::new());
        let mut area_sum = vec![0.0; r.names.len()];
        let mut shortfalls: Vec<(u32, f64)> = Vec::with_capacity(r.leaves.len());
        for m in 0..board.len() {
            let below_start = below.len();
            for (node, acc) in platform.iter_mut().enumerate().skip(1) {
                let s = board.raw(m, node);
                if s.is_nan() {
                    continue;
                }
                acc.count += 1;
                acc.score += s;
                if s < r.thresholds[node] {
                    acc.below += 1;
                    below.push(BelowThreshold {
                        node: node as u32,
                        score: s,
                        threshold: r.thresholds[node],
                    });
                }
            }
            shortfalls.clear();
            area_sum.iter_mut().for_each(|a| *a = 0.0);
            let mut gap = 0.0;
            for &leaf in &r.leaves {
                let s = board.raw(m, leaf);
                if s.is_nan() {
                    continue;
                }
                let shortfall = weights[leaf] * (best - s).max(0.0);
                platform[leaf].shortfall += shortfall;
                area_sum[r.area_of[leaf] as usize] += shortfall;
                gap += shortfall;
                shortfalls.push((leaf as u32, shortfall));
            }
            if below.len() == below_start {
                continue;
            }
            // the largest `top` first (ties in preorder): a partial selection, then a sort of
            // those few
            let keep = self.top.min(shortfalls.len());
            let largest = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if keep > 0 && keep < shortfalls.len() {
                shortfalls.select_nth_unstable_by(keep - 1, largest);
            }
            shortfalls[..keep].sort_unstable_by(largest);
            let areas_start = areas.len();
            areas.extend(
                area_sum
                    .iter()
                    .enumerate()
                    .filter(|(_, &s)| s > 0.0)
                    .map(|(a, &s)| (a as u16, s)),
            );
            areas[areas_start..].sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let top_start = top.len();
            top.extend(shortfalls.iter().take(self.top).copied());
            merchants.push(MerchantRectification {
                merchant: m as u32,
                score: board.score(m),
                gap,
                below: span(below_start, below.len()),
                areas: span(areas_start, areas.len()),
                top: span(top_start, top.len()),
            });
        }
        merchants
            .sort_unstable_by(|a, b| b.gap.total_cmp(&a.gap).then(a.merchant.cmp(&b.merchant)));
        let mut weakest: Vec<PlatformIndicator> = r
            .leaves
            .iter()
            .filter(|&&l| platform[l].count > 0)
            .map(|&l| {
                let acc = &platform[l];
                let count = acc.count as f64;
                PlatformIndicator {
                    node: l as u32,
                    area: r.area_of[l],
                    merchants: acc.count,
                    mean_score: acc.score / count,
                    mean_shortfall: acc.shortfall / count,
                    below: acc.below,
                }
            })
            .collect();
        weakest.sort_by(|a, b| {
            b.mean_shortfall
                .total_cmp(&a.mean_shortfall)
                .then(a.node.cmp(&b.node))
        });
        Ok(Rectification {
            merchants,
            below,
            areas,
            top,
            platform: weakest,
            area_names: r.names,
            node_names: outline.nodes().iter().map(|n| n.label().clone()).collect(),
            node_depths: outline.nodes().iter().map(|n| n.depth()).collect(),
            merchant_ids: board.merchants().to_vec(),
        })
    }
}

struct Resolved {
    thresholds: Vec<f64>,
    area_of: Vec<u16>,
    names: Vec<Text>,
    leaves: Vec<usize>,
}

#[derive(Debug, Clone, Copy, Default)]
struct PlatformAccumulator {
    count: usize,
    score: f64,
    shortfall: f64,
    below: usize,
}

/// A node of a merchant below its threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BelowThreshold {
    /// Preorder index of the node.
    pub node: u32,
    /// Its score.
    pub score: f64,
    /// The threshold it is below.
    pub threshold: f64,
}

/// A range of a merchant's entries in one of the [`Rectification`]'s shared lists.
type Span = (u32, u32);

fn span(start: usize, end: usize) -> Span {
    (start as u32, end as u32)
}

/// One merchant to rectify (its lists are read through [`Rectification::below`],
/// [`Rectification::areas`] and [`Rectification::top`]: a million merchants share three
/// lists rather than owning three each).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MerchantRectification {
    /// Position on the board.
    pub merchant: u32,
    /// Overall score.
    pub score: f64,
    /// Sum of the indicators' weighted shortfalls.
    pub gap: f64,
    below: Span,
    areas: Span,
    top: Span,
}

/// One indicator across the platform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlatformIndicator {
    /// Preorder index of the indicator.
    pub node: u32,
    /// Its problem area (index into [`Rectification::area_names`]).
    pub area: u16,
    /// Merchants for whom it was evaluated.
    pub merchants: usize,
    /// Mean score over them.
    pub mean_score: f64,
    /// Mean weighted shortfall.
    pub mean_shortfall: f64,
    /// Merchants below threshold on it.
    pub below: usize,
}

/// The result of [`RectificationRules::apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Rectification {
    merchants: Vec<MerchantRectification>,
    below: Vec<BelowThreshold>,
    areas: Vec<(u16, f64)>,
    top: Vec<(u32, f64)>,
    platform: Vec<PlatformIndicator>,
    area_names: Vec<Text>,
    node_names: Vec<Text>,
    node_depths: Vec<usize>,
    merchant_ids: Vec<String>,
}

impl Rectification {
    /// The merchants with a dimension or indicator below threshold, the largest total
    /// shortfall first.
    pub fn merchants(&self) -> &[MerchantRectification] {
        &self.merchants
    }

    /// The dimensions and indicators of `m` below threshold, preorder.
    pub fn below(&self, m: &MerchantRectification) -> &[BelowThreshold] {
        &self.below[m.below.0 as usize..m.below.1 as usize]
    }

    /// The problem areas of `m` (index into [`area_names`](Self::area_names)) with their
    /// shortfall, largest first: what to fix first.
    pub fn areas(&self, m: &MerchantRectification) -> &[(u16, f64)] {
        &self.areas[m.areas.0 as usize..m.areas.1 as usize]
    }

    /// The indicators (preorder index) of `m` with the largest weighted shortfalls, largest
    /// first.
    pub fn top(&self, m: &MerchantRectification) -> &[(u32, f64)] {
        &self.top[m.top.0 as usize..m.top.1 as usize]
    }

    /// Every indicator across the platform, the largest mean shortfall first.
    pub fn platform(&self) -> &[PlatformIndicator] {
        &self.platform
    }

    /// The names of the problem areas (`other` last when present).
    pub fn area_names(&self) -> &[Text] {
        &self.area_names
    }

    /// The name of node `index` (preorder).
    pub fn node_name(&self, index: u32) -> &Text {
        &self.node_names[index as usize]
    }

    /// The merchants to rectify as a table (the first `limit`): merchant, score, areas to fix
    /// first with their shortfall, the weakest indicators, the nodes below threshold.
    pub fn merchant_table(&self, limit: usize) -> Result<Table> {
        let mut table = Table::new(
            Text::bilingual("Rectification: what to fix first", "整改清单：优先整改项"),
            vec![
                Column::new(Text::bilingual("Merchant", "商家"), Align::Left),
                Column::new(Text::bilingual("Score", "得分"), Align::Right),
                Column::new(Text::bilingual("Gap", "总差距"), Align::Right),
                Column::new(
                    Text::bilingual("Areas, first to fix", "问题领域（按优先级）"),
                    Align::Left,
                ),
                Column::new(
                    Text::bilingual("Weakest indicators", "拉低最多的指标"),
                    Align::Left,
                ),
                Column::new(
                    Text::bilingual(
                        "Below threshold: dimensions, indicators",
                        "低于阈值：维度、指标数",
                    ),
                    Align::Left,
                ),
            ],
        )?;
        let join = |parts: Vec<(String, String)>| {
            let en = parts
                .iter()
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let zh = parts
                .iter()
                .map(|p| p.1.as_str())
                .collect::<Vec<_>>()
                .join("；");
            Text::bilingual(en, zh)
        };
        let named = |t: &Text, v: f64| {
            (
                format!("{} {v:.2}", t.get(crate::Language::En)),
                format!("{} {v:.2}", t.get(crate::Language::Zh)),
            )
        };
        for m in self.merchants.iter().take(limit) {
            let areas = self
                .areas(m)
                .iter()
                .map(|&(a, s)| named(&self.area_names[a as usize], s))
                .collect();
            let top = self
                .top(m)
                .iter()
                .map(|&(l, s)| named(self.node_name(l), s))
                .collect();
            // the dimensions below threshold by name, the indicators below them as a count
            let mut below: Vec<(String, String)> = self
                .below(m)
                .iter()
                .filter(|b| self.node_depths[b.node as usize] == 1)
                .map(|b| named(self.node_name(b.node), b.score))
                .collect();
            let deeper = self
                .below(m)
                .iter()
                .filter(|b| self.node_depths[b.node as usize] > 1)
                .count();
            if deeper > 0 {
                below.push((format!("{deeper} indicator(s)"), format!("{deeper} 项指标")));
            }
            table.push_row(vec![
                Cell::text(self.merchant_ids[m.merchant as usize].as_str()),
                Cell::number(m.score, 2),
                Cell::number(m.gap, 2),
                Cell::text(join(areas)),
                Cell::text(join(top)),
                Cell::text(join(below)),
            ])?;
        }
        if self.merchants.len() > limit {
            table.push_note(Text::bilingual(
                format!(
                    "{} more merchant(s) below threshold.",
                    self.merchants.len() - limit
                ),
                format!("另有 {} 家商家低于阈值。", self.merchants.len() - limit),
            ));
        }
        table.push_note(Text::bilingual(
            "Gap and shortfalls: global weight x (best grade value - score), summed.",
            "差距：全局权重 ×（最高等级分值 − 得分），逐项求和。",
        ));
        Ok(table)
    }

    /// The platform view as a table: each indicator with its area, mean score, mean weighted
    /// shortfall and merchants below threshold, weakest first.
    pub fn platform_table(&self) -> Result<Table> {
        let mut table = Table::new(
            Text::bilingual("Weakest indicators across the platform", "全平台薄弱指标"),
            vec![
                Column::new(Text::bilingual("Indicator", "指标"), Align::Left),
                Column::new(Text::bilingual("Area", "问题领域"), Align::Left),
                Column::new(Text::bilingual("Mean score", "平均得分"), Align::Right),
                Column::new(Text::bilingual("Mean shortfall", "平均差距"), Align::Right),
                Column::new(
                    Text::bilingual("Merchants below", "低于阈值商家数"),
                    Align::Right,
                ),
                Column::new(Text::bilingual("Merchants", "商家数"), Align::Right),
            ],
        )?;
        for p in &self.platform {
            table.push_row(vec![
                Cell::text(self.node_name(p.node).clone()),
                Cell::text(self.area_names[p.area as usize].clone()),
                Cell::number(p.mean_score, 2),
                Cell::number(p.mean_shortfall, 3),
                Cell::count(p.below),
                Cell::count(p.merchants),
            ])?;
        }
        Ok(table)
    }
}
