//! TF-IDF: vocabulary, weights, sparse vectors, and the cosine neighbour graph.

mod neighbours;
pub(crate) use neighbours::neighbour_graph_reporting;
mod vectors;

pub use neighbours::{neighbour_graph, neighbour_pairs, NeighbourGraph, TimeWindow};
pub use vectors::{
    background_similarity, Narrowed, SparseVector, TermIndex, TfIdf, TfIdfOptions, Vocabulary,
};
