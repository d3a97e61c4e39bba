//! The merchants' data, in any input form of the batch scorer.

use crate::batch::{BatchOutput, BatchScorer, BatchSummary};
use crate::error::Result;

/// The merchants whose ranking is analysed, in one of the batch scorer's input forms
/// (merchant-major, leaves in the tree's preorder, grades in the grade set's order; see
/// [`BatchScorer`]). Built with `From` from the slices.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum MerchantData<'a> {
    /// f64 memberships, as [`BatchScorer::score_memberships`].
    Memberships(&'a [f64]),
    /// `u8` answer counts, as [`BatchScorer::score_counts`].
    CountsU8(&'a [u8]),
    /// `u16` answer counts.
    CountsU16(&'a [u16]),
    /// `u32` answer counts.
    CountsU32(&'a [u32]),
}

macro_rules! from_slice {
    ($($t:ty => $variant:ident),*) => {$(
        impl<'a> From<&'a [$t]> for MerchantData<'a> {
            fn from(x: &'a [$t]) -> Self {
                Self::$variant(x)
            }
        }
    )*};
}
from_slice!(f64 => Memberships, u8 => CountsU8, u16 => CountsU16, u32 => CountsU32);

impl MerchantData<'_> {
    /// Number of values.
    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Memberships(x) => x.len(),
            Self::CountsU8(x) => x.len(),
            Self::CountsU16(x) => x.len(),
            Self::CountsU32(x) => x.len(),
        }
    }

    /// Scores every merchant with `scorer` into `out`.
    pub(crate) fn score(&self, scorer: &BatchScorer, out: BatchOutput<'_>) -> Result<BatchSummary> {
        match self {
            Self::Memberships(x) => scorer.score_memberships(x, out),
            Self::CountsU8(x) => scorer.score_counts(x, out),
            Self::CountsU16(x) => scorer.score_counts(x, out),
            Self::CountsU32(x) => scorer.score_counts(x, out),
        }
    }

    /// A copy of the blocks (`block` values each) of the merchants `order`, in that order.
    pub(crate) fn permuted(&self, block: usize, order: &[usize]) -> OwnedData {
        fn take<T: Copy>(x: &[T], block: usize, order: &[usize]) -> Vec<T> {
            let mut out = Vec::with_capacity(order.len() * block);
            for &i in order {
                out.extend_from_slice(&x[i * block..(i + 1) * block]);
            }
            out
        }
        match self {
            Self::Memberships(x) => OwnedData::Memberships(take(x, block, order)),
            Self::CountsU8(x) => OwnedData::CountsU8(take(x, block, order)),
            Self::CountsU16(x) => OwnedData::CountsU16(take(x, block, order)),
            Self::CountsU32(x) => OwnedData::CountsU32(take(x, block, order)),
        }
    }
}

/// The merchants ranked, copied in the order of their base ranking: the rankings of
/// perturbed weights are close to it, so walking them in this order reads memory almost
/// sequentially.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OwnedData {
    Memberships(Vec<f64>),
    CountsU8(Vec<u8>),
    CountsU16(Vec<u16>),
    CountsU32(Vec<u32>),
}

impl OwnedData {
    /// The data as a borrowed input form.
    pub(crate) fn view(&self) -> MerchantData<'_> {
        match self {
            Self::Memberships(x) => MerchantData::Memberships(x),
            Self::CountsU8(x) => MerchantData::CountsU8(x),
            Self::CountsU16(x) => MerchantData::CountsU16(x),
            Self::CountsU32(x) => MerchantData::CountsU32(x),
        }
    }
}
