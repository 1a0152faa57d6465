//! The language of a document, told from its script.

use serde::Serialize;
use std::fmt;

/// Languages with stop words and stemming. Others are analysed without either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
pub enum Lang {
    /// Arabic (Arabic script).
    #[serde(rename = "ar")]
    #[value(name = "ar")]
    Arabic,
    /// English (taken for any Latin-script text).
    #[serde(rename = "en")]
    #[value(name = "en")]
    English,
    /// Anything else: no stop words, no stemming.
    #[serde(rename = "und")]
    #[value(name = "und")]
    Undetermined,
}

impl Lang {
    /// ISO 639-1 code, or `und`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Arabic => "ar",
            Lang::English => "en",
            Lang::Undetermined => "und",
        }
    }

    /// Detects the language from the letters of `text`: Arabic if Arabic-script letters are
    /// at least as many as Latin ones, English if Latin letters dominate, undetermined if
    /// there are neither. Only the first 16 KiB are looked at.
    pub fn detect(text: &str) -> Lang {
        // Counting bytes is enough to tell scripts apart: Arabic letters are two-byte
        // sequences led by D8–DB, Latin letters are ASCII (accented ones led by C3–C9).
        let bytes = &text.as_bytes()[..text.len().min(16 * 1024)];
        let (mut arabic, mut latin) = (0usize, 0usize);
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'a'..=b'z' | b'A'..=b'Z' => latin += 1,
                0xC3..=0xC9 => latin += 1,
                0xD8..=0xDB => arabic += 1,
                // Arabic presentation forms: EF AD 90 (U+FB50) … EF BB BC (U+FEFC).
                0xEF if bytes
                    .get(i + 1)
                    .is_some_and(|&n| (0xAD..=0xBB).contains(&n)) =>
                {
                    arabic += 1
                }
                _ => {}
            }
            i += 1;
        }
        if arabic == 0 && latin == 0 {
            Lang::Undetermined
        } else if arabic >= latin {
            Lang::Arabic
        } else {
            Lang::English
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_script() {
        assert_eq!(Lang::detect("ترامب وبوتين"), Lang::Arabic);
        assert_eq!(Lang::detect("Trump and Putin"), Lang::English);
        assert_eq!(Lang::detect("قال Trump إن بوتين"), Lang::Arabic);
        assert_eq!(
            Lang::detect("The word بوتين in English text"),
            Lang::English
        );
        assert_eq!(Lang::detect("12 345 !?"), Lang::Undetermined);
        assert_eq!(Lang::detect("Москва"), Lang::Undetermined);
        assert_eq!(
            Lang::detect("\u{FEB3}\u{FEE0}\u{FE8E}\u{FEE1}"),
            Lang::Arabic
        );
    }
}
