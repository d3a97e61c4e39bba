//! The assignment problem: give each row its own column so that the summed weight is largest
//! (Kuhn's Hungarian method with potentials, O(n² m)).
//!
//! Used to give each dimension of the hierarchy its own factor in the structure-validity table.
//!
//! # References
//!
//! H. W. Kuhn (1955), "The Hungarian method for the assignment problem", *Naval Research
//! Logistics Quarterly* 2, 83–97; J. Munkres (1957), "Algorithms for the assignment and
//! transportation problems", *J. SIAM* 5(1), 32–38.

/// For `weights` with `n` rows of `m >= n` finite values each, the column of each row in an
/// assignment of distinct columns whose summed weight is largest (one of the best when several
/// tie). `None` when a row is longer or shorter than the first, when there are more rows than
/// columns, or when a weight is not finite.
pub(crate) fn max_weight_assignment(weights: &[Vec<f64>]) -> Option<Vec<usize>> {
    let n = weights.len();
    let m = weights.first().map_or(0, Vec::len);
    if n > m || weights.iter().flatten().any(|w| !w.is_finite()) {
        return None;
    }
    if weights.iter().any(|row| row.len() != m) {
        return None;
    }
    if n == 0 {
        return Some(Vec::new());
    }
    // minimise the cost -weight; 1-based arrays with a sentinel row and column 0
    let cost = |i: usize, j: usize| -weights[i - 1][j - 1];
    let mut u = vec![0.0_f64; n + 1];
    let mut v = vec![0.0_f64; m + 1];
    let mut row_of = vec![0_usize; m + 1];
    let mut way = vec![0_usize; m + 1];
    for i in 1..=n {
        row_of[0] = i;
        let mut j0 = 0;
        let mut min_to = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = row_of[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let reduced = cost(i0, j) - u[i0] - v[j];
                    if reduced < min_to[j] {
                        min_to[j] = reduced;
                        way[j] = j0;
                    }
                    if min_to[j] < delta {
                        delta = min_to[j];
                        j1 = j;
                    }
                }
            }
            if j1 == 0 {
                // unreachable with finite weights; refuse rather than loop
                return None;
            }
            for j in 0..=m {
                if used[j] {
                    u[row_of[j]] += delta;
                    v[j] -= delta;
                } else {
                    min_to[j] -= delta;
                }
            }
            j0 = j1;
            if row_of[j0] == 0 {
                break;
            }
        }
        // walk the augmenting path back
        loop {
            let j1 = way[j0];
            row_of[j0] = row_of[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut column_of = vec![0; n];
    for j in 1..=m {
        if row_of[j] > 0 {
            column_of[row_of[j] - 1] = j - 1;
        }
    }
    Some(column_of)
}

#[cfg(test)]
mod tests {
    use super::max_weight_assignment;
    use proptest::prelude::*;

    /// The best summed weight over every injective map of rows to columns.
    fn brute_force(weights: &[Vec<f64>]) -> f64 {
        fn go(weights: &[Vec<f64>], row: usize, used: &mut Vec<bool>) -> f64 {
            if row == weights.len() {
                return 0.0;
            }
            let mut best = f64::NEG_INFINITY;
            for j in 0..used.len() {
                if !used[j] {
                    used[j] = true;
                    best = best.max(weights[row][j] + go(weights, row + 1, used));
                    used[j] = false;
                }
            }
            best
        }
        let m = weights.first().map_or(0, Vec::len);
        go(weights, 0, &mut vec![false; m])
    }

    fn total(weights: &[Vec<f64>], columns: &[usize]) -> f64 {
        columns
            .iter()
            .enumerate()
            .map(|(i, &j)| weights[i][j])
            .sum()
    }

    #[test]
    fn two_rows_that_want_the_same_column() {
        // both prefer column 0; the best assignment gives it to row 1 (7 + 4 > 5 + 5)
        let w = vec![vec![5.0, 4.0, 0.0], vec![7.0, 5.0, 1.0]];
        assert_eq!(max_weight_assignment(&w), Some(vec![1, 0]));
    }

    #[test]
    fn bad_shapes_and_values_are_refused() {
        assert_eq!(max_weight_assignment(&[vec![1.0], vec![2.0]]), None);
        assert_eq!(max_weight_assignment(&[vec![1.0, 2.0], vec![2.0]]), None);
        assert_eq!(max_weight_assignment(&[vec![f64::NAN, 2.0]]), None);
        assert_eq!(max_weight_assignment(&[]), Some(vec![]));
    }

    proptest! {
        #[test]
        fn matches_brute_force(
            (n, m, flat) in (1usize..=5, 0usize..=2).prop_flat_map(|(n, extra)| {
                let m = n + extra;
                (Just(n), Just(m), proptest::collection::vec(-3i32..=6, n * m))
            })
        ) {
            // small integers make ties frequent, which is where assignment codes go wrong
            let w: Vec<Vec<f64>> = flat.chunks(m).map(|r| r.iter().map(|&x| f64::from(x)).collect()).collect();
            let got = max_weight_assignment(&w).expect("valid");
            let mut seen = got.clone();
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), n, "columns are distinct");
            prop_assert!(got.iter().all(|&j| j < m));
            let best = brute_force(&w);
            prop_assert!((total(&w, &got) - best).abs() < 1e-9, "{} vs {}", total(&w, &got), best);
        }
    }
}
