//! Rust types for metadata types: primitives, references to named types, optional and nullable fields.

use syn::{Path, Type};

use super::ident;
use super::template::{crate_path, path_type, template, Holes};
use crate::ir::{Model, Primitive, Property, Target, TypeId, TypeKind, TypeRef};

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
    const SHORT_NAMES: [&'static str; 7] =
        ["Option", "Some", "None", "String", "Vec", "Box", "Nullable"];

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

/// Rewrites the std paths that templates spell in full (`::std::option::Option::Some`,
/// `::std::string::String`, ...) to their prelude names, so that a module whose spelling is
/// [`Spelling::Short`] names each of them one way. Only prelude names are shortened: they are
/// in scope in every module that defines none of them.
pub fn shorten_std_paths(items: &mut [syn::Item]) {
    use syn::visit_mut::VisitMut;
    struct Shorten;
    impl VisitMut for Shorten {
        fn visit_path_mut(&mut self, path: &mut Path) {
            syn::visit_mut::visit_path_mut(self, path);
            if path.leading_colon.is_none() || path.segments.len() < 3 {
                return;
            }
            let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            let prelude = match names.iter().map(String::as_str).collect::<Vec<_>>()[..3] {
                ["std", "option", "Option"] | ["std", "string", "String"] => 2,
                ["std", "vec", "Vec"] | ["std", "boxed", "Box"] => 2,
                _ => return,
            };
            // `Option::Some`/`Option::None` are prelude names of their own.
            let keep_from = match names.get(3).map(String::as_str) {
                Some("Some" | "None") if names[2] == "Option" => 3,
                _ => prelude,
            };
            let segments = std::mem::take(&mut path.segments);
            path.segments = segments.into_iter().skip(keep_from).collect();
            path.leading_colon = None;
        }
    }
    for item in items {
        Shorten.visit_item_mut(item);
    }
}

/// `crate::namespace::Type`, or the path of the user's type that replaces it.
pub fn type_path(model: &Model, id: TypeId) -> Path {
    let ty = model.ty(id);
    if let Some(path) = ty.replacement.as_deref().and_then(|p| syn::parse_str(p).ok()) {
        return path;
    }
    crate_path(&[
        ident(&model.namespace(ty.namespace).module),
        ident(&ty.rust_name),
    ])
}

/// `wrapper` with its `__T` filled.
fn wrap(wrapper: Type, inner: Type) -> Type {
    Holes::new().ty("__T", inner).fill(wrapper)
}

pub fn primitive_type(primitive: Primitive, spelling: Spelling) -> Type {
    match primitive {
        Primitive::Binary | Primitive::Stream => template!(Type; crate::support::Binary),
        Primitive::Boolean => template!(Type; bool),
        Primitive::Byte => template!(Type; u8),
        Primitive::SByte => template!(Type; i8),
        Primitive::Int16 => template!(Type; i16),
        Primitive::Int32 => template!(Type; i32),
        Primitive::Int64 => template!(Type; crate::support::Int64),
        Primitive::Single => template!(Type; crate::support::Single),
        Primitive::Double => template!(Type; crate::support::Double),
        Primitive::Decimal => template!(Type; crate::support::Decimal),
        Primitive::Date => template!(Type; ::chrono::NaiveDate),
        Primitive::DateTimeOffset => template!(Type; crate::support::DateTimeOffset),
        Primitive::TimeOfDay => template!(Type; crate::support::TimeOfDay),
        Primitive::Duration => template!(Type; crate::support::Duration),
        Primitive::Guid => template!(Type; crate::support::Guid),
        Primitive::String if spelling == Spelling::Short => template!(Type; String),
        Primitive::String => template!(Type; ::std::string::String),
        Primitive::Untyped | Primitive::Spatial => template!(Type; ::serde_json::Value),
    }
}

/// The type of one value (not the collection) that a reference names: a polymorphic struct is
/// referenced through its dispatching enum, a flags enum as a set.
pub fn item_type(model: &Model, target: Target, spelling: Spelling) -> Type {
    match target {
        Target::Primitive(p) => primitive_type(p, spelling),
        Target::Named(id) => {
            let ty = model.ty(id);
            match &ty.kind {
                TypeKind::Struct(s) => match &s.dispatch {
                    Some(dispatch) => path_type(crate_path(&[
                        ident(&model.namespace(ty.namespace).module),
                        ident(&dispatch.rust_name),
                    ])),
                    None => path_type(type_path(model, id)),
                },
                TypeKind::Enum(e) if e.is_flags && ty.replacement.is_none() => wrap(
                    template!(Type; crate::support::Flags<__T>),
                    path_type(type_path(model, id)),
                ),
                _ => path_type(type_path(model, id)),
            }
        }
    }
}

/// The type of a value of `ty`, before optionality: `Vec` for collections (a
/// `support::Collection`, which keeps nulls, when `items_nullable`), `Box` where boxed.
pub fn value_type(
    model: &Model,
    ty: TypeRef,
    boxed: bool,
    items_nullable: bool,
    spelling: Spelling,
) -> Type {
    let item = item_type(model, ty.target, spelling);
    let wrapper = match (ty.collection, boxed, spelling) {
        (true, _, _) if items_nullable => template!(Type; crate::support::Collection<__T>),
        (true, _, Spelling::Short) => template!(Type; Vec<__T>),
        (true, _, Spelling::Full) => template!(Type; ::std::vec::Vec<__T>),
        (false, true, Spelling::Short) => template!(Type; Box<__T>),
        (false, true, Spelling::Full) => template!(Type; ::std::boxed::Box<__T>),
        (false, false, _) => return item,
    };
    wrap(wrapper, item)
}

/// `Option<T>`, spelled as the file needs.
pub fn option_of(inner: Type, spelling: Spelling) -> Type {
    let wrapper = match spelling {
        Spelling::Short => template!(Type; Option<__T>),
        Spelling::Full => template!(Type; ::std::option::Option<__T>),
    };
    wrap(wrapper, inner)
}

/// How a property is held: every property may be missing from a response (`$select`), so it is
/// an `Option`; a nullable single value and any collection (which a service may send as
/// `null`) is a `Nullable`, which also tells `null` from missing. The items of a structural
/// collection may be null unless it says `Nullable="false"` (CSDL 4.01 §7.2.1).
pub fn field_type(model: &Model, property: &Property, spelling: Spelling) -> (Type, &'static str) {
    let items_nullable = property.ty.collection
        && property.nullable
        && property.kind == crate::ir::PropertyKind::Structural;
    let value = value_type(model, property.ty, property.boxed, items_nullable, spelling);
    match (property.nullable || property.ty.collection, spelling) {
        (true, Spelling::Short) => (
            wrap(template!(Type; Nullable<__T>), value),
            "Nullable::is_absent",
        ),
        (true, Spelling::Full) => (
            wrap(template!(Type; crate::support::Nullable<__T>), value),
            "crate::support::Nullable::is_absent",
        ),
        (false, _) => optional(value, spelling),
    }
}

/// `Option<T>` and serde's test for a missing value, spelled as the file needs.
pub fn optional(value: Type, spelling: Spelling) -> (Type, &'static str) {
    let is_none = match spelling {
        Spelling::Short => "Option::is_none",
        Spelling::Full => "::std::option::Option::is_none",
    };
    (option_of(value, spelling), is_none)
}
