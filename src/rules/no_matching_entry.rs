//! H003 `no-matching-entry`: a HAR file with no entry for the endpoint to check.

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::exchange::Capture;
use crate::findings::Findings;

fn no_matching_entry(capture: &Capture) -> Diagnostic {
    let (entries, endpoint) = (capture, capture.endpoint.as_str());
    let (message, help) = if entries.skipped.redirects + entries.skipped.not_modified > 0 {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        // Say only what happened: a redirect the HAR does not follow to the endpoint (to a
        // login page, most often), or a body the browser's cache served.
        let mut what = Vec::new();
        let mut fix = Vec::new();
        if entries.skipped.redirects > 0 {
            what.push(plural(
                entries.skipped.redirects,
                "redirect elsewhere",
                "redirects elsewhere",
            ));
            fix.push("a redirect away from the endpoint (to a login page, say) means the request was not answered with a profile: record it signed in");
        }
        if entries.skipped.not_modified > 0 {
            what.push(plural(
                entries.skipped.not_modified,
                "304 Not Modified (served from the browser's cache)",
                "304 Not Modified (served from the browser's cache)",
            ));
            fix.push("record again with the cache disabled");
        }
        (
            format!("no entry of this HAR has a body of GET {endpoint} to check"),
            format!("its GET {endpoint} entries were {}; {}", what.join(" and "), fix.join("; ")),
        )
    } else {
        (
            format!("no entry of this HAR is a GET of {endpoint}"),
            "record the page that calls the endpoint, or name another with --endpoint PATH".into(),
        )
    };
    Diagnostic::new(Code::NoMatchingEntry, message)
        .with_span(Span::new(capture.entries.offset, 1))
        .with_label(match entries.skipped.other {
            1 => "1 other entry".to_owned(),
            n => format!("{n} other entries"),
        })
        .with_help(help)
}

pub fn check(capture: &Capture, out: &mut Findings) {
    if capture.matched == 0 {
        out.push(no_matching_entry(capture));
    }
}
