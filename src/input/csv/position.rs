//! Physical line numbers of CSV records, and quotes left open at the end of the file.
//!
//! The `csv` crate numbers a record by the line breaks it has consumed when the record starts,
//! which is before the line terminators it skips: with `\r\n` line endings, or after a blank
//! line, a record is reported a line too early. It also reads an unterminated quoted field to
//! the end of the file without a word. [`Tracked`] wraps the input, watches every byte the
//! reader reads and answers both questions.

use std::collections::VecDeque;
use std::io::{self, Read};

/// A run of line-break bytes (`\r` and `\n`) in the input.
#[derive(Debug, Clone, Copy)]
struct Breaks {
    /// Offset of the first byte of the run.
    start: u64,
    /// The line that follows the run.
    next_line: u64,
}

/// Where the reader is in the CSV grammar the `csv` crate applies by default (quotes open a
/// field only at its start, `""` is a quote inside a quoted field, `\r`, `\n` and `\r\n` end a
/// record, a UTF-8 byte-order mark at the start of the file is skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a field.
    FieldStart,
    /// In an unquoted field, or after the closing quote of a quoted one.
    Unquoted,
    /// In a quoted field that opened at this offset.
    Quoted(u64),
    /// A quote inside a quoted field (that opened at this offset): the closing quote, or the
    /// first of a doubled one.
    QuoteInQuoted(u64),
}

/// The input of a CSV reader, with what it has read so far noted down.
pub(crate) struct Tracked<R> {
    inner: R,
    delimiter: u8,
    /// Bytes read so far.
    offset: u64,
    /// Line breaks read so far (a `\r\n` is one).
    lines: u64,
    /// The last byte read was a `\r`.
    after_cr: bool,
    /// The runs of line breaks not yet passed by [`line_at`](Self::line_at), the last one
    /// possibly still open.
    runs: VecDeque<Breaks>,
    /// The line of the last position asked for.
    line: u64,
    /// The last byte read was a line break.
    in_run: bool,
    /// Bytes of the byte-order mark seen at the start (3 once past it, or when there is none).
    bom_seen: usize,
    quoting: Quoting,
    /// Reached the end of the input.
    eof: bool,
}

const BOM: &[u8] = b"\xef\xbb\xbf";

impl<R: Read> Tracked<R> {
    pub(crate) fn new(inner: R, delimiter: u8) -> Self {
        Self {
            inner,
            delimiter,
            offset: 0,
            lines: 0,
            after_cr: false,
            runs: VecDeque::new(),
            line: 1,
            in_run: false,
            bom_seen: 0,
            quoting: Quoting::FieldStart,
            eof: false,
        }
    }

    /// The physical line (1-based) of the record that the `csv` reader says starts at byte
    /// `offset`: the line of its first byte after any line terminators. Offsets must not
    /// decrease from one call to the next.
    pub(crate) fn line_at(&mut self, offset: u64) -> u64 {
        while let Some(run) = self.runs.front() {
            if run.start > offset {
                break;
            }
            self.line = run.next_line;
            self.runs.pop_front();
        }
        self.line
    }

    /// The offset where a quoted field opened that the input ended in, once the whole input
    /// has been read.
    pub(crate) fn open_quote(&self) -> Option<u64> {
        match self.quoting {
            Quoting::Quoted(start) if self.eof => Some(start),
            _ => None,
        }
    }

    fn note(&mut self, b: u8) {
        let at = self.offset;
        self.offset += 1;
        // the `csv` crate skips a byte-order mark at the start (and only a whole one)
        if self.bom_seen < BOM.len() {
            if at == self.bom_seen as u64 && BOM.get(self.bom_seen) == Some(&b) {
                self.bom_seen += 1;
                return;
            }
            if self.bom_seen > 0 {
                self.quoting = Quoting::Unquoted;
            }
            self.bom_seen = BOM.len();
        }
        let line_break = b == b'\r' || b == b'\n';
        if line_break {
            if !(b == b'\n' && self.after_cr) {
                self.lines += 1;
            }
            match self.runs.back_mut() {
                Some(run) if self.in_run => run.next_line = self.lines + 1,
                _ => self.runs.push_back(Breaks {
                    start: at,
                    next_line: self.lines + 1,
                }),
            }
        }
        self.in_run = line_break;
        self.after_cr = b == b'\r';
        self.quoting = match (self.quoting, b) {
            (Quoting::FieldStart, b'"') => Quoting::Quoted(at),
            (Quoting::Quoted(start), b'"') => Quoting::QuoteInQuoted(start),
            (Quoting::Quoted(start), _) => Quoting::Quoted(start),
            (Quoting::QuoteInQuoted(start), b'"') => Quoting::Quoted(start),
            (_, d) if d == self.delimiter || line_break => Quoting::FieldStart,
            _ => Quoting::Unquoted,
        };
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.eof = true;
        }
        for &b in buf.iter().take(n) {
            self.note(b);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads all of `text` through a [`Tracked`], `chunk` bytes at a time.
    fn tracked(text: &[u8], chunk: usize) -> Tracked<&[u8]> {
        let mut t = Tracked::new(text, b',');
        let mut buf = vec![0; chunk];
        while t.read(&mut buf).unwrap() > 0 {}
        t
    }

    #[test]
    fn lines_after_any_line_ending_and_blank_lines() {
        for chunk in [1, 2, 64] {
            for text in [&b"a\nb\n\nc"[..], b"a\r\nb\r\n\r\nc", b"a\rb\r\rc"] {
                let mut t = tracked(text, chunk);
                let c = text.len() as u64 - 1;
                // the csv crate's record starts: 0, just after `a`'s terminator (or at
                // its `\n`), at the blank line
                assert_eq!(t.line_at(0), 1);
                assert_eq!(t.line_at(2), 2, "{text:?}");
                assert_eq!(t.line_at(c - 1), 4, "{text:?}");
                assert_eq!(t.line_at(c), 4, "{text:?}");
            }
        }
    }

    #[test]
    fn open_quotes() {
        for chunk in [1, 64] {
            assert_eq!(tracked(b"a,b\nx,\"y\nz\n", chunk).open_quote(), Some(6));
            assert_eq!(tracked(b"a,b\nx,\"y\"\"\nz\"\n", chunk).open_quote(), None);
            assert_eq!(tracked(b"a,b\nx,\"y\"\"\n", chunk).open_quote(), Some(6));
            // a quote inside an unquoted field is text
            assert_eq!(tracked(b"a,b\nx,y\"\n", chunk).open_quote(), None);
            assert_eq!(tracked(b"\xef\xbb\xbf\"a,b\n", chunk).open_quote(), Some(3));
        }
    }
}
