//! Rules: what the documentation promises that a JSON Schema cannot say, and where the live API
//! is known to drift from the documentation (`D` codes), what no correct response can contain
//! (`R` codes), and the HTTP exchange around it (`H` codes).
//!
//! One rule is one file, `<module>.rs`, with its documentation (what, why, example) in
//! `<module>.md` beside it, and one line in the registry of codes (`crate::diagnostic`), which
//! names its phase and module. The engine below is generated from those lines, module
//! declarations included: nothing else can call a rule.
//!
//! A rule's file opens with the function that builds its diagnostic, then the hook of its
//! phase, then its tests. The hooks, by phase, in the order they run:
//!
//! | phase | hook | runs |
//! |---|---|---|
//! | `capture` | `check(&Capture, out)` | once per HAR file, on what it held |
//! | `exchange` | `check(&Http, out)` | once per HTTP response, on its status and headers |
//! | `request` | `check(&Context, out)` | once per response, on its request's parameters |
//! | `document` | `check(root, &Context, out)` | on a response that is one object, not an array (the live API's single user) |
//! | `user` | `check(&User, base, &Context, out)` | on each user alone, on every core |
//! | `users` | `fact(&User, &Context) -> Option<Fact>`, then `compare(fact, base, &mut Seen, &Context, out)` | on each user alone, then in order against those before it |
//!
//! A rule that is off everywhere is skipped in the phases from `request` on; `capture` and
//! `exchange` rules are cheap and always run (what is off is dropped from the report).
//!
//! A `users` rule keeps what it remembers across users in its `Seen` (a `Default` type of its
//! own). Its facts carry spans of the file as they are: a block of a large file is parsed at its
//! place in the file (`Tape::placed`), so no rule ever moves a position.

mod context;
mod id_set;
#[cfg(test)]
pub(crate) mod testing;
mod user;

pub use context::{Base, Context};
use context::{ByPrint, Short, fingerprint};
pub use user::{Documented, Field, Object, Place, USER, User};

use crate::diagnostic::{Code, registry};
use crate::exchange::{Capture, Http};
use crate::findings::Findings;
use crate::json::{Kind, Value};

/// Sorts the registry's lines by phase (a rule's line names its phase and module; the others
/// say `found`), then writes the runner of each phase.
macro_rules! engine {
    ($( $variant:ident = $code:literal, $name:literal, $severity:ident, $category:ident, $phase:ident $($module:ident)?, $summary:literal; )*) => {
        engine!(@sort [] [] [] [] [] []; $( $phase $variant $($module)?; )*);
    };
    (@sort $c:tt $e:tt $r:tt $d:tt $u:tt $s:tt; found $v:ident; $($rest:tt)*) => {
        engine!(@sort $c $e $r $d $u $s; $($rest)*);
    };
    (@sort [$($c:tt)*] $e:tt $r:tt $d:tt $u:tt $s:tt; capture $v:ident $m:ident; $($rest:tt)*) => {
        engine!(@sort [$($c)* ($v $m)] $e $r $d $u $s; $($rest)*);
    };
    (@sort $c:tt [$($e:tt)*] $r:tt $d:tt $u:tt $s:tt; exchange $v:ident $m:ident; $($rest:tt)*) => {
        engine!(@sort $c [$($e)* ($v $m)] $r $d $u $s; $($rest)*);
    };
    (@sort $c:tt $e:tt [$($r:tt)*] $d:tt $u:tt $s:tt; request $v:ident $m:ident; $($rest:tt)*) => {
        engine!(@sort $c $e [$($r)* ($v $m)] $d $u $s; $($rest)*);
    };
    (@sort $c:tt $e:tt $r:tt [$($d:tt)*] $u:tt $s:tt; document $v:ident $m:ident; $($rest:tt)*) => {
        engine!(@sort $c $e $r [$($d)* ($v $m)] $u $s; $($rest)*);
    };
    (@sort $c:tt $e:tt $r:tt $d:tt [$($u:tt)*] $s:tt; user $v:ident $m:ident; $($rest:tt)*) => {
        engine!(@sort $c $e $r $d [$($u)* ($v $m)] $s; $($rest)*);
    };
    (@sort $c:tt $e:tt $r:tt $d:tt $u:tt [$($s:tt)*]; users $v:ident $m:ident; $($rest:tt)*) => {
        engine!(@sort $c $e $r $d $u [$($s)* ($v $m)]; $($rest)*);
    };
    (@sort [$(($cv:ident $cm:ident))*] [$(($ev:ident $em:ident))*] [$(($rv:ident $rm:ident))*]
           [$(($dv:ident $dm:ident))*] [$(($uv:ident $um:ident))*] [$(($sv:ident $sm:ident))*];) => {
        // Each rule's module, declared by its line: the engine is the only caller of a rule.
        $( mod $cm; )* $( mod $em; )* $( mod $rm; )* $( mod $dm; )* $( mod $um; )* $( mod $sm; )*

        /// Each rule's code and module, for the test that their names agree.
        #[cfg(test)]
        const MODULES: &[(Code, &str)] = &[
            $( (Code::$cv, stringify!($cm)), )* $( (Code::$ev, stringify!($em)), )*
            $( (Code::$rv, stringify!($rm)), )* $( (Code::$dv, stringify!($dm)), )*
            $( (Code::$uv, stringify!($um)), )* $( (Code::$sv, stringify!($sm)), )*
        ];

        /// The rules of each phase, in the order they run.
        #[cfg(test)]
        pub const PHASES: [(&str, &[Code]); 6] = [
            ("capture", &[$(Code::$cv),*]),
            ("exchange", &[$(Code::$ev),*]),
            ("request", &[$(Code::$rv),*]),
            ("document", &[$(Code::$dv),*]),
            ("user", &[$(Code::$uv),*]),
            ("users", &[$(Code::$sv),*]),
        ];

        /// The rules on what a HAR file held for the endpoint.
        pub fn capture(capture: &Capture, out: &mut Findings) {
            $( $cm::check(capture, out); )*
        }

        /// The rules on an HTTP response's status and headers.
        pub fn exchange(http: &Http, out: &mut Findings) {
            $( $em::check(http, out); )*
        }

        /// The rules on the request a response answers. Their spans are where the request is
        /// written, which is not always the text the body's spans are in.
        pub fn request(ctx: &Context, out: &mut Findings) {
            $( if ctx.runs(Code::$rv) { $rm::check(ctx, out); } )*
        }

        /// The rules on a response read whole (a single user, not an array).
        pub fn document(root: Value<'_>, ctx: &Context, out: &mut Findings) {
            $( if ctx.runs(Code::$dv) { $dm::check(root, ctx, out); } )*
        }

        /// Runs the rules that look at one user alone (an array item, `in_array`, at `base`,
        /// or the root object), and returns what the rules that compare users need of it.
        /// Large captures run this on every core, then [`users`] in order.
        pub fn user(
            value: Value<'_>,
            base: &str,
            in_array: bool,
            ctx: &Context,
            out: &mut Findings,
        ) -> Facts {
            let index = base.strip_prefix('/').and_then(|i| i.parse().ok());
            let mut facts = Facts { base: Base(index), $( $sm: None, )* };
            if value.kind() != Kind::Object {
                return facts;
            }
            let user = User::new(value, in_array);
            $( if ctx.runs(Code::$uv) { $um::check(&user, base, ctx, out); } )*
            $( if ctx.runs(Code::$sv) { facts.$sm = $sm::fact(&user, ctx); } )*
            facts
        }

        /// What the rules that compare users keep of one user, and where it is.
        #[derive(Debug, Clone)]
        pub struct Facts {
            base: Base,
            $( $sm: Option<$sm::Fact>, )*
        }

        /// What the rules that compare users remember of the users before, in one response.
        #[derive(Default)]
        pub struct Compared {
            $( $sm: $sm::Seen, )*
        }

        /// The rules that compare a user with those before it, in the order of the response.
        pub fn users(facts: Facts, seen: &mut Compared, ctx: &Context, out: &mut Findings) {
            $(
                if let Some(fact) = facts.$sm {
                    $sm::compare(fact, facts.base, &mut seen.$sm, ctx, out);
                }
            )*
        }
    };
}

registry!(engine);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_runs_in_exactly_one_phase_and_nothing_else_does() {
        let mut phased: Vec<Code> =
            PHASES.iter().flat_map(|(_, codes)| codes.iter().copied()).collect();
        phased.sort();
        let rules: Vec<Code> = Code::ALL
            .iter()
            .copied()
            .filter(|c| matches!(c.as_str().as_bytes()[0], b'D' | b'R' | b'H'))
            .collect();
        assert_eq!(phased, rules);
    }

    #[test]
    fn a_rule_s_module_is_its_name() {
        for (code, module) in MODULES {
            assert_eq!(code.name().replace('-', "_"), *module, "{code}");
        }
    }
}
