//! Headline extraction from raw scraped text.
//!
//! The headline is the title line of the page when there is one: the first lines, before the
//! article's first paragraph, are scanned past furniture (lists, section names and other
//! very short lines, date lines, credits, recurring lines); among the title-like lines left,
//! one that the page repeats elsewhere wins, then one of typical title length, then the
//! earliest. Without a title line, the headline is the first sentence of the article,
//! shortened at a word boundary.

use super::boilerplate::{is_credit_line, is_date_like, is_list_line, Line, LineKind};
use super::sentence::sentences;
use serde::Serialize;

/// Where a document's headline came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "from", content = "line")]
#[non_exhaustive]
pub enum HeadlineSource {
    /// The input's title field.
    Title,
    /// A title line of the text (0-based index into the document's lines).
    Line(usize),
    /// The first sentence of the text.
    FirstSentence,
    /// The document has no content at all.
    None,
}

/// Limits of headline extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct HeadlineOptions {
    /// Title lines have at least this many words...
    pub min_words: usize,
    /// ...and at most this many.
    pub max_words: usize,
    /// Headlines longer than this (in characters) are shortened at a word boundary.
    pub max_chars: usize,
}

impl Default for HeadlineOptions {
    fn default() -> Self {
        HeadlineOptions {
            min_words: 3,
            max_words: 30,
            max_chars: 120,
        }
    }
}

impl HeadlineOptions {
    /// Checks that a headline can be found and shown: a word range that a line can fall in,
    /// and room for a character.
    pub fn check(&self) -> crate::Result<()> {
        use crate::error::ensure;
        ensure(
            self.min_words <= self.max_words,
            "analysis.headline.min_words",
            || {
                format!(
                    "{} is above max_words {}: no line could be a title line",
                    self.min_words, self.max_words
                )
            },
        )?;
        ensure(self.max_chars >= 1, "analysis.headline.max_chars", || {
            "0 would leave every headline empty; use 1 or more".into()
        })
    }
}

/// Ends like a sentence: a single full stop (not an ellipsis such as `..`).
fn ends_with_full_stop(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| c.is_whitespace() || "\"'”’»)]".contains(c));
    (t.ends_with('.') && !t.ends_with("..")) || t.ends_with('。')
}

/// Chooses the title line among the first lines of a page. `lines` have their page
/// boilerplate marked already; recurring lines are `Boilerplate`. Returns the line's index.
pub fn find_title_line(body: &str, lines: &[Line], options: &HeadlineOptions) -> Option<usize> {
    let mut candidates = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.kind == LineKind::Blank {
            continue;
        }
        let text = &body[line.text.clone()];
        let words = line.words();
        let furniture = !line.is_content()
            || words < options.min_words
            || is_list_line(text)
            || is_date_like(line)
            || is_credit_line(text, words);
        if furniture {
            continue;
        }
        if words > options.max_words || ends_with_full_stop(text) {
            break; // the first paragraph: the header is over
        }
        candidates.push(i);
    }
    let repeated = |i: usize| {
        let h = lines[i].hash;
        lines
            .iter()
            .enumerate()
            .any(|(j, l)| j != i && l.hash == h && l.words() > 0)
    };
    let typical = |i: usize| (6..=20).contains(&lines[i].words());
    candidates
        .iter()
        .copied()
        .max_by_key(|&i| (repeated(i), typical(i), std::cmp::Reverse(i)))
}

/// The first sentence of `text`, shortened to `max_chars` at a word boundary (with `…`).
pub fn first_sentence(text: &str, max_chars: usize) -> String {
    shorten(sentences(text).next().unwrap_or(""), max_chars)
}

/// Collapses white space and shortens to `max_chars` characters at a word boundary.
pub fn shorten(text: &str, max_chars: usize) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max_chars {
        return collapsed;
    }
    let mut out = String::new();
    for word in collapsed.split(' ') {
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        if out.chars().count() + extra + 1 > max_chars {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        // One very long word: cut inside it.
        out = collapsed
            .chars()
            .take(max_chars.saturating_sub(1))
            .collect();
    }
    let trimmed = out.trim_end_matches(|c: char| c.is_ascii_punctuation() || "،؛".contains(c));
    format!("{trimmed}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_stops_at_sentence_ends_only() {
        assert_eq!(first_sentence("One. Two.", 100), "One.");
        assert_eq!(
            first_sentence("Price 3.5 today. Then", 100),
            "Price 3.5 today."
        );
        assert_eq!(first_sentence("Wait... what? Yes", 100), "Wait... what?");
        assert_eq!(
            first_sentence("هل يتحقق السلام؟ ربما", 100),
            "هل يتحقق السلام؟"
        );
        assert_eq!(first_sentence("no end at all", 100), "no end at all");
        assert_eq!(
            first_sentence("Dr. Jones arrived on Jan. 3. Then", 100),
            "Dr. Jones arrived on Jan. 3."
        );
    }

    #[test]
    fn shortening_cuts_at_word_boundaries() {
        assert_eq!(shorten("alpha beta gamma delta", 12), "alpha beta…");
        assert!(shorten("alpha beta gamma delta", 12).chars().count() <= 12);
        assert_eq!(shorten("alpha, beta gamma", 10), "alpha…");
        assert_eq!(shorten("  a \n b ", 10), "a b");
        assert_eq!(shorten("abcdefghijkl", 5), "abcd…");
    }

    #[test]
    fn full_stops_and_ellipses() {
        assert!(ends_with_full_stop("A sentence."));
        assert!(ends_with_full_stop("قال «نعم.»"));
        assert!(!ends_with_full_stop("تحولات غير متوقعة.. هل"));
        assert!(!ends_with_full_stop("Loading..."));
        assert!(!ends_with_full_stop("هل تغير العالم؟"));
    }
}
