//! Binding a file's header to the indicator tree through a layout.

use crate::error::{IntakeError, Result};
use crate::hierarchy::IndicatorTree;
use crate::input::csv::reader::unique_columns;
use crate::input::layout::SurveyLayout;

/// A header bound to a tree: which column is the merchant, which columns answer which leaf.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bound {
    /// The header's names (trimmed).
    pub(crate) names: Vec<String>,
    pub(crate) merchant: usize,
    /// `(column, leaf)`: leaf = position in the tree's preorder leaves, in column order.
    pub(crate) questions: Vec<(usize, usize)>,
    /// Ids of the tree's leaves in preorder.
    pub(crate) leaf_ids: Vec<String>,
}

/// `*` matches any run of characters, `?` one character; anything else itself.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The question number and the text after it of a header such as `2、您对…`, `Q2. …`,
/// `2.…` or `(2) …`.
pub(crate) fn question_number(header: &str) -> Option<(u32, &str)> {
    let h = header.trim_start();
    let h = h.strip_prefix(['Q', 'q']).unwrap_or(h);
    let h = h.strip_prefix(['(', '（']).unwrap_or(h);
    let digits = h.len() - h.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 6 {
        return None;
    }
    let n: u32 = h[..digits].parse().ok()?;
    let rest = &h[digits..];
    let sep = rest.chars().next()?;
    if !matches!(sep, '、' | '.' | '．' | ':' | '：' | ')' | '）' | ' ' | '_') {
        return None;
    }
    Some((n, rest[sep.len_utf8()..].trim()))
}

fn norm(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Edit distance between two strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The (at most three) leaves whose id or labels are closest to `text`, as
/// `id (label / label_zh)`.
fn closest(tree: &IndicatorTree, text: &str) -> Vec<String> {
    let t = norm(text);
    let mut scored: Vec<(f64, String)> = tree
        .leaves()
        .map(|leaf| {
            let score = [Some(leaf.id()), Some(leaf.label()), leaf.label_zh()]
                .into_iter()
                .flatten()
                .map(|name| {
                    let n = norm(name);
                    let longest = t.chars().count().max(n.chars().count()).max(1);
                    distance(&t, &n) as f64 / longest as f64
                })
                .fold(f64::INFINITY, f64::min);
            let shown = match leaf.label_zh() {
                Some(zh) => format!("{} ({} / {zh})", leaf.id(), leaf.label()),
                None => format!("{} ({})", leaf.id(), leaf.label()),
            };
            (score, shown)
        })
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored.into_iter().take(3).map(|(_, s)| s).collect()
}

impl SurveyLayout {
    /// Binds a header (the names as read, untrimmed) to `tree`.
    pub(crate) fn bind(&self, tree: &IndicatorTree, header: &[String]) -> Result<Bound> {
        let names: Vec<String> = header
            .iter()
            .map(|n| n.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        unique_columns(&names)?;
        let find = |role: &'static str, column: &str| -> Result<usize> {
            names
                .iter()
                .position(|n| n == column.trim())
                .ok_or_else(|| {
                    IntakeError::MissingColumn {
                        role,
                        column: column.to_owned(),
                        header: names.clone(),
                    }
                    .into()
                })
        };
        let merchant = find("merchant", self.merchant_column())?;
        let mut roles = vec![merchant];
        if let Some(r) = self.respondent_column() {
            roles.push(find("respondent", r)?);
        }
        if let Some(p) = self.period_column() {
            roles.push(find("period", p)?);
        }
        let leaves: Vec<_> = tree.leaves().collect();
        let leaf_index = |id: &str| leaves.iter().position(|l| l.id() == id);
        let mut questions: Vec<(usize, usize)> = Vec::new();
        for (col, name) in names.iter().enumerate() {
            if roles.contains(&col) || self.ignored().iter().any(|p| glob(p.trim(), name)) {
                continue;
            }
            let number = question_number(name);
            let mapped = self
                .questions()
                .iter()
                .find(|(key, _)| {
                    key.trim() == name
                        || number.is_some_and(|(n, _)| key.trim().parse::<u32>() == Ok(n))
                })
                .map(|(key, id)| {
                    leaf_index(id).ok_or_else(|| IntakeError::UnknownIndicator {
                        key: key.clone(),
                        indicator: id.clone(),
                    })
                })
                .transpose()?;
            let text = number.map_or(name.as_str(), |(_, rest)| rest);
            let by_name = || {
                [name.as_str(), text].into_iter().find_map(|t| {
                    let n = norm(t);
                    leaves.iter().position(|l| {
                        l.id() == t
                            || norm(l.label()) == n
                            || l.label_zh().is_some_and(|zh| norm(zh) == n)
                    })
                })
            };
            let Some(leaf) = mapped.or_else(by_name) else {
                return Err(IntakeError::UnmappedColumn {
                    col: col + 1,
                    column: name.clone(),
                    closest: closest(tree, text),
                }
                .into());
            };
            if let Some(&(first, _)) = questions.iter().find(|&&(_, l)| l == leaf) {
                return Err(IntakeError::ColumnsShareIndicator {
                    indicator: leaves[leaf].id().to_owned(),
                    first: first + 1,
                    second: col + 1,
                }
                .into());
            }
            questions.push((col, leaf));
        }
        if questions.is_empty() {
            return Err(IntakeError::NoQuestions.into());
        }
        Ok(Bound {
            names,
            merchant,
            questions,
            leaf_ids: leaves.iter().map(|l| l.id().to_owned()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_question_numbers() {
        assert!(glob("来源*", "来源详情"));
        assert!(glob("*IP", "来自IP"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*", ""));
        assert_eq!(question_number("2、您对速度"), Some((2, "您对速度")));
        assert_eq!(question_number("Q12. speed"), Some((12, "speed")));
        assert_eq!(question_number("（3）态度"), Some((3, "态度")));
        assert_eq!(question_number("2024年"), None);
        assert_eq!(question_number("speed"), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
