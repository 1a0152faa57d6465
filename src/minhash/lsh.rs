//! Locality-sensitive hashing by banding: candidate pairs from signatures.
//!
//! Signatures are cut into `bands` bands of `rows` slots; two documents are candidates when
//! all slots of some band agree. A pair with Jaccard `s` becomes a candidate with probability
//! `1 - (1 - s^rows)^bands`.

use super::Signatures;
use crate::error::ensure_same;
use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

/// Bands and rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LshParams {
    /// Number of bands.
    pub bands: usize,
    /// Slots per band.
    pub rows: usize,
}

impl LshParams {
    /// `bands` bands of `rows` rows ([`LshParams::check`], which `DedupOptions::check`,
    /// [`candidates`] and [`shared_bands`] ask, tests them against the signature).
    pub fn new(bands: usize, rows: usize) -> LshParams {
        LshParams { bands, rows }
    }

    /// Checks that there is a band of a row at least, and that the bands fit in a signature
    /// of `num_perm` slots.
    pub fn check(&self, num_perm: usize) -> crate::Result<()> {
        crate::error::ensure(self.bands >= 1 && self.rows >= 1, "dedup.lsh", || {
            "bands and rows must be at least 1".into()
        })?;
        let slots = self.bands.saturating_mul(self.rows);
        crate::error::ensure(slots <= num_perm, "dedup.lsh", || {
            format!(
                "{} bands × {} rows need {slots} signature slots but num_perm is {num_perm}; \
                 lower them or raise num_perm",
                self.bands, self.rows
            )
        })
    }

    /// Probability that a pair of Jaccard `s` shares a band.
    pub fn candidate_probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The bands and rows for `threshold` and `num_perm` (with `bands × rows ≤ num_perm`)
    /// that minimise `fp_weight × FP + fn_weight × FN`, where FP is the area under the
    /// candidate probability below the threshold and FN the area above it left out, as in
    /// datasketch. [`LshParams::RECALL_WEIGHTS`] lean to recall: verification removes false
    /// positives, but nothing brings back a pair LSH missed.
    pub fn optimal(
        threshold: f64,
        num_perm: usize,
        (fp_weight, fn_weight): (f64, f64),
    ) -> LshParams {
        let t = threshold.clamp(0.0, 1.0);
        let mut best = (
            f64::INFINITY,
            LshParams {
                bands: 1,
                rows: num_perm.max(1),
            },
        );
        for bands in 1..=num_perm {
            for rows in 1..=num_perm / bands {
                let p = LshParams { bands, rows };
                let fp = integrate(|s| p.candidate_probability(s), 0.0, t);
                let fn_ = integrate(|s| 1.0 - p.candidate_probability(s), t, 1.0);
                let error = fp_weight * fp + fn_weight * fn_;
                if error < best.0 - 1e-12 {
                    best = (error, p);
                }
            }
        }
        best.1
    }

    /// The default weighting of false positives and false negatives.
    pub const RECALL_WEIGHTS: (f64, f64) = (0.05, 0.95);
}

fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    const STEPS: usize = 200;
    let h = (b - a) / STEPS as f64;
    (0..STEPS).map(|i| f(a + (i as f64 + 0.5) * h)).sum::<f64>() * h
}

/// The bucket key of one band's slots: XXH3-64 of the slots as little-endian u32s.
pub fn band_key(slots: &[u32]) -> u64 {
    let bytes: Vec<u8> = slots.iter().flat_map(|v| v.to_le_bytes()).collect();
    xxh3_64(&bytes)
}

/// Candidate pairs and what the banding saw.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Candidates {
    /// Pairs `(a, b)` of document indices, `a < b`, sorted, without repeats.
    pub pairs: Vec<(u32, u32)>,
    /// Buckets larger than the cap, which were linked to their first member only.
    pub capped_buckets: usize,
    /// Largest bucket seen.
    pub largest_bucket: usize,
}

/// Finds candidate pairs. `include` tells which documents take part (documents with empty
/// signatures must not: they all agree). `order` ranks documents (by id), so that the
/// "first member" of a capped bucket does not depend on input order. Buckets larger than
/// `bucket_cap` link each member to their first member only.
///
/// Bands × rows beyond the signature ([`LshParams::check`]) give
/// [`crate::Error::InvalidOption`], and `include` or `order` of another length than the
/// signatures [`crate::Error::Mismatch`].
pub fn candidates(
    signatures: &Signatures,
    params: LshParams,
    include: &[bool],
    order: &[u32],
    bucket_cap: usize,
) -> crate::Result<Candidates> {
    let n = signatures.len();
    params.check(signatures.params().num_perm)?;
    ensure_same("the include flags", n, include.len())?;
    ensure_same("the document order", n, order.len())?;
    let per_band: Vec<Candidates> = (0..params.bands)
        .into_par_iter()
        .map(|band| {
            let lo = band * params.rows;
            let mut keys: Vec<(u64, u32)> = (0..n)
                .filter(|&i| include[i])
                .map(|i| {
                    let slots = &signatures.row(i)[lo..lo + params.rows];
                    (band_key(slots), i as u32)
                })
                .collect();
            keys.sort_unstable_by_key(|&(key, doc)| (key, order[doc as usize]));
            let mut pairs = Vec::new();
            let (mut capped, mut largest) = (0, 0);
            for bucket in keys.chunk_by(|x, y| x.0 == y.0) {
                largest = largest.max(bucket.len());
                if bucket.len() < 2 {
                    continue;
                }
                if bucket.len() > bucket_cap {
                    capped += 1;
                    let first = bucket[0].1;
                    pairs.extend(bucket[1..].iter().map(|&(_, d)| ordered(first, d)));
                } else {
                    for (i, &(_, a)) in bucket.iter().enumerate() {
                        pairs.extend(bucket[i + 1..].iter().map(|&(_, b)| ordered(a, b)));
                    }
                }
            }
            Candidates {
                pairs,
                capped_buckets: capped,
                largest_bucket: largest,
            }
        })
        .collect();
    let mut out = Candidates::default();
    for band in per_band {
        out.pairs.extend(band.pairs);
        out.capped_buckets += band.capped_buckets;
        out.largest_bucket = out.largest_bucket.max(band.largest_bucket);
    }
    out.pairs.par_sort_unstable();
    out.pairs.dedup();
    Ok(out)
}

/// The bands in which two documents' signatures agree. Bands × rows beyond the signature
/// give [`crate::Error::InvalidOption`], an index past the signatures
/// [`crate::Error::NoSuchDocument`].
pub fn shared_bands(
    signatures: &Signatures,
    params: LshParams,
    a: usize,
    b: usize,
) -> crate::Result<Vec<usize>> {
    params.check(signatures.params().num_perm)?;
    let documents = signatures.len();
    if let Some(&index) = [a, b].iter().find(|&&i| i >= documents) {
        return Err(crate::Error::NoSuchDocument { index, documents });
    }
    let (x, y) = (signatures.row(a), signatures.row(b));
    Ok((0..params.bands)
        .filter(|band| {
            let r = band * params.rows..(band + 1) * params.rows;
            x[r.clone()] == y[r]
        })
        .collect())
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::{MinHashParams, Scheme};

    #[test]
    fn optimal_parameters_match_datasketch_at_equal_weights() {
        // datasketch's _optimal_param(0.5, 128, 0.5, 0.5) and (0.8, 128, 0.5, 0.5).
        assert_eq!(
            LshParams::optimal(0.5, 128, (0.5, 0.5)),
            LshParams { bands: 25, rows: 5 }
        );
        assert_eq!(
            LshParams::optimal(0.8, 128, (0.5, 0.5)),
            LshParams { bands: 9, rows: 13 }
        );
        let recall = LshParams::optimal(0.8, 128, LshParams::RECALL_WEIGHTS);
        assert!(recall.candidate_probability(0.8) > 0.9, "{recall:?}");
    }

    #[test]
    fn observed_candidate_probability_follows_the_s_curve() {
        // Many independent pairs of exact Jaccard s; the share that become candidates must
        // match 1-(1-s^r)^b within sampling error.
        let params = LshParams { bands: 8, rows: 4 };
        let minhash = MinHashParams {
            scheme: Scheme::Classic,
            num_perm: 32,
            seed: 11,
        };
        let mut rng = 99u64;
        for s_target in [0.3, 0.5, 0.7] {
            let pairs = 400;
            let mut sets = Vec::new();
            for _ in 0..pairs {
                // Sets sharing `inter` of about 120 elements in their union.
                let inter = (120.0 * s_target) as usize;
                let only = (120 - inter) / 2;
                let mut next = || {
                    rng = super::super::signature::splitmix64(rng);
                    rng
                };
                let common: Vec<u64> = (0..inter).map(|_| next()).collect();
                let mut a = common.clone();
                let mut b = common;
                a.extend((0..only).map(|_| next()));
                b.extend((0..only).map(|_| next()));
                sets.push(a);
                sets.push(b);
            }
            let inter = (120.0 * s_target) as usize;
            let union = inter + 2 * ((120 - inter) / 2);
            let s = inter as f64 / union as f64;
            let sig = Signatures::compute(&sets, minhash).unwrap();
            let include = vec![true; sets.len()];
            let order: Vec<u32> = (0..sets.len() as u32).collect();
            let found = candidates(&sig, params, &include, &order, usize::MAX).unwrap();
            let hits = (0..pairs)
                .filter(|i| {
                    found
                        .pairs
                        .binary_search(&(2 * *i as u32, 2 * *i as u32 + 1))
                        .is_ok()
                })
                .count();
            let observed = hits as f64 / pairs as f64;
            let expected = params.candidate_probability(s);
            let sd = (expected * (1.0 - expected) / pairs as f64).sqrt();
            assert!(
                (observed - expected).abs() < 4.0 * sd + 0.02,
                "s={s:.3}: observed {observed:.3}, expected {expected:.3}"
            );
        }
    }

    #[test]
    fn capped_buckets_link_to_their_first_member() {
        let sets: Vec<Vec<u64>> = (0..6).map(|_| vec![1, 2, 3]).collect();
        let sig = Signatures::compute(&sets, MinHashParams::default()).unwrap();
        let order: Vec<u32> = vec![5, 4, 3, 2, 1, 0]; // document 5 sorts first
        let found = candidates(
            &sig,
            LshParams { bands: 2, rows: 64 },
            &[true; 6],
            &order,
            3,
        )
        .unwrap();
        assert_eq!(found.pairs, vec![(0, 5), (1, 5), (2, 5), (3, 5), (4, 5)]);
        assert_eq!(found.capped_buckets, 2);
        assert_eq!(found.largest_bucket, 6);
    }
}
