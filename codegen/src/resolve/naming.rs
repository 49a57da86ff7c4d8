//! Turning service names into Rust identifiers: valid, never keywords, and unique where they
//! share a scope.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers in Rust 2021 (strict, reserved and weak keywords that bite).
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["Self", "crate", "self", "super"];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Replaces characters that cannot stand in an ASCII identifier by `_` and a hex escape, so
/// that distinct names stay distinct.
fn ascii_word(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if matches!(c, '-' | '.' | ' ') {
            // Word separators, as in `request-id`: heck splits words on `_`.
            out.push('_');
        } else {
            out.push_str(&format!("_u{:04x}_", c as u32));
        }
    }
    out
}

/// A type or variant name: `officeClientConfiguration` → `OfficeClientConfiguration`.
pub fn type_name(name: &str) -> String {
    let mut camel = ascii_word(name).to_upper_camel_case();
    if !camel.starts_with(|c: char| c.is_ascii_uppercase()) {
        camel.insert(0, 'T');
    }
    if camel == "Self" {
        camel.push('_');
    }
    camel
}

/// A type name as the first part of a longer one (`Self` → `Self`, not `Self_`, in
/// `SelfRequest`): a trailing `_` inside a name is not UpperCamelCase.
pub fn type_name_part(name: &str) -> String {
    type_name(name).trim_end_matches('_').to_owned()
}

/// A field or function name: `displayName` → `display_name`, `type` → `r#type`.
pub fn field_name(name: &str) -> String {
    let snake = snake(name);
    if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if is_keyword(&snake) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// The longest module (file) name; longer ones are cut, and made unique by their scope.
const MAX_MODULE_NAME: usize = 100;

/// A module or file name: like [`field_name`], but never a raw identifier, because it also
/// names a file.
pub fn module_name(name: &str) -> String {
    let mut snake = snake(name);
    // Escaped non-ASCII names grow sevenfold; file names stay well under file system limits.
    snake.truncate(MAX_MODULE_NAME);
    if is_keyword(&snake) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// A cargo feature name: `officeConfiguration` → `office-configuration`.
pub fn feature_name(name: &str) -> String {
    let kebab = snake(name).trim_matches('_').replace('_', "-");
    if kebab.starts_with(|c: char| c.is_ascii_lowercase()) {
        kebab
    } else {
        format!("area-{kebab}")
    }
}

fn snake(name: &str) -> String {
    let mut snake = ascii_word(name).to_snake_case();
    if snake.is_empty() {
        snake.push_str("field");
    }
    if !snake.starts_with(|c: char| c.is_ascii_lowercase()) {
        snake.insert_str(0, "n_");
    }
    snake
}

/// The identifiers already taken in one scope; hands out a new one for each candidate.
#[derive(Default)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// For a name claimed more than once, the next suffix to try: thousands of names that
    /// differ only in case must not cost a scan of every suffix each.
    next_suffix: std::collections::HashMap<String, usize>,
}

impl Scope {
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Scope {
            taken: reserved.into_iter().map(Self::key).collect(),
            next_suffix: Default::default(),
        }
    }

    /// Identifiers are compared without `r#` and case-insensitively, so that two names never
    /// differ only in case (they would clash as files on some systems, and confuse readers).
    fn key(name: &str) -> String {
        name.trim_start_matches("r#")
            .trim_end_matches('_')
            .to_ascii_lowercase()
    }

    /// Claims `candidate` if it is free; whether it was.
    pub fn try_claim(&mut self, candidate: &str) -> bool {
        self.taken.insert(Self::key(candidate))
    }

    /// Claims `candidate`, or the first free `candidate2`, `candidate3`, ... (`candidate_2`
    /// for snake_case names). Returns the name and whether it had to change.
    pub fn claim(&mut self, candidate: &str) -> (String, bool) {
        if self.taken.insert(Self::key(candidate)) {
            return (candidate.to_owned(), false);
        }
        let bare = candidate.trim_start_matches("r#").trim_end_matches('_');
        let separator = if bare.starts_with(|c: char| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        let first = self.next_suffix.get(&Self::key(bare)).copied().unwrap_or(2);
        let (n, name) = (first..)
            .map(|n| (n, format!("{bare}{separator}{n}")))
            .find(|(_, name)| self.taken.insert(Self::key(name)))
            .expect("an unbounded range yields a free name");
        self.next_suffix.insert(Self::key(bare), n + 1);
        (name, true)
    }
}

/// How overloads (operations of one name offered in one place) are told apart: by their
/// parameters. The parameters every overload has are left out; an overload that has no others
/// keeps the plain name (`None`), and each other one is named after the parameters it has
/// beyond those, in its order (`with_width_and_height`). Overloads whose parameters differ
/// only in type get the same suffix, which their scope then numbers.
pub fn overload_suffixes(overloads: &[Vec<&str>]) -> Vec<Option<String>> {
    let common = |name: &str| overloads.iter().all(|o| o.contains(&name));
    overloads
        .iter()
        .map(|parameters| {
            let extra: Vec<&str> = parameters.iter().copied().filter(|p| !common(p)).collect();
            (!extra.is_empty()).then(|| format!("with_{}", words(&extra)))
        })
        .collect()
}

/// Names as snake_case words, the last joined with `and`: `width_height_and_fitting_mode`.
fn words(names: &[&str]) -> String {
    let words: Vec<String> = names.iter().map(|n| snake(n)).collect();
    match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}_and_{last}", rest.join("_")),
        None => String::new(),
    }
}

/// The segments of `namespace` after those it shares with `from`, as snake_case words:
/// `microsoft.graph.callRecords` from `microsoft.graph` is `call_records`; empty for the same
/// namespace. What tells apart two types of one name in different namespaces.
pub fn relative_namespace(namespace: &str, from: &str) -> String {
    let shared = namespace
        .split('.')
        .zip(from.split('.'))
        .take_while(|(a, b)| a == b)
        .count();
    namespace
        .split('.')
        .skip(shared)
        .map(snake)
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_claims_take_the_next_free_suffix() {
        let mut scope = Scope::default();
        let claimed: Vec<String> = ["Thing", "thing", "Thing2", "THING", "Thing3"]
            .iter()
            .map(|name| scope.claim(name).0)
            .collect();
        assert_eq!(claimed, ["Thing", "thing_2", "Thing2", "THING3", "Thing32"]);
        // Thousands of names that differ only in case (linear, not a scan per claim).
        let mut scope = Scope::default();
        let last = (0..20_000).map(|_| scope.claim("Same").0).last().unwrap();
        assert_eq!(last, "Same20000");
    }

    #[test]
    fn types_are_upper_camel_and_never_keywords() {
        assert_eq!(
            type_name("officeClientConfiguration"),
            "OfficeClientConfiguration"
        );
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("3dModel"), "T3dModel");
        assert_eq!(type_name("_"), "T");
        assert_eq!(type_name("naïve"), "NaU00efVe");
    }

    #[test]
    fn fields_are_snake_case_and_raw_where_keywords() {
        assert_eq!(field_name("displayName"), "display_name");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(field_name("_"), "field");
        assert_eq!(field_name("@odata.type"), "u0040_odata_type");
        assert_eq!(field_name("client-request-id"), "client_request_id");
        assert_eq!(field_name("1st"), "n_1st");
    }

    #[test]
    fn modules_are_never_raw() {
        assert_eq!(module_name("type"), "type_");
        assert_eq!(module_name("microsoft.graph"), "microsoft_graph");
    }

    #[test]
    fn overloads_are_told_apart_by_the_parameters_they_add() {
        let suffixes = overload_suffixes(&[
            vec![],
            vec!["width"],
            vec!["width", "height"],
            vec!["width", "height", "fittingMode"],
        ]);
        assert_eq!(
            suffixes,
            [
                None,
                Some("with_width".into()),
                Some("with_width_and_height".into()),
                Some("with_width_height_and_fitting_mode".into())
            ]
        );
        // Parameters every overload has do not tell them apart.
        assert_eq!(
            overload_suffixes(&[vec!["apps"], vec!["apps", "appGroupType"]]),
            [None, Some("with_app_group_type".into())]
        );
        assert_eq!(
            overload_suffixes(&[vec!["period"], vec!["date"]]),
            [Some("with_period".into()), Some("with_date".into())]
        );
        // Differing only in type: one suffix, numbered by the scope.
        assert_eq!(overload_suffixes(&[vec!["a"], vec!["a"]]), [None, None]);
    }

    #[test]
    fn namespaces_relative_to_another() {
        assert_eq!(
            relative_namespace("microsoft.graph.callRecords", "microsoft.graph"),
            "call_records"
        );
        assert_eq!(
            relative_namespace("microsoft.graph.partners.billing", "microsoft.graph"),
            "partners_billing"
        );
        assert_eq!(relative_namespace("microsoft.graph", "microsoft.graph"), "");
        assert_eq!(relative_namespace("other", "microsoft.graph"), "other");
    }

    #[test]
    fn collisions_get_numbered_deterministically() {
        let mut scope = Scope::with_reserved(["odata_type"]);
        assert_eq!(scope.claim("display_name"), ("display_name".into(), false));
        assert_eq!(scope.claim("display_name"), ("display_name_2".into(), true));
        assert_eq!(scope.claim("odata_type"), ("odata_type_2".into(), true));
        assert_eq!(scope.claim("r#type"), ("r#type".into(), false));
        assert_eq!(scope.claim("type_"), ("type_2".into(), true));
        let mut types = Scope::default();
        assert_eq!(types.claim("Abc"), ("Abc".into(), false));
        assert_eq!(types.claim("ABC"), ("ABC2".into(), true));
    }
}
