//! Inputs the fuzzers (`fuzz/`) stopped on, kept so that what they found stays fixed. Each is
//! checked with the same invariants as its fuzz target.
//!
//! - `csv/`: rows separated by lone CRs were given line numbers that no line end counted
//!   (fixed: CR, LF and CRLF all end a line).
//! - `headline/`: a 26-word title line of 166 characters; the target assumed every headline
//!   is cut at 120 characters, but only first sentences are (title lines may be 4 × longer).

use std::path::{Path, PathBuf};
use storyclust::corpus::{read_from, Document, InputFormat, ReadOptions};
use storyclust::text::{analyze, AnalysisOptions, HeadlineSource};

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

/// Lines as an editor counts them: CR, LF and CRLF each end one.
fn line_count(bytes: &[u8]) -> u64 {
    1 + bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count() as u64
}

#[test]
fn csv_inputs_get_line_numbers_within_the_file() {
    for (path, input) in inputs("csv") {
        let (&selector, data) = input.split_first().unwrap();
        let (name, format, separator) = if selector & 1 == 0 {
            ("f.csv", InputFormat::Csv, ",")
        } else {
            ("f.tsv", InputFormat::Tsv, "\t")
        };
        let mut bytes = Vec::new();
        if selector & 2 == 0 {
            bytes.extend_from_slice(
                format!("id{separator}title{separator}text{separator}date\n").as_bytes(),
            );
        }
        bytes.extend_from_slice(data);
        let lines = line_count(&bytes);
        let options = ReadOptions {
            format,
            ..ReadOptions::default()
        };
        match read_from(Path::new(name), std::io::Cursor::new(bytes), &options) {
            Ok(corpus) => {
                for doc in &corpus.documents {
                    let line = doc.origin.line.unwrap();
                    assert!(
                        (2..=lines).contains(&line),
                        "{path:?}: line {line} of {lines}"
                    );
                }
            }
            Err(e) => assert!(selector & 2 != 0, "{path:?}: {e}"),
        }
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
    for (path, input) in inputs("headline") {
        let text = String::from_utf8_lossy(&input);
        let middle = text
            .char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        let (first, second) = text.split_at(middle);
        let docs: Vec<Document> = [first, second]
            .iter()
            .enumerate()
            .map(|(i, body)| Document {
                source: Some("site".into()),
                ..Document::new(format!("d{i}"), body.to_string())
            })
            .collect();
        let analyzed = analyze(&docs, &AnalysisOptions::default());
        for (doc, a) in docs.iter().zip(&analyzed.documents) {
            let (limit, words) = match a.headline_source {
                HeadlineSource::Title | HeadlineSource::Line(_) => (4 * 120 + 1, 30),
                HeadlineSource::FirstSentence | HeadlineSource::None => (121, usize::MAX),
            };
            assert!(a.headline.chars().count() <= limit, "{path:?}");
            assert!(a.headline.split_whitespace().count() <= words, "{path:?}");
            for line in &a.lines {
                assert!(doc.body.get(line.text.clone()).is_some());
            }
        }
    }
}
