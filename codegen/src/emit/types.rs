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
            let target = primitive_type(*primitive);
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

/// `crate::namespace::Type`.
pub fn type_path(model: &Model, id: TypeId) -> TokenStream {
    let ty = model.ty(id);
    let module = ident(&model.namespace(ty.namespace).module);
    let name = ident(&ty.rust_name);
    quote!(crate::#module::#name)
}

pub fn primitive_type(primitive: Primitive) -> TokenStream {
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
        Primitive::String => quote!(::std::string::String),
        Primitive::Untyped | Primitive::Spatial => quote!(::serde_json::Value),
    }
}

/// The type of one value (not the collection) that a reference names: a polymorphic struct is
/// referenced through its dispatching enum, a flags enum as a set.
pub fn item_type(model: &Model, target: Target) -> TokenStream {
    match target {
        Target::Primitive(p) => primitive_type(p),
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
pub fn value_type(model: &Model, ty: TypeRef, boxed: bool) -> TokenStream {
    let item = item_type(model, ty.target);
    if ty.collection {
        quote!(::std::vec::Vec<#item>)
    } else if boxed {
        quote!(::std::boxed::Box<#item>)
    } else {
        item
    }
}

/// How a property is held: every property may be missing from a response (`$select`), so it is
/// an `Option`; a nullable single value is a `Nullable`, which also tells `null` from missing.
pub fn field_type(model: &Model, property: &Property) -> (TokenStream, &'static str) {
    let value = value_type(model, property.ty, property.boxed);
    if property.nullable && !property.ty.collection {
        (
            quote!(crate::support::Nullable<#value>),
            "crate::support::Nullable::is_absent",
        )
    } else {
        (
            quote!(::std::option::Option<#value>),
            "::std::option::Option::is_none",
        )
    }
}
