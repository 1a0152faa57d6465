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
            // SaudiNewsNet-like ids: digits first, which bidi reordering used to move.
            lines.push(serde_json::json!({
                "id": format!("{i:03}_5dc817420f16603{k}"), "text": d.body, "source": source,
                "date": format!("2025-02-{:02} 18:{:02}:00", 12 + i + k, 28 + k),
                "url": format!("https://example.com/ar/{i}-{k}")
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
        // Links to the articles are navigation, nothing is fetched.
        assert_eq!(
            page.matches("href=\"http").count(),
            page.matches("<a class=\"article\" href=\"http").count(),
            "{name}"
        );
        for needle in ["src=\"http", "<link", "@import", "url(", "<img", "<iframe"] {
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

        // A copy with a probe that records what the browser computed: each headline's
        // direction, each id's and label's visual order, and the results of searches.
        let queries = search_queries(stories);
        let probe = dir.path().join(format!("{name}-probe.html"));
        let script = PROBE.replace(
            "QUERIES",
            &serde_json::to_string(&queries.iter().flatten().collect::<Vec<_>>()).unwrap(),
        );
        std::fs::write(&probe, page.replace("</body>", &format!("{script}</body>"))).unwrap();
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
            dom_text.contains(&format!("data-shown=\"{multi}\"")),
            "{name}: the script ran"
        );
        check_probe(name, &dom_text, &queries, stories);
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

/// Runs after the page's own script: lays every card out, then records what the browser did.
const PROBE: &str = r#"<script>
document.querySelectorAll('details').forEach(function (d) { d.open = true; });
document.querySelectorAll('article.story').forEach(function (c) { c.style.contentVisibility = 'visible'; });
document.querySelectorAll('article.story h3').forEach(function (h) { h.setAttribute('data-computed-dir', getComputedStyle(h).direction); });
function left(node, from, to) { var r = document.createRange(); r.setStart(node, from); r.setEnd(node, to); return r.getBoundingClientRect().left; }
document.querySelectorAll('.id').forEach(function (b) {
  var t = b.firstChild; if (!t || t.length < 2) return;
  b.setAttribute('data-id-ltr', left(t, 0, 1) < left(t, t.length - 1, t.length) ? 'yes' : 'no');
});
document.querySelectorAll('article.story[lang=ar] .label').forEach(function (l) {
  var chips = l.children; if (chips.length < 2) return;
  var a = chips[0].getBoundingClientRect().left, z = chips[chips.length - 1].getBoundingClientRect().left;
  l.setAttribute('data-chips', a > z ? 'rtl' : 'ltr');
});
(function () {
  var q = document.getElementById('q'), count = document.getElementById('count'), out = {};
  QUERIES.forEach(function (query) {
    q.value = query; q.dispatchEvent(new Event('input'));
    out[query] = [Number(count.dataset.shown), Number(count.dataset.shownSingles)];
  });
  q.value = ''; q.dispatchEvent(new Event('input'));
  var pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"#;

/// Groups of queries that must find the same stories and single articles: an Arabic word of
/// a headline as written, and as typed without hamza, teh marbuta or alef maqsura, with a
/// diacritic and a tatweel; and a single article's headline word and its id.
fn search_queries(stories: &[serde_json::Value]) -> Vec<Vec<String>> {
    let word = stories
        .iter()
        .filter(|s| s["lang"] == "ar")
        .flat_map(|s| s["headline"].as_str().unwrap().split_whitespace())
        .find(|w| w.chars().count() >= 4 && w.contains(['أ', 'إ', 'آ', 'ة', 'ى']))
        .expect("an Arabic headline word with hamza, teh marbuta or alef maqsura");
    let plain: String = word
        .chars()
        .map(|c| match c {
            'أ' | 'إ' | 'آ' => 'ا',
            'ة' => 'ه',
            'ى' => 'ي',
            c => c,
        })
        .collect();
    let mut marked: Vec<char> = plain.chars().collect();
    marked.insert(2, '\u{0640}');
    marked.insert(1, '\u{064E}');
    let mut groups = vec![vec![word.to_string(), plain, marked.into_iter().collect()]];
    if let Some(single) = stories.iter().find(|s| s["size"] == 1) {
        groups.push(vec![single["members"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()]);
    }
    groups
}

fn check_probe(name: &str, dom: &str, queries: &[Vec<String>], stories: &[serde_json::Value]) {
    // Ids read as written (`002_5dc8…`, not `5dc8…_002`) in right-to-left rows too.
    assert!(dom.contains("data-id-ltr=\"yes\""), "{name}: ids in <bdi>");
    assert!(
        !dom.contains("data-id-ltr=\"no\""),
        "{name}: an id is reordered"
    );
    // Arabic stories' label chips run right to left.
    assert!(dom.contains("data-chips=\"rtl\""), "{name}: Arabic chips");
    assert!(
        !dom.contains("data-chips=\"ltr\""),
        "{name}: chips run left to right"
    );
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + 16;
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let found: std::collections::BTreeMap<String, (usize, usize)> =
        serde_json::from_str(&json).unwrap();
    let arabic = &queries[0];
    let as_written = found[&arabic[0]];
    assert!(as_written.0 > 0, "{name}: {} finds its story", arabic[0]);
    for q in arabic {
        assert_eq!(
            found[q], as_written,
            "{name}: «{q}» finds as «{}»",
            arabic[0]
        );
    }
    // A single article is found by its id, in the single articles' list.
    if let Some(id) = queries.get(1) {
        let singles = stories.iter().filter(|s| s["size"] == 1).count();
        assert!(singles > 0);
        assert_eq!(found[&id[0]].1, 1, "{name}: single {} found", id[0]);
    }
}
