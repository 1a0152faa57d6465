//! The story pipeline end to end: analyse → near-duplicates → stories → summaries. One place
//! that `cluster`, `bench` and library users share.

use crate::cluster::{cluster_stories, StoryClusters, StoryOptions};
use crate::corpus::Document;
use crate::error::Result;
use crate::minhash::{find_duplicates_taking_tokens, Dedup, DedupOptions};
use crate::summary::{summarize, Stories, SummaryOptions};
use crate::text::{analyze, AnalysisOptions, AnalyzedCorpus};
use std::time::Instant;

/// Options of every stage.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PipelineOptions {
    /// Text analysis (terms are always collected).
    pub analysis: AnalysisOptions,
    /// Near-duplicate groups, which always share a story.
    pub dedup: DedupOptions,
    /// Story clustering.
    pub stories: StoryOptions,
    /// Summaries.
    pub summary: SummaryOptions,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            analysis: AnalysisOptions {
                bigrams: true,
                ..AnalysisOptions::default()
            },
            dedup: DedupOptions::default(),
            stories: StoryOptions::default(),
            summary: SummaryOptions::default(),
        }
    }
}

impl PipelineOptions {
    /// Checks every stage's options (see each one's `check`).
    pub fn check(&self) -> Result<()> {
        self.dedup.check()?;
        self.stories.check()
    }
}

/// Shingle sets and signatures are what near-duplicate detection works on and nothing after
/// it needs (the token lists were taken already).
fn release_near_duplicate_inputs(duplicates: &mut Dedup) {
    duplicates.shingles.sets = Vec::new();
    duplicates.signatures = None;
}

/// What every stage produced. The analysis keeps no token lists and the near-duplicates no
/// shingle sets or signatures: they are released once the near-duplicates are found.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StoryRun {
    /// The analysis.
    pub analyzed: AnalyzedCorpus,
    /// The near-duplicates.
    pub duplicates: Dedup,
    /// The story assignment, model and graph.
    pub clusters: StoryClusters,
    /// The summarised stories.
    pub stories: Stories,
}

/// Runs every stage on `documents`, once the options pass [`PipelineOptions::check`]. After
/// each stage (`analyse`, `near-duplicates`, `stories`, `summaries`), `on_stage` is called
/// with its name and wall seconds.
pub fn run_stories(
    documents: &[Document],
    options: &PipelineOptions,
    on_stage: &mut dyn FnMut(&'static str, f64),
) -> Result<StoryRun> {
    options.check()?;
    let analysis = AnalysisOptions {
        terms: true,
        ..options.analysis.clone()
    };
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        on_stage(name, clock.elapsed().as_secs_f64());
        clock = Instant::now();
    };
    let mut analyzed = analyze(documents, &analysis);
    lap("analyse");
    let mut duplicates = find_duplicates_taking_tokens(documents, &mut analyzed, &options.dedup);
    release_near_duplicate_inputs(&mut duplicates);
    lap("near-duplicates");
    let clusters = cluster_stories(documents, &analyzed, &duplicates, &options.stories);
    lap("stories");
    let stories = summarize(
        documents,
        &analyzed,
        &clusters,
        &duplicates,
        &analysis,
        &options.summary,
    );
    lap("summaries");
    Ok(StoryRun {
        analyzed,
        duplicates,
        clusters,
        stories,
    })
}
