//! The vector kernels against the portable kernels (built on the scalar rules of
//! [`crate::evaluation::rules`]): the same refusals and the same results (bit for bit where
//! the operations are the same, to a few ulps where they are fused or reordered).
//!
//! A test whose kernel cannot run on this CPU says so on stderr and passes, unless
//! `SQ_REQUIRE_SIMD` asks for the instructions (`avx2`, or `avx512` for both): then it fails,
//! so that a kernel that stops being exercised in CI is noticed.

use super::avx2::linear::{lane_masks, scan};
use super::avx2::tally::{tally_root, TallyPlan};
use super::*;
use crate::batch::choice::Features;
use crate::batch::portable::{
    linear_f64_normalised, linear_root, row_scales_counts, rows_normalised, tally_linear_root,
    walk_run as walk_with,
};
use crate::batch::MISSING_ANSWER;
use crate::evaluation::FuzzyOperator;

/// Says that a kernel test did not run: the CPU lacks `what`. Fails instead when
/// `SQ_REQUIRE_SIMD` asks for `level` (or more).
fn skipped(what: &str, level: &str) {
    let required = std::env::var("SQ_REQUIRE_SIMD").unwrap_or_default();
    let needs = match level {
        "avx2" => required == "avx2" || required == "avx512",
        _ => required == level,
    };
    assert!(
        !needs,
        "SQ_REQUIRE_SIMD={required}, but the CPU has no {what}: its vector kernel is not tested"
    );
    eprintln!("not tested on this CPU (no {what}): its vector kernel");
}

/// The AVX2 token, if the CPU has AVX2 and FMA (else [`skipped`]).
fn avx2() -> Option<Avx2> {
    let cpu = Features::detect().avx2;
    if cpu.is_none() {
        skipped("AVX2 and FMA", "avx2");
    }
    cpu
}

/// The AVX-512 token, if the CPU has the subsets the kernel uses (else [`skipped`]).
fn avx512() -> Option<Avx512> {
    let cpu = Features::detect().avx512;
    if cpu.is_none() {
        skipped("AVX-512 F, BW, VL and VBMI", "avx512");
    }
    cpu
}

/// The goal's unnormalised `B` of one merchant by the AVX2 linear kernel, `None` where the
/// exact path must decide: the contract of `portable::linear_f64_normalised`.
fn linear_one<const M: usize>(_cpu: Avx2, x: &[f64], coef: &[f64]) -> Option<[f64; M]> {
    assert!(M <= 9 && x.len() == coef.len() && x.len().is_multiple_of(M));
    // SAFETY: the token proves AVX2 and FMA; the lengths are asserted above.
    unsafe { scan::<M, true>(x, coef) }
}

/// The row check of the AVX2 kernels for one merchant: the contract of
/// `portable::rows_normalised`.
fn rows_one<const M: usize>(_cpu: Avx2, x: &[f64]) -> bool {
    assert!(M <= 9 && x.len().is_multiple_of(M));
    // SAFETY: the token proves AVX2 and FMA; the lengths are asserted above (`coef` is not
    // read without `LINEAR`).
    unsafe { scan::<M, false>(x, &[]).is_some() }
}

/// One merchant's AVX2 tally.
fn tally_one<const M: usize>(
    _cpu: Avx2,
    rows: &[u8],
    k: usize,
    global: &[f64],
) -> Option<[f64; M]> {
    assert!(M <= 9 && (1..=16).contains(&k) && global.len() == k);
    // SAFETY: the token proves AVX2 and FMA; k in 1..=16, M <= 9 (asserted), the plan is
    // built for this k.
    unsafe { tally_root::<M>(rows, &TallyPlan::new(k, global)) }
}

/// The compiled plan of an evaluator.
#[allow(clippy::unwrap_used)] // a test helper: a failure is a test failure
fn plan_of(eval: &crate::Evaluator) -> Plan {
    Plan::new(eval).unwrap()
}

/// Runs the check `$f::<M>()` for every grade count `M` in 2..=9.
macro_rules! every_grade_count {
    ($f:ident) => {
        $f::<2>();
        $f::<3>();
        $f::<4>();
        $f::<5>();
        $f::<6>();
        $f::<7>();
        $f::<8>();
        $f::<9>();
    };
}

/// Relative agreement of the AVX2 kernel with the portable one: both sum the same
/// products in different orders (and fused), so a few ulps.
const KERNEL_AGREEMENT: f64 = 1e-14;

fn rows(k: usize, m: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut state = seed;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 11) as f64) / (1u64 << 53) as f64
    };
    let mut x = Vec::with_capacity(k * m);
    for _ in 0..k {
        let raw: Vec<f64> = (0..m).map(|_| next()).collect();
        let s: f64 = raw.iter().sum();
        x.extend(raw.iter().map(|v| v / s));
    }
    let g: Vec<f64> = (0..k).map(|_| next() + 0.01).collect();
    let gs: f64 = g.iter().sum();
    let coef = g
        .iter()
        .flat_map(|&w| std::iter::repeat_n(w / gs, m))
        .collect();
    (x, coef)
}

fn check<const M: usize>() {
    let Some(cpu) = avx2() else { return };
    for k in 1..=13 {
        let (mut x, coef) = rows(k, M, (k * 31 + M) as u64);
        let global: Vec<f64> = coef.iter().step_by(M).copied().collect();
        let (Some(portable), Some(simd)) = (
            linear_f64_normalised::<M>(&x, &global),
            linear_one::<M>(cpu, &x, &coef),
        ) else {
            panic!("normalised rows rejected at k = {k}");
        };
        assert!(rows_one::<M>(cpu, &x) && rows_normalised::<M>(&x));
        for (a, b) in portable.iter().zip(&simd) {
            assert!(
                (a - b).abs() <= KERNEL_AGREEMENT * a.abs().max(1e-300),
                "{a} {b}"
            );
        }
        // every position: a sign bit, NaN, a value making its row sum off, each sends the
        // merchant to the exact path in both kernels
        for p in 0..k * M {
            let keep = x[p];
            // and a value above 1 in a row that still sums to 1 within the tolerance
            let above = f64::from_bits(1.0f64.to_bits() + 2);
            for bad in [-0.0, -keep, f64::NAN, keep + 1e-9, keep + 2.0, above] {
                if bad.to_bits() == keep.to_bits() {
                    continue;
                }
                x[p] = bad;
                assert!(
                    linear_one::<M>(cpu, &x, &coef).is_none(),
                    "k {k} position {p} value {bad}"
                );
                assert!(!rows_one::<M>(cpu, &x), "k {k} position {p} value {bad}");
                assert!(!rows_normalised::<M>(&x));
                assert!(linear_f64_normalised::<M>(&x, &global).is_none());
                x[p] = keep;
            }
        }
    }
}

#[test]
fn agrees_with_the_portable_kernel_for_every_grade_count() {
    every_grade_count!(check);
}

/// The lane-parallel walk against the portable one, every operator, with merchants the
/// fast path must refuse among them: the same refusals, the same results bit for bit.
#[allow(clippy::unwrap_used)] // a test helper: a failure is a test failure
fn lanes_equal_portable<const M: usize, const W: usize>(grades: crate::GradeSet) {
    use crate::{template, Evaluator, IndicatorTree};
    let Some(cpu) = avx2() else { return };
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    for op in [
        FuzzyOperator::WeightedAverage,
        FuzzyOperator::ZadehMaxMin,
        FuzzyOperator::ProductMax,
        FuzzyOperator::BoundedSum,
    ] {
        let plan = &plan_of(&Evaluator::new(&tree, grades.clone()).operator(op));
        let k = plan.k();
        let n = 61; // fifteen quads and one merchant for the portable walk
        let (mut x, _) = rows(n * k, M, (M * 7 + op as usize) as u64);
        x[3 * k * M + 2] = f64::NAN;
        x[9 * k * M + 7] = -0.0;
        x[20 * k * M + 1] += 1e-6;
        x[37 * k * M..38 * k * M].iter_mut().for_each(|v| *v *= 0.5);
        let grading = Grading::<M>::new(plan);
        let mut scratch = Scratch::new(plan);
        let (mut s1, mut g1) = (vec![-1.0; n], vec![99u32; n]);
        let fast = walk_run::<M, W>(
            Some(cpu),
            plan,
            &x,
            &mut s1,
            &mut g1,
            None,
            &mut scratch,
            &grading,
        );
        let (mut s2, mut g2) = (vec![-1.0; n], vec![99u32; n]);
        let slow = walk_with::<M, W>(plan, &x, &mut s2, &mut g2, &mut scratch.slots, &grading);
        assert_eq!(fast, slow, "{op:?}: refused merchants");
        assert_eq!(fast.count_ones(), 4, "{op:?}");
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&s1), bits(&s2), "{op:?}: scores");
        assert_eq!(g1, g2, "{op:?}: grades");
    }
}

/// Node `B` streamed past the cache against node `B` stored in place, from f64
/// memberships and from `u8` counts: the same values bit for bit, the blocks of refused
/// merchants (and of the quads they are in) left as they were, the output starting at
/// every offset within a cache line (partial lines at both ends of a quad's blocks).
#[test]
#[allow(clippy::unwrap_used)]
fn streamed_node_b_equals_node_b_in_place() {
    use crate::{template, Evaluator, IndicatorTree};
    let Some(cpu) = avx2() else { return };
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    let grades = crate::GradeSet::satisfaction_5();
    let plan = &plan_of(&Evaluator::new(&tree, grades));
    let (k, n, nb) = (plan.k(), 61, plan.n_nodes * 5);
    // merchants 3 and 37 refused: a NaN, rows off their sum; an unanswered leaf
    let (mut x, _) = rows(n * k, 5, 17);
    x[3 * k * 5 + 2] = f64::NAN;
    x[37 * k * 5..38 * k * 5].iter_mut().for_each(|v| *v *= 0.5);
    let mut counts: Vec<u8> = (0..n * k * 5).map(|i| (i * 7 % 11) as u8 + 1).collect();
    counts[3 * k * 5 + 10..3 * k * 5 + 15].fill(0);
    counts[37 * k * 5..37 * k * 5 + 5].fill(0);
    let grading = Grading::<5>::new(plan);
    let run = |stream: bool, offset: usize, from_counts: bool| {
        let mut scratch = Scratch::new(plan);
        scratch.stream_node_b = stream;
        let (mut s, mut g) = (vec![-1.0; n], vec![99u32; n]);
        let mut b = vec![-7.0; n * nb + offset];
        let b_run = Some(&mut b[offset..]);
        let left = if from_counts {
            let out = (&mut s[..], &mut g[..]);
            counts_walk::<5, u8>(cpu, plan, &counts, out, b_run, &mut scratch, &grading)
        } else {
            walk_run::<5, 8>(
                Some(cpu),
                plan,
                &x,
                &mut s,
                &mut g,
                b_run,
                &mut scratch,
                &grading,
            )
        };
        (left, s, g, b[offset..].to_vec())
    };
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let sentinel = |v: &f64| v.to_bits() == (-7.0f64).to_bits();
    for (offset, from_counts) in (0..8).flat_map(|o| [(o, false), (o, true)]) {
        let at = format!("offset {offset}, counts {from_counts}");
        let (left, s1, g1, b1) = run(false, offset, from_counts);
        let (left2, s2, g2, b2) = run(true, offset, from_counts);
        assert_eq!(left, left2, "{at}");
        // merchants 3 and 37 refused, and the one after the last quad
        assert_eq!(left, 1 << 3 | 1 << 37 | 1 << 60, "{at}");
        assert_eq!(bits(&s1), bits(&s2), "{at}");
        assert_eq!(g1, g2, "{at}");
        assert_eq!(bits(&b1), bits(&b2), "{at}: node B");
        for i in [3, 37, 60] {
            assert!(
                b2[i * nb..(i + 1) * nb].iter().all(sentinel),
                "{at}: merchant {i}"
            );
        }
        // quad 1, streamed
        assert!(!b2[4 * nb..8 * nb].iter().any(sentinel), "{at}: written");
    }
}

#[test]
fn lane_parallel_walk_equals_the_portable_walk() {
    lanes_equal_portable::<5, 8>(crate::GradeSet::satisfaction_5());
    let three = crate::GradeSet::new(vec![
        crate::Grade::new("good", 90.0),
        crate::Grade::new("fair", 70.0),
        crate::Grade::new("poor", 40.0),
    ])
    .unwrap();
    lanes_equal_portable::<3, 4>(three);
    // every register width: one (M <= 4), two (M <= 8) and three (M = 9) per node
    lanes_equal_portable::<2, 4>(grades(2));
    lanes_equal_portable::<4, 4>(grades(4));
    lanes_equal_portable::<7, 8>(grades(7));
    lanes_equal_portable::<9, 12>(grades(9));
}

/// `m` grades worth 100, 90, ...
#[allow(clippy::unwrap_used)] // a test helper: a failure is a test failure
fn grades(m: usize) -> crate::GradeSet {
    crate::GradeSet::new(
        (0..m)
            .map(|j| crate::Grade::new(format!("g{j}"), 100.0 - 10.0 * j as f64))
            .collect(),
    )
    .unwrap()
}

/// A count lane kernel (`width` merchants per register) against the portable count path
/// (totals, `linear_root`, the finish) for `k` leaves of `M` grades, a run of `n`
/// merchants (those past the last whole group of `width` are left to the caller), some
/// leaves unanswered, weights not summing to 1, counts over the whole range of `T`
/// (`widen` truncates a 64-bit value; totals past `T::MAX`).
#[allow(clippy::unwrap_used)] // a test helper: a failure is a test failure
fn counts_equal_portable<const M: usize, T: crate::batch::GradeCount>(
    width: usize,
    (k, n): (usize, usize),
    widen: fn(u64) -> T,
) {
    let block = k * M;
    let mut counts: Vec<T> = (0..(n * block) as u64)
        .map(|i| {
            let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 5;
            match i % 7 {
                // the largest count (totals past it), any count (every byte varying),
                // small ones
                0 => widen(u64::MAX - i % 3),
                1 => widen(h),
                _ => widen(h % 23),
            }
        })
        .collect();
    // unanswered leaves, among them in the last lane of a register (7, 31, 63)
    for i in (0..n).step_by(9).chain([7, 31, 63]).filter(|&i| i < n) {
        let l = i % k;
        counts[i * block + l * M..i * block + (l + 1) * M].fill(widen(0));
    }
    let global: Vec<f64> = (0..k).map(|l| 0.05 + 0.1 * ((l * 7) % 5) as f64).collect();
    let values = std::array::from_fn(|j| 100.0 - 10.0 * j as f64);
    let grading = Grading::<M> {
        values,
        min: values[M - 1],
        max: values[0],
    };
    let mut tally = vec![0i32; (4 * block).max(128 * block.div_ceil(16)) + 16];
    let (mut s1, mut g1) = (vec![-1.0; n], vec![99u32; n]);
    let out = (&mut s1[..], &mut g1[..]);
    let cpu = Features::detect();
    let left = match (width, cpu.avx512, cpu.avx2) {
        (8, Some(cpu), _) => {
            counts_octets::<M, T>(cpu, &counts, &global, out, &mut tally, &grading)
        }
        (4, _, Some(cpu)) => counts_quads::<M, T>(cpu, &counts, &global, out, &mut tally, &grading),
        _ => return skipped("the kernel's instructions", "none"),
    };
    let inv: Vec<f64> = (0..4096)
        .map(|t| if t == 0 { 0.0 } else { 1.0 / t as f64 })
        .collect();
    let mut scale = vec![0.0; k];
    let whole = n / width * width;
    for i in 0..n {
        let x = &counts[i * block..(i + 1) * block];
        let portable = row_scales_counts::<M, T>(x, &inv, &mut scale)
            .and_then(|()| grading.root(&linear_root::<M, T>(x, &global, &scale, T::to_f64)));
        let at = format!(
            "{} bytes, width {width}, M {M}, k {k}, merchant {i}",
            T::BYTES
        );
        match portable {
            Some((score, grade)) if left >> i & 1 == 0 => {
                assert!((score - s1[i]).abs() <= 1e-12 * 100.0, "{at}");
                assert_eq!(grade, g1[i], "{at}");
            }
            // the kernel leaves unanswered leaves and the merchants past the last group
            None => assert!(left >> i & 1 == 1, "{at}: accepted"),
            Some(_) => assert!(i >= whole, "{at}: left"),
        }
        if left >> i & 1 == 1 {
            assert_eq!((s1[i], g1[i]), (-1.0, 99), "{at}: written");
        }
    }
}

/// Every grade count 2..=9 and leaf count 1..=16 where the kernel runs: AVX2 from 16
/// bytes per block (`u8` and `u16`: it leaves every `u32` merchant), AVX-512 from one
/// (blocks of 2 to 144 values, one to three windows of 64 `u8`, one to five of 32 `u16`,
/// one to nine of 16 `u32`).
fn count_widths<const M: usize>() {
    let (wide, quads) = (avx512().is_some(), avx2().is_some());
    // (truncations)
    let byte: fn(u64) -> u8 = |c| c as u8;
    let word: fn(u64) -> u16 = |c| c as u16;
    let dword: fn(u64) -> u32 = |c| c as u32;
    for k in 1..=16 {
        // a whole run of 64, and one with merchants past the last whole register
        for n in [61, 64] {
            if wide {
                counts_equal_portable::<M, u8>(8, (k, n), byte);
                counts_equal_portable::<M, u16>(8, (k, n), word);
                counts_equal_portable::<M, u32>(8, (k, n), dword);
            }
            if quads && k * M >= 16 {
                counts_equal_portable::<M, u8>(4, (k, n), byte);
            }
            if quads && k * M >= 8 {
                counts_equal_portable::<M, u16>(4, (k, n), word);
                // u32 counts: not for the AVX2 kernel
                let (mut s, mut g) = (vec![0.0; n], vec![0; n]);
                let x = vec![1u32; n * k * M];
                let mut tally = vec![0; 8 * k * M + 16];
                let grading = Grading::<M> {
                    values: [0.0; M],
                    min: 0.0,
                    max: 0.0,
                };
                let global = vec![1.0 / k as f64; k];
                let Some(cpu) = Features::detect().avx2 else {
                    continue;
                };
                let left = counts_quads(cpu, &x, &global, (&mut s, &mut g), &mut tally, &grading);
                assert_eq!(left, run_mask(n), "u32 left to the exact path");
            }
        }
    }
}

#[test]
fn count_lanes_agree_with_the_portable_counts() {
    every_grade_count!(count_widths);
}

/// The AVX2 tally against the portable one for every row width 1..=16 and row counts
/// 0..40 (windows inside the rows, ending with them, shuffled into place), with missing
/// answers, invalid codes and unanswered leaves.
fn tally_equals_portable<const M: usize>() {
    let Some(cpu) = avx2() else { return };
    let inv: Vec<f64> = (0..300)
        .map(|t| if t == 0 { 0.0 } else { 1.0 / t as f64 })
        .collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ M as u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for k in 1..=16usize {
        let global: Vec<f64> = (0..k)
            .map(|l| (l + 1) as f64 / (k * (k + 1) / 2) as f64)
            .collect();
        for n_rows in 0..40usize {
            for case in 0..4 {
                let mut rows: Vec<u8> = (0..n_rows * k)
                    .map(|_| match next() % 8 {
                        7 => MISSING_ANSWER,
                        c => (c % M as u64) as u8,
                    })
                    .collect();
                if case == 1 && !rows.is_empty() {
                    let at = (next() as usize) % rows.len();
                    rows[at] = M as u8 + (next() % 3) as u8; // invalid
                }
                if case == 2 && n_rows > 0 {
                    let l = (next() as usize) % k; // leaf without answers
                    for r in 0..n_rows {
                        rows[r * k + l] = MISSING_ANSWER;
                    }
                }
                let portable = tally_linear_root::<M>(&rows, k, &global, &inv);
                let simd = tally_one::<M>(cpu, &rows, k, &global);
                match (portable, simd) {
                    (Some(a), Some(b)) => {
                        for (x, y) in a.iter().zip(&b) {
                            assert!((x - y).abs() <= KERNEL_AGREEMENT, "k {k} rows {n_rows}");
                        }
                    }
                    // the AVX2 kernel leaves fewer than 16 bytes to the exact path
                    (Some(_), None) => assert!(n_rows * k < 16, "k {k} rows {n_rows}"),
                    (None, Some(_)) => panic!("k {k} rows {n_rows} case {case}: accepted"),
                    (None, None) => {}
                }
            }
        }
    }
}

#[test]
fn tally_agrees_with_the_portable_tally() {
    every_grade_count!(tally_equals_portable);
}

#[test]
fn lane_masks_cover_every_lane_once() {
    fn cover<const M: usize>() {
        let masks = lane_masks::<M>();
        for (i, vector) in masks.iter().enumerate() {
            // lane j is covered by exactly the row (4i + j) / M
            let mut owners = [[false; 4]; 4];
            for (r, lanes) in vector.iter().enumerate() {
                for (j, &lane) in lanes.iter().enumerate() {
                    owners[j][r] = lane == u64::MAX;
                }
            }
            for (j, owner) in owners.iter().enumerate() {
                let expected: Vec<bool> = (0..4).map(|r| r == (4 * i + j) / M).collect();
                assert_eq!(owner.to_vec(), expected, "vector {i} lane {j}");
            }
        }
    }
    every_grade_count!(cover);
}
