//! With an OpenAPI document (`--openapi`): the operation, response and schema an exchange is
//! checked against, and what the document says of the exchange before its body is read.

use super::{Checks, Unit};
use crate::body::Against;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::exchange::{Http, Request, url_path};
use crate::openapi::{Answer, Compiled, Contract};

/// What the document selects for one exchange.
pub(super) struct Selection {
    /// The operation, as reports name it (`GET /targets/{target_id}/`).
    label: Option<String>,
    /// The response's schema, compiled (or why it does not compile).
    schema: Option<Compiled>,
    /// The operation is the endpoint's own (`GET /profile/`): its curated rules apply.
    pub profile: bool,
    /// What the document says of the exchange before its body is read.
    findings: Vec<Diagnostic>,
}

impl Selection {
    fn only(finding: Diagnostic) -> Selection {
        Selection { label: None, schema: None, profile: false, findings: vec![finding] }
    }

    /// The operation, as reports name it.
    pub fn label(&self) -> Option<String> {
        self.label.clone()
    }

    /// What the body is checked against; `None` when it is not checked.
    pub fn schema(&self) -> Option<Against<'_>> {
        let schema = self.schema.as_deref()?.as_ref().ok()?;
        Some(if self.profile { Against::Profile(schema) } else { Against::Response(schema) })
    }

    /// What the document says of the exchange before its body is read, taken out.
    pub fn take_findings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.findings)
    }
}

/// What a body is checked against: the selection's schema, or without a document, the
/// endpoint's schema and rules; `None` when it is not checked.
pub(super) fn against<'a>(
    checks: Checks<'a>,
    selection: Option<&'a Selection>,
) -> Option<Against<'a>> {
    match selection {
        None => Some(Against::Profile(checks.schema)),
        Some(selection) => selection.schema(),
    }
}

/// The selection for a unit: by its request where the capture records it (HAR), else by
/// `--operation` (or `GET` of the endpoint).
pub(super) fn select(checks: Checks<'_>, contract: &Contract, unit: &Unit) -> Selection {
    let op = match &unit.request {
        Some(request) => match contract.operation(&request.method, url_path(&request.url)) {
            Some(Some(op)) => op,
            _ => return Selection::only(undocumented_operation(contract, request)),
        },
        None => match request_less_operation(checks, contract) {
            Ok(op) => op,
            Err(finding) => return Selection::only(*finding),
        },
    };
    resolve(checks, contract, op, unit.http.as_ref())
}

/// The selection for a capture that records neither its request nor its status (a body).
pub(super) fn request_less(checks: Checks<'_>, contract: &Contract) -> Selection {
    match request_less_operation(checks, contract) {
        Ok(op) => resolve(checks, contract, op, None),
        Err(finding) => Selection::only(*finding),
    }
}

fn request_less_operation(
    checks: Checks<'_>,
    contract: &Contract,
) -> Result<usize, Box<Diagnostic>> {
    let named = checks.options.operation.clone();
    let name = checks.options.operation_or_default();
    contract.named(&name).ok_or_else(|| {
        let (message, help) = match named {
            Some(name) => (
                format!("{} documents no operation {name:?}", contract.name),
                "--operation takes `METHOD /path/template` as the document writes it, or an operationId".to_owned(),
            ),
            None => (
                format!("this capture does not record its request, and {} documents no {name}", contract.name),
                "name the operation the response answers with --operation 'GET /targets/{target_id}/' (or its operationId)".to_owned(),
            ),
        };
        Box::new(Diagnostic::new(Code::UndocumentedOperation, message).with_help(help))
    })
}

/// The response `op` documents for the exchange's status and media type (a capture without
/// either stands for the operation's success).
fn resolve(checks: Checks<'_>, contract: &Contract, op: usize, http: Option<&Http>) -> Selection {
    let operation = &contract.operations[op];
    let profile =
        operation.method.eq_ignore_ascii_case("get") && operation.path == checks.options.endpoint;
    let content_type = http.and_then(|h| h.content_type.as_ref()).map(|(t, _)| t.as_str());
    let mut answer = match http.and_then(|h| h.status) {
        Some((status, _)) => contract.answer(op, status, content_type),
        None => contract.success(op),
    };
    // For the endpoint's own operation, H001 and H002 say what the status and Content-Type
    // break, and a success's body is checked as JSON whatever it is declared as.
    if profile && !matches!(answer, Answer::Schema(_)) {
        answer = match http {
            Some(http) if !http.has_body() => answer,
            _ => contract.success(op),
        };
    }
    let label = Some(operation.label.clone());
    let mut selection = Selection { label, schema: None, profile, findings: Vec::new() };
    match answer {
        Answer::Schema(selected) => {
            let schema = contract.schema(&selected, profile);
            if let Err(error) = schema.as_ref() {
                selection.findings.push(
                    Diagnostic::new(
                        Code::InvalidOpenapi,
                        format!("the schema of the {} response ({}) of {} does not compile: {error}", selected.status, selected.media, operation.label),
                    )
                    .with_help("fix the response's schema in the document; `profile-lint schema --openapi ... --operation ...` prints it as profile-lint compiles it"),
                );
            }
            selection.schema = Some(schema);
        }
        Answer::NoBody => {}
        _ if profile => {}
        Answer::UndocumentedStatus { documented } => {
            selection.findings.push(undocumented_status(http, &documented, &operation.label));
        }
        Answer::UndocumentedMediaType { documented } => {
            selection.findings.push(undocumented_media_type(http, &documented, &operation.label));
        }
    }
    selection
}

fn undocumented_operation(contract: &Contract, request: &Request) -> Diagnostic {
    let full = match url_path(&request.url) {
        "" => "/",
        path => path,
    };
    let path = contract.relative(full);
    let wanted = format!("{} {path}", request.method);
    let message = format!("no operation of {} documents {wanted}", contract.name);
    let methods = contract.methods(full);
    if !methods.is_empty() {
        return Diagnostic::new(Code::UndocumentedOperation, message)
            .with_span(request.at)
            .with_label(format!("not a documented method of {path}"))
            .with_help(format!("the document has {} for this path", methods.join(", ")));
    }
    // The same path with or without its trailing slash, which servers often take both ways.
    let other = match full.strip_suffix('/') {
        Some(without) if !without.is_empty() => without.to_owned(),
        _ => format!("{full}/"),
    };
    let near = match contract.operation(&request.method, &other) {
        Some(Some(op)) => Some(contract.operations[op].label.clone()),
        _ => {
            let labels: Vec<&str> =
                contract.operations.iter().map(|op| op.label.as_str()).collect();
            crate::suggest::closest(&wanted, &labels).map(str::to_owned)
        }
    };
    let help = match near {
        Some(near) => format!(
            "the nearest documented operation is `{near}`; document this one in {}, or check the URL",
            contract.name
        ),
        None => format!("document the operation in {}, or check the URL", contract.name),
    };
    Diagnostic::new(Code::UndocumentedOperation, message)
        .with_span(request.at)
        .with_label("no path template matches")
        .with_help(help)
}

fn undocumented_status(http: Option<&Http>, documented: &[String], label: &str) -> Diagnostic {
    let (status, span) = http.and_then(|h| h.status).unwrap_or((0, Span::new(0, 0)));
    Diagnostic::new(
        Code::UndocumentedStatus,
        format!("status {status} is not a documented response of {label}"),
    )
    .with_span(span)
    .with_label(format!("status {status}"))
    .with_help(format!("{label} documents {}; the body is not checked", listed(documented)))
}

fn undocumented_media_type(http: Option<&Http>, documented: &[String], label: &str) -> Diagnostic {
    let declared = http.and_then(|h| h.content_type.as_ref());
    let (message, span) = match declared {
        Some((value, span)) => {
            (format!("the Content-Type {value:?} is not documented for {label}"), *span)
        }
        None => (
            format!("the response has no Content-Type, and {label} documents one"),
            http.map_or(Span::new(0, 0), |h| h.response),
        ),
    };
    Diagnostic::new(Code::UndocumentedMediaType, message)
        .with_span(span)
        .with_label("not a documented media type")
        .with_help(format!(
            "the response documents {}; the body is not checked",
            listed(documented)
        ))
}

fn listed(keys: &[String]) -> String {
    if keys.is_empty() {
        return "nothing".to_owned();
    }
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}
