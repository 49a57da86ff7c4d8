//! A resource page's JSON representation (a `resource` block): each member against the type
//! (`unknown-property`, `property-type`, `enum-value`, `date-time-format`, at the member's
//! line), and every property the page's own property table documents present
//! (`resource-property-missing`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::bodies::{Check, Located};
use super::{Code, PageLint};
use crate::ir::{Primitive, PropertyKind, Target, TypeId};
use crate::pages::{member_name, page_resource, BlockKind, SectionKind, Step, TableKind};

impl PageLint<'_> {
    /// Each resource block: of the type its metadata names, else the page's.
    pub(super) fn resources(&mut self) {
        let resource = page_resource(self.page)
            .and_then(|(name, _)| self.named_type(&name).map(|(t, _)| t.id));
        for block in self.blocks().filter(|b| b.kind == BlockKind::Resource) {
            let Some(example) = &block.json else { continue };
            let Some(json) = &example.value else { continue };
            let metadata = block.metadata.as_ref();
            let named = metadata
                .and_then(|m| Some((m.odata_type.as_ref()?, m.span)))
                .map(|(name, span)| self.odata_type(name, span, None).known());
            let ty = match named {
                Some(named) => named,
                None => json
                    .get("@odata.type")
                    .and_then(Value::as_str)
                    .and_then(|n| self.named_type(n).map(|(t, _)| t.id))
                    .or(resource),
            };
            let Some(ty) = ty else { continue };
            let located = Located {
                json: Some((example, &block.text)),
                span: block.span,
            };
            // Members are checked as in a request: none is required of a representation.
            let check = Check {
                body: located,
                is_request: true,
                creates: false,
                truncated: true,
                optional: &[],
            };
            self.object(json, Some(ty), &check, "", &[]);
            let shortened = metadata.is_some_and(|m| m.truncated);
            if let (Value::Object(map), false) = (json, shortened) {
                let optional: Vec<&str> = metadata
                    .map(|m| m.optional_properties.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                let missing: Vec<String> = self
                    .documented_properties(ty, resource)
                    .into_iter()
                    .filter(|name| !map.contains_key(name) && !optional.contains(&name.as_str()))
                    .collect();
                if !missing.is_empty() {
                    self.find(
                        located.at(&[] as &[Step<'_>]),
                        Code::ResourcePropertyMissing,
                        format!(
                            "the JSON representation of `{}` leaves out {}, which the property table documents",
                            self.model.ty(ty).qualified_name,
                            missing.join(", ")
                        ),
                    );
                }
            }
        }
    }

    /// The structural properties of `ty` that the page's property tables (outside request
    /// bodies and parameters) document: rows naming a property the type has, but for stream
    /// properties, which OData's JSON does not carry (they are read at their own URL).
    fn documented_properties(&self, ty: TypeId, resource: Option<TypeId>) -> BTreeSet<String> {
        let page = self.page;
        let Some(s) = self.model.ty(ty).as_struct() else {
            return BTreeSet::new();
        };
        let mut names = BTreeSet::new();
        for table in page
            .tables
            .iter()
            .filter(|t| t.kind == TableKind::Properties)
        {
            let in_body = page.section(table.section).is_some_and(|s| {
                matches!(s.kind, SectionKind::RequestBody | SectionKind::Parameters)
                    || s.title.to_ascii_lowercase().contains("parameter")
            });
            let table_type = self.table_type(table).map(|t| t.id).or(resource);
            if in_body || table_type != Some(ty) {
                continue;
            }
            for row in &table.rows {
                let Some(cell) = table.cell(row, "property") else {
                    continue;
                };
                let name = member_name(&cell.text);
                let structural = s.properties.iter().any(|p| {
                    p.name == name
                        && p.kind == PropertyKind::Structural
                        && p.ty.target != Target::Primitive(Primitive::Stream)
                });
                if structural {
                    names.insert(name.to_owned());
                }
            }
        }
        names
    }
}
