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
    // `read_to_end` appends without zeroing the buffer first
    match reader.by_ref().take(want as u64).read_to_end(out) {
        Ok(n) => Ok(n < want),
        Err(e) => Err(IntakeError::io(&e).into()),
    }
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
        table.settle();
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
    /// Bytes between one field's end and the next one's start: 0 in csv-core's output
    /// (fields unquoted and concatenated), 1 in a plain line (the delimiter).
    gap: usize,
}

impl Record<'_> {
    #[inline(always)]
    fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] + self.gap
        };
        &self.out[start..self.ends[i]]
    }
}

/// A csv-core parser with its buffers.
struct Parser {
    core: CoreReader,
    out: Vec<u8>,
    ends: Vec<usize>,
    /// Field ends of a plain line (see [`Parser::plain_line`]).
    plain_ends: Vec<usize>,
    delimiter: u8,
}

/// A line that [`Parser::plain_line`] split: its bytes and where the next record starts.
struct PlainLine {
    from: usize,
    to: usize,
    next: usize,
    at_eof: bool,
}

const LOW_BYTES: u64 = 0x0101_0101_0101_0101;
const LOW_SEVEN_BITS: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// 0x80 in each byte of `x` that is zero, 0 elsewhere (exact: no false positives).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    !(((x & LOW_SEVEN_BITS).wrapping_add(LOW_SEVEN_BITS)) | x | LOW_SEVEN_BITS)
}

/// Scans `data` from `from`, eight bytes at a time, for the first `\r`, `\n` or `"`;
/// pushes the offsets (from `from`) of the delimiters before it onto `ends`. Returns the
/// position of that byte, or `None` when `data` ends first.
#[inline(always)]
fn split_plain(data: &[u8], from: usize, delimiter: u8, ends: &mut Vec<usize>) -> Option<usize> {
    let (d, lf, cr, quote) = (
        LOW_BYTES * u64::from(delimiter),
        LOW_BYTES * u64::from(b'\n'),
        LOW_BYTES * u64::from(b'\r'),
        LOW_BYTES * u64::from(b'"'),
    );
    let mut i = from;
    while let Some(chunk) = data.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let stop = zero_bytes(w ^ lf) | zero_bytes(w ^ cr) | zero_bytes(w ^ quote);
        let mut delimiters = zero_bytes(w ^ d);
        let end = if stop == 0 {
            None
        } else {
            let k = stop.trailing_zeros() as usize / 8;
            delimiters &= (1u64 << (8 * k)).wrapping_sub(1);
            Some(i + k)
        };
        while delimiters != 0 {
            ends.push(i + delimiters.trailing_zeros() as usize / 8 - from);
            delimiters &= delimiters - 1;
        }
        if end.is_some() {
            return end;
        }
        i += 8;
    }
    for (k, &b) in data[i..].iter().enumerate() {
        if b == b'\n' || b == b'\r' || b == b'"' {
            return Some(i + k);
        }
        if b == delimiter {
            ends.push(i + k - from);
        }
    }
    None
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
            plain_ends: Vec::with_capacity(64),
            delimiter,
        }
    }

    /// The record starting at `pos` when it holds no quote: its line up to the first `\r` or
    /// `\n` (blank lines before it skipped, as csv-core skips them), split at the delimiter
    /// into `plain_ends`. Such a line means the same to csv-core (quotes are its only escape),
    /// so the state machine and its copy are needed only for lines with quotes. `Err(true)`:
    /// the line is not complete yet; `Err(false)`: not a plain line (a quote, or no record).
    #[inline(always)]
    fn plain_line(&mut self, data: &[u8], pos: usize, eof: bool) -> Result<PlainLine, bool> {
        let skip = data[pos..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let from = pos + skip;
        self.plain_ends.clear();
        let (to, next, at_eof) = match split_plain(data, from, self.delimiter, &mut self.plain_ends)
        {
            Some(i) if data[i] != b'"' => (i, i + 1, false),
            Some(_) => return Err(false),
            None if !eof => return Err(true),
            None if from == data.len() => return Err(false),
            None => (data.len(), data.len(), true),
        };
        self.plain_ends.push(to - from);
        Ok(PlainLine {
            from,
            to,
            next,
            at_eof,
        })
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
        // whether csv-core holds part of a record
        let mut in_core = false;
        loop {
            if !in_core {
                match self.plain_line(data, pos, eof) {
                    Ok(line) => {
                        let record = Record {
                            out: &data[line.from..line.to],
                            ends: &self.plain_ends,
                            gap: 1,
                        };
                        let go_on = on_record(&record, start, line.next, line.at_eof);
                        pos = line.next;
                        start = pos;
                        if !go_on {
                            return start;
                        }
                        continue;
                    }
                    Err(true) => return start,
                    Err(false) => in_core = true,
                }
            }
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
                        gap: 0,
                    };
                    let go_on = on_record(&record, start, pos, at_eof);
                    o = 0;
                    e = 0;
                    in_core = false;
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
    /// With several threads: one tally per piece of a block, kept from block to block.
    #[cfg(feature = "parallel")]
    locals: Vec<Local>,
    /// Whether blocks are cut only where the quotes before the cut are balanced (after a cut
    /// fell inside a quoted field).
    #[cfg(feature = "parallel")]
    careful_cuts: bool,
}

/// The tally of one piece of each block, kept from block to block so that its merchants'
/// names are decoded once; `merged[i]` is the main tally's index of its merchant `i`.
#[cfg(feature = "parallel")]
struct Local {
    tally: Tally,
    merged: Vec<u32>,
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
            #[cfg(feature = "parallel")]
            locals: Vec::new(),
            #[cfg(feature = "parallel")]
            careful_cuts: false,
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

    /// With several threads: tallies the complete lines of `buf` (see
    /// [`parallel_block`](Self::parallel_block)) while the current thread reads the next
    /// bytes from `reading.0` into `reading.1` (nothing is read when `reading.3`, the end of
    /// the input, is set: `buf` then keeps only the bytes after the block); `read_ahead` is then the read's result (its
    /// end-of-input flag) and `buf` holds the rest of the block followed by the bytes read. On
    /// `None` nothing was tallied: `buf` has the bytes read appended, or `read_ahead` holds
    /// the read's error.
    #[cfg(feature = "parallel")]
    fn overlapped_block<R: Read>(
        &mut self,
        intake: &Intake<'_>,
        buf: &mut Vec<u8>,
        start: (u64, bool, u64),
        threads: usize,
        reading: (&mut Source<R>, &mut Vec<u8>, usize, bool),
        read_ahead: &mut Option<Result<bool>>,
    ) -> Option<(usize, u64, bool)> {
        let (source, next, chunk, eof) = reading;
        let end = boundary_before(buf, buf.len(), self.careful_cuts)?;
        let rest = buf.len() - end;
        if rest > MAX_RECORD_BYTES {
            return None;
        }
        if eof {
            // the last block: its lines in parallel, the rest (an unterminated last record)
            // on one thread by the caller
            let block = self.parallel_block(intake, &buf[..end], start, threads)?;
            buf.drain(..end);
            *read_ahead = Some(Ok(true));
            return Some(block);
        }
        next.clear();
        next.extend_from_slice(&buf[end..]);
        let mut done = None;
        let mut read = Ok(false);
        rayon::in_place_scope(|scope| {
            let block = &buf[..end];
            let done = &mut done;
            scope.spawn(move |_| *done = self.parallel_block(intake, block, start, threads));
            read = source.fill(next, chunk);
        });
        match (done, read) {
            (Some(block), read) => {
                std::mem::swap(buf, next);
                *read_ahead = Some(read);
                Some(block)
            }
            (None, Ok(_)) => {
                // the caller reads `buf` on one thread; its next read finds the end, if any
                buf.extend_from_slice(&next[rest..]);
                None
            }
            (None, Err(e)) => {
                *read_ahead = Some(Err(e));
                None
            }
        }
    }

    /// With several threads: tallies the records of `block` (which ends at a record boundary)
    /// in `threads` pieces cut at record boundaries and merges them in order; returns the
    /// bytes consumed, the line breaks in them and whether they end with `\r`. `None`
    /// (nothing tallied) when the pieces cannot be cut cleanly; the caller then reads the
    /// block on one thread.
    #[cfg(feature = "parallel")]
    fn parallel_block(
        &mut self,
        intake: &Intake<'_>,
        buf: &[u8],
        start: (u64, bool, u64),
        threads: usize,
    ) -> Option<(usize, u64, bool)> {
        use rayon::prelude::*;
        let (lines_before, after_cr, offset) = start;
        let end = buf.len();
        let mut cuts = vec![0];
        for t in 1..threads {
            if let Some(c) = boundary_before(buf, end * t / threads, self.careful_cuts) {
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
        while self.locals.len() < pieces.len() {
            self.locals.push(Local {
                tally: Tally::new(intake),
                merged: Vec::new(),
            });
        }
        let locals = &mut self.locals[..pieces.len()];
        let consumed: Vec<usize> = locals
            .par_iter_mut()
            .zip(&pieces)
            .zip(&first_lines)
            .map(|((local, &(a, b)), &first_line)| {
                local.tally.piece(
                    intake,
                    &buf[a..b],
                    false,
                    first_line,
                    cr_before(a),
                    offset + a as u64,
                )
            })
            .collect();
        // every piece before a stop must end exactly at its cut
        for ((local, &consumed), &(a, b)) in locals.iter().zip(&consumed).zip(&pieces) {
            if local.tally.stopped.is_some() {
                break;
            }
            if consumed != b - a {
                // nothing of this block is kept: the pieces' tallies start afresh, and later
                // blocks are cut with the quotes counted
                self.locals.clear();
                self.careful_cuts = true;
                return None;
            }
        }
        for local in locals.iter_mut() {
            let drained = self.counts.drain(
                &mut self.by_name,
                &mut local.tally.counts,
                &mut local.merged,
            );
            if let Err(e) = drained {
                self.stopped = Some(e);
                break;
            }
            self.rows_read += std::mem::take(&mut local.tally.rows_read);
            self.skipped.append(&mut local.tally.skipped);
            if let Some(e) = local.tally.stopped.take() {
                self.stopped = Some(e);
                break;
            }
        }
        if self.stopped.is_some() {
            // the pieces after the stop were tallied but are not kept
            self.locals.clear();
        }
        // the block ends just after a `\n`
        Some((end, breaks.iter().sum(), false))
    }

    #[cfg(not(feature = "parallel"))]
    fn overlapped_block<R: Read>(
        &mut self,
        _: &Intake<'_>,
        _: &mut Vec<u8>,
        _: (u64, bool, u64),
        _: usize,
        _: (&mut Source<R>, &mut Vec<u8>, usize, bool),
        _: &mut Option<Result<bool>>,
    ) -> Option<(usize, u64, bool)> {
        None
    }
}

/// The end of the last line before `target` (just after a `\n`): a record boundary unless
/// the `\n` stands inside a quoted field. The caller detects that case (the piece before it
/// then does not end there) and from then on cuts `careful`ly: only after a line with an even
/// number of quotes before it (which counts the quotes of the whole block, a pass of its
/// own), a boundary unless quotes stand inside unquoted fields (detected the same way).
#[cfg(feature = "parallel")]
fn boundary_before(buf: &[u8], target: usize, careful: bool) -> Option<usize> {
    if !careful {
        return memchr::memrchr(b'\n', &buf[..target]).map(|nl| nl + 1);
    }
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

    proptest! {
        /// The word-at-a-time line split finds what a byte-by-byte scan finds.
        #[test]
        fn the_plain_split_matches_a_byte_scan(
            bytes in prop::collection::vec(prop::sample::select(b"ab,;\n\r\"\xe6\x80".to_vec()), 0..80),
            from in 0usize..80,
            delimiter in prop::sample::select(b",;\t".to_vec()),
        ) {
            let from = from.min(bytes.len());
            let mut ends = Vec::new();
            let stop = split_plain(&bytes, from, delimiter, &mut ends);
            let expected_stop = bytes[from..]
                .iter()
                .position(|&b| b == b'\n' || b == b'\r' || b == b'"')
                .map(|i| from + i);
            prop_assert_eq!(stop, expected_stop);
            let upto = expected_stop.unwrap_or(bytes.len());
            let expected: Vec<usize> = (from..upto)
                .filter(|&i| bytes[i] == delimiter)
                .map(|i| i - from)
                .collect();
            prop_assert_eq!(ends, expected);
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
