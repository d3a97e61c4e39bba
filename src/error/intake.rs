//! Errors of questionnaire intake: survey layouts, text encodings and workbooks.

use core::fmt;

/// Where in a file a row is: a line of a text file, or a row of a workbook sheet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Place {
    /// A physical line of a text file (1-based; `\n`, `\r\n` and `\r` each end one line).
    Line(u64),
    /// A row of a workbook sheet (1-based, as the spreadsheet program shows it).
    Row {
        /// The sheet's name.
        sheet: String,
        /// 1-based row number.
        row: u64,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Line(line) => write!(f, "line {line}"),
            Self::Row { sheet, row } => write!(f, "sheet `{sheet}` row {row}"),
        }
    }
}

/// What is wrong with the bytes of a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncodingProblem {
    /// Declared or detected UTF-8, but a byte sequence is not UTF-8.
    InvalidUtf8,
    /// Declared or detected GBK / GB18030, but a byte sequence is not GB18030.
    InvalidGb18030,
    /// UTF-16 (from its byte-order mark), but a code unit is cut off or a surrogate unpaired.
    InvalidUtf16,
    /// Neither UTF-8 nor GB18030 from the first bytes, and no UTF-16 byte-order mark.
    Unrecognised,
}

impl fmt::Display for EncodingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidUtf8 => "the text is not valid UTF-8",
            Self::InvalidGb18030 => "the text is not valid GBK / GB18030",
            Self::InvalidUtf16 => "the text is not valid UTF-16",
            Self::Unrecognised => {
                "the text is neither UTF-8, GBK / GB18030 nor UTF-16 with a byte-order mark"
            }
        })
    }
}

/// Errors of reading a questionnaire export through a [`SurveyLayout`](crate::input::SurveyLayout):
/// the layout itself, how the header maps to indicators, how cells map to grades, the text
/// encoding and workbooks.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum IntakeError {
    /// A question column of the header matches no indicator of the tree (by the layout's
    /// explicit map, the indicator ids, the English or Chinese labels or the question number).
    #[error(
        "column {col} `{column}` matches no indicator (closest: {}); map it in the layout's `questions` or list it in `ignore`",
        closest_list(.closest)
    )]
    UnmappedColumn {
        /// 1-based column number.
        col: usize,
        /// The header text.
        column: String,
        /// The closest indicators as `id (label / label_zh)`, best first.
        closest: Vec<String>,
    },
    /// Two columns of the header map to the same indicator.
    #[error("columns {first} and {second} both map to indicator `{indicator}`")]
    ColumnsShareIndicator {
        /// The indicator id.
        indicator: String,
        /// 1-based number of the first column.
        first: usize,
        /// 1-based number of the second column.
        second: usize,
    },
    /// The layout maps a column or question number to an id that is not a leaf of the tree.
    #[error(
        "the layout maps `{key}` to `{indicator}`, which is not an indicator (leaf) of the tree"
    )]
    UnknownIndicator {
        /// The column name or question number of the map.
        key: String,
        /// The id it maps to.
        indicator: String,
    },
    /// A column the layout names (merchant, respondent, period) is not in the header.
    #[error("the {role} column `{column}` is not in the header (columns: {})", .header.join(", "))]
    MissingColumn {
        /// What the column holds: `merchant`, `respondent` or `period`.
        role: &'static str,
        /// The name the layout gives it.
        column: String,
        /// The header's column names.
        header: Vec<String>,
    },
    /// The header has no question column.
    #[error("the header has no question column (every column is the merchant's or ignored)")]
    NoQuestions,
    /// A cell is a number but the layout declares no numeric code scale.
    #[error(
        "{at}, column {col} `{column}`: {cell:?} is a number but the layout declares no code scale; \
         declare which code is best, e.g. \"codes\": {{\"best\": 5, \"worst\": 1}} in the layout file \
         or `.with_codes(5, 1)` (5 = very satisfied), or {{\"best\": 1, \"worst\": 5}} if 1 is best"
    )]
    UndeclaredCodes {
        /// Where the row is.
        at: Place,
        /// 1-based column number.
        col: usize,
        /// The column name.
        column: String,
        /// The cell text.
        cell: String,
    },
    /// A cell is neither a grade label or alias, a code of the declared scale nor a
    /// "no answer" token; or the merchant cell is empty.
    #[error("{at}, column {col} `{column}`: {cell:?} is not {expected}")]
    BadCell {
        /// Where the row is.
        at: Place,
        /// 1-based column number.
        col: usize,
        /// The column name.
        column: String,
        /// The cell text (undecodable bytes shown as U+FFFD).
        cell: String,
        /// What the cell should hold.
        expected: String,
    },
    /// A record is longer than the reader's limit (a runaway quoted field, or not a CSV file).
    #[error(
        "{at}: a record longer than {limit} bytes (a quote never closed, or not a text table?)"
    )]
    RecordTooLong {
        /// Where the record starts.
        at: Place,
        /// The limit in bytes.
        limit: usize,
    },
    /// The bytes are not text in the declared or detected encoding.
    #[error(
        "{problem} at byte {offset} (line {line}); re-save the file as \"CSV UTF-8\" (Excel: Save As > CSV UTF-8), \
         or declare its encoding in the layout (\"encoding\": \"gbk\", \"utf-8\", \"utf-16\")"
    )]
    Encoding {
        /// What is wrong.
        problem: EncodingProblem,
        /// 0-based byte offset of the first bad byte in the file.
        offset: u64,
        /// 1-based line of that byte.
        line: u64,
    },
    /// A grade count no longer fits in `u32` (more than 4,294,967,295 answers of one grade).
    #[error("more than u32::MAX answers of one grade for merchant `{merchant}`")]
    CountOverflow {
        /// The merchant.
        merchant: String,
    },
    /// The layout is inconsistent: two grades share a label or alias, a code scale does not
    /// fit the grades, a "no answer" token is also a grade label, an unknown encoding or
    /// delimiter name.
    #[error("layout: {problem}")]
    InvalidLayout {
        /// What is wrong.
        problem: LayoutProblem,
    },
    /// The workbook names no sheet of that name (or has no sheet).
    #[error("the workbook has no sheet `{sheet}` (sheets: {})", .available.join(", "))]
    NoSuchSheet {
        /// The sheet asked for (empty: the first).
        sheet: String,
        /// The workbook's sheets.
        available: Vec<String>,
    },
    /// A part of the workbook unpacks to more bytes than the reader's limit (a zip bomb, or a
    /// workbook too large for this reader).
    #[error("workbook part `{part}` unpacks to more than {limit} bytes")]
    WorkbookTooLarge {
        /// The part (file inside the archive).
        part: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The workbook reader failed (not an .xlsx file, a broken archive or XML).
    #[cfg(feature = "xlsx")]
    #[cfg_attr(docsrs, doc(cfg(feature = "xlsx")))]
    #[error("workbook: {message}")]
    Workbook {
        /// The workbook reader's message.
        message: String,
    },
    /// The input is a zip archive (an .xlsx workbook) but the crate was built without the
    /// `xlsx` feature, or it was given to a text reader.
    #[error("this is a workbook (.xlsx), not a text table: read it with the `xlsx` feature's readers, or save it as \"CSV UTF-8\"")]
    WorkbookAsText,
    /// Reading the input failed.
    #[error("read error: {message}")]
    Io {
        /// The I/O error's message.
        message: String,
        /// Its kind.
        kind: std::io::ErrorKind,
    },
}

fn closest_list(closest: &[String]) -> String {
    if closest.is_empty() {
        "none".into()
    } else {
        closest.join("; ")
    }
}

/// What is wrong with a [`SurveyLayout`](crate::input::SurveyLayout)
/// ([`IntakeError::InvalidLayout`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LayoutProblem {
    /// A label or alias (compared ignoring case and surrounding whitespace) names two grades,
    /// or a grade and a "no answer" token.
    DuplicateLabel {
        /// The label.
        label: String,
    },
    /// The code scale has another number of codes than there are grades.
    CodeCount {
        /// The best code.
        best: i64,
        /// The worst code.
        worst: i64,
        /// Number of grades.
        grades: usize,
    },
    /// An encoding name that is not one of `auto`, `utf-8`, `gbk`, `gb18030`, `utf-16`,
    /// `utf-16le`, `utf-16be`.
    UnknownEncoding {
        /// The name given.
        name: String,
    },
    /// A delimiter that is not one ASCII byte other than a quote or line break.
    BadDelimiter {
        /// The delimiter given.
        delimiter: String,
    },
    /// A grade set the crate refuses (see [`GradeSet::new`](crate::GradeSet::new)).
    Grades {
        /// The grade set's error message.
        message: String,
    },
    /// A layout file that is not valid JSON or has an unknown key or a wrong type.
    File {
        /// 1-based line in the layout file.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The JSON reader's message.
        message: String,
    },
    /// A preset that does not exist.
    UnknownPreset {
        /// The name given.
        name: String,
    },
    /// An empty column name or pattern.
    EmptyName {
        /// Which setting.
        setting: &'static str,
    },
}

impl fmt::Display for LayoutProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateLabel { label } => {
                write!(f, "`{label}` names two grades (or a grade and a no-answer token)")
            }
            Self::CodeCount {
                best,
                worst,
                grades,
            } => write!(
                f,
                "codes {best}..{worst} are {} codes for {grades} grades",
                best.abs_diff(*worst).saturating_add(1)
            ),
            Self::UnknownEncoding { name } => write!(
                f,
                "unknown encoding `{name}` (auto, utf-8, gbk, gb18030, utf-16, utf-16le, utf-16be)"
            ),
            Self::BadDelimiter { delimiter } => write!(
                f,
                "delimiter {delimiter:?} must be one ASCII character other than a quote or line break"
            ),
            Self::Grades { message } => write!(f, "grades: {message}"),
            Self::File {
                line,
                column,
                message,
            } => write!(f, "line {line} column {column}: {message}"),
            Self::UnknownPreset { name } => write!(f, "unknown preset `{name}` (known: wenjuanxing)"),
            Self::EmptyName { setting } => write!(f, "empty name in `{setting}`"),
        }
    }
}

#[cfg(feature = "csv")]
impl IntakeError {
    pub(crate) fn layout(problem: LayoutProblem) -> Self {
        Self::InvalidLayout { problem }
    }

    pub(crate) fn io(e: &std::io::Error) -> Self {
        Self::Io {
            message: e.to_string(),
            kind: e.kind(),
        }
    }
}
