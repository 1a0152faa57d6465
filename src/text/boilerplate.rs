//! Boilerplate: the lines of a page that are not the article (tickers, menus, bylines,
//! "back to top" links, repeated titles, lines every article of a site carries).
//!
//! Boilerplate lines are kept for display but left out of shingles, vectors, headlines and
//! key sentences. Two kinds of evidence mark them:
//! - recurrence: a short line found in many documents of the same source, or of the corpus;
//! - the page itself: list lines, lines without words, repeats, lines before the headline,
//!   and short lines after the last paragraph.

use serde::Serialize;
use std::ops::Range;

/// Thresholds of boilerplate detection.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BoilerplateOptions {
    /// A line found in at least this many documents of one source is boilerplate.
    pub source_min_docs: usize,
    /// A line found in at least this many documents of the whole corpus is boilerplate...
    pub corpus_min_docs: usize,
    /// ...and in at least this fraction of them.
    pub corpus_min_fraction: f64,
    /// Only lines of at most this many words count as recurring boilerplate: long recurring
    /// lines are shared paragraphs (wire copies), which near-duplicate detection needs.
    pub recurring_max_words: usize,
    /// Lines of at most this many words after the last longer line are site furniture.
    pub furniture_max_words: usize,
}

impl Default for BoilerplateOptions {
    fn default() -> Self {
        BoilerplateOptions {
            source_min_docs: 5,
            corpus_min_docs: 20,
            corpus_min_fraction: 0.005,
            recurring_max_words: 20,
            furniture_max_words: 7,
        }
    }
}

impl BoilerplateOptions {
    /// Checks that recurrence means something: a line "found in" one document only is in
    /// every document's own text, so the document counts start at 2, and the corpus share
    /// is a share.
    pub fn check(&self) -> crate::Result<()> {
        use crate::error::{ensure, ensure_within};
        for (field, docs) in [
            ("analysis.boilerplate.source_min_docs", self.source_min_docs),
            ("analysis.boilerplate.corpus_min_docs", self.corpus_min_docs),
        ] {
            ensure(docs >= 2, field, || {
                format!(
                    "{docs} would make every short line boilerplate (a line recurs when it is \
                     in two documents or more); use 2 or more"
                )
            })?;
        }
        ensure_within(
            "analysis.boilerplate.corpus_min_fraction",
            self.corpus_min_fraction,
            0.0,
            1.0,
        )
    }
}

/// Why a line is boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BoilerplateReason {
    /// Found in many documents of the same source or the corpus.
    Recurring,
    /// A list of links or prices (`a | b | c`).
    List,
    /// No word in it (only digits, symbols or punctuation).
    NoWords,
    /// The same words as an earlier line, or as the title.
    Repeated,
    /// Before the headline: section names, dates, tickers, editor credits.
    Leading,
    /// A short line after the last paragraph: related links, follow-us, back to top, credits.
    Trailing,
}

impl BoilerplateReason {
    /// A stable snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            BoilerplateReason::Recurring => "recurring",
            BoilerplateReason::List => "list",
            BoilerplateReason::NoWords => "no_words",
            BoilerplateReason::Repeated => "repeated",
            BoilerplateReason::Leading => "leading",
            BoilerplateReason::Trailing => "trailing",
        }
    }
}

/// What a line of a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "reason")]
#[non_exhaustive]
pub enum LineKind {
    /// Only white space.
    Blank,
    /// Part of the article.
    Content,
    /// The line the headline was taken from (also part of the article).
    Headline,
    /// Not part of the article.
    Boilerplate(BoilerplateReason),
}

/// One line of a document's body, with what analysis learned about it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Line {
    /// Byte range of the trimmed line in the body.
    pub text: Range<usize>,
    /// Range of its tokens in the document's token list.
    pub tokens: Range<usize>,
    /// Number of tokens that are all digits.
    pub numeric_tokens: usize,
    /// Stable hash of its token sequence (0 for a line without tokens).
    pub hash: u64,
    /// What it is.
    pub kind: LineKind,
}

impl Line {
    /// Number of words.
    pub fn words(&self) -> usize {
        self.tokens.len()
    }

    /// Whether the line is part of the article (content or headline).
    pub fn is_content(&self) -> bool {
        matches!(self.kind, LineKind::Content | LineKind::Headline)
    }
}

/// A line that lists things: two or more `|` separators, or three or more bullets.
pub(crate) fn is_list_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'|', bytes).nth(1).is_some()
        || (memchr::memchr2(0xE2, 0xC2, bytes).is_some()
            && text.matches(['•', '·']).nth(2).is_some())
}

/// A line that is mostly a date: at least 40 % of its words are numbers.
pub(crate) fn is_date_like(line: &Line) -> bool {
    line.words() > 0 && line.numeric_tokens * 5 >= line.words() * 2
}

/// A short "label: value" line such as a byline or an editor credit.
pub(crate) fn is_credit_line(text: &str, words: usize) -> bool {
    words <= 6 && text.contains([':', '：'])
}

/// Marks the boilerplate that a page shows by itself (everything but recurrence and the
/// leading lines, which need the headline): list lines, lines without words, repeats, and
/// short lines after the last paragraph. `title_hash` is the hash of a given title.
pub(crate) fn mark_page_boilerplate(
    body: &str,
    lines: &mut [Line],
    title_hash: Option<u64>,
    options: &BoilerplateOptions,
) {
    let mut seen = ahash::AHashSet::new();
    if let Some(h) = title_hash {
        seen.insert(h);
    }
    for line in lines.iter_mut() {
        if line.kind != LineKind::Content {
            continue;
        }
        let text = &body[line.text.clone()];
        if line.words() == 0 || line.numeric_tokens == line.words() {
            line.kind = LineKind::Boilerplate(BoilerplateReason::NoWords);
        } else if is_list_line(text) {
            line.kind = LineKind::Boilerplate(BoilerplateReason::List);
        } else if !seen.insert(line.hash) {
            line.kind = LineKind::Boilerplate(BoilerplateReason::Repeated);
        }
    }
    let paragraph = |l: &Line| l.is_content() && l.words() > options.furniture_max_words;
    if let Some(last) = lines.iter().rposition(paragraph) {
        for line in &mut lines[last + 1..] {
            if line.kind == LineKind::Content {
                line.kind = LineKind::Boilerplate(BoilerplateReason::Trailing);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_and_credit_lines() {
        assert!(is_list_line(
            "تحميل سعر البتكوين... | تحميل الدولار... | تحميل"
        ));
        assert!(!is_list_line("a | b"));
        assert!(is_list_line("Home • News • Sport • Contact"));
        assert!(is_credit_line("كتب: محمد علي", 3));
        assert!(!is_credit_line(
            "قال الرئيس: إن المفاوضات ستبدأ غدا في الرياض",
            8
        ));
    }
}
