//! The crate root and one module per namespace.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, inner_doc_attrs, sanitize};
use super::ident;
use crate::ir::{Model, NamespaceId, TypeKind};

pub fn lib_rs(model: &Model) -> TokenStream {
    let mut paragraphs = vec![
        "Models generated from OData CSDL metadata: one module per namespace, one struct per entity or complex type, one enum per enum type.".to_owned(),
        "Every property is optional because any response may leave it out (`$select`); nullable properties use [`support::Nullable`] to tell an explicit `null` from a missing value. Properties the metadata does not declare are kept in `additional_properties`. Types with derived types are read through an `Any...` enum that dispatches on `@odata.type`.".to_owned(),
    ];
    let namespaces: Vec<String> = model
        .namespaces
        .iter()
        .map(|ns| format!("- [`{}`] ({})", ns.module, code(&ns.name)))
        .collect();
    if !namespaces.is_empty() {
        paragraphs.push(format!("Namespaces:\n\n{}", namespaces.join("\n")));
    }
    let docs = inner_doc_attrs(&paragraphs);
    let modules = model.namespaces.iter().map(|ns| {
        let module = ident(&ns.module);
        quote!(pub mod #module;)
    });
    let requests = if model.paths.is_empty() {
        quote!()
    } else {
        quote!(
            pub mod requests;
        )
    };
    quote! {
        #docs
        #![forbid(unsafe_code)]

        pub mod support;
        pub mod request;
        #[cfg(feature = "client")]
        pub mod client;
        #[cfg(feature = "dynamic")]
        pub mod dynamic;
        #requests
        #(#modules)*
    }
}

pub fn namespace_mod_rs(model: &Model, id: NamespaceId) -> TokenStream {
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
    let items = model.types_in(id).map(|ty| {
        let module = ident(&ty.module);
        let cfg = super::cfg(model, &ty.gate);
        let mut names = vec![ident(&ty.rust_name)];
        if let TypeKind::Struct(s) = &ty.kind {
            if let Some(dispatch) = &s.dispatch {
                names.push(ident(&dispatch.rust_name));
            }
        }
        quote! {
            #cfg
            mod #module;
            #cfg
            pub use self::#module::{#(#names),*};
        }
    });
    let parameters = model
        .operations
        .iter()
        .filter(|op| op.namespace == id)
        .filter_map(|op| {
            Some((
                ident(op.parameters_module.as_deref()?),
                ident(op.parameters_type.as_deref()?),
                super::cfg(model, &op.gate),
            ))
        })
        .map(|(module, name, cfg)| {
            quote! {
                #cfg
                mod #module;
                #cfg
                pub use self::#module::#name;
            }
        });
    quote! {
        #docs
        #(#items)*
        #(#parameters)*
    }
}
