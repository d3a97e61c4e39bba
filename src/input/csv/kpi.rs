//! Reading measured KPI cases from CSV.

use std::io::Read;

use crate::error::{CsvError, Error, Result};
use crate::input::csv::reader::{read_rows, required_column, CsvOptions, CsvRead};
use crate::input::kpi::{KpiModel, KpiTally};

/// Column layout of a KPI file, decided from its header.
struct Layout {
    merchant: usize,
    case: usize,
    class: usize,
    /// column of each model indicator, in model order
    values: Vec<usize>,
}

impl KpiTally {
    /// Reads measured cases from CSV: one row per case.
    ///
    /// # Format
    ///
    /// ```text
    /// merchant,case,class,first_reply,resolution_time,feedback_time
    /// shop-01,c0001,urgent,0.8,35,50
    /// shop-01,c0002,ordinary,12,,300
    /// ```
    ///
    /// - The header must have the merchant, case and class columns (default names `merchant`,
    ///   `case`, `class`; see [`CsvOptions`]) and one column for every indicator of `model`;
    ///   other columns must be named in [`CsvOptions::with_ignored_column`].
    /// - The class selects the thresholds ([`KpiModel::with_scale`]); values are non-negative
    ///   numbers in the unit the thresholds use; an empty cell is a missing measurement.
    ///
    /// # Errors
    ///
    /// For the header (nothing is read then): [`CsvError::MissingColumn`],
    /// [`CsvError::DuplicateColumn`], [`CsvError::UnknownColumn`],
    /// [`CsvError::UnterminatedQuote`], [`CsvError::Reader`].
    ///
    /// For a data row, handled by [`CsvOptions::on_bad_row`] (stop or skip; earlier rows are kept):
    /// [`CsvError::CellCount`]; [`CsvError::BadCell`] for an empty merchant, case or class or a
    /// value that is not a number; [`Error::AtLine`] wrapping
    /// [`InputError::InvalidKpiValue`](crate::InputError::InvalidKpiValue) (negative, NaN,
    /// infinite; naming the case) or
    /// [`InputError::UnknownCaseClass`](crate::InputError::UnknownCaseClass);
    /// [`CsvError::UnterminatedQuote`] for a quoted field that is never closed (with the line
    /// where it opens); [`CsvError::Reader`] for unreadable input. A blank row is skipped and
    /// recorded as [`CsvError::BlankRow`] under either policy (see [`CsvRead`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::input::{CsvOptions, KpiModel, KpiScale, KpiTally};
    /// use service_quality::{Grade, GradeSet};
    ///
    /// let grades = GradeSet::new(vec![Grade::new("fast", 3.0), Grade::new("fair", 2.0), Grade::new("slow", 1.0)])?;
    /// let model = KpiModel::new(&grades)
    ///     .with_scale("first_reply", "urgent", KpiScale::smaller_is_better(vec![1.0, 5.0, 10.0])?)?;
    /// let csv = "merchant,case,class,first_reply\nshop-a,c1,urgent,3\nshop-a,c2,urgent,-2\n";
    /// let read = KpiTally::from_csv(csv.as_bytes(), model, &CsvOptions::new())?;
    /// assert_eq!(read.rows_read(), 1);
    /// assert!(read.stopped().is_some()); // line 3: negative time, case c2
    /// let row = read.data().memberships("shop-a")?;
    /// assert_eq!(row.get("first_reply").and_then(|r| r.row()), Some(&[0.5, 0.5, 0.0][..]));
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn from_csv<R: Read>(
        reader: R,
        model: KpiModel,
        opts: &CsvOptions,
    ) -> Result<CsvRead<KpiTally>> {
        let header = |names: &[String]| -> Result<(Layout, KpiTally)> {
            let merchant = required_column(names, opts.merchant_column())?;
            let case = required_column(names, opts.case_column())?;
            let class = required_column(names, opts.class_column())?;
            let tally = KpiTally::new(model);
            let values = tally
                .indicators()
                .iter()
                .map(|id| required_column(names, id))
                .collect::<Result<Vec<_>>>()?;
            for (col, name) in names.iter().enumerate() {
                let known = [merchant, case, class].contains(&col) || values.contains(&col);
                if !known && !opts.is_ignored(name) {
                    return Err(CsvError::UnknownColumn {
                        column: name.clone(),
                        col: col + 1,
                    }
                    .into());
                }
            }
            Ok((
                Layout {
                    merchant,
                    case,
                    class,
                    values,
                },
                tally,
            ))
        };
        let read = read_rows(reader, opts, header, |(layout, tally), names, row| {
            for (col, what) in [
                (layout.merchant, "a merchant name"),
                (layout.case, "a case id"),
                (layout.class, "a case class"),
            ] {
                if row.cell(col).is_empty() {
                    return Err(row.bad_cell(col, names, what.into()));
                }
            }
            let mut values = Vec::with_capacity(layout.values.len());
            for &col in &layout.values {
                let cell = row.cell(col);
                values.push(if cell.is_empty() {
                    None
                } else {
                    Some(
                        cell.parse::<f64>()
                            .map_err(|_| row.bad_cell(col, names, "a number".into()))?,
                    )
                });
            }
            tally
                .add_case(
                    row.cell(layout.merchant),
                    row.cell(layout.case),
                    row.cell(layout.class),
                    &values,
                )
                .map_err(|e| Error::AtLine {
                    line: row.line,
                    source: Box::new(e),
                })
        })?;
        Ok(read.map(|(_, tally)| tally))
    }
}
