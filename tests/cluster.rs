//! Story clustering through the binary and the library: the seeds, output formats,
//! determinism, and evaluation against the reference scorer.

mod common;
use common::{ok, storyclust, write_jsonl};

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use storyclust::cluster::{cluster_stories, StoryModel, StoryOptions};
use storyclust::corpus::{read_corpus, Document, ReadOptions};
use storyclust::minhash::{find_duplicates, DedupOptions};
use storyclust::summary::{summarize, SummaryOptions};
use storyclust::text::{analyze, AnalysisOptions};

#[test]
fn the_seeds_secret_calls_are_one_story_and_the_summit_is_not_in_it() {
    let json: serde_json::Value =
        serde_json::from_str(&ok(storyclust(&["cluster", "--format", "json"]))).unwrap();
    let stories = json["stories"].as_array().unwrap();
    let story_of = |prefix: &str| -> Vec<usize> {
        stories
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["id"].as_str().unwrap().starts_with(prefix))
            })
            .map(|(i, _)| i)
            .collect()
    };
    for seed in ["000", "001", "002", "003", "004"] {
        assert_eq!(
            story_of(seed).len(),
            1,
            "{seed} must be in exactly one story"
        );
    }
    assert_eq!(story_of("001"), story_of("003"));
    assert_ne!(story_of("002"), story_of("001"));
    for s in stories {
        assert!(s["id"].is_u64() && s["size"].is_u64() && s["headline"].is_string());
        let label = s["label"].as_array().unwrap();
        assert!((1..=6).contains(&label.len()) && label.iter().all(|t| t.is_string()));
        assert!(!s["key_sentences"].as_array().unwrap().is_empty());
    }
    assert!(json["parameters"]["stories"]["threshold"].is_f64());
    assert_eq!(json["accounting"]["read"], 5);
    assert_eq!(json["accounting"]["clustered"], 5);
}

#[test]
fn the_main_job_prints_a_table_and_scores_against_the_seed_stories() {
    let out = storyclust(&["cluster", "--gold", "data/seeds.gold.tsv"]);
    let table = ok(Output { ..out.clone() });
    assert!(table.contains("اتصالات “سرية” بين ترامب وبوتين"), "{table}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("read 5, clustered 5, skipped 0"),
        "{stderr}"
    );
    assert!(stderr.contains("B-cubed"), "{stderr}");
    let main_job = ok(storyclust(&[]));
    assert_eq!(main_job, ok(storyclust(&["cluster", "seeds"])));
}

#[test]
fn every_format_and_the_assignments() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["table", "json", "jsonl", "csv", "md"] {
        let path = dir.path().join(format!("stories.{format}"));
        ok(storyclust(&[
            "cluster",
            "--format",
            format,
            "-o",
            path.to_str().unwrap(),
        ]));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("001_524dbf3e1fa399e8"), "{format}: {text}");
    }
    let jsonl = std::fs::read_to_string(dir.path().join("stories.jsonl")).unwrap();
    assert!(jsonl
        .lines()
        .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
    let csv = std::fs::read_to_string(dir.path().join("stories.csv")).unwrap();
    assert!(csv.starts_with("id,topic,size,label,headline"));
    let md = std::fs::read_to_string(dir.path().join("stories.md")).unwrap();
    assert!(md.starts_with("# Stories") && md.contains("| article | source | date | similarity |"));
    assert!(md.contains("## Topic 1: "), "{md}");

    let assignments = dir.path().join("a.tsv");
    ok(storyclust(&[
        "cluster",
        "--assignments",
        assignments.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(&assignments).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id\tstory"));
    let ids: Vec<&str> = lines.map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(ids.len(), 5);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5);
}

/// A corpus of the seeds, edited copies, and English articles about two other events.
fn mixed_corpus(dir: &Path, reverse: bool) -> PathBuf {
    let corpus = read_corpus(&["seeds"], &ReadOptions::default()).unwrap();
    let mut lines: Vec<serde_json::Value> = Vec::new();
    for (i, d) in corpus.documents.iter().enumerate() {
        lines.push(serde_json::json!({"id": format!("seed{i}"), "text": d.body, "source": "a", "date": "2025-02-13"}));
        lines.push(serde_json::json!({"id": format!("copy{i}"), "text": format!("{}\nشارك", d.body), "source": "b", "date": "2025-02-14"}));
    }
    let english = [
        "Floods hit the northern valley after three days of rain; rescue teams evacuated villages near the river.",
        "Rescue teams evacuated villages as floods in the northern valley rose after days of heavy rain.",
        "The central bank raised interest rates by half a point to fight inflation, the governor said.",
        "Inflation pushed the central bank to raise interest rates by half a point, its governor said.",
    ];
    for (i, t) in english.iter().enumerate() {
        lines.push(serde_json::json!({"id": format!("en{i}"), "text": t, "source": "wire", "date": "2025-02-13"}));
    }
    if reverse {
        lines.reverse();
    }
    let path = dir.join(if reverse {
        "reversed.jsonl"
    } else {
        "mixed.jsonl"
    });
    write_jsonl(&path, &lines);
    path
}

#[test]
fn output_is_byte_identical_for_any_thread_count_and_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = mixed_corpus(dir.path(), false);
    let b = mixed_corpus(dir.path(), true);
    let run = |threads: &str, input: &Path| {
        ok(storyclust(&[
            "--threads",
            threads,
            "cluster",
            input.to_str().unwrap(),
            "--format",
            "json",
        ]))
    };
    let reference = run("1", &a);
    assert_eq!(run("2", &a), reference);
    assert_eq!(run("2", &b), reference);
    assert_eq!(run("1", &b), reference);
    let json: serde_json::Value = serde_json::from_str(&reference).unwrap();
    // Near-duplicate copies always share their original's story.
    for s in json["stories"].as_array().unwrap() {
        let ids: Vec<&str> = s["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        for i in 0..5 {
            let (seed, copy) = (format!("seed{i}"), format!("copy{i}"));
            assert_eq!(
                ids.contains(&seed.as_str()),
                ids.contains(&copy.as_str()),
                "{ids:?}"
            );
        }
        assert!(
            !(ids.contains(&"en0") && ids.contains(&"en2")),
            "floods and rates are different stories"
        );
    }
}

#[test]
fn eval_reads_tsv_and_jsonl_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("pred.tsv");
    std::fs::write(&tsv, "id\tstory\n000_c9e2560b750a6442\t1\n001_524dbf3e1fa399e8\t2\n002_5dc817420f166037\t1\n003_199d0f8a0a181f90\t2\n").unwrap();
    let out = ok(storyclust(&[
        "eval",
        "--gold",
        "data/seeds.gold.tsv",
        tsv.to_str().unwrap(),
    ]));
    let last: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["missing"], 1);
    assert_eq!(last["n_docs"], 5);
    let jsonl = dir.path().join("pred.jsonl");
    std::fs::write(&jsonl, "{\"id\": \"001_524dbf3e1fa399e8\", \"cluster\": 3}\n{\"id\": \"003_199d0f8a0a181f90\", \"cluster\": 3}\n").unwrap();
    let out = ok(storyclust(&[
        "eval",
        "--gold",
        "data/seeds.gold.tsv",
        jsonl.to_str().unwrap(),
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["missing"], 3);
    assert_eq!(v["bcubed_p"], 1.0);
}

/// The project's scorer must give the reference scorer's figures (to 1e-9). Needs python3
/// and `../shared/tools/score.py`; skipped without them.
#[test]
fn eval_matches_the_reference_scorer() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let score_py = shared.join("tools/score.py");
    let python = Command::new("python3").arg("--version").output();
    if !score_py.exists() || python.is_err() {
        eprintln!("skipped: no python3 or no ../shared/tools/score.py");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<(PathBuf, PathBuf)> = Vec::new();
    // The seeds, and a prediction with missing, noise, extra and repeated ids.
    let odd = dir.path().join("odd.tsv");
    std::fs::write(&odd, "000_c9e2560b750a6442\tA\n001_524dbf3e1fa399e8\tnoise\n001_524dbf3e1fa399e8\tA\nxyz\tB\n003_199d0f8a0a181f90\tA\n").unwrap();
    cases.push((PathBuf::from("data/seeds.gold.tsv"), odd));
    for name in ["wikiref220", "ecbplus"] {
        let data = shared.join(format!("data/{name}.jsonl"));
        if data.exists() {
            let pred = dir.path().join(format!("{name}.tsv"));
            write_assignments(&data, &pred);
            cases.push((shared.join(format!("data/{name}.gold.tsv")), pred));
        }
    }
    for (gold, pred) in cases {
        let ours = eval_json("--gold", &gold, &pred);
        let script = format!(
            "import sys, json; sys.path.insert(0, {:?}); import score; print(json.dumps(score.score_files({:?}, {:?})))",
            score_py.parent().unwrap().to_str().unwrap(),
            Path::new(env!("CARGO_MANIFEST_DIR")).join(&gold).to_str().unwrap(),
            pred.to_str().unwrap()
        );
        let reference: serde_json::Value = serde_json::from_str(
            ok(Command::new("python3")
                .args(["-c", &script])
                .output()
                .unwrap())
            .trim(),
        )
        .unwrap();
        for (key, value) in reference.as_object().unwrap() {
            let mine = &ours[key];
            match (value.as_f64(), mine.as_f64()) {
                (Some(r), Some(m)) => assert!(
                    (r - m).abs() < 1e-9,
                    "{key}: {r} vs {m} ({})",
                    gold.display()
                ),
                _ => panic!("{key} missing"),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn stories_do_not_depend_on_threads_or_input_order(
        words in prop::collection::vec(prop::collection::vec(0usize..24, 3..30), 2..25),
        rotation in 0usize..25,
    ) {
        const VOCABULARY: [&str; 24] = ["flood", "river", "rain", "rescue", "bank", "rates", "inflation", "governor",
            "match", "goal", "league", "coach", "storm", "coast", "wind", "power", "vote", "election", "party",
            "minister", "fire", "forest", "heat", "smoke"];
        let docs: Vec<Document> = words
            .iter()
            .enumerate()
            .map(|(i, w)| Document::new(format!("d{i:02}"), w.iter().map(|&k| VOCABULARY[k]).collect::<Vec<_>>().join(" ") + "."))
            .collect();
        let run = |docs: &[Document], threads: usize| -> Vec<Vec<String>> {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let mut options = AnalysisOptions::default();
                options.bigrams = true;
                let analyzed = analyze(docs, &options).unwrap();
                let dedup = find_duplicates(docs, &analyzed, &DedupOptions::default()).unwrap();
                let clusters = cluster_stories(docs, &analyzed, &dedup, &StoryOptions::default()).unwrap();
                let stories = summarize(docs, &analyzed, &clusters, &dedup, &options, &SummaryOptions::default()).unwrap();
                stories.stories.iter().map(|s| s.members.iter().map(|m| m.id.clone()).collect()).collect()
            })
        };
        let reference = run(&docs, 1);
        let mut rotated = docs.clone();
        rotated.rotate_left(rotation % docs.len());
        prop_assert_eq!(run(&docs, 2), reference.clone());
        prop_assert_eq!(run(&rotated, 2), reference);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// A cut decided on one fitted model is what a fresh run with those options gives: the
    /// sweep in `examples/story_quality.rs` sees what users get.
    #[test]
    fn one_fit_decides_every_cut_as_a_fresh_run_does(
        words in prop::collection::vec(prop::collection::vec(0usize..12, 2..16), 2..30),
        threshold in 0.05f64..0.6,
        topic_threshold in 0.0f64..0.3,
        refine_rounds in 0usize..3,
        cohesion_ratio in prop::sample::select(vec![0.0, 0.5, 0.8]),
    ) {
        const VOCABULARY: [&str; 12] = ["flood", "river", "rain", "rescue", "bank", "rates",
            "inflation", "governor", "match", "goal", "league", "coach"];
        let docs: Vec<Document> = words
            .iter()
            .enumerate()
            .map(|(i, w)| Document::new(format!("d{i:02}"), w.iter().map(|&k| VOCABULARY[k]).collect::<Vec<_>>().join(" ") + "."))
            .collect();
        let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
        let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default()).unwrap();
        let model = StoryModel::fit(&docs, &analyzed, &dedup, &StoryOptions::default()).unwrap();
        let mut options = StoryOptions::default();
        options.threshold = threshold;
        options.topic_threshold = topic_threshold.min(threshold); // a legal cut: topics looser
        options.refine_rounds = refine_rounds;
        options.cohesion_ratio = cohesion_ratio;
        let fresh = cluster_stories(&docs, &analyzed, &dedup, &options).unwrap();
        let decided = model.decide(&options.cut()).unwrap();
        prop_assert_eq!(&decided.labels, &fresh.labels);
        prop_assert_eq!(&decided.topics, &fresh.topics);
    }
}

/// `eval --pairs` gives the figures of `../shared/tools/score_pairs.py` on the same files: a
/// hand-made case with missing ids and in-between scores, and the SemEval sets when present.
/// Needs python3 and the reference script; skipped without them.
#[test]
fn eval_pairs_matches_the_reference_scorer() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let script = shared.join("tools/score_pairs.py");
    if !script.exists() || Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: no python3 or no ../shared/tools/score_pairs.py");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pairs = dir.path().join("pairs.tsv");
    std::fs::write(
        &pairs,
        "a\tb\t1.0\na\tc\t1.5\nb\td\t3.5\nc\td\t4\na\td\t2.5\na\tzz\t1\n",
    )
    .unwrap();
    let pred = dir.path().join("pred.tsv");
    std::fs::write(&pred, "id\tstory\na\t1\nb\t1\nc\t2\nd\t1\n").unwrap();
    let mut cases = vec![(pairs, pred)];
    for name in ["semeval22-en", "semeval22-ar-dev"] {
        let data = shared.join(format!("data/{name}.jsonl"));
        if data.exists() {
            let pred = dir.path().join(format!("{name}.tsv"));
            write_assignments(&data, &pred);
            cases.push((shared.join(format!("data/{name}.pairs.tsv")), pred));
        }
    }
    for (pairs, pred) in cases {
        let ours = eval_json("--pairs", &pairs, &pred);
        let out = ok(Command::new("python3")
            .arg(&script)
            .arg(&pairs)
            .arg(&pred)
            .output()
            .unwrap());
        let reference: serde_json::Value =
            serde_json::from_str(out.trim().lines().last().unwrap()).unwrap();
        for key in ["same_joined", "unrelated_joined", "pair_accuracy"] {
            let (a, b) = (
                ours[key].as_f64().unwrap(),
                reference[key].as_f64().unwrap(),
            );
            assert!(
                (a - b).abs() < 1e-9,
                "{key}: {a} vs {b} on {}",
                pairs.display()
            );
        }
    }
}

/// `storyclust eval FLAG TRUTH PRED --json`, parsed.
fn eval_json(flag: &str, truth: &Path, pred: &Path) -> serde_json::Value {
    let out = ok(storyclust(&[
        "eval",
        flag,
        truth.to_str().unwrap(),
        pred.to_str().unwrap(),
        "--json",
    ]));
    serde_json::from_str(out.trim()).unwrap()
}

/// `storyclust cluster DATA --assignments PRED` with the defaults.
fn write_assignments(data: &Path, pred: &Path) {
    ok(storyclust(&[
        "-q",
        "cluster",
        data.to_str().unwrap(),
        "--assignments",
        pred.to_str().unwrap(),
        "-o",
        "/dev/null",
    ]));
}

/// The library checks the story options (`StoryOptions::check`); the CLI reports its refusal
/// as a usage error naming the option, and writes nothing.
#[test]
fn story_options_the_library_refuses_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stories.json");
    let refused = storyclust(&[
        "cluster",
        "seeds",
        "--topic-threshold",
        "0.5",
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("stories.topic_threshold"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn csv_cohesion_is_written_as_the_json_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (csv_path, json_path) = (dir.path().join("s.csv"), dir.path().join("s.json"));
    for path in [&csv_path, &json_path] {
        ok(storyclust(&[
            "cluster",
            "seeds",
            "-o",
            path.to_str().unwrap(),
        ]));
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "cohesion")
        .unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let stories = json["stories"].as_array().unwrap();
    assert_eq!(rows.len(), stories.len());
    for (row, story) in rows.iter().zip(stories) {
        assert_eq!(row[column], story["cohesion"].to_string());
    }
}

/// The fitted model checks what it is given, as `run_stories` does: options at fit, a cut
/// at decide (a topic cut tighter than the story cut is refused, not decided).
#[test]
fn fit_and_decide_check_their_options() {
    let docs: Vec<storyclust::corpus::Document> =
        ["rain floods the old town", "floods in the old town"]
            .iter()
            .enumerate()
            .map(|(i, t)| storyclust::corpus::Document::new(format!("d{i}"), *t))
            .collect();
    let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
    let dedup = find_duplicates(&docs, &analyzed, &DedupOptions::default()).unwrap();
    let field = |e: storyclust::Error| match e {
        storyclust::Error::InvalidOption { field, .. } => field,
        other => panic!("expected an invalid option, got {other:?}"),
    };
    let mut bad = StoryOptions::default();
    bad.threshold = 1.5;
    let Err(refused) = StoryModel::fit(&docs, &analyzed, &dedup, &bad) else {
        panic!("a threshold of 1.5 is refused");
    };
    assert_eq!(field(refused), "stories.threshold");
    let model = StoryModel::fit(&docs, &analyzed, &dedup, &StoryOptions::default()).unwrap();
    let mut cut = StoryOptions::default().cut();
    cut.topic_threshold = cut.threshold + 0.1;
    let Err(refused) = model.decide(&cut) else {
        panic!("a topic cut tighter than the story cut is refused");
    };
    assert_eq!(field(refused), "stories.topic_threshold");
    assert!(model.decide(&StoryOptions::default().cut()).is_ok());
}
