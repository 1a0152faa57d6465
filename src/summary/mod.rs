//! Story summaries for editors: label terms, headline, representative article, members,
//! sources, dates, key sentences, near-duplicate groups, cohesion.

use crate::cluster::StoryClusters;
use crate::corpus::{Document, Timestamp};
use crate::minhash::Dedup;
use crate::text::{
    display_form, term_hash, AnalysisOptions, AnalyzedCorpus, Analyzer, Lang, Normalizer, TermForms,
};
use crate::tfidf::SparseVector;
use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;
use serde::Serialize;

mod topics;
pub use topics::{attach_topics, Topic};

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
    /// Its address, if the input gave one.
    pub url: Option<String>,
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
    /// Its headline.
    pub headline: String,
    /// Its date.
    pub date: Option<Timestamp>,
    /// Its address.
    pub url: Option<String>,
    /// The copies.
    pub copies: Vec<DuplicateCopy>,
    /// The earliest-dated article of the group (canonical or copy), if any is dated.
    pub first_publisher: Option<Publisher>,
}

/// A republished copy.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateCopy {
    /// Its id.
    pub id: String,
    /// Its source.
    pub source: Option<String>,
    /// Its headline.
    pub headline: String,
    /// Its date.
    pub date: Option<Timestamp>,
    /// Its address.
    pub url: Option<String>,
    /// Its Jaccard to the canonical article.
    pub jaccard: f64,
}

/// The article that published first: the earliest date, ties to the smallest id.
#[derive(Debug, Clone, Serialize)]
pub struct Publisher {
    /// Its id.
    pub id: String,
    /// Its source.
    pub source: Option<String>,
    /// Its date and time.
    pub date: Timestamp,
    /// Its headline.
    pub headline: String,
    /// Its address.
    pub url: Option<String>,
}

impl Publisher {
    /// The earliest-dated of `articles` (corpus indices); `None` when none is dated.
    fn earliest(
        articles: impl IntoIterator<Item = u32>,
        documents: &[Document],
        analyzed: &AnalyzedCorpus,
    ) -> Option<Publisher> {
        let (date, d) = articles
            .into_iter()
            .filter_map(|d| documents[d as usize].date.map(|t| (t, d)))
            .min_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| documents[a.1 as usize].id.cmp(&documents[b.1 as usize].id))
            })?;
        let doc = &documents[d as usize];
        Some(Publisher {
            id: doc.id.clone(),
            source: doc.source.clone(),
            date,
            headline: analyzed.documents[d as usize].headline.clone(),
            url: doc.url.clone(),
        })
    }
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
    /// The earliest-dated article, if any is dated.
    pub first_publisher: Option<Publisher>,
    /// Central, non-redundant sentences.
    pub key_sentences: Vec<String>,
    /// Near-duplicate groups among the articles.
    pub duplicate_groups: Vec<StoryDuplicates>,
    /// Mean cosine of the articles to the centroid (1 for a single article).
    pub cohesion: f64,
    /// The language of most of its articles (`ar`, `en`, `und`).
    pub lang: &'static str,
    /// The id of the topic it belongs to.
    pub topic: usize,
}

/// All stories: by size, then most recent, singletons last.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stories {
    /// The stories.
    pub stories: Vec<Story>,
    /// The topics, each gathering related stories: by size, then most recent.
    pub topics: Vec<Topic>,
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

    /// Each document's topic id, by corpus index.
    pub fn topic_assignments(&self, n: usize) -> Vec<usize> {
        let mut out = self.assignments(n);
        for id in &mut out {
            if *id > 0 {
                *id = self.stories[*id - 1].topic;
            }
        }
        out
    }

    /// Each document's story or topic id, by corpus index.
    pub fn assignments_at(&self, level: Level, n: usize) -> Vec<usize> {
        match level {
            Level::Story => self.assignments(n),
            Level::Topic => self.topic_assignments(n),
        }
    }
}

/// The grain of an assignment: a story (one event or development) or a topic (related
/// stories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// One event or development.
    #[default]
    Story,
    /// Related stories.
    Topic,
}

impl Level {
    /// Its name, as in outputs' headers.
    pub fn name(self) -> &'static str {
        match self {
            Level::Story => "story",
            Level::Topic => "topic",
        }
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
    let duplicates_of: AHashMap<u32, &crate::minhash::DuplicateGroup> = dedup
        .groups
        .groups
        .iter()
        .map(|g| (g.canonical, g))
        .collect();

    let mut stories: Vec<Story> = groups
        .par_iter()
        .zip(labels)
        .map(|(members, label)| {
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
            let lookup = |lang: Lang| {
                &analyzers
                    .iter()
                    .find(|(l, _)| *l == lang)
                    .expect("every language")
                    .1
            };
            let key_sentences = key_sentences(
                documents,
                analyzed,
                &scored,
                clusters,
                &centroid,
                &lookup,
                options.key_sentences,
            );
            let mut duplicate_groups: Vec<StoryDuplicates> = scored
                .iter()
                .filter_map(|(d, _)| duplicates_of.get(d))
                .map(|g| {
                    let (c, a) = (&documents[g.canonical as usize], analyzed);
                    StoryDuplicates {
                        canonical: c.id.clone(),
                        source: c.source.clone(),
                        headline: a.documents[g.canonical as usize].headline.clone(),
                        date: c.date,
                        url: c.url.clone(),
                        copies: g
                            .members
                            .iter()
                            .map(|&(m, jaccard)| DuplicateCopy {
                                id: documents[m as usize].id.clone(),
                                source: documents[m as usize].source.clone(),
                                headline: a.documents[m as usize].headline.clone(),
                                date: documents[m as usize].date,
                                url: documents[m as usize].url.clone(),
                                jaccard,
                            })
                            .collect(),
                        first_publisher: Publisher::earliest(
                            std::iter::once(g.canonical).chain(g.members.iter().map(|m| m.0)),
                            documents,
                            a,
                        ),
                    }
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
                        url: documents[d as usize].url.clone(),
                        similarity,
                        index: d,
                    })
                    .collect(),
                sources,
                first_date: first,
                last_date: last,
                first_publisher: Publisher::earliest(
                    scored.iter().map(|s| s.0),
                    documents,
                    analyzed,
                ),
                key_sentences,
                duplicate_groups,
                cohesion,
                topic: 0,
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
    let mut stories = Stories {
        stories,
        topics: Vec::new(),
    };
    attach_topics(&mut stories, clusters, options.label_terms);
    stories
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
/// nothing about one story. Terms are shown in the form their articles write them most; a
/// term whose form repeats an already chosen one is passed over.
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
            scored.truncate(k * 6);
            // Written forms of the candidates, from the first members that use them.
            let mut forms: AHashMap<u64, (AHashMap<String, u32>, usize)> = scored
                .iter()
                .map(|&(t, _)| (t, (AHashMap::new(), 0)))
                .collect();
            let mut analysed = 0;
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
                if analysed == LABEL_FORM_DOCUMENTS {
                    break;
                }
                analysed += 1;
                for (term, form, count) in term_forms.forms(&documents[d as usize], a, open) {
                    let entry = forms.get_mut(&term).expect("a candidate");
                    *entry.0.entry(display_form(form)).or_insert(0) += count;
                    entry.1 += 1;
                }
            }
            let mut chosen: Vec<String> = Vec::new();
            for (term, _) in scored {
                if chosen.len() >= k {
                    break;
                }
                let forms = forms.remove(&term).map(|f| f.0).unwrap_or_default();
                let Some((form, _)) = forms
                    .into_iter()
                    .filter(|(f, _)| !f.is_empty())
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                else {
                    continue;
                };
                let lower = form.to_lowercase();
                let overlaps = chosen.iter().any(|c| {
                    let c = c.to_lowercase();
                    c.contains(&lower) || lower.contains(&c)
                });
                if !overlaps {
                    chosen.push(form);
                }
            }
            chosen
        })
        .collect()
}

/// Members whose written forms are counted for each label candidate (forms are found by
/// analysing an article again).
const LABEL_FORM_SAMPLES: usize = 8;

/// Members analysed again for written forms, at most, per story: analysing is the cost of
/// labelling.
const LABEL_FORM_DOCUMENTS: usize = 12;

/// Sentences read from the start of each article for key sentences.
const LEAD_SENTENCES: usize = 12;

/// Central, non-redundant sentences from the most central articles' content lines, by
/// maximal marginal relevance (λ = 0.7) over cosine to the centroid. Each article offers
/// its first 12 sentences.
fn key_sentences<'a>(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    scored: &[(u32, f64)],
    clusters: &StoryClusters,
    centroid: &SparseVector,
    analyzer_for: &dyn Fn(Lang) -> &'a Analyzer,
    k: usize,
) -> Vec<String> {
    let vocabulary = &clusters.model.vocabulary;
    let mut candidates: Vec<(String, SparseVector)> = Vec::new();
    let mut seen: AHashSet<String> = AHashSet::new();
    let mut scratch = crate::text::Scratch::default();
    for &(d, _) in scored.iter().take(5) {
        let doc = &documents[d as usize];
        let a = &analyzed.documents[d as usize];
        let analyzer = analyzer_for(a.lang);
        // News puts what matters first: an article's lead sentences are the candidates.
        let lead = a
            .lines
            .iter()
            .filter(|l| l.kind == crate::text::LineKind::Content)
            .flat_map(|l| sentences(&doc.body[l.text.clone()]))
            .take(LEAD_SENTENCES);
        {
            for sentence in lead {
                let words = sentence.split_whitespace().count();
                if !(6..=60).contains(&words) || !seen.insert(sentence.to_string()) {
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
                let v = SparseVector {
                    ids: terms.iter().map(|t| t.0).collect(),
                    weights: terms.iter().map(|t| t.1 / norm).collect(),
                };
                candidates.push((sentence.to_string(), v));
            }
        }
        if candidates.len() > 200 {
            break;
        }
    }
    let relevance: Vec<f32> = candidates.iter().map(|(_, v)| v.dot(centroid)).collect();
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < k {
        let best = (0..candidates.len())
            .filter(|i| !chosen.contains(i))
            .map(|i| {
                let redundancy = chosen
                    .iter()
                    .map(|&j| candidates[i].1.dot(&candidates[j].1))
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
    chosen
        .into_iter()
        .map(|i| candidates[i].0.clone())
        .collect()
}

/// Splits text into sentences at `.`, `!`, `?`, `؟` followed by white space (not inside an
/// ellipsis or a number).
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if matches!(c, '.' | '!' | '?' | '؟') {
            let next = chars.get(k + 1).map(|&(_, n)| n);
            let previous = if k > 0 { chars[k - 1].1 } else { ' ' };
            if c == '.'
                && (previous == '.'
                    || next == Some('.')
                    || next.is_some_and(|n| n.is_ascii_digit()))
            {
                continue;
            }
            if next.is_none_or(char::is_whitespace) {
                let end = i + c.len_utf8();
                out.push(text[start..end].trim());
                start = end;
            }
        }
    }
    out.push(text[start..].trim());
    out.into_iter().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_ends_only() {
        let s: Vec<&str> = sentences("قال إن 3.5 مليار. ثم؟ نعم... وانتهى").collect();
        assert_eq!(s, ["قال إن 3.5 مليار.", "ثم؟", "نعم... وانتهى"]);
    }
}
