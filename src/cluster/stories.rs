//! Story clustering: near-duplicate groups collapsed, TF-IDF neighbours within a time window,
//! relative average linkage, centroid refinement.

use super::agglomerative::relative_average_linkage_reporting;
use super::refine::refine_reporting;
use super::topics::topic_linkage_reporting;
use super::Units;
use crate::corpus::Document;
use crate::error::{ensure, ensure_within, Result};
use crate::minhash::{check_inputs, Dedup};
use crate::progress::{NoObserver, PipelineObserver, Stage, StageClock};
use crate::text::AnalyzedCorpus;
use crate::tfidf::{
    background_similarity, neighbour_graph_reporting, Narrowed, NeighbourGraph, SparseVector,
    TfIdf, TfIdfOptions, TimeWindow,
};
use rayon::prelude::*;
use serde::Serialize;

/// Options of story clustering. One set of defaults for every corpus: the story level was
/// chosen on event-level sets (ECB+, its headline-only cut, SemEval-2022 pairs in English
/// and Arabic) and the topic level on topic-level ones (wikiref220, ECB+ topics); see the
/// README and `examples/story_quality.rs`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StoryOptions {
    /// Two clusters merge into one story only if the mean cosine over their pairs of
    /// articles reaches this (or the corpus's mean cosine over all pairs, when that is
    /// higher).
    pub threshold: f64,
    /// ...and reaches this fraction of the looser cluster's own mean internal cosine (0: no
    /// such condition).
    pub cohesion_ratio: f64,
    /// Stories merge into one topic while the mean cosine over their pairs of articles
    /// reaches this (a looser cut of the same merges).
    pub topic_threshold: f64,
    /// ...and reaches this fraction of the looser topic's own mean cosine (0: no such
    /// condition). A broad topic, loosely knit, still takes loosely related stories; two
    /// tight topics of one kind (two earthquakes, two acquisitions) stay apart.
    pub topic_cohesion_ratio: f64,
    /// Rounds of centroid reassignment after merging.
    pub refine_rounds: usize,
    /// Stories are told apart by the words in at most this share of the articles: a word
    /// in more of them names the topic (an earthquake, a pandemic), not one event of it.
    /// Topics use every word.
    pub story_max_df: f64,
    /// ...but a word in at most this many articles always counts: in a small corpus one
    /// story alone can hold more than that share of the articles.
    pub story_min_df_limit: u32,
    /// Length-aware: a pair of texts whose longer one has fewer story terms than this has
    /// its cosine raised by √(this / terms). Two headlines of one event share only a word
    /// or two of their eight: a cosine that would be weak between articles (0 turns it off).
    pub short_text_terms: usize,
    /// Pairs below this cosine are not kept in the neighbour graph (they count as 0).
    pub graph_threshold: f32,
    /// Story merges and refinement see only the pairs at or above this cosine (a weaker
    /// pair counts as 0); topics see every pair the graph kept. Below a quarter of the story
    /// threshold a pair barely moves a mean, and the linkage holds every pair it sees.
    pub story_link_floor: f32,
    /// Neighbours are searched through each article's this many heaviest terms (`None`:
    /// an exact search over all terms, much slower on large corpora).
    pub keywords: Option<usize>,
    /// Articles further apart than this many days are never linked directly (ignored when
    /// either date is unknown). `None`: no window.
    pub window_days: Option<u32>,
    /// TF-IDF weighting.
    pub tfidf: TfIdfOptions,
}

impl StoryOptions {
    /// Checks that the options can work together: cosines in range, and a topic cut no
    /// tighter than the story cut (a topic gathers stories).
    pub fn check(&self) -> Result<()> {
        self.cut().check()?;
        ensure(self.story_max_df > 0.0, "stories.story_max_df", || {
            "must be above 0".into()
        })?;
        ensure_within("stories.story_max_df", self.story_max_df, 0.0, 1.0)?;
        let graph = f64::from(self.graph_threshold);
        ensure_within("stories.graph_threshold", graph, 0.0, 1.0)?;
        ensure_within(
            "stories.story_link_floor",
            f64::from(self.story_link_floor),
            graph,
            1.0,
        )?;
        ensure(self.keywords != Some(0), "stories.keywords", || {
            "0 keywords find no neighbour; use None for an exact search".into()
        })?;
        self.tfidf.check()
    }
}

impl Default for StoryOptions {
    fn default() -> Self {
        StoryOptions {
            threshold: 0.25,
            cohesion_ratio: 0.0,
            topic_threshold: 0.08,
            topic_cohesion_ratio: 0.5,
            refine_rounds: 1,
            story_max_df: 0.1,
            story_min_df_limit: 20,
            short_text_terms: 24,
            graph_threshold: 0.05,
            story_link_floor: 0.1,
            keywords: Some(20),
            window_days: Some(3),
            tfidf: TfIdfOptions {
                min_df: 2,
                weight_power: 0.5,
                bigram_weight: 0.0,
                ..TfIdfOptions::default()
            },
        }
    }
}

/// The options that decide stories and topics from a fitted [`StoryModel`]: where its merges
/// are cut. Sweeping them needs no new fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StoryCut {
    /// See [`StoryOptions::threshold`].
    pub threshold: f64,
    /// See [`StoryOptions::cohesion_ratio`].
    pub cohesion_ratio: f64,
    /// See [`StoryOptions::refine_rounds`].
    pub refine_rounds: usize,
    /// See [`StoryOptions::topic_threshold`].
    pub topic_threshold: f64,
    /// See [`StoryOptions::topic_cohesion_ratio`].
    pub topic_cohesion_ratio: f64,
}

impl StoryCut {
    /// Checks the cut: cosines in range, and a topic cut no tighter than the story cut (a
    /// topic gathers stories). [`StoryModel::decide`] refuses a cut that fails it.
    pub fn check(&self) -> Result<()> {
        ensure_within("stories.threshold", self.threshold, 0.0, 1.0)?;
        ensure_within("stories.cohesion_ratio", self.cohesion_ratio, 0.0, 1.0)?;
        ensure_within("stories.topic_threshold", self.topic_threshold, 0.0, 1.0)?;
        ensure_within(
            "stories.topic_cohesion_ratio",
            self.topic_cohesion_ratio,
            0.0,
            1.0,
        )?;
        ensure(
            self.topic_threshold <= self.threshold,
            "stories.topic_threshold",
            || {
                format!(
                    "{} is above the story threshold {}: a topic gathers stories, so its cut \
                 must be looser",
                    self.topic_threshold, self.threshold
                )
            },
        )
    }
}

impl StoryOptions {
    /// The cut these options make.
    pub fn cut(&self) -> StoryCut {
        StoryCut {
            threshold: self.threshold,
            cohesion_ratio: self.cohesion_ratio,
            refine_rounds: self.refine_rounds,
            topic_threshold: self.topic_threshold,
            topic_cohesion_ratio: self.topic_cohesion_ratio,
        }
    }
}

/// A fitted story model: the units, their TF-IDF vectors and the neighbour graphs that every
/// cut is decided on. Fitting is the costly part; [`StoryModel::decide`] is cheap, so a sweep
/// over cuts fits once.
#[derive(Debug, Clone)]
pub struct StoryModel {
    units: Units,
    model: TfIdf,
    narrowed: Narrowed,
    /// Every pair at or above the graph threshold: what topics see.
    full_graph: NeighbourGraph,
    /// The story cosines at or above the link floor: what stories see.
    graph: NeighbourGraph,
    rank: Vec<u32>,
    unit_rank: Vec<u32>,
    /// The mean story cosine over all pairs: a story must stand out from it.
    background: f64,
}

/// Each document's story and topic keys at one cut.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StoryDecision {
    /// Story key of each document.
    pub labels: Vec<u32>,
    /// Topic key of each document.
    pub topics: Vec<u32>,
}

/// The result of story clustering: each document's story key (the smallest id rank of its
/// members), with the units, model and graph it was computed from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StoryClusters {
    /// Story key of each document.
    pub labels: Vec<u32>,
    /// Topic key of each document: the smallest story key of its topic.
    pub topics: Vec<u32>,
    /// Rank of each document by id.
    pub rank: Vec<u32>,
    /// The units clustered: near-duplicate groups collapsed.
    pub units: Units,
    /// The TF-IDF model of the units' representatives: `model.vectors[u]` is unit `u`'s.
    pub model: TfIdf,
    /// The neighbour graph of the units that stories were merged on (pairs at or above
    /// [`StoryOptions::story_link_floor`]).
    pub graph: NeighbourGraph,
}

impl StoryClusters {
    /// The TF-IDF vector document `d` is clustered by: its unit's representative's.
    pub fn vector(&self, d: usize) -> &SparseVector {
        &self.model.vectors[self.units.of_document[d] as usize]
    }
}

/// Clusters documents into stories: [`StoryModel::fit`], then [`StoryModel::decide`] at the
/// cut of `options`. Each near-duplicate group is clustered as one unit, weighted by its
/// size (see [`Units`]); its copies take its story.
///
/// ```
/// use storyclust::cluster::{cluster_stories, StoryOptions};
/// use storyclust::corpus::Document;
/// use storyclust::minhash::{find_duplicates, DedupOptions};
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
/// let analyzed = analyze(&docs, &AnalysisOptions::default())?;
/// let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default())?;
/// let clusters = cluster_stories(&docs, &analyzed, &dedup, &StoryOptions::default())?;
/// assert_eq!(clusters.labels[0], clusters.labels[1]); // one flood story
/// assert_ne!(clusters.labels[0], clusters.labels[2]);
/// # Ok::<(), storyclust::Error>(())
/// ```
pub fn cluster_stories(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    dedup: &Dedup,
    options: &StoryOptions,
) -> Result<StoryClusters> {
    let model = StoryModel::fit(documents, analyzed, dedup, options)?;
    let decision = model.decide(&options.cut())?;
    Ok(model.into_clusters(decision))
}

impl StoryModel {
    /// Fits the model: units, TF-IDF, the neighbour graph within the time window, and the
    /// story graph over the story vectors (the commonest words dropped). The options are
    /// checked first ([`StoryOptions::check`]), and so are the inputs: an analysis or
    /// near-duplicates of other documents give [`crate::Error::Mismatch`]
    /// ([`check_inputs`]).
    ///
    /// ```
    /// use storyclust::cluster::{StoryModel, StoryOptions};
    /// use storyclust::corpus::Document;
    /// use storyclust::minhash::{find_duplicates, DedupOptions};
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
    /// let analyzed = analyze(&docs, &AnalysisOptions::default())?;
    /// let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default())?;
    /// let options = StoryOptions::default();
    /// let model = StoryModel::fit(&docs, &analyzed, &dedup, &options)?;
    /// let mut cut = options.cut();
    /// let stories = model.decide(&cut)?;
    /// assert_eq!(stories.labels[0], stories.labels[1]); // the flood
    /// assert_ne!(stories.labels[0], stories.labels[2]);
    /// // Fitted once, decided at any cut (a sweep needs no new fit); a cut that cannot
    /// // work, a topic cut tighter than the story cut, is refused.
    /// for threshold in [0.2, 0.3, 0.4] {
    ///     cut.threshold = threshold;
    ///     assert_ne!(model.decide(&cut)?.labels[0], stories.labels[2]);
    /// }
    /// cut.topic_threshold = 0.9;
    /// assert!(model.decide(&cut).is_err());
    /// # Ok::<(), storyclust::Error>(())
    /// ```
    pub fn fit(
        documents: &[Document],
        analyzed: &AnalyzedCorpus,
        dedup: &Dedup,
        options: &StoryOptions,
    ) -> Result<StoryModel> {
        StoryModel::fit_observed(documents, analyzed, dedup, options, &NoObserver)
    }

    /// [`StoryModel::fit`], reporting [`Stage::Tfidf`] and [`Stage::Neighbours`] to
    /// `observer`.
    pub fn fit_observed(
        documents: &[Document],
        analyzed: &AnalyzedCorpus,
        dedup: &Dedup,
        options: &StoryOptions,
        observer: &dyn PipelineObserver,
    ) -> Result<StoryModel> {
        options.check()?;
        check_inputs(documents, analyzed, Some(dedup))?;
        let units = Units::new(documents.len(), &dedup.groups);
        let representatives = Some(units.representatives.len() as u64);
        let clock = StageClock::start(observer, Stage::Tfidf, representatives);
        let model = TfIdf::fit_documents_reporting(
            analyzed,
            &units.representatives,
            &options.tfidf,
            &|n| clock.advance(n),
        );
        clock.finish();
        let vectors = Some(model.vectors.len() as u64);
        let clock = StageClock::start(observer, Stage::Neighbours, vectors);
        let full_graph = full_graph(documents, &units, &model, options, &|n| clock.advance(n));
        let narrowed = model.without_common_terms(options.story_max_df, options.story_min_df_limit);
        let graph = story_graph(
            &full_graph,
            &narrowed,
            options.story_link_floor,
            options.short_text_terms,
        );
        // A story must stand out from the corpus: in a corpus that is all one topic, the
        // stories are the events within it.
        let background = background_similarity(&narrowed.vectors);
        clock.finish();
        let rank = dedup.order.clone();
        let unit_rank = units.ranks(&rank);
        Ok(StoryModel {
            units,
            model,
            narrowed,
            full_graph,
            graph,
            rank,
            unit_rank,
            background,
        })
    }

    /// The stories and topics at `cut`: relative average linkage on the story graph,
    /// centroid refinement until it converges (at most `refine_rounds`), then topics by
    /// average linkage continued over every pair at the topic threshold.
    pub fn decide(&self, cut: &StoryCut) -> Result<StoryDecision> {
        self.decide_observed(cut, &NoObserver)
    }

    /// [`StoryModel::decide`], reporting [`Stage::Linkage`] and [`Stage::Topics`] (counting
    /// merges) and [`Stage::Refine`] (counting nodes placed) to `observer`.
    pub fn decide_observed(
        &self,
        cut: &StoryCut,
        observer: &dyn PipelineObserver,
    ) -> Result<StoryDecision> {
        cut.check()?;
        // Merges are not known ahead (they are what the linkage finds): the stage counts
        // them without a total, and so do topics.
        let clock = StageClock::start(observer, Stage::Linkage, None);
        let threshold = cut.threshold.max(self.background);
        let weights = &self.units.weights;
        let unit_labels = relative_average_linkage_reporting(
            &self.graph,
            weights,
            threshold,
            cut.cohesion_ratio,
            &self.unit_rank,
            &|n| clock.advance(n),
        );
        clock.finish();
        let unit_labels = self.refined(unit_labels, threshold, cut.refine_rounds, observer);
        let labels = self.units.spread(&unit_labels);
        let clock = StageClock::start(observer, Stage::Topics, None);
        let unit_topics = topic_linkage_reporting(
            &self.full_graph,
            weights,
            &unit_labels,
            cut.topic_threshold,
            cut.topic_cohesion_ratio,
            &|n| clock.advance(n),
        );
        let topics = self.units.spread(&unit_topics);
        clock.finish();
        Ok(StoryDecision { labels, topics })
    }

    /// Centroid refinement of `labels` for at most `rounds` rounds, reported as
    /// [`Stage::Refine`] counting nodes placed over every round: the total is `rounds` times
    /// the nodes, and the rounds that convergence makes needless count as done at once.
    fn refined(
        &self,
        mut labels: Vec<u32>,
        threshold: f64,
        rounds: usize,
        observer: &dyn PipelineObserver,
    ) -> Vec<u32> {
        let nodes = labels.len() as u64;
        let clock = StageClock::start(observer, Stage::Refine, Some(rounds as u64 * nodes));
        for round in 1..=rounds {
            let moved = refine_reporting(
                &self.narrowed.vectors,
                &self.graph,
                &labels,
                &self.units.weights,
                &self.unit_rank,
                threshold as f32,
                &|n| clock.advance(n),
            );
            // Converged: another round would give the same again.
            if moved == labels {
                clock.advance((rounds - round) as u64 * nodes);
                break;
            }
            labels = moved;
        }
        clock.finish();
        labels
    }

    /// The clusters of `decision`, keeping what the summaries need of the model.
    pub fn into_clusters(self, decision: StoryDecision) -> StoryClusters {
        StoryClusters {
            labels: decision.labels,
            topics: decision.topics,
            rank: self.rank,
            units: self.units,
            model: self.model,
            graph: self.graph,
        }
    }
}

/// Every pair of units at or above the graph threshold, within the time window (what
/// topics see, and what the story graph is narrowed from).
fn full_graph(
    documents: &[Document],
    units: &Units,
    model: &TfIdf,
    options: &StoryOptions,
    done: &(dyn Fn(u64) + Sync),
) -> NeighbourGraph {
    let days: Vec<Option<i64>> = units
        .representatives
        .iter()
        .map(|&d| documents[d as usize].date.map(|t| t.day_number()))
        .collect();
    let window = options.window_days.map(|width| TimeWindow {
        days: &days,
        width: i64::from(width),
    });
    neighbour_graph_reporting(
        &model.vectors,
        model.vocabulary.len(),
        options.graph_threshold,
        options.keywords,
        window.as_ref(),
        done,
    )
}

/// The pairs of the graph again, with their cosine over the story vectors (raised for short
/// texts, see [`StoryOptions::short_text_terms`]), where it reaches `floor`. Story vectors
/// drop the commonest words and are normalised again, so a pair's story cosine may be
/// higher than its cosine over every word; the search with every word (at a lower
/// threshold) finds the pairs.
fn story_graph(
    full: &NeighbourGraph,
    narrowed: &Narrowed,
    floor: f32,
    short_text_terms: usize,
) -> NeighbourGraph {
    let pairs: Vec<(u32, u32, f32)> = (0..full.len())
        .into_par_iter()
        .flat_map_iter(|a| {
            full.neighbours(a)
                .iter()
                .filter(move |e| e.0 as usize > a)
                .filter_map(move |&(b, full_cosine)| {
                    let (va, vb) = (&narrowed.vectors[a], &narrowed.vectors[b as usize]);
                    let boost = short_text_boost(va, vb, short_text_terms);
                    let s = narrowed.cosine_from_full(a, b as usize, full_cosine) * boost;
                    let s = s.min(1.0);
                    (s >= floor).then_some((a as u32, b, s))
                })
        })
        .collect();
    NeighbourGraph::from_pairs(full.len(), floor, &pairs)
}

/// √(`short` / terms of the longer text), at least 1.
fn short_text_boost(a: &SparseVector, b: &SparseVector, short: usize) -> f32 {
    let terms = a.ids.len().max(b.ids.len());
    if terms == 0 || terms >= short {
        return 1.0;
    }
    (short as f32 / terms as f32).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(terms: usize) -> SparseVector {
        SparseVector {
            ids: (0..terms as u32).collect(),
            weights: vec![1.0 / (terms as f32).sqrt(); terms],
        }
    }

    fn invalid_field(options: &StoryOptions) -> Option<&'static str> {
        match options.check() {
            Err(crate::error::Error::InvalidOption { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn check_accepts_the_defaults_and_names_the_field_that_cannot_work() {
        let d = StoryOptions::default();
        assert_eq!(invalid_field(&d), None);
        let topic_above = StoryOptions {
            topic_threshold: 0.3,
            ..d.clone()
        };
        assert_eq!(invalid_field(&topic_above), Some("stories.topic_threshold"));
        let nan = StoryOptions {
            threshold: f64::NAN,
            ..d.clone()
        };
        assert_eq!(invalid_field(&nan), Some("stories.threshold"));
        let no_keywords = StoryOptions {
            keywords: Some(0),
            ..d.clone()
        };
        assert_eq!(invalid_field(&no_keywords), Some("stories.keywords"));
        let floor_below_graph = StoryOptions {
            story_link_floor: 0.01,
            ..d.clone()
        };
        assert_eq!(
            invalid_field(&floor_below_graph),
            Some("stories.story_link_floor")
        );
        let mut flat = d.clone();
        flat.tfidf.weight_power = 0.0;
        assert_eq!(invalid_field(&flat), Some("tfidf.weight_power"));
    }

    #[test]
    fn short_pairs_are_raised_by_the_longer_texts_length() {
        assert_eq!(short_text_boost(&vector(30), &vector(4), 24), 1.0);
        assert_eq!(short_text_boost(&vector(24), &vector(24), 24), 1.0);
        assert_eq!(short_text_boost(&vector(6), &vector(4), 24), 2.0);
        assert_eq!(short_text_boost(&vector(6), &vector(6), 0), 1.0);
        assert_eq!(short_text_boost(&vector(0), &vector(0), 24), 1.0);
    }

    #[test]
    fn the_story_graph_keeps_raised_pairs_that_reach_the_floor() {
        // 0 and 1 share one of 4 terms (cosine 0.25), 2 and 3 one of 30 (1/30).
        let mut v = vec![vector(4), vector(4), vector(30), vector(30)];
        // (Narrowed by nothing: the story cosine is the full one.)
        v[1].ids = vec![0, 10, 11, 12];
        v[3].ids = (29..59).collect();
        let full = NeighbourGraph::from_pairs(4, 0.0, &[(0, 1, 0.25), (2, 3, 1.0 / 30.0)]);
        let narrowed = Narrowed {
            dropped: vec![SparseVector::default(); 4],
            norms: vec![1.0; 4],
            vectors: v,
        };
        let g = story_graph(&full, &narrowed, 0.1, 24);
        assert_eq!(g.edge_count(), 1);
        let (b, s) = g.neighbours(0)[0];
        assert_eq!(b, 1);
        assert!((s - 0.25 * 6f32.sqrt()).abs() < 1e-6);
        assert_eq!(
            story_graph(&full, &narrowed, 0.1, 0).neighbours(0)[0].1,
            0.25
        );
    }
}
