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
    let n = graph.len();
    let mut cluster_of: Vec<u32> = (0..n as u32).collect();
    let mut size: Vec<u64> = weights.iter().map(|&w| u64::from(w)).collect();
    let mut key = rank.to_vec(); // smallest rank of the members
                                 // Cohesion counts the pairs that merges brought together: the sum of their similarities
                                 // and their number. Pairs inside a node (near-duplicates) do not count: a group of
                                 // copies is as close-knit as one article, and its near-identity must not set a bar that
                                 // keeps it out of its own story.
    let mut internal = vec![0u128; n];
    let mut merged_pairs = vec![0u128; n];
    let mut links: Vec<AHashMap<u32, u128>> = (0..n)
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
    let cohesion = |c: usize, merged_pairs: &[u128], internal: &[u128]| -> Option<f64> {
        (merged_pairs[c] > 0).then(|| internal[c] as f64 / SCALE / merged_pairs[c] as f64)
    };
    let mut version = vec![0u32; n];
    let mut heap = BinaryHeap::new();
    let push = |heap: &mut BinaryHeap<Candidate>,
                a: u32,
                b: u32,
                sum: u128,
                size: &[u64],
                key: &[u32],
                version: &[u32]| {
        let mean = sum as f64 / SCALE / (size[a as usize] as f64 * size[b as usize] as f64);
        if mean >= threshold {
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
                versions: (version[a as usize], version[b as usize]),
            });
        }
    };
    // Every pair of clusters that may merge, with its current mean.
    let fill = |heap: &mut BinaryHeap<Candidate>,
                links: &[AHashMap<u32, u128>],
                size: &[u64],
                key: &[u32],
                version: &[u32]| {
        heap.clear();
        for a in 0..n as u32 {
            for (&b, &sum) in &links[a as usize] {
                if a < b {
                    push(heap, a, b, sum, size, key, version);
                }
            }
        }
    };
    fill(&mut heap, &links, &size, &key, &version);
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
        if version[c.a as usize] != c.versions.0 || version[c.b as usize] != c.versions.1 {
            continue;
        }
        if relative > 0.0 {
            let ca = cohesion(c.a as usize, &merged_pairs, &internal);
            let cb = cohesion(c.b as usize, &merged_pairs, &internal);
            // Compared with the looser of the two clusters (measured best of min, mean and
            // max on the labelled corpora, see examples/story_quality.rs).
            let looser = match (ca, cb) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            if looser.is_some_and(|t| c.mean < relative * t) {
                continue;
            }
        }
        let between = links[c.a as usize].get(&c.b).copied().unwrap_or(0);
        // Merge the smaller link map into the larger cluster.
        let (keep, gone) = if links[c.a as usize].len() >= links[c.b as usize].len() {
            (c.a, c.b)
        } else {
            (c.b, c.a)
        };
        let gone_links = std::mem::take(&mut links[gone as usize]);
        links[keep as usize].remove(&gone);
        for (other, sum) in gone_links {
            if other == keep {
                continue;
            }
            *links[keep as usize].entry(other).or_insert(0) += sum;
            let o = &mut links[other as usize];
            o.remove(&gone);
            *o.entry(keep).or_insert(0) += sum;
        }
        internal[keep as usize] += internal[gone as usize] + between;
        internal[gone as usize] = 0;
        merged_pairs[keep as usize] += merged_pairs[gone as usize]
            + u128::from(size[keep as usize]) * u128::from(size[gone as usize]);
        merged_pairs[gone as usize] = 0;
        size[keep as usize] += size[gone as usize];
        size[gone as usize] = 0;
        key[keep as usize] = key[keep as usize].min(key[gone as usize]);
        version[keep as usize] += 1;
        version[gone as usize] += 1;
        let mut neighbours: Vec<(u32, u128)> =
            links[keep as usize].iter().map(|(&o, &s)| (o, s)).collect();
        neighbours.sort_unstable();
        for (other, sum) in neighbours {
            push(&mut heap, keep, other, sum, &size, &key, &version);
        }
        merge_into(&mut cluster_of, gone, keep);
        if heap.len() > heap_limit {
            fill(&mut heap, &links, &size, &key, &version);
        }
    }
    resolve(&cluster_of, &key)
}

/// Records that cluster `gone` is now part of `keep` (resolved at the end).
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
