//! D004 `color-not-hex`: a label colour that fits the documented pattern but not the prose.

use super::{Context, Field, Object, Place, User};
use crate::diagnostic::{Code, Diagnostic};
use crate::findings::Findings;
use crate::json::Value;

fn color_not_hex(place: Place<'_>, value: Value<'_>, base: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ColorNotHex,
        format!("colour {} is not `#` and six hex digits", value.display()),
    )
    .with_span(value.span())
    .with_pointer(place.pointer(base))
    .with_label("not #RRGGBB")
    .with_help(
        "the documentation says: Color of the label, in RGB hexadecimal format prefixed with \
             \"#\". For example, \"#00FF00\" for green.",
    )
}

pub fn check(user: &User<'_>, base: &str, _: &Context, out: &mut Findings) {
    for (place, value, color) in user.strings(&[Object::Label], Field::Color) {
        let fits_pattern = color.bytes().all(|b| b.is_ascii_alphanumeric() || b"#_-".contains(&b));
        let hex = color.len() == 7
            && color.starts_with('#')
            && color[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if fits_pattern && !hex {
            out.push(color_not_hex(place, value, base));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing::pointers;

    #[test]
    fn hex_colours_pass() {
        let src = r##"{"labels": [{"color": "#00FF00"}, {"color": "#a1b2c3"}]}"##;
        assert!(pointers(src, Code::ColorNotHex).is_empty());
    }

    #[test]
    fn colour_words_and_short_hex_are_reported() {
        let src =
            r##"{"labels": [{"color": "green"}, {"color": "#0F0"}, {"color": "rgb(0,0,0)"}]}"##;
        // The third breaks the pattern itself: the schema reports it, not this rule.
        assert_eq!(pointers(src, Code::ColorNotHex), ["/labels/0/color", "/labels/1/color"]);
    }
}
