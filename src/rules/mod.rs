//! Rules: what the documentation promises that a JSON Schema cannot say, and where the live API
//! is known to drift from the documentation (`D` codes), or what no correct response can contain
//! (`R` codes). One rule per file; each opens with the function that builds its diagnostic, then
//! its documentation (what, why, example), then the check, then its tests.
//!
//! Rules see one user at a time, as the parser streams them; the few that compare users keep
//! what they need in [`Context`].

pub mod color_not_hex;
pub mod docs;
pub mod duplicate_user_id;
pub mod empty_changed_by_email;
pub mod first_login_after_last_login;
pub mod future_date_time;
pub mod inconsistent_changed_by;
pub mod non_base58_id;
pub mod non_utc_offset;
pub mod root_is_object;
pub mod undocumented_field;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::diagnostic::{Diagnostic, Span};
use crate::json::{Kind, Value, pointer};

/// What rules remember across the users of one response, and when it was captured.
pub struct Context {
    /// The capture time: dates after it are in the future.
    pub captured: DateTime<Utc>,
    user_ids: HashMap<Box<str>, Span>,
    changed_by: HashMap<Box<str>, inconsistent_changed_by::Seen>,
}

impl Context {
    pub fn new(captured: DateTime<Utc>) -> Self {
        Context { captured, user_ids: HashMap::new(), changed_by: HashMap::new() }
    }
}

/// Runs every rule on one user (an array item, or the root object).
pub fn check_user(user: Value<'_>, base: &str, ctx: &mut Context, out: &mut Vec<Diagnostic>) {
    if user.kind() != Kind::Object {
        return;
    }
    let user = User(user);
    non_base58_id::check(&user, base, out);
    non_utc_offset::check(&user, base, out);
    color_not_hex::check(&user, base, out);
    undocumented_field::check(&user, base, out);
    empty_changed_by_email::check(&user, base, out);
    duplicate_user_id::check(&user, base, ctx, out);
    first_login_after_last_login::check(&user, base, out);
    future_date_time::check(&user, base, ctx, out);
    inconsistent_changed_by::check(&user, base, ctx, out);
}

/// Where a value sits inside one user. It becomes a pointer only when there is a finding, so
/// the walk over a passing user allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// A member of the user (`""` for the user itself).
    User(&'a str),
    /// A member of the user's `changed_by` (`""` for the object itself).
    ChangedBy(&'a str),
    /// A member of label `i` (`""` for the label itself).
    Label(usize, &'a str),
    /// A member of label `i`'s `changed_by` (`""` for the object itself).
    LabelChangedBy(usize, &'a str),
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
        if !field.is_empty() {
            pointer::push_segment(&mut out, field);
        }
        out
    }

    /// The same object with another member.
    fn with<'b>(&self, field: &'b str) -> Place<'b> {
        match *self {
            Place::User(_) => Place::User(field),
            Place::ChangedBy(_) => Place::ChangedBy(field),
            Place::Label(i, _) => Place::Label(i, field),
            Place::LabelChangedBy(i, _) => Place::LabelChangedBy(i, field),
        }
    }

    /// The name a person calls the field by.
    pub fn field(&self) -> &str {
        match *self {
            Place::User(f)
            | Place::ChangedBy(f)
            | Place::Label(_, f)
            | Place::LabelChangedBy(_, f) => f,
        }
    }
}

/// The documented parts of one user, for rules to walk.
pub struct User<'a>(pub Value<'a>);

/// What kind of documented object a [`Place`] with an empty field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    User,
    ChangedBy,
    Label,
}

impl<'a> User<'a> {
    pub fn get(&self, field: &str) -> Option<Value<'a>> {
        self.0.get(field)
    }

    fn labels(&self) -> impl Iterator<Item = (usize, Value<'a>)> + use<'a> {
        let labels = self.0.get("labels").filter(|l| l.kind() == Kind::Array);
        labels
            .into_iter()
            .flat_map(|l| l.elements())
            .enumerate()
            .filter(|(_, l)| l.kind() == Kind::Object)
    }

    /// Every documented object of the user: itself, its `changed_by`, its labels and theirs.
    pub fn objects(&self) -> Vec<(Place<'static>, Object, Value<'a>)> {
        let mut out = vec![(Place::User(""), Object::User, self.0)];
        let is_object = |v: &Value<'_>| v.kind() == Kind::Object;
        if let Some(cb) = self.0.get("changed_by").filter(is_object) {
            out.push((Place::ChangedBy(""), Object::ChangedBy, cb));
        }
        for (i, label) in self.labels() {
            out.push((Place::Label(i, ""), Object::Label, label));
            if let Some(cb) = label.get("changed_by").filter(is_object) {
                out.push((Place::LabelChangedBy(i, ""), Object::ChangedBy, cb));
            }
        }
        out
    }

    /// Every `changed_by` object, with its place.
    pub fn changed_bys(&self) -> impl Iterator<Item = (Place<'static>, Value<'a>)> {
        self.objects()
            .into_iter()
            .filter(|(_, o, _)| *o == Object::ChangedBy)
            .map(|(p, _, v)| (p, v))
    }

    /// Every string value of `field` across the documented objects of `kinds`.
    pub fn strings<'f>(
        &self,
        kinds: &'f [Object],
        field: &'f str,
    ) -> impl Iterator<Item = (Place<'f>, Value<'a>, &'a str)> + use<'a, 'f> {
        self.objects().into_iter().filter(move |(_, o, _)| kinds.contains(o)).filter_map(
            move |(place, _, object)| {
                let value = object.get(field)?;
                Some((place.with(field), value, value.as_str()?))
            },
        )
    }

    /// Every documented date-time string: the user's `changed`, `last_login`, `first_login`,
    /// and each label's `changed`.
    pub fn date_times(&self) -> Vec<(Place<'static>, Value<'a>, &'a str)> {
        let mut out: Vec<_> = ["changed", "last_login", "first_login"]
            .into_iter()
            .filter_map(|f| {
                let v = self.0.get(f)?;
                Some((Place::User(f), v, v.as_str()?))
            })
            .collect();
        for (i, label) in self.labels() {
            if let Some(v) = label.get("changed")
                && let Some(s) = v.as_str()
            {
                out.push((Place::Label(i, "changed"), v, s));
            }
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Runs the rules over inline JSON for the rules' own tests.
    use super::*;
    use crate::json::Tape;
    use crate::json::parse::Reader;

    pub const CAPTURED: &str = "2026-01-01T00:00:00Z";

    /// The findings of all rules for `src`: an array of users, or one user.
    pub fn run(src: &str) -> Vec<Diagnostic> {
        let captured = crate::datetime::instant(CAPTURED).unwrap();
        let mut ctx = Context::new(captured);
        let mut out = Vec::new();
        let mut tape = Tape::new(src);
        Reader::new(src, 0).value(&mut tape).unwrap();
        let root = tape.root();
        if root.kind() == Kind::Array {
            for (i, user) in root.elements().enumerate() {
                check_user(user, &format!("/{i}"), &mut ctx, &mut out);
            }
        } else {
            check_user(root, "", &mut ctx, &mut out);
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
        assert_eq!(Place::User("id").pointer("/3"), "/3/id");
        assert_eq!(Place::LabelChangedBy(1, "email").pointer(""), "/labels/1/changed_by/email");
        assert_eq!(Place::Label(0, "a/b").pointer("/0"), "/0/labels/0/a~1b");
        assert_eq!(Place::ChangedBy("").pointer("/0"), "/0/changed_by");
    }
}
