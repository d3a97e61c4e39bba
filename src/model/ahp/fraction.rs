//! Judgements in model files written as papers print them: a number (`3`, `0.5`) or a
//! fraction in a string (`"1/3"`, `"3"`).

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// A judgement value: a JSON number, or a string holding a number or a fraction `a/b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Judgement(pub(crate) f64);

/// The value of `"a/b"` or `"a"` (surrounding whitespace allowed), if both parts are finite
/// numbers and `b` is not zero.
pub(crate) fn parse_fraction(text: &str) -> Option<f64> {
    let t = text.trim();
    let value = match t.split_once('/') {
        Some((a, b)) => {
            let (a, b): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            if b == 0.0 || !a.is_finite() || !b.is_finite() {
                return None;
            }
            a / b
        }
        None => t.parse().ok()?,
    };
    value.is_finite().then_some(value)
}

impl<'de> Deserialize<'de> for Judgement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Judgement;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a fraction such as \"1/3\"")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Judgement, E> {
                Ok(Judgement(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Judgement, E> {
                Ok(Judgement(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Judgement, E> {
                Ok(Judgement(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Judgement, E> {
                parse_fraction(v).map(Judgement).ok_or_else(|| {
                    E::invalid_value(
                        de::Unexpected::Str(v),
                        &"a number or a fraction such as \"1/3\"",
                    )
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// `Vec<f64>` from numbers or fractions (for `#[serde(deserialize_with)]`).
pub(crate) fn values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    Ok(Vec::<Judgement>::deserialize(d)?
        .into_iter()
        .map(|j| j.0)
        .collect())
}

/// Rows of numbers or fractions.
pub(crate) fn rows<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<f64>>, D::Error> {
    Ok(Vec::<Vec<Judgement>>::deserialize(d)?
        .into_iter()
        .map(|r| r.into_iter().map(|j| j.0).collect())
        .collect())
}

/// `(a, b, value)` triples with the value a number or a fraction.
pub(crate) fn pairs<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<(String, String, f64)>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<(String, String, f64)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of [a, b, value] judgements")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((a, b, j)) = seq.next_element::<(String, String, Judgement)>()? {
                out.push((a, b, j.0));
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_and_numbers() {
        assert_eq!(parse_fraction("1/3"), Some(1.0 / 3.0));
        assert_eq!(parse_fraction(" 2 / 4 "), Some(0.5));
        assert_eq!(parse_fraction("5"), Some(5.0));
        assert_eq!(parse_fraction("1/0"), None);
        assert_eq!(parse_fraction("x/3"), None);
        assert_eq!(parse_fraction("inf"), None);
        assert_eq!(parse_fraction("1e308/1e-308"), None);
        let v: Vec<Judgement> = serde_json::from_str(r#"[3, "1/3", 0.5, "7"]"#).unwrap();
        assert_eq!(
            v,
            [
                Judgement(3.0),
                Judgement(1.0 / 3.0),
                Judgement(0.5),
                Judgement(7.0)
            ]
        );
        assert!(serde_json::from_str::<Judgement>(r#""1/0""#).is_err());
        assert!(serde_json::from_str::<Judgement>("true").is_err());
    }
}
