//! Types and helpers shared by the generated models: three-state nullable values, flags sets,
//! and the OData JSON forms of `Edm` primitives that serde's defaults do not match.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
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

    /// Borrows the value.
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

impl<'de, T: FromStr + PartialEq> Deserialize<'de> for Flags<T>
where
    T::Err: fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.split(',')
            .map(str::trim)
            .filter(|member| !member.is_empty())
            .map(|member| member.parse().map_err(de::Error::custom))
            .collect()
    }
}

macro_rules! float_type {
    ($name:ident, $float:ty, $edm:literal) => {
        #[doc = concat!("An `", $edm, "`: a number, or the strings `NaN`, `INF` and `-INF` that OData uses for the values JSON cannot write.")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
        pub struct $name(pub $float);

        impl From<$float> for $name {
            fn from(value: $float) -> Self {
                $name(value)
            }
        }

        impl From<$name> for $float {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let value = self.0;
                if value.is_nan() {
                    serializer.serialize_str("NaN")
                } else if value.is_infinite() {
                    serializer.serialize_str(if value > 0.0 { "INF" } else { "-INF" })
                } else if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
                    // Whole numbers are written as integers, as the service writes them.
                    serializer.serialize_i64(value as i64)
                } else {
                    serializer.serialize_f64(f64::from(value))
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FloatVisitor;

                impl Visitor<'_> for FloatVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("an ", $edm, " number or NaN, INF, -INF"))
                    }

                    fn visit_f64<E: de::Error>(self, value: f64) -> Result<$name, E> {
                        Ok($name(value as $float))
                    }

                    fn visit_i64<E: de::Error>(self, value: i64) -> Result<$name, E> {
                        Ok($name(value as $float))
                    }

                    fn visit_u64<E: de::Error>(self, value: u64) -> Result<$name, E> {
                        Ok($name(value as $float))
                    }

                    fn visit_str<E: de::Error>(self, value: &str) -> Result<$name, E> {
                        match value {
                            "NaN" => Ok($name(<$float>::NAN)),
                            "INF" => Ok($name(<$float>::INFINITY)),
                            "-INF" => Ok($name(<$float>::NEG_INFINITY)),
                            other => other.parse().map($name).map_err(|_| {
                                E::invalid_value(de::Unexpected::Str(other), &self)
                            }),
                        }
                    }
                }

                deserializer.deserialize_any(FloatVisitor)
            }
        }
    };
}

float_type!(Double, f64, "Edm.Double");
float_type!(Single, f32, "Edm.Single");

/// An `Edm.Decimal`, exact to 28 significant digits.
///
/// Read from a JSON number or string; written as a JSON number when that is exact, and as a
/// string (the OData IEEE754Compatible form) when a JSON number would lose digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Decimal(pub rust_decimal::Decimal);

impl From<rust_decimal::Decimal> for Decimal {
    fn from(value: rust_decimal::Decimal) -> Self {
        Decimal(value)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.0.normalize().to_string();
        if let Ok(integer) = text.parse::<i64>() {
            return serializer.serialize_i64(integer);
        }
        match text.parse::<f64>() {
            Ok(float) if float.to_string() == text => serializer.serialize_f64(float),
            _ => serializer.serialize_str(&text),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;

        impl Visitor<'_> for DecimalVisitor {
            type Value = Decimal;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an Edm.Decimal number or numeric string")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
                Ok(Decimal(value.into()))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
                Ok(Decimal(value.into()))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
                // The shortest text that reads back as this f64 is the number the service wrote.
                self.visit_str(&value.to_string())
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Decimal, E> {
                rust_decimal::Decimal::from_str_exact(value)
                    .or_else(|_| rust_decimal::Decimal::from_scientific(value))
                    .map(Decimal)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
            }
        }

        deserializer.deserialize_any(DecimalVisitor)
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

/// The `@odata.type` of a JSON object, without the leading `#` and in lower case, which is how
/// dispatching enums compare it.
#[doc(hidden)]
pub fn odata_type_key(value: &serde_json::Value) -> Option<String> {
    let name = value.get("@odata.type")?.as_str()?;
    Some(name.trim_start_matches('#').to_ascii_lowercase())
}

/// Reads a model from an already parsed JSON value, reporting errors as `E`.
#[doc(hidden)]
pub fn from_value<T: serde::de::DeserializeOwned, E: de::Error>(value: serde_json::Value) -> Result<T, E> {
    T::deserialize(value).map_err(E::custom)
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
}
