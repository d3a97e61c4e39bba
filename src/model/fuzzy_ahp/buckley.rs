//! Buckley's geometric-mean fuzzy AHP with centroid defuzzification.

use crate::ahp::{PairwiseMatrix, Priorities, PriorityOptions};
use crate::error::{Error, NumericError, Result};
use crate::fuzzy_ahp::{FuzzyPairwiseMatrix, TriangularFuzzyNumber};
use crate::model::weights::Weights;

/// The result of [`FuzzyPairwiseMatrix::buckley`].
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzyPriorities {
    fuzzy_weights: Vec<TriangularFuzzyNumber>,
    weights: Weights,
    defuzzified: PairwiseMatrix,
    consistency: Priorities,
}

impl FuzzyPriorities {
    /// The fuzzy weights `w~_i`.
    pub fn fuzzy_weights(&self) -> &[TriangularFuzzyNumber] {
        &self.fuzzy_weights
    }

    /// Crisp weights: centroids of the fuzzy weights, normalised to sum to 1.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The defuzzified matrix whose consistency is reported.
    pub fn defuzzified_matrix(&self) -> &PairwiseMatrix {
        &self.defuzzified
    }

    /// Priorities and consistency report (lambda_max, CI, CR) of the defuzzified matrix.
    pub fn consistency(&self) -> &Priorities {
        &self.consistency
    }
}

impl FuzzyPairwiseMatrix {
    /// Buckley's fuzzy geometric-mean weights, defuzzified by the centroid, and the
    /// consistency of the defuzzified matrix.
    ///
    /// ```text
    /// r_i  = (prod_j l_ij, prod_j m_ij, prod_j u_ij)^(1/n)             fuzzy row geometric mean
    /// w~_i = r_i ⊗ (sum_k r_k)^-1
    ///      = (r_i^l / sum_k r_k^u, r_i^m / sum_k r_k^m, r_i^u / sum_k r_k^l)
    /// w_i  = centroid(w~_i) / sum_k centroid(w~_k)                    crisp weights
    /// ```
    ///
    /// With crisp judgements (`l = m = u`) this is exactly the row geometric mean method.
    /// Consistency is checked on the defuzzified matrix: upper entries are the centroids
    /// `(l_ij + m_ij + u_ij) / 3`, lower entries their reciprocals (the centroid of the
    /// reciprocal triangle is not the reciprocal of the centroid, so only the upper triangle is
    /// used); its priorities and CR use `opts`.
    ///
    /// # Errors
    ///
    /// - [`NumericError::NumericalRange`] when products leave the range of `f64`;
    /// - errors of [`PairwiseMatrix::priorities_with`] for the consistency report.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{FuzzyPairwiseMatrix, PriorityOptions};
    ///
    /// let m = FuzzyPairwiseMatrix::from_saaty_upper(3, &[3.0, 5.0, 2.0])?;
    /// let p = m.buckley(&PriorityOptions::default())?;
    /// assert!(p.weights().as_slice()[0] > p.weights().as_slice()[1]);
    /// assert!(p.consistency().cr() < 0.1);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    ///
    /// # References
    ///
    /// - J. J. Buckley, "Fuzzy hierarchical analysis", *Fuzzy Sets and Systems* 17, 233–247,
    ///   1985.
    pub fn buckley(&self, opts: &PriorityOptions) -> Result<FuzzyPriorities> {
        let n = self.n();
        let inv_n = 1.0 / n as f64;
        let a = self.as_slice();
        let range = Error::Numeric(NumericError::NumericalRange {
            what: "fuzzy geometric mean",
        });
        // logs keep long products in range
        let mut r: Vec<[f64; 3]> = Vec::with_capacity(n);
        for row in a.chunks_exact(n) {
            let mut logs = [0.0; 3];
            for x in row {
                logs[0] += x.l().ln();
                logs[1] += x.m().ln();
                logs[2] += x.u().ln();
            }
            r.push(logs.map(|s| (s * inv_n).exp()));
        }
        let sums = [0, 1, 2].map(|k| r.iter().map(|ri| ri[k]).sum::<f64>());
        if sums.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
            return Err(range);
        }
        let fuzzy_weights = r
            .iter()
            .map(|ri| {
                TriangularFuzzyNumber::new(ri[0] / sums[2], ri[1] / sums[1], ri[2] / sums[0])
                    .map_err(|_| range.clone())
            })
            .collect::<Result<Vec<_>>>()?;
        let centroids: Vec<f64> = fuzzy_weights.iter().map(|w| w.centroid()).collect();
        let weights = Weights::normalize(&centroids).map_err(|_| range.clone())?;
        let upper: Vec<f64> = (0..n)
            .flat_map(|i| ((i + 1)..n).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j].centroid())
            .collect();
        let defuzzified = PairwiseMatrix::from_upper_triangle(n, &upper)?;
        let consistency = defuzzified.priorities_with(opts)?;
        Ok(FuzzyPriorities {
            fuzzy_weights,
            weights,
            defuzzified,
            consistency,
        })
    }
}
