//! Output formats and `--output`.

use serde_json::Value;

use crate::util::{TestDir, neardup, output_of, words};

fn two_pairs() -> TestDir {
    let dir = TestDir::new();
    let base = words(0, 200);
    dir.file("a.txt", &base)
        .file("b.txt", &base)
        .file("c.txt", base.replace("w100 ", "x "))
        .file("z.txt", words(900, 100));
    dir
}

fn run(dir: &TestDir, format: &str) -> String {
    let out = output_of(dir, &["scan", ".", "--format", format]);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn jsonl_is_one_pair_record_per_line_like_json() {
    let dir = two_pairs();
    let json: Value = serde_json::from_str(&run(&dir, "json")).unwrap();
    let lines: Vec<Value> = run(&dir, "jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(Value::Array(lines), json["pairs"]);
    // The contract's keys are all present.
    for key in [
        "version",
        "params",
        "documents",
        "pairs",
        "clusters",
        "stats",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    let p = &json["pairs"][1];
    for key in [
        "a",
        "b",
        "relation",
        "score",
        "jaccard",
        "containment",
        "evidence",
        "passages",
    ] {
        assert!(p.get(key).is_some(), "{key}");
    }
}

#[test]
fn csv_has_a_header_and_a_row_per_pair() {
    let csv = run(&two_pairs(), "csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[0].starts_with("a,b,relation,score,jaccard,containment_a,containment_b"));
    assert!(rows[1].starts_with("a.txt,b.txt,duplicate,1,1,1,1,"));
}

#[test]
fn text_ranks_pairs_then_clusters_within_80_columns() {
    let text = run(&two_pairs(), "text");
    assert!(text.contains("PAIRS, strongest first"));
    assert!(text.contains("CLUSTERS"));
    let dup = text.find("duplicate").unwrap();
    let near = text.find("near-duplicate").unwrap();
    assert!(dup < near, "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
}

/// Every shared sentence and every name is shown whole, wrapped at `COLUMNS`, and the table says
/// what its columns mean.
#[test]
fn text_wraps_at_columns_instead_of_cutting() {
    let dir = TestDir::new();
    let story = "Anna Evstigneeva told the UN Security Council on Tuesday that about 23,000 \
                 fighters of the Islamic State Khorasan were active in the provinces of Kunduz \
                 and Badakhshan, a figure the council had not heard before this week.";
    let retold = "About 23,000 Islamic State Khorasan fighters are active in Kunduz and \
                  Badakhshan, Anna Evstigneeva told the UN Security Council on Tuesday, a \
                  figure the council had not heard before this week.";
    // A title line each: a text file's first line is its title, cut at 160 characters.
    dir.file("a.txt", format!("Council told of fighters\n{story}"))
        .file("b.txt", format!("Fighters in the north\n{retold}"));
    for columns in ["60", "120"] {
        let out = neardup()
            .current_dir(dir.path())
            .env("COLUMNS", columns)
            .args(["scan", "."])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let width: usize = columns.parse().unwrap();
        assert!(text.lines().all(|l| l.chars().count() <= width), "{text}");
        assert!(!text.contains('…'), "nothing cut: {text}");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("names: Anna Evstigneeva;"), "{flat}");
        assert!(flat.contains("23,000 fighters"), "{flat}");
        assert!(
            flat.contains("a in b: the share of a's 5-grams found in b"),
            "{flat}"
        );
    }
}

#[test]
fn output_file_is_written_whole() {
    let dir = two_pairs();
    neardup()
        .current_dir(dir.path())
        .args([
            "scan",
            "a.txt",
            "b.txt",
            "--format",
            "json",
            "--output",
            "out/report.json",
        ])
        .assert()
        .code(2); // the folder does not exist: an error, and nothing is left behind
    std::fs::create_dir(dir.join("out")).unwrap();
    neardup()
        .current_dir(dir.path())
        .args([
            "scan",
            "a.txt",
            "b.txt",
            "--format",
            "json",
            "--output",
            "out/report.json",
        ])
        .assert()
        .success()
        .stdout("");
    let r: Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/report.json")).unwrap()).unwrap();
    assert_eq!(r["pairs"][0]["relation"], "duplicate");
    let leftovers = std::fs::read_dir(dir.join("out")).unwrap().count();
    assert_eq!(leftovers, 1, "no temp file remains");
}

#[test]
fn html_is_self_contained_and_escapes_every_document() {
    let dir = TestDir::new();
    let hostile = "<script>alert(1)</script> </textarea> &amp; \u{202E}x </script><!-- "
        .to_string()
        + &words(0, 60);
    dir.file("h/a.txt", &hostile).file("h/b.txt", &hostile);
    let out = output_of(&dir, &["scan", "h", "--format", "html"]);
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    // Only the page's own two script elements; no document text can open or close one.
    assert_eq!(html.matches("<script").count(), 2);
    assert_eq!(html.matches("</script").count(), 2);
    assert!(!html.contains("<!-- "), "document text is escaped");
    assert!(
        html.contains("\\u003cscript>alert(1)"),
        "the text is in the data, escaped"
    );
    // Nothing is fetched: no external script, style, font or image.
    for needle in ["src=\"http", "href=\"http", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
}
