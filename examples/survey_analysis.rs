//! What the "questionnaire and data" section of a paper reports about the bundled survey:
//! descriptive statistics per indicator, Cronbach's alpha overall and per dimension (with
//! alpha-if-deleted and corrected item-total correlations), validity (KMO, Bartlett, the
//! rotated factor loadings against the dimensions), Spearman correlations of the
//! dimension scores (per respondent, and per merchant together with the measured handling
//! time) and, where the data has periods, a trend.
//!
//! It reads `examples/data/survey.csv` (one row per respondent, Chinese grade labels, empty
//! cells missing), codes the answers 很满意 = 5 … 很不满意 = 1, groups the items into the
//! dimensions of `examples/data/after_sales_model.json` and prints Markdown tables.
//!
//! Run with:
//!
//! ```text
//! cargo run --release --example survey_analysis          # English
//! cargo run --release --example survey_analysis -- --zh  # 中文
//! ```
use std::collections::BTreeMap;
use std::path::Path;

use service_quality::analysis::{
    describe, describe_by_merchant, dimension_scores, reliability_by_dimension, CorrelationMatrix,
    CorrelationMethod, FactorAnalysis, FactorCount, MissingPolicy, Reliability, Responses,
    SamplingAdequacy, Summary,
};
use service_quality::{GradeSet, IndicatorTree, Language};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Prints a Markdown table; `header` separates the column names with `|`.
fn table(header: &str, rows: &[Vec<String>]) {
    println!("| {} |", header.replace('|', " | "));
    println!("|{}", "---|".repeat(header.split('|').count()));
    for row in rows {
        println!("| {} |", row.join(" | "));
    }
    println!();
}

/// A statistic to 3 decimals, `–` when undefined.
fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{x:.3}"))
}

/// A p-value as papers print it.
fn p_value(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "<0.001".to_owned(),
        p => num(p),
    }
}

/// The 1–5 code of a cell (5 = 很满意, the best grade); `None` for an empty cell.
fn code(grades: &GradeSet, cell: &str) -> Res<Option<f64>> {
    if cell.trim().is_empty() {
        return Ok(None);
    }
    let grade = grades.index_of(cell).and_then(|i| grades.grade(i));
    let grade = grade.ok_or_else(|| format!("unknown answer {cell:?}"))?;
    Ok(Some(grade.value()))
}

/// The lower triangle of a correlation matrix, `r (p)` per pair, and the range of the pairs' n.
fn print_matrix(m: &CorrelationMatrix, names: &[String], n_label: &str) {
    let header = format!("|{}", names.join("|"));
    let rows: Vec<Vec<String>> = (0..m.len())
        .map(|i| {
            let mut row = vec![names[i].clone()];
            row.extend((0..m.len()).map(|j| match j {
                j if j == i => "1".to_owned(),
                j if j > i => String::new(),
                j => format!("{} ({})", num(m.r(i, j)), p_value(m.p(i, j))),
            }));
            row
        })
        .collect();
    table(&header, &rows);
    let pairs = (0..m.len()).flat_map(|i| (0..i).filter_map(move |j| m.n(i, j)));
    let (min, max) = pairs.fold((usize::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)));
    println!("{n_label}: {min}–{max}\n");
}

fn main() -> Res<()> {
    let zh = std::env::args().skip(1).any(|a| a == "--zh");
    let t = |en: &'static str, cn: &'static str| if zh { cn } else { en };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let lang = if zh { Language::Zh } else { Language::En };
    let note = |en: &str, cn: &str| println!("{}\n", if zh { cn } else { en });
    let model = std::fs::read_to_string(data.join("after_sales_model.json"))?;
    let tree = IndicatorTree::from_json(&model)?;
    let label = |id: &str| match tree.get(id) {
        Some(node) if zh => node.label_zh().unwrap_or(node.label()).to_owned(),
        Some(node) => node.label().to_owned(),
        None => id.to_owned(),
    };

    // the answers: rows = respondents, columns = indicators, codes 1..5
    let grades = GradeSet::satisfaction_5_points();
    let mut reader = csv::Reader::from_path(data.join("survey.csv"))?;
    let survey_columns: Vec<String> = reader.headers()?.iter().map(String::from).collect();
    let (mut merchants, mut rows) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record?;
        merchants.push(record[0].to_owned());
        let cells = record.iter().skip(2).map(|cell| code(&grades, cell));
        rows.push(cells.collect::<Res<Vec<_>>>()?);
    }
    let answers = Responses::new(survey_columns[2..].to_vec(), rows)?;
    let coding: Vec<String> = grades
        .grades()
        .iter()
        .map(|g| format!("{} = {}", g.display_label(lang), g.value()))
        .collect();
    println!("# {}\n", t("Questionnaire and data", "问卷与数据"));
    let (n, k, coding) = (answers.len(), answers.variable_count(), coding.join(", "));
    if zh {
        println!("问卷：{n} 名受访者，{k} 项指标；编码：{coding}。\n");
    } else {
        println!("Survey: {n} respondents, {k} indicators; coding: {coding}.\n");
    }

    // 1. descriptive statistics per indicator
    println!("## 1. {}\n", t("Descriptive statistics", "描述性统计"));
    note(
        "SD with divisor n − 1; skewness G1 and excess kurtosis G2 are the bias-adjusted estimators SPSS reports.",
        "标准差除以 n − 1；偏度 G1 与超额峰度 G2 为 SPSS 所用的偏差校正估计量。",
    );
    let stats = |s: &Summary| {
        let (sd, skew, kurt) = (s.sd(), s.skewness_spss(), s.kurtosis_spss());
        let [mean, median, min, max] = [s.mean(), s.median(), s.min(), s.max()].map(Some);
        [mean, sd, median, min, max, skew, kurt]
    };
    let rows: Vec<Vec<String>> = describe(&answers)
        .iter()
        .map(|v| {
            let n = v.codes().map_or(0, Summary::n);
            let mut row = vec![label(v.id()), n.to_string(), v.missing().to_string()];
            row.extend(v.codes().map_or([None; 7], stats).map(num));
            row
        })
        .collect();
    table(
        t(
            "indicator|n|missing|mean|SD|median|min|max|skewness|kurtosis",
            "指标|n|缺失|均值|标准差|中位数|最小值|最大值|偏度|峰度",
        ),
        &rows,
    );

    // 2. reliability: the whole questionnaire, then each dimension with its items
    println!(
        "## 2. {}\n",
        t("Reliability (Cronbach's alpha)", "信度（Cronbach's α）")
    );
    let policy = MissingPolicy::Listwise;
    note(
        "Listwise: only respondents who answered every item of the scale.",
        "列删除：仅使用回答了该量表全部题项的受访者。",
    );
    let overall = Reliability::of(&answers, policy)?;
    let dims = reliability_by_dimension(&tree, &answers, policy)?;
    let scale = |name: String, r: &Reliability| {
        let (k, n) = (r.items().len(), r.respondents());
        let [alpha, standardized] = [Some(r.alpha()), r.alpha_standardized()].map(num);
        vec![name, k.to_string(), n.to_string(), alpha, standardized]
    };
    let whole = t("whole questionnaire", "整体问卷").to_owned();
    let mut rows = vec![scale(whole, &overall)];
    rows.extend(
        dims.iter()
            .map(|d| scale(label(d.dimension()), d.reliability())),
    );
    table(
        t("scale|items|n|α|standardised α", "量表|题项数|n|α|标准化 α"),
        &rows,
    );
    let mut rows = Vec::new();
    for d in &dims {
        let r = d.reliability();
        for (i, item) in r.items().iter().enumerate() {
            let (cr, aid) = (r.item_total()[i], r.alpha_if_deleted()[i]);
            rows.push(vec![label(d.dimension()), label(item), num(cr), num(aid)]);
        }
    }
    table(
        t(
            "dimension|item|corrected item-total r|α if item deleted",
            "维度|题项|校正的项总计相关性|删除该项后的 α",
        ),
        &rows,
    );

    // 3. validity: KMO and Bartlett, principal components with varimax, one factor per dimension
    println!("## 3. {}\n", t("Validity", "效度"));
    let adequacy = SamplingAdequacy::of(&answers)?;
    let (kmo, chi2) = (num(Some(adequacy.kmo())), adequacy.bartlett_chi_square());
    let (df, n) = (adequacy.bartlett_df(), adequacy.respondents());
    let p = match p_value(Some(adequacy.bartlett_p())) {
        p if p.starts_with('<') => p,
        p => format!("= {p}"),
    };
    if zh {
        println!("KMO = {kmo}；Bartlett 球形检验 χ² = {chi2:.1}，df = {df}，p {p}（n = {n}，仅答全的受访者）。\n");
    } else {
        println!("KMO = {kmo}; Bartlett's test of sphericity χ² = {chi2:.1}, df = {df}, p {p} (n = {n}, complete answers only).\n");
    }
    let dimensions = tree.root().children().count();
    let fa = FactorAnalysis::of(&answers, FactorCount::Fixed(dimensions))?;
    let structure = fa.structure(&tree);
    let factors: Vec<String> = (1..=fa.factors()).map(|f| format!("F{f}")).collect();
    let header = format!(
        "{}|{}|{}|{}",
        t("indicator", "指标"),
        factors.join("|"),
        t("dimension", "维度"),
        t(
            "loads highest on its dimension's factor",
            "在所属维度的因子上载荷最高"
        ),
    );
    let rows: Vec<Vec<String>> = structure
        .items()
        .iter()
        .zip(fa.rotated_loadings())
        .map(|(item, loadings)| {
            let mut row = vec![label(item.item())];
            row.extend(loadings.iter().map(|&l| num(Some(l))));
            row.push(label(item.dimension()));
            row.push(
                t(
                    if item.matches() { "yes" } else { "no" },
                    if item.matches() { "是" } else { "否" },
                )
                .to_owned(),
            );
            row
        })
        .collect();
    note(
        "Principal components of the correlation matrix, one factor per dimension of the hierarchy, varimax rotation (Kaiser normalisation).",
        "相关矩阵的主成分，因子数等于指标体系的维度数，方差最大正交旋转（Kaiser 标准化）。",
    );
    table(&header, &rows);
    let cumulative = fa.cumulative_variance().get(fa.factors() - 1).copied();
    if zh {
        println!(
            "累计方差解释率 {}；{} / {} 项指标在其维度的因子上载荷最高。\n",
            num(cumulative),
            structure.matches(),
            structure.items().len()
        );
    } else {
        println!("Cumulative variance explained {}; {} of {} indicators load highest on their dimension's factor.\n", num(cumulative), structure.matches(), structure.items().len());
    }

    // 4. Spearman correlations of the dimension scores (mean of a respondent's answers)
    println!("## 4. {}\n", t("Spearman correlations", "Spearman 相关"));
    note(
        "rho (two-sided p), pairwise-complete; a dimension score is the mean of the respondent's answers to its items.",
        "rho（双侧 p 值），成对删除；维度得分为受访者对该维度题项回答的均值。",
    );
    let scores = dimension_scores(&tree, &answers)?;
    let mut names: Vec<String> = scores.ids().iter().map(|id| label(id)).collect();
    println!("### {}\n", t("Per respondent", "按受访者"));
    let spearman = CorrelationMatrix::of(&scores, CorrelationMethod::Spearman);
    print_matrix(
        &spearman,
        &names,
        t("smallest–largest n of a pair", "各对 n 的范围"),
    );

    // per merchant: mean dimension scores and the mean measured time to resolution
    let mut resolution: BTreeMap<String, (f64, u32)> = BTreeMap::new();
    let mut kpi = csv::Reader::from_path(data.join("kpi.csv"))?;
    let kpi_columns: Vec<String> = kpi.headers()?.iter().map(String::from).collect();
    let at = kpi_columns
        .iter()
        .position(|c| c == "resolution_time")
        .ok_or("no resolution_time")?;
    for record in kpi.records() {
        let record = record?;
        if let Ok(minutes) = record[at].parse::<f64>() {
            let entry = resolution.entry(record[0].to_owned()).or_default();
            *entry = (entry.0 + minutes, entry.1 + 1);
        }
    }
    let per_merchant: Vec<Vec<Option<f64>>> = describe_by_merchant(&scores, &merchants)?
        .iter()
        .map(|m| {
            let means = m.variables().iter().map(|v| v.codes().map(Summary::mean));
            let kpi = resolution
                .get(m.merchant())
                .map(|&(sum, n)| sum / f64::from(n));
            means.chain([kpi]).collect()
        })
        .collect();
    let mut ids = scores.ids().to_vec();
    ids.push("mean_resolution_time".to_owned());
    let merchant_table = Responses::new(ids, per_merchant)?;
    let kpi_name = t(
        "mean time to resolution (KPI, min)",
        "平均问题解决时间（KPI，分钟）",
    );
    names.push(kpi_name.to_owned());
    println!("### {}\n", t("Per merchant (means)", "按商家（均值）"));
    let spearman = CorrelationMatrix::of(&merchant_table, CorrelationMethod::Spearman);
    print_matrix(
        &spearman,
        &names,
        t("smallest–largest n of a pair", "各对 n 的范围"),
    );

    // 4. trend: needs a period per row
    println!("## 5. {}\n", t("Trend", "趋势"));
    let period = |columns: &[String]| {
        columns
            .iter()
            .any(|c| ["period", "date", "month", "quarter", "year"].contains(&c.as_str()))
    };
    if period(&survey_columns) || period(&kpi_columns) {
        return Err("the data has a period column now: print its trend here".into());
    }
    let no_period = t(
        "No period column in the bundled data: trend skipped",
        "示例数据中没有期间列：跳过趋势分析",
    );
    let (survey, kpi) = (survey_columns[..2].join(", "), kpi_columns.join(", "));
    println!("{no_period} (survey.csv: {survey}, …; kpi.csv: {kpi}).");
    Ok(())
}
