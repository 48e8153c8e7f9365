//! Rules: what the documentation promises that a JSON Schema cannot say, and where the live API
//! is known to drift from the documentation (`D` codes), or what no correct response can contain
//! (`R` codes). One rule per file; each opens with the function that builds its diagnostic, then
//! the check, then its tests. Its documentation (what, why, example) is the Markdown file of the
//! same name beside it.
//!
//! Rules see one user at a time, as the parser streams them; the few that compare users keep
//! what they need in [`Context`].

pub mod color_not_hex;
pub mod duplicate_user_id;
pub mod empty_changed_by_email;
pub mod first_login_after_last_login;
pub mod future_date_time;
mod id_set;
pub mod inconsistent_changed_by;
pub mod non_base58_id;
pub mod non_utc_offset;
pub mod root_is_object;
pub mod search_term_missing;
pub mod undocumented_field;
pub mod unexpected_status;
pub mod unknown_ordering_field;
pub mod unsorted_response;
pub mod wrong_content_type;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::diagnostic::{Diagnostic, Span};
use crate::json::{Kind, Value, pointer};

/// What rules remember across the users of one response, and what the request asked for.
pub struct Context {
    /// The capture time: dates after it are in the future.
    pub captured: DateTime<Utc>,
    /// Whether `captured` is when the capture was made (a HAR entry's `startedDateTime`), not
    /// the time of the run standing in for it.
    pub captured_recorded: bool,
    /// The request's `ordering`, as fields, as written, and where.
    pub ordering: Vec<OrderField>,
    pub ordering_text: String,
    pub ordering_span: Option<Span>,
    /// The request's `search` term, lowercase, and where it is written.
    pub search: Option<(String, Option<Span>)>,
    /// Every user id seen, as a 64-bit hash (a collision between two ids is a chance of one
    /// in 2^64 per pair), and where it was first seen.
    user_ids: id_set::IdSet,
    changed_by: HashMap<Box<str>, inconsistent_changed_by::Seen>,
    previous: Option<unsorted_response::Previous>,
    /// Rules turned off everywhere, whose work is skipped.
    skip: Vec<crate::Code>,
}

/// One field of an `ordering` parameter: `-name` is `name`, descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderField {
    pub name: String,
    pub descending: bool,
}

impl Context {
    pub fn new(captured: DateTime<Utc>, exchange: &crate::exchange::Exchange) -> Self {
        let (ordering_text, ordering_span) = exchange.ordering.clone().unwrap_or_default();
        let ordering = ordering_text
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| match f.strip_prefix('-') {
                Some(name) => OrderField { name: name.to_owned(), descending: true },
                None => OrderField { name: f.to_owned(), descending: false },
            })
            .collect();
        Context {
            captured,
            captured_recorded: exchange.captured.is_some(),
            ordering,
            ordering_text,
            ordering_span,
            search: exchange.search.as_ref().map(|(term, span)| (term.to_lowercase(), *span)),
            user_ids: id_set::IdSet::default(),
            changed_by: HashMap::new(),
            previous: None,
            skip: exchange.skip.clone(),
        }
    }
}

/// A stable 64-bit hash of a string, for the sets rules keep across users.
pub(crate) fn fingerprint(text: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(text)
}

/// The checks of the request itself, once per response.
pub fn check_request(ctx: &Context, out: &mut Vec<Diagnostic>) {
    unknown_ordering_field::check(ctx, out);
}

/// Runs every rule on one user: an array item (`in_array`), or the root object.
pub fn check_user(
    user: Value<'_>,
    base: &str,
    in_array: bool,
    ctx: &mut Context,
    out: &mut Vec<Diagnostic>,
) {
    let facts = check_alone(user, base, in_array, ctx, out);
    compare(facts, ctx, out);
}

/// The rules that look at one user alone, and what the rules that compare users need of it.
/// Large captures run this on every core, then [`compare`] in order.
pub fn check_alone(
    user: Value<'_>,
    base: &str,
    in_array: bool,
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) -> Facts {
    let item = base.strip_prefix('/').and_then(|i| i.parse().ok());
    let mut facts = Facts { base: Base(item), ..Facts::default() };
    if user.kind() != Kind::Object {
        return facts;
    }
    let ordering_known =
        ctx.ordering.iter().all(|f| undocumented_field::USER.contains(&f.name.as_str()));
    if in_array && ordering_known {
        facts.order = unsorted_response::fact(user, ctx);
    }
    let user = User::new(user);
    non_base58_id::check(&user, base, out);
    non_utc_offset::check(&user, base, out);
    color_not_hex::check(&user, base, out);
    undocumented_field::check(&user, base, out);
    empty_changed_by_email::check(&user, base, out);
    first_login_after_last_login::check(&user, base, out);
    future_date_time::check(&user, base, ctx, out);
    search_term_missing::check(user.value(), base, ctx, out);
    facts.id = duplicate_user_id::fact(&user);
    facts.changed_by = inconsistent_changed_by::facts(&user);
    facts
}

/// The pointer to a user, kept as its index: written out only for a finding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Base(Option<usize>);

impl std::fmt::Display for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(i) => write!(f, "/{i}"),
            None => Ok(()),
        }
    }
}

/// What the rules that compare users keep of one user.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    base: Base,
    id: Option<duplicate_user_id::Fact>,
    changed_by: Vec<inconsistent_changed_by::Fact>,
    order: Option<unsorted_response::Fact>,
}

impl Facts {
    /// The same, moved by `by` bytes (a block's place in its file).
    pub fn shift(&mut self, by: usize) {
        let shift = |s: &mut Span| s.offset += by;
        if let Some(f) = &mut self.id {
            shift(&mut f.span);
        }
        for f in &mut self.changed_by {
            f.shift(by);
        }
        if let Some(f) = &mut self.order {
            f.spans.iter_mut().for_each(shift);
        }
    }
}

/// The rules that compare a user with those before it, in the order of the response.
pub fn compare(facts: Facts, ctx: &mut Context, out: &mut Vec<Diagnostic>) {
    let base = facts.base;
    if let Some(fact) = &facts.id
        && !ctx.skip.contains(&crate::Code::DuplicateUserId)
    {
        duplicate_user_id::compare(fact, base, ctx, out);
    }
    inconsistent_changed_by::compare(&facts.changed_by, base, ctx, out);
    if let Some(fact) = facts.order {
        unsorted_response::compare(fact, base, ctx, out);
    }
}

/// Where a value sits inside one user. It becomes a pointer only when there is a finding, so
/// the walk over a passing user allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// A member of the user (`None` for the user itself; `Some("")` is the member whose key
    /// is empty, at pointer `/0/`, RFC 6901 section 5).
    User(Option<&'a str>),
    /// A member of the user's `changed_by` (`None` for the object itself).
    ChangedBy(Option<&'a str>),
    /// A member of label `i` (`None` for the label itself).
    Label(usize, Option<&'a str>),
    /// A member of label `i`'s `changed_by` (`None` for the object itself).
    LabelChangedBy(usize, Option<&'a str>),
}

impl Place<'_> {
    pub fn pointer(&self, base: &str) -> String {
        let mut out = base.to_owned();
        let field = match *self {
            Place::User(field) => field,
            Place::ChangedBy(field) => {
                out.push_str("/changed_by");
                field
            }
            Place::Label(i, field) => {
                out.push_str(&format!("/labels/{i}"));
                field
            }
            Place::LabelChangedBy(i, field) => {
                out.push_str(&format!("/labels/{i}/changed_by"));
                field
            }
        };
        if let Some(field) = field {
            pointer::push_segment(&mut out, field);
        }
        out
    }

    /// The same object with another member.
    fn with<'b>(&self, field: &'b str) -> Place<'b> {
        match *self {
            Place::User(_) => Place::User(Some(field)),
            Place::ChangedBy(_) => Place::ChangedBy(Some(field)),
            Place::Label(i, _) => Place::Label(i, Some(field)),
            Place::LabelChangedBy(i, _) => Place::LabelChangedBy(i, Some(field)),
        }
    }

    /// The name a person calls the field by (`""` for the empty key, as JSON writes it).
    pub fn field(&self) -> &str {
        match *self {
            Place::User(f)
            | Place::ChangedBy(f)
            | Place::Label(_, f)
            | Place::LabelChangedBy(_, f) => match f {
                Some("") => "\"\"",
                f => f.unwrap_or_default(),
            },
        }
    }

    /// The member's key as written in the JSON (`""` for the empty key is the empty string).
    pub fn key(&self) -> &str {
        match *self {
            Place::User(f)
            | Place::ChangedBy(f)
            | Place::Label(_, f)
            | Place::LabelChangedBy(_, f) => f.unwrap_or_default(),
        }
    }
}

/// The documented parts of one user, for rules to walk; found once per user.
pub struct User<'a> {
    value: Value<'a>,
    /// The user, its `changed_by`, its labels and theirs, with where each is.
    objects: Vec<(Place<'static>, Object, Value<'a>)>,
}

/// What kind of documented object a [`Place`] with an empty field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    User,
    ChangedBy,
    Label,
}

impl<'a> User<'a> {
    pub fn new(value: Value<'a>) -> Self {
        let mut objects = vec![(Place::User(None), Object::User, value)];
        let is_object = |v: &Value<'_>| v.kind() == Kind::Object;
        if let Some(cb) = value.get("changed_by").filter(is_object) {
            objects.push((Place::ChangedBy(None), Object::ChangedBy, cb));
        }
        let labels = value.get("labels").filter(|l| l.kind() == Kind::Array);
        for (i, label) in labels.into_iter().flat_map(|l| l.elements()).enumerate() {
            if label.kind() != Kind::Object {
                continue;
            }
            objects.push((Place::Label(i, None), Object::Label, label));
            if let Some(cb) = label.get("changed_by").filter(is_object) {
                objects.push((Place::LabelChangedBy(i, None), Object::ChangedBy, cb));
            }
        }
        User { value, objects }
    }

    /// The user object itself.
    pub fn value(&self) -> Value<'a> {
        self.value
    }

    pub fn get(&self, field: &str) -> Option<Value<'a>> {
        self.value.get(field)
    }

    /// Every documented object of the user: itself, its `changed_by`, its labels and theirs.
    pub fn objects(&self) -> &[(Place<'static>, Object, Value<'a>)] {
        &self.objects
    }

    /// Every `changed_by` object, with its place.
    pub fn changed_bys(&self) -> impl Iterator<Item = (Place<'static>, Value<'a>)> + '_ {
        self.objects.iter().filter(|(_, o, _)| *o == Object::ChangedBy).map(|(p, _, v)| (*p, *v))
    }

    /// Every string value of `field` across the documented objects of `kinds`.
    pub fn strings<'f>(
        &self,
        kinds: &'f [Object],
        field: &'f str,
    ) -> impl Iterator<Item = (Place<'f>, Value<'a>, &'a str)> + use<'a, 'f, '_> {
        self.objects.iter().filter(move |(_, o, _)| kinds.contains(o)).filter_map(
            move |(place, _, object)| {
                let value = object.get(field)?;
                Some((place.with(field), value, value.as_str()?))
            },
        )
    }

    /// Every documented date-time string: the user's `changed`, `last_login`, `first_login`,
    /// and each label's `changed`.
    pub fn date_times(&self) -> impl Iterator<Item = (Place<'static>, Value<'a>, &'a str)> + '_ {
        let own = ["changed", "last_login", "first_login"].into_iter().filter_map(|f| {
            let v = self.value.get(f)?;
            Some((Place::User(Some(f)), v, v.as_str()?))
        });
        let labels = self.objects.iter().filter(|(_, o, _)| *o == Object::Label).filter_map(
            |(place, _, label)| {
                let v = label.get("changed")?;
                Some((place.with("changed"), v, v.as_str()?))
            },
        );
        own.chain(labels)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Runs the rules over inline JSON for the rules' own tests.
    use super::*;
    use crate::json::Tape;
    use crate::json::parse::Reader;

    pub const CAPTURED: &str = "2026-01-01T00:00:00Z";

    pub fn captured() -> DateTime<Utc> {
        crate::datetime::instant(CAPTURED).unwrap()
    }

    /// A request with these `ordering` and `search` parameters.
    pub fn exchange(ordering: Option<&str>, search: Option<&str>) -> crate::exchange::Exchange {
        crate::exchange::Exchange {
            captured: Some(captured()),
            ordering: ordering.map(|o| (o.to_owned(), None)),
            search: search.map(|s| (s.to_owned(), None)),
            skip: Vec::new(),
        }
    }

    /// The findings of all rules for `src`: an array of users, or one user.
    pub fn run(src: &str) -> Vec<Diagnostic> {
        run_with(src, &exchange(None, None))
    }

    /// The same, for a response to the request `exchange` describes.
    pub fn run_with(src: &str, exchange: &crate::exchange::Exchange) -> Vec<Diagnostic> {
        let mut ctx = Context::new(captured(), exchange);
        let mut out = Vec::new();
        let mut tape = Tape::new(src);
        Reader::new(src, 0).value(&mut tape).unwrap();
        let root = tape.root();
        if root.kind() == Kind::Array {
            for (i, user) in root.elements().enumerate() {
                check_user(user, &format!("/{i}"), true, &mut ctx, &mut out);
            }
        } else {
            check_user(root, "", false, &mut ctx, &mut out);
        }
        out
    }

    /// The pointers of the findings of `code`.
    pub fn pointers(src: &str, code: crate::Code) -> Vec<String> {
        run(src).into_iter().filter(|d| d.code == code).filter_map(|d| d.pointer).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_become_escaped_pointers() {
        assert_eq!(Place::User(Some("id")).pointer("/3"), "/3/id");
        let email = Place::LabelChangedBy(1, Some("email"));
        assert_eq!(email.pointer(""), "/labels/1/changed_by/email");
        assert_eq!(Place::Label(0, Some("a/b")).pointer("/0"), "/0/labels/0/a~1b");
        assert_eq!(Place::ChangedBy(None).pointer("/0"), "/0/changed_by");
        // RFC 6901 section 5: the member whose key is empty is `/0/`, not the object `/0`.
        assert_eq!(Place::User(Some("")).pointer("/0"), "/0/");
        assert_eq!(Place::User(Some("")).field(), "\"\"");
    }
}
