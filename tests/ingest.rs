//! Reading corpora: every format, every kind of bad input, with a defined outcome each.

use std::io::Write;
use std::path::{Path, PathBuf};
use storyclust::corpus::{read_corpus, DiagnosticKind, ReadOptions, Severity};
use storyclust::Error;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

const JSONL: &str = r#"{"id": "a", "title": "عنوان أول", "text": "نص الخبر الأول", "source": "was", "date": "2015-07-21 02:51:32"}
{"id": "b", "text": "second text", "date": "2015-07-22", "source": "okaz", "url": "http://x"}
"#;

#[test]
fn jsonl_plain_gzip_and_zstd_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let plain = write(dir.path(), "c.jsonl", JSONL.as_bytes());
    let gz = write(dir.path(), "c.jsonl.gz", &gzip(JSONL.as_bytes()));
    let zst = write(
        dir.path(),
        "c.jsonl.zst",
        &zstd::stream::encode_all(JSONL.as_bytes(), 1).unwrap(),
    );
    for path in [plain, gz, zst] {
        let corpus = read_corpus(&[&path], &ReadOptions::default()).unwrap();
        assert_eq!(corpus.documents.len(), 2, "{}", path.display());
        let a = &corpus.documents[0];
        assert_eq!(a.id, "a");
        assert_eq!(a.title.as_deref(), Some("عنوان أول"));
        assert_eq!(a.source.as_deref(), Some("was"));
        assert_eq!(a.date.unwrap().to_string(), "2015-07-21T02:51:32Z");
        assert_eq!(a.origin.line, Some(1));
        assert_eq!(corpus.documents[1].url.as_deref(), Some("http://x"));
        assert!(corpus.diagnostics.items.is_empty());
    }
}

#[test]
fn field_names_are_configurable_and_missing_ids_are_generated_stably() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "x.jsonl",
        "{\"body\": \"hello world\", \"headline\": \"Hi\"}\n{\"body\": \"hello world\", \"headline\": \"Hi\"}\n".as_bytes(),
    );
    let mut options = ReadOptions::default();
    options.fields.text = vec!["body".into()];
    options.fields.title = "headline".into();
    let corpus = read_corpus(&[&path], &options).unwrap();
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert!(ids[0].starts_with("doc-"));
    assert_eq!(
        ids[1],
        format!("{}#2", ids[0]),
        "same content, same id, renamed"
    );
    let again = read_corpus(&[&path], &options).unwrap();
    assert_eq!(again.documents[0].id, ids[0]);
}

#[test]
fn csv_and_tsv_with_headers() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "c.csv",
        "\u{FEFF}id,title,text,date\r\n1,\"T, one\",\"line one\nline two\",2015-07-21\r\n2,T2,text two,\r\n".as_bytes(),
    );
    let tsv = write(dir.path(), "c.tsv", b"id\ttext\n1\tfirst\n2\tsecond\n");
    let corpus = read_corpus(&[&csv, &tsv], &ReadOptions::default()).unwrap();
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "1#2", "2#2"]);
    assert_eq!(corpus.documents[0].title.as_deref(), Some("T, one"));
    assert_eq!(corpus.documents[0].body, "line one\nline two");
    assert_eq!(
        corpus.documents[1].origin.line,
        Some(4),
        "records spanning lines count right"
    );
    assert_eq!(corpus.diagnostics.count(DiagnosticKind::DuplicateId), 2);

    let no_text = write(dir.path(), "bad.csv", b"id,body\n1,x\n");
    let err = read_corpus(&[&no_text], &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("--text-field"), "{err}");
}

#[test]
fn directories_are_read_recursively_in_path_order_and_skip_binaries() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "b.txt",
        "Second headline here\nSecond body.".as_bytes(),
    );
    write(dir.path(), "a/c.md", "# Third\nbody".as_bytes());
    write(dir.path(), "a.txt", "First".as_bytes());
    write(
        dir.path(),
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    write(dir.path(), "notes.bin", b"\x00\x01\x02");
    write(dir.path(), "readme.rst", b"not an article");
    write(dir.path(), ".hidden.txt", b"never read");
    write(
        dir.path(),
        "more.jsonl",
        br#"{"id": "j1", "text": "from jsonl"}"#,
    );
    let corpus = read_corpus(&[dir.path()], &ReadOptions::default()).unwrap();
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["c", "a", "b", "j1"]);
    let kinds: Vec<_> = corpus
        .diagnostics
        .items
        .iter()
        .map(|d| (d.kind, d.severity))
        .collect();
    assert!(kinds.contains(&(DiagnosticKind::BinaryFile, Severity::Skipped)));
    assert!(kinds.contains(&(DiagnosticKind::UnsupportedFile, Severity::Skipped)));
    assert_eq!(corpus.diagnostics.count(DiagnosticKind::BinaryFile), 2);
    assert!(corpus.bytes_read > 0);
}

#[test]
fn bad_records_are_reported_with_file_and_line_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"\xEF\xBB\xBF{\"id\": \"ok1\", \"text\": \"fine\"}\r\n");
    bytes.extend_from_slice(b"{\"id\": \"broken\", \"text\": \n");
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(b"{\"id\": \"bad-utf8\", \"text\": \"caf\xE9 au lait\"}\n");
    bytes.extend_from_slice(b"{\"id\": \"empty\", \"text\": \"  \"}\n");
    bytes.extend_from_slice(b"{\"id\": \"no-text\", \"title\": \"only a title\"}\n");
    bytes.extend_from_slice(b"{\"id\": \"typed\", \"text\": {\"nested\": 1}}\n");
    bytes.extend_from_slice(b"{\"id\": \"ok1\", \"text\": \"again\", \"date\": \"yesterday\"}\n");
    bytes.extend_from_slice(b"[1, 2, 3]\n");
    bytes.extend_from_slice(b"{\"id\": 7, \"text\": \"numeric id\"}");
    let path = write(dir.path(), "bad.jsonl", &bytes);
    let corpus = read_corpus(&[&path], &ReadOptions::default()).unwrap();
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["ok1", "bad-utf8", "empty", "ok1#2", "7"]);
    assert_eq!(corpus.documents[1].body, "caf\u{FFFD} au lait");
    let report: Vec<(DiagnosticKind, Option<u64>)> = corpus
        .diagnostics
        .items
        .iter()
        .map(|d| (d.kind, d.origin.line))
        .collect();
    use DiagnosticKind::*;
    assert_eq!(
        report,
        [
            (BrokenJson, Some(2)),
            (InvalidUtf8, Some(4)),
            (EmptyText, Some(5)),
            (MissingText, Some(6)),
            (WrongFieldType, Some(7)),
            (BadDate, Some(8)),
            (DuplicateId, Some(8)),
            (BrokenJson, Some(9)),
        ]
    );
    let utf8 = &corpus.diagnostics.items[1];
    assert!(utf8.message.contains("byte offset"), "{}", utf8.message);
    assert!(utf8.to_string().contains("bad.jsonl:4"), "{utf8}");
    assert_eq!(corpus.diagnostics.skipped(), 4);

    let strict = {
        let mut o = ReadOptions::default();
        o.strict = true;
        o
    };
    match read_corpus(&[&path], &strict) {
        Err(Error::Strict { origin, .. }) => assert!(origin.ends_with("bad.jsonl:2"), "{origin}"),
        other => panic!("expected a strict error, got {other:?}"),
    }
}

#[test]
fn lines_longer_than_a_chunk_and_texts_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 10 MB on one line, more than a read chunk, under the record limit of 4 × 3 MiB + 1 MiB:
    // kept and truncated. 20 MB is over the limit: streamed past, skipped with a diagnostic.
    let long = "كلمة ".repeat(1_000_000);
    let huge = "كلمة ".repeat(2_000_000);
    let line = format!(
        "{{\"id\": \"long\", \"text\": \"{long}\"}}\n{{\"id\": \"huge\", \"text\": \"{huge}\"}}\r\n{{\"id\": \"after\", \"text\": \"x\"}}\n"
    );
    let path = write(dir.path(), "huge.jsonl", line.as_bytes());
    let options = {
        let mut o = ReadOptions::default();
        o.max_text_bytes = 3 << 20;
        o
    };
    let corpus = read_corpus(&[&path], &options).unwrap();
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["long", "after"]);
    assert!(corpus.documents[0].body.len() <= 3 << 20);
    assert_eq!(corpus.documents[1].origin.line, Some(3));
    assert_eq!(corpus.diagnostics.count(DiagnosticKind::Truncated), 1);
    let overlong = &corpus.diagnostics.items.last().unwrap();
    assert_eq!(overlong.kind, DiagnosticKind::Overlong);
    assert_eq!(overlong.origin.line, Some(2));
    assert!(
        overlong
            .message
            .contains(&format!("{} bytes", huge.len() + 26)),
        "{}",
        overlong.message
    );
}

#[test]
fn unreadable_inputs_are_errors_that_say_what_to_do() {
    let err = read_corpus(&["/no/such/file.jsonl"], &ReadOptions::default()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("/no/such/file.jsonl") && message.contains("check that the path exists"),
        "{message}"
    );
    let dir = tempfile::tempdir().unwrap();
    let corrupt = write(
        dir.path(),
        "x.jsonl.gz",
        b"\x1f\x8b\x08\x00garbage that is not deflate",
    );
    let corpus = read_corpus(&[&corrupt], &ReadOptions::default()).unwrap();
    assert_eq!(corpus.diagnostics.count(DiagnosticKind::Unreadable), 1);
}
