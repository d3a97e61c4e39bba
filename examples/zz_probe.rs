use service_quality::*;
fn main() {
    let dims = ["a", "b", "c", "d"];
    let children = dims
        .iter()
        .map(|d| {
            NodeSpec::group(
                *d,
                *d,
                (0..3)
                    .map(|i| NodeSpec::leaf(format!("{d}_{i}"), "x"))
                    .collect(),
            )
            .with_weights(vec![0.5, 0.3, 0.2])
        })
        .collect();
    let tree = IndicatorTree::new(
        NodeSpec::group("goal", "goal", children).with_weights(vec![0.3, 0.2, 0.2, 0.3]),
    )
    .unwrap();
    let sc = BatchScorer::new(&Evaluator::new(&tree, GradeSet::satisfaction_5())).unwrap();
    let n = 1000usize;
    let mut st = 1u64;
    let rows: Vec<u8> = (0..n * 240)
        .map(|_| {
            st = st
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            match (st >> 40) % 16 {
                15 => 255,
                r => (r % 5) as u8,
            }
        })
        .collect();
    let offsets: Vec<usize> = (0..=n).map(|i| i * 20).collect();
    let mut s = vec![0.0; n];
    let mut g = vec![0u32; n];
    let t0 = std::time::Instant::now();
    for _ in 0..4000 {
        let a = SurveyAnswers::new(&rows, 12, &offsets).unwrap();
        sc.score_answers(&a, BatchOutput::new(&mut s, &mut g).unwrap())
            .unwrap();
    }
    println!(
        "{:.3} ns per merchant",
        t0.elapsed().as_nanos() as f64 / (4000.0 * n as f64)
    );
}
