//! Stop words from maintained lists (the `stop-words` crate), normalised like the text.

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
    /// words such as "world"). Every word goes through `normalizer` so that it matches
    /// normalised tokens.
    pub fn for_lang(lang: Lang, normalizer: &Normalizer) -> StopWords {
        let lists: &[&[&str]] = match lang {
            Lang::Arabic => &[stop_words::get("ar"), stop_words_iso::get("ar")],
            Lang::English => &[stop_words::get("en")],
            Lang::Undetermined => &[],
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
}
