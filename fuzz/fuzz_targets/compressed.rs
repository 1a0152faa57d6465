//! The gzip and zstd readers on damaged streams of arbitrary JSON Lines (invariants in
//! `fuzz/checks.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::check_compressed(data));
