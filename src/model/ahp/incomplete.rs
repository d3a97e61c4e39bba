//! Incomplete pairwise comparison matrices and their completion.

use nalgebra::{DMatrix, DVector};

use crate::ahp::completion::{Completion, CompletionMethod, CompletionOptions, FilledEntry};
use crate::ahp::matrix::PairwiseMatrix;
use crate::ahp::priority::{principal_eigen, principal_eigen_warm};
use crate::error::{AhpError, ArgumentError, NumericError, Result};
use crate::numeric::{is_positive_finite, RECIPROCAL_RTOL};

/// Tolerance of the power iterations inside the completion methods.
const INNER_EIGEN_TOL: f64 = 1e-14;
/// Iteration cap of the power iterations inside the completion methods.
const INNER_MAX_ITER: usize = 100_000;
/// Cap on regula falsi steps on one coordinate of the optimal completion.
const BISECTION_STEPS: usize = 200;
/// First trial step (in `t = ln a_ij`) when bracketing a coordinate's minimum.
const FIRST_STEP: f64 = 1e-3;
/// Judgements beyond `1 / BALANCE_ABOVE..=BALANCE_ABOVE` make the completions work on the
/// matrix scaled by the log-least-squares logs.
const BALANCE_ABOVE: f64 = 1e50;

/// A pairwise comparison matrix in which some pairs have no judgement.
///
/// Built from `(i, j, value)` judgements (`i` is `value` times as important as `j`); pairs
/// not listed are missing. [`complete`](Self::complete) fills them. The comparison graph
/// (criteria as vertices, judged pairs as edges) must be connected for a completion to exist;
/// [`components`](Self::components) lists its connected groups.
///
/// # Examples
///
/// ```
/// use service_quality::{CompletionMethod, IncompleteMatrix};
///
/// // a vs b, b vs c given; a vs c missing
/// let m = IncompleteMatrix::from_judgements(3, &[(0, 1, 2.0), (1, 2, 3.0)])?;
/// assert_eq!(m.missing_pairs(), vec![(0, 2)]);
/// let c = m.complete(CompletionMethod::Optimal)?;
/// assert!((c.matrix().get(0, 2).unwrap() - 6.0).abs() < 1e-9);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IncompleteMatrix {
    n: usize,
    /// Row-major; `None` for a missing pair, diagonal `Some(1.0)`.
    data: Vec<Option<f64>>,
}

impl IncompleteMatrix {
    /// An `n x n` matrix from `(i, j, value)` judgements; unlisted pairs are missing.
    ///
    /// A judgement `(j, i, v)` with `j > i` is stored as `a_ij = 1 / v`; listing a pair twice
    /// with consistent values is allowed.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] when `n == 0`, [`AhpError::TooManyCriteria`] when
    ///   `n >` [`MAX_CRITERIA`](crate::MAX_CRITERIA);
    /// - [`AhpError::JudgementOutOfRange`] when an index is `>= n`;
    /// - [`AhpError::InvalidEntry`] for a value that is NaN, infinite, `<= 0` or whose reciprocal
    ///   is not finite;
    /// - [`AhpError::SelfJudgement`] for `(i, i, v)` with `|v - 1| > RECIPROCAL_RTOL`;
    /// - [`AhpError::ConflictingJudgement`] for a pair listed twice with different values.
    pub fn from_judgements(n: usize, judgements: &[(usize, usize, f64)]) -> Result<Self> {
        crate::numeric::check_criteria(n, "pairwise matrix")?;
        let mut data: Vec<Option<f64>> = vec![None; n * n];
        for i in 0..n {
            data[i * n + i] = Some(1.0);
        }
        for &(i, j, v) in judgements {
            if i >= n || j >= n {
                return Err(AhpError::JudgementOutOfRange { i, j, n }.into());
            }
            if !(is_positive_finite(v) && is_positive_finite(1.0 / v)) {
                return Err(AhpError::InvalidEntry {
                    row: i,
                    col: j,
                    value: v,
                }
                .into());
            }
            if i == j {
                if !((v - 1.0).abs() <= RECIPROCAL_RTOL) {
                    return Err(AhpError::SelfJudgement { index: i, value: v }.into());
                }
                continue;
            }
            let (r, c, value) = if i < j { (i, j, v) } else { (j, i, 1.0 / v) };
            match data[r * n + c] {
                None => {
                    data[r * n + c] = Some(value);
                    data[c * n + r] = Some(1.0 / value);
                }
                Some(first) => {
                    if !((first / value - 1.0).abs() <= RECIPROCAL_RTOL) {
                        return Err(AhpError::ConflictingJudgement {
                            i: r,
                            j: c,
                            first,
                            second: value,
                        }
                        .into());
                    }
                }
            }
        }
        Ok(Self { n, data })
    }

    /// An `n x n` matrix from the `n(n-1)/2` entries above the diagonal, row by row, `None`
    /// for a missing pair.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::Empty`], [`ArgumentError::LengthMismatch`], and [`AhpError::InvalidEntry`]
    /// as in [`from_judgements`](Self::from_judgements).
    pub fn from_upper_triangle(n: usize, upper: &[Option<f64>]) -> Result<Self> {
        crate::numeric::check_criteria(n, "pairwise matrix")?;
        let expected = n * n.saturating_sub(1) / 2;
        if n > 0 && upper.len() != expected {
            return Err(ArgumentError::LengthMismatch {
                what: "upper triangle of a pairwise matrix",
                expected,
                found: upper.len(),
            }
            .into());
        }
        let pairs = (0..n).flat_map(|i| ((i + 1)..n).map(move |j| (i, j)));
        let judgements: Vec<(usize, usize, f64)> = pairs
            .zip(upper)
            .filter_map(|((i, j), v)| v.map(|v| (i, j, v)))
            .collect();
        Self::from_judgements(n, &judgements)
    }

    /// Number of criteria.
    pub fn n(&self) -> usize {
        self.n
    }

    /// `a_ij` if given (`Some(1.0)` on the diagonal), `None` if missing or out of range.
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        if i < self.n && j < self.n {
            self.data[i * self.n + j]
        } else {
            None
        }
    }

    /// The missing pairs `(i, j)`, `i < j`, row-major.
    pub fn missing_pairs(&self) -> Vec<(usize, usize)> {
        let n = self.n;
        (0..n)
            .flat_map(|i| ((i + 1)..n).map(move |j| (i, j)))
            .filter(|&(i, j)| self.data[i * n + j].is_none())
            .collect()
    }

    /// `true` when no pair is missing.
    pub fn is_complete(&self) -> bool {
        self.data.iter().all(Option::is_some)
    }

    /// Connected groups of the comparison graph: each group sorted, groups ordered by their
    /// smallest criterion. One group means the judgements link all criteria.
    pub fn components(&self) -> Vec<Vec<usize>> {
        let n = self.n;
        let mut group = vec![usize::MAX; n];
        let mut out: Vec<Vec<usize>> = Vec::new();
        for start in 0..n {
            if group[start] != usize::MAX {
                continue;
            }
            let g = out.len();
            let mut members = vec![start];
            group[start] = g;
            let mut stack = vec![start];
            while let Some(v) = stack.pop() {
                for (u, gu) in group.iter_mut().enumerate() {
                    if *gu == usize::MAX && self.data[v * n + u].is_some() {
                        *gu = g;
                        members.push(u);
                        stack.push(u);
                    }
                }
            }
            members.sort_unstable();
            out.push(members);
        }
        out
    }

    /// The matrix as a [`PairwiseMatrix`] when no pair is missing.
    ///
    /// # Errors
    ///
    /// [`AhpError::MissingJudgement`] naming the first missing pair.
    pub fn to_complete(&self) -> Result<PairwiseMatrix> {
        if let Some(&(i, j)) = self.missing_pairs().first() {
            return Err(AhpError::MissingJudgement { i, j }.into());
        }
        Ok(PairwiseMatrix::from_data_unchecked(
            self.n,
            self.data.iter().map(|x| x.unwrap_or(1.0)).collect(),
        ))
    }

    /// Completes the matrix by `method` with default options (see [`CompletionOptions`]).
    ///
    /// # Errors
    ///
    /// As [`complete_with`](Self::complete_with).
    pub fn complete(&self, method: CompletionMethod) -> Result<Completion> {
        self.complete_with(&CompletionOptions::new(method))
    }

    /// Completes the matrix (see [`CompletionMethod`]); a matrix with nothing missing is
    /// returned unchanged.
    ///
    /// # Errors
    ///
    /// - [`AhpError::DisconnectedComparisons`] with the groups of criteria that no chain of
    ///   judgements links;
    /// - [`NumericError::NoConvergence`] when the optimal completion does not reach the tolerance
    ///   within the cycle cap, or a power iteration does not converge;
    /// - [`NumericError::NumericalRange`] for entries so far apart that values overflow;
    /// - errors of [`PairwiseMatrix::priorities_with`] for the report (for example
    ///   [`AhpError::RandomIndexOutOfRange`]).
    pub fn complete_with(&self, opts: &CompletionOptions) -> Result<Completion> {
        let groups = self.components();
        if groups.len() > 1 {
            return Err(AhpError::DisconnectedComparisons { groups }.into());
        }
        let missing = self.missing_pairs();
        let (data, cycles) = if missing.is_empty() {
            (self.to_complete()?.as_slice().to_vec(), None)
        } else {
            match opts.method {
                CompletionMethod::Harker => (self.harker()?, None),
                CompletionMethod::LogLeastSquares => (self.fill_llsm()?, None),
                CompletionMethod::Optimal => {
                    let (d, c) = self.optimal(&missing, opts.tol, opts.max_cycles)?;
                    (d, Some(c))
                }
            }
        };
        let n = self.n;
        let matrix = PairwiseMatrix::from_data_unchecked(n, data);
        let filled = missing
            .iter()
            .map(|&(i, j)| FilledEntry {
                i,
                j,
                value: matrix.as_slice()[i * n + j],
            })
            .collect();
        let priorities = matrix.priorities_with(&opts.priority)?;
        Ok(Completion {
            matrix,
            filled,
            method: opts.method,
            priorities,
            cycles,
        })
    }

    /// Harker: eigenvector of the modified matrix, missing entries `w_i / w_j`.
    ///
    /// With judgements beyond `1e-50..=1e50` the modified matrix is first scaled to
    /// `D^-1 C D`, `D = diag(e^y)` with `y` the log-least-squares logs (same eigenvalues,
    /// eigenvector `D^-1 w`), so the power iteration works on moderate numbers.
    fn harker(&self) -> Result<Vec<f64>> {
        let n = self.n;
        let y = self.balance_logs()?.unwrap_or_else(|| vec![0.0; n]);
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            let mut missing_in_row = 0usize;
            for j in 0..n {
                match self.data[i * n + j] {
                    Some(v) if i != j => c[i * n + j] = scaled(v, y[j] - y[i]),
                    Some(_) => {}
                    None => missing_in_row += 1,
                }
            }
            c[i * n + i] = 1.0 + missing_in_row as f64;
        }
        let (w, _) = principal_eigen(n, &c, INNER_EIGEN_TOL, INNER_MAX_ITER)?;
        self.fill_with(|i, j| scaled(w[i] / w[j], y[i] - y[j]))
    }

    /// `None` when every given judgement lies in `1e-50..=1e50` (the iterations run on the
    /// entries as they are), else the log-least-squares logs `y` that scale the matrix to
    /// `b_ij = a_ij e^(y_j - y_i)`, entries of moderate size unless the judgements are wildly
    /// inconsistent.
    fn balance_logs(&self) -> Result<Option<Vec<f64>>> {
        let moderate = self
            .data
            .iter()
            .flatten()
            .all(|&v| (1.0 / BALANCE_ABOVE..=BALANCE_ABOVE).contains(&v));
        if moderate {
            Ok(None)
        } else {
            self.llsm_logs().map(Some)
        }
    }

    /// Logarithmic least squares priorities `y = ln w` (sum 0) on the given judgements.
    fn llsm_logs(&self) -> Result<Vec<f64>> {
        let n = self.n;
        // (L + 1 1^T) y = r: L is singular with kernel 1 for a connected graph, r sums to 0,
        // so the solution has sum 0 and solves L y = r
        let mut l = DMatrix::<f64>::from_element(n, n, 1.0);
        let mut r = DVector::<f64>::zeros(n);
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                if let Some(v) = self.data[i * n + j] {
                    l[(i, i)] += 1.0;
                    l[(i, j)] -= 1.0;
                    r[i] += v.ln();
                }
            }
        }
        let y = l.lu().solve(&r).ok_or(NumericError::NumericalRange {
            what: "logarithmic least squares solve",
        })?;
        if y.iter().any(|x| !x.is_finite()) {
            return Err(NumericError::NumericalRange {
                what: "logarithmic least squares solve",
            }
            .into());
        }
        Ok(y.iter().copied().collect())
    }

    fn fill_llsm(&self) -> Result<Vec<f64>> {
        let y = self.llsm_logs()?;
        self.fill_with(|i, j| (y[i] - y[j]).exp())
    }

    /// Full row-major data with missing `a_ij = f(i, j)`, `a_ji = 1 / a_ij`.
    fn fill_with(&self, f: impl Fn(usize, usize) -> f64) -> Result<Vec<f64>> {
        let n = self.n;
        let mut data: Vec<f64> = self.data.iter().map(|x| x.unwrap_or(0.0)).collect();
        for i in 0..n {
            for j in (i + 1)..n {
                if self.data[i * n + j].is_none() {
                    let v = f(i, j);
                    if !(is_positive_finite(v) && is_positive_finite(1.0 / v)) {
                        return Err(NumericError::NumericalRange {
                            what: "completion of missing judgements",
                        }
                        .into());
                    }
                    data[i * n + j] = v;
                    data[j * n + i] = 1.0 / v;
                }
            }
        }
        Ok(data)
    }

    /// Bozóki–Fülöp–Rónyai: cyclic coordinates on `t = ln a_ij` of the missing entries.
    ///
    /// With judgements beyond `1e-50..=1e50` the search runs on the scaled matrix
    /// `b_ij = a_ij e^(y_j - y_i)` (`y` the log-least-squares logs), which has the same
    /// `lambda_max` for every choice of the missing entries; they are scaled back at the end.
    fn optimal(
        &self,
        missing: &[(usize, usize)],
        tol: f64,
        max_cycles: usize,
    ) -> Result<(Vec<f64>, usize)> {
        let n = self.n;
        let balance = self.balance_logs()?;
        let mut data = match &balance {
            None => self.fill_llsm()?,
            // the log-least-squares start is 1 in the scaled matrix
            Some(y) => (0..n * n)
                .map(|k| match self.data[k] {
                    Some(v) => scaled(v, y[k % n] - y[k / n]),
                    None => 1.0,
                })
                .collect(),
        };
        let mut last_change = f64::INFINITY;
        let mut state = PerronState::new(n);
        for cycle in 1..=max_cycles {
            let mut change = 0.0f64;
            for &(i, j) in missing {
                let t0 = data[i * n + j].ln();
                let t = minimise_coordinate(&mut state, &mut data, (i, j), t0, tol)?;
                change = change.max((t - t0).abs());
                set_entry(n, &mut data, i, j, t);
            }
            if change <= tol {
                if let Some(y) = &balance {
                    let b = data;
                    data = self.fill_with(|i, j| scaled(b[i * n + j], y[i] - y[j]))?;
                }
                return Ok((data, cycle));
            }
            last_change = change;
        }
        Err(NumericError::NoConvergence {
            max_iter: max_cycles,
            last_change,
            tol,
        }
        .into())
    }
}

/// `v e^s` computed as `e^(ln v + s)`, so that neither factor over- or underflows on its own;
/// `v` itself when `s == 0`.
fn scaled(v: f64, s: f64) -> f64 {
    if s == 0.0 {
        v
    } else {
        (v.ln() + s).exp()
    }
}

fn set_entry(n: usize, data: &mut [f64], i: usize, j: usize, t: f64) {
    data[i * n + j] = t.exp();
    data[j * n + i] = (-t).exp();
}

/// Right and left Perron vectors kept between slope evaluations: successive matrices differ
/// in one entry, so each power iteration starts next to its answer.
struct PerronState {
    n: usize,
    right: Vec<f64>,
    left: Vec<f64>,
    transposed: Vec<f64>,
    scratch: Vec<f64>,
}

impl PerronState {
    fn new(n: usize) -> Self {
        Self {
            n,
            right: vec![1.0 / n as f64; n],
            left: vec![1.0 / n as f64; n],
            transposed: vec![0.0; n * n],
            scratch: vec![0.0; n],
        }
    }

    /// `d lambda_max / d t` for `a_ij = e^t`, `a_ji = e^-t`, at the current `data`:
    /// `(v_i a_ij w_j - v_j a_ji w_i) / (v . w)` with `v`, `w` the left and right Perron
    /// vectors.
    fn slope(&mut self, data: &[f64], i: usize, j: usize) -> Result<f64> {
        let n = self.n;
        principal_eigen_warm(
            n,
            data,
            &mut self.right,
            &mut self.scratch,
            INNER_EIGEN_TOL,
            INNER_MAX_ITER,
        )?;
        for r in 0..n {
            for c in 0..n {
                self.transposed[c * n + r] = data[r * n + c];
            }
        }
        principal_eigen_warm(
            n,
            &self.transposed,
            &mut self.left,
            &mut self.scratch,
            INNER_EIGEN_TOL,
            INNER_MAX_ITER,
        )?;
        let (v, w) = (&self.left, &self.right);
        let vw: f64 = v.iter().zip(w).map(|(a, b)| a * b).sum();
        let slope = (v[i] * data[i * n + j] * w[j] - v[j] * data[j * n + i] * w[i]) / vw;
        if slope.is_finite() {
            Ok(slope)
        } else {
            Err(NumericError::NumericalRange {
                what: "optimal completion",
            }
            .into())
        }
    }
}

/// Minimiser in `t` of the convex `lambda_max(t)` for entry `(i, j)`, from `t0`: bracket the
/// sign change of the slope by doubling steps, then the Illinois variant of regula falsi on
/// the slope until the estimate moves by at most `tol / 100`.
fn minimise_coordinate(
    state: &mut PerronState,
    data: &mut [f64],
    (i, j): (usize, usize),
    t0: f64,
    tol: f64,
) -> Result<f64> {
    /// Largest |t| searched: entries beyond e^±700 overflow f64.
    const T_LIMIT: f64 = 700.0;
    let n = state.n;
    let mut slope_at = |t: f64| -> Result<f64> {
        set_entry(n, data, i, j, t);
        state.slope(data, i, j)
    };
    let s0 = slope_at(t0)?;
    // move against the slope until it changes sign
    let dir = if s0 > 0.0 { -1.0 } else { 1.0 };
    let (mut lo, mut s_lo, mut hi, mut s_hi) = (t0, s0, t0, s0);
    let mut step = FIRST_STEP;
    loop {
        let t = t0 + dir * step;
        if !(t.abs() <= T_LIMIT) {
            return Err(NumericError::NumericalRange {
                what: "optimal completion",
            }
            .into());
        }
        let s = slope_at(t)?;
        let crossed = dir * s >= 0.0;
        if dir > 0.0 {
            if crossed {
                (hi, s_hi) = (t, s);
            } else {
                (lo, s_lo) = (t, s);
            }
        } else if crossed {
            (lo, s_lo) = (t, s);
        } else {
            (hi, s_hi) = (t, s);
        }
        if crossed {
            break;
        }
        step *= 2.0;
    }
    // now s_lo < 0 <= s_hi (up to the sign of an exact zero)
    let mut x = t0;
    let mut last_side = 0i8;
    for _ in 0..BISECTION_STEPS {
        let denom = s_hi - s_lo;
        let mut c = if denom > 0.0 {
            (lo * s_hi - hi * s_lo) / denom
        } else {
            0.5 * (lo + hi)
        };
        if !(c > lo && c < hi) {
            c = 0.5 * (lo + hi);
        }
        let moved = (c - x).abs();
        x = c;
        if moved <= 1e-2 * tol || hi - lo <= 1e-2 * tol {
            break;
        }
        let s = slope_at(c)?;
        if s < 0.0 {
            (lo, s_lo) = (c, s);
            if last_side == -1 {
                s_hi *= 0.5;
            }
            last_side = -1;
        } else {
            (hi, s_hi) = (c, s);
            if last_side == 1 {
                s_lo *= 0.5;
            }
            last_side = 1;
        }
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn disconnected_graph_names_groups() {
        let m = IncompleteMatrix::from_judgements(4, &[(0, 2, 2.0), (1, 3, 3.0)]).unwrap();
        assert_eq!(
            m.complete(CompletionMethod::Harker),
            Err(Error::Ahp(AhpError::DisconnectedComparisons {
                groups: vec![vec![0, 2], vec![1, 3]]
            }))
        );
    }

    #[test]
    fn consistent_chain_is_completed_exactly_by_every_method() {
        // spanning tree of w = (8, 4, 2, 1): every method must give w_i / w_j
        let m =
            IncompleteMatrix::from_judgements(4, &[(0, 1, 2.0), (2, 1, 0.5), (3, 2, 0.5)]).unwrap();
        for method in [
            CompletionMethod::Harker,
            CompletionMethod::LogLeastSquares,
            CompletionMethod::Optimal,
        ] {
            let c = m.complete(method).unwrap();
            assert!(
                (c.matrix().get(0, 3).unwrap() - 8.0).abs() < 1e-9,
                "{method:?}"
            );
            assert!(c.priorities().cr().abs() < 1e-9);
        }
    }

    #[test]
    fn out_of_range_and_conflicts() {
        assert_eq!(
            IncompleteMatrix::from_judgements(3, &[(0, 3, 2.0)]),
            Err(Error::Ahp(AhpError::JudgementOutOfRange {
                i: 0,
                j: 3,
                n: 3
            }))
        );
        assert!(matches!(
            IncompleteMatrix::from_judgements(3, &[(0, 1, 2.0), (1, 0, 2.0)]),
            Err(Error::Ahp(AhpError::ConflictingJudgement {
                i: 0,
                j: 1,
                ..
            }))
        ));
        assert!(matches!(
            IncompleteMatrix::from_judgements(3, &[(0, 1, 1e-320)]),
            Err(Error::Ahp(AhpError::InvalidEntry { .. }))
        ));
    }
}
