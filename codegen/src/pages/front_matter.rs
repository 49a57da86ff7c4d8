//! YAML front matter, at the top of the page only, read as flat `key: value` lines: a line that
//! is not one, a quote left open, or front matter without its closing `---` is a located
//! warning.

use super::inline::without_includes;
use super::TextMap;
use crate::diagnostics::Diagnostics;
use crate::source::{Span, Spanned};

/// The front matter at the top of a page: a `---` line, lines up to a closing `---` (or
/// `...`) line. Where its content is, and where the Markdown after the closing line starts.
pub(super) fn end(body: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let mut lines = body.split_inclusive('\n');
    let first = lines.next()?;
    // As pulldown-cmark and GitHub read it: no blank line right after the opening one.
    if first.trim_end() != "---" || body.get(first.len()..)?.lines().next()?.trim().is_empty() {
        return None;
    }
    let mut at = first.len();
    for line in lines {
        if matches!(line.trim_end(), "---" | "...") {
            return Some((first.len()..at, at + line.len()));
        }
        at += line.len();
    }
    None
}

/// Flat `key: value` YAML, as the docs' front matter is; values may be quoted. Lines that
/// are not (no `key:`, an indented or list line, a quote left open) are located warnings:
/// nothing of the front matter is skipped without a word.
pub(super) fn read(
    text: &str,
    map: &TextMap,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, Spanned)> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let pair = content
            .split_once(':')
            .filter(|(key, _)| {
                !key.is_empty()
                    && !key.starts_with(char::is_whitespace)
                    && !key.starts_with(['-', '"', '\''])
            })
            .filter(|(_, value)| value.is_empty() || value.starts_with(char::is_whitespace));
        let Some((key, value)) = pair else {
            diagnostics.warning(
                map.span(at),
                "this front matter line is not `key: value`: it is not read",
            );
            continue;
        };
        let value = value.trim();
        let quoted = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')));
        let value = match quoted {
            Some(inner) if value.len() >= 2 => inner,
            _ if value.starts_with(['"', '\'']) => {
                diagnostics.warning(
                    map.span(at),
                    format!(
                        "the value of `{}` opens a quote it does not close: read as written",
                        key.trim()
                    ),
                );
                value
            }
            _ => value,
        };
        pairs.push((
            key.trim().to_owned(),
            Spanned {
                text: without_includes(value),
                span: map.span(at),
            },
        ));
    }
    pairs
}

/// A page that opens front matter (`---`, then `key: value`) without closing it is read as
/// Markdown, with a warning at its start.
pub(super) fn warn_if_unclosed(body: &str, at: Span, diagnostics: &mut Diagnostics) {
    let mut lines = body.lines().map(str::trim_end);
    let opened = lines.next() == Some("---")
        && lines
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.split_once(':').is_some_and(|(k, _)| !k.contains(' ')));
    if opened {
        diagnostics.warning(
            at,
            "the front matter that starts here is not read: it needs a closing `---` line, and no blank line right after the opening one",
        );
    }
}
