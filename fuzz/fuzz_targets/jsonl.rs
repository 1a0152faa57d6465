//! The JSON Lines reader on arbitrary bytes: never panics, and every record is a document
//! or a diagnostic that names a line of the input.
#![no_main]

#[path = "../checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use storyclust::corpus::{read_from, InputFormat, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions {
        format: InputFormat::Jsonl,
        max_text_bytes: 256,
        ..ReadOptions::default()
    };
    let corpus = read_from(
        Path::new("fuzz.jsonl"),
        std::io::Cursor::new(data.to_vec()),
        &options,
    )
    .expect("a JSONL stream is always readable");
    let lines = checks::line_count(data);
    for doc in &corpus.documents {
        let line = doc.origin.line.expect("records have lines");
        assert!(line >= 1 && line <= lines, "line {line} of {lines}");
        assert!(doc.body.len() <= 256);
    }
    for diagnostic in &corpus.diagnostics.items {
        assert!(diagnostic.origin.line.is_some_and(|l| l >= 1 && l <= lines));
    }
});
