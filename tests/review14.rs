//! Failures a hostile-user review of issue 14 found: one test per fix.

mod common;
use common::{ok, storyclust, write_jsonl};

use serde_json::json;
use std::path::Path;

fn articles(dir: &Path) -> String {
    let path = dir.join("articles.jsonl");
    write_jsonl(
        &path,
        &[
            json!({"id": "a", "title": "Rain in Riyadh", "body": "Heavy rain fell on Riyadh today.", "lede": "Rain."}),
            json!({"id": "b", "title": "Rain again", "body": "More rain fell on Riyadh and Jeddah."}),
        ],
    );
    path.display().to_string()
}

/// `--text-field a,b`: each name that no record has is refused, with the fields there are.
#[test]
fn each_joined_text_field_must_be_in_some_record() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = articles(dir.path());
    let csv = dir.path().join("articles.csv");
    std::fs::write(&csv, "id,title,body\na,Rain,Heavy rain fell.\n").unwrap();
    let csv = csv.display().to_string();
    for input in [&jsonl, &csv] {
        for (fields, missing) in [("body,summary", "summary"), ("teaser,body,title", "teaser")] {
            let out = storyclust(&["stats", input, "-q", "--text-field", fields]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{input} {fields}: {stderr}");
            assert!(stderr.contains("--text-field"), "{stderr}");
            assert!(stderr.contains(&format!("{missing:?} is in no record")), "{stderr}");
            assert!(stderr.contains("`body`") && stderr.contains("`title`"), "{stderr}");
        }
    }
    // A name that some records have (`lede`, in one of two) is fine, in paths too.
    ok(storyclust(&["stats", &jsonl, "-q", "--text-field", "body,lede"]));
    ok(storyclust(&["stats", &csv, "-q", "--text-field", "title,body"]));
}
