//! What a generator user asks for beyond the metadata (prost-build's `type_attribute`,
//! `field_attribute` and `extern_path`): attributes on chosen types and fields, and types
//! replaced by the user's own. Applied to the resolved model, before anything is emitted.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Model, NamespaceId, TypeDef, TypeId, TypeKind};

/// The customizations of one generation, in the order they were given.
#[derive(Clone, Debug, Default)]
pub struct Customizations {
    /// `(selector, attribute)`: see [`crate::Generator::type_attribute`].
    pub type_attributes: Vec<(String, String)>,
    /// `(Namespace.Type.property, attribute)`.
    pub field_attributes: Vec<(String, String)>,
    /// `(Namespace.Type, Rust path)`.
    pub extern_types: Vec<(String, String)>,
}

impl Customizations {
    /// Each as the command line writes it (`--extern-type Shop.Money=::serde_json::Value`), in
    /// the order given: what the generated manifest records, since regenerating without them
    /// would change the crate.
    pub fn as_options(&self) -> Vec<String> {
        let lines = |option: &str, entries: &[(String, String)]| {
            entries
                .iter()
                .map(|(name, value)| format!("--{option} {name}={value}"))
                .collect::<Vec<_>>()
        };
        let mut options = lines("type-attribute", &self.type_attributes);
        options.extend(lines("field-attribute", &self.field_attributes));
        options.extend(lines("extern-type", &self.extern_types));
        options
    }
}

/// Applies every customization to `model`; false (with an error each) when one names nothing,
/// is no attribute or path, or replaces a type that cannot be replaced.
pub fn apply(model: &mut Model, customizations: &Customizations, diagnostics: &mut Diagnostics) -> bool {
    let mut ok = true;
    let mut fail = |problem: String| {
        diagnostics.push(Diagnostic::global_error(problem));
        false
    };
    for (selector, attribute) in &customizations.type_attributes {
        if let Err(problem) = check_attribute(attribute) {
            ok = fail(format!("type attribute for `{selector}`: {problem}"));
            continue;
        }
        let chosen = select_types(model, selector);
        if chosen.is_empty() {
            ok = fail(format!("type attribute for `{selector}`: no type or namespace of that name (write `Namespace.Type`, a namespace, or `.` for every type)"));
        }
        for id in chosen {
            model.types[id.0].attributes.push(attribute.clone());
        }
    }
    for (selector, attribute) in &customizations.field_attributes {
        if let Err(problem) = check_attribute(attribute) {
            ok = fail(format!("field attribute for `{selector}`: {problem}"));
            continue;
        }
        match find_property(model, selector) {
            Some((ty, index)) => match &mut model.types[ty.0].kind {
                TypeKind::Struct(s) => s.properties[index].attributes.push(attribute.clone()),
                _ => unreachable!("find_property finds properties of structs"),
            },
            None => ok = fail(format!("field attribute for `{selector}`: no property of that name (write `Namespace.Type.property`)")),
        }
    }
    for (name, path) in &customizations.extern_types {
        if syn::parse_str::<syn::Path>(path).is_err() {
            ok = fail(format!("extern type for `{name}`: `{path}` is not a Rust path"));
            continue;
        }
        let Some(id) = find_type(model, name) else {
            ok = fail(format!("extern type for `{name}`: no type of that name (write `Namespace.Type`)"));
            continue;
        };
        match replaceable(model.ty(id)) {
            Ok(()) => model.types[id.0].replacement = Some(path.clone()),
            Err(why) => ok = fail(format!("extern type for `{name}`: {why}")),
        }
    }
    ok
}

/// One or more outer attributes (`#[derive(Hash)]`, `#[cfg_attr(...)]`, `/// text`).
fn check_attribute(text: &str) -> Result<(), String> {
    use syn::parse::Parser;
    match syn::Attribute::parse_outer.parse_str(text) {
        Ok(attributes) if attributes.is_empty() => Err(format!("`{text}` holds no attribute")),
        Ok(_) => Ok(()),
        Err(e) => Err(format!("`{text}` is not an outer attribute: {e}")),
    }
}

/// The types a selector names: `.` every type, a namespace (or its alias) all of its types,
/// else the type of that qualified name.
fn select_types(model: &Model, selector: &str) -> Vec<TypeId> {
    if selector == "." {
        return model.types.iter().map(|t| t.id).collect();
    }
    let namespace = model
        .namespaces
        .iter()
        .position(|n| n.name == selector || n.alias.as_deref() == Some(selector));
    match namespace {
        Some(index) => model.types_in(NamespaceId(index)).map(|t| t.id).collect(),
        None => find_type(model, selector).into_iter().collect(),
    }
}

/// The type of a qualified name, by its namespace or the namespace's alias
/// ([`Model::find_type`] once an alias is written as its namespace).
fn find_type(model: &Model, name: &str) -> Option<TypeId> {
    let (prefix, simple) = name.rsplit_once('.')?;
    let namespace = model
        .namespaces
        .iter()
        .find(|n| n.alias.as_deref() == Some(prefix))
        .map_or(prefix, |n| n.name.as_str());
    model.find_type(&format!("{namespace}.{simple}")).map(|t| t.id)
}

/// The struct and index of a property named `Namespace.Type.property`.
fn find_property(model: &Model, name: &str) -> Option<(TypeId, usize)> {
    let (ty, property) = name.rsplit_once('.')?;
    let id = find_type(model, ty)?;
    let index = model.ty(id).as_struct()?.properties.iter().position(|p| p.name == property)?;
    Some((id, index))
}

/// A type stands for itself only where no request builder, dispatch enum or derived struct is
/// generated from it: a complex type outside any hierarchy, an enumeration, a type definition.
fn replaceable(ty: &TypeDef) -> Result<(), String> {
    match &ty.kind {
        TypeKind::Struct(s) if s.kind == crate::ir::StructuredKind::Entity => {
            Err("an entity type cannot be replaced: request builders and pages are generated for it".to_owned())
        }
        TypeKind::Struct(s) if s.dispatch.is_some() || s.base.is_some() => {
            Err("a complex type with a base or derived types cannot be replaced: its hierarchy is dispatched by `@odata.type`".to_owned())
        }
        _ => Ok(()),
    }
}
