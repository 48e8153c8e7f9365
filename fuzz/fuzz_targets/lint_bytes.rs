//! "Lint these bytes" in every input format, then render every report format: whatever the
//! bytes, this must return (no panic, no stack overflow, no runaway allocation).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use profile_lint::input::InputFormat;
use profile_lint::report::{self, Format, HumanOptions};
use profile_lint::{Linter, Options, Source};

const FORMATS: [(Option<InputFormat>, &str); 5] = [
    (Some(InputFormat::Json), "input.json"),
    (Some(InputFormat::Har), "input.har"),
    (Some(InputFormat::Http), "input.http"),
    (Some(InputFormat::Jsonl), "input.jsonl"),
    (None, "input"),
];

/// One linter for each format, plain or redacting, keeping every finding or one of each code:
/// compiling the schema once, not every run.
fn linters() -> &'static [Linter] {
    static LINTERS: OnceLock<Vec<Linter>> = OnceLock::new();
    LINTERS.get_or_init(|| {
        let mut linters = Vec::new();
        for max_per_rule in [None, Some(1)] {
            for redact in [false, true] {
                for (format, _) in FORMATS {
                    let options = Options { format, redact, max_per_rule, ..Options::default() };
                    linters.push(Linter::new().with_options(options));
                }
            }
        }
        linters
    })
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the format, redaction and the limit, so one corpus reaches every
    // reader; the rest is the input.
    let Some((&pick, bytes)) = data.split_first() else { return };
    let format = usize::from(pick) % FORMATS.len();
    let redact = usize::from(pick & 0x80 != 0);
    let limited = usize::from(pick & 0x40 != 0);
    let linter = &linters()[(limited * 2 + redact) * FORMATS.len() + format];
    let checked = linter.check_source(Source::new(FORMATS[format].1, bytes));
    let human = HumanOptions { color: false, width: 100, group: true, max: None, quiet: false };
    for format in [Format::Human(human), Format::Json, Format::Sarif, Format::Junit, Format::Github]
    {
        report::write(format, &checked.reports, &mut std::io::sink()).unwrap();
    }
});
