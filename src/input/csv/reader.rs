//! What survey and KPI CSV readers share: options, header checks, the bad-row policy and
//! the outcome of a read.

use std::io::Read;
use std::sync::Arc;

use crate::error::{CsvError, Error, Result};
use crate::input::csv::position::Tracked;

/// What a reader does with a malformed data row.
///
/// Either way the rows before it are kept: a bad row never makes earlier rows disappear. A
/// blank row is not malformed: it is skipped and recorded whatever the policy (see
/// [`CsvRead`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnBadRow {
    /// Stop reading at the first bad row; [`CsvRead::stopped`] holds its error (the default).
    #[default]
    Stop,
    /// Skip the row, record its error in [`CsvRead::skipped`] and go on.
    Skip,
}

/// How numeric survey cells name a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum GradeNumbers {
    /// `k` is the k-th grade of the set, 1-based, best first as the set lists them (the
    /// default): with [`GradeSet::satisfaction_5`](crate::GradeSet::satisfaction_5), `1` is
    /// very satisfied.
    #[default]
    Position,
    /// `x` is the grade whose value is `x`: with
    /// [`GradeSet::satisfaction_5_points`](crate::GradeSet::satisfaction_5_points), `5` is very
    /// satisfied, as on a usual Likert sheet.
    Value,
}

/// Options of the CSV readers: `with_*` setters, accessors named like the setting.
///
/// How every record of the file is accounted for, and how lines are numbered, is told on
/// [`CsvRead`].
///
/// # Examples
///
/// ```
/// use service_quality::input::{CsvOptions, GradeNumbers, OnBadRow};
///
/// let opts = CsvOptions::new()
///     .with_on_bad_row(OnBadRow::Skip)
///     .with_ignored_column("respondent")
///     .with_grade_numbers(GradeNumbers::Value);
/// assert_eq!(opts.merchant_column(), "merchant");
/// assert_eq!(opts.ignored_columns(), ["respondent"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    merchant_column: String,
    case_column: String,
    class_column: String,
    ignore: Vec<String>,
    on_bad_row: OnBadRow,
    delimiter: u8,
    grade_numbers: GradeNumbers,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            merchant_column: "merchant".into(),
            case_column: "case".into(),
            class_column: "class".into(),
            ignore: Vec::new(),
            on_bad_row: OnBadRow::Stop,
            delimiter: b',',
            grade_numbers: GradeNumbers::Position,
        }
    }
}

impl CsvOptions {
    /// The defaults: columns `merchant`, `case`, `class`; comma-delimited; stop at the first
    /// bad row; numbers are grade positions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Name of the merchant column (default `merchant`).
    pub fn with_merchant_column(mut self, name: impl Into<String>) -> Self {
        self.merchant_column = name.into();
        self
    }

    /// Name of the KPI case-id column (default `case`).
    pub fn with_case_column(mut self, name: impl Into<String>) -> Self {
        self.case_column = name.into();
        self
    }

    /// Name of the KPI case-class column (default `class`).
    pub fn with_class_column(mut self, name: impl Into<String>) -> Self {
        self.class_column = name.into();
        self
    }

    /// A column to skip (for example a respondent id or a timestamp); may be repeated.
    pub fn with_ignored_column(mut self, name: impl Into<String>) -> Self {
        self.ignore.push(name.into());
        self
    }

    /// What to do with a malformed row (default [`OnBadRow::Stop`]).
    pub fn with_on_bad_row(mut self, policy: OnBadRow) -> Self {
        self.on_bad_row = policy;
        self
    }

    /// The field delimiter (default `b','`; `b';'` and `b'\t'` are common too).
    pub fn with_delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// How numeric survey cells name a grade (default [`GradeNumbers::Position`]).
    pub fn with_grade_numbers(mut self, numbers: GradeNumbers) -> Self {
        self.grade_numbers = numbers;
        self
    }

    /// The merchant column's name.
    pub fn merchant_column(&self) -> &str {
        &self.merchant_column
    }

    /// The KPI case-id column's name.
    pub fn case_column(&self) -> &str {
        &self.case_column
    }

    /// The KPI case-class column's name.
    pub fn class_column(&self) -> &str {
        &self.class_column
    }

    /// The columns to skip, in the order given.
    pub fn ignored_columns(&self) -> &[String] {
        &self.ignore
    }

    /// What happens to a malformed row.
    pub fn on_bad_row(&self) -> OnBadRow {
        self.on_bad_row
    }

    /// The field delimiter.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// How numeric survey cells name a grade.
    pub fn grade_numbers(&self) -> GradeNumbers {
        self.grade_numbers
    }

    pub(crate) fn is_ignored(&self, column: &str) -> bool {
        self.ignore.iter().any(|c| c == column)
    }
}

/// The outcome of reading a CSV file: the data from every good row, plus what was skipped or
/// where reading stopped.
///
/// Every record after the header, up to the one where reading stopped, is accounted for once:
///
/// | record | counted in |
/// |---|---|
/// | a good row | [`rows_read`](Self::rows_read) |
/// | a blank row: only whitespace, or one empty quoted cell (`""`) | [`skipped`](Self::skipped), as [`CsvError::BlankRow`], under either [`OnBadRow`] |
/// | a bad row under [`OnBadRow::Skip`] | [`skipped`](Self::skipped) |
/// | the bad row under [`OnBadRow::Stop`], or an I/O error | [`stopped`](Self::stopped) (no record after it is read) |
///
/// so `rows_read() + skipped().len() + stopped().is_some() as usize` is the number of records
/// read after the header. Empty lines are not records (the `csv` crate ignores them). An
/// unterminated quoted field makes the rest of the file one record, reported as
/// [`CsvError::UnterminatedQuote`] with the line where the quote opened.
///
/// Line numbers in errors are physical lines of the file (1-based, the header is line 1 when
/// nothing precedes it), whether lines end with `\n`, `\r\n` or `\r`, with or without a
/// UTF-8 byte-order mark.
///
/// A read that stopped cannot be taken as complete by accident: the data comes out through
/// [`into_result`](Self::into_result) (the stop is the error) or
/// [`into_parts`](Self::into_parts) (the stop beside the data); [`data`](Self::data) only
/// lends it.
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a read may have stopped at a bad row: check `stopped()` or use `into_result()`"]
pub struct CsvRead<T> {
    data: T,
    rows_read: usize,
    skipped: Vec<Error>,
    stopped: Option<Error>,
}

impl<T> CsvRead<T> {
    /// Applies `f` to the data, keeping the row report.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> CsvRead<U> {
        CsvRead {
            data: f(self.data),
            rows_read: self.rows_read,
            skipped: self.skipped,
            stopped: self.stopped,
        }
    }

    /// The data read from the good rows (before the stop, if reading stopped: see
    /// [`stopped`](Self::stopped)).
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The data and the error where reading stopped, if it did: the caller decides what a
    /// stopped read means (there is no way to take the data and drop the stop unseen).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{template, GradeSet, IndicatorTree, Survey};
    /// use service_quality::input::CsvOptions;
    ///
    /// let tree = IndicatorTree::new(template::after_sales())?;
    /// let csv = "merchant,courtesy\nshop-a,很满意\nshop-b,excellent\nshop-c,满意\n";
    /// let read = Survey::from_csv(csv.as_bytes(), &tree, GradeSet::satisfaction_5(), &CsvOptions::new())?;
    /// let (survey, stopped) = read.into_parts();
    /// assert_eq!(survey.merchants().len(), 1); // only the rows before line 3
    /// assert!(stopped.is_some());
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn into_parts(self) -> (T, Option<Error>) {
        (self.data, self.stopped)
    }

    pub(crate) fn new(
        data: T,
        rows_read: usize,
        skipped: Vec<Error>,
        stopped: Option<Error>,
    ) -> Self {
        Self {
            data,
            rows_read,
            skipped,
            stopped,
        }
    }

    /// Applies `f` to every recorded error (skipped rows and the stop).
    pub(crate) fn map_errors(self, f: impl Fn(Error) -> Error) -> Self {
        Self {
            data: self.data,
            rows_read: self.rows_read,
            skipped: self.skipped.into_iter().map(&f).collect(),
            stopped: self.stopped.map(&f),
        }
    }

    /// Number of data rows taken into the data (see the table above for the other records).
    pub fn rows_read(&self) -> usize {
        self.rows_read
    }

    /// The errors of the rows skipped, in file order, each naming its line: blank rows
    /// ([`CsvError::BlankRow`], whatever the policy) and bad rows under [`OnBadRow::Skip`].
    pub fn skipped(&self) -> &[Error] {
        &self.skipped
    }

    /// The error of the row where reading stopped under [`OnBadRow::Stop`] (or on an I/O
    /// error), if it did.
    pub fn stopped(&self) -> Option<&Error> {
        self.stopped.as_ref()
    }

    /// The data when reading did not stop early.
    ///
    /// # Errors
    ///
    /// The error of the row where reading stopped. (Skipped rows are not errors here; check
    /// [`skipped`](Self::skipped).)
    pub fn into_result(self) -> Result<T> {
        match self.stopped {
            Some(e) => Err(e),
            None => Ok(self.data),
        }
    }
}

/// One data row: its 1-based line number and trimmed cells.
pub(crate) struct Row<'r> {
    pub(crate) line: u64,
    pub(crate) cells: &'r csv::StringRecord,
}

impl Row<'_> {
    pub(crate) fn cell(&self, col: usize) -> &str {
        self.cells.get(col).unwrap_or("")
    }

    /// A [`CsvError::BadCell`] for column `col` (0-based) of this row.
    pub(crate) fn bad_cell(&self, col: usize, header: &[String], expected: String) -> Error {
        Error::Csv(CsvError::BadCell {
            line: self.line,
            col: col + 1,
            column: header.get(col).cloned().unwrap_or_default(),
            cell: self.cell(col).to_owned(),
            expected,
        })
    }
}

fn csv_error(e: csv::Error, line: Option<u64>) -> Error {
    Error::Csv(CsvError::Reader {
        line,
        source: Arc::new(e),
    })
}

/// The line of the record that starts at `position`, and an error when the record holds a
/// quote that the file never closes.
fn record_line<R: Read>(
    rdr: &mut csv::Reader<Tracked<R>>,
    position: Option<&csv::Position>,
) -> (u64, Option<Error>) {
    let start = position.map_or(0, csv::Position::byte);
    let end = rdr.position().byte();
    let input = rdr.get_mut();
    let line = input.line_at(start);
    let open = input
        .open_quote()
        .filter(|&quote| start <= quote && quote < end)
        .map(|quote| {
            Error::Csv(CsvError::UnterminatedQuote {
                line: input.line_at(quote),
            })
        });
    (line, open)
}

/// Reads the header and every row; `header` checks the header and returns the state that
/// `row` fills. Row errors follow `opts.on_bad_row`; the row count is the number of rows for
/// which `row` succeeded; blank rows are always skipped.
pub(crate) fn read_rows<R: Read, S>(
    reader: R,
    opts: &CsvOptions,
    header: impl FnOnce(&[String]) -> Result<S>,
    mut row: impl FnMut(&mut S, &[String], &Row<'_>) -> Result<()>,
) -> Result<CsvRead<S>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(opts.delimiter)
        .from_reader(Tracked::new(reader, opts.delimiter));
    let mut record = csv::StringRecord::new();
    let has_header = match rdr.read_record(&mut record) {
        Ok(has_header) => has_header,
        Err(e) => {
            let line = e.position().map(|p| rdr.get_mut().line_at(p.byte()));
            return Err(csv_error(e, line));
        }
    };
    if !has_header {
        return Err(CsvError::MissingColumn {
            column: opts.merchant_column.clone(),
        }
        .into());
    }
    if let (_, Some(open)) = record_line(&mut rdr, record.position()) {
        return Err(open);
    }
    let names: Vec<String> = record
        .iter()
        .map(|c| c.trim_start_matches('\u{feff}').to_owned())
        .collect();
    unique_columns(&names)?;
    let mut state = header(&names)?;
    let (mut rows_read, mut skipped, mut stopped) = (0, Vec::new(), None);
    loop {
        let outcome = match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => match record_line(&mut rdr, record.position()) {
                (_, Some(open)) => Err(open),
                (line, None) if record.len() == 1 && record.get(0) == Some("") => {
                    skipped.push(Error::Csv(CsvError::BlankRow { line }));
                    continue;
                }
                (line, None) if record.len() != names.len() => Err(CsvError::CellCount {
                    line,
                    expected: names.len(),
                    found: record.len(),
                }
                .into()),
                (line, None) => row(
                    &mut state,
                    &names,
                    &Row {
                        line,
                        cells: &record,
                    },
                ),
            },
            Err(e) => {
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                let line = e.position().map(|p| rdr.get_mut().line_at(p.byte()));
                let err = csv_error(e, line);
                if fatal {
                    stopped = Some(err);
                    break;
                }
                Err(err)
            }
        };
        match (outcome, opts.on_bad_row) {
            (Ok(()), _) => rows_read += 1,
            (Err(e), OnBadRow::Skip) => skipped.push(e),
            (Err(e), OnBadRow::Stop) => {
                stopped = Some(e);
                break;
            }
        }
    }
    Ok(CsvRead {
        data: state,
        rows_read,
        skipped,
        stopped,
    })
}

/// `Err(`[`CsvError::DuplicateColumn`]`)` for the first name the header repeats.
pub(crate) fn unique_columns(names: &[String]) -> Result<()> {
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = names[..i].iter().position(|n| n == name) {
            return Err(CsvError::DuplicateColumn {
                column: name.clone(),
                first: first + 1,
                second: i + 1,
            }
            .into());
        }
    }
    Ok(())
}

/// Position of the required column `name` in the header.
pub(crate) fn required_column(names: &[String], name: &str) -> Result<usize> {
    names.iter().position(|n| n == name).ok_or_else(|| {
        Error::Csv(CsvError::MissingColumn {
            column: name.to_owned(),
        })
    })
}
