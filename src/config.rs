//! Severities: each code's default, `--strict`, `profile-lint.toml` (with per-path overrides),
//! and `--deny`/`--warn`/`--allow` flags, resolved in that order for every finding.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Category, Code, Diagnostic, Severity, Span};
use crate::findings::Omitted;
use crate::input::normalize;

/// The name of the configuration file looked for from the current folder upwards.
pub const FILE_NAME: &str = "profile-lint.toml";

/// What a finding becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Off,
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Level, D::Error> {
        let text = String::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom("a level is a string: \"error\", \"warning\" or \"off\"")
        })?;
        match text.as_str() {
            "error" => Ok(Level::Error),
            "warning" => Ok(Level::Warning),
            "off" => Ok(Level::Off),
            other => {
                const LEVELS: &[&str] = &["error", "warning", "off"];
                // `warn` and `err` are how other linters spell them.
                let prefix = LEVELS.iter().find(|l| other.len() >= 3 && l.starts_with(other));
                // The command line's words for them: `--allow` is "off", `--deny` is "error".
                let flag = match other {
                    "allow" | "allowed" => Some("off"),
                    "deny" | "denied" => Some("error"),
                    _ => None,
                };
                let hint = match prefix.copied().or(flag) {
                    Some(level) => format!("; did you mean `{level}`?"),
                    None => crate::suggest::did_you_mean(other, LEVELS),
                };
                Err(serde::de::Error::custom(format!(
                    "`{other}` is not a level: use error, warning or off{hint}"
                )))
            }
        }
    }
}

/// The settings of `profile-lint.toml`, and of each `[[overrides]]` entry.
const SETTINGS: &[&str] = &["schema", "openapi", "strict", "rules", "overrides"];
const OVERRIDE_SETTINGS: &[&str] = &["files", "rules"];

impl Level {
    fn of(severity: Severity) -> Level {
        match severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        }
    }
}

/// What a `--deny`, `--warn` or `--allow` flag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    Code(Code),
    /// Every finding that is a warning at that point (`--deny warnings`, as clippy has it).
    Warnings,
}

impl Selector {
    /// A code, a rule name, or `warnings`.
    pub fn parse(text: &str) -> Result<Selector, String> {
        if text == "warnings" {
            return Ok(Selector::Warnings);
        }
        let code = Code::parse(text).ok_or_else(|| unknown_code(text))?;
        configurable(code).map(Selector::Code)
    }
}

fn unknown_code(text: &str) -> String {
    let mut spellings = Code::spellings();
    spellings.push("warnings");
    let hint = crate::suggest::did_you_mean(text, &spellings);
    format!("unknown rule `{text}`{hint} (`profile-lint rules` lists them)")
}

fn configurable(code: Code) -> Result<Code, String> {
    if code.is_configurable() {
        Ok(code)
    } else {
        Err(format!(
            "{} ({}) cannot be configured: an input that cannot be read or parsed cannot be checked",
            code.as_str(),
            code.name()
        ))
    }
}

/// `profile-lint.toml`, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// The endpoint's schema, relative to the configuration file.
    schema: Option<Spanned<String>>,
    /// An OpenAPI document to read the contract from, relative to the configuration file.
    openapi: Option<String>,
    /// Take the documentation literally: drift findings are errors.
    #[serde(default, deserialize_with = "true_or_false")]
    strict: Option<bool>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Level>,
    #[serde(default)]
    overrides: Vec<OverrideFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideFile {
    files: Vec<Spanned<String>>,
    rules: BTreeMap<Spanned<String>, Level>,
}

fn true_or_false<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    bool::deserialize(d)
        .map(Some)
        .map_err(|_| serde::de::Error::custom("`strict` is true or false"))
}

/// A loaded configuration file.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from; `None` when there is none.
    pub path: Option<PathBuf>,
    /// The schema to use instead of the embedded one, resolved against the file's folder.
    pub schema: Option<PathBuf>,
    /// The OpenAPI document to read the contract from, resolved against the file's folder.
    pub openapi: Option<PathBuf>,
    /// Where `schema` is written, with the file's text, for an error about it.
    schema_at: Option<(Span, String)>,
    pub strict: bool,
    rules: Vec<(Code, Level)>,
    overrides: Vec<Override>,
    /// The current folder when the file was read, and the folder the override globs are
    /// relative to, both from the root: each input is placed by them, with no system call.
    root: Option<(PathBuf, PathBuf)>,
}

/// An `[[overrides]]` entry: its globs, their text as written, and its rules.
#[derive(Debug)]
struct Override {
    globs: GlobSet,
    written: Vec<String>,
    rules: Vec<(Code, Level)>,
}

impl Config {
    /// The nearest `profile-lint.toml` from `dir` upwards.
    /// The path is relative to `dir` (`profile-lint.toml`, `../profile-lint.toml`), as
    /// reports name it.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        let (up, _) = dir.ancestors().enumerate().find(|(_, d)| d.join(FILE_NAME).is_file())?;
        Some(std::iter::repeat_n(Path::new(".."), up).collect::<PathBuf>().join(FILE_NAME))
    }

    /// Parses configuration text read from `path`; errors point into the text.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        unknown_settings(text)?;
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let span = e.span().map_or(Span::new(0, 0), |r| Span::new(r.start, r.end - r.start));
            vec![invalid(e.message().trim().to_owned(), span)]
        })?;
        let mut errors = Vec::new();
        let rules = rules_of(file.rules, &mut errors);
        let mut overrides = Vec::new();
        for o in file.overrides {
            let mut set = GlobSetBuilder::new();
            for pattern in &o.files {
                let span = Span::new(pattern.span().start, pattern.span().len());
                for glob in expand_pattern(pattern.get_ref()) {
                    // `*` stays within one folder; `**` crosses folders.
                    match GlobBuilder::new(&glob).literal_separator(true).build() {
                        Ok(glob) => {
                            set.add(glob);
                        }
                        Err(e) => errors.push(invalid(format!("invalid glob: {}", e.kind()), span)),
                    }
                }
            }
            let rules = rules_of(o.rules, &mut errors);
            let written = o.files.iter().map(|f| f.get_ref().clone()).collect();
            if let Ok(globs) = set.build() {
                overrides.push(Override { globs, written, rules });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let dir = path.parent().unwrap_or(Path::new(""));
        Ok(Config {
            path: Some(path.to_path_buf()),
            schema: file.schema.as_ref().map(|s| dir.join(s.get_ref())),
            openapi: file.openapi.as_ref().map(|s| dir.join(s)),
            schema_at: file
                .schema
                .as_ref()
                .map(|s| (Span::new(s.span().start, s.span().len()), text.to_owned())),
            strict: file.strict.unwrap_or(false),
            rules,
            overrides,
            // However the file was named (`profile-lint.toml`, `../x.toml`), its globs are
            // relative to its folder, which a relative path only names from where we are.
            root: path.parent().map(|dir| {
                let cwd = std::env::current_dir().unwrap_or_default();
                let root = normalize(&cwd.join(dir));
                (cwd, root)
            }),
        })
    }

    /// The `files` of each override that matches none of `inputs` (as named on the command
    /// line or found in a folder): most likely a typo, or globs written from another folder.
    pub fn unmatched_overrides<'a>(&'a self, inputs: &[&str]) -> Vec<&'a [String]> {
        let relative: Vec<PathBuf> = inputs
            .iter()
            .filter(|name| **name != crate::input::STDIN_NAME)
            .map(|name| self.relative(name))
            .collect();
        self.overrides
            .iter()
            .filter(|o| !relative.iter().any(|r| o.globs.is_match(r)))
            .map(|o| o.written.as_slice())
            .collect()
    }

    /// `path` relative to this file's folder, for its globs.
    fn relative(&self, path: &str) -> PathBuf {
        let path = Path::new(path);
        let Some((cwd, root)) = &self.root else { return path.to_path_buf() };
        let absolute = normalize(&cwd.join(path));
        absolute.strip_prefix(root).map(Path::to_path_buf).unwrap_or(absolute)
    }

    /// A schema named here that cannot be read is an error at its name in this file.
    pub fn schema_error(&self, report: crate::report::FileReport) -> crate::report::FileReport {
        let (Some(path), Some((span, text)), None) = (&self.path, &self.schema_at, &report.source)
        else {
            return report;
        };
        let reason = report.diagnostics.first().map(|d| d.message.clone()).unwrap_or_default();
        let d =
            Diagnostic::new(Code::InvalidConfig, format!("the schema cannot be used: {reason}"))
                .with_span(*span)
                .with_label("this schema")
                .with_help("`schema` is read relative to the folder of profile-lint.toml");
        let source = crate::Source::new(path.to_string_lossy(), text.clone());
        crate::report::FileReport::about(source.name.clone(), Some(source), vec![d])
    }
}

/// A key that is not a setting, in the project's words and at its place (serde would say
/// "unknown field, expected one of" and list them all).
fn unknown_settings(text: &str) -> Result<(), Vec<Diagnostic>> {
    use toml::de::{DeTable, DeValue};
    // A file that does not parse gets the parser's own error next.
    let Ok(table) = DeTable::parse(text) else { return Ok(()) };
    let mut errors = Vec::new();
    let mut check = |table: &DeTable<'_>, known: &[&str], of: &str| {
        for key in table.keys() {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                continue;
            }
            let hint = crate::suggest::did_you_mean(name, known);
            let span = Span::new(key.span().start, key.span().len());
            errors.push(invalid(format!("`{name}` is not a setting of {of}{hint}"), span));
        }
    };
    check(table.get_ref(), SETTINGS, "profile-lint.toml");
    if let Some(DeValue::Array(overrides)) = table.get_ref().get("overrides").map(|v| v.get_ref()) {
        for entry in overrides {
            if let DeValue::Table(entry) = entry.get_ref() {
                check(entry, OVERRIDE_SETTINGS, "an override (use `files` and `rules`)");
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// The globs a pattern stands for: `./` is dropped, and a pattern without wildcards also names
/// everything below it (`captures/2022` is `captures/2022/**` too).
fn expand_pattern(pattern: &str) -> Vec<String> {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    if pattern.contains(['*', '?', '[', '{']) {
        vec![pattern.to_owned()]
    } else {
        vec![pattern.to_owned(), format!("{pattern}/**")]
    }
}

/// The codes a `[rules]` table names, with an error for each name that is not one, and for a
/// rule named twice (once by code, once by name).
fn rules_of(
    table: BTreeMap<Spanned<String>, Level>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(Code, Level)> {
    let mut entries: Vec<_> = table.into_iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    let mut out: Vec<(Code, Level)> = Vec::new();
    for (name, level) in entries {
        let span = Span::new(name.span().start, name.span().len());
        let code = Code::parse(name.get_ref()).ok_or_else(|| unknown_code(name.get_ref()));
        match code.and_then(configurable) {
            Ok(code) if out.iter().any(|(c, _)| *c == code) => errors.push(invalid(
                format!("{} ({}) is set twice in this table", code.as_str(), code.name()),
                span,
            )),
            Ok(code) => out.push((code, level)),
            Err(message) => errors.push(invalid(message, span)),
        }
    }
    out
}

fn invalid(message: String, span: Span) -> Diagnostic {
    Diagnostic::new(Code::InvalidConfig, message).with_span(span).with_help(
        "see the configuration section of the README: `schema`, `strict`, `[rules]` and \
         `[[overrides]]` with `files` and `rules`; levels are \"error\", \"warning\" or \"off\"",
    )
}

/// How severe each finding is: the configuration plus the command line's flags.
#[derive(Debug, Default)]
pub struct Policy {
    pub config: Config,
    /// `--strict` given on the command line.
    pub strict: bool,
    /// `--deny`, `--warn` and `--allow`, in the order given: later ones win.
    pub flags: Vec<(Selector, Level)>,
}

impl Policy {
    /// The level of `code` in the input named `path` (`file.har#entries[3]` is `file.har`).
    pub fn level(&self, code: Code, path: &str) -> Level {
        let path = path.split_once("#entries[").map_or(path, |(file, _)| file);
        let mut level = Level::of(code.default_severity());
        if !code.is_configurable() {
            return level;
        }
        if (self.strict || self.config.strict) && code.category() == Category::Drift {
            level = Level::Error;
        }
        let set = |rules: &[(Code, Level)], level: &mut Level| {
            if let Some((_, l)) = rules.iter().rev().find(|(c, _)| *c == code) {
                *level = *l;
            }
        };
        set(&self.config.rules, &mut level);
        // Standard input has no path for a glob to match.
        if !self.config.overrides.is_empty() && path != crate::input::STDIN_NAME {
            let relative = self.config.relative(path);
            for o in &self.config.overrides {
                if o.globs.is_match(&relative) {
                    set(&o.rules, &mut level);
                }
            }
        }
        for (selector, l) in &self.flags {
            match selector {
                Selector::Code(c) if *c == code => level = *l,
                Selector::Warnings if level == Level::Warning => level = *l,
                _ => {}
            }
        }
        level
    }

    /// The codes that are off whatever the input: no override names them, and they are off
    /// for an input no override matches.
    pub fn off_everywhere(&self) -> Vec<Code> {
        let named: Vec<Code> =
            self.config.overrides.iter().flat_map(|o| o.rules.iter().map(|(c, _)| *c)).collect();
        Code::ALL
            .iter()
            .copied()
            .filter(|c| {
                !named.contains(c) && self.level(*c, crate::input::STDIN_NAME) == Level::Off
            })
            .collect()
    }

    /// Gives each finding its level, and drops those that are off.
    pub fn apply(&self, path: &str, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| self.severity(d.code, path).map(|s| d.severity = s).is_some());
    }

    /// The same for the counts of findings that were not kept.
    pub fn apply_omitted(&self, path: &str, omitted: &mut Vec<Omitted>) {
        omitted.retain_mut(|o| self.severity(o.code, path).map(|s| o.severity = s).is_some());
    }

    /// The severity of `code`'s findings in `path`; `None` when it is off.
    fn severity(&self, code: Code, path: &str) -> Option<Severity> {
        match self.level(code, path) {
            Level::Off => None,
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("/project/profile-lint.toml"), text)
    }

    #[test]
    fn defaults_then_strict_then_file_then_flags() {
        let mut policy = Policy::default();
        assert_eq!(policy.level(Code::NonBase58Id, "a.json"), Level::Warning);
        policy.strict = true;
        assert_eq!(policy.level(Code::NonBase58Id, "a.json"), Level::Error);
        policy.config = config("[rules]\nnon-base58-id = \"off\"").unwrap();
        assert_eq!(policy.level(Code::NonBase58Id, "a.json"), Level::Off);
        policy.flags = vec![
            (Selector::Code(Code::NonBase58Id), Level::Warning),
            (Selector::Warnings, Level::Error),
        ];
        assert_eq!(policy.level(Code::NonBase58Id, "a.json"), Level::Error);
    }

    #[test]
    fn the_later_flag_wins() {
        let policy = Policy {
            flags: vec![
                (Selector::Code(Code::FutureDateTime), Level::Error),
                (Selector::Code(Code::FutureDateTime), Level::Off),
            ],
            ..Policy::default()
        };
        assert_eq!(policy.level(Code::FutureDateTime, "a.json"), Level::Off);
    }

    #[test]
    fn overrides_apply_to_matching_paths_relative_to_the_file() {
        let text = "[[overrides]]\nfiles = [\"legacy/**\"]\nrules = { D005 = \"off\", missing-field = \"warning\" }";
        let policy = Policy { config: config(text).unwrap(), ..Policy::default() };
        assert_eq!(
            policy.level(Code::UndocumentedField, "/project/legacy/2022/a.json"),
            Level::Off
        );
        assert_eq!(policy.level(Code::MissingField, "/project/legacy/a.json"), Level::Warning);
        assert_eq!(policy.level(Code::UndocumentedField, "/project/new/a.json"), Level::Warning);
    }

    #[test]
    fn a_star_stays_within_a_folder_and_a_plain_path_names_a_folder() {
        let text = "[[overrides]]\nfiles = [\"./a/*.json\", \"b\"]\nrules = { D005 = \"off\" }";
        let policy = Policy { config: config(text).unwrap(), ..Policy::default() };
        let level = |p: &str| policy.level(Code::UndocumentedField, p);
        assert_eq!(level("/project/a/x.json"), Level::Off);
        assert_eq!(level("/project/a/deeper/x.json"), Level::Warning);
        assert_eq!(level("/project/b/deeper/x.json"), Level::Off);
        assert_eq!(level(crate::input::STDIN_NAME), Level::Warning);
    }

    #[test]
    fn a_rule_set_twice_in_one_table_is_an_error() {
        let errors = config("[rules]\nD002 = \"error\"\nnon-base58-id = \"off\"\n").unwrap_err();
        assert_eq!(errors[0].span, Some(Span::new(23, 13)));
    }

    #[test]
    fn unknown_keys_and_rules_point_into_the_file() {
        let text = "stirct = true\n";
        let errors = config(text).unwrap_err();
        assert_eq!(errors[0].span, Some(Span::new(0, 6)));
        let text = "[rules]\nnon-base85-id = \"off\"\n";
        let errors = config(text).unwrap_err();
        assert_eq!(errors[0].span, Some(Span::new(8, 13)));
        assert!(
            errors[0].message.contains("did you mean `non-base58-id`?"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn parse_errors_cannot_be_configured() {
        assert!(Selector::parse("invalid-json").is_err());
        assert!(config("[rules]\nP003 = \"off\"").is_err());
        assert_eq!(Selector::parse("D002"), Ok(Selector::Code(Code::NonBase58Id)));
    }
}
