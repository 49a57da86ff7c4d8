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

/// What a dispatch enum (`Any…`, defined beside it) has, from one list of its variants, so
/// that a hierarchy's variants are written once rather than once per `match`: `odata_type`; an
/// accessor per property of the base type; [`Json`], reading by `@odata.type` (the base type
/// when no variant's key matches) and writing the variant's `@odata.type` when the value
/// holds none; serde through [`Json`]; [`ControlInformation`] from the accessor of the
/// additional properties; and `From` each variant's type (as [`dispatch_from`] does). Paths are
/// as at the call.
///
/// ```text
/// dispatch_enum! {
///     AnyBase(ns::Base, odata_type_field, additional_properties_accessor) {
///         Fallback;
///         #[cfg(...)]                       // at most one, and only a `cfg`
///         Variant(ns::Derived) = "ns.derived" | "alias.derived";
///     }
///     accessors {
///         /// docs
///         fn method -> field: FieldType;
///     }
/// }
/// ```
///
/// A variant's keys are the `@odata.type` names that select it, in lower case and without
/// `#`, as [`odata_type_key`] gives them; a variant whose names another variant took has a
/// key of its own that starts with `#`, which no `@odata.type` gives.
// A crate without polymorphic types has no use for it.
#[allow(unused_macros)]
macro_rules! dispatch_enum {
    (
        $name:ident($base:ty, $odata_type:ident, $additional:ident) $variants:tt
        accessors { $($(#[$attr:meta])* fn $method:ident -> $field:ident: $field_ty:ty;)* }
    ) => {
        $crate::support::dispatch_enum!(@items $name, $base, $odata_type, $variants);

        impl $crate::support::ControlInformation for $name {
            fn annotations(&self) -> &::serde_json::Map<::std::string::String, ::serde_json::Value> {
                self.$additional()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::support::serialize_json(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::support::deserialize_json(deserializer)
            }
        }

        impl $name {
            $($crate::support::dispatch_enum!(@accessor [$(#[$attr])*] $method, $field, $field_ty, $variants);)*
        }
    };
    (@items $name:ident, $base:ty, $odata_type:ident, {
        $fallback:ident;
        $($(#[cfg($cfg:meta)])? $variant:ident($ty:ty) = $($key:literal)|+;)*
    }) => {
        impl $name {
            /// The `@odata.type` this value is written with, if any.
            pub fn odata_type(&self) -> ::std::option::Option<&str> {
                match self {
                    $($(#[cfg($cfg)])? Self::$variant(v) => ::std::option::Option::Some(v.$odata_type.as_deref().unwrap_or(<$ty>::ODATA_TYPE)),)*
                    Self::$fallback(v) => v.$odata_type.as_deref(),
                }
            }
        }

        $($(#[cfg($cfg)])? $crate::support::dispatch_from!(@impls $ty => $name, |value| $name::$variant(::std::boxed::Box::new(value)));)*
        $crate::support::dispatch_from!(@impls $base => $name, |value| $name::$fallback(::std::boxed::Box::new(value)));

        impl $crate::support::Json for $name {
            fn read_json(text: &str) -> ::std::result::Result<Self, $crate::support::JsonError> {
                let members = $crate::support::members(text)?;
                match $crate::support::odata_type_key(&members).as_deref() {
                    $($(#[cfg($cfg)])? ::std::option::Option::Some($($key)|+) => <$ty>::read_members(members).map(|v| Self::$variant(::std::boxed::Box::new(v))),)*
                    _ => <$base>::read_members(members).map(|v| Self::$fallback(::std::boxed::Box::new(v))),
                }
            }

            fn write_json(&self, out: &mut $crate::support::Writer) {
                match self {
                    $($(#[cfg($cfg)])? Self::$variant(v) => {
                        let mut object = out.object();
                        if v.$odata_type.is_none() {
                            object.tag(<$ty>::ODATA_TYPE);
                        }
                        v.write_members(&mut object);
                        object.end();
                    })*
                    Self::$fallback(v) => $crate::support::Json::write_json(&**v, out),
                }
            }
        }
    };
    (@accessor [$($attr:tt)*] $method:ident, $field:ident, $field_ty:ty, {
        $fallback:ident;
        $($(#[cfg($cfg:meta)])? $variant:ident($ty:ty) = $($key:literal)|+;)*
    }) => {
        $($attr)*
        pub fn $method(&self) -> &$field_ty {
            match self {
                $($(#[cfg($cfg)])? Self::$variant(v) => &v.$field,)*
                Self::$fallback(v) => &v.$field,
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use dispatch_enum;

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
