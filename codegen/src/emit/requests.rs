//! Request builders: one struct per kind of resource (an entity of a type, a collection of
//! it, a complex value), shared by every URL that reaches it. Each has a method per operation
//! and per way on (navigation, key, cast, composable function); the URL is carried at run
//! time by `request::Context`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{FnArg, ImplItem, Item, Type};

use super::docs::{alias, code, doc_attrs, doc_paragraphs, inner_doc_attrs, page_link, sanitize};
use super::ident;
use super::template::{attribute, crate_path, items, public_field, string_expr, template, Holes};
use super::types::{item_type, option_of, value_type, Spelling};
use crate::ir::*;

/// `src/requests/mod.rs`: one module per namespace with builders, the URL conventions, and the
/// root functions (and client methods) for entry points and operation imports.
pub fn requests_mod_rs(model: &Model) -> TokenStream {
    let docs = inner_doc_attrs(&[
        "Request builders that mirror the service's URLs. Start from a root function (no client: build `http` requests yourself) or from the same method on `client::Client` (with the `client` feature: operations can be awaited).".to_owned(),
        "Builders are keyed by what they address: every URL that reaches an entity of a type shares that type's builder, so the tree of URLs is as deep as the service allows. Each entity set, singleton and operation import is an area with its own cargo feature.".to_owned(),
    ]);
    let modules = builder_namespaces(model).into_iter().map(|ns| {
        let namespace = model.namespace(ns);
        let module = ident(&namespace.module);
        let docs = doc_paragraphs(&[format!(
            "Request builders of the types of {}.",
            code(&namespace.name)
        )]);
        quote! {
            #(#docs)*
            pub mod #module;
        }
    });
    let conventions = model.resources.conventions;
    let key_as_segment = conventions.key_as_segment;
    let batch_paths = conventions.batch_paths_from_service_root;
    let free_functions = model
        .resources
        .roots
        .iter()
        .enumerate()
        .map(|(area, root)| {
            let accessor = ident(&root.rust_name);
            let cfg = super::area_cfg(model, crate::ir::AreaId(area));
            let (output, body) = root_body(
                model,
                root,
                quote!(crate::request::Context::root(CONVENTIONS)),
            );
            let mut docs = doc_attrs(
                &root.docs,
                &[format!(
                    "{}, without a client.",
                    code(&format!("/{}", root.name))
                )],
            );
            docs.extend(alias(&root.rust_name, &root.name));
            let args = root_args(model, root);
            let allow = many_arguments(args.len());
            quote! {
                #(#docs)*
                #cfg
                #allow
                pub fn #accessor(#(#args),*) -> #output {
                    #body
                }
            }
        });
    let client_methods = model
        .resources
        .roots
        .iter()
        .enumerate()
        .map(|(area, root)| {
            let accessor = ident(&root.rust_name);
            let cfg = super::area_cfg(model, crate::ir::AreaId(area));
            let (output, body) = root_body(
                model,
                root,
                quote!(crate::request::Context::with_client(CONVENTIONS, self)),
            );
            let mut docs = doc_attrs(
                &root.docs,
                &[format!("{}.", code(&format!("/{}", root.name)))],
            );
            docs.extend(alias(&root.rust_name, &root.name));
            let args = root_args(model, root);
            let allow = many_arguments(args.len() + 1);
            quote! {
                #(#docs)*
                #cfg
                #allow
                pub fn #accessor(&self, #(#args),*) -> #output {
                    #body
                }
            }
        });
    quote! {
        #(#docs)*
        #(#modules)*

        /// How this service writes keys and operation names in URLs (chosen at generation).
        pub const CONVENTIONS: crate::request::Conventions = crate::request::Conventions {
            key_as_segment: #key_as_segment,
            batch_paths_from_service_root: #batch_paths,
        };

        #(#free_functions)*

        #[cfg(feature = "client")]
        impl crate::client::Client {
            #(#client_methods)*
        }
    }
}

/// The namespaces whose types have builders, in namespace order.
pub fn builder_namespaces(model: &Model) -> Vec<NamespaceId> {
    let mut namespaces: Vec<NamespaceId> = model
        .resources
        .builders
        .iter()
        .map(|b| model.ty(b.kind.ty()).namespace)
        .collect();
    namespaces.sort_unstable();
    namespaces.dedup();
    namespaces
}

fn restrictions_expr(restrictions: &Restrictions) -> TokenStream {
    let Restrictions {
        insertable,
        updatable,
        deletable,
        readable,
        countable,
        referenceable,
    } = *restrictions;
    quote! {
        crate::request::Restrictions {
            insertable: #insertable,
            updatable: #updatable,
            deletable: #deletable,
            readable: #readable,
            countable: #countable,
            referenceable: #referenceable,
        }
    }
}

fn root_args(model: &Model, root: &Root) -> Vec<FnArg> {
    match &root.kind {
        RootKind::Import { operation, .. } => {
            operation_arguments(model, model.operation(*operation))
        }
        RootKind::EntryPoint { .. } => Vec::new(),
    }
}

/// The arguments of a method calling `op`: the parameters of a function, or an action's
/// parameters struct.
fn operation_arguments(model: &Model, op: &Operation) -> Vec<FnArg> {
    match (op.kind, &op.parameters_type) {
        (OperationKind::Function, _) => function_arguments(model, op),
        (OperationKind::Action, Some(parameters)) => {
            let parameters = crate_path(&[
                ident(&model.namespace(op.namespace).module),
                ident(parameters),
            ]);
            vec![Holes::new()
                .path("__Parameters", parameters)
                .fill(template!(FnArg; parameters: &__Parameters))]
        }
        (OperationKind::Action, None) => Vec::new(),
    }
}

/// The output type and body of a root function, from the root context `context`.
fn root_body(model: &Model, root: &Root, context: TokenStream) -> (TokenStream, TokenStream) {
    let name = &root.name;
    match &root.kind {
        RootKind::EntryPoint {
            builder,
            restrictions,
            ..
        } => {
            let builder = builder_path(model, *builder);
            let restrict = (!restrictions.is_unrestricted()).then(|| {
                let r = restrictions_expr(restrictions);
                quote!(.restrict(#r))
            });
            (
                quote!(#builder),
                quote!(#builder::with_context(#context.child(#name)#restrict)),
            )
        }
        RootKind::Import {
            operation,
            continues,
            ..
        } => {
            let op = model.operation(*operation);
            let context = syn::parse2(context).expect("an expression");
            let (output, body) = call_body(model, op, name, *continues, context);
            (quote!(#output), quote!(#body))
        }
    }
}

/// The output type and body of calling `op` named `segment` on `context` (an expression of
/// type `request::Context`). Built from templates: bound calls repeat thousands of times.
fn call_body(
    model: &Model,
    op: &Operation,
    segment: &str,
    continues: Option<BuilderId>,
    context: syn::Expr,
) -> (Type, syn::Expr) {
    let (output, parse) = return_of(model, op);
    let holes = || {
        Holes::new()
            .expr("__context", context.clone())
            .expr("__segment", string_expr(segment))
    };
    if let Some(item) = upload_session_item(model, op) {
        // An upload session, typed with what the finished upload makes.
        let call = holes().fill(template!(syn::Expr; __context.upload_session(__segment)));
        let body = match op.parameters_type {
            Some(_) => Holes::new()
                .expr("__call", call)
                .fill(template!(syn::Expr; __call.json(parameters))),
            None => call,
        };
        let output = Holes::new()
            .ty("__T", item)
            .fill(template!(Type; crate::request::Operation<crate::request::UploadSession<__T>>));
        return (output, body);
    }
    if let (Some(item), None) = (page_item(model, op), continues) {
        // Entities come in pages, with next and delta links.
        let body = match op.kind {
            OperationKind::Function => holes()
                .expr("__values", function_values(model, op))
                .fill(template!(syn::Expr; __context.function_pages(__segment, __values))),
            OperationKind::Action => {
                let call = holes().fill(template!(syn::Expr; __context.action_pages(__segment)));
                match op.parameters_type {
                    Some(_) => Holes::new()
                        .expr("__call", call)
                        .fill(template!(syn::Expr; __call.json(parameters))),
                    None => call,
                }
            }
        };
        let output = Holes::new()
            .ty("__T", item)
            .fill(template!(Type; crate::request::Operation<crate::request::Page<__T>>));
        return (output, body);
    }
    let body = match (op.kind, continues) {
        (OperationKind::Function, Some(builder)) => {
            let builder = builder_path(model, builder);
            let body = holes()
                .path("__Builder", builder.clone())
                .expr("__values", function_values(model, op))
                .fill(template!(syn::Expr;
                    __Builder::with_context(__context.compose(__segment, __values))
                ));
            return (super::template::path_type(builder), body);
        }
        (OperationKind::Function, None) => holes()
            .expr("__values", function_values(model, op))
            .expr("__parse", parse)
            .fill(template!(syn::Expr; __context.function(__segment, __values, __parse))),
        (OperationKind::Action, _) => {
            let call = match op.return_type {
                Some(_) => holes()
                    .expr("__parse", parse)
                    .fill(template!(syn::Expr; __context.action_returning(__segment, __parse))),
                None => holes().fill(template!(syn::Expr; __context.action(__segment))),
            };
            match op.parameters_type {
                Some(_) => Holes::new()
                    .expr("__call", call)
                    .fill(template!(syn::Expr; __call.json(parameters))),
                None => call,
            }
        }
    };
    let body = if returns_stream(op) {
        Holes::new()
            .expr("__call", body)
            .fill(template!(syn::Expr; __call.accept_any()))
    } else {
        body
    };
    let output = Holes::new()
        .ty("__T", output)
        .fill(template!(Type; crate::request::Operation<__T>));
    (output, body)
}

/// A namespace's `requests/<namespace>/mod.rs`: a module (a file) per type with builders,
/// holding that type's builders (of an entity, a collection, a complex value), compiled with
/// the type and re-exported. Builders name the runtime in full (`crate::request::Operation`): an
/// import would be unused where the area features compile none of them.
pub fn builders_module(model: &Model, id: NamespaceId) -> Vec<Item> {
    let mut by_type: std::collections::BTreeMap<TypeId, Vec<&str>> = std::collections::BTreeMap::new();
    for builder in &model.resources.builders {
        let ty = builder.kind.ty();
        if model.ty(ty).namespace == id {
            by_type.entry(ty).or_default().push(&builder.rust_name);
        }
    }
    by_type
        .into_iter()
        .flat_map(|(ty, names)| {
            let ty = model.ty(ty);
            let cfg = super::cfg(model, &ty.gate);
            let module = ident(&ty.module);
            let names = names.iter().map(|n| ident(n));
            items(syn::parse_quote! {
                #cfg
                mod #module;
                #cfg
                pub use self::#module::{#(#names),*};
            })
        })
        .collect()
}

/// The builder of one kind of resource.
pub fn builder(model: &Model, builder: &Builder) -> Vec<Item> {
    let ty = model.ty(builder.kind.ty());
    let what = match builder.kind {
        BuilderKind::Entity(_) => format!("an entity of type {}", code(&ty.qualified_name)),
        BuilderKind::Collection(_) => {
            format!(
                "a collection of entities of type {}",
                code(&ty.qualified_name)
            )
        }
        BuilderKind::Complex(_) => format!("a value of complex type {}", code(&ty.qualified_name)),
    };
    let docs = doc_paragraphs(&[format!(
        "Requests on {what}, wherever a URL reaches one: {}.",
        code("context().path()")
    )]);
    let methods: Vec<ImplItem> = builder
        .members
        .iter()
        .map(|member| member_method(model, builder, member))
        .collect();
    let cfg = super::cfg(model, &ty.gate);
    let name = ident(&builder.rust_name);
    let mut items = Holes::new()
        .attrs("__docs", docs)
        .attrs("__cfg", cfg.clone().into_iter().collect())
        .ident("__Name", name)
        .impl_items("__methods", methods)
        .fill_items(items(template!(syn::File;
            #[__docs]
            #[__cfg]
            #[derive(Clone, Debug)]
            pub struct __Name {
                context: crate::request::Context,
            }

            #[__cfg]
            impl __Name {
                // Unused where the area features compile the type but no way to it.
                #[allow(dead_code)]
                pub(crate) fn with_context(context: crate::request::Context) -> Self {
                    Self { context }
                }

                /// Where this builder points: the URL path so far, keys filled in.
                pub fn context(&self) -> &crate::request::Context {
                    &self.context
                }

                __methods!();
            }
        )));
    let mut dynamic = super::dynamic::dynamic_path_impl(model, builder);
    if let (Some(cfg), Item::Impl(item)) = (cfg, &mut dynamic) {
        item.attrs.push(cfg);
    }
    items.push(dynamic);
    items
}

/// `crate::requests::namespace::Name`.
fn builder_path(model: &Model, id: BuilderId) -> syn::Path {
    let builder = model.resources.builder(id);
    let namespace = model.ty(builder.kind.ty()).namespace;
    crate_path(&[
        ident("requests"),
        ident(&model.namespace(namespace).module),
        ident(&builder.rust_name),
    ])
}

/// Clippy's bound on arguments; functions with more parameters allow it.
fn many_arguments(count: usize) -> Option<syn::Attribute> {
    (count > 7).then(|| attribute("allow", quote!(clippy::too_many_arguments)))
}

/// Whether `ty` or a type derived from it declares a property named `value`: its answers may
/// look like a collection page, so they are read without the runtime's `parse_single` check.
fn declares_value(model: &Model, ty: TypeId) -> bool {
    let Some(s) = model.ty(ty).as_struct() else {
        return false;
    };
    std::iter::once(ty)
        .chain(s.derived.iter().copied())
        .filter_map(|t| model.ty(t).as_struct())
        .any(|t| t.properties.iter().any(|p| p.name == "value"))
}

/// Whether values of `ty` may be of a derived type, or `ty` is one.
fn is_polymorphic(model: &Model, ty: TypeId) -> bool {
    model
        .ty(ty)
        .as_struct()
        .is_some_and(|s| s.dispatch.is_some() || s.base.is_some())
}

fn entity_type(model: &Model, ty: TypeId) -> Type {
    item_type(model, Target::Named(ty), Spelling::Short)
}

/// What an upload to a stream property of `builder`'s type may answer with: the entity it
/// belongs to (a complex value's stream answers with JSON of any shape).
fn stream_owner(model: &Model, builder: &Builder) -> Type {
    match builder.kind {
        BuilderKind::Entity(ty) => entity_type(model, ty),
        _ => template!(Type; ::serde_json::Value),
    }
}

/// The docs' note on optimistic concurrency, where the metadata declares it for `ty`'s entity
/// sets (`Core.OptimisticConcurrency`).
fn concurrency_note(builder: &Builder) -> &'static str {
    if builder.optimistic_concurrency {
        " The service declares optimistic concurrency (`Core.OptimisticConcurrency`): changes, bound actions and content uploads take the etag of what was read, `.if_match(&etag)` (a `412` is `Error::PreconditionFailed`, a missing one `428`, `Error::PreconditionRequired`)."
    } else {
        ""
    }
}

/// The description comes first, as progenitor writes it: rustdoc's summaries then tell the
/// members apart, and the HTTP line (`GET`: reads the entity) follows, then the page that
/// documents it; the wire name is an alias.
fn member_docs(model: &Model, member: &Member, line: String) -> Vec<syn::Attribute> {
    let described = member
        .docs
        .summary
        .iter()
        .chain(member.docs.long.iter())
        .map(|s| sanitize(s));
    let link = member.docs.page.as_ref().and_then(page_link);
    let paragraphs: Vec<String> = described.chain(std::iter::once(line)).chain(link).collect();
    let mut attrs = doc_paragraphs(&paragraphs);
    attrs.extend(
        member
            .kind
            .wire_name(model)
            .and_then(|name| alias(&member.rust_name, name)),
    );
    attrs
}

fn member_method(model: &Model, builder: &Builder, member: &Member) -> ImplItem {
    let ty = builder.kind.ty();
    let holes = |line: String| {
        Holes::new()
            .attrs("__docs", member_docs(model, member, line))
            .attrs(
                "__cfg",
                super::cfg_member(model, member.gate.as_ref())
                    .into_iter()
                    .collect(),
            )
            .ident("__method", ident(&member.rust_name))
    };
    let leads = |target: BuilderId| builder_path(model, target);
    match &member.kind {
        MemberKind::List => holes(format!(
            "{}: one page of the collection; follow `@odata.nextLink` with `Operation::next_page`, or stream every item with the client.{}",
            code("GET"),
            if builder.change_tracking {
                " The service tracks changes of this collection (`Capabilities.ChangeTracking`): `.track_changes()` asks for a delta link on the last page (`Page::delta_url`), and the client's `changes()` reads a round's entities and removals."
            } else {
                ""
            }
        ))
        .ty("__T", entity_type(model, ty))
        .fill(template!(ImplItem;
            #[__docs]
            #[__cfg]
            pub fn __method(&self) -> crate::request::Operation<crate::request::Page<__T>> {
                self.context.list()
            }
        )),
        MemberKind::Create => holes(format!(
            "{}: creates an entity. The output is the entity as the service stored it (`201 Created`), or, when the service sends none back (`204 No Content`, as `Prefer: return=minimal` asks), where it is (`Location`, `OData-EntityId`): see `Created`.",
            code("POST")
        ))
        .ty("__T", entity_type(model, ty))
        .expr("__create", if declares_value(model, ty) {
            template!(syn::Expr; self.context.create_with(&body.into(), crate::request::parse_json))
        } else {
            template!(syn::Expr; self.context.create(&body.into()))
        })
        .fill(template!(ImplItem;
            #[__docs]
            #[__cfg]
            pub fn __method(&self, body: impl Into<__T>) -> crate::request::Operation<crate::request::Created<__T>> {
                __create
            }
        )),
        MemberKind::Count => holes(format!(
            "{}: the number of entities in the collection (OData URL Conventions 4.01 §4.8).",
            code("GET …/$count")
        ))
        .fill(template!(ImplItem;
            #[__docs]
            #[__cfg]
            pub fn __method(&self) -> crate::request::Operation<u64> {
                self.context.count()
            }
        )),
        MemberKind::Reference => {
            let (line, output) = match builder.kind {
                BuilderKind::Collection(_) => (
                    "the references to the entities of this collection: list, add and remove links without touching the entities (OData URL Conventions 4.01 §4.4).",
                    template!(syn::Path; crate::request::ReferencesRequest),
                ),
                _ => (
                    "the reference to this entity: read, set or delete the link, not the entity (OData URL Conventions 4.01 §4.4).",
                    template!(syn::Path; crate::request::ReferenceRequest),
                ),
            };
            holes(format!("{}: {line}", code("…/$ref")))
                .path("__Output", output)
                .fill(template!(ImplItem;
                    #[__docs]
                    #[__cfg]
                    pub fn __method(&self) -> __Output {
                        __Output::with_context(self.context.reference())
                    }
                ))
        }
        MemberKind::Media => holes(format!(
            "{}: the media content of this entity, as bytes (OData URL Conventions 4.01 §4.14). Its media type: `put(...).content_type(\"image/png\")`.{}",
            code("…/$value"),
            concurrency_note(builder)
        ))
        .ty("__E", entity_type(model, ty))
        .fill(template!(ImplItem;
            #[__docs]
            #[__cfg]
            pub fn __method(&self) -> crate::request::StreamRequest<__E> {
                crate::request::StreamRequest::with_context(self.context.child("$value"))
            }
        )),
        MemberKind::StreamProperty { property } => holes(format!(
            "{}: the stream property, as bytes.{}",
            code(&format!("…/{property}")),
            concurrency_note(builder)
        ))
        .expr("__segment", string_expr(property))
        .ty("__E", stream_owner(model, builder))
        .fill(template!(ImplItem;
            #[__docs]
            #[__cfg]
            pub fn __method(&self) -> crate::request::StreamRequest<__E> {
                crate::request::StreamRequest::with_context(self.context.child(__segment))
            }
        )),
        MemberKind::Get => {
            let line = match builder.kind {
                BuilderKind::Complex(_) => "reads the complex value.",
                _ => "reads the entity.",
            };
            holes(format!("{}: {line}", code("GET")))
                .ty("__T", entity_type(model, ty))
                .expr("__get", if declares_value(model, ty) {
                    template!(syn::Expr; self.context.get_with(crate::request::parse_json))
                } else {
                    template!(syn::Expr; self.context.get())
                })
                .fill(template!(ImplItem;
                    #[__docs]
                    #[__cfg]
                    pub fn __method(&self) -> crate::request::Operation<__T> {
                        __get
                    }
                ))
        }
        MemberKind::Update | MemberKind::Replace => {
            let (verb, what) = match member.kind {
                MemberKind::Update => ("PATCH", "sends only the properties that are set (explicit `null` included)."),
                _ => ("PUT", "replaces the entity with this value: properties left out get their default values (OData 4.01 Part 1 §11.4.4)."),
            };
            let mut line = format!(
                "{}: {what} The output is the entity as stored when the service sends it back (`200 OK`, as `Prefer: return=representation` asks), else `None` (`204 No Content`).{}",
                code(verb),
                if is_polymorphic(model, ty) {
                    " A derived type's value made with `Default` also sends its `@odata.type`, as services that accept several types here need; set its `odata_type` field to `None` to leave it out."
                } else {
                    ""
                }
            );
            line.push_str(concurrency_note(builder));
            holes(line)
                .ty("__T", entity_type(model, ty))
                .expr("__call", match member.kind {
                    MemberKind::Update => template!(syn::Expr; self.context.update(&body.into())),
                    _ => template!(syn::Expr; self.context.replace(&body.into())),
                })
                .fill(template!(ImplItem;
                    #[__docs]
                    #[__cfg]
                    pub fn __method(&self, body: impl Into<__T>) -> crate::request::Operation<Option<__T>> {
                        __call
                    }
                ))
        }
        MemberKind::Delete => holes(format!("{}: deletes the entity.{}", code("DELETE"), concurrency_note(builder))).fill(
            template!(ImplItem;
                #[__docs]
                #[__cfg]
                pub fn __method(&self) -> crate::request::Operation<()> {
                    self.context.delete()
                }
            ),
        ),
        MemberKind::Navigation {
            property,
            target,
            contained,
            restrictions,
            nullable,
        } => {
            let kind = if *contained {
                "containment navigation"
            } else {
                "navigation"
            };
            let mut line = format!("{}: the {kind} property.", code(&format!("…/{property}")));
            let restricted = restrictions.describe();
            if !restricted.is_empty() {
                line.push_str(&format!(
                    " The metadata's Capabilities annotations say it is {}: such requests fail with `Error::Request` before they are sent.",
                    restricted.join(", ")
                ));
            }
            let child = Holes::new()
                .expr("__segment", string_expr(property))
                .fill(template!(syn::Expr; self.context.child(__segment)));
            // Restrictions are rare: parsed where they occur, not templated.
            let child = if restrictions.is_unrestricted() {
                child
            } else {
                let r = restrictions_expr(restrictions);
                syn::parse2(quote!(#child.restrict(#r))).expect("an expression")
            };
            if *nullable {
                line.push_str(" It may be null: `get` gives `None` for `204 No Content`.");
                let value = model.resources.builder(*target).kind.ty();
                return holes(line)
                    .path("__Target", leads(*target))
                    .ty("__T", entity_type(model, value))
                    .expr("__child", child)
                    .fill(template!(ImplItem;
                        #[__docs]
                        #[__cfg]
                        pub fn __method(&self) -> crate::request::NullableRequest<__Target, __T> {
                            crate::request::NullableRequest::new(__child, __Target::with_context)
                        }
                    ));
            }
            holes(line)
                .path("__Target", leads(*target))
                .expr("__child", child)
                .fill(template!(ImplItem;
                    #[__docs]
                    #[__cfg]
                    pub fn __method(&self) -> __Target {
                        __Target::with_context(__child)
                    }
                ))
        }
        MemberKind::ComplexProperty {
            property,
            target,
            nullable,
        } => {
            let line = format!(
                "{}: the complex property, to go on to its navigation or operations.",
                code(&format!("…/{property}"))
            );
            let holes = holes(line)
                .path("__Target", leads(*target))
                .expr("__segment", string_expr(property));
            if *nullable {
                let value = model.resources.builder(*target).kind.ty();
                return holes.ty("__T", entity_type(model, value)).fill(template!(ImplItem;
                    #[__docs]
                    #[__cfg]
                    pub fn __method(&self) -> crate::request::NullableRequest<__Target, __T> {
                        crate::request::NullableRequest::new(self.context.child(__segment), __Target::with_context)
                    }
                ));
            }
            holes.fill(template!(ImplItem;
                #[__docs]
                #[__cfg]
                pub fn __method(&self) -> __Target {
                    __Target::with_context(self.context.child(__segment))
                }
            ))
        }
        MemberKind::Cast { ty: derived, target } => {
            let qualified = &model.ty(*derived).qualified_name;
            holes(format!(
                "{}: the type-cast segment, addressing only what is a {} (OData URL Conventions 4.01 §4.11).",
                code(&format!("…/{qualified}")),
                code(qualified)
            ))
            .path("__Target", leads(*target))
            .expr("__segment", string_expr(qualified))
            .fill(template!(ImplItem;
                #[__docs]
                #[__cfg]
                pub fn __method(&self) -> __Target {
                    __Target::with_context(self.context.child(__segment))
                }
            ))
        }
        MemberKind::Property { property, ty, complex } => {
            let (what, constructor) = match complex {
                true => (
                    "the complex property: `get` it, `update` it with `PATCH` (only what is set) or `replace` it (OData 4.01 Part 1 §11.2.4, §11.4.9).",
                    template!(syn::Path; crate::request::PropertyRequest::complex),
                ),
                false => (
                    "the property, read and set on its own (`{\"value\": …}`, OData 4.01 Part 1 §11.2.4, §11.4.9).",
                    template!(syn::Path; crate::request::PropertyRequest::primitive),
                ),
            };
            holes(format!("{}: {what}", code(&format!("…/{property}"))))
                .ty("__T", value_type(model, *ty, false, false, Spelling::Short))
                .path("__constructor", constructor)
                .expr("__segment", string_expr(property))
                .fill(template!(ImplItem;
                    #[__docs]
                    #[__cfg]
                    pub fn __method(&self) -> crate::request::PropertyRequest<__T> {
                        __constructor(self.context.child(__segment))
                    }
                ))
        }
        MemberKind::PathAddress { target } => holes(format!(
            "{}: the item at `path` below this one, by Microsoft Graph's path-based addressing (`root:/Reports/2024.xlsx:`); each segment of `path` is percent-encoded, a `/` separating them.",
            code("…:/{path}:")
        ))
        .path("__Target", leads(*target))
        .fill(template!(ImplItem;
            #[__docs]
            #[__cfg]
            pub fn __method(&self, path: &str) -> __Target {
                __Target::with_context(self.context.path_addressed(path))
            }
        )),
        MemberKind::Key { parts, target } => key_method(model, parts, *target, holes),
        MemberKind::Call {
            operation,
            segment,
            continues,
        } => call_method(model, builder, member, model.operation(*operation), segment, *continues),
    }
}

fn key_method(
    model: &Model,
    parts: &[KeyPart],
    target: BuilderId,
    holes: impl Fn(String) -> Holes,
) -> ImplItem {
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    let line = format!(
        "{}: the entity with this key ({}; OData URL Conventions 4.01 §4.3.1). Values are written as URL literals and percent-encoded, so no key can add segments or a query.",
        code("…/{key}"),
        names.join(", ")
    );
    let mut arguments = Vec::new();
    let mut values = Vec::new();
    for part in parts {
        let arg = ident(&part.rust_name);
        let ty: Type = match part.ty {
            Target::Primitive(Primitive::String) => template!(Type; &str),
            target => item_type(model, target, Spelling::Short),
        };
        arguments.push(
            Holes::new()
                .ident("__arg", arg.clone())
                .ty("__T", ty)
                .fill(template!(FnArg; __arg: __T)),
        );
        values.push(
            Holes::new()
                .expr("__name", string_expr(&part.name))
                .ident("__arg", arg)
                .expr("__kind", literal_kind(model, part.ty))
                .fill(template!(syn::Expr;
                    (__name, crate::request::literal(&__arg, __kind))
                )),
        );
    }
    let key = array(values.into_iter());
    let allow = many_arguments(arguments.len() + 1);
    let mut method = holes(line)
        .path("__Target", builder_path(model, target))
        .args("__arguments", arguments)
        .expr("__key", key)
        .fill(template!(ImplItem;
            #[__docs]
            #[__cfg]
            pub fn __method(&self, __arguments: ()) -> __Target {
                __Target::with_context(self.context.key(__key))
            }
        ));
    if let (Some(allow), ImplItem::Fn(f)) = (allow, &mut method) {
        f.attrs.push(allow);
    }
    method
}

/// The `request::LiteralKind` that writes values of `target` as URL literals.
fn literal_kind(model: &Model, target: Target) -> syn::Expr {
    let primitive = match target {
        Target::Primitive(p) => p,
        Target::Named(id) => match &model.ty(id).kind {
            TypeKind::Alias(p) => *p,
            TypeKind::Enum(_) => {
                return Holes::new()
                    .expr("__type", string_expr(&model.ty(id).qualified_name))
                    .fill(template!(syn::Expr; crate::request::LiteralKind::Enum(__type)));
            }
            TypeKind::Struct(_) => return template!(syn::Expr; crate::request::LiteralKind::Json),
        },
    };
    match primitive {
        Primitive::String => template!(syn::Expr; crate::request::LiteralKind::String),
        Primitive::Duration => template!(syn::Expr; crate::request::LiteralKind::Duration),
        Primitive::Binary | Primitive::Stream => {
            template!(syn::Expr; crate::request::LiteralKind::Binary)
        }
        Primitive::Untyped | Primitive::Spatial => {
            template!(syn::Expr; crate::request::LiteralKind::Json)
        }
        // Numbers, booleans, dates, times and GUIDs are written bare.
        _ => template!(syn::Expr; crate::request::LiteralKind::Bare),
    }
}

/// The item type of the pages an operation returns: a collection of entities (OData JSON
/// Format 4.01 §12), read as `request::Page`, with next and delta links.
fn page_item(model: &Model, operation: &Operation) -> Option<Type> {
    let ret = operation.return_type.as_ref()?;
    let Target::Named(id) = ret.ty.target else {
        return None;
    };
    let is_entity = model
        .ty(id)
        .as_struct()
        .is_some_and(|s| s.kind == crate::ir::StructuredKind::Entity);
    (ret.ty.collection && is_entity).then(|| entity_type(model, id))
}

/// What an upload session's finished upload makes, for an action creating one (Microsoft
/// Graph's `createUploadSession`, returning an `uploadSession` with its `uploadUrl`): the
/// entity it is bound to, or the item of the collection it is bound to.
fn upload_session_item(model: &Model, operation: &Operation) -> Option<Type> {
    if operation.kind != OperationKind::Action || operation.name != "createUploadSession" {
        return None;
    }
    let ret = operation.return_type.as_ref()?;
    let Target::Named(session) = ret.ty.target else {
        return None;
    };
    let has_upload_url = model
        .ty(session)
        .as_struct()
        .is_some_and(|s| s.properties.iter().any(|p| p.name == "uploadUrl"));
    let Target::Named(bound) = operation.binding?.target else {
        return None;
    };
    let is_entity = model
        .ty(bound)
        .as_struct()
        .is_some_and(|s| s.kind == crate::ir::StructuredKind::Entity);
    (!ret.ty.collection && has_upload_url && is_entity).then(|| entity_type(model, bound))
}

/// Whether an operation returns a single `Edm.Stream`: raw bytes of any media type.
fn returns_stream(operation: &Operation) -> bool {
    matches!(&operation.return_type, Some(r) if r.ty.target == Target::Primitive(Primitive::Stream) && !r.ty.collection)
}

/// The output type of an operation, and the parser of its response.
fn return_of(model: &Model, operation: &Operation) -> (Type, syn::Expr) {
    match &operation.return_type {
        None => (
            template!(Type; ()),
            template!(syn::Expr; crate::request::parse_empty),
        ),
        Some(_) if returns_stream(operation) => (
            template!(Type; Vec<u8>),
            template!(syn::Expr; crate::request::parse_bytes),
        ),
        Some(ret) => {
            // A collection of primitive or complex values may hold nulls unless it says
            // `Nullable="false"`; entities are never null in a collection.
            let is_entity = matches!(ret.ty.target, Target::Named(id) if model.ty(id).as_struct().is_some_and(|s| s.kind == crate::ir::StructuredKind::Entity));
            let items_nullable = ret.ty.collection && ret.nullable && !is_entity;
            let ty = value_type(model, ret.ty, false, items_nullable, Spelling::Short);
            let is_struct =
                matches!(ret.ty.target, Target::Named(id) if model.ty(id).as_struct().is_some());
            // A single result without `Nullable="false"` may be null: `{"value": null}`, or
            // no content (`204`) for a structured one (OData JSON Format 4.01 §11).
            let nullable = ret.nullable && !ret.ty.collection;
            let parse = match (ret.ty.collection || !is_struct, nullable) {
                (true, false) => template!(syn::Expr; crate::request::parse_value),
                (true, true) => template!(syn::Expr; crate::request::parse_optional_value),
                (false, false) => template!(syn::Expr; crate::request::parse_json),
                (false, true) => template!(syn::Expr; crate::request::parse_optional_json),
            };
            let ty = if nullable {
                option_of(ty, Spelling::Short)
            } else {
                ty
            };
            (ty, parse)
        }
    }
}

/// The Rust type of a function parameter: `Option` where it is nullable.
pub(super) fn parameter_type(model: &Model, p: &Parameter) -> Type {
    let ty = value_type(model, p.ty, false, false, Spelling::Short);
    if p.nullable && !p.ty.collection {
        option_of(ty, Spelling::Short)
    } else {
        ty
    }
}

/// Function parameters are taken as `impl Into<T>`: `find("O'Neil", 2.5, None)`.
fn function_arguments(model: &Model, operation: &Operation) -> Vec<FnArg> {
    operation
        .parameters
        .iter()
        .map(|p| {
            Holes::new()
                .ident("__arg", ident(&p.rust_name))
                .ty("__T", parameter_type(model, p))
                .fill(template!(FnArg; __arg: impl Into<__T>))
        })
        .collect()
}

/// `[("name", literal(&value, kind)), ...]`: a function's arguments as URL literals.
fn function_values(model: &Model, operation: &Operation) -> syn::Expr {
    let values = operation.parameters.iter().map(|p| {
        let kind = if p.ty.collection {
            template!(syn::Expr; crate::request::LiteralKind::Json)
        } else {
            literal_kind(model, p.ty.target)
        };
        Holes::new()
            .expr("__wire", string_expr(&p.name))
            .ty("__T", parameter_type(model, p))
            .ident("__arg", ident(&p.rust_name))
            .expr("__kind", kind)
            .fill(template!(syn::Expr;
                (__wire, crate::request::literal(&Into::<__T>::into(__arg), __kind))
            ))
    });
    array(values)
}

/// An array expression of these elements.
fn array(elements: impl Iterator<Item = syn::Expr>) -> syn::Expr {
    let mut array: syn::ExprArray = template!(syn::ExprArray; []);
    array.elems.extend(elements);
    syn::Expr::Array(array)
}

fn call_method(
    model: &Model,
    builder: &Builder,
    member: &Member,
    operation: &Operation,
    segment: &str,
    continues: Option<BuilderId>,
) -> ImplItem {
    let (verb, what) = match operation.kind {
        OperationKind::Action => ("POST", "action"),
        OperationKind::Function => ("GET", "function"),
    };
    let shown = match operation.kind {
        OperationKind::Function => format!("{segment}(…)"),
        OperationKind::Action => segment.to_owned(),
    };
    let mut line = format!(
        "{}: the bound {what} {}.",
        code(&format!("{verb} …/{shown}")),
        code(&operation.qualified_name)
    );
    if continues.is_some() {
        line.push_str(" It is composable: the path goes on from its result.");
    } else if upload_session_item(model, operation).is_some() {
        line.push_str(" The output is the upload session, typed with what the finished upload makes: with the client, `session.upload(content, size)` sends the content in ranges to its upload URL, without the token, and yields the item (`request::UploadSession`).");
    } else if page_item(model, operation).is_some() {
        line.push_str(" Its entities come in pages (`request::Page`): follow `@odata.nextLink` with `Operation::next_page`, or, with the client, `items()` or `pages()`.");
        if operation.kind == OperationKind::Function {
            line.push_str(" A change-tracking function's (Microsoft Graph's `delta`) last page has the delta link (`Page::delta_url`, to resume with `Operation::with_url`); the client's `changes()` reads a round's entities and removals.");
        }
    }
    if operation.kind == OperationKind::Action {
        line.push_str(concurrency_note(builder));
    }
    let context = template!(syn::Expr; self.context);
    let (output, body) = call_body(model, operation, segment, continues, context);
    let arguments = operation_arguments(model, operation);
    let mut attrs = member_docs(model, member, line);
    attrs.extend(super::cfg_member(model, member.gate.as_ref()));
    attrs.extend(many_arguments(arguments.len() + 1));
    Holes::new()
        .attrs("__attrs", attrs)
        .ident("__method", ident(&member.rust_name))
        .args("__arguments", arguments)
        .ty("__Output", output)
        .expr("__body", body)
        .fill(template!(ImplItem;
            #[__attrs]
            pub fn __method(&self, __arguments: ()) -> __Output {
                __body
            }
        ))
}

/// The struct of an action's body parameters.
pub fn parameters_file(model: &Model, operation: &Operation) -> Vec<Item> {
    let Some(name) = &operation.parameters_type else {
        return Vec::new();
    };
    // Every parameter may be left out (not sent: OData 4.01 Part 1 §11.5.4.2): a collection
    // is an `Option`, so that an empty one can still be sent (`Some(vec![])`); a nullable
    // single value is a `Nullable`, which sends an explicit `null` too; others are `Option`s.
    let mut fields: Vec<_> = operation
        .parameters
        .iter()
        .map(|p| {
            let value = value_type(model, p.ty, false, false, Spelling::Short);
            let mut attrs = doc_attrs(&p.docs, &[]);
            attrs.extend(alias(&p.rust_name, &p.name));
            let ty = if p.nullable && !p.ty.collection {
                Holes::new()
                    .ty("__T", value)
                    .fill(template!(Type; crate::support::Nullable<__T>))
            } else {
                option_of(value, Spelling::Short)
            };
            public_field(attrs, ident(&p.rust_name), ty)
        })
        .collect();
    fields.push(public_field(
        doc_paragraphs(&["Members the metadata does not declare, sent and read as they are.".to_owned()]),
        ident("additional_properties"),
        template!(Type; ::serde_json::Map<::std::string::String, ::serde_json::Value>),
    ));
    let fields = fields.into_iter();
    let read_arms = operation.parameters.iter().map(|p| {
        Holes::new()
            .string("__wire", &p.name)
            .ident("__field", ident(&p.rust_name))
            .fill(template!(syn::Arm;
                "__wire" => value.__field = crate::support::read_member("__wire", text)?,
            ))
    });
    let writes = operation.parameters.iter().map(|p| {
        Holes::new()
            .string("__wire", &p.name)
            .ident("__field", ident(&p.rust_name))
            .fill(template!(syn::Stmt;
                object.member("__wire", &self.__field);
            ))
    });
    let docs = doc_attrs(
        &Docs::default(),
        &[format!(
            "The parameters of the {} action, sent as its JSON body.",
            code(&operation.qualified_name)
        )],
    );
    Holes::new()
        .attrs("__docs", docs)
        .ident("__Name", ident(name))
        .fields("__fields", fields.collect())
        .arms("__read_arms", read_arms.collect())
        .stmts("__writes", writes.collect())
        .fill_items(items(template!(syn::File;
            #[__docs]
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct __Name {
                __fields: (),
            }

            impl crate::support::Json for __Name {
                /// Members the action does not take are kept in `additional_properties`.
                fn read_json(text: &str) -> ::std::result::Result<Self, crate::support::JsonError> {
                    let mut value = Self::default();
                    for (key, text) in crate::support::members(text)? {
                        match &*key {
                            __read_arms => {}
                            _ => crate::support::read_additional(&mut value.additional_properties, key, text)?,
                        }
                    }
                    ::std::result::Result::Ok(value)
                }

                fn write_json(&self, out: &mut crate::support::Writer) {
                    let mut object = out.object();
                    __writes!();
                    object.additional(&self.additional_properties);
                    object.end();
                }
            }

            impl ::serde::Serialize for __Name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    crate::support::serialize_json(self, serializer)
                }
            }

            impl<'de> ::serde::Deserialize<'de> for __Name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::support::deserialize_json(deserializer)
                }
            }
        )))
}
