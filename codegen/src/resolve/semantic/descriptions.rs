//! Descriptions: `Core.Description` and `Core.LongDescription` annotations, inline and in
//! external `<Annotations Target>` blocks, attached to what they describe.

use super::*;

impl Analyzer<'_, '_> {
    pub(super) fn docs(&self, document: usize, annotations: &[Annotation], target: &str) -> Docs {
        let mut docs = Docs::default();
        self.apply_annotations(document, annotations, &mut docs);
        if let Some(external) = self.external_docs.get(target) {
            docs.summary = docs.summary.or_else(|| external.summary.clone());
            docs.long = docs.long.or_else(|| external.long.clone());
        }
        docs
    }

    pub(super) fn apply_annotations(&self, document: usize, annotations: &[Annotation], docs: &mut Docs) {
        for annotation in annotations.iter().filter(|a| a.qualifier.is_none()) {
            let Some(text) = annotation.string.as_deref() else {
                continue;
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let slot = match self.core_term(document, &annotation.term.text) {
                Some("Description") => &mut docs.summary,
                Some("LongDescription") => &mut docs.long,
                _ => continue,
            };
            slot.get_or_insert_with(|| text.to_owned());
        }
    }

    /// The term's name if it is a term of the OData Core vocabulary, however it is qualified.
    pub(super) fn core_term<'t>(&self, document: usize, term: &'t str) -> Option<&'t str> {
        let (prefix, name) = term.rsplit_once('.')?;
        let namespace = self.symbols.includes[document]
            .get(prefix)
            .map(String::as_str)
            .unwrap_or(if prefix == "Core" { CORE } else { prefix });
        (namespace == CORE).then_some(name)
    }

    pub(super) fn collect_external_annotations(&mut self, documents: &[csdl::Document]) {
        for (index, document) in documents.iter().enumerate() {
            for schema in &document.schemas {
                for group in &schema.annotation_groups {
                    let target = self.normalize_target(&group.target.text);
                    let mut docs = self.external_docs.remove(&target).unwrap_or_default();
                    self.apply_annotations(index, &group.annotations, &mut docs);
                    self.external_docs.insert(target, docs);
                }
            }
        }
    }

    /// `graph.officeClientConfiguration/description` → `microsoft.graph.officeClientConfiguration/description`;
    /// operation overloads `ns.assign(ns.type)` lose their parameter list.
    pub(super) fn normalize_target(&self, target: &str) -> String {
        let (head, rest) = match target.find('/') {
            Some(slash) => (&target[..slash], &target[slash..]),
            None => (target, ""),
        };
        let head = head.split('(').next().unwrap_or(head);
        format!("{}{}", self.symbols.qualify(head), rest)
    }
}
