//! The analysis context: the base scoring and ranking that every variation is compared with.

use crate::batch::{BatchOutput, BatchScorer, MerchantError};
use crate::error::{BatchError, Error, Result, SensitivityError};
use crate::evaluation::Evaluator;
use crate::sensitivity::data::OwnedData;
use crate::sensitivity::ranking::{mid_ranks, Base, BaseInfo, Ranker};
use crate::sensitivity::{MerchantData, ScoreTiers};

/// Default `k` of the top-k (or every merchant when there are fewer).
pub const DEFAULT_TOP_K: usize = 10;

/// One node of the tree as the analysis needs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodeInfo {
    pub id: String,
    pub path: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

/// The base of a sensitivity analysis: an evaluation configuration, the merchants' data, and
/// the ranking and tiers they get with the configuration's own weights.
///
/// Variations ([`one_at_a_time`](Self::one_at_a_time), [`tornado`](Self::tornado),
/// [`monte_carlo`](Self::monte_carlo)) change local weights and re-score every merchant
/// through the [`BatchScorer`] (re-weighted with
/// [`BatchScorer::set_local_weights`], not compiled again), then compare with this base.
///
/// Merchants the base scoring rejects (bad data; see [`BatchScorer`]) are left out of every
/// ranking and listed in [`failures`](Self::failures); rankings count the others only, and
/// merchant indices in every result are those of the input.
///
/// Ranks are competition ranks, best first: `rank = 1 + the number of merchants with a
/// strictly higher score` (tied merchants share the better rank). Where an order is needed
/// (the top-1, the set of the top k), ties are broken by the base ranking (and within a tie
/// of the base ranking by input order): a merchant that only draws level with another has not
/// passed it.
///
/// # Examples
///
/// ```
/// use service_quality::sensitivity::{ScoreTiers, SensitivityAnalysis};
/// use service_quality::{Evaluator, GradeSet, IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(
///     NodeSpec::group("goal", "Service", vec![
///         NodeSpec::leaf("speed", "Speed"),
///         NodeSpec::leaf("attitude", "Attitude"),
///     ]).with_weights(vec![0.6, 0.4]),
/// )?;
/// let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5_points());
/// // three merchants x two indicators x five grades
/// let counts: Vec<u8> = vec![
///     10, 0, 0, 0, 0,   0, 0, 0, 0, 10, // fast, rude: 0.6 * 5 + 0.4 * 1 = 3.4
///     0, 0, 0, 0, 10,   10, 0, 0, 0, 0, // slow, polite: 0.6 * 1 + 0.4 * 5 = 2.6
///     0, 0, 10, 0, 0,   0, 0, 10, 0, 0, // average: 3.0
/// ];
/// let analysis = SensitivityAnalysis::new(&evaluator, counts.as_slice())?
///     .with_top_k(1)?
///     .with_tiers(ScoreTiers::new(vec![3.0])?);
/// assert_eq!(analysis.base_ranks(), &[1, 3, 2]);
/// assert!((analysis.base_scores()[0] - 3.4).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SensitivityAnalysis {
    pub(crate) scorer: BatchScorer,
    /// The merchants ranked, in base order (position `p` = the `p`-th best).
    pub(crate) data: OwnedData,
    pub(crate) nodes: Vec<NodeInfo>,
    pub(crate) base_local: Vec<f64>,
    pub(crate) merchants: usize,
    /// Input indices of the merchants ranked, in input order.
    pub(crate) ranked: Vec<usize>,
    pub(crate) failures: Vec<MerchantError>,
    /// Base scores and ranks of `ranked`, in input order (the public view).
    pub(crate) base_scores: Vec<f64>,
    pub(crate) base_ranks: Vec<u32>,
    /// Input index of the merchant at each base position.
    pub(crate) by_pos: Vec<usize>,
    /// Base rank and mid-rank at each base position, and the sum of the squared mid-ranks.
    pub(crate) pos_base: Vec<BaseInfo>,
    /// `pos_base` is [`BaseInfo::untied`] at every position (no ties in the base).
    pub(crate) pos_untied: bool,
    pub(crate) pos_mid_sq: f64,
    /// Every base score is the same.
    pub(crate) pos_constant: bool,
    /// Base tier at each base position.
    pub(crate) pos_tiers: Vec<u32>,
    pub(crate) pos_scores: Vec<f64>,
    pub(crate) top_k: usize,
    pub(crate) tiers: Option<ScoreTiers>,
    #[cfg_attr(not(feature = "parallel"), allow(dead_code))]
    pub(crate) parallel: bool,
}

impl SensitivityAnalysis {
    /// Scores and ranks the merchants with the evaluator's own weights, and keeps a copy of
    /// the data of the merchants ranked (in the order of that ranking).
    ///
    /// # Errors
    ///
    /// - errors of [`BatchScorer::new`] and the batch-level errors of its scoring methods
    ///   (for example [`BatchError::BatchLength`] for data that is not a whole number of
    ///   merchants);
    /// - [`SensitivityError::NoMerchants`] when there are no merchants or none can be scored.
    pub fn new<'a>(evaluator: &Evaluator, data: impl Into<MerchantData<'a>>) -> Result<Self> {
        let data = data.into();
        let scorer = BatchScorer::new(evaluator)?;
        let tree = evaluator.tree();
        let nodes: Vec<NodeInfo> = tree
            .nodes()
            .map(|n| NodeInfo {
                id: n.id().to_owned(),
                path: n.path().to_owned(),
                parent: n.parent().map(|p| p.index()),
                children: n.children().map(|c| c.index()).collect(),
            })
            .collect();
        let base_local: Vec<f64> = tree
            .nodes()
            .map(|n| {
                if n.parent().is_some() {
                    n.local_weight()
                } else {
                    1.0
                }
            })
            .collect();
        let block = scorer.n_leaves() * scorer.n_grades();
        if block == 0 || !data.len().is_multiple_of(block) {
            return Err(BatchError::BatchLength {
                what: "merchant data",
                len: data.len(),
                unit: block,
            }
            .into());
        }
        let merchants = data.len() / block;
        let mut scores = vec![0.0; merchants];
        let mut grades = vec![0u32; merchants];
        let summary = data.score(&scorer, BatchOutput::new(&mut scores, &mut grades)?)?;
        let failures = summary.failures().to_vec();
        let mut failed = vec![false; merchants];
        for f in &failures {
            failed[f.merchant] = true;
        }
        let ranked: Vec<usize> = (0..merchants).filter(|&i| !failed[i]).collect();
        if ranked.is_empty() {
            return Err(SensitivityError::NoMerchants {
                merchants,
                failed: failures.len(),
            }
            .into());
        }
        let base_scores: Vec<f64> = ranked.iter().map(|&i| scores[i]).collect();
        let mut base_ranks = vec![0u32; ranked.len()];
        let mut ranker = Ranker::default();
        // no base yet: any stands in, the sums are not used
        ranker.rank(&base_scores, Base::Positions, |i, r, _| base_ranks[i] = r);
        let order: Vec<usize> = ranker.order().collect();
        let by_pos: Vec<usize> = order.iter().map(|&j| ranked[j]).collect();
        let pos_scores: Vec<f64> = order.iter().map(|&j| base_scores[j]).collect();
        let (pos_mid, pos_mid_sq) = mid_ranks(&pos_scores);
        let pos_base: Vec<BaseInfo> = order
            .iter()
            .zip(&pos_mid)
            .map(|(&j, &mid)| BaseInfo {
                // mid-ranks are multiples of 1/2 below 2^31 (checked by `u32` positions)
                mid2: (2.0 * mid) as u32,
                rank: base_ranks[j],
            })
            .collect();
        let pos_untied = pos_base
            .iter()
            .enumerate()
            .all(|(p, &b)| b == BaseInfo::untied(p));
        let data = data.permuted(block, &by_pos);
        Ok(Self {
            scorer,
            data,
            nodes,
            base_local,
            merchants,
            top_k: DEFAULT_TOP_K.min(ranked.len()),
            ranked,
            failures,
            base_scores,
            base_ranks,
            by_pos,
            pos_base,
            pos_untied,
            pos_mid_sq,
            pos_constant: pos_scores.first() == pos_scores.last(),
            pos_tiers: Vec::new(),
            pos_scores,
            tiers: None,
            parallel: false,
        })
    }

    /// The `k` of "in the top k" (default [`DEFAULT_TOP_K`], or every merchant ranked when
    /// there are fewer).
    ///
    /// # Errors
    ///
    /// [`SensitivityError::InvalidTopK`] unless `1 <= k <=` the number of merchants ranked.
    pub fn with_top_k(mut self, k: usize) -> Result<Self> {
        if k == 0 || k > self.ranked.len() {
            return Err(SensitivityError::InvalidTopK {
                k,
                merchants: self.ranked.len(),
            }
            .into());
        }
        self.top_k = k;
        Ok(self)
    }

    /// The tiers whose changes are looked for (default none).
    pub fn with_tiers(mut self, tiers: ScoreTiers) -> Self {
        self.pos_tiers = self.pos_scores.iter().map(|&s| tiers.tier(s)).collect();
        self.tiers = Some(tiers);
        self
    }

    /// Splits Monte Carlo draws and scan points across threads with rayon (default `false`).
    /// Results are identical with and without.
    #[cfg(feature = "parallel")]
    #[cfg_attr(docsrs, doc(cfg(feature = "parallel")))]
    pub fn parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// Number of merchants in the input.
    pub fn merchants(&self) -> usize {
        self.merchants
    }

    /// Input indices of the merchants ranked (all but the [`failures`](Self::failures)), in
    /// input order.
    pub fn ranked(&self) -> &[usize] {
        &self.ranked
    }

    /// Merchants the base scoring rejected, with the reason; they are in no ranking.
    pub fn failures(&self) -> &[MerchantError] {
        &self.failures
    }

    /// Base scores of the merchants ranked (`base_scores()[j]` is merchant `ranked()[j]`'s).
    pub fn base_scores(&self) -> &[f64] {
        &self.base_scores
    }

    /// Base ranks of the merchants ranked (1 = best), as [`base_scores`](Self::base_scores).
    pub fn base_ranks(&self) -> &[u32] {
        &self.base_ranks
    }

    /// The `k` of the top-k.
    pub fn top_k(&self) -> usize {
        self.top_k
    }

    /// The tiers, if given.
    pub fn tiers(&self) -> Option<&ScoreTiers> {
        self.tiers.as_ref()
    }

    /// The base local weight of every node in preorder (1 for the root).
    pub fn base_local_weights(&self) -> &[f64] {
        &self.base_local
    }

    /// Re-weights `scorer` to `local` and scores the merchants ranked, in base order, into
    /// `buf.scores`. A merchant that fails now (it did not in the base) is an error naming
    /// `at`.
    pub(crate) fn rescore(
        &self,
        scorer: &mut BatchScorer,
        local: &[f64],
        buf: &mut ScoreBuffers,
        at: impl FnOnce() -> String,
    ) -> Result<()> {
        scorer.set_local_weights(local)?;
        let summary = self
            .data
            .view()
            .score(scorer, BatchOutput::new(&mut buf.scores, &mut buf.grades)?)?;
        if let Some(f) = summary.failures().first() {
            return Err(Error::Sensitivity(SensitivityError::NewFailure {
                merchant: self.by_pos[f.merchant],
                at: at(),
            }));
        }
        Ok(())
    }

    /// The base ranking at each base position, for [`Ranker::rank`].
    pub(crate) fn pos_base(&self) -> Base<'_> {
        if self.pos_untied {
            Base::Positions
        } else {
            Base::Given(&self.pos_base)
        }
    }

    /// Buffers for [`rescore`](Self::rescore).
    pub(crate) fn buffers(&self) -> ScoreBuffers {
        ScoreBuffers {
            scores: vec![0.0; self.ranked.len()],
            grades: vec![0; self.ranked.len()],
        }
    }
}

/// Per-worker scoring buffers.
#[derive(Debug, Clone)]
pub(crate) struct ScoreBuffers {
    /// Scores of the merchants ranked, in base order, after
    /// [`SensitivityAnalysis::rescore`].
    pub scores: Vec<f64>,
    pub grades: Vec<u32>,
}
