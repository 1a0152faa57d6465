//! What an editor sees in story summaries, measured on a `cluster --format json` output and
//! the corpus it came from (issue 12, part 3): label terms that repeat a word or a stem,
//! label terms with punctuation inside, label terms with a glued conjunction or preposition
//! whose bare form the corpus writes, key sentences that are tag lines, keyword lists,
//! repeated across stories or taken twice from one article, sentences cut after an
//! abbreviation, and raw HTML entities anywhere in the output; and topic labels that name
//! what the topic's stories share (terms written in two of its stories or more).
//!
//! ```text
//! storyclust cluster ../shared/data/saudinewsnet.jsonl.gz --format json -o out.json
//! cargo run --release --example label_quality -- out.json ../shared/data/saudinewsnet.jsonl.gz
//! ```
//!
//! The measures are written independently of the library's rules (only its normaliser,
//! stop-word lists and stemmer are used, to say what "the same stem" means).

use ahash::{AHashMap, AHashSet};
use serde_json::Value;
use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::text::{Analyzer, ArabicStemmer, Lang, Normalizer, Scratch, StopWords};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(output), Some(corpus)) = (args.next(), args.next()) else {
        eprintln!("usage: label_quality OUT.json CORPUS");
        std::process::exit(2);
    };
    let json: Value = serde_json::from_reader(std::io::BufReader::new(
        std::fs::File::open(&output).expect("the output file"),
    ))
    .expect("a cluster --format json output");
    let corpus = read_corpus(&[corpus], &ReadOptions::default()).expect("the corpus");
    let stories = json["stories"].as_array().expect("stories[]");
    let mut texts: AHashMap<&str, String> = AHashMap::new();
    for d in &corpus.documents {
        let title = d.title.as_deref().unwrap_or("");
        texts.insert(&d.id, format!("{title}\n{}", d.body));
    }

    let entities = count_entities(&json);
    println!("raw HTML entities in the output: {}", entities.0);
    for (e, n) in entities.1.iter().take(5) {
        println!("    {n} × {e}");
    }
    labels(stories, &corpus.documents);
    sentences(stories, &texts);
    topic_labels(&json, &texts);
}

/// Topics of two stories or more: how many label terms are written (normalised, as whole
/// words) in at least two of the topic's stories, in their articles and in their
/// headlines, over all such topics and over those of ten stories or more; and topic labels
/// with two terms sharing a word, or a term with punctuation inside.
fn topic_labels(json: &Value, texts: &AHashMap<&str, String>) {
    let normalizer = Normalizer::default();
    let words = |text: &str| {
        let n = normalizer.normalize(text);
        let w: Vec<&str> = n
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        format!(" {} ", w.join(" "))
    };
    let stories: AHashMap<u64, &Value> = json["stories"]
        .as_array()
        .expect("stories[]")
        .iter()
        .map(|s| (s["id"].as_u64().expect("story id"), s))
        .collect();
    // (in articles, in headlines, terms) for all topics and for topics of ≥ 10 stories.
    let (mut all, mut large) = ([0usize; 3], [0usize; 3]);
    let (mut sharing, mut punctuated) = (0, 0);
    for topic in json["topics"].as_array().expect("topics[]") {
        let ids = topic["stories"].as_array().expect("story ids");
        if ids.len() < 2 {
            continue;
        }
        let (mut bodies, mut heads) = (Vec::new(), Vec::new());
        for id in ids {
            let members = stories[&id.as_u64().expect("story id")]["members"]
                .as_array()
                .expect("members[]");
            let member_ids = members.iter().filter_map(|m| m["id"].as_str());
            bodies.push(words(
                &member_ids
                    .filter_map(|m| texts.get(m).map(String::as_str))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ));
            heads.push(words(
                &members
                    .iter()
                    .filter_map(|m| m["headline"].as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ));
        }
        let label = strings(&topic["label"]);
        let term_words: Vec<Vec<String>> = label
            .iter()
            .map(|t| words(t).split_whitespace().map(String::from).collect())
            .collect();
        sharing += usize::from((0..label.len()).any(|a| {
            (a + 1..label.len()).any(|b| term_words[a].iter().any(|w| term_words[b].contains(w)))
        }));
        punctuated += label
            .iter()
            .filter(|t| t.chars().any(is_punctuation))
            .count();
        for term in &label {
            let term = words(term);
            let in_two = |texts: &[String]| {
                usize::from(texts.iter().filter(|t| t.contains(&term)).count() >= 2)
            };
            let found = [in_two(&bodies), in_two(&heads), 1];
            for (k, n) in found.iter().enumerate() {
                all[k] += n;
                if ids.len() >= 10 {
                    large[k] += n;
                }
            }
        }
    }
    let share = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    for (name, c) in [("of ≥ 2 stories", all), ("of ≥ 10 stories", large)] {
        println!(
            "topic label terms (topics {name}: {}) written in ≥ 2 of its stories: {:.1} %; in the headlines of ≥ 2: {:.1} %",
            c[2], share(c[0], c[2]), share(c[1], c[2])
        );
    }
    println!("topic labels with two terms sharing a word: {sharing}; topic label terms with punctuation inside: {punctuated}");
}

/// `&name;`, `&#123;` and `&#x1F;` in every string of the output.
fn count_entities(json: &Value) -> (usize, Vec<(String, usize)>) {
    fn walk(v: &Value, found: &mut AHashMap<String, usize>) {
        match v {
            Value::String(s) => {
                for (i, _) in s.match_indices('&') {
                    let rest = &s[i + 1..];
                    let Some(end) = rest.find(';').filter(|&e| e > 0 && e <= 32) else {
                        continue;
                    };
                    let name = &rest[..end];
                    let numeric = name.strip_prefix('#').is_some_and(|n| {
                        n.chars().all(|c| c.is_ascii_digit())
                            || n.strip_prefix(['x', 'X'])
                                .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
                    });
                    if numeric || name.chars().all(|c| c.is_ascii_alphanumeric()) {
                        *found.entry(format!("&{name};")).or_insert(0) += 1;
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, found)),
            Value::Object(o) => o.values().for_each(|x| walk(x, found)),
            _ => {}
        }
    }
    let mut found = AHashMap::new();
    walk(json, &mut found);
    let mut list: Vec<(String, usize)> = found.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    (list.iter().map(|e| e.1).sum(), list)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn lang_of(story: &Value) -> Lang {
    match story["lang"].as_str() {
        Some("ar") => Lang::Arabic,
        Some("en") => Lang::English,
        _ => Lang::Undetermined,
    }
}

/// Conjunctions and prepositions written joined to the next word, longest first.
const PROCLITICS: [&str; 13] = [
    "وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك", "لل", "ولل",
];

/// The first word of `term` without a glued proclitic, for each way of reading one off
/// (ل before ال drops the alef: للمملكة is ل + المملكة).
fn bare_forms(term: &str) -> Vec<String> {
    let (first, rest) = term.split_once(' ').unwrap_or((term, ""));
    let mut out = Vec::new();
    for p in PROCLITICS {
        if let Some(stem) = first.strip_prefix(p) {
            let mut candidates = vec![stem.to_string()];
            if p.ends_with('ل') && stem.starts_with('ل') {
                candidates.push(format!("ا{stem}"));
            }
            for c in candidates {
                if c.chars().count() >= 3 {
                    out.push(if rest.is_empty() {
                        c
                    } else {
                        format!("{c} {rest}")
                    });
                }
            }
        }
    }
    out
}

fn is_punctuation(c: char) -> bool {
    !c.is_alphanumeric()
        && !c.is_whitespace()
        && !matches!(
            c,
            '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' | '\u{200C}' | '\u{200D}'
        )
}

fn labels(stories: &[Value], documents: &[storyclust::corpus::Document]) {
    let normalizer = Normalizer::default();
    let stemmers: Vec<(Lang, Analyzer)> = [Lang::Arabic, Lang::English, Lang::Undetermined]
        .into_iter()
        .map(|l| (l, Analyzer::terms(normalizer, l, ArabicStemmer::default())))
        .collect();
    let mut scratch = Scratch::default();
    let (mut multi, mut sharing_word, mut sharing_stem, mut terms) = (0, 0, 0, 0);
    let mut punctuated: Vec<String> = Vec::new();
    let mut glued: Vec<(String, String)> = Vec::new();
    let mut examples_word = Vec::new();
    let mut bare_wanted: AHashMap<String, Vec<String>> = AHashMap::new();
    let (mut long_terms, mut in_headline) = (0usize, 0usize);
    for story in stories {
        let label = strings(&story["label"]);
        terms += label.len();
        // The words of its members' headlines, normalised as the terms' words are.
        let headline_words: AHashSet<String> = story["members"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["headline"].as_str())
            .flat_map(|h| {
                normalizer
                    .normalize(h)
                    .split(' ')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        for t in &label {
            long_terms += usize::from(t.split_whitespace().count() > 2);
            in_headline += usize::from(
                normalizer
                    .normalize(t)
                    .split(' ')
                    .all(|w| headline_words.contains(w)),
            );
            if t.chars().any(is_punctuation) {
                punctuated.push(t.clone());
            }
            for b in bare_forms(t) {
                bare_wanted.entry(b).or_default().push(t.clone());
            }
        }
        if label.len() < 2 {
            continue;
        }
        multi += 1;
        let analyzer = &stemmers
            .iter()
            .find(|(l, _)| *l == lang_of(story))
            .expect("every language")
            .1;
        let words: Vec<AHashSet<String>> = label
            .iter()
            .map(|t| {
                normalizer
                    .normalize(t)
                    .split(' ')
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        let stems: Vec<AHashSet<String>> = label
            .iter()
            .map(|t| {
                let mut s = AHashSet::new();
                analyzer.for_each_token(t, &mut scratch, |w| {
                    s.insert(w.to_string());
                });
                s
            })
            .collect();
        let overlap = |sets: &[AHashSet<String>]| {
            (0..sets.len()).any(|i| (i + 1..sets.len()).any(|j| !sets[i].is_disjoint(&sets[j])))
        };
        if overlap(&words) {
            sharing_word += 1;
            if examples_word.len() < 5 {
                examples_word.push(label.join(" · "));
            }
        }
        sharing_stem += usize::from(overlap(&stems));
    }
    // Which bare forms the corpus writes, as a phrase of whole words.
    let longest = bare_wanted
        .keys()
        .map(|b| b.split(' ').count())
        .max()
        .unwrap_or(1);
    let firsts: AHashSet<&str> = bare_wanted
        .keys()
        .map(|b| b.split(' ').next().unwrap_or(""))
        .collect();
    let mut found: AHashSet<String> = AHashSet::new();
    for d in documents {
        for text in [d.title.as_deref().unwrap_or(""), &d.body] {
            let words: Vec<String> = text
                .split(|c: char| {
                    !c.is_alphanumeric() && !matches!(c, '\u{064B}'..='\u{0652}' | '\u{0640}')
                })
                .filter(|w| !w.is_empty())
                .map(storyclust::text::display_form)
                .collect();
            for i in 0..words.len() {
                if !firsts.contains(words[i].as_str()) {
                    continue;
                }
                let mut phrase = String::new();
                for word in words.iter().skip(i).take(longest) {
                    if !phrase.is_empty() {
                        phrase.push(' ');
                    }
                    phrase.push_str(word);
                    if bare_wanted.contains_key(&phrase) {
                        found.insert(phrase.clone());
                    }
                }
            }
        }
    }
    let mut glued_terms: AHashSet<String> = AHashSet::new();
    let mut sorted: Vec<(&String, &Vec<String>)> = bare_wanted.iter().collect();
    sorted.sort();
    for (bare, terms) in sorted {
        if found.contains(bare) {
            for t in terms {
                if glued_terms.insert(t.clone()) {
                    glued.push((t.clone(), bare.clone()));
                }
            }
        }
    }
    // Unambiguous: what is read off leaves the article ال (والبحوث, بالرياض, للمملكة).
    let article: AHashSet<&String> = glued
        .iter()
        .filter(|(_, b)| {
            b.starts_with("ال") && b.split(' ').next().is_some_and(|w| w.chars().count() >= 4)
        })
        .map(|(t, _)| t)
        .collect();
    let all_terms: Vec<String> = stories.iter().flat_map(|s| strings(&s["label"])).collect();
    let glued_count = all_terms
        .iter()
        .filter(|t| glued_terms.contains(*t))
        .count();
    let article_count = all_terms.iter().filter(|t| article.contains(t)).count();
    let pct = |n: usize| 100.0 * n as f64 / multi.max(1) as f64;
    println!(
        "stories with ≥ 2 label terms: {multi}; two terms sharing a word: {sharing_word} ({:.1} %), a stem: {sharing_stem} ({:.1} %)",
        pct(sharing_word),
        pct(sharing_stem)
    );
    for e in &examples_word {
        println!("    {e}");
    }
    let joined = |t: &&String| {
        t.split_whitespace()
            .all(|w| !w.contains(|c: char| is_punctuation(c) && !matches!(c, '-' | '\'')))
    };
    println!(
        "label terms: {terms}; with punctuation inside: {} (only a hyphen or apostrophe inside a word: {})",
        punctuated.len(),
        punctuated.iter().filter(joined).count()
    );
    for e in punctuated.iter().take(5) {
        println!("    {e}");
    }
    println!(
        "label terms of three words or more (a pair written around a stop word or a number): {long_terms}; label terms whose every word is in a member's headline: {in_headline} ({:.1} %)",
        100.0 * in_headline as f64 / terms.max(1) as f64
    );
    println!(
        "label terms with a glued conjunction or preposition whose bare form occurs: {glued_count}; before the article ال: {article_count}"
    );
    for (t, b) in glued.iter().filter(|g| article.contains(&g.0)).take(5) {
        println!("    {t} → {b}");
    }
    for (t, b) in glued
        .iter()
        .filter(|g| g.0.starts_with(char::is_alphabetic))
        .take(
            std::env::var("SHOW")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(5),
        )
    {
        println!("    {t} → {b}");
    }
}

/// Words that open a site's tag line ("tags:").
const TAG_MARKERS: [&str; 6] = ["سمات", "وسوم", "الوسوم", "tags", "tags:", "الكلمات"];

/// Abbreviations after which a sentence is not over.
const ABBREVIATIONS: [&str; 24] = [
    "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "gen.", "sen.", "rep.", "gov.", "jan.", "feb.",
    "aug.", "sept.", "sep.", "oct.", "nov.", "dec.", "u.s.", "u.k.", "no.", "vs.", "د.", "أ.",
];

fn sentences(stories: &[Value], texts: &AHashMap<&str, String>) {
    let normalizer = Normalizer::default();
    let stop: Vec<(Lang, StopWords)> = [Lang::Arabic, Lang::English]
        .into_iter()
        .map(|l| (l, StopWords::for_lang(l, &normalizer)))
        .collect();
    // key sentence → the stories that show it
    let mut shown: AHashMap<String, AHashSet<usize>> = AHashMap::new();
    let mut story_of: AHashMap<&str, usize> = AHashMap::new();
    let (mut total, mut tags, mut lists, mut cut) = (0, 0, 0, 0);
    let mut examples: Vec<String> = Vec::new();
    for (s, story) in stories.iter().enumerate() {
        for m in story["members"].as_array().into_iter().flatten() {
            if let Some(id) = m["id"].as_str() {
                story_of.insert(id, s);
            }
        }
        let lang = lang_of(story);
        for k in strings(&story["key_sentences"]) {
            total += 1;
            let k = html_escape::decode_html_entities(&k).into_owned();
            let lower = k.to_lowercase();
            let first = lower.split_whitespace().next().unwrap_or("");
            if TAG_MARKERS.contains(&first) {
                tags += 1;
                if examples.len() < 3 {
                    examples.push(k.clone());
                }
            }
            if let Some((_, words)) = stop.iter().find(|(l, _)| *l == lang) {
                let normalized = normalizer.normalize(&k);
                let n = normalized.split(' ').count();
                if n >= 4 && !normalized.split(' ').any(|w| words.contains(w)) {
                    lists += 1;
                }
            }
            let last = lower.split_whitespace().last().unwrap_or("");
            let single_initial = last.len() <= 3
                && last.ends_with('.')
                && last.trim_end_matches('.').chars().count() == 1
                && last.starts_with(char::is_alphabetic);
            if ABBREVIATIONS.contains(&last) || single_initial {
                cut += 1;
            }
            shown.entry(k).or_default().insert(s);
        }
    }
    // Where each key sentence occurs: looked up at every word start of every article.
    let prefix = |s: &str| -> String { s.chars().take(24).collect() };
    let mut by_prefix: AHashMap<String, Vec<&str>> = AHashMap::new();
    for k in shown.keys() {
        by_prefix.entry(prefix(k)).or_default().push(k);
    }
    let mut occurs: AHashMap<&str, AHashSet<usize>> = AHashMap::new();
    // (story, article) pairs: which articles hold each key sentence
    let mut holders: AHashMap<&str, Vec<(usize, &str)>> = AHashMap::new();
    let mut ids: Vec<&&str> = texts.keys().collect();
    ids.sort();
    for id in ids {
        let text = &texts[*id];
        let Some(&story) = story_of.get(*id) else {
            continue;
        };
        let starts = std::iter::once(0).chain(
            text.char_indices()
                .filter(|(_, c)| c.is_whitespace())
                .map(|(i, c)| i + c.len_utf8()),
        );
        for i in starts {
            let Some(list) = by_prefix.get(&prefix(&text[i..])) else {
                continue;
            };
            for k in list {
                if text[i..].starts_with(*k) {
                    occurs.entry(k).or_default().insert(story);
                    holders.entry(k).or_default().push((story, id));
                }
            }
        }
    }
    let repeated_shown = shown.values().filter(|s| s.len() >= 2).count();
    let repeated_in_text = occurs.values().filter(|s| s.len() >= 2).count();
    // Stories whose key sentences cannot come from distinct articles.
    let mut two_from_one = 0;
    for (s, story) in stories.iter().enumerate() {
        let keys: Vec<String> = strings(&story["key_sentences"])
            .iter()
            .map(|k| html_escape::decode_html_entities(k).into_owned())
            .collect();
        let options: Vec<Vec<&str>> = keys
            .iter()
            .map(|k| {
                let mut a: Vec<&str> = holders
                    .get(k.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|(st, _)| *st == s)
                    .map(|(_, id)| *id)
                    .collect();
                a.sort_unstable();
                a.dedup();
                a
            })
            .filter(|a| !a.is_empty())
            .collect();
        if !distinct_representatives(&options) {
            two_from_one += 1;
        }
    }
    println!(
        "key sentences: {total}; tag lines: {tags}; keyword lists (no stop word): {lists}; ending at an abbreviation: {cut}"
    );
    for e in &examples {
        println!("    {e}");
    }
    println!(
        "key sentences shown in ≥ 2 stories: {repeated_shown}; occurring in the articles of ≥ 2 stories: {repeated_in_text}"
    );
    let mut repeated: Vec<&&str> = occurs
        .iter()
        .filter(|(_, s)| s.len() >= 2)
        .map(|(k, _)| k)
        .collect();
    repeated.sort();
    for k in repeated.iter().take(5) {
        println!("    {k}");
    }
    println!("stories with two key sentences from one article: {two_from_one}");
}

/// Whether each set can be given a different element (a matching by augmenting paths).
fn distinct_representatives(options: &[Vec<&str>]) -> bool {
    fn augment<'a>(
        i: usize,
        options: &[Vec<&'a str>],
        owner: &mut AHashMap<&'a str, usize>,
        seen: &mut AHashSet<&'a str>,
    ) -> bool {
        for &a in &options[i] {
            if seen.insert(a) {
                let free = match owner.get(a) {
                    None => true,
                    Some(&j) => augment(j, options, owner, seen),
                };
                if free {
                    owner.insert(a, i);
                    return true;
                }
            }
        }
        false
    }
    let mut owner = AHashMap::new();
    (0..options.len()).all(|i| augment(i, options, &mut owner, &mut AHashSet::new()))
}
