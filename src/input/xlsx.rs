//! Questionnaire exports in `.xlsx` workbooks (Wenjuanxing's default download), with
//! `calamine`: the same layout, the same row accounting, errors with sheet, row and column.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use crate::error::{CsvError, Error, IntakeError, Place, Result};
use crate::hierarchy::IndicatorTree;
use crate::input::csv::{CsvRead, OnBadRow};
use crate::input::layout::read::{map_row, read_all, survey_for};
use crate::input::layout::{Bound, SurveyLayout};
use crate::input::stream::SurveyCounts;
use crate::input::survey::Survey;

/// The most bytes one part of a workbook (a sheet, the shared strings) may unpack to: 256 MiB.
/// Every part is measured, by unpacking it into nothing, before the workbook is parsed, so a
/// zip bomb is refused with [`IntakeError::WorkbookTooLarge`] instead of filling memory.
pub const MAX_WORKBOOK_PART_BYTES: u64 = 256 << 20;

/// Whether `path` names a workbook (`.xlsx`, any case).
pub(crate) fn is_workbook_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

fn workbook_error(e: impl std::fmt::Display) -> Error {
    IntakeError::Workbook {
        message: e.to_string(),
    }
    .into()
}

/// Refuses a workbook with a part that unpacks to more than `limit` bytes.
fn check_parts(bytes: &[u8], limit: u64) -> Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(workbook_error)?;
    for i in 0..zip.len() {
        let file = zip.by_index(i).map_err(workbook_error)?;
        let part = file.name().to_owned();
        let n = std::io::copy(&mut file.take(limit + 1), &mut std::io::sink())
            .map_err(workbook_error)?;
        if n > limit {
            return Err(IntakeError::WorkbookTooLarge { part, limit }.into());
        }
    }
    Ok(())
}

/// A cell's text, as a CSV export would hold it (integral numbers without a fraction).
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e}"),
        DataRef::Empty => String::new(),
    }
}

/// A sheet row: its 0-based index and its `(column, text)` cells.
type SheetRow = (u32, Vec<(u32, String)>);

/// Reads the layout's sheet row by row: `make` builds the state from the bound header,
/// `add` takes each good row's merchant and answers.
fn read_sheet<S>(
    bytes: &[u8],
    limit: u64,
    tree: &IndicatorTree,
    layout: &SurveyLayout,
    make: impl FnOnce(&Bound) -> Result<S>,
    mut add: impl FnMut(&mut S, &Bound, &str, &[Option<usize>]) -> Result<()>,
) -> Result<CsvRead<S>> {
    check_parts(bytes, limit)?;
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(workbook_error)?;
    let names = book.sheet_names();
    let sheet = match layout.sheet() {
        Some(s) => names.iter().find(|n| *n == s).cloned(),
        None => names.first().cloned(),
    }
    .ok_or_else(|| IntakeError::NoSuchSheet {
        sheet: layout.sheet().unwrap_or_default().to_owned(),
        available: names.clone(),
    })?;
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(workbook_error)?;
    // the cells come row by row; a row is its `(column, text)` pairs
    let mut pending: Option<(u32, u32, String)> = None;
    let mut done = false;
    let mut read_row = || -> Result<Option<SheetRow>> {
        let mut row: Option<SheetRow> = pending.take().map(|(r, c, t)| (r, vec![(c, t)]));
        loop {
            // the cell reader must not be asked again once it has said it is done
            let next = if done {
                None
            } else {
                cells.next_cell().map_err(workbook_error)?
            };
            let Some(cell) = next else {
                done = true;
                return Ok(row);
            };
            let (r, c) = cell.get_position();
            let text = cell_text(cell.get_value());
            match &mut row {
                Some((rr, list)) if *rr == r => list.push((c, text)),
                Some(_) => {
                    pending = Some((r, c, text));
                    return Ok(row);
                }
                None => row = Some((r, vec![(c, text)])),
            }
        }
    };
    let Some((_, header_cells)) = read_row()? else {
        return Err(CsvError::MissingColumn {
            column: layout.merchant_column().to_owned(),
        }
        .into());
    };
    let width = header_cells
        .iter()
        .map(|&(c, _)| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut header = vec![String::new(); width];
    for (c, t) in header_cells {
        header[c as usize] = t;
    }
    let bound = layout.bind(tree, &header)?;
    let mut state = make(&bound)?;
    let scale = layout.answers();
    let expected = scale.expected();
    let (mut rows_read, mut skipped, mut stopped) = (0usize, Vec::new(), None);
    let mut answers = Vec::new();
    let mut texts = vec![String::new(); width];
    while let Some((r, row)) = read_row()? {
        let at = || Place::Row {
            sheet: sheet.clone(),
            row: u64::from(r) + 1,
        };
        texts.iter_mut().for_each(String::clear);
        let mut too_wide = None;
        for (c, t) in row {
            match texts.get_mut(c as usize) {
                Some(slot) => *slot = t.trim().to_owned(),
                None if !t.trim().is_empty() => too_wide = Some(c as usize + 1),
                None => {}
            }
        }
        if too_wide.is_none() && texts.iter().all(String::is_empty) {
            skipped.push(
                CsvError::BlankRow {
                    line: u64::from(r) + 1,
                }
                .into(),
            );
            continue;
        }
        let outcome = match too_wide {
            Some(found) => Err(CsvError::CellCount {
                line: u64::from(r) + 1,
                expected: width,
                found,
            }
            .into()),
            None => map_row(
                &bound,
                scale,
                &expected,
                at,
                |c| texts[c].as_str(),
                &mut answers,
            )
            .and_then(|merchant| add(&mut state, &bound, merchant, &answers)),
        };
        match (outcome, layout.on_bad_row()) {
            (Ok(()), _) => rows_read += 1,
            (Err(e), OnBadRow::Skip) => skipped.push(e),
            (Err(e), OnBadRow::Stop) => {
                stopped = Some(e);
                break;
            }
        }
    }
    Ok(CsvRead::new(state, rows_read, skipped, stopped))
}

impl Survey {
    /// Reads a questionnaire export from an `.xlsx` workbook (the layout's sheet, else the
    /// first): row 1 is the header, every later row a respondent, read as
    /// [`read_with_layout`](Self::read_with_layout) reads a CSV file. Errors name the sheet
    /// and row ([`Place::Row`]); blank rows are recorded as skipped
    /// ([`CsvError::BlankRow`] with the row number). Numbers in cells are read as their
    /// decimal text (a code `5` stored as a number is `"5"`).
    ///
    /// # Errors
    ///
    /// As [`read_with_layout`](Self::read_with_layout), plus [`IntakeError::Workbook`] (not
    /// a workbook, a broken archive), [`IntakeError::NoSuchSheet`] and
    /// [`IntakeError::WorkbookTooLarge`] (a part over [`MAX_WORKBOOK_PART_BYTES`]).
    pub fn read_xlsx<R: Read>(
        reader: R,
        tree: &IndicatorTree,
        layout: &SurveyLayout,
    ) -> Result<CsvRead<Survey>> {
        Self::read_xlsx_limited(reader, tree, layout, MAX_WORKBOOK_PART_BYTES)
    }

    /// [`read_xlsx`](Self::read_xlsx) with another limit on the unpacked size of each part.
    ///
    /// # Errors
    ///
    /// As [`read_xlsx`](Self::read_xlsx).
    pub fn read_xlsx_limited<R: Read>(
        reader: R,
        tree: &IndicatorTree,
        layout: &SurveyLayout,
        limit: u64,
    ) -> Result<CsvRead<Survey>> {
        let bytes = read_all(reader)?;
        read_sheet(
            &bytes,
            limit,
            tree,
            layout,
            |bound| survey_for(bound, layout),
            |survey, _, merchant, answers| survey.add_response(merchant, answers),
        )
    }
}

impl SurveyCounts {
    /// Reads an `.xlsx` workbook into counts, as [`Survey::read_xlsx`] reads it.
    ///
    /// # Errors
    ///
    /// As [`Survey::read_xlsx`].
    pub fn read_xlsx<R: Read>(
        reader: R,
        tree: &IndicatorTree,
        layout: &SurveyLayout,
    ) -> Result<CsvRead<Self>> {
        let bytes = read_all(reader)?;
        let read = read_sheet(
            &bytes,
            MAX_WORKBOOK_PART_BYTES,
            tree,
            layout,
            |bound| {
                Ok((
                    SurveyCounts::empty(bound, layout.grades().clone()),
                    HashMap::new(),
                    Vec::new(),
                ))
            },
            |(counts, by_name, codes), bound, merchant, answers| {
                counts.add_answers(by_name, codes, bound, merchant, answers)
            },
        )?;
        Ok(read.map(|(counts, _, _)| counts))
    }
}
