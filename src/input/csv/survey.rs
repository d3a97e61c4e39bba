//! Reading survey answers from CSV.

use std::io::Read;

use crate::error::{ArgumentError, CsvError, Error, Result};
use crate::hierarchy::IndicatorTree;
use crate::input::csv::reader::{read_rows, required_column, CsvOptions, CsvRead, GradeNumbers};
use crate::input::survey::Survey;
use crate::model::grades::GradeSet;

/// Column layout of a survey file, decided from its header.
struct Layout {
    merchant: usize,
    /// `(column, indicator position)` of every indicator column
    indicators: Vec<usize>,
}

impl Survey {
    /// Reads survey answers from CSV: one row per respondent.
    ///
    /// # Format
    ///
    /// ```text
    /// merchant,respondent,courtesy,proactiveness,respect
    /// shop-01,r001,very satisfied,satisfied,
    /// shop-01,r002,很满意,2,3
    /// ```
    ///
    /// - The first line is the header. It must have the merchant column (default `merchant`,
    ///   see [`CsvOptions::merchant_column`]); every other column must be an indicator (leaf)
    ///   id of `tree` or be named in [`CsvOptions::with_ignored_column`]. Indicator columns may be
    ///   any subset of the leaves, in any order; the survey's indicators are the file's.
    /// - Each cell of an indicator column is a grade: its English or Chinese label (ignoring
    ///   case and surrounding whitespace), or a number read per [`CsvOptions::grade_numbers`]
    ///   (by default the 1-based position in `grades`). An empty cell is a missing answer.
    /// - Cells are trimmed; quoting follows RFC 4180 (fields with commas or line breaks in
    ///   double quotes).
    ///
    /// # Errors
    ///
    /// For the header (nothing is read then):
    ///
    /// - [`CsvError::MissingColumn`] without a merchant column (or for an empty file);
    /// - [`CsvError::DuplicateColumn`] for a column named twice (with both 1-based columns);
    /// - [`CsvError::UnknownColumn`] for a column that is neither a leaf of `tree` nor ignored;
    /// - [`CsvError::UnterminatedQuote`] when a quote in the header is never closed;
    /// - [`CsvError::Reader`] when the header cannot be read.
    ///
    /// For a data row, the error is handled by [`CsvOptions::on_bad_row`] (stop or skip; the
    /// rows before are kept either way):
    ///
    /// - [`CsvError::CellCount`] when the row has more or fewer cells than the header;
    /// - [`CsvError::BadCell`] for an empty merchant or a cell that is not a grade (a label not in
    ///   the set, a number out of range), with line, column number and name;
    /// - [`CsvError::UnterminatedQuote`] for a quoted field that is never closed, with the
    ///   line where it opens;
    /// - [`CsvError::Reader`] for unreadable input (invalid UTF-8, I/O errors stop reading).
    ///
    /// A blank row is skipped and recorded as [`CsvError::BlankRow`] under either policy;
    /// [`CsvRead`] tells how every record is accounted for.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{template, GradeSet, IndicatorTree, Survey};
    /// use service_quality::input::{CsvOptions, OnBadRow};
    ///
    /// let tree = IndicatorTree::new(template::after_sales())?;
    /// let csv = "merchant,courtesy,respect\nshop-a,很满意,2\nshop-a,excellent,1\nshop-b,,5\n";
    /// let read = Survey::from_csv(csv.as_bytes(), &tree, GradeSet::satisfaction_5(),
    ///                             &CsvOptions::new().with_on_bad_row(OnBadRow::Skip))?;
    /// assert_eq!(read.rows_read(), 2);
    /// assert_eq!(read.skipped().len(), 1); // line 3: "excellent" is not a grade
    /// let b = read.data().memberships("shop-b")?;
    /// assert_eq!(b.get("courtesy").map(|r| r.missing()), Some(1));
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn from_csv<R: Read>(
        reader: R,
        tree: &IndicatorTree,
        grades: GradeSet,
        opts: &CsvOptions,
    ) -> Result<CsvRead<Survey>> {
        let m = grades.len();
        let expected = match opts.grade_numbers() {
            GradeNumbers::Position => format!("a grade label or a number 1..={m}"),
            GradeNumbers::Value => {
                let values: Vec<String> = grades.values().iter().map(f64::to_string).collect();
                format!("a grade label or one of the values {}", values.join(", "))
            }
        };
        let header = |names: &[String]| -> Result<(Layout, Survey)> {
            let merchant = required_column(names, opts.merchant_column())?;
            let mut indicators = Vec::new();
            let mut ids = Vec::new();
            for (col, name) in names.iter().enumerate() {
                if col == merchant || opts.is_ignored(name) {
                    continue;
                }
                if !tree.get(name).is_some_and(|n| n.is_leaf()) {
                    return Err(CsvError::UnknownColumn {
                        column: name.clone(),
                        col: col + 1,
                    }
                    .into());
                }
                indicators.push(col);
                ids.push(name.clone());
            }
            let survey = Survey::new(ids, grades.clone()).map_err(|e| match e {
                Error::Argument(ArgumentError::Empty { .. }) => {
                    Error::Csv(CsvError::MissingColumn {
                        column: "an indicator column".into(),
                    })
                }
                other => other,
            })?;
            Ok((
                Layout {
                    merchant,
                    indicators,
                },
                survey,
            ))
        };
        let read = read_rows(reader, opts, header, |(layout, survey), names, row| {
            let merchant = row.cell(layout.merchant);
            if merchant.is_empty() {
                return Err(row.bad_cell(layout.merchant, names, "a merchant name".into()));
            }
            let mut answers = Vec::with_capacity(layout.indicators.len());
            for &col in &layout.indicators {
                let cell = row.cell(col);
                let answer = if cell.is_empty() {
                    None
                } else {
                    let index =
                        survey
                            .grades()
                            .index_of(cell)
                            .or_else(|| match opts.grade_numbers() {
                                GradeNumbers::Value => {
                                    survey.grades().index_of_value(cell.parse().ok()?)
                                }
                                GradeNumbers::Position => {
                                    let k: usize = cell.parse().ok()?;
                                    (1..=m).contains(&k).then(|| k - 1)
                                }
                            });
                    Some(index.ok_or_else(|| row.bad_cell(col, names, expected.clone()))?)
                };
                answers.push(answer);
            }
            survey.add_response(merchant, &answers)
        })?;
        Ok(read.map(|(_, survey)| survey))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hierarchy::template;
    use crate::input::csv::reader::OnBadRow;

    fn tree() -> IndicatorTree {
        IndicatorTree::new(template::after_sales()).unwrap()
    }

    fn read_all(csv: &str, grades: GradeSet, opts: &CsvOptions) -> Survey {
        Survey::from_csv(csv.as_bytes(), &tree(), grades, opts)
            .unwrap()
            .into_result()
            .unwrap()
    }

    #[test]
    fn numbers_as_positions_or_values() {
        let values = CsvOptions::new().with_grade_numbers(GradeNumbers::Value);
        let points = GradeSet::satisfaction_5_points;
        // position 5 = very dissatisfied; value 5 = very satisfied
        let s = read_all(
            "merchant,courtesy\nm,5\nm,2\n",
            GradeSet::satisfaction_5(),
            &CsvOptions::new(),
        );
        assert_eq!(s.merchants()[0].counts(0), Some(&[0, 1, 0, 0, 1][..]));
        let s = read_all("merchant,courtesy\nm,5\nm,2\n", points(), &values);
        assert_eq!(s.merchants()[0].counts(0), Some(&[1, 0, 0, 1, 0][..]));
    }

    #[test]
    fn quoting_delimiters_and_bom() {
        let csv = "\u{feff}merchant;respect\n\"shop; north\";\" 满意 \"\n";
        let s = Survey::from_csv(
            csv.as_bytes(),
            &tree(),
            GradeSet::satisfaction_5(),
            &CsvOptions::new()
                .with_delimiter(b';')
                .with_on_bad_row(OnBadRow::Stop),
        )
        .unwrap()
        .into_result()
        .unwrap();
        assert_eq!(s.merchant_names().collect::<Vec<_>>(), vec!["shop; north"]);
        assert_eq!(s.merchants()[0].counts(0), Some(&[0, 1, 0, 0, 0][..]));
    }

    #[test]
    fn group_ids_are_not_indicator_columns() {
        let e = Survey::from_csv(
            "merchant,speed\n".as_bytes(),
            &tree(),
            GradeSet::satisfaction_5(),
            &CsvOptions::new(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            Error::Csv(CsvError::UnknownColumn {
                column: "speed".into(),
                col: 2
            })
        );
        let e = Survey::from_csv(
            "merchant\nm\n".as_bytes(),
            &tree(),
            GradeSet::satisfaction_5(),
            &CsvOptions::new(),
        )
        .unwrap_err();
        assert!(matches!(e, Error::Csv(CsvError::MissingColumn { .. })));
    }
}
