//! `src/dynamic.rs` (cargo feature `dynamic`): reading and writing values, and building
//! requests, by the names the metadata uses, at run time. Tools and tests use it to check
//! documentation examples against the generated types without naming each type in code.
//!
//! Request builders implement `request::DynamicPath` in their own files (see
//! [`dynamic_path_impl`]), so this module only dispatches on the first segment.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::{item_type, Spelling};
use crate::ir::*;

pub fn dynamic_rs(model: &Model) -> TokenStream {
    let round_trips = model
        .types
        .iter()
        .filter(|t| !matches!(t.kind, TypeKind::Alias(_)))
        .map(|t| {
            let name = &t.qualified_name;
            let ty = item_type(model, Target::Named(t.id), Spelling::Short);
            let cfg = super::cfg(model, &t.gate);
            quote!(#cfg #name => Some(round_trip_as::<#ty>(value)),)
        });
    let roots: Vec<TokenStream> = model
        .paths
        .iter()
        .filter(|n| n.parent.is_none())
        .filter_map(|node| {
            let Segment::Literal(segment) = &node.segment else {
                return None;
            };
            let accessor = ident(&node.accessor);
            let cfg = super::area_cfg(model, node.area);
            Some(quote!(#cfg #segment => Some(Box::new(crate::requests::#accessor())),))
        })
        .collect();
    // Without entry points a match would have a single arm, which clippy rejects.
    let root_body = if roots.is_empty() {
        quote!(None)
    } else {
        quote! {
            match segment {
                #(#roots)*
                _ => None,
            }
        }
    };
    quote! {
        //! Values and requests by the metadata's names, at run time (feature `dynamic`).

        use crate::request::DynamicPath;

        /// Reads `value` as the type with this qualified name and writes it back. `None` if no
        /// type of that name is compiled (see the area features).
        #[allow(unused_variables)]
        pub fn round_trip(qualified_name: &str, value: ::serde_json::Value) -> Option<Result<::serde_json::Value, ::serde_json::Error>> {
            match qualified_name {
                #(#round_trips)*
                _ => None,
            }
        }

        #[allow(dead_code)]
        fn round_trip_as<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(value: ::serde_json::Value) -> Result<::serde_json::Value, ::serde_json::Error> {
            let typed: T = ::serde_json::from_value(value)?;
            ::serde_json::to_value(&typed)
        }

        /// The request builder of an entry point.
        #[allow(unused_variables)]
        pub fn root(segment: &str) -> Option<Box<dyn DynamicPath>> {
            #root_body
        }

        /// Builds the request of `method` (with `call`, of that bound operation, named by the
        /// last segment) on the concrete `path` (`/items/123/parts`), with `body` as its body.
        /// `None` if the path or the operation does not exist.
        pub fn request(path: &str, method: &str, call: Option<&str>, body: ::serde_json::Value, base_url: &str) -> Option<Result<::http::Request<Vec<u8>>, crate::request::Error>> {
            let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            if call.is_some() {
                segments.pop();
            }
            let (first, rest) = segments.split_first()?;
            let mut node = root(first)?;
            for segment in rest {
                node = node.child(segment)?;
            }
            node.request(method, call, body, base_url)
        }
    }
}

/// `impl DynamicPath` for one request builder: its children, then its operations. It is emitted
/// into the area's file, where std's prelude names are not shadowed (builders end in
/// `Request`).
pub fn dynamic_path_impl(model: &Model, node: &PathNode) -> TokenStream {
    let name = ident(&node.rust_name);
    let mut literal_children = Vec::new();
    let mut key_child = None;
    let mut key_accessor = None;
    for &child in &node.children {
        let child = model.path(child);
        let accessor = ident(&child.accessor);
        match &child.segment {
            Segment::Literal(segment) => {
                literal_children.push(quote!(#segment => Some(Box::new(self.#accessor())),))
            }
            Segment::Key { .. } => {
                key_child = Some(quote!(key => Some(Box::new(self.#accessor(key))),));
                key_accessor = Some(accessor);
            }
        }
    }
    // A match with a single arm is written without the match (clippy rejects it).
    let child_body = match (literal_children.is_empty(), key_accessor) {
        (true, Some(accessor)) => {
            quote!(Some(Box::new(self.#accessor(segment))))
        }
        (true, None) => quote!(None),
        (false, _) => {
            let fallback = key_child.unwrap_or_else(|| quote!(_ => None,));
            quote! {
                match segment {
                    #(#literal_children)*
                    #fallback
                }
            }
        }
    };
    // Overloads share a method and name; the first one offered answers for them.
    let mut seen = std::collections::HashSet::new();
    let operations: Vec<TokenStream> = node
        .operations
        .iter()
        .filter_map(|op| Some((dispatch_key(model, op), operation_arm(model, op)?)))
        .filter(|(key, _)| seen.insert(*key))
        .map(|(_, arm)| arm)
        .collect();
    let request_body = if operations.is_empty() {
        quote!(None)
    } else {
        quote! {
            match (method, call) {
                #(#operations)*
                _ => None,
            }
        }
    };
    quote! {
        #[cfg(feature = "dynamic")]
        impl crate::request::DynamicPath for #name {
            #[allow(unused_variables)]
            fn child(&self, segment: &str) -> Option<Box<dyn crate::request::DynamicPath>> {
                #child_body
            }

            #[allow(unused_variables)]
            fn request(&self, method: &str, call: Option<&str>, body: ::serde_json::Value, base_url: &str) -> Option<Result<::http::Request<Vec<u8>>, crate::request::Error>> {
                #request_body
            }
        }
    }
}

/// What a dynamic request names an operation by: its HTTP method, and the name it calls.
fn dispatch_key<'m>(model: &'m Model, op: &PathOperation) -> (&'static str, Option<&'m str>) {
    let call = op.kind.called(model).map(|called| called.name.as_str());
    (op.kind.http_method(model), call)
}

fn operation_arm(model: &Model, op: &PathOperation) -> Option<TokenStream> {
    let method = ident(&op.rust_name);
    let with_body = |ty: TokenStream, call: TokenStream| quote!(crate::request::dynamic_body::<#ty>(body).and_then(|body| #call.http_request(base_url)));
    let verb = op.kind.http_method(model);
    let (call, request) = match op.kind {
        PathOperationKind::List { .. }
        | PathOperationKind::Get { .. }
        | PathOperationKind::GetStream
        | PathOperationKind::Delete => (None, quote!(self.#method().http_request(base_url))),
        PathOperationKind::PutStream => (
            None,
            quote!(self.#method(Vec::new()).http_request(base_url)),
        ),
        PathOperationKind::Create { item } => (
            None,
            with_body(
                item_type(model, Target::Named(item), Spelling::Short),
                quote!(self.#method(body)),
            ),
        ),
        PathOperationKind::Update { ty } => (
            None,
            with_body(
                item_type(model, Target::Named(ty), Spelling::Short),
                quote!(self.#method(body)),
            ),
        ),
        PathOperationKind::Call { operation } => {
            let called = &model.operations[operation];
            let request = match (&called.parameters_type, called.kind) {
                (Some(parameters), _) => {
                    let module = ident(&model.namespace(called.namespace).module);
                    let parameters = ident(parameters);
                    with_body(
                        quote!(crate::#module::#parameters),
                        quote!(self.#method(&body)),
                    )
                }
                (None, OperationKind::Action) => quote!(self.#method().http_request(base_url)),
                // Functions with arguments take them as Rust values; not offered here.
                (None, OperationKind::Function) if !called.parameters.is_empty() => return None,
                (None, OperationKind::Function) => quote!(self.#method().http_request(base_url)),
            };
            (Some(called.name.clone()), request)
        }
    };
    let call = match call {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    Some(quote!((#verb, #call) => Some(#request),))
}
