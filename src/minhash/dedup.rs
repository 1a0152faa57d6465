//! Near-duplicate detection end to end: shingle sets → signatures → LSH candidates →
//! verification → groups.

use super::join::exact_join;
use super::lsh::{candidates, shared_bands, LshParams};
use super::verify::{jaccard, overlap, passes};
use super::UnionFind;
use super::{MinHashParams, Signatures};
use crate::corpus::Document;
use crate::error::{ensure, ensure_within, Result};
use crate::progress::{NoObserver, PipelineObserver, Stage, StageClock};
use crate::text::{shingle_set, AnalyzedCorpus};
use rayon::prelude::*;
use serde::Serialize;

/// How candidate pairs are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[non_exhaustive]
pub enum Verify {
    /// Exact Jaccard of the shingle sets: no false positives.
    Exact,
    /// The signature estimate (faster, approximate).
    Estimate,
}

/// Options of near-duplicate detection.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DedupOptions {
    /// Pairs with Jaccard at or above this are near-duplicates.
    pub threshold: f64,
    /// Words per shingle.
    pub ngram: usize,
    /// Signature scheme, length and seed.
    pub minhash: MinHashParams,
    /// Bands and rows; chosen for the threshold when `None`.
    pub lsh: Option<LshParams>,
    /// How candidates are verified.
    pub verify: Verify,
    /// Buckets larger than this link to their first member only.
    pub bucket_cap: usize,
    /// Skip MinHash and LSH: find every pair by the exact join.
    pub exact: bool,
}

impl Default for DedupOptions {
    fn default() -> Self {
        DedupOptions {
            threshold: 0.8,
            ngram: 3,
            minhash: MinHashParams::default(),
            lsh: None,
            verify: Verify::Exact,
            bucket_cap: 1000,
            exact: false,
        }
    }
}

impl DedupOptions {
    /// Checks that the options can work together: thresholds in range, bands × rows within
    /// the signature, and no MinHash option given to the exact join, which would ignore it.
    pub fn check(&self) -> Result<()> {
        ensure(self.threshold > 0.0, "dedup.threshold", || {
            format!(
                "{} must be above 0 (0 would pair every document)",
                self.threshold
            )
        })?;
        ensure_within("dedup.threshold", self.threshold, 0.0, 1.0)?;
        ensure(self.ngram >= 1, "dedup.ngram", || {
            "a shingle needs at least one word".into()
        })?;
        let perms = self.minhash.num_perm;
        ensure(perms >= 1, "dedup.minhash.num_perm", || {
            "must be at least 1".into()
        })?;
        ensure(self.bucket_cap >= 2, "dedup.bucket_cap", || {
            format!("{} cannot hold a pair; use 2 or more", self.bucket_cap)
        })?;
        if let Some(lsh) = self.lsh {
            ensure(lsh.bands >= 1 && lsh.rows >= 1, "dedup.lsh", || {
                "bands and rows must be at least 1".into()
            })?;
            ensure(
                lsh.bands.saturating_mul(lsh.rows) <= perms,
                "dedup.lsh",
                || {
                    format!(
                        "{} bands × {} rows need {} signature slots but num_perm is {perms}; \
                     lower them or raise num_perm",
                        lsh.bands,
                        lsh.rows,
                        lsh.bands.saturating_mul(lsh.rows)
                    )
                },
            )?;
        }
        if self.exact {
            ensure(self.lsh.is_none(), "dedup.lsh", || {
                "the exact join finds every pair without LSH; drop bands and rows".into()
            })?;
            ensure(self.verify == Verify::Exact, "dedup.verify", || {
                "the exact join verifies exactly; an estimate has no signatures to use".into()
            })?;
        }
        Ok(())
    }

    /// The bands and rows in force.
    pub fn lsh_params(&self) -> LshParams {
        self.lsh.unwrap_or_else(|| {
            LshParams::optimal(
                self.threshold,
                self.minhash.num_perm,
                LshParams::RECALL_WEIGHTS,
            )
        })
    }
}

/// Each document's set of shingle hashes (sorted, no repeats), boilerplate excluded.
#[derive(Debug, Clone, Default)]
pub struct ShingleSets {
    /// One per document, corpus order.
    pub sets: Vec<Vec<u64>>,
}

impl ShingleSets {
    /// The shingles of every analysed document.
    pub fn from_analysis(analyzed: &AnalyzedCorpus, ngram: usize) -> ShingleSets {
        ShingleSets {
            sets: analyzed
                .documents
                .par_iter()
                .map(|a| shingle_set(&a.tokens, ngram))
                .collect(),
        }
    }

    /// Like [`ShingleSets::from_analysis`], but takes each document's tokens out of the
    /// analysis, freeing them as it goes: a document's tokens and shingles are about the same
    /// size, so holding both for a whole corpus would double what this stage needs.
    pub fn take_from_analysis(analyzed: &mut AnalyzedCorpus, ngram: usize) -> ShingleSets {
        ShingleSets {
            sets: analyzed
                .documents
                .par_iter_mut()
                .map(|a| shingle_set(&std::mem::take(&mut a.tokens), ngram))
                .collect(),
        }
    }
}

/// A verified near-duplicate pair (document indices, `a < b`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SimilarPair {
    /// First document (index in the corpus).
    pub a: u32,
    /// Second document.
    pub b: u32,
    /// Exact Jaccard of their shingle sets (the estimate with `--verify estimate`).
    pub jaccard: f64,
}

/// A group of near-duplicates.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DuplicateGroup {
    /// The document that stands for the group: earliest date, then longest text, then
    /// smallest id.
    pub canonical: u32,
    /// The other members with their exact Jaccard to the canonical document, by id.
    pub members: Vec<(u32, f64)>,
}

/// The groups, ordered by their canonical document's id.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct DuplicateGroups {
    /// The groups.
    pub groups: Vec<DuplicateGroup>,
}

impl DuplicateGroups {
    /// Documents in some group.
    pub fn documents(&self) -> usize {
        self.groups.iter().map(|g| g.members.len() + 1).sum()
    }
}

/// Everything near-duplicate detection found.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Dedup {
    /// Shingle sets.
    pub shingles: ShingleSets,
    /// Signatures (absent with `exact`).
    pub signatures: Option<Signatures>,
    /// Bands and rows used (absent with `exact`).
    pub lsh: Option<LshParams>,
    /// Candidate pairs checked.
    pub candidates: usize,
    /// Buckets that were capped.
    pub capped_buckets: usize,
    /// Verified pairs, sorted by (a, b) index.
    pub pairs: Vec<SimilarPair>,
    /// Groups.
    pub groups: DuplicateGroups,
    /// Each document's rank by id ([`id_order`]), which later stages reuse.
    pub order: Vec<u32>,
}

/// Ranks of documents by id: the order that makes results independent of input order.
pub fn id_order(documents: &[Document]) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..documents.len() as u32).collect();
    idx.par_sort_unstable_by(|&a, &b| documents[a as usize].id.cmp(&documents[b as usize].id));
    let mut rank = vec![0u32; documents.len()];
    for (r, &i) in idx.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    rank
}

/// Finds near-duplicates among analysed documents.
pub fn find_duplicates(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    options: &DedupOptions,
) -> Dedup {
    duplicates_of_shingles(
        documents,
        |ngram| ShingleSets::from_analysis(analyzed, ngram),
        options,
        &NoObserver,
    )
}

/// [`find_duplicates`], taking the token lists out of `analyzed` (see
/// [`ShingleSets::take_from_analysis`]); for callers that need no tokens afterwards. Each
/// stage is reported to `observer`.
pub fn find_duplicates_taking_tokens(
    documents: &[Document],
    analyzed: &mut AnalyzedCorpus,
    options: &DedupOptions,
    observer: &dyn PipelineObserver,
) -> Dedup {
    duplicates_of_shingles(
        documents,
        |ngram| ShingleSets::take_from_analysis(analyzed, ngram),
        options,
        observer,
    )
}

/// Verified pairs with the figures of how they were found.
struct Found {
    pairs: Vec<SimilarPair>,
    signatures: Option<Signatures>,
    lsh: Option<LshParams>,
    candidates: usize,
    capped_buckets: usize,
}

fn duplicates_of_shingles(
    documents: &[Document],
    shingle: impl FnOnce(usize) -> ShingleSets,
    options: &DedupOptions,
    observer: &dyn PipelineObserver,
) -> Dedup {
    let n = Some(documents.len() as u64);
    let clock = StageClock::start(observer, Stage::Shingles, n);
    let shingles = shingle(options.ngram);
    clock.advance(documents.len() as u64);
    clock.finish();
    let order = id_order(documents);
    let found = if options.exact {
        let clock = StageClock::start(observer, Stage::ExactJoin, None);
        let pairs: Vec<SimilarPair> = exact_join(&shingles.sets, options.threshold)
            .into_iter()
            .map(|(a, b, jaccard)| SimilarPair { a, b, jaccard })
            .collect();
        clock.finish();
        Found {
            pairs,
            signatures: None,
            lsh: None,
            candidates: 0,
            capped_buckets: 0,
        }
    } else {
        by_minhash(&shingles, &order, options, observer)
    };
    let clock = StageClock::start(observer, Stage::Groups, None);
    let groups = group(documents, &shingles, &found.pairs, &order);
    clock.finish();
    Dedup {
        shingles,
        signatures: found.signatures,
        lsh: found.lsh,
        candidates: found.candidates,
        capped_buckets: found.capped_buckets,
        pairs: found.pairs,
        groups,
        order,
    }
}

/// Candidate pairs per progress report.
const PAIR_BATCH: usize = 4096;

/// Signatures, LSH candidates, and the candidates that pass verification.
fn by_minhash(
    shingles: &ShingleSets,
    order: &[u32],
    options: &DedupOptions,
    observer: &dyn PipelineObserver,
) -> Found {
    let sets = &shingles.sets;
    let clock = StageClock::start(observer, Stage::Minhash, Some(sets.len() as u64));
    let signatures = Signatures::compute_reporting(sets, options.minhash, |n| clock.advance(n));
    clock.finish();
    let clock = StageClock::start(observer, Stage::Lsh, None);
    let params = options.lsh_params();
    let include: Vec<bool> = sets.iter().map(|s| !s.is_empty()).collect();
    let found = candidates(&signatures, params, &include, order, options.bucket_cap);
    clock.finish();
    let clock = StageClock::start(observer, Stage::Verify, Some(found.pairs.len() as u64));
    let verify = |&(a, b): &(u32, u32)| {
        let (x, y) = (&sets[a as usize], &sets[b as usize]);
        let jaccard = match options.verify {
            Verify::Exact => {
                let o = overlap(x, y);
                if !passes(o, x.len(), y.len(), options.threshold) {
                    return None;
                }
                o as f64 / (x.len() + y.len() - o) as f64
            }
            Verify::Estimate => {
                let e = signatures.estimate(a as usize, b as usize);
                if e < options.threshold {
                    return None;
                }
                e
            }
        };
        Some(SimilarPair { a, b, jaccard })
    };
    let pairs: Vec<SimilarPair> = found
        .pairs
        .par_chunks(PAIR_BATCH)
        .flat_map_iter(|chunk| {
            let kept: Vec<SimilarPair> = chunk.iter().filter_map(verify).collect();
            clock.advance(chunk.len() as u64);
            kept
        })
        .collect();
    clock.finish();
    Found {
        pairs,
        signatures: Some(signatures),
        lsh: Some(params),
        candidates: found.pairs.len(),
        capped_buckets: found.capped_buckets,
    }
}

/// Union-find over verified pairs; canonical documents and Jaccard to them.
fn group(
    documents: &[Document],
    shingles: &ShingleSets,
    pairs: &[SimilarPair],
    order: &[u32],
) -> DuplicateGroups {
    let mut uf = UnionFind::new(documents.len());
    for p in pairs {
        uf.union(p.a, p.b);
    }
    let mut groups: Vec<DuplicateGroup> = uf
        .groups()
        .into_par_iter()
        .map(|members| {
            let canonical = *members
                .iter()
                .min_by(|&&x, &&y| {
                    let (dx, dy) = (&documents[x as usize], &documents[y as usize]);
                    // Earliest date first; undated last.
                    let date = |d: &Document| (d.date.is_none(), d.date);
                    date(dx)
                        .cmp(&date(dy))
                        .then(dy.text_len().cmp(&dx.text_len()))
                        .then(order[x as usize].cmp(&order[y as usize]))
                })
                .expect("groups are not empty");
            let c = &shingles.sets[canonical as usize];
            let mut rest: Vec<(u32, f64)> = members
                .iter()
                .filter(|&&m| m != canonical)
                .map(|&m| (m, jaccard(c, &shingles.sets[m as usize])))
                .collect();
            rest.sort_by_key(|&(m, _)| order[m as usize]);
            DuplicateGroup {
                canonical,
                members: rest,
            }
        })
        .collect();
    groups.sort_by_key(|g| order[g.canonical as usize]);
    DuplicateGroups { groups }
}

/// Why two documents match.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Explanation {
    /// Exact Jaccard of the shingle sets.
    pub exact_jaccard: f64,
    /// The signature estimate (absent with `--exact`).
    pub estimated_jaccard: Option<f64>,
    /// Bands in which the signatures agree (absent with `--exact`).
    pub shared_bands: Option<Vec<usize>>,
    /// Shingles of each and shared.
    pub shingles: (usize, usize, usize),
}

/// Compares two documents (indices) of a run.
pub fn explain(dedup: &Dedup, a: usize, b: usize) -> Explanation {
    let (x, y) = (&dedup.shingles.sets[a], &dedup.shingles.sets[b]);
    Explanation {
        exact_jaccard: jaccard(x, y),
        estimated_jaccard: dedup.signatures.as_ref().map(|s| s.estimate(a, b)),
        shared_bands: match (&dedup.signatures, dedup.lsh) {
            (Some(s), Some(p)) => Some(shared_bands(s, p, a, b)),
            _ => None,
        },
        shingles: (x.len(), y.len(), overlap(x, y)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid_field(options: &DedupOptions) -> Option<&'static str> {
        match options.check() {
            Err(crate::error::Error::InvalidOption { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn check_accepts_the_defaults_and_names_the_field_that_cannot_work() {
        let d = DedupOptions::default();
        assert_eq!(invalid_field(&d), None);
        let wide = DedupOptions {
            lsh: Some(LshParams {
                bands: 20,
                rows: 10,
            }),
            ..d.clone()
        };
        assert_eq!(invalid_field(&wide), Some("dedup.lsh"));
        let fits = DedupOptions {
            lsh: Some(LshParams { bands: 16, rows: 8 }),
            ..d.clone()
        };
        assert_eq!(invalid_field(&fits), None);
        let exact_with_bands = DedupOptions {
            exact: true,
            ..fits
        };
        assert_eq!(invalid_field(&exact_with_bands), Some("dedup.lsh"));
        let exact_estimate = DedupOptions {
            exact: true,
            verify: Verify::Estimate,
            ..d.clone()
        };
        assert_eq!(invalid_field(&exact_estimate), Some("dedup.verify"));
        for t in [0.0, 1.5, f64::NAN] {
            let bad = DedupOptions {
                threshold: t,
                ..d.clone()
            };
            assert_eq!(invalid_field(&bad), Some("dedup.threshold"), "{t}");
        }
        let no_words = DedupOptions { ngram: 0, ..d };
        assert_eq!(invalid_field(&no_words), Some("dedup.ngram"));
    }
}
