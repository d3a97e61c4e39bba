//! Proptest strategies shared by the property tests.
#![allow(dead_code)]

use proptest::prelude::*;

/// Any f64, with the awkward ones (NaN, ±inf, ±0, negative, huge, tiny, subnormal) well
/// represented, and plenty of ordinary values in [0, 1] and [0.1, 10].
pub fn awkward_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        Just(-1.0),
        Just(1.0),
        Just(f64::MAX),
        Just(f64::MIN),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
        Just(1e300),
        Just(1e-300),
        0.0f64..1.0,
        0.1f64..10.0,
        any::<f64>(),
    ]
}

/// A permutation of `0..n` determined by `seed` (Fisher–Yates driven by a 64-bit LCG).
pub fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed;
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        order.swap(i, (state >> 33) as usize % (i + 1));
    }
    order
}
