//! A hint to the processor to bring an element's cache line in before it is read: for tallies
//! that add to counts at random places (the Parquet reader's, and the DataFusion aggregate of
//! the workspace's `service-quality-datafusion` crate, which is why it is public, though
//! hidden from the documentation: it is not part of the crate's API).

/// Asks for the cache line of `slice[index]` (nothing when `index` is out of bounds or the
/// target has no prefetch instruction here). The tally of a file with many merchants reads its
/// counts in the order of the rows, one merchant's block after another at random: fetching the
/// block of a row some rows ahead hides the memory latency that would otherwise stall every
/// new respondent.
#[doc(hidden)]
#[inline(always)]
pub fn prefetch<T>(slice: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    if index < slice.len() {
        #[allow(unsafe_code)]
        // SAFETY: the pointer is to an element of `slice`; `_mm_prefetch` only hints the
        // cache, never faults and reads nothing into the program, and SSE, which provides it,
        // is part of the x86-64 baseline.
        unsafe {
            use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(slice.as_ptr().add(index).cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, index);
}
