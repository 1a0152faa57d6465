//! The README's Rust example is `examples/readme.rs`, which `cargo build --all-targets`
//! compiles: this test fails when the two drift apart.

#[test]
fn the_readme_shows_the_compiled_rust_example() {
    let root = env!("CARGO_MANIFEST_DIR");
    let example = std::fs::read_to_string(format!("{root}/examples/readme.rs")).unwrap();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let code = example
        .split("// README example begins\n")
        .nth(1)
        .and_then(|rest| rest.split("// README example ends").next())
        .expect("the example's markers");
    assert!(
        readme.contains(&format!("```rust\n{code}```")),
        "README.md's \"Rust library\" block differs from examples/readme.rs"
    );
    assert!(code.lines().count() <= 16, "the example stays short");
}
