//! The crate root and one module per namespace.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Item;

use super::docs::{code, inner_doc_attrs, sanitize};
use super::ident;
use super::template::{items, template, Holes};

use crate::ir::{Model, NamespaceId, Operation, TypeDef, TypeKind};

pub fn lib_rs(model: &Model, options: &super::EmitOptions<'_>) -> TokenStream {
    let crate_name = options.crate_name;
    let mut paragraphs = vec![
        "Models generated from OData CSDL metadata: one module per namespace, one struct per entity or complex type, one enum per enum type.".to_owned(),
        "Every property is optional because any response may leave it out (`$select`); nullable properties and collections use [`support::Nullable`] to tell an explicit `null` from a missing value, and collections whose items may be null use [`support::Collection`], which reads as the `Vec` of the items that are not null and keeps the nulls. Properties the metadata does not declare are kept in `additional_properties`, and numbers keep every digit they were sent with. Types with derived types are read through an `Any...` enum that dispatches on `@odata.type`.".to_owned(),
        "For the digits and the order of members, this crate turns on serde_json's `arbitrary_precision` and `preserve_order` features. Cargo turns features on for the whole build, so every crate's `serde_json` gets them: a `serde_json::Value` number compares by its text (`1e2` is not `100.0`), and a float inside `#[serde(flatten)]`, `#[serde(tag)]` or `#[serde(untagged)]` types of other crates may no longer read (serde_json issues #721 and #1108).".to_owned(),
    ];
    let namespaces: Vec<String> = model
        .namespaces
        .iter()
        .map(|ns| format!("- [`{}`] ({})", ns.module, code(&ns.name)))
        .collect();
    if !namespaces.is_empty() {
        paragraphs.push(format!("Namespaces:\n\n{}", namespaces.join("\n")));
    }
    let areas: Vec<String> = model
        .areas
        .iter()
        .map(|area| format!("- `{}`: {}", area.feature, code(&format!("/{}", area.name))))
        .collect();
    if !areas.is_empty() {
        paragraphs.push(format!(
            "Cargo features, one per entity set, singleton or operation import (`full`, on by default, enables them all); each compiles its root function and the types (with their request builders) it reaches:\n\n{}",
            areas.join("\n")
        ));
    }
    paragraphs.extend(super::examples::crate_examples(model, crate_name));
    let docs = inner_doc_attrs(&paragraphs);
    let modules = model.namespaces.iter().map(|ns| {
        let module = ident(&ns.module);
        quote!(pub mod #module;)
    });
    let requests = if model.resources.roots.is_empty() {
        quote!()
    } else {
        quote!(
            pub mod requests;
        )
    };
    let service_root = match &model.resources.service_root {
        Some(root) => quote!(Some(#root)),
        None => quote!(None),
    };
    // With the runtime crate, `request` is its module; `support` and `client` are this
    // crate's, on the runtime's (see `runtime_crate`).
    let request = match options.runtime_crate() {
        true => quote! {
            /// Requests without I/O: the runtime crate's.
            pub use ::codegen_runtime::request;
        },
        false => quote!(pub mod request;),
    };
    quote! {
        #(#docs)*
        #![forbid(unsafe_code)]
        // docs.rs builds with `--cfg docsrs` (package.metadata.docs.rs): each item shows the
        // area feature it needs.
        #![cfg_attr(docsrs, feature(doc_cfg))]

        /// The service root the client uses when given none (`None`: the client must be given
        /// a base URL).
        pub const SERVICE_ROOT: Option<&str> = #service_root;

        pub mod support;
        #request
        #[cfg(feature = "client")]
        pub mod client;
        #[cfg(feature = "dynamic")]
        pub mod dynamic;
        #requests
        #(#modules)*
    }
}

/// A namespace's `mod.rs`: its documentation, and a module (a file) per type and per action's
/// parameters struct, each compiled by its areas' features and re-exported, so that a type's
/// names (a struct called `Option`, say) shadow nothing elsewhere.
pub fn namespace_module(model: &Model, id: NamespaceId) -> TokenStream {
    let namespace = model.namespace(id);
    let mut paragraphs = vec![format!("Types of the {} namespace.", code(&namespace.name))];
    paragraphs.extend(
        namespace
            .docs
            .summary
            .iter()
            .chain(namespace.docs.long.iter())
            .map(|text| sanitize(text)),
    );
    let docs = inner_doc_attrs(&paragraphs);
    let types = model
        .types
        .iter()
        .filter(|ty| ty.namespace == id && ty.replacement.is_none())
        .flat_map(|ty| {
            declaration(
                &ty.module,
                super::cfg(model, &ty.gate),
                &ty.rust_name,
                dispatch_name(ty),
            )
        });
    let parameters = model
        .operations
        .iter()
        .filter(|op| op.namespace == id)
        .filter_map(|op| {
            let (module, name) = (op.parameters_module.as_ref()?, op.parameters_type.as_ref()?);
            Some(declaration(module, super::cfg(model, &op.gate), name, None))
        })
        .flatten();
    let items: Vec<Item> = types.chain(parameters).collect();
    quote!(#(#docs)* #(#items)*)
}

/// The parameters struct of an action, in its own file like a type.
pub fn parameters_module(model: &Model, operation: &Operation) -> Vec<Item> {
    super::requests::parameters_file(model, operation)
}

/// `mod module;` and the re-export of its one or two names, under `cfg`.
pub(crate) fn declaration(
    module: &str,
    cfg: Option<syn::Attribute>,
    name: &str,
    second_name: Option<&str>,
) -> Vec<Item> {
    let holes = || {
        Holes::new()
            .attrs("__cfg", cfg.iter().cloned().collect())
            .ident("__module", ident(module))
    };
    let mut declared = holes().fill_items(items(template!(syn::File;
        #[__cfg]
        mod __module;
    )));
    declared.extend(match second_name {
        None => holes()
            .ident("__A", ident(name))
            .fill_items(items(template!(syn::File;
                #[__cfg]
                pub use self::__module::__A;
            ))),
        Some(second) => holes()
            .ident("__A", ident(name))
            .ident("__B", ident(second))
            .fill_items(items(template!(syn::File;
                #[__cfg]
                pub use self::__module::{__A, __B};
            ))),
    });
    declared
}

/// The items of a named type's module: a struct (its dispatch enum follows, from
/// [`super::models::dispatch_source`]), an enum, or a type definition's alias.
pub fn type_file(model: &Model, ty: &TypeDef) -> Vec<Item> {
    let spelling = file_spelling(ty);
    let mut items = type_items(model, ty, spelling);
    if spelling == super::types::Spelling::Short {
        super::types::shorten_std_paths(&mut items);
    }
    items
}

/// The items of a type's file after its dispatch enum: see [`super::models::dispatch_extras`].
pub fn dispatch_extras(model: &Model, ty: &TypeDef) -> Vec<Item> {
    let spelling = file_spelling(ty);
    let mut items = super::models::dispatch_extras(model, ty, spelling);
    if spelling == super::types::Spelling::Short {
        super::types::shorten_std_paths(&mut items);
    }
    items
}

/// How a type's file spells std names: short unless the file defines one of them.
pub(super) fn file_spelling(ty: &TypeDef) -> super::types::Spelling {
    let defined = std::iter::once(ty.rust_name.as_str()).chain(dispatch_name(ty));
    super::types::Spelling::for_file(defined)
}

/// The name of a type's `Any…` dispatch enum, which its module defines beside the type.
fn dispatch_name(ty: &TypeDef) -> Option<&str> {
    match &ty.kind {
        TypeKind::Struct(s) => s.dispatch.as_ref().map(|d| d.rust_name.as_str()),
        _ => None,
    }
}

fn type_items(model: &Model, ty: &TypeDef, spelling: super::types::Spelling) -> Vec<Item> {
    match &ty.kind {
        TypeKind::Struct(s) => super::models::struct_items(model, ty, s, spelling),
        TypeKind::Enum(e) => super::enums::enum_items(ty, e),
        TypeKind::Alias(primitive) => {
            let note = match primitive {
                // A type definition of `Edm.Untyped`, or an empty complex type read as one.
                crate::ir::Primitive::Untyped => format!(
                    "The {} type: any JSON value, kept as it came.",
                    super::docs::code(&ty.qualified_name)
                ),
                _ => format!(
                    "The {} type definition.",
                    super::docs::code(&ty.qualified_name)
                ),
            };
            let mut docs = super::docs::doc_attrs(&ty.docs, &[note]);
            docs.extend(super::docs::alias(&ty.rust_name, &ty.name));
            Holes::new()
                .attrs("__docs", docs)
                .ident("__Name", ident(&ty.rust_name))
                .ty(
                    "__T",
                    super::types::primitive_type(*primitive, super::types::Spelling::Full),
                )
                .fill_items(items(template!(syn::File;
                    #[__docs]
                    pub type __Name = __T;
                )))
        }
    }
}
