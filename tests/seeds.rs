//! The seed articles through the library: boilerplate and headlines.

use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::text::{analyze, AnalysisOptions, LineKind};

#[test]
fn site_furniture_is_boilerplate_and_subheadings_are_content() {
    let corpus = read_corpus(&["seeds"], &ReadOptions::default()).unwrap();
    let analyzed = analyze(&corpus.documents, &AnalysisOptions::default());
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
