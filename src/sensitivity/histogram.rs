//! Per-merchant histograms of rank offsets: exact near the base rank, logarithmic beyond.

/// Offsets `|d| < EXACT` from the base rank have a bin each.
pub(crate) const EXACT: u32 = 64;
/// Bins per octave beyond [`EXACT`].
const SUB: u32 = 4;
/// `log2(EXACT)`.
const EXACT_BITS: u32 = 6;
/// `log2(EXACT / SUB)`.
const SUB_SHIFT: u32 = 4;

/// The bin layout for `n` ranked items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Octaves beyond `EXACT` needed for offsets up to `n - 1`.
    octaves: u32,
    pub bins: usize,
}

impl Layout {
    pub fn new(n: usize) -> Self {
        let max = (n.max(1) - 1) as u64;
        let octaves = if max < u64::from(EXACT) {
            0
        } else {
            (63 - (max >> EXACT_BITS).leading_zeros()) + 1
        };
        let bins = (2 * EXACT - 1) as usize + 2 * (SUB * octaves) as usize;
        Self { octaves, bins }
    }

    /// The bin of offset `d = rank - base_rank`.
    #[inline(always)]
    pub fn bin(&self, d: i64) -> usize {
        let a = d.unsigned_abs();
        if a < u64::from(EXACT) {
            return (d + i64::from(EXACT) - 1) as usize;
        }
        // a in [64 * 2^o, 64 * 2^(o + 1)): octave o, then a quarter of it
        let o = 63 - (a >> EXACT_BITS).leading_zeros();
        let sub = ((a >> o) >> SUB_SHIFT) as u32 - SUB;
        let k = (o * SUB + sub) as usize;
        (2 * EXACT - 1) as usize + 2 * k + usize::from(d < 0)
    }

    /// The offsets `[lo, hi]` that bin `b` holds (`lo <= hi`).
    pub fn range(&self, b: usize) -> (i64, i64) {
        let exact = (2 * EXACT - 1) as usize;
        if b < exact {
            let d = b as i64 - i64::from(EXACT) + 1;
            return (d, d);
        }
        let k = (b - exact) / 2;
        let negative = (b - exact) % 2 == 1;
        let (o, sub) = (k as u32 / SUB, k as u32 % SUB);
        let step = 1i64 << (o + SUB_SHIFT);
        let lo = (i64::from(SUB + sub)) * step;
        let hi = lo + step - 1;
        if negative {
            (-hi, -lo)
        } else {
            (lo, hi)
        }
    }

    /// Bins in increasing order of offset.
    pub fn ordered(&self) -> Vec<usize> {
        let mut b: Vec<usize> = (0..self.bins).collect();
        b.sort_by_key(|&b| self.range(b).0);
        b
    }

    /// Octaves beyond the exact window.
    #[cfg(test)]
    pub fn octaves(&self) -> u32 {
        self.octaves
    }
}

/// The q-quantiles (inverse of the empirical distribution: the smallest rank whose
/// cumulative count reaches `ceil(q * total)`, at least 1) of one merchant's ranks from its
/// histogram `counts` (bins of `layout`), for `qs` in increasing order. A quantile in an
/// exact bin is exact; in a wider bin it is the bin's best rank for the first quantile, its
/// worst rank for the last, and its rank nearest the base for the others. Returns the ranks
/// (clamped to `1..=n`) and whether all were exact.
pub(crate) fn quantiles<const Q: usize>(
    layout: &Layout,
    ordered: &[usize],
    counts: &[u32],
    total: u64,
    base: u32,
    n: usize,
    qs: [f64; Q],
) -> ([u32; Q], bool) {
    let mut out = [base; Q];
    let mut exact = true;
    let mut cum = 0u64;
    let mut next = 0;
    let targets = qs.map(|q| ((q * total as f64).ceil() as u64).max(1));
    for &b in ordered {
        cum += u64::from(counts[b]);
        while next < Q && cum >= targets[next] {
            let (lo, hi) = layout.range(b);
            let d = if lo == hi {
                lo
            } else {
                exact = false;
                if next == 0 {
                    lo
                } else if next == Q - 1 {
                    hi
                } else if lo > 0 {
                    lo
                } else {
                    hi
                }
            };
            let r = (i64::from(base) + d).clamp(1, n as i64);
            out[next] = r as u32;
            next += 1;
        }
        if next == Q {
            break;
        }
    }
    (out, exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_every_offset_once() {
        for n in [1usize, 2, 64, 65, 100, 1000, 100_000] {
            let l = Layout::new(n);
            let max = n as i64 - 1;
            let mut seen = vec![0u32; l.bins];
            for d in -max..=max {
                let b = l.bin(d);
                assert!(b < l.bins, "n {n} d {d} b {b} bins {}", l.bins);
                let (lo, hi) = l.range(b);
                assert!(lo <= d && d <= hi, "n {n} d {d} in [{lo}, {hi}]");
                seen[b] += 1;
            }
            // a coarse bin spans at most a quarter of its octave
            for b in 0..l.bins {
                let (lo, hi) = l.range(b);
                assert!(hi - lo <= lo.abs().max(hi.abs()) / 4 + 1);
            }
            let _ = l.octaves();
        }
    }

    #[test]
    fn quantiles_of_exact_counts() {
        let l = Layout::new(10);
        let ordered = l.ordered();
        let mut counts = vec![0u32; l.bins];
        // ranks 3 (x1), 5 (x8), 9 (x1) around base 5
        counts[l.bin(-2)] += 1;
        counts[l.bin(0)] += 8;
        counts[l.bin(4)] += 1;
        let (q, exact) = quantiles(&l, &ordered, &counts, 10, 5, 10, [0.05, 0.5, 0.95]);
        assert!(exact);
        assert_eq!(q, [3, 5, 9]);
    }
}
