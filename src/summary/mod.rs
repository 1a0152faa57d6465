//! Story summaries for editors: label terms, headline, representative article, members,
//! sources, dates, key sentences, near-duplicate groups, cohesion.

use crate::cluster::StoryClusters;
use crate::corpus::{Document, Timestamp};
use crate::minhash::Dedup;
use crate::text::{
    crosses_punctuation, display_form, sentences, sequence_hash, term_hash, AnalysisOptions,
    AnalyzedCorpus, AnalyzedDocument, Analyzer, Lang, Normalizer, StopWords, TermForms,
};
use crate::tfidf::SparseVector;
use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// How summaries are made.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SummaryOptions {
    /// Label terms per story.
    pub label_terms: usize,
    /// Key sentences per story.
    pub key_sentences: usize,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            label_terms: 5,
            key_sentences: 3,
        }
    }
}

/// One article of a story.
#[derive(Debug, Clone, Serialize)]
pub struct StoryMember {
    /// Its id.
    pub id: String,
    /// Its headline.
    pub headline: String,
    /// Its source.
    pub source: Option<String>,
    /// Its date.
    pub date: Option<Timestamp>,
    /// Cosine to the story's centroid.
    pub similarity: f64,
    /// Its index in the corpus.
    #[serde(skip)]
    pub index: u32,
}

/// A near-duplicate group inside a story.
#[derive(Debug, Clone, Serialize)]
pub struct StoryDuplicates {
    /// The canonical article.
    pub canonical: String,
    /// Its source.
    pub source: Option<String>,
    /// The copies.
    pub copies: Vec<DuplicateCopy>,
}

/// A republished copy.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateCopy {
    /// Its id.
    pub id: String,
    /// Its source.
    pub source: Option<String>,
    /// Its Jaccard to the canonical article.
    pub jaccard: f64,
}

/// One story.
#[derive(Debug, Clone, Serialize)]
pub struct Story {
    /// 1-based, in the order stories are listed.
    pub id: usize,
    /// Number of articles.
    pub size: usize,
    /// The most distinctive terms, as written.
    pub label: Vec<String>,
    /// The title of the most central article that has one (else the most central article's
    /// first sentence).
    pub headline: String,
    /// The most central article's id.
    pub representative: String,
    /// The articles, most central first.
    pub members: Vec<StoryMember>,
    /// Sources with their number of articles, most first.
    pub sources: Vec<(String, usize)>,
    /// Earliest date.
    pub first_date: Option<Timestamp>,
    /// Latest date.
    pub last_date: Option<Timestamp>,
    /// Central, non-redundant sentences.
    pub key_sentences: Vec<String>,
    /// Near-duplicate groups among the articles.
    pub duplicate_groups: Vec<StoryDuplicates>,
    /// Mean cosine of the articles to the centroid (1 for a single article).
    pub cohesion: f64,
    /// The language of most of its articles (`ar`, `en`, `und`).
    pub lang: &'static str,
}

/// All stories: by size, then most recent, singletons last.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stories {
    /// The stories.
    pub stories: Vec<Story>,
}

impl Stories {
    /// Each document's story id, by corpus index.
    pub fn assignments(&self, n: usize) -> Vec<usize> {
        let mut out = vec![0; n];
        for s in &self.stories {
            for m in &s.members {
                out[m.index as usize] = s.id;
            }
        }
        out
    }
}

/// Summarises every story.
pub fn summarize(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    clusters: &StoryClusters,
    dedup: &Dedup,
    analysis: &AnalysisOptions,
    options: &SummaryOptions,
) -> Stories {
    let mut by_label: AHashMap<u32, Vec<u32>> = AHashMap::new();
    for (d, &l) in clusters.labels.iter().enumerate() {
        by_label.entry(l).or_default().push(d as u32);
    }
    let mut groups: Vec<Vec<u32>> = by_label.into_values().collect();
    for g in &mut groups {
        g.sort_unstable_by_key(|&d| clusters.rank[d as usize]);
    }
    groups.sort_unstable_by_key(|g| clusters.rank[g[0] as usize]);

    let term_forms = TermForms::new(analysis);
    let labels = label_terms(
        documents,
        analyzed,
        &term_forms,
        &groups,
        clusters,
        options.label_terms,
    );
    let normalizer = Normalizer::new(analysis.normalize);
    let analyzers: Vec<(Lang, Analyzer)> = [Lang::Arabic, Lang::English, Lang::Undetermined]
        .into_iter()
        .map(|l| (l, Analyzer::terms(normalizer, l, analysis.arabic_stemmer)))
        .collect();
    let stop_words: Vec<(Lang, StopWords)> = analyzers
        .iter()
        .map(|(l, _)| (*l, StopWords::for_lang(*l, &normalizer)))
        .collect();
    let context = SentenceContext {
        stop_words: &stop_words,
        analyzers: &analyzers,
    };
    let ranked: Vec<(SparseVector, Vec<(u32, f64)>)> = groups
        .par_iter()
        .map(|members| rank_members(members, clusters))
        .collect();
    let mut candidates: Vec<Vec<Candidate>> = ranked
        .par_iter()
        .map(|(_, scored)| sentence_candidates(documents, analyzed, scored, clusters, &context))
        .collect();
    drop_sentences_of_several_stories(&mut candidates, documents, analyzed, &groups);
    let duplicates_of: AHashMap<u32, &crate::minhash::DuplicateGroup> = dedup
        .groups
        .groups
        .iter()
        .map(|g| (g.canonical, g))
        .collect();

    let mut stories: Vec<Story> = labels
        .into_par_iter()
        .zip(ranked)
        .zip(candidates)
        .map(|((label, (centroid, scored)), candidates)| {
            let cohesion = scored.iter().map(|s| s.1).sum::<f64>() / scored.len() as f64;
            let rep = scored[0].0 as usize;
            // The headline is a title: the most central article that has one (a title field or
            // title line), else the most central article's first sentence.
            let titled = scored
                .iter()
                .map(|&(d, _)| d as usize)
                .find(|&d| {
                    matches!(
                        analyzed.documents[d].headline_source,
                        crate::text::HeadlineSource::Title | crate::text::HeadlineSource::Line(_)
                    )
                })
                .unwrap_or(rep);
            let mut sources: AHashMap<&str, usize> = AHashMap::new();
            let (mut first, mut last) = (None::<Timestamp>, None::<Timestamp>);
            for &(d, _) in &scored {
                let doc = &documents[d as usize];
                if let Some(s) = &doc.source {
                    *sources.entry(s).or_insert(0) += 1;
                }
                if let Some(t) = doc.date {
                    first = Some(first.map_or(t, |f| f.min(t)));
                    last = Some(last.map_or(t, |l| l.max(t)));
                }
            }
            let mut sources: Vec<(String, usize)> = sources
                .into_iter()
                .map(|(s, n)| (s.to_string(), n))
                .collect();
            sources.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let key_sentences = key_sentences(candidates, &centroid, options.key_sentences);
            let mut duplicate_groups: Vec<StoryDuplicates> = scored
                .iter()
                .filter_map(|(d, _)| duplicates_of.get(d))
                .map(|g| StoryDuplicates {
                    canonical: documents[g.canonical as usize].id.clone(),
                    source: documents[g.canonical as usize].source.clone(),
                    copies: g
                        .members
                        .iter()
                        .map(|&(m, jaccard)| DuplicateCopy {
                            id: documents[m as usize].id.clone(),
                            source: documents[m as usize].source.clone(),
                            jaccard,
                        })
                        .collect(),
                })
                .collect();
            duplicate_groups.sort_by(|a, b| a.canonical.cmp(&b.canonical));
            let mut langs: AHashMap<&'static str, usize> = AHashMap::new();
            for &(d, _) in &scored {
                *langs
                    .entry(analyzed.documents[d as usize].lang.code())
                    .or_insert(0) += 1;
            }
            let lang = langs
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map_or("und", |(l, _)| l);
            Story {
                lang,
                id: 0,
                size: scored.len(),
                label,
                headline: analyzed.documents[titled].headline.clone(),
                representative: documents[rep].id.clone(),
                members: scored
                    .iter()
                    .map(|&(d, similarity)| StoryMember {
                        id: documents[d as usize].id.clone(),
                        headline: analyzed.documents[d as usize].headline.clone(),
                        source: documents[d as usize].source.clone(),
                        date: documents[d as usize].date,
                        similarity,
                        index: d,
                    })
                    .collect(),
                sources,
                first_date: first,
                last_date: last,
                key_sentences,
                duplicate_groups,
                cohesion,
            }
        })
        .collect();
    // Largest first, then the most recent, then by the smallest member id.
    stories.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then_with(|| b.last_date.cmp(&a.last_date))
            .then_with(|| {
                let key = |s: &Story| {
                    s.members
                        .iter()
                        .map(|m| clusters.rank[m.index as usize])
                        .min()
                };
                key(a).cmp(&key(b))
            })
    });
    for (i, s) in stories.iter_mut().enumerate() {
        s.id = i + 1;
    }
    Stories { stories }
}

/// The story's centroid, and its members by cosine to it, most central first.
fn rank_members(members: &[u32], clusters: &StoryClusters) -> (SparseVector, Vec<(u32, f64)>) {
    let centroid = centroid(members.iter().map(|&d| clusters.vector(d as usize)));
    let mut scored: Vec<(u32, f64)> = members
        .iter()
        .map(|&d| (d, f64::from(clusters.vector(d as usize).dot(&centroid))))
        .collect();
    if scored.len() == 1 {
        scored[0].1 = 1.0;
    }
    // Copies share their canonical document's vector; the canonical one goes first.
    let is_copy = |d: u32| {
        let unit = clusters.units.of_document[d as usize];
        clusters.units.representatives[unit as usize] != d
    };
    scored.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(is_copy(a.0).cmp(&is_copy(b.0)))
            .then(clusters.rank[a.0 as usize].cmp(&clusters.rank[b.0 as usize]))
    });
    (centroid, scored)
}

fn centroid<'a>(vectors: impl Iterator<Item = &'a SparseVector>) -> SparseVector {
    let mut sum: AHashMap<u32, f64> = AHashMap::new();
    for v in vectors {
        for (&t, &w) in v.ids.iter().zip(&v.weights) {
            *sum.entry(t).or_insert(0.0) += f64::from(w);
        }
    }
    let mut terms: Vec<(u32, f64)> = sum.into_iter().collect();
    terms.sort_unstable_by_key(|t| t.0);
    let norm = terms
        .iter()
        .map(|t| t.1 * t.1)
        .sum::<f64>()
        .sqrt()
        .max(1e-12);
    SparseVector {
        ids: terms.iter().map(|t| t.0).collect(),
        weights: terms.iter().map(|t| (t.1 / norm) as f32).collect(),
    }
}

/// Class-based TF-IDF (as in BERTopic): a term's weight in a story is its frequency there
/// (1 + ln count per article, summed) × ln(1 + A / its frequency in all stories), A being
/// the mean number of term occurrences per story; times the term's idf over articles, so
/// that words common everywhere (تم, بشكل) give way to names. Only terms of the TF-IDF vocabulary take
/// part: words found in most of the corpus (say, the two leaders every article names) say
/// nothing about one story. Each term is shown in the form its articles write most
/// ([`shown_form`]); the label takes terms by weight, passing over one that shares a word or
/// a stem with a term already taken ([`diverse_label`]).
fn label_terms(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    term_forms: &TermForms,
    groups: &[Vec<u32>],
    clusters: &StoryClusters,
    k: usize,
) -> Vec<Vec<String>> {
    let vocabulary = &clusters.model.vocabulary;
    let per_story: Vec<AHashMap<u64, f64>> = groups
        .par_iter()
        .map(|members| {
            let mut tf: AHashMap<u64, f64> = AHashMap::new();
            for &d in members {
                for t in &analyzed.documents[d as usize].terms {
                    if vocabulary.id(t.term).is_some() {
                        *tf.entry(t.term).or_insert(0.0) += 1.0 + f64::from(t.count).ln();
                    }
                }
            }
            tf
        })
        .collect();
    let mut total: AHashMap<u64, f64> = AHashMap::new();
    for tf in &per_story {
        for (&t, &w) in tf {
            *total.entry(t).or_insert(0.0) += w;
        }
    }
    // Summed in term order: a hash order would change the last bits, and so ties, per run.
    let mut in_order: Vec<(u64, f64)> = total.iter().map(|(&t, &w)| (t, w)).collect();
    in_order.sort_unstable_by_key(|&(t, _)| t);
    let mean = in_order.iter().map(|&(_, w)| w).sum::<f64>() / groups.len().max(1) as f64;
    groups
        .par_iter()
        .zip(per_story)
        .map(|(members, tf)| {
            let mut scored: Vec<(u64, f64)> = tf
                .iter()
                .map(|(&t, &w)| {
                    let idf = vocabulary
                        .id(t)
                        .map_or(1.0, |id| f64::from(vocabulary.idf[id as usize]));
                    (t, w * (1.0 + mean / total[&t]).ln() * idf)
                })
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            scored.truncate(k * LABEL_CANDIDATES_PER_TERM);
            let (forms, sampled) = written_forms(documents, analyzed, term_forms, members, &scored);
            let texts: Vec<&str> = sampled
                .iter()
                .flat_map(|&d| analyzed.documents[d as usize].texts(&documents[d as usize]))
                .collect();
            let shown = scored.iter().filter_map(|(term, _)| {
                let forms = forms.get(term)?;
                shown_form(forms, |bare| occurs_as_words(&texts, bare))
            });
            let lang = analyzed.documents[members[0] as usize].lang;
            diverse_label(shown, term_forms.analyzer(lang), k)
        })
        .collect()
}

/// The written forms of each candidate term (display forms with their counts), from the
/// first members that use them; and the members analysed again to find them.
fn written_forms(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    term_forms: &TermForms,
    members: &[u32],
    candidates: &[(u64, f64)],
) -> (AHashMap<u64, AHashMap<String, u32>>, Vec<u32>) {
    let mut forms: AHashMap<u64, (AHashMap<String, u32>, usize)> = candidates
        .iter()
        .map(|&(t, _)| (t, (AHashMap::new(), 0)))
        .collect();
    let mut sampled = Vec::new();
    for &d in members {
        let open = |t: u64| forms.get(&t).is_some_and(|f| f.1 < LABEL_FORM_SAMPLES);
        let a = &analyzed.documents[d as usize];
        if !a.terms.iter().any(|t| open(t.term)) {
            if forms.values().all(|f| f.1 >= LABEL_FORM_SAMPLES) {
                break;
            }
            continue;
        }
        // A candidate that none of the first members writes is not the story's.
        if sampled.len() == LABEL_FORM_DOCUMENTS {
            break;
        }
        sampled.push(d);
        for (term, form, count) in term_forms.forms(&documents[d as usize], a, open) {
            let entry = forms.get_mut(&term).expect("a candidate");
            *entry.0.entry(display_form(form)).or_insert(0) += count;
            entry.1 += 1;
        }
    }
    let forms = forms.into_iter().map(|(t, (f, _))| (t, f)).collect();
    (forms, sampled)
}

/// The form a term is shown in: the one its articles write most, among forms that have a
/// letter and run across no punctuation. A form with a conjunction or preposition glued on
/// (والبحوث, للمملكة) counts for its bare form when that is written too: as another form of
/// the same term, or, when the rest starts with the article ال (so that what was read off
/// is surely a clitic, not a letter of the word), anywhere in the sampled articles
/// (`occurs`).
fn shown_form(forms: &AHashMap<String, u32>, occurs: impl Fn(&str) -> bool) -> Option<String> {
    let mut usable: Vec<(&str, u32)> = forms
        .iter()
        .map(|(f, &c)| (f.as_str(), c))
        .filter(|(f, _)| f.chars().any(char::is_alphabetic) && !crosses_punctuation(f))
        .collect();
    usable.sort_unstable();
    let mut counts: Vec<(String, u32)> = Vec::with_capacity(usable.len());
    for &(form, count) in &usable {
        let bare = without_proclitics(form)
            .into_iter()
            .find(|(bare, article)| {
                usable.iter().any(|(f, _)| f == bare) || (*article && occurs(bare))
            });
        let target = bare.map_or_else(|| form.to_string(), |(b, _)| b);
        match counts.iter_mut().find(|(f, _)| *f == target) {
            Some(entry) => entry.1 += count,
            None => counts.push((target, count)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(f, _)| f)
}

/// Conjunctions (و, ف), prepositions (ب, ل, ك) and the two together, as Arabic writes them
/// joined to the next word; longest first, so that the barest form is tried first.
const PROCLITICS: [&str; 11] = ["وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك"];

/// The ways to read a proclitic off the first word of `form`, barest first, each with
/// whether the rest starts with the article ال (ل before ال drops its alef: للمملكة is
/// ل + المملكة).
fn without_proclitics(form: &str) -> Vec<(String, bool)> {
    let (first, rest) = form.split_once(' ').map_or((form, ""), |(f, r)| (f, r));
    let mut out = Vec::new();
    for p in PROCLITICS {
        let Some(word) = first.strip_prefix(p) else {
            continue;
        };
        let word = match word.strip_prefix('ل') {
            Some(after) if p.ends_with('ل') && !word.starts_with("ال") => format!("ال{after}"),
            _ => word.to_string(),
        };
        if word.chars().count() < 2 {
            continue;
        }
        let article = word.starts_with("ال") && word.chars().count() >= 4;
        out.push((
            if rest.is_empty() {
                word
            } else {
                format!("{word} {rest}")
            },
            article,
        ));
    }
    out
}

/// Whether `phrase` is written as whole words in one of `texts`.
fn occurs_as_words(texts: &[&str], phrase: &str) -> bool {
    texts.iter().any(|t| {
        t.match_indices(phrase).any(|(i, _)| {
            let before = t[..i].chars().next_back();
            let after = t[i + phrase.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// The first `k` of `forms` (best first) such that no two share a word or a stem: a label
/// of five views of one name (قناة السويس · السويس الجديدة · القناة الجديدة) tells an editor
/// less than five different things. Words are compared normalised, stems as `analyzer`
/// makes them.
fn diverse_label(
    forms: impl Iterator<Item = String>,
    analyzer: &Analyzer,
    k: usize,
) -> Vec<String> {
    let mut scratch = crate::text::Scratch::default();
    let mut chosen: Vec<(String, Vec<String>)> = Vec::new();
    for form in forms {
        if chosen.len() >= k {
            break;
        }
        let mut keys: Vec<String> = analyzer
            .normalizer()
            .normalize(&form)
            .split(' ')
            .map(str::to_string)
            .collect();
        analyzer.for_each_token(&form, &mut scratch, |stem| keys.push(stem.to_string()));
        let shares = chosen
            .iter()
            .any(|(_, taken)| taken.iter().any(|w| keys.contains(w)));
        if !shares {
            chosen.push((form, keys));
        }
    }
    chosen.into_iter().map(|(form, _)| form).collect()
}

/// Candidate terms weighed per label term: enough that terms passed over for sharing a
/// word leave others to take.
const LABEL_CANDIDATES_PER_TERM: usize = 8;

/// Members whose written forms are counted for each label candidate (forms are found by
/// analysing an article again).
const LABEL_FORM_SAMPLES: usize = 8;

/// Members analysed again for written forms, at most, per story: analysing is the cost of
/// labelling.
const LABEL_FORM_DOCUMENTS: usize = 12;

/// Sentences read from the start of each article for key sentences.
const LEAD_SENTENCES: usize = 12;

/// What decides which sentences may be key sentences, besides the story.
struct SentenceContext<'a> {
    /// Stop words per language (empty for a language without a list).
    stop_words: &'a [(Lang, StopWords)],
    analyzers: &'a [(Lang, Analyzer)],
}

impl SentenceContext<'_> {
    fn analyzer(&self, lang: Lang) -> &Analyzer {
        &self
            .analyzers
            .iter()
            .find(|(l, _)| *l == lang)
            .expect("every language")
            .1
    }

    /// Prose, not a list of keywords: a sentence of six words or more without one function
    /// word (في, من, the, of) is a site's tag line or a menu. Every language with a
    /// stop-word list writes its sentences with function words.
    fn is_prose(&self, lang: Lang, normalized: &str) -> bool {
        let Some((_, words)) = self.stop_words.iter().find(|(l, _)| *l == lang) else {
            return true;
        };
        words.is_empty() || normalized.split(' ').any(|w| words.contains(w))
    }
}

/// The sentences of an article's content lines up to the last one that ends with a full
/// stop (all of them when none does). What follows the article's last sentence without a
/// full stop is a site's furniture: a tag line («سمات الحوثيون المقاومة اليمن …», on the
/// last sentence's line or a line of its own), "next / previous", a link to the story.
fn article_sentences<'d>(doc: &'d Document, a: &'d AnalyzedDocument) -> Vec<&'d str> {
    let mut out: Vec<&str> = a
        .lines
        .iter()
        .filter(|l| l.kind == crate::text::LineKind::Content)
        .flat_map(|l| sentences(&doc.body[l.text.clone()]))
        .collect();
    if let Some(last) = out.iter().rposition(|s| ends_sentence(s)) {
        out.truncate(last + 1);
    }
    out
}

/// Whether a sentence ends with an end mark (closing quotes and brackets after it).
fn ends_sentence(line: &str) -> bool {
    line.trim_end_matches(|c: char| c.is_whitespace() || "\"'”’»)]".contains(c))
        .ends_with(['.', '!', '?', '؟', '。'])
}

/// Word n-grams by which a sentence is found in other articles: long enough to be rare,
/// short enough that a sentence of six words has two.
const SHARED_GRAM: usize = 5;

/// Hashes of the words of `text` as written (split at white space, punctuation around a
/// word left out): cheap enough to read every article again.
fn word_hashes(text: &str) -> impl Iterator<Item = u64> + '_ {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.as_bytes()))
}

/// The word n-grams of a sentence (one n-gram of all its words when it has fewer).
fn grams(sentence: &str) -> Vec<u64> {
    let words: Vec<u64> = word_hashes(sentence).collect();
    words
        .windows(SHARED_GRAM.min(words.len()).max(1))
        .map(sequence_hash)
        .collect()
}

/// Drops candidates that articles of another story write too (every n-gram of the sentence
/// is found in another story): a columnist's contact line, a site's standing paragraph,
/// a wire paragraph quoted under another dateline say nothing about either story. Copies of
/// one article are in one story, so they do not count.
fn drop_sentences_of_several_stories(
    candidates: &mut [Vec<Candidate>],
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    groups: &[Vec<u32>],
) {
    let mut slots: AHashMap<u64, usize> = AHashMap::new();
    for c in candidates.iter().flatten() {
        for &g in &c.grams {
            let next = slots.len();
            slots.entry(g).or_insert(next);
        }
    }
    // Per n-gram: 0 unseen, s + 1 seen in story s only, MAX seen in two stories or more.
    // The end state does not depend on the order of updates.
    let seen: Vec<AtomicU64> = (0..slots.len()).map(|_| AtomicU64::new(0)).collect();
    groups.par_iter().enumerate().for_each(|(story, members)| {
        let mark = story as u64 + 1;
        let mut words = Vec::new();
        for &d in members {
            for text in analyzed.documents[d as usize].texts(&documents[d as usize]) {
                words.clear();
                words.extend(word_hashes(text));
                for w in words.windows(SHARED_GRAM) {
                    let Some(&slot) = slots.get(&sequence_hash(w)) else {
                        continue;
                    };
                    let state = &seen[slot];
                    let mut current = state.load(Ordering::Relaxed);
                    while current != mark && current != u64::MAX {
                        let new = if current == 0 { mark } else { u64::MAX };
                        match state.compare_exchange(
                            current,
                            new,
                            Ordering::Relaxed,
                            Ordering::Relaxed,
                        ) {
                            Ok(_) => break,
                            Err(now) => current = now,
                        }
                    }
                }
            }
        }
    });
    let shared = |g: &u64| seen[slots[g]].load(Ordering::Relaxed) == u64::MAX;
    for story in candidates.iter_mut() {
        story.retain(|c| c.grams.is_empty() || !c.grams.iter().all(shared));
    }
}

/// A candidate key sentence: its text, the article it comes from, its TF-IDF vector, the
/// n-grams it is found by.
struct Candidate {
    text: String,
    article: u32,
    vector: SparseVector,
    grams: Vec<u64>,
}

/// Central, non-redundant sentences, by maximal marginal relevance (λ = 0.7) over cosine to
/// the centroid, at most one from each article.
fn key_sentences(candidates: Vec<Candidate>, centroid: &SparseVector, k: usize) -> Vec<String> {
    let relevance: Vec<f32> = candidates.iter().map(|c| c.vector.dot(centroid)).collect();
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < k {
        let best = (0..candidates.len())
            .filter(|&i| {
                chosen
                    .iter()
                    .all(|&j| candidates[j].article != candidates[i].article)
            })
            .map(|i| {
                let redundancy = chosen
                    .iter()
                    .map(|&j| candidates[i].vector.dot(&candidates[j].vector))
                    .fold(0.0f32, f32::max);
                (i, 0.7 * relevance[i] - 0.3 * redundancy, redundancy)
            })
            .filter(|&(_, _, redundancy)| redundancy < 0.6)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        match best {
            Some((i, _, _)) if relevance[i] > 0.0 => chosen.push(i),
            _ => break,
        }
    }
    let mut candidates: Vec<Option<Candidate>> = candidates.into_iter().map(Some).collect();
    chosen
        .into_iter()
        .filter_map(|i| candidates[i].take().map(|c| c.text))
        .collect()
}

/// The lead sentences of the five most central articles that may be key sentences: of 6 to
/// 60 words, prose, with three terms of the vocabulary or more. News puts what matters
/// first: each article offers its first 12 sentences.
fn sentence_candidates(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    scored: &[(u32, f64)],
    clusters: &StoryClusters,
    context: &SentenceContext,
) -> Vec<Candidate> {
    let vocabulary = &clusters.model.vocabulary;
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut seen: AHashSet<&str> = AHashSet::new();
    let mut scratch = crate::text::Scratch::default();
    for &(d, _) in scored.iter().take(5) {
        let doc = &documents[d as usize];
        let a = &analyzed.documents[d as usize];
        let analyzer = context.analyzer(a.lang);
        for sentence in article_sentences(doc, a).into_iter().take(LEAD_SENTENCES) {
            let words = sentence.split_whitespace().count();
            if !(6..=60).contains(&words) || !seen.insert(sentence) {
                continue;
            }
            let normalized = analyzer.normalizer().normalize(sentence);
            if !context.is_prose(a.lang, &normalized) {
                continue;
            }
            let mut tf: AHashMap<u32, f32> = AHashMap::new();
            analyzer.for_each_token(sentence, &mut scratch, |t| {
                if let Some(id) = vocabulary.id(term_hash(t)) {
                    *tf.entry(id).or_insert(0.0) += 1.0;
                }
            });
            if tf.len() < 3 {
                continue;
            }
            let mut terms: Vec<(u32, f32)> = tf
                .into_iter()
                .map(|(id, c)| (id, (1.0 + c.ln()) * vocabulary.idf[id as usize]))
                .collect();
            terms.sort_unstable_by_key(|t| t.0);
            let norm = terms.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
            candidates.push(Candidate {
                text: sentence.to_string(),
                article: d,
                vector: SparseVector {
                    ids: terms.iter().map(|t| t.0).collect(),
                    weights: terms.iter().map(|t| t.1 / norm).collect(),
                },
                grams: grams(sentence),
            });
        }
        if candidates.len() > 200 {
            break;
        }
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;
}
