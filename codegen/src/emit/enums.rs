//! Enum types: variants named after the wire values, unknown values kept.

use syn::Item;

use super::docs::{alias, code, doc_attrs};
use super::ident;
use super::template::{items, string_expr, template, Holes};
use crate::ir::{EnumType, TypeDef};

pub fn enum_items(ty: &TypeDef, e: &EnumType) -> Vec<Item> {
    let mut notes = vec![format!("The {} enum type.", code(&ty.qualified_name))];
    if e.is_flags {
        notes.push(format!(
            "Flags: a property of this type holds a [`Flags<{0}>`](crate::support::Flags) set of members, written comma-separated.",
            ty.rust_name
        ));
    }
    let member = |m: &crate::ir::EnumMember| Holes::new().ident("__Variant", ident(&m.rust_name));
    let definitions = e.members.iter().map(|m| {
        let mut docs = doc_attrs(
            &m.docs,
            &[format!("{} (value {}).", code(&m.name), m.value)],
        );
        docs.extend(alias(&m.rust_name, &m.name));
        member(m).attrs("__docs", docs).fill(template!(syn::Variant;
            #[__docs]
            __Variant
        ))
    });
    let members = e.members.iter().map(|m| {
        let value = syn::LitInt::new(&format!("{}i64", m.value), proc_macro2::Span::call_site());
        Holes::new()
            .expr("__wire", string_expr(&m.name))
            .expr(
                "__value",
                syn::Expr::Lit(syn::ExprLit {
                    attrs: Vec::new(),
                    lit: syn::Lit::Int(value),
                }),
            )
            .fill(template!(syn::Expr; (__wire, __value)))
    });
    let all = e
        .members
        .iter()
        .map(|m| member(m).fill(template!(syn::Expr; Self::__Variant)));
    let indexes: Vec<syn::Arm> = e
        .members
        .iter()
        .enumerate()
        .map(|(index, m)| {
            let index = syn::LitInt::new(&index.to_string(), proc_macro2::Span::call_site());
            member(m)
                .expr(
                    "__index",
                    syn::Expr::Lit(syn::ExprLit {
                        attrs: Vec::new(),
                        lit: syn::Lit::Int(index),
                    }),
                )
                .fill(template!(syn::Arm;
                    Self::__Variant => ::std::result::Result::Ok(__index),
                ))
        })
        .collect();
    let other = || Holes::new().ident("__Other", ident(&e.other_variant));
    // Without members a match would have a single arm, which clippy rejects.
    let index: syn::Expr = if indexes.is_empty() {
        other().fill(template!(syn::Expr; {
            let Self::__Other(text) = self;
            ::std::result::Result::Err(text.as_str())
        }))
    } else {
        other().arms("__indexes", indexes).fill(template!(syn::Expr;
            match self {
                __indexes => {}
                Self::__Other(text) => ::std::result::Result::Err(text.as_str()),
            }
        ))
    };
    let mut docs = doc_attrs(&ty.docs, &notes);
    docs.extend(alias(&ty.rust_name, &ty.name));
    Holes::new()
        .attrs("__docs", docs)
        .attrs("__user", super::template::user_attributes(&ty.attributes))
        .ident("__Name", ident(&ty.rust_name))
        .ident("__Other", ident(&e.other_variant))
        .variants("__variants", definitions.collect())
        .expr("__members", array(members))
        .expr("__all", array(all))
        .expr("__index", index)
        .fill_items(items(template!(syn::File;
            #[__docs]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[__user]
            pub enum __Name {
                __variants,
                /// A value this version of the crate does not know, kept as the service sent it.
                __Other(::std::string::String),
            }

            impl crate::support::EnumType for __Name {
                const MEMBERS: &'static [(&'static str, i64)] = &__members;

                const ALL: &'static [Self] = &__all;

                fn other(text: ::std::string::String) -> Self {
                    Self::__Other(text)
                }

                fn index(&self) -> ::std::result::Result<usize, &str> {
                    __index
                }
            }

            impl __Name {
                /// The value as the service writes it.
                pub fn as_str(&self) -> &str {
                    crate::support::enum_as_str(self)
                }

                /// The member's numeric value in the metadata, for known members.
                pub fn value(&self) -> ::std::option::Option<i64> {
                    crate::support::enum_value(self)
                }
            }

            impl ::std::str::FromStr for __Name {
                type Err = ::std::convert::Infallible;

                /// A member's name, or its numeric value (`"2"`, as OData allows), else a value
                /// the crate does not know.
                fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                    ::std::result::Result::Ok(crate::support::parse_enum(text))
                }
            }

            impl ::std::fmt::Display for __Name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl crate::support::Json for __Name {
                fn read_json(text: &str) -> ::std::result::Result<Self, crate::support::JsonError> {
                    crate::support::read_enum(text)
                }

                fn write_json(&self, out: &mut crate::support::Writer) {
                    out.string(self.as_str());
                }
            }

            impl ::serde::Serialize for __Name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for __Name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::support::deserialize_enum(deserializer)
                }
            }
        )))
}

/// `[a, b, ...]`.
fn array(items: impl Iterator<Item = syn::Expr>) -> syn::Expr {
    syn::Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: items.collect(),
    })
}
