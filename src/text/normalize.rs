//! Character normalisation: NFKC, case folding, Arabic orthography, digits, punctuation.
//!
//! One pass over the characters writes the normalised text into a reused buffer, with words
//! separated by single spaces: everything that is not part of a word (punctuation, symbols,
//! white space) becomes a separator. Each rule can be switched off.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Which normalisation rules apply. All are on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct NormalizeOptions {
    /// Unicode NFKC (presentation forms, ligatures, full-width letters → plain letters).
    pub nfkc: bool,
    /// Lowercase every letter.
    pub case_fold: bool,
    /// Arabic: strip harakat and tatweel; unify alef, yeh, teh marbuta, hamza carriers, and
    /// the Persian kaf and yeh.
    pub arabic: bool,
    /// Arabic-Indic and Persian digits → ASCII digits.
    pub digits: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            nfkc: true,
            case_fold: true,
            arabic: true,
            digits: true,
        }
    }
}

impl NormalizeOptions {
    /// Checks the rules. Each one is a switch that works on or off, with or without the
    /// others, so every combination passes; it is here so that every options type answers
    /// `check` and [`super::AnalysisOptions::check`] asks each of its parts.
    pub fn check(&self) -> crate::Result<()> {
        Ok(())
    }
}

/// The character normaliser.
#[derive(Debug, Clone, Copy, Default)]
pub struct Normalizer {
    options: NormalizeOptions,
}

/// What one input character becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mapped {
    /// Part of a word; may need case folding.
    Letter(char),
    /// Part of a word, without case (Arabic letters, digits): written as is.
    Caseless(char),
    /// A combining mark: part of the word it follows; alone, it makes no word (a term of
    /// marks only would print as nothing).
    Mark(char),
    /// A word of its own (CJK ideographs, which are written without spaces).
    Standalone(char),
    /// Dropped without breaking the word (diacritics, tatweel, joiners, bidi marks).
    Drop,
    /// An apostrophe: joins letters on both sides (`don't` → `dont`), else separates.
    Apostrophe,
    /// Ends the word.
    Separator,
}

/// Byte range in the input that a token came from.
pub type Span = (u32, u32);

impl Normalizer {
    /// A normaliser with the given rules.
    pub fn new(options: NormalizeOptions) -> Normalizer {
        Normalizer { options }
    }

    /// The rules in force.
    pub fn options(&self) -> NormalizeOptions {
        self.options
    }

    /// Normalises `text` into `out` (cleared first): words separated by single spaces, no
    /// leading or trailing space.
    pub fn normalize_into(&self, text: &str, out: &mut String) {
        let mut spans = Vec::new();
        self.normalize_with_spans(text, out, &mut spans);
    }

    /// Normalises into a new string.
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::new();
        self.normalize_into(text, &mut out);
        out
    }

    /// Like [`Normalizer::normalize_into`], and appends to `spans` the byte range of `text`
    /// that each word of `out` came from (one span per word, in order). Where NFKC changes a
    /// word, its tokens get the span of the whole white-space-separated word.
    pub fn normalize_with_spans(&self, text: &str, out: &mut String, spans: &mut Vec<Span>) {
        out.clear();
        out.reserve(text.len());
        let mut e = Emitter {
            out,
            spans,
            case_fold: self.options.case_fold,
            in_word: false,
            pending_apostrophe: false,
            start: 0,
            end: 0,
        };
        if !self.options.nfkc || nfkc_has_no_effect(text) {
            let table = &ARABIC_OUTPUT
                [usize::from(self.options.arabic) * 2 + usize::from(self.options.digits)];
            let bytes = text.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                let b = bytes[i];
                if (0xD8..=0xDB).contains(&b) && i + 1 < bytes.len() {
                    // U+0600–U+06FF: decoded and mapped by table, the commonest case in Arabic.
                    let index = (usize::from(b & 0x03) << 6) | usize::from(bytes[i + 1] & 0x3F);
                    let mapped = match table[index] {
                        DROP => Mapped::Drop,
                        SEPARATOR => Mapped::Separator,
                        c => Mapped::Caseless(char::from_u32(c).unwrap_or(' ')),
                    };
                    e.feed(mapped, i, i + 2);
                    i += 2;
                } else {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    e.feed(self.map(c), i, i + c.len_utf8());
                    i += c.len_utf8();
                }
            }
        } else {
            // Slow path, word by word, so that tokens keep a span.
            let mut offset = 0;
            for piece in text.split_inclusive(char::is_whitespace) {
                let start = offset;
                offset += piece.len();
                if is_nfkc_quick(piece.chars()) == IsNormalized::Yes {
                    for (i, c) in piece.char_indices() {
                        e.feed(self.map(c), start + i, start + i + c.len_utf8());
                    }
                } else {
                    let word = piece.trim_end();
                    for c in word.nfkc() {
                        e.feed(self.map(c), start, start + word.len());
                    }
                    e.feed(Mapped::Separator, offset, offset);
                }
            }
        }
        e.finish();
    }

    #[inline(always)]
    fn map(&self, c: char) -> Mapped {
        if c.is_ascii() {
            return match c {
                'a'..='z' | '0'..='9' => Mapped::Caseless(c),
                'A'..='Z' => Mapped::Letter(c),
                '\'' => Mapped::Apostrophe,
                _ => Mapped::Separator,
            };
        }
        let o = self.options;
        if let Some(mapped) = arabic_orthography(c).filter(|_| o.arabic) {
            return mapped;
        }
        if let Some(mapped) = digit(c).filter(|_| o.digits) {
            return mapped;
        }
        if ('\u{0600}'..='\u{06FF}').contains(&c) {
            // Letters of the Arabic block have no case; the std lookups are slow for them.
            return match ARABIC_BLOCK[(c as usize) - 0x0600] {
                ArabicClass::Letter | ArabicClass::Mark => Mapped::Caseless(c),
                ArabicClass::Separator => Mapped::Separator,
            };
        }
        match c {
            '\u{2019}' | '\u{02BC}' => Mapped::Apostrophe,
            // Zero-width joiners, bidi controls, soft hyphen, BOM: invisible, inside words.
            '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            // Variation selectors choose a glyph (emoji or text style), nothing more.
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}' => Mapped::Drop,
            '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2FFFF}'
            | '\u{3040}'..='\u{30FF}' => Mapped::Standalone(c),
            _ if c.is_alphanumeric() => Mapped::Letter(c),
            _ if is_combining_mark(c) => Mapped::Mark(c),
            _ => Mapped::Separator,
        }
    }
}

/// The Arabic orthography rule: harakat, tatweel and other marks dropped; alef, yeh, teh
/// marbuta, hamza carriers and the Persian kaf and yeh unified (`None`: not one of them).
#[inline]
fn arabic_orthography(c: char) -> Option<Mapped> {
    match c {
        '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' => Some(Mapped::Drop),
        // Quranic annotation marks and other Arabic combining marks.
        '\u{0610}'..='\u{061A}'
        | '\u{0653}'..='\u{065F}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'
        | '\u{06E8}'
        | '\u{06EA}'..='\u{06ED}' => Some(Mapped::Drop),
        'أ' | 'إ' | 'آ' | 'ٱ' => Some(Mapped::Caseless('ا')),
        'ى' | 'ئ' | 'ی' => Some(Mapped::Caseless('ي')),
        'ة' | 'ۀ' => Some(Mapped::Caseless('ه')),
        'ؤ' => Some(Mapped::Caseless('و')),
        'ک' => Some(Mapped::Caseless('ك')),
        _ => None,
    }
}

/// The digits rule: Arabic-Indic and Persian digits as ASCII ones (`None`: not one).
#[inline]
fn digit(c: char) -> Option<Mapped> {
    match c {
        '\u{0660}'..='\u{0669}' => Some(Mapped::Caseless(char::from(
            b'0' + (c as u32 - 0x0660) as u8,
        ))),
        '\u{06F0}'..='\u{06F9}' => Some(Mapped::Caseless(char::from(
            b'0' + (c as u32 - 0x06F0) as u8,
        ))),
        _ => None,
    }
}

/// Whether NFKC would change nothing in the normaliser's output for `text`: true for text
/// made only of ASCII, the Arabic block (except U+0675–U+0678, which have compatibility
/// decompositions), `«`, `»`, no-break space and General Punctuation (U+2000–U+206F, but
/// U+2017 and U+203E).
/// Arabic sequences that NFKC would compose (alef + hamza above → أ) end the same either
/// way, because the marks are dropped and the composed letters are unified with their base
/// letters; the punctuation is a separator before and after NFKC.
fn nfkc_has_no_effect(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        match b {
            0xD8..=0xDB if !(b == 0xD9 && (0xB5..=0xB8).contains(&next)) => i += 2,
            0xC2 if matches!(next, 0xA0 | 0xAB | 0xBB) => i += 2,
            // U+2000–U+203F is E2 80 xx, U+2040–U+206F is E2 81 80–AF.
            0xE2 => {
                let third = bytes.get(i + 2).copied().unwrap_or(0xFF);
                // U+2017 and U+203E decompose to a space and a combining mark.
                let ok = (next == 0x80 && third != 0x97 && third != 0xBE)
                    || (next == 0x81 && third <= 0xAF);
                if !ok {
                    return false;
                }
                i += 3
            }
            _ => return false,
        }
    }
    true
}

/// Writes words and their spans.
struct Emitter<'a> {
    out: &'a mut String,
    spans: &'a mut Vec<Span>,
    case_fold: bool,
    /// The last thing written is a word character.
    in_word: bool,
    pending_apostrophe: bool,
    /// Span of the current word.
    start: usize,
    end: usize,
}

impl Emitter<'_> {
    #[inline(always)]
    fn feed(&mut self, mapped: Mapped, start: usize, end: usize) {
        match mapped {
            Mapped::Caseless(l) => {
                self.begin_letter(start, end);
                self.out.push(l);
            }
            Mapped::Letter(l) => {
                self.begin_letter(start, end);
                if !self.case_fold {
                    self.out.push(l);
                } else if l.is_ascii() {
                    self.out.push(l.to_ascii_lowercase());
                } else if l.is_uppercase() {
                    self.out.extend(l.to_lowercase());
                } else {
                    self.out.push(l);
                }
            }
            Mapped::Standalone(l) => {
                self.end_word();
                if !self.out.is_empty() && !self.out.ends_with(' ') {
                    self.out.push(' ');
                }
                self.out.push(l);
                self.spans.push((start as u32, end as u32));
                self.out.push(' ');
            }
            Mapped::Mark(m) if self.in_word => {
                self.end = end;
                self.out.push(m);
            }
            Mapped::Mark(_) => {}
            Mapped::Drop => {
                if self.in_word {
                    self.end = end;
                }
            }
            Mapped::Apostrophe => {
                if self.in_word && !self.pending_apostrophe {
                    self.pending_apostrophe = true;
                } else {
                    self.end_word();
                }
            }
            Mapped::Separator => self.end_word(),
        }
    }

    #[inline]
    fn begin_letter(&mut self, start: usize, end: usize) {
        if self.pending_apostrophe {
            self.pending_apostrophe = false;
        }
        if !self.in_word {
            if !self.out.is_empty() && !self.out.ends_with(' ') {
                self.out.push(' ');
            }
            self.in_word = true;
            self.start = start;
        }
        self.end = end;
    }

    #[inline]
    fn end_word(&mut self) {
        self.pending_apostrophe = false;
        if self.in_word {
            self.in_word = false;
            self.spans.push((self.start as u32, self.end as u32));
        }
    }

    fn finish(mut self) {
        self.end_word();
        if self.out.ends_with(' ') {
            self.out.pop();
        }
    }
}

const DROP: u32 = 0;
const SEPARATOR: u32 = 1;

/// What each character of U+0600–U+06FF becomes, for each combination of the `arabic` and
/// `digits` rules (index `arabic * 2 + digits`): `DROP`, `SEPARATOR`, or the output letter.
static ARABIC_OUTPUT: [[u32; 256]; 4] = [
    arabic_output(false, false),
    arabic_output(false, true),
    arabic_output(true, false),
    arabic_output(true, true),
];

const fn arabic_output(arabic: bool, digits: bool) -> [u32; 256] {
    let mut table = [SEPARATOR; 256];
    let mut i = 0;
    while i < 256 {
        let c = 0x0600 + i as u32;
        table[i] = match ARABIC_BLOCK[i] {
            ArabicClass::Separator => SEPARATOR,
            ArabicClass::Letter | ArabicClass::Mark => c,
        };
        if arabic {
            table[i] = match c {
                0x064B..=0x0652
                | 0x0670
                | 0x0640
                | 0x0610..=0x061A
                | 0x0653..=0x065F
                | 0x06D6..=0x06DC
                | 0x06DF..=0x06E4
                | 0x06E7
                | 0x06E8
                | 0x06EA..=0x06ED => DROP,
                0x0623 | 0x0625 | 0x0622 | 0x0671 => 0x0627,
                0x0649 | 0x0626 | 0x06CC => 0x064A,
                0x0629 | 0x06C0 => 0x0647,
                0x0624 => 0x0648,
                0x06A9 => 0x0643,
                _ => table[i],
            };
        }
        if digits {
            table[i] = match c {
                0x0660..=0x0669 => '0' as u32 + (c - 0x0660),
                0x06F0..=0x06F9 => '0' as u32 + (c - 0x06F0),
                _ => table[i],
            };
        }
        i += 1;
    }
    table
}

#[derive(Clone, Copy)]
enum ArabicClass {
    Letter,
    Mark,
    Separator,
}

/// Classes of U+0600–U+06FF (after the Arabic and digit rules, which run first).
const ARABIC_BLOCK: [ArabicClass; 256] = {
    let mut table = [ArabicClass::Letter; 256];
    let mut i = 0;
    while i < 256 {
        let c = 0x0600 + i as u32;
        table[i] = match c {
            // Number signs, footnote markers, currency, punctuation: ، ؛ ؟ ٪ ٫ ٬ ٭ ۔ ۞ ۩ …
            0x0600..=0x060F
            | 0x061B..=0x061F
            | 0x066A..=0x066D
            | 0x06D4
            | 0x06DD
            | 0x06DE
            | 0x06E9
            | 0x06FD
            | 0x06FE => ArabicClass::Separator,
            0x0610..=0x061A
            | 0x064B..=0x065F
            | 0x0670
            | 0x06D6..=0x06DC
            | 0x06DF..=0x06E4
            | 0x06E7
            | 0x06E8
            | 0x06EA..=0x06ED => ArabicClass::Mark,
            _ => ArabicClass::Letter,
        };
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> String {
        Normalizer::default().normalize(text)
    }

    #[test]
    fn strips_harakat_superscript_alef_and_tatweel() {
        assert_eq!(n("مُحَمَّدٌ"), "محمد");
        assert_eq!(n("هٰذا"), "هذا");
        assert_eq!(n("جمـــيل"), "جميل");
        for mark in '\u{064B}'..='\u{0652}' {
            assert_eq!(n(&format!("ب{mark}ت")), "بت", "U+{:04X}", mark as u32);
        }
    }

    #[test]
    fn unifies_arabic_letter_variants() {
        assert_eq!(n("أحمد إلى آمن ٱلله"), "احمد الي امن الله");
        assert_eq!(n("مصطفى"), "مصطفي");
        assert_eq!(n("مدرسة"), "مدرسه");
        assert_eq!(n("مؤتمر"), "موتمر");
        assert_eq!(n("رئيس"), "رييس");
        assert_eq!(n("کتاب فارسی"), "كتاب فارسي");
    }

    #[test]
    fn maps_arabic_indic_and_persian_digits() {
        assert_eq!(n("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(n("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(n("عام ٢٠٢٥"), "عام 2025");
    }

    #[test]
    fn removes_punctuation_including_arabic_and_quotes() {
        assert_eq!(n("ترامب، بوتين؛ لماذا؟"), "ترامب بوتين لماذا");
        assert_eq!(n("«سرية» “سرية” \"سرية\""), "سريه سريه سريه");
        assert_eq!(n("وول ستريت.. هل تغير العالم؟"), "وول ستريت هل تغير العالم");
        assert_eq!(n("  a -- b\t\nc  "), "a b c");
        assert_eq!(n("روسيا-الأمريكي"), "روسيا الامريكي");
    }

    #[test]
    fn folds_case_and_applies_nfkc() {
        assert_eq!(n("The WALL Street"), "the wall street");
        assert_eq!(n("ÉCOLE Straße"), "école straße");
        assert_eq!(n("ﬁne Ｆｕｌｌ"), "fine full");
        // Arabic presentation forms (as in PDFs) become ordinary letters.
        assert_eq!(n("\u{FEB3}\u{FEE0}\u{FE8E}\u{FEE1}"), "سلام");
    }

    #[test]
    fn apostrophes_join_words_only_between_letters() {
        assert_eq!(n("don't can’t"), "dont cant");
        assert_eq!(n("'quoted' rock'n'roll"), "quoted rocknroll");
        assert_eq!(n("a '' b"), "a b");
    }

    #[test]
    fn marks_and_variation_selectors_alone_make_no_word() {
        // A heart with its emoji selector, a lone acute accent, a mark after a space.
        assert_eq!(
            n("love \u{2764}\u{FE0F} \u{301} cafe\u{301} \u{20DD}x"),
            "love café x"
        );
        assert_eq!(n("\u{FE0F}\u{E0100}"), "");
    }

    #[test]
    fn drops_invisible_characters_inside_words() {
        assert_eq!(n("ترا\u{200C}مب \u{200F}بوتين\u{FEFF}"), "ترامب بوتين");
    }

    #[test]
    fn ideographs_are_words_of_their_own() {
        assert_eq!(n("東京abc"), "東 京 abc");
    }

    #[test]
    fn rules_can_be_switched_off() {
        let keep = Normalizer::new(NormalizeOptions {
            nfkc: false,
            case_fold: false,
            arabic: false,
            digits: false,
        });
        assert_eq!(keep.normalize("Aأة٢"), "Aأة٢");
    }

    #[test]
    fn arabic_block_table_agrees_with_unicode_properties() {
        let n = Normalizer::new(NormalizeOptions {
            arabic: false,
            digits: false,
            ..NormalizeOptions::default()
        });
        for c in '\u{0600}'..='\u{06FF}' {
            let word = c.is_alphanumeric() || is_combining_mark(c);
            let mapped = n.map(c);
            let expected = if !word {
                Mapped::Separator
            } else if c.is_lowercase() || c.is_uppercase() {
                Mapped::Letter(c)
            } else {
                Mapped::Caseless(c)
            };
            assert_eq!(mapped, expected, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_arabic_table_agrees_with_the_character_rules() {
        for (arabic, digits) in [(false, false), (false, true), (true, false), (true, true)] {
            let n = Normalizer::new(NormalizeOptions {
                arabic,
                digits,
                ..NormalizeOptions::default()
            });
            let table = &ARABIC_OUTPUT[usize::from(arabic) * 2 + usize::from(digits)];
            for c in '\u{0600}'..='\u{06FF}' {
                let expected = match n.map(c) {
                    Mapped::Drop => DROP,
                    Mapped::Separator => SEPARATOR,
                    Mapped::Caseless(l) | Mapped::Letter(l) => l as u32,
                    other => panic!("{other:?}"),
                };
                assert_eq!(table[c as usize - 0x600], expected, "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn spans_point_at_the_raw_words() {
        let text = "«أهلاً» بالعالم، don't ﬁne 東京";
        let mut out = String::new();
        let mut spans = Vec::new();
        Normalizer::default().normalize_with_spans(text, &mut out, &mut spans);
        let raw: Vec<&str> = spans
            .iter()
            .map(|&(a, b)| &text[a as usize..b as usize])
            .collect();
        assert_eq!(out, "اهلا بالعالم dont fine 東 京");
        assert_eq!(raw, ["أهلاً", "بالعالم", "don't", "ﬁne", "東", "京"]);
    }

    #[test]
    fn the_fast_path_equals_nfkc() {
        let n = Normalizer::default();
        let texts = [
            "ا\u{0654}حمد و\u{0654} ي\u{0654}ن ه\u{0654}",
            "مُحَمَّدٌ ذَهَبَ إلى المدرسة ٢٠٢٥",
            "plain ASCII, with 'quotes'",
        ];
        for text in texts {
            assert!(nfkc_has_no_effect(text));
            let composed: String = text.nfkc().collect();
            assert_eq!(n.normalize(text), n.normalize(&composed), "{text}");
        }
        assert!(nfkc_has_no_effect("«قال» “نعم” … \u{00A0}\u{2009}"));
        let fast = ('\u{2000}'..='\u{206F}').chain(['\u{00A0}', '«', '»']);
        for c in fast.filter(|&c| nfkc_has_no_effect(&c.to_string())) {
            let composed: String = c.to_string().nfkc().collect();
            let text = format!("ab{c}cd");
            let nfkc = format!("ab{composed}cd");
            assert_eq!(n.normalize(&text), n.normalize(&nfkc), "U+{:04X}", c as u32);
        }
        assert!(!nfkc_has_no_effect("\u{2017}") && !nfkc_has_no_effect("\u{203E}"));
        assert!(!nfkc_has_no_effect("\u{0675}"));
        assert!(!nfkc_has_no_effect("\u{00AA}"));
        assert!(!nfkc_has_no_effect("café"));
    }

    #[test]
    fn output_has_single_spaces_and_no_edges() {
        for text in ["", " ", "!!", "a", "،a،", "a   b"] {
            let out = n(text);
            assert!(
                !out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "),
                "{text:?} → {out:?}"
            );
        }
    }
}
