//! Matching a request to the operation that documents it: the URL's path, after the base path
//! of the document's `servers`, against the path templates, where a concrete segment wins over
//! a templated one (OpenAPI 3.1, "Path Templating Matching"); then the status and the media
//! type of the response.

/// One segment of a path template: written out, or holding `{parameters}`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// The text around the parameters, in order: `{id}.json` is `["", ".json"]`.
    Template(Vec<String>),
}

/// A path template, `/targets/{target_id}/findings/`.
#[derive(Debug, Clone)]
pub struct Template {
    segments: Vec<Segment>,
}

impl Template {
    /// What a path must have for this template to match it: its number of segments, and its
    /// first segment after the leading `/` when the template writes it out (`None` when that
    /// segment is templated). Operations are looked up by it, not tried one by one.
    pub fn shape(&self) -> (usize, Option<&str>) {
        let first = match self.segments.get(1) {
            Some(Segment::Literal(text)) => Some(text.as_str()),
            _ => None,
        };
        (self.segments.len(), first)
    }

    pub fn new(template: &str) -> Template {
        let segments = template
            .split('/')
            .map(|s| {
                if !s.contains('{') {
                    return Segment::Literal(s.to_owned());
                }
                let mut fixed = Vec::new();
                let mut rest = s;
                while let Some(open) = rest.find('{') {
                    fixed.push(rest[..open].to_owned());
                    rest = rest[open..].find('}').map_or("", |close| &rest[open + close + 1..]);
                }
                fixed.push(rest.to_owned());
                Segment::Template(fixed)
            })
            .collect();
        Template { segments }
    }

    /// How many segments are written out, when the path of `parts` (its segments) matches:
    /// the more, the better the match.
    pub fn matches(&self, parts: &[&str]) -> Option<usize> {
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut literal = 0;
        for (segment, part) in self.segments.iter().zip(parts) {
            match segment {
                Segment::Literal(text) if text == part => literal += 1,
                Segment::Literal(_) => return None,
                Segment::Template(fixed) if fits(fixed, part) => {}
                Segment::Template(_) => return None,
            }
        }
        Some(literal)
    }
}

/// Whether `part` is the fixed texts with a non-empty value between each two.
fn fits(fixed: &[String], part: &str) -> bool {
    let Some((first, rest)) = fixed.split_first() else { return false };
    let Some(mut left) = part.strip_prefix(first.as_str()) else { return false };
    for (i, text) in rest.iter().enumerate() {
        let last = i == rest.len() - 1;
        let found = if last {
            left.strip_suffix(text.as_str()).map(|value| (value, ""))
        } else if text.is_empty() {
            None
        } else {
            left.find(text.as_str()).map(|at| (&left[..at], &left[at + text.len()..]))
        };
        match found {
            Some((value, after)) if !value.is_empty() && !value.contains('/') => left = after,
            _ => return false,
        }
    }
    true
}

/// The path of a URL below a server's base path (`/api` of `https://x.io/api`), or `None`
/// when it is not below it.
pub fn below<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    let base = base.trim_end_matches('/');
    if base.is_empty() {
        return Some(path);
    }
    let rest = path.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// The response key for `status`: the code itself, then its range (`2XX`), then `default`.
pub fn response_key<'a>(
    keys: impl Iterator<Item = &'a str> + Clone,
    status: u16,
) -> Option<&'a str> {
    let code = status.to_string();
    let range = format!("{}XX", status / 100);
    keys.clone()
        .find(|k| *k == code)
        .or_else(|| keys.clone().find(|k| k.eq_ignore_ascii_case(&range)))
        .or_else(|| keys.clone().find(|k| *k == "default"))
}

/// The media type key for a response's `Content-Type`: the same type with its parameters,
/// then the same type, then, for a `+json` type (RFC 6839), `application/json`, then its range
/// (`application/*`), then `*/*`.
pub fn media_key<'a>(
    keys: impl Iterator<Item = &'a str> + Clone,
    content_type: &str,
) -> Option<&'a str> {
    let normal =
        |t: &str| t.split(';').map(str::trim).collect::<Vec<_>>().join(";").to_ascii_lowercase();
    let essence = crate::exchange::media_essence;
    let wanted = normal(content_type);
    let wanted_essence = essence(content_type);
    let range = format!("{}/*", wanted_essence.split('/').next().unwrap_or_default());
    keys.clone()
        .find(|k| normal(k) == wanted)
        .or_else(|| keys.clone().find(|k| essence(k) == wanted_essence && !k.contains('*')))
        .or_else(|| {
            let suffixed = wanted_essence.ends_with("+json");
            keys.clone().find(|k| suffixed && essence(k) == "application/json")
        })
        .or_else(|| keys.clone().find(|k| essence(k) == range))
        .or_else(|| keys.clone().find(|k| essence(k) == "*/*"))
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Template {
        fn matches_path(&self, path: &str) -> Option<usize> {
            self.matches(&path.split('/').collect::<Vec<_>>())
        }
    }

    #[test]
    fn templates_match_whole_segments_and_literals_count() {
        let t = Template::new("/targets/{target_id}/findings/{id}/");
        assert_eq!(t.matches_path("/targets/ab12/findings/9/"), Some(4));
        assert_eq!(t.matches_path("/targets//findings/9/"), None);
        assert_eq!(t.matches_path("/targets/a/b/findings/9/"), None);
        let mine = Template::new("/users/me/");
        let any = Template::new("/users/{id}/");
        assert!(mine.matches_path("/users/me/") > any.matches_path("/users/me/"));
        let file = Template::new("/reports/{id}.{format}");
        assert_eq!(file.matches_path("/reports/7.pdf"), Some(2));
        assert_eq!(file.matches_path("/reports/7"), None);
    }

    #[test]
    fn a_server_base_path_is_removed() {
        assert_eq!(below("/api/v1/profile/", "/api/v1"), Some("/profile/"));
        assert_eq!(below("/api/v10/profile/", "/api/v1"), None);
        assert_eq!(below("/profile/", "/"), Some("/profile/"));
    }

    #[test]
    fn statuses_are_matched_exactly_then_by_range_then_by_default() {
        let keys = ["200", "4XX", "default"];
        assert_eq!(response_key(keys.iter().copied(), 200), Some("200"));
        assert_eq!(response_key(keys.iter().copied(), 404), Some("4XX"));
        assert_eq!(response_key(keys.iter().copied(), 500), Some("default"));
        assert_eq!(response_key(["200"].iter().copied(), 201), None);
    }

    #[test]
    fn media_types_are_matched_most_specific_first() {
        let keys = ["application/json", "application/problem+json", "text/*", "*/*"];
        let key = |t| media_key(keys.iter().copied(), t);
        assert_eq!(key("application/json; charset=utf-8"), Some("application/json"));
        assert_eq!(key("application/problem+json"), Some("application/problem+json"));
        assert_eq!(key("text/html"), Some("text/*"));
        assert_eq!(key("image/png"), Some("*/*"));
        assert_eq!(media_key(["application/json"].iter().copied(), "text/html"), None);
        // RFC 6839: a `+json` type is JSON, for a response that documents JSON only.
        let json = ["application/json", "*/*"];
        assert_eq!(
            media_key(json.iter().copied(), "application/problem+json"),
            Some("application/json")
        );
    }
}
