//! A panel of experts judging the same criteria, and its group priorities.

use core::fmt;

use crate::ahp::{PairwiseMatrix, Priorities, PriorityOptions};
use crate::error::{Error, PanelError, Parameter, Result};
use crate::group::expert_weights::check_panel_shape;
use crate::group::{
    aggregate_judgements, aggregate_priorities, AhpConsensus, AipMean, ExpertWeights,
};
use crate::model::weights::Weights;
use crate::numeric::positive_parameter;

/// How a panel's judgements become group priorities.
///
/// ```text
/// Judgements:  w = priorities(AIJ(A^(1), ..., A^(K)))
/// Priorities:  w = AIP(priorities(A^(1)), ..., priorities(A^(K)))
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Aggregation {
    /// Aggregate the judgements (AIJ, [`aggregate_judgements`]), then derive priorities
    /// (the default).
    #[doc(alias = "AIJ")]
    #[default]
    Judgements,
    /// Derive each expert's priorities, then aggregate them (AIP, [`aggregate_priorities`]).
    #[doc(alias = "AIP")]
    Priorities(AipMean),
}

/// Options of [`Panel::evaluate`]; every setter documents its default.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawPanelOptions"))]
pub struct PanelOptions {
    aggregation: Aggregation,
    priority: PriorityOptions,
    exclude_above_cr: Option<f64>,
}

/// Unchecked mirror of [`PanelOptions`] for deserialisation.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawPanelOptions {
    aggregation: Aggregation,
    priority: PriorityOptions,
    exclude_above_cr: Option<f64>,
}

#[cfg(feature = "serde")]
impl Default for RawPanelOptions {
    fn default() -> Self {
        let d = PanelOptions::default();
        Self {
            aggregation: d.aggregation,
            priority: d.priority,
            exclude_above_cr: d.exclude_above_cr,
        }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<RawPanelOptions> for PanelOptions {
    type Error = Error;
    fn try_from(raw: RawPanelOptions) -> Result<Self> {
        let opts = PanelOptions::new()
            .with_aggregation(raw.aggregation)
            .with_priority(raw.priority);
        match raw.exclude_above_cr {
            Some(t) => opts.with_exclude_above_cr(t),
            None => Ok(opts),
        }
    }
}

impl PanelOptions {
    /// Defaults: AIJ, default [`PriorityOptions`], nobody excluded.
    pub fn new() -> Self {
        Self::default()
    }

    /// Aggregation method (default [`Aggregation::Judgements`]).
    pub fn with_aggregation(mut self, aggregation: Aggregation) -> Self {
        self.aggregation = aggregation;
        self
    }

    /// Priority method and random index for every matrix (default
    /// [`PriorityOptions::default`]).
    pub fn with_priority(mut self, priority: PriorityOptions) -> Self {
        self.priority = priority;
        self
    }

    /// Exclude experts whose CR is `>= threshold` (not below it, as
    /// [`ConsistencyReport::is_acceptable`](crate::ConsistencyReport::is_acceptable)).
    /// Default: nobody is excluded. Every exclusion is reported in
    /// [`PanelResult::excluded`].
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`](crate::ArgumentError::InvalidParameter) unless
    /// `threshold` is finite and `> 0`.
    pub fn with_exclude_above_cr(mut self, threshold: f64) -> Result<Self> {
        self.exclude_above_cr = Some(positive_parameter(Parameter::ExcludeAboveCr, threshold)?);
        Ok(self)
    }

    /// The aggregation method.
    pub fn aggregation(&self) -> Aggregation {
        self.aggregation
    }

    /// The priority options.
    pub fn priority(&self) -> &PriorityOptions {
        &self.priority
    }

    /// The exclusion threshold, if any.
    pub fn exclude_above_cr(&self) -> Option<f64> {
        self.exclude_above_cr
    }
}

/// An expert left out of the aggregate, and why.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Exclusion {
    /// Index of the expert (0-based, in panel order).
    pub expert: usize,
    /// The expert's consistency ratio.
    pub cr: f64,
    /// The threshold it was not below.
    pub threshold: f64,
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expert {} excluded: CR {:.4} is not below {}",
            self.expert, self.cr, self.threshold
        )
    }
}

/// Experts' matrices over the same criteria, with their weights.
///
/// # Examples
///
/// ```
/// use service_quality::{Aggregation, AipMean, PairwiseMatrix, Panel, PanelOptions};
///
/// let panel = Panel::new(vec![
///     PairwiseMatrix::from_upper_triangle(3, &[3.0, 5.0, 2.0])?,
///     PairwiseMatrix::from_upper_triangle(3, &[2.0, 4.0, 2.0])?,
///     PairwiseMatrix::from_upper_triangle(3, &[1.0 / 5.0, 7.0, 9.0])?, // inconsistent
/// ])?;
/// let opts = PanelOptions::new().with_exclude_above_cr(0.1)?;
/// let result = panel.evaluate(&opts)?;
/// assert_eq!(result.excluded().len(), 1);
/// assert_eq!(result.excluded()[0].expert, 2);
/// assert!(result.weights().as_slice()[0] > 0.5);
/// assert!(result.consensus().s_star() > 0.9);
///
/// let aip = opts.with_aggregation(Aggregation::Priorities(AipMean::Arithmetic));
/// assert_eq!(panel.evaluate(&aip)?.included(), &[0, 1]);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    matrices: Vec<PairwiseMatrix>,
    weights: ExpertWeights,
}

impl Panel {
    /// A panel with equal expert weights.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::Empty`](crate::ArgumentError::Empty) for no experts;
    /// [`PanelError::ExpertSizeMismatch`] when the matrices differ in size.
    pub fn new(matrices: Vec<PairwiseMatrix>) -> Result<Self> {
        let weights = ExpertWeights::equal(matrices.len().max(1))?;
        Self::with_expert_weights(matrices, weights)
    }

    /// A panel with explicit expert weights.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::Empty`](crate::ArgumentError::Empty) for no experts;
    /// [`PanelError::ExpertCountMismatch`] when the number of weights differs;
    /// [`PanelError::ExpertSizeMismatch`] when the matrices differ in size.
    pub fn with_expert_weights(
        matrices: Vec<PairwiseMatrix>,
        weights: ExpertWeights,
    ) -> Result<Self> {
        let sizes: Vec<usize> = matrices.iter().map(PairwiseMatrix::n).collect();
        check_panel_shape(&sizes, weights.len())?;
        Ok(Self { matrices, weights })
    }

    /// The experts' matrices, in panel order.
    pub fn matrices(&self) -> &[PairwiseMatrix] {
        &self.matrices
    }

    /// The expert weights (the criteria's group weights are [`PanelResult::weights`]).
    pub fn expert_weights(&self) -> &ExpertWeights {
        &self.weights
    }

    /// Number of experts.
    pub fn len(&self) -> usize {
        self.matrices.len()
    }

    /// Always `false`: a panel has at least one expert.
    pub fn is_empty(&self) -> bool {
        self.matrices.is_empty()
    }

    /// Number of criteria.
    pub fn n(&self) -> usize {
        self.matrices[0].n()
    }

    /// Group priorities: each expert's priorities and CR, the optional exclusion of
    /// inconsistent experts (reported, never silent), aggregation of the rest with their
    /// weights renormalised, and the consensus of the experts kept.
    ///
    /// # Errors
    ///
    /// - [`Error::AtExpert`] wrapping an error of an expert's priorities;
    /// - [`PanelError::AllExpertsExcluded`] when nobody passes the CR filter;
    /// - [`WeightsError::WeightSum`](crate::WeightsError::WeightSum) when all experts kept have weight 0;
    /// - errors of the aggregate's [`PairwiseMatrix::priorities_with`].
    pub fn evaluate(&self, opts: &PanelOptions) -> Result<PanelResult> {
        let individual = self
            .matrices
            .iter()
            .enumerate()
            .map(|(expert, m)| {
                m.priorities_with(&opts.priority)
                    .map_err(|e| Error::AtExpert {
                        expert,
                        source: Box::new(e),
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut excluded = Vec::new();
        let mut included = Vec::new();
        for (expert, p) in individual.iter().enumerate() {
            match opts.exclude_above_cr {
                Some(threshold) if !p.consistency().is_acceptable(threshold) => {
                    excluded.push(Exclusion {
                        expert,
                        cr: p.cr(),
                        threshold,
                    });
                }
                _ => included.push(expert),
            }
        }
        if included.is_empty() {
            return Err(PanelError::AllExpertsExcluded {
                experts: self.len(),
                threshold: opts.exclude_above_cr.unwrap_or(f64::NAN),
            }
            .into());
        }
        let used_weights = self.weights.subset(&included)?;
        let kept_priorities: Vec<Weights> = included
            .iter()
            .map(|&k| individual[k].weights().clone())
            .collect();
        let (weights, aggregate) = match opts.aggregation {
            Aggregation::Judgements => {
                let kept: Vec<PairwiseMatrix> =
                    included.iter().map(|&k| self.matrices[k].clone()).collect();
                let matrix = aggregate_judgements(&kept, &used_weights)?;
                let p = matrix.priorities_with(&opts.priority)?;
                (p.weights().clone(), Some((matrix, p)))
            }
            Aggregation::Priorities(mean) => (
                aggregate_priorities(&kept_priorities, &used_weights, mean)?,
                None,
            ),
        };
        let consensus = AhpConsensus::new(&kept_priorities, &used_weights)?;
        let compatibility = self
            .matrices
            .iter()
            .map(|m| m.geometric_compatibility(&weights))
            .collect::<Result<Vec<_>>>()?;
        Ok(PanelResult {
            aggregation: opts.aggregation,
            weights,
            aggregate,
            individual,
            excluded,
            included,
            used_weights,
            consensus,
            compatibility,
        })
    }
}

/// The outcome of [`Panel::evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub struct PanelResult {
    aggregation: Aggregation,
    weights: Weights,
    aggregate: Option<(PairwiseMatrix, Priorities)>,
    individual: Vec<Priorities>,
    excluded: Vec<Exclusion>,
    included: Vec<usize>,
    used_weights: ExpertWeights,
    consensus: AhpConsensus,
    compatibility: Vec<f64>,
}

impl PanelResult {
    /// The group weights of the criteria (the experts' weights are
    /// [`expert_weights_used`](Self::expert_weights_used)).
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The aggregation used.
    pub fn aggregation(&self) -> Aggregation {
        self.aggregation
    }

    /// The aggregated matrix (AIJ only).
    pub fn aggregated_matrix(&self) -> Option<&PairwiseMatrix> {
        self.aggregate.as_ref().map(|(m, _)| m)
    }

    /// Priorities and consistency of the aggregated matrix (AIJ only).
    pub fn aggregated_priorities(&self) -> Option<&Priorities> {
        self.aggregate.as_ref().map(|(_, p)| p)
    }

    /// Every expert's own priorities and CR (excluded experts too), in panel order.
    pub fn individual(&self) -> &[Priorities] {
        &self.individual
    }

    /// The experts left out, with their CR and the threshold.
    pub fn excluded(&self) -> &[Exclusion] {
        &self.excluded
    }

    /// Indices of the experts in the aggregate.
    pub fn included(&self) -> &[usize] {
        &self.included
    }

    /// Weights of the included experts (renormalised), in the order of
    /// [`included`](Self::included).
    pub fn expert_weights_used(&self) -> &ExpertWeights {
        &self.used_weights
    }

    /// Goepel's consensus of the included experts' priorities.
    pub fn consensus(&self) -> &AhpConsensus {
        &self.consensus
    }

    /// Geometric compatibility index (GCOMPI) of every expert's matrix with the group
    /// priorities, in panel order (see
    /// [`PairwiseMatrix::geometric_compatibility`]); compare with
    /// [`gci_threshold`](crate::ahp::gci_threshold).
    pub fn compatibility(&self) -> &[f64] {
        &self.compatibility
    }
}

impl fmt::Display for PanelResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "group weights [")?;
        for (k, w) in self.weights.as_slice().iter().enumerate() {
            if k > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{w:.4}")?;
        }
        write!(f, "], {}", self.consensus)?;
        for e in &self.excluded {
            write!(f, "; {e}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everybody_excluded_is_an_error() {
        let bad = PairwiseMatrix::from_upper_triangle(3, &[9.0, 1.0 / 9.0, 9.0]).unwrap();
        let panel = Panel::new(vec![bad.clone(), bad]).unwrap();
        let opts = PanelOptions::new().with_exclude_above_cr(0.1).unwrap();
        assert!(matches!(
            panel.evaluate(&opts),
            Err(Error::Panel(PanelError::AllExpertsExcluded {
                experts: 2,
                ..
            }))
        ));
    }

    #[test]
    fn invalid_threshold() {
        assert!(PanelOptions::new().with_exclude_above_cr(f64::NAN).is_err());
        assert!(PanelOptions::new().with_exclude_above_cr(-0.1).is_err());
    }
}
