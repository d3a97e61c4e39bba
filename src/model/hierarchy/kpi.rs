//! KPI thresholds declared in a model file, per indicator and class of case.

/// Breakpoints of one KPI scale, best grade first, with their direction.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum KpiBreakpoints {
    /// Smaller is better (times): strictly increasing breakpoints.
    SmallerIsBetter(Vec<f64>),
    /// Larger is better (rates): strictly decreasing breakpoints.
    LargerIsBetter(Vec<f64>),
}

/// The thresholds of one KPI indicator for one class of case, as written in a model file
/// (checked when the [`KpiModel`](crate::KpiModel) is built, against the grade set).
///
/// In JSON: `{"indicator": "first_reply", "class": "urgent", "smaller_is_better": [0.5, 2,
/// 5, 10, 30]}`, or `"larger_is_better"` with decreasing values; exactly one of the two.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "raw::RawKpiScaleSpec", into = "raw::RawKpiScaleSpec")
)]
pub struct KpiScaleSpec {
    /// The indicator (leaf) id.
    pub indicator: String,
    /// The class of case (any name the KPI file uses, e.g. `urgent`, `ordinary`).
    pub class: String,
    /// One breakpoint per grade, best grade first.
    pub breakpoints: KpiBreakpoints,
}

/// The `kpi` section of a model file: the thresholds that turn measured KPI values into grade
/// memberships, per indicator and class of case (urgent problems need a faster response
/// than ordinary ones).
///
/// ```json
/// "kpi": {
///   "unit": "minutes",
///   "scales": [
///     { "indicator": "first_reply", "class": "urgent", "smaller_is_better": [0.5, 2, 5, 10, 30] },
///     { "indicator": "first_reply", "class": "ordinary", "smaller_is_better": [5, 15, 30, 60, 180] }
///   ]
/// }
/// ```
///
/// [`IndicatorTree::from_spec`](crate::IndicatorTree::from_spec) checks that every scale names
/// an indicator of the tree and that no `(indicator, class)` pair is given twice;
/// [`KpiModel::from_tree`](crate::KpiModel::from_tree) checks the breakpoints against the
/// grade set. `unit` is documentation only (the unit of the values in the KPI file).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct KpiSpec {
    /// The unit of the measured values and breakpoints (for example `minutes`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub unit: Option<String>,
    /// The scales, one per `(indicator, class)`.
    pub scales: Vec<KpiScaleSpec>,
}

#[cfg(feature = "serde")]
mod raw {
    use super::{KpiBreakpoints, KpiScaleSpec};

    /// The JSON shape of a scale: exactly one of the two breakpoint lists.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct RawKpiScaleSpec {
        indicator: String,
        class: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        smaller_is_better: Option<Vec<f64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        larger_is_better: Option<Vec<f64>>,
    }

    impl TryFrom<RawKpiScaleSpec> for KpiScaleSpec {
        type Error = String;
        fn try_from(r: RawKpiScaleSpec) -> Result<Self, String> {
            let breakpoints = match (r.smaller_is_better, r.larger_is_better) {
                (Some(b), None) => KpiBreakpoints::SmallerIsBetter(b),
                (None, Some(b)) => KpiBreakpoints::LargerIsBetter(b),
                _ => {
                    return Err(format!(
                        "KPI scale of `{}` (class `{}`) needs exactly one of \
                         `smaller_is_better` and `larger_is_better`",
                        r.indicator, r.class
                    ))
                }
            };
            Ok(KpiScaleSpec {
                indicator: r.indicator,
                class: r.class,
                breakpoints,
            })
        }
    }

    impl From<KpiScaleSpec> for RawKpiScaleSpec {
        fn from(s: KpiScaleSpec) -> Self {
            let (smaller_is_better, larger_is_better) = match s.breakpoints {
                KpiBreakpoints::SmallerIsBetter(b) => (Some(b), None),
                KpiBreakpoints::LargerIsBetter(b) => (None, Some(b)),
            };
            RawKpiScaleSpec {
                indicator: s.indicator,
                class: s.class,
                smaller_is_better,
                larger_is_better,
            }
        }
    }
}
