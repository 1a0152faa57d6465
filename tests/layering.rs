//! The library's layers: data flows one way, and a module imports only from the layers below
//! it (never from a sibling of its own layer). `src/lib.rs` documents the same order.

use std::path::{Path, PathBuf};

/// The library's modules by layer, lowest first. Modules in one layer may not import each
/// other.
const LAYERS: &[&[&str]] = &[
    &["error", "progress"],
    &["corpus"],
    &["text"],
    &["minhash", "tfidf"],
    &["cluster", "synth"],
    &["summary"],
    &["report"],
    &["pipeline"],
    &["bench"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level module a source file belongs to: `src/text/stem.rs` → `text`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let first = file.strip_prefix(src).ok()?.components().next()?;
    let name = first.as_os_str().to_str()?;
    Some(name.trim_end_matches(".rs").to_string())
}

/// The leading identifier of `text`.
fn ident(text: &str) -> String {
    text.trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The modules named by `crate::` paths outside comments, including every branch of a
/// `use crate::{a::X, b::{Y, Z}}` group, over several lines.
fn imports(code: &str) -> Vec<String> {
    let code: String = code
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ");
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            found.push(ident(rest));
            continue;
        };
        // The branches at depth 0 of the group.
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    found.push(ident(&group[start..i]));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    found.push(ident(&group[start..i]));
                    start = i + 1;
                }
                _ => {}
            }
        }
    }
    found.retain(|name| !name.is_empty());
    found
}

/// Every import of `module`'s code that goes up a layer or sideways, as `file: a -> b`.
fn violations(module: &str, file: &str, code: &str) -> Vec<String> {
    let Some(own) = layer(module) else {
        return vec![format!("{file}: module `{module}` has no layer in LAYERS")];
    };
    imports(code)
        .into_iter()
        .filter(|target| target != module)
        .filter(|target| layer(target).is_none_or(|l| l >= own))
        .map(|target| format!("{file}: {module} -> {target}"))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_from_a_layer_above_or_beside_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in &files {
        let module = module_of(&src, file).unwrap();
        // The binary sits above every layer; lib.rs only declares the modules.
        if ["main", "cli", "lib"].contains(&module.as_str()) {
            continue;
        }
        let code = std::fs::read_to_string(file).unwrap();
        found.extend(violations(&module, &file.display().to_string(), &code));
    }
    assert!(
        found.is_empty(),
        "imports against the layers:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_library_module_has_a_layer() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';');
            assert!(layer(name).is_some(), "module `{name}` has no layer");
        }
    }
}

#[test]
fn the_checker_reports_upward_and_sideways_imports_but_not_comments() {
    assert_eq!(
        violations("minhash", "f.rs", "use crate::cluster::UnionFind;"),
        ["f.rs: minhash -> cluster"]
    );
    assert_eq!(
        violations(
            "tfidf",
            "f.rs",
            "use crate::{corpus::Document, minhash::Dedup};"
        ),
        ["f.rs: tfidf -> minhash"]
    );
    assert_eq!(
        violations(
            "text",
            "f.rs",
            "use crate::{\n    corpus::{A, B},\n    report::C,\n};"
        ),
        ["f.rs: text -> report"]
    );
    assert!(violations(
        "cluster",
        "f.rs",
        "use crate::minhash::Dedup; // crate::report"
    )
    .is_empty());
    assert!(violations("corpus", "f.rs", "/// See [`crate::text`].").is_empty());
    assert!(violations("text", "f.rs", "use crate::text::Lang;").is_empty());
}
