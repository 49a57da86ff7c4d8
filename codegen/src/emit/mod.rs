//! Emission: a syntax tree for every file of the generated crate, from the [`Model`] alone.
//!
//! The code is written with `quote`: as templates (see `template`) for every shape that repeats
//! per type, field, member or path, which are parsed once per thread and filled per use; and as
//! token streams, parsed by the format stage, for the few files written once (`lib.rs`,
//! `requests/mod.rs`).

mod docs;
mod dynamic;
mod enums;
mod examples;
mod manifest;
mod models;
mod modules;
mod requests;
mod template;
mod types;

use proc_macro2::{Ident, Span, TokenStream};

use crate::ir::Model;

pub use docs::sanitize as sanitize_doc;
pub(crate) use manifest::is_dependency_name;

/// What the generator writes, before formatting.
pub enum Contents {
    /// Rust items as tokens, parsed by syn and formatted with prettyplease.
    Rust(TokenStream),
    /// A Rust file as a syntax tree (filled templates), formatted with prettyplease.
    Syntax(syn::File),
    /// Rust source that is already formatted (the runtime modules).
    RustSource(String),
    /// A non-Rust file, written as is.
    Text(String),
}

pub struct EmitOptions<'a> {
    pub crate_name: &'a str,
}

/// One file to emit. Emission is planned first and done per file, so that files can be emitted
/// and formatted on several threads (syntax trees and token streams cannot cross threads).
#[derive(Clone, Debug)]
pub enum FilePlan {
    Manifest,
    /// `src/rustfmt.toml`: the emitted code is formatted by prettyplease, and `cargo fmt` on a
    /// workspace that contains the crate must leave it as generated.
    RustfmtConfig,
    CrateRoot,
    Support,
    /// The sans-IO request runtime (`src/request.rs`).
    Request,
    /// The reqwest client (`src/client.rs`, behind the `client` feature).
    Client,
    Namespace(crate::ir::NamespaceId),
    Type(crate::ir::TypeId),
    /// The parameters struct of an action (index into `Model::operations`).
    Parameters(usize),
    /// `src/requests/mod.rs`.
    Requests,
    /// `src/dynamic.rs`, behind the `dynamic` feature.
    Dynamic,
    /// The top of one namespace's file of request builders.
    Builders(crate::ir::NamespaceId),
    /// One request builder, in its namespace's file.
    Builder(crate::ir::BuilderId),
}

/// Every file of the generated crate, in a stable order.
pub fn plan(model: &Model) -> Vec<FilePlan> {
    let mut files = vec![
        FilePlan::Manifest,
        FilePlan::RustfmtConfig,
        FilePlan::CrateRoot,
        FilePlan::Support,
        FilePlan::Request,
        FilePlan::Client,
    ];
    for i in 0..model.namespaces.len() {
        files.push(FilePlan::Namespace(crate::ir::NamespaceId(i)));
    }
    files.extend(model.types.iter().map(|t| FilePlan::Type(t.id)));
    files.extend(
        (0..model.operations.len())
            .filter(|&i| model.operations[i].parameters_type.is_some())
            .map(FilePlan::Parameters),
    );
    files.push(FilePlan::Dynamic);
    if !model.resources.roots.is_empty() {
        files.push(FilePlan::Requests);
        files.extend(
            requests::builder_namespaces(model)
                .into_iter()
                .map(FilePlan::Builders),
        );
        files.extend(
            model
                .resources
                .builders
                .iter()
                .map(|b| FilePlan::Builder(b.id)),
        );
    }
    files
}

/// Where a planned part goes: the file (relative to the crate root, `/`-separated) and its
/// place in it. Several parts can make one file (a namespace module holds one inline module per
/// type, emitted and formatted separately); they are joined in this order.
pub fn location(model: &Model, file: &FilePlan) -> (String, usize) {
    let namespace_file =
        |id: crate::ir::NamespaceId| format!("src/{}.rs", model.namespace(id).module);
    let fixed = |path: &str| (path.to_owned(), 0);
    match *file {
        FilePlan::Manifest => fixed("Cargo.toml"),
        FilePlan::RustfmtConfig => fixed("src/rustfmt.toml"),
        FilePlan::CrateRoot => fixed("src/lib.rs"),
        FilePlan::Support => fixed("src/support.rs"),
        FilePlan::Request => fixed("src/request.rs"),
        FilePlan::Client => fixed("src/client.rs"),
        FilePlan::Dynamic => fixed("src/dynamic.rs"),
        FilePlan::Requests => fixed("src/requests/mod.rs"),
        FilePlan::Namespace(id) => (namespace_file(id), 0),
        FilePlan::Type(id) => (namespace_file(model.ty(id).namespace), 1 + id.0),
        FilePlan::Parameters(index) => (
            namespace_file(model.operations[index].namespace),
            1 + model.types.len() + index,
        ),
        FilePlan::Builders(id) => (format!("src/requests/{}.rs", model.namespace(id).module), 0),
        // Parts are ordered within the file as builders are numbered: as first reached.
        FilePlan::Builder(id) => {
            let ty = model.ty(model.resources.builder(id).kind.ty());
            (
                format!("src/requests/{}.rs", model.namespace(ty.namespace).module),
                1 + id.0,
            )
        }
    }
}

/// What a planned part holds; see [`location`] for where it goes.
pub fn contents(model: &Model, options: &EmitOptions<'_>, file: &FilePlan) -> Contents {
    match *file {
        FilePlan::Manifest => Contents::Text(manifest::cargo_toml(options.crate_name, model)),
        FilePlan::RustfmtConfig => Contents::Text(format!(
            "{}disable_all_formatting = true\n",
            crate::format::header_comment("#")
        )),
        FilePlan::CrateRoot => Contents::Rust(modules::lib_rs(model, options.crate_name)),
        FilePlan::Support => runtime(include_str!("../../templates/support.rs"), options),
        FilePlan::Request => runtime(include_str!("../../templates/request.rs"), options),
        FilePlan::Client => runtime(include_str!("../../templates/client.rs"), options),
        FilePlan::Parameters(index) => Contents::Syntax(template::file(
            modules::parameters_module(model, &model.operations[index]),
        )),
        FilePlan::Dynamic => Contents::Syntax(dynamic::dynamic_rs(model)),
        FilePlan::Requests => Contents::Rust(requests::requests_mod_rs(model)),
        FilePlan::Builders(_) => Contents::Rust(requests::builders_header()),
        FilePlan::Builder(id) => Contents::Syntax(template::file(requests::builder(
            model,
            model.resources.builder(id),
        ))),
        FilePlan::Namespace(id) => Contents::Rust(modules::namespace_docs(model, id)),
        FilePlan::Type(id) => {
            Contents::Syntax(template::file(modules::type_module(model, model.ty(id))))
        }
    }
}

/// A runtime module: its template, with `__crate__` (in doc examples, which are compiled
/// as doctests outside the crate) naming the generated crate.
fn runtime(template: &str, options: &EmitOptions<'_>) -> Contents {
    Contents::RustSource(template.replace("__crate__", &options.crate_name.replace('-', "_")))
}

/// An identifier from a name the resolver made valid; `r#` names become raw identifiers.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[cfg(...)]` for an item that the features of these areas compile; nothing when the crate
/// has no area features.
pub(crate) fn cfg(model: &Model, gate: &crate::ir::Gate) -> Option<syn::Attribute> {
    if model.areas.is_empty() {
        return None;
    }
    let features: Vec<&str> = gate
        .0
        .iter()
        .map(|&a| model.areas[a].feature.as_str())
        .collect();
    thread_local! {
        static GATES: std::cell::RefCell<std::collections::HashMap<String, syn::Attribute>> =
            Default::default();
    }
    Some(template::memoized(&GATES, &features.join(","), || {
        let features = features.iter().map(|f| template::string_literal(f));
        let condition = match features.len() {
            0 => quote::quote!(feature = "full"),
            1 => quote::quote!(#(feature = #features)*),
            _ => quote::quote!(any(#(feature = #features),*)),
        };
        template::attribute("cfg", condition)
    }))
}

/// `#[cfg(feature = "...")]` of one area.
pub(crate) fn area_cfg(model: &Model, area: usize) -> Option<syn::Attribute> {
    cfg(model, &crate::ir::Gate(vec![area]))
}

/// [`cfg`] for a member (field, variant) that needs its own gate.
pub(crate) fn cfg_member(model: &Model, gate: Option<&crate::ir::Gate>) -> Option<syn::Attribute> {
    gate.and_then(|g| cfg(model, g))
}
