//! `storyclust bench`: every stage of the pipeline, timed, at several corpus scales and
//! thread counts.
//!
//! A corpus at scale k holds every input article and k − 1 synthetic variants of each
//! ([`crate::synth::synthesize`]), written to a temporary JSONL file so that reading is
//! measured too. Peak RSS per stage is the resident high-water mark, reset before each
//! stage through `/proc/self/clear_refs` (Linux; absent elsewhere).

use crate::corpus::{read_corpus_observed, Document, ReadOptions};
use crate::error::{Error, Result};
use crate::pipeline::{run_stories, PipelineOptions};
use crate::progress::{PipelineObserver, Stage};
use crate::synth::{synthesize, write_synth_jsonl, SynthOptions};
use serde::Serialize;
use std::path::Path;
use std::sync::Mutex;

/// One stage of one run.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StageFigures {
    /// The stage.
    pub stage: &'static str,
    /// Wall seconds.
    pub seconds: f64,
    /// Documents per second.
    pub docs_per_second: f64,
    /// Megabytes (10⁶ bytes) of text per second.
    pub mb_per_second: f64,
    /// Peak resident memory during the stage, in megabytes (Linux only).
    pub peak_rss_mb: Option<f64>,
}

/// One run: a scale and a thread count.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Run {
    /// Corpus scale (1 = the input itself).
    pub scale: usize,
    /// Worker threads.
    pub threads: usize,
    /// Documents.
    pub documents: usize,
    /// Bytes of text.
    pub text_bytes: u64,
    /// Stories found (with two articles or more).
    pub stories: usize,
    /// Near-duplicate pairs found.
    pub duplicate_pairs: usize,
    /// Per stage, in pipeline order.
    pub stages: Vec<StageFigures>,
    /// All stages.
    pub total: StageFigures,
    /// Total time divided by the total time at scale 1 with the same threads.
    pub ratio_to_scale_1: Option<f64>,
}

/// `bench --json`: every run.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct BenchReport {
    /// The version of this output's schema (`schemas/bench.schema.json`).
    pub schema_version: crate::report::SchemaVersion,
    /// The runs, by scale then thread count.
    pub runs: Vec<Run>,
}

impl BenchReport {
    /// The report of `runs` (what [`bench()`] returns).
    pub fn new(runs: Vec<Run>) -> BenchReport {
        BenchReport {
            schema_version: crate::report::SchemaVersion,
            runs,
        }
    }
}

/// Every output's schema, by file stem (see [`crate::report::schemas`]): the report's and
/// `bench --json`'s, which sits above the report.
pub fn schemas() -> Vec<(&'static str, schemars::Schema)> {
    let mut all = crate::report::schemas();
    all.push(("bench", schemars::schema_for!(BenchReport)));
    all.sort_by_key(|(name, _)| *name);
    all
}

/// Benchmarks the pipeline on `base` at every scale and thread count; `observer` sees every
/// run's stages too (progress bars, interruption).
pub fn bench(
    base: &[Document],
    scales: &[usize],
    threads: &[usize],
    observer: &dyn PipelineObserver,
) -> Result<Vec<Run>> {
    // Every scale's options are checked before any file is made.
    for &scale in scales {
        scale_options(scale).check()?;
    }
    let mut runs = Vec::new();
    let dir = std::env::temp_dir().join(format!("storyclust-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    for &scale in scales {
        let articles = synthesize(base, &scale_options(scale))?;
        let path = dir.join(format!("scale-{scale}.jsonl"));
        crate::corpus::write_atomic(&path, |w| write_synth_jsonl(w, &articles))?;
        drop(articles);
        for &t in threads {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t.max(1))
                .build()
                .map_err(|e| Error::InvalidOption {
                    field: "threads",
                    why: format!("cannot start {t} threads: {e}"),
                })?;
            let run = pool.install(|| run_once(&path, scale, t.max(1), observer))?;
            runs.push(run);
        }
        let _ = std::fs::remove_file(&path);
    }
    let _ = std::fs::remove_dir(&dir);
    for i in 0..runs.len() {
        let base_total = runs
            .iter()
            .find(|r| r.scale == scales[0] && r.threads == runs[i].threads)
            .map(|r| r.total.seconds);
        runs[i].ratio_to_scale_1 = base_total.map(|b| runs[i].total.seconds / b.max(1e-9));
    }
    Ok(runs)
}

/// The synthetic corpus of `scale`: the input and `scale - 1` variants of each article.
fn scale_options(scale: usize) -> SynthOptions {
    SynthOptions {
        copies: scale.max(1) - 1,
        ..SynthOptions::default()
    }
}

/// Each finished stage's seconds and peak resident memory. The high-water mark is reset
/// when a stage starts, so each peak is its own stage's.
#[derive(Default)]
struct StageRecorder {
    stages: Mutex<Vec<(Stage, f64, Option<f64>)>>,
}

impl PipelineObserver for StageRecorder {
    fn stage_started(&self, _stage: Stage, _total: Option<u64>) {
        reset_peak_rss();
    }

    fn stage_finished(&self, stage: Stage, seconds: f64) {
        if let Ok(mut stages) = self.stages.lock() {
            stages.push((stage, seconds, peak_rss_mb()));
        }
    }
}

fn run_once(
    path: &Path,
    scale: usize,
    threads: usize,
    observer: &dyn PipelineObserver,
) -> Result<Run> {
    let recorder = StageRecorder::default();
    let both = (&recorder, observer);
    let corpus = read_corpus_observed(&[path], &ReadOptions::default(), &both)?;
    let docs = &corpus.documents;
    let run = run_stories(docs, &PipelineOptions::default(), &both)?;
    let stages = recorder.stages.into_inner().unwrap_or_default();
    let documents = docs.len();
    let text_bytes: u64 = docs.iter().map(|d| d.text_len() as u64).sum();
    let figures = |stage: &'static str, seconds: f64, peak_rss_mb: Option<f64>| StageFigures {
        stage,
        seconds,
        docs_per_second: documents as f64 / seconds.max(1e-9),
        mb_per_second: text_bytes as f64 / 1e6 / seconds.max(1e-9),
        peak_rss_mb,
    };
    let total_seconds: f64 = stages.iter().map(|s| s.1).sum();
    let total_peak = stages
        .iter()
        .filter_map(|s| s.2)
        .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
    Ok(Run {
        scale,
        threads,
        documents,
        text_bytes,
        stories: run.stories.stories.iter().filter(|s| s.size > 1).count(),
        duplicate_pairs: run.duplicates.pairs.len(),
        stages: stages
            .iter()
            .map(|&(stage, s, p)| figures(stage.name(), s, p))
            .collect(),
        total: figures("total", total_seconds, total_peak),
        ratio_to_scale_1: None,
    })
}

/// The resident high-water mark in MB, from `/proc/self/status` (`VmHWM`).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the high-water mark to the current resident size (Linux 4.0+).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A table for a person to read.
pub fn bench_text(runs: &[Run]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    for r in runs {
        let _ = writeln!(
            s,
            "scale {}× · {} thread{} · {} documents · {:.1} MB of text · {} stories · {} near-duplicate pairs{}",
            r.scale,
            r.threads,
            if r.threads == 1 { "" } else { "s" },
            r.documents,
            r.text_bytes as f64 / 1e6,
            r.stories,
            r.duplicate_pairs,
            r.ratio_to_scale_1.map(|x| format!(" · time ×{x:.2} of scale {}×", runs[0].scale)).unwrap_or_default()
        );
        let _ = writeln!(
            s,
            "  {:<20} {:>9} {:>11} {:>9} {:>10}",
            "stage", "seconds", "docs/s", "MB/s", "peak MB"
        );
        for f in r.stages.iter().chain(std::iter::once(&r.total)) {
            let _ = writeln!(
                s,
                "  {:<20} {:>9.3} {:>11.0} {:>9.1} {:>10}",
                f.stage,
                f.seconds,
                f.docs_per_second,
                f.mb_per_second,
                f.peak_rss_mb
                    .map(|p| format!("{p:.0}"))
                    .unwrap_or_else(|| "—".into())
            );
        }
        s.push('\n');
    }
    s
}
