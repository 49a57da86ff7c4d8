//! Resolution: from CSDL syntax trees (parsed, or synthesized from pages when there is no
//! CSDL) and documentation pages to the [`Model`].
//!
//! 1. `symbols`: collect namespaces, aliases and types; find duplicates.
//! 2. `semantic`: resolve every reference (base types, property and parameter types), check
//!    inheritance, attach descriptions.
//! 3. `select`: keep only what `--select` reaches (not navigation to other entities, unless
//!    asked), and leave out the properties that lead to what it does not keep.
//! 4. `build`: choose Rust names (`naming`: service names → valid, unique identifiers),
//!    flatten inherited properties, decide boxing (`boxing`), and produce the ordered IR.
//! 5. `resources`: the URL model, request builders keyed by what they address, with the
//!    `capabilities` annotations that restrict them.
//! 6. `docs`: what documentation pages add; then `areas`: the cargo feature of every item.

mod areas;
mod boxing;
mod build;
mod capabilities;
pub(crate) mod customize;
pub mod docs;
mod naming;
mod resources;
mod select;
pub use select::Selection;
mod semantic;
mod symbols;

use crate::csdl;
use crate::diagnostics::Diagnostics;
use crate::ir::Model;


/// Resolves the parsed documents into a model. Returns `None` when there were errors (all of
/// them are in `diagnostics`); warnings are added either way.
pub fn resolve(
    documents: &[csdl::Document],
    pages: &[crate::pages::Page],
    selection: &Selection,
    conventions: Option<crate::ir::UrlConventions>,
    diagnostics: &mut Diagnostics,
) -> Option<Model> {
    let docs_only = documents.is_empty();
    let synthesized;
    let documents = match pages.first() {
        Some(first) if docs_only => {
            synthesized = [crate::pages::synthesize(pages, first.file, diagnostics)];
            &synthesized[..]
        }
        _ => documents,
    };
    let symbols = symbols::Symbols::collect(documents, diagnostics);
    let mut semantic = semantic::analyze(&symbols, documents, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    read_empty_complex_types_as_json(&mut semantic);
    let kept = select::closure(&semantic, selection, diagnostics)?;
    let mut model = build::build(&semantic, &kept, diagnostics);
    let capabilities = capabilities::collect(documents);
    // Microsoft Graph's batches write paths below the service root; CSDL does not say so.
    let graph = model.namespaces.iter().any(|n| n.name == "microsoft.graph");
    let conventions = conventions.unwrap_or(crate::ir::UrlConventions {
        key_as_segment: capabilities.key_as_segment,
        unqualified_operations: false,
        batch_paths_from_service_root: graph,
    });
    model.resources = resources::build(&model, &capabilities, conventions, diagnostics);
    if model.resources.service_root_assumed {
        if let Some(version) = resources::graph_version_of_pages(pages) {
            model.resources.service_root = Some(resources::graph_root(&version));
            model.resources.service_root_assumed = false;
        }
    }
    if diagnostics.has_errors() {
        return None;
    }
    docs::enrich(&mut model, pages, docs_only);
    // Last: the pages may remove operations (docs-only input keeps the documented ones).
    areas::assign(&mut model);
    Some(model)
}

/// A complex type that declares no properties and is neither open, abstract, derived nor a
/// base can hold nothing but an empty object, yet services use such a type to mean "any JSON":
/// Microsoft Graph as published declares `<ComplexType Name="Json"/>` and types 858 properties
/// and parameters with it, whose values are arrays, strings and numbers (a range's `values`).
/// Such a type is read as `Edm.Untyped`, a `serde_json::Value`, so that its values round-trip
/// whatever they are; an empty object still reads as one.
fn read_empty_complex_types_as_json(semantic: &mut semantic::Semantic) {
    let bases: std::collections::HashSet<crate::ir::TypeId> = semantic
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            semantic::SemKind::Struct(s) => s.base,
            _ => None,
        })
        .collect();
    for (index, ty) in semantic.types.iter_mut().enumerate() {
        let semantic::SemKind::Struct(s) = &ty.kind else {
            continue;
        };
        let empty = s.kind == csdl::StructuredKind::Complex
            && s.properties.is_empty()
            && !s.is_open
            && !s.is_abstract
            && s.base.is_none()
            && !bases.contains(&crate::ir::TypeId(index));
        if empty {
            ty.kind = semantic::SemKind::Alias(crate::ir::Primitive::Untyped);
        }
    }
}
