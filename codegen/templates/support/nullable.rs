#[allow(unused_imports)]
use super::*;

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

impl<T: Json> Json for Nullable<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        match text {
            "null" => Ok(Nullable::Null),
            text => T::read_json(text).map(Nullable::Value),
        }
    }

    fn write_json(&self, out: &mut Writer) {
        match self {
            Nullable::Value(value) => value.write_json(out),
            Nullable::Absent | Nullable::Null => out.raw("null"),
        }
    }

    fn is_absent(&self) -> bool {
        Nullable::is_absent(self)
    }
}
