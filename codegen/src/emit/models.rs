//! Structs for entity and complex types, and the enums that dispatch on `@odata.type`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs};
use super::types::{field_type, optional, primitive_type, serde_rename, type_path, Spelling};
use super::{cfg_member, ident};
use crate::ir::{
    Dispatch, Docs, Model, Primitive, PropertyKind, StructType, StructuredKind, TypeDef,
};

pub fn struct_items(model: &Model, ty: &TypeDef, s: &StructType) -> TokenStream {
    let defined = std::iter::once(ty.rust_name.as_str())
        .chain(s.dispatch.as_ref().map(|d| d.rust_name.as_str()));
    let spelling = Spelling::for_file(defined);
    let uses_nullable = s.properties.iter().any(|p| p.nullable && !p.ty.collection);
    let import = if spelling == Spelling::Short && uses_nullable {
        quote!(
            use crate::support::Nullable;
        )
    } else {
        quote!()
    };
    let definition = struct_definition(model, ty, s, spelling);
    let dispatch = s
        .dispatch
        .as_ref()
        .map(|d| dispatch_enum(model, ty, s, d))
        .unwrap_or_default();
    quote! {
        #import
        #definition
        #dispatch
    }
}

fn struct_definition(
    model: &Model,
    ty: &TypeDef,
    s: &StructType,
    spelling: Spelling,
) -> TokenStream {
    let name = ident(&ty.rust_name);
    let docs = doc_attrs(&ty.docs, &struct_notes(model, ty, s));
    let odata_type = ident(&s.odata_type_field);
    let additional = ident(&s.additional_properties_field);
    let fields = s.properties.iter().map(|p| {
        let field = ident(&p.rust_name);
        let rename = serde_rename(&p.rust_name, &p.name);
        let (field_type, skip) = field_type(model, p, spelling);
        let mut notes = Vec::new();
        if s.key.contains(&p.name) {
            notes.push("Key property.".to_owned());
        }
        notes.extend(facet_notes(&p.facets));
        if let PropertyKind::Navigation { contains_target } = p.kind {
            notes.push(if contains_target {
                "Navigation property (contained): present when expanded.".to_owned()
            } else {
                "Navigation property: present when expanded.".to_owned()
            });
        }
        let docs = doc_attrs(&p.docs, &notes);
        let cfg = cfg_member(model, p.gate.as_ref());
        quote! {
            #docs
            #cfg
            #[serde(#rename default, skip_serializing_if = #skip)]
            pub #field: #field_type,
        }
    });
    let odata_type_value = ty.odata_type();
    let (optional_string, option_is_none) =
        optional(primitive_type(Primitive::String, spelling), spelling);
    let (derive_default, default_impl) = if s.tags_itself() {
        let initializers = s.properties.iter().map(|p| {
            let field = ident(&p.rust_name);
            let cfg = cfg_member(model, p.gate.as_ref());
            quote!(#cfg #field: ::std::default::Default::default(),)
        });
        let default_impl = quote! {
            impl ::std::default::Default for #name {
                /// An empty value that names its own type in `@odata.type`.
                fn default() -> Self {
                    Self {
                        #odata_type: ::std::option::Option::Some(::std::string::String::from(Self::ODATA_TYPE)),
                        #(#initializers)*
                        #additional: ::std::default::Default::default(),
                    }
                }
            }
        };
        (quote!(), default_impl)
    } else {
        (quote!(Default,), quote!())
    };
    quote! {
        #docs
        #[derive(Clone, Debug, #derive_default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct #name {
            /// The `@odata.type` annotation: which type this value is, as the service names it.
            #[serde(rename = "@odata.type", default, skip_serializing_if = #option_is_none)]
            pub #odata_type: #optional_string,
            #(#fields)*
            /// Properties and instance annotations that the metadata does not declare, kept so
            /// that reading and writing a value loses nothing.
            #[serde(flatten)]
            pub #additional: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        impl #name {
            /// The `@odata.type` value that names this type.
            pub const ODATA_TYPE: &str = #odata_type_value;
        }

        #default_impl
    }
}

/// Facets as doc lines; the values are metadata text, so they are shown as code.
fn facet_notes(facets: &crate::ir::Facets) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(max) = &facets.max_length {
        notes.push(format!("Maximum length: {}.", code(max)));
    }
    match (&facets.precision, &facets.scale) {
        (Some(p), Some(s)) => notes.push(format!("Precision {}, scale {}.", code(p), code(s))),
        (Some(p), None) => notes.push(format!("Precision {}.", code(p))),
        (None, Some(s)) => notes.push(format!("Scale {}.", code(s))),
        (None, None) => {}
    }
    if let Some(default) = &facets.default_value {
        notes.push(format!("Default value: {}.", code(default)));
    }
    notes
}

fn struct_notes(model: &Model, ty: &TypeDef, s: &StructType) -> Vec<String> {
    let kind = match s.kind {
        StructuredKind::Entity => "entity type",
        StructuredKind::Complex => "complex type",
    };
    let mut notes = vec![format!("The {} {kind}.", code(&ty.qualified_name))];
    if let Some(base) = s.base {
        notes.push(format!(
            "Derived from {}; its properties are included.",
            link(model, ty, base, None)
        ));
    }
    if s.is_abstract {
        let mut text = "Abstract: the service only sends and accepts derived types.".to_owned();
        let compiled_with = |d: &&crate::ir::TypeId| model.ty(**d).gate.covers(&ty.gate);
        if let (Some(dispatch), Some(first)) = (&s.dispatch, s.derived.iter().find(compiled_with)) {
            text.push_str(&format!(
                " Create a derived type such as {} and pass it where {} is expected.",
                link(model, ty, *first, None),
                link(model, ty, ty.id, Some(&dispatch.rust_name)),
            ));
        }
        notes.push(text);
    }
    if s.is_open {
        notes.push("Open type: dynamic properties are kept in `additional_properties`.".to_owned());
    }
    if s.has_stream {
        notes.push("Media entity: it has a stream as its content.".to_owned());
    }
    notes
}

/// A rustdoc link to a type, or with `item` to its dispatch enum or a variant, written from
/// the file of `from`. Items of that file are in scope, so they are linked by name alone
/// (rustdoc rejects a redundant path).
fn link(model: &Model, from: &TypeDef, id: crate::ir::TypeId, item: Option<&str>) -> String {
    let ty = model.ty(id);
    let item = item.unwrap_or(&ty.rust_name);
    if id == from.id {
        format!("[`{item}`]")
    } else {
        let module = &model.namespace(ty.namespace).module;
        format!("[`{item}`](crate::{module}::{item})")
    }
}

fn dispatch_enum(model: &Model, ty: &TypeDef, s: &StructType, dispatch: &Dispatch) -> TokenStream {
    let name = ident(&dispatch.rust_name);
    let base = ident(&ty.rust_name);
    let fallback = ident(&dispatch.fallback);
    let odata_type = ident(&s.odata_type_field);
    let variants: Vec<_> = dispatch
        .variants
        .iter()
        .map(|v| {
            (
                ident(&v.rust_name),
                type_path(model, v.ty),
                model.ty(v.ty),
                cfg_member(model, v.gate.as_ref()),
            )
        })
        .collect();
    let variant_defs = variants.iter().map(|(variant, path, t, cfg)| {
        let doc = format!(" A {}.", code(&t.odata_type()));
        quote! {
            #[doc = #doc]
            #cfg
            #variant(::std::boxed::Box<#path>),
        }
    });
    let fallback_doc = format!(
        " A value whose `@odata.type` is missing, is {}, or names a type this crate does not know.",
        code(&ty.odata_type())
    );
    let mut seen_keys = std::collections::HashSet::new();
    let arms = variants.iter().filter_map(|(variant, _, t, cfg)| {
        let key = t.qualified_name.to_ascii_lowercase();
        seen_keys.insert(key.clone()).then(|| {
            quote! {
                #cfg
                ::std::option::Option::Some(#key) => crate::support::from_value(value).map(|v| Self::#variant(::std::boxed::Box::new(v))),
            }
        })
    });
    let serialize_arms = variants.iter().map(|(variant, path, _, cfg)| {
        quote! {
            #cfg
            Self::#variant(v) => crate::support::serialize_tagged(&**v, v.#odata_type.is_some(), #path::ODATA_TYPE, serializer),
        }
    });
    let odata_type_arms = variants.iter().map(|(variant, path, _, cfg)| {
        quote! {
            #cfg
            Self::#variant(v) => ::std::option::Option::Some(v.#odata_type.as_deref().unwrap_or(#path::ODATA_TYPE)),
        }
    });
    let from_impls = variants.iter().map(|(variant, path, _, cfg)| {
        quote! {
            #cfg
            impl ::std::convert::From<#path> for #name {
                fn from(value: #path) -> Self {
                    Self::#variant(::std::boxed::Box::new(value))
                }
            }
        }
    });
    let docs = doc_attrs(
        &Docs::default(),
        &[format!(
            "Any {}: the value's `@odata.type` tells which derived type it is. Reading falls back to [`{}::{}`] with every field kept; writing a derived type adds its `@odata.type`.",
            code(&ty.qualified_name), dispatch.rust_name, dispatch.fallback,
        )],
    );
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variant_defs)*
            #[doc = #fallback_doc]
            #fallback(::std::boxed::Box<#base>),
        }

        impl #name {
            /// The `@odata.type` this value is written with, if any.
            pub fn odata_type(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#odata_type_arms)*
                    Self::#fallback(v) => v.#odata_type.as_deref(),
                }
            }
        }

        #(#from_impls)*

        impl ::std::convert::From<#base> for #name {
            fn from(value: #base) -> Self {
                Self::#fallback(::std::boxed::Box::new(value))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#fallback(v) => ::serde::Serialize::serialize(&**v, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match crate::support::odata_type_key(&value).as_deref() {
                    #(#arms)*
                    _ => crate::support::from_value(value).map(|v| Self::#fallback(::std::boxed::Box::new(v))),
                }
            }
        }
    }
}
