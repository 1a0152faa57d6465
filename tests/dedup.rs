//! Near-duplicate detection: the seeds, synthetic wire copies, determinism, explanations.

mod common;
use common::{ok, storyclust};

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::minhash::{
    exact_join, find_duplicates, jaccard, DedupOptions, LshParams, Method, MinHashParams,
    ShingleSets,
};
use storyclust::text::{analyze, AnalysisOptions};

#[test]
fn the_seeds_are_not_near_duplicates_of_each_other() {
    let corpus = read_corpus(&["seeds"], &ReadOptions::default()).unwrap();
    let analyzed = analyze(&corpus.documents, &AnalysisOptions::default()).unwrap();
    let sets = ShingleSets::from_analysis(&analyzed, 3).into_sets();
    for a in 0..sets.len() {
        for b in a + 1..sets.len() {
            let j = jaccard(&sets[a], &sets[b]);
            assert!(
                j < 0.02,
                "{} ~ {}: {j}",
                corpus.documents[a].id,
                corpus.documents[b].id
            );
        }
    }
    let summary = ok(storyclust(&[
        "dedup",
        "seeds",
        "--threshold",
        "0.5",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(v["pairs"], 0);
    assert_eq!(v["groups"], 0);
    assert_eq!(v["accounting"]["read"], 5);
    // dedup checks documents; it does not cluster them.
    assert_eq!(v["accounting"]["checked"], 5);
    assert!(v["accounting"].get("clustered").is_none());
    let stderr = String::from_utf8_lossy(&storyclust(&["dedup", "seeds"]).stderr).to_string();
    assert!(stderr.contains("read 5, checked 5, skipped 0"), "{stderr}");
}

/// A JSONL corpus of the seeds and edited copies of them: an exact copy, a copy with a
/// byline, site furniture and a changed word, and a copy missing its last paragraph. Ids
/// tell the family: `<seed>-<variant>`.
fn synthetic_corpus(dir: &Path, shuffle: bool) -> PathBuf {
    let corpus = read_corpus(&["seeds"], &ReadOptions::default()).unwrap();
    let mut lines = Vec::new();
    for (i, d) in corpus.documents.iter().enumerate() {
        let body = d.body.clone();
        let edited = format!(
            "كتب: محرر الموقع\n{}\nاقرأ أيضا\nشارك المقال",
            body.replacen("ترامب", "الرئيس ترامب", 1)
        );
        let paragraphs: Vec<&str> = body.trim_end().lines().collect();
        let shorter = paragraphs[..paragraphs.len() - 1].join("\n");
        for (variant, text, source) in [
            ("orig", body.as_str(), "site-a"),
            ("copy", body.as_str(), "site-b"),
            ("edit", edited.as_str(), "site-c"),
            ("short", shorter.as_str(), "site-d"),
        ] {
            lines.push(serde_json::json!({
                "id": format!("s{i}-{variant}"),
                "text": text,
                "source": source,
                "date": format!("2025-02-{:02}", 10 + i),
            }));
        }
    }
    if shuffle {
        lines.reverse();
        lines.rotate_left(7);
    }
    let path = dir.join(if shuffle {
        "shuffled.jsonl"
    } else {
        "corpus.jsonl"
    });
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn wire_copies_group_by_family_and_lsh_finds_what_the_exact_join_finds() {
    let dir = tempfile::tempdir().unwrap();
    let path = synthetic_corpus(dir.path(), false);
    let corpus = read_corpus(&[&path], &ReadOptions::default()).unwrap();
    let analyzed = analyze(&corpus.documents, &AnalysisOptions::default()).unwrap();
    for threshold in [0.5, 0.8] {
        let options = {
            let mut o = DedupOptions::default();
            o.threshold = threshold;
            o
        };
        let found = find_duplicates(&corpus.documents, &analyzed, &options).unwrap();
        let exact = exact_join(found.shingles.sets(), threshold);
        let lsh: Vec<(u32, u32)> = found.pairs.iter().map(|p| (p.a, p.b)).collect();
        let truth: Vec<(u32, u32)> = exact.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(lsh, truth, "threshold {threshold}");
        for g in &found.groups.groups {
            let family = |i: u32| {
                corpus.documents[i as usize]
                    .id
                    .split('-')
                    .next()
                    .unwrap()
                    .to_string()
            };
            for &(m, j) in &g.members {
                assert_eq!(family(m), family(g.canonical));
                assert!(j > 0.0);
            }
        }
    }
    let loose = find_duplicates(&corpus.documents, &analyzed, &{
        let mut o = DedupOptions::default();
        o.threshold = 0.5;
        o
    })
    .unwrap();
    // Every family is one group of four at 0.5, its canonical the longest text of the
    // earliest date (the edited copy, which has the extra lines).
    assert_eq!(loose.groups.groups.len(), 5);
    for g in &loose.groups.groups {
        assert_eq!(g.members.len(), 3);
        assert!(corpus.documents[g.canonical as usize].id.ends_with("-edit"));
    }
}

#[test]
fn pairs_and_groups_files_are_identical_for_any_thread_count_and_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = synthetic_corpus(dir.path(), false);
    let shuffled = synthetic_corpus(dir.path(), true);
    let mut outputs = Vec::new();
    for (threads, input) in [
        ("1", &corpus),
        ("2", &corpus),
        ("2", &shuffled),
        ("1", &shuffled),
    ] {
        for exact in [false, true] {
            let pairs = dir.path().join(format!("p{threads}{exact}.tsv"));
            let groups = dir.path().join(format!("g{threads}{exact}.jsonl"));
            let mut args = vec![
                "--threads",
                threads,
                "dedup",
                input.to_str().unwrap(),
                "--threshold",
                "0.5",
                "--pairs",
                pairs.to_str().unwrap(),
                "--groups",
                groups.to_str().unwrap(),
            ];
            if exact {
                args.push("--exact");
            }
            ok(storyclust(&args));
            let p = std::fs::read_to_string(&pairs).unwrap();
            let g = std::fs::read_to_string(&groups).unwrap();
            outputs.push((exact, p, g));
        }
    }
    for (exact, p, g) in &outputs[2..] {
        let first = &outputs[usize::from(*exact)];
        assert_eq!(p, &first.1);
        assert_eq!(g, &first.2);
    }
    let (_, pairs, groups) = &outputs[0];
    let mut lines = pairs.lines();
    assert_eq!(lines.next(), Some("id_a\tid_b\tjaccard"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 5 * 6, "four copies per family: six pairs each");
    assert!(rows
        .windows(2)
        .all(|w| (w[0][0], w[0][1]) < (w[1][0], w[1][1])));
    assert!(rows.iter().all(|r| r[0] < r[1]));
    let mut glines = groups.lines();
    let params: serde_json::Value = serde_json::from_str(glines.next().unwrap()).unwrap();
    assert_eq!(params["parameters"]["ngram"], 3);
    let group: serde_json::Value = serde_json::from_str(glines.next().unwrap()).unwrap();
    assert_eq!(group["copies"].as_array().unwrap().len(), 3);
    assert!(group["copies"][0]["source"].is_string() && group["copies"][0]["jaccard"].is_number());
}

#[test]
fn explain_and_output() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = synthetic_corpus(dir.path(), false);
    let text = ok(storyclust(&[
        "dedup",
        corpus.to_str().unwrap(),
        "--explain",
        "s1-orig",
        "s1-edit",
    ]));
    assert!(
        text.contains("exact Jaccard") && text.contains("estimated Jaccard"),
        "{text}"
    );
    assert!(
        text.contains("LSH bands in common") && text.contains("longest shared passages"),
        "{text}"
    );
    assert!(text.contains("ترامب"), "{text}");
    let unrelated = ok(storyclust(&[
        "dedup",
        corpus.to_str().unwrap(),
        "--explain",
        "s1-orig",
        "s2-orig",
    ]));
    assert!(unrelated.contains("below the threshold"), "{unrelated}");
    let missing = storyclust(&[
        "dedup",
        corpus.to_str().unwrap(),
        "--explain",
        "s1-orig",
        "nope",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no document has the id \"nope\""));

    let kept = dir.path().join("kept.jsonl");
    ok(storyclust(&[
        "dedup",
        corpus.to_str().unwrap(),
        "--threshold",
        "0.5",
        "-o",
        kept.to_str().unwrap(),
    ]));
    let written = read_corpus(&[&kept], &ReadOptions::default()).unwrap();
    let ids: Vec<&str> = written.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 5);
    assert!(ids.iter().all(|id| id.ends_with("-edit")), "{ids:?}");
    assert_eq!(written.documents[0].source.as_deref(), Some("site-c"));
}

#[test]
fn conflicting_and_impossible_options_are_usage_errors() {
    let both = storyclust(&["dedup", "seeds", "--exact", "--scheme", "classic"]);
    assert_eq!(both.status.code(), Some(2));
    let too_many = storyclust(&["dedup", "seeds", "--bands", "20", "--rows", "10"]);
    assert_eq!(too_many.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&too_many.stderr).contains("num_perm is 128"));
    let bad_threshold = storyclust(&["dedup", "seeds", "--threshold", "1.5"]);
    assert_eq!(bad_threshold.status.code(), Some(2));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn identical_documents_always_group(
        texts in prop::collection::vec("[a-z ]{0,60}|[ابتثجحخدرزسشصضطعفقلمنهوي ]{0,60}", 1..12),
        copies in prop::collection::vec(0usize..12, 1..6),
    ) {
        use storyclust::corpus::Document;
        let mut docs: Vec<Document> = texts.iter().enumerate().map(|(i, t)| Document::new(format!("d{i}"), t.clone())).collect();
        for (k, &c) in copies.iter().enumerate() {
            let mut copy = docs[c % texts.len()].clone();
            copy.id = format!("copy{k}");
            docs.push(copy);
        }
        let analyzed = analyze(&docs, &AnalysisOptions::default()).unwrap();
        for exact in [false, true] {
            let mut options = DedupOptions::default();
            if exact {
                options.method = storyclust::minhash::Method::ExactJoin;
            }
            options.threshold = 1.0;
            let found = find_duplicates(&docs, &analyzed, &options).unwrap();
            let group_of = |i: usize| found.groups.groups.iter().position(|g| g.canonical as usize == i || g.members.iter().any(|&(m, _)| m as usize == i));
            for (k, &c) in copies.iter().enumerate() {
                let original = c % texts.len();
                let copy = texts.len() + k;
                if found.shingles.sets()[original].is_empty() {
                    continue; // nothing to compare: empty documents pair with nothing
                }
                prop_assert!(group_of(copy).is_some() && group_of(copy) == group_of(original));
            }
        }
    }
}

/// One seed article three times, each from its own source, at its own time and address.
fn copies_corpus(dir: &Path) -> PathBuf {
    let corpus = read_corpus(&["seeds"], &ReadOptions::default()).unwrap();
    let body = &corpus.documents[0].body;
    let lines: Vec<serde_json::Value> = [
        ("b-late", "site-b", "2025-02-10T18:38:00Z", "Wire copy"),
        ("a-wire", "wire", "2025-02-10T18:28:00Z", "Original"),
        ("c-later", "site-c", "2025-02-11T07:00:00Z", "Late copy"),
    ]
    .iter()
    .map(|(id, source, date, title)| {
        serde_json::json!({
            "id": id, "title": title, "text": body, "source": source, "date": date,
            "url": format!("https://{source}.example/{id}"),
        })
    })
    .collect();
    let path = dir.join("copies.jsonl");
    common::write_jsonl(&path, &lines);
    path
}

#[test]
fn groups_carry_links_headlines_times_and_the_first_publisher() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = copies_corpus(dir.path());
    let pairs = dir.path().join("pairs.tsv");
    for exact in [false, true] {
        let mut args = vec!["dedup", corpus.to_str().unwrap(), "--groups", "-"];
        args.extend(["--pairs", pairs.to_str().unwrap()]);
        if exact {
            args.push("--exact");
        }
        let text = ok(storyclust(&args));
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let parameters = &lines[0]["parameters"];
        assert!(parameters.get("method").is_none(), "{parameters}");
        assert_eq!(parameters["exact"], exact);
        let scheme = if exact {
            serde_json::Value::Null
        } else {
            "fast".into()
        };
        assert_eq!(parameters["scheme"], scheme);
        let group = &lines[1];
        assert_eq!(group["canonical"], "a-wire");
        assert_eq!(group["url"], "https://wire.example/a-wire");
        assert_eq!(group["headline"], "Original");
        let first = &group["first_publisher"];
        assert_eq!(first["source"], "wire");
        assert_eq!(first["date"], "2025-02-10T18:28:00Z");
        assert_eq!(first["url"], "https://wire.example/a-wire");
        let copies = group["copies"].as_array().unwrap();
        assert_eq!(copies.len(), 2);
        assert_eq!(copies[0]["id"], "b-late");
        assert_eq!(copies[0]["headline"], "Wire copy");
        assert_eq!(copies[0]["date"], "2025-02-10T18:38:00Z");
        assert_eq!(copies[0]["url"], "https://site-b.example/b-late");
        assert_eq!(group["size"], 3);
        // The pairs file writes a Jaccard as the groups do: the shortest decimal.
        let tsv = std::fs::read_to_string(&pairs).unwrap();
        let row = tsv
            .lines()
            .find(|l| l.starts_with("a-wire\tb-late\t"))
            .unwrap();
        let cell = row.rsplit('\t').next().unwrap();
        assert_eq!(cell, copies[0]["jaccard"].to_string(), "{tsv}");
    }
}

/// The library's entry point refuses options that cannot work together, as the CLI does,
/// instead of panicking on a slice (bands × rows beyond the signature) or running with a
/// threshold outside (0, 1].
#[test]
fn find_duplicates_checks_its_options() {
    let docs = vec![
        storyclust::corpus::Document::new("a", "one two three four five six"),
        storyclust::corpus::Document::new("b", "one two three four five six"),
    ];
    let analyzed =
        storyclust::text::analyze(&docs, &storyclust::text::AnalysisOptions::default()).unwrap();
    let field = |o: &DedupOptions| match find_duplicates(&docs, &analyzed, o) {
        Err(storyclust::Error::InvalidOption { field, .. }) => field,
        other => panic!("expected an invalid option, got {other:?}"),
    };
    let mut wide = DedupOptions::default();
    if let Method::MinHashLsh { lsh, .. } = &mut wide.method {
        *lsh = Some(LshParams::new(32, 8));
    }
    assert_eq!(field(&wide), "dedup.lsh");
    let mut high = DedupOptions::default();
    high.threshold = 1.5;
    assert_eq!(field(&high), "dedup.threshold");
    let mut long = DedupOptions::default();
    if let Method::MinHashLsh { minhash, .. } = &mut long.method {
        minhash.num_perm = MinHashParams::MAX_NUM_PERM + 1;
    }
    assert_eq!(field(&long), "dedup.minhash.num_perm");
    assert_eq!(
        find_duplicates(&docs, &analyzed, &DedupOptions::default())
            .unwrap()
            .pairs
            .len(),
        1
    );
}
