//! Batch scoring: a whole platform's merchants in one call.
//!
//! Builds the after-sales evaluation from the bundled model
//! (`examples/data/after_sales_model.json`), makes a table of answer counts for 200,000
//! merchants (13 indicators x 5 grades, `u16`, deterministic), scores all of them with the
//! compiled [`BatchScorer`] into caller-provided buffers, checks one merchant against the
//! single-merchant evaluation, and prints the grade distribution and the throughput.
//! Merchants with an unanswered indicator are reported by index, not dropped silently.
//!
//! The model is loaded with `IndicatorTree::from_json` and the strict build
//! (`require_consistency(DEFAULT_CR_THRESHOLD)`), which refuses judgements with CR >= 0.10.
//!
//! Run: `cargo run --release --example batch_scoring`

use std::error::Error;
use std::time::Instant;

use service_quality::{
    BatchOutput, BatchScorer, Evaluator, GradeSet, IndicatorMemberships, IndicatorTree,
    DEFAULT_CR_THRESHOLD,
};

const MERCHANTS: usize = 200_000;

fn main() -> Result<(), Box<dyn Error>> {
    let model = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/after_sales_model.json"
    );
    let tree = IndicatorTree::from_json(&std::fs::read_to_string(model)?)?
        .require_consistency(DEFAULT_CR_THRESHOLD)?;
    let grades = GradeSet::satisfaction_5();
    let evaluator = Evaluator::new(&tree, grades.clone());
    let scorer = BatchScorer::new(&evaluator)?;
    let (k, m) = (scorer.n_leaves(), scorer.n_grades());

    // answer counts: merchant-major, leaves in the tree's order, grades best first
    let mut state = 0x2026_1126_u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as u16
    };
    let mut counts = vec![0u16; MERCHANTS * k * m];
    for (i, block) in counts.chunks_exact_mut(k * m).enumerate() {
        let quality = i % 7; // some merchants better than others
        for row in block.chunks_exact_mut(m) {
            for (j, c) in row.iter_mut().enumerate() {
                let bias = if j <= quality % m { 6 } else { 1 };
                *c = next() % (bias * 4);
            }
        }
    }
    // every 10,000th merchant has no answer at all on its first indicator
    for i in (0..MERCHANTS).step_by(10_000) {
        counts[i * k * m..i * k * m + m].fill(0);
    }

    let mut scores = vec![0.0; MERCHANTS];
    let mut grade_of = vec![0u32; MERCHANTS];
    let start = Instant::now();
    let summary = scorer.score_counts(&counts, BatchOutput::new(&mut scores, &mut grade_of)?)?;
    let elapsed = start.elapsed();

    println!(
        "scored {} of {MERCHANTS} merchants in {:.1} ms ({:.1} M merchants/s, one thread)",
        summary.scored(),
        elapsed.as_secs_f64() * 1e3,
        summary.scored() as f64 / elapsed.as_secs_f64() / 1e6
    );
    println!("not scored: {} merchants", summary.failures().len());
    if let Some(f) = summary.failures().first() {
        println!("  e.g. merchant {}: {}", f.merchant, f.error);
    }

    // the batch gives what the single-merchant evaluation gives
    let probe = 12_345;
    let mut data = IndicatorMemberships::new(&grades);
    for (l, id) in scorer.leaf_ids().iter().enumerate() {
        let row = &counts[(probe * k + l) * m..(probe * k + l + 1) * m];
        let total: u32 = row.iter().map(|&c| u32::from(c)).sum();
        let r = row
            .iter()
            .map(|&c| f64::from(c) / f64::from(total))
            .collect();
        data.insert(id.clone(), r, total as usize, 0)?;
    }
    let single = evaluator.evaluate(&data)?;
    println!(
        "merchant {probe}: batch {:.6} vs single {:.6} (grade {} / {})",
        scores[probe],
        single.root().result().score(),
        grade_of[probe],
        single.root().result().grade()
    );

    println!("\ngrade distribution:");
    let failed: std::collections::HashSet<usize> =
        summary.failures().iter().map(|f| f.merchant).collect();
    for (j, grade) in grades.grades().iter().enumerate() {
        let n = (0..MERCHANTS)
            .filter(|i| !failed.contains(i) && grade_of[*i] as usize == j)
            .count();
        println!("  {:<18} {:>7}", grade.label(), n);
    }
    Ok(())
}
