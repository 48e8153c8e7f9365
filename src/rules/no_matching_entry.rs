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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::Skipped;

    fn capture(matched: usize, skipped: Skipped) -> Capture {
        Capture { endpoint: "/profile/".into(), matched, skipped, entries: Span::new(10, 2) }
    }

    fn found(capture: &Capture) -> Vec<Diagnostic> {
        let mut out = Findings::new(None);
        check(capture, &mut out);
        out.into_kept()
    }

    #[test]
    fn a_har_with_an_entry_for_the_endpoint_passes() {
        assert!(found(&capture(1, Skipped { other: 5, ..Skipped::default() })).is_empty());
    }

    #[test]
    fn a_har_without_one_is_reported_on_its_entries() {
        let d = &found(&capture(0, Skipped { other: 2, ..Skipped::default() }))[0];
        assert_eq!(d.message, "no entry of this HAR is a GET of /profile/");
        assert_eq!((d.span, d.label.as_deref()), (Some(Span::new(10, 1)), Some("2 other entries")));
    }

    #[test]
    fn redirects_and_cached_entries_are_named_as_what_happened() {
        let skipped = Skipped { other: 1, redirects: 1, not_modified: 2 };
        let d = &found(&capture(0, skipped))[0];
        assert_eq!(d.message, "no entry of this HAR has a body of GET /profile/ to check");
        let help = d.help.as_deref().unwrap();
        assert!(help.starts_with("its GET /profile/ entries were 1 redirect elsewhere and 2 304 Not Modified"), "{help}");
    }
}
