//! A small open-addressing map from byte strings to `u32`, for the per-cell lookups of the
//! streaming survey reader (grade labels, merchant names): one multiply-based hash of at most
//! three word loads, keys of up to 16 bytes compared inside the slot (one memory access per
//! lookup in the common case), no allocation per lookup.

/// The `len` of an empty slot.
const EMPTY: u32 = u32::MAX;

/// Byte strings to `u32` values; keys longer than 16 bytes are also stored in an arena.
#[derive(Debug, Clone)]
pub(crate) struct ByteMap {
    /// The length is a power of two, at most half full.
    slots: Vec<Slot>,
    keys: usize,
    arena: Vec<u8>,
}

impl Default for ByteMap {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The key's [`words`]: for keys of at most 16 bytes they are the key.
    words: (u64, u64),
    /// Where a key of more than 16 bytes starts in the arena.
    start: u64,
    /// The key's length, or [`EMPTY`].
    len: u32,
    value: u32,
}

const EMPTY_SLOT: Slot = Slot {
    words: (0, 0),
    start: 0,
    len: EMPTY,
    value: 0,
};

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

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// The hash of a key of at most 16 bytes: one multiply of its length and [`words`].
#[inline(always)]
fn hash_short(n: usize, (w0, w1): (u64, u64)) -> u64 {
    let h = (w0 ^ w1.rotate_left(29) ^ (n as u64).rotate_left(58)).wrapping_mul(K);
    h ^ (h >> 32)
}

/// A hash of `key` from its length, its [`words`] and, beyond 16 bytes, its middle.
#[inline(always)]
fn hash(key: &[u8], (w0, w1): (u64, u64)) -> u64 {
    let n = key.len();
    if n <= 16 {
        return hash_short(n, (w0, w1));
    }
    let mut h = ((n as u64).wrapping_mul(K) ^ w0).rotate_left(23) ^ w1;
    {
        for chunk in key[8..n - 8].chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            h = (h.wrapping_mul(K)).rotate_left(23) ^ u64::from_le_bytes(w);
        }
    }
    let h = h.wrapping_mul(K);
    h ^ (h >> 29)
}

/// The most slots [`ByteMap::settle`] grows to (512 KiB).
const SETTLED_SLOTS: usize = 1 << 14;

impl ByteMap {
    pub(crate) fn new() -> Self {
        Self {
            slots: vec![EMPTY_SLOT; 16],
            keys: 0,
            arena: Vec::new(),
        }
    }

    /// Grows the slot table (up to [`SETTLED_SLOTS`] slots) until every key sits in the slot
    /// its hash points at, so that a lookup of any key takes the same path: for small fixed
    /// key sets looked up in random order (the answer labels of a survey), where a collision
    /// costs a mispredicted branch on every other cell.
    pub(crate) fn settle(&mut self) {
        while self.slots.len() < SETTLED_SLOTS && !self.all_home() {
            self.grow();
        }
    }

    fn all_home(&self) -> bool {
        let mask = self.slots.len() - 1;
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, slot)| slot.len != EMPTY)
            .all(|(i, slot)| (self.slot_hash(slot) as usize) & mask == i)
    }

    /// The hash of the key held in `slot`.
    fn slot_hash(&self, slot: &Slot) -> u64 {
        let len = slot.len as usize;
        if len <= 16 {
            hash_short(len, slot.words)
        } else {
            let start = slot.start as usize;
            hash(&self.arena[start..start + len], slot.words)
        }
    }

    /// Number of keys.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.keys
    }

    /// The value of `key` (`Ok`), or the empty slot where it would go (`Err`).
    #[inline(always)]
    fn find(&self, key: &[u8], h: u64, w: (u64, u64)) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        loop {
            let slot = &self.slots[i];
            if slot.len == EMPTY {
                return Err(i);
            }
            if slot.words == w
                && slot.len as usize == key.len()
                && (key.len() <= 16 || {
                    let start = slot.start as usize;
                    self.arena[start..start + key.len()] == *key
                })
            {
                return Ok(slot.value);
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
            Err(i) => {
                let start = self.arena.len() as u64;
                if key.len() > 16 {
                    self.arena.extend_from_slice(key);
                }
                self.slots[i] = Slot {
                    words: w,
                    start,
                    // keys come from records of at most a few MiB
                    len: u32::try_from(key.len()).unwrap_or(EMPTY - 1),
                    value,
                };
                self.keys += 1;
                if self.keys * 2 > self.slots.len() {
                    self.grow();
                }
                value
            }
        }
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![EMPTY_SLOT; size]);
        let mask = size - 1;
        for slot in old.into_iter().filter(|slot| slot.len != EMPTY) {
            let mut i = (self.slot_hash(&slot) as usize) & mask;
            while self.slots[i].len != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
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

    #[test]
    fn a_settled_map_holds_every_key_in_its_home_slot() {
        let mut map = ByteMap::new();
        let labels = [
            "很满意",
            "非常满意",
            "十分满意",
            "满意",
            "一般",
            "中立",
            "不满意",
            "很不满意",
            "非常不满意",
            "(跳过)",
            "(空)",
            "-",
            "n/a",
            "very satisfied",
            "satisfied",
            "neutral",
            "dissatisfied",
            "very dissatisfied",
            "1",
            "2",
            "3",
            "4",
            "5",
        ];
        for (i, k) in labels.iter().enumerate() {
            map.insert(k.as_bytes(), i as u32);
        }
        map.settle();
        assert!(map.all_home(), "{} slots", map.slots.len());
        for (i, k) in labels.iter().enumerate() {
            assert_eq!(map.get(k.as_bytes()), Some(i as u32));
        }
        assert_eq!(map.get("满意 ".as_bytes()), None);
        // inserting after settling keeps every key reachable
        map.insert(b"later", 99);
        assert_eq!(map.get(b"later"), Some(99));
        assert_eq!(map.get("很满意".as_bytes()), Some(0));
    }
}
