//! Damaged compressed input (issue 14 review): a cut-short, corrupted or garbage-padded
//! gzip, zstd, bzip2 or xz file yields every record that the format's own decoder (read a
//! byte at a time, so that nothing it decoded is lost) and the system tool (`gzip -dc`, …,
//! when installed) recover before the damage, and the damage is reported once.

use std::io::{Read, Write};
use std::path::Path;
use storyclust::corpus::{read_corpus, Corpus, DiagnosticKind, ReadOptions, Severity};

#[derive(Clone, Copy, Debug)]
enum Format {
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

const FORMATS: [Format; 4] = [Format::Gzip, Format::Zstd, Format::Bzip2, Format::Xz];

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Gzip => "gz",
            Format::Zstd => "zst",
            Format::Bzip2 => "bz2",
            Format::Xz => "xz",
        }
    }

    fn tool(self) -> &'static str {
        match self {
            Format::Gzip => "gzip",
            Format::Zstd => "zstd",
            Format::Bzip2 => "bzip2",
            Format::Xz => "xz",
        }
    }

    fn compress(self, data: &[u8]) -> Vec<u8> {
        match self {
            Format::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Format::Zstd => zstd::encode_all(data, 3).unwrap(),
            Format::Bzip2 => {
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::new(1));
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Format::Xz => {
                let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
        }
    }

    /// The crate's own multi-member decoder, read one byte at a time up to its first error.
    fn reference(self, data: &[u8]) -> Vec<u8> {
        let mut reader: Box<dyn Read> = match self {
            Format::Gzip => Box::new(flate2::read::MultiGzDecoder::new(data)),
            Format::Zstd => Box::new(zstd::stream::read::Decoder::new(data).unwrap()),
            Format::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(data)),
            Format::Xz => Box::new(liblzma::read::XzDecoder::new_multi_decoder(data)),
        };
        let (mut out, mut byte) = (Vec::new(), [0u8; 1]);
        while let Ok(1) = reader.read(&mut byte) {
            out.push(byte[0]);
        }
        out
    }

    /// What the system tool writes before it stops, if the tool is installed.
    fn system_tool(self, path: &Path) -> Option<Vec<u8>> {
        let out = std::process::Command::new(self.tool())
            .arg("-dc")
            .arg(path)
            .output()
            .ok()?;
        Some(out.stdout)
    }
}

/// Records with varied words, so that zstd writes several blocks and bzip2 several.
fn payload() -> Vec<String> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..1500)
        .map(|i| {
            let words: Vec<String> = (0..80).map(|_| format!("w{}", next() % 50_000)).collect();
            serde_json::json!({"id": format!("d{i}"), "text": words.join(" ")}).to_string()
        })
        .collect()
}

/// How many complete lines at the start of `bytes` are the original records, unchanged.
fn intact_lines(bytes: &[u8], records: &[String]) -> usize {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .zip(records)
        .take_while(|(line, record)| line.strip_suffix(b"\n") == Some(record.as_bytes()))
        .count()
}

/// How many documents at the start of the corpus are the original records, unchanged.
fn intact_documents(corpus: &Corpus, records: &[String]) -> usize {
    corpus
        .documents
        .iter()
        .zip(records)
        .take_while(|(doc, record)| {
            let value: serde_json::Value = serde_json::from_str(record).unwrap();
            doc.id == value["id"] && doc.body == value["text"]
        })
        .count()
}

struct Case {
    name: String,
    bytes: Vec<u8>,
    /// Only trailing garbage: every record must be read, with a warning.
    garbage_only: bool,
}

fn cases(compressed: &[u8]) -> Vec<Case> {
    let n = compressed.len();
    let mut cases = Vec::new();
    for percent in [30, 60, 90] {
        cases.push(Case {
            name: format!("cut at {percent}%"),
            bytes: compressed[..n * percent / 100].to_vec(),
            garbage_only: false,
        });
        let mut corrupt = compressed.to_vec();
        let at = n * (percent - 10) / 100;
        corrupt[at..at + 4].copy_from_slice(&[0xFF; 4]);
        cases.push(Case {
            name: format!("corrupt at {}%", percent - 10),
            bytes: corrupt,
            garbage_only: false,
        });
    }
    for garbage in [&b"GARBAGE_GARBAGE\n"[..], b"\x01", b"BZh0 not a stream"] {
        let mut padded = compressed.to_vec();
        padded.extend_from_slice(garbage);
        cases.push(Case {
            name: format!("padded with {:?}", String::from_utf8_lossy(garbage)),
            bytes: padded,
            garbage_only: true,
        });
    }
    // Two members, then garbage: both are read.
    let mut twice = compressed.to_vec();
    twice.extend_from_slice(compressed);
    twice.extend_from_slice(b"junk");
    cases.push(Case {
        name: "two members then garbage".into(),
        bytes: twice,
        garbage_only: true,
    });
    cases
}

fn read(path: &Path, strict: bool) -> storyclust::Result<Corpus> {
    let mut options = ReadOptions::default();
    options.strict = strict;
    read_corpus(&[path], &options)
}

#[test]
fn damaged_compressed_files_keep_every_record_decoded_before_the_damage() {
    let records = payload();
    let plain: String = records.iter().map(|r| format!("{r}\n")).collect();
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let compressed = format.compress(plain.as_bytes());
        for case in cases(&compressed) {
            let what = format!("{format:?}, {}", case.name);
            let path = dir.path().join(format!("in.jsonl.{}", format.extension()));
            std::fs::write(&path, &case.bytes).unwrap();
            let reference = intact_lines(&format.reference(&case.bytes), &records);
            let corpus = read(&path, false);
            let got = corpus.as_ref().map_or(0, |c| intact_documents(c, &records));
            assert!(
                got >= reference,
                "{what}: {got} records, the decoder gives {reference}"
            );
            if let Some(tool) = format.system_tool(&path) {
                let tool = intact_lines(&tool, &records);
                assert!(
                    got >= tool,
                    "{what}: {got} records, {} -dc gives {tool}",
                    format.tool()
                );
            }
            let Ok(corpus) = corpus else {
                assert_eq!(reference, 0, "{what}: fails though records were decoded");
                continue;
            };
            let damage: Vec<_> = corpus
                .diagnostics
                .items
                .iter()
                .filter(|d| {
                    matches!(
                        d.kind,
                        DiagnosticKind::Unreadable | DiagnosticKind::TrailingGarbage
                    )
                })
                .collect();
            assert_eq!(damage.len(), 1, "{what}: damage reported once: {damage:?}");
            assert_eq!(*damage[0].origin.file, path, "{what}");
            assert!(damage[0].message.contains("compressed byte"), "{what}");
            if case.garbage_only {
                let copies = if case.name.starts_with("two") { 2 } else { 1 };
                assert_eq!(corpus.documents.len(), records.len() * copies, "{what}");
                assert_eq!(damage[0].kind, DiagnosticKind::TrailingGarbage, "{what}");
                assert_eq!(damage[0].severity, Severity::Warning, "{what}");
                assert_eq!(
                    corpus.diagnostics.items.len(),
                    1 + (copies - 1) * records.len()
                );
                assert_eq!(
                    damage[0].origin.line,
                    Some((records.len() * copies) as u64 + 1)
                );
            } else if case.name.starts_with("cut") {
                // A clean prefix: exactly the complete lines decoded, then the cut record.
                assert_eq!(corpus.documents.len(), reference, "{what}");
                assert_eq!(damage[0].origin.line, Some(reference as u64 + 1), "{what}");
            }
            // Damage of any kind is fatal under --strict.
            assert!(
                matches!(read(&path, true), Err(storyclust::Error::Strict { .. })),
                "{what}: --strict"
            );
        }
    }
}
