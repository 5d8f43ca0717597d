//! Page furniture: a site's chrome is not reuse, and unrelated documents change no decision.

use serde_json::{Value, json};

use crate::util::{TestDir, pairs, scan_json, words};

/// Forty-odd words of a site's chrome, on lines of their own, as a crawl keeps them.
const CHROME: &str = "Close Get email notifications on this reporter daily!\n\
Your notification has been saved.\n\
There was a problem saving your notification.\n\
Email notifications are only sent once a day, and only if there are new matching items.\n\
By submitting your registration information, you agree to our Terms of Service and Privacy Policy.\n\
Anyone with information is asked to call Crime Stoppers at 555-1234.";

/// A page of `source`: its own story of 80 distinct words, then the chrome.
fn page(id: &str, source: &str, story: usize) -> Value {
    json!({
        "id": id,
        "source": source,
        "text": format!("{}.\n{CHROME}", words(story * 1000, 80)),
    })
}

#[test]
fn a_sources_chrome_is_not_overlap_and_is_listed() {
    let dir = TestDir::new();
    let pages: Vec<Value> = (0..3)
        .map(|i| page(&format!("p{i}"), "wsite.example", i))
        .collect();
    dir.jsonl("crawl.jsonl", &pages);
    let r = scan_json(&dir, &["crawl.jsonl"]);
    assert!(
        pairs(&r).is_empty(),
        "chrome alone is no relation: {}",
        r["pairs"]
    );
    assert_eq!(r["stats"]["boilerplate_documents"], 3);
    assert_eq!(r["stats"]["boilerplate_lines"], 6);
    let text = pages[0]["text"].as_str().unwrap();
    let furniture = r["documents"][0]["boilerplate"].as_array().unwrap();
    assert_eq!(furniture.len(), 6);
    let [s, e] = [0, 1].map(|k| furniture[0][k].as_u64().unwrap() as usize);
    assert_eq!(
        &text[s..e],
        "Close Get email notifications on this reporter daily"
    );
    // The same pages from three outlets: each holds the chrome once, so it is text they share.
    let dir = TestDir::new();
    let spread: Vec<Value> = (0..3)
        .map(|i| page(&format!("p{i}"), &format!("outlet{i}.example"), i))
        .collect();
    dir.jsonl("crawl.jsonl", &spread);
    let r = scan_json(&dir, &["crawl.jsonl"]);
    assert_eq!(pairs(&r).len(), 3, "{}", r["pairs"]);
    assert!(pairs(&r).iter().all(|p| p.2 == "overlap"));
    assert!(r["documents"][0].get("boilerplate").is_none());
}

#[test]
fn copies_at_three_addresses_of_one_site_stay_near_duplicates() {
    let dir = TestDir::new();
    let story = words(0, 120);
    let copies: Vec<Value> = (0..3)
        .map(|i| {
            json!({
                "id": format!("c{i}"),
                "url": format!("https://www.site.example/story?version={i}"),
                "text": format!("{story} w{}\n{CHROME}", 90_000 + i),
            })
        })
        .collect();
    dir.jsonl("copies.jsonl", &copies);
    let r = scan_json(&dir, &["copies.jsonl"]);
    assert_eq!(pairs(&r).len(), 3, "{}", r["pairs"]);
    assert!(
        pairs(&r).iter().all(|p| p.2 == "near-duplicate"),
        "{}",
        r["pairs"]
    );
}

#[test]
fn unrelated_documents_change_no_rewrite_decision() {
    let story = "Anna Evstigneeva told the UN Security Council on Tuesday that about 23,000 \
fighters of the Islamic State Khorasan were active in Kunduz and Badakhshan, according to \
Eurasia Review.";
    let retold = "Russia's deputy envoy Evstigneeva warned the Security Council that Islamic \
State Khorasan now counts 23,000 fighters across Kunduz and Badakhshan, Eurasia Review reported.";
    let pair = [
        json!({"id": "a", "text": story, "date": "2021-10-05"}),
        json!({"id": "b", "text": retold, "date": "2021-10-06"}),
    ];
    let decision = |extra: usize| {
        let dir = TestDir::new();
        let mut records = pair.to_vec();
        records.extend(
            (0..extra)
                .map(|i| json!({"id": format!("x{i}"), "text": words(10_000 + 200 * i, 150)})),
        );
        dir.jsonl("batch.jsonl", &records);
        let r = scan_json(&dir, &["batch.jsonl"]);
        assert_eq!(pairs(&r), [("a".into(), "b".into(), "rewrite".into())]);
        r["pairs"][0]["evidence"]["decision"].clone()
    };
    let alone = decision(0);
    assert_eq!(alone["days_apart"], 1);
    assert_eq!(decision(60), alone);
}
