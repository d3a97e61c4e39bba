//! Layout files (JSON), read through a raw mirror so that every layout read is valid.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Error, IntakeError, LayoutProblem, Result};
use crate::input::csv::OnBadRow;
use crate::input::layout::SurveyLayout;
use crate::model::grades::{Grade, GradeSet};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    label: String,
    #[serde(default)]
    label_zh: Option<String>,
    value: f64,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodes {
    best: i64,
    worst: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawPolicy {
    Stop,
    Skip,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    #[serde(default)]
    merchant: Option<String>,
    #[serde(default)]
    respondent: Option<String>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    preset: Option<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    questions: BTreeMap<String, String>,
    #[serde(default)]
    grades: Option<Vec<RawGrade>>,
    /// Extra aliases of the grades, keyed by a grade's label.
    #[serde(default)]
    aliases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    no_answer: Vec<String>,
    #[serde(default)]
    codes: Option<RawCodes>,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    delimiter: Option<String>,
    #[serde(default)]
    sheet: Option<String>,
    #[serde(default)]
    on_bad_row: Option<RawPolicy>,
}

impl TryFrom<RawLayout> for SurveyLayout {
    type Error = Error;

    fn try_from(raw: RawLayout) -> Result<Self> {
        let merchant = raw.merchant.unwrap_or_else(|| "merchant".into());
        let mut layout = match raw.preset.as_deref() {
            None => SurveyLayout::new(merchant),
            Some("wenjuanxing") => SurveyLayout::wenjuanxing(merchant),
            Some(other) => {
                return Err(IntakeError::layout(LayoutProblem::UnknownPreset {
                    name: other.to_owned(),
                })
                .into())
            }
        };
        if let Some(r) = raw.respondent {
            layout = layout.with_respondent_column(r);
        }
        if let Some(p) = raw.period {
            layout = layout.with_period_column(p);
        }
        for pattern in raw.ignore {
            if pattern.trim().is_empty() {
                return Err(
                    IntakeError::layout(LayoutProblem::EmptyName { setting: "ignore" }).into(),
                );
            }
            layout = layout.with_ignored(pattern);
        }
        for (column, id) in raw.questions {
            layout = layout.with_question(column, id);
        }
        if let Some(grades) = raw.grades {
            let mut set = Vec::with_capacity(grades.len());
            let mut aliases = Vec::with_capacity(grades.len());
            for g in grades {
                let mut grade = Grade::new(g.label, g.value);
                if let Some(zh) = g.label_zh {
                    grade = grade.with_label_zh(zh);
                }
                set.push(grade);
                aliases.push(g.aliases);
            }
            let set = GradeSet::new(set).map_err(|e| {
                IntakeError::layout(LayoutProblem::Grades {
                    message: e.to_string(),
                })
            })?;
            layout = layout.with_grades(set, aliases)?;
        }
        for (grade, list) in raw.aliases {
            for alias in list {
                layout = layout.with_alias(&grade, alias)?;
            }
        }
        for token in raw.no_answer {
            layout = layout.with_no_answer(token)?;
        }
        if let Some(c) = raw.codes {
            layout = layout.with_codes(c.best, c.worst)?;
        }
        if let Some(e) = raw.encoding {
            layout = layout.with_encoding(e.parse()?);
        }
        if let Some(d) = raw.delimiter {
            let byte = match d.as_str() {
                "\\t" | "tab" => b'\t',
                one if one.len() == 1 => one.as_bytes()[0],
                _ => {
                    return Err(
                        IntakeError::layout(LayoutProblem::BadDelimiter { delimiter: d }).into(),
                    )
                }
            };
            layout = layout.with_delimiter(byte)?;
        }
        if let Some(s) = raw.sheet {
            layout = layout.with_sheet(s);
        }
        if let Some(p) = raw.on_bad_row {
            layout = layout.with_on_bad_row(match p {
                RawPolicy::Stop => OnBadRow::Stop,
                RawPolicy::Skip => OnBadRow::Skip,
            });
        }
        Ok(layout)
    }
}

impl SurveyLayout {
    /// Reads a layout file (JSON).
    ///
    /// ```text
    /// {
    ///   "preset": "wenjuanxing",            optional: ignore Wenjuanxing's metadata columns
    ///   "merchant": "店铺",                  the merchant column (default "merchant")
    ///   "respondent": "序号", "period": "提交答卷时间",          optional
    ///   "ignore": ["所用时间", "来源*"],      names or patterns (* and ?)
    ///   "questions": {"2": "first_reply", "客服态度": "courtesy"},   question number or
    ///                                         column name -> indicator id
    ///   "grades": [{"label": "very satisfied", "label_zh": "很满意", "value": 95,
    ///               "aliases": ["非常满意"]}, ...],   optional: default the built-in five
    ///   "aliases": {"满意": ["还不错"]},      extra aliases, keyed by a grade's label
    ///   "no_answer": ["不适用"],              tokens added to the defaults
    ///   "codes": {"best": 5, "worst": 1},     numeric codes: which is best
    ///   "encoding": "auto", "delimiter": ",", "sheet": "Sheet1", "on_bad_row": "stop"
    /// }
    /// ```
    ///
    /// Every key is optional; unknown keys are refused.
    ///
    /// # Errors
    ///
    /// [`IntakeError::InvalidLayout`] for an inconsistent layout (see the `with_*` methods),
    /// also for malformed JSON ([`LayoutProblem::File`], with line and column).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::input::SurveyLayout;
    ///
    /// let layout = SurveyLayout::from_json(r#"{"merchant": "店铺", "codes": {"best": 1, "worst": 5}}"#)?;
    /// assert_eq!(layout.codes().map(|c| c.best()), Some(1));
    /// assert!(SurveyLayout::from_json(r#"{"codes": {"best": 1, "worst": 3}}"#).is_err());
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self> {
        let raw: RawLayout = serde_json::from_str(text).map_err(|e| {
            let full = e.to_string();
            let position = format!(" at line {} column {}", e.line(), e.column());
            IntakeError::layout(LayoutProblem::File {
                line: e.line(),
                column: e.column(),
                message: full.strip_suffix(&position).unwrap_or(&full).to_owned(),
            })
        })?;
        Self::try_from(raw)
    }
}
