//! The vocabulary terms the URL model honours, read from the CSDL documents:
//! - `Capabilities.InsertRestrictions`, `UpdateRestrictions`, `DeleteRestrictions`,
//!   `ReadRestrictions`, `CountRestrictions` on entity sets, singletons and navigation
//!   properties (inline, or in `<Annotations Target="Container/set">` and
//!   `<Annotations Target="Namespace.Type/navigation">`);
//! - `Capabilities.KeyAsSegmentSupported` on an entity container (keys as segments);
//! - `Core.DefaultNamespace` on a schema (its operations are called unqualified);
//! - `Core.OptimisticConcurrency` on entity sets and singletons (updates want an etag);
//! - `Capabilities.ChangeTracking` (`Supported`) on entity sets, navigation properties and
//!   entity types (Microsoft Graph annotates types): its collections have delta links;
//! - `Core.SchemaVersion` on a schema (the version of its service, such as Graph's `v1.0`).
//!
//! Terms are recognised by namespace (`Org.OData.Capabilities.V1`) or by any alias the
//! document gives it.

use std::collections::{HashMap, HashSet};

use crate::csdl::{self, Annotation};
use crate::ir::Restrictions;

#[derive(Debug, Default)]
pub struct Capabilities {
    /// By entity set or singleton name.
    entry_points: HashMap<String, Restrictions>,
    /// By (qualified declaring type, navigation property name).
    navigation: HashMap<(String, String), Restrictions>,
    /// Whether some entity container declares `KeyAsSegmentSupported`.
    pub key_as_segment: bool,
    /// Namespaces annotated `Core.DefaultNamespace`.
    pub default_namespaces: HashSet<String>,
    /// Entity sets and singletons annotated `Core.OptimisticConcurrency`.
    concurrency: HashSet<String>,
    /// Entity sets, navigation properties (`Type/property`) and types (qualified) that declare
    /// `Capabilities.ChangeTracking` supported.
    change_tracking: HashSet<String>,
    /// `Core.SchemaVersion` of each schema that declares one, by namespace.
    pub schema_versions: HashMap<String, String>,
}

impl Capabilities {
    pub fn entry_point(&self, name: &str) -> Restrictions {
        self.entry_points.get(name).copied().unwrap_or_default()
    }

    /// Whether the entity set or singleton `name` declares optimistic concurrency (OData 4.01
    /// Part 1 §11.4.1.1): changes to its entities want the etag of what was read.
    pub fn optimistic_concurrency(&self, name: &str) -> bool {
        self.concurrency.contains(name)
    }

    /// Whether the entity set, the navigation property `Type/property` or the entity type (its
    /// qualified name) declares `Capabilities.ChangeTracking` supported (OData 4.01 Part 1
    /// §11.3): a read of it may ask for a delta link.
    pub fn tracks_changes(&self, target: &str) -> bool {
        self.change_tracking.contains(target)
    }

    /// Whether anything declares change tracking.
    pub fn tracks_any_changes(&self) -> bool {
        !self.change_tracking.is_empty()
    }

    pub fn navigation(&self, owner: &str, property: &str) -> Restrictions {
        self.navigation
            .get(&(owner.to_owned(), property.to_owned()))
            .copied()
            .unwrap_or_default()
    }
}

pub fn collect(documents: &[csdl::Document]) -> Capabilities {
    let mut capabilities = Capabilities::default();
    for document in documents {
        let terms = Terms::of(document);
        for schema in &document.schemas {
            let namespace = &schema.namespace.text;
            let aliases: Vec<&str> = std::iter::once(namespace.as_str())
                .chain(schema.alias.as_ref().map(|a| a.text.as_str()))
                .collect();
            if schema
                .annotations
                .iter()
                .any(|a| terms.is(a, "Core", "DefaultNamespace") && a.boolean != Some(false))
            {
                capabilities.default_namespaces.insert(namespace.clone());
            }
            if let Some(version) = schema
                .annotations
                .iter()
                .find(|a| terms.is(a, "Core", "SchemaVersion"))
                .and_then(|a| a.string.clone())
            {
                capabilities.schema_versions.insert(namespace.clone(), version);
            }
            for container in &schema.containers {
                if container.annotations.iter().any(|a| {
                    terms.is(a, "Capabilities", "KeyAsSegmentSupported") && a.boolean != Some(false)
                }) {
                    capabilities.key_as_segment = true;
                }
                for set in container.entity_sets.iter().chain(&container.singletons) {
                    let r = capabilities
                        .entry_points
                        .entry(set.name.text.clone())
                        .or_default();
                    terms.restrict(r, &set.annotations);
                    if terms.declares_concurrency(&set.annotations) {
                        capabilities.concurrency.insert(set.name.text.clone());
                    }
                    if terms.tracks_changes(&set.annotations) {
                        capabilities.change_tracking.insert(set.name.text.clone());
                    }
                }
            }
            for group in &schema.annotation_groups {
                let Some((owner, member)) = group.target.text.split_once('/') else {
                    // A type (Microsoft Graph annotates change tracking there).
                    if terms.tracks_changes(&group.annotations) {
                        let target = &group.target.text;
                        let qualified = match target.rsplit_once('.') {
                            Some((qualifier, name)) if aliases.contains(&qualifier) => format!("{namespace}.{name}"),
                            _ => target.clone(),
                        };
                        capabilities.change_tracking.insert(qualified);
                    }
                    continue;
                };
                let Some((qualifier, name)) = owner.rsplit_once('.') else {
                    continue;
                };
                let qualifier = if aliases.contains(&qualifier) {
                    namespace.as_str()
                } else {
                    qualifier
                };
                let is_container = schema
                    .containers
                    .iter()
                    .any(|c| c.name.text == name && qualifier == namespace);
                if is_container && terms.declares_concurrency(&group.annotations) {
                    capabilities.concurrency.insert(member.to_owned());
                }
                if terms.tracks_changes(&group.annotations) {
                    capabilities.change_tracking.insert(if is_container {
                        member.to_owned()
                    } else {
                        format!("{qualifier}.{name}/{member}")
                    });
                }
                let r = if is_container {
                    capabilities
                        .entry_points
                        .entry(member.to_owned())
                        .or_default()
                } else {
                    capabilities
                        .navigation
                        .entry((format!("{qualifier}.{name}"), member.to_owned()))
                        .or_default()
                };
                terms.restrict(r, &group.annotations);
            }
        }
    }
    capabilities
}

/// The names a document may use for the two vocabularies.
struct Terms {
    capabilities: Vec<String>,
    core: Vec<String>,
}

impl Terms {
    fn of(document: &csdl::Document) -> Self {
        let mut terms = Terms {
            capabilities: vec!["Org.OData.Capabilities.V1".to_owned()],
            core: vec!["Org.OData.Core.V1".to_owned()],
        };
        for include in &document.includes {
            let list = match include.namespace.as_str() {
                "Org.OData.Capabilities.V1" => &mut terms.capabilities,
                "Org.OData.Core.V1" => &mut terms.core,
                _ => continue,
            };
            list.extend(include.alias.clone());
        }
        terms
    }

    fn is(&self, annotation: &Annotation, vocabulary: &str, term: &str) -> bool {
        let names = match vocabulary {
            "Core" => &self.core,
            _ => &self.capabilities,
        };
        annotation.qualifier.is_none()
            && annotation
                .term
                .text
                .rsplit_once('.')
                .is_some_and(|(prefix, name)| name == term && names.iter().any(|n| n == prefix))
    }

    /// `Capabilities.ChangeTracking` with `Supported` true (its default).
    fn tracks_changes(&self, annotations: &[Annotation]) -> bool {
        annotations.iter().any(|a| {
            self.is(a, "Capabilities", "ChangeTracking")
                && a.record.iter().find(|(name, _)| name == "Supported").is_none_or(|(_, v)| *v)
        })
    }

    fn declares_concurrency(&self, annotations: &[Annotation]) -> bool {
        annotations.iter().any(|a| self.is(a, "Core", "OptimisticConcurrency"))
    }

    fn restrict(&self, restrictions: &mut Restrictions, annotations: &[Annotation]) {
        for a in annotations {
            let (slot, property) = match () {
                _ if self.is(a, "Capabilities", "InsertRestrictions") => {
                    (&mut restrictions.insertable, "Insertable")
                }
                _ if self.is(a, "Capabilities", "UpdateRestrictions") => {
                    (&mut restrictions.updatable, "Updatable")
                }
                _ if self.is(a, "Capabilities", "DeleteRestrictions") => {
                    (&mut restrictions.deletable, "Deletable")
                }
                _ if self.is(a, "Capabilities", "ReadRestrictions") => {
                    (&mut restrictions.readable, "Readable")
                }
                _ if self.is(a, "Capabilities", "CountRestrictions") => {
                    (&mut restrictions.countable, "Countable")
                }
                _ if self.is(a, "Capabilities", "NavigationRestrictions") => {
                    (&mut restrictions.referenceable, "Referenceable")
                }
                _ => continue,
            };
            if let Some((_, value)) = a.record.iter().find(|(name, _)| name == property) {
                *slot = *value;
            }
        }
    }
}
