//! Vocabulary and weights.

use crate::error::{ensure, ensure_within, Result};
use crate::text::{is_bigram, AnalyzedCorpus};
use ahash::AHashMap;
use rayon::prelude::*;
use serde::Serialize;

/// How terms are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct TfIdfOptions {
    /// Terms in fewer documents are dropped.
    pub min_df: usize,
    /// Terms in more than this fraction of the documents are dropped (not below
    /// `min_df_for_max` documents, so that tiny corpora keep their terms).
    pub max_df: f64,
    /// A title occurrence counts as this many occurrences.
    pub title_weight: f64,
    /// tf = 1 + ln(count) instead of the count.
    pub sublinear_tf: bool,
    /// Keep only a document's this many heaviest terms (its keywords), so that long and
    /// short articles are compared on the same footing; `None` keeps all.
    pub max_terms: Option<usize>,
    /// Each weight is raised to this power before normalisation. Below 1 it flattens a
    /// vector, so that a story is carried by many shared details rather than by one or two
    /// rare names that two different events of the same people also share.
    pub weight_power: f64,
    /// Bigrams count with this factor in the vectors (0: not at all). They stay in the
    /// vocabulary either way, for labels.
    pub bigram_weight: f64,
}

impl TfIdfOptions {
    /// Checks that every weight can work; [`TfIdf::fit`] and [`TfIdf::fit_documents`] refuse
    /// options that fail it.
    pub fn check(&self) -> Result<()> {
        ensure(self.min_df >= 1, "tfidf.min_df", || {
            "must be at least 1".into()
        })?;
        ensure(self.max_df > 0.0, "tfidf.max_df", || {
            "must be above 0".into()
        })?;
        ensure_within("tfidf.max_df", self.max_df, 0.0, 1.0)?;
        ensure_within("tfidf.title_weight", self.title_weight, 0.0, 100.0)?;
        ensure(self.max_terms != Some(0), "tfidf.max_terms", || {
            "0 keeps no term; use None to keep all".into()
        })?;
        ensure(self.weight_power > 0.0, "tfidf.weight_power", || {
            "must be above 0 (0 makes every weight equal)".into()
        })?;
        ensure_within("tfidf.weight_power", self.weight_power, 0.0, 4.0)?;
        ensure_within("tfidf.bigram_weight", self.bigram_weight, 0.0, 100.0)
    }
}

impl Default for TfIdfOptions {
    fn default() -> Self {
        TfIdfOptions {
            min_df: 1,
            max_df: 0.5,
            title_weight: 2.0,
            sublinear_tf: true,
            max_terms: None,
            weight_power: 1.0,
            bigram_weight: 1.0,
        }
    }
}

/// The terms kept, with their document frequencies and idf: three columns of one length,
/// the terms sorted (a term's id is its position). Made by [`TfIdf`] only.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Term hashes, sorted: a term's id is its position.
    pub(crate) terms: Vec<u64>,
    /// Document frequency of each term.
    pub(crate) df: Vec<u32>,
    /// Smoothed idf: ln((1 + n) / (1 + df)) + 1.
    pub(crate) idf: Vec<f32>,
}

impl Vocabulary {
    /// Term hashes, sorted: a term's id is its position.
    pub fn terms(&self) -> &[u64] {
        &self.terms
    }

    /// Document frequency of each term, by id.
    pub fn df(&self) -> &[u32] {
        &self.df
    }

    /// Smoothed idf of each term, by id: ln((1 + n) / (1 + df)) + 1.
    pub fn idf(&self) -> &[f32] {
        &self.idf
    }

    /// The id of a term hash, if the term is kept.
    pub fn id(&self, term: u64) -> Option<u32> {
        self.terms.binary_search(&term).ok().map(|i| i as u32)
    }

    /// An index for many [`Vocabulary::id`] lookups: one probe of a bucket table and a
    /// scan of a bucket of about one term, instead of a binary search whose last steps
    /// each miss the cache (a vocabulary is hundreds of thousands of terms).
    pub fn index(&self) -> TermIndex<'_> {
        TermIndex::new(&self.terms)
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// A sparse vector (L2-normalised when it is a document's): term ids strictly ascending, one
/// weight each. [`SparseVector::new`] checks both for vectors made outside the library.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVector {
    /// Term ids, ascending.
    pub(crate) ids: Vec<u32>,
    /// Weights, same order.
    pub(crate) weights: Vec<f32>,
}

impl SparseVector {
    /// A vector of `ids` (strictly ascending) with `weights` (one per id, finite).
    ///
    /// ```
    /// use storyclust::tfidf::SparseVector;
    ///
    /// let v = SparseVector::new(vec![1, 4], vec![0.6, 0.8])?;
    /// assert!((v.dot(&v) - 1.0).abs() < 1e-6);
    /// assert!(SparseVector::new(vec![4, 1], vec![0.6, 0.8]).is_err());
    /// # Ok::<(), storyclust::Error>(())
    /// ```
    pub fn new(ids: Vec<u32>, weights: Vec<f32>) -> Result<SparseVector> {
        ensure(ids.len() == weights.len(), "sparse_vector.weights", || {
            format!("{} ids but {} weights", ids.len(), weights.len())
        })?;
        ensure(
            ids.windows(2).all(|w| w[0] < w[1]),
            "sparse_vector.ids",
            || "ids must be strictly ascending".into(),
        )?;
        ensure(
            weights.iter().all(|w| w.is_finite()),
            "sparse_vector.weights",
            || "weights must be finite".into(),
        )?;
        Ok(SparseVector { ids, weights })
    }

    /// Term ids, strictly ascending.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// Weights, one per id, in the same order.
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// `(id, weight)` pairs, ids ascending.
    pub fn iter(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.ids.iter().copied().zip(self.weights.iter().copied())
    }

    /// Dot product (cosine, for normalised vectors).
    pub fn dot(&self, other: &SparseVector) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
        while i < self.ids.len() && j < other.ids.len() {
            match self.ids[i].cmp(&other.ids[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.weights[i] * other.weights[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }

    /// Whether the vector has no term.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Keeps the `k` heaviest terms (ties to the smaller id), ids still ascending.
    fn keep_heaviest(&mut self, k: usize) {
        if self.ids.len() > k {
            *self = self.heaviest(k);
        }
    }

    /// The `k` heaviest terms (ties to the smaller id), ids ascending: a document's
    /// keywords.
    pub fn heaviest(&self, k: usize) -> SparseVector {
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order
            .sort_unstable_by(|&a, &b| self.weights[b].total_cmp(&self.weights[a]).then(a.cmp(&b)));
        order.truncate(k);
        order.sort_unstable();
        SparseVector {
            ids: order.iter().map(|&i| self.ids[i]).collect(),
            weights: order.iter().map(|&i| self.weights[i]).collect(),
        }
    }

    fn normalize(&mut self) {
        let norm = self.weights.iter().map(|w| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for w in &mut self.weights {
                *w /= norm;
            }
        }
    }
}

/// Sorted term hashes bucketed by their top bits, for lookups by hash. Term hashes are
/// uniform, so a table of about one bucket per term leaves about one term per bucket.
#[derive(Debug, Clone)]
pub struct TermIndex<'v> {
    terms: &'v [u64],
    /// `starts[b]..starts[b + 1]` are the positions of the terms in bucket `b`.
    starts: Vec<u32>,
    shift: u32,
}

impl<'v> TermIndex<'v> {
    /// Indexes `terms`, which are sorted.
    fn new(terms: &'v [u64]) -> TermIndex<'v> {
        let bits = terms
            .len()
            .max(2)
            .next_power_of_two()
            .trailing_zeros()
            .min(24);
        let shift = 64 - bits;
        let mut starts = vec![0u32; (1usize << bits) + 1];
        for &t in terms {
            starts[(t >> shift) as usize + 1] += 1;
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        TermIndex {
            terms,
            starts,
            shift,
        }
    }

    /// The id (position) of a term hash, if the vocabulary has it.
    pub fn id(&self, term: u64) -> Option<u32> {
        let b = (term >> self.shift) as usize;
        let (from, to) = (self.starts[b] as usize, self.starts[b + 1] as usize);
        self.terms[from..to]
            .iter()
            .position(|&t| t == term)
            .map(|i| (from + i) as u32)
    }
}

/// The TF-IDF model of a corpus: its vocabulary and one vector per document.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TfIdf {
    /// The vocabulary.
    pub vocabulary: Vocabulary,
    /// One vector per document fitted, in the order given.
    pub vectors: Vec<SparseVector>,
    /// The documents the document frequencies count.
    pub documents: usize,
}

impl TfIdf {
    /// Builds the vocabulary (in parallel) and the vectors of every analysed document, once
    /// `options` pass [`TfIdfOptions::check`].
    ///
    /// ```
    /// use storyclust::corpus::Document;
    /// use storyclust::text::{analyze, AnalysisOptions};
    /// use storyclust::tfidf::{TfIdf, TfIdfOptions};
    ///
    /// let flood = "The river burst its banks and flooded the old town of Ayr overnight.";
    /// let docs = [
    ///     Document::new("a", flood),
    ///     Document::new("b", "Floodwater in the old town of Ayr fell as the river went down."),
    ///     Document::new("c", "The central bank raised interest rates by half a point."),
    /// ];
    /// let analyzed = analyze(&docs, &AnalysisOptions::default())?;
    /// let model = TfIdf::fit(&analyzed, &TfIdfOptions::default())?;
    /// assert_eq!(model.vectors.len(), 3);
    /// let (v, w) = (&model.vectors, |a: usize, b: usize| model.vectors[a].dot(&model.vectors[b]));
    /// assert!((v[0].dot(&v[0]) - 1.0).abs() < 1e-5); // unit length
    /// assert!(w(0, 1) > w(0, 2)); // the two floods are closer than flood and rates
    /// # Ok::<(), storyclust::Error>(())
    /// ```
    pub fn fit(analyzed: &AnalyzedCorpus, options: &TfIdfOptions) -> Result<TfIdf> {
        let all: Vec<u32> = (0..analyzed.documents.len() as u32).collect();
        TfIdf::fit_documents(analyzed, &all, options)
    }

    /// The vocabulary of every analysed document, and the vectors of some (say, one per
    /// near-duplicate group): `vectors[i]` is `which[i]`'s vector. Document frequencies count
    /// every document, copies included, as they do in [`TfIdf::fit`]. `options` must pass
    /// [`TfIdfOptions::check`].
    pub fn fit_documents(
        analyzed: &AnalyzedCorpus,
        which: &[u32],
        options: &TfIdfOptions,
    ) -> Result<TfIdf> {
        options.check()?;
        Ok(TfIdf::fit_documents_reporting(
            analyzed,
            which,
            options,
            &|_| {},
        ))
    }

    /// [`TfIdf::fit_documents`] with options already checked (the story model checks them
    /// with its own), calling `done(1)` as each of `which` gets its vector.
    pub(crate) fn fit_documents_reporting(
        analyzed: &AnalyzedCorpus,
        which: &[u32],
        options: &TfIdfOptions,
        done: super::neighbours::Done<'_>,
    ) -> TfIdf {
        let n = analyzed.documents.len();
        let vocabulary = Vocabulary::fit(analyzed, options);
        let index = vocabulary.index();
        let vectors = which
            .par_iter()
            .map(|&d| {
                let v = vocabulary.vector(&index, &analyzed.documents[d as usize], options);
                done(1);
                v
            })
            .collect();
        TfIdf {
            vocabulary,
            vectors,
            documents: n,
        }
    }
}

impl TfIdf {
    /// The mean cosine over all pairs of non-empty documents (see [`background_similarity`]).
    pub fn background_similarity(&self) -> f64 {
        background_similarity(&self.vectors)
    }

    /// The vectors without the terms found in more than `max_df` of the documents and in
    /// more than `min_documents` (see [`Narrowed`]).
    pub fn without_common_terms(&self, max_df: f64, min_documents: u32) -> Narrowed {
        let limit = ((max_df * self.documents as f64).floor() as u32).max(min_documents);
        let parts: Vec<(SparseVector, SparseVector, f32)> = self
            .vectors
            .par_iter()
            .map(|v| {
                let (mut kept, mut dropped) = (SparseVector::default(), SparseVector::default());
                for (&t, &w) in v.ids.iter().zip(&v.weights) {
                    let part = if self.vocabulary.df[t as usize] <= limit {
                        &mut kept
                    } else {
                        &mut dropped
                    };
                    part.ids.push(t);
                    part.weights.push(w);
                }
                // Nothing dropped: the vector as it was, not normalised a second time.
                if dropped.ids.is_empty() {
                    return (v.clone(), dropped, 1.0);
                }
                let norm = kept.weights.iter().map(|w| w * w).sum::<f32>().sqrt();
                kept.normalize();
                (kept, dropped, norm)
            })
            .collect();
        let mut narrowed = Narrowed::default();
        for (kept, dropped, norm) in parts {
            narrowed.vectors.push(kept);
            narrowed.dropped.push(dropped);
            narrowed.norms.push(norm);
        }
        narrowed
    }
}

impl Vocabulary {
    /// The terms of `analyzed` in at least `min_df` documents and at most `max_df` of them
    /// (and at least 3), by hash, with their document frequencies and smoothed idf.
    fn fit(analyzed: &AnalyzedCorpus, options: &TfIdfOptions) -> Vocabulary {
        let n = analyzed.documents.len();
        let df: AHashMap<u64, u32> = analyzed
            .documents
            .par_iter()
            .fold(AHashMap::new, |mut m, a| {
                for t in &a.terms {
                    *m.entry(t.term).or_insert(0) += 1;
                }
                m
            })
            .reduce(AHashMap::new, |a, b| {
                if a.len() < b.len() {
                    return merge(b, a);
                }
                merge(a, b)
            });
        let max_df = ((options.max_df * n as f64).floor() as u32).max(3);
        let mut kept: Vec<(u64, u32)> = df
            .into_iter()
            .filter(|&(_, d)| d as usize >= options.min_df && d <= max_df)
            .collect();
        kept.par_sort_unstable();
        Vocabulary {
            terms: kept.iter().map(|k| k.0).collect(),
            df: kept.iter().map(|k| k.1).collect(),
            idf: kept
                .iter()
                .map(|&(_, d)| (((1 + n) as f64 / (1 + d) as f64).ln() + 1.0) as f32)
                .collect(),
        }
    }

    /// The normalised TF-IDF vector of one analysed document (`index` is this vocabulary's).
    fn vector(
        &self,
        index: &TermIndex<'_>,
        a: &crate::text::AnalyzedDocument,
        options: &TfIdfOptions,
    ) -> SparseVector {
        let mut v = SparseVector::default();
        // Terms are sorted by hash, and ids follow hash order, so ids come sorted.
        for t in &a.terms {
            if let Some(id) = index.id(t.term) {
                let count = t.count as f64 + (options.title_weight - 1.0) * t.title_count as f64;
                let tf = if options.sublinear_tf {
                    1.0 + count.ln()
                } else {
                    count
                };
                let factor = if is_bigram(t.term) {
                    options.bigram_weight
                } else {
                    1.0
                };
                let weight = tf * self.idf[id as usize] as f64 * factor;
                if weight > 0.0 {
                    v.ids.push(id);
                    // powf(1) is exact, but skipping it keeps the common case cheap.
                    let weight = if options.weight_power == 1.0 {
                        weight
                    } else {
                        weight.powf(options.weight_power)
                    };
                    v.weights.push(weight as f32);
                }
            }
        }
        if let Some(k) = options.max_terms {
            v.keep_heaviest(k);
        }
        v.normalize();
        v
    }
}

/// Vectors narrowed to their rarer terms ([`TfIdf::without_common_terms`]).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Narrowed {
    /// The kept terms, normalised again (an empty vector stays empty).
    pub vectors: Vec<SparseVector>,
    /// The dropped terms, with their weights in the full vector.
    pub dropped: Vec<SparseVector>,
    /// The norm of the kept terms before the second normalisation (1 where nothing was
    /// dropped).
    pub norms: Vec<f32>,
}

impl Narrowed {
    /// The narrowed cosine of `a` and `b` from their full one: the full dot product less
    /// what the dropped terms gave it, over the kept norms. The dropped parts are short
    /// (the corpus's commonest words), so this is cheaper than the narrowed dot product.
    pub fn cosine_from_full(&self, a: usize, b: usize, full: f32) -> f32 {
        let norms = self.norms[a] * self.norms[b];
        if norms == 0.0 {
            return 0.0;
        }
        ((full - self.dropped[a].dot(&self.dropped[b])) / norms).clamp(0.0, 1.0)
    }
}

/// The mean cosine over all pairs of non-empty unit vectors: how alike two articles of a
/// corpus are on average. Computed exactly from the sum of the vectors:
/// Σ_{a≠b} v_a·v_b = ‖Σ v‖² − m for m unit vectors.
pub fn background_similarity(vectors: &[SparseVector]) -> f64 {
    {
        let mut sum: AHashMap<u32, f64> = AHashMap::new();
        let mut m = 0usize;
        for v in vectors.iter().filter(|v| !v.is_empty()) {
            m += 1;
            for (&t, &w) in v.ids.iter().zip(&v.weights) {
                *sum.entry(t).or_insert(0.0) += f64::from(w);
            }
        }
        if m < 2 {
            return 0.0;
        }
        let mut squares: Vec<(u32, f64)> = sum.into_iter().collect();
        squares.sort_unstable_by_key(|e| e.0);
        let total: f64 = squares.iter().map(|e| e.1 * e.1).sum();
        ((total - m as f64) / (m as f64 * (m as f64 - 1.0))).max(0.0)
    }
}

fn merge(mut a: AHashMap<u64, u32>, b: AHashMap<u64, u32>) -> AHashMap<u64, u32> {
    for (k, v) in b {
        *a.entry(k).or_insert(0) += v;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::text::{analyze, AnalysisOptions};
    use proptest::prelude::*;

    proptest! {
        /// The bucket index finds what a binary search finds, in vocabularies of every size.
        #[test]
        fn the_term_index_finds_what_a_binary_search_finds(
            vocabulary in proptest::collection::btree_set(any::<u64>(), 0..3000),
            others in proptest::collection::vec(any::<u64>(), 0..200),
        ) {
            let n = vocabulary.len();
            let vocabulary = Vocabulary {
                terms: vocabulary.into_iter().collect(),
                df: vec![1; n],
                idf: vec![1.0; n],
            };
            let index = vocabulary.index();
            let probes = vocabulary.terms.iter().chain(&others);
            let walked: Vec<Option<u32>> = probes.clone().map(|&t| index.id(t)).collect();
            let searched: Vec<Option<u32>> = probes.map(|&t| vocabulary.id(t)).collect();
            prop_assert_eq!(walked, searched);
        }
    }

    #[test]
    fn fitting_refuses_a_bad_option_naming_its_field() {
        let docs = [
            Document::new("a", "Storm hits the coast."),
            Document::new("b", "Markets fell."),
        ];
        let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
        let field = |fitted: Result<TfIdf>| match fitted {
            Err(crate::Error::InvalidOption { field, .. }) => Some(field),
            _ => None,
        };
        let no_terms = TfIdfOptions {
            max_terms: Some(0),
            ..TfIdfOptions::default()
        };
        assert_eq!(
            field(TfIdf::fit(&analyzed, &no_terms)),
            Some("tfidf.max_terms")
        );
        let no_df = TfIdfOptions {
            min_df: 0,
            ..TfIdfOptions::default()
        };
        let fitted = TfIdf::fit_documents(&analyzed, &[1], &no_df);
        assert_eq!(field(fitted), Some("tfidf.min_df"));
        // The defaults pass, and fit what was asked for.
        let options = TfIdfOptions::default();
        assert_eq!(TfIdf::fit(&analyzed, &options).unwrap().vectors.len(), 2);
        let one = TfIdf::fit_documents(&analyzed, &[1], &options).unwrap();
        assert_eq!(one.vectors.len(), 1);
    }

    #[test]
    fn common_terms_leave_story_vectors_and_the_rest_is_normalised_again() {
        let docs: Vec<Document> = (0..10)
            .map(|i| {
                let rare = if i < 2 { "lava" } else { "flood" };
                Document::new(format!("d{i}"), format!("storm {rare} coast{} town", i / 2))
            })
            .collect();
        let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
        let model = TfIdf::fit(
            &analyzed,
            &TfIdfOptions {
                max_df: 1.0,
                ..TfIdfOptions::default()
            },
        )
        .unwrap();
        let id = |t: &str| model.vocabulary.id(crate::text::term_hash(t));
        // "storm" is in 10 of 10, "flood" in 8, "lava" in 2.
        let narrowed = model.without_common_terms(0.5, 3);
        let (story, norms) = (&narrowed.vectors, &narrowed.norms);
        for ((v, full), &norm) in story.iter().zip(&model.vectors).zip(norms) {
            assert!(norm > 0.0 && norm < 1.0);
            assert!(!v.ids.contains(&id("storm").unwrap()));
            assert!(!v.ids.contains(&id("flood").unwrap()));
            let norm: f32 = v.weights.iter().map(|w| w * w).sum();
            assert!((norm - 1.0).abs() < 1e-5);
            assert!(v.ids.len() < full.ids.len());
        }
        assert!(story[0].ids.contains(&id("lava").unwrap()));
        // The floor keeps every term of a corpus smaller than it.
        assert_eq!(model.without_common_terms(0.5, 10).vectors, model.vectors);
        // The cosine from the full one equals the narrowed vectors' own.
        for a in 0..10 {
            for b in 0..10 {
                let full = model.vectors[a].dot(&model.vectors[b]);
                let direct = story[a].dot(&story[b]);
                assert!((narrowed.cosine_from_full(a, b, full) - direct).abs() < 1e-5);
            }
        }
    }

    #[test]
    fn weights_follow_the_formula_and_vectors_are_normalised() {
        let doc = |id: &str, body: &str| Document::new(id, body);
        let docs = vec![
            doc("a", "Markets rallied. Markets rallied again."),
            doc("b", "Markets fell."),
            doc("c", "Storm hits coast."),
            doc("d", "Storm leaves coast."),
        ];
        let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
        let model = TfIdf::fit(
            &analyzed,
            &TfIdfOptions {
                title_weight: 1.0,
                ..TfIdfOptions::default()
            },
        )
        .unwrap();
        for v in &model.vectors {
            let norm: f32 = v.weights.iter().map(|w| w * w).sum();
            assert!((norm - 1.0).abs() < 1e-5);
            assert!(v.ids.windows(2).all(|w| w[0] < w[1]));
        }
        // "market" is in 2 of 4 documents: idf = ln(5/3) + 1; in a, tf = 1 + ln 2.
        let market = model
            .vocabulary
            .id(crate::text::term_hash("market"))
            .unwrap();
        let idf = model.vocabulary.idf[market as usize];
        assert!((idf - ((5.0f32 / 3.0).ln() + 1.0)).abs() < 1e-6);
        assert_eq!(model.vocabulary.df[market as usize], 2);
        let brute: f64 = (0..4)
            .flat_map(|a| (0..4).filter(move |&b| b != a).map(move |b| (a, b)))
            .map(|(a, b)| f64::from(model.vectors[a].dot(&model.vectors[b])))
            .sum::<f64>()
            / 12.0;
        assert!((model.background_similarity() - brute).abs() < 1e-6);
        // Cosine equals the dot product of the normalised vectors.
        let ab = model.vectors[0].dot(&model.vectors[1]);
        assert!(ab > 0.0 && ab < 1.0);
        assert_eq!(model.vectors[0].dot(&model.vectors[2]), 0.0);
    }
}
