//! Survey intake: a questionnaire export's bytes to every merchant's score, beside a plain
//! `csv::ByteRecord` pass over the same bytes, in the same run.
//!
//! Run with `cargo bench --bench intake --features parallel` (without `parallel` the
//! two-thread row is left out). The file is generated at bench time, in memory: 1e6 respondent
//! rows (`INTAKE_BENCH_ROWS=N` for another number; the regression gate runs 1e5), a merchant column and 13 indicator columns (the after-sales template), 2,000
//! merchants in random order, cells the Chinese labels 很满意 … 很不满意 (about 4 % empty),
//! comma-delimited, LF line ends: about 120 MB of UTF-8 (and its GBK copy, about 90 MB). With
//! `INTAKE_BENCH_FILE=path` the UTF-8 file is also written there, for
//! `scripts/intake_peers.py` (pandas and polars on the same bytes). Groups (throughput in
//! rows):
//!
//! - `intake/csv_byte_record`: `csv::Reader::read_byte_record` over every record, nothing else
//!   (the parser's own cost: the baseline);
//! - `intake/file_to_scores`: `SurveyCounts::read` + `BatchScorer::score_counts`, one thread;
//! - `intake/file_to_scores_gbk`: the same on the GBK copy;
//! - `intake/file_to_scores_parallel`: `SurveyCounts::read_parallel` on a two-thread pool.
//!
//! Numbers and the machine are in the README (section "Reading survey files") and in
//! docs/PERFORMANCE.md.

use std::hint::black_box;
use std::time::Duration;

#[path = "common/gate_clock.rs"]
mod gate_clock;
#[path = "common/gate_settings.rs"]
mod gate_settings;
#[path = "common/splitmix.rs"]
mod splitmix;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gate_clock::GateClock;
use service_quality::input::{SurveyCounts, SurveyLayout, TextEncoding};
use service_quality::{template, BatchScorer, Evaluator, IndicatorTree};
use splitmix::SplitMix;

/// Respondent rows of the file unless `INTAKE_BENCH_ROWS` says otherwise.
const ROWS: usize = 1_000_000;
const MERCHANTS: usize = 2_000;
const LABELS: [&str; 5] = ["很满意", "满意", "一般", "不满意", "很不满意"];

/// The number of respondent rows: `INTAKE_BENCH_ROWS`, or [`ROWS`].
fn rows() -> usize {
    std::env::var("INTAKE_BENCH_ROWS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n| n >= MERCHANTS)
        .unwrap_or(ROWS)
}

/// The survey file: header of leaf ids, then `rows` rows.
fn survey(tree: &IndicatorTree, rows: usize) -> String {
    let mut rng = SplitMix(20_261_129);
    let mut text = String::from("merchant");
    for leaf in tree.leaves() {
        text.push(',');
        text.push_str(leaf.id());
    }
    text.push('\n');
    let leaves = tree.leaf_count();
    for _ in 0..rows {
        let m = (rng.next_u64() % MERCHANTS as u64) as usize;
        text.push_str(&format!("shop-{m:04}"));
        for _ in 0..leaves {
            text.push(',');
            let r = rng.next_u64() % 100;
            if r >= 4 {
                // skewed towards the better grades, as real answers are
                let g = [0, 0, 1, 1, 1, 2, 2, 3, 4, 1][(r % 10) as usize];
                text.push_str(LABELS[g]);
            }
        }
        text.push('\n');
    }
    text
}

fn bench(c: &mut Criterion<GateClock>) {
    let tree = IndicatorTree::new(template::after_sales()).expect("template");
    let rows = rows();
    let text = survey(&tree, rows);
    if let Ok(path) = std::env::var("INTAKE_BENCH_FILE") {
        std::fs::write(&path, text.as_bytes()).expect("writable INTAKE_BENCH_FILE");
    }
    let gbk = encoding_rs::GBK.encode(&text).0.into_owned();
    let utf8 = text.into_bytes();
    eprintln!(
        "intake bench file: {} rows, {} merchants, {:.1} MB UTF-8, {:.1} MB GBK",
        rows,
        MERCHANTS,
        utf8.len() as f64 / 1e6,
        gbk.len() as f64 / 1e6
    );
    let layout = SurveyLayout::new("merchant");
    let evaluator = Evaluator::new(&tree, layout.grades().clone());
    let scorer = BatchScorer::new(&evaluator).expect("scorer");

    let mut g = c.benchmark_group("intake");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(rows as u64));
    gate_settings::group(&mut g);
    g.bench_function("csv_byte_record", |b| {
        b.iter(|| {
            let mut rdr = csv::ReaderBuilder::new().from_reader(black_box(&utf8[..]));
            let mut record = csv::ByteRecord::new();
            let mut n = 0usize;
            while rdr.read_byte_record(&mut record).expect("csv") {
                n += record.len();
            }
            n
        })
    });
    let to_scores = |bytes: &[u8], layout: &SurveyLayout| {
        let counts = SurveyCounts::read(bytes, &tree, layout)
            .expect("header")
            .into_result()
            .expect("rows");
        scorer.score_counts_vec(counts.counts()).expect("scores")
    };
    let first = to_scores(&utf8, &layout);
    assert_eq!(first.scores.len(), MERCHANTS);
    assert!(first.failures.is_empty());
    g.bench_function("file_to_scores", |b| {
        b.iter(|| to_scores(black_box(&utf8), &layout))
    });
    let gbk_layout = layout.clone().with_encoding(TextEncoding::Gb18030);
    assert_eq!(to_scores(&gbk, &gbk_layout).scores, first.scores);
    g.bench_function("file_to_scores_gbk", |b| {
        b.iter(|| to_scores(black_box(&gbk), &gbk_layout))
    });
    #[cfg(feature = "parallel")]
    {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        let parallel = |bytes: &[u8]| {
            pool.install(|| {
                let counts = SurveyCounts::read_parallel(bytes, &tree, &layout)
                    .expect("header")
                    .into_result()
                    .expect("rows");
                scorer.score_counts_vec(counts.counts()).expect("scores")
            })
        };
        assert_eq!(parallel(&utf8).scores, first.scores);
        g.bench_function("file_to_scores_parallel", |b| {
            b.iter(|| parallel(black_box(&utf8)))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = gate_settings::criterion(Criterion::default());
    targets = bench
}
criterion_main!(benches);
