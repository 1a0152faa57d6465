//! storyclust: find near-duplicate news articles and group articles into stories.
//!
//! The pipeline, data flowing one way: [`corpus`] (documents, readers) → [`text`]
//! (normalisation, tokens, boilerplate, headlines, shingles) → [`minhash`] (signatures, LSH,
//! verification, near-duplicate groups) and [`tfidf`] (weights, neighbour graphs) →
//! [`cluster`] (stories and topics, evaluation) → [`summary`] (labels, key sentences) →
//! [`report`] (outputs). [`pipeline`] runs them in order and [`bench`](mod@bench) times them; [`synth`]
//! makes test corpora. [`error`] and [`progress`] serve every layer.
//!
//! A module imports only from the layers below it, never from one above or beside it:
//! `tests/layering.rs` checks every `crate::` path.
#![warn(missing_docs)]

pub mod bench;
pub mod cluster;
pub mod corpus;
pub mod error;
pub mod minhash;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod summary;
pub mod synth;
pub mod text;
pub mod tfidf;

pub use error::{Error, Result};
