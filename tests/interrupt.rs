//! Interrupted runs leave no partial output: the process is stopped (SIGINT, SIGTERM, SIGHUP,
//! then `kill -9`) while it writes a large output file.
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A corpus large enough that writing it back takes a while: `docs` articles of ~2.5 KB.
fn write_corpus(path: &Path, docs: usize) {
    let words = [
        "council", "budget", "minister", "school", "road", "vote", "market", "storm", "river",
        "court", "trade", "energy", "health", "report", "police", "festival",
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut text = String::new();
    for i in 0..docs {
        let mut body = String::new();
        while body.len() < 2500 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            body.push_str(words[(state >> 60) as usize]);
            body.push_str(&format!("{} ", state >> 50));
        }
        text.push_str(&format!("{{\"id\": \"d{i}\", \"text\": \"{body}\"}}\n"));
    }
    std::fs::write(path, text).unwrap();
}

/// Runs `dedup --output out.jsonl`, sends `signal` as soon as the output's temporary file
/// appears, and returns the exit status, or `None` if the run finished first.
fn interrupt_while_writing(dir: &Path, signal: &str) -> Option<ExitStatus> {
    let out = dir.join("out.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_storyclust"))
        .args(["dedup", "corpus.jsonl", "--output", "out.jsonl", "-q"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "the run failed: {status}");
            std::fs::remove_file(&out).unwrap();
            return None;
        }
        let writing = std::fs::read_dir(dir).unwrap().any(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.starts_with(".out.jsonl.tmp-")
        });
        if writing {
            let pid = child.id().to_string();
            let killed = Command::new("kill").args(["-s", signal, &pid]).status();
            assert!(killed.unwrap().success());
            let status = child.wait().unwrap();
            assert!(!out.exists(), "a partial output was left after SIG{signal}");
            return Some(status);
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no output started"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out.jsonl.tmp-"))
        .collect()
}

#[test]
fn killing_a_run_mid_write_leaves_no_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    let docs = 16_000;
    write_corpus(&dir.path().join("corpus.jsonl"), docs);

    // Ctrl-C, `kill` and a closed terminal: exit code 128 + the signal, and the temporary file
    // is removed too. A run that finishes before the signal lands proves nothing, so it is
    // tried again.
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let status = (0..5)
            .find_map(|_| interrupt_while_writing(dir.path(), signal))
            .expect("a run was interrupted while writing");
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "SIG{signal}");
    }

    // kill -9 cannot be caught: the target is still absent, only the hidden temp file stays.
    let status = (0..5)
        .find_map(|_| interrupt_while_writing(dir.path(), "KILL"))
        .expect("a run was killed while writing");
    assert_eq!(status.code(), None);
    for name in leftovers(dir.path()) {
        std::fs::remove_file(dir.path().join(name)).unwrap();
    }

    // Uninterrupted, the output is whole.
    let done = Command::new(env!("CARGO_BIN_EXE_storyclust"))
        .args(["dedup", "corpus.jsonl", "--output", "out.jsonl", "-q"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(done.status.success());
    let text = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(text.lines().count(), docs);
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
}

/// A signal while the run waits on its input: the stop is asked through the observer, and a
/// run that cannot reach a check (here, blocked reading) is ended after a short grace.
#[test]
fn a_signal_while_reading_ends_the_run_with_128_plus_the_signal() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_storyclust"))
        .args(["cluster", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Held open: the run stays blocked on reading.
    let stdin = child.stdin.take();
    std::thread::sleep(Duration::from_millis(300));
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-s", "INT", &pid])
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    let status = child.wait().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(stdin);
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(stderr.contains("interrupted (SIGINT)"), "{stderr}");
}
