//! A small open-addressing map from byte strings to `u32`, for the per-cell lookups of the
//! streaming survey reader (grade labels, merchant names): one multiply-based hash of at most
//! three word loads, one probe in the common case, no allocation per lookup.

/// Marks an empty slot.
const EMPTY: u32 = u32::MAX;

/// Byte strings to `u32` values; keys are stored once, in one arena.
#[derive(Debug, Clone, Default)]
pub(crate) struct ByteMap {
    /// Indices into `entries` (or [`EMPTY`]); the length is a power of two, at most half full.
    slots: Vec<u32>,
    /// `(hash, start, len, value)` of every key in insertion order.
    entries: Vec<(u64, usize, usize, u32)>,
    arena: Vec<u8>,
}

#[inline(always)]
fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = bytes.len().min(8);
    w[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(w)
}

/// A hash of `key`: its length and its first and last eight bytes, mixed with the middle
/// words for longer keys.
#[inline(always)]
fn hash(key: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let n = key.len();
    let mut h = (n as u64).wrapping_mul(K);
    if n <= 8 {
        h ^= word(key);
    } else {
        h ^= word(&key[..8]);
        h = (h.rotate_left(23) ^ word(&key[n - 8..])).wrapping_mul(K);
        let mut mid = if n > 16 { &key[8..n - 8] } else { &[][..] };
        while !mid.is_empty() {
            let take = mid.len().min(8);
            h = (h.rotate_left(23) ^ word(&mid[..take])).wrapping_mul(K);
            mid = &mid[take..];
        }
    }
    let h = h.wrapping_mul(K);
    h ^ (h >> 29)
}

impl ByteMap {
    pub(crate) fn new() -> Self {
        Self {
            slots: vec![EMPTY; 16],
            entries: Vec::new(),
            arena: Vec::new(),
        }
    }

    /// Number of keys.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    #[inline(always)]
    fn find(&self, key: &[u8], h: u64) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        loop {
            let e = self.slots[i];
            if e == EMPTY {
                return Err(i);
            }
            let (eh, start, len, value) = self.entries[e as usize];
            if eh == h && len == key.len() && &self.arena[start..start + len] == key {
                return Ok(value);
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `key`, if present.
    #[inline(always)]
    pub(crate) fn get(&self, key: &[u8]) -> Option<u32> {
        self.find(key, hash(key)).ok()
    }

    /// Inserts `key` with `value` unless present; returns the value now stored.
    pub(crate) fn insert(&mut self, key: &[u8], value: u32) -> u32 {
        let h = hash(key);
        match self.find(key, h) {
            Ok(v) => v,
            Err(slot) => {
                let index = self.entries.len() as u32;
                self.entries.push((h, self.arena.len(), key.len(), value));
                self.arena.extend_from_slice(key);
                self.slots[slot] = index;
                if self.entries.len() * 2 > self.slots.len() {
                    self.grow();
                }
                value
            }
        }
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        self.slots = vec![EMPTY; size];
        let mask = size - 1;
        for (index, &(h, ..)) in self.entries.iter().enumerate() {
            let mut i = (h as usize) & mask;
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = index as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_every_length_are_found_and_distinguished() {
        let mut map = ByteMap::new();
        let keys: Vec<Vec<u8>> = (0..3000u32)
            .map(|i| format!("k{}{}", i, "x".repeat((i % 40) as usize)).into_bytes())
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(map.insert(k, i as u32), i as u32);
        }
        assert_eq!(map.insert(&keys[5], 99), 5);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(map.get(k), Some(i as u32));
        }
        assert_eq!(map.get(b"absent"), None);
        assert_eq!(map.get(b""), None);
        assert_eq!(map.insert(b"", 7), 7);
        assert_eq!(map.get(b""), Some(7));
        assert_eq!(map.len(), 3001);
    }
}
