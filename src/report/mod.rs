//! Reports: what the tool prints and writes.

mod counted;
mod dedup;
mod html;
mod record;
mod schema;
mod stats;
mod stories;

pub use dedup::{
    explanation_text, shared_passages, DedupOutputs, DedupParameters, DedupSummary, GroupLine,
    GroupsHeader, GroupsLine, SourcePair,
};
pub use html::{render_html, UiLang};
pub use record::{
    Accounting, ClusterRecord, DedupAccounting, DedupRecord, RunRecord, StageSeconds,
};
pub use schema::{schema_text, schemas, SchemaVersion, SCHEMA_VERSION};
pub use stats::{corpus_stats, CorpusStats, LineCount};
pub use stories::{
    write_assignments, write_stories, AnalysisParameters, ClusterParameters,
    NearDuplicateParameters, StoryFormat, StoryLayout, StoryLine, StoryReport,
};

use serde::Serialize;

/// A line of `--errors`: one warning or skipped record, with the schema's version.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ErrorRecord<'a> {
    /// The version of this output's schema (`schemas/errors-line.schema.json`).
    pub schema_version: SchemaVersion,
    /// The problem.
    #[serde(flatten)]
    pub diagnostic: &'a crate::corpus::Diagnostic,
}

/// The figures of `eval`, either kind.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
#[non_exhaustive]
pub enum EvalScores {
    /// Against a gold clustering.
    Clustering(crate::cluster::Scores),
    /// Against pairwise judgements.
    Pairs(crate::cluster::PairScores),
}

/// `eval`'s JSON object (also printed by `cluster --gold`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EvalReport {
    /// The version of this output's schema (`schemas/eval.schema.json`).
    pub schema_version: SchemaVersion,
    /// The figures.
    #[serde(flatten)]
    pub scores: EvalScores,
}

impl EvalReport {
    /// The report of `scores`.
    pub fn new(scores: EvalScores) -> EvalReport {
        EvalReport {
            schema_version: SchemaVersion,
            scores,
        }
    }
}

/// Whether `url` may become a link: only web addresses. A `javascript:` or `data:` URL in the
/// input stays text in every format.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// A number in a TSV or CSV cell written as the JSON outputs write it: the shortest decimal
/// that reads back as the same value (`0.9336492890995262`, a cohesion `0.561` stored as f32).
/// Numbers here are finite; a non-finite one would read `null`, as in JSON.
pub(crate) fn decimal<T: Serialize>(x: T) -> String {
    serde_json::to_string(&x).unwrap_or_default()
}
