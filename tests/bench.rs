//! `storyclust bench`: every stage at every scale and thread count, and the same results
//! (timings aside) on every run.

mod common;
use common::{ok, storyclust};

fn without_timings(runs: &serde_json::Value) -> Vec<(u64, u64, u64, u64, u64)> {
    runs.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().unwrap();
            (
                n("scale"),
                n("documents"),
                n("text_bytes"),
                n("stories"),
                n("duplicate_pairs"),
            )
        })
        .collect()
}

#[test]
fn bench_times_every_stage_and_gives_the_same_results_each_time() {
    let run = || -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(&ok(storyclust(&[
            "-q",
            "bench",
            "--scale",
            "1,3",
            "--threads",
            "1,2",
            "--json",
        ])))
        .unwrap()["runs"]
            .clone()
    };
    let first = run();
    let runs = first.as_array().unwrap();
    assert_eq!(runs.len(), 4);
    let stages: Vec<&str> = runs[0]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "read",
            "scan",
            "analyse",
            "shingles",
            "minhash",
            "lsh",
            "verify",
            "groups",
            "tfidf",
            "neighbours",
            "linkage",
            "refine",
            "topics",
            "summaries"
        ]
    );
    for r in runs {
        assert!(r["total"]["seconds"].as_f64().unwrap() > 0.0);
        assert!(r["ratio_to_scale_1"].as_f64().is_some());
        let documents = r["documents"].as_u64().unwrap();
        assert_eq!(documents, 5 * r["scale"].as_u64().unwrap());
    }
    // Scale 3 has two variants per seed, and they are near-duplicates of their seed.
    assert!(runs[2]["duplicate_pairs"].as_u64().unwrap() > 0);
    // Thread counts and repeated runs change timings only.
    let figures = without_timings(&first);
    assert_eq!(figures[0], figures[1]);
    assert_eq!(figures[2], figures[3]);
    assert_eq!(figures, without_timings(&run()));
}
