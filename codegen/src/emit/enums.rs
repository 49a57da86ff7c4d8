//! Enum types: variants named after the wire values, unknown values kept.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs};
use super::ident;
use crate::ir::{EnumType, TypeDef};

pub fn enum_items(ty: &TypeDef, e: &EnumType) -> TokenStream {
    let name = ident(&ty.rust_name);
    let other = ident(&e.other_variant);
    let mut notes = vec![format!("The {} enum type.", code(&ty.qualified_name))];
    if e.is_flags {
        notes.push(format!(
            "Flags: a property of this type holds a [`Flags<{0}>`](crate::support::Flags) set of members, written comma-separated.",
            ty.rust_name
        ));
    }
    let docs = doc_attrs(&ty.docs, &notes);
    let variants: Vec<_> = e
        .members
        .iter()
        .map(|m| (ident(&m.rust_name), &m.name, m.value, &m.docs))
        .collect();
    let definitions = variants.iter().map(|(variant, wire, value, docs)| {
        let docs = doc_attrs(docs, &[format!("{} (value {value}).", code(wire))]);
        quote! {
            #docs
            #variant,
        }
    });
    let as_str = variants
        .iter()
        .map(|(variant, wire, _, _)| quote!(Self::#variant => #wire,));
    let values = variants.iter().map(
        |(variant, _, value, _)| quote!(Self::#variant => ::std::option::Option::Some(#value),),
    );
    let from_wire = variants
        .iter()
        .map(|(variant, wire, _, _)| quote!(#wire => Self::#variant,));
    let from_wire_owned = from_wire.clone();
    // Without members a match would have a single arm, which clippy rejects.
    let (parse_borrowed, parse_owned) = if variants.is_empty() {
        (
            quote!(Self::#other(::std::string::String::from(text))),
            quote!(Self::#other(text)),
        )
    } else {
        (
            quote!(match text {
                #(#from_wire)*
                other => Self::#other(::std::string::String::from(other)),
            }),
            quote!(match text.as_str() {
                #(#from_wire_owned)*
                _ => Self::#other(text),
            }),
        )
    };
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#definitions)*
            /// A value this version of the crate does not know, kept as the service sent it.
            #other(::std::string::String),
        }

        impl #name {
            /// The value as the service writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value.as_str(),
                }
            }

            /// The member's numeric value in the metadata, for known members.
            pub fn value(&self) -> ::std::option::Option<i64> {
                match self {
                    #(#values)*
                    Self::#other(_) => ::std::option::Option::None,
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(#parse_borrowed)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(#parse_owned)
            }
        }
    }
}
