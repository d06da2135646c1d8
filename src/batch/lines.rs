//! Client lists as bytes: the format and text encoding of a file, its lines as a text editor
//! numbers them (`\n`, `\r\n` and a lone `\r` each end one line), and chunks of whole lines
//! read from any [`Read`] with bounded memory.

use super::FileError;
use std::io::Read;

/// How a client list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated, header row first.
    Csv,
    /// One profile JSON object per line.
    Jsonl,
    /// An Excel workbook (`.xlsx`): the first worksheet, header row first.
    Xlsx,
}

impl InputFormat {
    /// The name shown in summaries.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Csv => "CSV",
            InputFormat::Jsonl => "JSONL",
            InputFormat::Xlsx => "Excel (.xlsx)",
        }
    }
}

/// The local-file signature every zip file (and so every `.xlsx`) starts with.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The UTF-8 byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Guesses the format: a zip file is a workbook; else by the file name's extension; else a
/// first `{` means JSONL.
pub fn guess_format(file_name: Option<&str>, head: &[u8]) -> InputFormat {
    if head.starts_with(ZIP_MAGIC) {
        return InputFormat::Xlsx;
    }
    let ext = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
        Some("csv" | "txt") => InputFormat::Csv,
        Some("xlsx" | "xlsm") => InputFormat::Xlsx,
        _ => {
            let text = head.strip_prefix(UTF8_BOM).unwrap_or(head);
            match text.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => InputFormat::Jsonl,
                _ => InputFormat::Csv,
            }
        }
    }
}

/// The text encoding of a CSV or JSONL file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// GB18030, the superset of GBK: what Excel on Chinese Windows saves as plain “CSV”.
    Gb18030,
}

impl Encoding {
    /// The name shown in summaries.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030 (GBK)",
        }
    }
}

/// Decodes GB18030 bytes; `None` when they are not GB18030. The CLI passes `encoding_rs`,
/// the browser its own `TextDecoder` (the decoding tables would double the page).
pub type DecodeFn = fn(&[u8]) -> Option<String>;

/// How much of the file the encoding is guessed from.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The encoding of a text file from its first bytes ([`SNIFF_BYTES`]): a UTF-8 byte-order mark
/// or valid UTF-8 means UTF-8; otherwise GB18030. UTF-16 (Excel's “Unicode text”) is refused.
pub fn detect_encoding(head: &[u8]) -> Result<Encoding, FileError> {
    if head.starts_with(UTF8_BOM) {
        return Ok(Encoding::Utf8);
    }
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        return Err(FileError::Utf16);
    }
    match std::str::from_utf8(head) {
        Ok(_) => Ok(Encoding::Utf8),
        // Cut in the middle of a character at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => Ok(Encoding::Utf8),
        Err(_) => Ok(Encoding::Gb18030),
    }
}

/// Lines of `bytes` with their numbers, starting at `first`: `\n`, `\r\n` and a lone `\r`
/// each end a line, as text editors count them; the terminator is not part of the line.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    next: usize,
}

impl<'a> Lines<'a> {
    pub fn new(bytes: &'a [u8], first: usize) -> Lines<'a> {
        Lines {
            bytes,
            pos: 0,
            next: first,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<(usize, &'a [u8])> {
        let rest = self.bytes.get(self.pos..).filter(|r| !r.is_empty())?;
        let (line, used) = match memchr::memchr2(b'\n', b'\r', rest) {
            None => (rest, rest.len()),
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => (&rest[..i], i + 2),
            Some(i) => (&rest[..i], i + 1),
        };
        self.pos += used;
        let n = self.next;
        self.next += 1;
        Some((n, line))
    }
}

/// Whole lines read from a file, numbered from `first_line`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chunk {
    /// Sequence number, from 0: output is written in this order.
    pub seq: usize,
    pub first_line: usize,
    pub bytes: Vec<u8>,
}

impl Chunk {
    /// The chunk's lines with their numbers.
    pub fn lines(&self) -> Lines<'_> {
        Lines::new(&self.bytes, self.first_line)
    }
}

/// The longest line accepted (a client is a few hundred bytes).
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Splits a [`Read`] into [`Chunk`]s of about `target` bytes that end at line ends, holding
/// at most one chunk and one line in memory.
pub struct ChunkReader<R> {
    input: R,
    target: usize,
    buf: Vec<u8>,
    eof: bool,
    seq: usize,
    line: usize,
}

impl<R: Read> ChunkReader<R> {
    /// Chunks of about `target` bytes, lines numbered from 1.
    pub fn new(input: R, target: usize) -> ChunkReader<R> {
        ChunkReader {
            input,
            target: target.max(1),
            buf: Vec::new(),
            eof: false,
            seq: 0,
            line: 1,
        }
    }

    /// The next chunk; `Ok(None)` at the end of the input.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, ReadError> {
        loop {
            if !self.eof && self.buf.len() < self.target {
                // `read_to_end` fills spare capacity without zeroing it first.
                let want = (self.target - self.buf.len()).max(64 * 1024);
                self.buf.reserve(want);
                let n = (&mut self.input)
                    .take(want as u64)
                    .read_to_end(&mut self.buf)
                    .map_err(ReadError::Io)?;
                self.eof = n < want;
            }
            if self.buf.is_empty() {
                return Ok(None);
            }
            let Some(end) = complete_lines(&self.buf, self.eof) else {
                if self.buf.len() > MAX_LINE_BYTES {
                    return Err(ReadError::LineTooLong { line: self.line });
                }
                // No line end yet: read more of this long line.
                self.target = self.buf.len() * 2;
                continue;
            };
            let rest = self.buf.split_off(end);
            let bytes = std::mem::replace(&mut self.buf, rest);
            let chunk = Chunk {
                seq: self.seq,
                first_line: self.line,
                bytes,
            };
            self.seq += 1;
            self.line += Lines::new(&chunk.bytes, 0).count();
            return Ok(Some(chunk));
        }
    }
}

impl<R: Read> Iterator for ChunkReader<R> {
    type Item = Result<Chunk, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_chunk().transpose()
    }
}

/// Why the input could not be read on.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(std::io::Error),
    #[error("line {line} is longer than 16 MiB: not a client list")]
    LineTooLong { line: usize },
}

/// Where the complete lines of `buf` end: after the last line end whose meaning is known
/// (a `\r` as the last byte may be the first half of `\r\n`), or everything at the end of input.
fn complete_lines(buf: &[u8], eof: bool) -> Option<usize> {
    if eof {
        return Some(buf.len());
    }
    let last = buf.len().checked_sub(1)?;
    (0..=last).rev().find_map(|i| match buf[i] {
        b'\n' => Some(i + 1),
        b'\r' if i < last => Some(i + 1),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(bytes: &[u8]) -> Vec<(usize, &[u8])> {
        Lines::new(bytes, 1).collect()
    }

    #[test]
    fn editor_line_numbers_for_every_line_end() {
        let want: Vec<(usize, &[u8])> = vec![(1, b"h"), (2, b"a"), (3, b""), (4, b"b")];
        assert_eq!(numbered(b"h\na\n\nb\n"), want);
        assert_eq!(numbered(b"h\r\na\r\n\r\nb\r\n"), want);
        assert_eq!(numbered(b"h\ra\r\rb\r"), want);
        assert_eq!(numbered(b"h\ra\r\n\nb"), want);
        assert!(numbered(b"").is_empty());
    }

    /// Reads in tiny pieces, so chunk and read boundaries fall everywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn chunks_keep_lines_whole_and_numbered() {
        let text: &[u8] = b"head\r\none\r\ntwo\rthree\n\nfour\r\nfive";
        let want = numbered(text);
        for piece in [1, 2, 3, 7, 100] {
            for target in [1, 4, 9, 1000] {
                let chunks: Vec<Chunk> = ChunkReader::new(Trickle(text, piece), target)
                    .map(|c| c.expect("read"))
                    .collect();
                let got: Vec<(usize, Vec<u8>)> = chunks
                    .iter()
                    .flat_map(|c| c.lines().map(|(n, l)| (n, l.to_vec())))
                    .collect();
                let want: Vec<(usize, Vec<u8>)> =
                    want.iter().map(|(n, l)| (*n, l.to_vec())).collect();
                assert_eq!(got, want, "pieces of {piece}, chunks of {target}");
                let seqs: Vec<usize> = chunks.iter().map(|c| c.seq).collect();
                assert_eq!(seqs, (0..chunks.len()).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn formats_and_encodings() {
        assert_eq!(guess_format(Some("a.JSONL"), b""), InputFormat::Jsonl);
        assert_eq!(guess_format(Some("clients.csv"), b"{"), InputFormat::Csv);
        assert_eq!(
            guess_format(None, b"\xef\xbb\xbf {\"a\":1}"),
            InputFormat::Jsonl
        );
        assert_eq!(guess_format(Some("-"), b"name,id"), InputFormat::Csv);
        assert_eq!(
            guess_format(Some("clients.csv"), b"PK\x03\x04..."),
            InputFormat::Xlsx
        );
        assert_eq!(
            detect_encoding("名称".as_bytes()).ok(),
            Some(Encoding::Utf8)
        );
        // 名称 in GBK.
        assert_eq!(
            detect_encoding(b"\xc3\xfb\xb3\xc6").ok(),
            Some(Encoding::Gb18030)
        );
        // A UTF-8 character cut at the end of the sample.
        assert_eq!(
            detect_encoding(&"名".as_bytes()[..2]).ok(),
            Some(Encoding::Utf8)
        );
        assert!(matches!(
            detect_encoding(b"\xff\xfen\x00"),
            Err(FileError::Utf16)
        ));
    }
}
