//! Where the reader's bytes come from: ASCII-compatible text as it is, or UTF-16 decoded to
//! UTF-8; the encoding detected or declared.

use std::io::Read;

use crate::error::{Error, IntakeError, Result};
use crate::input::encoding::{detect, TextEncoding, Utf16Source};
use crate::input::layout::read::refuse_workbook;

/// Where the bytes come from: ASCII-compatible text as it is, or UTF-16 decoded to UTF-8.
pub(super) enum Source<R> {
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
    pub(super) fn open(mut reader: R, declared: TextEncoding) -> Result<Self> {
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
    pub(super) fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> Result<bool> {
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
    pub(super) fn cell_encoding(&self) -> TextEncoding {
        match self {
            Self::Raw { encoding, .. } => *encoding,
            Self::Utf16 { .. } => TextEncoding::Utf8,
        }
    }

    pub(super) fn bom_len(&self) -> usize {
        match self {
            Self::Raw { bom, .. } | Self::Utf16 { bom, .. } => *bom,
        }
    }

    pub(super) fn encoding_error(&self, buf: &[u8], at: usize) -> Error {
        encoding_error(
            self.cell_encoding(),
            (self.bom_len() + at) as u64,
            crate::input::encoding::line_of(buf, at),
        )
    }
}

pub(super) fn encoding_error(encoding: TextEncoding, offset: u64, line: u64) -> Error {
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
