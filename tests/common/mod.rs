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

/// Writes JSON values as a JSON Lines file.
pub fn write_jsonl(path: &std::path::Path, lines: &[serde_json::Value]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}
