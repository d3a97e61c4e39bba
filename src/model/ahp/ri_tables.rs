// Random index tables that need more than a literal list. Included by `consistency.rs`.

/// Donegan & Dodd (1991) as tabulated in AHPy 2.0 (`ahpy.py`, `_compute_consistency_ratio`):
/// n = 3..=20 individually, then n = 25, 30, 40, ..., 100. Sizes between two tabulated ones
/// are linearly interpolated exactly as AHPy does (`slope * (n - smaller) + ri[smaller]`), so
/// CR values agree with AHPy's to the last bit. The tabulated value for n = 90 (1.6213) is
/// below that for n = 80 (1.6277); it is kept as printed.
const DONEGAN_DODD_KNOTS: [(usize, f64); 27] = [
    (3, 0.4914),
    (4, 0.8286),
    (5, 1.0591),
    (6, 1.1797),
    (7, 1.2519),
    (8, 1.3171),
    (9, 1.3733),
    (10, 1.4055),
    (11, 1.4213),
    (12, 1.4497),
    (13, 1.4643),
    (14, 1.4822),
    (15, 1.4969),
    (16, 1.5078),
    (17, 1.5153),
    (18, 1.5262),
    (19, 1.5313),
    (20, 1.5371),
    (25, 1.5619),
    (30, 1.5772),
    (40, 1.5976),
    (50, 1.6102),
    (60, 1.6178),
    (70, 1.6237),
    (80, 1.6277),
    (90, 1.6213),
    (100, 1.6339),
];

/// The Donegan & Dodd table expanded to every n = 1..=100.
const DONEGAN_DODD_1991: [f64; 100] = expand_knots(&DONEGAN_DODD_KNOTS);

const fn expand_knots<const N: usize>(knots: &[(usize, f64); 27]) -> [f64; N] {
    let mut out = [0.0; N];
    let mut k = 0;
    while k + 1 < knots.len() {
        let (s, rs) = knots[k];
        let (l, rl) = knots[k + 1];
        let slope = (rl - rs) / (l - s) as f64;
        let mut n = s;
        while n < l {
            out[n - 1] = if n == s {
                rs
            } else {
                slope * (n - s) as f64 + rs
            };
            n += 1;
        }
        k += 1;
    }
    let (last, rlast) = knots[knots.len() - 1];
    out[last - 1] = rlast;
    out
}

/// Tummala & Ling (1998), n = 1..=15, as used by pymcdm 1.4 (`AHP.RI_M`).
const TUMMALA_LING_1998: [f64; 15] = [
    0.0, 0.0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882, 1.5117, 1.5356,
    1.5571, 1.5714, 1.5831,
];

/// Saaty (2005), n = 1..=15, as used by AHPy 2.1 with `random_index='saaty'`.
const SAATY_2005: [f64; 15] = [
    0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59,
];
