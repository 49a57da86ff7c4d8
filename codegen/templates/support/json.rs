//! Reading and writing the crate's values as JSON text, on one path the crate controls: a
//! value reads from its JSON text and writes its JSON text, without a serde visitor per type
//! and per deserializer. An object is split into its members once (serde_json checks the
//! text), and each member is read from its own text, so a number keeps the digits and the
//! exponent it was written with, and an error names its JSON path (`value[2].priority`).
//! The serde impls of generated types go through here.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// Why JSON text does not read as a value: where (a JSON path) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// The path from the outermost value, innermost last.
    path: Vec<Segment>,
    message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Member(String),
    Index(usize),
}

impl JsonError {
    /// An error at the value being read.
    pub fn new(message: impl Into<String>) -> Self {
        JsonError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    /// The same error, inside member `name` of the object being read.
    pub fn in_member(mut self, name: &str) -> Self {
        self.path.insert(0, Segment::Member(name.to_owned()));
        self
    }

    /// The same error, inside item `index` of the array being read.
    pub fn in_item(mut self, index: usize) -> Self {
        self.path.insert(0, Segment::Index(index));
        self
    }

    /// The JSON path, as `value[2].priority` (empty for the outermost value).
    pub fn path(&self) -> String {
        let mut path = String::new();
        for segment in &self.path {
            match segment {
                Segment::Member(name) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                }
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        path
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path() {
            path if path.is_empty() => f.write_str(&self.message),
            path => write!(f, "at `{path}`: {}", self.message),
        }
    }
}

impl std::error::Error for JsonError {}

/// A value the crate reads from and writes as JSON text. Every generated type implements it,
/// as do the runtime's types and the std types the models use.
pub trait Json: Sized {
    /// Reads the value from the JSON text of one value (already checked to be JSON).
    ///
    /// # Errors
    /// A [`JsonError`] at the JSON path of what does not fit.
    fn read_json(text: &str) -> Result<Self, JsonError>;

    /// Writes the value's JSON text.
    fn write_json(&self, out: &mut Writer);

    /// Whether the value is left out of the object that holds it (an absent `Nullable`, a
    /// `None` option): members that are absent are not written.
    fn is_absent(&self) -> bool {
        false
    }
}

/// The members of a JSON object, each with its value's text, in the order written.
pub type Members<'a> = Vec<(Cow<'a, str>, &'a str)>;

/// Reads a value from a whole JSON text (what a service answered).
///
/// # Errors
/// A [`JsonError`]: the text is not JSON, or does not fit.
pub fn from_json<T: Json>(text: &str) -> Result<T, JsonError> {
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| JsonError::new(e.to_string()))?;
    T::read_json(raw.get())
}

/// A value's JSON text.
pub fn to_json<T: Json>(value: &T) -> String {
    let mut writer = Writer::default();
    value.write_json(&mut writer);
    writer.into_string()
}

/// What a value's text is, as serde names it in messages: `string "many"`, `map`, `null`.
fn unexpected(text: &str) -> String {
    match text.as_bytes().first() {
        Some(b'{') => "map".to_owned(),
        Some(b'[') => "sequence".to_owned(),
        Some(b'"') => format!("string {}", super::clipped(text)),
        Some(b't' | b'f') => format!("boolean `{text}`"),
        Some(b'n') => "null".to_owned(),
        _ => format!("number `{}`", super::clipped(text)),
    }
}

/// The error for a value of the wrong kind, worded as serde words it.
pub fn expected(what: &str, text: &str) -> JsonError {
    JsonError::new(format!("invalid type: {}, expected {what}", unexpected(text)))
}

/// The members of an object's text.
///
/// # Errors
/// A [`JsonError`] when the text is no object.
pub fn members(text: &str) -> Result<Members<'_>, JsonError> {
    struct Object;

    impl<'de> Visitor<'de> for Object {
        type Value = Members<'de>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
            while let Some(Key(key)) = map.next_key()? {
                let value: &'de RawValue = map.next_value()?;
                members.push((key, value.get()));
            }
            Ok(members)
        }
    }

    if !text.starts_with('{') {
        return Err(expected("an object", text));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    deserializer
        .deserialize_map(Object)
        .map_err(|e| JsonError::new(e.to_string()))
}

/// An object's key, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;

        impl<'de> Visitor<'de> for Text {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(text)))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text.to_owned())))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text)))
            }
        }

        deserializer.deserialize_str(Text)
    }
}

/// The items of an array's text.
///
/// # Errors
/// A [`JsonError`] when the text is no array.
pub fn items(text: &str) -> Result<Vec<&str>, JsonError> {
    struct Array;

    impl<'de> Visitor<'de> for Array {
        type Value = Vec<&'de str>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(8));
            while let Some(item) = seq.next_element::<&'de RawValue>()? {
                items.push(item.get());
            }
            Ok(items)
        }
    }

    if !text.starts_with('[') {
        return Err(expected("an array", text));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    deserializer
        .deserialize_seq(Array)
        .map_err(|e| JsonError::new(e.to_string()))
}

/// Reads member `name` of an object as `T`.
///
/// # Errors
/// `T`'s error, inside the member.
pub fn read_member<T: Json>(name: &str, text: &str) -> Result<T, JsonError> {
    T::read_json(text).map_err(|e| e.in_member(name))
}

/// Reads member `name` into a property the metadata says is never null (an `Option`): a `null`
/// a service sends anyway is kept among the undeclared members, so that it is written back as
/// it came, and the property stays `None`.
///
/// # Errors
/// `T`'s error, inside the member.
pub fn read_required<T: Json>(
    slot: &mut Option<T>,
    name: &str,
    text: &str,
    additional: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<(), JsonError> {
    if text == "null" {
        additional.insert(name.to_owned(), serde_json::Value::Null);
        *slot = None;
    } else {
        *slot = Some(read_member(name, text)?);
    }
    Ok(())
}

/// Keeps a member the type does not declare, as JSON.
///
/// # Errors
/// When its text is not JSON (it always is, as the object was read).
pub fn read_additional(
    additional: &mut serde_json::Map<String, serde_json::Value>,
    name: Cow<'_, str>,
    text: &str,
) -> Result<(), JsonError> {
    let value = serde_json::from_str(text).map_err(|e| JsonError::new(e.to_string()).in_member(&name))?;
    additional.insert(name.into_owned(), value);
    Ok(())
}

/// Where JSON text is written.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// The text written.
    pub fn into_string(self) -> String {
        self.out
    }

    /// Writes JSON text as it is (a number's digits, a value's whole text).
    pub fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// Writes a JSON string.
    pub fn string(&mut self, text: &str) {
        self.out.reserve(text.len() + 2);
        self.out.push('"');
        for c in text.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{08}' => self.out.push_str("\\b"),
                '\u{0c}' => self.out.push_str("\\f"),
                c if (c as u32) < 0x20 => self.out.push_str(&format!("\\u{:04x}", c as u32)),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    /// Writes any JSON value (undeclared members, `Edm.Untyped`).
    pub fn value(&mut self, value: &serde_json::Value) {
        // A `Value` writes with serde_json; its numbers keep their digits (`arbitrary_precision`).
        self.out.push_str(&value.to_string());
    }

    /// Starts an object: write its members, then [`Object::end`].
    pub fn object(&mut self) -> Object<'_> {
        self.out.push('{');
        Object {
            writer: self,
            first: true,
            written: Vec::new(),
        }
    }

    /// Writes an array of `items`.
    pub fn array<'a, T: Json + 'a>(&mut self, items: impl IntoIterator<Item = Option<&'a T>>) {
        self.out.push('[');
        for (index, item) in items.into_iter().enumerate() {
            if index > 0 {
                self.out.push(',');
            }
            match item {
                Some(item) => item.write_json(self),
                None => self.out.push_str("null"),
            }
        }
        self.out.push(']');
    }
}

/// An object being written: its members in order, then the undeclared ones.
pub struct Object<'w> {
    writer: &'w mut Writer,
    first: bool,
    /// The declared members written, which an undeclared one of the same name must not repeat.
    written: Vec<&'static str>,
}

impl Object<'_> {
    fn key(&mut self, name: &str) {
        if !self.first {
            self.writer.out.push(',');
        }
        self.first = false;
        self.writer.string(name);
        self.writer.out.push(':');
    }

    /// Writes a declared member, unless its value is absent.
    pub fn member<T: Json>(&mut self, name: &'static str, value: &T) {
        if value.is_absent() {
            return;
        }
        self.key(name);
        value.write_json(self.writer);
        self.written.push(name);
    }

    /// Writes a declared member whose value `write` writes (a value written in pieces, such as
    /// a page's entries with its removals among them).
    pub fn member_with(&mut self, name: &'static str, write: impl FnOnce(&mut Writer)) {
        self.key(name);
        write(self.writer);
        self.written.push(name);
    }

    /// Writes `"@odata.type": tag` (`#ns.Type`), for a value that does not name its type itself.
    pub fn tag(&mut self, tag: &str) {
        self.key("@odata.type");
        self.writer.string(tag);
        self.written.push("@odata.type");
    }

    /// Writes the undeclared members (and annotations) kept with a value, but those a
    /// declared member of the same name was written for.
    pub fn additional(&mut self, members: &serde_json::Map<String, serde_json::Value>) {
        for (name, value) in members {
            if self.written.contains(&name.as_str()) {
                continue;
            }
            self.key(name);
            self.writer.value(value);
        }
    }

    /// Ends the object.
    pub fn end(self) {
        self.writer.out.push('}');
    }
}

/// Serializes a value through its JSON text: with serde_json (`to_string`, `to_value`, a
/// `json!` macro) the text goes in as it is.
///
/// # Errors
/// The serializer's.
#[doc(hidden)]
pub fn serialize_json<T: Json, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    let raw = RawValue::from_string(to_json(value)).map_err(serde::ser::Error::custom)?;
    raw.serialize(serializer)
}

/// Deserializes a value through its JSON text: with serde_json (`from_str`, `from_slice`,
/// `from_value`, and inside other types read with them).
///
/// # Errors
/// The deserializer's, or the value's [`JsonError`] with its path.
#[doc(hidden)]
pub fn deserialize_json<'de, T: Json, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    T::read_json(raw.get()).map_err(de::Error::custom)
}

macro_rules! json_through_serde {
    ($($ty:ty: $what:literal),* $(,)?) => {$(
        impl Json for $ty {
            fn read_json(text: &str) -> Result<Self, JsonError> {
                serde_json::from_str(text).map_err(|_| expected($what, text))
            }

            fn write_json(&self, out: &mut Writer) {
                out.raw(&serde_json::to_string(self).unwrap_or_default());
            }
        }
    )*};
}

json_through_serde!(
    bool: "a boolean",
    u8: "an Edm.Byte (0 to 255)",
    i8: "an Edm.SByte (-128 to 127)",
    i16: "an Edm.Int16",
    i32: "an Edm.Int32",
    i64: "an integer",
    u64: "an integer",
    f64: "a number",
);

impl Json for String {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        if !text.starts_with('"') {
            return Err(expected("a string", text));
        }
        serde_json::from_str(text).map_err(|e| JsonError::new(e.to_string()))
    }

    fn write_json(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl Json for serde_json::Value {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        serde_json::from_str(text).map_err(|e| JsonError::new(e.to_string()))
    }

    fn write_json(&self, out: &mut Writer) {
        out.value(self);
    }
}

impl Json for chrono::NaiveDate {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let date = String::read_json(text).map_err(|_| expected("an Edm.Date string", text))?;
        chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|_| JsonError::new(format!("`{date}` is not an Edm.Date (YYYY-MM-DD)")))
    }

    fn write_json(&self, out: &mut Writer) {
        out.string(&self.format("%Y-%m-%d").to_string());
    }
}

impl<T: Json> Json for Option<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        match text {
            "null" => Ok(None),
            text => T::read_json(text).map(Some),
        }
    }

    fn write_json(&self, out: &mut Writer) {
        match self {
            Some(value) => value.write_json(out),
            None => out.raw("null"),
        }
    }

    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: Json> Json for Box<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        T::read_json(text).map(Box::new)
    }

    fn write_json(&self, out: &mut Writer) {
        (**self).write_json(out);
    }

    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl<T: Json> Json for Vec<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        items(text)?
            .into_iter()
            .enumerate()
            .map(|(index, item)| T::read_json(item).map_err(|e| e.in_item(index)))
            .collect()
    }

    fn write_json(&self, out: &mut Writer) {
        out.array(self.iter().map(Some));
    }
}
