//! No silent failures (issue 14, point 6): a field option that names no record's field is an
//! error listing the fields there are, and `eval` refuses a story file for an assignments
//! file.

mod common;
use common::{ok, storyclust, write_jsonl};

use serde_json::json;

fn corpus(dir: &std::path::Path) -> String {
    let path = dir.join("articles.jsonl");
    write_jsonl(
        &path,
        &[
            json!({"id": "a", "title": "Rain in Riyadh", "body": "Heavy rain fell on Riyadh today.", "published": "2024-01-02", "site": "spa"}),
            json!({"id": "b", "title": "Rain again", "body": "More rain fell on Riyadh and Jeddah.", "published": "2024-01-03", "site": "okaz"}),
        ],
    );
    path.display().to_string()
}

fn fails_naming_fields(args: &[&str], option: &str) {
    let out = storyclust(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}");
    assert!(stderr.contains(option), "{args:?}: {stderr}");
    // The fields the records do have are listed.
    for field in ["`body`", "`published`", "`site`"] {
        assert!(stderr.contains(field), "{args:?} lists {field}: {stderr}");
    }
}

#[test]
fn a_named_field_found_in_no_record_is_an_error_that_lists_the_fields() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let base = ["--text-field", "body"];
    for (command, option, name) in [
        ("cluster", "--date-field", "date"),
        ("cluster", "--date-field", "pubdate"),
        ("dedup", "--source-field", "publisher"),
        ("stats", "--url-field", "link"),
        ("cluster", "--id-field", "uid"),
        ("dedup", "--title-field", "headline"),
    ] {
        let mut args = vec![command, input.as_str(), "-q"];
        args.extend(base);
        args.extend([option, name]);
        // `date` is the default name: a corpus may have no dates, so it is not checked; a
        // name other than the default is the user's, and is.
        if name == "date" {
            let out = storyclust(&args);
            assert!(out.status.success(), "the default date field may be absent");
            continue;
        }
        fails_naming_fields(&args, option);
    }
    // The text field: nothing can be read, and the message names the fields.
    let out = storyclust(&["cluster", &input, "-q"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--text-field") && stderr.contains("`body`"),
        "{stderr}"
    );
    // The right names work, and the dates and sources are used.
    let stories = ok(storyclust(&[
        "cluster",
        &input,
        "-q",
        "--text-field",
        "body",
        "--date-field",
        "published",
        "--source-field",
        "site",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&stories).unwrap();
    assert!(v["stories"][0]["first_date"].is_string(), "{v}");
}

#[test]
fn eval_refuses_a_story_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).display().to_string();
    ok(storyclust(&[
        "synth",
        "--from",
        "seeds",
        "--copies",
        "2",
        "-o",
        &path("c.jsonl"),
        "--gold",
        &path("gold.tsv"),
        "-q",
    ]));
    ok(storyclust(&[
        "cluster",
        &path("c.jsonl"),
        "-q",
        "-o",
        &path("stories.jsonl"),
        "--format",
        "jsonl",
        "--assignments",
        &path("a.tsv"),
    ]));
    ok(storyclust(&[
        "cluster",
        &path("c.jsonl"),
        "-q",
        "--format",
        "json",
        "-o",
        &path("stories.json"),
    ]));
    for stories in ["stories.jsonl", "stories.json"] {
        let out = storyclust(&["eval", "--gold", &path("gold.tsv"), &path(stories)]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{stories} was scored: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(out.stdout.is_empty());
        assert!(
            stderr.contains("story file") && stderr.contains("--assignments"),
            "{stderr}"
        );
    }
    // The assignments are scored.
    let scores = ok(storyclust(&[
        "eval",
        "--gold",
        &path("gold.tsv"),
        &path("a.tsv"),
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&scores).unwrap();
    assert!(v["bcubed_f1"].as_f64().unwrap() > 0.0);
}

/// `synth` and `bench` read a corpus with the same field options, and refuse a named field
/// that no record has in the same way.
#[test]
fn synth_and_bench_refuse_a_named_field_in_no_record() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let out = dir.path().join("synth.jsonl");
    let out = out.to_str().unwrap();
    let synth = [
        "synth",
        "--from",
        &input,
        "--text-field",
        "body",
        "--date-field",
        "pub",
        "-o",
        out,
    ];
    fails_naming_fields(&synth, "--date-field");
    assert!(!std::path::Path::new(out).exists());
    let bench = [
        "bench",
        &input,
        "--text-field",
        "body",
        "--date-field",
        "pub",
        "--scale",
        "1",
        "--threads",
        "1",
    ];
    fails_naming_fields(&bench, "--date-field");
    // The field that is there is taken.
    ok(storyclust(&[
        "synth",
        "--from",
        &input,
        "--text-field",
        "body",
        "--date-field",
        "published",
        "-o",
        out,
    ]));
}
