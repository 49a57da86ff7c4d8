//! Enum types: variants named after the wire values, unknown values kept.

use syn::Item;

use super::docs::{code, doc_attrs};
use super::ident;
use super::template::{items, lit_str, string_expr, template, Holes};
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
        let docs = doc_attrs(
            &m.docs,
            &[format!("{} (value {}).", code(&m.name), m.value)],
        );
        member(m).attrs("__docs", docs).fill(template!(syn::Variant;
            #[__docs]
            __Variant
        ))
    });
    let as_str = e.members.iter().map(|m| {
        member(m)
            .expr("__wire", string_expr(&m.name))
            .fill(template!(syn::Arm;
                Self::__Variant => __wire,
            ))
    });
    let values = e.members.iter().map(|m| {
        let value = syn::LitInt::new(&format!("{}i64", m.value), proc_macro2::Span::call_site());
        member(m)
            .expr(
                "__value",
                syn::Expr::Lit(syn::ExprLit {
                    attrs: Vec::new(),
                    lit: syn::Lit::Int(value),
                }),
            )
            .fill(template!(syn::Arm;
                Self::__Variant => ::std::option::Option::Some(__value),
            ))
    });
    let from_wire: Vec<syn::Arm> = e
        .members
        .iter()
        .map(|m| {
            let wire = syn::Pat::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(lit_str(&m.name)),
            });
            let mut arm: syn::Arm = member(m).fill(template!(syn::Arm;
                "" => Self::__Variant,
            ));
            arm.pat = wire;
            arm
        })
        .collect();
    let holes = Holes::new()
        .attrs("__docs", doc_attrs(&ty.docs, &notes))
        .ident("__Name", ident(&ty.rust_name))
        .ident("__Other", ident(&e.other_variant))
        .variants("__variants", definitions.collect())
        .arms("__as_str", as_str.collect())
        .arms("__values", values.collect());
    // Without members a match would have a single arm, which clippy rejects.
    let other = || Holes::new().ident("__Other", ident(&e.other_variant));
    let (parse_borrowed, parse_owned): (syn::Expr, syn::Expr) = if from_wire.is_empty() {
        (
            other().fill(template!(syn::Expr; Self::__Other(::std::string::String::from(text)))),
            other().fill(template!(syn::Expr; Self::__Other(text))),
        )
    } else {
        (
            other()
                .arms("__from_wire", from_wire.clone())
                .fill(template!(syn::Expr;
                    match text {
                        __from_wire => {}
                        other => Self::__Other(::std::string::String::from(other)),
                    }
                )),
            other()
                .arms("__from_wire", from_wire)
                .fill(template!(syn::Expr;
                    match text.as_str() {
                        __from_wire => {}
                        _ => Self::__Other(text),
                    }
                )),
        )
    };
    holes
        .expr("__parse_borrowed", parse_borrowed)
        .expr("__parse_owned", parse_owned)
        .fill_items(items(template!(syn::File;
            #[__docs]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum __Name {
                __variants,
                /// A value this version of the crate does not know, kept as the service sent it.
                __Other(::std::string::String),
            }

            impl __Name {
                /// The value as the service writes it.
                pub fn as_str(&self) -> &str {
                    match self {
                        __as_str => {}
                        Self::__Other(value) => value.as_str(),
                    }
                }

                /// The member's numeric value in the metadata, for known members.
                pub fn value(&self) -> ::std::option::Option<i64> {
                    match self {
                        __values => {}
                        Self::__Other(_) => ::std::option::Option::None,
                    }
                }
            }

            impl ::std::str::FromStr for __Name {
                type Err = ::std::convert::Infallible;

                fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                    ::std::result::Result::Ok(__parse_borrowed)
                }
            }

            impl ::std::fmt::Display for __Name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::serde::Serialize for __Name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for __Name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let text = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(__parse_owned)
                }
            }
        )))
}
