//! The module layers the README draws are the code's: a module uses only modules of
//! earlier layers (`crate::x` paths), so there is no cycle, and every module is placed. And
//! functions stay short enough to read at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The layers as the README lists them, the foundation first: `1. `a`, `b`: what they hold`.
fn layers() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let (_, after) = readme.split_once("<!-- layers -->").expect("the layers in the README");
    let (list, _) = after.split_once("<!-- /layers -->").unwrap();
    let mut layers = Vec::new();
    for line in
        list.lines().filter(|l| l.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok()))
    {
        let (_, rest) = line.split_once(". ").unwrap();
        let names = rest.split(':').next().unwrap();
        layers.push(names.split(", ").map(|n| n.trim_matches('`').to_owned()).collect());
    }
    layers
}

/// The top-level module each file of `src/` belongs to (`src/json/parse.rs` is `json`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(root().join("src")).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_owned()
}

/// The modules a text names as `crate::x`, or `crate::{x, y}`; items the library root
/// re-exports are counted as the module that defines them.
fn uses(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let defined_in = |item: &str| match item {
        "Code" | "Diagnostic" | "Severity" | "Span" => Some("diagnostic"),
        "FileReport" => Some("report"),
        "Source" => Some("source"),
        "Exchange" => Some("exchange"),
        _ if item.starts_with(char::is_uppercase) || item == "schema_version" => Some("lib"),
        _ => None,
    };
    let mut found = BTreeSet::new();
    // Tests inside a module may use anything.
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
    for (_, after) in code.match_indices("crate::").map(|(i, _)| ((), &code[i + 7..])) {
        let names: Vec<&str> = match after.strip_prefix('{') {
            Some(group) => group.split('}').next().unwrap().split(',').collect(),
            None => vec![after],
        };
        for name in names {
            let name: String =
                name.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if modules.contains(&name) {
                found.insert(name);
            } else if let Some(module) = defined_in(&name) {
                found.insert(module.to_owned());
            }
        }
    }
    found
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn each_module_uses_only_the_layers_above_it() {
    let layers = layers();
    let layer_of: BTreeMap<String, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, names)| names.iter().map(move |n| (n.clone(), i)))
        .collect();
    let mut paths = Vec::new();
    files(&root().join("src"), &mut paths);
    let modules: BTreeSet<String> =
        paths.iter().map(|p| module_of(p)).filter(|m| m != "main").collect();
    let unplaced: Vec<&String> = modules.iter().filter(|m| !layer_of.contains_key(*m)).collect();
    assert!(unplaced.is_empty(), "modules the README does not place: {unplaced:?}");
    let mut wrong = Vec::new();
    for path in &paths {
        let module = module_of(path);
        let Some(&mine) = layer_of.get(&module) else { continue };
        let text = std::fs::read_to_string(path).unwrap();
        for used in uses(&text, &modules) {
            if used != module && layer_of[&used] >= mine {
                wrong.push(format!("{} uses {used}", path.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "a module uses one of its own layer or below:\n{}", wrong.join("\n"));
}

/// The check can fail: a use of a lower layer is found.
#[test]
fn a_use_of_a_lower_layer_is_found() {
    let modules: BTreeSet<String> = ["lint", "rules"].map(String::from).into();
    let found = uses("use crate::{lint::Exchange, Code};\nfn f() { crate::rules::x() }", &modules);
    assert_eq!(found, ["diagnostic", "lint", "rules"].map(String::from).into());
}

/// The longest a function of `src/` may be, from its `fn` line to its closing brace.
const MAX_FUNCTION_LINES: usize = 80;

/// Each function of a text (formatted by rustfmt) with its name and length in lines: from its
/// `fn` line to the first line that closes it at its own indentation.
fn function_lengths(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let mut rest = code;
        for qualifier in ["pub(crate) ", "pub(super) ", "pub ", "const ", "async ", "unsafe "] {
            rest = rest.strip_prefix(qualifier).unwrap_or(rest);
        }
        let Some(signature) = rest.strip_prefix("fn ") else { continue };
        let name: String =
            signature.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if code.ends_with(';') {
            continue; // a declaration without a body
        }
        let closing = format!("{indent}}}");
        let end = if code.ends_with('}') && !code.ends_with(" {}") && code.contains('{') {
            i
        } else {
            (i..lines.len()).find(|&j| lines[j] == closing).unwrap_or(i)
        };
        found.push((name, i + 1, end - i + 1));
    }
    found
}

#[test]
fn no_function_is_longer_than_eighty_lines() {
    let mut paths = Vec::new();
    files(&root().join("src"), &mut paths);
    let mut long = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        for (name, line, length) in function_lengths(&text) {
            if length > MAX_FUNCTION_LINES {
                let file = path.strip_prefix(root()).unwrap().display().to_string();
                long.push(format!("{file}:{line}: `{name}` is {length} lines"));
            }
        }
    }
    assert!(long.is_empty(), "functions over {MAX_FUNCTION_LINES} lines:\n{}", long.join("\n"));
}

/// The count can fail: a long function is measured from `fn` to its closing brace.
#[test]
fn a_long_function_is_measured() {
    let body = "        x();\n".repeat(90);
    let text =
        format!("impl A {{\n    pub fn long(&self) {{\n{body}    }}\n\n    fn short() {{}}\n}}\n");
    let lengths = function_lengths(&text);
    assert_eq!(lengths[0], ("long".to_owned(), 2, 92));
    assert_eq!(lengths[1].0, "short");
    assert_eq!(lengths[1].2, 1);
}
