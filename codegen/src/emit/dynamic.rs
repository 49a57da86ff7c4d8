//! `src/dynamic.rs` (cargo feature `dynamic`): reading and writing values, and building
//! requests, by the names the metadata uses, at run time. Tools and tests use it to check
//! documentation examples against the generated types without naming each type in code.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::item_type;
use crate::ir::*;

pub fn dynamic_rs(model: &Model) -> TokenStream {
    let round_trips = model
        .types
        .iter()
        .filter(|t| !matches!(t.kind, TypeKind::Alias(_)))
        .map(|t| {
            let name = &t.qualified_name;
            let ty = item_type(model, Target::Named(t.id));
            quote!(#name => ::std::option::Option::Some(round_trip_as::<#ty>(value)),)
        });
    let requests = model.paths.iter().flat_map(|node| {
        node.operations
            .iter()
            .map(move |op| request_arm(model, node, op))
    });
    quote! {
        //! Values and requests by the metadata's names, at run time (feature `dynamic`).

        /// Reads `value` as the type with this qualified name and writes it back.
        pub fn round_trip(qualified_name: &str, value: ::serde_json::Value) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::serde_json::Error>> {
            match qualified_name {
                #(#round_trips)*
                _ => ::std::option::Option::None,
            }
        }

        #[allow(dead_code)]
        fn key<'k>(keys: &[&'k str], index: usize) -> ::std::result::Result<&'k str, crate::request::Error> {
            keys.get(index).copied().ok_or_else(|| crate::request::Error::Request(::std::format!("key {} is missing", index + 1)))
        }

        fn round_trip_as<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(value: ::serde_json::Value) -> ::std::result::Result<::serde_json::Value, ::serde_json::Error> {
            let typed: T = ::serde_json::from_value(value)?;
            ::serde_json::to_value(&typed)
        }

        /// Builds the request of the operation `method` (`GET`, `POST`, ...; with `call`, a
        /// bound operation) on the path `template`, with `keys` in the order of the template's
        /// key segments and `body` as the operation's body. `None` if there is no such operation.
        pub fn request(template: &str, method: &str, call: ::std::option::Option<&str>, keys: &[&str], body: ::serde_json::Value, base_url: &str) -> ::std::option::Option<::std::result::Result<::http::Request<::std::vec::Vec<u8>>, crate::request::Error>> {
            build(template, method, call, keys, body, base_url).transpose()
        }

        #[allow(unused_variables)]
        fn build(template: &str, method: &str, call: ::std::option::Option<&str>, keys: &[&str], body: ::serde_json::Value, base_url: &str) -> ::std::result::Result<::std::option::Option<::http::Request<::std::vec::Vec<u8>>>, crate::request::Error> {
            let decode = |e: ::serde_json::Error| crate::request::Error::Request(e.to_string());
            match (template, method, call) {
                #(#requests)*
                _ => ::std::result::Result::Ok(::std::option::Option::None),
            }
        }
    }
}

/// The builder chain from the root to `node`, keys taken from `keys` in order.
fn chain(model: &Model, node: &PathNode) -> TokenStream {
    let mut lineage = vec![node];
    let mut current = node;
    while let Some(parent) = current.parent {
        current = model.path(parent);
        lineage.push(current);
    }
    lineage.reverse();
    let mut key_index = 0usize;
    let mut tokens = TokenStream::new();
    for (i, step) in lineage.iter().enumerate() {
        let accessor = ident(&step.accessor);
        tokens = if i == 0 {
            quote!(crate::requests::#accessor())
        } else if matches!(step.segment, Segment::Key { .. }) {
            let index = key_index;
            key_index += 1;
            quote!(#tokens.#accessor(key(keys, #index)?))
        } else {
            quote!(#tokens.#accessor())
        };
    }
    tokens
}

fn request_arm(model: &Model, node: &PathNode, op: &PathOperation) -> TokenStream {
    let template = &node.template;
    let builder = chain(model, node);
    let method = ident(&op.rust_name);
    let body_of = |ty: TokenStream| quote!(::serde_json::from_value::<#ty>(body).map_err(decode)?);
    let (verb, call, operation) = match op.kind {
        PathOperationKind::List { .. } => ("GET", None, quote!(#builder.#method())),
        PathOperationKind::Get { .. } => ("GET", None, quote!(#builder.#method())),
        PathOperationKind::Delete => ("DELETE", None, quote!(#builder.#method())),
        PathOperationKind::GetStream => ("GET", None, quote!(#builder.#method())),
        PathOperationKind::PutStream => (
            "PUT",
            None,
            quote!(#builder.#method(::std::vec::Vec::new())),
        ),
        PathOperationKind::Create { item } => {
            let body = body_of(item_type(model, Target::Named(item)));
            ("POST", None, quote!(#builder.#method(#body)))
        }
        PathOperationKind::Update { ty } => {
            let body = body_of(item_type(model, Target::Named(ty)));
            ("PATCH", None, quote!(#builder.#method(#body)))
        }
        PathOperationKind::Call { operation } => {
            let called = &model.operations[operation];
            let verb = match called.kind {
                OperationKind::Action => "POST",
                OperationKind::Function => "GET",
            };
            let invocation = match (&called.parameters_type, called.kind) {
                (Some(parameters), _) => {
                    let module = ident(&model.namespace(called.namespace).module);
                    let parameters = ident(parameters);
                    let body = body_of(quote!(crate::#module::#parameters));
                    quote!(#builder.#method(&#body))
                }
                (None, OperationKind::Action) => quote!(#builder.#method()),
                // Functions with arguments take them as Rust values; not offered here.
                (None, OperationKind::Function) if !called.parameters.is_empty() => {
                    return TokenStream::new()
                }
                (None, OperationKind::Function) => quote!(#builder.#method()),
            };
            (verb, Some(called.name.clone()), invocation)
        }
    };
    let call = match call {
        Some(name) => quote!(::std::option::Option::Some(#name)),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        (#template, #verb, #call) => #operation.http_request(base_url).map(::std::option::Option::Some),
    }
}
