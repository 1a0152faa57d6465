//! Writing documents back out, as JSON Lines, CSV or TSV.

use super::{write_atomic, Document, FieldNames, InputFormat, Verbatim};
use crate::error::Result;
use std::path::Path;
use std::sync::Arc;

/// An output path's extension, lower-cased: the one rule by which every output that has a
/// choice of formats (`dedup --output`, `cluster --output`) takes its format from its name.
pub fn output_extension(path: &Path) -> Option<String> {
    Some(path.extension()?.to_str()?.to_ascii_lowercase())
}

/// The extensions that name a format [`write_documents`] writes, for messages.
pub const DOCUMENT_EXTENSIONS: &[&str] = &["jsonl", "ndjson", "json", "csv", "tsv", "tab"];

/// The format that `path`'s extension names, if it names one we write.
pub fn extension_format(path: &Path) -> Option<InputFormat> {
    match output_extension(path)?.as_str() {
        "csv" => Some(InputFormat::Csv),
        "tsv" | "tab" => Some(InputFormat::Tsv),
        "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
        _ => None,
    }
}

/// The format to write `path` in: from its extension (compressed output is not supported),
/// else `fallback`.
pub fn output_format(path: &Path, fallback: InputFormat) -> InputFormat {
    extension_format(path).unwrap_or(match fallback {
        InputFormat::Csv | InputFormat::Tsv => fallback,
        _ => InputFormat::Jsonl,
    })
}

/// Writes documents atomically with the given field names: JSON Lines for `Jsonl` (and
/// `Text`/`Auto`), a header row and one row per document for CSV (RFC 4180 quoting) and TSV
/// (backslash escapes). Dates are written
/// in RFC 3339 (UTC); absent fields are written empty. A document read with its record kept
/// ([`Document::raw`]) is written as that record, unchanged: every field, nested ones too,
/// and dates as they were; in JSON Lines each such record, in CSV and TSV when every row
/// was read from that format under one same header row (which is written first). Several
/// text fields are otherwise written as one, under the first name.
pub fn write_documents(
    path: &Path,
    documents: &[&Document],
    fields: &FieldNames,
    format: InputFormat,
) -> Result<()> {
    if let Some(header) = common_header(documents, format) {
        return write_atomic(path, |out| write_rows_verbatim(out, &header, documents));
    }
    let text_name = fields.text.first().map_or("text", String::as_str);
    let names = [
        fields.id.as_str(),
        &fields.title,
        text_name,
        &fields.source,
        &fields.date,
        &fields.url,
    ];
    write_atomic(path, |out| match format {
        InputFormat::Tsv => {
            write_tsv_row(out, names)?;
            for d in documents {
                let date = d.date.map(|t| t.to_string()).unwrap_or_default();
                write_tsv_row(out, row(d, &date))?;
            }
            Ok(())
        }
        InputFormat::Csv => {
            let mut w = csv::WriterBuilder::new().from_writer(out);
            w.write_record(names)?;
            for d in documents {
                let date = d.date.map(|t| t.to_string()).unwrap_or_default();
                w.write_record(row(d, &date))?;
            }
            w.flush()
        }
        _ => write_jsonl(out, documents, fields, text_name),
    })
}

/// Documents as JSON Lines: a record kept as read is written back unchanged, the others
/// with the fields' names (`text_name` for the text).
fn write_jsonl(
    out: &mut dyn std::io::Write,
    documents: &[&Document],
    fields: &FieldNames,
    text_name: &str,
) -> std::io::Result<()> {
    for d in documents {
        if let Some(Verbatim::Json(raw)) = &d.raw {
            out.write_all(raw.as_bytes())?;
            out.write_all(b"\n")?;
            continue;
        }
        let mut record = serde_json::Map::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                record.insert(k.to_string(), serde_json::Value::String(v));
            }
        };
        put(&fields.id, Some(d.id.clone()));
        put(&fields.title, d.title.clone());
        put(text_name, Some(d.body.clone()));
        put(&fields.source, d.source.clone());
        put(&fields.date, d.date.map(|t| t.to_string()));
        put(&fields.url, d.url.clone());
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The header row that every document's row was read under, when all were read as rows of
/// `format` under one same header.
fn common_header(documents: &[&Document], format: InputFormat) -> Option<Arc<str>> {
    let mut common: Option<&Arc<str>> = None;
    for d in documents {
        let Some(Verbatim::Row {
            format: f, header, ..
        }) = &d.raw
        else {
            return None;
        };
        if *f != format || common.is_some_and(|c| c != header) {
            return None;
        }
        common = Some(header);
    }
    common.cloned()
}

/// The header row, then each document's row as read, each ended as the header row is.
fn write_rows_verbatim(
    out: &mut dyn std::io::Write,
    header: &str,
    documents: &[&Document],
) -> std::io::Result<()> {
    let end = ["\r\n", "\r", "\n"]
        .into_iter()
        .find(|end| header.ends_with(end))
        .unwrap_or("\n");
    out.write_all(header.as_bytes())?;
    if !header.ends_with(end) {
        out.write_all(end.as_bytes())?;
    }
    for d in documents {
        if let Some(Verbatim::Row { row, .. }) = &d.raw {
            out.write_all(row.as_bytes())?;
            out.write_all(end.as_bytes())?;
        }
    }
    Ok(())
}

/// The fields of a document in the order of the header.
fn row<'a>(d: &'a Document, date: &'a str) -> [&'a str; 6] {
    [
        d.id.as_str(),
        d.title.as_deref().unwrap_or(""),
        d.body.as_str(),
        d.source.as_deref().unwrap_or(""),
        date,
        d.url.as_deref().unwrap_or(""),
    ]
}

/// One TSV row, each field escaped by the rule of [`super::tsv_escape`].
fn write_tsv_row(out: &mut dyn std::io::Write, fields: [&str; 6]) -> std::io::Result<()> {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b"\t")?;
        }
        out.write_all(super::tsv_escape(field).as_bytes())?;
    }
    out.write_all(b"\n")
}
