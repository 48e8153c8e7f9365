//! One user as rules walk it: its documented objects (itself, its `changed_by`, its labels and
//! theirs), and where a value sits among them.

use std::cell::OnceCell;

use chrono::{DateTime, Utc};

use crate::datetime::{self, Zone};
use crate::json::{Kind, Value, pointer};

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
    pub(crate) fn with<'b>(&self, field: &'b str) -> Place<'b> {
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
}

/// One documented date-time of a user, read once for every rule that looks at it.
#[derive(Debug, Clone, Copy)]
pub struct DateTimeField<'a> {
    pub place: Place<'static>,
    pub value: Value<'a>,
    /// Its zone designator, when it is a well-formed date-time.
    pub zone: Option<Zone>,
    /// The instant it names.
    pub instant: Option<DateTime<Utc>>,
}

/// The documented parts of one user, for rules to walk; found once per user.
pub struct User<'a> {
    value: Value<'a>,
    /// An item of the root array, not the root itself.
    pub in_array: bool,
    /// The user, its `changed_by`, its labels and theirs, with where each is.
    objects: Vec<(Place<'static>, Object, Value<'a>)>,
    /// Its date-times, read on first use.
    date_times: OnceCell<Vec<DateTimeField<'a>>>,
}

/// What kind of documented object a [`Place`] with an empty field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    User,
    ChangedBy,
    Label,
}

impl<'a> User<'a> {
    pub fn new(value: Value<'a>, in_array: bool) -> Self {
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
        User { value, in_array, objects, date_times: OnceCell::new() }
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
    /// and each label's `changed`, each read once.
    pub fn date_times(&self) -> &[DateTimeField<'a>] {
        self.date_times.get_or_init(|| {
            self.date_time_strings()
                .map(|(place, value, text)| {
                    let (zone, instant) = datetime::read(text);
                    DateTimeField { place, value, zone, instant }
                })
                .collect()
        })
    }

    /// The instant of the user's own date-time `field` (`last_login`), when it names one.
    pub fn instant(&self, field: &str) -> Option<DateTime<Utc>> {
        let place = Place::User(Some(field));
        self.date_times().iter().find(|d| d.place == place).and_then(|d| d.instant)
    }

    fn date_time_strings(&self) -> impl Iterator<Item = (Place<'static>, Value<'a>, &'a str)> + '_ {
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
