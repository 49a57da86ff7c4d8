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
        })
        .collect::<Vec<syn::Arm>>();
    // Without types (a schema of terms, functions or type definitions only) a match would
    // have a single arm, which clippy rejects (`match_single_binding`).
    let round_trip_body: Expr = if round_trips.is_empty() {
        template!(Expr; None)
    } else {
        Holes::new()
            .arms("__round_trips", round_trips)
            .fill(template!(Expr;
                match qualified_name {
                    __round_trips => {}
                    _ => None,
                }
            ))
    };
    let roots: Vec<syn::Arm> = model
        .resources
        .roots
        .iter()
        .enumerate()
        .filter(|(_, root)| matches!(root.kind, RootKind::EntryPoint { .. }))
        .map(|(area, root)| {
            Holes::new()
                .attrs("__cfg", super::area_cfg(model, crate::ir::AreaId(area)).into_iter().collect())
                .string("__segment", &root.name)
                .ident("__accessor", ident(&root.rust_name))
                .fill(template!(syn::Arm;
                    #[__cfg]
                    "__segment" => Some(Box::new(crate::requests::__accessor())),
                ))
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
            __round_trip_body
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
        /// last segment, qualified or not) on the concrete `path` (`/items/123/parts`), with
        /// `body` as its body. `None` if the path or the operation does not exist.
        pub fn request(path: &str, method: &str, call: Option<&str>, body: ::serde_json::Value, base_url: &str) -> Option<Result<::http::Request<Vec<u8>>, crate::request::Error>> {
            let mut segments = crate::request::dynamic_segments(path);
            let mut call = call.map(|c| {
                let name = c.split('(').next().unwrap_or(c);
                name.rsplit('.').next().unwrap_or(name)
            });
            if call.is_some() {
                segments.pop();
            } else if segments.last() == Some(&"$count") {
                segments.pop();
                call = Some("$count");
            }
            let (first, rest) = segments.split_first()?;
            let (name, key) = crate::request::dynamic_key(first);
            let mut node = root(name)?;
            if let Some(key) = key {
                node = node.child(&key)?;
            }
            for segment in rest {
                let (name, key) = crate::request::dynamic_key(segment);
                node = node.child(name)?;
                if let Some(key) = key {
                    node = node.child(&key)?;
                }
            }
            node.request(method, call, body, base_url)
        }
    );
    file.items = Holes::new()
        .expr("__round_trip_body", round_trip_body)
        .expr("__root_body", root_body)
        .fill_items(file.items);
    file
}

/// `impl DynamicPath` for one request builder: the ways on, then its operations. It is emitted
/// into the builders' file, where std's prelude names are not shadowed (builders end in
/// `Request`).
pub fn dynamic_path_impl(model: &Model, builder: &Builder) -> Item {
    let mut children = Vec::new();
    let mut key_accessor = None;
    for member in &builder.members {
        let accessor = ident(&member.rust_name);
        let cfg = super::cfg_member(model, member.gate.as_ref());
        let segment = match &member.kind {
            MemberKind::Navigation { property, .. }
            | MemberKind::ComplexProperty { property, .. }
            | MemberKind::StreamProperty { property } => property.clone(),
            MemberKind::Cast { ty, .. } => model.ty(*ty).qualified_name.clone(),
            MemberKind::Reference => "$ref".to_owned(),
            MemberKind::Media => "$value".to_owned(),
            MemberKind::Key { parts, .. } => {
                if let [part] = parts.as_slice() {
                    if part.ty == Target::Primitive(Primitive::String) {
                        key_accessor = Some(accessor);
                    }
                }
                continue;
            }
            _ => continue,
        };
        children.push(
            Holes::new()
                .attrs("__cfg", cfg.into_iter().collect())
                .ident("__accessor", accessor)
                .string("__segment", &segment)
                .fill(template!(syn::Arm;
                    #[__cfg]
                    "__segment" => Some(Box::new(self.__accessor())),
                )),
        );
    }
    let fallback: Expr = match key_accessor {
        Some(accessor) => Holes::new()
            .ident("__accessor", accessor)
            .fill(template!(Expr; Some(Box::new(self.__accessor(segment))))),
        None => template!(Expr; None),
    };
    let child_body: Expr = if children.is_empty() {
        fallback
    } else {
        Holes::new()
            .arms("__children", children)
            .expr("__fallback", fallback)
            .fill(template!(Expr;
                match segment {
                    __children => {}
                    _ => __fallback,
                }
            ))
    };
    // Overloads share a method and name; the first one offered answers for them.
    let mut seen = std::collections::HashSet::new();
    let operations: Vec<syn::Arm> = builder
        .members
        .iter()
        .filter_map(|m| Some((dispatch_key(model, m)?, operation_arm(model, builder, m)?)))
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
        .ident("__Name", ident(&builder.rust_name))
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
fn dispatch_key<'m>(model: &'m Model, member: &Member) -> Option<(&'static str, Option<&'m str>)> {
    let call = match &member.kind {
        MemberKind::Count => Some("$count"),
        kind => kind.called(model).map(|called| called.name.as_str()),
    };
    Some((member.kind.http_method(model)?, call))
}

fn operation_arm(model: &Model, builder: &Builder, member: &Member) -> Option<syn::Arm> {
    let method = || Holes::new().ident("__method", ident(&member.rust_name));
    let with_body = |ty: Type, call: Expr| {
        Holes::new()
            .ty("__T", ty)
            .expr("__call", call)
            .fill(template!(Expr;
                crate::request::dynamic_request(body, base_url, |body: __T| __call)
            ))
    };
    let verb = member.kind.http_method(model)?;
    let ty = builder.kind.ty();
    let (call, request): (Option<&str>, Expr) = match &member.kind {
        MemberKind::Count => (
            Some("$count"),
            method().fill(template!(Expr; Some(self.__method().http_request(base_url)))),
        ),
        MemberKind::List | MemberKind::Get | MemberKind::Delete => (
            None,
            method().fill(template!(Expr; Some(self.__method().http_request(base_url)))),
        ),
        MemberKind::Create | MemberKind::Update | MemberKind::Replace => (
            None,
            with_body(
                item_type(model, Target::Named(ty), Spelling::Short),
                method().fill(template!(Expr; self.__method(body))),
            ),
        ),
        MemberKind::Call { operation, .. } => {
            let called = model.operation(*operation);
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
                    method().fill(template!(Expr; Some(self.__method().http_request(base_url))))
                }
                // Functions with arguments take them as Rust values; not offered here.
                (None, OperationKind::Function) if !called.parameters.is_empty() => return None,
                (None, OperationKind::Function) => {
                    method().fill(template!(Expr; Some(self.__method().http_request(base_url))))
                }
            };
            (Some(called.name.as_str()), request)
        }
        _ => return None,
    };
    let cfg = super::cfg_member(model, member.gate.as_ref());
    let holes = Holes::new()
        .attrs("__cfg", cfg.into_iter().collect())
        .string("__verb", verb)
        .expr("__request", request);
    Some(match call {
        Some(name) => holes.string("__name", name).fill(template!(syn::Arm;
            #[__cfg]
            ("__verb", Some("__name")) => __request,
        )),
        None => holes.fill(template!(syn::Arm;
            #[__cfg]
            ("__verb", None) => __request,
        )),
    })
}
