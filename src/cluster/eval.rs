//! Scoring a clustering against a gold one, with the conventions of the project's reference
//! scorer (`../shared/tools/score.py`): the same figures on the same files.
//!
//! Every gold id is scored; a gold id missing from the prediction is its own singleton and
//! counted in `missing`. Predicted labels that are empty, `-1`, `noise`, `none` or `null`
//! (any case) are singletons (`pred_noise`). Predicted ids not in the gold are `extra`; a
//! repeated predicted id keeps its first label (`duplicate`).

use crate::corpus::tsv_unescape_str;
use crate::error::{Error, Result};
use ahash::AHashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::Path;

/// The figures.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Scores {
    /// Documents scored (the gold ids).
    pub n_docs: usize,
    /// Gold clusters.
    pub n_gold_clusters: usize,
    /// Predicted clusters (singletons included).
    pub n_pred_clusters: usize,
    /// Predicted clusters with more than one document.
    pub n_pred_clusters_nonsingleton: usize,
    /// Predicted singletons.
    pub n_pred_singletons: usize,
    /// Gold ids absent from the prediction.
    pub missing: usize,
    /// Gold ids predicted as noise.
    pub pred_noise: usize,
    /// Predicted ids not in the gold.
    pub extra: usize,
    /// Repeated predicted ids.
    pub duplicate: usize,
    /// B-cubed precision.
    pub bcubed_p: f64,
    /// B-cubed recall.
    pub bcubed_r: f64,
    /// B-cubed F1.
    pub bcubed_f1: f64,
    /// Pairwise precision.
    pub pairwise_p: f64,
    /// Pairwise recall.
    pub pairwise_r: f64,
    /// Pairwise F1.
    pub pairwise_f1: f64,
    /// Adjusted Rand index.
    pub ari: f64,
    /// Normalised mutual information (arithmetic mean).
    pub nmi: f64,
    /// V-measure.
    pub v_measure: f64,
    /// Homogeneity.
    pub homogeneity: f64,
    /// Completeness.
    pub completeness: f64,
}

const NOISE: [&str; 5] = ["", "-1", "noise", "none", "null"];

/// Reads a gold file: `id<TAB>cluster` lines; blank and `#` lines ignored; a first line
/// `id<TAB>cluster` (or gold, gold_cluster, story, label) is a header.
pub fn read_gold(path: &Path) -> Result<Vec<(String, String)>> {
    let text = read(path)?;
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let lines = if text.ends_with('\n') {
        &lines[..lines.len() - 1]
    } else {
        &lines[..]
    };
    let mut gold: Vec<(String, String)> = Vec::new();
    let mut seen: HashMap<String, ()> = HashMap::new();
    for (n, line) in lines.iter().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((id, cluster)) = line.split_once('\t') else {
            return Err(format_error(
                path,
                format!("line {}: expected 'id<TAB>cluster', got {line:?}", n + 1),
            ));
        };
        let (id, cluster) = (&*tsv_unescape_str(id), &*tsv_unescape_str(cluster));
        if seen.insert(id.to_string(), ()).is_some() {
            return Err(format_error(
                path,
                format!("line {}: duplicate gold id {id:?}", n + 1),
            ));
        }
        gold.push((id.to_string(), cluster.to_string()));
    }
    if let Some((id, cluster)) = gold.first() {
        let header = ["cluster", "gold", "gold_cluster", "story", "label"];
        if id.to_lowercase() == "id" && header.contains(&cluster.to_lowercase().as_str()) {
            gold.remove(0);
        }
    }
    if gold.is_empty() {
        return Err(format_error(path, "no gold entries".into()));
    }
    Ok(gold)
}

/// Reads a prediction: TSV `id<TAB>cluster`, or JSON Lines with `id` and the first of
/// `cluster`, `story`, `cluster_id`, `label` (a line without one is unassigned).
pub fn read_prediction(path: &Path) -> Result<Vec<(String, Option<String>)>> {
    read_prediction_with(path, "id")
}

/// [`read_prediction`] with the id of JSON Lines records in the field `id_field` (a dotted
/// name is also a path into nested objects, as for corpora).
pub fn read_prediction_with(path: &Path, id_field: &str) -> Result<Vec<(String, Option<String>)>> {
    let text = read(path)?;
    let mut out = Vec::new();
    if let Some(format) = story_output_format(&text) {
        let message = format!(
            "this is a story file ({format} from `storyclust cluster`), not assignments: \
             scoring its stories as documents would give wrong figures; write the \
             assignments with `storyclust cluster --assignments FILE` and score that file"
        );
        return Err(format_error(path, message));
    }
    if text.trim_start().starts_with('{') {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
                .map_err(|e| format_error(path, format!("line {}: bad JSON: {e}", n + 1)))?;
            let id = crate::corpus::field_at(&value, id_field)
                .filter(|id| id.is_string() || id.is_number())
                .ok_or_else(|| {
                    let message = format!("line {}: no '{id_field}' string or number", n + 1);
                    format_error(path, message)
                })?;
            let cluster = ["cluster", "story", "cluster_id", "label"]
                .iter()
                .find_map(|k| value.get(*k))
                .and_then(python_str);
            out.push((python_str(id).unwrap_or_default(), cluster));
        }
    } else {
        for line in text.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let field = |f: &str| tsv_unescape_str(f.trim()).into_owned();
            match line.split_once('\t') {
                Some((_, c)) if c.contains('\t') => {
                    let message = format!("{line:?} has more than two columns (id<TAB>cluster)");
                    return Err(format_error(path, message));
                }
                Some((id, c)) => out.push((field(id), Some(field(c)))),
                None => out.push((field(line), None)),
            }
        }
        if let Some((id, Some(c))) = out.first() {
            let header = ["cluster", "story", "label", "cluster_id"];
            if id.to_lowercase() == "id" && header.contains(&c.to_lowercase().as_str()) {
                out.remove(0);
            }
        }
    }
    if out.iter().all(|(_, cluster)| cluster.is_none()) {
        let message = "no line assigns a cluster: not a prediction (TSV id<TAB>cluster, or JSON Lines with id and cluster)";
        return Err(format_error(path, message.into()));
    }
    Ok(out)
}

/// `Some("JSON Lines")` or `Some("JSON")` when `text` is `cluster`'s story output: its records
/// are stories (with `members`), not documents.
fn story_output_format(text: &str) -> Option<&'static str> {
    let is_story = |v: &serde_json::Value| v.get("members").is_some_and(|m| m.is_array());
    let first = text.lines().find(|l| !l.trim().is_empty())?;
    match serde_json::from_str::<serde_json::Value>(first) {
        Ok(v) if is_story(&v) => Some("JSON Lines"),
        Ok(_) => None,
        Err(_) => {
            let v: serde_json::Value = serde_json::from_str(text).ok()?;
            let stories = v.get("stories")?.as_array()?;
            stories.first().is_none_or(is_story).then_some("JSON")
        }
    }
}

/// `str(value)` as Python prints it, for ids and labels given as JSON numbers or strings;
/// `None` for null.
fn python_str(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        serde_json::Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() => {
                if f.fract() == 0.0 && f.abs() < 1e16 {
                    format!("{f:.1}")
                } else {
                    format!("{f}")
                }
            }
            _ => n.to_string(),
        }),
        other => Some(other.to_string()),
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn format_error(path: &Path, message: String) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        message,
    }
}

/// Scores a prediction against the gold.
pub fn score(gold: &[(String, String)], prediction: &[(String, Option<String>)]) -> Scores {
    let aligned = align(gold, prediction);
    let table = Contingency::new(gold, &aligned.labels);
    let bcubed = table.bcubed();
    let pairwise = table.pairwise();
    let info = table.information();
    let nonsingleton = table.psize.values().filter(|&&v| v > 1).count();
    Scores {
        n_docs: gold.len(),
        n_gold_clusters: table.gsize.len(),
        n_pred_clusters: table.psize.len(),
        n_pred_clusters_nonsingleton: nonsingleton,
        n_pred_singletons: table.psize.len() - nonsingleton,
        missing: aligned.missing,
        pred_noise: aligned.noise,
        extra: aligned.extra,
        duplicate: aligned.duplicate,
        bcubed_p: bcubed.precision,
        bcubed_r: bcubed.recall,
        bcubed_f1: bcubed.f1,
        pairwise_p: pairwise.precision,
        pairwise_r: pairwise.recall,
        pairwise_f1: pairwise.f1,
        ari: pairwise.ari,
        nmi: info.nmi,
        v_measure: info.v_measure,
        homogeneity: info.homogeneity,
        completeness: info.completeness,
    }
}

/// A gold document's predicted label: a cluster, or a singleton of its own for missing and
/// noise documents.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Label<'a> {
    Cluster(&'a str),
    Alone(usize),
}

/// The prediction read against the gold: each gold document's label, and the counts of
/// what did not line up.
struct Aligned<'a> {
    labels: Vec<Label<'a>>,
    missing: usize,
    noise: usize,
    extra: usize,
    duplicate: usize,
}

fn align<'a>(
    gold: &'a [(String, String)],
    prediction: &'a [(String, Option<String>)],
) -> Aligned<'a> {
    let gold_of: AHashMap<&str, &str> =
        gold.iter().map(|(i, g)| (i.as_str(), g.as_str())).collect();
    let mut pred: AHashMap<&str, Option<&str>> = AHashMap::new();
    let (mut extra, mut duplicate, mut noise, mut missing) = (0, 0, 0, 0);
    for (id, c) in prediction {
        if !gold_of.contains_key(id.as_str()) {
            extra += 1;
        } else if pred.contains_key(id.as_str()) {
            duplicate += 1;
        } else {
            pred.insert(id, c.as_deref());
        }
    }
    let mut labels = Vec::with_capacity(gold.len());
    for (k, (id, _)) in gold.iter().enumerate() {
        match pred.get(id.as_str()) {
            None => {
                missing += 1;
                labels.push(Label::Alone(k));
            }
            Some(Some(c)) if !NOISE.contains(&c.trim().to_lowercase().as_str()) => {
                labels.push(Label::Cluster(c))
            }
            Some(_) => {
                noise += 1;
                labels.push(Label::Alone(k));
            }
        }
    }
    Aligned {
        labels,
        missing,
        noise,
        extra,
        duplicate,
    }
}

/// Precision, recall and their harmonic mean.
struct Prf {
    precision: f64,
    recall: f64,
    f1: f64,
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

struct Pairwise {
    precision: f64,
    recall: f64,
    f1: f64,
    ari: f64,
}

struct Information {
    nmi: f64,
    homogeneity: f64,
    completeness: f64,
    v_measure: f64,
}

/// Gold and predicted cluster sizes and their overlaps. Ordered maps: the float sums must
/// not depend on a hash order.
struct Contingency<'a> {
    n: f64,
    gsize: BTreeMap<&'a str, usize>,
    psize: BTreeMap<Label<'a>, usize>,
    cont: BTreeMap<(&'a str, Label<'a>), usize>,
}

impl<'a> Contingency<'a> {
    fn new(gold: &'a [(String, String)], labels: &[Label<'a>]) -> Contingency<'a> {
        let mut gsize: BTreeMap<&str, usize> = BTreeMap::new();
        let mut psize: BTreeMap<Label, usize> = BTreeMap::new();
        let mut cont: BTreeMap<(&str, Label), usize> = BTreeMap::new();
        for (k, (_, g)) in gold.iter().enumerate() {
            *gsize.entry(g).or_insert(0) += 1;
            *psize.entry(labels[k]).or_insert(0) += 1;
            *cont.entry((g, labels[k])).or_insert(0) += 1;
        }
        Contingency {
            n: gold.len() as f64,
            gsize,
            psize,
            cont,
        }
    }

    fn bcubed(&self) -> Prf {
        let (cont, n) = (&self.cont, self.n);
        let precision = cont
            .iter()
            .map(|((_, p), &v)| (v * v) as f64 / self.psize[p] as f64)
            .sum::<f64>()
            / n;
        let recall = cont
            .iter()
            .map(|((g, _), &v)| (v * v) as f64 / self.gsize[g] as f64)
            .sum::<f64>()
            / n;
        Prf {
            precision,
            recall,
            f1: harmonic(precision, recall),
        }
    }

    fn pairwise(&self) -> Pairwise {
        let comb2 = |v: usize| (v * v.saturating_sub(1) / 2) as f64;
        let tp: f64 = self.cont.values().map(|&v| comb2(v)).sum();
        let pp: f64 = self.psize.values().map(|&v| comb2(v)).sum();
        let gp: f64 = self.gsize.values().map(|&v| comb2(v)).sum();
        let precision = if pp > 0.0 { tp / pp } else { 1.0 };
        let recall = if gp > 0.0 { tp / gp } else { 1.0 };
        let total = comb2(self.n as usize);
        let ari = if total == 0.0 {
            1.0
        } else {
            let expected = gp * pp / total;
            let max_index = 0.5 * (gp + pp);
            if max_index == expected {
                1.0
            } else {
                (tp - expected) / (max_index - expected)
            }
        };
        Pairwise {
            precision,
            recall,
            f1: harmonic(precision, recall),
            ari,
        }
    }

    fn information(&self) -> Information {
        let nf = self.n;
        let entropy = |counts: &mut dyn Iterator<Item = usize>| -> f64 {
            -counts
                .filter(|&c| c > 0)
                .map(|c| (c as f64 / nf) * (c as f64 / nf).ln())
                .sum::<f64>()
        };
        let hg = entropy(&mut self.gsize.values().copied());
        let hp = entropy(&mut self.psize.values().copied());
        let mi = self
            .cont
            .iter()
            .map(|((g, p), &v)| {
                (v as f64 / nf)
                    * ((v as f64 * nf) / (self.gsize[g] as f64 * self.psize[p] as f64)).ln()
            })
            .sum::<f64>()
            .max(0.0);
        let nmi = if hg == 0.0 && hp == 0.0 {
            1.0
        } else {
            mi / ((hg + hp) / 2.0)
        };
        let homogeneity = if hg == 0.0 { 1.0 } else { mi / hg };
        let completeness = if hp == 0.0 { 1.0 } else { mi / hp };
        Information {
            nmi,
            homogeneity,
            completeness,
            v_measure: harmonic(homogeneity, completeness),
        }
    }
}

impl Scores {
    /// A report in the reference scorer's layout.
    pub fn to_text(&self) -> String {
        format!(
            "docs                 {}\nclusters gold/pred   {} / {}  (pred non-singleton {}, singletons {})\nmissing from PRED    {}  (scored as singletons)   pred noise {}   extra ids {}   duplicate ids {}\nB-cubed   P {:.4}  R {:.4}  F1 {:.4}\npairwise  P {:.4}  R {:.4}  F1 {:.4}\nARI {:.4}   NMI {:.4}   V-measure {:.4}   (homogeneity {:.4}, completeness {:.4})\n",
            self.n_docs, self.n_gold_clusters, self.n_pred_clusters, self.n_pred_clusters_nonsingleton,
            self.n_pred_singletons, self.missing, self.pred_noise, self.extra, self.duplicate,
            self.bcubed_p, self.bcubed_r, self.bcubed_f1, self.pairwise_p, self.pairwise_r, self.pairwise_f1,
            self.ari, self.nmi, self.v_measure, self.homogeneity, self.completeness
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }
    fn p(pairs: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.map(str::to_string)))
            .collect()
    }

    #[test]
    fn perfect_and_trivial_clusterings() {
        let gold = g(&[("a", "1"), ("b", "1"), ("c", "2")]);
        let s = score(
            &gold,
            &p(&[("a", Some("x")), ("b", Some("x")), ("c", Some("y"))]),
        );
        assert_eq!(
            (s.bcubed_f1, s.pairwise_f1, s.ari, s.nmi),
            (1.0, 1.0, 1.0, 1.0)
        );
        // Everything apart: B-cubed precision 1, recall (1 + 1/2·2)/3 …
        let apart = score(
            &gold,
            &p(&[("a", Some("1")), ("b", Some("noise")), ("z", Some("1"))]),
        );
        assert_eq!((apart.missing, apart.pred_noise, apart.extra), (1, 1, 1));
        assert_eq!(apart.bcubed_p, 1.0);
        assert!((apart.bcubed_r - (0.5 + 0.5 + 1.0) / 3.0).abs() < 1e-12);
        assert_eq!(apart.pairwise_p, 1.0);
    }

    #[test]
    fn b_cubed_by_hand() {
        // gold {a,b,c} {d}; predicted {a,b} {c,d}
        let gold = g(&[("a", "1"), ("b", "1"), ("c", "1"), ("d", "2")]);
        let s = score(
            &gold,
            &p(&[
                ("a", Some("x")),
                ("b", Some("x")),
                ("c", Some("y")),
                ("d", Some("y")),
            ]),
        );
        let bp = (1.0 + 1.0 + 0.5 + 0.5) / 4.0;
        let br = (2.0 / 3.0 + 2.0 / 3.0 + 1.0 / 3.0 + 1.0) / 4.0;
        assert!((s.bcubed_p - bp).abs() < 1e-12 && (s.bcubed_r - br).abs() < 1e-12);
        assert!((s.pairwise_p - 0.5).abs() < 1e-12 && (s.pairwise_r - 1.0 / 3.0).abs() < 1e-12);
    }
}
