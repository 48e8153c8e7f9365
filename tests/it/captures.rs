//! Captures as users keep them: HAR files, raw HTTP responses and JSON Lines. Findings inside a
//! HAR body land on the exact characters of the escaped string in the HAR file.

use std::path::Path;

use crate::common::{profile_lint, run};

use profile_lint::report::{self, FileReport, Format, HumanOptions};
use profile_lint::{Code, Linter, Source};

fn check(relative: &str) -> Vec<FileReport> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let source = Source::new(relative, std::fs::read(path).unwrap());
    Linter::new().captured_at("2026-11-29T00:00:00Z".parse().unwrap()).check_source(source).reports
}

fn text_at(report: &FileReport, code: Code) -> (String, &profile_lint::Diagnostic) {
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("{code} in {}", report.name));
    let span = d.span.unwrap();
    let bytes = &report.source.as_ref().unwrap().bytes;
    (String::from_utf8_lossy(&bytes[span.offset..span.end()]).into_owned(), d)
}

#[test]
fn har_entries_of_the_endpoint_are_reported_under_their_own_names() {
    let reports = check("corpus/captures/polly-recording.har");
    let names: Vec<&str> = reports.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["#entries[0]", "#entries[3]", "#entries[4]", "#entries[5]"]
            .map(|e| format!("corpus/captures/polly-recording.har{e}"))
    );
}

#[test]
fn a_finding_in_a_plain_har_body_points_into_the_har_file() {
    let reports = check("corpus/captures/polly-recording.har");
    let (text, d) = text_at(&reports[0], Code::UnknownValue);
    assert_eq!(text, r#"\"CEO\""#, "the label covers the escaped string as written");
    assert_eq!(d.pointer.as_deref(), Some("/title"));
    let at = reports[0].positions()[reports[0].diagnostics.iter().position(|x| x == d).unwrap()]
        .unwrap();
    let har = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/captures/polly-recording.har"),
    )
    .unwrap();
    let line = har.lines().nth(at.0 - 1).unwrap();
    let column_text: String = line.chars().skip(at.1 - 1).take(8).collect();
    assert_eq!(
        column_text, r#"\"CEO\","#,
        "line and column count characters after `João` on that line"
    );
}

#[test]
fn a_base64_har_body_is_its_own_source() {
    let reports = check("corpus/captures/polly-recording.har");
    let (text, _) = text_at(&reports[1], Code::TooLong);
    assert!(text.starts_with("\"Ana Silva xxx"), "{text}");
}

#[test]
fn an_error_status_is_reported_and_its_html_body_not_parsed() {
    let reports = check("corpus/captures/polly-recording.har");
    let codes: Vec<Code> = reports[2].diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::UnexpectedStatus]);
    assert_eq!(text_at(&reports[2], Code::UnexpectedStatus).0, "500");
}

#[test]
fn the_requested_ordering_is_checked() {
    let reports = check("corpus/captures/polly-recording.har");
    let (text, d) = text_at(&reports[3], Code::UnsortedResponse);
    assert_eq!((text.as_str(), d.pointer.as_deref()), (r#"\"Ana Silva\""#, Some("/1/name")));
}

#[test]
fn raw_http_responses_point_into_the_file() {
    let http1 = check("corpus/captures/curl-i-http1.http");
    assert_eq!(text_at(&http1[0], Code::PatternMismatch).0, "\"rgb(0, 128, 0)\"");
    let http2 = check("corpus/captures/curl-i-http2.http");
    assert_eq!(text_at(&http2[0], Code::InvalidDateTime).0, "\"2023-08-09\"");
    let broken = check("corpus/captures/missing-blank-line.http");
    assert_eq!(broken[0].diagnostics.len(), 1);
    assert_eq!(broken[0].diagnostics[0].code, Code::InvalidCapture);
}

#[test]
fn json_lines_are_checked_each_with_the_files_line_numbers() {
    let reports = check("corpus/captures/responses.jsonl");
    let report = &reports[0];
    let lines: Vec<(Code, usize)> = report
        .diagnostics
        .iter()
        .zip(report.positions())
        .filter(|(d, _)| matches!(d.code, Code::InvalidJson | Code::RootIsObject))
        .map(|(d, at)| (d.code, at.unwrap().0))
        .collect();
    assert_eq!(lines, [(Code::RootIsObject, 1), (Code::InvalidJson, 2), (Code::RootIsObject, 3)]);
}

#[test]
fn snapshots_of_every_capture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/captures");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    for file in files {
        let reports = check(&format!("corpus/captures/{file}"));
        let mut out = Vec::new();
        let options = HumanOptions { group: false, ..HumanOptions::default() };
        report::write(Format::Human(options), &reports, &report::Summary::of(&reports), &mut out)
            .unwrap();
        insta::assert_snapshot!(file.replace('.', "_"), String::from_utf8(out).unwrap());
    }
}

#[test]
fn formats_come_from_extensions_or_content_and_can_be_forced() {
    let dir = tempfile::tempdir().unwrap();
    let raw = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/captures/curl-i-http1.http"),
    )
    .unwrap();
    std::fs::write(dir.path().join("dump.txt"), &raw).unwrap();
    let output = run(&[dir.path().join("dump.txt").to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "sniffed as HTTP: {report}");
    let output = run(&[
        dir.path().join("dump.txt").to_str().unwrap(),
        "--input-format",
        "json",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["files"][0]["diagnostics"][0]["code"], "P003",
        "forced to JSON, it is not JSON"
    );
}

#[test]
fn a_directory_picks_up_every_capture_and_says_what_a_har_skipped() {
    let output = run(&["corpus/captures", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let summary = &report["summary"];
    assert_eq!(summary["inputs"], 8, "2 HAR files, 5 HTTP files, 1 JSON Lines file");
    assert_eq!(summary["responses"], 13, "5 HAR entries (4 and 1), 5 HTTP responses, 3 lines");
    let skipped = serde_json::json!({"other_requests": 2, "redirects": 1, "not_modified": 1});
    assert_eq!(summary["skipped"], skipped);
    assert!(output.stderr.is_empty(), "the summary says it; stderr stays quiet");
    let output = run(&["corpus/captures", "--verbose"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("checked 4 GET /profile/ entries, skipped 2 others"), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.ends_with(
            " in 7 of 8 files (13 responses); 2 HAR entries for other requests, 1 redirect hop \
             and 1 304 Not Modified skipped\n"
        ),
        "{stdout}"
    );
}

#[test]
fn bare_bodies_take_ordering_and_search_from_the_command_line() {
    let output = run(&[
        "corpus/valid/documented-array.json",
        "--ordering",
        "-name",
        "--search",
        "maria",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes = first_file_codes(&report);
    assert_eq!(codes, ["R007", "R005"], "Ana lacks the term; Maria comes after Ana, not before");
}

fn check_text(name: &str, text: &str) -> Vec<FileReport> {
    Linter::new().check_source(Source::new(name, text)).reports
}

/// The codes of the first file's findings in a JSON report, in order.
fn first_file_codes(report: &serde_json::Value) -> Vec<&str> {
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

fn codes(reports: &[FileReport]) -> Vec<Code> {
    reports.iter().flat_map(|r| r.diagnostics.iter().map(|d| d.code)).collect()
}

// Regressions from a review of the capture formats.
#[test]
fn awkward_captures_get_one_clear_finding() {
    let har = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/rules/H001-unexpected-status/pass.har"),
    )
    .unwrap();
    // A HAR saved as .json is a HAR.
    assert!(codes(&check_text("saved.json", &har)).is_empty());
    // Chunk framing left in the body (`curl --raw`) is decoded.
    let chunked = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n";
    assert!(codes(&check_text("r.http", chunked)).is_empty());
    // 204 has no body to check.
    assert_eq!(
        codes(&check_text("r.http", "HTTP/1.1 204 No Content\r\n\r\n")),
        [Code::UnexpectedStatus]
    );
    // Pretty-printed JSON in a .jsonl file: one hint, not a finding per line.
    assert_eq!(codes(&check_text("r.jsonl", "[\n  {\"id\": \"x\"}\n]\n")), [Code::InvalidCapture]);
}

/// A byte order mark on a HAR file, a JSON Lines file or a raw HTTP file is the recorder's
/// (Fiddler, PowerShell), not the API's: the content is checked and nothing is reported. One
/// at the start of a response body is still P002 (RFC 8259 section 8.1).
#[test]
fn a_byte_order_mark_on_the_capture_file_is_the_recorder_s() {
    let har = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/rules/H001-unexpected-status/pass.har"),
    )
    .unwrap();
    assert!(codes(&check_text("bom.har", &format!("\u{feff}{har}"))).is_empty());
    let lines = "\u{feff}[]\n[{\"title\": \"CEO\"}]\n";
    let reports = check_text("r.jsonl", lines);
    assert!(codes(&reports).contains(&Code::UnknownValue), "the content is checked");
    assert!(!codes(&reports).contains(&Code::ByteOrderMark));
    let http = "\u{feff}HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[]";
    assert!(codes(&check_text("r.http", http)).is_empty());
    let in_body = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n\u{feff}[]";
    assert_eq!(codes(&check_text("r.http", in_body)), [Code::ByteOrderMark]);
}

/// HAR 1.2 as browsers write it: a redirect hop (`redirectURL`, RFC 9110 15.4) and a `304 Not
/// Modified` (no body, RFC 9110 15.4.5) are skipped, not H001 errors; a URL's fragment is not
/// its query (RFC 3986 3.5), so `#/?ordering=name` asks for no ordering and R005 stays quiet.
#[test]
fn browser_hars_skip_redirect_hops_and_cached_entries_and_ignore_fragments() {
    let reports = check("corpus/captures/browser-redirect-cache-and-fragment.har");
    let names: Vec<&str> = reports.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["corpus/captures/browser-redirect-cache-and-fragment.har#entries[1]"]);
    assert_eq!(codes(&reports), [Code::UnknownValue]);
    let output = run(&["corpus/captures/browser-redirect-cache-and-fragment.har", "-v"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "checked 1 GET /profile/ entry, skipped 1 redirect hop, 1 304 Not Modified (no body)"
        ),
        "{stderr}"
    );
    // Only hops and cached entries: H003 says so, rather than that there is no GET at all.
    let har = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/captures/browser-redirect-cache-and-fragment.har"),
    )
    .unwrap();
    let only_hops = har.replace(
        "https://api.probely.com/profile/#/?ordering=name",
        "https://api.probely.com/other/",
    );
    let reports = check_text("hops.har", &only_hops);
    let d = &reports[0].diagnostics[0];
    assert_eq!(d.code, Code::NoMatchingEntry);
    assert!(
        d.help.as_deref().unwrap().starts_with(
            "its GET /profile/ entries were 1 redirect elsewhere and 1 304 Not Modified"
        ),
        "{d:?}"
    );
    // A redirect alone says nothing of a cache.
    let only_a_redirect = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": "https://api.probely.com/profile/"},
        "response": {"status": 302, "redirectURL": "https://api.probely.com/login/",
                     "content": {"mimeType": "text/html", "text": ""}},
    }]}});
    let reports = check_text("login.har", &only_a_redirect.to_string());
    let help = reports[0].diagnostics[0].help.clone().unwrap();
    assert!(help.contains("1 redirect elsewhere") && !help.contains("cache"), "{help}");
}

/// HAR 1.2 gives every request a `queryString` list: it is preferred to the URL.
#[test]
fn the_query_string_list_is_preferred_to_the_url() {
    let har = r#"{"log": {"version": "1.2", "entries": [{"request": {"method": "GET",
        "url": "https://api.probely.com/profile/?ordering=name",
        "queryString": [{"name": "ordering", "value": "-name"}]},
        "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
        "content": {"mimeType": "application/json", "text": "[]"}}}]}}"#;
    let reports = Linter::new().check_source(Source::new("q.har", har)).reports;
    assert!(codes(&reports).is_empty(), "{:?}", reports[0].diagnostics);
}

/// RFC 9112 7.1: `curl --raw` keeps the chunk framing; it is decoded, and a finding in a chunk
/// points at its character in the file. `curl -i` prints the header over a body it already
/// decoded, which is checked as it is, with a folded header line (RFC 9112 5.2) unfolded.
#[test]
fn chunked_bodies_and_folded_headers_from_curl() {
    let reports = check("corpus/captures/curl-raw-chunked.http");
    let (text, _) = text_at(&reports[0], Code::UnknownValue);
    assert_eq!(text, "\"CEO\"");
    let at = reports[0].positions()[0].unwrap();
    assert_eq!(at, (12, 14), "line and column in the file as written");
    let reports = check("corpus/captures/curl-i-chunked-and-folded-header.http");
    assert!(codes(&reports).is_empty(), "{:?}", reports[0].diagnostics);
}

/// A body saved without `curl --compressed` is still gzip: decoded, and checked as its own
/// source. Brotli is not decoded: one finding says how to save it, never "not UTF-8".
#[test]
fn compressed_bodies_are_decoded_or_named() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let head = |coding: &str| {
        format!("HTTP/1.1 200 OK\r\nContent-Encoding: {coding}\r\nContent-Type: application/json\r\n\r\n")
            .into_bytes()
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(br#"[{"title": "CEO"}]"#).unwrap();
    let gzip = [head("gzip"), gz.finish().unwrap()].concat();
    std::fs::write(dir.path().join("gzip.http"), gzip).unwrap();
    let brotli = [head("br"), vec![0x8b, 0x02, 0x80, 0xff, 0xfe, 0x00]].concat();
    std::fs::write(dir.path().join("br.http"), brotli).unwrap();
    let output = run(&[dir.path().join("gzip.http").to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = first_file_codes(&report);
    assert!(found.contains(&"S005") && !found.contains(&"P001"), "{report}");
    let output = run(&[dir.path().join("br.http").to_str().unwrap()]);
    let human = String::from_utf8_lossy(&output.stdout);
    assert!(human.contains("the body is compressed (br)"), "{human}");
    assert!(human.contains("curl --compressed -i"), "{human}");
    assert!(!human.contains("UTF-8"), "{human}");
}

/// JSON Lines on standard input has no name to say so: several values, one per line, are
/// recognised; and a document followed by another on its own line suggests the format.
#[test]
fn json_lines_on_standard_input_are_recognised() {
    use std::io::Write;
    let mut child = profile_lint()
        .args(["-", "--no-config", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"[]\n[{\"title\": \"CEO\"}]\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report.to_string().contains("S005"), "{report}");
    assert!(!report.to_string().contains("P003"), "{report}");
    let found = Linter::new().lint(b"{\"a\": 1}\n{\"a\": 2}\n");
    let p003 = found.iter().find(|d| d.code == Code::InvalidJson).unwrap();
    assert!(p003.help.as_deref().unwrap().contains("--input-format jsonl"), "{p003:?}");
}

/// Regression: with `--redact`, a search term from a HAR entry's `queryString` was quoted as
/// written by R007, in lower case. No spelling of it is left in any format.
#[test]
fn a_redacted_search_term_from_the_query_string_list_is_masked_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let har = r#"{"log": {"version": "1.2", "entries": [{"request": {"method": "GET",
        "url": "https://api.probely.com/profile/",
        "queryString": [{"name": "search", "value": "Zacarias"}]},
        "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
        "content": {"mimeType": "application/json", "text": "[{\"name\": \"Ana\"}]"}}}]}}"#;
    let path = dir.path().join("search.har");
    std::fs::write(&path, har).unwrap();
    for format in ["human", "json", "sarif", "junit", "github"] {
        let output = run(&[path.to_str().unwrap(), "--redact", "--format", format]);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(all.contains("R007"), "{format}: {all}");
        assert!(!all.to_lowercase().contains("zacarias"), "{format}: {all}");
    }
}
