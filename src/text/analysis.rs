//! Analysis of a whole corpus: lines, boilerplate, headlines, surface tokens and terms.
//!
//! Three passes, the first and last in parallel: (1) each document is split into lines,
//! normalised and tokenized; (2) line hashes are counted per source and corpus-wide to find
//! recurring lines; (3) each document's boilerplate is marked, its headline chosen, and its
//! surface tokens (for shingles) and terms (for TF-IDF) are collected from the content.

use super::boilerplate::{mark_page_boilerplate, BoilerplateOptions, BoilerplateReason};
use super::headline::{find_title_line, first_sentence, shorten, HeadlineOptions, HeadlineSource};
use super::normalize::Span;
use super::shingle::{sequence_hash, token_hash};
use super::{
    latin_majority, Analyzer, ArabicStemmer, Detection, Lang, Line, LineKind, NormalizeOptions,
    Normalizer,
};
use crate::corpus::Document;
use crate::progress::{NoObserver, PipelineObserver, Stage, StageClock};
use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;
use serde::Serialize;

/// Options of text analysis.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AnalysisOptions {
    /// Normalisation rules.
    pub normalize: NormalizeOptions,
    /// Force one language for every document instead of identifying it.
    pub lang: Option<Lang>,
    /// Stemmer for Arabic terms.
    pub arabic_stemmer: ArabicStemmer,
    /// Boilerplate thresholds.
    pub boilerplate: BoilerplateOptions,
    /// Headline limits.
    pub headline: HeadlineOptions,
    /// Collect terms (stop words out, stemmed) for TF-IDF; not needed for near-duplicates.
    pub terms: bool,
    /// Also count pairs of adjacent terms (after stop words are removed) as terms.
    pub bigrams: bool,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            normalize: NormalizeOptions::default(),
            lang: None,
            arabic_stemmer: ArabicStemmer::default(),
            boilerplate: BoilerplateOptions::default(),
            headline: HeadlineOptions::default(),
            terms: true,
            bigrams: false,
        }
    }
}

impl AnalysisOptions {
    /// Checks each part: normalisation, boilerplate and headline limits, and that
    /// `bigrams` comes with `terms` (bigrams are pairs of terms: without terms there are
    /// none, and the option would be ignored). [`analyze`] and [`analyze_observed`] refuse
    /// options that fail it.
    pub fn check(&self) -> crate::Result<()> {
        crate::error::ensure(self.terms || !self.bigrams, "analysis.bigrams", || {
            "bigrams are pairs of terms: turn terms on, or bigrams off".into()
        })?;
        self.normalize.check()?;
        self.boilerplate.check()?;
        self.headline.check()
    }
}

/// A term of a document with its count. Terms are identified by the stable hash of their
/// stemmed form ([`term_hash`]); how a term was written is found again, when it is shown,
/// by [`TermForms`] (storing it for every term would double the memory of analysis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TermCount {
    /// XXH3-64 of the term (normalised, stemmed).
    pub term: u64,
    /// Occurrences in the title and content.
    pub count: u32,
    /// Occurrences in the title (or headline line).
    pub title_count: u32,
}

/// The top bit of a term hash tells bigrams (set) from single words (clear), so that they
/// never collide and later stages can weigh them apart (see [`is_bigram`]).
const BIGRAM_BIT: u64 = 1 << 63;

/// The stable hash that identifies a term: XXH3-64 of its normalised, stemmed UTF-8 bytes,
/// top bit cleared (it marks bigrams).
pub fn term_hash(term: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(term.as_bytes()) & !BIGRAM_BIT
}

/// The hash of the bigram of two adjacent terms.
fn bigram_hash(first: u64, second: u64) -> u64 {
    sequence_hash(&[first, second]) | BIGRAM_BIT
}

/// Whether a term hash is a bigram's.
pub fn is_bigram(term: u64) -> bool {
    term & BIGRAM_BIT != 0
}

/// What analysis learned about one document.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AnalyzedDocument {
    /// Its language.
    pub lang: Lang,
    /// Its headline: the title, the title line, or the first sentence.
    pub headline: String,
    /// Where the headline came from.
    pub headline_source: HeadlineSource,
    /// The body's lines, with their kinds.
    pub lines: Vec<Line>,
    /// Number of surface tokens of the title and body, boilerplate included.
    pub total_tokens: usize,
    /// Hashes of the surface tokens of the title and the content lines, in order; this is
    /// what shingles are made of.
    #[serde(skip)]
    pub tokens: Vec<u64>,
    /// Terms of the title and content lines, sorted by term hash (empty unless terms were
    /// asked for).
    #[serde(skip)]
    pub terms: Vec<TermCount>,
}

impl AnalyzedDocument {
    /// The texts that terms and tokens come from: the title field (when it is the headline)
    /// and the content lines of `doc`, this document's source.
    pub fn texts<'d>(&self, doc: &'d Document) -> impl Iterator<Item = &'d str> + use<'d, '_> {
        let title = doc
            .title
            .as_deref()
            .filter(|_| self.headline_source == HeadlineSource::Title);
        let content = self
            .lines
            .iter()
            .filter(|l| l.is_content())
            .map(|l| &doc.body[l.text.clone()]);
        title.into_iter().chain(content)
    }

    /// Number of boilerplate lines.
    pub fn boilerplate_lines(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Boilerplate(_)))
            .count()
    }
}

/// The analysis of a corpus: one entry per document, in corpus order.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AnalyzedCorpus {
    /// One per document of the corpus, same order.
    pub documents: Vec<AnalyzedDocument>,
}

/// What pass 1 keeps of a document.
struct Scanned {
    detection: Detection,
    lines: Vec<Line>,
    /// Token hashes of all body lines.
    tokens: Vec<u64>,
    title_tokens: Vec<u64>,
}

/// Analyses every document of `documents`, once `options` pass [`AnalysisOptions::check`]
/// (a value that cannot work is [`Error::InvalidOption`](crate::Error::InvalidOption)).
///
/// ```
/// use storyclust::corpus::Document;
/// use storyclust::text::{analyze, AnalysisOptions, HeadlineSource, Lang};
///
/// let docs = [Document::new("a1", "الأمطار تغمر شوارع الرياض.\nوتوقعات بمزيد من الأمطار غدا.")];
/// let analyzed = analyze(&docs, &AnalysisOptions::default())?;
/// let doc = &analyzed.documents[0];
/// assert_eq!(doc.lang, Lang::Arabic);
/// assert_eq!(doc.headline_source, HeadlineSource::FirstSentence);
/// assert!(!doc.tokens.is_empty() && !doc.terms.is_empty());
/// # Ok::<(), storyclust::Error>(())
/// ```
pub fn analyze(documents: &[Document], options: &AnalysisOptions) -> crate::Result<AnalyzedCorpus> {
    analyze_observed(documents, options, &NoObserver)
}

/// Documents per progress report: few enough reports not to slow the work.
const BATCH: usize = 256;

/// [`analyze`], reporting [`Stage::Scan`] and [`Stage::Analyse`] to `observer`, each
/// counting every document once.
pub fn analyze_observed(
    documents: &[Document],
    options: &AnalysisOptions,
    observer: &dyn PipelineObserver,
) -> crate::Result<AnalyzedCorpus> {
    options.check()?;
    Ok(analyze_as_given(documents, options, observer))
}

fn analyze_as_given(
    documents: &[Document],
    options: &AnalysisOptions,
    observer: &dyn PipelineObserver,
) -> AnalyzedCorpus {
    let normalizer = Normalizer::new(options.normalize);
    let total = Some(documents.len() as u64);
    let clock = StageClock::start(observer, Stage::Scan, total);
    let mut scanned: Vec<Scanned> = documents
        .par_chunks(BATCH)
        .flat_map_iter(|chunk| {
            let s: Vec<Scanned> = chunk
                .iter()
                .map(|doc| scan(doc, &normalizer, options))
                .collect();
            clock.advance(chunk.len() as u64);
            s
        })
        .collect();
    clock.finish();
    let clock = StageClock::start(observer, Stage::Analyse, total);
    // Latin-script texts too short to tell take the corpus's language.
    let majority = latin_majority(scanned.iter().map(|s| &s.detection));
    for s in scanned.iter_mut().filter(|s| s.detection.uncertain) {
        s.detection.lang = majority;
    }
    let recurring = recurring_lines(documents, &scanned, &options.boilerplate);
    let term_analyzers = options
        .terms
        .then(|| TermAnalyzers::new(normalizer, options));
    let analyzed = documents
        .par_iter()
        .zip(scanned)
        .with_min_len(BATCH)
        .map(|(doc, scanned)| {
            let a = finish(doc, scanned, &recurring, term_analyzers.as_ref(), options);
            clock.advance(1);
            a
        })
        .collect();
    clock.finish();
    AnalyzedCorpus {
        documents: analyzed,
    }
}

fn scan(doc: &Document, normalizer: &Normalizer, options: &AnalysisOptions) -> Scanned {
    let detection = match options.lang {
        Some(lang) => Detection {
            lang,
            latin: false,
            uncertain: false,
        },
        None => Lang::identify(match &doc.title {
            Some(t) if doc.body.len() < 200 => t,
            _ => &doc.body,
        }),
    };
    let mut buf = String::new();
    let mut title_tokens = Vec::new();
    if let Some(title) = &doc.title {
        normalizer.normalize_into(title, &mut buf);
        title_tokens.extend(words(&buf).map(token_hash));
    }
    let mut lines = Vec::new();
    let mut tokens = Vec::new();
    let mut offset = 0usize;
    for raw in doc.body.split('\n') {
        let start = offset + (raw.len() - raw.trim_start().len());
        let end = offset + raw.trim_end().len();
        offset += raw.len() + 1;
        let text = &doc.body[start..end.max(start)];
        normalizer.normalize_into(text, &mut buf);
        let first = tokens.len();
        let mut numeric = 0;
        for w in words(&buf) {
            numeric += usize::from(w.bytes().all(|b| b.is_ascii_digit()));
            tokens.push(token_hash(w));
        }
        let line_tokens = first..tokens.len();
        lines.push(Line {
            text: start..end.max(start),
            hash: if line_tokens.is_empty() {
                0
            } else {
                sequence_hash(&tokens[line_tokens.clone()])
            },
            kind: if text.is_empty() {
                LineKind::Blank
            } else {
                LineKind::Content
            },
            tokens: line_tokens,
            numeric_tokens: numeric,
        });
    }
    Scanned {
        detection,
        lines,
        tokens,
        title_tokens,
    }
}

/// The words of normalised text (single spaces between words, none at the ends). A byte
/// scan: words are short, and `split(' ')` pays a memchr call per word.
fn words(normalized: &str) -> Words<'_> {
    Words { rest: normalized }
}

struct Words<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.rest.as_bytes();
        let start = bytes.iter().position(|&b| b != b' ')?;
        let len = bytes[start..]
            .iter()
            .position(|&b| b == b' ')
            .unwrap_or(bytes.len() - start);
        let word = &self.rest[start..start + len];
        self.rest = &self.rest[start + len..];
        Some(word)
    }
}

/// Hashes of lines that recur across documents often enough to be boilerplate.
fn recurring_lines(
    documents: &[Document],
    scanned: &[Scanned],
    options: &BoilerplateOptions,
) -> AHashSet<u64> {
    let counts = line_document_counts(documents, scanned, options.recurring_max_words);
    let corpus_min = options
        .corpus_min_docs
        .max((options.corpus_min_fraction * documents.len() as f64).ceil() as usize);
    let mut recurring: AHashSet<u64> = counts
        .0
        .into_iter()
        .filter(|&(_, n)| n >= options.source_min_docs)
        .map(|((_, h), _)| h)
        .collect();
    recurring.extend(
        counts
            .1
            .into_iter()
            .filter(|&(_, n)| n >= corpus_min)
            .map(|(h, _)| h),
    );
    recurring
}

/// Documents per (source, line hash), and per line hash in the whole corpus.
type LineCounts<'d> = (AHashMap<(&'d str, u64), usize>, AHashMap<u64, usize>);

/// The number of documents each short line (at most `max_words` words) is in, per source
/// and corpus-wide.
fn line_document_counts<'d>(
    documents: &'d [Document],
    scanned: &[Scanned],
    max_words: usize,
) -> LineCounts<'d> {
    documents
        .par_iter()
        .zip(scanned)
        .fold(
            || {
                (
                    AHashMap::<(&str, u64), usize>::new(),
                    AHashMap::<u64, usize>::new(),
                )
            },
            |(mut per_source, mut corpus), (doc, s)| {
                let source = doc.source.as_deref().unwrap_or("");
                let mut seen = AHashSet::new();
                for line in &s.lines {
                    if line.words() > 0 && line.words() <= max_words && seen.insert(line.hash) {
                        *per_source.entry((source, line.hash)).or_insert(0) += 1;
                        *corpus.entry(line.hash).or_insert(0) += 1;
                    }
                }
                (per_source, corpus)
            },
        )
        .reduce(
            || (AHashMap::new(), AHashMap::new()),
            |(mut a1, mut b1), (a2, b2)| {
                for (k, v) in a2 {
                    *a1.entry(k).or_insert(0) += v;
                }
                for (k, v) in b2 {
                    *b1.entry(k).or_insert(0) += v;
                }
                (a1, b1)
            },
        )
}

/// One term analyzer per language, each built the first time a document needs it.
struct TermAnalyzers {
    normalizer: Normalizer,
    arabic_stemmer: ArabicStemmer,
    by_lang: Vec<std::sync::OnceLock<Analyzer>>,
}

impl TermAnalyzers {
    fn new(normalizer: Normalizer, options: &AnalysisOptions) -> Self {
        TermAnalyzers {
            normalizer,
            arabic_stemmer: options.arabic_stemmer,
            by_lang: Lang::ALL
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    fn get(&self, lang: Lang) -> &Analyzer {
        self.by_lang[lang as usize]
            .get_or_init(|| Analyzer::terms(self.normalizer, lang, self.arabic_stemmer))
    }
}

fn finish(
    doc: &Document,
    scanned: Scanned,
    recurring: &AHashSet<u64>,
    term_analyzers: Option<&TermAnalyzers>,
    options: &AnalysisOptions,
) -> AnalyzedDocument {
    let Scanned {
        detection: Detection { lang, .. },
        mut lines,
        tokens: all_tokens,
        title_tokens,
    } = scanned;
    let has_title = !title_tokens.is_empty();
    let title_hash = has_title.then(|| sequence_hash(&title_tokens));
    let total_tokens = all_tokens.len() + title_tokens.len();

    mark_boilerplate(doc, &mut lines, recurring, title_hash, &options.boilerplate);
    let (headline, headline_source) = choose_headline(doc, &mut lines, has_title, options);
    let tokens = content_tokens(&lines, &title_tokens, &all_tokens);
    let terms = term_analyzers.map_or_else(Vec::new, |analyzers| {
        let title = doc.title.as_deref().filter(|_| has_title);
        let headline_line = match headline_source {
            HeadlineSource::Line(i) => Some(i),
            _ => None,
        };
        count_terms(
            doc,
            title,
            &lines,
            headline_line,
            analyzers.get(lang),
            options.bigrams,
        )
    });
    AnalyzedDocument {
        lang,
        headline,
        headline_source,
        lines,
        total_tokens,
        tokens,
        terms,
    }
}

/// Marks the recurring lines, then the page's own boilerplate (see
/// [`mark_page_boilerplate`]); a document left with no content keeps its recurring lines.
fn mark_boilerplate(
    doc: &Document,
    lines: &mut [Line],
    recurring: &AHashSet<u64>,
    title_hash: Option<u64>,
    options: &BoilerplateOptions,
) {
    for line in lines.iter_mut() {
        if line.kind == LineKind::Content && recurring.contains(&line.hash) {
            line.kind = LineKind::Boilerplate(BoilerplateReason::Recurring);
        }
    }
    mark_page_boilerplate(&doc.body, lines, title_hash, options);
    // A document made only of recurring lines (say, an exact copy in a source that publishes
    // it many times) keeps them: it must not lose all its content.
    if !lines.iter().any(Line::is_content) && title_hash.is_none() {
        for line in lines.iter_mut() {
            if line.kind == LineKind::Boilerplate(BoilerplateReason::Recurring) {
                line.kind = LineKind::Content;
            }
        }
    }
}

/// The headline and where it came from: the title field, else the title line (the content
/// lines before it become boilerplate), else the first sentence.
fn choose_headline(
    doc: &Document,
    lines: &mut [Line],
    has_title: bool,
    options: &AnalysisOptions,
) -> (String, HeadlineSource) {
    match &doc.title {
        Some(title) if has_title => (
            shorten(title, options.headline.max_chars.max(1) * 4),
            HeadlineSource::Title,
        ),
        _ => match find_title_line(&doc.body, lines, &options.headline) {
            Some(i) => {
                for line in &mut lines[..i] {
                    if line.kind == LineKind::Content {
                        line.kind = LineKind::Boilerplate(BoilerplateReason::Leading);
                    }
                }
                lines[i].kind = LineKind::Headline;
                let text = &doc.body[lines[i].text.clone()];
                (
                    shorten(text, options.headline.max_chars.max(1) * 4),
                    HeadlineSource::Line(i),
                )
            }
            None => match lines.iter().find(|l| l.is_content()) {
                Some(first) => (
                    first_sentence(&doc.body[first.text.clone()], options.headline.max_chars),
                    HeadlineSource::FirstSentence,
                ),
                None => (
                    shorten(
                        doc.title.as_deref().unwrap_or(""),
                        options.headline.max_chars,
                    ),
                    HeadlineSource::None,
                ),
            },
        },
    }
}

/// The surface tokens of the title and the content lines, in order: what shingles are
/// made of.
fn content_tokens(lines: &[Line], title_tokens: &[u64], all_tokens: &[u64]) -> Vec<u64> {
    let content = lines.iter().filter(|l| l.is_content());
    let mut tokens = Vec::with_capacity(
        title_tokens.len() + content.clone().map(|l| l.tokens.len()).sum::<usize>(),
    );
    tokens.extend_from_slice(title_tokens);
    for line in content {
        tokens.extend_from_slice(&all_tokens[line.tokens.clone()]);
    }
    tokens
}

/// The terms of the title (when it is the headline) and the content lines; the headline
/// line's count as title occurrences.
fn count_terms(
    doc: &Document,
    title: Option<&str>,
    lines: &[Line],
    headline_line: Option<usize>,
    analyzer: &Analyzer,
    bigrams: bool,
) -> Vec<TermCount> {
    let mut counter = TermCounter {
        bigrams,
        ..TermCounter::default()
    };
    if let Some(title) = title {
        let (mut title_normalized, mut title_spans) = (String::new(), Vec::new());
        analyzer
            .normalizer()
            .normalize_with_spans(title, &mut title_normalized, &mut title_spans);
        counter.add(
            analyzer,
            title,
            &title_normalized,
            &title_spans,
            true,
            |_| true,
        );
    }
    // Lines are normalised again here rather than kept from the first pass: holding every
    // document's normalised text and spans at once made the peak of analysis.
    let (mut normalized, mut spans) = (String::new(), Vec::new());
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.is_content()) {
        let text = &doc.body[line.text.clone()];
        spans.clear();
        analyzer
            .normalizer()
            .normalize_with_spans(text, &mut normalized, &mut spans);
        let is_headline = Some(i) == headline_line;
        counter.add(analyzer, text, &normalized, &spans, is_headline, |_| true);
    }
    counter.finish()
}

/// Counts the terms of a document, with the raw forms they were written in.
#[derive(Default)]
struct TermCounter<'a> {
    /// term hash → index in `entries`
    index: AHashMap<u64, u32>,
    entries: Vec<Entry<'a>>,
    buf: String,
    bigrams: bool,
}

/// One term of a document. The form is chosen by a Boyer–Moore majority vote over the raw
/// forms, in order: the form written more than half of the time always wins; no allocation.
struct Entry<'a> {
    term: u64,
    count: u32,
    title_count: u32,
    form: &'a str,
    votes: u32,
}

impl<'a> TermCounter<'a> {
    /// Adds the words of one normalised text; `spans` locate each word in `raw`.
    /// `is_title`: the words count as title words (the title field, or the headline line).
    /// Only the terms for which `wanted` holds are counted: a term's count and form depend
    /// on its own occurrences alone, so they do not change with what else is counted.
    fn add(
        &mut self,
        analyzer: &Analyzer,
        raw: &'a str,
        normalized: &str,
        spans: &[Span],
        is_title: bool,
        wanted: impl Fn(u64) -> bool,
    ) {
        // The previous kept term of this text, for bigrams: its hash and where it starts.
        let mut previous: Option<(u64, u32)> = None;
        for (word, &(a, b)) in words(normalized).zip(spans) {
            let Some(term) = analyzer.filter_token(word, &mut self.buf) else {
                continue;
            };
            let hash = term_hash(term);
            if wanted(hash) {
                self.count(hash, &raw[a as usize..b as usize], is_title);
            }
            if self.bigrams {
                if let Some((first, start)) = previous {
                    let pair = bigram_hash(first, hash);
                    if wanted(pair) {
                        self.count(pair, &raw[start as usize..b as usize], is_title);
                    }
                }
                previous = Some((hash, a));
            }
        }
    }

    fn count(&mut self, hash: u64, form: &'a str, is_title: bool) {
        let next = self.entries.len() as u32;
        let i = *self.index.entry(hash).or_insert(next) as usize;
        if i == self.entries.len() {
            self.entries.push(Entry {
                term: hash,
                count: 0,
                title_count: 0,
                form,
                votes: 0,
            });
        }
        let e = &mut self.entries[i];
        e.count += 1;
        e.title_count += u32::from(is_title);
        if e.form == form {
            e.votes += 1;
        } else if e.votes == 0 {
            (e.form, e.votes) = (form, 1);
        } else {
            e.votes -= 1;
        }
    }

    /// The terms, sorted by hash.
    fn finish(self) -> Vec<TermCount> {
        // A fresh, exact allocation: `collect` would reuse the entries' larger buffer, and
        // terms are most of the memory a run holds.
        let mut terms = Vec::with_capacity(self.entries.len());
        terms.extend(self.entries.iter().map(|e| TermCount {
            term: e.term,
            count: e.count,
            title_count: e.title_count,
        }));
        terms.sort_unstable_by_key(|t| t.term);
        terms
    }
}

/// Finds how terms were written: the raw form (as in the text) that a document used most
/// for each term. It analyses the document's title and content lines again, which is cheap
/// for the few documents whose terms are shown (labels, top terms).
pub struct TermForms {
    analyzers: TermAnalyzers,
    bigrams: bool,
}

impl TermForms {
    /// For documents analysed with `options`.
    pub fn new(options: &AnalysisOptions) -> TermForms {
        TermForms {
            analyzers: TermAnalyzers::new(Normalizer::new(options.normalize), options),
            bigrams: options.bigrams,
        }
    }

    /// The term analyzer for `lang`.
    pub fn analyzer(&self, lang: Lang) -> &Analyzer {
        self.analyzers.get(lang)
    }

    /// The terms of `doc` for which `wanted` holds, each with the form written most often
    /// (a majority vote in text order) and the term's count, sorted by term.
    pub fn forms<'d>(
        &self,
        doc: &'d Document,
        analyzed: &AnalyzedDocument,
        wanted: impl Fn(u64) -> bool,
    ) -> Vec<(u64, &'d str, u32)> {
        let analyzer = self.analyzers.get(analyzed.lang);
        let mut counter = TermCounter {
            bigrams: self.bigrams,
            ..TermCounter::default()
        };
        let (mut normalized, mut spans) = (String::new(), Vec::new());
        for text in analyzed.texts(doc) {
            spans.clear();
            analyzer
                .normalizer()
                .normalize_with_spans(text, &mut normalized, &mut spans);
            counter.add(analyzer, text, &normalized, &spans, false, &wanted);
        }
        let mut forms: Vec<(u64, &'d str, u32)> = counter
            .entries
            .into_iter()
            .map(|e| (e.term, e.form, e.count))
            .collect();
        forms.sort_unstable_by_key(|f| f.0);
        forms
    }
}

/// The surface tokens of a document's content lines (body only, title left out), each with
/// its byte span in the body: what [`crate::text::shingle_set`] hashes, located in the text,
/// so that shared shingles can be shown as passages.
pub fn content_tokens_with_spans(
    doc: &Document,
    analyzed: &AnalyzedDocument,
    normalizer: &Normalizer,
) -> Vec<(u64, Span)> {
    let mut out = Vec::new();
    let (mut buf, mut spans) = (String::new(), Vec::new());
    for line in analyzed.lines.iter().filter(|l| l.is_content()) {
        spans.clear();
        normalizer.normalize_with_spans(&doc.body[line.text.clone()], &mut buf, &mut spans);
        let base = line.text.start as u32;
        out.extend(
            words(&buf)
                .zip(&spans)
                .map(|(w, &(a, b))| (token_hash(w), (a + base, b + base))),
        );
    }
    out
}

/// Whether a written form runs across punctuation between its words («السيسي، فقد»,
/// «شركة «زين»): such a pair of terms is adjacent in the text but no phrase, and is not
/// shown. Punctuation around the form does not count.
pub fn crosses_punctuation(form: &str) -> bool {
    let inner = trim_to_word(form);
    let mut gap = None;
    for (i, c) in inner.char_indices() {
        let in_word = c.is_alphanumeric() || is_invisible(c);
        match (in_word, gap) {
            (false, None) => gap = Some(i),
            (true, Some(start)) => {
                let before = inner[..start].chars().next_back().unwrap_or(' ');
                if ends_phrase(&inner[start..i], before, c) {
                    return true;
                }
                gap = None;
            }
            _ => {}
        }
    }
    false
}

/// Whether the text between two words ends a phrase: anything but white space, invisible
/// marks, and a hyphen or an apostrophe between two letters (al-Qaeda, don't; not a score
/// or a range of years, 25-16, 2015-2016). `before` and `after` are the characters around.
fn ends_phrase(gap: &str, before: char, after: char) -> bool {
    let joined =
        before.is_alphabetic() && after.is_alphabetic() && !gap.chars().any(char::is_whitespace);
    gap.chars().any(|c| {
        !(c.is_whitespace()
            || is_invisible(c)
            || (joined
                && matches!(
                    c,
                    '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '\u{02BC}'
                )))
    })
}

/// Marks that the normaliser drops without ending a word: harakat, tatweel, joiners and
/// bidirectional controls.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{0652}'
        | '\u{0670}'
        | '\u{0640}'
        | '\u{00AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}')
}

/// The word without the punctuation around it.
fn trim_to_word(raw: &str) -> &str {
    raw.trim_matches(|c: char| !c.is_alphanumeric())
}

/// How a word is shown to a reader: its letters as written (hamza, teh marbuta and alef
/// maqsura kept), without harakat and tatweel, which vary between writers, and without
/// invisible marks (bidirectional controls). White space inside a phrase (a no-break
/// space, a line break) is shown as one space.
pub fn display_form(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for w in trim_to_word(word).split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        // Joiners stay: they shape letters in Persian and Urdu.
        out.extend(
            w.chars()
                .filter(|&c| !is_invisible(c) || matches!(c, '\u{200C}' | '\u{200D}')),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid_field(options: &AnalysisOptions) -> Option<&'static str> {
        match options.check() {
            Err(crate::Error::InvalidOption { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn check_accepts_the_defaults_and_names_the_field_that_cannot_work() {
        let d = AnalysisOptions::default();
        assert_eq!(invalid_field(&d), None);
        let mut bad = d.clone();
        bad.boilerplate.source_min_docs = 1;
        let field = "analysis.boilerplate.source_min_docs";
        assert_eq!(invalid_field(&bad), Some(field));
        let mut bad = d.clone();
        bad.boilerplate.corpus_min_docs = 0;
        let field = "analysis.boilerplate.corpus_min_docs";
        assert_eq!(invalid_field(&bad), Some(field));
        for share in [-0.1, 1.5, f64::NAN] {
            let mut bad = d.clone();
            bad.boilerplate.corpus_min_fraction = share;
            let field = "analysis.boilerplate.corpus_min_fraction";
            assert_eq!(invalid_field(&bad), Some(field), "{share}");
        }
        let mut bad = d.clone();
        bad.headline.min_words = bad.headline.max_words + 1;
        assert_eq!(invalid_field(&bad), Some("analysis.headline.min_words"));
        let mut bad = d.clone();
        bad.headline.max_chars = 0;
        assert_eq!(invalid_field(&bad), Some("analysis.headline.max_chars"));
        // The stage refuses what the check refuses, and runs what it accepts.
        let docs = [Document::new("a", "One line of text here.")];
        let refused = analyze_observed(&docs, &bad, &NoObserver);
        assert!(matches!(refused, Err(crate::Error::InvalidOption { .. })));
        assert_eq!(
            analyze_observed(&docs, &d, &NoObserver)
                .unwrap()
                .documents
                .len(),
            1
        );
    }

    #[test]
    fn analyze_refuses_a_bad_option_naming_its_field() {
        let docs = [Document::new("a", "One line of text here.")];
        let mut bad = AnalysisOptions::default();
        bad.headline.max_chars = 0;
        match analyze(&docs, &bad) {
            Err(crate::Error::InvalidOption { field, .. }) => {
                assert_eq!(field, "analysis.headline.max_chars")
            }
            other => panic!("not refused: {other:?}"),
        }
        let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
        assert_eq!(analyzed.documents.len(), 1);
    }

    /// Every combination of the normalisation switches passes, and each one still finds
    /// the words of a mixed text.
    #[test]
    fn every_normalisation_switch_combination_works() {
        for bits in 0..16u8 {
            let mut d = AnalysisOptions::default();
            d.normalize.nfkc = bits & 1 != 0;
            d.normalize.case_fold = bits & 2 != 0;
            d.normalize.arabic = bits & 4 != 0;
            d.normalize.digits = bits & 8 != 0;
            assert_eq!(invalid_field(&d), None, "{bits}");
            let docs = [Document::new("a", "Rain ﻻ ٣ مَطَر Ｒｉｙａｄｈ")];
            let analyzed = analyze_observed(&docs, &d, &NoObserver).unwrap();
            assert_eq!(analyzed.documents[0].total_tokens, 5, "{bits}");
        }
    }

    fn page(id: &str, body: &str) -> Document {
        Document::new(id, body)
    }

    fn analyze_one(body: &str) -> AnalyzedDocument {
        analyze(&[page("p", body)], &AnalysisOptions::default())
            .unwrap()
            .documents
            .remove(0)
    }

    fn kinds(a: &AnalyzedDocument) -> Vec<LineKind> {
        a.lines.iter().map(|l| l.kind).collect()
    }

    const PARAGRAPH: &str = "The talks lasted two hours and covered trade, energy and the war, officials said on Monday.";

    #[test]
    fn title_line_skips_tickers_sections_dates_and_credits() {
        let body = format!(
            "Gold 1.2% | Oil 3.4% | Dollar 0.1%\nWorld\n2025-02-12 10:00 12 Feb\nBy: John Smith\n\nLeaders agree to meet in Riyadh next month\n{PARAGRAPH}"
        );
        let a = analyze_one(&body);
        assert_eq!(a.headline, "Leaders agree to meet in Riyadh next month");
        assert_eq!(a.headline_source, HeadlineSource::Line(5));
        use BoilerplateReason::*;
        assert_eq!(
            kinds(&a),
            [
                LineKind::Boilerplate(List),
                LineKind::Boilerplate(Leading),
                LineKind::Boilerplate(Leading),
                LineKind::Boilerplate(Leading),
                LineKind::Blank,
                LineKind::Headline,
                LineKind::Content,
            ]
        );
    }

    #[test]
    fn a_title_repeated_elsewhere_in_the_page_wins() {
        let body = format!(
            "Home News Sport Weather\nLeaders agree to meet\n{PARAGRAPH}\nLeaders agree to meet"
        );
        let a = analyze_one(&body);
        assert_eq!(a.headline, "Leaders agree to meet");
        assert_eq!(
            kinds(&a)[3],
            LineKind::Boilerplate(BoilerplateReason::Repeated)
        );
    }

    #[test]
    fn without_a_title_line_the_first_sentence_is_shortened() {
        let long = "This opening sentence of the article runs on and on, well past the length that any editor would accept for a headline in a list of stories. Second sentence.";
        let a = analyze_one(long);
        assert_eq!(a.headline_source, HeadlineSource::FirstSentence);
        assert!(a.headline.ends_with('…'), "{}", a.headline);
        assert!(a.headline.chars().count() <= HeadlineOptions::default().max_chars);
        assert!(long.starts_with(a.headline.trim_end_matches('…')));
        let short = analyze_one("Short first sentence here. And another one follows it.");
        assert_eq!(short.headline, "Short first sentence here.");
    }

    #[test]
    fn trailing_furniture_and_lines_without_words_are_boilerplate() {
        let body = format!(
            "A headline for the story here\n{PARAGRAPH}\n***\nRelated articles\nBack to top"
        );
        let a = analyze_one(&body);
        use BoilerplateReason::*;
        assert_eq!(
            kinds(&a)[2..],
            [
                LineKind::Boilerplate(NoWords),
                LineKind::Boilerplate(Trailing),
                LineKind::Boilerplate(Trailing),
            ]
        );
        // Boilerplate stays out of the tokens.
        let words: usize = a
            .lines
            .iter()
            .filter(|l| l.is_content())
            .map(Line::words)
            .sum();
        assert_eq!(a.tokens.len(), words);
    }

    #[test]
    fn lines_recurring_across_a_source_are_boilerplate_but_long_ones_are_kept() {
        let footer = "Follow us on social media";
        let shared = "This long paragraph is shared word for word by several wire copies of the same report from the news agency earlier today.";
        let docs: Vec<Document> = (0..6)
            .map(|i| {
                let mut d = page(&format!("d{i}"), &format!("Headline number {i} here\nUnique paragraph {i} with enough words to count as a paragraph of text.\n{shared}\n{footer}\nMore text after the footer so that it is not trailing, number {i}."));
                d.source = Some("site".into());
                d
            })
            .collect();
        let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
        for a in &analyzed.documents {
            assert_eq!(
                a.lines[3].kind,
                LineKind::Boilerplate(BoilerplateReason::Recurring)
            );
            assert_eq!(a.lines[2].kind, LineKind::Content);
        }
    }

    #[test]
    fn given_titles_are_headlines_and_their_copies_in_the_body_are_repeats() {
        let mut d = page("t", &format!("Big News Today\n{PARAGRAPH}"));
        d.title = Some("Big news today".into());
        let a = analyze(&[d], &AnalysisOptions::default())
            .unwrap()
            .documents
            .remove(0);
        assert_eq!(a.headline, "Big news today");
        assert_eq!(a.headline_source, HeadlineSource::Title);
        assert_eq!(
            a.lines[0].kind,
            LineKind::Boilerplate(BoilerplateReason::Repeated)
        );
        assert_eq!(a.tokens.len(), 3 + a.lines[1].words());
    }

    fn bigram_forms(text: &str) -> Vec<String> {
        let options = AnalysisOptions {
            bigrams: true,
            ..AnalysisOptions::default()
        };
        let d = page("b", text);
        let a = analyze(std::slice::from_ref(&d), &options)
            .unwrap()
            .documents
            .remove(0);
        let mut forms: Vec<String> = TermForms::new(&options)
            .forms(&d, &a, |_| true)
            .into_iter()
            .filter(|(_, form, _)| form.contains(|c: char| !c.is_alphanumeric()))
            .map(|(_, form, _)| form.to_string())
            .collect();
        forms.sort();
        forms
    }

    #[test]
    fn forms_that_cross_punctuation_are_told_apart() {
        let forms = bigram_forms("قال السيسي، فقد أعلنت شركة «زين» الأرباح");
        let (crossing, phrases): (Vec<String>, Vec<String>) =
            forms.into_iter().partition(|f| crosses_punctuation(f));
        assert_eq!(crossing, ["السيسي، فقد", "زين» الأرباح", "شركة «زين"]);
        assert_eq!(phrases, ["فقد أعلنت شركة"]);
        let forms = bigram_forms("al-Qaeda leaders don't meet - Putin");
        let crossing: Vec<&String> = forms.iter().filter(|f| crosses_punctuation(f)).collect();
        assert_eq!(crossing, ["meet - Putin"]);
        assert!(!crosses_punctuation("«الحرب في أوكرانيا»،"));
    }

    #[test]
    fn phrase_ends() {
        for gap in [" ", "  \u{200F} ", "-", "'", "\u{00A0}"] {
            assert!(!ends_phrase(gap, 'a', 'ب'), "{gap:?}");
        }
        for gap in ["، ", " «", ". ", " - ", "/", " (", "» ", "…"] {
            assert!(ends_phrase(gap, 'a', 'ب'), "{gap:?}");
        }
        assert!(ends_phrase("-", '5', '1'));
        assert!(!ends_phrase(" ", '5', '1'));
        assert!(crosses_punctuation("وكسبه 25-16 وعاد"));
        assert!(!crosses_punctuation("al-Qaeda") && crosses_punctuation("إف-16 بلوك"));
    }

    #[test]
    fn display_forms_drop_harakat_and_outer_punctuation_and_collapse_spaces() {
        assert_eq!(display_form("«الحَرْبُ»،"), "الحرب");
        assert_eq!(display_form("عيد\u{00A0}\n الفطر"), "عيد الفطر");
        assert_eq!(display_form("مـــصر"), "مصر");
        assert_eq!(display_form("..."), "");
        assert_eq!(
            display_form("الإشرافية \u{200F}للبرنامج"),
            "الإشرافية للبرنامج"
        );
        assert_eq!(display_form("می\u{200C}خواهم"), "می\u{200C}خواهم");
    }

    #[test]
    fn terms_drop_stop_words_and_numbers_and_remember_written_forms() {
        let d = page("a", "الحرب في أوكرانيا والحرب الطويلة 2025 الحرب");
        let a = analyze(std::slice::from_ref(&d), &AnalysisOptions::default())
            .unwrap()
            .documents
            .remove(0);
        let war = a.terms.iter().find(|t| t.term == term_hash("حرب")).unwrap();
        assert_eq!(war.count, 3);
        let forms = TermForms::new(&AnalysisOptions::default());
        let found = forms.forms(&d, &a, |t| t == war.term);
        assert_eq!(found, [(war.term, "الحرب", 3)]);
        assert!(a
            .terms
            .iter()
            .all(|t| t.term != term_hash("في") && t.term != term_hash("2025")));
        assert!(a.terms.windows(2).all(|w| w[0].term < w[1].term));
    }
}
