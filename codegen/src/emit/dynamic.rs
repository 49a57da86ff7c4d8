//! `src/dynamic.rs` (cargo feature `dynamic`): reading and writing values, and building
//! requests, by the names the metadata uses, at run time. Tools and tests use it to check
//! documentation examples against the generated types without naming each type in code.
//!
//! Request builders implement `request::DynamicPath` in their own files (see
//! [`dynamic_path_impl`]), so this module only dispatches on the first segment.

use syn::{Expr, ImplItem, Item, Type};

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
    let entry_points: Vec<(usize, &Root)> = model
        .resources
        .roots
        .iter()
        .enumerate()
        .filter(|(_, root)| matches!(root.kind, RootKind::EntryPoint { .. }))
        .collect();
    let mut root_names: syn::ExprArray = template!(syn::ExprArray; []);
    root_names
        .elems
        .extend(entry_points.iter().map(|(_, root)| super::template::string_expr(&root.name)));
    let roots: Vec<syn::Arm> = entry_points
        .iter()
        .map(|&(area, root)| {
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
    // Without entry points a match would have a single arm, which clippy rejects. A name
    // spelled in another letter case is the entry point's (Graph reads segments in any case).
    let root_body: Expr = if roots.is_empty() {
        template!(Expr; None)
    } else {
        Holes::new()
            .arms("__roots", roots)
            .expr("__names", syn::Expr::Array(root_names))
            .fill(template!(Expr;
                match crate::request::dynamic_name(segment, &__names) {
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

        /// The request builder of an entry point, named in any letter case.
        #[allow(unused_variables)]
        pub fn root(segment: &str) -> Option<Box<dyn DynamicPath>> {
            __root_body
        }

        /// Builds the request of `method` (with `call`, of that bound operation, named by the
        /// last segment, qualified or not) on the concrete `path` (`/items/123/parts`), with
        /// `body` as its body. `None` if the path or the operation does not exist.
        pub fn request(path: &str, method: &str, call: Option<&str>, body: ::serde_json::Value, base_url: &str) -> Option<Result<::http::Request<Vec<u8>>, crate::request::Error>> {
            operation(path, method, call, body).map(|operation| operation.and_then(|operation| operation.http_request(base_url)))
        }

        /// The operation of `method` (with `call`, of that bound operation) on the concrete
        /// `path`, as [`request`] finds it: `body` is its JSON body, or, for a function, its
        /// arguments by name. It builds the request and reads answers as the typed operation
        /// does. `None` if the path or the operation does not exist.
        pub fn operation(path: &str, method: &str, call: Option<&str>, mut body: ::serde_json::Value) -> crate::request::DynamicResult {
            let mut segments = crate::request::dynamic_segments(path);
            let mut call = call.map(|c| {
                let name = c.split('(').next().unwrap_or(c);
                name.rsplit('.').next().unwrap_or(name)
            });
            if call.is_some() {
                // The call's own segment may hold a function's arguments (`f(a=1)`): they are
                // its arguments when no body gives them.
                let last = segments.pop().unwrap_or_default();
                if let (Some(open), true, true) = (last.find('('), last.ends_with(')'), body.is_null()) {
                    body = crate::request::dynamic_arguments(&last[open + 1..last.len() - 1], &[]);
                }
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
            let mut rest = rest.iter();
            while let Some(segment) = rest.next() {
                // Path-based addressing (`root:/a/b.txt:`): the segments up to the one that
                // ends in `:` name an item below this one.
                if let Some(name) = segment.strip_suffix(':') {
                    node = node.child(name)?;
                    let mut path = Vec::new();
                    for part in rest.by_ref() {
                        match part.strip_suffix(':') {
                            Some(last) => {
                                path.push(last);
                                break;
                            }
                            None => path.push(*part),
                        }
                    }
                    node = node.path_addressed(&path.join("/"))?;
                    continue;
                }
                let (name, key) = crate::request::dynamic_key(segment);
                // A composable function's call, else a member and maybe a key.
                if let (Some(open), true) = (segment.find('('), segment.ends_with(')')) {
                    let arguments = crate::request::dynamic_arguments(&segment[open + 1..segment.len() - 1], &[]);
                    match node.compose(name, &arguments) {
                        Some(Ok(next)) => {
                            node = next;
                            continue;
                        }
                        Some(Err(error)) => return Some(Err(error)),
                        None => {}
                    }
                }
                node = node.child(name)?;
                if let Some(key) = key {
                    node = node.child(&key)?;
                }
            }
            if let Some(name) = call {
                if let found @ Some(_) = node.operation(method, Some(name), body.clone()) {
                    return found;
                }
                // A composable function's call: the operation on its result (`GET …/range`).
                return match node.compose(name, &body)? {
                    Ok(result) => result.operation(method, None, ::serde_json::Value::Null),
                    Err(error) => Some(Err(error)),
                };
            }
            node.operation(method, call, body)
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
    let mut names = Vec::new();
    let mut compositions = Vec::new();
    let mut key_accessor = None;
    let mut path_accessor = None;
    for member in &builder.members {
        let accessor = ident(&member.rust_name);
        let cfg = super::cfg_member(model, member.gate.as_ref());
        let segment = match &member.kind {
            MemberKind::Navigation { property, .. }
            | MemberKind::ComplexProperty { property, .. }
            | MemberKind::StreamProperty { property }
            | MemberKind::Property { property, .. } => property.clone(),
            // Its target is its own builder: it is never gated apart from it.
            MemberKind::PathAddress { .. } => {
                path_accessor = Some(accessor);
                continue;
            }
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
            MemberKind::Call {
                operation,
                segment,
                continues: Some(_),
            } => {
                let called = model.operation(*operation);
                compositions.push((called.parameters.len(), composition_arm(model, member, called)));
                if !called.parameters.is_empty() {
                    continue;
                }
                segment.clone()
            }
            _ => continue,
        };
        names.push(segment.clone());
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
    let fallback: Option<Expr> = key_accessor.map(|accessor| {
        Holes::new()
            .ident("__accessor", accessor)
            .fill(template!(Expr; Some(Box::new(self.__accessor(segment)))))
    });
    // A member's name, else the same name in another letter case (Graph reads segments in any
    // case), else a key.
    let child_body: Expr = if children.is_empty() {
        fallback.unwrap_or_else(|| template!(Expr; None))
    } else {
        let mut list: syn::ExprArray = template!(syn::ExprArray; []);
        list.elems.extend(names.iter().map(|n| super::template::string_expr(n)));
        Holes::new()
            .arms("__children", children)
            .expr("__names", syn::Expr::Array(list))
            .expr("__fallback", fallback.unwrap_or_else(|| template!(Expr; None)))
            .fill(template!(Expr;
                match crate::request::dynamic_name(segment, &__names) {
                    __children => {}
                    _ => __fallback,
                }
            ))
    };
    // Overloads of a function are told apart by their arguments, those with fewer parameters
    // tried first; other overloads share a method and name, and the first one offered
    // answers for them.
    let mut seen = std::collections::HashSet::new();
    let mut operations: Vec<(usize, syn::Arm)> = builder
        .members
        .iter()
        .filter_map(|m| Some((dispatch_key(model, m)?, operation_arm(model, builder, m)?)))
        .filter(|(key, _)| seen.insert(key.clone()))
        .map(|((_, _, parameters), arm)| (parameters.len(), arm))
        .collect();
    operations.sort_by_key(|(count, _)| *count);
    let operations: Vec<syn::Arm> = operations.into_iter().map(|(_, arm)| arm).collect();
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
    let mut item = Holes::new()
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
                fn operation(&self, method: &str, call: Option<&str>, body: ::serde_json::Value) -> crate::request::DynamicResult {
                    __request_body
                }
            }
        ));
    // `compose` and `path_addressed` are left to the trait's defaults (`None`) where a builder
    // has neither: most builders, whose code stays small.
    let Item::Impl(implementation) = &mut item else {
        unreachable!("an impl template")
    };
    if !compositions.is_empty() {
        compositions.sort_by_key(|(count, _)| *count);
        implementation.items.push(
            Holes::new()
                .arms("__compositions", compositions.into_iter().map(|(_, arm)| arm).collect())
                .fill(template!(ImplItem;
                    fn compose(&self, name: &str, arguments: &::serde_json::Value) -> Option<Result<Box<dyn crate::request::DynamicPath>, crate::request::Error>> {
                        match name {
                            __compositions => {}
                            _ => None,
                        }
                    }
                )),
        );
    }
    if let Some(accessor) = path_accessor {
        implementation.items.push(
            Holes::new()
                .ident("__accessor", accessor)
                .fill(template!(ImplItem;
                    fn path_addressed(&self, path: &str) -> Option<Box<dyn crate::request::DynamicPath>> {
                        Some(Box::new(self.__accessor(path)))
                    }
                )),
        );
    }
    item
}

/// The arguments of a call to `called` read from `source` (an object of arguments by name), in
/// the order of its parameters.
fn argument_exprs(model: &Model, called: &Operation, source: Expr) -> Vec<Expr> {
    called
        .parameters
        .iter()
        .map(|p| {
            Holes::new()
                .ty("__T", super::requests::parameter_type(model, p))
                .string("__name", &p.name)
                .expr("__source", source.clone())
                .fill(template!(Expr; crate::request::dynamic_argument::<__T>(__source, "__name")?))
        })
        .collect()
}

/// `names` as `&["a", "b"]`.
fn names_expr(called: &Operation) -> Expr {
    let mut list: syn::ExprArray = template!(syn::ExprArray; []);
    list.elems.extend(called.parameters.iter().map(|p| super::template::string_expr(&p.name)));
    Holes::new()
        .expr("__list", syn::Expr::Array(list))
        .fill(template!(Expr; &__list))
}

/// The arm of `compose` that calls a composable function (named qualified or not) with
/// arguments that fit it.
fn composition_arm(model: &Model, member: &Member, called: &Operation) -> syn::Arm {
    let Expr::MethodCall(mut call) = Holes::new()
        .ident("__method", ident(&member.rust_name))
        .fill(template!(Expr; self.__method()))
    else {
        unreachable!("a method call template")
    };
    call.args.extend(argument_exprs(model, called, template!(Expr; arguments)));
    Holes::new()
        .attrs("__cfg", super::cfg_member(model, member.gate.as_ref()).into_iter().collect())
        .string("__qualified", &called.qualified_name)
        .expr("__names", names_expr(called))
        .expr("__call", Expr::MethodCall(call))
        .fill(template!(syn::Arm;
            #[__cfg]
            _ if crate::request::dynamic_calls(name, "__qualified") && crate::request::dynamic_arguments_fit(arguments, __names) => crate::request::dynamic_compose(|| Ok(__call)),
        ))
}

/// What a dynamic request names an operation by: its HTTP method, the name it calls, and, for
/// a function, its parameters (its overloads are told apart by them).
fn dispatch_key<'m>(model: &'m Model, member: &Member) -> Option<(&'static str, Option<&'m str>, Vec<&'m str>)> {
    let called = member.kind.called(model);
    let call = match &member.kind {
        MemberKind::Count => Some("$count"),
        _ => called.map(|called| called.name.as_str()),
    };
    let parameters = called
        .filter(|c| c.kind == OperationKind::Function)
        .map(|c| c.parameters.iter().map(|p| p.name.as_str()).collect())
        .unwrap_or_default();
    Some((member.kind.http_method(model)?, call, parameters))
}

fn operation_arm(model: &Model, builder: &Builder, member: &Member) -> Option<syn::Arm> {
    let method = || Holes::new().ident("__method", ident(&member.rust_name));
    let plain = || method().fill(template!(Expr; crate::request::dynamic_call(|| Ok(self.__method()))));
    let with_body = |ty: Type, call: Expr| {
        Holes::new()
            .ty("__T", ty)
            .expr("__call", call)
            .fill(template!(Expr;
                crate::request::dynamic_operation(body, |body: __T| __call)
            ))
    };
    let verb = member.kind.http_method(model)?;
    let ty = builder.kind.ty();
    let (call, request): (Option<&str>, Expr) = match &member.kind {
        MemberKind::Count => (Some("$count"), plain()),
        MemberKind::List | MemberKind::Get | MemberKind::Delete => (None, plain()),
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
                (None, OperationKind::Function) if !called.parameters.is_empty() => {
                    // Each argument read from `body`, an object of arguments by name.
                    let Expr::MethodCall(mut call) = method().fill(template!(Expr; self.__method())) else {
                        return None;
                    };
                    call.args.extend(argument_exprs(model, called, template!(Expr; &body)));
                    Holes::new()
                        .expr("__call", Expr::MethodCall(call))
                        .fill(template!(Expr; crate::request::dynamic_call(|| Ok(__call))))
                }
                (None, _) => plain(),
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
    // A function's overloads are told apart by their arguments: each arm takes only those
    // that fit it.
    let overloaded = member.kind.called(model).filter(|c| c.kind == OperationKind::Function);
    Some(match (call, overloaded) {
        (Some(name), Some(called)) => holes
            .string("__name", name)
            .expr("__names", names_expr(called))
            .fill(template!(syn::Arm;
                #[__cfg]
                ("__verb", Some("__name")) if crate::request::dynamic_arguments_fit(&body, __names) => __request,
            )),
        (Some(name), None) => holes.string("__name", name).fill(template!(syn::Arm;
            #[__cfg]
            ("__verb", Some("__name")) => __request,
        )),
        (None, _) => holes.fill(template!(syn::Arm;
            #[__cfg]
            ("__verb", None) => __request,
        )),
    })
}
