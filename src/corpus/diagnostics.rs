//! Problems with single records: reported with file and line, counted, never a panic.

use super::Origin;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The record was read, perhaps altered (renamed, decoded lossily, truncated).
    Warning,
    /// The record (or file) was skipped.
    Skipped,
}

/// What kind of problem: the key under which problems are counted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// A file could not be opened or read.
    Unreadable,
    /// Bytes that are not UTF-8, replaced by U+FFFD.
    InvalidUtf8,
    /// A file that looks binary (NUL bytes).
    BinaryFile,
    /// A file in a directory whose type is not read (not .txt, .md, .jsonl, .csv or .tsv).
    UnsupportedFile,
    /// A JSON line that does not parse, or is not an object.
    BrokenJson,
    /// A CSV record that does not parse.
    BrokenCsv,
    /// A field has a type that cannot be used (e.g. the text is a number or an array).
    WrongFieldType,
    /// The record has no text field.
    MissingText,
    /// The record has neither title nor text with any word in it (kept, flagged).
    EmptyText,
    /// An id already used by an earlier record; the record was renamed.
    DuplicateId,
    /// A date that is in none of the accepted formats; the date was dropped.
    BadDate,
    /// A text longer than the configured limit; it was truncated.
    Truncated,
    /// A record too long to hold in memory (over 4 × the text limit); skipped unread.
    Overlong,
    /// Bytes after the last complete compressed member; ignored as `gzip -dc` does.
    TrailingGarbage,
    /// A directory entry that is not a file or folder that can be read (FIFO, socket,
    /// device, dangling or looping link, a folder that cannot be listed or is too deep).
    NotReadable,
}

impl DiagnosticKind {
    /// A stable snake_case name, as used in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            DiagnosticKind::Unreadable => "unreadable",
            DiagnosticKind::InvalidUtf8 => "invalid_utf8",
            DiagnosticKind::BinaryFile => "binary_file",
            DiagnosticKind::UnsupportedFile => "unsupported_file",
            DiagnosticKind::BrokenJson => "broken_json",
            DiagnosticKind::BrokenCsv => "broken_csv",
            DiagnosticKind::WrongFieldType => "wrong_field_type",
            DiagnosticKind::MissingText => "missing_text",
            DiagnosticKind::EmptyText => "empty_text",
            DiagnosticKind::DuplicateId => "duplicate_id",
            DiagnosticKind::BadDate => "bad_date",
            DiagnosticKind::Truncated => "truncated",
            DiagnosticKind::Overlong => "overlong",
            DiagnosticKind::TrailingGarbage => "trailing_garbage",
            DiagnosticKind::NotReadable => "not_readable",
        }
    }
}

/// One problem with one record or file.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Warning (record kept) or skipped (record dropped).
    pub severity: Severity,
    /// The kind, for counting.
    pub kind: DiagnosticKind,
    /// Where: file and line.
    pub origin: Origin,
    /// The record's id, when it is known.
    pub id: Option<String>,
    /// A human-readable explanation.
    pub message: String,
}

impl Diagnostic {
    /// A problem that leaves the record in the corpus.
    pub fn warning(kind: DiagnosticKind, origin: Origin, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            kind,
            origin,
            id: None,
            message: message.into(),
        }
    }

    /// A problem that drops the record.
    pub fn skipped(kind: DiagnosticKind, origin: Origin, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Skipped,
            kind,
            origin,
            id: None,
            message: message.into(),
        }
    }

    /// Attaches the record's id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.severity {
            Severity::Warning => "warning",
            Severity::Skipped => "skipped",
        };
        // For a terminal: ids, paths and messages quote the input, which may hold escapes.
        let mut line = format!("{what}: {}: {}", self.origin, self.message);
        if let Some(id) = &self.id {
            line = format!("{line} (id {id})");
        }
        f.write_str(&super::terminal_safe(&line))
    }
}

/// All problems of a run, in the order they were found.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct Diagnostics {
    /// Every problem, in input order.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Number of problems of each kind, by name, sorted by name.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for d in &self.items {
            *counts.entry(d.kind.name()).or_insert(0) += 1;
        }
        counts
    }

    /// Number of records that were dropped.
    pub fn skipped(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Skipped)
            .count()
    }

    /// Number of problems of one kind.
    pub fn count(&self, kind: DiagnosticKind) -> usize {
        self.items.iter().filter(|d| d.kind == kind).count()
    }
}
