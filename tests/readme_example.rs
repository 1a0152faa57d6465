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

/// The observer and run-record snippets of "Progress and the library's observer" are
/// `examples/observer.rs`, which `cargo build --all-targets` compiles (an `Option` printed
/// with `{:?}` there once showed `Some(0.03…) s`).
#[test]
fn the_readme_shows_the_compiled_observer_snippets() {
    let root = env!("CARGO_MANIFEST_DIR");
    let example = std::fs::read_to_string(format!("{root}/examples/observer.rs")).unwrap();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    for name in ["observer", "record"] {
        let code = example
            .split(&format!("    // README {name} begins\n"))
            .nth(1)
            .and_then(|rest| rest.split(&format!("// README {name} ends")).next())
            .expect("the example's markers");
        // rustfmt may indent the end marker under a trailing comment.
        let unindented: String = code
            .trim_end_matches(' ')
            .lines()
            .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
            .collect();
        assert!(
            readme.contains(&format!("```rust\n{unindented}```")),
            "README.md's {name} block differs from examples/observer.rs"
        );
    }
    assert!(
        !readme.contains("took {:?} s"),
        "an Option printed as Some(…)"
    );
}
