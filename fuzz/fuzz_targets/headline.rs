//! Headline extraction (with boilerplate marking) on arbitrary pages: never panics, the
//! headline is short and made of the page's own words, and lines point into the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyclust::corpus::Document;
use storyclust::text::{analyze, AnalysisOptions};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Two documents from one source, so that recurring lines are looked for as well.
    let (first, second) = text.split_at(
        text.char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(i, _)| i),
    );
    let docs: Vec<Document> = [first, second]
        .iter()
        .enumerate()
        .map(|(i, body)| Document {
            source: Some("site".into()),
            ..Document::new(format!("d{i}"), body.to_string())
        })
        .collect();
    let options = AnalysisOptions::default();
    let analyzed = analyze(&docs, &options);
    for (doc, a) in docs.iter().zip(&analyzed.documents) {
        assert!(a.headline.chars().count() <= 121, "{:?}", a.headline);
        for line in &a.lines {
            assert!(doc.body.get(line.text.clone()).is_some());
        }
        assert!(a.tokens.len() <= a.total_tokens);
    }
});
