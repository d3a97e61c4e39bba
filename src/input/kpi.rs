//! Membership functions for measured KPIs (handling times, rates) and per-merchant tallies.

use crate::error::{
    ArgumentError, BreakpointOrder, Error, EvaluationError, HierarchyError, InputError, Result,
};
use crate::hierarchy::{IndicatorTree, KpiBreakpoints, KpiSpec};
use crate::input::by_merchant::ByMerchant;
use crate::input::IndicatorMemberships;
use crate::model::grades::GradeSet;

/// Whether smaller or larger measurements are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Direction {
    /// Smaller is better (times): breakpoints increase from the best grade to the worst.
    SmallerIsBetter,
    /// Larger is better (rates): breakpoints decrease from the best grade to the worst.
    LargerIsBetter,
}

/// A membership function over the grades: the usual triangular partition with trapezoidal
/// shoulders over one breakpoint per grade.
///
/// Breakpoint `c_j` is where grade `j` has membership 1. With breakpoints listed in grade
/// order (best first) and `x` the measurement:
///
/// ```text
/// smaller is better (c_1 < c_2 < ... < c_m):
///   x <= c_1                 mu_1 = 1
///   c_j <= x <= c_{j+1}      mu_j = (c_{j+1} - x) / (c_{j+1} - c_j),  mu_{j+1} = 1 - mu_j
///   x >= c_m                 mu_m = 1
/// larger is better (c_1 > c_2 > ... > c_m): the same with the inequalities reversed
/// ```
///
/// Every other grade gets 0, so each value's memberships sum to 1 and at most two adjacent
/// grades are non-zero. Grade 1 is a left shoulder (trapezoid), grade `m` a right shoulder,
/// the grades between are triangles.
///
/// # Examples
///
/// ```
/// use service_quality::input::KpiScale;
///
/// // first reply: 1 min or less is best, 60 min or more is worst
/// let scale = KpiScale::smaller_is_better(vec![1.0, 5.0, 15.0, 30.0, 60.0])?;
/// let mu = scale.membership(10.0)?;
/// assert_eq!(mu, vec![0.0, 0.5, 0.5, 0.0, 0.0]);
/// assert_eq!(scale.membership(0.0)?, vec![1.0, 0.0, 0.0, 0.0, 0.0]);
/// assert!(scale.membership(-1.0).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KpiScale {
    direction: Direction,
    breakpoints: Vec<f64>,
}

impl KpiScale {
    /// A smaller-is-better scale; `breakpoints` strictly increasing, best grade first.
    ///
    /// # Errors
    ///
    /// See [`new`](Self::new).
    pub fn smaller_is_better(breakpoints: Vec<f64>) -> Result<Self> {
        Self::new(Direction::SmallerIsBetter, breakpoints)
    }

    /// A larger-is-better scale; `breakpoints` strictly decreasing, best grade first.
    ///
    /// # Errors
    ///
    /// See [`new`](Self::new).
    pub fn larger_is_better(breakpoints: Vec<f64>) -> Result<Self> {
        Self::new(Direction::LargerIsBetter, breakpoints)
    }

    /// A scale with one breakpoint per grade, best grade first.
    ///
    /// # Errors
    ///
    /// - [`EvaluationError::TooFewGrades`] for fewer than 2 breakpoints;
    /// - [`InputError::InvalidBreakpoint`] for a breakpoint that is NaN, infinite, negative, or not
    ///   strictly beyond the previous one in the scale's direction.
    pub fn new(direction: Direction, breakpoints: Vec<f64>) -> Result<Self> {
        if breakpoints.len() < 2 {
            return Err(EvaluationError::TooFewGrades {
                found: breakpoints.len(),
            }
            .into());
        }
        let order = match direction {
            Direction::SmallerIsBetter => BreakpointOrder::Greater,
            Direction::LargerIsBetter => BreakpointOrder::Less,
        };
        for (index, &value) in breakpoints.iter().enumerate() {
            let in_order = match (index, direction) {
                (0, _) => true,
                (_, Direction::SmallerIsBetter) => value > breakpoints[index - 1],
                (_, Direction::LargerIsBetter) => value < breakpoints[index - 1],
            };
            if !(value.is_finite() && value >= 0.0 && in_order) {
                return Err(InputError::InvalidBreakpoint {
                    index,
                    value,
                    order,
                }
                .into());
            }
        }
        Ok(Self {
            direction,
            breakpoints,
        })
    }

    /// The direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The breakpoints, best grade first.
    pub fn breakpoints(&self) -> &[f64] {
        &self.breakpoints
    }

    /// Number of grades.
    pub fn n_grades(&self) -> usize {
        self.breakpoints.len()
    }

    /// The memberships of a measured value (they sum to 1).
    ///
    /// # Errors
    ///
    /// [`InputError::InvalidKpiValue`] (with empty case and indicator) for a NaN, infinite or
    /// negative value; [`KpiTally::add_case`] fills in the names.
    pub fn membership(&self, value: f64) -> Result<Vec<f64>> {
        if !(value.is_finite() && value >= 0.0) {
            return Err(InputError::InvalidKpiValue {
                case: String::new(),
                indicator: String::new(),
                value,
            }
            .into());
        }
        // map to a "badness" axis on which the breakpoints increase from best to worst
        let sign = match self.direction {
            Direction::SmallerIsBetter => 1.0,
            Direction::LargerIsBetter => -1.0,
        };
        let c: Vec<f64> = self.breakpoints.iter().map(|b| sign * b).collect();
        let x = sign * value;
        let m = c.len();
        let mut mu = vec![0.0; m];
        if x <= c[0] {
            mu[0] = 1.0;
        } else if x >= c[m - 1] {
            mu[m - 1] = 1.0;
        } else {
            // the last breakpoint at or below x; c[j] <= x < c[j + 1]
            let j = c.iter().rposition(|&cj| cj <= x).unwrap_or(0).min(m - 2);
            mu[j] = ((c[j + 1] - x) / (c[j + 1] - c[j])).clamp(0.0, 1.0);
            mu[j + 1] = 1.0 - mu[j];
        }
        Ok(mu)
    }
}

/// Thresholds for the KPI indicators, per class of case.
///
/// Response-time norms differ by case: urgent problems need an immediate reply, ordinary ones
/// a reasonable time (DOMAIN.md §1). Each `(indicator, class)` pair has its own [`KpiScale`];
/// every scale has one breakpoint per grade.
///
/// # Examples
///
/// ```
/// use service_quality::input::{KpiModel, KpiScale};
/// use service_quality::GradeSet;
///
/// let model = KpiModel::new(&GradeSet::satisfaction_5())
///     .with_scale("first_reply", "urgent", KpiScale::smaller_is_better(vec![0.5, 2.0, 5.0, 10.0, 30.0])?)?
///     .with_scale("first_reply", "ordinary", KpiScale::smaller_is_better(vec![5.0, 15.0, 30.0, 60.0, 120.0])?)?;
/// assert_eq!(model.indicators(), vec!["first_reply"]);
/// assert!(model.get("first_reply", "urgent").is_some());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KpiModel {
    n_grades: usize,
    /// `(indicator, class, scale)` in insertion order.
    scales: Vec<(String, String, KpiScale)>,
}

impl KpiModel {
    /// An empty model for the grades of `grades` (checked, so there are at least 2); every
    /// scale must have one breakpoint per grade.
    pub fn new(grades: &GradeSet) -> Self {
        Self {
            n_grades: grades.len(),
            scales: Vec::new(),
        }
    }

    /// Adds (or replaces) the scale of `indicator` for cases of `class`.
    ///
    /// # Errors
    ///
    /// [`EvaluationError::GradeCountMismatch`] when the scale does not have one breakpoint per
    /// grade.
    pub fn with_scale(
        mut self,
        indicator: impl Into<String>,
        class: impl Into<String>,
        scale: KpiScale,
    ) -> Result<Self> {
        if scale.n_grades() != self.n_grades {
            return Err(EvaluationError::GradeCountMismatch {
                grades: self.n_grades,
                found: scale.n_grades(),
            }
            .into());
        }
        let (indicator, class) = (indicator.into(), class.into());
        match self
            .scales
            .iter_mut()
            .find(|(i, c, _)| *i == indicator && *c == class)
        {
            Some(entry) => entry.2 = scale,
            None => self.scales.push((indicator, class, scale)),
        }
        Ok(self)
    }

    /// The thresholds declared in a model file's `kpi` section ([`KpiSpec`]), for `grades`;
    /// `None` when the model declares none.
    ///
    /// # Errors
    ///
    /// [`InputError::KpiThresholds`] naming the indicator and class, wrapping
    /// [`InputError::InvalidBreakpoint`] or [`EvaluationError::TooFewGrades`] (breakpoints
    /// out of order, negative or not finite) or [`EvaluationError::GradeCountMismatch`] (not
    /// one breakpoint per grade); [`HierarchyError::DuplicateKpiScale`] for an `(indicator,
    /// class)` pair given twice.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{GradeSet, IndicatorTree, KpiModel};
    ///
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/after_sales_model.json"));
    /// let tree = IndicatorTree::from_json(text)?;
    /// let model = KpiModel::from_tree(&tree, &GradeSet::satisfaction_5())?.expect("declared");
    /// assert_eq!(model.indicators(), ["first_reply", "resolution_time", "feedback_time"]);
    /// assert!(model.get("first_reply", "urgent").is_some());
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn from_tree(tree: &IndicatorTree, grades: &GradeSet) -> Result<Option<Self>> {
        tree.kpi()
            .map(|spec| Self::from_spec(spec, grades))
            .transpose()
    }

    /// The thresholds of a [`KpiSpec`], for `grades`.
    ///
    /// # Errors
    ///
    /// As [`from_tree`](Self::from_tree).
    pub fn from_spec(spec: &KpiSpec, grades: &GradeSet) -> Result<Self> {
        let mut model = Self::new(grades);
        for s in &spec.scales {
            if model.get(&s.indicator, &s.class).is_some() {
                return Err(HierarchyError::DuplicateKpiScale {
                    indicator: s.indicator.clone(),
                    class: s.class.clone(),
                }
                .into());
            }
            let scale = match &s.breakpoints {
                KpiBreakpoints::SmallerIsBetter(b) => KpiScale::smaller_is_better(b.clone()),
                KpiBreakpoints::LargerIsBetter(b) => KpiScale::larger_is_better(b.clone()),
            };
            model = scale
                .and_then(|scale| model.with_scale(s.indicator.as_str(), s.class.as_str(), scale))
                .map_err(|e| InputError::KpiThresholds {
                    indicator: s.indicator.clone(),
                    class: s.class.clone(),
                    source: Box::new(e),
                })?;
        }
        Ok(model)
    }

    /// Number of grades.
    pub fn n_grades(&self) -> usize {
        self.n_grades
    }

    /// The indicator ids, in order of first appearance.
    pub fn indicators(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (i, _, _) in &self.scales {
            if !out.contains(&i.as_str()) {
                out.push(i);
            }
        }
        out
    }

    /// The scale of `indicator` for `class`, if any.
    pub fn get(&self, indicator: &str, class: &str) -> Option<&KpiScale> {
        self.scales
            .iter()
            .find(|(i, c, _)| i == indicator && c == class)
            .map(|(_, _, s)| s)
    }
}

#[derive(Debug, Clone, PartialEq)]
struct KpiAccumulator {
    merchant: String,
    /// per indicator: summed memberships, cases, missing
    sums: Vec<(Vec<f64>, usize, usize)>,
}

/// Measured cases tallied per merchant: a merchant's KPI row for an indicator is the mean
/// membership over its measured cases.
///
/// ```text
/// r_ij = (1 / n_i) * sum_{cases c with a value for i} mu_j(x_ci ; scale of (i, class of c))
/// ```
///
/// Cases without a value for an indicator count as missing for it.
///
/// # Examples
///
/// ```
/// use service_quality::input::{KpiModel, KpiScale, KpiTally};
/// use service_quality::{Grade, GradeSet};
///
/// let grades = GradeSet::new(vec![Grade::new("fast", 3.0), Grade::new("fair", 2.0), Grade::new("slow", 1.0)])?;
/// let model = KpiModel::new(&grades)
///     .with_scale("first_reply", "urgent", KpiScale::smaller_is_better(vec![1.0, 5.0, 10.0])?)?
///     .with_scale("first_reply", "ordinary", KpiScale::smaller_is_better(vec![10.0, 30.0, 60.0])?)?;
/// let mut tally = KpiTally::new(model);
/// tally.add_case("shop-a", "c1", "urgent", &[Some(3.0)])?;   // (0.5, 0.5, 0)
/// tally.add_case("shop-a", "c2", "ordinary", &[Some(5.0)])?; // (1, 0, 0)
/// tally.add_case("shop-a", "c3", "ordinary", &[None])?;      // missing
/// let data = tally.memberships("shop-a")?;
/// let row = data.get("first_reply").expect("tallied");
/// assert_eq!(row.row(), Some(&[0.75, 0.25, 0.0][..]));
/// assert_eq!((row.observed(), row.missing()), (2, 1));
/// assert!(tally.add_case("shop-a", "c4", "urgent", &[Some(f64::NAN)]).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct KpiTally {
    model: KpiModel,
    indicators: Vec<String>,
    merchants: ByMerchant<KpiAccumulator>,
}

impl KpiTally {
    /// An empty tally for this model; values are given in the order of
    /// [`KpiModel::indicators`].
    pub fn new(model: KpiModel) -> Self {
        let indicators = model.indicators().into_iter().map(str::to_owned).collect();
        Self {
            model,
            indicators,
            merchants: ByMerchant::new(),
        }
    }

    /// The model.
    pub fn model(&self) -> &KpiModel {
        &self.model
    }

    /// The indicator ids, in value order.
    pub fn indicators(&self) -> &[String] {
        &self.indicators
    }

    /// Adds one case of `merchant`: its class and one value (or `None`) per indicator.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::LengthMismatch`] when `values` does not have one entry per indicator;
    /// - [`InputError::InvalidKpiValue`] naming the case and indicator for a NaN, infinite or
    ///   negative value;
    /// - [`InputError::UnknownCaseClass`] when the model has no scale for an indicator with a value
    ///   in this class.
    ///
    /// Nothing is recorded when an error is returned.
    pub fn add_case(
        &mut self,
        merchant: &str,
        case: &str,
        class: &str,
        values: &[Option<f64>],
    ) -> Result<()> {
        if values.len() != self.indicators.len() {
            return Err(ArgumentError::LengthMismatch {
                what: "KPI case",
                expected: self.indicators.len(),
                found: values.len(),
            }
            .into());
        }
        let mut memberships = Vec::with_capacity(values.len());
        for (id, value) in self.indicators.iter().zip(values) {
            let Some(x) = *value else {
                memberships.push(None);
                continue;
            };
            let scale = self
                .model
                .get(id, class)
                .ok_or_else(|| InputError::UnknownCaseClass {
                    case: case.to_owned(),
                    class: class.to_owned(),
                    indicator: id.clone(),
                })?;
            let mu = scale.membership(x).map_err(|_| {
                Error::Input(InputError::InvalidKpiValue {
                    case: case.to_owned(),
                    indicator: id.clone(),
                    value: x,
                })
            })?;
            memberships.push(Some(mu));
        }
        let m = self.model.n_grades;
        let k = self.indicators.len();
        let acc = self
            .merchants
            .get_or_insert_with(merchant, || KpiAccumulator {
                merchant: merchant.to_owned(),
                sums: vec![(vec![0.0; m], 0, 0); k],
            });
        for (slot, mu) in acc.sums.iter_mut().zip(memberships) {
            match mu {
                Some(mu) => {
                    for (s, v) in slot.0.iter_mut().zip(mu) {
                        *s += v;
                    }
                    slot.1 += 1;
                }
                None => slot.2 += 1,
            }
        }
        Ok(())
    }

    /// The merchant names, in order of first case.
    pub fn merchant_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.merchants
            .as_slice()
            .iter()
            .map(|a| a.merchant.as_str())
    }

    /// The KPI rows of one merchant: mean membership over its measured cases per indicator.
    ///
    /// # Errors
    ///
    /// [`InputError::UnknownMerchant`] when the merchant has no case.
    pub fn memberships(&self, merchant: &str) -> Result<IndicatorMemberships> {
        let acc = self
            .merchants
            .get(merchant)
            .ok_or_else(|| InputError::UnknownMerchant {
                merchant: merchant.to_owned(),
            })?;
        let mut out = IndicatorMemberships::with_grade_count(self.model.n_grades);
        for (id, (sum, n, missing)) in self.indicators.iter().zip(&acc.sums) {
            if *n == 0 {
                out.insert_unobserved(id.clone(), *missing)?;
            } else {
                let row = sum
                    .iter()
                    .map(|s| (s / *n as f64).clamp(0.0, 1.0))
                    .collect();
                out.insert(id.clone(), row, *n, *missing)?;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::grades::Grade;

    #[test]
    fn partition_sums_to_one_in_both_directions() {
        let s = KpiScale::smaller_is_better(vec![1.0, 2.0, 4.0]).unwrap();
        let l = KpiScale::larger_is_better(vec![0.9, 0.8, 0.5]).unwrap();
        for x in [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 9.0] {
            let mu = s.membership(x).unwrap();
            assert!((mu.iter().sum::<f64>() - 1.0).abs() < 1e-15, "{x}: {mu:?}");
        }
        assert_eq!(s.membership(3.0).unwrap(), vec![0.0, 0.5, 0.5]);
        assert_eq!(s.membership(2.0).unwrap(), vec![0.0, 1.0, 0.0]);
        assert_eq!(l.membership(0.95).unwrap(), vec![1.0, 0.0, 0.0]);
        assert_eq!(l.membership(0.4).unwrap(), vec![0.0, 0.0, 1.0]);
        let mu = l.membership(0.85).unwrap();
        assert!((mu[0] - 0.5).abs() < 1e-12 && (mu[1] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn rejects_bad_breakpoints_and_values() {
        assert!(matches!(
            KpiScale::smaller_is_better(vec![1.0, 1.0]),
            Err(Error::Input(InputError::InvalidBreakpoint { index: 1, .. }))
        ));
        assert!(matches!(
            KpiScale::larger_is_better(vec![1.0, 2.0]),
            Err(Error::Input(InputError::InvalidBreakpoint { index: 1, .. }))
        ));
        assert!(matches!(
            KpiScale::smaller_is_better(vec![f64::NAN, 2.0]),
            Err(Error::Input(InputError::InvalidBreakpoint { index: 0, .. }))
        ));
        assert!(matches!(
            KpiScale::smaller_is_better(vec![1.0]),
            Err(Error::Evaluation(EvaluationError::TooFewGrades {
                found: 1
            }))
        ));
        let two = GradeSet::new(vec![Grade::new("fast", 1.0), Grade::new("slow", 0.0)]).unwrap();
        let model = KpiModel::new(&two)
            .with_scale(
                "t",
                "urgent",
                KpiScale::smaller_is_better(vec![1.0, 2.0]).unwrap(),
            )
            .unwrap();
        let mut tally = KpiTally::new(model);
        assert_eq!(
            tally.add_case("m", "c9", "urgent", &[Some(-1.0)]),
            Err(Error::Input(InputError::InvalidKpiValue {
                case: "c9".into(),
                indicator: "t".into(),
                value: -1.0
            }))
        );
        assert!(matches!(
            tally.add_case("m", "c9", "vip", &[Some(1.0)]),
            Err(Error::Input(InputError::UnknownCaseClass { .. }))
        ));
        assert!(tally.memberships("m").is_err());
    }
}
