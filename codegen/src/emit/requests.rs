//! Request builders: one struct per addressable path, with a method per operation and per
//! child path, mirroring the URL (`office_configuration().client_configurations().by_id(id)`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, doc_paragraphs, inner_doc_attrs, sanitize};
use super::ident;
use super::types::{item_type, serde_rename, value_type, Spelling};
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
            #docs
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
            #docs
            #cfg
            pub fn #accessor(&self) -> #name {
                #name::with_context(crate::request::Context::with_client(#segment, self))
            }
        }
    });
    quote! {
        #docs
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
pub fn builder(model: &Model, node: &PathNode) -> TokenStream {
    let name = ident(&node.rust_name);
    let template = &node.template;
    let docs = doc_attrs(&node.docs, &[format!("Requests on {}.", code(template))]);
    let operations = node
        .operations
        .iter()
        .map(|op| operation_method(model, node, op));
    let children = node
        .children
        .iter()
        .map(|&child| child_method(model.path(child)));
    let dynamic = super::dynamic::dynamic_path_impl(model, node);
    quote! {
        #docs
        #[derive(Clone, Debug)]
        pub struct #name {
            context: Context,
        }

        impl #name {
            /// The URL template of this resource.
            pub const TEMPLATE: &str = #template;

            pub(crate) fn with_context(context: Context) -> Self {
                Self { context }
            }

            /// The path this builder points at, keys filled in.
            pub fn context(&self) -> &Context {
                &self.context
            }

            #(#operations)*
            #(#children)*
        }

        #dynamic
    }
}

fn child_method(child: &PathNode) -> TokenStream {
    let accessor = ident(&child.accessor);
    let name = ident(&child.rust_name);
    match &child.segment {
        Segment::Literal(segment) => {
            let docs = doc_attrs(&child.docs, &[format!("{}.", code(&child.template))]);
            quote! {
                #docs
                pub fn #accessor(&self) -> #name {
                    #name::with_context(self.context.child(#segment))
                }
            }
        }
        Segment::Key { rust_name, .. } => {
            let doc = doc_paragraphs(&[format!(
                "{}: the entity with this key (percent-encoded into the path).",
                code(&child.template)
            )]);
            let key = ident(rust_name);
            quote! {
                #doc
                pub fn #accessor(&self, #key: &str) -> #name {
                    #name::with_context(self.context.key(#key))
                }
            }
        }
    }
}

fn entity_type(model: &Model, ty: TypeId) -> TokenStream {
    item_type(model, Target::Named(ty), Spelling::Short)
}

fn operation_method(model: &Model, node: &PathNode, op: &PathOperation) -> TokenStream {
    let method = ident(&op.rust_name);
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
    match op.kind {
        PathOperationKind::List { item } => {
            let ty = entity_type(model, item);
            let doc = line("GET", "one page of the collection; follow `@odata.nextLink` with `Operation::next_page`, or stream every item with the client.".into());
            quote! {
                #doc
                pub fn #method(&self) -> Operation<crate::request::Page<#ty>> {
                    self.context.list()
                }
            }
        }
        PathOperationKind::Create { item } => {
            let ty = entity_type(model, item);
            let doc = line(
                "POST",
                "creates an entity and returns it as the service stored it (`201 Created`).".into(),
            );
            quote! {
                #doc
                pub fn #method(&self, body: impl Into<#ty>) -> Operation<#ty> {
                    self.context.create(&body.into())
                }
            }
        }
        PathOperationKind::Get { ty } => {
            let ty = entity_type(model, ty);
            let doc = line("GET", "reads the entity.".into());
            quote! {
                #doc
                pub fn #method(&self) -> Operation<#ty> {
                    self.context.get()
                }
            }
        }
        PathOperationKind::Update { ty } => {
            let ty = entity_type(model, ty);
            let doc = line(
                "PATCH",
                "sends only the properties that are set (explicit `null` included).".into(),
            );
            quote! {
                #doc
                pub fn #method(&self, body: impl Into<#ty>) -> Operation<()> {
                    self.context.update(&body.into())
                }
            }
        }
        PathOperationKind::Delete => {
            let doc = line("DELETE", "deletes the entity.".into());
            quote! {
                #doc
                pub fn #method(&self) -> Operation<()> {
                    self.context.delete()
                }
            }
        }
        PathOperationKind::GetStream => {
            let doc = line("GET", "the content, as bytes.".into());
            quote! {
                #doc
                pub fn #method(&self) -> Operation<Vec<u8>> {
                    self.context.get_bytes()
                }
            }
        }
        PathOperationKind::PutStream => {
            let doc = line("PUT", "replaces the content with these bytes.".into());
            quote! {
                #doc
                pub fn #method(&self, content: impl Into<Vec<u8>>) -> Operation<()> {
                    self.context.put_bytes(content.into())
                }
            }
        }
        PathOperationKind::Call { operation } => {
            call_method(model, node, op, &model.operations[operation])
        }
    }
}

/// The output type of an operation, and the parser of its response when it returns a value.
fn return_of(model: &Model, operation: &Operation) -> (TokenStream, Option<TokenStream>) {
    match &operation.return_type {
        None => (quote!(()), None),
        Some(ret) => {
            let ty = value_type(model, ret.ty, false, Spelling::Short);
            let is_struct =
                matches!(ret.ty.target, Target::Named(id) if model.ty(id).as_struct().is_some());
            let parse = if ret.ty.collection || !is_struct {
                quote!(crate::request::parse_value)
            } else {
                quote!(crate::request::parse_json)
            };
            (ty, Some(parse))
        }
    }
}

fn call_method(
    model: &Model,
    node: &PathNode,
    op: &PathOperation,
    operation: &Operation,
) -> TokenStream {
    let method = ident(&op.rust_name);
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
    let docs = doc_paragraphs(&paragraphs);
    let call = match &parse {
        Some(parse) => quote!(self.context.action_returning(#name, #parse)),
        None => quote!(self.context.action(#name)),
    };
    match operation.kind {
        OperationKind::Action => match &operation.parameters_type {
            Some(parameters) => {
                let module = ident(&model.namespace(operation.namespace).module);
                let parameters = ident(parameters);
                quote! {
                    #docs
                    pub fn #method(&self, parameters: &crate::#module::#parameters) -> Operation<#output> {
                        #call.json(parameters)
                    }
                }
            }
            None => quote! {
                #docs
                pub fn #method(&self) -> Operation<#output> {
                    #call
                }
            },
        },
        OperationKind::Function => {
            let parse = parse.unwrap_or_else(|| quote!(crate::request::parse_empty));
            let arguments: Vec<_> = operation
                .parameters
                .iter()
                .map(|p| {
                    let arg = ident(&p.rust_name);
                    let ty = value_type(model, p.ty, false, Spelling::Short);
                    let ty = if p.nullable && !p.ty.collection {
                        quote!(Option<#ty>)
                    } else {
                        ty
                    };
                    (arg, ty, p.name.clone())
                })
                .collect();
            let signature = arguments.iter().map(|(arg, ty, _)| quote!(#arg: #ty));
            let values = arguments
                .iter()
                .map(|(arg, _, wire)| quote!((#wire, ::serde_json::to_value(#arg))));
            quote! {
                #docs
                pub fn #method(&self, #(#signature),*) -> Operation<#output> {
                    self.context.function(#name, vec![#(#values),*], #parse)
                }
            }
        }
    }
}

/// The struct of an action's body parameters.
pub fn parameters_file(model: &Model, operation: &Operation) -> TokenStream {
    let Some(name) = &operation.parameters_type else {
        return TokenStream::new();
    };
    let name = ident(name);
    let fields = operation.parameters.iter().map(|p| {
        let field = ident(&p.rust_name);
        let rename = serde_rename(&p.rust_name, &p.name);
        let value = value_type(model, p.ty, false, Spelling::Short);
        let docs = doc_attrs(&p.docs, &[]);
        if p.ty.collection {
            quote! {
                #docs
                #[serde(#rename default)]
                pub #field: #value,
            }
        } else {
            quote! {
                #docs
                #[serde(#rename default, skip_serializing_if = "Option::is_none")]
                pub #field: Option<#value>,
            }
        }
    });
    let docs = doc_attrs(
        &Docs::default(),
        &[format!(
            "The parameters of the {} action, sent as its JSON body.",
            code(&operation.qualified_name)
        )],
    );
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct #name {
            #(#fields)*
        }
    }
}
