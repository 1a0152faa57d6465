//! MinHash signatures of shingle sets, in two schemes behind one type.

use ndarray::Array2;
use rayon::prelude::*;
use serde::Serialize;

/// How signatures are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[non_exhaustive]
pub enum Scheme {
    /// `num_perm` independent hash functions (multiply-add-shift on the 64-bit shingle
    /// hash), the minimum of each over the set: the accuracy reference.
    Classic,
    /// One-permutation hashing: one hash per shingle picks a bin and a value; empty bins
    /// are filled by optimal densification (Shrivastava 2017). One hash per shingle instead
    /// of `num_perm`.
    Fast,
}

impl Scheme {
    /// The scheme's name in outputs and on the command line: `classic`, `fast`.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Classic => "classic",
            Scheme::Fast => "fast",
        }
    }
}

/// Parameters of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MinHashParams {
    /// The scheme.
    pub scheme: Scheme,
    /// Signature length.
    pub num_perm: usize,
    /// Seed of the hash functions.
    pub seed: u64,
}

impl MinHashParams {
    /// The longest signature a run may ask for: beyond it a signature costs more than the
    /// document it stands for, and the search for the best bands and rows grows long.
    pub const MAX_NUM_PERM: usize = 4096;

    /// Checks that the signature has between 1 and [`MinHashParams::MAX_NUM_PERM`] slots.
    pub fn check(&self) -> crate::Result<()> {
        let perms = self.num_perm;
        crate::error::ensure(
            (1..=Self::MAX_NUM_PERM).contains(&perms),
            "dedup.minhash.num_perm",
            || {
                format!(
                    "{perms} is not in 1..={}: a signature needs a slot, and longer ones \
                     cost more than the documents they stand for",
                    Self::MAX_NUM_PERM
                )
            },
        )
    }
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

/// One signature per document: a documents × `num_perm` matrix. Only [`Signatures::compute`]
/// makes one, so the matrix always has `params.num_perm` columns made with `params`.
#[derive(Debug, Clone)]
pub struct Signatures {
    /// How they were made.
    pub(crate) params: MinHashParams,
    /// Row `i` is document `i`'s signature.
    pub(crate) matrix: Array2<u32>,
}

impl Signatures {
    /// How they were made.
    pub fn params(&self) -> MinHashParams {
        self.params
    }

    /// The documents × `num_perm` matrix: row `i` is document `i`'s signature.
    pub fn matrix(&self) -> &Array2<u32> {
        &self.matrix
    }

    /// Signs every set (each a slice of shingle hashes; repeats do not matter), in parallel,
    /// once `params` pass [`MinHashParams::check`] (a signature too long to allocate is
    /// refused, not attempted).
    pub fn compute<S: AsRef<[u64]> + Sync>(
        sets: &[S],
        params: MinHashParams,
    ) -> crate::Result<Signatures> {
        Signatures::compute_reporting(sets, params, |_| {})
    }

    /// [`Signatures::compute`], calling `done` with the number of sets signed, batch by
    /// batch.
    pub(crate) fn compute_reporting<S: AsRef<[u64]> + Sync>(
        sets: &[S],
        params: MinHashParams,
        done: impl Fn(u64) + Sync,
    ) -> crate::Result<Signatures> {
        const BATCH: usize = 256;
        let signer = Signer::new(params)?;
        let k = params.num_perm;
        let mut data = vec![EMPTY; sets.len() * k];
        data.par_chunks_mut(k * BATCH)
            .zip(sets.par_chunks(BATCH))
            .for_each(|(rows, sets)| {
                for (row, set) in rows.chunks_mut(k).zip(sets) {
                    signer.sign_into(set.as_ref(), row);
                }
                done(sets.len() as u64);
            });
        Ok(Signatures {
            params,
            matrix: Array2::from_shape_vec((sets.len(), k), data).expect("shape matches"),
        })
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

/// The hash functions of one [`MinHashParams`], made once and used for any number of sets.
#[derive(Debug, Clone)]
pub struct Signer {
    params: MinHashParams,
    /// Classic: odd multipliers and addends, one pair per slot.
    a: Vec<u64>,
    b: Vec<u64>,
}

impl Signer {
    /// The hash functions of `params`, once they pass [`MinHashParams::check`].
    pub fn new(params: MinHashParams) -> crate::Result<Signer> {
        params.check()?;
        let k = params.num_perm;
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
        Ok(Signer { params, a, b })
    }

    /// The parameters these hash functions implement.
    pub fn params(&self) -> MinHashParams {
        self.params
    }

    /// Signs `set` into `row` (`num_perm` slots, filled with [`EMPTY`] for a fresh
    /// signature). Classic: each slot keeps the minimum of what it held and the set's, so
    /// a row holding the signature of `s` ends with the signature of `s ∪ set`. Fast: the
    /// row must be fresh (densification fills empty bins).
    pub fn sign_into(&self, set: &[u64], row: &mut [u32]) {
        debug_assert_eq!(row.len(), self.params.num_perm);
        if set.is_empty() {
            return;
        }
        match self.params.scheme {
            Scheme::Classic => classic_dispatch(set, &self.a, &self.b, row),
            Scheme::Fast => self.sign_fast(set, row),
        }
    }

    fn sign_fast(&self, set: &[u64], row: &mut [u32]) {
        self.fast_bins_into(set, row);
        if row.contains(&EMPTY) {
            let filled = row.to_vec();
            self.densify(&filled, row);
        }
    }

    /// The fast scheme before densification: each bin keeps the minimum of what it held and
    /// the set's values in it, so bins of `s` become the bins of `s ∪ set` (for signatures
    /// built up incrementally; [`Signer::densify`] then gives [`Signer::sign_into`]'s row).
    pub fn fast_bins_into(&self, set: &[u64], bins: &mut [u32]) {
        debug_assert_eq!(bins.len(), self.params.num_perm);
        let k = bins.len() as u64;
        let seed = splitmix64(self.params.seed);
        for &x in set {
            let h = splitmix64(x ^ seed);
            // The high half picks the bin (multiply-shift range reduction), the low half is
            // the value.
            let bin = (((h >> 32) * k) >> 32) as usize;
            let value = h as u32;
            if value < bins[bin] {
                bins[bin] = value;
            }
        }
    }

    /// The fast scheme's signature from its bins: optimal densification, where an empty bin
    /// takes the value of the first non-empty bin that its own hash sequence probes. Values
    /// are copied from the bins as filled by the shingles only, which is what keeps the
    /// estimator unbiased. All bins empty: the row is all empty too.
    pub fn densify(&self, bins: &[u32], row: &mut [u32]) {
        let k = bins.len() as u64;
        let seed = splitmix64(self.params.seed);
        row.copy_from_slice(bins);
        if !bins.contains(&EMPTY) || bins.iter().all(|&v| v == EMPTY) {
            return;
        }
        for (i, slot) in row.iter_mut().enumerate() {
            if bins[i] != EMPTY {
                continue;
            }
            let mut attempt = 0u64;
            loop {
                let probe = splitmix64(seed ^ ((i as u64) << 32) ^ attempt);
                let j = (((probe >> 32) * k) >> 32) as usize;
                if bins[j] != EMPTY {
                    *slot = bins[j];
                    break;
                }
                attempt += 1;
            }
        }
    }
}

/// The classic hash of `x` for slot (`a`, `b`): h(x) = (a·x + b) mod 2⁶⁴, top 32 bits
/// (multiply-add-shift).
#[inline(always)]
fn classic_hash(a: u64, b: u64, x: u64) -> u32 {
    (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32
}

/// Slots signed together: their multipliers, addends and minima stay in vector registers
/// while the shingles stream past, instead of a load and store of the row per shingle.
const BLOCK: usize = 32;

/// The classic signature loop, shaped for LLVM's vectoriser: fixed-size blocks of slots, the
/// shingles inner. Slot order does not change a minimum, so every shape gives the same row.
#[inline(always)]
fn classic_kernel(set: &[u64], a: &[u64], b: &[u64], row: &mut [u32]) {
    classic_blocks(set, a, b, row, |out, a, b| {
        let mut min = *out;
        for &x in set {
            for i in 0..BLOCK {
                min[i] = min[i].min(classic_hash(a[i], b[i], x));
            }
        }
        *out = min;
    })
}

/// The same loop keeping the minimum of the full 64-bit values and shifting once at the
/// end: the top 32 bits of a minimum are the minimum of the top 32 bits, and with a native
/// 64-bit unsigned minimum (AVX-512) this saves a shift and a narrowing per shingle.
#[inline(always)]
fn classic_kernel_wide(set: &[u64], a: &[u64], b: &[u64], row: &mut [u32]) {
    classic_blocks(set, a, b, row, |out, a, b| {
        let mut min = [u64::MAX; BLOCK];
        for &x in set {
            for i in 0..BLOCK {
                min[i] = min[i].min(a[i].wrapping_mul(x).wrapping_add(b[i]));
            }
        }
        for (slot, m) in out.iter_mut().zip(min) {
            *slot = (*slot).min((m >> 32) as u32);
        }
    })
}

type Block<'a, T> = &'a [T; BLOCK];

/// Runs `block` on each whole block of slots and the scalar loop on the rest.
#[inline(always)]
fn classic_blocks(
    set: &[u64],
    a: &[u64],
    b: &[u64],
    row: &mut [u32],
    mut block: impl FnMut(&mut [u32; BLOCK], Block<'_, u64>, Block<'_, u64>),
) {
    let whole = row.len() / BLOCK * BLOCK;
    let (head, tail) = row.split_at_mut(whole);
    for ((out, a), b) in head
        .chunks_exact_mut(BLOCK)
        .zip(a.chunks_exact(BLOCK))
        .zip(b.chunks_exact(BLOCK))
    {
        let out: &mut [u32; BLOCK] = out.try_into().expect("a block");
        block(
            out,
            a.try_into().expect("a block"),
            b.try_into().expect("a block"),
        );
    }
    for ((slot, &a), &b) in tail.iter_mut().zip(&a[whole..]).zip(&b[whole..]) {
        *slot = set.iter().fold(*slot, |m, &x| m.min(classic_hash(a, b, x)));
    }
}

/// The loop compiled for AVX-512 (a native 64-bit multiply and unsigned minimum).
///
/// # Safety
/// The CPU must have these features.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw")]
unsafe fn classic_avx512(set: &[u64], a: &[u64], b: &[u64], row: &mut [u32]) {
    classic_kernel_wide(set, a, b, row)
}

/// The loop compiled for AVX2.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn classic_avx2(set: &[u64], a: &[u64], b: &[u64], row: &mut [u32]) {
    classic_kernel(set, a, b, row)
}

/// Which compilation of the classic loop runs: the widest the CPU supports, chosen at run
/// time so one binary is fast on new CPUs and still runs on old ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kernel {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl Kernel {
    fn detect() -> Kernel {
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512dq")
                && is_x86_feature_detected!("avx512vl")
                && is_x86_feature_detected!("avx512bw")
            {
                return Kernel::Avx512;
            }
            if is_x86_feature_detected!("avx2") {
                return Kernel::Avx2;
            }
        }
        Kernel::Portable
    }

    /// The kernels this CPU can run (for tests).
    #[cfg(test)]
    fn available() -> Vec<Kernel> {
        let mut all = vec![Kernel::Portable];
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx2") {
                all.push(Kernel::Avx2);
            }
            if Kernel::detect() == Kernel::Avx512 {
                all.push(Kernel::Avx512);
            }
        }
        all
    }

    fn run(self, set: &[u64], a: &[u64], b: &[u64], row: &mut [u32]) {
        assert!(a.len() == row.len() && b.len() == row.len());
        match self {
            Kernel::Portable => classic_kernel(set, a, b, row),
            // SAFETY: `detect` (or `available`) found the features on this CPU.
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => unsafe { classic_avx2(set, a, b, row) },
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => unsafe { classic_avx512(set, a, b, row) },
        }
    }
}

fn classic_dispatch(set: &[u64], a: &[u64], b: &[u64], row: &mut [u32]) {
    static KERNEL: std::sync::OnceLock<Kernel> = std::sync::OnceLock::new();
    KERNEL.get_or_init(Kernel::detect).run(set, a, b, row)
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
            let s = Signatures::compute(&[a, b, vec![]], params).unwrap();
            assert_eq!(s.row(0), s.row(1));
            assert_eq!(s.estimate(0, 1), 1.0);
            assert!(s.row(2).iter().all(|&v| v == EMPTY));
            assert_eq!(s.estimate(2, 2), 0.0);
            assert!(!s.row(0).contains(&EMPTY), "densified: {scheme:?}");
        }
    }

    #[test]
    fn fast_bins_folded_part_by_part_then_densified_equal_the_whole_signature() {
        let params = MinHashParams {
            scheme: Scheme::Fast,
            ..MinHashParams::default()
        };
        let signer = Signer::new(params).unwrap();
        let k = params.num_perm;
        for n in [1usize, 7, 60, 400] {
            let set: Vec<u64> = (0..n as u64).map(|i| splitmix64(i ^ 77)).collect();
            let mut whole = vec![EMPTY; k];
            signer.sign_into(&set, &mut whole);
            let mut bins = vec![EMPTY; k];
            for part in set.chunks(3) {
                signer.fast_bins_into(part, &mut bins);
            }
            let mut row = vec![0; k];
            signer.densify(&bins, &mut row);
            assert_eq!(row, whole, "{n} items");
        }
        let mut row = vec![0; k];
        signer.densify(&vec![EMPTY; k], &mut row);
        assert!(row.iter().all(|&v| v == EMPTY));
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
                let s = Signatures::compute(&sets, params).unwrap();
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

    /// The classic scheme written out from its definition, one slot and shingle at a time.
    fn classic_reference(set: &[u64], params: MinHashParams) -> Vec<u32> {
        let mut state = params.seed;
        (0..params.num_perm)
            .map(|_| {
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let a = splitmix64(state) | 1;
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let b = splitmix64(state);
                set.iter()
                    .map(|&x| (((a as u128 * x as u128 + b as u128) % (1u128 << 64)) >> 32) as u32)
                    .min()
                    .unwrap_or(EMPTY)
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn every_kernel_equals_the_reference(
            set in proptest::collection::vec(proptest::num::u64::ANY, 0..300),
            num_perm in 1usize..200,
            seed in proptest::num::u64::ANY,
            start in proptest::collection::vec(proptest::num::u32::ANY, 200),
        ) {
            let params = MinHashParams { scheme: Scheme::Classic, num_perm, seed };
            let expected = classic_reference(&set, params);
            let computed = Signatures::compute(&[&set], params).unwrap();
            proptest::prop_assert_eq!(computed.row(0), &expected[..]);
            let signer = Signer::new(params).unwrap();
            let mut wide = vec![EMPTY; num_perm];
            classic_kernel_wide(&set, &signer.a, &signer.b, &mut wide);
            proptest::prop_assert_eq!(&wide, &expected);
            for kernel in Kernel::available() {
                // From a fresh row, and into a row already holding values (a union).
                let mut row = vec![EMPTY; num_perm];
                kernel.run(&set, &signer.a, &signer.b, &mut row);
                proptest::prop_assert_eq!(&row, &expected, "{:?}", kernel);
                let mut row = start[..num_perm].to_vec();
                kernel.run(&set, &signer.a, &signer.b, &mut row);
                let union: Vec<u32> = start.iter().zip(&expected).map(|(&s, &e)| s.min(e)).collect();
                proptest::prop_assert_eq!(&row, &union, "{:?}", kernel);
            }
        }
    }

    #[test]
    fn this_cpu_runs_its_widest_kernel() {
        // On x86-64 with AVX2 the portable loop must not be the one chosen.
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("avx2") {
            assert_ne!(Kernel::detect(), Kernel::Portable);
        }
        assert!(Kernel::available().contains(&Kernel::detect()));
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
        )
        .unwrap();
        let classic = Signatures::compute(
            &[set],
            MinHashParams {
                scheme: Scheme::Classic,
                num_perm: 4,
                seed: 1,
            },
        )
        .unwrap();
        assert_eq!(fast.row(0), FAST_PIN);
        assert_eq!(classic.row(0), CLASSIC_PIN);
    }
}
