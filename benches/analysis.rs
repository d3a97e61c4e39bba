//! Questionnaire statistics over 1e6 respondents × 13 items against the time to read the file.
//!
//! The file is generated at bench time (in memory: 1e6 rows of 13 answer codes 1–5 driven by
//! one latent variable, about 2 % of the cells empty) and every routine starts from its bytes:
//!
//! - `parse`: the baseline, one pass of `csv::ByteRecord` parsing the 13 fields as `f64`;
//! - `streaming`: the same pass feeding `DescriptiveAccumulator` (per-item statistics) and
//!   `CovarianceAccumulator` (co-moments), then the descriptive statistics, Cronbach's alpha
//!   (listwise, with alpha-if-deleted, item-total and split-half) and the Pearson correlation
//!   matrix with p-values;
//! - `table`: the same pass collecting a `Responses` table, then `describe`,
//!   `Reliability::of` and `CorrelationMatrix::of` on it.
//!
//! Run with `cargo bench --bench analysis`.
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use service_quality::analysis::{
    describe, CorrelationMatrix, CorrelationMethod, CovarianceAccumulator, DescriptiveAccumulator,
    MissingPolicy, Reliability, Responses,
};

#[path = "common/splitmix.rs"]
mod splitmix;

use splitmix::SplitMix;

const ROWS: usize = 1_000_000;
const ITEMS: usize = 13;

/// The survey as CSV bytes: a header, then one row per respondent.
fn survey_csv() -> Vec<u8> {
    let mut rng = SplitMix(20_261_129);
    let mut out = Vec::with_capacity(ROWS * ITEMS * 2 + 200);
    let header: Vec<String> = (1..=ITEMS).map(|j| format!("q{j}")).collect();
    out.extend_from_slice(header.join(",").as_bytes());
    out.push(b'\n');
    for _ in 0..ROWS {
        let latent = rng.unit() * 3.0;
        for j in 0..ITEMS {
            if j > 0 {
                out.push(b',');
            }
            if rng.unit() < 0.02 {
                continue; // missing
            }
            let code = (1.0 + latent + rng.unit() * 2.0).floor().min(5.0);
            out.push(b'0' + code as u8);
        }
        out.push(b'\n');
    }
    out
}

/// One pass over the records, each row's fields parsed into `row` and handed to `each`.
fn read(bytes: &[u8], mut each: impl FnMut(&[Option<f64>])) {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut row = [None; ITEMS];
    while reader.read_byte_record(&mut record).expect("valid CSV") {
        for (cell, field) in row.iter_mut().zip(record.iter()) {
            *cell = if field.is_empty() {
                None
            } else {
                Some(
                    std::str::from_utf8(field)
                        .expect("ASCII")
                        .parse::<f64>()
                        .expect("a number"),
                )
            };
        }
        each(&row);
    }
}

fn ids() -> Vec<String> {
    (1..=ITEMS).map(|j| format!("q{j}")).collect()
}

fn bench(c: &mut Criterion) {
    let bytes = survey_csv();
    let mut group = c.benchmark_group("analysis_1e6x13");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("parse", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            read(black_box(&bytes), |row| {
                sum += row.iter().flatten().sum::<f64>()
            });
            black_box(sum)
        })
    });
    group.bench_function("streaming", |b| {
        b.iter(|| {
            let mut descriptive = DescriptiveAccumulator::new(ids());
            let mut comoments = CovarianceAccumulator::new(ids());
            read(black_box(&bytes), |row| {
                descriptive.push_row(row).expect("valid row");
                comoments.push_row(row).expect("valid row");
            });
            let stats = descriptive.finish();
            let alpha =
                Reliability::from_comoments(&comoments, MissingPolicy::Listwise).expect("defined");
            let r = comoments.pearson();
            black_box((stats, alpha, r))
        })
    });
    group.bench_function("table", |b| {
        b.iter(|| {
            let mut rows = Vec::with_capacity(ROWS);
            read(black_box(&bytes), |row| rows.push(row.to_vec()));
            let table = Responses::new(ids(), rows).expect("valid");
            let stats = describe(&table);
            let alpha = Reliability::of(&table, MissingPolicy::Listwise).expect("defined");
            let r = CorrelationMatrix::of(&table, CorrelationMethod::Pearson);
            black_box((stats, alpha, r))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
