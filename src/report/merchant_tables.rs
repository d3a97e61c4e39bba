//! One merchant's evaluation step by step: the membership matrix `R` of every group node, its
//! `B` raw, summed and normalised, the score and the grade under both grading rules.

use crate::error::{ArgumentError, Result};
use crate::evaluation::{Evaluation, Evaluator, FuzzyOperator, GradingRule, NodeEvaluation};
use crate::input::IndicatorMemberships;
use crate::model::grades::GradeSet;
use crate::model::language::Language;
use crate::report::table::{Align, Cell, Column, Table, Text};
use crate::report::weight_table::{column, node_text};

/// Digits after the point of memberships and weights in the text and Markdown forms.
const DECIMALS: u8 = 4;
/// Digits after the point of scores.
const SCORE_DECIMALS: u8 = 2;

/// One node's `B`: raw, its sum, normalised; its score and its grades.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NodeB {
    id: String,
    path: String,
    label: Text,
    depth: usize,
    leaf: bool,
    weight: f64,
    raw: Vec<f64>,
    sum: f64,
    normalized: Vec<f64>,
    score: f64,
    grade: usize,
    other_grade: usize,
    tied: Vec<usize>,
}

impl NodeB {
    /// The node's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The node's dotted path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The node's labels.
    pub fn label(&self) -> &Text {
        &self.label
    }

    /// Depth (0 = the goal).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// `true` for an indicator (its `B` is its membership row).
    pub fn is_leaf(&self) -> bool {
        self.leaf
    }

    /// Global weight after any exclusion.
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// `B` as composed (for an indicator: its membership row as given).
    pub fn raw(&self) -> &[f64] {
        &self.raw
    }

    /// `sum_j b_j` of the raw `B`.
    pub fn sum(&self) -> f64 {
        self.sum
    }

    /// `B / sum_j b_j`.
    pub fn normalized(&self) -> &[f64] {
        &self.normalized
    }

    /// The score `sum_j b'_j v_j`.
    pub fn score(&self) -> f64 {
        self.score
    }

    /// The grade under the tables' rule ([`MerchantTables::grading`]).
    pub fn grade(&self) -> usize {
        self.grade
    }

    /// The grade under the other rule.
    pub fn other_grade(&self) -> usize {
        self.other_grade
    }

    /// Every grade tied for the maximum membership.
    pub fn tied(&self) -> &[usize] {
        &self.tied
    }
}

/// A row of a group node's `R`: one evaluated child, its weight and its normalised `B`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RRow {
    id: String,
    label: Text,
    weight: f64,
    memberships: Vec<f64>,
}

impl RRow {
    /// The child's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The child's labels.
    pub fn label(&self) -> &Text {
        &self.label
    }

    /// The weight the child was composed with (`a_i`).
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// The row `r_i` (the child's normalised `B`).
    pub fn memberships(&self) -> &[f64] {
        &self.memberships
    }
}

/// A group node's composition `B = A o R`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Composition {
    node: NodeB,
    operator: FuzzyOperator,
    rows: Vec<RRow>,
}

impl Composition {
    /// The node and its `B`.
    pub fn node(&self) -> &NodeB {
        &self.node
    }

    /// The operator.
    pub fn operator(&self) -> FuzzyOperator {
        self.operator
    }

    /// The rows of `R` with their weights `A`, in the children's order (excluded children
    /// left out).
    pub fn rows(&self) -> &[RRow] {
        &self.rows
    }
}

/// One merchant's evaluation as the tables of a paper: every group node's `R` with the
/// weights `A` and the composed `B` (raw, summed, normalised), and every node's `B`, score
/// and grade.
///
/// Each grade is given by the evaluator's [`GradingRule`] ([`grading`](Self::grading)); the
/// grade under the other rule is shown beside it, so that a reader sees where the two
/// disagree (see [`GradingRule`] for why they can).
///
/// ```text
/// group node:  R = the normalised B of its evaluated children, one row each
///              A = the weights they were composed with
///              B = A o R (raw), sum_j b_j, B' = B / sum_j b_j,  score = B' . v
/// indicator:   B = its membership row from the data
/// ```
///
/// # Examples
///
/// ```
/// use service_quality::report::MerchantTables;
/// use service_quality::{Evaluator, GradeSet, GradingRule, IndicatorMemberships, IndicatorTree, Language, NodeSpec};
///
/// let tree = IndicatorTree::new(NodeSpec::group("goal", "Service", vec![
///     NodeSpec::leaf("speed", "Speed"),
///     NodeSpec::leaf("attitude", "Attitude"),
/// ]).with_weights(vec![0.5, 0.5]))?;
/// let grades = GradeSet::satisfaction_5();
/// let mut data = IndicatorMemberships::new(&grades);
/// data.insert("speed", vec![0.9, 0.0, 0.0, 0.0, 0.1], 10, 0)?;
/// data.insert("attitude", vec![0.0, 0.2, 0.3, 0.3, 0.2], 10, 0)?;
/// let evaluator = Evaluator::new(&tree, grades).grading(GradingRule::ScoreIntervals);
/// let tables = evaluator.merchant_tables("shop-a", &data)?;
/// let goal = &tables.compositions()[0];
/// assert_eq!(goal.rows().len(), 2);
/// // B = 0.5 r_speed + 0.5 r_attitude = (0.45, 0.1, 0.15, 0.15, 0.15): score 80.5
/// assert!((goal.node().score() - 80.5).abs() < 1e-9);
/// assert_eq!(goal.node().grade(), 1); // satisfied, by score intervals
/// assert_eq!(goal.node().other_grade(), 0); // very satisfied, by maximum membership
/// let text = tables.summary_table()?.text(Language::En);
/// assert!(text.contains("Grade (score intervals)"), "{text}");
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MerchantTables {
    merchant: String,
    grading: GradingRule,
    grades: GradeSet,
    nodes: Vec<NodeB>,
    compositions: Vec<Composition>,
}

impl MerchantTables {
    /// The tables of `merchant` from `evaluation`, made by `evaluator` (through
    /// [`Evaluator::merchant_tables`], or from an [`Evaluation`] kept by the caller).
    ///
    /// # Errors
    ///
    /// [`ArgumentError::LengthMismatch`] when `evaluation` was not made with `evaluator`'s tree
    /// and grades (a group's evaluated children do not match its weights).
    pub fn new(
        merchant: impl Into<String>,
        evaluator: &Evaluator,
        evaluation: &Evaluation,
    ) -> Result<Self> {
        let tree = evaluator.tree();
        let grades = evaluator.grades();
        let other = evaluation.grading().other();
        let label = |id: &str| tree.get(id).map_or_else(|| Text::new(id), node_text);
        let node_b = |n: &NodeEvaluation| {
            let r = n.result();
            NodeB {
                id: n.id().to_owned(),
                path: n.path().to_owned(),
                label: label(n.id()),
                depth: n.depth(),
                leaf: n.is_leaf(),
                weight: n.effective_weight(),
                raw: r.raw().to_vec(),
                sum: r.raw().iter().sum(),
                normalized: r.normalized().to_vec(),
                score: r.score(),
                grade: n.grade(),
                other_grade: other.grade(r, grades),
                tied: r.tied().to_vec(),
            }
        };
        let mut compositions = Vec::new();
        for n in evaluation.nodes() {
            let Some(operator) = n.operator() else {
                continue;
            };
            let children: Vec<&NodeEvaluation> = tree
                .get(n.id())
                .into_iter()
                .flat_map(|t| t.children())
                .filter_map(|c| evaluation.node(c.id()))
                .collect();
            if children.len() != n.weights_used().len() {
                return Err(ArgumentError::LengthMismatch {
                    what: "evaluated children of a node (evaluation from another tree)",
                    expected: n.weights_used().len(),
                    found: children.len(),
                }
                .into());
            }
            let rows = children
                .iter()
                .zip(n.weights_used())
                .map(|(c, &weight)| RRow {
                    id: c.id().to_owned(),
                    label: label(c.id()),
                    weight,
                    memberships: c.result().normalized().to_vec(),
                })
                .collect();
            compositions.push(Composition {
                node: node_b(n),
                operator,
                rows,
            });
        }
        Ok(Self {
            merchant: merchant.into(),
            grading: evaluation.grading(),
            grades: grades.clone(),
            nodes: evaluation.nodes().iter().map(node_b).collect(),
            compositions,
        })
    }

    /// The merchant.
    pub fn merchant(&self) -> &str {
        &self.merchant
    }

    /// The rule that gave [`NodeB::grade`].
    pub fn grading(&self) -> GradingRule {
        self.grading
    }

    /// The grade set.
    pub fn grades(&self) -> &GradeSet {
        &self.grades
    }

    /// Every evaluated node's `B`, preorder.
    pub fn nodes(&self) -> &[NodeB] {
        &self.nodes
    }

    /// Every evaluated group node's composition, preorder.
    pub fn compositions(&self) -> &[Composition] {
        &self.compositions
    }

    /// One column per grade, headed by its labels.
    fn grade_columns(&self) -> impl Iterator<Item = Column> + '_ {
        self.grades.grades().iter().map(|g| {
            Column::new(
                Text::with_optional_zh(g.label(), g.label_zh()),
                Align::Right,
            )
        })
    }

    /// A grade's label.
    fn grade_text(&self, index: usize) -> Text {
        self.grades.grade(index).map_or_else(
            || Text::new("?"),
            |g| Text::with_optional_zh(g.label(), g.label_zh()),
        )
    }

    /// The note naming the grade values and the grading rules.
    fn grading_note(&self) -> Text {
        let values = |language: Language| {
            self.grades
                .grades()
                .iter()
                .map(|g| format!("{} = {}", g.display_label(language), g.value()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (rule, other) = (self.grading.label(), self.grading.other().label());
        Text::bilingual(
            format!(
                "Grade values: {}. Grades by {} (the result); by {} for comparison. Score intervals: the grade whose value is nearest the score, a score at a midpoint taking the better grade.",
                values(Language::En),
                rule.0,
                other.0
            ),
            format!(
                "评语等级分值:{}。等级按{}确定(结论),{}的等级列出以作比较。得分区间:取分值与得分最接近的等级,恰在两等级分值中点时取较好的等级。",
                values(Language::Zh),
                rule.1,
                other.1
            ),
        )
    }

    /// The two grade columns, the rule used first.
    fn rule_columns(&self) -> [Column; 2] {
        let column = |rule: GradingRule| {
            let (en, zh) = rule.label();
            Column::new(
                Text::bilingual(format!("Grade ({en})"), format!("等级({zh})")),
                Align::Left,
            )
        };
        [column(self.grading), column(self.grading.other())]
    }

    /// Every evaluated node: its weight, normalised `B`, the sum of its raw `B`, its score
    /// and its grade under both rules (the tables' rule first).
    ///
    /// # Errors
    ///
    /// Only those of [`Table::push_row`], which finite values never raise.
    pub fn summary_table(&self) -> Result<Table> {
        let mut columns = vec![
            column("Node", "节点", Align::Left),
            column("Path", "路径", Align::Left),
            column("Weight", "权重", Align::Right),
        ];
        columns.extend(self.grade_columns());
        columns.push(Column::new(
            Text::bilingual("Sum of raw B", "原始 B 之和"),
            Align::Right,
        ));
        columns.push(column("Score", "得分", Align::Right));
        columns.extend(self.rule_columns());
        let mut table = Table::new(
            Text::bilingual(
                format!("{}: normalised B of every node", self.merchant),
                format!("{}:各节点归一化的 B", self.merchant),
            ),
            columns,
        )?;
        for n in &self.nodes {
            let mut cells = vec![
                Cell::text(n.label.clone()),
                Cell::text(n.path.as_str()),
                Cell::number(n.weight, DECIMALS),
            ];
            cells.extend(n.normalized.iter().map(|&b| Cell::number(b, DECIMALS)));
            cells.push(Cell::number(n.sum, DECIMALS));
            cells.push(Cell::number(n.score, SCORE_DECIMALS));
            cells.push(Cell::text(self.grade_text(n.grade)));
            cells.push(Cell::text(self.grade_text(n.other_grade)));
            table.push_row(cells)?;
        }
        table.push_note(self.grading_note());
        Ok(table)
    }

    /// One group node's composition: a row per child (`a_i`, `r_i`, row sum), then `B` raw
    /// with its sum and `B` normalised; the operator, score and grades in the notes.
    ///
    /// # Errors
    ///
    /// Only those of [`Table::push_row`], which finite values never raise.
    pub fn composition_table(&self, composition: &Composition) -> Result<Table> {
        let node = &composition.node;
        let mut columns = vec![
            column("Factor", "因素", Align::Left),
            column("Weight a", "权重 a", Align::Right),
        ];
        columns.extend(self.grade_columns());
        columns.push(column("Sum", "合计", Align::Right));
        let mut table = Table::new(
            Text::bilingual(
                format!(
                    "{}: R and B of {} ({})",
                    self.merchant,
                    node.label.get(Language::En),
                    node.path
                ),
                format!(
                    "{}:{}({})的模糊关系矩阵 R 与 B",
                    self.merchant,
                    node.label.get(Language::Zh),
                    node.path
                ),
            ),
            columns,
        )?;
        for row in &composition.rows {
            let mut cells = vec![
                Cell::text(row.label.clone()),
                Cell::number(row.weight, DECIMALS),
            ];
            cells.extend(row.memberships.iter().map(|&r| Cell::number(r, DECIMALS)));
            cells.push(Cell::number(row.memberships.iter().sum(), DECIMALS));
            table.push_row(cells)?;
        }
        let mut raw = vec![
            Cell::text(Text::bilingual("B = A o R", "B = A o R")),
            Cell::Empty,
        ];
        raw.extend(node.raw.iter().map(|&b| Cell::number(b, DECIMALS)));
        raw.push(Cell::number(node.sum, DECIMALS));
        table.push_row(raw)?;
        let mut normalized = vec![
            Cell::text(Text::bilingual("B normalised", "B 归一化")),
            Cell::Empty,
        ];
        normalized.extend(node.normalized.iter().map(|&b| Cell::number(b, DECIMALS)));
        normalized.push(Cell::number(node.normalized.iter().sum(), DECIMALS));
        table.push_row(normalized)?;
        let (rule, other) = (self.grading.label(), self.grading.other().label());
        let en = |i: usize| self.grade_text(i).get(Language::En).to_owned();
        let zh = |i: usize| self.grade_text(i).get(Language::Zh).to_owned();
        table.push_note(Text::bilingual(
            format!(
                "Operator {}; score {:.2}; grade {} by {} ({} by {}).",
                composition.operator.notation(),
                node.score,
                en(node.grade),
                rule.0,
                en(node.other_grade),
                other.0
            ),
            format!(
                "算子 {};得分 {:.2};按{}为「{}」(按{}为「{}」)。",
                composition.operator.notation(),
                node.score,
                rule.1,
                zh(node.grade),
                other.1,
                zh(node.other_grade)
            ),
        ));
        Ok(table)
    }

    /// The summary, then every group node's composition (the goal first).
    ///
    /// # Errors
    ///
    /// As the single tables.
    pub fn tables(&self) -> Result<Vec<Table>> {
        let mut tables = vec![self.summary_table()?];
        for c in &self.compositions {
            tables.push(self.composition_table(c)?);
        }
        Ok(tables)
    }
}

impl Evaluator {
    /// Evaluates one merchant and builds its [`MerchantTables`].
    ///
    /// # Errors
    ///
    /// As [`Evaluator::evaluate`].
    pub fn merchant_tables(
        &self,
        merchant: impl Into<String>,
        data: &IndicatorMemberships,
    ) -> Result<MerchantTables> {
        let evaluation = self.evaluate(data)?;
        MerchantTables::new(merchant, self, &evaluation)
    }
}
