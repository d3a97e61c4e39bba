//! A per-merchant evaluation report: overall, per dimension, per indicator, weakest points.

use std::fmt;

use crate::error::Result;
use crate::evaluation::{Evaluation, Evaluator, FuzzyOperator, GradingRule, NodeEvaluation};
use crate::input::IndicatorMemberships;
use crate::model::grades::GradeSet;
use crate::model::language::Language;

mod stored;

#[cfg(feature = "serde")]
pub(crate) use stored::check_schema;
pub use stored::{REPORT_SCHEMA, REPORT_SCHEMA_VERSION};

/// One line of a report: a node's labels, weight, memberships, grade and score.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ReportLine {
    id: String,
    path: String,
    depth: usize,
    leaf: bool,
    label: String,
    label_zh: Option<String>,
    weight: f64,
    memberships: Vec<f64>,
    grade: usize,
    other_grade: usize,
    tied: Vec<usize>,
    score: f64,
    observed: usize,
    missing: usize,
    shortfall: f64,
}

impl ReportLine {
    /// Node id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Dotted path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Depth in the tree (0 for the goal, 1 for a dimension).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// `true` for an indicator (a leaf of the tree).
    pub fn is_leaf(&self) -> bool {
        self.leaf
    }

    /// English label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Chinese label, if any.
    pub fn label_zh(&self) -> Option<&str> {
        self.label_zh.as_deref()
    }

    /// Global weight after any exclusion ([`NodeEvaluation::effective_weight`]).
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// Normalised memberships over the grades.
    pub fn memberships(&self) -> &[f64] {
        &self.memberships
    }

    /// Index of the grade under the report's [`GradingRule`]
    /// ([`EvaluationReport::grading`]; by default the maximum-membership grade, the first of
    /// any tie).
    pub fn grade(&self) -> usize {
        self.grade
    }

    /// Index of the grade under the other rule ([`GradingRule::other`]), for comparison.
    pub fn other_grade(&self) -> usize {
        self.other_grade
    }

    /// Every grade index tied for the maximum membership.
    pub fn tied(&self) -> &[usize] {
        &self.tied
    }

    /// Score `sum_j b'_j v_j`.
    pub fn score(&self) -> f64 {
        self.score
    }

    /// Answers or cases observed (summed below a group).
    pub fn observed(&self) -> usize {
        self.observed
    }

    /// Answers or cases missing (summed below a group).
    pub fn missing(&self) -> usize {
        self.missing
    }

    /// Weighted shortfall from the best grade: `weight * (max_j v_j - score)`, finite and at
    /// most `2e12` (grade values are bounded by
    /// [`GradeSet::MAX_ABS_VALUE`](crate::GradeSet::MAX_ABS_VALUE)).
    pub fn shortfall(&self) -> f64 {
        self.shortfall
    }
}

/// The evaluation of one merchant, ready to print or serialise.
///
/// - overall: the goal's grade and score;
/// - dimensions: the goal's children (for the after-sales template: speed, attitude,
///   professionalism, satisfaction);
/// - indicators: every evaluated leaf with its memberships and answer counts;
/// - [`weakest`](Self::weakest): the indicators that pull the score down most, ranked by their
///   weighted shortfall from the best grade
///
/// ```text
/// shortfall_i = w_i * (v_best - score_i)      w_i = effective global weight of leaf i
/// ```
///
/// With `M(·,+)` at every level the shortfalls add up to `v_best - overall score`, so they
/// split the overall gap exactly; with other operators they remain a ranking of weighted weak
/// points.
///
/// `Display` prints a table with English labels; [`display`](Self::display) with
/// [`Language::Zh`] prints the Chinese labels where the tree and grade set have them. With the `serde`
/// feature the report serialises (to JSON, for example).
///
/// # Examples
///
/// ```
/// use service_quality::{EvaluationReport, Evaluator, GradeSet, IndicatorMemberships, IndicatorTree, Language, NodeSpec};
///
/// let tree = IndicatorTree::new(NodeSpec::group("goal", "Service", vec![
///     NodeSpec::leaf("speed", "Speed").with_label_zh("速度"),
///     NodeSpec::leaf("attitude", "Attitude").with_label_zh("态度"),
/// ]).with_weights(vec![0.5, 0.5]))?;
/// let mut data = IndicatorMemberships::new(&GradeSet::satisfaction_5());
/// data.insert("speed", vec![0.0, 0.2, 0.3, 0.5, 0.0], 10, 0)?;
/// data.insert("attitude", vec![0.6, 0.4, 0.0, 0.0, 0.0], 10, 0)?;
/// let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5());
/// let report = evaluator.report("shop-a", &data)?;
/// assert_eq!(report.weakest(1)[0].id(), "speed");
/// let gap: f64 = report.indicators().iter().map(|l| l.shortfall()).sum();
/// assert!((gap - (95.0 - report.overall().score())).abs() < 1e-9);
/// assert!(report.display(Language::Zh).to_string().contains("速度"));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(try_from = "stored::StoredReport")
)]
pub struct EvaluationReport {
    merchant: String,
    grades: GradeSet,
    grading: GradingRule,
    operators: Vec<LevelOperator>,
    nodes: Vec<ReportLine>,
    excluded: Vec<String>,
    // views of `nodes`, rebuilt on deserialisation (not serialised)
    dimensions: Vec<ReportLine>,
    indicators: Vec<ReportLine>,
}

/// The operator that composed the nodes at one depth of the tree (as data: serialised as
/// `{"depth": 0, "operator": "weighted_average"}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct LevelOperator {
    depth: usize,
    operator: FuzzyOperator,
}

impl LevelOperator {
    /// The depth of the composed nodes (0 = the goal).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The operator.
    pub fn operator(&self) -> FuzzyOperator {
        self.operator
    }
}

impl EvaluationReport {
    /// Builds the report of `merchant` from an evaluation made by `evaluator` (through
    /// [`Evaluator::report`]).
    pub(crate) fn new(
        merchant: impl Into<String>,
        evaluator: &Evaluator,
        eval: &Evaluation,
    ) -> Self {
        let tree = evaluator.tree();
        let best = evaluator.grades().max_value();
        let other = eval.grading().other();
        let line = |n: &NodeEvaluation| {
            let node = tree.get(n.id());
            let r = n.result();
            ReportLine {
                id: n.id().to_owned(),
                path: n.path().to_owned(),
                depth: n.depth(),
                leaf: n.is_leaf(),
                label: node.map_or_else(|| n.id().to_owned(), |t| t.label().to_owned()),
                label_zh: node.and_then(|t| t.label_zh()).map(str::to_owned),
                weight: n.effective_weight(),
                memberships: r.normalized().to_vec(),
                grade: n.grade(),
                other_grade: other.grade(r, evaluator.grades()),
                tied: r.tied().to_vec(),
                score: r.score(),
                observed: n.observed(),
                missing: n.missing(),
                shortfall: n.effective_weight() * (best - r.score()).max(0.0),
            }
        };
        let mut operators: Vec<LevelOperator> = Vec::new();
        for n in eval.nodes() {
            if let Some(operator) = n.operator() {
                let level = LevelOperator {
                    depth: n.depth(),
                    operator,
                };
                if !operators.contains(&level) {
                    operators.push(level);
                }
            }
        }
        Self::from_parts(
            merchant.into(),
            evaluator.grades().clone(),
            eval.grading(),
            operators,
            eval.nodes().iter().map(line).collect(),
            eval.excluded().to_vec(),
        )
    }

    /// Assembles a report from its stored parts, building the dimension and indicator views.
    fn from_parts(
        merchant: String,
        grades: GradeSet,
        grading: GradingRule,
        operators: Vec<LevelOperator>,
        nodes: Vec<ReportLine>,
        excluded: Vec<String>,
    ) -> Self {
        let dimensions = nodes.iter().filter(|n| n.depth == 1).cloned().collect();
        let indicators = nodes.iter().filter(|n| n.leaf).cloned().collect();
        Self {
            merchant,
            grades,
            grading,
            operators,
            nodes,
            excluded,
            dimensions,
            indicators,
        }
    }

    /// The merchant.
    pub fn merchant(&self) -> &str {
        &self.merchant
    }

    /// The grade set the report reads against.
    pub fn grades(&self) -> &GradeSet {
        &self.grades
    }

    /// The rule that gave the grades ([`ReportLine::grade`]).
    pub fn grading(&self) -> GradingRule {
        self.grading
    }

    /// The goal's line: overall grade and score.
    pub fn overall(&self) -> &ReportLine {
        // a report is built from an evaluation (whose root is always evaluated) or read back
        // through `TryFrom<RawReport>`, which refuses a report without nodes
        &self.nodes[0]
    }

    /// Every evaluated node of the tree in preorder (a parent before its children): the goal,
    /// every intermediate group and every indicator, whatever the depth.
    pub fn nodes(&self) -> &[ReportLine] {
        &self.nodes
    }

    /// The line of the node with this id, if it was evaluated.
    pub fn node(&self, id: &str) -> Option<&ReportLine> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The operator of each composed depth, goal first.
    pub fn operators(&self) -> &[LevelOperator] {
        &self.operators
    }

    /// The sample size: the most answers (or cases) any indicator got. It is the number of
    /// respondents when at least one indicator was answered by everyone, and a lower bound on
    /// it otherwise.
    pub fn sample_size(&self) -> usize {
        self.indicators
            .iter()
            .map(|l| l.observed)
            .max()
            .unwrap_or(0)
    }

    /// One line per dimension (the goal's evaluated children), in tree order.
    pub fn dimensions(&self) -> &[ReportLine] {
        &self.dimensions
    }

    /// One line per evaluated indicator (leaf), in tree order.
    pub fn indicators(&self) -> &[ReportLine] {
        &self.indicators
    }

    /// Ids of nodes excluded for lack of answers.
    pub fn excluded(&self) -> &[String] {
        &self.excluded
    }

    /// The dimension with the lowest score (the first of equal ones), if any.
    pub fn weakest_dimension(&self) -> Option<&ReportLine> {
        self.dimensions
            .iter()
            .min_by(|a, b| a.score.total_cmp(&b.score))
    }

    /// The `n` indicators with the largest weighted shortfall, largest first (ties keep tree
    /// order).
    pub fn weakest(&self, n: usize) -> Vec<&ReportLine> {
        let mut lines: Vec<&ReportLine> = self.indicators.iter().collect();
        // stable sort: equal shortfalls keep tree order
        lines.sort_by(|a, b| b.shortfall.total_cmp(&a.shortfall));
        lines.truncate(n);
        lines
    }

    /// The label of grade `index` in `language` (English where there is no Chinese label).
    pub fn grade_label(&self, index: usize, language: Language) -> &str {
        self.grades
            .grade(index)
            .map_or("?", |g| g.display_label(language))
    }

    /// A printable table with labels in `language` (English where there is no Chinese
    /// label).
    pub fn display(&self, language: Language) -> ReportDisplay<'_> {
        ReportDisplay {
            report: self,
            language,
        }
    }
}

impl Evaluator {
    /// Evaluates one merchant and builds its [`EvaluationReport`].
    ///
    /// # Errors
    ///
    /// As [`Evaluator::evaluate`].
    pub fn report(
        &self,
        merchant: impl Into<String>,
        data: &IndicatorMemberships,
    ) -> Result<EvaluationReport> {
        let eval = self.evaluate(data)?;
        Ok(EvaluationReport::new(merchant, self, &eval))
    }
}

/// Terminal width of a character: CJK and other wide characters count 2.
fn char_width(c: char) -> usize {
    if c >= '\u{1100}' {
        2
    } else {
        1
    }
}

/// Terminal width of a string.
#[cfg(test)]
fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `s` cut to `w` columns and padded with spaces to exactly `w`.
fn pad(s: &str, w: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push_str(&" ".repeat(w - used));
    out
}

/// `s` padded on the left to `w` columns.
fn pad_left(s: &str, w: usize) -> String {
    let used: usize = s.chars().map(char_width).sum();
    format!("{}{s}", " ".repeat(w.saturating_sub(used)))
}

/// The words of the report table in one language.
struct Words {
    merchant: &'static str,
    overall: &'static str,
    grades: &'static str,
    dimension: &'static str,
    indicator: &'static str,
    weight: &'static str,
    score: &'static str,
    grade: &'static str,
    memberships: &'static str,
    observed: &'static str,
    missing: &'static str,
    shortfall: &'static str,
    excluded: &'static str,
    weakest: &'static str,
    grading: &'static str,
}

const EN: Words = Words {
    merchant: "merchant",
    overall: "overall",
    grades: "grades",
    dimension: "dimension",
    indicator: "indicator",
    weight: "weight",
    score: "score",
    grade: "grade",
    memberships: "memberships",
    observed: "n",
    missing: "miss",
    shortfall: "shortfall",
    excluded: "excluded (no answers, siblings reweighted)",
    weakest: "indicators pulling the score down most",
    grading: "grading",
};

const ZH: Words = Words {
    merchant: "商家",
    overall: "综合得分",
    grades: "评语集",
    dimension: "维度",
    indicator: "指标",
    weight: "权重",
    score: "得分",
    grade: "等级",
    memberships: "隶属度",
    observed: "样本",
    missing: "缺失",
    shortfall: "差距",
    excluded: "无回答而剔除(同级权重已重新归一)",
    weakest: "拉低得分最多的指标",
    grading: "定级",
};

/// [`EvaluationReport`] printed as a table, in English or Chinese labels.
#[derive(Debug, Clone, Copy)]
pub struct ReportDisplay<'a> {
    report: &'a EvaluationReport,
    language: Language,
}

impl ReportDisplay<'_> {
    fn label<'l>(&self, line: &'l ReportLine) -> &'l str {
        self.language.pick(&line.label, line.label_zh.as_deref())
    }

    fn grade(&self, line: &ReportLine) -> String {
        if self.report.grading != GradingRule::MaxMembership {
            return self
                .report
                .grade_label(line.grade, self.language)
                .to_owned();
        }
        line.tied
            .iter()
            .map(|&j| self.report.grade_label(j, self.language))
            .collect::<Vec<_>>()
            .join(" = ")
    }

    fn memberships(line: &ReportLine) -> String {
        line.memberships
            .iter()
            .map(|b| format!("{b:.3}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for ReportDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.report;
        let lang = self.language;
        let o = r.overall();
        let t = match lang {
            Language::Zh => &ZH,
            _ => &EN,
        };
        let (merchant, overall) = (t.merchant, t.overall);
        writeln!(
            f,
            "{merchant} {}: {overall} {:.2} ({})",
            r.merchant,
            o.score,
            self.grade(o)
        )?;
        let grades = r
            .grades
            .grades()
            .iter()
            .map(|g| format!("{}={}", g.display_label(lang), g.value()))
            .collect::<Vec<_>>()
            .join(", ");
        let operators = r
            .operators
            .iter()
            .map(|l| format!("level {}: {}", l.depth, l.operator.notation()))
            .collect::<Vec<_>>()
            .join(", ");
        let (en, zh) = r.grading.label();
        writeln!(
            f,
            "{}: {grades}; {operators}; {}: {}",
            t.grades,
            t.grading,
            lang.pick(en, Some(zh))
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "{} {} {}  {}  {}",
            pad(t.dimension, 40),
            pad_left(t.weight, 7),
            pad_left(t.score, 7),
            pad(t.grade, 18),
            t.memberships
        )?;
        for d in &r.dimensions {
            writeln!(
                f,
                "{} {:>7.4} {:>7.2}  {}  {}",
                pad(self.label(d), 40),
                d.weight,
                d.score,
                pad(&self.grade(d), 18),
                Self::memberships(d)
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{} {} {}  {}  {} {} {}  {}",
            pad(t.indicator, 40),
            pad_left(t.weight, 7),
            pad_left(t.score, 7),
            pad(t.grade, 18),
            pad_left(t.observed, 5),
            pad_left(t.missing, 5),
            pad_left(t.shortfall, 9),
            t.memberships
        )?;
        for l in &r.indicators {
            writeln!(
                f,
                "{} {:>7.4} {:>7.2}  {}  {:>5} {:>5} {:>9.3}  {}",
                pad(self.label(l), 40),
                l.weight,
                l.score,
                pad(&self.grade(l), 18),
                l.observed,
                l.missing,
                l.shortfall,
                Self::memberships(l)
            )?;
        }
        if !r.excluded.is_empty() {
            writeln!(f)?;
            writeln!(f, "{}: {}", t.excluded, r.excluded.join(", "))?;
        }
        writeln!(f)?;
        writeln!(f, "{}:", t.weakest)?;
        for (rank, l) in r.weakest(3).iter().enumerate() {
            writeln!(
                f,
                "  {}. {} ({}) {} {:.3}",
                rank + 1,
                self.label(l),
                l.path,
                t.shortfall,
                l.shortfall
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for EvaluationReport {
    /// The English table (see [`EvaluationReport::display`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(Language::En).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::Unanswered;
    use crate::hierarchy::{IndicatorTree, NodeSpec};

    fn report() -> EvaluationReport {
        let tree = IndicatorTree::new(
            NodeSpec::group(
                "goal",
                "Goal",
                vec![
                    NodeSpec::group(
                        "speed",
                        "Speed",
                        vec![
                            NodeSpec::leaf("reply", "Reply").with_label_zh("回复"),
                            NodeSpec::leaf("solve", "Solve"),
                        ],
                    )
                    .with_weights(vec![0.5, 0.5])
                    .with_label_zh("速度"),
                    NodeSpec::group(
                        "attitude",
                        "Attitude",
                        vec![
                            NodeSpec::leaf("polite", "Polite"),
                            NodeSpec::leaf("warm", "Warm"),
                        ],
                    )
                    .with_weights(vec![0.5, 0.5]),
                ],
            )
            .with_weights(vec![0.4, 0.6]),
        )
        .unwrap();
        let mut d = IndicatorMemberships::new(&GradeSet::satisfaction_5());
        d.insert("reply", vec![0.0, 0.0, 0.0, 1.0, 0.0], 3, 0)
            .unwrap();
        d.insert("solve", vec![1.0, 0.0, 0.0, 0.0, 0.0], 3, 0)
            .unwrap();
        d.insert("polite", vec![0.0, 0.0, 1.0, 0.0, 0.0], 3, 1)
            .unwrap();
        d.insert_unobserved("warm", 4).unwrap();
        let ev = Evaluator::new(&tree, GradeSet::satisfaction_5()).unanswered(Unanswered::Exclude);
        ev.report("shop", &d).unwrap()
    }

    #[test]
    fn lines_shortfalls_and_weakest() {
        let r = report();
        assert_eq!(r.merchant(), "shop");
        assert_eq!(r.excluded(), &["warm".to_owned()]);
        // attitude rests on polite alone: 75; speed = (65 + 95) / 2 = 80
        let dims: Vec<(&str, f64)> = r
            .dimensions()
            .iter()
            .map(|d| (d.id.as_str(), d.score))
            .collect();
        assert_eq!(dims.len(), 2);
        assert!((dims[0].1 - 80.0).abs() < 1e-9 && (dims[1].1 - 75.0).abs() < 1e-9);
        assert_eq!(
            r.weakest_dimension().map(|d| d.id.as_str()),
            Some("attitude")
        );
        // shortfalls: polite 0.6 * 20 = 12, reply 0.2 * 30 = 6, solve 0
        let weakest: Vec<&str> = r.weakest(5).iter().map(|l| l.id.as_str()).collect();
        assert_eq!(weakest, vec!["polite", "reply", "solve"]);
        let gap: f64 = r.indicators().iter().map(|l| l.shortfall).sum();
        assert!((gap - (95.0 - r.overall().score)).abs() < 1e-9);
        assert_eq!(r.indicators()[2].missing, 1);
    }

    #[test]
    fn display_in_both_languages() {
        let r = report();
        let en = r.to_string();
        assert!(en.contains("merchant shop: overall"));
        assert!(en.contains("excluded (no answers, siblings reweighted): warm"));
        assert!(en.contains("1. Polite (attitude.polite)"));
        let zh = r.display(Language::Zh).to_string();
        assert!(zh.contains("速度") && zh.contains("回复") && zh.contains("很满意"));
        // a node without a Chinese label falls back to English
        assert!(zh.contains("Attitude"));
    }

    #[test]
    fn pads_wide_characters() {
        assert_eq!(pad("满意", 6), "满意  ");
        assert_eq!(pad("abcdef", 3), "abc");
        assert_eq!(width("a满"), 3);
        assert_eq!(pad_left("权重", 7), "   权重");
    }
}
