//! Reading inputs into a [`Corpus`]: one entry point for files, directories and standard input.

use super::dir::{read_directory, read_text_document};
use super::records::{
    build_document, decode_lossy, parse_json_record, salvage_id, JsonError, Parsed, RawRecord,
};
use super::sniff::{self, fill, format_from_content, format_from_extension};
use super::{Corpus, Diagnostic, DiagnosticKind, Origin, Severity};
use crate::error::{Error, Result};
use crate::progress::Progress;
use ahash::AHashSet;
use rayon::prelude::*;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

/// The record format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// From the extension, else from the content.
    #[default]
    Auto,
    /// JSON Lines: one object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One plain-text (or Markdown) document per file; the headline is extracted.
    Text,
}

/// Names of the fields of JSONL and CSV records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldNames {
    /// The document id (generated from the content when missing).
    pub id: String,
    /// The article text (required).
    pub text: String,
    /// The title (optional; extracted from the text when missing).
    pub title: String,
    /// The publication date (optional).
    pub date: String,
    /// The publisher (optional).
    pub source: String,
    /// The address (optional).
    pub url: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
            date: "date".into(),
            source: "source".into(),
            url: "url".into(),
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Record format; `Auto` decides per input.
    pub format: InputFormat,
    /// Field names for JSONL/CSV.
    pub fields: FieldNames,
    /// Make every skipped record fatal.
    pub strict: bool,
    /// Longer titles and texts are truncated (with a warning).
    pub max_text_bytes: usize,
    /// Show progress bars.
    pub progress: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: InputFormat::Auto,
            fields: FieldNames::default(),
            strict: false,
            max_text_bytes: 8 << 20,
            progress: false,
        }
    }
}

/// Reads every input (files, directories, or `-` for standard input) into one corpus, in the
/// order given. Bad records become diagnostics; with `strict`, the first one is an error.
pub fn read_corpus<P: AsRef<Path>>(inputs: &[P], options: &ReadOptions) -> Result<Corpus> {
    let mut sink = Sink::new(options);
    for input in inputs {
        let path = input.as_ref();
        if path != Path::new("-") && path.is_dir() {
            read_directory(path, options, &mut sink)?;
        } else {
            read_file(path, options, &mut sink)?;
        }
    }
    Ok(sink.corpus)
}

/// Reads one file (or standard input) in the given or detected format.
pub(crate) fn read_file(path: &Path, options: &ReadOptions, sink: &mut Sink) -> Result<()> {
    if path != Path::new("-") && !path.exists() {
        return Err(Error::Read {
            path: path.to_path_buf(),
            source: io::Error::new(io::ErrorKind::NotFound, "no such file or directory"),
        });
    }
    let reader = sniff::open(path)?;
    read_stream(path, reader, options, sink)
}

/// Reads records from any reader (already decompressed) as if it were the file `name`: the
/// name gives the format when `options.format` is `Auto` and the extension tells, and it is
/// the file named in diagnostics.
pub fn read_from(
    name: &Path,
    reader: impl Read + Send + 'static,
    options: &ReadOptions,
) -> Result<Corpus> {
    let mut sink = Sink::new(options);
    read_stream(name, Box::new(reader), options, &mut sink)?;
    Ok(sink.corpus)
}

fn read_stream(
    path: &Path,
    mut reader: Box<dyn Read + Send>,
    options: &ReadOptions,
    sink: &mut Sink,
) -> Result<()> {
    let mut head = Vec::new();
    if let Err(e) = fill(&mut reader, &mut head, 64 * 1024) {
        return sink.report(Diagnostic::skipped(
            DiagnosticKind::Unreadable,
            Origin::file(Arc::new(path.to_path_buf())),
            format!("cannot read: {e}; the file is skipped (is it corrupt or truncated?)"),
        ));
    }
    let format = match options.format {
        InputFormat::Auto => format_from_extension(path)
            .unwrap_or_else(|| format_from_content(&head, &options.fields.text)),
        explicit => explicit,
    };
    let reader: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(reader));
    let file = Arc::new(path.to_path_buf());
    match format {
        InputFormat::Jsonl | InputFormat::Auto => read_jsonl(file, reader, options, sink),
        InputFormat::Csv => read_delimited(file, reader, b',', options, sink),
        InputFormat::Tsv => read_delimited(file, reader, b'\t', options, sink),
        InputFormat::Text => {
            let mut bytes = Vec::new();
            let mut reader = reader;
            reader
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
            sink.corpus.bytes_read += bytes.len() as u64;
            let parsed = read_text_document(file, &bytes, options);
            sink.accept(parsed)
        }
    }
}

/// Collects parsed records into the corpus: renames duplicate ids, applies `--strict`.
pub(crate) struct Sink {
    pub corpus: Corpus,
    ids: AHashSet<String>,
    strict: bool,
    pub progress: bool,
}

impl Sink {
    fn new(options: &ReadOptions) -> Sink {
        Sink {
            corpus: Corpus::default(),
            ids: AHashSet::new(),
            strict: options.strict,
            progress: options.progress,
        }
    }

    pub(crate) fn report(&mut self, diagnostic: Diagnostic) -> Result<()> {
        if self.strict && diagnostic.severity == Severity::Skipped {
            return Err(Error::Strict {
                origin: diagnostic.origin.to_string(),
                message: diagnostic.message,
            });
        }
        self.corpus.diagnostics.push(diagnostic);
        Ok(())
    }

    pub(crate) fn accept(&mut self, parsed: Parsed) -> Result<()> {
        match parsed {
            Parsed::Blank => Ok(()),
            Parsed::Skipped(d) => self.report(d),
            Parsed::Document(mut doc, warnings) => {
                for w in warnings {
                    self.report(w)?;
                }
                if self.ids.contains(&doc.id) {
                    let original = std::mem::take(&mut doc.id);
                    let renamed = (2u64..)
                        .map(|k| format!("{original}#{k}"))
                        .find(|candidate| !self.ids.contains(candidate))
                        .expect("some suffix is free");
                    self.report(
                        Diagnostic::warning(
                            DiagnosticKind::DuplicateId,
                            doc.origin.clone(),
                            format!("id {original:?} was already used; this record is kept as {renamed:?}"),
                        )
                        .with_id(&renamed),
                    )?;
                    doc.id = renamed;
                }
                self.ids.insert(doc.id.clone());
                self.corpus.documents.push(*doc);
                Ok(())
            }
        }
    }
}

const CHUNK_BYTES: usize = 8 << 20;

/// A run of whole lines of the input.
struct Chunk {
    bytes: Vec<u8>,
    first_line: u64,
    offset: u64,
}

/// JSON Lines, read by one thread in chunks of whole lines while the others parse.
fn read_jsonl(
    file: Arc<PathBuf>,
    mut reader: Box<dyn Read + Send>,
    options: &ReadOptions,
    sink: &mut Sink,
) -> Result<()> {
    let progress = Progress::bytes(sink.progress, &format!("reading {}", file.display()));
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<io::Result<Chunk>>(2);
        scope.spawn(move || {
            let mut carry: Vec<u8> = Vec::new();
            let (mut line, mut offset) = (1u64, 0u64);
            loop {
                let mut buf = std::mem::take(&mut carry);
                let added = match fill(&mut reader, &mut buf, CHUNK_BYTES) {
                    Ok(n) => n,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                let at_end = added == 0 || buf.len() < CHUNK_BYTES;
                let cut = if at_end {
                    buf.len()
                } else {
                    match memchr::memrchr(b'\n', &buf) {
                        Some(i) => i + 1,
                        None => {
                            // One line longer than a chunk: keep reading until it ends.
                            carry = buf;
                            continue;
                        }
                    }
                };
                carry = buf.split_off(cut);
                if buf.is_empty() {
                    return;
                }
                let lines = memchr::memchr_iter(b'\n', &buf).count() as u64;
                let len = buf.len() as u64;
                let chunk = Chunk {
                    bytes: buf,
                    first_line: line,
                    offset,
                };
                if tx.send(Ok(chunk)).is_err() {
                    return;
                }
                line += lines;
                offset += len;
                if at_end && carry.is_empty() {
                    return;
                }
            }
        });
        for chunk in rx {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    let done = sink.corpus.documents.len();
                    return sink.report(Diagnostic::skipped(
                        DiagnosticKind::Unreadable,
                        Origin::file(file.clone()),
                        format!("read error after {done} documents: {e}; the rest of the file is skipped"),
                    ));
                }
            };
            progress.inc(chunk.bytes.len() as u64);
            sink.corpus.bytes_read += chunk.bytes.len() as u64;
            let mut spans = Vec::new();
            let mut start = 0usize;
            for end in
                memchr::memchr_iter(b'\n', &chunk.bytes).chain(std::iter::once(chunk.bytes.len()))
            {
                if start < chunk.bytes.len() || end > start {
                    spans.push((start, end));
                }
                start = end + 1;
            }
            let parsed: Vec<Parsed> = spans
                .par_iter()
                .enumerate()
                .map(|(i, &(start, end))| {
                    let origin = Origin::line(file.clone(), chunk.first_line + i as u64);
                    let offset = chunk.offset + start as u64;
                    parse_json_line(&chunk.bytes[start..end], origin, offset, options)
                })
                .collect();
            for p in parsed {
                sink.accept(p)?;
            }
        }
        progress.finish();
        Ok(())
    })
}

fn parse_json_line(bytes: &[u8], origin: Origin, offset: u64, options: &ReadOptions) -> Parsed {
    let mut bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    if offset == 0 {
        bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Parsed::Blank;
    }
    let (text, utf8_warning) = match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), None),
        Err(_) => {
            let (s, w) = decode_lossy(bytes, &origin, offset);
            (std::borrow::Cow::Owned(s), w)
        }
    };
    let raw = match parse_json_record(&text, &options.fields) {
        Ok(raw) => raw,
        Err(JsonError::Broken(message)) => {
            return Parsed::Skipped(Diagnostic::skipped(
                DiagnosticKind::BrokenJson,
                origin,
                format!("not a JSON object: {message}"),
            ))
        }
        Err(JsonError::WrongType(message)) => {
            let skipped = Diagnostic::skipped(DiagnosticKind::WrongFieldType, origin, message);
            return Parsed::Skipped(match salvage_id(&text, &options.fields) {
                Some(id) => skipped.with_id(id),
                None => skipped,
            });
        }
    };
    with_warning(build_document(raw, origin, options), utf8_warning)
}

fn with_warning(parsed: Parsed, warning: Option<Diagnostic>) -> Parsed {
    match (parsed, warning) {
        (Parsed::Document(doc, mut warnings), Some(w)) => {
            warnings.insert(0, w.with_id(&doc.id));
            Parsed::Document(doc, warnings)
        }
        (parsed, _) => parsed,
    }
}

/// CSV or TSV with a header row naming the fields.
/// Turns CRLF and lone CR line ends into LF. The csv crate counts a CRLF row's line break only
/// once the next row has started, and a lone CR (old Mac files) not at all, so without this
/// line numbers after such rows are short.
struct LineEndsToLf<R> {
    inner: io::BufReader<R>,
    /// A `\r` that ended the previous chunk: becomes the `\n` unless the next byte is one.
    pending_cr: bool,
}

impl<R: Read> LineEndsToLf<R> {
    fn new(inner: R) -> Self {
        LineEndsToLf {
            inner: io::BufReader::with_capacity(1 << 16, inner),
            pending_cr: false,
        }
    }
}

impl<R: Read> Read for LineEndsToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        use std::io::BufRead;
        if out.is_empty() {
            return Ok(0);
        }
        let data = self.inner.fill_buf()?;
        let mut written = 0;
        if self.pending_cr {
            self.pending_cr = false;
            if data.first() != Some(&b'\n') {
                out[0] = b'\n';
                written = 1;
            }
        }
        let mut consumed = 0;
        while consumed < data.len() && written < out.len() {
            let byte = data[consumed];
            consumed += 1;
            if byte == b'\r' {
                match data.get(consumed) {
                    Some(b'\n') => continue,
                    None => {
                        self.pending_cr = true;
                        continue;
                    }
                    Some(_) => {
                        out[written] = b'\n';
                        written += 1;
                        continue;
                    }
                }
            }
            out[written] = byte;
            written += 1;
        }
        self.inner.consume(consumed);
        if written == 0 && consumed > 0 {
            // Only a held-back `\r` was read; go on rather than signal the end.
            return self.read(out);
        }
        Ok(written)
    }
}

fn read_delimited(
    file: Arc<PathBuf>,
    reader: Box<dyn Read + Send>,
    delimiter: u8,
    options: &ReadOptions,
    sink: &mut Sink,
) -> Result<()> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(LineEndsToLf::new(reader));
    let headers = csv.byte_headers().map_err(|e| Error::Format {
        path: file.to_path_buf(),
        message: format!("cannot read the header row: {e}"),
    })?;
    let headers: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            let h = if i == 0 {
                h.trim_start_matches('\u{FEFF}')
            } else {
                &h
            };
            h.trim().to_string()
        })
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let f = &options.fields;
    let Some(text_column) = column(&f.text) else {
        return Err(Error::Format {
            path: file.to_path_buf(),
            message: format!(
                "the header row has no column `{}` (columns: {}); name the text column with --text-field",
                f.text,
                headers.join(", ")
            ),
        });
    };
    let columns = [
        column(&f.id),
        Some(text_column),
        column(&f.title),
        column(&f.date),
        column(&f.source),
        column(&f.url),
    ];
    let mut record = csv::ByteRecord::new();
    loop {
        let line = csv.position().line();
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                sink.report(Diagnostic::skipped(
                    DiagnosticKind::BrokenCsv,
                    Origin::line(file.clone(), line),
                    format!("broken record: {e}"),
                ))?;
                if fatal {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        let origin = Origin::line(file.clone(), line);
        // A row with more or fewer fields than the header cannot be matched to its columns.
        if record.len() != headers.len() {
            let quote = if delimiter == b'\t' {
                "a tab"
            } else {
                "a comma"
            };
            sink.report(Diagnostic::skipped(
                DiagnosticKind::BrokenCsv,
                origin,
                format!(
                    "the row has {} fields but the header has {}; quote fields that contain {quote}",
                    record.len(),
                    headers.len()
                ),
            ))?;
            continue;
        }
        sink.corpus.bytes_read += record.as_slice().len() as u64;
        if record
            .iter()
            .all(|field| field.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        let mut warning = None;
        let mut field = |column: Option<usize>| {
            let bytes = record.get(column?)?;
            let (text, w) = decode_lossy(bytes, &origin, 0);
            if let Some(w) = w {
                warning.get_or_insert(Diagnostic {
                    message: "invalid UTF-8 in the record; bad bytes replaced by U+FFFD".into(),
                    ..w
                });
            }
            Some(text)
        };
        let raw = RawRecord {
            id: field(columns[0]),
            text: Some(field(columns[1]).unwrap_or_default()),
            title: field(columns[2]),
            date: field(columns[3]),
            source: field(columns[4]),
            url: field(columns[5]),
        };
        let parsed = build_document(raw, origin, options);
        sink.accept(with_warning(parsed, warning))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hands out its bytes a few at a time, so that `\r\n` falls across reads.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(self.0.len()).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn reference(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1)) {
                (b'\r', Some(b'\n')) => {}
                (b'\r', _) => out.push(b'\n'),
                (byte, _) => out.push(byte),
            }
            i += 1;
        }
        out
    }

    proptest! {
        #[test]
        fn every_line_end_becomes_one_lf(
            bytes in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a')], 0..64),
            step in 1usize..5,
        ) {
            let mut out = Vec::new();
            LineEndsToLf::new(Trickle(&bytes, step)).read_to_end(&mut out).unwrap();
            prop_assert_eq!(out, reference(&bytes));
        }
    }
}
