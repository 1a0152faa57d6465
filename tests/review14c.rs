//! Failures a third hostile review of issue 14 found: one test per fix.

mod common;
use common::{ok, storyclust, write_jsonl};

use serde_json::json;

/// Three articles with urls and times: one story of two, one single article.
fn dated(dir: &std::path::Path) -> String {
    let path = dir.join("dated.jsonl");
    write_jsonl(
        &path,
        &[
            json!({"id": "a1", "title": "Rain floods Riyadh streets", "text": "Heavy rain flooded the streets of Riyadh on Monday and schools closed early.", "url": "https://a.example/1", "date": "2015-08-11T18:51:25Z", "source": "okaz"}),
            json!({"id": "a2", "title": "Riyadh streets flooded by rain", "text": "Heavy rain flooded the streets of Riyadh on Monday and schools closed early today.", "url": "https://b.example/2", "date": "2015-08-11T19:00:00Z", "source": "spa"}),
            json!({"id": "s1", "title": "Football final tonight", "text": "The football cup final will be played tonight in Jeddah stadium.", "url": "https://c.example/3", "date": "2015-08-12T08:00:00Z", "source": "okaz"}),
        ],
    );
    path.display().to_string()
}

/// Every member line of the table, single articles too, carries its url and full time.
#[test]
fn table_single_articles_carry_url_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let input = dated(dir.path());
    let table = ok(storyclust(&["cluster", &input, "-q", "--format", "table"]));
    for (id, url, time) in [
        ("a1", "https://a.example/1", "2015-08-11T18:51:25Z"),
        ("a2", "https://b.example/2", "2015-08-11T19:00:00Z"),
        ("s1", "https://c.example/3", "2015-08-12T08:00:00Z"),
    ] {
        let line = table
            .lines()
            .find(|l| l.contains(&format!("[{id}]")) && !l.contains('«'))
            .unwrap_or_else(|| panic!("no line of {id}:\n{table}"));
        assert!(line.contains(url) && line.contains(time), "{line}");
    }
}

/// The Markdown says "First published:" once, not "first published by" after it.
#[test]
fn markdown_first_published_is_not_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let input = dated(dir.path());
    let md = ok(storyclust(&["cluster", &input, "-q", "--format", "md"]));
    assert!(md.contains("**First published:**"), "{md}");
    assert!(!md.to_lowercase().contains("first published by"), "{md}");
}

/// The `](` openings of Markdown links outside code spans: only the writer's own may be
/// there. (The ids here hold no backticks, so each backtick opens or closes a span.)
fn link_targets(md: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut in_code = false;
    let mut prev = ' ';
    for (i, c) in md.char_indices() {
        if c == '`' && prev != '\\' {
            in_code = !in_code;
        }
        if c == '(' && prev == ']' && !in_code && !md[..i - 1].ends_with('\\') {
            targets.push(md[i + 1..].chars().take_while(|&c| c != ')').collect());
        }
        prev = c;
    }
    targets
}

/// Hostile titles, ids, sources and urls make no links, emphasis or HTML in the Markdown;
/// the article's own web url stays its headline's link.
#[test]
fn markdown_escapes_hostile_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.jsonl");
    write_jsonl(
        &path,
        &[
            json!({"id": "m1", "title": "[Official statement](https://evil.example/phish) *urgent*", "text": "a b c d", "url": "https://ok.example/a b>c"}),
            json!({"id": "m2](javascript:x)", "title": "x](javascript:alert(9))", "text": "e f g h", "url": "javascript:alert(1)", "source": "<b>_src_</b> | #"}),
            json!({"id": "m3", "title": "![img](http://evil.example/i.png) <script>", "text": "i j k l"}),
        ],
    );
    let md = ok(storyclust(&[
        "cluster",
        &path.display().to_string(),
        "-q",
        "--format",
        "md",
    ]));
    assert_eq!(
        link_targets(&md),
        vec!["<https://ok.example/a%20b%3Ec>".to_string()],
        "{md}"
    );
    for raw in [
        "*urgent*",
        "<script>",
        "<b>",
        "_src_",
        "![img]",
        "https://evil",
        "| #",
    ] {
        assert!(!md.contains(raw), "{raw} unescaped:\n{md}");
    }
    assert!(
        md.contains(r"\*urgent\*") && md.contains(r"\<script\>"),
        "{md}"
    );
    // Ids are code, shown as they are.
    assert!(md.contains("(`m2](javascript:x)`)"), "{md}");
}

/// The HTML page writes numbers as its script does (grouped; Arabic-Indic digits in
/// Arabic), says that times are UTC, uses the Arabic comma, and makes nouns agree.
#[test]
fn html_numbers_times_and_plurals_follow_the_interface_language() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    // 1,104 unrelated articles: the overview counts past a thousand.
    let lines: Vec<serde_json::Value> = (0..1104)
        .map(|i| {
            json!({"id": format!("d{i}"), "title": format!("w{i}a w{i}b"), "text": format!("w{i}a w{i}b w{i}c w{i}d"), "date": "2015-08-11T18:51:25Z"})
        })
        .collect();
    write_jsonl(&path, &lines);
    let path = path.display().to_string();
    let en = ok(storyclust(&[
        "cluster",
        &path,
        "-q",
        "--format",
        "html",
        "--ui-lang",
        "en",
    ]));
    assert!(en.contains("<b>1,104</b>articles"), "overview");
    assert!(en.contains("2015-08-11 18:51:25 UTC</time>"));
    let ar = ok(storyclust(&[
        "cluster",
        &path,
        "-q",
        "--format",
        "html",
        "--ui-lang",
        "ar",
    ]));
    assert!(ar.contains("<b>١٬١٠٤</b>مقالات"), "overview in Arabic");
    assert!(!ar.contains("<b>1104</b>"));
    // The search counter formats its numbers the same way.
    assert!(ar.contains("data-lang=\"ar-u-nu-arab\""));
    // Stories of two with a topic of several: the Arabic comma, and agreement.
    let dated = dated(dir.path());
    let ar = ok(storyclust(&[
        "cluster",
        &dated,
        "-q",
        "--format",
        "html",
        "--ui-lang",
        "ar",
    ]));
    assert!(ar.contains("مقالان"), "the dual");
    assert!(!ar.contains("2 مقالات") && !ar.contains("قصص, "));
    assert!(
        ar.contains("&quot;many&quot;:&quot;قصةً&quot;"),
        "forms for Intl.PluralRules"
    );
}
