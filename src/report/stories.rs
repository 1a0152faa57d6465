//! Rendering stories: a terminal table, JSON, JSON Lines, CSV, Markdown, and assignments.

use crate::corpus::{csv_cell, markdown_text, terminal_safe, tsv_escape};
use crate::summary::{Stories, Story};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Output formats of `cluster`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StoryFormat {
    /// A table for a terminal.
    Table,
    /// One JSON object: parameters, accounting and a `stories` array.
    Json,
    /// One story per line.
    Jsonl,
    /// One row per story.
    Csv,
    /// Markdown, one section per story.
    Md,
    /// A self-contained HTML page for editors (needs no server and no network).
    Html,
}

/// What a run read and where every document went.
#[derive(Debug, Clone, Serialize)]
pub struct Accounting {
    /// Records seen: documents read plus records skipped.
    pub seen: usize,
    /// Documents read.
    pub read: usize,
    /// Documents placed in a story (every document read).
    pub clustered: usize,
    /// Records skipped, by reason.
    pub skipped: std::collections::BTreeMap<&'static str, usize>,
    /// Stories with more than one article.
    pub stories: usize,
    /// Articles alone in their story.
    pub singletons: usize,
}

impl Accounting {
    /// The one-line account: `read N, clustered N, skipped K (reasons…)`.
    pub fn line(&self) -> String {
        let skipped: usize = self.skipped.values().sum();
        let reasons: Vec<String> = self
            .skipped
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let reasons = if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        };
        format!(
            "read {}, clustered {}, skipped {skipped}{reasons}",
            self.read, self.clustered
        )
    }
}

#[derive(Serialize)]
struct Document<'a, P: Serialize> {
    parameters: &'a P,
    accounting: &'a Accounting,
    stories: &'a [Story],
}

/// Writes stories in `format`. `parameters` are recorded in JSON and HTML output; `width`
/// wraps the table; `title` (the inputs) heads the HTML page.
pub fn write_stories<P: Serialize>(
    out: &mut dyn Write,
    stories: &Stories,
    format: StoryFormat,
    parameters: &P,
    accounting: &Accounting,
    width: usize,
    title: &str,
) -> io::Result<()> {
    match format {
        StoryFormat::Html => {
            let page = super::html::render_html(stories, parameters, accounting, title)
                .map_err(io::Error::other)?;
            out.write_all(page.as_bytes())
        }
        StoryFormat::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &Document {
                    parameters,
                    accounting,
                    stories: &stories.stories,
                },
            )?;
            writeln!(out)
        }
        StoryFormat::Jsonl => {
            for s in &stories.stories {
                serde_json::to_writer(&mut *out, s)?;
                writeln!(out)?;
            }
            Ok(())
        }
        StoryFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "id",
                "size",
                "label",
                "headline",
                "representative",
                "sources",
                "first_date",
                "last_date",
                "cohesion",
                "members",
            ])?;
            for s in &stories.stories {
                let sources: Vec<String> = s
                    .sources
                    .iter()
                    .map(|(n, c)| format!("{n} ({c})"))
                    .collect();
                let members: Vec<&str> = s.members.iter().map(|m| m.id.as_str()).collect();
                // Ids may hold any character: the members are a JSON array of strings.
                let members = serde_json::to_string(&members)?;
                let cell = |text: &str| csv_cell(text).into_owned();
                w.write_record([
                    s.id.to_string(),
                    s.size.to_string(),
                    cell(&s.label.join("; ")),
                    cell(&s.headline),
                    cell(&s.representative),
                    cell(&sources.join("; ")),
                    s.first_date.map(|d| d.to_string()).unwrap_or_default(),
                    s.last_date.map(|d| d.to_string()).unwrap_or_default(),
                    format!("{:.3}", s.cohesion),
                    members,
                ])?;
            }
            w.flush()
        }
        StoryFormat::Md => out.write_all(terminal_safe(&markdown(stories, accounting)).as_bytes()),
        StoryFormat::Table => {
            out.write_all(terminal_safe(&table(stories, accounting, width)).as_bytes())
        }
    }
}

/// Writes `id<TAB>story`, one line per document, in corpus order.
pub fn write_assignments(out: &mut dyn Write, ids: &[&str], stories: &Stories) -> io::Result<()> {
    let story = stories.assignments(ids.len());
    writeln!(out, "id\tstory")?;
    for (id, s) in ids.iter().zip(story) {
        writeln!(out, "{}\t{s}", tsv_escape(id))?;
    }
    Ok(())
}

/// `source (id)`, or the id alone.
fn with_source(id: &str, source: &Option<String>) -> String {
    match source {
        Some(src) => format!("{src} ({id})"),
        None => id.to_string(),
    }
}

fn dates(s: &Story) -> String {
    match (s.first_date, s.last_date) {
        (Some(f), Some(l)) if f.day_number() == l.day_number() => f.date_string(),
        (Some(f), Some(l)) => format!("{} – {}", f.date_string(), l.date_string()),
        _ => String::new(),
    }
}

/// Wraps `text` to `width` characters, each line indented by `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let width = width.max(indent.chars().count() + 20);
    let mut out = String::new();
    let mut line = String::from(indent);
    let mut line_len = indent.chars().count();
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if line_len > indent.chars().count() && line_len + 1 + w > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
            line_len = indent.chars().count();
        }
        if line_len > indent.chars().count() {
            line.push(' ');
            line_len += 1;
        }
        line.push_str(word);
        line_len += w;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

fn table(stories: &Stories, accounting: &Accounting, width: usize) -> String {
    let mut s = String::new();
    let multi: Vec<&Story> = stories.stories.iter().filter(|x| x.size > 1).collect();
    let single: Vec<&Story> = stories.stories.iter().filter(|x| x.size == 1).collect();
    let _ = writeln!(
        s,
        "{} stories of two articles or more, {} single articles ({})\n",
        multi.len(),
        single.len(),
        accounting.line()
    );
    for story in &multi {
        let mut head = format!("#{}  {} articles", story.id, story.size);
        if !story.sources.is_empty() {
            let _ = write!(head, " · {} sources", story.sources.len());
        }
        let d = dates(story);
        if !d.is_empty() {
            let _ = write!(head, " · {d}");
        }
        let _ = write!(head, " · cohesion {:.2}", story.cohesion);
        let _ = writeln!(s, "{head}");
        s.push_str(&wrap(&story.headline, width, "   "));
        s.push_str(&wrap(
            &format!("[{}]", story.label.join(" · ")),
            width,
            "   ",
        ));
        for m in &story.members {
            let mut tail = String::new();
            if let Some(src) = &m.source {
                let _ = write!(tail, " — {src}");
            }
            if let Some(d) = m.date {
                let _ = write!(tail, " {}", d.date_string());
            }
            s.push_str(&wrap(
                &format!("• {}{tail} ({:.2}) [{}]", m.headline, m.similarity, m.id),
                width,
                "     ",
            ));
        }
        for k in &story.key_sentences {
            s.push_str(&wrap(&format!("› {k}"), width, "   "));
        }
        for g in &story.duplicate_groups {
            let copies: Vec<String> = g
                .copies
                .iter()
                .map(|c| format!("{} ({:.2})", with_source(&c.id, &c.source), c.jaccard))
                .collect();
            s.push_str(&wrap(
                &format!(
                    "≈ {} republished as {}",
                    with_source(&g.canonical, &g.source),
                    copies.join(", ")
                ),
                width,
                "   ",
            ));
        }
        s.push('\n');
    }
    if !single.is_empty() {
        let _ = writeln!(s, "single articles:");
        for story in &single {
            let m = &story.members[0];
            let src = m
                .source
                .as_deref()
                .map(|x| format!(" — {x}"))
                .unwrap_or_default();
            s.push_str(&wrap(
                &format!("#{}  {}{src} [{}]", story.id, story.headline, m.id),
                width,
                "  ",
            ));
        }
    }
    s
}

fn markdown(stories: &Stories, accounting: &Accounting) -> String {
    let mut s = String::from("# Stories\n\n");
    let _ = writeln!(s, "{}\n", accounting.line());
    let esc = markdown_text;
    for story in &stories.stories {
        let _ = writeln!(s, "## {}. {}\n", story.id, esc(&story.headline));
        let _ = writeln!(s, "- **Articles:** {}", story.size);
        let _ = writeln!(s, "- **Label:** {}", esc(&story.label.join(" · ")));
        let d = dates(story);
        if !d.is_empty() {
            let _ = writeln!(s, "- **Dates:** {d}");
        }
        if !story.sources.is_empty() {
            let src: Vec<String> = story
                .sources
                .iter()
                .map(|(n, c)| format!("{} ({c})", esc(n)))
                .collect();
            let _ = writeln!(s, "- **Sources:** {}", src.join(", "));
        }
        let _ = writeln!(s, "- **Cohesion:** {:.2}\n", story.cohesion);
        if !story.key_sentences.is_empty() {
            for k in &story.key_sentences {
                let _ = writeln!(s, "> {}\n", esc(k));
            }
        }
        let _ = writeln!(
            s,
            "| article | source | date | similarity |\n|---|---|---|---|"
        );
        for m in &story.members {
            let _ = writeln!(
                s,
                "| {} (`{}`) | {} | {} | {:.2} |",
                esc(&m.headline),
                esc(&m.id),
                esc(m.source.as_deref().unwrap_or("")),
                m.date.map(|d| d.date_string()).unwrap_or_default(),
                m.similarity
            );
        }
        for g in &story.duplicate_groups {
            let copies: Vec<String> = g
                .copies
                .iter()
                .map(|c| format!("{} ({:.2})", esc(&with_source(&c.id, &c.source)), c.jaccard))
                .collect();
            let _ = writeln!(
                s,
                "\nNear-duplicates: {} republished as {}",
                esc(&with_source(&g.canonical, &g.source)),
                copies.join(", ")
            );
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_whole() {
        let w = wrap(
            "one two three four five six seven eight nine ten eleven twelve",
            30,
            "  ",
        );
        assert!(w.lines().all(|l| l.chars().count() <= 30), "{w}");
        assert_eq!(w.split_whitespace().count(), 12);
    }
}
