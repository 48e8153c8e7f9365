//! Nothing is quoted from the documentation that the page does not say: every description in
//! the embedded schema, every "documented as" in a report and every quotation that a rule
//! attributes to the documentation appears in the page's text, word for word.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The page's text with every run of whitespace as one space, as a quotation joins its lines.
fn page() -> String {
    let text = std::fs::read_to_string(root().join("tests/data/documentation/get-profile.txt"))
        .expect("the copy of the documentation page");
    collapse(&text)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `quote` is in the page. A quotation may start a sentence in lower case, and `...`
/// marks words left out.
fn quoted(page: &str, quote: &str) -> bool {
    let page = page.to_lowercase();
    quote.split("...").map(|part| collapse(part).to_lowercase()).all(|part| page.contains(&part))
}

fn descriptions<'a>(schema: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match schema {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(d)) = map.get("description") {
                out.push(d);
            }
            map.values().for_each(|v| descriptions(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| descriptions(v, out)),
        _ => {}
    }
}

#[test]
fn every_description_of_the_schema_is_the_page_s_own_text() {
    let page = page();
    let schema: serde_json::Value =
        serde_json::from_str(profile_lint::schema::EMBEDDED).expect("the embedded schema");
    let mut found = Vec::new();
    descriptions(&schema, &mut found);
    assert!(found.len() >= 20, "{} descriptions", found.len());
    let invented: Vec<&&str> = found.iter().filter(|d| !page.contains(&collapse(d))).collect();
    assert!(invented.is_empty(), "not on the page: {invented:#?}");
}

#[test]
fn every_documented_as_in_the_reports_is_on_the_page() {
    let page = page();
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("tests/it/snapshots")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // The JSON snapshots hold each help text whole, unwrapped.
        for line in text.lines().filter(|l| l.trim_start().starts_with("\"help\": \"")) {
            let value = line.trim().trim_start_matches("\"help\": ").trim_end_matches(',');
            let help: String = serde_json::from_str(value).unwrap();
            if let Some((_, quote)) = help.split_once("documented as: ") {
                checked += 1;
                assert!(page.contains(&collapse(quote)), "{}: {quote:?}", path.display());
            }
        }
    }
    assert!(checked >= 20, "{checked} quotes checked");
}

#[test]
fn every_quotation_a_rule_attributes_to_the_documentation_is_on_the_page() {
    let page = page();
    let mut checked = 0;
    let rules = root().join("src/rules");
    let docs = std::fs::read_dir(rules.join("docs")).unwrap();
    for entry in std::fs::read_dir(&rules).unwrap().chain(docs) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for quote in claimed_quotations(&source) {
            checked += 1;
            assert!(quoted(&page, &quote), "{}: {quote:?} is not on the page", path.display());
        }
    }
    assert!(checked >= 9, "{checked} quotations checked");
}

/// The quotations in `source` that follow "the documentation says" (gives, describes, calls)
/// on the same line: `says ids are "a unique Base58 value"`, written plainly or escaped.
fn claimed_quotations(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in source.lines() {
        for verb in ["says", "gives", "describes", "calls"] {
            let Some((_, after)) = line.split_once(&format!("documentation {verb}")) else {
                continue;
            };
            let after = after.replace("\\\"", "\"");
            if let Some((_, rest)) = after.split_once('"')
                && let Some((quote, _)) = rest.split_once('"')
            {
                out.push(quote.to_owned());
            }
        }
    }
    out
}

/// The check above can fail: a quotation the page does not hold is caught.
#[test]
fn an_invented_quotation_is_caught() {
    let page = page();
    assert!(quoted(&page, "a unique Base58 value"));
    assert!(quoted(&page, "a unique ... value identifying this object"));
    assert!(!quoted(&page, "Whether the user has multi-factor authentication enabled"));
    assert!(!quoted(&page, "Date and time of user's first login."), "the page has no full stop");
}
