//! Near-duplicate detection end to end: shingle sets → signatures → LSH candidates →
//! verification → groups.

use super::join::exact_join;
use super::lsh::{candidates, shared_bands, LshParams};
use super::verify::{jaccard, overlap, passes};
use super::UnionFind;
use super::{MinHashParams, Signatures};
use crate::corpus::Document;
use crate::error::{ensure, ensure_same, ensure_within, Error, Result};
use crate::progress::{NoObserver, PipelineObserver, Stage, StageClock};
use crate::text::{shingle_set, AnalyzedCorpus};
use rayon::prelude::*;
use serde::Serialize;

/// How candidate pairs are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[non_exhaustive]
pub enum Verify {
    /// Exact Jaccard of the shingle sets: no false positives.
    Exact,
    /// The signature estimate (faster, approximate).
    Estimate,
}

impl Verify {
    /// The name in outputs and on the command line: `exact`, `estimate`.
    pub fn name(self) -> &'static str {
        match self {
            Verify::Exact => "exact",
            Verify::Estimate => "estimate",
        }
    }
}

/// How candidate pairs are found: MinHash signatures and LSH bands, or an exhaustive exact
/// join. The options that only MinHash and LSH use live in their variant, so the join cannot
/// be given one it would ignore.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Method {
    /// Signatures, LSH candidates, then verification of each candidate.
    MinHashLsh {
        /// Signature scheme, length and seed.
        minhash: MinHashParams,
        /// Bands and rows; chosen for the threshold when `None`.
        lsh: Option<LshParams>,
        /// How candidates are verified.
        verify: Verify,
        /// Buckets larger than this link to their first member only.
        bucket_cap: usize,
    },
    /// Every pair above the threshold by an exhaustive exact join (no signatures).
    ExactJoin,
}

impl Default for Method {
    /// MinHash + LSH with the default signature, bands and rows chosen for the threshold,
    /// exact verification, and buckets capped at 1000.
    fn default() -> Self {
        Method::MinHashLsh {
            minhash: MinHashParams::default(),
            lsh: None,
            verify: Verify::Exact,
            bucket_cap: 1000,
        }
    }
}

impl Method {
    /// The signature parameters (`None` for the exact join).
    pub fn minhash(&self) -> Option<MinHashParams> {
        match self {
            Method::MinHashLsh { minhash, .. } => Some(*minhash),
            Method::ExactJoin => None,
        }
    }

    /// How pairs are verified: the exact join is exact.
    pub fn verify(&self) -> Verify {
        match self {
            Method::MinHashLsh { verify, .. } => *verify,
            Method::ExactJoin => Verify::Exact,
        }
    }
}

/// Options of near-duplicate detection.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DedupOptions {
    /// Pairs with Jaccard at or above this are near-duplicates.
    pub threshold: f64,
    /// Words per shingle.
    pub ngram: usize,
    /// How candidate pairs are found and verified.
    pub method: Method,
}

impl Default for DedupOptions {
    fn default() -> Self {
        DedupOptions {
            threshold: 0.8,
            ngram: 3,
            method: Method::default(),
        }
    }
}

impl DedupOptions {
    /// The longest shingle: longer ones are whole sentences, which one changed word breaks,
    /// so that near-duplicates would no longer be found.
    pub const MAX_NGRAM: usize = 32;

    /// Checks that the options can work together: thresholds in range, shingles of 1 to
    /// [`DedupOptions::MAX_NGRAM`] words, and for MinHash a signature of at least one slot,
    /// bands × rows within it, and buckets that hold a pair.
    pub fn check(&self) -> Result<()> {
        ensure_within("dedup.threshold", self.threshold, 0.0, 1.0)?;
        ensure(self.threshold > 0.0, "dedup.threshold", || {
            format!(
                "{} must be above 0 (0 would pair every document)",
                self.threshold
            )
        })?;
        ensure(
            (1..=Self::MAX_NGRAM).contains(&self.ngram),
            "dedup.ngram",
            || {
                format!(
                    "{} is not in 1..={}: a shingle needs a word, and a longer one is broken by \
                     any edit",
                    self.ngram,
                    Self::MAX_NGRAM
                )
            },
        )?;
        match &self.method {
            Method::MinHashLsh {
                minhash,
                lsh,
                bucket_cap,
                ..
            } => check_minhash_lsh(minhash, *lsh, *bucket_cap),
            Method::ExactJoin => Ok(()),
        }
    }

    /// The bands and rows in force (`None` for the exact join).
    pub fn lsh_params(&self) -> Option<LshParams> {
        match &self.method {
            Method::MinHashLsh { minhash, lsh, .. } => Some(lsh.unwrap_or_else(|| {
                LshParams::optimal(self.threshold, minhash.num_perm, LshParams::RECALL_WEIGHTS)
            })),
            Method::ExactJoin => None,
        }
    }
}

/// The checks of [`Method::MinHashLsh`]'s options.
fn check_minhash_lsh(
    minhash: &MinHashParams,
    lsh: Option<LshParams>,
    bucket_cap: usize,
) -> Result<()> {
    minhash.check()?;
    ensure(bucket_cap >= 2, "dedup.bucket_cap", || {
        format!("{bucket_cap} cannot hold a pair; use 2 or more")
    })?;
    lsh.map_or(Ok(()), |lsh| lsh.check(minhash.num_perm))
}

/// Each document's set of shingle hashes (sorted, no repeats), boilerplate excluded. The
/// sets are private so that they stay sorted without repeats, which [`jaccard`] and
/// [`exact_join`] rely on: [`ShingleSets::new`] checks sets made elsewhere.
///
/// ```compile_fail
/// // A set out of order cannot be slipped in past the check.
/// let sets = storyclust::minhash::ShingleSets { sets: vec![vec![2, 1]] };
/// ```
#[derive(Debug, Clone, Default)]
pub struct ShingleSets {
    /// One per document, corpus order.
    sets: Vec<Vec<u64>>,
}

impl ShingleSets {
    /// Shingle sets made elsewhere, one per document; each must be sorted without repeats
    /// (else [`crate::Error::InvalidOption`] names the first set that is not).
    pub fn new(sets: Vec<Vec<u64>>) -> Result<ShingleSets> {
        let unsorted = sets.iter().position(|s| s.windows(2).any(|w| w[0] >= w[1]));
        ensure(unsorted.is_none(), "shingle_sets", || {
            format!(
                "set {} is not sorted without repeats; sort and deduplicate it first",
                unsorted.unwrap_or_default()
            )
        })?;
        Ok(ShingleSets { sets })
    }

    /// The sets, one per document in corpus order (empty once a run released them).
    pub fn sets(&self) -> &[Vec<u64>] {
        &self.sets
    }

    /// The sets, taken out.
    pub fn into_sets(self) -> Vec<Vec<u64>> {
        self.sets
    }

    /// Frees the sets (what [`crate::pipeline::run_stories`] does once they served).
    pub(crate) fn release(&mut self) {
        self.sets = Vec::new();
    }

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

/// Checks that the outputs of earlier stages were made from `documents`: the analysis has a
/// document for each, and so do the near-duplicates when given. Every stage that takes
/// documents with their analysis (near-duplicates, the story model, summaries, the outputs)
/// asks this first, so that outputs of another corpus give [`crate::Error::Mismatch`]
/// rather than a panic or a wrong answer.
pub fn check_inputs(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    dedup: Option<&Dedup>,
) -> Result<()> {
    let n = documents.len();
    ensure_same("the analysis", n, analyzed.documents.len())?;
    dedup.map_or(Ok(()), |d| {
        ensure_same("the near-duplicates", n, d.order.len())
    })
}

impl Dedup {
    /// Document `i`'s shingle set. [`crate::pipeline::run_stories`] releases the sets once
    /// the near-duplicates are found ([`Error::Unavailable`]: use what [`find_duplicates`]
    /// returns); an index past the corpus is [`Error::NoSuchDocument`].
    pub fn shingle_set(&self, i: usize) -> Result<&[u64]> {
        let documents = self.order.len();
        if self.shingles.sets.len() != documents {
            return Err(Error::Unavailable {
                what: "shingle sets",
                why: "were released by run_stories once the near-duplicates were found; use \
                      the near-duplicates that find_duplicates returns"
                    .into(),
            });
        }
        match self.shingles.sets.get(i) {
            Some(set) => Ok(set),
            None => Err(Error::NoSuchDocument {
                index: i,
                documents,
            }),
        }
    }
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

/// Finds near-duplicates among analysed documents, after checking the options
/// ([`DedupOptions::check`]: an [`crate::Error::InvalidOption`] names the one at fault).
///
/// ```
/// use storyclust::corpus::Document;
/// use storyclust::minhash::{find_duplicates, DedupOptions};
/// use storyclust::text::{analyze, AnalysisOptions};
///
/// let wire = "The river burst its banks overnight and flooded the old town of Ayr. \
///             Rescue teams moved two hundred families to the school on the hill.";
/// let docs = [
///     Document::new("wire", wire),
///     Document::new("copy", format!("{wire} Reporting by our staff.")),
///     Document::new("rates", "The central bank raised interest rates by half a point."),
/// ];
/// let analyzed = analyze(&docs, &AnalysisOptions::default())?;
/// let found = find_duplicates(&docs, &analyzed, &DedupOptions::default())?;
/// assert_eq!((found.pairs.len(), found.groups.groups.len()), (1, 1));
/// let group = &found.groups.groups[0];
/// assert_eq!(docs[group.canonical as usize].id, "copy"); // no dates: the longer text
/// assert!(group.members[0].1 >= 0.8); // the copy's Jaccard
/// # Ok::<(), storyclust::Error>(())
/// ```
pub fn find_duplicates(
    documents: &[Document],
    analyzed: &AnalyzedCorpus,
    options: &DedupOptions,
) -> Result<Dedup> {
    options.check()?;
    check_inputs(documents, analyzed, None)?;
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
) -> Result<Dedup> {
    options.check()?;
    check_inputs(documents, analyzed, None)?;
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
) -> Result<Dedup> {
    let n = Some(documents.len() as u64);
    let clock = StageClock::start(observer, Stage::Shingles, n);
    let shingles = shingle(options.ngram);
    clock.advance(documents.len() as u64);
    clock.finish();
    let order = id_order(documents);
    let found = if let Method::MinHashLsh {
        minhash,
        verify,
        bucket_cap,
        ..
    } = options.method
    {
        let params = options.lsh_params().expect("MinHash has bands and rows");
        let lsh = MinHashLsh {
            minhash,
            params,
            verify,
            bucket_cap,
        };
        by_minhash(&shingles, &order, options.threshold, lsh, observer)?
    } else {
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
    };
    let clock = StageClock::start(observer, Stage::Groups, None);
    let groups = group(documents, &shingles, &found.pairs, &order);
    clock.finish();
    Ok(Dedup {
        shingles,
        signatures: found.signatures,
        lsh: found.lsh,
        candidates: found.candidates,
        capped_buckets: found.capped_buckets,
        pairs: found.pairs,
        groups,
        order,
    })
}

/// Candidate pairs per progress report.
const PAIR_BATCH: usize = 4096;

/// [`Method::MinHashLsh`] with its bands and rows settled.
#[derive(Clone, Copy)]
struct MinHashLsh {
    minhash: MinHashParams,
    params: LshParams,
    verify: Verify,
    bucket_cap: usize,
}

/// Signatures, LSH candidates, and the candidates that pass verification.
fn by_minhash(
    shingles: &ShingleSets,
    order: &[u32],
    threshold: f64,
    lsh: MinHashLsh,
    observer: &dyn PipelineObserver,
) -> Result<Found> {
    let sets = &shingles.sets;
    let clock = StageClock::start(observer, Stage::Minhash, Some(sets.len() as u64));
    let signatures = Signatures::compute_reporting(sets, lsh.minhash, |n| clock.advance(n))?;
    clock.finish();
    let clock = StageClock::start(observer, Stage::Lsh, None);
    let params = lsh.params;
    let include: Vec<bool> = sets.iter().map(|s| !s.is_empty()).collect();
    let found = candidates(&signatures, params, &include, order, lsh.bucket_cap)?;
    clock.finish();
    let clock = StageClock::start(observer, Stage::Verify, Some(found.pairs.len() as u64));
    let verify = |&(a, b): &(u32, u32)| {
        let (x, y) = (&sets[a as usize], &sets[b as usize]);
        let jaccard = match lsh.verify {
            Verify::Exact => {
                let o = overlap(x, y);
                if !passes(o, x.len(), y.len(), threshold) {
                    return None;
                }
                o as f64 / (x.len() + y.len() - o) as f64
            }
            Verify::Estimate => {
                let e = signatures.estimate(a as usize, b as usize);
                if e < threshold {
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
    Ok(Found {
        pairs,
        signatures: Some(signatures),
        lsh: Some(params),
        candidates: found.pairs.len(),
        capped_buckets: found.capped_buckets,
    })
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

/// Compares two documents (indices) of a run. It needs the shingle sets, which
/// [`crate::pipeline::run_stories`] releases once the near-duplicates are found: explain
/// what [`find_duplicates`] returned, not a story run's near-duplicates (else
/// [`Error::Unavailable`]). An index past the corpus is [`Error::NoSuchDocument`].
///
/// ```
/// use storyclust::corpus::Document;
/// use storyclust::minhash::{explain, find_duplicates, DedupOptions};
/// use storyclust::text::{analyze, AnalysisOptions};
///
/// let wire = "The river burst its banks overnight and flooded the old town of Ayr.";
/// let docs = [Document::new("wire", wire), Document::new("copy", wire)];
/// let analyzed = analyze(&docs, &AnalysisOptions::default())?;
/// let found = find_duplicates(&docs, &analyzed, &DedupOptions::default())?;
/// assert_eq!(explain(&found, 0, 1)?.exact_jaccard, 1.0);
/// assert!(explain(&found, 0, 2).is_err()); // there is no third document
/// # Ok::<(), storyclust::Error>(())
/// ```
pub fn explain(dedup: &Dedup, a: usize, b: usize) -> Result<Explanation> {
    let (x, y) = (dedup.shingle_set(a)?, dedup.shingle_set(b)?);
    let shared_bands = match (&dedup.signatures, dedup.lsh) {
        (Some(s), Some(p)) => Some(shared_bands(s, p, a, b)?),
        _ => None,
    };
    Ok(Explanation {
        exact_jaccard: jaccard(x, y),
        estimated_jaccard: dedup.signatures.as_ref().map(|s| s.estimate(a, b)),
        shared_bands,
        shingles: (x.len(), y.len(), overlap(x, y)),
    })
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

    /// MinHash + LSH with these bands and rows, the rest default.
    fn with_lsh(bands: usize, rows: usize) -> DedupOptions {
        let mut options = DedupOptions::default();
        if let Method::MinHashLsh { lsh, .. } = &mut options.method {
            *lsh = Some(LshParams { bands, rows });
        }
        options
    }

    #[test]
    fn check_accepts_the_defaults_and_names_the_field_that_cannot_work() {
        let d = DedupOptions::default();
        assert_eq!(invalid_field(&d), None);
        assert_eq!(invalid_field(&with_lsh(20, 10)), Some("dedup.lsh"));
        assert_eq!(invalid_field(&with_lsh(16, 8)), None);
        assert_eq!(invalid_field(&with_lsh(0, 8)), Some("dedup.lsh"));
        let mut tiny_buckets = d.clone();
        if let Method::MinHashLsh { bucket_cap, .. } = &mut tiny_buckets.method {
            *bucket_cap = 1;
        }
        assert_eq!(invalid_field(&tiny_buckets), Some("dedup.bucket_cap"));
        let mut no_slots = d.clone();
        if let Method::MinHashLsh { minhash, .. } = &mut no_slots.method {
            minhash.num_perm = 0;
        }
        assert_eq!(invalid_field(&no_slots), Some("dedup.minhash.num_perm"));
        let exact = DedupOptions {
            method: Method::ExactJoin,
            ..d.clone()
        };
        assert_eq!(invalid_field(&exact), None);
        assert_eq!(exact.lsh_params(), None);
        assert_eq!(exact.method.verify(), Verify::Exact);
        for t in [0.0, 1.5, f64::NAN] {
            let bad = DedupOptions {
                threshold: t,
                ..d.clone()
            };
            assert_eq!(invalid_field(&bad), Some("dedup.threshold"), "{t}");
            let bad_exact = DedupOptions {
                threshold: t,
                ..exact.clone()
            };
            assert_eq!(invalid_field(&bad_exact), Some("dedup.threshold"), "{t}");
        }
        let no_words = DedupOptions {
            ngram: 0,
            ..d.clone()
        };
        assert_eq!(invalid_field(&no_words), Some("dedup.ngram"));
        let longest = DedupOptions {
            ngram: DedupOptions::MAX_NGRAM,
            ..d.clone()
        };
        assert_eq!(invalid_field(&longest), None);
        let too_long = DedupOptions {
            ngram: DedupOptions::MAX_NGRAM + 1,
            ..d
        };
        assert_eq!(invalid_field(&too_long), Some("dedup.ngram"));
    }
}
