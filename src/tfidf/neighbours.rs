//! The cosine neighbour graph: every pair of documents with cosine ≥ τ, exactly.
//!
//! AllPairs (Bayardo, Ma & Srikant 2007): terms are ordered by document frequency,
//! commonest first. Each vector is indexed only from the point where the part left out
//! can no longer reach τ against any document: the sum of `weight × (largest weight of the
//! term anywhere)` over the left-out terms stays below τ. Two documents with cosine ≥ τ
//! therefore share a term in the indexed part of one of them, and probing the index with
//! every term of a document finds all its neighbours. Candidates are verified with the
//! full dot product. The commonest terms (long posting lists) are mostly left out, which is
//! what makes the search fast. No dense n × n product is ever formed.

use super::SparseVector;
use rayon::prelude::*;

/// Each document's neighbours (cosine ≥ the threshold), symmetric, by index. The fields are
/// private: `offsets` and `edges` must stay one consistent adjacency list (built only by
/// [`NeighbourGraph::from_pairs`]), which [`NeighbourGraph::neighbours`] slices unchecked.
#[derive(Debug, Clone, Default)]
pub struct NeighbourGraph {
    /// The threshold used.
    threshold: f32,
    /// `offsets[i]..offsets[i + 1]` indexes document `i`'s neighbours in `edges`.
    offsets: Vec<usize>,
    /// (neighbour, cosine), neighbours ascending.
    edges: Vec<(u32, f32)>,
}

impl NeighbourGraph {
    /// The threshold used.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Document `i`'s neighbours.
    pub fn neighbours(&self, i: usize) -> &[(u32, f32)] {
        &self.edges[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether the graph has no document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of undirected edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len() / 2
    }

    /// The same graph with only the edges of cosine ≥ `min`.
    pub fn at_least(&self, min: f32) -> NeighbourGraph {
        let mut offsets = Vec::with_capacity(self.offsets.len());
        let mut edges = Vec::new();
        offsets.push(0);
        for i in 0..self.len() {
            edges.extend(self.neighbours(i).iter().filter(|e| e.1 >= min));
            offsets.push(edges.len());
        }
        NeighbourGraph {
            threshold: self.threshold.max(min),
            offsets,
            edges,
        }
    }

    /// Builds the graph from undirected pairs `(a, b, cosine)` with `a < b`.
    pub fn from_pairs(n: usize, threshold: f32, pairs: &[(u32, u32, f32)]) -> NeighbourGraph {
        let mut degree = vec![0usize; n + 1];
        for &(a, b, _) in pairs {
            degree[a as usize + 1] += 1;
            degree[b as usize + 1] += 1;
        }
        for i in 0..n {
            degree[i + 1] += degree[i];
        }
        let offsets = degree;
        let mut fill = offsets.clone();
        let mut edges = vec![(0u32, 0f32); offsets[n]];
        for &(a, b, s) in pairs {
            edges[fill[a as usize]] = (b, s);
            fill[a as usize] += 1;
            edges[fill[b as usize]] = (a, s);
            fill[b as usize] += 1;
        }
        let mut graph = NeighbourGraph {
            threshold,
            offsets,
            edges,
        };
        let offsets = graph.offsets.clone();
        let mut rest: &mut [(u32, f32)] = &mut graph.edges;
        let mut chunks = Vec::with_capacity(n);
        for i in 0..n {
            let (head, tail) = rest.split_at_mut(offsets[i + 1] - offsets[i]);
            chunks.push(head);
            rest = tail;
        }
        chunks
            .into_par_iter()
            .for_each(|c| c.sort_unstable_by_key(|e| e.0));
        graph
    }
}

/// Pairs are only sought between documents at most `width` days apart; a document without
/// a date pairs with every document.
#[derive(Debug, Clone, Copy)]
pub struct TimeWindow<'a> {
    /// Each document's day number, if it has a date.
    pub days: &'a [Option<i64>],
    /// The widest gap, in days.
    pub width: i64,
}

/// The order documents are searched in: undated documents first, then dated ones by day.
/// Posting lists hold positions in this order, so a document's window is two ranges of
/// positions before its own, found by binary search instead of by walking whole lists.
struct SearchOrder {
    /// Position → document.
    order: Vec<u32>,
    /// Positions below this are undated.
    undated: usize,
    /// Day of each position (undated positions: 0, unused).
    days: Vec<i64>,
    width: i64,
}

impl SearchOrder {
    fn new(n: usize, window: Option<&TimeWindow>) -> SearchOrder {
        let Some(w) = window else {
            return SearchOrder {
                order: (0..n as u32).collect(),
                undated: n,
                days: Vec::new(),
                width: 0,
            };
        };
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&d| (w.days[d as usize].is_some(), w.days[d as usize], d));
        let undated = order.partition_point(|&d| w.days[d as usize].is_none());
        let days = order
            .iter()
            .map(|&d| w.days[d as usize].unwrap_or(0))
            .collect();
        SearchOrder {
            order,
            undated,
            days,
            width: w.width,
        }
    }

    /// The positions that position `p` is paired with: all before it if it is undated; the
    /// undated ones and the dated ones within the window before it otherwise.
    fn ranges(&self, p: usize) -> [std::ops::Range<u32>; 2] {
        if p < self.undated {
            return [0..p as u32, 0..0];
        }
        let from = self.days[p] - self.width;
        let lo = self.undated + self.days[self.undated..p].partition_point(|&d| d < from);
        [0..self.undated as u32, lo as u32..p as u32]
    }

    /// The postings of `list` (ascending positions) that fall in `range`.
    fn within<'l, T: Copy>(
        list: &'l [T],
        key: impl Fn(&T) -> u32,
        range: &std::ops::Range<u32>,
    ) -> &'l [T] {
        let start = list.partition_point(|e| key(e) < range.start);
        let end = start + list[start..].partition_point(|e| key(e) < range.end);
        &list[start..end]
    }
}

/// Pairs with cosine ≥ `threshold` among `vectors` (L2-normalised), as `(a, b, cosine)`
/// with `a < b`, sorted. With a `window`, only pairs within it are sought.
///
/// With `top_terms: None` the search is exact (AllPairs). With `Some(k)`, each document is
/// indexed and probed by its `k` heaviest terms only: a pair is found when one document's
/// keyword is among the other's; every candidate is verified with the full dot product, so
/// no pair below the threshold is ever reported, but a pair whose similarity lies only in
/// light terms can be missed (recall is measured in `examples/story_quality.rs`).
pub fn neighbour_pairs(
    vectors: &[SparseVector],
    vocabulary_size: usize,
    threshold: f32,
    top_terms: Option<usize>,
    window: Option<&TimeWindow>,
) -> Vec<(u32, u32, f32)> {
    neighbour_pairs_reporting(
        vectors,
        vocabulary_size,
        threshold,
        top_terms,
        window,
        &|_| {},
    )
}

/// Called with the number of vectors whose neighbours were searched, as they are.
pub(crate) type Done<'a> = &'a (dyn Fn(u64) + Sync);

/// [`neighbour_pairs`], calling `done` as vectors are searched.
pub(crate) fn neighbour_pairs_reporting(
    vectors: &[SparseVector],
    vocabulary_size: usize,
    threshold: f32,
    top_terms: Option<usize>,
    window: Option<&TimeWindow>,
    done: Done<'_>,
) -> Vec<(u32, u32, f32)> {
    if let Some(k) = top_terms {
        return keyword_pairs(vectors, vocabulary_size, threshold, k, window, done);
    }
    let split = unindexed_prefixes(vectors, vocabulary_size, threshold);
    probe_and_verify(
        vectors,
        vocabulary_size,
        &split,
        vectors,
        threshold,
        window,
        done,
    )
}

/// Each vector's indexed terms (all but its commonest), with the bound on what its
/// unindexed prefix can add to any cosine. Terms are ordered by document frequency,
/// descending (then id): rank 0 is the commonest term. The prefix is the longest one whose
/// contribution to any cosine is bounded below the threshold, by the per-term maximum
/// weights (AllPairs) or by its norm (Cauchy–Schwarz, as in L2AP), whichever is lower. A
/// little slack covers float rounding.
fn unindexed_prefixes(
    vectors: &[SparseVector],
    vocabulary_size: usize,
    threshold: f32,
) -> Vec<(Vec<(u32, f32)>, f32)> {
    let mut df = vec![0u32; vocabulary_size];
    let mut max_weight = vec![0f32; vocabulary_size];
    for v in vectors {
        for (&t, &w) in v.ids.iter().zip(&v.weights) {
            df[t as usize] += 1;
            max_weight[t as usize] = max_weight[t as usize].max(w);
        }
    }
    let mut by_df: Vec<u32> = (0..vocabulary_size as u32).collect();
    by_df.sort_unstable_by_key(|&t| (std::cmp::Reverse(df[t as usize]), t));
    let mut rank = vec![0u32; vocabulary_size];
    for (r, &t) in by_df.iter().enumerate() {
        rank[t as usize] = r as u32;
    }
    let bound_limit = threshold * (1.0 - 1e-4);
    vectors
        .par_iter()
        .map(|v| {
            let mut terms: Vec<(u32, f32)> = v
                .ids
                .iter()
                .zip(&v.weights)
                .map(|(&t, &w)| (t, w))
                .collect();
            terms.sort_unstable_by_key(|&(t, _)| rank[t as usize]);
            let (mut by_max, mut squares) = (0f32, 0f32);
            let mut start = terms.len();
            let mut prefix_bound = 0f32;
            for (i, &(t, w)) in terms.iter().enumerate() {
                let next_by_max = by_max + w * max_weight[t as usize];
                let next_squares = squares + w * w;
                if next_by_max.min(next_squares.sqrt()) >= bound_limit {
                    start = i;
                    break;
                }
                (by_max, squares) = (next_by_max, next_squares);
                prefix_bound = by_max.min(squares.sqrt());
            }
            (terms.split_off(start), prefix_bound)
        })
        .collect()
}

/// An inverted index of the indexed parts: each term's postings (a document's place in the
/// search order, its weight), in search order.
struct Postings {
    starts: Vec<usize>,
    entries: Vec<(u32, f32)>,
}

impl Postings {
    fn new(indexed: &[(Vec<(u32, f32)>, f32)], order: &[u32], vocabulary_size: usize) -> Self {
        let mut starts = vec![0usize; vocabulary_size + 1];
        for (terms, _) in indexed {
            for &(t, _) in terms {
                starts[t as usize + 1] += 1;
            }
        }
        for t in 0..vocabulary_size {
            starts[t + 1] += starts[t];
        }
        let mut fill = starts.clone();
        let mut entries = vec![(0u32, 0f32); starts[vocabulary_size]];
        for (position, &doc) in order.iter().enumerate() {
            for &(t, w) in &indexed[doc as usize].0 {
                entries[fill[t as usize]] = (position as u32, w);
                fill[t as usize] += 1;
            }
        }
        Postings { starts, entries }
    }

    fn of(&self, t: u32) -> &[(u32, f32)] {
        &self.entries[self.starts[t as usize]..self.starts[t as usize + 1]]
    }
}

/// Each document `x` probes the index of the `indexed` parts with the terms of `query[x]`,
/// accumulating the dot product over what it meets; a candidate `y` is verified with the
/// full cosine only if that partial score plus `indexed[y].1`, the bound on what `y` left
/// out of the index, reaches the threshold. Pairs are sorted.
fn probe_and_verify(
    vectors: &[SparseVector],
    vocabulary_size: usize,
    indexed: &[(Vec<(u32, f32)>, f32)],
    query: &[SparseVector],
    threshold: f32,
    window: Option<&TimeWindow>,
    done: Done<'_>,
) -> Vec<(u32, u32, f32)> {
    let n = vectors.len();
    let search = SearchOrder::new(n, window);
    let probe = Probe {
        postings: Postings::new(indexed, &search.order, vocabulary_size),
        search,
        vectors,
        indexed,
        query,
        threshold,
    };
    let mut pairs: Vec<(u32, u32, f32)> = (0..n)
        .into_par_iter()
        .map_init(
            || Scratch {
                score: vec![0f32; n],
                touched: Vec::new(),
                dense: vec![0f32; vocabulary_size],
            },
            |scratch, p| {
                let found = probe.pairs_of(p, scratch);
                done(1);
                found
            },
        )
        .flatten_iter()
        .collect();
    pairs.par_sort_unstable_by(|p, q| (p.0, p.1).cmp(&(q.0, q.1)));
    pairs
}

/// What every search of [`probe_and_verify`] reads.
struct Probe<'a> {
    postings: Postings,
    search: SearchOrder,
    vectors: &'a [SparseVector],
    indexed: &'a [(Vec<(u32, f32)>, f32)],
    query: &'a [SparseVector],
    threshold: f32,
}

/// One thread's buffers: partial scores by search position, the positions touched, and
/// the searching vector's weights by term id.
struct Scratch {
    score: Vec<f32>,
    touched: Vec<u32>,
    dense: Vec<f32>,
}

impl Probe<'_> {
    /// The pairs of the vector at search position `p` with those its window allows.
    fn pairs_of(&self, p: usize, scratch: &mut Scratch) -> Vec<(u32, u32, f32)> {
        let Scratch {
            score,
            touched,
            dense,
        } = scratch;
        let x = self.search.order[p];
        let v = &self.vectors[x as usize];
        // x's weights by term id: each candidate's cosine is then one pass over its own
        // terms, with no merge of two sorted lists.
        for (&t, &w) in v.ids.iter().zip(&v.weights) {
            dense[t as usize] = w;
        }
        let ranges = self.search.ranges(p);
        let probe = &self.query[x as usize];
        for (&t, &wx) in probe.ids.iter().zip(&probe.weights) {
            let list = self.postings.of(t);
            for range in &ranges {
                for &(q, wy) in SearchOrder::within(list, |e| e.0, range) {
                    if score[q as usize] == 0.0 {
                        touched.push(q);
                    }
                    // Weights are positive, so a touched score never returns to zero.
                    score[q as usize] += wx * wy;
                }
            }
        }
        let bound_limit = self.threshold * (1.0 - 1e-4);
        let mut found = Vec::new();
        for q in touched.drain(..) {
            let partial = std::mem::take(&mut score[q as usize]);
            let y = self.search.order[q as usize];
            if partial + self.indexed[y as usize].1 >= bound_limit {
                let s = dot_dense(dense, &self.vectors[y as usize]);
                if s >= self.threshold {
                    found.push((x.min(y), x.max(y), s));
                }
            }
        }
        for &t in &v.ids {
            dense[t as usize] = 0.0;
        }
        found
    }
}

/// The dot product of `y` with the vector scattered into `dense`. Summed in `y`'s term
/// order, as [`SparseVector::dot`] does, so both give the same float.
fn dot_dense(dense: &[f32], y: &SparseVector) -> f32 {
    y.ids
        .iter()
        .zip(&y.weights)
        .map(|(&t, &w)| dense[t as usize] * w)
        .sum()
}

/// Candidate pairs from shared keywords (each document's `k` heaviest terms), verified.
fn keyword_pairs(
    vectors: &[SparseVector],
    vocabulary_size: usize,
    threshold: f32,
    k: usize,
    window: Option<&TimeWindow>,
    done: Done<'_>,
) -> Vec<(u32, u32, f32)> {
    let keywords: Vec<SparseVector> = vectors.par_iter().map(|v| v.heaviest(k)).collect();
    // Keywords are indexed whole, with an unbounded rest: every candidate is verified.
    let indexed: Vec<(Vec<(u32, f32)>, f32)> = keywords
        .iter()
        .map(|k| {
            (
                k.ids
                    .iter()
                    .copied()
                    .zip(k.weights.iter().copied())
                    .collect(),
                f32::INFINITY,
            )
        })
        .collect();
    probe_and_verify(
        vectors,
        vocabulary_size,
        &indexed,
        &keywords,
        threshold,
        window,
        done,
    )
}

/// The neighbour graph of `vectors` at `threshold` (see [`neighbour_pairs`]).
pub fn neighbour_graph(
    vectors: &[SparseVector],
    vocabulary_size: usize,
    threshold: f32,
    top_terms: Option<usize>,
    window: Option<&TimeWindow>,
) -> NeighbourGraph {
    neighbour_graph_reporting(
        vectors,
        vocabulary_size,
        threshold,
        top_terms,
        window,
        &|_| {},
    )
}

/// [`neighbour_graph`], calling `done` as vectors are searched.
pub(crate) fn neighbour_graph_reporting(
    vectors: &[SparseVector],
    vocabulary_size: usize,
    threshold: f32,
    top_terms: Option<usize>,
    window: Option<&TimeWindow>,
    done: Done<'_>,
) -> NeighbourGraph {
    let pairs =
        neighbour_pairs_reporting(vectors, vocabulary_size, threshold, top_terms, window, done);
    NeighbourGraph::from_pairs(vectors.len(), threshold, &pairs)
}

/// The reference: every pair's dot product, for tests.
#[cfg(test)]
fn brute_force_neighbours(vectors: &[SparseVector], threshold: f32) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    for a in 0..vectors.len() {
        for b in a + 1..vectors.len() {
            let s = vectors[a].dot(&vectors[b]);
            if s >= threshold {
                out.push((a as u32, b as u32, s));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn vectors_from(raw: &[Vec<(u32, f32)>]) -> Vec<SparseVector> {
        raw.iter()
            .map(|terms| {
                let mut m: std::collections::BTreeMap<u32, f32> = std::collections::BTreeMap::new();
                for &(t, w) in terms {
                    *m.entry(t).or_insert(0.0) += w;
                }
                let norm = m.values().map(|w| w * w).sum::<f32>().sqrt();
                SparseVector {
                    ids: m.keys().copied().collect(),
                    weights: m
                        .values()
                        .map(|w| if norm > 0.0 { w / norm } else { 0.0 })
                        .collect(),
                }
            })
            .collect()
    }

    proptest! {
        #[test]
        fn keyword_search_finds_a_verified_subset(
            raw in prop::collection::vec(prop::collection::vec((0u32..30, 0.01f32..3.0), 0..12), 0..40),
            threshold in 0.05f32..0.9,
        ) {
            let vectors = vectors_from(&raw);
            let exact = brute_force_neighbours(&vectors, threshold);
            // With every term a keyword, the keyword search is exact too.
            let all = neighbour_pairs(&vectors, 30, threshold, Some(30), None);
            let key = |v: &[(u32, u32, f32)]| v.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>();
            prop_assert_eq!(key(&all), key(&exact));
            let few = neighbour_pairs(&vectors, 30, threshold, Some(2), None);
            for p in &few {
                prop_assert!(exact.iter().any(|q| (q.0, q.1) == (p.0, p.1)));
            }
        }

        #[test]
        fn equals_brute_force_on_random_corpora(
            raw in prop::collection::vec(prop::collection::vec((0u32..30, 0.01f32..3.0), 0..12), 0..40),
            threshold in 0.05f32..0.9,
        ) {
            let vectors = vectors_from(&raw);
            let fast = neighbour_pairs(&vectors, 30, threshold, None, None);
            let slow = brute_force_neighbours(&vectors, threshold);
            let key = |v: &[(u32, u32, f32)]| v.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>();
            prop_assert_eq!(key(&fast), key(&slow));
        }

        #[test]
        fn a_window_keeps_exactly_the_pairs_within_it(
            raw in prop::collection::vec(prop::collection::vec((0u32..30, 0.01f32..3.0), 0..12), 0..40),
            dates in prop::collection::vec(prop::option::of(0i64..12), 40),
            width in 0i64..4,
            threshold in 0.05f32..0.9,
        ) {
            let vectors = vectors_from(&raw);
            let days = &dates[..vectors.len()];
            let window = TimeWindow { days, width };
            let within = |a: u32, b: u32| match (days[a as usize], days[b as usize]) {
                (Some(x), Some(y)) => (x - y).abs() <= width,
                _ => true,
            };
            let key = |v: &[(u32, u32, f32)]| v.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>();
            let expected: Vec<(u32, u32)> = key(&brute_force_neighbours(&vectors, threshold))
                .into_iter()
                .filter(|&(a, b)| within(a, b))
                .collect();
            let exact = neighbour_pairs(&vectors, 30, threshold, None, Some(&window));
            prop_assert_eq!(key(&exact), expected.clone());
            let keywords = neighbour_pairs(&vectors, 30, threshold, Some(30), Some(&window));
            prop_assert_eq!(key(&keywords), expected);
        }
    }

    #[test]
    fn the_graph_is_symmetric_and_the_window_applies() {
        let vectors = vectors_from(&[vec![(0, 1.0)], vec![(0, 1.0), (1, 0.5)], vec![(1, 1.0)]]);
        let g = neighbour_graph(&vectors, 2, 0.1, None, None);
        assert_eq!(g.edge_count(), 2);
        assert_eq!(
            g.neighbours(1).iter().map(|e| e.0).collect::<Vec<_>>(),
            [0, 2]
        );
        let days = [Some(0), Some(10), None];
        let window = TimeWindow {
            days: &days,
            width: 3,
        };
        let windowed = neighbour_graph(&vectors, 2, 0.1, None, Some(&window));
        assert_eq!(
            windowed.edge_count(),
            1,
            "0 and 1 are 10 days apart; 2 has no date"
        );
        assert_eq!(windowed.neighbours(2), &[(1, windowed.neighbours(2)[0].1)]);
    }
}
