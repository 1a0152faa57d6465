//! Synthetic corpora: syndicated variants of real articles, with the truth of which variant
//! came from which original. Tests use them for near-duplicate truth, benchmarks for scale.
//!
//! A variant is what a republishing site does to a wire story: a byline on top, site
//! furniture below, a paragraph dropped or two swapped, a few words changed, deleted or
//! misspelt, sometimes the end cut off. Every choice comes from a seeded generator keyed by
//! the original's id and the copy number, so the output depends only on the inputs and the
//! seed.

use crate::corpus::{Document, Timestamp};
use crate::progress::{NoObserver, PipelineObserver, Stage, StageClock};
use crate::text::Lang;
use serde::Serialize;

/// How variants are made.
#[derive(Debug, Clone, Copy, Serialize)]
#[non_exhaustive]
pub struct SynthOptions {
    /// Variants per original.
    pub copies: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// Fraction of words edited (replaced, deleted or misspelt) in a variant.
    pub edit_rate: f64,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            copies: 3,
            seed: 1,
            edit_rate: 0.03,
        }
    }
}

impl SynthOptions {
    /// The most variants per original: a corpus grows by this factor, and beyond it a run
    /// would fill the disk before it told anything a smaller one does not.
    pub const MAX_COPIES: usize = 10_000;

    /// Checks that the copies are at most [`SynthOptions::MAX_COPIES`] and the edit rate is
    /// a share.
    pub fn check(&self) -> crate::Result<()> {
        crate::error::ensure(self.copies <= Self::MAX_COPIES, "synth.copies", || {
            format!(
                "{} copies of each article is more than the limit of {}",
                self.copies,
                Self::MAX_COPIES
            )
        })?;
        crate::error::ensure_within("synth.edit_rate", self.edit_rate, 0.0, 1.0)
    }
}

/// One generated article and the original it came from.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SynthArticle {
    /// Its id: the original's id, or `<original>~<copy>`.
    pub id: String,
    /// Its title (the original's).
    pub title: Option<String>,
    /// Its text.
    pub text: String,
    /// The site that published it.
    pub source: String,
    /// Its date: the original's, moved by up to two days.
    pub date: Option<String>,
    /// The original's id: the gold family.
    #[serde(skip)]
    pub original: String,
}

/// A small, fast, seedable generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        crate::minhash::signature::splitmix64(self.0)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

const BYLINES_AR: [&str; 4] = [
    "كتب: محمد العلي",
    "الرياض - واس",
    "متابعات",
    "بقلم: سارة الحسن",
];
const BYLINES_EN: [&str; 4] = [
    "By staff reporter",
    "Wire report",
    "By Sam Lee",
    "From our correspondent",
];
const FURNITURE_AR: [&str; 4] = [
    "اقرأ أيضا",
    "تابعونا على تويتر",
    "جميع الحقوق محفوظة",
    "شارك هذا المقال",
];
const FURNITURE_EN: [&str; 4] = [
    "Read more",
    "Follow us on social media",
    "All rights reserved",
    "Share this article",
];
const FILLERS_AR: [&str; 4] = ["أيضا", "كذلك", "اليوم", "حاليا"];
const FILLERS_EN: [&str; 4] = ["also", "today", "now", "reportedly"];

/// Writes articles as JSON Lines (`id`, `title`, `text`, `source`, `date`).
pub fn write_synth_jsonl(
    out: &mut dyn std::io::Write,
    articles: &[SynthArticle],
) -> std::io::Result<()> {
    for a in articles {
        serde_json::to_writer(&mut *out, a)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The originals followed by their variants, in input order, once the options pass
/// [`SynthOptions::check`].
///
/// ```
/// use storyclust::corpus::Document;
/// use storyclust::synth::{synthesize, SynthOptions};
///
/// let originals = [Document::new("a1", "Heavy rain flooded the streets of Riyadh on Monday.")];
/// let articles = synthesize(&originals, &SynthOptions::default())?;
/// let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
/// assert_eq!(ids, ["a1", "a1~1", "a1~2", "a1~3"]);
/// assert!(articles.iter().all(|a| a.original == "a1"));
/// # Ok::<(), storyclust::Error>(())
/// ```
pub fn synthesize(
    documents: &[Document],
    options: &SynthOptions,
) -> crate::Result<Vec<SynthArticle>> {
    options.check()?;
    let mut out = Vec::new();
    // Pushing to a vector does not fail, and the options passed.
    let _ = synthesize_each(documents, options, |a| {
        out.push(a);
        Ok(())
    });
    Ok(out)
}

/// [`synthesize`] one article at a time, so that a corpus of any size can be streamed out.
/// Options that fail [`SynthOptions::check`] are refused with an I/O error of kind
/// `InvalidInput` that carries the [`crate::Error::InvalidOption`].
pub fn synthesize_each(
    documents: &[Document],
    options: &SynthOptions,
    each: impl FnMut(SynthArticle) -> std::io::Result<()>,
) -> std::io::Result<()> {
    synthesize_each_observed(documents, options, &NoObserver, each)
}

/// [`synthesize_each`], reporting [`Stage::Synth`] to `observer`: articles made and handed
/// to `each`, of the originals and their copies.
pub fn synthesize_each_observed(
    documents: &[Document],
    options: &SynthOptions,
    observer: &dyn PipelineObserver,
    mut each: impl FnMut(SynthArticle) -> std::io::Result<()>,
) -> std::io::Result<()> {
    options
        .check()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let total = documents.len() as u64 * (options.copies as u64 + 1);
    let clock = StageClock::start(observer, Stage::Synth, Some(total));
    let mut ids = synth_ids(documents, options.copies).into_iter();
    for doc in documents {
        for copy in 0..=options.copies {
            let mut article = if copy == 0 {
                SynthArticle {
                    id: String::new(),
                    title: doc.title.clone(),
                    text: doc.body.clone(),
                    source: doc.source.clone().unwrap_or_else(|| "origin".into()),
                    date: doc.date.map(|d| d.to_string()),
                    original: doc.id.clone(),
                }
            } else {
                variant(doc, copy, options)
            };
            article.id = ids.next().expect("one id per article").0;
            each(article)?;
            clock.advance(1);
        }
    }
    clock.finish();
    Ok(())
}

/// The id of every article [`synthesize`] makes, with its original's id, in its order:
/// `<original>~<copy>`, made unique (`#2`, `#3`… as the readers do) where that is the id of
/// another article, so that the gold file and the corpus name the same articles.
pub fn synth_ids(documents: &[Document], copies: usize) -> Vec<(String, &str)> {
    let mut used: ahash::AHashSet<String> = documents.iter().map(|d| d.id.clone()).collect();
    let mut ids = Vec::with_capacity(documents.len());
    for doc in documents {
        ids.push((doc.id.clone(), doc.id.as_str()));
        for copy in 1..=copies {
            let plain = format!("{}~{copy}", doc.id);
            let id = (1u64..)
                .map(|k| {
                    if k == 1 {
                        plain.clone()
                    } else {
                        format!("{plain}#{k}")
                    }
                })
                .find(|candidate| !used.contains(candidate))
                .expect("some suffix is free");
            used.insert(id.clone());
            ids.push((id, doc.id.as_str()));
        }
    }
    ids
}

fn variant(doc: &Document, copy: usize, options: &SynthOptions) -> SynthArticle {
    let key = xxhash_rust::xxh3::xxh3_64(doc.id.as_bytes())
        ^ options.seed.rotate_left(17)
        ^ (copy as u64).wrapping_mul(0x9E37_79B9);
    let mut rng = Rng(key);
    let arabic = Lang::detect(&doc.body) == Lang::Arabic;
    let (bylines, furniture, fillers) = if arabic {
        (BYLINES_AR, FURNITURE_AR, FILLERS_AR)
    } else {
        (BYLINES_EN, FURNITURE_EN, FILLERS_EN)
    };
    let mut paragraphs: Vec<String> = doc
        .body
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if paragraphs.len() >= 3 && rng.chance(0.3) {
        let i = rng.below(paragraphs.len());
        paragraphs.remove(i);
    }
    if paragraphs.len() >= 2 && rng.chance(0.3) {
        let i = rng.below(paragraphs.len() - 1);
        paragraphs.swap(i, i + 1);
    }
    if paragraphs.len() >= 4 && rng.chance(0.2) {
        let keep = paragraphs.len() * (6 + rng.below(4)) / 10;
        paragraphs.truncate(keep.max(2));
    }
    for p in &mut paragraphs {
        *p = edit_words(p, options.edit_rate, &fillers, &mut rng);
    }
    if rng.chance(0.7) {
        paragraphs.insert(0, bylines[rng.below(bylines.len())].to_string());
    }
    let furniture_lines = rng.below(3);
    for _ in 0..furniture_lines {
        paragraphs.push(furniture[rng.below(furniture.len())].to_string());
    }
    let date = doc.date.map(|d| {
        let moved = d.0 + rng.below(3) as i64 * 86_400 + rng.below(3600) as i64;
        Timestamp(moved.min(Timestamp::MAX.0)).to_string()
    });
    SynthArticle {
        id: String::new(), // given by `synthesize_each`
        title: doc.title.clone(),
        text: paragraphs.join("\n"),
        source: format!("site-{}", 1 + rng.below(20)),
        date,
        original: doc.id.clone(),
    }
}

/// Replaces, deletes, inserts or misspells about `rate` of the words of a paragraph.
fn edit_words(paragraph: &str, rate: f64, fillers: &[&str], rng: &mut Rng) -> String {
    let mut words: Vec<String> = Vec::new();
    for word in paragraph.split(' ') {
        if !rng.chance(rate) {
            words.push(word.to_string());
            continue;
        }
        match rng.below(4) {
            0 => {} // deleted
            1 => {
                words.push(word.to_string());
                words.push(fillers[rng.below(fillers.len())].to_string());
            }
            2 => words.push(fillers[rng.below(fillers.len())].to_string()),
            _ => {
                // A typo: two neighbouring letters swapped.
                let mut chars: Vec<char> = word.chars().collect();
                if chars.len() >= 2 {
                    let i = rng.below(chars.len() - 1);
                    chars.swap(i, i + 1);
                }
                words.push(chars.into_iter().collect());
            }
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, body: &str) -> Document {
        Document {
            title: Some("Title".into()),
            date: Timestamp::parse("2025-02-12"),
            ..Document::new(id, body)
        }
    }

    #[test]
    fn variants_are_deterministic_and_traceable() {
        let docs = vec![
            doc(
                "a",
                "First paragraph of the story.\nSecond paragraph here.\nThird one.\nFourth one.",
            ),
            doc("b", "فقرة أولى من الخبر.\nفقرة ثانية.\nفقرة ثالثة."),
        ];
        let options = SynthOptions {
            copies: 4,
            ..SynthOptions::default()
        };
        let one = synthesize(&docs, &options).unwrap();
        let two = synthesize(&docs, &options).unwrap();
        assert_eq!(one.len(), 10);
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(&two).unwrap()
        );
        assert!(one.iter().all(|v| v.id.starts_with(&v.original)));
        assert!(one
            .iter()
            .filter(|v| v.id != v.original)
            .all(|v| v.text != docs.iter().find(|d| d.id == v.original).unwrap().body));
        let other = synthesize(&docs, &SynthOptions { seed: 2, ..options }).unwrap();
        assert_ne!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(&other).unwrap()
        );
        for v in &one {
            let d = Timestamp::parse(v.date.as_deref().unwrap()).unwrap();
            assert!((0..3 * 86_400).contains(&(d.0 - Timestamp::parse("2025-02-12").unwrap().0)));
        }
    }

    #[test]
    fn check_accepts_the_defaults_and_names_the_field_that_cannot_work() {
        let field = |options: &SynthOptions| match options.check() {
            Err(crate::Error::InvalidOption { field, .. }) => Some(field),
            _ => None,
        };
        let d = SynthOptions::default();
        assert_eq!(field(&d), None);
        let most = SynthOptions {
            copies: SynthOptions::MAX_COPIES,
            ..d
        };
        assert_eq!(field(&most), None);
        let too_many = SynthOptions {
            copies: SynthOptions::MAX_COPIES + 1,
            ..d
        };
        assert_eq!(field(&too_many), Some("synth.copies"));
        for rate in [-0.1, 1.01, f64::NAN] {
            let bad = SynthOptions {
                edit_rate: rate,
                ..d
            };
            assert_eq!(field(&bad), Some("synth.edit_rate"), "{rate}");
        }
        // Every entry refuses them before making anything.
        let docs = [doc("a", "Some text.")];
        assert!(matches!(
            synthesize(&docs, &too_many),
            Err(crate::Error::InvalidOption { .. })
        ));
        let mut made = 0;
        let streamed = synthesize_each(&docs, &too_many, |_| {
            made += 1;
            Ok(())
        });
        assert_eq!(
            streamed.unwrap_err().kind(),
            std::io::ErrorKind::InvalidInput
        );
        assert_eq!(made, 0);
    }
}
