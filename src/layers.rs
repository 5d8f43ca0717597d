//! The library's modules in layers, bottom first: a module uses only modules of lower layers,
//! so that every dependency points down the pipeline and a change to a stage touches nothing
//! below it. The test reads the sources and fails on a `crate::` path that points up or
//! sideways (test modules aside), and on a module missing from the list.

/// Layers from the bottom: the vocabulary and hashing, then reading, features, candidates and
/// verification, clustering and the index, the pipeline that composes them, and the report.
const LAYERS: &[&[&str]] = &[
    &["error", "hash", "progress", "relation"],
    &["normalize", "sketch"],
    &["params"],
    &["document"],
    &["read", "features"],
    &["align", "candidates"],
    &["rewrite"],
    &["verify"],
    &["cluster", "index"],
    &["pipeline"],
    &["report"],
];

#[cfg(test)]
mod tests {
    use super::LAYERS;
    use std::collections::BTreeMap;
    use std::path::Path;

    fn layer(module: &str) -> Option<usize> {
        LAYERS.iter().position(|l| l.contains(&module))
    }

    /// The modules a source names through `crate::` paths, outside comments and its tests.
    fn uses(source: &str) -> Vec<String> {
        let code = source
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        let mut out = Vec::new();
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or_default();
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let names: Vec<&str> = match rest.strip_prefix('{') {
                    // `crate::{a::X, b}`: one line is enough for every group in this crate.
                    Some(group) => group
                        .split('}')
                        .next()
                        .unwrap_or_default()
                        .split(',')
                        .collect(),
                    None => vec![rest],
                };
                for name in names {
                    let name: String = name
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            }
        }
        out
    }

    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }

    #[test]
    fn dependencies_point_down_the_layers() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        walk(&src, &mut files);
        let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for file in files {
            let rel = file.strip_prefix(&src).unwrap();
            let top = rel.iter().next().unwrap().to_string_lossy();
            let top = top.trim_end_matches(".rs").to_string();
            // The binary's modules, the crate root and this file sit above every layer.
            if ["cli", "main", "lib", "layers"].contains(&top.as_str()) {
                continue;
            }
            let Some(at) = layer(&top) else {
                panic!("{top} (src/{}) is in no layer of LAYERS", rel.display());
            };
            for used in uses(&std::fs::read_to_string(&file).unwrap()) {
                if used == top {
                    continue;
                }
                match layer(&used) {
                    Some(l) if l < at => {}
                    _ => wrong
                        .entry(format!("src/{}", rel.display()))
                        .or_default()
                        .push(used),
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "dependencies that do not point down (see src/layers.rs): {wrong:?}"
        );
    }

    #[test]
    fn uses_are_read_from_paths_and_groups() {
        let source = "use crate::a::B;\nuse crate::{c::D, e};\n// crate::f\nlet x = crate::g::h();\n\
                      #[cfg(test)]\nmod tests {\n use crate::z;\n}";
        assert_eq!(uses(source), ["a", "c", "e", "g"]);
    }
}
