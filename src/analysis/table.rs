//! `Responses`: observations × variables, missing values as `None`.

use crate::error::{AnalysisError, Result};

/// A table of observations (rows) by variables (columns), each cell a finite value or `None`
/// (missing).
///
/// For a survey, rows are respondents and variables are the items (indicator questions), each
/// cell the answer's code (for example the 0-based grade index). For correlations across
/// merchants, rows are merchants and variables are any indicators, dimension scores and KPI
/// measures joined per merchant ([`join`](Self::join)).
///
/// [`Survey`](crate::Survey) keeps only per-merchant answer counts, not the answers of each
/// respondent, so the analyses take this table instead: build it from the answers as read.
///
/// The constructor checks the shape once: at least one variable, unique ids, one value per
/// variable in every row, every value finite and within
/// [`MAX_ABS_VALUE`](super::MAX_ABS_VALUE). A table may have no rows; each statistic says how
/// many it needs.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::Responses;
///
/// let table = Responses::new(
///     vec!["courtesy".into(), "advice".into()],
///     vec![vec![Some(4.0), Some(3.0)], vec![Some(5.0), None]],
/// )?;
/// assert_eq!(table.len(), 2);
/// assert_eq!(table.column(1).collect::<Vec<_>>(), [Some(3.0), None]);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawResponses"))]
pub struct Responses {
    ids: Vec<String>,
    rows: Vec<Vec<Option<f64>>>,
}

/// The unchecked form that deserialisation validates through [`Responses::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawResponses {
    ids: Vec<String>,
    rows: Vec<Vec<Option<f64>>>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawResponses> for Responses {
    type Error = crate::Error;

    fn try_from(raw: RawResponses) -> Result<Self> {
        Self::new(raw.ids, raw.rows)
    }
}

impl Responses {
    /// A table from its variable ids and its rows.
    ///
    /// # Errors
    ///
    /// * [`AnalysisError::NoVariables`]: `ids` is empty;
    /// * [`AnalysisError::DuplicateVariable`]: an id is given twice;
    /// * [`AnalysisError::RowLength`]: a row has not one value per id;
    /// * [`AnalysisError::ValueOutOfRange`]: a value is NaN, infinite or beyond
    ///   [`MAX_ABS_VALUE`](super::MAX_ABS_VALUE) in magnitude.
    pub fn new(ids: Vec<String>, rows: Vec<Vec<Option<f64>>>) -> Result<Self> {
        if ids.is_empty() {
            return Err(AnalysisError::NoVariables.into());
        }
        for (j, id) in ids.iter().enumerate() {
            if ids[..j].contains(id) {
                return Err(AnalysisError::DuplicateVariable { id: id.clone() }.into());
            }
        }
        for (row, values) in rows.iter().enumerate() {
            super::check_length(row, ids.len(), values.len())?;
            for (id, value) in ids.iter().zip(values) {
                if let Some(v) = *value {
                    if !super::in_range(v) {
                        return Err(AnalysisError::ValueOutOfRange {
                            row,
                            variable: id.clone(),
                            value: v,
                        }
                        .into());
                    }
                }
            }
        }
        Ok(Self { ids, rows })
    }

    /// A table from its variable ids and one column of values per id (all of one length).
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new); [`AnalysisError::RowLength`] names the column (its `row` field is
    /// the column's index) whose length differs from the first column's.
    pub fn from_columns(ids: Vec<String>, columns: Vec<Vec<Option<f64>>>) -> Result<Self> {
        let n = columns.first().map_or(0, Vec::len);
        super::check_length(0, ids.len(), columns.len())?;
        for (j, c) in columns.iter().enumerate() {
            super::check_length(j, n, c.len())?;
        }
        let rows = (0..n)
            .map(|i| columns.iter().map(|c| c[i]).collect())
            .collect();
        Self::new(ids, rows)
    }

    /// The variable ids, in column order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Number of rows (observations).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// `true` when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Number of variables (columns).
    pub fn variable_count(&self) -> usize {
        self.ids.len()
    }

    /// The rows, each with one value per variable.
    pub fn rows(&self) -> &[Vec<Option<f64>>] {
        &self.rows
    }

    /// The values of variable `j` (column `j`), top to bottom; empty if `j` is out of range.
    pub fn column(&self, j: usize) -> impl ExactSizeIterator<Item = Option<f64>> + '_ {
        let n = if j < self.ids.len() {
            self.rows.len()
        } else {
            0
        };
        self.rows[..n].iter().map(move |r| r[j])
    }

    /// The column index of variable `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|x| x == id)
    }

    /// The table restricted to the variables `ids`, in that order.
    ///
    /// # Errors
    ///
    /// [`AnalysisError::UnknownVariable`] for an id the table does not have, and the errors of
    /// [`new`](Self::new) (an empty or repeated list).
    pub fn select<S: AsRef<str>>(&self, ids: &[S]) -> Result<Self> {
        let cols = ids
            .iter()
            .map(|id| {
                self.index_of(id.as_ref()).ok_or_else(|| {
                    AnalysisError::UnknownVariable {
                        id: id.as_ref().to_owned(),
                    }
                    .into()
                })
            })
            .collect::<Result<Vec<usize>>>()?;
        let rows = self
            .rows
            .iter()
            .map(|r| cols.iter().map(|&j| r[j]).collect())
            .collect();
        Self::new(ids.iter().map(|s| s.as_ref().to_owned()).collect(), rows)
    }

    /// The variables of `self` followed by those of `other`, row by row (row `i` of both
    /// describes the same observation, for example the same merchant).
    ///
    /// # Errors
    ///
    /// [`AnalysisError::RowLength`] when the row counts differ (`expected` is `self.len()`),
    /// [`AnalysisError::DuplicateVariable`] when both have a variable id.
    pub fn join(&self, other: &Self) -> Result<Self> {
        super::check_length(0, self.len(), other.len())?;
        let ids = self.ids.iter().chain(&other.ids).cloned().collect();
        let rows = self
            .rows
            .iter()
            .zip(&other.rows)
            .map(|(a, b)| a.iter().chain(b).copied().collect())
            .collect();
        Self::new(ids, rows)
    }
}
