//! The drafts as one CSDL document, in named passes (see [`document`]).

use super::*;

/// The drafts, with what the pages decided about them, as one CSDL document:
///
/// 1. [`Plan::inherited_rows`]: rows a derived type's table repeats from its base types are
///    left out (a warning where the types differ);
/// 2. [`Plan::entity_types`]: which types are entity types, bases, held by entity sets;
/// 3. [`Plan::keys`]: which entity types declare the key;
/// 4. each draft becomes an enumeration ([`Plan::enum_type`]) or a structured type
///    ([`Plan::structured_type`]) in the schema of its namespace;
/// 5. the entry points of entity types go in a container ([`Plan::entry_points`]), in
///    Graph's namespace or the first one.
pub(super) fn document(
    file: crate::source::FileId,
    synth: Synth,
    singletons: EntryPoints,
    sets: EntryPoints,
    entity_targets: &BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) -> csdl::Document {
    let mut plan = Plan::new(&synth, Span::new(file, 0));
    plan.inherited_rows(diagnostics);
    plan.entity_types(&singletons, &sets, entity_targets);
    plan.keys(diagnostics);
    let mut schemas = Schemas::new(plan.zero);
    for (key, d) in &synth.drafts {
        let namespace = schemas.namespace(&plan.namespace_of(d));
        if d.is_enum() {
            let enumeration = plan.enum_type(d);
            schemas.get(&namespace).enum_types.push(enumeration);
        } else {
            let structured = plan.structured_type(key, d, diagnostics);
            schemas.get(&namespace).structured_types.push(structured);
        }
    }
    let entity_sets = plan.entry_points(sets, diagnostics);
    let singletons = plan.entry_points(singletons, diagnostics);
    schemas.container(entity_sets, singletons);
    csdl::Document {
        file,
        includes: Vec::new(),
        schemas: schemas.by_namespace.into_values().collect(),
    }
}

/// What the passes decide about the drafts.
struct Plan<'s> {
    synth: &'s Synth,
    zero: Span,
    /// Each draft's base types, nearest first.
    ancestors: HashMap<String, Vec<String>>,
    /// Members (draft key, index) a base type declares: left out of the derived type.
    inherited: HashSet<(String, usize)>,
    entities: BTreeSet<String>,
    /// Types some other type names as its base.
    bases: BTreeSet<String>,
    /// Types some entity set holds (the set's type and those derived from it).
    set_types: BTreeSet<String>,
    /// Entity types that declare the key, and those whose key is their page's `keyProperty`.
    keyed: BTreeSet<String>,
    declared_keys: BTreeSet<String>,
}

impl<'s> Plan<'s> {
    fn new(synth: &'s Synth, zero: Span) -> Self {
        let ancestors = synth
            .drafts
            .keys()
            .map(|k| (k.clone(), synth.ancestors(k)))
            .collect();
        Plan {
            synth,
            zero,
            ancestors,
            inherited: HashSet::new(),
            entities: BTreeSet::new(),
            bases: BTreeSet::new(),
            set_types: BTreeSet::new(),
            keyed: BTreeSet::new(),
            declared_keys: BTreeSet::new(),
        }
    }

    fn chain(&self, key: &str) -> &[String] {
        self.ancestors.get(key).map_or(&[][..], Vec::as_slice)
    }

    /// Pass 1: a derived type's table repeats what it inherits: rows its base types declare
    /// are left out, with a warning where the types differ.
    fn inherited_rows(&mut self, diagnostics: &mut Diagnostics) {
        let drafts = &self.synth.drafts;
        for (key, d) in drafts {
            for (index, m) in d.members.iter().enumerate() {
                let declared = self.chain(key).iter().find_map(|a| {
                    let base = drafts.get(a)?;
                    Some((base, base.by_name.get(&m.name.text).map(|&i| &base.members[i])?))
                });
                let Some((base, first)) = declared else {
                    continue;
                };
                self.inherited.insert((key.clone(), index));
                let differs = first.target != m.target || first.collection != m.collection;
                if differs && m.origin != Origin::Path {
                    diagnostics.push(
                        Diagnostic::warning(
                            m.type_span,
                            format!(
                                "property `{}` of `{}` has type `{}` here but `{}` in its base type `{}`; the base type's is kept",
                                m.name.text,
                                d.name,
                                describe_target(drafts, &m.target, m.collection),
                                describe_target(drafts, &first.target, first.collection),
                                base.name
                            ),
                        )
                        .with_note(first.type_span, "declared by the base type here"),
                    );
                }
            }
        }
    }

    /// Pass 2: entity types are what has a key, an entry point or a path, and every type that
    /// shares a base type with one (a base and its derived types are of one kind).
    fn entity_types(
        &mut self,
        singletons: &EntryPoints,
        sets: &EntryPoints,
        entity_targets: &BTreeSet<String>,
    ) {
        let drafts = &self.synth.drafts;
        let singleton_types: BTreeSet<&String> =
            singletons.values().map(|(_, key, _)| key).collect();
        let root = |key: &String| {
            self.chain(key)
                .last()
                .cloned()
                .unwrap_or_else(|| key.clone())
        };
        let entity_roots: BTreeSet<String> = drafts
            .iter()
            .filter(|(key, d)| {
                !d.is_enum()
                    && (has_id(d)
                        || singleton_types.contains(key)
                        || entity_targets.contains(*key))
            })
            .map(|(key, _)| root(key))
            .collect();
        let entities = drafts
            .iter()
            .filter(|(key, d)| !d.is_enum() && entity_roots.contains(&root(key)))
            .map(|(key, _)| key.clone())
            .collect();
        self.entities = entities;
        self.bases = drafts
            .values()
            .filter_map(|d| d.base.as_ref().map(|(b, _)| b.clone()))
            .collect();
        self.set_types = sets.values().map(|(_, key, _)| key.clone()).collect();
    }

    /// Pass 3: keys, base types first: a type has one when it is an entity type whose base
    /// types have none, from its `id` row or, without one, its page's `keyProperty`.
    fn keys(&mut self, diagnostics: &mut Diagnostics) {
        let drafts = &self.synth.drafts;
        let mut order: Vec<&String> = drafts.keys().collect();
        order.sort_by_key(|k| self.chain(k).len());
        for key in order {
            let Some(d) = drafts.get(key) else {
                continue;
            };
            let base_keyed = self.chain(key).iter().any(|a| self.keyed.contains(a));
            if !self.entities.contains(key) || base_keyed {
                continue;
            }
            if self.own_id(key, d) {
                self.keyed.insert(key.clone());
            } else if let Some((name, at)) = &d.declared_key {
                if name == "id" && d.member(name).is_none() {
                    diagnostics.warning(
                        *at,
                        format!("key `id` of entity type `{}` is in no property table; it is generated as `Edm.String`, as the page's `keyProperty` names it", d.name),
                    );
                    self.keyed.insert(key.clone());
                    self.declared_keys.insert(key.clone());
                }
            }
        }
    }

    /// Whether a draft lists an `id` of its own (not a row its base type declares).
    fn own_id(&self, key: &str, d: &Draft) -> bool {
        has_id(d)
            && d
                .by_name
                .get("id")
                .is_some_and(|&i| !self.inherited.contains(&(key.to_owned(), i)))
    }

    /// Whether an entity set holds the type (it is the set's type or derives from it).
    fn in_set(&self, key: &str) -> bool {
        self.set_types.contains(key) || self.chain(key).iter().any(|a| self.set_types.contains(a))
    }

    /// A draft's namespace in the spelling it was first drafted with.
    fn namespace_of(&self, d: &Draft) -> String {
        self.synth
            .namespaces
            .get(&d.namespace)
            .cloned()
            .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned())
    }

    /// References name a type in the spelling it was first drafted with.
    fn qualified(&self, key: &str) -> String {
        match self.synth.drafts.get(key) {
            Some(d) => format!("{}.{}", self.namespace_of(d), d.name),
            None => key.to_owned(),
        }
    }

    fn type_name(&self, target: &Target, collection: bool) -> String {
        let inner = match target {
            Target::Edm(edm) => (*edm).to_owned(),
            Target::Drafted(key) => self.qualified(key),
        };
        if collection {
            format!("Collection({inner})")
        } else {
            inner
        }
    }

    /// Pass 4, an enumeration: its members, `Edm.Int64` when a value does not fit `Edm.Int32`
    /// (a member without a value is one more than the previous one).
    fn enum_type(&self, d: &Draft) -> csdl::EnumType {
        let span = d.span.unwrap_or(self.zero);
        let members: Vec<csdl::EnumMember> = d
            .enum_members
            .iter()
            .map(|m| csdl::EnumMember {
                name: m.name.clone(),
                span: m.name.span,
                value: m.value.map(|(v, at)| spanned(&v.to_string(), at)),
                annotations: description(&m.description, m.name.span),
            })
            .collect();
        let mut next = 0i64;
        let wide = d.enum_members.iter().any(|m| {
            let value = m.value.map_or(next, |(v, _)| v);
            next = value.saturating_add(1);
            i32::try_from(value).is_err()
        });
        csdl::EnumType {
            name: spanned(&d.name, span),
            span,
            underlying_type: wide.then(|| spanned("Edm.Int64", span)),
            is_flags: is_flags(d),
            members,
            annotations: Vec::new(),
        }
    }

    /// Pass 4, a structured type: entity or complex, its base, its key, its members; what no
    /// page describes is kept whole (an open type) where it is an entity type or in a
    /// hierarchy, and any JSON otherwise (an empty complex type, which resolution reads as
    /// `Edm.Untyped`), so that strings and arrays read too.
    fn structured_type(
        &self,
        key: &str,
        d: &Draft,
        diagnostics: &mut Diagnostics,
    ) -> csdl::StructuredType {
        let span = d.span.unwrap_or(self.zero);
        if let (true, Some(at)) = (d.described, d.enum_span) {
            diagnostics.warning(
                at,
                format!("`{}` has a property table elsewhere; it is generated as a structured type and these members are not read", d.name),
            );
        }
        let is_entity = self.entities.contains(key);
        let keyed = self.keyed.contains(key);
        let hierarchy = self.bases.contains(key) || d.base.is_some();
        let open = !d.described && (is_entity || hierarchy);
        if !d.described {
            let message = if open {
                format!("no page describes the properties of `{}`; it is generated as an open type (its members are kept as dynamic properties)", d.name)
            } else {
                format!("no page lists properties or members of `{}`; it is generated as any JSON (`Edm.Untyped`: a `serde_json::Value`, which reads strings and arrays too)", d.name)
            };
            diagnostics.warning(span, message);
        }
        let (properties, navigation_properties) = self.members(key, d, keyed, diagnostics);
        csdl::StructuredType {
            kind: if is_entity {
                StructuredKind::Entity
            } else {
                StructuredKind::Complex
            },
            name: spanned(&d.name, span),
            span,
            base_type: d
                .base
                .as_ref()
                .map(|(b, at)| spanned(&self.qualified(b), *at)),
            is_abstract: false,
            // What the pages do not describe is kept, not lost.
            open_type: open,
            has_stream: false,
            key: if keyed {
                vec![spanned("id", span)]
            } else {
                Vec::new()
            },
            properties,
            navigation_properties,
            annotations: Vec::new(),
        }
    }

    /// A structured type's own members: structural properties (the `id` its page's
    /// `keyProperty` names first, when no row lists it) and navigation properties. A property
    /// row of entity type is a navigation property, and a relationship to a type that is not
    /// an entity type a structural property, each with a warning; a navigation property is
    /// contained where the paths address its targets through it and no entity set holds them.
    fn members(
        &self,
        key: &str,
        d: &Draft,
        keyed: bool,
        diagnostics: &mut Diagnostics,
    ) -> (Vec<csdl::Property>, Vec<csdl::NavigationProperty>) {
        let span = d.span.unwrap_or(self.zero);
        let declared_key = self.declared_keys.contains(key).then(|| {
            let at = d.declared_key.as_ref().map_or(span, |(_, at)| *at);
            property(spanned("id", at), spanned("Edm.String", at), Some(false), Vec::new())
        });
        let mut properties: Vec<csdl::Property> = declared_key.into_iter().collect();
        let mut navigation_properties = Vec::new();
        for (index, m) in d.members.iter().enumerate() {
            if self.inherited.contains(&(key.to_owned(), index)) {
                continue;
            }
            let target_entity =
                matches!(&m.target, Target::Drafted(t) if self.entities.contains(t));
            let ty = spanned(&self.type_name(&m.target, m.collection), m.type_span);
            let navigation = match m.origin {
                Origin::Path => target_entity,
                Origin::Relationship if target_entity => true,
                Origin::Relationship => {
                    diagnostics.warning(
                        m.type_span,
                        format!(
                            "relationship `{}` of `{}` has `{}`, which is not an entity type; it is generated as a structural property",
                            m.name.text, d.name, ty.text
                        ),
                    );
                    false
                }
                Origin::Property if target_entity => {
                    diagnostics.warning(
                        m.type_span,
                        format!(
                            "property `{}` of `{}` has entity type `{}`; it is generated as a navigation property",
                            m.name.text, d.name, ty.text
                        ),
                    );
                    true
                }
                Origin::Property => false,
            };
            let annotations = description(&m.description, m.name.span);
            if navigation {
                let contained = m.addressed
                    && !matches!(&m.target, Target::Drafted(t) if self.in_set(t));
                navigation_properties.push(csdl::NavigationProperty {
                    name: m.name.clone(),
                    span: m.name.span,
                    type_name: ty,
                    nullable: None,
                    contains_target: contained,
                    partner: None,
                    annotations,
                });
            } else {
                let is_key = keyed && m.name.text == "id";
                properties.push(property(
                    m.name.clone(),
                    ty,
                    is_key.then_some(false),
                    annotations,
                ));
            }
        }
        (properties, navigation_properties)
    }

    /// Pass 5: entry points of entity types only (a path may have named an enumeration's
    /// type; that one is a warning).
    fn entry_points(
        &self,
        points: EntryPoints,
        diagnostics: &mut Diagnostics,
    ) -> Vec<csdl::EntitySet> {
        let mut kept = Vec::new();
        for (name, key, span) in points.into_values() {
            if !self.entities.contains(&key) {
                diagnostics.warning(
                    span,
                    format!("`{name}` is not of an entity type in the pages; it is not generated as an entry point"),
                );
                continue;
            }
            kept.push(csdl::EntitySet {
                name: spanned(&name, span),
                span,
                type_name: spanned(&self.qualified(&key), span),
                navigation_bindings: Vec::new(),
                annotations: Vec::new(),
            });
        }
        kept
    }
}

/// The schemas of the document, one per namespace (by lower-case name).
struct Schemas {
    zero: Span,
    by_namespace: BTreeMap<String, csdl::Schema>,
}

impl Schemas {
    fn new(zero: Span) -> Self {
        Schemas {
            zero,
            by_namespace: BTreeMap::new(),
        }
    }

    /// The schema of `namespace`, made when first asked for; its name as first spelled.
    fn namespace(&mut self, namespace: &str) -> String {
        let zero = self.zero;
        self.by_namespace
            .entry(namespace.to_ascii_lowercase())
            .or_insert_with(|| csdl::Schema::empty(spanned(namespace, zero), None, zero))
            .namespace
            .text
            .clone()
    }

    fn get(&mut self, namespace: &str) -> &mut csdl::Schema {
        let zero = self.zero;
        self.by_namespace
            .entry(namespace.to_ascii_lowercase())
            .or_insert_with(|| csdl::Schema::empty(spanned(namespace, zero), None, zero))
    }

    /// The container, in Graph's namespace (or the first one).
    fn container(&mut self, entity_sets: Vec<csdl::EntitySet>, singletons: Vec<csdl::EntitySet>) {
        let home = if self.by_namespace.contains_key(DEFAULT_NAMESPACE) || self.by_namespace.is_empty() {
            self.namespace(DEFAULT_NAMESPACE)
        } else {
            self.by_namespace
                .values()
                .next()
                .map_or_else(|| DEFAULT_NAMESPACE.to_owned(), |s| s.namespace.text.clone())
        };
        let zero = self.zero;
        self.get(&home).containers.push(csdl::EntityContainer {
            name: spanned("Documentation", zero),
            span: zero,
            entity_sets,
            singletons,
            action_imports: Vec::new(),
            function_imports: Vec::new(),
            annotations: Vec::new(),
        });
    }
}

/// Whether an enumeration's members table lists flags (CSDL 4.01 §10.2.2): every member has a
/// value, each 0 or a power of two, and they leave gaps (`1, 2, 4, 8`, or `0, 1, 2, 4`: more
/// than a count from 0 or 1 would), so its values combine.
fn is_flags(d: &Draft) -> bool {
    let values: Option<Vec<i64>> = d.enum_members.iter().map(|m| m.value.map(|(v, _)| v)).collect();
    let Some(values) = values else {
        return false;
    };
    let powers = values.iter().all(|&v| v == 0 || (v > 0 && (v & (v - 1)) == 0));
    let largest = values.iter().copied().max().unwrap_or(0);
    let nonzero = values.iter().filter(|&&v| v != 0).count();
    powers && largest >= 4 && i64::try_from(nonzero).is_ok_and(|n| largest > n)
}

fn spanned(text: &str, span: Span) -> Spanned {
    Spanned {
        text: text.to_owned(),
        span,
    }
}

/// A description as the `Core.Description` annotation CSDL gives it.
fn description(text: &Option<String>, span: Span) -> Vec<csdl::Annotation> {
    text.iter()
        .map(|t| csdl::Annotation {
            term: spanned("Org.OData.Core.V1.Description", span),
            span,
            qualifier: None,
            string: Some(t.clone()),
            boolean: None,
            record: Vec::new(),
        })
        .collect()
}

/// A structural property without facets.
fn property(
    name: Spanned,
    type_name: Spanned,
    nullable: Option<bool>,
    annotations: Vec<csdl::Annotation>,
) -> csdl::Property {
    csdl::Property {
        span: name.span,
        name,
        type_name,
        nullable,
        max_length: None,
        precision: None,
        scale: None,
        default_value: None,
        annotations,
    }
}
