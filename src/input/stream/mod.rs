//! The streaming survey reader: a questionnaire export tallied straight into answer counts in
//! the batch scorer's layout, one pass, memory independent of the number of rows.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::error::{CsvError, IntakeError, Place, Result};
use crate::hierarchy::IndicatorTree;
use crate::input::csv::CsvRead;
use crate::input::encoding::{decode_cell, line_breaks};
use crate::input::layout::read::{in_file, open};
use crate::input::layout::{delimiter_of, Bound, SurveyLayout};
use crate::model::grades::GradeSet;

mod parser;
mod source;
mod tally;

use parser::Parser;
use source::Source;
use tally::{Intake, Tally};

/// Bytes read from the input at a time.
const CHUNK: usize = 1 << 20;
/// The longest record the streaming reader accepts: 4 MiB.
pub const MAX_RECORD_BYTES: usize = 4 << 20;
/// A "no answer" code in the cell table.
const MISSING: u32 = u32::MAX;

/// Answer counts of every merchant, in the layout of
/// [`BatchScorer::score_counts`](crate::BatchScorer::score_counts), read from a
/// questionnaire export in one streaming pass.
///
/// ```text
/// counts()[(i * leaves + l) * grades + j]   answers of grade j to indicator l by merchant i
/// missing()[i * leaves + l]                 "no answer" cells of indicator l for merchant i
/// ```
///
/// Indicators are all the leaves of the tree in preorder (the scorer's
/// [`leaf_ids`](crate::BatchScorer::leaf_ids)); a leaf without a column in the file has no
/// answers. Merchants are in order of their first good row. Memory is
/// `O(merchants x leaves x grades)` plus the read buffer (1 MiB, more for a record longer than
/// that, up to [`MAX_RECORD_BYTES`]): no row is kept, and no string is made per cell.
///
/// Cells are read as [`SurveyLayout`] says and as
/// [`Survey::read_with_layout`](crate::Survey::read_with_layout) reads them, and give the same
/// counts (a property test checks it on random files); the difference is that the streaming
/// reader checks the encoding of the cells it uses (merchant and question cells, the
/// header), not of the ignored columns.
///
/// # Examples
///
/// ```
/// use service_quality::input::{SurveyCounts, SurveyLayout};
/// use service_quality::{template, BatchScorer, Evaluator, IndicatorTree, Unanswered};
///
/// let tree = IndicatorTree::new(template::after_sales())?;
/// let layout = SurveyLayout::new("shop");
/// let file = "shop,courtesy,respect\nA,很满意,满意\nB,一般,(跳过)\nA,非常满意,\n";
/// let counts = SurveyCounts::read(file.as_bytes(), &tree, &layout)?.into_result()?;
/// assert_eq!(counts.merchants(), ["A", "B"]);
/// let evaluator = Evaluator::new(&tree, layout.grades().clone()).unanswered(Unanswered::Exclude);
/// let scores = BatchScorer::new(&evaluator)?.score_counts_vec(counts.counts())?;
/// // A: courtesy 2 x very satisfied (95), respect 1 x satisfied (85); the other indicators
/// // have no answers and are excluded, their siblings reweighted
/// assert_eq!(&counts.merchant_counts(0).unwrap()[15..20], [2, 0, 0, 0, 0]); // courtesy
/// let (wc, wr) = (tree.local_weight("courtesy")?, tree.local_weight("respect")?);
/// let want = (wc * 95.0 + wr * 85.0) / (wc + wr);
/// assert!((scores.scores[0] - want).abs() < 1e-9);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyCounts {
    leaf_ids: Vec<String>,
    grades: GradeSet,
    columns: Vec<String>,
    merchants: Vec<String>,
    counts: Vec<u32>,
    missing: Vec<u32>,
    respondents: Vec<u32>,
}

impl SurveyCounts {
    /// The leaf ids, in the order of the counts (the tree's preorder).
    pub fn leaf_ids(&self) -> &[String] {
        &self.leaf_ids
    }

    /// The ids of the leaves that had a column in the file, in column order (of a long Parquet
    /// file: the leaves that occur in it, in order of first appearance).
    pub fn answered_leaves(&self) -> &[String] {
        &self.columns
    }

    /// The layout's grades.
    pub fn grades(&self) -> &GradeSet {
        &self.grades
    }

    /// The merchants, in order of their first good row.
    pub fn merchants(&self) -> &[String] {
        &self.merchants
    }

    /// The counts, `merchants x leaves x grades`.
    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    /// The "no answer" cells, `merchants x leaves`.
    pub fn missing(&self) -> &[u32] {
        &self.missing
    }

    /// Respondents per merchant: rows of a questionnaire export or of a wide Parquet file; for
    /// a long Parquet file see [`ParquetTally`](crate::batch::ParquetTally).
    pub fn respondents(&self) -> &[u32] {
        &self.respondents
    }

    /// The counts of merchant `i` (`leaves x grades`), if `i` is in range.
    pub fn merchant_counts(&self, i: usize) -> Option<&[u32]> {
        let block = self.leaf_ids.len() * self.grades.len();
        self.counts.get(i * block..(i + 1) * block)
    }

    /// Reads a questionnaire export (delimited text) through `layout`, tallying it as it
    /// streams. See [`SurveyCounts`]; errors and the accounting of records are those of
    /// [`Survey::read_with_layout`](crate::Survey::read_with_layout), plus
    /// [`IntakeError::RecordTooLong`] (a record over [`MAX_RECORD_BYTES`], which stops the
    /// read) and [`IntakeError::CountOverflow`].
    ///
    /// # Errors
    ///
    /// As [`Survey::read_with_layout`](crate::Survey::read_with_layout). A read that stopped
    /// must be handled: [`CsvRead::into_result`] is its error.
    pub fn read<R: Read>(
        reader: R,
        tree: &IndicatorTree,
        layout: &SurveyLayout,
    ) -> Result<CsvRead<Self>> {
        Self::run(reader, tree, layout, 1, CHUNK)
    }

    /// [`read`](Self::read) splitting the work over the threads of the current rayon pool:
    /// blocks of the file are cut at record boundaries and tallied in parallel, then merged in
    /// file order. The result is identical to [`read`](Self::read) (merchant order, counts,
    /// skipped rows and the stop).
    ///
    /// # Errors
    ///
    /// As [`read`](Self::read).
    #[cfg(feature = "parallel")]
    #[cfg_attr(docsrs, doc(cfg(feature = "parallel")))]
    pub fn read_parallel<R: Read>(
        reader: R,
        tree: &IndicatorTree,
        layout: &SurveyLayout,
    ) -> Result<CsvRead<Self>> {
        let threads = rayon::current_num_threads().max(1);
        // several threads take blocks of 8 MiB each
        Self::run(reader, tree, layout, threads, (8 << 20) * threads)
    }

    /// [`read`](Self::read) on a file; with the `xlsx` feature a `.xlsx` file is read as a
    /// workbook ([`read_xlsx`](Self::read_xlsx)). Errors are wrapped in
    /// [`Error::InFile`](crate::Error::InFile) with the path.
    ///
    /// # Errors
    ///
    /// As [`read`](Self::read); [`IntakeError::Io`] when the file cannot be opened.
    pub fn read_file(
        path: impl AsRef<Path>,
        tree: &IndicatorTree,
        layout: &SurveyLayout,
    ) -> Result<CsvRead<Self>> {
        let path = path.as_ref();
        in_file(path, || {
            #[cfg(feature = "xlsx")]
            if crate::input::xlsx::is_workbook_path(path) {
                return Self::read_xlsx(open(path)?, tree, layout);
            }
            Self::read(open(path)?, tree, layout)
        })
    }

    /// An empty tally of `leaf_ids` x `grades`, no answered leaves yet: what the Parquet
    /// reader fills.
    #[cfg(feature = "parquet")]
    pub(crate) fn for_leaves(leaf_ids: Vec<String>, grades: GradeSet) -> Self {
        Self {
            leaf_ids,
            grades,
            columns: Vec::new(),
            merchants: Vec::new(),
            counts: Vec::new(),
            missing: Vec::new(),
            respondents: Vec::new(),
        }
    }

    /// Sets the leaves that had answers (or a column), in the file's order.
    #[cfg(feature = "parquet")]
    pub(crate) fn set_answered_leaves(&mut self, leaves: Vec<String>) {
        self.columns = leaves;
    }

    /// The counts, the "no answer" cells and the respondents, to be filled (merchants are
    /// added by [`merchant_index`](Self::merchant_index)).
    #[cfg(feature = "parquet")]
    pub(crate) fn cells_mut(&mut self) -> (&mut [u32], &mut [u32], &mut [u32]) {
        (&mut self.counts, &mut self.missing, &mut self.respondents)
    }

    pub(crate) fn empty(bound: &Bound, grades: GradeSet) -> Self {
        Self {
            leaf_ids: bound.leaf_ids.clone(),
            grades,
            columns: bound
                .questions
                .iter()
                .map(|&(_, l)| bound.leaf_ids[l].clone())
                .collect(),
            merchants: Vec::new(),
            counts: Vec::new(),
            missing: Vec::new(),
            respondents: Vec::new(),
        }
    }

    /// Index of merchant `name`, added with zero counts if new.
    pub(crate) fn merchant_index(&mut self, by_name: &mut HashMap<String, u32>, name: &str) -> u32 {
        if let Some(&i) = by_name.get(name) {
            return i;
        }
        let i = self.merchants.len() as u32;
        by_name.insert(name.to_owned(), i);
        self.merchants.push(name.to_owned());
        let (k, m) = (self.leaf_ids.len(), self.grades.len());
        self.counts.resize(self.counts.len() + k * m, 0);
        self.missing.resize(self.missing.len() + k, 0);
        self.respondents.push(0);
        i
    }

    /// Adds one row: `codes[q]` for question column `q` (a grade index or [`MISSING`]).
    pub(crate) fn add(
        &mut self,
        i: u32,
        questions: &[(usize, usize)],
        codes: &[u32],
    ) -> Result<()> {
        let i = i as usize;
        let (k, m) = (self.leaf_ids.len(), self.grades.len());
        let r = &mut self.respondents[i];
        *r = r.checked_add(1).ok_or_else(|| IntakeError::CountOverflow {
            merchant: self.merchants[i].clone(),
        })?;
        for (&(_, leaf), &code) in questions.iter().zip(codes) {
            if code == MISSING {
                self.missing[i * k + leaf] += 1;
            } else {
                self.counts[(i * k + leaf) * m + code as usize] += 1;
            }
        }
        Ok(())
    }

    /// Adds one row of answers (one per question column) of merchant `name`.
    #[cfg(feature = "xlsx")]
    pub(crate) fn add_answers(
        &mut self,
        by_name: &mut HashMap<String, u32>,
        codes: &mut Vec<u32>,
        bound: &Bound,
        name: &str,
        answers: &[Option<usize>],
    ) -> Result<()> {
        codes.clear();
        codes.extend(answers.iter().map(|a| a.map_or(MISSING, |j| j as u32)));
        let i = self.merchant_index(by_name, name);
        self.add(i, &bound.questions, codes)
    }

    /// Adds the tallies of `other` (same tree and grades) to this one and zeroes them;
    /// `merged[i]` is this tally's index of `other`'s merchant `i`, extended for merchants new
    /// to this tally (added in `other`'s order, which is the order of their first rows).
    #[cfg(feature = "parallel")]
    fn drain(
        &mut self,
        by_name: &mut HashMap<String, u32>,
        other: &mut Self,
        merged: &mut Vec<u32>,
    ) -> Result<()> {
        let (k, m) = (self.leaf_ids.len(), self.grades.len());
        for (oi, name) in other.merchants.iter().enumerate() {
            let i = match merged.get(oi) {
                Some(&i) => i as usize,
                None => {
                    let i = self.merchant_index(by_name, name);
                    merged.push(i);
                    i as usize
                }
            };
            self.respondents[i] = self.respondents[i]
                .checked_add(other.respondents[oi])
                .ok_or_else(|| IntakeError::CountOverflow {
                    merchant: name.clone(),
                })?;
            // counts never exceed respondents, which were checked
            for (a, b) in self.counts[i * k * m..(i + 1) * k * m]
                .iter_mut()
                .zip(&other.counts[oi * k * m..(oi + 1) * k * m])
            {
                *a += b;
            }
            for (a, b) in self.missing[i * k..(i + 1) * k]
                .iter_mut()
                .zip(&other.missing[oi * k..(oi + 1) * k])
            {
                *a += b;
            }
        }
        other.respondents.fill(0);
        other.counts.fill(0);
        other.missing.fill(0);
        Ok(())
    }

    fn run<R: Read>(
        reader: R,
        tree: &IndicatorTree,
        layout: &SurveyLayout,
        threads: usize,
        chunk: usize,
    ) -> Result<CsvRead<Self>> {
        let mut source = Source::open(reader, layout.encoding())?;
        let mut buf = Vec::with_capacity(chunk * 2);
        let mut eof = source.fill(&mut buf, chunk)?;
        let delimiter = delimiter_of(&buf, layout.delimiter());
        // the header
        let mut parser = Parser::new(delimiter);
        let header = loop {
            match parser.header(&buf, eof) {
                Some(Ok(h)) => break h,
                Some(Err(consumed_nothing)) => {
                    if eof || buf.len() > MAX_RECORD_BYTES {
                        return Err(consumed_nothing);
                    }
                    eof = source.fill(&mut buf, chunk)?;
                }
                None => {
                    return Err(CsvError::MissingColumn {
                        column: layout.merchant_column().to_owned(),
                    }
                    .into())
                }
            }
        };
        let (fields, header_end) = header;
        let names = fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                decode_cell(f, source.cell_encoding())
                    .map(|s| s.into_owned())
                    .map_err(|at| source.encoding_error(&buf, header_offset(&fields, i) + at))
            })
            .collect::<Result<Vec<String>>>()?;
        let bound = layout.bind(tree, &names)?;
        let intake = Intake::new(bound, layout, source.cell_encoding(), delimiter);
        let (mut lines_before, after_cr) = line_breaks(&buf[..header_end], false);
        let mut state = Tally::new(&intake);
        buf.drain(..header_end);
        let mut after_cr = after_cr;
        let mut offset = header_end as u64 + source.bom_len() as u64;
        let mut next = Vec::new();
        loop {
            // with several threads, the next bytes are read while the block is tallied
            let mut read_ahead = None;
            let done = if threads > 1 {
                let start = (lines_before, after_cr, offset);
                let reading = (&mut source, &mut next, chunk, eof);
                state.overlapped_block(&intake, &mut buf, start, threads, reading, &mut read_ahead)
            } else {
                None
            };
            let (consumed, lines, cr) = match done {
                Some(block) => block,
                None => {
                    let consumed =
                        state.piece(&intake, &buf, eof, 1 + lines_before, after_cr, offset);
                    let (lines, cr) = line_breaks(&buf[..consumed], after_cr);
                    (consumed, lines, cr)
                }
            };
            if state.stopped.is_some() {
                break;
            }
            lines_before += lines;
            after_cr = cr;
            offset += consumed as u64;
            if let Some(read) = read_ahead {
                // `buf` holds the rest of the block and the bytes read meanwhile
                eof = read?;
                continue;
            }
            buf.drain(..consumed);
            if eof {
                break;
            }
            if buf.len() > MAX_RECORD_BYTES {
                state.stopped = Some(
                    IntakeError::RecordTooLong {
                        at: Place::Line(1 + lines_before + leading_breaks(&buf, after_cr)),
                        limit: MAX_RECORD_BYTES,
                    }
                    .into(),
                );
                break;
            }
            eof = source.fill(&mut buf, chunk)?;
        }
        Ok(CsvRead::new(
            state.counts,
            state.rows_read,
            state.skipped,
            state.stopped,
        ))
    }
}

/// Offset of header field `i` in the header bytes (approximate for quoted fields).
fn header_offset(fields: &[Vec<u8>], i: usize) -> usize {
    fields[..i].iter().map(|f| f.len() + 1).sum()
}

/// Line breaks at the start of `bytes` before its first other byte.
fn leading_breaks(bytes: &[u8], after_cr: bool) -> u64 {
    let n = bytes
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .count();
    line_breaks(&bytes[..n], after_cr).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::hierarchy::template;
    use crate::input::csv::OnBadRow;
    use proptest::prelude::*;

    const CELLS: [&str; 9] = [
        "很满意",
        "满意",
        "\"一般\"",
        "\"不\n满意\"",
        "",
        "(跳过)",
        "bof",
        "\"a\"\"b\"",
        "x\"y",
    ];

    fn file(rows: &[(u8, Vec<usize>)], crlf: bool) -> Vec<u8> {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("merchant,courtesy,respect{eol}");
        for (m, cells) in rows {
            text += &format!("m{m}");
            for &c in cells {
                text += ",";
                text += CELLS[c];
            }
            text += eol;
        }
        text.into_bytes()
    }

    fn read(bytes: &[u8], skip: bool, threads: usize, chunk: usize) -> CsvRead<SurveyCounts> {
        let tree = IndicatorTree::new(template::after_sales()).unwrap();
        let layout = SurveyLayout::new("merchant").with_on_bad_row(if skip {
            OnBadRow::Skip
        } else {
            OnBadRow::Stop
        });
        SurveyCounts::run(bytes, &tree, &layout, threads, chunk).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any cut of the input into read buffers, and pieces for threads, gives the same read.
        #[test]
        fn buffers_and_threads_do_not_change_the_read(
            rows in prop::collection::vec((0u8..7, prop::collection::vec(0..9usize, 1..4)), 0..80),
            crlf: bool,
            skip: bool,
            chunk in 1usize..300,
        ) {
            let bytes = file(&rows, crlf);
            let whole = read(&bytes, skip, 1, 1 << 20);
            prop_assert_eq!(&read(&bytes, skip, 1, chunk), &whole);
            prop_assert_eq!(&read(&bytes, skip, 2, chunk), &whole);
            prop_assert_eq!(&read(&bytes, skip, 3, chunk + 64), &whole);
        }
    }

    #[test]
    fn a_record_longer_than_the_limit_stops_the_read() {
        let mut bytes = b"merchant,courtesy\nm,\"".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + (1 << 18)));
        bytes.extend("\"\nm,满意\n".as_bytes());
        let r = read(&bytes, true, 1, 1 << 16);
        assert_eq!(
            r.stopped(),
            Some(&Error::Intake(IntakeError::RecordTooLong {
                at: Place::Line(2),
                limit: MAX_RECORD_BYTES
            }))
        );
    }
}
