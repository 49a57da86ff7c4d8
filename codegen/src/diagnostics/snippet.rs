//! Diagnostics as rustc prints them, with its own renderer (`annotate-snippets`): the message,
//! `--> path:line:col`, and the source line with a caret under the place, each related place
//! as a `note:` of its own.

use crate::bidi::escape_for_terminal;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::{Diagnostic, Severity};
use crate::source::{SourceMap, Span};

/// Lines longer than this are not shown (a minified document can be one line of megabytes):
/// only `--> path:line:col` is.
const MAX_LINE_BYTES: usize = 4096;

/// The underline covers at most this many characters from the place.
const MAX_TOKEN_CHARS: usize = 60;

pub(super) fn render(diagnostic: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let message = text(&diagnostic.message);
    let mut title = level(diagnostic.severity).primary_title(message);
    if let Some(code) = diagnostic.code {
        title = title.id(code);
    }
    let mut report = vec![match diagnostic.span {
        Some(span) => title.element(place(sources, span)),
        None => Group::with_title(title),
    }];
    for (span, note) in &diagnostic.notes {
        // Secondary titles are not normalized by the renderer: the text is made plain here.
        let note = annotate_snippets::normalize_untrusted_str(&text(note));
        report.push(
            Group::with_title(Level::NOTE.secondary_title(note)).element(place(sources, *span)),
        );
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&report)
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

/// A message on one line, bidirectional controls and other control characters escaped: no
/// name from the metadata can reorder or restyle the terminal.
pub(super) fn text(message: &str) -> String {
    escape_for_terminal(&message.replace(['\n', '\r'], " ")).into_owned()
}

/// Where a span is: its source line with the place underlined, or only `path:line:col` for a
/// line too long to show.
fn place(sources: &SourceMap, span: Span) -> annotate_snippets::Element<'static> {
    let file = sources.file(span.file);
    let path = file.path.display().to_string();
    let at = sources.line_col(span);
    let text = &file.text;
    let mut offset = (span.offset as usize).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[start..end].trim_end_matches('\r');
    // A byte order mark is no column an editor shows (see `SourceFile::line_col`).
    let mark = if line.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let line = &line[mark..];
    if line.len() > MAX_LINE_BYTES {
        return Origin::path(path).line(at.line).char_column(at.col).into();
    }
    let column = (offset - start).saturating_sub(mark).min(line.len());
    let token = token(&line[column..]);
    let (before, underlined, after) = (
        escape_for_terminal(&line[..column]),
        escape_for_terminal(&line[column..column + token]),
        escape_for_terminal(&line[column + token..]),
    );
    let range: Range<usize> = before.len()..before.len() + underlined.len();
    let shown = format!("{before}{underlined}{after}");
    Snippet::source(shown)
        .line_start(at.line)
        .path(path)
        .annotation(AnnotationKind::Primary.span(range))
        .into()
}

/// How many bytes of `rest` (the line from the place on) to underline: a quoted value with its
/// quotes, an attribute with its value (`Name="x"`), an element's `<name`, else the word there
/// (up to a delimiter); at least one character where the line has one.
fn token(rest: &str) -> usize {
    let quoted = |from: usize| {
        let quote = rest[from..].chars().next()?;
        matches!(quote, '"' | '\'').then(|| {
            rest[from + 1..]
                .find(quote)
                .map_or(rest.len(), |i| from + i + 2)
        })
    };
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let end = match quoted(0) {
        Some(end) => end,
        None => {
            let word = chars
                .find(|&(_, c)| {
                    c.is_whitespace()
                        || matches!(
                            c,
                            '"' | '\''
                                | '<'
                                | '>'
                                | '='
                                | ','
                                | ';'
                                | '('
                                | ')'
                                | '['
                                | ']'
                                | '{'
                                | '}'
                                | '|'
                        )
                })
                .map_or(rest.len(), |(i, _)| i);
            match rest[word..].starts_with('=') && first != '<' {
                true => quoted(word + 1).unwrap_or(word),
                false => word,
            }
        }
    };
    rest.char_indices()
        .nth(MAX_TOKEN_CHARS)
        .map_or(end, |(cut, _)| end.min(cut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    fn sources(text: &str) -> (SourceMap, crate::source::FileId) {
        let mut sources = SourceMap::default();
        let id = sources.add("metadata/a.xml".into(), text.to_owned());
        (sources, id)
    }

    #[test]
    fn the_place_is_underlined_on_its_line_with_notes_after() {
        let text = "<Schema>\n  <Property Name=\"x\" Type=\"ex.nowhere\" />\n</Schema>\n";
        let (sources, id) = sources(text);
        let at = text.find("\"ex.nowhere").unwrap();
        let diagnostic = Diagnostic::error(Span::new(id, at), "unknown type `ex.nowhere`")
            .with_note(Span::new(id, 0), "in this schema");
        assert_eq!(
            render(&diagnostic, &sources, false),
            "\
error: unknown type `ex.nowhere`
 --> metadata/a.xml:2:27
  |
2 |   <Property Name=\"x\" Type=\"ex.nowhere\" />
  |                           ^^^^^^^^^^^^
  |
note: in this schema
 --> metadata/a.xml:1:1
  |
1 | <Schema>
  | ^^^^^^^"
        );
    }

    #[test]
    fn what_is_underlined() {
        assert_eq!(token("Name=\"request-id\" Type=\"x\" />"), 17);
        assert_eq!(token("<EntityType Name=\"a\">"), 11);
        assert_eq!(token("\"key\": 1,"), 5);
        assert_eq!(token("segment/next"), 12);
        assert_eq!(token(""), 0);
        assert_eq!(token(&"a".repeat(100)), MAX_TOKEN_CHARS);
    }

    #[test]
    fn codes_places_without_a_file_and_long_lines() {
        let (sources, id) = sources(&format!("{}x", " ".repeat(MAX_LINE_BYTES)));
        let mut lint = Diagnostic::warning(Span::new(id, MAX_LINE_BYTES), "far out");
        lint.code = Some("broken-link");
        assert_eq!(
            render(&lint, &sources, false),
            "warning[broken-link]: far out\n--> metadata/a.xml:1:4097"
        );
        assert_eq!(
            render(&Diagnostic::global_error("nothing found"), &sources, false),
            "error: nothing found"
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_shown_and_takes_no_column() {
        let (sources, file) = sources("\u{feff}<Schema Nme=\"x\"/>\n");
        let diagnostic = Diagnostic::error(Span::new(file, 11), "unknown attribute");
        let text = render(&diagnostic, &sources, false);
        assert!(text.contains("a.xml:1:9"), "{text}");
        assert!(!text.contains('\u{feff}'), "{text}");
    }

    #[test]
    fn controls_in_the_line_and_message_are_shown_escaped() {
        let text = "<Property Name=\"ad\u{202e}min\x1b[31m\" />";
        let (sources, id) = sources(text);
        let at = text.find("ad").unwrap();
        let rendered = render(
            &Diagnostic::warning(Span::new(id, at), "name `ad\u{202e}min`"),
            &sources,
            false,
        );
        assert!(!rendered.contains(['\u{202e}', '\x1b']), "{rendered}");
        assert!(
            rendered.contains("warning: name `ad\\u{202E}min`"),
            "{rendered}"
        );
        assert!(
            rendered.contains("ad\\u{202E}min\\u{001B}[31m"),
            "{rendered}"
        );
    }
}
