//! The CSDL JSON reader on documents in our own words.
use super::*;
use crate::source::{LineCol, SourceMap};

fn parse_text(text: &str) -> (SourceMap, Option<Document>, Vec<String>) {
    let mut sources = SourceMap::default();
    let id = sources.add("t.json".into(), text.to_owned());
    let mut diagnostics = Diagnostics::default();
    let document = parse(id, &sources.file(id).text.clone(), &mut diagnostics);
    let rendered = diagnostics
        .into_sorted()
        .iter()
        .map(|d| d.render(&sources))
        .collect();
    (sources, document, rendered)
}

const DOCUMENT: &str = r#"{
  "$Version": "4.01",
  "$Reference": {"core.json": {"$Include": [{"$Namespace": "Org.OData.Core.V1", "$Alias": "Core"}]}},
  "ns": {
"$Alias": "n",
"thing": {
  "$Kind": "EntityType", "$BaseType": "n.base", "$Abstract": true, "$OpenType": true,
  "$Key": ["id", {"city": "address/city"}],
  "id": {"$Nullable": false, "$MaxLength": 10},
  "tags": {"$Collection": true, "$Nullable": true, "@Core.Description": "a & b"},
  "amount": {"$Type": "Edm.Decimal", "$Precision": 10},
  "parts": {"$Kind": "NavigationProperty", "$Type": "n.part", "$Collection": true, "$ContainsTarget": true, "$Partner": "owner"}
},
"e": {"$Kind": "EnumType", "$IsFlags": true, "$UnderlyingType": "Edm.Int64", "a": 1, "a@Core.Description": "A."},
"d": {"$Kind": "TypeDefinition", "$UnderlyingType": "Edm.Decimal"},
"go": [{"$Kind": "Action", "$IsBound": true, "$Parameter": [{"$Name": "b", "$Type": "n.thing"}], "$ReturnType": {"$Type": "Edm.Int32"}}],
"f": [{"$Kind": "Function", "$IsComposable": true, "$ReturnType": {"$Type": "n.thing", "$Collection": true, "$Nullable": true}}],
"C": {
  "$Kind": "EntityContainer",
  "things": {"$Collection": true, "$Type": "n.thing", "$NavigationPropertyBinding": {"parts": "things"}},
  "me": {"$Type": "n.thing", "@Capabilities.DeleteRestrictions": {"Deletable": false}},
  "fi": {"$Function": "n.f", "$EntitySet": "things"},
  "reset": {"$Action": "n.reset"}
},
"$Annotations": {"n.thing/id": {"@Core.Description": "The id.", "@Core.Description@Core.IsLanguageDependent": true}}
  }
}
"#;

#[test]
fn every_construct_is_read_with_its_span_and_xml_s_defaults() {
    let (sources, document, diagnostics) = parse_text(DOCUMENT);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let document = document.unwrap();
    let at = |span| sources.line_col(span);
    assert_eq!(document.includes[0].alias.as_deref(), Some("Core"));
    assert_eq!(document.includes[0].uri.as_deref(), Some("core.json"));
    let schema = &document.schemas[0];
    assert_eq!((schema.namespace.text.as_str(), schema.alias.as_ref().unwrap().text.as_str()), ("ns", "n"));
    let thing = &schema.structured_types[0];
    assert_eq!(at(thing.name.span), LineCol { line: 6, col: 1 });
    assert!(thing.is_abstract && thing.open_type && !thing.has_stream);
    let key: Vec<_> = thing.key.iter().map(|k| k.text.as_str()).collect();
    assert_eq!(key, ["id", "address/city"]);
    let id = &thing.properties[0];
    assert_eq!((id.type_name.text.as_str(), id.nullable, id.max_length.as_deref()), ("Edm.String", Some(false), Some("10")));
    let tags = &thing.properties[1];
    assert_eq!((tags.type_name.text.as_str(), tags.nullable), ("Collection(Edm.String)", Some(true)));
    assert_eq!(tags.annotations[0].string.as_deref(), Some("a & b"));
    assert_eq!(tags.annotations[0].term.text, "Core.Description");
    // An absent scale of a decimal is `variable` in CSDL JSON.
    let amount = &thing.properties[2];
    assert_eq!((amount.precision.as_deref(), amount.scale.as_deref()), (Some("10"), Some("variable")));
    let parts = &thing.navigation_properties[0];
    assert!(parts.contains_target);
    assert_eq!((parts.type_name.text.as_str(), parts.partner.as_deref(), parts.nullable), ("Collection(n.part)", Some("owner"), Some(false)));
    let e = &schema.enum_types[0];
    assert!(e.is_flags);
    assert_eq!(e.members[0].value.as_ref().unwrap().text, "1");
    assert_eq!(e.members[0].annotations[0].string.as_deref(), Some("A."));
    assert_eq!(schema.type_definitions[0].underlying_type.text, "Edm.Decimal");
    let go = &schema.operations[0];
    assert_eq!((go.kind, go.is_bound, go.parameters.len()), (OperationKind::Action, true, 1));
    assert_eq!(go.return_type.as_ref().unwrap().nullable, Some(false));
    let f = &schema.operations[1];
    assert!(f.is_composable);
    assert_eq!(f.return_type.as_ref().unwrap().type_name.text, "Collection(n.thing)");
    let container = &schema.containers[0];
    assert_eq!(container.entity_sets[0].navigation_bindings[0].target.text, "things");
    assert_eq!(at(container.entity_sets[0].navigation_bindings[0].path.span), LineCol { line: 20, col: 86 });
    assert_eq!(container.singletons[0].name.text, "me");
    assert_eq!(container.singletons[0].annotations[0].record, [("Deletable".to_owned(), false)]);
    assert_eq!(container.function_imports[0].entity_set.as_deref(), Some("things"));
    assert_eq!(container.action_imports[0].operation.text, "n.reset");
    let group = &schema.annotation_groups[0];
    assert_eq!((group.target.text.as_str(), group.annotations.len()), ("n.thing/id", 1));
}

#[test]
fn malformed_and_foreign_documents_are_located_errors() {
    let cases = [
        ("{\"$Version\": \"4.01\",}", "t.json:1:20: error: malformed JSON: Trailing commas are not allowed"),
        ("{\"$Version\": \"4.01\"\n// c\n}", "t.json:2:1: error: malformed JSON: Comments are not allowed"),
        ("{\"$Version\": \"4.01\"", "t.json:1:1: error: malformed JSON"),
        ("[1]", "t.json:1:1: error: no CSDL content: a CSDL JSON document is an object with `$Version` (CSDL JSON 4.01 §3.1), not an array"),
        ("{\"@odata.context\": \"x\", \"value\": []}", "t.json:1:1: error: no CSDL content: a CSDL JSON document has a `$Version` member (CSDL JSON 4.01 §3.1): this looks like an OData response"),
        (&format!("{}1{}", "[".repeat(600), "]".repeat(600)), "t.json:1:"),
    ];
    for (text, expected) in cases {
        let (_, document, diagnostics) = parse_text(text);
        assert!(document.is_none(), "{text}");
        assert!(diagnostics[0].starts_with(expected), "{text}: {diagnostics:?}");
    }
}

#[test]
fn members_of_the_wrong_kind_are_located_errors_and_the_rest_is_read() {
    let text = r#"{"$Version": "4.01", "ns": {
  "t": {"$Kind": "ComplexType", "$Abstract": "yes", "a": {"$MaxLength": -5}, "a": {}},
  "u": {"$Kind": "EntityType", "b": {"$Precision": 1e400, "$Scale": "Floating", "$DefaultValue": [1]}},
  "v": {"$Kind": "Thing"},
  "w": {}
}}"#;
    let (_, document, diagnostics) = parse_text(text);
    assert!(document.is_some());
    let expected = [
        "t.json:2:46: error: `$Abstract` must be true or false, not a string",
        "t.json:2:73: error: MaxLength `-5` is not a non-negative integer or `max` (CSDL 4.01 §7.2.2)",
        "t.json:2:78: error: member `a` is given twice in one object\nt.json:2:53: note: the first is here",
        "t.json:3:52: error: Precision `1e400` is not a non-negative integer (CSDL 4.01 §7.2.3)",
        "t.json:3:98: error: `$DefaultValue` must be a primitive value, not an array (CSDL JSON 4.01 §7.2.7)",
        "t.json:4:18: warning: schema element `v` of kind `Thing` is not CSDL 4.01's; skipped",
        "t.json:5:3: error: schema element `w` has no `$Kind`",
    ];
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:#?}");
    for (line, expected) in diagnostics.iter().zip(expected) {
        assert!(line.starts_with(expected), "{line}\n expected {expected}");
    }
}

/// A `$` member CSDL JSON does not define (a typo), a schema key starting with `$` and an
/// `$EntityContainer` that names no container each change what is read, so each is a located
/// warning rather than silence.
#[test]
fn unknown_keywords_and_a_missing_entity_container_are_warnings() {
    let (_, document, rendered) = parse_text(
        r#"{"$Version": "4.01", "$EntityContainer": "shop.Nope",
"$shop": {"x": {"$Kind": "ComplexType"}},
"shop": {"$Aliass": "s",
  "order": {"$Kind": "EntityType", "$Abstrct": true,
    "lines": {"$Kind": "NavigationProperty", "$Type": "shop.line", "$Colection": true},
    "note": {"$Nulable": true}},
  "Shop": {"$Kind": "EntityContainer"}}}"#,
    );
    assert!(document.is_some());
    let expected = [
        "t.json:1:42: warning: `$EntityContainer` names `shop.Nope`",
        "t.json:2:1: warning: `$shop` is not a member of a document",
        "t.json:3:10: warning: `$Aliass` is not a member of a schema",
        "t.json:4:36: warning: `$Abstrct` is not a member of an entity or complex type",
        "t.json:5:68: warning: `$Colection` is not a member of a navigation property",
        "t.json:6:14: warning: `$Nulable` is not a member of a structural property",
    ];
    assert_eq!(rendered.len(), expected.len(), "{rendered:#?}");
    for (line, start) in rendered.iter().zip(expected) {
        assert!(line.starts_with(start), "{line}\n  expected {start}");
    }
}

/// The same for enumerations, type definitions, operations (overloads, parameters, return
/// types) and containers (sets, singletons, imports); `$Extends` is CSDL's but not read.
#[test]
fn unknown_keywords_of_enums_operations_and_containers_are_warnings() {
    let (_, document, rendered) = parse_text(
        r#"{"$Version": "4.01", "$EntityContainer": "shop.Shop",
"shop": {
  "color": {"$Kind": "EnumType", "$IsFlag": true, "red": 0},
  "code": {"$Kind": "TypeDefinition", "$UnderlyingType": "Edm.String", "$MaxLenght": 3},
  "order": {"$Kind": "EntityType", "$Key": ["id"], "id": {}},
  "ship": [{"$Kind": "Action", "$IsBond": true,
    "$Parameter": [{"$Name": "o", "$Type": "shop.order", "$Nulable": true}],
    "$ReturnType": {"$Type": "Edm.String", "$Colection": true}}],
  "Shop": {"$Kind": "EntityContainer", "$Extends": "other.Base",
    "orders": {"$Collection": true, "$Type": "shop.order", "$IncludeInServiceDocument": false, "$Contained": true},
    "main": {"$Type": "shop.order", "$Nullable": true, "$Singelton": true, "$Type@Core.Description": "ok"},
    "Ship": {"$Action": "shop.ship", "$EntitySet": "orders", "$Function": "x"}}}}"#,
    );
    assert!(document.is_some());
    let expected = [
        "t.json:3:34: warning: `$IsFlag` is not a member of an enumeration type",
        "t.json:4:72: warning: `$MaxLenght` is not a member of a type definition",
        "t.json:6:32: warning: `$IsBond` is not a member of an action or function overload",
        "t.json:7:58: warning: `$Nulable` is not a member of a parameter",
        "t.json:8:44: warning: `$Colection` is not a member of a return type",
        "t.json:9:40: warning: `$Extends` is not read",
        "t.json:10:96: warning: `$Contained` is not a member of an entity set",
        "t.json:11:56: warning: `$Singelton` is not a member of a singleton",
        "t.json:12:62: warning: `$Function` is not a member of an action import",
    ];
    assert_eq!(rendered.len(), expected.len(), "{rendered:#?}");
    for (line, start) in rendered.iter().zip(expected) {
        assert!(line.starts_with(start), "{line}\n  expected {start}");
    }
}
