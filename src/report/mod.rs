//! Reports: what the tool prints and writes.

mod dedup;
mod html;
mod stats;
mod stories;

pub use dedup::{
    dedup_summary, explanation_text, kept_documents, shared_passages, write_groups, write_pairs,
    DedupParameters, DedupSummary,
};
pub use html::{render_html, UiLang};
pub use stats::{corpus_stats, CorpusStats};
pub use stories::{write_assignments, write_stories, Accounting, StoryFormat};
