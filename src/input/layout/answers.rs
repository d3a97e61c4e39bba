//! How the cells of question columns become grades: labels with aliases, numeric codes with
//! a declared direction, and "no answer" tokens.

use crate::error::{IntakeError, LayoutProblem, Result};
use crate::model::grades::GradeSet;

/// What a question cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The 0-based grade index.
    Grade(usize),
    /// No answer (an empty cell or a "no answer" token).
    Missing,
}

/// Why a question cell is not an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellProblem {
    /// Neither a label, an alias, a code nor a token.
    Unknown,
    /// A number, but no code scale is declared.
    UndeclaredNumber,
}

/// A numeric code scale: the code of the best grade and of the worst, one code per grade in
/// between (`best = 5, worst = 1`: 5 is the first grade of the set, 1 the last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeScale {
    best: i64,
    worst: i64,
}

impl CodeScale {
    /// The code of the best (first) grade.
    pub fn best(&self) -> i64 {
        self.best
    }

    /// The code of the worst (last) grade.
    pub fn worst(&self) -> i64 {
        self.worst
    }

    /// The grade index of `code`, if it is on the scale.
    pub(crate) fn index_of(&self, code: i64) -> Option<usize> {
        let (lo, hi) = (self.best.min(self.worst), self.best.max(self.worst));
        if !(lo..=hi).contains(&code) {
            return None;
        }
        Some(self.best.abs_diff(code) as usize)
    }

    /// Every code with its grade index, best first.
    pub(crate) fn codes(&self) -> impl Iterator<Item = (i64, usize)> {
        let step = if self.worst >= self.best { 1 } else { -1 };
        let n = self.best.abs_diff(self.worst) as usize + 1;
        let best = self.best;
        (0..n).map(move |j| (best + step * j as i64, j))
    }
}

/// The "no answer" tokens every layout knows (besides the empty cell): Wenjuanxing's
/// `(跳过)` (skipped by the question logic) and `(空)` (left empty), in ASCII and full-width
/// parentheses, `-`, `N/A`, `NA`, `(skipped)`.
pub const DEFAULT_NO_ANSWER: [&str; 8] = [
    "(跳过)",
    "（跳过）",
    "(空)",
    "（空）",
    "-",
    "N/A",
    "NA",
    "(skipped)",
];

/// Aliases of the five grades of [`GradeSet::satisfaction_5`] (besides their labels 很满意 /
/// very satisfied, ...), best first.
pub const SATISFACTION_ALIASES: [&[&str]; 5] = [
    &[
        "非常满意",
        "十分满意",
        "极其满意",
        "extremely satisfied",
        "completely satisfied",
    ],
    &["比较满意", "较满意", "fairly satisfied", "mostly satisfied"],
    &[
        "中立",
        "中等",
        "一般般",
        "普通",
        "neither satisfied nor dissatisfied",
        "average",
        "ok",
    ],
    &[
        "比较不满意",
        "不太满意",
        "较不满意",
        "unsatisfied",
        "fairly dissatisfied",
    ],
    &[
        "非常不满意",
        "十分不满意",
        "极不满意",
        "very unsatisfied",
        "extremely dissatisfied",
        "completely dissatisfied",
    ],
];

/// The comparison key of a label, alias or cell: trimmed and lower-cased.
pub(crate) fn key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Grades with their aliases, the "no answer" tokens and the optional code scale.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AnswerScale {
    grades: GradeSet,
    aliases: Vec<Vec<String>>,
    no_answer: Vec<String>,
    codes: Option<CodeScale>,
    /// Every key (labels, aliases, tokens; trimmed, lower-case) with what it means.
    keys: Vec<(String, Answer)>,
}

impl AnswerScale {
    /// The built-in satisfaction grades with their aliases and the default tokens.
    pub(crate) fn satisfaction() -> Self {
        let aliases = SATISFACTION_ALIASES
            .iter()
            .map(|a| a.iter().map(|s| (*s).to_owned()).collect())
            .collect();
        let no_answer = DEFAULT_NO_ANSWER.iter().map(|s| (*s).to_owned()).collect();
        let mut scale = Self {
            grades: GradeSet::satisfaction_5(),
            aliases,
            no_answer,
            codes: None,
            keys: Vec::new(),
        };
        // the built-in keys are distinct (tested)
        let built = scale.rebuild();
        debug_assert!(built.is_ok());
        scale
    }

    /// Checks and indexes every key.
    fn rebuild(&mut self) -> Result<()> {
        let mut keys: Vec<(String, Answer)> = Vec::new();
        let mut add = |text: &str, answer: Answer| -> Result<()> {
            let k = key(text);
            if k.is_empty() {
                return Err(IntakeError::layout(LayoutProblem::EmptyName {
                    setting: "grade labels, aliases and no-answer tokens",
                })
                .into());
            }
            match keys.iter().find(|(existing, _)| *existing == k) {
                Some((_, a)) if *a == answer => Ok(()),
                Some(_) => {
                    Err(IntakeError::layout(LayoutProblem::DuplicateLabel { label: k }).into())
                }
                None => {
                    keys.push((k, answer));
                    Ok(())
                }
            }
        };
        for (j, g) in self.grades.grades().iter().enumerate() {
            add(g.label(), Answer::Grade(j))?;
            if let Some(zh) = g.label_zh() {
                add(zh, Answer::Grade(j))?;
            }
            for alias in self.aliases.get(j).into_iter().flatten() {
                add(alias, Answer::Grade(j))?;
            }
        }
        for token in &self.no_answer {
            add(token, Answer::Missing)?;
        }
        if let Some(codes) = self.codes {
            check_codes(codes, self.grades.len())?;
        }
        self.keys = keys;
        Ok(())
    }

    /// Replaces the grades (and their aliases: one list per grade, or none).
    pub(crate) fn set_grades(&mut self, grades: GradeSet, aliases: Vec<Vec<String>>) -> Result<()> {
        let mut next = self.clone();
        next.aliases = aliases;
        next.aliases.resize(grades.len(), Vec::new());
        next.grades = grades;
        next.rebuild()?;
        *self = next;
        Ok(())
    }

    /// Adds an alias to grade `index`.
    pub(crate) fn add_alias(&mut self, index: usize, alias: String) -> Result<()> {
        let mut next = self.clone();
        match next.aliases.get_mut(index) {
            Some(list) => list.push(alias),
            None => {
                return Err(IntakeError::layout(LayoutProblem::Grades {
                    message: format!("no grade {index} for alias `{alias}`"),
                })
                .into())
            }
        }
        next.rebuild()?;
        *self = next;
        Ok(())
    }

    /// Adds a "no answer" token.
    pub(crate) fn add_no_answer(&mut self, token: String) -> Result<()> {
        let mut next = self.clone();
        next.no_answer.push(token);
        next.rebuild()?;
        *self = next;
        Ok(())
    }

    /// Declares the numeric code scale.
    pub(crate) fn set_codes(&mut self, codes: CodeScale) -> Result<()> {
        check_codes(codes, self.grades.len())?;
        self.codes = Some(codes);
        Ok(())
    }

    pub(crate) fn grades(&self) -> &GradeSet {
        &self.grades
    }

    pub(crate) fn aliases(&self) -> &[Vec<String>] {
        &self.aliases
    }

    pub(crate) fn no_answer(&self) -> &[String] {
        &self.no_answer
    }

    pub(crate) fn codes(&self) -> Option<CodeScale> {
        self.codes
    }

    /// Every key (trimmed, lower-case) and its meaning: labels, aliases, tokens.
    pub(crate) fn keys(&self) -> &[(String, Answer)] {
        &self.keys
    }

    /// What a cell says (the cell trimmed or not; compared ignoring case and surrounding
    /// whitespace).
    pub(crate) fn classify(&self, cell: &str) -> Result<Answer, CellProblem> {
        let k = key(cell);
        if k.is_empty() {
            return Ok(Answer::Missing);
        }
        if let Some((_, a)) = self.keys.iter().find(|(existing, _)| *existing == k) {
            return Ok(*a);
        }
        let number = match k.parse::<f64>() {
            Ok(x) if x.is_finite() => x,
            _ => return Err(CellProblem::Unknown),
        };
        let Some(codes) = self.codes else {
            return Err(CellProblem::UndeclaredNumber);
        };
        if number.fract() != 0.0 || number.abs() > 9.0e15 {
            return Err(CellProblem::Unknown);
        }
        codes
            .index_of(number as i64)
            .map(Answer::Grade)
            .ok_or(CellProblem::Unknown)
    }

    /// What a cell should hold, for error messages.
    pub(crate) fn expected(&self) -> String {
        let labels: Vec<String> = self
            .grades
            .grades()
            .iter()
            .map(|g| match g.label_zh() {
                Some(zh) => format!("{zh} / {}", g.label()),
                None => g.label().to_owned(),
            })
            .collect();
        let codes = match self.codes {
            Some(c) => format!(
                ", a code {}..={} ({} = {})",
                c.best.min(c.worst),
                c.best.max(c.worst),
                c.best,
                self.grades.grades()[0].label()
            ),
            None => String::new(),
        };
        format!(
            "a grade ({}, or an alias){codes}, or a no-answer token ({})",
            labels.join(", "),
            self.no_answer.join(" ")
        )
    }
}

fn check_codes(codes: CodeScale, grades: usize) -> Result<()> {
    let n = codes.best.abs_diff(codes.worst);
    if n.checked_add(1) != Some(grades as u64) {
        return Err(IntakeError::layout(LayoutProblem::CodeCount {
            best: codes.best,
            worst: codes.worst,
            grades,
        })
        .into());
    }
    Ok(())
}

impl CodeScale {
    /// A code scale from the code of the best grade and that of the worst.
    pub(crate) fn new(best: i64, worst: i64) -> Self {
        Self { best, worst }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_keys_are_distinct_and_classified() {
        let s = AnswerScale::satisfaction();
        assert_eq!(s.classify(" 非常满意 "), Ok(Answer::Grade(0)));
        assert_eq!(s.classify("Very Satisfied"), Ok(Answer::Grade(0)));
        assert_eq!(s.classify("很不满意"), Ok(Answer::Grade(4)));
        assert_eq!(s.classify("(跳过)"), Ok(Answer::Missing));
        assert_eq!(s.classify(""), Ok(Answer::Missing));
        assert_eq!(s.classify("3"), Err(CellProblem::UndeclaredNumber));
        assert_eq!(s.classify("bof"), Err(CellProblem::Unknown));
    }

    #[test]
    fn codes_in_both_directions() {
        let mut s = AnswerScale::satisfaction();
        s.set_codes(CodeScale::new(5, 1)).unwrap();
        assert_eq!(s.classify("5"), Ok(Answer::Grade(0)));
        assert_eq!(s.classify("1"), Ok(Answer::Grade(4)));
        assert_eq!(s.classify("6"), Err(CellProblem::Unknown));
        assert_eq!(s.classify("2.5"), Err(CellProblem::Unknown));
        s.set_codes(CodeScale::new(1, 5)).unwrap();
        assert_eq!(s.classify("1"), Ok(Answer::Grade(0)));
        assert_eq!(s.classify("5.0"), Ok(Answer::Grade(4)));
        assert!(s.set_codes(CodeScale::new(1, 7)).is_err());
        assert!(s.set_codes(CodeScale::new(i64::MIN, i64::MAX)).is_err());
        let codes: Vec<_> = CodeScale::new(1, 5).codes().collect();
        assert_eq!(codes[4], (5, 4));
    }
}
