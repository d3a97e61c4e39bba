//! Rankings with explicit tie handling.

/// Relative tolerance within which two scores of a method are a tie:
/// `|a - b| <= RANK_TIE_RTOL * max(1, |a|, |b|)`.
///
/// Scores computed along different paths (sums in another order, a reciprocal and a division)
/// differ in the last bits where exact arithmetic gives equal values; `1e-12` absorbs that and
/// is far below any difference a method's inputs can express. Ties chain: sorted scores whose
/// consecutive gaps are all within the tolerance form one group.
pub const RANK_TIE_RTOL: f64 = 1e-12;

/// How tied alternatives are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TieRule {
    /// The mean of the positions the tied alternatives occupy (`1, 2.5, 2.5, 4`): the
    /// convention of rank correlation (Spearman, Kendall), and the default.
    #[default]
    Average,
    /// The best position of the group (`1, 2, 2, 4`; "competition" ranking).
    Min,
    /// Consecutive integers for consecutive groups (`1, 2, 2, 3`).
    Dense,
    /// No ties: tied alternatives in their order in the matrix (`1, 2, 3, 4`).
    Ordinal,
}

/// Ranks of alternatives, 1 = best, with the tie rule that gave them.
///
/// # Examples
///
/// ```
/// use service_quality::mcdm::{Ranking, TieRule};
///
/// // higher is better; two alternatives tie
/// let r = Ranking::from_scores(&[0.7, 0.9, 0.7, 0.1], true, TieRule::Average);
/// assert_eq!(r.ranks(), [2.5, 1.0, 2.5, 4.0]);
/// assert_eq!(r.order(), [1, 0, 2, 3]);
/// let min = Ranking::from_scores(&[0.7, 0.9, 0.7, 0.1], true, TieRule::Min);
/// assert_eq!(min.ranks(), [2.0, 1.0, 2.0, 4.0]);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ranking {
    ranks: Vec<f64>,
    order: Vec<usize>,
    tie_rule: TieRule,
}

impl Ranking {
    /// Ranks `scores`, the larger the better when `higher_is_better`, the smaller the better
    /// otherwise. Scores within [`RANK_TIE_RTOL`] tie. Every score is expected finite (the
    /// methods of this module give finite scores); a NaN would rank last.
    pub fn from_scores(scores: &[f64], higher_is_better: bool, tie_rule: TieRule) -> Self {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        // best first; NaN last; stable, so equal scores keep the matrix order
        order.sort_by(|&a, &b| {
            let (x, y) = (scores[a], scores[b]);
            match (x.is_nan(), y.is_nan()) {
                (true, true) => core::cmp::Ordering::Equal,
                (true, false) => core::cmp::Ordering::Greater,
                (false, true) => core::cmp::Ordering::Less,
                _ if higher_is_better => y.total_cmp(&x),
                _ => x.total_cmp(&y),
            }
        });
        let mut ranks = vec![0.0; scores.len()];
        let mut start = 0;
        let mut dense = 0.0;
        while start < order.len() {
            let mut end = start + 1;
            while end < order.len() && ties(scores[order[end - 1]], scores[order[end]]) {
                end += 1;
            }
            dense += 1.0;
            for (k, &i) in order[start..end].iter().enumerate() {
                ranks[i] = match tie_rule {
                    TieRule::Average => (start + 1 + end) as f64 / 2.0,
                    TieRule::Min => (start + 1) as f64,
                    TieRule::Dense => dense,
                    TieRule::Ordinal => (start + k + 1) as f64,
                };
            }
            start = end;
        }
        Self {
            ranks,
            order,
            tie_rule,
        }
    }

    /// The rank of every alternative, in the matrix order (1 = best).
    pub fn ranks(&self) -> &[f64] {
        &self.ranks
    }
    /// The alternatives' indices, best first (ties in the matrix order).
    pub fn order(&self) -> &[usize] {
        &self.order
    }
    /// The tie rule.
    pub fn tie_rule(&self) -> TieRule {
        self.tie_rule
    }
    /// Number of alternatives ranked.
    pub fn len(&self) -> usize {
        self.ranks.len()
    }
    /// `true` when nothing is ranked.
    pub fn is_empty(&self) -> bool {
        self.ranks.is_empty()
    }
}

/// `a` and `b` are equal within [`RANK_TIE_RTOL`].
pub(crate) fn ties(a: f64, b: f64) -> bool {
    (a - b).abs() <= RANK_TIE_RTOL * 1f64.max(a.abs()).max(b.abs())
}

// exact values: closed forms and assigned constants
#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_on_a_tie() {
        let s = [3.0, 1.0, 3.0, 2.0, 3.0];
        let r = |rule| Ranking::from_scores(&s, true, rule).ranks().to_vec();
        assert_eq!(r(TieRule::Average), [2.0, 5.0, 2.0, 4.0, 2.0]);
        assert_eq!(r(TieRule::Min), [1.0, 5.0, 1.0, 4.0, 1.0]);
        assert_eq!(r(TieRule::Dense), [1.0, 3.0, 1.0, 2.0, 1.0]);
        assert_eq!(r(TieRule::Ordinal), [1.0, 5.0, 2.0, 4.0, 3.0]);
        let low = Ranking::from_scores(&s, false, TieRule::Min);
        assert_eq!(low.ranks(), [3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(low.order(), [1, 3, 0, 2, 4]);
    }

    #[test]
    fn rounding_differences_tie() {
        let r = Ranking::from_scores(&[0.1 + 0.2, 0.3, 0.2], true, TieRule::Average);
        assert_eq!(r.ranks(), [1.5, 1.5, 3.0]);
    }
}
