//! The command line: arguments, and running them to an exit status.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::error::ErrorKind;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::baseline::{self, Baseline};
use crate::config::{Config, Level, Policy, Selector};
use crate::diagnostic::{Code, Diagnostic};
use crate::input::InputFormat;
use crate::input::{self, Input};
use crate::report::{self, FileReport, Format, HumanOptions};
use crate::{Exchange, Linter, Options, Progress, Source};

/// Findings of one rule kept for one input unless `--max-per-rule` says otherwise: far more
/// than anyone reads, few enough that a file where every item fails stays in bounded memory.
const MAX_PER_RULE: usize = 10_000;

/// The version, with the version of the embedded schema.
const VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (schema ", crate::schema_version!(), ")");

/// Check captured responses of Probely's GET /profile/ against its documented contract.
///
/// Exit status: 0 when no input has an error (warnings allowed), 1 when one has, 2 when the
/// command line, the configuration, the schema or the baseline is wrong, or an input could not
/// be read (the other inputs are still checked).
#[derive(Debug, Parser)]
#[command(
    name = "profile-lint",
    version = VERSION,
    about,
    long_about,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Args {
    #[allow(missing_docs)] // clap turns doc comments into help text
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Captures to check: files (JSON bodies, HAR, raw HTTP, JSON Lines), directories (searched
    /// for *.json, *.har, *.http, *.jsonl, *.ndjson), or - for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to report findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Check against this JSON Schema instead of the one embedded (derived from the
    /// documentation); - reads it from stdin.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,

    /// Read the contract from this OpenAPI document (3.0 or 3.1, JSON or YAML) and check every
    /// exchange against the operation that documents it; GET of the endpoint keeps its rules.
    #[arg(long, value_name = "FILE", global = true)]
    pub openapi: Option<PathBuf>,

    /// With --openapi, the operation of captures that do not record their request (a body,
    /// curl -i, JSON Lines): 'GET /targets/{target_id}/' or an operationId.
    #[arg(long, value_name = "OPERATION", global = true)]
    pub operation: Option<String>,

    /// Read settings from this file instead of the nearest profile-lint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config", global = true)]
    pub config: Option<PathBuf>,

    /// Ignore every profile-lint.toml.
    #[arg(long, global = true)]
    pub no_config: bool,

    /// Take the documentation literally: every drift finding (D codes) is an error.
    #[arg(long)]
    pub strict: bool,

    /// Make a rule an error: a code (D002), a name (non-base58-id), or `warnings` for every
    /// warning. Later flags win.
    #[arg(short = 'D', long = "deny", value_name = "RULE")]
    pub deny: Vec<String>,

    /// Make a rule a warning. Later flags win.
    #[arg(short = 'W', long = "warn", value_name = "RULE")]
    pub warn: Vec<String>,

    /// Turn a rule off. Later flags win.
    #[arg(short = 'A', long = "allow", value_name = "RULE")]
    pub allow: Vec<String>,

    /// Accept the findings recorded in this file (see --write-baseline); fail only on new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings in this file, to adopt the gate on existing captures.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Write the report to this file (atomically) instead of stdout; a summary line still
    /// goes to the terminal.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Mask people's emails and names (user and changed_by) in every output, code frames
    /// included.
    #[arg(long)]
    pub redact: bool,

    /// When to colour the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", global = true)]
    pub color: ColorChoice,

    /// Show errors only (human report).
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say for each HAR file how many entries were checked and how many skipped, and why (on
    /// stderr).
    #[arg(long, short = 'v')]
    pub verbose: bool,

    /// Show every finding, instead of the first few of each kind per file (human report).
    #[arg(long)]
    pub no_group: bool,

    /// Show at most this many findings (human report; machine formats carry all).
    #[arg(long, value_name = "N")]
    pub max_diagnostics: Option<usize>,

    /// Keep at most N findings of each rule for each input (0 keeps all): the rest are
    /// counted in the totals and the exit status, not listed. A baseline, read or written,
    /// needs every finding, so it keeps all. [default: 10000]
    #[arg(long, value_name = "N")]
    pub max_per_rule: Option<usize>,

    /// Read inputs as this format instead of detecting it from the extension and content.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// The endpoint's path: HAR entries are the GET requests to URLs ending in it.
    #[arg(long, value_name = "PATH", default_value = "/profile/")]
    pub endpoint: String,

    /// Check that bodies are sorted as the request's `ordering=...` would sort them (for
    /// captures that do not record their request).
    #[arg(long, value_name = "FIELDS", allow_hyphen_values = true)]
    pub ordering: Option<String>,

    /// Check with this many threads: the inputs side by side, and the blocks of a large body
    /// (default: the available cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<std::num::NonZeroUsize>,

    /// Read response bodies of at least this many bytes in blocks, on every core, without
    /// holding them in memory (for tests and benchmarks).
    #[arg(long, value_name = "BYTES", hide = true)]
    pub stream_threshold: Option<u64>,

    /// Stop the run when compiling a --schema, or validating one value with it, takes longer
    /// than this many seconds (for tests).
    #[arg(long, value_name = "SECONDS", hide = true)]
    pub schema_time_limit: Option<f64>,

    /// Check that every user contains this search term (for captures that do not record their
    /// request).
    #[arg(long, value_name = "TERM")]
    pub search: Option<String>,
}

impl Args {
    /// Whether a baseline is read or written: it must match every finding, so all are kept.
    fn uses_baseline(&self) -> bool {
        self.baseline.is_some() || self.write_baseline.is_some()
    }

    /// The file the report is written to, if not stdout (`--output -` is stdout).
    fn output_file(&self) -> Option<&Path> {
        self.output.as_deref().filter(|path| path.as_os_str() != "-")
    }
}

#[allow(missing_docs)] // clap turns doc comments into help text
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

#[allow(missing_docs)] // clap turns doc comments into help text
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// List every rule: code, name, default severity, and what it reports.
    Rules {
        /// Print the Markdown table of the README.
        #[arg(long)]
        markdown: bool,
    },
    /// Print a rule's documentation: what it reports, why, and an example.
    Explain {
        /// A code (D002) or a name (non-base58-id).
        rule: String,
    },
    /// Print the JSON Schema that bodies are checked against: the embedded one (or --schema),
    /// or with --openapi that of an operation's response (--operation).
    Schema {
        /// The response's status (default: the operation's success).
        #[arg(long)]
        status: Option<u16>,
        /// The response's media type (default: its JSON one).
        #[arg(long, value_name = "TYPE")]
        media_type: Option<String>,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    Man,
}

#[allow(missing_docs)] // clap turns doc comments into help text
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Code frames for people.
    Human,
    /// One JSON document (version 2) for machines.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML: a test case per response.
    Junit,
    /// GitHub Actions annotations.
    Github,
}

/// How a run ended; maps to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// No errors (warnings allowed): 0.
    Success,
    /// At least one error in an input: 1.
    Failure,
    /// Usage error, unusable configuration or schema, or an unreadable input: 2.
    Error,
}

impl ExitStatus {
    /// The process exit code: 0 passed, 1 findings at error level, 2 the run could not check.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Parsed arguments, with the severity flags in the order they were given.
#[derive(Debug)]
pub struct Invocation {
    /// The options, as clap parsed them.
    pub args: Args,
    /// The `-W`, `-D` and `-A` flags, in the order given: a later one wins.
    pub flags: Vec<(Selector, Level)>,
}

impl Invocation {
    /// Whether the run writes a file (`--output`, `--write-baseline`), through a temporary
    /// file that an interrupt must not leave behind (see [`stop_cleanly_on_interrupt`]).
    pub fn writes_a_file(&self) -> bool {
        self.args.output_file().is_some() || self.args.write_baseline.is_some()
    }
}

/// Parses the process arguments; a usage error is clap's, ready to print and exit with 2.
pub fn parse() -> Result<Invocation, clap::Error> {
    parse_from(std::env::args_os())
}

/// `profile-lint --no-config explain P007`: global options before a subcommand. Clap would
/// read `explain` as a path once any option is given (paths and subcommands exclude each
/// other), so the subcommand is moved first, where the options after it still apply.
fn subcommand_first(
    command: &clap::Command,
    mut argv: Vec<std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    // The global options that take a value (`--config FILE`): the value is not the subcommand.
    let take_a_value: Vec<String> = command
        .get_arguments()
        .filter(|a| a.is_global_set() && a.get_action().takes_values())
        .filter_map(|a| a.get_long().map(|long| format!("--{long}")))
        .collect();
    let mut i = 1;
    while let Some(token) = argv.get(i).and_then(|t| t.to_str()) {
        if take_a_value.iter().any(|t| t == token) {
            i += 2;
        } else if token.starts_with('-') && token != "-" {
            i += 1;
        } else {
            break;
        }
    }
    let named = argv
        .get(i)
        .and_then(|t| t.to_str())
        .is_some_and(|t| command.get_subcommands().any(|c| c.get_name() == t));
    if named && i > 1 {
        argv[1..].rotate_left(i - 1);
    }
    argv
}

/// Parses `argv` (the program name first) as [`parse`] does the process arguments.
pub fn parse_from<I, T>(argv: I) -> Result<Invocation, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    // Built once for both: each build of the definition is some 60,000 instructions.
    let command = Args::command();
    let argv = subcommand_first(&command, argv.into_iter().map(Into::into).collect());
    let matches = command.try_get_matches_from(argv)?;
    let args = Args::from_arg_matches(&matches)?;
    let usage = |message: String| Args::command().error(ErrorKind::ArgumentConflict, message);
    let stdin_readers = args.paths.iter().filter(|p| p.as_os_str() == "-").count()
        + usize::from(args.schema.as_deref() == Some(Path::new("-")));
    if stdin_readers > 1 {
        return Err(usage("standard input (-) can be read only once".into()));
    }
    if let Some(target) = &args.write_baseline {
        if target.as_os_str() == "-" {
            return Err(usage("--write-baseline needs a file; it cannot write to stdout".into()));
        }
        if args.paths.iter().any(|p| absolute(p) == absolute(target)) {
            let message = format!("--write-baseline {} would overwrite an input", target.display());
            return Err(usage(message));
        }
    }
    if args.uses_baseline() && args.max_per_rule.is_some_and(|n| n > 0) {
        let message = "--max-per-rule cannot go with a baseline, which must match every finding";
        return Err(usage(message.into()));
    }
    let flags =
        ordered_flags(&matches).map_err(|m| Args::command().error(ErrorKind::InvalidValue, m))?;
    Ok(Invocation { args, flags })
}

/// `--deny`, `--warn` and `--allow` values in command-line order, so later ones win.
fn ordered_flags(matches: &ArgMatches) -> Result<Vec<(Selector, Level)>, String> {
    let mut flags = Vec::new();
    for (id, level) in [("deny", Level::Error), ("warn", Level::Warning), ("allow", Level::Off)] {
        let (Some(values), Some(indices)) =
            (matches.get_many::<String>(id), matches.indices_of(id))
        else {
            continue;
        };
        for (value, index) in values.zip(indices) {
            flags.push((index, Selector::parse(value)?, level));
        }
    }
    flags.sort_by_key(|(index, ..)| *index);
    Ok(flags.into_iter().map(|(_, s, l)| (s, l)).collect())
}

/// Runs the command; the only `Err` is a failure to write to `out` or to write a baseline.
pub fn run(invocation: Invocation, out: &mut dyn Write) -> io::Result<ExitStatus> {
    let Invocation { args, flags } = invocation;
    match &args.command {
        Some(Command::Schema { status, media_type }) => {
            print_schema(&args, *status, media_type.as_deref(), out)
        }
        Some(command) => run_command(command, out),
        None => check(&args, flags, out),
    }
}

/// The subcommands, which check nothing.
fn run_command(command: &Command, out: &mut dyn Write) -> io::Result<ExitStatus> {
    match command {
        Command::Rules { markdown: false } => report::rules::write_list(out)?,
        Command::Rules { markdown: true } => {
            out.write_all(report::rules::markdown_table().as_bytes())?;
        }
        Command::Explain { rule } => match Code::parse(rule) {
            Some(code) => report::rules::write_explain(code, out)?,
            None => {
                let message = format!(
                    "unknown rule `{rule}`{} (`profile-lint rules` lists them)",
                    crate::suggest::did_you_mean(rule, &Code::spellings())
                );
                Args::command().error(ErrorKind::InvalidValue, message).print()?;
                return Ok(ExitStatus::Error);
            }
        },
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Args::command(), "profile-lint", out);
        }
        Command::Man => clap_mangen::Man::new(Args::command()).render(out)?,
        // Run before, with the options it reads.
        Command::Schema { .. } => {}
    }
    Ok(ExitStatus::Success)
}

/// `profile-lint schema`: the JSON Schema bodies are checked against, to read and pin.
fn print_schema(
    args: &Args,
    status: Option<u16>,
    media: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<ExitStatus> {
    let flags = Vec::new();
    let ready = match setup(args, flags, &Progress::default()) {
        Ok(ready) => ready,
        Err((report, what)) => {
            let (reports, summary) = not_checked(*report, what);
            let format = Format::Human(HumanOptions::default());
            report::write(format, &reports, &summary, &mut io::stderr())?;
            return Ok(ExitStatus::Error);
        }
    };
    match ready.linter.json_schema(args.operation.as_deref(), status, media) {
        Ok(schema) => {
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            writeln!(out, "{text}")?;
            Ok(ExitStatus::Success)
        }
        Err(why) => {
            Args::command().error(ErrorKind::InvalidValue, why).print()?;
            Ok(ExitStatus::Error)
        }
    }
}

/// The report of a file the run needs and cannot use (`what`, "the schema"), and the summary
/// that says no capture was checked.
fn not_checked(report: FileReport, what: &str) -> ([FileReport; 1], report::Summary) {
    let why = format!("{what} {} cannot be used", report.name);
    let reports = [report];
    let summary = report::Summary::of(&reports).not_checked(why);
    (reports, summary)
}

/// Everything a check needs before it reads an input.
struct Ready {
    policy: Policy,
    linter: Linter,
    baseline: Option<(Baseline, Source)>,
}

/// Checks the inputs: set up, check every input, apply the baseline, report.
fn check(
    args: &Args,
    flags: Vec<(Selector, Level)>,
    out: &mut dyn Write,
) -> io::Result<ExitStatus> {
    let format = report_format(args);
    let progress = if shows_progress(args) { Progress::counting() } else { Progress::default() };
    let Ready { policy, linter, baseline: accepted } = match setup(args, flags, &progress) {
        Ok(ready) => ready,
        Err((report, what)) => {
            let (reports, summary) = not_checked(*report, what);
            emit(args, format, &reports, &summary, out)?;
            return Ok(ExitStatus::Error);
        }
    };
    let mut reports = check_all(args, &policy, &linter, &progress);
    let is_off = |code: Code, path: &str| policy.level(code, path) == Level::Off;
    let baseline = if let Some(path) = &args.write_baseline {
        write_baseline(path, &mut reports, is_off)
    } else if let (Some(path), Some(accepted)) = (&args.baseline, accepted) {
        Some(apply_baseline(path, accepted, &policy, &mut reports, is_off))
    } else {
        None
    };
    let summary = report::Summary::of(&reports).with_baseline(baseline);
    emit(args, format, &reports, &summary, out)?;
    Ok(exit_status(&reports))
}

fn report_format(args: &Args) -> Format {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    match args.format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Junit => Format::Junit,
        OutputFormat::Github => Format::Github,
        OutputFormat::Human => Format::Human(HumanOptions {
            color,
            width: 100,
            group: !args.no_group,
            max: args.max_diagnostics,
            quiet: args.quiet,
        }),
    }
}

/// The configuration, the schema and the baseline; a file among them that cannot be used is
/// reported as a file of its own, and ends the run with status 2.
fn setup(
    args: &Args,
    flags: Vec<(Selector, Level)>,
    progress: &Progress,
) -> Result<Ready, (Failed, &'static str)> {
    let limit = args
        .schema_time_limit
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(crate::schema::watchdog::DEFAULT_LIMIT, std::time::Duration::from_secs_f64);
    let config = load_config(args).map_err(|r| (r, "the configuration"))?;
    let openapi = args.openapi.clone().or_else(|| config.openapi.clone());
    let linter = match (&args.schema, &config.schema, &openapi) {
        (Some(_), _, Some(path)) if args.openapi.is_some() => {
            let d = Diagnostic::new(Code::InvalidOpenapi, "--schema and --openapi are both given")
                .with_help("the contract comes from one of them: an OpenAPI document's schemas, or one JSON Schema for /profile/");
            return Err((
                about(Source::new(path.to_string_lossy(), Vec::new()), vec![d]),
                "the OpenAPI document",
            ));
        }
        (_, _, Some(path)) if args.schema.is_none() => {
            load_openapi(path).map_err(|r| (r, "the OpenAPI document"))?
        }
        (Some(path), ..) => load_schema(path, limit).map_err(|r| (r, "the schema"))?,
        (None, Some(path), _) => load_schema(path, limit)
            .map_err(|report| (Box::new(config.schema_error(*report)), "the configuration"))?,
        (None, None, _) => Linter::new(),
    };
    if let (Some(operation), Some(path)) = (&args.operation, &openapi)
        && let Err(near) = linter.knows_operation(operation)
    {
        let hint = near.map(|n| format!(": did you mean `{n}`?")).unwrap_or_default();
        let d = Diagnostic::new(
            Code::InvalidOpenapi,
            format!("--operation {operation:?} is not an operation of this document{hint}"),
        )
        .with_help("--operation takes `METHOD /path/template` as the document writes it, or an operationId");
        let source = Source::new(path.to_string_lossy(), Vec::new());
        return Err((about(source, vec![d]), "the OpenAPI document"));
    }
    let policy = Policy { config, strict: args.strict, flags };
    let linter = linter.with_options(Options {
        format: args.input_format,
        endpoint: args.endpoint.clone(),
        redact: args.redact,
        stream_threshold: args.stream_threshold.unwrap_or(Options::default().stream_threshold),
        threads: args.threads,
        operation: args.operation.clone(),
        progress: progress.clone(),
        max_per_rule: if args.uses_baseline() {
            None
        } else {
            Some(args.max_per_rule.unwrap_or(MAX_PER_RULE)).filter(|&n| n > 0)
        },
        exchange: Exchange {
            captured: None,
            ordering: args.ordering.clone().map(|o| (o, None)),
            search: args.search.clone().map(|s| (s, None)),
            skip: policy.off_everywhere(),
        },
    });
    let baseline =
        args.baseline.as_deref().map(load_baseline).transpose().map_err(|r| (r, "the baseline"))?;
    Ok(Ready { policy, linter, baseline })
}

/// The threads inputs are checked on: `-j N`, else the available cores; `None` for one, or
/// when the threads cannot be had (then the inputs are checked one after the other).
fn threads(wanted: Option<std::num::NonZeroUsize>) -> Option<rayon::ThreadPool> {
    let n = wanted
        .map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), |n| n.get());
    (n > 1).then(|| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok()).flatten()
}

/// Every input checked, on every core, with the configured severities; the reports come back
/// in the order the inputs were given.
fn check_all(
    args: &Args,
    policy: &Policy,
    linter: &Linter,
    progress: &Progress,
) -> Vec<FileReport> {
    // The baseline files are not captures, even inside a folder that is checked.
    let own: Vec<PathBuf> =
        [&args.baseline, &args.write_baseline].into_iter().flatten().map(|p| absolute(p)).collect();
    let inputs: Vec<_> = input::expand(&args.paths)
        .into_iter()
        .filter(|(name, _)| !own.contains(&absolute(Path::new(name))))
        .collect();
    warn_of_unmatched_overrides(&policy.config, &inputs);
    let check = |(name, input): (String, std::io::Result<Input>)| {
        let mut checked = linter.check(name, input);
        for report in &mut checked.reports {
            policy.apply(&report.name, &mut report.diagnostics);
            policy.apply_omitted(&report.name, &mut report.omitted);
            // Only findings need the text (for frames and positions): a clean input's is let
            // go at once, so thousands of inputs do not pile up in memory.
            if report.diagnostics.is_empty() {
                report.source = None;
            }
        }
        checked
    };
    let bar = ProgressBar::start(progress, &inputs);
    // One input (a pre-commit hook's usual run) starts no threads.
    let pool = if inputs.len() > 1 { threads(args.threads) } else { None };
    let checked: Vec<crate::Checked> = match pool {
        Some(pool) => {
            use rayon::prelude::*;
            pool.install(|| inputs.into_par_iter().map(check).collect())
        }
        None => inputs.into_iter().map(check).collect(),
    };
    drop(bar);
    let mut reports: Vec<FileReport> = Vec::new();
    for checked in checked {
        if let Some(note) = checked.note.filter(|_| args.verbose) {
            report::note(&note);
        }
        reports.extend(checked.reports);
    }
    drop_after_time_out(&mut reports);
    reports
}

/// Whether a progress bar may be shown: where a person watches (standard error is a
/// terminal), for the human report, unless `--quiet`.
fn shows_progress(args: &Args) -> bool {
    matches!(args.format, OutputFormat::Human) && !args.quiet && io::stderr().is_terminal()
}

/// A progress bar on standard error, in bytes of input read, for a check that takes more
/// than a second; cleared when dropped, before the report is written.
struct ProgressBar {
    /// Dropped when the check ends, which ends the bar's thread.
    done: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProgressBar {
    /// Starts the bar's thread when `progress` counts and the inputs' size is known.
    fn start(progress: &Progress, inputs: &[(String, io::Result<Input>)]) -> ProgressBar {
        let none = ProgressBar { done: None, thread: None };
        if !progress.counts() {
            return none;
        }
        let size = |input: &io::Result<Input>| match input {
            Ok(Input::File(path)) => std::fs::metadata(path).map_or(0, |m| m.len()),
            _ => 0,
        };
        let total: u64 = inputs.iter().map(|(_, input)| size(input)).sum();
        if total == 0 {
            return none;
        }
        let (done, ended) = std::sync::mpsc::channel::<()>();
        let progress = progress.clone();
        let thread = std::thread::spawn(move || draw(&progress, total, &ended));
        ProgressBar { done: Some(done), thread: Some(thread) }
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.done.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Draws the bar until `ended` says the check is over: nothing in the first second (or
/// `PROFILE_LINT_PROGRESS_DELAY_MS`), so that a quick check (a pre-commit hook's) never
/// flickers.
fn draw(progress: &Progress, total: u64, ended: &std::sync::mpsc::Receiver<()>) {
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::Duration;
    let delay = std::env::var("PROFILE_LINT_PROGRESS_DELAY_MS").ok().and_then(|v| v.parse().ok());
    let delay = Duration::from_millis(delay.unwrap_or(1000));
    if ended.recv_timeout(delay) != Err(RecvTimeoutError::Timeout) {
        return;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let style = indicatif::ProgressStyle::with_template(
        "checking {wide_bar} {binary_bytes}/{binary_total_bytes}, {eta} left",
    );
    if let Ok(style) = style {
        bar.set_style(style);
    }
    loop {
        bar.set_position(progress.read().min(total));
        if ended.recv_timeout(Duration::from_millis(100)) != Err(RecvTimeoutError::Timeout) {
            break;
        }
    }
    bar.finish_and_clear();
}

/// A schema past its time limit fails every input after the first: that one says why.
fn drop_after_time_out(reports: &mut Vec<FileReport>) {
    let before = reports.len();
    let mut timed_out = false;
    reports.retain(|r| {
        let stopped = r.diagnostics.iter().any(|d| d.code == Code::InvalidSchema);
        let keep = !(stopped && timed_out);
        timed_out |= stopped;
        keep
    });
    if reports.len() < before {
        let left = before - reports.len();
        report::note(&format!("{left} more inputs were not checked: the schema ran out of time"));
    }
}

/// Records the findings in `path`, which then accepts them; a baseline that cannot be written
/// is reported like any other file the run cannot use, so that a machine format still gets
/// its one well-formed report.
fn write_baseline(
    path: &Path,
    reports: &mut Vec<FileReport>,
    is_off: impl Fn(Code, &str) -> bool,
) -> Option<report::BaselineUse> {
    let place = baseline::Place::of(path);
    let (text, _entries) = baseline::render(reports, &place);
    if let Err(e) = crate::write::write_file(path, &text) {
        let message = format!("cannot write the baseline {}: {e}", path.display());
        let d = Diagnostic::new(Code::InvalidBaseline, message)
            .with_help("check that the baseline's folder exists and can be written");
        let name = path.to_string_lossy().into_owned();
        reports.push(FileReport::about(name, None, vec![d]));
        return None;
    }
    let accepted = match Baseline::parse(&text) {
        Ok(written) => written.apply(reports, &place, is_off).0,
        Err(_) => baseline::Accepted::default(),
    };
    Some(baseline_use(path, true, accepted))
}

/// Accepts the findings `accepted` records; its entries that match nothing are reported on it.
fn apply_baseline(
    path: &Path,
    (accepted, source): (Baseline, Source),
    policy: &Policy,
    reports: &mut Vec<FileReport>,
    is_off: impl Fn(Code, &str) -> bool,
) -> report::BaselineUse {
    let place = baseline::Place::of(path);
    if accepted.names_no_input(reports, &place) {
        report::note(&format!(
            "warning: no entry of the baseline {} is for an input of this run (its paths are \
             relative to its own folder)",
            path.display()
        ));
    }
    let (found, mut stale) = accepted.apply(reports, &place, is_off);
    policy.apply(&source.name, &mut stale);
    if !stale.is_empty() {
        reports.push(FileReport::about(source.name.clone(), Some(source), stale));
    }
    baseline_use(path, false, found)
}

/// What the summary says of a baseline.
fn baseline_use(path: &Path, written: bool, accepted: baseline::Accepted) -> report::BaselineUse {
    let baseline::Accepted { errors, warnings } = accepted;
    report::BaselineUse { path: path.display().to_string(), written, errors, warnings }
}

/// The report to stdout, or to `--output` with the summary line on stdout.
fn emit(
    args: &Args,
    format: Format,
    reports: &[FileReport],
    summary: &report::Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    match args.output_file() {
        Some(path) => {
            let mut buffer = Vec::new();
            report::write(format, reports, summary, &mut buffer)?;
            crate::write::write_file(path, &buffer).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
            })?;
            let line = report::summary_line(summary);
            writeln!(out, "{line}; report written to {}", path.display())
        }
        _ => report::write(format, reports, summary, out),
    }
}

/// An input that could not be read, a schema that ran out of time, a baseline that could not
/// be written: the run could not do what was asked.
fn exit_status(reports: &[FileReport]) -> ExitStatus {
    let unusable = reports.iter().flat_map(|r| &r.diagnostics).any(|d| {
        matches!(d.code, Code::UnreadableInput | Code::InvalidSchema | Code::InvalidBaseline)
    });
    if unusable {
        ExitStatus::Error
    } else if reports.iter().any(|r| r.errors() > 0) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Makes Ctrl-C (and SIGTERM, SIGHUP) stop the run at once, leaving no temporary file behind:
/// the file being replaced is still the old one, whole. The process then dies of the signal,
/// as if it had no handler, so that a shell loop running it stops too. Without a handler,
/// the run would stop as promptly but leave the half-written temporary file.
#[cfg(unix)]
pub fn stop_cleanly_on_interrupt() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    // A signal the process was started ignoring (`nohup`, `cmd &` in a script) stays ignored.
    let handled = [SIGINT, SIGTERM, SIGHUP].into_iter().filter(|&s| !crate::write::is_ignored(s));
    // Failing to install it only loses the clean-up, so it is not an error.
    let Ok(mut signals) = signal_hook::iterator::Signals::new(handled) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Held until the process is gone, so no temporary file is made after the clean-up.
            let _held = crate::write::remove_pending();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            // Only if the signal did not end the process (it always should).
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
pub fn stop_cleanly_on_interrupt() {}

/// An override that applies to no input of the run is most likely a typo or globs written from
/// another folder: said on stderr, so that it does not pass silently.
fn warn_of_unmatched_overrides(config: &Config, inputs: &[(String, io::Result<Input>)]) {
    let names: Vec<&str> = inputs.iter().map(|(name, _)| name.as_str()).collect();
    let Some(path) = &config.path else { return };
    for files in config.unmatched_overrides(&names) {
        report::note(&format!(
            "warning: the override for files = {files:?} in {} matches no input of this run \
             (its globs are relative to that file's folder)",
            path.display()
        ));
    }
}

/// A file the run needs (a configuration, a schema, a baseline) that cannot be used: a report
/// about it, which ends the run. Boxed, as the path is rare and the report large.
type Failed = Box<FileReport>;

fn about(source: Source, diagnostics: Vec<Diagnostic>) -> Failed {
    Box::new(FileReport::about(source.name.clone(), Some(source), diagnostics))
}

/// Reads a file that is not an input; failure is a report about it.
fn read(input: &Input) -> Result<Source, Failed> {
    input.load().map_err(|e| {
        let name = input.name();
        let diagnostics = vec![input::unreadable(&name, &e)];
        Box::new(FileReport::about(name, None, diagnostics))
    })
}

/// `path` from the root, normalized, to compare paths named in different ways.
fn absolute(path: &Path) -> PathBuf {
    input::normalize(&std::env::current_dir().unwrap_or_default().join(path))
}

fn load_baseline(path: &Path) -> Result<(Baseline, Source), Failed> {
    let source = read(&Input::File(path.to_path_buf()))?;
    let parsed = match std::str::from_utf8(&source.bytes) {
        Ok(text) => Baseline::parse(text),
        Err(_) => {
            Err(vec![Diagnostic::new(Code::InvalidBaseline, "the baseline is not UTF-8 text")])
        }
    };
    match parsed {
        Ok(baseline) => Ok((baseline, source)),
        Err(diagnostics) => Err(about(source, diagnostics)),
    }
}

fn load_config(args: &Args) -> Result<Config, Failed> {
    if args.no_config {
        return Ok(Config::default());
    }
    let path = match &args.config {
        Some(path) => path.clone(),
        None => match std::env::current_dir().ok().and_then(|dir| Config::discover(&dir)) {
            Some(found) => found,
            None => return Ok(Config::default()),
        },
    };
    let source = read(&Input::File(path.clone()))?;
    let parsed = match std::str::from_utf8(&source.bytes) {
        Ok(text) => Config::parse(&path, text),
        Err(e) => Err(vec![
            Diagnostic::new(Code::InvalidConfig, "the configuration is not UTF-8 text")
                .with_span(crate::Span::new(e.valid_up_to(), 1)),
        ]),
    };
    parsed.map_err(|diagnostics| about(source, diagnostics))
}

fn load_openapi(path: &Path) -> Result<Linter, Failed> {
    let name = path.to_string_lossy();
    Linter::with_openapi(path, &name).map_err(|(source, diagnostics)| about(source, diagnostics))
}

fn load_schema(path: &Path, limit: std::time::Duration) -> Result<Linter, Failed> {
    let input = if path.as_os_str() == "-" { Input::Stdin } else { Input::File(path.into()) };
    let source = read(&input)?;
    let compiled = match std::str::from_utf8(&source.bytes) {
        Ok(text) => Linter::with_schema_limit(text, limit),
        Err(_) => Err(vec![Diagnostic::new(Code::InvalidSchema, "the schema is not UTF-8 text")]),
    };
    compiled.map_err(|diagnostics| about(source, diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn severity_flags_keep_their_order() {
        let invocation = parse_from([
            "profile-lint",
            "-A",
            "D002",
            "x.json",
            "--deny",
            "non-base58-id",
            "-W",
            "warnings",
        ])
        .unwrap();
        assert_eq!(
            invocation.flags,
            [
                (Selector::Code(Code::NonBase58Id), Level::Off),
                (Selector::Code(Code::NonBase58Id), Level::Error),
                (Selector::Warnings, Level::Warning),
            ]
        );
    }

    #[test]
    fn unknown_rules_and_a_second_stdin_are_usage_errors() {
        assert!(parse_from(["profile-lint", "-D", "D999", "x.json"]).is_err());
        assert!(parse_from(["profile-lint", "-", "-"]).is_err());
        assert!(parse_from(["profile-lint", "--schema", "-", "-"]).is_err());
        assert!(parse_from(["profile-lint", "rules"]).is_ok());
    }

    /// Regression: global options before a subcommand made it a path.
    #[test]
    fn global_options_go_before_a_subcommand() {
        for argv in [
            &["profile-lint", "--no-config", "explain", "P007"][..],
            &["profile-lint", "--color", "never", "--config", "x.toml", "explain", "P007"],
            &["profile-lint", "explain", "P007", "--no-config"],
        ] {
            let invocation = parse_from(argv.iter().copied()).unwrap();
            assert!(matches!(invocation.args.command, Some(Command::Explain { .. })), "{argv:?}");
        }
        let checked = parse_from(["profile-lint", "--no-config", "corpus"]).unwrap();
        assert!(checked.args.command.is_none());
    }
}
