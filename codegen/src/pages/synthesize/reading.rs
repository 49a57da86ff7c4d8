//! What each page says for the synthesis: the type it is about, its namespace, its base type,
//! its property, relationship and members tables.

use super::*;

/// Whether a page's type (an `@odata.type` or a title's last word) is a primitive type, as
/// for an action's page that returns strings: no structured type is drafted for it.
pub(super) fn is_primitive(qualified: &str) -> bool {
    qualified.starts_with("Edm.")
        || qualified.starts_with("edm.")
        || edm_name(qualified.rsplit('.').next().unwrap_or(qualified)).is_some()
}

/// Whether an API page documents an action or a function (`assign action`, `user:
/// assignLicense`): its request path ends with the operation, its tables are parameters, and
/// the type its response names is the operation's result. Docs-only input generates no
/// operations, so such a page describes no type and no path.
pub(super) fn operation_page(page: &Page) -> bool {
    if page.doc_type() == Some("resourcePageType") {
        return false;
    }
    let titled = page.title.as_ref().is_some_and(|title| {
        let text = title.text.trim();
        text.contains(':')
            || text.split_whitespace().last().is_some_and(|w| {
                w.eq_ignore_ascii_case("action") || w.eq_ignore_ascii_case("function")
            })
    });
    titled || posts_an_action(page)
}

/// Whether a page's documented `POST` calls an action rather than creating an entity (most
/// real action pages are titled with a verb phrase, "Send mail"): its request body is
/// documented as a table of parameters, or every example answers without content (`202
/// Accepted`, `204 No Content`), which a create does not (OData Protocol 4.01 §11.4.2.1: it
/// answers `201 Created`, or `204` only when asked to with `Prefer: return=minimal`).
pub(super) fn posts_an_action(page: &Page) -> bool {
    let Some(request) = documented_request(page) else {
        return false;
    };
    if request.method != "POST" {
        return false;
    }
    let parameter_table = page.tables.iter().any(|t| {
        t.kind == TableKind::Parameters
            && page
                .section(t.section)
                .is_some_and(|s| s.kind == crate::pages::SectionKind::RequestBody)
    });
    let statuses: Vec<u16> = page
        .code_blocks
        .iter()
        .filter_map(|b| match &b.http {
            Some(HttpMessage::Response(r)) => Some(r.status),
            _ => None,
        })
        .collect();
    parameter_table || (!statuses.is_empty() && statuses.iter().all(|s| matches!(s, 202 | 204)))
}

/// The type a page describes, for docs-only input: as [`page_resource`] finds it, except that
/// a response example's `@odata.type` (of the object, or of the first item of `value`) comes
/// before the title's last word (which is plural on list pages).
pub(super) fn synthesized_resource(page: &Page) -> Option<(String, Span, bool)> {
    let found = page_resource(page)?;
    let from_title = page.title.as_ref().is_some_and(|t| t.span == found.1);
    if !from_title {
        return Some((found.0, found.1, false));
    }
    let from_response = page.code_blocks.iter().find_map(|b| match &b.http {
        Some(HttpMessage::Response(r)) => {
            let body = r.body.as_ref()?;
            let value: serde_json::Value = serde_json::from_str(&body.text).ok()?;
            let object = match value.get("value") {
                Some(serde_json::Value::Array(items)) => items.first()?,
                _ => &value,
            };
            let ty = object.get("@odata.type")?.as_str()?.trim_start_matches('#');
            Some((ty.to_owned(), body.span))
        }
        _ => None,
    });
    Some(match from_response {
        Some((name, span)) => (name, span, false),
        // A resource page's title names its type.
        // (An overview page with no table, "Use the threat assessment API", names none.)
        None if page.doc_type() == Some("resourcePageType") && page.member_rows().next().is_some() => {
            (found.0, found.1, false)
        }
        // Only the title's last word: the type a request path already leads to comes first.
        None => (found.0, found.1, true),
    })
}

/// A page's namespace: its `Namespace:` line (a trailing `.` aside), or Graph's. A line that
/// names no namespace is a warning.
pub(super) fn page_namespace(page: &Page, diagnostics: &mut Diagnostics) -> String {
    // The line's first word: pages often go on with the description without a blank line.
    let Some((line, span)) = page.paragraphs.iter().find_map(|p| {
        let word = p.text.strip_prefix("Namespace:")?.split_whitespace().next()?;
        Some((word.trim_end_matches('.'), p.span))
    }) else {
        return DEFAULT_NAMESPACE.to_owned();
    };
    let namespace = line.trim_matches('`');
    if !namespace.is_empty() && namespace.split('.').all(valid_simple_identifier) {
        return namespace.to_owned();
    }
    diagnostics.warning(
        span,
        format!("`{line}` is not a namespace; this page's types are in `{DEFAULT_NAMESPACE}`"),
    );
    DEFAULT_NAMESPACE.to_owned()
}

/// The members tables of a page (`Member | Value | Description` under `### bodyType values`
/// or `## Members` of a page titled `bodyType enum type`; `Value | Description` under such a
/// heading), each with the enumeration it lists (`None` when the page does not name it) and
/// where that is named.
pub(super) fn members_tables(page: &Page) -> impl Iterator<Item = (&Table, Option<(String, Span)>)> {
    page.tables.iter().filter_map(move |table| {
        let section = page.section(table.section);
        let heading = section.and_then(|s| {
            let title = s.title.trim();
            let cut = title.len().checked_sub(" values".len())?;
            let (name, suffix) = (title.get(..cut)?, title.get(cut..)?);
            suffix
                .eq_ignore_ascii_case(" values")
                .then(|| (name.trim().trim_matches('`').to_owned(), s.span))
        });
        let first = table.header.first().map(|h| h.trim().to_ascii_lowercase());
        // `Value | Description` under `Prefer header values` is no enumeration.
        let listed = table.kind == TableKind::Members
            || (heading
                .as_ref()
                .is_some_and(|(name, _)| valid_simple_identifier(name))
                && matches!(first.as_deref(), Some("value" | "name")));
        if !listed {
            return None;
        }
        let from_title = || {
            let title = page.title.as_ref()?;
            let text = title.text.trim();
            let lower = text.to_ascii_lowercase();
            let name = ["enum type", "enumeration type", "enumeration", "enum"]
                .iter()
                .find_map(|suffix| {
                    let cut = lower.strip_suffix(suffix)?.len();
                    text.get(..cut)
                })?;
            Some((name.trim().trim_matches('`').to_owned(), title.span))
        };
        Some((table, heading.or_else(from_title)))
    })
}

/// The base type a resource page names: its resource block's `baseType`, else an `Inherits
/// from [x](...)` sentence about the page's type (`Inherits from`, `This type inherits
/// from`, `mailSearchFolder inherits from`) before its first table.
pub(super) fn page_base(page: &Page, resource: &str) -> Option<(String, Span)> {
    let from_block = page.code_blocks.iter().find_map(|b| {
        let metadata = b
            .metadata
            .as_ref()
            .filter(|_| b.kind == BlockKind::Resource)?;
        let base = metadata.base_type.as_ref()?.trim();
        (!base.is_empty()).then(|| (base.trim_start_matches('#').to_owned(), metadata.span))
    });
    if from_block.is_some() {
        return from_block;
    }
    let first_table = page.tables.first().map(|t| t.span.offset);
    page.paragraphs
        .iter()
        .filter(|p| {
            first_table.is_none_or(|at| p.span.offset < at)
                && page.section(p.section).is_none_or(|s| s.level == 1)
        })
        .find_map(|p| {
            let lower = p.text.to_ascii_lowercase();
            let found = lower.find("inherits from ")?;
            // The sentence is about this type, not about another that inherits from it.
            let subject = lower[..found].rsplit(['.', '!', '?']).next()?.trim();
            let about_this = subject.is_empty()
                || subject == "it"
                || subject.starts_with("this ")
                || subject.trim_matches('`') == resource.to_ascii_lowercase();
            if !about_this {
                return None;
            }
            let at = found + "inherits from ".len();
            let name = p.text.get(at..)?.split_whitespace().find(|w| {
                !matches!(
                    w.to_ascii_lowercase().as_str(),
                    "base" | "class" | "the" | "type" | "abstract" | "an" | "a"
                )
            })?;
            let name = name
                .trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
                .trim_end_matches(".md");
            (valid_simple_identifier(name) || split_qualified(name).is_some())
                .then(|| (name.to_owned(), p.span))
        })
}

/// The type a page is about (namespace, simple name, where, named only by the title), or
/// `None`: an operation's page, a primitive (a page about a type named `String` is a warning:
/// the name is the primitive type's), a name that is no type name (a warning).
pub(super) fn page_type(
    page: &Page,
    namespace: &str,
    diagnostics: &mut Diagnostics,
) -> Option<(String, String, Span, bool)> {
    if operation_page(page) {
        return None;
    }
    let (resource, span, weak) = synthesized_resource(page)?;
    if is_primitive(&resource) {
        // An operation's page about a primitive result: its tables are its parameters. A
        // resource page is about a type of that name, which cannot be told from the primitive.
        let describes = page.doc_type() == Some("resourcePageType")
            || (!weak && page.member_rows().next().is_some());
        if describes && !resource.starts_with("Edm.") && !resource.starts_with("edm.") {
            let simple = resource.rsplit('.').next().unwrap_or(&resource);
            let edm = edm_name(simple).unwrap_or("Edm.Untyped");
            diagnostics.warning(
                span,
                format!(
                    "this page describes a type named `{simple}`, the name of the primitive type `{edm}`; the type is not generated, and the pages' `{simple}` reads as `{edm}`"
                ),
            );
        }
        return None;
    }
    let (ns, simple) = match split_qualified(&resource) {
        Some((ns, simple)) => (ns.to_owned(), simple.to_owned()),
        None => (namespace.to_owned(), resource.clone()),
    };
    if !valid_simple_identifier(&simple) {
        diagnostics.warning(
            span,
            format!("`{resource}` is not a type name; this page's tables and request are not read"),
        );
        return None;
    }
    Some((ns, simple, span, weak))
}

/// The rows of a page's property and relationship tables, as members of `owner`.
pub(super) fn read_members(
    synth: &mut Synth,
    page: &Page,
    namespace: &str,
    owner: &str,
    diagnostics: &mut Diagnostics,
) {
    for (table, row, name) in page.member_rows() {
        let member = member_name(&name.text);
        if !valid_simple_identifier(member) {
            diagnostics.warning(
                name.span,
                format!(
                    "`{}` is not a property name; this table row is skipped",
                    name.text.trim()
                ),
            );
            continue;
        }
        let name = Spanned {
            text: member.to_owned(),
            span: name.span,
        };
        let ty = table.cell(row, "type");
        let type_span = ty.map_or(name.span, |t| t.span);
        let cell = ty.and_then(|t| CellType::parse(&t.text));
        let (target, collection) = match &cell {
            Some(cell) => match edm_name(&cell.name) {
                Some(edm) => (Target::Edm(edm), cell.collection),
                None if valid_simple_identifier(&cell.name)
                    || split_qualified(&cell.name).is_some() =>
                {
                    let (ns, simple) = synth.reference(namespace, &cell.name);
                    (
                        Target::Drafted(synth.draft(&ns, &simple, type_span)),
                        cell.collection,
                    )
                }
                None => {
                    diagnostics.warning(
                        type_span,
                        format!(
                            "`{}` is not a type name; property `{}` is generated as untyped JSON (`Edm.Untyped`)",
                            cell.name, name.text
                        ),
                    );
                    (Target::Edm("Edm.Untyped"), cell.collection)
                }
            },
            None => {
                diagnostics.warning(
                    type_span,
                    format!(
                        "the table gives property `{}` no type; it is generated as untyped JSON (`Edm.Untyped`)",
                        name.text
                    ),
                );
                (Target::Edm("Edm.Untyped"), false)
            }
        };
        let description = table
            .cell(row, "description")
            .map(|d| description_text(&d.text))
            .filter(|d| useful(d));
        let origin = if table.kind == TableKind::Relationships {
            Origin::Relationship
        } else {
            Origin::Property
        };
        if let Some(entry) = synth.drafts.get_mut(owner) {
            entry.described = true;
        }
        let member = Member {
            name,
            target,
            collection,
            type_span,
            description,
            origin,
            addressed: false,
        };
        add_member(&mut synth.drafts, owner, member, diagnostics);
    }
}

/// The members tables of a page, as enumerations of its namespace.
pub(super) fn read_enumerations(
    synth: &mut Synth,
    page: &Page,
    namespace: &str,
    diagnostics: &mut Diagnostics,
) {
    for (table, named) in members_tables(page) {
        let Some((name, at)) = named else {
            diagnostics.warning(
                table.span,
                "this members table names no enumeration (under a `bodyType values` heading, or on a page titled `bodyType enum type`); it is not read",
            );
            continue;
        };
        if !valid_simple_identifier(&name) {
            diagnostics.warning(
                at,
                format!("`{name}` is not a type name; the members table under it is not read"),
            );
            continue;
        }
        let owner = synth.draft(namespace, &name, at);
        if let Some(d) = synth.drafts.get_mut(&owner) {
            d.enum_span.get_or_insert(table.span);
        }
        let column = |wanted: &[&str]| {
            table
                .header
                .iter()
                .position(|h| wanted.contains(&h.trim().to_ascii_lowercase().replace(" ", "").as_str()))
        };
        let name_column = column(&["member", "name"]).unwrap_or(0);
        let value_column = column(&["value", "intvalue"]).filter(|&c| c != name_column);
        let description_column = column(&["description"]);
        for row in &table.rows {
            let Some(cell) = row.get(name_column) else {
                continue;
            };
            let member = member_name(&cell.text);
            if !valid_simple_identifier(member) {
                diagnostics.warning(
                    cell.span,
                    format!(
                        "`{}` is not a member name; this table row is skipped",
                        cell.text.trim()
                    ),
                );
                continue;
            }
            let value = match value_column.and_then(|c| row.get(c)) {
                Some(v) if !v.text.trim().is_empty() => match member_value(&v.text) {
                    Some(value) => Some((value, v.span)),
                    None => {
                        diagnostics.warning(
                            v.span,
                            format!(
                                "`{}` is not an integer; member `{member}` is numbered by its place",
                                v.text.trim()
                            ),
                        );
                        None
                    }
                },
                _ => None,
            };
            let description = description_column
                .and_then(|c| row.get(c))
                .map(|d| description_text(&d.text))
                .filter(|d| useful(d));
            let member = EnumMember {
                name: Spanned {
                    text: member.to_owned(),
                    span: cell.span,
                },
                value,
                description,
            };
            add_enum_member(&mut synth.drafts, &owner, member, diagnostics);
        }
    }
}

/// Relates each type to the base type its page names. A base no page describes or drafts, an
/// enumeration, a second base, a cycle or a chain deeper than CSDL allows is a warning, and the
/// type is generated without it.
pub(super) fn relate_bases(
    synth: &mut Synth,
    bases: Vec<(String, String, String, Span)>,
    diagnostics: &mut Diagnostics,
) {
    for (owner, namespace, base, at) in bases {
        let (ns, simple) = synth.reference(&namespace, &base);
        let base_key = key(&ns, &simple);
        let owner_name = synth
            .drafts
            .get(&owner)
            .map_or_else(|| owner.clone(), |d| d.name.clone());
        if base_key == owner {
            diagnostics.warning(
                at,
                format!("`{owner_name}` is said to inherit from itself; it is generated without a base type"),
            );
            continue;
        }
        let resolved = synth.drafts.get(&base_key).filter(|b| !b.is_enum());
        let Some(base_draft) = resolved else {
            diagnostics.warning(
                at,
                format!("base type `{base}` of `{owner_name}` is not a type the pages describe; `{owner_name}` is generated without a base type"),
            );
            continue;
        };
        let base_name = base_draft.name.clone();
        let Some(d) = synth.drafts.get_mut(&owner) else {
            continue;
        };
        match &d.base {
            None => d.base = Some((base_key, at)),
            Some((first, first_at)) if *first != base_key => {
                diagnostics.push(
                    Diagnostic::warning(
                        at,
                        format!("`{owner_name}` inherits from `{base_name}` here but from another type where first described; the first is kept"),
                    )
                    .with_note(*first_at, "first described here"),
                );
            }
            Some(_) => {}
        }
    }
    // Cycles and overlong chains: the base of the type that closes the cycle (or goes past the
    // limit) is dropped.
    let keys: Vec<String> = synth.drafts.keys().cloned().collect();
    for start in keys {
        let mut seen = HashSet::from([start.clone()]);
        let mut current = synth.drafts.get(&start).and_then(|d| d.base.clone());
        let mut depth = 0;
        while let Some((base, _)) = current {
            depth += 1;
            let cut = if seen.contains(&base) {
                Some("a cycle of base types")
            } else if depth > MAX_BASE_TYPES {
                Some("a chain of more base types than a type may have")
            } else {
                None
            };
            if let Some(why) = cut {
                if let Some(d) = synth.drafts.get_mut(&start) {
                    if let Some((_, at)) = d.base.take() {
                        diagnostics.warning(
                            at,
                            format!("the base type of `{}` makes {why}; `{}` is generated without a base type", d.name, d.name),
                        );
                    }
                }
                break;
            }
            seen.insert(base.clone());
            current = synth.drafts.get(&base).and_then(|d| d.base.clone());
        }
    }
}

