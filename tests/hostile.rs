//! Hostile input and careless use, one test per class of defect (issue 13): nothing read is
//! lost, no output destroys another file, limits and exit codes are defined.
#![cfg(unix)]

mod common;

use common::storyclust;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use storyclust::corpus::{read_corpus, tsv_unescape_str, DiagnosticKind, ReadOptions};

const BIN: &str = env!("CARGO_BIN_EXE_storyclust");

/// `n` JSON Lines records of a few hundred bytes, with ids `r0`, `r1`, …
fn jsonl_records(n: usize) -> Vec<u8> {
    let words = [
        "budget", "council", "storm", "river", "court", "market", "vote", "school",
    ];
    let mut out = Vec::new();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for i in 0..n {
        let mut text = String::new();
        for _ in 0..60 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(words[(state % 8) as usize]);
            text.push_str(&format!("{} ", state % 1000));
        }
        let line = serde_json::json!({"id": format!("r{i}"), "text": text});
        out.extend_from_slice(format!("{line}\n").as_bytes());
    }
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn ids_read(path: &Path) -> (Vec<String>, storyclust::corpus::Corpus) {
    let corpus = read_corpus(&[path], &ReadOptions::default()).unwrap();
    let ids = corpus.documents.iter().map(|d| d.id.clone()).collect();
    (ids, corpus)
}

/// The ids of the complete lines (ending in a line feed) of what a tool decompressed.
fn complete_ids(decompressed: &[u8]) -> Vec<String> {
    let end = decompressed
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    decompressed[..end]
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            serde_json::from_slice::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// What `tool -dc` writes for `path`, whatever its exit code.
fn tool_output(tool: &str, path: &Path) -> Vec<u8> {
    let out = Command::new(tool).arg("-dc").arg(path).output();
    out.unwrap_or_else(|e| panic!("{tool} is needed for this test: {e}"))
        .stdout
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn sh(script: &str, dir: &Path) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("BIN", BIN)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn class_1_compressed_inputs_keep_what_gzip_and_zstd_recover() {
    let dir = tempfile::tempdir().unwrap();
    let plain = jsonl_records(3000);
    let all = complete_ids(&plain);
    let gz = gzip(&plain);
    // Two members, then bytes that start no member: gzip -dc keeps both members.
    let mut padded = [
        gz.clone(),
        gzip(b"{\"id\": \"last\", \"text\": \"the end\"}\n"),
    ]
    .concat();
    padded.extend_from_slice(b"trailing garbage");
    let path = write(dir.path(), "padded.jsonl.gz", &padded);
    let (ids, corpus) = ids_read(&path);
    assert_eq!(ids, complete_ids(&tool_output("gzip", &path)));
    assert_eq!(ids.len(), all.len() + 1);
    assert_eq!(corpus.diagnostics.count(DiagnosticKind::TrailingGarbage), 1);
    assert_eq!(corpus.diagnostics.skipped(), 0);

    let zst = zstd::stream::encode_all(&plain[..], 3).unwrap();
    for (name, bytes, tool) in [
        ("cut.jsonl.gz", &gz, "gzip"),
        ("cut.jsonl.zst", &zst, "zstd"),
    ] {
        for fraction in [0.1, 0.5, 0.93] {
            let cut = (bytes.len() as f64 * fraction) as usize;
            let path = write(dir.path(), name, &bytes[..cut]);
            let (ids, corpus) = ids_read(&path);
            let recovered = complete_ids(&tool_output(tool, &path));
            assert!(!recovered.is_empty(), "{name} cut at {cut}");
            assert_eq!(ids, recovered, "{name} cut at {cut}");
            // The error is reported once, with where it happened.
            let errors: Vec<_> = corpus.diagnostics.items.iter().collect();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].kind, DiagnosticKind::Unreadable);
            assert!(
                errors[0].message.contains("compressed byte"),
                "{}",
                errors[0].message
            );
            assert_eq!(errors[0].origin.line, Some(ids.len() as u64 + 1));
        }
    }
}

#[test]
fn class_2_outputs_naming_standard_streams_are_written_through_them() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let script = format!(
        r#"{{ echo a; "$BIN" cluster {seeds} -q --format csv -o /dev/stdout; echo b; }} >> r.txt
           {{ echo c; "$BIN" cluster {seeds} -q --format csv -o /dev/null --assignments /dev/stdout; echo d; }} > s.txt
           {{ echo e >&2; "$BIN" stats {seeds} -q --errors /dev/stderr >/dev/null; echo f >&2; }} 2> t.txt"#,
        seeds = seeds.display()
    );
    let out = sh(&script, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let r = std::fs::read_to_string(dir.path().join("r.txt")).unwrap();
    assert!(
        r.starts_with("a\nid,topic,size,label,") && r.ends_with("\nb\n"),
        "{r}"
    );
    let s = std::fs::read_to_string(dir.path().join("s.txt")).unwrap();
    assert!(
        s.starts_with("c\nid\tstory\n") && s.ends_with("\nd\n"),
        "{s}"
    );
    let t = std::fs::read_to_string(dir.path().join("t.txt")).unwrap();
    assert!(t.starts_with("e\n") && t.ends_with("f\n"), "{t}");
}

/// Runs the binary under a limit on its address space, so that unbounded buffering fails.
fn limited(args: &str, dir: &Path) -> Output {
    sh(&format!(r#"ulimit -v 1500000; exec "$BIN" {args}"#), dir)
}

#[test]
fn class_3_reading_is_bounded_whatever_the_input() {
    let dir = tempfile::tempdir().unwrap();
    // 2 GB of NUL bytes in a 2 MB .jsonl.gz: a decompression bomb, one endless "line".
    let file = std::fs::File::create(dir.path().join("bomb.jsonl.gz")).unwrap();
    let mut enc = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..2048 {
        enc.write_all(&zeros).unwrap();
    }
    enc.finish().unwrap();
    let out = limited("stats bomb.jsonl.gz --json -q --errors e.jsonl", dir.path());
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("over the limit"), "{}", stderr(&out));
    let report = std::fs::read_to_string(dir.path().join("e.jsonl")).unwrap();
    assert!(
        report.contains("\"overlong\"") && report.contains("2147483648 bytes"),
        "{report}"
    );

    // 300 MB of blank lines, then one record.
    let mut blank = std::fs::File::create(dir.path().join("blank.jsonl")).unwrap();
    let lines = vec![b'\n'; 1 << 20];
    for _ in 0..300 {
        blank.write_all(&lines).unwrap();
    }
    blank
        .write_all(b"{\"id\": \"a\", \"text\": \"after the flood\"}\n")
        .unwrap();
    drop(blank);
    let out = limited("stats blank.jsonl --json -q", dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["documents"], 1);

    // An endless stream read as CSV: the header row is refused once it passes the limit.
    let out = limited("stats --input-format csv /dev/zero -q", dir.path());
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read the header row"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn class_4_quotes_and_line_ends_never_merge_records() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = write(
        dir.path(),
        "q.tsv",
        b"id\ttext\n1\t\"a quote that opens\n2\tsecond\n3\tthird \"quoted\"\n4\tescaped \\t tab\n",
    );
    let (ids, corpus) = ids_read(&tsv);
    assert_eq!(ids, ["1", "2", "3", "4"]);
    assert_eq!(corpus.documents[0].body, "\"a quote that opens");
    assert_eq!(corpus.documents[3].body, "escaped \t tab");

    let csv = write(
        dir.path(),
        "q.csv",
        b"id,text\r1,\"never closes\r2,second\r\n3,\"two\r\nlines\"\n4,\"ok \"\"q\"\"\"\r",
    );
    let (ids, corpus) = ids_read(&csv);
    assert_eq!(ids, ["2", "3", "4"]);
    assert_eq!(corpus.documents[1].body, "two\r\nlines");
    let broken = &corpus.diagnostics.items[0];
    assert_eq!(
        (broken.kind, broken.origin.line),
        (DiagnosticKind::BrokenCsv, Some(2))
    );
    assert_eq!(corpus.documents[2].origin.line, Some(6));

    let cr = write(
        dir.path(),
        "cr.jsonl",
        b"{\"id\":\"1\",\"text\":\"a\"}\r{\"id\":\"2\",\"text\":\"b\"}\r\r{\"id\":\"3\",\"text\":\"c\"}\r\n{\"id\":\"4\",\"text\":\"d\"}\r{\"id\":\"5\",\"text\":\"e\"}",
    );
    let (ids, corpus) = ids_read(&cr);
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    let lines: Vec<_> = corpus
        .documents
        .iter()
        .map(|d| d.origin.line.unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 4, 5, 6]);
}

#[test]
fn class_5_bad_entries_in_folders_are_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    let mut deep = root.join("deep");
    for i in 0..70 {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    write(&deep, "far.txt", b"A document too deep to be read.");
    write(
        &root,
        "ok.txt",
        b"Council approves the budget\n\nThe council approved it.",
    );
    std::os::unix::fs::symlink("nowhere.txt", root.join("dangling.txt")).unwrap();
    std::os::unix::fs::symlink("loop-b.txt", root.join("loop-a.txt")).unwrap();
    std::os::unix::fs::symlink("loop-a.txt", root.join("loop-b.txt")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("self")).unwrap();
    let made = Command::new("mkfifo")
        .arg(root.join("pipe.jsonl"))
        .status()
        .unwrap();
    assert!(made.success());
    let errors = dir.path().join("errors.jsonl");
    let out = storyclust(&[
        "stats",
        root.to_str().unwrap(),
        "--json",
        "-q",
        "--errors",
        errors.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["documents"], 1);
    let mut reported: Vec<String> = std::fs::read_to_string(&errors)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .inspect(|d| assert_eq!(d["kind"], "not_readable"))
        .map(|d| {
            let file = d["origin"]["file"].as_str().unwrap();
            Path::new(file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    reported.sort();
    assert_eq!(
        reported,
        [
            "d63",
            "dangling.txt",
            "loop-a.txt",
            "loop-b.txt",
            "pipe.jsonl",
            "self"
        ]
    );
}

/// Ids that tabs, line breaks, spaces, quotes and backslashes tell apart.
const HOSTILE_IDS: [&str; 6] = ["a\tb", "a b", "a\nb", "a\\tb", "\"q\"", "x,y"];

fn hostile_corpus(dir: &Path) -> PathBuf {
    let text = "The council approved the city budget on Monday after a long debate about schools, roads and the new bridge over the river.";
    let lines: Vec<Value> = HOSTILE_IDS
        .iter()
        .map(|id| serde_json::json!({"id": id, "text": text}))
        .collect();
    let path = dir.join("ids.jsonl");
    common::write_jsonl(&path, &lines);
    path
}

fn tsv_column(path: &Path, column: usize) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| tsv_unescape_str(l.split('\t').nth(column).unwrap()).into_owned())
        .collect()
}

#[test]
fn class_6_hostile_ids_survive_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = hostile_corpus(dir.path());
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let out = storyclust(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    let corpus = corpus.to_str().unwrap();
    run(&[
        "cluster",
        corpus,
        "-q",
        "--format",
        "csv",
        "-o",
        &p("s.csv"),
        "--assignments",
        &p("a.tsv"),
    ]);
    let mut ids = tsv_column(Path::new(&p("a.tsv")), 0);
    ids.sort();
    let mut expected: Vec<String> = HOSTILE_IDS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(ids, expected);
    // The CSV reads back with a standard reader; members are a JSON array of the ids.
    let mut reader = csv::Reader::from_path(p("s.csv")).unwrap();
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "members")
        .unwrap();
    let mut members: Vec<String> = reader
        .records()
        .flat_map(|r| serde_json::from_str::<Vec<String>>(&r.unwrap()[column]).unwrap())
        .collect();
    members.sort();
    assert_eq!(members, expected);

    run(&[
        "dedup",
        corpus,
        "-q",
        "--pairs",
        &p("p.tsv"),
        "-o",
        &p("kept.tsv"),
    ]);
    let (a, b) = (
        tsv_column(Path::new(&p("p.tsv")), 0),
        tsv_column(Path::new(&p("p.tsv")), 1),
    );
    assert_eq!(a.len(), 15, "every pair of the six identical texts");
    assert!(a
        .iter()
        .zip(&b)
        .all(|(a, b)| a != b && expected.contains(a) && expected.contains(b)));
    let (kept, _) = ids_read(Path::new(&p("kept.tsv")));
    assert_eq!(kept.len(), 1);
    assert!(expected.contains(&kept[0]));

    // A synthetic corpus and its gold file read back, and our own eval takes the gold.
    run(&[
        "synth",
        "--from",
        corpus,
        "--copies",
        "2",
        "-o",
        &p("syn.jsonl"),
        "--gold",
        &p("gold.tsv"),
    ]);
    run(&[
        "cluster",
        &p("syn.jsonl"),
        "-q",
        "-o",
        "/dev/null",
        "--assignments",
        &p("pred.tsv"),
    ]);
    let out = run(&["eval", "--gold", &p("gold.tsv"), &p("pred.tsv"), "--json"]);
    let scores: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(scores["n_docs"], 18);
    assert_eq!(
        (scores["missing"].as_u64(), scores["extra"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn class_7_no_escape_sequence_formula_or_html_gets_through() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Council approves the budget\n\nThe council approved the city budget on Monday after a long debate about schools and roads.";
    let lines = vec![
        serde_json::json!({"id": "evil\u{1b}[2J\u{7}", "title": "=HYPERLINK(\"x\") <script>alert(1)</script>", "text": text}),
        serde_json::json!({"id": "@SUM(A1)", "title": "-2+3 \u{1b}]0;owned\u{7}", "text": text, "date": "garbage \u{1b}[31m"}),
    ];
    let path = dir.path().join("evil.jsonl");
    common::write_jsonl(&path, &lines);
    let path = path.to_str().unwrap();
    for format in ["table", "md"] {
        let out = storyclust(&["cluster", path, "--format", format]);
        assert!(out.status.success(), "{}", stderr(&out));
        let stdout = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(!stdout.contains(['\u{1b}', '\u{7}']), "{format}: {stdout}");
        assert!(
            !stderr(&out).contains(['\u{1b}', '\u{7}']),
            "{}",
            stderr(&out)
        );
        if format == "md" {
            assert!(
                !stdout.replace(r"\<", "").contains("<script") && stdout.contains(r"\<script"),
                "{stdout}"
            );
        }
    }
    let out = storyclust(&["stats", path]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
    let out = storyclust(&["cluster", path, "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    for record in reader.records() {
        let record = record.unwrap();
        for cell in record.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
}

#[test]
fn class_8_no_run_clobbers_its_inputs_or_previous_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", &jsonl_records(20));
    let before = std::fs::read(&input).unwrap();
    let sh_in = |script: &str| sh(script, dir.path());
    for script in [
        r#""$BIN" dedup in.jsonl -q -o in.jsonl"#,
        r#""$BIN" dedup in.jsonl -q --pairs ./in.jsonl"#,
        r#"ln -sf in.jsonl link.jsonl; "$BIN" cluster link.jsonl -q -o in.jsonl"#,
        r#""$BIN" cluster . -q -o in.jsonl"#,
    ] {
        let out = sh_in(script);
        assert_eq!(code(&out), Some(2), "{script}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("would overwrite the input"),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read(&input).unwrap(), before, "{script}");
    }
    write(dir.path(), "out.json", b"a good previous output");
    let out = sh_in(r#""$BIN" cluster in.jsonl -q -o out.json --assignments ./out.json"#);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("both name"), "{}", stderr(&out));
    // Nothing read (a misspelt text field): exit 1, the fields named, the output untouched.
    let out = sh_in(r#""$BIN" cluster in.jsonl -q --text-field txet -o out.json"#);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("`id`, `text`"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(dir.path().join("out.json")).unwrap(),
        b"a good previous output"
    );

    // Rewriting keeps the mode and the owner.
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let out_path = dir.path().join("out.json");
    std::fs::set_permissions(&out_path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let owner = Command::new("chown")
        .arg("1234:1234")
        .arg(&out_path)
        .status()
        .unwrap();
    let out = sh_in(r#""$BIN" cluster in.jsonl -q --format json -o out.json"#);
    assert!(out.status.success(), "{}", stderr(&out));
    let meta = std::fs::metadata(&out_path).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
    if owner.success() {
        assert_eq!((meta.uid(), meta.gid()), (1234, 1234));
    }
    serde_json::from_slice::<Value>(&std::fs::read(&out_path).unwrap()).unwrap();
}

#[test]
fn class_10_limits_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let seeds = seeds.to_str().unwrap();
    for args in [
        vec!["synth", "--from", seeds, "--copies", "100000000"],
        vec!["bench", "--scale", "100000000"],
        vec!["--threads", "100000", "stats", seeds],
        vec!["dedup", seeds, "--bands", "100", "--rows", "100"],
        vec!["cluster", seeds, "--no-such-option"],
    ] {
        let out = storyclust(&args);
        assert_eq!(code(&out), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("error"), "{args:?}: {}", stderr(&out));
    }
    // A missing gold file is noticed before any output is written.
    let out_path = dir.path().join("out.json");
    let out = storyclust(&[
        "cluster",
        seeds,
        "-q",
        "--gold",
        "/no/such/gold.tsv",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(1));
    assert!(!out_path.exists());
    // A reader that stops early (`| head -1`): a quiet exit, whichever writer meets it.
    let big = dir.path().join("big.jsonl");
    let made = storyclust(&[
        "synth",
        "--from",
        seeds,
        "--copies",
        "300",
        "-o",
        big.to_str().unwrap(),
    ]);
    assert_eq!(code(&made), Some(0), "{}", stderr(&made));
    let big = big.to_str().unwrap();
    for args in [
        vec!["synth", "--from", seeds, "--copies", "50"],
        vec!["cluster", big, "-q", "--format", "csv"],
        vec!["cluster", big, "-q", "--format", "jsonl"],
    ] {
        let mut child = Command::new(BIN)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(code(&out), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

#[test]
fn class_11_smaller_defects() {
    let dir = tempfile::tempdir().unwrap();
    // A date that an offset carries past year 9999 is refused, not written unreadable.
    let lines = vec![
        serde_json::json!({"id": "late", "text": "words here", "date": "9999-12-31T23:30:00-01:00"}),
        serde_json::json!({"id": "last", "text": "more words", "date": "9999-12-31"}),
        serde_json::json!({"id": "bad", "text": ["not", "text"]}),
    ];
    let path = dir.path().join("dates.jsonl");
    common::write_jsonl(&path, &lines);
    let corpus = read_corpus(&[&path], &ReadOptions::default()).unwrap();
    assert_eq!(corpus.documents[0].date, None);
    assert_eq!(corpus.diagnostics.count(DiagnosticKind::BadDate), 1);
    // synth moves dates forward, but never past what reads back; and reports the bad record.
    let synth = dir.path().join("synth.jsonl");
    let out = storyclust(&[
        "synth",
        "--from",
        path.to_str().unwrap(),
        "-o",
        synth.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("dates.jsonl:3"), "{}", stderr(&out));
    let again = read_corpus(&[&synth], &ReadOptions::default()).unwrap();
    assert_eq!(again.diagnostics.count(DiagnosticKind::BadDate), 0);
    assert_eq!(
        again.documents.iter().filter(|d| d.date.is_some()).count(),
        4
    );

    // Out of memory is not the path's fault.
    let oom = storyclust::Error::Read {
        path: "x.jsonl".into(),
        source: std::io::ErrorKind::OutOfMemory.into(),
    };
    assert!(!oom.to_string().contains("check that the path"), "{oom}");

    // eval refuses a file that is no prediction.
    let gold = write(dir.path(), "gold.tsv", b"id\tcluster\na\t1\nb\t1\n");
    for bad in [
        "not a prediction\nat all\n",
        "a\t1\textra\n",
        "{\"id\": null, \"cluster\": 1}\n",
        "",
    ] {
        let pred = write(dir.path(), "pred.tsv", bad.as_bytes());
        let out = storyclust(&[
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            pred.to_str().unwrap(),
        ]);
        assert_eq!(
            code(&out),
            Some(1),
            "{bad:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    // The empty-document warning does not claim a story it cannot know.
    let empty = write(
        dir.path(),
        "e.jsonl",
        b"{\"id\": \"e\", \"text\": \"...\"}\n",
    );
    let corpus = read_corpus(&[&empty], &ReadOptions::default()).unwrap();
    assert!(!corpus.diagnostics.items[0].message.contains("singleton"));
}
