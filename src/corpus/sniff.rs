//! Opening inputs: decompression by extension, and the record format by extension or content.

use super::compressed::{GzipMembers, ZstdFrames};
use super::InputFormat;
use crate::error::{Error, Result};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// Compression of an input, from its last extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub(crate) fn of(path: &Path) -> Compression {
        match extension(path).as_deref() {
            Some("gz") => Compression::Gzip,
            Some("zst") | Some("zstd") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// The record format named by a path's extension, looking through `.gz`/`.zst`.
pub(crate) fn format_from_extension(path: &Path) -> Option<InputFormat> {
    let inner = match Compression::of(path) {
        Compression::None => path.to_path_buf(),
        _ => path.with_extension(""),
    };
    match extension(&inner).as_deref() {
        Some("jsonl" | "ndjson" | "json") => Some(InputFormat::Jsonl),
        Some("csv") => Some(InputFormat::Csv),
        Some("tsv" | "tab") => Some(InputFormat::Tsv),
        Some("txt" | "md" | "text" | "markdown") => Some(InputFormat::Text),
        _ => None,
    }
}

/// The record format guessed from the first bytes of a stream: JSON Lines when the first
/// non-blank byte is `{`; CSV/TSV when the first line is a header naming the text field;
/// otherwise one plain-text document.
pub(crate) fn format_from_content(head: &[u8], text_field: &str) -> InputFormat {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first_non_blank = head.iter().find(|b| !b.is_ascii_whitespace());
    if first_non_blank == Some(&b'{') {
        return InputFormat::Jsonl;
    }
    let first_line = head
        .split(|&b| b == b'\n' || b == b'\r')
        .next()
        .unwrap_or(&[]);
    let first_line = String::from_utf8_lossy(first_line);
    let names_text = |sep: char| {
        first_line
            .trim_end_matches('\r')
            .split(sep)
            .any(|f| f.trim().trim_matches('"') == text_field)
    };
    if first_line.contains('\t') && names_text('\t') {
        InputFormat::Tsv
    } else if first_line.contains(',') && names_text(',') {
        InputFormat::Csv
    } else {
        InputFormat::Text
    }
}

/// Opens a file (or standard input for `-`) and undoes its compression.
pub(crate) fn open(path: &Path) -> Result<Box<dyn Read + Send>> {
    let raw: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        let file = File::open(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Box::new(file)
    };
    Ok(match Compression::of(path) {
        Compression::None => Box::new(BufReader::with_capacity(1 << 20, raw)),
        Compression::Gzip => Box::new(GzipMembers::new(raw)),
        Compression::Zstd => Box::new(ZstdFrames::new(raw)),
    })
}

/// Reads until `buf` holds `want` more bytes or the stream ends. Returns bytes added.
pub(crate) fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> io::Result<usize> {
    // `read_to_end` on a `Take` fills spare capacity without zeroing it first.
    buf.reserve(want);
    reader.take(want as u64).read_to_end(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_look_through_compression() {
        let f = |p: &str| format_from_extension(Path::new(p));
        assert_eq!(f("a/b.jsonl.gz"), Some(InputFormat::Jsonl));
        assert_eq!(f("b.CSV.zst"), Some(InputFormat::Csv));
        assert_eq!(f("b.tsv"), Some(InputFormat::Tsv));
        assert_eq!(f("b.md"), Some(InputFormat::Text));
        assert_eq!(f("b.bin"), None);
        assert_eq!(f("-"), None);
    }

    #[test]
    fn content_sniffing() {
        assert_eq!(
            format_from_content(b"\xEF\xBB\xBF  {\"id\":1}", "text"),
            InputFormat::Jsonl
        );
        assert_eq!(
            format_from_content(b"id\ttext\n1\thello", "text"),
            InputFormat::Tsv
        );
        assert_eq!(
            format_from_content(b"id,\"text\"\r\n1,hello", "text"),
            InputFormat::Csv
        );
        assert_eq!(
            format_from_content(b"Hello, world\nmore", "text"),
            InputFormat::Text
        );
    }
}
