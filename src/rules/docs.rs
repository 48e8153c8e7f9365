//! Documentation of the findings that are not rules of their own: input, syntax and schema
//! codes. `profile-lint explain CODE` prints these.

pub const UNREADABLE: &str = r#"## What it does
Reports an input that could not be read: a missing file, a directory that cannot be listed, or
a permission error. The other inputs are still checked, and the run exits with status 2.

## Why
A gate that skips a file it cannot read would pass without checking it.

## Example
```
profile-lint captures/missing.json
```"#;

pub const INVALID_SCHEMA: &str = r#"## What it does
Reports a schema given with `--schema` (or `schema` in `profile-lint.toml`) that is not JSON,
is not a valid JSON Schema, or refers to a `$ref` that cannot be resolved offline. Where it can,
the label points into the schema file. The run exits with status 2.

## Why
Without a working schema nothing can be checked. profile-lint never fetches a remote `$ref`.

## Example
```json
{"type": "strng"}
```"#;

pub const INVALID_CONFIG: &str = r#"## What it does
Reports a `profile-lint.toml` that cannot be used: invalid TOML, an unknown key (`stirct`), an
unknown rule name (with a suggestion), a level other than `"error"`, `"warning"` or `"off"`, a
bad glob, or a rule that cannot be configured. The label points into the file, and the run exits
with status 2.

## Why
A gate that quietly ignored a misspelt setting would not be configured the way its authors
think.

## Example
```toml
[rules]
non-base85-id = "off"
```"#;

pub const STALE_BASELINE_ENTRY: &str = r#"## What it does
Reports an entry of the `--baseline` file that matched no finding in this run: the problem was
fixed, or the file was moved or removed. Rewrite the baseline with `--write-baseline` to drop
it.

## Why
A baseline should shrink as problems are fixed. A stale entry would otherwise hide the same
problem if it came back.

## Example
`{"path": "captures/a.json", "code": "S005", "pointer": "/0/title", "count": 1}` after the
title was fixed."#;

pub const INVALID_BASELINE: &str = r#"## What it does
Reports a `--baseline` file that cannot be used: it is not JSON of the shape that
`--write-baseline` writes, its version is not 1, or an entry names a code that cannot be
baselined, or has a count of 0. The label points into the file, and the run exits with status 2.

## Why
A baseline that is silently misread would hide findings it was never meant to accept.

## Example
```json
{"version": 1, "entries": [{"path": "a.json", "code": "P003", "pointer": null, "count": 1}]}
```
P003 (invalid JSON) cannot be baselined: a broken capture must not pass the gate for good."#;

pub const NOT_UTF8: &str = r#"## What it does
Reports input that is not UTF-8 text: the label marks the first byte that is not UTF-8. UTF-16
text is recognised and named as such.

## Why
JSON exchanged between systems must be UTF-8 (RFC 8259, section 8.1). A capture in another
encoding was usually re-saved by an editor or a shell redirect on Windows.

## Example
A name saved in Latin-1: the byte `0xE3` for `ã` in `João`."#;

pub const BYTE_ORDER_MARK: &str = r#"## What it does
Reports a UTF-8 byte order mark (`EF BB BF`) at the start of the input. The rest of the input
is still checked.

## Why
RFC 8259 forbids a byte order mark in JSON text, and some parsers reject it. It usually comes
from an editor on Windows.

## Example
The bytes `EF BB BF` followed by `[]`."#;

pub const SYNTAX: &str = r#"## What it does
Reports JSON that is not well formed, with the label on the exact fault: a trailing comma, a
missing `,` or `:`, a string or container that is not closed (the response was cut off), a
control character inside a string, a lone surrogate escape, a comment, single quotes, `NaN`, or
an empty input.

## Why
A response that is not JSON cannot have come from the API intact. Users streamed before the
fault are still checked and reported.

## Example
```json
[{"id": "7HFbzkQ5T2ZtqNvK9mWxYp"},]
```"#;

pub const TOO_DEEP: &str = r#"## What it does
Reports arrays and objects nested more than 128 levels deep. The label is on the first bracket
past the limit.

## Why
A `/profile/` response nests four levels deep. Much deeper input is either not a response or an
attempt to exhaust a parser's stack. profile-lint stops reading at the limit rather than
crashing.

## Example
`[[[[...` nested 200 times."#;

pub const TOO_LARGE: &str = r#"## What it does
Reports a user (an item of the response, or the response when it is one object) that holds more
than 100,000 values: keys, strings, numbers, arrays and objects all count. That user is not
checked any further: neither the schema nor the rules look at it. The rest of the response is
checked as usual.

## Why
A real user holds about forty values. The schema validator keeps every error of a user in memory
at once, about a kilobyte each, so a user of a few megabytes with an error in each value would
need gigabytes. profile-lint stops at the limit rather than exhaust the machine's memory.

## Example
A user whose `labels` array holds a million empty objects."#;

pub const DUPLICATE_KEY: &str = r#"## What it does
Reports an object that has the same key twice. The label is on the later key, and a second
label marks the first. The later value is the one checked, as serde_json and most parsers keep
it.

## Why
RFC 8259 says names within an object should be unique. Parsers disagree on which value wins, so
two clients can read different data from the same response.

## Example
```json
{"title": "dev", "title": "manager"}
```"#;

pub const INVALID_CONTAINER: &str = r#"## What it does
Reports a capture whose wrapping around the response body is malformed: a HAR file that is not
HAR 1.2 (no `log.entries`, an entry without `response.content`), a base64 body that does not
decode, or a raw HTTP response without a status line or without the blank line after its
headers. The label sits on the fault.

## Why
Without the wrapping, the body cannot be found, and the capture cannot be checked.

## Example
```http
HTTP/1.1 200 OK
content-type: application/json
[{"id": "7HFbzkQ5T2ZtqNvK9mWxYp"}]
```
The blank line between the headers and the body is missing."#;

pub const NO_MATCHING_ENTRY: &str = r#"## What it does
Reports a HAR file in which no entry is a `GET` of the endpoint (`/profile/`, or `--endpoint`).
The label sits on `log.entries`, and nothing in the file is checked.

## Why
A recording that was meant to hold the profile call but does not (a different page was
recorded, or the recording was filtered) would otherwise pass without a check. It is a warning
by default, because a folder of recordings often holds some for other endpoints.

## Example
A HAR whose only entries are `GET /targets/` and `POST /profile/`."#;

pub const ROOT_SHAPE: &str = r#"## What it does
Reports a response whose root is neither an array of users (the documented shape) nor a single
user object (the live shape, D001). This covers a paginated `{"count", "results"}` wrapper, a
string, a number, `null`, and so on.

## Why
The other list endpoints of Probely return a paginated wrapper, and an error page returns a
string or an object with `detail`. Either way, the capture did not come from a successful
`GET /profile/`.

## Example
```json
{"count": 1, "page_total": 1, "page": 1, "length": 10, "results": []}
```"#;

pub const WRONG_TYPE: &str = r#"## What it does
Reports a value whose JSON type differs from the documented one, for example a boolean written
as the string `"false"`, a date-time written as a number, or `labels` written as an object.

## Why
A client that deserialises into the documented types fails on such a value, or quietly
misreads it.

## Example
```json
{"is_billing_admin": "false", "last_login": 1691587663}
```"#;

pub const MISSING_FIELD: &str = r#"## What it does
Reports an object (a user, a label, or a `changed_by`) that lacks fields the documentation marks
as required. The label is on the object, and the message names every missing field.

## Why
Every field of a user except `labels` is documented as required. Captures from 2022 lack
`active`, `labels`, `user_roles`, `mfa_enabled` and `first_login`, which were added later. Such
captures are outdated against today's documentation.

## Example
```json
[{"id": "7HFbzkQ5T2ZtqNvK9mWxYp", "email": "ana@example.com"}]
```"#;

pub const TOO_LONG: &str = r#"## What it does
Reports a string that is longer than its documented limit, counted in characters rather than
bytes. The limits are `name` 60, `changed_by.email` 254, `changed_by.name` 60, and label
`name` 255.

## Why
Values over the limit cannot have been stored through the API. Clients often size database
columns or form fields from these limits.

## Example
```json
{"name": "Maria da Conceição Albuquerque e Vasconcelos de Menezes Braga Silva"}
```"#;

pub const NOT_ALLOWED: &str = r#"## What it does
Reports a value that is not in a documented list. For `title` the list is `ceo`, `cto`, `cso`,
`seceng`, `dev`, `devop`, `manager`, `other`, and the empty string. When a documented value is
close, for example `"CEO"` for `"ceo"`, the help line suggests it.

## Why
Clients map these values to labels and permissions, and an unknown value falls through that
mapping.

## Example
```json
{"title": "CEO"}
```"#;

pub const PATTERN_MISMATCH: &str = r#"## What it does
Reports a string that does not match its documented regular expression. The label `color` must
match `^[a-zA-Z0-9#_-]*$`.

## Why
A value outside the pattern cannot have been stored through the API. For colours, see also
D004, which checks the documentation's prose (`#RRGGBB`).

## Example
```json
{"labels": [{"color": "rgb(0, 255, 0)"}]}
```"#;

pub const INVALID_DATE_TIME: &str = r#"## What it does
Reports a date-time that is not ISO 8601 as the documentation writes it
(`2023-08-09T13:27:43.8208302`: fractional seconds with any number of digits, and no zone
designator, `Z`, or `±hh:mm`), or that names an impossible date or time, such as `2023-02-30`
or `24:00:00`.

## Why
Clients parse these values as timestamps. Text such as `"yesterday"` or an impossible calendar
date breaks them.

## Example
```json
{"changed": "2023-02-30T13:27:43.8208302"}
```"#;

pub const INVALID_EMAIL: &str = r#"## What it does
Reports an `email` that is not an email address, and says which rule it breaks: no `@`, a
space, nothing before or after the `@`, two `@`s, more than 64 characters before the `@`, a
dot at an end of that part or two in a row, an empty or over-long label in the domain, a
character not allowed there. A `+` tag and subdomains are fine:
`joao.silva+owner@security.example.co.uk`. An address too long as a whole is S004's finding
alone.

## Why
The documentation types these fields as email addresses. An empty `changed_by.email` is
reported by D006 instead.

## Example
```json
{"email": "ana.silva.example.com"}
```"#;

pub const SCHEMA_VIOLATION: &str = r#"## What it does
Reports a value that breaks a keyword of a schema given with `--schema` that has no code of its
own: `minimum`, `const`, `uniqueItems`, `oneOf`, and so on. The message is the validator's own.

## Why
Custom schemas can say more than the documentation, and every constraint they state is
checked.

## Example
`{"minimum": 1}` against `0`."#;
