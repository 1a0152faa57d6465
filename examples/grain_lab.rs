//! Lab: story-grain experiments on dense similarity matrices of the dev sets.
use storyclust::cluster::{read_gold, score};
use storyclust::corpus::{read_corpus, Document, ReadOptions};
use storyclust::text::{analyze, AnalysisOptions, AnalyzedCorpus, ArabicStemmer, TermForms};
use storyclust::tfidf::{TfIdf, TfIdfOptions};

fn env<T: std::str::FromStr>(k: &str, d: T) -> T {
    std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d)
}

enum Truth {
    Gold(Vec<(String, String)>),
    Pairs(Vec<(String, String, f64)>),
}

struct Set {
    name: String,
    docs: Vec<Document>,
    truths: Vec<Truth>,
}

fn load(dir: &str) -> Vec<Set> {
    let mut sets = Vec::new();
    let rd = |f: &str| {
        read_corpus(&[format!("{dir}/{f}.jsonl")], &ReadOptions::default())
            .unwrap()
            .documents
    };
    let gold = |f: &str| Truth::Gold(read_gold(std::path::Path::new(&format!("{dir}/{f}"))).unwrap());
    let pairs = |f: &str| {
        Truth::Pairs(
            std::fs::read_to_string(format!("{dir}/{f}"))
                .unwrap()
                .lines()
                .map(|l| {
                    let p: Vec<&str> = l.split('\t').collect();
                    (p[0].to_string(), p[1].to_string(), p[2].parse().unwrap())
                })
                .collect(),
        )
    };
    let only = std::env::var("SETS").unwrap_or_default();
    for name in ["ecbplus", "ecbplus-titles", "wikiref220", "semeval22-en", "semeval22-ar-dev"] {
        if !only.is_empty() && !only.split(',').any(|s| s == name) {
            continue;
        }
        let truths = match name {
            "ecbplus" | "ecbplus-titles" => {
                vec![gold("ecbplus.gold.tsv"), gold("ecbplus.topics.gold.tsv")]
            }
            "wikiref220" => vec![gold("wikiref220.gold.tsv")],
            n => vec![pairs(&format!("{n}.pairs.tsv"))],
        };
        sets.push(Set {
            name: name.into(),
            docs: rd(name),
            truths,
        });
    }
    sets
}

fn score_pairs(docs: &[Document], labels: &[u32], pairs: &[(String, String, f64)]) -> (f64, f64) {
    let idx: std::collections::HashMap<&str, usize> =
        docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let (mut s, mut sj, mut u, mut uj) = (0, 0, 0, 0);
    for (a, b, sc) in pairs {
        let j = labels[idx[a.as_str()]] == labels[idx[b.as_str()]];
        if *sc <= 1.5 {
            s += 1;
            sj += j as usize;
        } else if *sc >= 3.5 {
            u += 1;
            uj += j as usize;
        }
    }
    (sj as f64 / s as f64, uj as f64 / u as f64)
}

fn eval(set: &Set, labels: &[u32]) -> String {
    let mut out = String::new();
    for t in &set.truths {
        match t {
            Truth::Gold(g) => {
                let pred: Vec<(String, Option<String>)> = set
                    .docs
                    .iter()
                    .zip(labels)
                    .map(|(d, l)| (d.id.clone(), Some(l.to_string())))
                    .collect();
                out.push_str(&format!(" {:.3}", score(g, &pred).bcubed_f1));
            }
            Truth::Pairs(p) => {
                let (s, u) = score_pairs(&set.docs, labels, p);
                out.push_str(&format!(" {:.2}/{:.2}", s, u));
            }
        }
    }
    out
}

/// Dense cosine matrix.
fn matrix(set: &Set) -> (Vec<Vec<f32>>, Vec<storyclust::tfidf::SparseVector>) {
    let stem = match std::env::var("STEM").as_deref() {
        Ok("snowball") => ArabicStemmer::Snowball,
        Ok("none") => ArabicStemmer::None,
        _ => ArabicStemmer::Light10,
    };
    let analyzed = analyze(
        &set.docs,
        &AnalysisOptions {
            bigrams: env("BIGRAMS", 1) == 1,
            arabic_stemmer: stem,
            ..AnalysisOptions::default()
        },
    );
    let model = TfIdf::fit(
        &analyzed,
        &TfIdfOptions {
            min_df: env("MINDF", 2),
            max_df: env("MAXDF", 0.5),
            title_weight: env("TW", 2.0),
            sublinear_tf: true,
            max_terms: None,
        },
    );
    let mut model = model;
    let pow: f32 = env("POW", 1.0);
    let cap: f32 = env("CAP", 1.0);
    for v in &mut model.vectors {
        for w in &mut v.weights {
            *w = w.powf(pow).min(cap);
        }
        let n = v.weights.iter().map(|w| w * w).sum::<f32>().sqrt().max(1e-12);
        for w in &mut v.weights {
            *w /= n;
        }
    }
    let v = &model.vectors;
    if std::env::var("DIAG").is_ok() {
        diag(set, &analyzed, &model);
    }
    let m = (0..v.len())
        .map(|a| (0..v.len()).map(|b| if a == b { 1.0 } else { v[a].dot(&v[b]) }).collect())
        .collect();
    (m, model.vectors)
}

/// Merge tree by naive dense agglomeration (Lance–Williams). Returns merges (a, b, height)
/// in order. `kind`: 0 average, 1 complete, 2 single.
fn dendrogram(sim: &[Vec<f32>], kind: u8) -> Vec<(usize, usize, f64)> {
    let n = sim.len();
    let mut s: Vec<Vec<f64>> = sim.iter().map(|r| r.iter().map(|&x| x as f64).collect()).collect();
    let mut size = vec![1usize; n];
    let mut alive = vec![true; n];
    let mut merges = Vec::new();
    // nearest-neighbour per row cache
    let best_of = |s: &Vec<Vec<f64>>, alive: &Vec<bool>, a: usize| -> (f64, usize) {
        let mut best = (f64::NEG_INFINITY, usize::MAX);
        for b in 0..s.len() {
            if b != a && alive[b] && s[a][b] > best.0 {
                best = (s[a][b], b);
            }
        }
        best
    };
    let mut nn: Vec<(f64, usize)> = (0..n).map(|a| best_of(&s, &alive, a)).collect();
    for _ in 1..n {
        let mut a = usize::MAX;
        let mut h = f64::NEG_INFINITY;
        for i in 0..n {
            if alive[i] && nn[i].0 > h {
                h = nn[i].0;
                a = i;
            }
        }
        if a == usize::MAX {
            break;
        }
        let b = nn[a].1;
        merges.push((a, b, h));
        alive[b] = false;
        for k in 0..n {
            if !alive[k] || k == a {
                continue;
            }
            let v = match kind {
                0 => (s[a][k] * size[a] as f64 + s[b][k] * size[b] as f64) / (size[a] + size[b]) as f64,
                1 => s[a][k].min(s[b][k]),
                _ => s[a][k].max(s[b][k]),
            };
            s[a][k] = v;
            s[k][a] = v;
        }
        size[a] += size[b];
        for k in 0..n {
            if alive[k] && (k == a || nn[k].1 == a || nn[k].1 == b || s[k][a] > nn[k].0) {
                nn[k] = best_of(&s, &alive, k);
            }
        }
    }
    merges
}

fn cut(n: usize, merges: &[(usize, usize, f64)], t: f64) -> Vec<u32> {
    let mut uf = storyclust::cluster::UnionFind::new(n);
    for &(a, b, h) in merges {
        if h >= t {
            uf.union(a as u32, b as u32);
        }
    }
    (0..n).map(|i| uf.find(i as u32)).collect()
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../shared/data".into());
    let sets = load(&dir);
    let kinds: Vec<u8> = std::env::var("KINDS")
        .unwrap_or_else(|_| "0,1".into())
        .split(',')
        .map(|k| k.parse().unwrap())
        .collect();
    let ts: Vec<f64> = (env("T0", 4)..=env("T1", 20)).map(|i| i as f64 * 0.025).collect();
    for set in &sets {
        let (sim, vectors) = matrix(set);
        {
            let n = sim.len();
            let mut all = 0.0; let mut nn1 = Vec::new(); let mut nn5 = Vec::new();
            for a in 0..n { let mut r: Vec<f32> = (0..n).filter(|&b| b != a).map(|b| sim[a][b]).collect(); all += r.iter().map(|&x| x as f64).sum::<f64>(); r.sort_by(|x, y| y.total_cmp(x)); nn1.push(r[0]); nn5.push(r[4]); }
            nn1.sort_by(|x, y| x.total_cmp(y)); nn5.sort_by(|x, y| x.total_cmp(y));
            println!("{} bg {:.4} nn1 med {:.3} nn5 med {:.3} p90 nn1 {:.3}", set.name, all / (n * (n - 1)) as f64, nn1[n / 2], nn5[n / 2], nn1[n * 9 / 10]);
        }
        if std::env::var("MODE").as_deref() == Ok("rel") {
            rel(set, &sim, &vectors, &ts);
            continue;
        }
        for &kind in &kinds {
            let merges = dendrogram(&sim, kind);
            let mut line = format!("{:<16} k{kind}:", set.name);
            for &t in &ts {
                line.push_str(&format!(" {t:.3}:{}", eval(set, &cut(sim.len(), &merges, t))));
            }
            println!("{line}");
        }
    }
}

fn diag(set: &Set, analyzed: &AnalyzedCorpus, model: &TfIdf) {
    let Some(Truth::Pairs(pairs)) = set.truths.first() else { return };
    let idx: std::collections::HashMap<&str, usize> =
        set.docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let forms = TermForms::new(&AnalysisOptions { bigrams: true, ..AnalysisOptions::default() });
    let mut rows: Vec<(f64, f32, usize, usize)> = pairs
        .iter()
        .map(|(a, b, s)| {
            let (a, b) = (idx[a.as_str()], idx[b.as_str()]);
            (*s, model.vectors[a].dot(&model.vectors[b]), a, b)
        })
        .collect();
    rows.sort_by(|x, y| x.0.total_cmp(&y.0).then(y.1.total_cmp(&x.1)));
    for (s, c, a, b) in rows {
        let (va, vb) = (&model.vectors[a], &model.vectors[b]);
        let mut contrib: Vec<(f32, u32)> = va
            .ids
            .iter()
            .zip(&va.weights)
            .filter_map(|(&t, &w)| vb.ids.binary_search(&t).ok().map(|j| (w * vb.weights[j], t)))
            .collect();
        contrib.sort_by(|x, y| y.0.total_cmp(&x.0));
        let want: std::collections::HashSet<u64> =
            contrib.iter().take(8).map(|c| model.vocabulary.terms[c.1 as usize]).collect();
        let f = forms.forms(&set.docs[a], &analyzed.documents[a], |t| want.contains(&t));
        let names: Vec<String> = contrib
            .iter()
            .take(8)
            .map(|c| {
                let h = model.vocabulary.terms[c.1 as usize];
                let form = f.iter().find(|x| x.0 == h).map(|x| x.1).unwrap_or("?");
                format!("{form}:{:.3}", c.0)
            })
            .collect();
        println!("{s} {c:.3} {} | {} | {}", names.join(" "), set.docs[a].title.as_deref().unwrap_or("").chars().take(50).collect::<String>(), set.docs[b].title.as_deref().unwrap_or("").chars().take(50).collect::<String>());
    }
}

fn rel(set: &Set, _sim: &[Vec<f32>], vectors: &[storyclust::tfidf::SparseVector], ts: &[f64]) {
    use storyclust::cluster::{refine, relative_average_linkage};
    let n = vectors.len();
    let graph = storyclust::tfidf::neighbour_graph(vectors, 1 << 22, env("GRAPH", 0.02f32), None, None);
    let w = vec![1u32; n];
    let rank: Vec<u32> = (0..n as u32).collect();
    let ratios: Vec<f64> = std::env::var("RATIOS").unwrap_or_else(|_| "0,0.65".into()).split(',').map(|x| x.parse().unwrap()).collect();
    let rounds = env("ROUNDS", 1usize);
    let topic_t: f64 = env("TOPIC", 0.0);
    for &r in &ratios {
        let mut line = format!("{:<16} r{r}:", set.name);
        for &t in ts {
            let mut l = relative_average_linkage(&graph, &w, t, r, &rank);
            for _ in 0..rounds {
                l = refine(vectors, &graph, &l, &w, &rank, t as f32);
            }
            if topic_t > 0.0 {
                l = topics(vectors, &l, topic_t);
            }
            line.push_str(&format!(" {t:.3}:{}", eval(set, &l)));
        }
        println!("{line}");
    }
}

/// Centroid linkage over stories.
fn topics(vectors: &[storyclust::tfidf::SparseVector], labels: &[u32], t: f64) -> Vec<u32> {
    let mut keys: Vec<u32> = labels.to_vec();
    keys.sort_unstable();
    keys.dedup();
    let k = keys.len();
    let dim = vectors.iter().flat_map(|v| v.ids.iter()).max().map_or(0, |&m| m as usize + 1);
    let mut cent = vec![vec![0f64; dim]; k];
    for (d, v) in vectors.iter().enumerate() {
        let c = keys.binary_search(&labels[d]).unwrap();
        for (&i, &x) in v.ids.iter().zip(&v.weights) {
            cent[c][i as usize] += x as f64;
        }
    }
    let norm = |c: &Vec<f64>| c.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-12);
    let mode = env("TMODE", 0u8);
    let mut alive = vec![true; k];
    let mut parent: Vec<usize> = (0..k).collect();
    loop {
        let mut best = (t, usize::MAX, usize::MAX);
        for a in 0..k { if !alive[a] { continue; } let na = norm(&cent[a]);
            for b in a + 1..k { if !alive[b] { continue; }
                let s = cent[a].iter().zip(&cent[b]).map(|(x, y)| x * y).sum::<f64>() / (na * norm(&cent[b]));
                if s >= best.0 && (best.1 == usize::MAX || s > best.0) { best = (s, a, b); }
            } }
        if best.1 == usize::MAX { break; }
        let (_, a, b) = best;
        alive[b] = false;
        parent[b] = a;
        let cb = std::mem::take(&mut cent[b]);
        if mode == 0 { for (x, y) in cent[a].iter_mut().zip(&cb) { *x += y; } }
    }
    let root = |mut x: usize| { while parent[x] != x { x = parent[x]; } x };
    labels.iter().map(|l| root(keys.binary_search(l).unwrap()) as u32).collect()
}
