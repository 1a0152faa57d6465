//! The HTML report in a real browser: headless Chromium renders it, and the rendered DOM is
//! checked. Screenshots are kept under `target/report-*.png`.
//!
//! Needs `chromium` (Debian's package; `.ci/run` installs it). Without it the test is skipped,
//! except under CI (`CI` set), where a missing browser is a failure.

mod common;
use common::{ok, storyclust, write_jsonl};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = Command::new("which").arg(name).output().ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
}

/// Runs headless Chromium on `page` with the flags that keep it off the network.
fn headless(browser: &Path, profile: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

/// Dated articles in Arabic and English, with near-duplicates, for a report with every part.
fn synthetic_corpus(dir: &Path) -> PathBuf {
    let seeds = storyclust::corpus::read_corpus(&["seeds"], &Default::default()).unwrap();
    let mut lines = Vec::new();
    for (i, d) in seeds.documents.iter().enumerate() {
        for (k, source) in ["site-a", "site-b"].iter().enumerate() {
            lines.push(serde_json::json!({
                "id": format!("ar{i}-{k}"), "text": d.body, "source": source,
                "date": format!("2025-02-{:02}", 12 + i + k)
            }));
        }
    }
    let english = [
        ("Floods hit the northern valley after three days of rain; rescue teams evacuated villages near the river.", "2025-02-12"),
        ("Rescue teams evacuated villages as floods in the northern valley rose after days of heavy rain.", "2025-02-13"),
        ("The central bank raised interest rates by half a point to fight inflation, the governor said.", "2025-02-14"),
        ("Inflation pushed the central bank to raise interest rates by half a point, its governor said.", "2025-02-14"),
        ("A <b>bold</b> claim & an \"odd\" headline with <script>alert(1)</script> in it, alone.", "2025-02-15"),
    ];
    for (i, (text, date)) in english.iter().enumerate() {
        lines.push(serde_json::json!({"id": format!("en{i}"), "text": text, "source": "wire", "date": date}));
    }
    let path = dir.join("synthetic.jsonl");
    write_jsonl(&path, &lines);
    path
}

#[test]
fn the_report_renders_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing in CI: .ci/run installs it"
        );
        eprintln!("skipped: no chromium on this machine");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let synthetic = synthetic_corpus(dir.path());
    for (name, input) in [("seeds", PathBuf::from("seeds")), ("synthetic", synthetic)] {
        let html = dir.path().join(format!("{name}.html"));
        let json = dir.path().join(format!("{name}.json"));
        ok(storyclust(&[
            "-q",
            "cluster",
            input.to_str().unwrap(),
            "--format",
            "html",
            "-o",
            html.to_str().unwrap(),
        ]));
        ok(storyclust(&[
            "-q",
            "cluster",
            input.to_str().unwrap(),
            "--format",
            "json",
            "-o",
            json.to_str().unwrap(),
        ]));
        let stories: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let stories = stories["stories"].as_array().unwrap();
        let page = std::fs::read_to_string(&html).unwrap();

        // Self-contained: nothing to fetch.
        for needle in [
            "src=\"http",
            "href=\"http",
            "<link",
            "@import",
            "url(",
            "<img",
            "<iframe",
        ] {
            assert!(
                !page.contains(needle),
                "{name}: the page refers to {needle}"
            );
        }
        // Text is escaped: the hostile headline stays text.
        if name == "synthetic" {
            assert!(!page.contains("<script>alert(1)</script>"));
            assert!(page.contains("&lt;script&gt;alert(1)"));
        }

        // A copy with a probe that records what the browser computed for each headline.
        let probe = dir.path().join(format!("{name}-probe.html"));
        let script = "<script>document.querySelectorAll('article.story h3').forEach(function (h) { h.setAttribute('data-computed-dir', getComputedStyle(h).direction); });</script></body>";
        std::fs::write(&probe, page.replace("</body>", script)).unwrap();
        let profile = dir.path().join(format!("profile-{name}"));
        let dom = headless(&browser, &profile, &["--dump-dom"], &probe);
        assert!(
            dom.status.success(),
            "{}",
            String::from_utf8_lossy(&dom.stderr)
        );
        let dom_text = String::from_utf8_lossy(&dom.stdout);
        let log = String::from_utf8_lossy(&dom.stderr);
        let console: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
            .collect();
        assert!(console.is_empty(), "{name}: console messages: {console:?}");

        // Every story of two or more articles has its card; the single articles are listed.
        let multi = stories
            .iter()
            .filter(|s| s["size"].as_u64() > Some(1))
            .count();
        assert_eq!(
            dom_text.matches("<article class=\"story\"").count(),
            multi,
            "{name}"
        );
        for s in stories {
            let id = s["id"].as_u64().unwrap();
            if s["size"].as_u64() > Some(1) {
                assert!(
                    dom_text.contains(&format!("id=\"story-{id}\"")),
                    "{name}: story {id} missing"
                );
            } else {
                assert!(
                    dom_text.contains(s["members"][0]["id"].as_str().unwrap()),
                    "{name}: single {id} missing"
                );
            }
        }
        assert!(
            dom_text.contains(&format!("{multi} of {multi} stories")),
            "{name}: the script ran"
        );
        // Arabic headlines are laid out right to left, English ones left to right.
        let rtl = dom_text.matches("data-computed-dir=\"rtl\"").count();
        let ltr = dom_text.matches("data-computed-dir=\"ltr\"").count();
        let arabic = stories
            .iter()
            .filter(|s| s["size"].as_u64() > Some(1) && s["lang"] == "ar")
            .count();
        assert_eq!(rtl, arabic, "{name}");
        assert_eq!(rtl + ltr, multi, "{name}");
        assert!(arabic > 0, "{name}: the corpus has Arabic stories");

        let shot = target.join(format!("report-{name}.png"));
        let out = headless(
            &browser,
            &profile,
            &[
                "--window-size=1200,1600",
                &format!("--screenshot={}", shot.display()),
            ],
            &html,
        );
        assert!(
            out.status.success() && shot.exists(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
