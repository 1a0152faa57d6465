//! Composable standard streams (issue 14, point 3): a machine output sent to `-` is alone on
//! standard output, the summary for people goes to standard error (nowhere with `-q`), and a
//! reader that stops early (`| head`) ends the run quietly.

mod common;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_storyclust"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Runs with `stdin` fed to standard input.
fn run_with_input(args: &[&str], stdin: &[u8]) -> Output {
    let (out, written) = common::run_fed(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        args,
        stdin,
    );
    written.unwrap();
    out
}

fn synth_corpus() -> Vec<u8> {
    let out = binary()
        .args(["synth", "--from", "seeds", "--copies", "3", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn dedup_groups_to_stdout_is_pure_json_lines() {
    let corpus = synth_corpus();
    let out = run_with_input(&["dedup", "-", "--groups", "-"], &corpus);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.lines().count() > 1, "a header and groups: {stdout}");
    for line in stdout.lines() {
        let value: Result<serde_json::Value, _> = serde_json::from_str(line);
        assert!(value.is_ok(), "not JSON on stdout: {line:?}");
    }
    // The summary for people went to standard error instead.
    let stderr = text(&out.stderr);
    assert!(stderr.contains("near-duplicate pairs"), "{stderr}");
    // ...and nowhere with -q.
    let quiet = run_with_input(&["dedup", "-", "--groups", "-", "-q"], &corpus);
    assert_eq!(quiet.stdout, out.stdout);
    assert!(quiet.stderr.is_empty(), "{}", text(&quiet.stderr));
}

#[test]
fn dedup_pairs_and_corpus_to_stdout_are_alone_there() {
    let corpus = synth_corpus();
    let pairs = run_with_input(&["dedup", "-", "--pairs", "-"], &corpus);
    assert!(pairs.status.success(), "{}", text(&pairs.stderr));
    let stdout = text(&pairs.stdout);
    assert_eq!(stdout.lines().next(), Some("id_a\tid_b\tjaccard"));
    assert!(
        stdout.lines().all(|l| l.split('\t').count() == 3),
        "{stdout}"
    );
    let kept = run_with_input(&["dedup", "-", "--output", "-"], &corpus);
    assert!(kept.status.success(), "{}", text(&kept.stderr));
    for line in text(&kept.stdout).lines() {
        assert!(
            serde_json::from_str::<serde_json::Value>(line).is_ok(),
            "{line:?}"
        );
    }
}

#[test]
fn two_outputs_on_stdout_are_refused() {
    for args in [
        &["dedup", "seeds", "--groups", "-", "--pairs", "-"][..],
        &["dedup", "seeds", "--groups", "-", "--json"],
        &["cluster", "seeds", "--assignments", "-"],
        &["cluster", "seeds", "--errors", "-"],
        &["stats", "seeds", "--errors", "-"],
        &["synth", "--from", "seeds", "--gold", "-"],
    ] {
        let out = binary().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            text(&out.stderr).contains("both write to standard output"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

/// Reads one line of the command's output, closes the pipe, and expects a quiet success.
fn stops_quietly(args: &[&str], stdin: Option<&[u8]>) {
    let mut child = binary()
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let writer = stdin.map(|bytes| {
        let mut input = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = input.write_all(&bytes);
        })
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty(), "{args:?} printed nothing");
    // The reader is gone (as after `| head -1`).
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    assert!(out.status.success(), "{args:?}: {:?}", out.status);
    let stderr = text(&out.stderr);
    assert!(
        !stderr.contains("error") && !stderr.contains("panicked"),
        "{args:?}: {stderr}"
    );
}

#[test]
fn a_reader_that_stops_early_ends_every_command_quietly() {
    // Large enough to overflow a pipe's buffer, so that the writer meets the closed pipe.
    let big = binary()
        .args(["synth", "--from", "seeds", "--copies", "400", "-q"])
        .output()
        .unwrap()
        .stdout;
    stops_quietly(&["synth", "--from", "seeds", "--copies", "400", "-q"], None);
    stops_quietly(&["dedup", "-", "--output", "-", "-q"], Some(&big));
    stops_quietly(&["dedup", "-", "--groups", "-", "-q"], Some(&big));
    stops_quietly(&["dedup", "-", "--pairs", "-", "-q"], Some(&big));
    stops_quietly(&["cluster", "-", "--format", "jsonl", "-q"], Some(&big));
    stops_quietly(&["stats", "-", "--json", "-q"], Some(&big));
    stops_quietly(&["completions", "bash"], None);
    stops_quietly(&["man"], None);
}

/// A closed standard error (`2>&1 | head -0`) loses the messages for people, not the run:
/// every command ends as it would have, never in a panic (exit 101).
#[test]
fn a_closed_standard_error_is_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stories.json");
    for args in [
        vec!["cluster", "seeds", "-o", out.to_str().unwrap()],
        vec!["dedup", "seeds"],
        vec!["stats", "seeds"],
    ] {
        let mut child = binary()
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The read end closes before the command has written its summary.
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}");
    }
    assert!(out.exists());
}
