//! `storyclust synth`: deterministic variants with their truth, usable as near-duplicate
//! and story gold.

mod common;
use common::{ok, storyclust};

#[test]
fn synthetic_variants_are_deterministic_and_their_truth_holds() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, seed: &str| {
        let corpus = dir.path().join(format!("{name}.jsonl"));
        let gold = dir.path().join(format!("{name}.gold.tsv"));
        ok(storyclust(&[
            "synth",
            "--from",
            "seeds",
            "--copies",
            "5",
            "--seed",
            seed,
            "-o",
            corpus.to_str().unwrap(),
            "--gold",
            gold.to_str().unwrap(),
        ]));
        (corpus, gold)
    };
    let (a, gold) = run("a", "7");
    let (b, _) = run("b", "7");
    let (c, _) = run("c", "8");
    let text = std::fs::read(&a).unwrap();
    assert_eq!(text, std::fs::read(&b).unwrap(), "same seed, same corpus");
    assert_ne!(
        text,
        std::fs::read(&c).unwrap(),
        "another seed, another corpus"
    );
    let gold_text = std::fs::read_to_string(&gold).unwrap();
    assert_eq!(gold_text.lines().count(), 1 + 5 * 6);

    // Near-duplicate truth: every verified pair joins two variants of one original.
    let pairs = dir.path().join("pairs.tsv");
    ok(storyclust(&[
        "dedup",
        a.to_str().unwrap(),
        "--threshold",
        "0.5",
        "--pairs",
        pairs.to_str().unwrap(),
    ]));
    let family = |id: &str| id.split('~').next().unwrap().to_string();
    let found: Vec<(String, String)> = std::fs::read_to_string(&pairs)
        .unwrap()
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    assert!(
        found.len() >= 5 * 15 / 2,
        "most of the 75 variant pairs are near-duplicates: {}",
        found.len()
    );
    assert!(found.iter().all(|(x, y)| family(x) == family(y)));
    let exact = dir.path().join("exact.tsv");
    ok(storyclust(&[
        "dedup",
        a.to_str().unwrap(),
        "--threshold",
        "0.5",
        "--exact",
        "--pairs",
        exact.to_str().unwrap(),
    ]));
    let exact_pairs = std::fs::read_to_string(&exact).unwrap().lines().count() - 2;
    assert_eq!(
        found.len(),
        exact_pairs,
        "LSH finds every pair the exact join finds"
    );

    // Story truth: each original and its variants form one story.
    let out = storyclust(&[
        "-q",
        "cluster",
        a.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
        "-o",
        dir.path().join("s.json").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let scores: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert!(scores["bcubed_f1"].as_f64().unwrap() >= 0.95, "{stderr}");
}
