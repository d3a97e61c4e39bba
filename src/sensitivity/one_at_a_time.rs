//! One-at-a-time variation of local weights: rank-reversal thresholds and the tornado.

use core::fmt;

use crate::error::{FixedReason, Result, SensitivityError};
use crate::sensitivity::analysis::ScoreBuffers;
use crate::sensitivity::ranking::Ranker;
use crate::sensitivity::SensitivityAnalysis;

/// Default number of grid steps from the base weight to each end of the range.
pub const DEFAULT_STEPS: usize = 100;

/// Bisection stops when the bracket is this narrow (in local weight).
pub const THRESHOLD_TOL: f64 = 1e-12;

/// The range over which one local weight is varied, and the grid that scans it.
///
/// # Examples
///
/// ```
/// use service_quality::sensitivity::WeightRange;
///
/// let r = WeightRange::new(0.0, 1.0)?.with_steps(50)?;
/// assert_eq!(r.steps(), 50);
/// assert!(WeightRange::new(0.5, 0.5).is_err()); // empty
/// assert!(WeightRange::new(-0.1, 0.5).is_err()); // outside [0, 1]
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightRange {
    lo: f64,
    hi: f64,
    steps: usize,
}

impl WeightRange {
    /// Local weights from `lo` to `hi`, with [`DEFAULT_STEPS`] grid steps per direction.
    ///
    /// # Errors
    ///
    /// [`SensitivityError::RangeOutsideUnit`] unless `0 <= lo` and `hi <= 1` (NaN fails);
    /// [`SensitivityError::EmptyRange`] unless `lo < hi`.
    pub fn new(lo: f64, hi: f64) -> Result<Self> {
        if !(lo >= 0.0 && hi <= 1.0) {
            return Err(SensitivityError::RangeOutsideUnit { lo, hi }.into());
        }
        if !(lo < hi) {
            return Err(SensitivityError::EmptyRange { lo, hi }.into());
        }
        Ok(Self {
            lo,
            hi,
            steps: DEFAULT_STEPS,
        })
    }

    /// The whole range `[0, 1]`.
    pub fn full() -> Self {
        Self {
            lo: 0.0,
            hi: 1.0,
            steps: DEFAULT_STEPS,
        }
    }

    /// Grid steps from the base weight to each end (default [`DEFAULT_STEPS`]).
    ///
    /// # Errors
    ///
    /// [`SensitivityError::ZeroSteps`] for 0.
    pub fn with_steps(mut self, steps: usize) -> Result<Self> {
        if steps == 0 {
            return Err(SensitivityError::ZeroSteps { steps }.into());
        }
        self.steps = steps;
        Ok(self)
    }

    /// Lower end.
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// Upper end.
    pub fn hi(&self) -> f64 {
        self.hi
    }

    /// Grid steps per direction.
    pub fn steps(&self) -> usize {
        self.steps
    }
}

/// What changes in the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RankEvent {
    /// Another merchant comes first (a tie with the base leader does not count).
    Top1,
    /// The set of the top k merchants changes (ties broken by the base ranking).
    TopK,
    /// Some merchant's tier changes.
    Tier,
}

impl RankEvent {
    /// All events, in order.
    pub const ALL: [RankEvent; 3] = [RankEvent::Top1, RankEvent::TopK, RankEvent::Tier];

    fn index(self) -> usize {
        match self {
            Self::Top1 => 0,
            Self::TopK => 1,
            Self::Tier => 2,
        }
    }
}

impl fmt::Display for RankEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Top1 => "top-1",
            Self::TopK => "top-k",
            Self::Tier => "tier",
        })
    }
}

/// The smallest change of a local weight found to cause an event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// The local weight at which the event happens.
    pub weight: f64,
    /// `weight - base weight` (negative downwards).
    pub change: f64,
}

/// The rank-reversal thresholds of one node's local weight.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightSensitivity {
    id: String,
    path: String,
    base: f64,
    range: WeightRange,
    /// `[event][0 = down, 1 = up]`.
    found: [[Option<Threshold>; 2]; 3],
    tiers: bool,
}

impl WeightSensitivity {
    /// The node's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The node's path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The node's base local weight.
    pub fn base_weight(&self) -> f64 {
        self.base
    }

    /// The range scanned.
    pub fn range(&self) -> WeightRange {
        self.range
    }

    /// The threshold of `event` when the weight decreases, or `None` when it does not happen
    /// within the range (or the range does not extend below the base weight, or the event is
    /// [`RankEvent::Tier`] without tiers).
    pub fn down(&self, event: RankEvent) -> Option<Threshold> {
        self.found[event.index()][0]
    }

    /// As [`down`](Self::down), when the weight increases.
    pub fn up(&self, event: RankEvent) -> Option<Threshold> {
        self.found[event.index()][1]
    }

    /// The smaller (in absolute change) of the two thresholds of `event`.
    pub fn nearest(&self, event: RankEvent) -> Option<Threshold> {
        match (self.down(event), self.up(event)) {
            (Some(d), Some(u)) => Some(if u.change.abs() < d.change.abs() {
                u
            } else {
                d
            }),
            (d, u) => d.or(u),
        }
    }

    /// The smallest absolute change causing any event (`None`: the ranking, the top k and
    /// the tiers all survive the whole range).
    pub fn criticality(&self) -> Option<f64> {
        RankEvent::ALL
            .iter()
            .filter_map(|&e| self.nearest(e))
            .map(|t| t.change.abs())
            .min_by(f64::total_cmp)
    }

    /// `true` when tiers were looked at.
    pub fn has_tiers(&self) -> bool {
        self.tiers
    }
}

/// Thresholds of every node whose weight can vary, the most critical first.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    rows: Vec<WeightSensitivity>,
}

impl Tornado {
    /// One row per node, sorted by [`WeightSensitivity::criticality`] (smallest first;
    /// nodes whose variations change nothing last, in preorder).
    pub fn rows(&self) -> &[WeightSensitivity] {
        &self.rows
    }

    /// The most critical criterion: the node whose smallest weight change alters the top-1,
    /// the top k or a tier; `None` when no variation changes anything.
    pub fn most_critical(&self) -> Option<&WeightSensitivity> {
        self.rows.first().filter(|r| r.criticality().is_some())
    }
}

impl fmt::Display for Tornado {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cell = |t: Option<Threshold>| match t {
            Some(t) => format!("{:+.4}", t.change),
            None => "-".to_owned(),
        };
        writeln!(
            f,
            "{:<28} {:>7}  {:>9} {:>9}  {:>9} {:>9}  {:>9} {:>9}",
            "node", "weight", "top1 -", "top1 +", "topk -", "topk +", "tier -", "tier +"
        )?;
        for r in &self.rows {
            write!(f, "{:<28} {:>7.4}", r.path, r.base)?;
            for e in RankEvent::ALL {
                write!(f, "  {:>9} {:>9}", cell(r.down(e)), cell(r.up(e)))?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// The state of the ranking at one weighting, as far as the events need it.
struct Probe<'s> {
    analysis: &'s SensitivityAnalysis,
    scorer: crate::batch::BatchScorer,
    buf: ScoreBuffers,
    ranker: Ranker,
    local: Vec<f64>,
}

impl<'s> Probe<'s> {
    fn new(analysis: &'s SensitivityAnalysis) -> Self {
        Self {
            scorer: analysis.scorer.clone(),
            buf: analysis.buffers(),
            ranker: Ranker::default(),
            local: analysis.base_local.clone(),
            analysis,
        }
    }

    /// Which events have happened with node `node`'s weight at `w`.
    fn events(
        &mut self,
        node: usize,
        siblings: &[usize],
        sib_sum: f64,
        w: f64,
    ) -> Result<[bool; 3]> {
        let a = self.analysis;
        self.local.copy_from_slice(&a.base_local);
        self.local[node] = w;
        for &s in siblings {
            self.local[s] = a.base_local[s] * (1.0 - w) / sib_sum;
        }
        let id = &a.nodes[node].id;
        a.rescore(&mut self.scorer, &self.local, &mut self.buf, || {
            format!("node `{id}` at weight {w}")
        })?;
        // positions are base ranks - 1, ties broken by position: the base order is 0, 1, ...
        let s = &self.buf.scores;
        self.ranker.rank(s, a.pos_base(), |_, _, _| {});
        let k = a.top_k;
        let (mut top1, mut topk) = (false, false);
        for (place, p) in self.ranker.order().take(k).enumerate() {
            top1 |= place == 0 && p != 0;
            topk |= p >= k;
        }
        let tier = a
            .tiers
            .as_ref()
            .is_some_and(|t| s.iter().zip(&a.pos_tiers).any(|(&x, &b)| t.tier(x) != b));
        Ok([top1, topk, tier])
    }
}

impl SensitivityAnalysis {
    /// Varies the local weight of node `id` over `range`, its siblings scaled proportionally
    /// so that the group still sums to 1, and finds for each [`RankEvent`] the smallest change
    /// (downwards and upwards) that causes it.
    ///
    /// ```text
    /// w_i -> w          w_j -> w_j (1 - w) / (sum_{k != i} w_k)   for the siblings j of i
    /// ```
    ///
    /// The weight is moved from its base value to each end of the range in
    /// [`WeightRange::steps`] equal steps; at the first step where an event has happened, the
    /// threshold is located by bisection between that step and the previous one to
    /// [`THRESHOLD_TOL`]. When every level composes with `M(·,+)` and merchants are scored by
    /// grade values, every score is linear in `w`, so each event, once it has happened, stays
    /// (a line crosses another line or a cut point once): the threshold found is then the
    /// exact first change. With other operators, a change that happens and reverts between
    /// two grid steps can be missed; more steps narrow that.
    ///
    /// # Errors
    ///
    /// - [`SensitivityError::UnknownNode`] for an id not in the tree;
    /// - [`SensitivityError::FixedWeight`] for the root, an only child, or a node whose
    ///   siblings all weigh 0;
    /// - [`SensitivityError::NewFailure`] when a merchant scored in the base cannot be scored
    ///   at some weighting.
    ///
    /// # Examples
    ///
    /// Two criteria, two merchants: merchant 0 scores 5 on `speed` and 1 on `attitude`,
    /// merchant 1 the reverse. With `speed` at weight `w` their scores are `1 + 4w` and
    /// `5 - 4w`, so the top-1 changes at `w = 0.5`:
    ///
    /// ```
    /// use service_quality::sensitivity::{RankEvent, SensitivityAnalysis, WeightRange};
    /// use service_quality::{Evaluator, GradeSet, IndicatorTree, NodeSpec};
    ///
    /// let tree = IndicatorTree::new(
    ///     NodeSpec::group("goal", "Service", vec![
    ///         NodeSpec::leaf("speed", "Speed"),
    ///         NodeSpec::leaf("attitude", "Attitude"),
    ///     ]).with_weights(vec![0.7, 0.3]),
    /// )?;
    /// let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5_points());
    /// let counts: Vec<u8> = vec![
    ///     1, 0, 0, 0, 0,   0, 0, 0, 0, 1,
    ///     0, 0, 0, 0, 1,   1, 0, 0, 0, 0,
    /// ];
    /// let analysis = SensitivityAnalysis::new(&evaluator, counts.as_slice())?.with_top_k(1)?;
    /// let s = analysis.one_at_a_time("speed", WeightRange::full())?;
    /// let t = s.down(RankEvent::Top1).unwrap();
    /// assert!((t.weight - 0.5).abs() < 1e-9 && (t.change + 0.2).abs() < 1e-9);
    /// assert!(s.up(RankEvent::Top1).is_none());
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn one_at_a_time(&self, id: &str, range: WeightRange) -> Result<WeightSensitivity> {
        let node = self
            .nodes
            .iter()
            .position(|n| n.id == id)
            .ok_or_else(|| SensitivityError::UnknownNode { id: id.to_owned() })?;
        let mut probe = Probe::new(self);
        self.scan(&mut probe, node, range)
    }

    /// [`one_at_a_time`](Self::one_at_a_time) for every node whose weight can vary (every
    /// node but the root and only children), sorted by criticality: the tornado of
    /// rank-reversal thresholds.
    ///
    /// # Errors
    ///
    /// As [`one_at_a_time`](Self::one_at_a_time) (nodes that cannot vary are skipped, not an
    /// error).
    pub fn tornado(&self, range: WeightRange) -> Result<Tornado> {
        let variable: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.fixed_reason(i).is_none())
            .collect();
        let scan_all = |nodes: &[usize]| -> Result<Vec<WeightSensitivity>> {
            let mut probe = Probe::new(self);
            nodes
                .iter()
                .map(|&i| self.scan(&mut probe, i, range))
                .collect()
        };
        #[cfg(feature = "parallel")]
        let mut rows = if self.parallel {
            use rayon::prelude::*;
            variable
                .par_iter()
                .map(|&i| scan_all(&[i]))
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect()
        } else {
            scan_all(&variable)?
        };
        #[cfg(not(feature = "parallel"))]
        let mut rows = scan_all(&variable)?;
        rows.sort_by(|a, b| {
            let key = |r: &WeightSensitivity| r.criticality().unwrap_or(f64::INFINITY);
            key(a).total_cmp(&key(b))
        });
        Ok(Tornado { rows })
    }

    fn fixed_reason(&self, node: usize) -> Option<FixedReason> {
        let Some(parent) = self.nodes[node].parent else {
            return Some(FixedReason::Root);
        };
        let siblings = &self.nodes[parent].children;
        if siblings.len() < 2 {
            return Some(FixedReason::OnlyChild);
        }
        let sum: f64 = siblings
            .iter()
            .filter(|&&s| s != node)
            .map(|&s| self.base_local[s])
            .sum();
        (!(sum > 0.0)).then_some(FixedReason::SiblingsWeighZero)
    }

    fn scan(
        &self,
        probe: &mut Probe<'_>,
        node: usize,
        range: WeightRange,
    ) -> Result<WeightSensitivity> {
        if let Some(reason) = self.fixed_reason(node) {
            return Err(SensitivityError::FixedWeight {
                id: self.nodes[node].id.clone(),
                reason,
            }
            .into());
        }
        let parent = self.nodes[node].parent.unwrap_or(0);
        let siblings: Vec<usize> = self.nodes[parent]
            .children
            .iter()
            .copied()
            .filter(|&s| s != node)
            .collect();
        let sib_sum: f64 = siblings.iter().map(|&s| self.base_local[s]).sum();
        let base = self.base_local[node];
        let mut found = [[None; 2]; 3];
        for (dir, end) in [(0, range.lo), (1, range.hi)] {
            let beyond = if dir == 0 { end < base } else { end > base };
            if !beyond {
                continue;
            }
            let at = |j: usize| base + (end - base) * (j as f64 / range.steps as f64);
            let mut prev = base;
            for j in 1..=range.steps {
                let w = if j == range.steps { end } else { at(j) };
                let now = probe.events(node, &siblings, sib_sum, w)?;
                for e in RankEvent::ALL {
                    let k = e.index();
                    if now[k] && found[k][dir].is_none() {
                        // bisect between prev (no event) and w (event)
                        let (mut ok, mut bad) = (prev, w);
                        while (bad - ok).abs() > THRESHOLD_TOL {
                            let mid = 0.5 * (ok + bad);
                            // no f64 left between the two: the bracket is as narrow as it gets
                            #[allow(clippy::float_cmp)]
                            let done = mid == ok || mid == bad;
                            if done {
                                break;
                            }
                            if probe.events(node, &siblings, sib_sum, mid)?[k] {
                                bad = mid;
                            } else {
                                ok = mid;
                            }
                        }
                        found[k][dir] = Some(Threshold {
                            weight: bad,
                            change: bad - base,
                        });
                    }
                }
                let tiers_done = self.tiers.is_none() || found[2][dir].is_some();
                if found[0][dir].is_some() && found[1][dir].is_some() && tiers_done {
                    break;
                }
                prev = w;
            }
        }
        Ok(WeightSensitivity {
            id: self.nodes[node].id.clone(),
            path: self.nodes[node].path.clone(),
            base,
            range,
            found,
            tiers: self.tiers.is_some(),
        })
    }
}
