//! CSV and TSV with a header row naming the fields.
//!
//! CSV follows RFC 4180: a field that starts with `"` is quoted, may hold commas, quotes
//! (doubled) and line breaks. A quote that never closes does not swallow the rows after it:
//! its row is skipped as broken and reading goes on at the next line. TSV has no quoting
//! (a `"` is a character like any other); a backslash escapes a tab (`\t`), a line feed
//! (`\n`), a carriage return (`\r`) and itself (`\\`), as in the TSV files storyclust writes.
//! No record is buffered beyond [`record_cap`] bytes.

use super::escape::tsv_unescape;
use super::input::{overlong_record, record_cap, stream_failed, with_warning, Sink};
use super::records::{build_document, decode_lossy, RawRecord};
use super::{Diagnostic, DiagnosticKind, Origin, ReadOptions};
use crate::error::{Error, Result};
use std::io::{self, BufRead, Read};
use std::path::PathBuf;
use std::sync::Arc;

/// What reading one record gave.
enum Next {
    /// The fields of a record that starts on `line`.
    Record {
        line: u64,
        fields: Vec<Vec<u8>>,
    },
    /// A row that cannot be split into fields (a quote that never closes).
    Broken {
        line: u64,
        message: String,
    },
    /// A physical line over the cap, streamed past.
    Overlong {
        line: u64,
        bytes: u64,
    },
    End,
}

/// Records of a delimited stream whose line ends are all LF.
struct Records<R> {
    input: io::BufReader<LineEndsToLf<R>>,
    /// Bytes given back to be read again before `input` (the rows after a broken quote).
    pending: io::Cursor<Vec<u8>>,
    delimiter: u8,
    cap: usize,
    /// The line number of the next line.
    line: u64,
}

/// How a physical line ended.
enum LineEnd {
    Newline,
    Eof,
    /// Over the cap; the rest of the line was streamed past. Holds the line's length.
    TooLong(u64),
}

impl<R: Read> Records<R> {
    /// Appends the next line (its LF dropped) to `buf`, unless it would pass the cap.
    fn line(&mut self, buf: &mut Vec<u8>) -> io::Result<LineEnd> {
        let start = buf.len();
        let mut streamed = 0u64;
        loop {
            let source: &mut dyn BufRead = if self.pending.fill_buf()?.is_empty() {
                &mut self.input
            } else {
                &mut self.pending
            };
            let data = source.fill_buf()?;
            if data.is_empty() {
                return Ok(if streamed > 0 {
                    LineEnd::TooLong(streamed + (buf.len() - start) as u64)
                } else {
                    LineEnd::Eof
                });
            }
            let (take, newline) = match memchr::memchr(b'\n', data) {
                Some(i) => (i, true),
                None => (data.len(), false),
            };
            if streamed == 0 && buf.len() - start + take <= self.cap {
                buf.extend_from_slice(&data[..take]);
            } else {
                // Over the cap: stream past the rest of this line.
                streamed += (buf.len() - start + take) as u64;
                buf.truncate(start);
            }
            source.consume(take + usize::from(newline));
            if newline {
                self.line += 1;
                return Ok(if streamed > 0 {
                    LineEnd::TooLong(streamed)
                } else {
                    LineEnd::Newline
                });
            }
        }
    }

    fn next(&mut self, buf: &mut Vec<u8>) -> io::Result<Next> {
        buf.clear();
        let line = self.line;
        loop {
            let end = self.line(buf)?;
            if let LineEnd::TooLong(bytes) = end {
                return Ok(Next::Overlong { line, bytes });
            }
            if matches!(end, LineEnd::Eof) && buf.is_empty() && self.line == line {
                return Ok(Next::End);
            }
            if self.delimiter == b'\t' {
                return Ok(Next::Record {
                    line,
                    fields: buf.split(|&b| b == b'\t').map(tsv_unescape).collect(),
                });
            }
            if let Some(fields) = split_csv(buf, self.delimiter) {
                return Ok(Next::Record { line, fields });
            }
            // Inside a quoted field: its line break belongs to the field, unless the quote
            // never closes (end of file, or past the cap).
            if matches!(end, LineEnd::Newline) && buf.len() < self.cap {
                buf.push(b'\n');
                continue;
            }
            return Ok(self.unclosed_quote(buf, line));
        }
    }

    /// Skips the first line of a record whose quote never closes and gives back the rest.
    fn unclosed_quote(&mut self, buf: &mut Vec<u8>, line: u64) -> Next {
        if let Some(i) = memchr::memchr(b'\n', buf) {
            let mut rest = buf.split_off(i + 1);
            rest.push(b'\n');
            let pending = &mut self.pending;
            let unread = &pending.get_ref()[pending.position() as usize..];
            rest.extend_from_slice(unread);
            self.line = line + 1;
            self.pending = io::Cursor::new(rest);
        }
        Next::Broken {
            line,
            message: "a quoted field never closes (a `\"` with no closing `\"`); the row is skipped and reading goes on at the next line".into(),
        }
    }
}

/// The fields of a CSV record (RFC 4180, leniently: a quote inside an unquoted field, or
/// after a closing quote, is kept as a character). `None` if a quoted field is still open.
fn split_csv(record: &[u8], delimiter: u8) -> Option<Vec<Vec<u8>>> {
    let mut fields = Vec::new();
    let mut field = Vec::new();
    let (mut at_start, mut quoted) = (true, false);
    let mut bytes = record.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if quoted {
            if b != b'"' {
                field.push(b);
            } else if bytes.next_if_eq(&b'"').is_some() {
                field.push(b'"');
            } else {
                quoted = false;
            }
        } else if b == delimiter {
            fields.push(std::mem::take(&mut field));
            at_start = true;
            continue;
        } else if b == b'"' && at_start {
            quoted = true;
        } else {
            field.push(b);
        }
        at_start = false;
    }
    if quoted {
        return None;
    }
    fields.push(field);
    Some(fields)
}

/// Reads CSV (`delimiter` `,`) or TSV (`\t`) records into the sink.
pub(crate) fn read_delimited(
    file: Arc<PathBuf>,
    reader: Box<dyn Read + Send>,
    delimiter: u8,
    options: &ReadOptions,
    sink: &mut Sink,
) -> Result<()> {
    let mut records = Records {
        input: io::BufReader::with_capacity(1 << 16, LineEndsToLf::new(reader)),
        pending: io::Cursor::new(Vec::new()),
        delimiter,
        cap: record_cap(options),
        line: 1,
    };
    let mut buf = Vec::new();
    let header_error = |message: String| Error::Format {
        path: file.to_path_buf(),
        message: format!("cannot read the header row: {message}"),
    };
    let headers = match records.next(&mut buf) {
        Ok(Next::Record { fields, .. }) => header_names(&fields),
        Ok(Next::End) => Vec::new(),
        Ok(Next::Broken { message, .. }) => return Err(header_error(message)),
        Ok(Next::Overlong { bytes, .. }) => {
            return Err(header_error(format!(
                "its first line is over {bytes} bytes long"
            )))
        }
        Err(e) => return Err(header_error(e.to_string())),
    };
    let columns = columns(&headers, options, &file)?;
    loop {
        let (line, fields) = match records.next(&mut buf) {
            Ok(Next::End) => return Ok(()),
            Ok(Next::Record { line, fields }) => (line, fields),
            Ok(Next::Broken { line, message }) => {
                let origin = Origin::line(file.clone(), line);
                sink.report(Diagnostic::skipped(
                    DiagnosticKind::BrokenCsv,
                    origin,
                    message,
                ))?;
                continue;
            }
            Ok(Next::Overlong { line, bytes }) => {
                sink.corpus.bytes_read += bytes;
                sink.report(overlong_record(&file, line, 0, bytes, records.cap))?;
                continue;
            }
            Err(e) => return sink.report(stream_failed(&file, records.line, 0, &e)),
        };
        sink.corpus.bytes_read += fields.iter().map(|f| f.len() as u64 + 1).sum::<u64>();
        if fields.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let origin = Origin::line(file.clone(), line);
        // A row with more or fewer fields than the header cannot be matched to its columns.
        if fields.len() != headers.len() {
            let quote = if delimiter == b'\t' {
                "write a tab inside a field as \\t"
            } else {
                "quote fields that contain a comma"
            };
            sink.report(Diagnostic::skipped(
                DiagnosticKind::BrokenCsv,
                origin,
                format!(
                    "the row has {} fields but the header has {}; {quote}",
                    fields.len(),
                    headers.len()
                ),
            ))?;
            continue;
        }
        let mut warning = None;
        let mut field = |column: Option<usize>| {
            let (text, w) = decode_lossy(&fields[column?], &origin, 0);
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
}

fn header_names(fields: &[Vec<u8>]) -> Vec<String> {
    fields
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
        .collect()
}

/// The columns of the id, text, title, date, source and url fields; the text is required.
fn columns(
    headers: &[String],
    options: &ReadOptions,
    file: &Arc<PathBuf>,
) -> Result<[Option<usize>; 6]> {
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
    Ok([
        column(&f.id),
        Some(text_column),
        column(&f.title),
        column(&f.date),
        column(&f.source),
        column(&f.url),
    ])
}

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
