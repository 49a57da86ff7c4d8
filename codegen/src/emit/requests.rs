//! Request builders: one struct per addressable path, with a method per operation and per
//! child path, mirroring the URL (`office_configuration().client_configurations().by_id(id)`).

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ImplItem, Item, Type};

use super::docs::{code, doc_attrs, doc_paragraphs, inner_doc_attrs, sanitize};
use super::ident;
use super::template::{attribute, crate_path, items, public_field, string_expr, template, Holes};
use super::types::{item_type, option_of, serde_rename, value_type, Spelling};
use crate::ir::*;

/// `src/requests/mod.rs`: one module per area, and the root functions (and client methods).
pub fn requests_mod_rs(model: &Model) -> TokenStream {
    let docs = inner_doc_attrs(&[
        "Request builders that mirror the service's URLs. Start from a root function (no client: build `http` requests yourself) or from the same method on `client::Client` (with the `client` feature: operations can be awaited).".to_owned(),
        "Each entity set or singleton is an area with its own cargo feature; its builders are compiled when the feature is on.".to_owned(),
    ]);
    let modules = model.areas.iter().enumerate().map(|(index, area)| {
        let module = ident(&area.module);
        let cfg = super::area_cfg(model, index);
        quote! {
            #cfg
            mod #module;
            #cfg
            pub use self::#module::*;
        }
    });
    let roots: Vec<_> = model.paths.iter().filter(|n| n.parent.is_none()).collect();
    let free_functions = roots.iter().map(|node| {
        let accessor = ident(&node.accessor);
        let name = ident(&node.rust_name);
        let segment = segment_text(node);
        let cfg = super::area_cfg(model, node.area);
        let docs = doc_attrs(
            &node.docs,
            &[format!("{}, without a client.", code(&node.template))],
        );
        quote! {
            #(#docs)*
            #cfg
            pub fn #accessor() -> #name {
                #name::with_context(crate::request::Context::root(#segment))
            }
        }
    });
    let client_methods = roots.iter().map(|node| {
        let accessor = ident(&node.accessor);
        let name = ident(&node.rust_name);
        let segment = segment_text(node);
        let cfg = super::area_cfg(model, node.area);
        let docs = doc_attrs(&node.docs, &[format!("{}.", code(&node.template))]);
        quote! {
            #(#docs)*
            #cfg
            pub fn #accessor(&self) -> #name {
                #name::with_context(crate::request::Context::with_client(#segment, self))
            }
        }
    });
    quote! {
        #(#docs)*
        #(#modules)*
        #(#free_functions)*

        #[cfg(feature = "client")]
        impl crate::client::Client {
            #(#client_methods)*
        }
    }
}

fn segment_text(node: &PathNode) -> String {
    match &node.segment {
        Segment::Literal(text) => text.clone(),
        Segment::Key { name, .. } => format!("{{{name}}}"),
    }
}

/// The top of an area's file; its builders follow, one part each (see [`builder`]).
pub fn area_header() -> TokenStream {
    quote! {
        use crate::request::{Context, Operation};
    }
}

/// The builder of one path node.
pub fn builder(model: &Model, node: &PathNode) -> Vec<Item> {
    let docs = doc_attrs(
        &node.docs,
        &[format!("Requests on {}.", code(&node.template))],
    );
    let operations = node
        .operations
        .iter()
        .map(|op| operation_method(model, node, op));
    let children = node
        .children
        .iter()
        .map(|&child| child_method(model.path(child)));
    let name = ident(&node.rust_name);
    let mut items = Holes::new()
        .attrs("__docs", docs)
        .ident("__Name", name)
        .string("__template", &node.template)
        .impl_items("__methods", operations.chain(children).collect())
        .fill_items(items(template!(syn::File;
            #[__docs]
            #[derive(Clone, Debug)]
            pub struct __Name {
                context: Context,
            }

            impl __Name {
                /// The URL template of this resource.
                pub const TEMPLATE: &str = "__template";

                pub(crate) fn with_context(context: Context) -> Self {
                    Self { context }
                }

                /// The path this builder points at, keys filled in.
                pub fn context(&self) -> &Context {
                    &self.context
                }

                __methods!();
            }
        )));
    items.push(super::dynamic::dynamic_path_impl(model, node));
    items
}

fn child_method(child: &PathNode) -> ImplItem {
    let holes = Holes::new()
        .ident("__accessor", ident(&child.accessor))
        .ident("__Name", ident(&child.rust_name));
    match &child.segment {
        Segment::Literal(segment) => {
            let docs = doc_attrs(&child.docs, &[format!("{}.", code(&child.template))]);
            holes
                .attrs("__docs", docs)
                .expr("__segment", string_expr(segment))
                .fill(template!(ImplItem;
                    #[__docs]
                    pub fn __accessor(&self) -> __Name {
                        __Name::with_context(self.context.child(__segment))
                    }
                ))
        }
        Segment::Key { rust_name, .. } => {
            let doc = doc_paragraphs(&[format!(
                "{}: the entity with this key (percent-encoded into the path).",
                code(&child.template)
            )]);
            holes
                .attrs("__docs", doc)
                .ident("__key", ident(rust_name))
                .fill(template!(ImplItem;
                    #[__docs]
                    pub fn __accessor(&self, __key: &str) -> __Name {
                        __Name::with_context(self.context.key(__key))
                    }
                ))
        }
    }
}

fn entity_type(model: &Model, ty: TypeId) -> Type {
    item_type(model, Target::Named(ty), Spelling::Short)
}

fn operation_method(model: &Model, node: &PathNode, op: &PathOperation) -> ImplItem {
    let template = &node.template;
    // The operation line, then what the documentation page says of the operation.
    let described = op
        .docs
        .summary
        .iter()
        .chain(op.docs.long.iter())
        .map(|s| sanitize(s));
    let line = |verb: &str, what: String| {
        let headline = format!("{}: {what}", code(&format!("{verb} {template}")));
        doc_paragraphs(
            &std::iter::once(headline)
                .chain(described.clone())
                .collect::<Vec<_>>(),
        )
    };
    let method = |docs| {
        Holes::new()
            .attrs("__docs", docs)
            .ident("__method", ident(&op.rust_name))
    };
    match op.kind {
        PathOperationKind::List { item } => {
            let doc = line("GET", "one page of the collection; follow `@odata.nextLink` with `Operation::next_page`, or stream every item with the client.".into());
            method(doc)
                .ty("__T", entity_type(model, item))
                .fill(template!(ImplItem;
                    #[__docs]
                    pub fn __method(&self) -> Operation<crate::request::Page<__T>> {
                        self.context.list()
                    }
                ))
        }
        PathOperationKind::Create { item } => {
            let doc = line(
                "POST",
                "creates an entity and returns it as the service stored it (`201 Created`).".into(),
            );
            method(doc)
                .ty("__T", entity_type(model, item))
                .fill(template!(ImplItem;
                    #[__docs]
                    pub fn __method(&self, body: impl Into<__T>) -> Operation<__T> {
                        self.context.create(&body.into())
                    }
                ))
        }
        PathOperationKind::Get { ty } => {
            let doc = line("GET", "reads the entity.".into());
            method(doc)
                .ty("__T", entity_type(model, ty))
                .fill(template!(ImplItem;
                    #[__docs]
                    pub fn __method(&self) -> Operation<__T> {
                        self.context.get()
                    }
                ))
        }
        PathOperationKind::Update { ty } => {
            let doc = line(
                "PATCH",
                "sends only the properties that are set (explicit `null` included).".into(),
            );
            method(doc)
                .ty("__T", entity_type(model, ty))
                .fill(template!(ImplItem;
                    #[__docs]
                    pub fn __method(&self, body: impl Into<__T>) -> Operation<()> {
                        self.context.update(&body.into())
                    }
                ))
        }
        PathOperationKind::Delete => {
            let doc = line("DELETE", "deletes the entity.".into());
            method(doc).fill(template!(ImplItem;
                #[__docs]
                pub fn __method(&self) -> Operation<()> {
                    self.context.delete()
                }
            ))
        }
        PathOperationKind::GetStream => {
            let doc = line("GET", "the content, as bytes.".into());
            method(doc).fill(template!(ImplItem;
                #[__docs]
                pub fn __method(&self) -> Operation<Vec<u8>> {
                    self.context.get_bytes()
                }
            ))
        }
        PathOperationKind::PutStream => {
            let doc = line("PUT", "replaces the content with these bytes.".into());
            method(doc).fill(template!(ImplItem;
                #[__docs]
                pub fn __method(&self, content: impl Into<Vec<u8>>) -> Operation<()> {
                    self.context.put_bytes(content.into())
                }
            ))
        }
        PathOperationKind::Call { operation } => {
            call_method(model, node, op, &model.operations[operation])
        }
    }
}

/// The output type of an operation, and the parser of its response.
fn return_of(model: &Model, operation: &Operation) -> (Type, syn::Expr) {
    match &operation.return_type {
        None => (
            template!(Type; ()),
            template!(syn::Expr; crate::request::parse_empty),
        ),
        Some(ret) => {
            let ty = value_type(model, ret.ty, false, Spelling::Short);
            let is_struct =
                matches!(ret.ty.target, Target::Named(id) if model.ty(id).as_struct().is_some());
            let parse = if ret.ty.collection || !is_struct {
                template!(syn::Expr; crate::request::parse_value)
            } else {
                template!(syn::Expr; crate::request::parse_json)
            };
            (ty, parse)
        }
    }
}

fn call_method(
    model: &Model,
    node: &PathNode,
    op: &PathOperation,
    operation: &Operation,
) -> ImplItem {
    let name = &operation.name;
    let (output, parse) = return_of(model, operation);
    let kind = match operation.kind {
        OperationKind::Action => "POST",
        OperationKind::Function => "GET",
    };
    let what = if kind == "POST" { "action" } else { "function" };
    let headline = format!(
        "{}: the bound {what} {}.",
        code(&format!("{kind} {}/{name}", node.template)),
        code(&operation.qualified_name)
    );
    let paragraphs: Vec<String> = std::iter::once(headline)
        .chain(
            op.docs
                .summary
                .iter()
                .chain(op.docs.long.iter())
                .map(|s| sanitize(s)),
        )
        .collect();
    let holes = Holes::new()
        .attrs("__docs", doc_paragraphs(&paragraphs))
        .ident("__method", ident(&op.rust_name))
        .ty("__Output", output)
        .expr("__name", string_expr(name));
    let call = |holes: Holes| match operation.return_type {
        Some(_) => holes
            .expr("__parse", parse.clone())
            .fill(template!(syn::Expr;
                self.context.action_returning(__name, __parse)
            )),
        None => holes.fill(template!(syn::Expr; self.context.action(__name))),
    };
    match operation.kind {
        OperationKind::Action => match &operation.parameters_type {
            Some(parameters) => {
                let call = call(Holes::new().expr("__name", string_expr(name)));
                let parameters = crate_path(&[
                    ident(&model.namespace(operation.namespace).module),
                    ident(parameters),
                ]);
                holes
                    .path("__Parameters", parameters)
                    .expr("__call", call)
                    .fill(template!(ImplItem;
                        #[__docs]
                        pub fn __method(&self, parameters: &__Parameters) -> Operation<__Output> {
                            __call.json(parameters)
                        }
                    ))
            }
            None => {
                let call = call(Holes::new().expr("__name", string_expr(name)));
                holes.expr("__call", call).fill(template!(ImplItem;
                    #[__docs]
                    pub fn __method(&self) -> Operation<__Output> {
                        __call
                    }
                ))
            }
        },
        OperationKind::Function => {
            let mut arguments = Vec::new();
            let mut values = Vec::new();
            for p in &operation.parameters {
                let arg = ident(&p.rust_name);
                let ty = value_type(model, p.ty, false, Spelling::Short);
                let ty = if p.nullable && !p.ty.collection {
                    option_of(ty, Spelling::Short)
                } else {
                    ty
                };
                let wire = &p.name;
                values.push(quote!((#wire, ::serde_json::to_value(#arg))));
                arguments.push(
                    Holes::new()
                        .ident("__arg", arg)
                        .ty("__T", ty)
                        .fill(template!(syn::FnArg; __arg: __T)),
                );
            }
            let mut values_vec: syn::Expr = template!(syn::Expr; vec![]);
            if let syn::Expr::Macro(m) = &mut values_vec {
                m.mac.tokens = quote!(#(#values),*);
            }
            holes
                .args("__arguments", arguments)
                .expr("__parse", parse)
                .expr("__values", values_vec)
                .fill(template!(ImplItem;
                    #[__docs]
                    pub fn __method(&self, __arguments: ()) -> Operation<__Output> {
                        self.context.function(__name, __values, __parse)
                    }
                ))
        }
    }
}

/// The struct of an action's body parameters.
pub fn parameters_file(model: &Model, operation: &Operation) -> Vec<Item> {
    let Some(name) = &operation.parameters_type else {
        return Vec::new();
    };
    let fields = operation.parameters.iter().map(|p| {
        let rename = serde_rename(&p.rust_name, &p.name);
        let value = value_type(model, p.ty, false, Spelling::Short);
        let mut attrs = doc_attrs(&p.docs, &[]);
        let ty = if p.ty.collection {
            attrs.push(attribute("serde", quote!(#rename default)));
            value
        } else {
            attrs.push(attribute(
                "serde",
                quote!(#rename default, skip_serializing_if = "Option::is_none"),
            ));
            option_of(value, Spelling::Short)
        };
        public_field(attrs, ident(&p.rust_name), ty)
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
        .fill_items(items(template!(syn::File;
            #[__docs]
            #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub struct __Name {
                __fields: (),
            }
        )))
}
