#[allow(unused_imports)]
use super::*;

/// The `@odata.type` of a JSON object, without the leading `#` (or the context URL before it) and
/// in lower case, which is how dispatching enums compare it (namespace- or alias-qualified).
#[doc(hidden)]
pub fn odata_type_key(value: &serde_json::Value) -> Option<String> {
    // OData 4.01 lets a service leave out the `odata.` prefix of control information (JSON
    // Format 4.01 §4.5.1).
    let name = value.get("@odata.type").or_else(|| value.get("@type"))?.as_str()?;
    // `#ns.Type`, `ns.Type`, and the context-URL form `https://host/service/$metadata#ns.Type`.
    let name = name.rsplit_once('#').map_or(name, |(_, name)| name);
    Some(name.to_ascii_lowercase())
}

/// Reads a model from an already parsed JSON value, reporting errors as `E`; numbers keep
/// every digit.
#[doc(hidden)]
pub fn from_value<T: serde::de::DeserializeOwned, E: de::Error>(value: serde_json::Value) -> Result<T, E> {
    // Read from text: a `Value` hands numbers to a model's `#[serde(flatten)]` buffering as
    // floats (`0.0000001` would come back `1e-7`), integers past 64 bits as 128-bit ones it
    // refuses, and `-0` as `0`; from text, `arbitrary_precision` hands each over as its digits.
    let text = value.to_string();
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&text)).map_err(located)
}

/// An error inside a dispatched value, with the path within it (the outer path ends at the
/// value itself).
fn located<E: de::Error>(error: serde_path_to_error::Error<serde_json::Error>) -> E {
    match error.path().to_string().as_str() {
        "." => E::custom(error.inner()),
        path => E::custom(format_args!("at `{path}`: {}", error.inner())),
    }
}

/// Writes `value`, adding `"@odata.type": default_tag` when the value does not name its type.
#[doc(hidden)]
pub fn serialize_tagged<T: Serialize, S: Serializer>(
    value: &T,
    has_tag: bool,
    default_tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Tagged<'a, T> {
        #[serde(rename = "@odata.type")]
        tag: &'a str,
        #[serde(flatten)]
        value: &'a T,
    }

    if has_tag {
        value.serialize(serializer)
    } else {
        Tagged {
            tag: default_tag,
            value,
        }
        .serialize(serializer)
    }
}
