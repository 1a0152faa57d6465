//! Documents and the readers that turn files into them.
//!
//! Every input record either becomes a [`Document`] in a [`Corpus`] or a [`Diagnostic`] saying
//! why not, with the file and line it came from: nothing is lost silently.

mod atomic;
mod compressed;
mod date;
mod delimited;
mod diagnostics;
mod dir;
mod document;
mod escape;
mod fields;
mod input;
mod records;
mod sniff;
mod writer;

pub use atomic::{outputs_in_progress, remove_unfinished_outputs, write_atomic};
pub use date::{DateProblem, Timestamp};
pub use diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Severity};
pub use dir::folder_reads;
pub use document::{Corpus, Document, Origin, Verbatim};
pub use escape::{
    csv_cell, markdown_text, terminal_safe, tsv_escape, tsv_unescape, tsv_unescape_str,
};
pub use fields::{check_fields, Field, FieldsSeen};
pub use input::{
    read_corpus, read_corpus_observed, read_from, FieldNames, InputFormat, ReadOptions,
};
pub use records::decode_html_entities;
pub use records::lookup as field_at;
pub use writer::{
    extension_format, output_extension, output_format, write_documents, DOCUMENT_EXTENSIONS,
};
