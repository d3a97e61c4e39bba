//! Fuzzy AHP: triangular fuzzy judgements and Buckley's geometric-mean method.
//!
//! Experts who hesitate between two scale values give a triangular fuzzy number
//! `(l, m, u)` instead of one value ([`TriangularFuzzyNumber`], [`fuzzy_saaty`]). A
//! [`FuzzyPairwiseMatrix`] is reciprocal by construction, and
//! [`FuzzyPairwiseMatrix::buckley`] derives fuzzy weights by Buckley's fuzzy row geometric
//! mean, defuzzifies them by their centroids and reports the consistency of the defuzzified
//! matrix:
//!
//! ```text
//! r_i  = (prod_j a~_ij)^(1/n)         w~_i = r_i ⊗ (sum_k r_k)^-1
//! w_i  = centroid(w~_i) / sum_k centroid(w~_k),  centroid(l, m, u) = (l + m + u) / 3
//! ```
//!
//! Consistency is measured in the convention the caller names
//! ([`FuzzyConsistencyConvention`]): the centroid-defuzzified upper triangle with the
//! eigenvector lambda (what [`FuzzyPairwiseMatrix::buckley`] reports), pyDecision's graded
//! mean of the whole matrix with lambda from the Buckley weights, or Gogus & Boucher's pair
//! of CRs (the middle matrix and the geometric-mean matrix of the bounds, each with its own
//! random index); the result ([`FuzzyConsistency`]) records which.
//!
//! Chang's extent analysis is deliberately not offered: it can give weight 0 to criteria that
//! are not unimportant (Wang, Luo & Hua 2008).
//!
//! # References
//!
//! - J. J. Buckley, "Fuzzy hierarchical analysis", *Fuzzy Sets and Systems* 17, 233–247, 1985.
//! - O. Gogus, T. O. Boucher, "Strong transitivity, rationality and weak monotonicity in fuzzy
//!   pairwise comparisons", *Fuzzy Sets and Systems* 94(1), 133–144, 1998.
//! - Y.-M. Wang, Y. Luo, Z. Hua, "On the extent analysis method for fuzzy AHP and its
//!   applications", *EJOR* 186, 735–747, 2008.

mod buckley;
mod consistency;
mod crisp;
mod gogus_boucher;
mod matrix;
mod number;
mod scale;

pub use buckley::FuzzyPriorities;
pub use consistency::{FuzzyConsistency, FuzzyConsistencyConvention, PYDECISION_RANDOM_INDEX};
pub use crisp::CrispConsistency;
pub use gogus_boucher::{GOGUS_BOUCHER_RI_GEOMETRIC, GOGUS_BOUCHER_RI_MIDDLE};
pub use matrix::FuzzyPairwiseMatrix;
pub use number::TriangularFuzzyNumber;
pub use scale::fuzzy_saaty;
