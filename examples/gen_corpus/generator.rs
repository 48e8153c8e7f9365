//! Realistic `GET /profile/` responses (arrays of users), for the benchmarks and the tests that
//! need large captures. Deterministic for a seed: the same seed writes the same bytes on every
//! machine. With an invalid rate, that share of users gets exactly one realistic violation, and
//! `MANIFEST.tsv` lists each (file, user index, kind, JSON pointer).
//!
//! It is project code, not a copy of a reference tool, so that `cargo test` and `bench/` need
//! nothing but cargo.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

const B58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
#[rustfmt::skip]
const FIRST: &[&str] = &[
    "Ana", "João", "Maria", "José", "Pedro", "Inês", "Luís", "Sofia", "Tiago", "Beatriz", "James",
    "Emily", "Oliver", "Chloé", "Zoë", "Søren", "Łukasz", "Jürgen", "François", "Mei", "Hiroshi",
    "Ольга", "Иван", "Ayşe", "Björn", "Nuno", "Rui", "Carla", "Daniel", "Eva",
];
#[rustfmt::skip]
const LAST: &[&str] = &[
    "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
    "Müller", "Dvořák", "Núñez", "García", "O'Brien", "Smith", "Johnson", "Nowak", "Kowalski",
    "Støre", "Yılmaz", "Петров", "Tanaka", "王", "Lefèvre", "Gonçalves", "Almeida", "Brown",
];
#[rustfmt::skip]
const DOMAINS: &[&str] = &[
    "probely.com", "example.com", "acme.io", "corp.example.org", "mail.example.pt",
    "security.example.co.uk",
];
const TITLES: &[&str] = &["ceo", "cto", "cso", "seceng", "dev", "devop", "manager", "other", ""];
#[rustfmt::skip]
const LABELS: &[&str] = &[
    "prod", "staging", "PCI", "internal", "external", "team-a", "team-b", "critical", "legacy",
    "SOC2", "customer-facing", "needs review", "Überprüfung",
];
const ROLES: &[&str] = &["admin", "member", "viewer", "admin,billing", "", "scanner", "owner"];
const TAGS: &[&str] = &["probely", "test", "sec"];
#[rustfmt::skip]
/// The fields the documentation marks as required, one of which `missing_required` drops.
const REQUIRED: &[&str] = &[
    "id", "email", "name", "title", "is_billing_admin", "changed_by", "changed", "active",
    "user_roles", "last_login", "is_apiuser", "intercom_user_id", "is_sso", "is_owner",
    "mfa_enabled", "first_login",
];
#[rustfmt::skip]
const VIOLATIONS: &[&str] = &[
    "name_too_long", "title_CEO", "color_rgb", "id_with_zero", "missing_required",
    "last_login_yesterday", "email_invalid",
];

/// What to write.
#[derive(Debug, Clone)]
pub struct Options {
    pub users: usize,
    pub files: usize,
    pub out: PathBuf,
    /// The share of users (0 to 1) that get one violation.
    pub invalid_rate: f64,
    /// Indented by two spaces, as a saved response usually is; otherwise one line.
    pub pretty: bool,
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The files, in order.
    pub files: Vec<PathBuf>,
    /// How many users got a violation.
    pub invalid: usize,
}

/// Writes `options.files` files of `options.users` users each, and `MANIFEST.tsv`.
pub fn write(options: &Options) -> io::Result<Written> {
    std::fs::create_dir_all(&options.out)?;
    let mut generator = Generator::new(options.seed);
    let mut manifest = String::from("file\tuser\tkind\tpointer\n");
    let mut written = Written { files: Vec::new(), invalid: 0 };
    for file in 0..options.files {
        let name = file_name("profile", file, options.files, "json");
        let drawn = generator.users(options.users, options.invalid_rate);
        written.invalid += manifest_rows(&mut manifest, &name, &drawn);
        let path = options.out.join(&name);
        let mut text = String::new();
        Value::Array(drawn.into_iter().map(|d| d.user).collect())
            .write(&mut text, options.pretty.then_some(0));
        text.push('\n');
        std::fs::write(&path, text)?;
        written.files.push(path);
    }
    std::fs::write(options.out.join("MANIFEST.tsv"), manifest)?;
    Ok(written)
}

/// The name of file `index` of `files`: `profile-00042.json`, with more digits when needed.
pub fn file_name(stem: &str, index: usize, files: usize, extension: &str) -> String {
    let width = 5.max((files.max(1) - 1).to_string().len());
    format!("{stem}-{index:0width$}.{extension}")
}

/// A user, and the violation it was given, if any: its kind and its pointer within the user.
pub struct Drawn {
    pub user: Value,
    pub violation: Option<(String, String)>,
}

/// Adds a row to `manifest` for each user of `drawn` that has a violation, the response
/// named `response` (a file, or what stands for one, such as a HAR entry); returns how many.
pub fn manifest_rows(manifest: &mut String, response: &str, drawn: &[Drawn]) -> usize {
    let mut rows = 0;
    for (index, drawn) in drawn.iter().enumerate() {
        if let Some((kind, pointer)) = &drawn.violation {
            let _ = writeln!(manifest, "{response}\t{index}\t{kind}\t/{index}{pointer}");
            rows += 1;
        }
    }
    rows
}

/// A JSON value whose members keep the order they were written in.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    /// Written the shortest way that reads back the same (`200`, `-1`, `12.345`), as
    /// JavaScript's `JSON.stringify` writes numbers. Users have none: the HAR writer uses it,
    /// which the stream tests (that borrow this file) do not.
    #[cfg_attr(test, expect(dead_code))]
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(&'static str, Value)>),
}

impl Value {
    pub fn str(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Object(members) => members.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Writes the value compactly (`indent` is `None`) or indented by two spaces a level, the
    /// way Python's `json.dump` and most servers' pretty printers do.
    pub fn write(&self, out: &mut String, indent: Option<usize>) {
        let (open, close, items): (char, char, Vec<(Option<&str>, &Value)>) = match self {
            Value::Null => return out.push_str("null"),
            Value::Bool(b) => return out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                let _ = write!(out, "{n}");
                return;
            }
            Value::String(s) => return write_string(out, s),
            Value::Array(items) => ('[', ']', items.iter().map(|v| (None, v)).collect()),
            Value::Object(members) => {
                ('{', '}', members.iter().map(|(k, v)| (Some(*k), v)).collect())
            }
        };
        out.push(open);
        let inner = indent.map(|n| n + 2);
        for (i, (key, value)) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if let Some(n) = inner {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', n));
            }
            if let Some(key) = key {
                write_string(out, key);
                out.push_str(if indent.is_some() { ": " } else { ":" });
            }
            value.write(out, inner);
        }
        if let (Some(n), false) = (indent, items.is_empty()) {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', n));
        }
        out.push(close);
    }
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// SplitMix64: small, fast and the same everywhere, which is all test data needs.
pub struct Generator {
    state: u64,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator { state: seed }
    }

    /// 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    pub fn random(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.random() < p
    }

    pub fn base58(&mut self) -> String {
        let len = self.between(21, 23);
        (0..len).map(|_| char::from(B58[self.below(B58.len())])).collect()
    }

    fn person(&mut self) -> (String, String) {
        let (first, last) = (self.pick(FIRST), self.pick(LAST));
        let name = if self.chance(0.9) {
            format!("{first} {last}")
        } else {
            format!("{first} {} {last}", self.pick(LAST))
        };
        let mut local = format!("{}.{}", ascii_slug(first), ascii_slug(last));
        if self.chance(0.1) {
            local = format!("{local}+{}", self.pick(TAGS));
        }
        if self.chance(0.2) {
            local = format!("{local}{}", self.between(1, 999));
        }
        (name, format!("{local}@{}", self.pick(DOMAINS)))
    }

    /// A date-time in one of the three forms the API writes: the documentation's own
    /// (seven fraction digits, no zone), microseconds with `Z`, and whole seconds with `Z`.
    pub fn date_time(&mut self) -> String {
        let base = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.between(2019, 2025),
            self.between(1, 12),
            self.between(1, 28),
            self.between(0, 23),
            self.between(0, 59),
            self.between(0, 59)
        );
        let form = self.random();
        if form < 0.6 {
            format!("{base}.{:07}", self.between(0, 9_999_999))
        } else if form < 0.85 {
            format!("{base}.{:06}Z", self.between(0, 999_999))
        } else {
            base + "Z"
        }
    }

    pub fn changed_by(&mut self) -> Value {
        let (name, email) = self.person();
        Value::Object(vec![
            ("id", Value::String(self.base58())),
            ("email", Value::String(email)),
            ("name", Value::String(name)),
        ])
    }

    pub fn label(&mut self) -> Value {
        Value::Object(vec![
            ("id", Value::String(self.base58())),
            ("name", Value::str(self.pick(LABELS))),
            ("color", Value::String(format!("#{:06X}", self.between(0, 0xFF_FFFF)))),
            ("changed_by", self.changed_by()),
            ("changed", Value::String(self.date_time())),
        ])
    }

    /// One valid user, with `first_login` no later than `last_login`.
    pub fn user(&mut self) -> Value {
        let (name, email) = self.person();
        let never = self.chance(0.15);
        let mut user = vec![
            ("id", Value::String(self.base58())),
            ("email", Value::String(email)),
            ("name", Value::String(name)),
            ("title", Value::str(self.pick(TITLES))),
            ("is_billing_admin", Value::Bool(self.chance(0.1))),
            ("changed_by", self.changed_by()),
            ("changed", Value::String(self.date_time())),
            ("active", Value::Bool(self.chance(0.92))),
        ];
        // `labels` is optional.
        if self.chance(0.85) {
            let count = self.between(0, 3);
            user.push(("labels", Value::Array((0..count).map(|_| self.label()).collect())));
        }
        let (a, b) = (self.date_time(), self.date_time());
        let (first, last) = if a[..19] <= b[..19] { (a, b) } else { (b, a) };
        let login = |at: String| if never { Value::Null } else { Value::String(at) };
        user.push(("user_roles", Value::str(self.pick(ROLES))));
        user.push(("last_login", login(last)));
        user.push(("is_apiuser", Value::Bool(self.chance(0.05))));
        let intercom = if self.chance(0.8) { self.base58() } else { String::new() };
        user.push(("intercom_user_id", Value::String(intercom)));
        user.push(("is_sso", Value::Bool(self.chance(0.3))));
        user.push(("is_owner", Value::Bool(self.chance(0.02))));
        user.push(("mfa_enabled", Value::Bool(self.chance(0.5))));
        user.push(("first_login", login(first)));
        Value::Object(user)
    }

    /// `count` users, each given one violation with probability `invalid_rate`.
    pub fn users(&mut self, count: usize, invalid_rate: f64) -> Vec<Drawn> {
        (0..count)
            .map(|_| {
                let mut user = self.user();
                let violation = (invalid_rate > 0.0 && self.random() < invalid_rate)
                    .then(|| self.corrupt(&mut user));
                Drawn { user, violation }
            })
            .collect()
    }

    /// Gives `user` exactly one violation; returns its kind and its pointer within the user.
    pub fn corrupt(&mut self, user: &mut Value) -> (String, String) {
        let kind = self.pick(VIOLATIONS);
        let set = |user: &mut Value, key: &str, value: Value| {
            if let Some(slot) = user.get_mut(key) {
                *slot = value;
            }
        };
        match kind {
            "name_too_long" => {
                let long = self.between(61, 90) as usize;
                let mut name: String = match user.get_mut("name") {
                    Some(Value::String(name)) => name.clone(),
                    _ => String::new(),
                };
                name.push_str(" da Conceição Albuquerque e Vasconcelos de Menezes Braga");
                name = name.chars().take(long).collect();
                while name.chars().count() <= 60 {
                    name.push('x');
                }
                set(user, "name", Value::String(name));
                (kind.into(), "/name".into())
            }
            "title_CEO" => {
                set(user, "title", Value::str("CEO"));
                (kind.into(), "/title".into())
            }
            "color_rgb" => {
                let has_labels =
                    matches!(user.get_mut("labels"), Some(Value::Array(l)) if !l.is_empty());
                if !has_labels {
                    let label = self.label();
                    if let Value::Object(members) = user {
                        members.retain(|(k, _)| *k != "labels");
                        // Where a user's labels stand: after `active`.
                        members.insert(8.min(members.len()), ("labels", Value::Array(vec![label])));
                    }
                }
                let mut pointer = String::new();
                if let Some(Value::Array(labels)) = user.get_mut("labels") {
                    let i = self.below(labels.len());
                    set(&mut labels[i], "color", Value::str("rgb(1,2,3)"));
                    pointer = format!("/labels/{i}/color");
                }
                (kind.into(), pointer)
            }
            "id_with_zero" => {
                if let Some(Value::String(id)) = user.get_mut("id") {
                    let at = self.below(id.len());
                    id.replace_range(at..=at, "0");
                }
                (kind.into(), "/id".into())
            }
            "missing_required" => {
                let field = self.pick(REQUIRED);
                if let Value::Object(members) = user {
                    members.retain(|(k, _)| *k != field);
                }
                (format!("{kind}:{field}"), String::new())
            }
            "last_login_yesterday" => {
                set(user, "last_login", Value::str("yesterday"));
                (kind.into(), "/last_login".into())
            }
            _ => {
                set(user, "email", Value::str("not-an-email"));
                (kind.into(), "/email".into())
            }
        }
    }
}

/// An email's local part from a name: lower case ASCII letters, digits, `.` and `-`.
fn ascii_slug(name: &str) -> String {
    const FROM: &str = "ãáàâçéêèíóôõúüñöøłżščřëïşğıÜÉ";
    const TO: &str = "aaaaceeeiooouunoolzscreisgiue";
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| FROM.chars().position(|f| f == c).and_then(|i| TO.chars().nth(i)).unwrap_or(c))
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .collect();
    if slug.is_empty() { "user".into() } else { slug }
}
