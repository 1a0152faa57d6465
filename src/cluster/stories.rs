//! Story clustering: near-duplicate groups collapsed, TF-IDF neighbours within a time window,
//! relative average linkage, centroid refinement.

use super::{refine, relative_average_linkage, Units};
use crate::corpus::Document;
use crate::minhash::Dedup;
use crate::text::AnalyzedCorpus;
use crate::tfidf::{
    neighbour_graph, NeighbourGraph, SparseVector, TfIdf, TfIdfOptions, TimeWindow,
};
use serde::Serialize;

/// Options of story clustering. The defaults were chosen on two labelled corpora at once
/// (see the README and `examples/story_quality.rs`).
#[derive(Debug, Clone, Serialize)]
pub struct StoryOptions {
    /// Two clusters merge only if the mean cosine over their pairs of articles reaches this
    /// (or the corpus's mean cosine over all pairs, when that is higher).
    pub threshold: f64,
    /// ...and reaches this fraction of the looser cluster's own mean internal cosine.
    pub cohesion_ratio: f64,
    /// Rounds of centroid reassignment after merging.
    pub refine_rounds: usize,
    /// Pairs below this cosine are not kept in the neighbour graph (they count as 0).
    pub graph_threshold: f32,
    /// Neighbours are searched through each article's this many heaviest terms (`None`:
    /// an exact search over all terms, much slower on large corpora).
    pub keywords: Option<usize>,
    /// Articles further apart than this many days are never linked directly (ignored when
    /// either date is unknown). `None`: no window.
    pub window_days: Option<u32>,
    /// TF-IDF weighting.
    pub tfidf: TfIdfOptions,
}

impl Default for StoryOptions {
    fn default() -> Self {
        StoryOptions {
            threshold: 0.08,
            cohesion_ratio: 0.65,
            refine_rounds: 1,
            graph_threshold: 0.04,
            keywords: Some(40),
            window_days: Some(3),
            tfidf: TfIdfOptions {
                min_df: 2,
                ..TfIdfOptions::default()
            },
        }
    }
}

/// The result of story clustering: each document's story key (the smallest id rank of its
/// members), with the units, model and graph it was computed from.
#[derive(Debug, Clone)]
pub struct StoryClusters {
    /// Story key of each document.
    pub labels: Vec<u32>,
    /// Rank of each document by id.
    pub rank: Vec<u32>,
    /// The units clustered: near-duplicate groups collapsed.
    pub units: Units,
    /// The TF-IDF model of the units' representatives: `model.vectors[u]` is unit `u`'s.
    pub model: TfIdf,
    /// The neighbour graph of the units.
    pub graph: NeighbourGraph,
    /// Seconds per stage: tfidf, neighbours, linkage, refine.
    pub seconds: Vec<(&'static str, f64)>,
}

impl StoryClusters {
    /// The TF-IDF vector document `d` is clustered by: its unit's representative's.
    pub fn vector(&self, d: usize) -> &SparseVector {
        &self.model.vectors[self.units.of_document[d] as usize]
    }
}

/// Clusters documents into stories. Each near-duplicate group is clustered as one unit,
/// weighted by its size (see [`Units`]); its copies take its story.
pub fn cluster_stories(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    dedup: &Dedup,
    options: &StoryOptions,
) -> StoryClusters {
    let mut seconds = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str| {
        seconds.push((name, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    let units = Units::new(documents.len(), &dedup.groups);
    let model = TfIdf::fit_documents(analyzed, &units.representatives, &options.tfidf);
    lap("tfidf");
    let days: Vec<Option<i64>> = units
        .representatives
        .iter()
        .map(|&d| documents[d as usize].date.map(|t| t.day_number()))
        .collect();
    let window = options.window_days.map(|width| TimeWindow {
        days: &days,
        width: i64::from(width),
    });
    let graph = neighbour_graph(
        &model.vectors,
        model.vocabulary.len(),
        options.graph_threshold,
        options.keywords,
        window.as_ref(),
    );
    lap("neighbours");
    let rank = dedup.order.clone();
    let unit_rank = units.ranks(&rank);
    // A story must stand out from the corpus: in a corpus that is all one topic, the
    // stories are the events within it.
    let threshold = options.threshold.max(model.background_similarity());
    let mut unit_labels = relative_average_linkage(
        &graph,
        &units.weights,
        threshold,
        options.cohesion_ratio,
        &unit_rank,
    );
    lap("linkage");
    for _ in 0..options.refine_rounds {
        let next = refine(
            &model.vectors,
            &graph,
            &unit_labels,
            &units.weights,
            &unit_rank,
            threshold as f32,
        );
        // A round is a function of the labels alone: once they stop changing, they stay.
        if next == unit_labels {
            break;
        }
        unit_labels = next;
    }
    let labels = units.spread(&unit_labels);
    lap("refine");
    StoryClusters {
        labels,
        rank,
        units,
        model,
        graph,
        seconds,
    }
}
