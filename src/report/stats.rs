//! `storyclust stats`: what a corpus holds.

use crate::corpus::{Corpus, DiagnosticKind, Document, Timestamp};
use crate::summary::SourceCount;
use crate::text::{
    AnalysisOptions, AnalyzedCorpus, AnalyzedDocument, HeadlineSource, LineKind, TermForms,
};
use ahash::AHashMap;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A summary of a corpus.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct CorpusStats {
    /// The version of this output's schema (`schemas/stats.schema.json`).
    pub schema_version: super::SchemaVersion,
    /// Documents read.
    pub documents: usize,
    /// Records skipped (broken, empty, unreadable, binary…), by reason.
    pub skipped: BTreeMap<&'static str, usize>,
    /// Warnings about kept records (renamed, lossy, truncated, bad date…), by kind.
    pub warnings: BTreeMap<&'static str, usize>,
    /// Documents with no words (skipped; also in `skipped`).
    pub empty_documents: usize,
    /// Ids used twice (the later records were renamed).
    pub duplicate_ids: usize,
    /// Input bytes read (decompressed).
    pub input_bytes: u64,
    /// Bytes of title and body text.
    pub text_bytes: u64,
    /// Surface tokens (words) of titles and bodies, boilerplate included.
    pub tokens: u64,
    /// Surface tokens outside boilerplate.
    pub content_tokens: u64,
    /// Documents per language.
    pub languages: BTreeMap<&'static str, usize>,
    /// Number of distinct sources (documents without one are none).
    pub source_count: usize,
    /// Documents per source, most first.
    pub sources: Vec<SourceCount>,
    /// Documents without a source.
    pub without_source: usize,
    /// Dates.
    pub dates: DateRange,
    /// Boilerplate lines found.
    pub boilerplate: BoilerplateStats,
    /// Headlines by where they came from.
    pub headlines: BTreeMap<&'static str, usize>,
    /// Terms in the most documents, shown in their most frequent surface form.
    pub top_terms: Vec<TopTerm>,
    /// The first documents (see `documents_listed`).
    pub document_list: Vec<DocumentSummary>,
    /// How many of the documents are in `document_list`.
    pub documents_listed: usize,
}

/// The span of the documents' dates.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DateRange {
    /// Documents with a date.
    pub with_date: usize,
    /// Earliest.
    pub first: Option<Timestamp>,
    /// Latest.
    pub last: Option<Timestamp>,
}

/// Boilerplate found.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BoilerplateStats {
    /// Boilerplate lines.
    pub lines: usize,
    /// Non-blank lines in all.
    pub of_lines: usize,
    /// Boilerplate lines by reason.
    pub by_reason: BTreeMap<&'static str, usize>,
    /// The commonest boilerplate lines with the number of documents they are in.
    pub examples: Vec<LineCount>,
}

/// A boilerplate line and the number of documents it is in.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LineCount {
    /// The line, shortened to 80 characters.
    pub line: String,
    /// Documents holding it.
    pub documents: usize,
}

/// A term and the number of documents it is in.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TopTerm {
    /// The term's most frequent written form.
    pub term: String,
    /// Documents containing it.
    pub documents: usize,
}

/// One document, briefly.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DocumentSummary {
    /// Its id.
    pub id: String,
    /// Its headline.
    pub headline: String,
    /// Where the headline came from.
    pub headline_source: HeadlineSource,
    /// Its language code.
    pub lang: &'static str,
    /// Its source.
    pub source: Option<String>,
    /// Its date.
    pub date: Option<Timestamp>,
    /// Its surface tokens outside boilerplate.
    pub content_tokens: usize,
    /// Its boilerplate lines.
    pub boilerplate_lines: usize,
}

/// Computes the statistics of a corpus analysed with `options`; `list` is how many documents
/// to list individually, `top` how many top terms. `analyzed` must be the analysis of the
/// corpus's documents ([`crate::Error::Mismatch`] otherwise).
pub fn corpus_stats(
    corpus: &Corpus,
    analyzed: &AnalyzedCorpus,
    options: &AnalysisOptions,
    list: usize,
    top: usize,
) -> crate::Result<CorpusStats> {
    let docs = &corpus.documents;
    crate::minhash::check_inputs(docs, analyzed, None)?;
    let pairs: Vec<(&Document, &AnalyzedDocument)> = docs.iter().zip(&analyzed.documents).collect();
    let (skipped, warnings) = diagnostic_counts(corpus);
    let mut tally = Tally::default();
    for (doc, a) in &pairs {
        tally.add(doc, a);
    }
    let sources = SourceCount::ranked(tally.sources);
    Ok(CorpusStats {
        schema_version: super::SchemaVersion,
        documents: docs.len(),
        empty_documents: corpus.diagnostics.count(DiagnosticKind::EmptyText),
        duplicate_ids: corpus.diagnostics.count(DiagnosticKind::DuplicateId),
        skipped,
        warnings,
        input_bytes: corpus.bytes_read,
        text_bytes: tally.text_bytes,
        tokens: tally.tokens,
        content_tokens: tally.content_tokens,
        languages: tally.languages,
        source_count: sources.len(),
        sources,
        without_source: tally.without_source,
        dates: tally.dates,
        boilerplate: BoilerplateStats {
            lines: tally.boilerplate_lines,
            of_lines: tally.lines,
            by_reason: tally.boilerplate_reasons,
            examples: boilerplate_examples(&pairs, 10),
        },
        headlines: tally.headlines,
        top_terms: top_terms(&pairs, &TermForms::new(options), top),
        document_list: pairs.iter().take(list).map(document_summary).collect(),
        documents_listed: list.min(docs.len()),
    })
}

/// Counts by kind name.
type KindCounts = BTreeMap<&'static str, usize>;

/// The corpus's skipped records and warnings, each by kind.
fn diagnostic_counts(corpus: &Corpus) -> (KindCounts, KindCounts) {
    let mut skipped = BTreeMap::new();
    let mut warnings = BTreeMap::new();
    for d in &corpus.diagnostics.items {
        let map = match d.severity {
            crate::corpus::Severity::Skipped => &mut skipped,
            crate::corpus::Severity::Warning => &mut warnings,
        };
        *map.entry(d.kind.name()).or_insert(0) += 1;
    }
    (skipped, warnings)
}

/// The counts that every document adds to.
struct Tally<'a> {
    languages: BTreeMap<&'static str, usize>,
    sources: AHashMap<&'a str, usize>,
    without_source: usize,
    headlines: BTreeMap<&'static str, usize>,
    dates: DateRange,
    text_bytes: u64,
    tokens: u64,
    content_tokens: u64,
    boilerplate_reasons: BTreeMap<&'static str, usize>,
    boilerplate_lines: usize,
    /// Non-blank lines.
    lines: usize,
}

impl Default for Tally<'_> {
    fn default() -> Self {
        Tally {
            languages: BTreeMap::new(),
            sources: AHashMap::new(),
            without_source: 0,
            headlines: BTreeMap::new(),
            dates: DateRange {
                with_date: 0,
                first: None,
                last: None,
            },
            text_bytes: 0,
            tokens: 0,
            content_tokens: 0,
            boilerplate_reasons: BTreeMap::new(),
            boilerplate_lines: 0,
            lines: 0,
        }
    }
}

impl<'a> Tally<'a> {
    fn add(&mut self, doc: &'a Document, a: &AnalyzedDocument) {
        *self.languages.entry(a.lang.code()).or_insert(0) += 1;
        match doc.source.as_deref() {
            Some(source) => *self.sources.entry(source).or_insert(0) += 1,
            None => self.without_source += 1,
        }
        let from = match a.headline_source {
            HeadlineSource::Title => "title",
            HeadlineSource::Line(_) => "title_line",
            HeadlineSource::FirstSentence => "first_sentence",
            HeadlineSource::None => "none",
        };
        *self.headlines.entry(from).or_insert(0) += 1;
        if let Some(date) = doc.date {
            let dates = &mut self.dates;
            dates.with_date += 1;
            dates.first = Some(dates.first.map_or(date, |f| f.min(date)));
            dates.last = Some(dates.last.map_or(date, |l| l.max(date)));
        }
        self.text_bytes += doc.text_len() as u64;
        self.tokens += a.total_tokens as u64;
        self.content_tokens += a.tokens.len() as u64;
        for line in &a.lines {
            if line.kind != LineKind::Blank {
                self.lines += 1;
            }
            if let LineKind::Boilerplate(reason) = line.kind {
                self.boilerplate_lines += 1;
                *self.boilerplate_reasons.entry(reason.name()).or_insert(0) += 1;
            }
        }
    }
}

fn document_summary((doc, a): &(&Document, &AnalyzedDocument)) -> DocumentSummary {
    DocumentSummary {
        id: doc.id.clone(),
        headline: a.headline.clone(),
        headline_source: a.headline_source,
        lang: a.lang.code(),
        source: doc.source.clone(),
        date: doc.date,
        content_tokens: a.tokens.len(),
        boilerplate_lines: a.boilerplate_lines(),
    }
}

fn boilerplate_examples(pairs: &[(&Document, &AnalyzedDocument)], n: usize) -> Vec<LineCount> {
    let mut counts: AHashMap<u64, (usize, &str)> = AHashMap::new();
    for (doc, a) in pairs {
        let mut seen = ahash::AHashSet::new();
        for line in &a.lines {
            if matches!(line.kind, LineKind::Boilerplate(_)) && seen.insert(line.hash) {
                let text = &doc.body[line.text.clone()];
                let e = counts.entry(line.hash).or_insert((0, text));
                e.0 += 1;
            }
        }
    }
    let mut list: Vec<LineCount> = counts
        .into_values()
        .map(|(count, text)| LineCount {
            line: crate::text::shorten(text, 80),
            documents: count,
        })
        .collect();
    list.sort_by(|a, b| {
        b.documents
            .cmp(&a.documents)
            .then_with(|| a.line.cmp(&b.line))
    });
    list.truncate(n);
    list
}

/// Documents whose written forms are counted for each top term.
const FORM_SAMPLE_DOCUMENTS: usize = 200;

fn top_terms(
    pairs: &[(&Document, &AnalyzedDocument)],
    term_forms: &TermForms,
    n: usize,
) -> Vec<TopTerm> {
    let df: AHashMap<u64, usize> = pairs
        .par_iter()
        .fold(AHashMap::new, |mut acc, (_, a)| {
            for t in &a.terms {
                *acc.entry(t.term).or_insert(0) += 1;
            }
            acc
        })
        .reduce(AHashMap::new, |mut a, b| {
            for (term, n) in b {
                *a.entry(term).or_insert(0) += n;
            }
            a
        });
    let mut top: Vec<(u64, usize)> = df.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(n);
    let wanted: AHashMap<u64, usize> = top.iter().enumerate().map(|(i, t)| (t.0, i)).collect();
    // The most frequent written form of each top term, over the first documents that use it
    // (forms are found by analysing a document again, so not over all of them).
    let mut forms: Vec<AHashMap<&str, u32>> = vec![AHashMap::new(); top.len()];
    let mut sampled = vec![0usize; top.len()];
    let needs = |sampled: &[usize], i: usize| sampled[i] < FORM_SAMPLE_DOCUMENTS;
    for (doc, a) in pairs {
        if !(0..top.len()).any(|i| needs(&sampled, i)) {
            break;
        }
        let open = |term: u64| wanted.get(&term).is_some_and(|&i| needs(&sampled, i));
        if !a.terms.iter().any(|t| open(t.term)) {
            continue;
        }
        for (term, form, count) in term_forms.forms(doc, a, open) {
            let i = wanted[&term];
            *forms[i].entry(form).or_insert(0) += count;
            sampled[i] += 1;
        }
    }
    top.iter()
        .zip(forms)
        .map(|(&(_, documents), forms)| TopTerm {
            term: most_frequent_form(&forms),
            documents,
        })
        .collect()
}

/// The form written most often, shown without diacritics and punctuation; ties go to the
/// smallest form, so the choice does not depend on document order.
pub(crate) fn most_frequent_form(forms: &AHashMap<&str, u32>) -> String {
    let mut counted: AHashMap<String, u32> = AHashMap::new();
    for (form, n) in forms {
        *counted.entry(crate::text::display_form(form)).or_insert(0) += n;
    }
    counted
        .into_iter()
        .filter(|(f, _)| !f.is_empty())
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(f, _)| f)
        .unwrap_or_default()
}

impl CorpusStats {
    /// A report for a person to read.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        self.write_counts(&mut s);
        self.write_languages_and_sources(&mut s);
        self.write_dates_and_boilerplate(&mut s);
        self.write_headlines_and_terms(&mut s);
        self.write_document_list(&mut s);
        s
    }

    /// Documents, skipped records, warnings, bytes and tokens.
    fn write_counts(&self, s: &mut String) {
        let _ = writeln!(s, "documents        {}", self.documents);
        let skipped: usize = self.skipped.values().sum();
        let _ = writeln!(
            s,
            "skipped          {skipped}{}",
            list_counts(&self.skipped)
        );
        let _ = writeln!(s, "  empty          {}", self.empty_documents);
        let _ = writeln!(s, "duplicate ids    {}", self.duplicate_ids);
        if !self.warnings.is_empty() {
            let _ = writeln!(
                s,
                "warnings         {}{}",
                self.warnings.values().sum::<usize>(),
                list_counts(&self.warnings)
            );
        }
        let _ = writeln!(
            s,
            "bytes            {} read, {} of text",
            self.input_bytes, self.text_bytes
        );
        let _ = writeln!(
            s,
            "tokens           {} ({} outside boilerplate, {:.1} %)",
            self.tokens,
            self.content_tokens,
            percent(self.content_tokens, self.tokens)
        );
    }

    /// Languages, and the first 15 sources.
    fn write_languages_and_sources(&self, s: &mut String) {
        let langs: Vec<String> = self
            .languages
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        let _ = writeln!(s, "languages        {}", langs.join(", "));
        let top: Vec<String> = self
            .sources
            .iter()
            .take(15)
            .map(|s| format!("{} {}", s.name, s.count))
            .collect();
        let more = if self.sources.len() > 15 { ", …" } else { "" };
        let none = match self.without_source {
            0 => String::new(),
            n => format!(" ({n} documents without a source)"),
        };
        let _ = writeln!(
            s,
            "sources          {}: {}{more}{none}",
            self.source_count,
            top.join(", ")
        );
    }

    /// The span of dates, and the boilerplate with its commonest lines.
    fn write_dates_and_boilerplate(&self, s: &mut String) {
        match (self.dates.first, self.dates.last) {
            (Some(f), Some(l)) => {
                let _ = writeln!(
                    s,
                    "dates            {f} … {l} ({} of {} documents dated)",
                    self.dates.with_date, self.documents
                );
            }
            _ => {
                let _ = writeln!(s, "dates            none");
            }
        }
        let _ = writeln!(
            s,
            "boilerplate      {} of {} lines ({:.1} %){}",
            self.boilerplate.lines,
            self.boilerplate.of_lines,
            percent(
                self.boilerplate.lines as u64,
                self.boilerplate.of_lines as u64
            ),
            list_counts(&self.boilerplate.by_reason)
        );
        for e in self.boilerplate.examples.iter().take(5) {
            let _ = writeln!(s, "  {:>6} × {}", e.documents, e.line);
        }
    }

    /// Where headlines came from, and the top terms.
    fn write_headlines_and_terms(&self, s: &mut String) {
        let _ = writeln!(
            s,
            "headlines        {}",
            list_counts(&self.headlines).trim_start_matches(' ')
        );
        let terms: Vec<String> = self
            .top_terms
            .iter()
            .map(|t| format!("{} {}", t.term, t.documents))
            .collect();
        let _ = writeln!(s, "top terms        {}", terms.join(", "));
    }

    /// The listed documents, when there are at most 50 (more would bury the summary).
    fn write_document_list(&self, s: &mut String) {
        if !self.document_list.is_empty() && self.document_list.len() <= 50 {
            let _ = writeln!(s, "\nid\tlang\ttokens\theadline");
            for d in &self.document_list {
                let _ = writeln!(
                    s,
                    "{}\t{}\t{}\t{}",
                    d.id, d.lang, d.content_tokens, d.headline
                );
            }
        }
    }
}

/// `a` as a percentage of `b` (0 of nothing).
fn percent(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn list_counts(map: &BTreeMap<&'static str, usize>) -> String {
    if map.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = map.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!(" ({})", parts.join(", "))
}
