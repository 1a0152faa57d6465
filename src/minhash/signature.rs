//! MinHash signatures of shingle sets, in two schemes behind one type.

use ndarray::Array2;
use rayon::prelude::*;
use serde::Serialize;

/// How signatures are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// `num_perm` independent hash functions (multiply-add-shift on the 64-bit shingle
    /// hash), the minimum of each over the set: the accuracy reference.
    Classic,
    /// One-permutation hashing: one hash per shingle picks a bin and a value; empty bins
    /// are filled by optimal densification (Shrivastava 2017). One hash per shingle instead
    /// of `num_perm`.
    Fast,
}

/// Parameters of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MinHashParams {
    /// The scheme.
    pub scheme: Scheme,
    /// Signature length.
    pub num_perm: usize,
    /// Seed of the hash functions.
    pub seed: u64,
}

impl Default for MinHashParams {
    fn default() -> Self {
        MinHashParams {
            scheme: Scheme::Fast,
            num_perm: 128,
            seed: 1,
        }
    }
}

/// The value of a slot no shingle reached (only in signatures of empty sets).
pub const EMPTY: u32 = u32::MAX;

/// One signature per document: a documents × `num_perm` matrix.
#[derive(Debug, Clone)]
pub struct Signatures {
    /// How they were made.
    pub params: MinHashParams,
    /// Row `i` is document `i`'s signature.
    pub matrix: Array2<u32>,
}

impl Signatures {
    /// Signs every set (each a slice of shingle hashes; repeats do not matter), in parallel.
    pub fn compute<S: AsRef<[u64]> + Sync>(sets: &[S], params: MinHashParams) -> Signatures {
        let k = params.num_perm.max(1);
        let hasher = Hasher::new(params);
        let mut data = vec![EMPTY; sets.len() * k];
        data.par_chunks_mut(k)
            .zip(sets.par_iter())
            .for_each(|(row, set)| hasher.sign(set.as_ref(), row));
        Signatures {
            params: MinHashParams {
                num_perm: k,
                ..params
            },
            matrix: Array2::from_shape_vec((sets.len(), k), data).expect("shape matches"),
        }
    }

    /// Number of signatures.
    pub fn len(&self) -> usize {
        self.matrix.nrows()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.matrix.nrows() == 0
    }

    /// Document `i`'s signature.
    pub fn row(&self, i: usize) -> &[u32] {
        self.matrix
            .row(i)
            .to_slice()
            .expect("rows of a standard-layout matrix are contiguous")
    }

    /// The Jaccard estimate of documents `a` and `b`: the fraction of equal slots (0 when
    /// either set was empty).
    pub fn estimate(&self, a: usize, b: usize) -> f64 {
        let (x, y) = (self.row(a), self.row(b));
        if x[0] == EMPTY && x.iter().all(|&v| v == EMPTY) {
            return 0.0;
        }
        let equal = x.iter().zip(y).filter(|(p, q)| p == q).count();
        equal as f64 / x.len() as f64
    }
}

/// SplitMix64: the seed expander and the mixer of the fast scheme.
#[inline]
pub(crate) fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

struct Hasher {
    params: MinHashParams,
    /// Classic: odd multipliers and addends, one pair per slot.
    a: Vec<u64>,
    b: Vec<u64>,
}

impl Hasher {
    fn new(params: MinHashParams) -> Hasher {
        let k = params.num_perm.max(1);
        let mut state = params.seed;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            splitmix64(state)
        };
        let (mut a, mut b) = (Vec::with_capacity(k), Vec::with_capacity(k));
        if params.scheme == Scheme::Classic {
            for _ in 0..k {
                a.push(next() | 1);
                b.push(next());
            }
        }
        Hasher { params, a, b }
    }

    fn sign(&self, set: &[u64], row: &mut [u32]) {
        if set.is_empty() {
            return;
        }
        match self.params.scheme {
            Scheme::Classic => self.sign_classic(set, row),
            Scheme::Fast => self.sign_fast(set, row),
        }
    }

    /// h_i(x) = (a_i·x + b_i) mod 2⁶⁴, top 32 bits: multiply-add-shift hashing.
    fn sign_classic(&self, set: &[u64], row: &mut [u32]) {
        for &x in set {
            for ((slot, &a), &b) in row.iter_mut().zip(&self.a).zip(&self.b) {
                let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                *slot = (*slot).min(h);
            }
        }
    }

    fn sign_fast(&self, set: &[u64], row: &mut [u32]) {
        let k = row.len() as u64;
        let seed = splitmix64(self.params.seed);
        for &x in set {
            let h = splitmix64(x ^ seed);
            // The high half picks the bin (multiply-shift range reduction), the low half is
            // the value.
            let bin = (((h >> 32) * k) >> 32) as usize;
            let value = h as u32;
            if value < row[bin] {
                row[bin] = value;
            }
        }
        // Optimal densification: an empty bin takes the value of the first non-empty bin
        // that its own hash sequence probes. Values are copied from the bins as filled by the
        // shingles only, which is what keeps the estimator unbiased.
        if row.contains(&EMPTY) {
            let filled: Vec<u32> = row.to_vec();
            for (i, slot) in row.iter_mut().enumerate() {
                if filled[i] != EMPTY {
                    continue;
                }
                let mut attempt = 0u64;
                loop {
                    let probe = splitmix64(seed ^ ((i as u64) << 32) ^ attempt);
                    let j = (((probe >> 32) * k) >> 32) as usize;
                    if filled[j] != EMPTY {
                        *slot = filled[j];
                        break;
                    }
                    attempt += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(a: &[u64], b: &[u64]) -> f64 {
        let sa: std::collections::HashSet<_> = a.iter().collect();
        let sb: std::collections::HashSet<_> = b.iter().collect();
        sa.intersection(&sb).count() as f64 / sa.union(&sb).count() as f64
    }

    #[test]
    fn identical_sets_have_identical_signatures_and_order_does_not_matter() {
        for scheme in [Scheme::Classic, Scheme::Fast] {
            let params = MinHashParams {
                scheme,
                ..MinHashParams::default()
            };
            let a: Vec<u64> = (0..50).map(splitmix64).collect();
            let mut b = a.clone();
            b.reverse();
            b.extend_from_slice(&a[..10]);
            let s = Signatures::compute(&[a, b, vec![]], params);
            assert_eq!(s.row(0), s.row(1));
            assert_eq!(s.estimate(0, 1), 1.0);
            assert!(s.row(2).iter().all(|&v| v == EMPTY));
            assert_eq!(s.estimate(2, 2), 0.0);
            assert!(!s.row(0).contains(&EMPTY), "densified: {scheme:?}");
        }
    }

    #[test]
    fn estimates_converge_to_exact_jaccard_as_num_perm_grows() {
        // Sets with known overlap; the mean absolute error shrinks roughly as 1/sqrt(k).
        let mut rng = 7u64;
        let mut next = || {
            rng = splitmix64(rng);
            rng
        };
        let pairs: Vec<(Vec<u64>, Vec<u64>)> = (0..60)
            .map(|i| {
                let shared: Vec<u64> = (0..(20 + i * 3)).map(|_| next()).collect();
                let mut a = shared.clone();
                let mut b = shared;
                a.extend((0..(10 + i)).map(|_| next()));
                b.extend((0..(30 - i / 2)).map(|_| next()));
                (a, b)
            })
            .collect();
        for scheme in [Scheme::Classic, Scheme::Fast] {
            let mut errors = Vec::new();
            for k in [16usize, 64, 256, 1024] {
                let params = MinHashParams {
                    scheme,
                    num_perm: k,
                    seed: 3,
                };
                let sets: Vec<&Vec<u64>> = pairs.iter().flat_map(|(a, b)| [a, b]).collect();
                let s = Signatures::compute(&sets, params);
                let mae: f64 = pairs
                    .iter()
                    .enumerate()
                    .map(|(i, (a, b))| (s.estimate(2 * i, 2 * i + 1) - exact(a, b)).abs())
                    .sum::<f64>()
                    / pairs.len() as f64;
                errors.push(mae);
            }
            assert!(errors[3] < errors[0] / 3.0, "{scheme:?}: {errors:?}");
            assert!(errors[3] < 0.02, "{scheme:?}: {errors:?}");
        }
    }

    // Three shingles in four bins: two bins are empty and densified from the others.
    const FAST_PIN: [u32; 4] = [3596284446, 840412675, 840412675, 3596284446];
    const CLASSIC_PIN: [u32; 4] = [894847955, 1430151674, 713101419, 1424396028];

    #[test]
    fn signatures_are_pinned() {
        // A change here changes every stored signature: bump the format, do not edit.
        let set = [1u64, 2, 3];
        let fast = Signatures::compute(
            &[set],
            MinHashParams {
                num_perm: 4,
                ..MinHashParams::default()
            },
        );
        let classic = Signatures::compute(
            &[set],
            MinHashParams {
                scheme: Scheme::Classic,
                num_perm: 4,
                seed: 1,
            },
        );
        assert_eq!(fast.row(0), FAST_PIN);
        assert_eq!(classic.row(0), CLASSIC_PIN);
    }
}
