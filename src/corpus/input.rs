//! Reading inputs into a [`Corpus`]: one entry point for files, directories and standard input.

use super::compressed::is_trailing_garbage;
use super::delimited::read_delimited;
use super::dir::{read_directory, read_text_document};
use super::records::{
    build_document, decode_lossy, field_names, object_keys, parse_json_record, salvage_id,
    JsonError, Parsed,
};
use super::sniff::{self, fill, format_from_content, format_from_extension};
use super::{Corpus, Diagnostic, DiagnosticKind, Origin, Severity};
use crate::error::{ensure, Error, Result};
use crate::progress::{NoObserver, PipelineObserver, Stage, StageClock};
use ahash::AHashSet;
use rayon::prelude::*;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

/// The record format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[non_exhaustive]
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

/// Names of the fields of JSONL and CSV records. In JSON, a name with dots is also a path
/// into nested objects (`meta.published`, `authors.0`) when no key has the whole name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct FieldNames {
    /// The document id (generated from the content when missing).
    pub id: String,
    /// The article text (required): one field, or several whose values are joined, in this
    /// order, by a blank line; a record needs at least one of them.
    pub text: Vec<String>,
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
            text: vec!["text".into()],
            title: "title".into(),
            date: "date".into(),
            source: "source".into(),
            url: "url".into(),
        }
    }
}

impl FieldNames {
    /// Whether some name is a path into nested objects (has a dot).
    pub(crate) fn has_paths(&self) -> bool {
        [&self.id, &self.title, &self.date, &self.source, &self.url]
            .into_iter()
            .chain(&self.text)
            .any(|name| name.contains('.'))
    }
}

/// How to read inputs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Record format; `Auto` decides per input.
    pub format: InputFormat,
    /// Field names for JSONL/CSV.
    pub fields: FieldNames,
    /// Make every skipped record fatal.
    pub strict: bool,
    /// Longer titles and texts are truncated (with a warning).
    pub max_text_bytes: usize,
    /// Keep each JSON record's or CSV/TSV row's text as read in [`super::Document::raw`], to
    /// write it back unchanged (`dedup -o`).
    pub keep_raw: bool,
    /// The time zone of dates written without an offset (`None`: UTC).
    pub timezone: Option<jiff::tz::TimeZone>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: InputFormat::Auto,
            fields: FieldNames::default(),
            strict: false,
            max_text_bytes: 8 << 20,
            keep_raw: false,
            timezone: None,
        }
    }
}

impl ReadOptions {
    /// Checks that records can be read: a text field is named, and a text may keep a byte.
    /// [`read_corpus_observed`] and [`read_from`] refuse options that fail it.
    pub fn check(&self) -> Result<()> {
        ensure(self.max_text_bytes >= 1, "read.max_text_bytes", || {
            "0 would truncate every text to nothing; use 1 or more".into()
        })?;
        ensure(!self.fields.text.is_empty(), "read.fields.text", || {
            "no text field is named; name at least one (`text`)".into()
        })
    }
}

/// Reads every input (files, directories, or `-` for standard input) into one corpus, in the
/// order given. Bad records become diagnostics; with `strict`, the first one is an error.
///
/// ```
/// use storyclust::corpus::{read_corpus, ReadOptions};
///
/// let folder = tempfile::tempdir()?;
/// let path = folder.path().join("articles.jsonl");
/// std::fs::write(&path, "{\"id\": \"a1\", \"text\": \"Rain in Riyadh.\"}\n")?;
/// let corpus = read_corpus(&[&path], &ReadOptions::default())?;
/// assert_eq!(corpus.documents[0].id, "a1");
/// assert!(corpus.diagnostics.items.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_corpus<P: AsRef<Path>>(inputs: &[P], options: &ReadOptions) -> Result<Corpus> {
    read_corpus_observed(inputs, options, &NoObserver)
}

/// [`read_corpus`], reporting [`Stage::Read`] to `observer` in bytes read (before
/// decompression counts nothing: the total is not known ahead). Stops with
/// [`Error::Interrupted`] between chunks when the observer asks.
pub fn read_corpus_observed<P: AsRef<Path>>(
    inputs: &[P],
    options: &ReadOptions,
    observer: &dyn PipelineObserver,
) -> Result<Corpus> {
    options.check()?;
    let clock = StageClock::start(observer, Stage::Read, None);
    let mut sink = Sink::new(options, observer);
    for input in inputs {
        let path = input.as_ref();
        sink.check_stop()?;
        if path != Path::new("-") && path.is_dir() {
            read_directory(path, options, &mut sink)?;
        } else {
            read_file(path, options, &mut sink)?;
        }
    }
    clock.finish();
    Ok(sink.finish())
}

/// Reads one file (or standard input) in the given or detected format.
pub(crate) fn read_file(path: &Path, options: &ReadOptions, sink: &mut Sink) -> Result<()> {
    if path != Path::new("-") {
        if let Err(e) = std::fs::metadata(path) {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source: missing_input(path, e),
            });
        }
    }
    let reader = sniff::open(path)?;
    read_stream(path, reader, options, sink)
}

/// Why an input that cannot be opened cannot: a missing file, a symbolic link to one, a
/// loop of symbolic links (which the system reports only as "too many levels").
fn missing_input(path: &Path, error: io::Error) -> io::Error {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match (error.kind(), link) {
        (io::ErrorKind::NotFound, false) => {
            io::Error::new(io::ErrorKind::NotFound, "no such file or directory")
        }
        (io::ErrorKind::NotFound, true) => io::Error::new(
            io::ErrorKind::NotFound,
            "a symbolic link to a file that does not exist",
        ),
        (_, true) => io::Error::other(format!(
            "a symbolic-link loop (the link leads back to itself, or through too many links); \
             point it at the file to read ({error})"
        )),
        _ => error,
    }
}

/// Reads records from any reader (already decompressed) as if it were the file `name`: the
/// name gives the format when `options.format` is `Auto` and the extension tells, and it is
/// the file named in diagnostics.
pub fn read_from(
    name: &Path,
    reader: impl Read + Send + 'static,
    options: &ReadOptions,
) -> Result<Corpus> {
    options.check()?;
    let mut sink = Sink::new(options, &NoObserver);
    read_stream(name, Box::new(reader), options, &mut sink)?;
    Ok(sink.finish())
}

fn read_stream(
    path: &Path,
    mut reader: Box<dyn Read + Send>,
    options: &ReadOptions,
    sink: &mut Sink,
) -> Result<()> {
    let mut head = Vec::new();
    // A failure this early still leaves what was decoded before it to read.
    let failure = fill(&mut reader, &mut head, 64 * 1024).err();
    let format = match options.format {
        InputFormat::Auto => format_from_extension(path).unwrap_or_else(|| {
            format_from_content(
                &head,
                options.fields.text.first().map_or("", String::as_str),
            )
        }),
        explicit => explicit,
    };
    let rest: Box<dyn Read + Send> = match failure {
        Some(e) => Box::new(FailWith(Some(e))),
        None => reader,
    };
    let reader: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(rest));
    let file = Arc::new(path.to_path_buf());
    match format {
        InputFormat::Jsonl | InputFormat::Auto => read_jsonl(file, reader, options, sink),
        InputFormat::Csv => read_delimited(file, reader, b',', options, sink),
        InputFormat::Tsv => read_delimited(file, reader, b'\t', options, sink),
        InputFormat::Text => read_text_stream(file, reader, options, sink),
    }
}

/// A reader that fails once with the error it holds, then ends.
struct FailWith(Option<io::Error>);

impl Read for FailWith {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        self.0.take().map_or(Ok(0), Err)
    }
}

/// One whole stream as one document, read up to [`record_cap`] bytes.
fn read_text_stream(
    file: Arc<PathBuf>,
    mut reader: Box<dyn Read + Send>,
    options: &ReadOptions,
    sink: &mut Sink,
) -> Result<()> {
    let cap = record_cap(options);
    let mut bytes = Vec::new();
    if let Err(e) = fill(&mut reader, &mut bytes, cap + 1) {
        sink.add_bytes(bytes.len() as u64);
        return sink.report(Diagnostic::skipped(
            DiagnosticKind::Unreadable,
            Origin::file(file),
            format!(
                "read error after {} bytes: {e}; the document is skipped",
                bytes.len()
            ),
        ));
    }
    if bytes.len() > cap {
        let rest = io::copy(&mut reader, &mut io::sink()).unwrap_or(0);
        let size = bytes.len() as u64 + rest;
        sink.add_bytes(size);
        let mut d = overlong_record(&file, 1, Some(0), size, cap);
        d.origin = Origin::file(file);
        return sink.report(d);
    }
    sink.add_bytes(bytes.len() as u64);
    let parsed = read_text_document(file, &bytes, options);
    sink.accept(parsed)
}

/// Collects parsed records into the corpus: renames duplicate ids, applies `--strict`.
pub(crate) struct Sink<'a> {
    pub corpus: Corpus,
    /// Every id read, once.
    ids: AHashSet<String>,
    /// Records whose id an earlier record has: (document, its warning).
    duplicates: Vec<(usize, usize)>,
    strict: bool,
    observer: &'a dyn PipelineObserver,
}

impl<'a> Sink<'a> {
    fn new(options: &ReadOptions, observer: &'a dyn PipelineObserver) -> Sink<'a> {
        Sink {
            corpus: Corpus::default(),
            ids: AHashSet::new(),
            duplicates: Vec::new(),
            strict: options.strict,
            observer,
        }
    }

    /// The corpus, each later record with an id already used renamed `ID#K`: the smallest
    /// K ≥ 2 that no record of the input has as its id, nor an earlier renamed one. Renaming
    /// waits for all ids, so it never takes an id that a later record genuinely has.
    fn finish(mut self) -> Corpus {
        let documents = &mut self.corpus.documents;
        let diagnostics = &mut self.corpus.diagnostics.items;
        for (doc, warning) in std::mem::take(&mut self.duplicates) {
            let original = std::mem::take(&mut documents[doc].id);
            let renamed = (2u64..)
                .map(|k| format!("{original}#{k}"))
                .find(|candidate| !self.ids.contains(candidate))
                .expect("some suffix is free");
            self.ids.insert(renamed.clone());
            let d = &mut diagnostics[warning];
            d.message =
                format!("id {original:?} was already used; this record is kept as {renamed:?}");
            d.id = Some(renamed.clone());
            documents[doc].id = renamed;
        }
        self.corpus
    }

    /// Counts `bytes` more read, for the corpus and the observer.
    pub(crate) fn add_bytes(&mut self, bytes: u64) {
        self.corpus.bytes_read += bytes;
        self.observer.progress(Stage::Read, bytes);
    }

    /// [`Error::Interrupted`] when the observer asks to stop.
    pub(crate) fn check_stop(&self) -> Result<()> {
        if self.observer.should_stop() {
            return Err(Error::Interrupted);
        }
        Ok(())
    }

    pub(crate) fn report(&mut self, diagnostic: Diagnostic) -> Result<()> {
        // Trailing garbage loses no record, but it is damage: `--strict` stops there too.
        let fatal = diagnostic.severity == Severity::Skipped
            || diagnostic.kind == DiagnosticKind::TrailingGarbage;
        if self.strict && fatal {
            let message = match diagnostic.kind {
                // Its message says what happens without --strict, which is not what happens.
                DiagnosticKind::TrailingGarbage => format!(
                    "{}; every record before it was read",
                    diagnostic
                        .message
                        .split("; ignored")
                        .next()
                        .unwrap_or_default()
                ),
                _ => diagnostic.message,
            };
            return Err(Error::Strict {
                origin: diagnostic.origin.to_string(),
                message,
            });
        }
        self.corpus.diagnostics.push(diagnostic);
        Ok(())
    }

    pub(crate) fn accept(&mut self, parsed: Parsed) -> Result<()> {
        match parsed {
            Parsed::Blank => Ok(()),
            Parsed::Skipped(d) => self.report(d),
            Parsed::Document(doc, warnings, seen) => {
                self.corpus.fields.note(seen);
                for w in warnings {
                    self.report(w)?;
                }
                if self.ids.contains(&doc.id) {
                    // Renamed once all ids are known (see `finish`); the warning keeps its
                    // place among the others.
                    let at = (
                        self.corpus.documents.len(),
                        self.corpus.diagnostics.items.len(),
                    );
                    self.duplicates.push(at);
                    let origin = doc.origin.clone();
                    self.report(Diagnostic::warning(DiagnosticKind::DuplicateId, origin, ""))?;
                } else {
                    self.ids.insert(doc.id.clone());
                }
                self.corpus.documents.push(*doc);
                Ok(())
            }
        }
    }
}

const CHUNK_BYTES: usize = 8 << 20;
/// Lines parsed in parallel at a time: bounds memory on floods of tiny lines.
const BATCH_LINES: usize = 1 << 16;

/// The most bytes one record may take in its file: room for the title and a text of
/// `--max-text-bytes` with JSON escapes. Longer records are streamed past, not buffered.
pub(crate) fn record_cap(options: &ReadOptions) -> usize {
    options
        .max_text_bytes
        .saturating_mul(4)
        .saturating_add(1 << 20)
}

/// A run of whole lines of the input.
struct Chunk {
    bytes: Vec<u8>,
    first_line: u64,
    offset: u64,
}

/// What the reading thread hands to the parsers.
enum Piece {
    Lines(Chunk),
    /// A record longer than [`record_cap`], skipped unread.
    Overlong {
        line: u64,
        offset: u64,
        bytes: u64,
    },
    /// The stream failed; `line` is the record it cut short.
    Failed {
        line: u64,
        offset: u64,
        error: io::Error,
    },
}

/// Where the last line end of `buf` ends (0 if none). A CR as the last byte is left for the
/// next chunk, where an LF may follow it.
fn cut_point(buf: &[u8]) -> usize {
    match buf.last() {
        None => 0,
        Some(b'\n') => buf.len(),
        Some(_) => memchr::memrchr2(b'\n', b'\r', &buf[..buf.len() - 1]).map_or(0, |i| i + 1),
    }
}

/// The lines of `bytes` as `(index, start, end)`, ends excluded; LF, CRLF and lone CR all end
/// a line. Calls `each` for every line that is not blank; returns the number of line ends.
fn for_each_line(bytes: &[u8], mut each: impl FnMut(u64, usize, usize)) -> u64 {
    let (mut start, mut index) = (0usize, 0u64);
    let mut line = |start: usize, end: usize, index: u64| {
        if !bytes[start..end].iter().all(u8::is_ascii_whitespace) {
            each(index, start, end);
        }
    };
    for end in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if end < start {
            continue; // the LF of a CRLF
        }
        line(start, end, index);
        index += 1;
        start = end + 1;
        if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            start += 1;
        }
    }
    if start < bytes.len() {
        line(start, bytes.len(), index);
    }
    index
}

/// Reads `reader` into chunks of whole lines for [`read_jsonl`]; no line longer than `cap`
/// is ever held in memory.
fn chunk_lines(reader: &mut dyn Read, cap: usize, tx: &std::sync::mpsc::SyncSender<Piece>) {
    let mut carry: Vec<u8> = Vec::new();
    let (mut line, mut offset) = (1u64, 0u64);
    loop {
        let mut buf = std::mem::take(&mut carry);
        let (at_end, failure) = match fill(reader, &mut buf, CHUNK_BYTES) {
            Ok(added) => (added < CHUNK_BYTES, None),
            Err(e) => (true, Some(e)),
        };
        // At the end, or before an error, a last CR ends its line: no LF can follow.
        let cut = if (at_end && failure.is_none()) || (failure.is_some() && buf.ends_with(b"\r")) {
            buf.len()
        } else {
            cut_point(&buf)
        };
        if cut == 0 && failure.is_none() && buf.len() > cap {
            match skip_line(reader, buf, line, offset, tx) {
                Some((rest, skipped)) => {
                    (carry, line, offset) = (rest, line + 1, offset + skipped);
                    continue;
                }
                None => return,
            }
        }
        carry = buf.split_off(cut);
        if !buf.is_empty() {
            let lines = for_each_line(&buf, |_, _, _| {});
            let len = buf.len() as u64;
            let chunk = Chunk {
                bytes: buf,
                first_line: line,
                offset,
            };
            if tx.send(Piece::Lines(chunk)).is_err() {
                return;
            }
            (line, offset) = (line + lines, offset + len);
        }
        if let Some(error) = failure {
            let _ = tx.send(Piece::Failed {
                line,
                offset,
                error,
            });
            return;
        }
        if at_end {
            return;
        }
    }
}

/// Streams past the rest of an over-long line whose first bytes are `head`. Returns the
/// bytes after its line end and the bytes skipped (line end included), or `None` when the
/// stream ended or failed (reported).
fn skip_line(
    reader: &mut dyn Read,
    mut block: Vec<u8>,
    line: u64,
    offset: u64,
    tx: &std::sync::mpsc::SyncSender<Piece>,
) -> Option<(Vec<u8>, u64)> {
    // Bytes of the line in the blocks before `block`.
    let mut before = 0u64;
    let overlong = |bytes| Piece::Overlong {
        line,
        offset,
        bytes,
    };
    loop {
        if let Some(i) = memchr::memchr2(b'\n', b'\r', &block) {
            let mut after = i + 1;
            if block[i] == b'\r' && after == block.len() {
                // Is the CR followed by an LF?
                if let Err(error) = fill(reader, &mut block, 1) {
                    let _ = tx.send(overlong(before + i as u64));
                    let (line, offset) = (line + 1, offset + before + after as u64);
                    let _ = tx.send(Piece::Failed {
                        line,
                        offset,
                        error,
                    });
                    return None;
                }
            }
            if block[i] == b'\r' && block.get(after) == Some(&b'\n') {
                after += 1;
            }
            let _ = tx.send(overlong(before + i as u64));
            return Some((block.split_off(after), before + after as u64));
        }
        before += block.len() as u64;
        block.clear();
        match fill(reader, &mut block, 1 << 20) {
            Ok(0) => {
                let _ = tx.send(overlong(before));
                return None;
            }
            Ok(_) => {}
            Err(error) => {
                let _ = tx.send(overlong(before + block.len() as u64));
                let _ = tx.send(Piece::Failed {
                    line: line + 1,
                    offset: offset + before + block.len() as u64,
                    error,
                });
                return None;
            }
        }
    }
}

/// JSON Lines, read by one thread in chunks of whole lines while the others parse.
fn read_jsonl(
    file: Arc<PathBuf>,
    mut reader: Box<dyn Read + Send>,
    options: &ReadOptions,
    sink: &mut Sink,
) -> Result<()> {
    let cap = record_cap(options);
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Piece>(2);
        scope.spawn(move || chunk_lines(&mut reader, cap, &tx));
        for piece in rx {
            let chunk = match piece {
                Piece::Lines(chunk) => chunk,
                Piece::Overlong {
                    line,
                    offset,
                    bytes,
                } => {
                    sink.add_bytes(bytes);
                    sink.report(overlong_record(&file, line, Some(offset), bytes, cap))?;
                    continue;
                }
                Piece::Failed {
                    line,
                    offset,
                    error,
                } => return sink.report(stream_failed(&file, line, offset, &error)),
            };
            sink.check_stop()?;
            sink.add_bytes(chunk.bytes.len() as u64);
            parse_chunk(&file, &chunk, options, sink)?;
        }
        Ok(())
    })
}

/// Parses the lines of a chunk in parallel, a batch at a time, in order.
fn parse_chunk(
    file: &Arc<PathBuf>,
    chunk: &Chunk,
    options: &ReadOptions,
    sink: &mut Sink,
) -> Result<()> {
    let mut spans = Vec::new();
    let cap = record_cap(options);
    let flush = |spans: &mut Vec<(u64, usize, usize)>, sink: &mut Sink| -> Result<()> {
        let parsed: Vec<Parsed> = spans
            .par_iter()
            .map(|&(i, start, end)| {
                let line = chunk.first_line + i;
                let offset = chunk.offset + start as u64;
                // A line over the cap that a chunk happened to hold whole is skipped all
                // the same: the limit does not depend on where chunks end.
                if end - start > cap {
                    let bytes = (end - start) as u64;
                    return Parsed::Skipped(overlong_record(file, line, Some(offset), bytes, cap));
                }
                let origin = Origin::line(file.clone(), line);
                parse_json_line(&chunk.bytes[start..end], origin, offset, options)
            })
            .collect();
        spans.clear();
        parsed.into_iter().try_for_each(|p| sink.accept(p))
    };
    let mut result = Ok(());
    for_each_line(&chunk.bytes, |i, start, end| {
        spans.push((i, start, end));
        if spans.len() == BATCH_LINES && result.is_ok() {
            result = flush(&mut spans, sink);
        }
    });
    result?;
    flush(&mut spans, sink)
}

/// The diagnostic for a record over [`record_cap`].
pub(crate) fn overlong_record(
    file: &Arc<PathBuf>,
    line: u64,
    offset: Option<u64>,
    bytes: u64,
    cap: usize,
) -> Diagnostic {
    let at = offset.map_or(String::new(), |o| format!(" at byte offset {o}"));
    Diagnostic::skipped(
        DiagnosticKind::Overlong,
        Origin::line(file.clone(), line),
        format!(
            "record of {bytes} bytes{at} is over the limit of {cap} bytes \
             (4 × --max-text-bytes + 1 MiB); skipped unread (raise --max-text-bytes to read it)"
        ),
    )
}

/// The diagnostic for a stream that failed at `line`: a warning when only trailing
/// garbage followed complete data, else the cut-short record is skipped.
pub(crate) fn stream_failed(
    file: &Arc<PathBuf>,
    line: u64,
    offset: u64,
    error: &io::Error,
) -> Diagnostic {
    let origin = Origin::line(file.clone(), line);
    if is_trailing_garbage(error) {
        return Diagnostic::warning(
            DiagnosticKind::TrailingGarbage,
            origin,
            format!("{error}; ignored, as gzip -dc does (every record before it was read; --strict makes it fatal)"),
        );
    }
    Diagnostic::skipped(
        DiagnosticKind::Unreadable,
        origin,
        format!(
            "read error after {offset} decompressed bytes: {error}; the records before it were \
             read, the rest of the file is skipped (is it corrupt or truncated?)"
        ),
    )
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
    let first_line = origin.line == Some(1);
    let mut parsed = build_document(raw, origin, options);
    if let (Parsed::Document(doc, _, _), true) = (&mut parsed, options.keep_raw) {
        doc.raw = Some(super::Verbatim::Json(text.as_ref().into()));
    }
    match &mut parsed {
        Parsed::Skipped(d) => {
            // Name the fields the record has: the likely cause is a misspelt --text-field.
            if let Some(names) = field_names(&text) {
                d.message = format!("{}; the record has {names}", d.message);
            }
        }
        // A file's first record stands for the fields its records have, in messages.
        Parsed::Document(_, _, seen) if first_line => seen.sample_names(object_keys(&text)),
        _ => {}
    }
    with_warning(parsed, utf8_warning)
}

pub(crate) fn with_warning(parsed: Parsed, warning: Option<Diagnostic>) -> Parsed {
    match (parsed, warning) {
        (Parsed::Document(doc, mut warnings, seen), Some(w)) => {
            warnings.insert(0, w.with_id(&doc.id));
            Parsed::Document(doc, warnings, seen)
        }
        (parsed, _) => parsed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid_field(options: &ReadOptions) -> Option<&'static str> {
        match options.check() {
            Err(Error::InvalidOption { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn check_accepts_the_defaults_and_names_the_field_that_cannot_work() {
        let d = ReadOptions::default();
        assert_eq!(invalid_field(&d), None);
        let nothing_kept = ReadOptions {
            max_text_bytes: 0,
            ..d.clone()
        };
        assert_eq!(invalid_field(&nothing_kept), Some("read.max_text_bytes"));
        let mut no_text = d.clone();
        no_text.fields.text.clear();
        assert_eq!(invalid_field(&no_text), Some("read.fields.text"));
        // Both readers refuse them before reading anything.
        let read = read_from(Path::new("x.jsonl"), io::empty(), &no_text);
        assert!(matches!(read, Err(Error::InvalidOption { .. })));
        let read = read_corpus(&["no such file"], &nothing_kept);
        assert!(matches!(read, Err(Error::InvalidOption { .. })));
    }
}
