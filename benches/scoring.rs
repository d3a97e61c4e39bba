//! Batch scoring throughput, each input form beside a baseline that only reads the same bytes.
//!
//! Run with `cargo bench --bench scoring` (add `--features parallel` for the two-thread
//! rows). Every group is `scoring/<form>_<operator>` (f64 memberships under each of the four
//! operators, `u8` counts under `M(·,+)` and `M(∧,∨)`, `u16` and `u32` counts under
//! `M(·,+)`, raw answers, node-`B` output, parallel) with `Throughput::Elements(merchants)`,
//! and times, for N = 1e3, 1e5 and 1e6 merchants of k = 12 leaves x m = 5 grades:
//!
//! - `kernel/N`: the batch scorer;
//! - `read/N`: a plain sum over the same input buffer (eight independent f64 accumulators, or
//!   bytes added into 16-bit vector lanes, so that it runs at memory bandwidth rather than at
//!   the latency of an add chain);
//! - in the node-`B` group also `read_write/N`: that read plus filling the node-`B` output
//!   buffer, the memory traffic of the kernel without its arithmetic, and `read_stream/N`
//!   (x86-64): the same with non-temporal stores for the output's whole cache lines, as the
//!   kernel writes outputs of 8 MiB and more;
//! - in the `parallel` group also `read_two_threads/N`: the read split over two threads, what
//!   two cores can draw from memory.
//!
//! The ratio kernel/read within one run shows how close a kernel comes to memory speed; the
//! regression gate (`scripts/bench-regression`) times the kernels of a base and a head build
//! against each other instead. `SCORING_BENCH_QUICK=1` runs the sizes 1e3 and 1e5 only (and
//! builds no 1e6 input); `benches/common/gate_settings.rs` lists the gate's other settings.
//! Inputs are deterministic (SplitMix64, fixed seed) and built outside the timed closures.
//! Measured numbers and the machine are in the README (section "Performance").

use std::hint::black_box;
use std::time::Duration;

#[path = "common/gate_clock.rs"]
mod gate_clock;
#[path = "common/gate_settings.rs"]
mod gate_settings;
#[path = "common/slowdown.rs"]
mod slowdown;
#[path = "common/splitmix.rs"]
mod splitmix;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gate_clock::GateClock;
use service_quality::{
    batch::GradeCount, BatchOutput, BatchScorer, Evaluator, FuzzyOperator, GradeSet, IndicatorTree,
    NodeSpec, SurveyAnswers,
};
use splitmix::SplitMix;

const LEAVES: usize = 12;
const GRADES: usize = 5;
const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];
/// The sizes of quick mode (`SCORING_BENCH_QUICK=1`).
const QUICK_SIZES: [usize; 2] = [1_000, 100_000];
const RESPONDENTS: usize = 20;

/// Four dimensions of three indicators, AHP-like weights.
fn tree() -> IndicatorTree {
    let dims = ["speed", "attitude", "professionalism", "satisfaction"];
    let children = dims
        .iter()
        .map(|d| {
            NodeSpec::group(
                *d,
                *d,
                (0..3)
                    .map(|i| NodeSpec::leaf(format!("{d}_{i}"), "indicator"))
                    .collect(),
            )
            .with_weights(vec![0.5, 0.3, 0.2])
        })
        .collect();
    IndicatorTree::new(
        NodeSpec::group("goal", "goal", children).with_weights(vec![0.3, 0.2, 0.2, 0.3]),
    )
    .expect("valid tree")
}

/// Answer counts per leaf and grade (1..=40 answers per leaf).
fn counts(n: usize, rng: &mut SplitMix) -> Vec<u8> {
    (0..n * LEAVES * GRADES)
        .map(|i| {
            let c = (rng.next_u64() % 9) as u8;
            // at least one answer per leaf
            if i % GRADES == 0 {
                c + 1
            } else {
                c
            }
        })
        .collect()
}

fn memberships(c: &[u8]) -> Vec<f64> {
    let mut out = vec![0.0; c.len()];
    for (o, row) in out.chunks_exact_mut(GRADES).zip(c.chunks_exact(GRADES)) {
        let t: u32 = row.iter().map(|&x| u32::from(x)).sum();
        for (x, &ci) in o.iter_mut().zip(row) {
            *x = f64::from(ci) / f64::from(t);
        }
    }
    out
}

fn answers(n: usize, rng: &mut SplitMix) -> (Vec<u8>, Vec<usize>) {
    let rows: Vec<u8> = (0..n * RESPONDENTS * LEAVES)
        .map(|_| match rng.next_u64() % 16 {
            15 => service_quality::batch::MISSING_ANSWER,
            r => (r % GRADES as u64) as u8,
        })
        .collect();
    let offsets = (0..=n).map(|i| i * RESPONDENTS).collect();
    (rows, offsets)
}

fn read_f64(x: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let chunks = x.chunks_exact(8);
    let tail: f64 = chunks.remainder().iter().sum();
    for c in chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += v;
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// Fills `out` with `value`: its whole cache lines with non-temporal stores (past the cache,
/// without first reading the lines), the partial lines at both ends normally.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
fn stream_fill(out: &mut [f64], value: f64) {
    use std::arch::x86_64::{_mm_set1_pd, _mm_sfence, _mm_stream_pd};
    let head = out.as_ptr().align_offset(64).min(out.len());
    let (start, rest) = out.split_at_mut(head);
    start.fill(value);
    let (lines, tail) = rest.split_at_mut(rest.len() / 8 * 8);
    tail.fill(value);
    // SAFETY: SSE and SSE2 are part of x86-64; each `pair` holds two f64 on a 16-byte
    // boundary (`lines` starts on a 64-byte one)
    unsafe {
        let v = _mm_set1_pd(value);
        for pair in lines.chunks_exact_mut(2) {
            _mm_stream_pd(pair.as_mut_ptr(), v);
        }
        _mm_sfence();
    }
}

/// Integer counts a read baseline adds up in wrapping lanes.
trait Word: Copy + Default {
    fn wrapping(self, other: Self) -> Self;
    fn wide(self) -> u64;
}

macro_rules! word {
    ($($t:ty)*) => {$(
        impl Word for $t {
            fn wrapping(self, other: Self) -> Self {
                self.wrapping_add(other)
            }
            fn wide(self) -> u64 {
                u64::from(self)
            }
        }
    )*};
}
word!(u16 u32);

/// Every `u16` or `u32` read at memory speed: added 32 at a time into wrapping lanes of their
/// own width (one vector add per register of values, no widening; the result is a checksum,
/// what matters is that every byte is read).
fn read_words<T: Word>(x: &[T]) -> u64 {
    let blocks = x.chunks_exact(32);
    let tail: u64 = blocks.remainder().iter().map(|v| v.wide()).sum();
    let mut lanes = [T::default(); 32];
    for block in blocks {
        for (l, &v) in lanes.iter_mut().zip(block) {
            *l = l.wrapping(v);
        }
    }
    lanes.iter().map(|l| l.wide()).sum::<u64>() + tail
}

/// A sum of every byte at memory speed: 32 bytes at a time into 16-bit lanes (vector adds),
/// widened every 256 blocks before the lanes can overflow.
fn read_u8(x: &[u8]) -> u64 {
    let mut total = 0u64;
    let blocks = x.chunks_exact(32);
    let tail: u64 = blocks.remainder().iter().map(|&v| u64::from(v)).sum();
    let mut lanes = [0u16; 32];
    for (i, block) in blocks.enumerate() {
        for (l, &v) in lanes.iter_mut().zip(block) {
            *l += u16::from(v);
        }
        if i % 256 == 255 {
            total += lanes.iter().map(|&l| u64::from(l)).sum::<u64>();
            lanes = [0; 32];
        }
    }
    total + lanes.iter().map(|&l| u64::from(l)).sum::<u64>() + tail
}

fn config<'a>(
    c: &'a mut Criterion<GateClock>,
    name: &str,
) -> criterion::BenchmarkGroup<'a, GateClock> {
    // quick mode halves the measurement time; the gate's settings come last
    let mut g = c.benchmark_group(format!("scoring/{name}"));
    g.warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(if quick() { 1 } else { 2 }))
        .sample_size(10);
    gate_settings::group(&mut g);
    g
}

/// `SCORING_BENCH_QUICK=1`: shorter measurements, sizes 1e3 and 1e5 only.
fn quick() -> bool {
    std::env::var_os("SCORING_BENCH_QUICK").is_some()
}

/// A bench's kernel run over the first `n` merchants, into the given outputs.
type Run<'a> = Box<dyn Fn(usize, &mut [f64], &mut [u32]) + 'a>;
/// Its read baseline over the same `n` merchants' input.
type Read<'a> = Box<dyn Fn(usize) -> f64 + 'a>;

/// `u16` or `u32` counts (`block` per merchant) under `scorer`, with their read baseline.
fn words_form<'a, T: GradeCount + Word>(
    name: &'a str,
    scorer: &'a BatchScorer,
    counts: &'a [T],
    block: usize,
) -> (&'a str, Run<'a>, Read<'a>) {
    (
        name,
        Box::new(move |n, s: &mut [f64], g: &mut [u32]| {
            let out = BatchOutput::new(s, g).expect("buffers");
            black_box(
                scorer
                    .score_counts(&counts[..n * block], out)
                    .expect("scored"),
            );
        }),
        Box::new(move |n| read_words(&counts[..n * block]) as f64),
    )
}

fn scoring(c: &mut Criterion<GateClock>) {
    let tree = tree();
    let grades = GradeSet::satisfaction_5();
    let linear = BatchScorer::new(&Evaluator::new(&tree, grades.clone())).expect("scorer");
    let with_op =
        |op| BatchScorer::new(&Evaluator::new(&tree, grades.clone()).operator(op)).expect("scorer");
    let maxmin = with_op(FuzzyOperator::ZadehMaxMin);
    let product_max = with_op(FuzzyOperator::ProductMax);
    let bounded = with_op(FuzzyOperator::BoundedSum);
    let mut rng = SplitMix(20_261_126);
    let sizes: &[usize] = if quick() { &QUICK_SIZES } else { &SIZES };
    let max_n = sizes[sizes.len() - 1];
    let all_counts = counts(max_n, &mut rng);
    let all_memberships = memberships(&all_counts);
    // the same counts scaled past what a byte (a word) holds: up to 37 x 9 = 333 (9 x 70000)
    // answers per grade
    let all_counts16: Vec<u16> = all_counts.iter().map(|&c| u16::from(c) * 37).collect();
    let all_counts32: Vec<u32> = all_counts.iter().map(|&c| u32::from(c) * 70_000).collect();
    let (all_answers, all_offsets) = answers(max_n, &mut rng);
    let block = LEAVES * GRADES;
    let mut scores = vec![0.0; max_n];
    let mut grade_out = vec![0u32; max_n];

    // f64 memberships and u8 counts under a given scorer
    let memberships_form = |name, scorer: &'_ BatchScorer| -> (&str, Run<'_>, Read<'_>) {
        let scorer = scorer.clone();
        let m = &all_memberships;
        let extra = slowdown::fraction(&format!("scoring/{name}"));
        (
            name,
            Box::new(move |n, s: &mut [f64], g: &mut [u32]| {
                if slowdown::ON && extra > 0.0 {
                    // the gate's demonstration only: score a share of the merchants twice
                    let e = slowdown::extra(n, extra);
                    let out = BatchOutput::new(&mut s[..e], &mut g[..e]).expect("buffers");
                    black_box(
                        scorer
                            .score_memberships(&m[..e * block], out)
                            .expect("scored"),
                    );
                }
                let out = BatchOutput::new(s, g).expect("buffers");
                let x = &m[..n * block];
                black_box(scorer.score_memberships(x, out).expect("scored"));
            }),
            Box::new(move |n| read_f64(&m[..n * block])),
        )
    };
    let counts_form = |name, scorer: &'_ BatchScorer| -> (&str, Run<'_>, Read<'_>) {
        let scorer = scorer.clone();
        let c = &all_counts;
        (
            name,
            Box::new(move |n, s: &mut [f64], g: &mut [u32]| {
                let out = BatchOutput::new(s, g).expect("buffers");
                black_box(scorer.score_counts(&c[..n * block], out).expect("scored"));
            }),
            Box::new(move |n| read_u8(&c[..n * block]) as f64),
        )
    };
    let forms: Vec<(&str, Run<'_>, Read<'_>)> = vec![
        memberships_form("f64_weighted_average", &linear),
        memberships_form("f64_max_min", &maxmin),
        memberships_form("f64_product_max", &product_max),
        memberships_form("f64_bounded_sum", &bounded),
        counts_form("u8_counts_max_min", &maxmin),
        counts_form("u8_counts_weighted_average", &linear),
        words_form("u16_counts_weighted_average", &linear, &all_counts16, block),
        words_form("u32_counts_weighted_average", &linear, &all_counts32, block),
        (
            "answers_20_weighted_average",
            Box::new(|n, s: &mut [f64], g: &mut [u32]| {
                // the layout check is part of the call; the offsets are input, built above
                let a = SurveyAnswers::new(
                    &all_answers[..n * RESPONDENTS * LEAVES],
                    LEAVES,
                    &all_offsets[..=n],
                )
                .expect("layout");
                let out = BatchOutput::new(s, g).expect("buffers");
                black_box(linear.score_answers(&a, out).expect("scored"));
            }),
            Box::new(|n| read_u8(&all_answers[..n * RESPONDENTS * LEAVES]) as f64),
        ),
    ];
    for (name, run, read) in &forms {
        let mut g = config(c, name);
        for &n in sizes {
            g.throughput(Throughput::Elements(n as u64));
            g.bench_function(BenchmarkId::new("kernel", n), |b| {
                b.iter(|| run(n, &mut scores[..n], &mut grade_out[..n]))
            });
            g.bench_function(BenchmarkId::new("read", n), |b| {
                b.iter(|| black_box(read(n)))
            });
        }
        g.finish();
    }

    // every node's B written out
    let nodes_b = linear.n_nodes() * GRADES;
    let mut node_b = vec![0.0; max_n * nodes_b];
    let mut g = config(c, "f64_weighted_average_node_b");
    for &n in sizes {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("kernel", n), |b| {
            b.iter(|| {
                let out = BatchOutput::new(&mut scores[..n], &mut grade_out[..n])
                    .expect("buffers")
                    .with_node_b(&mut node_b[..n * nodes_b]);
                black_box(
                    linear
                        .score_memberships(&all_memberships[..n * block], out)
                        .expect("scored"),
                )
            })
        });
        g.bench_function(BenchmarkId::new("read", n), |b| {
            b.iter(|| black_box(read_f64(&all_memberships[..n * block])))
        });
        // the memory traffic alone: read the input and write the node-B output, no arithmetic
        g.bench_function(BenchmarkId::new("read_write", n), |b| {
            b.iter(|| {
                black_box(read_f64(&all_memberships[..n * block]));
                node_b[..n * nodes_b].fill(black_box(0.5));
                black_box(&node_b);
            })
        });
        #[cfg(target_arch = "x86_64")]
        g.bench_function(BenchmarkId::new("read_stream", n), |b| {
            b.iter(|| {
                black_box(read_f64(&all_memberships[..n * block]));
                stream_fill(&mut node_b[..n * nodes_b], black_box(0.5));
                black_box(&node_b);
            })
        });
    }
    g.finish();

    #[cfg(feature = "parallel")]
    {
        let par = linear.clone().parallel(true);
        let mut g = config(c, "f64_weighted_average_parallel");
        for &n in sizes {
            g.throughput(Throughput::Elements(n as u64));
            g.bench_function(BenchmarkId::new("kernel", n), |b| {
                b.iter(|| {
                    let out =
                        BatchOutput::new(&mut scores[..n], &mut grade_out[..n]).expect("buffers");
                    black_box(
                        par.score_memberships(&all_memberships[..n * block], out)
                            .expect("scored"),
                    )
                })
            });
            g.bench_function(BenchmarkId::new("read", n), |b| {
                b.iter(|| black_box(read_f64(&all_memberships[..n * block])))
            });
            // the same read split over two threads: what two cores can draw from memory
            g.bench_function(BenchmarkId::new("read_two_threads", n), |b| {
                b.iter(|| {
                    let (left, right) = all_memberships[..n * block].split_at(n / 2 * block);
                    let (x, y) = rayon::join(|| read_f64(left), || read_f64(right));
                    black_box(x + y)
                })
            });
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = gate_settings::criterion(Criterion::default());
    targets = scoring
}
criterion_main!(benches);
