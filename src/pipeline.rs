//! The story pipeline end to end, seen by one [`PipelineObserver`]: analyse → near-duplicates → stories → summaries. One place
//! that `cluster`, `bench` and library users share.

use crate::cluster::{StoryClusters, StoryModel, StoryOptions};
use crate::corpus::{Corpus, Document};
use crate::error::{Error, Result};
use crate::minhash::{find_duplicates_taking_tokens, Dedup, DedupOptions};
use crate::progress::{PipelineObserver, Timings};
use crate::report::{Accounting, ClusterParameters, ClusterRecord, RunRecord};
use crate::summary::{summarize_observed, Stories, SummaryInputs, SummaryOptions};
use crate::text::{analyze_observed, AnalysisOptions, AnalyzedCorpus};

/// Options of every stage.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PipelineOptions {
    /// Text analysis (terms are always collected: [`run_stories`] turns `terms` on).
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
    /// Checks every stage's options (see each one's `check`); the analysis as
    /// [`run_stories`] runs it, with `terms` on.
    pub fn check(&self) -> Result<()> {
        self.analysis_run().check()?;
        self.dedup.check()?;
        self.stories.check()?;
        self.summary.check()
    }

    /// The analysis that [`run_stories`] runs: `analysis` with `terms` on.
    fn analysis_run(&self) -> AnalysisOptions {
        AnalysisOptions {
            terms: true,
            ..self.analysis.clone()
        }
    }
}

/// Shingle sets and signatures are what near-duplicate detection works on and nothing after
/// it needs (the token lists were taken already).
fn release_near_duplicate_inputs(duplicates: &mut Dedup) {
    duplicates.shingles.release();
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
    /// The options the run ran with (its record's parameters), the analysis's `terms` on.
    pub options: PipelineOptions,
}

impl StoryRun {
    /// The run's record for its outputs: the accounting of `corpus` (whose documents it ran
    /// on), the parameters of the options it ran with, and the stages `timings` saw.
    pub fn record(&self, corpus: &Corpus, timings: &Timings) -> ClusterRecord {
        let options = &self.options;
        let parameters = ClusterParameters::new(
            &options.analysis,
            &options.dedup,
            &options.stories,
            options.summary,
        );
        let accounting = Accounting::of_stories(corpus, &self.stories);
        RunRecord::new(parameters, accounting, timings)
    }
}

/// Runs every stage on `documents`, once the options pass [`PipelineOptions::check`],
/// with the analysis's `terms` on whatever `options.analysis.terms` says (stories are
/// clustered on terms; [`StoryRun::options`] records what ran),
/// reporting each [`Stage`](crate::progress::Stage) to `observer` (pass [`NoObserver`](crate::progress::NoObserver) for none). Between stages it
/// asks [`PipelineObserver::should_stop`], and stops with [`Error::Interrupted`].
pub fn run_stories(
    documents: &[Document],
    options: &PipelineOptions,
    observer: &dyn PipelineObserver,
) -> Result<StoryRun> {
    options.check()?;
    let analysis = options.analysis_run();
    let go_on = || match observer.should_stop() {
        true => Err(Error::Interrupted),
        false => Ok(()),
    };
    go_on()?;
    let mut analyzed = analyze_observed(documents, &analysis, observer)?;
    go_on()?;
    let mut duplicates =
        find_duplicates_taking_tokens(documents, &mut analyzed, &options.dedup, observer)?;
    release_near_duplicate_inputs(&mut duplicates);
    go_on()?;
    let model = StoryModel::fit_observed(
        documents,
        &analyzed,
        &duplicates,
        &options.stories,
        observer,
    )?;
    go_on()?;
    let decision = model.decide_observed(&options.stories.cut(), observer)?;
    let clusters = model.into_clusters(decision);
    go_on()?;
    let inputs = SummaryInputs {
        documents,
        analyzed: &analyzed,
        clusters: &clusters,
        dedup: &duplicates,
        analysis: &analysis,
    };
    let stories = summarize_observed(&inputs, &options.summary, observer)?;
    Ok(StoryRun {
        analyzed,
        duplicates,
        clusters,
        stories,
        options: PipelineOptions {
            analysis,
            ..options.clone()
        },
    })
}
