//! From a story to its articles: every output carries each member's URL and full timestamp,
//! names each story's and near-duplicate group's first publisher, and shows republished
//! copies with their headlines and times. The HTML interface's language follows `--ui-lang`.

mod common;
use common::{ok, storyclust, write_jsonl};
use std::path::Path;

const WIRE: &str = "The governor of Makkah region will open the ninth Souq Okaz festival in Taif tomorrow evening on behalf of the King, with poets, craftsmen and theatre troupes from twelve countries taking part in the cultural programme over the coming two weeks, the organising committee said in a statement on Tuesday";

/// A wire story republished by three sites, the earliest of which is not the wire; another
/// story; and a few single articles.
fn corpus(dir: &Path) -> std::path::PathBuf {
    let mut lines = vec![
        serde_json::json!({"id": "was-1", "source": "was", "title": "Governor to open Souq Okaz",
            "text": WIRE, "date": "2015-08-11 18:38:54", "url": "https://spa.example/okaz"}),
        serde_json::json!({"id": "alweeam-1", "source": "alweeam", "title": "Souq Okaz opens tomorrow in Taif",
            "text": format!("{WIRE}."), "date": "2015-08-11 18:28:17", "url": "https://alweeam.example/okaz"}),
        serde_json::json!({"id": "alyaum-1", "source": "alyaum", "title": "Okaz festival opens",
            "text": format!("{WIRE} in Taif."), "date": "2015-08-11 18:35:56", "url": "javascript:alert(1)"}),
    ];
    let others = [
        "Heavy rain flooded streets in Jeddah on Monday and schools closed as the civil defence warned residents to stay away from valleys",
        "Civil defence teams in Jeddah rescued drivers trapped by floods after heavy rain closed schools and streets on Monday",
        "The football league announced its new season schedule with the opening match between two Riyadh clubs next month",
        "Oil prices fell for a third day as traders weighed rising inventories against demand forecasts from Asia",
    ];
    for (i, text) in others.iter().enumerate() {
        lines.push(serde_json::json!({"id": format!("other-{i}"), "source": "daily", "text": text,
            "date": format!("2015-08-{:02} 09:0{i}:00", 10 + i), "url": format!("https://daily.example/{i}")}));
    }
    let path = dir.join("okaz.jsonl");
    write_jsonl(&path, &lines);
    path
}

fn cluster(input: &Path, extra: &[&str]) -> String {
    let mut args = vec!["-q", "cluster", input.to_str().unwrap()];
    args.extend(extra);
    ok(storyclust(&args))
}

#[test]
fn json_and_jsonl_carry_urls_times_and_first_publishers() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let json: serde_json::Value =
        serde_json::from_str(&cluster(&input, &["--format", "json"])).unwrap();
    let jsonl = cluster(&input, &["--format", "jsonl"]);
    let first_line: serde_json::Value =
        serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    for story in [&json["stories"][0], &first_line] {
        assert_eq!(story["size"], 3, "{story}");
        let alweeam = story["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == "alweeam-1")
            .unwrap();
        assert_eq!(alweeam["url"], "https://alweeam.example/okaz");
        assert_eq!(alweeam["date"], "2015-08-11T18:28:17Z");
        let first = &story["first_publisher"];
        assert_eq!(first["source"], "alweeam", "{story}");
        assert_eq!(first["date"], "2015-08-11T18:28:17Z");
        assert_eq!(first["headline"], "Souq Okaz opens tomorrow in Taif");
        assert_eq!(first["url"], "https://alweeam.example/okaz");
        let group = &story["duplicate_groups"][0];
        assert_eq!(group["first_publisher"]["id"], "alweeam-1", "{group}");
        let copy = &group["copies"][0];
        assert!(copy["headline"].as_str().is_some_and(|h| !h.is_empty()));
        assert!(copy["date"].as_str().unwrap().contains("T18:"));
        assert!(group["headline"].is_string() && group["date"].is_string());
    }
}

#[test]
fn csv_table_and_markdown_show_links_times_and_who_was_first() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let csv = cluster(&input, &["--format", "csv"]);
    let header = csv.lines().next().unwrap();
    for column in [
        "member_dates",
        "member_urls",
        "first_publisher",
        "first_published",
        "first_url",
    ] {
        assert!(header.split(',').any(|c| c == column), "{header}");
    }
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains("https://alweeam.example/okaz"), "{row}");
    assert!(row.contains(",alweeam,2015-08-11T18:28:17Z,"), "{row}");
    assert!(row.contains("2015-08-11T18:38:54Z"), "{row}");

    let table = cluster(&input, &["--format", "table"]);
    assert!(
        table.contains("first published by alweeam, 2015-08-11T18:28:17Z: «Souq Okaz opens tomorrow in Taif» [alweeam-1]"),
        "{table}"
    );
    assert!(table.contains("https://spa.example/okaz"), "{table}");
    assert!(table.contains("republished as"), "{table}");
    assert!(
        table.contains("2015-08-11T18:35:56Z: «Okaz festival opens»"),
        "{table}"
    );

    let md = cluster(&input, &["--format", "md"]);
    assert!(
        md.contains("[Souq Okaz opens tomorrow in Taif](<https://alweeam.example/okaz>)"),
        "{md}"
    );
    assert!(
        md.contains(r"- **First published:** alweeam, 2015\-08\-11T18\:28\:17Z"),
        "{md}"
    );
    assert!(md.contains("| 2015-08-11T18:38:54Z |"), "{md}");
    assert!(
        md.contains("Near-duplicates: ") && md.contains("«Governor to open Souq Okaz»"),
        "{md}"
    );
}

#[test]
fn the_html_report_links_articles_and_speaks_the_corpus_language() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    // minijinja escapes `/` in attributes; browsers read it back.
    let page = cluster(&input, &["--format", "html"]).replace("&#x2f;", "/");
    assert!(page.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(page.contains("href=\"https://alweeam.example/okaz\""));
    // Full times, not days; a script URL stays text.
    assert!(page.contains("datetime=\"2015-08-11T18:28:17Z\" dir=\"ltr\">2015-08-11 18:28:17 UTC<"));
    assert!(!page.contains("href=\"javascript:"));
    let first = page
        .find("First published: <b dir=\"auto\">alweeam</b>")
        .expect("first publisher");
    assert!(page[first..].starts_with(
        "First published: <b dir=\"auto\">alweeam</b> <time datetime=\"2015-08-11T18:28:17Z\""
    ));
    assert!(page.contains("Republished: <b dir=\"auto\">"));
    // Chart bars are labelled with headlines, not `#n`.
    let labels: Vec<&str> = page
        .split("class=\"bar-label\"")
        .skip(1)
        .map(|rest| rest.split_once('>').unwrap().1.split('<').next().unwrap())
        .collect();
    assert!(!labels.is_empty());
    assert!(
        labels.iter().all(|l| !l.starts_with('#') && l.len() > 3),
        "{labels:?}"
    );

    // Arabic interface: by choice, and by default for an Arabic corpus.
    let ar = cluster(&input, &["--format", "html", "--ui-lang", "ar"]);
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(ar.contains("أول من نشر") && ar.contains(">بحث (اضغط "));
    let seeds = ok(storyclust(&["-q", "cluster", "seeds", "--format", "html"]));
    assert!(seeds.contains("<html lang=\"ar\" dir=\"rtl\">"));
    let en = ok(storyclust(&[
        "-q",
        "cluster",
        "seeds",
        "--format",
        "html",
        "--ui-lang",
        "en",
    ]));
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\">") && en.contains(">Search (press "));
}
