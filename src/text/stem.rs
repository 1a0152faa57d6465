//! Stemmers: Larkey's light10 for Arabic, Snowball (from `rust-stemmers`) for English, the
//! other languages it covers, and as an Arabic alternative.

use super::Lang;
use rust_stemmers::{Algorithm, Stemmer as Snowball};

/// Which stemmer to use for Arabic. Other languages use Snowball where it has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[non_exhaustive]
pub enum ArabicStemmer {
    /// Light10 (Larkey, Ballesteros & Connell 2007): strips a leading و, the article forms and
    /// ten suffixes. It works on normalised text.
    #[default]
    Light10,
    /// The Snowball Arabic stemmer (heavier; expects teh marbuta, which normalisation maps to heh).
    Snowball,
    /// No stemming.
    None,
}

/// A stemmer for one language.
#[non_exhaustive]
pub enum Stemmer {
    /// Arabic light10.
    Light10,
    /// A Snowball algorithm.
    Snowball(Snowball),
}

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stemmer::Light10 => f.write_str("Light10"),
            Stemmer::Snowball(_) => f.write_str("Snowball"),
        }
    }
}

impl Stemmer {
    /// The stemmer for `lang`, or `None` where there is none.
    pub fn for_lang(lang: Lang, arabic: ArabicStemmer) -> Option<Stemmer> {
        match (lang, arabic) {
            (Lang::Arabic, ArabicStemmer::Light10) => Some(Stemmer::Light10),
            (Lang::Arabic, ArabicStemmer::Snowball) => {
                Some(Stemmer::Snowball(Snowball::create(Algorithm::Arabic)))
            }
            (Lang::Arabic, ArabicStemmer::None) => None,
            (lang, _) => lang
                .snowball()
                .map(|a| Stemmer::Snowball(Snowball::create(a))),
        }
    }

    /// Stems `word` in place.
    pub fn stem(&self, word: &mut String) {
        match self {
            Stemmer::Light10 => light10(word),
            Stemmer::Snowball(s) => {
                if let std::borrow::Cow::Owned(stemmed) = s.stem(word) {
                    *word = stemmed;
                }
            }
        }
    }
}

/// Number of characters, counted from the bytes (faster than `chars().count()` for words).
#[inline]
pub(crate) fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

const ARTICLES: [&str; 6] = ["وال", "بال", "كال", "فال", "لل", "ال"];
// ية and ة appear in the published list; after normalisation they are يه and ه.
const SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

/// Light10 on a normalised Arabic word, in place. Lengths are in letters.
pub fn light10(word: &mut String) {
    let mut len = char_count(word);
    // و is two bytes in UTF-8, like every Arabic letter.
    if len > 3 && word.starts_with('و') {
        word.replace_range(..'و'.len_utf8(), "");
        len -= 1;
    }
    for article in ARTICLES {
        let n = article.len() / 2; // Arabic letters are two bytes
        if word.starts_with(article) && len - n >= 2 {
            word.replace_range(..article.len(), "");
            len -= n;
            break;
        }
    }
    for suffix in SUFFIXES {
        let n = suffix.len() / 2;
        if len > n && len - n >= 2 && word.ends_with(suffix) {
            word.truncate(word.len() - suffix.len());
            len -= n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l10(w: &str) -> String {
        let mut s = w.to_string();
        light10(&mut s);
        s
    }

    #[test]
    fn light10_strips_prefixes_and_suffixes() {
        assert_eq!(l10("والحرب"), "حرب");
        assert_eq!(l10("الحرب"), "حرب");
        assert_eq!(l10("بالرييس"), "رييس");
        assert_eq!(l10("للسلام"), "سلام");
        assert_eq!(l10("مكالمات"), "مكالم");
        assert_eq!(l10("الامريكيه"), "امريك");
        assert_eq!(l10("الامريكي"), "امريك");
        assert_eq!(l10("المفاوضون"), "مفاوض");
        assert_eq!(l10("وصفقتها"), "صفقت");
    }

    #[test]
    fn light10_keeps_short_words() {
        assert_eq!(l10("ولد"), "ولد"); // و kept: three letters only
        assert_eq!(l10("ال"), "ال"); // the article would leave nothing
        assert_eq!(l10("به"), "به");
        assert_eq!(l10(""), "");
    }

    #[test]
    fn english_uses_porter2() {
        let s = Stemmer::for_lang(Lang::English, ArabicStemmer::Light10).unwrap();
        let mut w = "negotiations".to_string();
        s.stem(&mut w);
        assert_eq!(w, "negoti");
        assert!(Stemmer::for_lang(Lang::Undetermined, ArabicStemmer::Light10).is_none());
        assert!(Stemmer::for_lang(Lang::Arabic, ArabicStemmer::None).is_none());
        let stem = |lang, w: &str| {
            let mut w = w.to_string();
            Stemmer::for_lang(lang, ArabicStemmer::Light10)
                .unwrap()
                .stem(&mut w);
            w
        };
        assert_eq!(stem(Lang::French, "gouvernements"), "gouvern");
        assert_eq!(stem(Lang::Turkish, "bakanlığı"), "bakanlık");
        assert!(Stemmer::for_lang(Lang::Persian, ArabicStemmer::Light10).is_none());
    }
}
