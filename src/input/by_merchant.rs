//! Per-merchant records kept in order of first appearance, with lookup by name.

use std::collections::HashMap;

/// Records keyed by merchant name: insertion order for output, a hash index for lookup, so
/// tallying `n` rows over `k` merchants takes `O(n)` rather than `O(n k)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ByMerchant<T> {
    items: Vec<T>,
    index: HashMap<String, usize>,
}

impl<T> ByMerchant<T> {
    pub(crate) fn new() -> Self {
        Self {
            items: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// The record of `name`, created by `make` on first use.
    pub(crate) fn get_or_insert_with(&mut self, name: &str, make: impl FnOnce() -> T) -> &mut T {
        let pos = match self.index.get(name) {
            Some(&p) => p,
            None => {
                self.items.push(make());
                self.index.insert(name.to_owned(), self.items.len() - 1);
                self.items.len() - 1
            }
        };
        &mut self.items[pos]
    }

    pub(crate) fn get(&self, name: &str) -> Option<&T> {
        self.index.get(name).map(|&p| &self.items[p])
    }

    /// The records in order of first appearance.
    pub(crate) fn as_slice(&self) -> &[T] {
        &self.items
    }
}

#[cfg(feature = "serde")]
impl<T: serde::Serialize> serde::Serialize for ByMerchant<T> {
    /// Serialises as the list of records (the index is derived data).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_appearance_order() {
        let mut m: ByMerchant<Vec<u32>> = ByMerchant::new();
        m.get_or_insert_with("b", Vec::new).push(1);
        m.get_or_insert_with("a", Vec::new).push(2);
        m.get_or_insert_with("b", Vec::new).push(3);
        assert_eq!(m.as_slice(), &[vec![1, 3], vec![2]]);
        assert_eq!(m.get("a"), Some(&vec![2]));
        assert_eq!(m.get("c"), None);
    }
}
