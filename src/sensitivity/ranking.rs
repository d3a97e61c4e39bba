//! Ranking scores: the order, competition ranks and mid-ranks, in linear expected time.

/// Buckets larger than this are sorted with the standard sort instead of insertion.
const INSERTION_MAX: usize = 24;

/// What the walk over a ranking needs to know of each item's base ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct BaseInfo {
    /// Twice the base mid-rank (mid-ranks are multiples of 1/2).
    pub mid2: u32,
    /// Base competition rank.
    pub rank: u32,
}

impl BaseInfo {
    /// The base of the item at position `p` of a base ranking without ties.
    #[inline(always)]
    pub fn untied(p: usize) -> Self {
        Self {
            mid2: 2 * p as u32 + 2,
            rank: p as u32 + 1,
        }
    }
}

/// The base ranking of the items ranked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Base<'b> {
    /// Item `i` is at position `i` of a base ranking without ties ([`BaseInfo::untied`]):
    /// nothing to read.
    Positions,
    /// Item `i`'s base is `given[i]`.
    Given(&'b [BaseInfo]),
}

/// Reusable buffers for ranking `n` scores.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranker {
    /// Bucket starts, then ends.
    starts: Vec<u32>,
    /// The items best first: the low bits of each item's key above its index.
    items: Vec<u64>,
    /// Items as whole keys above their index, when a key does not fit beside the index.
    wide: Vec<u128>,
    /// Mask of the index in `items`.
    index_mask: u64,
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

/// A key of the finite score `x` that orders scores best first: `key(x) < key(y)` exactly
/// when `x > y`, and `key(x) == key(y)` exactly when `x == y` (`-0.0` is `0.0`).
#[inline(always)]
pub(crate) fn key(x: f64) -> u64 {
    // `x + 0.0` turns -0.0 into 0.0; then the sign trick makes the bits increase with x
    let b = (x + 0.0).to_bits();
    let ascending = if b >> 63 == 1 { !b } else { b | 1 << 63 };
    !ascending
}

/// The walk over items in ranking order: places, tie groups, the sums of [`RankSums`].
struct Walk<B, F> {
    base: B,
    visit: F,
    place: usize,
    sxy: f64,
    syy: f64,
}

impl<B: Fn(usize) -> BaseInfo, F: FnMut(usize, u32, &BaseInfo)> Walk<B, F> {
    /// Visits `sorted` (items in ranking order, no tie with any item outside it), whose
    /// items tie when `tie` is equal and have index `index`.
    #[inline(always)]
    fn run<T: Copy, K: PartialEq>(
        &mut self,
        sorted: &[T],
        tie: impl Fn(T) -> K,
        index: impl Fn(T) -> usize,
    ) {
        let mut p = 0;
        while p < sorted.len() {
            let first = tie(sorted[p]);
            let mut q = p + 1;
            while q < sorted.len() && tie(sorted[q]) == first {
                q += 1;
            }
            let (start, end) = (self.place + p, self.place + q);
            let mid = (start + end + 1) as f64 / 2.0;
            let rank = (start + 1) as u32;
            for &it in &sorted[p..q] {
                let i = index(it);
                let b = (self.base)(i);
                (self.visit)(i, rank, &b);
                self.sxy += mid * (0.5 * f64::from(b.mid2));
            }
            self.syy += (q - p) as f64 * mid * mid;
            p = q;
        }
        self.place += sorted.len();
    }
}

/// Sorts a short run by insertion, a long one with the standard sort.
#[inline(always)]
fn sort_run<T: Copy + Ord>(run: &mut [T]) {
    if run.len() > INSERTION_MAX {
        run.sort_unstable();
        return;
    }
    for j in 1..run.len() {
        let v = run[j];
        let mut p = j;
        while p > 0 && v < run[p - 1] {
            run[p] = run[p - 1];
            p -= 1;
        }
        run[p] = v;
    }
}

impl Ranker {
    /// Ranks `s` (finite scores), highest first, calling `visit(i, rank_i, &base_i)` for
    /// every item in order (best first, ties by index), with `rank_i` = 1 + the number of
    /// scores strictly above `s[i]` (competition ranking: ties share the best rank). `base`
    /// (another ranking of the same items) gives the sums of [`RankSums`];
    /// [`order`](Self::order) afterwards lists the items best first, ties by index.
    ///
    /// A radix bucket sort on [`key`]: the keys of `n` scores span some range; its top
    /// `floor(log2(n))` varying bits choose an item's bucket (one counting pass, one scatter),
    /// and the bits below, packed above the item's index in one `u64`, order the items of a
    /// bucket (insertion sort; the standard sort for a long bucket). Ties are equal keys, so
    /// never cross buckets. When the key's low bits do not fit beside the index (scores of
    /// both signs, or spanning many binades, with many items), whole keys are sorted with
    /// their indices as `u128`.
    pub fn rank<F: FnMut(usize, u32, &BaseInfo)>(
        &mut self,
        s: &[f64],
        base: Base<'_>,
        visit: F,
    ) -> RankSums {
        match base {
            Base::Positions => self.rank_with(s, BaseInfo::untied, visit),
            Base::Given(given) => self.rank_with(s, |i| given[i], visit),
        }
    }

    /// [`rank`](Self::rank) with item `i`'s base `base(i)`.
    #[inline(always)]
    fn rank_with<B: Fn(usize) -> BaseInfo, F: FnMut(usize, u32, &BaseInfo)>(
        &mut self,
        s: &[f64],
        base: B,
        visit: F,
    ) -> RankSums {
        let n = s.len();
        self.items.resize(n, 0);
        let mut walk = Walk {
            base,
            visit,
            place: 0,
            sxy: 0.0,
            syy: 0.0,
        };
        if n == 0 {
            return RankSums {
                sxy: 0.0,
                syy: 0.0,
                constant: true,
            };
        }
        let (mut lo, mut hi) = (u64::MAX, 0);
        for &x in s {
            let k = key(x);
            lo = lo.min(k);
            hi = hi.max(k);
        }
        let index_bits = u64::BITS - ((n - 1) as u64).leading_zeros();
        let range_bits = u64::BITS - (hi - lo).leading_zeros();
        let bucket_bits = (usize::BITS - n.leading_zeros() - 1).min(range_bits);
        let shift = range_bits - bucket_bits;
        if shift + index_bits > u64::BITS {
            self.rank_wide(s, &mut walk);
        } else {
            self.index_mask = (1u64 << index_bits) - 1;
            let low = if shift == 0 {
                0
            } else {
                u64::MAX >> (64 - shift)
            };
            let nb = 1usize << bucket_bits;
            self.starts.clear();
            self.starts.resize(nb + 1, 0);
            for &x in s {
                self.starts[((key(x) - lo) >> shift) as usize + 1] += 1;
            }
            for b in 0..nb {
                self.starts[b + 1] += self.starts[b];
            }
            for (i, &x) in s.iter().enumerate() {
                let k = key(x) - lo;
                let at = &mut self.starts[(k >> shift) as usize];
                self.items[*at as usize] = ((k & low) << index_bits) | i as u64;
                *at += 1;
            }
            // starts[b] is now the end of bucket b
            let mask = self.index_mask;
            let mut begin = 0;
            for b in 0..nb {
                let end = self.starts[b] as usize;
                let run = &mut self.items[begin..end];
                sort_run(run);
                walk.run(run, |it| it >> index_bits, |it| (it & mask) as usize);
                begin = end;
            }
        }
        RankSums {
            sxy: walk.sxy,
            syy: walk.syy,
            constant: lo == hi,
        }
    }

    /// The ranking by whole keys (see [`rank`](Self::rank)).
    fn rank_wide<B: Fn(usize) -> BaseInfo, F: FnMut(usize, u32, &BaseInfo)>(
        &mut self,
        s: &[f64],
        walk: &mut Walk<B, F>,
    ) {
        self.wide.clear();
        self.wide.extend(
            s.iter()
                .enumerate()
                .map(|(i, &x)| (u128::from(key(x)) << 64) | i as u128),
        );
        self.wide.sort_unstable();
        walk.run(&self.wide, |w| w >> 64, |w| w as u64 as usize);
        self.index_mask = u64::MAX;
        for (it, &w) in self.items.iter_mut().zip(&self.wide) {
            *it = w as u64;
        }
    }

    /// The item at each place of the last ranking, best first.
    pub fn order(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        let mask = self.index_mask;
        self.items.iter().map(move |&it| (it & mask) as usize)
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
    use proptest::prelude::*;

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
            r.rank(&s, Base::Given(&base), |i, k, _| ranks[i] = k);
            assert_eq!(ranks, naive(&s), "{s:?}");
            let order: Vec<usize> = r.order().collect();
            for w in order.windows(2) {
                let (a, b) = (w[0], w[1]);
                assert!(s[a] > s[b] || (s[a] == s[b] && a < b));
            }
        }
    }

    /// The ranking by its definition: sorted best first, ties by index, then the tie groups
    /// walked in that order (the sums in the same order as [`Ranker::rank`]).
    fn by_definition(s: &[f64], base: &[BaseInfo]) -> (Vec<(usize, u32)>, RankSums) {
        let mut order: Vec<usize> = (0..s.len()).collect();
        order.sort_by(|&a, &b| s[b].partial_cmp(&s[a]).unwrap().then(a.cmp(&b)));
        let (mut visits, mut sxy, mut syy) = (Vec::new(), 0.0, 0.0);
        let mut p = 0;
        while p < order.len() {
            let mut q = p + 1;
            while q < order.len() && s[order[q]] == s[order[p]] {
                q += 1;
            }
            let mid = (p + q + 1) as f64 / 2.0;
            for &i in &order[p..q] {
                visits.push((i, (p + 1) as u32));
                sxy += mid * (0.5 * f64::from(base[i].mid2));
            }
            syy += (q - p) as f64 * mid * mid;
            p = q;
        }
        let constant = s.iter().all(|&x| x == s[0]);
        (visits, RankSums { sxy, syy, constant })
    }

    /// Scores with many ties, both zeros, both signs, narrow and wide ranges.
    fn scores() -> impl Strategy<Value = Vec<f64>> {
        let narrow = (0u32..40).prop_map(|k| 3.0 + f64::from(k) * 1e-15);
        let value = prop_oneof![
            Just(0.0),
            Just(-0.0),
            Just(1.0),
            narrow,
            -5.0f64..5.0,
            0.0f64..100.0,
            -1e300f64..1e300,
            (0u64..1 << 20).prop_map(f64::from_bits),
        ];
        prop_oneof![
            proptest::collection::vec(value.clone(), 0..300),
            // a narrow range with ties
            proptest::collection::vec((0u32..40).prop_map(|k| 3.0 + f64::from(k) * 1e-15), 1..300),
            // tiny values beside a huge one: long buckets
            proptest::collection::vec(
                prop_oneof![Just(1e300), (0u64..1 << 12).prop_map(f64::from_bits)],
                1..300
            ),
            proptest::collection::vec(0.0f64..100.0, 1..3000),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn ranking_matches_its_definition(s in scores(), seed in 0u64..1000) {
            // any base ranking: a permutation of mid-ranks
            let base: Vec<BaseInfo> = (0..s.len())
                .map(|i| BaseInfo {
                    mid2: ((i as u64 * 7919 + seed) % (2 * s.len() as u64 + 1)) as u32,
                    rank: i as u32,
                })
                .collect();
            let (want, want_sums) = by_definition(&s, &base);
            let mut r = Ranker::default();
            let mut got = Vec::new();
            let sums = r.rank(&s, Base::Given(&base), |i, k, b| {
                assert_eq!(b, &base[i]);
                got.push((i, k));
            });
            prop_assert_eq!(&got, &want);
            prop_assert_eq!(sums, want_sums);
            let order: Vec<usize> = r.order().collect();
            let want_order: Vec<usize> = want.iter().map(|&(i, _)| i).collect();
            prop_assert_eq!(order, want_order);
            // a reused ranker gives the same
            let again = r.rank(&s, Base::Given(&base), |_, _, _| {});
            prop_assert_eq!(again, sums);
            // positions as the base: the same as the base they stand for
            let untied: Vec<BaseInfo> = (0..s.len()).map(BaseInfo::untied).collect();
            let (want, want_sums) = by_definition(&s, &untied);
            let mut got = Vec::new();
            let sums = r.rank(&s, Base::Positions, |i, k, b| {
                assert_eq!(b, &untied[i]);
                got.push((i, k));
            });
            prop_assert_eq!(got, want);
            prop_assert_eq!(sums, want_sums);
        }

        #[test]
        fn keys_order_scores(x in -1e300f64..1e300, y in -1e300f64..1e300) {
            prop_assert_eq!(key(x).cmp(&key(y)), y.partial_cmp(&x).unwrap());
        }
    }

    #[test]
    fn spearman_of_a_ranking_with_itself_is_one() {
        let s = [4.0, 1.0, 3.0, 3.0, 0.5];
        let (_, sq) = mid_ranks(&s);
        let sums = Ranker::default().rank(&s, Base::Given(&infos(&s)), |_, _, _| {});
        assert!((spearman(5, (sums.sxy, sq, sums.syy), false, false) - 1.0).abs() < 1e-15);
        // reversed: -1 (no ties)
        let t = [1.0, 2.0, 3.0];
        let u = [3.0, 2.0, 1.0];
        let (_, st) = mid_ranks(&t);
        let sums = Ranker::default().rank(&u, Base::Given(&infos(&t)), |_, _, _| {});
        assert!((spearman(3, (sums.sxy, st, sums.syy), false, false) + 1.0).abs() < 1e-15);
        // two items: the smallest variance there is
        let sums =
            Ranker::default().rank(&[1.0, 2.0], Base::Given(&infos(&[2.0, 1.0])), |_, _, _| {});
        let (_, s2) = mid_ranks(&[2.0, 1.0]);
        assert_eq!(
            spearman(2, (sums.sxy, s2, sums.syy), false, sums.constant),
            -1.0
        );
    }
}
