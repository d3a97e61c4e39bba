//! The streaming survey reader: a questionnaire export tallied straight into answer counts in
//! the batch scorer's layout, one pass, memory independent of the number of rows.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use csv_core::{ReadRecordResult, Reader as CoreReader, ReaderBuilder as CoreBuilder};

use crate::error::{CsvError, Error, IntakeError, Place, Result};
use crate::hierarchy::IndicatorTree;
use crate::input::bytemap::ByteMap;
use crate::input::csv::{CsvRead, OnBadRow};
use crate::input::encoding::{decode_cell, detect, encode, line_breaks, TextEncoding, Utf16Source};
use crate::input::layout::read::{cell_error, in_file, no_merchant, open, refuse_workbook};
use crate::input::layout::{delimiter_of, Answer, AnswerScale, Bound, SurveyLayout};
use crate::model::grades::GradeSet;

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

    /// The ids of the leaves that had a column in the file, in column order.
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

    /// Rows per merchant.
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
    /// [`Error::InFile`] with the path.
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
    fn merchant_index(&mut self, by_name: &mut HashMap<String, u32>, name: &str) -> u32 {
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

    /// Adds the tallies of `other` (same tree and grades) after this one's, merchants matched
    /// by name.
    #[cfg(feature = "parallel")]
    fn merge(&mut self, by_name: &mut HashMap<String, u32>, other: &Self) -> Result<()> {
        let (k, m) = (self.leaf_ids.len(), self.grades.len());
        for (oi, name) in other.merchants.iter().enumerate() {
            let i = self.merchant_index(by_name, name) as usize;
            self.respondents[i] = self.respondents[i]
                .checked_add(other.respondents[oi])
                .ok_or_else(|| IntakeError::CountOverflow {
                    merchant: name.clone(),
                })?;
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
        loop {
            let done = if threads > 1 && !eof {
                state.parallel_block(&intake, &buf, (lines_before, after_cr, offset), threads)
            } else {
                None
            };
            let consumed = match done {
                Some(consumed) => consumed,
                None => state.piece(&intake, &buf, eof, 1 + lines_before, after_cr, offset),
            };
            if state.stopped.is_some() {
                break;
            }
            let (lines, cr) = line_breaks(&buf[..consumed], after_cr);
            lines_before += lines;
            after_cr = cr;
            offset += consumed as u64;
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

/// Where the bytes come from: ASCII-compatible text as it is, or UTF-16 decoded to UTF-8.
enum Source<R> {
    Raw {
        reader: ChainFirst<R>,
        encoding: TextEncoding,
        bom: usize,
    },
    Utf16 {
        reader: ChainFirst<R>,
        decoder: Utf16Source,
        raw: Vec<u8>,
        bom: usize,
    },
}

fn read_some<R: Read>(reader: &mut R, out: &mut Vec<u8>, want: usize) -> Result<bool> {
    let start = out.len();
    out.resize(start + want, 0);
    let mut filled = 0;
    while filled < want {
        match reader.read(&mut out[start + filled..]) {
            Ok(0) => {
                out.truncate(start + filled);
                return Ok(true);
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                out.truncate(start + filled);
                return Err(IntakeError::io(&e).into());
            }
        }
    }
    Ok(false)
}

impl<R: Read> Source<R> {
    /// Reads the first bytes, detects the encoding and drops the byte-order mark.
    fn open(mut reader: R, declared: TextEncoding) -> Result<Self> {
        let mut head = Vec::new();
        let eof = read_some(&mut reader, &mut head, 64 * 1024)?;
        refuse_workbook(&head)?;
        let (encoding, bom) = detect(&head, eof, declared)?;
        let rest = head.split_off(bom);
        Ok(match encoding {
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => Self::Utf16 {
                reader: std::io::Cursor::new(rest).chain(reader),
                decoder: Utf16Source::new(encoding, bom),
                raw: Vec::new(),
                bom,
            },
            _ => Self::Raw {
                reader: std::io::Cursor::new(rest).chain(reader),
                encoding,
                bom,
            },
        })
    }

    /// Appends about `want` more bytes of text to `buf`; `true` at the end of the input.
    fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> Result<bool> {
        match self {
            Self::Raw { reader, .. } => read_some(reader, buf, want),
            Self::Utf16 {
                reader,
                decoder,
                raw,
                ..
            } => {
                raw.clear();
                let eof = read_some(reader, raw, want)?;
                decoder.decode(raw, buf, eof)?;
                Ok(eof)
            }
        }
    }

    /// The encoding of the bytes the parser sees.
    fn cell_encoding(&self) -> TextEncoding {
        match self {
            Self::Raw { encoding, .. } => *encoding,
            Self::Utf16 { .. } => TextEncoding::Utf8,
        }
    }

    fn bom_len(&self) -> usize {
        match self {
            Self::Raw { bom, .. } | Self::Utf16 { bom, .. } => *bom,
        }
    }

    fn encoding_error(&self, buf: &[u8], at: usize) -> Error {
        encoding_error(
            self.cell_encoding(),
            (self.bom_len() + at) as u64,
            crate::input::encoding::line_of(buf, at),
        )
    }
}

fn encoding_error(encoding: TextEncoding, offset: u64, line: u64) -> Error {
    use crate::error::EncodingProblem;
    IntakeError::Encoding {
        problem: match encoding {
            TextEncoding::Gb18030 => EncodingProblem::InvalidGb18030,
            _ => EncodingProblem::InvalidUtf8,
        },
        offset,
        line,
    }
    .into()
}

/// The bytes read to detect the encoding, then the rest of the input.
type ChainFirst<R> = std::io::Chain<std::io::Cursor<Vec<u8>>, R>;

/// What the record parser needs: the bound header and the cell table.
struct Intake<'l> {
    bound: Bound,
    scale: &'l AnswerScale,
    expected: String,
    /// Cell bytes (trimmed, in the file's encoding) to a grade index or [`MISSING`].
    table: ByteMap,
    encoding: TextEncoding,
    delimiter: u8,
    policy: OnBadRow,
    grades: GradeSet,
}

impl<'l> Intake<'l> {
    fn new(bound: Bound, layout: &'l SurveyLayout, encoding: TextEncoding, delimiter: u8) -> Self {
        let scale = layout.answers();
        let mut table = ByteMap::new();
        for (key, answer) in scale.keys() {
            if let Some(bytes) = encode(key, encoding) {
                table.insert(
                    &bytes,
                    match answer {
                        Answer::Grade(j) => *j as u32,
                        Answer::Missing => MISSING,
                    },
                );
            }
        }
        if let Some(codes) = scale.codes() {
            for (code, j) in codes.codes() {
                table.insert(code.to_string().as_bytes(), j as u32);
            }
        }
        Self {
            bound,
            scale,
            expected: scale.expected(),
            table,
            encoding,
            delimiter,
            policy: layout.on_bad_row(),
            grades: layout.grades().clone(),
        }
    }

    /// The code of a trimmed question cell, or `None` when it needs the slow path.
    #[inline(always)]
    fn fast_code(&self, cell: &[u8], lower: &mut Vec<u8>) -> Option<u32> {
        if cell.is_empty() {
            return Some(MISSING);
        }
        if let Some(code) = self.table.get(cell) {
            return Some(code);
        }
        if self.encoding != TextEncoding::Gb18030 && cell.iter().any(u8::is_ascii_uppercase) {
            lower.clear();
            lower.extend(cell.iter().map(u8::to_ascii_lowercase));
            return self.table.get(lower);
        }
        None
    }
}

/// A record: its fields' bytes and end offsets.
struct Record<'a> {
    out: &'a [u8],
    ends: &'a [usize],
}

impl Record<'_> {
    #[inline(always)]
    fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.out[start..self.ends[i]]
    }
}

/// A csv-core parser with its buffers.
struct Parser {
    core: CoreReader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

/// Whether a record ends the input without a terminator and leaves a quote open.
fn quote_left_open(raw: &[u8], delimiter: u8) -> bool {
    let mut open = false;
    let mut field_start = true;
    let mut prev_quote = false;
    for &b in raw {
        if open {
            if b == b'"' {
                open = false;
                prev_quote = true;
            }
            continue;
        }
        if b == b'"' && (field_start || prev_quote) {
            open = true;
        }
        prev_quote = false;
        field_start = b == b'\n' || b == b'\r' || b == delimiter;
    }
    open
}

impl Parser {
    fn new(delimiter: u8) -> Self {
        Self {
            core: CoreBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 4096],
            ends: vec![0; 64],
        }
    }

    /// Parses the records of `data` (which starts at a record boundary) and calls
    /// `on_record(record, start, end, at_eof)` for each, `start..end` its bytes; stops when
    /// `on_record` returns `false`. Returns the bytes consumed: up to the end of the last
    /// complete record (all of `data` at `eof`).
    fn records(
        &mut self,
        data: &[u8],
        eof: bool,
        mut on_record: impl FnMut(&Record<'_>, usize, usize, bool) -> bool,
    ) -> usize {
        self.core.reset();
        let (mut pos, mut start, mut o, mut e) = (0usize, 0usize, 0usize, 0usize);
        let mut first = true;
        loop {
            let input: &[u8] = if pos < data.len() {
                // one byte first: csv-core skips a byte-order mark only on its first read,
                // and a piece of a file does not start the file
                let limit = if first { pos + 1 } else { data.len() };
                &data[pos..limit]
            } else if eof {
                &[]
            } else {
                return start;
            };
            first = false;
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[o..], &mut self.ends[e..]);
            pos += nin;
            o += nout;
            e += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if input.is_empty() {
                        return data.len();
                    }
                }
                ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    let at_eof = input.is_empty();
                    let record = Record {
                        out: &self.out[..o],
                        ends: &self.ends[..e],
                    };
                    let go_on = on_record(&record, start, pos, at_eof);
                    o = 0;
                    e = 0;
                    start = pos;
                    if !go_on {
                        return start;
                    }
                }
                ReadRecordResult::End => return data.len(),
            }
        }
    }

    /// The header's fields and the offset just after it; `Some(Err)` when `data` holds no
    /// complete record yet, `None` for an input without any.
    fn header(&mut self, data: &[u8], eof: bool) -> Option<Result<(Vec<Vec<u8>>, usize)>> {
        let mut header = None;
        let consumed = self.records(data, eof, |r, _, end, _| {
            header = Some((
                r.ends
                    .iter()
                    .enumerate()
                    .map(|(i, _)| r.field(i).to_vec())
                    .collect(),
                end,
            ));
            false
        });
        match header {
            Some(h) => Some(Ok(h)),
            None if eof && data.iter().all(|b| b.is_ascii_whitespace()) => None,
            None => {
                let _ = consumed;
                Some(Err(IntakeError::RecordTooLong {
                    at: Place::Line(1),
                    limit: MAX_RECORD_BYTES,
                }
                .into()))
            }
        }
    }
}

/// A tally in progress with its record accounting.
struct Tally {
    counts: SurveyCounts,
    names: ByteMap,
    by_name: HashMap<String, u32>,
    rows_read: usize,
    skipped: Vec<Error>,
    stopped: Option<Error>,
    parser: Parser,
    codes: Vec<u32>,
    lower: Vec<u8>,
}

#[inline(always)]
fn trim(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

impl Tally {
    fn new(intake: &Intake<'_>) -> Self {
        Self {
            counts: SurveyCounts::empty(&intake.bound, intake.grades.clone()),
            names: ByteMap::new(),
            by_name: HashMap::new(),
            rows_read: 0,
            skipped: Vec::new(),
            stopped: None,
            parser: Parser::new(intake.delimiter),
            codes: Vec::new(),
            lower: Vec::new(),
        }
    }

    /// Tallies the records of `data` (starting at a record boundary on line `first_line`;
    /// `offset` its byte offset in the file); returns the bytes consumed. Stops at the first
    /// bad row under [`OnBadRow::Stop`].
    fn piece(
        &mut self,
        intake: &Intake<'_>,
        data: &[u8],
        eof: bool,
        first_line: u64,
        after_cr: bool,
        offset: u64,
    ) -> usize {
        let mut parser = std::mem::replace(&mut self.parser, Parser::new(intake.delimiter));
        // line numbers, counted only when an error needs one
        let mut cursor = (0usize, first_line, after_cr);
        let mut line_at = |at: usize| -> u64 {
            let skip = data[at..]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            let to = (at + skip).max(cursor.0);
            let (n, cr) = line_breaks(&data[cursor.0..to], cursor.2);
            cursor = (to, cursor.1 + n, cr);
            cursor.1
        };
        let consumed = parser.records(data, eof, |record, start, end, at_eof| {
            let outcome = self.record(
                intake,
                record,
                &data[start..end],
                at_eof,
                offset + start as u64,
                &mut || line_at(start),
            );
            match outcome {
                Ok(true) => self.rows_read += 1,
                Ok(false) => {}
                Err(e) => match intake.policy {
                    OnBadRow::Skip => self.skipped.push(e),
                    OnBadRow::Stop => {
                        self.stopped = Some(e);
                        return false;
                    }
                },
            }
            true
        });
        self.parser = parser;
        consumed
    }

    /// One record (bytes `start..` of the piece): `Ok(true)` tallied, `Ok(false)` a blank row
    /// (recorded as skipped). `offset` is the record's byte offset in the file.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        intake: &Intake<'_>,
        record: &Record<'_>,
        raw: &[u8],
        at_eof: bool,
        offset: u64,
        line: &mut dyn FnMut() -> u64,
    ) -> Result<bool> {
        let bound = &intake.bound;
        let n = record.ends.len();
        if at_eof && quote_left_open(raw, intake.delimiter) {
            return Err(CsvError::UnterminatedQuote { line: line() }.into());
        }
        if n == 1 && is_blank(record.field(0), intake.encoding) {
            self.skipped
                .push(CsvError::BlankRow { line: line() }.into());
            return Ok(false);
        }
        if n != bound.names.len() {
            return Err(CsvError::CellCount {
                line: line(),
                expected: bound.names.len(),
                found: n,
            }
            .into());
        }
        let merchant = trim(record.field(bound.merchant));
        self.codes.clear();
        for &(col, _) in &bound.questions {
            let cell = trim(record.field(col));
            let code = match intake.fast_code(cell, &mut self.lower) {
                Some(code) => code,
                None => slow_code(intake, cell, col, line(), offset)?,
            };
            self.codes.push(code);
        }
        let i = match self.names.get(merchant) {
            Some(i) => i,
            None => {
                let name = decode_cell(merchant, intake.encoding)
                    .map_err(|at| encoding_error(intake.encoding, offset + at as u64, line()))?;
                let name = name.trim();
                if name.is_empty() {
                    return Err(no_merchant(Place::Line(line()), bound));
                }
                let i = self.counts.merchant_index(&mut self.by_name, name);
                self.names.insert(merchant, i);
                i
            }
        };
        self.counts.add(i, &bound.questions, &self.codes)?;
        Ok(true)
    }

    /// With several threads: tallies the complete records of `buf` in `threads` pieces cut at
    /// record boundaries and merges them in order. `None` (nothing tallied) when the pieces
    /// cannot be cut cleanly; the caller then reads the block on one thread.
    #[cfg(feature = "parallel")]
    fn parallel_block(
        &mut self,
        intake: &Intake<'_>,
        buf: &[u8],
        start: (u64, bool, u64),
        threads: usize,
    ) -> Option<usize> {
        use rayon::prelude::*;
        let (lines_before, after_cr, offset) = start;
        let end = boundary_before(buf, buf.len())?;
        let mut cuts = vec![0];
        for t in 1..threads {
            if let Some(c) = boundary_before(buf, end * t / threads) {
                if c > *cuts.last().unwrap_or(&0) {
                    cuts.push(c);
                }
            }
        }
        cuts.push(end);
        let pieces: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
        let cr_before = |a: usize| {
            if a == 0 {
                after_cr
            } else {
                buf[a - 1] == b'\r'
            }
        };
        let breaks: Vec<u64> = pieces
            .par_iter()
            .map(|&(a, b)| line_breaks(&buf[a..b], cr_before(a)).0)
            .collect();
        let mut first_lines = Vec::with_capacity(pieces.len());
        let mut line = 1 + lines_before;
        for b in &breaks {
            first_lines.push(line);
            line += b;
        }
        let locals: Vec<(Tally, usize)> = pieces
            .par_iter()
            .zip(&first_lines)
            .map(|(&(a, b), &first_line)| {
                let mut local = Tally::new(intake);
                let consumed = local.piece(
                    intake,
                    &buf[a..b],
                    false,
                    first_line,
                    cr_before(a),
                    offset + a as u64,
                );
                (local, consumed)
            })
            .collect();
        // every piece before a stop must end exactly at its cut
        for ((local, consumed), &(a, b)) in locals.iter().zip(&pieces) {
            if local.stopped.is_some() {
                break;
            }
            if *consumed != b - a {
                return None;
            }
        }
        for (local, _) in locals {
            if let Err(e) = self.counts.merge(&mut self.by_name, &local.counts) {
                self.stopped = Some(e);
                return Some(end);
            }
            self.rows_read += local.rows_read;
            self.skipped.extend(local.skipped);
            if local.stopped.is_some() {
                self.stopped = local.stopped;
                break;
            }
        }
        Some(end)
    }

    #[cfg(not(feature = "parallel"))]
    fn parallel_block(
        &mut self,
        _: &Intake<'_>,
        _: &[u8],
        _: (u64, bool, u64),
        _: usize,
    ) -> Option<usize> {
        None
    }
}

/// The end of the last line before `target` (just after a `\n`) with an even number of
/// quotes before it: a record boundary unless quotes stand inside unquoted fields (which the
/// caller detects: the piece before it then does not end there).
#[cfg(feature = "parallel")]
fn boundary_before(buf: &[u8], target: usize) -> Option<usize> {
    let mut quotes = memchr::memchr_iter(b'"', &buf[..target]).count();
    let mut hi = target;
    while let Some(nl) = memchr::memrchr(b'\n', &buf[..hi]) {
        quotes -= memchr::memchr_iter(b'"', &buf[nl..hi]).count();
        if quotes.is_multiple_of(2) {
            return Some(nl + 1);
        }
        hi = nl;
    }
    None
}

/// A one-field record that holds nothing but whitespace.
fn is_blank(field: &[u8], encoding: TextEncoding) -> bool {
    let t = trim(field);
    t.is_empty() || (t[0] >= 0x80 && decode_cell(t, encoding).is_ok_and(|s| s.trim().is_empty()))
}

/// The code of a cell the table does not hold: decoded, then read as the layout says.
fn slow_code(intake: &Intake<'_>, cell: &[u8], col: usize, line: u64, offset: u64) -> Result<u32> {
    let text = decode_cell(cell, intake.encoding)
        .map_err(|at| encoding_error(intake.encoding, offset + at as u64, line))?;
    match intake.scale.classify(&text) {
        Ok(Answer::Grade(j)) => Ok(j as u32),
        Ok(Answer::Missing) => Ok(MISSING),
        Err(problem) => Err(cell_error(
            problem,
            Place::Line(line),
            col,
            &intake.bound,
            text.trim(),
            &intake.expected,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hierarchy::template;
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
