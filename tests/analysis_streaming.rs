//! `CovarianceAccumulator` (one pass, rows not kept) against the table route
//! (`Reliability::of`, `CorrelationMatrix::of` with Pearson), which the reference tests check
//! against pingouin and scipy: the same alpha, alpha-if-deleted, item-total, split-half and
//! Pearson r, p and n on the reference tables and on arbitrary tables with missing values.

mod common;

use common::check::{assert_close_rel, assert_close_rel_opt};
use common::tol::{CLOSED_FORM, P_VALUE};
use proptest::prelude::*;
use service_quality::analysis::{
    CorrelationMatrix, CorrelationMethod, CovarianceAccumulator, MissingPolicy, Reliability,
    Responses,
};
use service_quality::{AnalysisError, Error};

fn accumulate(table: &Responses) -> CovarianceAccumulator {
    let mut acc = CovarianceAccumulator::new(table.ids().to_vec());
    for row in table.rows() {
        acc.push_row(row).expect("valid row");
    }
    acc
}

/// The relative tolerance for an alpha of `value`: both alphas are `k/(k-1) (1 - a/b)`-shaped
/// (raw: item variances over the total variance; standardised: `k r / (1 + (k-1) r)` with the
/// mean correlation `r`), so near the pole (the total variance or `1 + (k-1) r` near zero) the
/// two routes' rounding differences in the inputs are amplified by about `|alpha|`; a value of
/// -6798.71 differing in the 12th digit was seen. Away from the pole (`|alpha| <= 1`) the
/// tolerance is `CLOSED_FORM` itself.
fn near_pole(value: f64) -> f64 {
    CLOSED_FORM * value.abs().max(1.0)
}

/// Both routes agree, or both fail with the same error.
fn assert_same(table: &Responses) {
    let acc = accumulate(table);
    for policy in [MissingPolicy::Listwise, MissingPolicy::Pairwise] {
        match (
            Reliability::of(table, policy),
            Reliability::from_comoments(&acc, policy),
        ) {
            (Ok(want), Ok(got)) => {
                assert_eq!(got.respondents(), want.respondents());
                assert_close_rel(got.alpha(), want.alpha(), near_pole(want.alpha()), "alpha");
                assert_close_rel_opt(
                    got.alpha_standardized(),
                    want.alpha_standardized(),
                    want.alpha_standardized().map_or(CLOSED_FORM, near_pole),
                    "standardised",
                );
                for i in 0..want.items().len() {
                    assert_close_rel_opt(
                        got.alpha_if_deleted()[i],
                        want.alpha_if_deleted()[i],
                        CLOSED_FORM,
                        "alpha if deleted",
                    );
                    assert_close_rel_opt(
                        got.item_total()[i],
                        want.item_total()[i],
                        CLOSED_FORM,
                        "item-total",
                    );
                }
                assert_close_rel_opt(
                    got.split_half(),
                    want.split_half(),
                    CLOSED_FORM,
                    "split-half",
                );
            }
            (Err(a), Err(b)) => assert_eq!(std::mem::discriminant(&a), std::mem::discriminant(&b)),
            (a, b) => panic!("{policy:?}: table {a:?}, stream {b:?}"),
        }
    }
    let want = CorrelationMatrix::of(table, CorrelationMethod::Pearson);
    let got = acc.pearson();
    for i in 0..want.len() {
        for j in 0..want.len() {
            assert_eq!(got.n(i, j), want.n(i, j));
            assert_close_rel_opt(got.r(i, j), want.r(i, j), CLOSED_FORM, "r");
            match (got.r(i, j), want.r(i, j), got.p(i, j), want.p(i, j)) {
                // within rounding of a perfect correlation the p-value amplifies the last digit
                // of r (with 3 pairs, r = 1 - 1e-14 gives p = 1e-7 where r = 1 gives 0): both
                // p-values are then only required to be as small as r allows
                (Some(a), Some(b), Some(pa), Some(pb))
                    if 1.0 - a.abs() < NEAR_PERFECT && 1.0 - b.abs() < NEAR_PERFECT =>
                {
                    assert!(
                        pa <= NEAR_PERFECT_P && pb <= NEAR_PERFECT_P,
                        "p: {pa} and {pb} for r {a} and {b}"
                    );
                }
                _ => assert_close_rel_opt(got.p(i, j), want.p(i, j), P_VALUE, "p"),
            }
        }
    }
}

/// `1 - |r|` below which two routes' correlations are the same perfect correlation up to
/// rounding ([`CLOSED_FORM`] on r is about 1e-12; this allows for the sums' cancellation).
const NEAR_PERFECT: f64 = 1e-9;
/// The largest p-value of `|r| >= 1 - NEAR_PERFECT` (one degree of freedom, the worst case:
/// t = 22,360, two-sided p = 2.8e-5).
const NEAR_PERFECT_P: f64 = 3e-5;

#[test]
fn reference_tables_give_the_same_results_both_ways() {
    let path = format!(
        "{}/tests/data/analysis_reference.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("reference file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let tables = json["tables"].as_array().expect("tables");
    assert!(!tables.is_empty());
    for t in tables {
        let rows: Vec<Vec<Option<f64>>> = serde_json::from_value(t["rows"].clone()).expect("rows");
        let k = rows[0].len();
        let ids = (0..k).map(|j| format!("v{j}")).collect();
        assert_same(&Responses::new(ids, rows).expect("valid"));
    }
}

#[test]
fn bad_rows_are_refused_and_leave_the_accumulator_unchanged() {
    let mut acc = CovarianceAccumulator::new(vec!["a".into(), "b".into()]);
    acc.push_row(&[Some(1.0), Some(2.0)]).expect("valid");
    let before = acc.clone();
    assert!(matches!(
        acc.push_row(&[Some(1.0)]),
        Err(Error::Analysis(AnalysisError::RowLength {
            row: 1,
            expected: 2,
            found: 1
        }))
    ));
    assert!(matches!(
        acc.push_row(&[Some(1.0), Some(f64::NAN)]),
        Err(Error::Analysis(AnalysisError::ValueOutOfRange {
            row: 1,
            ..
        }))
    ));
    assert_eq!(acc, before);
    assert!(matches!(
        Reliability::from_comoments(&acc, MissingPolicy::Listwise),
        Err(Error::Analysis(AnalysisError::TooFewObservations {
            found: 1,
            ..
        }))
    ));
}

fn cell() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        1 => Just(None),
        6 => (1u8..=5).prop_map(|c| Some(f64::from(c))),
        2 => (-50.0f64..50.0).prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn arbitrary_tables_give_the_same_results_both_ways(
        rows in (2usize..6).prop_flat_map(|k| proptest::collection::vec(proptest::collection::vec(cell(), k), 0..40)),
    ) {
        let k = rows.first().map_or(3, Vec::len);
        let ids = (0..k).map(|j| format!("v{j}")).collect();
        assert_same(&Responses::new(ids, rows).expect("valid"));
    }
}
