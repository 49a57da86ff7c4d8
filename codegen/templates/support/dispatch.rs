#[allow(unused_imports)]
use super::*;

/// The `@odata.type` of a JSON object's members, without the leading `#` (or the context URL
/// before it) and in lower case, which is how dispatching enums compare it (namespace- or
/// alias-qualified). OData 4.01 lets a service leave out the `odata.` prefix of control
/// information (JSON Format 4.01 §4.5.1): `@type` is read too.
#[doc(hidden)]
pub fn odata_type_key(members: &Members<'_>) -> Option<String> {
    let text = members
        .iter()
        .find(|(key, _)| key == "@odata.type")
        .or_else(|| members.iter().find(|(key, _)| key == "@type"))?
        .1;
    let name = String::read_json(text).ok()?;
    // `#ns.Type`, `ns.Type`, and the context-URL form `https://host/service/$metadata#ns.Type`.
    let name = name.rsplit_once('#').map_or(name.as_str(), |(_, name)| name);
    Some(name.to_ascii_lowercase())
}
