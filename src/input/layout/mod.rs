//! Survey layouts: how the columns and cells of a questionnaire export become indicators and
//! grades.

mod answers;
mod columns;
#[cfg(feature = "serde")]
mod file;
pub(crate) mod read;

pub(crate) use answers::{Answer, AnswerScale, CellProblem};
pub use answers::{CodeScale, DEFAULT_NO_ANSWER, SATISFACTION_ALIASES};
pub(crate) use columns::Bound;

use crate::error::{IntakeError, LayoutProblem, Result};
use crate::input::csv::OnBadRow;
use crate::input::encoding::TextEncoding;
use crate::model::grades::GradeSet;

/// How a questionnaire export's columns and cells become indicators and grades.
///
/// - **Columns.** The merchant column (any name; default `merchant`), optionally the
///   respondent and the period columns (recognised, not graded), columns to ignore by name or
///   pattern (`*` any run of characters, `?` one), and every other column a question. A
///   question column maps to an indicator (a leaf of the tree), tried in this order: the
///   layout's explicit map, keyed by the whole column name or by the question number of a
///   numbered header (Wenjuanxing writes `2、您对客服首次回复速度的满意度`, others `Q2.` or
///   `(2)`); the leaf's id; its English or Chinese label (ignoring case and surrounding
///   whitespace), compared with the whole header and with the text after its number. A
///   column that maps to nothing is an [`IntakeError::UnmappedColumn`] listing the closest
///   indicators.
/// - **Cells.** A grade's English or Chinese label or one of its aliases (ignoring case and
///   surrounding whitespace); a numeric code when a [`CodeScale`] is declared (a number
///   without one is refused with [`IntakeError::UndeclaredCodes`], whose message shows how to
///   declare it); or a "no answer" token (the empty cell and [`DEFAULT_NO_ANSWER`] plus any
///   added), counted as missing, never as a grade.
/// - **Grades.** [`GradeSet::satisfaction_5`] (values 95 … 55) with the aliases
///   [`SATISFACTION_ALIASES`] (非常满意 / 十分满意 for 很满意, 中立 for 一般, …) unless others
///   are set. The code scale is independent of the grade values: `5 = best` reads code 5 as
///   the first grade whatever its value.
/// - **File.** The text encoding (detected by default, see [`TextEncoding`]), the delimiter
///   (detected from the header by default: comma, tab or semicolon), the sheet of a workbook
///   (the first by default) and what happens to a bad row (stop, the default, or skip).
///
/// A layout is built with `with_*` methods (those that can make it inconsistent return a
/// `Result`) or read from JSON with [`SurveyLayout::from_json`] (feature `serde`). Every
/// layout is valid: labels, aliases and tokens are distinct, a code scale has one code per
/// grade.
///
/// # Examples
///
/// ```
/// use service_quality::input::SurveyLayout;
/// use service_quality::{template, IndicatorTree, Survey};
///
/// let tree = IndicatorTree::new(template::after_sales())?;
/// let layout = SurveyLayout::wenjuanxing("店铺")
///     .with_question("1", "courtesy")
///     .with_question("2", "respect");
/// let file = "序号,店铺,1、客服是否礼貌,2、是否尊重您\n1,shop-a,非常满意,(跳过)\n2,shop-a,满意,一般\n";
/// let survey = Survey::read_with_layout(file.as_bytes(), &tree, &layout)?.into_result()?;
/// let tally = &survey.merchants()[0];
/// assert_eq!(tally.counts(0), Some(&[1, 1, 0, 0, 0][..])); // courtesy
/// assert_eq!(tally.missing(), [0, 1]);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyLayout {
    merchant: String,
    respondent: Option<String>,
    period: Option<String>,
    ignore: Vec<String>,
    questions: Vec<(String, String)>,
    answers: AnswerScale,
    encoding: TextEncoding,
    delimiter: Option<u8>,
    sheet: Option<String>,
    on_bad_row: OnBadRow,
}

impl Default for SurveyLayout {
    fn default() -> Self {
        Self::new("merchant")
    }
}

/// The metadata columns of a Wenjuanxing (问卷星) export, ignored by
/// [`SurveyLayout::wenjuanxing`].
pub const WENJUANXING_METADATA: [&str; 8] = [
    "序号",
    "提交答卷时间",
    "所用时间",
    "来源",
    "来源详情",
    "来自IP",
    "总分",
    "用户ID",
];

impl SurveyLayout {
    /// A layout with this merchant column, the built-in satisfaction grades with their
    /// aliases, the default "no answer" tokens, no code scale, the encoding and delimiter
    /// detected, stopping at the first bad row.
    pub fn new(merchant_column: impl Into<String>) -> Self {
        Self {
            merchant: merchant_column.into(),
            respondent: None,
            period: None,
            ignore: Vec::new(),
            questions: Vec::new(),
            answers: AnswerScale::satisfaction(),
            encoding: TextEncoding::Auto,
            delimiter: None,
            sheet: None,
            on_bad_row: OnBadRow::Stop,
        }
    }

    /// [`new`](Self::new) with Wenjuanxing's metadata columns ignored
    /// ([`WENJUANXING_METADATA`]: 序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP, 总分, 用户ID).
    pub fn wenjuanxing(merchant_column: impl Into<String>) -> Self {
        WENJUANXING_METADATA
            .iter()
            .fold(Self::new(merchant_column), |l, c| l.with_ignored(*c))
    }

    /// The respondent column (recognised, not graded).
    pub fn with_respondent_column(mut self, name: impl Into<String>) -> Self {
        self.respondent = Some(name.into());
        self
    }

    /// The period (date) column (recognised, not graded).
    pub fn with_period_column(mut self, name: impl Into<String>) -> Self {
        self.period = Some(name.into());
        self
    }

    /// A column to ignore, by name or pattern (`*`, `?`); may be repeated.
    pub fn with_ignored(mut self, pattern: impl Into<String>) -> Self {
        self.ignore.push(pattern.into());
        self
    }

    /// Maps a column (its whole name, or its question number such as `"2"`) to an indicator
    /// id; may be repeated. Checked against the tree when a file is read.
    pub fn with_question(
        mut self,
        column: impl Into<String>,
        indicator: impl Into<String>,
    ) -> Self {
        self.questions.push((column.into(), indicator.into()));
        self
    }

    /// Replaces the grades (their values give the scores) with one list of aliases per grade
    /// (fewer lists: the other grades get none).
    ///
    /// # Errors
    ///
    /// [`IntakeError::InvalidLayout`] when two labels, aliases or tokens coincide, or a
    /// declared code scale does not have one code per grade.
    pub fn with_grades(mut self, grades: GradeSet, aliases: Vec<Vec<String>>) -> Result<Self> {
        self.answers.set_grades(grades, aliases)?;
        Ok(self)
    }

    /// Adds an alias of the grade with this label (English or Chinese).
    ///
    /// # Errors
    ///
    /// [`IntakeError::InvalidLayout`] when no grade has the label or the alias is taken.
    pub fn with_alias(mut self, grade: &str, alias: impl Into<String>) -> Result<Self> {
        let Some(index) = self.answers.grades().index_of(grade) else {
            return Err(IntakeError::layout(LayoutProblem::Grades {
                message: format!("no grade labelled `{grade}`"),
            })
            .into());
        };
        self.answers.add_alias(index, alias.into())?;
        Ok(self)
    }

    /// Adds a "no answer" token.
    ///
    /// # Errors
    ///
    /// [`IntakeError::InvalidLayout`] when the token is a grade label or alias, or empty.
    pub fn with_no_answer(mut self, token: impl Into<String>) -> Result<Self> {
        self.answers.add_no_answer(token.into())?;
        Ok(self)
    }

    /// Declares numeric codes: `best` is the code of the first (best) grade, `worst` of the
    /// last, one code per grade in between (`(5, 1)`: 5 = very satisfied; `(1, 5)`: 1 = very
    /// satisfied). The grade values are untouched.
    ///
    /// # Errors
    ///
    /// [`IntakeError::InvalidLayout`] ([`LayoutProblem::CodeCount`]) unless
    /// `|best - worst| + 1` is the number of grades.
    pub fn with_codes(mut self, best: i64, worst: i64) -> Result<Self> {
        self.answers.set_codes(CodeScale::new(best, worst))?;
        Ok(self)
    }

    /// The text encoding (default [`TextEncoding::Auto`]).
    pub fn with_encoding(mut self, encoding: TextEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The delimiter (default: detected from the header among `,`, `\t` and `;`).
    ///
    /// # Errors
    ///
    /// [`IntakeError::InvalidLayout`] for a quote, a line break or a non-ASCII byte.
    pub fn with_delimiter(mut self, delimiter: u8) -> Result<Self> {
        if !delimiter.is_ascii() || matches!(delimiter, b'"' | b'\n' | b'\r') {
            return Err(IntakeError::layout(LayoutProblem::BadDelimiter {
                delimiter: char::from(delimiter).to_string(),
            })
            .into());
        }
        self.delimiter = Some(delimiter);
        Ok(self)
    }

    /// The sheet of a workbook to read (default: the first).
    pub fn with_sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }

    /// What happens to a bad row (default [`OnBadRow::Stop`]).
    pub fn with_on_bad_row(mut self, policy: OnBadRow) -> Self {
        self.on_bad_row = policy;
        self
    }

    /// The merchant column's name.
    pub fn merchant_column(&self) -> &str {
        &self.merchant
    }

    /// The respondent column's name, if set.
    pub fn respondent_column(&self) -> Option<&str> {
        self.respondent.as_deref()
    }

    /// The period column's name, if set.
    pub fn period_column(&self) -> Option<&str> {
        self.period.as_deref()
    }

    /// The ignored column names and patterns.
    pub fn ignored(&self) -> &[String] {
        &self.ignore
    }

    /// The explicit `(column or question number, indicator id)` map.
    pub fn questions(&self) -> &[(String, String)] {
        &self.questions
    }

    /// The grades (their values give the scores).
    pub fn grades(&self) -> &GradeSet {
        self.answers.grades()
    }

    /// The aliases of each grade, in grade order.
    pub fn aliases(&self) -> &[Vec<String>] {
        self.answers.aliases()
    }

    /// The "no answer" tokens (besides the empty cell).
    pub fn no_answer(&self) -> &[String] {
        self.answers.no_answer()
    }

    /// The numeric code scale, if declared.
    pub fn codes(&self) -> Option<CodeScale> {
        self.answers.codes()
    }

    /// The text encoding.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// The delimiter, if declared.
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// The sheet of a workbook, if declared.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// What happens to a bad row.
    pub fn on_bad_row(&self) -> OnBadRow {
        self.on_bad_row
    }

    pub(crate) fn answers(&self) -> &AnswerScale {
        &self.answers
    }
}

/// The delimiter of a file whose first line is `header`: the declared one, else whichever of
/// `,`, `\t`, `;` occurs most in it (comma on a tie or when none occurs).
pub(crate) fn delimiter_of(header: &[u8], declared: Option<u8>) -> u8 {
    if let Some(d) = declared {
        return d;
    }
    let line = header
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(header, |end| &header[..end]);
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    let mut best = (count(b','), b',');
    for d in [b'\t', b';'] {
        let c = count(d);
        if c > best.0 {
            best = (c, d);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_refuse_inconsistent_settings() {
        let l = SurveyLayout::new("m");
        assert!(l.clone().with_alias("满意", "很满意").is_err());
        assert!(l.clone().with_alias("nope", "x").is_err());
        assert!(l.clone().with_no_answer("一般").is_err());
        assert!(l.clone().with_no_answer("  ").is_err());
        assert!(l.clone().with_codes(1, 4).is_err());
        assert!(l.clone().with_delimiter(b'"').is_err());
        let l = l
            .with_alias("满意", "还不错")
            .unwrap()
            .with_codes(5, 1)
            .unwrap();
        assert!(l
            .with_grades(GradeSet::satisfaction_5_points(), vec![])
            .is_ok());
        assert_eq!(delimiter_of(b"a;b;c,d\nx", None), b';');
        assert_eq!(delimiter_of(b"a\tb\n", None), b'\t');
        assert_eq!(delimiter_of(b"a\n", None), b',');
    }
}
