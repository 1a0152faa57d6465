//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test file uses its own subset

use std::process::{Command, Output};

/// Runs the binary in the project folder.
pub fn storyclust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_storyclust"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// The standard output of a successful run (fails the test with stderr otherwise).
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs the binary in `dir` with `stdin` fed to its standard input from another thread, so
/// that a child writing much before it reads all its input cannot deadlock. Returns the
/// output and whether all of `stdin` was written (a child may exit without reading it).
pub fn run_fed(
    dir: &std::path::Path,
    args: &[&str],
    stdin: &[u8],
) -> (Output, std::io::Result<()>) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_storyclust"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&bytes));
    let out = child.wait_with_output().unwrap();
    (out, writer.join().unwrap())
}

/// Writes JSON values as a JSON Lines file.
pub fn write_jsonl(path: &std::path::Path, lines: &[serde_json::Value]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}
