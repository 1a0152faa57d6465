//! CLI polish (issue 14, point 9): completions and a man page, a helpful message when there
//! is nothing to read, clean `--help`, negative numbers reaching the range checks, common
//! options documented, corpus sources in the README.

mod common;
use common::{ok, storyclust};

use std::process::Command;

const COMMANDS: [&str; 8] = [
    "stats",
    "dedup",
    "cluster",
    "eval",
    "synth",
    "bench",
    "completions",
    "man",
];

#[test]
fn completions_and_man_pages_are_generated() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = ok(storyclust(&["completions", shell]));
        assert!(script.contains("storyclust"), "{shell}");
        assert!(script.contains("threshold"), "{shell} completes options");
    }
    let page = ok(storyclust(&["man"]));
    assert!(page.contains(".TH storyclust 1"), "{page}");
    assert!(page.contains(".SH NAME") && page.contains("cluster"));
    let page = ok(storyclust(&["man", "cluster"]));
    assert!(page.contains(".TH storyclust-cluster 1") && page.contains("threshold"));
    let out = storyclust(&["man", "clustr"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_input_outside_the_repository_explains_what_to_give() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&[][..], &["cluster"], &["dedup"], &["stats"], &["bench"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_storyclust"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("cannot read seeds"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("no input given") && stderr.contains("standard input"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn help_has_no_rustdoc_links() {
    let mut pages = vec![ok(storyclust(&["--help"]))];
    for command in COMMANDS {
        pages.push(ok(storyclust(&[command, "--help"])));
        pages.push(ok(storyclust(&["help", command])));
    }
    for page in pages {
        assert!(!page.contains("[`"), "{page}");
        assert!(!page.contains("`]"), "{page}");
    }
}

#[test]
fn negative_numbers_reach_the_range_checks() {
    for args in [
        &["cluster", "seeds", "--threshold", "-0.5"][..],
        &["cluster", "seeds", "--topic-threshold", "-1"],
        &["cluster", "seeds", "--duplicate-threshold", "-0.1"],
        &["cluster", "seeds", "--cohesion-ratio", "-0.2"],
        &["dedup", "seeds", "--threshold", "-0.5"],
        &["synth", "--from", "seeds", "--edit-rate", "-0.5"],
    ] {
        let out = storyclust(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr.contains("is not in (0, 1]") || stderr.contains("is not in [0, 1]"),
            "{args:?}: {stderr}"
        );
        assert!(
            !stderr.contains("unexpected argument"),
            "{args:?}: {stderr}"
        );
    }
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn common_options_are_accepted_or_documented() {
    let readme = readme();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Common options"))
        .expect("README has a `Common options` section");
    for command in COMMANDS {
        let help = ok(storyclust(&[command, "--help"]));
        for option in ["--strict", "--errors", "--quiet", "--threads"] {
            if !help.contains(option) {
                // Not accepted: the README says so, by command.
                assert!(
                    section
                        .lines()
                        .any(|l| l.contains(&format!("`{command}`")) && l.contains(option)),
                    "{command} lacks {option}, and the README's Common options do not say so"
                );
            }
        }
    }
}

#[test]
fn the_readme_says_where_each_corpus_comes_from() {
    let readme = readme();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Corpora"))
        .expect("README has a `Corpora` section");
    for corpus in ["SaudiNewsNet", "wikiref220", "ECB+", "SemEval-2022 Task 8"] {
        let line = section
            .lines()
            .find(|l| l.contains(corpus))
            .unwrap_or_else(|| panic!("{corpus} is not in the Corpora section"));
        assert!(
            line.contains("https://"),
            "{corpus}: no source address: {line}"
        );
    }
}
