//! Shared by the `mcdm_*` tests: every objective weighting method with every convention, and
//! decision matrices from the reference files' encoding.

use service_quality::mcdm::{
    CriterionType, CriticConvention, DecisionMatrix, Dispersion, EntropyConvention, ObjectiveMethod,
};
use service_quality::Weights;

/// Every objective weighting method, with each named convention.
pub const ALL_OBJECTIVE: [ObjectiveMethod; 8] = [
    ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost),
    ObjectiveMethod::Entropy(EntropyConvention::ReciprocalCost),
    ObjectiveMethod::Entropy(EntropyConvention::PyDecision),
    ObjectiveMethod::Critic(CriticConvention::IgnoreCost),
    ObjectiveMethod::Critic(CriticConvention::OrientCost),
    ObjectiveMethod::CoefficientOfVariation,
    ObjectiveMethod::StandardDeviation(Dispersion::Raw),
    ObjectiveMethod::StandardDeviation(Dispersion::MinMax),
];

/// Criterion types as the reference files write them: `1` a benefit, `-1` a cost.
pub fn types(t: &[i32]) -> Vec<CriterionType> {
    t.iter()
        .map(|&x| {
            if x == 1 {
                CriterionType::Benefit
            } else {
                CriterionType::Cost
            }
        })
        .collect()
}

/// A decision matrix of reference rows, alternatives `A1..` and criteria `C1..`.
pub fn matrix(rows: &[Vec<f64>], t: &[i32]) -> DecisionMatrix {
    DecisionMatrix::new(
        (0..rows.len()).map(|i| format!("A{}", i + 1)).collect(),
        (0..t.len()).map(|j| format!("C{}", j + 1)).collect(),
        types(t),
        rows,
    )
    .expect("a valid reference matrix")
}

/// Reference weights, rescaled to sum to 1 (printed weights may sum to 1 ± a rounding unit).
pub fn weights(w: &[f64]) -> Weights {
    Weights::normalize(w).expect("reference weights")
}
