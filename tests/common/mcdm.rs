//! Shared by the `mcdm_*` tests: every objective weighting method with every convention.

use service_quality::mcdm::{CriticConvention, Dispersion, EntropyConvention, ObjectiveMethod};

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
