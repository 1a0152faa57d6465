//! Inputs the fuzzers (`fuzz/`) stopped on, kept so that what they found stays fixed. Each is
//! checked with the same invariants as its fuzz target.
//!
//! - `csv/`: rows separated by lone CRs were given line numbers that no line end counted
//!   (fixed: CR, LF and CRLF all end a line).
//! - `compressed/`: a gzip stream cut short and then padded with garbage, whose garbage the
//!   decoder took as more compressed data (as gzip -dc does); the target held such a stream
//!   to the prefix rule that only cut or only padded streams follow (target fixed).
//! - `headline/`: a 26-word title line of 166 characters; the target assumed every headline
//!   is cut at 120 characters, but only first sentences are (title lines may be 4 × longer).

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};
use storyclust::corpus::{read_from, ReadOptions};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn csv_inputs_get_line_numbers_within_the_file() {
    for (_, input) in inputs("csv") {
        checks::check_csv(&input);
    }
}

#[test]
fn lone_cr_line_ends_count_as_lines() {
    let bytes = b"id,text\rone,first\rtwo,second,extra\rthree,third\r".to_vec();
    let corpus = read_from(
        Path::new("mac.csv"),
        std::io::Cursor::new(bytes),
        &ReadOptions::default(),
    )
    .unwrap();
    let lines: Vec<u64> = corpus
        .documents
        .iter()
        .map(|d| d.origin.line.unwrap())
        .collect();
    assert_eq!(lines, [2, 4]);
    assert_eq!(corpus.diagnostics.items[0].origin.line, Some(3));
}

#[test]
fn headline_inputs_keep_their_limits() {
    for (_, input) in inputs("headline") {
        checks::check_headline(&input);
    }
}

#[test]
fn compressed_streams_cut_or_padded_keep_their_complete_records() {
    for (_, input) in inputs("compressed") {
        checks::check_compressed(&input);
    }
    let payload = b"{\"id\": \"a\", \"text\": \"one\"}\r{\"id\": \"b\", \"text\": \"two\"}\r\n{\"id\": \"a\"}\n";
    for mode in 0..4u8 {
        for keep in [0u8, 40, 128, 200, 254, 255] {
            checks::check_compressed(&[&[mode, keep][..], payload].concat());
        }
    }
}
