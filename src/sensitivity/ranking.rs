//! Ranking scores: the order, competition ranks and mid-ranks, in linear expected time.

/// Buckets larger than this are sorted with the standard sort instead of insertion.
const INSERTION_MAX: usize = 24;

/// Reusable buffers for ranking `n` scores.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranker {
    starts: Vec<u32>,
    bucket: Vec<u32>,
    order: Vec<u32>,
}

/// What one ranking gives besides the ranks: the sums Spearman's correlation needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RankSums {
    /// `sum_i mid_i * base_mid_i`.
    pub sxy: f64,
    /// `sum_i mid_i^2`.
    pub syy: f64,
}

impl Ranker {
    /// Ranks `s` (finite scores), highest first: `ranks[i]` = 1 + the number of scores
    /// strictly above `s[i]` (competition ranking: ties share the best rank). `base_mid`
    /// (mid-ranks of another ranking of the same items) gives the sums of
    /// [`RankSums`]; `order` afterwards lists the items best first, ties by index.
    ///
    /// Items are put into `n` buckets by score (a counting sort: scores are bounded), then
    /// each bucket is sorted; the bucket of a score is monotone in it, so the result is
    /// exact whatever the distribution (a bucket with many items is merely sorted by the
    /// standard sort).
    pub fn rank(&mut self, s: &[f64], base_mid: &[f64], ranks: &mut [u32]) -> RankSums {
        let n = s.len();
        self.order.resize(n, 0);
        if n == 0 {
            return RankSums { sxy: 0.0, syy: 0.0 };
        }
        let (mut lo, mut hi) = (s[0], s[0]);
        for &x in s {
            lo = lo.min(x);
            hi = hi.max(x);
        }
        let nb = n;
        self.starts.clear();
        self.starts.resize(nb + 1, 0);
        self.bucket.resize(n, 0);
        let scale = if hi > lo {
            (nb as f64) / (hi - lo)
        } else {
            0.0
        };
        let last = (nb - 1) as f64;
        for (b, &x) in self.bucket.iter_mut().zip(s) {
            // highest score -> bucket 0; monotone (non-increasing) in the score
            let k = ((hi - x) * scale).min(last) as u32;
            *b = k;
            self.starts[k as usize + 1] += 1;
        }
        for k in 0..nb {
            self.starts[k + 1] += self.starts[k];
        }
        {
            let (starts, order) = (&mut self.starts, &mut self.order);
            for (i, &b) in self.bucket.iter().enumerate() {
                let at = &mut starts[b as usize];
                order[*at as usize] = i as u32;
                *at += 1;
            }
        }
        // starts[k] is now the end of bucket k (= the start of bucket k + 1)
        let before = |a: u32, b: u32| {
            let (x, y) = (s[a as usize], s[b as usize]);
            x > y || (x == y && a < b)
        };
        let mut begin = 0usize;
        for k in 0..nb {
            let end = self.starts[k] as usize;
            let run = &mut self.order[begin..end];
            if run.len() > INSERTION_MAX {
                run.sort_unstable_by(|&a, &b| {
                    s[b as usize].total_cmp(&s[a as usize]).then(a.cmp(&b))
                });
            } else {
                for j in 1..run.len() {
                    let v = run[j];
                    let mut p = j;
                    while p > 0 && before(v, run[p - 1]) {
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
        let mut p = 0;
        while p < n {
            let first = self.order[p] as usize;
            let mut q = p + 1;
            while q < n && s[self.order[q] as usize] == s[first] {
                q += 1;
            }
            let mid = (p + q + 1) as f64 / 2.0;
            let rank = (p + 1) as u32;
            for &i in &self.order[p..q] {
                ranks[i as usize] = rank;
                sxy += mid * base_mid[i as usize];
            }
            syy += (q - p) as f64 * mid * mid;
            p = q;
        }
        RankSums { sxy, syy }
    }

    /// The order of the last ranking: item indices, best first.
    pub fn order(&self) -> &[u32] {
        &self.order
    }
}

/// Mid-ranks (average rank of a tie group) of `s`, highest first, and their sum of squares.
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
/// the mid-ranks; both sum to `n (n + 1) / 2`). Defined as 1 when both rankings are all ties
/// and 0 when only one is (no variance to correlate).
pub(crate) fn spearman(n: usize, sxy: f64, sxx: f64, syy: f64) -> f64 {
    let nf = n as f64;
    let mean = (nf + 1.0) / 2.0;
    let c = nf * mean * mean;
    let (vx, vy) = (sxx - c, syy - c);
    // mid-rank sums are exact in f64 up to 2^53; a variance below 1/2 means all ties
    match (vx > 0.5, vy > 0.5) {
        (true, true) => ((sxy - c) / (vx * vy).sqrt()).clamp(-1.0, 1.0),
        (false, false) => 1.0,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(s: &[f64]) -> Vec<u32> {
        s.iter()
            .map(|&x| 1 + s.iter().filter(|&&y| y > x).count() as u32)
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
            (0..300).map(|i| if i == 0 { -1e6 } else { (i % 3) as f64 }).collect(),
        ];
        let mut r = Ranker::default();
        for s in cases {
            let mut ranks = vec![0; s.len()];
            let (base, _) = mid_ranks(&s);
            r.rank(&s, &base, &mut ranks);
            assert_eq!(ranks, naive(&s), "{s:?}");
            let order = r.order();
            for w in order.windows(2) {
                let (a, b) = (w[0] as usize, w[1] as usize);
                assert!(s[a] > s[b] || (s[a] == s[b] && a < b));
            }
        }
    }

    #[test]
    fn spearman_of_a_ranking_with_itself_is_one() {
        let s = [4.0, 1.0, 3.0, 3.0, 0.5];
        let (mid, sq) = mid_ranks(&s);
        let mut ranks = vec![0; 5];
        let sums = Ranker::default().rank(&s, &mid, &mut ranks);
        assert!((spearman(5, sums.sxy, sq, sums.syy) - 1.0).abs() < 1e-15);
        // reversed: -1 (no ties)
        let t = [1.0, 2.0, 3.0];
        let u = [3.0, 2.0, 1.0];
        let (mt, st) = mid_ranks(&t);
        let sums = Ranker::default().rank(&u, &mt, &mut [0; 3]);
        assert!((spearman(3, sums.sxy, st, sums.syy) + 1.0).abs() < 1e-15);
    }
}
