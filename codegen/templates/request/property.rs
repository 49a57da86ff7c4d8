//! A structural property addressed on its own (OData URL Conventions 4.01 §4.6): read and
//! changed apart from the entity that holds it.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::support::{members, read_member, Json, JsonError, Writer};

use super::operation::Answer;
use super::parse::{parse_json, read_nothing, read_optional_entity};
use super::{Context, DecodeError, Operation};

/// Requests on one structural property of an entity or complex value, such as a user's
/// `mailboxSettings` (a complex value) or a branding's `signInPageText` (a primitive value):
/// `GET …/property`, and its change alone (OData 4.01 Part 1 §11.2.4, §11.4.9).
///
/// A complex value is read as itself and updated with `PATCH` (only what is set) or replaced
/// with `PUT`; a primitive value (or enumeration member) is read from `{"value": …}` and set
/// with `PUT` of the same. A property that is null reads as `None` (`204 No Content`, or
/// `{"value": null}`).
pub struct PropertyRequest<T> {
    context: Context,
    complex: bool,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for PropertyRequest<T> {
    fn clone(&self) -> Self {
        PropertyRequest {
            context: self.context.clone(),
            complex: self.complex,
            value: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for PropertyRequest<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PropertyRequest").field("context", &self.context).finish_non_exhaustive()
    }
}

/// `{"value": …}`: a primitive property's payload (OData JSON Format 4.01 §7.1, §11); a
/// missing `value` or `null` is `None`.
struct Wrapped<T>(Option<T>);

impl<T: Json> Json for Wrapped<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        for (key, text) in members(text)? {
            if key == "value" {
                return read_member("value", text).map(Wrapped);
            }
        }
        Ok(Wrapped(None))
    }

    fn write_json(&self, out: &mut Writer) {
        let mut object = out.object();
        object.member("value", &self.0);
        object.end();
    }
}

impl<T> PropertyRequest<T> {
    /// The property of a complex type, addressed by `context`.
    #[doc(hidden)]
    pub fn complex(context: Context) -> Self {
        PropertyRequest {
            context,
            complex: true,
            value: PhantomData,
        }
    }

    /// The property of a primitive or enumeration type, addressed by `context`.
    #[doc(hidden)]
    pub fn primitive(context: Context) -> Self {
        PropertyRequest {
            context,
            complex: false,
            value: PhantomData,
        }
    }

    /// Where this builder points.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// A property of this complex property, of a complex type `U` (OData URL Conventions 4.01
    /// §4.6: `…/mailboxSettings/automaticRepliesSetting`): the caller names its type.
    pub fn complex_property<U>(&self, name: &str) -> PropertyRequest<U> {
        PropertyRequest::complex(self.context.child(name))
    }

    /// A property of this complex property, of a primitive or enumeration type `U`
    /// (`…/mailboxSettings/timeZone`): the caller names its type.
    pub fn primitive_property<U>(&self, name: &str) -> PropertyRequest<U> {
        PropertyRequest::primitive(self.context.child(name))
    }
}

impl<T: Json + 'static> PropertyRequest<T> {
    /// `GET`: the property's value, `None` when it is null.
    pub fn get(&self) -> Operation<Option<T>> {
        if self.complex {
            return self.context.operation(http::Method::GET, None, Arc::new(read_optional_entity::<T>));
        }
        self.context.operation(
            http::Method::GET,
            None,
            Arc::new(|answer: &Answer<'_>| -> Result<Option<T>, DecodeError> {
                if answer.is_empty() {
                    return Ok(None);
                }
                parse_json::<Wrapped<T>>(answer.body).map(|w| w.0)
            }),
        )
    }

    /// `PATCH` of a complex value (only what is set changes) or `PUT` of a primitive one
    /// (`{"value": …}`): any success, the answer's body not read.
    pub fn update(&self, value: impl Into<T>) -> Operation<()> {
        let value = value.into();
        if self.complex {
            return self
                .context
                .operation(http::Method::PATCH, None, Arc::new(read_nothing))
                .json(&value);
        }
        self.context
            .operation(http::Method::PUT, None, Arc::new(read_nothing))
            .json(&Wrapped(Some(value)))
    }

    /// `PUT`: replaces the value (a complex value whole: what is not set gets its default).
    pub fn replace(&self, value: impl Into<T>) -> Operation<()> {
        let value = value.into();
        let operation = self.context.operation(http::Method::PUT, None, Arc::new(read_nothing));
        match self.complex {
            true => operation.json(&value),
            false => operation.json(&Wrapped(Some(value))),
        }
    }
}
