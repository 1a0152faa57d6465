//! Stop words from maintained lists (the `stop-words` crate), normalised like the text.

use super::lang::StopList;
use super::{Lang, Normalizer};
use ahash::AHashSet;

/// A set of normalised stop words for one language.
#[derive(Debug, Clone, Default)]
pub struct StopWords {
    words: AHashSet<String>,
}

impl StopWords {
    /// The maintained lists for `lang`: for Arabic the union of NLTK's and stopwords-iso's
    /// (each misses common news function words the other has, such as تم, بشكل, خلال in
    /// NLTK's); for English NLTK's alone (the stopwords-iso English list also holds content
    /// words such as "world"); for other languages NLTK's list where it has one, else
    /// stopwords-iso's; none for `und`. Every word goes through `normalizer` so that it
    /// matches normalised tokens.
    pub fn for_lang(lang: Lang, normalizer: &Normalizer) -> StopWords {
        let lists: Vec<&[&str]> = match (lang, lang.stop_list()) {
            (Lang::Arabic, _) => vec![stop_words::get("ar"), stop_words_iso::get("ar")],
            (_, Some(StopList::Nltk)) => vec![stop_words::get(lang.code())],
            (_, Some(StopList::Iso)) => vec![stop_words_iso::get(lang.code())],
            (_, None) => vec![],
        };
        let mut words = AHashSet::new();
        let mut buf = String::new();
        for word in lists.iter().flat_map(|l| l.iter()) {
            normalizer.normalize_into(word, &mut buf);
            // A list entry that normalises to several words (e.g. with an apostrophe) is
            // entered word by word only when it is one word.
            if !buf.is_empty() && !buf.contains(' ') {
                words.insert(buf.clone());
            }
        }
        StopWords { words }
    }

    /// Whether `word` (normalised) is a stop word.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_normalised() {
        let n = Normalizer::default();
        let ar = StopWords::for_lang(Lang::Arabic, &n);
        assert!(ar.len() > 500, "{}", ar.len());
        for w in ["في", "الي", "التي", "هذه", "ان", "علي", "تم", "بشكل", "خلال"]
        {
            assert!(ar.contains(w), "{w}");
        }
        assert!(!ar.contains("ترامب"));
        let en = StopWords::for_lang(Lang::English, &n);
        assert!(en.contains("the") && en.contains("dont") && !en.contains("world"));
        assert!(StopWords::for_lang(Lang::Undetermined, &n).is_empty());
    }

    #[test]
    fn every_language_but_und_has_a_list() {
        let n = Normalizer::default();
        for &lang in Lang::ALL {
            let words = StopWords::for_lang(lang, &n);
            assert_eq!(words.is_empty(), lang == Lang::Undetermined, "{lang}");
        }
        let fr = StopWords::for_lang(Lang::French, &n);
        assert!(fr.contains("les") && fr.contains("dans") && !fr.contains("gouvernement"));
        let tr = StopWords::for_lang(Lang::Turkish, &n);
        assert!(tr.contains("ama") && tr.contains("gibi"));
        assert!(StopWords::for_lang(Lang::Persian, &n).len() > 100);
    }
}
