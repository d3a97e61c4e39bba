//! The weight table a paper prints: each judged node's matrix, weights and consistency, every
//! indicator's global weight, and the hierarchy's overall consistency.

use crate::ahp::{ConsistencyReport, PriorityMethod, RandomIndexKind};
use crate::error::{ArgumentError, Parameter, Result};
use crate::hierarchy::{IndicatorTree, LevelConsistency, NodeRef};
use crate::numeric::DEFAULT_CR_THRESHOLD;
use crate::report::table::{Align, Cell, Column, Table, Text};

/// Digits after the point of weights, matrix entries and consistency figures in the text
/// and Markdown forms (CSV and JSON keep every digit).
const DECIMALS: u8 = 4;

/// A node's labels as a [`Text`].
pub(crate) fn node_text(node: NodeRef<'_>) -> Text {
    Text::with_optional_zh(node.label(), node.label_zh())
}

/// The citation of a random index table, for notes.
fn ri_table_name(kind: RandomIndexKind) -> Text {
    let name = match kind {
        RandomIndexKind::Saaty1980 => "Saaty (1980)",
        RandomIndexKind::AlonsoLamata2006 => "Alonso & Lamata (2006)",
        RandomIndexKind::DoneganDodd1991 => "Donegan & Dodd (1991)",
        RandomIndexKind::TummalaLing1998 => "Tummala & Ling (1998)",
        RandomIndexKind::Saaty2005 => "Saaty (2005)",
        _ => return Text::bilingual("a custom table", "自定义表"),
    };
    Text::new(name)
}

/// A column headed `en` / `zh`.
pub(crate) fn column(en: &str, zh: &str, align: Align) -> Column {
    Column::new(Text::bilingual(en, zh), align)
}

/// "passes" or "fails" for `CR < threshold`.
pub(crate) fn verdict(passes: bool) -> Text {
    if passes {
        Text::bilingual("passes", "通过")
    } else {
        Text::bilingual("fails", "未通过")
    }
}

/// One child of a judged node: its id, labels, local weight.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct JudgedChild {
    id: String,
    label: Text,
    weight: f64,
}

impl JudgedChild {
    /// The child's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The child's labels.
    pub fn label(&self) -> &Text {
        &self.label
    }

    /// Its local weight (the priority vector's entry).
    pub fn weight(&self) -> f64 {
        self.weight
    }
}

/// A node whose children were judged pairwise: the matrix, the local weights and the
/// consistency.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct JudgedNode {
    id: String,
    path: String,
    label: Text,
    depth: usize,
    global_weight: f64,
    children: Vec<JudgedChild>,
    matrix: Vec<Vec<f64>>,
    consistency: ConsistencyReport,
    passes: bool,
}

impl JudgedNode {
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

    /// Depth of the node (0 = the goal).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The node's global weight (the `a_j` of the overall consistency).
    pub fn global_weight(&self) -> f64 {
        self.global_weight
    }

    /// The children with their local weights, in order.
    pub fn children(&self) -> &[JudgedChild] {
        &self.children
    }

    /// The pairwise matrix, row by row (completed, when judgements were missing).
    pub fn matrix(&self) -> &[Vec<f64>] {
        &self.matrix
    }

    /// `n`, `lambda_max`, `CI`, `RI` (with its table) and `CR`.
    pub fn consistency(&self) -> &ConsistencyReport {
        &self.consistency
    }

    /// `true` when `CR <` the table's threshold.
    pub fn passes(&self) -> bool {
        self.passes
    }
}

/// One indicator (leaf) with its local and global weight.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IndicatorWeight {
    id: String,
    path: String,
    label: Text,
    parent: Text,
    local_weight: f64,
    global_weight: f64,
}

impl IndicatorWeight {
    /// The indicator's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The indicator's dotted path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The indicator's labels.
    pub fn label(&self) -> &Text {
        &self.label
    }

    /// The labels of the node it belongs to.
    pub fn parent(&self) -> &Text {
        &self.parent
    }

    /// Its weight among its siblings.
    pub fn local_weight(&self) -> f64 {
        self.local_weight
    }

    /// The product of the local weights on its path (the global weights sum to 1).
    pub fn global_weight(&self) -> f64 {
        self.global_weight
    }
}

/// The weights of an [`IndicatorTree`] as a paper reports them, as data and as [`Table`]s.
///
/// - per pairwise-judged node: its matrix, the local weights, `lambda_max`, `CI`, `RI` (with
///   the random index table named), `CR` and whether `CR < threshold`
///   ([`matrix_table`](Self::matrix_table), [`consistency_table`](Self::consistency_table));
/// - every indicator's local and global weight ([`indicator_table`](Self::indicator_table));
/// - the hierarchy's overall consistency per level (层次总排序一致性, see
///   [`LevelConsistency`]; [`overall_table`](Self::overall_table)).
///
/// The threshold is [`DEFAULT_CR_THRESHOLD`] (0.10) unless set with
/// [`with_threshold`](Self::with_threshold). With the `serde` feature the data serialises
/// (labels as `{"en", "zh"}`).
///
/// # Examples
///
/// ```
/// use service_quality::report::WeightTable;
/// use service_quality::{IndicatorTree, Judgements, Language, NodeSpec};
///
/// let tree = IndicatorTree::new(
///     NodeSpec::group("goal", "Service", vec![
///         NodeSpec::leaf("speed", "Speed").with_label_zh("速度"),
///         NodeSpec::leaf("attitude", "Attitude").with_label_zh("态度"),
///         NodeSpec::leaf("skill", "Skill").with_label_zh("专业"),
///     ])
///     .with_judgements(Judgements::Upper(vec![2.0, 4.0, 2.0])), // consistent
/// )?;
/// let table = WeightTable::new(&tree);
/// let goal = &table.judged()[0];
/// assert!((goal.children()[0].weight() - 4.0 / 7.0).abs() < 1e-12);
/// assert!(goal.passes());
/// let md = table.matrix_table(goal)?.markdown(Language::Zh);
/// assert!(md.contains("| 速度    | 1.0000 | 2.0000 | 4.0000 | 0.5714 |"), "{md}");
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WeightTable {
    method: PriorityMethod,
    ri_table: RandomIndexKind,
    threshold: f64,
    judged: Vec<JudgedNode>,
    indicators: Vec<IndicatorWeight>,
    levels: Vec<LevelConsistency>,
}

impl WeightTable {
    /// The weight table of `tree`, judged against [`DEFAULT_CR_THRESHOLD`].
    pub fn new(tree: &IndicatorTree) -> Self {
        let judged = tree
            .nodes()
            .filter_map(|node| {
                let (matrix, priorities) = (node.judgements()?, node.priorities()?);
                let children = node
                    .children()
                    .zip(priorities.weights().as_slice())
                    .map(|(child, &weight)| JudgedChild {
                        id: child.id().to_owned(),
                        label: node_text(child),
                        weight,
                    })
                    .collect();
                let consistency = *priorities.consistency();
                Some(JudgedNode {
                    id: node.id().to_owned(),
                    path: node.path().to_owned(),
                    label: node_text(node),
                    depth: node.depth(),
                    global_weight: node.global_weight(),
                    children,
                    matrix: matrix.to_rows(),
                    passes: consistency.is_acceptable(DEFAULT_CR_THRESHOLD),
                    consistency,
                })
            })
            .collect();
        let indicators = tree
            .leaves()
            .map(|leaf| IndicatorWeight {
                id: leaf.id().to_owned(),
                path: leaf.path().to_owned(),
                label: node_text(leaf),
                parent: leaf.parent().map(node_text).unwrap_or_default(),
                local_weight: leaf.local_weight(),
                global_weight: leaf.global_weight(),
            })
            .collect();
        Self {
            method: tree.options().method(),
            ri_table: tree.options().random_index().kind(),
            threshold: DEFAULT_CR_THRESHOLD,
            judged,
            indicators,
            levels: tree.overall_consistency(),
        }
    }

    /// Judges every CR against `threshold` instead of 0.10.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`] when `threshold` is NaN, infinite or `<= 0`.
    pub fn with_threshold(mut self, threshold: f64) -> Result<Self> {
        if !(threshold > 0.0 && threshold.is_finite()) {
            return Err(ArgumentError::InvalidParameter {
                name: Parameter::Threshold,
                value: threshold,
            }
            .into());
        }
        self.threshold = threshold;
        for node in &mut self.judged {
            node.passes = node.consistency.is_acceptable(threshold);
        }
        Ok(self)
    }

    /// The priority method of the weights.
    pub fn method(&self) -> PriorityMethod {
        self.method
    }

    /// The random index table of every RI and CR.
    pub fn ri_table(&self) -> RandomIndexKind {
        self.ri_table
    }

    /// The CR threshold.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The pairwise-judged nodes, preorder.
    pub fn judged(&self) -> &[JudgedNode] {
        &self.judged
    }

    /// Every indicator, preorder.
    pub fn indicators(&self) -> &[IndicatorWeight] {
        &self.indicators
    }

    /// The overall consistency of every level with judged nodes, from the goal down.
    pub fn levels(&self) -> &[LevelConsistency] {
        &self.levels
    }

    /// The note naming the method, the RI table and the threshold.
    fn method_note(&self) -> Text {
        let method = match self.method {
            PriorityMethod::Eigenvector => ("principal eigenvector", "特征向量法"),
            PriorityMethod::GeometricMean => ("row geometric mean", "方根法"),
            _ => ("normalised column average", "和积法"),
        };
        let ri = ri_table_name(self.ri_table);
        Text::bilingual(
            format!(
                "Weights by the {} method; RI from {}; a CR below {} passes.",
                method.0,
                ri.get(crate::Language::En),
                self.threshold
            ),
            format!(
                "权重:{};RI 取自 {};CR < {} 为通过。",
                method.1,
                ri.get(crate::Language::Zh),
                self.threshold
            ),
        )
    }

    /// The matrix of one judged node: a row per child with its entries and local weight; the
    /// consistency figures in the notes.
    ///
    /// # Errors
    ///
    /// Only those of [`Table::push_row`], which finite weights and entries never raise.
    pub fn matrix_table(&self, node: &JudgedNode) -> Result<Table> {
        let mut columns = vec![Column::new(node.label.clone(), Align::Left)];
        columns.extend(
            node.children
                .iter()
                .map(|c| Column::new(c.label.clone(), Align::Right)),
        );
        columns.push(column("Weight", "权重", Align::Right));
        let mut table = Table::new(
            Text::bilingual(
                format!(
                    "Judgement matrix: {} ({})",
                    node.label.get(crate::Language::En),
                    node.path
                ),
                format!(
                    "判断矩阵:{}({})",
                    node.label.get(crate::Language::Zh),
                    node.path
                ),
            ),
            columns,
        )?;
        for (child, row) in node.children.iter().zip(&node.matrix) {
            let mut cells = vec![Cell::text(child.label.clone())];
            cells.extend(row.iter().map(|&a| Cell::number(a, DECIMALS)));
            cells.push(Cell::number(child.weight, DECIMALS));
            table.push_row(cells)?;
        }
        let c = &node.consistency;
        let ri = ri_table_name(c.ri_table());
        let passes = verdict(node.passes);
        table.push_note(Text::bilingual(
            format!(
                "lambda_max = {:.4}, CI = {:.4}, RI = {:.2} ({}), CR = {:.4}: {}",
                c.lambda_max(),
                c.ci(),
                c.ri(),
                ri.get(crate::Language::En),
                c.cr(),
                passes.get(crate::Language::En)
            ),
            format!(
                "λmax = {:.4},CI = {:.4},RI = {:.2}({}),CR = {:.4}:{}",
                c.lambda_max(),
                c.ci(),
                c.ri(),
                ri.get(crate::Language::Zh),
                c.cr(),
                passes.get(crate::Language::Zh)
            ),
        ));
        Ok(table)
    }

    /// One row per judged node: `n`, `lambda_max`, `CI`, `RI`, `CR` and the verdict.
    ///
    /// # Errors
    ///
    /// Only those of [`Table::push_row`], which finite figures never raise.
    pub fn consistency_table(&self) -> Result<Table> {
        let mut table = Table::new(
            Text::bilingual(
                "Consistency of each judgement matrix",
                "各判断矩阵的一致性检验",
            ),
            vec![
                column("Node", "节点", Align::Left),
                column("Path", "路径", Align::Left),
                column("n", "阶数", Align::Right),
                column("lambda_max", "λmax", Align::Right),
                column("CI", "CI", Align::Right),
                column("RI", "RI", Align::Right),
                column("CR", "CR", Align::Right),
                column("Result", "结论", Align::Left),
            ],
        )?;
        for node in &self.judged {
            let c = &node.consistency;
            table.push_row(vec![
                Cell::text(node.label.clone()),
                Cell::text(node.path.as_str()),
                Cell::count(c.n()),
                Cell::number(c.lambda_max(), DECIMALS),
                Cell::number(c.ci(), DECIMALS),
                Cell::number(c.ri(), DECIMALS),
                Cell::number(c.cr(), DECIMALS),
                Cell::text(verdict(node.passes)),
            ])?;
        }
        table.push_note(self.method_note());
        Ok(table)
    }

    /// One row per indicator: the node it belongs to, its local and its global weight.
    ///
    /// # Errors
    ///
    /// Only those of [`Table::push_row`], which finite weights never raise.
    pub fn indicator_table(&self) -> Result<Table> {
        let mut table = Table::new(
            Text::bilingual("Indicator weights", "指标权重"),
            vec![
                column("Indicator", "指标", Align::Left),
                column("Belongs to", "所属", Align::Left),
                column("Local weight", "局部权重", Align::Right),
                column("Global weight", "全局权重", Align::Right),
            ],
        )?;
        for leaf in &self.indicators {
            table.push_row(vec![
                Cell::text(leaf.label.clone()),
                Cell::text(leaf.parent.clone()),
                Cell::number(leaf.local_weight, DECIMALS),
                Cell::number(leaf.global_weight, DECIMALS),
            ])?;
        }
        table.push_note(self.method_note());
        Ok(table)
    }

    /// One row per level with judged nodes: `sum a_j CI_j`, `sum a_j RI_j`, the level's CR,
    /// the cumulative CR and the verdict of the level's CR.
    ///
    /// # Errors
    ///
    /// Only those of [`Table::push_row`], which finite figures never raise.
    pub fn overall_table(&self) -> Result<Table> {
        let mut table = Table::new(
            Text::bilingual(
                "Overall consistency of the hierarchy",
                "层次总排序一致性检验",
            ),
            vec![
                column("Depth", "层级", Align::Right),
                column("Judged nodes", "判断矩阵", Align::Left),
                column("sum a_j CI_j", "Σ a_j CI_j", Align::Right),
                column("sum a_j RI_j", "Σ a_j RI_j", Align::Right),
                column("CR", "CR", Align::Right),
                column("Cumulative CR", "累计 CR", Align::Right),
                column("Result", "结论", Align::Left),
            ],
        )?;
        for level in &self.levels {
            table.push_row(vec![
                Cell::count(level.depth()),
                Cell::text(level.nodes().join(", ")),
                Cell::number(level.ci(), DECIMALS),
                Cell::number(level.ri(), DECIMALS),
                Cell::number(level.cr(), DECIMALS),
                Cell::number(level.cumulative_cr(), DECIMALS),
                Cell::text(verdict(level.is_acceptable(self.threshold))),
            ])?;
        }
        table.push_note(Text::bilingual(
            "CR = sum_j a_j CI_j / sum_j a_j RI_j over the judged nodes j at one depth (depth 0 = the goal), a_j the node's global weight; the cumulative CR adds the levels from the goal down.",
            "CR = Σ a_j CI_j / Σ a_j RI_j,j 为同一层级的判断矩阵(层级 0 为目标层),a_j 为其全局权重;累计 CR 为自目标层向下各层 CR 之和。",
        ));
        table.push_note(self.method_note());
        Ok(table)
    }

    /// Every table: each judged node's matrix, the consistency of every matrix, the indicator
    /// weights and the overall consistency.
    ///
    /// # Errors
    ///
    /// As the single tables.
    pub fn tables(&self) -> Result<Vec<Table>> {
        let mut tables = self
            .judged
            .iter()
            .map(|node| self.matrix_table(node))
            .collect::<Result<Vec<_>>>()?;
        tables.push(self.consistency_table()?);
        tables.push(self.indicator_table()?);
        tables.push(self.overall_table()?);
        Ok(tables)
    }
}
