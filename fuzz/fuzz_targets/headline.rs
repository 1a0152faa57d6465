//! Headline extraction (with boilerplate marking) on arbitrary pages: never panics, the
//! headline is short and made of the page's own words, and lines point into the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyclust::corpus::Document;
use storyclust::text::{analyze, AnalysisOptions, HeadlineSource};

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
        // Titles and title lines (at most 30 words) may run to 4 × 120 characters; first
        // sentences are cut at 120, plus the ellipsis.
        let limit = match a.headline_source {
            HeadlineSource::Title | HeadlineSource::Line(_) => 4 * 120 + 1,
            HeadlineSource::FirstSentence | HeadlineSource::None => 121,
        };
        assert!(a.headline.chars().count() <= limit, "{:?}", a.headline);
        for line in &a.lines {
            assert!(doc.body.get(line.text.clone()).is_some());
        }
        assert!(a.tokens.len() <= a.total_tokens);
    }
});
