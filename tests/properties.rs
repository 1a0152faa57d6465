//! Property tests on arbitrary Unicode: normalisation, headline extraction and the readers
//! never panic and keep their invariants.

use proptest::prelude::*;
use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::text::{analyze, first_sentence, shorten, AnalysisOptions, Normalizer};
use unicode_segmentation::UnicodeSegmentation;

/// Text that mixes Arabic, Latin, digits, marks, punctuation and odd code points.
fn mixed_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[ابتثجحخدذرزسشصضطظعغفقكلمنهوي]{1,8}",
        "[أإآٱىئةؤ\u{064B}-\u{0652}\u{0640}\u{0670}]{1,3}",
        "[a-zA-Z]{1,8}",
        "[٠-٩۰-۹0-9]{1,4}",
        "[ ،؛؟«»“”\"'.,!?|•\n\r\t-]{1,3}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn normalised_text_is_clean_and_normalising_again_changes_nothing(text in mixed_text()) {
        let n = Normalizer::default();
        let mut out = String::new();
        let mut spans = Vec::new();
        n.normalize_with_spans(&text, &mut out, &mut spans);
        prop_assert!(!out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "));
        let words: Vec<&str> = out.split(' ').filter(|w| !w.is_empty()).collect();
        prop_assert_eq!(words.len(), spans.len());
        for &(a, b) in &spans {
            prop_assert!(a <= b && (b as usize) <= text.len());
            prop_assert!(text.is_char_boundary(a as usize) && text.is_char_boundary(b as usize));
        }
        prop_assert_eq!(n.normalize(&out), out.clone());
        for c in out.chars() {
            let unified = matches!(c, 'أ' | 'إ' | 'آ' | 'ى' | 'ة' | 'ؤ' | 'ئ' | '\u{0640}' | '\u{064B}'..='\u{0652}' | '٠'..='٩');
            prop_assert!(!unified, "{:?} left in {:?}", c, out);
        }
    }

    #[test]
    fn headlines_are_short_and_taken_from_the_text(text in mixed_text(), max in 5usize..80) {
        let h = shorten(&text, max);
        prop_assert!(h.chars().count() <= max.max(1));
        let s = first_sentence(&text, max);
        prop_assert!(s.chars().count() <= max.max(1));
    }

    #[test]
    fn analysis_never_panics_and_tokens_come_from_content(body in mixed_text(), title in mixed_text()) {
        let mut doc = storyclust::corpus::Document::new("x", body);
        doc.title = Some(title);
        let a = analyze(std::slice::from_ref(&doc), &AnalysisOptions::default()).unwrap().documents.remove(0);
        prop_assert!(a.tokens.len() <= a.total_tokens);
        for line in &a.lines {
            prop_assert!(doc.body.get(line.text.clone()).is_some());
        }
    }

    #[test]
    fn readers_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let dir = tempfile::tempdir().unwrap();
        for name in ["x.jsonl", "x.csv", "x.tsv", "x.txt"] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            match read_corpus(&[&path], &ReadOptions::default()) {
                Ok(corpus) => {
                    for d in &corpus.diagnostics.items {
                        prop_assert!(d.origin.to_string().contains(name));
                    }
                }
                // A CSV/TSV whose header names no text column, or cannot be read, is refused.
                Err(storyclust::Error::Format { message, .. }) => {
                    let header = message.contains("--text-field") || message.contains("header row");
                    prop_assert!(name.ends_with("sv") && header, "{}", message);
                }
                Err(other) => prop_assert!(false, "{}", other),
            }
        }
    }
}

/// The words the normaliser finds are the UAX #29 words of the text (normalised), on the
/// seed articles. Differences are limited to what normalisation does on purpose: numbers
/// such as `3.5` and words joined by punctuation that UAX #29 keeps together are split.
#[test]
fn words_agree_with_unicode_word_segmentation_on_the_seeds() {
    let n = Normalizer::default();
    let corpus = read_corpus(&["seeds"], &ReadOptions::default()).unwrap();
    let (mut same, mut total) = (0usize, 0usize);
    for doc in &corpus.documents {
        let ours: Vec<String> = n
            .normalize(&doc.body)
            .split(' ')
            .map(str::to_string)
            .collect();
        let uax: Vec<String> = doc
            .body
            .unicode_words()
            .flat_map(|w| {
                n.normalize(w)
                    .split(' ')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|w| !w.is_empty())
            .collect();
        total += uax.len();
        same += ours.iter().zip(&uax).take_while(|(a, b)| a == b).count();
        assert_eq!(ours, uax, "{}", doc.id);
    }
    assert_eq!(same, total);
}
