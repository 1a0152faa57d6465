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
//! `tests/layering.rs` checks every `crate::` and `storyclust::` path, and every `super::`
//! chain that climbs to the crate root.
//!
//! # Example
//!
//! Near-duplicates, then stories with their summaries:
//!
//! ```
//! use storyclust::corpus::Document;
//! use storyclust::minhash::{find_duplicates, DedupOptions};
//! use storyclust::pipeline::{run_stories, PipelineOptions};
//! use storyclust::progress::NoObserver;
//! use storyclust::text::{analyze, AnalysisOptions};
//!
//! let flood = "The river burst its banks overnight and flooded the old town of Ayr. \
//!              Rescue teams moved two hundred families to the school on the hill.";
//! let docs = vec![
//!     Document::new("wire", flood),
//!     Document::new("copy", format!("{flood} Reporting by our staff.")),
//!     Document::new("update", "Floodwater in the old town of Ayr fell on Friday as \
//!                              rescue teams let the families go home from the school."),
//!     Document::new("rates", "The central bank raised interest rates by half a point \
//!                             to slow inflation, the governor said on Tuesday."),
//!     Document::new("rates-2", "Inflation slowed after the central bank raised \
//!                               interest rates, the governor told parliament."),
//! ];
//!
//! let analyzed = analyze(&docs, &AnalysisOptions::default())?;
//! let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default())?;
//! assert_eq!(dedup.pairs.len(), 1); // wire and copy
//!
//! let run = run_stories(&docs, &PipelineOptions::default(), &NoObserver)?;
//! let stories = &run.stories.stories;
//! assert_eq!(stories.len(), 2);
//! assert_eq!(stories[0].size, 3); // the flood: wire, copy and update
//! assert_eq!(stories[0].duplicate_groups.len(), 1); // wire and copy, shown once
//! # Ok::<(), storyclust::Error>(())
//! ```
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
