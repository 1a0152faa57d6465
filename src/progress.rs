//! One observer of the pipeline, in the shape of ripgrep's `Sink`: the library tells it when
//! each [`Stage`] starts, how far it got and how long it took, and asks it whether to stop.
//! Progress bars (`TerminalProgress`, with the default `cli` feature), timings ([`Timings`]) and `bench` are observers;
//! [`NoObserver`] is the default.

use std::sync::Mutex;
use std::time::Instant;

/// The stages of the pipeline, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Reading and parsing inputs (counted in bytes).
    Read,
    /// Analysis, pass 1: language, lines and tokens of each document.
    Scan,
    /// Analysis, pass 2: boilerplate lines out, terms and headlines of each document.
    Analyse,
    /// Shingle sets of each document.
    Shingles,
    /// MinHash signatures of each document.
    Minhash,
    /// Candidate pairs from LSH bands.
    Lsh,
    /// Exact Jaccard (or estimate) of each candidate pair.
    Verify,
    /// Exact all-pairs join (instead of MinHash, LSH and verification).
    ExactJoin,
    /// Near-duplicate groups from the verified pairs.
    Groups,
    /// TF-IDF vectors of the near-duplicate groups' representatives (counted in vectors).
    Tfidf,
    /// The neighbour graph over the vectors.
    Neighbours,
    /// Stories by relative average linkage (counted in merges, with no total: how many
    /// there will be is what the linkage finds).
    Linkage,
    /// Centroid refinement of the stories (counted in nodes placed, over the most rounds
    /// allowed; rounds that convergence spares count as done).
    Refine,
    /// Topics over the stories (counted in merges, with no total).
    Topics,
    /// Labels and key sentences of each story (each story counted in each of
    /// [`SUMMARY_PASSES`](crate::summary::SUMMARY_PASSES) passes).
    Summaries,
    /// `synth`: variants generated and written (not a stage of the story pipeline).
    Synth,
}

impl Stage {
    /// Every stage, in pipeline order, then `synth`.
    pub const ALL: [Stage; 16] = [
        Stage::Read,
        Stage::Scan,
        Stage::Analyse,
        Stage::Shingles,
        Stage::Minhash,
        Stage::Lsh,
        Stage::Verify,
        Stage::ExactJoin,
        Stage::Groups,
        Stage::Tfidf,
        Stage::Neighbours,
        Stage::Linkage,
        Stage::Refine,
        Stage::Topics,
        Stage::Summaries,
        Stage::Synth,
    ];

    /// The stage's name in outputs (`"exact join"`).
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Scan => "scan",
            Stage::Analyse => "analyse",
            Stage::Shingles => "shingles",
            Stage::Minhash => "minhash",
            Stage::Lsh => "lsh",
            Stage::Verify => "verify",
            Stage::ExactJoin => "exact join",
            Stage::Groups => "groups",
            Stage::Tfidf => "tfidf",
            Stage::Neighbours => "neighbours",
            Stage::Linkage => "linkage",
            Stage::Refine => "refine",
            Stage::Topics => "topics",
            Stage::Summaries => "summaries",
            Stage::Synth => "synth",
        }
    }

    /// What the stage counts: `"bytes"` when reading, else items (documents, pairs, merges).
    pub fn counts_bytes(self) -> bool {
        self == Stage::Read
    }
}

/// Receives the pipeline's events. Every method has a default that does nothing, so an
/// observer implements only what it needs. Methods may be called from several threads.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use storyclust::progress::{PipelineObserver, Stage};
///
/// /// Counts the documents analysed.
/// #[derive(Default)]
/// struct Analysed(AtomicU64);
///
/// impl PipelineObserver for Analysed {
///     fn progress(&self, stage: Stage, done: u64) {
///         if stage == Stage::Analyse {
///             self.0.fetch_add(done, Ordering::Relaxed);
///         }
///     }
/// }
/// ```
pub trait PipelineObserver: Sync {
    /// `stage` starts; `total` is the count it will reach, when known.
    fn stage_started(&self, _stage: Stage, _total: Option<u64>) {}
    /// `done` more units of `stage` are done (an increment, not a position).
    fn progress(&self, _stage: Stage, _done: u64) {}
    /// `stage` ended after `seconds` of wall time.
    fn stage_finished(&self, _stage: Stage, _seconds: f64) {}
    /// Whether the run should stop: checked between stages and while reading, and the run
    /// then ends with [`Error::Interrupted`](crate::Error::Interrupted).
    fn should_stop(&self) -> bool {
        false
    }
}

/// Observes nothing: the library's default.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoObserver;

impl PipelineObserver for NoObserver {}

impl<T: PipelineObserver + ?Sized> PipelineObserver for &T {
    fn stage_started(&self, stage: Stage, total: Option<u64>) {
        (**self).stage_started(stage, total)
    }
    fn progress(&self, stage: Stage, done: u64) {
        (**self).progress(stage, done)
    }
    fn stage_finished(&self, stage: Stage, seconds: f64) {
        (**self).stage_finished(stage, seconds)
    }
    fn should_stop(&self) -> bool {
        (**self).should_stop()
    }
}

/// Both observers see every event; the run stops when either asks.
impl<A: PipelineObserver, B: PipelineObserver> PipelineObserver for (A, B) {
    fn stage_started(&self, stage: Stage, total: Option<u64>) {
        self.0.stage_started(stage, total);
        self.1.stage_started(stage, total);
    }
    fn progress(&self, stage: Stage, done: u64) {
        self.0.progress(stage, done);
        self.1.progress(stage, done);
    }
    fn stage_finished(&self, stage: Stage, seconds: f64) {
        self.0.stage_finished(stage, seconds);
        self.1.stage_finished(stage, seconds);
    }
    fn should_stop(&self) -> bool {
        self.0.should_stop() || self.1.should_stop()
    }
}

/// A running stage: reports its start, and its wall time when [`StageClock::finish`]ed.
pub(crate) struct StageClock<'a> {
    observer: &'a dyn PipelineObserver,
    stage: Stage,
    start: Instant,
}

impl<'a> StageClock<'a> {
    pub(crate) fn start(
        observer: &'a dyn PipelineObserver,
        stage: Stage,
        total: Option<u64>,
    ) -> StageClock<'a> {
        observer.stage_started(stage, total);
        StageClock {
            observer,
            stage,
            start: Instant::now(),
        }
    }

    /// Reports `done` more units.
    pub(crate) fn advance(&self, done: u64) {
        self.observer.progress(self.stage, done);
    }

    pub(crate) fn finish(self) {
        let seconds = self.start.elapsed().as_secs_f64();
        self.observer.stage_finished(self.stage, seconds);
    }
}

/// Wall seconds per stage, in the order the stages finished: what replaces hand-kept
/// timings in the outputs and `bench`.
#[derive(Debug, Default)]
pub struct Timings {
    laps: Mutex<Vec<(Stage, f64)>>,
}

impl Timings {
    /// No stage timed yet.
    pub fn new() -> Timings {
        Timings::default()
    }

    /// Every finished stage with its seconds, in the order they finished.
    pub fn stages(&self) -> Vec<(Stage, f64)> {
        self.laps.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Seconds of `stage` (summed if it ran more than once), if it ran.
    pub fn seconds(&self, stage: Stage) -> Option<f64> {
        let laps = self.stages();
        let of: Vec<f64> = laps.iter().filter(|l| l.0 == stage).map(|l| l.1).collect();
        (!of.is_empty()).then(|| of.iter().sum())
    }

    /// Seconds of every stage.
    pub fn total(&self) -> f64 {
        self.stages().iter().map(|l| l.1).sum()
    }
}

impl PipelineObserver for Timings {
    fn stage_finished(&self, stage: Stage, seconds: f64) {
        if let Ok(mut laps) = self.laps.lock() {
            laps.push((stage, seconds));
        }
    }
}

#[cfg(feature = "cli")]
pub use terminal::TerminalProgress;

/// Progress bars drawn with indicatif: only the command-line tool needs them, so the engine
/// built without the `cli` feature does not pull indicatif in.
#[cfg(feature = "cli")]
mod terminal {
    use super::{PipelineObserver, Stage};
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    use std::sync::Mutex;

    /// Progress bars on standard error, one per stage, drawn only when enabled and standard
    /// error is a terminal. Rates are whole units per second.
    pub struct TerminalProgress {
        shown: bool,
        bar: Mutex<Option<ProgressBar>>,
    }

    impl TerminalProgress {
        /// Bars when `enabled` (not `--quiet`) and standard error is a terminal.
        pub fn new(enabled: bool) -> TerminalProgress {
            TerminalProgress {
                shown: enabled && std::io::stderr().is_terminal(),
                bar: Mutex::new(None),
            }
        }

        fn template(stage: Stage, total: Option<u64>) -> &'static str {
            match (stage.counts_bytes(), total) {
                (true, _) => "{msg:>12} {spinner} {bytes} ({binary_bytes_per_sec})",
                (false, Some(_)) => {
                    "{msg:>12} [{bar:30}] {human_pos}/{human_len} ({rate}/s, {eta})"
                }
                // No total (merges): a count, so that the stage is seen to move.
                (false, None) => "{msg:>12} {spinner} {human_pos} ({rate}/s, {elapsed})",
            }
        }
    }

    impl PipelineObserver for TerminalProgress {
        fn stage_started(&self, stage: Stage, total: Option<u64>) {
            if !self.shown {
                return;
            }
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            // indicatif's own per_sec shows fractions: the rate is rounded to a whole number.
            let style = ProgressStyle::with_template(Self::template(stage, total)).map(|s| {
                s.with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{}", state.per_sec().round() as u64);
                    },
                )
            });
            if let Ok(style) = style {
                bar.set_style(style);
            }
            bar.set_message(stage.name());
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            if let Ok(mut slot) = self.bar.lock() {
                if let Some(old) = slot.replace(bar) {
                    old.finish_and_clear();
                }
            }
        }

        fn progress(&self, _stage: Stage, done: u64) {
            if let Ok(slot) = self.bar.lock() {
                if let Some(bar) = slot.as_ref() {
                    bar.inc(done);
                }
            }
        }

        fn stage_finished(&self, _stage: Stage, _seconds: f64) {
            if let Ok(mut slot) = self.bar.lock() {
                if let Some(bar) = slot.take() {
                    bar.finish_and_clear();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timings_sum_a_stage_and_keep_the_order() {
        let t = Timings::new();
        let observer: &dyn PipelineObserver = &t;
        observer.stage_finished(Stage::Read, 1.0);
        observer.stage_finished(Stage::Analyse, 2.0);
        observer.stage_finished(Stage::Read, 0.5);
        assert_eq!(t.seconds(Stage::Read), Some(1.5));
        assert_eq!(t.seconds(Stage::Topics), None);
        assert_eq!(t.total(), 3.5);
        assert_eq!(t.stages()[1], (Stage::Analyse, 2.0));
    }

    #[test]
    fn names_are_unique_and_in_order() {
        let mut names: Vec<&str> = Stage::ALL.iter().map(|s| s.name()).collect();
        assert!(Stage::ALL.windows(2).all(|w| w[0] < w[1]));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Stage::ALL.len());
    }
}
