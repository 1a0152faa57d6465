//! Failures a hostile-user review of issue 14 found: one test per fix.

mod common;
use common::{ok, storyclust, write_jsonl};

use serde_json::json;
use std::path::Path;

fn articles(dir: &Path) -> String {
    let path = dir.join("articles.jsonl");
    write_jsonl(
        &path,
        &[
            json!({"id": "a", "title": "Rain in Riyadh", "body": "Heavy rain fell on Riyadh today.", "lede": "Rain."}),
            json!({"id": "b", "title": "Rain again", "body": "More rain fell on Riyadh and Jeddah."}),
        ],
    );
    path.display().to_string()
}

/// `--text-field a,b`: each name that no record has is refused, with the fields there are.
#[test]
fn each_joined_text_field_must_be_in_some_record() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = articles(dir.path());
    let csv = dir.path().join("articles.csv");
    std::fs::write(&csv, "id,title,body\na,Rain,Heavy rain fell.\n").unwrap();
    let csv = csv.display().to_string();
    for input in [&jsonl, &csv] {
        for (fields, missing) in [("body,summary", "summary"), ("teaser,body,title", "teaser")] {
            let out = storyclust(&["stats", input, "-q", "--text-field", fields]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{input} {fields}: {stderr}");
            assert!(stderr.contains("--text-field"), "{stderr}");
            assert!(
                stderr.contains(&format!("{missing:?} is in no record")),
                "{stderr}"
            );
            assert!(
                stderr.contains("`body`") && stderr.contains("`title`"),
                "{stderr}"
            );
        }
    }
    // A name that some records have (`lede`, in one of two) is fine, in paths too.
    ok(storyclust(&[
        "stats",
        &jsonl,
        "-q",
        "--text-field",
        "body,lede",
    ]));
    ok(storyclust(&[
        "stats",
        &csv,
        "-q",
        "--text-field",
        "title,body",
    ]));
}

/// An output inside an input folder, new or not, is refused when the folder walk would read
/// it on the next run; a hidden name or an extension the walk skips is let through.
#[test]
fn an_output_inside_an_input_folder_is_refused_when_a_rerun_would_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    articles(&folder);
    let folder = folder.display().to_string();
    for (command, output, extra) in [
        ("dedup", "out.jsonl", None),
        ("cluster", "sub/stories.json", None),
        ("cluster", "stories.tsv.gz", None),
        ("cluster", "report.html", Some("jsonl")),
    ] {
        let sub = Path::new(&folder).join("sub");
        std::fs::create_dir_all(&sub).unwrap();
        let path = Path::new(&folder).join(output).display().to_string();
        let mut args = vec![command, folder.as_str(), "-q", "--text-field", "body", "-o"];
        args.push(&path);
        if let Some(format) = extra {
            args.extend(["--input-format", format]);
        }
        let out = storyclust(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("inside the input folder"), "{stderr}");
        assert!(stderr.contains("outside the folder"), "{stderr}");
        assert!(!Path::new(&path).exists(), "{path}");
    }
    for output in ["report.html", ".out.jsonl"] {
        let path = Path::new(&folder).join(output).display().to_string();
        ok(storyclust(&[
            "cluster",
            &folder,
            "-q",
            "--text-field",
            "body",
            "-o",
            &path,
        ]));
        assert!(Path::new(&path).exists());
    }
}

const ARABIC: &str = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة الرياض بسعة خمسمائة سرير لخدمة سكان الأحياء الشمالية، وقال المتحدث باسم الوزارة إن المستشفى سيضم أقساما للطوارئ والأطفال والقلب";

/// The chart tooltips of the Arabic interface are in Arabic, chosen or by default.
#[test]
fn arabic_report_tooltips_are_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ar.jsonl");
    let mut lines: Vec<serde_json::Value> = (0..3)
        .map(|i| json!({"id": format!("a{i}"), "text": format!("{ARABIC} {i}"), "date": format!("2015-08-1{i}")}))
        .collect();
    lines.push(json!({"id": "b", "text": "ارتفعت أسعار النفط للمرة الثالثة على التوالي مع تراجع المخزونات الأمريكية وتوقعات الطلب في آسيا", "date": "2015-08-12"}));
    write_jsonl(&path, &lines);
    let input = path.display().to_string();
    for extra in [&[][..], &["--ui-lang", "ar"]] {
        let mut args = vec!["-q", "cluster", input.as_str(), "--format", "html"];
        args.extend(extra);
        let page = ok(storyclust(&args));
        let tooltips: Vec<&str> = page
            .split("<title>")
            .skip(2)
            .map(|rest| rest.split("</title>").next().unwrap())
            .collect();
        assert!(tooltips.len() >= 4, "{tooltips:?}");
        for english in ["articles", "of story", "in all"] {
            assert!(
                tooltips.iter().all(|t| !t.contains(english)),
                "{english}: {tooltips:?}"
            );
        }
        for arabic in ["٣ مقالات ·", "من القصة #1", "في المجموع"] {
            assert!(
                tooltips.iter().any(|t| t.contains(arabic)),
                "{arabic}: {tooltips:?}"
            );
        }
    }
    // The English interface keeps English tooltips.
    let page = ok(storyclust(&[
        "-q",
        "cluster",
        &input,
        "--format",
        "html",
        "--ui-lang",
        "en",
    ]));
    assert!(
        page.contains(" article of story #1</title>") && page.contains(" article in all</title>"),
        "one article a day: singular"
    );
}

/// `dedup -o out.csv` (and `.tsv`) from CSV (TSV) input writes the header and the kept rows
/// byte for byte, as `-o out.jsonl` does for JSON Lines: extra columns, quoting, a BOM and
/// CRLF line ends kept.
#[test]
fn dedup_writes_csv_and_tsv_rows_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Heavy rain fell on Riyadh today and the streets flooded, so schools closed \"\"early\"\" and drivers waited";
    let rows = [
        "\u{FEFF}id,title,text,author,extra\r\n".to_string(),
        format!("a,\"Rain, again\",\"{text}\",x1,\"two\r\nlines\"\r\n"),
        format!("b,\"Rain, again\",\"{text}\",x2,\r\n"),
        "c,Oil,Oil prices fell for a third day as traders weighed inventories,x3,2015-08-11\r\n"
            .to_string(),
    ];
    let tsv_rows = [
        "id\ttext\tz\n".to_string(),
        "a\tsome text here about heavy rain in riyadh today and floods\t\\\\t x\n".into(),
        "b\tsome text here about heavy rain in riyadh today and floods\t2\n".into(),
        "c\tother words entirely different here\t3\n".into(),
    ];
    for (name, rows) in [("in.csv", &rows), ("in.tsv", &tsv_rows)] {
        let input = dir.path().join(name);
        std::fs::write(&input, rows.concat()).unwrap();
        let output = dir.path().join(format!("out.{}", &name[3..]));
        let args = [
            "dedup",
            input.to_str().unwrap(),
            "-q",
            "-o",
            output.to_str().unwrap(),
        ];
        ok(storyclust(&args));
        let expected = [rows[0].as_str(), &rows[1], &rows[3]].concat();
        assert_eq!(
            std::fs::read_to_string(&output).unwrap(),
            expected,
            "{name}"
        );
    }
    // CSV files with different headers cannot share one header row: the kept documents are
    // written under the fields' names, none lost.
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "text,id\nMarkets rallied in Riyadh as oil rose,z\n").unwrap();
    let output = dir.path().join("mixed.csv");
    let input = dir.path().join("in.csv");
    ok(storyclust(&[
        "dedup",
        input.to_str().unwrap(),
        other.to_str().unwrap(),
        "-q",
        "-o",
        output.to_str().unwrap(),
    ]));
    let written = std::fs::read_to_string(&output).unwrap();
    assert!(
        written.starts_with("id,title,text,source,date,url\n"),
        "{written}"
    );
    assert_eq!(
        csv::Reader::from_reader(written.as_bytes())
            .records()
            .count(),
        3
    );
}

/// Bidi controls in ids and titles are escaped in what goes to a terminal, kept in machine
/// outputs.
#[test]
fn bidi_controls_are_neutralised_on_the_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bidi.jsonl");
    let text = "Heavy rain fell on Riyadh today and the streets flooded while schools closed early";
    write_jsonl(
        &path,
        &[
            json!({"id": "evil\u{202E}gnp.exe", "title": "Rain \u{2067}isolate", "source": "s\u{202B}rc", "text": text}),
            json!({"id": "twin", "title": "Rain", "source": "s\u{202B}rc", "text": text}),
            json!({"id": "other", "text": "Oil prices fell for a third day as traders weighed inventories"}),
        ],
    );
    let input = path.display().to_string();
    let bidi = [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}',
    ];
    for args in [
        &["cluster", &input][..],
        &["cluster", &input, "--format", "md"],
        &["stats", &input, "--list", "10"],
        &["dedup", &input],
        &["dedup", &input, "--explain", "evil\u{202E}gnp.exe", "twin"],
    ] {
        let out = storyclust(args);
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(!text.contains(bidi), "{args:?}: {text}");
        assert!(
            text.contains("\\u{202e}") || args[0] != "cluster",
            "{args:?}: {text}"
        );
    }
    let json = ok(storyclust(&["cluster", &input, "-q", "--format", "json"]));
    assert!(json.contains("evil\u{202E}gnp.exe"), "{json}");
}

/// Negative whole numbers reach the options' range checks, as negative fractions do.
#[test]
fn negative_whole_number_options_reach_the_range_check() {
    for args in [
        &["cluster", "seeds", "--window", "-1"][..],
        &["dedup", "seeds", "--bands", "-2", "--rows", "4"],
        &["dedup", "seeds", "--ngram", "-3"],
        &["cluster", "seeds", "--threads", "-1"],
        &["cluster", "seeds", "--refine", "-1"],
        &["stats", "seeds", "--top-terms", "-5"],
        &["synth", "--from", "seeds", "--copies", "-1"],
    ] {
        let out = storyclust(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("unexpected argument"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("is below the least value"),
            "{args:?}: {stderr}"
        );
    }
}

/// Empty or blank standard input holds no document: zero read, and a message that says so.
#[test]
fn empty_standard_input_is_no_document() {
    for input in ["", "  \n\n \t\n"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_storyclust"))
            .args(["cluster", "-", "--format", "json"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{input:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{input:?}");
        assert!(stderr.contains("standard input is empty"), "{stderr}");
        assert!(stderr.contains("no document was read"), "{stderr}");
    }
}

#[cfg(target_os = "linux")]
fn sh(script: &str) -> std::process::Output {
    std::process::Command::new("bash")
        .args(["-c", &format!("set -o pipefail; {script}")])
        .env("BIN", env!("CARGO_BIN_EXE_storyclust"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// `| head` ends quietly with exit 0; a closed or full standard output is an error that says
/// so; a closed one that nothing is written to is no error.
#[cfg(target_os = "linux")]
#[test]
fn standard_output_write_errors() {
    for command in [
        "cluster seeds -q",
        "cluster seeds -q --format json",
        "stats seeds",
        "dedup seeds -q --pairs -",
        // Megabytes: `head` goes away while the writes go on (EPIPE).
        "synth --from seeds --copies 300",
    ] {
        let out = sh(&format!("\"$BIN\" {command} | head -c 1 >/dev/null"));
        assert!(out.status.success(), "{command} | head");
        assert!(
            out.stderr.is_empty(),
            "{command} | head: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for (redirect, cause) in [(">&-", "it is closed"), ("> /dev/full", "No space left")] {
            let out = sh(&format!("\"$BIN\" {command} {redirect}"));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{command} {redirect}: {stderr}");
            assert!(
                stderr.contains("cannot write to standard output"),
                "{command} {redirect}: {stderr}"
            );
            assert!(stderr.contains(cause), "{command} {redirect}: {stderr}");
        }
        let out = sh(&format!("\"$BIN\" {command} > /dev/null"));
        assert!(out.status.success(), "{command} > /dev/null");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = sh(&format!(
        "\"$BIN\" cluster seeds -q -o {}/s.json >&-",
        dir.path().display()
    ));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Each cause is said once: no `error: error:`, no `cannot read x: … : …` twice over.
#[test]
fn error_messages_say_each_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.jsonl").display().to_string();
    let unwritable = dir
        .path()
        .join("no/such/folder/out.json")
        .display()
        .to_string();
    for args in [
        &["cluster", missing.as_str()][..],
        &["cluster", "seeds", "-q", "-o", &unwritable],
        &["eval", "--gold", &missing, &missing],
        &["stats", &missing, "--errors", &unwritable],
    ] {
        let out = storyclust(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_lowercase();
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("error: error"), "{args:?}: {stderr}");
        // A missing output folder is found before the run: "does not exist".
        let said = stderr.matches("no such file or directory").count()
            + stderr.matches("does not exist").count();
        assert_eq!(said, 1, "{args:?}: {stderr}");
    }
}

/// README and code agree: `synth --gold`'s header, the exit code of a text field that no
/// record has, and the overlong-record limit (which no longer depends on where a read chunk
/// ends, and names no made-up offset for CSV rows).
#[test]
fn readme_matches_the_code() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.tsv");
    ok(storyclust(&[
        "synth",
        "--from",
        "seeds",
        "--copies",
        "1",
        "--gold",
        gold.to_str().unwrap(),
    ]));
    let header = std::fs::read_to_string(&gold).unwrap();
    assert_eq!(header.lines().next(), Some("id\tcluster"));
    assert!(readme.contains("the header row `id<TAB>cluster`"));
    assert!(!readme.contains("`id<TAB>original`"));

    let input = articles(dir.path());
    let out = storyclust(&["stats", &input, "--text-field", "txet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no document was read"));
    assert!(readme.contains("that is the \"no document was read\" error (exit code 1"));

    // --max-text-bytes 1000: the limit is 4 × 1000 + 1 MiB = 1,052,576 bytes.
    let line = json!({"id": "big", "text": "a".repeat(1_100_000)}).to_string();
    let jsonl = dir.path().join("big.jsonl");
    std::fs::write(
        &jsonl,
        format!("{{\"id\":\"x\",\"text\":\"hello there\"}}\n{line}\n"),
    )
    .unwrap();
    let csv = dir.path().join("big.csv");
    std::fs::write(
        &csv,
        format!("id,text\nx,hello there\nbig,{}\n", "a".repeat(1_100_000)),
    )
    .unwrap();
    for (path, message) in [
        (
            &jsonl,
            format!(
                "record of {} bytes at byte offset 32 is over the limit of 1052576 bytes",
                line.len()
            ),
        ),
        (
            &csv,
            "record of 1100004 bytes is over the limit of 1052576 bytes".to_string(),
        ),
    ] {
        let errors = dir.path().join("errors.jsonl");
        let args = [
            "stats",
            path.to_str().unwrap(),
            "--max-text-bytes",
            "1000",
            "--errors",
            errors.to_str().unwrap(),
        ];
        ok(storyclust(&args));
        let report = std::fs::read_to_string(&errors).unwrap();
        assert!(report.contains("\"kind\":\"overlong\""), "{report}");
        assert!(report.contains(&message), "{report}");
    }
    assert!(readme.contains("4 × `--max-text-bytes` + 1 MiB (33 MiB by default"));
}
