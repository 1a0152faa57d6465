//! Sentence splitting for headlines and key sentences.
//!
//! A sentence ends at `.`, `!`, `?`, `؟` or `。` (with any closing quotes or brackets after
//! it) followed by white space or the end of the text. A full stop does not end one inside
//! an ellipsis or a number (3.5), after a title or month abbreviation (Dr., Mr., Jan.), after
//! a single-letter initial (J. Smith, «د. محمد», «م. علي»), after an Arabic initialism
//! (أ.د.), or after a Latin initialism (U.S., e.g.) unless a common sentence opener follows.
//! The lists are of closed classes (titles, months, openers) rather than of a corpus's
//! words, so that they hold for any news text in these languages.

/// Abbreviations, lower case and without their full stop, that are followed by a name or
/// a number rather than the end of a sentence.
const ABBREVIATIONS: &[&str] = &[
    // titles and ranks
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "cmdr",
    "adm", "maj", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp", "det", "messrs", "mt",
    "ft", "no", "nos", "vs", "fig", "vol", "approx", "dept", "univ", // months
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Words that open an English sentence, after which an initialism (U.S.) ends one.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "in",
    "on",
    "but",
    "this",
    "that",
    "his",
    "her",
    "their",
    "there",
    "after",
    "when",
    "while",
    "as",
    "at",
    "for",
    "if",
    "its",
    "officials",
    "police",
    "meanwhile",
    "however",
    "also",
    "and",
];

/// Splits `text` into trimmed, non-empty sentences.
pub fn sentences(text: &str) -> Sentences<'_> {
    Sentences { text, start: 0 }
}

/// Iterator over the sentences of a text.
#[derive(Debug, Clone)]
pub struct Sentences<'a> {
    text: &'a str,
    start: usize,
}

impl<'a> Iterator for Sentences<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        while self.start < self.text.len() {
            let rest = &self.text[self.start..];
            let end = sentence_end(rest).unwrap_or(rest.len());
            self.start += end;
            let sentence = rest[..end].trim();
            if !sentence.is_empty() {
                return Some(sentence);
            }
        }
        None
    }
}

/// Byte length of the first sentence of `text`, its closing marks included; `None` when
/// the text does not end one.
fn sentence_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?' | '؟' | '。') {
            continue;
        }
        // Closing quotes and brackets belong to the sentence they close.
        let after = i + c.len_utf8();
        let close = text[after..]
            .char_indices()
            .find(|&(_, n)| !matches!(n, '"' | '\'' | '”' | '’' | '»' | ')' | ']'))
            .map_or(text.len(), |(j, _)| after + j);
        let next = text[close..].chars().next();
        if next.is_some_and(|n| !n.is_whitespace()) {
            // A full stop between two Arabic words is a missing space («اخرى.واكد»):
            // Arabic writes no dotted abbreviation of two letters or more.
            if !(c == '.'
                && close == after
                && next.is_some_and(is_arabic_letter)
                && arabic_word_before(&text[..i]))
            {
                continue; // 3.5, a.m., "..", أ.د
            }
            return Some(close);
        }
        if c == '.'
            && (i > 0 && bytes[i - 1] == b'.'
                || !ends_at_full_stop(&text[..i], text[close..].trim_start()))
        {
            continue;
        }
        return Some(close);
    }
    None
}

/// Whether a full stop after `before` (the text up to it) ends a sentence, `after` being the
/// text that follows.
fn ends_at_full_stop(before: &str, after: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '«' | '“'))
        .next()
        .unwrap_or("");
    // None, one or more: two are enough to tell.
    let letters = word.chars().filter(|c| c.is_alphabetic()).take(2).count();
    if letters == 0 {
        return true; // a number or a symbol: "in 2015."
    }
    if word.contains('.') || letters == 1 {
        // An initialism (U.S, أ.د) or an initial (J, د): Arabic has no capitals to tell a
        // new sentence by, so only a Latin one ends before a sentence opener.
        let latin = word.chars().all(|c| c.is_ascii_alphabetic() || c == '.');
        return latin && word.contains('.') && opens_sentence(after);
    }
    !ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{064A}')
}

/// Whether `before` ends with an Arabic word of two letters or more.
fn arabic_word_before(before: &str) -> bool {
    before
        .chars()
        .rev()
        .take_while(|&c| is_arabic_letter(c))
        .take(2)
        .count()
        == 2
}

fn opens_sentence(after: &str) -> bool {
    let next: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
    next.starts_with(|c: char| c.is_uppercase()) && OPENERS.contains(&next.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).collect()
    }

    #[test]
    fn ends_of_sentences() {
        assert_eq!(
            split("قال إن 3.5 مليار. ثم؟ نعم... وانتهى"),
            ["قال إن 3.5 مليار.", "ثم؟", "نعم... وانتهى"]
        );
        assert_eq!(
            split("One. Two! Three? Four"),
            ["One.", "Two!", "Three?", "Four"]
        );
        assert_eq!(
            split("He said «yes.» Then left."),
            ["He said «yes.»", "Then left."]
        );
        assert_eq!(split("  \n "), Vec::<&str>::new());
    }

    #[test]
    fn english_abbreviations_do_not_end_sentences() {
        assert_eq!(
            split("Dr. Smith met Mr. Jones on Jan. 5 at St. Mary's. They talked."),
            [
                "Dr. Smith met Mr. Jones on Jan. 5 at St. Mary's.",
                "They talked."
            ]
        );
        assert_eq!(
            split("John F. Kennedy spoke. The U.S. Senate voted."),
            ["John F. Kennedy spoke.", "The U.S. Senate voted."]
        );
        assert_eq!(
            split("Sanctions were set by the U.S. The talks ended at 3 p.m. today."),
            [
                "Sanctions were set by the U.S.",
                "The talks ended at 3 p.m. today."
            ]
        );
        assert_eq!(
            split("It rose in 2015. Then fell."),
            ["It rose in 2015.", "Then fell."]
        );
    }

    #[test]
    fn arabic_initials_do_not_end_sentences() {
        assert_eq!(
            split("وقال د. محمد العلي إن أ.د. سعيد وافق. ثم انتهى الاجتماع."),
            ["وقال د. محمد العلي إن أ.د. سعيد وافق.", "ثم انتهى الاجتماع."]
        );
        assert_eq!(
            split("صرح م. خالد بذلك. وأضاف"),
            ["صرح م. خالد بذلك.", "وأضاف"]
        );
        // A missing space after a full stop between Arabic words; not inside أ.د. or 3.5.
        assert_eq!(
            split("من جهة اخرى.واكد مصدر أن أ.د.سعيد قال 3.5 مليار."),
            ["من جهة اخرى.", "واكد مصدر أن أ.د.سعيد قال 3.5 مليار."]
        );
    }

    proptest! {
        /// Splitting loses nothing but white space, and every piece is trimmed and non-empty.
        #[test]
        fn sentences_cover_the_text(text in "[a-zA-Z0-9 .!?؟»\"\\n\u{0627}-\u{064A}]{0,80}") {
            let pieces = split(&text);
            let joined: String = pieces.concat().split_whitespace().collect();
            let original: String = text.split_whitespace().collect();
            prop_assert_eq!(joined, original);
            for p in pieces {
                prop_assert!(!p.is_empty() && p.trim() == p);
            }
        }
    }
}
