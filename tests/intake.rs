//! Questionnaire intake through survey layouts: aliases and no-answer tokens, numeric codes in
//! both directions, encodings, delimiters, line numbers, workbooks, and the streaming tally
//! against the `Survey` reader.
#![cfg(all(feature = "csv", feature = "serde"))]

mod common;

use common::tol;
use service_quality::input::{
    OnBadRow, SurveyCounts, SurveyLayout, TextEncoding, DEFAULT_NO_ANSWER, SATISFACTION_ALIASES,
};
use service_quality::{
    template, CsvError, EncodingProblem, Error, IndicatorTree, IntakeError, Place, Survey,
};

fn tree() -> IndicatorTree {
    IndicatorTree::new(template::after_sales()).expect("the template is valid")
}

/// Both readers on `bytes`: the survey's counts of its first indicator per merchant, and the
/// streaming counts of the same indicator; asserts they agree and returns them.
fn both(bytes: &[u8], layout: &SurveyLayout) -> Vec<(String, Vec<usize>, usize)> {
    let tree = tree();
    let survey = Survey::read_with_layout(bytes, &tree, layout)
        .expect("header")
        .into_result()
        .expect("every row");
    let counts = SurveyCounts::read(bytes, &tree, layout)
        .expect("header")
        .into_result()
        .expect("every row");
    let id = &survey.indicators()[0];
    let leaf = counts
        .leaf_ids()
        .iter()
        .position(|l| l == id)
        .expect("a leaf");
    let m = survey.grades().len();
    let mut out = Vec::new();
    for (i, t) in survey.merchants().iter().enumerate() {
        assert_eq!(counts.merchants()[i], t.merchant());
        let c: Vec<usize> = counts.merchant_counts(i).expect("merchant")[leaf * m..(leaf + 1) * m]
            .iter()
            .map(|&c| c as usize)
            .collect();
        assert_eq!(Some(&c[..]), t.counts(0), "{}", t.merchant());
        let missing = counts.missing()[i * counts.leaf_ids().len() + leaf] as usize;
        assert_eq!(missing, t.missing()[0]);
        out.push((t.merchant().to_owned(), c, missing));
    }
    out
}

fn intake_error(e: &Error) -> &IntakeError {
    match e.root() {
        Error::Intake(i) => i,
        other => panic!("expected an intake error, got {other:?}"),
    }
}

#[test]
fn every_alias_and_label_counts_as_its_grade() {
    let layout = SurveyLayout::new("shop");
    let grades = layout.grades().clone();
    for (j, aliases) in SATISFACTION_ALIASES.iter().enumerate() {
        let g = grades.grade(j).expect("five grades");
        let mut names: Vec<String> = aliases.iter().map(|a| (*a).to_owned()).collect();
        names.push(g.label().to_owned());
        names.push(g.label().to_uppercase());
        names.push(format!("  {}\u{3000}", g.label_zh().expect("zh")));
        for name in names {
            let file = format!("shop,courtesy\nA,\"{name}\"\n");
            let got = both(file.as_bytes(), &layout);
            let mut want = vec![0; 5];
            want[j] = 1;
            assert_eq!(got, vec![("A".to_owned(), want, 0)], "{name:?}");
        }
    }
}

#[test]
fn every_no_answer_token_is_missing_never_a_grade() {
    let layout = SurveyLayout::new("shop")
        .with_no_answer("不适用")
        .expect("new token");
    let mut tokens: Vec<&str> = DEFAULT_NO_ANSWER.to_vec();
    tokens.extend(["", "   ", "不适用", "n/a"]);
    for token in tokens {
        let file = format!("shop,courtesy\nA,{token}\nA,满意\n");
        let got = both(file.as_bytes(), &layout);
        assert_eq!(
            got,
            vec![("A".to_owned(), vec![0, 1, 0, 0, 0], 1)],
            "{token:?}"
        );
    }
}

#[test]
fn numeric_codes_read_in_the_declared_direction() {
    let file = "shop,courtesy\nA,5\nA,4\nA,1\n";
    let five_best = SurveyLayout::new("shop").with_codes(5, 1).expect("5 codes");
    assert_eq!(
        both(file.as_bytes(), &five_best),
        vec![("A".to_owned(), vec![1, 1, 0, 0, 1], 0)]
    );
    let one_best = SurveyLayout::new("shop").with_codes(1, 5).expect("5 codes");
    assert_eq!(
        both(file.as_bytes(), &one_best),
        vec![("A".to_owned(), vec![1, 0, 0, 1, 1], 0)]
    );
    // the grade values are untouched by the code scale
    assert_eq!(
        five_best.grades().values(),
        vec![95.0, 85.0, 75.0, 65.0, 55.0]
    );
    // out of the scale
    let e = Survey::read_with_layout("shop,courtesy\nA,6\n".as_bytes(), &tree(), &five_best)
        .expect("header")
        .into_result()
        .expect_err("6 is not a code");
    assert!(matches!(intake_error(&e), IntakeError::BadCell { cell, .. } if cell == "6"));
}

#[test]
fn numbers_without_a_declared_direction_are_refused_with_the_fix() {
    let layout = SurveyLayout::new("shop");
    let file = "shop,courtesy\nA,满意\nA,5\n";
    for e in [
        Survey::read_with_layout(file.as_bytes(), &tree(), &layout)
            .expect("header")
            .into_result()
            .expect_err("5 is undeclared"),
        SurveyCounts::read(file.as_bytes(), &tree(), &layout)
            .expect("header")
            .into_result()
            .expect_err("5 is undeclared"),
    ] {
        assert_eq!(
            intake_error(&e),
            &IntakeError::UndeclaredCodes {
                at: Place::Line(3),
                col: 2,
                column: "courtesy".into(),
                cell: "5".into()
            }
        );
        let message = e.to_string();
        assert!(
            message.contains("\"codes\": {\"best\": 5, \"worst\": 1}"),
            "{message}"
        );
    }
}

/// The Wenjuanxing-style header of the bundled layout, in a small file.
fn small_export() -> String {
    "序号,提交答卷时间,所用时间,来源,来自IP,1、您评价的店铺,5、客服是否耐心、热情、礼貌\r\n\
     1,2026/11/01 10:00:00,100秒,微信,1.2.3.4(上海-上海),店铺A,非常满意\r\n\
     2,2026/11/01 11:00:00,90秒,微信,1.2.3.5(上海-上海),店铺B,(跳过)\r\n\
     3,2026/11/01 12:00:00,80秒,链接,1.2.3.6(北京-北京),店铺A,一般\r\n"
        .to_owned()
}

fn bundled_layout() -> SurveyLayout {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/wenjuanxing_layout.json"
    );
    SurveyLayout::from_json(&std::fs::read_to_string(path).expect("bundled layout"))
        .expect("valid layout")
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xff, 0xfe]
    } else {
        vec![0xfe, 0xff]
    };
    for unit in text.encode_utf16() {
        out.extend(if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

#[test]
fn encodings_utf8_bom_gbk_utf16_give_the_same_counts() {
    let layout = bundled_layout();
    let text = small_export();
    let want = both(text.as_bytes(), &layout);
    assert_eq!(
        want,
        vec![
            ("店铺A".to_owned(), vec![1, 0, 1, 0, 0], 0),
            ("店铺B".to_owned(), vec![0; 5], 1)
        ]
    );
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(text.as_bytes());
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    for (name, bytes) in [
        ("bom", bom),
        ("gbk", gbk.into_owned()),
        ("utf-16le", utf16(&text, true)),
        ("utf-16be", utf16(&text, false)),
    ] {
        assert_eq!(both(&bytes, &layout), want, "{name}");
    }
    // declared rather than detected
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let declared = layout.clone().with_encoding(TextEncoding::Gb18030);
    assert_eq!(both(&gbk, &declared), want);
}

#[test]
fn an_invalid_byte_is_an_encoding_error_with_offset_and_line() {
    let layout = SurveyLayout::new("shop");
    // valid UTF-8 up to line 3, then a byte that is neither UTF-8 nor GB18030 (0xFF)
    let mut bytes = "shop,courtesy\nA,满意\nB,".as_bytes().to_vec();
    let offset = bytes.len() as u64;
    bytes.extend(b"\xff\xff\n");
    let e = Survey::read_with_layout(&bytes[..], &tree(), &layout).expect_err("not text");
    assert_eq!(
        intake_error(&e),
        &IntakeError::Encoding {
            problem: EncodingProblem::Unrecognised,
            offset,
            line: 3
        }
    );
    assert!(e.to_string().contains("CSV UTF-8"), "{e}");
    // declared UTF-8: the streaming reader reports the bad cell's bytes where it meets them
    let utf8 = layout.with_encoding(TextEncoding::Utf8);
    let e = Survey::read_with_layout(&bytes[..], &tree(), &utf8).expect_err("not UTF-8");
    assert!(matches!(
        intake_error(&e),
        IntakeError::Encoding { problem: EncodingProblem::InvalidUtf8, offset: o, line: 3 } if *o == offset
    ));
    let e = SurveyCounts::read(&bytes[..], &tree(), &utf8)
        .expect("header")
        .into_result()
        .expect_err("not UTF-8");
    assert!(matches!(
        intake_error(&e),
        IntakeError::Encoding {
            problem: EncodingProblem::InvalidUtf8,
            line: 3,
            ..
        }
    ));
    // a truncated UTF-16 file
    let mut odd = utf16("shop,courtesy\nA,满意\n", true);
    odd.push(b'x');
    let e =
        Survey::read_with_layout(&odd[..], &tree(), &SurveyLayout::new("shop")).expect_err("odd");
    assert!(matches!(
        intake_error(&e),
        IntakeError::Encoding {
            problem: EncodingProblem::InvalidUtf16,
            ..
        }
    ));
}

#[test]
fn comma_tab_and_semicolon_are_detected() {
    let layout = SurveyLayout::new("shop");
    for d in [",", "\t", ";"] {
        let file = format!("shop{d}courtesy{d}respect\nA{d}满意{d}一般\nA{d}\"很满意\"{d}\n");
        assert_eq!(
            both(file.as_bytes(), &layout),
            vec![("A".to_owned(), vec![1, 1, 0, 0, 0], 0)],
            "{d:?}"
        );
    }
}

#[test]
fn line_numbers_are_physical_lines_with_crlf_lf_and_quoted_breaks() {
    let layout = SurveyLayout::new("shop").with_on_bad_row(OnBadRow::Skip);
    for eol in ["\n", "\r\n", "\r"] {
        // line 3 holds a quoted line break, so the bad row is on line 6
        let file = [
            "shop,courtesy",
            "A,满意",
            "\"B",
            "C\",一般",
            "",
            "A,bof",
            "A,满意",
        ]
        .join(eol)
            + eol;
        let tree = tree();
        let survey = Survey::read_with_layout(file.as_bytes(), &tree, &layout).expect("header");
        let counts = SurveyCounts::read(file.as_bytes(), &tree, &layout).expect("header");
        for skipped in [survey.skipped(), counts.skipped()] {
            assert_eq!(skipped.len(), 1, "{eol:?}: {skipped:?}");
            assert!(
                matches!(intake_error(&skipped[0]), IntakeError::BadCell { at: Place::Line(6), col: 2, cell, .. } if cell == "bof"),
                "{eol:?}: {:?}",
                skipped[0]
            );
        }
        assert_eq!(survey.rows_read(), 3);
        assert_eq!(counts.rows_read(), 3);
        assert_eq!(
            counts.data().merchants(),
            ["A", "B\nC"].map(|m| m.replace('\n', eol))
        );
    }
}

#[test]
fn a_stopped_read_cannot_pass_as_complete_and_skipping_keeps_every_good_row() {
    let file = "shop,courtesy\nA,满意\nB,bof\nC,一般\n,满意\nD,很满意,x\nE,满意\n";
    let tree = tree();
    let stop = SurveyLayout::new("shop");
    let read = SurveyCounts::read(file.as_bytes(), &tree, &stop).expect("header");
    assert_eq!(read.rows_read(), 1);
    let (counts, stopped) = read.into_parts();
    assert_eq!(counts.merchants(), ["A"]);
    assert!(matches!(
        intake_error(&stopped.expect("stopped")),
        IntakeError::BadCell {
            at: Place::Line(3),
            ..
        }
    ));
    let skip = stop.with_on_bad_row(OnBadRow::Skip);
    let survey = Survey::read_with_layout(file.as_bytes(), &tree, &skip).expect("header");
    let counts = SurveyCounts::read(file.as_bytes(), &tree, &skip).expect("header");
    for (rows, skipped) in [
        (survey.rows_read(), survey.skipped()),
        (counts.rows_read(), counts.skipped()),
    ] {
        assert_eq!(rows, 3);
        let lines: Vec<String> = skipped.iter().map(|e| e.to_string()).collect();
        assert_eq!(skipped.len(), 3, "{lines:?}");
        assert!(lines[0].starts_with("line 3"), "{lines:?}");
        assert!(lines[1].starts_with("line 5"), "{lines:?}");
        assert_eq!(
            skipped[2],
            Error::Csv(CsvError::CellCount {
                line: 6,
                expected: 2,
                found: 3
            })
        );
    }
    assert_eq!(counts.data().merchants(), ["A", "C", "E"]);
}

#[test]
fn an_unmapped_column_names_the_closest_indicators() {
    let e = Survey::read_with_layout(
        "shop,courtesyy,9、客服是否熟练使用工具\n".as_bytes(),
        &tree(),
        &SurveyLayout::new("shop"),
    )
    .expect_err("courtesyy is no indicator");
    let IntakeError::UnmappedColumn {
        col,
        column,
        closest,
    } = intake_error(&e)
    else {
        panic!("{e:?}");
    };
    assert_eq!((*col, column.as_str()), (2, "courtesyy"));
    assert!(closest[0].starts_with("courtesy ("), "{closest:?}");
    // mapped by id, by label (en, zh), by the explicit map and by question number
    let layout = SurveyLayout::new("shop")
        .with_question("9", "tools")
        .with_question("礼貌", "courtesy");
    let file = "shop,礼貌,respects and understands the CONSUMER,9、客服是否熟练使用工具,3、具备解决问题的知识和技能,advice\nA,满意,满意,满意,满意,满意\n";
    let tree = tree();
    let survey = Survey::read_with_layout(file.as_bytes(), &tree, &layout)
        .expect("mapped")
        .into_result()
        .expect("rows");
    assert_eq!(
        survey.indicators(),
        ["courtesy", "respect", "tools", "knowledge", "advice"]
    );
    // the explicit map to a non-leaf is refused
    let e = Survey::read_with_layout(
        "shop,x\n".as_bytes(),
        &tree,
        &SurveyLayout::new("shop").with_question("x", "speed"),
    )
    .expect_err("speed is a group");
    assert!(matches!(
        intake_error(&e),
        IntakeError::UnknownIndicator { .. }
    ));
}

#[test]
fn the_bundled_export_reads_alike_in_utf8_gbk_and_xlsx() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
    let tree = tree();
    let layout = bundled_layout();
    let read = |name: &str| {
        Survey::read_file(format!("{dir}{name}"), &tree, &layout)
            .expect("header")
            .into_result()
            .expect("rows")
    };
    let utf8 = read("wenjuanxing_export.csv");
    assert_eq!(utf8.respondents(), 367);
    assert_eq!(utf8.indicators().len(), 13);
    assert_eq!(read("wenjuanxing_export_gbk.csv"), utf8);
    #[cfg(feature = "xlsx")]
    assert_eq!(read("wenjuanxing_export.xlsx"), utf8);
    // (跳过) and blanks are counted as missing
    let missing: usize = utf8
        .merchants()
        .iter()
        .map(|t| t.missing().iter().sum::<usize>())
        .sum();
    assert!(missing > 0);
    let counts =
        SurveyCounts::read_file(format!("{dir}wenjuanxing_export_gbk.csv"), &tree, &layout)
            .expect("header")
            .into_result()
            .expect("rows");
    assert_eq!(counts.merchants().len(), utf8.merchants().len());
}

#[cfg(feature = "xlsx")]
mod xlsx {
    use super::*;
    use std::io::{Cursor, Write};

    /// A minimal workbook with these rows (inline strings), written with the zip crate.
    fn workbook(rows: &[&[&str]], extra: Option<(&str, usize)>) -> Vec<u8> {
        let mut sheet = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
        );
        for (r, row) in rows.iter().enumerate() {
            sheet += &format!("<row r=\"{}\">", r + 1);
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    let col = (b'A' + c as u8) as char;
                    sheet += &format!(
                        "<c r=\"{col}{}\" t=\"inlineStr\"><is><t>{v}</t></is></c>",
                        r + 1
                    );
                }
            }
            sheet += "</row>";
        }
        sheet += "</sheetData></worksheet>";
        let parts = [
            ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>".to_owned()),
            ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_owned()),
            ("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"答卷\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_owned()),
            ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_owned()),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in parts {
            zip.start_file(name, opts).expect("zip entry");
            zip.write_all(text.as_bytes()).expect("zip write");
        }
        if let Some((name, size)) = extra {
            zip.start_file(name, opts).expect("zip entry");
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..size {
                zip.write_all(&zeros).expect("zip write");
            }
        }
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn rows_cells_and_errors_by_sheet_and_row() {
        // (a row without any cell is not in the file at all: nothing to skip)
        let rows: &[&[&str]] = &[
            &["shop", "courtesy", "respect"],
            &["A", "非常满意", ""],
            &["", "", ""],
            &["B", "bof", "满意"],
            &["A", "满意", "(跳过)"],
        ];
        let book = workbook(rows, None);
        let layout = SurveyLayout::new("shop").with_on_bad_row(OnBadRow::Skip);
        let tree = tree();
        let survey = Survey::read_xlsx(&book[..], &tree, &layout).expect("workbook");
        assert_eq!(survey.rows_read(), 2);
        assert_eq!(survey.skipped().len(), 1);
        let IntakeError::BadCell {
            at,
            col,
            column,
            cell,
            ..
        } = intake_error(&survey.skipped()[0])
        else {
            panic!("{:?}", survey.skipped()[0]);
        };
        assert_eq!(
            (at, *col, column.as_str(), cell.as_str()),
            (
                &Place::Row {
                    sheet: "答卷".into(),
                    row: 4
                },
                2,
                "courtesy",
                "bof"
            )
        );
        assert!(survey.skipped()[0]
            .to_string()
            .starts_with("sheet `答卷` row 4, column 2"));
        let tally = &survey.data().merchants()[0];
        assert_eq!(tally.counts(0), Some(&[1, 1, 0, 0, 0][..]));
        assert_eq!(tally.missing(), [0, 2]);
        let counts = SurveyCounts::read_xlsx(&book[..], &tree, &layout).expect("workbook");
        assert_eq!(counts.rows_read(), 2);
        assert_eq!(counts.skipped(), survey.skipped());
        // the sheet must exist
        let e = Survey::read_xlsx(&book[..], &tree, &layout.clone().with_sheet("Sheet9"))
            .expect_err("no such sheet");
        assert!(
            matches!(intake_error(&e), IntakeError::NoSuchSheet { available, .. } if available == &["答卷"])
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_unpacked_into_memory() {
        // 8 MiB of zeros deflate to about 8 KiB
        let book = workbook(&[&["shop", "courtesy"]], Some(("xl/bomb.xml", 8)));
        assert!(book.len() < 1 << 20, "{} bytes", book.len());
        let e = Survey::read_xlsx_limited(&book[..], &tree(), &SurveyLayout::new("shop"), 2 << 20)
            .expect_err("too large");
        assert_eq!(
            intake_error(&e),
            &IntakeError::WorkbookTooLarge {
                part: "xl/bomb.xml".into(),
                limit: 2 << 20
            }
        );
        // and a text reader refuses a workbook outright
        let e =
            SurveyCounts::read(&book[..], &tree(), &SurveyLayout::new("shop")).expect_err("zip");
        assert_eq!(intake_error(&e), &IntakeError::WorkbookAsText);
    }
}

#[test]
fn closeness_of_scores_uses_the_shared_tolerance() {
    // the streaming counts score as the survey's memberships do (see also the property test)
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
    let tree = tree();
    let layout = bundled_layout();
    let survey = Survey::read_file(format!("{dir}wenjuanxing_export.csv"), &tree, &layout)
        .expect("header")
        .into_result()
        .expect("rows");
    let counts = SurveyCounts::read_file(format!("{dir}wenjuanxing_export.csv"), &tree, &layout)
        .expect("header")
        .into_result()
        .expect("rows");
    let evaluator = service_quality::Evaluator::new(&tree, layout.grades().clone());
    let scores = service_quality::BatchScorer::new(&evaluator)
        .expect("scorer")
        .score_counts_vec(counts.counts())
        .expect("batch");
    assert!(scores.failures.is_empty());
    for (i, name) in counts.merchants().iter().enumerate() {
        let single = evaluator
            .evaluate(&survey.memberships(name).expect("merchant"))
            .expect("evaluable");
        common::check::assert_close(
            scores.scores[i],
            single.root().result().score(),
            tol::CLOSED_FORM_SCORE,
            name,
        );
    }
}

#[test]
fn model_judgements_may_be_written_as_fractions() {
    let model = |a: &str, b: &str| {
        format!(
            r#"{{"root": {{"id": "g", "label": "G", "judgements": {{"pairs": [["x", "y", {a}], ["x", "z", {b}], ["y", "z", 2]]}},
              "children": [{{"id": "x", "label": "X"}}, {{"id": "y", "label": "Y"}}, {{"id": "z", "label": "Z"}}]}}}}"#
        )
    };
    let fractions = IndicatorTree::from_json(&model("\"1/3\"", "\" 1 / 2 \"")).expect("fractions");
    let decimals =
        IndicatorTree::from_json(&model(&(1.0f64 / 3.0).to_string(), "0.5")).expect("decimals");
    for id in ["x", "y", "z"] {
        let (f, d) = (
            fractions.global_weight(id).expect("leaf"),
            decimals.global_weight(id).expect("leaf"),
        );
        common::check::assert_close(f, d, tol::BIT_EXACT, id);
    }
    let upper = r#"{"root": {"id": "g", "label": "G", "judgements": {"upper": ["1/3"]},
        "children": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}]}}"#;
    let tree = IndicatorTree::from_json(upper).expect("upper as a fraction");
    common::check::assert_close(
        tree.global_weight("x").expect("x"),
        0.25,
        tol::CLOSED_FORM,
        "x",
    );
    for bad in ["\"1/0\"", "\"a/3\"", "\"\""] {
        let text = upper.replace("\"1/3\"", bad);
        assert!(IndicatorTree::from_json(&text).is_err(), "{bad}");
    }
}
