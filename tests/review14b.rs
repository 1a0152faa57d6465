//! Failures a second hostile review of the command line found: one test per fix.

mod common;
use common::{ok, storyclust, write_jsonl};

use serde_json::json;
use std::path::Path;
use std::process::Command;

/// Runs in `dir` with `stdin` fed to standard input (which the run may leave unread).
fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> std::process::Output {
    common::run_fed(dir, args, stdin).0
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A CSV from Excel ("CSV UTF-8") starts with a byte order mark, often before a quoted
/// header: the ids are read, whichever column comes first, and `dedup -o` keeps the mark.
#[test]
fn a_bom_before_a_quoted_csv_header_is_no_part_of_the_first_column() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        (
            "id_first.csv",
            "\u{FEFF}\"id\",\"text\"\nA1,\"hello world foo\"\n",
        ),
        (
            "text_first.csv",
            "\u{FEFF}\"text\",\"id\"\n\"hello world foo\",A1\n",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let path = path.display().to_string();
        let out = ok(storyclust(&["cluster", &path, "-q", "--format", "jsonl"]));
        let story: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(story["members"][0]["id"], "A1", "{name}: {out}");
        let kept = dir.path().join(format!("kept-{name}"));
        let kept_arg = kept.display().to_string();
        ok(storyclust(&["dedup", &path, "-q", "-o", &kept_arg]));
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), content, "{name}");
    }
}

/// `cat x | storyclust dedup - -o /dev/stdin` used to hang, writing into its own input.
#[cfg(unix)]
#[test]
fn an_output_that_is_the_standard_input_being_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let line = b"{\"id\":\"a\",\"text\":\"hello there world\"}\n";
    for output in ["/dev/stdin", "/proc/self/fd/0"] {
        let out = run_in(dir.path(), &["dedup", "-", "-q", "-o", output], line);
        assert_eq!(out.status.code(), Some(2), "{output}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is the standard input"),
            "{}",
            stderr(&out)
        );
    }
    // Standard input redirected from the file named as the output: refused, file intact.
    let file = dir.path().join("p.jsonl");
    std::fs::write(&file, line).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_storyclust"))
        .args(["dedup", "-", "-q", "-o", "p.jsonl"])
        .current_dir(dir.path())
        .stdin(std::fs::File::open(&file).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--output p.jsonl is the standard input"));
    assert_eq!(std::fs::read(&file).unwrap(), line);
    // Another output, or a device, is fine.
    ok(run_in(
        dir.path(),
        &["dedup", "-", "-q", "-o", "kept.jsonl"],
        line,
    ));
    ok(run_in(
        dir.path(),
        &["dedup", "-", "-q", "-o", "/dev/null"],
        line,
    ));
}

/// An output whose folder is missing, a file, or is itself a folder is refused before the
/// corpus is read (a corpus that would fail to read shows the order), naming option and path.
#[test]
fn unwritable_output_paths_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, &[json!({"id": "a", "text": "hello there world"})]);
    let missing_input = dir.path().join("absent.jsonl").display().to_string();
    let d = dir.path().display().to_string();
    let cases: Vec<(Vec<String>, &str, String)> = vec![
        (
            vec!["cluster".into(), "-o".into(), format!("{d}/no/x.json")],
            "--output",
            format!("the folder {d}/no does not exist"),
        ),
        (
            vec![
                "cluster".into(),
                "--assignments".into(),
                format!("{d}/in.jsonl/a.tsv"),
            ],
            "--assignments",
            "is not a folder".into(),
        ),
        (
            vec!["dedup".into(), "--pairs".into(), format!("{d}/no/p.tsv")],
            "--pairs",
            "does not exist".into(),
        ),
        (
            vec!["stats".into(), "--errors".into(), format!("{d}/no/e.jsonl")],
            "--errors",
            "does not exist".into(),
        ),
        (
            vec!["dedup".into(), "--groups".into(), d.clone()],
            "--groups",
            "is a folder".into(),
        ),
        (
            vec![
                "synth".into(),
                "--gold".into(),
                format!("{d}/no/g.tsv"),
                "--from".into(),
            ],
            "--gold",
            "does not exist".into(),
        ),
    ];
    for (mut args, flag, expected) in cases {
        args.insert(1, "-q".into());
        args.push(missing_input.clone());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = storyclust(&args);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {message}");
        assert!(message.contains(flag), "{args:?}: {message}");
        assert!(message.contains(&expected), "{args:?}: {message}");
    }
}

/// Renaming a duplicate id never takes an id that a later record has: `a`, `a`, `a#2` gives
/// `a`, `a#3`, `a#2`, with the warning naming the new id.
#[test]
fn a_renamed_duplicate_id_takes_no_id_of_a_later_record() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ids.jsonl");
    write_jsonl(
        &input,
        &[
            json!({"id": "a", "text": "rain fell on riyadh today"}),
            json!({"id": "a", "text": "markets rose sharply in jeddah"}),
            json!({"id": "a#2", "text": "a new stadium opened in dammam"}),
            json!({"id": "a", "text": "camels raced in the desert"}),
        ],
    );
    let input = input.display().to_string();
    let errors = dir.path().join("errors.jsonl");
    let errors_arg = errors.display().to_string();
    for threads in ["1", "2"] {
        let out = ok(storyclust(&[
            "cluster",
            &input,
            "-q",
            "--threads",
            threads,
            "--format",
            "jsonl",
            "--errors",
            &errors_arg,
        ]));
        let mut ids: Vec<String> = out
            .lines()
            .flat_map(|l| {
                let story: serde_json::Value = serde_json::from_str(l).unwrap();
                let members = story["members"].as_array().unwrap().clone();
                members
                    .into_iter()
                    .map(|m| m["id"].as_str().unwrap().to_string())
            })
            .collect();
        ids.sort();
        assert_eq!(ids, ["a", "a#2", "a#3", "a#4"], "{out}");
        let log = std::fs::read_to_string(&errors).unwrap();
        let warnings: Vec<serde_json::Value> = log
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let renamed: Vec<&str> = warnings
            .iter()
            .filter(|w| w["kind"] == "duplicate_id")
            .map(|w| w["id"].as_str().unwrap())
            .collect();
        assert_eq!(renamed, ["a#3", "a#4"], "{log}");
        assert!(log.contains("kept as \\\"a#3\\\""), "{log}");
    }
}

/// An output extension that names no format we write is refused (not written as an
/// uncompressed table or in the input's format); `.txt`, no extension and `--format` work.
#[test]
fn an_output_extension_that_names_no_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, &[json!({"id": "a", "text": "hello there world"})]);
    let input = input.display().to_string();
    let path = |name: &str| dir.path().join(name).display().to_string();
    for name in ["x.json.gz", "x.tsv", "x.zst", "x.xml"] {
        let out = storyclust(&["cluster", &input, "-q", "-o", &path(name)]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {message}");
        assert!(message.contains(".json, .jsonl"), "{message}");
        assert!(message.contains("--format"), "{message}");
        assert!(!dir.path().join(name).exists(), "{name}");
    }
    for name in ["x.txt", "x"] {
        ok(storyclust(&["cluster", &input, "-q", "-o", &path(name)]));
        let table = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(!table.starts_with('{'), "{name}: {table}");
    }
    let gz = path("stories.tsv");
    ok(storyclust(&[
        "cluster", &input, "-q", "--format", "csv", "-o", &gz,
    ]));
    for name in ["kept.jsonl.gz", "kept.txt", "kept.xml"] {
        let out = storyclust(&["dedup", &input, "-q", "-o", &path(name)]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {message}");
        assert!(
            message.contains(".jsonl, .ndjson, .json, .csv, .tsv"),
            "{message}"
        );
    }
    ok(storyclust(&["dedup", &input, "-q", "-o", &path("kept")]));
    assert!(std::fs::read_to_string(dir.path().join("kept"))
        .unwrap()
        .starts_with('{'));
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Messages say what is wrong: a date past 9999 is out of range (not in a bad format), a
/// symbolic-link loop is a loop, `--strict` does not say "ignored", and a fixed offset is a
/// time zone.
#[test]
fn messages_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let dates = dir.path().join("dates.jsonl");
    write_jsonl(
        &dates,
        &[
            json!({"id": "late", "text": "hello world", "date": "9999-12-31T23:00:00-05:00"}),
            json!({"id": "local", "text": "hello again", "date": "2015-07-21 02:00"}),
        ],
    );
    let dates = dates.display().to_string();
    let out = storyclust(&["stats", &dates]);
    let message = stderr(&out);
    assert!(message.contains("is out of range"), "{message}");
    assert!(!message.contains("is not YYYY-MM-DD"), "{message}");

    #[cfg(unix)]
    {
        let (a, b) = (dir.path().join("loopa"), dir.path().join("loopb"));
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let out = storyclust(&["stats", &a.display().to_string()]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{message}");
        assert!(message.contains("symbolic-link loop"), "{message}");
        assert!(!message.contains("no such file"), "{message}");
    }

    let mut padded = gzip(b"{\"id\":\"a\",\"text\":\"hello world\"}\n");
    padded.extend_from_slice(b"GARBAGE_GARBAGE\n");
    let gz = dir.path().join("padded.jsonl.gz");
    std::fs::write(&gz, padded).unwrap();
    let gz = gz.display().to_string();
    let lenient = stderr(&storyclust(&["stats", &gz]));
    assert!(lenient.contains("ignored"), "{lenient}");
    let out = storyclust(&["stats", &gz, "--strict"]);
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{message}");
    assert!(message.contains("--strict"), "{message}");
    assert!(!message.contains("ignored"), "{message}");

    for (zone, date) in [
        ("+03:00", "2015-07-20T23:00:00Z"),
        ("-0500", "2015-07-21T07:00:00Z"),
        ("UTC", "2015-07-21T02:00:00Z"),
        ("Asia/Riyadh", "2015-07-20T23:00:00Z"),
    ] {
        let out = ok(storyclust(&[
            "cluster",
            &dates,
            "-q",
            "--format",
            "jsonl",
            "--timezone",
            zone,
        ]));
        assert!(
            out.contains(&format!("\"date\":\"{date}\"")),
            "{zone}: {out}"
        );
    }
    let out = storyclust(&["stats", &dates, "--timezone", "Mars/Olympus"]);
    assert!(
        stderr(&out).contains("fixed offset such as +03:00"),
        "{}",
        stderr(&out)
    );
}

/// Documents without a source are no source named "": they are counted apart.
#[test]
fn documents_without_a_source_are_not_a_source() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    write_jsonl(
        &input,
        &[
            json!({"id": "a", "text": "hello there world"}),
            json!({"id": "b", "text": "more words here", "source": "wire"}),
            json!({"id": "c", "text": "other words there", "source": "  "}),
        ],
    );
    let input = input.display().to_string();
    let stats: serde_json::Value =
        serde_json::from_str(&ok(storyclust(&["stats", &input, "--json"]))).unwrap();
    assert_eq!(stats["source_count"], 1, "{stats}");
    assert_eq!(
        stats["sources"],
        json!([{"name": "wire", "count": 1}]),
        "{stats}"
    );
    assert_eq!(stats["without_source"], 2, "{stats}");
    let text = ok(storyclust(&["stats", &input]));
    assert!(
        text.contains("sources          1: wire 1 (2 documents without a source)"),
        "{text}"
    );
}

/// `--max-text-bytes 0` is refused; a text truncated to nothing (an Arabic letter takes two
/// bytes, so one byte keeps none) is counted as empty.
#[test]
fn max_text_bytes_has_a_floor_and_a_text_cut_to_nothing_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    write_jsonl(
        &input,
        &[
            json!({"id": "ar", "text": "مرحبا بالعالم"}),
            json!({"id": "en", "text": "hello world"}),
        ],
    );
    let input = input.display().to_string();
    let out = storyclust(&["stats", &input, "-q", "--max-text-bytes", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--max-text-bytes"),
        "{}",
        stderr(&out)
    );
    let out = ok(storyclust(&[
        "stats",
        &input,
        "-q",
        "--json",
        "--max-text-bytes",
        "1",
    ]));
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(stats["empty_documents"], 1, "{stats}");
}

/// `eval --help` lists only the options eval takes; one it refuses is named in a sentence
/// whose verb agrees with the number of options.
#[test]
fn eval_help_shows_only_what_eval_takes() {
    let help = ok(storyclust(&["eval", "--help"]));
    assert!(help.contains("--id-field"), "{help}");
    for hidden in [
        "--url-field",
        "--text-field",
        "--title-field",
        "--date-field",
        "--source-field",
        "--timezone",
        "--input-format",
    ] {
        assert!(!help.contains(hidden), "{hidden}: {help}");
    }
    // Still listed where they apply.
    assert!(ok(storyclust(&["cluster", "--help"])).contains("--url-field"));
    for (extra, expected) in [
        (
            &["--url-field", "u"][..],
            "--url-field applies only to the commands",
        ),
        (
            &["--url-field", "u", "--timezone", "UTC"][..],
            "--url-field, --timezone apply only to the commands",
        ),
    ] {
        let mut args = vec!["eval", "pred.tsv", "--gold", "gold.tsv"];
        args.extend(extra);
        let out = storyclust(&args);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
    }
}
