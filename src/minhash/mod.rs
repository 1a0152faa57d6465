//! Near-duplicates: MinHash signatures over shingles, LSH banding, exact verification, an
//! exact set-similarity join, and groups.

mod dedup;
mod join;
mod lsh;
pub(crate) mod signature;
mod union_find;
mod verify;

pub use dedup::{
    check_inputs, explain, find_duplicates, find_duplicates_taking_tokens, id_order, Dedup,
    DedupOptions, DuplicateGroup, DuplicateGroups, Explanation, Method, ShingleSets, SimilarPair,
    Verify,
};
pub use join::exact_join;
pub use lsh::{band_key, candidates, shared_bands, Candidates, LshParams};
pub use signature::{MinHashParams, Scheme, Signatures, Signer, EMPTY};
pub use union_find::UnionFind;
pub use verify::{jaccard, overlap, passes};
