//! The accounting invariant on random corpora with random damage: every record written is
//! read back whole or accounted for as skipped (seen = read + skipped), and each id is in
//! exactly one place. Corpora are written by our own writers (JSONL, CSV, TSV) with ids
//! full of tabs, line breaks, quotes, commas, backslashes and escape characters, then given
//! mixed line ends, compressed, cut short or padded with garbage.

use proptest::prelude::*;
use std::io::Write;
use storyclust::corpus::{read_corpus, write_documents, Document, FieldNames, InputFormat};
use storyclust::corpus::{DiagnosticKind, ReadOptions, Severity};

#[derive(Debug, Clone, Copy)]
enum Damage {
    None,
    /// Cut the compressed file at this fraction of its length.
    Cut(f64),
    /// Garbage after the last compressed member.
    Pad,
}

fn id_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just(' '),
            Just('\t'),
            Just('\n'),
            Just('\r'),
            Just('"'),
            Just(','),
            Just('\\'),
            Just('\u{1b}'),
            Just('é'),
        ],
        0..5,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn documents(suffixes: &[String], texts: &[String]) -> Vec<Document> {
    suffixes
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(i, (suffix, text))| Document::new(format!("d{i}{suffix}z"), text.clone()))
        .collect()
}

/// Line ends of the records made LF, CRLF or CR, by `pattern`. Only for formats whose
/// fields hold no raw line break (JSONL escapes them, TSV too).
fn mix_line_ends(bytes: &[u8], pattern: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        match (line.strip_suffix(b"\n"), pattern[i % pattern.len()]) {
            (Some(body), 1) => out.extend_from_slice(&[body, b"\r\n"].concat()),
            (Some(body), 2) => out.extend_from_slice(&[body, b"\r"].concat()),
            _ => out.extend_from_slice(line),
        }
    }
    out
}

fn compress(bytes: &[u8], kind: u8) -> Vec<u8> {
    match kind {
        1 => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(bytes).unwrap();
            enc.finish().unwrap()
        }
        _ => zstd::stream::encode_all(bytes, 3).unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn every_record_is_read_or_skipped_and_each_id_is_in_one_place(
        suffixes in proptest::collection::vec(id_strategy(), 1..40),
        words in proptest::collection::vec("[a-z]{1,8}( [a-z\",]{1,8}){0,30}", 40),
        format in 0usize..3,
        line_ends in proptest::collection::vec(0u8..3, 1..5),
        compression in 0u8..3,
        damage in prop_oneof![Just(Damage::None), Just(Damage::Pad), (0.05f64..0.95).prop_map(Damage::Cut)],
    ) {
        let docs = documents(&suffixes, &words[..suffixes.len()]);
        let (format, ext) = [
            (InputFormat::Jsonl, "jsonl"),
            (InputFormat::Csv, "csv"),
            (InputFormat::Tsv, "tsv"),
        ][format];
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join(format!("c.{ext}"));
        let refs: Vec<&Document> = docs.iter().collect();
        write_documents(&plain, &refs, &FieldNames::default(), format).unwrap();
        let mut bytes = std::fs::read(&plain).unwrap();
        if format != InputFormat::Csv {
            bytes = mix_line_ends(&bytes, &line_ends);
        }
        let written: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
        let (name, bytes, damage) = match compression {
            0 => (format!("c.{ext}"), bytes, Damage::None),
            kind => {
                let mut packed = compress(&bytes, kind);
                match damage {
                    Damage::Cut(f) => packed.truncate((packed.len() as f64 * f) as usize),
                    Damage::Pad => packed.extend_from_slice(b"\0garbage after the end"),
                    Damage::None => {}
                }
                let ext = if kind == 1 { "gz" } else { "zst" };
                (format!("c.{}.{ext}", format_ext(format)), packed, damage)
            }
        };
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let corpus = match read_corpus(&[&path], &ReadOptions::default()) {
            Ok(corpus) => corpus,
            // Cut inside the header row: the file cannot be read as CSV or TSV at all.
            Err(storyclust::Error::Format { .. }) if matches!(damage, Damage::Cut(_)) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        let read: Vec<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
        let skipped = corpus.diagnostics.skipped();
        // Each id in one place: read once, never also skipped.
        let mut unique = read.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), read.len());
        for d in corpus.diagnostics.items.iter().filter(|d| d.severity == Severity::Skipped) {
            prop_assert!(d.id.as_ref().is_none_or(|id| !read.contains(id)));
        }
        match damage {
            Damage::None | Damage::Pad => {
                prop_assert_eq!(&read, &written);
                prop_assert_eq!(skipped, 0);
                let bodies: Vec<&str> = corpus.documents.iter().map(|d| d.body.as_str()).collect();
                let expected: Vec<&str> = docs.iter().map(|d| d.body.as_str()).collect();
                prop_assert_eq!(bodies, expected);
                let garbage = corpus.diagnostics.count(DiagnosticKind::TrailingGarbage);
                prop_assert_eq!(garbage, usize::from(matches!(damage, Damage::Pad)));
            }
            Damage::Cut(_) => {
                // What was read is the records before the cut, in order; the record the cut
                // went through (if any) is the one skipped: seen = read + skipped.
                prop_assert_eq!(&read[..], &written[..read.len()]);
                let lost = written.len() - read.len();
                prop_assert!(skipped <= 1 && (skipped == 1 || lost == 0), "{:?}", corpus.diagnostics);
            }
        }
    }
}

fn format_ext(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Csv => "csv",
        InputFormat::Tsv => "tsv",
        _ => "jsonl",
    }
}
