//! Exact set-similarity join: every pair with Jaccard ≥ t, by prefix filtering (AllPairs /
//! PPJoin) under a rare-first global order of the shingles.
//!
//! If `J(x, y) ≥ t` then the first `|x| − ⌈t·|x|⌉ + 1` elements of `x` (its prefix) and the
//! prefix of `y` share an element, when both are sorted by one global order. Rare shingles
//! first keeps the inverted lists of prefixes short. Sets are probed in parallel against an
//! index of all prefixes, each pair once (the smaller set is the indexed one), with the size
//! and positional filters of PPJoin, then verified by merging.

use super::verify::{overlap, passes};
use rayon::prelude::*;

/// All pairs `(a, b, jaccard)` of document indices with `a < b` and Jaccard ≥ `threshold`,
/// sorted. `sets` are sorted, repeat-free shingle hashes; empty sets never pair.
pub fn exact_join(sets: &[Vec<u64>], threshold: f64) -> Vec<(u32, u32, f64)> {
    let ranked = RankedSets::new(sets);
    let join = Join::new(&ranked, threshold.clamp(1e-9, 1.0));
    let mut pairs: Vec<(u32, u32, f64)> = (0..join.by_size.len())
        .into_par_iter()
        .map_init(
            || (vec![0u32; join.by_size.len()], Vec::<u32>::new()),
            |(counts, touched), kx| {
                join.count_candidates(kx, counts, touched);
                join.verify(kx, counts, touched)
            },
        )
        .flatten_iter()
        .collect();
    pairs.par_sort_unstable_by(|p, q| (p.0, p.1).cmp(&(q.0, q.1)));
    pairs
}

/// A candidate already ruled out by the positional filter.
const PRUNED: u32 = u32::MAX;

/// The join's sets by size, and the inverted index of their prefixes.
struct Join<'a> {
    ranked: &'a RankedSets,
    t: f64,
    /// Documents by size (then index): a set is probed only against earlier, smaller ones.
    by_size: Vec<u32>,
    /// The size of each of `by_size`.
    sizes: Vec<usize>,
    /// Inverted index of prefixes (CSR), over shingles found in two documents or more:
    /// rank − first shared rank → (position in `by_size`, position in the set), by position.
    starts: Vec<u32>,
    entries: Vec<(u32, u32)>,
}

impl<'a> Join<'a> {
    fn new(ranked: &'a RankedSets, t: f64) -> Join<'a> {
        let mut by_size: Vec<u32> = (0..ranked.sets.len() as u32)
            .filter(|&i| !ranked.sets[i as usize].is_empty())
            .collect();
        by_size.sort_unstable_by_key(|&i| (ranked.sets[i as usize].len(), i));
        let sizes = by_size
            .iter()
            .map(|&i| ranked.sets[i as usize].len())
            .collect();
        let mut join = Join {
            ranked,
            t,
            by_size,
            sizes,
            starts: Vec::new(),
            entries: Vec::new(),
        };
        join.index_prefixes();
        join
    }

    /// The prefix length of a set of `len`: a pair at the threshold shares an element there.
    fn prefix(&self, len: usize) -> usize {
        (len - (self.t * len as f64 - 1e-9).ceil() as usize + 1).min(len)
    }

    /// The shared shingles of each set's prefix, with their positions.
    fn shared_prefix(&self, doc: u32) -> impl Iterator<Item = (usize, u32)> + '_ {
        let set = &self.ranked.sets[doc as usize];
        let shared_from = self.ranked.first_shared_rank;
        set[..self.prefix(set.len())]
            .iter()
            .enumerate()
            .filter(move |&(_, &tok)| tok >= shared_from)
            .map(move |(pos, &tok)| (pos, tok - shared_from))
    }

    fn index_prefixes(&mut self) {
        let width = self.ranked.distinct - self.ranked.first_shared_rank as usize;
        let mut starts = vec![0u32; width + 1];
        for &doc in &self.by_size {
            for (_, r) in self.shared_prefix(doc) {
                starts[r as usize + 1] += 1;
            }
        }
        for i in 0..width {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut entries = vec![(0u32, 0u32); starts[width] as usize];
        for (k, &doc) in self.by_size.iter().enumerate() {
            for (pos, r) in self.shared_prefix(doc) {
                let slot = &mut fill[r as usize];
                entries[*slot as usize] = (k as u32, pos as u32);
                *slot += 1;
            }
        }
        (self.starts, self.entries) = (starts, entries);
    }

    /// Counts, in `counts`, the prefix elements that the `kx`-th set shares with each
    /// smaller one that may reach the threshold (listed in `touched`); a candidate the
    /// positional filter rules out is marked [`PRUNED`].
    fn count_candidates(&self, kx: usize, counts: &mut [u32], touched: &mut Vec<u32>) {
        let t = self.t;
        let x = &self.ranked.sets[self.by_size[kx] as usize];
        let lx = x.len();
        let min_size = (t * lx as f64 - 1e-9).ceil() as usize;
        let first = self.sizes.partition_point(|&s| s < min_size) as u32;
        for (i, r) in self.shared_prefix(self.by_size[kx]) {
            let r = r as usize;
            let list = &self.entries[self.starts[r] as usize..self.starts[r + 1] as usize];
            let from = list.partition_point(|&(k, _)| k < first);
            for &(ky, j) in &list[from..] {
                if ky as usize >= kx {
                    break;
                }
                let c = &mut counts[ky as usize];
                if *c == PRUNED {
                    continue;
                }
                if *c == 0 {
                    touched.push(ky);
                }
                // PPJoin's positional filter: the overlap cannot exceed what is seen plus
                // what is left of the shorter remainder.
                let ly = self.sizes[ky as usize];
                let alpha = (t / (1.0 + t) * (lx + ly) as f64 - 1e-9).ceil() as usize;
                let bound = *c as usize + 1 + (lx - i - 1).min(ly - j as usize - 1);
                *c = if bound >= alpha { *c + 1 } else { PRUNED };
            }
        }
    }

    /// The candidates of the `kx`-th set that pass the threshold by exact overlap, as
    /// `(a, b, jaccard)` with `a < b`; `counts` and `touched` are left cleared.
    fn verify(
        &self,
        kx: usize,
        counts: &mut [u32],
        touched: &mut Vec<u32>,
    ) -> Vec<(u32, u32, f64)> {
        let x = &self.ranked.sets[self.by_size[kx] as usize];
        let mut found = Vec::new();
        for ky in touched.drain(..) {
            let c = std::mem::take(&mut counts[ky as usize]);
            if c == PRUNED {
                continue;
            }
            let y = &self.ranked.sets[self.by_size[ky as usize] as usize];
            let o = overlap(x, y);
            if passes(o, x.len(), y.len(), self.t) {
                let (a, b) = (self.by_size[kx], self.by_size[ky as usize]);
                let j = o as f64 / (x.len() + y.len() - o) as f64;
                found.push((a.min(b), a.max(b), j));
            }
        }
        found
    }
}

/// Sets rewritten as ranks in the global order (document frequency ascending, then hash),
/// each sorted.
struct RankedSets {
    sets: Vec<Vec<u32>>,
    distinct: usize,
    /// Ranks below this belong to shingles of a single document, which cannot be shared.
    first_shared_rank: u32,
}

impl RankedSets {
    fn new(sets: &[Vec<u64>]) -> RankedSets {
        let mut occurrences: Vec<(u64, u32)> = sets
            .par_iter()
            .enumerate()
            .flat_map_iter(|(d, s)| s.iter().map(move |&h| (h, d as u32)))
            .collect();
        occurrences.par_sort_unstable();
        // One run per distinct shingle: (document frequency, hash, start of its run).
        let mut runs: Vec<(u32, u64, u32)> = Vec::new();
        for (start, run) in occurrences
            .chunk_by(|a, b| a.0 == b.0)
            .scan(0u32, |at, run| {
                let s = *at;
                *at += run.len() as u32;
                Some((s, run))
            })
        {
            runs.push((run.len() as u32, run[0].0, start));
        }
        runs.par_sort_unstable();
        let first_shared_rank = runs.partition_point(|r| r.0 < 2) as u32;
        let mut ranked: Vec<Vec<u32>> = sets.iter().map(|s| Vec::with_capacity(s.len())).collect();
        // Emitting ranks in increasing order leaves every set sorted.
        for (rank, &(df, _, start)) in runs.iter().enumerate() {
            for &(_, doc) in &occurrences[start as usize..(start + df) as usize] {
                ranked[doc as usize].push(rank as u32);
            }
        }
        RankedSets {
            sets: ranked,
            distinct: runs.len(),
            first_shared_rank,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::verify::jaccard;

    fn brute_force(sets: &[Vec<u64>], t: f64) -> Vec<(u32, u32, f64)> {
        let mut out = Vec::new();
        for a in 0..sets.len() {
            for b in a + 1..sets.len() {
                if sets[a].is_empty() || sets[b].is_empty() {
                    continue;
                }
                let j = jaccard(&sets[a], &sets[b]);
                if j >= t {
                    out.push((a as u32, b as u32, j));
                }
            }
        }
        out
    }

    #[test]
    fn equals_brute_force_on_random_families() {
        let mut rng = 5u64;
        let mut next = |m: u64| {
            rng = crate::minhash::signature::splitmix64(rng);
            rng % m
        };
        for round in 0..30 {
            // Small universes make many overlapping sets.
            let universe = 20 + next(60);
            let sets: Vec<Vec<u64>> = (0..40)
                .map(|_| {
                    let mut s: Vec<u64> = (0..next(25)).map(|_| next(universe)).collect();
                    s.sort_unstable();
                    s.dedup();
                    s
                })
                .collect();
            for t in [0.2, 0.5, 0.8, 1.0] {
                assert_eq!(
                    exact_join(&sets, t),
                    brute_force(&sets, t),
                    "round {round}, t {t}"
                );
            }
        }
    }
}
