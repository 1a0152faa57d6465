//! Options checks (issue 15): every options type's `check`, the composite's check asking its
//! parts, each stage refusing what its check refuses, and the CLI telling a refusal by the
//! option that set it (exit code 2, nothing written).

mod common;
use common::storyclust;

use storyclust::corpus::Document;
use storyclust::pipeline::{run_stories, PipelineOptions};
use storyclust::progress::NoObserver;
use storyclust::summary::SummaryOptions;
use storyclust::Error;

fn field(verdict: storyclust::Result<()>) -> Option<&'static str> {
    match verdict {
        Err(Error::InvalidOption { field, .. }) => Some(field),
        _ => None,
    }
}

#[test]
fn summary_options_check_names_a_label_too_long_to_count() {
    let d = SummaryOptions::default();
    assert_eq!(field(d.check()), None);
    let mut none = d;
    none.label_terms = 0;
    none.key_sentences = 0;
    assert_eq!(field(none.check()), None, "no label and no sentence work");
    let mut endless = d;
    endless.label_terms = usize::MAX;
    assert_eq!(field(endless.check()), Some("summary.label_terms"));
}

#[test]
fn the_pipeline_check_asks_every_stage_and_run_stories_refuses() {
    let d = PipelineOptions::default();
    assert_eq!(field(d.check()), None);
    let mut bad = d.clone();
    bad.analysis.headline.max_chars = 0;
    assert_eq!(field(bad.check()), Some("analysis.headline.max_chars"));
    let mut bad = d.clone();
    bad.dedup.ngram = 0;
    assert_eq!(field(bad.check()), Some("dedup.ngram"));
    let mut bad = d.clone();
    bad.stories.threshold = f64::NAN;
    assert_eq!(field(bad.check()), Some("stories.threshold"));
    let mut bad = d.clone();
    bad.summary.label_terms = usize::MAX;
    assert_eq!(field(bad.check()), Some("summary.label_terms"));
    let docs = [Document::new("a", "Rain fell on Riyadh on Monday.")];
    let refused = run_stories(&docs, &bad, &NoObserver);
    assert!(matches!(refused, Err(Error::InvalidOption { .. })));
    assert!(run_stories(&docs, &d, &NoObserver).is_ok());
}

/// Each value the library refuses, through the option that sets it: a usage error that
/// names the option and the library's field, and no output file.
#[test]
fn the_cli_names_the_option_of_a_refused_field() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str, &str); 13] = [
        (&["dedup", "--ngram", "33"], "--ngram", "dedup.ngram"),
        (
            &["dedup", "--num-perm", "5000"],
            "--num-perm",
            "dedup.minhash.num_perm",
        ),
        (
            &["dedup", "--bucket-cap", "1"],
            "--bucket-cap",
            "dedup.bucket_cap",
        ),
        (
            &["dedup", "--threshold", "0"],
            "--threshold",
            "dedup.threshold",
        ),
        (
            &["dedup", "--bands", "0", "--rows", "4"],
            "--bands/--rows",
            "dedup.lsh",
        ),
        (
            &["cluster", "--duplicate-threshold", "1.5"],
            "--duplicate-threshold",
            "dedup.threshold",
        ),
        (
            &["cluster", "--cohesion-ratio", "2"],
            "--cohesion-ratio",
            "stories.cohesion_ratio",
        ),
        (
            &["cluster", "--topic-cohesion-ratio", "-0.5"],
            "--topic-cohesion-ratio",
            "stories.topic_cohesion_ratio",
        ),
        (
            &["cluster", "--max-text-bytes", "0"],
            "--max-text-bytes",
            "read.max_text_bytes",
        ),
        (
            &["stats", "--boilerplate-source-docs", "1"],
            "--boilerplate-source-docs",
            "analysis.boilerplate.source_min_docs",
        ),
        (
            &["dedup", "--boilerplate-corpus-docs", "0"],
            "--boilerplate-corpus-docs",
            "analysis.boilerplate.corpus_min_docs",
        ),
        (
            &["synth", "--from", "seeds", "--copies", "10001"],
            "--copies",
            "synth.copies",
        ),
        (
            &["synth", "--from", "seeds", "--edit-rate", "1.5"],
            "--edit-rate",
            "synth.edit_rate",
        ),
    ];
    for (args, flag, library_field) in cases {
        let mut line = args.to_vec();
        if args[0] != "synth" {
            line.push("seeds");
        }
        // `stats` prints to standard output only.
        if args[0] != "stats" {
            line.extend(["-o", out]);
        }
        let run = storyclust(&line);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{line:?}: {stderr}");
        let named = format!("invalid value for {flag} ({library_field}): ");
        assert!(stderr.contains(&named), "{line:?}: {stderr}");
        assert!(run.stdout.is_empty(), "{line:?}");
        assert!(!std::path::Path::new(out).exists(), "{line:?}");
    }
}
