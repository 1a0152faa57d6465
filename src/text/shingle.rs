//! Tokens and shingles as stable 64-bit hashes.
//!
//! The hashes are specified so that any implementation gives the same values on any platform:
//! - a token's hash is XXH3-64 (seed 0) of its normalised UTF-8 bytes;
//! - a shingle of `n` consecutive tokens hashes to XXH3-64 (seed 0) of the `n` token hashes
//!   written as little-endian u64s, in order;
//! - a document with fewer than `n` tokens (but at least one) has one shingle of all its tokens.

use xxhash_rust::xxh3::xxh3_64;

/// The stable hash of a normalised token.
#[inline]
pub fn token_hash(token: &str) -> u64 {
    xxh3_64(token.as_bytes())
}

/// The stable hash of a run of token hashes (a shingle, or a whole line).
#[inline]
pub fn sequence_hash(token_hashes: &[u64]) -> u64 {
    let mut bytes = [0u8; 8 * 16];
    if token_hashes.len() <= 16 {
        for (i, h) in token_hashes.iter().enumerate() {
            bytes[i * 8..i * 8 + 8].copy_from_slice(&h.to_le_bytes());
        }
        xxh3_64(&bytes[..token_hashes.len() * 8])
    } else {
        let all: Vec<u8> = token_hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        xxh3_64(&all)
    }
}

/// Appends the hashes of every `n`-token shingle of `tokens` to `out`, in order (with
/// repeats).
pub fn shingles_into(tokens: &[u64], n: usize, out: &mut Vec<u64>) {
    let n = n.max(1);
    if tokens.is_empty() {
        return;
    }
    if tokens.len() < n {
        out.push(sequence_hash(tokens));
        return;
    }
    out.extend(tokens.windows(n).map(sequence_hash));
}

/// The set of shingle hashes of `tokens`: sorted, without repeats.
pub fn shingle_set(tokens: &[u64], n: usize) -> Vec<u64> {
    let mut out = Vec::with_capacity(tokens.len());
    shingles_into(tokens, n, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_the_specified_values() {
        // Pinned: these must never change, or stored signatures stop matching.
        assert_eq!(token_hash("ترامب"), xxh3_64("ترامب".as_bytes()));
        assert_eq!(token_hash(""), 0x2d06800538d394c2);
        let t = [token_hash("a"), token_hash("b")];
        let mut manual = Vec::new();
        manual.extend_from_slice(&t[0].to_le_bytes());
        manual.extend_from_slice(&t[1].to_le_bytes());
        assert_eq!(sequence_hash(&t), xxh3_64(&manual));
        let long: Vec<u64> = (0..40).collect();
        let manual: Vec<u8> = long.iter().flat_map(|h| h.to_le_bytes()).collect();
        assert_eq!(sequence_hash(&long), xxh3_64(&manual));
    }

    #[test]
    fn shingles_slide_and_short_documents_get_one() {
        let t: Vec<u64> = (1..=5).collect();
        assert_eq!(shingle_set(&t, 3).len(), 3);
        assert_eq!(shingle_set(&t, 9), vec![sequence_hash(&t)]);
        assert!(shingle_set(&[], 3).is_empty());
        assert_eq!(shingle_set(&[7, 7, 7, 7], 2).len(), 1);
    }
}
