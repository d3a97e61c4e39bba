//! Property: the streaming tally ([`SurveyCounts`]) and the [`Survey`] reader agree on random
//! files (any delimiter, line ending, encoding, quoting, blank and bad rows): the same rows
//! read, the same skipped rows with the same errors, the same stop, identical counts and
//! missing answers, and, through the batch scorer and the single-merchant evaluator, the same
//! scores.
#![cfg(all(feature = "csv", feature = "serde"))]

mod common;

use common::{check::assert_close, tol};
use proptest::prelude::*;
use service_quality::input::{OnBadRow, SurveyCounts, SurveyLayout, TextEncoding};
use service_quality::{template, BatchScorer, Evaluator, IndicatorTree, Survey, Unanswered};

const MERCHANTS: [&str; 5] = ["A", "B", "店铺C", "shop d", " 店铺E "];
const CELLS: [&str; 14] = [
    "很满意",
    "满意",
    "一般",
    "不满意",
    "很不满意",
    "非常满意",
    "Very Satisfied",
    " 中立 ",
    "",
    "(跳过)",
    "N/A",
    "-",
    "比较不满意",
    "bof",
];

#[derive(Debug, Clone)]
struct File {
    order: Vec<usize>,
    rows: Vec<(usize, Vec<usize>, u8)>,
    delimiter: u8,
    crlf: bool,
    gbk: bool,
    skip: bool,
    quote: bool,
}

fn file() -> impl Strategy<Value = File> {
    let order = Just((0..13).collect::<Vec<usize>>()).prop_shuffle();
    let row = (
        0..MERCHANTS.len(),
        prop::collection::vec(prop_oneof![8 => 0..13usize, 1 => Just(13usize)], 13),
        prop_oneof![20 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)],
    );
    (
        order,
        prop::collection::vec(row, 0..60),
        prop::sample::select(vec![b',', b';', b'\t']),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![3 => Just(true), 1 => Just(false)],
        any::<bool>(),
    )
        .prop_map(|(order, rows, delimiter, crlf, gbk, skip, quote)| File {
            order,
            rows,
            delimiter,
            crlf,
            gbk,
            skip,
            quote,
        })
}

/// The file's bytes: a header of leaf ids, then rows; row kind 1 is a blank row, 2 an empty
/// line, 3 a row with a cell too many.
fn bytes(f: &File, leaves: &[String]) -> Vec<u8> {
    let d = char::from(f.delimiter).to_string();
    let eol = if f.crlf { "\r\n" } else { "\n" };
    let mut text = String::from("merchant");
    for &l in &f.order {
        text += &d;
        text += &leaves[l];
    }
    text += eol;
    for (n, (m, cells, kind)) in f.rows.iter().enumerate() {
        match kind {
            1 => text += "  ",
            2 => {}
            _ => {
                text += MERCHANTS[*m];
                for &c in cells {
                    text += &d;
                    if f.quote && n % 3 == 0 {
                        text += &format!("\"{}\"", CELLS[c]);
                    } else {
                        text += CELLS[c];
                    }
                }
                if *kind == 3 {
                    text += &d;
                }
            }
        }
        text += eol;
    }
    if f.gbk {
        let (b, _, unmappable) = encoding_rs::GBK.encode(&text);
        assert!(!unmappable);
        b.into_owned()
    } else {
        text.into_bytes()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_streaming_tally_equals_the_survey(f in file()) {
        let tree = IndicatorTree::new(template::after_sales()).expect("template");
        let leaves: Vec<String> = tree.leaves().map(|l| l.id().to_owned()).collect();
        let bytes = bytes(&f, &leaves);
        let layout = SurveyLayout::new("merchant")
            .with_on_bad_row(if f.skip { OnBadRow::Skip } else { OnBadRow::Stop })
            .with_encoding(if f.gbk { TextEncoding::Gb18030 } else { TextEncoding::Auto });
        let survey = Survey::read_with_layout(&bytes[..], &tree, &layout).expect("header");
        let counts = SurveyCounts::read(&bytes[..], &tree, &layout).expect("header");
        prop_assert_eq!(survey.rows_read(), counts.rows_read());
        prop_assert_eq!(survey.skipped(), counts.skipped());
        prop_assert_eq!(survey.stopped(), counts.stopped());
        let (survey, _) = survey.into_parts();
        let (counts, _) = counts.into_parts();
        let names: Vec<&str> = survey.merchant_names().collect();
        prop_assert_eq!(&names[..], counts.merchants());
        let (k, m) = (leaves.len(), survey.grades().len());
        for (i, t) in survey.merchants().iter().enumerate() {
            prop_assert_eq!(t.respondents(), counts.respondents()[i] as usize);
            for (col, id) in survey.indicators().iter().enumerate() {
                let l = leaves.iter().position(|x| x == id).expect("leaf");
                let streamed: Vec<usize> = counts.counts()[(i * k + l) * m..(i * k + l + 1) * m]
                    .iter().map(|&c| c as usize).collect();
                prop_assert_eq!(Some(&streamed[..]), t.counts(col));
                prop_assert_eq!(t.missing()[col], counts.missing()[i * k + l] as usize);
            }
        }
        let evaluator = Evaluator::new(&tree, layout.grades().clone()).unanswered(Unanswered::Exclude);
        let batch = BatchScorer::new(&evaluator).expect("scorer").score_counts_vec(counts.counts()).expect("batch");
        for (i, name) in names.iter().enumerate() {
            let single = survey.memberships(name).and_then(|d| evaluator.evaluate(&d));
            let failed = batch.failures.iter().any(|f| f.merchant == i);
            match single {
                Ok(e) => {
                    prop_assert!(!failed, "{} failed only in batch", name);
                    assert_close(batch.scores[i], e.root().result().score(), tol::CLOSED_FORM_SCORE, name);
                }
                Err(_) => prop_assert!(failed, "{} failed only alone", name),
            }
        }
    }
}
