//! The document model.

use super::{Diagnostics, Timestamp};
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a document came from, for messages: a file and, for record formats, a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Origin {
    /// The input file (`-` for standard input).
    pub file: Arc<PathBuf>,
    /// 1-based line of the record in the (decompressed) file; `None` for whole-file documents.
    pub line: Option<u64>,
}

impl Origin {
    /// A whole file.
    pub fn file(file: Arc<PathBuf>) -> Origin {
        Origin { file, line: None }
    }

    /// One line of a file.
    pub fn line(file: Arc<PathBuf>, line: u64) -> Origin {
        Origin {
            file,
            line: Some(line),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file.display()),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// One article.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Document {
    /// Unique within a corpus (duplicates are renamed when read, with a warning).
    pub id: String,
    /// The title given by the input, if any. Plain-text files have none: their headline is
    /// extracted by [`crate::text`].
    pub title: Option<String>,
    /// The article text, exactly as read (after lossy UTF-8 decoding where needed).
    pub body: String,
    /// The publisher, if known.
    pub source: Option<String>,
    /// The article's address, if known.
    pub url: Option<String>,
    /// The publication date, if given and parseable.
    pub date: Option<Timestamp>,
    /// Where the document was read from.
    pub origin: Origin,
    /// The record exactly as read (all its fields, nested ones too), kept only when
    /// [`super::ReadOptions::keep_raw`] asks, so that `dedup -o` writes it back unchanged.
    #[serde(skip)]
    pub raw: Option<Verbatim>,
}

/// A record as it was read, to be written back unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verbatim {
    /// A JSON Lines record, without its line end.
    Json(Box<str>),
    /// A CSV or TSV row.
    Row {
        /// [`super::InputFormat::Csv`] or [`super::InputFormat::Tsv`].
        format: super::InputFormat,
        /// The header row of the row's file, with its line end (shared by the file's rows).
        header: Arc<str>,
        /// The row, without its line end.
        row: Box<str>,
    },
}

impl Document {
    /// A document with only an id and a body, made in memory (its origin is `<memory>`).
    pub fn new(id: impl Into<String>, body: impl Into<String>) -> Document {
        Document {
            id: id.into(),
            title: None,
            body: body.into(),
            source: None,
            url: None,
            date: None,
            origin: Origin::file(Arc::new(PathBuf::from("<memory>"))),
            raw: None,
        }
    }

    /// Size of the text in bytes (title and body).
    pub fn text_len(&self) -> usize {
        self.title.as_ref().map_or(0, String::len) + self.body.len()
    }
}

/// The documents read from the inputs, in input order, plus what went wrong on the way.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Corpus {
    /// The readable documents, in input order (files of a directory in path order).
    pub documents: Vec<Document>,
    /// Warnings and skipped records.
    pub diagnostics: Diagnostics,
    /// Bytes of input read (decompressed).
    pub bytes_read: u64,
    /// The configured fields found in the records, and the fields records have.
    pub fields: super::FieldsSeen,
}
