//! One user as rules walk it: its documented objects (itself, its `changed_by`, its labels and
//! theirs), and where a value sits among them.

use std::cell::OnceCell;
use std::num::NonZeroU32;

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

/// A field the documentation lists, of any of its objects (see [`Object::field_names`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Email,
    Name,
    Title,
    IsBillingAdmin,
    ChangedBy,
    Changed,
    Active,
    Labels,
    UserRoles,
    LastLogin,
    IsApiuser,
    IntercomUserId,
    IsSso,
    IsOwner,
    MfaEnabled,
    FirstLogin,
    Color,
}

impl Field {
    const COUNT: usize = Field::Color as usize + 1;

    /// The field's name, as JSON writes its key.
    pub const fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Email => "email",
            Field::Name => "name",
            Field::Title => "title",
            Field::IsBillingAdmin => "is_billing_admin",
            Field::ChangedBy => "changed_by",
            Field::Changed => "changed",
            Field::Active => "active",
            Field::Labels => "labels",
            Field::UserRoles => "user_roles",
            Field::LastLogin => "last_login",
            Field::IsApiuser => "is_apiuser",
            Field::IntercomUserId => "intercom_user_id",
            Field::IsSso => "is_sso",
            Field::IsOwner => "is_owner",
            Field::MfaEnabled => "mfa_enabled",
            Field::FirstLogin => "first_login",
            Field::Color => "color",
        }
    }

    /// The documented field named `name`, of any object.
    pub fn of(name: &str) -> Option<Field> {
        Some(match name {
            "id" => Field::Id,
            "email" => Field::Email,
            "name" => Field::Name,
            "title" => Field::Title,
            "is_billing_admin" => Field::IsBillingAdmin,
            "changed_by" => Field::ChangedBy,
            "changed" => Field::Changed,
            "active" => Field::Active,
            "labels" => Field::Labels,
            "user_roles" => Field::UserRoles,
            "last_login" => Field::LastLogin,
            "is_apiuser" => Field::IsApiuser,
            "intercom_user_id" => Field::IntercomUserId,
            "is_sso" => Field::IsSso,
            "is_owner" => Field::IsOwner,
            "mfa_enabled" => Field::MfaEnabled,
            "first_login" => Field::FirstLogin,
            "color" => Field::Color,
            _ => return None,
        })
    }
}

/// The fields of each object, in the documentation's order.
const USER_FIELDS: [Field; 17] = {
    use Field::*;
    [
        Id,
        Email,
        Name,
        Title,
        IsBillingAdmin,
        ChangedBy,
        Changed,
        Active,
        Labels,
        UserRoles,
        LastLogin,
        IsApiuser,
        IntercomUserId,
        IsSso,
        IsOwner,
        MfaEnabled,
        FirstLogin,
    ]
};
const LABEL_FIELDS: [Field; 5] =
    [Field::Id, Field::Name, Field::Color, Field::ChangedBy, Field::Changed];
const CHANGED_BY_FIELDS: [Field; 3] = [Field::Id, Field::Email, Field::Name];

const fn names<const N: usize>(fields: [Field; N]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = fields[i].name();
        i += 1;
    }
    names
}

/// The names of the fields the documentation lists for a user.
pub const USER: &[&str] = &names(USER_FIELDS);
const LABEL: &[&str] = &names(LABEL_FIELDS);
const CHANGED_BY: &[&str] = &names(CHANGED_BY_FIELDS);

impl Object {
    /// The names of the fields the documentation lists for this object, in its order.
    pub fn field_names(self) -> &'static [&'static str] {
        match self {
            Object::User => USER,
            Object::Label => LABEL,
            Object::ChangedBy => CHANGED_BY,
        }
    }

    /// A bit per [`Field`] this object documents.
    fn documents(self) -> u32 {
        // Asked for every object of every user: the bits are worked out once, when compiled.
        const fn bits(fields: &[Field]) -> u32 {
            let (mut bits, mut i) = (0, 0);
            while i < fields.len() {
                bits |= 1 << fields[i] as u32;
                i += 1;
            }
            bits
        }
        const USER_BITS: u32 = bits(&USER_FIELDS);
        const LABEL_BITS: u32 = bits(&LABEL_FIELDS);
        const CHANGED_BY_BITS: u32 = bits(&CHANGED_BY_FIELDS);
        match self {
            Object::User => USER_BITS,
            Object::Label => LABEL_BITS,
            Object::ChangedBy => CHANGED_BY_BITS,
        }
    }
}

/// One documented object of a user, with its documented fields found in one pass over its
/// members: the rules look fields up by the dozen, and a lookup by name compares keys.
#[derive(Clone, Copy)]
pub struct Documented<'a> {
    pub place: Place<'static>,
    pub object: Object,
    pub value: Value<'a>,
    /// Each documented field's value (the last one, for a key written twice), as its index
    /// on the tape.
    slots: [Option<NonZeroU32>; Field::COUNT],
    /// Whether every member is a documented field.
    pub only_documented: bool,
}

impl<'a> Documented<'a> {
    fn new(place: Place<'static>, object: Object, value: Value<'a>) -> Self {
        let documents = object.documents();
        let mut slots = [None; Field::COUNT];
        let mut only_documented = true;
        for (key, member) in value.members() {
            match key.as_str().and_then(Field::of) {
                Some(field) if documents & (1 << field as u32) != 0 => {
                    slots[field as usize] = NonZeroU32::new(member.index);
                }
                _ => only_documented = false,
            }
        }
        Documented { place, object, value, slots, only_documented }
    }

    /// The value of a documented field.
    pub fn get(&self, field: Field) -> Option<Value<'a>> {
        self.slots[field as usize].map(|index| self.value.tape.node(index.get()))
    }
}

/// The documented parts of one user, for rules to walk; found once per user.
pub struct User<'a> {
    /// An item of the root array, not the root itself.
    pub in_array: bool,
    /// The user, its `changed_by`, its labels and theirs, with where each is: the user first.
    objects: Vec<Documented<'a>>,
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
        let user = Documented::new(Place::User(None), Object::User, value);
        let mut objects = Vec::with_capacity(4);
        objects.push(user);
        let is_object = |v: &Value<'_>| v.kind() == Kind::Object;
        if let Some(cb) = user.get(Field::ChangedBy).filter(is_object) {
            objects.push(Documented::new(Place::ChangedBy(None), Object::ChangedBy, cb));
        }
        let labels = user.get(Field::Labels).filter(|l| l.kind() == Kind::Array);
        for (i, label) in labels.into_iter().flat_map(|l| l.elements()).enumerate() {
            if label.kind() != Kind::Object {
                continue;
            }
            let label = Documented::new(Place::Label(i, None), Object::Label, label);
            objects.push(label);
            if let Some(cb) = label.get(Field::ChangedBy).filter(is_object) {
                let place = Place::LabelChangedBy(i, None);
                objects.push(Documented::new(place, Object::ChangedBy, cb));
            }
        }
        User { in_array, objects, date_times: OnceCell::new() }
    }

    /// The user object itself.
    pub fn value(&self) -> Value<'a> {
        self.objects[0].value
    }

    /// The value of one of the user's own documented fields.
    pub fn get(&self, field: Field) -> Option<Value<'a>> {
        self.objects[0].get(field)
    }

    /// Every documented object of the user: itself, its `changed_by`, its labels and theirs.
    pub fn objects(&self) -> &[Documented<'a>] {
        &self.objects
    }

    /// Every `changed_by` object.
    pub fn changed_bys(&self) -> impl Iterator<Item = &Documented<'a>> + '_ {
        self.objects.iter().filter(|o| o.object == Object::ChangedBy)
    }

    /// Every string value of `field` across the documented objects of `kinds`.
    pub fn strings<'k>(
        &self,
        kinds: &'k [Object],
        field: Field,
    ) -> impl Iterator<Item = (Place<'static>, Value<'a>, &'a str)> + use<'a, 'k, '_> {
        self.objects.iter().filter(move |o| kinds.contains(&o.object)).filter_map(move |o| {
            let value = o.get(field)?;
            Some((o.place.with(field.name()), value, value.as_str()?))
        })
    }

    /// Every documented date-time string: the user's `changed`, `last_login`, `first_login`,
    /// and each label's `changed`, each read once.
    pub fn date_times(&self) -> &[DateTimeField<'a>] {
        self.date_times.get_or_init(|| {
            const OWN: [Field; 3] = [Field::Changed, Field::LastLogin, Field::FirstLogin];
            let own = OWN.iter().map(|&f| (&self.objects[0], f));
            let labels = self.objects.iter().filter(|o| o.object == Object::Label);
            own.chain(labels.map(|label| (label, Field::Changed)))
                .filter_map(|(object, field)| {
                    let value = object.get(field)?;
                    let (zone, instant) = datetime::read(value.as_str()?);
                    let place = object.place.with(field.name());
                    Some(DateTimeField { place, value, zone, instant })
                })
                .collect()
        })
    }

    /// The instant of the user's own date-time `field` (`last_login`), when it names one.
    pub fn instant(&self, field: Field) -> Option<DateTime<Utc>> {
        let place = Place::User(Some(field.name()));
        self.date_times().iter().find(|d| d.place == place).and_then(|d| d.instant)
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

    #[test]
    fn every_field_is_found_by_its_name() {
        let all = [USER_FIELDS.as_slice(), &LABEL_FIELDS, &CHANGED_BY_FIELDS].concat();
        for field in all {
            assert_eq!(Field::of(field.name()), Some(field));
        }
        assert_eq!(USER.len(), 17);
        assert_eq!(LABEL, ["id", "name", "color", "changed_by", "changed"]);
        assert_eq!(CHANGED_BY, ["id", "email", "name"]);
        assert_eq!(Field::of("Id"), None);
    }

    /// The index of an object's fields gives what a lookup by name gives: the last of a key
    /// written twice, a key written with escapes, and only the fields its object documents.
    #[test]
    fn a_documented_object_s_fields_are_those_a_lookup_by_name_finds() {
        use crate::json::{Tape, parse::Reader};
        let src =
            r##"{"id": "a", "i\u0064": "b", "color": "#fff", "labels": [7, {"color": "#000"}]}"##;
        let mut tape = Tape::new(src);
        Reader::new(src, 0).value(&mut tape).unwrap();
        let user = User::new(tape.root(), false);
        let root = tape.root();
        assert_eq!(user.get(Field::Id).and_then(|v| v.as_str()), Some("b"));
        assert_eq!(user.get(Field::Id).map(|v| v.span()), root.get("id").map(|v| v.span()));
        assert!(user.get(Field::Color).is_none(), "a user has no documented colour");
        assert!(!user.objects()[0].only_documented);
        let [_, label] = user.objects() else { panic!("the user and one label") };
        assert_eq!(label.place, Place::Label(1, None));
        assert_eq!(label.get(Field::Color).and_then(|v| v.as_str()), Some("#000"));
        assert!(label.only_documented && label.get(Field::Id).is_none());
    }
}
