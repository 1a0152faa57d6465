//! `storyclust stats` driven as a user would: the binary, its output and its exit codes.

mod common;
use common::storyclust;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

#[test]
fn stats_on_the_seeds_finds_five_arabic_documents_and_their_headlines() {
    let stats = json(&storyclust(&["stats", "seeds", "--json"]));
    assert_eq!(stats["documents"], 5);
    assert_eq!(stats["languages"]["ar"], 5);
    let headlines: Vec<(&str, &str)> = stats["document_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["headline"].as_str().unwrap()))
        .collect();
    let expected = [
        (
            "000_c9e2560b750a6442",
            "“وول ستريت جورنال” تكشف أسرار مكالمات بوتين وترامب.. هل تغير العالم؟",
        ),
        (
            "001_524dbf3e1fa399e8",
            "اتصالات “سرية” بين ترامب وبوتين.. لماذا أعلن عنها الرئيس الأمريكي ونفاها الكرملين؟",
        ),
        (
            "002_5dc817420f166037",
            "تحولات غير متوقعة.. هل يقترب العالم من قمة تاريخية بين ترامب وبوتين؟",
        ),
        (
            "004_717b4e9137c2136a",
            "مكالمة هاتفية بين ترامب وبوتين حول قضايا دولية هامة – 12 فبراير 2025",
        ),
    ];
    for (id, headline) in expected {
        assert!(headlines.contains(&(id, headline)), "{id}: {headlines:?}");
    }
    // 003 has no title line: its first sentence, shortened at a word boundary.
    let (_, h003) = headlines
        .iter()
        .find(|(id, _)| id.starts_with("003"))
        .unwrap();
    let first_words = "في ظل صراع متأجج في أوكرانيا وأزمة دولية تتشابك فيها المصالح";
    assert!(h003.starts_with(first_words), "{h003}");
    assert!(h003.ends_with('…') && h003.chars().count() <= 120, "{h003}");
}

#[test]
fn stats_without_options_describes_the_seeds() {
    let out = storyclust(&["stats"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("documents        5"), "{text}");
}

#[test]
fn standard_input_is_read_and_sniffed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_storyclust"))
        .args(["stats", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\": \"x\", \"text\": \"The talks ended.\", \"source\": \"wire\", \"date\": \"2025-02-12\"}\n{\"id\": \"y\", \"text\": \"Another day.\", \"date\": \"2025-02-14T10:00:00+02:00\"}\n")
        .unwrap();
    let stats = json(&child.wait_with_output().unwrap());
    assert_eq!(stats["documents"], 2);
    assert_eq!(stats["languages"]["en"], 2);
    assert_eq!(stats["dates"]["first"], "2025-02-12T00:00:00Z");
    assert_eq!(stats["dates"]["last"], "2025-02-14T08:00:00Z");
    // `y` has no source, which is no source of its own.
    assert_eq!(stats["source_count"], 1);
    assert_eq!(stats["without_source"], 1);
}

#[test]
fn problems_go_to_stderr_and_to_the_errors_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"fine\"}\nnot json\n{\"id\": \"a\", \"text\": \"twice\"}\n",
    )
    .unwrap();
    let errors = dir.path().join("errors.jsonl");
    let out = storyclust(&[
        "stats",
        input.to_str().unwrap(),
        "--json",
        "--errors",
        errors.to_str().unwrap(),
    ]);
    let stats = json(&out);
    assert_eq!(stats["documents"], 2);
    assert_eq!(stats["skipped"]["broken_json"], 1);
    assert_eq!(stats["duplicate_ids"], 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("in.jsonl:2: not a JSON object"), "{stderr}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&errors)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["kind"], "broken_json");
    assert_eq!(lines[0]["origin"]["line"], 2);
    assert_eq!(lines[1]["kind"], "duplicate_id");
    assert_eq!(lines[1]["id"], "a#2");

    let strict = storyclust(&["stats", input.to_str().unwrap(), "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    let message = String::from_utf8_lossy(&strict.stderr);
    assert!(
        message.contains("in.jsonl:2") && message.contains("--strict"),
        "{message}"
    );
}

#[test]
fn exit_codes_follow_the_readme() {
    let missing = storyclust(&["stats", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("error: cannot read no/such/dir"));
    let usage = storyclust(&["stats", "--no-such-flag"]);
    assert_eq!(usage.status.code(), Some(2));
    let wrong_value = storyclust(&["stats", "--input-format", "xml"]);
    assert_eq!(wrong_value.status.code(), Some(2));
}

#[test]
fn output_is_the_same_for_any_thread_count() {
    let seeds = Path::new("seeds").to_str().unwrap();
    let one = storyclust(&["--threads", "1", "stats", seeds, "--json"]);
    let two = storyclust(&["--threads", "2", "stats", seeds, "--json"]);
    assert_eq!(one.stdout, two.stdout);
}
