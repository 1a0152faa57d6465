//! Average linkage (UPGMA) on a sparse similarity graph.
//!
//! The similarity of two clusters is the mean similarity over all pairs of their documents,
//! where a pair without an edge counts as 0. The pair of clusters with the highest mean is
//! merged, again and again, while that mean is at least the threshold. A single strong link
//! cannot chain two unrelated stories: it is averaged with every other pair.
//!
//! A node of the graph may stand for several documents (a near-duplicate group collapsed
//! into one unit, see [`super::Units`]): it counts as that many documents, each with the
//! node's similarities, already merged.
//!
//! Similarities are summed as fixed-point integers, so sums do not depend on the order of
//! addition, and ties are broken by the clusters' smallest document rank: the result is the
//! same for any input order and thread count. Sums are 128-bit: two clusters of 100,000
//! articles have 10¹⁰ pairs, beyond what 64 bits hold at this scale.

use crate::tfidf::NeighbourGraph;
use ahash::AHashMap;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

const SCALE: f64 = (1u64 << 32) as f64;

/// Clusters the graph's nodes. `weights` is the number of documents each node stands for;
/// `rank` orders nodes (by id) for tie-breaking. Returns each node's cluster as the smallest
/// rank of its members.
pub fn average_linkage(
    graph: &NeighbourGraph,
    weights: &[u32],
    threshold: f64,
    rank: &[u32],
) -> Vec<u32> {
    relative_average_linkage(graph, weights, threshold, 0.0, rank)
}

/// Average linkage that also refuses a merge whose mean similarity is below `relative` times
/// the cohesion (mean internal similarity) of the looser of the two clusters (a cluster of
/// one node has no cohesion and sets no bound): a cluster joins another only if it is
/// nearly as close to it as its own members are to each other. This is what lets one
/// setting find broad topics made of loosely related articles and also keep apart two
/// tight events of the same topic.
pub fn relative_average_linkage(
    graph: &NeighbourGraph,
    weights: &[u32],
    threshold: f64,
    relative: f64,
    rank: &[u32],
) -> Vec<u32> {
    relative_average_linkage_reporting(graph, weights, threshold, relative, rank, &|_| {})
}

/// [`relative_average_linkage`], calling `merged(1)` at each merge. How many merges there
/// will be is not known ahead: it is what the linkage finds out.
pub(crate) fn relative_average_linkage_reporting(
    graph: &NeighbourGraph,
    weights: &[u32],
    threshold: f64,
    relative: f64,
    rank: &[u32],
    merged: &dyn Fn(u64),
) -> Vec<u32> {
    let mut state = Linkage::new(graph, weights, rank, threshold);
    let mut heap = BinaryHeap::new();
    state.fill(&mut heap);
    // Each merge pushes its cluster's pairs again and leaves the old ones stale in the heap.
    // The pairs at or above the threshold never grow in number (a merged pair's mean lies
    // between its parts'), so when the heap holds twice as many entries as there were pairs
    // at the start, it is filled again from the live pairs. The merges do not change: a
    // pair refused for cohesion is refused again, as neither cluster has changed.
    let heap_limit = if cfg!(test) {
        // Refilled after nearly every merge, so that the comparisons with textbook UPGMA
        // check that refilling changes nothing.
        1
    } else {
        2 * heap.len().max(1 << 16)
    };
    while let Some(c) = heap.pop() {
        if !state.is_current(&c) || state.refused_for_cohesion(&c, relative) {
            continue;
        }
        let keep = state.merge(&c);
        merged(1);
        // In any order: candidates are totally ordered by mean and keys, so the heap pops
        // the same sequence however they were pushed.
        for (&other, &sum) in &state.links[keep as usize] {
            state.push(&mut heap, keep, other, sum);
        }
        if heap.len() > heap_limit {
            state.fill(&mut heap);
        }
    }
    resolve(&state.cluster_of, &state.key)
}

/// The clusters of [`relative_average_linkage`] as it merges them. Sums of similarities are
/// fixed point ([`SCALE`]), so that they do not depend on the order of additions.
struct Linkage {
    threshold: f64,
    cluster_of: Vec<u32>,
    /// Articles in each cluster (near-duplicates weighted).
    size: Vec<u64>,
    /// The smallest rank of each cluster's members.
    key: Vec<u32>,
    /// Bumped at each merge: a heap entry with an old version is stale.
    version: Vec<u32>,
    /// Cohesion counts the pairs that merges brought together: the sum of their
    /// similarities and their number. Pairs inside a node (near-duplicates) do not count: a
    /// group of copies is as close-knit as one article, and its near-identity must not set
    /// a bar that keeps it out of its own story.
    internal: Vec<u128>,
    merged_pairs: Vec<u128>,
    /// Each cluster's summed similarities to its neighbouring clusters.
    links: Vec<AHashMap<u32, u128>>,
}

impl Linkage {
    fn new(graph: &NeighbourGraph, weights: &[u32], rank: &[u32], threshold: f64) -> Linkage {
        let n = graph.len();
        let links = (0..n)
            .map(|a| {
                graph
                    .neighbours(a)
                    .iter()
                    .map(|&(b, s)| {
                        let pairs = u128::from(weights[a]) * u128::from(weights[b as usize]);
                        (b, (s as f64 * SCALE).round() as u128 * pairs)
                    })
                    .collect()
            })
            .collect();
        Linkage {
            threshold,
            cluster_of: (0..n as u32).collect(),
            size: weights.iter().map(|&w| u64::from(w)).collect(),
            key: rank.to_vec(),
            version: vec![0; n],
            internal: vec![0; n],
            merged_pairs: vec![0; n],
            links,
        }
    }

    /// Pushes the pair of clusters `a` and `b` when their mean reaches the threshold.
    fn push(&self, heap: &mut BinaryHeap<Candidate>, a: u32, b: u32, sum: u128) {
        let (size, key) = (&self.size, &self.key);
        let mean = sum as f64 / SCALE / (size[a as usize] as f64 * size[b as usize] as f64);
        if mean < self.threshold {
            return;
        }
        let (a, b) = if key[a as usize] < key[b as usize] {
            (a, b)
        } else {
            (b, a)
        };
        heap.push(Candidate {
            mean,
            keys: (key[a as usize], key[b as usize]),
            a,
            b,
            versions: (self.version[a as usize], self.version[b as usize]),
        });
    }

    /// Every pair of clusters that may merge, with its current mean.
    fn fill(&self, heap: &mut BinaryHeap<Candidate>) {
        heap.clear();
        for a in 0..self.links.len() as u32 {
            for (&b, &sum) in &self.links[a as usize] {
                if a < b {
                    self.push(heap, a, b, sum);
                }
            }
        }
    }

    fn is_current(&self, c: &Candidate) -> bool {
        self.version[c.a as usize] == c.versions.0 && self.version[c.b as usize] == c.versions.1
    }

    /// Mean similarity of the pairs that merges brought into cluster `c`.
    fn cohesion(&self, c: usize) -> Option<f64> {
        (self.merged_pairs[c] > 0)
            .then(|| self.internal[c] as f64 / SCALE / self.merged_pairs[c] as f64)
    }

    /// Whether the merge falls below `relative` times the looser cluster's cohesion
    /// (measured best of min, mean and max on the labelled corpora, see
    /// examples/story_quality.rs).
    fn refused_for_cohesion(&self, c: &Candidate, relative: f64) -> bool {
        if relative <= 0.0 {
            return false;
        }
        let looser = match (self.cohesion(c.a as usize), self.cohesion(c.b as usize)) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        looser.is_some_and(|t| c.mean < relative * t)
    }

    /// Merges the pair into the cluster with more links (the smaller link map moves) and
    /// returns the cluster kept.
    fn merge(&mut self, c: &Candidate) -> u32 {
        let links = &mut self.links;
        let between = links[c.a as usize].get(&c.b).copied().unwrap_or(0);
        let (keep, gone) = if links[c.a as usize].len() >= links[c.b as usize].len() {
            (c.a as usize, c.b as usize)
        } else {
            (c.b as usize, c.a as usize)
        };
        let gone_links = std::mem::take(&mut links[gone]);
        links[keep].remove(&(gone as u32));
        for (other, sum) in gone_links {
            if other as usize == keep {
                continue;
            }
            *links[keep].entry(other).or_insert(0) += sum;
            let o = &mut links[other as usize];
            o.remove(&(gone as u32));
            *o.entry(keep as u32).or_insert(0) += sum;
        }
        self.internal[keep] += self.internal[gone] + between;
        self.internal[gone] = 0;
        self.merged_pairs[keep] +=
            self.merged_pairs[gone] + u128::from(self.size[keep]) * u128::from(self.size[gone]);
        self.merged_pairs[gone] = 0;
        self.size[keep] += self.size[gone];
        self.size[gone] = 0;
        self.key[keep] = self.key[keep].min(self.key[gone]);
        self.version[keep] += 1;
        self.version[gone] += 1;
        merge_into(&mut self.cluster_of, gone as u32, keep as u32);
        keep as u32
    }
}

fn merge_into(parent: &mut [u32], gone: u32, keep: u32) {
    parent[gone as usize] = keep;
}

/// Each document's final cluster key, following merge records.
fn resolve(parent: &[u32], key: &[u32]) -> Vec<u32> {
    let n = parent.len();
    let mut root = vec![u32::MAX; n];
    (0..n)
        .map(|d| {
            let mut c = d as u32;
            let mut path = Vec::new();
            while parent[c as usize] != c {
                if root[c as usize] != u32::MAX {
                    c = root[c as usize];
                    break;
                }
                path.push(c);
                c = parent[c as usize];
            }
            for p in path {
                root[p as usize] = c;
            }
            key[c as usize]
        })
        .collect()
}

#[derive(Debug)]
struct Candidate {
    mean: f64,
    keys: (u32, u32),
    a: u32,
    b: u32,
    versions: (u32, u32),
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        // Highest mean first; on ties, the pair with the smallest keys.
        self.mean
            .total_cmp(&other.mean)
            .then_with(|| other.keys.cmp(&self.keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Textbook UPGMA over a dense matrix, starting from `initial` clusters (every document
    /// in exactly one), for comparison.
    fn brute_force(sim: &[Vec<f64>], initial: Vec<Vec<usize>>, threshold: f64) -> Vec<usize> {
        let n = sim.len();
        let mut clusters = initial;
        for c in &mut clusters {
            c.sort_unstable();
        }
        clusters.sort_by_key(|c| c[0]);
        loop {
            let mut best: Option<(f64, usize, usize)> = None;
            for i in 0..clusters.len() {
                for j in i + 1..clusters.len() {
                    let total: f64 = clusters[i]
                        .iter()
                        .flat_map(|&a| clusters[j].iter().map(move |&b| (a, b)))
                        .map(|(a, b)| sim[a][b])
                        .sum();
                    let mean = total / (clusters[i].len() * clusters[j].len()) as f64;
                    let better = match best {
                        None => true,
                        Some((m, bi, bj)) => {
                            mean > m + 1e-12
                                || ((mean - m).abs() <= 1e-12
                                    && (clusters[i][0], clusters[j][0])
                                        < (clusters[bi][0], clusters[bj][0]))
                        }
                    };
                    if mean >= threshold && better {
                        best = Some((mean, i, j));
                    }
                }
            }
            let Some((_, i, j)) = best else { break };
            let merged = clusters.remove(j);
            clusters[i].extend(merged);
            clusters[i].sort_unstable();
            clusters.sort_by_key(|c| c[0]);
        }
        let mut label = vec![0; n];
        for c in &clusters {
            for &d in c {
                label[d] = c[0];
            }
        }
        label
    }

    /// A random graph on `n` nodes; similarities are multiples of 1/64, exact in fixed point,
    /// so both sides agree.
    fn random_graph(n: usize, next: &mut impl FnMut() -> f64) -> Vec<(u32, u32, f32)> {
        let mut pairs = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                if next() < 0.35 {
                    pairs.push((a as u32, b as u32, ((next() * 64.0).ceil() / 64.0) as f32));
                }
            }
        }
        pairs
    }

    fn generator(seed: u64) -> impl FnMut() -> f64 {
        let mut rng = seed;
        move || {
            rng = crate::minhash::signature::splitmix64(rng);
            (rng >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn equals_textbook_upgma_on_random_graphs() {
        let mut next = generator(3);
        for _ in 0..40 {
            let n = 12;
            let pairs = random_graph(n, &mut next);
            let mut sim = vec![vec![0.0; n]; n];
            for &(a, b, s) in &pairs {
                sim[a as usize][b as usize] = f64::from(s);
                sim[b as usize][a as usize] = f64::from(s);
            }
            let graph = NeighbourGraph::from_pairs(n, 0.0, &pairs);
            let rank: Vec<u32> = (0..n as u32).collect();
            for threshold in [0.1, 0.3, 0.5] {
                let ours = average_linkage(&graph, &vec![1; n], threshold, &rank);
                let reference = brute_force(&sim, (0..n).map(|d| vec![d]).collect(), threshold);
                let ours: Vec<usize> = ours.iter().map(|&k| k as usize).collect();
                assert_eq!(ours, reference, "threshold {threshold}");
            }
        }
    }

    /// A node of weight w behaves as w documents with the node's similarities, merged from
    /// the start.
    #[test]
    #[allow(clippy::needless_range_loop)] // the matrix is filled symmetrically by index
    fn weighted_nodes_equal_their_expanded_copies() {
        let mut next = generator(11);
        for _ in 0..40 {
            let n = 8;
            let pairs = random_graph(n, &mut next);
            let weights: Vec<u32> = (0..n).map(|_| 1 + (next() * 3.0) as u32).collect();
            // Node u's copies are documents first[u]..first[u] + weights[u].
            let mut first = vec![0usize; n + 1];
            for u in 0..n {
                first[u + 1] = first[u] + weights[u] as usize;
            }
            let m = first[n];
            let mut sim = vec![vec![0.0; m]; m];
            for &(a, b, s) in &pairs {
                for x in first[a as usize]..first[a as usize + 1] {
                    for y in first[b as usize]..first[b as usize + 1] {
                        sim[x][y] = f64::from(s);
                        sim[y][x] = f64::from(s);
                    }
                }
            }
            let graph = NeighbourGraph::from_pairs(n, 0.0, &pairs);
            let rank: Vec<u32> = (0..n).map(|u| first[u] as u32).collect();
            for threshold in [0.1, 0.3, 0.5] {
                let ours = average_linkage(&graph, &weights, threshold, &rank);
                let initial = (0..n).map(|u| (first[u]..first[u + 1]).collect()).collect();
                let reference = brute_force(&sim, initial, threshold);
                for u in 0..n {
                    assert_eq!(
                        ours[u] as usize, reference[first[u]],
                        "threshold {threshold}"
                    );
                }
            }
        }
    }
}
