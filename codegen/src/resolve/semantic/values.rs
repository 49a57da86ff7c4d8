//! What a structural property's facets and default value say, checked against its type
//! (OData CSDL XML and JSON 4.01 §7.2): a facet that does not apply to the type is a warning
//! (it is ignored), a precision out of its type's range and a default value that is not a
//! value of the type are errors. The facets' own syntax is checked by the parsers.

use super::*;
use crate::csdl::facets;

/// What a property's type is, for its facets and default value.
enum ValueType<'a> {
    Primitive(Primitive),
    /// An enumeration: its member names and whether it is a flags enumeration.
    Enum(Vec<&'a str>, bool),
}

impl Analyzer<'_, '_> {
    /// Checks a structural property's facets and default value against its resolved type.
    pub(super) fn check_values(&mut self, p: &csdl::Property, ty: TypeRef) {
        let value_type = match ty.target {
            Target::Primitive(primitive) => Some(ValueType::Primitive(primitive)),
            Target::Named(id) => match self.symbols.entry(id).declaration {
                Declaration::Enum(e) => Some(ValueType::Enum(
                    e.members.iter().map(|m| m.name.text.as_str()).collect(),
                    e.is_flags,
                )),
                Declaration::Definition(d) => d
                    .underlying_type
                    .text
                    .trim()
                    .strip_prefix("Edm.")
                    .and_then(Primitive::from_edm_name)
                    .map(ValueType::Primitive),
                Declaration::Structured(_) => None,
            },
        };
        let primitive = match &value_type {
            Some(ValueType::Primitive(p)) => Some(*p),
            _ => None,
        };
        self.check_facets_apply(p, primitive);
        let Some(default) = &p.default_value else {
            return;
        };
        let problem = match (&value_type, ty.collection) {
            (_, true) | (None, _) => Some(
                "a collection, complex or entity value has no default value (CSDL 4.01 §7.2.7)"
                    .to_owned(),
            ),
            (Some(ValueType::Enum(members, flags)), false) => enum_literal(default, members, *flags),
            (Some(ValueType::Primitive(primitive)), false) => {
                primitive_literal(*primitive, default.trim(), p)
            }
        };
        if let Some(problem) = problem {
            let shown: String = default.chars().take(40).collect();
            let more = if shown.len() < default.len() { "…" } else { "" };
            self.diagnostics.error(
                p.span,
                format!(
                    "DefaultValue `{shown}{more}` of property `{}` ({}): {problem}",
                    p.name.text, p.type_name.text
                ),
            );
        }
    }

    /// `MaxLength` applies to strings, binary values and streams; `Precision` to decimals and
    /// temporal values (each with its range); `Scale` to decimals.
    fn check_facets_apply(&mut self, p: &csdl::Property, primitive: Option<Primitive>) {
        use Primitive::*;
        let checks = [
            (&p.max_length, "MaxLength", "§7.2.2", matches!(primitive, Some(String | Binary | Stream))),
            (&p.precision, "Precision", "§7.2.3", matches!(primitive, Some(Decimal | DateTimeOffset | Duration | TimeOfDay))),
            (&p.scale, "Scale", "§7.2.4", matches!(primitive, Some(Decimal))),
        ];
        for (value, facet, section, applies) in checks {
            if value.is_some() && !applies {
                self.diagnostics.warning(
                    p.span,
                    format!(
                        "{facet} does not apply to property `{}` of type `{}`; ignored (CSDL 4.01 {section})",
                        p.name.text, p.type_name.text
                    ),
                );
            }
        }
        let precision = p.precision.as_deref().and_then(|t| facets::integer(t.trim()));
        let problem = match (primitive, precision) {
            (Some(Decimal), Some(0)) => Some("a decimal's Precision is at least 1"),
            (Some(DateTimeOffset | Duration | TimeOfDay), Some(n)) if n > 12 => {
                Some("a temporal value's Precision (digits of the seconds' fraction) is 0 to 12")
            }
            _ => None,
        };
        if let (Some(problem), Some(n)) = (problem, precision) {
            self.diagnostics.error(
                p.span,
                format!(
                    "Precision {n} of property `{}` ({}): {problem} (CSDL 4.01 §7.2.3)",
                    p.name.text, p.type_name.text
                ),
            );
        }
    }
}

/// Why `text` is not a member of the enumeration (for flags, comma-separated members), or
/// `None` when it is (an integer value is accepted too).
fn enum_literal(text: &str, members: &[&str], flags: bool) -> Option<String> {
    let text = text.trim();
    if text.parse::<i64>().is_ok() {
        return None;
    }
    let names: Vec<&str> = if flags {
        text.split(',').map(str::trim).collect()
    } else {
        vec![text]
    };
    let unknown: Vec<&str> = names.into_iter().filter(|n| !members.contains(n)).collect();
    (!unknown.is_empty()).then(|| {
        format!(
            "`{}` is not a member of the enumeration (CSDL 4.01 §7.2.7)",
            unknown.join("`, `")
        )
    })
}

/// Why `text` is not a literal of the primitive type (within the property's facets), or
/// `None` when it is one. Types whose literals this does not read (spatial, untyped, streams)
/// are accepted.
fn primitive_literal(primitive: Primitive, text: &str, p: &csdl::Property) -> Option<String> {
    use Primitive::*;
    let section = "(CSDL 4.01 §7.2.7)";
    let shape = |ok: bool, what: &str| (!ok).then(|| format!("not {what} {section}"));
    match primitive {
        Boolean => shape(matches!(text, "true" | "false"), "`true` or `false`"),
        Byte | SByte | Int16 | Int32 | Int64 => {
            let (min, max) = primitive.integer_range()?;
            let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Some(format!("not an integer {section}"));
            }
            match text.parse::<i128>() {
                Ok(n) if (i128::from(min)..=i128::from(max)).contains(&n) => None,
                _ => Some(format!(
                    "does not fit `Edm.{primitive:?}` ({min} to {max}) {section}"
                )),
            }
        }
        Decimal => decimal_literal(text, p),
        Double | Single => shape(
            matches!(text, "INF" | "-INF" | "NaN") || number(text).is_some(),
            "a number (or `INF`, `-INF`, `NaN`)",
        ),
        Guid => shape(is_guid(text), "a GUID (8-4-4-4-12 hexadecimal digits)"),
        Date => shape(is_date(text), "a date (`YYYY-MM-DD`)"),
        DateTimeOffset => shape(
            text.split_once(['T', 't'])
                .is_some_and(|(date, time)| is_date(date) && is_time_with_offset(time)),
            "a date and time with an offset (`YYYY-MM-DDThh:mm:ssZ`)",
        ),
        TimeOfDay => shape(is_time(text), "a time of day (`hh:mm:ss`)"),
        Duration => shape(is_duration(text), "an ISO 8601 duration (`P1DT2H`)"),
        Binary => shape(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'=')),
            "base64url-encoded binary data",
        ),
        String => {
            let max = p.max_length.as_deref().and_then(|m| facets::integer(m.trim()))?;
            let length = text.chars().count() as u64;
            (length > max).then(|| {
                format!("{length} characters, over the property's MaxLength {max} {section}")
            })
        }
        Stream | Untyped | Spatial => None,
    }
}

/// A decimal literal within the property's `Precision` (significant digits) and integer
/// `Scale` (digits after the point).
fn decimal_literal(text: &str, p: &csdl::Property) -> Option<String> {
    let section = "(CSDL 4.01 §7.2.7)";
    let floating = p.scale.as_deref().is_some_and(|s| s.trim().eq_ignore_ascii_case("floating"));
    if floating && matches!(text, "INF" | "-INF" | "NaN") {
        return None;
    }
    let Some((integer, fraction)) = number(text) else {
        return Some(format!("not a decimal number {section}"));
    };
    let integer = integer.trim_start_matches('0');
    let precision = p.precision.as_deref().and_then(|t| facets::integer(t.trim()));
    let scale = p.scale.as_deref().and_then(|t| facets::integer(t.trim()));
    if let Some(scale) = scale {
        if fraction.len() as u64 > scale {
            return Some(format!(
                "{} digits after the point, over the property's Scale {scale} {section}",
                fraction.len()
            ));
        }
    }
    if let (Some(precision), Some(scale)) = (precision, scale) {
        let before = integer.len() as u64;
        if before > precision.saturating_sub(scale) {
            return Some(format!(
                "{before} digits before the point, over the property's Precision {precision} less its Scale {scale} {section}"
            ));
        }
    }
    let significant = (integer.len() + fraction.len()) as u64;
    match precision {
        Some(precision) if significant > precision => Some(format!(
            "{significant} significant digits, over the property's Precision {precision} {section}"
        )),
        _ => None,
    }
}

/// A decimal number (`-12.50`, `1e3`): its integer and fraction digits, or `None`. An
/// exponent is accepted and not counted.
fn number(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (text, None),
    };
    let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = digits(integer)
        && (fraction.is_empty() || digits(fraction))
        && !mantissa.ends_with('.')
        && exponent.is_none_or(digits);
    ok.then_some((integer, fraction))
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_date(text: &str) -> bool {
    let text = text.strip_prefix('-').unwrap_or(text);
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts[..] else {
        return false;
    };
    let number = |s: &str, width: usize| {
        (s.len() == width || (width == 4 && s.len() > 4)) && s.bytes().all(|b| b.is_ascii_digit())
    };
    number(year, 4)
        && number(month, 2)
        && number(day, 2)
        && (1..=12).contains(&month.parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&day.parse::<u8>().unwrap_or(0))
}

fn is_time(text: &str) -> bool {
    let (clock, fraction) = text.split_once('.').unwrap_or((text, ""));
    let parts: Vec<&str> = clock.split(':').collect();
    let two = |s: &str, max: u8| s.len() == 2 && s.parse::<u8>().is_ok_and(|n| n <= max);
    let clock_ok = match parts[..] {
        [h, m] => two(h, 23) && two(m, 59) && fraction.is_empty() && !text.contains('.'),
        [h, m, s] => two(h, 23) && two(m, 59) && two(s, 59),
        _ => false,
    };
    clock_ok && (!text.contains('.') || (!fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit())))
}

fn is_time_with_offset(text: &str) -> bool {
    if let Some(time) = text.strip_suffix(['Z', 'z']) {
        return is_time(time);
    }
    match text.rfind(['+', '-']) {
        Some(at) => {
            let offset = &text[at + 1..];
            is_time(&text[..at])
                && offset.len() == 5
                && is_time(offset)
        }
        None => false,
    }
}

fn is_duration(text: &str) -> bool {
    let text = text.strip_prefix('-').unwrap_or(text);
    let Some(rest) = text.strip_prefix('P') else {
        return false;
    };
    let (days, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut any = false;
    let mut parts_ok = |part: &str, units: &[char]| {
        let mut remaining = part;
        for unit in units {
            if let Some(at) = remaining.find(*unit) {
                let value = &remaining[..at];
                let ok = !value.is_empty()
                    && value.split_once('.').map_or(value.bytes().all(|b| b.is_ascii_digit()), |(i, f)| {
                        *unit == 'S' && !i.is_empty() && !f.is_empty() && (i.to_owned() + f).bytes().all(|b| b.is_ascii_digit())
                    });
                if !ok {
                    return false;
                }
                any = true;
                remaining = &remaining[at + 1..];
            }
        }
        remaining.is_empty()
    };
    let days_ok = parts_ok(days, &['D']);
    let time_ok = parts_ok(time, &['H', 'M', 'S']);
    days_ok && time_ok && any && !(rest.contains('T') && time.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn property(type_name: &str, facets: [Option<&str>; 3]) -> csdl::Property {
        let spanned = |text: &str| Spanned {
            text: text.to_owned(),
            span: Span::new(crate::source::SourceMap::default().add("t".into(), String::new()), 0),
        };
        csdl::Property {
            name: spanned("p"),
            span: spanned("p").span,
            type_name: spanned(type_name),
            nullable: None,
            max_length: facets[0].map(str::to_owned),
            precision: facets[1].map(str::to_owned),
            scale: facets[2].map(str::to_owned),
            default_value: None,
            annotations: Vec::new(),
        }
    }

    #[test]
    fn default_values_are_literals_of_their_types() {
        let plain = property("x", [None, None, None]);
        let money = property("Edm.Decimal", [None, Some("5"), Some("2")]);
        let short = property("Edm.String", [Some("3"), None, None]);
        let five_hundred_digits = "9".repeat(500);
        for (primitive, text, p) in [
            (Primitive::Int32, "2147483647", &plain),
            (Primitive::Int32, "-2147483648", &plain),
            (Primitive::Byte, "255", &plain),
            (Primitive::Boolean, "true", &plain),
            (Primitive::Decimal, "123.45", &money),
            (Primitive::Decimal, "0.5", &money),
            (Primitive::Double, "-1.5e10", &plain),
            (Primitive::Single, "NaN", &plain),
            (Primitive::Guid, "01234567-89ab-cdef-0123-456789ABCDEF", &plain),
            (Primitive::Date, "2024-02-29", &plain),
            (Primitive::DateTimeOffset, "2024-02-29T12:30:00.5+01:00", &plain),
            (Primitive::DateTimeOffset, "2024-02-29T12:30Z", &plain),
            (Primitive::TimeOfDay, "23:59:59.999", &plain),
            (Primitive::Duration, "P1DT2H3M4.5S", &plain),
            (Primitive::Duration, "-PT1M", &plain),
            (Primitive::String, "abc", &short),
            (Primitive::Binary, "AAEC-_w", &plain),
        ] {
            assert_eq!(primitive_literal(primitive, text, p), None, "{primitive:?} {text}");
        }
        for (primitive, text, p, problem) in [
            (Primitive::Int32, five_hundred_digits.as_str(), &plain, "does not fit `Edm.Int32` (-2147483648 to 2147483647)"),
            (Primitive::Int32, "2147483648", &plain, "does not fit"),
            (Primitive::Byte, "-1", &plain, "does not fit `Edm.Byte` (0 to 255)"),
            (Primitive::Int64, "1.5", &plain, "not an integer"),
            (Primitive::Boolean, "yes", &plain, "not `true` or `false`"),
            (Primitive::Decimal, "1234.5", &money, "4 digits before the point, over the property's Precision 5 less its Scale 2"),
            (Primitive::Decimal, "123456", &property("Edm.Decimal", [None, Some("5"), None]), "6 significant digits, over the property's Precision 5"),
            (Primitive::Decimal, "1.234", &money, "3 digits after the point, over the property's Scale 2"),
            (Primitive::Decimal, "12.", &money, "not a decimal number"),
            (Primitive::Double, "1,5", &plain, "not a number"),
            (Primitive::Guid, "0123", &plain, "not a GUID"),
            (Primitive::Date, "2024-13-01", &plain, "not a date"),
            (Primitive::DateTimeOffset, "2024-01-01T10:00", &plain, "not a date and time"),
            (Primitive::TimeOfDay, "24:00:00", &plain, "not a time of day"),
            (Primitive::Duration, "P", &plain, "not an ISO 8601 duration"),
            (Primitive::Duration, "PT", &plain, "not an ISO 8601 duration"),
            (Primitive::String, "abcd", &short, "4 characters, over the property's MaxLength 3"),
        ] {
            let message = primitive_literal(primitive, text, p).unwrap_or_default();
            assert!(message.contains(problem), "{primitive:?} {text}: {message}");
            assert!(message.ends_with("(CSDL 4.01 §7.2.7)"), "{message}");
        }
        assert_eq!(enum_literal("red", &["red", "blue"], false), None);
        assert_eq!(enum_literal("red, blue", &["red", "blue"], true), None);
        assert_eq!(enum_literal("3", &["red"], true), None);
        assert!(enum_literal("green", &["red"], false).unwrap().contains("`green` is not a member"));
    }
}
