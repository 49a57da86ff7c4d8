//! One example value against its property's (or parameter's) type: its JSON kind
//! (`property-type`), an enumeration's members (`enum-value`), the ABNF forms of dates and
//! times (`date-time-format`). Graph's placeholders (`"String"`, `"Int32"`, `"String
//! (timestamp)"`) stand for a value of the type they name.

use serde_json::Value;

use super::bodies::{with, Located};
use super::{Code, PageLint};
use crate::ir::{EnumType, Model, Primitive, Target, TypeKind, TypeRef};
use crate::pages::Step;

/// The kinds of JSON values, and what Graph's placeholders stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum JsonKind {
    String,
    Number,
    Boolean,
}

/// What a Graph placeholder stands for: `"String"`, `"String (timestamp)"`, `"Int32"`,
/// `"Boolean"`, `"Guid"`; `None` for a string that is no placeholder.
pub(super) fn placeholder(text: &str) -> Option<JsonKind> {
    let word = text.split(" (").next().unwrap_or(text).trim();
    let word = word
        .strip_prefix("Edm.")
        .unwrap_or(word)
        .to_ascii_lowercase();
    // Older pages write `"<name>-value"`: `"double-value"` for a number, `"name-value"` for a
    // string.
    if let Some(name) = word.strip_suffix("-value").filter(|n| !n.is_empty()) {
        return Some(placeholder(name).unwrap_or(JsonKind::String));
    }
    Some(match word.as_str() {
        "string" | "guid" | "datetimeoffset" | "datetime" | "date" | "timeofday" | "duration"
        | "binary" | "timestamp" | "url" | "uri" => JsonKind::String,
        "int16" | "int32" | "int64" | "integer" | "int" | "number" | "double" | "decimal"
        | "single" | "float" | "long" | "byte" => JsonKind::Number,
        "boolean" | "bool" => JsonKind::Boolean,
        _ => return None,
    })
}

/// A value's kind as a finding names it: `the string "Integer"`, `a number`, `an object`.
pub(super) fn json_kind(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() <= 40 => format!("the string \"{s}\""),
        Value::String(_) => "a string".to_owned(),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("`{b}`"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        Value::Null => "`null`".to_owned(),
    }
}

/// A type as findings name it: `Edm.Int32`, `gadget collection`.
pub(super) fn describe(model: &Model, ty: TypeRef) -> String {
    let name = match ty.target {
        Target::Primitive(p) => format!("Edm.{p:?}"),
        Target::Named(id) => model.ty(id).name.clone(),
    };
    if ty.collection {
        format!("{name} collection")
    } else {
        name
    }
}

impl PageLint<'_> {
    /// Whether an example value at `path` has the JSON shape of its property's (or
    /// parameter's) type; reports it when not (`property-type`), and a string that is no
    /// member of its enumeration or no date of its date type. `null` fits any type; Int64 and
    /// Decimal may be strings (IEEE754Compatible), Double and Single may be `"NaN"`, `"INF"`,
    /// `"-INF"`; `Edm.Untyped` or spatial values can be anything.
    pub(super) fn value_type(
        &mut self,
        key: &str,
        value: &Value,
        ty: TypeRef,
        body: Located<'_>,
        path: &[Step<'_>],
        what: &str,
    ) -> bool {
        if value.is_null() || self.any_value(ty.target) {
            return true;
        }
        let wanted = describe(self.model, ty);
        if !ty.collection {
            if let Some(given) = self.wrong_value(value, ty.target) {
                self.find(
                    body.at(path),
                    Code::PropertyType,
                    format!("{what} `{key}` is `{wanted}` but the example gives {given}"),
                );
                return false;
            }
            self.value_form(key, value, ty.target, body, path, what);
            return true;
        }
        let Value::Array(items) = value else {
            let given = json_kind(value);
            self.find(
                body.at(path),
                Code::PropertyType,
                format!(
                    "{what} `{key}` is a collection (`{wanted}`) but the example gives {given}"
                ),
            );
            return false;
        };
        for (i, item) in items.iter().enumerate() {
            let item_path = with(path, Step::Item(i));
            if let Some(given) = self.wrong_value(item, ty.target) {
                let single = describe(
                    self.model,
                    TypeRef {
                        collection: false,
                        ..ty
                    },
                );
                self.find(
                    body.at(&item_path),
                    Code::PropertyType,
                    format!("{what} `{key}` holds `{single}` values but the example gives {given}"),
                );
                return false;
            }
            self.value_form(key, item, ty.target, body, &item_path, what);
        }
        true
    }

    /// Whether a type takes any JSON value: `Edm.Untyped` (which an empty complex type such
    /// as Graph's published `microsoft.graph.Json` is resolved to), spatial, stream.
    pub(super) fn any_value(&self, target: Target) -> bool {
        matches!(
            self.primitive(target),
            Some(Primitive::Untyped | Primitive::Spatial | Primitive::Stream)
        )
    }

    /// The primitive type a target is (through a type definition), if it is one.
    fn primitive(&self, target: Target) -> Option<Primitive> {
        match target {
            Target::Primitive(p) => Some(p),
            Target::Named(id) => match &self.model.ty(id).kind {
                TypeKind::Alias(p) => Some(*p),
                TypeKind::Struct(_) | TypeKind::Enum(_) => None,
            },
        }
    }

    /// How a single (non-null) value contradicts a type, described, or `None` if it fits.
    fn wrong_value(&self, value: &Value, target: Target) -> Option<String> {
        if value.is_null() || self.any_value(target) {
            return None;
        }
        if let Target::Named(id) = target {
            match &self.model.ty(id).kind {
                // A string naming the type (`"sharingDetail"`, `"microsoft.graph.sharingDetail"`)
                // is a placeholder for a value of it, as `"String"` is for a string.
                TypeKind::Struct(_) => {
                    let ty = self.model.ty(id);
                    let names_it = value.as_str().is_some_and(|s| {
                        let s = s.trim().trim_start_matches('#');
                        s.eq_ignore_ascii_case(&ty.name)
                            || s.eq_ignore_ascii_case(&ty.qualified_name)
                    });
                    return (!value.is_object() && !names_it).then(|| json_kind(value));
                }
                // An enum value is its member's name (flags: names joined by commas); a member
                // named like a placeholder (`"boolean"`, `"integer"`) is a member.
                TypeKind::Enum(e) => {
                    return match value {
                        Value::String(s) if is_member(e, s) => None,
                        Value::String(s) => match placeholder(s) {
                            Some(kind) if kind != JsonKind::String => Some(json_kind(value)),
                            _ => None,
                        },
                        other => Some(json_kind(other)),
                    };
                }
                TypeKind::Alias(_) => {}
            }
        }
        let primitive = self.primitive(target)?;
        let fits = match primitive {
            Primitive::Boolean => match value {
                Value::Bool(_) => true,
                Value::String(s) => placeholder(s) == Some(JsonKind::Boolean),
                _ => false,
            },
            Primitive::Byte
            | Primitive::SByte
            | Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64
            | Primitive::Decimal
            | Primitive::Double
            | Primitive::Single => match value {
                Value::Number(_) => true,
                Value::String(s) => {
                    let s = s.trim();
                    placeholder(s) == Some(JsonKind::Number)
                        || (matches!(
                            primitive,
                            Primitive::Int64
                                | Primitive::Decimal
                                | Primitive::Double
                                | Primitive::Single
                        ) && s.parse::<f64>().is_ok())
                        || (matches!(primitive, Primitive::Double | Primitive::Single)
                            && ["NaN", "INF", "-INF"].contains(&s))
                }
                _ => false,
            },
            // String, Guid, dates and times, Binary: strings; a placeholder of a string
            // type of another kind (`"Guid"` for a date) is still a string.
            _ => match value {
                Value::String(s) => {
                    primitive == Primitive::String
                        || !matches!(placeholder(s), Some(JsonKind::Number | JsonKind::Boolean))
                }
                _ => false,
            },
        };
        (!fits).then(|| json_kind(value))
    }

    /// A string of the right JSON kind in the form its type has: a member of its enumeration
    /// (`enum-value`), a date or time in OData's ABNF form (`date-time-format`). Placeholders
    /// (`"String"`, `"String (timestamp)"`, the enumeration's name, `{date}`, `<value>`,
    /// `a | b` lists of members) stand for a value and are not checked as one.
    fn value_form(
        &mut self,
        key: &str,
        value: &Value,
        target: Target,
        body: Located<'_>,
        path: &[Step<'_>],
        what: &str,
    ) {
        let Value::String(text) = value else { return };
        if is_template(text) {
            return;
        }
        if let Target::Named(id) = target {
            let ty = self.model.ty(id);
            if let TypeKind::Enum(e) = &ty.kind {
                if let Some(message) = not_a_member(e, &ty.name, text) {
                    self.find(
                        body.at(path),
                        Code::EnumValue,
                        format!("{what} `{key}` of `{}`: {message}", ty.name),
                    );
                }
                return;
            }
        }
        let Some(primitive) = self.primitive(target) else {
            return;
        };
        if placeholder(text).is_some() {
            return;
        }
        let (valid, form) = match primitive {
            Primitive::DateTimeOffset => (
                date_time_offset(text),
                "`2024-05-01T09:30:00Z` (a date, `T`, a time, and `Z` or an offset such as `+02:00`)",
            ),
            Primitive::Date => (date(text), "`2024-05-01`"),
            Primitive::TimeOfDay => (time_of_day(text), "`09:30:00` (seconds and fractions optional)"),
            Primitive::Duration => (duration(text), "`P1DT2H30M` (ISO 8601)"),
            _ => return,
        };
        if !valid {
            self.find(
                body.at(path),
                Code::DateTimeFormat,
                format!(
                    "{what} `{key}` is `Edm.{primitive:?}` but `{text}` is not in its form {form}"
                ),
            );
        }
    }
}

/// Whether `text` names a member of `e` (each of its comma-separated names, for flags).
fn is_member(e: &EnumType, text: &str) -> bool {
    let names = |t: &str| e.members.iter().any(|m| m.name == t.trim());
    if e.is_flags {
        text.split(',').all(names)
    } else {
        names(text)
    }
}

/// Why `text` is no value of the enumeration `name`, or `None` when it is one or stands for
/// one (a placeholder, the type's name, `a | b`).
fn not_a_member(e: &EnumType, name: &str, text: &str) -> Option<String> {
    if is_member(e, text) || placeholder(text).is_some() {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    // `"Activity Result value"`: a placeholder phrase, as `"name-value"` is.
    let phrase = lower.ends_with(" value") && text.contains(' ');
    if lower.contains(&name.to_ascii_lowercase()) || lower.contains("enum") || phrase {
        return None;
    }
    // `"low | normal | high"`, `"low, normal, or high"`: a list of the values it may take.
    let listed = text.contains('|') || lower.contains(" or ");
    let parts: Vec<&str> = if listed {
        text.split(['|', ','])
            .map(|p| p.trim().trim_start_matches("or ").trim())
            .filter(|p| !p.is_empty())
            .collect()
    } else if e.is_flags {
        text.split(',').map(str::trim).collect()
    } else {
        vec![text.trim()]
    };
    let wrong: Vec<&str> = parts
        .into_iter()
        .filter(|p| !e.members.iter().any(|m| m.name == *p))
        .collect();
    let first = *wrong.first()?;
    match e
        .members
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(first))
    {
        Some(member) => Some(format!(
            "`{first}` differs in case from the member `{}`",
            member.name
        )),
        None => Some(format!("`{first}` is not one of its members")),
    }
}

/// `{id}`, `<date>`, `...`: a template, not a value.
fn is_template(text: &str) -> bool {
    text.contains('{')
        || (text.starts_with('<') && text.ends_with('>'))
        || text.contains("...")
        || text.contains('\u{2026}')
        || text.trim().is_empty()
}

/// `n` ASCII digits at the start of `text`, and the rest.
fn digits(text: &str, n: usize) -> Option<(u32, &str)> {
    let head = text.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &text[n..]))
}

/// `year "-" month "-" day` (OData ABNF `dateValue`): a year of four or more digits, an
/// optional minus before it.
fn date_rest(text: &str) -> Option<&str> {
    let text = text.strip_prefix('-').unwrap_or(text);
    let year_len = text.bytes().take_while(u8::is_ascii_digit).count();
    if year_len < 4 {
        return None;
    }
    let rest = text.get(year_len..)?.strip_prefix('-')?;
    let (month, rest) = digits(rest, 2)?;
    let rest = rest.strip_prefix('-')?;
    let (day, rest) = digits(rest, 2)?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(rest)
}

/// `hour ":" minute [ ":" second [ "." fractionalSeconds ] ]` (`timeOfDayValue`).
fn time_rest(text: &str) -> Option<&str> {
    let (hour, rest) = digits(text, 2)?;
    let (minute, mut rest) = digits(rest.strip_prefix(':')?, 2)?;
    if let Some(seconds) = rest.strip_prefix(':') {
        let (second, after) = digits(seconds, 2)?;
        rest = after;
        if second > 59 {
            return None;
        }
        if let Some(fraction) = rest.strip_prefix('.') {
            let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 || n > 12 {
                return None;
            }
            rest = &fraction[n..];
        }
    }
    (hour < 24 && minute < 60).then_some(rest)
}

fn date(text: &str) -> bool {
    date_rest(text).is_some_and(str::is_empty)
}

fn time_of_day(text: &str) -> bool {
    time_rest(text).is_some_and(str::is_empty)
}

/// `dateValue "T" timeOfDayValue ( "Z" / SIGN hour ":" minute )` (`dateTimeOffsetValue`;
/// ABNF literals are case-insensitive).
fn date_time_offset(text: &str) -> bool {
    let Some(rest) = date_rest(text) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(['T', 't']) else {
        return false;
    };
    let Some(zone) = time_rest(rest) else {
        return false;
    };
    if zone.eq_ignore_ascii_case("z") {
        return true;
    }
    let Some(offset) = zone.strip_prefix(['+', '-']) else {
        return false;
    };
    matches!(time_rest(offset), Some("")) && offset.len() == 5
}

/// `[ SIGN ] "P" [ n "D" ] [ "T" [ n "H" ] [ n "M" ] [ n [ "." n ] "S" ] ]` (`durationValue`),
/// and ISO 8601's years, months and weeks before the days, which Graph's pages write
/// (`P1M`) and its service reads.
fn duration(text: &str) -> bool {
    let text = text.strip_prefix(['+', '-']).unwrap_or(text);
    let Some(rest) = text.strip_prefix(['P', 'p']) else {
        return false;
    };
    let (date_part, time_part) = match rest.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let units = |part: &str, allowed: &[char], fraction_last: bool| -> bool {
        let mut rest = part;
        let mut next = 0;
        while !rest.is_empty() {
            let n = rest
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'.')
                .count();
            let number = &rest[..n];
            let Some(unit) = rest[n..].chars().next() else {
                return false;
            };
            let Some(index) = allowed
                .iter()
                .position(|a| a.eq_ignore_ascii_case(&unit))
                .filter(|&i| i >= next)
            else {
                return false;
            };
            let fraction_ok =
                !number.contains('.') || (fraction_last && index == allowed.len() - 1);
            if number.is_empty() || number.starts_with('.') || number.ends_with('.') || !fraction_ok
            {
                return false;
            }
            next = index + 1;
            rest = &rest[n + unit.len_utf8()..];
        }
        true
    };
    units(date_part, &['Y', 'M', 'W', 'D'], false)
        && time_part.is_none_or(|t| !t.is_empty() && units(t, &['H', 'M', 'S'], true))
}

#[cfg(test)]
mod tests {
    use super::{date, date_time_offset, duration, time_of_day};

    #[test]
    fn dates_and_times_in_the_abnf_forms() {
        for ok in [
            "2024-05-01T09:30:00Z",
            "2024-05-01T09:30Z",
            "2024-05-01t09:30:00.1234567z",
            "2016-12-01T00:00:00-08:00",
            "0001-01-01T00:00:00+00:00",
        ] {
            assert!(date_time_offset(ok), "{ok}");
        }
        for bad in [
            "2024-05-01T09:30:00",
            "2024-05-01",
            "05/01/2024",
            "2024-13-01T00:00:00Z",
            "2024-05-01 09:30:00Z",
            "2024-05-01T25:00:00Z",
            "2024-05-01T09:30:00+0200",
            "now",
        ] {
            assert!(!date_time_offset(bad), "{bad}");
        }
        assert!(date("2024-05-01") && !date("2024-5-1") && !date("2024-05-01T00:00:00Z"));
        assert!(time_of_day("09:30") && time_of_day("23:59:59.999") && !time_of_day("9:30 AM"));
        for ok in [
            "P1D",
            "PT1H",
            "PT0S",
            "-P1DT2H30M",
            "PT1.5S",
            "P1M",
            "P1Y2M",
            "P2W",
            "P",
        ] {
            assert!(duration(ok), "{ok}");
        }
        for bad in [
            "01:00:00",
            "1.00:00:00",
            "PT",
            "P1H",
            "PT1D",
            "P1.5D",
            "PT1M1H",
            "1 hour",
        ] {
            assert!(!duration(bad), "{bad}");
        }
    }
}
