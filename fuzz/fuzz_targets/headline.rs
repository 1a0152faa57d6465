//! Headline extraction (with boilerplate marking) on arbitrary pages (invariants in
//! `fuzz/checks.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::check_headline(data));
