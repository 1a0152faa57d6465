//! The invariants of the `csv` and `headline` fuzz targets, shared with the regression test
//! (`tests/fuzz_regressions.rs`) that replays what the fuzzers found.
// Each includer uses only its own check.
#![allow(dead_code)]

use std::path::Path;
use storyclust::corpus::{read_from, Document, InputFormat, ReadOptions};
use storyclust::text::{analyze, AnalysisOptions, HeadlineSource};
use storyclust::Error;

/// Lines as an editor counts them: CR, LF and CRLF each end one.
pub fn line_count(bytes: &[u8]) -> u64 {
    1 + bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count() as u64
}

/// The first byte chooses CSV or TSV (bit 0) and whether a header naming the text column is
/// put first (bit 1 clear), so that the records themselves get fuzzed too. Readers never
/// panic; a header without a text column is refused as a whole; documents and diagnostics
/// name lines within the file.
pub fn check_csv(input: &[u8]) {
    let Some((&selector, data)) = input.split_first() else {
        return;
    };
    let (name, format, separator) = if selector & 1 == 0 {
        ("fuzz.csv", InputFormat::Csv, ",")
    } else {
        ("fuzz.tsv", InputFormat::Tsv, "\t")
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
                let line = doc.origin.line.expect("records have lines");
                assert!((2..=lines).contains(&line), "line {line} of {lines}");
            }
            for diagnostic in &corpus.diagnostics.items {
                assert!(diagnostic
                    .origin
                    .line
                    .is_some_and(|l| (1..=lines).contains(&l)));
            }
        }
        Err(Error::Format { message, .. }) => assert!(selector & 2 != 0, "{message}"),
        Err(other) => panic!("{other}"),
    }
}

/// The input, split in two pages from one source (so that recurring lines are looked for as
/// well), goes through analysis: no panic; titles and title lines (at most 30 words) may run
/// to 4 × 120 characters, first sentences are cut at 120 plus the ellipsis; lines point
/// into the body.
pub fn check_headline(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
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
        assert!(a.headline.chars().count() <= limit, "{:?}", a.headline);
        assert!(
            a.headline.split_whitespace().count() <= words,
            "{:?}",
            a.headline
        );
        for line in &a.lines {
            assert!(doc.body.get(line.text.clone()).is_some());
        }
        assert!(a.tokens.len() <= a.total_tokens);
    }
}
