//! CSV files: every record accounted for, physical line numbers whatever the line endings,
//! and unterminated quotes reported where they open.
#![cfg(feature = "csv")]

use service_quality::input::{CsvOptions, CsvRead, KpiModel, KpiScale, KpiTally, OnBadRow};
use service_quality::{template, CsvError, Error, Grade, GradeSet, IndicatorTree, Survey};

fn read(text: &[u8], on_bad: OnBadRow) -> service_quality::Result<CsvRead<Survey>> {
    let tree = IndicatorTree::new(template::after_sales()).unwrap();
    Survey::from_csv(
        text,
        &tree,
        GradeSet::satisfaction_5(),
        &CsvOptions::new().with_on_bad_row(on_bad),
    )
}

/// The line of every error of a read, skipped ones first.
fn lines<T>(read: &CsvRead<T>) -> Vec<u64> {
    read.skipped()
        .iter()
        .chain(read.stopped())
        .map(|e| match e.root() {
            Error::Csv(
                CsvError::BadCell { line, .. }
                | CsvError::CellCount { line, .. }
                | CsvError::BlankRow { line }
                | CsvError::UnterminatedQuote { line },
            ) => *line,
            Error::Csv(CsvError::Reader { line, .. }) => line.unwrap(),
            other => panic!("{other:?}"),
        })
        .collect()
}

/// `text` with `\n` line endings replaced by `ending`, after an optional byte-order mark.
fn with(text: &str, ending: &str, bom: bool) -> Vec<u8> {
    let body = text.replace('\n', ending);
    let mut bytes = if bom {
        b"\xef\xbb\xbf".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

#[test]
fn errors_name_the_physical_line_whatever_the_line_endings() {
    for ending in ["\n", "\r\n", "\r"] {
        for bom in [false, true] {
            let what = format!("{ending:?}, bom {bom}");
            let text = with(
                "merchant,courtesy\nshop-a,很满意\nshop-a,bad\n",
                ending,
                bom,
            );
            let r = read(&text, OnBadRow::Stop).unwrap();
            assert_eq!(r.rows_read(), 1, "{what}");
            assert!(
                matches!(
                    r.stopped(),
                    Some(Error::Csv(CsvError::BadCell {
                        line: 3,
                        col: 2,
                        ..
                    }))
                ),
                "{what}: {:?}",
                r.stopped()
            );
            // empty lines, a multi-line quoted cell and a wrong cell count further down
            let text = with(
                "merchant,courtesy\n\nshop-a,1\n\"shop\nb\",2\n\n\nshop-c\nshop-d,bad\n",
                ending,
                bom,
            );
            let r = read(&text, OnBadRow::Skip).unwrap();
            assert_eq!(r.rows_read(), 2, "{what}");
            assert_eq!(lines(&r), [8, 9], "{what}");
            // invalid UTF-8 (the csv crate's own error)
            let mut text = with("merchant,courtesy\nshop-a,1\n", ending, bom);
            text.extend_from_slice(b"shop-a,\xff");
            text.extend_from_slice(ending.as_bytes());
            let r = read(&text, OnBadRow::Skip).unwrap();
            assert!(
                matches!(
                    r.skipped(),
                    [Error::Csv(CsvError::Reader { line: Some(3), .. })]
                ),
                "{what}: {:?}",
                r.skipped()
            );
        }
    }
}

#[test]
fn every_record_is_accounted_for() {
    // the records after the header: good, whitespace only, one empty quoted cell, a quoted
    // space, bad (a grade out of range), good
    let text = "merchant,courtesy\nshop-a,1\n   \n\"\"\n\" \"\nshop-a,9\nshop-b,2\n";
    let records = 6;
    let r = read(text.as_bytes(), OnBadRow::Skip).unwrap();
    assert_eq!(r.rows_read(), 2);
    assert_eq!(
        r.skipped()[..3],
        [
            Error::Csv(CsvError::BlankRow { line: 3 }),
            Error::Csv(CsvError::BlankRow { line: 4 }),
            Error::Csv(CsvError::BlankRow { line: 5 }),
        ]
    );
    assert_eq!(lines(&r), [3, 4, 5, 6]);
    assert_eq!(
        r.rows_read() + r.skipped().len() + usize::from(r.stopped().is_some()),
        records
    );
    // blank rows are skipped under `Stop` too: reading stops at the bad row only
    let r = read(text.as_bytes(), OnBadRow::Stop).unwrap();
    assert_eq!(r.rows_read(), 1);
    assert_eq!(lines(&r), [3, 4, 5, 6]);
    assert!(matches!(
        r.stopped(),
        Some(Error::Csv(CsvError::BadCell { line: 6, .. }))
    ));
    assert_eq!(
        r.rows_read() + r.skipped().len() + usize::from(r.stopped().is_some()),
        5,
        "the records up to the one where reading stopped"
    );
    assert_eq!(
        CsvError::BlankRow { line: 3 }.to_string(),
        "line 3: blank row (only whitespace or one empty quoted cell)"
    );
}

#[test]
fn an_unterminated_quote_is_reported_where_it_opens() {
    let header = "merchant,first_reply,resolution_time,feedback_time,courtesy,proactiveness,respect,knowledge,tools,advice,speed_satisfaction,attitude_satisfaction,professionalism_satisfaction,resolution_satisfaction\n";
    let row = "shop-a,1,2,3,1,2,3,1,2,3,1,2,3,1\n";
    for ending in ["\n", "\r\n"] {
        // the quote opens at the start of line 3, or in the middle of it
        for bad in [
            "\"shop-b,1,2,3,1,2,3,1,2,3,1,2,3,1\n",
            "shop-b,1,\"2,3,1,2,3,1,2,3,1,2,3,1\n",
        ] {
            let text = with(&format!("{header}{row}{bad}{row}{row}"), ending, false);
            for policy in [OnBadRow::Stop, OnBadRow::Skip] {
                let r = read(&text, policy).unwrap();
                assert_eq!(r.rows_read(), 1);
                let e = r.stopped().or(r.skipped().first()).unwrap();
                assert_eq!(e, &Error::Csv(CsvError::UnterminatedQuote { line: 3 }));
                assert_eq!(r.skipped().len() + usize::from(r.stopped().is_some()), 1);
            }
        }
    }
    // doubled quotes inside a closed quoted field, and a quote inside an unquoted one, are text
    let text = format!(
        "{header}\"shop \"\"a\"\"\",1,2,3,1,2,3,1,2,3,1,2,3,1\nshop\"b,1,2,3,1,2,3,1,2,3,1,2,3,1\n"
    );
    let r = read(text.as_bytes(), OnBadRow::Stop).unwrap();
    assert!(r.stopped().is_none(), "{:?}", r.stopped());
    assert_eq!(
        r.data().merchant_names().collect::<Vec<_>>(),
        ["shop \"a\"", "shop\"b"]
    );
    // in the header, the file is refused
    assert_eq!(
        read(b"merchant,\"courtesy\nshop-a,1\n", OnBadRow::Skip).unwrap_err(),
        Error::Csv(CsvError::UnterminatedQuote { line: 1 })
    );
    // and in a KPI file
    let grades = GradeSet::new(vec![Grade::new("fast", 3.0), Grade::new("slow", 1.0)]).unwrap();
    let model = KpiModel::new(&grades)
        .with_scale(
            "first_reply",
            "urgent",
            KpiScale::smaller_is_better(vec![1.0, 5.0]).unwrap(),
        )
        .unwrap();
    let text = "merchant,case,class,first_reply\r\nshop,c1,urgent,2\r\nshop,\"c2,urgent,3\r\nshop,c3,urgent,4\r\n";
    let r = KpiTally::from_csv(text.as_bytes(), model, &CsvOptions::new()).unwrap();
    assert_eq!(r.rows_read(), 1);
    assert_eq!(
        r.stopped(),
        Some(&Error::Csv(CsvError::UnterminatedQuote { line: 3 }))
    );
}
