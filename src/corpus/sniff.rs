//! Opening inputs: decompression by magic bytes (else extension), and the record format by
//! extension or content.

use super::compressed::{Bzip2, Gzip, Members, Xz, Zstd};
use super::InputFormat;
use crate::error::{Error, Result};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// Compression of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

/// The longest magic number looked for (xz's).
const MAGIC_BYTES: usize = 6;

impl Compression {
    /// From the last extension of a path.
    pub(crate) fn of(path: &Path) -> Compression {
        match extension(path).as_deref() {
            Some("gz") => Compression::Gzip,
            Some("zst") | Some("zstd") => Compression::Zstd,
            Some("bz2") => Compression::Bzip2,
            Some("xz") => Compression::Xz,
            _ => Compression::None,
        }
    }

    /// From the first bytes of a stream; `None` when they start no compressed format.
    pub(crate) fn from_magic(head: &[u8]) -> Option<Compression> {
        let zstd_skippable =
            head.len() >= 4 && head[0] & 0xF0 == 0x50 && head[1..4] == [0x2A, 0x4D, 0x18];
        match head {
            [0x1F, 0x8B, ..] => Some(Compression::Gzip),
            [0x28, 0xB5, 0x2F, 0xFD, ..] => Some(Compression::Zstd),
            _ if zstd_skippable => Some(Compression::Zstd),
            [b'B', b'Z', b'h', b'1'..=b'9', ..] => Some(Compression::Bzip2),
            [0xFD, b'7', b'z', b'X', b'Z', 0x00, ..] => Some(Compression::Xz),
            _ => None,
        }
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// The record format named by a path's extension, looking through `.gz`/`.zst`/`.bz2`/`.xz`.
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

/// Opens a file (or standard input for `-`) and undoes its compression, told by its magic
/// bytes (so standard input and misnamed files are decompressed too), else by its extension.
pub(crate) fn open(path: &Path) -> Result<Box<dyn Read + Send>> {
    let mut raw: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        let file = File::open(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Box::new(file)
    };
    let mut head = Vec::with_capacity(MAGIC_BYTES);
    fill(&mut raw, &mut head, MAGIC_BYTES).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let compression = Compression::from_magic(&head).unwrap_or_else(|| Compression::of(path));
    let raw: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(raw));
    Ok(match compression {
        Compression::None => Box::new(BufReader::with_capacity(1 << 20, raw)),
        Compression::Gzip => Box::new(Members::<_, Gzip<_>>::new(raw)),
        Compression::Zstd => Box::new(Members::<_, Zstd<_>>::new(raw)),
        Compression::Bzip2 => Box::new(Members::<_, Bzip2<_>>::new(raw)),
        Compression::Xz => Box::new(Members::<_, Xz<_>>::new(raw)),
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
        assert_eq!(f("b.jsonl.bz2"), Some(InputFormat::Jsonl));
        assert_eq!(f("b.tsv.xz"), Some(InputFormat::Tsv));
        assert_eq!(f("b.bin"), None);
        assert_eq!(f("-"), None);
    }

    #[test]
    fn magic_bytes() {
        let m = Compression::from_magic;
        assert_eq!(m(b"\x1f\x8b\x08\0"), Some(Compression::Gzip));
        assert_eq!(m(b"\x28\xb5\x2f\xfd\0"), Some(Compression::Zstd));
        assert_eq!(m(b"\x52\x2a\x4d\x18"), Some(Compression::Zstd));
        assert_eq!(m(b"BZh91AY"), Some(Compression::Bzip2));
        assert_eq!(m(b"\xfd7zXZ\0"), Some(Compression::Xz));
        for plain in [&b"{\"id\":1}"[..], b"BZh", b"BZhx", b"", b"\x1f"] {
            assert_eq!(m(plain), None, "{plain:?}");
        }
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
