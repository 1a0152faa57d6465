//! Input mapping (issue 14, point 5): nested field paths, several text fields joined, records
//! written back unchanged by `dedup -o`, the field options in `synth`, `bench` and `eval`, and
//! compression told by magic bytes, on standard input too.

mod common;
use common::{ok, storyclust};

use std::io::Write;
use std::path::Path;
use std::process::Output;

/// Runs the binary with `stdin` as its standard input (a child may exit before reading it).
fn storyclust_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    common::run_fed(Path::new("."), args, stdin).0
}

const STORY: &str = "The city council approved the new budget on Tuesday after a long debate \
about school funding, road repairs and the cost of public transport in the coming year.";

/// Three records in a nested layout: the first two are the same article (a wire copy).
fn nested_records() -> Vec<String> {
    let record = |id: &str, lead: &str, body: &str, date: &str| {
        serde_json::json!({
            "doc": {"id": id},
            "meta": {"published": date, "outlet": "City News"},
            "content": {"lead": lead, "body": body},
            "author": "R. Writer",
            "tags": ["budget", "council"],
        })
        .to_string()
    };
    vec![
        record(
            "a",
            "Budget approved",
            STORY,
            "Tue, 21 Jul 2015 05:51:32 +0300",
        ),
        record("b", "Budget approved", STORY, "2015-07-21T06:00:00+02:00"),
        record(
            "c",
            "Harbour reopens",
            "The harbour reopened to fishing boats on Friday once the storm damage to the \
             northern pier had been repaired by crews working through the night.",
            "1437447092",
        ),
    ]
}

fn write_lines(path: &Path, lines: &[String]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}

const NESTED_FIELDS: [&str; 8] = [
    "--id-field",
    "doc.id",
    "--text-field",
    "content.lead,content.body",
    "--date-field",
    "meta.published",
    "--source-field",
    "meta.outlet",
];

#[test]
fn nested_paths_and_several_text_fields_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("nested.jsonl");
    write_lines(&input, &nested_records());
    let csv = dir.path().join("kept.csv");
    let mut args = vec!["dedup", input.to_str().unwrap(), "-q", "-o"];
    args.push(csv.to_str().unwrap());
    args.extend(NESTED_FIELDS);
    ok(storyclust(&args));
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "doc.id",
            "title",
            "content.lead",
            "meta.outlet",
            "meta.published",
            "url"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    // One of the two copies is dropped; ids, sources and dates come from the nested fields,
    // and the two text fields are joined by a blank line.
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "a");
    assert_eq!(rows[0][2], format!("Budget approved\n\n{STORY}"));
    assert_eq!(rows[0][3], "City News");
    assert_eq!(rows[0][4], "2015-07-21T02:51:32Z");
    assert_eq!(rows[1][0], "c");
    assert_eq!(rows[1][4], "2015-07-21T02:51:32Z");
}

#[test]
fn dedup_output_keeps_each_record_as_it_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("nested.jsonl");
    let records = nested_records();
    write_lines(&input, &records);
    let kept = dir.path().join("kept.jsonl");
    let mut args = vec!["dedup", input.to_str().unwrap(), "-q", "-o"];
    args.push(kept.to_str().unwrap());
    args.extend(NESTED_FIELDS);
    ok(storyclust(&args));
    // Every field (author, tags, nested objects) and the date as written: the kept records
    // byte for byte.
    let written = std::fs::read_to_string(&kept).unwrap();
    assert_eq!(written, format!("{}\n{}\n", records[0], records[2]));

    // The same with flat fields: SaudiNewsNet's layout, with its `author` and its dates.
    let flat = dir.path().join("flat.jsonl");
    let line = |id: &str, text: &str| {
        serde_json::json!({"id": id, "source": "spa", "date": "2015-07-21 02:51:32",
            "title": "t", "author": "الرياض", "text": text})
        .to_string()
    };
    let lines = [line("x", STORY), line("y", STORY)];
    write_lines(&flat, &lines);
    ok(storyclust(&[
        "dedup",
        flat.to_str().unwrap(),
        "-q",
        "-o",
        kept.to_str().unwrap(),
    ]));
    assert_eq!(
        std::fs::read_to_string(&kept).unwrap(),
        format!("{}\n", lines[0])
    );
}

#[test]
fn synth_bench_and_eval_take_the_field_options() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("nested.jsonl");
    write_lines(&input, &nested_records());
    let input = input.to_str().unwrap();

    let synth_out = dir.path().join("synth.jsonl");
    let mut args = vec!["synth", "--from", input, "--copies", "1", "-o"];
    args.push(synth_out.to_str().unwrap());
    args.extend(NESTED_FIELDS);
    ok(storyclust(&args));
    let synth = std::fs::read_to_string(&synth_out).unwrap();
    assert_eq!(synth.lines().count(), 6, "{synth}");
    assert!(synth.contains("Budget approved"), "{synth}");

    let mut args = vec!["bench", input, "--scale", "1", "--threads", "1", "--json"];
    args.extend(NESTED_FIELDS);
    let runs: serde_json::Value = serde_json::from_str(&ok(storyclust(&args))).unwrap();
    assert_eq!(runs["runs"][0]["documents"], 3, "{runs}");

    // eval: the id of JSON Lines predictions at a nested path.
    let gold = dir.path().join("gold.tsv");
    std::fs::write(&gold, "id\tcluster\na\t1\nb\t1\nc\t2\n").unwrap();
    let pred = dir.path().join("pred.jsonl");
    std::fs::write(
        &pred,
        "{\"doc\": {\"id\": \"a\"}, \"cluster\": 7}\n{\"doc\": {\"id\": \"b\"}, \"cluster\": 7}\n\
         {\"doc\": {\"id\": \"c\"}, \"cluster\": 8}\n",
    )
    .unwrap();
    let (gold, pred) = (gold.to_str().unwrap(), pred.to_str().unwrap());
    let scores = ok(storyclust(&[
        "eval",
        "--gold",
        gold,
        pred,
        "--json",
        "--id-field",
        "doc.id",
    ]));
    let scores: serde_json::Value = serde_json::from_str(&scores).unwrap();
    assert_eq!(scores["bcubed_f1"], 1.0, "{scores}");
    // Options that only apply to corpora are refused, not ignored.
    let out = storyclust(&["eval", "--gold", gold, pred, "--text-field", "body"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--text-field"));
}

fn json_str(s: &str) -> serde_json::Value {
    serde_json::Value::String(s.to_string())
}

fn compressed(kind: &str, bytes: &[u8]) -> Vec<u8> {
    match kind {
        "gzip" => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        }
        "zstd" => zstd::stream::encode_all(bytes, 1).unwrap(),
        "bzip2" => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        }
        "xz" => {
            let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        }
        _ => unreachable!(),
    }
}

#[test]
fn compression_is_told_by_magic_bytes_on_files_and_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let plain: String = nested_records().iter().map(|l| format!("{l}\n")).collect();
    let documents = |out: String| {
        let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
        stats["documents"].as_u64().unwrap()
    };
    for kind in ["gzip", "zstd", "bzip2", "xz"] {
        let bytes = compressed(kind, plain.as_bytes());
        // Standard input has no name to go by.
        let mut args = vec!["stats", "-", "-q", "--json"];
        args.extend(NESTED_FIELDS);
        let out = storyclust_with_stdin(&args, &bytes);
        assert_eq!(documents(ok(out)), 3, "{kind} on standard input");
        // Nor has a file named as if it were plain (or in another compression).
        for name in ["corpus.jsonl", "corpus.jsonl.gz"] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let mut args = vec!["stats", path.to_str().unwrap(), "-q", "--json"];
            args.extend(NESTED_FIELDS);
            assert_eq!(documents(ok(storyclust(&args))), 3, "{kind} as {name}");
        }
    }
    // Named by extension in a directory: .bz2 and .xz are read as JSON Lines.
    let sub = dir.path().join("dir");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("a.jsonl.bz2"),
        compressed("bzip2", plain.as_bytes()),
    )
    .unwrap();
    std::fs::write(sub.join("b.jsonl.xz"), compressed("xz", plain.as_bytes())).unwrap();
    // A compressed plain-text article is one document too, named without its extensions.
    std::fs::write(sub.join("story.txt.xz"), compressed("xz", STORY.as_bytes())).unwrap();
    let mut args = vec![
        "stats",
        sub.to_str().unwrap(),
        "-q",
        "--json",
        "--list",
        "10",
    ];
    args.extend(NESTED_FIELDS);
    let out = ok(storyclust(&args));
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    let story = &stats["document_list"][6];
    assert_eq!(story["id"], json_str("story"));
    let headline = story["headline"].as_str().unwrap();
    assert!(
        headline.starts_with("The city council approved"),
        "{headline}"
    );
    // The second file's ids repeat the first's and are renamed, not lost.
    assert_eq!(documents(out), 7);
}
