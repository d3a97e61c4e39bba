//! Survey answers (满意度调查) tallied per merchant and turned into memberships.

use crate::error::{ArgumentError, InputError, Result};
use crate::input::by_merchant::ByMerchant;
use crate::input::IndicatorMemberships;
use crate::model::grades::GradeSet;

/// Answer counts of one merchant: per indicator, how many respondents chose each grade and
/// how many left it unanswered.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MerchantTally {
    merchant: String,
    respondents: usize,
    /// `counts[i * m + j]`: answers of grade `j` for indicator `i`.
    counts: Vec<usize>,
    missing: Vec<usize>,
}

impl MerchantTally {
    /// The merchant's name.
    pub fn merchant(&self) -> &str {
        &self.merchant
    }

    /// Number of respondents (rows) for this merchant.
    pub fn respondents(&self) -> usize {
        self.respondents
    }

    /// Missing answers per indicator, in the survey's indicator order.
    pub fn missing(&self) -> &[usize] {
        &self.missing
    }

    /// Answer counts of indicator `i` per grade, if `i` is in range.
    pub fn counts(&self, i: usize) -> Option<&[usize]> {
        let m = self.counts.len().checked_div(self.missing.len())?;
        self.counts.get(i * m..(i + 1) * m)
    }
}

/// Survey answers over a fixed list of indicators and a grade set, tallied per merchant.
///
/// Each response is one respondent's grade index (0-based, in the grade set's order) or `None`
/// (missing) for every indicator. The membership of indicator `i` in grade `j` is
///
/// ```text
/// r_ij = n_ij / (sum_l n_il)      n_ij = answers of grade j for indicator i
/// ```
///
/// over the non-missing answers. Missing answers are counted and reported, never treated as a
/// grade. An indicator without a single answer has no row
/// ([`IndicatorMemberships::insert_unobserved`]); the [`Evaluator`](crate::Evaluator) then reports
/// it as [`EvaluationError::NoAnswers`](crate::EvaluationError::NoAnswers) or, if asked, excludes
/// it.
///
/// Merchants are kept in the order of their first response.
///
/// # Examples
///
/// ```
/// use service_quality::{GradeSet, Survey};
///
/// let mut survey = Survey::new(vec!["courtesy".into(), "advice".into()], GradeSet::satisfaction_5())?;
/// survey.add_response("shop-a", &[Some(0), None])?;
/// survey.add_response("shop-a", &[Some(1), Some(1)])?;
/// let data = survey.memberships("shop-a")?;
/// let courtesy = data.get("courtesy").expect("tallied");
/// assert_eq!(courtesy.row(), Some(&[0.5, 0.5, 0.0, 0.0, 0.0][..]));
/// assert_eq!(data.get("advice").map(|r| r.missing()), Some(1));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Survey {
    indicators: Vec<String>,
    grades: GradeSet,
    merchants: ByMerchant<MerchantTally>,
}

impl Survey {
    /// An empty survey over these indicator ids.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] for no indicators;
    /// - [`InputError::DuplicateIndicator`] for an id listed twice.
    pub fn new(indicators: Vec<String>, grades: GradeSet) -> Result<Self> {
        if indicators.is_empty() {
            return Err(ArgumentError::Empty {
                what: "survey indicators",
            }
            .into());
        }
        for (i, id) in indicators.iter().enumerate() {
            if indicators[..i].contains(id) {
                return Err(InputError::DuplicateIndicator { id: id.clone() }.into());
            }
        }
        Ok(Self {
            indicators,
            grades,
            merchants: ByMerchant::new(),
        })
    }

    /// The indicator ids, in column order.
    pub fn indicators(&self) -> &[String] {
        &self.indicators
    }

    /// The grade set.
    pub fn grades(&self) -> &GradeSet {
        &self.grades
    }

    /// Adds one respondent's answers about `merchant`, one per indicator in order.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::LengthMismatch`] when `answers.len()` is not the number of indicators;
    /// - [`InputError::GradeIndexOutOfRange`] for an index `>=` the number of grades.
    ///
    /// Nothing is recorded when an error is returned.
    pub fn add_response(&mut self, merchant: &str, answers: &[Option<usize>]) -> Result<()> {
        let m = self.grades.len();
        if answers.len() != self.indicators.len() {
            return Err(ArgumentError::LengthMismatch {
                what: "survey response",
                expected: self.indicators.len(),
                found: answers.len(),
            }
            .into());
        }
        for (i, a) in answers.iter().enumerate() {
            if let Some(index) = *a {
                if index >= m {
                    return Err(InputError::GradeIndexOutOfRange {
                        indicator: self.indicators[i].clone(),
                        index,
                        grades: m,
                    }
                    .into());
                }
            }
        }
        let k = self.indicators.len();
        let tally = self
            .merchants
            .get_or_insert_with(merchant, || MerchantTally {
                merchant: merchant.to_owned(),
                respondents: 0,
                counts: vec![0; k * m],
                missing: vec![0; k],
            });
        tally.respondents += 1;
        for (i, a) in answers.iter().enumerate() {
            match *a {
                Some(j) => tally.counts[i * m + j] += 1,
                None => tally.missing[i] += 1,
            }
        }
        Ok(())
    }

    /// The merchants' tallies, in order of first response.
    pub fn merchants(&self) -> &[MerchantTally] {
        self.merchants.as_slice()
    }

    /// The merchant names, in order of first response.
    pub fn merchant_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.merchants
            .as_slice()
            .iter()
            .map(|t| t.merchant.as_str())
    }

    /// Total number of responses over all merchants.
    pub fn respondents(&self) -> usize {
        self.merchants
            .as_slice()
            .iter()
            .map(|t| t.respondents)
            .sum()
    }

    /// The memberships of one merchant (`r_ij = n_ij / answered_i`), with answered and
    /// missing counts per indicator.
    ///
    /// # Errors
    ///
    /// [`InputError::UnknownMerchant`] when the merchant has no response.
    pub fn memberships(&self, merchant: &str) -> Result<IndicatorMemberships> {
        let tally = self
            .merchants
            .get(merchant)
            .ok_or_else(|| InputError::UnknownMerchant {
                merchant: merchant.to_owned(),
            })?;
        self.tally_memberships(tally)
    }

    /// The memberships of one tally of this survey (see [`memberships`](Self::memberships)
    /// and [`merchants`](Self::merchants)).
    ///
    /// # Errors
    ///
    /// [`ArgumentError::LengthMismatch`] when the tally does not have this survey's shape
    /// (indicators x grades), i.e. it comes from another survey.
    pub fn tally_memberships(&self, tally: &MerchantTally) -> Result<IndicatorMemberships> {
        let m = self.grades.len();
        let k = self.indicators.len();
        if tally.counts.len() != k * m || tally.missing.len() != k {
            return Err(ArgumentError::LengthMismatch {
                what: "merchant tally (indicators x grades of this survey)",
                expected: k * m,
                found: tally.counts.len(),
            }
            .into());
        }
        let mut out = IndicatorMemberships::with_grade_count(m);
        for (i, id) in self.indicators.iter().enumerate() {
            let counts = &tally.counts[i * m..(i + 1) * m];
            let answered: usize = counts.iter().sum();
            let missing = tally.missing[i];
            // ids are unique (checked in `new`) and every count is <= answered, so the rows
            // are in [0, 1] and the inserts cannot fail; keep the error path anyway
            let inserted = if answered == 0 {
                out.insert_unobserved(id.clone(), missing)
            } else {
                let row = counts.iter().map(|&c| c as f64 / answered as f64).collect();
                out.insert(id.clone(), row, answered, missing)
            };
            debug_assert!(inserted.is_ok());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn a_tally_of_another_survey_is_an_error() {
        let mut small = Survey::new(vec!["a".into()], GradeSet::satisfaction_5()).unwrap();
        small.add_response("m", &[Some(4)]).unwrap();
        let big = Survey::new(vec!["a".into(), "b".into()], GradeSet::satisfaction_5()).unwrap();
        assert!(matches!(
            big.tally_memberships(&small.merchants()[0]),
            Err(Error::Argument(ArgumentError::LengthMismatch {
                expected: 10,
                found: 5,
                ..
            }))
        ));
    }

    fn survey() -> Survey {
        Survey::new(vec!["a".into(), "b".into()], GradeSet::satisfaction_5()).unwrap()
    }

    #[test]
    fn rejects_bad_responses_without_recording() {
        let mut s = survey();
        assert!(matches!(
            s.add_response("x", &[Some(0)]),
            Err(Error::Argument(ArgumentError::LengthMismatch {
                expected: 2,
                found: 1,
                ..
            }))
        ));
        assert_eq!(
            s.add_response("x", &[Some(0), Some(5)]),
            Err(Error::Input(InputError::GradeIndexOutOfRange {
                indicator: "b".into(),
                index: 5,
                grades: 5
            }))
        );
        assert_eq!(s.respondents(), 0);
        assert!(matches!(
            Survey::new(vec!["a".into(), "a".into()], GradeSet::satisfaction_5()),
            Err(Error::Input(InputError::DuplicateIndicator { .. }))
        ));
    }

    #[test]
    fn tallies_memberships_and_missing() {
        let mut s = survey();
        s.add_response("x", &[Some(0), None]).unwrap();
        s.add_response("x", &[Some(2), None]).unwrap();
        s.add_response("y", &[Some(4), Some(4)]).unwrap();
        let x = s.memberships("x").unwrap();
        assert_eq!(
            x.get("a").unwrap().row(),
            Some(&[0.5, 0.0, 0.5, 0.0, 0.0][..])
        );
        assert_eq!(x.get("b").unwrap().row(), None);
        assert_eq!(x.get("b").unwrap().missing(), 2);
        assert_eq!(s.merchants()[0].counts(0), Some(&[1, 0, 1, 0, 0][..]));
        assert!(s.memberships("z").is_err());
    }
}
