use storyclust::corpus::{read_corpus, ReadOptions};
use storyclust::text::{sentences, Lang, Normalizer, StopWords};
fn main() {
    let corpus = read_corpus(
        &["/work/shared/data/saudinewsnet.jsonl.gz"],
        &ReadOptions::default(),
    )
    .unwrap();
    let n = Normalizer::default();
    let sw = StopWords::for_lang(Lang::Arabic, &n);
    let mut hist = [0usize; 11];
    let mut shown = 0;
    for d in &corpus.documents {
        for line in d.body.lines() {
            for s in sentences(line).take(12) {
                let w = s.split_whitespace().count();
                if !(6..=60).contains(&w) {
                    continue;
                }
                let norm = n.normalize(s);
                let words: Vec<&str> = norm.split(' ').collect();
                let stops = words.iter().filter(|x| sw.contains(x)).count();
                let r = stops as f64 / words.len() as f64;
                hist[((r * 10.0) as usize).min(10)] += 1;
                let end = s.ends_with(['.', '!', '?', '؟', '»', '"', ')', ':']);
                if r < 0.1 && stops > 0 && shown < 50 && d.id.ends_with("7") {
                    shown += 1;
                    println!(
                        "{:.2} {} {} | {}",
                        r,
                        end,
                        d.source.as_deref().unwrap_or(""),
                        s
                    );
                }
            }
        }
    }
    println!("{hist:?}");
}
