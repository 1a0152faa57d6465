//! The library's layers: data flows one way, and a module imports only from the layers below
//! it (never from a sibling of its own layer), whether by a `crate::` path, a `storyclust::`
//! path or a `super::` chain that climbs to the crate root. `src/lib.rs` documents the same
//! order.

use std::path::{Path, PathBuf};

/// The library's modules by layer, lowest first. Modules in one layer may not import each
/// other.
/// (`Error` and `Result` are `error`'s, re-exported at the root.)
const LAYERS: &[&[&str]] = &[
    &["error", "progress", "Error", "Result"],
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

/// The module path of a source file: `src/text/stem.rs` → `text::stem`, `src/text/mod.rs` →
/// `text`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?.with_extension("");
    let mut path: Vec<&str> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    if path.len() > 1 && path.last() == Some(&"mod") {
        path.pop();
    }
    Some(path.join("::"))
}

/// The leading identifier of `text`.
fn ident(text: &str) -> String {
    text.trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// `source` with its comments and its string and character literals blanked (newlines
/// kept), so that what is left of paths and braces is code.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    while i < chars.len() {
        let end = literal_or_comment_end(&chars, i);
        if end == i {
            out.push(chars[i]);
            i += 1;
        } else {
            for &c in &chars[i..end] {
                blank(&mut out, c);
            }
            i = end;
        }
    }
    out
}

/// Where the comment or literal that starts at `i` ends (`i` when none starts there).
fn literal_or_comment_end(chars: &[char], i: usize) -> usize {
    let at = |k: usize| chars.get(k).copied().unwrap_or('\0');
    let find = |from: usize, pattern: &[char]| {
        (from..chars.len())
            .find(|&k| chars[k..].starts_with(pattern))
            .map_or(chars.len(), |k| k + pattern.len())
    };
    let after_ident = i > 0 && (at(i - 1).is_alphanumeric() || at(i - 1) == '_');
    match (at(i), at(i + 1)) {
        ('/', '/') => find(i, &['\n']),
        ('/', '*') => find(i + 2, &['*', '/']),
        ('"', _) => string_end(chars, i + 1),
        // A raw string: r"…", r#"…"# (br too; `r` that ends an identifier is not one).
        ('r', '"' | '#') if !after_ident => {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if at(i + 1 + hashes) != '"' {
                return i;
            }
            let mut close = vec!['"'];
            close.extend(std::iter::repeat_n('#', hashes));
            find(i + 2 + hashes, &close)
        }
        // A character literal ('{', '\''); a lifetime ('a) has no closing quote after one char.
        ('\'', '\\') => find(i + 3, &['\'']),
        ('\'', _) if at(i + 2) == '\'' => i + 3,
        _ => i,
    }
}

/// The end of a string whose text starts at `i` (escapes skipped).
fn string_end(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// The names at the head of the path that follows: `X` of `X::…`, or each branch's of a
/// `{a::X, b::{Y, Z}}` group.
fn heads(rest: &str) -> Vec<String> {
    let Some(group) = rest.trim_start().strip_prefix('{') else {
        return vec![ident(rest)];
    };
    // The branches at depth 0 of the group.
    let mut found = Vec::new();
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
    found
}

/// Whether `word` starts a path at byte `at` of `code` (not the tail of a longer name, nor
/// a later segment of a path).
fn starts_path(code: &str, at: usize) -> bool {
    let glued = code[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    !glued && !code[..at].trim_end().ends_with("::")
}

/// Every byte range of `code` that an inline module (`mod tests { … }`) holds.
fn inline_modules(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("mod ").map(|k| k + from) {
        from = at + 4;
        let rest = &code[from..];
        let name = ident(rest);
        let after = rest.trim_start()[name.len()..].trim_start();
        if !starts_path(code, at) || name.is_empty() || !after.starts_with('{') {
            continue;
        }
        let open = code.len() - after.len();
        let mut depth = 0;
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => continue,
            }
            if depth == 0 {
                found.push(open..open + i);
                break;
            }
        }
    }
    found
}

/// Where each path of `code` (a file of module `module`, `text::stem`) leads outside its
/// top-level module: the top-level modules named by `crate::` and `storyclust::` paths,
/// and by `super::` chains that climb to the crate root (`super::super::cluster` in
/// `text::stem`); `"super:: above the crate root"` for a chain that climbs higher.
fn imports(module: &str, code: &str) -> Vec<String> {
    let code = code_only(code);
    let depth = module.split("::").count();
    let inline = inline_modules(&code);
    let mut found = Vec::new();
    for root in ["crate::", "storyclust::", "super::"] {
        for (at, _) in code
            .match_indices(root)
            .filter(|&(at, _)| starts_path(&code, at))
        {
            let mut rest = &code[at..];
            if root != "super::" {
                found.extend(heads(&rest[root.len()..]));
                continue;
            }
            let mut climbs = 0;
            while let Some(r) = rest.strip_prefix("super::") {
                climbs += 1;
                rest = r.trim_start();
            }
            let levels = depth + inline.iter().filter(|r| r.contains(&at)).count();
            match climbs.cmp(&levels) {
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => found.extend(heads(rest)),
                std::cmp::Ordering::Greater => found.push("super:: above the crate root".into()),
            }
        }
    }
    found.retain(|name| !name.is_empty());
    found
}

/// Every import of `module`'s code (`module` is the file's module path, `text::stem`) that
/// goes up a layer or sideways, as `file: a -> b`.
fn violations(module: &str, file: &str, code: &str) -> Vec<String> {
    let top = module.split("::").next().unwrap_or(module);
    let Some(own) = layer(top) else {
        return vec![format!("{file}: module `{top}` has no layer in LAYERS")];
    };
    imports(module, code)
        .into_iter()
        .filter(|target| target != top)
        .filter(|target| layer(target).is_none_or(|l| l >= own))
        .map(|target| format!("{file}: {top} -> {target}"))
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
        let top = module.split("::").next().unwrap_or_default();
        // The binary sits above every layer; lib.rs only declares the modules.
        if ["main", "cli", "lib"].contains(&top) {
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
    assert!(violations("corpus", "f.rs", r#"let s = "crate::report";"#).is_empty());
}

#[test]
fn the_checker_follows_super_chains_and_storyclust_paths() {
    // `super::` in a top-level file, or `super::super::` one module down, is the crate root.
    assert_eq!(
        violations("synth", "f.rs", "use super::report::X;"),
        ["f.rs: synth -> report"]
    );
    assert_eq!(
        violations("text::stem", "f.rs", "let x = super::super::cluster::f();"),
        ["f.rs: text -> cluster"]
    );
    assert_eq!(
        violations(
            "minhash::lsh",
            "f.rs",
            "use super::super::{corpus::D, tfidf::T};"
        ),
        ["f.rs: minhash -> tfidf"]
    );
    // Within the module, and down from the root, are fine.
    assert!(violations("text::stem", "f.rs", "use super::Lang;").is_empty());
    assert!(violations("minhash::lsh", "f.rs", "super::super::minhash::x();").is_empty());
    assert!(violations("summary", "f.rs", "use super::text::Lang;").is_empty());
    // An inline module is one level more: its `super::super::` is the file's parent.
    let tests = "mod tests {\n    use super::*;\n    fn f() { super::super::report::x(); }\n}";
    assert!(violations("text::stem", "f.rs", tests).is_empty());
    assert_eq!(
        violations("synth", "f.rs", tests),
        ["f.rs: synth -> report"]
    );
    // Braces in literals do not end the inline module early.
    let braces = "mod tests {\n let c = '{'; let s = \"}}\";\n super::super::report::x();\n}";
    assert_eq!(
        violations("synth", "f.rs", braces),
        ["f.rs: synth -> report"]
    );
    assert_eq!(
        violations("text", "f.rs", "super::super::x();"),
        ["f.rs: text -> super:: above the crate root"]
    );
    assert_eq!(
        violations("text", "f.rs", "storyclust::cluster::f();"),
        ["f.rs: text -> cluster"]
    );
    assert!(violations("text", "f.rs", "my_storyclust::cluster::f();").is_empty());
}

#[test]
fn module_paths_follow_the_files() {
    let src = Path::new("/r/src");
    for (file, module) in [
        ("/r/src/synth.rs", "synth"),
        ("/r/src/text/mod.rs", "text"),
        ("/r/src/text/stem.rs", "text::stem"),
    ] {
        assert_eq!(module_of(src, Path::new(file)).as_deref(), Some(module));
    }
}
