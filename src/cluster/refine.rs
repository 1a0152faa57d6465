//! Refinement after agglomeration: each node (a document, or a near-duplicate group counted
//! by its size) moves to the cluster whose centroid it is most similar to, among its own
//! cluster and the clusters of its ten strongest neighbours.
//!
//! Greedy merging cannot undo an early mistake; a few rounds of centroid reassignment can.
//! A node decides as its representative document would: its similarity to its own cluster
//! is measured without that one document (its copies are other members), and a document
//! alone stays alone unless some cluster's centroid reaches `floor`. A near-duplicate group
//! therefore keeps its place unless another cluster is closer than its own copies.

use crate::tfidf::{NeighbourGraph, SparseVector};
use ahash::AHashMap;
use rayon::prelude::*;

/// Neighbours whose clusters a document may move to.
const NEIGHBOURS_CONSIDERED: usize = 10;

/// One round of reassignment; `labels` are cluster keys per node, `weights` the documents
/// each node stands for, `rank` orders the nodes (sums run in that order, so results do not
/// depend on input order).
pub fn refine(
    vectors: &[SparseVector],
    graph: &NeighbourGraph,
    labels: &[u32],
    weights: &[u32],
    rank: &[u32],
    floor: f32,
) -> Vec<u32> {
    refine_reporting(vectors, graph, labels, weights, rank, floor, &|_| {})
}

/// [`refine`], calling `done(1)` as each node is placed.
pub(crate) fn refine_reporting(
    vectors: &[SparseVector],
    graph: &NeighbourGraph,
    labels: &[u32],
    weights: &[u32],
    rank: &[u32],
    floor: f32,
    done: &(dyn Fn(u64) + Sync),
) -> Vec<u32> {
    let centroids = Centroids::of(vectors, labels, weights, rank);
    (0..labels.len())
        .into_par_iter()
        .map(|d| {
            let own = labels[d];
            let mut best = if centroids.sizes[&own] > 1 {
                (centroids.similarity(&vectors[d], own, true), own)
            } else {
                (f64::from(floor), own)
            };
            for l in neighbour_clusters(graph, labels, d) {
                let s = centroids.similarity(&vectors[d], l, false);
                if s > best.0 + 1e-9 {
                    best = (s, l);
                }
            }
            done(1);
            best.1
        })
        .collect()
}

/// Each cluster's centroid: the sum of its nodes' vectors, each weighted by its documents
/// (unnormalised), with its squared norm and its number of documents.
struct Centroids {
    sums: AHashMap<u32, AHashMap<u32, f64>>,
    norm2: AHashMap<u32, f64>,
    sizes: AHashMap<u32, usize>,
}

impl Centroids {
    /// Sums are added in `rank` order, so that they do not depend on input order.
    fn of(vectors: &[SparseVector], labels: &[u32], weights: &[u32], rank: &[u32]) -> Centroids {
        let mut by_rank: Vec<usize> = (0..labels.len()).collect();
        by_rank.sort_unstable_by_key(|&d| rank[d]);
        let mut sums: AHashMap<u32, AHashMap<u32, f64>> = AHashMap::new();
        let mut sizes: AHashMap<u32, usize> = AHashMap::new();
        for &d in &by_rank {
            let l = labels[d];
            *sizes.entry(l).or_insert(0) += weights[d] as usize;
            let c = sums.entry(l).or_default();
            let weight = f64::from(weights[d]);
            for (&t, &w) in vectors[d].ids.iter().zip(&vectors[d].weights) {
                *c.entry(t).or_insert(0.0) += weight * f64::from(w);
            }
        }
        let norm2 = sums
            .iter()
            .map(|(&l, c)| {
                let mut ids: Vec<(&u32, &f64)> = c.iter().collect();
                ids.sort_unstable_by_key(|e| *e.0);
                (l, ids.iter().map(|(_, w)| *w * *w).sum())
            })
            .collect();
        Centroids { sums, norm2, sizes }
    }

    /// Cosine of `v` to cluster `l`'s centroid, without `v`'s own share when it is a member
    /// (`without_self`).
    fn similarity(&self, v: &SparseVector, l: u32, without_self: bool) -> f64 {
        let c = &self.sums[&l];
        let (mut dot, mut n2) = (0.0, self.norm2[&l]);
        for (&t, &w) in v.ids.iter().zip(&v.weights) {
            let w = f64::from(w);
            let cw = c.get(&t).copied().unwrap_or(0.0);
            if without_self {
                let rest = cw - w;
                dot += w * rest;
                n2 += rest * rest - cw * cw;
            } else {
                dot += w * cw;
            }
        }
        if n2 <= 1e-12 {
            0.0
        } else {
            dot / n2.sqrt()
        }
    }
}

/// The clusters of node `d`'s strongest neighbours other than its own, in key order: the
/// only plausible moves.
fn neighbour_clusters(graph: &NeighbourGraph, labels: &[u32], d: usize) -> Vec<u32> {
    let mut strongest: Vec<(u32, f32)> = graph.neighbours(d).to_vec();
    strongest.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    strongest.truncate(NEIGHBOURS_CONSIDERED);
    let own = labels[d];
    let mut others: Vec<u32> = strongest
        .iter()
        .map(|&(m, _)| labels[m as usize])
        .filter(|&l| l != own)
        .collect();
    others.sort_unstable();
    others.dedup();
    others
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(pairs: &[(u32, f32)]) -> SparseVector {
        let norm = pairs.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
        SparseVector {
            ids: pairs.iter().map(|p| p.0).collect(),
            weights: pairs.iter().map(|p| p.1 / norm).collect(),
        }
    }

    #[test]
    fn a_misplaced_document_moves_to_the_closer_centroid() {
        // Documents 0–2 are about term 0, 3–4 about term 1; document 2 was put with 3–4.
        let vectors = vec![
            v(&[(0, 1.0)]),
            v(&[(0, 1.0), (2, 0.2)]),
            v(&[(0, 1.0), (1, 0.3)]),
            v(&[(1, 1.0)]),
            v(&[(1, 1.0), (3, 0.1)]),
        ];
        let pairs: Vec<(u32, u32, f32)> = vec![
            (0, 1, 0.9),
            (0, 2, 0.9),
            (1, 2, 0.8),
            (2, 3, 0.3),
            (2, 4, 0.3),
            (3, 4, 0.9),
        ];
        let graph = NeighbourGraph::from_pairs(5, 0.0, &pairs);
        let labels = vec![0, 0, 3, 3, 3];
        let rank: Vec<u32> = (0..5).collect();
        assert_eq!(
            refine(&vectors, &graph, &labels, &[1; 5], &rank, 0.1),
            vec![0, 0, 0, 3, 3]
        );
    }

    #[test]
    fn a_near_duplicate_group_is_held_by_its_copies() {
        // Node 0 is alone; its strongest neighbour's cluster {1, 2} is close enough to join.
        let vectors = vec![v(&[(0, 1.0)]), v(&[(0, 1.0), (1, 1.0)]), v(&[(1, 1.0)])];
        let graph = NeighbourGraph::from_pairs(3, 0.0, &[(0, 1, 0.7), (1, 2, 0.7)]);
        let labels = vec![0, 1, 1];
        let rank = [0, 1, 2];
        assert_eq!(
            refine(&vectors, &graph, &labels, &[1, 1, 1], &rank, 0.1),
            [1, 1, 1]
        );
        // As a group of three copies, its copies are closer than that cluster: it stays.
        assert_eq!(
            refine(&vectors, &graph, &labels, &[3, 1, 1], &rank, 0.1),
            [0, 1, 1]
        );
    }
}
