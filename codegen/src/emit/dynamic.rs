//! `src/dynamic.rs` (cargo feature `dynamic`): reading and writing values, and building
//! requests, by the names the metadata uses, at run time. Tools and tests use it to check
//! documentation examples against the generated types without naming each type in code.
//!
//! Request builders implement `request::DynamicPath` in their own files (see
//! [`dynamic_path_impl`]), so this module only dispatches on the first segment.

use syn::{Expr, Item, Type};

use super::ident;
use super::template::{crate_path, path_type, template, Holes};
use super::types::{item_type, Spelling};
use crate::ir::*;

pub fn dynamic_rs(model: &Model) -> syn::File {
    let round_trips = model
        .types
        .iter()
        .filter(|t| !matches!(t.kind, TypeKind::Alias(_)))
        .map(|t| {
            Holes::new()
                .attrs("__cfg", super::cfg(model, &t.gate).into_iter().collect())
                .string("__name", &t.qualified_name)
                .ty(
                    "__T",
                    item_type(model, Target::Named(t.id), Spelling::Short),
                )
                .fill(template!(syn::Arm;
                    #[__cfg]
                    "__name" => Some(round_trip_as::<__T>(value)),
                ))
        });
    let roots: Vec<syn::Arm> = model
        .paths
        .iter()
        .filter(|n| n.parent.is_none())
        .filter_map(|node| {
            let Segment::Literal(segment) = &node.segment else {
                return None;
            };
            Some(
                Holes::new()
                    .attrs(
                        "__cfg",
                        super::area_cfg(model, node.area).into_iter().collect(),
                    )
                    .string("__segment", segment)
                    .ident("__accessor", ident(&node.accessor))
                    .fill(template!(syn::Arm;
                        #[__cfg]
                        "__segment" => Some(Box::new(crate::requests::__accessor())),
                    )),
            )
        })
        .collect();
    // Without entry points a match would have a single arm, which clippy rejects.
    let root_body: Expr = if roots.is_empty() {
        template!(Expr; None)
    } else {
        Holes::new().arms("__roots", roots).fill(template!(Expr;
            match segment {
                __roots => {}
                _ => None,
            }
        ))
    };
    let mut file: syn::File = template!(syn::File;
        //! Values and requests by the metadata's names, at run time (feature `dynamic`).

        use crate::request::DynamicPath;

        /// Reads `value` as the type with this qualified name and writes it back. `None` if no
        /// type of that name is compiled (see the area features).
        #[allow(unused_variables)]
        pub fn round_trip(qualified_name: &str, value: ::serde_json::Value) -> Option<Result<::serde_json::Value, ::serde_json::Error>> {
            match qualified_name {
                __round_trips => {}
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
            __root_body
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
    );
    file.items = Holes::new()
        .arms("__round_trips", round_trips.collect())
        .expr("__root_body", root_body)
        .fill_items(file.items);
    file
}

/// `impl DynamicPath` for one request builder: its children, then its operations. It is emitted
/// into the area's file, where std's prelude names are not shadowed (builders end in
/// `Request`).
pub fn dynamic_path_impl(model: &Model, node: &PathNode) -> Item {
    let mut literal_children = Vec::new();
    let mut key_accessor = None;
    for &child in &node.children {
        let child = model.path(child);
        let accessor = ident(&child.accessor);
        match &child.segment {
            Segment::Literal(segment) => literal_children.push(
                Holes::new()
                    .ident("__accessor", accessor)
                    .string("__segment", segment)
                    .fill(template!(syn::Arm;
                        "__segment" => Some(Box::new(self.__accessor())),
                    )),
            ),
            Segment::Key { .. } => key_accessor = Some(accessor),
        }
    }
    // A collection's only child is its key; an entity's children are literal segments
    // (containment and streams); the resolver never gives a node both. A match with a single
    // arm is written without the match (clippy rejects it).
    let child_body: Expr = match key_accessor {
        Some(accessor) => Holes::new()
            .ident("__accessor", accessor)
            .fill(template!(Expr; Some(Box::new(self.__accessor(segment))))),
        None if literal_children.is_empty() => template!(Expr; None),
        None => Holes::new()
            .arms("__children", literal_children)
            .fill(template!(Expr;
                match segment {
                    __children => {}
                    _ => None,
                }
            )),
    };
    // Overloads share a method and name; the first one offered answers for them.
    let mut seen = std::collections::HashSet::new();
    let operations: Vec<syn::Arm> = node
        .operations
        .iter()
        .filter_map(|op| Some((dispatch_key(model, op), operation_arm(model, op)?)))
        .filter(|(key, _)| seen.insert(*key))
        .map(|(_, arm)| arm)
        .collect();
    let request_body: Expr = if operations.is_empty() {
        template!(Expr; None)
    } else {
        Holes::new()
            .arms("__operations", operations)
            .fill(template!(Expr;
                match (method, call) {
                    __operations => {}
                    _ => None,
                }
            ))
    };
    Holes::new()
        .ident("__Name", ident(&node.rust_name))
        .expr("__child_body", child_body)
        .expr("__request_body", request_body)
        .fill(template!(Item;
            #[cfg(feature = "dynamic")]
            impl crate::request::DynamicPath for __Name {
                #[allow(unused_variables)]
                fn child(&self, segment: &str) -> Option<Box<dyn crate::request::DynamicPath>> {
                    __child_body
                }

                #[allow(unused_variables)]
                fn request(&self, method: &str, call: Option<&str>, body: ::serde_json::Value, base_url: &str) -> Option<Result<::http::Request<Vec<u8>>, crate::request::Error>> {
                    __request_body
                }
            }
        ))
}

/// What a dynamic request names an operation by: its HTTP method, and the name it calls.
fn dispatch_key<'m>(model: &'m Model, op: &PathOperation) -> (&'static str, Option<&'m str>) {
    let call = op.kind.called(model).map(|called| called.name.as_str());
    (op.kind.http_method(model), call)
}

fn operation_arm(model: &Model, op: &PathOperation) -> Option<syn::Arm> {
    let method = || Holes::new().ident("__method", ident(&op.rust_name));
    let with_body = |ty: Type, call: Expr| {
        Holes::new()
            .ty("__T", ty)
            .expr("__call", call)
            .fill(template!(Expr;
                crate::request::dynamic_body::<__T>(body).and_then(|body| __call.http_request(base_url))
            ))
    };
    let verb = op.kind.http_method(model);
    let (call, request): (Option<&str>, Expr) = match op.kind {
        PathOperationKind::List { .. }
        | PathOperationKind::Get { .. }
        | PathOperationKind::GetStream
        | PathOperationKind::Delete => (
            None,
            method().fill(template!(Expr; self.__method().http_request(base_url))),
        ),
        PathOperationKind::PutStream => (
            None,
            method().fill(template!(Expr; self.__method(Vec::new()).http_request(base_url))),
        ),
        PathOperationKind::Create { item: ty } | PathOperationKind::Update { ty } => (
            None,
            with_body(
                item_type(model, Target::Named(ty), Spelling::Short),
                method().fill(template!(Expr; self.__method(body))),
            ),
        ),
        PathOperationKind::Call { operation } => {
            let called = &model.operations[operation];
            let request = match (&called.parameters_type, called.kind) {
                (Some(parameters), _) => {
                    let parameters = crate_path(&[
                        ident(&model.namespace(called.namespace).module),
                        ident(parameters),
                    ]);
                    with_body(
                        path_type(parameters),
                        method().fill(template!(Expr; self.__method(&body))),
                    )
                }
                (None, OperationKind::Action) => {
                    method().fill(template!(Expr; self.__method().http_request(base_url)))
                }
                // Functions with arguments take them as Rust values; not offered here.
                (None, OperationKind::Function) if !called.parameters.is_empty() => return None,
                (None, OperationKind::Function) => {
                    method().fill(template!(Expr; self.__method().http_request(base_url)))
                }
            };
            (Some(called.name.as_str()), request)
        }
    };
    let holes = Holes::new()
        .string("__verb", verb)
        .expr("__request", request);
    Some(match call {
        Some(name) => holes.string("__name", name).fill(template!(syn::Arm;
            ("__verb", Some("__name")) => Some(__request),
        )),
        None => holes.fill(template!(syn::Arm;
            ("__verb", None) => Some(__request),
        )),
    })
}
