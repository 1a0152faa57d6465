//! CSV and TSV with a header row naming the fields.
//!
//! CSV follows RFC 4180: a field that starts with `"` is quoted, may hold commas, quotes
//! (doubled) and line breaks. A quote that never closes does not swallow the rows after it:
//! its row is skipped as broken and reading goes on at the next line. TSV has no quoting
//! (a `"` is a character like any other); a backslash escapes a tab (`\t`), a line feed
//! (`\n`), a carriage return (`\r`) and itself (`\\`), as in the TSV files storyclust writes.
//! No record is buffered beyond [`record_cap`] bytes.

use super::escape::tsv_unescape;
use super::fields::parts_present;
use super::fields::Field;
use super::input::{overlong_record, record_cap, stream_failed, with_warning, Sink};
use super::records::{build_document, decode_lossy, join_texts, Parsed, RawRecord};
use super::{Diagnostic, DiagnosticKind, InputFormat, Origin, ReadOptions, Verbatim};
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

/// Records of a delimited stream. LF, CRLF and a lone CR all end a line; inside a quoted
/// CSV field they are kept as they are.
struct Records<R> {
    input: io::BufReader<R>,
    /// Bytes given back to be read again before `input` (the rows after a broken quote).
    pending: io::Cursor<Vec<u8>>,
    delimiter: u8,
    cap: usize,
    /// The line number of the next line.
    line: u64,
    /// An error met while looking past a line's end, returned by the next read.
    failed: Option<io::Error>,
    /// How the last line read ended (empty at the end of the stream).
    last_end: &'static [u8],
}

/// How a physical line ended.
enum LineEnd {
    /// With these bytes.
    Break(&'static [u8]),
    Eof,
    /// Over the cap; the rest of the line was streamed past. Holds the line's length.
    TooLong(u64),
}

impl<R: Read> Records<R> {
    fn source(&mut self) -> io::Result<&mut dyn BufRead> {
        Ok(if self.pending.fill_buf()?.is_empty() {
            &mut self.input
        } else {
            &mut self.pending
        })
    }

    /// Appends the next line (without its line end) to `buf`, unless it would pass the cap.
    fn line(&mut self, buf: &mut Vec<u8>) -> io::Result<LineEnd> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let (start, cap, header) = (buf.len(), self.cap, self.line == 1);
        let mut streamed = 0u64;
        let end = loop {
            let source = self.source()?;
            let data = source.fill_buf()?;
            if data.is_empty() {
                break None;
            }
            let (take, end) = match memchr::memchr2(b'\n', b'\r', data) {
                Some(i) => (i, Some(data[i])),
                None => (data.len(), None),
            };
            if streamed == 0 && buf.len() - start + take <= cap {
                buf.extend_from_slice(&data[..take]);
            } else if header {
                // A header row this long is no header: give up rather than stream past it.
                return Ok(LineEnd::TooLong((buf.len() - start + take) as u64));
            } else {
                // Over the cap: stream past the rest of this line.
                streamed += (buf.len() - start + take) as u64;
                buf.truncate(start);
            }
            source.consume(take + usize::from(end.is_some()));
            if end.is_some() {
                break end;
            }
        };
        let end = match end {
            None => LineEnd::Eof,
            Some(b'\r') => match self.source().and_then(|s| s.fill_buf()) {
                Ok([b'\n', ..]) => {
                    self.source()?.consume(1);
                    LineEnd::Break(b"\r\n")
                }
                Ok(_) => LineEnd::Break(b"\r"),
                Err(e) => {
                    // The line is whole; the error is for the next read.
                    self.failed = Some(e);
                    LineEnd::Break(b"\r")
                }
            },
            Some(_) => LineEnd::Break(b"\n"),
        };
        if !matches!(end, LineEnd::Eof) {
            self.line += 1;
        }
        self.last_end = match end {
            LineEnd::Break(bytes) => bytes,
            _ => b"",
        };
        if streamed > 0 {
            return Ok(LineEnd::TooLong(streamed + (buf.len() - start) as u64));
        }
        Ok(end)
    }

    fn next(&mut self, buf: &mut Vec<u8>) -> io::Result<Next> {
        buf.clear();
        let line = self.line;
        // Where the first line ends, once a quoted field has run past it.
        let mut first_end = None;
        loop {
            let end = self.line(buf)?;
            if let LineEnd::TooLong(bytes) = end {
                return Ok(Next::Overlong { line, bytes });
            }
            if matches!(end, LineEnd::Eof) && buf.is_empty() && first_end.is_none() {
                return Ok(Next::End);
            }
            if self.delimiter == b'\t' {
                return Ok(Next::Record {
                    line,
                    fields: buf.split(|&b| b == b'\t').map(tsv_unescape).collect(),
                });
            }
            match split_csv(buf, self.delimiter) {
                Split::Fields(fields) => return Ok(Next::Record { line, fields }),
                Split::Stray(fields) if first_end.is_none() => {
                    return Ok(Next::Record { line, fields })
                }
                Split::Stray(_) => {
                    if let LineEnd::Break(bytes) = end {
                        buf.extend_from_slice(bytes); // given back with the rest
                    }
                    return Ok(self.unclosed_quote(buf, line, first_end));
                }
                Split::Open => {}
            }
            // Inside a quoted field: its line break belongs to the field, unless the quote
            // never closes (end of file, or past the cap).
            if let LineEnd::Break(bytes) = end {
                let at = buf.len();
                buf.extend_from_slice(bytes);
                first_end.get_or_insert(at + bytes.len());
                if buf.len() < self.cap {
                    continue;
                }
            }
            return Ok(self.unclosed_quote(buf, line, first_end));
        }
    }

    /// Skips the first line of a record whose quote never closes and gives back the lines
    /// after it (from `first_end`) to be read again.
    fn unclosed_quote(&mut self, buf: &mut Vec<u8>, line: u64, first_end: Option<usize>) -> Next {
        if let Some(i) = first_end {
            let mut rest = buf.split_off(i);
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

/// What a CSV record splits into.
enum Split {
    Fields(Vec<Vec<u8>>),
    /// A quoted field is still open at the end.
    Open,
    /// A closing quote is followed by something else than a delimiter: the quote that
    /// opened it most likely was a character, not the start of a quoted field.
    Stray(Vec<Vec<u8>>),
}

/// The fields of a CSV record (RFC 4180, leniently: a quote inside an unquoted field, or
/// after a closing quote, is kept as a character).
fn split_csv(record: &[u8], delimiter: u8) -> Split {
    let mut fields = Vec::new();
    let mut field = Vec::new();
    let (mut at_start, mut quoted, mut closed, mut stray) = (true, false, false, false);
    let mut bytes = record.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if quoted {
            if b != b'"' {
                field.push(b);
            } else if bytes.next_if_eq(&b'"').is_some() {
                field.push(b'"');
            } else {
                (quoted, closed) = (false, true);
            }
        } else if b == delimiter {
            fields.push(std::mem::take(&mut field));
            (at_start, closed) = (true, false);
            continue;
        } else if b == b'"' && at_start {
            quoted = true;
        } else {
            stray |= closed;
            field.push(b);
        }
        at_start = false;
    }
    if quoted {
        return Split::Open;
    }
    fields.push(field);
    if stray {
        Split::Stray(fields)
    } else {
        Split::Fields(fields)
    }
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
        input: io::BufReader::with_capacity(1 << 16, reader),
        pending: io::Cursor::new(Vec::new()),
        delimiter,
        cap: record_cap(options),
        line: 1,
        failed: None,
        last_end: b"",
    };
    let bom = skip_bom(&mut records.input);
    let mut buf = Vec::new();
    let headers = read_header(&mut records, &mut buf, &file)?;
    let rows = Rows {
        header_row: header_row_as_read(bom, &buf, records.last_end),
        columns: columns(&headers, options, &file)?,
        headers,
        format: if delimiter == b'\t' {
            InputFormat::Tsv
        } else {
            InputFormat::Csv
        },
        file,
        options,
    };
    rows.note_fields(sink);
    loop {
        let (line, fields) = match records.next(&mut buf) {
            Ok(Next::End) => return Ok(()),
            Ok(Next::Record { line, fields }) => (line, fields),
            Ok(Next::Broken { line, message }) => {
                let origin = Origin::line(rows.file.clone(), line);
                sink.report(Diagnostic::skipped(
                    DiagnosticKind::BrokenCsv,
                    origin,
                    message,
                ))?;
                continue;
            }
            Ok(Next::Overlong { line, bytes }) => {
                sink.add_bytes(bytes);
                sink.report(overlong_record(&rows.file, line, None, bytes, records.cap))?;
                continue;
            }
            Err(e) => return sink.report(stream_failed(&rows.file, records.line, 0, &e)),
        };
        rows.read_row(line, &fields, &buf, sink)?;
    }
}

/// The header row's field names (none in an empty input).
fn read_header<R: Read>(
    records: &mut Records<R>,
    buf: &mut Vec<u8>,
    file: &Arc<PathBuf>,
) -> Result<Vec<String>> {
    let header_error = |message: String| Error::Format {
        path: file.to_path_buf(),
        message: format!("cannot read the header row: {message}"),
    };
    match records.next(buf) {
        Ok(Next::Record { fields, .. }) => Ok(header_names(&fields)),
        Ok(Next::End) => Ok(Vec::new()),
        Ok(Next::Broken { message, .. }) => Err(header_error(message)),
        Ok(Next::Overlong { bytes, .. }) => Err(header_error(format!(
            "its first line is over {bytes} bytes long (is this a CSV or TSV file?)"
        ))),
        Err(e) => Err(header_error(e.to_string())),
    }
}

/// The header row as read (`bytes`, its byte order mark and line end), for rows written back
/// unchanged (`keep_raw`).
fn header_row_as_read(bom: bool, bytes: &[u8], line_end: &[u8]) -> Arc<str> {
    let mut header_row = if bom {
        "\u{FEFF}".to_string()
    } else {
        String::new()
    };
    header_row.push_str(&String::from_utf8_lossy(bytes));
    header_row.push_str(std::str::from_utf8(line_end).unwrap_or("\n"));
    header_row.into()
}

/// What every row of one file is read with: its header and the columns of each field.
struct Rows<'a> {
    file: Arc<PathBuf>,
    headers: Vec<String>,
    header_row: Arc<str>,
    columns: Columns,
    format: InputFormat,
    options: &'a ReadOptions,
}

impl Rows<'_> {
    /// Notes in the corpus which configured fields the header has.
    fn note_fields(&self, sink: &mut Sink) {
        let columns = &self.columns;
        let found: Vec<Field> = [
            (Field::Id, columns.id.is_some()),
            (Field::Text, !columns.text.is_empty()),
            (Field::Title, columns.title.is_some()),
            (Field::Date, columns.date.is_some()),
            (Field::Source, columns.source.is_some()),
            (Field::Url, columns.url.is_some()),
        ]
        .into_iter()
        .filter_map(|(f, present)| present.then_some(f))
        .collect();
        let named = self.options.fields.text.iter();
        let parts: Vec<Option<()>> = named
            .map(|t| self.headers.contains(t).then_some(()))
            .collect();
        sink.corpus
            .fields
            .note_header(&self.headers, &found, parts_present(&parts));
    }

    /// One row (`fields`, read from the bytes `row`) that starts on `line`: a document, or a
    /// diagnostic when it does not fit the header. Blank rows are passed over.
    fn read_row(&self, line: u64, fields: &[Vec<u8>], row: &[u8], sink: &mut Sink) -> Result<()> {
        sink.add_bytes(fields.iter().map(|f| f.len() as u64 + 1).sum::<u64>());
        if fields.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            return Ok(());
        }
        let origin = Origin::line(self.file.clone(), line);
        // A row with more or fewer fields than the header cannot be matched to its columns.
        if fields.len() != self.headers.len() {
            let quote = if self.format == InputFormat::Tsv {
                "write a tab inside a field as \\t"
            } else {
                "quote fields that contain a comma"
            };
            return sink.report(Diagnostic::skipped(
                DiagnosticKind::BrokenCsv,
                origin,
                format!(
                    "the row has {} fields but the header has {}; {quote}",
                    fields.len(),
                    self.headers.len()
                ),
            ));
        }
        let (raw, warning) = self.raw_record(fields, &origin);
        let mut parsed = build_document(raw, origin, self.options);
        if let (Parsed::Document(doc, _, _), true) = (&mut parsed, self.options.keep_raw) {
            doc.raw = Some(Verbatim::Row {
                format: self.format,
                header: self.header_row.clone(),
                row: String::from_utf8_lossy(row).into(),
            });
        }
        sink.accept(with_warning(parsed, warning))
    }

    /// The record's fields by column, with a warning when some held invalid UTF-8.
    fn raw_record(&self, fields: &[Vec<u8>], origin: &Origin) -> (RawRecord, Option<Diagnostic>) {
        let columns = &self.columns;
        let mut warning = None;
        let mut field = |column: Option<usize>| {
            let (text, w) = decode_lossy(&fields[column?], origin, 0);
            if let Some(w) = w {
                warning.get_or_insert(Diagnostic {
                    message: "invalid UTF-8 in the record; bad bytes replaced by U+FFFD".into(),
                    ..w
                });
            }
            Some(text)
        };
        let texts = columns.text.iter().map(|&c| field(Some(c))).collect();
        let raw = RawRecord {
            id: field(columns.id),
            text: Some(join_texts(texts).unwrap_or_default()),
            title: field(columns.title),
            date: field(columns.date),
            source: field(columns.source),
            url: field(columns.url),
            // The header row tells which text columns there are.
            text_parts: 0,
        };
        (raw, warning)
    }
}

/// Skips a UTF-8 byte order mark at the start (Excel's "CSV UTF-8", pandas' utf-8-sig):
/// left in, it would hide the opening quote of a quoted first header. Whether there was one.
fn skip_bom(input: &mut impl BufRead) -> bool {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    // A read error here is met again, and reported, by the header row's read.
    let found = input.fill_buf().is_ok_and(|head| head.starts_with(BOM));
    if found {
        input.consume(BOM.len());
    }
    found
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

/// The columns of the fields; the text ones in the order named.
struct Columns {
    id: Option<usize>,
    text: Vec<usize>,
    title: Option<usize>,
    date: Option<usize>,
    source: Option<usize>,
    url: Option<usize>,
}

/// Finds the columns; at least one text column is required.
fn columns(headers: &[String], options: &ReadOptions, file: &Arc<PathBuf>) -> Result<Columns> {
    let column = |name: &str| headers.iter().position(|h| h == name);
    let f = &options.fields;
    let text: Vec<usize> = f.text.iter().filter_map(|t| column(t)).collect();
    if text.is_empty() {
        return Err(Error::Format {
            path: file.to_path_buf(),
            message: format!(
                "the header row has no column `{}` (columns: {}); name the text column with --text-field",
                f.text.join("`, `"),
                headers.join(", ")
            ),
        });
    }
    Ok(Columns {
        id: column(&f.id),
        text,
        title: column(&f.title),
        date: column(&f.date),
        source: column(&f.source),
        url: column(&f.url),
    })
}
