//! The output contract (issue 14, point 4): every JSON and JSON Lines output has a committed
//! JSON Schema generated from the Rust types, carries `schema_version`, and validates;
//! objects rather than tuples; one name for a near-duplicate group's articles; floats as
//! their shortest decimal; `cluster -o` takes its format from the extension; TSV outputs
//! start with their header.
//!
//! Regenerate the committed schemas with `STORYCLUST_BLESS=1 cargo test --test contract`.

mod common;
use common::{ok, storyclust};

use serde_json::Value;
use std::path::{Path, PathBuf};

fn schema_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(format!("{name}.schema.json"))
}

#[test]
fn the_committed_schemas_are_the_generated_ones() {
    let bless = std::env::var_os("STORYCLUST_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, schema) in storyclust::bench::schemas() {
        let text = storyclust::report::schema_text(&schema);
        let path = schema_path(name);
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "schemas differ from the types: {stale:?}; regenerate them with \
         `STORYCLUST_BLESS=1 cargo test --test contract` and commit them"
    );
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(schema_path(name)).expect("the schema is committed");
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("a valid schema")
}

fn assert_valid(name: &str, value: &Value, what: &str) {
    let errors: Vec<String> = validator(name)
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what} against {name}: {errors:#?}");
    assert_eq!(value["schema_version"], 2, "{what}: schema_version");
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Where the outputs of one corpus were written.
struct Outputs {
    dir: tempfile::TempDir,
}

impl Outputs {
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap()
    }
}

/// Runs every JSON-writing command on `input` (a gold file for eval when given).
fn run_all(input: &str, gold: Option<&str>) -> Outputs {
    let out = Outputs {
        dir: tempfile::tempdir().unwrap(),
    };
    let p = |n: &str| out.path(n);
    ok(storyclust(&[
        "cluster",
        input,
        "-q",
        "-o",
        &p("stories.json"),
        "--assignments",
        &p("assignments.tsv"),
        "--errors",
        &p("errors.jsonl"),
    ]));
    ok(storyclust(&[
        "cluster",
        input,
        "-q",
        "-o",
        &p("stories.jsonl"),
    ]));
    let summary = ok(storyclust(&[
        "dedup",
        input,
        "-q",
        "--json",
        "--threshold",
        "0.5",
        "--groups",
        &p("groups.jsonl"),
        "--pairs",
        &p("pairs.tsv"),
    ]));
    std::fs::write(out.dir.path().join("dedup.json"), summary).unwrap();
    let stats = ok(storyclust(&["stats", input, "-q", "--json"]));
    std::fs::write(out.dir.path().join("stats.json"), stats).unwrap();
    let gold = gold.map_or_else(|| p("assignments.tsv"), str::to_string);
    let scores = ok(storyclust(&[
        "eval",
        "--gold",
        &gold,
        &p("assignments.tsv"),
        "--json",
    ]));
    std::fs::write(out.dir.path().join("eval.json"), scores).unwrap();
    out
}

fn validate_all(out: &Outputs, what: &str) {
    let json = |n: &str| -> Value { serde_json::from_str(&out.read(n)).unwrap() };
    assert_valid("cluster", &json("stories.json"), what);
    for line in lines(&out.read("stories.jsonl")) {
        assert_valid("cluster-line", &line, what);
    }
    assert_valid("dedup", &json("dedup.json"), what);
    let groups = lines(&out.read("groups.jsonl"));
    assert_valid("dedup-groups-line", &groups[0], what);
    for group in &groups[1..] {
        // Groups carry the version in the header line (documented), not on every line.
        let errors = validator("dedup-groups-line").iter_errors(group).count();
        assert_eq!(errors, 0, "{what}: {group}");
        assert!(group.get("copies").is_some() && group.get("members").is_none());
    }
    assert_valid("stats", &json("stats.json"), what);
    assert_valid("eval", &json("eval.json"), what);
    for line in lines(&out.read("errors.jsonl")) {
        assert_valid("errors-line", &line, what);
    }
    for name in ["stories.json", "stories.jsonl", "dedup.json", "stats.json"] {
        for value in lines_or_object(&out.read(name)) {
            assert_no_tuples(&value, &format!("{what} {name}"));
        }
    }
}

fn lines_or_object(text: &str) -> Vec<Value> {
    match serde_json::from_str(text) {
        Ok(v) => vec![v],
        Err(_) => lines(text),
    }
}

/// A tuple serialises as an array of arrays or an array mixing types: neither may occur.
fn assert_no_tuples(value: &Value, what: &str) {
    match value {
        Value::Array(items) => {
            let kinds: std::collections::BTreeSet<&str> = items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| match v {
                    Value::Array(_) => "array",
                    Value::Object(_) => "object",
                    Value::String(_) => "string",
                    Value::Number(_) => "number",
                    Value::Bool(_) => "bool",
                    Value::Null => unreachable!(),
                })
                .collect();
            assert!(
                !kinds.contains("array") && kinds.len() <= 1,
                "{what}: an array used as a tuple: {value}"
            );
            items.iter().for_each(|v| assert_no_tuples(v, what));
        }
        Value::Object(map) => map.values().for_each(|v| assert_no_tuples(v, what)),
        _ => {}
    }
}

#[test]
fn seeds_outputs_follow_their_schemas() {
    let out = run_all("seeds", None);
    validate_all(&out, "seeds");
}

#[test]
fn synthetic_outputs_follow_their_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("synth.jsonl").display().to_string();
    let gold = dir.path().join("gold.tsv").display().to_string();
    // A broken line and a bad date, so that --errors has records to check.
    ok(storyclust(&[
        "synth", "--from", "seeds", "--copies", "3", "-o", &corpus, "--gold", &gold,
    ]));
    for line in lines(&std::fs::read_to_string(&corpus).unwrap()) {
        let errors = validator("synth-line").iter_errors(&line).count();
        assert_eq!(errors, 0, "synth line {line}");
    }
    let mut text = std::fs::read_to_string(&corpus).unwrap();
    text.push_str("{broken\n{\"id\": \"d\", \"text\": \"a dated text\", \"date\": \"soon\"}\n");
    std::fs::write(&corpus, text).unwrap();
    let out = run_all(&corpus, Some(&gold));
    validate_all(&out, "synth");
    let groups = lines(&out.read("groups.jsonl"));
    assert!(groups.len() > 1, "the synthetic copies form groups");
    assert!(!lines(&out.read("errors.jsonl")).is_empty());
    let stories: Value = serde_json::from_str(&out.read("stories.json")).unwrap();
    let with_copies = stories["stories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["duplicate_groups"].as_array().unwrap())
        .filter(|g| g.get("copies").is_some() && g.get("members").is_none())
        .count();
    assert!(
        with_copies > 0,
        "story duplicate groups name their copies `copies`"
    );
}

#[test]
fn bench_json_follows_its_schema() {
    let text = ok(storyclust(&[
        "bench",
        "seeds",
        "--scale",
        "1",
        "--threads",
        "1",
        "--json",
        "-q",
    ]));
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_valid("bench", &value, "bench");
    assert_eq!(value["runs"].as_array().map(Vec::len), Some(1));
}

#[test]
fn pair_scores_follow_the_eval_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (pairs, pred) = (dir.path().join("pairs.tsv"), dir.path().join("pred.tsv"));
    std::fs::write(&pairs, "a\tb\t1\nb\tc\t4\n").unwrap();
    std::fs::write(&pred, "id\tstory\na\t1\nb\t1\nc\t2\n").unwrap();
    let text = ok(storyclust(&[
        "eval",
        "--pairs",
        pairs.to_str().unwrap(),
        pred.to_str().unwrap(),
        "--json",
    ]));
    assert_valid(
        "eval",
        &serde_json::from_str(&text).unwrap(),
        "eval --pairs",
    );
}

/// The significant digits of each number written after `"key":`.
fn significant_digits(text: &str, key: &str) -> Vec<(String, usize)> {
    let needle = format!("\"{key}\":");
    text.match_indices(&needle)
        .map(|(at, _)| {
            let rest = text[at + needle.len()..].trim_start();
            let number: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || ".-eE+".contains(*c))
                .collect();
            let digits = number
                .split(['e', 'E'])
                .next()
                .unwrap()
                .chars()
                .filter(char::is_ascii_digit)
                .skip_while(|&c| c == '0')
                .count();
            (number, digits)
        })
        .collect()
}

#[test]
fn floats_are_written_as_their_shortest_decimal() {
    let json = ok(storyclust(&["cluster", "seeds", "-q", "--format", "json"]));
    let jsonl = ok(storyclust(&["cluster", "seeds", "-q", "--format", "jsonl"]));
    for text in [&json, &jsonl] {
        for key in ["similarity", "cohesion"] {
            let found = significant_digits(text, key);
            assert!(!found.is_empty(), "{key} is written");
            // Cosines are f32: at most 9 significant digits, never a widened f64's 16.
            for (number, digits) in found {
                assert!(digits <= 9, "{key}: {number}");
            }
        }
    }
    for (key, want) in [("graph_threshold", "0.05"), ("story_link_floor", "0.1")] {
        let found = significant_digits(&json, key);
        assert_eq!(found.first().map(|f| f.0.as_str()), Some(want), "{key}");
    }
}

#[test]
fn cluster_takes_its_format_from_the_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).display().to_string();
    for name in ["s.json", "s.jsonl", "s.csv", "s.md", "s.html", "s.txt", "s"] {
        ok(storyclust(&["cluster", "seeds", "-q", "-o", &path(name)]));
    }
    let read = |n: &str| std::fs::read_to_string(dir.path().join(n)).unwrap();
    let json: Value = serde_json::from_str(&read("s.json")).unwrap();
    assert_eq!(json["schema_version"], 2);
    assert!(json["stories"].is_array());
    assert!(lines(&read("s.jsonl"))
        .iter()
        .all(|l| l["members"].is_array()));
    assert!(read("s.csv").starts_with("id,topic,size,"));
    assert!(read("s.md").starts_with("# Stories"));
    assert!(
        read("s.html").starts_with("<!DOCTYPE html>")
            || read("s.html").starts_with("<!doctype html>")
    );
    // The table for .txt and for no extension; an extension that names no format is refused.
    assert_eq!(read("s.txt"), read("s"));
    let refused = storyclust(&["cluster", "seeds", "-q", "-o", &path("s.out")]);
    assert_eq!(refused.status.code(), Some(2));
    // An explicit --format wins over the extension.
    ok(storyclust(&[
        "cluster",
        "seeds",
        "-q",
        "--format",
        "csv",
        "-o",
        &path("t.json"),
    ]));
    assert!(read("t.json").starts_with("id,topic,size,"));
}

#[test]
fn tsv_outputs_start_with_their_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).display().to_string();
    let corpus = path("synth.jsonl");
    ok(storyclust(&[
        "synth",
        "--from",
        "seeds",
        "--copies",
        "2",
        "-o",
        &corpus,
        "--gold",
        &path("gold.tsv"),
    ]));
    ok(storyclust(&[
        "dedup",
        &corpus,
        "-q",
        "--pairs",
        &path("pairs.tsv"),
    ]));
    ok(storyclust(&[
        "cluster",
        &corpus,
        "-q",
        "-o",
        &path("s.json"),
        "--assignments",
        &path("a.tsv"),
    ]));
    let read = |n: &str| std::fs::read_to_string(dir.path().join(n)).unwrap();
    for (name, header) in [
        ("pairs.tsv", "id_a\tid_b\tjaccard"),
        ("gold.tsv", "id\tcluster"),
        ("a.tsv", "id\tstory"),
    ] {
        let text = read(name);
        assert_eq!(text.lines().next(), Some(header), "{name}");
        assert!(!text.lines().any(|l| l.starts_with('#')), "{name}");
        assert!(text.lines().count() > 1, "{name} has rows");
    }
}
