//! Property, relationship and parameter tables against the metadata: `table-property` (a row
//! the type lacks, or types otherwise), `table-missing-property` (a resource page's table
//! leaves out what its type declares), `abstract-type` (a request body table of an abstract
//! type).

use std::collections::{HashMap, HashSet};

use super::values::describe;
use super::{Code, PageLint};
use crate::ir::{
    Model, OperationId, OperationKind, Primitive, PropertyKind, Target, TypeDef, TypeId, TypeRef,
};
use crate::pages::{
    documented_request, edm_name, member_name, page_resource, strip_suffix_ignore_ascii_case,
    CellType, SectionKind, Table, TableKind,
};
use crate::source::Span;

/// The members tables list for a type: names, and where the first table is.
pub(super) type Listed = HashMap<TypeId, (Span, HashSet<String>)>;

impl<'a> PageLint<'a> {
    /// Property tables against the type they describe: the one their sub-heading names, else
    /// for a request body table what the documented request creates or updates (or the
    /// parameters of the operation it calls), else the type the page is about. Tables of
    /// query, path or function parameters describe no type. On a resource page, the type's
    /// own properties (and navigation properties, where it has a relationships table) must
    /// all be listed.
    pub(super) fn tables(&mut self) {
        let page = self.page;
        let named = page_resource(page);
        let resource = named
            .as_ref()
            .and_then(|(name, _)| self.named_type(name))
            .map(|(t, _)| t);
        // A page about a type the metadata lacks (a newer version's): its request body tables
        // are that type's, not the type the path addresses; they are counted, not checked.
        let unknown_type = named.is_some() && resource.is_none();
        let documented = documented_request(page)
            .filter(|r| super::model::is_service_host(self.model, r.host.as_deref()));
        let target = documented.map(|r| self.request_target(r, resource));
        let (path_type, action, function) = target.unwrap_or((None, None, None));
        let resource_page = self.is_resource_page();
        for table in &page.tables {
            let section = page.section(table.section);
            let parameters = section.is_some_and(|s| {
                s.kind == SectionKind::Parameters
                    || s.title.to_ascii_lowercase().contains("parameter")
            });
            if parameters {
                continue;
            }
            let in_request = section.is_some_and(|s| s.kind == SectionKind::RequestBody);
            if table.kind == TableKind::Relationships && !in_request {
                if let (Some(ty), true) = (self.table_type(table).or(resource), resource_page) {
                    list(&mut self.set.relationships, ty.id, table, "relationship");
                }
                continue;
            }
            if table.kind != TableKind::Properties {
                continue;
            }
            // A function's parameters documented under "Request body" (they go in the URL):
            // a table that names one of them is the function's, not its result's.
            let function = function.filter(|&f| in_request && self.names_a_parameter(table, f));
            // A table under a sub-heading that names a type (`### gadget object`) is that
            // type's.
            let ty = match (self.table_type(table), in_request, action.or(function)) {
                (Some(ty), _, _) => Some(ty),
                (None, true, Some(call)) => {
                    self.parameter_table(table, call);
                    continue;
                }
                (None, true, None) if unknown_type => {
                    self.report.tables_of_unknown_types += 1;
                    continue;
                }
                (None, true, None) => path_type.or(resource),
                (None, false, _) => resource,
            };
            let Some(ty) = ty else { continue };
            let Some(s) = ty.as_struct() else { continue };
            if self.documents_string_content(table, ty) {
                continue;
            }
            // Only a body that creates (POST, PUT) must be of a concrete type; an update of an
            // abstract type's properties (PATCH) is fine.
            let creates = documented.is_some_and(|r| matches!(r.method.as_str(), "POST" | "PUT"));
            if in_request && s.is_abstract && creates && action.is_none() {
                let message = format!(
                    "the request body table is for the abstract type `{}`: document a derived type",
                    ty.qualified_name
                );
                self.find(table.span, Code::AbstractType, message);
            }
            if !in_request && resource_page {
                list(&mut self.set.properties, ty.id, table, "property");
            }
            self.property_rows(table, ty);
        }
    }

    /// What a documented request addresses: the type a request body table describes (the
    /// entity, collection member or complex property the path addresses, or the result of a
    /// function it calls), the action it calls, the function it calls.
    fn request_target(
        &self,
        request: &crate::pages::HttpRequest,
        resource: Option<&'a TypeDef>,
    ) -> (
        Option<&'a TypeDef>,
        Option<OperationId>,
        Option<OperationId>,
    ) {
        let model = self.model;
        let path = self.service_path(request);
        let addressed = self.match_path(&path);
        // An action takes its parameters in the body; a body sent to a function's result
        // (`PATCH .../range(address='A1')`) updates that result.
        let call = addressed.as_ref().and_then(|m| m.call);
        let action = call.filter(|&c| model.operation(c).kind == OperationKind::Action);
        let addressed_type = match (call, addressed.as_ref()) {
            (Some(c), _) if action.is_none() => match model.operation(c).return_type.as_ref() {
                Some(r) => match r.ty.target {
                    Target::Named(ty) => Some(ty),
                    Target::Primitive(_) => None,
                },
                None => None,
            },
            (None, Some(m)) if m.member.is_none() => {
                m.builder.map(|b| model.resources.builder(b).kind.ty())
            }
            // A complex property's path (`PATCH /me/mailboxSettings`): that property's type.
            (None, None) => match self.property_path(&path) {
                Some(Some(TypeRef {
                    target: Target::Named(ty),
                    ..
                })) => Some(ty),
                _ => None,
            },
            _ => None,
        };
        let path_type = addressed_type.map(|ty| model.ty(self.refine(ty, resource.map(|t| t.id))));
        let function = call.filter(|_| action.is_none());
        (path_type, action, function)
    }

    /// Whether the page documents a type: `doc_type: resourcePageType`.
    fn is_resource_page(&self) -> bool {
        self.page
            .doc_type()
            .is_some_and(|t| t.eq_ignore_ascii_case("resourcePageType"))
    }

    /// Each row of a property table against the property of `ty` it names.
    fn property_rows(&mut self, table: &Table, ty: &'a TypeDef) {
        let Some(s) = ty.as_struct() else { return };
        // By name, once per table: a table may have as many rows as the type has properties.
        let properties: HashMap<&str, &crate::ir::Property> =
            s.properties.iter().map(|p| (p.name.as_str(), p)).collect();
        for row in &table.rows {
            let (Some(name), Some(cell)) = (table.cell(row, "property"), table.cell(row, "type"))
            else {
                continue;
            };
            let name_text = member_name(&name.text);
            // An instance annotation (`@microsoft.graph.conflictBehavior`) is documented in
            // the property table but is no property of the type (OData JSON 4.01 §20).
            if name_text.starts_with('@') {
                continue;
            }
            let Some(&property) = properties.get(name_text) else {
                self.find(
                    name.span,
                    Code::TableProperty,
                    format!("`{name_text}` is not a property of `{}`", ty.qualified_name),
                );
                continue;
            };
            if let Some(documented) = CellType::parse(&cell.text) {
                if !same_type(self.model, &documented, property.ty) {
                    let actual = describe(self.model, property.ty);
                    self.find(
                        cell.span,
                        Code::TableProperty,
                        format!(
                            "`{name_text}` is documented as `{}` but is `{actual}`",
                            cell.text
                        ),
                    );
                }
            }
        }
    }

    /// Whether a table's rows name a parameter of an operation (in any letter case).
    fn names_a_parameter(&self, table: &Table, call: OperationId) -> bool {
        let operation = self.model.operation(call);
        row_names(table).iter().any(|n| {
            operation
                .parameters
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(n))
        })
    }

    /// Whether a table documents the JSON a string property of `ty` holds rather than `ty`
    /// (`definition` of Graph's policies: "The properties below form the JSON object ... to
    /// be inserted into the definition property"): the prose of the table's section before it
    /// speaks of JSON, and its heading ends with the name of a string property of `ty`
    /// ("Properties of a token lifetime policy definition") or its prose names one ("the
    /// definition property").
    fn documents_string_content(&self, table: &Table, ty: &TypeDef) -> bool {
        let Some(section) = self.page.section(table.section) else {
            return false;
        };
        let Some(s) = ty.as_struct() else {
            return false;
        };
        let prose: Vec<String> = self
            .page
            .paragraphs
            .iter()
            .filter(|p| p.section == table.section && p.span.offset < table.span.offset)
            .map(|p| p.text.to_ascii_lowercase())
            .collect();
        let title = section.title.to_ascii_lowercase();
        if !title.contains("json") && !prose.iter().any(|p| p.contains("json")) {
            return false;
        }
        let last_word = title
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphanumeric());
        s.properties.iter().any(|p| {
            let string = p.kind == PropertyKind::Structural
                && p.ty.target == Target::Primitive(Primitive::String);
            let name = p.name.to_ascii_lowercase();
            let said = format!("{name} property");
            string && (last_word == name || prose.iter().any(|p| p.contains(&said)))
        })
    }

    /// A request body table of an operation call: its rows are the operation's parameters
    /// (in any letter case, as Graph's pages write them).
    fn parameter_table(&mut self, table: &Table, call: OperationId) {
        let model = self.model;
        let operation = model.operation(call);
        let row_names = row_names(table);
        if !self.names_a_parameter(table, call) {
            // A table of the properties of the one structured parameter (`passwordCredential`
            // of `addPassword`) is that type's; a table that fits neither is left alone.
            let fitting = operation.parameters.iter().find_map(|p| {
                let Target::Named(id) = p.ty.target else {
                    return None;
                };
                let ty = model.ty(id);
                let s = ty.as_struct()?;
                row_names
                    .iter()
                    .all(|n| s.properties.iter().any(|p| p.name == *n))
                    .then_some(ty)
            });
            if let Some(ty) = fitting {
                self.property_rows(table, ty);
            }
            return;
        }
        for row in &table.rows {
            let (Some(name), Some(cell)) = (
                table
                    .cell(row, "property")
                    .or_else(|| table.cell(row, "parameter")),
                table.cell(row, "type"),
            ) else {
                continue;
            };
            let name_text = member_name(&name.text);
            let Some(parameter) = operation
                .parameters
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name_text))
            else {
                self.find(
                    name.span,
                    Code::TableProperty,
                    format!(
                        "`{name_text}` is not a parameter of `{}`",
                        operation.qualified_name
                    ),
                );
                continue;
            };
            if let Some(documented) = CellType::parse(&cell.text) {
                if !same_type(model, &documented, parameter.ty) {
                    let actual = describe(model, parameter.ty);
                    self.find(
                        cell.span,
                        Code::TableProperty,
                        format!(
                            "parameter `{name_text}` is documented as `{}` but is `{actual}`",
                            cell.text
                        ),
                    );
                }
            }
        }
    }

    /// The type a table's heading names: `gadget`, `gadget object`, `gadget resource type`.
    pub(super) fn table_type(&self, table: &Table) -> Option<&'a TypeDef> {
        let section = self.page.section(table.section)?;
        if section.level < 3 {
            return None;
        }
        let mut title = section.title.trim();
        for suffix in [" resource type", " object", " resource", " type"] {
            if let Some(rest) =
                strip_suffix_ignore_ascii_case(title, suffix).filter(|r| !r.is_empty())
            {
                title = rest;
                break;
            }
        }
        let name = title.trim().trim_matches('`');
        if name.contains(char::is_whitespace) {
            return None;
        }
        let model = self.model;
        let exact = self.set.types.get(name).map(|&id| model.ty(id));
        exact.or_else(|| {
            let mut found = model.types.iter().filter(|t| t.name == name);
            found.next().filter(|_| found.next().is_none())
        })
    }
}

/// The structural (and navigation) properties each type declares itself (not inherited) that
/// none of the resource pages' tables lists: one finding per type, at its first table.
pub(super) fn missing_members(model: &Model, set: &super::DocSet, report: &mut super::Report) {
    for (listed, navigation) in [(&set.properties, false), (&set.relationships, true)] {
        let mut types: Vec<_> = listed.iter().collect();
        types.sort_by_key(|(_, (span, _))| *span);
        for (&id, (span, names)) in types {
            let ty = model.ty(id);
            let Some(s) = ty.as_struct() else { continue };
            let missing: Vec<&str> = s
                .properties
                .iter()
                .filter(|p| {
                    let is_navigation = matches!(p.kind, PropertyKind::Navigation { .. });
                    p.declared_in == id && is_navigation == navigation && !names.contains(&p.name)
                })
                .map(|p| p.name.as_str())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let what = if navigation {
                "navigation properties"
            } else {
                "properties"
            };
            report.findings.push(crate::diagnostics::Diagnostic::lint(
                *span,
                Code::TableMissingProperty.name(),
                format!(
                    "the table leaves out {what} of `{}`: {}",
                    ty.qualified_name,
                    missing.join(", ")
                ),
            ));
        }
    }
}

/// Records the member names a table lists for `ty` (from its `column`).
fn list(listed: &mut Listed, ty: TypeId, table: &Table, column: &str) {
    let entry = listed
        .entry(ty)
        .or_insert_with(|| (table.span, HashSet::new()));
    for row in &table.rows {
        if let Some(cell) = table.cell(row, column) {
            entry.1.insert(member_name(&cell.text).to_owned());
        }
    }
}

/// The names a table's rows give in their `Property` (or `Parameter`) column.
fn row_names(table: &Table) -> Vec<&str> {
    table
        .rows
        .iter()
        .filter_map(|row| {
            table
                .cell(row, "property")
                .or_else(|| table.cell(row, "parameter"))
        })
        .map(|c| member_name(&c.text))
        .collect()
}

/// Whether a type cell names the type a property has.
fn same_type(model: &Model, documented: &CellType, actual: TypeRef) -> bool {
    if documented.collection != actual.collection {
        return false;
    }
    match actual.target {
        Target::Primitive(p) => {
            let name = documented.name.to_ascii_lowercase();
            let name = name.strip_prefix("edm.").unwrap_or(&name);
            // Words for number types that name no one Edm type: "Integer" or "Number" for
            // any integer, "Float" or "Number" for any floating-point type.
            let integer = matches!(
                p,
                Primitive::Byte
                    | Primitive::SByte
                    | Primitive::Int16
                    | Primitive::Int32
                    | Primitive::Int64
            );
            let floating = matches!(
                p,
                Primitive::Single | Primitive::Double | Primitive::Decimal
            );
            if (integer && matches!(name, "integer" | "int" | "number" | "long"))
                || (floating && matches!(name, "float" | "number" | "double" | "single"))
            {
                return true;
            }
            edm_name(&documented.name).and_then(|e| Primitive::from_edm_name(&e[4..])) == Some(p)
        }
        Target::Named(id) => {
            let name = &model.ty(id).name;
            let simple = documented
                .name
                .rsplit('.')
                .next()
                .unwrap_or(&documented.name);
            simple.eq_ignore_ascii_case(name)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::pages::member_name;

    #[test]
    fn table_names_lose_code_emphasis_and_links() {
        for cell in [
            "color",
            "`color`",
            "**color**",
            "[color](#c)",
            "**[`color`](#c)**",
        ] {
            assert_eq!(member_name(cell), "color", "{cell}");
        }
        assert_eq!(member_name("[a](x) and [b](y)"), "[a](x) and [b](y)");
    }
}
