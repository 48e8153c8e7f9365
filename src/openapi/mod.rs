//! The contract from an OpenAPI document (3.0.x or 3.1.x, JSON or YAML): which operation
//! documents an exchange, which response its status and media type select, and that response's
//! JSON Schema, compiled once on first use.
//!
//! Local references (`#/components/...`) and files beside the document are followed; nothing is
//! fetched. A problem in the document is an I006 finding at its line and column there.

mod bundle;
mod document;
mod paths;
mod walk;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value as Json;

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::exchange::is_json_media;
use crate::json::pointer;
use crate::schema::Schema;
use crate::source::Source;
pub use document::Document;
use paths::Template;
pub use walk::extra_findings;

/// The files of a document: the document itself (`""`) and those its references name, by
/// their path relative to the document's folder.
#[derive(Debug, Default)]
pub struct Files {
    docs: HashMap<String, Document>,
    /// The text of each, for the frame of a problem in it.
    sources: HashMap<String, Source>,
    /// The document is OpenAPI 3.0, whose Schema Objects are translated.
    v30: bool,
}

impl Files {
    /// The value at `at` (a JSON pointer) of `file`.
    pub fn get(&self, file: &str, at: &str) -> Option<&Json> {
        self.docs.get(file)?.value.pointer(at)
    }

    /// The file and pointer a reference written in `file` names.
    pub fn target(&self, reference: &str, file: &str) -> (String, String) {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let fragment = crate::exchange::percent_decode(fragment, false);
        if path.is_empty() {
            return (file.to_owned(), fragment);
        }
        (join(file, path), fragment)
    }
}

/// `path` relative to the folder of `file`, both relative to the document's folder.
fn join(file: &str, path: &str) -> String {
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "." | "" => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// One operation: a method on a path template.
#[derive(Debug)]
pub struct Operation {
    /// `GET /targets/{target_id}/`, as reports name it.
    pub label: String,
    pub method: String,
    pub path: String,
    pub id: Option<String>,
    template: Template,
    /// The file (`""` for the document itself, another for a path item written as a `$ref`)
    /// and the pointer of the operation object there.
    file: String,
    at: String,
}

/// The response an exchange's status and media type select, and its schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selected {
    pub operation: usize,
    pub status: String,
    pub media: String,
    /// The file and pointer of the Schema Object.
    file: String,
    at: String,
}

/// What the document says of an exchange: the response it selects, or why none.
#[derive(Debug, Clone)]
pub enum Answer {
    /// A documented response with a schema for its body.
    Schema(Selected),
    /// A documented response without a body to check (no `content`, or no schema).
    NoBody,
    /// The status is not among the operation's responses.
    UndocumentedStatus { documented: Vec<String> },
    /// The media type is not among the response's.
    UndocumentedMediaType { documented: Vec<String> },
}

/// What an exchange asks of the document: its operation, status and `Content-Type`.
type Question = (usize, u16, Option<String>);

/// A response's schema, compiled once and shared, or why it does not compile.
pub type Compiled = Arc<Result<Schema, String>>;

/// A parsed OpenAPI document, ready to match exchanges.
pub struct Contract {
    /// As given on the command line, for messages.
    pub name: String,
    files: Files,
    /// The document's `servers`, or one at `/` when it names none.
    servers: Vec<Server>,
    pub operations: Vec<Operation>,
    /// The operations by the shape of the paths they match (see [`Template::shape`]).
    by_shape: HashMap<(usize, Option<String>), Vec<usize>>,
    dialect: String,
    /// The answers given, by operation, status and `Content-Type`: a recording asks the same
    /// few questions thousands of times.
    answers: Mutex<HashMap<Question, Answer>>,
    /// Each schema compiled, by response and by whether its messages speak of users.
    compiled: Mutex<HashMap<(Selected, bool), Compiled>>,
    /// The same, by the schema's text.
    same: Mutex<HashMap<String, Compiled>>,
}

impl std::fmt::Debug for Contract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contract").field("name", &self.name).finish_non_exhaustive()
    }
}

/// A problem in the document: an I006 finding, and the source its span is in.
pub struct Invalid {
    pub source: Source,
    pub diagnostic: Diagnostic,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

impl Contract {
    /// Reads the document at `path` and the files its references name.
    pub fn load(path: &Path, name: &str) -> Result<Contract, Box<Invalid>> {
        let text = std::fs::read(path).map_err(|e| {
            let source = Source::new(name, Vec::new());
            let d = invalid(format!("the OpenAPI document {name} cannot be read: {e}"), None);
            Box::new(Invalid { source, diagnostic: d })
        })?;
        let source = Source::new(name, text);
        let fail = |source: &Source, message: String, span: Span| {
            Box::new(Invalid { source: source.clone(), diagnostic: invalid(message, Some(span)) })
        };
        let text = std::str::from_utf8(&source.bytes).map_err(|e| {
            fail(&source, "the document is not UTF-8 text".into(), Span::new(e.valid_up_to(), 1))
        })?;
        let main = Document::read(text).map_err(|e| fail(&source, e.message, e.span))?;
        let v30 = version(&main).map_err(|(m, at)| fail(&source, m, main.place(at)))?;
        let dialect =
            dialect(&main, v30).map_err(|m| fail(&source, m, main.place("/jsonSchemaDialect")))?;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut files = Files { docs: HashMap::new(), sources: HashMap::new(), v30 };
        files.docs.insert(String::new(), main);
        files.sources.insert(String::new(), source.clone());
        load_references(&mut files, &folder, name).map_err(|e| *e).map_err(Box::new)?;
        let main = &files.docs[""];
        let operations = operations(&files);
        let servers = servers(&main.value);
        let mut by_shape: HashMap<(usize, Option<String>), Vec<usize>> = HashMap::new();
        for (i, op) in operations.iter().enumerate() {
            let (len, first) = op.template.shape();
            by_shape.entry((len, first.map(str::to_owned))).or_default().push(i);
        }
        let name = name.to_owned();
        let (answers, compiled, same) = (Mutex::default(), Mutex::default(), Mutex::default());
        Ok(Contract {
            name,
            files,
            servers,
            operations,
            by_shape,
            dialect,
            answers,
            compiled,
            same,
        })
    }

    /// The operation documenting `method` on the URL path `path`: below a server's base path,
    /// the template with the most written-out segments. `None` when the path is not below any
    /// server (not this API's), `Some(None)` when it is but no operation documents it.
    pub fn operation(&self, method: &str, path: &str) -> Option<Option<usize>> {
        let mut below_any = false;
        let mut best: Option<(usize, usize)> = None;
        for server in &self.servers {
            let Some(rest) = paths::below(path, &server.base) else { continue };
            below_any = true;
            let parts: Vec<&str> = rest.split('/').collect();
            let first = parts.get(1).map(|p| p.to_string());
            let written = self.by_shape.get(&(parts.len(), first)).into_iter().flatten();
            let templated = self.by_shape.get(&(parts.len(), None)).into_iter().flatten();
            for &i in written.chain(templated) {
                let op = &self.operations[i];
                if !op.method.eq_ignore_ascii_case(method) {
                    continue;
                }
                if let Some(literal) = op.template.matches(&parts)
                    && best.is_none_or(|(_, b)| literal > b)
                {
                    best = Some((i, literal));
                }
            }
        }
        below_any.then_some(best.map(|(i, _)| i))
    }

    /// The methods the document has for `path` (on any template that matches it).
    pub fn methods(&self, path: &str) -> Vec<String> {
        METHODS
            .iter()
            .filter(|m| matches!(self.operation(m, path), Some(Some(_))))
            .map(|m| m.to_ascii_uppercase())
            .collect()
    }

    /// Whether a request to `url` is one to this API: to a server's host (when the server names
    /// one) and below its base path. Where no server names a host, only a JSON response (`json`)
    /// is taken for the API's: a browser's recording holds pages, scripts and images too.
    pub fn serves(&self, url: &str, json: bool) -> bool {
        let path = crate::exchange::url_path(url);
        let host = host_of(url);
        self.servers.iter().any(|server| {
            let on_host = match (&server.host, host) {
                (Some(wanted), Some(host)) => wanted.eq_ignore_ascii_case(host),
                (Some(_), None) => false,
                (None, _) => json,
            };
            on_host && paths::below(path, &server.base).is_some()
        })
    }

    /// The response a capture without a status stands for: `200`, else the first success
    /// (`2XX` or `201`...), else `default`; its JSON media type, else its first.
    pub fn success(&self, op: usize) -> Answer {
        let (_, keys) = self.responses(op);
        let status = keys
            .iter()
            .find(|k| **k == "200")
            .or_else(|| keys.iter().find(|k| k.starts_with('2')))
            .and_then(|k| k.replace(['X', 'x'], "0").parse().ok())
            .unwrap_or(200);
        self.answer(op, status, self.default_media(op, status).as_deref())
    }

    /// The media type a capture that does not say stands for: the response's JSON one, else
    /// its first.
    fn default_media(&self, op: usize, status: u16) -> Option<String> {
        let Ok((_, file, at)) = self.response(op, status) else { return None };
        let content = self.files.get(&file, &format!("{at}/content")).and_then(Json::as_object)?;
        let mut types = content.keys();
        content.keys().find(|m| is_json_media(m)).or_else(|| types.next()).cloned()
    }

    /// Where `op`'s `responses` are, and their keys (`200`, `4XX`, `default`).
    fn responses(&self, op: usize) -> (String, Vec<&str>) {
        let operation = &self.operations[op];
        let at = format!("{}/responses", operation.at);
        let responses = self.files.get(&operation.file, &at).and_then(Json::as_object);
        let keys = responses.map(|r| r.keys().map(String::as_str).collect()).unwrap_or_default();
        (at, keys)
    }

    /// The response `op` documents for `status`: its key and where it is (after a reference
    /// to `components/responses`), or the keys it documents.
    fn response(&self, op: usize, status: u16) -> Result<(String, String, String), Vec<String>> {
        let (responses_at, keys) = self.responses(op);
        let Some(key) = paths::response_key(keys.iter().copied(), status) else {
            return Err(keys.iter().map(|k| k.to_string()).collect());
        };
        let mut at = responses_at;
        pointer::push_segment(&mut at, key);
        let (file, at) = self.follow(&self.operations[op].file, &at);
        Ok((key.to_owned(), file, at))
    }

    /// The path of a URL path below the first server whose base path it is under, as the
    /// document's `paths` write it.
    pub fn relative<'p>(&self, path: &'p str) -> &'p str {
        self.servers.iter().find_map(|server| paths::below(path, &server.base)).unwrap_or(path)
    }

    /// The operation `--operation` names: `GET /targets/{target_id}/`, or an `operationId`.
    pub fn named(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.operations.iter().position(|op| {
            op.id.as_deref() == Some(name)
                || name
                    .split_once(' ')
                    .is_some_and(|(m, p)| m.eq_ignore_ascii_case(&op.method) && p.trim() == op.path)
        })
    }

    /// What operation `op` documents for a response with `status` and `content_type`.
    pub fn answer(&self, op: usize, status: u16, content_type: Option<&str>) -> Answer {
        let key = (op, status, content_type.map(str::to_owned));
        let mut answers = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(answer) = answers.get(&key) {
            return answer.clone();
        }
        let answer = self.answer_anew(op, status, content_type);
        answers.insert(key, answer.clone());
        answer
    }

    fn answer_anew(&self, op: usize, status: u16, content_type: Option<&str>) -> Answer {
        let (key, file, at) = match self.response(op, status) {
            Ok(found) => found,
            Err(documented) => return Answer::UndocumentedStatus { documented },
        };
        let content_at = format!("{at}/content");
        let Some(content) = self.files.get(&file, &content_at).and_then(Json::as_object) else {
            return Answer::NoBody;
        };
        let media_keys: Vec<&str> = content.keys().map(String::as_str).collect();
        let found = content_type.and_then(|t| paths::media_key(media_keys.iter().copied(), t));
        let Some(media) = found else {
            let documented = media_keys.iter().map(|k| k.to_string()).collect();
            return Answer::UndocumentedMediaType { documented };
        };
        let mut schema_at = content_at;
        pointer::push_segment(&mut schema_at, media);
        schema_at.push_str("/schema");
        if self.files.get(&file, &schema_at).is_none() {
            return Answer::NoBody;
        }
        Answer::Schema(Selected {
            operation: op,
            status: key,
            media: media.to_owned(),
            file,
            at: schema_at,
        })
    }

    /// The schema of a selected response, compiled on first use; with `profile` (the
    /// endpoint's own operation), its messages speak of users.
    pub fn schema(&self, selected: &Selected, profile: bool) -> Compiled {
        let key = (selected.clone(), profile);
        let mut compiled = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(schema) = compiled.get(&key) {
            return Arc::clone(schema);
        }
        let json = self.json_schema(selected);
        // Operations often answer with the same schema (a list of the same component): it is
        // compiled once for all of them.
        let text = format!("{profile}{json}");
        let mut same = self.same.lock().unwrap_or_else(|e| e.into_inner());
        let schema = match same.get(&text) {
            Some(schema) => Arc::clone(schema),
            None => {
                let schema = Arc::new(Schema::from_bundle(json, profile));
                same.insert(text, Arc::clone(&schema));
                schema
            }
        };
        compiled.insert(key, Arc::clone(&schema));
        schema
    }

    /// The JSON Schema of `op`'s response to `status` (its success when `None`) in `media`
    /// (its JSON type when `None`), or why there is none.
    pub fn selected_schema(
        &self,
        op: usize,
        status: Option<u16>,
        media: Option<&str>,
    ) -> Result<Json, String> {
        let answer = match (status, media) {
            (None, None) => self.success(op),
            (status, media) => {
                let status = status.unwrap_or(200);
                let media = media.map(str::to_owned).or_else(|| self.default_media(op, status));
                self.answer(op, status, media.as_deref())
            }
        };
        let label = &self.operations[op].label;
        match answer {
            Answer::Schema(selected) => Ok(self.json_schema(&selected)),
            Answer::NoBody => Err(format!("that response of {label} documents no body")),
            Answer::UndocumentedStatus { documented } => Err(format!(
                "{label} documents no such status; it documents {}",
                documented.join(", ")
            )),
            Answer::UndocumentedMediaType { documented } => Err(format!(
                "that response of {label} documents no such media type; it documents {}",
                documented.join(", ")
            )),
        }
    }

    /// The JSON Schema profile-lint checks a selected response's body against.
    pub fn json_schema(&self, selected: &Selected) -> Json {
        bundle::bundle(&self.files, &selected.file, &selected.at, &self.dialect)
    }

    /// The file and pointer a value refers to, after its `$ref`s (at most a few).
    fn follow(&self, file: &str, at: &str) -> (String, String) {
        let (mut file, mut at) = (file.to_owned(), at.to_owned());
        for _ in 0..8 {
            let reference =
                self.files.get(&file, &at).and_then(|v| v.get("$ref")).and_then(Json::as_str);
            let Some(reference) = reference else { break };
            (file, at) = self.files.target(reference, &file);
        }
        (file, at)
    }
}

fn invalid(message: String, span: Option<Span>) -> Diagnostic {
    let d = Diagnostic::new(Code::InvalidOpenapi, message)
        .with_help("--openapi takes an OpenAPI 3.0 or 3.1 document, JSON or YAML, whose references are in it or in files beside it");
    match span {
        Some(span) => d.with_span(span),
        None => d,
    }
}

/// Whether the document is OpenAPI 3.0 (else 3.1), or why it is neither.
fn version(doc: &Document) -> Result<bool, (String, &'static str)> {
    if doc.value.get("swagger").is_some() {
        return Err((
            "Swagger 2.0 is not supported: convert the document to OpenAPI 3".into(),
            "/swagger",
        ));
    }
    let Some(version) = doc.value.get("openapi") else {
        return Err(("not an OpenAPI document: there is no `openapi` version".into(), ""));
    };
    // YAML reads an unquoted `openapi: 3.0` as a number.
    let text =
        version.as_str().map(str::to_owned).or_else(|| version.as_f64().map(|n| n.to_string()));
    match text.as_deref() {
        Some(v) if v.starts_with("3.0.") || v == "3.0" || v == "3" => Ok(true),
        Some(v) if v.starts_with("3.1.") || v == "3.1" => Ok(false),
        _ => Err((
            format!(
                "OpenAPI {} is not supported: profile-lint reads 3.0.x and 3.1.x",
                version_text(version)
            ),
            "/openapi",
        )),
    }
}

fn version_text(version: &Json) -> String {
    version.as_str().map_or_else(|| version.to_string(), str::to_owned)
}

/// The JSON Schema dialect of the document's Schema Objects.
fn dialect(doc: &Document, v30: bool) -> Result<String, String> {
    const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
    let Some(declared) = doc.value.get("jsonSchemaDialect").filter(|_| !v30) else {
        return Ok(DRAFT_2020_12.to_owned());
    };
    let known = [
        DRAFT_2020_12,
        "https://json-schema.org/draft/2019-09/schema",
        "http://json-schema.org/draft-07/schema#",
        "http://json-schema.org/draft-07/schema",
    ];
    match declared.as_str() {
        Some(d) if d.starts_with("https://spec.openapis.org/oas/3.1/dialect") => {
            Ok(DRAFT_2020_12.to_owned())
        }
        Some(d) if known.contains(&d) => Ok(d.to_owned()),
        _ => Err(format!(
            "the jsonSchemaDialect {declared} is not one profile-lint knows (draft 2020-12, 2019-09 or 07)"
        )),
    }
}

/// Loads every file a reference names, and checks that every reference names something.
/// Each file is read once; a reference into one already read is checked against it.
fn load_references(files: &mut Files, folder: &Path, name: &str) -> Result<(), Box<Invalid>> {
    let mut pending = vec![String::new()];
    while let Some(file) = pending.pop() {
        let mut references = Vec::new();
        collect_references(&files.docs[&file].value, &mut String::new(), &mut references);
        for (at, reference) in references {
            let (target, pointer) = files.target(&reference, &file);
            if !files.docs.contains_key(&target) {
                let Ok(text) = std::fs::read_to_string(folder.join(&target)) else {
                    let why = "no such file beside the document (nothing is fetched)";
                    return Err(unresolved(files, &file, &at, &reference, why));
                };
                let source = Source::new(shown_name(name, &target), text.clone());
                let doc = Document::read(&text).map_err(|e| {
                    let diagnostic = invalid(e.message, Some(e.span));
                    Box::new(Invalid { source: source.clone(), diagnostic })
                })?;
                files.docs.insert(target.clone(), doc);
                files.sources.insert(target.clone(), source);
                pending.push(target.clone());
            }
            if files.get(&target, &pointer).is_none() {
                let why = "nothing is at that pointer";
                return Err(unresolved(files, &file, &at, &reference, why));
            }
        }
    }
    Ok(())
}

/// A reference (at pointer `at` of `file`) that names nothing, placed in its file.
fn unresolved(files: &Files, file: &str, at: &str, reference: &str, why: &str) -> Box<Invalid> {
    let span = files.docs[file].place(at);
    let source = files.sources[file].clone();
    let message = format!("the reference {reference:?} names nothing: {why}");
    let d = invalid(message, Some(span)).with_label("this $ref").with_pointer(at);
    Box::new(Invalid { source, diagnostic: d })
}

/// The name a file beside the document is shown by: its path next to the document's.
fn shown_name(document: &str, file: &str) -> String {
    match document.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{file}"),
        None => file.to_owned(),
    }
}

fn collect_references(value: &Json, at: &mut String, out: &mut Vec<(String, String)>) {
    let len = at.len();
    match value {
        Json::Object(map) => {
            for (key, member) in map {
                pointer::push_segment(at, key);
                match (key.as_str(), member) {
                    ("$ref", Json::String(reference)) => out.push((at.clone(), reference.clone())),
                    // (Every `$ref` is followed, examples' too: a property may be named
                    // `example`, and telling the two apart needs the schema's structure.)
                    _ => collect_references(member, at, out),
                }
                at.truncate(len);
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push_str(&format!("/{i}"));
                collect_references(item, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Every operation of the document's `paths`.
fn operations(files: &Files) -> Vec<Operation> {
    let mut found = Vec::new();
    let paths = files.get("", "/paths").and_then(Json::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let mut item_at = "/paths".to_owned();
        pointer::push_segment(&mut item_at, path);
        // A path item may be a reference (to a file beside the document, most often).
        let (file, item_at) = match item.get("$ref").and_then(Json::as_str) {
            Some(reference) => files.target(reference, ""),
            None => (String::new(), item_at),
        };
        let Some(item) = files.get(&file, &item_at).and_then(Json::as_object) else { continue };
        for (method, operation) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let mut at = item_at.clone();
            pointer::push_segment(&mut at, method);
            let id = operation.get("operationId").and_then(Json::as_str).map(str::to_owned);
            found.push(Operation {
                label: format!("{} {path}", method.to_ascii_uppercase()),
                method: method.clone(),
                path: path.clone(),
                id,
                template: Template::new(path),
                file: file.clone(),
                at,
            });
        }
    }
    found
}

/// A server of the document: its host, if its URL names one, and its base path.
#[derive(Debug)]
struct Server {
    host: Option<String>,
    base: String,
}

/// The document's `servers`, with every value their variables may take (the default, and those
/// an `enum` lists), up to a few dozen URLs a server.
fn servers(doc: &Json) -> Vec<Server> {
    let listed = doc.get("servers").and_then(Json::as_array);
    let mut servers = Vec::new();
    for server in listed.into_iter().flatten() {
        let Some(url) = server.get("url").and_then(Json::as_str) else { continue };
        let mut urls = vec![url.to_owned()];
        let variables = server.get("variables").and_then(Json::as_object);
        for (name, variable) in variables.into_iter().flatten() {
            let default = variable.get("default").and_then(Json::as_str).unwrap_or_default();
            let listed = variable.get("enum").and_then(Json::as_array);
            let mut values = vec![default];
            values.extend(listed.into_iter().flatten().filter_map(Json::as_str));
            values.dedup();
            let placeholder = format!("{{{name}}}");
            urls = urls
                .iter()
                .flat_map(|u| values.iter().map(|v| u.replace(&placeholder, v)).collect::<Vec<_>>())
                .take(32)
                .collect();
        }
        for url in urls {
            let base = crate::exchange::url_path(&url).to_owned();
            servers.push(Server { host: host_of(&url).map(str::to_ascii_lowercase), base });
        }
    }
    if servers.is_empty() {
        servers.push(Server { host: None, base: String::new() });
    }
    servers
}

/// The host of an absolute URL (`api.probely.com` of `https://api.probely.com:443/x`).
fn host_of(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_resolved_against_their_file() {
        assert_eq!(join("", "common.yaml"), "common.yaml");
        assert_eq!(join("schemas/a.yaml", "../b.yaml"), "b.yaml");
        assert_eq!(join("schemas/a.yaml", "./c.yaml"), "schemas/c.yaml");
        let files = Files::default();
        assert_eq!(
            files.target("#/components/schemas/User", ""),
            (String::new(), "/components/schemas/User".into())
        );
        assert_eq!(files.target("x.yaml#/A%20B", "s/y.yaml"), ("s/x.yaml".into(), "/A B".into()));
    }

    #[test]
    fn a_server_stands_for_every_value_of_its_variables() {
        let doc = serde_json::json!({"servers": [{"url": "https://{region}.example.com/{v}",
            "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}, "v": {"default": "v1"}}}]});
        let found: Vec<(Option<String>, String)> =
            servers(&doc).into_iter().map(|s| (s.host, s.base)).collect();
        assert_eq!(
            found,
            [
                (Some("eu.example.com".into()), "/v1".into()),
                (Some("us.example.com".into()), "/v1".into())
            ]
        );
    }

    #[test]
    fn hosts_are_read_from_absolute_urls() {
        assert_eq!(host_of("https://api.probely.com/profile/"), Some("api.probely.com"));
        assert_eq!(host_of("https://user@api.probely.com:8443"), Some("api.probely.com"));
        assert_eq!(host_of("/api/v1"), None);
    }
}
