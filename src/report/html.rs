//! The editors' report: one self-contained HTML page (inline CSS, inline SVG, a little
//! JavaScript; nothing from the network), rendered from `templates/report.html`.

use super::ClusterRecord;
use crate::summary::{Stories, Story};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Stories drawn in the size chart.
const CHART_STORIES: usize = 30;
/// Stories coloured in the timeline; the rest are grey.
const TIMELINE_STORIES: usize = 6;
/// Members shown before the "more" fold of a card.
const MEMBERS_SHOWN: usize = 5;
const PALETTE: [&str; TIMELINE_STORIES] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];
const OTHER: &str = "#c7c7c7";

/// The language of the report's interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[non_exhaustive]
pub enum UiLang {
    /// Arabic when most articles are in Arabic, else English.
    #[default]
    Auto,
    /// Arabic, right to left.
    Ar,
    /// English.
    En,
}

/// The interface's words, by key, for the template and its script.
type Words = BTreeMap<&'static str, &'static str>;

/// (key, English, Arabic).
const WORDS: &[(&str, &str, &str)] = &[
    ("stories_title", "Stories", "القصص"),
    ("overview", "Overview", "نظرة عامة"),
    ("articles", "articles", "مقالات"),
    // Chart tooltips: "12 articles of story #3", "40 articles in all".
    ("of_story", "of story", "من القصة"),
    ("in_all", "in all", "في المجموع"),
    ("multi", "stories of 2+ articles", "قصص من مقالين فأكثر"),
    ("singles", "single articles", "مقالات منفردة"),
    ("dup_groups", "near-duplicate groups", "مجموعات شبه مكررة"),
    ("sources", "sources", "مصادر"),
    ("date", "date", "التاريخ"),
    ("to", "to", "إلى"),
    ("parameters", "Run parameters", "إعدادات التشغيل"),
    ("largest", "Largest stories", "أكبر القصص"),
    (
        "no_multi",
        "No story has more than one article.",
        "لا توجد قصة بأكثر من مقال واحد.",
    ),
    ("per_day", "Articles per day", "المقالات في اليوم"),
    ("all", "all", "الكل"),
    (
        "coloured",
        "Coloured: the largest stories, up to",
        "بالألوان: أكبر القصص، حتى",
    ),
    (
        "grey",
        "Grey strip: all articles, up to",
        "الشريط الرمادي: كل المقالات، حتى",
    ),
    ("a_day", "a day", "في اليوم"),
    (
        "no_dates",
        "The articles have no dates.",
        "المقالات بلا تواريخ.",
    ),
    ("topics", "Topics: related stories", "المواضيع: قصص مترابطة"),
    ("topic", "Topic", "الموضوع"),
    ("stories", "stories", "قصص"),
    ("comma", ", ", "، "),
    ("utc", "UTC", "UTC"),
    ("filter", "Filter stories", "تصفية القصص"),
    ("search", "Search (press /)", "بحث (اضغط /)"),
    ("placeholder", "words, names, ids…", "كلمات، أسماء، معرّفات…"),
    ("source", "Source", "المصدر"),
    ("all_sources", "all sources", "كل المصادر"),
    ("from", "From", "من"),
    ("until", "To", "إلى"),
    ("sort", "Sort", "الترتيب"),
    ("largest_first", "largest first", "الأكبر أولاً"),
    ("recent_first", "most recent first", "الأحدث أولاً"),
    ("article", "article", "المقال"),
    ("source_col", "source", "المصدر"),
    ("similarity", "similarity", "التشابه"),
    ("more", "more articles", "مقالات أخرى"),
    ("first_published", "First published", "أول من نشر"),
    ("republished", "Republished", "أعيد نشره"),
    ("first", "first", "الأول"),
    ("cohesion", "cohesion", "التماسك"),
    ("no_match", "No story matches.", "لا توجد قصة مطابقة."),
    ("of", "of", "من"),
    (
        "footer",
        "Made by storyclust. This page is self-contained: it loads nothing from the network.",
        "أنشأها storyclust. الصفحة مكتفية بذاتها: لا تحمّل شيئاً من الشبكة.",
    ),
];

fn words(lang: UiLang) -> Words {
    WORDS
        .iter()
        .map(|&(k, en, ar)| (k, if lang == UiLang::Ar { ar } else { en }))
        .collect()
}

#[derive(Serialize)]
struct Context<'a> {
    title: String,
    lang: &'static str,
    /// The interface's language (`ar`, `en`) and its words.
    ui_lang: &'static str,
    t: Words,
    accounting: String,
    overview: Overview,
    parameters: String,
    chart: Chart,
    timeline: Option<Timeline>,
    stories: Vec<Card<'a>>,
    singles: Vec<Card<'a>>,
    /// Topics of two stories or more, with their stories' ids.
    topics: Vec<&'a crate::summary::Topic>,
    sources: Vec<String>,
}

#[derive(Serialize)]
struct Overview {
    documents: usize,
    stories: usize,
    singles: usize,
    duplicate_groups: usize,
    sources: usize,
    first_date: Option<String>,
    last_date: Option<String>,
}

#[derive(Serialize)]
struct Card<'a> {
    story: &'a Story,
    /// Its topic, when the topic holds other stories too.
    topic: Option<&'a crate::summary::Topic>,
    colour: Option<&'static str>,
    first: Option<String>,
    last: Option<String>,
    sources_key: String,
    shown: &'a [crate::summary::StoryMember],
    folded: &'a [crate::summary::StoryMember],
}

#[derive(Serialize)]
struct Bar {
    /// The story it stands for (0 for none).
    story: usize,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    label: String,
    value: usize,
    title: String,
    colour: &'static str,
}

#[derive(Serialize)]
struct Chart {
    width: f64,
    height: f64,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct Timeline {
    width: f64,
    height: f64,
    /// The largest stories, stacked, on their own scale.
    bars: Vec<Bar>,
    /// Bottom of the stacked bars.
    base: f64,
    /// All articles per day, in a thin strip below.
    totals: Vec<Bar>,
    strip_top: f64,
    ticks: Vec<(f64, String)>,
    legend: Vec<(&'static str, String)>,
    max: usize,
    total_max: usize,
}

fn day(t: Option<crate::corpus::Timestamp>) -> Option<String> {
    t.map(|t| t.date_string())
}

/// Renders the report of `stories` with `record`'s parameters and accounting. `title` names
/// the corpus (its inputs). A template that fails to render (a defect of storyclust) is
/// [`crate::Error::Render`].
pub fn render_html(
    stories: &Stories,
    record: &ClusterRecord,
    title: &str,
    ui_lang: UiLang,
) -> crate::Result<String> {
    render(stories, record, title, ui_lang).map_err(|e| crate::Error::Render(e.to_string()))
}

/// [`render_html`] with the template engine's own error.
fn render(
    stories: &Stories,
    record: &ClusterRecord,
    title: &str,
    ui_lang: UiLang,
) -> Result<String, minijinja::Error> {
    let colours = timeline_colours(stories);
    let (multi, single): (Vec<&Story>, Vec<&Story>) =
        stories.stories.iter().partition(|s| s.size > 1);
    let sources: BTreeSet<String> = stories
        .stories
        .iter()
        .flat_map(|s| s.sources.iter().map(|c| c.name.clone()))
        .collect();
    let lang = main_language(stories);
    let ui_lang = match ui_lang {
        UiLang::Auto if lang == "ar" => UiLang::Ar,
        UiLang::Auto => UiLang::En,
        l => l,
    };
    let t = words(ui_lang);
    let context = Context {
        title: title.to_string(),
        lang: if lang == "und" { "en" } else { lang },
        ui_lang: if ui_lang == UiLang::Ar { "ar" } else { "en" },
        accounting: record.accounting.line(),
        overview: overview(stories, &record.accounting, &multi, sources.len()),
        parameters: serde_json::to_string_pretty(&record.parameters).unwrap_or_default(),
        chart: size_chart(&multi, &colours, ui_lang),
        timeline: timeline(stories, &colours, &t, ui_lang),
        stories: multi
            .iter()
            .map(|s| make_card(s, colours.get(&s.id).copied(), stories))
            .collect(),
        singles: single.iter().map(|s| make_card(s, None, stories)).collect(),
        topics: stories
            .topics
            .iter()
            .filter(|t| t.stories.len() > 1)
            .collect(),
        sources: sources.into_iter().collect(),
        t,
    };
    environment(ui_lang)?
        .get_template("report.html")?
        .render(&context)
}

/// The colour of each of the largest stories (of two articles or more), by story id.
fn timeline_colours(stories: &Stories) -> BTreeMap<usize, &'static str> {
    stories
        .stories
        .iter()
        .filter(|s| s.size > 1)
        .take(TIMELINE_STORIES)
        .zip(PALETTE)
        .map(|(s, c)| (s.id, c))
        .collect()
}

/// The language of most articles (`und` when there are none).
fn main_language(stories: &Stories) -> &'static str {
    let langs = stories
        .stories
        .iter()
        .fold(BTreeMap::<&str, usize>::new(), |mut m, s| {
            *m.entry(s.lang).or_insert(0) += s.size;
            m
        });
    langs
        .iter()
        .max_by_key(|(_, n)| **n)
        .map_or("und", |(l, _)| *l)
}

/// The figures at the top of the page; `multi` are the stories of two articles or more.
fn overview(
    stories: &Stories,
    accounting: &super::Accounting,
    multi: &[&Story],
    sources: usize,
) -> Overview {
    let first = stories.stories.iter().filter_map(|s| s.first_date).min();
    let last = stories.stories.iter().filter_map(|s| s.last_date).max();
    Overview {
        documents: accounting.read,
        stories: multi.len(),
        singles: stories.stories.len() - multi.len(),
        duplicate_groups: stories
            .stories
            .iter()
            .map(|s| s.duplicate_groups.len())
            .sum(),
        sources,
        first_date: day(first),
        last_date: day(last),
    }
}

/// The template with its tests, and numbers and counted nouns in the interface's language:
/// `n|num` (`31,030`, `٣١٬٠٣٠`), `count(n, "article")` (`104 articles`, `١٠٤ مقالات`),
/// `noun(n, "story")` (the noun alone, agreeing with `n`), `plural_forms("story")` (for
/// the script's `Intl.PluralRules`).
fn environment(ui_lang: UiLang) -> Result<minijinja::Environment<'static>, minijinja::Error> {
    use super::counted::{counted, noun_after, number, plural_forms, Noun};
    let mut env = minijinja::Environment::new();
    // The page is large for big corpora: no indentation from the template's own blocks.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // Only web addresses become links: a `javascript:` URL in the input must stay text.
    env.add_test("weblink", |v: minijinja::Value| {
        v.as_str().is_some_and(super::is_web_url)
    });
    let noun = |name: &str| {
        Noun::parse(name).ok_or_else(|| {
            minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "unknown noun")
        })
    };
    env.add_filter("num", move |n: u64| number(n, ui_lang));
    env.add_function("count", move |n: u64, name: &str| {
        Ok(counted(n, noun(name)?, ui_lang))
    });
    env.add_function("noun", move |n: u64, name: &str| {
        Ok(noun_after(n, noun(name)?, ui_lang))
    });
    env.add_function("plural_forms", move |name: &str| {
        Ok(plural_forms(noun(name)?, ui_lang))
    });
    env.add_template("report.html", include_str!("templates/report.html"))?;
    Ok(env)
}

/// `n articles` in the interface's language, the noun agreeing with `n`.
fn articles(n: usize, lang: UiLang) -> String {
    super::counted::counted(n as u64, super::counted::Noun::Article, lang)
}

fn make_card<'s>(s: &'s Story, colour: Option<&'static str>, all: &'s Stories) -> Card<'s> {
    let topic = all
        .topics
        .get(s.topic.wrapping_sub(1))
        .filter(|t| t.stories.len() > 1);
    let sources_key: String = s
        .sources
        .iter()
        .map(|c| format!("|{}", c.name))
        .collect::<String>()
        + "|";
    let split = s.members.len().min(MEMBERS_SHOWN);
    Card {
        story: s,
        topic,
        colour,
        first: day(s.first_date),
        last: day(s.last_date),
        sources_key,
        shown: &s.members[..split],
        folded: &s.members[split..],
    }
}

/// Horizontal bars: the largest stories by size.
fn size_chart(multi: &[&Story], colours: &BTreeMap<usize, &'static str>, lang: UiLang) -> Chart {
    let shown: Vec<&&Story> = multi.iter().take(CHART_STORIES).collect();
    // Bars are labelled with their headlines, shortened to fit the left margin.
    let (width, row, left) = (640.0, 18.0, 230.0);
    let max = shown.iter().map(|s| s.size).max().unwrap_or(1) as f64;
    let bars = shown
        .iter()
        .enumerate()
        .map(|(i, s)| Bar {
            story: s.id,
            x: left,
            y: i as f64 * row + 4.0,
            width: ((width - left - 48.0) * s.size as f64 / max).max(1.0),
            height: row - 5.0,
            label: crate::text::shorten(&s.headline, 36),
            value: s.size,
            title: format!("#{} · {} · {}", s.id, articles(s.size, lang), s.headline),
            colour: colours.get(&s.id).copied().unwrap_or("#6b8fb8"),
        })
        .collect();
    Chart {
        width,
        height: shown.len() as f64 * row + 8.0,
        bars,
    }
}

/// Articles per day: the largest stories stacked in colour on their own scale (next to a
/// whole corpus they would be invisible), and all articles in a grey strip below.
fn timeline(
    stories: &Stories,
    colours: &BTreeMap<usize, &'static str>,
    t: &Words,
    lang: UiLang,
) -> Option<Timeline> {
    let (days, totals) = daily_counts(stories, colours);
    let (&first, &last) = (totals.keys().next()?, totals.keys().next_back()?);
    let span = (last - first + 1) as f64;
    let axis = DayAxis {
        first,
        step: (TIMELINE_WIDTH - TIMELINE_LEFT - 8.0) / span,
    };
    let max = days
        .values()
        .map(|c| c.values().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let total_max = totals.values().copied().max().unwrap_or(1).max(1);
    let legend = colours
        .iter()
        .map(|(id, c)| {
            let s = &stories.stories[id - 1];
            (
                *c,
                format!("#{id} {}", crate::text::shorten(&s.headline, 48)),
            )
        })
        .collect();
    Some(Timeline {
        width: TIMELINE_WIDTH,
        height: 200.0,
        bars: story_bars(&days, colours, &axis, max, t, lang),
        base: TIMELINE_BASE,
        totals: total_bars(&totals, &axis, total_max, t, lang),
        strip_top: STRIP_TOP,
        ticks: date_ticks(&axis, span),
        legend,
        max,
        total_max,
    })
}

/// The timeline's width, its left margin (the scale's labels), the bottom of its stacked
/// bars, and the top and height of the strip of all articles below them.
const TIMELINE_WIDTH: f64 = 640.0;
const TIMELINE_LEFT: f64 = 36.0;
const TIMELINE_BASE: f64 = 130.0;
const STRIP_TOP: f64 = 138.0;
const STRIP_HEIGHT: f64 = 34.0;

/// Days along the timeline: the first day and the width of one.
struct DayAxis {
    first: i64,
    step: f64,
}

impl DayAxis {
    fn x(&self, day: i64) -> f64 {
        TIMELINE_LEFT + (day - self.first) as f64 * self.step
    }

    fn bar_width(&self) -> f64 {
        (self.step - 1.0).max(1.0)
    }
}

/// Articles per day (day number → story slot → articles).
type DayCounts = BTreeMap<i64, BTreeMap<usize, usize>>;

/// Articles per day and per coloured story (by its slot), and all articles per day.
fn daily_counts(
    stories: &Stories,
    colours: &BTreeMap<usize, &'static str>,
) -> (DayCounts, BTreeMap<i64, usize>) {
    let mut days = DayCounts::new();
    let mut totals: BTreeMap<i64, usize> = BTreeMap::new();
    for s in &stories.stories {
        let slot = colours.keys().position(|&id| id == s.id);
        for m in &s.members {
            if let Some(d) = m.date {
                *totals.entry(d.day_number()).or_insert(0) += 1;
                if let Some(slot) = slot {
                    *days
                        .entry(d.day_number())
                        .or_default()
                        .entry(slot)
                        .or_insert(0) += 1;
                }
            }
        }
    }
    (days, totals)
}

fn day_string(day: i64) -> String {
    crate::corpus::Timestamp(day * 86_400).date_string()
}

/// The coloured stories' articles of each day, stacked, scaled so that the busiest day's
/// stack (`max` articles) fills the chart.
fn story_bars(
    days: &DayCounts,
    colours: &BTreeMap<usize, &'static str>,
    axis: &DayAxis,
    max: usize,
    t: &Words,
    lang: UiLang,
) -> Vec<Bar> {
    let scale = (TIMELINE_BASE - 16.0) / max as f64;
    let mut bars = Vec::new();
    for (&d, counts) in days {
        let mut y = TIMELINE_BASE;
        for (&slot, &n) in counts {
            let h = n as f64 * scale;
            y -= h;
            let (id, colour) = colours
                .iter()
                .nth(slot)
                .map(|(i, c)| (*i, *c))
                .unwrap_or((0, OTHER));
            bars.push(Bar {
                story: id,
                x: axis.x(d),
                y,
                width: axis.bar_width(),
                height: h,
                label: String::new(),
                value: n,
                title: format!(
                    "{}: {} {} #{id}",
                    day_string(d),
                    articles(n, lang),
                    t["of_story"]
                ),
                colour,
            });
        }
    }
    bars
}

/// All articles of each day, in the strip, scaled to the busiest day (`total_max`).
fn total_bars(
    totals: &BTreeMap<i64, usize>,
    axis: &DayAxis,
    total_max: usize,
    t: &Words,
    lang: UiLang,
) -> Vec<Bar> {
    totals
        .iter()
        .map(|(&d, &n)| {
            let h = (n as f64 / total_max as f64 * STRIP_HEIGHT).max(0.5);
            Bar {
                story: 0,
                x: axis.x(d),
                y: STRIP_TOP + STRIP_HEIGHT - h,
                width: axis.bar_width(),
                height: h,
                label: String::new(),
                value: n,
                title: format!("{}: {} {}", day_string(d), articles(n, lang), t["in_all"]),
                colour: OTHER,
            }
        })
        .collect()
}

/// At most eight date labels over `span` days, none running off the right edge.
fn date_ticks(axis: &DayAxis, span: f64) -> Vec<(f64, String)> {
    let every = ((span / 8.0).ceil() as i64).max(1);
    (0..span as i64)
        .step_by(every as usize)
        .map(|k| {
            (
                TIMELINE_LEFT + k as f64 * axis.step,
                day_string(axis.first + k),
            )
        })
        .filter(|(x, _)| *x <= TIMELINE_WIDTH - 62.0)
        .collect()
}
