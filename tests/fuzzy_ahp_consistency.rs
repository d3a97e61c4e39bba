//! Fuzzy AHP consistency conventions against independent implementations: pyDecision 5.1.8
//! (`fuzzy_ahp_method`: weights and CR in its graded-mean convention) and numpy 2.4.6
//! (`numpy.linalg.eig` of the centroid matrix), as written by
//! `scripts/reference/fuzzy_ahp_reference.py` into `tests/data/fuzzy_ahp_consistency.json`.

mod common;

use common::check::{assert_all_close, assert_close};
use common::{reference, tol};
use service_quality::fuzzy_ahp::{
    FuzzyConsistencyConvention, FuzzyPairwiseMatrix, TriangularFuzzyNumber,
};
use service_quality::{AhpError, Error, PriorityOptions};

fn matrix(case: &reference::FuzzyConsistencyCase) -> FuzzyPairwiseMatrix {
    let upper: Vec<TriangularFuzzyNumber> = case
        .upper
        .iter()
        .map(|&t| TriangularFuzzyNumber::try_from(t).unwrap())
        .collect();
    FuzzyPairwiseMatrix::from_upper_triangle(case.n, &upper).unwrap()
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
