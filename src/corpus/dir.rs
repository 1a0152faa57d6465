//! Directories of articles, and single plain-text documents.

use super::input::{overlong_record, read_file, record_cap, Sink};
use super::records::{build_document, decode_lossy, Parsed, RawRecord};
use super::sniff::{format_from_extension, Compression};
use super::{Diagnostic, DiagnosticKind, InputFormat, Origin, ReadOptions};
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Reads a directory recursively, in path order: `.txt`/`.md` files are one document each
/// (id = file stem); `.jsonl`/`.csv`/`.tsv` files (also `.gz`/`.zst`) are read as records.
/// Hidden entries are passed over; binary and other files are skipped with a warning.
pub(crate) fn read_directory(dir: &Path, options: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let mut files = Vec::new();
    walk(dir, &mut files, sink)?;
    files.sort();
    // Plain-text files are read in parallel; record files stream through their own reader.
    let mut batch: Vec<PathBuf> = Vec::new();
    for path in files {
        let format = match options.format {
            InputFormat::Auto => format_from_extension(&path),
            explicit => Some(explicit),
        };
        match format {
            // Compressed text files stream through the decoders like any other file.
            Some(InputFormat::Text) if Compression::of(&path) == Compression::None => {
                batch.push(path)
            }
            Some(_) => {
                read_text_files(&mut batch, options, sink)?;
                read_record_file(path, options, sink)?;
            }
            None => report_unsupported_file(path, sink)?,
        }
    }
    read_text_files(&mut batch, options, sink)
}

/// Reads the plain-text files of `batch` in parallel, one document each, and empties it.
fn read_text_files(batch: &mut Vec<PathBuf>, options: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let cap = record_cap(options);
    let parsed: Vec<Parsed> = batch
        .par_iter()
        .map(|path| {
            let file = Arc::new(path.clone());
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            if size > cap as u64 {
                let mut d = overlong_record(&file, 1, Some(0), size, cap);
                d.origin = Origin::file(file);
                return Parsed::Skipped(d);
            }
            match std::fs::read(path) {
                Ok(bytes) => read_text_document(file, &bytes, options),
                Err(e) => Parsed::Skipped(Diagnostic::skipped(
                    DiagnosticKind::Unreadable,
                    Origin::file(file),
                    format!("cannot read: {e}"),
                )),
            }
        })
        .collect();
    for path in batch.drain(..) {
        sink.add_bytes(std::fs::metadata(&path).map_or(0, |m| m.len()));
    }
    for p in parsed {
        sink.accept(p)?;
    }
    Ok(())
}

/// Reads a file of records of the folder; one that cannot be read is skipped and reported
/// (unless `--strict` stops the run), and the walk goes on.
fn read_record_file(path: PathBuf, options: &ReadOptions, sink: &mut Sink) -> Result<()> {
    match read_file(&path, options, sink) {
        Err(e @ Error::Strict { .. }) => Err(e),
        Err(e) => sink.report(Diagnostic::skipped(
            DiagnosticKind::Unreadable,
            Origin::file(Arc::new(path)),
            e.to_string(),
        )),
        Ok(()) => Ok(()),
    }
}

/// Reports a file of the folder whose extension names no format read.
fn report_unsupported_file(path: PathBuf, sink: &mut Sink) -> Result<()> {
    let (kind, message) = if looks_binary_file(&path) {
        (DiagnosticKind::BinaryFile, "binary file skipped")
    } else {
        (
            DiagnosticKind::UnsupportedFile,
            "not a .txt, .md, .jsonl, .csv or .tsv file; skipped (use --input-format to read it anyway)",
        )
    };
    sink.report(Diagnostic::skipped(
        kind,
        Origin::file(Arc::new(path)),
        message,
    ))
}

/// Whether reading the folder `dir` would read `file`, which may not exist yet (an output
/// about to be written): it lies inside the folder, under no hidden entry, and the walk
/// takes it by its extension, or by any name when `format` is explicit.
pub fn folder_reads(dir: &Path, file: &Path, format: InputFormat) -> bool {
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return false;
    };
    let Some(file) = resolved(file) else {
        return false;
    };
    let Ok(inside) = file.strip_prefix(&dir) else {
        return false;
    };
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    !hidden && (format != InputFormat::Auto || format_from_extension(&file).is_some())
}

/// The canonical path of `path`, or of its folder joined with its name when it is not there.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = std::fs::canonicalize(path) {
        return Some(path);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
}

/// Folders nested deeper than this are skipped (and reported): deeper trees are almost
/// always link farms or mistakes, and paths grow past what the system accepts.
const MAX_DEPTH: usize = 64;

/// Collects the files under `dir`. A folder that cannot be listed, anything that is not a
/// regular file or folder (FIFO, socket, device), dangling or looping links and links to
/// folders (not followed, so no loop can trap the walk) are skipped and reported.
fn walk(dir: &Path, files: &mut Vec<PathBuf>, sink: &mut Sink) -> Result<()> {
    walk_at(dir, 0, files, sink)
}

fn walk_at(dir: &Path, depth: usize, files: &mut Vec<PathBuf>, sink: &mut Sink) -> Result<()> {
    if depth > MAX_DEPTH {
        return skip_path(
            sink,
            dir,
            format!("folder nested more than {MAX_DEPTH} deep; skipped"),
        );
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // The top folder is what was asked for: not being able to list it is an error.
        Err(source) if depth == 0 => {
            return Err(Error::Read {
                path: dir.to_path_buf(),
                source,
            })
        }
        Err(e) => return skip_path(sink, dir, format!("cannot list this folder: {e}; skipped")),
    };
    let mut entries: Vec<_> = entries.collect();
    entries.sort_by_key(|e| e.as_ref().ok().map(|e| e.file_name()));
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let message = format!("cannot list an entry of this folder: {e}");
                skip_path(sink, dir, message)?;
                continue;
            }
        };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().ok();
        if kind.is_some_and(|t| t.is_dir()) {
            walk_at(&path, depth + 1, files, sink)?;
            continue;
        }
        take_file(path, kind.is_some_and(|t| t.is_symlink()), files, sink)?;
    }
    Ok(())
}

/// Reports `path` as skipped by the walk.
fn skip_path(sink: &mut Sink, path: &Path, message: String) -> Result<()> {
    sink.report(Diagnostic::skipped(
        DiagnosticKind::NotReadable,
        Origin::file(Arc::new(path.to_path_buf())),
        message,
    ))
}

/// Adds `path` (not a folder; `link` when it is a symbolic link) to `files` when it is a
/// regular file, or reports why not.
fn take_file(path: PathBuf, link: bool, files: &mut Vec<PathBuf>, sink: &mut Sink) -> Result<()> {
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_file() => {
            files.push(path);
            Ok(())
        }
        Ok(meta) if meta.is_dir() => skip_path(
            sink,
            &path,
            "symbolic link to a folder; not followed (name the folder itself to read it)".into(),
        ),
        Ok(_) => skip_path(
            sink,
            &path,
            "not a regular file (a pipe, socket or device); skipped".into(),
        ),
        Err(e) if link => skip_path(
            sink,
            &path,
            format!("dangling or looping symbolic link ({e}); skipped"),
        ),
        Err(e) => skip_path(sink, &path, format!("cannot read: {e}; skipped")),
    }
}

fn looks_binary_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8192];
    std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map(|n| looks_binary(&head[..n]))
        .unwrap_or(false)
}

/// Like git: a NUL byte near the start means binary.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// One whole file as one document: id is the file stem, title left for headline extraction.
pub(crate) fn read_text_document(
    file: Arc<PathBuf>,
    bytes: &[u8],
    options: &ReadOptions,
) -> Parsed {
    let origin = Origin::file(file.clone());
    let id = (file.as_path() != Path::new("-")).then(|| file_stem_id(&file));
    if looks_binary(bytes) {
        let skipped = Diagnostic::skipped(
            DiagnosticKind::BinaryFile,
            origin,
            "binary file (it contains NUL bytes) skipped",
        );
        return Parsed::Skipped(match id {
            Some(id) => skipped.with_id(id),
            None => skipped,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Nothing but blanks is no document, as a blank line is no JSON record; said, though,
    // since a whole file (or standard input) was given.
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let what = match id {
            None => "standard input is empty (or blank): it holds no document",
            Some(_) => "the file is empty (or blank): it holds no document",
        };
        return Parsed::Skipped(Diagnostic::skipped(
            DiagnosticKind::MissingText,
            origin,
            what,
        ));
    }
    let (text, warning) = decode_lossy(bytes, &origin, 0);
    let raw = RawRecord {
        id,
        text: Some(text),
        ..RawRecord::default()
    };
    // A plain-text file has no fields: it counts for none of the field options.
    match (build_document(raw, origin, options), warning) {
        (Parsed::Document(doc, mut warnings, _), w) => {
            if let Some(w) = w {
                warnings.insert(0, w.with_id(&doc.id));
            }
            Parsed::Document(doc, warnings, Default::default())
        }
        (parsed, _) => parsed,
    }
}

/// A text file's id: its name without its extension and compression (`a.txt.gz` → `a`,
/// `a.md` → `a`).
fn file_stem_id(file: &Path) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "stdin".into());
    name.trim_end_matches(".gz")
        .trim_end_matches(".zst")
        .trim_end_matches(".bz2")
        .trim_end_matches(".xz")
        .rsplit_once('.')
        .map_or(name.as_str(), |(s, _)| s)
        .to_string()
}
