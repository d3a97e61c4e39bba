//! Descriptive statistics in one streaming pass: moments (Welford / Pébay updates), extremes
//! and a frequency table per variable.

use std::collections::BTreeMap;

use ordered_float::OrderedFloat;

use crate::error::{AnalysisError, Result};
use crate::hierarchy::IndicatorTree;
use crate::model::grades::GradeSet;

use super::dimensions;
use super::table::Responses;

/// Running count, mean and central moment sums of one variable (numerically stable one-pass
/// updates: Welford for the mean and `M2`, Pébay (2008) for `M3` and `M4`), taken on the values
/// minus the first one so that a large common offset costs no digits.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Moments {
    n: u64,
    shift: f64,
    /// Mean of `x - shift`.
    mean: f64,
    m2: f64,
    m3: f64,
    m4: f64,
    min: f64,
    max: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        if self.n == 0 {
            self.min = x;
            self.max = x;
            self.shift = x;
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        let x = x - self.shift;
        let n1 = self.n as f64;
        self.n += 1;
        let n = self.n as f64;
        let delta = x - self.mean;
        let delta_n = delta / n;
        let delta_n2 = delta_n * delta_n;
        let term1 = delta * delta_n * n1;
        self.mean += delta_n;
        self.m4 += term1 * delta_n2 * (n * n - 3.0 * n + 3.0) + 6.0 * delta_n2 * self.m2
            - 4.0 * delta_n * self.m3;
        self.m3 += term1 * delta_n * (n - 2.0) - 3.0 * delta_n * self.m2;
        self.m2 += term1;
    }
}

/// Summary statistics of the non-missing values of one variable.
///
/// Two estimators of the shape are given:
///
/// ```text
/// m_r = (1/n) sum (x_i - mean)^r            central moments (divisor n)
/// g1  = m_3 / m_2^(3/2)                     skewness, moment estimator (scipy `skew`, bias=True)
/// g2  = m_4 / m_2^2 - 3                     excess kurtosis, moment estimator (scipy `kurtosis`)
/// G1  = g1 * sqrt(n (n-1)) / (n-2)          skewness as SPSS, SAS and Excel `SKEW` report it
/// G2  = (n-1) / ((n-2)(n-3)) * ((n+1) g2 + 6)   excess kurtosis as SPSS, SAS and Excel `KURT`
/// ```
///
/// (Joanes & Gill 1998, "Comparing measures of sample skewness and kurtosis", *The
/// Statistician* 47(1), 183–189: `g1`, `g2` are their b-less moment forms, `G1`, `G2` the
/// "adjusted" ones.)
///
/// Undefined values are `None`, never NaN: the standard deviation needs `n >= 2`; `g1`, `g2`
/// need a non-zero variance (large enough that its square is a normal `f64`), `G1` also `n >= 3` and `G2` also `n >= 4`.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{describe, Responses};
///
/// let t = Responses::new(vec!["q".into()], [1.0, 2.0, 2.0, 5.0].iter().map(|&x| vec![Some(x)]).collect())?;
/// let s = describe(&t)[0].codes().copied().expect("answered");
/// assert_eq!((s.n(), s.min(), s.max(), s.median()), (4, 1.0, 5.0, 2.0));
/// assert!(s.skewness().unwrap_or(0.0) > 0.0); // a long right tail
/// assert!(s.skewness_spss().unwrap_or(0.0) > s.skewness().unwrap_or(0.0));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Summary {
    n: u64,
    mean: f64,
    sd: Option<f64>,
    median: f64,
    min: f64,
    max: f64,
    skewness: Option<f64>,
    kurtosis: Option<f64>,
    skewness_spss: Option<f64>,
    kurtosis_spss: Option<f64>,
}

impl Summary {
    fn new(m: &Moments, median: f64) -> Option<Self> {
        if m.n == 0 {
            return None;
        }
        let n = m.n as f64;
        let var_pos = m.m2 > 0.0;
        // a variance so small that its powers leave f64 leaves the shape undefined too
        let g1 = var_pos
            .then(|| n.sqrt() * m.m3 / m.m2.powf(1.5))
            .filter(|g| g.is_finite());
        let g2 = var_pos
            .then(|| n * m.m4 / (m.m2 * m.m2) - 3.0)
            .filter(|g| g.is_finite());
        Some(Self {
            n: m.n,
            mean: m.shift + m.mean,
            sd: (m.n >= 2).then(|| (m.m2 / (n - 1.0)).sqrt()),
            median,
            min: m.min,
            max: m.max,
            skewness: g1,
            kurtosis: g2,
            skewness_spss: g1
                .filter(|_| m.n >= 3)
                .map(|g1| g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)),
            kurtosis_spss: g2
                .filter(|_| m.n >= 4)
                .map(|g2| (n - 1.0) / ((n - 2.0) * (n - 3.0)) * ((n + 1.0) * g2 + 6.0)),
        })
    }

    /// Number of non-missing values (at least 1).
    pub fn n(&self) -> u64 {
        self.n
    }
    /// Arithmetic mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }
    /// Sample standard deviation (divisor `n - 1`); `None` when `n < 2`.
    pub fn sd(&self) -> Option<f64> {
        self.sd
    }
    /// Median (the mean of the two middle values when `n` is even).
    pub fn median(&self) -> f64 {
        self.median
    }
    /// Smallest value.
    pub fn min(&self) -> f64 {
        self.min
    }
    /// Largest value.
    pub fn max(&self) -> f64 {
        self.max
    }
    /// Skewness `g1` (moment estimator); `None` for a zero variance.
    pub fn skewness(&self) -> Option<f64> {
        self.skewness
    }
    /// Excess kurtosis `g2` (moment estimator); `None` for a zero variance.
    pub fn kurtosis(&self) -> Option<f64> {
        self.kurtosis
    }
    /// Skewness `G1` as SPSS reports it; `None` for a zero variance or `n < 3`.
    pub fn skewness_spss(&self) -> Option<f64> {
        self.skewness_spss
    }
    /// Excess kurtosis `G2` as SPSS reports it; `None` for a zero variance or `n < 4`.
    pub fn kurtosis_spss(&self) -> Option<f64> {
        self.kurtosis_spss
    }
}

/// How often one value (code) was given.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{describe, Responses};
///
/// let t = Responses::new(vec!["q".into()], vec![vec![Some(1.0)], vec![Some(1.0)], vec![Some(3.0)], vec![None]])?;
/// let f = describe(&t)[0].frequencies().to_vec();
/// assert_eq!((f[0].code(), f[0].count()), (1.0, 2));
/// assert!((f[0].valid_percent() - 200.0 / 3.0).abs() < 1e-12); // of the 3 answers, not 4 rows
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Frequency {
    code: f64,
    count: u64,
    valid_percent: f64,
}

impl Frequency {
    /// The value as coded in the table (for graded statistics, the 0-based grade index).
    pub fn code(&self) -> f64 {
        self.code
    }
    /// Number of answers with this code.
    pub fn count(&self) -> u64 {
        self.count
    }
    /// `100 * count / n` over the non-missing answers (0 when there are none).
    pub fn valid_percent(&self) -> f64 {
        self.valid_percent
    }
}

/// Descriptive statistics of one variable (an item, a dimension score).
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{describe, Responses};
///
/// let t = Responses::new(vec!["q".into()], vec![vec![None], vec![None]])?;
/// let q = &describe(&t)[0];
/// assert_eq!((q.id(), q.missing(), q.codes()), ("q", 2, None)); // all missing: no statistics
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VariableSummary {
    id: String,
    missing: u64,
    codes: Option<Summary>,
    values: Option<Summary>,
    frequencies: Vec<Frequency>,
}

impl VariableSummary {
    /// The variable's id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Number of missing values.
    pub fn missing(&self) -> u64 {
        self.missing
    }
    /// Statistics on the code scale; `None` when every value is missing.
    pub fn codes(&self) -> Option<&Summary> {
        self.codes.as_ref()
    }
    /// Statistics on the grade values (each code `k` replaced by the value of grade `k`); only
    /// from [`describe_graded`], and `None` when every value is missing.
    pub fn values(&self) -> Option<&Summary> {
        self.values.as_ref()
    }
    /// The frequency of each code, in increasing order of code: every observed code, or from
    /// [`describe_graded`] every grade (including those nobody chose).
    pub fn frequencies(&self) -> &[Frequency] {
        &self.frequencies
    }
}

/// One pass over the rows of a table: feed rows with [`push_row`](Self::push_row), then
/// [`finish`](Self::finish). Memory is one accumulator per variable plus one counter per
/// distinct value, so a file of a million respondents is read once and never held.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::DescriptiveAccumulator;
///
/// let mut acc = DescriptiveAccumulator::new(vec!["speed".into()]);
/// for row in [[Some(1.0)], [Some(3.0)], [None], [Some(2.0)]] {
///     acc.push_row(&row)?;
/// }
/// let item = &acc.finish()[0];
/// assert_eq!(item.missing(), 1);
/// let s = item.codes().expect("three answers");
/// assert!((s.mean() - 2.0).abs() < 1e-12 && (s.sd().unwrap_or(0.0) - 1.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DescriptiveAccumulator {
    ids: Vec<String>,
    grades: Option<Vec<f64>>,
    codes: Vec<Moments>,
    values: Vec<Moments>,
    missing: Vec<u64>,
    counts: Vec<BTreeMap<OrderedFloat<f64>, u64>>,
}

impl DescriptiveAccumulator {
    /// An empty accumulator for the variables `ids`.
    pub fn new(ids: Vec<String>) -> Self {
        let k = ids.len();
        Self {
            ids,
            grades: None,
            codes: vec![Moments::default(); k],
            values: Vec::new(),
            missing: vec![0; k],
            counts: vec![BTreeMap::new(); k],
        }
    }

    /// An empty accumulator whose codes are 0-based indices into `grades`: the statistics are
    /// also taken on the grade values and every grade gets a frequency.
    pub fn graded(ids: Vec<String>, grades: &GradeSet) -> Self {
        let k = ids.len();
        let values = grades.values();
        let mut acc = Self::new(ids);
        for counts in &mut acc.counts {
            for code in 0..values.len() {
                counts.insert(OrderedFloat(code as f64), 0);
            }
        }
        acc.grades = Some(values);
        acc.values = vec![Moments::default(); k];
        acc
    }

    /// Adds one row (one value per variable, `None` for missing).
    ///
    /// # Errors
    ///
    /// [`AnalysisError::RowLength`] for a row of the wrong length (`row` is the number of rows
    /// taken so far), [`AnalysisError::ValueOutOfRange`] for NaN, an infinity or a value beyond
    /// [`MAX_ABS_VALUE`](super::MAX_ABS_VALUE) and, for a graded
    /// accumulator, [`AnalysisError::NotAGrade`] for a code that is not a grade index. A
    /// rejected row leaves the accumulator unchanged.
    pub fn push_row(&mut self, row: &[Option<f64>]) -> Result<()> {
        let taken = self.rows_taken();
        super::check_length(taken, self.ids.len(), row.len())?;
        for (id, x) in self.ids.iter().zip(row) {
            let Some(x) = *x else { continue };
            if !super::in_range(x) {
                return Err(AnalysisError::ValueOutOfRange {
                    row: taken,
                    variable: id.clone(),
                    value: x,
                }
                .into());
            }
            if let Some(g) = &self.grades {
                grade_value(g, x).ok_or_else(|| AnalysisError::NotAGrade {
                    variable: id.clone(),
                    value: x,
                    grades: g.len(),
                })?;
            }
        }
        for (j, x) in row.iter().enumerate() {
            match *x {
                None => self.missing[j] += 1,
                Some(x) => {
                    let x = x + 0.0; // -0.0 counts as 0.0
                    self.codes[j].push(x);
                    *self.counts[j].entry(OrderedFloat(x)).or_insert(0) += 1;
                    if let Some(v) = self.grades.as_deref().and_then(|g| grade_value(g, x)) {
                        self.values[j].push(v);
                    }
                }
            }
        }
        Ok(())
    }

    fn rows_taken(&self) -> usize {
        self.codes
            .first()
            .zip(self.missing.first())
            .map_or(0, |(m, miss)| (m.n + miss) as usize)
    }

    /// The statistics of every variable, in the order of the ids.
    pub fn finish(&self) -> Vec<VariableSummary> {
        (0..self.ids.len())
            .map(|j| {
                let counts = &self.counts[j];
                let n = self.codes[j].n;
                let median = median_of(counts.iter().map(|(c, k)| (c.0, *k)), n);
                let values = self.grades.as_deref().and_then(|g| {
                    let by_value = counts
                        .iter()
                        .filter_map(|(c, k)| Some((grade_value(g, c.0)?, *k)));
                    let mut sorted: Vec<(f64, u64)> = by_value.collect();
                    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
                    Summary::new(&self.values[j], median_of(sorted.into_iter(), n))
                });
                VariableSummary {
                    id: self.ids[j].clone(),
                    missing: self.missing[j],
                    codes: Summary::new(&self.codes[j], median),
                    values,
                    frequencies: counts
                        .iter()
                        .map(|(c, &count)| Frequency {
                            code: c.0,
                            count,
                            valid_percent: if n == 0 {
                                0.0
                            } else {
                                100.0 * count as f64 / n as f64
                            },
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

/// The value of grade `code` when `code` is a 0-based grade index.
fn grade_value(values: &[f64], code: f64) -> Option<f64> {
    if code >= 0.0 && code.fract() == 0.0 {
        values.get(code as usize).copied()
    } else {
        None
    }
}

/// The median of `n` values given as (value, count) in increasing order of value.
fn median_of(sorted: impl Iterator<Item = (f64, u64)>, n: u64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    // 0-based ranks of the two middle values (equal when n is odd)
    let (lo, hi) = ((n - 1) / 2, n / 2);
    let (mut below, mut at_lo) = (0u64, None);
    for (value, count) in sorted {
        let next = below + count;
        if at_lo.is_none() && lo < next {
            at_lo = Some(value);
        }
        if hi < next {
            return at_lo.map_or(value, |a| (a + value) / 2.0);
        }
        below = next;
    }
    at_lo.unwrap_or(0.0)
}

/// Descriptive statistics of every variable of `table` (codes only), in one pass.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{describe, Responses};
///
/// let table = Responses::new(vec!["q".into()], vec![vec![Some(2.0)], vec![Some(4.0)]])?;
/// let q = &describe(&table)[0];
/// assert_eq!(q.frequencies().len(), 2);
/// assert!((q.codes().map_or(0.0, |s| s.median()) - 3.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn describe(table: &Responses) -> Vec<VariableSummary> {
    let mut acc = DescriptiveAccumulator::new(table.ids().to_vec());
    for row in table.rows() {
        // the table is validated: every row has the right length and finite values
        let _ = acc.push_row(row);
    }
    acc.finish()
}

/// Descriptive statistics of every variable of `table` whose codes are 0-based indices into
/// `grades`: on the code scale, on the grade values, and the frequency of every grade.
///
/// # Errors
///
/// [`AnalysisError::NotAGrade`] for a code that is not a grade index.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{describe_graded, Responses};
/// use service_quality::GradeSet;
///
/// let table = Responses::new(vec!["q".into()], vec![vec![Some(0.0)], vec![Some(1.0)]])?;
/// let grades = GradeSet::satisfaction_5_points();
/// let q = &describe_graded(&table, &grades)?[0];
/// assert_eq!(q.frequencies().len(), 5);
/// assert_eq!(q.frequencies()[4].count(), 0);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn describe_graded(table: &Responses, grades: &GradeSet) -> Result<Vec<VariableSummary>> {
    let mut acc = DescriptiveAccumulator::graded(table.ids().to_vec(), grades);
    for row in table.rows() {
        acc.push_row(row)?;
    }
    Ok(acc.finish())
}

/// Descriptive statistics of each dimension's score: for every group of the tree that has
/// items of `table` as children, a respondent's score is the mean of their non-missing answers
/// to those items (missing when they answered none of them).
///
/// Dimensions are in the tree's preorder; leaves of the tree that are not variables of
/// `table` are left out, and so are groups with none of their leaves in `table`.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{describe_dimensions, Responses};
/// use service_quality::{IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(
///     NodeSpec::group("goal", "Goal", vec![
///         NodeSpec::group("speed", "Speed", vec![NodeSpec::leaf("a", "A"), NodeSpec::leaf("b", "B")])
///             .with_weights(vec![0.5, 0.5]),
///     ])
///     .with_weights(vec![1.0]),
/// )?;
/// let table = Responses::new(
///     vec!["a".into(), "b".into()],
///     vec![vec![Some(1.0), Some(3.0)], vec![Some(4.0), None]],
/// )?;
/// let speed = &describe_dimensions(&tree, &table)[0];
/// assert_eq!(speed.id(), "speed");
/// assert!((speed.codes().map_or(0.0, |s| s.mean()) - 3.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn describe_dimensions(tree: &IndicatorTree, table: &Responses) -> Vec<VariableSummary> {
    let dims = dimensions::of_tree(tree, table);
    let mut acc = DescriptiveAccumulator::new(dims.iter().map(|d| d.id.clone()).collect());
    for row in table.rows() {
        let scores: Vec<Option<f64>> = dims.iter().map(|d| d.score(row)).collect();
        let _ = acc.push_row(&scores);
    }
    acc.finish()
}

/// The dimension scores of every row as a table (one variable per dimension, ids as in
/// [`describe_dimensions`]), to correlate or to [`join`](Responses::join) with other measures.
///
/// # Errors
///
/// [`AnalysisError::NoVariables`] when no group of the tree has a leaf among `table`'s
/// variables.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{dimension_scores, Responses};
/// use service_quality::{IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(
///     NodeSpec::group("goal", "Goal", vec![NodeSpec::leaf("a", "A"), NodeSpec::leaf("b", "B")])
///         .with_weights(vec![0.5, 0.5]),
/// )?;
/// let table = Responses::new(vec!["a".into(), "b".into()], vec![vec![Some(2.0), None]])?;
/// let scores = dimension_scores(&tree, &table)?;
/// assert_eq!(scores.ids(), ["goal"]);
/// assert_eq!(scores.rows()[0], [Some(2.0)]);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn dimension_scores(tree: &IndicatorTree, table: &Responses) -> Result<Responses> {
    let dims = dimensions::of_tree(tree, table);
    let rows = table
        .rows()
        .iter()
        .map(|row| dims.iter().map(|d| d.score(row)).collect())
        .collect();
    Responses::new(dims.into_iter().map(|d| d.id).collect(), rows)
}

/// The statistics of one merchant's rows.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{describe_by_merchant, Responses};
///
/// let t = Responses::new(vec!["q".into()], vec![vec![Some(4.0)], vec![Some(2.0)]])?;
/// let per = describe_by_merchant(&t, &["shop-a", "shop-b"])?;
/// assert_eq!(per[1].merchant(), "shop-b");
/// assert_eq!(per[1].variables()[0].codes().map(|s| s.mean()), Some(2.0));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MerchantSummary {
    merchant: String,
    variables: Vec<VariableSummary>,
}

impl MerchantSummary {
    /// The merchant.
    pub fn merchant(&self) -> &str {
        &self.merchant
    }
    /// The statistics of each variable over this merchant's rows.
    pub fn variables(&self) -> &[VariableSummary] {
        &self.variables
    }
}

/// Descriptive statistics per merchant: row `i` of `table` belongs to `merchants[i]`.
/// Merchants are in the order of their first row; the table is read once.
///
/// # Errors
///
/// [`AnalysisError::RowLength`] when `merchants` has not one entry per row.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{describe_by_merchant, Responses};
///
/// let table = Responses::new(vec!["q".into()], vec![vec![Some(1.0)], vec![Some(2.0)], vec![Some(5.0)]])?;
/// let per = describe_by_merchant(&table, &["x", "y", "x"])?;
/// assert_eq!(per[0].merchant(), "x");
/// assert!((per[0].variables()[0].codes().map_or(0.0, |s| s.mean()) - 3.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn describe_by_merchant<S: AsRef<str>>(
    table: &Responses,
    merchants: &[S],
) -> Result<Vec<MerchantSummary>> {
    super::check_length(0, table.len(), merchants.len())?;
    let mut order: Vec<(String, DescriptiveAccumulator)> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (row, merchant) in table.rows().iter().zip(merchants) {
        let m = merchant.as_ref();
        let at = *index.entry(m).or_insert_with(|| {
            order.push((
                m.to_owned(),
                DescriptiveAccumulator::new(table.ids().to_vec()),
            ));
            order.len() - 1
        });
        let _ = order[at].1.push_row(row);
    }
    Ok(order
        .into_iter()
        .map(|(merchant, acc)| MerchantSummary {
            merchant,
            variables: acc.finish(),
        })
        .collect())
}
