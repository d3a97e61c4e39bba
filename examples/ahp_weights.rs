//! AHP weights of the after-sales indicator system from a set of expert judgements.
//!
//! Loads `examples/data/after_sales_model.json` (the after-sales template with pairwise
//! judgements at the goal and at each of the four dimensions), and prints a table of every
//! node's local and global weight with the consistency of its children's judgements
//! (lambda_max, CI, CR, pass/fail at CR < 0.10), labelled in English and Chinese.
//!
//! It loads the model with `IndicatorTree::from_json` and the lenient build, which accepts
//! inconsistent judgements, because showing their CR is its purpose; it warns when a CR is
//! 0.10 or more. (The other examples use the strict build, `require_consistency`.)
//!
//! Run: `cargo run --example ahp_weights [path/to/model.json]`

use std::error::Error;

use service_quality::{IndicatorTree, DEFAULT_CR_THRESHOLD};

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/data/after_sales_model.json"
        )
        .to_owned()
    });
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    // the lenient build: inconsistent judgements are shown, not refused
    let tree = IndicatorTree::from_json(&text).map_err(|e| format!("{path}: {e}"))?;
    let opts = tree.options();

    println!("AHP weights of `{}` ({path})", tree.root().label());
    println!(
        "method: {:?}, random index: {}, CR threshold {DEFAULT_CR_THRESHOLD}\n",
        opts.method(),
        opts.random_index().kind()
    );
    println!(
        "{:<34} {:>7} {:>7} {:>8} {:>7} {:>7}  {:<5} label / 标签",
        "node", "local", "global", "λmax", "CI", "CR", "pass"
    );
    for node in tree.nodes() {
        let name = format!("{}{}", "  ".repeat(node.depth()), node.id());
        let consistency = match node.consistency() {
            Some(c) => format!(
                "{:>8.4} {:>7.4} {:>7.4}  {:<5}",
                c.lambda_max(),
                c.ci(),
                c.cr(),
                if c.is_acceptable(DEFAULT_CR_THRESHOLD) {
                    "yes"
                } else {
                    "NO"
                }
            ),
            None => format!("{:>8} {:>7} {:>7}  {:<5}", "", "", "", ""),
        };
        println!(
            "{name:<34} {:>7.4} {:>7.4} {consistency} {} / {}",
            node.local_weight(),
            node.global_weight(),
            node.label(),
            node.label_zh().unwrap_or("-")
        );
    }

    let total: f64 = tree.leaves().map(|l| l.global_weight()).sum();
    println!(
        "\nsum of the {} indicators' global weights: {total:.12}",
        tree.leaf_count()
    );
    let mut ranked = tree.leaf_weights();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("most important indicators:");
    for (id, w) in ranked.iter().take(5) {
        let node = tree.node(id)?;
        println!(
            "  {:<30} {w:.4}  {}",
            node.path(),
            node.label_zh().unwrap_or("")
        );
    }
    if !tree.is_consistent(DEFAULT_CR_THRESHOLD) {
        println!("\nwarning: some judgements are not acceptably consistent (CR >= 0.10)");
    }
    Ok(())
}
