//! The rewrite relation: same story in other words, with its evidence.

use serde_json::Value;

use crate::util::{TestDir, neardup, pairs, scan_json};

const STORY: &str = "Anna Evstigneeva told the UN Security Council on Tuesday that about \
23,000 fighters of the Islamic State Khorasan (IS-K) were active in Kunduz and Badakhshan, \
according to Eurasia Review. \"The threat is growing every month,\" Evstigneeva said.";

const RETOLD: &str = "Russia's deputy envoy Evstigneeva warned the Security Council that \
Islamic State Khorasan, also known as ISIS-K, now counts 23,000 fighters across Kunduz and \
Badakhshan, Eurasia Review has reported. She said \"the threat is growing every month\".";

const SAME_TOPIC: &str = "Ambassador Linda Thomas-Greenfield told the UN Security Council on \
Friday that some 4,000 militants of al-Shabaab were operating near Mogadishu and Kismayo, \
Reuters reported. \"We must act,\" she said.";

fn three() -> TestDir {
    let dir = TestDir::new();
    dir.file("d/a.txt", STORY)
        .file("d/b.txt", RETOLD)
        .file("d/c.txt", SAME_TOPIC);
    dir
}

#[test]
fn same_story_is_a_rewrite_and_same_topic_is_not() {
    let r = scan_json(&three(), &["d"]);
    assert_eq!(
        pairs(&r),
        [("a.txt".into(), "b.txt".into(), "rewrite".into())]
    );
    let p = &r["pairs"][0];
    assert!(
        p["jaccard"].as_f64().unwrap() < 0.1,
        "not a shingle match: {p}"
    );
    let decision = &p["evidence"]["decision"];
    let probability = decision["probability"].as_f64().unwrap();
    assert!(probability >= r["params"]["rewrite_probability"].as_f64().unwrap());
    assert_eq!(p["score"].as_f64().unwrap(), probability);
    assert!(
        p["rewrite"].as_f64().unwrap() >= r["params"]["rewrite_min_similarity"].as_f64().unwrap()
    );
    assert_eq!(decision["similarity"], p["rewrite"]);
    assert_eq!(
        decision["days_apart"],
        Value::Null,
        "text files have no dates"
    );
    assert!(
        decision["specific"]["entities"].as_u64().unwrap() >= 2,
        "{decision}"
    );
}

#[test]
fn rewrite_evidence_names_what_is_shared() {
    let r = scan_json(&three(), &["d"]);
    let ev = &r["pairs"][0]["evidence"];
    let list = |k: &str| -> Vec<String> {
        ev[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        list("entities").iter().any(|e| e.contains("Evstigneeva")),
        "{ev}"
    );
    assert!(
        list("entities")
            .iter()
            .any(|e| e == "Islamic State Khorasan"),
        "{ev}"
    );
    assert!(
        list("numbers")
            .iter()
            .any(|n| n.contains("23,000 fighters")),
        "{ev}"
    );
    assert!(
        list("quotes")
            .iter()
            .any(|q| q.to_lowercase().contains("threat is growing every month")),
        "{ev}"
    );
    assert_eq!(list("cited_sources"), ["Eurasia Review"]);
    // Sentence pairs at byte offsets into both originals.
    let passages = r["pairs"][0]["passages"].as_array().unwrap();
    assert!(!passages.is_empty());
    for p in passages {
        assert_eq!(p["kind"], "paraphrase");
        let range = |k: &str| {
            let v = p[k].as_array().unwrap();
            v[0].as_u64().unwrap() as usize..v[1].as_u64().unwrap() as usize
        };
        assert_eq!(p["text"].as_str().unwrap(), &STORY[range("a")]);
        assert_eq!(p["b_text"].as_str().unwrap(), &RETOLD[range("b")]);
    }
}

#[test]
fn documents_citing_one_outlet_are_grouped_under_it() {
    let r = scan_json(&three(), &["d"]);
    let cited = r["cited_sources"].as_array().unwrap();
    let eurasia = cited
        .iter()
        .find(|c| c["name"] == "Eurasia Review")
        .expect("grouped");
    assert_eq!(eurasia["documents"], serde_json::json!(["a.txt", "b.txt"]));
    assert!(
        cited
            .iter()
            .any(|c| c["name"] == "Reuters" && c["documents"] == serde_json::json!(["c.txt"]))
    );
    let out = neardup()
        .current_dir(three().path())
        .args(["scan", "d"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("CITED SOURCES"), "{text}");
    assert!(text.contains("Eurasia Review (2 documents)"), "{text}");
}

#[test]
fn sample_corpus_pairs_are_ranked_not_all_equal() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let out = neardup()
        .args(["scan", corpus, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let figure = |name: &str| -> Vec<f64> {
        r["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[name].as_f64().unwrap())
            .collect()
    };
    let scores = figure("score");
    assert!(
        scores.len() >= 3,
        "the articles retell shared reports: {scores:?}"
    );
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked: {scores:?}"
    );
    // All five tell one story, so every probability is high; the similarities still tell
    // the closer retellings from the looser ones.
    let similarities = figure("rewrite");
    let (lo, hi) = similarities
        .iter()
        .fold((1.0f64, 0.0f64), |(lo, hi), &s| (lo.min(s), hi.max(s)));
    assert!(hi - lo > 0.05, "not all equally related: {similarities:?}");
    for p in r["pairs"].as_array().unwrap() {
        let ev = &p["evidence"];
        assert!(
            !ev["entities"].as_array().unwrap().is_empty(),
            "every pair says why: {p}"
        );
    }
}

#[test]
fn rewrite_probability_and_floor_are_flags() {
    let r = scan_json(&three(), &["d", "--rewrite-min-similarity", "0.9"]);
    assert!(pairs(&r).is_empty());
    assert_eq!(r["params"]["rewrite_min_similarity"], 0.9);
    // Every pair above the floor, whatever its probability.
    let r = scan_json(
        &three(),
        &[
            "d",
            "--rewrite-probability",
            "1e-9",
            "--rewrite-min-similarity",
            "0",
        ],
    );
    assert_eq!(pairs(&r).len(), 3);
    let p = |a: &str, b: &str| {
        r["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["a"] == a && p["b"] == b)
            .unwrap()["score"]
            .as_f64()
            .unwrap()
    };
    assert!(
        p("a.txt", "b.txt") > 0.9 && p("b.txt", "c.txt") < 0.4,
        "{r}"
    );
    let out = crate::util::output_of(&three(), &["scan", "d", "--rewrite-probability", "1.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rewrite-probability"));
}

#[test]
fn cited_source_flag_answers_who_echoes_an_outlet() {
    let r = scan_json(&three(), &["d", "--cited-source", "eurasia  review"]);
    assert_eq!(r["cited_sources"].as_array().unwrap().len(), 1);
    assert_eq!(
        r["cited_sources"][0]["documents"],
        serde_json::json!(["a.txt", "b.txt"])
    );
    assert_eq!(
        pairs(&r),
        [("a.txt".into(), "b.txt".into(), "rewrite".into())]
    );
    let r = scan_json(&three(), &["d", "--cited-source", "Reuters"]);
    assert!(
        pairs(&r).is_empty(),
        "c.txt cites Reuters and repeats nothing"
    );
}

#[test]
fn a_story_retold_by_hundreds_is_one_cluster_at_linear_cost() {
    use crate::synth::Synth;
    use serde_json::json;
    let mut synth = Synth::new(16, 2_000);
    let story = synth.doc(300);
    let family = 500;
    let mut records: Vec<Value> = (0..family)
        .map(|i| json!({"id": format!("f{i:03}"), "text": synth.rewrite(&story)}))
        .collect();
    // Other stories, with names of their own, nine times as many: where one story is half of
    // the batch, its names are what chance gives two documents of it (docs/EVALUATION.md).
    let mut other = Synth::new(17, 2_000);
    records.extend((0..4_500).map(|i| json!({"id": format!("o{i:04}"), "text": other.doc(300)})));
    let dir = TestDir::new();
    dir.jsonl("batch.jsonl", &records);
    let r = scan_json(&dir, &["batch.jsonl"]);
    let clusters = r["clusters"].as_array().unwrap();
    let members = |c: &Value| -> Vec<String> {
        c["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_string())
            .collect()
    };
    let with_family: Vec<Vec<String>> = clusters
        .iter()
        .map(members)
        .filter(|m| m.iter().any(|id| id.starts_with('f')))
        .collect();
    assert_eq!(
        with_family.len(),
        1,
        "the retellings in {} clusters",
        with_family.len()
    );
    let cluster = &with_family[0];
    // A retelling may keep too few of the story's names to be told from chance; one in a
    // hundred may be missed, none may be elsewhere.
    let found = cluster.iter().filter(|id| id.starts_with('f')).count();
    assert!(found >= family * 99 / 100, "{found} of {family}");
    assert!(cluster.iter().all(|id| id.starts_with('f')), "{cluster:?}");
    // Linked through each pair of names' first holders, not every pair listed (124,750).
    let within = pairs(&r)
        .iter()
        .filter(|(a, b, _)| a.starts_with('f') && b.starts_with('f'))
        .count();
    assert!(within < 40 * family, "{within} pairs");
}
