//! Tests of the synthesis.

use super::{segment, synthesize, Segment};
use crate::csdl::{Document, StructuredKind};
use crate::diagnostics::Diagnostics;
use super::description_text;
use crate::pages::{member_name, parse};
use crate::source::SourceMap;

/// The pages (path, text), synthesized: the document and the rendered diagnostics.
fn synthesized(pages: &[(&str, &str)]) -> (Document, Vec<String>) {
    let mut sources = SourceMap::default();
    let mut diagnostics = Diagnostics::default();
    let parsed: Vec<_> = pages
        .iter()
        .map(|(path, text)| {
            let id = sources.add((*path).into(), (*text).to_owned());
            parse(id, text, &mut diagnostics)
        })
        .collect();
    let document = synthesize(&parsed, parsed[0].file, &mut diagnostics);
    let rendered = diagnostics
        .into_sorted()
        .iter()
        .map(|d| d.render(&sources))
        .collect();
    (document, rendered)
}

/// `namespace.name` of every structured and enum type.
fn type_names(document: &Document) -> Vec<String> {
    let mut names: Vec<String> = document
        .schemas
        .iter()
        .flat_map(|s| {
            let ns = &s.namespace.text;
            s.structured_types
                .iter()
                .map(move |t| format!("{ns}.{}", t.name.text))
                .chain(s.enum_types.iter().map(move |t| format!("{ns}.{} (enum)", t.name.text)))
        })
        .collect();
    names.sort();
    names
}

fn resource(ns: &str, name: &str, rows: &str, extra: &str) -> String {
    format!(
        "---\ntitle: \"{name} resource type\"\ndoc_type: resourcePageType\n---\n\n# {name} resource type\n\nNamespace: {ns}\n\n{extra}\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n{rows}\n"
    )
}

fn api(title: &str, request: &str, response_type: Option<&str>) -> String {
    let response = response_type.map_or_else(String::new, |ty| {
        format!("\n## Response\n<!-- {{ \"blockType\": \"response\", \"@odata.type\": \"{ty}\" }} -->\n```http\nHTTP/1.1 200 OK\n```\n")
    });
    format!(
        "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\n## HTTP request\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\n{request}\n```\n{response}"
    )
}

#[test]
fn each_page_keeps_its_namespace_and_same_names_stay_apart() {
    let (document, _) = synthesized(&[
        ("a/empty.md", "---\ntitle: x\n---\n"),
        (
            "a/call.md",
            &resource(
                "microsoft.graph.callRecords",
                "session",
                "|id|String|Key.|\n|stream|[mediaStream](mediastream.md)|Ours.|\n|who|[identitySet](identityset.md)|Graph's.|",
                "",
            ),
        ),
        ("a/cms.md", &resource("microsoft.graph.callRecords", "mediaStream", "|codec|String|C.|", "")),
        ("b/ms.md", &resource("microsoft.graph", "mediaStream", "|label|String|L.|", "")),
        ("b/is.md", &resource("microsoft.graph", "identitySet", "|user|String|U.|", "")),
    ]);
    assert_eq!(
        type_names(&document),
        [
            "microsoft.graph.callRecords.mediaStream",
            "microsoft.graph.callRecords.session",
            "microsoft.graph.identitySet",
            "microsoft.graph.mediaStream",
        ]
    );
    let session = document
        .schemas
        .iter()
        .flat_map(|s| &s.structured_types)
        .find(|t| t.name.text == "session")
        .unwrap();
    let types: Vec<&str> = session
        .properties
        .iter()
        .map(|p| p.type_name.text.as_str())
        .collect();
    assert_eq!(
        types,
        [
            "Edm.String",
            "microsoft.graph.callRecords.mediaStream",
            "microsoft.graph.identitySet"
        ]
    );
}

#[test]
fn enumerations_from_members_tables_merge_and_warn_on_values() {
    let enums = "---\ntitle: Enums\n---\n\n# Enums\n\nNamespace: ex\n\n### bodyType values\n| Member\n|:---\n| text\n| html\n";
    let other = "---\ntitle: \"bodyType enum type\"\n---\n\n# bodyType enum type\n\nNamespace: ex\n\n## Members\n|Member|Value|Description|\n|:---|:---|:---|\n|html|7|Markup.|\n|markdown|8|Marks.|\n";
    let (document, diagnostics) = synthesized(&[
        ("enums.md", enums),
        ("bodytype.md", other),
        ("item.md", &resource("ex", "item", "|body|[bodyType](enums.md#bodytype-values)|B.|", "")),
    ]);
    let body = &document.schemas[0].enum_types[0];
    let members: Vec<(&str, Option<&str>)> = body
        .members
        .iter()
        .map(|m| (m.name.text.as_str(), m.value.as_ref().map(|v| v.text.as_str())))
        .collect();
    assert_eq!(
        members,
        [("text", None), ("html", Some("7")), ("markdown", Some("8"))]
    );
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let item = &document.schemas[0].structured_types[0];
    assert_eq!(item.properties[0].type_name.text, "ex.bodyType");
}

#[test]
fn an_action_page_titled_with_a_verb_is_no_navigation() {
    let parameters = "---\ntitle: \"Send note\"\ndoc_type: apiPageType\n---\n\n# Send note\n\n## HTTP request\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nPOST /people/{id}/sendNote\n```\n\n## Request body\n|Parameter|Type|Description|\n|:---|:---|:---|\n|text|String|The note.|\n";
    let accepted = "---\ntitle: \"Archive person\"\ndoc_type: apiPageType\n---\n\n# Archive person\n\n## HTTP request\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nPOST /people/{id}/archive\n```\n\n## Response\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 202 Accepted\n```\n";
    let (document, _) = synthesized(&[
        ("a/person.md", &resource("ex", "person", "|id|String|K.|", "")),
        ("b/list.md", &api("List people", "GET /people", Some("ex.person"))),
        ("b/send.md", parameters),
        ("b/archive.md", accepted),
    ]);
    let person = document.schemas[0]
        .structured_types
        .iter()
        .find(|t| t.name.text == "person")
        .unwrap();
    assert!(person.navigation_properties.is_empty(), "{person:?}");
    assert_eq!(type_names(&document), ["ex.person"]);
}

#[test]
fn a_path_through_a_key_contains_a_relationship_read_before_it() {
    let owner = resource("ex", "office", "|id|String|K.|", "");
    let owner = format!("{owner}\n## Relationships\n|Relationship|Type|Description|\n|:---|:---|:---|\n|configs|[config](config.md) collection|C.|\n");
    let (document, _) = synthesized(&[
        ("a/office.md", &owner),
        ("a/config.md", &resource("ex", "config", "|id|String|K.|", "")),
        ("b/get.md", &api("Get office", "GET /office", Some("ex.office"))),
        ("b/create.md", &api("Create config", "POST /office/configs", Some("ex.config"))),
    ]);
    let office = document.schemas[0]
        .structured_types
        .iter()
        .find(|t| t.name.text == "office")
        .unwrap();
    assert!(office.navigation_properties[0].contains_target);
}

#[test]
fn an_entry_point_named_like_a_complex_type_is_not_merged_into_it() {
    let (document, diagnostics) = synthesized(&[
        ("a/identity.md", &resource("ex", "identity", "|displayName|String|D.|", "")),
        ("a/container.md", &resource("ex", "identityContainer", "|id|String|K.|", "")),
        ("b/get.md", &api("Get identityContainer", "GET /identity", Some("ex.identityContainer"))),
        ("b/other.md", &api("List flows", "GET /policies/flows", None)),
        ("a/policies.md", &resource("ex", "policies", "|name|String|N.|", "")),
    ]);
    let schema = &document.schemas[0];
    let identity = schema
        .structured_types
        .iter()
        .find(|t| t.name.text == "identity")
        .unwrap();
    assert_eq!(identity.kind, StructuredKind::Complex);
    let singletons: Vec<(&str, &str)> = schema.containers[0]
        .singletons
        .iter()
        .map(|s| (s.name.text.as_str(), s.type_name.text.as_str()))
        .collect();
    assert_eq!(singletons, [("identity", "ex.identityContainer")]);
    assert!(
        diagnostics.iter().any(|d| d.contains("other.md")
            && d.contains("`policies` is a complex type")),
        "{diagnostics:#?}"
    );
}

#[test]
fn derived_types_drop_the_rows_they_inherit() {
    let (document, diagnostics) = synthesized(&[
        ("base.md", &resource("ex", "policy", "|id|String|K.|\n|name|String|N.|", "")),
        (
            "derived.md",
            &resource(
                "ex",
                "tokenPolicy",
                "|id|String|K. Inherited from policy.|\n|name|Int32|N.|\n|lifetime|Duration|L.|",
                "Inherits from [policy](policy.md).",
            ),
        ),
        (
            "other.md",
            &resource(
                "ex",
                "note",
                "|text|String|T.|",
                "The [tokenPolicy](x.md) resource inherits from this type.",
            ),
        ),
        ("get.md", &api("Get policy", "GET /policies/{id}", Some("ex.policy"))),
    ]);
    let types = &document.schemas[0].structured_types;
    let derived = types.iter().find(|t| t.name.text == "tokenPolicy").unwrap();
    assert_eq!(derived.base_type.as_ref().unwrap().text, "ex.policy");
    assert_eq!(derived.kind, StructuredKind::Entity);
    assert!(derived.key.is_empty());
    let names: Vec<&str> = derived.properties.iter().map(|p| p.name.text.as_str()).collect();
    assert_eq!(names, ["lifetime"]);
    let note = types.iter().find(|t| t.name.text == "note").unwrap();
    assert!(note.base_type.is_none());
    assert_eq!(
        diagnostics.iter().filter(|d| d.contains("in its base type `policy`")).count(),
        1,
        "{diagnostics:#?}"
    );
}

#[test]
fn a_type_named_like_a_primitive_is_a_warning() {
    let (_, diagnostics) = synthesized(&[(
        "string.md",
        &resource("ex", "String", "|length|Int32|L.|", ""),
    )]);
    assert!(
        diagnostics[0].starts_with("string.md:")
            && diagnostics[0].contains("a type named `String`"),
        "{diagnostics:#?}"
    );
}

#[test]
fn descriptions_lose_doubled_periods_but_keep_ellipses() {
    assert_eq!(
        description_text("For the policy.. Inherited from x."),
        "For the policy. Inherited from x."
    );
    assert_eq!(description_text("And so on..."), "And so on...");
}

#[test]
fn table_cells_name_members_the_way_real_pages_write_them() {
    for (cell, name) in [
        ("id", "id"),
        (" `webUrl` ", "webUrl"),
        ("**displayName**", "displayName"),
        ("teamsAppId (deprecated)", "teamsAppId"),
        ("`labels` (preview)", "labels"),
        ("see also", "see also"),
        ("files/fileName", "files/fileName"),
    ] {
        assert_eq!(member_name(cell), name, "{cell:?}");
    }
}

#[test]
fn request_path_segments_are_names_keys_known_forms_or_unknown() {
    let kind = |text| match segment(text) {
        Segment::Key => "key",
        Segment::Name(_) => "name",
        Segment::Other => "other",
        Segment::Unknown => "unknown",
    };
    for (text, expected) in [
        ("{id}", "key"),
        ("{id | userPrincipalName}", "key"),
        ("clientConfigurations", "name"),
        ("$ref", "other"),
        ("delta()", "other"),
        ("filterByCurrentUser(on='reviewer')", "other"),
        ("microsoft.graph.assign", "other"),
        ("roleTemplateId={roleTemplateId}", "other"),
        ("root:", "unknown"),
        ("(team-id)", "unknown"),
        ("**", "unknown"),
    ] {
        assert_eq!(kind(text), expected, "{text}");
    }
}

#[test]
fn type_names_come_from_odata_types_and_described_types_not_titles() {
    // A title's capital (`Gizmo resource type`) is the title's: the resource block says
    // `gizmo`, and a table's `[Gizmo](gizmo.md)` link reads as that type.
    let gizmo = "---\ntitle: \"Gizmo\"\ndoc_type: resourcePageType\n---\n\n# Gizmo resource type\n\nNamespace: ex\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|Key.|\n\n## JSON representation\n<!-- { \"blockType\": \"resource\", \"@odata.type\": \"ex.gizmo\" } -->\n```json\n{ \"id\": \"String\" }\n```\n";
    let holder = resource("ex", "holder", "|id|String|Key.|\n|best|[Gizmo](gizmo.md)|The best one.|", "");
    // A list page titled with a plural names the type its singular is; a title word that no
    // page describes (`API`) names no type.
    let list = api("List gizmos", "GET /gizmos", None);
    let overview = "---\ntitle: \"Use the gizmo API\"\ndoc_type: resourcePageType\n---\n\n# Use the gizmo API\n\nNamespace: ex\n\nGizmos are small.\n";
    let (document, _) = synthesized(&[
        ("holder.md", &holder),
        ("gizmo.md", gizmo),
        ("list.md", &list),
        ("overview.md", overview),
    ]);
    assert_eq!(type_names(&document), ["ex.gizmo", "ex.holder"]);
    let container = document.schemas.iter().flat_map(|s| &s.containers).next().unwrap();
    let points: Vec<(&str, &str)> = container
        .entity_sets
        .iter()
        .chain(&container.singletons)
        .map(|e| (e.name.text.as_str(), e.type_name.text.as_str()))
        .collect();
    assert_eq!(points, [("gizmos", "ex.gizmo")]);
}

#[test]
fn a_members_table_of_powers_of_two_with_gaps_is_a_flags_enumeration() {
    let page = |name: &str, rows: &str| {
        format!("---\ntitle: Enums\n---\n\n# Enums\n\nNamespace: ex\n\n### {name} values\n|Member|Int value|Description|\n|:---|:---|:---|\n{rows}\n")
    };
    let (document, _) = synthesized(&[
        ("sides.md", &page("sides", "|none|0|None.|\n|front|1|F.|\n|back|2|B.|\n|edge|4|E.|")),
        ("steps.md", &page("steps", "|one|1|1.|\n|two|2|2.|\n|three|3|3.|")),
        ("halves.md", &page("halves", "|none|0|N.|\n|left|1|L.|\n|right|2|R.|")),
    ]);
    let flags: Vec<(&str, bool)> = document
        .schemas
        .iter()
        .flat_map(|s| s.enum_types.iter())
        .map(|e| (e.name.text.as_str(), e.is_flags))
        .collect();
    // `0, 1, 2` counts as much as it combines: not told a flags enumeration.
    assert_eq!(flags, [("halves", false), ("sides", true), ("steps", false)]);
}
