//! storyclust: find near-duplicate news articles and group articles into stories.
//!
//! The pipeline, data flowing one way: [`corpus`] (documents, readers) → [`text`]
//! (normalisation, tokens, boilerplate, headlines, shingles) → [`minhash`] (signatures, LSH,
//! verification, near-duplicate groups) → [`cluster`] (union-find, stories) → [`report`]
//! (outputs).
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
pub mod text;
pub mod tfidf;

pub use error::{Error, Result};
