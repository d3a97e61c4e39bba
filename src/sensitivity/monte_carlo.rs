//! Monte Carlo on the experts' judgements: rank distributions, tier and top-k probabilities.

use core::fmt;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::ahp::PairwiseMatrix;
use crate::error::{Error, PanelError, Result, SensitivityError};
use crate::group::Panel;
use crate::sensitivity::analysis::ScoreBuffers;
use crate::sensitivity::histogram::{quantiles, Layout};
use crate::sensitivity::perturbation::scale_position;
use crate::sensitivity::ranking::{spearman, Ranker};
use crate::sensitivity::{ExpertJudgements, Perturbation, SensitivityAnalysis};

/// The settings of a Monte Carlo run.
///
/// # Examples
///
/// ```
/// use service_quality::sensitivity::{MonteCarloOptions, Perturbation};
///
/// let opts = MonteCarloOptions::new(1000, Perturbation::LogNormal { sigma: 0.2 })?
///     .with_seed(42)
///     .with_drop_above_cr(0.1)?;
/// assert_eq!(opts.draws(), 1000);
/// assert!(MonteCarloOptions::new(0, Perturbation::SaatyStep).is_err());
/// assert!(MonteCarloOptions::new(10, Perturbation::LogNormal { sigma: f64::NAN }).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarloOptions {
    draws: usize,
    perturbation: Perturbation,
    seed: u64,
    drop_above_cr: Option<f64>,
}

impl MonteCarloOptions {
    /// `draws` draws of the `perturbation` model, seed 0, no draw dropped.
    ///
    /// # Errors
    ///
    /// [`SensitivityError::ZeroDraws`] for 0 draws; [`SensitivityError::InvalidSigma`] for a
    /// log-normal sigma that is not finite and `> 0`.
    pub fn new(draws: usize, perturbation: Perturbation) -> Result<Self> {
        if draws == 0 {
            return Err(SensitivityError::ZeroDraws.into());
        }
        perturbation.check()?;
        Ok(Self {
            draws,
            perturbation,
            seed: 0,
            drop_above_cr: None,
        })
    }

    /// The seed (default 0). Draw `d` uses the ChaCha8 stream `d` of this seed, so a run is
    /// the same whatever the number of threads.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Drops the draws in which some perturbed expert matrix has `CR >= threshold` (default:
    /// keep every draw).
    ///
    /// # Errors
    ///
    /// [`SensitivityError::InvalidThreshold`] unless the threshold is finite and `> 0`.
    pub fn with_drop_above_cr(mut self, threshold: f64) -> Result<Self> {
        if !(threshold > 0.0 && threshold.is_finite()) {
            return Err(SensitivityError::InvalidThreshold { threshold }.into());
        }
        self.drop_above_cr = Some(threshold);
        Ok(self)
    }

    /// Draws requested.
    pub fn draws(&self) -> usize {
        self.draws
    }

    /// The perturbation model.
    pub fn perturbation(&self) -> Perturbation {
        self.perturbation
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The CR threshold above which draws are dropped, if any.
    pub fn drop_above_cr(&self) -> Option<f64> {
        self.drop_above_cr
    }
}

/// One merchant's ranks over the draws kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MerchantRanks {
    /// Index of the merchant in the input.
    pub merchant: usize,
    /// Its base rank.
    pub base_rank: u32,
    /// 5 % quantile of its rank (the better end of the 5–95 % interval).
    pub p5: u32,
    /// Median rank.
    pub median: u32,
    /// 95 % quantile of its rank (the worse end).
    pub p95: u32,
    /// `true` when the three quantiles are exact; `false` when one lies more than 63 places
    /// from the base rank, where ranks are counted in bins of at most a quarter of the
    /// offset (the interval is then widened outwards to the bin's edges).
    pub exact: bool,
    /// Share of the draws in which its rank is at most `k` (competition rank: a tie at
    /// place `k` counts as in).
    pub p_top_k: f64,
    /// Share of the draws in which its tier equals its base tier (`None` without tiers).
    pub p_keep_tier: Option<f64>,
}

/// The result of [`SensitivityAnalysis::monte_carlo`].
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarlo {
    options: MonteCarloOptions,
    top_k: usize,
    used: usize,
    merchants: Vec<MerchantRanks>,
    spearman: Vec<f64>,
}

impl MonteCarlo {
    /// The options of the run (draws, model, seed, dropping rule).
    pub fn options(&self) -> &MonteCarloOptions {
        &self.options
    }

    /// Draws kept.
    pub fn draws_used(&self) -> usize {
        self.used
    }

    /// Draws dropped for inconsistent judgements (or a panel whose experts were all
    /// excluded by its own CR filter).
    pub fn draws_dropped(&self) -> usize {
        self.options.draws - self.used
    }

    /// The `k` of the top-k.
    pub fn top_k(&self) -> usize {
        self.top_k
    }

    /// Per merchant ranked, in input order.
    pub fn merchants(&self) -> &[MerchantRanks] {
        &self.merchants
    }

    /// Spearman's rank correlation of each kept draw's ranking with the base ranking, in
    /// draw order (ties as mid-ranks).
    pub fn spearman(&self) -> &[f64] {
        &self.spearman
    }

    /// Mean of [`spearman`](Self::spearman).
    pub fn mean_spearman(&self) -> f64 {
        self.spearman.iter().sum::<f64>() / self.spearman.len() as f64
    }
}

impl fmt::Display for MonteCarlo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} draws ({} kept) of {}, seed {}; mean Spearman {:.4}",
            self.options.draws,
            self.used,
            self.options.perturbation,
            self.options.seed,
            self.mean_spearman()
        )?;
        writeln!(
            f,
            "{:>8} {:>5} {:>7} {:>5} {:>7}  {:>8}  {:>9}",
            "merchant", "base", "5%", "median", "95%", "P(top k)", "P(tier)"
        )?;
        for m in &self.merchants {
            let tier = m
                .p_keep_tier
                .map_or_else(|| "-".to_owned(), |p| format!("{p:.3}"));
            writeln!(
                f,
                "{:>8} {:>5} {:>7} {:>5} {:>7}  {:>8.3}  {:>9}",
                m.merchant, m.base_rank, m.p5, m.median, m.p95, m.p_top_k, tier
            )?;
        }
        Ok(())
    }
}

/// A node's judgements resolved against the tree.
struct NodePanel<'j> {
    path: &'j str,
    children: &'j [usize],
    panel: &'j Panel,
    /// Scale positions of every expert's upper entries (for the step model).
    positions: Vec<Vec<Option<usize>>>,
}

/// Draws whose rank bins are buffered before the histograms are updated (a merchant's
/// histogram lines are fetched once per block: a longer block fetches them less often, for
/// `2 * BLOCK` bytes per merchant and thread).
const BLOCK: usize = 128;

/// Adds the first `filled` draws of `block` (draw-major bins of `n` merchants) to `hist`.
fn flush(hist: &mut [u32], block: &[u16], n: usize, bins: usize, filled: usize) {
    for (j, h) in hist.chunks_exact_mut(bins).enumerate() {
        for d in 0..filled {
            h[usize::from(block[d * n + j])] += 1;
        }
    }
}

/// What one worker accumulates over its draws.
struct Tally {
    hist: Vec<u32>,
    top_k: Vec<u32>,
    keep: Vec<u32>,
    /// `(draw, rho)` of the kept draws.
    spearman: Vec<(usize, f64)>,
}

impl SensitivityAnalysis {
    /// Perturbs the experts' judgements `opts.draws()` times, recomputes the weights of every
    /// node with judgements, re-scores every merchant and ranks them; reports per merchant
    /// the distribution of its rank (median, 5–95 % interval), the share of draws in which it
    /// keeps its tier and is in the top k, and per draw the Spearman correlation with the
    /// base ranking.
    ///
    /// The base is the ranking with the evaluator's weights; a draw recomputes the weights of
    /// the nodes in `judgements` only (the others keep the evaluator's). Draw `d` uses the
    /// ChaCha8 stream `d` of the seed, perturbing node by node (in `judgements`' order),
    /// expert by expert, the upper triangle row by row: a run is reproducible, and the same
    /// with and without the `parallel` feature.
    ///
    /// # Errors
    ///
    /// - [`SensitivityError::UnknownNode`], [`SensitivityError::NotAGroup`],
    ///   [`SensitivityError::DuplicateNode`] or [`SensitivityError::PanelSize`] for
    ///   judgements that do not fit the tree;
    /// - [`SensitivityError::NotOnSaatyScale`] under [`Perturbation::SaatyStep`] for a
    ///   judgement off the scale;
    /// - [`SensitivityError::AllDrawsDropped`] when no draw is kept;
    /// - [`SensitivityError::NewFailure`] when a merchant scored in the base cannot be scored
    ///   under a draw's weights;
    /// - [`Error::AtNode`] wrapping errors of the priorities or the panel of a node.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::sensitivity::{
    ///     ExpertJudgements, MonteCarloOptions, Perturbation, SensitivityAnalysis,
    /// };
    /// use service_quality::{Evaluator, GradeSet, IndicatorTree, Judgements, NodeSpec};
    ///
    /// let tree = IndicatorTree::new(
    ///     NodeSpec::group("goal", "Service", vec![
    ///         NodeSpec::leaf("speed", "Speed"),
    ///         NodeSpec::leaf("attitude", "Attitude"),
    ///     ])
    ///     .with_judgements(Judgements::Upper(vec![3.0])),
    /// )?;
    /// let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5_points());
    /// let counts: Vec<u8> = vec![
    ///     9, 1, 0, 0, 0,   0, 0, 0, 2, 8, // strong on speed
    ///     0, 0, 0, 2, 8,   9, 1, 0, 0, 0, // strong on attitude
    ///     3, 3, 3, 1, 0,   3, 3, 3, 1, 0, // even
    /// ];
    /// let analysis = SensitivityAnalysis::new(&evaluator, counts.as_slice())?.with_top_k(1)?;
    /// let opts = MonteCarloOptions::new(200, Perturbation::SaatyStep)?.with_seed(7);
    /// let mc = analysis.monte_carlo(&ExpertJudgements::from_tree(&tree), &opts)?;
    /// let first = mc.merchants()[0];
    /// assert_eq!(first.base_rank, 1);
    /// assert!(first.p5 <= first.median && first.median <= first.p95);
    /// assert!(first.p_top_k > 0.5);
    /// // the same seed gives the same run
    /// assert_eq!(mc, analysis.monte_carlo(&ExpertJudgements::from_tree(&tree), &opts)?);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn monte_carlo(
        &self,
        judgements: &ExpertJudgements,
        opts: &MonteCarloOptions,
    ) -> Result<MonteCarlo> {
        opts.perturbation.check()?;
        let panels = self.resolve(judgements, opts.perturbation)?;
        let n = self.ranked.len();
        let layout = Layout::new(n);
        let run = |draws: std::ops::Range<usize>| -> Result<Tally> {
            self.run_draws(draws, &panels, judgements, opts, &layout)
        };
        #[cfg(feature = "parallel")]
        let tallies: Vec<Tally> = if self.parallel {
            use rayon::prelude::*;
            let threads = rayon::current_num_threads().clamp(1, opts.draws);
            let per = opts.draws.div_ceil(threads);
            (0..threads)
                .into_par_iter()
                .map(|t| run(t * per..((t + 1) * per).min(opts.draws)))
                .collect::<Result<Vec<_>>>()?
        } else {
            vec![run(0..opts.draws)?]
        };
        #[cfg(not(feature = "parallel"))]
        let tallies: Vec<Tally> = vec![run(0..opts.draws)?];
        let mut it = tallies.into_iter();
        let mut total = it.next().ok_or(SensitivityError::ZeroDraws)?;
        for t in it {
            for (a, b) in total.hist.iter_mut().zip(&t.hist) {
                *a += b;
            }
            for (a, b) in total.top_k.iter_mut().zip(&t.top_k) {
                *a += b;
            }
            for (a, b) in total.keep.iter_mut().zip(&t.keep) {
                *a += b;
            }
            total.spearman.extend(t.spearman);
        }
        total.spearman.sort_by_key(|&(d, _)| d);
        let used = total.spearman.len();
        if used == 0 {
            return Err(SensitivityError::AllDrawsDropped {
                draws: opts.draws,
                threshold: opts.drop_above_cr.unwrap_or(f64::NAN),
            }
            .into());
        }
        let ordered = layout.ordered();
        let mut merchants: Vec<MerchantRanks> = (0..n)
            .map(|j| {
                let counts = &total.hist[j * layout.bins..(j + 1) * layout.bins];
                let base = self.pos_base[j].rank;
                let ([p5, median, p95], exact) = quantiles(
                    &layout,
                    &ordered,
                    counts,
                    used as u64,
                    base,
                    n,
                    [0.05, 0.5, 0.95],
                );
                MerchantRanks {
                    merchant: self.by_pos[j],
                    base_rank: base,
                    p5,
                    median,
                    p95,
                    exact,
                    p_top_k: f64::from(total.top_k[j]) / used as f64,
                    p_keep_tier: self
                        .tiers
                        .as_ref()
                        .map(|_| f64::from(total.keep[j]) / used as f64),
                }
            })
            .collect();
        merchants.sort_by_key(|m| m.merchant);
        Ok(MonteCarlo {
            options: *opts,
            top_k: self.top_k,
            used,
            merchants,
            spearman: total.spearman.into_iter().map(|(_, r)| r).collect(),
        })
    }

    /// Checks the judgements against the tree.
    fn resolve<'j>(
        &'j self,
        judgements: &'j ExpertJudgements,
        model: Perturbation,
    ) -> Result<Vec<NodePanel<'j>>> {
        let mut seen = vec![false; self.nodes.len()];
        let mut out = Vec::with_capacity(judgements.nodes.len());
        for (id, panel) in &judgements.nodes {
            let node = self
                .nodes
                .iter()
                .position(|n| &n.id == id)
                .ok_or_else(|| SensitivityError::UnknownNode { id: id.clone() })?;
            let info = &self.nodes[node];
            if info.children.is_empty() {
                return Err(SensitivityError::NotAGroup { id: id.clone() }.into());
            }
            if std::mem::replace(&mut seen[node], true) {
                return Err(SensitivityError::DuplicateNode { id: id.clone() }.into());
            }
            if panel.n() != info.children.len() {
                return Err(SensitivityError::PanelSize {
                    id: id.clone(),
                    children: info.children.len(),
                    found: panel.n(),
                }
                .into());
            }
            let mut positions = Vec::with_capacity(panel.len());
            for (expert, m) in panel.matrices().iter().enumerate() {
                let nn = m.n();
                let mut pos = Vec::with_capacity(nn * (nn - 1) / 2);
                for row in 0..nn {
                    for col in (row + 1)..nn {
                        let value = m.get(row, col).unwrap_or(f64::NAN);
                        let p = scale_position(value);
                        if model == Perturbation::SaatyStep && p.is_none() {
                            return Err(SensitivityError::NotOnSaatyScale {
                                path: info.path.clone(),
                                expert,
                                row,
                                col,
                                value,
                            }
                            .into());
                        }
                        pos.push(p);
                    }
                }
                positions.push(pos);
            }
            out.push(NodePanel {
                path: &info.path,
                children: &info.children,
                panel,
                positions,
            });
        }
        Ok(out)
    }

    /// Draws `draws` into one tally.
    fn run_draws(
        &self,
        draws: std::ops::Range<usize>,
        panels: &[NodePanel<'_>],
        judgements: &ExpertJudgements,
        opts: &MonteCarloOptions,
        layout: &Layout,
    ) -> Result<Tally> {
        let n = self.ranked.len();
        let mut tally = Tally {
            hist: vec![0; n * layout.bins],
            top_k: vec![0; n],
            keep: vec![0; n],
            spearman: Vec::with_capacity(draws.len()),
        };
        let mut scorer = self.scorer.clone();
        let mut buf: ScoreBuffers = self.buffers();
        let mut ranker = Ranker::default();
        let mut local = self.base_local.clone();
        let k = self.top_k as u32;
        // the bins of a block of draws, draw-major: the histograms are then updated merchant
        // by merchant, each merchant's bins staying in cache for the block
        let mut block = vec![0u16; BLOCK * n];
        let mut filled = 0;
        for draw in draws {
            let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
            rng.set_stream(draw as u64);
            local.copy_from_slice(&self.base_local);
            if !self.draw_weights(panels, judgements, opts, &mut rng, &mut local)? {
                continue;
            }
            self.rescore(&mut scorer, &local, &mut buf, || format!("draw {draw}"))?;
            let s = &buf.scores;
            let row = &mut block[filled * n..(filled + 1) * n];
            let top_k = &mut tally.top_k;
            let sums = ranker.rank(s, self.pos_base(), |i, r, b| {
                row[i] = layout.bin(i64::from(r) - i64::from(b.rank)) as u16;
                if r <= k {
                    top_k[i] += 1;
                }
            });
            tally.spearman.push((
                draw,
                spearman(
                    n,
                    (sums.sxy, self.pos_mid_sq, sums.syy),
                    self.pos_constant,
                    sums.constant,
                ),
            ));
            if let Some(t) = &self.tiers {
                for ((keep, &x), &b) in tally.keep.iter_mut().zip(s).zip(&self.pos_tiers) {
                    *keep += u32::from(t.tier(x) == b);
                }
            }
            filled += 1;
            if filled == BLOCK {
                flush(&mut tally.hist, &block, n, layout.bins, filled);
                filled = 0;
            }
        }
        flush(&mut tally.hist, &block, n, layout.bins, filled);
        Ok(tally)
    }

    /// One draw's local weights; `false` when the draw is dropped.
    fn draw_weights(
        &self,
        panels: &[NodePanel<'_>],
        judgements: &ExpertJudgements,
        opts: &MonteCarloOptions,
        rng: &mut ChaCha8Rng,
        local: &mut [f64],
    ) -> Result<bool> {
        let popts = &judgements.options;
        for np in panels {
            let mut matrices = Vec::with_capacity(np.panel.len());
            for (m, pos) in np.panel.matrices().iter().zip(&np.positions) {
                let upper: Vec<f64> = m
                    .upper_triangle()
                    .iter()
                    .zip(pos)
                    .map(|(&v, &p)| opts.perturbation.apply(v, p, rng))
                    .collect();
                matrices.push(
                    PairwiseMatrix::from_upper_triangle(m.n(), &upper).map_err(|e| {
                        Error::AtNode {
                            path: np.path.to_owned(),
                            source: Box::new(e),
                        }
                    })?,
                );
            }
            let at = |e: Error| Error::AtNode {
                path: np.path.to_owned(),
                source: Box::new(e),
            };
            let weights = if matrices.len() == 1 {
                let p = matrices[0].priorities_with(popts.priority()).map_err(at)?;
                if opts
                    .drop_above_cr
                    .is_some_and(|t| !p.consistency().is_acceptable(t))
                {
                    return Ok(false);
                }
                p.into_weights()
            } else {
                let panel = Panel::with_expert_weights(matrices, np.panel.expert_weights().clone())
                    .map_err(at)?;
                let result = match panel.evaluate(popts) {
                    Ok(r) => r,
                    Err(e)
                        if matches!(
                            e.root(),
                            Error::Panel(PanelError::AllExpertsExcluded { .. })
                        ) =>
                    {
                        return Ok(false)
                    }
                    Err(e) => return Err(at(e)),
                };
                if let Some(t) = opts.drop_above_cr {
                    if result
                        .individual()
                        .iter()
                        .any(|p| !p.consistency().is_acceptable(t))
                    {
                        return Ok(false);
                    }
                }
                result.weights().clone()
            };
            for (&c, &w) in np.children.iter().zip(weights.as_slice()) {
                local[c] = w;
            }
        }
        Ok(true)
    }
}
