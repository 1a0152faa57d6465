//! Library errors. Each message says what went wrong and, where it can, what to do about it.

use std::path::PathBuf;

/// Errors that stop a whole operation (as opposed to [`crate::corpus::Diagnostic`]s, which
/// concern one record and let the run go on).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input path could not be opened or read.
    #[error(
        "cannot read {path}: {source}{}",
        hint(source, "the path exists and is readable")
    )]
    Read {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// An output file could not be written.
    #[error(
        "cannot write {}: {source}{}",
        output_name(path),
        hint(source, "the folder exists and is writable")
    )]
    Write {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The input's format could not be determined or is not supported.
    #[error("{path}: {message}")]
    Format {
        /// The offending input.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A record was bad and `--strict` asked for bad records to be fatal.
    #[error(
        "{origin}: {message} (stopped because of --strict; drop --strict to skip bad records)"
    )]
    Strict {
        /// Where the bad record is (file:line).
        origin: String,
        /// What is wrong with it.
        message: String,
    },
    /// An option has a value that cannot work (see each options type's `check`).
    #[error("invalid option {field}: {why}")]
    InvalidOption {
        /// The option, as the library names it (`dedup.threshold`).
        field: &'static str,
        /// What is wrong and what would work.
        why: String,
    },
    /// A stage was given outputs of earlier stages that were not made from its documents
    /// (see [`crate::minhash::check_inputs`]).
    #[error(
        "{what} cover {got} documents, but {expected} documents were given: pass each stage \
         the documents and the outputs of the earlier stages made from those same documents, \
         in the same order"
    )]
    Mismatch {
        /// What does not match the documents (`the analysis`, `the near-duplicates`…).
        what: &'static str,
        /// How many documents were given.
        expected: usize,
        /// How many the other input covers.
        got: usize,
    },
    /// A stage's output no longer holds what was asked of it.
    #[error("{what} {why}")]
    Unavailable {
        /// What was asked for (`shingle sets`…).
        what: &'static str,
        /// Why it is missing and what to do.
        why: String,
    },
    /// A document index past the end of the corpus.
    #[error("document {index} does not exist: the corpus has {documents} documents")]
    NoSuchDocument {
        /// The index asked for.
        index: usize,
        /// How many documents there are.
        documents: usize,
    },
    /// An HTML report could not be rendered (a defect of its template).
    #[error("cannot render the HTML report: {0}")]
    Render(String),
    /// The observer asked the run to stop ([`crate::progress::PipelineObserver::should_stop`]).
    #[error("interrupted")]
    Interrupted,
}

/// `Ok` when `ok`, else the invalid-option error for `field`.
pub(crate) fn ensure(ok: bool, field: &'static str, why: impl FnOnce() -> String) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidOption { field, why: why() })
    }
}

/// `Ok` when an input covering `got` documents matches the `expected` documents.
pub(crate) fn ensure_same(what: &'static str, expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::Mismatch {
            what,
            expected,
            got,
        })
    }
}

/// `Ok` when `value` is in `low..=high` (NaN never is).
pub(crate) fn ensure_within(field: &'static str, value: f64, low: f64, high: f64) -> Result<()> {
    ensure((low..=high).contains(&value), field, || {
        format!("{value} is not in [{low}, {high}]")
    })
}

/// An output's path as a message names it: `-` is standard output.
fn output_name(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        "to standard output".into()
    } else {
        path.display().to_string()
    }
}

/// Advice about the path, only for errors that the path can cause (not, say, out of memory).
fn hint(error: &std::io::Error, what: &str) -> String {
    use std::io::ErrorKind::*;
    match error.kind() {
        NotFound | PermissionDenied | NotADirectory | IsADirectory | ReadOnlyFilesystem
        | InvalidFilename => format!(" (check that {what})"),
        _ => String::new(),
    }
}

/// Result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
