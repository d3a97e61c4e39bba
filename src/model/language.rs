//! The language labels are shown in.

/// The language of labels in printed reports and grade names: English, or Chinese where a
/// Chinese label exists (falling back to English where it does not).
///
/// In serialised form: `"en"` or `"zh"`.
///
/// # Examples
///
/// ```
/// use service_quality::{Grade, Language};
///
/// let grade = Grade::new("very satisfied", 95.0).with_label_zh("很满意");
/// assert_eq!(grade.display_label(Language::Zh), "很满意");
/// assert_eq!(grade.display_label(Language::En), "very satisfied");
/// assert_eq!(Grade::new("fair", 75.0).display_label(Language::Zh), "fair");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Language {
    /// Chinese (中文) labels where present.
    Zh,
    /// English labels (the default).
    #[default]
    En,
}

impl Language {
    /// Picks the label in this language: `zh` for [`Language::Zh`] when present, else `en`.
    pub(crate) fn pick<'a>(self, en: &'a str, zh: Option<&'a str>) -> &'a str {
        match (self, zh) {
            (Language::Zh, Some(zh)) => zh,
            _ => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english() {
        assert_eq!(Language::Zh.pick("good", Some("好")), "好");
        assert_eq!(Language::Zh.pick("good", None), "good");
        assert_eq!(Language::En.pick("good", Some("好")), "good");
        assert_eq!(Language::default(), Language::En);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serialises_lowercase() {
        assert_eq!(serde_json::to_string(&Language::Zh).unwrap(), "\"zh\"");
        let en: Language = serde_json::from_str("\"en\"").unwrap();
        assert_eq!(en, Language::En);
    }
}
