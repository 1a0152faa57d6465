//! The record of a run that every output writer takes: where every record went (accounting),
//! the checked options it ran with (parameters) and how long each stage took (timings).

use crate::corpus::{Corpus, Severity};
use crate::progress::Timings;
use crate::summary::Stories;
use serde::Serialize;
use std::collections::BTreeMap;

/// A run as its outputs record it: `P` its parameters, `A` its accounting.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RunRecord<P, A> {
    /// The options the run was checked with, in the form the outputs record them.
    pub parameters: P,
    /// Where every record went.
    pub accounting: A,
    /// Seconds per stage, in the order the stages finished.
    pub timings: Vec<StageSeconds>,
}

/// The record of a `cluster` run.
pub type ClusterRecord = RunRecord<super::ClusterParameters, Accounting>;

/// The record of a `dedup` run.
pub type DedupRecord = RunRecord<super::DedupParameters, DedupAccounting>;

impl<P, A> RunRecord<P, A> {
    /// A record of `parameters` and `accounting`, with the stages `timings` saw so far.
    pub fn new(parameters: P, accounting: A, timings: &Timings) -> RunRecord<P, A> {
        RunRecord {
            parameters,
            accounting,
            timings: timings
                .stages()
                .into_iter()
                .map(|(stage, seconds)| StageSeconds {
                    stage: stage.name(),
                    seconds,
                })
                .collect(),
        }
    }

    /// The timings as one line: `read 0.12, scan 0.40, …`.
    pub fn timings_line(&self) -> String {
        let stages: Vec<String> = self
            .timings
            .iter()
            .map(|s| format!("{} {:.2}", s.stage, s.seconds))
            .collect();
        stages.join(", ")
    }
}

impl DedupRecord {
    /// The record of a `dedup` run over `corpus` with `options`.
    pub fn of_dedup(
        corpus: &Corpus,
        options: &crate::minhash::DedupOptions,
        timings: &Timings,
    ) -> DedupRecord {
        let parameters = super::DedupParameters::new(options);
        RunRecord::new(parameters, DedupAccounting::of(corpus), timings)
    }
}

/// The time one stage took.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StageSeconds {
    /// The stage.
    pub stage: &'static str,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Records seen, read and skipped: the part of the accounting every command shares.
struct Intake {
    seen: usize,
    read: usize,
    skipped: BTreeMap<&'static str, usize>,
}

impl Intake {
    fn of(corpus: &Corpus) -> Intake {
        let mut skipped = BTreeMap::new();
        for d in &corpus.diagnostics.items {
            if d.severity == Severity::Skipped {
                *skipped.entry(d.kind.name()).or_insert(0) += 1;
            }
        }
        let read = corpus.documents.len();
        Intake {
            seen: read + corpus.diagnostics.skipped(),
            read,
            skipped,
        }
    }
}

/// `read N, <done> N, skipped K (reasons…)`: one wording for every command.
fn account_line(
    read: usize,
    (done, n): (&str, usize),
    skipped: &BTreeMap<&'static str, usize>,
) -> String {
    let total: usize = skipped.values().sum();
    let reasons: Vec<String> = skipped.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let reasons = if reasons.is_empty() {
        String::new()
    } else {
        format!(" ({})", reasons.join(", "))
    };
    format!("read {read}, {done} {n}, skipped {total}{reasons}")
}

/// What a `cluster` run read and where every document went.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Accounting {
    /// Records seen: documents read plus records skipped.
    pub seen: usize,
    /// Documents read.
    pub read: usize,
    /// Documents placed in a story (every document read).
    pub clustered: usize,
    /// Records skipped, by reason.
    pub skipped: BTreeMap<&'static str, usize>,
    /// Stories with more than one article.
    pub stories: usize,
    /// Articles alone in their story.
    pub singletons: usize,
}

impl Accounting {
    /// The accounting of `stories` made from `corpus`.
    pub fn of_stories(corpus: &Corpus, stories: &Stories) -> Accounting {
        let intake = Intake::of(corpus);
        let stories = &stories.stories;
        Accounting {
            seen: intake.seen,
            read: intake.read,
            clustered: stories.iter().map(|s| s.size).sum(),
            skipped: intake.skipped,
            stories: stories.iter().filter(|s| s.size > 1).count(),
            singletons: stories.iter().filter(|s| s.size == 1).count(),
        }
    }

    /// The one-line account: `read N, clustered N, skipped K (reasons…)`.
    pub fn line(&self) -> String {
        account_line(self.read, ("clustered", self.clustered), &self.skipped)
    }
}

/// What a `dedup` run read and checked.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DedupAccounting {
    /// Records seen: documents read plus records skipped.
    pub seen: usize,
    /// Documents read.
    pub read: usize,
    /// Documents checked for near-duplicates (every document read).
    pub checked: usize,
    /// Records skipped, by reason.
    pub skipped: BTreeMap<&'static str, usize>,
}

impl DedupAccounting {
    /// The accounting of a `dedup` run over `corpus`: every document read is checked.
    pub fn of(corpus: &Corpus) -> DedupAccounting {
        let intake = Intake::of(corpus);
        DedupAccounting {
            seen: intake.seen,
            read: intake.read,
            checked: intake.read,
            skipped: intake.skipped,
        }
    }

    /// The one-line account: `read N, checked N, skipped K (reasons…)`.
    pub fn line(&self) -> String {
        account_line(self.read, ("checked", self.checked), &self.skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Diagnostic, DiagnosticKind, Document, Origin};
    use crate::progress::{PipelineObserver, Stage};
    use std::sync::Arc;

    /// Two documents read, three records skipped (two broken, one binary), one warning.
    fn corpus() -> Corpus {
        let mut corpus = Corpus {
            documents: vec![Document::new("a", "one"), Document::new("b", "two")],
            ..Corpus::default()
        };
        let origin = || Origin::line(Arc::new("x.jsonl".into()), 1);
        for kind in [
            DiagnosticKind::BrokenJson,
            DiagnosticKind::BinaryFile,
            DiagnosticKind::BrokenJson,
        ] {
            corpus
                .diagnostics
                .push(Diagnostic::skipped(kind, origin(), "bad"));
        }
        let warning = Diagnostic::warning(DiagnosticKind::InvalidUtf8, origin(), "lossy");
        corpus.diagnostics.push(warning);
        corpus
    }

    #[test]
    fn dedup_accounting_counts_skips_by_reason_and_says_checked() {
        let a = DedupAccounting::of(&corpus());
        assert_eq!((a.seen, a.read, a.checked), (5, 2, 2));
        assert_eq!(a.skipped.get("broken_json"), Some(&2));
        assert_eq!(
            a.skipped.len(),
            2,
            "warnings are not skips: {:?}",
            a.skipped
        );
        let line = a.line();
        assert!(line.starts_with("read 2, checked 2, skipped 3 ("), "{line}");
    }

    #[test]
    fn a_record_keeps_the_stages_timed_so_far_in_order() {
        let timings = Timings::new();
        timings.stage_finished(Stage::Read, 0.5);
        timings.stage_finished(Stage::Scan, 0.25);
        let record = RunRecord::new((), Accounting::default(), &timings);
        timings.stage_finished(Stage::Analyse, 1.0);
        let stages: Vec<&str> = record.timings.iter().map(|s| s.stage).collect();
        assert_eq!(stages, ["read", "scan"]);
        assert_eq!(record.timings_line(), "read 0.50, scan 0.25");
        assert_eq!(record.accounting.line(), "read 0, clustered 0, skipped 0");
    }
}
