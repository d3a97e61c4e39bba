//! Trends of a score over periods: period-over-period change, moving average, least-squares
//! linear trend, and the Mann–Kendall test with Sen's slope.

use crate::error::{AnalysisError, Result};

use super::correlation::{normal_p, t_test_p, tie_groups};

/// Checks that `values` are within [`MAX_ABS_VALUE`](super::MAX_ABS_VALUE) and at least
/// `needed` many.
fn check_series(values: &[f64], needed: usize, what: &'static str) -> Result<()> {
    check_named(values, "series", needed, what)
}

/// [`check_series`] naming the variable (`series` or `times`) in the error.
fn check_named(values: &[f64], name: &str, needed: usize, what: &'static str) -> Result<()> {
    if let Some((row, &value)) = values
        .iter()
        .enumerate()
        .find(|(_, v)| !super::in_range(**v))
    {
        return Err(AnalysisError::ValueOutOfRange {
            row,
            variable: name.to_owned(),
            value,
        }
        .into());
    }
    if values.len() < needed {
        return Err(AnalysisError::TooFewObservations {
            what,
            needed,
            found: values.len(),
        }
        .into());
    }
    Ok(())
}

/// The change from each period to the next: `x[t] - x[t-1]` for `t = 1..n`.
///
/// # Errors
///
/// [`AnalysisError::ValueOutOfRange`] for NaN, an infinity or a value beyond
/// [`MAX_ABS_VALUE`](super::MAX_ABS_VALUE) (its `row` is the period).
///
/// # Examples
///
/// ```
/// let d = service_quality::analysis::period_changes(&[80.0, 82.0, 81.0])?;
/// assert_eq!(d, [2.0, -1.0]);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn period_changes(values: &[f64]) -> Result<Vec<f64>> {
    check_series(values, 0, "period changes")?;
    Ok(values.windows(2).map(|w| w[1] - w[0]).collect())
}

/// The relative change from each period to the next, `(x[t] - x[t-1]) / |x[t-1]|`; `None`
/// where the previous value is 0.
///
/// # Errors
///
/// As [`period_changes`].
///
/// # Examples
///
/// ```
/// let d = service_quality::analysis::relative_changes(&[0.0, 80.0, 60.0])?;
/// assert_eq!(d, [None, Some(-0.25)]);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn relative_changes(values: &[f64]) -> Result<Vec<Option<f64>>> {
    check_series(values, 0, "relative changes")?;
    Ok(values
        .windows(2)
        .map(|w| (w[0] != 0.0).then(|| (w[1] - w[0]) / w[0].abs()))
        .collect())
}

/// The trailing moving average over `window` periods: element `t` is the mean of
/// `x[t..t + window]`, so there are `n - window + 1` of them (none when `n < window`).
///
/// # Errors
///
/// [`AnalysisError::InvalidParameter`] for `window == 0`, and as [`period_changes`].
///
/// # Examples
///
/// ```
/// let ma = service_quality::analysis::moving_average(&[1.0, 2.0, 6.0, 7.0], 2)?;
/// assert_eq!(ma, [1.5, 4.0, 6.5]);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn moving_average(values: &[f64], window: usize) -> Result<Vec<f64>> {
    if window == 0 {
        return Err(AnalysisError::InvalidParameter {
            what: "moving-average window",
            range: "1..",
            value: window,
        }
        .into());
    }
    check_series(values, 0, "moving average")?;
    Ok(values
        .windows(window)
        .map(|w| w.iter().sum::<f64>() / window as f64)
        .collect())
}

/// The least-squares line through a series and the t-test of its slope (as scipy
/// `linregress`).
///
/// ```text
/// slope = Sxy / Sxx,  intercept = ybar - slope xbar,  r = Sxy / sqrt(Sxx Syy)
/// se(slope) = sqrt((1 - r^2) Syy / Sxx / (n - 2)),  p = 2 P(T_{n-2} > |slope / se|)
/// ```
///
/// A constant series has slope 0, `r = 0`, p-value 1 and standard error 0 (scipy returns NaN
/// for those three).
///
/// # Examples
///
/// ```
/// use service_quality::analysis::LinearTrend;
///
/// let fit = LinearTrend::of_series(&[70.0, 72.0, 74.0, 76.5])?;
/// assert!((fit.slope() - 2.15).abs() < 1e-12);
/// assert!(fit.p_value() < 0.01);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LinearTrend {
    n: usize,
    slope: f64,
    intercept: f64,
    r: f64,
    p_value: f64,
    slope_stderr: f64,
}

impl LinearTrend {
    /// The trend of `values` over the periods `0, 1, ..., n - 1`.
    ///
    /// # Errors
    ///
    /// As [`fit`](Self::fit).
    pub fn of_series(values: &[f64]) -> Result<Self> {
        let times: Vec<f64> = (0..values.len()).map(|t| t as f64).collect();
        Self::fit(&times, values)
    }

    /// The least-squares line of `values` on `times` (one time per value).
    ///
    /// # Errors
    ///
    /// * [`AnalysisError::RowLength`]: `times` and `values` differ in length;
    /// * [`AnalysisError::ValueOutOfRange`]: a time or a value is NaN, infinite or beyond
    ///   [`MAX_ABS_VALUE`](super::MAX_ABS_VALUE);
    /// * [`AnalysisError::TooFewObservations`]: fewer than 3 points (no p-value);
    /// * [`AnalysisError::ZeroVariance`]: all the times are equal.
    pub fn fit(times: &[f64], values: &[f64]) -> Result<Self> {
        super::check_length(0, times.len(), values.len())?;
        check_named(times, "times", 3, "a linear trend")?;
        check_series(values, 3, "a linear trend")?;
        let n = values.len() as f64;
        let (mx, my) = (
            times.iter().sum::<f64>() / n,
            values.iter().sum::<f64>() / n,
        );
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for (x, y) in times.iter().zip(values) {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
            syy += (y - my) * (y - my);
        }
        if !(sxx > 0.0) || super::is_constant(times.iter().copied()) {
            return Err(AnalysisError::ZeroVariance {
                what: "a linear trend",
                of: "the times",
            }
            .into());
        }
        let constant = super::is_constant(values.iter().copied());
        let slope = if constant { 0.0 } else { sxy / sxx };
        let syy = if constant { 0.0 } else { syy };
        let r = if syy > 0.0 {
            (sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0)
        } else {
            0.0
        };
        let df = n - 2.0;
        let p_value = if syy > 0.0 { t_test_p(r, df) } else { 1.0 };
        let slope_stderr = ((1.0 - r * r).max(0.0) * syy / sxx / df).sqrt();
        Ok(Self {
            n: values.len(),
            slope,
            intercept: my - slope * mx,
            r,
            p_value,
            slope_stderr,
        })
    }

    /// Number of periods.
    pub fn n(&self) -> usize {
        self.n
    }
    /// Change per period.
    pub fn slope(&self) -> f64 {
        self.slope
    }
    /// Value of the line at time 0.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }
    /// Pearson's correlation of values and times.
    pub fn r(&self) -> f64 {
        self.r
    }
    /// Two-sided p-value of the slope (null hypothesis: slope 0).
    pub fn p_value(&self) -> f64 {
        self.p_value
    }
    /// Standard error of the slope.
    pub fn slope_stderr(&self) -> f64 {
        self.slope_stderr
    }
}

/// The Mann–Kendall trend test with Sen's slope (as pymannkendall `original_test`).
///
/// ```text
/// S      = sum_{i<j} sign(x_j - x_i)
/// var(S) = (n(n-1)(2n+5) - sum_g t_g(t_g-1)(2t_g+5)) / 18     t_g: sizes of groups of ties
/// z      = (S - 1)/sqrt(var) if S > 0,  0 if S = 0,  (S + 1)/sqrt(var) if S < 0
/// p      = 2 P(Z > |z|),   tau = S / (n(n-1)/2)
/// Sen's slope = median over i < j of (x_j - x_i) / (j - i)
/// intercept   = median(x) - median(0..n-1) * slope
/// ```
///
/// A constant series has `S = 0`, `z = 0` and p-value 1.
///
/// # References
///
/// * Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13, 245–259.
/// * Kendall, M. G. (1975). *Rank Correlation Methods*, 4th ed. Griffin.
/// * Sen, P. K. (1968). Estimates of the regression coefficient based on Kendall's tau.
///   *JASA* 63, 1379–1389.
/// * Gilbert, R. O. (1987). *Statistical Methods for Environmental Pollution Monitoring*,
///   ch. 16. Van Nostrand Reinhold.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::MannKendall;
///
/// let mk = MannKendall::of_series(&[3.0, 4.0, 4.0, 6.0, 7.0, 9.0])?;
/// assert!((mk.s() - 14.0).abs() < 1e-12 && mk.z() > 0.0);
/// assert!((mk.sen_slope() - 1.0).abs() < 1e-12 && mk.p_value() < 0.05);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[doc(alias = "Sen")]
pub struct MannKendall {
    n: usize,
    s: f64,
    var_s: f64,
    z: f64,
    p_value: f64,
    tau: f64,
    sen_slope: f64,
    intercept: f64,
}

impl MannKendall {
    /// The test on `values`, one per period in time order.
    ///
    /// # Errors
    ///
    /// [`AnalysisError::ValueOutOfRange`] as [`period_changes`], and
    /// [`AnalysisError::TooFewObservations`] for fewer than 3 periods.
    pub fn of_series(values: &[f64]) -> Result<Self> {
        check_series(values, 3, "the Mann-Kendall test")?;
        let n = values.len();
        let mut s = 0.0;
        let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
        for i in 0..n {
            for j in i + 1..n {
                let d = values[j] - values[i];
                if d != 0.0 {
                    s += d.signum();
                }
                slopes.push(d / (j - i) as f64);
            }
        }
        let nf = n as f64;
        let ties: f64 = tie_groups(values)
            .iter()
            .map(|t| t * (t - 1.0) * (2.0 * t + 5.0))
            .sum();
        let var_s = ((nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0).max(0.0);
        let z = if s > 0.0 {
            (s - 1.0) / var_s.sqrt()
        } else if s < 0.0 {
            (s + 1.0) / var_s.sqrt()
        } else {
            0.0
        };
        let sen_slope = median(&mut slopes);
        let mut sorted = values.to_vec();
        let intercept = median(&mut sorted) - (nf - 1.0) / 2.0 * sen_slope;
        Ok(Self {
            n,
            s,
            var_s,
            z,
            p_value: normal_p(z),
            tau: s / (nf * (nf - 1.0) / 2.0),
            sen_slope,
            intercept,
        })
    }

    /// Number of periods.
    pub fn n(&self) -> usize {
        self.n
    }
    /// Kendall's statistic `S` (concordant minus discordant pairs in time order).
    pub fn s(&self) -> f64 {
        self.s
    }
    /// The tie-corrected variance of `S`.
    pub fn var_s(&self) -> f64 {
        self.var_s
    }
    /// The continuity-corrected normal score.
    pub fn z(&self) -> f64 {
        self.z
    }
    /// Two-sided p-value (null hypothesis: no monotonic trend).
    pub fn p_value(&self) -> f64 {
        self.p_value
    }
    /// Mann–Kendall tau, `S / (n(n-1)/2)`.
    pub fn tau(&self) -> f64 {
        self.tau
    }
    /// Sen's slope: the median of the pairwise slopes.
    pub fn sen_slope(&self) -> f64 {
        self.sen_slope
    }
    /// Intercept of the Sen line at period 0.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }
}

/// The median of a non-empty slice (sorts it).
fn median(x: &mut [f64]) -> f64 {
    x.sort_by(f64::total_cmp);
    let n = x.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => x[n / 2],
        _ => (x[n / 2 - 1] + x[n / 2]) / 2.0,
    }
}
