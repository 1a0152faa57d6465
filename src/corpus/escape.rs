//! The escaping rules of every output, so that ids and texts from the input can neither
//! break a file's structure nor act on whatever displays it.
//!
//! - TSV: a backslash escapes a tab (`\t`), a line feed (`\n`), a carriage return (`\r`) and
//!   itself (`\\`); nothing else is escaped, so ordinary ids are written as they are.
//! - CSV reports: RFC 4180 quoting, and a cell that a spreadsheet would run as a formula
//!   (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`.
//! - Terminals (tables, summaries, warnings, Markdown): control characters, and the bidi
//!   embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), are shown as
//!   `\u{1b}`, `\u{202e}`.
//! - Markdown: `<`, `>` and `&` become entities, so no raw HTML gets through.

use std::borrow::Cow;

/// A TSV field: tabs, line breaks and backslashes escaped.
pub fn tsv_escape(field: &str) -> Cow<'_, str> {
    if !field.contains(['\\', '\t', '\n', '\r']) {
        return field.into();
    }
    let mut out = String::with_capacity(field.len() + 8);
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.into()
}

/// Undoes [`tsv_escape`]; a backslash before any other character stays as it is.
pub fn tsv_unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut bytes = field.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        let escaped = match (b, bytes.peek()) {
            (b'\\', Some(b't')) => b'\t',
            (b'\\', Some(b'n')) => b'\n',
            (b'\\', Some(b'r')) => b'\r',
            (b'\\', Some(b'\\')) => b'\\',
            _ => {
                out.push(b);
                continue;
            }
        };
        bytes.next();
        out.push(escaped);
    }
    out
}

/// [`tsv_unescape`] for text.
pub fn tsv_unescape_str(field: &str) -> Cow<'_, str> {
    if !field.contains('\\') {
        return field.into();
    }
    // Escapes map ASCII to ASCII, so the result is UTF-8 again.
    String::from_utf8(tsv_unescape(field.as_bytes()))
        .expect("unescaping keeps UTF-8")
        .into()
}

/// A CSV cell that no spreadsheet runs as a formula.
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Control characters, and the bidi controls that reorder text past their own: an
/// embedding, override or isolate left open in an id or a title would reverse the rest of
/// the terminal's line. The marks (LRM, RLM, ALM) only touch their neighbours, and Arabic
/// text uses them: they are kept.
fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal: control characters (ESC, BEL, C1…) other than line feed and tab,
/// and bidi embeddings, overrides and isolates, written as `\u{…}` escapes.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.contains(is_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Text for a Markdown table cell or paragraph: no raw HTML, no cell break, one line.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' => out.push_str("\\|"),
            '`' => out.push('\''),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn tsv_fields_round_trip_and_hold_no_separator(s in "[a\\\\\t\n\rtnr ]{0,12}") {
            let escaped = tsv_escape(&s);
            prop_assert!(!escaped.contains(['\t', '\n', '\r']));
            prop_assert_eq!(tsv_unescape_str(&escaped), s.as_str());
        }
    }

    #[test]
    fn neutralises_terminal_csv_and_markdown_tricks() {
        assert_eq!(terminal_safe("a\x1b[31mb\x07\n"), "a\\u{1b}[31mb\\u{7}\n");
        assert_eq!(
            terminal_safe("id\u{202E}cba\u{2067}x\u{200F}"),
            "id\\u{202e}cba\\u{2067}x\u{200F}"
        );
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(markdown_text("<img src=x>|a"), "&lt;img src=x&gt;\\|a");
    }
}
