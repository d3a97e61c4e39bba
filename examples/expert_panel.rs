//! Five experts weight the after-sales indicator system together.
//!
//! Shows group AHP on a whole hierarchy: the five experts' judgements are read from the bundled
//! panel file `examples/data/expert_panel.json` (one expert, E4, is inconsistent at the goal;
//! another, E5, skipped some comparisons), aggregated node by node (AIJ, with experts whose
//! CR is not below 0.10 excluded and reported), checked for consensus, and the inconsistent
//! expert's matrix is diagnosed and repaired so the expert can be asked to revise it.
//!
//! The judgements are illustrative, written by hand for this example (see
//! `examples/data/README.md`); they are not survey data.
//!
//! Run with `cargo run --example expert_panel` (needs the default `serde` feature).

use service_quality::{
    Aggregation, AipMean, CompletionMethod, GroupTree, IncompleteMatrix, PairwiseMatrix, PanelSpec,
    PriorityMethod, RepairOptions,
};

const PANEL: &str = include_str!("data/expert_panel.json");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let spec: PanelSpec = serde_json::from_str(PANEL)?;
    let names: Vec<String> = spec.experts.iter().map(|e| e.name.clone()).collect();
    let group = GroupTree::from_spec(spec.clone())?;

    println!("== Group weights (AIJ, experts with CR >= 0.10 excluded per node) ==");
    for node in group.nodes() {
        let r = node.result();
        println!("node `{}`: {}", node.path(), r);
        for e in r.excluded() {
            println!(
                "  excluded {}: CR {:.3} >= {}",
                names[e.expert], e.cr, e.threshold
            );
        }
        for (expert, c) in node.completions() {
            println!("  {} had missing pairs; {c}", names[*expert]);
        }
        let gcompi: Vec<String> = r
            .compatibility()
            .iter()
            .map(|g| format!("{g:.3}"))
            .collect();
        println!("  GCOMPI per expert: [{}]", gcompi.join(", "));
    }
    println!("\n== Global weights of the indicators ==");
    for leaf in group.tree().leaves() {
        let zh = leaf.label_zh().unwrap_or("");
        println!("{:<32} {:<14} {:.4}", leaf.path(), zh, leaf.global_weight());
    }

    // the same panel aggregated by priorities (geometric mean) instead of judgements
    let mut aip = spec.clone();
    aip.options = aip
        .options
        .with_aggregation(Aggregation::Priorities(AipMean::Geometric));
    let aip = GroupTree::from_spec(aip)?;
    println!("\n== Goal weights: AIJ vs AIP (geometric) ==");
    for (a, b) in group
        .tree()
        .root()
        .children()
        .zip(aip.tree().root().children())
    {
        println!(
            "{:<16} {:.4}  {:.4}",
            a.id(),
            a.local_weight(),
            b.local_weight()
        );
    }

    // diagnose and repair the inconsistent expert's goal matrix (E4, index 3)
    let goal = group.node("after_sales").ok_or("goal node")?;
    let e4 = &goal.result().individual()[3];
    println!("\n== {} at the goal: CR {:.3} ==", names[3], e4.cr());
    let rows = match spec.experts[3].root.weighting() {
        Some(service_quality::hierarchy::ChildWeighting::Judgements(
            service_quality::Judgements::Upper(u),
        )) => u.clone(),
        _ => return Err("E4 gives an upper triangle at the goal".into()),
    };
    let m = PairwiseMatrix::from_upper_triangle(4, &rows)?;
    println!("{}", m.gci()?);
    println!("{}", m.triad_inconsistency());
    for j in m
        .inconsistent_judgements(PriorityMethod::Eigenvector)?
        .iter()
        .take(3)
    {
        println!(
            "  a_{},{} = {:.3}; consistent with the rest: {:.3} (e = {:.3})",
            j.i, j.j, j.value, j.consistent_value, j.error
        );
    }
    let repair = m.repair(&RepairOptions::new())?;
    println!("repair (for discussion with the expert, never applied silently):\n{repair}");

    // the expert who skipped comparisons: three completion methods at the goal
    let e5 = IncompleteMatrix::from_judgements(
        4,
        &[(0, 1, 2.0), (1, 2, 2.0), (3, 0, 2.0), (3, 2, 5.0)],
    )?;
    println!(
        "\n== {} at the goal, missing {:?} ==",
        names[4],
        e5.missing_pairs()
    );
    for method in [
        CompletionMethod::Harker,
        CompletionMethod::LogLeastSquares,
        CompletionMethod::Optimal,
    ] {
        println!("{}", e5.complete(method)?);
    }
    Ok(())
}
