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
    /// Every key in insertion order.
    entries: Vec<Entry>,
    arena: Vec<u8>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    hash: u64,
    /// The key's [`words`]: for keys of at most 16 bytes they are the key.
    words: (u64, u64),
    start: usize,
    len: usize,
    value: u32,
}

#[inline(always)]
fn load8(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[..8]);
    u64::from_le_bytes(w)
}

#[inline(always)]
fn load4(b: &[u8]) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[..4]);
    u64::from(u32::from_le_bytes(w))
}

/// Two words that, with the length, identify a key of at most 16 bytes: its first and last
/// eight bytes (four for keys of 4 to 7 bytes; the bytes themselves below that).
#[inline(always)]
fn words(key: &[u8]) -> (u64, u64) {
    let n = key.len();
    if n >= 8 {
        (load8(key), load8(&key[n - 8..]))
    } else if n >= 4 {
        (load4(key), load4(&key[n - 4..]))
    } else {
        let mut w = 0u64;
        for (i, &b) in key.iter().enumerate() {
            w |= u64::from(b) << (8 * i);
        }
        (w, 0)
    }
}

/// A hash of `key` from its length, its [`words`] and, beyond 16 bytes, its middle.
#[inline(always)]
fn hash(key: &[u8], (w0, w1): (u64, u64)) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let n = key.len();
    let mut h = ((n as u64).wrapping_mul(K) ^ w0).rotate_left(23) ^ w1;
    if n > 16 {
        for chunk in key[8..n - 8].chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            h = (h.wrapping_mul(K)).rotate_left(23) ^ u64::from_le_bytes(w);
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
    fn find(&self, key: &[u8], h: u64, w: (u64, u64)) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        loop {
            let e = self.slots[i];
            if e == EMPTY {
                return Err(i);
            }
            let entry = &self.entries[e as usize];
            if entry.hash == h
                && entry.len == key.len()
                && entry.words == w
                && (key.len() <= 16 || self.arena[entry.start..entry.start + entry.len] == *key)
            {
                return Ok(entry.value);
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `key`, if present.
    #[inline(always)]
    pub(crate) fn get(&self, key: &[u8]) -> Option<u32> {
        let w = words(key);
        self.find(key, hash(key, w), w).ok()
    }

    /// Inserts `key` with `value` unless present; returns the value now stored.
    pub(crate) fn insert(&mut self, key: &[u8], value: u32) -> u32 {
        let w = words(key);
        let h = hash(key, w);
        match self.find(key, h, w) {
            Ok(v) => v,
            Err(slot) => {
                let index = self.entries.len() as u32;
                self.entries.push(Entry {
                    hash: h,
                    words: w,
                    start: self.arena.len(),
                    len: key.len(),
                    value,
                });
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
        for (index, entry) in self.entries.iter().enumerate() {
            let mut i = (entry.hash as usize) & mask;
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
        // keys that share their first and last eight bytes differ in the middle
        let (a, b) = (
            b"0123456789abcdefXY0123456789abcdef",
            b"0123456789abcdefXZ0123456789abcdef",
        );
        map.insert(a, 1);
        assert_eq!(map.get(b), None);
        map.insert(b, 2);
        assert_eq!((map.get(a), map.get(b)), (Some(1), Some(2)));
        for n in 1..20 {
            assert_eq!(map.get(&vec![7u8; n]), None);
        }
        assert_eq!(map.get(b""), None);
        assert_eq!(map.insert(b"", 7), 7);
        assert_eq!(map.get(b""), Some(7));
        assert_eq!(map.len(), 3003);
    }
}
