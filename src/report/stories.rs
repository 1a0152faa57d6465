//! Rendering stories: a terminal table, JSON, JSON Lines, CSV, Markdown, and assignments.

use super::{Accounting, ClusterRecord};
use crate::corpus::{csv_cell, terminal_safe, tsv_escape};
use crate::summary::{Level, Stories, Story};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Output formats of `cluster`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[non_exhaustive]
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

impl StoryFormat {
    /// The format an output file's extension names (`stories.json`, `report.html`; `.txt`
    /// is the table), by the rule `dedup --output` follows too.
    pub fn from_path(path: &std::path::Path) -> Option<StoryFormat> {
        Some(match crate::corpus::output_extension(path)?.as_str() {
            "json" => StoryFormat::Json,
            "jsonl" | "ndjson" => StoryFormat::Jsonl,
            "csv" => StoryFormat::Csv,
            "md" | "markdown" => StoryFormat::Md,
            "html" | "htm" => StoryFormat::Html,
            "txt" => StoryFormat::Table,
            _ => return None,
        })
    }
}

/// The parameters of a `cluster` run, recorded in its JSON and HTML outputs.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ClusterParameters {
    /// storyclust's version.
    pub version: &'static str,
    /// Story and topic clustering.
    pub stories: crate::cluster::StoryOptions,
    /// Near-duplicates, which always share a story.
    pub near_duplicates: NearDuplicateParameters,
    /// Text analysis.
    pub analysis: AnalysisParameters,
    /// Summaries.
    pub summary: crate::summary::SummaryOptions,
}

/// How near-duplicates were found in a `cluster` run.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NearDuplicateParameters {
    /// Jaccard threshold.
    pub threshold: f64,
    /// Words per shingle.
    pub ngram: usize,
    /// MinHash scheme (absent with the exact join).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<crate::minhash::Scheme>,
    /// Signature length (absent with the exact join).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_perm: Option<usize>,
    /// Hash seed (absent with the exact join).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// How text was analysed in a `cluster` run.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AnalysisParameters {
    /// The language every document was taken to be (`null`: detected per document).
    pub lang: Option<&'static str>,
    /// Arabic stemmer.
    pub arabic_stemmer: crate::text::ArabicStemmer,
    /// Whether adjacent-term pairs were terms too.
    pub bigrams: bool,
}

impl ClusterParameters {
    /// The parameters of a run with these options of its stages.
    pub fn new(
        analysis: &crate::text::AnalysisOptions,
        dedup: &crate::minhash::DedupOptions,
        stories: &crate::cluster::StoryOptions,
        summary: crate::summary::SummaryOptions,
    ) -> ClusterParameters {
        ClusterParameters {
            version: env!("CARGO_PKG_VERSION"),
            stories: stories.clone(),
            near_duplicates: NearDuplicateParameters {
                threshold: dedup.threshold,
                ngram: dedup.ngram,
                scheme: dedup.method.minhash().map(|m| m.scheme),
                num_perm: dedup.method.minhash().map(|m| m.num_perm),
                seed: dedup.method.minhash().map(|m| m.seed),
            },
            analysis: AnalysisParameters {
                lang: analysis.lang.map(|l| l.code()),
                arabic_stemmer: analysis.arabic_stemmer,
                bigrams: analysis.bigrams,
            },
            summary,
        }
    }
}

/// `cluster --format json`: one object.
#[derive(Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StoryReport<'a> {
    /// The version of this output's schema (`schemas/cluster.schema.json`).
    pub schema_version: super::SchemaVersion,
    /// The parameters of the run.
    pub parameters: &'a ClusterParameters,
    /// Where every record went.
    pub accounting: &'a Accounting,
    /// The topics.
    pub topics: &'a [crate::summary::Topic],
    /// The stories.
    pub stories: &'a [Story],
}

/// `cluster --format jsonl`: one story per line, each with the schema's version.
#[derive(Serialize, schemars::JsonSchema)]
pub struct StoryLine<'a> {
    /// The version of this output's schema (`schemas/cluster-line.schema.json`).
    pub schema_version: super::SchemaVersion,
    /// The story.
    #[serde(flatten)]
    pub story: &'a Story,
}

/// How stories are laid out: the format, and what the table and the HTML page need.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StoryLayout {
    /// The format.
    pub format: StoryFormat,
    /// Characters per line of the table.
    pub width: usize,
    /// What heads the HTML page (the inputs).
    pub title: String,
    /// The language of the HTML page's interface.
    pub ui_lang: super::UiLang,
}

impl StoryLayout {
    /// `format` at 100 columns, untitled, the interface's language told by the corpus.
    pub fn new(format: StoryFormat) -> StoryLayout {
        StoryLayout {
            format,
            width: 100,
            title: String::new(),
            ui_lang: super::UiLang::default(),
        }
    }
}

/// Writes stories as `layout` says; `record`'s parameters and accounting go into the JSON,
/// HTML, Markdown and table outputs.
///
/// ```
/// use storyclust::corpus::{Corpus, Document};
/// use storyclust::pipeline::{run_stories, PipelineOptions};
/// use storyclust::progress::Timings;
/// use storyclust::report::{write_stories, StoryFormat, StoryLayout};
///
/// let mut corpus = Corpus::default();
/// corpus.documents = vec![
///     Document::new("a", "The river burst its banks and flooded the old town of Ayr."),
///     Document::new("b", "Floodwater in the old town of Ayr fell as the river went down."),
/// ];
/// let options = PipelineOptions::default();
/// let timings = Timings::new(); // an observer that keeps each stage's time
/// let run = run_stories(&corpus.documents, &options, &timings)?;
/// let record = run.record(&corpus, &timings);
/// let mut json = Vec::new();
/// write_stories(&mut json, &run.stories, &record, &StoryLayout::new(StoryFormat::Json))?;
/// let json: serde_json::Value = serde_json::from_slice(&json)?;
/// assert_eq!(json["stories"][0]["size"], 2);
/// assert_eq!(json["accounting"]["read"], 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_stories(
    out: &mut dyn Write,
    stories: &Stories,
    record: &ClusterRecord,
    layout: &StoryLayout,
) -> io::Result<()> {
    let accounting = &record.accounting;
    match layout.format {
        StoryFormat::Html => {
            let page = super::html::render_html(stories, record, &layout.title, layout.ui_lang)
                .map_err(io::Error::other)?;
            out.write_all(page.as_bytes())
        }
        StoryFormat::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &StoryReport {
                    schema_version: super::SchemaVersion,
                    parameters: &record.parameters,
                    accounting,
                    topics: &stories.topics,
                    stories: &stories.stories,
                },
            )?;
            writeln!(out)
        }
        StoryFormat::Jsonl => {
            for s in &stories.stories {
                let line = StoryLine {
                    schema_version: super::SchemaVersion,
                    story: s,
                };
                serde_json::to_writer(&mut *out, &line)?;
                writeln!(out)?;
            }
            Ok(())
        }
        StoryFormat::Csv => write_csv(out, stories),
        StoryFormat::Md => out.write_all(terminal_safe(&markdown(stories, accounting)).as_bytes()),
        StoryFormat::Table => {
            out.write_all(terminal_safe(&table(stories, accounting, layout.width)).as_bytes())
        }
    }
}

/// The columns of the CSV stories.
const CSV_COLUMNS: [&str; 16] = [
    "id",
    "topic",
    "size",
    "label",
    "headline",
    "representative",
    "sources",
    "first_date",
    "last_date",
    "cohesion",
    "members",
    "member_dates",
    "member_urls",
    "first_publisher",
    "first_published",
    "first_url",
];

/// The stories as CSV: a header row, then one row per story.
fn write_csv(out: &mut dyn Write, stories: &Stories) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    for s in &stories.stories {
        w.write_record(csv_row(s)?)?;
    }
    w.flush()
}

/// One story's CSV row, in the order of [`CSV_COLUMNS`].
fn csv_row(s: &Story) -> serde_json::Result<[String; 16]> {
    let sources: Vec<String> = s
        .sources
        .iter()
        .map(|c| format!("{} ({})", c.name, c.count))
        .collect();
    let members: Vec<&str> = s.members.iter().map(|m| m.id.as_str()).collect();
    // JSON arrays like `members`, in the same order; null where unknown. A bracket never
    // starts a spreadsheet formula.
    let member_dates: Vec<Option<String>> = s
        .members
        .iter()
        .map(|m| m.date.map(|d| d.to_string()))
        .collect();
    let member_urls: Vec<Option<&str>> = s.members.iter().map(|m| m.url.as_deref()).collect();
    let first = s.first_publisher.as_ref();
    // Ids may hold any character: the members are a JSON array of strings.
    let members = serde_json::to_string(&members)?;
    let cell = |text: &str| csv_cell(text).into_owned();
    Ok([
        s.id.to_string(),
        s.topic.to_string(),
        s.size.to_string(),
        cell(&s.label.join("; ")),
        cell(&s.headline),
        cell(&s.representative),
        cell(&sources.join("; ")),
        s.first_date.map(|d| d.to_string()).unwrap_or_default(),
        s.last_date.map(|d| d.to_string()).unwrap_or_default(),
        super::decimal(s.cohesion),
        members,
        serde_json::to_string(&member_dates)?,
        serde_json::to_string(&member_urls)?,
        cell(&first.and_then(|p| p.source.clone()).unwrap_or_default()),
        first.map(|p| p.date.to_string()).unwrap_or_default(),
        cell(&first.and_then(|p| p.url.clone()).unwrap_or_default()),
    ])
}

/// Writes `id<TAB>story`, one line per document, in corpus order.
pub fn write_assignments(
    out: &mut dyn Write,
    ids: &[&str],
    stories: &Stories,
    level: Level,
) -> io::Result<()> {
    let story = stories.assignments_at(level, ids.len());
    writeln!(out, "id\t{}", level.name())?;
    for (id, s) in ids.iter().zip(story) {
        writeln!(out, "{}\t{s}", tsv_escape(id))?;
    }
    Ok(())
}

/// An article for a republished or first-published line: `source, time: «headline» [id]`.
fn article_line(
    source: &Option<String>,
    date: Option<crate::corpus::Timestamp>,
    headline: &str,
    id: &str,
) -> String {
    let mut s = source.clone().unwrap_or_else(|| "?".into());
    if let Some(d) = date {
        let _ = write!(s, ", {d}");
    }
    let _ = write!(s, ": «{headline}» [{id}]");
    s
}

/// The first publisher of a story: `source, time: «headline» [id]`.
fn first_article(story: &Story) -> Option<String> {
    let p = story.first_publisher.as_ref()?;
    Some(article_line(&p.source, Some(p.date), &p.headline, &p.id))
}

/// Text for Markdown: every character Markdown could read as syntax (links, emphasis,
/// headings, lists, tables, raw HTML, entities) backslash-escaped, line breaks as spaces, so
/// that only the links the writer makes itself are links.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '<' | '>' | '&' | '~' | ':' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text as a Markdown code span (ids), shown literally: fenced by more backticks than any
/// run inside, `|` escaped as GFM tables need even in code, line breaks as spaces.
fn md_code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let body: String = text
        .chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .replace('|', "\\|");
    // A span starting or ending with a backtick needs a space between it and the fence.
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// A web address as the destination of a Markdown link: in angle brackets, with what would
/// end it (`>`, line breaks) or open another (`<`), and spaces and backslashes, percent-encoded.
fn md_destination(url: &str) -> String {
    let mut out = String::from("<");
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            c => out.push(c),
        }
    }
    out.push('>');
    out
}

/// A near-duplicate group: the canonical article and its copies, with headlines and times.
fn republished(g: &crate::summary::StoryDuplicates) -> String {
    let copies: Vec<String> = g
        .copies
        .iter()
        .map(|c| {
            let line = article_line(&c.source, c.date, &c.headline, &c.id);
            format!("{line} (Jaccard {:.2})", c.jaccard)
        })
        .collect();
    let mut s = format!(
        "{} republished as {}",
        article_line(&g.source, g.date, &g.headline, &g.canonical),
        copies.join("; ")
    );
    if let Some(p) = &g.first_publisher {
        let src = p.source.as_deref().unwrap_or("?");
        let _ = write!(s, "; first: {src} [{}]", p.id);
    }
    s
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
    let multi = stories.stories.iter().filter(|x| x.size > 1).count();
    let single = stories.stories.len() - multi;
    let topics = stories.topics.iter().filter(|t| t.size > 1).count();
    let _ = writeln!(
        s,
        "{multi} stories of two articles or more in {topics} topic{}, {single} single articles ({})\n",
        if topics == 1 { "" } else { "s" },
        accounting.line()
    );
    // Topics of one article are listed with the single articles, at the end.
    for topic in stories.topics.iter().filter(|t| t.size > 1) {
        let _ = writeln!(
            s,
            "TOPIC {}  {} stories · {} articles",
            topic.id,
            topic.stories.len(),
            topic.size
        );
        s.push_str(&wrap(
            &format!("[{}]", topic.label.join(" · ")),
            width,
            "  ",
        ));
        s.push('\n');
        for &id in &topic.stories {
            let story = &stories.stories[id - 1];
            if story.size > 1 {
                table_story(&mut s, story, width);
            } else {
                single_line(&mut s, story, width);
            }
        }
        s.push('\n');
    }
    let lone: Vec<&Story> = stories
        .topics
        .iter()
        .filter(|t| t.size == 1)
        .map(|t| &stories.stories[t.stories[0] - 1])
        .collect();
    if !lone.is_empty() {
        let _ = writeln!(s, "single articles:");
        for story in lone {
            single_line(&mut s, story, width);
        }
    }
    s
}

/// A single-article story on one line, its member shown as the members of larger stories.
fn single_line(s: &mut String, story: &Story, width: usize) {
    let m = &story.members[0];
    s.push_str(&wrap(
        &format!(
            "#{}  {}{} [{}]",
            story.id,
            story.headline,
            member_tail(m),
            m.id
        ),
        width,
        "  ",
    ));
}

/// What follows a member's headline in the table: ` — source time url`, each when known.
fn member_tail(m: &crate::summary::StoryMember) -> String {
    let mut tail = String::new();
    if let Some(src) = &m.source {
        let _ = write!(tail, " — {src}");
    }
    if let Some(d) = m.date {
        let _ = write!(tail, " {d}");
    }
    if let Some(u) = &m.url {
        let _ = write!(tail, " {u}");
    }
    tail
}

/// A story of several articles: its head, headline, label, members, key sentences and
/// near-duplicates.
fn table_story(s: &mut String, story: &Story, width: usize) {
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
    if let Some(first) = first_article(story) {
        s.push_str(&wrap(&format!("first published by {first}"), width, "   "));
    }
    for m in &story.members {
        s.push_str(&wrap(
            &format!(
                "• {}{} ({:.2}) [{}]",
                m.headline,
                member_tail(m),
                m.similarity,
                m.id
            ),
            width,
            "     ",
        ));
    }
    for k in &story.key_sentences {
        s.push_str(&wrap(&format!("› {k}"), width, "   "));
    }
    for g in &story.duplicate_groups {
        s.push_str(&wrap(&format!("≈ {}", republished(g)), width, "   "));
    }
    s.push('\n');
}

fn markdown(stories: &Stories, accounting: &Accounting) -> String {
    let mut s = String::from("# Stories\n\n");
    let _ = writeln!(s, "{}\n", accounting.line());
    let esc = md_escape;
    let in_topic_order = stories
        .topics
        .iter()
        .flat_map(|t| t.stories.iter().map(move |&id| (t, id)));
    let mut current = 0;
    for (topic, id) in in_topic_order {
        let story = &stories.stories[id - 1];
        if topic.id != current {
            current = topic.id;
            let _ = writeln!(
                s,
                "## Topic {}: {}\n\n{} stories, {} articles\n",
                topic.id,
                esc(&topic.label.join(" · ")),
                topic.stories.len(),
                topic.size
            );
        }
        markdown_story_head(&mut s, story);
        markdown_members(&mut s, story);
        for g in &story.duplicate_groups {
            let _ = writeln!(s, "\nNear-duplicates: {}", esc(&republished(g)));
        }
        s.push('\n');
    }
    s
}

/// A story's heading, facts and key sentences, in Markdown.
fn markdown_story_head(s: &mut String, story: &Story) {
    let esc = md_escape;
    let _ = writeln!(s, "### {}. {}\n", story.id, esc(&story.headline));
    let _ = writeln!(s, "- **Articles:** {}", story.size);
    let _ = writeln!(s, "- **Label:** {}", esc(&story.label.join(" · ")));
    let d = dates(story);
    if !d.is_empty() {
        let _ = writeln!(s, "- **Dates:** {d}");
    }
    if let Some(first) = first_article(story) {
        let _ = writeln!(s, "- **First published:** {}", esc(&first));
    }
    if !story.sources.is_empty() {
        let src: Vec<String> = story
            .sources
            .iter()
            .map(|c| format!("{} ({})", esc(&c.name), c.count))
            .collect();
        let _ = writeln!(s, "- **Sources:** {}", src.join(", "));
    }
    let _ = writeln!(s, "- **Cohesion:** {:.2}\n", story.cohesion);
    for k in &story.key_sentences {
        let _ = writeln!(s, "> {}\n", esc(k));
    }
}

/// A story's articles as a Markdown table, each headline linked to its address when that
/// is a web address.
fn markdown_members(s: &mut String, story: &Story) {
    let esc = md_escape;
    let _ = writeln!(
        s,
        "| article | source | date | similarity |\n|---|---|---|---|"
    );
    for m in &story.members {
        let headline = match &m.url {
            // Not a web address (`javascript:`…): shown as text, never as a link.
            Some(u) if !super::is_web_url(u) => {
                format!("{} ({})", esc(&m.headline), esc(u))
            }
            Some(u) => format!("[{}]({})", esc(&m.headline), md_destination(u)),
            None => esc(&m.headline),
        };
        let _ = writeln!(
            s,
            "| {headline} ({}) | {} | {} | {:.2} |",
            md_code(&m.id),
            esc(m.source.as_deref().unwrap_or("")),
            m.date.map(|d| d.to_string()).unwrap_or_default(),
            m.similarity
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_become_markdown_links() {
        assert!(super::super::is_web_url("https://example.com/a"));
        assert!(super::super::is_web_url("HTTP://example.com"));
        assert!(!super::super::is_web_url("javascript:alert(3)"));
        assert!(!super::super::is_web_url(" data:text/html,x"));
        assert!(!super::super::is_web_url("http:"));
    }

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
