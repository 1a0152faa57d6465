//! Turning one record (a JSON line, a CSV row, a text file) into a [`Document`].

use super::fields::{parts_present, Seen};
use super::{Diagnostic, DiagnosticKind, Document, FieldNames, Origin, ReadOptions, Timestamp};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use xxhash_rust::xxh3::xxh3_64;

/// The fields of one record before checks, as strings.
#[derive(Debug, Default)]
pub(crate) struct RawRecord {
    pub id: Option<String>,
    pub title: Option<String>,
    pub text: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Which of the text fields the record held: bit `i` for the `i`-th name.
    pub text_parts: u64,
}

/// What became of one record.
#[derive(Debug)]
pub(crate) enum Parsed {
    /// A document, with warnings about it and the fields its record held.
    Document(Box<Document>, Vec<Diagnostic>, Seen),
    /// The record was dropped.
    Skipped(Diagnostic),
    /// A blank line: not a record at all.
    Blank,
}

/// Checks a record and builds the document: a missing id is generated from the content,
/// dates are parsed, over-long texts truncated, empty ones skipped.
pub(crate) fn build_document(raw: RawRecord, origin: Origin, options: &ReadOptions) -> Parsed {
    let seen = Seen::of(&raw, None);
    let Some(mut body) = raw.text else {
        return missing_text(raw.id, origin, options);
    };
    let mut title = raw.title.filter(|t| !t.trim().is_empty());
    let id = match raw.id.filter(|id| !id.trim().is_empty()) {
        Some(id) => id.trim().to_string(),
        None => generated_id(title.as_deref().unwrap_or(""), &body),
    };
    // Scraped text carries HTML entities (`&quot;`): decoded where every reader's records
    // become documents, after the id (generated ids stay as they were).
    decode_html_entities(&mut body);
    title = title
        .map(|mut t| {
            decode_html_entities(&mut t);
            t
        })
        .filter(|t| !t.trim().is_empty());
    let warn =
        |kind, message: String| Diagnostic::warning(kind, origin.clone(), message).with_id(&id);
    let mut warnings = truncate_long_fields(&mut body, title.as_mut(), options, &warn);
    // After truncation: a text cut to nothing is empty too.
    let has_words = |s: &str| s.chars().any(char::is_alphanumeric);
    if !has_words(&body) && !title.as_deref().is_some_and(has_words) {
        // Kept, so that the record still appears in every output (as a singleton).
        let message = "empty document: no word in its title or text; kept, and flagged here";
        warnings.push(warn(DiagnosticKind::EmptyText, message.into()));
    }
    let date = read_date(raw.date.as_deref(), options).unwrap_or_else(|message| {
        warnings.push(warn(DiagnosticKind::BadDate, message));
        None
    });
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Parsed::Document(
        Box::new(Document {
            id,
            title,
            body,
            source: clean(raw.source),
            url: clean(raw.url),
            date,
            origin,
            raw: None,
        }),
        warnings,
        seen,
    )
}

/// A record without its text field: skipped, with the field's name and the option that
/// chooses it.
fn missing_text(id: Option<String>, origin: Origin, options: &ReadOptions) -> Parsed {
    let d = Diagnostic::skipped(
        DiagnosticKind::MissingText,
        origin,
        format!(
            "no `{}` field (choose the text field with --text-field)",
            options.fields.text.join("`, `")
        ),
    );
    Parsed::Skipped(match id {
        Some(id) => d.with_id(id),
        None => d,
    })
}

/// The record's date (`None` when it has none), or what is wrong with it.
fn read_date(
    date: Option<&str>,
    options: &ReadOptions,
) -> std::result::Result<Option<Timestamp>, String> {
    match date.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(text) => Timestamp::read_in(text, options.timezone.as_ref())
            .map(Some)
            .map_err(|problem| bad_date_message(text, problem)),
    }
}

/// Cuts a text or title longer than `--max-text-bytes` at a character boundary, each with a
/// warning made by `warn`.
fn truncate_long_fields(
    body: &mut String,
    title: Option<&mut String>,
    options: &ReadOptions,
    warn: &dyn Fn(DiagnosticKind, String) -> Diagnostic,
) -> Vec<Diagnostic> {
    let limit = options.max_text_bytes;
    let mut warnings = Vec::new();
    for (name, field) in [("text", Some(body)), ("title", title)] {
        if let Some(field) = field {
            if field.len() > limit {
                let original = field.len();
                truncate_at_char_boundary(field, limit);
                warnings.push(warn(
                    DiagnosticKind::Truncated,
                    format!(
                        "{name} of {original} bytes truncated to {} bytes (raise --max-text-bytes to keep more)",
                        field.len()
                    ),
                ));
            }
        }
    }
    warnings
}

/// Decodes HTML character references (named, decimal, hexadecimal) in place, as every
/// reader does to titles and texts: scraped text carries them (`&quot;`), and a document
/// built by hand should get the same treatment to match what the readers give.
pub fn decode_html_entities(text: &mut String) {
    if let std::borrow::Cow::Owned(decoded) = html_escape::decode_html_entities(text) {
        *text = decoded;
    }
}

/// A stable id from the content, for records that have none.
pub(crate) fn generated_id(title: &str, body: &str) -> String {
    let mut bytes = Vec::with_capacity(title.len() + body.len() + 1);
    bytes.extend_from_slice(title.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(body.as_bytes());
    format!("doc-{:016x}", xxh3_64(&bytes))
}

fn truncate_at_char_boundary(s: &mut String, limit: usize) {
    let mut end = limit.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
}

/// Decodes bytes as UTF-8, replacing bad sequences; the warning names the first bad byte's
/// offset (`base_offset` is the offset of `bytes` in the file).
pub(crate) fn decode_lossy(
    bytes: &[u8],
    origin: &Origin,
    base_offset: u64,
) -> (String, Option<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => {
            let offset = base_offset + e.valid_up_to() as u64;
            let warning = Diagnostic::warning(
                DiagnosticKind::InvalidUtf8,
                origin.clone(),
                format!("invalid UTF-8 at byte offset {offset}; bad bytes replaced by U+FFFD"),
            );
            (String::from_utf8_lossy(bytes).into_owned(), Some(warning))
        }
    }
}

/// Parses one JSON line into a record, picking the configured fields.
pub(crate) fn parse_json_record(line: &str, fields: &FieldNames) -> Result<RawRecord, JsonError> {
    if fields.has_paths() {
        return record_from_paths(line, fields);
    }
    let mut de = serde_json::Deserializer::from_str(line);
    let record = RecordSeed { fields }
        .deserialize(&mut de)
        .map_err(|e| classify(e, fields))?;
    de.end().map_err(|e| JsonError::Broken(e.to_string()))?;
    Ok(record)
}

/// The id of a record that could not be read, for the error report (slow path: parses again).
pub(crate) fn salvage_id(line: &str, fields: &FieldNames) -> Option<String> {
    let value: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).ok()?;
    match lookup(&value, &fields.id)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Why a JSON line is not a record.
#[derive(Debug)]
pub(crate) enum JsonError {
    /// Not valid JSON, or not an object.
    Broken(String),
    /// A field of the wrong type (message names it).
    WrongType(String),
}

const WRONG_TYPE_MARK: &str = "storyclust-wrong-type: ";

fn classify(e: serde_json::Error, _fields: &FieldNames) -> JsonError {
    let text = e.to_string();
    match text.find(WRONG_TYPE_MARK) {
        Some(at) => {
            let rest = &text[at + WRONG_TYPE_MARK.len()..];
            let rest = rest.split(" at line ").next().unwrap_or(rest);
            JsonError::WrongType(rest.to_string())
        }
        None => JsonError::Broken(text),
    }
}

struct RecordSeed<'f> {
    fields: &'f FieldNames,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = RawRecord;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawRecord, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = RawRecord;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRecord, A::Error> {
        let f = self.fields;
        let mut record = RawRecord::default();
        let mut texts: Vec<Option<String>> = vec![None; f.text.len()];
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = if key == f.id {
                &mut record.id
            } else if let Some(i) = f.text.iter().position(|t| *t == key) {
                &mut texts[i]
            } else if key == f.title {
                &mut record.title
            } else if key == f.date {
                &mut record.date
            } else if key == f.source {
                &mut record.source
            } else if key == f.url {
                &mut record.url
            } else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            *slot = match map.next_value::<FieldValue>()? {
                FieldValue::Text(s) => Some(s),
                FieldValue::Null => None,
                FieldValue::Other(kind) => return Err(de::Error::custom(wrong_type(&key, kind))),
            };
        }
        record.text_parts = parts_present(&texts);
        record.text = join_texts(texts);
        Ok(record)
    }
}

fn wrong_type(field: &str, kind: &str) -> String {
    format!("{WRONG_TYPE_MARK}field `{field}` is {kind}, expected a string")
}

/// The text fields present, in the order named, joined by a blank line (a paragraph break,
/// so that each stays its own lines); empty ones are left out unless all are empty. `None`
/// when none is present.
pub(crate) fn join_texts(texts: Vec<Option<String>>) -> Option<String> {
    let present: Vec<String> = texts.into_iter().flatten().collect();
    if present.len() <= 1 || present.iter().all(String::is_empty) {
        return present.into_iter().next();
    }
    Some(
        present
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n"),
    )
}

/// A record whose fields are named by paths (`meta.published`): the whole object is parsed,
/// then each field looked up (slower than [`RecordSeed`], so only used for paths).
fn record_from_paths(line: &str, f: &FieldNames) -> Result<RawRecord, JsonError> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(line).map_err(|e| JsonError::Broken(e.to_string()))?;
    let get = |path: &str| match lookup(&object, path).map(FieldValue::of) {
        None | Some(FieldValue::Null) => Ok(None),
        Some(FieldValue::Text(s)) => Ok(Some(s)),
        Some(FieldValue::Other(kind)) => {
            let message = wrong_type(path, kind);
            Err(JsonError::WrongType(
                message[WRONG_TYPE_MARK.len()..].to_string(),
            ))
        }
    };
    let texts: Vec<_> = f.text.iter().map(|t| get(t)).collect::<Result<_, _>>()?;
    Ok(RawRecord {
        id: get(&f.id)?,
        text_parts: parts_present(&texts),
        text: join_texts(texts),
        title: get(&f.title)?,
        date: get(&f.date)?,
        source: get(&f.source)?,
        url: get(&f.url)?,
    })
}

/// The value at `path` in a JSON object: the key `path` itself if there is one, else the
/// dot-separated keys (or array indices) in turn, `meta.published` or `authors.0.name`.
pub fn lookup<'v>(
    object: &'v serde_json::Map<String, serde_json::Value>,
    path: &str,
) -> Option<&'v serde_json::Value> {
    if let Some(v) = object.get(path) {
        return Some(v);
    }
    let mut parts = path.split('.');
    let mut value = object.get(parts.next()?)?;
    for part in parts {
        value = match value {
            serde_json::Value::Object(map) => map.get(part)?,
            serde_json::Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// A field value: strings are kept, numbers and booleans become their JSON text (ids and
/// dates are often numbers), null is absent, arrays and objects are wrong.
enum FieldValue {
    Text(String),
    Null,
    Other(&'static str),
}

impl FieldValue {
    /// The same reading of an already parsed value (numbers written as [`RecordSeed`] does).
    fn of(value: &serde_json::Value) -> FieldValue {
        use serde_json::Value;
        match value {
            Value::String(s) => FieldValue::Text(s.clone()),
            Value::Null => FieldValue::Null,
            Value::Bool(b) => FieldValue::Text(b.to_string()),
            Value::Number(n) => FieldValue::Text(match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => u.to_string(),
                (_, Some(i), _) => i.to_string(),
                (_, _, Some(f)) => f.to_string(),
                _ => n.to_string(),
            }),
            Value::Array(_) => FieldValue::Other("an array"),
            Value::Object(_) => FieldValue::Other("an object"),
        }
    }
}

impl<'de> de::Deserialize<'de> for FieldValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number, boolean or null")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<FieldValue, E> {
                Ok(FieldValue::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<FieldValue, E> {
                Ok(FieldValue::Null)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<FieldValue, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FieldValue::Other("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldValue, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(FieldValue::Other("an object"))
            }
        }
        d.deserialize_any(V)
    }
}

/// The field names of a JSON object.
pub(crate) fn object_keys(line: &str) -> Option<Vec<String>> {
    let value: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).ok()?;
    Some(value.keys().cloned().collect())
}

/// The field names of a JSON object, for a message about a record that lacks a field.
pub(crate) fn field_names(line: &str) -> Option<String> {
    let names: Vec<String> = object_keys(line)?
        .iter()
        .map(|k| format!("`{k}`"))
        .collect();
    Some(if names.is_empty() {
        "no fields".into()
    } else {
        format!("the fields {}", names.join(", "))
    })
}

fn bad_date_message(text: &str, problem: super::date::DateProblem) -> String {
    match problem {
        super::date::DateProblem::OutOfRange => format!(
            "date {text:?} is out of range: only years 0000 to 9999 (in UTC) are read; ignored"
        ),
        super::date::DateProblem::Unreadable => format!(
            "date {text:?} is not YYYY-MM-DD, YYYY-MM-DD hh:mm[:ss], RFC 3339, RFC 2822 or epoch seconds/milliseconds; ignored"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn origin() -> Origin {
        Origin::line(Arc::new(PathBuf::from("t.jsonl")), 3)
    }

    #[test]
    fn picks_configured_fields_and_converts_numbers() {
        let fields = FieldNames {
            id: "key".into(),
            text: vec!["body".into()],
            ..FieldNames::default()
        };
        let r = parse_json_record(
            r#"{"key": 42, "body": "نص\nالخبر", "title": null, "extra": [1, {"a": 2}]}"#,
            &fields,
        )
        .unwrap();
        assert_eq!(r.id.as_deref(), Some("42"));
        assert_eq!(r.text.as_deref(), Some("نص\nالخبر"));
        assert_eq!(r.title, None);
    }

    #[test]
    fn paths_reach_into_objects_and_arrays_and_a_whole_key_wins() {
        let fields = FieldNames {
            id: "doc.id".into(),
            text: vec!["parts.0".into(), "missing".into(), "parts.1".into()],
            source: "authors.1.name".into(),
            date: "meta.date".into(),
            ..FieldNames::default()
        };
        let line = r#"{"doc": {"id": 7}, "parts": ["lead", "body"], "meta.date": "flat",
            "meta": {"date": "nested"}, "authors": [{"name": "a"}, {"name": "b"}]}"#;
        let r = parse_json_record(line, &fields).unwrap();
        assert_eq!(r.id.as_deref(), Some("7"));
        assert_eq!(r.text.as_deref(), Some("lead\n\nbody"));
        assert_eq!(r.source.as_deref(), Some("b"));
        assert_eq!(r.date.as_deref(), Some("flat"));
        let fields = FieldNames {
            text: vec!["meta".into()],
            ..FieldNames::default()
        };
        match parse_json_record(r#"{"meta": {"a": 1}, "x.y": 1}"#, &fields) {
            Err(JsonError::WrongType(m)) => assert!(m.contains("`meta` is an object"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            join_texts(vec![Some(String::new()), Some("b".into())]).as_deref(),
            Some("b")
        );
        assert_eq!(
            join_texts(vec![None, Some(String::new())]).as_deref(),
            Some("")
        );
        assert_eq!(join_texts(vec![None, None]), None);
    }

    #[test]
    fn wrong_types_and_broken_lines_are_told_apart() {
        let fields = FieldNames::default();
        match parse_json_record(r#"{"id": "a", "text": ["x"]}"#, &fields) {
            Err(JsonError::WrongType(m)) => assert!(m.contains("`text` is an array"), "{m}"),
            other => panic!("{other:?}"),
        }
        for broken in [r#"{"id": "a", "text": "x""#, "[1,2]", r#"{"a":1} x"#, "nul"] {
            assert!(
                matches!(
                    parse_json_record(broken, &fields),
                    Err(JsonError::Broken(_))
                ),
                "{broken}"
            );
        }
    }

    #[test]
    fn documents_are_checked() {
        let options = ReadOptions {
            max_text_bytes: 8,
            ..ReadOptions::default()
        };
        let raw = RawRecord {
            text: Some("ابجد هوز".into()),
            date: Some("yesterday".into()),
            ..RawRecord::default()
        };
        let Parsed::Document(doc, warnings, _) = build_document(raw, origin(), &options) else {
            panic!()
        };
        assert!(doc.id.starts_with("doc-"));
        assert_eq!(doc.body, "ابجد"); // 8 bytes, cut at a character boundary
        let kinds: Vec<_> = warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [DiagnosticKind::Truncated, DiagnosticKind::BadDate]);

        let empty = RawRecord {
            id: Some("e".into()),
            text: Some(" \n… ".into()),
            ..RawRecord::default()
        };
        let Parsed::Document(_, warnings, _) = build_document(empty, origin(), &options) else {
            panic!("empty documents are kept")
        };
        assert_eq!(warnings[0].kind, DiagnosticKind::EmptyText);
        let missing = RawRecord::default();
        assert!(matches!(
            build_document(missing, origin(), &options),
            Parsed::Skipped(Diagnostic {
                kind: DiagnosticKind::MissingText,
                ..
            })
        ));
    }

    #[test]
    fn html_entities_are_decoded_once_and_ids_come_from_the_raw_text() {
        let raw = || RawRecord {
            title: Some("&nbsp;".into()),
            text: Some(
                "قال &quot;نعم&quot; &#8220;x&#x201D; a&amp;b &amp;quot; &bogus; & ;".into(),
            ),
            ..RawRecord::default()
        };
        let Parsed::Document(doc, _, _) = build_document(raw(), origin(), &ReadOptions::default())
        else {
            panic!()
        };
        // `&amp;quot;` is text about an entity: decoded once, it reads `&quot;`.
        assert_eq!(
            doc.body,
            "قال \"نعم\" \u{201C}x\u{201D} a&b &quot; &bogus; & ;"
        );
        assert_eq!(
            doc.title, None,
            "a title of only a no-break space is no title"
        );
        let r = raw();
        assert_eq!(
            doc.id,
            generated_id(r.title.as_deref().unwrap(), r.text.as_deref().unwrap())
        );
    }

    #[test]
    fn generated_ids_are_stable() {
        assert_eq!(generated_id("t", "b"), generated_id("t", "b"));
        assert_ne!(generated_id("t", "b"), generated_id("", "tb"));
    }

    #[test]
    fn lossy_decoding_reports_the_offset() {
        let (text, warning) = decode_lossy(b"ab\xffc", &origin(), 100);
        assert_eq!(text, "ab\u{FFFD}c");
        assert!(warning.unwrap().message.contains("offset 102"));
    }
}
