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
    let options = {
        let mut o = ReadOptions::default();
        o.format = format;
        o
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
        .map(|(i, body)| {
            let mut doc = Document::new(format!("d{i}"), body.to_string());
            doc.source = Some("site".into());
            doc
        })
        .collect();
    let analyzed =
        analyze(&docs, &AnalysisOptions::default()).expect("the defaults pass their check");
    for (doc, a) in docs.iter().zip(&analyzed.documents) {
        let (limit, words) = match a.headline_source {
            HeadlineSource::Title | HeadlineSource::Line(_) => (4 * 120 + 1, 30),
            HeadlineSource::FirstSentence | HeadlineSource::None => (121, usize::MAX),
            other => panic!("a headline source these checks do not know: {other:?}"),
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

/// The first byte chooses gzip or zstd (bit 0) and trailing garbage (bit 1), the second how
/// much of the compressed stream is kept (255: all); the rest is a JSON Lines payload. Read
/// from a file, the damaged stream gives the documents of the payload read directly, or a
/// prefix of them when it was cut: every complete record before the damage, nothing else.
/// (A stream both cut and padded is only read: its garbage is decoded as data.)
pub fn check_compressed(input: &[u8]) {
    use std::io::Write;
    let Some((&[mode, keep], payload)) = input.split_first_chunk::<2>() else {
        return;
    };
    let (mut packed, ext) = if mode & 1 == 0 {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(payload).unwrap();
        (enc.finish().unwrap(), "gz")
    } else {
        (zstd::stream::encode_all(payload, 1).unwrap(), "zst")
    };
    let cut = keep != 255;
    packed.truncate(packed.len() * usize::from(keep) / 255);
    if mode & 2 != 0 {
        packed.extend_from_slice(b"\0garbage");
    }
    let dir = std::env::temp_dir().join(format!("storyclust-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("x.jsonl.{ext}"));
    std::fs::write(&path, &packed).unwrap();
    let damaged = storyclust::corpus::read_corpus(&[&path], &ReadOptions::default())
        .expect("a compressed JSONL file is always readable");
    let whole = read_from(
        Path::new("x.jsonl"),
        std::io::Cursor::new(payload.to_vec()),
        &ReadOptions::default(),
    )
    .unwrap();
    let docs = |c: &storyclust::corpus::Corpus| -> Vec<(String, String)> {
        c.documents
            .iter()
            .map(|d| (d.id.clone(), d.body.clone()))
            .collect()
    };
    let (damaged_docs, whole_docs) = (docs(&damaged), docs(&whole));
    if cut && mode & 2 != 0 {
        // Garbage after a cut goes on as compressed data: gzip -dc decodes it too.
        return;
    }
    if cut {
        assert!(
            whole_docs.starts_with(&damaged_docs),
            "{damaged_docs:?} / {whole_docs:?}"
        );
    } else {
        assert_eq!(damaged_docs, whole_docs);
    }
}
