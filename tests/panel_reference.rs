//! Expert-panel features against independent implementations.
//!
//! Reference values: tests/data/panel_reference.json, written by
//! `scripts/reference/panel_reference.py` (its metadata names the Python, numpy, scipy, AHPy
//! and pyDecision versions; the script says what each value is). Tolerances: `REFERENCE`
//! unless a comment names a looser convergence tolerance of the method.
//! Published examples: the AHPy 2.1 README "Missing Pairwise Comparisons" example. The
//! consensus formula (`D_alpha,min`, `D_gamma,max = n`) follows Goepel's AHP-OS
//! (github.com/bpmsg/ahp-os, `classes/AhpGroup.php`, `getConsensus`, `ahpShannonCor`).

mod common;

use common::check::{assert_all_close, assert_all_close_rel, assert_close, assert_printed};
use common::reference::{self, CompletionCase, PanelCase};
use common::tol::{
    AHPY_COMPLETION, BIT_EXACT, CLOSED_FORM, EIGEN, ONE_UNIT_4TH_DECIMAL, OPTIMUM, REFERENCE,
};
use service_quality::fuzzy_ahp::fuzzy_saaty;
use service_quality::group::{aggregate_judgements, aggregate_priorities, AhpConsensus};
use service_quality::{
    AipMean, CompletionMethod, CompletionOptions, ExpertWeights, FuzzyPairwiseMatrix,
    IncompleteMatrix, PairwiseMatrix, Panel, PanelOptions, PriorityMethod, PriorityOptions,
    RandomIndex, Weights,
};

fn panel_case() -> PanelCase {
    reference::panel().panel
}

fn matrices(case: &PanelCase) -> Vec<PairwiseMatrix> {
    case.experts_upper
        .iter()
        .map(|u| PairwiseMatrix::from_upper_triangle(4, u).unwrap())
        .collect()
}

fn weights(case: &PanelCase) -> ExpertWeights {
    ExpertWeights::new(&case.expert_weights).unwrap()
}

#[test]
fn reference_file_names_its_tools() {
    let m = reference::panel().metadata;
    assert_eq!(m.generator, "scripts/reference/panel_reference.py");
    assert_eq!(
        (m.numpy.as_str(), m.scipy.as_str(), m.ahpy.as_str()),
        ("2.4.6", "1.17.1", "2.1")
    );
    assert_eq!(m.pydecision.as_deref(), Some("5.1.8"));
}

#[test]
fn aij_matches_numpy() {
    let case = panel_case();
    let g = aggregate_judgements(&matrices(&case), &weights(&case)).unwrap();
    assert_all_close_rel(
        &g.upper_triangle(),
        &case.aij_upper,
        REFERENCE,
        "AIJ entries",
    );
    let p = g.priorities(PriorityMethod::Eigenvector).unwrap();
    let w = p.weights().as_slice();
    assert_all_close_rel(w, &case.aij_eigenvector, REFERENCE, "AIJ eigenvector");
    assert_close(
        p.lambda_max(),
        case.aij_lambda_max,
        REFERENCE,
        "AIJ lambda_max",
    );
}

fn expert_eigenvectors(case: &PanelCase) -> Vec<Weights> {
    matrices(case)
        .iter()
        .map(|m| {
            m.priorities(PriorityMethod::Eigenvector)
                .unwrap()
                .into_weights()
        })
        .collect()
}

#[test]
fn expert_eigenvectors_match_numpy() {
    let case = panel_case();
    let ws = expert_eigenvectors(&case);
    assert_eq!(ws.len(), case.expert_eigenvectors.len());
    for (w, r) in ws.iter().zip(&case.expert_eigenvectors) {
        assert_all_close_rel(w.as_slice(), r, REFERENCE, "expert eigenvector");
    }
}

#[test]
fn aip_matches_numpy() {
    let case = panel_case();
    let ws = expert_eigenvectors(&case);
    let geo = aggregate_priorities(&ws, &weights(&case), AipMean::Geometric).unwrap();
    let want = &case.aip_geometric;
    assert_all_close_rel(geo.as_slice(), want, REFERENCE, "AIP geometric");
    let ari = aggregate_priorities(&ws, &weights(&case), AipMean::Arithmetic).unwrap();
    let want = &case.aip_arithmetic;
    assert_all_close_rel(ari.as_slice(), want, REFERENCE, "AIP arithmetic");
}

#[test]
fn consensus_matches_numpy() {
    let case = panel_case();
    let ws = expert_eigenvectors(&case);
    let c = AhpConsensus::new(&ws, &weights(&case)).unwrap();
    assert_close(c.s_star(), case.s_star, REFERENCE, "S*");
    assert_close(c.d_beta(), case.d_beta, REFERENCE, "D_beta");
    let three = AhpConsensus::new(&ws[..3], &ExpertWeights::equal(3).unwrap()).unwrap();
    let want = case.s_star_first_three_equal;
    assert_close(three.s_star(), want, REFERENCE, "S* of three");
}

#[test]
fn gci_koczkodaj_and_compatibility_match_numpy() {
    let case = panel_case();
    let ms = matrices(&case);
    assert_eq!(ms.len(), case.gci.len());
    for (k, m) in ms.iter().enumerate() {
        assert_close(m.gci().unwrap().value(), case.gci[k], REFERENCE, "GCI");
        let tri = m.triad_inconsistency();
        assert_close(tri.value(), case.koczkodaj[k], CLOSED_FORM, "Koczkodaj");
        let w = tri.worst().unwrap();
        assert_eq!((w.i, w.j, w.k), case.koczkodaj_worst_triad[k]);
    }
    let panel = Panel::with_expert_weights(ms, weights(&case)).unwrap();
    let r = panel.evaluate(&PanelOptions::new()).unwrap();
    let want = &case.gcompi_vs_aij;
    assert_all_close_rel(r.compatibility(), want, REFERENCE, "GCOMPI");
}

fn incomplete(case: &CompletionCase) -> IncompleteMatrix {
    IncompleteMatrix::from_judgements(case.n, &case.given).unwrap()
}

/// The completed entries in the order of `case.missing`.
fn filled(c: &service_quality::ahp::Completion, case: &CompletionCase) -> Vec<f64> {
    let pairs: Vec<(usize, usize)> = c.filled().iter().map(|e| (e.i, e.j)).collect();
    assert_eq!(pairs, case.missing);
    c.filled().iter().map(|e| e.value).collect()
}

/// The AHPy README "Missing_CD" example (AHPy 2.1 README, section "Missing Pairwise
/// Comparisons"): a..d with (c, d) missing; the README prints the computed value
/// 0.7302971068355002, weights b 0.392, a 0.3738, d 0.1357, c 0.0985 and CR 0.0372.
#[test]
fn optimal_completion_matches_ahpy_and_scipy() {
    // AHPy minimises each coordinate with scipy's bounded minimize_scalar (xatol 1e-5), so it
    // agrees to AHPY_COMPLETION; the scipy BFGS optimum (gradient tolerance 1e-13) to OPTIMUM
    let completion = reference::panel().completion;
    for case in [&completion.readme, &completion.six] {
        let c = incomplete(case)
            .complete(CompletionMethod::Optimal)
            .unwrap();
        let got = filled(&c, case);
        assert_all_close_rel(&got, &case.optimum, OPTIMUM, "scipy optimum");
        assert_all_close_rel(&got, &case.ahpy_completed, AHPY_COMPLETION, "AHPy 2.1 run");
        let lambda = c.priorities().lambda_max();
        assert_close(
            lambda,
            case.optimum_lambda_max,
            EIGEN,
            "lambda_max at the optimum",
        );
    }

    // the published README values
    let readme = &completion.readme;
    let c = incomplete(readme)
        .complete(CompletionMethod::Optimal)
        .unwrap();
    let v = c.filled()[0].value;
    assert_close(v, 0.7302971068355002, AHPY_COMPLETION, "README value");
    let w = c.priorities().weights().as_slice();
    let printed = [0.3738, 0.392, 0.0985, 0.1357];
    assert_all_close(w, &printed, ONE_UNIT_4TH_DECIMAL, "README weights");
    // the README's CR 0.0372 uses AHPy's default random index (Donegan & Dodd 1991)
    let dd = CompletionOptions::new(CompletionMethod::Optimal)
        .with_priority(PriorityOptions::default().with_random_index(RandomIndex::DoneganDodd1991));
    let cr = incomplete(readme)
        .complete_with(&dd)
        .unwrap()
        .priorities()
        .cr();
    assert_printed(&[cr], &[0.0372], 4, "README CR");
}

#[test]
fn harker_and_llsm_match_numpy() {
    let completion = reference::panel().completion;
    for case in [&completion.readme, &completion.six] {
        let c = incomplete(case).complete(CompletionMethod::Harker).unwrap();
        let w = c.priorities().weights().as_slice();
        assert_all_close_rel(w, &case.harker_weights, REFERENCE, "Harker");
        // the LLSM-completed matrix is consistent on the filled entries only; its RGMM
        // weights are the LLSM weights of the incomplete matrix (the filled entries add no
        // residual)
        let opts = CompletionOptions::new(CompletionMethod::LogLeastSquares)
            .with_priority(PriorityOptions::new(PriorityMethod::GeometricMean));
        let c = incomplete(case).complete_with(&opts).unwrap();
        let w = c.priorities().weights().as_slice();
        assert_all_close_rel(w, &case.llsm_weights, REFERENCE, "LLSM");
    }
}

#[test]
fn buckley_matches_pydecision() {
    let case = reference::panel().fuzzy_ahp;
    let m = FuzzyPairwiseMatrix::from_saaty_upper(4, &case.upper).unwrap();
    let p = m.buckley(&PriorityOptions::default()).unwrap();
    let w = p.weights().as_slice();
    assert_all_close_rel(w, &case.crisp_weights, REFERENCE, "crisp weights");
    assert_eq!(p.fuzzy_weights().len(), case.fuzzy_weights.len());
    for (w, r) in p.fuzzy_weights().iter().zip(&case.fuzzy_weights) {
        assert_all_close_rel(&w.to_array(), r, REFERENCE, "fuzzy weight");
    }
    // the scale the reference script used
    let nine = fuzzy_saaty(9.0).unwrap().to_array();
    assert_all_close(&nine, &case.scale_of_9, BIT_EXACT, "scale");
}
