//! A browser session saved as HAR 1.2, the way Chrome DevTools' "Save all as HAR with
//! content" writes it: the web app's page, its scripts, stylesheets, images and fonts and
//! those of the services it embeds, its other calls to the API, a few redirects and
//! revalidations (304), and among them `GET https://api.probely.com/profile/`, answered with
//! the generator's users (sorted when the request asks for an `ordering`).
//!
//! Images and fonts are base64 in `content.text` with `"encoding": "base64"`, text bodies
//! are the text itself; the file is indented by two spaces, as Chrome's. Each entry is
//! written as soon as it is drawn, so a session of hundreds of MB holds one entry at a time.

use std::f64::consts::TAU;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::ops::RangeInclusive;
use std::path::PathBuf;

use base64::Engine;
use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::generator::{Drawn, Generator, Value, Written, file_name, manifest_rows};

const APP: &str = "plus.probely.app";
const API: &str = "api.probely.com";
/// The app's own bundle, which most of the session's requests come from.
const MAIN_JS: &str = "https://plus.probely.app/static/js/main.4f9c2a1e.js";
/// A made-up token of the shape the app sends (`JWT` and three base64url parts).
const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjoiN0hGYnprUTVUMlp0cU52SzltV3hZcCIsImV4cCI6MTc3MjQ0NTY0N30.bm90LWEtcmVhbC1zaWduYXR1cmUtanVzdC10ZXN0LWRhdGE";
const USER_AGENT: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 \
                          (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36";
/// What `request.url` of a `/profile/` entry may ask to sort by: fields whose order the
/// generator can reproduce exactly (emails are lower case ASCII, date-times all UTC).
const ORDERINGS: &[&str] = &["email", "-email", "changed", "-changed"];
#[rustfmt::skip]
/// The session's hosts, the address each resolved to and the id of its connection.
const HOSTS: &[(&str, &str, &str)] = &[
    (APP, "104.18.32.115", "118204"),
    (API, "52.48.191.23", "118231"),
    ("fonts.googleapis.com", "142.250.200.10", "118246"),
    ("fonts.gstatic.com", "142.250.184.195", "118249"),
    ("www.googletagmanager.com", "142.250.200.8", "118252"),
    ("region1.google-analytics.com", "216.239.32.36", "118258"),
    ("js.intercomcdn.com", "13.224.103.71", "118260"),
    ("secure.gravatar.com", "192.0.73.2", "118288"),
    ("www.gravatar.com", "192.0.73.2", "118290"),
    ("probely-reports.s3.eu-west-1.amazonaws.com", "52.218.116.170", "118302"),
];
#[rustfmt::skip]
/// Images: the media type, the extension, and the bytes files of that type start with.
const IMAGES: &[(&str, &str, &[u8])] = &[
    ("image/png", "png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    ("image/png", "png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    ("image/jpeg", "jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01"),
    ("image/webp", "webp", b"RIFF\0\0\0\0WEBPVP8 "),
    ("image/gif", "gif", b"GIF89a"),
];
#[rustfmt::skip]
const MEDIA: &[&str] = &[
    "dashboard-illustration", "empty-state", "scan-in-progress", "logo-dark", "logo-light",
    "findings-chart", "onboarding-step-2", "integrations-jira", "integrations-slack", "avatar",
];
#[rustfmt::skip]
/// Pieces of minified JavaScript, drawn one after another to the size of a script.
const SCRIPT: &[&str] = &[
    r#"function(e,t,n){"use strict";var r=n(67294),o=n.n(r);"#,
    r#"return e&&e.__esModule?e:{default:e}}"#,
    r#"t.default=function(e){return Object.keys(e).map(function(t){return e[t]})};"#,
    r##"var a=document.querySelector("#root");a&&a.classList.add("loaded");"##,
    r#"Promise.resolve().then(function(){return n.e(412).then(n.bind(n,412))});"#,
    r#"if(!(e instanceof t))throw new TypeError("Cannot call a class as a function");"#,
    r#"fetch("https://api.probely.com/"+e,{headers:{Authorization:"JWT "+t}})"#,
    r#"e.replace(/\s+/g," ").trim().toLowerCase()"#,
    r#"i18n:{scan:"Análise",finding:"Vulnerabilidade",target:"Alvo"},"#,
    r#"case"SCAN_STARTED":return{...e,status:"started"};"#,
    r#"JSON.parse('{"theme":"dark","sidebar":{"collapsed":false}}')"#,
    "\n}]);\n",
];
#[rustfmt::skip]
/// Pieces of minified CSS, the same way.
const STYLES: &[&str] = &[
    ".btn-primary{color:#fff;background-color:#2f80ed;border-color:#2f80ed}",
    "@media (max-width:768px){.sidebar{display:none}.content{margin-left:0}}",
    r#"@font-face{font-family:"Inter";font-style:normal;font-weight:400;src:url(https://fonts.gstatic.com/s/inter/v18/UcCO3FwrK3iLTeHuS_fvQtMwCp50KnMw2boKoduKmMEVuLyfAZ9hiA.woff2) format("woff2")}"#,
    ":root{--primary:#2f80ed;--danger:#eb5757;--warning:#f2c94c;--radius:4px}",
    ".finding-row:hover{background:rgba(47,128,237,.08);cursor:pointer}",
    ".table>thead>tr>th{font-weight:600;text-align:left;white-space:nowrap}",
    r#".icon-check:before{content:"\e903"}"#,
    "\n",
];
const VULNERABILITIES: &[&str] = &[
    "SQL Injection",
    "Reflected Cross-Site Scripting",
    "Missing Content Security Policy header",
    "TLS 1.0 enabled",
    "Cookie without HttpOnly flag",
    "Directory listing",
];

/// What to write.
pub struct Options {
    pub files: usize,
    /// Entries per file, the app's page first.
    pub entries: usize,
    /// How many of them are `GET /profile/`, spread over the session.
    pub profile_entries: usize,
    /// Users in each `/profile/` response.
    pub users: usize,
    /// The share of those users given one violation.
    pub invalid_rate: f64,
    pub out: PathBuf,
    pub seed: u64,
}

/// Writes `options.files` sessions, and `MANIFEST.tsv` with a row per invalid user, whose
/// file is named the way profile-lint reports the entry (`session-00000.har#entries[17]`).
pub fn write(options: &Options) -> io::Result<Written> {
    std::fs::create_dir_all(&options.out)?;
    let mut generator = Generator::new(options.seed);
    let mut manifest = String::from("file\tuser\tkind\tpointer\n");
    let mut written = Written { files: Vec::new(), invalid: 0 };
    for file in 0..options.files {
        let name = file_name("session", file, options.files, "har");
        let path = options.out.join(&name);
        let mut out = BufWriter::new(File::create(&path)?);
        let mut session = Session { g: &mut generator, options, name, manifest: &mut manifest };
        written.invalid += session.write(&mut out)?;
        out.flush()?;
        written.files.push(path);
    }
    std::fs::write(options.out.join("MANIFEST.tsv"), manifest)?;
    Ok(written)
}

/// One HAR file being written.
struct Session<'a> {
    g: &'a mut Generator,
    options: &'a Options,
    name: String,
    manifest: &'a mut String,
}

impl Session<'_> {
    /// Writes the log, one entry at a time; returns how many users were given a violation.
    fn write(&mut self, out: &mut impl Write) -> io::Result<usize> {
        // After every date-time the generator writes (2019 to 2025), so that none of the
        // users' is in the future of the capture (R003).
        let mut at =
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 14, 7).unwrap() + Duration::milliseconds(512);
        out.write_all(head(at).as_bytes())?;
        let profile = self.profile_positions();
        let mut invalid = 0;
        for index in 0..self.options.entries {
            let exchange = if index == 0 {
                document()
            } else if profile.contains(&index) {
                let (exchange, drawn) = self.profile();
                let entry = format!("{}#entries[{index}]", self.name);
                invalid += manifest_rows(self.manifest, &entry, &drawn);
                exchange
            } else {
                other(self.g)
            };
            let mut text = String::from(if index == 0 { "\n      " } else { ",\n      " });
            entry(self.g, exchange, at).write(&mut text, Some(6));
            out.write_all(text.as_bytes())?;
            // Requests come in bursts: most start within a few milliseconds of the last.
            let gap =
                if self.g.chance(0.9) { self.g.between(0, 40) } else { self.g.between(200, 9000) };
            at += Duration::milliseconds(gap as i64);
        }
        out.write_all(b"\n    ]\n  }\n}")?;
        Ok(invalid)
    }

    /// Where the `/profile/` entries are: one in each stretch of the session after its page.
    fn profile_positions(&mut self) -> Vec<usize> {
        let (entries, profile) = (self.options.entries, self.options.profile_entries);
        if profile == 0 {
            return Vec::new();
        }
        let stretch = ((entries - 1) / profile).max(1);
        (0..profile).map(|k| 1 + k * stretch + self.g.below(stretch)).collect()
    }

    /// A `GET /profile/` and its users, sorted when the request asks for an ordering.
    fn profile(&mut self) -> (Exchange, Vec<Drawn>) {
        let ordering = if self.g.chance(0.4) { Some(self.g.pick(ORDERINGS)) } else { None };
        let mut drawn = self.g.users(self.options.users, self.options.invalid_rate);
        let mut url = format!("https://{API}/profile/");
        if let Some(ordering) = ordering {
            sort(&mut drawn, ordering);
            url = format!("{url}?ordering={ordering}");
        }
        let mut body = String::new();
        Value::Array(drawn.iter().map(|d| d.user.clone()).collect()).write(&mut body, None);
        let mut exchange = Exchange::get("xhr", "High", url, script_initiator(self.g));
        exchange.mime = "application/json";
        exchange.body = Body::Text(body);
        exchange.response_headers.push(("allow", "GET, PUT, PATCH, HEAD, OPTIONS".into()));
        (exchange, drawn)
    }
}

/// The log up to its first entry: version, creator and the one page of the session.
fn head(at: DateTime<Utc>) -> String {
    let page = Value::Object(vec![
        ("startedDateTime", Value::String(timestamp(at))),
        ("id", Value::str("page_1")),
        ("title", Value::String(format!("https://{APP}/targets/"))),
        (
            "pageTimings",
            Value::Object(vec![
                ("onContentLoad", Value::Number(812.347)),
                ("onLoad", Value::Number(1634.921)),
            ]),
        ),
    ]);
    let creator = Value::Object(vec![
        ("name", Value::str("WebInspector")),
        ("version", Value::str("537.36")),
    ]);
    let mut head = String::from("{\n  \"log\": {");
    for (key, value) in
        [("version", Value::str("1.2")), ("creator", creator), ("pages", Value::Array(vec![page]))]
    {
        head.push_str(&format!("\n    \"{key}\": "));
        value.write(&mut head, Some(4));
        head.push(',');
    }
    head.push_str("\n    \"entries\": [");
    head
}

/// `startedDateTime` as Chrome writes it: UTC, to the millisecond.
fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Sorts users the way the API answers `ordering` (`-` first for descending).
fn sort(drawn: &mut [Drawn], ordering: &str) {
    let field = ordering.trim_start_matches('-');
    drawn.sort_by_cached_key(|d| sort_key(&d.user, field));
    if ordering.starts_with('-') {
        drawn.reverse();
    }
}

/// What `user` sorts by for `field`, compared as profile-lint's R005 compares: an email as
/// text (the generator's are lower case ASCII, so bytes decide), a date-time as an instant
/// (the generator's all name UTC: the date and time to the second, then the fraction).
/// A user without the field (a violation) has none, which decides nothing.
fn sort_key(user: &Value, field: &str) -> Option<(String, u32)> {
    let Value::Object(members) = user else { return None };
    let Some((_, Value::String(text))) = members.iter().find(|(key, _)| *key == field) else {
        return None;
    };
    if field != "changed" {
        return Some((text.clone(), 0));
    }
    let (seconds, rest) = text.split_at(19.min(text.len()));
    let digits: String =
        rest.trim_start_matches('.').chars().take_while(char::is_ascii_digit).collect();
    Some((seconds.to_owned(), format!("{digits:0<9}").parse().unwrap_or(0)))
}

/// One request of the session and its response, before it is written as an entry.
struct Exchange {
    /// Chrome's `_resourceType`: `document`, `script`, `image`, `xhr`, `ping`...
    resource_type: &'static str,
    priority: &'static str,
    initiator: Value,
    method: &'static str,
    url: String,
    /// Request headers beyond those every request of its type sends.
    request_headers: Vec<(&'static str, String)>,
    status: u16,
    mime: &'static str,
    body: Body,
    /// Response headers beyond those every response of its host has.
    response_headers: Vec<(&'static str, String)>,
    redirect: String,
}

/// A response body, as `response.content` records it.
enum Body {
    None,
    Text(String),
    /// Binary, base64-encoded; with the size of the bytes.
    Base64(String, usize),
}

impl Exchange {
    fn get(
        resource_type: &'static str,
        priority: &'static str,
        url: String,
        initiator: Value,
    ) -> Exchange {
        Exchange {
            resource_type,
            priority,
            initiator,
            method: "GET",
            url,
            request_headers: Vec::new(),
            status: 200,
            mime: "x-unknown",
            body: Body::None,
            response_headers: Vec::new(),
            redirect: String::new(),
        }
    }

    fn host(&self) -> &str {
        let rest = self.url.split_once("://").map_or(self.url.as_str(), |(_, rest)| rest);
        rest.split('/').next().unwrap_or_default()
    }

    /// The path and query, as `:path` gives them.
    fn path(&self) -> &str {
        let rest = self.url.split_once("://").map_or(self.url.as_str(), |(_, rest)| rest);
        rest.find('/').map_or("/", |i| &rest[i..])
    }
}

impl Body {
    /// The size of the body's bytes, `content.size`.
    fn size(&self) -> usize {
        match self {
            Body::None => 0,
            Body::Text(text) => text.len(),
            Body::Base64(_, size) => *size,
        }
    }
}

/// The app's page, the session's first entry.
fn document() -> Exchange {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"/><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"/><title>Probely</title><script \
         defer=\"defer\" src=\"{MAIN_JS}\"></script><link href=\"/static/css/main.8d1f3b27.css\" \
         rel=\"stylesheet\"></head><body><noscript>You need to enable JavaScript to run this \
         app.</noscript><div id=\"root\"></div></body></html>"
    );
    let initiator = Value::Object(vec![("type", Value::str("other"))]);
    let url = format!("https://{APP}/targets/");
    let mut exchange = Exchange::get("document", "VeryHigh", url, initiator);
    exchange.mime = "text/html";
    exchange.body = Body::Text(html);
    exchange
}

/// Any other request of the session, in the proportions of a working session of the app: a
/// third are images, which hold most of the bytes.
fn other(g: &mut Generator) -> Exchange {
    match g.below(1000) {
        0..340 => image(g),
        340..500 => script(g),
        500..560 => stylesheet(g),
        560..600 => font(g),
        600..880 => api_call(g),
        880..930 => not_modified(g),
        930..985 => ping(g),
        _ => redirect(g),
    }
}

fn image(g: &mut Generator) -> Exchange {
    let (mime, extension, magic) = IMAGES[g.below(IMAGES.len())];
    let size = size_around(g, 37 << 10, 1.25, 1 << 10..=3 << 20);
    let url = if g.chance(0.2) {
        format!("https://secure.gravatar.com/avatar/{}?s=80&d=mp", hex(g, 32))
    } else {
        format!("https://{APP}/static/media/{}.{}.{extension}", g.pick(MEDIA), hex(g, 20))
    };
    let mut exchange = Exchange::get("image", "Low", url, parser_initiator(g));
    exchange.mime = mime;
    exchange.body = Body::Base64(binary(g, size, magic), size);
    exchange.response_headers.push(("cache-control", "public, max-age=31536000".into()));
    exchange
}

fn font(g: &mut Generator) -> Exchange {
    let size = size_around(g, 48 << 10, 0.6, 8 << 10..=256 << 10);
    let url = format!("https://fonts.gstatic.com/s/inter/v18/{}{}.woff2", g.base58(), g.base58());
    let initiator = Value::Object(vec![
        ("type", Value::str("parser")),
        (
            "url",
            Value::str("https://fonts.googleapis.com/css2?family=Inter:wght@400;600&display=swap"),
        ),
    ]);
    let mut exchange = Exchange::get("font", "VeryHigh", url, initiator);
    exchange.mime = "font/woff2";
    exchange.body = Body::Base64(binary(g, size, b"wOF2\0\x01\0\0"), size);
    exchange.response_headers.push(("access-control-allow-origin", "*".into()));
    exchange
}

fn script(g: &mut Generator) -> Exchange {
    let size = size_around(g, 16 << 10, 1.3, 1 << 10..=1536 << 10);
    let url = match g.below(5) {
        0 => "https://www.googletagmanager.com/gtag/js?id=G-7QX3K2M9PL".to_owned(),
        1 => format!("https://js.intercomcdn.com/frame-modern.{}.js", hex(g, 8)),
        _ => chunk_url(g, "js"),
    };
    let mut exchange = Exchange::get("script", "Low", url, script_initiator(g));
    exchange.mime = "application/javascript";
    let start = "/*! For license information please see main.LICENSE.txt */\n\
                 (self.webpackChunkprobely=self.webpackChunkprobely||[]).push([[";
    exchange.body = Body::Text(text(g, size, start, SCRIPT));
    exchange
}

fn stylesheet(g: &mut Generator) -> Exchange {
    let size = size_around(g, 10 << 10, 1.2, 1 << 10..=512 << 10);
    let url = chunk_url(g, "css");
    let mut exchange = Exchange::get("stylesheet", "VeryHigh", url, parser_initiator(g));
    exchange.mime = "text/css";
    exchange.body = Body::Text(text(g, size, "", STYLES));
    exchange
}

/// A script or stylesheet of the app's build: `/static/js/412.3fa9c01b.chunk.js`.
fn chunk_url(g: &mut Generator, kind: &str) -> String {
    format!("https://{APP}/static/{kind}/{}.{}.chunk.{kind}", g.between(100, 999), hex(g, 8))
}

/// A call of the app to another endpoint of the API, answered with a page of JSON.
fn api_call(g: &mut Generator) -> Exchange {
    let target = g.base58();
    let (path, results): (String, Vec<Value>) = match g.below(3) {
        0 => {
            let count = g.between(0, 50);
            (
                "/targets/?page=1&length=50&ordering=-changed".into(),
                (0..count).map(|_| site(g)).collect(),
            )
        }
        1 => {
            let count = g.between(0, 25);
            let path = format!("/targets/{target}/findings/?page=1&length=25&ordering=-severity");
            (path, (0..count).map(|_| finding(g, &target)).collect())
        }
        _ => ("/labels/?length=100".into(), (0..g.between(0, 40)).map(|_| g.label()).collect()),
    };
    let page = Value::Object(vec![
        ("count", Value::Number(results.len() as f64)),
        ("page_total", Value::Number(1.0)),
        ("page", Value::Number(1.0)),
        ("results", Value::Array(results)),
    ]);
    let mut body = String::new();
    page.write(&mut body, None);
    let url = format!("https://{API}{path}");
    let mut exchange = Exchange::get(
        if g.chance(0.5) { "xhr" } else { "fetch" },
        "High",
        url,
        script_initiator(g),
    );
    exchange.mime = "application/json";
    exchange.body = Body::Text(body);
    exchange
}

/// A target of the account, as `/targets/` lists them.
fn site(g: &mut Generator) -> Value {
    let name =
        format!("{} {}", g.pick(&["Shop", "Portal", "API", "Intranet", "Blog"]), g.between(1, 99));
    let host = format!("https://{}.example.com/", name.to_lowercase().replace(' ', "-"));
    let labels = (0..g.between(0, 3)).map(|_| g.label()).collect();
    Value::Object(vec![
        ("id", Value::String(g.base58())),
        ("name", Value::String(name)),
        (
            "site",
            Value::Object(vec![("id", Value::String(g.base58())), ("url", Value::String(host))]),
        ),
        ("labels", Value::Array(labels)),
        ("risk", Value::Number(g.between(0, 30) as f64)),
        ("changed", Value::String(g.date_time())),
        ("changed_by", g.changed_by()),
    ])
}

/// A finding of `target`, as `/targets/{id}/findings/` lists them.
fn finding(g: &mut Generator, target: &str) -> Value {
    let definition = Value::Object(vec![
        ("id", Value::String(g.base58())),
        ("name", Value::str(g.pick(VULNERABILITIES))),
    ]);
    Value::Object(vec![
        ("id", Value::Number(g.between(1000, 999_999) as f64)),
        ("target", Value::Object(vec![("id", Value::str(target))])),
        ("definition", definition),
        ("url", Value::String(format!("https://shop.example.com/search?q={}", g.between(1, 999)))),
        ("method", Value::str("get")),
        ("severity", Value::Number([10.0, 20.0, 30.0][g.below(3)])),
        ("state", Value::str(if g.chance(0.7) { "notfixed" } else { "fixed" })),
        ("last_found", Value::String(g.date_time())),
        ("changed", Value::String(g.date_time())),
        ("changed_by", g.changed_by()),
    ])
}

/// A revalidation of a script or image the browser holds: `304 Not Modified`, no body.
fn not_modified(g: &mut Generator) -> Exchange {
    let etag = format!("W/\"{}\"", hex(g, 16));
    let mut exchange = if g.chance(0.5) {
        let url = chunk_url(g, "js");
        let mut exchange = Exchange::get("script", "Low", url, script_initiator(g));
        exchange.mime = "application/javascript";
        exchange
    } else {
        let url = format!("https://{APP}/static/media/{}.{}.png", g.pick(MEDIA), hex(g, 20));
        let mut exchange = Exchange::get("image", "Low", url, parser_initiator(g));
        exchange.mime = "image/png";
        exchange
    };
    exchange.status = 304;
    exchange.request_headers.push(("if-none-match", etag.clone()));
    exchange.response_headers.push(("etag", etag));
    exchange
}

/// An analytics beacon: a `POST` with nothing to answer (`204 No Content`).
fn ping(g: &mut Generator) -> Exchange {
    let url = format!(
        "https://region1.google-analytics.com/g/collect?v=2&tid=G-7QX3K2M9PL&gtm=45je5310v9&_p={}\
         &cid={}.{}&ul=en-gb&sr=1728x1117&en=page_view&_s={}",
        g.between(1_000_000_000_000, 9_999_999_999_999),
        g.between(100_000_000, 999_999_999),
        g.between(1_700_000_000, 1_770_000_000),
        g.between(1, 60),
    );
    let mut exchange = Exchange::get("ping", "VeryLow", url, script_initiator(g));
    exchange.method = "POST";
    exchange.status = 204;
    exchange.mime = "text/plain";
    exchange
}

/// A redirect (`302 Found`): a report the API sends on to its storage, or an avatar to the
/// secure host.
fn redirect(g: &mut Generator) -> Exchange {
    let (resource_type, url, location) = if g.chance(0.5) {
        let (target, report) = (g.base58(), g.base58());
        let url = format!("https://{API}/targets/{target}/reports/{report}/download/");
        let location = format!(
            "https://probely-reports.s3.eu-west-1.amazonaws.com/reports/{report}.pdf\
             ?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature={}",
            hex(g, 64)
        );
        ("xhr", url, location)
    } else {
        let hash = hex(g, 32);
        let avatar = |host: &str| format!("https://{host}/avatar/{hash}?s=80&d=mp");
        ("image", avatar("www.gravatar.com"), avatar("secure.gravatar.com"))
    };
    let mut exchange = Exchange::get(resource_type, "Low", url, script_initiator(g));
    exchange.status = 302;
    exchange.response_headers.push(("location", location.clone()));
    exchange.redirect = location;
    exchange
}

/// The HAR entry of `exchange`, started `at`: Chrome's members, in Chrome's order.
fn entry(g: &mut Generator, mut exchange: Exchange, at: DateTime<Utc>) -> Value {
    let host = HOSTS.iter().find(|(host, _, _)| *host == exchange.host());
    let (address, connection) = host.map_or(("", ""), |(_, address, id)| (*address, *id));
    let body = std::mem::replace(&mut exchange.body, Body::None);
    let (time, timings) = timings(g, body.size());
    let request = request(&exchange);
    let response = response(&exchange, body, at);
    Value::Object(vec![
        ("_initiator", exchange.initiator),
        ("_priority", Value::str(exchange.priority)),
        ("_resourceType", Value::str(exchange.resource_type)),
        ("cache", Value::Object(Vec::new())),
        ("connection", Value::str(connection)),
        ("pageref", Value::str("page_1")),
        ("request", request),
        ("response", response),
        ("serverIPAddress", Value::str(address)),
        ("startedDateTime", Value::String(timestamp(at))),
        ("time", Value::Number(time)),
        ("timings", timings),
    ])
}

fn request(exchange: &Exchange) -> Value {
    Value::Object(vec![
        ("method", Value::str(exchange.method)),
        ("url", Value::String(exchange.url.clone())),
        ("httpVersion", Value::str("http/2.0")),
        ("headers", header_objects(request_headers(exchange))),
        ("queryString", query_string(&exchange.url)),
        ("cookies", Value::Array(Vec::new())),
        ("headersSize", Value::Number(-1.0)),
        ("bodySize", Value::Number(0.0)),
    ])
}

/// `request.queryString`: the URL's parameters, in order, as written.
fn query_string(url: &str) -> Value {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let pairs = query.split('&').filter(|pair| !pair.is_empty()).map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        Value::Object(vec![("name", Value::str(name)), ("value", Value::str(value))])
    });
    Value::Array(pairs.collect())
}

fn header_objects(list: Vec<(&str, String)>) -> Value {
    let objects = list.into_iter().map(|(name, value)| {
        Value::Object(vec![("name", Value::str(name)), ("value", Value::String(value))])
    });
    Value::Array(objects.collect())
}

/// What Chrome sends for a request of this type: the HTTP/2 pseudo-headers, then the others
/// in the order of their names, as DevTools lists them.
fn request_headers(exchange: &Exchange) -> Vec<(&'static str, String)> {
    let host = exchange.host();
    let (accept, dest, mode) = match exchange.resource_type {
        "document" => (
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
            "document",
            "navigate",
        ),
        "stylesheet" => ("text/css,*/*;q=0.1", "style", "no-cors"),
        "image" => {
            ("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "image", "no-cors")
        }
        "font" => ("*/*", "font", "cors"),
        "script" => ("*/*", "script", "no-cors"),
        "ping" => ("*/*", "empty", "no-cors"),
        _ => ("application/json, text/plain, */*", "empty", "cors"),
    };
    let site = match exchange.resource_type {
        "document" => "none",
        _ if host == APP => "same-origin",
        _ => "cross-site",
    };
    let mut headers: Vec<(&'static str, String)> = vec![
        ("accept", accept.into()),
        ("accept-encoding", "gzip, deflate, br, zstd".into()),
        ("accept-language", "en-GB,en-US;q=0.9,en;q=0.8,pt;q=0.7".into()),
        (
            "sec-ch-ua",
            r#""Not(A:Brand";v="99", "Google Chrome";v="133", "Chromium";v="133""#.into(),
        ),
        ("sec-ch-ua-mobile", "?0".into()),
        ("sec-ch-ua-platform", "\"macOS\"".into()),
        ("sec-fetch-dest", dest.into()),
        ("sec-fetch-mode", mode.into()),
        ("sec-fetch-site", site.into()),
        ("user-agent", USER_AGENT.into()),
    ];
    if exchange.resource_type != "document" {
        headers.push(("referer", format!("https://{APP}/")));
    }
    if mode == "cors" {
        headers.push(("origin", format!("https://{APP}")));
    }
    if host == API {
        headers.push(("authorization", format!("JWT {TOKEN}")));
    }
    headers.extend(exchange.request_headers.iter().cloned());
    headers.sort_by_key(|(name, _)| *name);
    let pseudo = [
        (":authority", host.to_owned()),
        (":method", exchange.method.to_owned()),
        (":path", exchange.path().to_owned()),
        (":scheme", "https".to_owned()),
    ];
    pseudo.into_iter().chain(headers).collect()
}

fn response(exchange: &Exchange, body: Body, at: DateTime<Utc>) -> Value {
    let headers = response_headers(exchange, &body, at);
    let header_bytes: usize =
        headers.iter().map(|(name, value)| name.len() + value.len() + 4).sum();
    // Text comes compressed (brotli, about a quarter of its size); images and fonts as they are.
    let body_size = match &body {
        Body::None => 0,
        Body::Text(text) => text.len() / 4 + 1,
        Body::Base64(_, size) => *size,
    };
    Value::Object(vec![
        ("status", Value::Number(f64::from(exchange.status))),
        // HTTP/2 has no reason phrase.
        ("statusText", Value::str("")),
        ("httpVersion", Value::str("http/2.0")),
        ("headers", header_objects(headers)),
        ("cookies", Value::Array(Vec::new())),
        ("content", content(exchange.mime, body)),
        ("redirectURL", Value::String(exchange.redirect.clone())),
        ("headersSize", Value::Number(-1.0)),
        ("bodySize", Value::Number(body_size as f64)),
        ("_transferSize", Value::Number((body_size + header_bytes) as f64)),
        ("_error", Value::Null),
        ("_fetchedViaServiceWorker", Value::Bool(false)),
    ])
}

/// The headers of the response: those of its host and body, then the exchange's own, in the
/// order of their names.
fn response_headers(
    exchange: &Exchange,
    body: &Body,
    at: DateTime<Utc>,
) -> Vec<(&'static str, String)> {
    let mut headers = vec![("date", at.format("%a, %d %b %Y %H:%M:%S GMT").to_string())];
    let mime = exchange.mime;
    match body {
        Body::None => {}
        Body::Text(_) if mime == "application/json" => headers.push(("content-type", mime.into())),
        Body::Text(_) => headers.push(("content-type", format!("{mime}; charset=utf-8"))),
        Body::Base64(_, size) => {
            headers.push(("content-type", mime.into()));
            headers.push(("content-length", size.to_string()));
        }
    }
    if matches!(body, Body::Text(_)) {
        headers.push(("content-encoding", "br".into()));
    }
    if exchange.host() == API {
        headers.extend([
            ("access-control-allow-origin", format!("https://{APP}")),
            ("server", "nginx".into()),
            ("strict-transport-security", "max-age=31536000; includeSubDomains".into()),
            ("vary", "Accept, Origin, Accept-Encoding".into()),
            ("x-content-type-options", "nosniff".into()),
            ("x-frame-options", "DENY".into()),
        ]);
    } else if exchange.host() == APP {
        headers.push(("server", "cloudflare".into()));
        headers.push(("cf-ray", "91a3c7e5fb2e5d3a-LIS".into()));
    }
    headers.extend(exchange.response_headers.iter().cloned());
    headers.sort_by_key(|(name, _)| *name);
    headers
}

/// `response.content`: the body's size and type, and the body itself when there is one.
fn content(mime: &'static str, body: Body) -> Value {
    let mut content =
        vec![("size", Value::Number(body.size() as f64)), ("mimeType", Value::str(mime))];
    match body {
        Body::None => {}
        Body::Text(text) => content.push(("text", Value::String(text))),
        Body::Base64(text, _) => {
            content.push(("text", Value::String(text)));
            content.push(("encoding", Value::str("base64")));
        }
    }
    Value::Object(content)
}

/// Chrome's timings in milliseconds (to the microsecond here), and their total, `time`: a
/// new connection now and then (-1 where there is none), the body received at ~10 MB/s.
fn timings(g: &mut Generator, size: usize) -> (f64, Value) {
    let micros = |g: &mut Generator, low: u64, high: u64| g.between(low, high) as i64;
    let blocked = micros(g, 300, 9_000);
    let queueing = micros(g, 100, blocked as u64);
    let (dns, ssl, connect) = if g.chance(0.03) {
        let ssl = micros(g, 10_000, 40_000);
        (micros(g, 1_000, 30_000), ssl, ssl + micros(g, 5_000, 30_000))
    } else {
        (-1_000, -1_000, -1_000)
    };
    let send = micros(g, 40, 400);
    let wait = micros(g, 15_000, 250_000);
    let receive = size as i64 / 10 + micros(g, 100, 3_000);
    let total = blocked + dns.max(0) + connect.max(0) + send + wait + receive;
    let ms = |micros: i64| Value::Number(micros as f64 / 1000.0);
    let timings = Value::Object(vec![
        ("blocked", ms(blocked)),
        ("dns", ms(dns)),
        ("ssl", ms(ssl)),
        ("connect", ms(connect)),
        ("send", ms(send)),
        ("wait", ms(wait)),
        ("receive", ms(receive)),
        ("_blocked_queueing", ms(queueing)),
    ]);
    (total as f64 / 1000.0, timings)
}

/// A request the page's markup makes.
fn parser_initiator(g: &mut Generator) -> Value {
    Value::Object(vec![
        ("type", Value::str("parser")),
        ("url", Value::String(format!("https://{APP}/targets/"))),
        ("lineNumber", Value::Number(g.between(0, 40) as f64)),
    ])
}

/// A request the app's code makes, with the call stack Chrome records for it.
fn script_initiator(g: &mut Generator) -> Value {
    let names = [g.pick(&["dispatchXhrRequest", "xhr", "fetchApi", ""]), "request", ""];
    let frames = names.map(|name| {
        Value::Object(vec![
            ("functionName", Value::str(name)),
            ("scriptId", Value::str("87")),
            ("url", Value::str(MAIN_JS)),
            ("lineNumber", Value::Number(1.0)),
            ("columnNumber", Value::Number(g.between(1_000, 900_000) as f64)),
        ])
    });
    let stack = Value::Object(vec![("callFrames", Value::Array(Vec::from(frames)))]);
    Value::Object(vec![("type", Value::str("script")), ("stack", stack)])
}

/// A size around `median`, spread as the sizes of files are (log-normal: `spread` is the
/// standard deviation of the logarithm), within `range`.
fn size_around(
    g: &mut Generator,
    median: usize,
    spread: f64,
    range: RangeInclusive<usize>,
) -> usize {
    // Box-Muller: a standard normal from two uniform numbers (`1 -` keeps the logarithm finite).
    let normal = (-2.0 * (1.0 - g.random()).ln()).sqrt() * (TAU * g.random()).cos();
    let size = (median as f64 * (spread * normal).exp()) as usize;
    size.clamp(*range.start(), *range.end())
}

/// A binary file of `size` bytes, base64-encoded: `magic`, as files of its type start, then
/// noise, which is what compressed image and font data looks like. The noise comes from a
/// generator of its own, so that the size of a body changes nothing else in the session.
fn binary(g: &mut Generator, size: usize, magic: &[u8]) -> String {
    let mut noise = Generator::new(g.next_u64());
    let mut bytes = Vec::with_capacity(size + 8);
    bytes.extend_from_slice(magic);
    while bytes.len() < size {
        bytes.extend_from_slice(&noise.next_u64().to_le_bytes());
    }
    bytes.truncate(size);
    base64::engine::general_purpose::STANDARD.encode(&bytes)
}

/// About `size` bytes of text: `start`, then pieces drawn from `pieces`.
fn text(g: &mut Generator, size: usize, start: &str, pieces: &[&str]) -> String {
    let mut text = String::with_capacity(size + 256);
    text.push_str(start);
    while text.len() < size {
        text.push_str(g.pick(pieces));
    }
    text
}

fn hex(g: &mut Generator, digits: usize) -> String {
    (0..digits).map(|_| char::from(b"0123456789abcdef"[g.below(16)])).collect()
}
