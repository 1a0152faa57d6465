//! The seed articles through the library: boilerplate and headlines.

use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::text::{analyze, AnalysisOptions, LineKind};

#[test]
fn site_furniture_is_boilerplate_and_subheadings_are_content() {
    let corpus = read_corpus(&["seeds"], &ReadOptions::default()).unwrap();
    let analyzed = analyze(&corpus.documents, &AnalysisOptions::default()).unwrap();
    let kind_of = |needle: &str| -> Vec<LineKind> {
        corpus
            .documents
            .iter()
            .zip(&analyzed.documents)
            .flat_map(|(doc, a)| {
                a.lines
                    .iter()
                    .filter(|l| doc.body[l.text.clone()].trim() == needle)
                    .map(|l| l.kind)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    for furniture in [
        "زر الذهاب إلى الأعلى",
        "مقالات ذات صلة",
        "تابع موقع تحيا مصر علي",
        "لندن – اليوم ميديا",
        "عاجل",
        "اخبار العالم",
        "رئيس التحرير",
        "الجمعة 05 ديسمبر 2025 الموافق 14 جمادى\u{a0}الثانية 1447",
    ] {
        let kinds = kind_of(furniture);
        assert!(!kinds.is_empty(), "{furniture} not found");
        assert!(
            kinds.iter().all(|k| matches!(k, LineKind::Boilerplate(_))),
            "{furniture}: {kinds:?}"
        );
    }
    // The repeated title copies at the end of 001 are boilerplate, the title line itself is
    // the headline.
    let title = "اتصالات “سرية” بين ترامب وبوتين.. لماذا أعلن عنها الرئيس الأمريكي ونفاها الكرملين؟";
    assert_eq!(
        kind_of(title),
        [
            LineKind::Headline,
            LineKind::Boilerplate(storyclust::text::BoilerplateReason::Repeated)
        ]
    );
    for subheading in [
        "أجواء ودية رغم الخلافات",
        "الموقف الروسي",
        "ضغوط داخلية على بوتين",
    ] {
        assert_eq!(kind_of(subheading), [LineKind::Content], "{subheading}");
    }
}

/// Runs `cluster` on the seeds and returns `id → assignment` at `level`.
fn assignments(level: &str) -> std::collections::BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.tsv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_storyclust"))
        .args([
            "cluster",
            "seeds",
            "-q",
            "-o",
            "/dev/null",
            "--level",
            level,
        ])
        .arg("--assignments")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(format!("id\t{level}").as_str()));
    lines
        .map(|l| {
            let (id, a) = l.split_once('\t').unwrap();
            (id[..3].to_string(), a.to_string())
        })
        .collect()
}

#[test]
fn the_secret_calls_are_one_story_inside_one_trump_putin_topic() {
    let story = assignments("story");
    // 001 and 003 both report the secret calls; 002 is about a summit after Riyadh.
    assert_eq!(story["001"], story["003"]);
    assert_ne!(story["002"], story["001"]);
    let topic = assignments("topic");
    assert!(topic.values().all(|t| t == &topic["000"]), "{topic:?}");
}
