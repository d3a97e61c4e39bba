//! What the "questionnaire and data" section of a paper reports about the bundled survey:
//! descriptive statistics per indicator, Cronbach's alpha overall and per dimension (with
//! alpha-if-deleted and corrected item-total correlations), validity (KMO, Bartlett, the
//! variance explained, the rotated factor loadings, the structure-validity table), Spearman
//! correlations of the dimension scores (per respondent, and per merchant together with the
//! measured handling time), clusters of merchants by their dimension scores and, where the
//! data has periods, a trend.
//!
//! It reads `examples/data/survey.csv` (one row per respondent, Chinese grade labels, empty
//! cells missing), codes the answers 很满意 = 5 … 很不满意 = 1, groups the items into the
//! dimensions of `examples/data/after_sales_model.json` and prints every result as a table.
//!
//! Run with:
//!
//! ```text
//! cargo run --release --example survey_analysis                      # aligned text, English
//! cargo run --release --example survey_analysis -- --zh              # 中文
//! cargo run --release --example survey_analysis -- --format markdown # or csv, json
//! ```
use std::collections::BTreeMap;
use std::path::Path;

use service_quality::analysis::{
    describe, descriptive_table, dimension_scores, merchant_dimension_scores,
    reliability_by_dimension, reliability_items_table, reliability_table, silhouette_by_k,
    silhouette_table, CorrelationMatrix, CorrelationMethod, FactorAnalysis, FactorAssignment,
    FactorCount, KMeans, Labels, MissingPolicy, Reliability, Responses, SamplingAdequacy,
};
use service_quality::report::{Table, TableFormat, Text};
use service_quality::{GradeSet, IndicatorTree, Language};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Where the tables go: the format and language chosen on the command line.
struct Out {
    format: TableFormat,
    language: Language,
    /// JSON: the tables printed so far, written as one array at the end.
    json: Vec<String>,
}

impl Out {
    /// A section heading (text and Markdown only: CSV and JSON carry the tables alone).
    fn heading(&self, en: &str, zh: &str) {
        let title = Text::bilingual(en, zh);
        match self.format {
            TableFormat::Markdown => println!("## {}\n", title.get(self.language)),
            TableFormat::Text => println!("== {} ==\n", title.get(self.language)),
            _ => {}
        }
    }

    /// A table: rendered, or kept for the JSON array; in CSV each table follows its title.
    fn table(&mut self, table: &Table) {
        match self.format {
            TableFormat::Csv => {
                println!("{}", table.title().get(self.language));
                println!("{}", table.render(self.format, self.language));
            }
            TableFormat::Text | TableFormat::Markdown => {
                println!("{}", table.render(self.format, self.language));
            }
            _ => self.json.push(
                table
                    .render(self.format, self.language)
                    .trim_end()
                    .to_owned(),
            ),
        }
    }

    /// A line of prose (text and Markdown only).
    fn note(&self, en: &str, zh: &str) {
        if matches!(self.format, TableFormat::Text | TableFormat::Markdown) {
            println!("{}\n", Text::bilingual(en, zh).get(self.language));
        }
    }

    fn finish(self) {
        if !self.json.is_empty() {
            println!("[\n{}\n]", self.json.join(",\n"));
        }
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

/// `--zh`, `--format text|markdown|csv|json` (or `--format=…`).
fn arguments() -> Res<(TableFormat, Language)> {
    let (mut format, mut language) = (TableFormat::Text, Language::En);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--zh" => language = Language::Zh,
            "--format" => format = args.next().ok_or("--format needs a value")?.parse()?,
            other => match other.strip_prefix("--format=") {
                Some(value) => format = value.parse()?,
                None => {
                    return Err(format!(
                        "unknown argument {other:?} (use --zh, --format text|markdown|csv|json)"
                    )
                    .into())
                }
            },
        }
    }
    Ok((format, language))
}

fn main() -> Res<()> {
    let (format, language) = arguments()?;
    let mut out = Out {
        format,
        language,
        json: Vec::new(),
    };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let model = std::fs::read_to_string(data.join("after_sales_model.json"))?;
    let tree = IndicatorTree::from_json(&model)?;
    let resolution_id = "mean_resolution_time";
    let labels = Labels::from_tree(&tree).with(
        resolution_id,
        Text::bilingual(
            "mean time to resolution (KPI, min)",
            "平均问题解决时间（KPI，分钟）",
        ),
    );

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
        .map(|g| format!("{} = {}", g.display_label(language), g.value()))
        .collect();
    let (n, k, coding) = (answers.len(), answers.variable_count(), coding.join(", "));
    out.note(
        &format!("Survey: {n} respondents, {k} indicators; coding: {coding}."),
        &format!("问卷：{n} 名受访者，{k} 项指标；编码：{coding}。"),
    );

    // 1. descriptive statistics per indicator
    out.heading("1. Descriptive statistics", "1. 描述性统计");
    out.table(&descriptive_table(&describe(&answers), &labels)?);

    // 2. reliability: the whole questionnaire, then each dimension with its items
    out.heading("2. Reliability", "2. 信度");
    let policy = MissingPolicy::Listwise;
    let overall = Reliability::of(&answers, policy)?;
    let dims = reliability_by_dimension(&tree, &answers, policy)?;
    let whole = Text::bilingual("whole questionnaire", "整体问卷");
    out.table(&reliability_table(Some((whole, &overall)), &dims, &labels)?);
    out.table(&reliability_items_table(&dims, &labels)?);

    // 3. validity: KMO and Bartlett, principal components with varimax, one factor per dimension
    out.heading("3. Validity", "3. 效度");
    out.table(&SamplingAdequacy::of(&answers)?.table()?);
    let dimensions = tree.root().children().count();
    let fa = FactorAnalysis::of(&answers, FactorCount::Fixed(dimensions))?;
    out.table(&fa.variance_table()?);
    out.table(&fa.loadings_table(&labels, true)?);
    out.table(
        &fa.structure_with(&tree, FactorAssignment::OneToOne)?
            .table(&labels)?,
    );

    // 4. Spearman correlations of the dimension scores (mean of a respondent's answers)
    out.heading("4. Correlations", "4. 相关分析");
    out.note(
        "A dimension score is the mean of the respondent's answers to its items; per merchant, the mean over the merchant's respondents.",
        "维度得分为受访者对该维度题项回答的均值；按商家时为该商家受访者的均值。",
    );
    let scores = dimension_scores(&tree, &answers)?;
    out.table(&CorrelationMatrix::of(&scores, CorrelationMethod::Spearman).table(&labels)?);

    // per merchant: mean dimension scores and the mean measured time to resolution
    let (shops, per_merchant) = merchant_dimension_scores(&tree, &answers, &merchants)?;
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
    let kpi_column = shops
        .iter()
        .map(|shop| resolution.get(shop).map(|&(sum, n)| sum / f64::from(n)))
        .collect();
    let kpi_table = Responses::from_columns(vec![resolution_id.to_owned()], vec![kpi_column])?;
    let joined = per_merchant.join(&kpi_table)?;
    out.table(&CorrelationMatrix::of(&joined, CorrelationMethod::Spearman).table(&labels)?);

    // 5. clusters of merchants by their mean dimension scores (standardised)
    out.heading("5. Clusters of merchants", "5. 商家聚类");
    let options = KMeans::new(2)?.seed(2026);
    let most = per_merchant.len().saturating_sub(1).min(6);
    let scan = silhouette_by_k(&per_merchant, 2..=most, &options)?;
    out.table(&silhouette_table(&scan)?);
    let best = scan
        .iter()
        .filter_map(|c| c.silhouette().map(|s| (c.clusters(), s)))
        .fold((2, f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b });
    out.note(
        &format!("k = {} has the highest silhouette.", best.0),
        &format!("k = {} 的轮廓系数最高。", best.0),
    );
    let clusters = KMeans::new(best.0)?.seed(2026).fit(&per_merchant)?;
    out.table(&clusters.table(&labels)?);
    out.table(&clusters.members_table(&shops)?);

    // 6. trend: needs a period per row
    out.heading("6. Trend", "6. 趋势");
    let period = |columns: &[String]| {
        columns
            .iter()
            .any(|c| ["period", "date", "month", "quarter", "year"].contains(&c.as_str()))
    };
    if period(&survey_columns) || period(&kpi_columns) {
        return Err("the data has a period column now: print its trend here".into());
    }
    let (survey, kpi) = (survey_columns[..2].join(", "), kpi_columns.join(", "));
    out.note(
        &format!("No period column in the bundled data: trend skipped (survey.csv: {survey}, …; kpi.csv: {kpi})."),
        &format!("示例数据中没有期间列：跳过趋势分析（survey.csv：{survey}，…；kpi.csv：{kpi}）。"),
    );
    out.finish();
    Ok(())
}
