//! The normaliser and tokeniser on arbitrary text: spans stay on character boundaries,
//! output is clean, and normalising twice changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use storyclust::text::{Analyzer, ArabicStemmer, Lang, Normalizer, Scratch};

/// Built once: stop-word lists take far longer to build than one input takes to analyse.
fn analyzers() -> &'static [Analyzer; 2] {
    static ANALYZERS: OnceLock<[Analyzer; 2]> = OnceLock::new();
    ANALYZERS.get_or_init(|| {
        [Lang::Arabic, Lang::English]
            .map(|lang| Analyzer::terms(Normalizer::default(), lang, ArabicStemmer::default()))
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let normalizer = Normalizer::default();
    let mut out = String::new();
    let mut spans = Vec::new();
    normalizer.normalize_with_spans(&text, &mut out, &mut spans);
    assert!(!out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "));
    assert_eq!(
        out.split(' ').filter(|w| !w.is_empty()).count(),
        spans.len()
    );
    for &(start, end) in &spans {
        let (start, end) = (start as usize, end as usize);
        assert!(start <= end && end <= text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    }
    assert_eq!(normalizer.normalize(&out), out);
    for analyzer in analyzers() {
        let mut scratch = Scratch::default();
        analyzer.for_each_token(&text, &mut scratch, |token| {
            assert!(!token.is_empty() && !token.contains(' '));
        });
    }
});
