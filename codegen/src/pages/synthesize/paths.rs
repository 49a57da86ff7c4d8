//! Entry points and containment navigation from the documented request paths.

use super::*;

/// How a segment of a request path reads, for docs-only input.
pub(super) enum Segment<'a> {
    Key,
    Name(&'a str),
    /// A form the pages' model does not hold (an operation call, a cast or a qualified
    /// operation, `$ref`/`$value`/`$count`, an alternate key): the path is read up to it.
    Other,
    /// None of the above (`root:`, `(team-id)`, `**`): the path is read up to it, with a warning.
    Unknown,
}

pub(super) fn segment(text: &str) -> Segment<'_> {
    if text.starts_with('{') {
        Segment::Key
    } else if valid_simple_identifier(text) {
        Segment::Name(text)
    } else if text.starts_with('$')
        || text.contains('=')
        || text
            .split_once('(')
            .is_some_and(|(name, rest)| valid_simple_identifier(name) && rest.ends_with(')'))
        || (text.contains('.') && text.split('.').all(valid_simple_identifier))
    {
        Segment::Other
    } else {
        Segment::Unknown
    }
}

/// Entry points: by lower-case name (URL segments are matched in any case), spelling, type
/// key, where.
pub(super) type EntryPoints = BTreeMap<String, (String, String, Span)>;

/// Entry points and containment navigation from the documented paths, shortest first.
pub(super) fn read_paths(
    synth: &mut Synth,
    mut paths: Vec<DocumentedPath<'_>>,
    diagnostics: &mut Diagnostics,
) -> (EntryPoints, EntryPoints, BTreeSet<String>) {
    paths.sort_by_key(|p| p.request.path.matches('/').count());
    let mut singletons = EntryPoints::new();
    let mut sets = EntryPoints::new();
    // Types that entry points or navigation address must be entity types.
    let mut entity_targets = BTreeSet::new();
    for path in &paths {
        let request = path.request;
        let (res_ns, resource, resource_span, weak) = &path.resource;
        let span = request.span;
        let segments: Vec<&str> = request
            .path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        // Where the path stops being read: the first segment that is no name or key.
        let end = segments
            .iter()
            .position(|s| matches!(segment(s), Segment::Other | Segment::Unknown))
            .unwrap_or(segments.len());
        if let Some(stop) = segments.get(end) {
            if matches!(segment(stop), Segment::Unknown) {
                diagnostics.warning(
                    span,
                    format!("request path segment `{stop}` is not a name, a key or an operation; the path is read up to it"),
                );
            }
        }
        let segments = &segments[..end];
        let mut parent: Option<String> = None;
        for (i, text) in segments.iter().enumerate() {
            let Segment::Name(name) = segment(text) else {
                continue;
            };
            let last = i == segments.len() - 1;
            let keyed = segments.get(i + 1).is_some_and(|s| s.starts_with('{'));
            // Where the page documents its resource: the whole path was read.
            let at_resource =
                end == request_len(request) && (last || (keyed && i + 2 == segments.len()));
            let collection = keyed || (last && (request.method == "POST" || path.is_collection));
            let folded = name.to_ascii_lowercase();
            let existing = match parent.as_deref() {
                // An entry point a shorter path has documented already.
                None if collection => sets.get(&folded).map(|(_, key, _)| key.clone()),
                None => singletons.get(&folded).map(|(_, key, _)| key.clone()),
                Some(p) => match synth.member_in_chain(p, name) {
                    Some((owner, index)) => {
                        let target = synth.drafts[&owner].members[index].target.clone();
                        match target {
                            Target::Drafted(key)
                                if synth.drafts.get(&key).is_some_and(Draft::is_enum) =>
                            {
                                // A property of enumeration type: nothing to address beyond.
                                break;
                            }
                            Target::Drafted(key) => Some(key),
                            Target::Edm(_) => None,
                        }
                    }
                    None => None,
                },
            };
            let target = match existing {
                Some(key) if !at_resource || *weak => key,
                _ if at_resource && !path.invented => {
                    synth.draft(res_ns, resource, *resource_span)
                }
                _ => {
                    // A type named after the segment (or its singular, where a page describes
                    // that: `drives` → `drive`): not one the pages describe as another kind.
                    let named = synth
                        .title_type(&path.namespace, name)
                        .unwrap_or_else(|| name.to_owned());
                    let (ns, simple) = synth.reference(&path.namespace, &named);
                    let candidate = key(&ns, &simple);
                    if !synth.may_be_entity(&candidate, &entity_targets) {
                        let kind = if synth.drafts[&candidate].is_enum() {
                            "an enumeration"
                        } else {
                            "a complex type (properties, no key, no relationships)"
                        };
                        diagnostics.warning(
                            span,
                            format!(
                                "no page says what type `{name}` in this path has, and `{}` is {kind} in the pages, not an entity type; the path is read up to `{name}`",
                                synth.drafts[&candidate].name
                            ),
                        );
                        break;
                    }
                    synth.draft(&ns, &simple, span)
                }
            };
            entity_targets.insert(target.clone());
            match &parent {
                None if collection => {
                    let entry = sets
                        .entry(folded)
                        .or_insert_with(|| (name.to_owned(), target.clone(), span));
                    if entry.1 != target {
                        let message = format!(
                            "entity set `{}` is of `{}` here but of `{}` where first documented; the first is kept",
                            entry.0,
                            describe_target(&synth.drafts, &Target::Drafted(target.clone()), false),
                            describe_target(&synth.drafts, &Target::Drafted(entry.1.clone()), false),
                        );
                        diagnostics.push(
                            Diagnostic::warning(span, message)
                                .with_note(entry.2, "first documented here"),
                        );
                    }
                    parent = Some(entry.1.clone());
                    continue;
                }
                None => {
                    let entry = singletons
                        .entry(folded)
                        .or_insert_with(|| (name.to_owned(), target.clone(), span));
                    parent = Some(entry.1.clone());
                    continue;
                }
                Some(owner) => match synth.member_in_chain(owner, name) {
                    Some((declaring, index)) => {
                        // Path evidence: the path goes on through a key of the member, or
                        // creates in it.
                        if keyed || (last && request.method == "POST") {
                            if let Some(m) = synth
                                .drafts
                                .get_mut(&declaring)
                                .and_then(|d| d.members.get_mut(index))
                            {
                                m.addressed = true;
                            }
                        }
                    }
                    None => {
                        let member = Member {
                            name: Spanned {
                                text: name.to_owned(),
                                span,
                            },
                            target: Target::Drafted(target.clone()),
                            collection,
                            type_span: span,
                            description: None,
                            origin: Origin::Path,
                            addressed: true,
                        };
                        add_member(&mut synth.drafts, owner, member, diagnostics);
                    }
                },
            }
            parent = Some(target);
        }
    }
    // A name both a singleton and an entity set: some page addresses it as a collection.
    singletons.retain(|folded, (name, _, span)| {
        let Some((_, _, set_span)) = sets.get(folded) else {
            return true;
        };
        diagnostics.push(
            Diagnostic::warning(
                *span,
                format!("`{name}` is addressed as a collection elsewhere; it is generated as an entity set, not a singleton"),
            )
            .with_note(*set_span, "addressed as a collection here"),
        );
        false
    });
    (singletons, sets, entity_targets)
}

/// The number of segments of a request's path.
pub(super) fn request_len(request: &HttpRequest) -> usize {
    request
        .path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count()
}

/// Primitive types a key can have.
pub(super) fn key_type(target: &Target) -> bool {
    matches!(target, Target::Edm(edm) if !matches!(*edm, "Edm.Stream" | "Edm.Untyped" | "Edm.Binary"))
}

