use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// A property that may be absent, explicitly `null`, or set.
///
/// Absent properties are not serialized (a `PATCH` leaves them alone); `Null` is written as
/// JSON `null` (a `PATCH` clears the value). Convert a value with `.into()`:
/// `model.description = "text".to_owned().into();`, and clear it with `Nullable::Null`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not present in the JSON object.
    #[default]
    Absent,
    /// Present as JSON `null`.
    Null,
    /// Present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is absent (and will not be serialized).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, if there is one; absent and `null` both become `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// `Some` becomes a value, `None` an explicit `null`.
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }

    /// The value changed by `f`; absent and `null` stay as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }

    /// A `Nullable` of a reference to the value.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `"text".into()` where a nullable string is expected.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

/// `From` impls for a dispatch enum, and for the `Option` and `Nullable` fields that hold
/// one, so that a derived value (or a narrower dispatch enum) is one `.into()` wherever its
/// base is expected. `std` has `From<T> for Option<T>`, and a blanket `From<U: Into<T>>`
/// would overlap it, so each pair is spelled out. Paths are below `crate`.
///
/// - `dispatch_from!(ns::Derived => AnyBase::Variant);`: a value of a type, as a variant.
/// - `dispatch_from!(AnyMiddle => ns::AnyBase { From => To, ... });`: a narrower dispatch enum,
///   variant by variant.
// A crate without polymorphic types has no use for it.
#[allow(unused_macros)]
macro_rules! dispatch_from {
    ($($source:ident)::+ => $target:ident :: $variant:ident) => {
        $crate::support::dispatch_from!(@impls crate::$($source)::+ => $target, |value| {
            $target::$variant(::std::boxed::Box::new(value))
        });
    };
    ($source:ident => $($target:ident)::+ { $($(#[$attr:meta])* $from:ident => $to:ident),* $(,)? }) => {
        $crate::support::dispatch_from!(@impls $source => crate::$($target)::+, |value| {
            match value {
                $($(#[$attr])* $source::$from(v) => Self::$to(v),)*
            }
        });
    };
    (@impls $source:ty => $target:ty, |$value:ident| $convert:expr) => {
        impl ::std::convert::From<$source> for $target {
            fn from($value: $source) -> Self {
                $convert
            }
        }

        impl ::std::convert::From<$source> for ::std::option::Option<$target> {
            fn from(value: $source) -> Self {
                ::std::option::Option::Some(<$target as ::std::convert::From<$source>>::from(value))
            }
        }

        impl ::std::convert::From<$source> for crate::support::Nullable<$target> {
            fn from(value: $source) -> Self {
                crate::support::Nullable::Value(<$target as ::std::convert::From<$source>>::from(value))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use dispatch_from;

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from_option)
    }
}

/// The members set in a flags enum value, written as `"a,b,c"`.
///
/// The order in which members were read is kept, so a value serializes as it was received.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flags<T>(Vec<T>);

impl<T> Default for Flags<T> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<T: PartialEq> Flags<T> {
    /// No members set.
    pub fn new() -> Self {
        Flags(Vec::new())
    }

    /// Sets a member; returns false if it was set already.
    pub fn insert(&mut self, member: T) -> bool {
        if self.0.contains(&member) {
            return false;
        }
        self.0.push(member);
        true
    }

    /// Clears a member; returns whether it was set.
    pub fn remove(&mut self, member: &T) -> bool {
        let before = self.0.len();
        self.0.retain(|m| m != member);
        self.0.len() != before
    }

    /// Whether a member is set.
    pub fn contains(&self, member: &T) -> bool {
        self.0.contains(member)
    }

    /// The members set, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// How many members are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no member is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: PartialEq> FromIterator<T> for Flags<T> {
    fn from_iter<I: IntoIterator<Item = T>>(members: I) -> Self {
        let mut flags = Flags::new();
        for member in members {
            flags.insert(member);
        }
        flags
    }
}

impl<T> IntoIterator for Flags<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<T: fmt::Display> fmt::Display for Flags<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, member) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            member.fmt(f)?;
        }
        Ok(())
    }
}

impl<T: fmt::Display> Serialize for Flags<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, T: EnumType + PartialEq> Deserialize<'de> for Flags<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let mut flags = Flags::new();
        for part in text.split(',').map(str::trim).filter(|member| !member.is_empty()) {
            for member in parse_flags_part::<T>(part) {
                flags.insert(member);
            }
        }
        Ok(flags)
    }
}

/// One part of a flags value: a member's name, or a number (OData ABNF `enumMemberValue`), the
/// member of that value or, when no member has it, the members whose bits make it up (`"3"` is
/// `read,write` when those are 1 and 2); a number they do not make up is kept as read.
fn parse_flags_part<T: EnumType>(part: &str) -> Vec<T> {
    let Ok(number) = part.parse::<i64>() else {
        return vec![parse_enum(part)];
    };
    if let Some(index) = T::MEMBERS.iter().position(|(_, value)| *value == number) {
        return vec![T::member(index)];
    }
    let bits: Vec<usize> = (0..T::MEMBERS.len())
        .filter(|&i| {
            let value = T::MEMBERS[i].1;
            value > 0 && value & (value - 1) == 0 && number & value == value
        })
        .collect();
    let covered = bits.iter().fold(0, |all, &i| all | T::MEMBERS[i].1);
    if number > 0 && covered == number {
        bits.into_iter().map(T::member).collect()
    } else {
        vec![T::other(part.to_owned())]
    }
}

/// A generated enumeration type: its members as the metadata declares them (wire name and
/// numeric value, in order), and the values the crate does not know, kept as read. Every
/// generated enum implements it; its `as_str`, `value`, parsing and serde go through it.
pub trait EnumType: Sized + Clone + 'static {
    /// The members' wire names and values, in the metadata's order.
    const MEMBERS: &'static [(&'static str, i64)];

    /// The known members, in the order of [`EnumType::MEMBERS`].
    const ALL: &'static [Self];

    /// The member at `index` of [`EnumType::MEMBERS`].
    fn member(index: usize) -> Self {
        Self::ALL[index].clone()
    }

    /// A value the crate does not know, kept as `text`.
    fn other(text: String) -> Self;

    /// The value's index in [`EnumType::MEMBERS`], or the text of a value the crate does not
    /// know.
    fn index(&self) -> Result<usize, &str>;
}

/// The wire name of an enum value: its member's, or the text it was read with.
#[doc(hidden)]
pub fn enum_as_str<E: EnumType>(value: &E) -> &str {
    match value.index() {
        Ok(index) => E::MEMBERS[index].0,
        Err(text) => text,
    }
}

/// The numeric value of a known member.
#[doc(hidden)]
pub fn enum_value<E: EnumType>(value: &E) -> Option<i64> {
    value.index().ok().map(|index| E::MEMBERS[index].1)
}

/// An enum value from its text: a member's name; else a number, the member of that value
/// (OData ABNF `enumMemberValue`, which JSON Format 4.01 §7.1 allows: `"2"`); else a value the
/// crate does not know, kept as read.
#[doc(hidden)]
pub fn parse_enum<E: EnumType>(text: &str) -> E {
    if let Some(index) = E::MEMBERS.iter().position(|(name, _)| *name == text) {
        return E::member(index);
    }
    let by_value = text
        .parse::<i64>()
        .ok()
        .and_then(|number| E::MEMBERS.iter().position(|(_, value)| *value == number));
    match by_value {
        Some(index) => E::member(index),
        None => E::other(text.to_owned()),
    }
}

/// Reads an enum value from its JSON string (see [`parse_enum`]).
#[doc(hidden)]
pub fn deserialize_enum<'de, E: EnumType, D: Deserializer<'de>>(deserializer: D) -> Result<E, D::Error> {
    struct Text<E>(std::marker::PhantomData<E>);

    impl<E: EnumType> de::Visitor<'_> for Text<E> {
        type Value = E;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enumeration member as a string")
        }

        fn visit_str<X: de::Error>(self, text: &str) -> Result<E, X> {
            Ok(parse_enum(text))
        }
    }

    deserializer.deserialize_str(Text(std::marker::PhantomData))
}

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

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const EXPECTING: &str = "an Edm.Int64 number or numeric string";
        let (text, quoted) = number_text(deserializer, EXPECTING)?;
        let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
        let value = match text.parse::<i64>() {
            Ok(value) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => value,
            _ => return Err(de::Error::invalid_value(de::Unexpected::Str(&text), &EXPECTING)),
        };
        let written = Written::keep(text, quoted, &value.to_string());
        Ok(Int64 { value, written })
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

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const EXPECTING: &str = concat!("an ", $edm, " number or NaN, INF, -INF");
                let (text, quoted) = number_text(deserializer, EXPECTING)?;
                let value = match text.as_str() {
                    "NaN" => <$float>::NAN,
                    "INF" => <$float>::INFINITY,
                    "-INF" => <$float>::NEG_INFINITY,
                    number if is_decimal_text(number) => number.parse().map_err(|_| {
                        de::Error::invalid_value(de::Unexpected::Str(number), &EXPECTING)
                    })?,
                    other => return Err(de::Error::invalid_value(de::Unexpected::Str(other), &EXPECTING)),
                };
                let (canonical, canonical_quoted) = Self::canonical(value);
                let written = (quoted != canonical_quoted || text != canonical)
                    .then(|| Written { text: text.into(), quoted });
                Ok($name { value, written })
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

/// An `Edm.Duration`, written in the ISO 8601 form OData uses: `[-]P[nD][T[nH][nM][n[.n]S]]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Duration(pub chrono::TimeDelta);

impl From<chrono::TimeDelta> for Duration {
    fn from(value: chrono::TimeDelta) -> Self {
        Duration(value)
    }
}

/// Why a text is not an OData duration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError(String);

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an ISO 8601 duration of the form [-]P[nD][T[nH][nM][n[.n]S]]", self.0)
    }
}

impl std::error::Error for DurationError {}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, DurationError> {
        let error = || DurationError(text.to_owned());
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let rest = rest.strip_prefix('P').ok_or_else(error)?;
        let (date, time) = match rest.split_once('T') {
            Some((_, "")) => return Err(error()),
            Some((date, time)) => (date, time),
            None => (rest, ""),
        };
        if date.is_empty() && time.is_empty() {
            return Err(error());
        }
        let mut total = chrono::TimeDelta::zero();
        let mut add = |amount: chrono::TimeDelta| -> Result<(), DurationError> {
            total = total.checked_add(&amount).ok_or_else(error)?;
            Ok(())
        };
        for (number, unit) in components(date).ok_or_else(error)? {
            match unit {
                'D' => add(whole(number, 86_400).ok_or_else(error)?)?,
                _ => return Err(error()),
            }
        }
        let mut previous = 0;
        for (number, unit) in components(time).ok_or_else(error)? {
            let (rank, seconds) = match unit {
                'H' => (1, 3_600),
                'M' => (2, 60),
                'S' => (3, 1),
                _ => return Err(error()),
            };
            if rank <= previous || (unit != 'S' && number.contains('.')) {
                return Err(error());
            }
            previous = rank;
            add(if unit == 'S' {
                fractional_seconds(number).ok_or_else(error)?
            } else {
                whole(number, seconds).ok_or_else(error)?
            })?;
        }
        Ok(Duration(if negative { -total } else { total }))
    }
}

/// Splits `1D` or `2H30M1.5S` into numbers and unit letters.
fn components(text: &str) -> Option<Vec<(&str, char)>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c.is_ascii_alphabetic() {
            let number = &text[start..i];
            if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return None;
            }
            parts.push((number, c));
            start = i + 1;
        }
    }
    (start == text.len()).then_some(parts)
}

fn whole(number: &str, unit_seconds: i64) -> Option<chrono::TimeDelta> {
    chrono::TimeDelta::try_seconds(number.parse::<i64>().ok()?.checked_mul(unit_seconds)?)
}

fn fractional_seconds(number: &str) -> Option<chrono::TimeDelta> {
    let (seconds, fraction) = number.split_once('.').unwrap_or((number, ""));
    if seconds.is_empty() || fraction.contains('.') {
        return None;
    }
    let mut nanos = 0u32;
    for (i, digit) in fraction.chars().take(9).enumerate() {
        nanos += digit.to_digit(10)? * 10u32.pow(8 - i as u32);
    }
    chrono::TimeDelta::try_seconds(seconds.parse().ok()?)?
        .checked_add(&chrono::TimeDelta::nanoseconds(nanos.into()))
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0;
        if value < chrono::TimeDelta::zero() {
            f.write_str("-")?;
        }
        let magnitude = value.abs();
        let seconds = magnitude.num_seconds();
        let nanos = magnitude.subsec_nanos();
        let (days, hours, minutes, secs) =
            (seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60);
        f.write_str("P")?;
        if days > 0 {
            write!(f, "{days}D")?;
        }
        if hours == 0 && minutes == 0 && secs == 0 && nanos == 0 {
            return if days == 0 { f.write_str("T0S") } else { Ok(()) };
        }
        f.write_str("T")?;
        if hours > 0 {
            write!(f, "{hours}H")?;
        }
        if minutes > 0 {
            write!(f, "{minutes}M")?;
        }
        if secs > 0 || nanos > 0 {
            write!(f, "{secs}")?;
            if nanos > 0 {
                let digits = format!("{nanos:09}");
                write!(f, ".{}", digits.trim_end_matches('0'))?;
            }
            f.write_str("S")?;
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// `Edm.Binary` and `Edm.Stream` content: bytes, written in base64.
///
/// Reading accepts the standard and the URL-safe alphabets, padded or not; writing uses the
/// standard alphabet with padding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Binary(pub Vec<u8>);

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Binary(bytes.to_vec())
    }
}

impl AsRef<[u8]> for Binary {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
        use base64::Engine as _;
        let text = String::deserialize(deserializer)?;
        let unpadded = text.trim_end_matches('=');
        STANDARD_NO_PAD
            .decode(unpadded)
            .or_else(|_| URL_SAFE_NO_PAD.decode(unpadded))
            .map(Binary)
            .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(&text), &"base64 text"))
    }
}

/// An `Edm.DateTimeOffset`, kept as the text it was read with.
///
/// Every form of the OData ABNF reads: with or without seconds (`2024-02-14T07:37Z`), with 0
/// to 12 fractional digits, with `Z` or an offset. A value a service sent without an offset
/// (`2024-02-14T07:37:32`, not valid OData but common) is kept as a local date and time rather
/// than failing the whole object: [`DateTimeOffset::value`] is `None` for it and
/// [`DateTimeOffset::local`] has it. A value is written back as the text it was read with;
/// values made from a chrono `DateTime` are written in RFC 3339 with `Z` for UTC and as many
/// fractional digits as they need (0, 3, 6 or 9). Two values are equal when they are the same
/// instant (or, without an offset, the same local time).
#[derive(Clone, Debug)]
pub struct DateTimeOffset {
    text: Box<str>,
    local: chrono::NaiveDateTime,
    offset: Option<chrono::FixedOffset>,
}

/// Why a text is not an `Edm.DateTimeOffset` or `Edm.TimeOfDay`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError(String);

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an OData date and time (YYYY-MM-DDThh:mm[:ss[.fffffffff]][Z|±hh:mm]) or time of day (hh:mm[:ss[.fffffffff]])", self.0)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTimeOffset {
    /// The instant, when the text has an offset (as OData requires).
    pub fn value(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let offset = self.offset?;
        self.local.and_local_timezone(offset).single()
    }

    /// The date and time as written, without its offset.
    pub fn local(&self) -> chrono::NaiveDateTime {
        self.local
    }

    /// The offset, when the text has one.
    pub fn offset(&self) -> Option<chrono::FixedOffset> {
        self.offset
    }

    /// The text, exactly as it was read (or made).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Splits an offset (`Z`, `z`, `+hh:mm`, `-hh:mm`) off the end of a date and time.
fn split_offset(text: &str) -> Option<(&str, Option<chrono::FixedOffset>)> {
    if let Some(local) = text.strip_suffix(['Z', 'z']) {
        return Some((local, chrono::FixedOffset::east_opt(0)));
    }
    let bytes = text.as_bytes();
    let at = bytes.len().checked_sub(6)?;
    if !matches!(bytes[at], b'+' | b'-') || bytes[at + 3] != b':' {
        return Some((text, None));
    }
    let two = |from: usize| -> Option<i32> {
        let digits = text.get(from..from + 2)?;
        digits.bytes().all(|b| b.is_ascii_digit()).then(|| digits.parse().ok())?
    };
    let (hours, minutes) = (two(at + 1)?, two(at + 4)?);
    if hours > 23 || minutes > 59 {
        return None;
    }
    let seconds = (hours * 60 + minutes) * 60;
    let offset = if bytes[at] == b'-' {
        chrono::FixedOffset::west_opt(seconds)
    } else {
        chrono::FixedOffset::east_opt(seconds)
    };
    Some((&text[..at], offset))
}

/// Reads `hh:mm`, `hh:mm:ss` or `hh:mm:ss.f` (up to 12 fractional digits; nanoseconds kept).
fn parse_time_of_day(text: &str) -> Option<chrono::NaiveTime> {
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    let mut parts = text.splitn(3, ':');
    let (hour, minute) = (parts.next()?, parts.next()?);
    let (second, fraction) = match parts.next() {
        Some(rest) => rest.split_once('.').map_or((rest, None), |(s, f)| (s, Some(f))),
        None => ("00", None),
    };
    if !digits(hour, 2) || !digits(minute, 2) || !digits(second, 2) {
        return None;
    }
    let nanos = match fraction {
        None => 0,
        Some(f) if (1..=12).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{:0<9}", &f[..f.len().min(9)]).parse().ok()?
        }
        Some(_) => return None,
    };
    let (second, nanos) = match second.parse().ok()? {
        // A leap second (the ABNF allows `60`): chrono keeps it as second 59 past 10⁹ ns.
        60 => (59, nanos + 1_000_000_000),
        second => (second, nanos),
    };
    chrono::NaiveTime::from_hms_nano_opt(hour.parse().ok()?, minute.parse().ok()?, second, nanos)
}

/// A date as the OData ABNF writes it: `[-]YYYY-MM-DD`, with four or more year digits.
fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let negative = text.starts_with('-');
    let (year, rest) = text.strip_prefix('-').unwrap_or(text).split_once('-')?;
    let (month, day) = rest.split_once('-')?;
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if year.len() < 4 || !digits(year) || month.len() != 2 || !digits(month) || day.len() != 2 || !digits(day) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(if negative { -year } else { year }, month.parse().ok()?, day.parse().ok()?)
}

impl FromStr for DateTimeOffset {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<Self, DateTimeError> {
        let error = || DateTimeError(text.to_owned());
        let (local, offset) = split_offset(text).ok_or_else(error)?;
        let (date, time) = local.split_once(['T', 't']).ok_or_else(error)?;
        let date = parse_date(date).ok_or_else(error)?;
        let time = parse_time_of_day(time).ok_or_else(error)?;
        Ok(DateTimeOffset {
            text: text.into(),
            local: date.and_time(time),
            offset,
        })
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateTimeOffset
where
    Tz::Offset: fmt::Display,
{
    fn from(value: chrono::DateTime<Tz>) -> Self {
        let value = value.fixed_offset();
        DateTimeOffset {
            text: value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true).into(),
            local: value.naive_local(),
            offset: Some(*value.offset()),
        }
    }
}

impl PartialEq for DateTimeOffset {
    fn eq(&self, other: &Self) -> bool {
        match (self.value(), other.value()) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.local == other.local,
            _ => false,
        }
    }
}

/// By instant; values without an offset by their local time among themselves, and not
/// against values with one (there is no instant to compare).
impl PartialOrd for DateTimeOffset {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self.value(), other.value()) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            (None, None) => Some(self.local.cmp(&other.local)),
            _ => None,
        }
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for DateTimeOffset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for DateTimeOffset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// An `Edm.TimeOfDay`, kept as the text it was read with: `hh:mm`, `hh:mm:ss` or with up to
/// 12 fractional digits (nanoseconds are kept in the value). Values made from a
/// `chrono::NaiveTime` are written `hh:mm:ss` with the fractional digits they need. It derefs to
/// the `NaiveTime`, and compares by value.
#[derive(Clone, Debug)]
pub struct TimeOfDay {
    text: Box<str>,
    value: chrono::NaiveTime,
}

impl TimeOfDay {
    /// The time.
    pub fn value(&self) -> chrono::NaiveTime {
        self.value
    }

    /// The text, exactly as it was read (or made).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::ops::Deref for TimeOfDay {
    type Target = chrono::NaiveTime;

    fn deref(&self) -> &chrono::NaiveTime {
        &self.value
    }
}

impl From<chrono::NaiveTime> for TimeOfDay {
    fn from(value: chrono::NaiveTime) -> Self {
        TimeOfDay {
            text: value.format("%H:%M:%S%.f").to_string().into(),
            value,
        }
    }
}

impl FromStr for TimeOfDay {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<Self, DateTimeError> {
        let value = parse_time_of_day(text).ok_or_else(|| DateTimeError(text.to_owned()))?;
        Ok(TimeOfDay { text: text.into(), value })
    }
}

impl PartialEq for TimeOfDay {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for TimeOfDay {}

/// By time.
impl PartialOrd for TimeOfDay {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimeOfDay {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// The items of a collection property whose items may be `null` (CSDL: a collection without
/// `Nullable="false"`).
///
/// It is used as the `Vec<T>` of the items that are not null (it derefs to one, and converts
/// from one with `.into()`); the nulls are kept where they were, each before the item it
/// preceded, so writing gives back the array that was read. [`Collection::with_nulls`] walks
/// the array as it is written, nulls included.
#[derive(Clone, Debug, PartialEq)]
pub struct Collection<T> {
    items: Vec<T>,
    /// For each null, how many items precede it; ascending.
    nulls: Vec<usize>,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection { items: Vec::new(), nulls: Vec::new() }
    }
}

impl<T> Collection<T> {
    /// The items of an array, `None` for each null.
    pub fn from_wire(array: Vec<Option<T>>) -> Self {
        let mut collection = Collection::default();
        for item in array {
            match item {
                Some(item) => collection.items.push(item),
                None => collection.nulls.push(collection.items.len()),
            }
        }
        collection
    }

    /// The array as it is written: items, and `None` for each null.
    pub fn with_nulls(&self) -> impl Iterator<Item = Option<&T>> + '_ {
        let mut nulls = self.nulls.iter().copied().peekable();
        let mut items = self.items.iter().enumerate().peekable();
        std::iter::from_fn(move || match (nulls.peek(), items.peek()) {
            (Some(&before), Some(&(index, _))) if before <= index => nulls.next().map(|_| None),
            (_, Some(_)) => items.next().map(|(_, item)| Some(item)),
            (Some(_), None) => nulls.next().map(|_| None),
            (None, None) => None,
        })
    }

    /// How many nulls the array has.
    pub fn null_count(&self) -> usize {
        self.nulls.len()
    }

    /// Removes the nulls, so that the array is written with the items only.
    pub fn clear_nulls(&mut self) {
        self.nulls.clear();
    }

    /// The items that are not null.
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }
}

impl<T> std::ops::Deref for Collection<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.items
    }
}

impl<T> std::ops::DerefMut for Collection<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.items
    }
}

impl<T> From<Vec<T>> for Collection<T> {
    fn from(items: Vec<T>) -> Self {
        Collection { items, nulls: Vec::new() }
    }
}

/// `vec![...].into()` where a nullable collection field is expected.
impl<T> From<Vec<T>> for Nullable<Collection<T>> {
    fn from(items: Vec<T>) -> Self {
        Nullable::Value(items.into())
    }
}

impl<T> FromIterator<T> for Collection<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Vec::from_iter(items).into()
    }
}

impl<T> IntoIterator for Collection<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Collection<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: Serialize> Serialize for Collection<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.with_nulls())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Collection<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Option<T>>::deserialize(deserializer).map(Collection::from_wire)
    }
}

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

/// The control information of a value read from a service (OData JSON Format 4.01 §4.5): its
/// etag, id and links, which the crate keeps with the members the metadata does not declare.
/// Every generated structured type and dispatch enum implements it. Links are as the service
/// wrote them, often relative: resolve them with [`crate::request::resolve_link`] (against the
/// context URL and the URL that answered) or `Response::resolve`.
pub trait ControlInformation {
    /// The members the metadata does not declare, control information among them.
    fn annotations(&self) -> &serde_json::Map<String, serde_json::Value>;

    /// A control information member by its name after `odata.` (`etag`), as OData 4.0 writes
    /// it (`@odata.etag`) or 4.01 may (`@etag`), if it is a string.
    fn control_information(&self, name: &str) -> Option<&str> {
        let annotations = self.annotations();
        annotations
            .get(&format!("@odata.{name}"))
            .or_else(|| annotations.get(&format!("@{name}")))
            .and_then(serde_json::Value::as_str)
    }

    /// `@odata.etag` (§4.5.10): the entity's version, to send back with `if_match`.
    fn etag(&self) -> Option<crate::request::ETag> {
        self.control_information("etag").map(crate::request::ETag::new)
    }

    /// `@odata.id` (§4.5.8): the entity's id, its canonical URL.
    fn odata_id(&self) -> Option<&str> {
        self.control_information("id")
    }

    /// `@odata.context` (§4.5.1): what the payload describes, and the base of its relative links.
    fn odata_context(&self) -> Option<&str> {
        self.control_information("context")
    }

    /// `@odata.editLink` (§4.5.8): where to change the entity.
    fn edit_link(&self) -> Option<&str> {
        self.control_information("editLink")
    }

    /// `@odata.readLink` (§4.5.8): where to read the entity.
    fn read_link(&self) -> Option<&str> {
        self.control_information("readLink")
    }

    /// `@odata.mediaReadLink` (§4.5.11): where to read a media entity's content.
    fn media_read_link(&self) -> Option<&str> {
        self.control_information("mediaReadLink")
    }

    /// `@odata.mediaEditLink` (§4.5.11): where to change a media entity's content.
    fn media_edit_link(&self) -> Option<&str> {
        self.control_information("mediaEditLink")
    }

    /// `@odata.mediaEtag` (§4.5.11): the version of a media entity's content.
    fn media_etag(&self) -> Option<crate::request::ETag> {
        self.control_information("mediaEtag").map(crate::request::ETag::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_write_the_odata_form() {
        for text in ["P1D", "PT1H", "PT1H30M", "P2DT3H4M5.25S", "-PT0.0000001S", "PT0S"] {
            let parsed: Duration = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!("PT90M".parse::<Duration>().unwrap().to_string(), "PT1H30M");
        for bad in ["", "P", "PT", "1D", "P1H", "PT1D", "PT1M1H", "PT1.5H", "P1Y", "PTS"] {
            assert!(bad.parse::<Duration>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn collections_keep_nulls_before_the_items_they_preceded() {
        let mut items = Collection::from_wire(vec![None, Some(1), None, Some(2), None]);
        assert_eq!(items.as_slice(), [1, 2]);
        items.insert(1, 9);
        items.remove(0);
        let wire: Vec<Option<i32>> = items.with_nulls().map(|i| i.copied()).collect();
        assert_eq!(wire, [None, Some(9), None, Some(2), None]);
        items.clear();
        assert_eq!(items.with_nulls().count(), 3, "nulls past the end stay at the end");
    }

    #[test]
    fn date_time_offsets_split_their_offset() {
        let offset = |text: &str| split_offset(text).map(|(local, o)| (local.to_owned(), o.map(|o| o.local_minus_utc())));
        assert_eq!(offset("2024-02-14T07:37Z"), Some(("2024-02-14T07:37".to_owned(), Some(0))));
        assert_eq!(offset("2024-02-14T07:37-05:30"), Some(("2024-02-14T07:37".to_owned(), Some(-19_800))));
        assert_eq!(offset("2024-02-14T07:37:32"), Some(("2024-02-14T07:37:32".to_owned(), None)));
        assert_eq!(offset("2024-02-14T07:37+24:00"), None);
        assert_eq!(parse_time_of_day("23:59:59.9999999999999"), None, "at most 12 digits");
        assert_eq!(
            parse_time_of_day("23:59:59.999999999999"),
            chrono::NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999)
        );
    }
}
