//! What a page says about itself: the resource it documents, its namespace, its documented
//! request, and the primitive type names its tables use.

use crate::pages::{strip_prefix_ignore_ascii_case, BlockKind, HttpMessage, HttpRequest, Page};
use crate::source::Span;

/// `Edm` names for the primitive type names tables use.
pub fn edm_name(cell: &str) -> Option<&'static str> {
    Some(match cell.trim().to_ascii_lowercase().as_str() {
        "string" | "url" => "Edm.String",
        "int32" | "integer" | "int" => "Edm.Int32",
        "int64" => "Edm.Int64",
        "int16" => "Edm.Int16",
        "byte" => "Edm.Byte",
        "sbyte" => "Edm.SByte",
        "boolean" | "bool" => "Edm.Boolean",
        // Pages write `Float` for a floating-point number.
        "double" | "float" => "Edm.Double",
        "single" => "Edm.Single",
        "decimal" => "Edm.Decimal",
        // Graph's pages also write `Timestamp` (ISO 8601 in UTC) and `Url`.
        "datetimeoffset" | "datetime" | "timestamp" => "Edm.DateTimeOffset",
        "date" => "Edm.Date",
        "timeofday" => "Edm.TimeOfDay",
        "duration" => "Edm.Duration",
        "guid" => "Edm.Guid",
        "binary" => "Edm.Binary",
        "stream" => "Edm.Stream",
        // `Object`: some JSON object the page does not describe further.
        "json" | "untyped" | "object" => "Edm.Untyped",
        other => return other.strip_prefix("edm.").and_then(edm_name),
    })
}

/// The qualified type an API page is about: its response's `@odata.type`, else its example
/// request body's, else the last word of its title ("Create officeClientConfiguration").
pub fn page_resource(page: &Page) -> Option<(String, Span)> {
    let from_metadata = page.code_blocks.iter().find_map(|b| {
        let metadata = b.metadata.as_ref()?;
        let ty = metadata.odata_type.as_ref()?;
        let ty = ty.trim_start_matches('#');
        // `Collection(x)`, in any letter case.
        let ty = strip_prefix_ignore_ascii_case(ty, "collection(").unwrap_or(ty);
        Some((ty.trim_end_matches(')').to_owned(), metadata.span))
    });
    let from_body = || {
        page.code_blocks.iter().find_map(|b| match &b.http {
            Some(HttpMessage::Request(r)) => {
                let body = r.body.as_ref()?;
                let value: serde_json::Value = serde_json::from_str(&body.text).ok()?;
                Some((
                    value
                        .get("@odata.type")?
                        .as_str()?
                        .trim_start_matches('#')
                        .to_owned(),
                    body.span,
                ))
            }
            _ => None,
        })
    };
    let from_title = || {
        let title = page.title.as_ref()?;
        let word = title_type(&title.text)?;
        Some((format!("{}.{word}", page_namespace(page)), title.span))
    };
    let chosen = from_metadata.or_else(from_body).or_else(from_title)?;
    // Metadata comments sometimes spell the type all in lower case
    // (`officeclientconfiguration`): a body or title that has its inner capitals is better.
    // A title's capital first letter (`Drive resource type`) is the title's, not the type's.
    let cased = [from_body(), from_title()]
        .into_iter()
        .flatten()
        .find(|(name, _)| name.eq_ignore_ascii_case(&chosen.0) && better_cased(name, &chosen.0));
    Some(cased.map(|(name, _)| (name, chosen.1)).unwrap_or(chosen))
}

/// Whether `candidate` spells a type name better than `chosen` (the same but for case): its
/// first letter is lower case, as Graph's type names' are, where `chosen`'s is not; or both
/// begin alike and `chosen` has no capital at all where `candidate` has some.
pub(crate) fn better_cased(candidate: &str, chosen: &str) -> bool {
    let simple = |name: &str| name.rsplit('.').next().unwrap_or(name).to_owned();
    let (candidate, chosen) = (simple(candidate), simple(chosen));
    let lower_first = |s: &str| s.starts_with(|c: char| c.is_ascii_lowercase());
    if lower_first(&candidate) != lower_first(&chosen) {
        return lower_first(&candidate);
    }
    let capitals = |s: &str| s.chars().skip(1).any(|c| c.is_ascii_uppercase());
    !capitals(&chosen) && capitals(&candidate)
}

/// The type a title names: its last word, after words that say what kind of page it is
/// ("part resource type", "catalogue complex type").
fn title_type(title: &str) -> Option<&str> {
    let mut words: Vec<&str> = title.split_whitespace().collect();
    while words.len() > 1
        && words.last().is_some_and(|w| {
            ["resource", "type", "complex", "entity", "object"]
                .iter()
                .any(|kind| w.eq_ignore_ascii_case(kind))
        })
    {
        words.pop();
    }
    words.last().copied()
}

/// "Namespace: microsoft.graph" under the title, or the default Graph namespace. Only the
/// line's first word: pages often go on with the description without a blank line.
pub fn page_namespace(page: &Page) -> String {
    page.paragraphs
        .iter()
        .find_map(|p| {
            let rest = p.text.strip_prefix("Namespace:")?;
            let word = rest.split_whitespace().next()?;
            Some(word.trim_matches('`').trim_end_matches('.').to_owned())
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "microsoft.graph".to_owned())
}

/// The request an API page documents: the block in its "HTTP request" section, else its first
/// example request.
pub fn documented_request(page: &Page) -> Option<&HttpRequest> {
    let requests = page.code_blocks.iter().filter_map(|b| match &b.http {
        Some(HttpMessage::Request(r)) => Some((b, r)),
        _ => None,
    });
    let mut fallback = None;
    for (block, request) in requests {
        let in_http_section = page
            .section(block.section)
            .is_some_and(|s| s.kind == crate::pages::SectionKind::HttpRequest);
        if in_http_section {
            return Some(request);
        }
        if fallback.is_none() && block.kind == BlockKind::Request {
            fallback = Some(request);
        }
    }
    fallback
}

/// A member name as a table cell writes it: `` `webUrl` ``, `**id**`, `teamsAppId
/// (deprecated)`, and a link's text: `[color](#color)` (which is also how an HTML link in a
/// cell, `<a href="#color">color</a>`, reads). Lint and the docs-only synthesis read names
/// alike.
pub fn member_name(cell: &str) -> &str {
    let name = cell.trim().trim_matches(['`', '*', '_']).trim();
    let name = match name.split_once(char::is_whitespace) {
        Some((first, rest)) if rest.trim_start().starts_with('(') && rest.ends_with(')') => {
            first.trim_matches(['`', '*', '_'])
        }
        _ => name,
    };
    let link_text = name
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("]("))
        .filter(|(_, target)| target.ends_with(')') && !target[..target.len() - 1].contains(')'))
        .map(|(text, _)| text);
    match link_text {
        Some(text) => text.trim().trim_matches(['`', '*', '_']).trim(),
        None => name,
    }
}

/// Descriptions that say nothing yet ("**TODO: Add Description**", "Not yet documented") are
/// not kept. `TODO` counts in capitals only: a description of a `todoTask` is one.
pub fn useful(description: &str) -> bool {
    let text = description.trim();
    let placeholder = text
        .trim_end_matches('.')
        .eq_ignore_ascii_case("not yet documented");
    !text.is_empty() && !text.contains("TODO") && !placeholder
}

/// Where a Microsoft Graph page is published, from where it lies in a docs tree laid out as
/// Microsoft publishes it: `.../v1.0/api/NAME.md` (or `beta/`) is
/// `https://learn.microsoft.com/graph/api/NAME?view=graph-rest-1.0`, and
/// `.../v1.0/resources/NAME.md` is `https://learn.microsoft.com/graph/api/resources/NAME?...`.
/// The name is written in lower case, as Microsoft Learn's URLs are (`contentType.md` is
/// `resources/contenttype`). Pages elsewhere, or whose name is not ASCII letters, digits, `-`,
/// `_` and `.`, name no URL. The title is the front matter's, else the first heading's.
pub fn published(page: &Page, path: &std::path::Path) -> Option<crate::ir::DocPage> {
    let mut parts = path.iter().rev().map(|p| p.to_str());
    let file = parts.next()??;
    let folder = parts.next()??;
    let view = match parts.next()?? {
        "v1.0" => "graph-rest-1.0",
        "beta" => "graph-rest-beta",
        _ => return None,
    };
    let name = file.strip_suffix(".md")?.to_ascii_lowercase();
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || !name.chars().all(plain) {
        return None;
    }
    let section = match folder {
        "api" => "",
        "resources" => "resources/",
        _ => return None,
    };
    let title = page
        .front("title")
        .or(page.title.as_ref())
        .map(|t| t.text.trim().to_owned())
        .filter(|t| !t.is_empty())?;
    Some(crate::ir::DocPage {
        title,
        url: format!("https://learn.microsoft.com/graph/api/{section}{name}?view={view}"),
    })
}

/// A table description as a doc comment says it: a doubled period (`for the policy..
/// Inherited from`, where pages join two sentences) is one; an ellipsis stays.
pub fn description_text(description: &str) -> String {
    let text = description.trim();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut run = 0;
    while let Some(c) = chars.next() {
        if c == '.' {
            run += 1;
            if chars.peek() == Some(&'.') {
                continue;
            }
            // A run of two is one period; one or three and more stay as written.
            let kept = if run == 2 { 1 } else { run };
            out.extend(std::iter::repeat_n('.', kept));
            run = 0;
        } else {
            out.push(c);
        }
    }
    out
}
