//! Properties of ranking and tiers: a ranking is a permutation of the ranked merchants whose
//! ranks follow their scores; tiers partition the merchants; a merchant's tier never improves
//! when only its score drops.

use proptest::prelude::*;
use service_quality::outcome::{quantile, Ranking, TieRule, Tier, TierBasis, TierScheme};

fn scores() -> impl Strategy<Value = Vec<f64>> {
    // whole and half points so that ties are common
    prop::collection::vec((110u32..=190).prop_map(|x| f64::from(x) / 2.0), 1..60)
}

fn schemes() -> impl Strategy<Value = TierScheme> {
    prop_oneof![
        Just(
            TierScheme::new(
                TierBasis::Score,
                vec![
                    Tier::new("A", "A").at_least(85.0),
                    Tier::new("B", "B").at_least(70.0),
                    Tier::new("C", "C")
                ],
            )
            .unwrap()
        ),
        Just(
            TierScheme::new(
                TierBasis::Quantile,
                vec![
                    Tier::new("A", "A").at_least(0.9),
                    Tier::new("B", "B").at_least(0.5),
                    Tier::new("C", "C").at_least(0.05),
                    Tier::new("D", "D"),
                ],
            )
            .unwrap()
            .with_min_sample(5)
        ),
    ]
}

proptest! {
    #[test]
    fn a_ranking_is_a_permutation_ordered_by_score(scores in scores(), dense in any::<bool>()) {
        let ties = if dense { TieRule::Dense } else { TieRule::Competition };
        let r = Ranking::by_scores(&scores, ties).unwrap();
        let mut seen: Vec<u32> = r.order().to_vec();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..scores.len() as u32).collect::<Vec<_>>());
        for m in 0..scores.len() {
            let better = scores.iter().filter(|&&s| s > scores[m]).count() as u32;
            let mut distinct: Vec<f64> = scores.iter().copied().filter(|&s| s > scores[m]).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let want = match ties {
                TieRule::Dense => distinct.len() as u32 + 1,
                _ => better + 1,
            };
            prop_assert_eq!(r.rank(m), Some(want));
        }
        for w in r.order().windows(2) {
            prop_assert!(scores[w[0] as usize] >= scores[w[1] as usize]);
        }
    }

    #[test]
    fn tiers_partition_and_never_improve_when_a_score_drops(
        scores in scores(),
        samples in prop::collection::vec(0u32..20, 60),
        scheme in schemes(),
        who in any::<prop::sample::Index>(),
        drop in 0.5f64..30.0,
    ) {
        let samples = &samples[..scores.len()];
        let t = scheme.assign_scores(&scores, samples).unwrap();
        // a partition: every merchant in exactly one tier, counts add up
        prop_assert_eq!(t.counts().iter().sum::<usize>(), scores.len());
        prop_assert!(t.indices().iter().all(|&i| (i as usize) <= scheme.tiers().len()));
        for (m, &n) in samples.iter().enumerate() {
            prop_assert_eq!(t.is_insufficient(m), n < scheme.min_sample());
        }
        // one merchant's score drops, nobody else's changes
        let m = who.index(scores.len());
        let mut lower = scores.clone();
        lower[m] -= drop;
        let after = scheme.assign_scores(&lower, samples).unwrap();
        prop_assert!(after.indices()[m] >= t.indices()[m],
            "tier of {} went from {} to {}", m, t.indices()[m], after.indices()[m]);
    }

    #[test]
    fn quantiles_lie_between_the_order_statistics(values in scores(), p in 0.0f64..=1.0) {
        let mut v = values.clone();
        let q = quantile(&mut v, p).unwrap();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(lo <= q && q <= hi);
        let below = values.iter().filter(|&&x| x < q).count() as f64;
        prop_assert!(below <= p * (values.len() - 1) as f64 + 1.0);
    }
}

#[test]
fn quantile_refuses_bad_input() {
    assert!(quantile(&mut [], 0.5).is_err());
    assert!(quantile(&mut [1.0], 1.5).is_err());
    assert!(quantile(&mut [1.0], f64::NAN).is_err());
    assert!(quantile(&mut [1.0, f64::NAN], 0.5).is_err());
}
