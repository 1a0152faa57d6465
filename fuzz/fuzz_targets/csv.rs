//! The CSV and TSV readers on arbitrary bytes: never panic; a header without a text column is
//! refused as a whole, anything else gives documents and diagnostics with lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use storyclust::corpus::{read_from, InputFormat, ReadOptions};
use storyclust::Error;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    let (name, format) = if selector & 1 == 0 {
        ("fuzz.csv", InputFormat::Csv)
    } else {
        ("fuzz.tsv", InputFormat::Tsv)
    };
    // A header that names the text column, so that the records themselves get fuzzed too.
    let mut bytes = Vec::new();
    if selector & 2 == 0 {
        let separator = if format == InputFormat::Csv {
            ","
        } else {
            "\t"
        };
        bytes.extend_from_slice(
            format!("id{separator}title{separator}text{separator}date\n").as_bytes(),
        );
    }
    bytes.extend_from_slice(data);
    // CR, LF and CRLF each end a line.
    let lines = 1 + bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count() as u64;
    let options = ReadOptions {
        format,
        ..ReadOptions::default()
    };
    match read_from(Path::new(name), std::io::Cursor::new(bytes), &options) {
        Ok(corpus) => {
            for doc in &corpus.documents {
                let line = doc.origin.line.expect("records have lines");
                assert!(line >= 2 && line <= lines, "line {line} of {lines}");
            }
            for diagnostic in &corpus.diagnostics.items {
                assert!(diagnostic.origin.line.is_some_and(|l| l >= 1 && l <= lines));
            }
        }
        Err(Error::Format { message, .. }) => assert!(selector & 2 != 0, "{message}"),
        Err(other) => panic!("{other}"),
    }
});
