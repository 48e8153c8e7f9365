//! `--openapi`: the contract read from an OpenAPI document. Every exchange of a recording is
//! checked against the operation that documents it (method and path below the servers' base
//! path, then status, then media type), with the codes O001-O005 for what the document does not
//! say and the S codes for what its schemas forbid; a document that cannot be used is I006.
//!
//! The documents and captures are in `tests/data/openapi/`: `targets-api.yaml` (OpenAPI 3.0,
//! a fictional API of scan targets; `targets-api.json` is the same document as JSON) and
//! `targets-recording.har`, a browser's recording of it; `notes-api.yaml` (3.1, a server
//! without a host) and `notes-recording.har`; `draft-07-api.yaml` (3.1 with another
//! `jsonSchemaDialect`); `broken/`, a document broken in each way; and `captures/`, bodies and
//! `curl -i` dumps that do not record their request.
//!

use std::path::Path;
use std::process::Output;

use serde_json::Value as Json;

use crate::common::{profile_lint, run};

const TARGETS: &str = "tests/data/openapi/targets-api.yaml";
const TARGETS_JSON: &str = "tests/data/openapi/targets-api.json";
const RECORDING: &str = "tests/data/openapi/targets-recording.har";
const NOTES: &str = "tests/data/openapi/notes-api.yaml";
const NOTES_RECORDING: &str = "tests/data/openapi/notes-recording.har";

fn json(output: &Output) -> Json {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("stdout is one JSON document ({e}): {}", String::from_utf8_lossy(&output.stdout))
    })
}

/// The JSON report of `args`, with its exit status.
fn checked(args: &[&str]) -> (Option<i32>, Json) {
    let output = run(&[args, &["--format", "json"]].concat());
    let mut report = json(&output);
    // Each file by its title, as the human report names it: its path, then the operation that
    // documents it (the JSON report gives the two apart).
    for file in report["files"].as_array_mut().into_iter().flatten() {
        if let Some(operation) = file.get("operation").and_then(Json::as_str).map(str::to_owned) {
            let path = file["path"].as_str().unwrap_or_default().to_owned();
            file["path"] = Json::from(format!("{path} {operation}"));
        }
    }
    (output.status.code(), report)
}

/// The report of the targets recording, checked against the targets API (YAML).
fn recording() -> Json {
    let (status, report) = checked(&["--openapi", TARGETS, RECORDING]);
    assert_eq!(status, Some(1), "the recording has errors: {report}");
    report
}

fn files(report: &Json) -> &[Json] {
    report["files"].as_array().unwrap()
}

/// The report of HAR entry `i` of `har`, whatever operation its name ends with.
fn entry<'a>(report: &'a Json, har: &str, i: usize) -> &'a Json {
    let name = format!("{har}#entries[{i}]");
    files(report)
        .iter()
        .find(|f| {
            let path = f["path"].as_str().unwrap();
            path == name || path.starts_with(&format!("{name} "))
        })
        .unwrap_or_else(|| panic!("{name} is reported: {report}"))
}

fn diagnostics(file: &Json) -> &[Json] {
    file["diagnostics"].as_array().unwrap()
}

fn codes(file: &Json) -> Vec<&str> {
    diagnostics(file).iter().map(|d| d["code"].as_str().unwrap()).collect()
}

/// The findings of `file` as (code, pointer), in order.
fn findings(file: &Json) -> Vec<(&str, &str)> {
    diagnostics(file)
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["pointer"].as_str().unwrap_or("-")))
        .collect()
}

fn line_column(d: &Json) -> (u64, u64) {
    (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
}

/// Asserts that `expected` is written in the file at `relative` from (`line`, `column`), both
/// counted from 1 (columns in characters): what a finding's place shows.
fn assert_written(relative: &str, (line, column): (u64, u64), expected: &str) {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap();
    let written: String = text
        .lines()
        .nth(line as usize - 1)
        .unwrap()
        .chars()
        .skip(column as usize - 1)
        .take(expected.chars().count())
        .collect();
    assert_eq!(written, expected, "at {relative}:{line}:{column}");
}

/// The JSON Schema `profile-lint schema` prints for `args`.
fn printed_schema(args: &[&str]) -> Json {
    let output = run(&[&["schema"], args].concat());
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    json(&output)
}

// Which operation documents an entry.

#[test]
fn entries_of_the_api_are_reported_under_their_operation_and_the_others_skipped() {
    let report = recording();
    let names: Vec<&str> = files(&report).iter().map(|f| f["path"].as_str().unwrap()).collect();
    let expected = [
        "#entries[1] GET /targets/mine/",
        "#entries[3] GET /targets/{target_id}/",
        "#entries[4] GET /targets/{target_id}/",
        "#entries[5]",
        "#entries[6] GET /targets/mine/",
        "#entries[7] GET /targets/{target_id}/",
        "#entries[8] GET /targets/{target_id}/",
        "#entries[9] GET /targets/{target_id}/findings/{finding_id}/",
        "#entries[10] GET /targets/{target_id}/folders/",
        "#entries[11] DELETE /targets/{target_id}/",
        "#entries[13] GET /targets/",
        "#entries[14] GET /targets/{target_id}/",
    ]
    .map(|e| format!("{RECORDING}{e}"));
    assert_eq!(
        names, expected,
        "entries[0] (the app's page), [2] (a CORS preflight) and [12] (another host, with the \
         same path) are not the API's; entries[5] has no operation, so no name to add"
    );
    let summary = &report["summary"];
    assert_eq!(summary["responses"], 12);
    assert_eq!(summary["skipped"]["other_requests"], 3, "skipped silently, but counted");
    // 17 errors: entry 7, a 404, is checked against its problem+json schema too.
    assert_eq!((summary["errors"].as_u64(), summary["warnings"].as_u64()), (Some(17), Some(4)));
}

#[test]
fn a_written_out_segment_wins_over_a_template() {
    // Below /v1, the base path of `https://api.example.com/{version}` at its default.
    let report = recording();
    for (i, operation) in [
        (1, "GET /targets/mine/"),
        (3, "GET /targets/{target_id}/"),
        (11, "DELETE /targets/{target_id}/"),
    ] {
        let name = entry(&report, RECORDING, i)["path"].as_str().unwrap();
        assert!(name.ends_with(operation), "{name}");
    }
    let findings = entry(&report, RECORDING, 9)["path"].as_str().unwrap();
    assert!(findings.ends_with(" GET /targets/{target_id}/findings/{finding_id}/"), "{findings}");
}

#[test]
fn an_entry_of_the_api_without_an_operation_is_o001_at_its_url() {
    let report = recording();
    let file = entry(&report, RECORDING, 5);
    assert_eq!(codes(file), ["O001"]);
    let d = &diagnostics(file)[0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        d["message"],
        format!("no operation of {TARGETS} documents GET /targets/3k9cS2cD7T1e/scans/")
    );
    assert_eq!(line_column(d), (346, 18));
    assert_written(
        RECORDING,
        line_column(d),
        "\"https://api.example.com/v1/targets/3k9cS2cD7T1e/scans/\"",
    );
}

#[test]
fn the_recording_as_a_person_reads_it() {
    let output = run(&["--openapi", TARGETS, RECORDING]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("targets_recording_human", String::from_utf8(output.stdout).unwrap());
}

// Status and media type.

#[test]
fn a_status_is_matched_exactly_then_by_range_then_by_default() {
    let report = recording();
    // 203 is documented by getTarget's `2XX`; 500 by listTargets' `default`; 204 by deleteTarget.
    for i in [14, 13, 11] {
        assert_eq!(codes(entry(&report, RECORDING, i)), Vec::<&str>::new(), "entries[{i}]");
    }
    // GET /targets/mine/ documents 200 only, and no default.
    let forbidden = entry(&report, RECORDING, 6);
    assert_eq!(codes(forbidden), ["O002"], "the body is not checked");
    let d = &diagnostics(forbidden)[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "status 403 is not a documented response of GET /targets/mine/");
    assert_eq!(d["help"], "GET /targets/mine/ documents `200`; the body is not checked");
    assert_eq!(line_column(d), (428, 21));
    assert_written(RECORDING, line_column(d), "403");
}

#[test]
fn a_media_type_is_matched_with_its_parameters_then_without() {
    let report = recording();
    // `application/json; charset=utf-8` is the documented `application/json`: its body is checked.
    assert_eq!(codes(entry(&report, RECORDING, 3)), ["O004", "O005", "O004"]);
    // A login page served instead of the target: not a documented media type.
    let html = entry(&report, RECORDING, 8);
    assert_eq!(codes(html), ["O003"], "the body is not checked");
    let d = &diagnostics(html)[0];
    assert_eq!(
        d["message"],
        "the Content-Type \"text/html\" is not documented for GET /targets/{target_id}/"
    );
    assert_eq!(d["help"], "the response documents `application/json`; the body is not checked");
    assert_eq!(line_column(d), (562, 24));
    assert_written(RECORDING, line_column(d), "\"text/html\"");
}

// What the schemas say.

#[test]
fn schema_violations_keep_their_codes_and_quote_the_description() {
    let report = recording();
    let target = entry(&report, RECORDING, 4);
    assert_eq!(
        findings(target),
        [
            ("S003", ""),
            ("S006", "/id"),
            ("S004", "/name"),
            ("S005", "/scan_profile"),
            ("S009", "/risk_score"),
            ("S002", "/scan_count"),
            ("S007", "/created"),
            ("S008", "/contact_email"),
            ("S009", "/logo"),
        ]
    );
    let d = |pointer: &str| {
        diagnostics(target).iter().find(|d| d["pointer"] == pointer).unwrap().clone()
    };
    assert_eq!(
        d("/name")["help"],
        "at most 60 characters\ndocumented as: Name of the target, at most 60 characters."
    );
    assert_written(RECORDING, line_column(&d("/name")), "\\\"Customer");
    // OpenAPI 3.0's boolean `exclusiveMinimum: true` beside `minimum: 0`: 0 itself is out.
    let risk = d("/risk_score");
    assert_eq!(risk["message"], "`risk_score` breaks the schema's `exclusiveMinimum`");
    assert_eq!(
        risk["help"],
        "the validator says: 0 is less than or equal to the minimum of 0\ndocumented as: From above 0 to 10."
    );
    // `format: byte` is base64.
    assert_eq!(
        d("/logo")["help"].as_str().unwrap().lines().next(),
        Some("the validator says: \"not base64!\" is not a \"byte\"")
    );
    // Nullable in 3.0, so null is one of the values too, written as JSON writes it.
    assert!(d("/scan_profile")["help"].as_str().unwrap().starts_with(
        "`scan_profile` is one of \"lightning\", \"normal\", \"full\", null\ndocumented as: "
    ));
}

#[test]
fn nullable_fields_of_openapi_3_0_take_null() {
    let report = recording();
    // Nullable strings (`type` and `enum` gain null) and a nullable allOf (the schema, or null).
    let nulls = [
        (1, "/results/0/description"),
        (1, "/results/0/logo"),
        (4, "/assessment"),
        (14, "/description"),
        (14, "/logo"),
    ];
    for (i, pointer) in nulls {
        let file = entry(&report, RECORDING, i);
        assert!(findings(file).iter().all(|(_, p)| *p != pointer), "entries[{i}] {pointer}");
    }
    assert_eq!(codes(entry(&report, RECORDING, 14)), Vec::<&str>::new());
}

#[test]
fn write_only_properties_in_a_response_are_o004_through_references_and_a_discriminator() {
    let report = recording();
    let target = entry(&report, RECORDING, 3);
    let leaks: Vec<&Json> = diagnostics(target).iter().filter(|d| d["code"] == "O004").collect();
    let pointers: Vec<&str> = leaks.iter().map(|d| d["pointer"].as_str().unwrap()).collect();
    // `password` is writeOnly in BasicAuthentication, the branch `method: basic` names.
    assert_eq!(pointers, ["/api_key", "/authentication/password"]);
    assert!(leaks.iter().all(|d| d["severity"] == "error"));
    assert_eq!(leaks[0]["message"], "`api_key` is writeOnly, yet the response holds it");
    assert_eq!(line_column(leaks[0]), (253, 385));
    assert_written(RECORDING, line_column(leaks[0]), "\\\"api_key\\\"");
    assert_written(RECORDING, line_column(leaks[1]), "\\\"password\\\"");
}

#[test]
fn unlisted_fields_are_o005_in_all_of_parts_and_in_a_recursive_schema() {
    let report = recording();
    let o005 = |i: usize| -> Vec<&str> {
        diagnostics(entry(&report, RECORDING, i))
            .iter()
            .filter(|d| d["code"] == "O005")
            .map(|d| d["pointer"].as_str().unwrap())
            .collect()
    };
    assert_eq!(o005(3), ["/notes"]);
    // Finding is allOf FindingBase and its own properties: `fixed` is listed, `cvss` is not.
    assert_eq!(o005(9), ["/cvss"]);
    // A folder of a folder of the root folder.
    assert_eq!(o005(10), ["/children/0/children/0/color"]);
    assert_eq!(
        findings(entry(&report, RECORDING, 10)),
        [("S004", "/children/0/children/0/name"), ("O005", "/children/0/children/0/color")]
    );
    let d = diagnostics(entry(&report, RECORDING, 9)).iter().find(|d| d["code"] == "O005").unwrap();
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["message"], "`cvss` is not a field the document lists here");
    assert_eq!(line_column(d), (637, 117));
    assert_written(RECORDING, line_column(d), "\\\"cvss\\\"");
}

#[test]
fn additional_properties_false_is_a_schema_violation_not_o005() {
    let report = recording();
    let page = entry(&report, RECORDING, 1);
    // On the key of the field, not the whole object.
    assert_eq!(findings(page), [("S009", "/next")]);
    let d = &diagnostics(page)[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "`next` is not a field the schema allows here");
    assert_eq!(
        d["help"],
        "the schema allows `count`, `results` and no other field (`additionalProperties: false`)"
    );
}

#[test]
fn strict_makes_an_unlisted_field_an_error() {
    let args = [
        "--openapi",
        TARGETS,
        "--operation",
        "getFolders",
        "tests/data/openapi/captures/folders.json",
    ];
    let (status, report) = checked(&args);
    assert_eq!(status, Some(0), "a warning: {report}");
    let d = &diagnostics(&files(&report)[0])[0];
    assert_eq!((d["code"].as_str(), d["severity"].as_str()), (Some("O005"), Some("warning")));
    assert_eq!(d["pointer"], "/children/0/color");
    let (status, report) = checked(&[&args[..], &["--strict"]].concat());
    assert_eq!(status, Some(1));
    assert_eq!(diagnostics(&files(&report)[0])[0]["severity"], "error");
}

// A server without a host, and OPTIONS.

#[test]
fn a_server_without_a_host_takes_the_json_entries_below_its_base_path() {
    let (status, report) = checked(&["--openapi", NOTES, NOTES_RECORDING]);
    assert_eq!(status, Some(1));
    let names: Vec<&str> = files(&report).iter().map(|f| f["path"].as_str().unwrap()).collect();
    let expected = [
        "#entries[2] GET /notes/",
        "#entries[3] OPTIONS /notes/",
        "#entries[5] GET /notes/{note_id}",
        "#entries[6]",
    ]
    .map(|e| format!("{NOTES_RECORDING}{e}"));
    assert_eq!(
        names, expected,
        "entries[0] is the app's page (not below /api), [1] an image below /api (not JSON, \
         though GET /notes/{{note_id}} would match it), [4] a CORS preflight"
    );
    assert_eq!(report["summary"]["skipped"]["other_requests"], 3);
    assert_eq!(findings(entry(&report, NOTES_RECORDING, 2)), [("S004", "/1/text")]);
    assert_eq!(findings(entry(&report, NOTES_RECORDING, 5)), [("O004", "/author_token")]);
    let history = &diagnostics(entry(&report, NOTES_RECORDING, 6))[0];
    assert_eq!(history["code"], "O001");
    assert_eq!(
        history["message"],
        format!("no operation of {NOTES} documents GET /notes/7/history")
    );
}

#[test]
fn a_documented_options_operation_is_checked_and_a_preflight_is_not() {
    let (_, report) = checked(&["--openapi", NOTES, NOTES_RECORDING]);
    let options = entry(&report, NOTES_RECORDING, 3);
    assert_eq!(findings(options), [("S005", "/methods/2")]);
    let d = &diagnostics(options)[0];
    assert_written(NOTES_RECORDING, line_column(d), "\\\"PATCH\\\"");
    let preflight = format!("{NOTES_RECORDING}#entries[4]");
    assert!(files(&report).iter().all(|f| !f["path"].as_str().unwrap().starts_with(&preflight)));
}

// The document as YAML or JSON.

/// A JSON report with the document's name taken out of its messages.
fn without_document_name(mut report: Json, document: &str) -> Json {
    for file in report["files"].as_array_mut().unwrap() {
        for d in file["diagnostics"].as_array_mut().unwrap() {
            for key in ["message", "help"] {
                if let Some(text) = d[key].as_str() {
                    d[key] = Json::from(text.replace(document, "<document>"));
                }
            }
        }
    }
    report
}

#[test]
fn the_yaml_and_json_forms_of_a_document_give_the_same_findings() {
    let runs: [&[&str]; 3] = [
        &[RECORDING],
        &["--operation", "getTarget", "tests/data/openapi/captures/target.json"],
        &["--operation", "getFinding", "tests/data/openapi/captures/finding-200.http"],
    ];
    for args in runs {
        let (yaml_status, yaml) = checked(&[&["--openapi", TARGETS], args].concat());
        let (json_status, json) = checked(&[&["--openapi", TARGETS_JSON], args].concat());
        assert_eq!(yaml_status, Some(1), "{args:?}: there is something to compare");
        assert_eq!(json_status, yaml_status, "{args:?}");
        assert_eq!(
            without_document_name(json, TARGETS_JSON),
            without_document_name(yaml, TARGETS),
            "{args:?}"
        );
    }
}

// A document that cannot be used.

/// The I006 finding of a run with `document`, which must stop with status 2 before any input
/// is checked.
fn refused(document: &str) -> Json {
    let (status, report) = checked(&["--openapi", document, "corpus/valid/empty-array.json"]);
    assert_eq!(status, Some(2), "{document}: {report}");
    assert_eq!(report["summary"]["inputs"], 0, "nothing is checked");
    assert_eq!(
        report["summary"]["not_checked"],
        format!("the OpenAPI document {document} cannot be used")
    );
    let files = files(&report);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], document);
    assert_eq!(codes(&files[0]), ["I006"], "{document}");
    files[0]["diagnostics"][0].clone()
}

#[test]
fn a_broken_document_is_i006_at_its_line_and_column() {
    let cases = [
        ("bad-syntax.yaml", (7, 6), "not valid YAML: illegal placement of ':' indicator", ":"),
        ("bad-syntax.json", (5, 23), "not valid JSON: trailing comma", ","),
        ("duplicate-key.yaml", (12, 5), "the key `get` is written twice in one mapping", "get"),
        (
            "swagger-2.yaml",
            (2, 10),
            "Swagger 2.0 is not supported: convert the document to OpenAPI 3",
            "\"2.0\"",
        ),
        (
            "swagger-2.json",
            (2, 14),
            "Swagger 2.0 is not supported: convert the document to OpenAPI 3",
            "\"2.0\"",
        ),
        (
            "openapi-4.yaml",
            (2, 10),
            "OpenAPI 4.0.0 is not supported: profile-lint reads 3.0.x and 3.1.x",
            "4.0.0",
        ),
        (
            "openapi-4.json",
            (2, 14),
            "OpenAPI 4.0.0 is not supported: profile-lint reads 3.0.x and 3.1.x",
            "\"4.0.0\"",
        ),
        (
            "unknown-dialect.yaml",
            (6, 20),
            "the jsonSchemaDialect \"https://example.com/my-own-dialect\" is not one profile-lint knows (draft 2020-12, 2019-09 or 07)",
            "https://example.com/my-own-dialect",
        ),
    ];
    for (file, at, message, text) in cases {
        let document = format!("tests/data/openapi/broken/{file}");
        let d = refused(&document);
        assert_eq!(d["message"], message, "{file}");
        assert_eq!(line_column(&d), at, "{file}");
        assert_written(&document, at, text);
    }
}

#[test]
fn a_broken_document_is_shown_in_its_frame() {
    let mut shown = String::new();
    for file in ["bad-syntax.yaml", "duplicate-key.yaml", "swagger-2.json"] {
        let document = format!("tests/data/openapi/broken/{file}");
        let output = run(&["--openapi", &document, "corpus/valid/empty-array.json"]);
        assert_eq!(output.status.code(), Some(2));
        shown.push_str(&String::from_utf8(output.stdout).unwrap());
    }
    insta::assert_snapshot!("broken_documents_human", shown);
}

#[test]
fn a_reference_to_nothing_is_i006_naming_the_reference() {
    let cases = [
        (
            "missing-pointer.yaml",
            "#/components/schemas/Targets",
            "nothing is at that pointer",
            "/paths/~1targets~1/get/responses/200/content/application~1json/schema/items/$ref",
        ),
        (
            "missing-pointer.json",
            "#/components/schemas/Targets",
            "nothing is at that pointer",
            "/paths/~1targets~1/get/responses/200/content/application~1json/schema/items/$ref",
        ),
        (
            "missing-file.yaml",
            "schemas/target.yaml#/Target",
            "no such file beside the document (nothing is fetched)",
            "/paths/~1targets~1{target_id}~1/get/responses/200/content/application~1json/schema/$ref",
        ),
        (
            "missing-file.json",
            "schemas/target.yaml#/Target",
            "no such file beside the document (nothing is fetched)",
            "/paths/~1targets~1{target_id}~1/get/responses/200/content/application~1json/schema/$ref",
        ),
    ];
    for (file, reference, why, pointer) in cases {
        let d = refused(&format!("tests/data/openapi/broken/{file}"));
        assert_eq!(d["message"], format!("the reference {reference:?} names nothing: {why}"));
        assert_eq!(d["pointer"], pointer, "{file}");
    }
}

#[test]
fn a_reference_to_nothing_is_placed_at_the_ref() {
    let cases = [
        ("missing-pointer.yaml", (17, 25), "'#/components/schemas/Targets'"),
        ("missing-pointer.json", (18, 29), "\"#/components/schemas/Targets\""),
        ("missing-file.yaml", (15, 23), "'schemas/target.yaml#/Target'"),
        ("missing-file.json", (16, 27), "\"schemas/target.yaml#/Target\""),
    ];
    for (file, at, text) in cases {
        let document = format!("tests/data/openapi/broken/{file}");
        let d = refused(&document);
        assert_eq!(line_column(&d), at, "{file}");
        assert_written(&document, at, text);
        let human = run(&["--openapi", &document, "corpus/valid/empty-array.json"]);
        let shown = String::from_utf8(human.stdout).unwrap();
        assert!(shown.contains(&format!("{document}:{}:{}", at.0, at.1)), "{shown}");
    }
}

#[test]
fn a_duplicated_key_in_a_json_document_is_i006_as_in_yaml() {
    let document = "tests/data/openapi/broken/duplicate-key.json";
    let d = refused(document);
    assert_eq!(d["message"], "the key `get` is written twice in one mapping");
    assert_eq!(line_column(&d), (16, 7));
    assert_written(document, (16, 7), "\"get\"");
}

#[test]
fn an_unreadable_document_and_a_schema_beside_a_document_are_i006() {
    let d = refused("tests/data/openapi/no-such-api.yaml");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "the OpenAPI document tests/data/openapi/no-such-api.yaml cannot be read: "
        ),
        "{message}"
    );
    assert_eq!(d["line"], Json::Null);
    let (status, report) = checked(&[
        "--openapi",
        TARGETS,
        "--schema",
        "schemas/profile.schema.json",
        "corpus/valid/empty-array.json",
    ]);
    assert_eq!(status, Some(2));
    let d = &diagnostics(&files(&report)[0])[0];
    assert_eq!(
        (d["code"].as_str(), d["message"].as_str()),
        (Some("I006"), Some("--schema and --openapi are both given"))
    );
    assert_eq!(report["summary"]["inputs"], 0);
}

// Captures that do not record their request.

#[test]
fn a_body_file_is_checked_against_the_operation_named_on_the_command_line() {
    let body = "tests/data/openapi/captures/target.json";
    for operation in ["GET /targets/{target_id}/", "get /targets/{target_id}/", "getTarget"] {
        let (status, report) = checked(&["--openapi", TARGETS, "--operation", operation, body]);
        assert_eq!(status, Some(1), "{operation}");
        let file = &files(&report)[0];
        assert_eq!(file["path"], format!("{body} GET /targets/{{target_id}}/"), "{operation}");
        // getTarget documents `2XX`: a body without a status stands for it. Its nullable
        // `description` and `scan_profile` are null.
        assert_eq!(findings(file), [("S009", "/risk_score"), ("O004", "/api_key")], "{operation}");
        let at: Vec<(u64, u64)> = diagnostics(file).iter().map(line_column).collect();
        assert_eq!(at, [(7, 17), (8, 3)]);
    }
}

#[test]
fn a_curl_dump_is_checked_against_the_response_its_status_selects() {
    let (status, report) = checked(&[
        "--openapi",
        TARGETS,
        "--operation",
        "getFinding",
        "tests/data/openapi/captures/finding-200.http",
    ]);
    assert_eq!(status, Some(1));
    let file = &files(&report)[0];
    assert_eq!(
        file["path"],
        "tests/data/openapi/captures/finding-200.http GET /targets/{target_id}/findings/{finding_id}/"
    );
    assert_eq!(findings(file), [("S009", "/severity")]);
    assert_eq!(line_column(&diagnostics(file)[0]), (5, 49));
    // A 404 is documented by getTarget (application/problem+json): no O002, no O003.
    let (_, report) = checked(&[
        "--openapi",
        TARGETS,
        "--operation",
        "getTarget",
        "tests/data/openapi/captures/target-404.http",
    ]);
    let codes = codes(&files(&report)[0]);
    assert!(!codes.contains(&"O002") && !codes.contains(&"O003"), "{report}");
}

#[test]
fn an_unknown_operation_is_a_usage_error_with_the_nearest_named() {
    let (status, report) = checked(&[
        "--openapi",
        TARGETS,
        "--operation",
        "getTargte",
        "tests/data/openapi/captures/target.json",
    ]);
    assert_eq!(status, Some(2), "nothing is checked");
    let d = &diagnostics(&files(&report)[0])[0];
    assert_eq!(d["code"], "I006");
    assert_eq!(
        d["message"],
        "--operation \"getTargte\" is not an operation of this document: did you mean `getTarget`?"
    );
    assert_eq!(report["summary"]["responses"], 0);
}

#[test]
fn without_an_operation_a_body_is_a_get_of_the_endpoint() {
    let (status, report) =
        checked(&["--openapi", TARGETS, "tests/data/openapi/captures/target.json"]);
    assert_eq!(status, Some(0));
    let d = &diagnostics(&files(&report)[0])[0];
    assert_eq!(d["code"], "O001");
    assert_eq!(
        d["message"],
        format!(
            "this capture does not record its request, and {TARGETS} documents no GET /profile/"
        )
    );
    assert_eq!(
        d["help"],
        "name the operation the response answers with --operation 'GET /targets/{target_id}/' (or its operationId)"
    );
}

// `profile-lint schema`.

#[test]
fn the_schema_command_prints_the_response_schema_with_its_references_under_defs() {
    let schema = printed_schema(&["--openapi", TARGETS, "--operation", "getTarget"]);
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["$ref"], "#/$defs/Target");
    let mut defs: Vec<&str> =
        schema["$defs"].as_object().unwrap().keys().map(String::as_str).collect();
    defs.sort_unstable();
    assert_eq!(
        defs,
        [
            "Assessment",
            "Authentication",
            "BasicAuthentication",
            "Target",
            "TokenAuthentication",
            "User"
        ]
    );
    let target = &schema["$defs"]["Target"]["properties"];
    assert_eq!(target["authentication"]["$ref"], "#/$defs/Authentication");
    // A recursive schema refers to itself.
    let folders =
        printed_schema(&["--openapi", TARGETS, "--operation", "GET /targets/{target_id}/folders/"]);
    assert_eq!(
        folders["$defs"]["Folder"]["properties"]["children"]["items"]["$ref"],
        "#/$defs/Folder"
    );
    // An error response, in a file beside the document.
    let problem =
        printed_schema(&["--openapi", TARGETS, "--operation", "getTarget", "--status", "404"]);
    assert_eq!(problem["$ref"], "#/$defs/Problem");
    assert_eq!(problem["$defs"]["Problem"]["required"], serde_json::json!(["title", "status"]));
}

#[test]
fn the_schema_command_shows_openapi_3_0_translated() {
    let schema = printed_schema(&["--openapi", TARGETS, "--operation", "getTarget"]);
    let target = &schema["$defs"]["Target"]["properties"];
    assert_eq!(target["description"]["type"], serde_json::json!(["string", "null"]));
    assert_eq!(
        target["scan_profile"]["enum"],
        serde_json::json!(["lightning", "normal", "full", null])
    );
    assert_eq!(
        target["assessment"],
        serde_json::json!({"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/$defs/Assessment"}]}]})
    );
    let risk = target["risk_score"].as_object().unwrap();
    assert_eq!((risk.get("exclusiveMinimum"), risk.get("minimum")), (Some(&Json::from(0)), None));
    assert_eq!(target["scan_count"]["maximum"], i32::MAX);
    // A $ref's siblings are dropped in 3.0, but for its description.
    assert_eq!(
        target["authentication"],
        serde_json::json!({"$ref": "#/$defs/Authentication", "description": "How scans log in; the password is never returned."})
    );
    assert_eq!(schema, printed_schema(&["--openapi", TARGETS_JSON, "--operation", "getTarget"]));
}

#[test]
fn the_schema_command_refuses_what_the_document_does_not_document() {
    let unknown = run(&["schema", "--openapi", TARGETS, "--operation", "getTargte"]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8(unknown.stderr).unwrap();
    assert!(
        stderr.contains("--operation \"getTargte\" is not an operation of this document: did you mean `getTarget`?"),
        "{stderr}"
    );
    let status =
        run(&["schema", "--openapi", TARGETS, "--operation", "listMyTargets", "--status", "404"]);
    assert_eq!(status.status.code(), Some(2));
    let stderr = String::from_utf8(status.stderr).unwrap();
    assert!(
        stderr.contains("GET /targets/mine/ documents no such status; it documents 200"),
        "{stderr}"
    );
    // Without --openapi, the embedded schema.
    let embedded = printed_schema(&[]);
    assert_eq!(embedded["title"], "Retrieve Profile: GET /profile/ response (200)");
}

// The configuration.

#[test]
fn the_configuration_names_the_document_relative_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/openapi");
    std::fs::create_dir_all(dir.path().join("contract/common")).unwrap();
    for file in ["targets-api.yaml", "common/problem.yaml"] {
        std::fs::copy(data.join(file), dir.path().join("contract").join(file)).unwrap();
    }
    std::fs::write(
        dir.path().join("profile-lint.toml"),
        "openapi = \"contract/targets-api.yaml\"\n",
    )
    .unwrap();
    let nested = dir.path().join("captures");
    std::fs::create_dir(&nested).unwrap();
    std::fs::copy(data.join("captures/target.json"), nested.join("target.json")).unwrap();
    let output = profile_lint()
        .args(["target.json", "--operation", "getTarget", "--format", "json"])
        .current_dir(&nested)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json(&output);
    let file = &files(&report)[0];
    assert_eq!(file["path"], "target.json");
    assert_eq!(file["operation"], "GET /targets/{target_id}/");
    assert_eq!(findings(file), [("S009", "/risk_score"), ("O004", "/api_key")]);
}

// The corpus, with the document that transcribes the documentation of GET /profile/.

/// The findings of every report, by name without the operation, as the fields compared.
fn by_report(report: &Json) -> std::collections::BTreeMap<String, Vec<Json>> {
    files(report)
        .iter()
        .map(|f| {
            let name = f["path"].as_str().unwrap();
            let name = name.strip_suffix(" GET /profile/").unwrap_or(name).to_owned();
            let compared = diagnostics(f)
                .iter()
                .map(|d| {
                    // R003 names the time of the run, which differs between two runs.
                    let help = d["help"].as_str().unwrap_or_default();
                    let help = match help.split_once("the capture (") {
                        Some((before, after)) => {
                            format!(
                                "{before}the capture ({}",
                                after.split_once(',').map_or("", |(_, a)| a)
                            )
                        }
                        None => help.to_owned(),
                    };
                    serde_json::json!([
                        d["code"],
                        d["pointer"],
                        d["line"],
                        d["column"],
                        d["message"],
                        help
                    ])
                })
                .collect();
            (name, compared)
        })
        .collect()
}

#[test]
fn the_corpus_gives_the_same_findings_with_the_probely_document() {
    let (status, embedded) = checked(&["corpus/"]);
    let embedded = by_report(&embedded);
    for document in
        ["corpus/openapi/probely-profile.yaml", "tests/data/openapi/probely-profile.json"]
    {
        let (with_status, report) = checked(&["--openapi", document, "corpus/"]);
        assert_eq!(with_status, status, "{document}");
        let mut with_document = by_report(&report);
        // Entries of other endpoints are the document's API, without an operation: O001.
        for entry in [
            "corpus/captures/polly-recording.har#entries[1]",
            "corpus/rules/H003-no-matching-entry/fail.har#entries[0]",
        ] {
            let findings = with_document.remove(entry).unwrap_or_else(|| panic!("{entry}"));
            let codes: Vec<&Json> = findings.iter().map(|f| &f[0]).collect();
            assert_eq!(codes, ["O001"], "{document}: {entry}");
        }
        let mut embedded = embedded.clone();
        // H003 (no GET /profile/ entry in a HAR) does not apply to a document's API.
        let h003 = embedded.remove("corpus/rules/H003-no-matching-entry/fail.har").unwrap();
        assert_eq!(h003.iter().map(|f| &f[0]).collect::<Vec<_>>(), ["H003"]);
        assert_eq!(with_document, embedded, "{document}");
        assert!(
            embedded.values().map(Vec::len).sum::<usize>() > 100,
            "there is something to compare"
        );
    }
}

// Bugs.

#[test]
fn an_error_response_is_checked_against_its_documented_schema() {
    // entries[7]: a 404 problem+json without its required `title`.
    let report = recording();
    assert_eq!(findings(entry(&report, RECORDING, 7)), [("S003", "")]);
    let (_, report) = checked(&[
        "--openapi",
        TARGETS,
        "--operation",
        "getTarget",
        "tests/data/openapi/captures/target-404.http",
    ]);
    assert_eq!(findings(&files(&report)[0]), [("S003", "")]);
}

#[test]
fn nullable_beside_a_ref_means_the_schema_or_null() {
    let schema = printed_schema(&["--openapi", TARGETS, "--operation", "getTarget"]);
    let owner = &schema["$defs"]["Target"]["properties"]["owner"];
    assert!(owner.to_string().contains(r#"{"type":"null"}"#), "{owner}");
    let (status, report) = checked(&[
        "--openapi",
        TARGETS,
        "--operation",
        "getTarget",
        "tests/data/openapi/captures/owner-unknown.json",
    ]);
    assert_eq!(findings(&files(&report)[0]), [], "`owner: null` is documented");
    assert_eq!(status, Some(0));
}

#[test]
fn a_draft_07_dialect_is_honoured() {
    let (status, report) = checked(&[
        "--openapi",
        "tests/data/openapi/draft-07-api.yaml",
        "--operation",
        "getLatestScore",
        "tests/data/openapi/captures/score-pair.json",
    ]);
    assert_eq!(status, Some(1));
    // In draft-07 the `items` array is a tuple: the second item must be a number.
    assert_eq!(findings(&files(&report)[0]), [("S002", "/1")]);
}

#[test]
fn only_get_of_the_endpoint_keeps_the_endpoints_rules() {
    let (status, report) = checked(&[
        "--openapi",
        TARGETS,
        "--operation",
        "getScanProfile",
        "tests/data/openapi/captures/scan-profile.json",
    ]);
    assert_eq!(status, Some(1));
    assert_eq!(
        findings(&files(&report)[0]),
        [("O004", "/login_password"), ("O005", "/max_duration")]
    );
}

#[test]
fn objects_of_another_api_are_not_called_users() {
    let report = recording();
    let d = &diagnostics(entry(&report, RECORDING, 4))[0];
    assert_eq!(d["code"], "S003");
    let message = d["message"].as_str().unwrap();
    let help = d["help"].as_str().unwrap();
    assert!(!message.contains("user") && !help.contains("user"), "{message}\n{help}");
}

#[test]
fn machine_formats_locate_a_body_in_its_file_not_its_operation() {
    let args = [
        "--openapi",
        TARGETS,
        "--operation",
        "getTarget",
        "tests/data/openapi/captures/target.json",
    ];
    let sarif = run(&[&args[..], &["--format", "sarif"]].concat());
    let sarif = json(&sarif);
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "tests/data/openapi/captures/target.json");
    let github = run(&[&args[..], &["--format", "github"]].concat());
    let github = String::from_utf8(github.stdout).unwrap();
    assert!(
        github.lines().all(|l| l.contains("file=tests/data/openapi/captures/target.json,line=")),
        "{github}"
    );
}

// What users bring that the fixtures above do not.

/// A document and a HAR written into a temporary folder, checked with `--format json`.
fn checked_in(dir: &Path, document: &str, entries: &[Json]) -> (Option<i32>, Json) {
    let api = dir.join("api.yaml");
    std::fs::write(&api, document).unwrap();
    let har = dir.join("recording.har");
    let log = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}});
    std::fs::write(&har, log.to_string()).unwrap();
    let output =
        run(&["--openapi", api.to_str().unwrap(), har.to_str().unwrap(), "--format", "json"]);
    (output.status.code(), json(&output))
}

fn har_entry(method: &str, url: &str, status: u16, body: &str) -> Json {
    serde_json::json!({
        "startedDateTime": "2026-11-29T10:00:00.000Z", "time": 1,
        "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
            "headers": [{"name": "content-type", "value": "application/json"}], "cookies": [],
            "content": {"size": body.len(), "mimeType": "application/json", "text": body},
            "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}
    })
}

const USERS_API: &str = "openapi: 3.0.3
info: {title: users, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /users/{id}/:
    get:
      responses:
        '200':
          description: a user
          content:
            application/json:
              schema:
                type: object
                required: [id, password]
                properties:
                  id: {type: integer, enum: [1, 2, 3]}
                  password: {type: string, writeOnly: true}
                  shape:
                    type: object
                    properties: {kind: {type: string}}
                    anyOf:
                      - {type: object, properties: {r: {type: number}}}
                      - {type: object, properties: {w: {type: number}}}
";

#[test]
fn what_browsers_and_real_documents_bring() {
    let dir = tempfile::tempdir().unwrap();
    let entries = [
        // Chrome records a request it blocked or cancelled with status 0: not a response.
        har_entry("GET", "https://api.example.com/users/1/", 0, ""),
        // writeOnly and required: required in requests only, so a response without it passes;
        // a field one of two undecidable branches lists is not unlisted.
        har_entry(
            "GET",
            "https://api.example.com/users/1/",
            200,
            r#"{"id": 1, "shape": {"kind": "circle", "r": 2}}"#,
        ),
        // A method the path does not have.
        har_entry("POST", "https://api.example.com/users/1/", 200, "{}"),
        // Integer values of an enum are listed in the help.
        har_entry("GET", "https://api.example.com/users/1/", 200, r#"{"id": 9}"#),
    ];
    let (status, report) = checked_in(dir.path(), USERS_API, &entries);
    assert_eq!(status, Some(1), "{report}");
    assert_eq!(report["summary"]["skipped"]["other_requests"], 1, "the status 0 entry");
    let by_entry = |i: usize| {
        let name = format!("{}#entries[{i}]", dir.path().join("recording.har").display());
        files(&report).iter().find(|f| f["path"] == name.as_str()).cloned()
    };
    assert!(by_entry(0).is_none());
    assert_eq!(codes(&by_entry(1).unwrap()), Vec::<&str>::new());
    let post = diagnostics(&by_entry(2).unwrap())[0].clone();
    assert_eq!(post["code"], "O001");
    assert_eq!(post["help"], "the document has GET for this path");
    let enum_help = diagnostics(&by_entry(3).unwrap())[0].clone();
    assert!(
        enum_help["help"].as_str().unwrap().starts_with("`id` is one of 1, 2, 3"),
        "{enum_help}"
    );
}
