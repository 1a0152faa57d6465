//! Analyzers: a normaliser, a tokenizer and a chain of token filters, built like tantivy's
//! `TextAnalyzer`.
//!
//! ```
//! use storyclust::text::{Analyzer, Lang, Normalizer, StopWordFilter, StemFilter, ArabicStemmer};
//! let normalizer = Normalizer::default();
//! let analyzer = Analyzer::builder(normalizer)
//!     .filter(StopWordFilter::for_lang(Lang::Arabic, &normalizer))
//!     .filter(StemFilter::for_lang(Lang::Arabic, ArabicStemmer::Light10))
//!     .build();
//! let mut terms = Vec::new();
//! analyzer.for_each_token("اتصالات سرية بين ترامب وبوتين", &mut Default::default(), |t| {
//!     terms.push(t.to_string())
//! });
//! // "بين" is a stop word; light10 strips و, ات, يه and ين (display forms keep the raw words).
//! assert_eq!(terms, ["اتصال", "سر", "ترامب", "بوت"]);
//! ```

use super::{ArabicStemmer, Lang, Normalizer, Stemmer, StopWords};

/// A step applied to each token after normalisation and tokenization.
pub trait TokenFilter: Send + Sync + std::fmt::Debug {
    /// Rewrites `token` in place; returns `false` to drop it.
    fn apply(&self, token: &mut String) -> bool;
}

/// Drops stop words.
#[derive(Debug, Clone)]
pub struct StopWordFilter(pub StopWords);

impl StopWordFilter {
    /// The maintained list for `lang`, normalised with `normalizer`.
    pub fn for_lang(lang: Lang, normalizer: &Normalizer) -> Self {
        StopWordFilter(StopWords::for_lang(lang, normalizer))
    }
}

impl TokenFilter for StopWordFilter {
    fn apply(&self, token: &mut String) -> bool {
        !self.0.contains(token)
    }
}

/// Stems tokens (no-op for languages without a stemmer).
#[derive(Debug)]
pub struct StemFilter(Option<Stemmer>);

impl StemFilter {
    /// The stemmer for `lang`.
    pub fn for_lang(lang: Lang, arabic: ArabicStemmer) -> Self {
        StemFilter(Stemmer::for_lang(lang, arabic))
    }
}

impl TokenFilter for StemFilter {
    fn apply(&self, token: &mut String) -> bool {
        if let Some(stemmer) = &self.0 {
            stemmer.stem(token);
        }
        !token.is_empty()
    }
}

/// Drops tokens made only of digits (years, counts): they make poor labels and link
/// unrelated stories.
#[derive(Debug, Clone, Copy)]
pub struct DropNumbers;

impl TokenFilter for DropNumbers {
    fn apply(&self, token: &mut String) -> bool {
        !token.bytes().all(|b| b.is_ascii_digit())
    }
}

/// Drops tokens shorter than a number of characters.
#[derive(Debug, Clone, Copy)]
pub struct MinChars(pub usize);

impl TokenFilter for MinChars {
    fn apply(&self, token: &mut String) -> bool {
        super::stem::char_count(token) >= self.0
    }
}

/// Buffers an analyzer reuses between calls, so that tokens cost no allocation.
#[derive(Debug, Default)]
pub struct Scratch {
    normalized: String,
    token: String,
}

/// Normaliser + whitespace tokenizer (the normaliser has already reduced every separator to
/// one space) + token filters.
#[derive(Debug)]
pub struct Analyzer {
    normalizer: Normalizer,
    filters: Vec<Box<dyn TokenFilter>>,
}

/// Builds an [`Analyzer`].
#[derive(Debug)]
pub struct AnalyzerBuilder {
    analyzer: Analyzer,
}

impl AnalyzerBuilder {
    /// Appends a filter; filters run in the order added.
    pub fn filter(mut self, filter: impl TokenFilter + 'static) -> Self {
        self.analyzer.filters.push(Box::new(filter));
        self
    }

    /// The analyzer.
    pub fn build(self) -> Analyzer {
        self.analyzer
    }
}

impl Analyzer {
    /// Starts an analyzer with a normaliser and no filters.
    pub fn builder(normalizer: Normalizer) -> AnalyzerBuilder {
        AnalyzerBuilder {
            analyzer: Analyzer {
                normalizer,
                filters: Vec::new(),
            },
        }
    }

    /// The surface view: normalised, unfiltered tokens.
    pub fn surface(normalizer: Normalizer) -> Analyzer {
        Analyzer::builder(normalizer).build()
    }

    /// The term view for a language: stop words and numbers out, stemmed.
    pub fn terms(normalizer: Normalizer, lang: Lang, arabic: ArabicStemmer) -> Analyzer {
        Analyzer::builder(normalizer)
            .filter(StopWordFilter::for_lang(lang, &normalizer))
            .filter(DropNumbers)
            .filter(MinChars(2))
            .filter(StemFilter::for_lang(lang, arabic))
            .build()
    }

    /// The normaliser.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Calls `f` with every token of `text` that passes the filters, in order.
    pub fn for_each_token(&self, text: &str, scratch: &mut Scratch, mut f: impl FnMut(&str)) {
        self.normalizer
            .normalize_into(text, &mut scratch.normalized);
        for word in scratch.normalized.split(' ').filter(|w| !w.is_empty()) {
            if let Some(token) = self.filter_token(word, &mut scratch.token) {
                f(token);
            }
        }
    }

    /// Runs the filters on one already-normalised word; the result lives in `buf`.
    pub fn filter_token<'b>(&self, word: &str, buf: &'b mut String) -> Option<&'b str> {
        if self.filters.is_empty() {
            buf.clear();
            buf.push_str(word);
            return Some(buf);
        }
        buf.clear();
        buf.push_str(word);
        for filter in &self.filters {
            if !filter.apply(buf) {
                return None;
            }
        }
        Some(buf)
    }
}
