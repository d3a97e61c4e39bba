//! Every analysis result as a `report::Table`: the cells carry the result's own numbers (CSV
//! and JSON at full precision, so the comparisons are exact), undefined statistics are empty,
//! the headers are bilingual, and bad arguments are typed errors.

use service_quality::analysis::{
    describe, describe_graded, descriptive_table, frequency_table, period_table,
    reliability_by_dimension, reliability_items_table, reliability_table, significance_stars,
    silhouette_by_k, silhouette_table, trend_table, CorrelationMatrix, CorrelationMethod,
    FactorAnalysis, FactorAssignment, FactorCount, KMeans, Labels, LinearTrend, MannKendall,
    MissingPolicy, Reliability, Responses, SamplingAdequacy,
};
use service_quality::report::{Cell, Table, Text};
use service_quality::{AnalysisError, Error, GradeSet, IndicatorTree, Language, NodeSpec};

/// The number in a cell (`None` for an empty or text cell).
fn number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number { value, .. } => Some(*value),
        Cell::Integer(v) => Some(*v as f64),
        _ => None,
    }
}

/// Bit-for-bit equality of a cell with an optional statistic (empty for `None`).
#[track_caller]
fn assert_cell(cell: &Cell, want: Option<f64>, what: &str) {
    match (number(cell), want) {
        (Some(g), Some(w)) => assert_eq!(g.to_bits(), w.to_bits(), "{what}: {g} vs {w}"),
        (None, None) => assert!(matches!(cell, Cell::Empty), "{what}: {cell:?}"),
        (g, w) => panic!("{what}: cell {g:?}, statistic {w:?}"),
    }
}

fn tree() -> IndicatorTree {
    let group = |id: &str, zh: &str, leaves: &[&str]| {
        let n = leaves.len();
        NodeSpec::group(
            id,
            id,
            leaves.iter().map(|l| NodeSpec::leaf(*l, *l)).collect(),
        )
        .with_label_zh(zh)
        .with_weights(vec![1.0 / n as f64; n])
    };
    IndicatorTree::new(
        NodeSpec::group(
            "goal",
            "Goal",
            vec![
                group("speed", "响应速度", &["s1", "s2", "s3"]),
                group("attitude", "服务态度", &["a1", "a2", "a3"]),
            ],
        )
        .with_weights(vec![0.5, 0.5]),
    )
    .expect("valid tree")
}

/// 40 respondents, two correlated blocks of three items, codes 1..5, a few missing.
fn answers() -> Responses {
    let rows = (0..40u32)
        .map(|i| {
            let x = f64::from(i % 5 + 1);
            let y = f64::from((i * 7 + 3) % 5 + 1);
            let jitter = |k: u32| f64::from((i + k) % 3) - 1.0;
            let c = |v: f64| v.clamp(1.0, 5.0);
            let mut row = vec![
                Some(x),
                Some(c(x + jitter(1))),
                Some(c(x + jitter(2))),
                Some(y),
                Some(c(y + jitter(0))),
                Some(c(y - jitter(1))),
            ];
            if i % 13 == 5 {
                row[2] = None;
            }
            row
        })
        .collect();
    let ids = ["s1", "s2", "s3", "a1", "a2", "a3"]
        .map(String::from)
        .to_vec();
    Responses::new(ids, rows).expect("valid")
}

#[test]
fn descriptive_cells_are_the_statistics() {
    let t = answers();
    let stats = describe(&t);
    let table = descriptive_table(&stats, &Labels::ids()).expect("finite");
    assert_eq!(table.rows().len(), stats.len());
    for (row, s) in table.rows().iter().zip(&stats) {
        let c = s.codes().expect("answered");
        assert_cell(&row[1], Some(c.n() as f64), "n");
        assert_cell(&row[2], Some(s.missing() as f64), "missing");
        for (k, want) in [
            Some(c.mean()),
            c.sd(),
            Some(c.median()),
            Some(c.min()),
            Some(c.max()),
            c.skewness_spss(),
            c.kurtosis_spss(),
        ]
        .into_iter()
        .enumerate()
        {
            assert_cell(&row[3 + k], want, s.id());
        }
    }
    // graded summaries add the grade-value columns
    let grades = GradeSet::satisfaction_5_points();
    let zero_based = Responses::new(
        vec!["q".into()],
        vec![vec![Some(0.0)], vec![Some(4.0)], vec![Some(2.0)]],
    )
    .expect("valid");
    let graded = describe_graded(&zero_based, &grades).expect("codes are grade indices");
    let table = descriptive_table(&graded, &Labels::ids()).expect("finite");
    assert_eq!(table.columns().len(), 12);
    let values = graded[0].values().expect("graded");
    assert_cell(
        &table.rows()[0][10],
        Some(values.mean()),
        "grade-value mean",
    );
    let freq = frequency_table(&graded[0], &Labels::ids()).expect("finite");
    assert_eq!(freq.rows().len(), graded[0].frequencies().len());
    for (row, f) in freq.rows().iter().zip(graded[0].frequencies()) {
        assert_cell(&row[1], Some(f.count() as f64), "count");
        assert_cell(&row[2], Some(f.valid_percent()), "valid %");
    }
}

#[test]
fn an_undefined_statistic_is_an_empty_cell_not_nan() {
    let constant = Responses::new(vec!["q".into()], vec![vec![Some(3.0)]; 4]).expect("valid");
    let table = descriptive_table(&describe(&constant), &Labels::ids()).expect("finite");
    assert!(
        matches!(table.rows()[0][8], Cell::Empty),
        "skewness of a constant item"
    );
    assert!(table
        .csv(Language::En)
        .lines()
        .nth(1)
        .is_some_and(|l| l.ends_with(",,")));
    #[cfg(feature = "serde")]
    assert!(table.json(Language::En).contains("null"));
}

#[test]
fn reliability_tables_carry_alpha_and_alpha_if_deleted() {
    let (tree, t) = (tree(), answers());
    let labels = Labels::from_tree(&tree);
    let overall = Reliability::of(&t, MissingPolicy::Listwise).expect("defined");
    let dims = reliability_by_dimension(&tree, &t, MissingPolicy::Listwise).expect("defined");
    let summary =
        reliability_table(Some((Text::new("all"), &overall)), &dims, &labels).expect("finite");
    assert_eq!(summary.rows().len(), 1 + dims.len());
    assert_cell(&summary.rows()[0][3], Some(overall.alpha()), "alpha");
    assert_cell(
        &summary.rows()[1][3],
        Some(dims[0].reliability().alpha()),
        "speed alpha",
    );
    assert_cell(
        &summary.rows()[1][4],
        dims[0].reliability().alpha_standardized(),
        "standardised",
    );
    assert!(
        summary.text(Language::Zh).contains("响应速度"),
        "Chinese labels from the tree"
    );
    let items = reliability_items_table(&dims, &labels).expect("finite");
    assert_eq!(items.rows().len(), 6);
    let r = dims[1].reliability();
    assert_cell(
        &items.rows()[3][3],
        r.alpha_if_deleted()[0],
        "alpha if deleted",
    );
    assert_cell(&items.rows()[3][2], r.item_total()[0], "item-total");
    let single = overall.table(&labels).expect("finite");
    assert_eq!(single.rows().len(), 6);
    assert_eq!(single.notes().len(), 2);
}

#[test]
fn validity_tables_carry_kmo_bartlett_loadings_and_structure() {
    let (tree, t) = (tree(), answers());
    let labels = Labels::from_tree(&tree);
    let sa = SamplingAdequacy::of(&t).expect("regular");
    let kb = sa.table().expect("finite");
    assert_cell(&kb.rows()[0][1], Some(sa.kmo()), "KMO");
    assert_cell(
        &kb.rows()[1][1],
        Some(sa.bartlett_chi_square()),
        "chi-square",
    );
    assert_cell(&kb.rows()[2][1], Some(sa.bartlett_df() as f64), "df");
    assert_cell(&kb.rows()[3][1], Some(sa.bartlett_p()), "p");
    let msa = sa.msa_table(&labels).expect("finite");
    for (row, m) in msa.rows().iter().zip(sa.msa()) {
        assert_cell(&row[1], Some(*m), "MSA");
    }
    let fa = FactorAnalysis::of(&t, FactorCount::Fixed(2)).expect("defined");
    let variance = fa.variance_table().expect("finite");
    assert_eq!(variance.rows().len(), 6);
    assert_cell(
        &variance.rows()[0][1],
        Some(fa.eigenvalues()[0]),
        "eigenvalue",
    );
    assert_cell(
        &variance.rows()[2][4],
        None,
        "no rotated variance beyond the factors kept",
    );
    for rotated in [true, false] {
        let loadings = fa.loadings_table(&labels, rotated).expect("finite");
        let want = if rotated {
            fa.rotated_loadings()
        } else {
            fa.loadings()
        };
        for (row, l) in loadings.rows().iter().zip(want) {
            assert_cell(&row[1], Some(l[0]), "loading F1");
            assert_cell(&row[2], Some(l[1]), "loading F2");
        }
    }
    for rule in [FactorAssignment::Majority, FactorAssignment::OneToOne] {
        let s = fa
            .structure_with(&tree, rule)
            .expect("2 factors, 2 dimensions");
        let table = s.table(&labels).expect("finite");
        assert_eq!(table.rows().len(), s.items().len());
        for (row, item) in table.rows().iter().zip(s.items()) {
            assert_cell(&row[3], Some(item.loading()), "loading");
            assert_cell(&row[5], Some(item.own_loading()), "own loading");
        }
    }
}

#[test]
fn stars_follow_the_usual_thresholds() {
    for (p, want) in [
        (0.0, "***"),
        (0.000_999, "***"),
        (0.001, "**"),
        (0.009_9, "**"),
        (0.01, "*"),
        (0.049, "*"),
        (0.05, ""),
        (1.0, ""),
        (f64::NAN, ""),
    ] {
        assert_eq!(significance_stars(p), want, "p = {p}");
    }
}

#[test]
fn correlation_tables_mark_significance_and_keep_the_numbers() {
    let t = answers();
    for method in [
        CorrelationMethod::Pearson,
        CorrelationMethod::Spearman,
        CorrelationMethod::KendallTauB,
    ] {
        let m = CorrelationMatrix::of(&t, method);
        let matrix = m.table(&Labels::ids()).expect("finite");
        assert_eq!(matrix.rows().len(), 6);
        let cell = |i: usize, j: usize| match &matrix.rows()[i][j + 1] {
            Cell::Text(text) => text.get(Language::En).to_owned(),
            other => format!("{other:?}"),
        };
        assert_eq!(cell(0, 0), "1");
        let (r, p) = (m.r(1, 0).expect("defined"), m.p(1, 0).expect("defined"));
        let stars = significance_stars(p);
        assert_eq!(cell(1, 0), format!("{r:.3}{stars}"));
        assert!(
            matches!(matrix.rows()[0][2], Cell::Empty),
            "upper triangle empty"
        );
        let pairs = m.pairs_table(&Labels::ids()).expect("finite");
        assert_eq!(pairs.rows().len(), 15);
        assert_cell(&pairs.rows()[0][2], m.n(1, 0).map(|n| n as f64), "n");
        assert_cell(&pairs.rows()[0][3], Some(r), "r");
        assert_cell(&pairs.rows()[0][4], Some(p), "p");
    }
}

#[test]
fn cluster_tables_carry_profiles_members_and_silhouettes() {
    let rows: Vec<Vec<Option<f64>>> = [
        [4.5, 4.4],
        [4.6, 4.7],
        [4.4, 4.5],
        [2.1, 2.4],
        [2.0, 2.2],
        [2.3, 2.0],
        [3.3, 3.2],
    ]
    .iter()
    .map(|r| r.iter().copied().map(Some).collect())
    .chain([vec![Some(3.0), None]])
    .collect();
    let t = Responses::new(vec!["speed".into(), "attitude".into()], rows).expect("valid");
    let c = KMeans::new(2).expect("k").seed(1).fit(&t).expect("defined");
    let table = c.table(&Labels::ids()).expect("finite");
    for (row, p) in table.rows().iter().zip(c.profiles()) {
        assert_cell(&row[1], Some(p.size() as f64), "size");
        assert_cell(&row[2], p.means()[0], "mean speed");
        assert_cell(&row[3], p.means()[1], "mean attitude");
    }
    let names: Vec<String> = (1..=8).map(|i| format!("shop {i}")).collect();
    let members = c.members_table(&names).expect("one name per row");
    assert!(
        matches!(members.rows()[7][1], Cell::Empty),
        "the row with a missing value"
    );
    assert_cell(
        &members.rows()[0][1],
        c.labels()[0].map(|l| (l + 1) as f64),
        "1-based",
    );
    assert!(matches!(
        c.members_table(&names[..3]),
        Err(Error::Analysis(AnalysisError::RowLength {
            expected: 8,
            found: 3,
            ..
        }))
    ));
    let scan = silhouette_by_k(&t, 2..=4, &KMeans::new(1).expect("k")).expect("defined");
    let s = silhouette_table(&scan).expect("finite");
    for (row, count) in s.rows().iter().zip(&scan) {
        assert_cell(&row[1], count.silhouette(), "silhouette");
        assert_cell(&row[2], Some(count.inertia()), "inertia");
    }
}

#[test]
fn trend_tables_carry_both_tests_and_each_period() {
    let scores = [4.2, 4.1, 4.3, 4.35, 4.5, 4.45, 4.6, 4.7];
    let table = trend_table(&[(Text::new("platform"), &scores[..])]).expect("8 periods");
    let (lt, mk) = (
        LinearTrend::of_series(&scores).expect("n"),
        MannKendall::of_series(&scores).expect("n"),
    );
    let row = &table.rows()[0];
    for (k, want) in [
        lt.slope(),
        lt.p_value(),
        mk.s(),
        mk.z(),
        mk.p_value(),
        mk.tau(),
        mk.sen_slope(),
    ]
    .into_iter()
    .enumerate()
    {
        assert_cell(&row[2 + k], Some(want), "trend statistic");
    }
    assert!(matches!(
        trend_table(&[(Text::new("short"), &scores[..2])]),
        Err(Error::Analysis(AnalysisError::TooFewObservations { .. }))
    ));
    let periods: Vec<String> = (1..=8).map(|m| format!("2026-{m:02}")).collect();
    let p = period_table(&periods, &scores, 3).expect("valid");
    assert_eq!(p.rows().len(), 8);
    assert_cell(&p.rows()[0][2], None, "no change before the first period");
    assert_cell(&p.rows()[1][2], Some(scores[1] - scores[0]), "change");
    assert_cell(&p.rows()[1][4], None, "no 3-period average yet");
    assert_cell(
        &p.rows()[2][4],
        Some((scores[0] + scores[1] + scores[2]) / 3.0),
        "moving average",
    );
    assert!(matches!(
        period_table(&periods[..2], &scores, 3),
        Err(Error::Analysis(AnalysisError::RowLength { .. }))
    ));
}

#[test]
fn every_table_prints_in_every_format_and_language() {
    let (tree, t) = (tree(), answers());
    let labels = Labels::from_tree(&tree);
    let fa = FactorAnalysis::of(&t, FactorCount::Fixed(2)).expect("defined");
    let tables: Vec<Table> = vec![
        descriptive_table(&describe(&t), &labels).expect("t"),
        SamplingAdequacy::of(&t).expect("t").table().expect("t"),
        fa.loadings_table(&labels, true).expect("t"),
        CorrelationMatrix::of(&t, CorrelationMethod::Pearson)
            .table(&labels)
            .expect("t"),
    ];
    for table in &tables {
        for language in [Language::En, Language::Zh] {
            #[cfg(feature = "serde")]
            {
                let json: serde_json::Value =
                    serde_json::from_str(&table.json(language)).expect("valid JSON");
                let rows = json["rows"].as_array().map(Vec::len);
                assert_eq!(rows, Some(table.rows().len()));
            }
            assert_eq!(table.csv(language).lines().count(), table.rows().len() + 1);
            assert!(table
                .text(language)
                .starts_with(table.title().get(language)));
            assert!(table.markdown(language).contains("|"));
        }
        assert_ne!(
            table.title().get(Language::En),
            table.title().get(Language::Zh)
        );
    }
}
