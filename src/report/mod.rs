//! Reports: what the tool prints and writes.

mod stats;

pub use stats::{corpus_stats, CorpusStats};
