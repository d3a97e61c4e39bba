//! Every analysis result as a [`Table`]: the tables a paper's "questionnaire and data" section
//! prints, in English or Chinese, as aligned text, Markdown, CSV or JSON
//! ([`Table::render`]).
//!
//! Numbers are rounded (3 decimals; 1 for chi-square and percentages) only in the text and
//! Markdown forms; CSV and JSON keep every digit. A statistic that is undefined (`None` in the
//! result) is an empty cell. Variables are named through [`Labels`]: the hierarchy's English
//! and Chinese labels, or the ids.

use crate::error::Result;
use crate::hierarchy::IndicatorTree;
use crate::report::{Align, Cell, Column, Table, Text};

use super::cluster::{ClusterCount, Clustering};
use super::correlation::{CorrelationMatrix, CorrelationMethod};
use super::descriptive::VariableSummary;
use super::reliability::{DimensionReliability, MissingPolicy, Reliability};
use super::trend::{moving_average, period_changes, relative_changes, LinearTrend, MannKendall};
use super::validity::{FactorAnalysis, FactorAssignment, SamplingAdequacy, StructureValidity};

/// Digits after the point of statistics in the text and Markdown forms.
const DECIMALS: u8 = 3;

/// How tables name variables: by the labels of an indicator tree (English and Chinese), by
/// names given here, or by their ids.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::Labels;
/// use service_quality::report::Text;
/// use service_quality::Language;
///
/// let labels = Labels::ids().with("t", Text::bilingual("handling time", "处理时长"));
/// assert_eq!(labels.get("t").get(Language::Zh), "处理时长");
/// assert_eq!(labels.get("q1").get(Language::Zh), "q1");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Labels<'a> {
    tree: Option<&'a IndicatorTree>,
    named: Vec<(String, Text)>,
}

impl<'a> Labels<'a> {
    /// Variables named by their ids.
    pub fn ids() -> Self {
        Self::default()
    }

    /// Variables named by the labels of `tree`'s node of the same id (English, and Chinese
    /// where the node has a Chinese label), other variables by their ids.
    pub fn from_tree(tree: &'a IndicatorTree) -> Self {
        Self {
            tree: Some(tree),
            named: Vec::new(),
        }
    }

    /// Names variable `id` `name` (before the tree's label).
    #[must_use]
    pub fn with(mut self, id: impl Into<String>, name: Text) -> Self {
        self.named.push((id.into(), name));
        self
    }

    /// The name of variable `id`.
    pub fn get(&self, id: &str) -> Text {
        if let Some((_, name)) = self.named.iter().find(|(i, _)| i == id) {
            return name.clone();
        }
        match self.tree.and_then(|t| t.get(id)) {
            Some(node) => Text::with_optional_zh(node.label(), node.label_zh()),
            None => Text::new(id),
        }
    }
}

fn t(en: &str, zh: &str) -> Text {
    Text::bilingual(en, zh)
}

fn left(en: &str, zh: &str) -> Column {
    Column::new(t(en, zh), Align::Left)
}

fn right(en: &str, zh: &str) -> Column {
    Column::new(t(en, zh), Align::Right)
}

fn num(x: f64) -> Cell {
    Cell::number(x, DECIMALS)
}

fn opt(x: Option<f64>) -> Cell {
    x.map_or(Cell::Empty, num)
}

fn count(n: u64) -> Cell {
    Cell::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

fn yes_no(b: bool) -> Cell {
    Cell::text(if b { t("yes", "是") } else { t("no", "否") })
}

/// The 1-based factor name `F1`, `F2`, … of a 0-based factor.
fn factor_name(k: usize) -> Text {
    Text::new(format!("F{}", k + 1))
}

/// The significance stars papers print beside a coefficient: `***` for p < .001, `**` for
/// p < .01, `*` for p < .05, nothing otherwise (or for NaN).
///
/// # Examples
///
/// ```
/// use service_quality::analysis::significance_stars;
///
/// assert_eq!(significance_stars(0.0004), "***");
/// assert_eq!(significance_stars(0.01), "*");
/// assert_eq!(significance_stars(0.05), "");
/// ```
pub fn significance_stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else {
        ""
    }
}

/// The descriptive-statistics table: one row per variable with n, missing, mean, SD, median,
/// minimum, maximum, skewness and excess kurtosis (SPSS's G1 and G2), and, for graded
/// summaries ([`describe_graded`](super::describe_graded)), mean and SD on the grade values.
///
/// # Errors
///
/// None in practice (every statistic is finite); the [`Table`] errors if not.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{describe, descriptive_table, Labels, Responses};
/// use service_quality::Language;
///
/// let t = Responses::new(vec!["q1".into()], vec![vec![Some(4.0)], vec![Some(2.0)], vec![None]])?;
/// let table = descriptive_table(&describe(&t), &Labels::ids())?;
/// assert_eq!(table.csv(Language::En).lines().nth(1), Some("q1,2,1,3,1.4142135623730951,3,2,4,,"));
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn descriptive_table(summaries: &[VariableSummary], labels: &Labels) -> Result<Table> {
    let graded = summaries.iter().any(|s| s.values().is_some());
    let mut columns = vec![
        left("Variable", "变量"),
        right("n", "n"),
        right("Missing", "缺失"),
        right("Mean", "均值"),
        right("SD", "标准差"),
        right("Median", "中位数"),
        right("Min", "最小值"),
        right("Max", "最大值"),
        right("Skewness", "偏度"),
        right("Kurtosis", "峰度"),
    ];
    if graded {
        columns.push(right("Mean (grade values)", "均值（等级分值）"));
        columns.push(right("SD (grade values)", "标准差（等级分值）"));
    }
    let mut table = Table::new(t("Descriptive statistics", "描述性统计"), columns)?;
    for s in summaries {
        let mut row = vec![
            Cell::text(labels.get(s.id())),
            count(s.codes().map_or(0, |c| c.n())),
            count(s.missing()),
        ];
        match s.codes() {
            Some(c) => row.extend([
                num(c.mean()),
                opt(c.sd()),
                num(c.median()),
                num(c.min()),
                num(c.max()),
                opt(c.skewness_spss()),
                opt(c.kurtosis_spss()),
            ]),
            None => row.extend(vec![Cell::Empty; 7]),
        }
        if graded {
            let v = s.values();
            row.extend([opt(v.map(|v| v.mean())), opt(v.and_then(|v| v.sd()))]);
        }
        table.push_row(row)?;
    }
    table.push_note(t(
        "SD with divisor n − 1; skewness G1 and excess kurtosis G2 are the bias-adjusted estimators SPSS reports; an empty cell is undefined (too few answers or no spread).",
        "标准差除以 n − 1；偏度 G1 与超额峰度 G2 为 SPSS 所用的偏差校正估计量；空单元格表示无定义（回答过少或无变异）。",
    ));
    Ok(table)
}

/// The frequency table of one variable: each code with its count and valid percentage.
///
/// # Errors
///
/// None in practice; the [`Table`] errors if a value is not finite.
pub fn frequency_table(summary: &VariableSummary, labels: &Labels) -> Result<Table> {
    let name = labels.get(summary.id());
    let title = Text::bilingual(
        format!("Frequencies: {}", name.get(crate::Language::En)),
        format!("频数：{}", name.get(crate::Language::Zh)),
    );
    let mut table = Table::new(
        title,
        vec![
            right("Code", "编码"),
            right("Count", "频数"),
            right("Valid %", "有效百分比"),
        ],
    )?;
    for f in summary.frequencies() {
        table.push_row(vec![
            Cell::number(f.code(), 0),
            count(f.count()),
            Cell::number(f.valid_percent(), 1),
        ])?;
    }
    table.push_note(Text::bilingual(
        format!("Missing: {}.", summary.missing()),
        format!("缺失：{}。", summary.missing()),
    ));
    Ok(table)
}

fn policy_note(policy: MissingPolicy) -> Text {
    match policy {
        MissingPolicy::Pairwise => t(
            "Missing answers: pairwise (each covariance over the respondents who answered both items).",
            "缺失处理：成对删除（每个协方差使用同时回答两题的受访者）。",
        ),
        _ => t(
            "Missing answers: listwise (only respondents who answered every item of the scale).",
            "缺失处理：列删除（仅使用回答了该量表全部题项的受访者）。",
        ),
    }
}

impl Reliability {
    /// The item table of this scale: each item's corrected item-total correlation and the
    /// alpha if it were deleted; alpha, standardised alpha and split-half in the notes.
    ///
    /// # Errors
    ///
    /// None in practice; the [`Table`] errors if a value is not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::analysis::{Labels, MissingPolicy, Reliability, Responses};
    /// use service_quality::Language;
    ///
    /// let t = Responses::new(
    ///     vec!["a".into(), "b".into(), "c".into()],
    ///     vec![vec![Some(1.0), Some(2.0), Some(2.0)], vec![Some(3.0), Some(3.0), Some(4.0)],
    ///          vec![Some(4.0), Some(5.0), Some(4.0)], vec![Some(2.0), Some(1.0), Some(1.0)]],
    /// )?;
    /// let table = Reliability::of(&t, MissingPolicy::Listwise)?.table(&Labels::ids())?;
    /// assert_eq!(table.rows().len(), 3);
    /// assert!(table.markdown(Language::Zh).contains("删除该项后的 α"));
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn table(&self, labels: &Labels) -> Result<Table> {
        let mut table = Table::new(
            t("Item statistics", "题项统计"),
            vec![
                left("Item", "题项"),
                right("Corrected item-total r", "校正的项总计相关性"),
                right("α if item deleted", "删除该项后的 α"),
            ],
        )?;
        for (i, item) in self.items().iter().enumerate() {
            table.push_row(vec![
                Cell::text(labels.get(item)),
                opt(self.item_total()[i]),
                opt(self.alpha_if_deleted()[i]),
            ])?;
        }
        let f = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |x| format!("{x:.3}"));
        let (a, s, h, sb) = (
            f(Some(self.alpha())),
            f(self.alpha_standardized()),
            f(self.split_half()),
            f(self.spearman_brown()),
        );
        let n = self.respondents();
        table.push_note(Text::bilingual(
            format!("Cronbach's α = {a}, standardised α = {s}, split-half r = {h}, Spearman–Brown = {sb}; n = {n}."),
            format!("Cronbach's α = {a}，标准化 α = {s}，折半相关 r = {h}，Spearman–Brown 系数 = {sb}；n = {n}。"),
        ));
        table.push_note(policy_note(self.policy()));
        Ok(table)
    }
}

/// The reliability summary: the whole scale (when given, named `overall`) and each dimension,
/// with items, n, alpha, standardised alpha and the Spearman–Brown split-half coefficient.
///
/// # Errors
///
/// None in practice; the [`Table`] errors if a value is not finite.
pub fn reliability_table(
    overall: Option<(Text, &Reliability)>,
    dimensions: &[DimensionReliability],
    labels: &Labels,
) -> Result<Table> {
    let mut table = Table::new(
        t("Reliability (Cronbach's α)", "信度（Cronbach's α）"),
        vec![
            left("Scale", "量表"),
            right("Items", "题项数"),
            right("n", "n"),
            right("α", "α"),
            right("Standardised α", "标准化 α"),
            right("Spearman–Brown", "Spearman–Brown 系数"),
        ],
    )?;
    let scales = overall.into_iter().chain(
        dimensions
            .iter()
            .map(|d| (labels.get(d.dimension()), d.reliability())),
    );
    let mut policy = None;
    for (name, r) in scales {
        policy = Some(r.policy());
        table.push_row(vec![
            Cell::text(name),
            Cell::count(r.items().len()),
            Cell::count(r.respondents()),
            num(r.alpha()),
            opt(r.alpha_standardized()),
            opt(r.spearman_brown()),
        ])?;
    }
    if let Some(p) = policy {
        table.push_note(policy_note(p));
    }
    Ok(table)
}

/// The item table of every dimension: dimension, item, corrected item-total correlation and
/// alpha if item deleted (each within its own dimension).
///
/// # Errors
///
/// None in practice; the [`Table`] errors if a value is not finite.
pub fn reliability_items_table(
    dimensions: &[DimensionReliability],
    labels: &Labels,
) -> Result<Table> {
    let mut table = Table::new(
        t("Item statistics per dimension", "各维度题项统计"),
        vec![
            left("Dimension", "维度"),
            left("Item", "题项"),
            right("Corrected item-total r", "校正的项总计相关性"),
            right("α if item deleted", "删除该项后的 α"),
        ],
    )?;
    for d in dimensions {
        let r = d.reliability();
        for (i, item) in r.items().iter().enumerate() {
            table.push_row(vec![
                Cell::text(labels.get(d.dimension())),
                Cell::text(labels.get(item)),
                opt(r.item_total()[i]),
                opt(r.alpha_if_deleted()[i]),
            ])?;
        }
    }
    Ok(table)
}

impl SamplingAdequacy {
    /// The "KMO and Bartlett's test" table as SPSS prints it: KMO, Bartlett's chi-square, df
    /// and p, with the number of respondents.
    ///
    /// # Errors
    ///
    /// None in practice; the [`Table`] errors if a value is not finite.
    pub fn table(&self) -> Result<Table> {
        let mut table = Table::new(
            t("KMO and Bartlett's test", "KMO 和 Bartlett 检验"),
            vec![left("Statistic", "统计量"), right("Value", "值")],
        )?;
        let rows = [
            (
                t(
                    "Kaiser–Meyer–Olkin measure of sampling adequacy",
                    "KMO 取样适切性量数",
                ),
                num(self.kmo()),
            ),
            (
                t(
                    "Bartlett's test: approx. chi-square",
                    "Bartlett 球形检验：近似卡方",
                ),
                Cell::number(self.bartlett_chi_square(), 1),
            ),
            (
                t("Bartlett's test: df", "Bartlett 球形检验：自由度"),
                Cell::count(self.bartlett_df()),
            ),
            (
                t("Bartlett's test: p", "Bartlett 球形检验：显著性 p"),
                num(self.bartlett_p()),
            ),
            (
                t("Respondents (complete answers)", "受访者（答全）"),
                Cell::count(self.respondents()),
            ),
        ];
        for (name, value) in rows {
            table.push_row(vec![Cell::text(name), value])?;
        }
        Ok(table)
    }

    /// Each item's measure of sampling adequacy (the diagonal of SPSS's anti-image matrix).
    ///
    /// # Errors
    ///
    /// None in practice; the [`Table`] errors if a value is not finite.
    pub fn msa_table(&self, labels: &Labels) -> Result<Table> {
        let mut table = Table::new(
            t(
                "Measure of sampling adequacy per item",
                "各题项取样适切性量数（MSA）",
            ),
            vec![left("Item", "题项"), right("MSA", "MSA")],
        )?;
        for (item, msa) in self.items().iter().zip(self.msa()) {
            table.push_row(vec![Cell::text(labels.get(item)), num(*msa)])?;
        }
        Ok(table)
    }
}

impl FactorAnalysis {
    /// The "total variance explained" table: each component's eigenvalue, % of variance and
    /// cumulative %, and for the factors kept the rotated sums of squared loadings.
    ///
    /// # Errors
    ///
    /// None in practice; the [`Table`] errors if a value is not finite.
    pub fn variance_table(&self) -> Result<Table> {
        let mut table = Table::new(
            t("Total variance explained", "总方差解释"),
            vec![
                left("Component", "成分"),
                right("Eigenvalue", "特征值"),
                right("% of variance", "方差百分比"),
                right("Cumulative %", "累积百分比"),
                right("Rotated SS loadings", "旋转载荷平方和"),
                right("Rotated % of variance", "旋转后方差百分比"),
            ],
        )?;
        let p = self.items().len() as f64;
        for (k, eigenvalue) in self.eigenvalues().iter().enumerate() {
            let rotated = self.rotated_variance().get(k).copied();
            table.push_row(vec![
                Cell::text(Text::new((k + 1).to_string())),
                num(*eigenvalue),
                Cell::number(100.0 * self.variance_explained()[k], 1),
                Cell::number(100.0 * self.cumulative_variance()[k], 1),
                opt(rotated),
                rotated.map_or(Cell::Empty, |v| Cell::number(100.0 * v / p, 1)),
            ])?;
        }
        table.push_note(Text::bilingual(
            format!("Principal components of the correlation matrix; {} kept, varimax rotation (Kaiser normalisation); n = {}.", self.factors(), self.respondents()),
            format!("相关矩阵的主成分；保留 {} 个，方差最大正交旋转（Kaiser 标准化）；n = {}。", self.factors(), self.respondents()),
        ));
        Ok(table)
    }

    /// The loading table: each item's loadings on the factors kept (varimax-rotated when
    /// `rotated`, else unrotated) and its communality.
    ///
    /// # Errors
    ///
    /// None in practice; the [`Table`] errors if a value is not finite.
    pub fn loadings_table(&self, labels: &Labels, rotated: bool) -> Result<Table> {
        let title = if rotated {
            t("Rotated component matrix", "旋转后的成分矩阵")
        } else {
            t("Component matrix", "成分矩阵")
        };
        let mut columns = vec![left("Item", "题项")];
        columns.extend((0..self.factors()).map(|k| Column::new(factor_name(k), Align::Right)));
        columns.push(right("Communality", "共同度"));
        let mut table = Table::new(title, columns)?;
        let loadings = if rotated {
            self.rotated_loadings()
        } else {
            self.loadings()
        };
        for (i, item) in self.items().iter().enumerate() {
            let mut row = vec![Cell::text(labels.get(item))];
            row.extend(loadings[i].iter().map(|&l| num(l)));
            row.push(num(self.communalities()[i]));
            table.push_row(row)?;
        }
        Ok(table)
    }
}

impl StructureValidity {
    /// The structure-validity table: each item with its dimension, the factor it loads
    /// highest on and that loading, its dimension's factor and its loading there, and whether
    /// the two agree; the rule that chose the dimensions' factors in the notes.
    ///
    /// # Errors
    ///
    /// None in practice; the [`Table`] errors if a value is not finite.
    pub fn table(&self, labels: &Labels) -> Result<Table> {
        let mut table = Table::new(
            t("Structure validity", "结构效度"),
            vec![
                left("Item", "题项"),
                left("Dimension", "维度"),
                right("Highest-loading factor", "最高载荷因子"),
                right("Its loading", "其载荷"),
                right("Dimension's factor", "维度对应因子"),
                right("Loading on it", "在其上的载荷"),
                left("Matches", "一致"),
            ],
        )?;
        for item in self.items() {
            let own = self
                .dimensions()
                .iter()
                .find(|d| d.dimension() == item.dimension())
                .map(|d| d.factor());
            table.push_row(vec![
                Cell::text(labels.get(item.item())),
                Cell::text(labels.get(item.dimension())),
                Cell::text(factor_name(item.factor())),
                num(item.loading()),
                own.map_or(Cell::Empty, |k| Cell::text(factor_name(k))),
                num(item.own_loading()),
                yes_no(item.matches()),
            ])?;
        }
        let rule = match self.assignment() {
            FactorAssignment::OneToOne => t(
                "Each dimension has a factor of its own (one-to-one assignment: most items on their dimension's factor, then the largest summed loading).",
                "每个维度对应一个不同的因子（一一指派：使落在所属维度因子上的题项最多，其次载荷和最大）。",
            ),
            _ => t(
                "Each dimension's factor is the one most of its items load highest on (dimensions may share a factor).",
                "每个维度的因子为其多数题项载荷最高的因子（不同维度可共用一个因子）。",
            ),
        };
        table.push_note(rule);
        let (m, n) = (self.matches(), self.items().len());
        table.push_note(Text::bilingual(
            format!("{m} of {n} items load highest on their dimension's factor."),
            format!("{n} 个题项中有 {m} 个在所属维度的因子上载荷最高。"),
        ));
        Ok(table)
    }
}

fn method_name(method: CorrelationMethod) -> Text {
    match method {
        CorrelationMethod::Spearman => t("Spearman's rho", "Spearman 相关系数"),
        CorrelationMethod::KendallTauB => t("Kendall's tau-b", "Kendall tau-b 相关系数"),
        _ => t("Pearson's r", "Pearson 相关系数"),
    }
}

impl CorrelationMatrix {
    /// The correlation matrix as papers print it: the lower triangle, each coefficient to 3
    /// decimals with its significance stars (`*` p < .05, `**` p < .01, `***` p < .001), 1 on
    /// the diagonal, an empty cell where undefined. The cells are text; [`pairs_table`] has
    /// the full-precision numbers.
    ///
    /// [`pairs_table`]: Self::pairs_table
    ///
    /// # Errors
    ///
    /// None in practice; the [`Table`] errors if a value is not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::analysis::{CorrelationMatrix, CorrelationMethod, Labels, Responses};
    /// use service_quality::Language;
    ///
    /// let t = Responses::new(
    ///     vec!["x".into(), "y".into()],
    ///     (1..=10).map(|i| vec![Some(f64::from(i)), Some(f64::from(i * i))]).collect(),
    /// )?;
    /// let m = CorrelationMatrix::of(&t, CorrelationMethod::Pearson);
    /// assert!(m.table(&Labels::ids())?.text(Language::En).contains("0.975***"));
    /// assert_eq!(m.pairs_table(&Labels::ids())?.rows().len(), 1);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn table(&self, labels: &Labels) -> Result<Table> {
        let mut columns = vec![left("Variable", "变量")];
        columns.extend(
            self.ids()
                .iter()
                .map(|id| Column::new(labels.get(id), Align::Right)),
        );
        let mut table = Table::new(method_name(self.method()), columns)?;
        for i in 0..self.len() {
            let mut row = vec![Cell::text(labels.get(&self.ids()[i]))];
            row.extend((0..self.len()).map(|j| match j {
                j if j == i => Cell::text(Text::new("1")),
                j if j > i => Cell::Empty,
                j => match (self.r(i, j), self.p(i, j)) {
                    (Some(r), Some(p)) => {
                        Cell::text(Text::new(format!("{r:.3}{}", significance_stars(p))))
                    }
                    (Some(r), None) => Cell::text(Text::new(format!("{r:.3}"))),
                    _ => Cell::Empty,
                },
            }));
            table.push_row(row)?;
        }
        table.push_note(t(
            "Two-sided: * p < .05, ** p < .01, *** p < .001; pairwise-complete over missing values.",
            "双侧检验：* p < .05，** p < .01，*** p < .001；缺失值成对删除。",
        ));
        Ok(table)
    }

    /// Every pair of variables with n, the coefficient and its two-sided p-value, at full
    /// precision (for CSV and JSON).
    ///
    /// # Errors
    ///
    /// None in practice; the [`Table`] errors if a value is not finite.
    pub fn pairs_table(&self, labels: &Labels) -> Result<Table> {
        let mut table = Table::new(
            method_name(self.method()),
            vec![
                left("Variable 1", "变量 1"),
                left("Variable 2", "变量 2"),
                right("n", "n"),
                right("Coefficient", "相关系数"),
                right("p (two-sided)", "p（双侧）"),
            ],
        )?;
        for i in 0..self.len() {
            for j in 0..i {
                table.push_row(vec![
                    Cell::text(labels.get(&self.ids()[i])),
                    Cell::text(labels.get(&self.ids()[j])),
                    self.n(i, j).map_or(Cell::Empty, Cell::count),
                    opt(self.r(i, j)),
                    opt(self.p(i, j)),
                ])?;
            }
        }
        Ok(table)
    }
}

impl Clustering {
    /// The cluster profiles: each cluster's size and the mean of each variable over its
    /// members (in the table's units); k, the silhouette, the inertia and the options in the
    /// notes.
    ///
    /// # Errors
    ///
    /// None in practice; the [`Table`] errors if a value is not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::analysis::{KMeans, Labels, Responses};
    /// use service_quality::Language;
    ///
    /// let t = Responses::new(
    ///     vec!["speed".into()],
    ///     [1.0, 1.2, 4.0, 4.2].iter().map(|&x| vec![Some(x)]).collect(),
    /// )?;
    /// let table = KMeans::new(2)?.fit(&t)?.table(&Labels::ids())?;
    /// assert_eq!(table.rows().len(), 2);
    /// assert!(table.csv(Language::En).starts_with("Cluster,Size,speed\n"));
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn table(&self, labels: &Labels) -> Result<Table> {
        let mut columns = vec![left("Cluster", "类别"), right("Size", "数量")];
        columns.extend(
            self.variables()
                .iter()
                .map(|id| Column::new(labels.get(id), Align::Right)),
        );
        let mut table = Table::new(t("Cluster profiles (means)", "聚类特征（均值）"), columns)?;
        for (c, profile) in self.profiles().iter().enumerate() {
            let mut row = vec![
                Cell::text(Text::new((c + 1).to_string())),
                Cell::count(profile.size()),
            ];
            row.extend(profile.means().iter().map(|&m| opt(m)));
            table.push_row(row)?;
        }
        let left_out = self.labels().iter().filter(|l| l.is_none()).count();
        let silhouette = self
            .silhouette()
            .map_or_else(|| "–".to_owned(), |s| format!("{s:.3}"));
        let o = self.options();
        let (k, inertia) = (self.clusters(), self.inertia());
        let scaled = o.is_standardized();
        table.push_note(Text::bilingual(
            format!(
                "k-means, k = {k}: silhouette {silhouette}, inertia {inertia:.3}; k-means++ seeding, seed {}, {} restarts; {}; {left_out} rows with a missing value left out.",
                o.seed_value(),
                o.restart_count(),
                if scaled { "variables standardised" } else { "variables not standardised" },
            ),
            format!(
                "k 均值聚类，k = {k}：轮廓系数 {silhouette}，簇内平方和 {inertia:.3}；k-means++ 初始化，种子 {}，重复 {} 次；{}；{left_out} 行有缺失值，未参与聚类。",
                o.seed_value(),
                o.restart_count(),
                if scaled { "变量已标准化" } else { "变量未标准化" },
            ),
        ));
        Ok(table)
    }

    /// Each row's cluster (1-based, empty for a row left out), named by `rows` (for example
    /// the merchants, one per row of the table clustered).
    ///
    /// # Errors
    ///
    /// [`AnalysisError::RowLength`](crate::AnalysisError::RowLength) when `rows` has not one
    /// name per row.
    pub fn members_table<S: AsRef<str>>(&self, rows: &[S]) -> Result<Table> {
        super::check_length(0, self.labels().len(), rows.len())?;
        let mut table = Table::new(
            t("Cluster membership", "聚类归属"),
            vec![left("Row", "行"), right("Cluster", "类别")],
        )?;
        for (name, label) in rows.iter().zip(self.labels()) {
            table.push_row(vec![
                Cell::text(Text::new(name.as_ref())),
                label.map_or(Cell::Empty, |l| Cell::count(l + 1)),
            ])?;
        }
        Ok(table)
    }
}

/// The silhouette and inertia for each k of [`silhouette_by_k`](super::silhouette_by_k), to
/// choose k (the highest silhouette separates best).
///
/// # Errors
///
/// None in practice; the [`Table`] errors if a value is not finite.
pub fn silhouette_table(counts: &[ClusterCount]) -> Result<Table> {
    let mut table = Table::new(
        t(
            "Choosing k: silhouette per number of clusters",
            "选择 k：各聚类数的轮廓系数",
        ),
        vec![
            right("k", "k"),
            right("Silhouette", "轮廓系数"),
            right("Inertia", "簇内平方和"),
        ],
    )?;
    for c in counts {
        table.push_row(vec![
            Cell::count(c.clusters()),
            opt(c.silhouette()),
            num(c.inertia()),
        ])?;
    }
    Ok(table)
}

/// The trend tests of each named series: the linear trend (slope and its p-value) and the
/// Mann–Kendall test (S, Z, p, Kendall's tau) with Sen's slope.
///
/// # Errors
///
/// The errors of [`LinearTrend::of_series`] and [`MannKendall::of_series`] (fewer than 3
/// periods, a value out of range).
///
/// # Examples
///
/// ```
/// use service_quality::analysis::trend_table;
/// use service_quality::report::Text;
///
/// let scores = [4.1, 4.2, 4.2, 4.4, 4.5, 4.4, 4.6];
/// let table = trend_table(&[(Text::new("platform"), &scores[..])])?;
/// assert_eq!(table.rows().len(), 1);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn trend_table(series: &[(Text, &[f64])]) -> Result<Table> {
    let mut table = Table::new(
        t("Trend over periods", "跨期趋势"),
        vec![
            left("Series", "序列"),
            right("Periods", "期数"),
            right("Linear slope", "线性斜率"),
            right("p (slope)", "p（斜率）"),
            right("Mann–Kendall S", "Mann–Kendall S"),
            right("Z", "Z"),
            right("p (MK)", "p（MK）"),
            right("Kendall's tau", "Kendall tau"),
            right("Sen's slope", "Sen 斜率"),
        ],
    )?;
    for (name, values) in series {
        let linear = LinearTrend::of_series(values)?;
        let mk = MannKendall::of_series(values)?;
        table.push_row(vec![
            Cell::text(name.clone()),
            Cell::count(values.len()),
            num(linear.slope()),
            num(linear.p_value()),
            Cell::number(mk.s(), 0),
            num(mk.z()),
            num(mk.p_value()),
            num(mk.tau()),
            num(mk.sen_slope()),
        ])?;
    }
    table.push_note(t(
        "Linear trend: least squares on the period index, two-sided t-test of the slope; Mann–Kendall with the tie correction, two-sided; Sen's slope per period.",
        "线性趋势：对期序号最小二乘回归，斜率双侧 t 检验；Mann–Kendall 检验含结校正，双侧；Sen 斜率为每期变化。",
    ));
    Ok(table)
}

/// One series period by period: the value, the change from the period before (absolute and
/// relative) and the moving average over `window` periods (ending at the period).
///
/// # Errors
///
/// [`AnalysisError::RowLength`](crate::AnalysisError::RowLength) when `periods` has not one
/// name per value, and the errors of [`period_changes`] and [`moving_average`] (no values, a
/// window of 0 or longer than the series, a value out of range).
pub fn period_table<S: AsRef<str>>(periods: &[S], values: &[f64], window: usize) -> Result<Table> {
    super::check_length(0, values.len(), periods.len())?;
    let changes = period_changes(values)?;
    let relative = relative_changes(values)?;
    let averages = moving_average(values, window)?;
    let mut table = Table::new(
        t("Period by period", "逐期变化"),
        vec![
            left("Period", "期间"),
            right("Value", "值"),
            right("Change", "环比变化"),
            right("Change %", "环比变化率 %"),
            Column::new(
                Text::bilingual(
                    format!("Moving average ({window})"),
                    format!("移动平均（{window} 期）"),
                ),
                Align::Right,
            ),
        ],
    )?;
    for (i, (period, value)) in periods.iter().zip(values).enumerate() {
        let change = i.checked_sub(1).and_then(|k| changes.get(k).copied());
        let rel = i
            .checked_sub(1)
            .and_then(|k| relative.get(k).copied().flatten());
        let avg = (i + 1)
            .checked_sub(window)
            .and_then(|k| averages.get(k).copied());
        table.push_row(vec![
            Cell::text(Text::new(period.as_ref())),
            num(*value),
            opt(change),
            rel.map_or(Cell::Empty, |r| Cell::number(100.0 * r, 1)),
            opt(avg),
        ])?;
    }
    Ok(table)
}
