//! Text analysis: normalisation, tokens, stop words, stemming, boilerplate, headlines and
//! shingles.
//!
//! A document has two views: its *surface tokens* (normalised, unstemmed; near-duplicate
//! shingles are made of them) and its *terms* (stop words and numbers out, stemmed; TF-IDF
//! vectors are made of them). Both leave boilerplate out.

mod analysis;
mod analyzer;
mod boilerplate;
mod headline;
mod lang;
mod normalize;
mod sentence;
mod shingle;
mod stem;
mod stopwords;

pub use analysis::{
    analyze, analyze_observed, content_tokens_with_spans, crosses_punctuation, display_form,
    is_bigram, term_hash, AnalysisOptions, AnalyzedCorpus, AnalyzedDocument, TermCount, TermForms,
};
pub use analyzer::{
    Analyzer, AnalyzerBuilder, DropNumbers, MinChars, Scratch, StemFilter, StopWordFilter,
    TokenFilter,
};
pub use boilerplate::{BoilerplateOptions, BoilerplateReason, Line, LineKind};
pub use headline::{find_title_line, first_sentence, shorten, HeadlineOptions, HeadlineSource};
pub use lang::{latin_majority, Detection, Lang};
pub use normalize::{NormalizeOptions, Normalizer, Span};
pub use sentence::{sentences, Sentences};
pub use shingle::{sequence_hash, shingle_set, shingles_into, token_hash};
pub use stem::{light10, ArabicStemmer, Stemmer};
pub use stopwords::StopWords;
