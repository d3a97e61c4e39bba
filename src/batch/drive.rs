//! The one driver of every input form: buffers checked, merchants in runs of up to 64
//! through the chosen run kernel, the merchants it leaves through the per-merchant path,
//! failures collected in merchant order, optionally split across threads.

use crate::batch::output::{BatchOutput, BatchSummary, MerchantError};
use crate::batch::plan::Plan;
use crate::batch::scratch::{Scratch, STREAM_NODE_B_BYTES};
use crate::batch::simd::run_mask;
use crate::error::{ArgumentError, Error, Result};

/// Merchants per parallel work item.
#[cfg(feature = "parallel")]
const CHUNK: usize = 4096;

/// The outputs of a run of merchants: scores, grades and (when asked for) node `B`
/// (`n_nodes M` values per merchant).
pub(crate) type RunOut<'o> = (&'o mut [f64], &'o mut [u32], Option<&'o mut [f64]>);

/// One input form, as the driver sees it.
pub(crate) trait Merchants: Sync {
    /// Number of merchants.
    fn count(&self) -> usize;

    /// The run kernel for merchants `start..start + n` (`n` = the length of the outputs, at
    /// most 64): writes the outputs of the merchants it scores and returns the bit mask of the
    /// others. Without a run kernel: every merchant left.
    fn run(&self, start: usize, out: RunOut<'_>, scratch: &mut Scratch) -> u64 {
        let _ = (start, scratch);
        run_mask(out.0.len())
    }

    /// Merchant `i` by the per-merchant path: its score and grade, and every node's `B` in
    /// `scratch.node_b`; or the error the single path gives.
    fn one(&self, i: usize, scratch: &mut Scratch) -> Result<(f64, u32)>;
}

/// Scores every merchant of `src` into `out`: checks the buffers first (nothing written when
/// they do not fit), then runs of up to 64 merchants through [`Merchants::run`], and the
/// merchants it leaves through [`Merchants::one`] (so errors are collected in merchant order).
pub(crate) fn drive<S: Merchants>(
    plan: &Plan,
    parallel: bool,
    src: &S,
    out: BatchOutput<'_>,
) -> Result<BatchSummary> {
    let n = src.count();
    if out.scores.len() != n {
        return Err(Error::Argument(ArgumentError::LengthMismatch {
            what: "output buffers (one slot per merchant)",
            expected: n,
            found: out.scores.len(),
        }));
    }
    let nb = plan.n_nodes * plan.m;
    if let Some(b) = &out.node_b {
        if b.len() != n * nb {
            return Err(Error::Argument(ArgumentError::LengthMismatch {
                what: "node B buffer (merchants x nodes x grades)",
                expected: n * nb,
                found: b.len(),
            }));
        }
    }
    let BatchOutput {
        scores,
        grades,
        node_b,
    } = out;
    // the whole output decides (a thread's jobs are parts of it, written one after another)
    let stream_node_b = node_b
        .as_deref()
        .is_some_and(|b| size_of_val(b) >= STREAM_NODE_B_BYTES);
    let run =
        |start: usize, scores: &mut [f64], grades: &mut [u32], mut node_b: Option<&mut [f64]>| {
            let mut s = Scratch::new(plan);
            s.stream_node_b = stream_node_b;
            let mut failures = Vec::new();
            let len = scores.len().min(grades.len());
            // one call site of `one`, so that it is inlined
            let mut offset = 0;
            while offset < len {
                let end = len.min(offset + 64);
                let run_out = (
                    &mut scores[offset..end],
                    &mut grades[offset..end],
                    node_b.as_deref_mut().map(|b| &mut b[offset * nb..end * nb]),
                );
                let mut left = src.run(start + offset, run_out, &mut s);
                while left != 0 {
                    let at = offset + left.trailing_zeros() as usize;
                    left &= left - 1;
                    match src.one(start + at, &mut s) {
                        Ok((value, grade)) => {
                            scores[at] = value;
                            grades[at] = grade;
                            if let Some(b) = node_b.as_deref_mut() {
                                b[at * nb..(at + 1) * nb].copy_from_slice(&s.node_b);
                            }
                        }
                        Err(error) => failures.push(MerchantError {
                            merchant: start + at,
                            error,
                        }),
                    }
                }
                offset = end;
            }
            failures
        };
    #[cfg(feature = "parallel")]
    if parallel {
        return Ok(parallel_drive(n, nb, scores, grades, node_b, run));
    }
    let _ = parallel;
    let failures = run(0, scores, grades, node_b);
    Ok(BatchSummary {
        scored: n - failures.len(),
        failures,
    })
}

#[cfg(feature = "parallel")]
fn parallel_drive<R>(
    n: usize,
    nb: usize,
    mut scores: &mut [f64],
    mut grades: &mut [u32],
    mut node_b: Option<&mut [f64]>,
    run: R,
) -> BatchSummary
where
    R: Fn(usize, &mut [f64], &mut [u32], Option<&mut [f64]>) -> Vec<MerchantError> + Sync,
{
    use rayon::prelude::*;
    let mut jobs = Vec::with_capacity(n.div_ceil(CHUNK));
    let mut start = 0;
    while start < n {
        let len = CHUNK.min(n - start);
        let (s, s_rest) = std::mem::take(&mut scores).split_at_mut(len);
        let (g, g_rest) = std::mem::take(&mut grades).split_at_mut(len);
        let b = match node_b.take() {
            Some(b) => {
                let (head, tail) = b.split_at_mut(len * nb);
                node_b = Some(tail);
                Some(head)
            }
            None => None,
        };
        jobs.push((start, s, g, b));
        scores = s_rest;
        grades = g_rest;
        start += len;
    }
    let failures: Vec<MerchantError> = jobs
        .into_par_iter()
        .map(|(start, s, g, b)| run(start, s, g, b))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    BatchSummary {
        scored: n - failures.len(),
        failures,
    }
}
