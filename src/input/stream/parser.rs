//! Records from a block of bytes: quote-free lines split word at a time, others through
//! csv-core.

use csv_core::{ReadRecordResult, Reader as CoreReader, ReaderBuilder as CoreBuilder};

use crate::error::{IntakeError, Place, Result};

use super::MAX_RECORD_BYTES;

/// A record: its fields' bytes and end offsets.
pub(super) struct Record<'a> {
    pub(super) out: &'a [u8],
    pub(super) ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 0 in csv-core's output
    /// (fields unquoted and concatenated), 1 in a plain line (the delimiter).
    pub(super) gap: usize,
}

impl Record<'_> {
    #[inline(always)]
    pub(super) fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] + self.gap
        };
        &self.out[start..self.ends[i]]
    }
}

/// A csv-core parser with its buffers.
pub(super) struct Parser {
    pub(super) core: CoreReader,
    pub(super) out: Vec<u8>,
    pub(super) ends: Vec<usize>,
    /// Field ends of a plain line (see [`Parser::plain_line`]).
    pub(super) plain_ends: Vec<usize>,
    pub(super) delimiter: u8,
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
pub(super) fn quote_left_open(raw: &[u8], delimiter: u8) -> bool {
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
    pub(super) fn new(delimiter: u8) -> Self {
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
    pub(super) fn records(
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
    pub(super) fn header(
        &mut self,
        data: &[u8],
        eof: bool,
    ) -> Option<Result<(Vec<Vec<u8>>, usize)>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
}
