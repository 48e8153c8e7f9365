//! R005 `unsorted-response`: the response is not in the order the request asked for.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use super::USER;
use super::{Base, Context, Field, User};
use crate::datetime;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::findings::Findings;
use crate::json::{Kind, Value};

fn unsorted_response(
    span: Span,
    at: String,
    field: &str,
    previous: &Previous,
    ctx: &Context,
) -> Diagnostic {
    let descending = ctx.ordering.iter().find(|f| f.name == field).is_some_and(|f| f.descending);
    // Out of order is later than the previous user for a descending field, earlier otherwise.
    let (is, must) = if descending { ("after", "at or before") } else { ("before", "at or after") };
    Diagnostic::new(
        Code::UnsortedResponse,
        format!("this user is out of order for ordering={}", ctx.ordering_text),
    )
    .with_span(span)
    .with_pointer(at)
    .with_label(format!("`{field}` sorts {is} the previous user's"))
    .with_related(previous.span, format!("the previous user, {}", previous.pointer))
    .with_help(format!(
        "with ordering={}, each user's `{field}` must come {must} the one before it (text \
         compared without case or accents, date-times as instants)",
        ctx.ordering_text,
    ))
}

/// What the previous user sorts by, and where it is.
pub struct Previous {
    keys: Vec<Option<Key>>,
    span: Span,
    pointer: Base,
}

#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum Key {
    Bool(bool),
    Instant(DateTime<Utc>),
    Text(String),
    Number(f64),
}

fn key(value: Option<Value<'_>>) -> Option<Key> {
    let value = value?;
    match value.kind() {
        Kind::Bool(b) => Some(Key::Bool(b)),
        Kind::String => {
            let text = value.as_str()?;
            Some(
                datetime::instant(text)
                    .map_or_else(|| Key::Text(collation_key(text)), Key::Instant),
            )
        }
        Kind::Number => value.raw().parse().ok().map(Key::Number),
        _ => None,
    }
}

/// Text as databases sort it for people: without case, and with accented Latin letters next
/// to their base letter (`Élia` between `Ana` and `Filipa`), as ICU and most collations do.
fn collation_key(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).map(fold_accent).collect()
}

fn fold_accent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        c => c,
    }
}

/// What a user sorts by, as the comparison with the user before it needs it.
#[derive(Debug, Clone)]
pub struct Fact {
    keys: Vec<Option<Key>>,
    /// Where each ordering field's value is (the user's start when it has none).
    spans: Vec<Span>,
}

/// The user before, once there is one.
pub type Seen = Option<Previous>;

pub fn fact(user: &User<'_>, ctx: &Context) -> Option<Fact> {
    // An ordering by a field users do not have is R006's; the root object has no order.
    let known = ctx.ordering.iter().all(|f| USER.contains(&f.name.as_str()));
    if ctx.ordering.is_empty() || !known || !user.in_array {
        return None;
    }
    let at_user = Span::new(user.value().span().offset, 1);
    let values: Vec<Option<Value<'_>>> =
        ctx.ordering.iter().map(|f| Field::of(&f.name).and_then(|f| user.get(f))).collect();
    Some(Fact {
        keys: values.iter().map(|v| key(*v)).collect(),
        spans: values.iter().map(|v| v.map_or(at_user, |v| v.span())).collect(),
    })
}

pub fn compare(fact: Fact, base: Base, seen: &mut Seen, ctx: &Context, out: &mut Findings) {
    if let Some(previous) = seen {
        let fields = ctx.ordering.iter().zip(&fact.keys).zip(&fact.spans).zip(&previous.keys);
        for (((field, now), span), before) in fields {
            let (Some(now), Some(before)) = (now, before) else { break };
            // Values of different types (a number and a text) decide nothing.
            if std::mem::discriminant(before) != std::mem::discriminant(now) {
                break;
            }
            let order = before.partial_cmp(now).unwrap_or(Ordering::Equal);
            let order = if field.descending { order.reverse() } else { order };
            match order {
                Ordering::Less => break,
                Ordering::Equal => continue,
                Ordering::Greater => {
                    let at = format!("{base}/{}", field.name);
                    out.push(unsorted_response(*span, at, &field.name, previous, ctx));
                    break;
                }
            }
        }
    }
    let span = fact.spans[0];
    *seen = Some(Previous { keys: fact.keys, span, pointer: base });
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing;

    fn found(src: &str, ordering: &str) -> Vec<String> {
        let exchange = testing::exchange(Some(ordering), None);
        testing::run_with(src, &exchange)
            .into_iter()
            .filter(|d| d.code == Code::UnsortedResponse)
            .filter_map(|d| d.pointer)
            .collect()
    }

    #[test]
    fn ordered_responses_pass() {
        let src = r#"[{"name": "ana"}, {"name": "Bruno"}, {"name": "bruno"}, {"name": "Rui"}]"#;
        assert!(found(src, "name").is_empty());
        let src = r#"[{"last_login": "2023-08-09T13:00:00Z"}, {"last_login": "2023-08-09T14:00:00+02:00"}]"#;
        assert!(found(src, "-last_login").is_empty(), "14:00+02:00 is before 13:00Z");
    }

    #[test]
    fn the_first_user_out_of_order_is_reported() {
        let src = r#"[{"name": "Ana"}, {"name": "Rui"}, {"name": "Eva"}, {"name": "Zoe"}]"#;
        assert_eq!(found(src, "name"), ["/2/name"]);
        assert_eq!(found(src, "-name"), ["/1/name", "/3/name"]);
    }

    #[test]
    fn accents_sort_with_their_base_letter() {
        let src = r#"[{"name": "Álvaro"}, {"name": "ana"}, {"name": "Élia"}, {"name": "Filipa"}]"#;
        assert!(found(src, "name").is_empty());
    }

    #[test]
    fn values_of_different_types_decide_nothing() {
        assert!(found(r#"[{"name": 5}, {"name": "abc"}, {"name": true}]"#, "name").is_empty());
    }

    #[test]
    fn later_fields_break_ties() {
        let src = r#"[{"title": "dev", "name": "b"}, {"title": "dev", "name": "a"}]"#;
        assert_eq!(found(src, "title,name"), ["/1/name"]);
        assert!(found(src, "title,-name").is_empty());
    }

    /// A descending field out of order is later than the previous user's, and says so.
    #[test]
    fn the_label_says_which_way_a_user_is_out_of_order() {
        let src =
            r#"[{"last_login": "2023-08-10T08:00:00Z"}, {"last_login": "2023-08-10T10:00:00Z"}]"#;
        let label = |ordering| {
            let found = crate::rules::testing::run_with(
                src,
                &crate::rules::testing::exchange(Some(ordering), None),
            );
            found.iter().find(|d| d.code == Code::UnsortedResponse).and_then(|d| d.label.clone())
        };
        assert_eq!(
            label("-last_login").as_deref(),
            Some("`last_login` sorts after the previous user's")
        );
        assert_eq!(label("last_login"), None, "ascending, they are in order");
        let src = r#"[{"name": "b"}, {"name": "a"}]"#;
        let found = crate::rules::testing::run_with(
            src,
            &crate::rules::testing::exchange(Some("name"), None),
        );
        let d = found.iter().find(|d| d.code == Code::UnsortedResponse).unwrap();
        assert_eq!(d.label.as_deref(), Some("`name` sorts before the previous user's"));
    }
}
