//! Which kernel scores runs of merchants: decided once, in `BatchScorer::new`, from the CPU's
//! features and the plan's shape.
//!
//! The CPU is asked once ([`Features::detect`]); what it has is carried by the tokens
//! [`Avx2`] and [`Avx512`], which only [`Features::detect`] makes (their field is private to
//! this module). A kernel variant of [`Run`] that runs vector code holds the token it needs,
//! so the vector entry points take the choice and need not ask the CPU again: holding the
//! token is the proof that the instructions exist.

/// Proof that the CPU has AVX2 and FMA (made only by [`Features::detect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Avx2(());

/// Proof that the CPU has AVX-512 F, BW, VL and VBMI, and AVX2 and FMA (made only by
/// [`Features::detect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Avx512(());

/// The instruction sets the batch kernels can use on this CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Features {
    pub avx2: Option<Avx2>,
    pub avx512: Option<Avx512>,
}

impl Features {
    /// Asks the CPU (`is_x86_feature_detected!`, a cached flag). No features off x86-64.
    pub fn detect() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            let avx2 = has!("avx2") && has!("fma");
            let avx512 = avx2
                && has!("avx512f")
                && has!("avx512bw")
                && has!("avx512vl")
                && has!("avx512vbmi");
            Self {
                avx2: avx2.then_some(Avx2(())),
                avx512: avx512.then_some(Avx512(())),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        Self {
            avx2: None,
            avx512: None,
        }
    }
}

/// What of the plan decides the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    /// Grades.
    pub m: usize,
    /// Leaves.
    pub k: usize,
    /// Every level composes with `M(·,+)`.
    pub linear: bool,
    /// The flattened plan passed [`Plan::flat_ok`](crate::batch::plan::Plan::flat_ok) (the
    /// lane walks rely on it).
    pub flat_ok: bool,
}

/// The kernel for runs of up to 64 merchants; what it leaves goes through the per-merchant
/// path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Run {
    /// No run kernel: every merchant by the per-merchant path.
    None,
    /// f64 memberships, `M(·,+)`, scores only: four values per instruction with AVX2
    /// (`simd::avx2::linear`), two without (`portable::linear_f64_normalised`).
    Linear(Option<Avx2>),
    /// f64 memberships, any operators: the lane walk for whole quads of merchants with AVX2
    /// (with node `B` too), the portable padded walk for the rest without node `B`.
    Walk(Option<Avx2>),
    /// Counts, `M(·,+)`, scores only: eight merchants per register (`u8`, `u16`, `u32`).
    CountOctets(Avx512),
    /// Counts, `M(·,+)`, scores only: four merchants per register (`u8`, `u16`).
    CountQuads(Avx2),
    /// Counts, any operators or node `B`: the lane walk (`u8`, `u16`).
    CountWalk(Avx2),
    /// Raw answers of at most 16 indicators, `M(·,+)`, scores only: the AVX2 tally.
    Tally(Avx2),
}

/// The run kernel of every input form and output, for one plan on one CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KernelChoice {
    /// f64 memberships: `[scores only, with node B]`.
    memberships: [Run; 2],
    /// Counts of 1, 2 and 4 bytes: `[scores only, with node B]` each.
    counts: [[Run; 2]; 3],
    /// Raw answers: `[scores only, with node B]`.
    answers: [Run; 2],
}

/// Grades up to which the kernels are specialised (and the vector kernels unrolled).
pub(crate) const MAX_SPECIALISED: usize = 9;

impl KernelChoice {
    /// The choice for a plan of this shape on a CPU with these features.
    pub fn new(cpu: Features, shape: Shape) -> Self {
        if !(2..=MAX_SPECIALISED).contains(&shape.m) {
            // the general path: no run kernels
            return Self {
                memberships: [Run::None; 2],
                counts: [[Run::None; 2]; 3],
                answers: [Run::None; 2],
            };
        }
        let lane_walk = cpu.avx2.filter(|_| shape.flat_ok);
        let memberships = [
            if shape.linear {
                Run::Linear(cpu.avx2)
            } else {
                Run::Walk(lane_walk)
            },
            lane_walk.map_or(Run::None, |t| Run::Walk(Some(t))),
        ];
        let counts = [1, 2, 4].map(|bytes| {
            // the AVX2 count kernels take u8 or u16 counts, blocks of at least 16 bytes
            let quads = cpu
                .avx2
                .filter(|_| bytes <= 2 && shape.k * shape.m * bytes >= 16);
            let walk = quads
                .filter(|_| shape.flat_ok)
                .map_or(Run::None, Run::CountWalk);
            let linear = match (cpu.avx512, quads) {
                (Some(t), _) => Run::CountOctets(t),
                (None, Some(t)) => Run::CountQuads(t),
                (None, None) => Run::None,
            };
            [if shape.linear { linear } else { walk }, walk]
        });
        let tally = cpu
            .avx2
            .filter(|_| shape.linear && (1..=16).contains(&shape.k))
            .map_or(Run::None, Run::Tally);
        Self {
            memberships,
            counts,
            answers: [tally, Run::None],
        }
    }

    /// The kernel for f64 memberships.
    pub fn memberships(&self, node_b: bool) -> Run {
        self.memberships[usize::from(node_b)]
    }

    /// The kernel for counts of `bytes` bytes (1, 2 or 4).
    pub fn counts(&self, bytes: usize, node_b: bool) -> Run {
        let width = match bytes {
            1 => 0,
            2 => 1,
            _ => 2,
        };
        self.counts[width][usize::from(node_b)]
    }

    /// The kernel for raw survey answers.
    pub fn answers(&self, node_b: bool) -> Run {
        self.answers[usize::from(node_b)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Features = Features {
        avx2: None,
        avx512: None,
    };
    const AVX2: Features = Features {
        avx2: Some(Avx2(())),
        avx512: None,
    };
    const AVX512: Features = Features {
        avx2: Some(Avx2(())),
        avx512: Some(Avx512(())),
    };
    const T2: Avx2 = Avx2(());
    const T5: Avx512 = Avx512(());

    fn shape(m: usize, k: usize, linear: bool) -> Shape {
        Shape {
            m,
            k,
            linear,
            flat_ok: true,
        }
    }

    /// The table: CPU x plan shape -> the kernel of each input form and output. The choice is
    /// only compared here, never run (the tokens made here prove nothing about this CPU).
    #[test]
    fn choice_table() {
        use Run::*;
        // (cpu, shape, memberships [scores, node B], u8, u16, u32 counts, answers)
        type Row = (Features, Shape, [Run; 2], [[Run; 2]; 3], [Run; 2]);
        let table: Vec<Row> = vec![
            // no vector unit: the portable run kernels for f64 only
            (
                NONE,
                shape(5, 13, true),
                [Linear(Option::None), None],
                [[None; 2]; 3],
                [None; 2],
            ),
            (
                NONE,
                shape(5, 13, false),
                [Walk(Option::None), None],
                [[None; 2]; 3],
                [None; 2],
            ),
            // AVX2, linear: u32 counts have no AVX2 kernel
            (
                AVX2,
                shape(5, 13, true),
                [Linear(Some(T2)), Walk(Some(T2))],
                [
                    [CountQuads(T2), CountWalk(T2)],
                    [CountQuads(T2), CountWalk(T2)],
                    [None, None],
                ],
                [Tally(T2), None],
            ),
            // AVX2, other operators
            (
                AVX2,
                shape(5, 13, false),
                [Walk(Some(T2)), Walk(Some(T2))],
                [
                    [CountWalk(T2), CountWalk(T2)],
                    [CountWalk(T2), CountWalk(T2)],
                    [None, None],
                ],
                [None, None],
            ),
            // AVX-512: eight merchants per register for every count width
            (
                AVX512,
                shape(5, 13, true),
                [Linear(Some(T2)), Walk(Some(T2))],
                [
                    [CountOctets(T5), CountWalk(T2)],
                    [CountOctets(T5), CountWalk(T2)],
                    [CountOctets(T5), None],
                ],
                [Tally(T2), None],
            ),
            // blocks under 16 bytes: no AVX2 count kernel; more than 16 leaves: no tally
            (
                AVX2,
                shape(2, 7, true),
                [Linear(Some(T2)), Walk(Some(T2))],
                [[None, None], [CountQuads(T2), CountWalk(T2)], [None, None]],
                [Tally(T2), None],
            ),
            (
                AVX512,
                shape(2, 17, true),
                [Linear(Some(T2)), Walk(Some(T2))],
                [
                    [CountOctets(T5), CountWalk(T2)],
                    [CountOctets(T5), CountWalk(T2)],
                    [CountOctets(T5), None],
                ],
                [None, None],
            ),
            // more than 9 grades: the general path
            (
                AVX512,
                shape(10, 13, true),
                [None; 2],
                [[None; 2]; 3],
                [None; 2],
            ),
        ];
        for (i, (cpu, shape, memberships, counts, answers)) in table.into_iter().enumerate() {
            let choice = KernelChoice::new(cpu, shape);
            assert_eq!(
                [choice.memberships(false), choice.memberships(true)],
                memberships,
                "row {i}"
            );
            for (bytes, want) in [1, 2, 4].into_iter().zip(counts) {
                let got = [choice.counts(bytes, false), choice.counts(bytes, true)];
                assert_eq!(got, want, "row {i}, {bytes}-byte counts");
            }
            assert_eq!(
                [choice.answers(false), choice.answers(true)],
                answers,
                "row {i}"
            );
        }
        // a plan the lane walks cannot take (no group): no lane walk anywhere
        let leaf_only = Shape {
            flat_ok: false,
            ..shape(5, 13, false)
        };
        let choice = KernelChoice::new(AVX512, leaf_only);
        assert_eq!(choice.memberships(false), Walk(Option::None));
        assert_eq!(choice.memberships(true), None);
        assert_eq!(choice.counts(1, false), None);
    }

    #[test]
    fn detection_is_consistent() {
        let cpu = Features::detect();
        // AVX-512 as used here implies AVX2 and FMA
        assert!(cpu.avx512.is_none() || cpu.avx2.is_some());
    }
}
