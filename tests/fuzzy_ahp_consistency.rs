//! Fuzzy AHP consistency conventions against independent implementations: pyDecision 5.1.8
//! (`fuzzy_ahp_method`: weights and CR in its graded-mean convention) and numpy 2.4.6
//! (`numpy.linalg.eig` of the centroid matrix), as written by
//! `scripts/reference/fuzzy_ahp_reference.py` into `tests/data/fuzzy_ahp_consistency.json`;
//! Gogus & Boucher (1998) against its numpy implementation in
//! `scripts/reference/gogus_boucher_reference.py` (`tests/data/gogus_boucher_consistency.json`:
//! the principal eigenvalue by `numpy.linalg.eig`, and the normalised-column-average route of
//! `Fuzzy_AHP.py` in Ahad-M72/FAHP_With_Extent_Analysis, whose random indices it uses).

mod common;

use common::check::{assert_all_close, assert_close};
use common::{reference, tol};
use service_quality::ahp::RandomIndexKind;
use service_quality::fuzzy_ahp::{
    FuzzyConsistency, FuzzyConsistencyConvention, FuzzyPairwiseMatrix, TriangularFuzzyNumber,
    GOGUS_BOUCHER_RI_GEOMETRIC, GOGUS_BOUCHER_RI_MIDDLE,
};
use service_quality::{AhpError, Error, PriorityMethod, PriorityOptions};

fn fuzzy_matrix(n: usize, upper: &[[f64; 3]]) -> FuzzyPairwiseMatrix {
    let upper: Vec<TriangularFuzzyNumber> = upper
        .iter()
        .map(|&t| TriangularFuzzyNumber::try_from(t).unwrap())
        .collect();
    FuzzyPairwiseMatrix::from_upper_triangle(n, &upper).unwrap()
}

fn matrix(case: &reference::FuzzyConsistencyCase) -> FuzzyPairwiseMatrix {
    fuzzy_matrix(case.n, &case.upper)
}

#[test]
fn graded_mean_convention_matches_pydecision() {
    let r = reference::fuzzy_consistency();
    assert_eq!(r.metadata.pydecision, "5.1.8");
    for case in &r.cases {
        let m = matrix(case);
        let (p, c) = m
            .buckley_with(
                &PriorityOptions::default(),
                FuzzyConsistencyConvention::GradedMeanBuckley,
            )
            .unwrap();
        assert_all_close(
            p.weights().as_slice(),
            &case.pydecision_weights,
            tol::CLOSED_FORM,
            &case.name,
        );
        assert_close(
            c.lambda(),
            case.pydecision_lambda,
            tol::CLOSED_FORM,
            &case.name,
        );
        assert_close(c.cr(), case.pydecision_cr, tol::CLOSED_FORM, &case.name);
        assert_eq!(
            c.convention(),
            FuzzyConsistencyConvention::GradedMeanBuckley
        );
    }
}

#[test]
fn centroid_convention_matches_numpy_eigenvalue() {
    let r = reference::fuzzy_consistency();
    for case in &r.cases {
        let m = matrix(case);
        let c = m
            .consistency(FuzzyConsistencyConvention::CentroidEigenvector)
            .unwrap();
        assert_close(c.lambda(), case.centroid_lambda_max, tol::EIGEN, &case.name);
        let n = case.n as f64;
        let ci = (case.centroid_lambda_max - n) / (n - 1.0);
        assert_close(c.ci(), ci, tol::EIGEN, &case.name);
        assert_close(c.cr(), ci / c.ri(), tol::EIGEN, &case.name);
        // the historical report of `buckley` is this convention
        let p = m.buckley(&PriorityOptions::default()).unwrap();
        assert_close(c.cr(), p.consistency().cr(), tol::BIT_EXACT, &case.name);
    }
}

#[test]
fn graded_mean_cr_is_larger_on_the_reference_cases() {
    // the reason both conventions exist: the same judgements give a larger CR in pyDecision's
    for case in &reference::fuzzy_consistency().cases {
        let m = matrix(case);
        let centroid = m
            .consistency(FuzzyConsistencyConvention::CentroidEigenvector)
            .unwrap();
        let graded = m
            .consistency(FuzzyConsistencyConvention::GradedMeanBuckley)
            .unwrap();
        assert!(
            graded.cr() > centroid.cr(),
            "{}: {graded} vs {centroid}",
            case.name
        );
    }
}

#[test]
fn graded_mean_beyond_pydecision_table_is_a_typed_error() {
    let n = 16;
    let upper = vec![3.0; n * (n - 1) / 2];
    let m = FuzzyPairwiseMatrix::from_saaty_upper(n, &upper).unwrap();
    let err = m
        .consistency(FuzzyConsistencyConvention::GradedMeanBuckley)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Ahp(AhpError::RandomIndexOutOfRange {
                n: 16,
                max_n: 15,
                ..
            })
        ),
        "{err}"
    );
}

/// The crate's Gogus & Boucher result against one route of the reference.
fn assert_gogus_boucher(
    c: &FuzzyConsistency,
    want: &reference::GogusBoucherValues,
    tol: f64,
    what: &str,
) {
    assert_eq!(c.convention(), FuzzyConsistencyConvention::GogusBoucher);
    let g = c
        .geometric_mean()
        .expect("the geometric-mean matrix is recorded");
    assert_close(c.lambda(), want.middle.lambda, tol, what);
    assert_close(c.ci(), want.middle.ci, tol, what);
    assert_close(c.cr(), want.middle.cr, tol, what);
    assert_close(g.lambda(), want.geometric.lambda, tol, what);
    assert_close(g.ci(), want.geometric.ci, tol, what);
    assert_close(g.cr(), want.geometric.cr, tol, what);
    // the random indices are the table's values, assigned, not computed
    assert_close(c.ri(), want.middle.ri, tol::BIT_EXACT, what);
    assert_close(g.ri(), want.geometric.ri, tol::BIT_EXACT, what);
    assert_eq!(
        c.is_acceptable(service_quality::DEFAULT_CR_THRESHOLD),
        want.consistent,
        "{what}: {c}"
    );
}

#[test]
fn gogus_boucher_random_indices_are_the_reference_tables() {
    let r = reference::gogus_boucher();
    assert_all_close(
        &GOGUS_BOUCHER_RI_MIDDLE,
        &r.metadata.ri_m,
        tol::BIT_EXACT,
        "RI_m",
    );
    assert_all_close(
        &GOGUS_BOUCHER_RI_GEOMETRIC,
        &r.metadata.ri_g,
        tol::BIT_EXACT,
        "RI_g",
    );
    assert_close(
        r.metadata.threshold,
        service_quality::DEFAULT_CR_THRESHOLD,
        tol::BIT_EXACT,
        "threshold",
    );
}

#[test]
fn gogus_boucher_eigenvector_matches_numpy() {
    let r = reference::gogus_boucher();
    assert!(r.cases.len() >= 5);
    for case in &r.cases {
        let m = fuzzy_matrix(case.n, &case.upper);
        let c = m
            .consistency(FuzzyConsistencyConvention::GogusBoucher)
            .unwrap();
        // power iteration against LAPACK, as for the centroid convention
        assert_gogus_boucher(&c, &case.eigenvector, tol::EIGEN, &case.name);
    }
}

/// The normalised-column-average route is a closed form: the crate and numpy agree to
/// [`tol::CLOSED_FORM`] (1e-12); the reference script's values agree with those of the
/// original `Fuzzy_AHP.py` code run on the same matrices.
#[test]
fn gogus_boucher_column_average_matches_the_published_implementation() {
    let opts = PriorityOptions::new(PriorityMethod::NormalizedColumnAverage);
    for case in &reference::gogus_boucher().cases {
        let m = fuzzy_matrix(case.n, &case.upper);
        let c = m
            .consistency_with(FuzzyConsistencyConvention::GogusBoucher, &opts)
            .unwrap();
        assert_gogus_boucher(&c, &case.column_average, tol::CLOSED_FORM, &case.name);
    }
}

#[test]
fn gogus_boucher_verdicts_cover_both_outcomes_and_need_both_ratios() {
    let r = reference::gogus_boucher();
    let verdicts: Vec<bool> = r.cases.iter().map(|c| c.eigenvector.consistent).collect();
    assert!(verdicts.contains(&true) && verdicts.contains(&false));
    // a case the middle matrix alone would pass: the bounds make it fail
    let case = r
        .cases
        .iter()
        .find(|c| c.eigenvector.middle.cr < 0.1 && c.eigenvector.geometric.cr >= 0.1)
        .expect("a case failing on the geometric-mean matrix only");
    let c = fuzzy_matrix(case.n, &case.upper)
        .consistency(FuzzyConsistencyConvention::GogusBoucher)
        .unwrap();
    assert!(c.cr() < 0.1, "{c}");
    assert!(!c.is_acceptable(0.1), "{c}");
}

#[test]
fn gogus_boucher_sizes_without_a_random_index() {
    // n <= 2: nothing to check, CR = 0 as for crisp AHP
    for n in [1, 2] {
        let m = FuzzyPairwiseMatrix::from_saaty_upper(n, &vec![7.0; n * (n - 1) / 2]).unwrap();
        let c = m
            .consistency(FuzzyConsistencyConvention::GogusBoucher)
            .unwrap();
        let g = c.geometric_mean().unwrap();
        assert_close(c.cr(), 0.0, tol::BIT_EXACT, "CR_m, n <= 2");
        assert_close(g.cr(), 0.0, tol::BIT_EXACT, "CR_g, n <= 2");
        assert!(c.is_acceptable(0.1));
    }
    // n = 10 is the last size of the tables, n = 11 a typed error (not an extrapolation)
    let ten = FuzzyPairwiseMatrix::from_saaty_upper(10, &[2.0; 45]).unwrap();
    let c = ten
        .consistency(FuzzyConsistencyConvention::GogusBoucher)
        .unwrap();
    assert_close(c.ri(), 1.4095, tol::BIT_EXACT, "RI_m(10)");
    assert_close(
        c.geometric_mean().unwrap().ri(),
        0.4455,
        tol::BIT_EXACT,
        "RI_g(10)",
    );
    for n in [11, 16] {
        let m = FuzzyPairwiseMatrix::from_saaty_upper(n, &vec![3.0; n * (n - 1) / 2]).unwrap();
        let errors = [
            m.consistency(FuzzyConsistencyConvention::GogusBoucher)
                .unwrap_err(),
            m.buckley_with(
                &PriorityOptions::default(),
                FuzzyConsistencyConvention::GogusBoucher,
            )
            .unwrap_err(),
        ];
        for err in errors {
            assert!(
                matches!(
                    err,
                    Error::Ahp(AhpError::RandomIndexOutOfRange {
                        table: RandomIndexKind::Custom,
                        max_n: 10,
                        n: got,
                    }) if got == n
                ),
                "n = {n}: {err}"
            );
        }
    }
}
