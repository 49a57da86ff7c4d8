//! Code fences: what a block is (request, response, resource, ...), from its metadata comment
//! or its content, and what its content reads as (an HTTP message, JSON).

use super::http::parse_message;
use super::{BlockKind, BlockMetadata, CodeBlock, HttpMessage, SectionKind, TextMap};
use crate::source::Span;

/// A code fence as the parser closes it.
pub(super) struct Fence {
    /// The info string's first word, lower-cased.
    pub language: String,
    pub text: String,
    pub span: Span,
    /// Where the pieces of `text` are in the file.
    pub map: TextMap,
    /// Where a fence never closed starts, and how many lines it turns into code.
    pub unclosed: Option<usize>,
}

/// Where the block is on its page.
pub(super) struct Context<'c> {
    pub metadata: Option<BlockMetadata>,
    /// The tab of a tab group the block is in (`http`, `csharp`).
    pub tab: Option<&'c str>,
    pub section: Option<usize>,
    pub section_kind: Option<SectionKind>,
}

/// The code block a fence makes: its kind, its HTTP message or JSON, and where a request
/// without a request line starts.
pub(super) fn code_block(fence: Fence, context: Context<'_>) -> CodeBlock {
    let Fence {
        language,
        text,
        span,
        map,
        unclosed,
    } = fence;
    let metadata = context.metadata;
    // In a tab group only the HTTP tab holds requests and responses; the other tabs are
    // the same example in SDK languages.
    let other_tab = context.tab.is_some_and(|t| t != "http");
    let said = |kind: &str| {
        metadata.as_ref().is_some_and(|m| {
            m.block_type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(kind))
        })
    };
    let meant_as_http = !other_tab && (language == "http" || said("request") || said("response"));
    let http = meant_as_http
        .then(|| parse_message(&text, &map))
        .flatten();
    let in_request_section = context
        .section_kind
        .is_some_and(|k| matches!(k, SectionKind::HttpRequest | SectionKind::Request));
    let no_request_line = match &http {
        None if meant_as_http => first_line(&text, &map, |line| {
            // A URL shown in an `http` block of prose (a service root) is no request; one
            // where the page documents or shows its request is.
            said("request") || (in_request_section && looks_like_url(line))
        }),
        _ => None,
    };
    let json = (language == "json" && !other_tab)
        .then(|| super::json::read(&text, &map, 0))
        .flatten();
    let kind = block_kind(metadata.as_ref(), other_tab, http.as_ref(), &language, &text);
    CodeBlock {
        section: context.section,
        language,
        text,
        span,
        metadata,
        kind,
        http,
        json,
        no_request_line,
        unclosed,
    }
}

/// The kind a metadata comment gives, else the one the content shows.
fn block_kind(
    metadata: Option<&BlockMetadata>,
    other_tab: bool,
    http: Option<&HttpMessage>,
    language: &str,
    text: &str,
) -> BlockKind {
    match metadata.and_then(|m| m.block_type.as_deref()) {
        _ if other_tab => BlockKind::Ignored,
        Some(t) => match t.to_ascii_lowercase().as_str() {
            "request" => BlockKind::Request,
            "response" => BlockKind::Response,
            "resource" => BlockKind::Resource,
            "ignored" => BlockKind::Ignored,
            "example" => BlockKind::Example,
            other => BlockKind::Other(other.to_owned()),
        },
        // Without a comment, the content says what the block is.
        None => match http {
            Some(HttpMessage::Request(_)) => BlockKind::Request,
            Some(HttpMessage::Response(_)) => BlockKind::Response,
            None if language == "json" && text.contains("\"@odata.type\"") => BlockKind::Resource,
            None => BlockKind::Other(language.to_owned()),
        },
    }
}

/// Where the first line that is not blank starts (after its indentation), when `wanted`
/// accepts it (trimmed).
fn first_line(text: &str, map: &TextMap, wanted: impl Fn(&str) -> bool) -> Option<Span> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let indent = line.len() - line.trim_start().len();
            return wanted(trimmed).then(|| map.span(at + indent));
        }
        at += line.len();
    }
    None
}

/// A request line without its method: `/me/events`, `https://graph.microsoft.com/v1.0/me`.
fn looks_like_url(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    line.starts_with('/') || lower.starts_with("https://") || lower.starts_with("http://")
}

/// Whether a fenced block's source (from its opening fence to where pulldown-cmark ends it)
/// ends with a closing fence: a run of the opening fence's character at least as long, and
/// nothing else on the line (CommonMark 0.31 §4.5). When not, how many lines it turns into
/// code (to the end of the page, or of the list item or quote it is in).
pub(super) fn unclosed_lines(source: &str) -> Option<usize> {
    let mut lines = source.lines();
    let opening = lines.next()?.trim_start();
    let fence = opening.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let length = opening.chars().take_while(|&c| c == fence).count();
    let rest: Vec<&str> = lines.collect();
    let closed = rest.last().is_some_and(|last| {
        // A closing fence inside a quote or a list keeps its container's prefix.
        let line = last.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
        let run = line.chars().take_while(|&c| c == fence).count();
        run >= length && line[run..].trim().is_empty()
    });
    (!closed).then_some(rest.len())
}

#[cfg(test)]
mod tests {
    use super::unclosed_lines;

    #[test]
    fn fences_are_closed_by_a_run_as_long_of_the_same_character() {
        assert_eq!(unclosed_lines("```http\nGET /x\n```"), None);
        assert_eq!(unclosed_lines("````\na\n`````\n"), None);
        assert_eq!(unclosed_lines("> ```json\n> {}\n> ```"), None);
        assert_eq!(unclosed_lines("```http\nGET /x\n\n## More\n"), Some(3));
        assert_eq!(unclosed_lines("````\na\n```"), Some(2));
        assert_eq!(unclosed_lines("~~~\na\n```"), Some(2));
        assert_eq!(unclosed_lines("```"), Some(0));
        assert_eq!(unclosed_lines("    indented code"), None);
    }
}
