//! Nothing lost: a corpus with every kind of bad record goes through `cluster`, and each
//! input record ends up in exactly one place, in a story of the output or skipped in the
//! error report with its file and line.

mod common;

use common::storyclust;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The CRLF, BOM-prefixed JSONL file: one record per line, each kind of trouble once.
fn feed_jsonl() -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = vec![
        br#"{"id": "ok-en", "title": "Council approves the city budget", "text": "The city council approved the budget on Monday after a long debate about schools and roads."}"#.to_vec(),
        br#"{"id": "broken-json", "text": "the line ends before the string does"#.to_vec(),
        b"{\"id\": \"bad-utf8\", \"text\": \"caf\xE9 au lait and cr\xE8me br\xFBl\xE9e at the festival\"}".to_vec(),
        br#"{"id": "wrong-type", "text": ["a", "list", "instead", "of", "text"]}"#.to_vec(),
        br#"{"id": "no-text", "title": "A title without any text field"}"#.to_vec(),
        br#"{"id": "empty", "title": "", "text": "   \t  "}"#.to_vec(),
        br#"{"id": "ok-en", "text": "A second record that reuses the id of the first one."}"#.to_vec(),
        "{\"id\": \"mixed\", \"text\": \"ترامب and Putin spoke by phone; Кремль 電話 😀 said nothing\"}"
            .as_bytes()
            .to_vec(),
        "{\"id\": \"ok-ar\", \"title\": \"مكالمة بين ترامب وبوتين\", \"text\": \"أعلن الرئيس الأمريكي عن مكالمة هاتفية مع الرئيس الروسي.\"}"
            .as_bytes()
            .to_vec(),
        br#"[1, 2, 3]"#.to_vec(),
        br#"{"id": 42, "text": "A numeric id is read as the string 42.", "date": "not a date"}"#
            .to_vec(),
    ];
    // A 20 MB single line: kept, truncated to --max-text-bytes (8 MiB by default). A 50 MB
    // one is over the record limit (4 × 8 MiB + 1 MiB): streamed past and skipped.
    for (id, size) in [("huge", 20 << 20), ("giant", 50 << 20)] {
        let mut line = format!(r#"{{"id": "{id}", "text": ""#).into_bytes();
        while line.len() < size {
            line.extend_from_slice(b"word after word on a very long line ");
        }
        line.extend_from_slice(b"\"}");
        lines.push(line);
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    for line in lines {
        bytes.extend_from_slice(&line);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// Where each record went: `(id or "-", "story" | "skipped:<kind>")`, keyed by `file[:line]`.
struct Outcome {
    output_ids: Vec<String>,
    skipped: Vec<(String, String, Option<String>)>,
    accounting: Value,
}

fn run(corpus: &Path, work: &Path) -> Outcome {
    let out = work.join("out.json");
    let errors = work.join("errors.jsonl");
    let result = storyclust(&[
        "cluster",
        corpus.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
        "--errors",
        errors.to_str().unwrap(),
        "-q",
    ]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(!stderr.contains("panick"), "{stderr}");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let output_ids = json["stories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["members"].as_array().unwrap())
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    let skipped = std::fs::read_to_string(&errors)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|d| d["severity"] == "skipped")
        .map(|d| {
            let file = d["origin"]["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            let place = match d["origin"]["line"].as_u64() {
                Some(line) => format!("{name}:{line}"),
                None => name.to_string(),
            };
            (
                place,
                d["kind"].as_str().unwrap().to_string(),
                d["id"].as_str().map(String::from),
            )
        })
        .collect();
    Outcome {
        output_ids,
        skipped,
        accounting: json["accounting"].clone(),
    }
}

#[test]
fn every_bad_record_has_one_defined_outcome() {
    let corpus = tempfile::tempdir().unwrap();
    let dir = corpus.path();
    write(dir, "feed.jsonl", &feed_jsonl());
    write(
        dir,
        "table.csv",
        b"\xEF\xBB\xBFid,title,text\r\ncsv-1,Budget vote,\"The council voted, and the budget passed.\"\r\ncsv-2,,\"A row with an empty title\"\r\ncsv-3,Too,many,fields,here\r\n",
    );
    write(
        dir,
        "note.txt",
        "\u{FEFF}Council budget passed\r\n\r\nThe council passed the budget for schools and roads.\r\n"
            .as_bytes(),
    );
    write(
        dir,
        "latin1.txt",
        b"Caf\xE9 owners welcome the budget\n\nThe city's caf\xE9s expect lower fees.\n",
    );
    write(dir, "blob.txt", &[0u8; 4096]);
    write(dir, "image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(
        dir,
        "notes.rtf",
        br"{\rtf1\ansi A format that is not read.}",
    );
    std::fs::create_dir(dir.join("nested")).unwrap();
    write(
        &dir.join("nested"),
        "more.jsonl",
        b"{\"id\": \"nested-1\", \"text\": \"A record in a sub-folder.\"}\n\n{\"id\": \"nested-2\"",
    );

    let work = tempfile::tempdir().unwrap();
    let outcome = run(dir, work.path());

    let mut output = outcome.output_ids.clone();
    output.sort();
    let mut expected = vec![
        "42", "bad-utf8", "csv-1", "csv-2", "empty", "huge", "latin1", "mixed", "nested-1", "note",
        "ok-ar", "ok-en", "ok-en#2",
    ];
    expected.sort();
    assert_eq!(output, expected, "each kept record is in exactly one story");

    let skipped: BTreeMap<String, (String, Option<String>)> = outcome
        .skipped
        .iter()
        .map(|(place, kind, id)| (place.clone(), (kind.clone(), id.clone())))
        .collect();
    assert_eq!(skipped.len(), outcome.skipped.len(), "one report per place");
    let expect = |kind: &str, id: Option<&str>| (kind.to_string(), id.map(String::from));
    let wanted: BTreeMap<String, (String, Option<String>)> = [
        ("blob.txt", expect("binary_file", Some("blob"))),
        ("feed.jsonl:2", expect("broken_json", None)),
        (
            "feed.jsonl:4",
            expect("wrong_field_type", Some("wrong-type")),
        ),
        ("feed.jsonl:5", expect("missing_text", Some("no-text"))),
        ("feed.jsonl:10", expect("broken_json", None)),
        ("feed.jsonl:13", expect("overlong", None)),
        ("image.png", expect("binary_file", None)),
        ("notes.rtf", expect("unsupported_file", None)),
        ("more.jsonl:3", expect("broken_json", None)),
        ("table.csv:4", expect("broken_csv", None)),
    ]
    .into_iter()
    .map(|(place, outcome)| (place.to_string(), outcome))
    .collect();
    assert_eq!(skipped, wanted);
    for (_, id) in skipped.values() {
        if let Some(id) = id {
            assert!(
                !output.contains(&id.as_str().to_string()),
                "{id} is in both"
            );
        }
    }

    let accounting = &outcome.accounting;
    let skipped_total: u64 = accounting["skipped"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(accounting["read"], expected.len());
    assert_eq!(accounting["clustered"], expected.len());
    assert_eq!(skipped_total, wanted.len() as u64);
    assert_eq!(
        accounting["seen"].as_u64().unwrap(),
        expected.len() as u64 + skipped_total
    );

    // The same corpus and options give the same bytes again.
    let again = tempfile::tempdir().unwrap();
    run(dir, again.path());
    for name in ["out.json", "errors.jsonl"] {
        assert_eq!(
            std::fs::read(work.path().join(name)).unwrap(),
            std::fs::read(again.path().join(name)).unwrap(),
            "{name} differs between runs"
        );
    }
}
