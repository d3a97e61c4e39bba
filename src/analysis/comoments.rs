//! `CovarianceAccumulator`: the co-moments of every pair of variables in one pass over the
//! rows, for Cronbach's alpha and Pearson correlations of files too large to hold as a table.

use crate::error::{AnalysisError, Result};

use super::correlation::{pearson_from_sums, CorrelationMatrix, CorrelationMethod};

/// Sums over the rows where both variables of a pair are present, of values shifted by each
/// variable's first observed value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct PairSums {
    n: u64,
    sx: f64,
    sy: f64,
    sxy: f64,
    sxx: f64,
    syy: f64,
    /// Smallest and largest value of each variable over these rows (constancy is decided on
    /// them, not on sums that rounding may leave a hair above zero).
    x_range: (f64, f64),
    y_range: (f64, f64),
}

impl PairSums {
    fn add(&self, other: &Self) -> Self {
        let lo = |a: (f64, f64), b: (f64, f64), na: u64, nb: u64| match (na, nb) {
            (0, _) => b,
            (_, 0) => a,
            _ => (a.0.min(b.0), a.1.max(b.1)),
        };
        Self {
            n: self.n + other.n,
            sx: self.sx + other.sx,
            sy: self.sy + other.sy,
            sxy: self.sxy + other.sxy,
            sxx: self.sxx + other.sxx,
            syy: self.syy + other.syy,
            x_range: lo(self.x_range, other.x_range, self.n, other.n),
            y_range: lo(self.y_range, other.y_range, self.n, other.n),
        }
    }

    fn push(&mut self, x: f64, y: f64, dx: f64, dy: f64) {
        if self.n == 0 {
            self.x_range = (x, x);
            self.y_range = (y, y);
        } else {
            self.x_range = (self.x_range.0.min(x), self.x_range.1.max(x));
            self.y_range = (self.y_range.0.min(y), self.y_range.1.max(y));
        }
        self.n += 1;
        self.sx += dx;
        self.sy += dy;
        self.sxy += dx * dy;
        self.sxx += dx * dx;
        self.syy += dy * dy;
    }

    /// Co-moment, and the two sums of squared deviations, about the pair's own means.
    fn centred(&self) -> (f64, f64, f64) {
        let n = self.n as f64;
        let constant = |r: (f64, f64)| !(r.1 > r.0);
        let sxx = if constant(self.x_range) {
            0.0
        } else {
            (self.sxx - self.sx * self.sx / n).max(0.0)
        };
        let syy = if constant(self.y_range) {
            0.0
        } else {
            (self.syy - self.sy * self.sy / n).max(0.0)
        };
        let sxy = if sxx > 0.0 && syy > 0.0 {
            self.sxy - self.sx * self.sy / n
        } else {
            0.0
        };
        (sxy, sxx, syy)
    }
}

/// The co-moments of every pair of variables, accumulated one row at a time: enough for
/// [`Reliability::from_comoments`](super::Reliability::from_comoments) (listwise or
/// pairwise) and [`pearson`](Self::pearson), without keeping the rows.
///
/// Each value is shifted by its variable's first observed value before it is summed (the
/// "shifted data" algorithm: sums of deviations from a value inside the data's range, so the
/// subtraction `Σd² − (Σd)²/n` cancels little), and rows with every variable present update one
/// dense block of sums while rows with a missing value update only the pairs they have. Answer
/// codes (small integers) are summed exactly, so the results equal those computed from the
/// table; for other data they agree to rounding (tested to 1e-12 relative).
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{CovarianceAccumulator, CorrelationMatrix, CorrelationMethod, MissingPolicy, Reliability, Responses};
///
/// let rows = vec![
///     vec![Some(4.0), Some(4.0), Some(3.0)],
///     vec![Some(2.0), Some(3.0), Some(2.0)],
///     vec![Some(5.0), Some(4.0), Some(5.0)],
///     vec![Some(3.0), None, Some(3.0)],
///     vec![Some(1.0), Some(2.0), Some(2.0)],
/// ];
/// let ids: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
/// let mut acc = CovarianceAccumulator::new(ids.clone());
/// for row in &rows {
///     acc.push_row(row)?;
/// }
/// let table = Responses::new(ids, rows)?;
/// let streamed = Reliability::from_comoments(&acc, MissingPolicy::Pairwise)?;
/// let from_table = Reliability::of(&table, MissingPolicy::Pairwise)?;
/// assert!((streamed.alpha() - from_table.alpha()).abs() < 1e-12);
/// let r = acc.pearson();
/// let want = CorrelationMatrix::of(&table, CorrelationMethod::Pearson);
/// assert!((r.r(0, 1).unwrap() - want.r(0, 1).unwrap()).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CovarianceAccumulator {
    ids: Vec<String>,
    /// Each variable's first observed value (the shift).
    shift: Vec<Option<f64>>,
    /// Rows with every variable present: count, shifted sums, cross-products (`i <= j`,
    /// row-major upper triangle) and each variable's range.
    complete: u64,
    sums: Vec<f64>,
    products: Vec<f64>,
    ranges: Vec<(f64, f64)>,
    /// Rows with a missing value: per pair `i <= j` (row-major upper triangle).
    partial: Vec<PairSums>,
    /// Rows with at least one value present.
    answered: u64,
    rows: u64,
    scratch: Vec<f64>,
}

/// Index of `(i, j)`, `i <= j`, in a row-major upper triangle of a `k × k` matrix.
fn upper(k: usize, i: usize, j: usize) -> usize {
    i * k - i * (i + 1) / 2 + j
}

impl CovarianceAccumulator {
    /// An empty accumulator for the variables `ids`.
    pub fn new(ids: Vec<String>) -> Self {
        let k = ids.len();
        let pairs = k * (k + 1) / 2;
        Self {
            ids,
            shift: vec![None; k],
            complete: 0,
            sums: vec![0.0; k],
            products: vec![0.0; pairs],
            ranges: vec![(f64::INFINITY, f64::NEG_INFINITY); k],
            partial: vec![PairSums::default(); pairs],
            answered: 0,
            rows: 0,
            scratch: vec![0.0; k],
        }
    }

    /// The variable ids.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Rows taken so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Adds one row (one value per variable, `None` for missing).
    ///
    /// # Errors
    ///
    /// [`AnalysisError::RowLength`] for a row of the wrong length (`row` is the number of rows
    /// taken so far), [`AnalysisError::ValueOutOfRange`] for NaN, an infinity or a value beyond
    /// [`MAX_ABS_VALUE`](super::MAX_ABS_VALUE). A rejected row leaves the accumulator
    /// unchanged.
    pub fn push_row(&mut self, row: &[Option<f64>]) -> Result<()> {
        let taken = usize::try_from(self.rows).unwrap_or(usize::MAX);
        let k = self.ids.len();
        super::check_length(taken, k, row.len())?;
        let mut complete = true;
        let mut any = false;
        for (j, x) in row.iter().enumerate() {
            match *x {
                Some(v) if !super::in_range(v) => {
                    return Err(AnalysisError::ValueOutOfRange {
                        row: taken,
                        variable: self.ids[j].clone(),
                        value: v,
                    }
                    .into());
                }
                Some(_) => any = true,
                None => complete = false,
            }
        }
        self.rows += 1;
        self.answered += u64::from(any);
        for (j, x) in row.iter().enumerate() {
            if let Some(v) = *x {
                let shift = *self.shift[j].get_or_insert(v);
                self.scratch[j] = v - shift;
            }
        }
        if complete {
            self.complete += 1;
            let d = &self.scratch;
            let mut at = 0;
            for i in 0..k {
                let di = d[i];
                self.sums[i] += di;
                if let Some(v) = row[i] {
                    let r = &mut self.ranges[i];
                    *r = (r.0.min(v), r.1.max(v));
                }
                for &dj in &d[i..] {
                    self.products[at] += di * dj;
                    at += 1;
                }
            }
        } else {
            for (i, x) in row.iter().enumerate() {
                let Some(x) = *x else { continue };
                for (j, y) in row.iter().enumerate().skip(i) {
                    let Some(y) = *y else { continue };
                    let at = upper(k, i, j);
                    self.partial[at].push(x, y, self.scratch[i], self.scratch[j]);
                }
            }
        }
        Ok(())
    }

    /// The sums of the pair `(i, j)`, `i <= j`, over the rows where both are present
    /// (`listwise`: over the complete rows only).
    fn pair(&self, i: usize, j: usize, listwise: bool) -> PairSums {
        let k = self.ids.len();
        let at = upper(k, i, j);
        let dense = PairSums {
            n: self.complete,
            sx: self.sums[i],
            sy: self.sums[j],
            sxy: self.products[at],
            sxx: self.products[upper(k, i, i)],
            syy: self.products[upper(k, j, j)],
            x_range: self.ranges[i],
            y_range: self.ranges[j],
        };
        if listwise {
            dense
        } else {
            dense.add(&self.partial[at])
        }
    }

    /// The sample covariance matrix (divisor `n − 1`) under `policy`, as
    /// [`Reliability::of`](super::Reliability::of) builds it from a table, and the number of
    /// respondents it rests on (listwise: complete rows; pairwise: rows with an answer).
    pub(crate) fn covariances(&self, listwise: bool) -> Result<(Vec<Vec<f64>>, usize)> {
        let k = self.ids.len();
        let mut c = vec![vec![0.0; k]; k];
        for (i, j) in (0..k).flat_map(|i| (i..k).map(move |j| (i, j))) {
            let s = self.pair(i, j, listwise);
            if s.n < 2 {
                return Err(AnalysisError::TooFewObservations {
                    what: "reliability",
                    needed: 2,
                    found: usize::try_from(s.n).unwrap_or(usize::MAX),
                }
                .into());
            }
            let (sxy, sxx, _) = s.centred();
            let value = if i == j { sxx } else { sxy };
            c[i][j] = value / (s.n - 1) as f64;
            c[j][i] = c[i][j];
        }
        let n = if listwise {
            self.complete
        } else {
            self.answered
        };
        Ok((c, usize::try_from(n).unwrap_or(usize::MAX)))
    }

    /// Pearson's r with two-sided p-values of every pair, pairwise-complete: the same as
    /// [`CorrelationMatrix::of`] with [`CorrelationMethod::Pearson`] on the rows pushed.
    pub fn pearson(&self) -> CorrelationMatrix {
        let k = self.ids.len();
        let mut r = vec![None; k * k];
        let mut p = vec![None; k * k];
        let mut n = vec![0; k * k];
        for i in 0..k {
            let own = self.pair(i, i, false);
            n[i * k + i] = usize::try_from(own.n).unwrap_or(usize::MAX);
            r[i * k + i] = Some(1.0);
            p[i * k + i] = Some(0.0);
            for j in i + 1..k {
                let s = self.pair(i, j, false);
                let (sxy, sxx, syy) = s.centred();
                let result = (s.n >= 3)
                    .then(|| pearson_from_sums(s.n as f64, sxy, sxx, syy))
                    .flatten();
                for at in [i * k + j, j * k + i] {
                    n[at] = usize::try_from(s.n).unwrap_or(usize::MAX);
                    r[at] = result.map(|c| c.0);
                    p[at] = result.map(|c| c.1);
                }
            }
        }
        CorrelationMatrix::from_parts(CorrelationMethod::Pearson, self.ids.clone(), r, p, n)
    }
}
