//! Reading a [`Survey`] through a layout: CSV text in any supported encoding, and the row
//! mapping that the workbook reader shares.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, IntakeError, Place, Result};
use crate::hierarchy::IndicatorTree;
use crate::input::csv::reader::read_rows;
use crate::input::csv::{CsvOptions, CsvRead};
use crate::input::encoding::decode_all;
use crate::input::layout::{delimiter_of, Answer, AnswerScale, Bound, CellProblem, SurveyLayout};
use crate::input::survey::Survey;

/// Reads every byte of `reader`.
pub(crate) fn read_all<R: Read>(mut reader: R) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| IntakeError::io(&e))?;
    Ok(bytes)
}

/// The error of question cell `col` that `scale` could not read.
pub(crate) fn cell_error(
    problem: CellProblem,
    at: Place,
    col: usize,
    bound: &Bound,
    cell: &str,
    expected: &str,
) -> Error {
    let column = bound.names.get(col).cloned().unwrap_or_default();
    match problem {
        CellProblem::UndeclaredNumber => IntakeError::UndeclaredCodes {
            at,
            col: col + 1,
            column,
            cell: cell.to_owned(),
        },
        CellProblem::Unknown => IntakeError::BadCell {
            at,
            col: col + 1,
            column,
            cell: cell.to_owned(),
            expected: expected.to_owned(),
        },
    }
    .into()
}

/// The empty-merchant error.
pub(crate) fn no_merchant(at: Place, bound: &Bound) -> Error {
    IntakeError::BadCell {
        at,
        col: bound.merchant + 1,
        column: bound.names[bound.merchant].clone(),
        cell: String::new(),
        expected: "a merchant name".into(),
    }
    .into()
}

/// One row's merchant and answers (one per question column, in column order), or the error of
/// its first bad cell. `cell(col)` is the trimmed text of column `col`.
pub(crate) fn map_row<'c>(
    bound: &Bound,
    scale: &AnswerScale,
    expected: &str,
    at: impl Fn() -> Place,
    cell: impl Fn(usize) -> &'c str,
    answers: &mut Vec<Option<usize>>,
) -> Result<&'c str> {
    let merchant = cell(bound.merchant);
    if merchant.is_empty() {
        return Err(no_merchant(at(), bound));
    }
    answers.clear();
    for &(col, _) in &bound.questions {
        let text = cell(col);
        match scale.classify(text) {
            Ok(Answer::Grade(j)) => answers.push(Some(j)),
            Ok(Answer::Missing) => answers.push(None),
            Err(problem) => return Err(cell_error(problem, at(), col, bound, text, expected)),
        }
    }
    Ok(merchant)
}

/// An empty survey over the bound question columns.
pub(crate) fn survey_for(bound: &Bound, layout: &SurveyLayout) -> Result<Survey> {
    let ids = bound
        .questions
        .iter()
        .map(|&(_, leaf)| bound.leaf_ids[leaf].clone())
        .collect();
    Survey::new(ids, layout.grades().clone())
}

/// `Err` when `bytes` are a zip archive (a workbook given to a text reader).
pub(crate) fn refuse_workbook(bytes: &[u8]) -> Result<()> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(IntakeError::WorkbookAsText.into());
    }
    Ok(())
}

impl Survey {
    /// Reads a questionnaire export (CSV or other delimited text) through a [`SurveyLayout`]:
    /// one row per respondent, columns and cells mapped as the layout says. The survey's
    /// indicators are the file's question columns in column order; its grades are the
    /// layout's.
    ///
    /// The text is decoded whole first (UTF-8 with or without a byte-order mark, GBK /
    /// GB18030, UTF-16 with a byte-order mark; see [`TextEncoding`](crate::input::TextEncoding));
    /// for files too large for memory use the streaming
    /// [`SurveyCounts`](crate::input::SurveyCounts). Records, blank rows and line numbers are
    /// accounted for as [`CsvRead`] describes.
    ///
    /// # Errors
    ///
    /// Before any row (nothing is read then): [`IntakeError::Encoding`] (what, byte offset,
    /// line), [`IntakeError::WorkbookAsText`], header errors ([`CsvError::DuplicateColumn`](crate::CsvError::DuplicateColumn),
    /// [`IntakeError::MissingColumn`], [`IntakeError::UnmappedColumn`] with the closest
    /// indicators, [`IntakeError::ColumnsShareIndicator`], [`IntakeError::UnknownIndicator`],
    /// [`IntakeError::NoQuestions`]), [`CsvError::MissingColumn`](crate::CsvError::MissingColumn) for an empty file.
    ///
    /// Per row, handled by the layout's [`OnBadRow`](crate::input::OnBadRow) (the rows before are
    /// kept either way): [`IntakeError::BadCell`] (empty merchant, unknown label),
    /// [`IntakeError::UndeclaredCodes`] (a number without a declared code scale),
    /// [`CsvError::CellCount`](crate::CsvError::CellCount), [`CsvError::UnterminatedQuote`](crate::CsvError::UnterminatedQuote), each with its line.
    /// A read that stopped must be handled: [`CsvRead::into_result`] is its error.
    pub fn read_with_layout<R: Read>(
        reader: R,
        tree: &IndicatorTree,
        layout: &SurveyLayout,
    ) -> Result<CsvRead<Survey>> {
        let bytes = read_all(reader)?;
        refuse_workbook(&bytes)?;
        let (text, _) = decode_all(&bytes, layout.encoding())?;
        let delimiter = delimiter_of(text.as_bytes(), layout.delimiter());
        let opts = CsvOptions::new()
            .with_delimiter(delimiter)
            .with_on_bad_row(layout.on_bad_row())
            .with_merchant_column(layout.merchant_column());
        let scale = layout.answers();
        let expected = scale.expected();
        let header = |names: &[String]| -> Result<(Bound, Survey, Vec<Option<usize>>)> {
            let bound = layout.bind(tree, names)?;
            let survey = survey_for(&bound, layout)?;
            Ok((bound, survey, Vec::new()))
        };
        let read = read_rows(
            text.as_bytes(),
            &opts,
            header,
            |(bound, survey, answers), _, row| {
                let merchant = map_row(
                    bound,
                    scale,
                    &expected,
                    || Place::Line(row.line),
                    |col| row.cell(col),
                    answers,
                )?;
                survey.add_response(merchant, answers)
            },
        )?;
        Ok(read.map(|(_, survey, _)| survey))
    }

    /// [`read_with_layout`](Self::read_with_layout) on a file; with the `xlsx` feature, a
    /// file whose name ends in `.xlsx` is read as a workbook
    /// ([`read_xlsx`](Self::read_xlsx)). Errors are wrapped in [`Error::InFile`] with the
    /// path.
    ///
    /// # Errors
    ///
    /// As [`read_with_layout`](Self::read_with_layout); [`IntakeError::Io`] when the file cannot
    /// be opened.
    pub fn read_file(
        path: impl AsRef<Path>,
        tree: &IndicatorTree,
        layout: &SurveyLayout,
    ) -> Result<CsvRead<Survey>> {
        let path = path.as_ref();
        in_file(path, || {
            #[cfg(feature = "xlsx")]
            if crate::input::xlsx::is_workbook_path(path) {
                return Self::read_xlsx(open(path)?, tree, layout);
            }
            Self::read_with_layout(open(path)?, tree, layout)
        })
    }
}

/// Opens a file for reading.
pub(crate) fn open(path: &Path) -> Result<std::io::BufReader<std::fs::File>> {
    std::fs::File::open(path)
        .map(std::io::BufReader::new)
        .map_err(|e| IntakeError::io(&e).into())
}

/// Runs `read`, wrapping its error and the error of a read that stopped in
/// [`Error::InFile`].
pub(crate) fn in_file<T>(
    path: &Path,
    read: impl FnOnce() -> Result<CsvRead<T>>,
) -> Result<CsvRead<T>> {
    let wrap = |e: Error| Error::InFile {
        path: path.display().to_string(),
        source: Box::new(e),
    };
    read().map(|r| r.map_errors(wrap)).map_err(wrap)
}
