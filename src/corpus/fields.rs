//! Which of the configured fields the records held: a field named by an option and found
//! in no record is a mistake to report, not a corpus without that field.

use super::records::RawRecord;
use super::{Corpus, FieldNames};
use crate::error::{Error, Result};
use std::collections::BTreeSet;

/// One of the fields a reader picks from each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Field {
    /// `--id-field`.
    Id,
    /// `--text-field`.
    Text,
    /// `--title-field`.
    Title,
    /// `--date-field`.
    Date,
    /// `--source-field`.
    Source,
    /// `--url-field`.
    Url,
}

impl Field {
    fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The option that names it.
    pub fn option(self) -> &'static str {
        match self {
            Field::Id => "--id-field",
            Field::Text => "--text-field",
            Field::Title => "--title-field",
            Field::Date => "--date-field",
            Field::Source => "--source-field",
            Field::Url => "--url-field",
        }
    }

    fn name(self, names: &FieldNames) -> String {
        match self {
            Field::Id => names.id.clone(),
            Field::Text => names.text.join(","),
            Field::Title => names.title.clone(),
            Field::Date => names.date.clone(),
            Field::Source => names.source.clone(),
            Field::Url => names.url.clone(),
        }
    }
}

/// The configured fields one record held (non-null), and on the first line of a file the
/// names of all its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Seen {
    mask: u8,
    text_parts: u64,
    names: Option<Vec<String>>,
}

/// Bit `i` set when the `i`-th of several text fields is present (the first 64 are told).
pub(crate) fn parts_present<T>(texts: &[Option<T>]) -> u64 {
    texts
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, t)| t.is_some())
        .fold(0, |m, (i, _)| m | 1 << i)
}

impl Seen {
    /// What `raw` holds; `names`, the record's field names, where they are sampled.
    pub(crate) fn of(raw: &RawRecord, names: Option<Vec<String>>) -> Seen {
        let fields = [
            (Field::Id, &raw.id),
            (Field::Text, &raw.text),
            (Field::Title, &raw.title),
            (Field::Date, &raw.date),
            (Field::Source, &raw.source),
            (Field::Url, &raw.url),
        ];
        let mask = fields
            .iter()
            .filter(|(_, v)| v.is_some())
            .fold(0, |m, (f, _)| m | f.bit());
        Seen {
            mask,
            text_parts: raw.text_parts,
            names,
        }
    }

    /// Keeps `names` as the sample of the record's field names.
    pub(crate) fn sample_names(&mut self, names: Option<Vec<String>>) {
        self.names = names;
    }
}

/// The configured fields found in the records read, and a sample of the fields records
/// have (the CSV/TSV headers, the first JSON line of each file).
#[derive(Debug, Clone, Default)]
pub struct FieldsSeen {
    mask: u8,
    text_parts: u64,
    names: BTreeSet<String>,
}

impl FieldsSeen {
    pub(crate) fn note(&mut self, seen: Seen) {
        self.mask |= seen.mask;
        self.text_parts |= seen.text_parts;
        self.names.extend(seen.names.into_iter().flatten());
    }

    /// Notes a CSV/TSV header: every record has its columns (`found`: the configured fields
    /// among them; `text_parts`: the text fields among them, as [`parts_present`]).
    pub(crate) fn note_header(&mut self, headers: &[String], found: &[Field], text_parts: u64) {
        self.names.extend(headers.iter().cloned());
        self.text_parts |= text_parts;
        self.mask |= found.iter().fold(0, |m, f| m | f.bit());
    }

    /// Whether some record read held `field`.
    pub fn found(&self, field: Field) -> bool {
        self.mask & field.bit() != 0
    }

    /// Field names seen in the records (a sample: headers and first lines).
    pub fn names(&self) -> &BTreeSet<String> {
        &self.names
    }
}

/// Fails when one of `fields` (the ones the user named) is in no record read from a record
/// format (JSON Lines, CSV, TSV), naming the fields the records do have.
pub fn check_fields(corpus: &Corpus, names: &FieldNames, fields: &[Field]) -> Result<()> {
    let seen = &corpus.fields;
    // Plain-text files have no fields to name: nothing to check.
    if seen.mask == 0 && seen.names.is_empty() {
        return Ok(());
    }
    let missing = missing_fields(seen, names, fields);
    let Some((first, name)) = missing.first() else {
        return Ok(());
    };
    let others: Vec<String> = missing[1..]
        .iter()
        .map(|(f, name)| format!(", nor {} {name:?}", f.option()))
        .collect();
    let have = if seen.names.is_empty() {
        "the records' fields could not be listed".to_string()
    } else {
        let list: Vec<String> = seen.names.iter().map(|n| format!("`{n}`")).collect();
        format!("the records have the fields {}", list.join(", "))
    };
    Err(Error::InvalidOption {
        field: first.option(),
        why: format!("{name:?} is in no record{}; {have}", others.concat()),
    })
}

/// The named fields that no record held, with their names; of several text fields, each
/// one that no record held.
fn missing_fields(seen: &FieldsSeen, names: &FieldNames, fields: &[Field]) -> Vec<(Field, String)> {
    let mut missing = Vec::new();
    for &field in fields {
        if !seen.found(field) {
            missing.push((field, field.name(names)));
        } else if field == Field::Text && names.text.len() > 1 {
            let absent = names.text.iter().take(64).enumerate();
            missing.extend(
                absent
                    .filter(|(i, _)| seen.text_parts & 1 << i == 0)
                    .map(|(_, name)| (field, name.clone())),
            );
        }
    }
    missing
}
