//! Gogus & Boucher (1998): the consistency of the middle matrix and of the geometric-mean
//! matrix of the bounds, each with its own random index.

use crate::ahp::{PairwiseMatrix, PriorityOptions, RandomIndex};
use crate::error::Result;
use crate::fuzzy_ahp::{CrispConsistency, FuzzyPairwiseMatrix};

/// Gogus & Boucher's random index of the middle matrix `A_m`: `GOGUS_BOUCHER_RI_MIDDLE[n]` is
/// `RI_m` for `n` criteria, `n <= 10` (0 for `n <= 2`).
///
/// Source: the values as printed in `Fuzzy_AHP.py` of the open-source project
/// `Ahad-M72/FAHP_With_Extent_Analysis` (archived as Zenodo, doi 10.5281/zenodo.13824776),
/// which attributes the consistency check to Gogus & Boucher (1998). The paper itself could
/// not be read for this release, so the table is not checked against it.
pub const GOGUS_BOUCHER_RI_MIDDLE: [f64; 11] = [
    0.0, 0.0, 0.0, 0.4890, 0.7937, 1.0720, 1.1996, 1.2874, 1.3410, 1.3793, 1.4095,
];

/// Gogus & Boucher's random index of the geometric-mean matrix `A_g`:
/// `GOGUS_BOUCHER_RI_GEOMETRIC[n]` is `RI_g` for `n` criteria, `n <= 10` (0 for `n <= 2`).
///
/// Source as for [`GOGUS_BOUCHER_RI_MIDDLE`]: `Fuzzy_AHP.py` of
/// `Ahad-M72/FAHP_With_Extent_Analysis` (Zenodo, doi 10.5281/zenodo.13824776); not checked
/// against the paper, which could not be read for this release.
pub const GOGUS_BOUCHER_RI_GEOMETRIC: [f64; 11] = [
    0.0, 0.0, 0.0, 0.1796, 0.2627, 0.3597, 0.3818, 0.4090, 0.4164, 0.4348, 0.4455,
];

/// The two crisp matrices of Gogus & Boucher and their consistency: `(A_m, A_g)`, with `w`
/// and `lambda` by the priority method of `opts` (its random-index table is replaced by the
/// convention's own).
///
/// # Errors
///
/// - [`AhpError::RandomIndexOutOfRange`](crate::AhpError::RandomIndexOutOfRange) (table
///   `custom`, `max_n = 10`) for more than 10 criteria;
/// - as [`PairwiseMatrix::priorities_with`] for each matrix.
pub(super) fn gogus_boucher(
    m: &FuzzyPairwiseMatrix,
    opts: &PriorityOptions,
) -> Result<(CrispConsistency, CrispConsistency)> {
    let n = m.n();
    let upper = || (0..n).flat_map(move |i| ((i + 1)..n).filter_map(move |j| m.get(i, j)));
    let middle: Vec<f64> = upper().map(|t| t.m()).collect();
    // sqrt(l) sqrt(u) rather than sqrt(l u): the product of two valid bounds may overflow
    let geometric: Vec<f64> = upper().map(|t| t.l().sqrt() * t.u().sqrt()).collect();
    let middle = crisp(n, &middle, opts, &GOGUS_BOUCHER_RI_MIDDLE)?;
    let geometric = crisp(n, &geometric, opts, &GOGUS_BOUCHER_RI_GEOMETRIC)?;
    Ok((middle, geometric))
}

/// The consistency of the reciprocal matrix with upper triangle `upper`, RI from `table`
/// (indexed by `n`).
fn crisp(
    n: usize,
    upper: &[f64],
    opts: &PriorityOptions,
    table: &[f64],
) -> Result<CrispConsistency> {
    // `RandomIndex::custom` is indexed by `n - 1`
    let table = RandomIndex::custom(table.get(1..).unwrap_or_default().to_vec())?;
    // the size is checked against the table before any work
    table.get(n)?;
    let p = PairwiseMatrix::from_upper_triangle(n, upper)?
        .priorities_with(&opts.clone().with_random_index(table))?;
    Ok(CrispConsistency::from_report(p.consistency()))
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn tables_cover_three_to_ten_and_grow() {
        for table in [GOGUS_BOUCHER_RI_MIDDLE, GOGUS_BOUCHER_RI_GEOMETRIC] {
            assert_eq!(table[..3], [0.0; 3]);
            assert!(table[3..].windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn crisp_judgements_give_two_identical_matrices() {
        // l = m = u: A_m = A_g, so both parts agree (but their RIs differ)
        let m = FuzzyPairwiseMatrix::from_upper_triangle(
            3,
            &[2.0, 5.0, 3.0].map(|x| crate::fuzzy_ahp::TriangularFuzzyNumber::crisp(x).unwrap()),
        )
        .unwrap();
        let (mid, geo) = gogus_boucher(&m, &PriorityOptions::default()).unwrap();
        assert_eq!(mid.lambda(), geo.lambda());
        assert_eq!(mid.ri(), 0.4890);
        assert_eq!(geo.ri(), 0.1796);
        assert!(mid.cr() > 0.0 && geo.cr() > mid.cr());
    }
}
