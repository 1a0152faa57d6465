//! Counts in words for the HTML page: numbers grouped (Arabic-Indic digits in the Arabic
//! interface, as `Intl.NumberFormat` writes them) and nouns that agree with them.

use super::UiLang;

/// The nouns the page counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Noun {
    Article,
    Story,
    Topic,
    Source,
}

impl Noun {
    pub(crate) fn parse(name: &str) -> Option<Noun> {
        Some(match name {
            "article" => Noun::Article,
            "story" => Noun::Story,
            "topic" => Noun::Topic,
            "source" => Noun::Source,
            _ => return None,
        })
    }

    /// Arabic forms: one (with «واحد»), dual, plural (3–10), accusative singular (11–99),
    /// genitive singular (100, 101, 102…: after hundreds and thousands).
    fn arabic(self) -> [&'static str; 5] {
        match self {
            Noun::Article => ["مقال واحد", "مقالان", "مقالات", "مقالًا", "مقال"],
            Noun::Story => ["قصة واحدة", "قصتان", "قصص", "قصةً", "قصة"],
            Noun::Topic => ["موضوع واحد", "موضوعان", "مواضيع", "موضوعًا", "موضوع"],
            Noun::Source => ["مصدر واحد", "مصدران", "مصادر", "مصدرًا", "مصدر"],
        }
    }

    fn english(self) -> (&'static str, &'static str) {
        match self {
            Noun::Article => ("article", "articles"),
            Noun::Story => ("story", "stories"),
            Noun::Topic => ("topic", "topics"),
            Noun::Source => ("source", "sources"),
        }
    }
}

/// Arabic plural category of `n`, as CLDR (and `Intl.PluralRules('ar')`) has it: 0 one
/// two few many other, as indices 0–4 into [`Noun::arabic`] (zero takes the `other` form).
fn arabic_category(n: u64) -> usize {
    match (n, n % 100) {
        (1, _) => 0,
        (2, _) => 1,
        (_, 3..=10) => 2,
        (_, 11..=99) => 3,
        _ => 4,
    }
}

/// `n` grouped in thousands: `31,030`, or `٣١٬٠٣٠` in Arabic.
pub(crate) fn number(n: u64, lang: UiLang) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(if lang == UiLang::Ar { '\u{66c}' } else { ',' });
        }
        match lang {
            UiLang::Ar => out.push(char::from_u32(0x660 + (c as u32 - '0' as u32)).unwrap_or(c)),
            _ => out.push(c),
        }
    }
    out
}

/// `n` with its noun in agreement: `1 article`, `104 articles`; `مقال واحد`, `مقالان`,
/// `٥ مقالات`, `١٠٤ مقالات`, `٣١ مقالًا`, `١٠٠ مقال`.
pub(crate) fn counted(n: u64, noun: Noun, lang: UiLang) -> String {
    if lang != UiLang::Ar {
        let (one, many) = noun.english();
        return format!("{} {}", number(n, lang), if n == 1 { one } else { many });
    }
    match arabic_category(n) {
        c @ (0 | 1) => noun.arabic()[c].to_string(),
        c => format!("{} {}", number(n, lang), noun.arabic()[c]),
    }
}

/// The noun alone as it follows the number `n` (a caption under a figure): in Arabic,
/// singular after 1 and 100…, dual after 2.
pub(crate) fn noun_after(n: u64, noun: Noun, lang: UiLang) -> &'static str {
    if lang != UiLang::Ar {
        let (one, many) = noun.english();
        return if n == 1 { one } else { many };
    }
    let forms = noun.arabic();
    match arabic_category(n) {
        0 => forms[4],
        c => forms[c],
    }
}

/// The noun after a number for each plural category `Intl.PluralRules` names, as JSON for
/// the page's script.
pub(crate) fn plural_forms(noun: Noun, lang: UiLang) -> String {
    let of = |n| noun_after(n, noun, lang);
    serde_json::json!({
        "zero": of(0), "one": of(1), "two": of(2), "few": of(3), "many": of(11), "other": of(100)
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_nouns_agree_with_their_numbers() {
        let ar = |n| counted(n, Noun::Article, UiLang::Ar);
        assert_eq!(ar(1), "مقال واحد");
        assert_eq!(ar(2), "مقالان");
        assert_eq!(ar(3), "٣ مقالات");
        assert_eq!(ar(10), "١٠ مقالات");
        assert_eq!(ar(11), "١١ مقالًا");
        assert_eq!(ar(99), "٩٩ مقالًا");
        assert_eq!(ar(100), "١٠٠ مقال");
        assert_eq!(ar(102), "١٠٢ مقال");
        assert_eq!(ar(104), "١٠٤ مقالات");
        assert_eq!(ar(0), "٠ مقال");
        assert_eq!(ar(31030), "٣١٬٠٣٠ مقالًا");
        assert_eq!(counted(4449, Noun::Story, UiLang::Ar), "٤٬٤٤٩ قصةً");
        assert_eq!(counted(4400, Noun::Story, UiLang::Ar), "٤٬٤٠٠ قصة");
        assert_eq!(counted(15, Noun::Topic, UiLang::Ar), "١٥ موضوعًا");
        assert_eq!(counted(2, Noun::Story, UiLang::Ar), "قصتان");
        assert_eq!(counted(12, Noun::Source, UiLang::Ar), "١٢ مصدرًا");
    }

    #[test]
    fn english_counts_are_grouped_and_plural_past_one() {
        assert_eq!(counted(1, Noun::Story, UiLang::En), "1 story");
        assert_eq!(counted(31030, Noun::Article, UiLang::En), "31,030 articles");
        assert_eq!(number(1_234_567, UiLang::En), "1,234,567");
        assert_eq!(number(999, UiLang::Ar), "٩٩٩");
    }

    #[test]
    fn forms_for_the_script_name_every_category() {
        let forms: serde_json::Value =
            serde_json::from_str(&plural_forms(Noun::Story, UiLang::Ar)).unwrap();
        assert_eq!(forms["few"], "قصص");
        assert_eq!(forms["many"], "قصةً");
        assert_eq!(forms["one"], "قصة");
    }
}
