#[allow(unused_imports)]
use super::*;

/// `Edm.Binary` and `Edm.Stream` content: bytes, written in base64url (OData JSON Format 4.01
/// §7.1) or in base64.
///
/// A value read is written back in the form it came in: the base64url or the standard
/// alphabet, padded or not. A value made in Rust ([`Binary::new`], `From<Vec<u8>>`) is written
/// in base64url with padding. Text that is no base64 in either alphabet is a decode error at
/// its JSON path, never changed. Compares and hashes by its bytes.
#[derive(Clone, Debug, Default)]
pub struct Binary {
    bytes: Vec<u8>,
    form: BinaryForm,
}

/// How base64 text was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct BinaryForm {
    standard_alphabet: bool,
    unpadded: bool,
}

impl Binary {
    /// The bytes, written in base64url with padding.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Binary {
            bytes: bytes.into(),
            form: BinaryForm::default(),
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, without the form they were read in.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The base64 text, in the form read (or base64url with padding).
    pub fn to_base64(&self) -> String {
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
        use base64::Engine as _;
        match (self.form.standard_alphabet, self.form.unpadded) {
            (false, false) => URL_SAFE.encode(&self.bytes),
            (false, true) => URL_SAFE_NO_PAD.encode(&self.bytes),
            (true, false) => STANDARD.encode(&self.bytes),
            (true, true) => STANDARD_NO_PAD.encode(&self.bytes),
        }
    }

    /// Reads base64 text in either alphabet, padded (as it must be then) or not.
    ///
    /// # Errors
    /// A message when the text is no base64.
    pub fn from_base64(text: &str) -> Result<Self, String> {
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
        use base64::Engine as _;
        let unpadded = text.trim_end_matches('=');
        let padding = text.len() - unpadded.len();
        // Padding, when there is any, makes the text a multiple of 4 long, with at most two `=`.
        if padding > 2 || (padding > 0 && text.len() % 4 != 0) {
            return Err(format!("`{}` is no base64: its padding does not fit its length", super::clipped(text)));
        }
        let standard_alphabet = unpadded.contains(['+', '/']);
        let engine = if standard_alphabet { &STANDARD_NO_PAD } else { &URL_SAFE_NO_PAD };
        let bytes = engine
            .decode(unpadded)
            .map_err(|e| format!("`{}` is no base64 (in the base64url or the standard alphabet): {e}", super::clipped(text)))?;
        Ok(Binary {
            bytes,
            form: BinaryForm {
                standard_alphabet,
                unpadded: padding == 0 && unpadded.len() % 4 != 0,
            },
        })
    }
}

impl PartialEq for Binary {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for Binary {}

impl std::hash::Hash for Binary {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl std::ops::Deref for Binary {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::new(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Binary::new(bytes)
    }
}

impl AsRef<[u8]> for Binary {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Binary::from_base64(&text).map_err(de::Error::custom)
    }
}

impl Json for Binary {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let text = String::read_json(text).map_err(|_| expected("base64 text", text))?;
        Binary::from_base64(&text).map_err(JsonError::new)
    }

    fn write_json(&self, out: &mut Writer) {
        out.string(&self.to_base64());
    }
}

/// An `Edm.Guid`, kept as the text it was read with (upper case, say), written back so; a value
/// made from a [`uuid::Uuid`] is written in lower case. It derefs to the `Uuid`, and compares
/// and hashes by value.
#[derive(Clone, Copy, Debug, Default)]
pub struct Guid {
    value: uuid::Uuid,
    /// The text read (36 ASCII characters), when it is not the lower-case form.
    text: Option<[u8; 36]>,
}

impl Guid {
    /// The value.
    pub fn value(&self) -> uuid::Uuid {
        self.value
    }
}

impl std::ops::Deref for Guid {
    type Target = uuid::Uuid;

    fn deref(&self) -> &uuid::Uuid {
        &self.value
    }
}

impl From<uuid::Uuid> for Guid {
    fn from(value: uuid::Uuid) -> Self {
        Guid { value, text: None }
    }
}

impl From<Guid> for uuid::Uuid {
    fn from(value: Guid) -> Self {
        value.value
    }
}

impl PartialEq for Guid {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Guid {}

impl PartialEq<uuid::Uuid> for Guid {
    fn eq(&self, other: &uuid::Uuid) -> bool {
        self.value == *other
    }
}

impl std::hash::Hash for Guid {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl PartialOrd for Guid {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Guid {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text.as_ref().and_then(|text| std::str::from_utf8(text).ok()) {
            Some(text) => f.write_str(text),
            None => write!(f, "{}", self.value.hyphenated()),
        }
    }
}

impl FromStr for Guid {
    type Err = String;

    /// The OData form, `8-4-4-4-12` hexadecimal digits, in either case.
    fn from_str(text: &str) -> Result<Self, String> {
        let hyphens: Vec<usize> = text.match_indices('-').map(|(i, _)| i).collect();
        let value = uuid::Uuid::parse_str(text)
            .ok()
            .filter(|_| text.len() == 36 && hyphens == [8, 13, 18, 23])
            .ok_or_else(|| format!("`{}` is not an Edm.Guid (8-4-4-4-12 hexadecimal digits)", super::clipped(text)))?;
        let text = text
            .bytes()
            .any(|b| b.is_ascii_uppercase())
            .then(|| text.as_bytes().try_into().ok())
            .flatten();
        Ok(Guid { value, text })
    }
}

impl Serialize for Guid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Guid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

impl Json for Guid {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let text = String::read_json(text).map_err(|_| expected("an Edm.Guid string", text))?;
        text.parse().map_err(JsonError::new)
    }

    fn write_json(&self, out: &mut Writer) {
        out.string(&self.to_string());
    }
}
