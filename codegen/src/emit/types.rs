//! Rust types for metadata types, and the file of each named type.

use proc_macro2::TokenStream;
use quote::quote;

use super::{enums, ident, models};
use crate::ir::{Model, Primitive, Property, Target, TypeDef, TypeId, TypeKind, TypeRef};

pub fn type_file(model: &Model, ty: &TypeDef) -> TokenStream {
    match &ty.kind {
        TypeKind::Struct(s) => models::struct_items(model, ty, s),
        TypeKind::Enum(e) => enums::enum_items(ty, e),
        TypeKind::Alias(primitive) => {
            let name = ident(&ty.rust_name);
            let target = primitive_type(*primitive, Spelling::Full);
            let docs = super::docs::doc_attrs(
                &ty.docs,
                &[format!(
                    "The {} type definition.",
                    super::docs::code(&ty.qualified_name)
                )],
            );
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

/// How emitted code names std and support items: in full (`::std::option::Option`), or by
/// their prelude or imported names (`Option`, `Nullable`) in files where no generated item
/// shadows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    Full,
    Short,
}

impl Spelling {
    /// Names a file may use short; a file defining any of them spells them in full.
    const SHORT_NAMES: [&'static str; 5] = ["Option", "String", "Vec", "Box", "Nullable"];

    /// Short, unless one of the items a file defines takes one of the short names.
    pub fn for_file<'a>(defined: impl IntoIterator<Item = &'a str>) -> Self {
        let mut defined = defined.into_iter();
        if defined.any(|name| Self::SHORT_NAMES.contains(&name)) {
            Spelling::Full
        } else {
            Spelling::Short
        }
    }
}

/// `crate::namespace::Type`.
pub fn type_path(model: &Model, id: TypeId) -> TokenStream {
    let ty = model.ty(id);
    let module = ident(&model.namespace(ty.namespace).module);
    let name = ident(&ty.rust_name);
    quote!(crate::#module::#name)
}

pub fn primitive_type(primitive: Primitive, spelling: Spelling) -> TokenStream {
    match primitive {
        Primitive::Binary | Primitive::Stream => quote!(crate::support::Binary),
        Primitive::Boolean => quote!(bool),
        Primitive::Byte => quote!(u8),
        Primitive::SByte => quote!(i8),
        Primitive::Int16 => quote!(i16),
        Primitive::Int32 => quote!(i32),
        Primitive::Int64 => quote!(i64),
        Primitive::Single => quote!(crate::support::Single),
        Primitive::Double => quote!(crate::support::Double),
        Primitive::Decimal => quote!(crate::support::Decimal),
        Primitive::Date => quote!(::chrono::NaiveDate),
        Primitive::DateTimeOffset => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        Primitive::TimeOfDay => quote!(::chrono::NaiveTime),
        Primitive::Duration => quote!(crate::support::Duration),
        Primitive::Guid => quote!(::uuid::Uuid),
        Primitive::String if spelling == Spelling::Short => quote!(String),
        Primitive::String => quote!(::std::string::String),
        Primitive::Untyped | Primitive::Spatial => quote!(::serde_json::Value),
    }
}

/// The type of one value (not the collection) that a reference names: a polymorphic struct is
/// referenced through its dispatching enum, a flags enum as a set.
pub fn item_type(model: &Model, target: Target, spelling: Spelling) -> TokenStream {
    match target {
        Target::Primitive(p) => primitive_type(p, spelling),
        Target::Named(id) => {
            let ty = model.ty(id);
            match &ty.kind {
                TypeKind::Struct(s) => match &s.dispatch {
                    Some(dispatch) => {
                        let module = ident(&model.namespace(ty.namespace).module);
                        let name = ident(&dispatch.rust_name);
                        quote!(crate::#module::#name)
                    }
                    None => type_path(model, id),
                },
                TypeKind::Enum(e) if e.is_flags => {
                    let path = type_path(model, id);
                    quote!(crate::support::Flags<#path>)
                }
                _ => type_path(model, id),
            }
        }
    }
}

/// The type of a value of `ty`, before optionality: `Vec` for collections, `Box` where boxed.
pub fn value_type(model: &Model, ty: TypeRef, boxed: bool, spelling: Spelling) -> TokenStream {
    let item = item_type(model, ty.target, spelling);
    match (ty.collection, boxed, spelling) {
        (true, _, Spelling::Short) => quote!(Vec<#item>),
        (true, _, Spelling::Full) => quote!(::std::vec::Vec<#item>),
        (false, true, Spelling::Short) => quote!(Box<#item>),
        (false, true, Spelling::Full) => quote!(::std::boxed::Box<#item>),
        (false, false, _) => item,
    }
}

/// `Option<T>`, spelled as the file needs.
pub fn option_of(inner: TokenStream, spelling: Spelling) -> TokenStream {
    match spelling {
        Spelling::Short => quote!(Option<#inner>),
        Spelling::Full => quote!(::std::option::Option<#inner>),
    }
}

/// How a property is held: every property may be missing from a response (`$select`), so it is
/// an `Option`; a nullable single value is a `Nullable`, which also tells `null` from missing.
pub fn field_type(
    model: &Model,
    property: &Property,
    spelling: Spelling,
) -> (TokenStream, &'static str) {
    let value = value_type(model, property.ty, property.boxed, spelling);
    match (property.nullable && !property.ty.collection, spelling) {
        (true, Spelling::Short) => (quote!(Nullable<#value>), "Nullable::is_absent"),
        (true, Spelling::Full) => (
            quote!(crate::support::Nullable<#value>),
            "crate::support::Nullable::is_absent",
        ),
        (false, _) => optional(value, spelling),
    }
}

/// `Option<T>` and serde's test for a missing value, spelled as the file needs.
pub fn optional(value: TokenStream, spelling: Spelling) -> (TokenStream, &'static str) {
    let is_none = match spelling {
        Spelling::Short => "Option::is_none",
        Spelling::Full => "::std::option::Option::is_none",
    };
    (option_of(value, spelling), is_none)
}

/// `rename = "wire",` for a field whose JSON name is not what serde's `rename_all = "camelCase"`
/// makes of its Rust name; nothing otherwise.
pub fn serde_rename(rust_name: &str, wire: &str) -> TokenStream {
    if serde_camel_case(rust_name.trim_start_matches("r#")) == wire {
        TokenStream::new()
    } else {
        quote!(rename = #wire,)
    }
}

/// What serde's `rename_all = "camelCase"` does to a field name: `_` starts an upper-case
/// letter and is dropped, and the first letter is lower-cased.
fn serde_camel_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for c in field.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(c);
        }
    }
    match pascal.chars().next() {
        Some(first) => first.to_ascii_lowercase().to_string() + &pascal[first.len_utf8()..],
        None => pascal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_only_what_camel_case_does_not_give() {
        let renamed = |rust: &str, wire: &str| !serde_rename(rust, wire).is_empty();
        assert!(!renamed("display_name", "displayName"));
        assert!(!renamed("r#type", "type"));
        assert!(!renamed("ipv4_address", "ipv4Address"));
        assert!(renamed("is_mfa_registered", "isMFARegistered"));
        assert!(!renamed("self_", "self"));
        assert!(renamed("n_1st", "1st"));
        assert!(renamed("client_request_id", "client-request-id"));
    }
}
