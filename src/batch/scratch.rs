//! Reusable per-thread buffers of the batch kernels.

use crate::batch::plan::Plan;
use crate::batch::portable::MAX_PADDED;

/// Reusable per-thread buffers.
#[derive(Debug, Clone)]
pub(crate) struct Scratch {
    /// `n_nodes x m` normalised B.
    pub node_b: Vec<f64>,
    pub present: Vec<bool>,
    /// `leaves x m` counts (survey answers).
    pub counts: Vec<u32>,
    pub missing: Vec<usize>,
    pub weights: Vec<f64>,
    pub raw: Vec<f64>,
    /// Per-leaf scale factors `1 / row sum`.
    pub scale: Vec<f64>,
    /// Padded group `B` vectors of the fast tree walk
    /// ([`walk_padded`](crate::batch::portable::walk_padded)), [`MAX_PADDED`]
    /// values per group.
    pub slots: Vec<f64>,
    /// The lane-parallel walk's transposed leaf values and group `B`s: four merchants per
    /// value, `4 M (leaves + groups)`.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub lanes: Vec<f64>,
    /// The count lane kernels' transposed counts: four i32 per position, `4 k M`, at least
    /// 512 bytes per 16 positions.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub tally: Vec<i32>,
    /// A quad's node `B` (four blocks of `n_nodes M` values), staged to be streamed out when
    /// `stream_node_b` is set.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub stage: Vec<f64>,
    /// The batch's node-`B` output is too large to stay in cache ([`STREAM_NODE_B_BYTES`]):
    /// the lane walk writes it with non-temporal stores.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub stream_node_b: bool,
}

/// Node-`B` outputs (of a whole batch) from this size on are written past the cache
/// (non-temporal stores) by the lane walk: they would not stay in cache for the caller anyway,
/// and a normal store first reads the line it writes, which adds the output's size to the
/// memory traffic once more. Measured on the development machine (32 MiB of L3, the 12 leaves
/// x 5 grades of the benchmarks, 680 bytes of node `B` per merchant): 1e4 merchants (6.8 MB)
/// 36.9 M/s in place against 29.8 M/s streamed, 2e4 (13.6 MB) 28.0 against 30.2, 5e4 (34 MB)
/// 22.7 against 26.2, 1e6 22.4 against 28.1–29.3.
pub(crate) const STREAM_NODE_B_BYTES: usize = 8 << 20;

impl Scratch {
    pub fn new(plan: &Plan) -> Self {
        let k = plan.leaf_node.len();
        Self {
            node_b: vec![0.0; plan.n_nodes * plan.m],
            present: vec![false; plan.n_nodes],
            counts: vec![0; k * plan.m],
            missing: vec![0; k],
            weights: Vec::with_capacity(plan.n_nodes),
            raw: vec![0.0; plan.m],
            scale: vec![0.0; k],
            slots: vec![0.0; plan.groups.len() * MAX_PADDED],
            // (the lane buffers with 64 bytes to spare, see `from_line`)
            lanes: vec![0.0; 4 * plan.m * (k + plan.groups.len()) + 8],
            // four i32 per position (AVX2) or eight counts per position in whole windows of
            // 512 bytes (AVX-512: 64 `u8`, 32 `u16` or 16 `u32` positions)
            tally: vec![0; (4 * k * plan.m).max(128 * (k * plan.m).div_ceil(16)) + 16],
            stage: vec![0.0; 4 * plan.n_nodes * plan.m + 8],
            stream_node_b: false,
        }
    }
}

/// `buf` from its first cache-line (64-byte) boundary on (empty if it has none); the lane
/// buffers of [`Scratch`] carry 64 bytes to spare for it. The lane kernels' 32- and 64-byte
/// stores into their scratch then never straddle two cache lines: measured on the `u8` count
/// kernels with their data in cache, 112 against 138 M merchants/s (AVX2) and 150 against
/// 185 M/s (AVX-512) when the buffer started mid-line.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) fn from_line<T>(buf: &mut [T]) -> &mut [T] {
    let skip = buf.as_ptr().align_offset(64).min(buf.len());
    &mut buf[skip..]
}
