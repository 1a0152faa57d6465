//! The pipeline's observer: every stage is seen once, in order, with totals that match what
//! it counts; progress reaches the totals; and `should_stop` ends a run with
//! `Error::Interrupted`.

use std::sync::Mutex;
use storyclust::corpus::{read_corpus_observed, Corpus, ReadOptions};
use storyclust::pipeline::{run_stories, PipelineOptions, StoryRun};
use storyclust::progress::{NoObserver, PipelineObserver, Stage, Timings};
use storyclust::Error;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Started(Stage, Option<u64>),
    Progress(Stage, u64),
    Finished(Stage),
}

/// Records every event; asks to stop once `stop_after` has finished.
#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<Event>>,
    stop_after: Option<Stage>,
}

impl Recorder {
    fn stopping_after(stage: Stage) -> Recorder {
        Recorder {
            stop_after: Some(stage),
            ..Recorder::default()
        }
    }

    fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }

    /// The stages started, in order.
    fn started(&self) -> Vec<Stage> {
        let events = self.events();
        events
            .iter()
            .filter_map(|e| match e {
                Event::Started(s, _) => Some(*s),
                _ => None,
            })
            .collect()
    }

    fn total(&self, stage: Stage) -> Option<u64> {
        self.events().iter().find_map(|e| match e {
            Event::Started(s, total) if *s == stage => *total,
            _ => None,
        })
    }

    fn done(&self, stage: Stage) -> u64 {
        let events = self.events();
        events
            .iter()
            .map(|e| match e {
                Event::Progress(s, n) if *s == stage => *n,
                _ => 0,
            })
            .sum()
    }
}

impl PipelineObserver for Recorder {
    fn stage_started(&self, stage: Stage, total: Option<u64>) {
        self.events
            .lock()
            .unwrap()
            .push(Event::Started(stage, total));
    }
    fn progress(&self, stage: Stage, done: u64) {
        self.events
            .lock()
            .unwrap()
            .push(Event::Progress(stage, done));
    }
    fn stage_finished(&self, stage: Stage, seconds: f64) {
        assert!(seconds >= 0.0);
        self.events.lock().unwrap().push(Event::Finished(stage));
    }
    fn should_stop(&self) -> bool {
        let events = self.events.lock().unwrap();
        self.stop_after
            .is_some_and(|stop| events.contains(&Event::Finished(stop)))
    }
}

const CORPUS: &str = "data/synth-sample.jsonl";

fn read(observer: &dyn PipelineObserver) -> Corpus {
    read_corpus_observed(&[CORPUS], &ReadOptions::default(), observer).unwrap()
}

fn run(options: &PipelineOptions, observer: &Recorder) -> StoryRun {
    let corpus = read(observer);
    run_stories(&corpus.documents, options, observer).unwrap()
}

#[test]
fn every_stage_is_seen_once_in_order_with_the_right_totals() {
    let observer = Recorder::default();
    let run = run(&PipelineOptions::default(), &observer);
    let documents = run.analyzed.documents.len() as u64;
    assert_eq!(documents, 20);
    let minhash_path: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|&s| s != Stage::ExactJoin && s != Stage::Synth)
        .collect();
    assert_eq!(observer.started(), minhash_path);

    // Each stage starts, reports progress, and finishes before the next starts.
    let mut current = None;
    for event in observer.events() {
        match event {
            Event::Started(s, _) => {
                assert_eq!(current, None, "{s:?} started inside {current:?}");
                current = Some(s);
            }
            Event::Progress(s, _) => assert_eq!(current, Some(s)),
            Event::Finished(s) => assert_eq!(current.take(), Some(s)),
        }
    }
    assert_eq!(current, None);

    // Every document once (the analysis used to count each twice), and the bars reach it.
    for stage in [Stage::Scan, Stage::Analyse, Stage::Shingles, Stage::Minhash] {
        assert_eq!(observer.total(stage), Some(documents), "{stage:?}");
        assert_eq!(observer.done(stage), documents, "{stage:?}");
    }
    let candidates = run.duplicates.candidates as u64;
    assert!(candidates > 0);
    assert_eq!(observer.total(Stage::Verify), Some(candidates));
    assert_eq!(observer.done(Stage::Verify), candidates);
    // The neighbour search counts each group's representative once.
    let vectors = run.clusters.model.vectors.len() as u64;
    assert!(vectors < documents, "near-duplicates share one vector");
    assert_eq!(observer.total(Stage::Neighbours), Some(vectors));
    assert_eq!(observer.done(Stage::Neighbours), vectors);
    // Reading counts the bytes read.
    let bytes = std::fs::metadata(CORPUS).unwrap().len();
    assert_eq!(observer.done(Stage::Read), bytes);
    // TF-IDF counts the vectors it makes: one per representative.
    assert_eq!(observer.total(Stage::Tfidf), Some(vectors));
    assert_eq!(observer.done(Stage::Tfidf), vectors);
    // Refinement counts nodes placed in each of its rounds; the rounds convergence spares
    // count as done, so the bar reaches its total.
    let rounds = PipelineOptions::default().stories.refine_rounds as u64;
    assert_eq!(observer.total(Stage::Refine), Some(rounds * vectors));
    assert_eq!(observer.done(Stage::Refine), rounds * vectors);
    // Summaries count each story in each of their passes.
    let stories = run.stories.stories.len() as u64;
    let passes = storyclust::summary::SUMMARY_PASSES * stories;
    assert_eq!(observer.total(Stage::Summaries), Some(passes));
    assert_eq!(observer.done(Stage::Summaries), passes);
    // Linkage and topics count merges, unknown ahead: no total, but a count that moves,
    // and never more merges than nodes less one.
    for stage in [Stage::Linkage, Stage::Topics] {
        assert_eq!(observer.total(stage), None, "{stage:?}");
    }
    let merges = observer.done(Stage::Linkage);
    let multi = run.stories.stories.iter().filter(|s| s.size > 1).count() as u64;
    assert!(merges >= 1 && merges < vectors, "{merges} merges");
    assert!(multi >= 1);
    let topics = run.stories.topics.len() as u64;
    assert_eq!(observer.done(Stage::Topics), stories - topics);
}

#[test]
fn refinement_over_several_rounds_reaches_its_total() {
    let mut options = PipelineOptions::default();
    options.stories.refine_rounds = 5;
    let observer = Recorder::default();
    let run = run(&options, &observer);
    let nodes = run.clusters.model.vectors.len() as u64;
    assert_eq!(observer.total(Stage::Refine), Some(5 * nodes));
    assert_eq!(observer.done(Stage::Refine), 5 * nodes);
}

#[test]
fn synth_reports_every_article_it_makes() {
    let corpus = read(&NoObserver);
    let mut options = storyclust::synth::SynthOptions::default();
    options.copies = 3;
    let observer = Recorder::default();
    let mut made = Vec::new();
    storyclust::synth::synthesize_each_observed(&corpus.documents, &options, &observer, |a| {
        made.push(a.id);
        Ok(())
    })
    .unwrap();
    let total = corpus.documents.len() as u64 * 4;
    assert_eq!(made.len() as u64, total);
    assert_eq!(observer.started(), vec![Stage::Synth]);
    assert_eq!(observer.total(Stage::Synth), Some(total));
    assert_eq!(observer.done(Stage::Synth), total);
    assert!(observer.events().contains(&Event::Finished(Stage::Synth)));
}

#[test]
fn the_exact_join_replaces_minhash_lsh_and_verification() {
    let mut options = PipelineOptions::default();
    options.dedup.method = storyclust::minhash::Method::ExactJoin;
    let observer = Recorder::default();
    let exact = run(&options, &observer);
    let started = observer.started();
    assert!(started.contains(&Stage::ExactJoin));
    for stage in [Stage::Minhash, Stage::Lsh, Stage::Verify] {
        assert!(!started.contains(&stage), "{stage:?}");
    }
    // The same pairs as MinHash finds on this corpus.
    let minhash = run(&PipelineOptions::default(), &Recorder::default());
    let pairs = |r: &StoryRun| -> Vec<(u32, u32)> {
        r.duplicates.pairs.iter().map(|p| (p.a, p.b)).collect()
    };
    assert_eq!(pairs(&exact), pairs(&minhash));
}

#[test]
fn observing_changes_no_result() {
    let corpus = read(&NoObserver);
    let options = PipelineOptions::default();
    let quiet = run_stories(&corpus.documents, &options, &NoObserver).unwrap();
    let timings = Timings::new();
    let timed = run_stories(&corpus.documents, &options, &timings).unwrap();
    assert_eq!(quiet.clusters.labels, timed.clusters.labels);
    assert_eq!(quiet.clusters.topics, timed.clusters.topics);
    assert_eq!(
        format!("{:?}", quiet.stories.stories),
        format!("{:?}", timed.stories.stories)
    );
    // The timings hold every stage that ran, once, in order.
    let stages: Vec<Stage> = timings.stages().iter().map(|s| s.0).collect();
    let expected: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|&s| s != Stage::Read && s != Stage::ExactJoin && s != Stage::Synth)
        .collect();
    assert_eq!(stages, expected);
    assert!(timings.seconds(Stage::Neighbours).is_some());
    assert_eq!(timings.seconds(Stage::ExactJoin), None);
}

#[test]
fn should_stop_ends_the_run_at_the_next_stage_with_interrupted() {
    let corpus = read(&NoObserver);
    for stop in [
        Stage::Analyse,
        Stage::Groups,
        Stage::Neighbours,
        Stage::Topics,
    ] {
        let observer = Recorder::stopping_after(stop);
        let result = run_stories(&corpus.documents, &PipelineOptions::default(), &observer);
        assert!(matches!(result, Err(Error::Interrupted)), "after {stop:?}");
        // Nothing started after the stage that asked to stop.
        assert_eq!(observer.started().last(), Some(&stop));
        assert_eq!(Error::Interrupted.to_string(), "interrupted");
    }
}

#[test]
fn should_stop_ends_reading_too() {
    struct Stop;
    impl PipelineObserver for Stop {
        fn should_stop(&self) -> bool {
            true
        }
    }
    let result = read_corpus_observed(&[CORPUS], &ReadOptions::default(), &Stop);
    assert!(matches!(result, Err(Error::Interrupted)));
}
