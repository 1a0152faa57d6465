//! Grouping: union-find, near-duplicate units, average linkage, refinement, story
//! clustering, and evaluation.

mod agglomerative;
mod eval;
mod pairs;
mod refine;
mod stories;
mod topics;
mod units;

pub use agglomerative::{average_linkage, relative_average_linkage};
pub use eval::{read_gold, read_prediction, score, Scores};
pub use pairs::{read_pairs, score_pairs, JudgedPair, PairScores};
pub use refine::refine;
pub use stories::{
    cluster_stories, StoryClusters, StoryCut, StoryDecision, StoryModel, StoryOptions,
};
pub use topics::topic_linkage;
pub use units::Units;
