//! The contract every fuzz target checks, in one place: the libFuzzer targets in
//! `fuzz/fuzz_targets/` and the stable replay test `tests/fuzz_replay.rs` both call [`run`].
//!
//! For any input bytes:
//!
//! - nothing panics: a bad input gets a typed error with a message;
//! - a value that comes back satisfies its invariants: numbers finite, weights `>= 0` summing
//!   to 1, `CR >= 0` and `lambda_max >= n`, memberships in `[0, 1]`, scores within the grade
//!   values' range, report shortfalls finite;
//! - the batch scorer gives each merchant the single path's score and grade (within
//!   [`CLOSED_FORM`](tol::CLOSED_FORM) relative to the largest grade value) or its error;
//! - a model read and written back reads back to the same weights; a CSV file read with
//!   [`OnBadRow::Stop`] gives the first error and the rows before it of a read with
//!   [`OnBadRow::Skip`].
//!
//! A broken contract is a panic whose message says which; libFuzzer records the input.
//! Only the crate's public API is used, so this compiles on stable inside the crate's tests.

#[path = "../../tests/common/check.rs"]
#[allow(dead_code)]
pub mod check;
#[path = "../../tests/common/tol.rs"]
#[allow(dead_code)]
pub mod tol;

use std::sync::OnceLock;

use service_quality::batch::{BatchScores, MISSING_ANSWER};
use service_quality::input::{
    CsvOptions, CsvRead, GradeNumbers, KpiModel, KpiScale, OnBadRow, SurveyCounts, SurveyLayout,
};
use service_quality::{
    BatchOutput, BatchScorer, CsvError, Error, EvaluationError, Evaluator, FuzzyOperator, Grade,
    GradeSet, GroupTree, IndicatorMemberships, IndicatorTree, IntakeError, KpiTally, NodeSpec,
    PairwiseMatrix, PanelSpec, Place, PriorityMethod, RepairOptions, Survey, SurveyAnswers,
    Unanswered,
};

use check::{assert_accepted_weights, assert_finite};
use tol::{CLOSED_FORM, GIVEN_WEIGHTS_SUM, ITERATION_SLACK};

/// The fuzz targets, named as in `fuzz/Cargo.toml` and the corpus folders.
#[cfg(feature = "parquet")]
pub const TARGETS: &[&str] = &[
    "model_json",
    "panel_json",
    "survey_csv",
    "kpi_csv",
    "batch",
    "survey_layout",
    "survey_xlsx",
    "parquet",
];
/// The fuzz targets, named as in `fuzz/Cargo.toml` and the corpus folders.
#[cfg(not(feature = "parquet"))]
pub const TARGETS: &[&str] = &[
    "model_json",
    "panel_json",
    "survey_csv",
    "kpi_csv",
    "batch",
    "survey_layout",
    "survey_xlsx",
];

/// The bundled model file: the tree the CSV targets read against.
const MODEL: &str = include_str!("../../examples/data/after_sales_model.json");

const OPERATORS: [FuzzyOperator; 4] = [
    FuzzyOperator::WeightedAverage,
    FuzzyOperator::ZadehMaxMin,
    FuzzyOperator::ProductMax,
    FuzzyOperator::BoundedSum,
];

/// Runs target `target` on `data`, panicking on a broken contract.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "model_json" => model_json(data),
        "panel_json" => panel_json(data),
        "survey_csv" => survey_csv(data),
        "kpi_csv" => kpi_csv(data),
        "batch" => batch(data),
        #[cfg(feature = "parquet")]
        "parquet" => parquet(data),
        "survey_layout" => survey_layout(data),
        "survey_xlsx" => survey_xlsx(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// A model file (`TreeSpec` JSON) read into an [`IndicatorTree`].
pub fn model_json(data: &[u8]) {
    let Some(tree) = explained(serde_json::from_slice::<IndicatorTree>(data), "model file") else {
        return;
    };
    check_tree(&tree);
    // written back and read again: the same weights, bit for bit
    let text = serde_json::to_string(&tree).expect("a tree serialises");
    let again: IndicatorTree = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("a model written back does not read back: {e}\n{text}"));
    let bits = |t: &IndicatorTree| -> Vec<(String, u64)> {
        t.nodes()
            .map(|n| (n.path().to_owned(), n.global_weight().to_bits()))
            .collect()
    };
    assert_eq!(bits(&tree), bits(&again), "weights after a round trip");
    evaluate_uniform(&tree);
}

/// A panel file ([`PanelSpec`] JSON) aggregated into a [`GroupTree`].
pub fn panel_json(data: &[u8]) {
    let Some(spec) = explained(serde_json::from_slice::<PanelSpec>(data), "panel file") else {
        return;
    };
    let experts = spec.experts.len();
    let Some(group) = explained(GroupTree::from_spec(spec), "panel") else {
        return;
    };
    check_tree(group.tree());
    for node in group.nodes() {
        let r = node.result();
        let what = format!("panel node {}", node.path());
        assert_accepted_weights(r.weights().as_slice(), &what);
        assert_eq!(
            r.individual().len(),
            experts,
            "{what}: one result per expert"
        );
        for (k, p) in r.individual().iter().enumerate() {
            let who = format!("{what}, expert {k}");
            check_priorities_cr(p.lambda_max(), p.cr(), p.weights().len(), &who);
        }
        assert_eq!(
            r.included().len() + r.excluded().len(),
            experts,
            "{what}: every expert included or excluded"
        );
        let c = r.consensus();
        for (name, v) in [
            ("S*", c.s_star()),
            ("D_alpha", c.d_alpha()),
            ("D_beta", c.d_beta()),
            ("D_gamma", c.d_gamma()),
            ("homogeneity", c.homogeneity()),
        ] {
            assert!(v.is_finite(), "{what}: consensus {name} = {v}");
        }
        assert!(
            (0.0..=1.0 + CLOSED_FORM).contains(&c.s_star()),
            "{what}: S* = {} outside [0, 1]",
            c.s_star()
        );
        assert_finite(r.compatibility(), &format!("{what}: GCOMPI"));
        if let Some(p) = r.aggregated_priorities() {
            let who = format!("{what}, aggregated matrix");
            check_priorities_cr(p.lambda_max(), p.cr(), p.weights().len(), &who);
        }
    }
    evaluate_uniform(group.tree());
}

/// A survey CSV file read against the bundled model, with both bad-row policies, grade
/// numbers as positions and as values.
pub fn survey_csv(data: &[u8]) {
    let tree = bundled_tree();
    for (grades, numbers) in [
        (GradeSet::satisfaction_5(), GradeNumbers::Position),
        (GradeSet::satisfaction_5_points(), GradeNumbers::Value),
    ] {
        let opts = CsvOptions::new()
            .with_ignored_column("respondent")
            .with_grade_numbers(numbers);
        let evaluator = Evaluator::new(tree, grades.clone()).unanswered(Unanswered::Exclude);
        let read = |policy| {
            Survey::from_csv(
                data,
                tree,
                grades.clone(),
                &opts.clone().with_on_bad_row(policy),
            )
        };
        let canon = |s: &Survey| format!("{:?}", s.merchants());
        let Some(survey) = policies_agree(data, read(OnBadRow::Stop), read(OnBadRow::Skip), canon)
        else {
            continue;
        };
        check_merchants(
            survey.merchant_names(),
            |n| survey.memberships(n),
            &evaluator,
        );
    }
}

/// The layouts the layout targets read with: text labels only, and numeric codes 5 = best.
fn fuzz_layouts() -> [SurveyLayout; 2] {
    let plain = SurveyLayout::new("merchant").with_ignored("respondent");
    let codes = plain.clone().with_codes(5, 1).expect("five codes");
    [plain, codes]
}

/// A questionnaire export read through a survey layout by the `Survey` reader and the
/// streaming tally, with both bad-row policies: the policies agree, and when the whole file is
/// text in its encoding (the `Survey` reader accepted it) the streaming tally reads exactly
/// what the `Survey` reader reads.
pub fn survey_layout(data: &[u8]) {
    let tree = bundled_tree();
    for layout in fuzz_layouts() {
        let evaluator =
            Evaluator::new(tree, layout.grades().clone()).unanswered(Unanswered::Exclude);
        let with = |policy| layout.clone().with_on_bad_row(policy);
        let survey = |policy| Survey::read_with_layout(data, tree, &with(policy));
        let counts = |policy| SurveyCounts::read(data, tree, &with(policy));
        let canon = |s: &Survey| format!("{:?}", s.merchants());
        let canon_counts = |c: &SurveyCounts| format!("{c:?}");
        let streamed = policies_agree(
            data,
            counts(OnBadRow::Stop),
            counts(OnBadRow::Skip),
            canon_counts,
        );
        let Some(read) =
            policies_agree(data, survey(OnBadRow::Stop), survey(OnBadRow::Skip), canon)
        else {
            continue;
        };
        let streamed = streamed.expect("the Survey reader took the header, the stream did not");
        for policy in [OnBadRow::Stop, OnBadRow::Skip] {
            let (a, b) = (
                survey(policy).expect("read above"),
                counts(policy).expect("read above"),
            );
            assert_eq!(a.rows_read(), b.rows_read(), "rows read by reader");
            assert_eq!(a.skipped(), b.skipped(), "skipped rows by reader");
            assert_eq!(a.stopped(), b.stopped(), "stop by reader");
        }
        let names: Vec<&str> = read.merchant_names().collect();
        assert_eq!(names, streamed.merchants(), "merchants by reader");
        let k = streamed.leaf_ids().len();
        let m = read.grades().len();
        for (i, t) in read.merchants().iter().enumerate() {
            for (col, id) in read.indicators().iter().enumerate() {
                let l = streamed
                    .leaf_ids()
                    .iter()
                    .position(|x| x == id)
                    .expect("a leaf");
                let c: Vec<usize> = streamed.counts()[(i * k + l) * m..(i * k + l + 1) * m]
                    .iter()
                    .map(|&c| c as usize)
                    .collect();
                assert_eq!(Some(&c[..]), t.counts(col), "counts by reader");
            }
        }
        check_merchants(read.merchant_names(), |n| read.memberships(n), &evaluator);
    }
}

/// The most a fuzzed workbook part may unpack to: far below libFuzzer's memory limit.
#[cfg(feature = "xlsx")]
const XLSX_PART_LIMIT: u64 = 16 << 20;

/// A workbook read through a survey layout with both bad-row policies, each part of it
/// unpacked to at most 16 MiB (a zip bomb is an error, never an allocation).
pub fn survey_xlsx(data: &[u8]) {
    #[cfg(feature = "xlsx")]
    {
        let tree = bundled_tree();
        for layout in fuzz_layouts() {
            let read = |policy| {
                Survey::read_xlsx_limited(
                    data,
                    tree,
                    &layout.clone().with_on_bad_row(policy),
                    XLSX_PART_LIMIT,
                )
            };
            let canon = |s: &Survey| format!("{:?}", s.merchants());
            let evaluator =
                Evaluator::new(tree, layout.grades().clone()).unanswered(Unanswered::Exclude);
            if let Some(s) = policies_agree(data, read(OnBadRow::Stop), read(OnBadRow::Skip), canon)
            {
                check_merchants(s.merchant_names(), |n| s.memberships(n), &evaluator);
            }
        }
    }
    #[cfg(not(feature = "xlsx"))]
    let _ = data;
}

/// A KPI CSV file read with the after-sales KPI thresholds (classes `urgent` and `ordinary`),
/// with both bad-row policies.
pub fn kpi_csv(data: &[u8]) {
    let grades = GradeSet::satisfaction_5();
    let model = kpi_model(&grades);
    let tree = bundled_tree();
    let evaluator = Evaluator::new(tree, grades).unanswered(Unanswered::Exclude);
    let read = |policy| {
        KpiTally::from_csv(
            data,
            model.clone(),
            &CsvOptions::new().with_on_bad_row(policy),
        )
    };
    let canon = |t: &KpiTally| {
        let merchants: Vec<_> = t.merchant_names().map(|n| (n, t.memberships(n))).collect();
        format!("{merchants:?}")
    };
    let Some(tally) = policies_agree(data, read(OnBadRow::Stop), read(OnBadRow::Skip), canon)
    else {
        return;
    };
    check_merchants(tally.merchant_names(), |n| tally.memberships(n), &evaluator);
}

/// Every merchant a reader read: its memberships, evaluated and reported.
fn check_merchants<'a>(
    names: impl Iterator<Item = &'a str>,
    memberships: impl Fn(&str) -> service_quality::Result<IndicatorMemberships>,
    evaluator: &Evaluator,
) {
    for name in names {
        let data = memberships(name).expect("a merchant read has memberships");
        check_memberships(&data, name);
        check_evaluation(evaluator, &data, name);
    }
}

/// Breakpoints (minutes, best grade first) of the KPI target's model, per indicator and class.
const KPI_THRESHOLDS: [(&str, &str, [f64; 5]); 6] = [
    ("first_reply", "urgent", [0.5, 2.0, 5.0, 10.0, 30.0]),
    ("first_reply", "ordinary", [5.0, 15.0, 30.0, 60.0, 180.0]),
    (
        "resolution_time",
        "urgent",
        [30.0, 60.0, 120.0, 240.0, 480.0],
    ),
    (
        "resolution_time",
        "ordinary",
        [240.0, 480.0, 1440.0, 2880.0, 4320.0],
    ),
    ("feedback_time", "urgent", [10.0, 30.0, 60.0, 120.0, 240.0]),
    (
        "feedback_time",
        "ordinary",
        [60.0, 120.0, 240.0, 480.0, 1440.0],
    ),
];

fn kpi_model(grades: &GradeSet) -> KpiModel {
    KPI_THRESHOLDS
        .iter()
        .fold(KpiModel::new(grades), |model, (id, class, b)| {
            let scale = KpiScale::smaller_is_better(b.to_vec()).expect("increasing breakpoints");
            model
                .with_scale(*id, *class, scale)
                .expect("one scale per indicator and class")
        })
}

/// The bundled model, read once.
fn bundled_tree() -> &'static IndicatorTree {
    static TREE: OnceLock<IndicatorTree> = OnceLock::new();
    TREE.get_or_init(|| serde_json::from_str(MODEL).expect("the bundled model reads"))
}

/// A value, or `None` after checking that the error explains itself.
fn explained<T, E: std::fmt::Display>(result: Result<T, E>, what: &str) -> Option<T> {
    check::ok_or_explained(result, what)
}

/// What reading with [`OnBadRow::Stop`] and with [`OnBadRow::Skip`] must share; the data of the
/// complete (skipping) read when the header was accepted.
/// `canon` writes the data in a canonical form (no hash-map order).
fn policies_agree<T: std::fmt::Debug>(
    data: &[u8],
    stop: service_quality::Result<CsvRead<T>>,
    skip: service_quality::Result<CsvRead<T>>,
    canon: impl Fn(&T) -> String,
) -> Option<T> {
    let (stop, skip) = match (stop, skip) {
        (Err(a), Err(b)) => {
            assert_eq!(
                format!("{a:?}"),
                format!("{b:?}"),
                "header errors differ by policy"
            );
            assert!(!a.to_string().is_empty(), "header error without a message");
            return None;
        }
        (Ok(stop), Ok(skip)) => (stop, skip),
        (a, b) => panic!("the policy decided whether the header is accepted: {a:?} / {b:?}"),
    };
    // a line number is at least 2 (the header is line 1) and at most the lines in the file
    let lines = 1 + data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64;
    for e in skip.skipped().iter().chain(stop.stopped()) {
        assert!(!e.to_string().is_empty(), "row error without a message");
        if let Some(line) = error_line(e) {
            assert!((2..=lines).contains(&line), "line {line} of {lines}: {e}");
        }
    }
    assert!(stop.skipped().is_empty(), "skipped rows under Stop");
    assert!(
        skip.stopped().is_none(),
        "stopped under Skip: {:?}",
        skip.stopped()
    );
    match stop.stopped() {
        None => {
            assert!(
                skip.skipped().is_empty(),
                "Stop read everything, Skip skipped rows"
            );
            assert_eq!(stop.rows_read(), skip.rows_read(), "rows read by policy");
            assert_eq!(canon(stop.data()), canon(skip.data()), "data by policy");
        }
        Some(e) => {
            let first = skip
                .skipped()
                .first()
                .expect("Stop stopped, Skip skipped nothing");
            assert_eq!(
                format!("{e:?}"),
                format!("{first:?}"),
                "first bad row by policy"
            );
            assert!(
                stop.rows_read() <= skip.rows_read(),
                "Stop read more rows than Skip"
            );
        }
    }
    Some(skip.into_parts().0)
}

/// The line an error of a CSV reader names, if it names one.
fn error_line(e: &Error) -> Option<u64> {
    match e {
        Error::AtLine { line, .. } => Some(*line),
        Error::Csv(CsvError::BadCell { line, .. } | CsvError::CellCount { line, .. }) => {
            Some(*line)
        }
        Error::Csv(CsvError::Reader { line, .. }) => *line,
        Error::Csv(CsvError::BlankRow { line } | CsvError::UnterminatedQuote { line }) => {
            Some(*line)
        }
        Error::Intake(
            IntakeError::BadCell {
                at: Place::Line(line),
                ..
            }
            | IntakeError::UndeclaredCodes {
                at: Place::Line(line),
                ..
            }
            | IntakeError::RecordTooLong {
                at: Place::Line(line),
                ..
            },
        ) => Some(*line),
        Error::InFile { source, .. } => error_line(source),
        _ => None,
    }
}

/// Local weights, global weights and consistency of every node. Given weights are accepted
/// when they sum to 1 within `WEIGHT_SUM_TOL` and kept as given, so a product of `d` of them
/// and the leaves' sum are within `d` times that of 1.
fn check_tree(tree: &IndicatorTree) {
    let depth = tree.nodes().map(|n| n.depth()).max().unwrap_or(0);
    let slack = GIVEN_WEIGHTS_SUM * (depth + 1) as f64;
    let mut leaf_sum = 0.0;
    for node in tree.nodes() {
        let what = format!("node {}", node.path());
        let (local, global) = (node.local_weight(), node.global_weight());
        assert!(
            (0.0..=1.0 + slack).contains(&local),
            "{what}: local weight {local}"
        );
        assert!(
            (0.0..=1.0 + slack).contains(&global),
            "{what}: global weight {global}"
        );
        if node.is_leaf() {
            leaf_sum += global;
        }
        if let Some(w) = node.child_weights() {
            assert_eq!(
                w.len(),
                node.children().len(),
                "{what}: one weight per child"
            );
            assert_accepted_weights(w.as_slice(), &what);
        }
        if let Some(c) = node.consistency() {
            check_priorities_cr(c.lambda_max(), c.cr(), c.n(), &what);
            assert!(c.ci().is_finite(), "{what}: CI {}", c.ci());
        }
        if let Some(m) = node.judgements() {
            diagnose(m, &what);
        }
    }
    check::assert_close(leaf_sum, 1.0, slack, "sum of the leaves' global weights");
}

/// The diagnoses of a judged node's matrix: GCI, triad index, the judgements most at odds
/// with the rest and a repair, each finite or a typed error.
fn diagnose(m: &PairwiseMatrix, what: &str) {
    if let Some(gci) = explained(m.gci(), what) {
        assert!(
            gci.value().is_finite() && gci.value() >= 0.0,
            "{what}: GCI {}",
            gci.value()
        );
    }
    let triad = m.triad_inconsistency().value();
    assert!(
        triad.is_finite() && triad >= 0.0,
        "{what}: triad index {triad}"
    );
    for j in
        explained(m.inconsistent_judgements(PriorityMethod::Eigenvector), what).unwrap_or_default()
    {
        let values = [j.value, j.consistent_value, j.error, j.log_error()];
        assert_finite(&values, &format!("{what}: judgement ({}, {})", j.i, j.j));
    }
    if let Some(repair) = explained(m.repair(&RepairOptions::new()), what) {
        let (before, after) = (repair.initial().cr(), repair.priorities().cr());
        assert!(
            after.is_finite() && after <= before.max(0.0) + ITERATION_SLACK,
            "{what}: repair CR {before} -> {after}"
        );
    }
}

/// Whether the known defect `kind` is tolerated: only when the fuzzers run with
/// `SQ_FUZZ_TOLERATE=kind,...`, so that a defect already recorded in `fuzz/regressions/` does
/// not stop them finding others. The replay test never sets it.
fn tolerated(kind: &str) -> bool {
    static KINDS: OnceLock<Vec<String>> = OnceLock::new();
    KINDS
        .get_or_init(|| {
            std::env::var("SQ_FUZZ_TOLERATE")
                .unwrap_or_default()
                .split(',')
                .map(str::to_owned)
                .collect()
        })
        .iter()
        .any(|k| k == kind)
}

/// `lambda_max >= n` (up to the iteration's slack) and `CR >= 0`, both finite.
fn check_priorities_cr(lambda_max: f64, cr: f64, n: usize, what: &str) {
    assert!(
        lambda_max.is_finite() && cr.is_finite(),
        "{what}: lambda_max {lambda_max}, CR {cr}"
    );
    if tolerated("negative-cr") {
        return;
    }
    let n = n as f64;
    assert!(
        lambda_max >= n - ITERATION_SLACK * n,
        "{what}: lambda_max {lambda_max} < n = {n}"
    );
    assert!(cr >= 0.0, "{what}: CR {cr} < 0");
}

/// Memberships a reader produced: rows of values in `[0, 1]` summing to 1.
fn check_memberships(data: &IndicatorMemberships, merchant: &str) {
    for row in data.rows() {
        if let Some(r) = row.row() {
            let what = format!("{merchant}: memberships of {}", row.id());
            assert!(r.iter().all(|v| (0.0..=1.0).contains(v)), "{what}: {r:?}");
            check::assert_close(r.iter().sum(), 1.0, CLOSED_FORM, &what);
        }
    }
}

/// One merchant evaluated and reported: every node's `B` normalised, scores between the
/// smallest and the largest grade value, shortfalls finite; or a typed error.
fn check_evaluation(evaluator: &Evaluator, data: &IndicatorMemberships, merchant: &str) {
    let grades = evaluator.grades();
    let (lo, hi) = (grades.min_value(), grades.max_value());
    let slack = CLOSED_FORM * lo.abs().max(hi.abs()).max(1.0);
    let in_range = |s: f64, what: &str| {
        assert!(
            s.is_finite() && s >= lo - slack && s <= hi + slack,
            "{merchant}: {what} score {s} outside [{lo}, {hi}]"
        );
    };
    let Some(eval) = explained(evaluator.evaluate(data), merchant) else {
        return;
    };
    for node in eval.nodes() {
        let b = node.result().normalized();
        assert!(
            b.iter().all(|v| (0.0..=1.0).contains(v)),
            "{merchant}: B of {}: {b:?}",
            node.id()
        );
        in_range(node.result().score(), node.id());
    }
    let report = evaluator
        .report(merchant, data)
        .expect("report of an evaluation that succeeded");
    in_range(report.overall().score(), "overall");
    for line in report.dimensions().iter().chain(report.indicators()) {
        assert!(
            line.shortfall().is_finite() && line.weight().is_finite(),
            "{merchant}: {} shortfall {} weight {}",
            line.id(),
            line.shortfall(),
            line.weight()
        );
    }
}

/// Every leaf answered alike (all answers spread over the grades): the evaluation and the
/// batch scorer run on the tree, and agree.
fn evaluate_uniform(tree: &IndicatorTree) {
    let grades = GradeSet::satisfaction_5();
    let m = grades.len();
    let evaluator = Evaluator::new(tree, grades);
    let Some(scorer) = explained(BatchScorer::new(&evaluator), "batch scorer") else {
        return;
    };
    let counts: Vec<u32> = (0..scorer.n_leaves() * m).map(|i| (i % 3) as u32).collect();
    batch_equals_single(&evaluator, &scorer, &Input::Counts(&counts));
}

/// One batch input form.
enum Input<'a> {
    F64(&'a [f64]),
    Counts(&'a [u32]),
    Counts16(&'a [u16]),
    Counts8(&'a [u8]),
    /// Answer codes, merchants' row offsets, and the two as the scorer takes them.
    Answers(&'a [u8], &'a [usize], SurveyAnswers<'a>),
}

/// A merchant's data for the single path, or the error the batch must report for it.
fn single_data(
    input: &Input<'_>,
    ids: &[String],
    grades: &GradeSet,
    i: usize,
) -> Result<IndicatorMemberships, Error> {
    let (k, m) = (ids.len(), grades.len());
    let mut data = IndicatorMemberships::new(grades);
    let from_counts = |data: &mut IndicatorMemberships, rows: &mut dyn Iterator<Item = u64>| {
        for id in ids {
            let row: Vec<u64> = (&mut *rows).take(m).collect();
            let total: u64 = row.iter().sum();
            if total == 0 {
                data.insert_unobserved(id.clone(), 0)?;
            } else {
                let r = row.iter().map(|&c| c as f64 / total as f64).collect();
                data.insert(id.clone(), r, total as usize, 0)?;
            }
        }
        Ok::<_, Error>(())
    };
    let block = i * k * m..(i + 1) * k * m;
    match input {
        Input::F64(x) => {
            for (l, (id, row)) in ids.iter().zip(x[block].chunks_exact(m)).enumerate() {
                if data.insert(id.clone(), row.to_vec(), 1, 0).is_err() {
                    let col = row
                        .iter()
                        .position(|v| !(0.0..=1.0).contains(v))
                        .expect("a bad value");
                    return Err(EvaluationError::InvalidMembership {
                        row: l,
                        col,
                        value: row[col],
                    }
                    .into());
                }
            }
        }
        Input::Counts(x) => from_counts(&mut data, &mut x[block].iter().map(|&c| u64::from(c)))?,
        Input::Counts16(x) => from_counts(&mut data, &mut x[block].iter().map(|&c| u64::from(c)))?,
        Input::Counts8(x) => from_counts(&mut data, &mut x[block].iter().map(|&c| u64::from(c)))?,
        Input::Answers(answers, offsets, _) => {
            let mut survey = Survey::new(ids.to_vec(), grades.clone())?;
            for row in answers[offsets[i] * k..offsets[i + 1] * k].chunks_exact(k) {
                let codes: Vec<Option<usize>> = row
                    .iter()
                    .map(|&c| (c != MISSING_ANSWER).then_some(usize::from(c)))
                    .collect();
                survey.add_response("m", &codes)?;
            }
            match survey.memberships("m") {
                Ok(d) => return Ok(d),
                Err(_) => {
                    for id in ids {
                        data.insert_unobserved(id.clone(), 0)?;
                    }
                }
            }
        }
    }
    Ok(data)
}

/// Scores `input` in one batch (scores only, and with every node's `B`) and compares each
/// merchant with the single path: the same score (within [`CLOSED_FORM`] of the largest grade
/// value) and grade, the same normalised `B` at every node, or the same error.
fn batch_equals_single(evaluator: &Evaluator, scorer: &BatchScorer, input: &Input<'_>) {
    let (m, nodes) = (scorer.n_grades(), scorer.n_nodes());
    let n = match input {
        Input::F64(x) => x.len(),
        Input::Counts(x) => x.len(),
        Input::Counts16(x) => x.len(),
        Input::Counts8(x) => x.len(),
        Input::Answers(_, _, a) => a.merchants() * scorer.n_leaves() * m,
    } / (scorer.n_leaves() * m);
    let mut node_b = vec![0.0; n * nodes * m];
    let (mut scores, mut grade_of) = (vec![0.0; n], vec![0u32; n]);
    let with_b = {
        let out = BatchOutput::new(&mut scores, &mut grade_of)
            .expect("equal lengths")
            .with_node_b(&mut node_b);
        let summary = match input {
            Input::F64(x) => scorer.score_memberships(x, out),
            Input::Counts(x) => scorer.score_counts(x, out),
            Input::Counts16(x) => scorer.score_counts(x, out),
            Input::Counts8(x) => scorer.score_counts(x, out),
            Input::Answers(_, _, a) => scorer.score_answers(a, out),
        }
        .expect("a well-formed batch");
        BatchScores {
            scores,
            grades: grade_of,
            failures: summary.failures().to_vec(),
        }
    };
    let plain = match input {
        Input::F64(x) => scorer.score_memberships_vec(x),
        Input::Counts(x) => scorer.score_counts_vec(x),
        Input::Counts16(x) => scorer.score_counts_vec(x),
        Input::Counts8(x) => scorer.score_counts_vec(x),
        Input::Answers(_, _, a) => scorer.score_answers_vec(a),
    }
    .expect("a well-formed batch");
    let grades = evaluator.grades();
    let scale = grades
        .min_value()
        .abs()
        .max(grades.max_value().abs())
        .max(1.0);
    for i in 0..n {
        let single = single_data(input, scorer.leaf_ids(), grades, i).and_then(|d| {
            check_evaluation(evaluator, &d, "single path");
            evaluator.evaluate(&d)
        });
        for (batch, b) in [(&plain, None), (&with_b, Some(&node_b))] {
            let failure = batch.failures.iter().find(|f| f.merchant == i);
            match (&single, failure) {
                (Ok(single), None) => {
                    let root = single.root().result();
                    let (got, want) = (batch.scores[i], root.score());
                    assert!(
                        (got - want).abs() <= CLOSED_FORM * scale,
                        "merchant {i}: batch score {got}, single {want}"
                    );
                    assert_eq!(
                        batch.grades[i] as usize,
                        root.grade(),
                        "merchant {i}: grade"
                    );
                    let Some(b) = b else { continue };
                    let block = &b[i * nodes * m..(i + 1) * nodes * m];
                    for node in evaluator.tree().nodes() {
                        let got = &block[node.index() * m..(node.index() + 1) * m];
                        let want = single.node(node.id()).map(|e| e.result().normalized());
                        let want = want.map_or_else(|| vec![0.0; m], <[f64]>::to_vec);
                        for (g, w) in got.iter().zip(&want) {
                            assert!(
                                (g - w).abs() <= CLOSED_FORM,
                                "merchant {i} node {}: B {got:?}, single {want:?}",
                                node.id()
                            );
                        }
                    }
                }
                (Err(e), Some(f)) => {
                    assert_eq!(
                        format!("{:?}", f.error),
                        format!("{e:?}"),
                        "merchant {i}: error"
                    )
                }
                (Ok(_), Some(f)) => {
                    panic!("merchant {i}: batch failed ({}), single scored", f.error)
                }
                (Err(e), None) => panic!("merchant {i}: single failed ({e}), batch scored"),
            }
        }
    }
}

/// Reads the fuzzer's bytes front to back; zeros once they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
        self.0 = rest;
        first
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }
}

/// Values the batch target draws memberships and grade values from, besides `b / 199`.
const EDGES: [f64; 14] = [
    0.0,
    -0.0,
    1.0,
    0.5,
    5e-324,
    f64::MIN_POSITIVE,
    1e-300,
    1.000_000_000_000_000_2,
    0.999_999_999_999_999_9,
    f64::NAN,
    -1e-300,
    1e300,
    f64::MAX,
    f64::INFINITY,
];

fn value(byte: u8) -> f64 {
    if byte < 200 {
        f64::from(byte) / 199.0
    } else {
        EDGES[usize::from(byte - 200) % EDGES.len()]
    }
}

/// A tree shaped by the fuzzer: the root's children are leaves or groups of leaves, weights
/// raw numbers from the bytes (validation may refuse them).
fn fuzzed_tree(b: &mut Bytes<'_>) -> Option<IndicatorTree> {
    let children = (0..1 + b.below(4))
        .map(|c| match b.below(4) {
            0 => NodeSpec::leaf(format!("l{c}"), "leaf"),
            k => NodeSpec::group(
                format!("g{c}"),
                "group",
                (0..k)
                    .map(|j| NodeSpec::leaf(format!("l{c}_{j}"), "leaf"))
                    .collect(),
            )
            .with_raw_weights((0..k).map(|_| f64::from(b.byte())).collect()),
        })
        .collect::<Vec<_>>();
    let raw = children.iter().map(|_| f64::from(b.byte())).collect();
    explained(
        IndicatorTree::new(NodeSpec::group("goal", "goal", children).with_raw_weights(raw)),
        "tree",
    )
}

/// A grade set chosen by the fuzzer: a bundled one, or 2..=12 grades with values from
/// [`value`] scaled up to 100 or taken from [`EDGES`] (validation may refuse them).
fn fuzzed_grades(b: &mut Bytes<'_>) -> Option<GradeSet> {
    match b.below(4) {
        0 => Some(GradeSet::satisfaction_5()),
        1 => Some(GradeSet::satisfaction_5_points()),
        _ => {
            let m = 2 + b.below(11);
            let grades = (0..m)
                .map(|j| {
                    let byte = b.byte();
                    let v = if byte < 200 {
                        100.0 * value(byte)
                    } else {
                        value(byte)
                    };
                    Grade::new(format!("g{j}"), if byte.is_multiple_of(2) { v } else { -v })
                })
                .collect();
            explained(GradeSet::new(grades), "grades")
        }
    }
}

/// The batch scorer against the single path on a shape (tree, grades, operators, policy,
/// input form, merchants) and data chosen by the fuzzer.
pub fn batch(data: &[u8]) {
    let mut b = Bytes(data);
    let tree = match b.below(3) {
        0 => bundled_tree().clone(),
        1 => IndicatorTree::new(service_quality::template::after_sales()).expect("the template"),
        _ => match fuzzed_tree(&mut b) {
            Some(t) => t,
            None => return,
        },
    };
    let Some(grades) = fuzzed_grades(&mut b) else {
        return;
    };
    let mut evaluator = Evaluator::new(&tree, grades.clone()).operator(OPERATORS[b.below(4)]);
    if b.byte() % 2 == 1 {
        evaluator = evaluator.level_operator(1, OPERATORS[b.below(4)]);
    }
    if b.byte() % 2 == 1 {
        evaluator = evaluator.unanswered(Unanswered::Exclude);
    }
    let Some(scorer) = explained(BatchScorer::new(&evaluator), "batch scorer") else {
        return;
    };
    let (k, m) = (scorer.n_leaves(), scorer.n_grades());
    let form = b.below(5);
    let rest = b.0;
    let whole = |unit: usize| rest.len() / (unit * k * m) * (k * m);
    match form {
        0 => {
            let x: Vec<f64> = rest[..whole(1)].iter().map(|&v| value(v)).collect();
            batch_equals_single(&evaluator, &scorer, &Input::F64(&x));
        }
        1 => batch_equals_single(&evaluator, &scorer, &Input::Counts8(&rest[..whole(1)])),
        2 => {
            let x: Vec<u16> = rest
                .chunks_exact(2)
                .take(whole(2))
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            batch_equals_single(&evaluator, &scorer, &Input::Counts16(&x));
        }
        3 => {
            let x: Vec<u32> = rest
                .chunks_exact(2)
                .take(whole(2))
                .map(|c| u32::from(c[0]) << (c[1] % 25))
                .collect();
            batch_equals_single(&evaluator, &scorer, &Input::Counts(&x));
        }
        _ => {
            // the first bytes: respondents per merchant; the rest: answer codes, mostly valid
            let mut b = Bytes(rest);
            let merchants = b.below(70);
            let mut offsets = vec![0];
            for _ in 0..merchants {
                offsets.push(offsets[offsets.len() - 1] + b.below(4));
            }
            let rows = offsets[offsets.len() - 1];
            let answers: Vec<u8> = (0..rows * k)
                .map(|_| match usize::from(b.byte()) {
                    c if c >= 240 => c as u8,
                    c if c % (m + 1) == m => MISSING_ANSWER,
                    c => (c % (m + 1)) as u8,
                })
                .collect();
            let a = SurveyAnswers::new(&answers, k, &offsets).expect("a consistent layout");
            batch_equals_single(&evaluator, &scorer, &Input::Answers(&answers, &offsets, a));
        }
    }
}

/// Parquet answers: any bytes read as long and as wide answers give an error with a message,
/// or a tally whose counts fit the model, add up to the answers counted, and score within the
/// grade range.
#[cfg(feature = "parquet")]
pub fn parquet(data: &[u8]) {
    use service_quality::batch::{ParquetLayout, ParquetTally};
    let tree = bundled_tree();
    let evaluator =
        Evaluator::new(tree, GradeSet::satisfaction_5()).unanswered(Unanswered::Exclude);
    let scorer = BatchScorer::new(&evaluator).expect("the bundled model compiles");
    let block = scorer.n_leaves() * scorer.n_grades();
    let bytes = bytes::Bytes::copy_from_slice(data);
    for layout in [
        ParquetLayout::long("merchant", "indicator", "grade"),
        ParquetLayout::wide("merchant"),
    ] {
        match ParquetTally::read_from(bytes.clone(), &evaluator, &layout) {
            Err(e) => assert!(!e.to_string().is_empty(), "an error without a message"),
            Ok(tally) => {
                assert_eq!(tally.counts().len(), tally.merchants().len() * block);
                let total: u64 = tally.counts().iter().map(|&c| u64::from(c)).sum();
                assert_eq!(
                    total,
                    tally.answers(),
                    "counts do not add up to the answers"
                );
                let scores = tally.score(&scorer).expect("a tally of the model's shape");
                let (lo, hi) = (
                    evaluator.grades().min_value(),
                    evaluator.grades().max_value(),
                );
                for (i, &score) in scores.scores.iter().enumerate() {
                    if scores.failures.iter().all(|f| f.merchant != i) {
                        assert!(
                            score.is_finite() && score >= lo && score <= hi,
                            "score {score}"
                        );
                    }
                }
            }
        }
    }
}
