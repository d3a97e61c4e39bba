//! Input layouts of the batch scorer.

use crate::error::{ArgumentError, BatchError, OffsetsProblem, Parameter, Result};

/// The code of a missing answer in [`SurveyAnswers`].
pub const MISSING_ANSWER: u8 = u8::MAX;

/// Integer grade counts accepted by [`BatchScorer::score_counts`](crate::BatchScorer::score_counts):
/// `u8`, `u16` and `u32`. Sealed.
pub trait GradeCount: Copy + Send + Sync + private::Sealed + 'static {
    /// The count as `f64` (exact).
    fn to_f64(self) -> f64;
    /// The count as `u64` (exact).
    fn to_u64(self) -> u64;
}

pub(crate) mod private {
    pub trait Sealed: Sized + Copy {
        /// Bytes per count (the lane kernels' layouts).
        const BYTES: usize;
    }
    impl Sealed for u8 {
        const BYTES: usize = 1;
    }
    impl Sealed for u16 {
        const BYTES: usize = 2;
    }
    impl Sealed for u32 {
        const BYTES: usize = 4;
    }
}

macro_rules! grade_count {
    ($($t:ty)*) => {$(
        impl GradeCount for $t {
            #[inline(always)]
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
            #[inline(always)]
            fn to_u64(self) -> u64 {
                u64::from(self)
            }
        }
    )*};
}
grade_count!(u8 u16 u32);

/// Raw survey answers of many merchants, respondent-major.
///
/// ```text
/// answers[r * leaves + l]   grade index (0 = first grade of the grade set) that respondent r
///                           gave indicator l (leaves in the tree's preorder), or MISSING_ANSWER
/// offsets[i]..offsets[i+1]  the respondents (rows) of merchant i; offsets[0] = 0,
///                           offsets[last] = number of rows, non-decreasing
/// ```
///
/// A merchant may have no respondents (its indicators then have no answers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyAnswers<'a> {
    answers: &'a [u8],
    leaves: usize,
    offsets: &'a [usize],
}

impl<'a> SurveyAnswers<'a> {
    /// Checks the layout.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::InvalidParameter`] when `leaves == 0`;
    /// - [`BatchError::BatchLength`] when `answers.len()` is not a multiple of `leaves`;
    /// - [`BatchError::InvalidOffsets`] when `offsets` is empty, does not start at 0, decreases, or
    ///   does not end at the number of rows (the index of the first bad offset is given).
    ///
    /// Grade indices are checked while scoring, per merchant.
    pub fn new(answers: &'a [u8], leaves: usize, offsets: &'a [usize]) -> Result<Self> {
        if leaves == 0 {
            return Err(ArgumentError::InvalidParameter {
                name: Parameter::Leaves,
                value: 0.0,
            }
            .into());
        }
        if !answers.len().is_multiple_of(leaves) {
            return Err(BatchError::BatchLength {
                what: "survey answers",
                len: answers.len(),
                unit: leaves,
            }
            .into());
        }
        let rows = answers.len() / leaves;
        match offsets.first() {
            None => {
                return Err(BatchError::InvalidOffsets {
                    index: 0,
                    reason: OffsetsProblem::Missing,
                }
                .into())
            }
            Some(&first) if first != 0 => {
                return Err(BatchError::InvalidOffsets {
                    index: 0,
                    reason: OffsetsProblem::FirstNotZero,
                }
                .into())
            }
            Some(_) => {}
        }
        for (index, pair) in offsets.windows(2).enumerate() {
            if pair[1] < pair[0] {
                return Err(BatchError::InvalidOffsets {
                    index: index + 1,
                    reason: OffsetsProblem::Decreasing,
                }
                .into());
            }
        }
        if offsets[offsets.len() - 1] != rows {
            return Err(BatchError::InvalidOffsets {
                index: offsets.len() - 1,
                reason: OffsetsProblem::LastNotRowCount,
            }
            .into());
        }
        Ok(Self {
            answers,
            leaves,
            offsets,
        })
    }

    /// Offsets for rows whose merchant keys come grouped (all rows of a merchant together):
    /// one merchant per run of equal keys, in order of first appearance.
    ///
    /// # Errors
    ///
    /// [`BatchError::InvalidOffsets`] when a key reappears after another key's rows (not grouped),
    /// with the row index.
    pub fn offsets_from_keys<K: PartialEq + Eq + std::hash::Hash>(
        keys: &[K],
    ) -> Result<Vec<usize>> {
        let mut seen = std::collections::HashSet::new();
        let mut offsets = vec![0];
        for (row, key) in keys.iter().enumerate() {
            if row > 0 && keys[row - 1] == *key {
                continue;
            }
            if !seen.insert(key) {
                return Err(BatchError::InvalidOffsets {
                    index: row,
                    reason: OffsetsProblem::NotContiguous,
                }
                .into());
            }
            if row > 0 {
                offsets.push(row);
            }
        }
        if !keys.is_empty() {
            offsets.push(keys.len());
        }
        Ok(offsets)
    }

    /// Number of merchants.
    pub fn merchants(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of indicators per row.
    pub fn leaves(&self) -> usize {
        self.leaves
    }

    /// The answer rows of merchant `i` (`leaves` codes each).
    pub(crate) fn merchant_rows(&self, i: usize) -> &'a [u8] {
        &self.answers[self.offsets[i] * self.leaves..self.offsets[i + 1] * self.leaves]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn offsets_from_grouped_keys() {
        let keys = ["a", "a", "b", "c", "c", "c"];
        assert_eq!(
            SurveyAnswers::offsets_from_keys(&keys).unwrap(),
            vec![0, 2, 3, 6]
        );
        assert_eq!(
            SurveyAnswers::offsets_from_keys(&["a", "b", "a"]),
            Err(Error::Batch(BatchError::InvalidOffsets {
                index: 2,
                reason: OffsetsProblem::NotContiguous
            }))
        );
        assert_eq!(
            SurveyAnswers::offsets_from_keys::<u32>(&[]).unwrap(),
            vec![0]
        );
    }

    #[test]
    fn layout_checks() {
        let answers = [0u8; 6];
        assert!(SurveyAnswers::new(&answers, 3, &[0, 1, 2]).is_ok());
        assert!(matches!(
            SurveyAnswers::new(&answers, 4, &[0, 1]),
            Err(Error::Batch(BatchError::BatchLength { .. }))
        ));
        assert!(matches!(
            SurveyAnswers::new(&answers, 3, &[0, 2, 1]),
            Err(Error::Batch(BatchError::InvalidOffsets { index: 2, .. }))
        ));
        assert!(matches!(
            SurveyAnswers::new(&answers, 3, &[0, 1]),
            Err(Error::Batch(BatchError::InvalidOffsets { index: 1, .. }))
        ));
        assert!(matches!(
            SurveyAnswers::new(&answers, 3, &[]),
            Err(Error::Batch(BatchError::InvalidOffsets { index: 0, .. }))
        ));
        assert!(matches!(
            SurveyAnswers::new(&answers, 0, &[0]),
            Err(Error::Argument(ArgumentError::InvalidParameter { .. }))
        ));
    }
}
