//! The tally of a block of records: cells to grade codes, rows to merchants, counts into the
//! batch layout; with `parallel`, blocks cut into pieces tallied on several threads.

use std::collections::HashMap;
use std::io::Read;

use crate::error::{CsvError, Error, Place, Result};
use crate::input::bytemap::ByteMap;
use crate::input::csv::OnBadRow;
use crate::input::encoding::{decode_cell, encode, line_breaks, TextEncoding};
use crate::input::layout::read::{cell_error, no_merchant};
use crate::input::layout::{Answer, AnswerScale, Bound, SurveyLayout};
use crate::model::grades::GradeSet;

use super::parser::{quote_left_open, Parser, Record};
use super::source::{encoding_error, Source};
#[cfg(feature = "parallel")]
use super::MAX_RECORD_BYTES;
use super::{SurveyCounts, MISSING};

/// What the record parser needs: the bound header and the cell table.
pub(super) struct Intake<'l> {
    pub(super) bound: Bound,
    pub(super) scale: &'l AnswerScale,
    pub(super) expected: String,
    /// Cell bytes (trimmed, in the file's encoding) to a grade index or [`MISSING`].
    pub(super) table: ByteMap,
    pub(super) encoding: TextEncoding,
    pub(super) delimiter: u8,
    pub(super) policy: OnBadRow,
    pub(super) grades: GradeSet,
}

impl<'l> Intake<'l> {
    pub(super) fn new(
        bound: Bound,
        layout: &'l SurveyLayout,
        encoding: TextEncoding,
        delimiter: u8,
    ) -> Self {
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
    pub(super) fn fast_code(&self, cell: &[u8], lower: &mut Vec<u8>) -> Option<u32> {
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

/// A tally in progress with its record accounting.
pub(super) struct Tally {
    pub(super) counts: SurveyCounts,
    pub(super) names: ByteMap,
    pub(super) by_name: HashMap<String, u32>,
    pub(super) rows_read: usize,
    pub(super) skipped: Vec<Error>,
    pub(super) stopped: Option<Error>,
    pub(super) parser: Parser,
    pub(super) codes: Vec<u32>,
    pub(super) lower: Vec<u8>,
    /// With several threads: one tally per piece of a block, kept from block to block.
    #[cfg(feature = "parallel")]
    locals: Vec<Local>,
    /// Whether blocks are cut only where the quotes before the cut are balanced (after a cut
    /// fell inside a quoted field).
    #[cfg(feature = "parallel")]
    pub(super) careful_cuts: bool,
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
    pub(super) fn new(intake: &Intake<'_>) -> Self {
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
    pub(super) fn piece(
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
    pub(super) fn record(
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
    pub(super) fn overlapped_block<R: Read>(
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
    pub(super) fn parallel_block(
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
    pub(super) fn overlapped_block<R: Read>(
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
