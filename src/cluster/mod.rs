//! Grouping: union-find over links, and (later) the story clustering built on it.

mod union_find;

pub use union_find::UnionFind;
