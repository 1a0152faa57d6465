//! The language of a document: Arabic or Latin script first (told by counting letters, as
//! always), then the language within the script by `whatlang`, with a deterministic fallback
//! for texts too short to tell.

use rust_stemmers::Algorithm;
use serde::Serialize;
use std::fmt;

/// Where a language's stop words come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopList {
    /// NLTK's list (the `stop-words` crate).
    Nltk,
    /// The stopwords-iso list, for languages that NLTK lacks.
    Iso,
}

macro_rules! languages {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $whatlang:ident, $list:ident, $stemmer:expr; )*) => {
        /// Languages with stop words (and a Snowball stemmer where `rust-stemmers` has one).
        /// Every other language is `und` and analysed without either.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize,
        )]
        #[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
        #[non_exhaustive]
        pub enum Lang {
            $(
                $(#[$doc])*
                #[serde(rename = $code)]
                #[cfg_attr(feature = "cli", value(name = $code))]
                $variant,
            )*
            /// Anything else: no stop words, no stemming.
            #[serde(rename = "und")]
            #[cfg_attr(feature = "cli", value(name = "und"))]
            Undetermined,
        }

        impl Lang {
            /// Every language, `und` last.
            pub const ALL: &'static [Lang] = &[$(Lang::$variant,)* Lang::Undetermined];

            /// ISO 639-1 code, or `und`.
            pub fn code(self) -> &'static str {
                match self {
                    $(Lang::$variant => $code,)*
                    Lang::Undetermined => "und",
                }
            }

            fn from_whatlang(lang: whatlang::Lang) -> Lang {
                match lang {
                    $(whatlang::Lang::$whatlang => Lang::$variant,)*
                    _ => Lang::Undetermined,
                }
            }

            /// Where its stop words come from.
            pub(crate) fn stop_list(self) -> Option<StopList> {
                match self {
                    $(Lang::$variant => Some(StopList::$list),)*
                    Lang::Undetermined => None,
                }
            }

            /// Its Snowball stemmer, if `rust-stemmers` has one.
            pub(crate) fn snowball(self) -> Option<Algorithm> {
                match self {
                    $(Lang::$variant => $stemmer,)*
                    Lang::Undetermined => None,
                }
            }
        }
    };
}

languages! {
    /// Arabic (Arabic script): NLTK's and stopwords-iso's stop words, light10 by default.
    Arabic = "ar", Ara, Nltk, Some(Algorithm::Arabic);
    /// English (and any Latin-script text whose language cannot be told, unless most of
    /// the corpus is in another one).
    English = "en", Eng, Nltk, Some(Algorithm::English);
    /// Afrikaans.
    Afrikaans = "af", Afr, Iso, None;
    /// Armenian.
    Armenian = "hy", Hye, Iso, None;
    /// Azerbaijani.
    Azerbaijani = "az", Aze, Nltk, None;
    /// Belarusian.
    Belarusian = "be", Bel, Nltk, None;
    /// Bengali.
    Bengali = "bn", Ben, Nltk, None;
    /// Bulgarian.
    Bulgarian = "bg", Bul, Iso, None;
    /// Catalan.
    Catalan = "ca", Cat, Nltk, None;
    /// Chinese.
    Chinese = "zh", Cmn, Nltk, None;
    /// Croatian.
    Croatian = "hr", Hrv, Iso, None;
    /// Czech.
    Czech = "cs", Ces, Iso, None;
    /// Danish.
    Danish = "da", Dan, Nltk, Some(Algorithm::Danish);
    /// Dutch.
    Dutch = "nl", Nld, Nltk, Some(Algorithm::Dutch);
    /// Esperanto.
    Esperanto = "eo", Epo, Iso, None;
    /// Estonian.
    Estonian = "et", Est, Iso, None;
    /// Finnish.
    Finnish = "fi", Fin, Nltk, Some(Algorithm::Finnish);
    /// French.
    French = "fr", Fra, Nltk, Some(Algorithm::French);
    /// German.
    German = "de", Deu, Nltk, Some(Algorithm::German);
    /// Greek.
    Greek = "el", Ell, Nltk, Some(Algorithm::Greek);
    /// Gujarati.
    Gujarati = "gu", Guj, Iso, None;
    /// Hebrew.
    Hebrew = "he", Heb, Nltk, None;
    /// Hindi.
    Hindi = "hi", Hin, Iso, None;
    /// Hungarian.
    Hungarian = "hu", Hun, Nltk, Some(Algorithm::Hungarian);
    /// Indonesian.
    Indonesian = "id", Ind, Nltk, None;
    /// Italian.
    Italian = "it", Ita, Nltk, Some(Algorithm::Italian);
    /// Japanese.
    Japanese = "ja", Jpn, Iso, None;
    /// Korean.
    Korean = "ko", Kor, Iso, None;
    /// Latin.
    Latin = "la", Lat, Iso, None;
    /// Latvian.
    Latvian = "lv", Lav, Iso, None;
    /// Lithuanian.
    Lithuanian = "lt", Lit, Iso, None;
    /// Marathi.
    Marathi = "mr", Mar, Iso, None;
    /// Nepali.
    Nepali = "ne", Nep, Nltk, None;
    /// Norwegian (Bokmål).
    Norwegian = "no", Nob, Nltk, Some(Algorithm::Norwegian);
    /// Persian (Arabic script).
    Persian = "fa", Pes, Iso, None;
    /// Polish.
    Polish = "pl", Pol, Iso, None;
    /// Portuguese.
    Portuguese = "pt", Por, Nltk, Some(Algorithm::Portuguese);
    /// Romanian.
    Romanian = "ro", Ron, Nltk, Some(Algorithm::Romanian);
    /// Russian.
    Russian = "ru", Rus, Nltk, Some(Algorithm::Russian);
    /// Slovak.
    Slovak = "sk", Slk, Iso, None;
    /// Slovenian.
    Slovenian = "sl", Slv, Nltk, None;
    /// Spanish.
    Spanish = "es", Spa, Nltk, Some(Algorithm::Spanish);
    /// Swedish.
    Swedish = "sv", Swe, Nltk, Some(Algorithm::Swedish);
    /// Tagalog.
    Tagalog = "tl", Tgl, Iso, None;
    /// Tamil.
    Tamil = "ta", Tam, Nltk, Some(Algorithm::Tamil);
    /// Thai.
    Thai = "th", Tha, Iso, None;
    /// Turkish.
    Turkish = "tr", Tur, Nltk, Some(Algorithm::Turkish);
    /// Ukrainian.
    Ukrainian = "uk", Ukr, Iso, None;
    /// Urdu (Arabic script).
    Urdu = "ur", Urd, Iso, None;
    /// Uzbek.
    Uzbek = "uz", Uzb, Nltk, None;
    /// Vietnamese.
    Vietnamese = "vi", Vie, Iso, None;
    /// Zulu.
    Zulu = "zu", Zul, Iso, None;
}

/// A language as told from one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Detection {
    /// The language (English for a Latin-script text that could not be told).
    pub lang: Lang,
    /// Written mostly in Latin letters.
    pub latin: bool,
    /// A Latin-script text whose language could not be told with confidence (too short,
    /// such as a headline): the corpus's majority is a better guess than English.
    pub uncertain: bool,
}

/// Letters of the Persian and Urdu alphabets that Arabic does not use (پ چ ژ گ ک ی and
/// Urdu's ٹ ڈ ڑ ں ہ ھ ے): without enough of them an Arabic-script text stays Arabic, so that
/// no Arabic article ever gets another analysis.
fn is_persian_or_urdu_letter(c: char) -> bool {
    matches!(
        c,
        '\u{067E}'
            | '\u{0686}'
            | '\u{0698}'
            | '\u{06AF}'
            | '\u{06A9}'
            | '\u{06CC}'
            | '\u{0679}'
            | '\u{0688}'
            | '\u{0691}'
            | '\u{06BA}'
            | '\u{06C1}'
            | '\u{06BE}'
            | '\u{06D2}'
    )
}

/// Bytes of text that `whatlang` looks at: enough to tell a language, cheap on long articles.
const SAMPLE_BYTES: usize = 2048;

impl Lang {
    /// The language of `text`, English for a Latin-script text that cannot be told: see
    /// [`Lang::identify`].
    pub fn detect(text: &str) -> Lang {
        Lang::identify(text).lang
    }

    /// Tells the language of `text` (its first 16 KiB). The script comes first, by counting
    /// letters: Arabic if Arabic-script letters are at least as many as Latin ones, Latin if
    /// Latin letters dominate. An Arabic-script text is Arabic unless at least 2 % of its
    /// letters are Persian or Urdu ones and `whatlang` reliably tells Persian or Urdu. A
    /// Latin-script text is the Latin-script language `whatlang` reliably tells (`und` for
    /// one without stop words), else English, marked uncertain. A text in another script is the
    /// language `whatlang` reliably tells, else `und`.
    pub fn identify(text: &str) -> Detection {
        let sure = |lang| Detection {
            lang,
            latin: false,
            uncertain: false,
        };
        let text = &text[..floor_char_boundary(text, 16 * 1024)];
        let (arabic, latin) = script_counts(text);
        let sample = &text[..floor_char_boundary(text, SAMPLE_BYTES)];
        if arabic > 0 && arabic >= latin {
            let marked = sample
                .chars()
                .filter(|&c| is_persian_or_urdu_letter(c))
                .count();
            // Most Arabic texts have no such letter: no need to count the letters (a Unicode
            // table lookup per character, a third of the analysis time on SaudiNewsNet).
            let letters = || sample.chars().filter(|c| c.is_alphabetic()).count();
            if marked > 0 && marked * 50 >= letters().max(1) {
                let allow = vec![
                    whatlang::Lang::Ara,
                    whatlang::Lang::Pes,
                    whatlang::Lang::Urd,
                ];
                let info = whatlang::Detector::with_allowlist(allow).detect(sample);
                if let Some(info) = info.filter(|i| i.is_reliable()) {
                    return sure(Lang::from_whatlang(info.lang()));
                }
            }
            return sure(Lang::Arabic);
        }
        let info = whatlang::detect(sample).filter(|i| i.is_reliable());
        if latin > 0 {
            // Latin letters dominate by count: only a Latin-script language may be told (a
            // text whose first bytes are mostly Arabic stays as the letter count says).
            return match info.filter(|i| i.script() == whatlang::Script::Latin) {
                Some(info) => Detection {
                    lang: Lang::from_whatlang(info.lang()),
                    latin: true,
                    uncertain: false,
                },
                None => Detection {
                    lang: Lang::English,
                    latin: true,
                    uncertain: true,
                },
            };
        }
        sure(info.map_or(Lang::Undetermined, |i| Lang::from_whatlang(i.lang())))
    }
}

/// Arabic-script and Latin letters of `text`. Counting bytes is enough to tell the scripts
/// apart: Arabic letters are two-byte sequences led by D8–DB, Latin letters are ASCII
/// (accented ones led by C3–C9).
fn script_counts(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut arabic, mut latin) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
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
    }
    (arabic, latin)
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut end = at.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// The language most of a corpus's surely-told Latin-script documents are in, for the
/// Latin-script documents that could not be told. English when there are none or on any tie
/// (no language stands out, and English is the commonest language of Latin-script news).
pub fn latin_majority<'a>(detections: impl IntoIterator<Item = &'a Detection>) -> Lang {
    let mut counts = vec![0usize; Lang::ALL.len()];
    for d in detections {
        if d.latin && !d.uncertain {
            counts[d.lang as usize] += 1;
        }
    }
    let best = counts.iter().copied().max().unwrap_or(0);
    if best == 0 || counts.iter().filter(|&&c| c == best).count() > 1 {
        return Lang::English;
    }
    Lang::ALL[counts
        .iter()
        .position(|&c| c == best)
        .expect("the maximum is there")]
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
        assert_eq!(
            Lang::detect("\u{FEB3}\u{FEE0}\u{FE8E}\u{FEE1}"),
            Lang::Arabic
        );
    }

    #[test]
    fn short_latin_texts_are_uncertain() {
        let d = Lang::identify("Trump and Putin");
        assert_eq!((d.lang, d.latin, d.uncertain), (Lang::English, true, true));
        assert!(!Lang::identify("ترامب").uncertain);
    }

    #[test]
    fn every_language_has_its_stop_list_and_a_code() {
        for &lang in Lang::ALL {
            assert_eq!(lang.stop_list().is_none(), lang == Lang::Undetermined);
            assert!(lang.code().len() == 2 || lang == Lang::Undetermined);
        }
        assert_eq!(Lang::ALL.last(), Some(&Lang::Undetermined));
        assert!(Lang::Arabic < Lang::English && Lang::English < Lang::Undetermined);
    }

    #[test]
    fn majority_prefers_english_on_ties() {
        let d = |lang, uncertain| Detection {
            lang,
            latin: true,
            uncertain,
        };
        let fr = [
            d(Lang::French, false),
            d(Lang::French, false),
            d(Lang::English, false),
        ];
        assert_eq!(latin_majority(&fr), Lang::French);
        let tie = [d(Lang::French, false), d(Lang::English, false)];
        assert_eq!(latin_majority(&tie), Lang::English);
        // A tie between two other languages is no majority either.
        let other_tie = [d(Lang::German, false), d(Lang::Spanish, false)];
        assert_eq!(latin_majority(&other_tie), Lang::English);
        let none = [d(Lang::English, true)];
        assert_eq!(latin_majority(&none), Lang::English);
    }
}
