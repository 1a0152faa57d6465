//! Issue 15's second review of the library: options the exact join would ignore are refused
//! on the command line, public functions give errors instead of panics on bad input (bands
//! past the signature, signatures too long to allocate, released shingle sets, outputs of
//! other documents), invariants are kept by private fields, and the run keeps its options.

mod common;
use common::storyclust;

use storyclust::cluster::{cluster_stories, StoryModel, StoryOptions};
use storyclust::corpus::{Corpus, Document};
use storyclust::minhash::{
    candidates, explain, find_duplicates, shared_bands, Dedup, DedupOptions, LshParams,
    MinHashParams, ShingleSets, Signatures, Signer,
};
use storyclust::pipeline::{run_stories, PipelineOptions};
use storyclust::progress::{NoObserver, Timings};
use storyclust::report::{corpus_stats, render_html, DedupOutputs, DedupRecord, UiLang};
use storyclust::summary::{summarize, SummaryOptions};
use storyclust::text::{analyze, AnalysisOptions, AnalyzedCorpus};
use storyclust::Error;

const FLOOD: &str = "The river burst its banks overnight and flooded the old town of Ayr. \
                     Rescue teams moved two hundred families to the school on the hill.";

fn docs() -> Vec<Document> {
    vec![
        Document::new("wire", FLOOD),
        Document::new("copy", format!("{FLOOD} Reporting by our staff.")),
        Document::new(
            "update",
            "Floodwater in the old town of Ayr fell on Friday as rescue teams let the \
             families go home from the school.",
        ),
        Document::new(
            "rates",
            "The central bank raised interest rates by half a point to slow inflation, the \
             governor said on Tuesday.",
        ),
        Document::new(
            "rates-2",
            "Inflation slowed after the central bank raised interest rates, the governor \
             told parliament.",
        ),
    ]
}

fn analyzed(docs: &[Document]) -> AnalyzedCorpus {
    analyze(docs, &AnalysisOptions::default()).unwrap()
}

fn found(docs: &[Document]) -> Dedup {
    find_duplicates(docs, &analyzed(docs), &DedupOptions::default()).unwrap()
}

/// The mismatch, as (what, expected, got).
fn mismatch<T>(result: storyclust::Result<T>) -> (&'static str, usize, usize) {
    match result {
        Err(Error::Mismatch {
            what,
            expected,
            got,
        }) => (what, expected, got),
        Err(other) => panic!("expected a mismatch, got {other:?}"),
        Ok(_) => panic!("expected a mismatch, got a result"),
    }
}

#[test]
fn exact_refuses_every_minhash_option_it_would_ignore() {
    let ignored: [&[&str]; 7] = [
        &["--num-perm", "64"],
        &["--num-perm", "0"],
        &["--seed", "9"],
        &["--bucket-cap", "5"],
        &["--scheme", "classic"],
        &["--verify", "estimate"],
        &["--bands", "4", "--rows", "4"],
    ];
    for option in ignored {
        let mut args = vec!["dedup", "--exact", "data/sample.jsonl", "--json"];
        args.extend_from_slice(option);
        let out = storyclust(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{option:?}: {stderr}");
        assert!(
            stderr.contains("cannot be used with"),
            "{option:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{option:?}");
    }
    // What the join uses is still accepted.
    let used = storyclust(&[
        "dedup",
        "--exact",
        "--ngram",
        "4",
        "--threshold",
        "0.7",
        "data/sample.jsonl",
        "--json",
    ]);
    assert!(
        used.status.success(),
        "{}",
        String::from_utf8_lossy(&used.stderr)
    );
}

#[test]
fn candidates_and_shared_bands_refuse_bands_past_the_signature() {
    let sets = vec![vec![1u64, 2, 3], vec![1, 2, 3]];
    let signatures = Signatures::compute(&sets, MinHashParams::default()).unwrap();
    let too_many = LshParams::new(20, 10); // 200 slots of a 128-slot signature
    let refused = candidates(&signatures, too_many, &[true; 2], &[0, 1], 1000);
    assert!(matches!(
        refused,
        Err(Error::InvalidOption {
            field: "dedup.lsh",
            ..
        })
    ));
    let refused = shared_bands(&signatures, too_many, 0, 1);
    assert!(matches!(
        refused,
        Err(Error::InvalidOption {
            field: "dedup.lsh",
            ..
        })
    ));
    let fits = LshParams::new(16, 8);
    assert_eq!(
        candidates(&signatures, fits, &[true; 2], &[0, 1], 1000)
            .unwrap()
            .pairs,
        [(0, 1)]
    );
    assert_eq!(shared_bands(&signatures, fits, 0, 1).unwrap().len(), 16);
    assert!(matches!(
        shared_bands(&signatures, fits, 0, 2),
        Err(Error::NoSuchDocument {
            index: 2,
            documents: 2
        })
    ));
    assert_eq!(
        mismatch(candidates(&signatures, fits, &[true], &[0, 1], 1000)),
        ("the include flags", 2, 1)
    );
    assert_eq!(
        mismatch(candidates(&signatures, fits, &[true; 2], &[0], 1000)),
        ("the document order", 2, 1)
    );
}

#[test]
fn signatures_and_signers_check_their_parameters_before_allocating() {
    let mut huge = MinHashParams::default();
    huge.num_perm = 1 << 40; // would abort on allocation
    let sets = vec![vec![1u64]];
    let field = |e: Error| match e {
        Error::InvalidOption { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(Signatures::compute(&sets, huge).unwrap_err()),
        "dedup.minhash.num_perm"
    );
    assert_eq!(
        field(Signer::new(huge).unwrap_err()),
        "dedup.minhash.num_perm"
    );
    let mut none = MinHashParams::default();
    none.num_perm = 0;
    assert!(Signer::new(none).is_err());
    assert!(Signatures::compute(&sets, none).is_err());
    assert_eq!(
        Signer::new(MinHashParams::default())
            .unwrap()
            .params()
            .num_perm,
        128
    );
}

#[test]
fn explain_after_run_stories_says_the_shingles_were_released() {
    let docs = docs();
    let run = run_stories(&docs, &PipelineOptions::default(), &NoObserver).unwrap();
    let refused = explain(&run.duplicates, 0, 1).unwrap_err();
    assert!(matches!(
        refused,
        Error::Unavailable {
            what: "shingle sets",
            ..
        }
    ));
    assert!(refused.to_string().contains("find_duplicates"), "{refused}");
    let kept = found(&docs);
    assert!(explain(&kept, 0, 1).unwrap().exact_jaccard >= 0.8);
    assert!(matches!(
        explain(&kept, 0, 5),
        Err(Error::NoSuchDocument {
            index: 5,
            documents: 5
        })
    ));
}

#[test]
fn stages_refuse_outputs_of_other_documents() {
    let docs = docs();
    let two = &docs[..2];
    // The analysis of two documents for five.
    let small = analyzed(two);
    let result = find_duplicates(&docs, &small, &DedupOptions::default());
    assert_eq!(mismatch(result), ("the analysis", 5, 2));
    // Near-duplicates of two documents for five.
    let analysis = analyzed(&docs);
    let other = found(two);
    let fit = StoryModel::fit(&docs, &analysis, &other, &StoryOptions::default());
    assert_eq!(mismatch(fit), ("the near-duplicates", 5, 2));
    let clusters = cluster_stories(&docs, &analysis, &other, &StoryOptions::default());
    assert_eq!(mismatch(clusters), ("the near-duplicates", 5, 2));
    let dedup = found(&docs);
    let clusters = cluster_stories(&docs, &analysis, &dedup, &StoryOptions::default()).unwrap();
    let (options, summary) = (AnalysisOptions::default(), SummaryOptions::default());
    let stories = summarize(two, &small, &clusters, &other, &options, &summary);
    assert_eq!(mismatch(stories), ("the story clusters", 2, 5));
    let stories = summarize(&docs, &analysis, &clusters, &other, &options, &summary);
    assert_eq!(mismatch(stories), ("the near-duplicates", 5, 2));
    // The outputs of `dedup`.
    let mut corpus = Corpus::default();
    corpus.documents = docs.clone();
    let record = DedupRecord::of_dedup(&corpus, &DedupOptions::default(), &Timings::new());
    let outputs = DedupOutputs::new(&docs[..1], &analysis, &dedup, &record);
    assert_eq!(mismatch(outputs), ("the analysis", 1, 5));
    let mut pairs = Vec::new();
    let outputs = DedupOutputs::new(&docs, &analysis, &dedup, &record).unwrap();
    outputs.write_pairs(&mut pairs).unwrap();
    assert_eq!(String::from_utf8(pairs).unwrap().lines().count(), 2); // header and a pair
    let stats = corpus_stats(&corpus, &small, &options, 10, 10);
    assert_eq!(mismatch(stats), ("the analysis", 5, 2));
    let message = Error::Mismatch {
        what: "the analysis",
        expected: 5,
        got: 2,
    }
    .to_string();
    assert!(
        message.contains("made from those same documents"),
        "{message}"
    );
}

#[test]
fn shingle_sets_made_elsewhere_must_be_sorted_without_repeats() {
    let kept = ShingleSets::new(vec![vec![1, 5, 9], vec![]]).unwrap();
    assert_eq!(kept.sets(), [vec![1, 5, 9], vec![]]);
    for bad in [vec![vec![1], vec![5, 1]], vec![vec![2, 2]]] {
        assert!(matches!(
            ShingleSets::new(bad),
            Err(Error::InvalidOption {
                field: "shingle_sets",
                ..
            })
        ));
    }
}

#[test]
fn the_run_keeps_the_options_it_ran_with() {
    let docs = docs();
    let mut options = PipelineOptions::default();
    options.stories.threshold = 0.35;
    options.analysis.terms = false; // run_stories turns terms on
    let timings = Timings::new();
    let run = run_stories(&docs, &options, &timings).unwrap();
    assert!(run.options.analysis.terms);
    let mut corpus = Corpus::default();
    corpus.documents = docs;
    let record = run.record(&corpus, &timings);
    assert_eq!(record.parameters.stories.threshold, 0.35);
    assert!(record.parameters.analysis.bigrams);
    // The HTML report's errors are the crate's own.
    let page: storyclust::Result<String> =
        render_html(&run.stories, &record, "test", UiLang::default());
    assert!(page.unwrap().contains("<html"));
}

#[test]
fn bigrams_without_terms_are_refused_not_ignored() {
    let mut options = AnalysisOptions::default();
    options.terms = false;
    options.bigrams = true;
    assert!(matches!(
        options.check(),
        Err(Error::InvalidOption {
            field: "analysis.bigrams",
            ..
        })
    ));
    assert!(analyze(&docs(), &options).is_err());
    options.bigrams = false;
    assert!(options.check().is_ok());
    // The pipeline checks the analysis it runs, terms on: bigrams are used there.
    let mut pipeline = PipelineOptions::default();
    pipeline.analysis.terms = false;
    pipeline.analysis.bigrams = true;
    assert!(pipeline.check().is_ok());
}
