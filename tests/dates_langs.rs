//! Dates and languages (issue 14, point 7): the date formats of feeds and dumps with a time
//! zone for naive times; French, Turkish and Persian told apart from English and Arabic and
//! analysed with their own stop words and stemmers, while Arabic and English stay as they were.
//! The sample texts are written for this test.

mod common;
use common::{ok, storyclust, write_jsonl};

use serde_json::json;
use storyclust::corpus::{Document, Timestamp};
use storyclust::text::{analyze, term_hash, AnalysisOptions, Normalizer};

const FRENCH: &str = "Le gouvernement a présenté mardi un nouveau plan pour les transports \
publics dans les grandes villes du pays. Selon le ministre, les travaux commenceront au \
printemps et dureront plusieurs années. Les syndicats ont salué cette décision, mais ils \
demandent davantage de moyens pour les conducteurs et les agents d'entretien.";

const FRENCH_2: &str = "Les habitants de la région attendent depuis longtemps une ligne de \
tramway qui relierait la gare au nouvel hôpital. La mairie affirme que le chantier sera \
financé en partie par l'État et que les premiers essais auront lieu avant la fin de l'année.";

const TURKISH: &str = "Hükümet salı günü büyük şehirlerde toplu taşıma için yeni bir plan \
açıkladı. Bakanın açıklamasına göre çalışmalar ilkbaharda başlayacak ve birkaç yıl sürecek. \
Sendikalar bu kararı memnuniyetle karşıladı, ancak sürücüler ve bakım çalışanları için daha \
fazla kaynak istediklerini belirttiler.";

const PERSIAN: &str = "دولت روز سه‌شنبه طرح تازه‌ای برای حمل و نقل عمومی در شهرهای بزرگ کشور \
ارائه کرد. به گفته وزیر، کارها در بهار آغاز می‌شود و چند سال طول می‌کشد. سندیکاها از این \
تصمیم استقبال کردند، اما خواستار منابع بیشتری برای رانندگان و کارکنان نگهداری شدند.";

const ARABIC: &str = "أعلنت الحكومة يوم الثلاثاء خطة جديدة للنقل العام في المدن الكبرى، وقال \
الوزير إن الأعمال ستبدأ في الربيع وتستمر عدة سنوات، فيما رحبت النقابات بالقرار وطالبت بموارد \
أكثر للسائقين وعمال الصيانة. وزار الوفد مدينة كرمانشاه ونيشابور.";

const ENGLISH: &str = "The government presented a new plan for public transport in the large \
cities of the country on Tuesday. According to the minister, the works will begin in the spring \
and last several years.";

fn doc(id: &str, title: Option<&str>, body: &str) -> Document {
    let mut doc = Document::new(id, body);
    doc.title = title.map(String::from);
    doc
}

fn languages(docs: &[Document]) -> Vec<String> {
    analyze(docs, &AnalysisOptions::default())
        .unwrap()
        .documents
        .iter()
        .map(|a| a.lang.code().to_string())
        .collect()
}

#[test]
fn french_turkish_and_persian_are_told_from_english_and_arabic() {
    let docs = [
        doc("fr", None, FRENCH),
        doc("tr", None, TURKISH),
        doc("fa", None, PERSIAN),
        doc("ar", None, ARABIC),
        doc("en", None, ENGLISH),
    ];
    assert_eq!(languages(&docs), ["fr", "tr", "fa", "ar", "en"]);
}

#[test]
fn short_latin_texts_take_the_corpus_language_and_stay_english_otherwise() {
    // A headline alone is too short to tell: it takes the language of the corpus.
    let french = [
        doc("a", None, FRENCH),
        doc("b", None, FRENCH_2),
        doc("h", Some("Grève des transports à Lyon"), ""),
    ];
    assert_eq!(languages(&french), ["fr", "fr", "fr"]);
    // In an Arabic and English corpus the same short texts stay English, as before.
    let mixed = [
        doc("a", None, ARABIC),
        doc("e", None, ENGLISH),
        doc("h", Some("Transport strike in Lyon"), ""),
        doc("i", Some("Grève des transports à Lyon"), ""),
    ];
    assert_eq!(languages(&mixed), ["ar", "en", "en", "en"]);
}

#[test]
fn each_language_gets_its_stop_words_and_stemmer() {
    let docs = [
        doc("fr", None, FRENCH),
        doc("tr", None, TURKISH),
        doc("fa", None, PERSIAN),
    ];
    let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
    let n = Normalizer::default();
    let has = |i: usize, word: &str| {
        let hash = term_hash(&n.normalize(word));
        analyzed.documents[i].terms.iter().any(|t| t.term == hash)
    };
    // French: «les», «pour» are stop words; «gouvernement» is stemmed by Snowball French.
    assert!(!has(0, "les") && !has(0, "pour"));
    assert!(has(0, "gouvern") && !has(0, "gouvernement"));
    // Turkish: «için», «ve», «bu» are stop words; «şehirlerde» loses its case ending.
    assert!(!has(1, "için") && !has(1, "ve") && !has(1, "bu"));
    assert!(has(1, "şehir") && !has(1, "şehirlerde"));
    // Persian: «از», «برای», «این» are stop words; no stemmer, so words stay whole.
    assert!(!has(2, "از") && !has(2, "برای") && !has(2, "این"));
    assert!(has(2, "دولت") && has(2, "سندیکاها"));
}

#[test]
fn feed_and_dump_date_formats_are_read() {
    let utc = |s: &str| Timestamp::parse(s).map(|t| t.to_string());
    for (text, expected) in [
        ("Tue, 21 Jul 2015 05:51:32 +0300", "2015-07-21T02:51:32Z"),
        ("21 Jul 2015 02:51:32 GMT", "2015-07-21T02:51:32Z"),
        ("2015-07-21T05:51:32+03:00", "2015-07-21T02:51:32Z"),
        ("2015-07-21T02:51", "2015-07-21T02:51:00Z"),
        ("1437447092", "2015-07-21T02:51:32Z"),
        ("1437447092123", "2015-07-21T02:51:32Z"),
        // Accepted before, unchanged.
        ("2015-07-21 02:51:32", "2015-07-21T02:51:32Z"),
        ("2015-07-21", "2015-07-21T00:00:00Z"),
    ] {
        assert_eq!(utc(text).as_deref(), Some(expected), "{text:?}");
    }
}

#[test]
fn naive_times_are_read_in_the_time_zone_given() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dates.jsonl");
    write_jsonl(
        &input,
        &[
            json!({"id": "naive", "text": FRENCH, "date": "2015-07-21 05:51:32"}),
            json!({"id": "offset", "text": TURKISH, "date": "2015-07-21T05:51:32Z"}),
            json!({"id": "rss", "text": ENGLISH, "date": "Tue, 21 Jul 2015 05:51:32 +0300"}),
            json!({"id": "epoch", "text": ARABIC, "date": 1437447092}),
            json!({"id": "day", "text": PERSIAN, "date": "2015-07-21"}),
        ],
    );
    let out = dir.path().join("out.csv");
    let (input, out_path) = (input.to_str().unwrap(), out.to_str().unwrap());
    let args = [
        "dedup",
        input,
        "-q",
        "-o",
        out_path,
        "--timezone",
        "Asia/Riyadh",
    ];
    ok(storyclust(&args));
    let dates: Vec<(String, String)> = csv::Reader::from_path(&out)
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[4].to_string())
        })
        .collect();
    let expected = [
        ("naive", "2015-07-21T02:51:32Z"),
        ("offset", "2015-07-21T05:51:32Z"),
        ("rss", "2015-07-21T02:51:32Z"),
        ("epoch", "2015-07-21T02:51:32Z"),
        ("day", "2015-07-21T00:00:00Z"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(dates, expected);
    let bad = storyclust(&["stats", input, "-q", "--timezone", "Mars/Olympus"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Mars/Olympus"));
}
