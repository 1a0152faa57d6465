//! Story summaries for editors: label terms, headline, representative article, members,
//! sources, dates, key sentences, near-duplicate groups, cohesion.

use crate::cluster::StoryClusters;
use crate::corpus::{Document, Timestamp};
use crate::minhash::{check_inputs, Dedup};
use crate::progress::{NoObserver, PipelineObserver, Stage, StageClock};
use crate::text::{
    crosses_punctuation, display_form, sentences, term_hash, AnalysisOptions, AnalyzedCorpus,
    AnalyzedDocument, Analyzer, Lang, Normalizer, StopWords, TermForms,
};
use crate::tfidf::{SparseVector, TermIndex};
use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

mod topics;
use topics::attach_topics;
pub use topics::Topic;

/// How summaries are made.
#[derive(Debug, Clone, Copy, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SummaryOptions {
    /// Label terms per story and per topic.
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

impl SummaryOptions {
    /// Checks that the label's candidate terms can be counted (any number of key sentences
    /// works: a story offers as many as it has). [`summarize`] refuses options that fail it.
    pub fn check(&self) -> crate::Result<()> {
        let most = usize::MAX / LABEL_CANDIDATES_PER_TERM;
        crate::error::ensure(self.label_terms <= most, "summary.label_terms", || {
            format!(
                "{} is more than the {most} a label can hold",
                self.label_terms
            )
        })
    }
}

/// One article of a story.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
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
    /// Cosine to the story's centroid. Computed in `f32`, and written as one: its shortest
    /// decimal (`0.7904905`), not the digits of a widened `f64`.
    pub similarity: f32,
    /// Its index in the corpus.
    #[serde(skip)]
    pub index: u32,
}

/// A near-duplicate group inside a story.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
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

impl StoryDuplicates {
    /// A near-duplicate group of `documents` (analysed as `analyzed`) with its articles'
    /// headlines, times and addresses and its first publisher: what stories and
    /// `dedup --groups` show of it.
    pub fn of(
        group: &crate::minhash::DuplicateGroup,
        documents: &[Document],
        analyzed: &AnalyzedCorpus,
    ) -> StoryDuplicates {
        let copy = |m: u32, jaccard: f64| DuplicateCopy {
            id: documents[m as usize].id.clone(),
            source: documents[m as usize].source.clone(),
            headline: analyzed.documents[m as usize].headline.clone(),
            date: documents[m as usize].date,
            url: documents[m as usize].url.clone(),
            jaccard,
        };
        let c = &documents[group.canonical as usize];
        let members = group.members.iter().map(|m| m.0);
        StoryDuplicates {
            canonical: c.id.clone(),
            source: c.source.clone(),
            headline: analyzed.documents[group.canonical as usize]
                .headline
                .clone(),
            date: c.date,
            url: c.url.clone(),
            copies: group.members.iter().map(|&(m, j)| copy(m, j)).collect(),
            first_publisher: Publisher::earliest(
                std::iter::once(group.canonical).chain(members),
                documents,
                analyzed,
            ),
        }
    }
}

/// A republished copy.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
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
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
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

/// A source and how many articles it has (in a story or a corpus).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SourceCount {
    /// The source's name.
    pub name: String,
    /// Its articles.
    pub count: usize,
}

impl SourceCount {
    /// The counts as listed: most articles first, then by name.
    pub fn ranked<'a>(counts: impl IntoIterator<Item = (&'a str, usize)>) -> Vec<SourceCount> {
        let mut sources: Vec<SourceCount> = counts
            .into_iter()
            .map(|(name, count)| SourceCount {
                name: name.to_string(),
                count,
            })
            .collect();
        sources.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        sources
    }
}

/// One story.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
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
    pub sources: Vec<SourceCount>,
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
    /// Mean cosine of the articles to the centroid (1 for a single article); `f32`, as the
    /// cosines it averages.
    pub cohesion: f32,
    /// The language of most of its articles (`ar`, `en`, `und`).
    pub lang: &'static str,
    /// The id of the topic it belongs to.
    pub topic: usize,
}

/// All stories: by size, then most recent, singletons last.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
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
/// stories). More grains may come, so a match needs a `_` arm:
///
/// ```compile_fail
/// use storyclust::summary::Level;
/// fn name(level: Level) -> &'static str {
///     match level {
///         Level::Story => "story",
///         Level::Topic => "topic",
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
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

/// Summarises every story, once `options` pass [`SummaryOptions::check`] and `analysis`
/// passes [`AnalysisOptions::check`]. The analysis, clusters and near-duplicates must be
/// those of `documents` (else [`crate::Error::Mismatch`]). The same with the inputs in one
/// [`SummaryInputs`] and progress reported to an observer: [`summarize_observed`].
///
/// ```
/// use storyclust::cluster::{cluster_stories, StoryOptions};
/// use storyclust::corpus::Document;
/// use storyclust::minhash::{find_duplicates, DedupOptions};
/// use storyclust::summary::{summarize, SummaryOptions};
/// use storyclust::text::{analyze, AnalysisOptions};
///
/// let docs = [
///     Document::new("flood", "The river burst its banks overnight and flooded the old town \
///                             of Ayr. Rescue teams moved families to the school on the hill."),
///     Document::new("update", "Floodwater in the old town of Ayr fell on Friday as rescue \
///                              teams let the families go home from the school."),
///     Document::new("rates", "The central bank raised interest rates by half a point to \
///                             slow inflation, the governor said on Tuesday."),
///     Document::new("rates-2", "Inflation slowed after the central bank raised interest \
///                               rates, the governor told parliament."),
/// ];
/// let analysis = AnalysisOptions::default();
/// let analyzed = analyze(&docs, &analysis)?;
/// let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default())?;
/// let clusters = cluster_stories(&docs, &analyzed, &dedup, &StoryOptions::default())?;
/// let options = SummaryOptions::default();
/// let stories = summarize(&docs, &analyzed, &clusters, &dedup, &analysis, &options)?;
/// assert_eq!(stories.stories.len(), 2);
/// let flood = stories.stories.iter().find(|s| s.members.iter().any(|m| m.id == "flood"));
/// let flood = flood.unwrap();
/// assert_eq!(flood.size, 2);
/// assert!(flood.label.len() <= options.label_terms);
/// assert!(flood.label.iter().any(|term| term == "Ayr"), "{:?}", flood.label);
/// # Ok::<(), storyclust::Error>(())
/// ```
pub fn summarize(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    clusters: &StoryClusters,
    dedup: &Dedup,
    analysis: &AnalysisOptions,
    options: &SummaryOptions,
) -> crate::Result<Stories> {
    let inputs = SummaryInputs {
        documents,
        analyzed,
        clusters,
        dedup,
        analysis,
    };
    summarize_observed(&inputs, options, &NoObserver)
}

/// The passes over every story that [`Stage::Summaries`] counts: labels, sentence
/// candidates, and building the story.
pub const SUMMARY_PASSES: u64 = 3;

/// What [`summarize_observed`] summarises.
pub struct SummaryInputs<'a> {
    /// The corpus.
    pub documents: &'a [Document],
    /// Its analysis.
    pub analyzed: &'a AnalyzedCorpus,
    /// Its stories and topics.
    pub clusters: &'a StoryClusters,
    /// Its near-duplicates.
    pub dedup: &'a Dedup,
    /// How it was analysed.
    pub analysis: &'a AnalysisOptions,
}

/// [`summarize`], with its inputs in one [`SummaryInputs`] (checked as [`summarize`] checks
/// them), reporting [`Stage::Summaries`] to `observer`: each story once in each of
/// [`SUMMARY_PASSES`] passes.
pub fn summarize_observed(
    inputs: &SummaryInputs<'_>,
    options: &SummaryOptions,
    observer: &dyn PipelineObserver,
) -> crate::Result<Stories> {
    options.check()?;
    inputs.analysis.check()?;
    let documents = inputs.documents;
    check_inputs(documents, inputs.analyzed, Some(inputs.dedup))?;
    let stories = inputs.clusters.labels.len();
    crate::error::ensure_same("the story clusters", documents.len(), stories)?;
    Ok(summarize_checked(inputs, options, observer))
}

fn summarize_checked(
    inputs: &SummaryInputs<'_>,
    options: &SummaryOptions,
    observer: &dyn PipelineObserver,
) -> Stories {
    let SummaryInputs {
        documents,
        analyzed,
        clusters,
        dedup,
        analysis,
    } = *inputs;
    let groups = story_groups(clusters);
    // Each story is counted in each of its three passes: label, sentence candidates, build.
    let passes = SUMMARY_PASSES * groups.len() as u64;
    let clock = StageClock::start(observer, Stage::Summaries, Some(passes));
    let done = |n| clock.advance(n);
    let term_forms = TermForms::new(analysis);
    let k = options.label_terms;
    let mut labelling = Labelling::candidates(inputs, &term_forms, &groups, k, &done);
    let ranked: Vec<(SparseVector, Vec<(u32, f64)>)> = groups
        .par_iter()
        .map(|members| rank_members(members, clusters))
        .collect();
    let mut candidates = key_sentence_candidates(inputs, &ranked, &done);
    scan_corpus(
        &mut candidates,
        &mut labelling.forms,
        documents,
        analyzed,
        &groups,
    );
    // Chosen once the forms are bare: two candidates may then be one word (وسيناء, سيناء).
    let (labels, topic_labels) = labelling.choose(&groups, analyzed, &term_forms, k);
    let builder = StoryBuilder::new(documents, analyzed, dedup, options.key_sentences);
    let mut stories: Vec<Story> = labels
        .into_par_iter()
        .zip(ranked)
        .zip(candidates)
        .map(|((label, (centroid, scored)), candidates)| {
            let story = builder.story(label, &centroid, &scored, candidates);
            clock.advance(1);
            story
        })
        .collect();
    order_stories(&mut stories, clusters);
    let mut stories = Stories {
        stories,
        topics: Vec::new(),
    };
    attach_topics(&mut stories, clusters, &topic_labels);
    clock.finish();
    stories
}

/// The label candidates of every story, then of every topic of two stories or more, in one
/// list (the corpus scan reads glued clitics off all of them at once).
struct Labelling {
    forms: Vec<Vec<String>>,
    stories: usize,
    /// The labelled topics' keys and documents.
    topic_keys: Vec<u32>,
    topic_members: Vec<Vec<u32>>,
}

impl Labelling {
    /// Topics of two stories or more are labelled as stories are, each one group against
    /// every topic: what their stories share names them (the bombing, the mosque), where a
    /// story's label names what sets it apart from its siblings. Calls `done(1)` per story.
    fn candidates(
        inputs: &SummaryInputs<'_>,
        term_forms: &TermForms,
        groups: &[Vec<u32>],
        k: usize,
        done: &(dyn Fn(u64) + Sync),
    ) -> Labelling {
        let weights = LabelWeights::of(inputs, groups);
        let unknown = |_: usize, _: u64| None;
        let search = FormSearch {
            k,
            known: &unknown,
            read: LABEL_FORM_DOCUMENTS,
        };
        let scoring = weights.scoring(None, groups.len());
        let found = label_candidates(inputs, term_forms, groups, &scoring, &search, done);
        let topics = TopicGroups::of(inputs.clusters, groups);
        let scoring = weights.scoring(Some(&topics.stories), topics.all);
        let topic_forms = topics.label_candidates(inputs, term_forms, &scoring, &found, k);
        let mut forms = shown_only(found);
        let stories = forms.len();
        forms.extend(topic_forms);
        Labelling {
            forms,
            stories,
            topic_keys: topics.keys,
            topic_members: topics.members,
        }
    }

    /// Each story's label, and each labelled topic's by its key ([`choose_labels`]).
    fn choose(
        mut self,
        groups: &[Vec<u32>],
        analyzed: &AnalyzedCorpus,
        term_forms: &TermForms,
        k: usize,
    ) -> (Vec<Vec<String>>, AHashMap<u32, Vec<String>>) {
        let topic_forms = self.forms.split_off(self.stories);
        let labels = choose_labels(self.forms, groups, analyzed, term_forms, k);
        let members = &self.topic_members;
        let topic_labels = choose_labels(topic_forms, members, analyzed, term_forms, k);
        let keys = self.topic_keys.iter().copied();
        (labels, keys.zip(topic_labels).collect())
    }
}

/// Each story's candidate key sentences, from its ranked members (see
/// [`sentence_candidates`]). Calls `done(1)` per story.
fn key_sentence_candidates<'d>(
    inputs: &SummaryInputs<'d>,
    ranked: &[(SparseVector, Vec<(u32, f64)>)],
    done: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<Candidate<'d>>> {
    let SummaryInputs {
        documents,
        analyzed,
        clusters,
        analysis,
        ..
    } = *inputs;
    let (analyzers, stop_words) = sentence_tools(analyzed, analysis);
    let context = SentenceContext {
        stop_words: &stop_words,
        analyzers: &analyzers,
    };
    let index = clusters.model.vocabulary.index();
    ranked
        .par_iter()
        .map(|(_, scored)| {
            let found =
                sentence_candidates(documents, analyzed, scored, clusters, &index, &context);
            done(1);
            found
        })
        .collect()
}

/// Each story's label: `k` of its candidate forms, best first, no two sharing a word or a
/// stem ([`diverse_label`]), in the language of its first member.
fn choose_labels(
    candidates: Vec<Vec<String>>,
    groups: &[Vec<u32>],
    analyzed: &AnalyzedCorpus,
    term_forms: &TermForms,
    k: usize,
) -> Vec<Vec<String>> {
    candidates
        .into_par_iter()
        .zip(groups)
        .map(|(forms, members)| {
            let lang = analyzed.documents[members[0] as usize].lang;
            diverse_label(forms.into_iter(), term_forms.analyzer(lang), k)
        })
        .collect()
}

/// Each story's documents, by id rank, the stories by their first document's rank.
fn story_groups(clusters: &StoryClusters) -> Vec<Vec<u32>> {
    let mut by_label: AHashMap<u32, Vec<u32>> = AHashMap::new();
    for (d, &l) in clusters.labels.iter().enumerate() {
        by_label.entry(l).or_default().push(d as u32);
    }
    let mut groups: Vec<Vec<u32>> = by_label.into_values().collect();
    for g in &mut groups {
        g.sort_unstable_by_key(|&d| clusters.rank[d as usize]);
    }
    groups.sort_unstable_by_key(|g| clusters.rank[g[0] as usize]);
    groups
}

/// The languages of the corpus, each with its analyzer and stop words, for key sentences.
#[allow(clippy::type_complexity)]
fn sentence_tools(
    analyzed: &AnalyzedCorpus,
    analysis: &AnalysisOptions,
) -> (Vec<(Lang, Analyzer)>, Vec<(Lang, StopWords)>) {
    let normalizer = Normalizer::new(analysis.normalize);
    let langs: std::collections::BTreeSet<Lang> =
        analyzed.documents.iter().map(|a| a.lang).collect();
    let analyzers: Vec<(Lang, Analyzer)> = langs
        .into_iter()
        .map(|l| (l, Analyzer::terms(normalizer, l, analysis.arabic_stemmer)))
        .collect();
    let stop_words = analyzers
        .iter()
        .map(|(l, _)| (*l, StopWords::for_lang(*l, &normalizer)))
        .collect();
    (analyzers, stop_words)
}

/// Largest first, then the most recent, then by the smallest member id; ids from 1.
fn order_stories(stories: &mut [Story], clusters: &StoryClusters) {
    let key = |s: &Story| {
        s.members
            .iter()
            .map(|m| clusters.rank[m.index as usize])
            .min()
    };
    stories.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then_with(|| b.last_date.cmp(&a.last_date))
            .then_with(|| key(a).cmp(&key(b)))
    });
    for (i, s) in stories.iter_mut().enumerate() {
        s.id = i + 1;
    }
}

/// What every story's summary is drawn from.
struct StoryBuilder<'a> {
    documents: &'a [Document],
    analyzed: &'a AnalyzedCorpus,
    duplicates_of: AHashMap<u32, &'a crate::minhash::DuplicateGroup>,
    key_sentences: usize,
}

impl<'a> StoryBuilder<'a> {
    fn new(
        documents: &'a [Document],
        analyzed: &'a AnalyzedCorpus,
        dedup: &'a Dedup,
        key_sentences: usize,
    ) -> Self {
        let groups = &dedup.groups.groups;
        StoryBuilder {
            documents,
            analyzed,
            duplicates_of: groups.iter().map(|g| (g.canonical, g)).collect(),
            key_sentences,
        }
    }

    /// The story of the members `scored` (most central first, with their cosines to the
    /// centroid).
    fn story(
        &self,
        label: Vec<String>,
        centroid: &SparseVector,
        scored: &[(u32, f64)],
        candidates: Vec<Candidate<'_>>,
    ) -> Story {
        let (documents, analyzed) = (self.documents, self.analyzed);
        let cohesion = scored.iter().map(|s| s.1).sum::<f64>() / scored.len() as f64;
        let rep = scored[0].0 as usize;
        let (first_date, last_date) = date_range(documents, scored);
        Story {
            lang: self.majority_lang(scored),
            id: 0,
            size: scored.len(),
            label,
            headline: analyzed.documents[self.headline_article(scored)]
                .headline
                .clone(),
            representative: documents[rep].id.clone(),
            members: self.members(scored),
            sources: source_counts(documents, scored),
            first_date,
            last_date,
            first_publisher: Publisher::earliest(scored.iter().map(|s| s.0), documents, analyzed),
            key_sentences: key_sentences(candidates, centroid, self.key_sentences),
            duplicate_groups: self.duplicate_groups(scored),
            cohesion: cohesion as f32,
            topic: 0,
        }
    }

    /// The headline is a title: the most central article that has one (a title field or
    /// title line), else the most central article's first sentence.
    fn headline_article(&self, scored: &[(u32, f64)]) -> usize {
        scored
            .iter()
            .map(|&(d, _)| d as usize)
            .find(|&d| {
                matches!(
                    self.analyzed.documents[d].headline_source,
                    crate::text::HeadlineSource::Title | crate::text::HeadlineSource::Line(_)
                )
            })
            .unwrap_or(scored[0].0 as usize)
    }

    fn members(&self, scored: &[(u32, f64)]) -> Vec<StoryMember> {
        let (documents, analyzed) = (self.documents, self.analyzed);
        scored
            .iter()
            .map(|&(d, similarity)| StoryMember {
                id: documents[d as usize].id.clone(),
                headline: analyzed.documents[d as usize].headline.clone(),
                source: documents[d as usize].source.clone(),
                date: documents[d as usize].date,
                url: documents[d as usize].url.clone(),
                // Each cosine is an f32 dot product widened to f64: narrowing is exact.
                similarity: similarity as f32,
                index: d,
            })
            .collect()
    }

    /// The near-duplicate groups among the members, by canonical id.
    fn duplicate_groups(&self, scored: &[(u32, f64)]) -> Vec<StoryDuplicates> {
        let mut groups: Vec<StoryDuplicates> = scored
            .iter()
            .filter_map(|(d, _)| self.duplicates_of.get(d))
            .map(|g| StoryDuplicates::of(g, self.documents, self.analyzed))
            .collect();
        groups.sort_by(|a, b| a.canonical.cmp(&b.canonical));
        groups
    }

    /// The language most members are in (ties: the smaller code).
    fn majority_lang(&self, scored: &[(u32, f64)]) -> &'static str {
        let mut langs: AHashMap<&'static str, usize> = AHashMap::new();
        for &(d, _) in scored {
            *langs
                .entry(self.analyzed.documents[d as usize].lang.code())
                .or_insert(0) += 1;
        }
        langs
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map_or("und", |(l, _)| l)
    }
}

/// Articles per source, most first, then by name.
fn source_counts(documents: &[Document], scored: &[(u32, f64)]) -> Vec<SourceCount> {
    let mut sources: AHashMap<&str, usize> = AHashMap::new();
    for &(d, _) in scored {
        if let Some(s) = &documents[d as usize].source {
            *sources.entry(s).or_insert(0) += 1;
        }
    }
    SourceCount::ranked(sources)
}

/// The earliest and latest member dates.
fn date_range(
    documents: &[Document],
    scored: &[(u32, f64)],
) -> (Option<Timestamp>, Option<Timestamp>) {
    let dates = || {
        scored
            .iter()
            .filter_map(|&(d, _)| documents[d as usize].date)
    };
    (dates().min(), dates().max())
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
/// ([`shown_form`]). These are the candidates, best first: the label takes terms from them
/// by weight, passing over one that shares a word or a stem with a term already taken
/// ([`diverse_label`]), once [`scan_corpus`] has read glued clitics off.
/// Each candidate comes with its term, and no form when none is fit to show. `known` gives
/// the shown form of a group's term where it is known already (a topic's, from its
/// stories), so that only the others are read from its articles.
/// Calls `done(1)` as each story gets its candidates.
fn label_candidates(
    inputs: &SummaryInputs<'_>,
    term_forms: &TermForms,
    groups: &[Vec<u32>],
    scoring: &Scoring<'_>,
    search: &FormSearch<'_>,
    done: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<(u64, Option<String>)>> {
    let FormSearch { k, known, read } = *search;
    let SummaryInputs {
        documents,
        analyzed,
        clusters,
        ..
    } = *inputs;
    let vocabulary = &clusters.model.vocabulary;
    let (total, mean) = (scoring.total, scoring.mean);
    groups
        .par_iter()
        .enumerate()
        .map(|(group, members)| {
            let mut scored: Vec<(u64, f64)> = scoring
                .terms(group)
                .iter()
                .map(|&(id, w)| {
                    let idf = f64::from(vocabulary.idf[id as usize]);
                    let weight = w * (1.0 + mean / total[id as usize]).ln() * idf;
                    (vocabulary.terms[id as usize], weight)
                })
                .collect();
            best_first(&mut scored, k * LABEL_CANDIDATES_PER_TERM);
            let found: Vec<Option<Option<String>>> =
                scored.iter().map(|c| known(group, c.0)).collect();
            let unknown: Vec<(u64, f64)> = scored
                .iter()
                .zip(&found)
                .filter_map(|(c, f)| f.is_none().then_some(*c))
                .collect();
            let forms = written_forms(documents, analyzed, term_forms, members, &unknown, read);
            let shown = scored
                .iter()
                .zip(found)
                .map(|(&(term, _), f)| {
                    (
                        term,
                        f.unwrap_or_else(|| forms.get(&term).and_then(shown_form)),
                    )
                })
                .collect();
            done(1);
            shown
        })
        .collect()
}

/// Keeps the `n` heaviest of `scored`, heaviest first (ties by term): a partial sort, as a
/// large story or topic has thousands of terms and the label needs a few.
fn best_first(scored: &mut Vec<(u64, f64)>, n: usize) {
    let order = |a: &(u64, f64), b: &(u64, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if scored.len() > n && n > 0 {
        scored.select_nth_unstable_by(n - 1, order);
    }
    scored.truncate(n);
    scored.sort_by(order);
}

/// How a group's label candidates are found: `k` label terms' worth of them, the forms
/// `known` already, and for the others the first `read` members that write them.
#[derive(Clone, Copy)]
struct FormSearch<'a> {
    k: usize,
    known: &'a KnownForms<'a>,
    read: usize,
}

/// The shown form of a group's term, where it is known already (`Some(None)`: known to
/// have no form fit to show).
type KnownForms<'a> = dyn Fn(usize, u64) -> Option<Option<String>> + Sync + 'a;

/// The forms of candidates, kept to be shown.
fn shown_only(candidates: Vec<Vec<(u64, Option<String>)>>) -> Vec<Vec<String>> {
    candidates
        .into_iter()
        .map(|c| c.into_iter().filter_map(|(_, form)| form).collect())
        .collect()
}

/// Each story's label weight of each of its terms ([`story_term_weights`]), by term id, and
/// their sum over the corpus.
struct LabelWeights {
    per_group: Vec<Vec<(u32, f64)>>,
    total: Vec<f64>,
    /// The sum over the corpus of each story's [`spread`] weight.
    spread_total: Vec<f64>,
}

/// What a story adds to its topic's weight of a term: ln(1 + its own weight), so that a
/// term written across the topic's stories outweighs one that a single large story repeats.
/// A topic's label names what its stories share.
fn spread(weight: f64) -> f64 {
    weight.ln_1p()
}

/// What groups' label candidates are scored by: their term weights, added up from their
/// stories', against the corpus's, and the mean group's sum over all terms. A term weighs
/// for a group's label by how much more the group uses it than the mean group does.
struct Scoring<'a> {
    stories: &'a [Vec<(u32, f64)>],
    /// The stories of each group, each adding its [`spread`] weights (`None`: each group is
    /// one story, by index, with its own weights).
    of: Option<&'a [Vec<usize>]>,
    total: &'a [f64],
    mean: f64,
}

impl Scoring<'_> {
    /// Group `g`'s term weights; a topic's are added up when asked for, so that all of
    /// them are never held at once.
    fn terms(&self, g: usize) -> std::borrow::Cow<'_, [(u32, f64)]> {
        let Some(of) = self.of else {
            return std::borrow::Cow::Borrowed(&self.stories[g]);
        };
        let weights = of[g].iter().flat_map(|&s| &self.stories[s]);
        added_up(weights.map(|&(id, w)| (id, spread(w)))).into()
    }
}

impl LabelWeights {
    /// The weights of each story.
    fn of(inputs: &SummaryInputs<'_>, groups: &[Vec<u32>]) -> LabelWeights {
        let vocabulary = &inputs.clusters.model.vocabulary;
        let index = vocabulary.index();
        let per_group: Vec<Vec<(u32, f64)>> = groups
            .par_iter()
            .map(|members| story_term_weights(inputs.analyzed, &index, members))
            .collect();
        // Summed story by story, and the mean in term order (ids follow term-hash order): a
        // hash order would change the last bits, and so ties, per run.
        let mut total = vec![0.0f64; vocabulary.len()];
        let mut spread_total = vec![0.0f64; vocabulary.len()];
        for tf in &per_group {
            for &(id, w) in tf {
                total[id as usize] += w;
                spread_total[id as usize] += spread(w);
            }
        }
        LabelWeights {
            per_group,
            total,
            spread_total,
        }
    }

    /// Scoring by these weights, for groups made of the stories `of` (`None`: the stories
    /// themselves), `groups` of them in all (every topic, labelled or not).
    fn scoring<'a>(&'a self, of: Option<&'a [Vec<usize>]>, groups: usize) -> Scoring<'a> {
        let total = match of {
            None => &self.total,
            Some(_) => &self.spread_total,
        };
        Scoring {
            stories: &self.per_group,
            of,
            total,
            mean: total.iter().sum::<f64>() / groups.max(1) as f64,
        }
    }
}

/// The topics of two stories or more, by key: their stories and their documents (from
/// their stories in turn); and how many topics there are in all.
struct TopicGroups {
    keys: Vec<u32>,
    stories: Vec<Vec<usize>>,
    members: Vec<Vec<u32>>,
    all: usize,
}

impl TopicGroups {
    fn of(clusters: &StoryClusters, groups: &[Vec<u32>]) -> TopicGroups {
        let mut by_key: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (s, members) in groups.iter().enumerate() {
            by_key
                .entry(clusters.topics[members[0] as usize])
                .or_default()
                .push(s);
        }
        let all = by_key.len();
        by_key.retain(|_, s| s.len() > 1);
        let keys: Vec<u32> = by_key.keys().copied().collect();
        let members = by_key.values().map(|s| in_turn(s, groups)).collect();
        TopicGroups {
            keys,
            stories: by_key.into_values().collect(),
            members,
            all,
        }
    }

    /// Each topic's label candidates ([`label_candidates`]), shown as its stories show them
    /// where they are among their candidates: only the other terms' forms are read.
    fn label_candidates(
        &self,
        inputs: &SummaryInputs<'_>,
        term_forms: &TermForms,
        scoring: &Scoring<'_>,
        stories: &[Vec<(u64, Option<String>)>],
        k: usize,
    ) -> Vec<Vec<String>> {
        // A story's form if one shows it; known to have none if the stories that have the
        // term found none. (A story has a few dozen candidates: a scan is cheap.)
        let known = |topic: usize, term: u64| {
            let found = || {
                let candidates = self.stories[topic].iter().flat_map(|&s| &stories[s]);
                candidates.filter(move |c| c.0 == term).map(|c| &c.1)
            };
            let form = found().find_map(|f| f.as_ref());
            form.map(|f| Some(f.clone()))
                .or_else(|| found().next().map(|_| None))
        };
        let members = &self.members;
        let found = label_candidates(
            inputs,
            term_forms,
            members,
            scoring,
            &FormSearch {
                k,
                known: &known,
                read: LABEL_TOPIC_FORM_DOCUMENTS,
            },
            &|_| {},
        );
        shown_only(found)
    }
}

/// The documents of `stories`, a story at a time in turn (the first of each, then the
/// second of each…), so that the first few come from different stories.
fn in_turn(stories: &[usize], groups: &[Vec<u32>]) -> Vec<u32> {
    let longest = stories.iter().map(|&s| groups[s].len()).max().unwrap_or(0);
    (0..longest)
        .flat_map(|i| {
            stories
                .iter()
                .filter_map(move |&s| groups[s].get(i).copied())
        })
        .collect()
}

/// (id, weight) pairs added up by id, ids ascending: each id's weights in the order given
/// (a stable sort keeps it), so the sums do not depend on threads.
fn added_up(weights: impl Iterator<Item = (u32, f64)>) -> Vec<(u32, f64)> {
    let mut all: Vec<(u32, f64)> = weights.collect();
    all.sort_by_key(|e| e.0);
    let mut sum: Vec<(u32, f64)> = Vec::with_capacity(all.len());
    for (id, w) in all {
        match sum.last_mut() {
            Some(last) if last.0 == id => last.1 += w,
            _ => sum.push((id, w)),
        }
    }
    sum
}

/// A story's weight of each term of the vocabulary (1 + ln count, summed over its
/// members, plus [`LABEL_HEADLINE_WEIGHT`] for each member whose headline has it), by term
/// id in id order. Headlines name the event; bodies also carry quotes, condolences and
/// background, whose phrases make poor labels.
fn story_term_weights(
    analyzed: &AnalyzedCorpus,
    vocabulary: &TermIndex,
    members: &[u32],
) -> Vec<(u32, f64)> {
    let mut all: Vec<(u32, f64)> = Vec::new();
    for &d in members {
        for t in &analyzed.documents[d as usize].terms {
            if let Some(id) = vocabulary.id(t.term) {
                let headline = if t.title_count > 0 {
                    LABEL_HEADLINE_WEIGHT
                } else {
                    0.0
                };
                all.push((id, 1.0 + f64::from(t.count).ln() + headline));
            }
        }
    }
    // Summed by id in member order, as added_up's sort is stable.
    added_up(all.into_iter())
}

/// The written forms of each candidate term (display forms with their counts), from the
/// first members that use them.
fn written_forms(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    term_forms: &TermForms,
    members: &[u32],
    candidates: &[(u64, f64)],
    read: usize,
) -> AHashMap<u64, AHashMap<String, u32>> {
    let mut forms: AHashMap<u64, (AHashMap<String, u32>, usize)> = candidates
        .iter()
        .map(|&(t, _)| (t, (AHashMap::new(), 0)))
        .collect();
    let mut sampled = 0;
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
        if sampled == read {
            break;
        }
        sampled += 1;
        for (term, form, count) in term_forms.forms(&documents[d as usize], a, open) {
            let entry = forms.get_mut(&term).expect("a candidate");
            *entry.0.entry(display_form(form)).or_insert(0) += count;
            entry.1 += 1;
        }
    }
    forms.into_iter().map(|(t, (f, _))| (t, f)).collect()
}

/// The form a term is shown in: the one its articles write most, among forms that are
/// words, run across no punctuation and have at most two words. A pair of terms is written
/// with more when the text has a stop word or a number between them (الصباغ أن مدير, تحمل
/// على متنها): a fragment of a sentence, not a name. A form with a conjunction or preposition glued on
/// (والبحوث, وبوتين) counts for its bare form when that is another form of the same term.
/// (A glued form before the article ال that wins all the same loses its clitic in
/// [`scan_corpus`] when the corpus writes the bare word.)
fn shown_form(forms: &AHashMap<String, u32>) -> Option<String> {
    let mut usable: Vec<(&str, u32)> = forms
        .iter()
        .map(|(f, &c)| (f.as_str(), c))
        .filter(|(f, _)| is_wordlike(f) && !crosses_punctuation(f) && f.split(' ').count() <= 2)
        .collect();
    usable.sort_unstable();
    let mut counts: Vec<(String, u32)> = Vec::with_capacity(usable.len());
    for &(form, count) in &usable {
        let bare = without_proclitics(form)
            .into_iter()
            .find(|(bare, _)| usable.iter().any(|(f, _)| f == bare));
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

/// Whether a form is made of words: a number with a conjunction or preposition glued on
/// (و107) is a number, and numbers are no terms.
fn is_wordlike(form: &str) -> bool {
    let (first, _) = form.split_once(' ').unwrap_or((form, ""));
    let letters = |w: &str| w.chars().any(char::is_alphabetic);
    letters(form)
        && !PROCLITICS.iter().any(|p| {
            first
                .strip_prefix(p)
                .is_some_and(|rest| !rest.is_empty() && !letters(rest))
        })
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
        // Words also without a clitic glued before the article, as the label may show them
        // (والتي and التي are one word).
        let mut keys: Vec<String> = Vec::new();
        for word in analyzer.normalizer().normalize(&form).split(' ') {
            keys.extend(glued_article(word));
            keys.push(word.to_string());
        }
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

/// What a member's headline adds to a term's weight for labels, on top of its count in the
/// article (1 + ln count).
const LABEL_HEADLINE_WEIGHT: f64 = 1.0;

/// Candidate terms weighed per label term: enough that terms passed over for sharing a
/// word leave others to take.
const LABEL_CANDIDATES_PER_TERM: usize = 6;

/// Members whose written forms are counted for each label candidate (forms are found by
/// analysing an article again).
const LABEL_FORM_SAMPLES: usize = 8;

/// Members analysed again for written forms, at most, per story: analysing is the cost of
/// labelling.
const LABEL_FORM_DOCUMENTS: usize = 12;

/// ...and for a topic's candidates that are none of its stories' candidates, the members
/// read: the first two that write any of them, taken from its stories in turn. The terms
/// a topic's label takes are spread across its stories, so two articles of two stories
/// nearly always write them; a term they do not write is left out.
const LABEL_TOPIC_FORM_DOCUMENTS: usize = 2;

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

/// The first `n` sentences of an article's content lines, leaving out sentences after the
/// last one that ends with a full stop (when one does). What follows the article's last
/// sentence without a full stop is a site's furniture: a tag line
/// («سمات الحوثيون المقاومة اليمن …», on the last sentence's line or a line of its own),
/// "next / previous", a link to the story.
fn article_sentences<'d>(doc: &'d Document, a: &'d AnalyzedDocument, n: usize) -> Vec<&'d str> {
    let mut all = a
        .lines
        .iter()
        .filter(|l| l.kind == crate::text::LineKind::Content)
        .flat_map(|l| sentences(&doc.body[l.text.clone()]));
    let (mut out, mut pending) = (Vec::new(), Vec::new());
    let mut ended = false;
    while out.len() < n {
        let Some(sentence) = all.next() else {
            if !ended {
                out.append(&mut pending); // no sentence ends: none is furniture
            }
            break;
        };
        pending.push(sentence);
        if ends_sentence(sentence) {
            ended = true;
            out.append(&mut pending);
        }
    }
    out.truncate(n);
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

/// The words of `text` as written: split at white space and ASCII punctuation, other
/// punctuation around a word left out (cheap enough to read every article again).
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    // Split at ASCII white space and punctuation, byte by byte (lines hold no line feed;
    // a full stop may lack its space: «المقبلين.على»); other punctuation is trimmed off.
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // Words are short: a plain scan beats memchr's set-up.
        let end = rest
            .bytes()
            .position(|b| b.is_ascii_whitespace() || b.is_ascii_punctuation())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[(end + 1).min(rest.len())..];
        Some(word)
    })
    .map(|w| w.trim_matches(is_punctuation))
    .filter(|w| !w.is_empty())
}

fn word_hash(word: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(word.as_bytes())
}

/// The hash of a run of word hashes, within one run only (every word of the corpus is in
/// five): words' hashes rotated by their place, so that order counts.
fn gram_hash(words: &[u64]) -> u64 {
    words
        .iter()
        .enumerate()
        .fold(words.len() as u64, |h, (i, &w)| {
            h ^ w.rotate_left(13 * i as u32)
        })
}

/// Punctuation written next to words (a table lookup for ASCII and Arabic, no Unicode
/// property tables: every word of the corpus goes through it).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '،' | '؛' | '؟' | '«' | '»' | '“' | '”' | '‘' | '’' | '…' | '–' | '—' | '\u{00A0}'
        )
}

/// N-grams that cover a sentence's words: from every `SHARED_GRAM`-th word, and the last
/// n-gram (one n-gram of all its words when it has fewer). Another article writes the
/// sentence when it writes all of them, since every n-gram of every article is looked up.
fn grams(sentence: &str) -> Vec<u64> {
    let words: Vec<u64> = words_of(sentence).map(word_hash).collect();
    if words.len() <= SHARED_GRAM {
        return vec![gram_hash(&words)];
    }
    let mut out: Vec<u64> = (0..=words.len() - SHARED_GRAM)
        .step_by(SHARED_GRAM)
        .map(|i| gram_hash(&words[i..i + SHARED_GRAM]))
        .collect();
    out.push(gram_hash(&words[words.len() - SHARED_GRAM..]));
    out.dedup();
    out
}

/// Reads every article once, word by word, for what summaries need to know of the whole
/// corpus: which candidate key sentences articles of another story write too (every n-gram
/// of the sentence is found in another story), and which bare forms of label terms the
/// corpus writes. A columnist's contact line, a site's standing paragraph, a wire paragraph
/// under another dateline say nothing about either story, and are dropped. Copies of one
/// article are in one story, so they do not count.
fn scan_corpus(
    candidates: &mut [Vec<Candidate<'_>>],
    labels: &mut [Vec<String>],
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    groups: &[Vec<u32>],
) {
    let mut slots: AHashMap<u64, usize> = AHashMap::new();
    // A bit per n-gram hash, in a table that stays in cache: most n-grams of the corpus are
    // no candidate's, and the bit tells so without a miss in the larger map.
    let mut filter = vec![0u64; GRAM_FILTER_BITS / 64];
    for c in candidates.iter().flatten() {
        for &g in &c.grams {
            let next = slots.len();
            slots.entry(g).or_insert(next);
            let bit = g as usize % GRAM_FILTER_BITS;
            filter[bit / 64] |= 1 << (bit % 64);
        }
    }
    let bare = BareForms::of(labels);
    // Per n-gram: 0 unseen, s + 1 seen in story s only, MAX seen in two stories or more.
    // The end state does not depend on the order of updates.
    let seen: Vec<AtomicU64> = (0..slots.len()).map(|_| AtomicU64::new(0)).collect();
    groups.par_iter().enumerate().for_each(|(story, members)| {
        let mut words = Vec::new();
        for &d in members {
            for text in analyzed.documents[d as usize].texts(&documents[d as usize]) {
                words.clear();
                words.extend(words_of(text).map(word_hash));
                bare.count(&words);
                for w in words.windows(SHARED_GRAM) {
                    let hash = gram_hash(w);
                    let bit = hash as usize % GRAM_FILTER_BITS;
                    if filter[bit / 64] & (1 << (bit % 64)) == 0 {
                        continue;
                    }
                    if let Some(&slot) = slots.get(&hash) {
                        mark_story(&seen[slot], story as u64 + 1);
                    }
                }
            }
        }
    });
    let shared = |g: &u64| seen[slots[g]].load(Ordering::Relaxed) == u64::MAX;
    for story in candidates.iter_mut() {
        story.retain(|c| c.grams.is_empty() || !c.grams.iter().all(shared));
    }
    for term in labels.iter_mut().flatten() {
        if let Some(shown) = bare.reading(term) {
            *term = shown;
        }
    }
}

/// The readings of label terms without the conjunction or preposition glued to their first
/// word (وحالة البحر → حالة البحر, والبحوث → البحوث), and how often the corpus writes each.
/// A reading is shown when the corpus writes it: a pair of words as it stands; a word
/// before the article ال as it stands; another single word only when it is written at
/// least as often as the glued one, because a first letter may be the word's own (فيصل is
/// not ف + يصل, though يصل is a word).
struct BareForms {
    /// Each term's readings, barest first, as (shown form, hash of what must be written).
    readings: AHashMap<String, Vec<(String, u64)>>,
    /// Phrase hash → slot in `counts`.
    slots: AHashMap<u64, usize>,
    counts: Vec<AtomicU64>,
    /// A bit per phrase hash, so that most words of the corpus skip the map.
    filter: Vec<u64>,
}

impl BareForms {
    fn of(labels: &[Vec<String>]) -> BareForms {
        let mut readings: AHashMap<String, Vec<(String, u64)>> = AHashMap::new();
        let mut slots: AHashMap<u64, usize> = AHashMap::new();
        let mut filter = vec![0u64; BARE_FILTER_BITS / 64];
        let mut want = |hash: u64| {
            let next = slots.len();
            slots.entry(hash).or_insert(next);
            let bit = hash as usize % BARE_FILTER_BITS;
            filter[bit / 64] |= 1 << (bit % 64);
        };
        for term in labels.iter().flatten() {
            if readings.contains_key(term) {
                continue;
            }
            let found: Vec<(String, u64)> = without_proclitics(term)
                .into_iter()
                .filter_map(|(shown, article)| {
                    let first = shown.split(' ').next().unwrap_or("");
                    let hash = phrase_hash(if article { first } else { &shown });
                    (article || first.chars().count() >= 3).then_some((shown, hash))
                })
                .collect();
            if found.is_empty() {
                continue;
            }
            found.iter().for_each(|r| want(r.1));
            want(phrase_hash(term));
            readings.insert(term.clone(), found);
        }
        let counts = (0..slots.len()).map(|_| AtomicU64::new(0)).collect();
        BareForms {
            readings,
            slots,
            counts,
            filter,
        }
    }

    /// Counts the wanted words and pairs of words among `words` (word hashes of one text).
    fn count(&self, words: &[u64]) {
        if self.slots.is_empty() {
            return;
        }
        for i in 0..words.len() {
            for n in 1..=2.min(words.len() - i) {
                let hash = gram_hash(&words[i..i + n]);
                let bit = hash as usize % BARE_FILTER_BITS;
                if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
                    continue;
                }
                if let Some(&slot) = self.slots.get(&hash) {
                    self.counts[slot].fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    fn written(&self, hash: u64) -> u64 {
        self.counts[self.slots[&hash]].load(Ordering::Relaxed)
    }

    /// The form `term` is shown in instead, if any.
    fn reading(&self, term: &str) -> Option<String> {
        let glued = || self.written(phrase_hash(term));
        self.readings.get(term)?.iter().find_map(|(shown, hash)| {
            let n = self.written(*hash);
            let single = !shown.contains(' ') && !shown.starts_with("ال");
            (n > 0 && (!single || n >= glued())).then(|| shown.clone())
        })
    }
}

/// The hash [`BareForms::count`] gives the words of `phrase` (one or two).
fn phrase_hash(phrase: &str) -> u64 {
    let words: Vec<u64> = phrase.split(' ').map(word_hash).collect();
    gram_hash(&words)
}

/// Bits of the bare-form filter (64 KiB: it stays in cache).
const BARE_FILTER_BITS: usize = 1 << 19;

/// Bits of the n-gram filter (2 MiB).
const GRAM_FILTER_BITS: usize = 1 << 24;

/// Records that an n-gram is found in `story` (1-based): 0 unseen, s seen in story s only,
/// MAX seen in two stories or more.
fn mark_story(state: &AtomicU64, story: u64) {
    let mut current = state.load(Ordering::Relaxed);
    while current != story && current != u64::MAX {
        let new = if current == 0 { story } else { u64::MAX };
        match state.compare_exchange(current, new, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => break,
            Err(now) => current = now,
        }
    }
}

/// The first word of a label term without the conjunction or preposition glued before the
/// article ال (والبحوث → البحوث), when it has one.
fn glued_article(term: &str) -> Option<String> {
    without_proclitics(term)
        .into_iter()
        .find(|(_, article)| *article)
        .map(|(bare, _)| bare.split(' ').next().unwrap_or("").to_string())
}

/// A candidate key sentence: its text, the article it comes from, its TF-IDF vector, the
/// n-grams it is found by.
struct Candidate<'d> {
    text: &'d str,
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
    chosen
        .into_iter()
        .map(|i| candidates[i].text.to_string())
        .collect()
}

/// The lead sentences of the five most central articles that may be key sentences: of 6 to
/// 60 words, prose, with three terms of the vocabulary or more. News puts what matters
/// first: each article offers its first 12 sentences.
fn sentence_candidates<'d>(
    documents: &'d [Document],
    analyzed: &'d AnalyzedCorpus,
    scored: &[(u32, f64)],
    clusters: &StoryClusters,
    index: &TermIndex,
    context: &SentenceContext,
) -> Vec<Candidate<'d>> {
    let vocabulary = &clusters.model.vocabulary;
    let mut candidates: Vec<Candidate<'d>> = Vec::new();
    let mut seen: AHashSet<&str> = AHashSet::new();
    let mut buf = String::new();
    for &(d, _) in scored.iter().take(5) {
        let doc = &documents[d as usize];
        let a = &analyzed.documents[d as usize];
        let analyzer = context.analyzer(a.lang);
        for sentence in article_sentences(doc, a, LEAD_SENTENCES) {
            let words = sentence.split_whitespace().count();
            if !(6..=60).contains(&words) || !seen.insert(sentence) {
                continue;
            }
            let normalized = analyzer.normalizer().normalize(sentence);
            if !context.is_prose(a.lang, &normalized) {
                continue;
            }
            let mut tf: AHashMap<u32, f32> = AHashMap::new();
            for word in normalized.split(' ') {
                let term = analyzer.filter_token(word, &mut buf);
                if let Some(id) = term.and_then(|t| index.id(term_hash(t))) {
                    *tf.entry(id).or_insert(0.0) += 1.0;
                }
            }
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
                text: sentence,
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
    use crate::text::{analyze, ArabicStemmer};
    use proptest::prelude::*;

    fn forms(list: &[(&str, u32)]) -> AHashMap<String, u32> {
        list.iter().map(|&(f, c)| (f.to_string(), c)).collect()
    }

    #[test]
    fn proclitics_are_read_off_barest_first() {
        assert_eq!(
            without_proclitics("والبحوث الاجتماعية")[0],
            ("البحوث الاجتماعية".to_string(), true)
        );
        assert_eq!(
            without_proclitics("للمملكة")[0],
            ("المملكة".to_string(), true)
        );
        assert_eq!(
            without_proclitics("وللمملكة")[0],
            ("المملكة".to_string(), true)
        );
        assert!(without_proclitics("وبوتين").contains(&("بوتين".to_string(), false)));
        // والي (a governor) is no و + الي: too short to be the article and a word.
        assert!(without_proclitics("والي")
            .iter()
            .all(|(_, article)| !article));
        assert!(without_proclitics("Trump").is_empty());
    }

    #[test]
    fn glued_forms_count_for_the_bare_form_when_it_is_written() {
        // Written more often with و, shown without it.
        let f = forms(&[("والبحوث الاجتماعية", 5), ("البحوث الاجتماعية", 2)]);
        assert_eq!(shown_form(&f).unwrap(), "البحوث الاجتماعية");
        let f = forms(&[("للمملكة", 3), ("المملكة", 1)]);
        assert_eq!(shown_form(&f).unwrap(), "المملكة");
        let f = forms(&[("وبوتين", 3), ("بوتين", 1)]);
        assert_eq!(shown_form(&f).unwrap(), "بوتين");
        let f = forms(&[("فيصل", 3)]);
        assert_eq!(shown_form(&f).unwrap(), "فيصل");
    }

    #[test]
    fn forms_across_punctuation_and_numbers_are_not_shown() {
        let f = forms(&[("السيسي، فقد", 9), ("السيسي فقد", 1)]);
        assert_eq!(shown_form(&f).unwrap(), "السيسي فقد");
        assert_eq!(shown_form(&forms(&[("شركة «زين", 4)])), None);
        assert_eq!(shown_form(&forms(&[("و107", 4)])), None);
        assert_eq!(shown_form(&forms(&[("", 4)])), None);
        assert!(is_wordlike("وزارة") && is_wordlike("إف-16") && !is_wordlike("ب200"));
        // Ties go to the first form in text order of bytes, whatever the map's order.
        let f = forms(&[("Riyadh", 2), ("RIYADH", 2)]);
        assert_eq!(shown_form(&f).unwrap(), "RIYADH");
    }

    #[test]
    fn pairs_written_around_a_stop_word_or_a_number_are_not_shown() {
        // The pair الصباغ + مدير, written with أن between: a fragment of a sentence.
        assert_eq!(shown_form(&forms(&[("الصباغ أن مدير", 5)])), None);
        assert_eq!(shown_form(&forms(&[("عكاظ 9 بالطائف", 5)])), None);
        // Where the pair is also written side by side, that form is shown.
        let f = forms(&[("تحمل على متنها", 6), ("تحمل متنها", 1)]);
        assert_eq!(shown_form(&f).unwrap(), "تحمل متنها");
        assert_eq!(
            shown_form(&forms(&[("قوات الطوارئ", 3)])).unwrap(),
            "قوات الطوارئ"
        );
    }

    fn arabic() -> Analyzer {
        Analyzer::terms(
            Normalizer::default(),
            Lang::Arabic,
            ArabicStemmer::default(),
        )
    }

    #[test]
    fn labels_share_no_word_and_no_stem() {
        let forms = [
            "قناة السويس",
            "القناة الجديدة",
            "السويس الجديدة",
            "افتتاح القناة",
            "اليخت",
            "المحروسة",
        ]
        .map(String::from);
        assert_eq!(
            diverse_label(forms.into_iter(), &arabic(), 5),
            ["قناة السويس", "اليخت", "المحروسة"]
        );
        // A stop word counts too, with or without its glued conjunction.
        let forms = ["الضخمة التي يمتلكونها", "والتي يحصلون", "ميتشيل"].map(String::from);
        assert_eq!(
            diverse_label(forms.into_iter(), &arabic(), 5),
            ["الضخمة التي يمتلكونها", "ميتشيل"]
        );
        let english = Analyzer::terms(
            Normalizer::default(),
            Lang::English,
            ArabicStemmer::default(),
        );
        let forms =
            ["nuclear deal", "Iran", "nuclear program", "deals", "Vienna"].map(String::from);
        assert_eq!(
            diverse_label(forms.into_iter(), &english, 3),
            ["nuclear deal", "Iran", "Vienna"]
        );
    }

    proptest! {
        /// The label keeps the order of the forms, takes at most k, no two of its terms share a
        /// word, and a form left out shares a word with a term taken (or k were taken).
        #[test]
        fn diverse_labels_are_greedy_and_disjoint(
            picks in proptest::collection::vec(
                proptest::collection::vec(0usize..8, 1..3), 0..12),
            k in 1usize..6,
        ) {
            let words = ["حرب", "سلام", "غزة", "مصر", "قطر", "وفد", "نفط", "عيد"];
            let forms: Vec<String> = picks
                .iter()
                .map(|p| p.iter().map(|&i| words[i]).collect::<Vec<_>>().join(" "))
                .collect();
            let label = diverse_label(forms.clone().into_iter(), &arabic(), k);
            prop_assert!(label.len() <= k);
            let set = |f: &str| f.split(' ').map(str::to_string).collect::<AHashSet<String>>();
            for (i, a) in label.iter().enumerate() {
                for b in &label[i + 1..] {
                    prop_assert!(set(a).is_disjoint(&set(b)), "{} / {}", a, b);
                }
            }
            let mut next = 0;
            for f in &forms {
                if label.get(next) == Some(f) {
                    next += 1;
                } else if next < k {
                    // Left out while there was room: it shares a word with a term taken.
                    prop_assert!(label[..next].iter().any(|t| !set(t).is_disjoint(&set(f))));
                }
            }
            prop_assert_eq!(next, label.len());
        }
    }

    fn candidate<'a>(text: &'a str, article: u32, ids: &[u32]) -> Candidate<'a> {
        let w = 1.0 / (ids.len() as f32).sqrt();
        Candidate {
            text,
            article,
            vector: SparseVector {
                ids: ids.to_vec(),
                weights: vec![w; ids.len()],
            },
            grams: grams(text),
        }
    }

    #[test]
    fn at_most_one_key_sentence_per_article() {
        let centroid = SparseVector {
            ids: vec![1, 2, 3, 4, 5, 6],
            weights: vec![0.41; 6],
        };
        let candidates = vec![
            candidate("a1", 7, &[1, 2]),
            candidate("a2", 7, &[3, 4]),
            candidate("b1", 8, &[5, 6]),
            candidate("a3", 7, &[5, 6, 1]),
        ];
        assert_eq!(key_sentences(candidates, &centroid, 3), ["a1", "b1"]);
    }

    fn documents(texts: &[&str]) -> (Vec<Document>, AnalyzedCorpus) {
        let docs: Vec<Document> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document {
                title: Some(format!("عنوان الخبر رقم {i}")),
                ..Document::new(format!("d{i}"), *t)
            })
            .collect();
        let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
        (docs, analyzed)
    }

    /// Three flood stories of two articles each: every article names Ayr and the river
    /// Doon, and each story has its own details. Two stories on interest rates, and
    /// articles on other things, so that Ayr is no word of every article.
    fn floods_and_rates() -> Vec<Document> {
        let texts = [
            "Families from Ayr slept at Holmston school after the river Doon rose.",
            "Holmston school in Ayr opened its hall to families as the river Doon flooded.",
            "Shopkeepers on Sandgate in Ayr threw out stock ruined by the river Doon.",
            "Sandgate shopkeepers counted ruined stock once the river Doon left Ayr.",
            "Firefighters pumped flooded cellars dry in Ayr after the river Doon burst.",
            "In Ayr firefighters pumped cellars for hours as the river Doon fell back.",
            "Mortgage lenders raised interest rates after the central bank moved.",
            "The central bank moved and mortgage lenders raised their interest rates.",
            "Savers welcomed higher interest rates from the central bank; pensioners too.",
            "Pensioners and savers welcomed the central bank decision on interest rates.",
            "The orchestra opened its season with a symphony by Sibelius.",
            "A new bridge over the harbour will open to cyclists in spring.",
            "The museum lent two paintings by Vermeer to a gallery in Tokyo.",
            "Farmers reported a record harvest of barley across the valley.",
        ];
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::new(format!("d{i:02}"), *t))
            .collect()
    }

    #[test]
    fn a_topic_is_labelled_by_what_its_stories_share() {
        use crate::cluster::{StoryOptions, Units};
        use crate::minhash::{find_duplicates, DedupOptions};
        use crate::tfidf::{NeighbourGraph, TfIdf};
        let docs = floods_and_rates();
        let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
        let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default()).unwrap();
        let units = Units::new(docs.len(), &dedup.groups);
        let tfidf = StoryOptions::default().tfidf;
        let model = TfIdf::fit_documents(&analyzed, units.representatives(), &tfidf).unwrap();
        // Story keys: the pairs' first articles; topic keys: the topics' first stories.
        let labels: Vec<u32> = (0..14)
            .map(|d| if d < 10 { d / 2 * 2 } else { d })
            .collect();
        let topic = |d: u32| match d {
            0..=5 => 0,
            6..=9 => 6,
            _ => d,
        };
        let topics: Vec<u32> = (0..14).map(topic).collect();
        let clusters = StoryClusters {
            labels,
            topics,
            rank: (0..14).collect(),
            graph: NeighbourGraph::from_pairs(units.representatives().len(), 0.0, &[]),
            units,
            model,
        };
        let (analysis, summary) = (AnalysisOptions::default(), SummaryOptions::default());
        let stories = summarize(&docs, &analyzed, &clusters, &dedup, &analysis, &summary).unwrap();
        let flood = stories
            .topics
            .iter()
            .find(|t| t.size == 6)
            .expect("the flood topic");
        // Named by what its three stories share, not by one story's street or school.
        let shared = ["Ayr", "Doon", "river"];
        assert!(
            shared.contains(&flood.label[0].as_str()),
            "{:?}",
            flood.label
        );
        assert!(
            shared.contains(&flood.label[1].as_str()),
            "{:?}",
            flood.label
        );
        // Each story is named by what sets it apart from its siblings.
        let holmston = &stories
            .stories
            .iter()
            .find(|s| s.members[0].index == 0)
            .unwrap()
            .label;
        assert!(holmston.iter().any(|t| t == "Holmston"), "{holmston:?}");
    }

    proptest::proptest! {
        #[test]
        fn best_first_is_the_head_of_the_full_sort(
            weights in proptest::collection::vec(0u8..6, 0..40),
            n in 0usize..12,
        ) {
            let scored: Vec<(u64, f64)> = weights.iter().enumerate().map(|(i, &w)| (i as u64 * 7 % 41, f64::from(w))).collect();
            let mut want = scored.clone();
            want.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            want.truncate(n);
            let mut got = scored;
            best_first(&mut got, n);
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn added_up_sums_each_term_over_the_parts(
            parts in proptest::collection::vec(proptest::collection::btree_map(0u32..20, 1u8..9, 0..8), 0..5),
        ) {
            let lists: Vec<Vec<(u32, f64)>> = parts.iter().map(|m| m.iter().map(|(&k, &v)| (k, f64::from(v))).collect()).collect();
            let mut want: std::collections::BTreeMap<u32, f64> = Default::default();
            for m in &parts {
                for (&k, &v) in m {
                    *want.entry(k).or_insert(0.0) += f64::from(v);
                }
            }
            let want: Vec<(u32, f64)> = want.into_iter().collect();
            proptest::prop_assert_eq!(added_up(lists.iter().flatten().copied()), want);
        }
    }

    #[test]
    fn summarize_refuses_a_bad_option_naming_its_field() {
        use crate::cluster::{cluster_stories, StoryOptions};
        use crate::minhash::{find_duplicates, DedupOptions};
        let (docs, analyzed) = documents(&["وصل الوفد إلى الرياض اليوم.", "أمطار غزيرة في جدة."]);
        let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default()).unwrap();
        let clusters = cluster_stories(&docs, &analyzed, &dedup, &StoryOptions::default()).unwrap();
        let (analysis, options) = (AnalysisOptions::default(), SummaryOptions::default());
        let refused = |analysis: &AnalysisOptions, options: &SummaryOptions| {
            let summarized = summarize(&docs, &analyzed, &clusters, &dedup, analysis, options);
            match summarized {
                Err(crate::Error::InvalidOption { field, .. }) => Some(field),
                _ => None,
            }
        };
        let huge = SummaryOptions {
            label_terms: usize::MAX,
            ..options
        };
        assert_eq!(refused(&analysis, &huge), Some("summary.label_terms"));
        let mut bad = analysis.clone();
        bad.headline.min_words = bad.headline.max_words + 1;
        assert_eq!(refused(&bad, &options), Some("analysis.headline.min_words"));
        // The observed entry is the one that checks; the defaults pass and summarise.
        let inputs = SummaryInputs {
            documents: &docs,
            analyzed: &analyzed,
            clusters: &clusters,
            dedup: &dedup,
            analysis: &bad,
        };
        assert!(summarize_observed(&inputs, &options, &NoObserver).is_err());
        let stories = summarize(&docs, &analyzed, &clusters, &dedup, &analysis, &options);
        let sizes = stories
            .unwrap()
            .stories
            .iter()
            .map(|s| s.size)
            .sum::<usize>();
        assert_eq!(sizes, 2); // every article in a story
    }

    #[test]
    fn sentences_after_the_last_full_stop_are_furniture() {
        let (docs, a) = documents(&[
            "قال مسؤول إن الوفد سيبحث ملفات عدة.\nوصل الوفد إلى الرياض اليوم. وبدأت المحادثات صباحا. سمات الرياض الوفد المحادثات\nالتالي السابق عين اليوم",
            "سطر أول بلا نقطة\nسطر ثان بلا نقطة أيضا",
        ]);
        assert_eq!(
            article_sentences(&docs[0], &a.documents[0], 12),
            [
                "قال مسؤول إن الوفد سيبحث ملفات عدة.",
                "وصل الوفد إلى الرياض اليوم.",
                "وبدأت المحادثات صباحا."
            ]
        );
        assert_eq!(article_sentences(&docs[0], &a.documents[0], 1).len(), 1);
        assert_eq!(article_sentences(&docs[1], &a.documents[1], 12).len(), 2);
    }

    #[test]
    fn keyword_lists_are_not_prose() {
        let n = Normalizer::default();
        let analyzers = vec![(Lang::Arabic, arabic())];
        let stop_words = vec![(Lang::Arabic, StopWords::for_lang(Lang::Arabic, &n))];
        let context = SentenceContext {
            stop_words: &stop_words,
            analyzers: &analyzers,
        };
        let prose = |s: &str| context.is_prose(Lang::Arabic, &n.normalize(s));
        assert!(!prose("سمات الحوثيون المقاومة اليمن قاعدة العند"));
        assert!(prose("وصل الوفد إلى الرياض اليوم لبدء المحادثات"));
    }

    #[test]
    fn sentences_of_other_stories_and_glued_articles_are_found_in_the_corpus() {
        let shared = "للتواصل مع الكاتب أرسل رسالة نصية تبدأ بالرمز ثم مسافة ثم نص الرسالة.";
        let own = "وصل الوفد السعودي إلى فيينا اليوم لبدء جولة جديدة من المحادثات.";
        let (docs, a) = documents(&[
            &format!("{own} {shared}"),
            &format!("مقال آخر عن موضوع مختلف تماما. قال الكاتب: {shared}وانتهى المقال"),
            "وأعلنت المملكة اليوم عن خطة جديدة للمياه.",
        ]);
        let groups = vec![vec![0], vec![1], vec![2]];
        let mut candidates = vec![
            vec![candidate(own, 0, &[1]), candidate(shared, 0, &[2])],
            vec![],
            vec![],
        ];
        let mut labels = vec![
            vec!["للمملكة".to_string(), "والدة".to_string()],
            vec![],
            vec![],
        ];
        scan_corpus(&mut candidates, &mut labels, &docs, &a, &groups);
        let left: Vec<&str> = candidates[0].iter().map(|c| c.text).collect();
        assert_eq!(left, [own]);
        // المملكة is written: the label shows it; الدة is not: والدة stays.
        assert_eq!(labels[0], ["المملكة", "والدة"]);
    }

    #[test]
    fn glued_words_and_pairs_are_shown_bare_when_the_corpus_writes_them_so() {
        let (docs, a) = documents(&[
            "تسود حالة البحر الهدوء. ترك القوم آثارهم في المدينة. يصل الوفد غدا.",
            "وحالة البحر مضطربة. ترك الأجداد آثارهم هنا ووآثارهم باقية.",
            "استقبل الأمير فيصل الوفد. وقال فيصل إن فيصل سيزور المدينة.",
            "ولي العهد يستقبل لي الضيوف. وزيارة ميدانية.",
        ]);
        let groups = vec![vec![0, 1, 2, 3]];
        let mut candidates = vec![vec![]];
        let mut labels = vec![[
            "وحالة البحر",
            "وآثارهم",
            "فيصل",
            "ولي العهد",
            "وزيارة ميدانية",
            "حالة البحر",
        ]
        .map(String::from)
        .to_vec()];
        scan_corpus(&mut candidates, &mut labels, &docs, &a, &groups);
        // A pair written bare is shown bare; a word written bare at least as often as glued
        // is too. فيصل stays: يصل is written, but less often than فيصل. لي is too short to
        // be read off ولي, and «زيارة ميدانية» is never written.
        assert_eq!(
            labels[0],
            [
                "حالة البحر",
                "آثارهم",
                "فيصل",
                "ولي العهد",
                "وزيارة ميدانية",
                "حالة البحر"
            ]
        );
    }
}
