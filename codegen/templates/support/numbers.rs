#[allow(unused_imports)]
use super::*;

/// The JSON text of a number or string, as read: `(text, quoted)`. Numbers keep every digit they
/// were written with (the crate builds serde_json with `arbitrary_precision`).
fn number_text<'de, D: Deserializer<'de>>(deserializer: D, expecting: &str) -> Result<(String, bool), D::Error> {
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Number(number) => Ok((number.to_string(), false)),
        serde_json::Value::String(text) => Ok((text, true)),
        other => Err(de::Error::invalid_type(unexpected(&other), &expecting)),
    }
}

fn unexpected(value: &serde_json::Value) -> de::Unexpected<'_> {
    match value {
        serde_json::Value::Null => de::Unexpected::Unit,
        serde_json::Value::Bool(b) => de::Unexpected::Bool(*b),
        serde_json::Value::Number(_) => de::Unexpected::Other("number"),
        serde_json::Value::String(s) => de::Unexpected::Str(s),
        serde_json::Value::Array(_) => de::Unexpected::Seq,
        serde_json::Value::Object(_) => de::Unexpected::Map,
    }
}

/// Writes number text as a JSON number, digit for digit, or as a string when it was read as one
/// (or is no JSON number, such as `NaN`).
fn write_number_text<S: Serializer>(text: &str, quoted: bool, serializer: S) -> Result<S::Ok, S::Error> {
    if !quoted {
        if let Ok(number) = text.parse::<serde_json::Number>() {
            return number.serialize(serializer);
        }
    }
    serializer.serialize_str(text)
}

/// How a number was written, kept when writing its value would not give the same JSON back:
/// other digits (`1.10`, `1e3`, `-0`) or the string form of `IEEE754Compatible=true`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Written {
    text: Box<str>,
    quoted: bool,
}

impl Written {
    /// The form read, unless it is exactly what `canonical` writes.
    fn keep(text: String, quoted: bool, canonical: &str) -> Option<Written> {
        (quoted || text != canonical).then(|| Written {
            text: text.into(),
            quoted,
        })
    }
}

/// An `Edm.Int64`: an `i64`, and the form it was read in.
///
/// A service writes it as a JSON number, or as a string (`"9007199254740993"`) when the
/// client asked for `IEEE754Compatible=true`; a value is written back in the form it was read.
/// Values made from an `i64` are written as numbers ([`Int64::string`] for the string form).
/// It compares, hashes and orders by value, and derefs to the `i64`.
#[derive(Clone, Debug, Default)]
pub struct Int64 {
    value: i64,
    written: Option<Written>,
}

impl Int64 {
    /// A value, written as a JSON number.
    pub const fn new(value: i64) -> Self {
        Int64 { value, written: None }
    }

    /// A value written as a JSON string (the `IEEE754Compatible=true` form).
    pub fn string(value: i64) -> Self {
        Int64 {
            value,
            written: Some(Written { text: value.to_string().into(), quoted: true }),
        }
    }

    /// The value.
    pub const fn value(&self) -> i64 {
        self.value
    }

    /// Whether the value is written as a JSON string.
    pub fn is_string(&self) -> bool {
        self.written.as_ref().is_some_and(|w| w.quoted)
    }
}

impl std::ops::Deref for Int64 {
    type Target = i64;

    fn deref(&self) -> &i64 {
        &self.value
    }
}

/// Only from `i64`, so that an integer literal (`Int64::from(9007199254740993)`, or a key or
/// parameter `by_id(42)`) is an `i64`.
impl From<i64> for Int64 {
    fn from(value: i64) -> Self {
        Int64::new(value)
    }
}

impl From<Int64> for i64 {
    fn from(value: Int64) -> Self {
        value.value
    }
}

impl PartialEq for Int64 {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Int64 {}

impl PartialEq<i64> for Int64 {
    fn eq(&self, other: &i64) -> bool {
        self.value == *other
    }
}

impl std::hash::Hash for Int64 {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl PartialOrd for Int64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Int64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl fmt::Display for Int64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl Serialize for Int64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.written {
            Some(written) => write_number_text(&written.text, written.quoted, serializer),
            None => serializer.serialize_i64(self.value),
        }
    }
}

impl Int64 {
    const EXPECTING: &'static str = "an Edm.Int64 number or numeric string";

    /// From the text of a JSON number, or of a string when `quoted`.
    fn from_text(text: String, quoted: bool) -> Result<Self, String> {
        let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
        let value = match text.parse::<i64>() {
            Ok(value) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => value,
            _ => return Err(text),
        };
        let written = Written::keep(text, quoted, &value.to_string());
        Ok(Int64 { value, written })
    }
}

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (text, quoted) = number_text(deserializer, Self::EXPECTING)?;
        Self::from_text(text, quoted).map_err(|text| de::Error::invalid_value(de::Unexpected::Str(&text), &Self::EXPECTING))
    }
}

impl Json for Int64 {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let (number, quoted) = json_number_text(text, Self::EXPECTING)?;
        Self::from_text(number, quoted).map_err(|text| JsonError::new(format!("`{text}` is not {}", Self::EXPECTING)))
    }

    fn write_json(&self, out: &mut Writer) {
        match &self.written {
            Some(written) => write_json_number(out, &written.text, written.quoted),
            None => out.raw(&self.value.to_string()),
        }
    }
}

/// The text of a JSON number as written (every digit, the exponent as spelled), or of a string
/// (the `IEEE754Compatible=true` form, `NaN`, `INF`): `(text, quoted)`.
fn json_number_text(text: &str, expecting: &str) -> Result<(String, bool), JsonError> {
    match text.as_bytes().first() {
        Some(b'"') => Ok((String::read_json(text)?, true)),
        Some(b'-' | b'0'..=b'9') => Ok((text.to_owned(), false)),
        _ => Err(expected(expecting, text)),
    }
}

/// Writes number text as a JSON number, digit for digit, or as a string when it was read as one
/// (or is no JSON number, such as `NaN`).
fn write_json_number(out: &mut Writer, text: &str, quoted: bool) {
    if !quoted && is_decimal_text(text) && !text.starts_with('+') {
        out.raw(text);
    } else {
        out.string(text);
    }
}

/// Whether `text` is a number OData writes bare or in a string: `[sign] digits [. digits] [e [sign] digits]`.
fn is_decimal_text(text: &str) -> bool {
    let text = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent.strip_prefix(['+', '-']).unwrap_or(exponent))),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits) && exponent.is_none_or(digits)
}

macro_rules! float_type {
    ($name:ident, $float:ty, $edm:literal, $write:ident) => {
        #[doc = concat!("An `", $edm, "`: a number, or the strings `NaN`, `INF` and `-INF` that OData uses for the values JSON cannot write.")]
        ///
        /// The value is a float; the text it was read with is kept as well, so a value is
        /// written back digit for digit (`1.10`, `1e3`, more digits than the float holds) and
        /// in the form it came in (a number, or a string). Values made from a float are
        /// written in the shortest form that reads back as the same float (whole numbers
        /// without a fraction). It compares and orders by value, and derefs to the float.
        #[derive(Clone, Debug, Default)]
        pub struct $name {
            value: $float,
            written: Option<Written>,
        }

        impl $name {
            /// A value, written in the shortest form that reads back as it.
            pub const fn new(value: $float) -> Self {
                $name { value, written: None }
            }

            /// The value.
            pub const fn value(&self) -> $float {
                self.value
            }

            /// The JSON text the value was read with, when writing the value alone would
            /// give other text.
            pub fn read_text(&self) -> Option<&str> {
                self.written.as_ref().map(|w| &*w.text)
            }

            /// What a value without a kept text is written as: a special value's name, or
            /// the shortest number.
            fn canonical(value: $float) -> (String, bool) {
                if value.is_nan() {
                    ("NaN".to_owned(), true)
                } else if value.is_infinite() {
                    ((if value > 0.0 { "INF" } else { "-INF" }).to_owned(), true)
                } else if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
                    // Whole numbers are written as integers, as services write them.
                    ((value as i64).to_string(), false)
                } else {
                    (serde_json::to_string(&value).unwrap_or_default(), false)
                }
            }
        }

        impl std::ops::Deref for $name {
            type Target = $float;

            fn deref(&self) -> &$float {
                &self.value
            }
        }

        impl From<$float> for $name {
            fn from(value: $float) -> Self {
                $name::new(value)
            }
        }

        impl From<$name> for $float {
            fn from(value: $name) -> Self {
                value.value
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.value == other.value
            }
        }

        impl PartialEq<$float> for $name {
            fn eq(&self, other: &$float) -> bool {
                self.value == *other
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                self.value.partial_cmp(&other.value)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match &self.written {
                    Some(written) => f.write_str(&written.text),
                    None => f.write_str(&Self::canonical(self.value).0),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let value = self.value;
                match &self.written {
                    Some(written) => write_number_text(&written.text, written.quoted, serializer),
                    None if value.is_nan() || value.is_infinite() => {
                        serializer.serialize_str(&Self::canonical(value).0)
                    }
                    None if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 => {
                        serializer.serialize_i64(value as i64)
                    }
                    None => serializer.$write(value),
                }
            }
        }

        impl $name {
            const EXPECTING: &'static str = concat!("an ", $edm, " number or NaN, INF, -INF");

            /// From the text of a JSON number, or of a string when `quoted`.
            fn from_text(text: String, quoted: bool) -> Result<Self, String> {
                let value = match text.as_str() {
                    "NaN" => <$float>::NAN,
                    "INF" => <$float>::INFINITY,
                    "-INF" => <$float>::NEG_INFINITY,
                    number if is_decimal_text(number) => match number.parse() {
                        Ok(value) => value,
                        Err(_) => return Err(text),
                    },
                    _ => return Err(text),
                };
                let (canonical, canonical_quoted) = Self::canonical(value);
                let written = (quoted != canonical_quoted || text != canonical)
                    .then(|| Written { text: text.into(), quoted });
                Ok($name { value, written })
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let (text, quoted) = number_text(deserializer, Self::EXPECTING)?;
                Self::from_text(text, quoted)
                    .map_err(|text| de::Error::invalid_value(de::Unexpected::Str(&text), &Self::EXPECTING))
            }
        }

        impl Json for $name {
            fn read_json(text: &str) -> Result<Self, JsonError> {
                let (number, quoted) = json_number_text(text, Self::EXPECTING)?;
                Self::from_text(number, quoted)
                    .map_err(|text| JsonError::new(format!("`{text}` is not {}", Self::EXPECTING)))
            }

            fn write_json(&self, out: &mut Writer) {
                match &self.written {
                    Some(written) => write_json_number(out, &written.text, written.quoted),
                    None => {
                        let (text, quoted) = Self::canonical(self.value);
                        write_json_number(out, &text, quoted);
                    }
                }
            }
        }
    };
}

float_type!(Double, f64, "Edm.Double", serialize_f64);
float_type!(Single, f32, "Edm.Single", serialize_f32);

/// An `Edm.Decimal`, kept as the text it was read with: every digit, at any precision.
///
/// Read from a JSON number or a string (the `IEEE754Compatible=true` form, and `NaN`, `INF`,
/// `-INF`), and written back as it was read. [`Decimal::to_decimal`] gives the value as a
/// `rust_decimal::Decimal` when it fits (28 significant digits). Values made from a
/// `rust_decimal::Decimal` or an integer are written as JSON numbers ([`Decimal::string`]
/// for the string form). Two values are equal when their text is, or when both fit a
/// `rust_decimal::Decimal` of the same value (`1.5` equals `1.50`).
#[derive(Clone, Debug)]
pub struct Decimal {
    text: Box<str>,
    quoted: bool,
}

impl Default for Decimal {
    fn default() -> Self {
        Decimal { text: "0".into(), quoted: false }
    }
}

/// Why a text is not an `Edm.Decimal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecimalError(String);

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an Edm.Decimal ([sign] digits [. digits] [e [sign] digits], NaN, INF or -INF)", self.0)
    }
}

impl std::error::Error for DecimalError {}

impl Decimal {
    /// The number as text, exactly as it was read (or made).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value, when it fits a `rust_decimal::Decimal` (28 significant digits) and is a number.
    pub fn to_decimal(&self) -> Option<rust_decimal::Decimal> {
        rust_decimal::Decimal::from_str_exact(&self.text)
            .or_else(|_| rust_decimal::Decimal::from_scientific(&self.text))
            .ok()
    }

    /// Whether the value is written as a JSON string.
    pub fn is_string(&self) -> bool {
        self.quoted
    }

    /// The same number, written as a JSON string (the `IEEE754Compatible=true` form).
    pub fn string(self) -> Self {
        Decimal { quoted: true, ..self }
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;

    /// A number in the OData form; it is written as a JSON number (`NaN`, `INF` and `-INF` as strings).
    fn from_str(text: &str) -> Result<Self, DecimalError> {
        let special = matches!(text, "NaN" | "INF" | "-INF");
        if !special && !is_decimal_text(text) {
            return Err(DecimalError(text.to_owned()));
        }
        Ok(Decimal { text: text.into(), quoted: special })
    }
}

impl From<rust_decimal::Decimal> for Decimal {
    fn from(value: rust_decimal::Decimal) -> Self {
        Decimal { text: value.to_string().into(), quoted: false }
    }
}

impl From<i64> for Decimal {
    fn from(value: i64) -> Self {
        Decimal { text: value.to_string().into(), quoted: false }
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            || matches!((self.to_decimal(), other.to_decimal()), (Some(a), Some(b)) if a == b)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_number_text(&self.text, self.quoted, serializer)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const EXPECTING: &str = "an Edm.Decimal number or numeric string";
        let (text, quoted) = number_text(deserializer, EXPECTING)?;
        let mut decimal: Decimal = text
            .parse()
            .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(&text), &EXPECTING))?;
        decimal.quoted = quoted;
        Ok(decimal)
    }
}

impl Json for Decimal {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let (number, quoted) = json_number_text(text, "an Edm.Decimal number or numeric string")?;
        let mut decimal: Decimal = number.parse().map_err(|e: DecimalError| JsonError::new(e.to_string()))?;
        decimal.quoted = quoted;
        Ok(decimal)
    }

    fn write_json(&self, out: &mut Writer) {
        write_json_number(out, &self.text, self.quoted);
    }
}
