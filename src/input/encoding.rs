//! Text encodings of survey files: UTF-8 (with or without a byte-order mark), GBK / GB18030
//! and UTF-16 with a byte-order mark, detected or declared, decoded with `encoding_rs`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE};

use crate::error::{EncodingProblem, Error, IntakeError, LayoutProblem, Result};

/// The text encoding of a survey file.
///
/// In layout files: `"auto"`, `"utf-8"`, `"gbk"` (or `"gb18030"`, its superset, read the
/// same way), `"utf-16"` (byte-order mark required), `"utf-16le"`, `"utf-16be"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TextEncoding {
    /// Detected from the first bytes (the default): a byte-order mark names UTF-8 or UTF-16;
    /// otherwise UTF-8 when the first 64 KiB are valid UTF-8, else GB18030 when they are valid
    /// GB18030 (which GBK files are), else an [`EncodingProblem::Unrecognised`] error.
    #[default]
    Auto,
    /// UTF-8; a byte-order mark at the start is skipped.
    Utf8,
    /// GBK / GB18030, what Excel and SPSS write on Chinese Windows ("ANSI").
    Gb18030,
    /// UTF-16 little-endian (Excel's "Unicode Text"); a byte-order mark is skipped.
    Utf16Le,
    /// UTF-16 big-endian; a byte-order mark is skipped.
    Utf16Be,
}

impl FromStr for TextEncoding {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        Ok(
            match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
                "auto" => Self::Auto,
                "utf-8" | "utf8" | "utf-8-sig" => Self::Utf8,
                "gbk" | "gb18030" | "gb2312" | "cp936" => Self::Gb18030,
                "utf-16" | "utf-16le" | "utf16" | "utf16le" => Self::Utf16Le,
                "utf-16be" | "utf16be" => Self::Utf16Be,
                _ => {
                    return Err(IntakeError::layout(LayoutProblem::UnknownEncoding {
                        name: name.to_owned(),
                    })
                    .into())
                }
            },
        )
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Auto => "auto",
            Self::Utf8 => "utf-8",
            Self::Gb18030 => "gbk",
            Self::Utf16Le => "utf-16le",
            Self::Utf16Be => "utf-16be",
        })
    }
}

/// How many bytes detection looks at.
const SNIFF: usize = 64 * 1024;

/// The encoding of a file that starts with `head` (the whole file when shorter than 64 KiB;
/// `complete` when it is), and the length of its byte-order mark. A declared UTF-16 without
/// a byte-order mark is taken as declared.
pub(crate) fn detect(
    head: &[u8],
    complete: bool,
    declared: TextEncoding,
) -> Result<(TextEncoding, usize)> {
    let bom = match head {
        [0xef, 0xbb, 0xbf, ..] => Some((TextEncoding::Utf8, 3)),
        [0xff, 0xfe, ..] => Some((TextEncoding::Utf16Le, 2)),
        [0xfe, 0xff, ..] => Some((TextEncoding::Utf16Be, 2)),
        _ => None,
    };
    match (declared, bom) {
        (TextEncoding::Auto, Some(found)) => return Ok(found),
        (TextEncoding::Utf8, Some((TextEncoding::Utf8, n)))
        | (TextEncoding::Utf16Le, Some((TextEncoding::Utf16Le, n)))
        | (TextEncoding::Utf16Be, Some((TextEncoding::Utf16Be, n))) => return Ok((declared, n)),
        (TextEncoding::Auto, None) => {}
        (declared, _) => return Ok((declared, 0)),
    }
    let head = &head[..head.len().min(SNIFF)];
    let cut = complete && head.len() < SNIFF;
    match std::str::from_utf8(head) {
        Ok(_) => return Ok((TextEncoding::Utf8, 0)),
        // only a character cut off at the end of the sniffed bytes
        Err(e) if e.error_len().is_none() && !cut => return Ok((TextEncoding::Utf8, 0)),
        Err(_) => {}
    }
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut out = vec![
        0u8;
        decoder
            .max_utf8_buffer_length(head.len())
            .unwrap_or(head.len() * 3)
    ];
    let (result, _, _) = decoder.decode_to_utf8_without_replacement(head, &mut out, cut);
    match result {
        DecoderResult::InputEmpty => Ok((TextEncoding::Gb18030, 0)),
        _ => {
            let offset = std::str::from_utf8(head)
                .err()
                .map_or(0, |e| e.valid_up_to()) as u64;
            Err(IntakeError::Encoding {
                problem: EncodingProblem::Unrecognised,
                offset,
                line: line_of(head, offset as usize),
            }
            .into())
        }
    }
}

/// The 1-based line of byte `offset` of `text` (`\n`, `\r\n` and `\r` end lines).
pub(crate) fn line_of(text: &[u8], offset: usize) -> u64 {
    1 + line_breaks(&text[..offset.min(text.len())], false).0
}

/// Line breaks in `bytes` (`\n`, `\r\n` and `\r` count one each) when the byte before them
/// was a `\r` or not, and whether `bytes` ends with a `\r`.
pub(crate) fn line_breaks(bytes: &[u8], after_cr: bool) -> (u64, bool) {
    let lf = memchr::memchr_iter(b'\n', bytes).count() as u64;
    let mut crlf = 0u64;
    let mut cr = 0u64;
    for at in memchr::memchr_iter(b'\r', bytes) {
        cr += 1;
        if bytes.get(at + 1) == Some(&b'\n') {
            crlf += 1;
        }
    }
    let joined = u64::from(after_cr && bytes.first() == Some(&b'\n'));
    let ends_cr = bytes.last().map_or(after_cr, |&b| b == b'\r');
    (lf + cr - crlf - joined, ends_cr)
}

/// The encoding_rs encoding of a declared or detected encoding (`Auto` never reaches here).
pub(crate) fn rs_encoding(encoding: TextEncoding) -> &'static Encoding {
    match encoding {
        TextEncoding::Gb18030 => GB18030,
        TextEncoding::Utf16Le => UTF_16LE,
        TextEncoding::Utf16Be => UTF_16BE,
        TextEncoding::Utf8 | TextEncoding::Auto => encoding_rs::UTF_8,
    }
}

fn problem_of(encoding: TextEncoding) -> EncodingProblem {
    match encoding {
        TextEncoding::Gb18030 => EncodingProblem::InvalidGb18030,
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => EncodingProblem::InvalidUtf16,
        TextEncoding::Utf8 | TextEncoding::Auto => EncodingProblem::InvalidUtf8,
    }
}

/// The whole of `bytes` as UTF-8 text, the encoding detected or declared, the byte-order
/// mark dropped.
///
/// # Errors
///
/// [`IntakeError::Encoding`] with the offset and line of the first bad byte.
pub(crate) fn decode_all(
    bytes: &[u8],
    declared: TextEncoding,
) -> Result<(Cow<'_, str>, TextEncoding)> {
    let (encoding, bom) = detect(bytes, true, declared)?;
    let body = &bytes[bom..];
    if encoding == TextEncoding::Utf8 {
        return match std::str::from_utf8(body) {
            Ok(text) => Ok((Cow::Borrowed(text), encoding)),
            Err(e) => Err(encoding_error(bytes, bom + e.valid_up_to(), encoding)),
        };
    }
    let mut decoder = rs_encoding(encoding).new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(body.len())
            .unwrap_or(body.len()),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    match result {
        DecoderResult::InputEmpty => Ok((Cow::Owned(out), encoding)),
        DecoderResult::Malformed(bad, extra) => {
            let at = (bom + read).saturating_sub(usize::from(bad) + usize::from(extra));
            Err(encoding_error_in(&out, bytes, at, encoding))
        }
        // the buffer was sized for the whole input
        DecoderResult::OutputFull => Err(encoding_error(bytes, bom + read, encoding)),
    }
}

fn encoding_error(bytes: &[u8], offset: usize, encoding: TextEncoding) -> Error {
    IntakeError::Encoding {
        problem: problem_of(encoding),
        offset: offset as u64,
        line: line_of(bytes, offset),
    }
    .into()
}

/// An encoding error after `decoded` text (UTF-16: lines counted in the decoded text).
fn encoding_error_in(decoded: &str, bytes: &[u8], offset: usize, encoding: TextEncoding) -> Error {
    let line = match encoding {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => line_of(decoded.as_bytes(), decoded.len()),
        _ => line_of(bytes, offset),
    };
    IntakeError::Encoding {
        problem: problem_of(encoding),
        offset: offset as u64,
        line,
    }
    .into()
}

/// Decodes one cell (or header field) of a file in an ASCII-compatible `encoding` (UTF-8 or
/// GB18030), for messages and names: `Err(())` when the bytes are not valid.
pub(crate) fn decode_cell(bytes: &[u8], encoding: TextEncoding) -> Result<Cow<'_, str>, usize> {
    match encoding {
        TextEncoding::Gb18030 => {
            let mut decoder = GB18030.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(bytes.len() * 3 / 2 + 4);
            match decoder.decode_to_string_without_replacement(bytes, &mut out, true) {
                (DecoderResult::InputEmpty, _) => Ok(Cow::Owned(out)),
                (DecoderResult::Malformed(bad, extra), read) => {
                    Err(read.saturating_sub(usize::from(bad) + usize::from(extra)))
                }
                (DecoderResult::OutputFull, read) => Err(read),
            }
        }
        _ => std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| e.valid_up_to()),
    }
}

/// `text` in an ASCII-compatible `encoding` (for matching cells byte for byte); `None` when it
/// cannot be written in it.
pub(crate) fn encode(text: &str, encoding: TextEncoding) -> Option<Vec<u8>> {
    match encoding {
        TextEncoding::Gb18030 => {
            let (bytes, _, unmappable) = GB18030.encode(text);
            (!unmappable).then(|| bytes.into_owned())
        }
        _ => Some(text.as_bytes().to_vec()),
    }
}

/// Streaming decoder of UTF-16 input into UTF-8, for the streaming reader.
pub(crate) struct Utf16Source {
    decoder: encoding_rs::Decoder,
    encoding: TextEncoding,
    raw: Vec<u8>,
    /// Raw bytes consumed so far (for error offsets), including the byte-order mark.
    offset: u64,
    /// Line breaks in the decoded text so far.
    lines: u64,
    after_cr: bool,
}

impl Utf16Source {
    pub(crate) fn new(encoding: TextEncoding, bom: usize) -> Self {
        Self {
            decoder: rs_encoding(encoding).new_decoder_without_bom_handling(),
            encoding,
            raw: Vec::new(),
            offset: bom as u64,
            lines: 0,
            after_cr: false,
        }
    }

    /// Decodes `input` (raw bytes; `last` at the end of the file), appending UTF-8 to `out`.
    pub(crate) fn decode(&mut self, input: &[u8], out: &mut Vec<u8>, last: bool) -> Result<()> {
        self.raw.clear();
        self.raw.extend_from_slice(input);
        let start = out.len();
        let room = self
            .decoder
            .max_utf8_buffer_length_without_replacement(input.len())
            .unwrap_or(input.len() * 3 + 16);
        out.resize(start + room, 0);
        let (result, read, written) =
            self.decoder
                .decode_to_utf8_without_replacement(&self.raw, &mut out[start..], last);
        out.truncate(start + written);
        let (lines, after_cr) = line_breaks(&out[start..], self.after_cr);
        self.lines += lines;
        self.after_cr = after_cr;
        match result {
            DecoderResult::InputEmpty => {
                self.offset += read as u64;
                Ok(())
            }
            DecoderResult::Malformed(bad, extra) => Err(IntakeError::Encoding {
                problem: problem_of(self.encoding),
                offset: self.offset
                    + (read as u64).saturating_sub(u64::from(bad) + u64::from(extra)),
                line: self.lines + 1,
            }
            .into()),
            DecoderResult::OutputFull => Err(IntakeError::Encoding {
                problem: problem_of(self.encoding),
                offset: self.offset + read as u64,
                line: self.lines + 1,
            }
            .into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        let auto = TextEncoding::Auto;
        assert_eq!(
            detect(b"\xef\xbb\xbfa", true, auto).unwrap(),
            (TextEncoding::Utf8, 3)
        );
        assert_eq!(
            detect(b"\xff\xfea\0", true, auto).unwrap(),
            (TextEncoding::Utf16Le, 2)
        );
        assert_eq!(
            detect("满意".as_bytes(), true, auto).unwrap(),
            (TextEncoding::Utf8, 0)
        );
        // 满意 in GBK
        assert_eq!(
            detect(b"\xc2\xfa\xd2\xe2", true, auto).unwrap(),
            (TextEncoding::Gb18030, 0)
        );
        assert!(detect(b"a\xff\xff", true, auto).is_err());
        assert_eq!(line_breaks(b"a\r\nb\rc\n", false), (3, false));
        assert_eq!(line_breaks(b"\nb\r", true), (1, true));
    }
}
