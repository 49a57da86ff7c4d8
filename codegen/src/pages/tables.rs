//! Tables by their header: property, parameter, relationship, header, member and permission
//! tables.

use super::TableKind;

/// `Property name` and `Relationship name` (47 and 7 tables of the v1.0 resource pages) head
/// the same columns as `Property` and `Relationship`: they are read as those; so is `Name` in a
/// `Name | Type | Description` table under a `Properties` heading.
pub(super) fn with_plain_names(mut header: Vec<String>, in_properties: bool) -> Vec<String> {
    let typed = header.iter().any(|h| h.trim().eq_ignore_ascii_case("type"));
    if let Some(first) = header.first_mut() {
        if in_properties && typed && first.trim().eq_ignore_ascii_case("name") {
            *first = "Property".to_owned();
            return header;
        }
        let lower = first.trim().to_ascii_lowercase();
        if let Some(plain) = lower.strip_suffix(" name") {
            if matches!(plain.trim_end(), "property" | "relationship") {
                let mut chars = plain.trim_end().chars();
                *first = chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default();
            }
        }
    }
    header
}

pub(super) fn table_kind(header: &[String]) -> TableKind {
    let first = header
        .first()
        .map(|h| h.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let has = |name: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    match first.as_str() {
        "property" if has("type") => TableKind::Properties,
        "parameter" if has("type") => TableKind::Parameters,
        "relationship" => TableKind::Relationships,
        "header" => TableKind::Headers,
        "name" if has("description") && !has("type") => TableKind::Headers,
        "name" if has("type") => TableKind::Parameters,
        "member" => TableKind::Members,
        "permission type" => TableKind::Permissions,
        _ => TableKind::Other,
    }
}