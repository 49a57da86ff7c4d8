//! Type facets as written (OData CSDL XML and JSON 4.01 §7.2): their syntax, checked by both
//! parsers where each value is read, so that an error is located at its attribute or member.
//! What depends on the type a facet applies to (precision ranges of decimals and temporal
//! types, default values) is checked by resolution, which knows the types.

/// A type facet whose value the parsers check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facet {
    /// `MaxLength` (§7.2.2).
    MaxLength,
    /// `Precision` (§7.2.3).
    Precision,
    /// `Scale` (§7.2.4).
    Scale,
    /// `SRID` (§7.2.6).
    Srid,
}

impl Facet {
    /// The XML attribute's name (the JSON member is this with a `$`).
    pub fn name(self) -> &'static str {
        match self {
            Facet::MaxLength => "MaxLength",
            Facet::Precision => "Precision",
            Facet::Scale => "Scale",
            Facet::Srid => "SRID",
        }
    }

    /// Its section of OData CSDL 4.01 (XML and JSON number them alike).
    pub fn section(self) -> &'static str {
        match self {
            Facet::MaxLength => "§7.2.2",
            Facet::Precision => "§7.2.3",
            Facet::Scale => "§7.2.4",
            Facet::Srid => "§7.2.6",
        }
    }

    /// Every facet, in the order elements are checked.
    pub const ALL: [Facet; 4] = [Facet::MaxLength, Facet::Precision, Facet::Scale, Facet::Srid];
}

/// The largest facet value accepted: lengths, precisions and SRIDs are small numbers (the
/// EPSG registry's codes stay under 1,000,000), and a larger one is a mistake.
pub const MAX_FACET_VALUE: u64 = u32::MAX as u64;

/// Checks one facet's value as written: `MaxLength` a non-negative integer or `max`,
/// `Precision` a non-negative integer, `Scale` a non-negative integer, `variable` or
/// `floating`, `SRID` a non-negative integer or `variable`; integers in decimal digits, at most
/// [`MAX_FACET_VALUE`].
///
/// # Errors
/// The message for a value of another form, naming the facet and its section.
pub fn check(facet: Facet, text: &str) -> Result<(), String> {
    let symbols: &[&str] = match facet {
        Facet::MaxLength => &["max"],
        Facet::Precision => &[],
        Facet::Scale => &["variable", "floating"],
        Facet::Srid => &["variable"],
    };
    let text = text.trim();
    if symbols.iter().any(|s| s.eq_ignore_ascii_case(text)) || integer(text).is_some() {
        return Ok(());
    }
    let expected = match facet {
        Facet::MaxLength => "a non-negative integer or `max`",
        Facet::Precision => "a non-negative integer",
        Facet::Scale => "a non-negative integer, `variable` or `floating`",
        Facet::Srid => "a non-negative integer or `variable`",
    };
    let shown: String = text.chars().take(40).collect();
    let more = if shown.len() < text.len() { "…" } else { "" };
    let reason = if text.bytes().all(|b| b.is_ascii_digit()) && !text.is_empty() {
        format!(" (at most {MAX_FACET_VALUE})")
    } else {
        String::new()
    };
    Err(format!(
        "{} `{shown}{more}` is not {expected}{reason} (CSDL 4.01 {})",
        facet.name(),
        facet.section()
    ))
}

/// Checks that an integer `Scale` is at most the `Precision` (§7.2.4), when both are integers.
///
/// # Errors
/// The message for a scale over the precision.
pub fn check_scale(precision: &str, scale: &str) -> Result<(), String> {
    match (integer(precision.trim()), integer(scale.trim())) {
        (Some(p), Some(s)) if s > p => Err(format!(
            "Scale {s} is greater than Precision {p}: a decimal cannot have more digits after the point than it has (CSDL 4.01 §7.2.4)"
        )),
        _ => Ok(()),
    }
}

/// A facet's integer value: decimal digits only, at most [`MAX_FACET_VALUE`].
pub fn integer(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u64>().ok().filter(|&n| n <= MAX_FACET_VALUE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_values_are_checked_as_the_specification_writes_them() {
        for (facet, good) in [
            (Facet::MaxLength, "0"),
            (Facet::MaxLength, "max"),
            (Facet::MaxLength, " 4000 "),
            (Facet::Precision, "38"),
            (Facet::Scale, "variable"),
            (Facet::Scale, "floating"),
            (Facet::Scale, "2"),
            (Facet::Srid, "4326"),
            (Facet::Srid, "variable"),
        ] {
            assert_eq!(check(facet, good), Ok(()), "{facet:?} {good}");
        }
        for (facet, bad, message) in [
            (Facet::MaxLength, "-5", "MaxLength `-5` is not a non-negative integer or `max` (CSDL 4.01 §7.2.2)"),
            (Facet::Precision, "1e400", "Precision `1e400` is not a non-negative integer (CSDL 4.01 §7.2.3)"),
            (Facet::Scale, "-1", "Scale `-1` is not a non-negative integer, `variable` or `floating` (CSDL 4.01 §7.2.4)"),
            (Facet::Srid, "max", "SRID `max` is not a non-negative integer or `variable` (CSDL 4.01 §7.2.6)"),
            (Facet::Precision, "99999999999", "Precision `99999999999` is not a non-negative integer (at most 4294967295)"),
            (Facet::MaxLength, "", "MaxLength `` is not"),
            (Facet::Precision, "+3", "Precision `+3` is not"),
        ] {
            let error = check(facet, bad).unwrap_err();
            assert!(error.starts_with(message), "{facet:?} {bad}: {error}");
        }
        assert!(check_scale("5", "2").is_ok());
        assert!(check_scale("5", "variable").is_ok());
        assert!(check_scale("2", "5").unwrap_err().contains("Scale 5 is greater than Precision 2"));
    }
}
