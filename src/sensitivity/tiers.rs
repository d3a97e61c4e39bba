//! Tiers of merchants by score cut points.

use crate::error::{Result, SensitivityError};

/// Merchant tiers given by increasing score cut points: a score below the first cut point is
/// in tier 0, from the first up to (not including) the second in tier 1, and so on; a score
/// equal to a cut point is in the tier above it.
///
/// ```text
/// tier(s) = #{ c in cuts : s >= c }          0 = the lowest tier
/// ```
///
/// This is the small input the sensitivity analysis needs ("does the merchant keep its
/// tier?"); it stands for whatever tier rule a platform applies to scores.
///
/// # Examples
///
/// ```
/// use service_quality::sensitivity::ScoreTiers;
///
/// let tiers = ScoreTiers::new(vec![3.0, 4.0])?; // below 3, 3 to 4, 4 and above
/// assert_eq!(tiers.tier(2.9), 0);
/// assert_eq!(tiers.tier(3.0), 1);
/// assert_eq!(tiers.tier(4.5), 2);
/// assert!(ScoreTiers::new(vec![4.0, 3.0]).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreTiers {
    cuts: Vec<f64>,
}

impl ScoreTiers {
    /// Tiers from cut points in increasing order (possibly none: one tier).
    ///
    /// # Errors
    ///
    /// [`SensitivityError::InvalidTierCut`] for a cut point that is not finite or not above
    /// the previous one.
    pub fn new(cuts: Vec<f64>) -> Result<Self> {
        for (index, &value) in cuts.iter().enumerate() {
            let above = index == 0 || value > cuts[index - 1];
            if !(value.is_finite() && above) {
                return Err(SensitivityError::InvalidTierCut { index, value }.into());
            }
        }
        Ok(Self { cuts })
    }

    /// The cut points.
    pub fn cuts(&self) -> &[f64] {
        &self.cuts
    }

    /// Number of tiers (cut points + 1).
    pub fn len(&self) -> usize {
        self.cuts.len() + 1
    }

    /// Always `false`: there is at least one tier.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The tier of `score` (0 = lowest).
    pub fn tier(&self, score: f64) -> u32 {
        self.cuts.partition_point(|&c| c <= score) as u32
    }
}
