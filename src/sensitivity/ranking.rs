//! Ranking scores: the order, competition ranks and mid-ranks, in linear expected time.

/// Buckets larger than this are sorted with the standard sort instead of insertion.
const INSERTION_MAX: usize = 24;

/// Bins of the coarse histogram that spreads the scores evenly over the buckets.
const COARSE: usize = 4096;

/// What the walk over a ranking needs to know of each item's base ranking. It travels with
/// the item through the sort, so that the walk reads nothing at random.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct BaseInfo {
    /// Twice the base mid-rank (mid-ranks are multiples of 1/2).
    pub mid2: u32,
    /// Base competition rank.
    pub rank: u32,
}

/// A score, its item and the item's base ranking, moved together while sorting.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Item {
    s: f64,
    i: u32,
    base: BaseInfo,
}

/// Reusable buffers for ranking `n` scores.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranker {
    starts: Vec<u32>,
    coarse: Vec<u32>,
    items: Vec<Item>,
}

/// What one ranking gives besides the ranks: the sums Spearman's correlation needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RankSums {
    /// `sum_i mid_i * base_mid_i`.
    pub sxy: f64,
    /// `sum_i mid_i^2`.
    pub syy: f64,
    /// Every score is the same (one tie group).
    pub constant: bool,
}

impl Ranker {
    /// Ranks `s` (finite scores), highest first, calling `visit(i, rank_i, &base[i])` for
    /// every item in order (best first), with `rank_i` = 1 + the number of scores strictly
    /// above `s[i]` (competition ranking: ties share the best rank). `base` (another ranking
    /// of the same items) gives the sums of [`RankSums`]; [`order`](Self::order) afterwards
    /// lists the items best first, ties by index.
    ///
    /// Items are put into about `n / 4` buckets by score (a counting sort: scores are
    /// bounded, and a coarse histogram of them spreads them evenly over the buckets), moved
    /// together with their scores, then each bucket is sorted; the bucket of a score is
    /// monotone in it, so the result is exact whatever the distribution (a bucket with many
    /// items is merely sorted by the standard sort).
    // ties are exact equality of scores: that is what a tie is
    #[allow(clippy::float_cmp)]
    pub fn rank<F: FnMut(usize, u32, &BaseInfo)>(
        &mut self,
        s: &[f64],
        base: &[BaseInfo],
        mut visit: F,
    ) -> RankSums {
        let n = s.len();
        self.items.resize(n, Item::default());
        if n == 0 {
            return RankSums {
                sxy: 0.0,
                syy: 0.0,
                constant: true,
            };
        }
        let (mut lo, mut hi) = (s[0], s[0]);
        for &x in s {
            lo = lo.min(x);
            hi = hi.max(x);
        }
        let nb = n.div_ceil(4);
        self.starts.clear();
        self.starts.resize(nb + 1, 0);
        // a coarse histogram of the scores flattens the buckets' loads: a score's bucket is
        // its interpolated place in the coarse cumulative count (monotone in the score)
        let coarse = COARSE.min(nb);
        self.coarse.clear();
        self.coarse.resize(coarse + 1, 0);
        let scale = if hi > lo {
            (coarse as f64) / (hi - lo)
        } else {
            0.0
        };
        let clast = (coarse - 1) as f64;
        for &x in s {
            self.coarse[((hi - x) * scale).min(clast) as usize + 1] += 1;
        }
        for c in 0..coarse {
            self.coarse[c + 1] += self.coarse[c];
        }
        let cum = &self.coarse;
        let per = nb as f64 / n as f64;
        let last = (nb - 1) as f64;
        // highest score -> bucket 0; monotone (non-increasing) in the score
        let bucket = |x: f64| {
            let t = ((hi - x) * scale).min(clast);
            let c = t as usize;
            let (at, next) = (f64::from(cum[c]), f64::from(cum[c + 1]));
            ((at + (t - c as f64) * (next - at)) * per).min(last) as usize
        };
        for &x in s {
            self.starts[bucket(x) + 1] += 1;
        }
        for k in 0..nb {
            self.starts[k + 1] += self.starts[k];
        }
        for (i, (&x, &b)) in s.iter().zip(base).enumerate() {
            let at = &mut self.starts[bucket(x)];
            self.items[*at as usize] = Item {
                s: x,
                i: i as u32,
                base: b,
            };
            *at += 1;
        }
        // starts[k] is now the end of bucket k
        let before = |a: &Item, b: &Item| a.s > b.s || (a.s == b.s && a.i < b.i);
        let mut begin = 0usize;
        for k in 0..nb {
            let end = self.starts[k] as usize;
            let run = &mut self.items[begin..end];
            if run.len() > INSERTION_MAX {
                run.sort_unstable_by(|a, b| b.s.total_cmp(&a.s).then(a.i.cmp(&b.i)));
            } else {
                for j in 1..run.len() {
                    let v = run[j];
                    let mut p = j;
                    while p > 0 && before(&v, &run[p - 1]) {
                        run[p] = run[p - 1];
                        p -= 1;
                    }
                    run[p] = v;
                }
            }
            begin = end;
        }
        // ties: competition rank for all, mid-rank for the correlation
        let (mut sxy, mut syy) = (0.0, 0.0);
        let items = &self.items;
        let mut p = 0;
        while p < n {
            let first = items[p].s;
            let mut q = p + 1;
            while q < n && items[q].s == first {
                q += 1;
            }
            let mid = (p + q + 1) as f64 / 2.0;
            let rank = (p + 1) as u32;
            for it in &items[p..q] {
                visit(it.i as usize, rank, &it.base);
                sxy += mid * (0.5 * f64::from(it.base.mid2));
            }
            syy += (q - p) as f64 * mid * mid;
            p = q;
        }
        RankSums {
            sxy,
            syy,
            constant: !(hi > lo),
        }
    }

    /// The item at each place of the last ranking, best first.
    pub fn order(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.items.iter().map(|it| it.i as usize)
    }
}

/// Mid-ranks (average rank of a tie group) of `s`, highest first, and their sum of squares.
#[allow(clippy::float_cmp)] // ties are exact equality of scores
pub(crate) fn mid_ranks(s: &[f64]) -> (Vec<f64>, f64) {
    let n = s.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| s[b].total_cmp(&s[a]).then(a.cmp(&b)));
    let mut mid = vec![0.0; n];
    let mut sq = 0.0;
    let mut p = 0;
    while p < n {
        let mut q = p + 1;
        while q < n && s[order[q]] == s[order[p]] {
            q += 1;
        }
        let m = (p + q + 1) as f64 / 2.0;
        for &i in &order[p..q] {
            mid[i] = m;
        }
        sq += (q - p) as f64 * m * m;
        p = q;
    }
    (mid, sq)
}

/// Spearman's rho from the sums of two mid-rankings of `n` items (Pearson's correlation of
/// the mid-ranks; both sum to `n (n + 1) / 2`), `x_constant` / `y_constant` telling whether
/// a ranking is one tie group. Defined as 1 when both are and 0 when only one is (no
/// variance to correlate).
pub(crate) fn spearman(
    n: usize,
    (sxy, sxx, syy): (f64, f64, f64),
    x_constant: bool,
    y_constant: bool,
) -> f64 {
    match (x_constant, y_constant) {
        (false, false) => {
            let nf = n as f64;
            let c = nf * ((nf + 1.0) / 2.0).powi(2);
            ((sxy - c) / ((sxx - c) * (syy - c)).sqrt()).clamp(-1.0, 1.0)
        }
        (true, true) => 1.0,
        _ => 0.0,
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn naive(s: &[f64]) -> Vec<u32> {
        s.iter()
            .map(|&x| 1 + s.iter().filter(|&&y| y > x).count() as u32)
            .collect()
    }

    fn infos(s: &[f64]) -> Vec<BaseInfo> {
        mid_ranks(s)
            .0
            .into_iter()
            .map(|mid| BaseInfo {
                mid2: (2.0 * mid) as u32,
                rank: 0,
            })
            .collect()
    }

    #[test]
    fn ranks_match_the_definition() {
        let cases: Vec<Vec<f64>> = vec![
            vec![3.0, 1.0, 2.0],
            vec![1.0, 1.0, 1.0],
            vec![5.0, 2.0, 5.0, 1.0, 2.0, 2.0],
            vec![1e9, 0.0, 1e-9, 2e-9, 3e-9, 1e-9, 5.0],
            (0..500).map(|i| ((i * 7919) % 101) as f64 * 0.01).collect(),
            (0..300)
                .map(|i| if i == 0 { -1e6 } else { (i % 3) as f64 })
                .collect(),
        ];
        let mut r = Ranker::default();
        for s in cases {
            let mut ranks = vec![0; s.len()];
            let base = infos(&s);
            r.rank(&s, &base, |i, k, _| ranks[i] = k);
            assert_eq!(ranks, naive(&s), "{s:?}");
            let order: Vec<usize> = r.order().collect();
            for w in order.windows(2) {
                let (a, b) = (w[0], w[1]);
                assert!(s[a] > s[b] || (s[a] == s[b] && a < b));
            }
        }
    }

    #[test]
    fn spearman_of_a_ranking_with_itself_is_one() {
        let s = [4.0, 1.0, 3.0, 3.0, 0.5];
        let (_, sq) = mid_ranks(&s);
        let sums = Ranker::default().rank(&s, &infos(&s), |_, _, _| {});
        assert!((spearman(5, (sums.sxy, sq, sums.syy), false, false) - 1.0).abs() < 1e-15);
        // reversed: -1 (no ties)
        let t = [1.0, 2.0, 3.0];
        let u = [3.0, 2.0, 1.0];
        let (_, st) = mid_ranks(&t);
        let sums = Ranker::default().rank(&u, &infos(&t), |_, _, _| {});
        assert!((spearman(3, (sums.sxy, st, sums.syy), false, false) + 1.0).abs() < 1e-15);
        // two items: the smallest variance there is
        let sums = Ranker::default().rank(&[1.0, 2.0], &infos(&[2.0, 1.0]), |_, _, _| {});
        let (_, s2) = mid_ranks(&[2.0, 1.0]);
        assert_eq!(
            spearman(2, (sums.sxy, s2, sums.syy), false, sums.constant),
            -1.0
        );
    }
}
